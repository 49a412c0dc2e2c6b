"""Runs read -> clean -> extract over a whole corpus and accounts for every file.

Each file ends as a ``Record`` or as error messages; an exception in one file is caught
and reported against that file, so one bad file never stops the others.
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
import traceback
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from . import extract as X
from . import validate
from .clean import clean
from .models import ERROR, INFO, WARNING, Cleaned, Credit, Line, Message, RawDoc, Record
from .ner import paragraph_entities
from .read import ARTICLE_SUFFIXES, ReadError, read_file
from .registry import Registry, load_registry


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
    """One printable line: undecodable bytes of a file name as \\xNN, line breaks and control or
    direction-changing characters as \\uNNNN, so a message or a report row cannot be split or spoofed."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs") else c
                   for c in text)


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
        for d in sorted(dirnames):
            if d.startswith("."):
                ignored.append(project.shown(base / d) + "/")
                dirnames.remove(d)
            elif (base / d).is_symlink():
                dirnames.remove(d)
                refuse(base / d, "symbolic link to a folder: refused, copy the files into the corpus instead",
                       "symlink")
        dirnames.sort()
        for name in sorted(filenames):
            path = base / name
            if name.startswith(".") or name in IGNORED_NAMES:
                ignored.append(project.shown(path))
                continue
            if path.is_symlink():
                problem = _symlink_problem(path, corpus_real)
                if problem:
                    refuse(path, problem, "symlink")
                    continue
            try:
                mode = path.stat().st_mode
            except OSError as exc:
                refuse(path, f"cannot read file: {exc.strerror}", "io")
                continue
            if stat.S_ISDIR(mode):      # a symlink to a folder inside the corpus
                refuse(path, "symbolic link to a folder: refused, copy the files into the corpus instead",
                       "symlink")
                continue
            if not stat.S_ISREG(mode):
                refuse(path, "not a regular file (a pipe, socket or device): refused", "file-type")
                continue
            if path.suffix.lower() not in ARTICLE_SUFFIXES:
                refuse(path, f"unsupported file type '{printable(path.suffix)}': articles are .txt, .md or "
                       ".html files", "file-type")
                continue
            files.append(path)
    ignored.sort()
    return sorted(files, key=lambda p: p.as_posix()), refused


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


@dataclass
class _Prepared:
    doc: RawDoc
    cleaned: Cleaned
    texts: list[Line]     # headline + paragraphs fed to NER


