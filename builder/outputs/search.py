"""The archive's scalable search: a prebuilt, sharded full-text index written as small scripts.

Why scripts: a site opened from ``file://`` may not ``fetch()`` or XHR its own files, but it may
load ``<script src>``. So every part of the index is a ``.js`` file that hands its data to
``window.__archiveSearch.load(key, data)``, and the browser loads only the parts a query needs
(``theme_overrides/assets/javascripts/archive-search.js``):

* ``manifest.js``: document count, each document's length (BM25), the first term of every
  postings shard and the list of dictionary groups: what every query loads first;
* ``k/<group>.js``: the terms starting with two given letters, with document frequencies, for
  prefix matching while typing and typo tolerance (edit distance 1);
* ``t/<n>.js``: postings (document, weighted term frequency, "in the title", "only in reader
  comments") of a range of terms in sorted order, about ``SHARD_BYTES`` each;
* ``p/<n>.js``: the positions of the same terms, loaded only for phrase queries;
* ``d/<n>.js``: one article's title, date, source, people, tags, page and text (for the excerpt),
  or one page's: the hand-written pages (About, Data, ...) with their text, the index pages
  (People, Timeline, ...) by their names;
* ``facets.js``: people, tags, sources and years, and which article has which (filters, counts).

Per-article contributions (tokens with positions) are cached in ``.cache/search/`` keyed by a
hash of what is indexed, so a new article does not re-tokenise the archive; a file is only
rewritten when its bytes change, and documents are numbered by date then id so an article newer
than the rest changes little beyond its own terms' shards.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..core import collector
from ..core.cache import Cache
from ..core.dates import ArchiveDate, edtf_sort_key
from ..core.escape import js_json

FORMAT_VERSION = 5           # bump when tokenising or the file layout changes (invalidates the cache)
SHARD_BYTES = 24_000         # postings bytes per shard: a one-word query loads one or two
GAP = 8                      # positions skipped between fields and paragraphs: phrases never span them
K1, B = 1.2, 0.75            # BM25 parameters (the same in archive-search.js)

# How much a term counts in each field, in half units (a title word counts three body words,
# a reader comment half of one). The JavaScript side reads tf and length in the same units.
WEIGHTS = {"title": 6, "people": 6, "tags": 4, "source": 4, "body": 2, "comments": 1}
# A term in the title adds this many times the most BM25 can give any one term in any document
# (idf * (k1 + 1)): the title weight alone saturates, so a short story saying a common word twice
# outranked the one headline that holds it. With the bonus, an article whose title holds the word
# ranks above every article that only says it (the JavaScript side reads it from the manifest and
# gives it to the words typed, not to completions or corrections).
TITLE_BONUS = 1.0

_TOKEN = re.compile(r"[^\W_]+")


# letters that are not a base letter plus an accent, so NFKD leaves them: as they are written in ASCII
_LETTERS = {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d"}
_LETTERS_TABLE = str.maketrans(_LETTERS)


def fold(text: str) -> str:
    """Lower case without accents (lower case, NFKD, combining marks dropped, the letters of
    ``_LETTERS`` spelt out): what archive-search.js's ``fold`` does."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).translate(_LETTERS_TABLE)


def tokens(text: str) -> list[str]:
    """Runs of letters and digits of the folded text ("no-fly zone" -> no, fly, zone)."""
    return _TOKEN.findall(fold(text))


@dataclass
class SearchDoc:
    """What the index knows of one article: the fields it searches and what a result shows."""

    id: str
    url: str                     # page URL relative to the site root
    title: str
    date: str | None             # EDTF as in the record
    date_label: str              # as the page shows it
    source: str | None
    people: list[str]
    tags: list[str]
    paragraphs: list[str]
    comments: list[str]
    spellings: dict[str, list[str]] = field(default_factory=dict)   # person -> other spellings (searched, not shown)
    people_urls: dict[str, str] = field(default_factory=dict)
    kind: str = "article"        # or "page": a hand-written or index page of the site
    _key: str | None = field(default=None, repr=False, compare=False)   # ``key()``, made once

    def segments(self) -> list[tuple[str, str]]:
        """(field, text) in the order positions are counted."""
        out = [("title", self.title)]
        out += [("people", name) for person in self.people for name in [person, *self.spellings.get(person, [])]]
        out += [("tags", t) for t in self.tags]
        if self.source:
            out.append(("source", self.source))
        out += [("body", p) for p in self.paragraphs]
        out += [("comments", c) for c in self.comments]
        return out

    def shown(self) -> dict:
        """What a search result shows of the article (its d/ file)."""
        shown = {"id": self.id, "u": self.url, "t": self.title, "d": self.date_label, "s": self.source or "",
                 "p": [[name, self.people_urls.get(name, "")] for name in self.people], "g": self.tags,
                 "b": self.paragraphs, "c": self.comments}
        if self.kind != "article":
            shown["k"] = self.kind
        return shown

    def key(self) -> str:
        """Hash of everything indexed and shown: the cache key of this article's contribution."""
        if self._key is None:
            data = json.dumps([FORMAT_VERSION, self.segments(), self.shown()], ensure_ascii=False)
            self._key = hashlib.sha256(data.encode("utf-8")).hexdigest()
        return self._key


