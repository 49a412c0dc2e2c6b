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

import logging
import os
import re
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


def write_raw_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes, raw: bytes, level: int) -> None:
    """Add an entry whose deflated bytes are ``raw``, with the same headers ``writestr`` writes."""
    info.file_size, info.compress_size, info.CRC = len(data), len(raw), zlib.crc32(data)
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
