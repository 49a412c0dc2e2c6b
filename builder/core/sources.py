"""Which outlet of ``sources.yml`` a name or address means.

Shared by the extract stage (a byline's outlet, a page's site name) and by validation (a
front-matter ``source:`` the registry does not know), so that validation, which the read stage
runs, needs nothing of extraction.
"""

from __future__ import annotations

from urllib.parse import urlparse

from .registry import Registry, Source


def host(url: str) -> str:
    """'https://www.foxnews.com/x' -> 'foxnews.com'; '' for anything that is not a URL."""
    try:
        name = urlparse(url if "://" in url else "http://" + url).hostname or ""
    except ValueError:      # "[x](y)", "http://[::1": not a usable address
        return ""
    return name.removeprefix("www.")


def match_source(name: str, registry: Registry) -> Source | None:
    """The source whose name is ``name`` (any case), or whose address has its host."""
    folded = name.casefold().strip()
    if folded in registry.source_by_name:
        return registry.source_by_name[folded]
    for s in registry.sources:
        if s.url and host(s.url) and host(s.url) in (folded, host(folded)):
            return s
    return None
