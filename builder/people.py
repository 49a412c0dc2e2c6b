"""Person candidates: which names in an article are people, and which are not.

A name the model tags PERSON becomes a candidate only once it has a person's shape and is
not a company, a work, an event or a party. Each rule is a small function tried in order
(``CANDIDATE_RULES`` on one span, ``ARCHIVE_RULES`` on a name across the whole archive); the
word lists they use are data files under ``builder/data/``, loaded once, for archivists to edit.
The field's libraries know more than a word list where they can: ``nameparser`` (titles) and
``nicknames`` (English given names and their short forms); given names and surnames across
cultures come from ``names-dataset``, extracted once into data files; ``probablepeople`` (person
or corporation, from the name alone) is one piece of evidence for the learned second opinion.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

from .models import Line
from .ner import Entity
from .registry import Registry
from .text import ascii_fold, normalise_space

# ---------------------------------------------------------------------------------------
# word lists (data files)
# ---------------------------------------------------------------------------------------


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

# ---------------------------------------------------------------------------------------
# one span: the name it holds, or None
# ---------------------------------------------------------------------------------------

_NAME_WORD = re.compile(r"^(?:[^\W\d_][\w'’-]*|[A-Z]\.(?:[A-Z]\.)*)$")
# lower-case name particles fused to a surname: al-Rashidi, el-Sisi, d'Estaing, bin-Salman
_PARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|ash|as|at|az|an|ar|bin|ibn|abu|d|de|da|di|du|la|le|dos)[-'’][^\W\d_]", re.I)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_POSSESSIVE_END = re.compile(r"(?:'s|’s)$")


@dataclass
class Mention:
    """A person's name as written in one article."""

    text: str
    line: int
    via: str        # "ner", "registry", "title", "apposition", "titled surname"
    titled: bool = False    # a title or role stood before it ("President", "striker")


@dataclass
class DocEvidence:
    """What one article offers to corpus-wide person resolution."""

    id: str
    mentions: list[Mention]
    # words the article uses in lower case, and the names the model tagged as something other
    # than a person (organisation, place): what a whole archive knows about a name's shape
    lower_words: frozenset[str] = frozenset()
    other_labels: frozenset[str] = frozenset()
    # capitalised runs of words the article writes (name keys), those it writes after "the"
    # ("the Bee Gees", "The North East"), and names it puts in a work's or a company's context
    runs: frozenset[str] = frozenset()
    the_runs: frozenset[str] = frozenset()
    thing_context: frozenset[str] = frozenset()
    # (name key, cue): how the article writes each of its full names ("said" after it, "he" or
    # "it" after it, a possessive, "the" before it, ...): evidence for the learned second opinion
    cues: frozenset[tuple[str, str]] = frozenset()


def _tokens(name: str) -> list[str]:
    return name.split()


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


def _is_title_word(word: str) -> bool:
    parts = word.casefold().rstrip(".").split("-")
    if len(parts) > 1 and parts[0] in _TITLE_PREFIXES:
        parts = parts[1:]
    return all(part in HONORIFICS or part in library_titles() or (part.endswith("s") and part[:-1] in DEMONYMS)
               or (part.endswith("s") and part[:-1] in ROLE_TITLES and part not in given_names())
               or (_ROLE_SHAPE.match(part) is not None and part not in given_names())
               for part in parts)     # plurals too: "Americans Andy Roddick and ...", "Doctors Steven Woloshin and ..."


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


def _is_an_adverb(word: str) -> bool:
    """"Disappointingly", "Reportedly": an adverb's ending, and no given name or surname."""
    w = word.casefold()
    return (w.endswith(_ADVERB_ENDINGS) and len(w) >= 7 and w.isalpha() and w not in given_names()
            and w not in known_surnames())


# endings of English adverbs; not "-aly", "-oly", "-arly": "Vitaly", "Anatoly", "Pearly" are names
_ADVERB_ENDINGS = ("ingly", "edly", "ally", "fully", "ously", "ively", "ably", "ibly", "ently", "antly",
                   "lessly", "ately")


_INITIAL = re.compile(r"^[A-Z]\.$")
SHEIKH_WORDS = frozenset({"sheikh", "shaikh", "sheik"})     # an honorific before Arabic names
_NASAB_WORDS = {"bin", "bint", "ibn"}


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
        pair = " ".join(words[:2]).casefold()
        if len(words) > 2 and pair in DEMONYMS:
            words = words[2:]
            continue
        if len(words) > 1 and _LEADING_MODIFIER.match(words[0]):
            words = words[1:]
            continue
        if len(words) > 1 and _is_an_adverb(words[0]):
            words = words[1:]       # "Disappointingly Scott": a sentence's adverb run into a name
            continue
        if len(words) > 2 and words[0].casefold() in PLACE_WORDS and words[0].casefold() not in given_names() \
                and (words[1].casefold() in given_names() or _INITIAL.match(words[1])) \
                and words[1].casefold() not in PLACE_WORDS:
            words = words[1:]       # a place before a name: "Zimbabwe Robert Mugabe", "India N. Gopalaswami"
            continue
        if len(words) > 1 and words[0].casefold() == "det" and _is_title_word(words[1]):
            words, titled = words[1:], True     # "Det Sgt O'Toole", "Det Supt Helen Rance"
            continue
        if len(words) > 3 and words[0].casefold() in SHEIKH_WORDS \
                and any(w.casefold() in _NASAB_WORDS for w in words[2:]):
            words, titled = words[1:], True     # "Sheikh Ahmed bin Zayed Al Nahyan": an honorific before
            continue                            # a Gulf name; "Sheikh Hasina" keeps it, as she does
        if len(words) > 3 and words[0].casefold() not in given_names() and _is_title_word(words[1]) \
                and not _is_title_word(words[0]):
            words = words[1:]       # "Treasury Secretary John Snow": what the role is of goes with it
            continue
        if not _is_title_word(words[0]):
            if len(words) > 2 and misspelt_title(words[0]):
                words, titled = words[1:], True
                continue
            break
        folded = words[0].casefold().rstrip(".")
        titled = titled or folded in ROLE_TITLES or folded in library_titles()
        words = words[1:]
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


