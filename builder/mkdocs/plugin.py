"""The ``archive`` MkDocs plugin: part of the publish stage.

Registered as the ``archive`` plugin, so plain ``mkdocs build`` and ``mkdocs serve``
produce the same site as ``archive build``:

* before MkDocs collects files, it runs read -> clean -> extract -> render over
  ``corpus/`` (per-article results come from the extraction cache, ``.cache/``, when the
  text is unchanged) and hands the generated pages to MkDocs in memory: nothing is written
  under ``docs/``, which holds only what people wrote;
* it HTML-escapes page titles and tags (Material prints ``page.meta.title`` unescaped,
  and its search results insert the index's titles and tags as HTML);
* it gives templates ``archive_url(path)``, the URL of a docs/ page, so
  ``theme_overrides/`` can link an article's metadata to the index pages;
* it replaces ``<!-- archive:summary -->`` in a page with the archive's size and
  latest articles, and ``<!-- archive:data -->`` with the list of data files;
* it gives templates ``archive_citation(page)`` (an article's citations and head metadata,
  ``builder/outputs/cite.py``) and ``archive_feeds(page)`` (the Atom feeds a page links to);
* it reuses the previous build's HTML of generated pages whose inputs are unchanged
  (``reuse.py``): most are handed to MkDocs as files to copy, hard-linked from the previous
  site, and put back into ``sitemap.xml``; the others go through MkDocs with nothing to build;
* after the build it writes the Atom feeds (``feeds/``), the bulk data (``data/``) and a zip
  of the whole site (``data/archive-site.zip``);
* under ``mkdocs serve`` it watches ``corpus/`` and rebuilds on change.
"""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, event_priority

from ..core.escape import html_text
from ..core import adapter, collector

log = logging.getLogger("mkdocs.plugins.archive")

SUMMARY_MARKER = "<!-- archive:summary -->"
DATA_MARKER = "<!-- archive:data -->"


RAW_BLOCKS = "builder.mkdocs.rawblocks"    # the generated pages' HTML blocks, passed through unparsed
SPOOL = True      # keep generated pages' HTML on disk between conversion and templating (see reuse.Spool)
ARCHIVE_MESSAGE = "archive_message"     # on a log record: an article's message, which `archive build` prints
GZIP_MAX_EPOCH = 2**32 - 1   # the sitemap.xml.gz header stores the date in 32 unsigned bits


def build_epoch(records) -> int:
    """Seconds since 1970 for the newest full date among the articles (1970-01-01 if none).

    Only dates that are real calendar days count (EDTF such as '202X' or '2022-XX' name no
    day); the result is clamped to what a gzip header can hold, so archives of articles
    from before 1970 or far-future typos still build."""
    import datetime as dt

    from ..core.dates import ArchiveDate

    newest = None
    for r in records:
        start = ArchiveDate.parse(r.date.value).start
        if not start:
            continue
        try:
            day = dt.date.fromisoformat(start)
        except ValueError:       # the year 0000
            continue
        newest = day if newest is None or day > newest else newest
    if newest is None:
        return 0
    stamp = int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.timezone.utc).timestamp())
    return min(max(stamp, 0), GZIP_MAX_EPOCH)


_PageWarnings = adapter.PageWarnings    # MkDocs internals: builder/core/adapter.py


class ArchiveConfig(Config):
    corpus_dir = c.Type(str, default="corpus")
    generate = c.Type(bool, default=True)
    site_zip = c.Type(bool, default=True)      # data/archive-site.zip: the whole site for offline reading
    # the archive's own search (builder/outputs/search.py) at every size; "material" opts in to Material's
    # lunr search instead ("auto", older archives' default, is the archive's own)
    search = c.Choice(("archive", "material", "auto"), default="archive")
    search_threshold = c.Deprecated(message="The archive plugin's 'search_threshold' is no longer used: the "
                                    "archive's own search is used at every size (search: material opts out)")


@dataclass
class BuildOptions:
    """What ``archive build`` (``publish.py``) asks of the plugin for one build, handed over with
    ``ArchivePlugin.configure_build``; plain ``mkdocs build`` and ``mkdocs serve`` use the defaults."""

    progress: Callable | None = None      # progress(stage, done, total, cached=0) (builder/core/progress.py)
    scheduler: str | None = None          # a Dask scheduler address to extract on
    previous_site: Path | None = None     # the site this build replaces: read or linked from, never written


