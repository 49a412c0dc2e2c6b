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
* after the build it writes the Atom feeds (``feeds/``), the bulk data (``data/``) and a zip
  of the whole site (``data/archive-site.zip``);
* under ``mkdocs serve`` it watches ``corpus/`` and rebuilds on change.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, event_priority

from ..core.escape import html_text, http_url

log = logging.getLogger("mkdocs.plugins.archive")

SUMMARY_MARKER = "<!-- archive:summary -->"
DATA_MARKER = "<!-- archive:data -->"


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


class _PageWarnings(logging.Handler):
    """Notes the page MkDocs is working on whenever it logs a warning: such a page is built
    again next time, so its warning is seen again (and fails a strict build again)."""

    def __init__(self, config, warned: set[str]) -> None:
        super().__init__(logging.WARNING)
        self.config, self.warned = config, warned

    def emit(self, record) -> None:
        page = getattr(self.config, "_current_page", None)
        if page is not None and getattr(page, "file", None) is not None:
            self.warned.add(page.file.src_uri)
            return
        # links to anchors are checked after every page is built, outside any page
        found = re.match(r"Doc file '([^']+)'", record.getMessage())
        if found:
            self.warned.add(found.group(1))


class ArchiveConfig(Config):
    corpus_dir = c.Type(str, default="corpus")
    generate = c.Type(bool, default=True)
    site_zip = c.Type(bool, default=True)      # data/archive-site.zip: the whole site for offline reading
    # the archive's own search (builder/outputs/search.py) at every size; "material" opts in to Material's
    # lunr search instead ("auto", older archives' default, is the archive's own)
    search = c.Choice(("archive", "material", "auto"), default="archive")
    search_threshold = c.Deprecated(message="The archive plugin's 'search_threshold' is no longer used: the "
                                    "archive's own search is used at every size (search: material opts out)")


