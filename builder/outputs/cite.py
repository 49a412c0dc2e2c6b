"""Citations of an article in the forms readers' tools read: plain text, BibTeX, CSL-JSON, RIS,
and the page-head metadata (schema.org JSON-LD, Dublin Core, Open Graph, ``citation_*``).

Pure functions over a ``Citation`` made from a ``Record``: the archive plugin builds one per
article page and the templates print the strings. Every string here is plain text; the template
escapes it for HTML, except ``json_ld_script`` which is already safe inside ``<script>``.

The plain-text style is this archive's own, close to Chicago's for online news:
``Authors. “Title.” Outlet, 4 March 2022. Original URL. Retrieved 31 May 2024. Web archive copy:
URL. In Archive name, stable URL.`` -- every part is left out when unknown.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ..core.dates import ArchiveDate
from ..core.escape import http_url, js_json, language_code
from ..core.models import Record

BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]{0,11}$")


@dataclass(frozen=True)
class Citation:
    """What a citation of one archived article says."""

    id: str
    title: str
    date: ArchiveDate                 # the record's date, parsed
    source: str | None                # the outlet
    url: str | None                   # the original page
    archived_url: str | None          # a web archive's copy of the original
    retrieved: str | None             # when the original was saved (ISO 8601)
    language: str | None
    archive_name: str                 # the site's name
    stable_url: str | None            # this archive's page for the article; None without a site_url (never relative)
    site_url: str | None = None
    authors: tuple[str, ...] = ()
    people: tuple[tuple[str, str | None], ...] = ()   # (name, Wikidata id or None)
    tags: tuple[str, ...] = ()
    source_url: str | None = None     # the outlet's home page, from sources.yml
    description: str = ""
    sha256: str = ""
    title_supplied: bool = False      # made by the archive from the lede: cited in [brackets]

    @property
    def cited_title(self) -> str:
        """The title as a reference gives it: a supplied title in [brackets], as catalogues do."""
        return f"[{self.title}]" if self.title_supplied else self.title


def citation_for(record: Record, stable_url: str, archive_name: str, site_url: str | None = None,
                 wikidata: dict[str, str] | None = None, source_urls: dict[str, str] | None = None) -> Citation:
    """The citation of ``record``, published at ``stable_url`` in the archive ``archive_name``."""
    wikidata = wikidata or {}
    first = record.paragraphs[0].text if record.paragraphs else ""
    return Citation(
        id=record.id, title=str(record.title.value or record.id), date=record.when,
        source=record.source.value, url=record.url.value, archived_url=record.archived_url.value,
        retrieved=record.retrieved.value, language=language_code(record.language.value),
        archive_name=archive_name, stable_url=_absolute(stable_url), site_url=site_url,
        authors=tuple(record.authors),
        people=tuple((n, wikidata[n] if WIKIDATA_ID.match(wikidata.get(n) or "") else None)
                     for n in record.people_names),
        tags=tuple(str(t) for t in record.tags.value),
        source_url=http_url((source_urls or {}).get(record.source.value or "")),
        description=_shorten(first, 300), sha256=record.sha256,
        title_supplied=record.title_supplied)


def _absolute(url: str | None) -> str | None:
    """Page metadata needs absolute addresses: without a site_url the archive's own are left out."""
    return url if url and re.match(r"(?i)^https?://", url) else None


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _retrieved_day(value: str | None) -> str | None:
    return value[:10] if value else None


def _retrieved_date(value: str | None) -> ArchiveDate:
    return ArchiveDate.parse(_retrieved_day(value))


# ---------------------------------------------------------------------------------------
# reference formats
# ---------------------------------------------------------------------------------------

def plain_text(c: Citation) -> str:
    parts = []
    if c.authors:
        parts.append(_join_names(list(c.authors)) + ".")
    title = c.cited_title.rstrip()
    parts.append(f"“{title}{'' if title.endswith(('.', '?', '!')) else '.'}”")
    where = ", ".join(x for x in (c.source, c.date.human if c.date else None) if x)
    if where:
        parts.append(where + ".")
    if c.url:
        parts.append(c.url + ".")
    if c.retrieved:
        parts.append(f"Retrieved {_retrieved_date(c.retrieved).human}.")
    if c.archived_url:
        parts.append(f"Web archive copy: {c.archived_url}.")
    parts.append(f"In {c.archive_name}, {c.stable_url}." if c.stable_url else f"In {c.archive_name}.")
    return " ".join(parts)


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")
_BIBTEX_REPLACE = {"\\": r"\textbackslash{}", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}


def bibtex_escape(text: str) -> str:
    """Text for a braced BibTeX value: TeX's special characters escaped, so braces stay balanced."""
    text = " ".join(str(text).split())
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACE.get(m.group(1), "\\" + m.group(1)), text)


def _bibtex_url(url: str) -> str:
    """A URL keeps its characters (the url package reads it verbatim) but never unbalances braces."""
    return url.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C").replace(" ", "%20")


def bibtex_key(c: Citation) -> str:
    return re.sub(r"[^A-Za-z0-9_:.-]", "_", c.id)


