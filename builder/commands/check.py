"""``archive check``: what the build would report, plus the rules a pull request needs.

The articles being checked go through the real pipeline (``pipeline.process``), so every
message the build would print is printed here too. On top of that:

* front matter is validated against the published schema ``builder/schemas/front-matter.schema.json``
  (field names, types, EDTF dates, http(s) URLs, ids) and its source against ``sources.yml``;
* registries are validated against theirs (``registry.load_registry`` does it, for the build too);
* corpus-wide: duplicate ids, exact duplicates (same clean text: an error), near-duplicates
  (a warning naming both files and their similarity), and people found in the text who are
  not in ``people.yml`` (a note suggesting to add them).

``--changed-since REF`` runs the pipeline, NER included, only on the article files git
reports as changed (plus untracked ones); the rest of the corpus is only read and cleaned,
which is enough for the corpus-wide rules and much cheaper.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..stages import duplicates
from ..core import validate
from ..stages.clean import clean
from ..core.escape import terminal, terminal_lines
from ..core.models import ERROR, INFO, WARNING, Message, Record
from ..mkdocs.config import site_url_messages
from ..pipeline import FileResult, Project, discover, process
from ..stages.read import (HTML_SUFFIXES, ReadError, decode, normalise_newlines, read_bytes_limited, read_file,
                   split_front_matter)
from ..core.registry import FILES, Registry, load_registry
from ..outputs.summary import markdown_summary
from ..core.validate import front_matter_problems


SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
# codes of front-matter rules that restate, more precisely, a message the pipeline gives
_FRONT_CODES = {"date", "url", "id", "language", "source", "title", "people", "tags", "archived_url", "retrieved"}


class CheckError(Exception):
    """The check cannot run at all (not an archive, bad git revision); exit status 2."""


@dataclass
class Indexed:
    """An article outside the checked set, as far as corpus-wide rules need it."""

    path: str
    id: str
    text: str
    id_line: int = 1


@dataclass
class CheckReport:
    messages: list[Message]
    checked: int                      # article files run through the whole pipeline
    total: int                        # article files in the corpus
    changed_since: str | None = None
    records: list[Record] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)     # the checked files' fates


# ---------------------------------------------------------------------------------------
# the command
# ---------------------------------------------------------------------------------------

def run_check(project: Project, strict: bool = False, changed_since: str | None = None,
              verbose: bool = False, fmt: str = "text", quiet: bool = False, progress=None) -> int:
    """Print the messages; 0 when clean, 1 on errors (or warnings with ``strict``), 2 when it cannot run."""
    try:
        report = check_project(project, changed_since, progress=progress)
        getattr(progress, "close", lambda: None)()     # the bars end before the messages print
    except CheckError as exc:
        print(terminal_lines(f"archive: check: {exc}"), file=sys.stderr)
        return 2
    counts = _counts(report.messages)
    headline = _headline(report, counts)
    _print_report(project, report, fmt, verbose, headline)
    if not quiet:
        print(f"{headline}{_notes_count(counts[INFO], verbose, fmt)}", file=sys.stderr)
    return 1 if counts[ERROR] or (strict and counts[WARNING]) else 0


def _counts(messages: list[Message]) -> dict[str, int]:
    """How many errors, warnings and notes."""
    return {s: sum(1 for m in messages if m.severity == s) for s in (ERROR, WARNING, INFO)}


def _headline(report: CheckReport, counts: dict[str, int]) -> str:
    """What was checked and what was found, as the summary's first words."""
    scope = f" (changed since {report.changed_since}; {report.total} in the corpus)" if report.changed_since else ""
    return (f"archive check: {_plural(report.checked, 'article file')} checked{scope}: "
            f"{_plural(counts[ERROR], 'error')}, {_plural(counts[WARNING], 'warning')}")


def _notes_count(notes: int, verbose: bool, fmt: str) -> str:
    """', N notes', saying that -v shows them where the text formats hide them."""
    hidden = notes and not verbose and fmt not in ("json", "markdown")
    return f", {_plural(notes, 'note')}" + (" (-v shows them)" if hidden else "")


def _print_report(project: Project, report: CheckReport, fmt: str, verbose: bool, headline: str) -> None:
    """The messages on stdout in the chosen format (notes only with -v, except in json and markdown)."""
    if fmt == "json":
        print(json.dumps([m.as_dict() for m in report.messages], ensure_ascii=False, indent=1))
    elif fmt == "markdown":
        print(markdown_summary(report.records, report.files, report.messages, headline))
    else:
        shown = [m for m in report.messages if m.severity != INFO or verbose]
        _print_lines(project, shown, fmt == "github")