def process(paths: list[Path], registry: Registry, project: Project | None = None,
            extra_results: list[FileResult] | None = None, progress=None) -> CorpusResult:
    """Read, clean and extract every file; people resolved across all of them.

    ``progress(stage, done, total, cached=0)``, when given, hears of each file read and of
    each batch of articles extracted (see builder/progress.py)."""
    progress = progress or _no_progress
    files: list[FileResult] = list(extra_results or [])
    prepared: list[tuple[FileResult, _Prepared]] = []
    progress("read", 0, len(paths))
    for done, path in enumerate(paths, 1):
        if done > 1:
            progress("read", done - 1, len(paths))
        shown = project.shown(path) if project else path.as_posix()
        result = FileResult(shown, None, "error")
        files.append(result)
        try:
            doc = read_file(path, shown)
            result.id = doc.id
            result.messages += doc.messages
            if doc.front:
                # the published schema, exactly as `archive check` applies it: the build and the
                # check never disagree about a file
                result.messages += _front_matter_problems(doc, registry)
            cleaned = clean(doc, registry)
            texts = ([cleaned.headline] if cleaned.headline else []) + cleaned.paragraphs
            if not texts:
                result.messages.append(Message(shown, 1, ERROR, "no article text left after removing site "
                                               "furniture and comments", code="empty"))
                continue
            prepared.append((result, _Prepared(doc, cleaned, texts)))
        except ReadError as exc:
            result.messages.append(exc.message)
        except Exception as exc:  # noqa: BLE001 - report, never crash the whole build
            result.messages.append(_internal_error(shown, exc))
    progress("read", len(paths), len(paths))

    # one batched NER pass, one spaCy doc per article; a file NER or mention-finding fails on
    # is reported and dropped here, never the whole corpus
    kept: list[tuple[FileResult, _Prepared]] = []
    per_doc_ents: list = []
    evidence: list[X.DocEvidence] = []
    extracting = len(prepared)
    for (result, p), ents in zip(prepared, _entities_per_doc(prepared, progress)):
        try:
            if isinstance(ents, Exception):
                raise ents
            mentions = X.find_person_mentions(p.texts, ents, registry)
        except Exception as exc:  # noqa: BLE001
            result.messages.append(_internal_error(result.path, exc))
            continue
        kept.append((result, p))
        per_doc_ents.append(ents)
        evidence.append(X.doc_evidence(p.doc.id, mentions, p.texts, ents))
    prepared = kept
    resolved = _resolve_people(evidence, registry)

    # duplicate ids are errors for every file involved (validate's rule: ids differing only in
    # letter case too, since their pages would overwrite each other on macOS and Windows)
    by_id = validate.duplicate_ids((result.id, result) for result, _ in prepared)

    records: list[Record] = []
    site_names = [s.name for s in registry.sources]
    for (result, p), ents in zip(prepared, per_doc_ents):
        try:
            same = by_id.get(validate.id_key(result.id))
            if same:
                result.messages.append(validate.duplicate_id_message(
                    result.path, result.id, p.doc.front_lines.get("id", 1),
                    [(r.path, r.id) for r in same if r is not result]))
                continue
            people_notes = resolved.get(p.doc.id)
            if isinstance(people_notes, Exception):
                raise people_notes
            record = build_record(p, ents, registry, people_notes, site_names)
            # one problem, one message: the schema's finding replaces the extract stage's own
            flagged = {(m.line, m.code.removeprefix("schema:")) for m in result.messages}
            result.messages += [m for m in record.messages if (m.line, m.code) not in flagged]
            if any(m.severity == ERROR for m in result.messages):
                continue
            result.status = "page"
            records.append(record)
        except Exception as exc:  # noqa: BLE001
            result.messages.append(_internal_error(result.path, exc))
    progress("extract", extracting, extracting)
    for f in files:
        f.messages = [_one_line(m) for m in f.messages]
    files.sort(key=lambda f: f.path)
    records.sort(key=lambda r: r.id)
    return CorpusResult(records=records, files=files, messages=[_one_line(m) for m in registry.messages])


NER_MAX_CHARS = 200_000   # per article: spaCy refuses over 1,000,000 and needs ~40 s per million


def _ner_texts(result: FileResult, p: _Prepared) -> list[str]:
    """The paragraphs NER reads: an article's first NER_MAX_CHARS characters (with a warning)."""
    texts, total = [], 0
    for line in p.texts:
        room = max(NER_MAX_CHARS - total, 0)
        texts.append(line.text[:room])
        total += len(line.text) + 2
    if total - 2 > NER_MAX_CHARS:
        result.messages.append(Message(
            result.path, 1, WARNING, f"this article is very long ({total - 2:,} characters); names and places "
            f"were looked for in its first {NER_MAX_CHARS:,} characters only", code="long-article"))
    return texts


NER_PROGRESS_CHUNK = 64   # articles per NER call when progress is reported (batching happens within)


def _no_progress(stage: str, done: int, total: int, cached: int = 0) -> None:
    return None


def _entities_per_doc(prepared: list[tuple[FileResult, _Prepared]], progress=None) -> list:
    """Entities per paragraph for each document, or the exception NER raised on it.

    One batched pass (the fast path of spaCy); if it fails, each document is retried alone
    so that only the file that caused the failure is lost. With ``progress``, the pass runs
    in chunks so that each chunk's articles can be counted as extracted."""
    docs = [_ner_texts(result, p) for result, p in prepared]
    if not docs:
        return []
    if progress is not None and progress is not _no_progress:
        out: list = []
        progress("extract", 0, len(docs))
        for start in range(0, len(docs), NER_PROGRESS_CHUNK):
            out += _entities_per_doc_chunk(docs[start:start + NER_PROGRESS_CHUNK])
            progress("extract", min(start + NER_PROGRESS_CHUNK, len(docs)), len(docs))
        return out
    return _entities_per_doc_chunk(docs)


def _entities_per_doc_chunk(docs: list[list[str]]) -> list:
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


