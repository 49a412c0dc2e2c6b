"""The ``archive`` command as a user runs it: build, inspect, new, -C, serve."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from builder.commands.cli import main
from conftest import ROOT, copy_repo_archive, stop_process

SEED_004 = ROOT / "corpus" / "articles" / "004_80bdbfd9fb277ead.txt"
SUMMARY = re.compile(r"^archive: (\d+) articles? built, (\d+) files? with errors, (\d+) warnings?; "
                     r"site in (\S+)/ \(report: build-report\.json\)$", re.M)

ARTICLE = """\
Published March 9, 2022

NATO Secretary General Jens Stoltenberg said on Wednesday that the alliance would not send fighter jets
to patrol the skies over Ukraine.

Ukraine's foreign minister Dmytro Kuleba said the refusal left cities exposed to Russian air strikes.
"""


def summary(stderr: str) -> tuple[int, int, int, str]:
    m = SUMMARY.search(stderr)
    assert m, f"no summary line in:\n{stderr}"
    return int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4)


# ---------------------------------------------------------------------------------------
# build
# ---------------------------------------------------------------------------------------

@pytest.mark.slow
def test_build_prints_the_summary_and_builds_the_site(tmp_path, capsys):
    project = copy_repo_archive(tmp_path / "archive")
    assert main(["-C", str(project.root), "build"]) == 0
    err = capsys.readouterr().err
    pages, errors, _, site = summary(err)
    assert (pages, errors, site) == (5, 0, "site")
    assert sorted(p.stem for p in (project.root / "site" / "articles").glob("*.html")) == \
        sorted(p.stem for p in (ROOT / "corpus" / "articles").glob("*.txt"))
    report = json.loads((project.root / "site" / "build-report.json").read_text(encoding="utf-8"))
    assert report["summary"]["pages"] == 5


BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20


@pytest.mark.slow
def test_build_reports_broken_files_and_strict_fails_on_them(make_archive):
    project = make_archive({"good.txt": ARTICLE, "photo.txt": BINARY})
    run = subprocess.run([sys.executable, "-m", "builder", "-C", str(project.root), "build"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert summary(run.stderr)[:2] == (1, 1)
    error = "corpus/articles/photo.txt:1:1: error: binary file"
    # each error once, on a line of its own that says its severity (not as MkDocs' "WARNING - ")
    assert [line.startswith(error) for line in run.stderr.splitlines()].count(True) == 1, run.stderr
    assert run.stderr.count("photo.txt") == 1 and "WARNING -" not in run.stderr, run.stderr
    assert (project.root / "site" / "articles" / "good.html").is_file()
    assert not (project.root / "site" / "articles" / "photo.html").exists()

    run = subprocess.run([sys.executable, "-m", "builder", "-C", str(project.root), "build", "--strict"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert "archive: build failed" in run.stderr
    # a failed strict build still says why, once
    assert [line.startswith(error) for line in run.stderr.splitlines()].count(True) == 1, run.stderr
    assert run.stderr.count("photo.txt") == 1 and "WARNING -" not in run.stderr, run.stderr
    # the site of the last good build is still there
    assert (project.root / "site" / "articles" / "good.html").is_file()


@pytest.mark.slow
def test_build_messages_go_to_the_stderr_of_the_caller(make_archive):
    # a program (or a test) that runs the command with its stderr redirected gets the summary
    # but not the messages that explain it
    import contextlib
    import io

    project = make_archive({"good.txt": ARTICLE, "photo.txt": BINARY})
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["-C", str(project.root), "build"]) == 0
    assert summary(err.getvalue())[:2] == (1, 1)
    assert "corpus/articles/photo.txt:1:1: error: binary file" in err.getvalue()


WARNED = "---\nsource: The Daily Nowhere\n---\n" + ARTICLE      # an outlet sources.yml does not list


@pytest.mark.slow
def test_strict_means_the_same_for_check_and_build(make_archive):
    """--strict: warnings count as errors, exit 1, for check, build and plain mkdocs build alike."""
    project = make_archive({"nato-jets.txt": ARTICLE})
    root = str(project.root)

    env = {**os.environ, "ARCHIVE_SITE_URL": "https://archive.example.org/"}     # as the workflows set it

    def run(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "builder", "-C", root, *argv], capture_output=True, text=True,
                              timeout=300, env=env)

    assert run("build", "--strict").returncode == 0
    good = (project.root / "site" / "articles" / "nato-jets.html").read_bytes()
    (project.articles / "nato-jets.txt").write_text(WARNED, encoding="utf-8")
    warning = "corpus/articles/nato-jets.txt:2:9: warning: source 'The Daily Nowhere' is not in"

    check = run("check")
    assert check.returncode == 0 and warning in check.stdout
    check = run("check", "--strict")
    assert check.returncode == 1 and warning in check.stdout

    build = run("build")
    assert build.returncode == 0 and warning in build.stderr
    assert summary(build.stderr)[:3] == (1, 0, 1)
    built = (project.root / "site" / "articles" / "nato-jets.html").read_bytes()
    assert built != good                                # the warned article was published

    (project.root / "site" / "articles" / "nato-jets.html").write_bytes(good)
    build = run("build", "--strict")
    assert build.returncode == 1, build.stderr
    assert warning in build.stderr and "archive: build failed" in build.stderr
    assert "--strict counts warnings as errors" in build.stderr
    # the previous site stays as it was
    assert (project.root / "site" / "articles" / "nato-jets.html").read_bytes() == good

    mkdocs = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                             str(project.root / "out")], cwd=root, capture_output=True, text=True, timeout=300, env=env)
    assert mkdocs.returncode == 1 and warning in mkdocs.stderr


@pytest.mark.slow
def test_without_a_site_address_check_and_build_say_so_and_nothing_carries_a_relative_one(make_archive):
    project = make_archive({"nato-jets.txt": ARTICLE})
    root = str(project.root)
    unset = {k: v for k, v in os.environ.items() if k != "ARCHIVE_SITE_URL"}

    def run(*argv: str, env=unset) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "builder", "-C", root, *argv], capture_output=True, text=True,
                              timeout=300, env=env)

    said = ("mkdocs.yml:10:1: warning: site_url comes from the environment variable ARCHIVE_SITE_URL, which is not "
            "set here: sitemap.xml is left out and citations and feeds give no web address for the archive's pages; "
            "set ARCHIVE_SITE_URL (the publishing workflow does), or give a default in mkdocs.yml")
    check = run("check")
    assert check.returncode == 0 and said in check.stdout
    assert run("check", "--strict").returncode == 1
    build = run("build")
    assert build.returncode == 0 and build.stderr.count(said) == 1, build.stderr
    site = project.root / "site"
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    page = (site / "articles" / "nato-jets.html").read_text(encoding="utf-8")
    assert "@article{nato-jets" in page            # the citations are there, without this archive's address
    assert not re.search(r"url = \{(?!https?://)", page) and "UR  - articles/" not in page
    assert "archive_location" not in page and "Archived copy: articles/" not in page
    assert "In Test archive, articles/" not in page and "In Test archive." in page
    assert not re.search(r'"URL": "(?!https?://)', page)
    strict = run("build", "--strict")
    assert strict.returncode == 1 and said in strict.stderr and "--strict counts warnings as errors" in strict.stderr

    # with the address, a strict build passes and the sitemap and citations carry it
    assert run("build", "--strict", env={**unset, "ARCHIVE_SITE_URL": "https://news.example.org/a/"}).returncode == 0
    assert "<loc>https://news.example.org/a/articles/nato-jets.html</loc>" in (site / "sitemap.xml").read_text()
    page = (site / "articles" / "nato-jets.html").read_text(encoding="utf-8")
    assert "url = {https://news.example.org/a/articles/nato-jets.html}" in page


def test_help_says_what_strict_means():
    for command in ("build", "check"):
        text = subprocess.run([sys.executable, "-m", "builder", command, "--help"], capture_output=True,
                              text=True, timeout=60).stdout
        text = " ".join(text.split())
        assert "warnings count as errors: exit 1 on any error or warning" in text
        assert "--strict means the same for 'archive build' and 'archive check'" in text


def test_build_outside_an_archive_says_what_to_do(tmp_path, capsys):
    assert main(["-C", str(tmp_path), "build"]) == 2
    err = capsys.readouterr().err
    assert "no mkdocs.yml here" in err and "archive new DIR" in err


def test_scheduler_without_dask_says_how_to_install_the_extra(tmp_path):
    # Dask is the optional [cluster] extra: a plain install has no 'distributed' to import
    code = ("import sys; sys.modules['distributed'] = None\n"
            "from builder.commands.cli import main\n"
            f"sys.exit(main(['-C', {str(tmp_path)!r}, 'build', '--scheduler', 'tcp://127.0.0.1:8786']))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 2
    assert out.stderr.splitlines() == ["archive: build failed: --scheduler needs Dask, an optional extra: "
                                       "pip install 'news-archive-builder[cluster]'"]
    assert not (tmp_path / "site").exists()


def test_a_missing_project_folder_is_an_error(tmp_path, capsys):
    assert main(["-C", str(tmp_path / "nowhere"), "build"]) == 2
    assert "no such folder" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------
# inspect
# ---------------------------------------------------------------------------------------

def inspect_json(capsys, *argv) -> tuple[int, list[dict]]:
    code = main([*argv])
    out = capsys.readouterr().out
    records = json.loads(out)
    assert isinstance(records, list)
    return code, records


FIELDS = {"path", "id", "title", "date", "source", "people", "tags", "text", "comments", "warnings"}


def test_inspect_json_separates_reader_comments(capsys):
    code, records = inspect_json(capsys, "-C", str(ROOT), "inspect", str(SEED_004), "--json")
    assert code == 0
    (r,) = records
    assert FIELDS <= set(r)
    assert r["path"] == "corpus/articles/004_80bdbfd9fb277ead.txt"
    assert r["id"] == "004_80bdbfd9fb277ead"
    assert r["title"].startswith("The Ukraine conflict could erupt into a full-fledged war")
    assert r["date"] == "2022"
    assert r["source"] == "ABC Flash Point News"
    assert r["people"] == ["Jens Stoltenberg", "Vladimir Putin", "Sergey Lavrov"]
    assert "Lola Lopez" not in r["people"]
    assert "Hypocrisy is NATO’s diplomacy?" in r["comments"]
    assert "Gorbachev" in r["comments"]
    for comment_words in ("Hypocrisy", "Lola Lopez", "Gorbachev", "11-12-22"):
        assert comment_words not in r["text"]
    assert "Russian Foreign Minister Sergey Lavrov said this month" in r["text"]
    assert all(isinstance(w, str) for w in r["warnings"])


def test_inspect_a_file_outside_the_corpus(tmp_path, capsys, monkeypatch):
    from edtf import parse_edtf

    outside = tmp_path / "elsewhere" / "nato-jets.txt"
    outside.parent.mkdir()
    outside.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, records = inspect_json(capsys, "-C", str(ROOT), "inspect", str(outside), str(SEED_004), "--json")
    assert code == 0
    assert [r["id"] for r in records] == ["nato-jets", "004_80bdbfd9fb277ead"]
    r = records[0]
    assert FIELDS <= set(r)
    assert r["path"] == outside.as_posix()
    assert r["date"] == "2022-03-09"
    parse_edtf(r["date"])
    assert r["source"] is None and r["comments"] is None
    assert set(r["people"]) == {"Jens Stoltenberg", "Dmytro Kuleba"}
    assert r["text"].startswith("NATO Secretary General Jens Stoltenberg said on Wednesday")
    # inspecting writes nothing into the archive
    assert not (ROOT / "corpus" / "articles" / "nato-jets.txt").exists()


def test_inspect_dates_are_edtf_or_null(tmp_path, capsys):
    from edtf import parse_edtf

    undated = tmp_path / "undated.txt"
    undated.write_text("Jens Stoltenberg said the alliance would not send jets to Ukraine.\n", encoding="utf-8")
    code, records = inspect_json(capsys, "inspect", str(undated), *sorted(map(str, (ROOT / "corpus" / "articles")
                                                                                 .glob("*.txt"))), "--json")
    assert code == 0
    assert records[0]["date"] is None
    for r in records[1:]:
        assert r["date"] is not None
        parse_edtf(r["date"])


BYLINE_STORY = ("The council voted on Tuesday to close the old bridge over the river to lorries from next month, "
                "after engineers found cracks in two of its supports.\n\n"
                "Drivers will be sent through the town centre while the supports are repaired, which the council "
                "expects to take most of the summer and to cost more than a million pounds.\n")


@pytest.mark.parametrize("byline, authors, source, method", [
    # an outlet nobody registered: shaped like one ("The ...", a newspaper's word)
    ("By Marta Keller, The Valley Courier", ["Marta Keller"], "The Valley Courier", "byline"),
    ("By Marta Keller | Valley Courier", ["Marta Keller"], "Valley Courier", "byline"),
    ("By Marta Keller and Tom Reyes, Hartwell Gazette", ["Marta Keller", "Tom Reyes"], "Hartwell Gazette", "byline"),
    # an outlet of sources.yml, by name
    ("By Marta Keller, Fox News", ["Marta Keller"], "Fox News", "sources.yml signature"),
    # two people stay two people
    ("By Marta Keller, Tom Reyes", ["Marta Keller", "Tom Reyes"], None, "none"),
])
def test_an_outlet_in_a_byline_is_the_source_not_an_author(make_archive, capsys, byline, authors, source, method):
    project = make_archive({"bridge.txt": f"{byline}\n\n{BYLINE_STORY}"},
                           sources="sources:\n  - name: Fox News\n    url: https://www.foxnews.com\n")
    code, (r,) = inspect_json(capsys, "-C", str(project.root), "inspect",
                              str(project.root / "corpus" / "articles" / "bridge.txt"), "--json")
    assert code == 0
    assert r["authors"] == authors
    assert (r["source"], r["provenance"]["source"]["method"]) == (source, method)
    assert r["text"].startswith("The council voted")


LEEDS = ("{title}\nThe Valley Courier\n\n"
         "Leeds City Council said on Monday that flood defences along the River Aire in Leeds would be raised by "
         "a metre before the winter.\n\nEngineers from Leeds said the work would take four months.\n")


def test_an_outlets_name_under_the_headline_is_not_the_first_paragraph(make_archive, capsys):
    project = make_archive({"floods.txt": LEEDS.format(title="Flood defences to be raised in Leeds")})
    code, (r,) = inspect_json(capsys, "-C", str(project.root), "inspect",
                              str(project.articles / "floods.txt"), "--json")
    assert code == 0
    assert r["title"] == "Flood defences to be raised in Leeds"
    assert r["text"].startswith("Leeds City Council said on Monday")
    assert (r["source"], r["provenance"]["source"]["method"]) == ("The Valley Courier", "masthead")
    assert {"line": 2, "reason": "masthead", "text": "The Valley Courier"} in r["provenance"]["removed"]


def test_a_place_becomes_a_tag_only_when_it_links_articles(make_archive, capsys):
    """tags.yml is empty: a place one article names three times is no subject; named in two
    articles, it links them, and is a tag of both (builder/README.md, "What inference creates")."""
    one = LEEDS.format(title="Flood defences to be raised in Leeds")
    project = make_archive({"floods.txt": one})
    assert "tags: []" in (project.corpus / "tags.yml").read_text()
    code, (r,) = inspect_json(capsys, "-C", str(project.root), "inspect", str(project.articles / "floods.txt"),
                              "--json")
    assert r["tags"] == []

    (project.articles / "works.txt").write_text(LEEDS.format(title="Flood defence work begins"), encoding="utf-8")
    code, records = inspect_json(capsys, "-C", str(project.root), "inspect", str(project.articles / "floods.txt"),
                                 str(project.articles / "works.txt"), "--json")
    assert [r["tags"] for r in records] == [["Leeds"], ["Leeds"]]
    assert records[0]["provenance"]["tags"]["evidence"].startswith("Leeds: named entity, 3 mentions")
    # a phrase of tags.yml is a tag wherever it is found, in one article or many
    (project.corpus / "tags.yml").write_text("tags:\n  - tag: floods\n    phrases: [flood defences]\n")
    code, (r,) = inspect_json(capsys, "-C", str(project.root), "inspect", str(project.articles / "floods.txt"),
                              "--json")
    assert r["tags"] == ["floods"]


def test_inspect_a_file_that_cannot_be_an_article(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, records = inspect_json(capsys, "inspect", str(empty), "--json")
    assert code == 1
    (r,) = records
    assert r["title"] is None and r["text"] is None and r["people"] == []
    assert any("error" in w and "empty" in w for w in r["warnings"]), r["warnings"]


# ---------------------------------------------------------------------------------------
# new, and -C / --project
# ---------------------------------------------------------------------------------------

@pytest.mark.slow
def test_new_archive_builds_at_once_then_with_an_article(tmp_path, capsys, monkeypatch):
    target = tmp_path / "my-archive"
    assert main(["new", str(target), "--url", "https://archivist.example.org/my-archive"]) == 0
    out = capsys.readouterr().out
    assert f"created {target / 'mkdocs.yml'}" in out
    assert "Next: add articles to" in out
    assert 'site_url: !ENV [ARCHIVE_SITE_URL, "https://archivist.example.org/my-archive/"]' in \
        (target / "mkdocs.yml").read_text()

    monkeypatch.chdir(tmp_path)
    assert main(["-C", "my-archive", "check", "--strict"]) == 0
    assert main(["-C", "my-archive", "build", "--strict"]) == 0
    assert summary(capsys.readouterr().err)[:2] == (0, 0)
    home = (target / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>Home - My Archive</title>" in home
    assert "The archive holds <strong>0</strong> articles" in home
    # like this repository's archive: search works from file:// with the shipped shim, nothing external
    assert '<script src="assets/javascripts/iframe-worker-shim.js"></script>' in home
    assert (target / "site" / "assets" / "archive-search" / "manifest.js").is_file()
    assert not re.search(r'<(?:script|link(?![^>]*rel="canonical")|img|iframe)\b[^>]*\b(?:src|href)="(?:https?:)?//',
                         home)
    assert "<loc>https://archivist.example.org/my-archive/index.html</loc>" in \
        (target / "site" / "sitemap.xml").read_text(encoding="utf-8")

    (target / "corpus" / "articles" / "nato-jets.txt").write_text(ARTICLE, encoding="utf-8")
    assert main(["-C", "my-archive", "build", "--strict"]) == 0
    assert summary(capsys.readouterr().err)[:2] == (1, 0)
    page = (target / "site" / "articles" / "nato-jets.html").read_text(encoding="utf-8")
    assert "Jens Stoltenberg" in page and "How this record was made" in page
    assert (target / "site" / "people" / "jens-stoltenberg.html").is_file()
    assert "The archive holds <strong>1</strong> article" in (target / "site" / "index.html").read_text(
        encoding="utf-8")


@pytest.mark.slow
def test_new_archive_is_complete_and_takes_its_theme_from_the_installed_tools(tmp_path, capsys, monkeypatch):
    target = tmp_path / "harbour"
    assert main(["new", str(target)]) == 0          # not a terminal: no question asked
    out = capsys.readouterr().out
    assert "the publishing workflow sets it to the GitHub Pages address" in out
    # until an address is given, the one the publishing workflow sets (ARCHIVE_SITE_URL)
    assert "\nsite_url: !ENV [ARCHIVE_SITE_URL]\n" in (target / "mkdocs.yml").read_text()
    # the theme is not copied: an upgrade of the tools reaches the pages
    assert not (target / "theme_overrides").exists()
    assert "custom_dir" not in (target / "mkdocs.yml").read_text(encoding="utf-8")
    # the contributing guide, in the navigation, and the workflows of this repository
    guide = (target / "docs" / "contributing.md").read_text(encoding="utf-8")
    assert "# Contributing articles" in guide and "pip install -r requirements.txt" in guide
    assert "- Contributing: contributing.md" in (target / "mkdocs.yml").read_text(encoding="utf-8")
    pr = (target / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8")
    deploy = (target / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    for workflow in (pr, deploy):
        assert "run: pip install -r requirements.txt" in workflow and "pip install .\n" not in workflow
        assert "archive build --strict" in workflow
    assert 'archive check --changed-since "origin/$BASE_REF" --format github' in pr and "pull_request:" in pr
    assert "actions/deploy-pages" in deploy and "branches: [main]" in deploy
    from builder import __version__
    # no index has the tools: the archive carries a wheel of the ones that made it (tests/test_new_install.py)
    wheel = f"./tools/news_archive_builder-{__version__}-py3-none-any.whl"
    assert f"\n{wheel}\n" in (target / "requirements.txt").read_text(encoding="utf-8")
    assert (target / wheel).is_file()
    ignored = (target / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"/site/", "/.cache/", "/.site-*"} <= set(ignored)
    assert not any(line.startswith("/docs/") for line in ignored)     # generated pages stay in memory
    assert (target / "docs" / "data.md").is_file() and "- Data: data.md" in (target / "mkdocs.yml").read_text()
    # publishing sets ARCHIVE_SITE_URL; here it is not set, and check says what that costs
    monkeypatch.delenv("ARCHIVE_SITE_URL", raising=False)
    assert main(["-C", str(target), "check", "--strict"]) == 1
    assert ("mkdocs.yml:10:1: warning: site_url comes from the environment variable ARCHIVE_SITE_URL, which is not "
            "set here: sitemap.xml is left out") in capsys.readouterr().out
    monkeypatch.setenv("ARCHIVE_SITE_URL", "https://harbour.example.org/")
    assert main(["-C", str(target), "check", "--strict"]) == 0
    monkeypatch.delenv("ARCHIVE_SITE_URL")
    capsys.readouterr()
    # an archive without any address (as older versions made them): check says so, and --strict
    # makes that fail, as it does for any warning
    yml = (target / "mkdocs.yml").read_text(encoding="utf-8")
    (target / "mkdocs.yml").write_text(re.sub(r"(?m)^site_url:.*\n", "", yml), encoding="utf-8")
    assert main(["-C", str(target), "check"]) == 0
    assert "mkdocs.yml:1:1: warning: no site_url: sitemap.xml is left out and citations and feeds give no web " \
        "address" in capsys.readouterr().out
    monkeypatch.setenv("ARCHIVE_SITE_URL", "https://harbour.example.org/")
    assert main(["-C", str(target), "check", "--strict"]) == 1
    (target / "mkdocs.yml").write_text(yml, encoding="utf-8")
    capsys.readouterr()

    (target / "corpus" / "articles" / "nato-jets.txt").write_text(ARTICLE, encoding="utf-8")
    assert main(["-C", str(target), "build"]) == 0
    page = (target / "site" / "articles" / "nato-jets.html").read_text(encoding="utf-8")
    assert "How this record was made" in page and 'class="archive-meta"' in page
    # the address the publishing workflow gives reaches the sitemap
    assert "<loc>https://harbour.example.org/articles/nato-jets.html</loc>" in \
        (target / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert (target / "site" / "assets" / "stylesheets" / "archive.css").is_file()
    assert (target / "site" / "assets" / "javascripts" / "iframe-worker-shim.js").is_file()

    # a local theme_overrides/ folder overrides one file; the rest still comes from the tools
    partial = target / "theme_overrides" / "partials" / "archive-record.html"
    partial.parent.mkdir(parents=True)
    partial.write_text('<p class="our-record">Our own record block</p>\n{{ page.content }}\n', encoding="utf-8")
    assert main(["-C", str(target), "build"]) == 0
    page = (target / "site" / "articles" / "nato-jets.html").read_text(encoding="utf-8")
    assert '<p class="our-record">Our own record block</p>' in page and "How this record was made" not in page
    assert (target / "site" / "assets" / "stylesheets" / "archive.css").is_file()


@pytest.mark.slow
def test_new_asks_for_the_address_on_a_terminal(tmp_path):
    from test_progress import run_in_terminal

    code, screen = run_in_terminal("new", str(tmp_path / "asked"), answer="https://news.example.net/asked")
    assert code == 0, screen
    assert "The address the archive will live at" in screen
    assert 'site_url: !ENV [ARCHIVE_SITE_URL, "https://news.example.net/asked/"]' in \
        (tmp_path / "asked" / "mkdocs.yml").read_text()


def test_new_refuses_an_address_that_is_not_one(tmp_path, capsys):
    assert main(["new", str(tmp_path / "a"), "--url", "archive.example.org"]) == 1
    assert "'archive.example.org' is not a web address" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()


def test_new_refuses_to_overwrite_an_archive(tmp_path, capsys):
    assert main(["new", str(tmp_path / "a")]) == 0
    before = (tmp_path / "a" / "mkdocs.yml").read_bytes()
    capsys.readouterr()
    assert main(["new", str(tmp_path / "a")]) == 1
    assert "already holds an archive" in capsys.readouterr().err
    assert (tmp_path / "a" / "mkdocs.yml").read_bytes() == before


@pytest.mark.slow
@pytest.mark.parametrize("flag", ["-C", "--project"])
def test_project_flag_works_from_another_folder(make_archive, tmp_path, capsys, monkeypatch, flag):
    project = make_archive({"nato-jets.txt": ARTICLE})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main([flag, str(project.root), "build"]) == 0
    assert summary(capsys.readouterr().err)[:2] == (1, 0)
    assert (project.root / "site" / "articles" / "nato-jets.html").is_file()
    assert list(elsewhere.iterdir()) == []          # nothing written where the command was run

    code, records = inspect_json(capsys, flag, str(project.root), "inspect",
                                 str(project.root / "corpus" / "articles" / "nato-jets.txt"), "--json")
    assert records[0]["path"] == "corpus/articles/nato-jets.txt"


@pytest.mark.slow
def test_build_without_flag_uses_the_current_folder(make_archive, capsys, monkeypatch):
    project = make_archive({"nato-jets.txt": ARTICLE})
    monkeypatch.chdir(project.root)
    assert main(["build", "--site-dir", "public"]) == 0
    assert summary(capsys.readouterr().err)[3] == "public"
    assert (project.root / "public" / "articles" / "nato-jets.html").is_file()


# ---------------------------------------------------------------------------------------
# serve
# ---------------------------------------------------------------------------------------

@pytest.mark.slow
def test_ctrl_c_during_the_first_build_of_serve_stops_it_within_two_seconds(tmp_path):
    project = copy_repo_archive(tmp_path / "archive")
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen([sys.executable, "-m", "builder", "-C", str(project.root), "serve",
                             "-a", f"127.0.0.1:{free_port()}"], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while "serving it" not in Path(log.name).read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)                                 # inside the first build
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        proc.wait(timeout=10)
        assert time.monotonic() - started < 2.0
        said = Path(log.name).read_text()
        assert "Traceback" not in said, said
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=20)
        log.close()


@pytest.mark.slow
def test_ctrl_c_while_workers_extract_leaves_no_process_behind(tmp_path, make_archive):
    """Enough articles for worker processes: Ctrl-C mid-extraction ends serve within two
    seconds, and no worker (nor the process that starts them) outlives it."""
    from builder.stages.executor import MIN_PARALLEL

    seed = (ROOT / "corpus" / "articles" / "000_6645bb114f692c0a.txt").read_text(encoding="utf-8")
    project = make_archive({f"a{n:03}.txt": seed.replace("NATO", f"NATO{n}") for n in range(MIN_PARALLEL + 12)})
    here = tmp_path / f"cwd-{os.getpid()}"         # the workers' command lines name it: a unique mark
    here.mkdir()
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen([sys.executable, "-m", "builder", "-C", str(project.root), "serve",
                             "-a", f"127.0.0.1:{free_port()}"], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, cwd=here, env={**os.environ, "PYTHONPATH": str(ROOT)})

    def ours() -> list[str]:
        found = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                text = cmdline.read_bytes().decode("utf-8", "replace")
            except OSError:
                continue                                # ended meanwhile
            if str(here) in text and "multiprocessing" in text:
                found.append(f"{cmdline.parent.name}: {text[:120]}")
        return found

    try:
        deadline = time.monotonic() + 120
        while not ours() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert ours(), "no worker processes started"
        time.sleep(6)                                   # the workers load the model and extract
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        proc.wait(timeout=10)
        assert time.monotonic() - started < 2.0
        time.sleep(0.5)
        assert ours() == []
        assert "Traceback" not in Path(log.name).read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=20)
        log.close()


def test_every_option_of_every_command_says_what_it_does():
    """Each command's --help, as a user reads it: every option and argument has a description."""
    env = {**os.environ, "COLUMNS": "100"}
    commands = [c for c in re.findall(r"^    (\w+)\s", run_help([], env), re.M)]
    assert {"build", "check", "inspect", "serve", "new", "add"} <= set(commands)
    for command in [None, *commands]:
        text = run_help([command] if command else [], env)
        undescribed = options_without_description(text)
        assert not undescribed, f"archive {command or ''} --help: no description for {undescribed}"


