"""How an article writes each full name it mentions (``name_cues``): "said" after it, "he" or
"it" after it, a possessive, "the" before it, ... Evidence for the learned second opinion."""

from __future__ import annotations

import functools
import re

from ..core.models import Entity, Line
from .context import _PRECEDING_WORD, _left, _right, titled_before
from .mentions import Mention
from .spans import _tokens, entity_key
from .words import FUNCTION_WORDS, given_names

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
_NEXT_WORD_ANY = re.compile(r"^,?\s+([A-Za-z][A-Za-z-]*)")


def _list_neighbours(text: str, start: int, end: int, para_ents: list[Entity]) -> set[str]:
    """What the items listed right beside a span are: "thing" (an entity the model takes for a
    firm, a product, a work or an event, or a title with a small word inside: "Need for Speed")
    or "person" (a name the model tags PERSON that starts with a given name). A name listed with
    games or firms is likely one of them. Places are left out: people are listed with countries."""
    before = _LIST_ITEM_BEFORE.search(text, max(0, start - 80), start)
    after = _LIST_ITEM_AFTER.match(text, end, min(len(text), end + 80))
    kinds = {_item_kind(m, para_ents) for m in (before, after) if m is not None}
    kinds.discard(None)
    return kinds


def _item_kind(m: re.Match, para_ents: list[Entity]) -> str | None:
    """"person" for a PERSON span that starts with a given name, "thing" for a firm's, a product's,
    a work's or an event's span or a title with a small word inside ("Need for Speed")."""
    labels = _labels_over(para_ents, *m.span("item"))
    item = m.group("item")
    if "PERSON" in labels:
        return "person" if item.split()[0].casefold() in given_names() else None
    return "thing" if labels & _THING_LABELS or _SMALL_WORD.search(item) else None


def _labels_over(para_ents: list[Entity], a: int, b: int) -> set[str]:
    """The labels of the model's spans overlapping the characters ``a`` to ``b``."""
    return {e.label for e in para_ents if e.start < b and e.end > a}


@functools.lru_cache(maxsize=1 << 16)
def _mention_pattern(name: str) -> re.Pattern:
    """A full name as written in the text, with an optional possessive (compiled once per name:
    the same people recur across thousands of articles)."""
    return re.compile(r"(?<![\w'’-])" + re.escape(name) + r"(?P<poss>'s|’s|'|’)?(?![\w-])")


@functools.lru_cache(maxsize=1 << 16)
def _surname_alone_pattern(before: str, surname: str) -> re.Pattern:
    return re.compile(r"(?<![\w'’-])(?<!" + re.escape(before) + r" )" + re.escape(surname) + r"(?![\w-])")


def _word_before_cues(text: str, m: re.Match) -> set[str]:
    """"poss", "the", "title" and "before W" (before a possessive only a title: in "to Orson
    Welles' Macbeth" and "in Disney's films" the word belongs to what the name owns, in
    "President Susilo Bambang Yudhoyono's government" to the name)."""
    out = {"seen"}
    if m.group("poss"):
        out.add("poss")
    before = _PRECEDING_WORD.search(_left(text, m.start()))
    if before and before.group(1) in ("the", "The"):
        out.add("the")
    if titled_before(text, m.start()):
        out.add("title")
    if before and (not m.group("poss") or "title" in out):
        out.add("before " + before.group(1).casefold())
    return out


# the cue of a word after the name that is one of a few words (all lower case, so they come
# before the shape of the word), and the cues a possessive before that word cancels ("Disney's
# chief" says nothing of Disney)
_NEXT_WORD_CUES = {**{w: "plural" for w in _PLURAL_VERBS}, **{w: "said" for w in SPEECH_VERBS}, "who": "who"}
_NOT_AFTER_POSSESSIVE = frozenset({"plural", "inside", "modifier"})


def _next_word_cue(word: str, poss: bool) -> str | None:
    """"said", "plural", "inside", "who" or "modifier", from the word after the name."""
    cue = _NEXT_WORD_CUES.get(word) or _next_word_shape_cue(word)
    return None if poss and cue in _NOT_AFTER_POSSESSIVE else cue


def _next_word_shape_cue(word: str) -> str | None:
    """"inside" for a capitalised word ("Walt Disney Co"), "modifier" for a lower-case word that
    is no function word ("Walt Disney chief")."""
    if word[0].isupper():
        return "inside"
    return "modifier" if word.islower() and word not in FUNCTION_WORDS else None


