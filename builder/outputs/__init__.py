"""What the archive publishes from its records: pages, search, feeds, citations, data, charts, the report.

Every output reads one ``Archive`` value (``builder/core/archive.py``), made once by
``build_archive`` after the pipeline's archive-wide step. The outputs are steps, in the
manner of Pelican's generators, run by the MkDocs plugin in the order listed here:

* before MkDocs: ``prepare(archive, site)`` plans the generated pages (``pageplan.pages``: each
  rendered by ``render`` when first read, and only when its inputs changed since the last build), the
  home page's summary, the feed plan and the bulk data files (the Data page lists them);
* while MkDocs writes pages: the templates ask for an article's citations (``cite.py``) and a
  page's feeds (``Prepared.feeds_of``);
* after MkDocs: ``write(archive, prepared, site)`` runs ``writers()`` in order, each
  ``step(archive, prepared, site) -> None``: the search index, the feeds, the data files,
  then the zip of the whole site (last, so it holds what the others wrote).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..core.archive import Archive


def build_archive(result, cache=None) -> Archive:
    """The archive the outputs read, from the pipeline's ``CorpusResult``: every page address made
    once, stories and quotations found once (``cache``, a ``builder.core.cache.Cache``, keeps each
    article's quotations between builds)."""
    from .render import find_related, make_links

    archive = find_related(result.records, result.registry, make_links(result.records, result.registry), cache)
    archive.files, archive.messages, archive.ignored = list(result.files), list(result.messages), list(result.ignored)
    return archive


@dataclass
class Site:
    """The site being built, as the output steps see it: its settings (mkdocs.yml and the plugin's
    options), then, once MkDocs has written it, its folder and every page's URL."""

    name: str
    url: str | None                   # the site's address; None: links stay relative
    description: str = ""
    cache: Path | None = None         # the project's .cache/ (the search index keeps its tokens there)
    zip: bool = True                  # write data/archive-site.zip
    search: bool = True               # write the archive's own search index
    folder: Path | None = None        # where MkDocs wrote the site (set after it did)
    page_url: Callable[[str], str | None] = field(default=lambda rel: None)   # a docs/ page's site URL
    previous: Path | None = None      # the site this build replaces (its zip's entries are reused)
    secret: bytes | None = None       # signs what .cache/ keeps about site/ (the page-reuse key); None: nothing kept
    other_pages: list = field(default_factory=list)   # the hand-written pages, for the search index


@dataclass
class Prepared:
    """What the output steps make before MkDocs runs, for the plugin's hooks and the steps after."""

    pages: Mapping[str, str]          # generated Markdown pages by path under docs/ (pageplan.Pages: made when read)
    summary: str                      # the home page's size and latest articles
    feeds: list                       # feeds.Feed, the archive's latest first
    data: dict[str, bytes]            # the bulk data files, by path under the site
    feeds_by_page: dict = field(init=False)

    def __post_init__(self) -> None:
        self.feeds_by_page = {f.page: f for f in self.feeds if f.page}

    def feeds_of(self, page: str | None) -> list:
        """The feeds a page links to: the latest articles, and the page's own (person, tag, source)."""
        if not self.feeds:
            return []
        own = self.feeds_by_page.get(page) if page else None
        return [self.feeds[0]] + ([own] if own else [])


def prepare(archive: Archive, site: Site) -> Prepared:
    """The steps before MkDocs: pages, summary, feed plan, data files."""
    from ..core import collector
    from . import export, feeds, pageplan, render

    with collector.paused():        # the data tables' rows and JSON: nothing cyclic (see ``write``)
        pages = pageplan.pages(archive)
        return Prepared(pages=pages, summary=render.summary(archive), feeds=feeds.plan(archive),
                        data=export.files(archive, site, pages))


def write_search(archive: Archive, prepared: Prepared, site: Site) -> None:
    """The archive's own search index (``search.py``), first: the site zip holds it too."""
    if not site.search:
        return
    import logging

    from . import search
    from .memo import state_path

    stats = search.publish(site.folder, archive.records, site.page_url, archive.registry,
                           site.cache / "search" if site.cache else None, site.other_pages, links=archive.links,
                           previous=site.previous, state=state_path(site.cache, "search.json"), key=site.secret)
    logging.getLogger("mkdocs.plugins.archive").info(
        "archive: search index of %d articles, %d files, %.1f MB (%d rewritten, %d from cache)",
        stats.documents, stats.files, stats.bytes / 1e6, stats.written, stats.cached)


def writers() -> list[Callable[[Archive, Prepared, Site], None]]:
    """The steps after MkDocs, in the order they run."""
    from . import export, feeds

    return [write_search, feeds.write, export.write, export.write_zip]


def write(archive: Archive, prepared: Prepared, site: Site) -> None:
    """The steps after MkDocs, in order, with the cyclic collector paused: they make millions of
    short-lived strings and lists, none cyclic, while the build holds millions of objects that
    every full collection would walk again (decoding one data table took seconds in a build)."""
    from ..core import collector

    with collector.paused():
        for step in writers():
            step(archive, prepared, site)
