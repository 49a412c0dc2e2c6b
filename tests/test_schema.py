"""The published JSON Schemas, and how registry files are validated against them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from builder.core import schema
from builder.core.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "builder" / "schemas"


def fm(text: str) -> list[str]:
    """Messages for a front-matter YAML block (as if it started on line 2 of a file)."""
    node = schema.compose(text)
    from builder.core import yamlutil

    data = yamlutil.strip_lines(yamlutil.load(text))
    return [m.format() for m in schema.validate("front-matter", data, node, "a.md", line_offset=1)]


@pytest.mark.parametrize("name", schema.NAMES)
def test_each_published_schema_is_valid_and_its_examples_pass(name):
    data = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(data)
    assert data["$id"].endswith(f"/{name}.schema.json")
    validator = jsonschema.Draft202012Validator(data, format_checker=schema.FORMATS)
    examples = data.get("examples") or [{k: v["examples"][0] for k, v in data["properties"].items()}]
    for example in examples:
        assert list(validator.iter_errors(example)) == []


def test_front_matter_schema_allows_exactly_the_fields_the_pipeline_reads():
    fields = set(schema.load_schema("front-matter")["properties"])
    assert fields == {"title", "date", "source", "url", "archived_url", "retrieved", "people", "tags", "language", "id",
                      "authors", "contributors"}


def test_every_schema_rule_has_its_own_wording():
    """A rule without x-messages would print jsonschema's generic text to an archivist.
    (Inside 'not' and 'anyOf' the rules do not report on their own: the combinator does.)"""
    def walk(node, path):
        if isinstance(node, dict):
            rules = {"type", "pattern", "format", "minimum", "not", "anyOf", "required"} & set(node)
            missing = rules - set(node.get("x-messages", {}))
            assert not missing, f"{path}: no x-messages for {sorted(missing)}"
            for key, value in node.items():
                if key not in ("x-messages", "examples", "required", "not", "anyOf"):
                    walk(value, path + [key])

    for name in schema.NAMES:
        data = schema.load_schema(name)
        walk({k: v for k, v in data.items() if k not in ("$defs", "$schema", "$id")}, [name])
        for key, sub in data.get("$defs", {}).items():
            walk(sub, [name, "$defs", key])


def test_front_matter_messages_point_at_the_key_or_value():
    assert fm("titel: x\ndate: 2022-13-45\n") == [
        "a.md:2:1: error: unknown front-matter field 'titel' (did you mean 'title'?)",
        "a.md:3:7: error: date '2022-13-45' is not a valid EDTF date: write 2022-03-04, 2022-03, 2022, 2022? "
        "or 2022-03/2022-05",
    ]
    assert fm("colour: red\n") == [
        "a.md:2:1: error: unknown front-matter field 'colour' (allowed: title, date, source, url, archived_url, "
        "retrieved, people, authors, contributors, tags, language, id)"]


@pytest.mark.parametrize("value,ok", [
    ("2022-03-04", True), ("2022-03", True), ("2022", True), ("2022?", True), ("2022-03/2022-05", True),
    ("2022", True), ("2022-13-45", False), ("2022-02-30", False), ("March 4, 2022", False), ("22", False),
])
def test_dates_must_be_edtf(value, ok):
    assert (fm(f"date: '{value}'\n") == []) is ok


def test_an_unquoted_year_is_a_date():
    assert fm("date: 2022\n") == []
    assert fm("date: 99999\n") == [
        "a.md:2:7: error: date '99999' is not a valid EDTF date: write 2022-03-04, 2022-03, 2022, 2022? or "
        "2022-03/2022-05"]


@pytest.mark.parametrize("url,ok", [
    ("https://example.com/a", True), ("http://example.com", True), ("HTTPS://EXAMPLE.COM", True),
    ("ftp://example.com", False), ("javascript:alert(1)", False), ("example.com", False),
    ("https://exa mple.com", False),
])
def test_urls_must_be_http(url, ok):
    assert (fm(f"url: '{url}'\n") == []) is ok


@pytest.mark.parametrize("value,ok", [
    ("ok-id_1.2", True), ("12345", True), ("bad id", False), ("a/b", False), ("a..b", False), ("-x", False),
    ("x" * 120, True), ("x" * 121, False),
])
def test_id_pattern_is_the_read_stage_one(value, ok):
    assert (fm(f"id: '{value}'\n") == []) is ok


def test_types_are_explained_in_words():
    assert fm("people: Jens Stoltenberg\ntags: [a, {b: c}]\ntitle: [yes]\n") == [
        "a.md:2:9: error: 'people' must be a list of names (people: [Jens Stoltenberg, Dmytro Kuleba]), "
        "got text 'Jens Stoltenberg'",
        "a.md:3:11: error: each tag in 'tags' must be text, got a mapping",
        "a.md:4:8: error: 'title' must be text, got a list",
    ]


def test_plain_values_are_the_text_as_written():
    """YAML 1.1 would turn these into numbers and yes/no values; every field is text, so none is
    converted (the Norway problem: 'language: no' stays 'no')."""
    assert fm("title: yes\nid: 010\ntags: [0x10, 1:30, 1.50, true]\nlanguage: no\ndate: 2022\n") == []


def test_empty_values_mean_not_given_and_blank_text_is_an_error():
    assert fm("title:\ndate:\npeople:\n") == []
    assert fm("title: '  '\n") == ["a.md:2:8: error: 'title' is empty: write the headline or remove the line"]


def test_a_key_written_twice_is_an_error():
    assert fm("title: a\ndate: 2022\ntitle: b\n") == [
        "a.md:4:1: error: 'title' is given twice (first on line 2); only this last one counts: keep one"]


def test_the_repositorys_own_registries_are_valid():
    for corpus in (ROOT / "corpus", ROOT / "tests" / "labelled" / "corpus"):
        registry = load_registry(corpus, ROOT)
        assert registry.messages == []
        assert registry.people and registry.sources and registry.tags


PEOPLE = """\
people:
  - name: Vladimir Putin
    aliases: [Putin]
    wikidata: Q7747
  - name: Jens Stoltenberg
    alias: [Stoltenberg]
    aliases:
      - Stoltenberg
      - putin
  - name: Joe Biden
    aliases: Biden
    wikidata: 6279
  - aliases: [Nobody]
  - just a string
