"""The registries archivists edit: ``corpus/people.yml``, ``tags.yml`` and ``sources.yml``.

They are optional; a missing file is an empty registry. Problems are reported as
messages with the file's path and line, never raised, so one bad entry cannot stop a build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import yamlutil
from .models import ERROR, WARNING, Message
from .text import name_key, normalise_space, suggest


@dataclass
class Person:
    name: str
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    wikidata: str = ""
    distinct_from: list[str] = field(default_factory=list)
    line: int = 1


@dataclass
class Tag:
    tag: str
    description: str = ""
    phrases: list[str] = field(default_factory=list)
    line: int = 1


@dataclass
class Source:
    name: str
    url: str = ""
    signatures: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    line: int = 1


@dataclass
class Registry:
    people: list[Person] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    paths: dict[str, str] = field(default_factory=dict)   # kind -> path shown in messages

    def __post_init__(self) -> None:
        self.index()

    def index(self) -> None:
        """Build the lookup tables used by the extract stage."""
        # exact spellings win over spelling-variant keys; a key two people share is ambiguous
        # (None), which is how the registry keeps two similar names apart
        self.person_by_spelling: dict[str, Person] = {}
        self.person_by_key: dict[str, Person | None] = {}
        self.person_by_surname: dict[str, Person | None] = {}
        for person in self.people:
            for spelling in [person.name, *person.aliases]:
                self.person_by_spelling.setdefault(normalise_space(spelling).casefold(), person)
                key = name_key(spelling)
                if self.person_by_key.get(key, person) is not person:
                    self.person_by_key[key] = None
                else:
                    self.person_by_key[key] = person
            words = name_key(person.name).split()
            if len(words) >= 2:
                surname = words[-1]
                if self.person_by_surname.get(surname, person) is not person:
                    self.person_by_surname[surname] = None
                else:
                    self.person_by_surname[surname] = person
        spellings = sorted({s for p in self.people for s in [p.name, *p.aliases]}, key=lambda x: (-len(x), x))
        self.person_pattern = re.compile(
            r"(?<![\w’'-])(?:" + "|".join(r"\s+".join(re.escape(w) for w in s.split()) for s in spellings)
            + r")(?![\w-])") if spellings else None
        self.source_by_name = {s.name.casefold(): s for s in self.sources}
        self.tag_patterns: list[tuple[Tag, re.Pattern[str]]] = []
        for tag in self.tags:
            phrases = tag.phrases or [tag.tag]
            alternatives = "|".join(
                r"\s+".join(re.escape(w) for w in p.split()) for p in sorted(phrases, key=len, reverse=True))
            self.tag_patterns.append((tag, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)))
        self.boilerplate_lines = {normalise_space(b).casefold(): s.name
                                  for s in self.sources for b in s.boilerplate}

    def person(self, spelling: str) -> Person | None:
        """The registry person for a spelling: exact (any case) first, then a spelling variant."""
        exact = self.person_by_spelling.get(normalise_space(spelling).casefold())
        return exact if exact is not None else self.person_by_key.get(name_key(spelling))


FILES = {"people": "people.yml", "tags": "tags.yml", "sources": "sources.yml"}
FIELDS = {
    "people": {"name": str, "aliases": list, "description": str, "wikidata": str, "distinct_from": list},
    "tags": {"tag": str, "description": str, "phrases": list},
    "sources": {"name": str, "url": str, "signatures": list, "boilerplate": list},
}
REQUIRED = {"people": "name", "tags": "tag", "sources": "name"}


def _entries(kind: str, path: Path, shown: str, messages: list[Message]) -> list[dict]:
    """Parse one registry file into a list of raw entries with line numbers."""
    if not path.exists():
        return []
    try:
        data = yamlutil.load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        messages.append(Message(shown, 1, ERROR, f"registry is not valid UTF-8 ({exc.reason})"))
        return []
    except yaml.YAMLError as exc:
        messages.append(Message(shown, yamlutil.error_line(exc), ERROR,
                                f"invalid YAML: {getattr(exc, 'problem', None) or exc}"))
        return []
    if data is None:
        return []
    if isinstance(data, dict) and kind in data:
        items = data[kind]
    else:
        line = data.get(yamlutil.LINE_KEY, 1) if isinstance(data, dict) else 1
        messages.append(Message(shown, line, ERROR, f"expected a mapping with a '{kind}:' list at the top"))
        return []
    if items is None:
        return []
    if not isinstance(items, list):
        messages.append(Message(shown, data["__lines__"].get(kind, 1), ERROR, f"'{kind}' must be a list"))
        return []
    out = []
    for item in items:
        if not isinstance(item, dict):
            messages.append(Message(shown, data["__lines__"].get(kind, 1), ERROR,
                                    f"each entry of '{kind}' must be a mapping, got {item!r}"))
            continue
        out.append(item)
    return out


def _coerce(kind: str, item: dict, shown: str, messages: list[Message]) -> dict | None:
    """Check one entry's fields and types; return clean kwargs or None when unusable."""
    line = item.get(yamlutil.LINE_KEY, 1)
    lines = item.get("__lines__", {})
    fields = FIELDS[kind]
    kwargs: dict = {"line": line}
    for key, value in item.items():
        if key in (yamlutil.LINE_KEY, "__lines__"):
            continue
        if key not in fields:
            hint = suggest(str(key), fields)
            messages.append(Message(shown, lines.get(str(key), line), ERROR,
                                    f"unknown field '{key}' in {kind} entry{hint}"))
            continue
        want = fields[key]
        if value is None:
            continue
        if want is list:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
                messages.append(Message(shown, lines.get(key, line), ERROR, f"'{key}' must be a list of strings"))
                continue
            value = [normalise_space(str(v)) for v in value if str(v).strip()]
        else:
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                messages.append(Message(shown, lines.get(key, line), ERROR, f"'{key}' must be a string"))
                continue
            value = normalise_space(str(value))
        kwargs[key] = value
    required = REQUIRED[kind]
    if not kwargs.get(required):
        messages.append(Message(shown, line, ERROR, f"{kind} entry has no '{required}'"))
        return None
    return kwargs


