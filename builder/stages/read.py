"""Read stage: bytes on disk -> decoded, normalised text split into front matter and paragraphs.

Nothing here guesses metadata; it only makes the file's text reliable and reports
what was odd about the file (encoding, BOM, broken front matter) with its line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

import yaml

from ..core import validate, yamlutil
from ..core.limits import (MAX_BYTES, MAX_DATE_CHARS, MAX_DATE_MEMBERS, MAX_FRONT_MATTER_BYTES, MAX_PEOPLE, MAX_TAGS,
                     ReadError, read_bytes_limited)
from ..core.models import ERROR, INFO, WARNING, Line, Message, RawDoc
from .headline import page_headlines
from ..core.text import drop_controls, drop_invisible, has_line_break, normalise_name, normalise_space, one_line

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
_FRONT_OPEN = re.compile(r"^---[ \t]*$")
_FRONT_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_DATE_SEPARATORS = re.compile(r"[,]|\.\.")
_HTML_START = re.compile(r"\s*<(!doctype html|html)", re.I)


def decode(data: bytes, shown: str) -> tuple[str, str, list[Message]]:
    """Decode bytes as UTF-8 (BOM allowed), else a legacy encoding with a warning."""
    # UTF-32 and UTF-16 are checked first: their zero bytes would otherwise make them look binary;
    # UTF-32 before UTF-16, whose little-endian byte-order mark is the first half of UTF-32's
    wide = _wide_encoding(data)
    if wide:
        return _decode_wide(data, wide, shown)
    _refuse_unreadable(data, shown)
    messages: list[Message] = []
    if data.startswith(b"\xef\xbb\xbf"):
        messages.append(Message(shown, 1, INFO, "byte-order mark removed", code="bom"))
    try:
        return data.decode("utf-8-sig"), "utf-8", messages
    except UnicodeDecodeError as exc:
        return _decode_legacy(data, exc, shown, messages)


def _decode_wide(data: bytes, wide: str, shown: str) -> tuple[str, str, list[Message]]:
    """A UTF-32 or UTF-16 file, decoded with a warning: the archive's files are UTF-8."""
    try:
        text = data.decode(wide)
    except UnicodeDecodeError:
        raise ReadError(Message(shown, 1, ERROR, f"the file starts like {wide.upper()} text but is damaged; "
                                "save it again as UTF-8", code="encoding")) from None
    if not text.strip("\ufeff \t\r\n"):
        raise ReadError(Message(shown, 1, ERROR, "empty file: nothing to publish", code="empty"))
    return text, wide, [Message(shown, 1, WARNING, f"file is {wide.upper()}; decoded, please save it as UTF-8",
                                code="encoding")]


def _refuse_unreadable(data: bytes, shown: str) -> None:
    """An empty file or a binary one (an image, a PDF) is refused before any decoding."""
    if not data.replace(b"\xef\xbb\xbf", b"").strip():
        raise ReadError(Message(shown, 1, ERROR, "empty file: nothing to publish", code="empty"))
    if b"\x00" in data[:8192] or _binary_ratio(data[:8192]) > 0.10:
        raise ReadError(Message(shown, 1, ERROR, "binary file (an image, a PDF, a word-processor file?): "
                                "not a text or HTML article", code="binary"))


def _decode_legacy(data: bytes, exc: UnicodeDecodeError, shown: str,
                   messages: list[Message]) -> tuple[str, str, list[Message]]:
    """Bytes that are not UTF-8, read in a legacy encoding (``legacy_decode``), with a warning at
    the first byte UTF-8 could not read."""
    line = data[: exc.start].count(b"\n") + 1
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    encoding, text = legacy_decode(data)
    messages.append(Message(shown, line, WARNING,
                            f"the file is not saved as UTF-8 (first unreadable byte 0x{data[exc.start]:02x} "
                            f"here); it was read as {_encoding_name(encoding)}, so check its accented "
                            f"letters and quotes on the page, and save the file as UTF-8",
                            column=column, code="encoding"))
    return text, encoding, messages


