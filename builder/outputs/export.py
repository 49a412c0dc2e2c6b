"""Bulk data: the whole archive as files under ``site/data/`` that scripts and spreadsheets read,
described by a Frictionless Data package, and a zip of the built site for offline reading.

``data_files`` makes every data file's bytes from the records (pure, deterministic: rows sorted,
no timestamps); the archive plugin writes them after MkDocs has built the site, then
``write_site_zip`` packs the finished site (the zip itself left out). Story and quote groupings
come from elsewhere and are passed in: ``story_of`` maps an article id to its story id,
``stories`` and ``quotes`` are sequences of objects or dicts with the fields documented in
``STORY_FIELDS`` and ``QUOTE_FIELDS``; left out, the files hold empty lists and nulls.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import os
import zipfile
import zlib
from collections import defaultdict, deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..core.escape import csv_text, http_url, language_code
from ..core.models import Record
from ..core.registry import Registry
from ..core.adapter import RAW_WRITES, write_raw_entry   # zipfile internals, kept in one place

DATA_DIR = "data"
ZIP_NAME = "archive-site.zip"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)     # the earliest time a zip entry can carry: no build time in the file
LIST_SEPARATOR = "; "

# (name, Frictionless type, description): one list per table, in column order
ARTICLE_FIELDS = [
    ("id", "string", "The article's stable id; its page is articles/<id>.html"),
    ("title", "string", "Headline"),
    ("date", "string", "Publication date in EDTF (2022-03-04, 2022-12, 2022?)"),
    ("source", "string", "The outlet"),
    ("url", "string", "The original page's address"),
    ("archived_url", "string", "A web archive's copy of the original page"),
    ("retrieved", "string", "When the original was saved (ISO 8601)"),
    ("language", "string", "BCP 47 language code"),
    ("people", "array", "People named in the article, by canonical name"),
    ("tags", "array", "Subject tags"),
    ("authors", "array", "Bylines"),
    ("photo_credits", "array", "Photographers and agencies credited"),
    ("story", "string", "Id of the story (group of articles reporting one event) the article belongs to"),
    ("page", "string", "The article's page, relative to the site's root"),
    ("file", "string", "The file in corpus/ the article was made from"),
    ("sha256", "string", "SHA-256 of the original file's bytes, for fixity checks"),
    ("words", "integer", "Words in the clean text"),
]
JSONL_EXTRA = [
    ("text", "string", "The article's clean text, paragraphs separated by blank lines"),
    ("comments", "array", "Reader comments kept apart from the article"),
]
PEOPLE_FIELDS = [
    ("name", "string", "Canonical name"),
    ("page", "string", "The person's page, relative to the site's root"),
    ("description", "string", "Short description from people.yml"),
    ("wikidata", "string", "Wikidata item id (Q...)"),
    ("aliases", "array", "Other spellings from people.yml"),
    ("articles", "array", "Ids of the articles naming the person, oldest first"),
    ("article_count", "integer", "Number of articles naming the person"),
    ("first", "string", "Date (EDTF) of the earliest article naming the person"),
    ("last", "string", "Date (EDTF) of the latest article naming the person"),
]
TAG_FIELDS = [
    ("tag", "string", "The tag"),
    ("page", "string", "The tag's page, relative to the site's root"),
    ("description", "string", "Description from tags.yml"),
    ("articles", "array", "Ids of the articles with the tag, oldest first"),
    ("article_count", "integer", "Number of articles with the tag"),
]
SOURCE_FIELDS = [
    ("name", "string", "The outlet"),
    ("page", "string", "The outlet's page, relative to the site's root"),
    ("url", "string", "The outlet's home page, from sources.yml"),
    ("articles", "array", "Ids of the outlet's articles, oldest first"),
    ("article_count", "integer", "Number of the outlet's articles"),
]
STORY_FIELDS = [
    ("id", "string", "The story's id"),
    ("articles", "array", "Ids of the articles reporting the story, earliest first"),
]
QUOTE_FIELDS = [
    ("id", "string", "The quotation's id"),
    ("speaker", "string", "Who is quoted, by canonical name (null when the text does not say)"),
    ("wordings", "array", "Each distinct wording of the quotation across the articles"),
    ("articles", "array", "Ids of the articles that carry the quotation"),
    ("renderings", "array", "Each article's wording: objects with 'article' and 'text'"),
]


def _page(docs_path: str) -> str:
    return docs_path.removesuffix(".md") + ".html"


def _date_key(record: Record) -> tuple[str, str]:
    return (record.when.sort_key, record.id)


def article_rows(records: list[Record], story_of: dict[str, str] | None = None) -> list[dict]:
    """One dict per article, in id order: every front-matter field, the clean text and the story."""
    story_of = story_of or {}     # article id -> story id (or a story object with an ``id``)
    return [article_row(r, story_of) for r in sorted(records, key=lambda r: r.id)]


def article_row(r: Record, story_of: dict) -> dict:
    """One article's row (``article_rows``)."""
    return {
        "id": r.id, "title": r.title.value, "date": r.date.value, "source": r.source.value,
        "url": r.url.value, "archived_url": r.archived_url.value, "retrieved": r.retrieved.value,
        "language": language_code(r.language.value), "people": list(r.people_names),
        "tags": [str(t) for t in r.tags.value],
        "authors": list(r.authors), "photo_credits": list(r.credits), "story": _story_id(story_of.get(r.id)),
        "page": f"articles/{r.id}.html", "file": r.path, "sha256": r.sha256 or None,
        "words": len(r.text.split()), "text": r.text, "comments": [c.text for c in r.comments],
    }


