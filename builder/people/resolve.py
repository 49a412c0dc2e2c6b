"""People across the archive: one canonical name for one person everywhere, the registry's name
when the registry knows them, else the spelling most articles use. ``resolve_people`` takes its
steps in order: partial names completed within an article, full names grouped by key, first-name
variants and labels merged into one group, names turned down by an archivist or the archive-wide
rules (``decide``), and then each article's mentions, single names included, resolved against
the groups."""

from __future__ import annotations

from collections import defaultdict

from ..core.models import PersonRef
from ..core.registry import Registry
from ..core.text import name_key
from .evidence import DocEvidence
from .groups import (_count_full_names, _Group, _Groups, _merge_first_name_variants, _merge_labels, _merge_middle_initials,
                     _resolve_partial_names, registry_name_keys)
from .mentions import Mention
from .rejected import rejected_groups
from .spans import _tokens, entity_key


def _surname_index(groups: dict[str, _Group], rejected: dict[str, str]) -> dict[str, set[str]]:
    """{surname key: keys of the groups of full names ending in it}, names turned down left out."""
    by_surname: dict[str, set[str]] = defaultdict(set)
    for key, g in groups.items():
        if key not in rejected:
            for surname in _surnames(g):
                by_surname[surname].add(key)
    return by_surname


def _surnames(g: _Group) -> list[str]:
    """The last words of the group's spellings of two words or more, then of its canonical name."""
    keys = [name_key(spelling).split() for spelling in g.spellings] + [name_key(g.canonical).split()]
    return [words[-1] for words in keys if len(words) >= 2]


def resolve_people(evidence: list[DocEvidence], registry: Registry,
                   decisions=None) -> dict[str, tuple[list[PersonRef], list[str]]]:
    """Canonical people for every article: {id: (people, notes about names left out)};
    ``decisions`` (``memo.Decisions``) keeps each name's archive-wide decision between builds."""
    registry = _Remembered(registry)
    gs = _Groups(registry)
    names = registry_name_keys(registry)
    evidence = [_resolve_partial_names(doc, registry, names) for doc in evidence]
    _count_full_names(gs, evidence)
    _merge_first_name_variants(gs)
    _merge_middle_initials(gs)
    _merge_labels(gs)
    rejected = rejected_groups(evidence, gs.groups, registry, decisions)
    by_surname = _surname_index(gs.groups, rejected)
    known = _known_full_names(gs.groups, rejected)
    for g in gs.groups.values():        # the groups are final: each article asks for their names
        g.fixed = g.canonical
    return {doc.id: _resolve_doc(gs, doc, rejected, by_surname, known) for doc in evidence}


class _Remembered:
    """The registry with its answers to ``person`` remembered: every mention of every article
    asks (a pure function of the spelling); everything else is the registry's own."""

    def __init__(self, registry: Registry) -> None:
        self._registry, self._people = registry, {}

    def person(self, spelling: str):
        if spelling not in self._people:
            self._people[spelling] = self._registry.person(spelling)
        return self._people[spelling]

    def __getattr__(self, name: str):
        return getattr(self._registry, name)


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
    for key, line in sorted(_longest_known_ends(doc.written, known).items(), key=lambda kv: (kv[1], kv[0])):
        group = known[key]
        if group.canonical in found or _a_thing_here(doc, key, group):
            continue
        _add_ref(found, group, "written in full", Mention(group.canonical, line, "written in full"))
        added[group.canonical] = line
    return added


def _longest_known_ends(written: dict[str, int], known: dict[str, _Group]) -> dict[str, int]:
    """The known names written in the article, less those ending a longer known name that as many
    articles name or more: "George W. Bush" is written, not the "W. Bush" that ends it; "Robert Mueller"
    stays beside a stray "Will Robert Mueller"."""
    keys = [k for k in written if k in known]
    return {k: written[k] for k in keys
            if not any(o != k and o.endswith(" " + k) and _articles(known[o]) >= _articles(known[k]) for o in keys)}


def _articles(group: _Group) -> int:
    return sum(group.spellings.values())


def _a_thing_here(doc: DocEvidence, key: str, group: _Group) -> bool:
    """The article calls the name a company's or a work's, or tags it an organisation or a place
    while fewer than ``WELL_KNOWN`` articles name the person."""
    return key in doc.thing_context or (key in doc.other_labels and sum(group.spellings.values()) < WELL_KNOWN)


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
    for rule in _SINGLE_NAME_RULES:
        found = rule(gs, key, local_full, by_surname)
        if found is not None:
            return found
    return None, ""


def _surname_in_article(gs: _Groups, key: str, local_full: set[str],
                        by_surname: dict[str, set[str]]) -> tuple[_Group, str] | None:
    """The one full name of the article the single name is the last or the first word of."""
    local = sorted({gs.group_for(f).key for f in local_full
                    if name_key(f).split()[-1] == key or name_key(f).split()[0] == key})
    return (gs.groups[local[0]], "surname in article") if len(local) == 1 else None


