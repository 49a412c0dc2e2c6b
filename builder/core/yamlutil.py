"""YAML loading that remembers line numbers, so messages can say ``path:line``.

Archivists' YAML (front matter, registries) is untrusted, so it is read in a narrow way:

* every plain value is text as written: YAML 1.1 would read ``0x10``, ``010``, ``1:30``,
  ``true``, ``no`` and ``1.50`` as numbers and yes/no values and change them silently, but
  every field the archive knows is text (an id, a title, a language code, a name), so
  ``id: 010`` is the id ``010``. Only an empty value (``title:``, ``~``, ``null``) means
  "not given";
* anchors and aliases (``&name``, ``*name``) are refused with the line: no archivist needs
  them, and nested aliases expand exponentially ("billion laughs");
* the document is composed once (by libyaml when PyYAML has it) and constructed from that
  node tree, which ``schema`` reuses for positions.
"""

from __future__ import annotations

from typing import Any

import yaml

LINE_KEY = "__line__"
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _text_resolvers() -> dict:
    """Implicit resolvers that keep only null: everything else is read as a string."""
    return {k: [(tag, rx) for tag, rx in v if tag == "tag:yaml.org,2002:null"]
            for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


class LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings carry the 1-based line they start on under ``__line__``
    and the line of each key under ``__lines__``; plain values are text (see above)."""


class _Composer(_BaseLoader):   # type: ignore[misc,valid-type]
    """Composes the node tree (C speed when available) with the same text-only resolution."""


class _PyComposer(yaml.SafeLoader):
    """The pure-Python composer, for its better error positions."""


LineLoader.yaml_implicit_resolvers = _text_resolvers()
_Composer.yaml_implicit_resolvers = _text_resolvers()
_PyComposer.yaml_implicit_resolvers = _text_resolvers()


def _compose_with(cls, text: str) -> yaml.Node | None:
    loader = cls(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


class AliasError(yaml.composer.ComposerError):
    """An anchor/alias was used: refused (see the module docstring)."""

    def __init__(self, where: yaml.Mark, first_line: int):
        super().__init__(None, None, "an alias", where)
        self.first_line = first_line          # 0-based line of the value the alias repeats

    def explain(self, offset: int = 0) -> str:
        return (f"an alias (*name) repeats the value given on line {self.first_line + 1 + offset}; aliases and "
                "anchors (&name) are not allowed here: write the value out in full")


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    key_lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, f"unhashable key {key!r}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        key_lines[str(key)] = key_node.start_mark.line + 1
    mapping[LINE_KEY] = node.start_mark.line + 1
    mapping["__lines__"] = key_lines
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def compose(text: str) -> yaml.Node | None:
    """The YAML node tree, refusing aliases (raises ``yaml.YAMLError``, ``AliasError`` included)."""
    try:
        node = _compose_with(_Composer, text)
    except yaml.YAMLError as exc:
        if _Composer is _PyComposer:
            raise
        # libyaml reports many errors at the end of the text; PyYAML's own parser, slower but
        # only run on a broken file, stops where the archivist has to look
        _compose_with(_PyComposer, text)
        raise exc from None
    if node is not None:
        refuse_aliases(node)
    return node


def refuse_aliases(root: yaml.Node) -> None:
    """Raise AliasError at the first node reached twice: composers share one node object
    between an anchor and its aliases, so a walk that remembers what it saw finds every
    alias in time linear in the text, before anything is expanded."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, yaml.Mark]] = [(root, root.start_mark)]
    while stack:
        node, where = stack.pop()
        if id(node) in seen:
            raise AliasError(where, node.start_mark.line)
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.append((value, key.start_mark))
                stack.append((key, key.start_mark))
        elif isinstance(node, yaml.SequenceNode):
            previous = node.start_mark
            items = []
            for item in node.value:
                # an alias's own place is not kept; the end of the item before it is the nearest
                items.append((item, previous))
                previous = item.end_mark if id(item) not in seen else previous
            stack.extend(reversed(items))


def construct(node: yaml.Node | None) -> Any:
    """Python values (dicts carrying their lines) from a node tree made by ``compose``."""
    if node is None:
        return None
    loader = LineLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def load(text: str) -> Any:
    """Parse YAML keeping line numbers (``__line__``/``__lines__`` keys on mappings)."""
    return construct(compose(text))


def strip_lines(value: Any) -> Any:
    """Remove the line bookkeeping keys, recursively."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k not in (LINE_KEY, "__lines__")}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def error_line(exc: yaml.YAMLError, offset: int = 0) -> int:
    """Best line number for a YAML error (1-based), shifted by ``offset`` lines."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return (mark.line + 1 + offset) if mark is not None else 1 + offset


def error_problem(exc: yaml.YAMLError, offset: int = 0) -> str:
    """What is wrong, without quoting the file: PyYAML's full message includes a snippet of
    the text, which for a file that is not YAML at all (a key, a password file) would be
    published in the build report. ``offset``: lines before the YAML text in its file."""
    if isinstance(exc, AliasError):
        return exc.explain(offset)
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or "not valid YAML"
    return " ".join(str(problem).split())[:200]


def dump(data: Any) -> str:
    """Deterministic, readable YAML (keys in the order given, unicode kept)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000,
                          default_flow_style=False)


_GENERATED_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_generated(data: Any) -> str:
    """``dump`` for generated pages that MkDocs reads back, never for files people edit: libyaml's
    emitter when PyYAML has it, five times faster (it escapes characters beyond U+FFFF, such as
    emoji, where the Python emitter writes them as they are; both read back the same)."""
    return yaml.dump(data, Dumper=_GENERATED_DUMPER, sort_keys=False, allow_unicode=True, width=1000,
                     default_flow_style=False)
