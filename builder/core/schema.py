"""The published JSON Schemas (``builder/schemas/``) applied with jsonschema, as path:line messages.

The schemas are the contract for the files archivists edit: article front matter and the
three registries. Editors and other tools can use them as they are; here each violation
becomes a message at the offending key or list item, worded by the schema's own
``x-messages`` annotation, so that ``archive check`` and the build say the same thing.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from . import yamlutil
from .dates import is_valid_edtf
from .models import ERROR, Message
from .text import normalise_space, suggest

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"
NAMES = ("front-matter", "people", "tags", "sources")

# only the formats the schemas use: jsonschema's own checkers depend on optional packages
FORMATS = jsonschema.FormatChecker(formats=())


@FORMATS.checks("edtf")
def _is_edtf(value: Any) -> bool:
    """Same acceptance as ``dates.normalise_edtf``, which the extract stage applies."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return True                      # the "type" keyword reports these
    if isinstance(value, int):
        value = f"{value:04d}" if 0 < value < 10000 else str(value)
    value = value.strip()
    return bool(value) and is_valid_edtf(value)


@functools.cache
def load_schema(name: str) -> dict:
    """One published schema as a dict (``front-matter``, ``people``, ``tags`` or ``sources``)."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@functools.cache
def _validator(name: str):
    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=FORMATS)


def compose(text: str) -> yaml.Node | None:
    """The YAML node tree (it keeps the line and column of every key and item), read the way
    ``yamlutil`` reads values (plain values are text, aliases refused); None when unreadable."""
    try:
        return yamlutil.compose(text)
    except yaml.YAMLError:
        return None


def locate(node: yaml.Node | None, path: list, key: bool = False) -> tuple[int, int]:
    """0-based (line, column) of the value at ``path``, or of its key when ``key``.

    Stops at the deepest node that exists, so a message always has a sensible place."""
    if node is None:
        return 0, 0
    current, key_node = node, None
    for part in path:
        step = _child(current, part)
        if step is None:
            break
        key_node, current = step
    target = key_node if key and key_node is not None else current
    return target.start_mark.line, target.start_mark.column


def _child(node: yaml.Node, part) -> tuple[yaml.Node | None, yaml.Node] | None:
    """(key node, value node) of ``part`` in a mapping, (None, item) in a sequence; None when absent."""
    if isinstance(node, yaml.MappingNode):
        return _key_and_value(node, str(part))
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def _key_and_value(mapping: yaml.MappingNode, name: str) -> tuple[yaml.Node, yaml.Node] | None:
    found = None
    for k, v in mapping.value:          # the last of duplicate keys wins, as when loading
        if isinstance(k, yaml.ScalarNode) and k.value == name:
            found = (k, v)
    return found


def describe(value: Any) -> str:
    """What a YAML value is, in an archivist's words."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a yes/no value ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text '{_short(value)}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _short(value: Any, limit: int = 80) -> str:
    text = normalise_space(str(value).replace("\n", " "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validate(name: str, data: Any, node: yaml.Node | None, shown: str, line_offset: int = 0) -> list[Message]:
    """Every violation of schema ``name`` by ``data`` (parsed from ``node``), one message each."""
    out: list[Message] = []
    for err in _validator(name).iter_errors(data):
        out += _explain(name, err, node, shown, line_offset)
    out += duplicate_keys(node, shown, line_offset)
    return sorted(set(out), key=lambda m: (m.line, m.column, m.text))


def _explain(name: str, err, node, shown: str, offset: int) -> list[Message]:
    path = list(err.absolute_path)
    field = next((p for p in reversed(path) if isinstance(p, str)), "")
    code = _code(name, path)
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        return _unknown_fields(name, err, path, node, shown, offset)
    text = _wording(err, path, field)
    line, col = locate(node, path)
    severity = err.schema.get("x-severity", ERROR)
    return [Message(shown, line + 1 + offset, severity, text, column=col + 1, code=code)]


def _wording(err, path: list, field: str) -> str:
    """The schema's own wording of the rule (``x-messages``), else jsonschema's with the place spelled out."""
    template = err.schema.get("x-messages", {}).get(err.validator)
    if template:
        return template.format(field=field, value=_short(err.instance), got=describe(err.instance))
    where = "/".join(str(p) for p in path) or "the top level"
    return f"{where}: {err.message}"


def _unknown_fields(name: str, err, path: list, node, shown: str, offset: int) -> list[Message]:
    """One message at each key the schema does not allow, suggesting the nearest allowed one."""
    allowed = list(err.schema.get("properties", {}))
    out = []
    for extra in (e for e in err.instance if e not in allowed):
        line, col = locate(node, path + [extra], key=True)
        out.append(Message(shown, line + 1 + offset, ERROR, _unknown_field(name, path, str(extra), allowed),
                           column=col + 1, code="unknown-field"))
    return out


def _code(name: str, path: list) -> str:
    if name == "front-matter":
        return str(path[0]) if path and path[0] in load_schema(name)["properties"] else "front-matter"
    return "registry"


def _unknown_field(name: str, path: list, extra: str, allowed: list[str]) -> str:
    hint = suggest(extra, allowed)
    if name == "front-matter":
        return f"unknown front-matter field '{extra}'" + (hint or f" (allowed: {', '.join(allowed)})")
    if not path:
        return f"unknown top-level key '{extra}'{hint}: the file holds one '{name}:' list"
    return f"unknown field '{extra}' in {name} entry" + (hint or f" (allowed: {', '.join(allowed)})")


def duplicate_keys(node: yaml.Node | None, shown: str, line_offset: int = 0) -> list[Message]:
    """A key written twice in one mapping: YAML keeps only the last, silently."""
    out: list[Message] = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            out += _keys_twice(current, shown, line_offset)
            stack += [v for _, v in current.value]
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return out


def _keys_twice(mapping: yaml.MappingNode, shown: str, line_offset: int) -> list[Message]:
    """An error at each later copy of a key in one mapping, naming the line of the first."""
    out: list[Message] = []
    seen: dict[str, int] = {}
    for k, _ in mapping.value:
        if not isinstance(k, yaml.ScalarNode):
            continue
        if k.value in seen:
            out.append(Message(shown, k.start_mark.line + 1 + line_offset, ERROR,
                               f"'{k.value}' is given twice (first on line {seen[k.value]}); "
                               "only this last one counts: keep one",
                               column=k.start_mark.column + 1, code="duplicate-key"))
        else:
            seen[k.value] = k.start_mark.line + 1 + line_offset
    return out
