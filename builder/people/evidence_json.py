"""An article's ``DocEvidence`` as JSON values, for the extraction cache.

The evidence depends on one article's extraction result only, so the worker that extracts the
article computes it once and the cache keeps it beside the result: a rebuild of ten thousand
articles reads it back instead of running ``doc_evidence`` (regexes per name, every paragraph
scanned) again for each. It is stored without the id and the mentions (the article's result
holds them); sets as sorted lists, read back with
each word interned (ten thousand articles write the same words: one copy each). Reading checks every value's type, since anyone who can write
``.cache/`` can write an entry: a value of another shape raises ValueError and the entry is
refused. The codec is made once from ``DocEvidence``'s fields and their types, so a field added
there is stored too (or, of a type this module does not know, fails at import, not silently).
"""

from __future__ import annotations

import dataclasses
import sys
import typing
from collections.abc import Callable
from typing import Any

from .evidence import DocEvidence
from .mentions import Mention

# given by the article's result, not stored twice
_FROM_ARTICLE = ("id", "mentions")


def _strings(data: Any) -> frozenset[str]:
    if type(data) is not list or not all(type(s) is str for s in data):
        raise ValueError("expected a list of text")
    return frozenset(map(sys.intern, data))


def _pairs(data: Any) -> frozenset[tuple[str, str]]:
    if type(data) is not list or not all(type(p) is list and len(p) == 2 and type(p[0]) is str
                                         and type(p[1]) is str for p in data):
        raise ValueError("expected a list of pairs of text")
    return frozenset((sys.intern(a), sys.intern(b)) for a, b in data)


def _string_tuple(data: Any) -> tuple[str, ...]:
    if type(data) is not list or not all(type(s) is str for s in data):
        raise ValueError("expected a list of text")
    return tuple(map(sys.intern, data))


def _pair_tuple(data: Any) -> tuple[tuple[str, str], ...]:
    if type(data) is not list or not all(type(p) is list and len(p) == 2 and type(p[0]) is str
                                         and type(p[1]) is str for p in data):
        raise ValueError("expected a list of pairs of text")
    return tuple((sys.intern(a), sys.intern(b)) for a, b in data)


def _lines(data: Any) -> dict[str, int]:
    if type(data) is not dict or not all(type(n) is int for n in data.values()):
        raise ValueError("expected a mapping of text to line numbers")
    return data


def _sorted(value: frozenset) -> list:
    return sorted(value)


def _sorted_pairs(value: frozenset[tuple[str, str]]) -> list[list[str]]:
    return [list(p) for p in sorted(value)]


def _as_is(value: dict[str, int]) -> dict[str, int]:
    return dict(value)


def _as_list(value: tuple) -> list:
    return [list(v) if isinstance(v, tuple) else v for v in value]


# a field's type -> (to JSON, from JSON)
_CODECS: dict[Any, tuple[Callable, Callable]] = {
    frozenset[str]: (_sorted, _strings),
    frozenset[tuple[str, str]]: (_sorted_pairs, _pairs),
    dict[str, int]: (_as_is, _lines),
    tuple[str, ...]: (_as_list, _string_tuple),
    tuple[tuple[str, str], ...]: (_as_list, _pair_tuple),
}


def _field_codecs() -> list[tuple[str, Callable, Callable]]:
    """(name, encode, decode) of every stored field, in the dataclass's order."""
    hints = typing.get_type_hints(DocEvidence)
    return [(f.name, *_CODECS[hints[f.name]]) for f in dataclasses.fields(DocEvidence)
            if f.name not in _FROM_ARTICLE]


_FIELDS = _field_codecs()


def evidence_json(evidence: DocEvidence) -> dict[str, Any]:
    """The stored form: each field but the id and the mentions, sets as sorted lists."""
    return {name: encode(getattr(evidence, name)) for name, encode, _ in _FIELDS}


def evidence_from_json(doc_id: str, mentions: list[Mention], data: Any) -> DocEvidence:
    """The evidence back from its stored form and the article's id and mentions; ValueError
    when a field is missing or of another shape."""
    if type(data) is not dict:
        raise ValueError("expected a mapping for the evidence")
    try:
        return DocEvidence(doc_id, mentions, **{name: decode(data[name]) for name, _, decode in _FIELDS})
    except KeyError as exc:
        raise ValueError(f"the evidence has no {exc}") from None
