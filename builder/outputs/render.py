"""Render stage: records -> Markdown pages (articles and index pages).

Pure functions build a {path under docs/: text} mapping, which the ``archive`` MkDocs
plugin hands to MkDocs in memory (nothing is written under docs/). Article text is data:
every paragraph is HTML-escaped inside a raw ``<p>`` (``<h2>`` for a subheading,
``<figure>`` for a caption), and every name or title in an index page is escaped for
Markdown, so nothing an article contains can become markup, a link, or a template
expression. Beyond the article and index pages: the Stories and Quotes pages, each
article's "Also reported by", and the person, tag, source and timeline pages' facts and
coverage charts (from ``stories``, ``quotes`` and ``charts``).
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..core import yamlutil
from ..core.archive import Archive, Links
from .charts import articles_chart
from ..core.dates import MONTH_NAMES, ArchiveDate
from ..core.models import Record
from ..stages.quotes import QuoteGroup, extract_all, group_quotes, word_diff_html
from ..core.registry import Registry
from ..stages.stories import Story, by_article, date_span, group_stories, quote_pairs
from ..core.escape import html_inline, html_text, md_cell, md_inline, md_link_target
from ..core.names import name_sets, unique_slugs
from ..core.text import slugify
from .listing import (block as html_block, count as html_count, items as html_items, link as html_link,
                      meta as html_meta, raw as html_raw)

# folders of docs/ whose pages are generated (reserved: files people put there are left out)
GENERATED_DIRS = ("articles", "people", "tags", "sources", "timeline", "report", ".generated", "stories", "quotes")
LATEST_COUNT = 10
# Bounds that keep a page's size independent of the archive's: the full lists are one link away
ALSO_REPORTED_SHOWN = 10       # other reports on an article page (the Stories page lists them all)
QUOTE_WORDINGS_SHOWN = 10      # distinct wordings of one quotation shown side by side
QUOTE_CARRIERS_SHOWN = 5       # articles named for one wording (data/quotes.json lists them all)
PERSON_ARTICLES_SHOWN = 10     # a person's newest articles listed open; the rest behind "N older articles"
WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]{0,11}$")
SAFE_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[^\s<>\"'`\\]*)?$")   # a plain autolink


def _unique_slugs(names: list[str], folder: str, reserved: frozenset[str] = frozenset({"index"}),
                  preferred: frozenset[str] = frozenset()) -> dict[str, str]:
    """name -> 'folder/slug.md' (``names.unique_slugs``): a page's address depends on its own name,
    and a name never takes another's page."""
    return {name: f"{folder}/{slug}.md" for name, slug in unique_slugs(names, reserved, preferred)[0].items()}


def make_links(records: list[Record], registry: Registry | None = None) -> Links:
    """Every person, tag and source page's path; the registry's names keep their address when
    another name would share it (the same ``registry`` everywhere, so every output agrees)."""
    people, tags, sources = (_unique_slugs(names, folder, reserved, preferred)
                             for _, folder, names, reserved, preferred in name_sets(records, registry))
    return Links(people=people, tags=tags, sources=sources)


def _rel(from_page: str, to_page: str) -> str:
    """Relative Markdown link between two docs/ paths."""
    depth = from_page.count("/")
    return md_link_target("../" * depth + to_page)


def _date_page(date: ArchiveDate) -> tuple[str, str]:
    year, month = date.year, date.month
    if not year:
        return "timeline/index.md", "undated"
    return f"timeline/{year}.md", (f"{year}-{month}" if month else f"{year}-undated-month")


