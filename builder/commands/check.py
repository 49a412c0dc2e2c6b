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
from ..pipeline import FileResult, Project, discover, process
from ..stages.read import (HTML_SUFFIXES, ReadError, decode, normalise_newlines, read_bytes_limited, read_file,
                   split_front_matter)
from ..core.registry import FILES, Registry, load_registry
from ..outputs.summary import markdown_summary
from ..core.validate import front_matter_problems  # noqa: F401 - part of this module's interface


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
    messages = report.messages
    counts = {s: sum(1 for m in messages if m.severity == s) for s in (ERROR, WARNING, INFO)}
    scope = f" (changed since {changed_since}; {report.total} in the corpus)" if changed_since else ""
    headline = (f"archive check: {_plural(report.checked, 'article file')} checked{scope}: "
                f"{_plural(counts[ERROR], 'error')}, {_plural(counts[WARNING], 'warning')}")
    _print_report(project, report, fmt, verbose, headline)
    notes = f", {_plural(counts[INFO], 'note')}" + (" (-v shows them)" if counts[INFO] and not verbose and
                                                       fmt not in ("json", "markdown") else "")
    if not quiet:
        print(f"{headline}{notes}", file=sys.stderr)
    if counts[ERROR] or (strict and counts[WARNING]):
        return 1
    return 0


def _print_report(project: Project, report: CheckReport, fmt: str, verbose: bool, headline: str) -> None:
    """The messages on stdout in the chosen format (notes only with -v, except in json and markdown)."""
    messages = report.messages
    if fmt == "json":
        print(json.dumps([m.as_dict() for m in messages], ensure_ascii=False, indent=1))
    elif fmt == "markdown":
        print(markdown_summary(report.records, report.files, messages, headline))
    else:
        prefix = _repo_prefix(project.root) if fmt == "github" else ""
        for m in messages:
            if m.severity != INFO or verbose:
                # messages quote the file: nothing in it drives the terminal
                print(github_annotation(m, prefix) if fmt == "github" else terminal(m.format()))


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
    if changed_since:
        changed = changed_files(project, changed_since)
    if changed_since and not any((project.corpus / name).resolve() in changed for name in FILES.values()):
        checked = [p for p in paths if p.resolve() in changed]
        refused = [f for f in refused if (project.root / f.path).resolve() in changed]
        others = [p for p in paths if p.resolve() not in changed]
    else:
        # a full check; or a registry changed, and a new alias, tag phrase or boilerplate line can
        # change or empty any article, so every article is checked as the build will see it
        checked, others = paths, []
    result = process(checked, registry, project, refused, progress=progress)
    messages = list(result.all_messages)

    front_lines: dict[str, dict[str, int]] = {}
    ours: list[Message] = []
    for path in checked:
        shown = project.shown(path)
        more, lines = front_matter_messages(path, shown, registry)
        ours += more
        front_lines[shown] = lines
    index = index_articles(others, registry, project)
    ours += duplicate_id_messages(result.files, front_lines, index)
    ours += duplicate_text_messages(result.records, index)
    ours += unknown_people_messages(result.records, registry, front_lines)
    ours += id_date_messages(result.records, front_lines)
    ours += site_url_messages(project)
    return CheckReport(merge(messages, ours), len(checked) + len(refused), total, changed_since, result.records,
                       result.files)


def merge(pipeline: list[Message], ours: list[Message]) -> list[Message]:
    """All messages, sorted, without saying one thing twice: a front-matter rule's error replaces
    the pipeline's warning about the same field on the same line; the pipeline's error wins over ours."""
    def key(m: Message) -> tuple[str, int, str]:
        return m.path, m.line, m.code

    # the build's copies of the schema findings (downgraded to warnings there) give way to ours
    pipeline = [m for m in pipeline if not m.code.startswith("schema:")]
    ours_errors = {key(m) for m in ours if m.severity == ERROR and m.code in _FRONT_CODES}
    pipeline_errors = {key(m) for m in pipeline if m.severity == ERROR and m.code in _FRONT_CODES}
    kept = [m for m in pipeline if not (key(m) in ours_errors and m.severity != ERROR)]
    kept += [m for m in ours if key(m) not in pipeline_errors]
    return sorted(set(kept), key=lambda m: (m.path, m.line, m.column, SEVERITY_ORDER.get(m.severity, 3), m.text))


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
    out: list[Indexed] = []
    for path in paths:
        shown = project.shown(path)
        try:
            doc = read_file(path, shown)
            cleaned = clean(doc, registry)
        except ReadError:
            continue
        except Exception:  # noqa: BLE001 - the full check of that file reports it; here it only drops out
            continue
        if not cleaned.headline and not cleaned.paragraphs:
            continue                # the build refuses it before ids are compared
        out.append(Indexed(shown, doc.id, "\n\n".join(p.text for p in cleaned.paragraphs),
                           doc.front_lines.get("id", 1)))
    return out


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
        if not others:
            continue
        out.append(validate.duplicate_id_message(f.path, f.id, front_lines.get(f.path, {}).get("id", 1),
                                                 [(o.path, o.id) for o in others]))
        for o in others:
            out.append(validate.duplicate_id_message(o.path, o.id, o.id_line, [(f.path, f.id)]))
    return sorted(set(out), key=lambda m: (m.path, m.line, m.text))


