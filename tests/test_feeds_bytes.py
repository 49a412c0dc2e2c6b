"""The Atom feeds are written without ElementTree but give exactly its bytes."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET

from builder.core.escape import http_url
from builder.core.models import Field, Line, PersonRef, Record
from builder.outputs import feeds
from builder.outputs.feeds import ATOM, EPOCH, Feed, _id, _summary, _text, timestamp

ODD = ["plain", "a & b < c > d", 'quote " and \' apostrophe', "tab\there", "new\nline\r\n", "", "é ł ß 中文 🙂",
       "\x01control\x7f", "]]> <![CDATA[", "  spaces  "]


def _sub(parent, tag, text=None, **attrs):
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _text(text)
    return el


def reference_atom(feed, archive_name, site_url, article_url) -> bytes:
    """What the feeds module wrote with ElementTree before it wrote the XML itself."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    base = site_url.rstrip("/") + "/" if site_url else None
    _sub(root, "title", f"{feed.title} · {archive_name}")
    _sub(root, "id", base + feed.path if base else _id(archive_name, feed.path))
    _sub(root, "updated", max((timestamp(r.date.value) for r in feed.records), default=EPOCH))
    _sub(_sub(root, "author"), "name", archive_name)
    if base:
        _sub(root, "link", rel="self", type="application/atom+xml", href=base + feed.path)
        page = feed.page.removesuffix(".md") + ".html" if feed.page else "index.html"
        _sub(root, "link", rel="alternate", type="text/html", href=base + page)
    _sub(root, "generator", "news-archive-builder")
    for r in feed.records:
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
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _records(n: int, seed: int) -> list[Record]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        words = [rnd.choice(ODD) for _ in range(rnd.randint(0, 3))]
        out.append(Record(
            id=f"a{i}", path=f"corpus/a{i}.txt", title=Field(rnd.choice(ODD + [None])),
            date=Field(rnd.choice(["2022-03-04", "2022-12", "2021", None, "2023-01-0X"])),
            source=Field(rnd.choice(ODD + [None])),
            url=Field(rnd.choice(["https://x.example/a?b=1&c=2", "javascript:alert(1)", None, "http://y/\"q\""])),
            language=Field("en"), people=[PersonRef("P", "ner", "")],
            tags=Field([t for t in rnd.sample(ODD, rnd.randint(0, 3)) if t]),
            authors=[a for a in words if a], paragraphs=[Line(rnd.choice(ODD) * rnd.randint(1, 200), 1),
                                                         Line(rnd.choice(ODD), 2)], comments=[]))
    return out


def test_atom_is_elementtree_bytes():
    for seed in range(8):
        records = _records(30, seed)
        for site_url in (None, "https://archive.example.org/sub/"):
            for name in ("Archive", 'A & "B" <c>'):
                memo: dict = {}
                for k in range(0, 30, 7):
                    feed = Feed(f"feeds/t/{k}.xml", ODD[k % len(ODD)] or "T", "tags/x.md" if k % 2 else None,
                                tuple(records[k:k + 12]))

                    def url(r):
                        return f"../../articles/{r.id}.html?x=<&>"

                    expected = reference_atom(feed, name, site_url, url)
                    assert feeds.atom(feed, name, site_url, url) == expected
                    assert feeds.atom(feed, name, site_url, url, memo) == expected


def test_empty_feed_is_elementtree_bytes():
    feed = Feed("feeds/latest.xml", "Latest articles", None, ())
    for site_url in (None, "https://a.example/"):
        assert feeds.atom(feed, "Archive", site_url, lambda r: "") == reference_atom(feed, "Archive", site_url,
                                                                                      lambda r: "")
