"""Read stage: bytes on disk -> decoded, normalised text split into front matter and paragraphs.

Nothing here guesses metadata; it only makes the file's text reliable and reports
what was odd about the file (encoding, BOM, broken front matter) with its line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import stat
import unicodedata
from pathlib import Path

import yaml

from . import yamlutil
from .models import ERROR, INFO, WARNING, Line, Message, RawDoc
from .text import ascii_fold, normalise_space, slugify

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
MAX_BYTES = 5 * 1024 * 1024   # an article larger than this is almost certainly not one article
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")
_FRONT_OPEN = re.compile(r"^---[ \t]*$")
_FRONT_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


class ReadError(Exception):
    """The file cannot become an article; carries the message to report."""

    def __init__(self, message: Message):
        super().__init__(message.format())
        self.message = message


def decode(data: bytes, shown: str) -> tuple[str, str, list[Message]]:
    """Decode bytes as UTF-8 (BOM allowed), else a legacy encoding with a warning."""
    messages: list[Message] = []
    # UTF-16 is checked first: its zero bytes would otherwise make it look binary
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ReadError(Message(shown, 1, ERROR, "the file starts like UTF-16 text but is damaged; "
                                    "save it again as UTF-8", code="encoding")) from None
        if not text.strip("\ufeff \t\r\n"):
            raise ReadError(Message(shown, 1, ERROR, "empty file: nothing to publish", code="empty"))
        messages.append(Message(shown, 1, WARNING, "file is UTF-16; decoded, please save it as UTF-8",
                                code="encoding"))
        return text, "utf-16", messages
    if not data.replace(b"\xef\xbb\xbf", b"").strip():
        raise ReadError(Message(shown, 1, ERROR, "empty file: nothing to publish", code="empty"))
    if b"\x00" in data[:8192] or _binary_ratio(data[:8192]) > 0.10:
        raise ReadError(Message(shown, 1, ERROR, "binary file (an image, a PDF, a word-processor file?): "
                                "not a text or HTML article", code="binary"))
    if data.startswith(b"\xef\xbb\xbf"):
        messages.append(Message(shown, 1, INFO, "byte-order mark removed", code="bom"))
    try:
        return data.decode("utf-8-sig"), "utf-8", messages
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        for encoding in ("cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            messages.append(Message(shown, line, WARNING,
                                    f"the file is not saved as UTF-8 (first unreadable byte 0x{data[exc.start]:02x} "
                                    f"here); it was read as {_ENCODING_NAMES[encoding]}, so check its accented "
                                    f"letters and quotes on the page, and save the file as UTF-8",
                                    column=column, code="encoding"))
            return text, encoding, messages
    raise ReadError(Message(shown, 1, ERROR, "cannot decode file", code="encoding"))  # pragma: no cover


_ENCODING_NAMES = {"cp1252": "Windows-1252 (cp1252)", "latin-1": "Latin-1 (ISO-8859-1)"}


def _binary_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(sample)


def normalise_newlines(text: str) -> str:
    """CRLF, CR and NEL (U+0085, a line break in Unicode) become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n")


def split_front_matter(text: str, shown: str) -> tuple[dict, dict[str, int], str, int, list[Message]]:
    """Split YAML front matter from the body.

    Returns (front, key lines, body, the body's first line number, messages). Broken
    front matter is an error: it is what the archivist asserted, so it is never ignored."""
    lines = text.split("\n")
    if not lines or not _FRONT_OPEN.match(lines[0]):
        return {}, {}, text, 1, []
    end = next((i for i in range(1, len(lines)) if _FRONT_CLOSE.match(lines[i])), None)
    if end is None:
        raise ReadError(Message(shown, 1, ERROR, "front matter starts with '---' but has no closing '---' line",
                                code="front-matter"))
    raw = "\n".join(lines[1:end])
    try:
        data = yamlutil.load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        hint = ("a tab character: indent with spaces instead" if "\\t" in problem or "\t" in problem else
                "check the quotes, colons and indentation of this line (put a value that contains ': ' in quotes)")
        raise ReadError(Message(shown, yamlutil.error_line(exc, offset=1), ERROR,
                                f"front matter is not valid YAML ({problem}); {hint}",
                                column=mark.column + 1 if mark is not None else 1, code="front-matter")) from None
    except RecursionError:
        raise ReadError(Message(shown, 2, ERROR, "front matter is nested too deeply to read",
                                code="front-matter")) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ReadError(Message(shown, 2, ERROR,
                                f"front matter must be 'field: value' lines (title: ..., date: ...), "
                                f"but it is {_KIND_NAMES.get(type(data).__name__, 'a single value')}",
                                code="front-matter"))
    key_lines = {k: v + 1 for k, v in data.get("__lines__", {}).items()}
    front = yamlutil.strip_lines(data)
    body = "\n".join(lines[end + 1:])
    return front, key_lines, body, end + 2, []


