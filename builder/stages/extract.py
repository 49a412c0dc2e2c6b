"""Extract stage: title, date, source, url, people and tags, each with its provenance.

Per article, ``extract_document`` gathers evidence (named entities, date mentions,
source signatures). People are then resolved across the whole archive by
``resolve_people`` (``builder/people/resolve.py``) so that one person has one canonical
name everywhere: the registry's name when the registry knows them, else the spelling most
articles use.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources

from ..core import dates as D
from ..core.escape import language_code
from ..core.models import INFO, WARNING, Cleaned, Entity, Field, Line, Message, PersonRef, RawDoc, Removal, Removed
from ..core.registry import Registry, Source
from ..core.sources import host as _host, match_source
from ..core.text import cut_at_word, normalise_space, sentences

TITLE_LIMIT = 100

# ---------------------------------------------------------------------------------------
# title
# ---------------------------------------------------------------------------------------

_SITE_SEPARATORS = re.compile(r"\s+(?:\||\|\||-|–|—|::|:|·|•|»|\*|~|/|//)\s+")
_DOMAIN_END = re.compile(r"\.\w{2,4}$")        # "Headline | example.com"
_BY_AUTHOR = re.compile(r"^by\s", re.I)        # "Headline * Outlet * by Author"
_WORD_RUN = re.compile(r"\w+")


def _is_site_part(part: str, names: set[str]) -> bool:
    """A part of a page title that names the site (or its address, or the author), not the story."""
    return part.casefold() in names or bool(_DOMAIN_END.search(part)) or bool(_BY_AUTHOR.match(part))


def _title_parts(title: str) -> list[str]:
    """The parts of a title between site separators ('Headline | Outlet' -> two parts)."""
    return [p.strip() for p in _SITE_SEPARATORS.split(title) if p.strip()]


def strip_site_name(title: str, site_names: list[str]) -> str:
    """'Headline | Outlet', 'Outlet - Headline', 'Headline * Outlet * by Author', 'Headline : Outlet'
    -> 'Headline'; a section label before the headline ('BUDGET 3.0 | Headline', 'Opinion | ...') goes too."""
    parts = _title_parts(title)
    if len(parts) < 2:
        return title.strip()
    names = {n.casefold() for n in site_names if n}
    keep = [p for p in parts if not _is_site_part(p, names)]
    if not keep:
        return parts[0]
    if len(keep) < len(parts):
        return _headline_of_kept(keep)
    if len(min(parts, key=len).split()) <= 3:
        return max(parts, key=len)          # a short part is a section label or an outlet sources.yml lacks
    # "Climate change: Labor on track ..." is one headline: a colon split only goes with a site name
    return title.strip()


def _headline_of_kept(keep: list[str]) -> str:
    """What is left of a title once the site's parts are gone: two long parts are a headline
    and its subtitle, kept together; else the longest part is the headline."""
    if len(keep) > 1 and all(len(k.split()) > 3 for k in keep):
        return " - ".join(keep)
    return max(keep, key=len)


def _words_of(text: str) -> set[str]:
    return set(_WORD_RUN.findall(text.casefold()))


def _is_headline_of(text: str, pool: set[str], names: set[str], site_parts: set[str]) -> bool:
    """``text`` is the article's headline: three words or more, not the site's name nor the part
    of a title a separator sets apart as the site's, and at least half its words in ``pool``."""
    folded = text.casefold()
    words = _words_of(text)
    if len(words) < 3 or folded in names or folded in site_parts:
        return False
    return len(words & pool) >= 0.5 * len(words)


def _page_titles(meta: dict) -> list[str]:
    """Every title a web page gives itself: <title>, its other title tags, JSON-LD headlines."""
    return [str(meta.get("title") or "")] + [t for key in ("page_title", "og_title", "ld_headline")
                                             for t in meta.get(key) or []]


def _site_parts(titles: list[str], site_names: list[str]) -> set[str]:
    """The parts of the page's titles that a separator sets apart and ``strip_site_name`` takes off."""
    segments = {p.strip().casefold() for t in titles for p in _SITE_SEPARATORS.split(t)}
    return segments - {strip_site_name(t, site_names).casefold() for t in titles if t}


def _page_headline(meta: dict, site_names: list[str]) -> tuple[str, str] | None:
    """The headline the page prints (its <h1>, else JSON-LD headline), when it is the article's:
    most of its words recur in the page's titles. Site names and navigation h1s are passed over."""
    titles = _page_titles(meta)
    pool = set().union(*(_words_of(t) for t in titles))
    names = {n.casefold() for n in site_names if n}
    site_parts = _site_parts(titles, site_names)
    for kind, key in (("page headline (h1)", "h1"), ("page headline (JSON-LD)", "ld_headline")):
        for text in meta.get(key) or []:
            if _is_headline_of(text, pool, names, site_parts):
                return text, kind
    return None


