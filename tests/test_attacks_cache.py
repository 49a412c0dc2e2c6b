"""Untrusted input, round three: the cache is data, ``add`` shares the read path, malformed
addresses fail fast, and a moved archive keeps its cache and page reuse (issues 18 and 22)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import stop_process

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ("Brussels, 4 March 2022. NATO Secretary General Jens Stoltenberg said on Friday that the "
           "alliance would not impose a no-fly zone over Ukraine.\n\n"
           "\u201cWe are not part of this conflict,\u201d Stoltenberg told reporters after the meeting.\n")


def cli(root: Path, *argv: str, timeout: float = 60, **kw) -> tuple[subprocess.CompletedProcess, float]:
    """``archive -C root argv`` in a child process: (the finished process, seconds it took)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "builder", "-C", str(root), *argv], capture_output=True,
                          timeout=timeout, env=env, **kw)
    return proc, time.monotonic() - start


# -- 17: a malformed --scheduler address ------------------------------------------------------

@pytest.mark.parametrize("address", ["garbage://x", "tcp://[::1", "tcp://host:99999"])
def test_a_malformed_scheduler_address_fails_at_once_without_a_traceback(make_archive, address):
    project = make_archive({"a.txt": ARTICLE})
    proc, took = cli(project.root, "build", "--scheduler", address)
    err = proc.stderr.decode()
    assert proc.returncode != 0
    assert address in err and "scheduler" in err
    assert "Traceback" not in err and "Exception ignored" not in err
    assert took < 15, took
    assert not (project.root / "site").exists()          # failed before any work


# -- 9, 12, 13: `archive add` reads as `build` does, and names cannot inject lines ------------

def test_add_refuses_a_device_a_fifo_and_an_oversized_file_naming_each(make_archive, tmp_path):
    project = make_archive()
    inputs = tmp_path / "in"
    inputs.mkdir()
    os.symlink("/dev/zero", inputs / "zero.txt")
    os.mkfifo(inputs / "x.txt")
    with open(inputs / "big.txt", "wb") as handle:          # sparse: 3 GB on paper, nothing on disk
        handle.truncate(3 * 1024 ** 3)
    for name in ("zero.txt", "x.txt", "big.txt"):
        proc, took = cli(project.root, "add", str(inputs / name), timeout=60)
        err = proc.stderr.decode()
        assert proc.returncode == 1, err
        assert f"in/{name}" in err and ("not a regular file" in err or "over the 5 MB limit" in err), err
        assert "Traceback" not in err and took < 30
    assert [p.name for p in project.articles.iterdir() if not p.name.startswith(".")] == []


def _added(project) -> Path:
    (added,) = [p for p in project.articles.iterdir() if p.is_file() and not p.name.startswith(".")]
    return added


def test_add_of_a_file_whose_name_is_not_utf8_writes_an_escaped_name(make_archive, tmp_path, capsys):
    from builder.commands.cli import main

    project = make_archive()
    source = Path(os.fsdecode(bytes(tmp_path) + b"/bad\xff-name.txt"))
    source.write_text(ARTICLE, encoding="utf-8")
    assert main(["-C", str(project.root), "add", str(source)]) == 0, capsys.readouterr()
    head = _added(project).read_text(encoding="utf-8").split("\n")[1]
    assert head.startswith("# Added by 'archive add' from bad\\xff-name.txt.")


def test_add_of_a_file_whose_name_holds_cr_cannot_inject_front_matter(make_archive, tmp_path, capsys):
    from builder.commands.cli import main
    from builder.stages.read import read_file

    project = make_archive()
    source = tmp_path / "story\rsource: Evil\r.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    assert main(["-C", str(project.root), "add", str(source)]) == 0, capsys.readouterr()
    data = _added(project).read_bytes()
    assert b"\r" not in data
    doc = read_file(_added(project))
    assert doc.front.get("source") != "Evil" and "Evil" not in str(doc.front.get("source"))
    assert "story\\u000dsource: Evil\\u000d.txt" in data.decode("utf-8").split("\n")[1]


# -- 5: the cache is data -----------------------------------------------------------------------

EVIL = "</script><script>alert(1)</script>"