POST_NOMINALS = _words("post-nominals")
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


FUNCTION_WORDS = _words("function-words")


_ARABIC_PARTICLES = frozenset({"bin", "ibn", "bint", "al", "el", "abu"})
_GERMAN_ARTICLES = frozenset({"Der", "Die", "Das"})     # capitalised: a title starts ("Der Tagesspiegel")
_SHIP_PREFIXES = frozenset({"MV", "SS", "MT", "RV", "HMS", "USS", "RMS", "HMAS", "HMCS", "HMNZS"})
_BRAND_CAPITAL = re.compile(r"[a-z][A-Z]$")     # a capital letter ends the word: "SpaceX", not "McDonald"


def _long_name(words: list[str]) -> bool:
    """Five or six words, four of them names, the first a given name and the others joined by
    lower-case particles: "Luiz Inácio Lula da Silva", "Urano Teixeira da Matta Bacellar"."""
    return len(words) <= 6 and words[0].casefold() in given_names() \
        and sum(not (w.islower() and w in PARTICLES) for w in words) <= 4


def has_name_shape(c: Candidate) -> Candidate | None:
    """One to four capitalised name words; no digits, lower-case words (headline fragments),
    all-capital acronyms, pronouns or conjunctions ("Uncle Roy All Around You"), or a word cut at
    a quotation mark or a hyphen ("Brian 'Head' Welch", "MacLeod- Henderson")."""
    words = c.words
    if not words or sum(w.casefold() not in _ARABIC_PARTICLES for w in words) > 4 and not _long_name(words):
        return None         # "Ahmed bin Zayed Al Nahyan" has four name words
    for i, w in enumerate(words):
        if w.casefold() in PARTICLES and 0 < i < len(words) - 1:
            continue
        if w.casefold() in FUNCTION_WORDS or (i < len(words) - 1 and w[-1] in "'’") or w.endswith("-"):
            return None
        if not _NAME_WORD.match(w) or not (w[0].isupper() or _PARTICLE_PREFIX.match(w)):
            return None
        if len(w) > 2 and w.isupper():
            return None
    if _COMPOUND_MODIFIER.search(words[-1]):      # "George Bush-style", "Kremlin-backed"
        return None
    if any(ch.isdigit() for w in words for ch in w):
        return None     # "G8 Genoa": a digit is in no name (results lines lose their scores first)
    if len(words) > 2 and words[-1] == "Park":
        return None     # "Tommy Thompson Park" (two words may be a name: "Nick Park")
    if words[0] in _SHIP_PREFIXES or words[0] in _GERMAN_ARTICLES or any(_BRAND_CAPITAL.search(w) for w in words):
        return None     # "MV Rozen", a ship; "Der Tagesspiegel", a German title; "SpaceX Dragon", a brand
    if len(words) > 1 and words[-1].casefold().rstrip(".") in ("mr", "mrs", "ms", "dr", "sir", "said", "says"):
        return None                                # "Said Mr": a title or verb cannot end a name
    return c if len(" ".join(words)) >= 2 else None


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
    if folded[-1] in NOT_PERSON_WORDS or any(w in ORG_WORDS or w in NOT_PERSON_ANYWHERE for w in folded):
        return None
    if ascii_fold(" ".join(folded)) in NOT_PERSON_ANYWHERE:     # a whole name listed: "Sinn Fein"
        return None
    return c


# tried in order on every span; each returns the candidate (perhaps changed) or None
CANDIDATE_RULES = (strip_owner, strip_titles, strip_possessive, strip_post_nominals, has_name_shape,
                   not_a_place_or_organisation)


def person_candidate(text: str) -> Candidate | None:
    """The person's name a span holds, with whether a title came with it, or None."""
    text = normalise_space(text.replace("\n", " "))
    if "--" in text:    # a typed dash joins a name to what came before: "Houston--Beleaguered Tom DeLay"
        text = text.rsplit("--", 1)[1]
    text = text.strip(" ,.;:!?\"“”‘’'()[]-–—")
    c: Candidate | None = Candidate(_tokens(text))
    for rule in CANDIDATE_RULES:
        c = rule(c)
        if c is None or not c.words:
            return None
    return c


def clean_person_name(text: str) -> str | None:
    """Normalise an entity's text to a plausible personal name, or None (see CANDIDATE_RULES)."""
    c = person_candidate(text)
    return " ".join(c.words) if c else None


_WORK_QUOTES = ("\"“”‘’'", "\"“”‘’'")


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
WORK_APPOSITION = _words("work-apposition")
# a context word that is also a verb counts only after a determiner or an adjective: "the play
# Hamlet", "her new single Toxic", not "Hanks will play Robert Langdon", "he will now play Gaudio"
_VERB_CONTEXT = {"play", "plays", "show", "shows", "single", "game", "games", "series"}
_BEFORE_NOUN = {"the", "a", "an", "his", "her", "their", "its", "new", "hit", "latest", "stage", "first", "last",
                "next", "debut", "radio", "tv", "television", "comedy", "award-winning", "musical", "this", "that"}


def names_work_or_company(para: str, start: int, end: int) -> bool:
    """A name in a work's or a company's context: after 'the band', 'housebuilder', 'the sitcom'
    ("the band Black Sabbath"), also through a list ("companies Adhi Karya and Semen Gresik"),
    or in quotation marks on both sides ('"Strong Medicine"')."""
    comma = _WORK_APPOSITION.search(_left(para, start))
    if comma and comma.group(1) in WORK_APPOSITION and re.match(r"^[’']?s?(?:[,;:]|\.(?:\s|$)|$)", _right(para, end)):
        return True
    before = _CONTEXT_BEFORE.search(_left(para, start))
    if before and before.group("word") in WORK_CONTEXT:
        word, listed, prev = before.group("word"), before.group("list"), before.group("before")
        if word in _VERB_CONTEXT and (prev is None or prev.casefold() not in _BEFORE_NOUN):
            pass
        elif not listed or word.endswith("s") or listed.startswith(("such", "including")):
            return True
    left = para[start - 1] if start > 0 else ""
    right = para[end] if end < len(para) else ""
    return bool(left and right and left in _WORK_QUOTES[0] and right in _WORK_QUOTES[1])


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
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if len(w) > 3]
    if len(words) < 3 or text.endswith(".") or is_results_line(text):
        return False
    return sum(1 for w in words if w[0].isupper()) / len(words) >= 0.75


