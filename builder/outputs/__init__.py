"""What the archive publishes from its records: pages, search, feeds, citations, data, charts, the report.

Every output reads one ``Archive`` value (``builder/core/archive.py``), made once by
``build_archive`` after the pipeline's archive-wide step."""

from __future__ import annotations

from ..core.archive import Archive


def build_archive(result, cache=None) -> Archive:
    """The archive the outputs read, from the pipeline's ``CorpusResult``: every page address made
    once, stories and quotations found once (``cache``, a ``builder.core.cache.Cache``, keeps each
    article's quotations between builds)."""
    from .render import find_related, make_links

    archive = find_related(result.records, result.registry, make_links(result.records, result.registry), cache)
    archive.files, archive.messages, archive.ignored = list(result.files), list(result.messages), list(result.ignored)
    return archive