def csv_cell(value) -> str:
    """A value as a CSV cell for spreadsheets: text a spreadsheet would run as a formula (it starts
    with = + - @) gets a leading apostrophe, as OWASP advises; articles.jsonl keeps the exact text."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    return csv_text(value) if isinstance(value, str) else str(value)


def _story_id(story) -> str | None:
    if story is None:
        return None
    return str(getattr(story, "id", story))


def articles_csv(rows: list[dict]) -> bytes:
    """CSV (RFC 4180, UTF-8, header row); lists joined with '; '."""
    return (_csv_header() + "".join(map(_csv_line, rows))).encode("utf-8")


def _csv_header() -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([name for name, _, _ in ARTICLE_FIELDS])
    return out.getvalue()


def _csv_line(row: dict) -> str:
    """One row as the CSV writer writes it (a row's line does not depend on the others)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([csv_cell(row[n]) for n, _, _ in ARTICLE_FIELDS])
    return out.getvalue()


def _json(data) -> bytes:
    return indented_json(data).encode("utf-8")


def indented_json(data) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=1)`` and a newline, character for character;
    made by ``_indented`` (with an indent, ``json`` encodes in Python, generator by generator:
    1.5 s for the tables of 10,000 articles), or by ``json`` itself for a value of another kind."""
    parts: list[str] = []
    try:
        _indented(data, parts, "\n")
    except _Unusual:
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    parts.append("\n")
    return "".join(parts)


class _Unusual(Exception):
    """A value ``_indented`` leaves to ``json`` (a subclass, a float, a key that is not text)."""


_CONSTANTS = {None: "null", True: "true", False: "false"}
_quoted = json.encoder.encode_basestring        # the C encoder's, as json.dumps(ensure_ascii=False) uses


def _indented(value, parts: list[str], newline: str) -> None:
    """``value`` as ``json.dumps(indent=1, ensure_ascii=False)`` writes it at the depth whose line
    break and indent is ``newline``: text, whole numbers, constants, lists and text-keyed mappings."""
    kind = type(value)
    if kind is str:
        parts.append(_quoted(value))
    elif value is None or kind is bool:
        parts.append(_CONSTANTS[value])
    elif kind is int:
        parts.append(int.__repr__(value))
    elif kind is list or kind is tuple:
        _indented_list(value, parts, newline)
    elif kind is dict:
        _indented_dict(value, parts, newline)
    else:
        raise _Unusual(kind.__name__)


def _indented_list(value, parts: list[str], newline: str) -> None:
    if not value:
        parts.append("[]")
        return
    inner = newline + " "
    if all(type(item) is str for item in value):       # a list of ids, names: one join
        parts.append("[" + inner + ("," + inner).join(map(_quoted, value)) + newline + "]")
        return
    parts.append("[")
    for n, item in enumerate(value):
        parts.append("," + inner if n else inner)
        _indented(item, parts, inner)
    parts.append(newline + "]")


def _indented_dict(value: dict, parts: list[str], newline: str) -> None:
    if not value:
        parts.append("{}")
        return
    inner = newline + " "
    parts.append("{")
    for n, (key, item) in enumerate(value.items()):
        if type(key) is not str:
            raise _Unusual("key")
        parts.append(("," + inner if n else inner) + _quoted(key) + ": ")
        _indented(item, parts, inner)
    parts.append(newline + "}")


def articles_jsonl(rows: list[dict]) -> bytes:
    return "".join(map(_jsonl_line, rows)).encode("utf-8")


_JSONL_NAMES = [name for name, _, _ in ARTICLE_FIELDS + JSONL_EXTRA]


def _jsonl_line(row: dict) -> str:
    return json.dumps({n: row[n] for n in _JSONL_NAMES}, ensure_ascii=False) + "\n"


def _grouped(records: list[Record], keys_of) -> dict[str, list[Record]]:
    groups: dict[str, list[Record]] = defaultdict(list)
    for r in sorted(records, key=_date_key):
        for key in keys_of(r):
            groups[key].append(r)
    return groups


def _registry_facts(person) -> dict:
    """What people.yml says of a person (nothing when they are not in it)."""
    if not person:
        return {"description": None, "wikidata": None, "aliases": []}
    return {"description": person.description or None, "wikidata": person.wikidata or None,
            "aliases": list(person.aliases)}


def people_table(records: list[Record], registry: Registry, pages: dict[str, str]) -> list[dict]:
    rows = []
    for name, members in sorted(_grouped(records, lambda r: r.people_names).items()):
        dated = [r.date.value for r in members if r.date.value] or [None]
        rows.append({"name": name, "page": _page(pages[name]) if name in pages else None,
                     **_registry_facts(registry.person(name)),
                     "articles": [r.id for r in members], "article_count": len(members),
                     "first": dated[0], "last": dated[-1]})
    return rows


def tags_table(records: list[Record], registry: Registry, pages: dict[str, str]) -> list[dict]:
    described = {t.tag: t.description for t in registry.tags}
    return [{"tag": tag, "page": _page(pages[tag]) if tag in pages else None,
             "description": described.get(tag) or None, "articles": [r.id for r in members],
             "article_count": len(members)}
            for tag, members in sorted(_grouped(records, lambda r: [str(t) for t in r.tags.value]).items())]


def sources_table(records: list[Record], registry: Registry, pages: dict[str, str]) -> list[dict]:
    homes = {s.name: s.url for s in registry.sources}
    groups = _grouped(records, lambda r: [r.source.value] if r.source.value else [])
    return [{"name": name, "page": _page(pages[name]) if name in pages else None, "url": http_url(homes.get(name)),
             "articles": [r.id for r in members], "article_count": len(members)}
            for name, members in sorted(groups.items())]


def _get(item, name: str):
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def stories_table(stories=None) -> list[dict]:
    rows = [{"id": str(_get(s, "id")), "articles": [str(a) for a in _get(s, "articles") or []]}
            for s in stories or []]
    return sorted(rows, key=lambda s: s["id"])


def quotes_table(quotes=None) -> list[dict]:
    """One row per quotation: given ``wordings`` and ``articles``, or ``quotes`` (each with
    ``article`` and ``text``) from which both are taken."""
    rows = [_quote_row(q) for q in quotes or []]
    return sorted(rows, key=lambda q: (q["speaker"] or "", q["id"] or "", q["wordings"][:1], q["articles"]))


def _given_or(q, name: str, renderings: list[dict], key: str) -> list:
    """A quotation's ``wordings`` or ``articles`` as given, else taken from its renderings in order."""
    given = _get(q, name)
    return given if given is not None else list(dict.fromkeys(r[key] for r in renderings))


