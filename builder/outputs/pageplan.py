"""The generated pages, each rendered only when it is read: a page whose inputs are unchanged
since the last build need not be rendered at all.

A generated page's Markdown is a pure function of a few inputs: an article page of its record,
the addresses of the pages it links to, the spellings of its people and its story's articles; a
person page of that person's records, their registry entry, the addresses of the people named
with them and their quotations; a tag's, an outlet's or a year's page of its articles; a page of
quotations of its speakers' quotations. ``pages`` gives every page a key made of exactly those
inputs and of the rendering code (``code_version`` of this module, which imports ``render``),
and returns a mapping that renders a page on first use. The plugin keeps each page's key and the
digest of its Markdown from build to build (``builder/mkdocs/reuse.py``, signed like the reuse
manifest): a page whose key is unchanged is known by its previous digest, which is all page
reuse needs, and is rendered only if MkDocs builds it as a page. At 10,000 articles one added
article re-renders a few dozen pages instead of 25,000.

Index pages (people, tags, sources, timeline, quotes, the report) have no key: their inputs are
the whole archive, and they are cheap to render and few; they are rendered at every build.

Keys are SHA-256 of the inputs pickled with pickle's memo off (equal bytes only for equal
values; shared and equal-but-separate strings are written alike). Nothing pickled is ever
loaded: the keys are compared, never read back. A record pickles five times faster than it
encodes to JSON, and every record is keyed at every build.
"""

from __future__ import annotations

import functools
import hashlib
import io
import pickle
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Mapping

from ..core import collector
from ..core.archive import Archive
from .render import (QUOTES_ONE_PAGE, article_page, by_source, by_tag, by_year, people_index, person_page,
                     quotes_index, quotes_page, quotes_page_of, quotes_part_page, quotes_parts, records_by_person,
                     report_page, source_page, sources_index, spellings_of_people, stories_page, tag_page, tags_index,
                     timeline_index, unknown_source_page, year_page)


def fingerprint(*parts) -> str:
    """SHA-256 of ``parts`` pickled without pickle's memo (so the same values give the same bytes)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True          # no memo: an object met twice is written twice, as an equal copy would be
    pickler.dump(parts)
    return hashlib.sha256(buffer.getbuffer()).hexdigest()


def markdown_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@functools.lru_cache(maxsize=None)
def render_version() -> str:
    """What decides a page's Markdown besides its inputs: this package's rendering code, the YAML
    emitter that writes front matter, and Python (its ``html`` and string methods)."""
    import yaml

    from ..core.cache import code_version

    emitter = "C" if hasattr(yaml, "CSafeDumper") else "py"
    return f"{code_version('outputs.pageplan')} yaml {yaml.__version__} {emitter} python {sys.version}"


class Pages(Mapping):
    """Every generated page by path under docs/; a page's Markdown is rendered when first read,
    once. ``key(path)``: its inputs' key (None for a page rendered at every build)."""

    def __init__(self, plan: dict[str, tuple[str | None, Callable[[], str]]]) -> None:
        self._plan = plan
        self._text: dict[str, str] = {}
        self._digests: dict[str, list[str]] = {}

    def __getitem__(self, path: str) -> str:
        text = self._text.get(path)
        if text is None:
            text = self._text[path] = self._plan[path][1]()
        return text

    def take(self, path: str) -> str:
        """A page's Markdown for MkDocs, which keeps it while it converts the page: not kept here
        too (read again, it is rendered again)."""
        text = self._text.pop(path, None)
        return text if text is not None else self._plan[path][1]()

    def __iter__(self) -> Iterator[str]:
        return iter(self._plan)

    def __len__(self) -> int:
        return len(self._plan)

    def __contains__(self, path) -> bool:
        return path in self._plan

    def key(self, path: str) -> str | None:
        return self._plan[path][0]

    def rendered(self) -> int:
        """How many pages were rendered so far."""
        return len(self._text)

    def digest(self, path: str, known: dict) -> str:
        """The SHA-256 of a page's Markdown: the previous build's (``known``: path -> [key, digest])
        when the page's key is unchanged, else of the page rendered now."""
        key, entry = self.key(path), known.get(path)
        if key is not None and isinstance(entry, list) and len(entry) == 2 and entry[0] == key \
                and isinstance(entry[1], str):
            value = entry[1]
        else:
            value = markdown_digest(self[path])
        if key is not None:
            self._digests[path] = [key, value]
        return value

    def digests(self) -> dict[str, list[str]]:
        """path -> [key, digest of the Markdown] of every keyed page whose digest was asked."""
        return dict(self._digests)


def pages(archive: Archive) -> Pages:
    """Every generated page of the archive (what ``render.pages`` renders), rendered on first use."""
    # a hundred thousand small lists and keys that live as long as the pages: no cyclic garbage
    with collector.paused():
        return _pages(archive)


def _pages(archive: Archive) -> Pages:
    records = archive.records
    keyed = {r.id: fingerprint(r) for r in records}
    quoted = {id(g): fingerprint(g, [keyed[q.article] for q in g.quotes]) for g in archive.quotes}
    plan: dict[str, tuple[object, Callable[[], str]]] = {}
    plan.update(_article_plan(archive, keyed))
    plan.update(_people_plan(archive, keyed, quoted))
    plan["stories/index.md"] = (_stories_inputs(archive, keyed), functools.partial(stories_page, archive))
    plan.update(_quotes_plan(archive, keyed, quoted))
    plan.update(_tags_plan(archive, keyed))
    plan.update(_sources_plan(archive, keyed))
    plan.update(_timeline_plan(archive, keyed))
    plan["report/index.md"] = (None, functools.partial(report_page, list(archive.files),
                                                       list(archive.messages), list(archive.ignored)))
    version = render_version()
    return Pages({path: (None if inputs is None else fingerprint(version, path, inputs), make)
                  for path, (inputs, make) in plan.items()})