def is_results_line(text: str) -> bool:
    """A line of a results table ("1-Jannik Sinner (Italy) beat Gael Monfils (France) 6-4 6-2",
    "132 Rory McIlroy 67 65"): capitalised names among scores and times, not a headline."""
    numbers = len(re.findall(r"\d+", text))
    return numbers >= 3 and numbers >= 0.15 * len(text.split())


_PRECEDING_WORD = re.compile(r"([A-Za-z][A-Za-z.-]*)\s+$")
_NEAR = 120   # characters either side of a name that the rules around it look at


def _left(text: str, i: int) -> str:
    """The text just before position ``i``: a window, so that looking around each of many
    names in one huge paragraph stays linear (the whole prefix would make it quadratic)."""
    return text[max(0, i - _NEAR):i]


def _right(text: str, i: int) -> str:
    return text[i:i + _NEAR]


FAMILY = _words("family-words")
# "her grandmother, Nneka Obi, singing" / "the striker, Ama Mensah, said": a role, then a name in commas
_APPOSITION = re.compile(
    r"\b(?P<role>[a-z][a-z-]+),\s+(?P<name>[^\W\d_][\w'’-]+(?:\s+(?:[^\W\d_][\w'’-]+)){1,3}),")
_PRECEDING_ROLE = re.compile(r"([A-Za-z][A-Za-z.-]*),?\s+$")
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


def _names_thing(para: str, start: int, end: int, n_words: int) -> bool:
    """A name used as the name of a thing or place, not a person: followed by 'building',
    'medal', 'school' or a role ("Harlow Springs treasurer"), preceded by 'the' ("the Mary
    Jane Treloar", a lifeboat) or by a place preposition ("in Wad Madani")."""
    after = _NEXT_WORD.match(_right(para, end))
    if after:
        word = after.group(1)
        if word.casefold() in THING_AFTER_NAME or (word.islower() and word in ROLE_TITLES):
            return True
    if start > 0 and para[start - 1] == "-":
        return True         # the end of a compound: "analyst at ASK-Raymond James"
    if _YEAR_POSSESSIVE.search(_left(para, start)):
        return True         # "1989's Shirley Valentine", "2004's Shark Tale": a year's work
    if _MODEL_YEAR.search(_left(para, start)) and not re.match(r"\s+[a-z]", _right(para, end)):
        return True         # "his 1998 Ford Explorer": a model year (not "In 1998 Tony Blair",
                            # "the 1994 Frank Darabont tale")
    before = _PRECEDING_WORD.search(_left(para, start))
    if before is None:
        return False
    word = before.group(1)
    if word in _FOREIGN_ARTICLES:
        return True         # "Agrupación por un Pichilemu Limpio": a phrase of another language
    if word in _GERMAN_ARTICLES:
        return True         # "Die Toten Hosen": a German title
    if n_words >= 2 and word.casefold() == "the":
        return True
    return word.casefold() in _PLACE_PREPOSITIONS and not re.match(r"^[’']s\b", _right(para, end))


_LEFT_NAME_WORD = re.compile(r"([^\W\d_][\w'’-]*)\s+$")


def _extend_left(para: str, start: int, lower: frozenset[str] = frozenset()) -> int:
    """Widen an entity over name words the model left out ("Thị Hương" -> "Đỗ Thị Hương",
    "Garba Dauda" -> "Sani Garba Dauda"), stopping at titles, dates and ordinary words. A word
    opening a sentence is taken only as the first of two given names ("Juana| Laura Chavero
    Ramirez said"), when the article never writes it in lower case (``lower``: "Will", "Grant")."""
    for _ in range(2):
        base = max(0, start - _NEAR)
        m = _LEFT_NAME_WORD.search(para, base, start)
        if not m:
            break
        word = m.group(1)
        folded = word.casefold().rstrip(".")
        if folded in PARTICLES and word.islower():
            # "Luzia dos | Santos Pereira": a particle joins the given name to the surname
            inner = _LEFT_NAME_WORD.search(para, max(0, m.start() - _NEAR), m.start())
            if inner and inner.group(1)[0].isupper() and inner.group(1).casefold() not in HONORIFICS \
                    and inner.group(1).casefold() not in _NOT_NAME_START:
                start = inner.start()
                continue
            break
        if not word[0].isupper() or folded in HONORIFICS or folded in _NOT_NAME_START or word.isupper():
            break
        before = _left(para, m.start()).rstrip()
        if before and before[-1] in ".!?:;\"“”—–-(" or not before:
            # a capitalised word opening a sentence or clause is not known to be a name, unless
            # it and the name's first word are both given names
            sentence_end = not before or (before[-1] in "!?" or re.search(r"[a-z]{2}\.$", before) is not None)
            if sentence_end and _second_given_name(word, para[start:], lower):
                start = m.start()
            break
        start = m.start()
    return start


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS     # imported when first needed: spaCy is slow to import
    return frozenset(STOP_WORDS)


def _second_given_name(word: str, rest: str, lower: frozenset[str]) -> bool:
    """"Juana" before "Laura Chavero Ramirez", "Corinne" before "Claire Hall": both given names,
    the first one no English word that opens sentences ("Can", "Even", "Given": spaCy's stop
    words, participles) nor one the article writes in lower case or names as a thing ("Apple")
    elsewhere, and a surname after the second."""
    folded = word.casefold()
    names = rest.split()[:3]
    return (word.isalpha() and len(word) > 1 and folded in given_names() and folded not in lower
            and folded not in _stop_words() and not folded.endswith(("ing", "ed", "en", "ly"))
            and folded not in FUNCTION_WORDS
            and folded not in ROLE_TITLES and folded not in PLACE_WORDS and len(names) >= 2
            and names[0].casefold() in given_names() and names[0][:1].isupper() and names[1][:1].isupper())


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