persons: []
"""


def test_registry_problems_have_their_line_and_column(tmp_path):
    (tmp_path / "people.yml").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "sources.yml").write_text("sources:\n  - name: RT\n    url: ftp://rt.com\n  - name: rt\n",
                                          encoding="utf-8")
    (tmp_path / "tags.yml").write_text("tags: {a: 1}\n", encoding="utf-8")
    registry = load_registry(tmp_path, tmp_path)
    assert sorted(m.format() for m in registry.messages) == sorted([
        "people.yml:6:5: error: unknown field 'alias' in people entry (did you mean 'aliases'?)",
        "people.yml:9:9: error: alias 'putin' of 'Jens Stoltenberg' is already claimed by 'Vladimir Putin' "
        "(line 3): a spelling can belong to one person only",
        "people.yml:12:15: error: wikidata '6279' is not a Wikidata item id such as Q7747",
        "people.yml:13:5: error: people entry has no 'name'",
        "people.yml:14:5: error: each entry of 'people' must be a mapping (name: ...), got text 'just a string'",
        "people.yml:15:1: error: unknown top-level key 'persons': the file holds one 'people:' list",
        "sources.yml:3:10: warning: url 'ftp://rt.com' is not an http(s) URL (https://www.example.com)",
        "sources.yml:4:11: error: duplicate name 'rt' (first at line 2)",
        "tags.yml:1:7: error: 'tags' must be a list, got a mapping",
    ])
    # the usable entries are kept, without the values the schema rejected
    assert [p.name for p in registry.people] == ["Vladimir Putin", "Jens Stoltenberg", "Joe Biden"]
    assert registry.people[2].aliases == ["Biden"] and registry.people[2].wikidata == ""
    assert registry.person("Biden").name == "Joe Biden"


def test_a_name_claimed_twice_points_at_the_second_name(tmp_path):
    (tmp_path / "people.yml").write_text(
        "people:\n  - name: Ann Lee\n  - name: Bob Ray\n    aliases: [Ann]\n  - name: ann lee\n", encoding="utf-8")
    assert [m.format() for m in load_registry(tmp_path, tmp_path).messages] == [
        "people.yml:5:11: error: name 'ann lee' of 'ann lee' is already claimed by 'Ann Lee' (line 2): a spelling "
        "can belong to one person only"]


def test_invalid_registry_yaml_is_one_error_with_its_line(tmp_path):
    (tmp_path / "tags.yml").write_text("tags:\n  - tag: a\n    phrases: [x\n", encoding="utf-8")
    messages = load_registry(tmp_path, tmp_path).messages
    assert len(messages) == 1
    assert messages[0].format().startswith("tags.yml:4:1: error: invalid YAML: ")
