"""The long parts of generated pages (lists of links, the report's table) as raw HTML blocks.

Python-Markdown parses inline Markdown link by link, and a page that lists thousands of
articles (a tag's page, the index of people, the Stories page) took seconds to convert: about
four times as long as passing the same list through as an HTML block, which Markdown stashes
unparsed. The generated pages are written by the archive, never by people, so their lists can
be HTML from the start: each value is escaped for HTML text (``html_inline``), and each link
points at the page MkDocs writes for a docs/ path (``href``; the archive builds its site with
``use_directory_urls: false``, so ``people/x.md`` is ``people/x.html``). Headings and short
lines stay Markdown, so the table of contents and the anchors are MkDocs' own.

A raw HTML block must start a line after a blank one and hold no blank line: ``block`` keeps both,
and puts the block between two marker lines (HTML comments) that the plugin's Markdown extension
(``builder/mkdocs/rawblocks.py``) passes through without parsing its tags again.
"""

from __future__ import annotations

from urllib.parse import quote

from ..core.escape import html_inline

# the marker lines of builder/mkdocs/rawblocks.py (kept equal by a test; outputs do not import mkdocs/)
MARK_START = "<!-- archive:html -->"
MARK_END = "<!-- /archive:html -->"


def href(from_page: str, to_page: str) -> str:
    """The relative address, from the page of docs/ path ``from_page``, of the page written for
    docs/ path ``to_page`` (an anchor after '#' is kept). Called for every link of every list:
    a string operation, not ``posixpath.relpath`` (ten times slower)."""
    path, _, anchor = to_page.partition("#")
    if path.endswith(".md"):
        path = path[:-len(".md")] + ".html"
    here, _, _ = from_page.rpartition("/")
    if here and path.startswith(here + "/"):
        path = path[len(here) + 1:]
    else:
        path = "../" * from_page.count("/") + path
    return quote(path + (f"#{anchor}" if anchor else ""), safe="/#.-_~")


def link(text: str, from_page: str, to_page: str, css: str = "", title: str = "") -> str:
    """``<a>`` to a page of the site, its text escaped; ``css`` and ``title`` optional attributes."""
    attrs = f' class="{html_inline(css)}"' if css else ""
    attrs += f' title="{html_inline(title)}"' if title else ""
    return f'<a href="{html_inline(href(from_page, to_page))}"{attrs}>{html_inline(text)}</a>'


def block(tag: str, rows: list[str], css: str = "") -> list[str]:
    """Rows (already HTML) inside one raw block element, with the blank lines around it that
    Markdown needs to take it as a block; nothing when there are no rows."""
    if not rows:
        return []
    attrs = f' class="{html_inline(css)}"' if css else ""
    return ["", MARK_START, f"<{tag}{attrs}>", *rows, f"</{tag}>", MARK_END, ""]


def raw(rows: list[str]) -> list[str]:
    """HTML elements (already HTML, one or more a row) as one raw block, with no element around them."""
    return ["", MARK_START, *rows, MARK_END, ""] if rows else []


def items(rows: list[str], css: str = "") -> list[str]:
    """A list (``<ul>``) of items, each row the HTML of one ``<li>``."""
    return block("ul", [f"<li>{row}</li>" for row in rows], css)


def count(n: int | str) -> str:
    """An index entry's count, shown lighter."""
    return f'<span class="archive-count">{html_inline(n)}</span>'


def meta(text_html: str) -> str:
    """An item's date and outlet, shown lighter (``text_html`` already escaped)."""
    return f'<span class="archive-item-meta">{text_html}</span>'
