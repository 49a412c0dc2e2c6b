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


def record_rows(record: Record) -> list[str]:
    """The table of one article: each published value and where it came from."""
    rows = ["| field | value | where it came from |", "| --- | --- | --- |"]
    for name in ("title", "date", "source"):
        f = getattr(record, name)
        rows.append(_row(name, f.value, f.method, f.evidence))
    credits = {c.name: c for c in record.author_credits}
    for name in record.authors or [None]:
        c = credits.get(name)
        rows.append(_row("author", name, c.method if c else "", c.evidence if c else ""))
    for p in record.people or [None]:
        rows.append(_row("person", p.name if p else None, p.method if p else "", p.evidence if p else ""))
    tags = record.tags.value or []
    rows.append(_row("tags", ", ".join(tags) if tags else None, record.tags.method if tags else "",
                     record.tags.evidence if tags else ""))
    return rows


def _message_lines(messages: list[Message]) -> list[str]:
    return [f"- **{_MARK.get(m.severity, m.severity)}** line {m.line}: {md(m.text)}" for m in messages]


MAX_FILES = 100     # GitHub keeps 1 MiB of a step's summary: a registry change checks every article


def markdown_summary(records: list[Record], files, messages: list[Message], headline: str,
                     max_files: int = MAX_FILES) -> str:
    """The whole summary: a headline, one section per checked file (the first ``max_files``,
    then how many more), then archive-wide messages."""
    by_path: dict[str, list[Message]] = {}
    for m in messages:
        by_path.setdefault(m.path, []).append(m)
    records_by_path = {r.path: r for r in records}
    out = [f"## {md(headline)}", ""]
    paths = sorted({f.path for f in files} | set(records_by_path))
    if not paths:
        out += ["No article file was added or changed.", ""]
    for path in paths[max_files:]:
        by_path.pop(path, None)
    for path in paths[:max_files]:
        record = records_by_path.get(path)
        status = f"page articles/{md(record.id)}.html" if record else "**not published** (errors below)"
        out += [f"### {md(path)}", "", status, ""]
        if record:
            out += record_rows(record) + [""]
        out += _message_lines(by_path.pop(path, [])) or ["No warnings."]
        out.append("")
    if len(paths) > max_files:
        out += [f"… and {len(paths) - max_files} more files: `archive check --format markdown` shows them all.", ""]
    rest = [m for path in sorted(by_path) for m in by_path[path]]
    if rest:
        out += ["### Other files", ""]
        out += [f"- **{_MARK.get(m.severity, m.severity)}** {md(m.path)} line {m.line}: {md(m.text)}"
                for m in rest]
        out.append("")
    return "\n".join(out)