def _word_after_cues(right: str, poss: bool) -> set[str]:
    """"after W", the next word's cue, and "firm name"."""
    nxt = _NEXT_WORD_ANY.match(right)
    out = _next_word_cues(nxt.group(1), poss) if nxt else set()
    if not poss and _FIRM_RUN.match(right):
        out.add("firm name")
    return out


def _next_word_cues(word: str, poss: bool) -> set[str]:
    """"after W" (not after a possessive) and the word's cue."""
    out = set() if poss else {"after " + word.casefold()}
    cue = _next_word_cue(word, poss)
    if cue:
        out.add(cue)
    return out


def _pronoun_cues(right: str) -> set[str]:
    """"he" / "it": a person's or a thing's pronoun after the name, to the end of the next sentence."""
    ends = list(_SENTENCE_END.finditer(right))
    window = right[:ends[1].start() + 1] if len(ends) > 1 else right
    out = set()
    if _PERSON_PRONOUN.search(window):
        out.add("he")
    if _THING_PRONOUN.search(window):
        out.add("it")
    return out


def _match_cues(text: str, m: re.Match, para_ents: list[Entity]) -> set[str]:
    """Every cue of one place the article writes the name."""
    poss = bool(m.group("poss"))
    right = _right(text, m.end())
    out = _word_before_cues(text, m) | _word_after_cues(right, poss) | _pronoun_cues(right)
    if "inside" in out:
        out.discard("the")      # "the Conrad Hilton Foundation": the article's "the" is the foundation's
    beside = _list_neighbours(text, m.start(), m.end() - len(m.group("poss") or ""), para_ents)
    if "thing" in beside:
        out.add("listed with things")
    if "person" in beside:
        out.add("listed with people")
    return out


def _label_cues(keys: dict[str, str], ents: list[list[Entity]]) -> set[tuple[str, str]]:
    """"label ...": what the model tags a span of a name's text."""
    return {(entity_key(e.text), _LABEL_CUES[e.label]) for es in ents for e in es
            if entity_key(e.text) in keys and e.label in _LABEL_CUES}


def _name_cues(name: str, texts: list[str], ents: list[list[Entity]]) -> set[str]:
    """The cues of one full name across the article, "surname later" among them."""
    pattern = _mention_pattern(name)
    out: set[str] = set()
    first_at = None
    for i, text in enumerate(texts):
        for m in pattern.finditer(text):
            if first_at is None:
                first_at = (i, m.end())
            out |= _match_cues(text, m, ents[i])
    if first_at is not None and len(name.split()) >= 2:
        out |= _surname_cues(name, texts, first_at)
    return out


# what the surname alone says of the person an article has named in full ("Romney said")
_SURNAME_CUES = frozenset({"said", "he", "who", "poss"})


def _surname_cues(name: str, texts: list[str], first_at: tuple[int, int]) -> set[str]:
    """"surname later", and the person's cues of the surname written alone after the full name:
    "Mitt Romney ... Romney said" counts as the article saying Mitt Romney said."""
    alone = _surname_alone_pattern(name.split()[-2], name.split()[-1])
    i0, end0 = first_at
    out: set[str] = set()
    for i in range(i0, len(texts)):
        for m in alone.finditer(texts[i], end0 if i == i0 else 0):
            out.add("surname later")
            out |= _surname_match_cues(texts[i], m.end())
            if out >= _ALL_SURNAME_CUES:
                return out
    return out


_ALL_SURNAME_CUES = _SURNAME_CUES | {"surname later"}     # nothing more to learn once all are seen


def _surname_match_cues(text: str, end: int) -> set[str]:
    """The person's cues of one place the surname is written alone, ending at ``end``."""
    right = _right(text, end)
    poss = right[:2] in ("'s", "’s")
    cues = _word_after_cues(right[2:] if poss else right, poss) | _pronoun_cues(right)
    return (cues | ({"poss"} if poss else set())) & _SURNAME_CUES


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
    names = _full_names(mentions)
    if not names:
        return frozenset()
    out = _label_cues({entity_key(n): n for n in names}, ents)
    texts = [p.text for p in paragraphs]
    ents = _padded(ents, len(texts))
    for name in names:
        key = entity_key(name)
        out |= {(key, cue) for cue in _name_cues(name, texts, ents)}
    return frozenset(out)


def _full_names(mentions: list[Mention]) -> list[str]:
    """The article's names of two words or more, each once, sorted."""
    return sorted({m.text for m in mentions if len(_tokens(m.text)) >= 2})


def _padded(ents: list[list[Entity]], n: int) -> list[list[Entity]]:
    """The entities of ``n`` paragraphs, an empty list for each paragraph the model has none for."""
    return list(ents) + [[] for _ in range(n - len(ents))]