def _quote_row(q) -> dict:
    renderings = [{"article": str(_get(x, "article")), "text": str(_get(x, "text"))} for x in _get(q, "quotes") or []]
    return {"id": None if _get(q, "id") is None else str(_get(q, "id")), "speaker": _get(q, "speaker"),
            "wordings": [str(w) for w in _given_or(q, "wordings", renderings, "text")],
            "articles": sorted(str(a) for a in _given_or(q, "articles", renderings, "article")),
            "renderings": renderings}


def _schema(fields, joined_lists: bool = False) -> dict:
    """A Table Schema; in CSV, lists are text joined with LIST_SEPARATOR."""
    out = []
    for n, t, d in fields:
        if joined_lists and t == "array":
            t, d = "string", f"{d}, joined with '{LIST_SEPARATOR}'"
        out.append({"name": n, "type": t, "description": d})
    return {"fields": out}


# (file, resource name, title, table fields, format)
RESOURCES = [
    ("articles.csv", "articles", "Articles (one row each)", ARTICLE_FIELDS, "csv"),
    ("articles.jsonl", "articles-full", "Articles with their clean text", ARTICLE_FIELDS + JSONL_EXTRA, "jsonl"),
    ("people.json", "people", "People named in the articles", PEOPLE_FIELDS, "json"),
    ("tags.json", "tags", "Tags", TAG_FIELDS, "json"),
    ("sources.json", "sources", "Sources (outlets)", SOURCE_FIELDS, "json"),
    ("stories.json", "stories", "Stories: articles reporting the same event", STORY_FIELDS, "json"),
    ("quotes.json", "quotes", "Quotations and the articles that carry them", QUOTE_FIELDS, "json"),
]
MEDIA_TYPES = {"csv": "text/csv", "jsonl": "application/jsonl", "json": "application/json"}


