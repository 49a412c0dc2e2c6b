"""Hostile and odd input: every file under corpus/articles ends as a page or as an error an
archivist can act on (``path:line:column: severity: message``), and one bad file never stops
the good ones.

Most cases share one corpus, read once by the pipeline (``hostile`` fixture); the full
MkDocs build of that corpus checks the build report (build-report.json and the report page).
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
import tracemalloc
from pathlib import Path

import pytest

from builder import pipeline
from builder.pipeline import Project, process_project
from builder.stages.read import MAX_BYTES, ReadError, read_file
from builder.commands.scaffold import new_archive

GOOD = ("Kyiv, 4 March 2022. NATO leaders refused to impose a no-fly zone over Ukraine on Friday, "
        "officials said in Brussels.\n\nThe alliance said it would not send planes into Ukrainian airspace.\n")
BAD_DATE_FM = "---\ntitle: A bad date\ndate: 2022-13-45\n---\n\n" + GOOD

# name -> content (bytes are written as they are, str as UTF-8)
CORPUS: dict[str, str | bytes] = {
    "good.txt": GOOD,
    "empty.txt": b"",
    "blank.txt": b"  \n\n\t\n",
    "bom-only.txt": b"\xef\xbb\xbf\n",
    "png-renamed.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
    "nul-byte.txt": b"Kyiv, 4 March 2022.\x00 NATO said no.\n",
    "invalid-utf8.txt": b"Kyiv, 4 March 2022. NATO said no.\n\nThe caf\xe9 near the square was closed.\n",
    "cp1252.txt": "Kyiv, 4 March 2022. He said \u201cno\u201d to the zone \u2014 firmly.\n".encode("cp1252"),
    "latin1.txt": "Kyiv, 4 March 2022. S\u00e3o Paulo and M\u00fcnchen said \u00d1o.\n".encode("latin-1"),
    "latin1-c1.txt": b"Kyiv, 4 March 2022. A stray \x81 control byte and caf\xe9.\n",
    "utf16.txt": GOOD.encode("utf-16"),
    "bom-front.md": b"\xef\xbb\xbf---\ntitle: Title after a BOM\n---\n\n" + GOOD.encode(),
    "crlf.md": BAD_DATE_FM.replace("\n", "\r\n").encode(),
    "bare-cr.txt": GOOD.replace("\n", "\r").encode(),
    "bad-yaml.md": "---\ntitle: [unclosed\ndate: 2022-03-04\n---\n\n" + GOOD,
    "tab-yaml.md": "---\ntitle: Tabbed\n\tdate: 2022\n---\n\n" + GOOD,   # a tab indenting a line
    "colon-yaml.md": "---\ntitle: NATO: no fly zone: refused\n---\n\n" + GOOD,
    "unclosed-front.md": "---\ntitle: never closed\n\n" + GOOD,
    "list-front.md": "---\n- title\n- date\n---\n\n" + GOOD,
    "scalar-front.md": "---\njust some words\n---\n\n" + GOOD,
    "front-only.md": "---\ntitle: Nothing below\n---\n\n\n",
    "bad-date.md": BAD_DATE_FM,
    "dotdot-id.md": "---\nid: ../../etc/passwd\n---\n\n" + GOOD,
    "space-id.md": "---\nid: my article\n---\n\n" + GOOD,
    "Zürich café.txt": GOOD,
    "Київ.txt": GOOD,
    "Харків.txt": GOOD,
    "report.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    "notes.docx": b"PK\x03\x04" + bytes(100),
    "photo.jpg": b"\xff\xd8\xff\xe0" + bytes(100),
    "page.html": "<html><body><article><p>" + GOOD.replace("\n\n", "</p><p>") + "</p></article></body></html>",
    "empty-page.html": "<html><head><title></title></head><body><div></div></body></html>",
    "same-a.md": "---\nid: same\n---\n\n" + GOOD,
    "same-b.md": "---\nid: same\n---\n\n" + GOOD,
    "Case.txt": GOOD,
    "case.md": GOOD,
    "sub/deeper/nested.txt": GOOD,
    ".hidden-draft.txt": GOOD,
    "README.md": "This folder holds the articles.\n",
}


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile corpus, plus links and special files, read once: (project, {path: FileResult}, result)."""
    root = tmp_path_factory.mktemp("hostile") / "archive"
    new_archive(root, site_name="Hostile")
    articles = root / "corpus" / "articles"
    _write(articles, CORPUS)
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Kyiv, 4 March 2022. SECRET-OUTSIDE-TEXT must never be published.\n")
    os.symlink(outside / "secret.txt", articles / "link-out.txt")
    os.symlink("/etc/hostname" if Path("/etc/hostname").exists() else "/etc/passwd", articles / "link-etc.txt")
    os.symlink(outside, articles / "link-folder-out")
    os.symlink(articles / "sub", articles / "link-folder-in")
    os.symlink(articles / "good.txt", articles / "link-in.txt")
    os.symlink(articles / "missing.txt", articles / "link-broken.txt")
    os.symlink("link-loop.txt", articles / "link-loop.txt")
    os.mkfifo(articles / "fifo.txt")
    with open(bytes(articles) + b"/latin1-name-caf\xe9.txt", "wb") as f:   # a file name that is not UTF-8
        f.write(GOOD.encode())
    (articles / "new\nline.txt").write_text(GOOD)
    project = Project(root)
    start = time.perf_counter()
    result = process_project(project)
    elapsed = time.perf_counter() - start
    assert elapsed < 60, f"the hostile corpus took {elapsed:.1f} s"
    return project, {f.path: f for f in result.files}, result