def _wide_encoding(data: bytes) -> str | None:
    """'utf-32' or 'utf-16' when the bytes start with that encoding's byte-order mark."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return None


_ENCODING_NAMES = {"cp1252": "Windows-1252 (cp1252)", "latin-1": "Latin-1 (ISO-8859-1)",
                   "cp1251": "Windows-1251 (cp1251, Cyrillic)", "koi8_r": "KOI8-R (Cyrillic)",
                   "koi8_u": "KOI8-U (Cyrillic)", "cp1253": "Windows-1253 (cp1253, Greek)",
                   "cp932": "Shift-JIS (cp932, Japanese)", "gb2312": "GB2312 (Chinese)", "gb18030": "GB18030 (Chinese)",
                   "big5": "Big5 (Chinese)", "euc_kr": "EUC-KR (Korean)", "cp1256": "Windows-1256 (cp1256, Arabic)",
                   "cp1255": "Windows-1255 (cp1255, Hebrew)", "iso8859_5": "ISO-8859-5 (Cyrillic)"}


def _encoding_name(encoding: str) -> str:
    return _ENCODING_NAMES.get(encoding, encoding)


def legacy_decode(data: bytes) -> tuple[str, str]:
    """(encoding, text) for bytes that are not UTF-8.

    charset-normalizer tells which script the text is in; its guesses among the many Latin
    code pages are unreliable on short texts (a cp1252 quote mark read as cp775), so a text
    whose letters come out Latin in its best guess is read as Windows-1252, the code page of
    almost every such file, else Latin-1 (which decodes any byte). A Cyrillic, Greek, Arabic,
    Hebrew or East Asian text is read in the encoding charset-normalizer found."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding not in ("utf_8", "ascii") and not _mostly_latin(str(best)):
        return best.encoding, str(best)
    try:
        return "cp1252", data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1", data.decode("latin-1")


def _mostly_latin(text: str) -> bool:
    """True when most non-ASCII letters of ``text`` are Latin letters (é, ß, ł, ō)."""
    import unicodedata

    letters = [c for c in text if ord(c) > 127 and c.isalpha()]
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    return latin * 2 >= len(letters)


def _binary_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(sample)


def normalise_newlines(text: str) -> str:
    """CRLF, CR and NEL (U+0085, a line break in Unicode) become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n")


def _without_controls(text: str, shown: str) -> tuple[str, list[Message]]:
    """The text without control characters (a UTF-16 or UTF-32 file may hold NULs), with a
    warning at the first one: they are never text, and NUL or ESC would reach the pages."""
    kept = drop_controls(text, c1=False)
    if kept == text:
        return text, []
    at = next(i for i, (a, b) in enumerate(zip(text, kept + "\n")) if a != b)
    line = text.count("\n", 0, at) + 1
    return kept, [Message(shown, line, WARNING, f"{len(text) - len(kept):,} control character"
                          f"{'s' if len(text) - len(kept) != 1 else ''} (such as NUL, ESC or BEL) removed from the "
                          "file", column=at - (text.rfind("\n", 0, at) + 1) + 1, code="encoding")]


def split_front_matter(text: str, shown: str) -> tuple[dict, dict[str, int], str, int, list[Message]]:
    """Split YAML front matter from the body.

    Returns (front, key lines, body, the body's first line number, messages). Broken
    front matter is an error: it is what the archivist asserted, so it is never ignored."""
    lines = text.split("\n")
    if not lines or not _FRONT_OPEN.match(lines[0]):
        return {}, {}, text, 1, []
    end = _front_matter_end(lines, shown)
    data = _front_matter_data("\n".join(lines[1:end]), shown)
    key_lines = {k: v + 1 for k, v in data.get("__lines__", {}).items()}
    front, messages = _within_limits(yamlutil.strip_lines(data), key_lines, shown)
    front, more = clean_front(front, key_lines, shown)
    messages += more
    body = "\n".join(lines[end + 1:])
    return front, key_lines, body, end + 2, messages


def _front_matter_end(lines: list[str], shown: str) -> int:
    """The index of the line closing the front matter ('---' or '...')."""
    end = next((i for i in range(1, len(lines)) if _FRONT_CLOSE.match(lines[i])), None)
    if end is None:
        raise ReadError(Message(shown, 1, ERROR, "front matter starts with '---' but has no closing '---' line",
                                code="front-matter"))
    return end


def _front_matter_data(raw: str, shown: str) -> dict:
    """The front matter's YAML as a mapping (with yamlutil's key lines); an error, at its line,
    for front matter too large, not YAML, or not 'field: value' lines."""
    if len(raw) > MAX_FRONT_MATTER_BYTES:
        raise ReadError(Message(shown, 1, ERROR, f"front matter is {len(raw) // 1024:,} KB, over the "
                                f"{MAX_FRONT_MATTER_BYTES // 1024} KB limit: it holds a few fields, the article "
                                "text goes below the closing '---'", code="front-matter"))
    try:
        data = yamlutil.load(raw) if raw.strip() else {}
    except yamlutil.AliasError as exc:
        raise ReadError(Message(shown, yamlutil.error_line(exc, offset=1), ERROR,
                                f"front matter: {yamlutil.error_problem(exc, offset=1)}",
                                column=exc.problem_mark.column + 1, code="front-matter")) from None
    except yaml.YAMLError as exc:
        raise ReadError(_yaml_error(exc, shown)) from None
    except RecursionError:
        raise ReadError(Message(shown, 2, ERROR, "front matter is nested too deeply to read",
                                code="front-matter")) from None
    return _as_mapping(data, shown)


def _yaml_error(exc: yaml.YAMLError, shown: str) -> Message:
    """What is wrong with front matter that is not YAML, at its line, with a hint to fix it."""
    problem = yamlutil.error_problem(exc)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    hint = ("a tab character: indent with spaces instead" if "\\t" in problem or "\t" in problem else
            "check the quotes, colons and indentation of this line (put a value that contains ': ' in quotes)")
    return Message(shown, yamlutil.error_line(exc, offset=1), ERROR,
                   f"front matter is not valid YAML ({problem}); {hint}",
                   column=mark.column + 1 if mark is not None else 1, code="front-matter")


def _as_mapping(data, shown: str) -> dict:
    """Empty front matter is no fields; anything but 'field: value' lines is an error."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ReadError(Message(shown, 2, ERROR,
                                f"front matter must be 'field: value' lines (title: ..., date: ...), "
                                f"but it is {_KIND_NAMES.get(type(data).__name__, 'a single value')}",
                                code="front-matter"))
    return data