def title_from_front_matter(doc: RawDoc, cleaned: Cleaned, site_names: list[str]) -> Field | None:
    """The archivist's title comes first."""
    given = doc.front.get("title")
    if not (isinstance(given, (str, int, float)) and str(given).strip()):
        return None
    return Field(normalise_space(str(given)), "front matter", f"title (line {doc.front_lines.get('title', 1)})")


def _names_site(text: str, site_names: list[str]) -> bool:
    folded = text.casefold()
    return any(n and n.casefold() in folded for n in site_names)


def title_from_page_headline(doc: RawDoc, cleaned: Cleaned, site_names: list[str]) -> Field | None:
    """A web page's printed headline is the outlet's own wording, without the site name a
    <title> carries; a site name inside it is taken off all the same."""
    if not (doc.kind == "html" or doc.html_meta.get("h1")):
        return None
    page = _page_headline(doc.html_meta, site_names)
    if not page:
        return None
    text, kind = page
    html_title = doc.html_meta.get("title")
    title = strip_site_name(text, site_names) if _names_site(text, site_names) else text
    shared = f"; page title '{normalise_space(html_title)}'" if html_title and html_title != text else ""
    return Field(title, kind, f"'{text}'{shared}")


def title_from_page_title(doc: RawDoc, cleaned: Cleaned, site_names: list[str]) -> Field | None:
    """A web page's <title>, with the site's name taken off."""
    html_title = doc.html_meta.get("title")
    if not html_title:
        return None
    return Field(strip_site_name(normalise_space(html_title), site_names), "web page title",
                 f"'{normalise_space(html_title)}'")


def title_from_headline_line(doc: RawDoc, cleaned: Cleaned, site_names: list[str]) -> Field | None:
    """The headline line the clean stage found at the top of a text file."""
    if not cleaned.headline:
        return None
    return Field(cleaned.headline.text, "headline line", f"line {cleaned.headline.line}")


def title_from_lede(doc: RawDoc, cleaned: Cleaned, site_names: list[str]) -> Field | None:
    """The first sentence, cut at a word within TITLE_LIMIT characters: it says what happened."""
    for para in cleaned.paragraphs:
        sent = sentences(para.text)
        if not sent:
            continue
        first = sent[0].rstrip()
        if first.endswith(".") and not first.endswith(".."):
            first = first[:-1]
        return Field(cut_at_word(first, TITLE_LIMIT), "lede", f"first sentence (line {para.line})")
    return None


def title_from_file_name(doc: RawDoc, cleaned: Cleaned, site_names: list[str]) -> Field:
    """An article with no sentence at all is called by its id."""
    return Field(doc.id, "file name", doc.rel)


# the title rules, the archivist's and the outlet's wording first: the first that answers gives the title
TITLE_RULES = (title_from_front_matter, title_from_page_headline, title_from_page_title, title_from_headline_line,
               title_from_lede, title_from_file_name)


def first_answer(rules, *evidence) -> Field:
    """The answer of the first rule that gives one: each inference is rules tried in order, the
    strongest evidence first, and the last rule of each always answers (with "none")."""
    for rule in rules:
        found = rule(*evidence)
        if found is not None:
            return found
    raise AssertionError(f"the last rule, {rules[-1].__name__}, always answers")


def infer_title(doc: RawDoc, cleaned: Cleaned, site_names: list[str]) -> Field:
    """The article's title (``TITLE_RULES``, in order); ``site_names`` are taken off page titles."""
    return first_answer(TITLE_RULES, doc, cleaned, site_names)


# ---------------------------------------------------------------------------------------
# date
# ---------------------------------------------------------------------------------------

PUBLISHED_CUE = re.compile(r"^\W*(?:published|posted|first published|pubdate|date|dated)\b", re.I)
UPDATE_CUE = re.compile(r"^\W*(?:update|last updated|correction)", re.I)
# what the clean stage takes out that may carry the publication date: notices, sign-offs, bylines
NOTICE_REASONS = (Removal.UPDATE_NOTICE, Removal.SIGN_OFF, Removal.FURNITURE, Removal.BYLINE, Removal.MASTHEAD,
                  Removal.SECTION_LABEL)