def _print_lines(project: Project, messages: list[Message], github: bool) -> None:
    """One line per message: a workflow command on GitHub, else path:line:column: severity: text."""
    prefix = _repo_prefix(project.root) if github else ""
    for m in messages:
        # messages quote the file: nothing in it drives the terminal
        print(github_annotation(m, prefix) if github else terminal(m.format()))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def github_annotation(m: Message, prefix: str = "") -> str:
    """A GitHub Actions workflow command, so the message appears on the pull request's diff."""
    level = {ERROR: "error", WARNING: "warning"}.get(m.severity, "notice")

    def prop(value: str) -> str:
        return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A") \
            .replace(",", "%2C")

    data = terminal(m.text).replace("%", "%25")        # a CI log is a terminal too
    return (f"::{level} file={prop(terminal(prefix + m.path))},line={m.line},col={m.column},"
            f"title={prop('archive check: ' + (m.code or m.severity))}::{data}")


def _repo_prefix(root: Path) -> str:
    """The archive folder's path inside its git repository ('' at the top), for annotations."""
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-prefix"], capture_output=True,
                             text=True, check=False)
    except OSError:
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


# ---------------------------------------------------------------------------------------
# checking
# ---------------------------------------------------------------------------------------

def check_project(project: Project, changed_since: str | None = None, progress=None) -> CheckReport:
    """Every message for the archive (or for the files changed since a git revision)."""
    if not project.corpus.is_dir():
        raise CheckError(f"no {project.corpus_name}/ folder in {project.root}: run 'archive new DIR' to start "
                         "an archive, or pass -C DIR")
    registry = load_registry(project.corpus, project.root)
    paths, refused = discover(project)
    total = len(paths) + len(refused)
    checked, refused, others = _scope(project, paths, refused, changed_since)
    result = process(checked, registry, project, refused, progress=progress)
    messages = list(result.all_messages)

    front_lines: dict[str, dict[str, int]] = {}
    ours: list[Message] = []
    for path in checked:
        shown = project.shown(path)
        more, front_lines[shown] = front_matter_messages(path, shown, registry)
        ours += more
    index = index_articles(others, registry, project)
    ours += duplicate_id_messages(result.files, front_lines, index)
    ours += duplicate_text_messages(result.records, index)
    ours += unknown_people_messages(result.records, registry, front_lines)
    ours += id_date_messages(result.records, front_lines)
    ours += site_url_messages(project)
    return CheckReport(merge(messages, ours), len(checked) + len(refused), total, changed_since, result.records,
                       result.files)


def _scope(project: Project, paths: list[Path], refused: list, changed_since: str | None) -> tuple[list, list, list]:
    """(articles to check, refused files to report, the other articles): all of them, unless
    only articles changed since ``changed_since``.

    A changed registry checks everything: a new alias, tag phrase or boilerplate line can change
    or empty any article, so every article is checked as the build will see it."""
    if not changed_since:
        return paths, refused, []
    changed = changed_files(project, changed_since)
    if any((project.corpus / name).resolve() in changed for name in FILES.values()):
        return paths, refused, []
    checked, others = _partition(paths, changed)
    return checked, [f for f in refused if (project.root / f.path).resolve() in changed], others


def _partition(paths: list[Path], changed: set[Path]) -> tuple[list[Path], list[Path]]:
    """(the changed paths, the others), each in the order given."""
    inside: list[Path] = []
    outside: list[Path] = []
    for path in paths:
        (inside if path.resolve() in changed else outside).append(path)
    return inside, outside


def merge(pipeline: list[Message], ours: list[Message]) -> list[Message]:
    """All messages, sorted, without saying one thing twice: a front-matter rule's error replaces
    the pipeline's warning about the same field on the same line; the pipeline's error wins over ours."""
    # the build's copies of the schema findings (downgraded to warnings there) give way to ours
    pipeline = [m for m in pipeline if not m.code.startswith("schema:")]
    ours_errors = _front_errors(ours)
    kept = [m for m in pipeline if m.severity == ERROR or _where(m) not in ours_errors]
    kept += _not_in(ours, _front_errors(pipeline))
    return sorted(set(kept), key=_reading_order)


def _reading_order(m: Message) -> tuple:
    """By file and place, the more severe first at one place."""
    return m.path, m.line, m.column, SEVERITY_ORDER.get(m.severity, 3), m.text


def _where(m: Message) -> tuple[str, int, str]:
    """A message's file, line and rule: two messages with the same say the same thing."""
    return m.path, m.line, m.code


def _not_in(messages: list[Message], places: set[tuple[str, int, str]]) -> list[Message]:
    return [m for m in messages if _where(m) not in places]


def _front_errors(messages: list[Message]) -> set[tuple[str, int, str]]:
    return {_where(m) for m in messages if m.severity == ERROR and m.code in _FRONT_CODES}


