"""The text around a span: whether it names a work, a company or a thing rather than a person,
whether a title stands before it, and which lines (headlines, results tables) fool the model."""

from __future__ import annotations

import re

from .shape import _GERMAN_ARTICLES
from .words import ROLE_TITLES, THING_AFTER_NAME, WORK_APPOSITION, WORK_CONTEXT, library_titles

_NEAR = 120   # characters either side of a name that the rules around it look at


def _left(text: str, i: int) -> str:
    """The text just before position ``i``: a window, so that looking around each of many
    names in one huge paragraph stays linear (the whole prefix would make it quadratic)."""
    return text[max(0, i - _NEAR):i]


def _right(text: str, i: int) -> str:
    return text[i:i + _NEAR]


_WORK_QUOTES = "\"“”‘’'"   # the marks on either side of a work's name


# what may stand between a context word and the name: after a plural or "such as"/"including",
# the names listed before this one ("companies Adhi Karya and Semen Gresik", "films such as My
# Beautiful Laundrette, Billy Elliot"). A comma after the context word starts an apposition,
# which as often names a person ("the head of the Naftohaz company, Yury Boyko, said").
_CONTEXT_BEFORE = re.compile(
    r"(?:\b(?P<before>[A-Za-z]+)\s+)?\b(?P<word>[a-z][a-z-]*)\s+"
    r"(?P<list>(?:(?:such\s+as|including)\s+)?"
    r"(?:[A-Z][\w'’&.-]*(?:\s+(?:of|the|a|de|van|von|[A-Z][\w'’&.-]*)){0,4}(?:,\s+|\s+and\s+|,\s+and\s+))*)$")
# "his next film, Donnie Brasco, where": a work's name in commas after the kind of work it is
# (a company's word before a comma is left out: "the head of the Naftohaz company, Yury Boyko, said")
_WORK_APPOSITION = re.compile(r"\b([a-z][a-z-]*),\s+$")
# a context word that is also a verb counts only after a determiner or an adjective: "the play
# Hamlet", "her new single Toxic", not "Hanks will play Robert Langdon", "he will now play Gaudio"
_VERB_CONTEXT = {"play", "plays", "show", "shows", "single", "game", "games", "series"}
_BEFORE_NOUN = {"the", "a", "an", "his", "her", "their", "its", "new", "hit", "latest", "stage", "first", "last",
                "next", "debut", "radio", "tv", "television", "comedy", "award-winning", "musical", "this", "that"}


# what closes a work's name in commas: a comma, a colon, a full stop or the end of the text
_CLOSES_APPOSITION = re.compile(r"^[’']?s?(?:[,;:]|\.(?:\s|$)|$)")


def _work_in_commas(para: str, start: int, end: int) -> bool:
    """"his next film, Donnie Brasco, where"."""
    comma = _WORK_APPOSITION.search(_left(para, start))
    return bool(comma and comma.group(1) in WORK_APPOSITION and _CLOSES_APPOSITION.match(_right(para, end)))


def _after_a_context_word(para: str, start: int) -> bool:
    """"the band Black Sabbath", "companies Adhi Karya and Semen Gresik"; not "Hanks will play
    Robert Langdon"."""
    before = _CONTEXT_BEFORE.search(_left(para, start))
    if not before or before.group("word") not in WORK_CONTEXT:
        return False
    word = before.group("word")
    if _a_verb_here(word, before.group("before")):
        return False
    return _list_of_its_kind(word, before.group("list"))


def _a_verb_here(word: str, prev: str | None) -> bool:
    """A context word that is also a verb ("play") with no determiner or adjective before it."""
    return word in _VERB_CONTEXT and (prev is None or prev.casefold() not in _BEFORE_NOUN)


def _list_of_its_kind(word: str, listed: str) -> bool:
    """Names listed between the context word and this one count only after a plural or "such
    as"/"including" ("companies Adhi Karya and Semen Gresik")."""
    return not listed or word.endswith("s") or listed.startswith(("such", "including"))


def _in_quotation_marks(para: str, start: int, end: int) -> bool:
    return 0 < start and end < len(para) and para[start - 1] in _WORK_QUOTES and para[end] in _WORK_QUOTES


def names_work_or_company(para: str, start: int, end: int) -> bool:
    """A name in a work's or a company's context: after 'the band', 'housebuilder', 'the sitcom'
    ("the band Black Sabbath"), also through a list ("companies Adhi Karya and Semen Gresik"),
    or in quotation marks on both sides ('"Strong Medicine"')."""
    return (_work_in_commas(para, start, end) or _after_a_context_word(para, start)
            or _in_quotation_marks(para, start, end))


_PRECEDING_WORD = re.compile(r"([A-Za-z][A-Za-z.-]*)\s+$")
_PRECEDING_ROLE = re.compile(r"([A-Za-z][A-Za-z.-]*),?\s+$")


def titled_before(para: str, start: int) -> bool:
    """A role or title just before a span: "striker Wayne Rooney", "Mr Brown"."""
    before = _PRECEDING_ROLE.search(_left(para, start))
    if before is None:
        return False
    word = before.group(1).casefold().rstrip(".")
    return word in ROLE_TITLES or word in library_titles()