def _extend_right(para: str, start: int, end: int) -> int:
    """Widen an entity over the end of a name cut at a hyphen or before "d'" (see
    _RIGHT_CONTINUATION) or "bin" (_NASAB), or over one last name word the model left out of a
    name of two or more words, when that word is no title, place, organisation word or ordinary
    function word."""
    m = _RIGHT_CONTINUATION.match(para, end, end + _NEAR) or _NASAB.match(para, end, end + _NEAR)
    if m:
        return m.end()
    n_words = len(para[start:end].split())
    if n_words < 2:
        return end
    m = _PARTICLE_SURNAME.match(para, end, end + _NEAR)
    if m and not _is_a_place(m.group(1)):
        return m.end()
    if re.search(r"['’]s?$", para[start:end]):
        return end
    m = _RIGHT_NAME_WORD.match(para, end, end + _NEAR)
    if m and _may_end_a_name(m.group(1)):
        return m.end(1)
    m = _RIGHT_TWO_NAME_WORDS.match(para, end, end + _NEAR)
    if m and n_words == 2 and not any(len(w) > 1 and w.isupper() for w in para[start:end].split()) \
            and _may_end_a_name(m.group(1)) and _may_end_a_name(m.group(2)):
        return m.end(2)     # "Ghazi Salah| Eldin Atabani told", "Ahmed Abdallah| Mohamed Sambi said"
    return end


def _is_a_place(word: str) -> bool:
    folded = word.casefold()
    return folded in PLACE_NAMES or folded in PLACE_WORDS


def _may_end_a_name(word: str) -> bool:
    return word.casefold() not in _NOT_NAME_WORD_AFTER and not _is_a_place(word)


_PLACE_PREPOSITION_BEFORE = re.compile(r"\b(?:to|of|in|from|for)\s+$")


def _after_a_place(para: str, start: int, end: int) -> int:
    """Where the name starts when a span of three or more words opens with a country or city
    that a preposition governs: "ambassador to China| Anami Koreshige", "envoy to Sudan| ..."."""
    words = para[start:end].split()
    if len(words) >= 3 and words[0].casefold() in PLACE_WORDS and _PLACE_PREPOSITION_BEFORE.search(_left(para, start)):
        return start + re.match(r"\s*\S+\s+", para[start:end]).end()
    return start


def _is_outlet(name: str, registry: Registry) -> bool:
    folded = name.casefold()
    return any(folded == s.name.casefold() or folded in (sig.casefold() for sig in s.signatures)
               for s in registry.sources)


def find_person_mentions(paragraphs: list[Line], ents: list[list[Entity]], registry: Registry) -> list[Mention]:
    """Names of people in the article's paragraphs (entities per paragraph given)."""
    mentions: list[Mention] = []
    # words the article writes in lower case or names as things: no given name opening a sentence
    lower = frozenset(w for p in paragraphs for w in _LOWER_WORD.findall(p.text)) | frozenset(
        e.text.casefold() for es in ents for e in es if e.label != "PERSON")
    for para, para_ents in zip(paragraphs, ents):
        headline_like = is_title_case_line(para.text)
        results = is_results_line(para.text)
        for ent in para_ents:
            if headline_like:
                break
            if ent.label == "PERSON":
                start = _extend_left(para.text, _after_a_place(para.text, ent.start, ent.end), lower)
                end = _extend_right(para.text, start, ent.end)
                name = clean_person_name(para.text[start:end])
                if name is None and end != ent.end:
                    name = clean_person_name(para.text[start:ent.end])
                if name is None and start != ent.start:
                    name = clean_person_name(ent.text)
                if name is None and results:
                    name = clean_person_name(without_scores(ent.text))
                if name and not _names_thing(para.text, ent.start, ent.end, len(_tokens(name))) \
                        and not names_work_or_company(para.text, start, ent.end) \
                        and not _is_outlet(name, registry):
                    cand = person_candidate(para.text[start:ent.end]) or person_candidate(ent.text)
                    titled = bool(cand and cand.titled) or titled_before(para.text, start)
                    mentions.append(Mention(name, para.line, "ner", titled))
            elif _POSSESSIVE_END.search(ent.text):
                # "Santiago Abascal's far-right Vox": a possessive name the model tagged as an
                # organisation; kept when it starts with a known given name
                cand = person_candidate(ent.text)
                if cand and len(cand.words) >= 2 and cand.words[0].casefold() in given_names() \
                        and not _is_outlet(" ".join(cand.words), registry) \
                        and not names_work_or_company(para.text, ent.start, ent.end):
                    mentions.append(Mention(" ".join(cand.words), para.line, "possessive", cand.titled))
            else:
                # a person the model tagged ORG/GPE, recognisable by the role title before the
                # name: "Parliament Lesia Vasylenko" (inside the span), "President Sauli Niinistö",
                # "Father Mykola Danyliuk" (just before it)
                words = _tokens(ent.text)
                before = _PRECEDING_ROLE.search(_left(para.text, ent.start))
                titled = (len(words) >= 3 and words[0].casefold().rstrip(".") in ROLE_TITLES) or (
                    2 <= len(words) <= 3 and before is not None
                    and before.group(1).casefold().rstrip(".") in ROLE_TITLES) or (
                    2 <= len(words) <= 3 and _WHO_AFTER.match(_right(para.text, ent.end)) is not None)
                if titled and not _is_outlet(ent.text, registry) \
                        and not _names_thing(para.text, ent.start, ent.end, len(words)) \
                        and not names_work_or_company(para.text, ent.start, ent.end):
                    name = clean_person_name(ent.text)
                    if name and len(_tokens(name)) >= 2:
                        mentions.append(Mention(name, para.line, "title", True))
        if not headline_like:
            for m in _APPOSITION.finditer(para.text):
                if m.group("role").casefold() in ROLE_TITLES | FAMILY:
                    name = clean_person_name(m.group("name"))
                    if name and len(_tokens(name)) >= 2 and not _is_outlet(name, registry):
                        mentions.append(Mention(name, para.line, "apposition", True))
        if registry.person_pattern is not None:
            folded = ascii_fold(para.text)
            same_length = len(folded) == len(para.text)
            for m in registry.person_pattern.finditer(folded):
                # matched without accents ("Lukasz Wrobel" is Łukasz Wróbel); shown as written
                spelling = normalise_space(para.text[m.start():m.end()] if same_length else m.group(0))
                if " " not in spelling:
                    # a registered surname inside another name ("Hunter Biden") is not that person
                    before = _PRECEDING_WORD.search(_left(para.text, m.start()))
                    if before and before.group(1)[0].isupper() and not before.group(1).endswith(".") \
                            and before.group(1).casefold() not in HONORIFICS:
                        continue
                mentions.append(Mention(spelling, para.line, "registry"))
        if not headline_like:
            mentions += titled_surnames(para)
        if results:
            mentions += results_line_names(para, registry)
    return mentions


