"""The registries archivists edit: ``corpus/people.yml``, ``tags.yml`` and ``sources.yml``.

They are optional; a missing file is an empty registry. Each file is validated against its
published JSON Schema (``builder/schemas/``); problems are reported as messages with the
file's path, line and column, never raised, so one bad entry cannot stop a build.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import collector, schema, yamlutil
from .models import ERROR, WARNING, Message
from .limits import MAX_REGISTRY_BYTES, MAX_REGISTRY_ENTRIES, ReadError, read_bytes_limited
from .text import (ascii_fold, drop_controls, drop_invisible, has_line_break, name_key, normalise_name,
                   normalise_space, one_line)


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
class NotPerson:
    """A name the model takes for a person's that is not (a firm, a work, a place): listed by an
    archivist under ``not_people:`` in people.yml, it never gets a person page."""
    name: str
    line: int = 1


@dataclass
class Registry:
    people: list[Person] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    paths: dict[str, str] = field(default_factory=dict)   # kind -> path shown in messages
    not_people: list[NotPerson] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.index()

    def index(self) -> None:
        """Build the lookup tables used by the extract stage."""
        self._index_people()
        self.person_pattern = _spellings_pattern(self.people)
        self.not_person_by_key = {name_key(n.name): n for n in self.not_people}
        self.source_by_name = {s.name.casefold(): s for s in self.sources}
        self.tag_patterns: list[tuple[Tag, re.Pattern[str]]] = [(tag, _tag_pattern(tag)) for tag in self.tags]
        self.boilerplate_lines = {normalise_space(b).casefold(): s.name
                                  for s in self.sources for b in s.boilerplate}

    def _index_people(self) -> None:
        """Exact spellings win over spelling-variant keys; a key (or surname) two people share is
        ambiguous (None), which is how the registry keeps two similar names apart."""
        self.person_by_spelling: dict[str, Person] = {}
        self.person_by_key: dict[str, Person | None] = {}
        self.person_by_surname: dict[str, Person | None] = {}
        for person in self.people:
            for spelling in [person.name, *person.aliases]:
                self.person_by_spelling.setdefault(normalise_space(spelling).casefold(), person)
                _claim(self.person_by_key, name_key(spelling), person)
            words = name_key(person.name).split()
            if len(words) >= 2:
                _claim(self.person_by_surname, words[-1], person)

    def person(self, spelling: str) -> Person | None:
        """The registry person for a spelling: exact (any case) first, then a spelling variant."""
        exact = self.person_by_spelling.get(normalise_space(spelling).casefold())
        return exact if exact is not None else self.person_by_key.get(name_key(spelling))


def _claim(table: dict[str, Person | None], key: str, person: Person) -> None:
    """``key`` leads to ``person``, unless another person has it too: then to no one (None)."""
    table[key] = person if table.get(key, person) is person else None


def _words_pattern(phrase: str) -> str:
    """A phrase as a pattern whose words any run of whitespace separates."""
    return r"\s+".join(re.escape(w) for w in phrase.split())


def _spellings_pattern(people: list[Person]) -> re.Pattern[str] | None:
    """Every registry spelling (ASCII-folded, the longest first) as whole words, or None."""
    spellings = sorted({ascii_fold(s) for p in people for s in [p.name, *p.aliases]}, key=lambda x: (-len(x), x))
    if not spellings:
        return None
    return re.compile(r"(?<![\w’'-])(?:" + "|".join(map(_words_pattern, spellings)) + r")(?![\w-])")


def _tag_pattern(tag: Tag) -> re.Pattern[str]:
    """A tag's phrases (else its name), the longest first, as whole words in any case."""
    phrases = tag.phrases or [tag.tag]
    alternatives = "|".join(map(_words_pattern, sorted(phrases, key=len, reverse=True)))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


FILES = {"people": "people.yml", "tags": "tags.yml", "sources": "sources.yml"}
FIELDS = {
    "people": {"name": str, "aliases": list, "description": str, "wikidata": str, "distinct_from": list},
    "tags": {"tag": str, "description": str, "phrases": list},
    "sources": {"name": str, "url": str, "signatures": list, "boilerplate": list},
}
REQUIRED = {"people": "name", "tags": "tag", "sources": "name"}
# top-level lists of plain names beside a registry's entries
LISTS = {"people": ("not_people",)}


