"""One name across the archive: what its words and the archive's contexts say against it.

Each test takes a name's ``NameStats`` and returns what speaks against it being a person's name,
or None. ``model`` weighs each as one feature among the shares of the articles that write the
name each way; those that look at the name's own words (a place, an organisation word first, only
ordinary words, an ordinary plural, an ordinary first word and no given name) also turn down a
name no title ever preceded, since no article's context can make such a name a person's.
"""

from __future__ import annotations

import re

from ..core.text import ascii_fold
from .evidence import NameStats, _keys
from .spans import entity_key
from .words import (COMMON_WORDS, COMPASS_WORDS, DEMONYMS, PLACE_NAMES, PLACE_WORDS, REGION_NAMES, given_names,
                    known_surnames)


def starts_with_ordinary_word(s: NameStats) -> str | None:
    """"Black Sabbath", "Ask Jeeves", "Strong Medicine", "Trap Door": the first word is one the
    archive writes in lower case and no known given name."""
    first = s.name.split()[0]
    folded = first.casefold()
    if folded in given_names() or s.lower_words[folded] < 2 or len(s.name.split()) < 2:
        return None
    return f"'{first}' is an ordinary word in this archive, not a known given name"


# "New York State", "Mexico City": the kind of place after a place's name
_KIND_OF_PLACE = re.compile(r"\s+(?:state|city|county|province)$")


def _place_and_its_kind(s: NameStats, sp: str, folded: str) -> str | None:
    """"New York State", "Mexico City": a place with the kind of place after it, titled or not."""
    bare = _KIND_OF_PLACE.sub("", folded)
    if bare != folded and (bare in PLACE_NAMES or bare in PLACE_WORDS):
        return f"'{sp}' is a place (GeoNames)"
    return None


def _tagged_or_untitled(s: NameStats, sp: str) -> bool:
    """No title ever stood before the name, or the model tags it a place or an organisation
    somewhere: a town's name that is also a surname ("Paris Hilton") needs one or the other."""
    return not s.titled or bool(s.other_labels[entity_key(sp)])


def _gazetteer_place(s: NameStats, sp: str, folded: str) -> str | None:
    """A city, a country, a state or a province of GeoNames."""
    if folded in PLACE_NAMES and _tagged_or_untitled(s, sp):
        return f"'{sp}' is a place (GeoNames)"
    return None


def _division_of_a_country(s: NameStats, sp: str, folded: str) -> str | None:
    """"Tamil Nadu": a division of a country of ISO 3166-2."""
    if folded in REGION_NAMES and _tagged_or_untitled(s, sp):
        return f"'{sp}' is a division of a country (ISO 3166-2)"
    return None


def _compass_words_only(s: NameStats, sp: str, folded: str) -> str | None:
    """"North East": only compass words."""
    if all(w in COMPASS_WORDS for w in folded.split()):
        return f"'{sp}' names a region"
    return None


def _people_of_a_region(s: NameStats, sp: str, folded: str) -> str | None:
    """"North American", "South Korean": compass words and demonyms, two words or more."""
    words = folded.split()
    if len(words) > 1 and all(w in COMPASS_WORDS or w in DEMONYMS for w in words):
        return f"'{sp}' names the people of a region"
    return None


# each takes the name's evidence, one spelling, and the spelling folded; tried in order
_PLACE_RULES = (_place_and_its_kind, _gazetteer_place, _division_of_a_country, _compass_words_only,
                _people_of_a_region)


def _spelling_is_a_place(s: NameStats, sp: str) -> str | None:
    folded = ascii_fold(sp).casefold()
    return next((r for r in (rule(s, sp, folded) for rule in _PLACE_RULES) if r), None)


def is_a_place_name(s: NameStats) -> str | None:
    """"Milton Keynes", "Porto Alegre", "Tamil Nadu", "North East": a city, country, state or
    province of the gazetteers (builder/data/place-names.txt and town-names.txt from GeoNames,
    region-names.txt from ISO 3166-2), or only compass words."""
    return next((r for r in (_spelling_is_a_place(s, sp) for sp in s.spellings) if r), None)


ORDINARY_WORD_ARTICLES = 20