MESSAGE = re.compile(r"(?P<path>[^\n]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning|info): "
                     r"(?P<text>[^\n]+)")
JARGON = re.compile(r"Traceback|Exception|NoneType|\bdict\b|\bstr\b|\bint\b|internal error|errno", re.I)


def messages(files, name, severity=None):
    f = files[f"corpus/articles/{name}"]
    return [m for m in f.messages if severity is None or m.severity == severity]


def only(files, name, severity):
    found = messages(files, name, severity)
    assert len(found) == 1, (name, [m.format() for m in messages(files, name)])
    return found[0]


def check_message(m, name, severity, line, *words):
    """The printed message: one line, path:line:column: severity: plain words."""
    text = m.format()
    match = MESSAGE.fullmatch(text)
    assert match, text
    assert match["path"] == f"corpus/articles/{name}"
    assert match["severity"] == severity
    assert int(match["line"]) == line, text
    for word in words:
        assert word.lower() in match["text"].lower(), (word, text)
    assert not JARGON.search(match["text"]), text


def test_good_files_still_become_pages(hostile):
    project, files, result = hostile
    for name in ("good.txt", "sub/deeper/nested.txt", "page.html", "link-in.txt"):
        assert files[f"corpus/articles/{name}"].status == "page", name
    ids = {r.id for r in result.records}
    assert {"good", "nested", "page", "link-in"} <= ids


def test_every_entry_is_accounted_for_exactly_once(hostile):
    project, files, result = hostile
    on_disk = set()
    articles = project.articles
    for dirpath, dirnames, filenames in os.walk(articles):
        base = Path(dirpath)
        for name in dirnames + filenames:
            path = base / name
            if path.is_dir() and not path.is_symlink():
                continue                            # real folders are walked into
            on_disk.add(project.shown(path))
    listed = [f.path for f in result.files] + result.ignored
    assert len(listed) == len(set(listed)), "a file is listed twice"
    assert on_disk == set(listed)
    assert result.ignored == ["corpus/articles/.gitkeep", "corpus/articles/.hidden-draft.txt",
                              "corpus/articles/README.md"]
    for f in result.files:
        assert f.status in ("page", "error")
        if f.status == "error":
            assert any(m.severity == "error" for m in f.messages), f.path
        for m in f.messages:
            assert "internal error" not in m.text, m.format()