def contribution(doc: SearchDoc) -> dict:
    """One article's part of the index: weighted length, and per term its weighted frequency,
    whether it occurs only in reader comments, and its positions (the first, then gaps)."""
    terms: dict[str, list] = {}
    last: dict[str, int] = {}
    pos = 0
    length = 0
    for name, text in doc.segments():
        weight = WEIGHTS[name]
        in_text = name != "comments"
        for token in tokens(text):
            entry = terms.get(token)
            if entry is None:
                terms[token] = [weight, 0 if in_text else 1, [pos]]
            else:
                entry[0] += weight
                if in_text:
                    entry[1] = 0
                entry[2].append(pos - last[token])
            last[token] = pos
            pos += 1
            length += weight
        pos += GAP
    for entry in terms.values():
        entry[2] = "[" + ",".join(map(str, entry[2])) + "]"     # as the positions file writes it
    return {"dl": length, "terms": terms}


def posting_value(tfw: int, in_title: bool, only_comments: int) -> int:
    """One posting's number: weighted frequency, then a bit for "in the title", then a bit for
    "only in reader comments" (archive-search.js reads them back with shifts)."""
    return tfw * 4 + (2 if in_title else 0) + only_comments


def group_key(term: str) -> str:
    """The dictionary group of a term: its first two characters."""
    return term[:2]


def group_file(key: str) -> str:
    """A group's file name, safe on every file system: code points in hex ('st' -> '73-74')."""
    return "-".join(f"{ord(c):x}" for c in key)


# ---------------------------------------------------------------------------------------
# the cache of per-article contributions
# ---------------------------------------------------------------------------------------

class TokenCache:
    """Contributions by content hash in one JSON file (loaded once, written once per build).

    The cache is data, never trusted: anyone who can write ``.cache/`` (a shared checkout, a CI
    cache restored from elsewhere) could otherwise put text into the scripts the site loads. So
    it is JSON (no types but strings, numbers, lists and mappings), each contribution is checked
    against its schema when used (``valid``) and recomputed when it fails, and what a result
    shows of an article is never cached: it is made from the article at every build. Each
    contribution is kept as its own JSON text and decoded only while its postings are merged, so
    the cache in memory is a few compact strings, not millions of small lists."""

    def __init__(self, folder: Path | None):
        self.path = folder / f"tokens-v{FORMAT_VERSION}.json" if folder else None
        self.old: dict[str, str] = {}
        self.new: dict[str, str] = {}
        self.hits = 0
        self.rejected = 0
        if self.path and self.path.is_file():
            self.old = _cached_entries(self.path)

    def get(self, doc: SearchDoc) -> dict:
        key = doc.key()
        blob = self.old.get(key)
        found = None
        if isinstance(blob, str):
            # the whole text checked against the one shape ``contribution`` writes before it is
            # decoded: what ``valid`` checks of the decoded value, at a fraction of its cost
            found = json.loads(blob) if _BLOB.fullmatch(blob) else None
            if found is None:
                self.rejected += 1
        if found is not None:
            self.hits += 1
        else:
            found = contribution(doc)
            blob = json.dumps(found, ensure_ascii=False, separators=(",", ":"))
        self.new[key] = blob
        return found

    def carry(self, key: str) -> None:
        """Keep the entry of a document whose contribution this build does not need (its terms
        are known from the last build's index), for a later build that removes it."""
        blob = self.old.get(key)
        if isinstance(blob, str):
            self.new[key] = blob
            self.hits += 1

    def contribution_of(self, key: str) -> dict | None:
        """The contribution cached under ``key`` (a document of the last build), None when there
        is none of the one shape the cache writes."""
        blob = self.old.get(key)
        return json.loads(blob) if isinstance(blob, str) and _BLOB.fullmatch(blob) else None

    def save(self) -> None:
        """Keep only what this build used, so the cache does not grow with deleted articles."""
        if not self.path or (self.new.keys() == self.old.keys() and self.hits == len(self.new)):
            return
        data = json.dumps({"format": FORMAT_VERSION, "entries": self.new}, ensure_ascii=False, separators=(",", ":"))
        Cache.at(self.path.parent).put_file(self.path.name, data.encode("utf-8", "surrogatepass"))


