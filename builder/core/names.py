"""Person, tag and source names keyed once, and the page address each name gets.

Two spellings that differ only in letter case, spacing, compatibility forms or invisible
characters ("jens stoltenberg", "Jens\u200b Stoltenberg") are one name: ``key_names`` gives
each record the one spelling of its key, so they share a page instead of making look-alike
pages. ``unique_slugs`` gives every name its own address: a name's slug depends on its own
spelling, the first name of a slug (in an order an article cannot game: registry names, then
the plainest, shortest spelling) keeps it, and a later name that would land on a taken address
gets a longer suffix, never the other page's address; each such collision is reported naming
both spellings.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from .models import WARNING, Message, PersonRef, Record
from .text import name_fold, normalise_name, slugify, stable_suffix, transliterated_slug

SUFFIX_LENGTHS = (6, 10, 16, 24, 40)     # hex digits of the name's SHA-1, tried in turn on a collision


def _rank(name: str, count: int, preferred: set[str]) -> tuple:
    """The order in which spellings of one key are chosen: the registry's, then one in mixed case
    ('Jens Stoltenberg', not 'jens stoltenberg' or 'JENS STOLTENBERG'), then the most used."""
    mixed = any(c.isupper() for c in name) and not name.isupper()
    return (name not in preferred, not mixed, -count, name)


def canonical_spellings(counts: Counter, preferred: set[str] = frozenset()) -> dict[str, str]:
    """spelling -> the one spelling of its key (``text.name_fold``) among ``counts``."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for name in counts:
        by_key[name_fold(name)].append(name)
    out: dict[str, str] = {}
    for spellings in by_key.values():
        best = min(spellings, key=lambda n: _rank(n, counts[n], preferred))
        out.update({n: best for n in spellings})
    return out


def _merge_people(people: list[PersonRef], canon: dict[str, str]) -> list[PersonRef]:
    out: dict[str, PersonRef] = {}
    for p in people:
        name = canon.get(p.name, p.name)
        if name in out:
            out[name].mentions += [m for m in p.mentions if m not in out[name].mentions]
        else:
            out[name] = replace(p, name=name, mentions=list(p.mentions))
    return list(out.values())


def key_names(records: list[Record], registry) -> list[Message]:
    """Give every person, tag and source of ``records`` the one spelling of its key, in place;
    an info message for each spelling that was shown as another."""
    people, tags, sources = _name_counts(records)
    canon_people = canonical_spellings(people, {p.name for p in registry.people})
    canon_tags = canonical_spellings(tags, {t.tag for t in registry.tags})
    canon_sources = canonical_spellings(sources, {s.name for s in registry.sources})
    for r in records:
        _respell(r, canon_people, canon_tags, canon_sources)
    messages = []
    for what, canon in (("person", canon_people), ("tag", canon_tags), ("source", canon_sources)):
        messages += _respelled_messages(what, canon)
    return messages


def _name_counts(records: list[Record]) -> tuple[Counter, Counter, Counter]:
    """How many records name each spelling of a person, a tag and a source (once per record)."""
    people = _per_record(r.people_names for r in records)
    tags = _per_record(map(str, r.tags.value) for r in records)
    sources = Counter(normalise_name(s) for s in _source_names(records))
    return people, tags, sources


def _per_record(names_of_each) -> Counter:
    """How many records name each spelling: a record that repeats a name counts once."""
    return Counter(n for names in names_of_each for n in dict.fromkeys(map(normalise_name, names)))


def _respell(r: Record, canon_people: dict[str, str], canon_tags: dict[str, str],
             canon_sources: dict[str, str]) -> None:
    """One record's people, tags and source in their keys' spellings (people merged by name)."""
    r.people = _merge_people([replace(p, name=normalise_name(p.name)) for p in r.people], canon_people)
    r.tags.value = list(dict.fromkeys(canon_tags[normalise_name(str(t))] for t in r.tags.value))
    if r.source.value:
        r.source.value = canon_sources[normalise_name(r.source.value)]


