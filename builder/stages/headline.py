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
    out: dict[str, list[str]] = {"h1": [], "ld_headline": [], "og_title": [], "page_title": []}
    try:
        from lxml import html as lxml_html

        root = lxml_html.fromstring(html_text)
    except (ValueError, TypeError, ImportError, Exception):  # noqa: BLE001 - an unparsable page has no headline
        return out
    inside = root.xpath("//article//h1 | //main//h1")
    for h in inside + [h for h in root.xpath("//h1") if h not in inside]:
        text = normalise_space(h.text_content())
        if text and text not in out["h1"] and len(text) <= 300:
            out["h1"].append(text)
    out["h1"] = out["h1"][:MAX_HEADLINES]
    for script in root.xpath("//script[@type='application/ld+json']/text()")[:20]:
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for item in _walk(data):
            value = item.get("headline")
            if isinstance(value, str) and normalise_space(value):
                out["ld_headline"].append(normalise_space(value))
    out["ld_headline"] = out["ld_headline"][:MAX_HEADLINES]
    og = root.xpath("//meta[@property='og:title']/@content")
    if og and normalise_space(og[0]):
        out["og_title"] = [normalise_space(og[0])]
    page_title = normalise_space(root.findtext(".//title") or "")
    if page_title:
        out["page_title"] = [page_title]
    return out


def _walk(data, depth: int = 0):
    """Every mapping in a JSON-LD document (``@graph`` lists and nested items)."""
    if depth > 6:
        return
    if isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, (dict, list)):
                yield from _walk(value, depth + 1)
    elif isinstance(data, list):
        for value in data[:50]:
            yield from _walk(value, depth + 1)