def _cached_entries(path: Path) -> dict:
    """The entries of a cache file of this format; none when it is damaged (rebuilt, never trusted)."""
    try:
        loaded = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    if isinstance(loaded, dict) and loaded.get("format") == FORMAT_VERSION and isinstance(loaded.get("entries"), dict):
        return loaded["entries"]
    return {}


_POSITIONS = re.compile(r"\[\d{1,9}(?:,\d{1,9})*\]")
# a contribution as ``TokenCache`` writes it (compact JSON, terms unescaped: a token has no
# character JSON escapes): what decodes to a value ``valid`` accepts, and nothing else
_BLOB_TERM = r'"[^\W_]+":\[(?:0|[1-9]\d*),[01],"\[\d{1,9}(?:,\d{1,9})*\]"\]'
_BLOB = re.compile(r'\{"dl":(?:0|[1-9]\d*),"terms":\{(?:%s(?:,%s)*)?\}\}' % (_BLOB_TERM, _BLOB_TERM))


def valid(found) -> bool:
    """A cached contribution has exactly the shape ``contribution`` makes: a length, and per term
    (a token as ``tokens`` makes them) a weighted frequency, a 0/1 flag and its positions as
    the digits-and-commas text the positions file embeds as it is."""
    if not (isinstance(found, dict) and found.keys() == {"dl", "terms"} and _count(found["dl"])
            and isinstance(found["terms"], dict)):
        return False
    return all(_valid_term(term, entry) for term, entry in found["terms"].items())


def _valid_term(term, entry) -> bool:
    """One term of a cached contribution: [weighted frequency, 0/1 comments flag, positions text]."""
    if not (_TOKEN.fullmatch(term) and isinstance(entry, list) and len(entry) == 3):
        return False
    return (_count(entry[0]) and type(entry[1]) is int and entry[1] in (0, 1) and isinstance(entry[2], str)
            and _POSITIONS.fullmatch(entry[2]) is not None)


def _count(value) -> bool:
    return type(value) is int and value >= 0


# ---------------------------------------------------------------------------------------
# building the index files
# ---------------------------------------------------------------------------------------

@dataclass
class IndexStats:
    documents: int
    terms: int
    shards: int
    files: int
    bytes: int                 # all index files
    written: int               # files whose bytes changed
    removed: int
    cached: int                # articles whose tokens came from the cache
    manifest_bytes: int
    facets_bytes: int


def _js(key: str, data=None, raw: str | None = None) -> bytes:
    body = js_json(data) if raw is None else raw
    return f"__archiveSearch.load({json.dumps(key)},{body});\n".encode("utf-8")


def _doc_order(docs: list[SearchDoc]) -> list[SearchDoc]:
    """Oldest first, undated first, then by id: new articles are usually the newest, so they are
    numbered last and leave the other articles' numbers (and their shards' bytes) alone."""
    return sorted(docs, key=lambda d: (edtf_sort_key(d.date) if d.date else "0000", d.id))


def _numbered(values) -> tuple[list[str], dict[str, int]]:
    """Distinct values in reading order (folded, then as written), and each one's number."""
    names = sorted(set(values), key=lambda v: (fold(v), v))
    return names, {n: i for i, n in enumerate(names)}


def _other_spellings(docs: list[SearchDoc]) -> dict[str, set[str]]:
    spellings: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        for name in d.people:
            spellings[name].update(s for s in d.spellings.get(name, []) if s != name)
    return spellings