def _entries(kind: str, path: Path, shown: str, messages: list[Message],
             root: Path | None = None, lists: dict | None = None) -> list[tuple[dict, yaml.Node | None]]:
    """Parse one registry file, validate it against its published schema (``builder/schemas/``)
    and return its entries as (raw entry, YAML node) pairs.

    The file must be a regular file inside the archive folder (never a link to a key file, a
    device or a folder) and under MAX_REGISTRY_BYTES; it is never read otherwise, and a file
    that is not YAML is reported by line and column only, never quoted."""
    text = _registry_text(path, shown, root, messages)
    parsed = _parse(text, shown, messages) if text is not None else None
    if parsed is None or not _is_registry(kind, parsed[1], shown, messages):
        return []
    node, data = parsed
    messages += schema.validate(kind, yamlutil.strip_lines(data), node, shown)
    if lists is not None:
        for key in LISTS.get(kind, ()):
            lists[key] = _scalar_list(node, data, key, MAX_REGISTRY_ENTRIES[kind])
    if not isinstance(data.get(kind), list):
        return []
    return _capped_entries(kind, node, data[kind], shown, messages)


def _registry_text(path: Path, shown: str, root: Path | None, messages: list[Message]) -> str | None:
    """The file's text, or None: missing (an empty registry), in the wrong place, too big, not UTF-8."""
    if not os.path.lexists(path):
        return None
    problem = _place_problem(path, root)
    if problem:
        messages.append(Message(shown, 1, ERROR, problem, code="registry"))
        return None
    try:
        data = read_bytes_limited(path, shown, MAX_REGISTRY_BYTES, what="registry")
    except ReadError as exc:
        messages.append(dataclasses.replace(exc.message, code="registry"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        messages.append(Message(shown, line, ERROR, f"registry is not valid UTF-8 ({exc.reason}); save it as "
                                "UTF-8", code="registry"))
        return None


def _parse(text: str, shown: str, messages: list[Message]) -> tuple[yaml.Node, object] | None:
    """(YAML node, value) of the text, or None with a message saying where it is not YAML."""
    try:
        node = yamlutil.compose(text)
        return node, yamlutil.construct(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        messages.append(Message(shown, yamlutil.error_line(exc), ERROR,
                                f"invalid YAML: {yamlutil.error_problem(exc)}",
                                column=mark.column + 1 if mark is not None else 1, code="registry"))
    except RecursionError:
        messages.append(Message(shown, 1, ERROR, "registry is nested too deeply to read", code="registry"))
    return None


def _is_registry(kind: str, data, shown: str, messages: list[Message]) -> bool:
    """Whether the value is a mapping (an empty file is an empty registry, without a message)."""
    if data is None:
        return False
    if isinstance(data, dict):
        return True
    # the file is not a registry at all (perhaps not even meant as YAML): say so, never quote it
    what = "a list without the '{kind}:' key above it" if isinstance(data, list) else "a single value"
    messages.append(Message(shown, 1, ERROR, f"not a registry: the file must hold one '{kind}:' list, and "
                            f"it holds {what.format(kind=kind)}", code="registry"))
    return False


def _capped_entries(kind: str, node: yaml.Node, items: list, shown: str,
                    messages: list[Message]) -> list[tuple[dict, yaml.Node | None]]:
    """The first MAX_REGISTRY_ENTRIES mappings of the list, each with its node (an error says
    when entries were left out)."""
    cap = MAX_REGISTRY_ENTRIES[kind]
    if len(items) > cap:
        messages.append(Message(shown, 1, ERROR, f"{len(items):,} entries, over the limit of {cap:,}: only "
                                f"the first {cap:,} are used", code="registry"))
    seq = _value_node(node, kind)
    nodes = seq.value if isinstance(seq, yaml.SequenceNode) else []
    return [(item, nodes[i] if i < len(nodes) else None)
            for i, item in enumerate(items[:cap]) if isinstance(item, dict)]


def _value_node(node: yaml.Node, key: str) -> yaml.Node | None:
    """The node of ``key``'s value in a mapping node (None when there is none)."""
    items = node.value if isinstance(node, yaml.MappingNode) else []
    return next((v for k, v in items if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _is_scalar(value) -> bool:
    """A string or number (YAML's true and false are not text)."""
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _listed(value):
    """A single string or number where a list is expected counts as a list of one."""
    return [value] if _is_scalar(value) else value


def _scalar_list(node: yaml.Node, data: dict, key: str, cap: int) -> list[tuple[str, int]]:
    """(text, line) of each string of a top-level list such as ``not_people:``; the schema has
    reported anything else in it."""
    value = _listed(data.get(key))
    if not isinstance(value, list):
        return []
    seq = _value_node(node, key)
    nodes = seq.value if isinstance(seq, yaml.SequenceNode) else [seq] if seq is not None else []
    return [(normalise_space(str(item)), _node_line(nodes, i))
            for i, item in enumerate(value[:cap]) if _is_scalar(item) and str(item).strip()]


def _node_line(nodes: list, i: int) -> int:
    """The line of the i-th node, 1 when there is none."""
    return nodes[i].start_mark.line + 1 if i < len(nodes) and nodes[i] is not None else 1


def _place_problem(path: Path, root: Path | None) -> str | None:
    """Why a registry path cannot be read: it leads outside the archive, or is not a file."""
    if root is not None:
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            return "broken symbolic link: the registry it points to does not exist"
        except (OSError, RuntimeError):
            return "symbolic link that loops back on itself: refused"
        if not target.is_relative_to(root.resolve()) or target.is_relative_to(root.resolve() / ".git"):
            return ("leads outside the archive folder (a symbolic link, or a corpus folder that is one): "
                    "refused, never read; put the registry itself here")
    if path.is_dir():
        return "is a folder, not a registry file: remove it or put the YAML file here"
    return None


NAME_KEYS = ("name", "aliases", "tag")     # keyed names: one spelling each (text.normalise_name)


def _one_line(key: str, value: str, changed: set[str]) -> str:
    """A registry value as one line (every field is), names in their normalised spelling;
    ``changed`` collects which field changed beyond whitespace, for the warning."""
    clean = normalise_name(value) if key in NAME_KEYS else one_line(value)
    if has_line_break(value) or drop_controls(value) != value or \
            (key in NAME_KEYS and drop_invisible(value) != value):
        changed.add(key)
    return clean


def _coerce(kind: str, item: dict, shown: str = "", messages: list[Message] | None = None) -> dict | None:
    """Clean kwargs from one entry, or None when unusable. Whatever the schema rejects is left
    out here silently: the schema has already reported it with its line. Line breaks, control
    characters and (in names) invisible characters are taken out with a warning."""
    kwargs: dict = {"line": item.get(yamlutil.LINE_KEY, 1)}
    changed: set[str] = set()
    fields = FIELDS[kind]
    for key, value in item.items():
        if key in fields and value is not None:
            clean = _clean_value(key, value, fields[key], changed)
            if clean is not None:
                kwargs[key] = clean
    if changed and messages is not None:
        messages.append(_changed_message(shown, kwargs["line"], changed))
    if kind == "people" and kwargs.get("wikidata") and not WIKIDATA_ID.match(kwargs["wikidata"]):
        del kwargs["wikidata"]          # it becomes a link: only a real item id is kept
    return kwargs if kwargs.get(REQUIRED[kind]) else None


WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")


def _changed_message(shown: str, line: int, changed: set[str]) -> Message:
    return Message(shown, line, WARNING, f"{', '.join(sorted(changed))}: line breaks, control characters or "
                   "invisible characters taken out (every registry value is one line)", code="registry")


def _clean_value(key: str, value, expected: type, changed: set[str]):
    """The value as one line of text (a list of them where a list is expected), or None when the
    schema has rejected its type."""
    if expected is list:
        value = _listed(value)
        if not isinstance(value, list) or not all(_is_scalar(v) for v in value):
            return None
        return [_one_line(key, str(v), changed) for v in value if str(v).strip()]
    return _one_line(key, str(value), changed) if _is_scalar(value) else None


def load_registry(corpus_dir: Path, shown_root: Path | None = None) -> Registry:
    """Load the three registries from ``corpus_dir``; missing files are empty registries."""
    with collector.paused():
        return _load_registry(corpus_dir, shown_root)


def _load_registry(corpus_dir: Path, shown_root: Path | None) -> Registry:
    messages: list[Message] = []
    loaded: dict[str, list] = {"people": [], "tags": [], "sources": []}
    nodes: dict[int, yaml.Node | None] = {}
    paths: dict[str, str] = {}
    classes = {"people": Person, "tags": Tag, "sources": Source}
    lists: dict[str, list[tuple[str, int]]] = {}
    for kind, filename in FILES.items():
        path = corpus_dir / filename
        shown = _shown(path, shown_root)
        paths[kind] = shown
        for item, node in _entries(kind, path, shown, messages, shown_root or corpus_dir, lists):
            kwargs = _coerce(kind, item, shown, messages)
            if kwargs is not None:
                entry = classes[kind](**kwargs)
                loaded[kind].append(entry)
                nodes[id(entry)] = node
    not_people = [NotPerson(name, line) for name, line in lists.get("not_people", [])]
    _check_conflicts(loaded, paths, nodes, messages, not_people)
    return Registry(people=loaded["people"], tags=loaded["tags"], sources=loaded["sources"],
                    messages=messages, paths=paths, not_people=not_people)


def _check_conflicts(loaded: dict[str, list], paths: dict[str, str], nodes: dict[int, yaml.Node | None],
                     messages: list[Message], not_people: list[NotPerson] = ()) -> None:
    """A spelling (name or alias) claimed by two people, a name listed both as a person and
    under not_people, and a tag or source listed twice, are errors: the archive could not tell
    which entry a text means."""
    owner: dict[str, tuple[Person, int]] = {}
    for person in loaded["people"]:
        messages += _claim_spellings(person, nodes.get(id(person)), owner, paths["people"])
    for entry in not_people:
        claimed = owner.get(entry.name.casefold())
        if claimed is not None:
            messages.append(Message(paths["people"], entry.line, ERROR,
                                    f"'{entry.name}' is listed under not_people and as a spelling of "
                                    f"'{claimed[0].name}' (line {claimed[1]}): keep it in one place",
                                    code="registry"))
    for kind, attr in (("tags", "tag"), ("sources", "name")):
        messages += _listed_twice(loaded[kind], attr, nodes, paths[kind])


def _claim_spellings(person: Person, node: yaml.Node | None, owner: dict[str, tuple[Person, int]],
                     shown: str) -> list[Message]:
    """Record in ``owner`` the person's spellings (and where); an error for each that another
    person has already claimed."""
    out: list[Message] = []
    seen_here: set[str] = set()
    spellings = [(person.name, ["name"])] + [(a, ["aliases", i]) for i, a in enumerate(person.aliases)]
    for spelling, where in spellings:
        key = normalise_space(spelling).casefold()
        if key in seen_here:
            continue
        seen_here.add(key)
        line, col = schema.locate(node, where) if node is not None else (person.line - 1, 0)
        claimed = owner.get(key)
        if claimed is not None and claimed[0] is not person:
            other, other_line = claimed
            what = "name" if where == ["name"] else "alias"
            out.append(Message(shown, line + 1, ERROR,
                               f"{what} '{spelling}' of '{person.name}' is already claimed by "
                               f"'{other.name}' (line {other_line}): a spelling can belong to one "
                               "person only", column=col + 1, code="registry"))
        else:
            owner[key] = (person, line + 1)
    return out


def _listed_twice(entries: list, attr: str, nodes: dict[int, yaml.Node | None], shown: str) -> list[Message]:
    """An error on each tag or source whose name (any case) an earlier entry has."""
    out: list[Message] = []
    seen: dict[str, int] = {}
    for entry in entries:
        key = getattr(entry, attr).casefold()
        node = nodes.get(id(entry))
        line, col = schema.locate(node, [attr]) if node is not None else (entry.line - 1, 0)
        if key in seen:
            out.append(Message(shown, line + 1, ERROR,
                               f"duplicate {attr} '{getattr(entry, attr)}' (first at line {seen[key]})",
                               column=col + 1, code="registry"))
        else:
            seen[key] = line + 1
    return out


def _shown(path: Path, root: Path | None) -> str:
    """The path as messages show it: relative to the archive folder, never where a link leads."""
    if root is not None:
        try:
            return path.absolute().relative_to(root.absolute()).as_posix()
        except ValueError:
            pass
    return path.name
