"""Titles, roles and nationalities before a name (``strip_titles``): "Comptroller Alan Hevesi",
"New Zealander Graham Henry", "Profesor Stuart Cole"; each step a small function tried in order."""

from __future__ import annotations

import functools
import re

from .spans import Candidate
from .words import (DEMONYMS, HONORIFICS, PLACE_WORDS, ROLE_TITLES, SHEIKH_WORDS, given_names, known_surnames,
                    library_titles)

# a word shaped like a trade or role ("cinematographer", "guitarist", "musician", "auctioneer"):
# before a name it is a title, unless it is itself a given name ("Christian"). Not "-man", which
# ends given names too ("Abdirahman", "Osman"): those roles are in person-titles.txt ("postman")
_ROLE_SHAPE = re.compile(r"^[a-z]{3,}(?:grapher|ologist|ist|ician|eer)$")


# the first half of a hyphenated title: "Under-Secretary", "Vice-President", "Co-Founder"
_TITLE_PREFIXES = frozenset({"under", "vice", "deputy", "co", "ex", "assistant", "acting"})


def _is_title_part(part: str) -> bool:
    """One word (or hyphen-joined part) of a title; plurals too: "Americans Andy Roddick and ...",
    "Doctors Steven Woloshin and ..."."""
    return part in HONORIFICS or part in library_titles() or _a_plural_title(part) or _role_shaped(part)


def _a_plural_title(part: str) -> bool:
    """"Americans", "Doctors" (not a given name: "Jules")."""
    return part.endswith("s") and (part[:-1] in DEMONYMS or (part[:-1] in ROLE_TITLES and part not in given_names()))


def _role_shaped(part: str) -> bool:
    """"cinematographer", "guitarist", not "Christian"."""
    return _ROLE_SHAPE.match(part) is not None and part not in given_names()


def _is_title_word(word: str) -> bool:
    parts = word.casefold().rstrip(".").split("-")
    if len(parts) > 1 and parts[0] in _TITLE_PREFIXES:
        parts = parts[1:]
    return all(_is_title_part(part) for part in parts)


# a hyphenated adjective before a name: "Tunisian-born", "Oscar-nominated", "Hindi-language"
_LEADING_MODIFIER = re.compile(
    r"^[^\W\d_][\w'’]*-(?:born|based|bred|raised|nominated|winning|language|speaking|owned|backed|led|made|"
    r"built|designed|directed|produced|funded|trained|educated)$", re.I)
# a form of address inside a span: the words before it are not the name ("Describing Mr Jackson")
_INNER_ADDRESS = {"mr", "mrs", "ms", "miss", "dr"}


def _one_edit_apart(a: str, b: str) -> bool:
    """One letter added, dropped, changed, or two side by side swapped ("Profesor", "Presdient")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        return _one_change_or_swap(a, b)
    return _one_letter_more(a, b)


def _one_change_or_swap(a: str, b: str) -> bool:
    """Two words of one length: one letter changed, or two side by side swapped."""
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                              and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])


def _one_letter_more(a: str, b: str) -> bool:
    """One word a letter longer than the other: the shorter is the longer without one letter."""
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i in range(len(short)) if short[i] != long_[i]), len(short))
    return short[i:] == long_[i + 1:]


@functools.lru_cache(maxsize=1)
def _long_titles() -> tuple[str, ...]:
    return tuple(sorted(t for t in ROLE_TITLES | library_titles() if len(t) >= 7 and t.isalpha()))


@functools.lru_cache(maxsize=1 << 14)
def misspelt_title(word: str) -> bool:
    """A title of seven letters or more written one letter wrong ("Profesor Stuart Cole"), that is
    no given name or known surname itself ("Marshal" is a title, "Marshall" a name). Shorter
    words are too often other words ("Rocket" is one letter from "rocker")."""
    w = word.casefold().rstrip(".")
    return _may_be_misspelt(w) and any(_one_edit_apart(w, t) for t in _long_titles())


def _may_be_misspelt(w: str) -> bool:
    """Six letters or more, no given name or surname, and no title as written."""
    return len(w) >= 6 and w.isalpha() and w not in given_names() and w not in known_surnames() \
        and not _is_title_word(w)


# endings of English adverbs; not "-aly", "-oly", "-arly": "Vitaly", "Anatoly", "Pearly" are names
_ADVERB_ENDINGS = ("ingly", "edly", "ally", "fully", "ously", "ively", "ably", "ibly", "ently", "antly",
                   "lessly", "ately")


def _is_an_adverb(word: str) -> bool:
    """"Disappointingly", "Reportedly": an adverb's ending, and no given name or surname."""
    w = word.casefold()
    return (w.endswith(_ADVERB_ENDINGS) and len(w) >= 7 and w.isalpha() and w not in given_names()
            and w not in known_surnames())


_INITIAL = re.compile(r"^[A-Z]\.$")
_NASAB_WORDS = {"bin", "bint", "ibn"}