@pytest.mark.parametrize("name, line, words", [
    ("empty.txt", 1, ["empty file"]),
    ("blank.txt", 1, ["empty file"]),
    ("bom-only.txt", 1, ["empty file"]),
    ("png-renamed.txt", 1, ["binary file", "not a text"]),
    ("nul-byte.txt", 1, ["binary file"]),
    ("bad-yaml.md", 3, ["front matter is not valid YAML", "quotes"]),
    ("tab-yaml.md", 3, ["front matter is not valid YAML", "tab", "spaces"]),
    ("colon-yaml.md", 2, ["front matter is not valid YAML", "in quotes"]),
    ("unclosed-front.md", 1, ["no closing '---'"]),
    ("list-front.md", 2, ["'field: value' lines", "a list"]),
    ("scalar-front.md", 2, ["'field: value' lines", "single line of text"]),
    ("front-only.md", 4, ["front matter but no article text"]),
    ("dotdot-id.md", 2, ["id '../../etc/passwd' is not allowed", "no spaces, slashes or '..'"]),
    ("space-id.md", 2, ["id 'my article' is not allowed"]),
    ("report.pdf", 1, ["unsupported file type '.pdf'", ".txt, .md or .html"]),
    ("notes.docx", 1, ["unsupported file type '.docx'"]),
    ("photo.jpg", 1, ["unsupported file type '.jpg'"]),
    ("empty-page.html", 1, ["no article text found in this web page"]),
    ("link-out.txt", 1, ["symbolic link pointing outside the corpus", "refused"]),
    ("link-etc.txt", 1, ["symbolic link pointing outside the corpus"]),
    ("link-folder-out", 1, ["symbolic link to a folder", "copy the files"]),
    ("link-folder-in", 1, ["symbolic link to a folder"]),
    ("link-broken.txt", 1, ["broken symbolic link", "does not exist"]),
    ("link-loop.txt", 1, ["symbolic link", "loops"]),
    ("fifo.txt", 1, ["not a regular file", "pipe"]),
    ("same-a.md", 2, ["id 'same' is also used by corpus/articles/same-b.md"]),
    ("same-b.md", 2, ["id 'same' is also used by corpus/articles/same-a.md"]),
    ("Case.txt", 1, ["is also used by corpus/articles/case.md", "capital letters"]),
    ("case.md", 1, ["is also used by corpus/articles/Case.txt", "capital letters"]),
])
def test_refused_files_get_one_clear_error(hostile, name, line, words):
    _, files, _ = hostile
    f = files[f"corpus/articles/{name}"]
    assert f.status == "error"
    check_message(only(files, name, "error"), name, "error", line, *words)


def test_broken_front_matter_points_at_the_column(hostile):
    _, files, _ = hostile
    assert only(files, "tab-yaml.md", "error").column == 1          # the tab that indents 'date:'
    assert only(files, "bad-yaml.md", "error").column > 1


@pytest.mark.parametrize("name, line, column, words, published", [
    ("invalid-utf8.txt", 3, 8, ["not saved as UTF-8", "0xe9", "Windows-1252", "save the file as UTF-8"],
     "The café near the square was closed."),
    ("cp1252.txt", 1, 29, ["not saved as UTF-8", "Windows-1252"], "He said \u201cno\u201d to the zone \u2014 firmly."),
    ("latin1.txt", 1, 22, ["not saved as UTF-8"], "São Paulo and München said Ño."),
    ("latin1-c1.txt", 1, 29, ["not saved as UTF-8", "Latin-1"], "café"),
    ("utf16.txt", 1, 1, ["UTF-16", "save it as UTF-8"], "The alliance said it would not send planes"),
])
def test_legacy_encodings_are_published_with_a_warning(hostile, name, line, column, words, published):
    _, files, result = hostile
    f = files[f"corpus/articles/{name}"]
    assert f.status == "page"
    m = only(files, name, "warning")
    check_message(m, name, "warning", line, *words)
    assert m.column == column
    record = next(r for r in result.records if r.path == f.path)
    assert published in record.text + " " + record.title.value


def test_bom_and_crlf_do_not_hide_front_matter(hostile):
    _, files, result = hostile
    by_path = {r.path: r for r in result.records}
    bom = by_path["corpus/articles/bom-front.md"]
    assert bom.title.value == "Title after a BOM" and bom.title.method == "front matter"
    assert not messages(files, "bom-front.md", "warning")
    crlf = by_path["corpus/articles/crlf.md"]
    assert crlf.title.value == "A bad date"
    assert all("\r" not in p.text for p in crlf.paragraphs)
    # line numbers survive CRLF: the date is on line 3
    check_message(only(files, "crlf.md", "warning"), "crlf.md", "warning", 3, "2022-13-45", "not a valid")
    bare_cr = by_path["corpus/articles/bare-cr.txt"]
    assert len(bare_cr.paragraphs) + (bare_cr.title.method == "headline line") >= 2


def test_an_impossible_front_matter_date_is_a_warning_and_the_text_date_is_used(hostile):
    _, files, result = hostile
    check_message(only(files, "bad-date.md", "warning"), "bad-date.md", "warning", 3,
                  "date '2022-13-45' is not a valid EDTF date", "2022-03-04", "ignored by the build")
    record = next(r for r in result.records if r.path == "corpus/articles/bad-date.md")
    assert record.date.value == "2022-03-04" and record.date.method != "front matter"


def test_non_ascii_file_names_get_distinct_url_safe_ids(hostile):
    _, files, _ = hostile
    zurich = files["corpus/articles/Zürich café.txt"]
    assert zurich.status == "page" and zurich.id == "zurich-cafe"
    check_message(only(files, "Zürich café.txt", "warning"), "Zürich café.txt", "warning", 1,
                  "is not a URL-safe id", "using id 'zurich-cafe'", "set 'id:' in front matter")
    kyiv, kharkiv = files["corpus/articles/Київ.txt"], files["corpus/articles/Харків.txt"]
    assert kyiv.status == kharkiv.status == "page"
    # transliterated (anyascii), so each name keeps a readable, distinct address
    assert (kyiv.id, kharkiv.id) == ("kiiv", "kharkiv")