def front_matter_yaml(data) -> str:
    """YAML for a page's front matter. PyYAML writes U+0085 (NEL) raw inside quotes and reads
    it back as a space, so it becomes a space here, where MkDocs will read the same text."""
    def clean(value):
        if isinstance(value, str):
            return value.replace("\x85", " ")
        if isinstance(value, dict):
            return {clean(k): clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value
    return yamlutil.dump_generated(clean(data))


# ---------------------------------------------------------------------------------------
# article pages
# ---------------------------------------------------------------------------------------

def article_front_matter(record: Record, links: Links) -> dict:
    """The page's front matter: the record's fields, provenance, and page links for the template."""
    date_page, date_anchor = _date_page(record.when)
    return {
        "id": record.id,
        **record.fields(),
        "provenance": record.provenance(),
        # read by theme_overrides/main.html to link the metadata to the index pages
        "archive_record": {
            "date_label": record.when.human,
            "date_page": date_page,
            "date_anchor": date_anchor,
            "source_page": links.sources.get(record.source.value, "sources/unknown.md"),
            "people": [{"name": n, "page": links.people[n]} for n in record.people_names],
            "tags": [{"name": t, "page": links.tags[t]} for t in record.tags.value],
            "comments": _count_comments(comment_threads(record.comments)[0]),
            # a title the archive made from the lede, not the outlet's: shown in [brackets]
            "title_supplied": is_supplied_title(record),
            "title_is_first_paragraph": title_is_first_paragraph(record),
        },
    }


def _search_terms(record: Record, spellings: dict[str, list[str]]) -> list[str]:
    """For full-text search only: every spelling of the article's people used anywhere in the
    archive, so a search for "Zelenskyy" also finds the articles that write "Zelensky"."""
    if not record.people:
        return []
    terms = "; ".join(", ".join([p.name, *[v for v in spellings.get(p.name, []) if v != p.name]])
                      for p in record.people)
    return [f"<p class=\"archive-search-terms\" hidden>People: {html_text(terms)}</p>"]


def _reader_comments(comments: list) -> list[str]:
    """The reader comments, threaded, kept apart from the article (they are not its record)."""
    if not comments:
        return []
    threads, headers = comment_threads(comments)
    count = _count_comments(threads)
    said = f" (the original page said: {html_text('; '.join(headers))})" if headers else ""
    return ["", "## Reader comments { #reader-comments }", "",
            "<div class=\"archive-comments\">",
            f"<p class=\"archive-comments-note\">{_plural(count, 'comment')} posted by readers "
            f"on the original page{said}; kept apart from the article and not part of its record.</p>",
            "<ol class=\"archive-comment-list\">", *(_comment_html(c) for c in threads), "</ol>", "</div>"]


def article_page(record: Record, links: Links, spellings: dict[str, list[str]] | None = None,
                 related: Archive | None = None) -> str:
    front = front_matter_yaml(article_front_matter(record, links))
    body = ["<div class=\"archive-text\">"]
    # a title supplied from a one-sentence lede is that paragraph: shown once, as the title
    body += text_blocks(record.paragraphs[1:] if title_is_first_paragraph(record) else record.paragraphs)
    body.append("</div>")
    body += _search_terms(record, spellings or {})
    if related is not None:
        body += also_reported(record, related, f"articles/{record.id}.md")
    body += _reader_comments(record.comments)
    return f"---\n{front}---\n\n" + "\n".join(body) + "\n"


@dataclass
class Comment:
    """One reader comment as the page showed it, with the replies to it."""

    author: str = ""
    date: str = ""
    reply_to: str = ""
    text: list[str] = field(default_factory=list)
    replies: list["Comment"] = field(default_factory=list)


_COMMENT_SLOTS = {"comment-author": "author", "comment-date": "date", "comment-reply-to": "reply_to"}


def _flat_comments(lines, headers: list[str]) -> list[Comment]:
    """Typed comment lines -> comments in page order; the page's count lines go to ``headers``.
    An author, date or reply-to line starts a new comment when the current one has text or
    already has that slot."""
    flat: list[Comment] = []
    current: Comment | None = None
    for line in lines:
        kind = getattr(line, "kind", "comment")
        if kind == "comment-header":
            headers.append(line.text)
            continue
        slot = _COMMENT_SLOTS.get(kind)
        if current is None or (slot and (current.text or getattr(current, slot))):
            current = Comment()
            flat.append(current)
        if slot:
            setattr(current, slot, line.text)
        else:
            current.text.append(line.text)
    return flat


def _addressee(c: Comment, latest: dict[str, Comment]) -> str:
    """Whom a comment answers: its "Reply to X", or an "@X" opening naming an earlier commenter."""
    if c.reply_to or not c.text:
        return c.reply_to
    m = re.match(r"^@(.{1,40}?)\s", c.text[0])
    return m.group(1) if m and m.group(1) in latest else c.reply_to


def comment_threads(lines) -> tuple[list[Comment], list[str]]:
    """Typed comment lines (see clean.type_comments) -> comments, replies nested under the latest
    comment of the person they answer ("Reply to X", "@X ..."); and the page's own count lines."""
    headers: list[str] = []
    top: list[Comment] = []
    latest: dict[str, Comment] = {}          # author -> their latest comment so far
    up: dict[int, tuple[Comment | None, int]] = {}   # id(comment) -> (its parent, its depth)
    for c in _flat_comments(lines, headers):
        c.reply_to = _addressee(c, latest)
        parent = latest.get(c.reply_to) if c.reply_to else None
        # a chain of replies deeper than MAX_REPLY_DEPTH goes on beside its parent ("in reply to"
        # still says to whom): the page's nesting, and the code that writes it, stay bounded
        while parent is not None and up[id(parent)][1] >= MAX_REPLY_DEPTH:
            parent = up[id(parent)][0]
        up[id(c)] = (parent, up[id(parent)][1] + 1 if parent is not None else 0)
        (parent.replies if parent is not None else top).append(c)
        if c.author:
            latest[c.author] = c
    return top, headers


MAX_REPLY_DEPTH = 8       # replies nested at most this deep under a top-level comment


def _count_comments(threads: list[Comment]) -> int:
    return sum(1 + _count_comments(c.replies) for c in threads)


def _comment_html(c: Comment) -> str:
    meta = [f"<strong class=\"archive-comment-author\">{html_text(c.author or 'Unnamed reader')}</strong>"]
    if c.date:
        meta.append(f"<span class=\"archive-comment-date\">{html_text(c.date)}</span>")
    if c.reply_to:
        meta.append(f"<span class=\"archive-comment-reply\">in reply to {html_text(c.reply_to)}</span>")
    out = [f"<li class=\"archive-comment\"><p class=\"archive-comment-meta\">{' · '.join(meta)}</p>"]
    out += [f"<p>{html_text(t)}</p>" for t in c.text]
    if c.replies:
        out += ["<ol class=\"archive-comment-replies\">", *(_comment_html(r) for r in c.replies), "</ol>"]
    out.append("</li>")
    return "".join(out)


def _figure(p, title) -> str:
    """A photo caption, with the title printed above it (if any) and its credit."""
    head = f"<strong>{html_text(title.text)}</strong> " if title is not None else ""
    credit = ""
    if p.credit:
        label = "" if re.search(r"\bphoto", p.credit, re.I) else "Photo: "
        credit = f" <span class=\"archive-credit\">{html_text(label + p.credit)}</span>"
    return f"<figure class=\"archive-figure\"><figcaption>{head}{html_text(p.text)}{credit}</figcaption></figure>"


def _block(p) -> str:
    if p.kind == "subheading":
        return f"<h2 class=\"archive-subheading\">{html_text(p.text)}</h2>"
    return f"<p>{html_text(p.text)}</p>"


def text_blocks(paragraphs) -> list[str]:
    """The article's paragraphs as HTML, each escaped: text as <p>, subheadings as <h2>, photo
    captions (with the title above them and their credit) as <figure><figcaption>."""
    out: list[str] = []
    title = None
    for p in paragraphs:
        if p.kind == "caption-title":
            title = p
            continue
        if title is not None and p.kind != "caption":
            out.append(f"<p>{html_text(title.text)}</p>")      # a title with no caption after it
        out.append(_figure(p, title) if p.kind == "caption" else _block(p))
        title = None
    if title is not None:
        out.append(f"<p>{html_text(title.text)}</p>")
    return out


# ---------------------------------------------------------------------------------------
# index pages
# ---------------------------------------------------------------------------------------

def _by_date_desc(records: list[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r.when.sort_key if r.when else "0000", r.id),
                  reverse=True)


def is_supplied_title(record: Record) -> bool:
    """A title the archive made up (the lede's first sentence, the file name), not the outlet's."""
    return record.title_supplied


def title_is_first_paragraph(record: Record) -> bool:
    """The supplied title is the whole first paragraph (a one-sentence lede), word for word."""
    if not is_supplied_title(record) or len(record.paragraphs) < 2:
        return False
    first = record.paragraphs[0]
    return first.kind == "text" and first.text.rstrip(" .") == record.title.value.rstrip(" .")


def shown_title(record: Record) -> str:
    """The title as lists show it: a supplied title in [brackets], as catalogues mark them."""
    return f"[{record.title.value}]" if is_supplied_title(record) else record.title.value


SUPPLIED_HINT = "Title supplied by the archive: the article's first words; the outlet's headline is not known"


def _article_link(record: Record, from_page: str) -> str:
    """A link to an article. A title the archive supplied is shown in a lighter style (class
    ``archive-supplied``, with a tooltip saying so) rather than in [brackets], which made lists of
    untitled records look unfinished; citations keep the brackets."""
    target = _rel(from_page, 'articles/' + record.id + '.md')
    if is_supplied_title(record):
        return f"[{md_inline(record.title.value)}]({target}){{ .archive-supplied title=\"{SUPPLIED_HINT}\" }}"
    return f"[{md_inline(record.title.value)}]({target})"


def _article_html(record: Record, from_page: str) -> str:
    """``_article_link`` inside a raw HTML block (``listing``)."""
    return _title_link(record.id, record.title.value, is_supplied_title(record), from_page)


def _title_link(aid: str, title: str, supplied: bool, from_page: str) -> str:
    target = "articles/" + aid + ".md"
    if supplied:
        return html_link(title, from_page, target, css="archive-supplied", title=SUPPLIED_HINT)
    return html_link(title, from_page, target)


def _article_item(record: Record, from_page: str, mark_precision: bool = False) -> str:
    """A list item's HTML (``listing.items``): a headline, then its date and outlet; a record
    without a headline leads with its date and outlet, then its supplied title. An unknown
    outlet is left out, not spelt out."""
    when = record.when
    month_only = mark_precision and when.plain and when.precision == "month"
    # the same item is on the pages of each of its people, tags, outlet and year: made once a folder
    return _item_html(record.id, record.title.value, is_supplied_title(record), when.human, record.source.value,
                      from_page.count("/"), month_only)


@functools.lru_cache(maxsize=1 << 15)
def _item_html(aid: str, title: str, supplied: bool, human: str, source: str | None, depth: int,
               month_only: bool) -> str:
    """``_article_item`` of a record's shown values, from a page ``depth`` folders down."""
    page = "x/" * depth + "page.md"
    # the date never breaks across lines ("4 / March 2022")
    facts = " · ".join([html_inline(human).replace(" ", "\u00a0")] + ([html_inline(source)] if source else []))
    uncertain = (" <span class=\"archive-uncertain\" title=\"the date is known to the month only\">day unknown</span>"
                 if month_only else "")
    link = _title_link(aid, title, supplied, page)
    if supplied:
        return f"<span class=\"archive-item-lead\">{facts}</span>{uncertain} {link}"
    return f"{link} {html_meta(facts)}{uncertain}"


def _article_list(records: list[Record], from_page: str, mark_precision: bool = False) -> list[str]:
    return html_items([_article_item(r, from_page, mark_precision) for r in records])


def _page(title: str, lines: list[str], hide_toc: bool = False, in_search: bool = True) -> str:
    meta: dict = {"title": title}
    if hide_toc:
        meta["hide"] = ["toc"]
    if not in_search:
        # a page that quotes many articles would be a hit for every word of them, burying the articles
        meta["search"] = {"exclude": True}
    return f"---\n{front_matter_yaml(meta)}---\n\n# {md_inline(title)}\n\n" + "\n".join(lines).rstrip() + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def records_by_person(records: list[Record]) -> dict[str, list[Record]]:
    by_person: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        for name in r.people_names:
            by_person[name].append(r)
    return by_person


def _person_facts(name: str, person, records: list[Record]) -> list[str]:
    """The top of a person page: the description and Wikidata item from people.yml, the spellings."""
    lines = _registry_lines(person) if person else []
    spellings = sorted({m for r in records for p in r.people if p.name == name for m in p.mentions if m != name})
    if spellings:
        lines += ["Also written as: " + ", ".join(md_inline(s) for s in spellings) + ".", ""]
    return lines


def _registry_lines(person) -> list[str]:
    """What people.yml says of a person: the description, the Wikidata item."""
    lines = [md_inline(person.description), ""] if person.description else []
    if person.wikidata:
        # people.yml is edited by hand: only a real item id (Q123) becomes a link
        lines += [f"Wikidata: [{person.wikidata}](https://www.wikidata.org/wiki/{person.wikidata})"
                  if WIKIDATA_ID.match(person.wikidata) else f"Wikidata: {md_inline(person.wikidata)}", ""]
    return lines


def person_page(name: str, records: list[Record], links: Links, registry: Registry,
                related: Archive | None = None) -> str:
    """One person's page: who they are, the articles naming them (newest first), then (with the
    archive's stories and quotations) their appearances, company and quotations."""
    page = links.people[name]
    lines = _person_facts(name, registry.person(name), records)
    if related is not None:
        lines += ["Named in " + _summary_line(records), "{ #articles }", ""]
    else:
        lines += [f"Named in {_plural(len(records), 'article')}:", ""]
    lines += _collapsed_list([_article_item(r, page) for r in _by_date_desc(records)],
                             PERSON_ARTICLES_SHOWN, "older article")
    if related is not None:
        lines += [""] + person_sections(name, records, related, page)
    return _page(name, lines)


def people_index(by_person: dict[str, list[Record]], links: Links) -> str:
    """Everyone named, A to Z by surname, under a heading per letter."""
    index = ["Everyone named in the archive's articles, A to Z, with the number of articles naming them.",
             "{ .archive-people-intro }", ""]
    letters: dict[str, list[str]] = defaultdict(list)
    for name in sorted(by_person, key=lambda n: (_sort_name(n), n)):
        letters[_sort_name(name)[:1].upper() or "#"].append(
            f"{html_link(name, 'people/index.md', links.people[name])} "
            f"{html_count(_plural(len(by_person[name]), 'article'))}")
    for letter, rows in letters.items():
        index += ["", f"## {md_inline(letter)}"] + html_items(rows)
    if not by_person:
        index.append("No people have been found in the articles yet.")
    return _page("People", index, hide_toc=True)


def people_pages(records: list[Record], links: Links, registry: Registry,
                 related: Archive | None = None) -> dict[str, str]:
    """Every person's page, and the index of people."""
    by_person = records_by_person(records)
    pages = {links.people[name]: person_page(name, by_person[name], links, registry, related) for name in by_person}
    pages["people/index.md"] = people_index(by_person, links)
    return pages


def _sort_name(name: str) -> str:
    """People sort by surname: 'Jens Stoltenberg' -> 'stoltenberg jens'."""
    words = name.split()
    return (" ".join([words[-1], *words[:-1]]) if len(words) > 1 else name).casefold()


def _group_page(title: str, lead: list[str], members: list[Record], page: str) -> str:
    """A tag's or a source's page: what the registry says of it, then its articles, newest
    first, and the chart of their months."""
    lines = lead + [_summary_line(members), "{ #articles }", ""]
    lines += _article_list(_by_date_desc(members), page)
    return _page(title, lines + _chart(members, page))


def _index_entry(name: str, page: str, count: int, index_page: str) -> str:
    """An index's item (``listing.items``): the page's name and its count."""
    return f"{html_link(name, index_page, page)} {html_count(count)}"


def _tag_lead(tag) -> list[str]:
    return [md_inline(tag.description), ""] if tag and tag.description else []


def _source_lead(source) -> list[str]:
    """The outlet's home page from sources.yml: a link only when it is a plain web address."""
    if not source or not source.url:
        return []
    url = source.url
    return [f"Home page: <{url}>" if SAFE_URL.match(url) else f"Home page: {md_inline(url)}", ""]


def by_tag(records: list[Record]) -> dict[str, list[Record]]:
    """Each tag's articles, in the records' order."""
    out: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        for t in r.tags.value:
            out[t].append(r)
    return out


def tag_page(tag: str, members: list[Record], links: Links, described) -> str:
    """One tag's page (``described``: the tag's entry in tags.yml, or None)."""
    return _group_page(tag, _tag_lead(described), members, links.tags[tag])


def tags_index(by_tag: dict[str, list[Record]], links: Links) -> str:
    index = ["Subjects from the archive's vocabulary (tags.yml), and the places and organisations "
             "the articles name most.", ""]
    tags = sorted(by_tag, key=lambda t: (t.casefold(), t))
    index += html_items([_index_entry(tag, links.tags[tag], len(by_tag[tag]), "tags/index.md") for tag in tags])
    if not by_tag:
        index.append("No tags yet.")
    return _page("Tags", index, hide_toc=True)


def tag_pages(records: list[Record], links: Links, registry: Registry) -> dict[str, str]:
    """A page per tag, and the index of tags."""
    tagged = by_tag(records)
    described = {t.tag: t for t in registry.tags}
    pages = {links.tags[tag]: tag_page(tag, tagged[tag], links, described.get(tag))
             for tag in sorted(tagged, key=lambda t: (t.casefold(), t))}
    pages["tags/index.md"] = tags_index(tagged, links)
    return pages


def by_source(records: list[Record]) -> dict[str | None, list[Record]]:
    """Each outlet's articles (None: not known), in the records' order."""
    out: dict[str | None, list[Record]] = defaultdict(list)
    for r in records:
        out[r.source.value].append(r)
    return out


def source_page(name: str, members: list[Record], links: Links, known) -> str:
    """One outlet's page (``known``: its entry in sources.yml, or None)."""
    return _group_page(name, _source_lead(known), members, links.sources[name])


def unknown_source_page(unknown: list[Record]) -> str:
    return _page("Unknown source", [
        "Articles whose outlet could not be established. Add `source:` to their front matter, or a "
        "signature to `corpus/sources.yml`.", ""] + _article_list(_by_date_desc(unknown), "sources/unknown.md"))


def sources_index(by_source: dict[str | None, list[Record]], links: Links) -> str:
    index = ["The outlets the articles come from. A source is taken only from front matter or from the "
             "outlet's own site furniture, never from an outlet the article merely quotes.", ""]
    names = sorted((n for n in by_source if n), key=lambda n: (n.casefold(), n))
    unknown = by_source.get(None, [])
    index += html_items([_index_entry(name, links.sources[name], len(by_source[name]), "sources/index.md")
                            for name in names] + [_index_entry("Unknown source", "sources/unknown.md", len(unknown),
                                                               "sources/index.md")])
    return _page("Sources", index, hide_toc=True)


def source_pages(records: list[Record], links: Links, registry: Registry) -> dict[str, str]:
    """A page per source, the page of articles whose source is not known, and the index of sources."""
    grouped = by_source(records)
    known = {s.name: s for s in registry.sources}
    names = sorted((n for n in grouped if n), key=lambda n: (n.casefold(), n))
    pages = {links.sources[name]: source_page(name, grouped[name], links, known.get(name)) for name in names}
    pages["sources/unknown.md"] = unknown_source_page(grouped.get(None, []))
    pages["sources/index.md"] = sources_index(grouped, links)
    return pages


def by_year(records: list[Record]) -> tuple[dict[str, dict[str | None, list[Record]]], list[Record]]:
    """year -> month (None: not known) -> articles; and the undated articles."""
    by_year: dict[str, dict[str | None, list[Record]]] = defaultdict(lambda: defaultdict(list))
    undated: list[Record] = []
    for r in records:
        if r.when.year:
            by_year[r.when.year][r.when.month].append(r)
        else:
            undated.append(r)
    return by_year, undated


def _year_entry(year: str, months: dict[str | None, list[Record]]) -> str:
    """The timeline index's line for a year: its count and a link to each month's heading."""
    total = sum(len(v) for v in months.values())
    parts = ", ".join(f"[{MONTH_NAMES[int(m) - 1]}]({year}.md#{year}-{m}) ({len(months[m])})"
                      for m in sorted(m for m in months if m))
    return f"- [{year}]({year}.md) <span class=\"archive-count\">{total}</span>" + (f": {parts}" if parts else "")


def year_page(year: str, months: dict[str | None, list[Record]]) -> str:
    """A year's page: a heading per month (articles in date order), then those whose month is unknown."""
    page = f"timeline/{year}.md"
    year_records = [r for v in months.values() for r in v]
    lines: list[str] = [_summary_line(year_records), ""] + _chart(year_records, page)
    for month in sorted(m for m in months if m):
        lines += ["", f"## {MONTH_NAMES[int(month) - 1]} {year} {{ #{year}-{month} }}", ""]
        lines += _article_list(sorted(months[month], key=lambda r: (r.when.sort_key, r.id)), page, mark_precision=True)
    if None in months:
        lines += ["", f"## {year}, month unknown {{ #{year}-undated-month }}", ""]
        lines += _article_list(sorted(months[None], key=lambda r: r.id), page)
    return _page(year, lines)


def timeline_index(records: list[Record], by_year: dict[str, dict[str | None, list[Record]]],
                   undated: list[Record]) -> str:
    """The timeline's index: the years and their months, then the undated."""
    index = ["Articles by year and month of publication. Dates are EDTF: `2022-12` is known to the month "
             "(listed under its month, marked *day unknown*), `2022` to the year (listed under *month unknown*), "
             "`2022?` is uncertain.", "", _summary_line(records), ""]
    index += _chart(records, "timeline/index.md") + ["## By year { #by-year }", ""]
    index += [_year_entry(year, by_year[year]) for year in sorted(by_year)]
    index += ["", "## Undated { #undated }", ""]
    index += _article_list(sorted(undated, key=lambda r: r.id), "timeline/index.md") or ["None."]
    return _page("Timeline", index)


def timeline_pages(records: list[Record]) -> dict[str, str]:
    """A page per year, and the timeline's index: the years and their months, then the undated."""
    years, undated = by_year(records)
    pages = {f"timeline/{year}.md": year_page(year, years[year]) for year in sorted(years)}
    pages["timeline/index.md"] = timeline_index(records, years, undated)
    return pages


def summary_snippet(records: list[Record], links: Links) -> str:
    """Included in the home page by the archive plugin: size and latest articles."""
    people = len(links.people)
    sources = len(links.sources)
    lines = [f"The archive holds **{len(records)}** article{'s' if len(records) != 1 else ''} "
             f"naming **{people}** {'person' if people == 1 else 'people'}, from **{sources}** known "
             f"source{'s' if sources != 1 else ''}.", ""]
    if records:
        lines += ["## Latest articles", ""]
        lines += _article_list(_by_date_desc(records)[:LATEST_COUNT], "index.md")
        lines += ["", "[All articles by date](timeline/index.md)"]
    return "\n".join(lines) + "\n"


def _file_row(f) -> str:
    """A file's table row (HTML): its path, its page (or **error**) and its warnings and errors."""
    fate = (html_link("page", "report/index.md", f"articles/{f.id}.md") if f.status == "page"
            else "<strong>error</strong>")
    notes = "<br>".join(html_inline(f"{m.severity}: line {m.line}: {m.text}") for m in f.messages
                        if m.severity != "info") or "—"
    return f"<tr><td><code>{html_inline(f.path)}</code></td><td>{fate}</td><td>{notes}</td></tr>"


def _not_read(ignored) -> list[str]:
    if not ignored:
        return []
    return ["", "## Not read", "", "Hidden files and folders and READMEs are not articles and are not read:",
            *html_items([f"<code>{html_inline(path)}</code>" for path in ignored])]


def report_page(files, messages, ignored=()) -> str:
    """The human build report: every file under corpus/articles and what became of it.

    Paths and messages quote file names and front matter, so every cell is escaped for
    Markdown and HTML (a file name is data too) and kept on one table row."""
    pages = sum(1 for f in files if f.status == "page")
    lines = [f"{_plural(len(files), 'file')} in the corpus: **{pages}** published, "
             f"**{len(files) - pages}** with errors. The same report is in `build-report.json`.", ""]
    if messages:
        lines += ["## Registries"] + html_items([f"<code>{html_inline(m.format())}</code>" for m in messages])
    head = "<thead><tr><th>File</th><th>Fate</th><th>Messages</th></tr></thead>"
    lines += ["## Files"] + html_block("table", [head, "<tbody>", *(_file_row(f) for f in files), "</tbody>"])
    lines += _not_read(ignored)
    return _page("Build report", lines)


def _cell(text: str) -> str:
    """Text for one Markdown table cell or list item: escaped, on one line, no column breaks."""
    return md_cell(text)


# ---------------------------------------------------------------------------------------
# stories, quotes, charts: what ties the articles together
# ---------------------------------------------------------------------------------------

def find_related(records: list[Record], registry: Registry, links: Links, cache=None) -> Archive:
    """The archive with its stories and quotations found; ``cache`` (``builder.core.cache.Cache``)
    keeps each article's quotations."""
    descriptions = {p.name: p.description for p in registry.people if p.description}
    quotes = group_quotes(records, extract_all(records, descriptions, cache))
    stories = group_stories(records, quote_pairs(quotes), cache)
    return Archive(records, registry, links, stories, by_article(stories), quotes)


def _nearest_in_date(record: Record, others: list[str], related: Archive) -> set[str]:
    """The ALSO_REPORTED_SHOWN other articles nearest in date to ``record`` (the first ones in the
    story's order when it is not dated to the month)."""
    own = date_span(record.date.value)
    if len(others) <= ALSO_REPORTED_SHOWN or not own:
        return set(others[:ALSO_REPORTED_SHOWN])

    def distance(aid: str) -> int:
        span = date_span(related.by_id[aid].date.value)
        return abs(span[0] - own[0]) if span else 1 << 30
    return set(sorted(others, key=lambda a: (distance(a), a))[:ALSO_REPORTED_SHOWN])


def also_reported(record: Record, related: Archive, from_page: str) -> list[str]:
    """The article page's "Also reported by": the other articles of its story, the
    ALSO_REPORTED_SHOWN nearest in date when the story has more (it links to the whole story)."""
    story = related.story_of.get(record.id)
    if story is None:
        return []
    others = [a for a in story.articles if a != record.id]
    keep = _nearest_in_date(record, others, related)
    story_link = f"{_rel(from_page, 'stories/index.md')}#{story.id}"
    # kept out of the search index: the other articles' titles would make this one a false hit
    lines = ["", "## Also reported by { #also-reported-by data-search-exclude }", "",
             f"The same event in {_plural(len(others), 'other article')} ([the story]({story_link})):", ""]
    lines += [_other_report(related.by_id[a], from_page) for a in others if a in keep]
    if len(others) > len(keep):
        lines.append(f"- [{_plural(len(others) - len(keep), 'more report')} of this story]({story_link})")
    return lines


def _other_report(other: Record, from_page: str) -> str:
    outlet = f"**{md_inline(other.source.value)}**, " if other.source.value else ""
    return f"- {outlet}{html_text(other.when.human)}: {_article_link(other, from_page)}"


def _date_range(records: list[Record]) -> str:
    dated = sorted((r for r in records if r.date.value), key=lambda r: (r.when.sort_key, r.id))
    # a date known only to the year bounds nothing within that year: the range uses finer dates when any
    dated = [r for r in dated if r.when.month] or dated
    if not dated:
        return "undated"
    first, last = dated[0].when.human, dated[-1].when.human
    return first if first == last else f"{first} to {last}"


def _summary_line(records: list[Record]) -> str:
    n = len(records)
    undated = sum(1 for r in records if not r.date.value)
    vague = sum(1 for r in records if r.date.value and not r.when.month)
    line = f"{_plural(n, 'article')}, {html_text(_date_range(records))}"
    # a note only for part of the articles: "12 articles, undated" says it of them all
    notes = [note for count, note in ((vague, f"{vague} dated only to the year"), (undated, f"{undated} undated"))
             if 0 < count < n]
    return line + (f" ({', '.join(notes)})" if notes else "") + "."


def _chart(records: list[Record], page: str) -> list[str]:
    chart = articles_chart([r.date.value for r in records], "archive-chart")     # one chart a page
    # the chart's text alternative stays out of search: it would make every page a hit for month names
    return ["", "## Coverage over time { #coverage data-search-exclude }", "", chart, ""] if chart else []


def story_label(story: Story, related: Archive) -> str:
    """A neutral name for a story: its date, the people most of its articles name, shared tags."""
    members = [related.by_id[a] for a in story.articles]
    named = _most_named(members)
    tags = Counter(t for r in members for t in dict.fromkeys(r.tags.value))
    shared = [t for t, c in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0].casefold())) if c == len(members)][:3]
    return " · ".join([members[0].when.human] + [", ".join(group) for group in (named, shared) if group])


