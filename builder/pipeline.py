"""Runs read -> clean -> extract over a whole corpus and accounts for every file.

Each file ends as a ``Record`` or as error messages; an exception in one file is caught
and reported against that file, so one bad file never stops the others.
"""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from . import extract as X
from .clean import clean
from .models import ERROR, INFO, WARNING, Cleaned, Line, Message, RawDoc, Record
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
            return path.absolute().relative_to(self.root.absolute()).as_posix()
        except ValueError:
            return path.as_posix()


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

    @property
    def all_messages(self) -> list[Message]:
        out = list(self.messages)
        for f in self.files:
            out += f.messages
        return out

    def count(self, severity: str) -> int:
        return sum(1 for m in self.all_messages if m.severity == severity)


IGNORED_NAMES = {".gitkeep", ".DS_Store", "Thumbs.db", "README.md", "README.txt", "README"}


def discover(project: Project) -> tuple[list[Path], list[FileResult]]:
    """Article files under corpus/articles (sorted); symlinks leaving the corpus are refused."""
    files: list[Path] = []
    refused: list[FileResult] = []
    root = project.articles
    if not root.is_dir():
        return files, refused
    corpus_real = project.corpus.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        base = Path(dirpath)
        for d in list(dirnames):
            if (base / d).is_symlink():
                dirnames.remove(d)
                shown = project.shown(base / d)
                refused.append(FileResult(shown, None, "error", [Message(
                    shown, 1, ERROR, "symbolic link to a folder: refused, copy the files into the corpus instead",
                    code="symlink")]))
        for name in sorted(filenames):
            path = base / name
            shown = project.shown(path)
            if name.startswith(".") or name in IGNORED_NAMES:
                continue
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(corpus_real) or not target.is_file():
                    refused.append(FileResult(shown, None, "error", [Message(
                        shown, 1, ERROR, "symbolic link pointing outside the corpus: refused", code="symlink")]))
                    continue
            if path.suffix.lower() not in ARTICLE_SUFFIXES:
                refused.append(FileResult(shown, None, "error", [Message(
                    shown, 1, ERROR, f"unsupported file type '{path.suffix}': articles are .txt, .md or .html "
                    "files", code="file-type")]))
                continue
            files.append(path)
    return sorted(files, key=lambda p: p.as_posix()), refused


@dataclass
class _Prepared:
    doc: RawDoc
    cleaned: Cleaned
    texts: list[Line]     # headline + paragraphs fed to NER


def process(paths: list[Path], registry: Registry, project: Project | None = None,
            extra_results: list[FileResult] | None = None) -> CorpusResult:
    """Read, clean and extract every file; people resolved across all of them."""
    files: list[FileResult] = list(extra_results or [])
    prepared: list[tuple[FileResult, _Prepared]] = []
    for path in paths:
        shown = project.shown(path) if project else path.as_posix()
        result = FileResult(shown, None, "error")
        files.append(result)
        try:
            doc = read_file(path, shown)
            result.id = doc.id
            result.messages += doc.messages
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

    # one batched NER pass, one spaCy doc per article
    per_doc_ents = paragraph_entities([[line.text for line in p.texts] for _, p in prepared]) if prepared else []

    # duplicate ids are errors for every file involved
    by_id: dict[str, list[FileResult]] = {}
    for result, _ in prepared:
        by_id.setdefault(result.id, []).append(result)

    evidence = [X.DocEvidence(p.doc.id, X.find_person_mentions(p.texts, ents, registry))
                for (_, p), ents in zip(prepared, per_doc_ents)]
    resolved = X.resolve_people(evidence, registry)

    records: list[Record] = []
    site_names = [s.name for s in registry.sources]
    for (result, p), ents in zip(prepared, per_doc_ents):
        try:
            if len(by_id[result.id]) > 1:
                others = ", ".join(r.path for r in by_id[result.id] if r is not result)
                result.messages.append(Message(result.path, p.doc.front_lines.get("id", 1), ERROR,
                                               f"id '{result.id}' is also used by {others}", code="duplicate-id"))
                continue
            record = build_record(p, ents, registry, resolved[p.doc.id], site_names)
            result.messages += record.messages
            if any(m.severity == ERROR for m in result.messages):
                continue
            result.status = "page"
            records.append(record)
        except Exception as exc:  # noqa: BLE001
            result.messages.append(_internal_error(result.path, exc))
    files.sort(key=lambda f: f.path)
    records.sort(key=lambda r: r.id)
    return CorpusResult(records=records, files=files, messages=list(registry.messages))


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
    record = Record(
        id=doc.id, path=doc.rel,
        title=X.infer_title(doc, cleaned, site_names + ([doc.html_meta["sitename"]] if doc.html_meta.get("sitename") else [])),
        date=date, source=source, url=url, language=language, people=people,
        tags=X.infer_tags(doc, p.texts, ents, registry, people),
        paragraphs=cleaned.paragraphs, comments=cleaned.comments, authors=cleaned.authors,
        credits=cleaned.credits, removed=cleaned.removed, messages=messages)
    return record


def _internal_error(shown: str, exc: Exception) -> Message:
    where = traceback.extract_tb(exc.__traceback__)[-1]
    return Message(shown, 1, ERROR, f"internal error while processing this file ({type(exc).__name__}: {exc} at "
                   f"{Path(where.filename).name}:{where.lineno}); please report it", code="internal")


def process_project(project: Project) -> CorpusResult:
    registry = load_registry(project.corpus, project.root)
    paths, refused = discover(project)
    return process(paths, registry, project, refused)