_CAPITALISED_RUN = re.compile(
    r"(?<![\w'’-])(?:\d+[-.])?(?P<name>[A-Z][^\W\d_]*(?:[-'’][A-Z]?[^\W\d_]+)?"
    r"(?:\s+(?:(?:van|de|der|den|von|da|di|du|dos|del|le|la|bin|al)\s+)*[A-Z][^\W\d_]*(?:[-'’][A-Z]?[^\W\d_]+)?){1,2})")


def results_line_names(para: Line, registry: Registry) -> list[Mention]:
    """Names in a results table, which the model often misses or tags as organisations
    ("1. Noah Lyles (United States) 19.87", "132 Rory McIlroy 67 65"): runs of capitalised words
    that start with a known given name and pass the candidate rules."""
    out = []
    for m in _CAPITALISED_RUN.finditer(para.text):
        cand = person_candidate(m.group("name"))
        if cand and len(cand.words) >= 2 and cand.words[0].casefold() in given_names() \
                and not _is_outlet(" ".join(cand.words), registry):
            out.append(Mention(" ".join(cand.words), para.line, "results line", cand.titled))
    return out


# "President Biden's administration", "Mr Hevesi said": a surname after a form of address,
# which the model often tags as an organisation or misses; kept only if the archive knows
# the person's full name (resolve_people)
ADDRESS_TITLES = ("Mr", "Mrs", "Ms", "Dr", "President", "Senator", "Sen.", "Governor", "Gov.", "Chancellor",
                  "Minister", "Secretary", "Judge", "Justice", "Speaker", "Mayor", "Commissioner", "Coach",
                  "General", "Gen.", "Sir", "Dame", "Pope", "Rep.", "Representative", "Premier", "Ambassador",
                  "Professor", "Prof.", "Captain", "Detective", "Inspector", "Chairman", "Chairwoman")
_TITLED_SURNAME = re.compile(
    r"(?<![\w.])(?:" + "|".join(re.escape(t) for t in ADDRESS_TITLES) + r")\s+"
    r"(?P<name>[A-Z][^\W\d_]*(?:[-'’][A-Z][^\W\d_]*)?)(?:'s|’s)?(?![\w'’-]|\s+[A-Z])")


def titled_surnames(para: Line) -> list[Mention]:
    return [Mention(m.group("name"), para.line, "titled surname", True)
            for m in _TITLED_SURNAME.finditer(para.text)
            if m.group("name").casefold() not in HONORIFICS and m.group("name").casefold() not in _NOT_NAME_START]


def doc_evidence(doc_id: str, mentions: list[Mention], paragraphs: list[Line],
                 ents: list[list[Entity]]) -> DocEvidence:
    """An article's mentions, with the words it writes in lower case and the names the model
    tags as organisations or places: the archive-wide rules weigh these."""
    lower = frozenset(w for p in paragraphs for w in _LOWER_WORD.findall(p.text))
    others = frozenset(_entity_key(e.text) for es in ents for e in es if e.label in ("ORG", "GPE", "FAC", "LOC"))
    runs: set[str] = set()
    the_runs: set[str] = set()
    for p in paragraphs:
        for m in _CAPITALISED_WORDS.finditer(p.text):
            key = _entity_key(m.group("run").rstrip("."))
            runs.add(key)
            if m.group("the"):
                the_runs.add(key)
    things = frozenset(_entity_key(e.text) for p, es in zip(paragraphs, ents) for e in es
                       if e.label in ("PERSON", "ORG") and names_work_or_company(p.text, e.start, e.end))
    return DocEvidence(doc_id, mentions, lower, others, frozenset(runs), frozenset(the_runs), things,
                       name_cues(mentions, paragraphs, ents))


SPEECH_VERBS = {"said", "says", "told", "added", "explained", "insisted", "argued", "stated", "claimed",
                "admitted", "warned", "believes", "thinks", "wrote", "asked", "replied", "commented",
                "revealed", "denied", "urged", "called", "agreed", "noted", "described", "recalled"}
_PLURAL_VERBS = {"are", "were", "have", "say", "do", "make", "play", "release", "plan"}
_PERSON_PRONOUN = re.compile(r"\b(?:he|she|his|her|him|himself|herself|He|She|His|Her)\b")
_THING_PRONOUN = re.compile(r"\b(?:it|its|itself|they|their|them|It|Its|They|Their)\b")
_LABEL_CUES = {"PERSON": "label person", "ORG": "label org", "GPE": "label place", "LOC": "label place",
               "FAC": "label place", "NORP": "label group"}
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+[A-Z\"“‘]")
# a name that starts a firm's name: "Paine Webber Group Inc", "Samuel Montagu and Co Ltd",
# "Hal Roach Studios Inc" (up to four more capitalised words, then a firm's suffix)
_FIRM_RUN = re.compile(r"^(?:\s+(?:and|&)?\s*[A-Z][\w&'’.-]*){0,4}?(?:\s+(?:Inc|Co|Corp|Corporation|Ltd|Plc|PLC|"
                       r"LLC|AG|SA|NV|GmbH|Group|Holdings|Bank|Banks|Studios|Securities|Industries|"
                       r"Insurance)\b\.?|,\s+(?:Inc|LLC|Ltd|Corp|Plc|PLC)\b(?!-))")   # "Bayview Loan Servicing, LLC"