@dataclass
class DateClues:
    """What the date rules read. The text's dates and the notices are found once, and only
    when a rule asks for them (most articles are dated by an earlier rule); the rules add
    their warnings to ``messages``."""

    doc: RawDoc
    cleaned: Cleaned
    messages: list[Message] = field(default_factory=list)

    @cached_property
    def body(self) -> list[Line]:
        return ([self.cleaned.headline] if self.cleaned.headline else []) + self.cleaned.paragraphs

    @cached_property
    def body_dates(self) -> list[D.DateMention]:
        return [m for p in self.body for m in D.find_dates(p.text, p.line)]

    @cached_property
    def full_dates(self) -> list[D.DateMention]:
        return [m for m in self.body_dates if m.day]

    @cached_property
    def notices(self) -> list[Removed]:
        return [r for r in self.cleaned.removed if r.reason in NOTICE_REASONS]

    @cached_property
    def notice_dates(self) -> tuple[list[D.DateMention], list[D.DateMention]]:
        """(publication, update) dates of the removed notices and the cue lines kept in the text."""
        cue_lines = [Line(r.text, r.line) for r in self.notices] + [p for p in self.body if PUBLISHED_CUE.match(p.text)]
        published: list[D.DateMention] = []
        updated: list[D.DateMention] = []
        for cue in cue_lines:
            (updated if UPDATE_CUE.match(cue.text) else published).extend(D.find_dates(cue.text, cue.line))
        return published, updated

    def warn(self, line: int, text: str, level: str = WARNING) -> None:
        self.messages.append(Message(self.doc.rel, line, level, text, code="date"))

    def warn_ambiguous(self, m: D.DateMention, consequence: str) -> None:
        self.warn(m.line, f"ambiguous numeric date '{m.text}' (could be {m.ambiguous[0].isoformat()} "
                          f"or {m.ambiguous[1].isoformat()}); {consequence}")


def _quoted(m: D.DateMention) -> str:
    """A date as evidence: its words and line."""
    return f"'{m.text}' (line {m.line})"


def date_from_front_matter(c: DateClues) -> Field | None:
    """The archivist's word comes first; a value that is not EDTF is reported and the text decides."""
    given = c.doc.front.get("date")
    if given is None:
        return None
    value = D.normalise_edtf(given)
    line = c.doc.front_lines.get("date", 1)
    if value is None:
        c.warn(line, f"front-matter date '{given}' is not a valid EDTF date (e.g. 2022-03-04, 2022-03, 2022?); "
                     "inferring from the text instead")
        return None
    return Field(value, "front matter", f"date (line {line})")


def date_from_page_metadata(c: DateClues) -> Field | None:
    """A web page's published-date metadata is what the outlet itself recorded."""
    given = c.doc.html_meta.get("date")
    value = D.normalise_edtf(str(given)[:10]) if given else None
    return Field(value, "web page metadata", f"published date '{given}'") if value else None


def date_from_date_line(c: DateClues) -> Field | None:
    """A line that is only a date, under the headline, is the publication date; an ambiguous
    numeric one ('04/03/2022') gives only its year."""
    line = c.cleaned.date_line
    found = D.find_dates(line.text, line.line) if line else []
    if not found:
        return None
    evidence = f"'{line.text}' (line {line.line})"
    if found[0].ambiguous:
        c.warn_ambiguous(found[0], "only the year is used")
        return Field(found[0].edtf, "date line (ambiguous, year only)", evidence)
    return Field(found[0].edtf, "date line", evidence)


def date_from_dateline(c: DateClues) -> Field | None:
    """A wire dateline ('KYIV, March 4 (Reuters) -') dates the story when it names a day."""
    dateline = c.cleaned.dateline
    if not (dateline and dateline.date):
        return None
    found = [m for m in D.find_dates(dateline.date, dateline.line) if m.day]
    return Field(found[0].edtf, "dateline", f"'{dateline.text}' (line {dateline.line})") if found else None


def date_from_notices(c: DateClues) -> Field | None:
    """Publication notices ('Published 4 March 2022'), then update notices; an update earlier
    than a day the text names is stale furniture, and an ambiguous numeric date is never a day."""
    published, updated = c.notice_dates
    latest_body = max((m.day for m in c.full_dates), default=None)
    for group, label in ((published, "publication notice"), (updated, "update notice")):
        for m in group:
            if _notice_gives_day(c, m, label, latest_body):
                return Field(m.edtf, label, _quoted(m))
    return None


def _notice_gives_day(c: DateClues, m: D.DateMention, label: str, latest_body: dt.date | None) -> bool:
    """A notice's date is the day of publication unless it is ambiguous, or an update that the
    text's own dates show is stale (both reported), or it names no day."""
    if m.ambiguous:
        c.warn_ambiguous(m, "not used as a full date")
        return False
    if m.day and latest_body and m.day < latest_body and label == "update notice":
        c.warn(m.line, f"{label} date '{m.text}' is earlier than '{latest_body.isoformat()}' named in the text; "
                       "ignored")
        return False
    return m.day is not None