def datapackage(archive_name: str, site_url: str | None, data: dict[str, bytes], description: str = "") -> dict:
    """A Frictionless Data package describing the files (tabular schemas with field types)."""
    import hashlib

    resources = []
    for file, name, title, fields, fmt in RESOURCES:
        content = data[file]
        # an empty JSON table cannot be read as a table (Frictionless refuses '[]'), so it is
        # described as a plain data resource, schema kept for the reader
        empty = fmt == "json" and not json.loads(content)
        resource = {"name": name, "title": title, "path": file, "format": fmt, "mediatype": MEDIA_TYPES[fmt],
                    "encoding": "utf-8", "profile": "data-resource" if empty else "tabular-data-resource"}
        if fmt != "json":       # Frictionless counts the bytes of streamed JSON as None, so a check would fail
            resource["bytes"] = len(content)
            resource["hash"] = "sha256:" + hashlib.sha256(content).hexdigest()
        resource["schema"] = _schema(fields, joined_lists=fmt == "csv")
        if fmt == "csv":
            resource["dialect"] = {"delimiter": ",", "header": True}
            resource["schema"]["primaryKey"] = ["id"]
        resources.append(resource)
    package = {"profile": "data-package", "name": _package_name(archive_name), "title": archive_name}
    if description:
        package["description"] = description
    if site_url:
        package["homepage"] = site_url
    package["resources"] = resources
    return package


def _package_name(title: str) -> str:
    from ..core.text import slugify

    return slugify(title)


def data_files(records: list[Record], registry: Registry, links, archive_name: str, site_url: str | None = None,
               story_of: dict[str, str] | None = None, stories=None, quotes=None,
               description: str = "", kept: dict | None = None) -> dict[str, bytes]:
    """Every data file, as {path under the site: bytes}; ``links`` is ``render.make_links``'s.

    ``kept`` (``files``'s) saves making again what the last build made (``pieces.py``): each
    article's CSV and JSON lines by its record key (``kept["keys"]``), each table entry's indented
    JSON by its compact JSON, all taken from ``kept["old"]`` (key -> bytes); where this build's
    pieces are in its files is left in ``kept["next"]``."""
    kept = kept if kept is not None else {}
    old, nxt = kept.get("old") or {}, kept.setdefault("next", {})
    data = _article_files(records, story_of or {}, kept.get("keys"), old, nxt)
    data.update({
        "people.json": _table_json(people_table(records, registry, links.people), old, nxt, "people.json"),
        "tags.json": _table_json(tags_table(records, registry, links.tags), old, nxt, "tags.json"),
        "sources.json": _table_json(sources_table(records, registry, links.sources), old, nxt, "sources.json"),
        "stories.json": _table_json(stories_table(stories), old, nxt, "stories.json"),
        "quotes.json": _table_json(quotes_table(quotes), old, nxt, "quotes.json"),
    })
    data["datapackage.json"] = _json(datapackage(archive_name, site_url, data, description))
    return {f"{DATA_DIR}/{name}": content for name, content in data.items()}