def _facets(docs: list[SearchDoc], pages: dict[str, dict[str, str]]) -> dict:
    """People, tags, sources and years with their pages, and each document's numbers of them."""
    people, p_ix = _numbered(p for d in docs for p in d.people)
    tags, t_ix = _numbered(t for d in docs for t in d.tags)
    sources, s_ix = _numbered(d.source for d in docs if d.source)
    years, y_ix = _numbered(y for d in docs for y in [_year(d.date)] if y)
    spellings = _other_spellings(docs)

    def numbers(d: SearchDoc) -> list:
        return [s_ix.get(d.source, -1), y_ix.get(_year(d.date), -1), sorted({p_ix[p] for p in d.people}),
                sorted({t_ix[t] for t in d.tags})]

    return {
        "people": [[n, pages.get("people", {}).get(n, ""), sorted(spellings[n])] for n in people],
        "tags": _with_pages(tags, pages.get("tags", {})),
        "sources": _with_pages(sources, pages.get("sources", {})),
        "years": years,
        "doc": [numbers(d) for d in docs],
    }


def _with_pages(names: list[str], pages: dict[str, str]) -> list[list[str]]:
    return [[n, pages.get(n, "")] for n in names]


def _year(date: str | None) -> str | None:
    return ArchiveDate.parse(date).year


@dataclass
class _Merged:
    """Every article's postings merged by term, with the lengths and shown data of the articles."""

    postings: dict[str, list[tuple[int, int, str]]]
    lengths: list[int]
    shown: list[str]


def _merge(docs: list[SearchDoc], cache: TokenCache) -> _Merged:
    merged = _Merged(defaultdict(list), [], [])
    postings = merged.postings
    for n, doc in enumerate(docs):
        c = cache.get(doc)
        merged.lengths.append(c["dl"])
        merged.shown.append(js_json(doc.shown()))        # made from the article, never from the cache
        in_title = set(tokens(doc.title))
        # posting_value, inline: two and a half million postings at 10,000 articles
        for term, (tfw, only_comments, positions) in c["terms"].items():
            postings[term].append((n, tfw * 4 + (2 if term in in_title else 0) + only_comments, positions))
    return merged


def _gap_texts(postings: dict[str, list], terms: list[str]) -> dict[str, str]:
    """Each term's postings as its shard writes them: document gaps and values, comma-separated
    (made once: the shards are cut by their length, then written with them)."""
    texts = {}
    for term in terms:
        last, flat = 0, []
        for n, value, _ in postings[term]:
            flat += (n - last, value)
            last = n
        texts[term] = ",".join(map(str, flat))
    return texts


def _shards(gaps: dict[str, str], terms: list[str]) -> list[list[str]]:
    """The terms cut into runs of about ``SHARD_BYTES`` of postings, in order."""
    runs: list[list[str]] = []
    size = 0
    for term in terms:
        cost = len(term) + 4 + len(gaps[term])
        if not runs or (size and size + cost > SHARD_BYTES):
            runs.append([])
            size = 0
        runs[-1].append(term)
        size += cost
    return runs


def _pos_texts(postings: dict[str, list], terms: list[str]) -> dict[str, str]:
    """Each term's positions as its shard writes them: each posting's, comma-separated."""
    return {term: ",".join(p for _, _, p in postings[term]) for term in terms}


def _shard_files(i: int, run: list[str], gaps: dict[str, str], positions: dict[str, str]) -> dict[str, bytes]:
    """A shard's postings (document gaps and values) and positions files: the JSON ``js_json``
    writes, put together from each term's parts (a token needs no escaping)."""
    shard_t, shard_p = [], []
    for term in run:
        name = js_json(term)
        shard_t.append(name + ":[" + gaps[term] + "]")
        shard_p.append(name + ":[" + positions[term] + "]")
    return {f"t/{i}.js": _js(f"t/{i}", raw="{" + ",".join(shard_t) + "}"),
            f"p/{i}.js": _js(f"p/{i}", raw="{" + ",".join(shard_p) + "}")}