def date_confirmed_by_weekday(c: DateClues) -> Field | None:
    """A full date in the text whose weekday is named with it ('Friday, March 4, 2022') is
    rarely a misprint: the latest such date."""
    confirmed = [m for m in c.full_dates if m.weekday_matches]
    if not confirmed:
        return None
    best = max(confirmed, key=lambda m: m.day)
    return Field(best.edtf, "text", _quoted(best))


def date_weekday_after_latest(c: DateClues) -> Field | None:
    """News reports the day before ('on Thursday, March 3 ... said on Friday'): when the text
    names one weekday only, and the latest date is not that weekday, the next such day."""
    if not c.full_dates:
        return None
    best = max(c.full_dates, key=lambda m: m.day)
    weekdays = D.weekdays_mentioned(" ".join(p.text for p in c.body))
    if len(weekdays) != 1:
        return None
    weekday = next(iter(weekdays))
    if weekday == best.day.weekday():
        return None
    name = D.WEEKDAYS[weekday].capitalize()
    return Field(D.next_weekday(best.day, weekday).isoformat(), "text (weekday after latest date)",
                 f"'{name}' after '{best.text}' (line {best.line})")


def date_latest_named(c: DateClues) -> Field | None:
    """Else the latest full date the text names: a report comes after what it reports."""
    if not c.full_dates:
        return None
    best = max(c.full_dates, key=lambda m: m.day)
    return Field(best.edtf, "text (latest date named)", _quoted(best))


def warn_ambiguous_text_dates(c: DateClues) -> None:
    """Answers nothing: with no full date found, the ambiguous numeric dates of the text are
    reported here, since only their year can be used by the rules after it."""
    for m in c.body_dates:
        if m.ambiguous:
            c.warn_ambiguous(m, "only the year is used")
    return None


def date_month_named(c: DateClues) -> Field | None:
    """A month and year ('in March 2022'), the latest one named in the text or the notices."""
    published, updated = c.notice_dates
    months = [m for m in c.body_dates + published + updated if not m.day and not m.ambiguous]
    if not months:
        return None
    best = max(months, key=lambda m: m.edtf)
    return Field(best.edtf, "text (month named)", _quoted(best))


def date_ambiguous_year(c: DateClues) -> Field | None:
    """The year of an ambiguous numeric date, notices first: both readings share it."""
    published, updated = c.notice_dates
    m = next((m for m in published + updated + c.body_dates if m.ambiguous), None)
    return Field(m.edtf, "ambiguous numeric date (year only)", _quoted(m)) if m else None


def date_sign_off_year(c: DateClues) -> Field | None:
    """A copyright year in the sign-off ('© 2021 Alpine Herald') dates the article to that year."""
    for r in c.notices:
        ym = D.YEAR_ONLY.search(r.text)
        if ym and r.reason is Removal.SIGN_OFF:
            return Field(ym.group("year"), "sign-off year", f"'{r.text}' (line {r.line})")
    return None


def undated_before_comments(c: DateClues) -> Field | None:
    """An undated article with dated reader comments: the archivist is told it was published
    on or before the first comment, but a comment's date is never the article's."""
    for comment in c.cleaned.comments:
        for m in D.find_dates(comment.text, comment.line):
            c.warn(comment.line, f"the article is undated; its reader comments start on '{m.text}', so it was "
                                 "published on or before then (a comment's date is never used as the article's)",
                   INFO)
            return Field(None, "none", f"no date in the article; first reader comment dated '{m.text}' "
                                       f"(line {comment.line})")
    return None


def undated(c: DateClues) -> Field:
    """Nothing dates the article: it is undated, and says so."""
    c.warn(1, "no date found in front matter or text; the article is undated", INFO)
    return Field(None, "none", "no date found")


# the date rules, strongest evidence first: the first that answers gives the date
DATE_RULES = (date_from_front_matter, date_from_page_metadata, date_from_date_line, date_from_dateline,
              date_from_notices, date_confirmed_by_weekday, date_weekday_after_latest, date_latest_named,
              warn_ambiguous_text_dates, date_month_named, date_ambiguous_year, date_sign_off_year,
              undated_before_comments, undated)


def infer_date(doc: RawDoc, cleaned: Cleaned) -> tuple[Field, list[Message]]:
    """Publication date as EDTF, from the strongest evidence available (``DATE_RULES``, in order)."""
    clues = DateClues(doc, cleaned)
    return first_answer(DATE_RULES, clues), clues.messages


