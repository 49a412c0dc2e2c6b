"""What the output steps keep between builds under ``.cache/outputs/``: signed JSON, so an output
costs in proportion to what changed since the last build.

Each step (the feeds, the data files, the search index) keeps one JSON file of what it made, keyed
by paths and ids relative to the site and the archive (an archive moved to another folder keeps
them). The file is signed with the page-reuse key (``builder/mkdocs/reuse.py``, kept outside the
archive), as the site zip's stamps are: a ``.cache/`` restored from elsewhere, or written by
someone who cannot read that key, is never trusted, and a missing, damaged or foreign file only
means the step computes everything again. Without a key nothing is kept or read. JSON only:
nothing loaded from here can run code or hold a value of a type the steps do not check.

``record_keys`` gives each article a key of its whole record (its article page's key in the page
plan), made once per build for every step that asks.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path

from ..core.cache import Cache

FOLDER = "outputs"          # under .cache/
_MAGIC = b"archive-outputs-v1\n"


def state_path(cache: Path | None, name: str) -> Path | None:
    return Path(cache, FOLDER, name) if cache else None


def _mac(key: bytes, name: str, version: str, body: bytes) -> str:
    head = f"{name}\0{version}\0".encode("utf-8")
    return hmac.new(key, b"outputs\0" + head + body, hashlib.sha256).hexdigest()


def load(path: Path | None, key: bytes | None, version: str) -> dict | None:
    """The state kept at ``path`` by a build of the same ``version`` of the step, when its
    signature is ``key``'s; else None (the step computes everything)."""
    if path is None or not key:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(_MAGIC):
        return None
    mac, _, body = data[len(_MAGIC):].partition(b"\n")
    if not hmac.compare_digest(mac, _mac(key, path.name, version, body).encode("ascii")):
        return None
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def save(path: Path | None, key: bytes | None, version: str, value: dict) -> None:
    """Keep ``value`` for the next build, atomically, as every cache entry is written
    (``core.cache``): a cache folder that cannot be written only means nothing is kept."""
    if path is None or not key:
        return
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    Cache.at(path.parent).put_file(path.name, _MAGIC + _mac(key, path.name, version, body).encode("ascii") + b"\n" + body)


def stamp(path) -> list[int] | None:
    """What tells one version of a file from another without reading it (inode, size, time): the
    builder replaces output files, never writes into them."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def link(source, target) -> bool:
    """``target`` becomes a hard link to ``source``; False when it cannot (then nothing changed
    but a file at ``target`` that was there may be gone: the caller writes it)."""
    try:
        os.unlink(target)
    except FileNotFoundError:
        pass
    except OSError:
        return False
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def linked(entry, key: str, previous, path) -> bool:
    """Link ``previous`` (a file of the site this build replaces, never the one being written) at
    ``path`` when the last build wrote it from ``key`` and it is still the very file written
    (``entry``: [key, stamp]); -> whether it was linked. The file is not read: the signed state
    vouches for its bytes."""
    if previous is None or not (isinstance(entry, list) and len(entry) == 2 and entry[0] == key):
        return False
    return entry[1] is not None and stamp(previous) == entry[1] and link(previous, path)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def version() -> str:
    """The code the outputs depend on: the rendering code's version (``pageplan.render_version``:
    every module of builder/outputs and what they import, the YAML emitter, Python), made once
    per build for the pages already."""
    from .pageplan import render_version

    return render_version()


def record_keys(archive, pages=None) -> dict[str, str]:
    """Article id -> a key of its whole record, made once per archive value for every output step
    that asks: its article page's key when ``pages`` (``pageplan.Pages``) has one (the page plan
    keys each page by its record, story and links: a page key unchanged is a record unchanged),
    else the page plan's ``fingerprint`` of the record."""
    known = archive.__dict__.get("_output_record_keys")
    if known is None:
        from .pageplan import fingerprint

        known = {}
        for r in archive.records:
            key = _page_key(pages, f"articles/{r.id}.md")
            known[r.id] = key if isinstance(key, str) else fingerprint(r)
        archive.__dict__["_output_record_keys"] = known
    return known


def _page_key(pages, path: str) -> str | None:
    try:
        return pages.key(path) if pages is not None and path in pages else None
    except (AttributeError, KeyError, TypeError):
        return None
