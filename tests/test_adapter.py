"""The internals of MkDocs, Material and Python that builder/core/adapter.py leans on.

Each test names the adapter function whose assumption it checks: when one fails after an
upgrade, that function (and only it) needs a new way to do its job."""

from __future__ import annotations

import inspect
import io
import logging
import os
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from builder.core import adapter


def test_current_page_mkdocs_sets_config_current_page_around_each_page():
    from mkdocs.commands import build

    for step in (build._populate_page, build._build_page):
        source = inspect.getsource(step)
        assert "config._current_page = page" in source and "config._current_page = None" in source, \
            f"adapter.current_page: MkDocs' {step.__name__} no longer sets config._current_page"
    from mkdocs.config.defaults import MkDocsConfig

    assert "_current_page" in MkDocsConfig.__annotations__, "adapter.current_page: MkDocsConfig._current_page is gone"


def test_page_of_message_matches_mkdocs_link_warnings():
    from mkdocs.structure import pages

    source = inspect.getsource(pages)
    assert "f\"Doc file '{self.file.src_uri}' contains a link '{original_link}', but {problem}." in source, \
        "adapter.page_of_message: MkDocs' anchor warning is worded differently"
    assert adapter.page_of_message("Doc file 'tags/c.md' contains a link 'x.md#y', but there is no such anchor "
                                   "on this page.") == "tags/c.md"
    assert adapter.page_of_message("a warning about something else") is None


def test_page_warnings_note_the_page_being_built_and_the_page_a_link_warning_names():
    warned: set[str] = set()
    config = SimpleNamespace(_current_page=SimpleNamespace(file=SimpleNamespace(src_uri="people/a.md")))
    handler = adapter.PageWarnings(config, warned)
    logger = logging.getLogger("mkdocs.test-adapter")
    logger.addHandler(handler)
    try:
        logger.warning("while people/a.md is built")
        config._current_page = None
        logger.warning("Doc file 'tags/c.md' contains a link 'x.md#y', but there is no such anchor on this page.")
    finally:
        logger.removeHandler(handler)
    assert warned == {"people/a.md", "tags/c.md"}


def test_skip_anchor_check_mkdocs_skips_pages_without_an_anchor_list():
    from mkdocs.structure import pages

    assert "if page.present_anchor_ids is None" in inspect.getsource(pages.Page.validate_anchor_links), \
        "adapter.skip_anchor_check: MkDocs no longer skips a page whose present_anchor_ids is None"
    page = SimpleNamespace(present_anchor_ids={"a"})
    adapter.skip_anchor_check(page)
    assert page.present_anchor_ids is None


def test_unhook_plugin_takes_a_plugin_out_of_mkdocs_event_lists():
    from mkdocs.plugins import BasePlugin, PluginCollection

    class One(BasePlugin):
        def on_page_markdown(self, markdown, **kwargs):
            return markdown + " one"

    class Two(BasePlugin):
        def on_page_markdown(self, markdown, **kwargs):
            return markdown + " two"

    plugins = PluginCollection()
    one, two = One(), Two()
    plugins["one"], plugins["two"] = one, two
    config = SimpleNamespace(plugins=plugins)
    assert isinstance(plugins.events, dict) and all(isinstance(v, list) for v in plugins.events.values()), \
        "adapter.unhook_plugin: PluginCollection.events is no longer a dict of lists"
    adapter.unhook_plugin(config, one)
    assert "one" in plugins
    assert plugins.on_page_markdown("x", page=None, config=None, files=None) == "x two"


def test_put_templates_first_wins_over_the_theme_loader():
    import jinja2

    env = jinja2.Environment(loader=jinja2.DictLoader({"partials/search.html": "theme's"}))
    assert env.get_template("partials/search.html").render() == "theme's"
    adapter.put_templates_first(env, {"partials/search.html": "ours"})
    assert env.get_template("partials/search.html").render() == "ours"


def test_is_serve_folder_matches_mkdocs_serve_temporary_folder():
    from mkdocs.commands import serve

    assert "mkdtemp(prefix='mkdocs_')" in inspect.getsource(serve), \
        "adapter.is_serve_folder: mkdocs serve names its temporary folder differently"
    import tempfile

    assert adapter.is_serve_folder(Path(tempfile.gettempdir()) / "mkdocs_abc")
    assert not adapter.is_serve_folder(Path(tempfile.gettempdir()) / "site")


def test_pin_build_date_is_what_mkdocs_reads(monkeypatch):
    from mkdocs import utils

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert adapter.pin_build_date(1_700_000_000)
    try:
        assert utils.get_build_timestamp() == 1_700_000_000, \
            "adapter.pin_build_date: MkDocs no longer takes the build date from SOURCE_DATE_EPOCH"
        assert not adapter.pin_build_date(5)              # set already: left alone
        assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"
    finally:
        adapter.unpin_build_date()
    assert "SOURCE_DATE_EPOCH" not in os.environ


