"""Publish stage: MkDocs + Material build the static site, atomically.

The site is built into a temporary folder beside the target and swapped in only when
the build succeeds, so a failed build never leaves a half-written ``site/``. The build
report (every corpus file and its fate) is written into the site as
``build-report.json``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..core import collector
from ..pipeline import CorpusResult, Project
from . import unchanged

log = logging.getLogger("archive")


class BuildFailed(Exception):
    """MkDocs refused to build (a configuration error, or a warning under --strict). ``result``
    is the corpus the plugin had read by then, if any, so its messages can still be shown."""

    def __init__(self, message: str, result: CorpusResult | None = None) -> None:
        super().__init__(message)
        self.result = result


@dataclass
class BuildOutcome:
    site: Path
    result: CorpusResult
    unchanged: bool = False         # nothing changed since the last build: the site was left as it was


def _file_entry(f) -> dict:
    """A file's fate in the report: its page, or none, and its messages."""
    return {"path": f.path, "id": f.id, "fate": f.status,
            "page": f"articles/{f.id}.html" if f.status == "page" else None,
            "messages": [m.as_dict() for m in f.messages]}


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
        "files": [_file_entry(f) for f in result.files],
        "ignored": list(getattr(result, "ignored", [])),
    }
    from ..outputs.export import indented_json

    return indented_json(data)          # json.dumps(data, ensure_ascii=False, indent=1) + "\n", faster


MARKER = ".archive-site"   # written into every site this tool builds; only such a folder is ever replaced
_MARKER_TEXT = "This folder was built by 'archive build' and is replaced by the next build.\n"


def build(project: Project, strict: bool = False, site_dir: Path | None = None, progress=None,
          scheduler: str | None = None, force: bool = False) -> BuildOutcome:
    """Generate the pages and build the site into ``site_dir`` (default ``site/``).

    ``progress(stage, done, total, cached=0)`` hears how far each stage is; ``scheduler``, a
    Dask scheduler address (``tcp://host:8786``), runs extraction on that cluster. When nothing
    changed since the last build (``unchanged.py``) the site is left as it is, unless ``force``.

    Nothing but the tool's own output is ever deleted: ``site_dir`` must not be or hold the
    archive, its corpus, docs or theme; an existing folder there is replaced only when it is a
    site this tool built (it has the ``.archive-site`` marker, or ``build-report.json`` from
    earlier versions) or is empty. A failure at any point (MkDocs, a full disk, a folder that
    cannot be replaced) raises BuildFailed and leaves the old site as it was."""
    site = Path(site_dir) if site_dir else project.site
    site = Path(os.path.abspath(site if site.is_absolute() else (Path.cwd() / site)))
    problem = site_dir_problem(project, site)
    if problem:
        raise BuildFailed(problem)
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        with _build_lock(site.parent):
            remove_stale(site)
            return _build_unless_unchanged(project, strict, site, progress, scheduler, force)
    except OSError as exc:
        where = f" ({_shown(project, Path(exc.filename))})" if getattr(exc, "filename", None) else ""
        raise BuildFailed(f"{exc.strerror or exc}{where}; the previous site, if any, is unchanged") from None


def _build_unless_unchanged(project: Project, strict: bool, site: Path, progress, scheduler: str | None,
                            force: bool) -> BuildOutcome:
    """The last build's outcome when no input changed since (``unchanged.py``), else a new build,
    recorded as one to keep when MkDocs logged no warning of its own."""
    key = _inputs_key(project, strict, site)
    if not force and unchanged.unchanged(project, key, site):
        return BuildOutcome(site=site, result=unchanged.last_result(site), unchanged=True)
    unchanged.forget(project)
    with _own_warnings() as warned:
        result = _build_and_swap(project, strict, site, progress, scheduler)
    if key is not None and not warned:
        with collector.paused():            # a stat of every site file: 60,000 small lists, none cyclic
            unchanged.save(project, key, site)
    return BuildOutcome(site=site, result=result)


def _inputs_key(project: Project, strict: bool, site: Path) -> str | None:
    """The fingerprint of this build's inputs (``unchanged.py``), or None when it cannot be had:
    the configuration does not load, or reads from outside the archive (the build says why)."""
    from mkdocs.config import load_config

    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)          # the build itself loads the configuration and says what is wrong
    try:
        config = load_config(str(project.mkdocs_yml), site_dir=str(site), strict=strict)
        if _outside_sources(project, config):
            return None
        return unchanged.inputs_key(project, config, strict, site)
    except Exception:           # noqa: BLE001 - any failure means a full build, which reports it
        return None
    finally:
        logging.disable(previous)


