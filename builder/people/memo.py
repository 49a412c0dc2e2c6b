"""The archive-wide decision per name, kept between builds: one article added changes the
evidence of few names, so the decision (``model.archive_rejections``: the shape steps, the
features, probablepeople's reading, the logistic regression) is taken again for those only.

A name's decision reads the archive's counters (``NameStats``) at a few keys. The first time,
it runs on counters that note each key it reads and the value found (``_Noting``); the entry
keeps those reads and the decision. A later build takes the entry only when every one of those
keys holds the same value now: the decision is a function of what it read, so it would read the
same keys and decide the same. This holds whatever the features are (they are being changed),
as long as they read the counters by key; any other use of a counter (iterating it, its size)
marks the entry unusable and the decision is taken on the real counters. An entry is also keyed
by the name, its spellings, its count and whether it was titled, and by the version of the
decision's code, its data files and the name libraries it calls.
"""

from __future__ import annotations

import dataclasses
import json

from .evidence import NameStats

COUNTERS = ("lower_words", "other_labels", "runs", "the_runs", "thing_context", "cues")
LIBRARIES = ("probablepeople", "nicknames", "nameparser")


class _Unusable(Exception):
    """A counter was used otherwise than read by key: the reads do not say what was used."""


class _Noting:
    """A counter that notes each key read through ``[]`` and the value found; anything else
    marks the decision unusable (and fails, as a missing method would)."""

    __slots__ = ("counter", "field", "reads", "state")

    def __init__(self, counter, field: str, reads: list, state: dict) -> None:
        self.counter, self.field, self.reads, self.state = counter, field, reads, state

    def __getitem__(self, key):
        value = self.counter[key]
        self.reads.append((self.field, key, value))
        return value

    def _unusable(self, *args, **kwargs):
        self.state["unusable"] = True
        raise _Unusable(self.field)

    __iter__ = __len__ = __contains__ = __eq__ = __bool__ = _unusable
    __hash__ = None

    def __getattr__(self, name):
        return self._unusable()


def version() -> str:
    """The decision's code and data (``people.model`` and what it imports) and the versions of
    the name libraries it asks."""
    import importlib.metadata as md

    from ..core.cache import code_version, digest

    libraries = []
    for dist in LIBRARIES:
        try:
            libraries.append(f"{dist} {md.version(dist)}")
        except md.PackageNotFoundError:
            libraries.append(f"{dist} missing")
    return digest("decisions", 1, code_version("people.model"), libraries)


@dataclasses.dataclass
class Decisions:
    """Kept decisions by name: {name key: [reads, values, reason]}, the reads as
    {counter: its keys} (the cues' as {name: index of its list of cues in ``cue_lists``}) and the
    values found at them in that order; ``fresh`` holds this build's (only they are kept again,
    so the entries of names gone from the archive do not pile up)."""

    version: str
    kept: dict[str, list] = dataclasses.field(default_factory=dict)
    cue_lists: list[list[str]] = dataclasses.field(default_factory=list)
    fresh: dict[str, list] = dataclasses.field(default_factory=dict)
    taken: int = 0          # decisions taken from ``kept`` this build

    def rejections(self, stats: list[NameStats], decide) -> dict[str, str]:
        """``decide(stats)`` (``model.archive_rejections``), each name's decision taken from
        the kept ones when its reads still hold, else taken now and kept."""
        out = {}
        lists = {tuple(cues): i for i, cues in enumerate(self.cue_lists)}
        for s in stats:
            key = "\0".join([s.name, "\1".join(s.spellings), str(s.articles), str(bool(s.titled))])
            entry = self.kept.get(key)
            if entry is not None and _holds(entry, s, self.cue_lists):
                self.taken += 1
            else:
                entry = _decided(s, decide, lists, self.cue_lists)
            if entry[0] is not None:
                self.fresh[key] = entry
            if entry[2]:
                out[s.name] = entry[2]
        return out

    def to_json(self, key: str = "decisions") -> str:
        """The kept decisions as one JSON document (``key``: its name in the cache, as every entry says)."""
        return json.dumps({"key": key, "version": self.version, "cue_lists": self.cue_lists,
                           "entries": self.fresh}, separators=(",", ":"))

    @property
    def changed(self) -> bool:
        return self.taken != len(self.kept) or len(self.fresh) != len(self.kept)


