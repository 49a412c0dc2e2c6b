"""Where a new archive installs the archive tools from (``requirements.txt`` of ``archive new``).

The tools are not on a package index, so ``news-archive-builder==0.1.0`` cannot be installed.
The requirement a new archive gets is, in this order:

1. ``--tool-source``: a pinned VCS address (``git+https://...@<tag or commit>``), an http(s)
   address of a wheel or source archive, or a local wheel file (copied into the archive);
2. how the running tools were installed, from the distribution's PEP 610 ``direct_url.json``:
   a VCS install gives ``git+URL@<commit>``, a remote archive its address;
3. installed from an index (no ``direct_url.json``): the version, ``==0.1.0``;
4. otherwise (a local folder, an editable install, a source checkout): a wheel of the running
   tools written into the archive (``tools/``), so the archive installs the very tools that made it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import re
import shutil
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .. import __version__

DIST = "news-archive-builder"
WHEEL_NAME = f"news_archive_builder-{__version__}-py3-none-any.whl"
PACKAGE = Path(__file__).resolve().parents[1]      # the builder package
_PINNED_VCS = re.compile(r"^(git|hg|svn|bzr)\+[a-z]+://\S+@[^/@\s#]+(#\S*)?$", re.I)
_URL = re.compile(r"^(https?|file)://\S+$", re.I)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass
class ToolSource:
    requirement: str             # the line of requirements.txt
    why: str                     # where it came from, said to the user
    wheel: Path | None = None    # a wheel file to copy into the archive's tools/ folder
    build_wheel: bool = False    # write a wheel of the running tools into tools/


class ToolSourceError(ValueError):
    """A --tool-source that would not install the same tools every time."""


def choose(tool_source: str | None) -> ToolSource:
    """The requirement for the tools: --tool-source, else the installed distribution's origin."""
    if tool_source:
        return _from_option(tool_source.strip())
    return _from_installed() or ToolSource(f"./tools/{WHEEL_NAME}", "a wheel of the running archive tools "
                                           "(they were not installed from an index or a VCS address)",
                                           build_wheel=True)


def _from_option(spec: str) -> ToolSource:
    path = Path(spec).expanduser()
    if spec.endswith(".whl") and path.is_file():
        return ToolSource(f"./tools/{path.name}", f"the wheel {path}", wheel=path)
    if re.match(r"^(git|hg|svn|bzr)\+", spec, re.I):
        if not _PINNED_VCS.match(spec):
            raise ToolSourceError(f"--tool-source {spec}: pin a tag or commit, e.g. "
                                  "git+https://github.com/OWNER/REPOSITORY@v0.1.0, so every build installs the "
                                  "same tools")
        return ToolSource(f"{DIST} @ {spec}", "--tool-source")
    if _URL.match(spec) and not spec.lower().startswith("file:"):
        return ToolSource(f"{DIST} @ {spec}", "--tool-source")
    raise ToolSourceError(f"--tool-source {spec}: give a pinned VCS address (git+https://...@TAG), the https:// "
                          "address of a wheel, or a wheel file (.whl) on this machine")


def _from_installed() -> ToolSource | None:
    """The requirement PEP 610 records for the installed distribution, when it can be installed
    elsewhere (a VCS commit, a remote archive, an index); None for local and editable installs."""
    try:
        dist = metadata.distribution(DIST)
    except metadata.PackageNotFoundError:
        return None
    if dist.version != __version__ or not _is_running(dist):
        return None
    text = dist.read_text("direct_url.json")
    if text is None:
        return ToolSource(f"{DIST}=={__version__}", "the installed version (from a package index)")
    return requirement_from_direct_url(json.loads(text))


def _is_running(dist: metadata.Distribution) -> bool:
    """Whether the distribution's files are the package running now (not a checkout on PYTHONPATH)."""
    init = next((f for f in dist.files or [] if str(f).replace("\\", "/") == "builder/__init__.py"), None)
    return init is not None and Path(dist.locate_file(init)).resolve() == PACKAGE / "__init__.py"


def requirement_from_direct_url(data: dict) -> ToolSource | None:
    """A pinned requirement from a PEP 610 record, or None when it names only this machine."""
    url = str(data.get("url", ""))
    subdirectory = data.get("subdirectory")
    fragment = f"#subdirectory={subdirectory}" if subdirectory else ""
    vcs = data.get("vcs_info")
    if vcs and vcs.get("commit_id") and not url.startswith("file:"):
        return ToolSource(f"{DIST} @ {vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}{fragment}",
                          "the VCS commit the tools were installed from")
    if "archive_info" in data and re.match(r"^https?://", url, re.I):
        return ToolSource(f"{DIST} @ {url}", "the address the tools were installed from")
    return None


def write_into(source: ToolSource, archive: Path) -> Path | None:
    """Put the wheel the requirement names into ``archive/tools/``; its path, or None."""
    if not (source.wheel or source.build_wheel):
        return None
    folder = archive / "tools"
    folder.mkdir(parents=True, exist_ok=True)
    if source.wheel:
        target = folder / source.wheel.name
        shutil.copyfile(source.wheel, target)
        return target
    target = folder / WHEEL_NAME
    target.write_bytes(running_wheel())
    return target


# ---------------------------------------------------------------------------------------
# a wheel of the running tools
# ---------------------------------------------------------------------------------------

