"""The extraction cache: what one article yields, stored once per text under ``.cache/``.

Reading, cleaning and named-entity recognition of an article are a pure function of its
bytes, the path it is shown under, the part of the registries the clean stage reads and the
extractor's version (this package's code and the spaCy model). Their result is kept as one
JSON file per article, named by the SHA-256 of exactly those inputs, so a second build, a
``check``, an ``inspect`` or ``serve`` after a save never runs NER on a text it has seen.

JSON rather than pickle: loading a cache entry never runs code, even if someone else could
write into ``.cache/`` (a shared checkout, a CI cache restored from elsewhere), and an entry
can be read by eye. Entries are written to a temporary file and renamed into place
(``os.replace`` is atomic), so two builds at once or a build killed mid-write leave either
the old entry, the new one, or none; a truncated or otherwise unreadable entry is ignored
and recomputed. The folder is safe to delete at any time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import functools
import hashlib
import json
import os
import tempfile
import types
import typing
from pathlib import Path
from typing import Any

CACHE_DIR = ".cache"
# the layout and meaning of an entry; bump when the stored fields change
FORMAT = 1


def digest(*parts: Any) -> str:
    """SHA-256 of a canonical JSON rendering of ``parts`` (bytes are hashed, not embedded)."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, (bytes, bytearray, memoryview)):
            h.update(b"b")
            h.update(hashlib.sha256(part).digest())
        else:
            h.update(b"j")
            # ASCII escapes keep undecodable file names (lone surrogates) hashable and storable
            h.update(json.dumps(part, sort_keys=True, separators=(",", ":")).encode())
    return h.hexdigest()


def _module_path(name: str, here: Path) -> Path | None:
    """The source of ``name`` ("pipeline", "people", "people.resolve") in this package, if any."""
    base = here.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _relative_targets(node, package: list[str]) -> list[str]:
    """The modules of this package a relative ``from ... import`` names: the module it imports
    from, the packages that hold it (they run first), and each imported name that is a module."""
    if node.level > len(package) + 1:
        return []
    base = package[:len(package) - node.level + 1]
    stem = base + (node.module.split(".") if node.module else [])
    out = [".".join(stem[:i]) for i in range(1, len(stem) + 1)]
    return out + [".".join(stem + [alias.name]) for alias in node.names]


def _imported_modules(module: str, here: Path) -> set[str]:
    """``module`` and every module of this package it imports, directly or not (relative
    imports, at the top or inside functions), read from the sources without importing them;
    a module inside a subpackage is named with dots ("people.resolve")."""
    import ast

    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        path = _module_path(name, here) if name else None
        if name in seen or path is None:
            continue
        seen.add(name)
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level >= 1:
                todo += _relative_targets(node, package)
    return seen


