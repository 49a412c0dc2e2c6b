"""Widening a span the model cut short: name words left out before it ("Thị Hương" -> "Đỗ Thị
Hương") or after it ("Quincy Owusu|-Abeyie"), and a place a preposition governs taken off its
front ("ambassador to China| Anami Koreshige")."""

from __future__ import annotations

import re

from .context import _NEAR, _NOT_NAME_START, _left
from .titles import _is_title_word
from .words import (DEMONYMS, FAMILY, FUNCTION_WORDS, HONORIFICS, NOT_PERSON_WORDS, ORG_WORDS, PARTICLES, PLACE_NAMES,
                    PLACE_WORDS, ROLE_TITLES, THING_AFTER_NAME, given_names, stop_words)

_LEFT_NAME_WORD = re.compile(r"([^\W\d_][\w'’-]*)\s+$")


def _particle_joins(para: str, m: re.Match) -> int | None:
    """"Luzia dos | Santos Pereira": a particle joins the given name to the surname; where the
    given name starts, or None."""
    inner = _LEFT_NAME_WORD.search(para, max(0, m.start() - _NEAR), m.start())
    if inner and inner.group(1)[0].isupper() and inner.group(1).casefold() not in HONORIFICS \
            and inner.group(1).casefold() not in _NOT_NAME_START:
        return inner.start()
    return None


def _opens_a_clause(para: str, m: re.Match) -> tuple[bool, bool]:
    """(the word opens a sentence or clause, that opening is a sentence's end before it)."""
    before = _left(para, m.start()).rstrip()
    if before and before[-1] not in ".!?:;\"“”—–-(":
        return False, False
    return True, not before or (before[-1] in "!?" or _WORD_AND_FULL_STOP.search(before) is not None)


_WORD_AND_FULL_STOP = re.compile(r"[a-z]{2}\.$")    # a sentence's end, not an initial's full stop


def _extend_left(para: str, start: int, lower: frozenset[str] = frozenset()) -> int:
    """Widen an entity over name words the model left out ("Thị Hương" -> "Đỗ Thị Hương",
    "Garba Dauda" -> "Sani Garba Dauda"), stopping at titles, dates and ordinary words. A word
    opening a sentence is taken only as the first of two given names ("Juana| Laura Chavero
    Ramirez said"), when the article never writes it in lower case (``lower``: "Will", "Grant")."""
    for _ in range(2):
        m = _LEFT_NAME_WORD.search(para, max(0, start - _NEAR), start)
        if not m:
            break
        start, further = _left_step(para, start, m, lower)
        if not further:
            break
    return start


def _left_step(para: str, start: int, m: re.Match, lower: frozenset[str]) -> tuple[int, bool]:
    """The word ``m`` before the name: (where the name starts now, whether to look one word further)."""
    word = m.group(1)
    folded = word.casefold().rstrip(".")
    if folded in PARTICLES and word.islower():
        return _particle_step(para, start, m)
    if _ends_the_name(para, m, word, folded):
        return start, False
    opens, sentence_end = _opens_a_clause(para, m)
    if opens:
        return _sentence_opening_step(para, start, m, sentence_end, lower)
    return m.start(), True


def _particle_step(para: str, start: int, m: re.Match) -> tuple[int, bool]:
    """A particle is taken with the given name it joins to the surname, or the name stops."""
    joined = _particle_joins(para, m)
    return (start, False) if joined is None else (joined, True)


_NOT_BEFORE_A_NAME = HONORIFICS | _NOT_NAME_START


def _ends_the_name(para: str, m: re.Match, word: str, folded: str) -> bool:
    """Lower case, a title, a date or an ordinary word, an acronym, or what a role is of."""
    return not word[0].isupper() or folded in _NOT_BEFORE_A_NAME or word.isupper() \
        or _what_a_role_is_of(para, m.start())


