"""The headline a saved web page shows its reader, read from the raw HTML.

Social-media and search titles (``og:title``, ``<title>``) are often rewritten for sharing
("Climate change: Labor on track to hit 2030 target as ..."); the page's own ``<h1>`` and the
JSON-LD ``headline`` are what the article prints above its text. The read stage records them
here; the extract stage chooses (``extract.infer_title``).
"""

from __future__ import annotations

import json

from ..core.text import normalise_space

MAX_HEADLINES = 5


def page_headlines(html_text: str) -> dict[str, list[str]]:
    """{"h1": the page's <h1> texts, those inside <article> or <main> first; "ld_headline":
    JSON-LD ``headline`` values; "og_title": og:title; "page_title": <title>}. Empty lists for a
    page without them."""
    root = _parse(html_text)
    if root is None:
        return {"h1": [], "ld_headline": [], "og_title": [], "page_title": []}
    return {"h1": _h1s(root), "ld_headline": _ld_headlines(root), "og_title": _og_title(root),
            "page_title": _page_title(root)}


def _parse(html_text: str):
    """The page's element tree, or None for a page lxml cannot parse."""
    try:
        from lxml import html as lxml_html

        return lxml_html.fromstring(html_text)
    except (ValueError, TypeError, ImportError, Exception):  # noqa: BLE001 - an unparsable page has no headline
        return None


def _h1_elements(root) -> list:
    """The <h1> elements, those inside <article> or <main> first: the article's own headline
    before a site banner's."""
    inside = root.xpath("//article//h1 | //main//h1")
    return inside + [h for h in root.xpath("//h1") if h not in inside]


def _h1s(root) -> list[str]:
    """The <h1> texts, each once, none over 300 characters (a whole page in an <h1> is no
    headline)."""
    found: list[str] = []
    for h in _h1_elements(root):
        text = normalise_space(h.text_content())
        if text and text not in found and len(text) <= 300:
            found.append(text)
    return found[:MAX_HEADLINES]


def _ld_headlines(root) -> list[str]:
    """The ``headline`` values of the page's JSON-LD blocks (at most 20 blocks read)."""
    found: list[str] = []
    for script in root.xpath("//script[@type='application/ld+json']/text()")[:20]:
        found += _headlines_in(script)
    return found[:MAX_HEADLINES]


def _headlines_in(script: str) -> list[str]:
    """The ``headline`` strings anywhere in one JSON-LD block; none when it is not JSON."""
    try:
        data = json.loads(script)
    except ValueError:
        return []
    found = []
    for item in _walk(data):
        value = item.get("headline")
        if isinstance(value, str) and normalise_space(value):
            found.append(normalise_space(value))
    return found


def _og_title(root) -> list[str]:
    """The first og:title, when it holds words."""
    og = root.xpath("//meta[@property='og:title']/@content")
    return [normalise_space(og[0])] if og and normalise_space(og[0]) else []


def _page_title(root) -> list[str]:
    """The <title>, when it holds words."""
    title = normalise_space(root.findtext(".//title") or "")
    return [title] if title else []


def _walk(data, depth: int = 0):
    """Every mapping in a JSON-LD document (``@graph`` lists and nested items), at most seven
    levels deep."""
    if depth > 6:
        return
    if isinstance(data, dict):
        yield data
    for value in _children(data):
        yield from _walk(value, depth + 1)


def _children(data) -> list:
    """What ``_walk`` looks into: a mapping's lists and mappings, a list's first 50 items."""
    if isinstance(data, dict):
        return [value for value in data.values() if isinstance(value, (dict, list))]
    if isinstance(data, list):
        return data[:50]
    return []
