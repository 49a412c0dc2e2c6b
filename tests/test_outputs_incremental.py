"""The output steps after a change: what ``.cache/outputs/`` keeps (``builder/outputs/memo.py``)
saves work, never bytes. A build after an article was added, edited or removed writes the feeds,
data files, search index and site zip exactly as a cold build of the same corpus in a fresh
folder does; a damaged, foreign or missing state only means everything is made again."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import copy_repo_archive

from builder.mkdocs.publish import build
from builder.pipeline import Project
from builder.outputs import export, feeds, memo

OUTPUTS = ("feeds", "data", "assets/archive-search")

ADDED = """---
title: Ministers agree on a grain corridor
date: '2021-06-15'
source: Reuters
tags: [grain, shipping]
---
Ankara, 15 June 2021. Jens Stoltenberg and the ministers agreed on a corridor for grain ships.

"The corridor opens next week," Stoltenberg said after the talks in Ankara.
"""


@pytest.fixture
def secret(monkeypatch):
    monkeypatch.setenv("ARCHIVE_REUSE_SECRET", "a key for these tests, long enough to be one")


def _archive(folder: Path):
    """The repository's seed archive (five articles) in ``folder``."""
    return copy_repo_archive(folder)


def _outputs(site: Path) -> dict[str, str]:
    """Every output file of the steps, by path: the digest of its bytes."""
    out = {}
    for top in OUTPUTS:
        for path in sorted((site / top).rglob("*")):
            if path.is_file():
                out[path.relative_to(site).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _change(root: Path, change: str) -> None:
    articles = sorted((root / "corpus" / "articles").iterdir())
    if change in ("add", "all"):
        (root / "corpus" / "articles" / "zz-added.md").write_text(ADDED, encoding="utf-8")
    if change in ("edit", "all"):
        text = articles[3].read_text(encoding="utf-8")
        articles[3].write_text(text.replace("the", "THE", 3) + "\nA late paragraph about Kyiv.\n", encoding="utf-8")
    if change in ("remove", "all"):
        articles[1].unlink()


def _cold(tmp_path: Path, changed: Path) -> dict[str, str]:
    """The outputs of the corpus of ``changed`` built in a fresh folder with no cache."""
    fresh = _archive(tmp_path / "fresh")
    shutil.rmtree(fresh.root / "corpus")
    shutil.copytree(changed / "corpus", fresh.root / "corpus")
    return _outputs(build(fresh).site)


@pytest.mark.parametrize("change", ["add", "edit", "remove", "all"])
def test_a_rebuild_after_a_change_writes_what_a_cold_build_writes(tmp_path, secret, change):
    project = _archive(tmp_path / "kept")
    first = build(project)
    assert (project.root / ".cache" / memo.FOLDER / "feeds.json").is_file()
    before = _feeds(first.site)
    _change(project.root, change)
    again = build(project)
    got = _outputs(again.site)
    assert got == _cold(tmp_path, project.root)
    after = _feeds(again.site)
    same = [rel for rel, (_, digest) in after.items() if rel in before and before[rel][1] == digest]
    assert same and all(after[rel][0] == before[rel][0] for rel in same)   # linked, not written again


def _feeds(site: Path) -> dict[str, tuple[int, str]]:
    """Each feed's inode and digest, by path."""
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in (site / "feeds").rglob("*.xml")}


def test_unchanged_articles_and_feeds_are_not_made_again(tmp_path, secret, monkeypatch):
    project = _archive(tmp_path / "kept")
    build(project)
    _change(project.root, "add")
    made_rows, made_feeds = [], []
    row, atom = export.article_row, feeds.atom
    monkeypatch.setattr(export, "article_row", lambda r, s: made_rows.append(r.id) or row(r, s))
    monkeypatch.setattr(feeds, "atom", lambda feed, *a, **k: made_feeds.append(feed.path) or atom(feed, *a, **k))
    again = build(project)
    assert len(made_rows) == 1                                  # the added article's row only
    assert "feeds/latest.xml" in made_feeds
    assert 0 < len(made_feeds) < len(list((again.site / "feeds").rglob("*.xml"))) // 2


