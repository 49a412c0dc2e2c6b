"""Plain dataclasses passed between the pipeline stages.

Every value that was inferred rather than given travels with its provenance
(`Field.method` and `Field.evidence`) so that a page and `archive inspect`
can say where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from .dates import ArchiveDate

ERROR = "error"
WARNING = "warning"
INFO = "info"

# title methods that mean the archive supplied the title, not the outlet
SUPPLIED_TITLE_METHODS = ("lede", "file name")


@dataclass(frozen=True)
class Message:
    """A diagnostic an archivist can act on: ``path:line:column: severity: text``."""

    path: str
    line: int
    severity: str
    text: str
    column: int = 1
    code: str = ""

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.text}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "column": self.column,
                "severity": self.severity, "code": self.code, "message": self.text}


@dataclass
class Field:
    """A metadata value and how it was obtained (method + quoted evidence)."""

    value: Any
    method: str = "none"
    evidence: str = ""

    def provenance(self) -> dict[str, str]:
        out = {"method": self.method}
        if self.evidence:
            out["evidence"] = self.evidence
        return out


@dataclass(frozen=True)
class Entity:
    """A named entity the NER model found: its text, label and character offsets in the text it read."""

    text: str
    label: str
    start: int
    end: int


@dataclass
class Line:
    """One logical paragraph of text and the 1-based line it starts on in the file.

    ``kind`` says what the paragraph is in the article (set by the clean stage): "text", a
    "subheading", a photo "caption" (with its ``credit``, taken off the text) or the short
    "caption-title" printed above a caption."""

    text: str
    line: int
    kind: str = "text"
    credit: str = ""


@dataclass
class RawDoc:
    """Output of the read stage: decoded text split into front matter and body."""

    path: Path
    rel: str                      # path as shown in messages (relative to the project when possible)
    id: str
    kind: str                     # "text", "markdown" or "html"
    front: dict[str, Any]
    front_lines: dict[str, int]   # front-matter key -> line number in the file
    body: list[Line]              # paragraphs of the body, with line numbers
    encoding: str = "utf-8"
    front_raw: str = ""           # the front matter's YAML as written (schema messages point into it)
    sha256: str = ""              # of the file's bytes as read from disk, for fixity checks
    html_meta: dict[str, Any] = field(default_factory=dict)  # title/date/author/sitename from a saved web page
    messages: list[Message] = field(default_factory=list)


class Removal(StrEnum):
    """Why the clean stage took a piece of text out of an article (the extract stage reads
    these: a sign-off's year dates an article, an outlet's boilerplate names its source)."""

    FURNITURE = "site furniture"
    BOILERPLATE = "boilerplate"           # a line sources.yml lists for an outlet (Removed.source)
    BANNER = "banner"
    MASTHEAD = "masthead"
    SECTION_LABEL = "section label"
    OTHER_STORIES = "list of other stories"
    DATE_LINE = "date line"
    UPDATE_NOTICE = "update notice"
    SIGN_OFF = "sign-off"
    BYLINE = "byline"
    AUTHOR_BIO = "author bio"
    PHOTO_CREDIT = "photo credit"
    REPORTING_CREDIT = "reporting credit"
    DUPLICATE = "duplicate paragraph"
    HOVER_CARD = "hover card"


@dataclass
class Removed:
    """A piece of text the clean stage took out, and why (kept for evidence and review)."""

    text: str
    line: int
    reason: Removal
    source: str = ""              # the outlet whose sources.yml boilerplate this line is

    def __post_init__(self) -> None:
        # a reason the stages do not know is a bug in the clean stage: fail where it is made
        self.reason = Removal(self.reason)

    @property
    def label(self) -> str:
        """The reason as a page and ``archive inspect`` show it."""
        if self.reason is Removal.BOILERPLATE:
            return f"boilerplate of {self.source} (sources.yml)"
        return self.reason.value


@dataclass
class Dateline(Line):
    """A wire dateline opening the story, "NEW DELHI, March 2, 2023 (Continental Wire) —", with
    its parts as the clean stage found them (each None when the dateline does not give it)."""

    place: str | None = None
    date: str | None = None       # the date as written: "March 2, 2023"
    outlet: str | None = None     # the agency or outlet in brackets


@dataclass
class Credit:
    """A name the article credits, in which role, and where that was found.

    Roles keep authorship apart from the other work credited: "author" (a byline, "Written
    by"), and "reporting", "additional reporting", "editing", "writing", "translation", ..."""

    name: str
    role: str
    method: str = "byline"
    evidence: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role}


