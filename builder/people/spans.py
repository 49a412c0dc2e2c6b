"""One span: the person's name it holds, or None.

A name the model tags PERSON becomes a candidate only once it has a person's shape and is
not a company, a work, an event or a party: each rule of ``CANDIDATE_RULES`` is a small
function tried in order on the span's words.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .words import (DEMONYMS, HONORIFICS, PARTICLES, PLACE_WORDS, POST_NOMINALS, ROLE_TITLES, SHEIKH_WORDS, given_names,
                    known_surnames, library_titles)

_NAME_WORD = re.compile(r"^(?:[^\W\d_][\w'’-]*|[A-Z]\.(?:[A-Z]\.)*)$")
# lower-case name particles fused to a surname: al-Rashidi, el-Sisi, d'Estaing, bin-Salman
_PARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|ash|as|at|az|an|ar|bin|ibn|abu|d|de|da|di|du|la|le|dos)[-'’][^\W\d_]", re.I)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_POSSESSIVE_END = re.compile(r"(?:'s|’s)$")


def _tokens(name: str) -> list[str]:
    return name.split()


def entity_key(text: str) -> str:
    """A name as the archive-wide evidence counts it: spaces normalised, without "the" before it
    or a possessive after it, case folded ("The Bee Gees'" -> "bee gees")."""
    text = " ".join(text.split())
    text = re.sub(r"^(?:the|The)\s+", "", text)
    return _POSSESSIVE.sub("", text).casefold()


@dataclass
class Candidate:
    """A span being turned into a name: its words, and whether a title stood before them."""

    words: list[str]
    titled: bool = False


_OWNER = re.compile(r"^[^\W\d_][\w.&'’-]*(?:'s|’s|s'|s’)$")     # "O'Connor's" too


def strip_owner(c: Candidate) -> Candidate | None:
    """A possessive owner before a name, whoever the owner is: "USA's Andy Roddick",
    "Brookside's Marie Jackson", "Entertainment Weekly's Dave Karger" -> the name after it."""
    last = max((i for i, w in enumerate(c.words[:-1]) if _OWNER.match(w)), default=None)
    return c if last is None else Candidate(c.words[last + 1:], c.titled)


# a word shaped like a trade or role ("cinematographer", "guitarist", "musician", "auctioneer"):
# before a name it is a title, unless it is itself a given name ("Christian"). Not "-man", which
# ends given names too ("Abdirahman", "Osman"): those roles are in person-titles.txt ("postman")
_ROLE_SHAPE = re.compile(r"^[a-z]{3,}(?:grapher|ologist|ist|ician|eer)$")


# the first half of a hyphenated title: "Under-Secretary", "Vice-President", "Co-Founder"
_TITLE_PREFIXES = frozenset({"under", "vice", "deputy", "co", "ex", "assistant", "acting"})


def _is_title_part(part: str) -> bool:
    """One word (or hyphen-joined part) of a title; plurals too: "Americans Andy Roddick and ...",
    "Doctors Steven Woloshin and ..."."""
    return (part in HONORIFICS or part in library_titles() or (part.endswith("s") and part[:-1] in DEMONYMS)
            or (part.endswith("s") and part[:-1] in ROLE_TITLES and part not in given_names())
            or (_ROLE_SHAPE.match(part) is not None and part not in given_names()))


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
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
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
    if len(w) < 6 or not w.isalpha() or w in given_names() or w in known_surnames() or _is_title_word(w):
        return False
    return any(_one_edit_apart(w, t) for t in _long_titles())


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
    if len(words) > 2 and words[0].casefold() in PLACE_WORDS and words[0].casefold() not in given_names() \
            and (words[1].casefold() in given_names() or _INITIAL.match(words[1])) \
            and words[1].casefold() not in PLACE_WORDS:
        return words[1:], titled
    return None


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
    return words[1:], titled or folded in ROLE_TITLES or folded in library_titles()


def _misspelt_title(words: list[str], titled: bool) -> _Words | None:
    """"Profesor Stuart Cole"."""
    return (words[1:], True) if len(words) > 2 and misspelt_title(words[0]) else None


_TITLE_STEPS = (_demonym_pair, _leading_modifier, _leading_adverb, _leading_place, _detective,
                _sheikh_before_nasab, _what_the_role_is_of, _title_word, _misspelt_title)


def strip_titles(c: Candidate) -> Candidate | None:
    """Titles, roles and nationalities before a name: "Comptroller Alan Hevesi", "Beatle George
    Harrison", "Spaniard Guillermo Garcia-Lopez", "New Zealander Graham Henry", "Tunisian-born
    Abdellatif Kechiche"; a span with "Mr" inside starts after it ("Describing Mr Jackson")."""
    words, titled = list(c.words), c.titled
    inner = max((i for i, w in enumerate(words[:-1]) if i > 0 and w.casefold().rstrip(".") in _INNER_ADDRESS),
                default=None)
    if inner is not None:
        words, titled = words[inner + 1:], True
    while words:
        step = next((out for out in (rule(words, titled) for rule in _TITLE_STEPS) if out is not None), None)
        if step is None:
            break
        words, titled = step
    return Candidate(words, titled)


