"""``archive check --format markdown``: what a pull request will publish, for its reviewer.

The pull-request workflow appends it to ``$GITHUB_STEP_SUMMARY``: for each checked (added or
changed) file, the title, date, source, authors, people and tags the build will publish, each
with where it came from, and every message about that file; then the archive-wide messages.
Every value comes from an article or a file name, so all of it is escaped: a title cannot add a
link, an image, a heading, a table cell or HTML to the reviewer's page.
"""

from __future__ import annotations

import re

from ..core.models import ERROR, INFO, WARNING, Message, Record

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_LIMIT = 300
_MARK = {ERROR: "error", WARNING: "warning", INFO: "note"}


def md(value: object) -> str:
    """Untrusted text as inert Markdown on one line: every ASCII punctuation character is
    backslash-escaped (CommonMark treats each escaped one as a literal, so no link, emphasis,
    HTML, autolink or table cell can start), line breaks become spaces, long values are cut."""
    text = _CONTROL.sub(" ", "" if value is None else str(value)).strip()
    if len(text) > _LIMIT:
        text = text[:_LIMIT].rstrip() + "…"
    return _PUNCTUATION.sub(r"\\\1", text) or "–"


def _row(field: str, value: object, method: str = "", evidence: str = "") -> str:
    why = md(method) + (f": {md(evidence)}" if evidence else "") if method else "–"
    return f"| {field} | {md(value)} | {why} |"


def _author_rows(record: Record) -> list[str]:
    """A row per author with how they were found; one empty row when none is credited."""
    credits = {c.name: c for c in record.author_credits}
    rows = []
    for name in record.authors or [None]:
        c = credits.get(name)
        rows.append(_row("author", name, c.method if c else "", c.evidence if c else ""))
    return rows


def _people_rows(record: Record) -> list[str]:
    """A row per person named; one empty row when none is."""
    if not record.people:
        return [_row("person", None)]
    return [_row("person", p.name, p.method, p.evidence) for p in record.people]


def _tags_row(record: Record) -> str:
    tags = record.tags.value or []
    if not tags:
        return _row("tags", None)
    return _row("tags", ", ".join(tags), record.tags.method, record.tags.evidence)


def record_rows(record: Record) -> list[str]:
    """The table of one article: each published value and where it came from."""
    rows = ["| field | value | where it came from |", "| --- | --- | --- |"]
    rows += [_row(name, f.value, f.method, f.evidence) for name in ("title", "date", "source")
             for f in [getattr(record, name)]]
    return rows + _author_rows(record) + _people_rows(record) + [_tags_row(record)]


def _message_lines(messages: list[Message]) -> list[str]:
    return [f"- **{_MARK.get(m.severity, m.severity)}** line {m.line}: {md(m.text)}" for m in messages]


MAX_FILES = 100     # GitHub keeps 1 MiB of a step's summary: a registry change checks every article


def _file_section(path: str, record: Record | None, messages: list[Message]) -> list[str]:
    """One checked file: its page (or that it is not published), its table, its messages."""
    status = f"page articles/{md(record.id)}.html" if record else "**not published** (errors below)"
    out = [f"### {md(path)}", "", status, ""]
    if record:
        out += record_rows(record) + [""]
    return out + (_message_lines(messages) or ["No warnings."]) + [""]


def _other_files(by_path: dict[str, list[Message]]) -> list[str]:
    """Messages about files that have no section of their own (registries, files past the limit)."""
    rest = [m for path in sorted(by_path) for m in by_path[path]]
    if not rest:
        return []
    return ["### Other files", "", *(f"- **{_MARK.get(m.severity, m.severity)}** {md(m.path)} line {m.line}: "
                                     f"{md(m.text)}" for m in rest), ""]


def _by_path(messages: list[Message]) -> dict[str, list[Message]]:
    by_path: dict[str, list[Message]] = {}
    for m in messages:
        by_path.setdefault(m.path, []).append(m)
    return by_path


def markdown_summary(records: list[Record], files, messages: list[Message], headline: str,
                     max_files: int = MAX_FILES) -> str:
    """The whole summary: a headline, one section per checked file (the first ``max_files``,
    then how many more), then archive-wide messages."""
    by_path = _by_path(messages)
    records_by_path = {r.path: r for r in records}
    out = [f"## {md(headline)}", ""]
    paths = sorted({f.path for f in files} | set(records_by_path))
    if not paths:
        out += ["No article file was added or changed.", ""]
    for path in paths[max_files:]:
        by_path.pop(path, None)
    for path in paths[:max_files]:
        out += _file_section(path, records_by_path.get(path), by_path.pop(path, []))
    if len(paths) > max_files:
        out += [f"… and {len(paths) - max_files} more files: `archive check --format markdown` shows them all.", ""]
    return "\n".join(out + _other_files(by_path))
