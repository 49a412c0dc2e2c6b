"""A rebuild reuses the HTML of generated pages whose inputs are unchanged, and the site it
writes is byte-identical to a full build of the same archive."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from builder.mkdocs.publish import build

from conftest import SEEDS, copy_repo_archive

pytestmark = pytest.mark.slow

NEW = """Brussels, 5 March 2022. NATO foreign ministers met again on Saturday, and Jens Stoltenberg
said the alliance would not impose a no-fly zone over Ukraine.

"We are not part of this conflict," Stoltenberg told reporters after the meeting.
"""


def archive_search(project) -> None:
    """Say so explicitly: the archive's own search (the default), which reads no page's HTML."""
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("  - archive\n", "  - archive:\n      search: archive\n"),
                   encoding="utf-8")


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def reused(project) -> int:
    manifest = json.loads((project.root / ".cache" / "pages" / "build" / "manifest.json").read_text(encoding="utf-8"))
    return len(manifest["pages"])


def same_site(a: Path, b: Path) -> None:
    fa, fb = site_files(a), site_files(b)
    assert sorted(fa) == sorted(fb)
    differ = [rel for rel in fa if fa[rel] != fb[rel]]
    assert differ == []


@pytest.fixture
def archive(tmp_path):
    project = copy_repo_archive(tmp_path / "archive")
    archive_search(project)
    return project


def test_a_rebuild_after_adding_an_article_reuses_unchanged_pages_and_matches_a_full_build(archive, tmp_path, caplog):
    caplog.set_level("INFO", logger="mkdocs.plugins.archive")
    build(archive)
    assert "unchanged since the last build" not in caplog.text          # nothing to reuse the first time
    caplog.clear()
    build(archive, force=True)                                          # nothing changed: everything reused
    line = [r.getMessage() for r in caplog.records if "unchanged since the last build" in r.getMessage()][0]
    done, total = (int(x) for x in line.split()[1:4:2])
    assert done == total > 20, line

    (archive.root / "corpus" / "articles" / "005_brussels.txt").write_text(NEW, encoding="utf-8")
    caplog.clear()
    build(archive)
    line = [r.getMessage() for r in caplog.records if "unchanged since the last build" in r.getMessage()][0]
    done, total = (int(x) for x in line.split()[1:4:2])
    assert 0 < done < total - 3, line           # the new page, Stoltenberg's, the indexes: built again

    fresh = copy_repo_archive(tmp_path / "fresh")
    archive_search(fresh)
    shutil.copy2(archive.root / "corpus" / "articles" / "005_brussels.txt", fresh.root / "corpus" / "articles")
    build(fresh)
    same_site(archive.site, fresh.site)


def test_a_page_edited_in_the_site_by_hand_is_built_again(archive):
    build(archive)
    page = archive.site / "articles" / f"{sorted(SEEDS.glob('000_*'))[0].stem}.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"</body>", b"<script>alert(1)</script></body>"))
    build(archive)
    assert page.read_bytes() == original


def test_a_theme_or_configuration_change_rebuilds_every_page(archive, caplog):
    build(archive)
    css = archive.root / "mkdocs.yml"
    css.write_text(css.read_text(encoding="utf-8").replace('site_name: "', 'site_name: "Renamed: '), encoding="utf-8")
    caplog.set_level("INFO", logger="mkdocs.plugins.archive")
    build(archive)
    line = [r.getMessage() for r in caplog.records if "unchanged since the last build" in r.getMessage()][0]
    assert line.split()[1] == "0", line
    assert "Renamed: " in (archive.site / "people" / "index.html").read_text(encoding="utf-8")


def test_material_search_turns_reuse_off(tmp_path, caplog):
    project = copy_repo_archive(tmp_path / "small")
    yml = project.root / "mkdocs.yml"                         # asked for: Material's search indexes pages' HTML
    yml.write_text(yml.read_text(encoding="utf-8").replace("  - archive\n", "  - archive:\n      search: material\n"),
                   encoding="utf-8")
    caplog.set_level("INFO", logger="mkdocs.plugins.archive")
    build(project)
    build(project)
    assert "unchanged since the last build" not in caplog.text
    assert not (project.root / ".cache" / "pages").exists()


def test_a_page_that_logged_a_warning_is_not_recorded_for_reuse(tmp_path):
    import logging
    from types import SimpleNamespace

    from builder.mkdocs import reuse
    from builder.mkdocs.plugin import _PageWarnings

    plan = reuse.Plan(None, tmp_path)
    plan.keys = {"people/a.md": "k1", "people/b.md": "k2", "tags/c.md": "k3"}
    for rel in plan.keys:
        plan.record(rel, f"<html>{rel}</html>")
    config = SimpleNamespace(_current_page=SimpleNamespace(file=SimpleNamespace(src_uri="people/a.md")))
    handler = _PageWarnings(config, plan.warned)
    logger = logging.getLogger("mkdocs.test-reuse")
    logger.addHandler(handler)
    try:
        logger.warning("a link that does not resolve")                     # while people/a.md is built
        config._current_page = None
        logger.warning("Doc file 'tags/c.md' contains a link 'x.md#y', but there is no such anchor on this page.")
        logger.info("Doc file 'people/b.md' is fine")                      # not a warning
    finally:
        logger.removeHandler(handler)
    plan.save()
    import json
    saved = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["pages"]
    assert sorted(saved) == ["people/b.md"]


def test_serve_rebuilds_after_a_save_reusing_the_unchanged_pages(archive):
    import re
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = archive.root.parent / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "builder", "-C", str(archive.root), "serve", "-v",
                                   "-a", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT)
    try:
        def wait_for(pattern: str, count: int = 1, timeout: float = 120) -> None:
            end = time.time() + timeout
            while time.time() < end:
                if len(re.findall(pattern, log.read_text(encoding="utf-8"))) >= count:
                    return
                assert server.poll() is None, log.read_text(encoding="utf-8")
                time.sleep(0.3)
            raise AssertionError(f"no {pattern!r} in:\n{log.read_text(encoding='utf-8')}")

        wait_for(r"Serving on")
        (archive.root / "corpus" / "articles" / "005_brussels.txt").write_text(NEW, encoding="utf-8")
        wait_for(r"generated pages unchanged since the last build")
        wait_for(r"Documentation built in|Serving on", count=2)
        line = re.search(r"(\d+) of (\d+) generated pages unchanged", log.read_text(encoding="utf-8"))
        assert 0 < int(line.group(1)) < int(line.group(2)), line.group(0)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/articles/005_brussels.html", timeout=10).read()
        assert b"Brussels, 5 March 2022" in page
        old = urllib.request.urlopen(f"http://127.0.0.1:{port}/articles/004_80bdbfd9fb277ead.html", timeout=10).read()
        assert b"</html>" in old
    finally:
        server.terminate()
        server.wait(timeout=30)
    import tempfile
    assert not list(Path(tempfile.gettempdir()).glob("mkdocs_*-previous-*"))    # the set-aside copy is gone


def test_pages_kept_on_disk_between_conversion_and_templates_give_the_same_site(archive, tmp_path, monkeypatch):
    import tempfile

    import builder.mkdocs.plugin as plugin

    spools = set(Path(tempfile.gettempdir()).glob("archive-pages-*.spool"))
    build(archive)
    assert set(Path(tempfile.gettempdir()).glob("archive-pages-*.spool")) == spools    # removed after use
    monkeypatch.setattr(plugin, "SPOOL", False)
    plain = copy_repo_archive(tmp_path / "plain")
    archive_search(plain)
    build(plain)
    same_site(archive.site, plain.site)


def test_unchanged_pages_are_copied_not_built_and_the_site_with_its_sitemap_matches_a_full_build(
        archive, tmp_path, monkeypatch):
    """Reused pages that are neither in the navigation nor index pages are not handed to MkDocs as
    pages at all: the previous site's file is linked into the new one (same inode), MkDocs builds
    only the other pages, and sitemap.xml still lists every page."""
    monkeypatch.setenv("ARCHIVE_SITE_URL", "https://example.org/a/")
    totals: dict[str, int] = {}

    def progress(stage, done, total, cached=0):
        totals[stage] = total

    build(archive, progress=progress)
    built_first = totals["mkdocs"]
    unchanged = archive.site / "articles" / f"{sorted(SEEDS.glob('000_*'))[0].stem}.html"
    inode = unchanged.stat().st_ino
    (archive.root / "corpus" / "articles" / "005_brussels.txt").write_text(NEW, encoding="utf-8")
    build(archive, progress=progress)
    assert unchanged.stat().st_ino == inode                          # linked from the previous site
    assert 0 < totals["mkdocs"] < built_first // 2, totals            # MkDocs built few pages
    assert b"articles/005_brussels.html" in (archive.site / "sitemap.xml").read_bytes()

    fresh = copy_repo_archive(tmp_path / "fresh")
    archive_search(fresh)
    shutil.copy2(archive.root / "corpus" / "articles" / "005_brussels.txt", fresh.root / "corpus" / "articles")
    build(fresh)
    assert unchanged.name.encode() in (fresh.site / "sitemap.xml").read_bytes()
    same_site(archive.site, fresh.site)


def test_pages_in_the_navigation_index_pages_and_sites_without_a_nav_are_never_copied(tmp_path):
    from types import SimpleNamespace

    from builder.mkdocs import reuse

    plan = reuse.Plan(tmp_path / "site", tmp_path)
    plan.reused = {rel: rel.replace(".md", ".html") for rel in
                   ("index.md", "people/index.md", "people/a.md", "tags/b.md", "data.md", "articles/c.md")}

    def config(nav, **more):
        return SimpleNamespace(nav=nav, get=lambda key: more.get(key))

    nav = [{"Home": "index.md"}, {"More": [{"Tags": "./tags/b.md"}, "data.md"]}]
    assert reuse.nav_paths(nav) == {"index.md", "tags/b.md", "data.md"}
    assert reuse.copyable(config(nav), plan) == ["articles/c.md", "people/a.md"]
    assert reuse.copyable(config(None), plan) == []                       # MkDocs lists every page
    assert reuse.copyable(config(nav, draft_docs="x"), plan) == []        # serve marks drafts in their HTML
    assert reuse.copyable(config(nav), reuse.Plan(None, tmp_path)) == []  # no previous site
