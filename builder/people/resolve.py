"""People across the archive: one canonical name for one person everywhere, the registry's name
when the registry knows them, else the spelling most articles use. ``resolve_people`` takes its
steps in order: partial names completed within an article, full names grouped by key, first-name
variants and labels merged into one group, names turned down by an archivist or the archive-wide
rules (``decide``), and then each article's mentions, single names included, resolved against
the groups."""

from __future__ import annotations

from collections import Counter, defaultdict

from ..core.models import PersonRef
from ..core.registry import Registry
from ..core.text import name_key
from . import model
from .evidence import DocEvidence, NameStats
from .groups import _count_full_names, _Group, _Groups, _merge_first_name_variants, _merge_labels, _resolve_partial_names
from .mentions import Mention
from .spans import _tokens, entity_key
from .words import given_names


def _surname_index(groups: dict[str, _Group], rejected: dict[str, str]) -> dict[str, set[str]]:
    """{surname key: keys of the groups of full names ending in it}, names turned down left out."""
    by_surname: dict[str, set[str]] = defaultdict(set)
    for key, g in groups.items():
        if key in rejected:
            continue
        words = name_key(g.canonical).split()
        for spelling in g.spellings:
            sw = name_key(spelling).split()
            if len(sw) >= 2:
                by_surname[sw[-1]].add(key)
        if len(words) >= 2:
            by_surname[words[-1]].add(key)
    return by_surname


def resolve_people(evidence: list[DocEvidence], registry: Registry) -> dict[str, tuple[list[PersonRef], list[str]]]:
    """Canonical people for every article: {id: (people, notes about names left out)}."""
    gs = _Groups(registry)
    evidence = [_resolve_partial_names(doc, registry) for doc in evidence]
    _count_full_names(gs, evidence)
    _merge_first_name_variants(gs)
    _merge_labels(gs)
    rejected = _not_people(evidence, gs.groups)
    rejected.update(_listed_not_people(gs.groups, registry))
    by_surname = _surname_index(gs.groups, rejected)
    known = _known_full_names(gs.groups, rejected)
    return {doc.id: _resolve_doc(gs, doc, rejected, by_surname, known) for doc in evidence}


def _known_full_names(groups: dict[str, _Group], rejected: dict[str, str]) -> dict[str, _Group]:
    """{name key: group} for every spelling of two words or more of the people the archive keeps."""
    out: dict[str, _Group] = {}
    for key in sorted(groups):
        g = groups[key]
        if key in rejected:
            continue
        for spelling in sorted(g.spellings):
            if len(_tokens(spelling)) >= 2:
                out.setdefault(entity_key(spelling), g)
    return out


WELL_KNOWN = 2     # articles naming a person as one, from which one article's ORG tag does not hide them


def _written_people(found: dict[str, PersonRef], doc: DocEvidence, known: dict[str, _Group]) -> dict[str, int]:
    """People the archive knows, written in full where the model did not see them as a person
    ("in Lyndon Johnson fashion"): listed, unless this article calls it a company or a work, or
    tags it an organisation or a place while fewer than ``WELL_KNOWN`` articles name the person
    (one span tagged ORG in a list of actors does not outweigh the archive's evidence: "Meryl
    Streep, Morgan Freeman and Cate Blanchett"). Returns {name: line} of those added."""
    added: dict[str, int] = {}
    for key, line in sorted(doc.written.items(), key=lambda kv: (kv[1], kv[0])):
        group = known.get(key)
        if group is None or group.canonical in found or key in doc.thing_context \
                or (key in doc.other_labels and sum(group.spellings.values()) < WELL_KNOWN):
            continue
        _add_ref(found, group, "written in full", Mention(group.canonical, line, "written in full"))
        added[group.canonical] = line
    return added


def _noted(notes: list[str], text: str) -> bool:
    return any(n.startswith(f"'{text}'") for n in notes)


def _full_name_group(gs: _Groups, m: Mention, rejected: dict[str, str], notes: list[str]) -> tuple[_Group | None, str]:
    """The group of a full (or registered) name; None, with a note, when it is turned down."""
    group = gs.group_for(m.text)
    if group.key in rejected:
        if not _noted(notes, m.text):
            notes.append(f"'{m.text}' (line {m.line}) is not listed as a person: {rejected[group.key]}")
        return None, ""
    return group, "registry" if group.registry_name else m.via


def _single_name_group(gs: _Groups, m: Mention, local_full: set[str],
                       by_surname: dict[str, set[str]]) -> tuple[_Group | None, str]:
    """The full name a single name stands for: in the same article (its last or first word),
    in the registry, or the only one elsewhere in the archive."""
    key = name_key(m.text)
    local = sorted({gs.group_for(f).key for f in local_full
                    if name_key(f).split()[-1] == key or name_key(f).split()[0] == key})
    if len(local) == 1:
        return gs.groups[local[0]], "surname in article"
    person = gs.registry.person_by_surname.get(key)
    if person is not None:
        return gs.group_for(person.name), "surname in registry"
    if len(by_surname.get(key, ())) == 1:
        return gs.groups[next(iter(by_surname[key]))], "surname elsewhere in archive"
    return None, ""