@dataclass
class BuildState:
    """One build's state, made in ``on_pre_build`` (a ``mkdocs serve`` rebuild starts a new one)."""

    archive: object = None                # builder.core.archive.Archive
    prepared: object = None               # builder.outputs.Prepared: pages, summary, feeds, data files
    site: object = None                   # builder.outputs.Site
    files: object = None                  # MkDocs' Files of this build
    reuse: object = None                  # builder.mkdocs.reuse.Plan when the previous build's HTML can be reused
    spool: object = None                  # builder.mkdocs.reuse.Spool: pages' HTML between conversion and templates
    spooled: set[str] = field(default_factory=set)
    copied: int = 0                       # reused pages handed to MkDocs as files to copy, not as pages
    warned: object = None                 # the _PageWarnings handler while MkDocs builds
    steps: int = 0                        # MkDocs' progress: pages converted and written
    step_total: int = 0
    search_pages: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # src -> (title, HTML or None)
    cited: dict = field(default_factory=dict)   # article id -> its citations, made once
    set_aside: Path | None = None         # under serve: the previous build's folder, moved aside
    pinned: bool = False                  # SOURCE_DATE_EPOCH was set by this build

    @property
    def pages(self) -> dict[str, str]:
        return self.prepared.pages if self.prepared is not None else {}


