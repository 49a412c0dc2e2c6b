"""Groups of spellings that are one person across the archive: a name completed within its
article ("Saavedra Paz" of "Rodrigo Saavedra Paz"), the registry's person a spelling is a variant
of, and groups merged for first-name variants (Dmitry/Dmytro) and labels ("Blairite Alan Milburn")."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..core.registry import Registry
from ..core.text import name_key
from .evidence import DocEvidence
from .mentions import Mention
from .shape import label_before_a_name
from .spans import _tokens
from .words import PARTICLES, SHEIKH_WORDS, first_names_compatible, known_surnames


_MIDDLE_INITIAL = re.compile(r"\s[A-Z]\.(?=\s)")


@dataclass
class _Group:
    key: str
    spellings: Counter = field(default_factory=Counter)   # spelling -> number of articles
    registry_name: str | None = None
    fixed: str | None = field(default=None, compare=False, repr=False)   # the name, once the groups are final

    @property
    def canonical(self) -> str:
        if self.registry_name:
            return self.registry_name
        if self.fixed is not None:
            return self.fixed
        # the spelling most articles use; on a tie, one without middle initials ("Paul Ryan")
        return sorted(self.spellings.items(), key=lambda kv: (-kv[1], bool(_MIDDLE_INITIAL.search(kv[0])),
                                                              kv[0].casefold(), kv[0]))[0][0]


@dataclass
class _Groups:
    """The archive's groups of spellings, and which groups joined which."""

    registry: Registry
    groups: dict[str, _Group] = field(default_factory=dict)
    merged: dict[str, str] = field(default_factory=dict)   # key of a group -> key of the group it joined
    # spelling -> the registry's person it names (or None): asked for every mention of every article
    persons: dict = field(default_factory=dict, repr=False)

    def joined(self, key: str) -> str:
        """A group may join one that later joins another ("Angry Zimbabwe Robert Mugabe" ->
        "Zimbabwe Robert Mugabe" -> "Robert Mugabe"): follow the chain to the group that is left."""
        while key in self.merged:
            key = self.merged[key]
        return key

    def group_for(self, spelling: str) -> _Group:
        if spelling in self.persons:
            person = self.persons[spelling]
        else:
            person = self.persons[spelling] = self.registry.person(spelling) or registry_variant(spelling, self.registry)
        key = self.joined(f"registry:{person.name}" if person else name_key(spelling))
        g = self.groups.get(key)
        if g is None:
            g = self.groups[key] = _Group(key)
        if person:
            g.registry_name = person.name
        return g

    def key_of(self, name: str) -> str:
        """The key of the group a name (a shorter form of another) belongs to, if it has one."""
        person = self.registry.person(name)
        return f"registry:{person.name}" if person else self.joined(name_key(name))

    def merge(self, key: str, into: str) -> None:
        self.merged[key] = into
        del self.groups[key]


def _count_full_names(gs: _Groups, evidence: list[DocEvidence]) -> None:
    """Full names (and registered single names), counted once per article."""
    for doc in evidence:
        for spelling in _full_names_once(doc, gs.registry):
            gs.group_for(spelling).spellings[spelling] += 1


def _full_names_once(doc: DocEvidence, registry: Registry) -> list[str]:
    """The article's names of two words or more and its registered single names, each once, sorted."""
    return sorted({m.text for m in doc.mentions if len(_tokens(m.text)) >= 2 or registry.person(m.text)})


def _merge_first_name_variants(gs: _Groups) -> None:
    """Unregistered people written with first-name variants (Dmitry/Dmitri/Dmytro Peskov) are one
    person when the surname matches and the first names are close; the larger group wins."""
    ordered = _unregistered_largest_first(gs)
    words = [g.key.split() for g in ordered]
    known: dict[tuple[str, str], bool] = {}     # first names compared already (a few thousand pairs)
    for members in _by_length_and_surname(words).values():
        _merge_alike(gs, [ordered[j] for j in members], [words[j][:-1] for j in members], known)


def _merge_alike(gs: _Groups, groups: list[_Group], firsts: list[list[str]], known: dict) -> None:
    """Names of one length and surname, largest first (their first names in ``firsts``): each
    takes in every later one whose first names are close, unless it joined an earlier one. Only
    names of one length and surname can be first-name variants of one another, so the groups of
    each surname are merged on their own."""
    alive = [True] * len(groups)
    for a, big in enumerate(groups):
        if not alive[a]:
            continue
        for b in range(a + 1, len(groups)):
            if alive[b] and _first_names_compatible(firsts[a], firsts[b], known):
                big.spellings.update(groups[b].spellings)
                gs.merge(groups[b].key, big.key)
                alive[b] = False