def _article_files(records: list[Record], story_of: dict, keys: dict | None, old: dict, nxt: dict) -> dict:
    """articles.csv and articles.jsonl, in id order: each article's lines the last build's
    (``old``, by its record and story) when it has them, else made now."""
    from .pieces import add, assemble, finish

    csv_made, jsonl_made = assemble(), assemble()
    add(csv_made, _csv_header().encode("utf-8"))
    for r in sorted(records, key=lambda r: r.id):
        key = None if keys is None else f"{keys[r.id]} {_story_id(story_of.get(r.id))}"
        line_csv = old.get("c " + key) if key is not None else None
        line_json = old.get("j " + key) if key is not None else None
        if line_csv is None or line_json is None:
            row = article_row(r, story_of)
            line_csv, line_json = _csv_line(row).encode("utf-8"), _jsonl_line(row).encode("utf-8")
        add(csv_made, line_csv, None if key is None else "c " + key)
        add(jsonl_made, line_json, None if key is None else "j " + key)
    return {"articles.csv": finish(csv_made, "articles.csv", nxt),
            "articles.jsonl": finish(jsonl_made, "articles.jsonl", nxt)}


def _table_json(table: list[dict], old: dict, nxt: dict, name: str) -> bytes:
    """``_json(table)``, each entry's indented JSON taken from ``old`` by the digest of the entry's
    compact JSON (one C call, where the indented form is made in Python) when the last build made it."""
    from .pieces import add, assemble, finish

    if not table or not all(type(item) is dict for item in table):
        return _json(table)
    made = assemble()
    add(made, b"[\n ")
    for n, item in enumerate(table):
        key = _compact_key(item)
        blob = old.get(key)
        if blob is None:
            parts: list[str] = []
            try:
                _indented(item, parts, "\n ")
            except _Unusual:
                return _json(table)
            blob = "".join(parts).encode("utf-8")
        if n:
            add(made, b",\n ")
        add(made, blob, key)
    add(made, b"\n]\n")
    return finish(made, name, nxt)


def _compact_key(item: dict) -> str:
    from .memo import digest

    return digest(json.dumps(item, ensure_ascii=False, separators=(",", ":")))


def files(archive, site, pages=None) -> dict[str, bytes]:
    """The data files of ``archive`` (``builder.core.archive.Archive``), made before MkDocs runs:
    the Data page lists them. What the last build made of unchanged articles and table entries
    is taken from the previous site's data files, where ``.cache/outputs/data.json`` says it is
    (``memo.py``, ``pieces.py``); ``pages``, the page plan, keys the articles (``memo.record_keys``)."""
    from .memo import load, record_keys, save, state_path, version
    from .pieces import old_pieces

    where = state_path(site.cache, "data.json")
    code = version()
    keep = where is not None and bool(site.secret)
    state = (load(where, site.secret, code) or {}) if keep else {}
    previous = Path(site.previous, DATA_DIR) if site.previous else None
    kept = {"old": old_pieces(previous, state.get("files")),
            "keys": record_keys(archive, pages) if keep else None}
    out = data_files(archive.records, archive.registry, archive.links, site.name, site.url,
                     story_of={a: s.id for a, s in archive.story_of.items()}, stories=archive.stories,
                     quotes=archive.quotes, description=site.description, kept=kept)
    if keep:
        save(where, site.secret, code, {"files": kept["next"]})
    return out


def write(archive, prepared, site) -> None:
    """Write the data files into the built site."""
    write_files(site.folder, prepared.data, site.previous)


