"""The archive as the outputs see it: one value, built once after the archive-wide step.

``builder/outputs/__init__.py`` builds it (``build_archive``) from the pipeline's
``CorpusResult``: the records (each with its date parsed, ``Record.when``), the registries,
the page-address table (``Links``: one address per person, tag and source name, made once
so that every output agrees), and what ties articles together (stories, quotations). Every
output step reads it; none rebuilds any part of it or parses a string another stage wrote.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .escape import http_url
from .models import Message, Record
from .registry import Registry

if TYPE_CHECKING:     # types only: the stages import nothing from here
    from ..stages.quotes import QuoteGroup
    from ..stages.stories import Story


@dataclass(frozen=True)
class Links:
    """Stable page paths (relative to docs/) for every person, tag and source name."""

    people: dict[str, str]
    tags: dict[str, str]
    sources: dict[str, str]


@dataclass
class Archive:
    """Everything the output steps read about one build of the archive."""

    records: list[Record]
    registry: Registry
    links: Links
    stories: list[Story] = field(default_factory=list)
    story_of: dict[str, Story] = field(default_factory=dict)     # article id -> its story
    quotes: list[QuoteGroup] = field(default_factory=list)
    # the build's report: every file's fate, the archive-wide messages, the files never read
    files: list[Any] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    by_id: dict[str, Record] = field(init=False, repr=False)
    wikidata: dict[str, str] = field(init=False, repr=False)      # person -> Wikidata id (people.yml)
    source_urls: dict[str, str] = field(init=False, repr=False)   # outlet -> its home page (sources.yml)
    _by_speaker: dict | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.by_id = {r.id: r for r in self.records}
        people, sources = (self.registry.people, self.registry.sources) if self.registry else ((), ())
        self.wikidata = _wikidata(people)
        self.source_urls = _source_urls(sources)

    def quotes_by_speaker(self) -> dict[str | None, list[QuoteGroup]]:
        """Quotation groups by speaker, in their order (made once: every person page asks)."""
        if self._by_speaker is None:
            self._by_speaker = defaultdict(list)
            for g in self.quotes:
                self._by_speaker[g.speaker].append(g)
        return self._by_speaker


def _wikidata(people) -> dict[str, str]:
    return {p.name: p.wikidata for p in people if p.wikidata}


def _source_urls(sources) -> dict[str, str]:
    """Only a web address is an outlet's home page (sources.yml is edited by hand)."""
    return {s.name: s.url for s in sources if http_url(s.url)}
