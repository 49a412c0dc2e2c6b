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
    return next((s for s in registry.sources if _at_address(folded, s)), None)


def _at_address(folded: str, s: Source) -> bool:
    """``folded`` is the source's host, or an address on it ('foxnews.com', 'https://www.foxnews.com')."""
    own = host(s.url) if s.url else ""
    return bool(own) and own in (folded, host(folded))