_KIND_NAMES = {"list": "a list of '- ...' lines", "str": "a single line of text", "int": "a number",
               "float": "a number", "bool": "a yes/no value"}


_TERMINAL = re.compile(r"[.!?:;\"”’')\]…]$")


def paragraphs(body: str, first_line: int = 1) -> list[Line]:
    """Split a body into paragraphs with their line numbers.

    Blank lines separate paragraphs. Inside a block, lines are joined only where the text
    is hard-wrapped: the next line continues a sentence in lower case, or the block is
    three or more long lines. Short lines such as captions, names, bylines and timestamps
    stay separate, because the clean stage reads them one by one."""
    out: list[Line] = []
    block: list[tuple[int, str]] = []

    def flush() -> None:
        if not block:
            return
        texts = [t for _, t in block]
        wrapped = len(texts) >= 3 and all(len(t) >= 55 for t in texts[:-1]) and \
            sum(1 for t in texts[:-1] if not _TERMINAL.search(t)) >= (len(texts) - 1) / 2
        current: list[str] = []
        start = block[0][0]
        for number, text in block:
            if current and (wrapped or (not _TERMINAL.search(current[-1]) and text[0].islower())):
                current.append(text)
                continue
            if current:
                out.append(Line(" ".join(current), start))
            current, start = [text], number
        out.append(Line(" ".join(current), start))
        block.clear()

    for offset, raw in enumerate(body.split("\n")):
        text = normalise_space(raw)
        if text:
            block.append((first_line + offset, text))
        else:
            flush()
    flush()
    return out


def article_id(path: Path, front: dict, front_lines: dict[str, int], shown: str) -> tuple[str, list[Message]]:
    """The stable id: front matter ``id`` if valid, else the file name without extension."""
    messages: list[Message] = []
    given = front.get("id")
    if given is not None:
        given = str(given)
        if ID_RE.match(given) and ".." not in given:
            return given, messages
        raise ReadError(Message(shown, front_lines.get("id", 1), ERROR,
                                f"id '{given}' is not allowed: use letters, digits, '.', '_' and '-' only "
                                f"(no spaces, slashes or '..'), at most 120 characters", code="id"))
    stem = unicodedata.normalize("NFC", path.stem)
    if ID_RE.match(stem) and ".." not in stem:
        return stem, messages
    new = slugify(stem)[:110]
    if any(ord(c) > 127 and (c.isalnum() or unicodedata.category(c) == "Cs") for c in ascii_fold(stem)):
        # letters a slug cannot keep (Cyrillic, Greek, CJK, undecodable bytes): a digest keeps names apart
        digest = hashlib.sha1(stem.encode("utf-8", "surrogateescape")).hexdigest()[:8]
        new = f"{'article' if new == 'x' else new}-{digest}"
    messages.append(Message(shown, 1, WARNING,
                            f"file name '{Path(shown).name}' is not a URL-safe id; using id '{new}' "
                            f"(set 'id:' in front matter to choose another)", code="id"))
    return new, messages