def _present(pairs, always: tuple[str, ...] = ()):
    """The (name, value) pairs whose value is given (not empty), and those named in ``always``
    whatever their value: a format's fields in their fixed order."""
    return [(name, value) for name, value in pairs if value or name in always]


def _bibtex_authors(c: Citation) -> str | None:
    """One-word names (an agency) in braces, so BibTeX does not read them as a surname."""
    if not c.authors:
        return None
    return " and ".join("{" + bibtex_escape(a) + "}" if " " not in a.strip() else bibtex_escape(a) for a in c.authors)


def _bibtex_date(c: Citation) -> list[tuple[str, str | None]]:
    parts = c.date.parts
    if not parts:
        return []
    return [("year", str(parts[0])), ("month", BIBTEX_MONTHS[parts[1] - 1] if len(parts) > 1 else None),
            ("date", c.date.iso)]


def _bibtex_note(c: Citation) -> str:
    note = [f"Archived in {bibtex_escape(c.archive_name)}"
            + (f": \\url{{{_bibtex_url(c.stable_url)}}}" if c.stable_url else "")]
    if c.archived_url:
        note.append(f"web archive copy: \\url{{{_bibtex_url(c.archived_url)}}}")
    return "; ".join(note)


def bibtex(c: Citation) -> str:
    """A BibTeX ``@article`` (the entry type reference managers use for newspaper articles),
    with biblatex's ``date``/``urldate`` beside classic ``year``/``month``."""
    fields = _present([
        ("title", "{" + bibtex_escape(c.cited_title) + "}"),
        ("author", _bibtex_authors(c)),
        ("journal", bibtex_escape(c.source) if c.source else None),
        *_bibtex_date(c),
        ("url", _bibtex_url(c.url or c.stable_url) if c.url or c.stable_url else None),
        ("urldate", _retrieved_day(c.retrieved)),
        ("langid", bibtex_escape(c.language) if c.language else None),
        ("keywords", bibtex_escape(", ".join(c.tags)) if c.tags else None),
        ("note", _bibtex_note(c)),
    ], always=("title", "note"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@article{{{bibtex_key(c)},\n{body}\n}}\n"


def _csl_date(date: ArchiveDate) -> dict | None:
    if not date.parts:
        return {"literal": date.edtf} if date else None
    out: dict = {"date-parts": [list(date.parts)]}
    if date.uncertain:
        out["circa"] = True
    return out


def _csl_name(name: str) -> dict:
    words = name.split()
    if len(words) < 2:
        return {"literal": name}
    return {"family": words[-1], "given": " ".join(words[:-1])}


def csl_data(c: Citation) -> dict:
    """CSL-JSON (the format of Zotero, Mendeley and citeproc) for one article, as a dict."""
    note = [f"Archived copy: {c.stable_url}"] if c.url and c.stable_url else []   # else URL is that copy already
    if c.archived_url:
        note.append(f"web archive copy: {c.archived_url}")
    return dict(_present([
        ("id", c.id), ("type", "article-newspaper"), ("title", c.cited_title),
        ("author", [_csl_name(a) for a in c.authors]),
        ("container-title", c.source),
        ("issued", _csl_date(c.date)),
        ("URL", c.url or c.stable_url),
        ("accessed", _csl_date(_retrieved_date(c.retrieved)) if c.retrieved else None),
        ("language", c.language),
        ("archive", c.archive_name),
        ("archive_location", c.stable_url),
        ("note", "; ".join(note) if note else None),
        ("keyword", ", ".join(c.tags)),
    ], always=("id", "type", "title", "archive")))


def csl_json(c: Citation) -> str:
    """Indented for reading, with date parts on one line: [[2022, 3, 4]]."""
    text = json.dumps([csl_data(c)], ensure_ascii=False, indent=2)
    text = re.sub(r'("date-parts": )\[\s*\[([-\d,\s]*)\]\s*\]',
                  lambda m: m.group(1) + "[[" + ", ".join(m.group(2).replace(",", " ").split()) + "]]", text)
    return text + "\n"


def ris(c: Citation) -> str:
    """RIS (``TY  - NEWS``), which EndNote, Zotero and most library catalogues import."""
    parts = c.date.parts
    lines = _present([
        ("TY", "NEWS"), ("TI", c.cited_title), *[("AU", a) for a in c.authors],
        ("T2", c.source),
        ("PY", str(parts[0]) if parts else None),
        ("DA", "/".join([f"{parts[0]:04d}", *[f"{p:02d}" for p in parts[1:]]]) if parts else None),
        ("UR", c.url or c.stable_url),
        ("Y2", _retrieved_day(c.retrieved).replace("-", "/") if c.retrieved else None),
        ("LA", c.language),
        *[("KW", t) for t in c.tags],
        ("DB", c.archive_name),
        ("N1", f"Archived copy: {c.stable_url}" if c.stable_url else None),
        ("N1", f"Web archive copy: {c.archived_url}" if c.archived_url else None),
        ("ER", ""),
    ], always=("TY", "TI", "AU", "KW", "DB", "ER"))
    return "".join(f"{tag}  - {' '.join(str(value).split())}\n" for tag, value in lines)


# ---------------------------------------------------------------------------------------
# page-head metadata
# ---------------------------------------------------------------------------------------

def _publisher(c: Citation) -> dict | None:
    if not c.source:
        return None
    return {"@type": "Organization", "name": c.source, **({"url": c.source_url} if c.source_url else {})}


def _mentions(c: Citation) -> list[dict]:
    """The people named, each with their Wikidata item when people.yml gives one."""
    return [{"@type": "Person", "name": name, **({"sameAs": f"https://www.wikidata.org/wiki/{qid}"} if qid else {})}
            for name, qid in c.people]


def json_ld(c: Citation) -> dict:
    """schema.org ``NewsArticle`` for the archived article."""
    data: dict = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": c.title,
                  "name": c.title, "identifier": c.id}
    part_of = {"@type": "WebSite", "name": c.archive_name, **({"url": c.site_url} if c.site_url else {})}
    data.update(_present([
        ("url", c.stable_url if _absolute(c.stable_url) else None),
        ("datePublished", c.date.iso),
        ("temporalCoverage", c.date.edtf if c.date and not c.date.iso else None),
        ("publisher", _publisher(c)),
        ("author", [{"@type": "Person", "name": a} for a in c.authors]),
        ("mentions", _mentions(c)),
        ("isBasedOn", c.url),
        ("archivedAt", c.archived_url),
        ("inLanguage", c.language),
        ("keywords", list(c.tags)),
        ("description", c.description),
        ("isPartOf", part_of),
    ]))
    return data


def script_json(data) -> str:
    """JSON safe to print inside ``<script>``: ``<``, ``>`` and ``&`` as ``\\u003c`` etc., so no value
    (a title containing ``</script>`` or ``<!--``) can end the element or change how it is parsed."""
    return js_json(data, indent=1)


@dataclass(frozen=True)
class MetaTag:
    attr: str        # "name" or "property"
    key: str
    content: str


def head_tags(c: Citation) -> list[MetaTag]:
    """Dublin Core / DCTERMS, Open Graph and Highwire ``citation_*`` tags (Zotero, Google Scholar)."""
    out: list[MetaTag] = []

    def add(attr: str, key: str, value) -> None:
        if value:
            out.append(MetaTag(attr, key, " ".join(str(value).split())))

    parts = c.date.parts
    slash_date = "/".join([f"{parts[0]:04d}", *[f"{p:02d}" for p in parts[1:]]]) if parts else None
    # Highwire Press tags, read by Zotero's embedded-metadata translator and Google Scholar
    add("name", "citation_title", c.title)
    for a in c.authors:
        add("name", "citation_author", a)
    add("name", "citation_publication_date", slash_date)
    add("name", "citation_date", slash_date)
    add("name", "citation_journal_title", c.source)
    add("name", "citation_publisher", c.source)
    add("name", "citation_public_url", _absolute(c.stable_url))
    add("name", "citation_fulltext_html_url", _absolute(c.stable_url))
    add("name", "citation_language", c.language)
    add("name", "citation_keywords", "; ".join(c.tags))
    # Dublin Core
    add("name", "DC.title", c.title)
    for a in c.authors:
        add("name", "DC.creator", a)
    add("name", "DC.date", c.date.iso or c.date.edtf)
    add("name", "DC.publisher", c.source)
    add("name", "DC.source", c.url)
    add("name", "DC.identifier", _absolute(c.stable_url))
    add("name", "DC.language", c.language)
    # "News Item" (the Eprints type vocabulary) makes Zotero save a newspaper article, not a
    # journal article as citation_journal_title alone would; "Text" is the DCMI type
    add("name", "DC.type", "News Item")
    add("name", "DC.type", "Text")
    add("name", "DC.format", "text/html")
    for t in c.tags:
        add("name", "DC.subject", t)
    for name, _ in c.people:
        add("name", "DC.subject", name)
    add("name", "DCTERMS.issued", c.date.iso or c.date.edtf)
    add("name", "DCTERMS.isPartOf", c.archive_name)
    add("name", "DCTERMS.hasVersion", c.archived_url)
    # Open Graph
    add("property", "og:type", "article")
    add("property", "og:title", c.title)
    add("property", "og:url", _absolute(c.stable_url))
    add("property", "og:site_name", c.archive_name)
    add("property", "og:description", c.description)
    add("property", "article:published_time", c.date.iso)
    add("property", "article:publisher", c.source_url)
    for a in c.authors:
        add("property", "article:author", a)
    for t in c.tags:
        add("property", "article:tag", t)
    return out


@dataclass(frozen=True)
class Cited:
    """Everything the templates print for one article."""

    citation: Citation
    head: list[MetaTag] = field(default_factory=list)
    json_ld: str = ""
    plain: str = ""
    bibtex: str = ""
    csl_json: str = ""
    ris: str = ""


def cite_all(c: Citation) -> Cited:
    return Cited(citation=c, head=head_tags(c), json_ld=script_json(json_ld(c)), plain=plain_text(c),
                 bibtex=bibtex(c), csl_json=csl_json(c), ris=ris(c))