def front_matter_messages(path: Path, shown: str, registry: Registry) -> tuple[list[Message], dict[str, int]]:
    """Schema violations of one file's front matter, and the line of each of its keys.

    Files whose front matter cannot be read at all are left to the read stage, which reports them."""
    if path.suffix.lower() in HTML_SUFFIXES:
        return [], {}
    try:
        text, _, _ = decode(read_bytes_limited(path, shown), shown)
        text = normalise_newlines(text)
        front, lines, _, body_line, _ = split_front_matter(text, shown)
    except (OSError, ReadError):
        return [], {}
    if body_line == 1:                # no front matter
        return [], {}
    return front_matter_problems(front, "\n".join(text.split("\n")[1:body_line - 2]), shown, registry), lines


def index_articles(paths: list[Path], registry: Registry, project: Project) -> list[Indexed]:
    """Id and clean text of articles, read and cleaned but not run through NER (cheap)."""
    indexed = (_indexed(path, project.shown(path), registry) for path in paths)
    return [item for item in indexed if item is not None]


def _indexed(path: Path, shown: str, registry: Registry) -> Indexed | None:
    """One article read and cleaned, or None when the build would refuse it before ids are compared."""
    try:
        doc = read_file(path, shown)
        cleaned = clean(doc, registry)
    except Exception:  # noqa: BLE001 - the full check of that file reports it; here it only drops out
        return None
    if not cleaned.headline and not cleaned.paragraphs:
        return None
    return Indexed(shown, doc.id, "\n\n".join(p.text for p in cleaned.paragraphs), doc.front_lines.get("id", 1))


def duplicate_id_messages(files: list[FileResult], front_lines: dict[str, dict[str, int]],
                          index: list[Indexed]) -> list[Message]:
    """Ids shared between a checked file and the rest of the corpus (the pipeline reports those
    among checked files): the build refuses every file involved."""
    by_id: dict[str, list[Indexed]] = {}
    for item in index:
        by_id.setdefault(validate.id_key(item.id), []).append(item)
    out: list[Message] = []
    for f in files:
        others = by_id.get(validate.id_key(f.id)) if f.id else None
        if others:
            out += _shared_id_messages(f, front_lines.get(f.path, {}).get("id", 1), others)
    return sorted(set(out), key=lambda m: (m.path, m.line, m.text))


def _shared_id_messages(f: FileResult, id_line: int, others: list[Indexed]) -> list[Message]:
    """One message on the checked file naming the others, and one on each of them naming it."""
    out = [validate.duplicate_id_message(f.path, f.id, id_line, [(o.path, o.id) for o in others])]
    return out + [validate.duplicate_id_message(o.path, o.id, o.id_line, [(f.path, f.id)]) for o in others]


def duplicate_text_messages(records: list[Record], index: list[Indexed]) -> list[Message]:
    """Exact duplicates (an error) and near-duplicates (a warning) of the checked articles,
    against each other and against the rest of the corpus. One message per copy, on the
    checked file (the later one by path when both are checked), naming the other."""
    paths, texts, focus = _texts_to_compare(records, index)
    groups, near = duplicates.find(texts, None if len(focus) == len(texts) else focus)
    out: list[Message] = []
    for group in map(sorted, groups):
        out += _exact_duplicate_messages(group, focus, paths)
    out += [_near_duplicate_message(pair, focus, paths) for pair in near]
    return out


def _texts_to_compare(records: list[Record], index: list[Indexed]) -> tuple[list[str], list[str], set[int]]:
    """(paths, texts, the positions of the checked ones), every article by path."""
    items = sorted([(r.path, r.text, True) for r in records] + [(i.path, i.text, False) for i in index])
    focus = {n for n, (_, _, checked) in enumerate(items) if checked}
    return [p for p, _, _ in items], [t for _, t, _ in items], focus


def _exact_duplicate_messages(group: list[int], focus: set[int], paths: list[str]) -> list[Message]:
    """An error on each checked copy but the original: the first unchecked one, else the first."""
    original = next((n for n in group if n not in focus), group[0])
    return [Message(paths[n], 1, ERROR, f"exact duplicate of {paths[original]}: the same text "
                    "after cleaning; remove one of the two files", code="duplicate")
            for n in group if n != original and n in focus]


def _near_duplicate_message(pair, focus: set[int], paths: list[str]) -> Message:
    """A warning on the checked one of the pair, with the containment when it says more."""
    here, other = (pair.b, pair.a) if pair.b in focus else (pair.a, pair.b)
    text = (f"near-duplicate of {paths[other]} (similarity {pair.jaccard:.2f}, Jaccard of word 5-grams"
            + (f"; {pair.containment:.0%} of the shorter text is in the longer"
               if pair.containment - pair.jaccard >= 0.1 else "")
            + "): the same article twice, or from two outlets? Keep both only on purpose")
    return Message(paths[here], 1, WARNING, text, code="near-duplicate")