def _most_named(members: list[Record]) -> list[str]:
    """Up to three people named in at least half of a story's articles, the most named first."""
    half = (len(members) + 1) // 2
    people = Counter(n for r in members for n in dict.fromkeys(r.people_names))
    return [n for n, c in sorted(people.items(), key=lambda kv: (-kv[1], kv[0])) if c >= half][:3]


def _reports_from(members: list[Record]) -> str:
    """'4 reports from 2 outlets', '4 reports, 3 of them from outlets not known' (never 'Unknown
    source' counted as an outlet)."""
    n = len(members)
    outlets = len({r.source.value for r in members if r.source.value})
    unknown = sum(1 for r in members if not r.source.value)
    known = _plural(outlets, "outlet")
    if not unknown:
        return f"{n} reports from {known}"
    if not outlets:
        return f"{n} reports, from outlets not known"
    return f"{n} reports from {known} and {unknown} from outlets not known"


def _story_item(r: Record, related: Archive, shared: int) -> str:
    """One report of a story (``listing.items``): outlet, date, link, up to four people named,
    and how many of its quotations other articles carry too."""
    page = "stories/index.md"
    people = ", ".join(html_link(n, page, related.links.people[n]) for n in r.people_names[:4])
    outlet = f"<span class=\"archive-story-outlet\">{html_inline(r.source.value)}</span> " if r.source.value else ""
    names = f"<br>{html_meta('Names ' + people)}" if people else ""
    quoted = f"<br>{html_meta(_plural(shared, 'quotation') + ' also carried elsewhere')}" if shared else ""
    return f"{outlet}{html_meta(html_inline(r.when.human))}<br>{_article_html(r, page)}{names}{quoted}"


