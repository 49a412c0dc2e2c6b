"""Issue 18, the escaping and name-keying cases: values from front matter and the registries are
data at every output (Markdown, HTML, JSON-LD, terminal), names are keyed once, and a page's
address can be neither taken over nor moved by another article.

Each test is named after its case; the archives are small and only the Markdown pages are made
(``render_all``), not the MkDocs site, so the file runs in seconds."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.outputs.charts import articles_chart
from builder.pipeline import process_project
from builder.outputs.render import render_all

TEXT = ("Kyiv. NATO leaders refused to impose a no-fly zone over Ukraine on Friday, officials said in Brussels.\n\n"
        "The alliance said it would not send planes into Ukrainian airspace.\n")
OTHER = ("Brussels. Foreign ministers met again on Saturday to discuss sanctions and aid.\n\n"
         "They agreed on a new package of support for refugees.\n")


def article(text: str = TEXT, **front: str) -> str:
    """An article file: ``front`` as YAML lines written exactly as given, then the text."""
    lines = "".join(f"{k}: {v}\n" for k, v in front.items())
    return f"---\n{lines}---\n{text}"


def pages_of(project):
    result = process_project(project)
    return result, render_all(result.records, result.registry, result.files, result.messages, result.ignored)


# ---------------------------------------------------------------------------------------
# 1. a date before the year 1000
# ---------------------------------------------------------------------------------------

def test_a_date_before_the_year_1000_builds_every_page(make_archive):
    project = make_archive({"old.md": article(title="Old", date="0999-01-01"),
                            "new.md": article(OTHER, title="New", date="2022-03-04")})
    result, pages = pages_of(project)
    assert sorted(r.date.value for r in result.records) == ["0999-01-01", "2022-03-04"]
    assert "timeline/0999.md" in pages and "timeline/2022.md" in pages
    assert 'href="../articles/old.html"' in pages["timeline/0999.md"]
    chart = articles_chart(["0999-01-01", "2022-03-04"], "c")
    assert "0999: 1" in chart and "2022: 1" in chart


# ---------------------------------------------------------------------------------------
# 16. UTF-32 files and NUL in values
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-32", "utf-32-be"])
def test_a_utf32_file_is_read_as_utf32_and_a_nul_never_reaches_a_page(make_archive, codec):
    text = article(title="Wide", date="2022-03-04")
    data = ("\ufeff" + text).encode(codec) if codec.endswith("be") else text.encode(codec)
    project = make_archive({"wide.md": data,
                            "nul.md": article(OTHER, title='"Null\\0 title\\x1b[2J\\x07"', date="2022-03-05")})
    result, pages = pages_of(project)
    wide = next(r for r in result.records if r.id == "wide")
    assert wide.title.value == "Wide" and "NATO leaders refused" in wide.text
    null = next(r for r in result.records if r.id == "nul")
    assert null.title.value == "Null title[2J"
    assert not any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", page) for page in pages.values())
    messages = {m.text for f in result.files for m in f.messages}
    assert "file is UTF-32; decoded, please save it as UTF-8" in messages
    assert any("control characters" in m for m in messages)


# ---------------------------------------------------------------------------------------
# 14. a sources.yml url that is not http(s); 15. a language that is not a language code
# ---------------------------------------------------------------------------------------

def _cited(record, source_urls=None):
    from builder.outputs.cite import cite_all, citation_for

    return cite_all(citation_for(record, "https://example.org/articles/x/", "Test archive",
                                 "https://example.org/", source_urls=source_urls))


def test_a_javascript_url_in_sources_yml_is_never_published(make_archive):
    from builder.outputs.export import data_files
    from builder.outputs.render import make_links

    project = make_archive({"a.md": article(title="A", date="2022-03-04", source="Evil Daily")},
                           sources="sources:\n  - name: Evil Daily\n    url: javascript:alert(1)\n")
    result = process_project(project)
    assert any("javascript" in m.text or "url" in m.text for m in result.messages)     # still warned
    record = result.records[0]
    urls = {s.name: s.url for s in result.registry.sources}
    cited = _cited(record, urls)
    published = cited.json_ld + "".join(f"{t.key}={t.content}\n" for t in cited.head) + cited.bibtex + cited.ris
    assert "javascript" not in published.casefold()
    assert "Evil Daily" in cited.json_ld                        # the publisher itself is still named
    files = data_files(result.records, result.registry, make_links(result.records), "Test archive")
    assert b"javascript" not in files["data/sources.json"]
    page = pages_of(project)[1]["sources/evil-daily.md"]
    assert "Home page: javascript:alert\\(1\\)" in page           # shown as text, as sources.yml has it, never a link
    assert "<javascript" not in page and "](javascript" not in page


@pytest.mark.parametrize("language", ['"en\\" onload=\\"zzq"', '"<zzq>"', '"en}, title={zzq"', '"en\\nTY  - zzq"'])
def test_an_invalid_language_is_not_published(make_archive, language):
    from builder.outputs.export import data_files
    from builder.outputs.render import make_links

    project = make_archive({"a.md": article(title="A", date="2022-03-04", language=language)})
    result = process_project(project)
    record = result.records[0]
    assert any("language" in m.text for f in result.files for m in f.messages)     # reported
    assert record.language.value in (None, "en")                 # inferred from the text instead
    cited = _cited(record)
    published = cited.json_ld + "".join(f"{t.key}={t.content}\n" for t in cited.head) + cited.bibtex + cited.ris
    assert "zzq" not in published
    files = data_files(result.records, result.registry, make_links(result.records), "Test archive")
    assert b"zzq" not in files["data/articles.jsonl"] + files["data/articles.csv"]


# ---------------------------------------------------------------------------------------
# 6. line breaks in one-line fields
# ---------------------------------------------------------------------------------------

def _links_to(page: str, article_id: str) -> int:
    # a Markdown link, or a link of a generated list (raw HTML, to the page MkDocs writes)
    return len(re.findall(rf'\]\((?:\.\./)*articles/{re.escape(article_id)}\.md\)|'
                          rf'href="(?:\.\./)*articles/{re.escape(article_id)}\.html"', page))


def _no_stray_markup(page: str) -> None:
    """No line a value could have made: a fence, a heading underline or a heading of ours only."""
    body = page.split("\n---\n", 1)[-1]
    for line in body.split("\n"):
        assert not re.match(r"\s*(~~~|```|===|---|# Fake|- \[evil)", line), line


def test_line_breaks_in_front_matter_and_registry_fields_never_reach_markdown(make_archive):
    fence = '"One\\n~~~\\nTwo"'
    project = make_archive(
        {"a.md": article(title=fence, date="2022-03-04", tags='["Fenced\\n~~~\\ntag", "Plain"]',
                         people='["Jane\\n===\\nDoe"]', source='"Daily\\n# Fake heading"', authors='["A\\nB"]'),
         "b.md": article(OTHER, title='"Three\\n~~~\\nFour"', date="2022-03-05", tags='["Fenced\\n~~~\\ntag", "Plain"]',
                         source='"Daily\\n# Fake heading"')},
        tags="tags:\n  - tag: Plain\n    description: \"Line\\n~~~\\n- [evil](javascript:x)\"\n")
    result, pages = pages_of(project)
    a = next(r for r in result.records if r.id == "a")
    assert a.title.value == "One ~~~ Two" and a.source.value == "Daily # Fake heading"
    assert a.people_names == ["Jane === Doe"] and a.authors == ["A B"]
    warnings = [m.format() for f in result.files for m in f.messages if "line breaks" in m.text]
    assert "corpus/articles/a.md:2:1: warning: title: line breaks joined into one line (every front-matter field is " \
           "one line)" in warnings
    assert any(m.path == "corpus/tags.yml" and "line breaks" in m.text for m in result.messages)
    for path in (".generated/summary.md", "timeline/2022.md", "tags/plain.md", "sources/daily-fake-heading.md"):
        assert _links_to(pages[path], "a") == 1 and _links_to(pages[path], "b") == 1, path
    for page in pages.values():
        _no_stray_markup(page)


def test_line_breaks_reaching_render_from_elsewhere_are_escaped_at_output(make_archive):
    """A value that did not come through the read stage (a cache entry, a later inference) is
    escaped again where it is written."""
    project = make_archive({"a.md": article(title="A", date="2022-03-04", tags='["Plain"]'),
                            "b.md": article(OTHER, title="B", date="2022-03-05", tags='["Plain"]')})
    result = process_project(project)
    for r in result.records:
        r.title.value = f"Title {r.id}\n~~~\n\n===\n# Fake {r.id}\n    code"
    pages = render_all(result.records, result.registry, result.files, result.messages, result.ignored)
    for path in (".generated/summary.md", "tags/plain.md", "timeline/2022.md"):
        assert _links_to(pages[path], "a") == 1 and _links_to(pages[path], "b") == 1, path
        _no_stray_markup(pages[path])


# ---------------------------------------------------------------------------------------
# 10. names keyed once; 2. a page's address cannot be taken
# ---------------------------------------------------------------------------------------

def _people_pages(pages: dict[str, str]) -> dict[str, str]:
    return {p: t for p, t in pages.items() if p.startswith("people/") and p != "people/index.md"}


def test_case_spacing_and_invisible_characters_do_not_make_look_alike_people_tags_or_sources(make_archive):
    spellings = ["Jens Stoltenberg", "jens stoltenberg", "Jens\u200b Stoltenberg", "Jens  Stoltenberg",
                 "\u202eJens Stoltenberg", "ＪＥＮＳ Stoltenberg", "Jens\u2066 Stoltenberg\u2069"]
    files = {f"a{i}.md": article(TEXT if i % 2 else OTHER, title=f"T{i}", date=f"2022-03-0{i + 1}",
                                 people=f'["{name}"]', tags='["Ukraine"]' if i % 2 else '["ukraine"]',
                                 source="Daily Wire" if i % 2 else '"daily  wire"')
             for i, name in enumerate(spellings)}
    before = pages_of(make_archive({"a0.md": files["a0.md"]}))[1]
    assert "people/jens-stoltenberg.md" in before
    result, pages = pages_of(make_archive(files))
    assert {tuple(r.people_names) for r in result.records} == {("Jens Stoltenberg",)}
    people = _people_pages(pages)
    assert list(people) == ["people/jens-stoltenberg.md"]               # the address did not move
    assert all(_links_to(people["people/jens-stoltenberg.md"], f"a{i}") for i in range(len(spellings)))
    assert [p for p in pages if p.startswith("tags/") and p != "tags/index.md"] == ["tags/ukraine.md"]
    assert [p for p in pages if p.startswith("sources/") and p not in ("sources/index.md", "sources/unknown.md")] \
        == ["sources/daily-wire.md"]
    warned = [m.format() for f in result.files for m in f.messages if "invisible" in m.text]
    assert any(w.startswith("corpus/articles/a2.md:4:1: warning: people: invisible") for w in warned), warned


def _colliding_pair(base: str) -> tuple[str, str]:
    """Two spellings of ``base`` with the same slug and the same 6-hex suffix (a birthday search
    over trailing punctuation, which the slug drops): what an attacker can brute-force."""
    import hashlib
    import itertools

    seen: dict[str, str] = {}
    for n in itertools.count(1):
        for tail in itertools.product("!?*+;", repeat=n):
            name = base + "".join(tail)
            suffix = hashlib.sha1(name.encode()).hexdigest()[:6]
            if suffix in seen:
                return seen[suffix], name
            seen[suffix] = name
    raise AssertionError


def test_a_brute_forced_slug_suffix_never_takes_over_a_page(make_archive):
    first, second = _colliding_pair("Jens Stoltenberg")
    real = "Володимир Зеленський"
    alone = pages_of(make_archive({"real.md": article(title="Real", date="2022-03-04", people=f'["{real}", '
                                                      '"Jens Stoltenberg"]')}))[1]
    real_page = next(p for p in _people_pages(alone) if p.startswith("people/volodimir-zelenskii-"))
    literal = real_page.removeprefix("people/").removesuffix(".md").replace("-", " ")   # the same slug, in Latin
    result, pages = pages_of(make_archive({
        "real.md": article(title="Real", date="2022-03-04", people=f'["{real}", "Jens Stoltenberg"]'),
        "fake1.md": article(OTHER, title="Fake one", date="2022-03-05", people=f'["{first}", "{literal}"]'),
        "fake2.md": article(OTHER, title="Fake two", date="2022-03-06", people=f'["{second}"]')}))
    people = _people_pages(pages)
    # every name has its own page, each listing its own articles only
    assert len(people) == 5
    assert people[real_page].startswith(f"---\ntitle: {real}") and _links_to(people[real_page], "real") >= 1
    assert _links_to(people["people/jens-stoltenberg.md"], "real") >= 1
    assert sum(_links_to(t, "fake1") > 0 for t in people.values()) == 2
    assert sum(_links_to(t, "fake2") > 0 for t in people.values()) == 1
    assert _links_to(people[real_page], "fake1") == 0
    assert sum(_links_to(t, "real") > 0 for t in people.values()) == 2
    warnings = [m.text for m in result.messages if m.severity == "warning" and m.code == "names"]
    assert any(f"'{second}'" in w and f"'{first}'" in w for w in warnings) or \
        any(f"'{first}'" in w and "'Jens Stoltenberg'" in w for w in warnings), warnings
    assert any(f"'{literal}'" in w and f"'{real}'" in w for w in warnings), warnings


# ---------------------------------------------------------------------------------------
# 11. terminal control characters in what check and inspect print
# ---------------------------------------------------------------------------------------

_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("command", [["check"], ["check", "--strict"], ["check", "--format", "github"], ["inspect"]])
def test_check_and_inspect_never_print_terminal_controls_from_front_matter(make_archive, capsys, command):
    from builder.commands import cli

    hostile = '"Title\\e[2J\\e]0;owned\\a\\rFAKE: ok\\nnext \\u202eevil"'
    project = make_archive({"a.md": article(title=hostile, date="2022-03-04", source=hostile, people=f"[{hostile}]",
                                            tags=f"[{hostile}]", language=hostile, url=hostile)})
    args = ["-C", str(project.root), *command]
    if command[0] == "inspect":
        args.append(str(project.articles / "a.md"))
    cli.main(args)
    out = capsys.readouterr()
    printed = out.out + out.err
    assert "owned" in printed or "Title" in printed                 # the values are shown ...
    assert not _TERMINAL_CONTROL.search(printed), repr(printed)     # ... but cannot drive the terminal
    assert not re.search(r"^FAKE", printed, re.M)                    # nor start a line of their own


# ---------------------------------------------------------------------------------------
# the class: arbitrary Unicode through every front-matter and registry field
# ---------------------------------------------------------------------------------------

_FRAGMENTS = ["\n", "\r", "\r\n", "\x85", "\u2028", "~~~", "===", "---", "```", "`", "[", "]", "(", ")", "<", ">",
              "</a>", "<script>", "#", "|", "*", "_", "{", "}", "{ #x }", "\\", "&amp;", "'", '"', ":", "!", "- ",
              "1. ", "    ", "\t", "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff", "\x00", "\x1b[2J", "\x07",
              "Ｊ", "é", "Зеленський", "javascript:x", "[a](b)", "Jens", "Stoltenberg", " ", "x"]
_VALUE = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=3)), min_size=1, max_size=6).map("".join)
# Markup the Markdown pages of these lists may hold: anything else came from a value
_OUR_TAGS = {"p", "a", "ul", "li", "span", "h1", "h2", "strong", "div", "svg", "title", "desc", "line", "rect",
             "text", "table", "caption", "thead", "tbody", "tr", "th", "td", "blockquote", "br", "del", "ins"}


def _html(markdown_page: str) -> str:
    import markdown

    body = markdown_page.split("\n---\n", 1)[1] if markdown_page.startswith("---\n") else markdown_page
    return markdown.markdown(body, extensions=["attr_list", "toc"])


def _check_index(html_page: str, ids: list[str], where: str, headings: int) -> None:
    for article_id in ids:
        links = re.findall(rf'<a\b[^>]*\bhref="(?:\.\./)*articles/{re.escape(article_id)}\.(?:md|html)"[^>]*>', html_page)
        assert len(links) == 1, (where, article_id, html_page)
    assert len(re.findall(r"<a\b", html_page)) == len(ids) + (1 if where == "summary" else 0), (where, html_page)
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html_page))
    assert tags <= _OUR_TAGS, (where, tags - _OUR_TAGS, html_page)
    assert len(re.findall(r"<h[1-6]\b", html_page)) == headings, (where, html_page)


@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.fixed_dictionaries({"title": _VALUE, "source": _VALUE, "tag": _VALUE, "person": _VALUE,
                                       "author": _VALUE}), min_size=3, max_size=3),
       _VALUE, _VALUE)
def test_any_unicode_in_front_matter_and_registry_fields_leaves_every_index_page_intact(fields, description, name):
    import tempfile
    from pathlib import Path

    import yaml

    from builder.pipeline import Project
    from builder.outputs.render import make_links
    from builder.commands.scaffold import new_archive

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "archive"
        new_archive(root, site_name="Property")
        for i, f in enumerate(fields):
            front = {"title": f["title"], "date": f"2022-03-0{i + 1}", "source": f["source"],
                     "tags": [f["tag"], "Shared"], "people": [f["person"]], "authors": [f["author"]]}
            (root / "corpus" / "articles" / f"a{i}.md").write_text(
                "---\n" + yaml.safe_dump(front) + "---\n" + (TEXT if i % 2 else OTHER), encoding="utf-8")
        (root / "corpus" / "tags.yml").write_text(yaml.safe_dump(
            {"tags": [{"tag": "Shared", "description": description}, {"tag": name, "description": name}]}),
            encoding="utf-8")
        (root / "corpus" / "people.yml").write_text(yaml.safe_dump(
            {"people": [{"name": fields[0]["person"], "description": description, "aliases": [name]}]}),
            encoding="utf-8")
        (root / "corpus" / "sources.yml").write_text(yaml.safe_dump(
            {"sources": [{"name": name, "url": "https://example.org/"}]}), encoding="utf-8")
        result, pages = pages_of(Project(root))
    ids = [f"a{i}" for i in range(3)]
    assert sorted(r.id for r in result.records) == ids, [m.format() for m in result.all_messages]
    _check_index(_html(pages[".generated/summary.md"]), ids, "summary", 1)
    _check_index(_html(pages["timeline/2022.md"]), ids, "timeline", 3)            # the title, March, the chart
    _check_index(_html(pages["tags/shared.md"]), ids, "tag", 2)                  # the title, the chart
    links = make_links(result.records, result.registry)
    for path in ["people/index.md", "tags/index.md", "sources/index.md", *links.people.values()]:
        tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", _html(pages[path])))
        assert tags <= _OUR_TAGS, (path, tags - _OUR_TAGS)
    for r in result.records:
        assert _links_to(pages[f"articles/{r.id}.md"], r.id) == 0
        for value in [r.title.value, r.source.value, *r.people_names, *r.tags.value, *r.authors]:
            assert value is None or not re.search(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]", value), value
    for path, page in pages.items():
        if path.endswith(".md"):
            assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", page), path


def test_line_breaks_in_a_web_pages_h1_never_reach_markdown(make_archive):
    page = ("<!doctype html><html><head><title>Alliance refuses zone - Daily</title></head><body><article>"
            "<h1>Alliance\n~~~\nrefuses\n===\nzone</h1>"
            + "".join(f"<p>{p}</p>" for p in TEXT.split("\n\n")) + "</article></body></html>")
    project = make_archive({"web.html": page, "b.md": article(OTHER, title="B", date="2022-03-05")})
    result, pages = pages_of(project)
    web = next(r for r in result.records if r.id == "web")
    assert web.title.value == "Alliance ~~~ refuses === zone" and web.title.method == "page headline (h1)"
    assert _links_to(pages[".generated/summary.md"], "web") == 1
    _no_stray_markup(pages[".generated/summary.md"])