def _decided(s: NameStats, decide, lists: dict, cue_lists: list) -> list:
    """[reads, values, reason] of one name, the decision taken on noting counters (reads None
    when they cannot tell what was used: the decision is then taken on the real counters)."""
    reads: list = []
    state = {"unusable": False}
    noting = dataclasses.replace(s, **{f: _Noting(getattr(s, f), f, reads, state) for f in COUNTERS})
    try:
        reason = decide([noting]).get(s.name)
    except _Unusable:
        state["unusable"] = True
    spec = None if state["unusable"] else _spec(reads, lists, cue_lists)
    if spec is None:
        return [None, None, decide([s]).get(s.name)]
    return [spec, _values(spec, s, cue_lists), reason]


def _spec(reads: list, lists: dict, cue_lists: list) -> dict | None:
    """The keys read, by counter (the cues' by name, each name's cues a shared list); None for a
    key of a form the file cannot keep."""
    by_counter: dict[str, set] = {}
    for f, key, _ in reads:
        by_counter.setdefault(f, set()).add(key)
    spec: dict = {}
    for f in COUNTERS:
        keys = by_counter.get(f, set())
        if f != "cues":
            if not all(isinstance(k, str) for k in keys):
                return None
            spec[f] = sorted(keys)
            continue
        if not all(isinstance(k, tuple) and len(k) == 2 and all(isinstance(p, str) for p in k) for k in keys):
            return None
        cues: dict[str, list] = {}
        for name, cue in sorted(keys):
            cues.setdefault(name, []).append(cue)
        spec[f] = {name: _list_index(tuple(c), lists, cue_lists) for name, c in cues.items()}
    return spec


def _list_index(cues: tuple, lists: dict, cue_lists: list) -> int:
    if cues not in lists:
        lists[cues] = len(cue_lists)
        cue_lists.append(list(cues))
    return lists[cues]


def _holds(entry: list, s: NameStats, cue_lists: list) -> bool:
    """The counters hold the values the decision read, at the keys it read (an entry not of
    the shape ``_spec`` makes holds nothing)."""
    try:
        return _values(entry[0], s, cue_lists) == entry[1]
    except (TypeError, KeyError, IndexError, AttributeError):
        return False


def _values(spec: dict, s: NameStats, cue_lists: list) -> list:
    """The values the counters of ``s`` hold now at the keys ``spec`` lists, in its order."""
    out: list = []
    for f in COUNTERS:
        get = getattr(s, f).get     # a Counter's missing key is 0, without a call to __missing__
        if f == "cues":
            for name, i in spec[f].items():
                out += [get((name, cue), 0) for cue in cue_lists[i]]
        else:
            out += [get(k, 0) for k in spec[f]]
    return out


def from_json(text: str, version_now: str) -> Decisions:
    """The kept decisions, or none when they are of another version or not of this shape (the
    cache is data: anything odd is ignored and decided again)."""
    empty = Decisions(version_now)
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != version_now:
            return empty
        cue_lists, entries = data["cue_lists"], data["entries"]
        if not (isinstance(cue_lists, list) and all(isinstance(c, list) and all(isinstance(w, str) for w in c)
                                                    for c in cue_lists)
                and isinstance(entries, dict) and all(_entry_shape(e) for e in entries.values())):
            return empty
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return empty
    return Decisions(version_now, entries, cue_lists)


def _entry_shape(entry) -> bool:
    """[reads, values, reason] (a read of another shape fails when it is checked: a miss)."""
    return isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], dict) \
        and isinstance(entry[1], list) and (entry[2] is None or isinstance(entry[2], str))