def load_registry(corpus_dir: Path, shown_root: Path | None = None) -> Registry:
    """Load the three registries from ``corpus_dir``; missing files are empty registries."""
    messages: list[Message] = []
    loaded: dict[str, list] = {"people": [], "tags": [], "sources": []}
    paths: dict[str, str] = {}
    classes = {"people": Person, "tags": Tag, "sources": Source}
    for kind, filename in FILES.items():
        path = corpus_dir / filename
        shown = _shown(path, shown_root)
        paths[kind] = shown
        for item in _entries(kind, path, shown, messages):
            kwargs = _coerce(kind, item, shown, messages)
            if kwargs is not None:
                loaded[kind].append(classes[kind](**kwargs))
    _check_conflicts(loaded, paths, messages)
    return Registry(people=loaded["people"], tags=loaded["tags"], sources=loaded["sources"],
                    messages=messages, paths=paths)


def _check_conflicts(loaded: dict[str, list], paths: dict[str, str], messages: list[Message]) -> None:
    """Duplicate names, and an alias claimed by two people, are errors."""
    owner: dict[str, Person] = {}
    for person in loaded["people"]:
        seen_here: set[str] = set()
        for spelling in [person.name, *person.aliases]:
            key = normalise_space(spelling).casefold()
            if key in seen_here:
                continue
            seen_here.add(key)
            other = owner.get(key)
            if other is not None and other is not person:
                messages.append(Message(paths["people"], person.line, ERROR,
                                        f"'{spelling}' of '{person.name}' is already claimed by "
                                        f"'{other.name}' (line {other.line})"))
            else:
                owner[key] = person
    for kind, attr in (("tags", "tag"), ("sources", "name")):
        seen: dict[str, int] = {}
        for entry in loaded[kind]:
            key = getattr(entry, attr).casefold()
            if key in seen:
                messages.append(Message(paths[kind], entry.line, ERROR,
                                        f"duplicate {attr} '{getattr(entry, attr)}' (first at line {seen[key]})"))
            else:
                seen[key] = entry.line
    for source in loaded["sources"]:
        if source.url and not re.match(r"^https?://[^\s/]+\.[^\s]+$", source.url):
            messages.append(Message(paths["sources"], source.line, WARNING,
                                    f"source '{source.name}' url '{source.url}' is not an http(s) URL"))


def _shown(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()