@pytest.mark.parametrize("damage", ["garbage", "empty", "resigned", "removed"])
def test_a_damaged_or_foreign_state_means_a_full_computation(tmp_path, secret, monkeypatch, damage):
    project = _archive(tmp_path / "kept")
    build(project)
    for path in (project.root / ".cache" / memo.FOLDER).glob("*.json"):
        data = path.read_bytes()
        if damage == "garbage":
            path.write_bytes(data[: len(data) // 2] + b"{]" + data[len(data) // 2 + 2:])
        elif damage == "empty":
            path.write_bytes(b"")
        elif damage == "resigned":      # a valid state written with another key: not trusted
            monkeypatch.setenv("ARCHIVE_REUSE_SECRET", "someone else's key, long enough to be one")
            memo.save(path, b"someone else's key", "x", {"rows": {}, "feeds": {}})
            monkeypatch.setenv("ARCHIVE_REUSE_SECRET", "a key for these tests, long enough to be one")
        else:
            path.unlink()
    _change(project.root, "all")
    made_rows = []
    row = export.article_row
    monkeypatch.setattr(export, "article_row", lambda r, s: made_rows.append(r.id) or row(r, s))
    got = _outputs(build(project).site)
    assert len(made_rows) == len(list((project.root / "corpus" / "articles").iterdir()))   # every row made again
    monkeypatch.setattr(export, "article_row", row)
    assert got == _cold(tmp_path, project.root)


def test_a_moved_archive_keeps_its_state(tmp_path, secret, monkeypatch):
    project = _archive(tmp_path / "here")
    build(project)
    moved = tmp_path / "elsewhere" / "archive"
    moved.parent.mkdir()
    shutil.copytree(project.root, moved, symlinks=True)
    _change(moved, "add")
    made_rows = []
    row = export.article_row
    monkeypatch.setattr(export, "article_row", lambda r, s: made_rows.append(r.id) or row(r, s))
    got = _outputs(build(Project(moved)).site)
    assert len(made_rows) == 1
    monkeypatch.setattr(export, "article_row", row)
    assert got == _cold(tmp_path, moved)


def test_a_state_is_read_only_with_its_key_and_version(tmp_path):
    path = tmp_path / "state.json"
    memo.save(path, b"k" * 32, "v1", {"a": [1, "two"]})
    assert memo.load(path, b"k" * 32, "v1") == {"a": [1, "two"]}
    assert memo.load(path, b"x" * 32, "v1") is None
    assert memo.load(path, b"k" * 32, "v2") is None
    assert memo.load(path, None, "v1") is None
    path.write_bytes(path.read_bytes().replace(b"two", b"TWO"))
    assert memo.load(path, b"k" * 32, "v1") is None


def test_a_changed_file_of_the_previous_site_is_not_taken_back(tmp_path, secret):
    """The state vouches for the previous site's files only as the last build wrote them: a data
    file, a feed or a search file written into since is made again, not linked or sliced."""
    project = _archive(tmp_path / "kept")
    first = build(project)
    for rel in ("data/articles.jsonl", "feeds/latest.xml", "assets/archive-search/d/0.js",
                "assets/archive-search/manifest.js"):
        path = first.site / rel
        data = path.read_bytes()
        with open(path, "r+b") as file:                # in place: same file, same size, other bytes
            file.write(data[:10].replace(b"a", b"b").replace(b"_", b"-").replace(b"<", b"[")
                       .replace(b"{", b"[") or b"x")
    _change(project.root, "add")
    got = _outputs(build(project).site)
    assert got == _cold(tmp_path, project.root)


def test_a_state_folder_that_cannot_be_written_only_means_nothing_is_kept(tmp_path, secret):
    """A cache that cannot be written (here a file where the state's folder goes) never stops a
    build: the outputs are those of a cold build, and nothing is kept."""
    project = _archive(tmp_path / "kept")
    (project.root / ".cache").mkdir()
    for folder in (memo.FOLDER, "search"):
        (project.root / ".cache" / folder).write_text("not a folder", encoding="utf-8")
    got = _outputs(build(project).site)
    for folder in (memo.FOLDER, "search"):
        assert (project.root / ".cache" / folder).read_text(encoding="utf-8") == "not a folder"
    assert got == _cold(tmp_path, project.root)
