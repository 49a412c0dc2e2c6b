"""The site zip and the output files after one change: entries copied from the last zip only
when they hold exactly the file now in the site, files linked from the previous site only when
their bytes are the same."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from builder.outputs import carry, export

KEY = b"a key kept outside the archive"


def _site(folder: Path, changed: str) -> Path:
    (folder / "articles").mkdir(parents=True)
    for i in range(6):
        (folder / "articles" / f"a{i}.html").write_text(f"<p>article {i} " + "text " * 300, "utf-8")
    (folder / "articles" / "a2.html").write_text(changed, "utf-8")
    (folder / "index.html").write_text("<h1>index</h1>", "utf-8")
    return folder


def _next_site(previous: Path, folder: Path, changed: str) -> Path:
    """A new build's folder: every file hard-linked from ``previous`` (as page reuse and
    ``carry.put`` do), then the changed page replaced."""
    for path in sorted(previous.rglob("*")):
        if path.is_file() and "data" not in path.parts:
            target = folder / path.relative_to(previous)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)
    page = folder / "articles" / "a2.html"
    page.unlink()
    page.write_text(changed, "utf-8")
    return folder


def _fresh(folder: Path, tmp: Path) -> bytes:
    copy = tmp / "fresh-copy"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("archive-site.zip*"))
    return export.write_site_zip(copy).read_bytes()


def test_a_rebuilt_zip_copies_unchanged_entries_and_equals_a_fresh_one(tmp_path):
    import io

    old = export.write_site_zip(_site(tmp_path / "old", "<p>first version</p>" * 50))
    new_site = _site(tmp_path / "new", "<p>second version</p>" * 50)
    fresh = export.write_site_zip(new_site).read_bytes()
    reused = export.write_site_zip(new_site, previous=old).read_bytes()
    assert reused == fresh
    with export._OldZip(old) as prior:       # the unchanged pages are copied, the changed one is not
        assert prior.raw("archive-site/articles/a0.html", (new_site / "articles" / "a0.html").read_bytes())
        assert prior.raw("archive-site/articles/a2.html", (new_site / "articles" / "a2.html").read_bytes()) is None
    with zipfile.ZipFile(io.BytesIO(reused)) as z:
        assert z.testzip() is None
        assert z.read("archive-site/articles/a2.html") == (new_site / "articles" / "a2.html").read_bytes()


def test_a_zip_made_from_stamps_equals_a_fresh_one(tmp_path):
    stamps = tmp_path / ".cache" / "zip" / "stamps.json"
    one = _site(tmp_path / "one", "<p>first</p>" * 40)
    first = export.write_site_zip(one, stamps=stamps, key=KEY)
    assert stamps.is_file()
    two = _next_site(one, tmp_path / "two", "<p>second</p>" * 40)
    second = export.write_site_zip(two, previous=first, stamps=stamps, key=KEY)
    assert second.read_bytes() == _fresh(two, tmp_path)
    with zipfile.ZipFile(second) as z:
        assert z.read("archive-site/articles/a2.html") == b"<p>second</p>" * 40


def test_unchanged_linked_files_are_not_read_again(tmp_path, monkeypatch):
    stamps = tmp_path / "stamps.json"
    one = _site(tmp_path / "one", "<p>first</p>" * 40)
    first = export.write_site_zip(one, stamps=stamps, key=KEY)
    two = _next_site(one, tmp_path / "two", "<p>second</p>" * 40)
    checked = []
    original = export._OldZip.raw
    monkeypatch.setattr(export._OldZip, "raw", lambda self, name, *a: checked.append(name) or original(self, name, *a))
    export.write_site_zip(two, previous=first, stamps=stamps, key=KEY)
    assert checked == ["archive-site/articles/a2.html"]         # only the file that is not the old one


def test_a_file_changed_in_place_with_its_old_size_is_read_again(tmp_path):
    """The stamp holds the modification time: an edit that keeps the size is still seen."""
    stamps = tmp_path / "stamps.json"
    one = _site(tmp_path / "one", "<p>first</p>" * 40)
    first = export.write_site_zip(one, stamps=stamps, key=KEY)
    two = _next_site(one, tmp_path / "two", "<p>second</p>" * 40)
    page = two / "articles" / "a0.html"
    before = page.stat()
    page.write_bytes(page.read_bytes().replace(b"text", b"TEXT"))    # same size, same inode
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns + 1000))
    second = export.write_site_zip(two, previous=first, stamps=stamps, key=KEY)
    with zipfile.ZipFile(second) as z:
        assert z.read("archive-site/articles/a0.html") == page.read_bytes()
    assert second.read_bytes() == _fresh(two, tmp_path)


def test_stamps_of_another_zip_are_not_used(tmp_path):
    """Stamps recorded with one zip say nothing of another (a zip replaced by hand, or by an
    older builder that kept no stamps)."""
    stamps = tmp_path / "stamps.json"
    one = _site(tmp_path / "one", "<p>first</p>" * 40)
    first = export.write_site_zip(one, stamps=stamps, key=KEY)
    saved = stamps.read_bytes()
    other = _site(tmp_path / "other", "<p>other</p>" * 40)
    (other / "articles" / "a0.html").write_text("<p>different</p>", "utf-8")
    replaced = export.write_site_zip(other)
    shutil.copyfile(replaced, first)                        # the old zip's place now holds another zip
    stamps.write_bytes(saved)
    two = _next_site(one, tmp_path / "two", "<p>second</p>" * 40)
    second = export.write_site_zip(two, previous=first, stamps=stamps, key=KEY)
    assert second.read_bytes() == _fresh(two, tmp_path)


def test_stamps_not_signed_with_the_key_are_not_trusted(tmp_path, monkeypatch):
    """Whoever can write site/ and .cache/ could record a stamp for a file the old entry is not;
    a record without this machine's key's HMAC (forged, or written with another key) is read
    entry by entry again."""
    import json

    stamps = tmp_path / "stamps.json"
    one = _site(tmp_path / "one", "<p>first</p>" * 40)
    first = export.write_site_zip(one, stamps=stamps, key=KEY)
    two = _next_site(one, tmp_path / "two", "<p>second</p>" * 40)
    forged = json.loads(stamps.read_text(encoding="utf-8"))
    forged["mac"] = "0" * 64
    stamps.write_text(json.dumps(forged), encoding="utf-8")
    checked = []
    original = export._OldZip.raw
    monkeypatch.setattr(export._OldZip, "raw", lambda self, name, *a: checked.append(name) or original(self, name, *a))
    export.write_site_zip(two, previous=first, stamps=stamps, key=KEY)
    assert len(checked) > 1                     # every entry checked, not only the changed file
    checked.clear()
    export.write_site_zip(two, previous=first, stamps=stamps, key=b"another key")
    assert len(checked) > 1


def test_damaged_stamps_are_ignored(tmp_path):
    stamps = tmp_path / "stamps.json"
    one = _site(tmp_path / "one", "<p>first</p>" * 40)
    first = export.write_site_zip(one, stamps=stamps, key=KEY)
    for damaged in (b"\x00garbage", b"[]", b'{"zip": 1, "files": []}'):
        stamps.write_bytes(damaged)
        two = _next_site(one, tmp_path / f"two{len(damaged)}", "<p>second</p>" * 40)
        assert export.write_site_zip(two, previous=first).read_bytes() == _fresh(two, tmp_path / f"f{len(damaged)}")


def test_put_links_the_previous_file_when_its_bytes_are_the_same(tmp_path):
    previous, new = tmp_path / "prev.xml", tmp_path / "site" / "a.xml"
    previous.write_bytes(b"<feed/>")
    new.parent.mkdir()
    assert carry.put(new, b"<feed/>", previous) is False
    assert new.stat().st_ino == previous.stat().st_ino
    other = tmp_path / "site" / "b.xml"
    assert carry.put(other, b"<feed>new</feed>", previous) is True
    assert other.read_bytes() == b"<feed>new</feed>" and previous.read_bytes() == b"<feed/>"
    # a linked file is replaced, never written into: the previous site keeps its bytes
    assert carry.put(new, b"<feed>changed</feed>", None) is True
    assert new.read_bytes() == b"<feed>changed</feed>" and previous.read_bytes() == b"<feed/>"


ADDED = """Oslo, 9 March 2031. The harbour board approved the Zyxwvutsrq breakwater on Sunday, and
Jens Stoltenberg said the city would pay for it.
"""


@pytest.mark.slow
def test_an_added_article_is_in_the_search_the_feed_and_the_zip_of_the_second_build(make_archive, monkeypatch):
    """The second build links or copies what did not change; what did must be there, and every
    zip entry holds the bytes of the file now in the site."""
    from builder.mkdocs.publish import build

    from conftest import SEEDS

    project = make_archive({p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))[:6]})
    build(project)
    (project.root / "corpus" / "articles" / "zz-added.txt").write_text(ADDED, encoding="utf-8")
    copied = []
    unread = export._OldZip.unread
    monkeypatch.setattr(export._OldZip, "unread",
                        lambda self, name, stamp: copied.append((name, unread(self, name, stamp))) or copied[-1][1])
    build(project)
    unread_names = {name for name, c in copied if c is not None}
    assert "archive-site/articles/000_6645bb114f692c0a.html" in unread_names          # linked from the last site
    assert any(name.startswith("archive-site/feeds/") for name in unread_names)
    assert "archive-site/articles/zz-added.html" not in unread_names
    assert "archive-site/feeds/latest.xml" not in unread_names
    site = project.site
    shards = b"".join(p.read_bytes() for p in sorted((site / "assets" / "archive-search" / "t").glob("*.js")))
    assert b'"zyxwvutsrq"' in shards
    assert b"Zyxwvutsrq breakwater" in (site / "feeds" / "latest.xml").read_bytes()
    with zipfile.ZipFile(site / "data" / "archive-site.zip") as z:
        names = {i.filename.partition("/")[2] for i in z.infolist()}
        assert "articles/zz-added.html" in names
        for name in sorted(names):
            assert z.read(f"archive-site/{name}") == (site / name).read_bytes(), name


def _by_writestr(site: Path, target: Path) -> bytes:
    """The zip as ``ZipFile.writestr`` makes it, entry by entry (what the site zip must equal)."""
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=export.ZIP_LEVEL) as z:
        z.comment = export.ZIP_COMMENT
        for name in names:
            info = zipfile.ZipInfo(f"archive-site/{name}", date_time=export.ZIP_TIME)
            info.compress_type, info.external_attr, info.create_system = zipfile.ZIP_DEFLATED, 0o644 << 16, 3
            z.writestr(info, (site / name).read_bytes(), compresslevel=export.ZIP_LEVEL)
    return target.read_bytes()


def test_the_zip_compressed_ahead_in_a_thread_equals_writestr_s(tmp_path, monkeypatch):
    site = _site(tmp_path / "site", "<p>changed</p>" * 30)
    (site / "empty.txt").write_bytes(b"")
    (site / "ünïcode name.html").write_text("x" * 5000, "utf-8")
    (site / "big.bin").write_bytes(os.urandom(300_000) + b"a" * 300_000)
    expected = _by_writestr(site, tmp_path / "reference.zip")
    monkeypatch.setattr(export, "_AHEAD_FILES", 2)          # the window of files read ahead fills and drains
    assert export.write_site_zip(site).read_bytes() == expected
    (site / "data" / "archive-site.zip").unlink()
    monkeypatch.setattr(export, "_AHEAD_BYTES", 1)
    assert export.write_site_zip(site).read_bytes() == expected


@pytest.mark.parametrize("value", [
    [], {}, [[]], [{}], {"a": []}, "é\u2028\"\\\x00", [1, -2, 10**30, True, False, None],
    [{"name": "Ana Ruiz", "page": "people/ana-ruiz.html", "aliases": ["A. Ruiz", "Ruiz"], "articles": [],
      "article_count": 0, "first": None, "nested": [["x", 1], {"k": [None]}]}],
    [1.5, float("nan"), {"f": 0.1}],          # floats: left to json
    {1: "a number as key"}, ("a", "tuple"),
])
def test_the_data_files_json_is_json_dumps_s_byte_for_byte(value):
    import json

    assert export._json(value) == (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


@pytest.mark.parametrize("table", [[], [{"a": 1}], [{"a": "x\n {"}, {"b": [{"c": 1}, {"d": {}}]}, {}], [1, 2], {"k": []}])
def test_a_data_table_s_entries_are_counted_as_json_would(table):
    assert export._entries_of(export._json(table)) == len(table)


def test_what_is_not_json_has_no_count():
    assert export._entries_of(b"[\n {not json") is None