def _resolve_people(evidence: list[X.DocEvidence], registry: Registry) -> dict:
    """Corpus-wide person resolution; if it fails, each article alone (the failing ones get the exception)."""
    try:
        return X.resolve_people(evidence, registry)
    except Exception:  # noqa: BLE001
        out: dict = {}
        for ev in evidence:
            try:
                out.update(X.resolve_people([ev], registry))
            except Exception as exc:  # noqa: BLE001
                out[ev.id] = exc
        return out


def _one_line(m: Message) -> Message:
    """Messages quote file content; keep each on one printable line."""
    text = printable(" ".join(m.text.splitlines()))
    return m if text == m.text else dataclasses.replace(m, text=text)


def build_record(p: _Prepared, ents, registry: Registry, people_notes, site_names: list[str]) -> Record:
    doc, cleaned = p.doc, p.cleaned
    messages: list[Message] = []
    people, notes = people_notes
    given_people = doc.front.get("people")
    if isinstance(given_people, list):
        from .models import PersonRef
        line = doc.front_lines.get("people", 1)
        people = []
        for name in given_people:
            if isinstance(name, str) and name.strip():
                person = registry.person(name)
                people.append(PersonRef(person.name if person else name.strip(), "front matter",
                                        f"people (line {line})", [name.strip()]))
    else:
        for note in notes:
            messages.append(Message(doc.rel, 1, INFO, note, code="people"))
    date, more = X.infer_date(doc, cleaned)
    messages += more
    source, more = X.infer_source(doc, cleaned, registry)
    messages += more
    text = "\n".join(line.text for line in cleaned.paragraphs)
    language, more = X.infer_language(doc, text)
    messages += more
    url, more = X.infer_url(doc)
    messages += more
    archived_url, more = X.infer_archived_url(doc)
    messages += more
    retrieved, more = X.infer_retrieved(doc)
    messages += more
    record = Record(
        id=doc.id, path=doc.rel,
        title=X.infer_title(doc, cleaned, site_names + ([doc.html_meta["sitename"]] if doc.html_meta.get("sitename") else [])),
        date=date, source=source, url=url, language=language, people=people,
        tags=X.infer_tags(doc, p.texts, ents, registry, people),
        paragraphs=cleaned.paragraphs, comments=cleaned.comments, credits=cleaned.credits, removed=cleaned.removed,
        messages=messages, archived_url=archived_url, retrieved=retrieved, sha256=doc.sha256)
    record.author_credits, record.contributors = credits_of(doc, cleaned)
    record.authors = [c.name for c in record.author_credits]
    return record


def credits_of(doc: RawDoc, cleaned: Cleaned) -> tuple[list[Credit], list[Credit]]:
    """(authors, other credited work), each with how it was found: front matter ``authors`` and
    ``contributors`` when given (a list, even empty, replaces what was inferred); else the
    bylines and credit lines the clean stage took out, or a saved web page's author."""
    inferred = list(cleaned.credited)
    if not any(c.role == "author" for c in inferred) and isinstance(doc.html_meta.get("author"), str):
        inferred += [Credit(name.strip(), "author", "web page metadata", f"author '{doc.html_meta['author']}'")
                     for name in re.split(r";|,|\band\b|&", doc.html_meta["author"]) if name.strip()]
    authors = [c for c in inferred if c.role == "author"]
    others = [c for c in inferred if c.role != "author"]
    given = doc.front.get("authors")
    if isinstance(given, list):
        line = doc.front_lines.get("authors", 1)
        authors = [Credit(str(n).strip(), "author", "front matter", f"authors (line {line})")
                   for n in given if isinstance(n, (str, int, float)) and str(n).strip()]
    given = doc.front.get("contributors")
    if isinstance(given, list):
        line = doc.front_lines.get("contributors", 1)
        others = [Credit(str(c["name"]).strip(), str(c.get("role") or "contributor").strip(), "front matter",
                         f"contributors (line {line})")
                  for c in given if isinstance(c, dict) and isinstance(c.get("name"), str) and c["name"].strip()]
    return authors, others


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


def process_project(project: Project, progress=None) -> CorpusResult:
    registry = load_registry(project.corpus, project.root)
    ignored: list[str] = []
    paths, refused = discover(project, ignored)
    result = process(paths, registry, project, refused, progress=progress)
    result.ignored = ignored
    result.registry = registry
    return result