def stories_page(related: Archive) -> str:
    """Every story: its label and id, then its reports side by side, earliest first."""
    lines = ["Articles from different outlets that report the same event: dates at most a few days apart, "
             "much of the same wording, the same people. Each story lists its reports side by side, "
             "earliest first.", ""]
    if not related.stories:
        lines.append("No two articles in the archive report the same event yet.")
    quotes_in = Counter(a for g in related.quotes if len(g.articles) > 1 for a in g.articles)
    for story in related.stories:
        members = [related.by_id[a] for a in story.articles]
        lines += ["", f"## {md_inline(story_label(story, related))} {{ #{story.id} .archive-story-heading }}", "",
                  f"{_reports_from(members)}. "
                  f"Story id: <code>{html_text(story.id)}</code>", "{ .archive-story-summary }", ""]
        lines += html_items([_story_item(r, related, quotes_in.get(r.id, 0)) for r in members])
    return _page("Stories", lines, hide_toc=True, in_search=False)


def _collapsed_list(rows: list[str], shown: int, noun: str) -> list[str]:
    """The first ``shown`` list items (HTML, ``listing.items``), the rest behind 'N more <noun>s'."""
    rest = len(rows) - shown
    if rest <= 0:
        return html_items(rows)
    more = [f"<summary>{rest} {noun}{'s' if rest != 1 else ''}</summary>", "<ul>",
            *(f"<li>{row}</li>" for row in rows[shown:]), "</ul>"]
    return html_items(rows[:shown]) + html_block("details", more, "archive-more")