# ---------------------------------------------------------------------------------------
# source and url
# ---------------------------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s<>\"')]+|\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.I)
# removed text that is the story's own (a photo credit, a repeated paragraph, the date) never names the outlet
NOT_FURNITURE = (Removal.PHOTO_CREDIT, Removal.DUPLICATE, Removal.DATE_LINE)
# where an outlet prints its own name: "© 2023 Alpine Herald"
OWN_NAME_REASONS = (Removal.SIGN_OFF, Removal.MASTHEAD, Removal.FURNITURE, Removal.AUTHOR_BIO)


@dataclass
class SourceClues:
    """What the source rules read; the rules add their warnings to ``messages``."""

    doc: RawDoc
    cleaned: Cleaned
    registry: Registry
    messages: list[Message] = field(default_factory=list)

    @cached_property
    def furniture(self) -> list[Removed]:
        """What the site added: boilerplate, promos, sign-offs, bylines; never the story's sentences."""
        return [r for r in self.cleaned.removed if r.reason not in NOT_FURNITURE]


def _byline_source(byline: Line | None, registry: Registry) -> Source | None:
    """The source of sources.yml a byline's outlet names (by its name, host or a signature)."""
    if byline is None:
        return None
    folded = byline.text.casefold()
    return match_source(byline.text, registry) or next(
        (s for s in registry.sources if any(sig.casefold() == folded for sig in s.signatures)), None)


def _signature_in(r: Removed, folded: str, s: Source) -> str | None:
    """Why the removed text ``r`` (``folded``: its casefold) points at ``s``: one of its
    signatures, else its bare name where an outlet prints its own."""
    for sig in s.signatures:
        if sig.casefold() in folded:
            return f"'{sig}' in {r.reason} '{cut_at_word(r.text, 80)}' (line {r.line})"
    if r.reason in OWN_NAME_REASONS and re.search(rf"(?<!\w){re.escape(s.name.casefold())}(?!\w)", folded):
        return f"name in {r.reason} '{cut_at_word(r.text, 80)}' (line {r.line})"
    return None


def furniture_signatures(c: SourceClues) -> Iterator[tuple[str, str]]:
    """An outlet's boilerplate the clean stage recognised, and signatures in the other furniture."""
    for r in c.furniture:
        if r.reason is Removal.BOILERPLATE:
            yield r.source, f"boilerplate '{r.text}' (line {r.line})"
            continue
        folded = r.text.casefold()
        for s in c.registry.sources:
            why = _signature_in(r, folded, s)
            if why:
                yield s.name, why


def _is_named(s: Source, folded: str) -> bool:
    """``folded`` (casefolded) is the source's name or one of its signatures, whole."""
    return folded == s.name.casefold() or any(sig.casefold() == folded for sig in s.signatures)


def dateline_signatures(c: SourceClues) -> Iterator[tuple[str, str]]:
    """The outlet in a wire dateline's brackets, by its name or a signature."""
    dateline = c.cleaned.dateline
    outlet = (dateline.outlet or "").casefold() if dateline else ""
    if not outlet:
        return
    for s in c.registry.sources:
        if _is_named(s, outlet):
            yield s.name, f"dateline '{dateline.text}' (line {dateline.line})"


def byline_signatures(c: SourceClues) -> Iterator[tuple[str, str]]:
    """The outlet a byline or masthead names as the article's own."""
    byline = c.cleaned.own_outlet
    known = _byline_source(byline, c.registry)
    if known:
        yield known.name, f"{byline.kind} names '{byline.text}' (line {byline.line})"


def _hosts(c: SourceClues) -> Iterator[tuple[str, str]]:
    """(where, host) of every address the file gives: front matter, page metadata, links in furniture."""
    if isinstance(c.doc.front.get("url"), str):
        yield "front-matter url", _host(c.doc.front["url"])
    for key in ("url", "hostname"):
        if c.doc.html_meta.get(key):
            yield f"web page {key}", _host(str(c.doc.html_meta[key]))
    for r in c.furniture:
        for u in _URL.findall(r.text):
            yield f"link in {r.reason} (line {r.line})", _host(u)


def _on_site(host: str, s: Source) -> bool:
    """``host`` is the source's own host or a subdomain of it."""
    if not s.url:
        return False
    own = _host(s.url)
    return host == own or host.endswith("." + own)


def address_signatures(c: SourceClues) -> Iterator[tuple[str, str]]:
    """An address on an outlet's site (its host or a subdomain of it)."""
    for where, host in _hosts(c):
        for s in c.registry.sources:
            if host and _on_site(host, s):
                yield s.name, f"{where} '{host}'"