def duplicate_text_messages(records: list[Record], index: list[Indexed]) -> list[Message]:
    """Exact duplicates (an error) and near-duplicates (a warning) of the checked articles,
    against each other and against the rest of the corpus. One message per copy, on the
    checked file (the later one by path when both are checked), naming the other."""
    items = sorted([(r.path, r.text, True) for r in records] + [(i.path, i.text, False) for i in index])
    paths = [p for p, _, _ in items]
    focus = {n for n, (_, _, checked) in enumerate(items) if checked}
    everything_checked = len(focus) == len(items)
    groups, near = duplicates.find([t for _, t, _ in items], None if everything_checked else focus)
    out: list[Message] = []
    for group in groups:
        group = sorted(group)
        original = next((n for n in group if n not in focus), group[0])
        for n in group:
            if n != original and n in focus:
                out.append(Message(paths[n], 1, ERROR, f"exact duplicate of {paths[original]}: the same text "
                                   "after cleaning; remove one of the two files", code="duplicate"))
    for pair in near:
        here, other = (pair.b, pair.a) if pair.b in focus else (pair.a, pair.b)
        text = (f"near-duplicate of {paths[other]} (similarity {pair.jaccard:.2f}, Jaccard of word 5-grams"
                + (f"; {pair.containment:.0%} of the shorter text is in the longer"
                   if pair.containment - pair.jaccard >= 0.1 else "")
                + "): the same article twice, or from two outlets? Keep both only on purpose")
        out.append(Message(paths[here], 1, WARNING, text, code="near-duplicate"))
    return out


def unknown_people_messages(records: list[Record], registry: Registry,
                            front_lines: dict[str, dict[str, int]]) -> list[Message]:
    """People named in the checked articles who are not in people.yml: one note per person, at
    the first article (by path) that names them, suggesting to add them."""
    found: dict[str, list[tuple[str, int]]] = {}
    for record in sorted(records, key=lambda r: r.path):
        for person in record.people:
            if registry.person(person.name) is not None:
                continue
            if person.method == "front matter":
                line = front_lines.get(record.path, {}).get("people", 1)
            else:
                line = next((p.line for p in record.paragraphs if any(m in p.text for m in person.mentions)), 1)
            found.setdefault(person.name, []).append((record.path, line))
    people_yml = registry.paths.get("people", "people.yml")
    out: list[Message] = []
    for name, places in found.items():
        path, line = places[0]
        also = f"; also named in {_plural(len(places) - 1, 'other article')}" if len(places) > 1 else ""
        out.append(Message(path, line, INFO, f"'{name}' is not in {people_yml}: add them there (name, aliases, "
                           f"description) so that every article spells them the same way{also}",
                           code="unknown-person"))
    return out


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


def site_url_messages(project: Project) -> list[Message]:
    """sitemap.xml, feeds and citations need the address the site will live at: a warning when
    mkdocs.yml gives none here, including one taken from an environment variable that is not set
    (``!ENV [ARCHIVE_SITE_URL]``: the publishing workflow sets it; a local build does not). Without
    it the build leaves sitemap.xml out and citations carry no address rather than a relative one."""
    path = project.mkdocs_yml
    try:
        from mkdocs.utils.yaml import yaml_load

        text = path.read_text(encoding="utf-8")
        config = yaml_load(text)
    except Exception:  # noqa: BLE001 - no mkdocs.yml, or a broken one: the build reports that
        return []
    url = config.get("site_url") if isinstance(config, dict) else None
    if isinstance(url, str) and re.match(r"^https?://\S+$", url.strip(), re.I):
        return []
    lines = text.splitlines()
    line = next((n for n, text_line in enumerate(lines, 1) if text_line.startswith("site_url:")), None)
    declared = lines[line - 1] if line else ""
    variable = re.search(r"!ENV\s*\[?\s*([A-Za-z_][A-Za-z0-9_]*)", declared)
    if url:
        what = f"site_url '{url}' is not an http:// or https:// address"
    elif variable:
        what = (f"site_url comes from the environment variable {variable.group(1)}, which is not set here: "
                "sitemap.xml is left out and citations and feeds give no web address for the archive's pages")
    else:
        what = ("no site_url: sitemap.xml is left out and citations and feeds give no web address for the "
                "archive's pages")
    how = (f"set {variable.group(1)} (the publishing workflow does), or give a default in mkdocs.yml" if variable
           and not url else "add it to mkdocs.yml")
    return [Message(project.shown(path), line or 1, WARNING,
                    f"{what}; {how}, e.g. 'site_url: !ENV [ARCHIVE_SITE_URL, \"https://example.github.io/my-archive/\"]'",
                    code="site-url")]


# ---------------------------------------------------------------------------------------
# git
# ---------------------------------------------------------------------------------------

def changed_files(project: Project, ref: str) -> set[Path]:
    """Files changed since ``ref`` (from where the current branch left it, when git can tell)
    plus untracked files, as resolved paths."""
    root = project.root

    def git(*args: str) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
        except OSError as exc:
            raise CheckError(f"--changed-since needs git, which could not be run ({exc.strerror})") from None

    if git("rev-parse", "--is-inside-work-tree").returncode != 0:
        raise CheckError(f"--changed-since needs a git repository, and {root} is not in one")
    if git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        raise CheckError(f"--changed-since {ref}: no such commit or branch here (in CI, check out the whole "
                         "history: actions/checkout with fetch-depth: 0)")
    base = git("merge-base", ref, "HEAD")
    since = base.stdout.strip() if base.returncode == 0 and base.stdout.strip() else ref
    names: list[str] = []
    for args in (("diff", "--name-only", "--relative", "-z", since, "--"),
                 ("ls-files", "--others", "--exclude-standard", "-z")):
        out = git(*args)
        if out.returncode != 0:
            raise CheckError(f"git {args[0]} failed: {out.stderr.strip()}")
        names += [n for n in out.stdout.split("\0") if n]
    return {(root / n).resolve() for n in names}