def is_title_case_line(text: str) -> bool:
    """Headline-style lines ("Zelensky Speaks at a Press Conference") fool NER: names in
    them are only matched against names already known, never discovered."""
    words = _long_words(text)
    if len(words) < 3 or text.endswith(".") or is_results_line(text):
        return False
    return _mostly_capitalised(words)


_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_NUMBER = re.compile(r"\d+")


def _long_words(text: str) -> list[str]:
    """The words of more than three letters: short ones ("a", "of", "the") stay lower case in a headline."""
    return [w for w in _WORD.findall(text) if len(w) > 3]


def _mostly_capitalised(words: list[str]) -> bool:
    return sum(1 for w in words if w[0].isupper()) / len(words) >= 0.75


def is_results_line(text: str) -> bool:
    """A line of a results table ("1-Jannik Sinner (Italy) beat Gael Monfils (France) 6-4 6-2",
    "132 Rory McIlroy 67 65"): capitalised names among scores and times, not a headline."""
    numbers = len(_NUMBER.findall(text))
    return numbers >= 3 and numbers >= 0.15 * len(text.split())


# "her grandmother, Nneka Obi, singing" / "the striker, Ama Mensah, said": a role, then a name in commas
_APPOSITION = re.compile(
    r"\b(?P<role>[a-z][a-z-]+),\s+(?P<name>[^\W\d_][\w'’-]+(?:\s+(?:[^\W\d_][\w'’-]+)){1,3}),")
_NEXT_WORD = re.compile(r"^\s+([A-Za-z-]+)")   # not after a possessive: "Dixon's office" is hers
_WHO_AFTER = re.compile(r"^,?\s+who\b")


_PLACE_PREPOSITIONS = {"in", "at", "near", "outside", "inside", "across", "around", "towards", "toward"}
_NOT_NAME_START = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                   "february", "march", "april", "may", "june", "july", "august", "september", "october",
                   "november", "december", "the", "a", "an", "and", "but", "or", "if", "when", "while", "as",
                   "after", "before", "since", "in", "on", "at", "by", "for", "with", "from", "to", "of", "said",
                   "says", "told", "meanwhile", "however", "also", "then", "now", "today", "yesterday"}


_YEAR_POSSESSIVE = re.compile(r"(?<!\w)(?:1[89]|20)\d\d['’]s\s+$")
_MODEL_YEAR = re.compile(r"(?<![\w'’-])(?:a|an|the|his|her|their|its|my|our|your)\s+(?:1[89]|20)\d\d\s+$", re.I)
# articles of other languages, lower case: the capitalised words after them are no person's name
# (not "der", "das", "los", "las": they are particles of names too, "van der Berg", "de las Casas")
_FOREIGN_ARTICLES = frozenset({"un", "una", "unos", "unas", "il", "gli"})
_LOWER_WORD_NEXT = re.compile(r"\s+[a-z]")
_POSSESSIVE_NEXT = re.compile(r"^[’']s\b")


def _thing_word_after(para: str, end: int) -> bool:
    """Followed by 'building', 'medal', 'school' or a role ("Harlow Springs treasurer")."""
    after = _NEXT_WORD.match(_right(para, end))
    if not after:
        return False
    word = after.group(1)
    return word.casefold() in THING_AFTER_NAME or (word.islower() and word in ROLE_TITLES)


def _thing_text_before(para: str, start: int, end: int) -> bool:
    """The end of a compound ("analyst at ASK-Raymond James"); a year's work ("1989's Shirley
    Valentine", "2004's Shark Tale"); a model year ("his 1998 Ford Explorer", not "In 1998 Tony
    Blair", "the 1994 Frank Darabont tale")."""
    if start > 0 and para[start - 1] == "-":
        return True
    if _YEAR_POSSESSIVE.search(_left(para, start)):
        return True
    return bool(_MODEL_YEAR.search(_left(para, start)) and not _LOWER_WORD_NEXT.match(_right(para, end)))


def _thing_word_before(para: str, start: int, end: int, n_words: int) -> bool:
    """A phrase of another language ("Agrupación por un Pichilemu Limpio"), a German title ("Die
    Toten Hosen"), 'the' ("the Mary Jane Treloar", a lifeboat) or a place preposition ("in Wad
    Madani")."""
    before = _PRECEDING_WORD.search(_left(para, start))
    if before is None:
        return False
    word = before.group(1)
    return _article_before_a_thing(word, n_words) or _place_preposition_before(word, para, end)


def _article_before_a_thing(word: str, n_words: int) -> bool:
    """Another language's article, a German one, or "the" before two words or more."""
    return word in _FOREIGN_ARTICLES or word in _GERMAN_ARTICLES or (n_words >= 2 and word.casefold() == "the")


def _place_preposition_before(word: str, para: str, end: int) -> bool:
    """"in Wad Madani", not "in Smith's house"."""
    return word.casefold() in _PLACE_PREPOSITIONS and not _POSSESSIVE_NEXT.match(_right(para, end))


def _names_thing(para: str, start: int, end: int, n_words: int) -> bool:
    """A name used as the name of a thing or place, not a person: followed by 'building',
    'medal', 'school' or a role ("Harlow Springs treasurer"), preceded by 'the' ("the Mary
    Jane Treloar", a lifeboat) or by a place preposition ("in Wad Madani")."""
    return (_thing_word_after(para, end) or _thing_text_before(para, start, end)
            or _thing_word_before(para, start, end, n_words))