def write_zip(archive, prepared, site) -> None:
    """The zip of the whole site, last: it holds what the other steps wrote."""
    if site.zip:
        write_site_zip(site.folder, previous=Path(site.previous, DATA_DIR, ZIP_NAME) if site.previous else None,
                       stamps=Path(site.cache, *ZIP_STAMPS) if site.cache and site.secret else None,
                       key=site.secret)


def write_files(site_dir: Path, files: dict[str, bytes], previous: Path | None = None) -> None:
    """Write the data files; one whose bytes are the previous site's is linked from there (``carry.py``)."""
    from .carry import put

    for rel, content in sorted(files.items()):
        path = Path(site_dir, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        put(path, content, Path(previous, rel) if previous else None)


def _site_files(site_dir: Path, leave_out: tuple[Path, ...]) -> list[str]:
    """Every file of the site (no symbolic link, not the zip itself), relative to it, in one pass
    over the folders (the type of each entry comes with its name: no call per file)."""
    skip = {path.relative_to(site_dir).as_posix() for path in leave_out}
    paths: list[str] = []
    folders = [(str(site_dir), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as found:
            for entry in found:
                if entry.is_symlink():
                    continue
                if entry.is_dir():
                    folders.append((entry.path, prefix + entry.name + "/"))
                elif prefix + entry.name not in skip:
                    paths.append(prefix + entry.name)
    return paths


def write_site_zip(site_dir: Path, rel: str = f"{DATA_DIR}/{ZIP_NAME}", folder: str = "archive-site",
                   previous: Path | None = None, stamps: Path | None = None, key: bytes | None = None) -> Path:
    """Zip the built site for offline reading: entries sorted, fixed times and permissions, so the
    same site gives the same bytes; the zip leaves itself out. Unzipped, ``<folder>/index.html``
    opens the archive, search included.

    ``previous``, the zip of the last build, saves compressing again: an entry whose bytes are
    exactly those the old entry inflates to (and compressed by the same zlib at the same level,
    which the zip's comment records) is copied as it was. Deflate is deterministic, so the zip is
    byte-identical to one compressed from scratch; a rebuild after one changed article compresses
    only the files that changed.

    ``stamps`` (a file under ``.cache/``) saves even reading them: it records the zip and, for
    each entry, the inode, size and modification time of the file it was made from. A file that
    is still that file (a page or feed hard-linked from the previous site: the builder replaces
    files, never writes into them) is copied from the old zip unread. The record is signed with ``key`` (the page-reuse
    key, kept outside the archive): whoever can write ``site/`` and ``.cache/`` cannot make the zip
    keep an entry that is not its file's bytes; without a key nothing is recorded or trusted."""
    site_dir = Path(site_dir)
    target = site_dir / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    paths = _site_files(site_dir, (target, partial))
    made: dict[str, list[int]] = {}
    with _OldZip(previous if previous is not None else target, stamps, key) as old, \
            zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as archive:
        archive.comment = ZIP_COMMENT
        for name, stamp, size, crc, raw in _entries(old, str(site_dir), folder, sorted(paths)):
            made[name] = stamp
            _add_entry(archive, f"{folder}/{name}", size, crc, raw.result() if isinstance(raw, Future) else raw)
    partial.replace(target)
    _save_stamps(stamps, target, made, key)
    return target


# how far reading runs ahead of writing while a thread compresses (zlib lets go of the GIL)
_AHEAD_BYTES = 32 << 20
_AHEAD_FILES = 512


def _entries(old: _OldZip, site_dir: str, folder: str, names: list[str]):
    """(name, stamp, size, CRC, deflated bytes or their Future) of each file, in order: an old
    entry's bytes when it can be copied, else the file compressed in a second thread while the
    next files are read and the earlier written (a rebuild compresses the large files that changed,
    a cold build all of them)."""
    window: deque = deque()
    held = 0
    with ThreadPoolExecutor(max_workers=2) as pool:    # two files compressed at once (zlib lets go of the GIL)
        for name in names:
            entry = _entry(old, os.path.join(site_dir, name), f"{folder}/{name}", pool)
            window.append((name, *entry))
            held += entry[1] if isinstance(entry[3], Future) else 0
            while window and (held > _AHEAD_BYTES or len(window) > _AHEAD_FILES):
                done = window.popleft()
                held -= done[2] if isinstance(done[4], Future) else 0
                yield done
        yield from window


def _entry(old: _OldZip, path: str, name: str, pool: ThreadPoolExecutor):
    """One file's (stamp, size, CRC, deflated bytes or a Future of them)."""
    stamp = _stamp(os.stat(path))   # before reading: a later change gives the file another stamp
    known = old.unread(name, stamp)
    if known is not None:
        return stamp, known[1], known[2], known[0]
    with open(path, "rb") as file:
        data = file.read()
    crc = zlib.crc32(data)
    if not RAW_WRITES:          # zipfile without the internals raw entries need: writestr compresses
        return stamp, len(data), crc, data
    raw = old.raw(name, data, crc)
    return stamp, len(data), crc, raw if raw is not None else pool.submit(_deflate, data)


def _deflate(data: bytes) -> bytes:
    """The bytes ``ZipFile.writestr`` stores for ``data`` at ``ZIP_LEVEL`` (the same compressor)."""
    compressor = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _add_entry(archive: zipfile.ZipFile, name: str, size: int, crc: int, raw: bytes) -> None:
    """One entry, with the headers ``writestr`` writes: fixed time and permissions, made on Unix."""
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3          # Unix, whatever system built it
    if RAW_WRITES:
        write_raw_entry(archive, info, None, raw, ZIP_LEVEL, size=size, crc=crc)
    else:
        archive.writestr(info, raw, compresslevel=ZIP_LEVEL)    # ``raw`` is the file's bytes here


ZIP_LEVEL = 6
# what an old zip's entries must have been made with to be copied into a new one
ZIP_COMMENT = f"archive-site deflate {ZIP_LEVEL} zlib {zlib.ZLIB_RUNTIME_VERSION}".encode("ascii")
ZIP_STAMPS = ("zip", "stamps-v1.json")     # under .cache/


def _stamp(st: os.stat_result) -> list[int]:
    """What tells one version of a file from another without reading it."""
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def _stamps_mac(key: bytes, zip_stamp, files) -> str:
    body = json.dumps({"zip": zip_stamp, "files": files}, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, b"zip-stamps\0" + body.encode("utf-8"), hashlib.sha256).hexdigest()


def _load_stamps(path: Path | None, zip_path: Path, key: bytes | None = None) -> dict:
    """The entries' stamps recorded with ``zip_path``, when that zip is still the one they were
    recorded with (same inode, size and time) and the record carries ``key``'s HMAC; else none."""
    if path is None or not key:
        return {}
    try:
        loaded = json.loads(path.read_bytes())
        ok = isinstance(loaded, dict) and loaded.get("zip") == _stamp(os.stat(zip_path))
        ok = ok and hmac.compare_digest(str(loaded.get("mac", "")), _stamps_mac(key, loaded["zip"], loaded.get("files")))
    except (OSError, ValueError, TypeError, RecursionError):
        return {}
    files = loaded.get("files") if ok else None
    return files if isinstance(files, dict) else {}


def _save_stamps(path: Path | None, zip_path: Path, made: dict[str, list[int]], key: bytes | None = None) -> None:
    if path is None or not key:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    zip_stamp = _stamp(os.stat(zip_path))
    tmp.write_text(json.dumps({"zip": zip_stamp, "files": made, "mac": _stamps_mac(key, zip_stamp, made)},
                              separators=(",", ":")), encoding="utf-8")
    tmp.replace(path)


class _OldZip:
    """The previous build's zip, read only for entries that can be copied unchanged."""

    def __init__(self, path: Path | None, stamps: Path | None = None, key: bytes | None = None) -> None:
        self.zip = None
        self.stamps: dict = {}
        if path is None or not RAW_WRITES:
            return
        try:
            z = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile, ValueError):
            return
        if z.comment != ZIP_COMMENT:
            z.close()
            return
        self.zip, self.infos = z, {i.filename: i for i in z.infolist()}
        self.stamps = _load_stamps(stamps, path, key)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.zip is not None:
            self.zip.close()

    def unread(self, name: str, stamp: list[int]) -> tuple[bytes, int, int] | None:
        """The old entry's compressed bytes, size and CRC when it was made from the very file
        whose stamp is ``stamp``, else None: the file need not be read."""
        if self.zip is None or self.stamps.get(name.partition("/")[2]) != stamp:
            return None
        info = self.infos.get(name)
        if info is None or info.file_size != stamp[1]:
            return None
        raw = self._compressed(info)
        return None if raw is None else (raw, info.file_size, info.CRC)

    def raw(self, name: str, data: bytes, crc: int | None = None) -> bytes | None:
        """The old entry's compressed bytes when they inflate to exactly ``data``, else None."""
        info = self.infos.get(name) if self.zip is not None else None
        if info is None or info.file_size != len(data) or info.CRC != (zlib.crc32(data) if crc is None else crc):
            return None
        raw = self._compressed(info)
        try:
            if raw is None or zlib.decompress(raw, -15) != data:
                return None
        except zlib.error:
            return None
        return raw

    def _compressed(self, info: zipfile.ZipInfo) -> bytes | None:
        """An entry's deflated bytes as stored, when it is a plain deflated entry."""
        if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x08:
            return None
        try:
            fp = self.zip.fp
            fp.seek(info.header_offset)
            header = fp.read(30)
            if header[:4] != b"PK\x03\x04":
                return None
            skip = int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
            fp.seek(info.header_offset + 30 + skip)
            raw = fp.read(info.compress_size)
        except (OSError, ValueError):
            return None
        return raw if len(raw) == info.compress_size else None


def _entries_of(content: bytes) -> int | None:
    """How many entries a JSON table has (None: it is not JSON). A table of mappings as ``_json``
    writes it is counted by its lines that open an entry (a raw line break is never inside a JSON
    string), without decoding 10 MB of JSON for one number; anything else is decoded."""
    if content.startswith(b"[\n {") and content.endswith(b"\n }\n]\n"):
        return content.count(b"\n {")
    try:
        return len(json.loads(content))
    except ValueError:
        return None


def data_page(files: dict[str, bytes], prefix: str = "", site_zip: bool = True) -> str:
    """The Markdown (with raw links: these files are not MkDocs pages) listing the data files,
    for the Data page; ``prefix`` leads from that page to the site's root."""
    def count(rel: str) -> str:
        content = files.get(rel, b"")
        if rel.endswith(".csv"):
            rows = max(content.count(b"\r\n") - 1, 0)
            return f"{rows:,} rows"
        if rel.endswith(".jsonl"):
            lines = content.count(b"\n")
            return f"{lines:,} lines"
        return f"{_entries_of(content):,} entries" if _entries_of(content) is not None else ""

    described = {
        "articles.csv": "every article's metadata, one row each (lists joined with “; ”; text that a "
                        "spreadsheet would take for a formula starts with an apostrophe)",
        "articles.jsonl": "every article as one JSON object a line: all metadata, the clean text and its story",
        "people.json": "people, with descriptions, Wikidata ids and their articles",
        "tags.json": "tags and their articles",
        "sources.json": "outlets and their articles",
        "stories.json": "stories: groups of articles reporting the same event",
        "quotes.json": "quotations: speaker, each wording, the articles that carry it",
        "datapackage.json": "a [Frictionless Data](https://specs.frictionlessdata.io/) package describing "
                            "all of the above, with field types",
    }
    lines = ["| File | What it holds | Size |", "| --- | --- | --- |"]
    for name, what in described.items():
        rel = f"{DATA_DIR}/{name}"
        size = count(rel) if name != "datapackage.json" else f"{len(files.get(rel, b'')):,} bytes"
        lines.append(f'| <a href="{prefix}{rel}"><code>{name}</code></a> | {what} | {size} |')
    if site_zip:
        lines += ["", f'<a class="md-button" href="{prefix}{DATA_DIR}/{ZIP_NAME}" download>Download the whole '
                  "site (zip)</a>", "",
                  "The zip holds this whole site: unzip it and open `archive-site/index.html` in a browser. "
                  "It works without a network connection, search included."]
    return "\n".join(lines) + "\n"