def _within_limits(front: dict, key_lines: dict[str, int], shown: str) -> tuple[dict, list[Message]]:
    """Cut lists over their caps (``limits``) with a warning, and drop a date set too large to
    check: one article cannot make thousands of tag pages or stall the date parser."""
    front, messages = _capped_lists(front, key_lines, shown)
    front, more = _checkable_date(front, key_lines, shown)
    return front, messages + more


def _capped_lists(front: dict, key_lines: dict[str, int], shown: str) -> tuple[dict, list[Message]]:
    """Tags and people cut to their caps, with a warning for each list cut."""
    messages: list[Message] = []
    for key, cap, what in (("tags", MAX_TAGS, "tags"), ("people", MAX_PEOPLE, "people")):
        value = front.get(key)
        if isinstance(value, list) and len(value) > cap:
            front = {**front, key: value[:cap]}
            messages.append(Message(shown, key_lines.get(key, 1), WARNING,
                                    f"{len(value):,} {what} given, over the limit of {cap} for one article: only "
                                    f"the first {cap} are used; keep the ones the article is about", code=key))
    return front, messages


def _checkable_date(front: dict, key_lines: dict[str, int], shown: str) -> tuple[dict, list[Message]]:
    """The front matter without a date set too long to check, with a warning."""
    date = front.get("date")
    if not isinstance(date, str):
        return front, []
    members = len(_DATE_SEPARATORS.findall(date)) + 1
    if len(date) <= MAX_DATE_CHARS and members <= MAX_DATE_MEMBERS:
        return front, []
    return {k: v for k, v in front.items() if k != "date"}, [Message(
        shown, key_lines.get("date", 1), WARNING,
        f"date is {len(date):,} characters with {members:,} parts, over the limit of "
        f"{MAX_DATE_CHARS} characters and {MAX_DATE_MEMBERS} dates in a set: ignored, "
        "the date is taken from the text; give the first publication date", code="date")]


NAME_FIELDS = ("people", "tags", "source", "authors")   # names that are keyed: one spelling each


def _clean_value(value, name: bool, found: set[str]):
    """A front-matter value with every string made one line (``text.one_line``), names
    normalised (``text.normalise_name``); ``found`` collects what was changed."""
    if isinstance(value, (list, dict)):
        return _clean_container(value, name, found)
    if not isinstance(value, str):
        return value
    return _clean_string(value, name, found)


def _clean_container(value: list | dict, name: bool, found: set[str]) -> list | dict:
    """Each item of a list, each value of a mapping cleaned; a "name" key's value is a name."""
    if isinstance(value, list):
        return [_clean_value(v, name, found) for v in value]
    return {k: _clean_value(v, name or k == "name", found) for k, v in value.items()}