def read_file(path: Path, shown: str | None = None, max_bytes: int = MAX_BYTES) -> RawDoc:
    """Read one article file. Raises ReadError (with a path:line message) when it cannot be used."""
    shown = shown or path.as_posix()
    data = read_bytes_limited(path, shown, max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    text, encoding, messages = decode(data, shown)
    text = normalise_newlines(text)
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix in ("", ".txt") and re.match(r"\s*<(!doctype html|html)", text, re.I)):
        return dataclasses.replace(_read_html(path, shown, text, encoding, messages), sha256=digest)
    front, front_lines, body, body_line, more = split_front_matter(text, shown)
    messages += more
    doc_id, more = article_id(path, front, front_lines, shown)
    messages += more
    kind = "markdown" if front or suffix in (".md", ".markdown") else "text"
    body_paragraphs = paragraphs(body, body_line)
    if not body_paragraphs:
        what = "the file has front matter but no article text" if body_line > 1 else \
            "the file has no article text (only blank lines or invisible characters)"
        raise ReadError(Message(shown, body_line, ERROR, what, code="empty"))
    front_raw = "\n".join(text.split("\n")[1:body_line - 2]) if body_line > 1 else ""
    return RawDoc(path=path, rel=shown, id=doc_id, kind=kind, front=front, front_lines=front_lines,
                  front_raw=front_raw, body=body_paragraphs, encoding=encoding, messages=messages,
                  sha256=digest)


def read_bytes_limited(path: Path, shown: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, refusing non-regular files and files over ``max_bytes`` before reading them.

    Opened non-blocking so a named pipe cannot hang the build; at most ``max_bytes + 1``
    bytes are ever read, even if the file grows while it is read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ReadError(Message(shown, 1, ERROR, f"cannot read file: {exc.strerror}", code="io")) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(Message(shown, 1, ERROR, "not a regular file (a pipe, socket or device): refused",
                                    code="file-type"))
        if info.st_size > max_bytes:
            raise ReadError(Message(shown, 1, ERROR, _too_large(info.st_size, max_bytes), code="too-large"))
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise ReadError(Message(shown, 1, ERROR, f"cannot read file: {exc.strerror}", code="io")) from None
    if len(data) > max_bytes:
        raise ReadError(Message(shown, 1, ERROR, _too_large(len(data), max_bytes), code="too-large"))
    return data


def _too_large(size: int, max_bytes: int) -> str:
    return (f"file is {size / 1048576:.1f} MB, over the {max_bytes / 1048576:.0f} MB limit for one article "
            f"(a news article is rarely over 0.1 MB); split it or remove it")


def _read_html(path: Path, shown: str, text: str, encoding: str, messages: list[Message]) -> RawDoc:
    """A saved web page: trafilatura finds the main text and the page's metadata."""
    import trafilatura

    result = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                         include_tables=False, favor_precision=True,
                                         # the first publication date, not a later "updated" stamp
                                         date_extraction_params={"original_date": True, "extensive_search": True,
                                                                 "outputformat": "%Y-%m-%d"})
    if result is None or not getattr(result, "text", None):
        raise ReadError(Message(shown, 1, ERROR, "no article text found in this web page", code="empty"))
    meta = {k: getattr(result, k, None) for k in ("title", "date", "author", "sitename", "url", "hostname",
                                                  "description")}
    meta["comments"] = getattr(result, "comments", None)
    source_lines = text.split("\n")
    body: list[Line] = []
    for para in result.text.split("\n"):
        para = normalise_space(para)
        if para:
            body.append(Line(para, _find_line(source_lines, para)))
    doc_id, more = article_id(path, {}, {}, shown)
    return RawDoc(path=path, rel=shown, id=doc_id, kind="html", front={}, front_lines={}, body=body,
                  encoding=encoding, html_meta={k: v for k, v in meta.items() if v}, messages=messages + more)


def _find_line(lines: list[str], para: str) -> int:
    """Line in the HTML source where a paragraph's first words appear (1 if not found)."""
    probe = para[:40]
    for number, line in enumerate(lines, 1):
        if probe in normalise_space(line):
            return number
    return 1