class ArchivePlugin(BasePlugin[ArchiveConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.result = None          # the last CorpusResult, read by ``archive build`` for its summary
        self._files = None
        self._pages: dict[str, str] | None = None   # generated pages, path under docs/ -> Markdown
        # progress(stage, done, total, cached=0), set by ``archive build`` (builder/core/progress.py)
        self.progress = None
        self._steps = self._step_total = 0
        # set by ``archive build --scheduler``: a Dask scheduler address to extract on
        self.scheduler: str | None = None
        self._reuse = None          # builder.mkdocs.reuse.Plan when the previous build's HTML can be reused
        self._spool = None          # builder.mkdocs.reuse.Spool: pages' HTML between conversion and templates
        self._spooled: set[str] = set()
        self._warned = None

    def _progress(self, stage: str, done: int, total: int, cached: int = 0) -> None:
        if self.progress is not None:
            self.progress(stage, done, total, cached)

    def on_config(self, config):
        self.root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        if config.theme.name == "material":
            # the archive's templates come from the installed package, under a local folder's
            from ..commands.scaffold import theme_dirs
            config.theme.dirs[:] = theme_dirs(config.theme.dirs, self.root, config.theme.custom_dir)
        if "md_in_html" not in config.markdown_extensions:
            # the generated pages put long parts (a person's quotations) in <details markdown="1">
            config.markdown_extensions.append("md_in_html")
        from ..outputs import search

        self.archive_search = search.use_archive_search(self.config.search)
        self._search_pages: dict[str, tuple[str, str | None]] = {}   # src path -> (title, text HTML or None)
        if self.archive_search and not search.silence_material_search(config):
            log.warning("archive: the archive's search needs Material's search plugin listed under 'plugins:' "
                        "(its box in the header is where the archive's search goes)")
        return config

    def on_startup(self, command, dirty) -> None:
        # defining on_startup keeps this instance across `mkdocs serve` rebuilds (MkDocs 1.4+),
        # so a rebuild knows it follows one and can reuse that build's pages
        self.command = command

    def on_pre_build(self, config) -> None:
        if not self.config.generate:
            return
        if getattr(self, "command", None) == "serve":
            from .reuse import set_aside

            # MkDocs empties its serve folder next: keep the last build's pages to reuse
            self._set_aside = set_aside(Path(config.site_dir))
            self.previous_site = self._set_aside
        from ..pipeline import Project, process_project
        from ..core.cache import Cache
        from ..outputs import build_archive, render

        result = process_project(Project(self.root, self.config.corpus_dir), scheduler=self.scheduler,
                                 progress=self.progress)
        if not config.site_url:
            from ..commands.check import site_url_messages

            result.messages += site_url_messages(Project(self.root, self.config.corpus_dir))
        self._progress("render", 0, len(result.records))
        # stories and quotations, page addresses: found once, for the pages and for the data files
        self._archive = build_archive(result, cache=Cache(self.root).sibling("quotes"))
        self._pages = render.pages(self._archive)
        self._summary = render.summary(self._archive)
        self._progress("render", len(result.records), len(result.records))
        self.result = result
        self._prepare_outputs(config, result)
        self._pin_build_date(result.records)
        for m in result.all_messages:
            # an article error is a warning to MkDocs: `--strict` fails on it, a normal build goes on.
            # Under --strict an article warning is one too: --strict counts warnings as errors, for
            # `archive build`, `mkdocs build` and `archive check` alike
            loud = m.severity == "error" or (m.severity == "warning" and config.strict)
            # `archive build` prints them itself, once, with their severity (ARCHIVE_MESSAGE marks them)
            (log.warning if loud else log.debug)("%s", m.format(), extra={ARCHIVE_MESSAGE: True})
        log.info("archive: %d articles, %d pages generated", len(result.records), len(self._pages))

    def _pin_build_date(self, records) -> None:
        """Reproducible output: MkDocs stamps the sitemap with the build date unless
        SOURCE_DATE_EPOCH is set, so pin it to the newest article's date."""
        import os

        self._saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if self._saved_epoch is not None:
            return
        os.environ["SOURCE_DATE_EPOCH"] = str(build_epoch(records))
        self._pinned = True

    def _unpin_build_date(self) -> None:
        import os

        if getattr(self, "_pinned", False):
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self._pinned = False

    @event_priority(-110)   # after Material's offline plugin (-100) rewrites the search index
    def on_post_build(self, config) -> None:
        try:
            self._end_reuse(saved=True)
            self._release_pages()
            if not config.site_url:
                # without the site's address MkDocs writes <url> entries with no <loc>: no sitemap is honest
                for name in ("sitemap.xml", "sitemap.xml.gz"):
                    Path(config.site_dir, name).unlink(missing_ok=True)
            self._write_search_index(config)      # first: the site zip holds it too
            self._write_outputs(config)
        finally:
            self._unpin_build_date()
            self._drop_set_aside()

    def _release_pages(self) -> None:
        """Every page is written and every other plugin's on_post_build has run (this one runs
        last): drop the pages' Markdown and HTML before the search index and data files are made.
        At 10,000 articles they are 500 MB, and the index needs as much again."""
        if self._files is not None:
            for file in self._files.documentation_pages():
                page = file.page
                if page is not None:
                    page.markdown = page.content = None
                if file.generated_by is not None and file.src_uri in (self._pages or {}):
                    file.content_string = ""
        if self._pages is not None:
            self._pages = {}

    def _write_search_index(self, config) -> None:
        if not getattr(self, "archive_search", False) or self.result is None:
            return
        from ..outputs import search

        def page_url(src_path):
            file = self._files.get_file_from_path(src_path) if self._files is not None else None
            return file.url if file is not None else None

        pages = [search.page_doc(src, url, title, text) for src, (title, text) in sorted(self._search_pages.items())
                 for url in [page_url(src)] if url]
        stats = search.publish(Path(config.site_dir), self.result.records, page_url, self.result.registry,
                               self.root / ".cache" / "search", pages, links=self._archive.links)
        log.info("archive: search index of %d articles, %d files, %.1f MB (%d rewritten, %d from cache)",
                 stats.documents, stats.files, stats.bytes / 1e6, stats.written, stats.cached)

    def on_build_error(self, error) -> None:
        # a failed build must not leave the pinned date behind for the next build in this process
        self._unpin_build_date()
        self._end_reuse(saved=False)
        self._drop_set_aside()

    def _drop_set_aside(self) -> None:
        """The serve folder's previous build, moved aside by this plugin: removed once used."""
        import shutil

        aside, self._set_aside = getattr(self, "_set_aside", None), None
        if aside is not None:
            self.previous_site = None
            shutil.rmtree(aside, ignore_errors=True)

    def on_serve(self, server, config, builder):
        server.watch(str(self.root / self.config.corpus_dir))
        return server

    def on_files(self, files, config):
        """Hand the generated pages to MkDocs from memory: docs/ holds only what people wrote.

        A file under docs/ at a generated page's path (or left in a generated folder by an
        older version, which wrote its pages there) is left out of the build, with a warning."""
        from mkdocs.structure.files import File, Files, file_sort_key

        from ..outputs.render import GENERATED_DIRS

        if self._pages is not None:
            generated = set(self._pages)
            left_out: dict[str, int] = {}
            for file in list(files):
                folder = file.src_uri.split("/", 1)[0]
                if file.src_uri in generated or (folder in GENERATED_DIRS and "/" in file.src_uri):
                    left_out[folder] = left_out.get(folder, 0) + 1
                    files.remove(file)
            for folder, count in sorted(left_out.items()):
                log.warning("archive: %d file(s) under %s/ left out of the site: the archive generates the pages "
                            "of that folder (older versions wrote them there; delete the folder)", count,
                            Path(config.docs_dir, folder).as_posix())
            for rel in sorted(generated):
                files.append(File.generated(config, rel, content=self._pages[rel]))
            # in the order MkDocs lists a docs folder (pages, the search index and sitemap follow it)
            files = Files(sorted(files, key=file_sort_key))
            self._plan_reuse(config, files, generated)
        self._files = files
        # MkDocs converts every page, then writes every page: two steps per page
        self._steps, self._step_total = 0, 2 * len(files.documentation_pages())
        self._progress("mkdocs", 0, self._step_total)
        return files

    def _page_step(self) -> None:
        self._steps += 1
        self._progress("mkdocs", min(self._steps, self._step_total), self._step_total)

    @event_priority(-200)     # last: what is recorded is what MkDocs writes
    def on_post_page(self, output, page, config):
        self._page_step()
        plan = self._reuse
        if plan is not None:
            output = plan.output(page.file.src_uri) or output
            plan.record(page.file.src_uri, output)
        if self._spool is not None and page.file.src_uri in self._spooled:
            page.content = None                  # written: its HTML is not needed again
        return output

    @event_priority(-200)     # last: after anything that edits a page's HTML
    def on_page_content(self, html, page, config, files):
        if self._reuse is not None and page.file.src_uri in self._reuse.reused:
            page.present_anchor_ids = None       # not rendered again: links to it were checked when it was
        elif self._spool is not None and page.file.src_uri in self._reuse.keys:
            self._spool.put(page.file.src_uri, html)
            self._spooled.add(page.file.src_uri)
            return ""
        return html

    @event_priority(200)      # first: the templates and other plugins see the page's HTML
    def on_page_context(self, context, page, config, nav):
        if self._spool is not None and page.file.src_uri in self._spooled:
            page.content = self._spool.take(page.file.src_uri)
            context["page"] = page
        self._note_search_page(page, config)
        return context

    def _note_search_page(self, page, config) -> None:
        """What the archive's search knows of the site's other pages: a hand-written page's
        title and text (its Markdown again, without the home page's list of latest articles,
        which would make it a hit for their titles), an index page's title."""
        if not getattr(self, "archive_search", False):
            return
        src = page.file.src_uri
        generated = self._pages is not None and src in self._pages
        options = page.meta.get("search") if isinstance(page.meta.get("search"), dict) else {}
        # an index page is found by its name even when its text is kept out (Stories, Quotes)
        if (generated and not src.endswith("/index.md")) or (options.get("exclude") and not generated):
            return
        title = html.unescape(str(page.title or ""))
        source = None if generated else getattr(page, "markdown_for_search", None)
        text = self._page_html(source, config) if source is not None else None
        self._search_pages[src] = (title, text)

    @staticmethod
    def _page_html(markdown: str, config) -> str:
        import markdown as md

        return md.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs).convert(markdown)

    # -- reusing the previous build's HTML of unchanged pages (builder/mkdocs/reuse.py) -----------

    def _plan_reuse(self, config, files, generated: set[str]) -> None:
        from . import reuse

        self._reuse = None
        previous = getattr(self, "previous_site", None)
        if not reuse.usable(config, material_search_indexes=not getattr(self, "archive_search", False)):
            return
        pages = {}
        for rel in generated:
            file = files.get_file_from_path(rel)
            if file is not None and file.is_documentation_page():
                pages[rel] = (file.dest_uri, self._pages[rel], self._page_inputs(rel))
        # serve previews under its own address: its pages are recorded apart from `archive build`'s
        kind = "serve" if getattr(self, "command", None) == "serve" else "build"
        self._reuse = reuse.plan(config, previous, self.root / ".cache" / "pages" / kind, pages)
        if SPOOL:
            self._spool, self._spooled = reuse.Spool(), set()
        self._warned = _PageWarnings(config, self._reuse.warned)
        logging.getLogger("mkdocs").addHandler(self._warned)
        if previous is not None:
            log.info("archive: %d of %d generated pages unchanged since the last build, their HTML reused",
                     len(self._reuse.reused), len(pages))

    def _page_inputs(self, rel: str):
        """What the templates read about a generated page beyond its Markdown: an article's
        citation facts from the registries, the feeds its head links to."""
        feeds = getattr(self, "_feeds", None) or []
        own = self._feeds_by_page.get(rel) if feeds else None
        inputs: list = [[f.path, f.title] for f in ([feeds[0]] if feeds else []) + ([own] if own else [])]
        record = (getattr(self, "_records", None) or {}).get(rel[len("articles/"):-len(".md")]) \
            if rel.startswith("articles/") else None
        if record is not None:
            inputs.append([self._wikidata.get(n) for n in record.people_names])
            inputs.append(self._source_urls.get(record.source.value))
        return inputs

    def _end_reuse(self, saved: bool) -> None:
        spool, self._spool = getattr(self, "_spool", None), None
        if spool is not None:
            spool.close()
        plan, self._reuse = getattr(self, "_reuse", None), None
        handler = getattr(self, "_warned", None)
        if handler is not None:
            logging.getLogger("mkdocs").removeHandler(handler)
            self._warned = None
        if plan is not None and saved:
            plan.save()

    def on_page_markdown(self, markdown, page, config, files):
        self._page_step()
        if self._reuse is not None and page.file.src_uri in self._reuse.reused:
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
        if self._pages is None or page.file.src_uri not in self._pages:
            page.markdown_for_search = markdown.replace(SUMMARY_MARKER, "")
        if SUMMARY_MARKER in markdown:
            text = getattr(self, "_summary", None) or "The archive is empty."
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
        if self._reuse is not None:
            from .reuse import TEMPLATE

            templates[TEMPLATE] = ""               # a reused page's previous HTML replaces it
        if getattr(self, "archive_search", False):
            from ..outputs import search

            templates.update(search.partial_templates())
        if templates:
            import jinja2

            # ours first, ahead of Material's and the overrides' templates of the same name
            env.loader = jinja2.ChoiceLoader([jinja2.DictLoader(templates), env.loader])
            env.cache = None if env.cache is None else {}
        return env

    # -- citations, feeds and bulk data (builder/outputs/cite.py, feeds.py, export.py) -------------

    def _prepare_outputs(self, config, result) -> None:
        """What the citation, feed and data hooks need from this build's records."""
        from ..outputs.export import data_files
        from ..outputs.feeds import plan_feeds

        registry = result.registry
        self._records = {r.id: r for r in result.records}
        self._links = self._archive.links
        self._wikidata = {p.name: p.wikidata for p in registry.people if p.wikidata} if registry else {}
        self._source_urls = {s.name: s.url for s in registry.sources if http_url(s.url)} if registry else {}
        self._cited = {}
        self._feeds = plan_feeds(result.records, self._links.people, self._links.tags, self._links.sources)
        self._feeds_by_page = {f.page: f for f in self._feeds if f.page}
        related = self._archive       # stories and quotations (builder/stages/stories.py, quotes.py)
        self._data = data_files(result.records, registry, self._links, config.site_name, config.site_url or None,
                                story_of={a: s.id for a, s in related.story_of.items()} if related else None,
                                stories=related.stories if related else None,
                                quotes=related.quotes if related else None,
                                description=config.site_description or "")

    def _add_citation_globals(self, env, config) -> None:
        from ..outputs.cite import citation_for, cite_all

        def archive_citation(page):
            """An article page's citations and head metadata, or None for other pages."""
            records = getattr(self, "_records", None)
            meta = getattr(page, "meta", None) or {}
            if not records or not meta.get("archive_record") or str(meta.get("id")) not in records:
                return None
            key = str(meta["id"])
            if key not in self._cited:
                stable = page.canonical_url or page.url
                self._cited[key] = cite_all(citation_for(
                    records[key], stable, config.site_name, config.site_url or None, self._wikidata,
                    self._source_urls))
            return self._cited[key]

        def archive_feeds(page):
            """The feeds a page links to: the latest articles, and the page's own (person, tag, source)."""
            feeds = getattr(self, "_feeds", None)
            if not feeds:
                return []
            own = self._feeds_by_page.get(page.file.src_uri) if getattr(page, "file", None) else None
            return [feeds[0]] + ([own] if own else [])

        env.globals["archive_citation"] = archive_citation
        env.globals["archive_feeds"] = archive_feeds

    def _data_page(self, markdown: str, page) -> str:
        if DATA_MARKER not in markdown:
            return markdown
        from ..outputs.export import data_page

        prefix = "../" * page.file.src_uri.count("/")
        text = data_page(self._data, prefix, self.config.site_zip) if getattr(self, "_data", None) \
            else "The data files are made when the archive plugin generates the pages."
        return markdown.replace(DATA_MARKER, text)

    def _write_outputs(self, config) -> None:
        """Atom feeds and bulk data, then the zip of the finished site (last, so it holds them)."""
        if not getattr(self, "_data", None):
            return
        from ..outputs.export import DATA_DIR, ZIP_NAME, write_files, write_site_zip
        from ..outputs.feeds import atom

        site = Path(config.site_dir)
        base = (config.site_url or "").rstrip("/")
        files = dict(self._data)
        for feed in self._feeds:
            depth = feed.path.count("/")

            def article_url(r, depth=depth):
                file = self._files.get_file_from_path(f"articles/{r.id}.md") if self._files else None
                url = file.url if file is not None else f"articles/{r.id}.html"
                return f"{base}/{url}" if base else "../" * depth + url

            files[feed.path] = atom(feed, config.site_name, config.site_url or None, article_url)
        write_files(site, files)
        if self.config.site_zip:
            previous = getattr(self, "previous_site", None)   # `archive build` builds beside the old site
            write_site_zip(site, previous=Path(previous, DATA_DIR, ZIP_NAME) if previous else None)
