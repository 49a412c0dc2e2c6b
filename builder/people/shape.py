"""Whether a span's words have a person's name's shape, and the rules tried in order on every
span (``CANDIDATE_RULES``): ``person_candidate`` and ``clean_person_name``."""

from __future__ import annotations

import re

from ..core.text import ascii_fold, normalise_space
from .spans import (cut_glued_text, _COMPOUND_MODIFIER, _NAME_WORD, _PARTICLE_PREFIX, Candidate, _tokens, strip_acronym, strip_owner,
                    strip_possessive, strip_post_nominals)
from .titles import strip_titles
from .words import FUNCTION_WORDS, NOT_PERSON_ANYWHERE, NOT_PERSON_WORDS, ORG_WORDS, PARTICLES, given_names

_ARABIC_PARTICLES = frozenset({"bin", "ibn", "bint", "al", "el", "abu"})
_GERMAN_ARTICLES = frozenset({"Der", "Die", "Das"})     # capitalised: a title starts ("Der Tagesspiegel")
_SHIP_PREFIXES = frozenset({"MV", "SS", "MT", "RV", "HMS", "USS", "RMS", "HMAS", "HMCS", "HMNZS"})
_BRAND_CAPITAL = re.compile(r"[a-z][A-Z]$")     # a capital letter ends the word: "SpaceX", not "McDonald"


def _long_name(words: list[str]) -> bool:
    """Five or six words, four of them names, the first a given name and the others joined by
    lower-case particles: "Luiz Inácio Lula da Silva", "Urano Teixeira da Matta Bacellar"."""
    return len(words) <= 6 and words[0].casefold() in given_names() \
        and sum(not (w.islower() and w in PARTICLES) for w in words) <= 4


def _too_many_words(words: list[str]) -> bool:
    """More than four name words ("Ahmed bin Zayed Al Nahyan" has four), unless a long name."""
    return not words or sum(w.casefold() not in _ARABIC_PARTICLES for w in words) > 4 and not _long_name(words)


def _not_a_name_word(i: int, w: str, words: list[str]) -> bool:
    """A lower-case word, pronoun or conjunction, a word cut at a quotation mark or a hyphen, or
    an all-capital acronym; a particle inside the name is a name word."""
    if w.casefold() in PARTICLES and 0 < i < len(words) - 1:
        return False
    return _function_or_cut_word(i, w, words) or _no_name_form(w)


def _function_or_cut_word(i: int, w: str, words: list[str]) -> bool:
    """A pronoun or conjunction, or a word cut at a quotation mark ("Brian 'Head' Welch") or at a
    hyphen ("MacLeod- Henderson")."""
    return w.casefold() in FUNCTION_WORDS or (i < len(words) - 1 and w[-1] in "'’") or w.endswith("-")


def _no_name_form(w: str) -> bool:
    """Not a name word's letters, not capitalised (nor a particle prefix: "d'Alema", "diGenova"),
    or an all-capital acronym of three letters or more (not initials: "H.R. McMaster")."""
    return not _NAME_WORD.match(w) or not (w[0].isupper() or _PARTICLE_PREFIX.match(w)) \
        or (len(w) > 2 and w.isupper() and not _INITIALS.match(w))


_INITIALS = re.compile(r"^(?:[A-Z]\.){2,3}$")


def _compound_modifier(words: list[str]) -> bool:
    """"George Bush-style", "Kremlin-backed"."""
    return bool(_COMPOUND_MODIFIER.search(words[-1]))


def _a_digit(words: list[str]) -> bool:
    """"G8 Genoa": a digit is in no name (results lines lose their scores first)."""
    return any(ch.isdigit() for w in words for ch in w)


def _a_park(words: list[str]) -> bool:
    """"Tommy Thompson Park" (two words may be a name: "Nick Park")."""
    return len(words) > 2 and words[-1] == "Park"


def _a_ship_or_a_german_title(words: list[str]) -> bool:
    """"MV Rozen", a ship; "Der Tagesspiegel", a German title."""
    return words[0] in _SHIP_PREFIXES or words[0] in _GERMAN_ARTICLES


def _a_brand(words: list[str]) -> bool:
    """"SpaceX Dragon": a capital letter ends a word."""
    return any(_BRAND_CAPITAL.search(w) for w in words)


_NOT_A_NAMES_END = frozenset({"mr", "mrs", "ms", "dr", "sir", "said", "says"})


