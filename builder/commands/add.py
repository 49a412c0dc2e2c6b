"""``archive add FILE...``: copy new articles into corpus/articles/ with front matter to review.

Each file goes through the real pipeline; what it infers (title, date, source, url, people,
tags) is written as YAML front matter, every inferred line carrying a ``# inferred: ...``
comment that says how it was found, so the archivist can check it in the pull request.
Values the file's own front matter already gave are kept as given.

* A text file (.txt, .md) keeps its body byte for byte after the new front matter (a
  non-UTF-8 file is converted to UTF-8, since a file must have one encoding).
* A saved web page (.html) cannot carry front matter: its extracted article text is
  stored as Markdown (``.md``) under the new front matter, and the .html is not copied.

The new file's name is ``DATE-title-slug``, or ``title-slug`` when no date is known
(collision-free: -2, -3, ...; an existing file is never overwritten). A file whose clean text is already in the corpus is refused.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..stages import duplicates
from ..core import validate, yamlutil
from .check import index_articles
from ..core.limits import read_bytes_limited
from ..core.models import ERROR, WARNING, Field, Message, Record
from ..pipeline import Project, discover, printable, process
from ..stages.read import ARTICLE_SUFFIXES, HTML_SUFFIXES, ReadError, decode, normalise_newlines, read_data, \
    split_front_matter
from ..core.registry import load_registry
from ..core.text import normalise_space, slugify

ORDER = ("title", "date", "source", "url", "authors", "contributors", "people", "tags", "language", "id")
SLUG_LIMIT = 60


@dataclass
class Plan:
    """What ``add`` will do with one input file."""

    source: Path
    shown: str
    record: Record | None = None
    given: dict = field(default_factory=dict)      # the file's own front matter
    body: bytes = b""
    html: bool = False
    shift: int = 0                                 # lines the body moves down by in the new file
    notes: list[str] = field(default_factory=list)
    problems: list[Message] = field(default_factory=list)
    target: Path | None = None
    front: str = ""


def add_files(project: Project, paths: list[Path], dry_run: bool = False) -> int:
    """Add each file; 0 when all were added (or would be), 1 when any was refused, 2 when not an archive."""
    if not project.articles.is_dir():
        _print_not_an_archive(project)
        return 2
    registry = load_registry(project.corpus, project.root)
    existing, _ = discover(project)
    index = index_articles(existing, registry, project)
    taken = _taken_ids(project, index)

    plans = _prepare_all(project, paths)
    for batch in _batches([p for p in plans if not p.problems]):
        _infer(batch, registry, project, dry_run)
    _refuse_duplicates([p for p in plans if not p.problems], index)

    status = 0
    for plan in plans:
        status = max(status, _add_one(project, plan, taken, dry_run))
    if any(not p.problems for p in plans):
        _print_review_hint(dry_run)
    return status


def _print_not_an_archive(project: Project) -> None:
    print(f"archive: add: no {project.shown(project.articles)}/ folder in {project.root}: run 'archive new DIR' "
          "to start an archive, or pass -C DIR", file=sys.stderr)


def _taken_ids(project: Project, index) -> set[str]:
    """The id keys a new file's name must avoid: every file's name and every article's id."""
    return {validate.id_key(p.stem) for p in project.articles.rglob("*")} | {validate.id_key(i.id) for i in index}


def _print_review_hint(dry_run: bool) -> None:
    print(("Nothing was written (--dry-run). " if dry_run else "")
          + "Review the lines marked '# inferred' in the front matter: correct what is wrong, delete the "
          "'# inferred' notes you have checked, then run 'archive check'.")


def _prepare_all(project: Project, paths: list[Path]) -> list[Plan]:
    """A plan per input, in the order given; a file named twice is refused the second time."""
    plans: list[Plan] = []
    seen: set[Path] = set()
    for path in map(Path, paths):
        plan = _prepare(project, path)
        if not plan.problems and path.resolve() in seen:
            plan.problems.append(Message(plan.shown, 1, ERROR, "given twice", code="add"))
        seen.add(path.resolve())
        plans.append(plan)
    return plans