# where a known outlet's signature can be found, in the order its evidence is listed
SIGNATURE_FINDERS = (furniture_signatures, dateline_signatures, byline_signatures, address_signatures)


def _weight(why: list[str]) -> int:
    """A signature the archivist wrote down counts twice as much as the outlet's bare name."""
    return sum(1 if w.startswith("name in ") else 2 for w in why)


def source_from_front_matter(c: SourceClues) -> Field | None:
    """The archivist's word comes first, spelled as sources.yml spells it when it knows it."""
    given = c.doc.front.get("source")
    if not (isinstance(given, str) and given.strip()):
        return None
    known = match_source(given, c.registry)
    return Field(known.name if known else normalise_space(given), "front matter",
                 f"source (line {c.doc.front_lines.get('source', 1)})")


def source_from_signatures(c: SourceClues) -> Field | None:
    """The outlet of sources.yml with the most signatures in the file; a tie is reported."""
    hits: dict[str, list[str]] = defaultdict(list)
    for finder in SIGNATURE_FINDERS:
        for name, why in finder(c):
            hits[name].append(why)
    if not hits:
        return None
    ranked = sorted(hits.items(), key=lambda kv: (-_weight(kv[1]), kv[0]))
    if len(ranked) > 1 and _weight(ranked[0][1]) == _weight(ranked[1][1]):
        c.messages.append(Message(c.doc.rel, 1, WARNING, f"source is ambiguous between {ranked[0][0]} and "
                                  f"{ranked[1][0]}; chose {ranked[0][0]} (set 'source:' in front matter to decide)",
                                  code="source"))
    name, why = ranked[0]
    return Field(name, "sources.yml signature", "; ".join(why[:3]))


def source_from_site_name(c: SourceClues) -> Field | None:
    """A web page's site name, for an outlet sources.yml does not know."""
    site = c.doc.html_meta.get("sitename")
    if not site:
        return None
    known = match_source(str(site), c.registry)
    return Field(known.name if known else normalise_space(str(site)), "web page site name", f"'{site}'")


def source_from_byline(c: SourceClues) -> Field | None:
    """The outlet a byline or masthead names, as written."""
    byline = c.cleaned.own_outlet
    if not byline:
        return None
    return Field(normalise_space(byline.text), byline.kind, f"outlet named in the {byline.kind} "
                 f"'{cut_at_word(byline.text, 80)}' (line {byline.line})")


def no_source(c: SourceClues) -> Field:
    """Nothing names the outlet."""
    return Field(None, "none", "no signature of a known source in the site furniture")


# the source rules, strongest evidence first: the first that answers gives the source
SOURCE_RULES = (source_from_front_matter, source_from_signatures, source_from_site_name, source_from_byline,
                no_source)


def infer_source(doc: RawDoc, cleaned: Cleaned, registry: Registry) -> tuple[Field, list[Message]]:
    """The outlet that published the article (``SOURCE_RULES``, in order)."""
    clues = SourceClues(doc, cleaned, registry)
    return first_answer(SOURCE_RULES, clues), clues.messages


SAFE_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.I)


def _front_matter_url(doc: RawDoc, key: str) -> tuple[Field, list[Message]] | None:
    """The front matter's ``key`` as a link: only an http(s) address with a host, else a warning."""
    given = doc.front.get(key)
    if not (isinstance(given, str) and given.strip()):
        return None
    line = doc.front_lines.get(key, 1)
    if SAFE_URL.match(given.strip()) and _host(given.strip()):
        return Field(given.strip(), "front matter", f"{key} (line {line})"), []
    return Field(None, "none", ""), [Message(doc.rel, line, WARNING, f"{key} '{given.strip()[:80]}' is not an "
                                             "http(s) address; ignored", code=key)]


def infer_url(doc: RawDoc) -> tuple[Field, list[Message]]:
    """The original page's address; only http(s) URLs, since it becomes a link."""
    given = _front_matter_url(doc, "url")
    if given:
        return given
    meta_url = str(doc.html_meta.get("url") or "")
    if SAFE_URL.match(meta_url) and _host(meta_url):
        return Field(meta_url, "web page metadata", "canonical URL"), []
    return Field(None, "none", ""), []


def infer_archived_url(doc: RawDoc) -> tuple[Field, list[Message]]:
    """A web archive's copy of the original page (a Wayback Machine link, say): front matter only."""
    return _front_matter_url(doc, "archived_url") or (Field(None, "none", ""), [])


RETRIEVED = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