def _merge_middle_initials(gs: _Groups) -> None:
    """"Paul D. Ryan" is "Paul Ryan": an unregistered name with middle initials joins the same name
    without them, the group named in more articles winning; not when names with other initials
    share it ("George W. Bush", "George H. W. Bush": "George Bush" may be either)."""
    for base_key, variants in sorted(_initial_variants(gs).items()):
        base = gs.groups.get(gs.joined(base_key))
        if len(variants) != 1 or base is None or base.registry_name or base is variants[0]:
            continue
        small, big = sorted((variants[0], base), key=lambda g: (sum(g.spellings.values()), g is base))
        big.spellings.update(small.spellings)
        gs.merge(small.key, big.key)


def _initial_variants(gs: _Groups) -> dict[str, list[_Group]]:
    """{key of "given surname": the unregistered groups of that name with middle initials}."""
    out: dict[str, list[_Group]] = defaultdict(list)
    for g in _unregistered_largest_first(gs):
        words = g.key.split()
        if len(words) >= 3 and all(len(w) == 1 for w in words[1:-1]) and len(words[0]) > 1:
            out[f"{words[0]} {words[-1]}"].append(g)
    return out


def _by_length_and_surname(words: list[list[str]]) -> dict[tuple[int, str], list[int]]:
    """The positions of the names of two words or more, by their number of words and last word."""
    alike: dict[tuple[int, str], list[int]] = defaultdict(list)
    for j, w in enumerate(words):
        if len(w) >= 2:
            alike[(len(w), w[-1])].append(j)
    return alike


def _unregistered_largest_first(gs: _Groups) -> list[_Group]:
    """The unregistered groups, those named in most articles first (then by key)."""
    return sorted((g for g in gs.groups.values() if not g.registry_name),
                  key=lambda g: (-sum(g.spellings.values()), g.key))


def _first_names_compatible(big: list[str], small: list[str], known: dict) -> bool:
    """Every first name of one close to the other's (Dmitry/Dmytro); ``known`` keeps the pairs
    of first names compared."""
    for pair in zip(big, small):
        same = known.get(pair)
        if same is None:
            same = known[pair] = first_names_compatible(*pair)
        if not same:
            return False
    return True


def _first_word_again(name: str) -> str | None:
    """"Brett Kavanaugh Brett", "John Kerry John Forbes": a hover card's text glued after a name
    starts with the name's first word again."""
    words = name.split()
    again = next((i for i in range(2, len(words)) if words[i] == words[0]), None)
    return " ".join(words[:again]) if again else None


def _plural_of_a_name(name: str) -> str | None:
    """"the Michael Cohens of this world": a person's name in the plural is still that person
    (never a surname that ends in s: "James Woods" is not "James Wood")."""
    words = name.split()
    if (len(words) >= 2 and words[-1].endswith("s") and not words[-1].endswith("ss")
            and words[-1].casefold() not in known_surnames()):
        return " ".join(words[:-1] + [words[-1][:-1]])
    return None


# shorter forms of a name that are the same person when the archive names them: a label taken
# into the name ("Blairite Alan Milburn"), a glued first word, a plural
SHORTER_FORMS = (label_before_a_name, _first_word_again, _plural_of_a_name)


def _merge_labels(gs: _Groups) -> None:
    """A name written with something more ("Blairite Alan Milburn", "Brett Kavanaugh Brett",
    "Michael Cohens") when the archive also names the person without it: one person, under the
    name without it."""
    for key in sorted(k for k, g in gs.groups.items() if not g.registry_name):
        g = gs.groups[key]
        target_key = _shorter_forms_group(gs, g)
        if target_key is None:
            continue
        target = gs.groups[target_key]
        for spelling in g.spellings:    # found under the name, never chosen as it (count 0)
            target.spellings[spelling] += 0
        gs.merge(key, target_key)


def _shorter_forms_group(gs: _Groups, g: _Group) -> str | None:
    """The key of the other group the first of the name's shorter forms the archive names belongs to."""
    for shorter in SHORTER_FORMS:
        rest = shorter(g.canonical)
        if rest is None:
            continue
        target_key = gs.key_of(rest)
        target = gs.groups.get(target_key)
        if target is not None and target is not g:
            return target_key
    return None


