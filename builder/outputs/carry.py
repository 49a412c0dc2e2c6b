"""Output files carried over from the previous site: a file whose bytes are exactly the previous
build's is hard-linked from there instead of written again.

A build writes into a new folder, so each of the 18,000 feeds and 20,000 search files of a
10,000-article archive would otherwise be written again after one added article (writing a
small file costs several times reading one). A link also keeps the file's inode, size and
modification time, by which the site zip knows an entry it can copy (``export.py``). The
previous site is only read and linked from, never written: a file here is replaced, never
written into (it may be such a link).
"""

from __future__ import annotations

import os
from pathlib import Path


def holds(path: Path, data: bytes) -> bool:
    """Whether the file ``path`` holds exactly ``data`` (a size check first: most changed files differ in size)."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as file:
            return file.read() == data
    except OSError:
        return False


def put(path: Path, data: bytes, previous: Path | None = None) -> bool:
    """``path`` gets ``data``: left alone when it holds them already, a hard link to ``previous``
    when that file holds them, else a new file; -> whether bytes were written."""
    if holds(path, data):
        return False
    linked = previous is not None and holds(previous, data) and _link(previous, path)
    if linked:
        return False
    path.unlink(missing_ok=True)
    with open(path, "wb") as file:
        file.write(data)
    return True


def _link(source: Path, target: Path) -> bool:
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:                     # another file system, or one without hard links
        return False
    return True