def _is_moment(text: str) -> bool:
    """``text`` is a real day (and time of day) in RETRIEVED's form: '2024-02-30' is not."""
    m = RETRIEVED.match(text)
    if not m:
        return False
    try:
        dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m.group(4) is not None:
            dt.time(int(m.group(4)), int(m.group(5)), int(m.group(6) or 0))
    except ValueError:
        return False
    return True


def infer_retrieved(doc: RawDoc) -> tuple[Field, list[Message]]:
    """The day the file was collected (ISO 8601 date, or date and time): front matter only,
    since nothing in an article's text says when an archivist saved it."""
    given = doc.front.get("retrieved")
    if given is None or (isinstance(given, str) and not given.strip()):
        return Field(None, "none", ""), []
    line = doc.front_lines.get("retrieved", 1)
    text = str(given).strip()
    if not _is_moment(text):
        return Field(None, "none", ""), [Message(doc.rel, line, WARNING, f"retrieved '{text[:40]}' is not a date: "
                                                 "write the day the page was saved as 2024-05-31 (or "
                                                 "2024-05-31T14:20:00Z); ignored", code="retrieved")]
    return Field(text.replace(" ", "T"), "front matter", f"retrieved (line {line})"), []


# ---------------------------------------------------------------------------------------
# tags and language
# ---------------------------------------------------------------------------------------

_ENGLISH = set("the of and to in a is that for on with as was by at it from he said be have has are not this "
               "but an they which or were will his their its had been who would we".split())
_LOWER_WORD = re.compile(r"[a-z]+")
_WORD = re.compile(r"[^\W\d_]+")
_OTHER_LANGUAGE_SHARE = 0.12    # another language's common words this share of the text, and English's less