def test_a_crafted_search_token_cache_cannot_put_script_into_the_index(tmp_path):
    """Whatever sits in .cache/search (the old marshal file, or JSON entries of the wrong shape),
    the d/ file shows the article as it is and every string is escaped for a script file."""
    import json
    import marshal

    from builder.outputs.search import FORMAT_VERSION, SearchDoc, write_index

    doc = SearchDoc(id="a", url="articles/a.html", title="Ukraine <b>&</b> NATO", date="2022-03-04",
                    date_label="4 March 2022", source="Wire", people=[], tags=[], paragraphs=["Some text."],
                    comments=[])
    cache = tmp_path / "cache"
    cache.mkdir()
    crafted = {"dl": 2, "terms": {"x" + EVIL: [2, 0, "[0]"], "some": [2, 0, "[0]]);alert(1);//"]},
               "show": json.dumps({"t": EVIL})}
    py = f"py{sys.version_info[0]}{sys.version_info[1]}"
    (cache / f"tokens-v{FORMAT_VERSION}-blobs-{py}.marshal").write_bytes(
        marshal.dumps({doc.key(): marshal.dumps(crafted)}))
    (cache / f"tokens-v{FORMAT_VERSION}.json").write_text(json.dumps(
        {"format": FORMAT_VERSION, "entries": {doc.key(): json.dumps(crafted)}}), encoding="utf-8")
    out = tmp_path / "index"
    write_index(out, [doc], cache_dir=cache)
    everything = b"".join(p.read_bytes() for p in sorted(out.rglob("*.js")))
    assert b"alert" not in everything and b"<" not in everything and b">" not in everything
    shown = (out / "d" / "0.js").read_text(encoding="utf-8")
    assert "\\u003cb\\u003e\\u0026\\u003c/b\\u003e" in shown             # the real title, escaped
    assert json.loads(shown[shown.index(",") + 1:-3])["t"] == doc.title


OTHER = ("Kyiv, 5 March 2022. Ukrainian Foreign Minister Dmytro Kuleba asked the allies for more air-defence "
         "systems on Saturday.\n\n\u201cWe need help now,\u201d Kuleba said in a televised address.\n")


def _entries(root: Path) -> dict[str, tuple[Path, dict]]:
    """The extraction cache's entries by the file they were made for: {shown path: (file, entry)}."""
    import json

    out = {}
    for path in sorted((root / ".cache" / "extract").rglob("*.json")):
        entry = json.loads(path.read_bytes())
        doc = entry["value"].get("doc") or {}
        out[doc.get("rel")] = (path, entry)
    return out


@pytest.mark.slow
def test_an_edited_extraction_cache_entry_is_dropped_with_a_warning_and_recomputed(make_archive, caplog):
    import json

    from builder.mkdocs.publish import build

    project = make_archive({"a.txt": ARTICLE, "b.txt": OTHER})
    build(project)
    entries = _entries(project.root)
    (path_a, entry_a), (_, entry_b) = entries["corpus/articles/a.txt"], entries["corpus/articles/b.txt"]
    # a's key now holds b's result with a's genuine SHA-256 and path, and a javascript: link
    forged = json.loads(json.dumps(entry_b))
    forged["key"] = entry_a["key"]
    forged["value"]["doc"]["sha256"] = entry_a["value"]["doc"]["sha256"]
    forged["value"]["doc"]["rel"] = "corpus/articles/a.txt"
    forged["value"]["facts"]["url"] = {"value": "javascript:alert(1)", "method": "front matter", "evidence": ""}
    path_a.write_text(json.dumps(forged), encoding="utf-8")
    caplog.set_level("WARNING", logger="archive")
    build(project, force=True)          # no input changed: only a forced build reads the cache
    site = project.site
    page = (site / "articles" / "a.html").read_text(encoding="utf-8")
    assert "Stoltenberg" in page and "Kuleba" not in page
    everything = "".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                         if p.is_file() and p.suffix in (".html", ".xml", ".json", ".js"))
    assert "javascript:alert" not in everything
    assert "corpus/articles/a.txt" in caplog.text and "extracting it again" in caplog.text
    # recomputed and stored again: the next build takes a's entry from the cache without a warning
    assert _entries(project.root)["corpus/articles/a.txt"][1]["value"]["doc"]["id"] == "a"
    caplog.clear()
    build(project, force=True)
    assert "extracting it again" not in caplog.text


# -- issue 22, point 3: a moved archive keeps its cache and its page reuse ----------------------

NEW = ("Brussels, 5 March 2022. NATO foreign ministers met again on Saturday, and Jens Stoltenberg said the "
       "alliance would not impose a no-fly zone over Ukraine.\n\n"
       "\u201cWe are not part of this conflict,\u201d Stoltenberg told reporters after the meeting.\n")


def _seed_archive(dest: Path):
    from conftest import copy_repo_archive

    project = copy_repo_archive(dest)
    yml = project.root / "mkdocs.yml"           # the archive's own search: it reads no page's HTML
    yml.write_text(yml.read_text(encoding="utf-8").replace("  - archive\n", "  - archive:\n      search: archive\n"),
                   encoding="utf-8")
    return project