@pytest.mark.parametrize("size", [0, 10, 100_000])
def test_write_raw_entry_gives_the_bytes_writestr_gives(size):
    import zlib

    assert adapter.RAW_WRITES, "adapter.write_raw_entry: zipfile's _writecheck or ZipInfo.FileHeader is gone"
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    level = 6

    def info():
        entry = zipfile.ZipInfo("a/b.txt", date_time=(1980, 1, 1, 0, 0, 0))
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        entry.create_system = 3
        return entry

    plain, raw_made = io.BytesIO(), io.BytesIO()
    with zipfile.ZipFile(plain, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr(info(), data, compresslevel=level)
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    raw = compressor.compress(data) + compressor.flush()
    with zipfile.ZipFile(raw_made, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        adapter.write_raw_entry(z, info(), data, raw, level)
    assert raw_made.getvalue() == plain.getvalue(), "adapter.write_raw_entry: the headers differ from writestr's"
    with zipfile.ZipFile(raw_made) as z:
        assert z.testzip() is None and z.read("a/b.txt") == data


def _mkdocs_config(tmp_path, site_url="https://example.org/a/"):
    from mkdocs.config import load_config

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(f"site_name: t\nsite_url: {site_url}\nuse_directory_urls: false\n",
                                         encoding="utf-8")
    return load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))


def test_copied_page_is_copied_by_mkdocs_at_the_page_address_and_linked_to_as_the_page(tmp_path):
    from mkdocs.commands import build
    from mkdocs.structure import pages
    from mkdocs.structure.files import File, Files

    for method, words in ((Files.documentation_pages, "file.is_documentation_page()"),
                          (Files.copy_static_files, "file.copy_file(dirty)")):
        assert words in inspect.getsource(method), f"adapter.copied_page: MkDocs' {method.__name__} changed"
    assert "files.documentation_pages(inclusion=inclusion)" in inspect.getsource(build.build), \
        "adapter.copied_page: MkDocs no longer builds exactly Files.documentation_pages() as pages"
    relpath = inspect.getsource(pages._RelativePathTreeprocessor)
    assert "self.files.get_file_from_path(target_uri)" in relpath and "target_file.url" in relpath, \
        "adapter.copied_page: MkDocs resolves links to files differently"
    config = _mkdocs_config(tmp_path)
    previous = tmp_path / "previous" / "articles" / "a.html"
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"<html>a</html>")
    page, other = (File(rel, config.docs_dir, config.site_dir, False) for rel in ("articles/a.md", "articles/b.md"))
    copied = adapter.copied_page(page, previous)
    assert (copied.src_uri, copied.dest_uri, copied.url) == (page.src_uri, page.dest_uri, page.url)
    files = Files([copied, other])
    assert files.documentation_pages() == [other] and files.get_file_from_path("articles/a.md") is copied
    assert adapter.is_copied_page(copied) and not adapter.is_copied_page(other)
    files.copy_static_files()
    written = Path(copied.abs_dest_path)
    assert written.read_bytes() == b"<html>a</html>" and written.stat().st_ino == previous.stat().st_ino


def test_link_or_copy_copies_when_it_cannot_link(tmp_path, monkeypatch):
    source, target = tmp_path / "a.html", tmp_path / "out" / "a.html"
    source.write_bytes(b"x")

    def no_link(*args):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_link)
    adapter.link_or_copy(source, target)
    assert target.read_bytes() == b"x" and target.stat().st_ino != source.stat().st_ino


def test_sitemap_pages_lists_copied_pages_as_mkdocs_lists_pages(tmp_path):
    from mkdocs.commands import build
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    template = (Path(build.__file__).parents[1] / "templates" / "sitemap.xml").read_text(encoding="utf-8")
    assert "for file in pages" in template and \
        set(re.findall(r"file\.page\.(\w+)", template)) <= {"is_link", "abs_url", "canonical_url", "update_date"}, \
        "adapter.sitemap_pages: MkDocs' sitemap.xml reads something else of the pages"
    assert "files.documentation_pages()" in inspect.getsource(build.get_context) and \
        "on_template_context(context, template_name=name" in inspect.getsource(build._build_template), \
        "adapter.sitemap_pages: MkDocs gives templates their pages differently"
    assert "get_build_date()" in inspect.getsource(Page.__init__) and \
        "self._set_canonical_url(config.get('site_url'" in inspect.getsource(Page.__init__), \
        "adapter.sitemap_pages: MkDocs sets a page's URLs or date differently"
    config = _mkdocs_config(tmp_path)
    made = [File(rel, config.docs_dir, config.site_dir, False) for rel in ("index.md", "articles/a.md", "articles/b.md")]
    for file in made:
        Page(None, file, config)
    files = Files([made[0], adapter.copied_page(made[1], tmp_path / "a.html"), made[2]])
    listed = adapter.sitemap_pages(files, config)
    assert [f.src_uri for f in listed] == ["index.md", "articles/a.md", "articles/b.md"]
    for mine, theirs in zip(listed, made):
        for name in ("is_link", "abs_url", "canonical_url", "update_date"):
            assert getattr(mine.page, name) == getattr(theirs.page, name), name
    assert listed[1].page.canonical_url == "https://example.org/a/articles/a.html"


def test_a_generated_page_is_made_when_first_read_and_once(tmp_path):
    from mkdocs.structure.files import File

    assert "f._content = content" in inspect.getsource(File.generated) and \
        "self._content" in inspect.getsource(File.content_string.fget), \
        "adapter.generated_page: MkDocs keeps a generated file's content elsewhere"
    config = _mkdocs_config(tmp_path)
    config.plugins._current_plugin = "archive"       # as MkDocs sets it while a plugin's on_files runs
    made = []

    def make():
        made.append(1)
        return "# A page\n"

    file = adapter.generated_page(config, "articles/a.md", make)
    assert made == [] and file.src_uri == "articles/a.md" and file.is_documentation_page()
    assert file.content_string == "# A page\n" and file.content_bytes == b"# A page\n" and made == [1]
    file.content_string = ""
    assert file.content_string == "" and made == [1]
