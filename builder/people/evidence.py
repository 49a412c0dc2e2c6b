"""What the archive knows about a name: an article's evidence (``doc_evidence``), a name's
evidence across the archive (``NameStats``), and that evidence as numbers for the learned second
opinion (``classifier_features``)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..models import Line
from ..ner import Entity
from .context import names_work_or_company
from .cues import name_cues
from .mentions import _LOWER_WORD, Mention
from .spans import entity_key
from .words import given_names, known_surnames, parsed_as_corporation


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


# a run of capitalised words, with "the" or "The" before it when it has one
_CAPITALISED_WORDS = re.compile(
    r"(?<![\w'’.-])(?:(?P<the>[Tt]he)\s+)?(?P<run>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)")


def doc_evidence(doc_id: str, mentions: list[Mention], paragraphs: list[Line],
                 ents: list[list[Entity]]) -> DocEvidence:
    """An article's mentions, with the words it writes in lower case and the names the model
    tags as organisations or places: the archive-wide rules weigh these."""
    lower = frozenset(w for p in paragraphs for w in _LOWER_WORD.findall(p.text))
    others = frozenset(entity_key(e.text) for es in ents for e in es if e.label in ("ORG", "GPE", "FAC", "LOC"))
    runs: set[str] = set()
    the_runs: set[str] = set()
    for p in paragraphs:
        for m in _CAPITALISED_WORDS.finditer(p.text):
            key = entity_key(m.group("run").rstrip("."))
            runs.add(key)
            if m.group("the"):
                the_runs.add(key)
    things = frozenset(entity_key(e.text) for p, es in zip(paragraphs, ents) for e in es
                       if e.label in ("PERSON", "ORG") and names_work_or_company(p.text, e.start, e.end))
    return DocEvidence(doc_id, mentions, lower, others, frozenset(runs), frozenset(the_runs), things,
                       name_cues(mentions, paragraphs, ents))


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


def _keys(s: NameStats) -> set[str]:
    return {entity_key(sp) for sp in s.spellings}


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
