"""Every use of MkDocs', Material's or Python's internals, in one module.

Each function below leans on something its library does not promise (a private attribute, a
log message's wording, an event list, a temporary folder's name, private zipfile members, a
process-wide environment variable). Each says the version it was checked against and why no
public way does the job; ``tests/test_adapter.py`` fails loudly, naming the function, when one
stops holding after an upgrade. Checked against MkDocs 1.6.1, mkdocs-material 9.8.2 and
CPython 3.11.7 (the zipfile members exist from 3.9 to 3.13).

No import of MkDocs here at module level: ``builder/outputs/export.py`` uses the zip helper
without loading MkDocs.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from pathlib import Path

# -- which page MkDocs is building --------------------------------------------------------

def current_page(config):
    """The page MkDocs is converting or templating, or None.

    MkDocs 1.6.1 sets ``config._current_page`` around each page (``commands/build.py``
    ``_populate_page`` and ``_build_page``) and resets it to None after; no public attribute or
    event tells a log handler which page a warning came from."""
    return getattr(config, "_current_page", None)


# MkDocs 1.6.1 checks links to anchors after every page is built, outside any page, and names
# the page only in the message's words: "Doc file 'people/a.md' contains a link ..."
# (structure/pages.py); the message carries no page attribute.
DOC_FILE_WORDING = re.compile(r"Doc file '([^']+)'")


def page_of_message(text: str) -> str | None:
    """The docs/ path a MkDocs link warning names, or None."""
    found = DOC_FILE_WORDING.match(text)
    return found.group(1) if found else None


class PageWarnings(logging.Handler):
    """Notes the page MkDocs is working on whenever it logs a warning: such a page is built
    again next time, so its warning is seen again (and fails a strict build again)."""

    def __init__(self, config, warned: set[str]) -> None:
        super().__init__(logging.WARNING)
        self.config, self.warned = config, warned

    def emit(self, record) -> None:
        page = current_page(self.config)
        if page is not None and getattr(page, "file", None) is not None:
            self.warned.add(page.file.src_uri)
            return
        # links to anchors are checked after every page is built, outside any page
        found = page_of_message(record.getMessage())
        if found:
            self.warned.add(found)


def skip_anchor_check(page) -> None:
    """A page whose previous HTML is reused is not rendered again: tell MkDocs it has no anchor
    list, so links to it are not checked against an empty one (they were checked when it was).

    MkDocs 1.6.1 ``Page.present_anchor_ids`` is set by ``render``; ``validate_anchor_links``
    skips a page whose list is None ("Page was somehow not rendered")."""
    page.present_anchor_ids = None


# -- a generated page whose Markdown is made when MkDocs reads it ----------------------------

@functools.cache
def _lazy_page_class():
    """The File subclass ``generated_page`` makes (built once, on first use: MkDocs loads lazily)."""
    from mkdocs.structure.files import File

    class LazyPage(File):
        """A generated page whose content is made on first read, by ``self.make``."""

        make = None

        @property
        def _content(self):
            if self.make is not None:
                self.__dict__["_made"], self.make = self.make(), None
            return self.__dict__.get("_made")

        @_content.setter
        def _content(self, value) -> None:
            self.__dict__["_made"], self.make = value, None

    return LazyPage


def generated_page(config, src_uri: str, make):
    """A generated page for MkDocs' Files whose Markdown is ``make()``, called when MkDocs (or a
    plugin) first reads it: a page MkDocs never builds (one copied from the previous site) is never
    rendered.

    MkDocs 1.6.1 keeps a generated file's content in ``File._content`` and reads it only there
    (``content_string``, ``content_bytes``, ``copy_file``, ``is_modified``); ``File.generated``
    has no lazy form."""
    file = _lazy_page_class().generated(config, src_uri, content="")
    file.make = make
    return file


# -- a reused page copied as a file, outside MkDocs' page loop -------------------------------

@functools.cache
def _copied_page_class():
    """The File subclass ``copied_page`` makes (built once, on first use: MkDocs loads lazily)."""
    from mkdocs.structure.files import File

    class CopiedPage(File):
        """A generated page MkDocs copies, like an image, instead of building: its bytes are the
        previous build's HTML. It stays at the page's src_uri, dest_uri and url, so links to it
        resolve and are rewritten as to the page."""

        def is_documentation_page(self) -> bool:
            return False

        def is_static_page(self) -> bool:
            return True

        def copy_file(self, dirty: bool = False) -> None:
            link_or_copy(Path(self.abs_src_path), Path(self.abs_dest_path))

    return CopiedPage


def copied_page(page_file, previous_html: Path):
    """A File that takes ``page_file``'s place in MkDocs' Files and is copied from ``previous_html``.

    MkDocs 1.6.1 builds as a page exactly the files whose ``File.is_documentation_page()`` is
    true (``Files.documentation_pages``: the page loop, the navigation, the templates' ``pages``)
    and writes every other included file with ``File.copy_file`` (``Files.copy_static_files``);
    it looks links up by src_uri (``Files.get_file_from_path``) and rewrites them with the
    target's ``url``. There is no public way to say "this page is already built"."""
    copied = _copied_page_class()(page_file.src_uri, None, page_file.dest_dir, page_file.use_directory_urls,
                                  dest_uri=page_file.dest_uri, inclusion=page_file.inclusion)
    copied.url = page_file.url
    copied.generated_by = page_file.generated_by
    copied.abs_src_path = str(previous_html)
    return copied


def is_copied_page(file) -> bool:
    return isinstance(file, _copied_page_class())


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` becomes ``source``'s bytes: a hard link when both are on one file system (no
    bytes copied; the previous site is only ever removed, never written in place), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:                     # another file system, or one without hard links
        shutil.copyfile(source, target)


def sitemap_pages(files, config) -> list:
    """What MkDocs' ``sitemap.xml`` template lists: the documentation pages, with each copied
    page back in its place (its canonical URL and build date, as MkDocs sets them).

    MkDocs 1.6.1 renders ``sitemap.xml`` from the context's ``pages``
    (``files.documentation_pages()``, in Files' order) and reads only ``file.page``'s
    ``is_link``, ``canonical_url``, ``abs_url`` and ``update_date``. A copied page stands in as
    a small object with those: its URLs set by ``Page._set_canonical_url`` itself, and the build
    date ``Page.__init__`` gives every page (``get_build_date``; a whole Page for each of 30,000
    copied pages took seconds). The gzip copy's date is the newest page's build date, unchanged
    while one page is still built (every page has the same date)."""
    from types import SimpleNamespace

    from mkdocs.structure.pages import Page
    from mkdocs.utils import get_build_date

    date, site_url = get_build_date(), config.get("site_url", None)
    pages = []
    for file in files:
        if not file.inclusion.is_included():
            continue
        if is_copied_page(file):
            page = SimpleNamespace(url=file.url, is_link=False, update_date=date)
            Page._set_canonical_url(page, site_url)
            pages.append(SimpleNamespace(src_uri=file.src_uri, page=page))
        elif file.is_documentation_page():
            pages.append(file)
    return pages


# -- Material's search plugin, MkDocs' Jinja environment, its serve folder ----------------------

def unhook_plugin(config, plugin) -> None:
    """Take every event handler of ``plugin`` out of MkDocs' plugin collection; the plugin stays
    listed (Material's header keeps its search box, which the archive's search fills).

    MkDocs 1.6.1 ``PluginCollection.events`` maps an event name to its list of bound methods;
    there is no public way to disable one plugin of a configuration."""
    for methods in config.plugins.events.values():
        methods[:] = [m for m in methods if getattr(m, "__self__", None) is not plugin]


def put_templates_first(env, templates: dict[str, str]):
    """Templates of these names win over the theme's and the overrides' (Jinja's ``loader`` is
    public; MkDocs 1.6.1 caches templates in ``env.cache``, emptied so the new loader is asked)."""
    import jinja2

    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader(templates), env.loader])
    env.cache = None if env.cache is None else {}
    return env


def is_serve_folder(site_dir: Path) -> bool:
    """``mkdocs serve`` builds into a temporary folder it empties before every rebuild.

    MkDocs 1.6.1 ``commands/serve.py`` makes it with ``tempfile.mkdtemp(prefix='mkdocs_')``."""
    return site_dir.name.startswith("mkdocs_") and site_dir.parent.resolve() == Path(tempfile.gettempdir()).resolve()


def set_aside(site_dir: Path) -> Path | None:
    """Under ``mkdocs serve``: move the previous build out of the temporary folder MkDocs is
    about to empty, so its pages can be reused; the plugin removes the moved folder after the
    build. Only MkDocs' own serve folder is moved."""
    site_dir = Path(site_dir)
    if not is_serve_folder(site_dir) or not site_dir.is_dir() or not any(site_dir.iterdir()):
        return None
    aside = site_dir.with_name(f"{site_dir.name}-previous-{os.getpid()}")
    if aside.exists():
        return None
    os.rename(site_dir, aside)
    site_dir.mkdir()
    return aside


# -- the build date ------------------------------------------------------------------------

def pin_build_date(epoch: int) -> bool:
    """Set SOURCE_DATE_EPOCH for this process unless it is set; True when this call set it.

    MkDocs 1.6.1 reads the variable for the sitemap's dates and the gzip header of
    sitemap.xml.gz (``utils.get_build_datetime``); it takes the date from nowhere else."""
    if os.environ.get("SOURCE_DATE_EPOCH") is not None:
        return False
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    return True


def unpin_build_date() -> None:
    os.environ.pop("SOURCE_DATE_EPOCH", None)


# -- copying an already deflated entry into a zip ------------------------------------------

# zipfile has no public way to add an entry whose deflated bytes are known: ``writestr``
# always compresses. These members exist in CPython 3.9 to 3.13 (checked on 3.11.7); without
# them every entry is compressed again (the same bytes, more slowly).
RAW_WRITES = hasattr(zipfile.ZipFile, "_writecheck") and hasattr(zipfile.ZipInfo, "FileHeader")


def write_raw_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes | None, raw: bytes, level: int,
                    size: int | None = None, crc: int | None = None) -> None:
    """Add an entry whose deflated bytes are ``raw``, with the same headers ``writestr`` writes
    (``size`` and ``crc``, when known, are those of ``data``, which is then not needed)."""
    info.file_size = len(data) if size is None else size
    info.compress_size, info.CRC = len(raw), zlib.crc32(data) if crc is None else crc
    info.flag_bits = 0
    info._compresslevel = level
    zip64 = info.file_size * 1.05 > zipfile.ZIP64_LIMIT
    info.header_offset = archive.fp.tell()
    archive._writecheck(info)
    archive._didModify = True
    archive.fp.write(info.FileHeader(zip64))
    archive.fp.write(raw)
    archive.filelist.append(info)
    archive.NameToInfo[info.filename] = info
    archive.start_dir = archive.fp.tell()