def _respelled_messages(what: str, canon: dict[str, str]) -> list[Message]:
    return [Message("corpus/articles", 1, "info", f"{what} '{spelling}' is the same name as "
                    f"'{shown}' (written in other letter case or with invisible characters) and is listed under it",
                    code="names")
            for spelling, shown in sorted(canon.items()) if spelling != shown]


def base_slug(name: str) -> str:
    """A name's own slug: readable ASCII; a name in another script is transliterated and given a
    suffix of its own (two scripts can spell one transliteration)."""
    plain = slugify(name)
    transliterated = transliterated_slug(name)
    return plain if plain == transliterated else f"{transliterated}-{stable_suffix(name)}"


@dataclass(frozen=True)
class Collision:
    """``name`` would have had ``holder``'s address; it got ``slug`` instead."""

    name: str
    holder: str
    slug: str


def unique_slugs(names, reserved: frozenset[str] = frozenset({"index"}),
                 preferred: frozenset[str] = frozenset()) -> tuple[dict[str, str], list[Collision]]:
    """name -> slug, every slug distinct and none of ``reserved``; and the collisions resolved.

    Names are taken in an order no article can game (``preferred``, the registry's names, first;
    then the shortest spelling; then code point order), each keeping its own slug when free and
    otherwise the first free one among ever longer suffixes of its own SHA-1: a page is never
    given another's address, however the names were chosen."""
    holders: dict[str, str] = {slug: f"the reserved page '{slug}'" for slug in reserved}
    out: dict[str, str] = {}
    collisions: list[Collision] = []
    for name in sorted(set(names), key=lambda n: (n not in preferred, len(n), n)):
        base = base_slug(name)
        slug = base
        if slug in holders:
            slug = _free_slug(name, base, holders)
            collisions.append(Collision(name, holders[base], slug))
        holders[slug] = name
        out[name] = slug
    return out, collisions


def _free_slug(name: str, base: str, holders: dict[str, str]) -> str:
    """The first address no one holds among ever longer suffixes of the name's own SHA-1."""
    digest = hashlib.sha1(name.encode("utf-8", "surrogateescape")).hexdigest()
    candidates = [f"{base}-{digest[:n]}" for n in SUFFIX_LENGTHS]
    # the full SHA-1 taken too (only a name made to match another's): a counter after it
    candidates += [f"{base}-{digest}-{i}" for i in range(2, len(holders) + 3)]
    return next(c for c in candidates if c not in holders)


def collision_messages(records: list[Record], registry) -> list[Message]:
    """A warning for each person, tag or source name whose address another name already had."""
    out = []
    for what, folder, names, reserved, preferred in name_sets(records, registry):
        for c in unique_slugs(names, reserved, preferred)[1]:
            holder = c.holder if c.holder.startswith("the reserved page") else f"'{c.holder}'"
            out.append(Message("corpus/articles", 1, WARNING,
                               f"{what} '{c.name}' has the same address as {holder} ({folder}/{base_slug(c.name)}); "
                               f"it is published at {folder}/{c.slug} instead: if they are one name, spell them alike",
                               code="names"))
    return out


def name_sets(records: list[Record], registry) -> list[tuple[str, str, list[str], frozenset[str], frozenset[str]]]:
    """(what, folder, names, reserved slugs, preferred names) for people, tags and sources."""
    people, tags, sources = _registry_names(registry)
    return [("person", "people", [p for r in records for p in r.people_names], frozenset({"index"}), people),
            ("tag", "tags", [str(t) for r in records for t in r.tags.value], frozenset({"index"}), tags),
            ("source", "sources", _source_names(records), frozenset({"index", "unknown"}), sources)]


def _registry_names(registry) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The registry's people, tags and sources (none without a registry): they keep their slugs."""
    if registry is None:
        return (frozenset(),) * 3
    return (frozenset(p.name for p in registry.people), frozenset(t.tag for t in registry.tags),
            frozenset(s.name for s in registry.sources))


def _source_names(records: list[Record]) -> list[str]:
    return [r.source.value for r in records if r.source.value]