def _add_ref(found: dict[str, PersonRef], group: _Group, how: str, m: Mention) -> None:
    name = group.canonical
    ref = found.get(name)
    if ref is None:
        evidence_text = f"'{m.text}' (line {m.line})"
        if m.text != name:
            variants = sorted(s for s in group.spellings if s != name)
            if how not in ("registry", "surname in registry") and variants:
                evidence_text += "; spelling variants merged: " + ", ".join(f"'{v}'" for v in variants)
        ref = PersonRef(name=name, method=_METHOD_NAMES.get(how, how), evidence=evidence_text, mentions=[])
        found[name] = ref
    if m.text not in ref.mentions:
        ref.mentions.append(m.text)


def _resolve_doc(gs: _Groups, doc: DocEvidence, rejected: dict[str, str],
                 by_surname: dict[str, set[str]], known: dict[str, _Group]) -> tuple[list[PersonRef], list[str]]:
    """One article's people (full names first, then single names) and notes on names left out."""
    found: dict[str, PersonRef] = {}
    notes: list[str] = []
    local_full = {m.text for m in doc.mentions if len(_tokens(m.text)) >= 2}
    for m in sorted(doc.mentions, key=lambda m: (len(_tokens(m.text)) < 2, m.line)):
        if len(_tokens(m.text)) >= 2 or gs.registry.person(m.text):
            group, how = _full_name_group(gs, m, rejected, notes)
        else:
            group, how = _single_name_group(gs, m, local_full, by_surname)
            if group is not None and group.key in rejected:
                continue        # the surname of a name that is not a person's ("Jeeves" of Ask Jeeves)
            if group is None and m.via != "titled surname" and not _noted(notes, m.text):
                notes.append(f"'{m.text}' (line {m.line}) is a single name that matches no full name; not listed")
        if group is not None:
            _add_ref(found, group, how, m)
    written = _written_people(found, doc, known)
    people = sorted(found.values(), key=lambda r: (written[r.name], r.name) if r.name in written else _first_line(r, doc))
    return people, notes


def _listed_not_people(groups: dict[str, _Group], registry: Registry) -> dict[str, str]:
    """{group key: why} for names an archivist listed under not_people in people.yml: their
    word overrules every rule."""
    out = {}
    for key, g in groups.items():
        if g.registry_name:
            continue
        listed = next((registry.not_person_by_key[k] for k in sorted({name_key(sp) for sp in g.spellings})
                       if k in registry.not_person_by_key), None)
        if listed is not None:
            out[key] = f"listed under not_people in {registry.paths.get('people', 'people.yml')} (line {listed.line})"
    return out


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
        titled_surnames = {name_key(m.text) for m in doc.mentions if m.titled and len(_tokens(m.text)) == 1}
        for m in doc.mentions:
            key = name_key(m.text).split()
            if len(key) >= 2 and m.titled:
                titled.add(m.text)
            elif len(key) >= 2 and key[-1] in titled_surnames:
                by_surname.add(m.text)
    for text in by_surname:
        first = text.split()[0]
        if lower[first.casefold()] < 2 or first.casefold() in given_names():
            titled.add(text)
    return titled


def _plurals_of_rejected(stats: list[NameStats], reasons: dict[str, str]) -> None:
    """The plural of a name that is not a person's is not one either ("Alfa Romeos", "Billy Elliots")."""
    for st in stats:
        words = st.name.split()
        singular = " ".join(words[:-1] + [words[-1][:-1]])
        if st.name not in reasons and words[-1].endswith("s") and singular in reasons:
            reasons[st.name] = f"the plural of '{singular}', which is not listed as a person"


def _not_people(evidence: list[DocEvidence], groups: dict[str, _Group]) -> dict[str, str]:
    """{group key: why} for unregistered names the one archive-wide decision (``model``) turns down."""
    lower, others, runs, the_runs, things, cues = _archive_counts(evidence)
    titled = _titled_spellings(evidence, lower)
    stats = [NameStats(g.canonical, sorted(g.spellings), sum(g.spellings.values()),
                       any(sp in titled for sp in g.spellings), lower, others, runs, the_runs, things, cues)
             for g in groups.values() if not g.registry_name]
    reasons = model.archive_rejections(stats)     # through the module: a benchmark captures the stats
    _plurals_of_rejected(stats, reasons)
    return {key: reasons[g.canonical] for key, g in groups.items() if not g.registry_name and g.canonical in reasons}


_METHOD_NAMES = {"ner": "named-entity recognition", "possessive": "possessive name tagged as an organisation",
                 "titled surname": "surname after a title", "results line": "name in a results line", "apposition": "name in apposition to a role",
                 "surname words of a longer name": "surname of a longer name in the article", "title": "named-entity recognition (title stripped)",
                 "registry": "people.yml", "surname in article": "surname of a full name in the article",
                 "surname in registry": "surname in people.yml",
                 "surname elsewhere in archive": "surname of a full name elsewhere in the archive",
                 "written in full": "full name of a person the archive knows"}


def _first_line(ref: PersonRef, doc: DocEvidence) -> tuple[int, str]:
    lines = [m.line for m in doc.mentions if m.text in ref.mentions]
    return (min(lines) if lines else 10**9, ref.name)