def _surname_in_registry(gs: _Groups, key: str, local_full: set[str],
                         by_surname: dict[str, set[str]]) -> tuple[_Group, str] | None:
    """The registered person of that surname."""
    person = gs.registry.person_by_surname.get(key)
    return (gs.group_for(person.name), "surname in registry") if person is not None else None


def _surname_elsewhere(gs: _Groups, key: str, local_full: set[str],
                       by_surname: dict[str, set[str]]) -> tuple[_Group, str] | None:
    """The only full name of that surname elsewhere in the archive."""
    if len(by_surname.get(key, ())) == 1:
        return gs.groups[next(iter(by_surname[key]))], "surname elsewhere in archive"
    return None


# where a single name's full name is looked for, in order: the article, the registry, the archive
_SINGLE_NAME_RULES = (_surname_in_article, _surname_in_registry, _surname_elsewhere)


def _add_ref(found: dict[str, PersonRef], group: _Group, how: str, m: Mention) -> None:
    name = group.canonical
    ref = found.get(name)
    if ref is None:
        ref = PersonRef(name=name, method=_METHOD_NAMES.get(how, how), evidence=_evidence_text(name, group, how, m),
                        mentions=[])
        found[name] = ref
    if m.text not in ref.mentions:
        ref.mentions.append(m.text)


def _evidence_text(name: str, group: _Group, how: str, m: Mention) -> str:
    """Where the article names the person, and the spellings merged into the name (unless the
    registry's name or a surname of it stands for them)."""
    text = f"'{m.text}' (line {m.line})"
    if m.text == name or how in ("registry", "surname in registry"):
        return text
    variants = sorted(s for s in group.spellings if s != name)
    return text + "; spelling variants merged: " + ", ".join(f"'{v}'" for v in variants) if variants else text


def _resolve_doc(gs: _Groups, doc: DocEvidence, rejected: dict[str, str],
                 by_surname: dict[str, set[str]], known: dict[str, _Group]) -> tuple[list[PersonRef], list[str]]:
    """One article's people (full names first, then single names) and notes on names left out."""
    found: dict[str, PersonRef] = {}
    notes: list[str] = []
    local_full = {m.text for m in doc.mentions if len(_tokens(m.text)) >= 2}
    for m in sorted(doc.mentions, key=_full_names_first):
        if len(_tokens(m.text)) >= 2 or gs.registry.person(m.text):
            group, how = _full_name_group(gs, m, rejected, notes)
        else:
            group, how = _single_name_group(gs, m, local_full, by_surname)
            group = _single_name_kept(group, rejected, m, notes)
        if group is not None:
            _add_ref(found, group, how, m)
    written = _written_people(found, doc, known)
    first = _first_lines(doc)
    people = sorted(found.values(), key=lambda r: (written[r.name], r.name) if r.name in written else _first_line(r, first))
    return people, notes


def _full_names_first(m: Mention) -> tuple[bool, int]:
    return len(_tokens(m.text)) < 2, m.line


def _single_name_kept(group: _Group | None, rejected: dict[str, str], m: Mention, notes: list[str]) -> _Group | None:
    """The group of a single name, unless it is the surname of a name that is not a person's
    ("Jeeves" of Ask Jeeves); a note when it matches no full name (not after a title: "Mr Hevesi"
    alone is expected to go unmatched)."""
    if group is not None:
        return None if group.key in rejected else group
    if m.via != "titled surname" and not _noted(notes, m.text):
        notes.append(f"'{m.text}' (line {m.line}) is a single name that matches no full name; not listed")
    return None


_METHOD_NAMES = {"ner": "named-entity recognition", "possessive": "possessive name tagged as an organisation",
                 "titled surname": "surname after a title", "results line": "name in a results line", "apposition": "name in apposition to a role",
                 "surname words of a longer name": "surname of a longer name in the article", "title": "named-entity recognition (title stripped)",
                 "registry": "people.yml", "surname in article": "surname of a full name in the article",
                 "surname in registry": "surname in people.yml",
                 "surname elsewhere in archive": "surname of a full name elsewhere in the archive",
                 "written in full": "full name of a person the archive knows"}


def _first_line(ref: PersonRef, first: dict[str, int]) -> tuple[int, str]:
    """The line the article first names the person on (``first``: each mention's first line)."""
    lines = [first[t] for t in ref.mentions if t in first]
    return (min(lines) if lines else 10**9, ref.name)


def _first_lines(doc: DocEvidence) -> dict[str, int]:
    """{mention text: the first line it is on}."""
    first: dict[str, int] = {}
    for m in doc.mentions:
        if m.line < first.get(m.text, m.line + 1):
            first[m.text] = m.line
    return first
