"""One span: the person's name it holds, or None.

A name the model tags PERSON becomes a candidate only once it has a person's shape and is
not a company, a work, an event or a party: each rule of ``CANDIDATE_RULES`` is a small
function tried in order on the span's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .words import PARTICLES, POST_NOMINALS, given_names

_NAME_WORD = re.compile(r"^(?:[^\W\d_][\w'’-]*|[A-Z]\.(?:[A-Z]\.)*)$")
# lower-case name particles fused to a surname: al-Rashidi, el-Sisi, d'Estaing, bin-Salman
_PARTICLE_PREFIX = re.compile(r"^(?:(?:al|el|ad|ash|as|at|az|an|ar|bin|ibn|abu|d|de|da|di|du|la|le|dos)[-'’][^\W\d_]"
                              r"|(?-i:d[aeiu]|la|le|van|von)(?-i:[A-Z][a-z]))", re.I)   # "diGenova", "deGrom"
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_POSSESSIVE_END = re.compile(r"(?:'s|’s)$")


def _tokens(name: str) -> list[str]:
    return name.split()


def entity_key(text: str) -> str:
    """A name as the archive-wide evidence counts it: spaces normalised, without "the" before it
    or a possessive after it, case folded ("The Bee Gees'" -> "bee gees")."""
    text = _THE.sub("", " ".join(text.split()))
    return _POSSESSIVE.sub("", text).casefold()


_THE = re.compile(r"^(?:the|The)\s+")


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


_ACRONYM = re.compile(r"^[A-Z]{3,5}$")
# two-letter positions of team sports; other two-letter capitals start firms' names ("JP Morgan Chase")
_POSITIONS = frozenset("QB RB WR TE DL LB CB OL DE DT FB PG SG SF PF GK CF LW RW SS DH".split())


def strip_acronym(c: Candidate) -> Candidate | None:
    """An organisation's or a position's acronym run into a name: "CNN Jake Tapper", "Browns DL
    Sheldon Richardson" -> the name after the last one, when a known given name opens it."""
    last = max((i for i, w in enumerate(c.words[:-2]) if _ACRONYM.match(w) or w in _POSITIONS), default=None)
    if last is None or c.words[last + 1].casefold() not in given_names():
        return c
    return Candidate(c.words[last + 1:], c.titled)


_PLATFORMS = {"twitter", "instagram", "facebook", "youtube", "tiktok", "snapchat", "whatsapp", "linkedin",
              "wikipedia", "wikinews"}


def strip_possessive(c: Candidate) -> Candidate | None:
    """"Smith's" -> "Smith"; particles left dangling at the end go too ("Luzia dos"), and so does a
    social network after a name ("Erriyon Knighton's Twitter", "James Bond Twitter")."""
    words = _without_platform(list(c.words))
    if words:
        words[-1] = _POSSESSIVE.sub("", words[-1])
    return Candidate([w for w in _without_dangling_particles(words) if w], c.titled)


def _without_platform(words: list[str]) -> list[str]:
    """"James Bond Twitter" -> "James Bond"."""
    return words[:-1] if len(words) > 2 and words[-1].casefold() in _PLATFORMS else words


def _without_dangling_particles(words: list[str]) -> list[str]:
    """"Luzia dos" -> "Luzia"."""
    while words and words[-1].casefold() in PARTICLES:
        words = words[:-1]
    return words


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
    words = _without_trailing_scores(_tokens(text))
    if words:
        words[0] = _SEED.sub("", words[0])
    return " ".join(w for w in words if w)


_SEED = re.compile(r"^\d+[-.]")


def _without_trailing_scores(words: list[str]) -> list[str]:
    while len(words) > 1 and _SCORE.match(words[-1]):
        words = words[:-1]
    return words


# a word run into the next with no space: "SandersHow", "MaguireDemocrats", "WarnerTrump" (never
# a name's own capital: "McDonald", "MacArthur", "DeSantis", "FitzGerald", "LaToya", nor a given
# name of two short syllables: "RuiWen", "JiaHui")
# The next word may be an acronym or a Mc/Mac name too: "CollinsGOP", "ParscaleMORE", "SchumerMcCarthy"
_GLUED = re.compile(r"^([A-Z][a-z]{2,})([A-Z][a-z]+|[A-Z]{2,}[A-Za-z]*|Ma?c[A-Z][a-z]+)$")
_CAPITAL_INSIDE_NAMES = frozenset({"Mac", "Van", "Von", "Fitz", "Del", "Della", "Des", "Dos", "San", "Ten", "Ver"})


def cut_glued_text(c: Candidate) -> Candidate | None:
    """Text a web page shows when a reader hovers over a name, glued to it by the page's copy:
    "John Kerry John Forbes KerryThe Memo", "Bernie Sanders Bernie SandersHow", "Mark Robert
    WarnerTrump". The name ends at a word run into the next one, and before its own first word
    written again when its last word comes again too ("Mohamed Ali Mohamed Hassan" is one name)."""
    return Candidate(_before_the_name_again(_cut_at_glue(list(c.words))), c.titled)


def _cut_at_glue(words: list[str]) -> list[str]:
    """The words up to the first word run into the next, that word's first part kept."""
    for i, w in enumerate(words[1:], 1):        # after a name's first word: "YouTuber Casey Neistat" is no glue
        m = _GLUED.match(w)
        if m and m.group(1) not in _CAPITAL_INSIDE_NAMES and not _two_syllables(m.group(1), m.group(2)):
            return words[:i] + [m.group(1)]
    return words


def _two_syllables(first: str, second: str) -> bool:
    """A given name of two short syllables written as one ("RuiWen", "JiaHui"), not glue."""
    return len(first) <= 3 and len(second) <= 3


def _before_the_name_again(words: list[str]) -> list[str]:
    """The words before the first word written again, when the word before it comes again too;
    a surname written twice over, as a caption repeats it, once ("Joe Biden Biden")."""
    again = next((i for i in range(2, len(words)) if words[i] == words[0]), None)
    if again is not None and words[again - 1] in words[again + 1:]:
        return words[:again]
    if len(words) >= 3 and words[-1] == words[-2]:
        return words[:-1]
    return words