def _sentence_opening_step(para: str, start: int, m: re.Match, sentence_end: bool,
                           lower: frozenset[str]) -> tuple[int, bool]:
    """A capitalised word opening a sentence or clause is not known to be a name, unless it and
    the name's first word are both given names; the name stops there."""
    if sentence_end and _second_given_name(m.group(1), para[start:], lower):
        return m.start(), False
    return start, False


def _second_given_name(word: str, rest: str, lower: frozenset[str]) -> bool:
    """"Juana" before "Laura Chavero Ramirez", "Corinne" before "Claire Hall": both given names,
    the first one no English word that opens sentences ("Can", "Even", "Given": spaCy's stop
    words, participles) nor one the article writes in lower case or names as a thing ("Apple")
    elsewhere, and a surname after the second."""
    folded = word.casefold()
    return _a_given_name_here(word, folded, lower) and _no_english_word(folded) \
        and _given_name_and_surname(rest.split()[:3])


def _a_given_name_here(word: str, folded: str, lower: frozenset[str]) -> bool:
    """A given name of letters only, never written in lower case or as a thing's name here."""
    return word.isalpha() and len(word) > 1 and folded in given_names() and folded not in lower


def _no_english_word(folded: str) -> bool:
    """No stop word, participle or adverb, function word, role or place."""
    return folded not in stop_words() and not folded.endswith(("ing", "ed", "en", "ly")) \
        and folded not in FUNCTION_WORDS and folded not in ROLE_TITLES and folded not in PLACE_WORDS


def _given_name_and_surname(names: list[str]) -> bool:
    """The words after: a capitalised given name, then a capitalised word."""
    return len(names) >= 2 and names[0].casefold() in given_names() and names[0][:1].isupper() \
        and names[1][:1].isupper()


# the rest of a surname the model left out: "Quincy Owusu|-Abeyie", "Valery Giscard| d'Estaing"
_RIGHT_CONTINUATION = re.compile(r"(?:-[A-Z][^\W\d_]+|\s+[dD]['’][A-Z][^\W\d_]+)")


_NOT_NAME_WORD_AFTER = (FUNCTION_WORDS | HONORIFICS | _NOT_NAME_START | ORG_WORDS | NOT_PERSON_WORDS
                        | THING_AFTER_NAME | DEMONYMS | FAMILY | PARTICLES)
# one more capitalised word, then the name clearly ends: "James Dean| Bradfield said",
# "Susilo Bambang| Yudhoyono's"
# (not before a colon: "Condoleezza Rice| Source: Wikicommons" is a caption's credit)
_RIGHT_NAME_WORD = re.compile(r" ([A-Z][a-z][^\W\d_]*)(?=[,.;!?)]|'s\b|’s\b|\s+[a-z(]|\s*$)")
_RIGHT_TWO_NAME_WORDS = re.compile(r" ([A-Z][a-z][^\W\d_]*) ([A-Z][a-z][^\W\d_]*)(?=[,.;!?)]|'s\b|’s\b|\s+[a-z(]|\s*$)")


# the "son of" part of an Arabic name the model left out: "Sheikh Ahmed| bin Zayed Al Nahyan",
# "Osama| bin Laden"
# the surname after a particle the model left out: "José Eduardo| dos Santos", "Joop| van Holsteyn"
_PARTICLE_SURNAME = re.compile(r"\s+(?:dos|da|das|do|de|del|della|di|du|van|von|der|den|ter)\s+([A-Z][^\W\d_]+)(?![\w'’-])")
_NASAB = re.compile(r"(?:\s+(?:bin|ibn|bint)\s+[A-Z][^\W\d_]+)+(?:\s+(?:Al|al)(?:\s+|-)[A-Z][^\W\d_]+)?(?![\w'’-])")


