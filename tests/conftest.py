"""Shared fixtures: throw-away archives in tmp folders, and one built seed site per session."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from builder.pipeline import Project
from builder.commands.scaffold import new_archive

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "articles"


@pytest.fixture
def make_archive(tmp_path):
    """make_archive({"a.txt": "text" or b"bytes"}, people="people: [...]", ...) -> Project in tmp."""
    counter = {"n": 0}

    def make(articles: dict[str, str | bytes] | None = None, *, people: str | None = None,
             tags: str | None = None, sources: str | None = None, name: str | None = None) -> Project:
        counter["n"] += 1
        root = tmp_path / (name or f"archive{counter['n']}")
        # a pinned address rather than a wheel of the tools in each throw-away archive (0.6 MB each)
        new_archive(root, site_name="Test archive", tool_source="git+https://example.org/news-archive-builder@v0")
        for rel, content in (articles or {}).items():
            path = root / "corpus" / "articles" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        for filename, text in (("people.yml", people), ("tags.yml", tags), ("sources.yml", sources)):
            if text is not None:
                (root / "corpus" / filename).write_text(text, encoding="utf-8")
        return Project(root)

    return make


def copy_repo_archive(dest: Path) -> Project:
    """A copy of this repository's own archive (seed corpus, registries, docs, theme) in ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml",):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("corpus", "theme_overrides"):
        shutil.copytree(ROOT / name, dest / name)
    (dest / "docs").mkdir()
    for page in sorted((ROOT / "docs").glob("*.md")):      # the hand-written pages
        shutil.copy2(page, dest / "docs" / page.name)
    return Project(dest)


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory):
    """The seed archive built once into a temporary folder: (project, site path, build outcome)."""
    from builder.mkdocs.publish import build

    project = copy_repo_archive(tmp_path_factory.mktemp("seed") / "archive")
    outcome = build(project, strict=True)
    return project, outcome.site, outcome


def stop_process(proc: subprocess.Popen) -> None:
    """End a server a test started: politely, then for good (a test never leaves one running)."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=20)
