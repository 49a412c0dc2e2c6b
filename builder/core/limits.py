"""The caps on untrusted input, and the one bounded way to read a file from the corpus.

Every byte under ``corpus/`` arrives by pull request, so each kind of input has a size
past which it is refused (or cut) with a message saying which limit and what to do,
instead of a build that runs for hours or runs out of memory. README's "Limits" section
lists the same numbers.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .models import ERROR, Message

MAX_BYTES = 5 * 1024 * 1024            # one article file: a news article is rarely over 0.1 MB
MAX_FRONT_MATTER_BYTES = 64 * 1024     # the YAML block at the top of an article
MAX_REGISTRY_BYTES = 10 * 1024 * 1024  # people.yml, tags.yml, sources.yml each (50,000 people is ~5 MB)
MAX_REGISTRY_ENTRIES = {"people": 100_000,   # entries in one registry; every tag and outlet is looked
                        "tags": 10_000,       # for in every article, so those lists are shorter
                        "sources": 10_000}
MAX_TAGS = 100                         # tags given in one article's front matter
MAX_PEOPLE = 200                       # people given in one article's front matter
MAX_DATE_CHARS = 400                   # one EDTF date value, e.g. a set {2022-03-01,2022-03-08,...}
MAX_DATE_MEMBERS = 12                  # members of an EDTF set or list (each costs the EDTF parser ~40 ms)


class ReadError(Exception):
    """The file cannot become an article; carries the message to report."""

    def __init__(self, message: Message):
        super().__init__(message.format())
        self.message = message


def read_bytes_limited(path: Path, shown: str, max_bytes: int = MAX_BYTES, what: str = "article") -> bytes:
    """The file's bytes, refusing non-regular files and files over ``max_bytes`` before reading them.

    Opened non-blocking so a named pipe cannot hang the build; at most ``max_bytes + 1``
    bytes are ever read, even if the file grows while it is read (``/dev/zero`` through a
    link included)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except IsADirectoryError:
        raise ReadError(Message(shown, 1, ERROR, "is a folder, not a file: refused", code="file-type")) from None
    except OSError as exc:
        raise ReadError(Message(shown, 1, ERROR, f"cannot read file: {exc.strerror}", code="io")) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ReadError(Message(shown, 1, ERROR, "is a folder, not a file: refused", code="file-type"))
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(Message(shown, 1, ERROR, "not a regular file (a pipe, socket or device): refused",
                                    code="file-type"))
        if info.st_size > max_bytes:
            raise ReadError(Message(shown, 1, ERROR, too_large(info.st_size, max_bytes, what), code="too-large"))
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise ReadError(Message(shown, 1, ERROR, f"cannot read file: {exc.strerror}", code="io")) from None
    if len(data) > max_bytes:
        raise ReadError(Message(shown, 1, ERROR, too_large(len(data), max_bytes, what), code="too-large"))
    return data


def size_text(n: int) -> str:
    """'5 MB', '1.5 MB', '64 KB', '900 bytes'."""
    if n >= 1024 * 1024:
        return f"{n / 1048576:.1f}".removesuffix(".0") + " MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def too_large(size: int, max_bytes: int, what: str = "article") -> str:
    if what == "article":
        return (f"file is {size_text(size)}, over the {size_text(max_bytes)} limit for one article "
                f"(a news article is rarely over 0.1 MB); split it or remove it")
    return f"file is {size_text(size)}, over the {size_text(max_bytes)} limit for a {what}: refused"