def test_file_names_that_are_not_utf8_or_hold_line_breaks_are_shown_on_one_line(hostile):
    _, files, _ = hostile
    odd = files["corpus/articles/latin1-name-caf\\xe9.txt"]
    assert odd.status == "page" and odd.id.startswith("latin1-name-caf-")
    newline = files["corpus/articles/new\\u000aline.txt"]
    assert newline.status == "page"
    for f in (odd, newline):
        for m in f.messages:
            assert "\n" not in m.format() and MESSAGE.fullmatch(m.format())


def test_nothing_outside_the_corpus_is_published(hostile):
    _, _, result = hostile
    assert not any("SECRET-OUTSIDE-TEXT" in r.text for r in result.records)
    assert not any(r.path.startswith("corpus/articles/link-folder") for r in result.records)


def test_a_symlink_to_an_article_inside_the_corpus_is_read(hostile):
    _, files, _ = hostile
    assert files["corpus/articles/link-in.txt"].status == "page"


# ----------------------------------------------------------------------------------------
# size limits: refused at once, never read into memory
# ----------------------------------------------------------------------------------------

def test_a_20_mb_article_is_refused_quickly_without_reading_it(make_archive):
    project = make_archive({"good.txt": GOOD})
    big = project.articles / "huge.txt"
    with open(big, "wb") as f:                 # sparse: 20 MB on paper, nothing on disk
        f.write(b"Kyiv, 4 March 2022. " * 10)
        f.truncate(20 * 1024 * 1024)
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(ReadError) as caught:
        read_file(big, "corpus/articles/huge.txt")
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 0.5, elapsed
    assert peak < 1024 * 1024, f"{peak} bytes allocated while refusing a 20 MB file"
    check_message(caught.value.message, "huge.txt", "error", 1, "20 MB", f"{MAX_BYTES // 1048576} MB limit",
                  "split it or remove it")
    result = process_project(project)
    fates = {f.path: f.status for f in result.files}
    assert fates == {"corpus/articles/good.txt": "page", "corpus/articles/huge.txt": "error"}


def test_the_size_limit_is_exact(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 101)
    with pytest.raises(ReadError) as caught:
        read_file(path, "a.txt", max_bytes=100)
    assert caught.value.message.code == "too-large"
    assert read_file(path, "a.txt", max_bytes=101).id == "a"


def test_the_limit_holds_when_the_size_on_disk_is_wrong(tmp_path, monkeypatch):
    """A file that grows while it is read, or reports size 0 (/proc-like): at most limit + 1 bytes are read."""
    import builder.core.limits

    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 10_000)
    real_fstat = os.fstat

    def lying_fstat(fd):
        info = real_fstat(fd)
        return os.stat_result((info.st_mode, *info[1:6], 0, *info[7:10]))    # st_size 0

    monkeypatch.setattr(builder.core.limits.os, "fstat", lying_fstat)
    with pytest.raises(ReadError) as caught:
        read_file(path, "a.txt", max_bytes=100)
    assert caught.value.message.code == "too-large"


def test_a_very_long_article_is_published_and_names_are_searched_in_its_start(make_archive, monkeypatch):
    monkeypatch.setattr(pipeline, "NER_MAX_CHARS", 5_000)
    paragraph = "Jens Stoltenberg said in Brussels that NATO would not act over Ukraine. " * 40
    long_text = "\n\n".join(f"{paragraph} Part {i}." for i in range(20))
    project = make_archive({"long.txt": long_text, "good.txt": GOOD})
    result = process_project(project)
    files = {f.path: f for f in result.files}
    assert files["corpus/articles/long.txt"].status == "page"
    check_message(only(files, "long.txt", "warning"), "long.txt", "warning", 1, "very long",
                  "first 5,000 characters")
    assert files["corpus/articles/good.txt"].status == "page"


def test_a_named_entity_failure_on_one_article_loses_only_that_article(make_archive, monkeypatch):
    real = pipeline.paragraph_entities

    def flaky(documents, *args, **kwargs):
        if any("BOOM" in p for doc in documents for p in doc):
            raise ValueError("simulated spaCy failure")
        return real(documents, *args, **kwargs)

    monkeypatch.setattr(pipeline, "paragraph_entities", flaky)
    project = make_archive({"a.txt": GOOD, "boom.txt": "Kyiv, 4 March 2022. BOOM went the model.\n", "c.txt": GOOD})
    result = process_project(project)
    fates = {f.path: f.status for f in result.files}
    assert fates == {"corpus/articles/a.txt": "page", "corpus/articles/boom.txt": "error",
                     "corpus/articles/c.txt": "page"}