def quote_block(group: QuoteGroup, related: Archive, from_page: str, collapsed: bool = False) -> list[str]:
    """One quotation (a raw HTML block, ``listing``): the first article's wording, then each
    distinct wording with the articles carrying it, and the words it adds (<ins>) or lacks (<del>)
    against the first, in a table.

    Bounded whatever the archive's size: at most QUOTE_WORDINGS_SHOWN wordings (the most widely
    carried) and QUOTE_CARRIERS_SHOWN articles a wording; ``data/quotes.json`` has them all.
    ``collapsed`` (person pages) puts the table in a closed <details> whose summary says how widely
    the quotation was carried: on a phone the tables made a person page several screens long."""
    first = group.quotes[0]
    head = [f"<p class=\"archive-quote-anchor\" id=\"{html_inline(group.id)}\"></p>",
            f"<blockquote><p>“{html_inline(first.text)}”</p></blockquote>"]
    if len(group.articles) == 1:
        r = related.by_id[first.article]
        return html_raw(head + [f"<p>Only in {_article_html(r, from_page)} {html_meta(_outlet_and_date_html(r))}</p>"])
    wordings = _wordings(group)
    # the first article's wording first, then the most widely carried; ties in article order
    order = sorted(wordings, key=lambda w: (w != first.text, -len(wordings[w])))
    shown = order[:QUOTE_WORDINGS_SHOWN]
    carried = f"Carried by {len(group.articles)} articles" + (f" in {len(wordings)} wordings"
                                                               if len(wordings) > 1 else "")
    table = [("" if collapsed else f"{carried}. ") + "Wording against the first: <del>missing</del>, <ins>added</ins>.",
             "<table>", "<thead><tr><th>Article</th><th>Wording</th></tr></thead>", "<tbody>",
             *(_wording_row(text, wordings[text], first.text, related, from_page) for text in shown),
             "</tbody>", "</table>", *_other_wordings(order[len(shown):], wordings, from_page)]
    table[0] = f"<p class=\"archive-quote-carried\">{table[0]}</p>"
    if collapsed:
        table = ["<details class=\"archive-quote-wordings\">",
                 f"<summary>{carried}: each outlet's wording</summary>", *table, "</details>"]
    return html_raw(head + table)


