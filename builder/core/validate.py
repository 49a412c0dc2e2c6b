"""The rules an article must pass to get a page, shared by ``archive build`` (the pipeline),
``archive check`` and ``archive add`` so that they can never disagree about a file.

* Ids: what an id may be (``ID_RE``, matched whole: ``$`` would let ``"x\\n"`` through),
  which ids are taken by pages the site generates itself (``index``, ``README``), and how a
  file name becomes an id (transliterated to ASCII with anyascii, so ``Київ.txt`` is
  ``kyiv``, never dropped).
* Duplicate ids: two files whose ids are equal after ``casefold()`` share a page address
  (on Windows and macOS disks letter case does not tell files apart): every file involved is
  an error, and the message names the others.
* Front matter against the published schema, and its source against ``sources.yml``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import TypeVar

from anyascii import anyascii

from . import schema
from .models import ERROR, WARNING, Message
from .registry import Registry
from .sources import match_source
from .text import slugify, suggest

ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}")   # used with fullmatch only
ID_RULE = "use letters, digits, '.', '_' and '-' only (no spaces, slashes or '..'), at most 120 characters"
# MkDocs publishes README.md and index.md of a folder as that folder's index page, and the
# comparison is by casefold so that a case-insensitive disk cannot merge two names either
RESERVED_IDS = frozenset({"index", "readme"})
_FILE_ID_LIMIT = 110
_HAS_ALNUM = re.compile(r"[A-Za-z0-9]")


def _is_id(value: str) -> bool:
    return bool(ID_RE.fullmatch(value)) and ".." not in value


def id_problem(value: str) -> str | None:
    """Why ``value`` cannot be an article id, or None when it can."""
    if not _is_id(value):
        return f"id '{value}' is not allowed: {ID_RULE}"
    if value.casefold() in RESERVED_IDS:
        return (f"id '{value}' is reserved: articles/{value}.md would be published as the index page of the "
                "articles folder; choose another id")
    return None


def id_from_file_name(stem: str) -> str:
    """The id a file name gives: the name itself when it is a valid id, else an ASCII slug of it
    (transliterated: 'Київ' -> 'kyiv', '北京' -> 'beijing', 'Zürich café' -> 'zurich-cafe').

    Reserved names get '-article' added; bytes that are not UTF-8, or a name with nothing
    transliterable, get a short digest so that such names stay apart."""
    stem = unicodedata.normalize("NFC", stem)
    new = stem if _is_id(stem) else _slug_id(stem)
    return f"{new}-article" if new.casefold() in RESERVED_IDS else new


def _undecodable(c: str) -> bool:
    """A character standing for a byte that was not UTF-8 (Python's surrogate escape)."""
    return 0xDC80 <= ord(c) <= 0xDCFF


def _slug_id(stem: str) -> str:
    """An ASCII slug of a file name that is no valid id, with a digest of the name when some of
    it could not be read or nothing was left."""
    ascii_text = anyascii("".join(c for c in stem if not _undecodable(c)))
    new = slugify(ascii_text)[:_FILE_ID_LIMIT].strip("-") if _HAS_ALNUM.search(ascii_text) else ""
    if not new or any(_undecodable(c) for c in stem):
        digest = hashlib.sha1(stem.encode("utf-8", "surrogateescape")).hexdigest()[:8]
        new = f"{new or 'article'}-{digest}"
    return new


def id_key(value: str) -> str:
    """Two ids name the same page when their keys are equal."""
    return value.casefold()


T = TypeVar("T")


def duplicate_ids(items: Iterable[tuple[str, T]]) -> dict[str, list[T]]:
    """Groups of items whose ids share a page address (only groups of two or more), by id key."""
    groups: dict[str, list[T]] = {}
    for value, item in items:
        groups.setdefault(id_key(value), []).append(item)
    return {k: v for k, v in groups.items() if len(v) > 1}


def duplicate_id_message(path: str, value: str, line: int, others: list[tuple[str, str]]) -> Message:
    """The error for one file of a duplicate group; ``others`` are the other files' (path, id)."""
    names = ", ".join(p + (f" (as '{i}')" if i != value else "") for p, i in others)
    case = (" (ids that differ only in capital letters count as the same: their pages would overwrite each "
            "other on Windows and macOS)") if any(i != value for _, i in others) else ""
    return Message(path, line, ERROR, f"id '{value}' is also used by {names}; two articles cannot share a page "
                   f"address{case}", code="duplicate-id")


def front_matter_problems(front: dict, raw: str, shown: str, registry: Registry) -> list[Message]:
    """Schema violations of front matter already read (``raw`` is its YAML, for positions), and a
    source that ``sources.yml`` does not know."""
    node = schema.compose(raw)
    out = schema.validate("front-matter", front, node, shown, line_offset=1)
    source = front.get("source")
    if isinstance(source, str) and source.strip() and match_source(source, registry) is None:
        line, col = schema.locate(node, ["source"])
        hint = suggest(source, [s.name for s in registry.sources])
        out.append(Message(shown, line + 2, WARNING,
                           f"source '{source}' is not in {registry.paths.get('sources', 'sources.yml')}{hint}: "
                           "add the outlet there, or fix the spelling", column=col + 1, code="source"))
    return out