def unknown_people_messages(records: list[Record], registry: Registry,
                            front_lines: dict[str, dict[str, int]]) -> list[Message]:
    """People named in the checked articles who are not in people.yml: one note per person, at
    the first article (by path) that names them, suggesting to add them."""
    found: dict[str, list[tuple[str, int]]] = {}
    for record in sorted(records, key=lambda r: r.path):
        for person in record.people:
            if registry.person(person.name) is None:
                found.setdefault(person.name, []).append((record.path, _person_line(record, person, front_lines)))
    people_yml = registry.paths.get("people", "people.yml")
    return [_unknown_person_message(name, places, people_yml) for name, places in found.items()]


def _unknown_person_message(name: str, places: list[tuple[str, int]], people_yml: str) -> Message:
    """A note at the first place the person is named, counting the other articles."""
    path, line = places[0]
    also = f"; also named in {_plural(len(places) - 1, 'other article')}" if len(places) > 1 else ""
    return Message(path, line, INFO, f"'{name}' is not in {people_yml}: add them there (name, aliases, "
                   f"description) so that every article spells them the same way{also}", code="unknown-person")


def _person_line(record: Record, person, front_lines: dict[str, dict[str, int]]) -> int:
    """The front matter's people line, or the first paragraph that mentions the person."""
    if person.method == "front matter":
        return front_lines.get(record.path, {}).get("people", 1)
    return next((p.line for p in record.paragraphs if any(m in p.text for m in person.mentions)), 1)


_ID_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?=[-_.]|$)")


def id_date_messages(records: list[Record], front_lines: dict[str, dict[str, int]]) -> list[Message]:
    """A warning when an article's id (its file name, and page address) starts with a date, or
    with 'undated', that its front-matter date contradicts: a name frozen from a guess.

    An id set with ``id:`` in the front matter is a deliberate choice and is left alone."""
    out: list[Message] = []
    for record in records:
        lines = front_lines.get(record.path, {})
        if "id" in lines or record.date.method != "front matter" or not record.date.value:
            continue
        value = str(record.date.value)
        said = _id_date(record.id)
        if said is None:
            continue
        if said == "undated":
            problem = f"starts with 'undated', but its front matter dates it {value}"
        else:
            year, month, day = record.when.year, record.when.month, record.when.day
            clash = [(a, b) for a, b in zip(said, (year, month, day)) if a and b and a != b]
            if not clash:
                continue
            problem = f"starts with the date {'-'.join(p for p in said if p)}, but its front matter says {value}"
        out.append(Message(record.path, lines.get("date", 1), WARNING,
                           f"the file name (the article's id and page address '{record.id}') {problem}. Not yet "
                           "published: rename the file to match (or drop the date from its name). Already "
                           f"published: keep its address by adding 'id: {record.id}' to the front matter",
                           code="id-date"))
    return out


def _id_date(article_id: str) -> tuple[str, str | None, str | None] | str | None:
    """(year, month, day) an id starts with, 'undated' for 'undated-...', or None."""
    if re.match(r"^undated(?=[-_.]|$)", article_id, re.I):
        return "undated"
    m = _ID_DATE.match(article_id)
    return (m.group("year"), m.group("month"), m.group("day")) if m else None


# ---------------------------------------------------------------------------------------
# git
# ---------------------------------------------------------------------------------------

def changed_files(project: Project, ref: str) -> set[Path]:
    """Files changed since ``ref`` (from where the current branch left it, when git can tell)
    plus untracked files, as resolved paths."""
    root = project.root
    _require_commit(root, ref)
    base = _git(root, "merge-base", ref, "HEAD")
    since = base.stdout.strip() if base.returncode == 0 and base.stdout.strip() else ref
    names = (_git_names(root, "diff", "--name-only", "--relative", "-z", since, "--")
             + _git_names(root, "ls-files", "--others", "--exclude-standard", "-z"))
    return {(root / n).resolve() for n in names}


def _git_names(root: Path, *args: str) -> list[str]:
    """The file names a git command lists (``-z``: NUL-separated, so any name is safe)."""
    out = _git(root, *args)
    if out.returncode != 0:
        raise CheckError(f"git {args[0]} failed: {out.stderr.strip()}")
    return [n for n in out.stdout.split("\0") if n]


def _require_commit(root: Path, ref: str) -> None:
    """CheckError unless ``root`` is in a git work tree where ``ref`` names a commit."""
    if _git(root, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise CheckError(f"--changed-since needs a git repository, and {root} is not in one")
    if _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        raise CheckError(f"--changed-since {ref}: no such commit or branch here (in CI, check out the whole "
                         "history: actions/checkout with fetch-depth: 0)")


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except OSError as exc:
        raise CheckError(f"--changed-since needs git, which could not be run ({exc.strerror})") from None