def _outlet_and_date_html(record: Record) -> str:
    """'Fox News, 4 March 2022', or the date alone when the outlet is not known (HTML)."""
    return ", ".join(([html_inline(record.source.value)] if record.source.value else [])
                     + [html_inline(record.when.human)])


def _wordings(group: QuoteGroup) -> dict[str, list[str]]:
    """Each distinct wording of a quotation, with the articles carrying it, in article order."""
    wordings: dict[str, list[str]] = {}
    for q in group.quotes:
        carriers = wordings.setdefault(q.text, [])
        if q.article not in carriers:
            carriers.append(q.article)
    return wordings


def _wording_row(text: str, carriers: list[str], first: str, related: Archive, from_page: str) -> str:
    """A wording's table row (HTML): the first QUOTE_CARRIERS_SHOWN articles carrying it, and the
    wording marked against the first one."""
    cells = []
    for aid in carriers[:QUOTE_CARRIERS_SHOWN]:
        r = related.by_id[aid]
        cells.append(f"{_article_html(r, from_page)}<br>"
                     f"{html_meta(html_inline(', '.join(filter(None, [r.source.value, r.when.human]))))}")
    if len(carriers) > QUOTE_CARRIERS_SHOWN:
        cells.append(html_meta(f"and {len(carriers) - QUOTE_CARRIERS_SHOWN} more"))
    wording = html_inline(text) if text == first else word_diff_html(first, text, escape=html_inline)
    return f"<tr><td>{'<br>'.join(cells)}</td><td>{wording}</td></tr>"


