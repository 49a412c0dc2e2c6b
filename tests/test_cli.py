"""The ``archive`` command as a user runs it: build, inspect, new, -C, serve."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from builder.cli import main
from conftest import ROOT, copy_repo_archive

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
    assert "corpus/articles/photo.txt:1:1: error: binary file" in run.stderr
    assert (project.root / "site" / "articles" / "good.html").is_file()
    assert not (project.root / "site" / "articles" / "photo.html").exists()

    run = subprocess.run([sys.executable, "-m", "builder", "-C", str(project.root), "build", "--strict"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert "archive: build failed" in run.stderr
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

    def run(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "builder", "-C", root, *argv], capture_output=True, text=True,
                              timeout=300)

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
                             str(project.root / "out")], cwd=root, capture_output=True, text=True, timeout=300)
    assert mkdocs.returncode == 1 and warning in mkdocs.stderr


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
    assert f"news-archive-builder=={__version__}" in (target / "requirements.txt").read_text(encoding="utf-8")
    ignored = (target / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"/site/", "/.cache/", "/.site-*"} <= set(ignored)
    assert not any(line.startswith("/docs/") for line in ignored)     # generated pages stay in memory
    assert (target / "docs" / "data.md").is_file() and "- Data: data.md" in (target / "mkdocs.yml").read_text()
    assert main(["-C", str(target), "check", "--strict"]) == 0          # publishing sets ARCHIVE_SITE_URL
    capsys.readouterr()
    # an archive without any address (as older versions made them): check says so, and --strict
    # makes that fail, as it does for any warning
    yml = (target / "mkdocs.yml").read_text(encoding="utf-8")
    (target / "mkdocs.yml").write_text(re.sub(r"(?m)^site_url:.*\n", "", yml), encoding="utf-8")
    assert main(["-C", str(target), "check"]) == 0
    assert "mkdocs.yml:1:1: warning: no site_url: sitemap.xml and the feeds need the address" in \
        capsys.readouterr().out
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
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
        log.close()