def _group_files(gaps: dict[str, str], terms: list[str]) -> dict[str, bytes]:
    """The dictionary: terms by their first two letters, with their document frequencies (the
    postings of a gap text: half its numbers)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for term in terms:
        groups[group_key(term)].append(term)
    return {f"k/{group_file(key)}.js": _js(f"k/{group_file(key)}",
                                           {"t": members, "f": [(gaps[t].count(",") + 1) // 2 for t in members]})
            for key, members in groups.items()}


def build_files(docs: list[SearchDoc], pages: dict[str, dict[str, str]] | None = None,
                cache: TokenCache | None = None, kept: dict | None = None) -> tuple[dict[str, bytes], dict]:
    """The index as {relative file name: bytes}, and figures about it.

    ``kept`` (``write_index``'s, from ``.cache/``): what the last build indexed (each document's
    key, length and every term's gap and positions texts, ``search_delta.py``). When it is given
    and few documents changed, the terms are updated by the difference instead of merged again
    from every document; either way ``kept["next"]`` is what this build indexed."""
    from .search_delta import state, update

    cache = cache or TokenCache(None)
    docs = _doc_order(docs)
    found = update(docs, cache, kept, tokens) if kept is not None and kept.get("last") else None
    if found is None:
        merged = _merge(docs, cache)
        terms = sorted(merged.postings, key=lambda t: t.encode("utf-16-be"))   # JavaScript's string order
        gaps = _gap_texts(merged.postings, terms)
        positions = _pos_texts(merged.postings, terms)
        lengths, shown = merged.lengths, merged.shown
        if kept is not None:
            kept["next"] = state(docs, lengths, merged.postings, gaps, positions)
    else:
        terms, gaps, positions, lengths = found
        shown = [js_json(doc.shown()) for doc in docs]
    runs = _shards(gaps, terms)
    files: dict[str, bytes] = {}
    for i, run in enumerate(runs):
        files.update(_shard_files(i, run, gaps, positions))
    files.update(_group_files(gaps, terms))
    files.update({f"d/{n}.js": _js(f"d/{n}", raw=show) for n, show in enumerate(shown)})
    files["facets.js"] = _js("facets", _facets(docs, pages or {}))
    files["manifest.js"] = _js("manifest", {
        "v": FORMAT_VERSION, "n": len(docs), "avgdl": (sum(lengths) / len(docs)) if docs else 0,
        "k1": K1, "b": B, "tb": TITLE_BONUS, "dl": lengths, "shards": [run[0] for run in runs],
        "groups": sorted({group_key(t) for t in terms})})
    figures = {"documents": len(docs), "terms": len(terms), "shards": len(runs), "cached": cache.hits,
               "updated": found is not None}
    return files, figures


def write_index(out: Path, docs: list[SearchDoc], pages: dict[str, dict[str, str]] | None = None,
                cache_dir: Path | None = None, previous: Path | None = None, state: Path | None = None,
                key: bytes | None = None) -> IndexStats:
    """Write the index into ``out`` (a folder this function owns), rewriting only changed files
    and removing files of an older index that are no longer part of it; a file whose bytes are
    those of the same file in ``previous`` (the index of the site this build replaces) is
    hard-linked from there (``carry.py``). ``state`` (a file under ``.cache/``, signed with
    ``key``: ``memo.py``) keeps what this build indexed, for the next to update by the difference."""
    from .memo import load, save, version

    code = version() if state is not None and key else ""
    # millions of small lists and strings, none of them cyclic: the cyclic collector would only
    # rescan them again and again (it doubled the time of a rebuild from the cache)
    with collector.paused():
        cache = TokenCache(cache_dir)
        kept = {"last": load(state, key, code)} if code else None
        files, figures = build_files(docs, pages, cache, kept)
        cache.save()
    made = {} if kept is not None and kept.get("next") is not None else None
    last_files = (kept.get("last") or {}).get("files") if made is not None else None
    written = _write_files(out, files, previous, last_files if isinstance(last_files, dict) else {}, made)
    if made is not None:
        save(state, key, code, dict(kept["next"], files=made))
    removed = _remove_others(out, files) if out.is_dir() else 0
    return IndexStats(documents=figures["documents"], terms=figures["terms"], shards=figures["shards"],
                      files=len(files), bytes=sum(len(b) for b in files.values()), written=written,
                      removed=removed, cached=figures["cached"],
                      manifest_bytes=len(files["manifest.js"]), facets_bytes=len(files["facets.js"]))


def _write_files(out: Path, files: dict[str, bytes], previous: Path | None, known: dict | None = None,
                 made: dict | None = None) -> int:
    """Write the files that changed (a rebuild rewrites few), linking those the previous index
    holds as they are; -> how many were written. With ``made``, each file's digest and stamp are
    kept there, and a file of the digest and stamp the last build kept (``known``) is linked from
    the previous index without reading it (``memo.linked``)."""
    from .carry import put
    from .memo import linked, stamp

    for folder in {rel.rpartition("/")[0] for rel in files}:
        (out / folder).mkdir(parents=True, exist_ok=True)
    if made is None:
        return sum(put(out / rel, data, previous / rel if previous else None) for rel, data in files.items())
    if previous is not None and os.path.abspath(previous) == os.path.abspath(out):
        known = {}                   # the index being written: nothing to link from
    written = 0
    for rel, data in files.items():
        path, prior = os.path.join(out, rel), (os.path.join(previous, rel) if previous else None)
        digest = hashlib.sha256(data).hexdigest()[:32]
        entry = known.get(rel)
        if linked(entry, digest, prior, path):
            made[rel] = entry
            continue
        written += put(Path(path), data, Path(prior) if prior else None)
        made[rel] = [digest, stamp(path)]
    return written


def _remove_others(out: Path, files: dict[str, bytes]) -> int:
    """Remove the files of an older index that are not part of this one; -> how many."""
    stale = []
    for dirpath, _, filenames in os.walk(out):
        folder = os.path.relpath(dirpath, out).replace(os.sep, "/")
        prefix = "" if folder == "." else folder + "/"
        stale += [prefix + name for name in filenames if name.endswith(".js") and prefix + name not in files]
    for rel in sorted(stale):
        (out / rel).unlink()
    return len(stale)


# ---------------------------------------------------------------------------------------
# from the pipeline's records
# ---------------------------------------------------------------------------------------

def spellings_by_person(records, registry=None) -> dict[str, list[str]]:
    """Every known spelling of each person: as written in any article, and the registry's aliases."""
    out: dict[str, set[str]] = defaultdict(set)
    for p in (p for r in records for p in r.people):
        out[p.name].update(m for m in p.mentions if m)
    for name, aliases in _registry_aliases(registry):
        if name in out:
            out[name].update(aliases)
    return {name: sorted(v - {name}) for name, v in out.items()}


def _registry_aliases(registry) -> list[tuple[str | None, list[str]]]:
    """(name, aliases) of the registry's people; none without a registry."""
    people = getattr(registry, "people", None) or []
    return [(getattr(p, "name", None), [a for a in getattr(p, "aliases", []) or [] if a]) for p in people]


def docs_from_records(records, page_url, registry=None, links=None) -> list[SearchDoc]:
    """SearchDocs for the pipeline's records; ``page_url(docs_path)`` gives a page's site URL."""
    from .render import make_links

    links = links or make_links(records, registry)     # the build passes its archive's
    spellings = spellings_by_person(records, registry)
    person_url: dict[str, str] = {}       # a person is named in many articles: each page looked up once
    for name, path in links.people.items():
        person_url[name] = page_url(path) or ""
    docs = []
    for r in records:
        people = r.people_names
        docs.append(SearchDoc(
            id=r.id, url=page_url(f"articles/{r.id}.md") or f"articles/{r.id}.html",
            title=str(r.title.value or r.id), date=r.date.value, date_label=r.when.human,
            source=r.source.value, people=people, tags=list(r.tags.value or []),
            paragraphs=[p.text for p in r.paragraphs], comments=[c.text for c in r.comments],
            spellings={name: spellings[name] for name in people if spellings.get(name)},
            people_urls={n: person_url[n] for n in people if n in person_url}))
    return docs


def pages_for(records, page_url, registry=None, links=None) -> dict[str, dict[str, str]]:
    """The index pages of people, tags and sources, by name (site URLs)."""
    from .render import make_links

    links = links or make_links(records, registry)
    return {kind: {name: page_url(path) or "" for name, path in getattr(links, kind).items()}
            for kind in ("people", "tags", "sources")}


def bm25(tf: float, df: int, n: int, dl: float, avgdl: float, in_title: bool = False) -> float:
    """The BM25 weight of one term in one document, with ``TITLE_BONUS`` when the document's title
    holds it (what archive-search.js computes)."""
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    bonus = TITLE_BONUS * idf * (K1 + 1) if in_title else 0.0
    return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl)) + bonus