def run_help(argv: list[str], env: dict) -> str:
    out = subprocess.run([sys.executable, "-m", "builder", *argv, "--help"], capture_output=True, text=True,
                         env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def options_without_description(text: str) -> list[str]:
    """The entries of the 'positional arguments' and 'options' sections that have no text
    beside them or on the lines below them (argparse indents a description by 24 columns)."""
    missing: list[str] = []
    section = None
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if re.match(r"^(?:positional arguments|options|optional arguments):", line):
            section = "args"
            continue
        if not line.strip() or not line.startswith(" "):
            section = None if not line.startswith(" ") and line.strip() else section
            continue
        entry = re.match(r"^  (\S.*?)(?:\s{2,}(\S.*))?$", line)
        if section != "args" or not entry or line.startswith("   "):
            continue
        if entry.group(1).startswith("{"):              # the list of subcommands, described below it
            continue
        below = lines[n + 1] if n + 1 < len(lines) else ""
        if not entry.group(2) and not re.match(r"^ {6,}\S", below):
            missing.append(entry.group(1))
    return missing

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8")


@pytest.mark.slow
def test_serve_shows_the_archive_over_http(tmp_path):
    project = copy_repo_archive(tmp_path / "archive")
    port = free_port()
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen([sys.executable, "-m", "builder", "-C", str(project.root), "serve",
                             "-a", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                status, home = fetch(f"{base}/")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"archive serve did not answer (exit {proc.poll()}):\n{log.read()[-3000:]}")
                time.sleep(0.5)
        assert status == 200
        assert "No-fly zone 2022: a news archive" in home
        assert "The archive holds <strong>5</strong> articles" in home
        status, article = fetch(f"{base}/articles/002_78df90272e28db83.html")
        assert status == 200
        assert "Fox News" in article and "How this record was made" in article
        status, person = fetch(f"{base}/people/volodymyr-zelensky.html")
        assert status == 200 and "Named in 3 articles" in person
        with pytest.raises(urllib.error.HTTPError) as missing:
            fetch(f"{base}/articles/no-such-article.html")
        assert missing.value.code == 404
        # without -v it says where it serves, and nothing of MkDocs' own log
        log.seek(0)
        said = log.read()
        assert f"archive: serving at http://127.0.0.1:{port}/ (Ctrl-C stops)" in said, said
        assert "INFO" not in said
        # Ctrl-C stops it within two seconds, quietly
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        proc.wait(timeout=10)
        assert time.monotonic() - started < 2.0
        log.seek(0)
        said = log.read()
        assert "Traceback" not in said and said.rstrip().endswith("archive: stopped"), said
    finally:
        stop_process(proc)
        log.close()