def _last_name_words(para: str, start: int, end: int, n_words: int) -> int:
    """One last name word the model left out ("James Dean| Bradfield said"), or two after a name
    of two words ("Ghazi Salah| Eldin Atabani told", "Ahmed Abdallah| Mohamed Sambi said")."""
    m = _RIGHT_NAME_WORD.match(para, end, end + _NEAR)
    if m and _may_end_a_name(m.group(1)):
        return m.end(1)
    m = _RIGHT_TWO_NAME_WORDS.match(para, end, end + _NEAR)
    if m and n_words == 2 and not _an_acronym(para[start:end]) and _both_may_end_a_name(m):
        return m.end(2)
    return end


def _an_acronym(text: str) -> bool:
    return any(len(w) > 1 and w.isupper() for w in text.split())


def _both_may_end_a_name(m: re.Match) -> bool:
    return _may_end_a_name(m.group(1)) and _may_end_a_name(m.group(2))


def _extend_right(para: str, start: int, end: int) -> int:
    """Widen an entity over the end of a name cut at a hyphen or before "d'" (see
    _RIGHT_CONTINUATION) or "bin" (_NASAB), or over one last name word the model left out of a
    name of two or more words, when that word is no title, place, organisation word or ordinary
    function word."""
    m = _RIGHT_CONTINUATION.match(para, end, end + _NEAR) or _NASAB.match(para, end, end + _NEAR)
    if m:
        return m.end()
    n_words = len(para[start:end].split())
    return end if n_words < 2 else _after_a_full_name(para, start, end, n_words)


_ENDS_WITH_APOSTROPHE = re.compile(r"['’]s?$")


def _after_a_full_name(para: str, start: int, end: int, n_words: int) -> int:
    """A name of two words or more: a surname after a particle ("José Eduardo| dos Santos"), or,
    unless the span ends with a possessive, the last name words the model left out."""
    m = _PARTICLE_SURNAME.match(para, end, end + _NEAR)
    if m and not _is_a_place(m.group(1)):
        return m.end()
    if _ENDS_WITH_APOSTROPHE.search(para[start:end]):
        return end
    return _last_name_words(para, start, end, n_words)


def _is_a_place(word: str) -> bool:
    folded = word.casefold()
    return folded in PLACE_NAMES or folded in PLACE_WORDS


def _may_end_a_name(word: str) -> bool:
    return word.casefold() not in _NOT_NAME_WORD_AFTER and not _is_a_place(word)


_PLACE_PREPOSITION_BEFORE = re.compile(r"\b(?:to|of|in|from|for)\s+$")
_FIRST_WORD = re.compile(r"\s*\S+\s+")


def _after_a_place(para: str, start: int, end: int) -> int:
    """Where the name starts when a span of three or more words opens with a country or city
    that a preposition governs: "ambassador to China| Anami Koreshige", "envoy to Sudan| ...",
    or with what a role is of: "Speaker of the House| Paul Ryan", "Chancellor of the
    Exchequer| Nigel Lawson" (a word that is no given name, before one that is)."""
    words = para[start:end].split()
    if len(words) < 3:
        return start
    if words[0].casefold() in PLACE_WORDS and _PLACE_PREPOSITION_BEFORE.search(_left(para, start)) \
            or _after_a_roles_of(para, start, words):
        return start + _FIRST_WORD.match(para[start:end]).end()
    return start


_ROLE_OF = re.compile(r"(?<![\w'’-])([A-Za-z][\w.-]*)\s+of\s+(?:the\s+)?$")


def _what_a_role_is_of(para: str, start: int) -> bool:
    """"Chancellor of the |Exchequer", "Minister for |Economic Affairs": the word at ``start``
    ends a role, so a name is not widened over it."""
    role = _ROLE_OF_OR_FOR.search(_left(para, start))
    return bool(role and _is_title_word(role.group(1)))


_ROLE_OF_OR_FOR = re.compile(r"(?<![\w'’-])([A-Za-z][\w.-]*)\s+(?:of|for)\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+)?$")


def _after_a_roles_of(para: str, start: int, words: list[str]) -> bool:
    role = _ROLE_OF.search(_left(para, start))
    return bool(role and _is_title_word(role.group(1)) and words[0].casefold() not in given_names()
                and words[1].casefold() in given_names())
