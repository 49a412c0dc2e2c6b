"""``archive check``: what an archivist sees for each kind of mistake, and the exit status CI uses."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from builder.commands.check import check_project
from builder.commands.cli import main

ROOT = Path(__file__).resolve().parents[1]

# one article, written plainly enough that every stage agrees on it
STORY = ("NATO foreign ministers met in Brussels on Friday and agreed that the alliance would not impose a "
         "no-fly zone over Ukraine, despite repeated appeals from Kyiv for help against air strikes.\n\n"
         "The ministers said that patrolling the skies would mean shooting down Russian aircraft and could "
         "draw the alliance into a much wider war in Europe, which none of its members wanted.\n\n"
         "Officials promised more weapons, medical supplies and money instead, and said talks would "
         "continue next week in Warsaw with representatives of the government in Kyiv.\n")
OTHER = ("Farmers in the south of the country began the harvest early this year after a dry and unusually "
         "warm spring, and the regional association expects yields to fall by a fifth.\n\n"
         "Prices at the local markets have already risen, and the association has asked the government for "
         "help with the cost of irrigation, fuel and storage before the autumn.\n")
PEOPLE = "people:\n  - name: Jens Stoltenberg\n    aliases: [Stoltenberg]\n"
SOURCES = "sources:\n  - name: Fox News\n    url: https://www.foxnews.com\n"


@pytest.fixture(autouse=True)
def site_address(monkeypatch):
    """The workflows set ARCHIVE_SITE_URL; without it every check adds a warning that the
    site has no address (tests/test_cli.py tests that)."""
    monkeypatch.setenv("ARCHIVE_SITE_URL", "https://archive.example.org/")


def check(project, *args: str, capsys) -> tuple[int, list[str], str]:
    code = main(["-C", str(project.root), "check", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_a_clean_archive_passes_silently(make_archive, capsys):
    project = make_archive({"a.txt": STORY, "b.txt": OTHER}, people=PEOPLE, sources=SOURCES)
    code, lines, err = check(project, capsys=capsys)
    assert (code, lines) == (0, [])
    assert "archive check: 2 article files checked: 0 errors, 0 warnings" in err


def test_unknown_field_is_an_error_with_a_suggestion(make_archive, capsys):
    project = make_archive({"a.md": "---\ntitel: NATO says no\ndate: 2022-03-04\n---\n" + STORY})
    code, lines, _ = check(project, capsys=capsys)
    assert code == 1
    assert lines == ["corpus/articles/a.md:2:1: error: unknown front-matter field 'titel' (did you mean 'title'?)"]


def test_bad_edtf_date_is_one_error_on_its_line(make_archive, capsys):
    project = make_archive({"a.md": "---\ntitle: NATO says no\ndate: 2022-13-45\n---\n" + STORY})
    code, lines, _ = check(project, capsys=capsys)
    assert code == 1
    # the schema's error replaces the pipeline's warning about the same value ("inferring from the text")
    assert lines == ["corpus/articles/a.md:3:7: error: date '2022-13-45' is not a valid EDTF date: write "
                     "2022-03-04, 2022-03, 2022, 2022? or 2022-03/2022-05"]


def test_bad_id_url_and_types(make_archive, capsys):
    project = make_archive({
        "a.md": "---\nid: bad id\n---\n" + STORY,
        "b.md": "---\nurl: javascript:alert(1)\npeople: Jens Stoltenberg\n---\n" + OTHER,
    })
    code, lines, _ = check(project, capsys=capsys)
    assert code == 1
    assert len(lines) == 3
    assert lines[0].startswith("corpus/articles/a.md:2:1: error: id 'bad id' is not allowed")
    assert lines[1:] == [
        "corpus/articles/b.md:2:6: error: url 'javascript:alert(1)' is not an http:// or https:// address",
        "corpus/articles/b.md:3:9: error: 'people' must be a list of names (people: [Jens Stoltenberg, "
        "Dmytro Kuleba]), got text 'Jens Stoltenberg'",
    ]


def test_front_matter_that_is_not_a_mapping_or_not_yaml(make_archive, capsys):
    project = make_archive({"list.md": "---\n- a\n- b\n---\n" + STORY,
                            "yaml.md": "---\ntitle: [unclosed\n---\n" + OTHER})
    code, lines, _ = check(project, capsys=capsys)
    assert code == 1
    assert len(lines) == 2
    assert lines[0].startswith("corpus/articles/list.md:2:1: error: front matter ")
    assert re.match(r"corpus/articles/yaml\.md:2:\d+: error: front matter is not valid YAML", lines[1])


def test_alias_claimed_twice(make_archive, capsys):
    people = PEOPLE + "  - name: Vladimir Putin\n    aliases:\n      - Putin\n      - Stoltenberg\n"
    project = make_archive({"a.txt": STORY}, people=people)
    code, lines, _ = check(project, capsys=capsys)
    assert code == 1
    assert lines == ["corpus/people.yml:7:9: error: alias 'Stoltenberg' of 'Vladimir Putin' is already claimed by "
                     "'Jens Stoltenberg' (line 3): a spelling can belong to one person only"]


def test_duplicate_ids(make_archive, capsys):
    project = make_archive({"a.txt": STORY, "sub/a.txt": OTHER})
    code, lines, _ = check(project, capsys=capsys)
    assert code == 1
    assert [line.split(" also used by ")[0] for line in lines] == [
        "corpus/articles/a.txt:1:1: error: id 'a' is", "corpus/articles/sub/a.txt:1:1: error: id 'a' is"]
    assert "corpus/articles/sub/a.txt" in lines[0] and "corpus/articles/a.txt" in lines[1]


def test_exact_duplicate_despite_furniture_case_and_spacing(make_archive, capsys):
    copy = "Share this article\n\n" + STORY.upper().replace(" ", "  ") + "\nAdvertisement\n"
    project = make_archive({"a.txt": STORY, "b.txt": copy, "c.txt": OTHER})
    code, lines, _ = check(project, capsys=capsys)
    assert code == 1
    assert lines == ["corpus/articles/b.txt:1:1: error: exact duplicate of corpus/articles/a.txt: the same text "
                     "after cleaning; remove one of the two files"]


def shingle_jaccard(a: str, b: str) -> float:
    """An independent measure: Jaccard similarity of the word 5-gram sets."""
    def grams(text):
        words = re.findall(r"\w+", text.casefold())
        return {tuple(words[i:i + 5]) for i in range(len(words) - 4)}
    ga, gb = grams(a), grams(b)
    return len(ga & gb) / len(ga | gb)


def test_near_duplicate_is_a_warning_with_its_similarity(make_archive, capsys):
    edited = STORY.replace("next week in Warsaw", "on Tuesday in Vilnius")
    project = make_archive({"a.txt": STORY, "b.txt": edited, "c.txt": OTHER})
    code, lines, _ = check(project, capsys=capsys)
    similarity = shingle_jaccard(STORY, edited)
    assert 0.5 < similarity < 1
    assert lines == [f"corpus/articles/b.txt:1:1: warning: near-duplicate of corpus/articles/a.txt (similarity "
                     f"{similarity:.2f}, Jaccard of word 5-grams): the same article twice, or from two outlets? "
                     "Keep both only on purpose"]
    assert code == 0                    # warnings never fail ...
    code, _, _ = check(project, "--strict", capsys=capsys)
    assert code == 1                    # ... unless --strict


def test_a_shortened_copy_is_a_near_duplicate(make_archive, capsys):
    story = STORY + "\n" + OTHER
    project = make_archive({"a.txt": story, "b.txt": STORY})
    code, lines, _ = check(project, capsys=capsys)
    assert code == 0
    assert len(lines) == 1
    assert lines[0].startswith("corpus/articles/b.txt:1:1: warning: near-duplicate of corpus/articles/a.txt "
                               "(similarity 0.")
    assert "100% of the shorter text is in the longer" in lines[0]


def test_unknown_person_is_a_note_shown_with_verbose(make_archive, capsys):
    text = ("Ukrainian lawmaker Lesia Vasylenko said on Friday that NATO Secretary General Jens Stoltenberg had "
            "let Ukraine down by refusing to close the skies over the country.\n\n" + OTHER)
    project = make_archive({"a.txt": text}, people=PEOPLE)
    code, lines, err = check(project, capsys=capsys)
    assert (code, lines) == (0, [])
    assert "(-v shows them)" in err
    code, lines, _ = check(project, "-v", capsys=capsys)
    assert code == 0
    notes = [line for line in lines if "people.yml" in line]
    assert notes == ["corpus/articles/a.txt:1:1: info: 'Lesia Vasylenko' is not in corpus/people.yml: add them "
                     "there (name, aliases, description) so that every article spells them the same way"]


def test_unknown_source_is_a_warning_and_strict_makes_it_fail(make_archive, capsys):
    project = make_archive({"a.md": "---\nsource: Fox Nwes\n---\n" + STORY}, sources=SOURCES)
    code, lines, _ = check(project, capsys=capsys)
    assert (code, lines) == (0, ["corpus/articles/a.md:2:9: warning: source 'Fox Nwes' is not in "
                                 "corpus/sources.yml (did you mean 'Fox News'?): add the outlet there, or fix "
                                 "the spelling"])
    assert check(project, "--strict", capsys=capsys)[0] == 1


def test_json_output_is_an_array_of_every_message(make_archive, capsys):
    project = make_archive({"a.md": "---\ntitel: x\n---\n" + STORY, "b.md": "---\nsource: Nowhere\n---\n" + OTHER})
    code, lines, _ = check(project, "--format", "json", capsys=capsys)
    data = json.loads("\n".join(lines))
    assert code == 1
    assert {"path": "corpus/articles/a.md", "line": 2, "column": 1, "severity": "error", "code": "unknown-field",
            "message": "unknown front-matter field 'titel' (did you mean 'title'?)"} in data
    assert [(d["path"], d["line"], d["severity"]) for d in data if d["code"] == "source"] == [
        ("corpus/articles/b.md", 2, "warning")]
    assert all(set(d) == {"path", "line", "column", "severity", "code", "message"} for d in data)


def test_github_format_annotates_the_pull_request(make_archive, capsys):
    project = make_archive({"a.md": "---\ndate: 2022-13-45\n---\n" + STORY})
    code, lines, _ = check(project, "--format", "github", capsys=capsys)
    assert code == 1
    assert lines == ["::error file=corpus/articles/a.md,line=2,col=7,title=archive check%3A date::date "
                     "'2022-13-45' is not a valid EDTF date: write 2022-03-04, 2022-03, 2022, 2022? or "
                     "2022-03/2022-05"]


def test_broken_registry_fails_the_check(make_archive, capsys):
    project = make_archive({"a.txt": STORY}, tags="tags:\n  - tag: [unclosed\n")
    code, lines, _ = check(project, capsys=capsys)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith("corpus/tags.yml:3:1: error: invalid YAML")


def test_not_an_archive(tmp_path, capsys):
    assert main(["-C", str(tmp_path), "check"]) == 2
    assert "no corpus/ folder" in capsys.readouterr().err


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


def test_changed_since_checks_only_changed_files_against_the_whole_corpus(make_archive, capsys):
    project = make_archive({
        "old-bad.md": "---\ndate: 2022-13-45\n---\n" + OTHER,     # an old problem: not this change's business
        "old.txt": STORY,
        "edited.txt": "Weather\n\nIt rained all week in the capital and the river rose by two metres.\n",
    })
    root = project.root
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "corpus")
    articles = root / "corpus" / "articles"
    # untracked, its headline differs but its text is an old article's
    (articles / "new-copy.txt").write_text("NATO rules out a no-fly zone\n\n" + STORY, encoding="utf-8")
    (articles / "edited.txt").write_text("---\ntitel: Weather\n---\nIt rained all week.\n", encoding="utf-8")
    code, lines, err = check(project, "--changed-since", "HEAD", capsys=capsys)
    assert code == 1
    assert lines == [
        "corpus/articles/edited.txt:2:1: error: unknown front-matter field 'titel' (did you mean 'title'?)",
        "corpus/articles/new-copy.txt:1:1: error: exact duplicate of corpus/articles/old.txt: the same text after "
        "cleaning; remove one of the two files",
    ]
    assert "2 article files checked (changed since HEAD; 4 in the corpus)" in err
    # only the changed files went through the pipeline (and so through NER)
    report = check_project(project, "HEAD")
    assert sorted(r.path for r in report.records) == ["corpus/articles/edited.txt", "corpus/articles/new-copy.txt"]
    # committed, the same files are no longer "changed"
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "more")
    assert check(project, "--changed-since", "HEAD", capsys=capsys)[:2] == (0, [])
    # from the first commit on, on a branch, only the branch's changes count
    assert check(project, "--changed-since", "HEAD~1", capsys=capsys)[0] == 1


def test_changed_since_an_unknown_revision_or_outside_git(make_archive, capsys):
    project = make_archive({"a.txt": STORY})
    assert main(["-C", str(project.root), "check", "--changed-since", "HEAD"]) == 2
    assert "not in one" in capsys.readouterr().err
    git(project.root, "init", "-q")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "corpus")
    assert main(["-C", str(project.root), "check", "--changed-since", "origin/nope"]) == 2
    assert "origin/nope: no such commit or branch" in capsys.readouterr().err


def test_the_repositorys_own_archive_passes(capsys):
    """What the pull-request workflow runs on this repository."""
    assert main(["-C", str(ROOT), "check"]) == 0


def test_the_workflows_check_pull_requests_and_publish_main():
    import yaml

    workflows = ROOT / ".github" / "workflows"
    pr = yaml.safe_load((workflows / "pull-request.yml").read_text(encoding="utf-8"))
    publish = yaml.safe_load((workflows / "publish.yml").read_text(encoding="utf-8"))
    assert set(pr[True]) == {"pull_request"} and publish[True]["push"]["branches"] == ["main"]
    steps = pr["jobs"]["check"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    python = next(s["with"] for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert python == {"python-version": "3.11", "cache": "pip", "cache-dependency-path": "pyproject.toml"}
    runs = [s.get("run", "") for s in steps]
    assert runs.index("pip install .") < next(i for i, r in enumerate(runs) if r.startswith(
        'archive check --changed-since "origin/$BASE_REF"')) < runs.index("archive build --strict")
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") and s["with"]["path"] == "site/"
               for s in steps)
    deploy = publish["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages" and publish["concurrency"]["group"] == "pages"
    uses = [s.get("uses", "") for s in publish["jobs"]["build"]["steps"] + deploy["steps"]]
    for action in ("actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@"):
        assert any(u.startswith(action) for u in uses)


def test_markdown_summary_shows_what_a_pull_request_will_publish(make_archive, capsys):
    project = make_archive({"old.txt": OTHER}, people=PEOPLE, sources=SOURCES,
                           tags="tags:\n  - tag: NATO\n    phrases: [NATO]\n")
    root = project.root
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "corpus")
    articles = root / "corpus" / "articles"
    (articles / "nato.md").write_text(
        "---\ntitle: NATO rules out a no-fly zone\ndate: 2022-03-04\nsource: Fox News\n---\n"
        "By Marta Keller\n\n" + STORY.replace("The ministers said", "Jens Stoltenberg said"), encoding="utf-8")
    # an untrusted title: a link, an image, HTML, a table cell break, emphasis and a line break
    (articles / "hostile.md").write_text(
        "---\ntitle: \"[click](javascript:alert(1)) <img src=x onerror=alert(1)> | *bold* ![i](http://x/i.png)\"\n"
        "date: 2022-13-45\n---\n" + OTHER.replace("Farmers", "Growers"), encoding="utf-8")
    code = main(["-C", str(root), "check", "--changed-since", "HEAD", "--format", "markdown"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith("## archive check\\: 2 article files checked \\(changed since HEAD\\; 3 in the corpus\\)"
                          "\\: 1 error\\, 1 warning\n")
    assert "old\\.txt" not in out.split("\n- **")[0]         # only what the pull request changes
    section = out.split("### corpus\\/articles\\/nato\\.md\n")[1]
    assert "page articles/nato.html" in section
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    assert rows == [
        "| field | value | where it came from |",
        "| --- | --- | --- |",
        "| title | NATO rules out a no\\-fly zone | front matter: title \\(line 2\\) |",
        "| date | 2022\\-03\\-04 | front matter: date \\(line 3\\) |",
        "| source | Fox News | front matter: source \\(line 4\\) |",
        "| author | Marta Keller | byline: \\'By Marta Keller\\' \\(line 6\\) |",
        "| person | Jens Stoltenberg | people\\.yml: \\'Jens Stoltenberg\\' \\(line 10\\) |",
        "| tags | NATO | tags\\.yml phrases and named entities: NATO\\: tags\\.yml phrase \\'NATO\\' \\(line 8\\) |",
    ]
    assert "No warnings." in section
    # the untrusted title: every punctuation mark escaped, so no link, image, HTML or extra cell
    hostile = out.split("### corpus\\/articles\\/hostile\\.md\n")[1].split("### ")[0]
    title = next(r for r in hostile.splitlines() if r.startswith("| title |"))
    assert title == ("| title | \\[click\\]\\(javascript\\:alert\\(1\\)\\) \\<img src\\=x onerror\\=alert\\(1\\)\\> "
                     "\\| \\*bold\\* \\!\\[i\\]\\(http\\:\\/\\/x\\/i\\.png\\) | front matter: title \\(line 2\\) |")
    # every message about the file, with its severity and line
    assert "- **error** line 3: date \\'2022\\-13\\-45\\' is not a valid EDTF date" in hostile
    assert "- **warning** line 1: near\\-duplicate of corpus\\/articles\\/old\\.txt" in hostile
    assert "- **note** line 1: no date found" in hostile


def test_markdown_escaping_leaves_no_markup():
    from builder.outputs.summary import md

    for text in ("<script>alert(1)</script>", "[a](javascript:x)", "https://evil.example/", "`code`",
                 "# heading", "a | b", "**b**", "line\nbreak\r\n- item", "@someone #12", "&amp;"):
        out = md(text)
        assert "\n" not in out and "\r" not in out
        # no ASCII punctuation left unescaped
        assert not re.search(r"[!-/:-@\[-`{-~]", re.sub(r"\\[!-/:-@\[-`{-~]", "", out)), (text, out)


def test_markdown_summary_of_a_large_change_stays_within_what_github_keeps(make_archive, capsys):
    from builder.outputs.summary import markdown_summary

    project = make_archive({f"a{n:03}.txt": OTHER.replace("Farmers", f"Farmers of district {n}") for n in range(3)})
    report = check_project(project)
    text = markdown_summary(report.records, report.files, report.messages, "headline", max_files=2)
    assert text.count("\n### corpus") == 2 and "a002" not in text
    assert "… and 1 more files: `archive check --format markdown` shows them all." in text