def _add_one(project: Project, plan: Plan, taken: set[str], dry_run: bool) -> int:
    """Name, write and show one planned file: 0 when added (or it would be), 1 when refused."""
    if plan.problems:
        for m in plan.problems:
            print(m.format(), file=sys.stderr)
        print(f"archive: add: {plan.shown}: not added", file=sys.stderr)
        return 1
    given_id = plan.given.get("id")
    if given_id is not None and validate.id_key(str(given_id)) in taken:
        print(Message(plan.shown, 1, ERROR, f"its front matter sets id '{given_id}', which an article in "
                      "the corpus already has; not added", code="duplicate-id").format(), file=sys.stderr)
        return 1
    plan.target = _name(project, plan, taken)
    taken.add(validate.id_key(plan.target.stem))
    if given_id is not None:
        taken.add(validate.id_key(str(given_id)))
    plan.front = front_matter(plan)
    if not _write(project, plan, dry_run):
        return 1
    for note in plan.notes:
        print(f"  note: {note}")
    print("  " + plan.front.rstrip("\n").replace("\n", "\n  "))
    print()
    return 0


def _write(project: Project, plan: Plan, dry_run: bool) -> bool:
    """Write the new file (never over an existing one) and say so; False when it cannot be written."""
    shown = project.shown(plan.target)
    if dry_run:
        print(f"would add {shown}  (from {plan.shown})")
        return True
    try:
        with open(plan.target, "xb") as out:       # "x": never overwrite
            out.write(plan.front.encode("utf-8") + plan.body)
    except OSError as exc:
        print(f"archive: add: cannot write {shown}: {exc.strerror}", file=sys.stderr)
        return False
    print(f"added {shown}  (from {plan.shown})")
    return True


def _batches(plans: list[Plan]) -> list[list[Plan]]:
    """Groups of inputs with distinct file names: the pipeline takes an article's id from its
    name, and two inputs called article.txt would otherwise clash before they are renamed."""
    batches: list[tuple[set[str], list[Plan]]] = []
    for plan in plans:
        stem = plan.source.stem.casefold()
        batch = next((b for b in batches if stem not in b[0]), None)
        if batch is None:
            batch = (set(), [])
            batches.append(batch)
        batch[0].add(stem)
        batch[1].append(plan)
    return [b[1] for b in batches]


def _infer(plans: list[Plan], registry, project: Project, dry_run: bool = False) -> None:
    """Run the real pipeline on the inputs: their records, or the errors that stop them."""
    from ..core.cache import Cache

    result = process([p.source for p in plans], registry, project, cache=Cache(project.root, read_only=dry_run))
    files = {f.path: f for f in result.files}
    records = {r.path: r for r in result.records}
    for plan in plans:
        plan.record = records.get(plan.shown)
        f = files.get(plan.shown)
        _take_messages(plan, f.messages if f else [])
        if plan.record is None and not plan.problems:
            plan.problems.append(Message(plan.shown, 1, ERROR, "cannot be read as an article", code="add"))


def _take_messages(plan: Plan, messages: list[Message]) -> None:
    """Errors (any message, when there is no record) refuse the file; warnings become notes."""
    for m in messages:
        if m.severity == ERROR or plan.record is None:
            plan.problems.append(m)
        elif m.severity == WARNING:
            plan.notes.append(f"{m.severity}: {m.text}" + (f" (line {m.line})" if m.line > 1 else ""))


def _prepare(project: Project, path: Path) -> Plan:
    """Read the input's bytes and split off its body; refuse what cannot be an article."""
    plan = Plan(source=path, shown=project.shown(path))
    refusal = next((text for refuses, text in _REFUSALS if refuses(project, path)), None)
    if refusal is not None:
        plan.problems.append(Message(plan.shown, 1, ERROR, refusal.format(suffix=path.suffix), code="add"))
        return plan
    try:
        _read_input(plan)
    except ReadError as exc:
        plan.problems.append(exc.message)
    except OSError as exc:
        plan.problems.append(Message(plan.shown, 1, ERROR, f"cannot read file: {exc.strerror}", code="io"))
    return plan


def _missing(project: Project, path: Path) -> bool:
    return not path.exists()


def _folder(project: Project, path: Path) -> bool:
    return path.is_dir()


