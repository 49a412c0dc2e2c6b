"""The word lists the person rules read: data files under ``builder/data/`` (each with its
provenance, loaded once, for archivists to edit) and the name lists of the field's libraries:
``nameparser`` (titles), ``nicknames`` (English given names and their short forms) and
``probablepeople`` (a person's or a corporation's name, from the name alone)."""

from __future__ import annotations

import csv
import functools
from importlib import resources


def _words(name: str) -> frozenset[str]:
    """One lower-case entry a line from builder/data/NAME.txt; '#' starts a comment."""
    text = resources.files("builder").joinpath("data", f"{name}.txt").read_text(encoding="utf-8")
    return frozenset(w for w in (line.split("#", 1)[0].strip().casefold() for line in text.splitlines()) if w)


@functools.lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Given names, lower case: builder/data/given-names.txt (from names-dataset) and first-words.txt,
    and the ``nicknames`` package's English names and their short forms."""
    names: set[str] = set(_words("first-words")) | _words("given-names")
    try:
        import nicknames
        path = resources.files(nicknames).joinpath("names.csv")
        with path.open(encoding="utf-8") as f:
            for row in csv.reader(f):
                if len(row) == 3 and row[1] != "relationship":
                    names.update((row[0].casefold(), row[2].casefold()))
    except (ImportError, OSError):  # the package is a dependency; without it only the data file counts
        pass
    return frozenset(names)


@functools.lru_cache(maxsize=1)
def known_surnames() -> frozenset[str]:
    """Surnames, lower case: builder/data/surnames.txt (the most frequent last names of 105
    countries, from names-dataset): evidence, never proof, that a name is a person's."""
    return _words("surnames")


@functools.lru_cache(maxsize=65536)
def parsed_as_corporation(name: str) -> bool:
    """probablepeople's reading of the name alone: a corporation's ("Biogen Idec", "Virgin
    Trains") rather than a person's. A model trained on US campaign-finance names, so evidence for
    the learned second opinion, never a verdict; False when the package is missing."""
    try:
        import probablepeople
    except ImportError:
        return False
    try:
        return probablepeople.tag(name)[1] == "Corporation"
    except Exception:       # probablepeople.RepeatedLabelError: a string it cannot read one way
        return False


@functools.lru_cache(maxsize=1)
def library_titles() -> frozenset[str]:
    """nameparser's titles ("comptroller", "chancellor", "rabbi"), when it is installed."""
    try:
        from nameparser.config.titles import TITLES
    except ImportError:
        return frozenset()
    return frozenset(t.casefold() for t in TITLES) - _words("names-not-titles")


@functools.lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS     # imported when first needed: spaCy is slow to import
    return frozenset(STOP_WORDS)


@functools.lru_cache(maxsize=1)
def nickname_pairs() -> frozenset[tuple[str, str]]:
    """(short form, full name) pairs from the ``nicknames`` package, as name keys (bill/wilyam)."""
    from ..core.text import word_key

    pairs: set[tuple[str, str]] = set()
    try:
        import nicknames
        with resources.files(nicknames).joinpath("names.csv").open(encoding="utf-8") as f:
            for row in csv.reader(f):
                if len(row) == 3 and row[1] == "has_nickname":
                    pairs.add((word_key(row[2]), word_key(row[0])))
    except (ImportError, OSError):
        pass
    return frozenset(pairs)


def first_names_compatible(a: str, b: str) -> bool:
    """One given name written two ways (keys): transliterations (dmytro/dmitry, oleksandr/alexander)
    and short forms the ``nicknames`` package knows (bill/william, andy/andrew); not joe/jill."""
    import difflib

    if a == b:
        return True
    if not a or not b:
        return False
    if (a, b) in nickname_pairs() or (b, a) in nickname_pairs():
        return True
    if a[0] != b[0] or min(len(a), len(b)) < 3:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.6


ROLE_TITLES = _words("person-titles")          # words naming a role: "President", "striker"
TITLE_MODIFIERS = _words("title-modifiers")    # may stand before a title: "former", "Foreign", "the"
DEMONYMS = _words("demonyms")                  # "Argentine", "Spaniard", "New Zealander"
HONORIFICS = ROLE_TITLES | TITLE_MODIFIERS | {d for d in DEMONYMS if " " not in d}
PARTICLES = _words("name-particles")
# a "name" ending in one of these is a place, building or organisation ("Dolmabahce Palace")
NOT_PERSON_WORDS = _words("place-or-thing-endings")
# words that make a whole span an organisation or a place wherever they stand in it
ORG_WORDS = _words("organisation-words")
# companies, works, events, parties ("Deutsche Boerse", "Grand Prix", "Liberal Democrat")
NOT_PERSON_ANYWHERE = _words("not-person-words")
WORK_CONTEXT = _words("work-context")
# the word after a name that makes it the name of a thing: "the Louise Weiss building",
# "the Pierre de Coubertin medal", "Karl Renner school"
THING_AFTER_NAME = (NOT_PERSON_WORDS - {"administration", "government", "war", "day", "deal"}) | _words("thing-after-name")
POST_NOMINALS = _words("post-nominals")
FUNCTION_WORDS = _words("function-words")
COMMON_WORDS = _words("common-words")          # lower case in news copy everywhere: "night", "side"
WORK_APPOSITION = _words("work-apposition")
FAMILY = _words("family-words")
PLACE_NAMES = _words("place-names") | _words("town-names")
REGION_NAMES = _words("region-names")
PLACE_WORDS = _words("place-words")
COMPASS_WORDS = _words("compass-words")
SHEIKH_WORDS = frozenset({"sheikh", "shaikh", "sheik"})     # an honorific before Arabic names