def _longer_name_in_article(m: Mention, key: list[str], longer_keys: list[tuple[str, list[str]]]) -> set[str]:
    """The article's longer names that end with the mention's words ("Saavedra Paz" of "Rodrigo
    Saavedra Paz"), or else start with them before a particle: "Sheikh Ahmed" of "Ahmed bin Zayed
    Al Nahyan" (the honorific is no part of the name), "Juan Carlos" of "Juan Carlos de Borbón"."""
    local = {t for t, tk in longer_keys if len(tk) > len(key) and tk[-len(key):] == key}
    return local or _longer_name_after_particle(m, key, longer_keys)


def _longer_name_after_particle(m: Mention, key: list[str], longer_keys: list[tuple[str, list[str]]]) -> set[str]:
    """"Sheikh Ahmed" of "Ahmed bin Zayed Al Nahyan", "Juan Carlos" of "Juan Carlos de Borbón"."""
    honorific = _tokens(m.text)[0].casefold() in SHEIKH_WORDS
    given = key[1:] if honorific else key
    return {t for t, tk in longer_keys
            if len(tk) > len(given) + 1 and tk[:len(given)] == given and tk[len(given)] in PARTICLES}


def _resolve_partial_names(doc: DocEvidence, registry: Registry,
                            registry_keys: list[tuple[str, list[str]]] | None = None) -> DocEvidence:
    """Multi-word mentions that are the end of a longer name ("Saavedra Paz" of "Rodrigo Saavedra
    Paz", "Van Dijk" of "Femke van Dijk", "Okonkwo Adeyemi" of a registered name) become that name.
    ``registry_keys``: ``registry_name_keys(registry)``, made once for the whole archive."""
    longer_keys = _longer_name_keys(doc)
    if registry_keys is None:
        registry_keys = registry_name_keys(registry)
    out = [_completed(m, registry, longer_keys, registry_keys) for m in doc.mentions]
    return dataclasses.replace(doc, mentions=out)


def _longer_name_keys(doc: DocEvidence) -> list[tuple[str, list[str]]]:
    """The article's names of two words or more, longest first, each with its key's words (each
    name's key once, not per mention)."""
    longer = sorted({m.text for m in doc.mentions if len(_tokens(m.text)) >= 2}, key=lambda t: (-len(t), t))
    return [(t, name_key(t).split()) for t in longer]


def registry_name_keys(registry: Registry) -> list[tuple[str, list[str]]]:
    """(name, its key's words) of the registered people's names, then of their aliases."""
    names = [p.name for p in registry.people] + [a for p in registry.people for a in p.aliases]
    return [(n, name_key(n).split()) for n in names]


def _completed(m: Mention, registry: Registry, longer_keys: list[tuple[str, list[str]]],
               registry_keys: list[tuple[str, list[str]]]) -> Mention:
    """An unregistered mention of two words or more as the one longer name it ends, of the article
    or else of the registry; the mention itself when there is none or more than one."""
    key = name_key(m.text).split()
    if len(key) < 2 or registry.person(m.text) is not None:
        return m
    local = _longer_name_in_article(m, key, longer_keys)
    if len(local) != 1:
        local = _longer_registry_names(registry, registry_keys, key)
    if len(local) == 1:
        return Mention(local.pop(), m.line, "surname words of a longer name", m.titled)
    return m


def _longer_registry_names(registry: Registry, registry_keys: list[tuple[str, list[str]]], key: list[str]) -> set[str]:
    """The registered people whose name (or alias) is longer than the key and ends with it."""
    return {registry.person(n).name for n, words in registry_keys if len(words) > len(key) and words[-len(key):] == key}


def registry_variant(spelling: str, registry: Registry):
    """The registry person this full name is a first-name variant of ('Dmitry Kuleba' -> Dmytro Kuleba)."""
    words = name_key(spelling).split()
    if len(words) < 2:
        return None
    person = registry.person_by_surname.get(words[-1])
    if person is None:
        return None
    first = name_key(person.name).split()[0]
    if len(words[0]) == 1:      # an initial: "P.J. van der Berg" is the registry's Pieter van der Berg
        return person if first.startswith(words[0]) else None
    return person if first_names_compatible(words[0], first) else None
