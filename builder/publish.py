"""Publish stage: MkDocs + Material build the static site, atomically.

The site is built into a temporary folder beside the target and swapped in only when
the build succeeds, so a failed build never leaves a half-written ``site/``. The build
report (every corpus file and its fate) is written into the site as
``build-report.json``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .pipeline import CorpusResult, Project

log = logging.getLogger("archive")


class BuildFailed(Exception):
    """MkDocs refused to build (a configuration error, or a warning under --strict)."""


@dataclass
class BuildOutcome:
    site: Path
    result: CorpusResult


def report_json(result: CorpusResult) -> str:
    """Machine-readable build report, deterministic (sorted, no timestamps)."""
    data = {
        "summary": {
            "files": len(result.files),
            "pages": sum(1 for f in result.files if f.status == "page"),
            "errors": sum(1 for f in result.files if f.status != "page"),
            "warnings": result.count("warning"),
        },
        "registries": [m.as_dict() for m in result.messages],
        "files": [
            {"path": f.path, "id": f.id, "fate": f.status,
             "page": f"articles/{f.id}.html" if f.status == "page" else None,
             "messages": [m.as_dict() for m in f.messages]}
            for f in result.files
        ],
        "ignored": list(getattr(result, "ignored", [])),
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def build(project: Project, strict: bool = False, site_dir: Path | None = None, progress=None) -> BuildOutcome:
    """Generate the pages and build the site into ``site_dir`` (default ``site/``).

    ``progress(stage, done, total, cached=0)`` hears how far each stage is (builder/progress.py)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    site = Path(site_dir) if site_dir else project.site
    site = site if site.is_absolute() else (Path.cwd() / site)
    site.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site.name}-building-", dir=site.parent))
    try:
        errors: list[str] = []
        try:
            with _collect_errors(errors):
                config = load_config(str(project.mkdocs_yml), site_dir=str(tmp), strict=strict)
        except (ConfigurationError, Abort) as exc:   # MkDocs raises Abort for e.g. an unknown theme
            # Abort says only "configuration error"; the reason was logged, so repeat it
            raise BuildFailed(f"{project.shown(project.mkdocs_yml)}: {'; '.join(errors) or exc}") from None
        plugin = config.plugins.get("archive")
        if plugin is None:
            raise BuildFailed(f"{project.shown(project.mkdocs_yml)}: the 'archive' plugin is not enabled "
                              "(add '- archive' under 'plugins:')")
        plugin.progress = progress
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        except Abort as exc:
            raise BuildFailed(str(exc)) from None
        finally:
            config.plugins.on_shutdown()
        result = plugin.result
        if result is None:
            raise BuildFailed(f"{project.shown(project.mkdocs_yml)}: the 'archive' plugin has 'generate: false', "
                              "so there is no corpus to report on; use 'mkdocs build' for such a site")
        (tmp / "build-report.json").write_text(report_json(result), encoding="utf-8")
        _swap(tmp, site)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildOutcome(site=site, result=result)


@contextlib.contextmanager
def _collect_errors(errors: list[str]):
    """Collect the text of MkDocs' error log records while the block runs."""
    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            errors.append(record.getMessage())

    handler = Collect(logging.ERROR)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames (the old tree is removed after)."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        target.rename(old)
    new.rename(target)
    # mkdtemp creates 0700 folders; a published site is world-readable
    target.chmod(0o755)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