@dataclass
class Cleaned:
    """Output of the clean stage: article paragraphs separated from everything else."""

    paragraphs: list[Line]
    comments: list[Line]
    removed: list[Removed]
    headline: Line | None = None          # a headline line the file started with
    date_line: Line | None = None         # a leading metadata line such as " date 2022-03-04"
    dateline: Dateline | None = None      # a wire dateline: "NEW DELHI, March 2, 2023 (Continental Wire) —"
    credits: list[str] = field(default_factory=list)   # photographers, agencies
    authors: list[str] = field(default_factory=list)   # bylines: the names credited as "author"
    credited: list[Credit] = field(default_factory=list)   # every name credited, authors included, with role
    # the outlet the article names as its own: a byline's ("By Marta Keller, The Valley Courier")
    # or a masthead line under the headline; its kind is "byline" or "masthead"
    own_outlet: Line | None = None


@dataclass
class PersonRef:
    """A person of the article under their canonical name, with how they were found."""

    name: str
    method: str
    evidence: str
    mentions: list[str] = field(default_factory=list)


@dataclass
class Record:
    """Everything known about one article: what render writes and inspect prints."""

    id: str
    path: str
    title: Field
    date: Field
    source: Field
    url: Field
    language: Field
    people: list[PersonRef]
    tags: Field
    paragraphs: list[Line]
    comments: list[Line]
    authors: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    # how each author was found, and the other credited work (editing, reporting, ...) kept apart
    author_credits: list[Credit] = field(default_factory=list)
    contributors: list[Credit] = field(default_factory=list)
    # where it came from: a web archive's copy of the original page, the day it was collected,
    # and the sha256 of the original file's bytes (fixity: the file can be checked against it)
    archived_url: Field = field(default_factory=lambda: Field(None))
    retrieved: Field = field(default_factory=lambda: Field(None))
    sha256: str = ""
    # each tag and where it came from, before the archive-wide step keeps the tags that link articles
    tag_evidence: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def when(self) -> ArchiveDate:
        """The date, parsed (once per distinct value): what every output reads instead of the string."""
        return ArchiveDate.parse(self.date.value)

    @property
    def title_supplied(self) -> bool:
        """The archive made the title up (from the lede or the file name): catalogues and citations
        show such a title in [brackets], as cataloguing practice does."""
        return self.title.method in SUPPLIED_TITLE_METHODS

    @property
    def people_names(self) -> list[str]:
        return [p.name for p in self.people]

    def fields(self) -> dict[str, Any]:
        """The record's metadata, as a page's front matter and ``archive inspect`` show it."""
        return {"title": self.title.value, "date": self.date.value, "source": self.source.value,
                "url": self.url.value, "archived_url": self.archived_url.value,
                "retrieved": self.retrieved.value, "sha256": self.sha256, "language": self.language.value,
                "people": self.people_names, "tags": self.tags.value, "authors": self.authors,
                "contributors": [c.as_dict() for c in self.contributors], "photo_credits": self.credits}

    def provenance(self) -> dict[str, Any]:
        """How every value was obtained: method and evidence, and what was removed from the text."""
        return {
            "file": self.path,
            **{name: getattr(self, name).provenance() for name in ("title", "date", "source", "url", "archived_url", "retrieved",
                                                            "language")},
            "people": {p.name: {"method": p.method, "evidence": p.evidence, "written": p.mentions}
                       for p in self.people},
            "tags": self.tags.provenance(),
            "authors": {c.name: {"method": c.method, "evidence": c.evidence} for c in self.author_credits},
            "contributors": [{**c.as_dict(), "method": c.method, "evidence": c.evidence} for c in self.contributors],
            "removed": [{"line": r.line, "reason": r.label, "text": r.text} for r in self.removed],
        }
