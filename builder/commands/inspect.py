"""``archive inspect``: what the pipeline infers from any file, and why (as JSON-ready dicts)."""

from __future__ import annotations

from pathlib import Path

from ..core.models import ERROR, Message, Record
from ..pipeline import FileResult, Project, process
from ..core.registry import load_registry


def record_dict(record: Record | None, result: FileResult) -> dict:
    """One file's inferred record with provenance; the shape ``archive inspect --json`` prints."""
    base = {"path": result.path, "id": result.id, "status": result.status,
            "warnings": [m.format() for m in result.messages]}
    if record is None:
        return {**base, "title": None, "date": None, "source": None, "url": None, "archived_url": None,
                "retrieved": None, "sha256": None, "language": None,
                "people": [], "tags": [], "authors": [], "contributors": [], "photo_credits": [], "text": None,
                "comments": None,
                "provenance": {}}
    return {**base, **record.fields(), "text": record.text,
            "comments": "\n".join(c.text for c in record.comments) if record.comments else None,
            "provenance": record.provenance()}


def _folder(shown: str) -> FileResult:
    return FileResult(shown, None, "error", [Message(shown, 1, ERROR, "is a folder: name the article files to "
                                                     f"inspect (for example {shown.rstrip('/')}/*.txt)",
                                                     code="file-type")])


def inspect_files(project: Project, paths: list[Path]) -> list[dict]:
    """Run the pipeline on ``paths`` (anywhere on disk) with the project's registries, if any."""
    registry = load_registry(project.corpus, project.root)
    folders = [p for p in paths if p.is_dir()]
    result = process([p for p in paths if not p.is_dir()], registry, project,
                     [_folder(project.shown(p)) for p in folders])
    records = {r.path: r for r in result.records}
    files = {f.path: f for f in result.files}
    return [record_dict(records.get(shown), files[shown]) for shown in (project.shown(p) for p in paths)]
