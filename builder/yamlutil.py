"""YAML loading that remembers line numbers, so messages can say ``path:line``."""

from __future__ import annotations

from typing import Any

import yaml

LINE_KEY = "__line__"


class LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings carry the 1-based line they start on under ``__line__``
    and the line of each key under ``__lines__``."""


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
# Dates stay strings: EDTF values such as 2022-03-04 must not become datetime.date objects.
LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(text: str) -> Any:
    """Parse YAML keeping line numbers (``__line__``/``__lines__`` keys on mappings)."""
    return yaml.load(text, Loader=LineLoader)  # noqa: S506 - SafeLoader subclass


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