def _module_name(path: Path, here: Path) -> str:
    """"people.resolve" for here/people/resolve.py, "people" for here/people/__init__.py."""
    parts = list(path.relative_to(here).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.lru_cache(maxsize=None)
def code_version(entry: str = "pipeline") -> str:
    """The extractor's version: a hash of the sources of ``entry`` (a module of this package)
    and of every module it imports, and of the package's data files. Any change to the rules
    invalidates what they produced (no version number to forget), while a change to how pages
    look (render, the plugin, search) leaves the cache of ten thousand articles valid."""
    here = Path(__file__).resolve().parents[1]      # the builder package
    modules = _imported_modules(entry, here)
    h = hashlib.sha256(f"format {FORMAT}".encode())
    for path in sorted(here.rglob("*")):
        if _versioned(path, here, modules):
            h.update(path.relative_to(here).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]


def _versioned(path: Path, here: Path, modules: set[str]) -> bool:
    """Whether a file of the package is part of the extractor: one of ``modules``, or a data file."""
    if not path.is_file() or "__pycache__" in path.parts:
        return False
    if path.suffix == ".py":
        return _module_name(path, here) in modules
    return path.suffix in (".txt", ".yml", ".yaml", ".json") and path.relative_to(here).parts[0] in ("data", "schemas")


def file_version(path: Path) -> str:
    """A hash of one source file (the part of the extractor a kind of entry depends on)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


class Cache:
    """One folder of JSON entries, ``<root>/.cache/extract/<2 hex>/<key>.json``.

    ``get`` returns None for a missing, truncated or foreign entry; ``put`` never leaves a
    partial file under the entry's name. ``Cache(None)`` stores nothing. ``hits`` and ``misses`` count this run's lookups."""

    def __init__(self, root: Path | None, read_only: bool = False) -> None:
        self.folder = Path(root) / CACHE_DIR / "extract" if root is not None else None
        self.read_only = read_only      # ``archive add --dry-run`` writes nothing, not even here
        self.hits = 0
        self.misses = 0

    @classmethod
    def at(cls, folder: Path | str | None, read_only: bool = False) -> Cache:
        """A cache in ``folder`` itself (None: a cache that stores nothing)."""
        cache = cls(None, read_only)
        cache.folder = Path(folder) if folder is not None else None
        return cache

    def sibling(self, name: str) -> Cache:
        """Another kind of entry beside this one (``.cache/<name>``), as writable as this one."""
        return Cache.at(self.folder.parent / name if self.folder is not None else None, self.read_only)

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        if self.folder is None:
            return None
        try:
            with open(self._path(key), "rb") as handle:
                entry = json.loads(handle.read())
            if not isinstance(entry, dict) or entry.get("key") != key or entry.get("format") != FORMAT \
                    or not isinstance(entry.get("value"), dict):
                raise ValueError("not an entry for this key")
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            self.misses += 1
            return None
        self.hits += 1
        return entry["value"]

    def put(self, key: str, value: dict) -> None:
        """Store ``value`` under ``key`` atomically; a cache that cannot be written is skipped."""
        if self.folder is None or self.read_only:
            return
        data = json.dumps({"format": FORMAT, "key": key, "value": value}, separators=(",", ":")).encode()
        self._write(self._path(key), data)

    def put_file(self, name: str, data: bytes) -> None:
        """Store ``data`` as the file ``name`` of this folder (one file for a whole archive's
        entries of a kind), atomically; skipped like ``put``."""
        if self.folder is None or self.read_only:
            return
        self._write(self.folder / name, data)

    def _write(self, path: Path, data: bytes) -> None:
        """``data`` into ``path`` through a temporary file renamed into place (atomic)."""
        key = path.stem
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}-", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            pass    # a read-only checkout still builds, only without a cache



# ---------------------------------------------------------------------------------------
# dataclasses <-> JSON, guided by their type hints
# ---------------------------------------------------------------------------------------

def encode(value: Any) -> Any:
    """A dataclass tree as JSON values (Enums by value, Paths as text). A field that is no
    constructor argument (``init=False``) is left out: ``decode`` could not give it back, so its
    owner stores it in a form of its own."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, Path):
        return value.as_posix()
    return value


def decode(kind: Any, data: Any) -> Any:
    """The inverse of ``encode`` for type ``kind``; raises ValueError on data of another shape."""
    return _decoder(kind)(data)


def _identity(data: Any) -> Any:
    return data


@functools.lru_cache(maxsize=None)
def _decoder(kind: Any):
    """A function that decodes JSON values of type ``kind``, made once per type (reading a
    cache of thousands of articles calls it millions of times)."""
    if kind is Any or kind is None:
        return _identity
    make = _BY_ORIGIN.get(typing.get_origin(kind))
    if make is not None:
        return make(kind)
    if isinstance(kind, type):
        return _class_decoder(kind)
    return _identity


def _optional_decoder(kind: Any):
    """``X | None``: None stays None; a union of two real types is not decoded."""
    args = [a for a in typing.get_args(kind) if a is not type(None)]
    if len(args) != 1:
        return _identity
    inner = _decoder(args[0])
    return lambda data: None if data is None else inner(data)


def _list_decoder(kind: Any):
    (arg,) = typing.get_args(kind) or (Any,)
    inner = _decoder(arg)

    def a_list(data):
        if not isinstance(data, list):
            raise ValueError(f"expected a list for {kind}")
        return data if inner is _identity else [inner(v) for v in data]
    return a_list


def _dict_decoder(kind: Any):
    inner = _decoder((typing.get_args(kind) or (Any, Any))[1])

    def a_dict(data):
        if not isinstance(data, dict):
            raise ValueError(f"expected a mapping for {kind}")
        return dict(data) if inner is _identity else {k: inner(v) for k, v in data.items()}
    return a_dict


def _tuple_decoder(kind: Any):
    inners = [_decoder(a) for a in typing.get_args(kind)]
    return lambda data: tuple(f(v) for f, v in zip(inners, data, strict=True))


# generic types by their origin (``list[str]`` -> list)
_BY_ORIGIN = {typing.Union: _optional_decoder, types.UnionType: _optional_decoder, list: _list_decoder,
              dict: _dict_decoder, tuple: _tuple_decoder}


def _class_decoder(kind: type):
    """A dataclass field by field; an Enum or Path from its value; a scalar checked for its type."""
    if dataclasses.is_dataclass(kind):
        return _dataclass_decoder(kind)
    if issubclass(kind, enum.Enum) or issubclass(kind, Path):
        return kind
    if kind in (int, float, str, bool):
        return _scalar_decoder(kind)
    return _identity


def _dataclass_decoder(kind: type):
    hints = _hints(kind)
    fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(kind) if f.init]

    def a_dataclass(data):
        if not isinstance(data, dict):
            raise ValueError(f"expected a mapping for {kind.__name__}")
        return kind(**{name: f(data[name]) for name, f in fields if name in data})
    flat = _flat_fields(kind, hints)
    return a_dataclass if flat is None else _flat_decoder(kind, flat, a_dataclass)


