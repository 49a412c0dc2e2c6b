"""The last build's data files reused piece by piece: an article's CSV or JSON line, a table's
entry, taken from the previous site's file instead of made again.

What ``.cache/outputs/data.json`` keeps (``memo.py``, signed) is small: for each data file, the
SHA-256 of its bytes and, for each piece, its key (the article's record key, or the digest of the
table entry's compact JSON), where it starts and how long it is. The bytes stay in the previous
site's file, read once and checked against the digest: a file changed, missing or another build's
gives no pieces, and everything in it is made again.
"""

from __future__ import annotations

import hashlib
import os


def old_pieces(previous, files: dict) -> dict[str, bytes]:
    """key -> bytes of every piece of the previous site's data files (``previous``: its data
    folder) whose bytes are those the state's digest names."""
    found: dict[str, bytes] = {}
    if previous is None or not isinstance(files, dict):
        return found
    for name, entry in files.items():
        if not (isinstance(name, str) and "/" not in name and isinstance(entry, dict)):
            continue
        try:
            with open(os.path.join(previous, name), "rb") as file:
                data = file.read()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() != entry.get("sha") or not isinstance(entry.get("pieces"), list):
            continue
        for piece in entry["pieces"]:
            if isinstance(piece, list) and len(piece) == 3:
                key, start, length = piece
                found[key] = data[start:start + length]
    return found


def assemble() -> dict:
    """An empty file being put together: its parts, its length so far, its pieces."""
    return {"parts": [], "size": 0, "pieces": []}


def add(made: dict, blob: bytes, key: str | None = None) -> None:
    """Append ``blob``; with a ``key``, as a piece the next build may take back."""
    if key is not None:
        made["pieces"].append([key, made["size"], len(blob)])
    made["parts"].append(blob)
    made["size"] += len(blob)


def finish(made: dict, name: str, kept: dict) -> bytes:
    """The file's bytes; its digest and pieces recorded under ``name`` in ``kept``."""
    data = b"".join(made["parts"])
    kept[name] = {"sha": hashlib.sha256(data).hexdigest(), "pieces": made["pieces"]}
    return data