@functools.cache
def _language_words() -> dict[str, tuple[str, ...]]:
    """{word: the codes of the languages it is a most frequent word of}, from
    builder/data/language-words.txt (one pass over an article's words counts every language)."""
    text = resources.files("builder").joinpath("data", "language-words.txt").read_text(encoding="utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            code, _, words = line.partition(":")
            for word in set(words.split()):
                out[word] = (*out.get(word, ()), code.strip())
    return out


def _other_language(words: list[str], english: float) -> tuple[str, float] | None:
    """The language whose common words the text is mostly made of, when it is not English."""
    table = _language_words()
    counts = Counter(code for w in words for code in table.get(w, ()))
    if not counts:
        return None
    code = max(sorted(counts), key=counts.get)
    share = counts[code] / len(words)
    return (code, share) if share >= _OTHER_LANGUAGE_SHARE and share > english else None


def infer_language(doc: RawDoc, text: str) -> tuple[Field, list[Message]]:
    given = doc.front.get("language")
    # a value that is not a language code is reported by the schema and ignored here
    if language_code(given.strip() if isinstance(given, str) else None):
        return Field(given.strip(), "front matter", f"language (line {doc.front_lines.get('language', 1)})"), []
    words = _LOWER_WORD.findall(text.casefold())
    share = sum(1 for w in words if w in _ENGLISH) / max(len(words), 1)
    other = _other_language(_WORD.findall(text.casefold()), share) if len(words) >= 30 else None
    if other:
        code, its = other
        return Field(code, "text", f"the common words of '{code}' are {its:.0%} of the text, English's "
                     f"{share:.0%}"), [
            Message(doc.rel, 1, WARNING, f"the text looks like '{code}', not English: people are taken only "
                    "from corpus/people.yml and front matter, since the name model reads English "
                    "(set 'language:' in front matter if this is wrong)", code="language")]
    if share < 0.12 and len(words) >= 30:
        return Field(None, "none", f"English function words are {share:.0%} of the text"), [
            Message(doc.rel, 1, WARNING, "the text does not look like English; names and tags may be missed "
                    "(set 'language:' in front matter)", code="language")]
    return Field("en", "text", f"English function words are {share:.0%} of the text"), []


def reads_english(language: Field) -> bool:
    """Whether the person and tag model can read the article: English, or a language not known
    (a results table, a list), where its names are still worth weighing."""
    return language.value is None or str(language.value).casefold().split("-")[0] == "en"


_BAD_TAG = re.compile(r"^(?:the|a|an)\s+", re.I)
_POSSESSIVE_END = re.compile(r"(?:'s|’s)$")
ENTITY_TAG_LABELS = ("GPE", "LOC", "ORG", "FAC")     # places and organisations
ENTITY_TAGS = 8             # at most this many tags from named entities, the most named first
ENTITY_TAG = "named entity"     # how a tag found by NER alone (no tags.yml phrase, no front matter) starts its evidence


def _front_matter_tags(doc: RawDoc) -> dict[str, str]:
    """The archivist's tags, each a word or number."""
    given = doc.front.get("tags")
    if not isinstance(given, list):
        return {}
    where = f"front matter (line {doc.front_lines.get('tags', 1)})"
    return {normalise_space(str(t)): where for t in given if isinstance(t, (str, int, float)) and str(t).strip()}


def _add_phrase_tags(tags: dict[str, str], paragraphs: list[Line], registry: Registry) -> None:
    """Each tag of tags.yml whose phrase the text uses, with its first use."""
    for tag, rx in registry.tag_patterns:
        for para in paragraphs:
            m = rx.search(para.text)
            if m:
                tags.setdefault(tag.tag, f"tags.yml phrase '{m.group(0)}' (line {para.line})")
                break


def _entity_tag(e: Entity, excluded: set[str]) -> str | None:
    """The tag a place or organisation's name makes ('the Kremlin's' -> 'Kremlin'), or None for
    a name that is no subject: too short or long, numbered, lower-case, a person's or ``excluded``."""
    text = _BAD_TAG.sub("", normalise_space(e.text))
    text = _POSSESSIVE_END.sub("", text).strip(" .,")
    if len(text) < 2 or len(text) > 60 or not text[0].isupper() or any(c.isdigit() for c in text):
        return None
    return None if text.casefold() in excluded or len(text.split()) > 5 else text


def entity_tag_candidates(paragraphs: list[Line], ents: list[list[Entity]]) -> dict[str, list[int]]:
    """{tag: [times named, first line]} of the places and organisations the article names, before
    its people's and its outlet's names are left out (``infer_tags``): all that tags need of its
    entities, so a rebuild need not keep ten thousand articles' entities in memory."""
    out: dict[str, list[int]] = {}
    for para, para_ents in zip(paragraphs, ents):
        for e in para_ents:
            text = _entity_tag(e, frozenset()) if e.label in ENTITY_TAG_LABELS else None
            if text:
                out.setdefault(text, [0, para.line])[0] += 1
    return out


def _add_entity_tags(tags: dict[str, str], candidates: dict[str, list[int]], excluded: set[str]) -> None:
    """The places and organisations named twice or more (the most named first, at most
    ENTITY_TAGS), unless excluded or a tag already has that name in any case."""
    named = sorted(((text, n, line) for text, (n, line) in candidates.items() if text.casefold() not in excluded),
                   key=lambda c: (-c[1], c[0]))
    taken = {t.casefold() for t in tags}
    for text, n, line in named[:ENTITY_TAGS]:
        if n >= 2 and text.casefold() not in taken:
            tags[text] = f"{ENTITY_TAG}, {n} mentions (first line {line})"
            taken.add(text.casefold())


def infer_tags(doc: RawDoc, paragraphs: list[Line], ents: list[list[Entity]], registry: Registry,
               people: list[PersonRef], outlet: str | None = None,
               candidates: dict[str, list[int]] | None = None) -> dict[str, str]:
    """The article's tags and where each came from: front matter, tags.yml phrases, and the places
    and organisations it names twice or more (not its own outlet, nor a word of a person's name);
    ``keep_entity_tags_that_link`` then keeps only those of the last kind that other articles name too.
    ``candidates``: ``entity_tag_candidates`` of the paragraphs and entities, when made already."""
    tags = _front_matter_tags(doc)
    _add_phrase_tags(tags, paragraphs, registry)
    excluded = {w.casefold() for p in people for mention in p.mentions for w in mention.split()}
    excluded.add(_BAD_TAG.sub("", outlet or "").casefold())
    _add_entity_tags(tags, candidates if candidates is not None else entity_tag_candidates(paragraphs, ents), excluded)
    return tags


def tags_field(tags: dict[str, str]) -> Field:
    """The tags of an article, in order, each with where it came from."""
    ordered = sorted(tags, key=lambda t: t.casefold())
    return Field(ordered, "tags.yml phrases and named entities", "; ".join(f"{t}: {tags[t]}" for t in ordered))


def _is_entity_tag(why: str) -> bool:
    """A tag that named-entity recognition alone found (its evidence says so)."""
    return why.startswith(ENTITY_TAG)


def keep_entity_tags_that_link(tags_by_article: list[dict[str, str]]) -> list[dict[str, str]]:
    """What inference may create without a registry: a place or organisation becomes a tag only
    when it links articles, named (twice or more) in at least two of them. A name one article
    repeats (its town, its outlet) is no subject; tags.yml and front matter tags always stay."""
    linked = Counter(t.casefold() for tags in tags_by_article for t, why in tags.items() if _is_entity_tag(why))
    return [{t: why for t, why in tags.items() if not _is_entity_tag(why) or linked[t.casefold()] >= 2}
            for tags in tags_by_article]
