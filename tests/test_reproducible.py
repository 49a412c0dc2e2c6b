"""Atomic, reproducible builds.

* A failed build (broken mkdocs.yml, unknown theme, --strict with a warning, a crash, Ctrl-C)
  leaves the previous site/ byte for byte as it was, and no temporary folder behind.
* Building the same corpus again, from another folder, with other file times or another
  Python hash seed, gives a byte-identical site/ (every file, sitemap.xml.gz and the search
  index included): no timestamps, no random ids, no set-order leaks.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from builder.mkdocs.plugin import GZIP_MAX_EPOCH, build_epoch
from builder.pipeline import Project
from builder.mkdocs.publish import BuildFailed, build

from conftest import ROOT, copy_repo_archive

LABELLED = ROOT / "tests" / "labelled" / "corpus" / "articles"
EXTRA = ["case_03_kremlin_oil_cap.html", "case_20_anniversary_frontmatter.md", "case_26_antalya_kuleba_crlf.txt",
         "case_27_vilnius_summit_bom.txt", "case_15_kyiv_strikes_duplicate_caption.txt"]


def make_project(dest: Path) -> Project:
    """The repository's seed archive, a few odd labelled cases and some refused files, with a
    site_url so that sitemap.xml carries dates."""
    project = copy_repo_archive(dest)
    for name in EXTRA:
        shutil.copy(LABELLED / name, project.articles / name)
    (project.articles / "empty.txt").write_bytes(b"")
    (project.articles / "scan.pdf").write_bytes(b"%PDF-1.4")
    (project.articles / "Zürich.txt").write_text("Zurich, 5 March 2022. Swiss officials met NATO envoys.\n")
    yml = project.mkdocs_yml.read_text(encoding="utf-8")
    project.mkdocs_yml.write_text(yml.replace("site_name:", "site_url: https://archive.example.org/\nsite_name:", 1),
                                  encoding="utf-8")
    return project


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_tree(a: dict[str, bytes], b: dict[str, bytes]) -> None:
    assert sorted(a) == sorted(b), set(a) ^ set(b)
    different = [name for name in a if a[name] != b[name]]
    if different:
        name = different[0]
        x, y = a[name], b[name]
        at = next((i for i in range(min(len(x), len(y))) if x[i] != y[i]), min(len(x), len(y)))
        raise AssertionError(f"{len(different)} files differ, first {name} at byte {at}: "
                             f"{x[max(at - 60, 0):at + 60]!r} != {y[max(at - 60, 0):at + 60]!r}")


def leftovers(project: Project, wait: float = 30.0) -> list[str]:
    """The temporary folders left beside the site, once the replaced site's removal (a detached
    process, off the build's critical path) has had ``wait`` seconds to finish."""
    import time

    deadline = time.monotonic() + wait
    while True:
        found = sorted(p.name for p in project.root.iterdir() if p.name.startswith(f".{project.site.name}-"))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The reference build: (project, snapshot of its site)."""
    project = make_project(tmp_path_factory.mktemp("reference") / "archive")
    outcome = build(project)
    assert outcome.result.records
    return project, snapshot(outcome.site)


def test_the_reference_site_is_complete(reference):
    project, files = reference
    for name in ("index.html", "sitemap.xml", "sitemap.xml.gz", "assets/archive-search/manifest.js",
                 "assets/archive-search/facets.js", "build-report.json", "report/index.html"):
        assert name in files, name
    assert b"<lastmod>" in files["sitemap.xml"]
    assert not leftovers(project)


def test_no_build_time_or_today_in_the_site(reference):
    _, files = reference
    today = dt.date.today()
    stamps = {today.isoformat(), today.strftime("%d %B %Y").lstrip("0"), today.strftime("%B %d, %Y")}
    for name, data in files.items():
        text = gzip.decompress(data) if name.endswith(".gz") else data
        for stamp in stamps:
            assert stamp.encode() not in text, (name, stamp)
    # the gzip header carries the pinned date: the newest article's day
    (mtime,) = struct.unpack("<I", files["sitemap.xml.gz"][4:8])
    lastmods = sorted(set(__import__("re").findall(rb"<lastmod>([0-9-]+)</lastmod>", files["sitemap.xml"])))
    assert lastmods and dt.datetime.fromtimestamp(mtime, dt.timezone.utc).date().isoformat() == lastmods[-1].decode()


def test_rebuilding_in_place_gives_identical_bytes(reference, tmp_path):
    project, files = reference
    outcome = build(project)                  # docs/ and site/ already exist from the first build
    assert_same_tree(files, snapshot(outcome.site))


def test_another_folder_and_other_file_times_give_identical_bytes(reference, tmp_path):
    project, files = reference
    other = Project(tmp_path / "somewhere" / "else" / "copy")
    shutil.copytree(project.root, other.root, symlinks=True,
                    ignore=shutil.ignore_patterns("site", ".cache"))     # extracted again from scratch
    for i, path in enumerate(sorted(other.root.rglob("*"))):
        os.utime(path, (1_000_000_000 + 7919 * i, 1_500_000_000 - 104_729 * i), follow_symlinks=False)
    outcome = build(other)
    assert_same_tree(files, snapshot(outcome.site))


@pytest.mark.slow
def test_another_process_and_hash_seed_give_identical_bytes(reference, tmp_path):
    project, files = reference
    other = tmp_path / "seeded"
    shutil.copytree(project.root, other, symlinks=True, ignore=shutil.ignore_patterns("site"))
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    env.pop("SOURCE_DATE_EPOCH", None)
    run = subprocess.run([sys.executable, "-m", "builder", "-C", str(other), "build"], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert_same_tree(files, snapshot(other / "site"))


# ----------------------------------------------------------------------------------------
# atomic: a failed build changes nothing
# ----------------------------------------------------------------------------------------

@pytest.fixture
def built(make_archive):
    """A small archive with a good site/ already built: (project, snapshot of site/)."""
    project = make_archive({"a.txt": "Kyiv, 4 March 2022. NATO leaders refused a no-fly zone over Ukraine.\n"})
    build(project)
    return project, snapshot(project.site)


def assert_untouched(project: Project, before: dict[str, bytes]) -> None:
    assert_same_tree(before, snapshot(project.site))
    assert not leftovers(project), leftovers(project)
    assert "SOURCE_DATE_EPOCH" not in os.environ


@pytest.mark.parametrize("config, words", [
    ("site_name: [unclosed\n", "error parsing the configuration file"),
    ("site_name: x\ntheme:\n  name: no_such_theme\n", "no_such_theme"),
    ("site_name: x\nplugins:\n  - search\n", "'archive' plugin is not enabled"),
    ("site_name: x\nplugins:\n  - archive\n  - no_such_plugin\n", "no_such_plugin"),
])
def test_a_broken_mkdocs_yml_leaves_the_previous_site(built, config, words):
    project, before = built
    project.mkdocs_yml.write_text(config, encoding="utf-8")
    with pytest.raises(BuildFailed) as caught:
        build(project)
    assert words in str(caught.value)
    assert_untouched(project, before)


def test_strict_fails_on_an_article_error_and_leaves_the_previous_site(built):
    project, before = built
    (project.articles / "empty.txt").write_bytes(b"")
    with pytest.raises(BuildFailed, match="strict"):
        build(project, strict=True)
    assert_untouched(project, before)
    outcome = build(project)                             # without --strict the same corpus builds
    assert {f.path: f.status for f in outcome.result.files}["corpus/articles/empty.txt"] == "error"


def test_strict_fails_on_a_broken_link_in_a_page_and_leaves_the_previous_site(built):
    project, before = built
    (project.docs / "about.md").write_text("# About\n\nSee [the missing page](missing.md).\n", encoding="utf-8")
    with pytest.raises(BuildFailed, match="strict"):
        build(project, strict=True)
    assert_untouched(project, before)


def test_the_cli_reports_a_failed_build(built, capsys):
    from builder.commands.cli import main

    project, before = built
    project.mkdocs_yml.write_text("site_name: x\ntheme:\n  name: no_such_theme\n", encoding="utf-8")
    assert main(["-C", str(project.root), "build"]) == 1
    assert "build failed" in capsys.readouterr().err
    assert_untouched(project, before)


@pytest.mark.parametrize("exc", [RuntimeError("disk on fire"), KeyboardInterrupt()])
def test_a_crash_or_ctrl_c_during_the_build_leaves_the_previous_site(built, monkeypatch, exc):
    import mkdocs.commands.build as mkbuild

    project, before = built
    real = mkbuild.build

    def crash(config, **kwargs):
        real(config, **kwargs)                           # the temporary site is fully written ...
        raise exc                                        # ... then the build dies

    monkeypatch.setattr(mkbuild, "build", crash)
    with pytest.raises(type(exc)):
        build(project, force=True)
    assert_untouched(project, before)


def test_a_crash_inside_the_archive_plugin_does_not_leak_the_pinned_date(built, monkeypatch):
    import builder.outputs.pageplan

    project, before = built

    def boom(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(builder.outputs.pageplan, "pages", boom)
    with pytest.raises(RuntimeError):
        build(project, force=True)
    assert_untouched(project, before)


def test_a_successful_build_replaces_the_site_and_keeps_it_readable(built):
    project, before = built
    (project.articles / "b.txt").write_text("Kyiv, 5 March 2022. A second article about the no-fly zone.\n")
    build(project)
    after = snapshot(project.site)
    assert "articles/b.html" in after and "articles/b.html" not in before
    assert project.site.stat().st_mode & 0o755 == 0o755
    assert not leftovers(project)


# ----------------------------------------------------------------------------------------
# the pinned build date
# ----------------------------------------------------------------------------------------

class _R:
    def __init__(self, date):
        self.date = type("F", (), {"value": date})()


@pytest.mark.parametrize("dates, expected", [
    ([], 0),
    ([None], 0),
    (["2022-03-04", "2022-12", "2021"], int(dt.datetime(2022, 12, 1, tzinfo=dt.timezone.utc).timestamp())),
    (["202X", "2022-XX", "[2022-01,2022-02]", "Y170000002"], int(dt.datetime(2022, 1, 1,
                                                                               tzinfo=dt.timezone.utc).timestamp())),
    (["1918-11-11"], 0),                                  # before 1970: clamped, gzip cannot store it
    (["0000"], 0),
    (["2999-01-01"], GZIP_MAX_EPOCH),                     # after 2106: clamped
    (["-0100"], 0),
])
def test_the_build_date_never_fails(dates, expected):
    assert build_epoch([_R(d) for d in dates]) == expected


def test_archives_of_old_or_partly_unknown_dates_build(make_archive):
    project = make_archive({
        "armistice.md": "---\ndate: 1918-11-11\n---\n\nParis. The armistice was signed this morning.\n",
        "sometime.md": "---\ndate: 202X\n---\n\nKyiv. NATO leaders met at some point in the 2020s.\n",
    })
    outcome = build(project)
    assert {f.status for f in outcome.result.files} == {"page"}
    assert "SOURCE_DATE_EPOCH" not in os.environ