def _article_plan(archive: Archive, keyed: dict[str, str]) -> dict:
    """An article page: its record, its links, its people's spellings, its story's articles."""
    links = archive.links
    spellings = spellings_of_people(archive.records, archive.registry)
    plan = {}
    for r in archive.records:
        story = archive.story_of.get(r.id)
        inputs = (keyed[r.id], links.sources.get(r.source.value, "sources/unknown.md"),
                  [links.people[n] for n in r.people_names], [links.tags[t] for t in r.tags.value],
                  [spellings.get(p.name) for p in r.people],
                  (story.id, [keyed[a] for a in story.articles]) if story is not None else None)
        plan[f"articles/{r.id}.md"] = (inputs, functools.partial(article_page, r, links, spellings, archive))
    return plan


def _said(groups, quoted: dict[int, str]) -> list[str]:
    """Quotation groups as a page shows them: each group's key, made of it and its articles."""
    return [quoted[id(g)] for g in groups]


def _people_plan(archive: Archive, keyed: dict[str, str], quoted: dict[int, str]) -> dict:
    """A person page: the person's registry entry, records, company's addresses, quotations."""
    links, registry = archive.links, archive.registry
    by_person = records_by_person(archive.records)
    by_speaker = archive.quotes_by_speaker()
    plan = {}
    for name, members in by_person.items():
        said = by_speaker.get(name, ())
        inputs = (name, registry.person(name), [keyed[r.id] for r in members],
                  {n: links.people[n] for r in members for n in r.people_names},
                  _said(said, quoted), quotes_page_of(name, archive) if said else None)
        plan[links.people[name]] = (inputs, functools.partial(person_page, name, members, links, registry,
                                                              archive))
    plan["people/index.md"] = (None, functools.partial(people_index, by_person, links))
    return plan


def _stories_inputs(archive: Archive, keyed: dict[str, str]) -> tuple:
    """The Stories page: each story's articles, the people they name (linked), their shared quotations."""
    people = archive.links.people
    shared = Counter(a for g in archive.quotes if len(g.articles) > 1 for a in g.articles)
    return tuple((s.id, [(keyed[a], shared.get(a, 0), [people[n] for n in archive.by_id[a].people_names[:4]])
                         for a in s.articles]) for s in archive.stories)


def _quotes_plan(archive: Archive, keyed: dict[str, str], quoted: dict[int, str]) -> dict:
    """The quotations' pages: one page (no key) up to ``QUOTES_ONE_PAGE``, else one per initial."""
    if len(archive.quotes) <= QUOTES_ONE_PAGE:
        return {"quotes/index.md": (None, functools.partial(quotes_page, archive))}
    people, by_speaker = archive.links.people, archive.quotes_by_speaker()
    parts = quotes_parts(archive)
    plan = {}
    for part, members in parts.items():
        inputs = [(s, people.get(s) if s else None, _said(by_speaker[s], quoted)) for s in members]
        plan[f"quotes/{part}.md"] = (inputs, functools.partial(quotes_part_page, part, members, archive))
    plan["quotes/index.md"] = (None, functools.partial(quotes_index, parts, archive))
    return plan


def _tags_plan(archive: Archive, keyed: dict[str, str]) -> dict:
    links = archive.links
    tagged = by_tag(archive.records)
    described = {t.tag: t for t in archive.registry.tags}
    plan = {links.tags[tag]: ((tag, described.get(tag), [keyed[r.id] for r in members]),
                              functools.partial(tag_page, tag, members, links, described.get(tag)))
            for tag, members in sorted(tagged.items(), key=lambda kv: (kv[0].casefold(), kv[0]))}
    plan["tags/index.md"] = (None, functools.partial(tags_index, tagged, links))
    return plan


def _sources_plan(archive: Archive, keyed: dict[str, str]) -> dict:
    links = archive.links
    grouped = by_source(archive.records)
    known = {s.name: s for s in archive.registry.sources}
    plan = {links.sources[name]: ((name, known.get(name), [keyed[r.id] for r in members]),
                                  functools.partial(source_page, name, members, links, known.get(name)))
            for name, members in sorted(((n, m) for n, m in grouped.items() if n),
                                        key=lambda kv: (kv[0].casefold(), kv[0]))}
    unknown = grouped.get(None, [])
    plan["sources/unknown.md"] = ([keyed[r.id] for r in unknown], functools.partial(unknown_source_page,
                                                                                   unknown))
    plan["sources/index.md"] = (None, functools.partial(sources_index, grouped, links))
    return plan


def _timeline_plan(archive: Archive, keyed: dict[str, str]) -> dict:
    years, undated = by_year(archive.records)
    plan = {f"timeline/{year}.md": ([(m, [keyed[r.id] for r in v]) for m, v in months.items()],
                                    functools.partial(year_page, year, months))
            for year, months in sorted(years.items())}
    plan["timeline/index.md"] = (None, functools.partial(timeline_index, archive.records, years, undated))
    return plan