@contextlib.contextmanager
def _own_warnings():
    """Whether MkDocs or the plugin logged a warning of their own (not an article's message,
    which the report keeps) while the block ran: such a build is not recorded as one to keep."""
    from .plugin import ARCHIVE_MESSAGE

    warned: list[str] = []

    class Note(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if not getattr(record, ARCHIVE_MESSAGE, False):
                warned.append(record.getMessage())

    handler = Note(logging.WARNING)
    loggers = [logging.getLogger("mkdocs"), logging.getLogger("archive")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield warned
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def _build_and_swap(project: Project, strict: bool, site: Path, progress, scheduler: str | None) -> CorpusResult:
    """Build beside ``site`` into a temporary folder and swap it in; on any failure the
    temporary folder goes and ``site`` stays as it was."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{site.name}-building-{os.getpid()}-", dir=site.parent))
    try:
        result = _build_into(project, strict, tmp, progress, scheduler,
                             previous=site if site.is_dir() and _is_our_site(site) else None)
        with collector.paused():            # the report of 10,000 files, encoded: nothing cyclic
            (tmp / "build-report.json").write_text(report_json(result), encoding="utf-8")
        (tmp / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        _swap(tmp, site)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


def _build_into(project: Project, strict: bool, tmp: Path, progress=None, scheduler: str | None = None,
                previous: Path | None = None) -> CorpusResult:
    """MkDocs builds the site into ``tmp``; returns the corpus result the plugin made. ``previous``,
    the site being replaced, is only read (its zip's unchanged entries are copied)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    errors: list[str] = []
    try:
        with _collect_errors(errors):
            config = load_config(str(project.mkdocs_yml), site_dir=str(tmp), strict=strict)
    except (ConfigurationError, Abort) as exc:   # MkDocs raises Abort for e.g. an unknown theme
        # Abort says only "configuration error"; the reason was logged, so repeat it
        raise BuildFailed(f"{project.shown(project.mkdocs_yml)}: {'; '.join(errors) or exc}") from None
    problem = _outside_sources(project, config)
    if problem:
        raise BuildFailed(problem)
    plugin = config.plugins.get("archive")
    if plugin is None:
        raise BuildFailed(f"{project.shown(project.mkdocs_yml)}: the 'archive' plugin is not enabled "
                          "(add '- archive' under 'plugins:')")
    from .plugin import BuildOptions

    plugin.configure_build(BuildOptions(progress=progress, scheduler=scheduler, previous_site=previous))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    except Abort as exc:
        raise BuildFailed(str(exc), plugin.result) from None
    finally:
        config.plugins.on_shutdown()
    result = plugin.result
    if result is None:
        raise BuildFailed(f"{project.shown(project.mkdocs_yml)}: the 'archive' plugin has 'generate: false', "
                          "so there is no corpus to report on; use 'mkdocs build' for such a site")
    return result


def _published_folders(project: Project, config) -> list[tuple[str, Path]]:
    """docs/ and the theme folder MkDocs will publish from."""
    folders = [("docs_dir", Path(config.docs_dir))]
    custom = getattr(config.theme, "custom_dir", None)
    if custom:
        folders.append(("theme custom_dir", Path(custom)))
    elif (project.root / "theme_overrides").is_dir():     # the local overrides the archive plugin adds
        folders.append(("theme_overrides", project.root / "theme_overrides"))
    return folders


def _link_leading_out(project: Project, folder: Path, root: Path) -> str | None:
    """A symbolic link under ``folder`` whose target is outside ``root`` (a broken link publishes nothing)."""
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for path in (Path(dirpath) / name for name in dirnames + filenames):
            if not path.is_symlink():
                continue
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                continue
            if not target.is_relative_to(root):
                return (f"{project.shown(path)}: symbolic link leading outside the archive folder: "
                        "refused, nothing outside the archive is published; copy the file in instead")
    return None


def _outside_sources(project: Project, config) -> str | None:
    """MkDocs publishes every file under docs/ and the theme folder, following symbolic links:
    a folder configured outside the archive, or a link in them leading out, stops the build
    (nothing outside the archive folder is ever published)."""
    root = project.root.resolve()
    for what, folder in _published_folders(project, config):
        if not folder.resolve().is_relative_to(root):
            return (f"{project.shown(project.mkdocs_yml)}: {what} leads outside the archive folder: refused, "
                    "nothing outside the archive is published")
        problem = _link_leading_out(project, folder, root)
        if problem:
            return problem
    return None


def _holds_the_archive(project: Project, site: Path) -> str | None:
    """The archive folder itself, a folder holding it, or the config's folder."""
    real, root = site.resolve(), project.root.resolve()
    config_dir = project.mkdocs_yml.resolve().parent
    if real == root or root.is_relative_to(real) or real == config_dir or config_dir.is_relative_to(real):
        return (f"--site-dir {_shown(project, site)}: that folder holds the archive, and building there would "
                "replace it; choose a new folder such as site/")
    return None


def _holds_a_part(project: Project, site: Path) -> str | None:
    """corpus/, docs/, the theme overrides or .git: the folder, inside it, or holding it."""
    real = site.resolve()
    for name, folder in (("corpus", project.corpus), ("docs", project.docs),
                         ("theme_overrides", project.root / "theme_overrides"), (".git", project.root / ".git")):
        folder = folder.resolve()
        if real == folder or real.is_relative_to(folder) or folder.is_relative_to(real):
            return (f"--site-dir {_shown(project, site)}: that folder is or holds the archive's {name}/ folder, "
                    "and building there would replace it; choose a new folder such as site/")
    return None


def _a_file_in_the_way(project: Project, site: Path) -> str | None:
    if site.exists() and not site.is_dir():
        return f"--site-dir {_shown(project, site)}: a file is in the way (it is not a folder); remove it first"
    return None


def _not_our_site(project: Project, site: Path) -> str | None:
    """A folder this tool did not build is never replaced."""
    if site.is_dir() and not _is_our_site(site):
        return (f"{_shown(project, site)}/ exists and was not built by 'archive build' (it has no {MARKER} "
                "file): it is left alone; remove it yourself or choose another --site-dir")
    return None


# tried in order; the first problem found is the one reported
_SITE_DIR_RULES = (_holds_the_archive, _holds_a_part, _a_file_in_the_way, _not_our_site)


def site_dir_problem(project: Project, site: Path) -> str | None:
    """Why ``site`` cannot be the output folder: it is, holds, or is inside a folder the archive
    is made of (the archive folder itself, corpus/, docs/, the theme overrides, the config's
    folder, .git). Building there would delete it when the new site is swapped in."""
    return next((problem for rule in _SITE_DIR_RULES if (problem := rule(project, site))), None)


def _is_our_site(site: Path) -> bool:
    """A folder this tool may replace: a site it built, or an empty folder."""
    if site.is_symlink():
        return False
    if (site / MARKER).is_file() or (site / "build-report.json").is_file():
        return True
    try:
        return not any(site.iterdir())
    except OSError:
        return False


_OLD = r"\.(?P<site>.+)-old-[0-9]+(?:-[A-Za-z0-9_]+)?"     # a replaced site, set aside by _swap
_STALE = re.compile(r"\.(?P<site>.+)-(?:building|old)-(?P<pid>[0-9]+)(?:-[A-Za-z0-9_]+)?")


def remove_stale(site: Path) -> list[Path]:
    """Remove temporary folders that killed builds of ``site`` left behind: only our own
    names (``.site-building-PID-xxxx``, ``.site-old-PID``), only when no process PID runs."""
    removed = []
    try:
        entries = list(site.parent.iterdir())
    except OSError:
        return removed
    for entry in (e for e in entries if _is_stale(e, site.name)):
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _is_stale(entry: Path, site_name: str) -> bool:
    """A folder named as our temporary folders of this site are, whose build process is gone."""
    m = _STALE.fullmatch(entry.name)
    if not m or m.group("site") != site_name or entry.is_symlink() or not entry.is_dir():
        return False
    return not _alive(int(m.group("pid")))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True         # someone else's process, or cannot tell: leave the folder alone
    return True


@contextlib.contextmanager
def _build_lock(folder: Path):
    """Builds into the same folder take turns (a lock on the folder, released if the process dies)."""
    try:
        import fcntl
    except ImportError:     # pragma: no cover - not on Windows
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _shown(project: Project, path: Path) -> str:
    """A path for a message: relative to the archive when inside it, else as the user gave it."""
    try:
        return Path(os.path.abspath(path)).relative_to(project.root.absolute()).as_posix() or "."
    except ValueError:
        return path.as_posix()


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
    """Replace ``target`` by ``new`` with two renames (the old tree is removed after); if the
    second rename fails, the old site is put back."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        if old.exists():        # an earlier build of this process, still being removed
            old = target.with_name(f".{target.name}-old-{os.getpid()}-{os.urandom(4).hex()}")
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise
    # mkdtemp creates 0700 folders; a published site is world-readable
    target.chmod(0o755)
    if old is not None:
        _discard(old)


# Run by a detached process: it renames the old site to its own pid's name (so a build that
# starts meanwhile sees a live owner and leaves it alone), then removes it. It acts only on a
# folder (not a link) named as the aside folders of ``_swap`` are.
_DISCARD = """
import os, re, shutil, sys
path = sys.argv[1]
parent, name = os.path.split(path)
m = re.fullmatch(sys.argv[2], name)
if m and os.path.isdir(path) and not os.path.islink(path):
    try:
        os.nice(10)
    except OSError:
        pass
    mine = os.path.join(parent, "." + m.group("site") + "-old-" + str(os.getpid()))
    try:
        os.rename(path, mine)
    except OSError:
        mine = path
    shutil.rmtree(mine, ignore_errors=True)
"""


def _discard(old: Path) -> None:
    """Remove the replaced site (``.site-old-PID``) off the command's critical path: a detached
    process removes it (deleting tens of thousands of files took seconds). Should that process not
    start, or die, the folder keeps its name and the next build removes it (``remove_stale``)."""
    import subprocess
    import sys

    try:
        subprocess.Popen([sys.executable, "-I", "-S", "-c", _DISCARD, str(old), _OLD],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         close_fds=True, start_new_session=True, cwd=str(old.parent))
    except OSError:
        shutil.rmtree(old, ignore_errors=True)