_PLATFORMS = {"twitter", "instagram", "facebook", "youtube", "tiktok", "snapchat", "whatsapp", "linkedin",
              "wikipedia", "wikinews"}


def strip_possessive(c: Candidate) -> Candidate | None:
    """"Smith's" -> "Smith"; particles left dangling at the end go too ("Luzia dos"), and so does a
    social network after a name ("Erriyon Knighton's Twitter", "James Bond Twitter")."""
    words = list(c.words)
    if len(words) > 2 and words[-1].casefold() in _PLATFORMS:
        words = words[:-1]
    if words:
        words[-1] = _POSSESSIVE.sub("", words[-1])
    while words and words[-1].casefold() in PARTICLES:
        words = words[:-1]
    return Candidate([w for w in words if w], c.titled)


_COMPOUND_MODIFIER = re.compile(r"-(?:style|era|led|backed|based|like|esque|type|linked|born|owned|made|built|"
                                r"directed|produced|designed|inspired|funded|founded|fronted|run)$",
                                re.I)


def strip_post_nominals(c: Candidate) -> Candidate | None:
    """"Charles Harris QC" -> "Charles Harris"; "Bolton West MP" is a constituency's member, not a
    name: without a known given name in front it is turned down."""
    words = list(c.words)
    stripped = False
    while len(words) > 1 and words[-1].casefold().rstrip(".") in POST_NOMINALS:
        words, stripped = words[:-1], True
    if stripped and words[0].casefold() not in given_names():
        return None
    return Candidate(words, c.titled)


_SCORE = re.compile(r"^[\d(][\d().:/-]*$")


def without_scores(text: str) -> str:
    """A span of a results line without the scores and times after the name ("Joe Root 9",
    "Mark Wood 4-114", "Tommy Fleetwood 68 65") or the seed before it ("1-Jannik Sinner").
    Only for results lines: elsewhere a number makes a name a thing ("Leopard 2")."""
    words = _tokens(text)
    while len(words) > 1 and _SCORE.match(words[-1]):
        words = words[:-1]
    if words:
        words[0] = re.sub(r"^\d+[-.]", "", words[0])
    return " ".join(w for w in words if w)


# a word run into the next with no space: "SandersHow", "MaguireDemocrats", "WarnerTrump" (never
# a name's own capital: "McDonald", "MacArthur", "DeSantis", "FitzGerald", "LaToya")
_GLUED = re.compile(r"^([A-Z][a-z]{2,})([A-Z][a-z]+)$")
_CAPITAL_INSIDE_NAMES = frozenset({"Mac", "Van", "Von", "Fitz", "Del", "Della", "Des", "Dos", "San", "Ten", "Ver"})


def cut_glued_text(c: Candidate) -> Candidate | None:
    """Text a web page shows when a reader hovers over a name, glued to it by the page's copy:
    "John Kerry John Forbes KerryThe Memo", "Bernie Sanders Bernie SandersHow", "Mark Robert
    WarnerTrump". The name ends at a word run into the next one, and before its own first word
    written again when its last word comes again too ("Mohamed Ali Mohamed Hassan" is one name)."""
    words = list(c.words)
    for i, w in enumerate(words[1:], 1):        # after a name's first word: "YouTuber Casey Neistat" is no glue
        m = _GLUED.match(w)
        if m and m.group(1) not in _CAPITAL_INSIDE_NAMES:
            words = words[:i] + [m.group(1)]
            break
    again = next((i for i in range(2, len(words)) if words[i] == words[0]), None)
    if again is not None and words[again - 1] in words[again + 1:]:
        words = words[:again]
    return Candidate(words, c.titled)