# the items of a list beside a name: "Need for Speed, Ridge Racer, Metal Gear Acid and ..."
_ITEM = r"[A-Z][\w'’-]*(?:\s+(?:(?:of|for|to|the|in|on|at|a)\s+)?[A-Z][\w'’-]*)*"
_LIST_ITEM_BEFORE = re.compile(r"(?<![\w'’-])(?P<item>" + _ITEM + r")\s*(?:,|,?\s+(?:and|or|&))\s+$")
_LIST_ITEM_AFTER = re.compile(r"^\s*(?:,|,?\s+(?:and|or|&))\s+(?P<item>" + _ITEM + r")")
_THING_LABELS = frozenset({"ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC", "LAW"})
_SMALL_WORD = re.compile(r"\s(?:of|for|to|the|in|on|at|a)\s")


def _list_neighbours(text: str, start: int, end: int, para_ents: list[Entity]) -> set[str]:
    """What the items listed right beside a span are: "thing" (an entity the model takes for a
    firm, a product, a work or an event, or a title with a small word inside: "Need for Speed")
    or "person" (a name the model tags PERSON that starts with a given name). A name listed with
    games or firms is likely one of them. Places are left out: people are listed with countries."""
    kinds = set()
    before = _LIST_ITEM_BEFORE.search(text, max(0, start - 80), start)
    after = _LIST_ITEM_AFTER.match(text, end, min(len(text), end + 80))
    for m in (before, after):
        if m is None:
            continue
        a, b = m.span("item")
        labels = {e.label for e in para_ents if e.start < b and e.end > a}
        first = m.group("item").split()[0].casefold()
        if "PERSON" not in labels and (labels & _THING_LABELS or _SMALL_WORD.search(m.group("item"))):
            kinds.add("thing")
        elif "PERSON" in labels and first in given_names():
            kinds.add("person")
    return kinds


@functools.lru_cache(maxsize=1 << 16)
def _mention_pattern(name: str) -> re.Pattern:
    """A full name as written in the text, with an optional possessive (compiled once per name:
    the same people recur across thousands of articles)."""
    return re.compile(r"(?<![\w'’-])" + re.escape(name) + r"(?P<poss>'s|’s|'|’)?(?![\w-])")


@functools.lru_cache(maxsize=1 << 16)
def _surname_alone_pattern(before: str, surname: str) -> re.Pattern:
    return re.compile(r"(?<![\w'’-])(?<!" + re.escape(before) + r" )" + re.escape(surname) + r"(?![\w-])")


def name_cues(mentions: list[Mention], paragraphs: list[Line], ents: list[list[Entity]]) -> frozenset[tuple[str, str]]:
    """(name key, cue) for every full name the article mentions: how the article writes it.
    Cues: "seen"; "poss" ("X's"); "the" before it; "said" (a verb of speech after it); "plural"
    (a plural verb after it: "Bee Gees were"); "he" / "it" (a person's or a thing's pronoun after
    it, to the end of the next sentence); "title" (a role before it); "inside" (a capitalised word
    right after it: "Walt Disney Co"); "who"; "modifier" (a lower-case word after it that is no
    verb of speech or function word: "Walt Disney chief"); "surname later" (its last word alone
    later in the article); "firm name" (a firm's name goes on after it: "Paine Webber Group
    Inc"); "listed with things" / "listed with people" (an entity of that kind
    beside it in a list: "Need for Speed, Ridge Racer, Metal Gear Acid"); "label ..." (what the
    model tags a span of that text); "before W" and
    "after W" for the words right before and after it, lower case."""
    names = sorted({m.text for m in mentions if len(_tokens(m.text)) >= 2})
    if not names:
        return frozenset()
    out: set[tuple[str, str]] = set()
    keys = {_entity_key(n): n for n in names}
    for es in ents:
        for e in es:
            key = _entity_key(e.text)
            if key in keys and e.label in _LABEL_CUES:
                out.add((key, _LABEL_CUES[e.label]))
    texts = [p.text for p in paragraphs]
    ents = list(ents) + [[] for _ in range(len(texts) - len(ents))]
    for name in names:
        key = _entity_key(name)
        pattern = _mention_pattern(name)
        surname = name.split()[-1]
        first_at = None
        for i, text in enumerate(texts):
            for m in pattern.finditer(text):
                if first_at is None:
                    first_at = (i, m.end())
                out.add((key, "seen"))
                left, right = _left(text, m.start()), _right(text, m.end())
                if m.group("poss"):
                    out.add((key, "poss"))
                before = _PRECEDING_WORD.search(left)
                if before and before.group(1) in ("the", "The"):
                    out.add((key, "the"))
                if titled_before(text, m.start()):
                    out.add((key, "title"))
                if before:
                    out.add((key, "before " + before.group(1).casefold()))
                nxt = _NEXT_WORD_ANY.match(right)
                if nxt and not m.group("poss"):
                    out.add((key, "after " + nxt.group(1).casefold()))
                if nxt:
                    word = nxt.group(1)
                    if word in SPEECH_VERBS:
                        out.add((key, "said"))
                    elif word in _PLURAL_VERBS and not m.group("poss"):
                        out.add((key, "plural"))
                    elif word[0].isupper() and not m.group("poss"):
                        out.add((key, "inside"))
                    elif word == "who":
                        out.add((key, "who"))
                    elif word.islower() and word not in FUNCTION_WORDS and not m.group("poss"):
                        out.add((key, "modifier"))
                if not m.group("poss") and _FIRM_RUN.match(right):
                    out.add((key, "firm name"))
                beside = _list_neighbours(text, m.start(), m.end() - len(m.group("poss") or ""), ents[i])
                if "thing" in beside:
                    out.add((key, "listed with things"))
                if "person" in beside:
                    out.add((key, "listed with people"))
                ends = list(_SENTENCE_END.finditer(right))
                window = right[:ends[1].start() + 1] if len(ends) > 1 else right
                if _PERSON_PRONOUN.search(window):
                    out.add((key, "he"))
                if _THING_PRONOUN.search(window):
                    out.add((key, "it"))
        if first_at is not None and len(name.split()) >= 2:
            alone = _surname_alone_pattern(name.split()[-2], surname)
            i0, end0 = first_at
            if alone.search(texts[i0], end0) or any(alone.search(t) for t in texts[i0 + 1:]):
                out.add((key, "surname later"))
    return frozenset(out)