def _a_title_or_verb_last(words: list[str]) -> bool:
    """"Said Mr": a title or a verb cannot end a name."""
    return len(words) > 1 and words[-1].casefold().rstrip(".") in _NOT_A_NAMES_END


# the shapes of a thing's name, tried in order
_THING_SHAPES = (_compound_modifier, _a_digit, _a_park, _a_ship_or_a_german_title, _a_brand, _a_title_or_verb_last)


def _a_things_shape(words: list[str]) -> bool:
    """Any of ``_THING_SHAPES``."""
    return any(shape(words) for shape in _THING_SHAPES)


def has_name_shape(c: Candidate) -> Candidate | None:
    """One to four capitalised name words; no digits, lower-case words (headline fragments),
    all-capital acronyms, pronouns or conjunctions ("Uncle Roy All Around You"), or a word cut at
    a quotation mark or a hyphen ("Brian 'Head' Welch", "MacLeod- Henderson")."""
    words = c.words
    if _too_many_words(words) or _any_not_a_name_word(words) or _a_things_shape(words):
        return None
    return c if len(" ".join(words)) >= 2 else None


def _any_not_a_name_word(words: list[str]) -> bool:
    return any(_not_a_name_word(i, w, words) for i, w in enumerate(words))


def not_a_first_name(word: str) -> bool:
    """A word that cannot start a person's name: no given name, initial or name particle."""
    w = word.rstrip(".")
    return len(w) > 1 and not w.isupper() and w.casefold() not in given_names() and w.casefold() not in PARTICLES


def label_before_a_name(name: str) -> str | None:
    """"Blairite Alan Milburn", "Unison Dave Prentis": the name without a first word that is no
    given name, initial or particle, when two or more words are left; None otherwise. Only a
    guess until the archive names the person without that word (``resolve_people`` checks)."""
    words = name.split()
    if len(words) < 3 or not not_a_first_name(words[0]):
        return None
    return " ".join(words[1:])


def not_a_place_or_organisation(c: Candidate) -> Candidate | None:
    """'Dolmabahce Palace', 'Karl Renner University', 'Deutsche Boerse', 'Shady Records',
    'Birmingham Grand Prix', 'Westminster Hour': the words say it is not a person."""
    folded = [w.casefold().rstrip(".") for w in c.words]
    return None if _a_place_or_organisations_words(folded) else c


def _a_place_or_organisations_words(folded: list[str]) -> bool:
    """A last word of a place or a thing, a word of an organisation anywhere, or a whole name
    listed ("Sinn Fein")."""
    return folded[-1] in NOT_PERSON_WORDS or any(w in ORG_WORDS or w in NOT_PERSON_ANYWHERE for w in folded) \
        or ascii_fold(" ".join(folded)) in NOT_PERSON_ANYWHERE


# tried in order on every span; each returns the candidate (perhaps changed) or None
CANDIDATE_RULES = (cut_glued_text, strip_owner, strip_acronym, strip_titles, strip_possessive, strip_post_nominals, has_name_shape,
                   not_a_place_or_organisation)


_AGENCY_CREDIT = re.compile(r"^[A-Z][\w.&-]*(?: [A-Z][\w.&-]*)*\s?/\s?[A-Z][a-z]")


def person_candidate(text: str) -> Candidate | None:
    """The person's name a span holds, with whether a title came with it, or None."""
    c: Candidate | None = Candidate(_tokens(_span_text(text)))
    for rule in CANDIDATE_RULES:
        c = rule(c)
        if c is None or not c.words:
            return None
    return c


def _span_text(text: str) -> str:
    """A span's text on one line, without what a dash or a photo credit's slash glues before it,
    nor the punctuation around it."""
    text = normalise_space(text.replace("\n", " "))
    if "--" in text:    # a typed dash joins a name to what came before: "Houston--Beleaguered Tom DeLay"
        text = text.rsplit("--", 1)[1]
    if _AGENCY_CREDIT.match(text):      # a photo credit: "REUTERS/Mike Blake", "AP Photo/Evan Vucci"
        text = text.rsplit("/", 1)[1]
    return text.strip(" ,.;:!?\"“”‘’'()[]-–—")


def clean_person_name(text: str) -> str | None:
    """Normalise an entity's text to a plausible personal name, or None (see CANDIDATE_RULES)."""
    c = person_candidate(text)
    return " ".join(c.words) if c else None