def _build_counting(project, caplog) -> tuple[int, int, int, int]:
    """Build; (articles extracted, articles in all, pages reused, generated pages)."""
    from builder.mkdocs.publish import build

    extract: dict[str, tuple[int, int]] = {}

    def progress(stage, done, total, cached=0):
        if stage == "extract":
            extract["n"] = (total - cached, total)

    caplog.clear()
    build(project, progress=progress, force=True)       # counts the work of a build, even of one with no change
    lines = [r.getMessage() for r in caplog.records if "unchanged since the last build" in r.getMessage()]
    reused, pages = (int(x) for x in lines[0].split()[1:4:2]) if lines else (0, -1)
    return (*extract["n"], reused, pages)


@pytest.mark.slow
def test_a_copied_archive_extracts_only_the_new_article_and_reuses_the_other_pages(tmp_path, caplog):
    import shutil

    from builder.pipeline import Project

    caplog.set_level("INFO", logger="mkdocs.plugins.archive")
    first = _seed_archive(tmp_path / "one" / "archive")
    _build_counting(first, caplog)
    moved = tmp_path / "elsewhere" / "renamed"
    moved.parent.mkdir()
    shutil.copytree(first.root, moved, symlinks=True)          # corpus, .cache and site/ together
    shutil.rmtree(first.root)                                  # nothing can be read from the old place
    project = Project(moved)
    (project.articles / "900_new.txt").write_text(NEW, encoding="utf-8")
    extracted, total, reused, pages = _build_counting(project, caplog)
    assert (extracted, total) == (1, 6)
    assert 0 < pages - reused <= 12 and reused > 20, (reused, pages)   # the new page, its people, indexes


@pytest.mark.slow
def test_a_page_edited_in_the_site_with_its_manifest_hash_updated_is_built_again(tmp_path, caplog, monkeypatch):
    import hashlib
    import json

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.delenv("ARCHIVE_REUSE_SECRET", raising=False)
    caplog.set_level("INFO", logger="mkdocs.plugins.archive")
    project = _seed_archive(tmp_path / "archive")
    _build_counting(project, caplog)
    manifest_path = project.root / ".cache" / "pages" / "build" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    src = next(k for k in manifest["pages"] if k.startswith("articles/"))
    page = project.site / src.replace(".md", ".html")
    edited = page.read_text(encoding="utf-8").replace("</body>", "<script>alert('owned')</script></body>")
    page.write_text(edited, encoding="utf-8")
    manifest["pages"][src][1] = hashlib.sha256(edited.encode("utf-8")).hexdigest()
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    _, _, reused, pages = _build_counting(project, caplog)
    assert "owned" not in page.read_text(encoding="utf-8")
    assert reused == 0 < pages                           # a manifest that was edited reuses nothing
    _, _, reused, pages = _build_counting(project, caplog)
    assert reused == pages                               # and the next build's own manifest is trusted


# -- 18: `archive serve` and a NUL in the address ---------------------------------------------

@pytest.mark.slow
def test_serve_answers_400_without_a_traceback_to_a_nul_in_the_address(make_archive, tmp_path):
    import socket
    import urllib.error
    import urllib.request

    project = make_archive()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen([sys.executable, "-m", "builder", "-C", str(project.root), "serve", "-a",
                             f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})

    def status(path: str) -> int:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                assert status("/") == 200
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                assert proc.poll() is None and time.monotonic() < deadline, "archive serve did not answer"
                time.sleep(0.5)
        assert status("/%00") == 400
        assert status("/articles/a%00b.html") == 400
        assert status("/") == 200                              # and it goes on serving
    finally:
        stop_process(proc)
    log.seek(0)
    text = log.read()
    assert "Traceback" not in text and "Internal Server Error" not in text, text[-2000:]


@pytest.mark.slow
def test_named_entities_and_quotations_from_a_crafted_cache_are_not_believed(make_archive):
    import json
    import shutil

    from builder.mkdocs.publish import build

    project = make_archive({"a.txt": ARTICLE, "b.txt": OTHER})
    build(project)
    cache = project.root / ".cache"
    for path in sorted((cache / "ner").rglob("*.json")):        # a person the text never names
        entry = json.loads(path.read_bytes())
        entry["value"]["ents"][0].append({"text": "Mallory Evilson", "label": "PERSON", "start": 0, "end": 15})
        path.write_text(json.dumps(entry), encoding="utf-8")
    for path in sorted((cache / "quotes").rglob("*.json")):     # words nobody said, by someone absent
        entry = json.loads(path.read_bytes())
        entry["value"]["quotes"].append(["I confess to everything", "Mallory Evilson", "named", 0])
        path.write_text(json.dumps(entry), encoding="utf-8")
    shutil.rmtree(cache / "extract")                            # extraction runs again, from the entities
    build(project)
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in project.site.rglob("*")
                   if p.is_file() and p.suffix in (".html", ".json", ".js", ".xml"))
    assert "Stoltenberg" in text
    assert "Mallory" not in text and "I confess to everything" not in text