def packaged(installed: str, source: str) -> Path:
    """A file or folder shipped in the package (``builder/<installed>``), or the source tree's
    (``<source>``) when the tools run from a checkout."""
    for candidate in (PACKAGE / installed, PACKAGE.parent / source):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{installed} not found in the installed package")


@functools.lru_cache(maxsize=1)
def running_wheel() -> bytes:
    """A wheel (PEP 427) of the package as it runs, with the same layout as the built one:
    the theme and the archive template inside ``builder/``. Byte-identical for the same files."""
    files = _package_files()
    for name, where in _force_included().items():
        for rel, path in _files_under(name, where):
            files.setdefault(rel, path.read_bytes())
    info = f"news_archive_builder-{__version__}.dist-info"
    meta, entry_points = _metadata()
    files[f"{info}/METADATA"] = meta.encode("utf-8")
    files[f"{info}/entry_points.txt"] = entry_points.encode("utf-8")
    files[f"{info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: news-archive-builder " + __version__.encode()
                              + b"\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
    record = [f"{name},sha256={_digest(data)},{len(data)}" for name, data in files.items()]
    files[f"{info}/RECORD"] = ("\n".join(record + [f"{info}/RECORD,,"]) + "\n").encode("utf-8")
    return _zipped(files)


def _package_files() -> dict[str, bytes]:
    """builder/... -> bytes of every file of the package as it runs (no bytecode)."""
    files: dict[str, bytes] = {}
    for path in sorted(PACKAGE.rglob("*")):
        rel = path.relative_to(PACKAGE)
        if path.is_file() and "__pycache__" not in rel.parts and path.suffix != ".pyc":
            files[f"builder/{rel.as_posix()}"] = path.read_bytes()
    return files


def _force_included() -> dict[str, Path]:
    """What pyproject.toml's force-include puts inside ``builder/``: name there -> where it is."""
    return {"_theme_overrides": packaged("_theme_overrides", "theme_overrides"),
            "_archive_template/contributing.md": packaged("_archive_template/contributing.md",
                                                           "docs/contributing.md"),
            "_archive_template/data.md": packaged("_archive_template/data.md", "docs/data.md"),
            "_archive_template/workflows": packaged("_archive_template/workflows", ".github/workflows")}


def _files_under(name: str, where: Path) -> list[tuple[str, Path]]:
    """(name in the wheel, file) for a force-included file, or each file of a folder, in order."""
    if not where.is_dir():
        return [(f"builder/{name}", where)] if where.is_file() else []
    pairs = [(f"builder/{name}/{path.relative_to(where).as_posix()}", path) for path in sorted(where.rglob("*"))]
    return [(rel, path) for rel, path in pairs if path.is_file() and "__pycache__" not in rel]


def _zipped(files: dict[str, bytes]) -> bytes:
    """The files as a zip whose bytes depend on the files only (fixed time and modes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, _ZIP_TIME)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(entry, data)
    return out.getvalue()


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def _metadata() -> tuple[str, str]:
    """METADATA and entry_points.txt: from the source tree's pyproject.toml when the tools run
    from a checkout (it may differ from what was installed), else the installed distribution's."""
    pyproject = PACKAGE.parent / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == DIST:
            return _metadata_from_pyproject(project)
    dist = metadata.distribution(DIST)
    return dist.read_text("METADATA") or "", dist.read_text("entry_points.txt") or ""


def _metadata_from_pyproject(project: dict) -> tuple[str, str]:
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {__version__}",
             f"Summary: {project.get('description', '')}"]
    if project.get("requires-python"):
        lines.append(f"Requires-Python: {project['requires-python']}")
    lines += [f"Requires-Dist: {req}" for req in project.get("dependencies", [])]
    for extra, reqs in sorted(project.get("optional-dependencies", {}).items()):
        lines.append(f"Provides-Extra: {extra}")
        lines += [f"Requires-Dist: {req}; extra == '{extra}'" for req in reqs]
    return "\n".join(lines) + "\n", _entry_points(project)


def _entry_points(project: dict) -> str:
    """entry_points.txt: the console scripts, then each entry-point group, names sorted."""
    groups = {"console_scripts": project.get("scripts", {}), **project.get("entry-points", {})}
    return "\n".join(f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in sorted(items.items()))
                     for group, items in groups.items() if items)


def theme_overrides_dir() -> Path:
    """The Material overrides shipped with the package (or the source tree's, when run from it)."""
    path = packaged("_theme_overrides", "theme_overrides")
    if not (path / "main.html").is_file():
        raise FileNotFoundError("theme_overrides not found in the installed package")
    return path


def theme_dirs(dirs: list[str], root: Path, custom_dir: str | None) -> list[str]:
    """MkDocs' template folders with the archive's own: the folder mkdocs.yml names as
    ``custom_dir`` (or else a ``theme_overrides/`` folder in the archive, if there is one)
    first, then the package's overrides, then the theme's. A local folder need only hold
    the files it changes."""
    package = theme_overrides_dir().resolve()
    out = list(dirs)
    at = 0
    if custom_dir:
        at = 1
    elif (root / "theme_overrides").is_dir():
        out.insert(0, str((root / "theme_overrides").resolve()))
        at = 1
    if all(Path(d).resolve() != package for d in out):
        out.insert(at, str(package))
    return out