def _other_wordings(rest: list[str], wordings: dict[str, list[str]], from_page: str) -> list[str]:
    """The wordings not shown, counted, with a link to the quotations data that lists them."""
    if not rest:
        return []
    return [f"<p class=\"archive-quote-carried\">{len(rest)} other wording{'s' if len(rest) != 1 else ''} of it, "
            f"in {len({a for w in rest for a in wordings[w]})} articles, are listed in the archive's "
            f"{html_link('quotations data', from_page, 'data.md')}.</p>"]


QUOTES_ONE_PAGE = 400          # quotations: above this many, one page per initial of the speakers' surnames
QUOTES_INTRO = ("Direct quotations in the articles, by speaker, with every article that carries each one. "
                "Outlets render the same words differently: the wording of each is shown against the first "
                "article's, words it lacks struck through and words it adds underlined. Quotations whose "
                "speaker the text does not name are listed last.")


def _quotes_by_speaker(related: Archive) -> tuple[list[str | None], dict[str | None, list[QuoteGroup]]]:
    by_speaker = related.quotes_by_speaker()
    named = sorted((s for s in by_speaker if s), key=lambda n: (_sort_name(n), n))
    return named + ([None] if None in by_speaker else []), by_speaker


def _speaker_section(speaker: str | None, groups: list[QuoteGroup], related: Archive, page: str) -> list[str]:
    if speaker:
        person = related.links.people.get(speaker)
        title = f"[{md_inline(speaker)}]({_rel(page, person)})" if person else md_inline(speaker)
        lines = ["", f"## {title} {{ #{slugify(speaker)} }}", ""]
    else:
        lines = ["", "## Speaker not named { #unattributed }", ""]
    for g in sorted(groups, key=lambda g: -len(g.articles)):      # then in article order
        lines += quote_block(g, related, page)
    return lines


def _quotes_initial(speaker: str | None) -> str:
    """The page a speaker's quotations go on when they are split: a-z by surname, 'other', 'unattributed'."""
    if not speaker:
        return "unattributed"
    first = _sort_name(speaker)[:1]
    return first if "a" <= first <= "z" else "other"


def quotes_page(related: Archive) -> str:
    """All quotations on one page (archives of up to QUOTES_ONE_PAGE quotations)."""
    speakers, by_speaker = _quotes_by_speaker(related)
    lines = [QUOTES_INTRO, ""]
    for speaker in speakers:
        lines += _speaker_section(speaker, by_speaker[speaker], related, "quotes/index.md")
    if not related.quotes:
        lines.append("No quotations found yet.")
    return _page("Quotes", lines, in_search=False)


def quotes_page_of(speaker: str, related: Archive) -> str:
    """Where a speaker's quotations are listed, with the anchor of their section."""
    if len(related.quotes) <= QUOTES_ONE_PAGE:
        return f"quotes/index.md#{slugify(speaker)}"
    return f"quotes/{_quotes_initial(speaker)}.md#{slugify(speaker)}"


def _speaker_entry(speaker: str | None, part: str, count: int) -> str:
    """A speaker's item (``listing.items``) in the index of quotations, linking to their section of
    the part's page."""
    anchor = slugify(speaker) if speaker else "unattributed"
    return (f"{html_link(speaker or 'Speaker not named', 'quotes/index.md', f'quotes/{part}.md#{anchor}')} "
            f"{html_count(_plural(count, 'quotation'))}")


def quotes_parts(related: Archive) -> dict[str, list[str | None]]:
    """The speakers on each page of quotations when they are split (by initial), in page order."""
    speakers, _ = _quotes_by_speaker(related)
    parts: dict[str, list[str | None]] = defaultdict(list)
    for speaker in speakers:
        parts[_quotes_initial(speaker)].append(speaker)
    return parts


