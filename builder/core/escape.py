"""One escape function per output context: every value that reaches an output goes through the
one for its context, whatever its source (front matter, a registry, inference, the cache).

| context | function |
| --- | --- |
| Markdown inline text (link text, list items, headings) | ``md_inline`` |
| a Markdown table cell | ``md_cell`` |
| a Markdown link target (a page of this site) | ``md_link_target`` |
| HTML element text or a quoted attribute value | ``html_text`` (``html_attr``) |
| the same inside a raw HTML block of a Markdown page (one line) | ``html_inline`` |
| JSON in a ``<script>`` element or a script-loaded ``.js`` file | ``js_json`` |
| XML text and attribute values (Atom feeds) | ``xml_text`` |
| a CSV cell a spreadsheet opens | ``csv_text`` |
| a terminal line (``check``, ``inspect``, the build's messages) | ``terminal`` (``terminal_lines`` for several) |
| a link to another site | ``http_url`` (None for anything but an http(s) address) |

Each drops or replaces what its context cannot hold as text: control characters everywhere,
line breaks in the one-line contexts (Markdown inline text that held a line break could start
a heading, a fence or a list), and what the context would read as markup. This module imports
nothing of the builder, so any stage may use it.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from urllib.parse import quote

# C0 and C1 controls but tab and line feed (NEL is a line break); never text in any output
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_LINE_BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")  # Python-Markdown's escapable characters
# what starts a fence or underlines a heading when a line begins with it (Python-Markdown does not
# let a backslash escape them): written as entities there
_MD_LINE_START = re.compile(r"^[~=:]+")
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _one_line(text) -> str:
    return _LINE_BREAKS.sub(" ", _CONTROLS.sub("", str(text)))


def md_inline(text) -> str:
    """Text inside Markdown inline content: one line, every Markdown-significant character
    backslash-escaped, then ``& < >`` as entities (in that order, so the entities are not
    mangled). Text can never become a link, emphasis, raw HTML, an attribute list, a heading,
    a fence or a second line."""
    text = html.escape(_MD_SPECIAL.sub(r"\\\1", _one_line(text)), quote=False)
    return _MD_LINE_START.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group(0)), text)


def md_cell(text) -> str:
    """Text for one Markdown table cell or list item: ``md_inline`` with no column break."""
    return md_inline(text).replace("|", "&#124;")


def md_link_target(path: str) -> str:
    """A page address inside ``[...](here)``: percent-encoded but for the characters of a path,
    so no space, bracket, quote or angle bracket ends the target or starts a title."""
    return quote(_one_line(path), safe="/#.-_~")


def html_text(text) -> str:
    """Text for an HTML element's content or a quoted attribute value: no control characters,
    ``& < > " '`` as entities."""
    return html.escape(_CONTROLS.sub("", str(text)), quote=True)


html_attr = html_text


def html_inline(text) -> str:
    """``html_text`` on one line: inside a raw HTML block of a Markdown page, a line break could
    end the block (a blank line) and let what follows be read as Markdown."""
    return html_text(_one_line(text))


def js_json(data, indent: int | None = None) -> str:
    """JSON that is safe inside ``<script>`` and as a script-loaded file: ``< > &`` as ``\\u003c``
    etc. (no value can end the element or open a comment) and U+2028/2029 escaped (line breaks
    inside string literals for older engines)."""
    separators = None if indent is not None else (",", ":")
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group(0)], text)


def xml_text(value) -> str:
    """A value for XML 1.0 (ElementTree escapes ``& < >``): characters XML cannot hold at all,
    escaped or not, as U+FFFD."""
    return _XML_UNSAFE.sub("\ufffd", str(value))


def csv_text(text: str) -> str:
    """Text for a CSV cell: a leading apostrophe on what a spreadsheet would run as a formula
    (it starts with = + - @), as OWASP advises; control characters dropped."""
    text = _CONTROLS.sub("", text)
    return "'" + text if text.startswith(FORMULA_START) else text


def terminal(text) -> str:
    """One printable terminal line: undecodable bytes as \\xNN, line breaks, ESC, BEL and other
    control or direction-changing characters as \\uNNNN, so nothing printed can move the cursor,
    clear the screen, ring the bell, or spoof a second message."""
    text = str(text).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs") else c
                   for c in text)


_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")   # the front-matter schema's pattern


def language_code(value) -> str | None:
    """``value`` when it is a BCP 47 language code (en, uk, pt-BR), else None: it is printed into
    meta tags, JSON-LD, BibTeX and RIS, which a free text could break out of."""
    return value if isinstance(value, str) and _LANGUAGE.match(value) else None


def terminal_lines(text) -> str:
    """Text of several lines (an error MkDocs raised) for the terminal: each line as ``terminal``
    makes it, the line breaks kept."""
    return "\n".join(terminal(line) for line in str(text).splitlines())


_HTTP = re.compile(r"(?i)^https?://[^\s<>\"'`\\]+$")


def http_url(url) -> str | None:
    """``url`` when it is an http(s) address with nothing that could end a link, else None:
    ``javascript:``, ``data:`` and the like are never published as links."""
    return url if isinstance(url, str) and _HTTP.match(url) else None
