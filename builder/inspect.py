"""``archive inspect``: what the pipeline infers from any file, and why (as JSON-ready dicts)."""

from __future__ import annotations

from pathlib import Path

from .models import Record
from .pipeline import FileResult, Project, process
from .registry import load_registry


def record_dict(record: Record | None, result: FileResult) -> dict:
    """One file's inferred record with provenance; the shape ``archive inspect --json`` prints."""
    base = {"path": result.path, "id": result.id, "status": result.status,
            "warnings": [m.format() for m in result.messages]}
    if record is None:
        return {**base, "title": None, "date": None, "source": None, "url": None, "language": None,
                "people": [], "tags": [], "authors": [], "photo_credits": [], "text": None, "comments": None,
                "provenance": {}}
    return {
        **base,
        "title": record.title.value,
        "date": record.date.value,
        "source": record.source.value,
        "url": record.url.value,
        "language": record.language.value,
        "people": record.people_names,
        "tags": record.tags.value,
        "authors": record.authors,
        "photo_credits": record.credits,
        "text": record.text,
        "comments": "\n".join(c.text for c in record.comments) if record.comments else None,
        "provenance": {
            "title": record.title.provenance(),
            "date": record.date.provenance(),
            "source": record.source.provenance(),
            "url": record.url.provenance(),
            "language": record.language.provenance(),
            "people": {p.name: {"method": p.method, "evidence": p.evidence, "written": p.mentions}
                       for p in record.people},
            "tags": record.tags.provenance(),
            "removed": [{"line": r.line, "reason": r.reason, "text": r.text} for r in record.removed],
        },
    }


def inspect_files(project: Project, paths: list[Path]) -> list[dict]:
    """Run the pipeline on ``paths`` (anywhere on disk) with the project's registries, if any."""
    registry = load_registry(project.corpus, project.root)
    result = process([p for p in paths], registry, project)
    by_path = {r.path: r for r in result.records}
    shown = [project.shown(p) for p in paths]
    files = {f.path: f for f in result.files}
    out = []
    for s in shown:
        f = files[s]
        record = next((r for r in result.records if r.path == s), None) if f.status == "page" else None
        out.append(record_dict(record or by_path.get(s), f))
    return out
