"""A build whose inputs are all as the last successful build's leaves the site alone and repeats
its report; any change to an input, or to the site on disk, means a full build."""

from __future__ import annotations

import json
import os

import pytest

from builder.mkdocs.publish import build
from builder.mkdocs.unchanged import RECORD

STORY = """Brussels, 5 March 2022. NATO foreign ministers met again on Saturday, and Jens Stoltenberg
said the alliance would not impose a no-fly zone over Ukraine.

"We are not part of this conflict," Stoltenberg told reporters after the meeting.
"""


@pytest.fixture
def built(make_archive):
    project = make_archive({"a.txt": STORY, "b.txt": "undated text with no people\n"})
    first = build(project)
    assert not first.unchanged
    return project


def inodes(site) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*")}


def test_nothing_changed_leaves_the_site_as_it_is_and_repeats_the_report(built):
    before = inodes(built.site)
    again = build(built)
    assert again.unchanged
    assert inodes(built.site) == before                         # not one file written again
    report = json.loads((built.site / "build-report.json").read_text(encoding="utf-8"))
    assert [f.path for f in again.result.files] == [f["path"] for f in report["files"]]
    assert [m.format() for m in again.result.all_messages] != []   # the warnings are said again
    assert sum(f.status == "page" for f in again.result.files) == report["summary"]["pages"]


def test_force_builds_even_when_nothing_changed(built):
    assert not build(built, force=True).unchanged


@pytest.mark.parametrize("change", ["article", "new article", "registry", "docs", "mkdocs.yml", "theme override",
                                    "site file", "site file removed", "strict"])
def test_a_changed_input_or_site_means_a_full_build(built, change):
    root = built.root
    strict = False
    if change == "article":
        (root / "corpus/articles/b.txt").write_text("undated text with no people, edited\n", encoding="utf-8")
    elif change == "new article":
        (root / "corpus/articles/c.txt").write_text(STORY.replace("Saturday", "Sunday"), encoding="utf-8")
    elif change == "registry":
        (root / "corpus/tags.yml").write_text("tags:\n  - name: NATO\n", encoding="utf-8")
    elif change == "docs":
        (root / "docs/about.md").write_text("# About\n\nA page.\n", encoding="utf-8")
    elif change == "mkdocs.yml":
        yml = root / "mkdocs.yml"
        lines = yml.read_text(encoding="utf-8").splitlines()
        yml.write_text("\n".join("site_name: Renamed" if line.startswith("site_name:") else line for line in lines)
                       + "\n", encoding="utf-8")
    elif change == "theme override":           # a local folder the plugin adds to the theme when it finds one
        partial = root / "theme_overrides/partials/archive-record.html"
        partial.parent.mkdir(parents=True)
        partial.write_text("<p>Our own record block</p>\n", encoding="utf-8")
    elif change == "site file":
        page = built.site / "index.html"
        data = page.read_bytes()
        page.write_bytes(data.replace(b"<title>", b"<title>X", 1)[:len(data)])   # same size, new bytes
    elif change == "site file removed":
        (built.site / "index.html").unlink()
    elif change == "strict":
        strict = True
    try:
        outcome = build(built, strict=strict)
    except Exception:           # a strict build may fail on the archive's warnings: it was a full build
        assert strict
        return
    assert not outcome.unchanged
    assert (built.site / "index.html").is_file()


def test_a_changed_site_address_in_the_environment_means_a_full_build(built, monkeypatch):
    yml = built.root / "mkdocs.yml"
    text = yml.read_text(encoding="utf-8")
    yml.write_text("\n".join(line for line in text.splitlines() if not line.startswith("site_url"))
                   + "\nsite_url: !ENV [TEST_SITE_URL, 'https://example.org/a/']\n", encoding="utf-8")
    assert not build(built).unchanged
    assert build(built).unchanged
    monkeypatch.setenv("TEST_SITE_URL", "https://example.org/b/")
    assert not build(built).unchanged


def test_a_record_not_written_by_this_machine_shortcuts_nothing(built, monkeypatch):
    record = built.root / RECORD
    stored = json.loads(record.read_text(encoding="utf-8"))
    stored["mac"] = "0" * 64
    record.write_text(json.dumps(stored), encoding="utf-8")
    assert not build(built).unchanged
    monkeypatch.setenv("ARCHIVE_REUSE_SECRET", "another machine's key, long enough to be one")
    assert not build(built).unchanged               # written with this machine's key, read with another


def test_a_symbolic_link_in_the_corpus_means_a_full_build_every_time(built):
    os.symlink(built.root / "corpus/articles/a.txt", built.root / "corpus/articles/link.txt")
    assert not build(built).unchanged
    assert not build(built).unchanged


def test_the_command_says_nothing_changed(built, capsys):
    from builder.commands.cli import main

    assert main(["-C", str(built.root), "build"]) == 0
    err = capsys.readouterr().err
    assert "nothing changed since the last build" in err
    assert "2 articles built" in err


def test_the_package_guide_is_not_an_input_but_code_and_data_are(tmp_path):
    """Editing the maintainer's guide (builder/README.md) rebuilds nothing; any other file of the package does."""
    import hashlib

    from builder.mkdocs import reuse

    (tmp_path / "data").mkdir()
    for rel, text in {"README.md": "guide", "code.py": "x = 1", "data/README.md": "list notes"}.items():
        (tmp_path / rel).write_text(text, encoding="utf-8")

    def digest() -> str:
        h = hashlib.sha256()
        reuse._hash_tree(h, tmp_path, reuse.PACKAGE_DOCS)
        return h.hexdigest()

    before = digest()
    (tmp_path / "README.md").write_text("guide, edited", encoding="utf-8")
    assert digest() == before
    (tmp_path / "data" / "README.md").write_text("list notes, edited", encoding="utf-8")
    after_data = digest()
    assert after_data != before
    (tmp_path / "code.py").write_text("x = 2", encoding="utf-8")
    assert digest() != after_data