# each step of strip_titles takes (words, titled) and returns them shorter, or None when it
# does not apply; the first that applies wins, and the steps start again on what is left
_Words = tuple[list[str], bool]


def _demonym_pair(words: list[str], titled: bool) -> _Words | None:
    """"New Zealander Graham Henry"."""
    return (words[2:], titled) if len(words) > 2 and " ".join(words[:2]).casefold() in DEMONYMS else None


def _leading_modifier(words: list[str], titled: bool) -> _Words | None:
    """"Tunisian-born Abdellatif Kechiche"."""
    return (words[1:], titled) if len(words) > 1 and _LEADING_MODIFIER.match(words[0]) else None


def _leading_adverb(words: list[str], titled: bool) -> _Words | None:
    """"Disappointingly Scott": a sentence's adverb run into a name."""
    return (words[1:], titled) if len(words) > 1 and _is_an_adverb(words[0]) else None


def _leading_place(words: list[str], titled: bool) -> _Words | None:
    """A place before a name: "Zimbabwe Robert Mugabe", "India N. Gopalaswami"."""
    if len(words) > 2 and _a_place_no_name(words[0]) and _a_name_no_place(words[1]):
        return words[1:], titled
    return None


def _a_place_no_name(word: str) -> bool:
    return word.casefold() in PLACE_WORDS and word.casefold() not in given_names()


def _a_name_no_place(word: str) -> bool:
    """A given name or an initial, and no place."""
    return (word.casefold() in given_names() or _INITIAL.match(word) is not None) and word.casefold() not in PLACE_WORDS


def _detective(words: list[str], titled: bool) -> _Words | None:
    """"Det Sgt O'Toole", "Det Supt Helen Rance"."""
    return (words[1:], True) if len(words) > 1 and words[0].casefold() == "det" and _is_title_word(words[1]) else None


def _sheikh_before_nasab(words: list[str], titled: bool) -> _Words | None:
    """"Sheikh Ahmed bin Zayed Al Nahyan": an honorific before a Gulf name; "Sheikh Hasina" keeps
    it, as she does."""
    if len(words) > 3 and words[0].casefold() in SHEIKH_WORDS and any(w.casefold() in _NASAB_WORDS for w in words[2:]):
        return words[1:], True
    return None


def _what_the_role_is_of(words: list[str], titled: bool) -> _Words | None:
    """"Treasury Secretary John Snow": what the role is of goes with it."""
    if len(words) > 3 and words[0].casefold() not in given_names() and _is_title_word(words[1]) \
            and not _is_title_word(words[0]):
        return words[1:], titled
    return None


def _title_word(words: list[str], titled: bool) -> _Words | None:
    """"Comptroller Alan Hevesi", "Beatle George Harrison", "Spaniard Guillermo Garcia-Lopez"."""
    if not _is_title_word(words[0]):
        return None
    folded = words[0].casefold().rstrip(".")
    if titled and len(words) == 2 and folded in given_names():
        return None     # after a title, a title word that is a given name is one: "Senator Dean Heller"
    return words[1:], titled or _a_title_of_its_own(folded)


def _a_title_of_its_own(folded: str) -> bool:
    """A role or a title ("Comptroller"), not a nationality ("Spaniard"): the name is titled."""
    return folded in ROLE_TITLES or folded in library_titles()


def _misspelt_title(words: list[str], titled: bool) -> _Words | None:
    """"Profesor Stuart Cole"."""
    return (words[1:], True) if len(words) > 2 and misspelt_title(words[0]) else None


_TITLE_STEPS = (_demonym_pair, _leading_modifier, _leading_adverb, _leading_place, _detective,
                _sheikh_before_nasab, _what_the_role_is_of, _title_word, _misspelt_title)


def strip_titles(c: Candidate) -> Candidate | None:
    """Titles, roles and nationalities before a name: "Comptroller Alan Hevesi", "Beatle George
    Harrison", "Spaniard Guillermo Garcia-Lopez", "New Zealander Graham Henry", "Tunisian-born
    Abdellatif Kechiche"; a span with "Mr" inside starts after it ("Describing Mr Jackson")."""
    words, titled = _after_inner_address(list(c.words), c.titled)
    while words:
        step = _first_title_step(words, titled)
        if step is None:
            break
        words, titled = step
    return Candidate(words, titled)


def _after_inner_address(words: list[str], titled: bool) -> _Words:
    """The words after the last form of address inside the span ("Describing Mr Jackson"), titled."""
    inner = max((i for i, w in enumerate(words[:-1]) if i > 0 and w.casefold().rstrip(".") in _INNER_ADDRESS),
                default=None)
    return (words, titled) if inner is None else (words[inner + 1:], True)


def _first_title_step(words: list[str], titled: bool) -> _Words | None:
    """What the first of ``_TITLE_STEPS`` that applies leaves, or None."""
    return next((out for out in (rule(words, titled) for rule in _TITLE_STEPS) if out is not None), None)
