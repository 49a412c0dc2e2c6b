"""The names across the archive that are not people's (``rejected_groups``): those an archivist
listed under not_people, and those the one archive-wide decision (``model``) turns down, weighing
what the articles' evidence adds up to."""

from __future__ import annotations

from collections import Counter

from ..core.registry import Registry
from ..core.text import name_key
from . import model
from .evidence import DocEvidence, NameStats
from .groups import _Group
from .spans import _tokens
from .words import given_names


def rejected_groups(evidence: list[DocEvidence], groups: dict[str, _Group], registry: Registry,
                    decisions=None) -> dict[str, str]:
    """{group key: why} for every group that is not a person's: the decision's, then the archivist's.
    ``decisions`` (``memo.Decisions``) keeps each name's decision between builds."""
    rejected = _not_people(evidence, groups, decisions)
    rejected.update(_listed_not_people(groups, registry))
    return rejected


def _listed_not_people(groups: dict[str, _Group], registry: Registry) -> dict[str, str]:
    """{group key: why} for names an archivist listed under not_people in people.yml: their
    word overrules every rule."""
    out = {}
    for key, g in groups.items():
        listed = None if g.registry_name else _listed_entry(g, registry)
        if listed is not None:
            out[key] = f"listed under not_people in {registry.paths.get('people', 'people.yml')} (line {listed.line})"
    return out


def _listed_entry(g: _Group, registry: Registry):
    """The not_people entry of the first of the group's name keys listed there, or None."""
    return next((registry.not_person_by_key[k] for k in sorted({name_key(sp) for sp in g.spellings})
                 if k in registry.not_person_by_key), None)


def _archive_counts(evidence: list[DocEvidence]) -> tuple[Counter, ...]:
    """The articles' evidence added up: lower-case words, other labels, runs, runs after "the",
    work or company contexts, cues."""
    counts = tuple(Counter() for _ in range(6))
    for doc in evidence:
        for counter, found in zip(counts, (doc.lower_words, doc.other_labels, doc.runs, doc.the_runs,
                                           doc.thing_context, doc.cues)):
            counter.update(found)
    return counts


def _titled_spellings(evidence: list[DocEvidence], lower: Counter) -> set[str]:
    """Full names a title stood before, or whose surname a title precedes in the same article:
    "Mr Blair" vouches for "Tony Blair" there, not for "Vote Blair" (the first word must not be an
    ordinary word of the archive that is no given name)."""
    titled: set[str] = set()
    by_surname: set[str] = set()
    for doc in evidence:
        _titled_in_article(doc, titled, by_surname)
    for text in by_surname:
        if _vouched_for_by_surname(text, lower):
            titled.add(text)
    return titled


def _titled_in_article(doc: DocEvidence, titled: set[str], by_surname: set[str]) -> None:
    """Adds the article's full names a title stood before to ``titled``, and those whose surname
    alone a title stood before to ``by_surname``."""
    titled_surnames = _titled_single_names(doc)
    for m in doc.mentions:
        key = name_key(m.text).split()
        if len(key) < 2:
            continue
        if m.titled:
            titled.add(m.text)
        elif key[-1] in titled_surnames:
            by_surname.add(m.text)


def _titled_single_names(doc: DocEvidence) -> set[str]:
    """The keys of the single names a title stood before in the article ("Mr Blair")."""
    return {name_key(m.text) for m in doc.mentions if m.titled and len(_tokens(m.text)) == 1}


def _vouched_for_by_surname(text: str, lower: Counter) -> bool:
    """"Mr Blair" vouches for "Tony Blair", not for "Vote Blair": the first word is a given name
    or no ordinary word of the archive."""
    first = text.split()[0]
    return lower[first.casefold()] < 2 or first.casefold() in given_names()


def _plurals_of_rejected(stats: list[NameStats], reasons: dict[str, str]) -> None:
    """The plural of a name that is not a person's is not one either ("Alfa Romeos", "Billy Elliots")."""
    for st in stats:
        words = st.name.split()
        singular = " ".join(words[:-1] + [words[-1][:-1]])
        if st.name not in reasons and words[-1].endswith("s") and singular in reasons:
            reasons[st.name] = f"the plural of '{singular}', which is not listed as a person"


def _not_people(evidence: list[DocEvidence], groups: dict[str, _Group], decisions=None) -> dict[str, str]:
    """{group key: why} for unregistered names the one archive-wide decision (``model``) turns down."""
    counts = _archive_counts(evidence)
    titled = _titled_spellings(evidence, counts[0])
    stats = [_name_stats(g, titled, counts) for g in groups.values() if not g.registry_name]
    # through the module: a benchmark captures the stats (or replaces the decision: then nothing kept is used)
    if decisions is None or model.archive_rejections is not _DECIDE:
        reasons = model.archive_rejections(stats)
    else:
        reasons = decisions.rejections(stats, _DECIDE)
    _plurals_of_rejected(stats, reasons)
    return {key: reasons[g.canonical] for key, g in groups.items() if not g.registry_name and g.canonical in reasons}


_DECIDE = model.archive_rejections


def _name_stats(g: _Group, titled: set[str], counts: tuple[Counter, ...]) -> NameStats:
    """What the archive knows about an unregistered group's name (``counts`` from ``_archive_counts``)."""
    return NameStats(g.canonical, sorted(g.spellings), sum(g.spellings.values()),
                     any(sp in titled for sp in g.spellings), *counts)
