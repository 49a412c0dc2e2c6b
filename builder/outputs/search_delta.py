"""The search index updated by the difference: what the last build indexed, changed by the
documents added, edited and removed since, instead of every document's terms merged again.

The last build keeps (``memo.py``, signed JSON under ``.cache/outputs/``) each document's key
(``SearchDoc.key``) and length in document order, and every term's gap text (document gaps and
values, as its shard writes them), positions text and last document number. This build numbers
its documents (``search._doc_order``); a document whose key the last build had is the same
document, so only its number may have moved (an article dated before others shifts theirs by
one). Then:

* a term none of whose documents changed or moved keeps its texts as they are;
* a term whose documents only moved gets its gaps again from the new numbers (values and
  positions are the same);
* a term of an added or removed document gets its postings again from the last build's, less
  the removed documents', plus the added documents' (their contributions, ``TokenCache``).

The result is what ``search.build_files`` makes from scratch, byte for byte (tested against it).
When the numbers of the documents that stayed are not in the same order, when too many documents
changed, or when anything in the state is not what this module writes, ``update`` returns None
and the index is made from scratch.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate, chain
from operator import sub

MAX_CHANGED = 0.2          # beyond this share of changed documents, merging everything is as cheap


class _Stale(Exception):
    """The state does not fit this build: make the index from scratch."""


def state(docs, lengths: list[int], postings: dict[str, list], gaps: dict[str, str],
          positions: dict[str, str]) -> dict:
    """What ``update`` needs of this build: documents' keys and lengths, terms' texts."""
    return {"keys": [d.key() for d in docs], "dl": list(lengths),
            "terms": {t: [gaps[t], positions[t], postings[t][-1][0]] for t in gaps}}


def update(docs, cache, kept: dict, tokens):
    """(terms in JavaScript's order, gap texts, positions texts, lengths) of ``docs`` from
    ``kept["last"]``, with ``kept["next"]`` set to this build's state; None when it cannot.
    ``tokens``: ``search.tokens`` (what a title's words are)."""
    try:
        return _update(docs, cache, kept, tokens)
    except (_Stale, KeyError, IndexError, TypeError, ValueError, AttributeError):
        kept.pop("next", None)
        return None


def _update(docs, cache, kept: dict, tokens):
    old_keys, old_dl, old_terms = _last(kept["last"])
    keys = [d.key() for d in docs]
    moved, added, removed = _numbering(old_keys, keys)
    if len(added) + len(removed) > max(8, MAX_CHANGED * len(keys)):
        raise _Stale
    contributions, gone = _contributions(docs, cache, old_keys, moved, added, removed)
    lengths = _lengths(old_dl, moved, added, contributions)
    changed = {t for c in chain(contributions.values(), gone) for t in c["terms"]}
    terms = _unchanged_terms(old_terms, changed, moved)
    titles = {n: set(tokens(docs[n].title)) for n in added}
    for term in changed:
        entry = _rebuilt(term, old_terms.get(term), moved, contributions, titles)
        if entry is not None:
            terms[term] = entry
    order = sorted(terms, key=lambda t: t.encode("utf-16-be"))
    gaps = {t: terms[t][0] for t in order}
    positions = {t: terms[t][1] for t in order}
    kept["next"] = {"keys": keys, "dl": lengths, "terms": {t: terms[t] for t in order}}
    return order, gaps, positions, lengths


def _contributions(docs, cache, old_keys: list, moved: list, added: list, removed: list):
    """The added documents' contributions by new number, and the removed documents' (from the
    token cache, which keeps the entries of the documents that stayed for a later removal)."""
    for i, key in enumerate(old_keys):
        if moved[i] is not None:
            cache.carry(key)
    contributions = {n: cache.get(docs[n]) for n in added}
    gone = [cache.contribution_of(old_keys[i]) for i in removed]
    if None in gone:
        raise _Stale
    return contributions, gone


def _lengths(old_dl: list, moved: list, added: list, contributions: dict) -> list:
    lengths = [old_dl[i] for i in range(len(old_dl)) if moved[i] is not None]
    for n in added:                  # in increasing order: each lands at its final place
        lengths.insert(n, contributions[n]["dl"])
    return lengths


def _last(last: dict) -> tuple[list, list, dict]:
    """The last build's keys, lengths and terms, when they have the shapes ``state`` writes."""
    old_keys, old_dl, old_terms = last["keys"], last["dl"], last["terms"]
    if not (isinstance(old_keys, list) and isinstance(old_dl, list) and isinstance(old_terms, dict)
            and len(old_keys) == len(old_dl)):
        raise _Stale
    return old_keys, old_dl, old_terms


def _unchanged_terms(old_terms: dict, changed: set, moved: list) -> dict[str, list]:
    """The terms of no added or removed document: as they were when all their documents come
    before the first that moved, else with the gaps that moved renumbered."""
    steps = _steps(moved)
    first = steps[0] if steps else len(moved)
    terms: dict[str, list] = {}
    for term, entry in old_terms.items():
        if term in changed:
            continue
        terms[term] = entry if entry[2] < first else _renumbered(entry, moved, steps)
    return terms


def _steps(moved: list) -> list[int]:
    """The old numbers of the documents that stayed whose shift (new number less old) differs
    from the previous such document's (or from none, for the first): the only places where a
    gap between two documents that stayed can change."""
    steps, shift = [], 0
    for i, m in enumerate(moved):
        if m is not None and m - i != shift:
            steps.append(i)
            shift = m - i
    return steps


def _numbering(old_keys: list[str], keys: list[str]):
    """``moved``: each old document's new number (None: removed or edited); the new numbers of
    documents the last build did not have; the old numbers of those it had and this one has not."""
    if len(set(keys)) != len(keys) or len(set(old_keys)) != len(old_keys):
        raise _Stale
    new_number = {k: n for n, k in enumerate(keys)}
    moved = [new_number.get(k) for k in old_keys]
    stayed = [m for m in moved if m is not None]
    if any(a >= b for a, b in zip(stayed, stayed[1:])):
        raise _Stale                 # the order of the documents that stayed changed
    old = set(old_keys)
    added = [n for n, k in enumerate(keys) if k not in old]
    removed = [i for i, m in enumerate(moved) if m is None]
    return moved, added, removed


def _numbers(gap_text: str) -> tuple[list[int], list[int]]:
    """A gap text's documents (absolute numbers) and values."""
    flat = list(map(int, gap_text.split(",")))
    return list(accumulate(flat[0::2])), flat[1::2]


def _gap_text(numbers: list[int], values: list[int]) -> str:
    gaps = [numbers[0], *map(sub, numbers[1:], numbers[:-1])]
    return ",".join(map(str, chain.from_iterable(zip(gaps, values))))


def _renumbered(entry: list, moved: list, steps: list[int]) -> list:
    """A term whose documents all stayed, with their new numbers: only the gap of the first
    posting at or after each step changes, so only those are made again."""
    parts = entry[0].split(",")
    numbers = list(accumulate(map(int, parts[0::2])))
    for step in steps:
        j = bisect_left(numbers, step)
        if j == len(numbers):
            break
        new = moved[numbers[j]]
        before = moved[numbers[j - 1]] if j else 0
        if new is None or before is None:
            raise _Stale             # a removed document the state says had no such term
        parts[2 * j] = str(new - before)
    last = moved[numbers[-1]]
    if last is None:
        raise _Stale
    return [",".join(parts), entry[1], last]


def _stayed(entry: list, moved: list) -> tuple[list[int], list[int], list[str]]:
    """A term's postings of the documents that stayed, renumbered: numbers, values, and each
    posting's positions without their brackets."""
    old, values = _numbers(entry[0])
    pieces = entry[1][1:-1].split("],[")
    if len(pieces) != len(old) or entry[1][:1] != "[" or entry[1][-1:] != "]":
        raise _Stale
    numbers = [moved[n] for n in old]
    if None in numbers:
        kept = [i for i, n in enumerate(numbers) if n is not None]
        numbers, values, pieces = [numbers[i] for i in kept], [values[i] for i in kept], [pieces[i] for i in kept]
    return numbers, values, pieces


def _rebuilt(term: str, entry, moved: list, contributions: dict, titles: dict) -> list | None:
    """A term of an added or removed document: the postings that stayed, renumbered, and the added
    documents' (weighted frequency, "in the title", "only in comments"), each put in its place
    (few are added: no sort); None when none are left."""
    numbers, values, pieces = _stayed(entry, moved) if entry is not None else ([], [], [])
    for n, c in contributions.items():
        found = c["terms"].get(term)
        if found is not None:
            tfw, only_comments, positions = found
            at = bisect_left(numbers, n)
            numbers.insert(at, n)
            values.insert(at, tfw * 4 + (2 if term in titles[n] else 0) + only_comments)
            pieces.insert(at, positions[1:-1])
    if not numbers:
        return None
    return [_gap_text(numbers, values), "[" + "],[".join(pieces) + "]", numbers[-1]]