def _part_title(part: str) -> str:
    return {"unattributed": "Speaker not named", "other": "Other names"}.get(part, part.upper())


def quotes_part_page(part: str, members: list[str | None], related: Archive) -> str:
    """The quotations of the speakers under one initial."""
    by_speaker = related.quotes_by_speaker()
    page, title = f"quotes/{part}.md", _part_title(part)
    lines = [f"Quotations by speakers under {html_text(title)} ([all speakers](index.md)).", ""]
    for speaker in members:
        lines += _speaker_section(speaker, by_speaker[speaker], related, page)
    return _page(f"Quotes: {title}", lines, in_search=False)


def quotes_index(parts: dict[str, list[str | None]], related: Archive) -> str:
    """The index of speakers, by initial, when the quotations are split."""
    by_speaker = related.quotes_by_speaker()
    index = [QUOTES_INTRO, "", f"{len(related.quotes)} quotations from {sum(len(m) for m in parts.values())} "
             "speakers, one page for each initial of the speakers' surnames.", ""]
    for part, members in parts.items():
        index += ["", f"## {html_text(_part_title(part))}", ""]
        index += html_items([_speaker_entry(speaker, part, len(by_speaker[speaker])) for speaker in members])
    return _page("Quotes", index, hide_toc=True, in_search=False)


def quotes_pages(related: Archive) -> dict[str, str]:
    """The Quotes page; above QUOTES_ONE_PAGE quotations, an index of speakers and one page per
    initial, so no page grows with the archive as a whole (ten thousand articles quote tens of
    thousands of sentences)."""
    if len(related.quotes) <= QUOTES_ONE_PAGE:
        return {"quotes/index.md": quotes_page(related)}
    parts = quotes_parts(related)
    pages = {f"quotes/{part}.md": quotes_part_page(part, members, related) for part, members in parts.items()}
    pages["quotes/index.md"] = quotes_index(parts, related)
    return pages


def _appearances(records: list[Record], page: str) -> list[str]:
    """A person's first and latest dated appearance (or their one dated appearance)."""
    dated = sorted((r for r in records if r.date.value), key=lambda r: (r.when.sort_key, r.id))
    # a date known only to the year says nothing about first or last within that year
    dated = [r for r in dated if r.when.month] or dated
    if len(dated) == 1:
        return [f"- Dated appearance: {html_text(dated[0].when.human)}, {_article_link(dated[0], page)}", ""]
    if dated:
        return [f"- First appearance: {html_text(dated[0].when.human)}, {_article_link(dated[0], page)}",
                f"- Latest appearance: {html_text(dated[-1].when.human)}, {_article_link(dated[-1], page)}", ""]
    return []


def _named_with(name: str, records: list[Record], related: Archive, page: str) -> list[str]:
    """The eight people most often named in the same articles."""
    together = Counter(n for r in records for n in dict.fromkeys(r.people_names) if n != name)
    if not together:
        return []
    top = sorted(together.items(), key=lambda kv: (-kv[1], _sort_name(kv[0]), kv[0]))[:8]
    return ["Often named with: " + ", ".join(f"[{md_inline(n)}]({_rel(page, related.links.people[n])}) "
                                            f"<span class=\"archive-count\">{c}</span>" for n, c in top),
            "{ #named-with }", ""]


def _person_quotes(name: str, related: Archive, page: str) -> list[str]:
    """The quotations attributed to a person, the most widely carried first, each collapsed."""
    said = sorted(related.quotes_by_speaker().get(name, ()), key=lambda g: -len(g.articles))
    if not said:
        return []
    lines = ["## Quotations { #quotations data-search-exclude }", "",
             f"{_plural(len(said), 'quotation')} attributed to {md_inline(name)} "
             f"([all quotations]({_rel(page, quotes_page_of(name, related))})).", ""]
    for g in said:
        lines += quote_block(g, related, page, collapsed=True)
    return lines


def person_sections(name: str, records: list[Record], related: Archive, page: str) -> list[str]:
    """A person page's facts: appearances, the people named with them, coverage, quotations."""
    # other articles' titles and other people's names here would make this page a false search hit
    lines = ["## At a glance { #at-a-glance data-search-exclude }", ""]
    lines += _appearances(records, page) + _named_with(name, records, related, page)
    return lines + _chart(records, page) + _person_quotes(name, related, page)


def spellings_of_people(records: list[Record], registry: Registry) -> dict[str, list[str]]:
    """Every way each person is written in the articles, with the registry's aliases."""
    spellings: dict[str, set[str]] = defaultdict(set)
    for r in records:
        for p in r.people:
            spellings[p.name].update(p.mentions)
    for person in registry.people:
        if person.name in spellings:
            spellings[person.name].update(person.aliases)
    return {name: sorted(v) for name, v in spellings.items()}


def pages(archive: Archive) -> dict[str, str]:
    """Every generated page, keyed by path relative to docs/: the output step before MkDocs."""
    return render_all(archive.records, archive.registry, archive.files, archive.messages, archive.ignored,
                      related=archive, with_summary=False)


def summary(archive: Archive) -> str:
    """The home page's size and latest articles (the plugin puts it at ``<!-- archive:summary -->``)."""
    return summary_snippet(archive.records, archive.links)


def render_all(records: list[Record], registry: Registry, files=(), messages=(), ignored=(),
               related: Archive | None = None, with_summary: bool = True) -> dict[str, str]:
    """Every generated page, keyed by path relative to docs/; for callers without the plugin (tests,
    benchmarks) also the home page's summary, as '.generated/summary.md' (the build asks ``summary``)."""
    archive = related or find_related(records, registry, make_links(records, registry))
    links = archive.links
    spellings = spellings_of_people(records, registry)
    out = {f"articles/{r.id}.md": article_page(r, links, spellings, archive) for r in records}
    out.update(people_pages(records, links, registry, archive))
    out["stories/index.md"] = stories_page(archive)
    out.update(quotes_pages(archive))
    out.update(tag_pages(records, links, registry))
    out.update(source_pages(records, links, registry))
    out.update(timeline_pages(records))
    out["report/index.md"] = report_page(list(files), list(messages), list(ignored))
    if with_summary:
        out[".generated/summary.md"] = summary_snippet(records, links)
    return out