_NEXT_WORD_ANY = re.compile(r"^,?\s+([A-Za-z][A-Za-z-]*)")


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z]+(?![\w'’-])")
# a run of capitalised words, with "the" or "The" before it when it has one
_CAPITALISED_WORDS = re.compile(
    r"(?<![\w'’.-])(?:(?P<the>[Tt]he)\s+)?(?P<run>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)")


def _entity_key(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"^(?:the|The)\s+", "", text)
    return _POSSESSIVE.sub("", text).casefold()




# ---------------------------------------------------------------------------------------
# one name across the archive: rules that need every article
# ---------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def nickname_pairs() -> frozenset[tuple[str, str]]:
    """(short form, full name) pairs from the ``nicknames`` package, as name keys (bill/wilyam)."""
    from .text import word_key

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


@dataclass
class NameStats:
    """What the archive knows about one (unregistered) name."""

    name: str
    spellings: list[str]
    articles: int                   # articles the model names it in as a person
    titled: bool                    # a title or role stood before it somewhere
    lower_words: Counter = field(default_factory=Counter)    # word -> articles using it in lower case
    other_labels: Counter = field(default_factory=Counter)   # name -> articles tagging it ORG/GPE/FAC/LOC
    runs: Counter = field(default_factory=Counter)           # name -> articles writing it capitalised
    the_runs: Counter = field(default_factory=Counter)       # name -> articles writing "the" before it
    thing_context: Counter = field(default_factory=Counter)  # name -> articles calling it a company or a work
    cues: Counter = field(default_factory=Counter)           # (name, cue) -> articles (name_cues)


def starts_with_ordinary_word(s: NameStats) -> str | None:
    """"Black Sabbath", "Ask Jeeves", "Strong Medicine", "Trap Door": the first word is one the
    archive writes in lower case and no known given name."""
    first = s.name.split()[0]
    folded = first.casefold()
    if folded in given_names() or s.lower_words[folded] < 2 or len(s.name.split()) < 2:
        return None
    return f"'{first}' is an ordinary word in this archive, not a known given name"


def named_as_organisation_or_place(s: NameStats) -> str | None:
    """"Walt Disney", "Buenos Aires": more articles tag the name an organisation or a place than a person."""
    other = max(s.other_labels[_entity_key(sp)] for sp in s.spellings)
    if other > s.articles:
        return f"{other} articles name it as an organisation or a place, {s.articles} as a person"
    return None


PLACE_NAMES = _words("place-names") | _words("town-names")
REGION_NAMES = _words("region-names")
PLACE_WORDS = _words("place-words")
COMPASS_WORDS = _words("compass-words")


def _keys(s: NameStats) -> set[str]:
    return {_entity_key(sp) for sp in s.spellings}


def is_a_place_name(s: NameStats) -> str | None:
    """"Milton Keynes", "Porto Alegre", "Tamil Nadu", "North East": a city, country, state or
    province of the gazetteers (builder/data/place-names.txt and town-names.txt from GeoNames,
    region-names.txt from ISO 3166-2), or only compass words."""
    for sp in s.spellings:
        folded = ascii_fold(sp).casefold()
        # "New York State", "Mexico City": a place with the kind of place after it
        bare = re.sub(r"\s+(?:state|city|county|province)$", "", folded)
        if bare != folded and (bare in PLACE_NAMES or bare in PLACE_WORDS):
            return f"'{sp}' is a place (GeoNames)"
        if folded in PLACE_NAMES and (not s.titled or s.other_labels[_entity_key(sp)]):
            return f"'{sp}' is a place (GeoNames)"
        if folded in REGION_NAMES and (not s.titled or s.other_labels[_entity_key(sp)]):
            return f"'{sp}' is a division of a country (ISO 3166-2)"
        if all(w in COMPASS_WORDS for w in folded.split()):
            return f"'{sp}' names a region"
        if len(folded.split()) > 1 and all(w in COMPASS_WORDS or w in DEMONYMS for w in folded.split()):
            return f"'{sp}' names the people of a region"      # "North American", "South Korean"
    return None


def written_with_the(s: NameStats) -> str | None:
    """"the Bee Gees", "The Wright Stuff", "the North East": a person's name seldom follows "the";
    turned down when at least two articles, and half of those writing the name, put it there."""
    for key in _keys(s):
        if s.the_runs[key] >= 2 and 2 * s.the_runs[key] >= s.runs[key]:
            return f"{s.the_runs[key]} of {s.runs[key]} articles write 'the' before it"
    return None


def called_a_company_or_work(s: NameStats) -> str | None:
    """"companies Adhi Karya and Semen Gresik", "films such as ..., Billy Elliot": the name is a
    company, a band or a work when as many articles call it one as take it for a person, or when
    one article does and its first word is no known given name ("the law firm Tods Murray")."""
    n = max(s.thing_context[k] for k in _keys(s))
    if n and (n >= s.articles or s.name.split()[0].casefold() not in given_names()):
        return f"{n} article(s) name it as a company, a group or a work"
    return None


def no_given_name_and_an_ordinary_last_word(s: NameStats) -> str | None:
    """"Nomad Digital", "Xbox Live", "Wright Stuff": the first word is no known given name (nor an
    initial) and the last is a word the archive writes in lower case in many articles."""
    words = s.name.split()
    first, last = words[0].casefold().rstrip("."), words[-1].casefold()
    if len(words) < 2 or len(first) < 2 or first in given_names() or s.lower_words[last] < ORDINARY_WORD_ARTICLES:
        return None
    return f"'{words[0]}' is no known given name and '{words[-1]}' an ordinary word in this archive"


ORDINARY_WORD_ARTICLES = 20


def starts_a_firms_name(s: NameStats) -> str | None:
    """"Paine Webber", "Hal Roach", "Marine Midland": every article that writes the name goes on
    into a firm's name ("Paine Webber Group Inc", "Hal Roach Studios Inc"); a person the firm is
    named after is written alone somewhere ("the late Conrad Hilton")."""
    keys = _keys(s)
    seen = sum(s.cues[(k, "seen")] for k in keys)
    firm = sum(s.cues[(k, "firm name")] for k in keys)
    if seen and firm >= seen:
        return "every article that names it goes on into a firm's name"
    return None


def starts_with_a_place(s: NameStats) -> str | None:
    """"Baghdad Blogger", "Leeds Rhinos", "Lesotho Hats": the first word is a country, a US state or
    a city of 200,000 people (builder/data/place-words.txt, from GeoNames) and no known given name."""
    first = s.name.split()[0].casefold()
    if first in PLACE_WORDS and first not in given_names():
        return f"'{s.name.split()[0]}' is a place, not a known given name"
    return None


def starts_with_an_organisation(s: NameStats) -> str | None:
    """"Facebook Messenger", "Google Maps", "Senedd Cymru": the first word alone is what the
    model tags an organisation or a place in several articles (more than name the whole as a
    person), and is no known given name or surname ("Jordan Henderson", "Park Ji-sung")."""
    words = s.name.split()
    first = words[0].casefold()
    if len(words) < 2 or first in given_names() or first in known_surnames():
        return None
    n = s.other_labels[_entity_key(words[0])]
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

def named_in_the_plural(s: NameStats) -> str | None:
    """"Guildford Flames", "Wulfrun Halls", "Ryder Cups": a team's, a venue's or an event's name
    ends in a plural the archive writes in lower case, which is no known surname ("Woods") or
    given name; a person so named would somewhere be followed by "said" or a person's pronoun.
    Never after a known given name ("Barry Bonds", "Peter Sellers", "Meryl Halls")."""
    words = s.name.split()
    last = words[-1].casefold()
    if (len(words) < 2 or not last.endswith("s") or last.endswith(("ss", "us", "is", "'s", "’s"))
            or last in known_surnames() or last in given_names() or not s.lower_words[last]
            or words[0].casefold().rstrip(".") in given_names()):     # "Barry Bonds", "Meryl Halls"
        return None
    if any(s.cues[(k, cue)] for k in _keys(s) for cue in ("said", "he")):
        return None
    return f"'{words[-1]}' is a plural of an ordinary word, as in a team's or a group's name"


# ---------------------------------------------------------------------------------------
# a learned second opinion: logistic regression over the archive's evidence about a name
# ---------------------------------------------------------------------------------------

CUES = ("poss", "the", "said", "plural", "he", "it", "title", "inside", "who", "modifier", "surname later",
        "listed with things", "listed with people",
        "label person", "label org", "label place", "label group")


def classifier_features(s: NameStats, words_around: tuple[str, ...] = ()) -> dict[str, float]:
    """What the archive says about a name, as numbers: shares of the articles that write the name
    with each cue (``name_cues``), how many articles name it, the shape of its words, and the
    evidence the rules use (a given name first, words the archive writes in lower case)."""
    import math

    keys = _keys(s)
    seen = max(sum(s.cues[(k, "seen")] for k in keys), 1)
    words = s.name.split()
    first, last = words[0].casefold(), words[-1].casefold()
    other = max(s.other_labels[k] for k in keys)
    runs = max(max(s.runs[k] for k in keys), 1)
    f = {
        "log articles": math.log1p(s.articles),
        "titled": float(s.titled),
        "given name first": float(first.rstrip(".") in given_names()),
        "initial first": float(len(first.rstrip(".")) == 1),
        "known surname last": float(last in known_surnames()),
        "read as a corporation": float(parsed_as_corporation(s.name)),
        "first word lower case (log articles)": math.log1p(s.lower_words[first]),
        "last word lower case (log articles)": math.log1p(s.lower_words[last]),
        "words": float(len(words)),
        "last word ends in s": float(last.endswith("s")),
        "tagged org or place share": other / (other + s.articles),
        "the before share": max(s.the_runs[k] for k in keys) / runs,
        "company or work context": float(max(s.thing_context[k] for k in keys) > 0),
    }
    for cue in CUES + words_around:     # words_around: "before band", "after said" (name_cues)
        f[f"{cue} share"] = min(sum(s.cues[(k, cue)] for k in keys) / seen, 1.0)
    return f


@functools.lru_cache(maxsize=1)
def person_classifier() -> dict | None:
    """The coefficients in builder/data/person-classifier.json (benchmarks/people_classifier.py
    writes them), or None when the file is absent or switched off."""
    import json

    try:
        text = resources.files("builder").joinpath("data", "person-classifier.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    model = json.loads(text)
    return model if model.get("enabled", True) else None


def person_probability(s: NameStats, model: dict) -> float:
    """The classifier's probability that the name is a person's."""
    import math

    f = classifier_features(s, tuple(model.get("words_around", ())))
    z = model["intercept"]
    for name, mean, scale, coef in zip(model["features"], model["mean"], model["scale"], model["coef"]):
        z += coef * (f[name] - mean) / scale
    return 1.0 / (1.0 + math.exp(-z))


def judged_not_a_person(s: NameStats) -> str | None:
    """The learned second opinion: the archive's evidence about the name, weighed by logistic
    regression trained on hand-labelled names, says it is very unlikely to be a person's."""
    model = person_classifier()
    if model is None:
        return None
    p = person_probability(s, model)
    if p < model["threshold"]:
        return f"the evidence of the archive makes it unlikely to be a person (p = {p:.2f})"
    return None


# tried in order on every unregistered name; the first reason wins. The first ones are strong
# enough to overrule a title before the name (a span the model took for "the studio X, who");
# the others apply only to names no title ever preceded
STRONG_ARCHIVE_RULES = (is_a_place_name, written_with_the, called_a_company_or_work, only_ordinary_words)
ARCHIVE_RULES = (starts_with_ordinary_word, named_as_organisation_or_place,
                 no_given_name_and_an_ordinary_last_word, starts_with_a_place, starts_a_firms_name,
                 named_in_the_plural, starts_with_an_organisation)
# the last opinion, on every name the rules keep (titled or not): the classifier
LEARNED_RULES = (judged_not_a_person,)


def archive_rejections(stats: list[NameStats]) -> dict[str, str]:
    """{name: why it is not a person} for the names the archive-wide rules turn down."""
    out = {}
    for s in stats:
        for rule in STRONG_ARCHIVE_RULES + (() if s.titled else ARCHIVE_RULES) + LEARNED_RULES:
            reason = rule(s)
            if reason:
                out[s.name] = reason
                break
    return out
