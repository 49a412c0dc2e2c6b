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
        return {**base, **_no_record()}
    return {**base, **record.fields(), "text": record.text, "comments": _comments(record),
            "provenance": record.provenance()}


def _no_record() -> dict:
    """The fields of a file the pipeline refused: empty, in the same order as a record's."""
    return {"title": None, "date": None, "source": None, "url": None, "archived_url": None,
            "retrieved": None, "sha256": None, "language": None,
            "people": [], "tags": [], "authors": [], "contributors": [], "photo_credits": [], "text": None,
            "comments": None,
            "provenance": {}}


def _comments(record: Record) -> str | None:
    return "\n".join(c.text for c in record.comments) if record.comments else None


def _folder(shown: str) -> FileResult:
    return FileResult(shown, None, "error", [Message(shown, 1, ERROR, "is a folder: name the article files to "
                                                     f"inspect (for example {shown.rstrip('/')}/*.txt)",
                                                     code="file-type")])


def inspect_files(project: Project, paths: list[Path]) -> list[dict]:
    """Run the pipeline on ``paths`` (anywhere on disk) with the project's registries, if any."""
    registry = load_registry(project.corpus, project.root)
    files, folders = _files_and_folders(paths)
    result = process(files, registry, project, [_folder(project.shown(p)) for p in folders])
    records = {r.path: r for r in result.records}
    outcomes = {f.path: f for f in result.files}
    return [record_dict(records.get(shown), outcomes[shown]) for shown in map(project.shown, paths)]


def _files_and_folders(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The paths split in two, in the order given: folders are refused, not searched."""
    files: list[Path] = []
    folders: list[Path] = []
    for path in paths:
        (folders if path.is_dir() else files).append(path)
    return files, folders