# ---------------------------------------------------------------------------------------
# the MkDocs side: which search a build uses, and publishing the index with the site
# ---------------------------------------------------------------------------------------

MODES = ("archive", "material", "auto")   # "auto": what older archives' mkdocs.yml say, now "archive"
ASSETS = ("assets/javascripts/archive-search.js", "assets/stylesheets/archive-search.css")
INDEX_DIR = "assets/archive-search"
PARTIAL = "partials/archive-search.html"


def use_archive_search(mode: str) -> bool:
    """The archive's own search at every size; Material's only when asked for ('material').

    One search, so a reader's typo or phrase works the same in a five-article archive as in a
    large one (Material's lunr search has neither)."""
    if mode not in MODES:
        raise ValueError(f"search must be one of {', '.join(MODES[:2])}, not {mode!r}")
    return mode != "material"


# ---------------------------------------------------------------------------------------
# the site's other pages: hand-written pages by their text, index pages by their names
# ---------------------------------------------------------------------------------------

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th", "pre", "blockquote",
           "div", "tr", "summary", "figcaption", "caption"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _left_out(tag: str, attr: dict) -> bool:
    """An element whose text the search leaves out: code that is not text, a heading's permalink,
    and what the page marks ``data-search-exclude`` (as Material's search does)."""
    return tag in ("script", "style", "template") or "data-search-exclude" in attr \
        or "headerlink" in (attr.get("class") or "").split()