def no_given_name_and_an_ordinary_last_word(s: NameStats) -> str | None:
    """"Nomad Digital", "Xbox Live", "Wright Stuff": the first word is no known given name (nor an
    initial) and the last is a word the archive writes in lower case in many articles."""
    words = s.name.split()
    first, last = words[0].casefold().rstrip("."), words[-1].casefold()
    if len(words) < 2 or len(first) < 2 or first in given_names() or s.lower_words[last] < ORDINARY_WORD_ARTICLES:
        return None
    return f"'{words[0]}' is no known given name and '{words[-1]}' an ordinary word in this archive"


def starts_with_a_place(s: NameStats) -> str | None:
    """"Baghdad Blogger", "Leeds Rhinos", "Lesotho Hats": the first word is a country, a US state or
    a city of 200,000 people (builder/data/place-words.txt, from GeoNames) and no known given name."""
    first = s.name.split()[0].casefold()
    if first in PLACE_WORDS and first not in given_names():
        return f"'{s.name.split()[0]}' is a place, not a known given name"
    return None


def ends_with_a_place(s: NameStats) -> str | None:
    """"Sparta Rotterdam", "Legia Warsaw", "Partizan Belgrade": the last word is a country, a
    US state or a city of 200,000 people (place-words.txt) and no known surname or given name
    ("Luzia dos Santos Pereira" keeps hers). A feature of the model only, never a veto."""
    words = s.name.split()
    last = words[-1].casefold()
    if len(words) < 2 or last not in PLACE_WORDS or _a_name_word(last):
        return None
    return f"'{words[-1]}' is a place, not a known surname"


def starts_with_an_organisation(s: NameStats) -> str | None:
    """"Facebook Messenger", "Google Maps", "Senedd Cymru": the first word alone is what the
    model tags an organisation or a place in several articles (more than name the whole as a
    person), and is no known given name or surname ("Jordan Henderson", "Park Ji-sung")."""
    words = s.name.split()
    if len(words) < 2 or _a_name_word(words[0].casefold()):
        return None
    n = s.other_labels[entity_key(words[0])]
    if n >= 3 and n > s.articles:
        return f"'{words[0]}' alone is named as an organisation or a place in {n} articles"
    return None


def only_ordinary_words(s: NameStats) -> str | None:
    """"Young People", "Big Brother", "Migration Watch": every word is one the archive writes in
    lower case in several articles, and none is a known given name."""
    words = s.name.split()
    if all(s.lower_words[w.casefold()] >= 5 and w.casefold() not in given_names() for w in words):
        return "every word is an ordinary word in this archive"
    return None


def only_common_words(s: NameStats) -> str | None:
    """"Night Mode", "Side Salad", "Common Cause": every word is one news copy writes in lower case
    (common-words.txt, which holds no given name or surname), for an archive too small to have seen
    them in lower case itself."""
    words = s.name.split()
    if len(words) >= 2 and all(w.casefold() in COMMON_WORDS for w in words):
        return "every word is a common word of news copy (common-words.txt), none a name"
    return None


def named_in_the_plural(s: NameStats) -> str | None:
    """"Guildford Flames", "Wulfrun Halls", "Ryder Cups": a team's, a venue's or an event's name
    ends in a plural the archive writes in lower case, which is no known surname ("Woods") or
    given name; a person so named would somewhere be followed by "said" or a person's pronoun.
    Never after a known given name ("Barry Bonds", "Peter Sellers", "Meryl Halls")."""
    words = s.name.split()
    if len(words) < 2 or not _an_ordinary_plural(s, words[-1].casefold()) \
            or words[0].casefold().rstrip(".") in given_names():     # "Barry Bonds", "Meryl Halls"
        return None
    if _said_or_he(s):
        return None
    return f"'{words[-1]}' is a plural of an ordinary word, as in a team's or a group's name"


def _an_ordinary_plural(s: NameStats, last: str) -> bool:
    """A plural ("Flames", not "Ross", "Lotus", "Davis") the archive writes in lower case, and no
    surname or given name ("Woods")."""
    return _a_plural(last) and last not in known_surnames() and last not in given_names() \
        and bool(s.lower_words[last])


def _a_plural(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us", "is", "'s", "’s"))


def _a_name_word(word: str) -> bool:
    """A known given name or surname ("Jordan Henderson", "Park Ji-sung")."""
    return word in given_names() or word in known_surnames()


def _said_or_he(s: NameStats) -> bool:
    """An article says the name "said", or writes a person's pronoun after it."""
    return any(s.cues[(k, cue)] for k in _keys(s) for cue in ("said", "he"))
