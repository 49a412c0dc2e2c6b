"""What the archive knows about a name: an article's evidence (``doc_evidence``) and a name's
evidence across the archive (``NameStats``), which ``model`` weighs."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..core.models import Entity, Line
from .context import names_work_or_company
from .cues import name_cues
from .mentions import Mention, lower_case_words
from .spans import entity_key


@dataclass
class DocEvidence:
    """What one article offers to corpus-wide person resolution."""

    id: str
    mentions: list[Mention]
    # words the article uses in lower case, and the names the model tagged as something other
    # than a person (organisation, place): what a whole archive knows about a name's shape.
    # What is only added up across the archive, never looked up in one article, is a sorted
    # tuple: a third of a set's memory, and ten thousand articles' evidence is held at once
    lower_words: tuple[str, ...] = ()
    other_labels: frozenset[str] = frozenset()
    # capitalised runs of words the article writes (name keys), those it writes after "the"
    # ("the Bee Gees", "The North East"), and names it puts in a work's or a company's context
    runs: tuple[str, ...] = ()
    the_runs: tuple[str, ...] = ()
    thing_context: frozenset[str] = frozenset()
    # (name key, cue): how the article writes each of its full names ("said" after it, "he" or
    # "it" after it, a possessive, "the" before it, ...): evidence for the learned second opinion
    cues: tuple[tuple[str, str], ...] = ()
    # every name the article writes in full, as the key of a run of capitalised words or the end
    # of one ("Paul Ryan" in "House Speaker Paul Ryan", never in "Paul Ryan Foundation"), with
    # the line it is first written on: a person the archive knows is listed wherever written
    written: dict[str, int] = field(default_factory=dict)


# a run of capitalised words, with "the" or "The" before it when it has one
_CAPITALISED_WORDS = re.compile(
    r"(?<![\w'’.-])(?:(?P<the>[Tt]he)\s+)?(?P<run>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)")


_OTHER_LABELS = ("ORG", "GPE", "FAC", "LOC")
_THING_LABELS = ("PERSON", "ORG")


def doc_evidence(doc_id: str, mentions: list[Mention], paragraphs: list[Line],
                 ents: list[list[Entity]]) -> DocEvidence:
    """An article's mentions, with the words it writes in lower case and the names the model
    tags as organisations or places: the archive-wide rules weigh these."""
    lower = lower_case_words(paragraphs)
    others = frozenset(entity_key(e.text) for es in ents for e in es if e.label in _OTHER_LABELS)
    runs, the_runs, written = _capitalised_runs(paragraphs)
    return DocEvidence(doc_id, mentions, tuple(sorted(lower)), others, tuple(sorted(runs)), tuple(sorted(the_runs)),
                       _thing_context(paragraphs, ents), tuple(sorted(name_cues(mentions, paragraphs, ents))), written)


def _capitalised_runs(paragraphs: list[Line]) -> tuple[frozenset[str], frozenset[str], dict[str, int]]:
    """The article's runs of capitalised words (name keys), those written after "the", and every
    name end of up to ``WRITTEN_WORDS`` words with the line it is first written on."""
    runs: set[str] = set()
    the_runs: set[str] = set()
    written: dict[str, int] = {}
    for p in paragraphs:
        for m in _CAPITALISED_WORDS.finditer(p.text):
            key = entity_key(m.group("run").rstrip("."))
            runs.add(key)
            if m.group("the"):
                the_runs.add(key)
            _add_name_ends(written, key.split(), p.line)
    return frozenset(runs), frozenset(the_runs), written


def _add_name_ends(written: dict[str, int], words: list[str], line: int) -> None:
    """A run's ends of two words or more ("Paul Ryan" in "House Speaker Paul Ryan"), first line kept."""
    for i in range(max(0, len(words) - WRITTEN_WORDS), len(words) - 1):
        written.setdefault(" ".join(words[i:]), line)


def _thing_context(paragraphs: list[Line], ents: list[list[Entity]]) -> frozenset[str]:
    """The names the article puts in a work's or a company's context."""
    return frozenset(entity_key(e.text) for p, es in zip(paragraphs, ents) for e in es
                     if e.label in _THING_LABELS and names_work_or_company(p.text, e.start, e.end))


WRITTEN_WORDS = 5     # the longest name end kept ("Martin Luther King Jr" is four words)


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