class _PageText:
    """Blocks of text of an HTML fragment, leaving out permalinks, scripts and styles, and
    whatever is marked ``data-search-exclude`` (as Material's search does)."""

    def __init__(self) -> None:
        from html.parser import HTMLParser

        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skip: list[str] = []            # open tags whose content is left out
        parser = HTMLParser(convert_charrefs=True)
        parser.handle_starttag = self.start
        parser.handle_endtag = self.end
        parser.handle_data = self.data
        self.parser = parser

    def start(self, tag, attrs) -> None:
        if tag in _VOID:
            return
        if self.skip or _left_out(tag, dict(attrs)):
            self.skip.append(tag)
        elif tag in _BLOCKS:
            self.flush()

    def end(self, tag) -> None:
        if self.skip:
            if self.skip[-1] == tag:
                self.skip.pop()
            return
        if tag in _BLOCKS:
            self.flush()

    def data(self, text) -> None:
        if not self.skip:
            self.current.append(text)

    def flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


def page_text(html: str) -> list[str]:
    """A page's text, one string per block (paragraph, list item, heading, cell)."""
    reader = _PageText()
    reader.parser.feed(html)
    reader.parser.close()
    reader.flush()
    return reader.blocks


def page_doc(src_uri: str, url: str, title: str, html: str | None = None) -> SearchDoc:
    """A page of the site as the search knows it: its name, and its text when ``html`` is given
    (the hand-written pages; the index pages are found by name, their lists are the articles')."""
    paragraphs = page_text(html) if html else []
    if paragraphs and fold(paragraphs[0]) == fold(title):
        paragraphs = paragraphs[1:]                  # the page's own heading: the title already
    return SearchDoc(id=f"page:{src_uri}", url=url, title=title, date=None, date_label="", source=None,
                     people=[], tags=[], paragraphs=paragraphs, comments=[], kind="page")


def material_search_plugin(config):
    for name in ("material/search", "search"):
        if name in config.plugins:
            return config.plugins[name]
    return None


def theme_file(rel: str) -> Path:
    """A file of the package's own theme overrides (so archives made before it existed get it too)."""
    from ..core.toolsource import theme_overrides_dir

    return theme_overrides_dir() / rel


def partial_templates() -> dict[str, str]:
    """Our search box, rendered where Material's header includes partials/search.html."""
    return {"partials/search.html": theme_file(PARTIAL).read_text(encoding="utf-8")}


def publish(site_dir: Path, records, page_url, registry=None, cache_dir: Path | None = None,
            pages: list[SearchDoc] = (), links=None, previous: Path | None = None, state: Path | None = None,
            key: bytes | None = None) -> IndexStats:
    """Write the index and the search script and styles into a built site; ``pages`` are the
    site's other pages (``page_doc``), ``links`` the page-address table (``render.make_links``),
    ``previous`` the site this build replaces (unchanged index files are linked from it), ``state``
    and ``key`` what the next build updates the index from (``write_index``)."""
    site_dir = Path(site_dir)
    for rel in ASSETS:
        data = theme_file(rel).read_bytes()
        target = site_dir / rel
        if not (target.is_file() and target.read_bytes() == data):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    docs = docs_from_records(records, page_url, registry, links) + list(pages)
    return write_index(site_dir / INDEX_DIR, docs, pages_for(records, page_url, registry, links), cache_dir,
                       Path(previous, INDEX_DIR) if previous else None, state, key)