def _in_corpus(project: Project, path: Path) -> bool:
    """A file already under corpus/articles/ is edited in place, not added again."""
    return path.resolve().is_relative_to(project.articles.resolve())


def _not_an_article(project: Project, path: Path) -> bool:
    return path.suffix.lower() not in ARTICLE_SUFFIXES


# (refuses(project, path), why), tried in order: the first that holds refuses the input
_REFUSALS = [
    (_missing, "no such file"),
    (_folder, "is a folder: name the article files to add"),
    (_in_corpus, "is already in the corpus: edit it where it is, and run 'archive check'"),
    (_not_an_article, "unsupported file type '{suffix}': articles are .txt, .md or .html files"),
]


def _read_input(plan: Plan) -> None:
    """The body to store: a web page's extracted text, else the file's body after its front matter."""
    path, shown = plan.source, plan.shown
    data = read_bytes_limited(path, shown)      # as `build` reads: size cap, regular files only
    text, encoding, _ = decode(data, shown)
    text = normalise_newlines(text)
    if path.suffix.lower() in HTML_SUFFIXES or re.match(r"\s*<(!doctype html|html)", text, re.I):
        doc = read_data(data, path, shown)
        plan.html = True
        plan.body = ("\n\n".join(p.text for p in doc.body) + "\n").encode("utf-8")
        plan.notes.append("a web page: its extracted article text is stored as Markdown; the .html file "
                          "itself is not copied into the corpus")
        return
    front, _, _, body_line, _ = split_front_matter(text, shown)
    plan.given = front
    _keep_body(plan, data, text, encoding, body_line - 1)


def _keep_body(plan: Plan, data: bytes, text: str, encoding: str, old_front_lines: int) -> None:
    """The body byte for byte when the file is UTF-8 with LF or CRLF lines, else as decoded text."""
    if encoding == "utf-8" and "\r" not in data.decode("utf-8-sig").replace("\r\n", ""):
        raw = data.removeprefix(b"\xef\xbb\xbf")
        offset = 0
        for _ in range(old_front_lines):          # the body starts after the old front matter's lines
            offset = raw.index(b"\n", offset) + 1
        plan.body = raw[offset:]
    else:
        plan.body = "\n".join(text.split("\n")[old_front_lines:]).encode("utf-8")
        plan.notes.append(f"converted from {encoding} to UTF-8" if encoding != "utf-8"
                          else "old Mac line endings (CR) converted to newlines")
    plan.shift = -old_front_lines


def _refuse_duplicates(plans: list[Plan], index) -> None:
    """Refuse a file whose clean text is already in the corpus (or earlier in this batch); note near-duplicates."""
    texts = [i.text for i in index] + [p.record.text for p in plans]
    paths = [i.path for i in index] + [p.shown for p in plans]
    first_new = len(index)
    groups, near = duplicates.find(texts, set(range(first_new, len(texts))))
    for group in map(sorted, groups):
        _refuse_copies(plans, paths, group, first_new)
    for pair in near:
        here, other = (pair.b, pair.a) if pair.b >= first_new else (pair.a, pair.b)
        plans[here - first_new].notes.append(f"warning: near-duplicate of {paths[other]} "
                                              f"(similarity {pair.jaccard:.2f}): is it the same article?")


def _refuse_copies(plans: list[Plan], paths: list[str], group: list[int], first_new: int) -> None:
    """Every new text of a group of equal texts but the first is refused, naming the first."""
    for n in group[1:]:
        if n >= first_new:
            plans[n - first_new].problems.append(Message(
                paths[n], 1, ERROR, f"exact duplicate of {paths[group[0]]} (the same text after cleaning)",
                code="duplicate"))


def _name(project: Project, plan: Plan, taken: set[str]) -> Path:
    """corpus/articles/DATE-title-slug.ext, or title-slug.ext when the date is not known, with
    -2, -3, ... until no file or id has that name.

    The name becomes the article's permanent id and address, so it holds only what stays
    true: the date prefix only for a plain day, month or year (never 'undated', never an
    uncertain or approximate date); ``archive check`` says when a later date disagrees."""
    record = plan.record
    prefix = f"{record.when.edtf}-" if record.when.plain else ""
    base = f"{prefix}{_slug(record)}"
    suffix = ".md" if plan.html else (plan.source.suffix.lower() or ".txt")
    stem, n = base, 2
    while validate.id_key(stem) in taken or (project.articles / f"{stem}{suffix}").exists():
        stem, n = f"{base}-{n}", n + 1
    return project.articles / f"{stem}{suffix}"


