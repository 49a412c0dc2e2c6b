"""Nothing changed: a build whose every input equals the last successful build's keeps the site.

At 10,000 articles a build that changes nothing still reads every cache entry, renders every
page's Markdown, walks MkDocs over every page and writes a new site of the same bytes: a minute
or more. The inputs of a build are few and cheap to fingerprint: the tool (its code and data,
Python and every installed package's version), the MkDocs configuration as loaded (so the
environment variables it reads too), every file under the corpus, docs/ and theme folders, and
the command's options. When they equal what the last successful build recorded, and the site it
wrote is still the one on disk (no file added or removed, each with the size, modification time
and inode recorded), ``archive build`` prints that build's report again and leaves the site alone.

No shortcut, so a full build: under a plugin the archive does not know (its effect may depend on
anything), when a symbolic link lies under one of those folders (its target may have changed),
after a build that logged a MkDocs warning of its own (a strict build must see it again), and
when the record is missing, damaged, or not signed with this machine's key (``reuse.secret``,
as for page reuse: a record restored from elsewhere shortcuts nothing). The record lives in
``.cache/build/`` and is the builder's own; deleting it costs one full build.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from ..core.limits import MAX_REGISTRY_BYTES
from ..core.models import Message
from ..pipeline import CorpusResult, FileResult, Project
from . import reuse

FORMAT = 1
RECORD = Path(".cache") / "build" / "unchanged.json"


class _Link(Exception):
    """A symbolic link where inputs are read: no shortcut."""


def _hash_folder(h, folder: Path) -> None:
    """Every file's path and bytes under ``folder``, without following links (a link stops the shortcut)."""
    if folder.is_symlink():
        raise _Link(folder)
    if not folder.is_dir():
        h.update(b"-\0")
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = Path(dirpath, name)
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode):
                raise _Link(path)
            if name in filenames:
                h.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape") + b"\0")
                h.update(_file_digest(path, st))


def _file_digest(path: Path, st: os.stat_result) -> bytes:
    """A regular file's bytes hashed; any other file (a named pipe or a device would block or
    never end) and a file over every size limit (refused by the build unread) by its metadata."""
    if stat.S_ISREG(st.st_mode) and st.st_size <= MAX_REGISTRY_BYTES:
        return hashlib.sha256(path.read_bytes()).digest()
    return f"{st.st_mode:o} {st.st_size} {st.st_mtime_ns} {st.st_ino}".encode()


def _tool(h) -> None:
    """This package's code and data, Python, and the version of every installed package."""
    h.update(sys.version.encode())
    versions = sorted(f"{d.metadata['Name']} {d.version}" for d in metadata.distributions() if d.metadata["Name"])
    h.update("\n".join(versions).encode())
    reuse._hash_tree(h, Path(__file__).resolve().parents[1], reuse.PACKAGE_DOCS)


def _theme_folders(project: Project, config) -> list[str]:
    """The template folders the build will use (the plugin adds the archive's own and a local
    ``theme_overrides/`` when the configuration is used), but Material's: its version is hashed."""
    from ..core.toolsource import theme_dirs

    dirs = list(config.theme.dirs)
    if config.theme.name == "material":
        dirs = theme_dirs(dirs, project.root, config.theme.custom_dir)
    material = Path(__import__("material").__file__).resolve().parent
    return [d for d in dirs if not Path(d).resolve().is_relative_to(material)] + [str(project.root / "theme_overrides")]


def inputs_key(project: Project, config, strict: bool, site: Path) -> str | None:
    """One hash of everything the build reads, or None when no shortcut may be taken."""
    if not set(config.plugins) <= reuse.KNOWN_PLUGINS:
        return None
    plugin = config.plugins.get("archive")
    if plugin is None or not plugin.config.generate:
        return None
    h = hashlib.sha256(f"unchanged format {FORMAT}\n".encode())
    try:            # first: a link stops the shortcut before anything reads through it
        for folder in (project.root / plugin.config.corpus_dir, Path(config.docs_dir), *_theme_folders(project, config)):
            _hash_folder(h, Path(folder))
    except _Link:
        return None
    _tool(h)
    h.update(reuse.shared_fingerprint(config, set()).encode())   # config values, theme folders, docs/
    options = {name: dict(p.config) for name, p in config.plugins.items()}
    h.update(reuse.root_relative(json.dumps(options, sort_keys=True, default=str), config).encode())
    h.update(json.dumps([strict, _relative(project, site), os.environ.get("SOURCE_DATE_EPOCH")]).encode())
    return h.hexdigest()


def _relative(project: Project, site: Path) -> str:
    try:
        return site.relative_to(project.root.absolute()).as_posix()
    except ValueError:
        return site.as_posix()


def site_files(site: Path) -> dict[str, list[int]]:
    """Every entry under the site: its size, modification time and inode (a changed, replaced,
    added or removed file shows). Paths are joined as text (``Path`` per entry cost a second at
    60,000 files)."""
    out: dict[str, list[int]] = {}
    stack = [(os.fspath(site), "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                st = entry.stat(follow_symlinks=False)
                rel = prefix + entry.name
                out[rel] = [st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode]
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, rel + "/"))
    return out


def _mac(data: dict, key: bytes) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
    return hmac.new(key, text, hashlib.sha256).hexdigest()


def save(project: Project, key: str, site: Path) -> None:
    """Record a successful build's inputs and the site it left (atomically; signed)."""
    secret = reuse.secret()
    if secret is None:
        return
    data = {"format": FORMAT, "key": key, "site": _relative(project, site), "files": site_files(site)}
    folder = project.root / RECORD.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".unchanged-", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({**data, "mac": _mac(data, secret)}))     # dumps: json.dump encodes in Python
    os.replace(tmp, project.root / RECORD)


def forget(project: Project) -> None:
    """The next build is a full one (this build failed, or logged a warning of MkDocs' own)."""
    (project.root / RECORD).unlink(missing_ok=True)


def unchanged(project: Project, key: str | None, site: Path) -> bool:
    """Whether the last successful build had these inputs and left the site that is on disk."""
    secret = reuse.secret()
    if key is None or secret is None or not site.is_dir():
        return False
    try:
        stored = json.loads((project.root / RECORD).read_text(encoding="utf-8"))
        mac = stored.pop("mac")
        if not isinstance(mac, str) or not hmac.compare_digest(_mac(stored, secret), mac):
            return False
        same = stored["format"] == FORMAT and stored["key"] == key and stored["site"] == _relative(project, site)
        return same and stored["files"] == site_files(site)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return False


def _message(d: dict) -> Message:
    return Message(d["path"], d["line"], d["severity"], d["message"], column=d["column"], code=d["code"])


def last_result(site: Path) -> CorpusResult:
    """The corpus result of the build that wrote ``site``, from its ``build-report.json``."""
    report = json.loads((site / "build-report.json").read_text(encoding="utf-8"))
    files = [FileResult(f["path"], f["id"], f["fate"], [_message(m) for m in f["messages"]]) for f in report["files"]]
    return CorpusResult(records=[], files=files, messages=[_message(m) for m in report["registries"]],
                        ignored=list(report.get("ignored", [])))