def _flat_fields(kind: type, hints: dict[str, Any]) -> list[tuple[str, tuple[type, ...] | None]] | None:
    """(name, the types its value may have, or None for any) of each field of a dataclass made of
    text, numbers and values of any type only (an entity, a line, a mention, a message: tens of
    them per article); None for any other dataclass, and for one whose ``__init__`` does more than
    set its fields."""
    fields = dataclasses.fields(kind)
    if "__slots__" in vars(kind) or hasattr(kind, "__post_init__") or not all(f.init for f in fields):
        return None
    out = []
    for f in fields:
        hint = hints[f.name]
        if hint not in _SCALARS and hint is not Any:
            return None
        out.append((f.name, _SCALARS.get(hint)))
    return out


# a scalar field's type -> the types of the JSON values it accepts (``_scalar_decoder``'s rule)
_SCALARS: dict[Any, tuple[type, ...]] = {str: (str,), int: (int,), bool: (bool,), float: (float, int)}


def _flat_decoder(kind: type, fields: list[tuple[str, tuple[type, ...] | None]], general):
    """A flat dataclass (``_flat_fields``) made without its ``__init__`` when the mapping has
    exactly its fields, each value of its type: the same object ``general`` makes, in a third of
    the time (reading a large archive's cache makes hundreds of thousands). Anything else,
    a missing field or a value of another type, goes to ``general``, which fills in defaults or
    raises ValueError as before."""
    names = frozenset(name for name, _ in fields)
    checked = [(name, types) for name, types in fields if types is not None]
    make = object.__new__

    def a_flat_dataclass(data):
        if type(data) is not dict or data.keys() != names \
                or not all(isinstance(data[name], types) for name, types in checked):
            return general(data)
        obj = make(kind)
        obj.__dict__.update(data)
        return obj
    return a_flat_dataclass


def _scalar_decoder(kind: type):
    def a_scalar(data):
        if not isinstance(data, kind) and not (kind is float and isinstance(data, int)):
            raise ValueError(f"expected {kind.__name__}, got {type(data).__name__}")
        return data
    return a_scalar


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def is_plain(value: Any, depth: int = 0) -> bool:
    """True when JSON keeps ``value`` exactly (text-keyed mappings, lists, text, numbers,
    booleans, None): front matter with YAML sets, binary or number keys is not cached."""
    if depth > 50:
        return False
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, list):
        return all(is_plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_plain(v, depth + 1) for k, v in value.items())
    return False