class ArchivePlugin(BasePlugin[ArchiveConfig]):
    """The plugin's state is ``self.state`` (one build) and ``self.options`` (given by ``archive
    build``); ``self.result``, the last CorpusResult, is read by ``archive build`` for its summary."""

    def __init__(self) -> None:
        super().__init__()
        self.result = None
        self.options = BuildOptions()
        self.state = BuildState()
        self.command: str | None = None
        self.archive_search = False

    def configure_build(self, options: BuildOptions) -> None:
        """What ``archive build`` asks of the next build (progress, scheduler, the site it replaces)."""
        self.options = options

    def _progress(self, stage: str, done: int, total: int, cached: int = 0) -> None:
        if self.options.progress is not None:
            self.options.progress(stage, done, total, cached)

    @property
    def _generated(self) -> bool:
        """This build generated the pages (``generate: true``, and on_pre_build ran)."""
        return self.state.prepared is not None

    def on_config(self, config):
        self.root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        if config.theme.name == "material":
            # the archive's templates come from the installed package, under a local folder's
            from ..core.toolsource import theme_dirs
            config.theme.dirs[:] = theme_dirs(config.theme.dirs, self.root, config.theme.custom_dir)
        if config.use_directory_urls:
            # the generated lists link to the pages' files (builder/outputs/listing.py), which also
            # lets the site open from the file system
            log.warning("archive: use_directory_urls is set to false: the archive's pages are files "
                        "(articles/<id>.html), so the site also works opened from the file system")
            config.use_directory_urls = False
        if RAW_BLOCKS not in config.markdown_extensions:
            config.markdown_extensions.append(RAW_BLOCKS)
        if "md_in_html" not in config.markdown_extensions:
            # the generated pages put long parts (a person's quotations) in <details markdown="1">
            config.markdown_extensions.append("md_in_html")
        from ..outputs import search

        self.archive_search = search.use_archive_search(self.config.search)
        self.state = BuildState()
        material_search = search.material_search_plugin(config)
        if self.archive_search and material_search is not None:
            # Material's search stays listed (its header box is where ours goes) but indexes nothing
            adapter.unhook_plugin(config, material_search)
        elif self.archive_search:
            log.warning("archive: the archive's search needs Material's search plugin listed under 'plugins:' "
                        "(its box in the header is where the archive's search goes)")
        return config

    def on_startup(self, command, dirty) -> None:
        # defining on_startup keeps this instance across `mkdocs serve` rebuilds (MkDocs 1.4+),
        # so a rebuild knows it follows one and can reuse that build's pages
        self.command = command

    def _previous_site(self) -> Path | None:
        return self.state.set_aside or self.options.previous_site

    def on_pre_build(self, config) -> None:
        self.state = BuildState()
        if not self.config.generate:
            return
        if self.command == "serve":
            # MkDocs empties its serve folder next: keep the last build's pages to reuse
            self.state.set_aside = adapter.set_aside(Path(config.site_dir))
        from ..core.cache import Cache
        from ..outputs import Site, build_archive, prepare
        from ..pipeline import Project, process_project

        result = process_project(Project(self.root, self.config.corpus_dir), scheduler=self.options.scheduler,
                                 progress=self.options.progress)
        if not config.site_url:
            from .config import site_url_messages

            result.messages += site_url_messages(Project(self.root, self.config.corpus_dir))
        self._progress("render", 0, len(result.records))
        # stories and quotations, page addresses: found once, for the pages and for the data files
        state = self.state
        state.archive = build_archive(result, cache=Cache(self.root).sibling("quotes"))
        from .reuse import secret
        state.site = Site(name=config.site_name, url=config.site_url or None,
                          description=config.site_description or "", cache=self.root / ".cache",
                          zip=self.config.site_zip, search=self.archive_search, previous=self._previous_site(),
                          secret=secret())
        state.prepared = prepare(state.archive, state.site)
        self._progress("render", len(result.records), len(result.records))
        self.result = result
        self._pin_build_date(result.records)
        for m in result.all_messages:
            # an article error is a warning to MkDocs: `--strict` fails on it, a normal build goes on.
            # Under --strict an article warning is one too: --strict counts warnings as errors, for
            # `archive build`, `mkdocs build` and `archive check` alike
            loud = m.severity == "error" or (m.severity == "warning" and config.strict)
            # `archive build` prints them itself, once, with their severity (ARCHIVE_MESSAGE marks them)
            (log.warning if loud else log.debug)("%s", m.format(), extra={ARCHIVE_MESSAGE: True})
        log.info("archive: %d articles, %d pages generated", len(result.records), len(state.pages))

    def _pin_build_date(self, records) -> None:
        """Reproducible output: MkDocs stamps the sitemap with the build date unless
        SOURCE_DATE_EPOCH is set, so pin it to the newest article's date."""
        self.state.pinned = adapter.pin_build_date(build_epoch(records))

    def _unpin_build_date(self) -> None:
        if self.state.pinned:
            adapter.unpin_build_date()
            self.state.pinned = False

    @event_priority(-110)   # after Material's offline plugin (-100) rewrites the search index
    def on_post_build(self, config) -> None:
        try:
            self._end_reuse(saved=True)
            self._release_pages()
            if not config.site_url:
                # without the site's address MkDocs writes <url> entries with no <loc>: no sitemap is honest
                for name in ("sitemap.xml", "sitemap.xml.gz"):
                    Path(config.site_dir, name).unlink(missing_ok=True)
            self._write_outputs(config)
        finally:
            self._unpin_build_date()
            self._drop_set_aside()

    def _release_pages(self) -> None:
        """Every page is written and every other plugin's on_post_build has run (this one runs
        last): drop the pages' Markdown and HTML before the search index and data files are made.
        At 10,000 articles they are 500 MB, and the index needs as much again."""
        state = self.state
        if state.files is not None:
            for file in state.files.documentation_pages():
                page = file.page
                if page is not None:
                    page.markdown = page.content = None
                if file.generated_by is not None and file.src_uri in state.pages:
                    file.content_string = ""
        if state.prepared is not None:
            state.prepared.pages = {}

    def _page_url(self, src_path: str) -> str | None:
        files = self.state.files
        file = files.get_file_from_path(src_path) if files is not None else None
        return file.url if file is not None else None

    def _write_outputs(self, config) -> None:
        """The output steps after MkDocs (builder/outputs/__init__.py): search index, feeds, data, site zip."""
        state = self.state
        if not self._generated:
            return
        from ..outputs import search, write

        site = state.site
        site.folder, site.page_url = Path(config.site_dir), self._page_url
        site.other_pages = [search.page_doc(src, url, title, text)
                            for src, (title, text) in sorted(state.search_pages.items())
                            for url in [self._page_url(src)] if url]
        write(state.archive, state.prepared, site)

    def on_build_error(self, error) -> None:
        # a failed build must not leave the pinned date behind for the next build in this process
        self._unpin_build_date()
        self._end_reuse(saved=False)
        self._drop_set_aside()

    def _drop_set_aside(self) -> None:
        """The serve folder's previous build, moved aside by this plugin: removed once used."""
        import shutil

        aside, self.state.set_aside = self.state.set_aside, None
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)

    def on_serve(self, server, config, builder):
        server.watch(str(self.root / self.config.corpus_dir))
        return server

    def on_files(self, files, config):
        """Hand the generated pages to MkDocs from memory: docs/ holds only what people wrote.

        A file under docs/ at a generated page's path (or left in a generated folder by an
        older version, which wrote its pages there) is left out of the build, with a warning."""
        if self._generated:
            # 60,000 Files and the reuse plan's keys, all alive until the build ends: full collections
            # of the cyclic collector over the whole archive found no garbage (2.6 s at 10,000 articles)
            with collector.paused():
                files = self._with_generated(files, config)
        self.state.files = files
        # MkDocs converts every page, then writes every page: two steps per page
        self.state.steps, self.state.step_total = 0, 2 * len(files.documentation_pages())
        self._progress("mkdocs", 0, self.state.step_total)
        return files

    def _with_generated(self, files, config):
        """MkDocs' files with the generated pages in, those reused from the last build as files to copy."""
        from mkdocs.structure.files import Files, file_sort_key

        from ..outputs.render import GENERATED_DIRS

        pages = self.state.pages
        left_out: dict[str, int] = {}
        for file in list(files):
            folder = file.src_uri.split("/", 1)[0]
            if file.src_uri in pages or (folder in GENERATED_DIRS and "/" in file.src_uri):
                left_out[folder] = left_out.get(folder, 0) + 1
                files.remove(file)
        for folder, count in sorted(left_out.items()):
            log.warning("archive: %d file(s) under %s/ left out of the site: the archive generates the pages "
                        "of that folder (older versions wrote them there; delete the folder)", count,
                        Path(config.docs_dir, folder).as_posix())
        for rel in sorted(pages):
            # rendered when MkDocs reads it: a page copied from the last build never is
            files.append(adapter.generated_page(config, rel, functools.partial(pages.take, rel)))
        # in the order MkDocs lists a docs folder (pages, the search index and sitemap follow it)
        files = Files(sorted(files, key=file_sort_key))
        self._plan_reuse(config, files, set(pages))
        return self._copy_reused(config, files)

    def _page_step(self) -> None:
        state = self.state
        state.steps += 1
        self._progress("mkdocs", min(state.steps, state.step_total), state.step_total)

    @event_priority(-200)     # last: what is recorded is what MkDocs writes
    def on_post_page(self, output, page, config):
        self._page_step()
        state = self.state
        if state.reuse is not None:
            output = state.reuse.output(page.file.src_uri) or output
            state.reuse.record(page.file.src_uri, output)
        if state.spool is not None and page.file.src_uri in state.spooled:
            page.content = None                  # written: its HTML is not needed again
        return output

    @event_priority(-200)     # last: after anything that edits a page's HTML
    def on_page_content(self, html, page, config, files):
        state = self.state
        if self._generated and page.file.src_uri in state.pages:
            # converted: its Markdown is read by nothing after this (held until every page was
            # written, the generated pages' Markdown took a few hundred MB of a cold build); "" and
            # not None, which MkDocs reads as a page never read (no title in the nav of 404.html)
            page.markdown = ""
            page.file.content_string = ""
        if state.reuse is not None and page.file.src_uri in state.reuse.reused:
            adapter.skip_anchor_check(page)      # not rendered again: links to it were checked when it was
        elif state.spool is not None and page.file.src_uri in state.reuse.keys:
            state.spool.put(page.file.src_uri, html)
            state.spooled.add(page.file.src_uri)
            return ""
        return html

    @event_priority(200)      # first: the templates and other plugins see the page's HTML
    def on_page_context(self, context, page, config, nav):
        state = self.state
        if state.spool is not None and page.file.src_uri in state.spooled:
            page.content = state.spool.take(page.file.src_uri)
            context["page"] = page
        self._note_search_page(page, config)
        return context

    def _note_search_page(self, page, config) -> None:
        """What the archive's search knows of the site's other pages: a hand-written page's
        title and text (its Markdown again, without the home page's list of latest articles,
        which would make it a hit for their titles), an index page's title."""
        if not self.archive_search:
            return
        src = page.file.src_uri
        generated = self._generated and src in self.state.pages
        options = page.meta.get("search") if isinstance(page.meta.get("search"), dict) else {}
        # an index page is found by its name even when its text is kept out (Stories, Quotes)
        if (generated and not src.endswith("/index.md")) or (options.get("exclude") and not generated):
            return
        title = html.unescape(str(page.title or ""))
        source = None if generated else getattr(page, "markdown_for_search", None)
        text = self._page_html(source, config) if source is not None else None
        self.state.search_pages[src] = (title, text)

    @staticmethod
    def _page_html(markdown: str, config) -> str:
        import markdown as md

        return md.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs).convert(markdown)

    # -- reusing the previous build's HTML of unchanged pages (builder/mkdocs/reuse.py) -----------

    def _plan_reuse(self, config, files, generated: set[str]) -> None:
        from . import reuse

        state = self.state
        state.reuse = None
        previous = self._previous_site()
        if not reuse.usable(config, material_search_indexes=not self.archive_search):
            return
        # a page whose inputs are unchanged is known by its Markdown's digest, not rendered
        markdown = state.pages                    # builder.outputs.pageplan.Pages
        known = reuse.markdown_digests(self.root / ".cache" / "pages")
        pages = {}
        for rel in generated:
            file = files.get_file_from_path(rel)
            if file is not None and file.is_documentation_page():
                pages[rel] = (file.dest_uri, markdown.digest(rel, known), self._page_inputs(rel))
        # serve previews under its own address: its pages are recorded apart from `archive build`'s
        kind = "serve" if self.command == "serve" else "build"
        state.reuse = reuse.plan(config, previous, self.root / ".cache" / "pages" / kind, pages)
        if SPOOL:
            state.spool, state.spooled = reuse.Spool(), set()
        state.warned = _PageWarnings(config, state.reuse.warned)
        logging.getLogger("mkdocs").addHandler(state.warned)
        if previous is not None:
            log.info("archive: %d of %d generated pages unchanged since the last build, their HTML reused",
                     len(state.reuse.reused), len(pages))
        log.info("archive: %d of %d generated pages rendered (the others' inputs are as the last build left them)",
                 markdown.rendered(), len(pages))

    def _copy_reused(self, config, files):
        """Take the reused pages MkDocs need not build as pages out of its page loop: each becomes
        a file MkDocs copies (a hard link to the previous site's HTML), at the same address. MkDocs
        would otherwise still read, template and write each one (~1-2 ms a page, 30,000 pages at
        10,000 articles), and the previous HTML would be read and written again in full."""
        from mkdocs.structure.files import Files

        from . import reuse

        plan = self.state.reuse
        copied = set(reuse.copyable(config, plan)) if plan is not None else set()
        self.state.copied = len(copied)
        if not copied:
            return files
        log.info("archive: %d of them copied from the last build as they are, not built again", len(copied))
        previous = self._previous_site()
        return Files([adapter.copied_page(f, previous / f.dest_uri) if f.src_uri in copied else f for f in files])

    def on_template_context(self, context, template_name, config):
        """MkDocs lists in sitemap.xml only the pages it builds: the copied ones are put back (without
        the site's address there is no sitemap: on_post_build removes it)."""
        if template_name == "sitemap.xml" and self.state.copied and config.site_url:
            context["pages"] = adapter.sitemap_pages(self.state.files, config)
        return context

    def _page_inputs(self, rel: str):
        """What the templates read about a generated page beyond its Markdown: an article's
        citation facts from the registries, the feeds its head links to."""
        archive = self.state.archive
        inputs: list = [[f.path, f.title] for f in self.state.prepared.feeds_of(rel)]
        record = archive.by_id.get(rel[len("articles/"):-len(".md")]) if rel.startswith("articles/") else None
        if record is not None:
            inputs.append([archive.wikidata.get(n) for n in record.people_names])
            inputs.append(archive.source_urls.get(record.source.value))
        return inputs

    def _end_reuse(self, saved: bool) -> None:
        state = self.state
        spool, state.spool = state.spool, None
        if spool is not None:
            spool.close()
        plan, state.reuse = state.reuse, None
        if state.warned is not None:
            logging.getLogger("mkdocs").removeHandler(state.warned)
            state.warned = None
        if plan is not None and saved:
            plan.save()
            self._save_markdown_digests()

    def _save_markdown_digests(self) -> None:
        """Each generated page's inputs' key and Markdown digest, for the next build."""
        from . import reuse

        digests = self.state.prepared.pages.digests() if self.state.prepared is not None else {}
        if digests:
            reuse.save_markdown_digests(self.root / ".cache" / "pages", digests)

    def on_page_markdown(self, markdown, page, config, files):
        self._page_step()
        state = self.state
        if state.reuse is not None and page.file.src_uri in state.reuse.reused:
            from .reuse import TEMPLATE

            page.meta["template"] = TEMPLATE      # its previous HTML is written in on_post_page
            return ""
        title = page.meta.get("title")
        if isinstance(title, str):
            page.meta["title"] = html_text(title)
        tags = page.meta.get("tags")
        if isinstance(tags, list):
            # Material's search index copies meta tags, and its results insert them as HTML
            page.meta["tags"] = [html_text(t) for t in tags if isinstance(t, (str, int, float))]
        markdown = self._data_page(markdown, page)
        if not (self._generated and page.file.src_uri in state.pages):
            page.markdown_for_search = markdown.replace(SUMMARY_MARKER, "")
        if SUMMARY_MARKER in markdown:
            text = (state.prepared.summary if self._generated else "") or "The archive is empty."
            markdown = markdown.replace(SUMMARY_MARKER, text)
        return markdown

    @event_priority(50)
    def on_env(self, env, config, files):
        def archive_url(src_path: str) -> str | None:
            file = files.get_file_from_path(src_path)
            return file.url if file is not None else None

        env.globals["archive_url"] = archive_url
        self._add_citation_globals(env, config)
        templates: dict[str, str] = {}
        if self.state.reuse is not None:
            from .reuse import TEMPLATE

            templates[TEMPLATE] = ""               # a reused page's previous HTML replaces it
        if self.archive_search:
            from ..outputs import search

            templates.update(search.partial_templates())
        if templates:
            # ours first, ahead of Material's and the overrides' templates of the same name
            adapter.put_templates_first(env, templates)
        return env

    # -- citations and feeds in the templates (builder/outputs/cite.py, feeds.py) ---------------

    def _add_citation_globals(self, env, config) -> None:
        from ..outputs.cite import citation_for, cite_all

        state = self.state

        def archive_citation(page):
            """An article page's citations and head metadata, or None for other pages."""
            archive = state.archive
            meta = getattr(page, "meta", None) or {}
            if archive is None or not archive.by_id or not meta.get("archive_record") \
                    or str(meta.get("id")) not in archive.by_id:
                return None
            key = str(meta["id"])
            if key not in state.cited:
                stable = page.canonical_url or page.url
                state.cited[key] = cite_all(citation_for(
                    archive.by_id[key], stable, config.site_name, config.site_url or None, archive.wikidata,
                    archive.source_urls))
            return state.cited[key]

        def archive_feeds(page):
            """The feeds a page links to: the latest articles, and the page's own (person, tag, source)."""
            if state.prepared is None:
                return []
            return state.prepared.feeds_of(page.file.src_uri if getattr(page, "file", None) else None)

        env.globals["archive_citation"] = archive_citation
        env.globals["archive_feeds"] = archive_feeds

    def _data_page(self, markdown: str, page) -> str:
        if DATA_MARKER not in markdown:
            return markdown
        from ..outputs.export import data_page

        prefix = "../" * page.file.src_uri.count("/")
        data = self.state.prepared.data if self._generated else None
        text = data_page(data, prefix, self.config.site_zip) if data \
            else "The data files are made when the archive plugin generates the pages."
        return markdown.replace(DATA_MARKER, text)