def _slug(record: Record) -> str:
    """The title's slug (else the id's), cut at a word boundary within SLUG_LIMIT characters."""
    slug = slugify(str(record.title.value or "")) or slugify(record.id) or "article"
    if len(slug) <= SLUG_LIMIT:
        return slug
    cut = slug[:SLUG_LIMIT]
    return cut.rsplit("-", 1)[0] if "-" in cut else cut


# ---------------------------------------------------------------------------------------
# the front matter
# ---------------------------------------------------------------------------------------

def front_matter(plan: Plan) -> str:
    """The YAML block for the new file: given values as given, inferred ones with their evidence.

    Evidence quotes line numbers of the input; in a text file the body keeps its lines but
    moves by the change in front-matter length, so the notes are renumbered to match."""
    lines = _front_lines(plan, 0)
    if not plan.html:
        plan.shift += len(lines)
        lines = _front_lines(plan, plan.shift)
    return "\n".join(lines) + "\n"


def _front_lines(plan: Plan, shift: int) -> list[str]:
    given = plan.given
    inferred = _inferred_fields(plan.record)
    lines = ["---"] + _header(plan)
    for key in ORDER:
        lines += _field_lines(key, given, inferred, shift)
    for key, value in given.items():            # fields the file gave that are not ours: kept for 'check'
        if key not in ORDER:
            lines += _yaml_lines(key, value)
    lines += [f"# {key}:    (not found: {why})" for key, why in _MISSING.items()
              if key not in given and key not in inferred]
    lines.append("---")
    return lines


def _field_lines(key: str, given: dict, inferred: dict[str, tuple], shift: int) -> list[str]:
    """One of our fields: as the file gave it, else as inferred with its notes, else nothing."""
    if key in given:
        return _yaml_lines(key, given[key])
    if key not in inferred:
        return []
    value, note, items = inferred[key]
    return _yaml_lines(key, value, renumber(_comment(note), shift), [renumber(_comment(n), shift) for n in items])


def _header(plan: Plan) -> list[str]:
    """The comment lines that say where the file came from and what to check."""
    where = (f"line numbers in the notes are those of the original web page {_comment(plan.source.name)}"
             if plan.html else "line numbers in the notes are those of this file")
    return [f"# Added by 'archive add' from {_comment(plan.source.name)}. Values marked 'inferred' were found by",
            "# the pipeline: check each against the article, correct it if needed, then delete the note;",
            f"# {_comment(where)}."]


_MISSING = {"title": "write the headline", "date": "add the publication date, e.g. 2022-03-04, 2022-03 or 2022",
            "source": "name the outlet, as in corpus/sources.yml", "url": "add the original address if known"}


def _inferred_fields(record: Record) -> dict[str, tuple]:
    """{field: (value, note, per-item notes)} for the values the pipeline found."""
    out: dict[str, tuple] = {}
    for step in _INFERRED:
        out.update(step(record))
    return out


def _inferred_scalars(record: Record) -> dict[str, tuple]:
    """Title, date, source and url, each with the method and evidence that found it."""
    out: dict[str, tuple] = {}
    for key in ("title", "date", "source", "url"):
        f: Field = getattr(record, key)
        if f.value not in (None, "") and f.method != "front matter":
            out[key] = (f.value, _note(f.method, f.evidence), [])
    return out


def _inferred_authors(record: Record) -> dict[str, tuple]:
    authors = [c for c in record.author_credits if c.method != "front matter"]
    if not authors:
        return {}
    return {"authors": ([c.name for c in authors], "inferred: the article's writers, from its bylines; editors "
                        "and reporters credited go under contributors", _item_notes(authors))}