def _clean_string(value: str, name: bool, found: set[str]) -> str:
    """One string made one line, or a name normalised; what that changed goes to ``found``."""
    if drop_controls(value) != value:
        found.add("control")
    if has_line_break(value):
        found.add("break")
    if name and drop_invisible(value) != value:
        found.add("invisible")
    return normalise_name(value) if name else one_line(value)


_CLEANED = {"control": "control characters (such as NUL, ESC or BEL) removed",
            "break": "line breaks joined into one line (every front-matter field is one line)",
            "invisible": "invisible or direction-changing characters (zero-width, RLO) removed from a name"}


def clean_front(front: dict, key_lines: dict[str, int], shown: str) -> tuple[dict, list[Message]]:
    """Every front-matter value as data: one line, no control characters, names in the one
    spelling they are keyed under; a warning at the field's line for each change, since the file
    should say what the page shows."""
    out: dict = {}
    messages: list[Message] = []
    for key, value in front.items():
        if key == "id":                 # an id is checked as written (validate.id_problem), never repaired
            out[key] = value
            continue
        found: set[str] = set()
        out[key] = _clean_value(value, key in NAME_FIELDS, found)
        for kind in sorted(found):
            messages.append(Message(shown, key_lines.get(key, 1), WARNING, f"{key}: {_CLEANED[kind]}",
                                    code="front-matter"))
    return out, messages


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
    """The stable id: front matter ``id`` if valid, else the file name without extension
    (the rules are ``validate``'s, shared with check and add)."""
    given = front.get("id")
    if given is not None:
        problem = validate.id_problem(given) if isinstance(given, str) else \
            f"id must be one line of text ({validate.ID_RULE})"
        if problem is None:
            return given, []
        raise ReadError(Message(shown, front_lines.get("id", 1), ERROR, problem, code="id"))
    new = validate.id_from_file_name(path.stem)
    return new, _file_name_warnings(path, new, shown)


def _file_name_warnings(path: Path, new: str, shown: str) -> list[Message]:
    """A warning when the id is not the file name as it is: the page's address differs from it."""
    if new == path.stem:
        return []
    if path.stem.casefold() in validate.RESERVED_IDS:
        return [Message(shown, 1, WARNING,
                        f"file name '{Path(shown).name}' would be published as the index page of the "
                        f"articles folder; using id '{new}' (set 'id:' in front matter to choose another)",
                        code="id")]
    return [Message(shown, 1, WARNING,
                    f"file name '{Path(shown).name}' is not a URL-safe id; using id '{new}' "
                    f"(set 'id:' in front matter to choose another)", code="id")]


def read_file(path: Path, shown: str | None = None, max_bytes: int = MAX_BYTES) -> RawDoc:
    """Read one article file. Raises ReadError (with a path:line message) when it cannot be used."""
    shown = shown or path.as_posix()
    return read_data(read_bytes_limited(path, shown, max_bytes), path, shown)


def read_data(data: bytes, path: Path, shown: str) -> RawDoc:
    """An article from its bytes (already read from ``path``): the part of ``read_file`` that a
    worker process or another machine can run, and that the extraction cache stores."""
    digest = hashlib.sha256(data).hexdigest()
    text, encoding, messages = decode(data, shown)
    text, more = _without_controls(normalise_newlines(text), shown)
    messages += more
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix in ("", ".txt") and _HTML_START.match(text)):
        return dataclasses.replace(_read_html(path, shown, text, encoding, messages), sha256=digest)
    return _read_text(path, shown, text, encoding, messages, digest)


def _read_text(path: Path, shown: str, text: str, encoding: str, messages: list[Message], digest: str) -> RawDoc:
    """A text or Markdown article: front matter, if any, then paragraphs."""
    front, front_lines, body, body_line, more = split_front_matter(text, shown)
    messages += more
    doc_id, more = article_id(path, front, front_lines, shown)
    messages += more
    kind = "markdown" if front or path.suffix.lower() in (".md", ".markdown") else "text"
    body_paragraphs = _body_paragraphs(body, body_line, shown)
    front_raw = "\n".join(text.split("\n")[1:body_line - 2]) if body_line > 1 else ""
    return RawDoc(path=path, rel=shown, id=doc_id, kind=kind, front=front, front_lines=front_lines,
                  front_raw=front_raw, body=body_paragraphs, encoding=encoding, messages=messages,
                  sha256=digest)


