"""The people an article names: ``find_person_mentions`` tries, per paragraph, the model's
PERSON spans, its possessive organisation spans, titled spans of other labels, names in
apposition to a role, the registry's names, surnames after a title and names in results lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.models import Entity, Line
from ..core.registry import Registry
from ..core.text import ascii_fold, normalise_space
from .context import (_APPOSITION, _NOT_NAME_START, _PRECEDING_ROLE, _PRECEDING_WORD, _WHO_AFTER, _left, _names_thing,
                      _right, is_results_line, is_title_case_line, names_work_or_company, titled_before)
from .shape import clean_person_name, person_candidate
from .spans import _POSSESSIVE_END, Candidate, _tokens, without_scores
from .widen import _after_a_place, _extend_left, _extend_right
from .words import FAMILY, HONORIFICS, ROLE_TITLES, given_names


@dataclass
class Mention:
    """A person's name as written in one article."""

    text: str
    line: int
    via: str        # "ner", "registry", "title", "apposition", "titled surname"
    titled: bool = False    # a title or role stood before it ("President", "striker")


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z]+(?![\w'’-])")


def _is_outlet(name: str, registry: Registry) -> bool:
    folded = name.casefold()
    return any(folded == s.name.casefold() or folded in (sig.casefold() for sig in s.signatures)
               for s in registry.sources)


def _title_start(text: str, start: int) -> int:
    """Where a role title just before a span starts ("Senator| Dean Heller"), so that the span is
    read after its title: a given name that is also a title word ("Dean") then stays a name."""
    before = _PRECEDING_ROLE.search(_left(text, start))
    if before is None or "," in before.group(0) or not before.group(1)[0].isupper() \
            or not titled_before(text, start):
        return start        # "the council chairman, Babatunde Oyelaran": an apposition, no title
    return start - len(before.group(0))


def _person_span_name(para: Line, ent: Entity, lower: frozenset[str], results: bool) -> tuple[str | None, int]:
    """The name a PERSON span holds once widened ("Garba Dauda" -> "Sani Garba Dauda"), falling
    back to narrower readings of it; and where the name starts."""
    start = _extend_left(para.text, _after_a_place(para.text, ent.start, ent.end), lower)
    end = _extend_right(para.text, start, ent.end)
    names = (clean_person_name(text) for text in _span_readings(para, ent, start, end, results))
    return next((name for name in names if name is not None), None), start


def _span_readings(para: Line, ent: Entity, start: int, end: int, results: bool):
    """A PERSON span's readings, widest first: widened and read after its title, widened to the
    left only, the model's span, and in a results line the span without its scores."""
    yield para.text[_title_start(para.text, start):end]
    if end != ent.end:
        yield para.text[start:ent.end]
    if start != ent.start:
        yield ent.text
    if results:
        yield without_scores(ent.text)


def _person_mention(para: Line, ent: Entity, registry: Registry, lower: frozenset[str],
                    results: bool) -> Mention | None:
    """A span the model tags PERSON, unless the text around it makes it a thing's name."""
    name, start = _person_span_name(para, ent, lower, results)
    if not name or _a_things_name(para, ent, start, name, registry):
        return None
    cand = person_candidate(para.text[start:ent.end]) or person_candidate(ent.text)
    return Mention(name, para.line, "ner", _titled(para, cand, start))


def _a_things_name(para: Line, ent: Entity, start: int, name: str, registry: Registry) -> bool:
    """The text around the span makes the name a thing's, a work's or a company's, or it is an outlet's."""
    return _cut_inside_a_word(para.text, start, ent.end) or _names_thing(para.text, ent.start, ent.end, len(_tokens(name))) \
        or names_work_or_company(para.text, start, ent.end) or _is_outlet(name, registry)


# a letter or digit glued to the span, or a hyphen and a lone capital or digit ("Mach-E", "F-150";
# not "Monika Niezabitowska-Nowakowska", whose cut the span rules take whole)
_GLUED_AFTER = re.compile(r"[^\W_]|-[A-Z0-9](?![^\W\d_])|-\d")


def _cut_inside_a_word(text: str, start: int, end: int) -> bool:
    """The span starts or ends inside a longer word: "Mustang Mach" of "Mustang Mach-E", "Chris
    Rui" of "Chris RuiWen Kuo". What it names is the longer word's, not a person of that name."""
    ends_in_a_word = end > 0 and text[end - 1].isalnum()      # not "Letsile Tebogo (" before "Botswana"
    return (ends_in_a_word and bool(_GLUED_AFTER.match(text, end))) or (start > 0 and text[start - 1].isalnum())


def _titled(para: Line, cand: Candidate | None, start: int) -> bool:
    """A title inside the span or just before where the name starts."""
    return bool(cand and cand.titled) or titled_before(para.text, start)


def _given_name_first(cand: Candidate | None, registry: Registry) -> bool:
    """Two words or more, the first a known given name, and no outlet's name."""
    return bool(cand) and len(cand.words) >= 2 and cand.words[0].casefold() in given_names() \
        and not _is_outlet(" ".join(cand.words), registry)


def _possessive_mention(para: Line, ent: Entity, registry: Registry) -> Mention | None:
    """"Santiago Abascal's far-right Vox": a possessive name the model tagged as an organisation;
    kept when it starts with a known given name."""
    cand = person_candidate(ent.text)
    if _given_name_first(cand, registry) and not names_work_or_company(para.text, ent.start, ent.end):
        return Mention(" ".join(cand.words), para.line, "possessive", cand.titled)
    return None


def _titled_other(para: Line, ent: Entity, words: list[str]) -> bool:
    """A role title inside the span ("Parliament Lesia Vasylenko"), just before it ("President
    Sauli Niinistö", "Father Mykola Danyliuk") or "who" after it."""
    return _role_inside(words) or _role_before(para, ent, words) or _who_after(para, ent, words)


def _role_inside(words: list[str]) -> bool:
    return len(words) >= 3 and words[0].casefold().rstrip(".") in ROLE_TITLES


def _role_before(para: Line, ent: Entity, words: list[str]) -> bool:
    if not 2 <= len(words) <= 3:
        return False
    before = _PRECEDING_ROLE.search(_left(para.text, ent.start))
    return before is not None and before.group(1).casefold().rstrip(".") in ROLE_TITLES


def _who_after(para: Line, ent: Entity, words: list[str]) -> bool:
    return 2 <= len(words) <= 3 and _WHO_AFTER.match(_right(para.text, ent.end)) is not None


def _titled_mention(para: Line, ent: Entity, registry: Registry) -> Mention | None:
    """A person the model tagged ORG/GPE, recognisable by the role title before the name."""
    words = _tokens(ent.text)
    if not _titled_other(para, ent, words) or _an_outlet_or_a_thing(para, ent, words, registry):
        return None
    name = clean_person_name(ent.text)
    return Mention(name, para.line, "title", True) if _a_full_name(name) else None


def _an_outlet_or_a_thing(para: Line, ent: Entity, words: list[str], registry: Registry) -> bool:
    return _is_outlet(ent.text, registry) or _names_thing(para.text, ent.start, ent.end, len(words)) \
        or names_work_or_company(para.text, ent.start, ent.end)


def _a_full_name(name: str | None) -> bool:
    """A name of two words or more."""
    return bool(name) and len(_tokens(name)) >= 2


def _entity_mention(para: Line, ent: Entity, registry: Registry, lower: frozenset[str],
                    results: bool) -> Mention | None:
    if ent.label == "PERSON":
        return _person_mention(para, ent, registry, lower, results)
    if _POSSESSIVE_END.search(ent.text):
        return _possessive_mention(para, ent, registry)
    return _titled_mention(para, ent, registry)


def _apposition_mentions(para: Line, registry: Registry) -> list[Mention]:
    """"her grandmother, Nneka Obi, singing", "the striker, Ama Mensah, said"."""
    out = []
    for m in _APPOSITION.finditer(para.text):
        name = _apposition_name(m, registry)
        if name:
            out.append(Mention(name, para.line, "apposition", True))
    return out


_ROLES_AND_FAMILY = ROLE_TITLES | FAMILY


def _apposition_name(m: re.Match, registry: Registry) -> str | None:
    """The full name in commas after a role or a family word, unless an outlet's."""
    if m.group("role").casefold() not in _ROLES_AND_FAMILY:
        return None
    name = clean_person_name(m.group("name"))
    return name if _a_full_name(name) and not _is_outlet(name, registry) else None


def _surname_of_another_name(para: Line, start: int) -> bool:
    """A registered surname inside another name ("Hunter Biden") is not that person."""
    before = _PRECEDING_WORD.search(_left(para.text, start))
    return bool(before and before.group(1)[0].isupper() and not before.group(1).endswith(".")
                and before.group(1).casefold() not in HONORIFICS)


def _registry_mentions(para: Line, registry: Registry) -> list[Mention]:
    """The registry's names, matched without accents ("Lukasz Wrobel" is Łukasz Wróbel) and shown
    as written."""
    if registry.person_pattern is None:
        return []
    out = []
    folded = ascii_fold(para.text)
    same_length = len(folded) == len(para.text)
    for m in registry.person_pattern.finditer(folded):
        spelling = normalise_space(para.text[m.start():m.end()] if same_length else m.group(0))
        if " " in spelling or not _surname_of_another_name(para, m.start()):
            out.append(Mention(spelling, para.line, "registry"))
    return out


def _paragraph_mentions(para: Line, para_ents: list[Entity], registry: Registry,
                        lower: frozenset[str]) -> list[Mention]:
    headline_like = is_title_case_line(para.text)
    results = is_results_line(para.text)
    mentions: list[Mention] = []
    if not headline_like:
        mentions += _entity_mentions(para, para_ents, registry, lower, results)
        mentions += _apposition_mentions(para, registry)
    mentions += _registry_mentions(para, registry)
    if not headline_like:
        mentions += titled_surnames(para)
    if results:
        mentions += results_line_names(para, registry)
    return mentions


def _entity_mentions(para: Line, para_ents: list[Entity], registry: Registry, lower: frozenset[str],
                     results: bool) -> list[Mention]:
    found = (_entity_mention(para, ent, registry, lower, results) for ent in para_ents)
    return [m for m in found if m is not None]


def lower_case_words(paragraphs: list[Line]) -> frozenset[str]:
    """The words an article writes in lower case."""
    return frozenset(w for p in paragraphs for w in _LOWER_WORD.findall(p.text))


def _other_labels_text(ents: list[list[Entity]]) -> frozenset[str]:
    """The texts, folded, of the spans the model tags something other than a person."""
    return frozenset(e.text.casefold() for es in ents for e in es if e.label != "PERSON")


def find_person_mentions(paragraphs: list[Line], ents: list[list[Entity]], registry: Registry) -> list[Mention]:
    """Names of people in the article's paragraphs (entities per paragraph given)."""
    # words the article writes in lower case or names as things: no given name opening a sentence
    lower = lower_case_words(paragraphs) | _other_labels_text(ents)
    mentions: list[Mention] = []
    for para, para_ents in zip(paragraphs, ents):
        mentions += _paragraph_mentions(para, para_ents, registry, lower)
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
        if _given_name_first(cand, registry):
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
