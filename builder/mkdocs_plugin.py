"""The ``archive`` MkDocs plugin: part of the publish stage.

Registered as the ``archive`` plugin, so plain ``mkdocs build`` and ``mkdocs serve``
produce the same site as ``archive build``:

* before MkDocs collects files, it runs read -> clean -> extract -> render over
  ``corpus/`` and writes the generated pages under ``docs/``;
* it HTML-escapes page titles (Material prints ``page.meta.title`` unescaped);
* it gives templates ``archive_url(path)``, the URL of a docs/ page, so
  ``theme_overrides/`` can link an article's metadata to the index pages;
* it replaces ``<!-- archive:summary -->`` in a page with the archive's size and
  latest articles;
* under ``mkdocs serve`` it watches ``corpus/`` and rebuilds on change.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, event_priority

log = logging.getLogger("mkdocs.plugins.archive")

SUMMARY_MARKER = "<!-- archive:summary -->"


class ArchiveConfig(Config):
    corpus_dir = c.Type(str, default="corpus")
    generate = c.Type(bool, default=True)


class ArchivePlugin(BasePlugin[ArchiveConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.result = None          # the last CorpusResult, read by ``archive build`` for its summary
        self._files = None

    def on_config(self, config):
        self.root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        return config

    def on_pre_build(self, config) -> None:
        if not self.config.generate:
            return
        from .pipeline import Project, process_project
        from .registry import load_registry
        from .render import render_all, write_pages

        project = Project(self.root, self.config.corpus_dir)
        result = process_project(project)
        registry = load_registry(project.corpus, project.root)
        pages = render_all(result.records, registry, result.files, result.messages)
        written, removed = write_pages(Path(config.docs_dir), pages)
        self.result = result
        self._pin_build_date(result.records)
        for m in result.all_messages:
            # an article error is a warning to MkDocs: `--strict` fails on it, a normal build goes on
            (log.warning if m.severity == "error" else log.debug)("%s", m.format())
        log.info("archive: %d articles, %d pages written, %d stale pages removed",
                 len(result.records), written, removed)

    def _pin_build_date(self, records) -> None:
        """Reproducible output: MkDocs stamps the sitemap with the build date unless
        SOURCE_DATE_EPOCH is set, so pin it to the newest article's date."""
        import datetime as dt
        import os

        from .dates import edtf_sort_key

        self._saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if self._saved_epoch is not None:
            return
        newest = max((edtf_sort_key(r.date.value) for r in records if r.date.value), default="1970-01-01")
        year, month, day = (int(x) for x in newest.split("-"))
        stamp = dt.datetime(year, max(month, 1), max(day, 1), tzinfo=dt.timezone.utc)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
        self._pinned = True

    def on_post_build(self, config) -> None:
        import os

        if getattr(self, "_pinned", False):
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self._pinned = False

    def on_serve(self, server, config, builder):
        server.watch(str(self.root / self.config.corpus_dir))
        return server

    def on_files(self, files, config):
        self._files = files
        return files

    def on_page_markdown(self, markdown, page, config, files):
        title = page.meta.get("title")
        if isinstance(title, str):
            page.meta["title"] = html.escape(title, quote=True)
        if SUMMARY_MARKER in markdown:
            snippet = Path(config.docs_dir, ".generated", "summary.md")
            text = snippet.read_text(encoding="utf-8") if snippet.is_file() else "The archive is empty."
            markdown = markdown.replace(SUMMARY_MARKER, text)
        return markdown

    @event_priority(50)
    def on_env(self, env, config, files):
        def archive_url(src_path: str) -> str | None:
            file = files.get_file_from_path(src_path)
            return file.url if file is not None else None

        env.globals["archive_url"] = archive_url
        return env