@pytest.mark.parametrize("stage", ["find_person_mentions", "resolve_people"])
def test_a_failure_in_corpus_wide_people_resolution_loses_only_the_article_that_caused_it(
        make_archive, monkeypatch, stage):
    from builder import pipeline

    real = getattr(pipeline, stage)

    def flaky(first, *args, **kwargs):
        texts = [line.text for line in first] if stage == "find_person_mentions" else [ev.id for ev in first]
        if any("boom" in t.lower() for t in texts):
            raise KeyError("simulated extraction bug")
        return real(first, *args, **kwargs)

    monkeypatch.setattr(pipeline, stage, flaky)
    project = make_archive({"a.txt": GOOD, "boom.txt": "Kyiv, 4 March 2022. Boom, said Jens Stoltenberg.\n",
                            "c.txt": GOOD})
    files = {f.path: f for f in process_project(project).files}
    assert {p: f.status for p, f in files.items()} == {"corpus/articles/a.txt": "page",
                                                       "corpus/articles/boom.txt": "error",
                                                       "corpus/articles/c.txt": "page"}
    (m,) = files["corpus/articles/boom.txt"].messages
    assert "internal error" in m.text and "please report it" in m.text and "KeyError" in m.text


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root can read anything")
def test_an_unreadable_file_is_an_error(make_archive):
    project = make_archive({"good.txt": GOOD, "locked.txt": GOOD})
    (project.articles / "locked.txt").chmod(0)
    try:
        files = {f.path: f for f in process_project(project).files}
    finally:
        (project.articles / "locked.txt").chmod(stat.S_IRUSR | stat.S_IWUSR)
    check_message(only(files, "locked.txt", "error"), "locked.txt", "error", 1, "cannot read file")
    assert files["corpus/articles/good.txt"].status == "page"


def test_a_front_matter_url_with_brackets_is_ignored_with_a_warning(make_archive):
    project = make_archive({"a.md": "---\nurl: '[x](javascript:alert(1))'\n---\n\n" + GOOD,
                            "b.md": "---\nurl: 'http://[::1'\n---\n\n" + GOOD})
    result = process_project(project)
    for f in result.files:
        assert f.status == "page", [m.format() for m in f.messages]
        assert any(m.severity == "warning" and "url" in m.text for m in f.messages)


# ----------------------------------------------------------------------------------------
# the build report: every file, its fate, its warnings and errors
# ----------------------------------------------------------------------------------------

def test_build_writes_a_report_of_every_file(hostile, tmp_path):
    from builder.mkdocs.publish import build

    project, files, result = hostile
    outcome = build(project, site_dir=tmp_path / "site")
    report = json.loads((outcome.site / "build-report.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f for f in report["files"]}
    assert set(listed) == set(files)
    assert report["ignored"] == result.ignored
    assert report["summary"]["files"] == len(files)
    assert report["summary"]["pages"] + report["summary"]["errors"] == len(files)
    for path, f in listed.items():
        assert f["fate"] == files[path].status
        assert [m["message"] for m in f["messages"]] == [m.text for m in files[path].messages]
        if f["fate"] == "page":
            assert (outcome.site / f["page"]).is_file(), f["page"]
        else:
            assert f["page"] is None and any(m["severity"] == "error" for m in f["messages"])

    # the human page lists every file with its fate and its (escaped) warnings and errors
    from builder.outputs.render import report_page

    page = report_page(result.files, result.messages, result.ignored)   # handed to MkDocs in memory
    html = (outcome.site / "report" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>\s*<td><code>(.*?)</code></td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*</tr>", html, re.S)
    import html as htmllib
    shown = {htmllib.unescape(re.sub(r"<[^>]+>", "", path)): (fate, notes) for path, fate, notes in rows}
    assert set(shown) == set(files)
    for path, f in files.items():
        fate, notes = shown[path]
        assert ("page" in fate) == (f.status == "page"), path
        for m in f.messages:
            if m.severity != "info":
                assert htmllib.unescape(m.text) in htmllib.unescape(re.sub(r"<[^>]+>", "", notes)), (path, m.text)
    assert "## Not read" in page
    for path in result.ignored:
        assert f"<code>{htmllib.escape(path, quote=False)}</code>" in html