def _body_paragraphs(body: str, body_line: int, shown: str) -> list[Line]:
    """The body's paragraphs; an error when there are none, since there is nothing to publish."""
    found = paragraphs(body, body_line)
    if not found:
        what = "the file has front matter but no article text" if body_line > 1 else \
            "the file has no article text (only blank lines or invisible characters)"
        raise ReadError(Message(shown, body_line, ERROR, what, code="empty"))
    return found


def _read_html(path: Path, shown: str, text: str, encoding: str, messages: list[Message]) -> RawDoc:
    """A saved web page: trafilatura finds the main text and the page's metadata."""
    result = _extract_page(text, shown)
    messages = messages + _nesting_warning(text, shown)
    meta = _page_meta(result, text)
    body = _html_body(result.text, text)
    doc_id, more = article_id(path, {}, {}, shown)
    return RawDoc(path=path, rel=shown, id=doc_id, kind="html", front={}, front_lines={}, body=body,
                  encoding=encoding, html_meta={k: v for k, v in meta.items() if v}, messages=messages + more)


def _extract_page(text: str, shown: str):
    """trafilatura's reading of the page; an error when it finds no article text."""
    import trafilatura

    result = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                         include_tables=False, favor_precision=True,
                                         # the first publication date, not a later "updated" stamp
                                         date_extraction_params={"original_date": True, "extensive_search": True,
                                                                 "outputformat": "%Y-%m-%d"})
    if result is None or not getattr(result, "text", None):
        raise ReadError(Message(shown, 1, ERROR, "no article text found in this web page", code="empty"))
    return result


def _page_meta(result, text: str) -> dict:
    """The page's metadata as trafilatura found it, with the page's own headlines (``headline``)
    for the title; one-line fields, as front matter's are (an <h1> may hold line breaks)."""
    meta = {k: getattr(result, k, None) for k in ("title", "date", "author", "sitename", "url", "hostname",
                                                  "description")}
    meta["comments"] = getattr(result, "comments", None)
    meta.update(page_headlines(text))
    return {k: _one_line_meta(k, v) for k, v in meta.items()}


def _one_line_meta(key: str, value):
    """A metadata value, or each string of a list, made one line; the readers' comments as found."""
    if isinstance(value, str) and key != "comments":
        return one_line(value)
    if isinstance(value, list):
        return [one_line(x) if isinstance(x, str) else x for x in value]
    return value


def _html_body(main_text: str, text: str) -> list[Line]:
    """The main text's paragraphs, each with the line of the page source where it appears."""
    find_line = _line_finder(text.split("\n"))
    body: list[Line] = []
    for para in main_text.split("\n"):
        para = normalise_space(para)
        if para:
            body.append(Line(para, find_line(para)))
    return body


def _nesting_warning(text: str, shown: str) -> list[Message]:
    """A warning, with its line, when the page nests elements deeper than libxml2 reads (256): the
    parser under trafilatura silently drops everything from there on, so the article is cut."""
    from lxml import etree

    parser = etree.HTMLParser(recover=True, encoding="utf-8")
    try:
        etree.fromstring(text.encode("utf-8", "replace"), parser)
    except (etree.LxmlError, ValueError):
        return []
    for entry in parser.error_log:
        if "excessive depth" in entry.message.casefold():
            return [Message(shown, entry.line, WARNING,
                            "the page nests HTML elements more than 255 deep here; the text from this point on "
                            "cannot be read and is missing from the article", code="html-depth")]
    return []


_FIND_WINDOW = 256 * 1024   # characters of page source searched for one paragraph


def _line_finder(lines: list[str]):
    """A function giving the line in the HTML source where a paragraph's first words appear
    (1 if not found). Each source line is normalised once; paragraphs come in page order, so
    each is looked for after the previous one, within a bounded window: linear in the page."""
    import bisect
    import html

    normalised = [normalise_space(html.unescape(line)) if "&" in line else normalise_space(line)
                  for line in lines]
    starts, offset = [], 0
    for line in normalised:
        starts.append(offset)
        offset += len(line) + 1
    joined = "\n".join(normalised)
    cursor = 0

    def find(para: str) -> int:
        nonlocal cursor
        probe = para[:40]
        at = joined.find(probe, cursor, cursor + _FIND_WINDOW)
        if at < 0:
            at = joined.find(probe, 0, min(cursor, _FIND_WINDOW))
            if at < 0:
                return 1
        else:
            cursor = at
        return bisect.bisect_right(starts, at)

    return find
