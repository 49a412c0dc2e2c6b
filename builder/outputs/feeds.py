"""Atom feeds: the latest articles, and one per person, tag and source (the newest ENTRIES each).

Written by the archive plugin after MkDocs has built the site, under ``feeds/``. The output is
deterministic: no build time anywhere, entries newest first (then by id), and every ``updated``
comes from the articles' own dates (an undated article counts as 1970-01-01; an article known
only to the month or year counts from its first day).

Feed and entry ids are the pages' stable addresses when the site has a ``site_url``, otherwise
``urn:uuid:`` values derived from the archive's name and the article id, which never change.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..core.dates import ArchiveDate
from ..core.escape import http_url, xml_text
from ..core.models import Record
from .memo import digest, linked, load, record_keys, save, stamp, state_path, version

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


def _cdata(text) -> str:
    """Element text as ElementTree writes it (``& < >`` escaped), from ``xml_text``'s value."""
    return _text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_ATTRIB = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;",
                         "\t": "&#09;"})


def _el(depth: int, tag: str, text=None, **attrs) -> str:
    """One element on its own line, ``depth`` spaces in, as ElementTree's ``indent(space=" ")``
    and ``tostring`` write it: attributes in order, an element with no text as ``<tag />``."""
    attrib = "".join(f' {k}="{_text(v).translate(_ATTRIB)}"' for k, v in attrs.items())
    body = _cdata(text) if text is not None else ""
    if body:
        return f"\n{' ' * depth}<{tag}{attrib}>{body}</{tag}>"
    return f"\n{' ' * depth}<{tag}{attrib} />"


def _summary(record: Record) -> str:
    """The first two paragraphs, cut at a word before 600 characters."""
    summary = " ".join(p.text for p in record.paragraphs[:2])
    return summary[:600].rsplit(" ", 1)[0] + "…" if len(summary) > 600 else summary


def _entry(r: Record, archive_name: str, base: str | None, url: str) -> str:
    """One article as an Atom entry (its lines, each after a newline); its authors are its bylines,
    else its outlet, else the archive."""
    parts = ["\n <entry>", _el(2, "title", r.title.value or r.id),
             _el(2, "id", url if base else _id(archive_name, "articles/" + r.id)),
             _el(2, "link", rel="alternate", type="text/html", href=url)]
    if http_url(r.url.value):
        parts.append(_el(2, "link", rel="via", href=r.url.value))
    stamp = timestamp(r.date.value)
    parts += [_el(2, "published", stamp), _el(2, "updated", stamp)]
    for name in r.authors or ([r.source.value] if r.source.value else [archive_name]):
        parts += ["\n  <author>", _el(3, "name", name), "\n  </author>"]
    parts += [_el(2, "category", term=str(tag)) for tag in r.tags.value]
    parts += [_el(2, "summary", _summary(r), type="text"), "\n </entry>"]
    return "".join(parts)


def atom(feed: Feed, archive_name: str, site_url: str | None, article_url, entries: dict | None = None) -> bytes:
    """The feed as Atom XML. ``article_url(record)`` gives an article page's address: absolute
    when the site has a ``site_url``, otherwise relative to the feed's own location. ``entries``
    keeps each article's entry by its address, for the next feed that lists it (an article is in
    the latest feed and in its people's, tags' and outlet's).

    The bytes are those of ElementTree's ``tostring`` after ``indent(space=" ")``, written out
    directly: the same entry is made once, not once per feed (tested against ElementTree)."""
    entries = {} if entries is None else entries
    base = site_url.rstrip("/") + "/" if site_url else None
    parts = [f'<?xml version=\'1.0\' encoding=\'utf-8\'?>\n<feed xmlns="{ATOM}">',
             _el(1, "title", f"{feed.title} · {archive_name}"),
             _el(1, "id", base + feed.path if base else _id(archive_name, feed.path)),
             _el(1, "updated", max((timestamp(r.date.value) for r in feed.records), default=EPOCH)),
             "\n <author>", _el(2, "name", archive_name), "\n </author>"]
    if base:
        page = feed.page.removesuffix(".md") + ".html" if feed.page else "index.html"
        parts += [_el(1, "link", rel="self", type="application/atom+xml", href=base + feed.path),
                  _el(1, "link", rel="alternate", type="text/html", href=base + page)]
    parts.append(_el(1, "generator", "news-archive-builder"))
    for r in feed.records:
        url = article_url(r)
        key = (id(r), url, archive_name, base)
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = (r, _entry(r, archive_name, base, url))
        parts.append(entry[1])
    parts.append("\n</feed>\n")
    return "".join(parts).encode("utf-8", "xmlcharrefreplace")


# ---------------------------------------------------------------------------------------
# the output step
# ---------------------------------------------------------------------------------------

def plan(archive) -> list[Feed]:
    """Every feed of ``archive`` (``builder.core.archive.Archive``), before MkDocs: page heads link to them."""
    links = archive.links
    return plan_feeds(archive.records, links.people, links.tags, links.sources)


def write(archive, prepared, site) -> None:
    """Write every feed into the built site; an entry links to its article's page there. A feed
    whose bytes are the previous site's is linked from there (``carry.py``); one whose inputs
    (its articles' records and addresses) are those it had at the last build is linked from the
    previous site without being made at all (``memo.py`` keeps each feed's key and file stamp)."""
    from .carry import put

    base = (site.url or "").rstrip("/")
    entries: dict = {}
    folders: set[str] = set()
    urls: dict[str, str] = {}             # an article is in several feeds: its page looked up once

    def url_of(r) -> str:
        url = urls.get(r.id)
        if url is None:
            url = urls[r.id] = site.page_url(f"articles/{r.id}.md") or f"articles/{r.id}.html"
        return url

    where = state_path(site.cache, "feeds.json")
    code = version()
    known = _known(load(where, site.secret, code), site)
    keys = record_keys(archive, prepared.pages) if where is not None and site.secret else None
    made: dict[str, list] = {}
    head = json.dumps([site.name, site.url], ensure_ascii=False)
    for feed in prepared.feeds:
        depth = feed.path.count("/")

        def article_url(r, depth=depth):
            return f"{base}/{url_of(r)}" if base else "../" * depth + url_of(r)

        path = os.path.join(site.folder, feed.path)
        folder = os.path.dirname(path)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        previous = os.path.join(site.previous, feed.path) if site.previous else None
        key = _feed_key(feed, head, keys, url_of) if keys is not None else None
        entry = known.get(feed.path) if key else None
        if key and linked(entry, key, previous, path):
            made[feed.path] = entry                    # the very file: its stamp is the one kept
            continue
        put(Path(path), atom(feed, site.name, site.url, article_url, entries), Path(previous) if previous else None)
        if key:
            made[feed.path] = [key, stamp(path)]
    save(where, site.secret, code, {"feeds": made})


def _known(state: dict | None, site) -> dict:
    """The feeds kept by the last build (path -> [key, stamp]); none without a previous site
    other than the one being written."""
    if not (state and site.previous) or os.path.abspath(site.previous) == os.path.abspath(site.folder):
        return {}
    feeds = state.get("feeds")
    return feeds if isinstance(feeds, dict) else {}


def _feed_key(feed: Feed, head: str, keys: dict[str, str], url_of) -> str:
    """What a feed's bytes are made of: the site's name and address (``head``), the feed's
    place, title and page, and each article's record key and address."""
    records = feed.records
    return digest("\0".join([json.dumps([head, feed.path, feed.title, feed.page], ensure_ascii=False),
                                   *(keys[r.id] for r in records), *(url_of(r) for r in records)]))
