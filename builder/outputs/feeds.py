"""Atom feeds: the latest articles, and one per person, tag and source (the newest ENTRIES each).

Written by the archive plugin after MkDocs has built the site, under ``feeds/``. The output is
deterministic: no build time anywhere, entries newest first (then by id), and every ``updated``
comes from the articles' own dates (an undated article counts as 1970-01-01; an article known
only to the month or year counts from its first day).

Feed and entry ids are the pages' stable addresses when the site has a ``site_url``, otherwise
``urn:uuid:`` values derived from the archive's name and the article id, which never change.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from ..core.dates import ArchiveDate
from ..core.escape import http_url, xml_text
from ..core.models import Record

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50      # newest articles per feed: what a feed reader needs to follow the archive
EPOCH = "1970-01-01T00:00:00Z"


@dataclass(frozen=True)
class Feed:
    """One feed: where it is written (relative to the site), its title, the docs/ page it belongs
    to (whose head links to it) and its articles."""

    path: str
    title: str
    page: str | None
    records: tuple[Record, ...]


def feed_path(page: str) -> str:
    """'people/jens-stoltenberg.md' -> 'feeds/people/jens-stoltenberg.xml'."""
    return "feeds/" + page.removesuffix(".md") + ".xml"


def plan_feeds(records: list[Record], people: dict[str, str], tags: dict[str, str],
               sources: dict[str, str]) -> list[Feed]:
    """Every feed of the archive; ``people``, ``tags``, ``sources`` map names to their docs/ pages
    (``render.make_links``), so a feed's address follows its page's."""
    feeds = [Feed("feeds/latest.xml", "Latest articles", None, tuple(newest_first(records)[:ENTRIES]))]
    groups = (("people", people, lambda r: r.people_names, "Articles naming {}"),
              ("tags", tags, lambda r: [str(t) for t in r.tags.value], "Articles tagged {}"),
              ("sources", sources, lambda r: [r.source.value] if r.source.value else [], "Articles from {}"))
    for _, pages, names_of, title in groups:
        members: dict[str, list[Record]] = {}
        for r in records:
            for name in names_of(r):
                members.setdefault(name, []).append(r)
        for name in sorted(members, key=lambda n: pages.get(n, "")):
            if name in pages:
                feeds.append(Feed(feed_path(pages[name]), title.format(name), pages[name],
                                  tuple(newest_first(members[name])[:ENTRIES])))
    return feeds


def timestamp(value: str | None) -> str:
    """RFC 3339 for an EDTF date: its first day at midnight UTC ('2022-12' -> 2022-12-01T00:00:00Z)."""
    start = ArchiveDate.parse(value).start
    return f"{start}T00:00:00Z" if start else EPOCH


def newest_first(records) -> list[Record]:
    return sorted(records, key=lambda r: (timestamp(r.date.value), r.id), reverse=True)


def _text(value) -> str:
    """XML 1.0 cannot hold control characters at all, escaped or not."""
    return xml_text(value)


def _id(archive_name: str, key: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"archive:{archive_name}:{key}"))


def _sub(parent, tag, text=None, **attrs):
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _text(text)
    return el


def _summary(record: Record) -> str:
    """The first two paragraphs, cut at a word before 600 characters."""
    summary = " ".join(p.text for p in record.paragraphs[:2])
    return summary[:600].rsplit(" ", 1)[0] + "…" if len(summary) > 600 else summary


def _entry(root, r: Record, archive_name: str, base: str | None, article_url) -> None:
    """One article as an Atom entry; its authors are its bylines, else its outlet, else the archive."""
    entry = _sub(root, "entry")
    _sub(entry, "title", r.title.value or r.id)
    url = article_url(r)
    _sub(entry, "id", url if base else _id(archive_name, "articles/" + r.id))
    _sub(entry, "link", rel="alternate", type="text/html", href=url)
    if http_url(r.url.value):
        _sub(entry, "link", rel="via", href=r.url.value)
    stamp = timestamp(r.date.value)
    _sub(entry, "published", stamp)
    _sub(entry, "updated", stamp)
    for name in r.authors or ([r.source.value] if r.source.value else [archive_name]):
        _sub(_sub(entry, "author"), "name", name)
    for tag in r.tags.value:
        _sub(entry, "category", term=str(tag))
    _sub(entry, "summary", _summary(r), type="text")


def atom(feed: Feed, archive_name: str, site_url: str | None, article_url) -> bytes:
    """The feed as Atom XML. ``article_url(record)`` gives an article page's address: absolute
    when the site has a ``site_url``, otherwise relative to the feed's own location."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    base = site_url.rstrip("/") + "/" if site_url else None
    _sub(root, "title", f"{feed.title} · {archive_name}")
    _sub(root, "id", base + feed.path if base else _id(archive_name, feed.path))
    _sub(root, "updated", max((timestamp(r.date.value) for r in feed.records), default=EPOCH))
    author = _sub(root, "author")
    _sub(author, "name", archive_name)
    if base:
        _sub(root, "link", rel="self", type="application/atom+xml", href=base + feed.path)
        page = feed.page.removesuffix(".md") + ".html" if feed.page else "index.html"
        _sub(root, "link", rel="alternate", type="text/html", href=base + page)
    _sub(root, "generator", "news-archive-builder")
    for r in feed.records:
        _entry(root, r, archive_name, base, article_url)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# ---------------------------------------------------------------------------------------
# the output step
# ---------------------------------------------------------------------------------------

def plan(archive) -> list[Feed]:
    """Every feed of ``archive`` (``builder.core.archive.Archive``), before MkDocs: page heads link to them."""
    links = archive.links
    return plan_feeds(archive.records, links.people, links.tags, links.sources)


def write(archive, prepared, site) -> None:
    """Write every feed into the built site; an entry links to its article's page there."""
    base = (site.url or "").rstrip("/")
    for feed in prepared.feeds:
        depth = feed.path.count("/")

        def article_url(r, depth=depth):
            url = site.page_url(f"articles/{r.id}.md") or f"articles/{r.id}.html"
            return f"{base}/{url}" if base else "../" * depth + url

        path = Path(site.folder, feed.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(atom(feed, site.name, site.url, article_url))