def _inferred_contributors(record: Record) -> dict[str, tuple]:
    others = [c for c in record.contributors if c.method != "front matter"]
    if not others:
        return {}
    return {"contributors": ([c.as_dict() for c in others], "inferred: credited work other than writing",
                             _item_notes(others))}


def _inferred_people(record: Record) -> dict[str, tuple]:
    people = [p for p in record.people if p.method != "front matter"]
    if not people:
        return {}
    return {"people": ([p.name for p in people], "inferred: check the list; remove anyone the article does "
                       "not name", _item_notes(people))}


def _inferred_tags(record: Record) -> dict[str, tuple]:
    """The tags the front matter did not give, each with its own reason."""
    tags = record.tags.value or []
    reasons = _tag_reasons(tags, record.tags.evidence)
    new_tags = [t for t in tags if not reasons.get(t, "").startswith("front matter")]
    if not new_tags:
        return {}
    return {"tags": (new_tags, "inferred: keep the tags that describe the article",
                     [reasons.get(t, record.tags.method) for t in new_tags])}


def _item_notes(items: list) -> list[str]:
    return [f"{x.method}: {x.evidence}" for x in items]


# in the order of ORDER; each returns the fields it found
_INFERRED = [_inferred_scalars, _inferred_authors, _inferred_contributors, _inferred_people, _inferred_tags]


def _note(method: str, evidence: str) -> str:
    return f"inferred: {method}" + (f", {evidence}" if evidence else "")


def _tag_reasons(tags: list[str], evidence: str) -> dict[str, str]:
    """Split the tags field's evidence ('tag: why; tag: why') back into one reason per tag."""
    out: dict[str, str] = {}
    rest = evidence
    for i, tag in enumerate(tags):
        if not rest.startswith(f"{tag}: "):
            return {}
        rest = rest[len(tag) + 2:]
        if i + 1 < len(tags):
            cut = rest.find(f"; {tags[i + 1]}: ")
            if cut < 0:
                return {}
            out[tag], rest = rest[:cut], rest[cut + 2:]
        else:
            out[tag] = rest
    return out


def _yaml_lines(key: str, value, note: str = "", item_notes: list[str] | None = None) -> list[str]:
    """``key: value  # note`` (a list one item per line, each with its own note)."""
    if isinstance(value, list) and value:
        return _yaml_list_lines(key, value, note, item_notes or [])
    text = yamlutil.dump({key: value}).rstrip("\n")
    if "\n" in text:
        return text.split("\n")
    return [text + (f"  # {note}" if note else "")]


def _yaml_list_lines(key: str, value: list, note: str, item_notes: list[str]) -> list[str]:
    lines = [f"{_dump_key(key)}:" + (f"  # {note}" if note else "")]
    for i, item in enumerate(value):
        text = _yaml_item(item)
        if "\n" in text:                    # a nested structure the file gave: keep it as YAML
            lines += ["  " + t for t in text.split("\n")]
            continue
        item_note = item_notes[i] if i < len(item_notes) else ""
        lines.append(f"  {text}" + (f"  # {item_note}" if item_note else ""))
    return lines


def _yaml_item(item) -> str:
    """``- item`` as YAML; a flat mapping on one line, so that it takes one note."""
    if isinstance(item, dict) and all(isinstance(v, (str, int, float)) for v in item.values()):
        return "- " + _flow(item)           # {name: Graham Pryce, role: editing}: one line, one note
    return yamlutil.dump([item]).rstrip("\n")


def _flow(mapping: dict) -> str:
    import yaml

    return yaml.safe_dump(mapping, default_flow_style=True, sort_keys=False, allow_unicode=True,
                          width=10_000).strip()


def _dump_key(key: str) -> str:
    return yamlutil.dump({key: 0}).split(":")[0]


def _comment(text: str) -> str:
    """One line of a YAML comment: line breaks become spaces; other control, direction and
    undecodable characters of a file name are written as escapes (a CR would start a new line)."""
    return printable(normalise_space(str(text).replace("\n", " ")))


def renumber(note: str, shift: int) -> str:
    """Add ``shift`` to every 'line N' of a note."""
    if not shift:
        return note
    return _LINE_REF.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + shift}", note)


_LINE_REF = re.compile(r"(\bline )(\d+)")
