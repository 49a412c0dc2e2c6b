"""Clean stage: separate the article's own paragraphs from everything a web page adds.

Removes site furniture (app promos, "listen to this article", live banners, share and
newsletter prompts, per-source boilerplate from ``sources.yml``), keeps repeated
paragraphs such as duplicated photo captions once, takes photo credits and bylines
apart (they name people who are not *in* the story), and splits off a reader-comments
section. Everything removed is kept in ``Cleaned.removed`` with the reason, so a
reviewer can see that no sentence of the article was lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from importlib import resources

from ..core.models import Cleaned, Credit, Dateline, Line, RawDoc, Removal, Removed
from ..core.registry import Registry
from ..core.text import normalise_space

# --- leading metadata lines ----------------------------------------------------------
# the metadata-line form " date 2022-03-04 ..." (ISO dates only; "Posted 05/06/22 by ..." is a notice)
LEADING_DATE = re.compile(r"^(?:date|dated|pubdate)\s*:?\s*(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|\d{4}/\d{2}/\d{2})\b\s*", re.I)
_PAGE_FOOTER = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved", re.I)
_SECTION_SEPARATOR = re.compile(r"\s[|·•›»]\s")
_SENTENCE_END = re.compile(r"[.!?][\"”’')]?$")

# --- furniture: whole paragraphs added by the site, not the reporter ---------------------
FURNITURE = [re.compile(p, re.I) for p in (
    r"^(?:new\s*)?you can now listen to\b.{0,80}$",
    r"^(?:\W*)listen to (?:this|the) (?:article|story|report)\b.{0,60}$",
    r"^(?:\W*)(?:listen to|subscribe to|hear more on|download) (?:our|the) .{0,60}\b(?:podcast|episode|show)\b.{0,80}$",
    r"^(?:audio|listen)\s*(?:\d+:\d+|\d+\s*min(?:ute)?s?)?\s*$",
    r"^click here\b.{0,120}$",
    r"^.{0,60}\bclick here to (?:get|download|subscribe|sign up|read|watch|follow|join)\b.{0,80}$",
    r"^(?:download|get|install) (?:the|our) .{0,50}\bapp\b.{0,60}$",
    r"^(?:advertisement|advert|ad|sponsored(?: content)?|promoted(?: content)?|story continues below(?: advertisement)?)\W*$",
    r"^(?:sign up|subscribe|register)\b.{0,80}\b(?:newsletter|updates|alerts|briefing|inbox)\b.{0,60}$",
    r"^(?:share|tweet|email|print|copy link|share this (?:article|story)|share on \w+)(?:\s*\W\s*(?:share|tweet|email|print|copy link|facebook|twitter|whatsapp|linkedin|telegram))*\W*$",
    r"^share (?:this|on|via)\b.{0,200}$",
    r"^share\s*:.{0,120}$",
    r"^read more\b.{0,120}$",
    r"^(?:related|recommended|more from .{1,40}|also read|see also|read also|most read|trending|watch|video)\s*[:»|-].{0,140}$",
    r"^(?:related|recommended)(?: (?:articles|stories|content|reading))?\s*$",
    r"^follow (?:us|\w+(?: \w+)?) on (?:twitter|x|facebook|telegram|instagram|google news)\b.{0,80}$",
    r"^(?:we use cookies|this (?:site|website) uses cookies|accept (?:all )?cookies)\b.{0,200}$",
    r"^(?:skip to (?:main )?content|skip navigation|back to top|menu|search)\W*$",
    r"^(?:live updates?|live blog|live)\s*[:|-]?\s*$",
    r"^(?:live(?: updates?| blog| coverage)?|breaking(?: news)?|developing(?: story)?|watch live|just in)\s*[:|—–-]\s*.{0,90}$",
)]
_BANNER_WORDS = re.compile(r"\b(?:LIVE|UPDATES?|BREAKING|WATCH|CLICK|DOWNLOAD|SUBSCRIBE|READ|MORE|VIDEO|APP|NEWSLETTER)\b")

# a header that opens a list of other stories ("Most popular", "Related stories"): the
# header and the short items after it are furniture, and names in them are not the story's
LINK_LIST_HEADER = re.compile(
    r"^(?:most (?:popular|read|viewed|shared)(?: (?:this week|today|now|stories|articles|on \w+))?|related(?: stories| articles| content| coverage)?|recommended(?: for you)?|"
    r"more (?:from|on|in) .{1,40}|more stories|trending(?: now)?|you may also like|read next|popular now|"
    r"editor'?s picks|top stories|latest news|in other news)\s*:?$", re.I)

# --- credits and bylines -----------------------------------------------------------------
CREDIT_PARAGRAPH = re.compile(
    r"^\(?\s*(?:(?:AP|AFP|Reuters|EPA|Getty|Anadolu|TASS|Sputnik|UPI)\s+)?(?:photo|photograph|picture|image|credit|video|photos)s?"
    r"\s*(?:credit)?\s*(?::|by|/|—|-)\s*(?P<credit>.{2,120}?)\)?\s*$", re.I)
TRAILING_PAREN_CREDIT = re.compile(
    r"\s*\((?P<credit>[^()]{0,80}\b(?:photo|photos|via|AP|AFP|Reuters|Getty|EPA|images?|pool|handout|courtesy)\b[^()]{0,80})\)\s*$")
CAPS_CREDIT = re.compile(
    r"(?<=[.!?”\"])\s+(?P<credit>[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+){0,3}\s*/\s*[A-Za-z][\w .&'’-]{1,30}(?:\s*/\s*[A-Za-z][\w .&'’-]{1,30})*)\s*$")
BYLINE = re.compile(
    r"^(?P<prefix>(?i:by|written by|words by|reporting by))\s+(?P<names>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})*)(?:\s*[,|—-]\s*.{0,60})?$")
AUTHOR_BIO = re.compile(
    r"^(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}) (?:is|was|writes|reports)\b.{0,80}?"
    r"\b(?:reporter|correspondent|editor|writer|columnist|journalist|contributor|producer|author|"
    r"commentator|blogger|critic)\b.{0,80}$")
TRAILING_CREDIT_LABEL = re.compile(
    r"(?<=[.!?”\"])\s+(?:credit|photo|photograph|picture|image|video)s?\s*(?::|by)\s*(?P<credit>[^.!?]{2,80})$", re.I)
# a photo credit at the end of a caption, in the order tried
CAPTION_CREDITS = (CAPS_CREDIT, TRAILING_PAREN_CREDIT, TRAILING_CREDIT_LABEL)
EDITING_CREDIT = re.compile(r"^(?:\(?\s*)?(?:reporting|writing|additional reporting|editing|edited|compiled|"
                            r"translat(?:ed|ion)|fact[- ]checking|research)\s+by\b.{0,200}$", re.I)
# the work a credit line names, by its opening words: only writing makes an author
CREDIT_ROLES = (
    (re.compile(r"^(?:by|written by|words by|writing by|story by|text by)$", re.I), "author"),
    (re.compile(r"^additional reporting by$", re.I), "additional reporting"),
    (re.compile(r"^reporting by$", re.I), "reporting"),
    (re.compile(r"^(?:editing|edited) by$", re.I), "editing"),
    (re.compile(r"^compiled by$", re.I), "compiling"),
    (re.compile(r"^(?:translated|translation) by$", re.I), "translation"),
    (re.compile(r"^fact[- ]checking by$", re.I), "fact-checking"),
    (re.compile(r"^research by$", re.I), "research"),
)
OUTLET_WORDS = frozenset(w for w in (ln.split("#", 1)[0].strip().casefold() for ln in resources.files("builder")
                                      .joinpath("data", "outlet-words.txt").read_text(encoding="utf-8")
                                      .splitlines()) if w)
_CREDIT_PLACE = re.compile(r"\s+in\s+[A-Z][\w'’. -]*$")     # "Anna Kowalski in New Delhi"

# --- notices, sign-offs, comments ------------------------------------------------------------
UPDATE_NOTICE = re.compile(
    r"^(?:update[ds]?|correction|editor'?s note|published|posted|last updated|first published)\b.{0,80}?"
    r"(?:\d|this (?:article|story|post) (?:was|has been)).{0,200}$", re.I)
SIGN_OFF = re.compile(
    r"(?:©|\(c\)|copyright\b|all rights reserved|first (?:appeared|published) (?:on|in|at)\b|"
    r"originally (?:appeared|published)\b|\b[a-z0-9-]+\s?\.\s?(?:com|org|net|co\.uk|ru|ua|news|info)\b|\s/\s)", re.I)
COMMENTS_HEADER = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies|reader comments|reactions)\s*(?:\(\d+\))?\s*:?$|"
    r"^(?:leave|post|add|write) a (?:comment|reply)\b.{0,60}$|^(?:show|view|load|see) (?:all )?\d*\s*comments\b.{0,40}$|"
    r"^join the (?:conversation|discussion)\b.{0,60}$|^comments are (?:closed|moderated)\b.{0,80}$|"
    r"^showing \d+ (?:of \d+ )?(?:comments?|replies)\b.{0,40}$|^(?:comments?|discussion)\s*\(\d+\)$", re.I)
REPLY_TO = re.compile(r"^(?:reply(?:\s+to\s+.{1,60})?|report|like|share|flag|\d+\s+(?:likes?|replies))$", re.I)
_HEADER_SEPARATOR = re.compile(r"\s+[—–|·•-]\s+")
TIMESTAMP = re.compile(
    r"^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]{2,8} \d{4})"
    r"(?:,?\s*(?:at\s*)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?)?$|^\d+\s+(?:minutes?|hours?|days?|weeks?|months?)\s+ago$",
    re.I)
NAME_LIKE = re.compile(r"^(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}|@?[\w.-]{3,30})$")
# "NEW DELHI, March 2, 2023 (Continental Wire) — ..." : place, optional date, optional outlet
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’-]+(?:[ -][A-Z][A-Z.'’-]+){0,3}(?:,\s*[A-Z][A-Za-z.]+)?)"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}(?:,? \d{4})?|\d{1,2} [A-Z][a-z]{2,8}(?: \d{4})?))?"
    r"\s*(?:\((?P<outlet>[^()]{2,40})\))?\s*[—–-]{1,2}\s+")
MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)(?:\s+#+)?$")
MD_EMPHASIS = re.compile(r"^(\*{1,3}|_{1,3})(\S(?:.*?\S)?)\1$")
READ_MORE_TAIL = re.compile(r"\s*(?:…|\.\.\.)?\s*read more\s*[»›>]*\s*$", re.I)
_UPDATED_STAMP = re.compile(r"^\W*(?:last\s+)?updated\b", re.I)
_NUMBERED_ITEM = re.compile(r"^\d+[.)]\s")
_TRAILING_PAREN = re.compile(r"\s*\([^()]{1,80}\)\s*$")
_TRAILING_PAREN_TEXT = re.compile(r"\(([^()]{1,80})\)\s*$")
_NON_WORD = re.compile(r"\W+")
_LETTER_WORDS = re.compile(r"[^\W\d_]+")


# --- reader comments: who wrote each, when, and to whom they reply ---------------------------
REPLY_TO_NAME = re.compile(r"^reply\s+to\s+(?P<name>.{1,60})$", re.I)
_ACTIONS = re.compile(r"^(?:reply|report|like|share|flag)(?:\s*[·|•]\s*(?:reply|report|like|share|flag))*$", re.I)
_POSTED_BY = re.compile(r"^posted by\s+(?P<name>.{1,40}?)\s+on\s+(?P<date>.{4,40})$", re.I)
_NAME_PAREN_DATE = re.compile(r"^(?P<name>[^():]{1,40}?)\s*\((?P<date>[^()]{4,40})\)\s*:\s*(?P<text>.+)$")
_NAME_THEN_DATE = re.compile(r"^(?P<name>.{1,40}?)\s+(?P<date>(?:[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]{2,8} \d{4}|"
                             r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4})(?:,?\s*(?:at\s*)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)?)$", re.I)


def _comment_header_parts(text: str) -> list[tuple[str, str]] | None:
    """[(kind, text)] for a line naming a commenter and a date, or None: the first of the
    ``COMMENT_HEADER_FORMS`` that reads it."""
    for form in COMMENT_HEADER_FORMS:
        parts = form(text)
        if parts:
            return parts
    return None


def _posted_by(text: str) -> list[tuple[str, str]] | None:
    """"Posted by Marisol88 on 21 Feb 2023"."""
    m = _POSTED_BY.match(text)
    if m and TIMESTAMP.match(m.group("date").strip()):
        return [("comment-author", m.group("name")), ("comment-date", m.group("date").strip())]
    return None


def _name_dash_date(text: str) -> list[tuple[str, str]] | None:
    """"Tomasz K. — 17.02.2023 09:12"."""
    parts = _HEADER_SEPARATOR.split(text, maxsplit=1)
    if len(parts) == 2 and TIMESTAMP.match(parts[1]) and _name_like(parts[0]):
        return [("comment-author", parts[0]), ("comment-date", parts[1])]
    return None


def _name_paren_date(text: str) -> list[tuple[str, str]] | None:
    """"truthseeker1776 (21 Feb 2023): what they wrote", the comment run on."""
    m = _NAME_PAREN_DATE.match(text)
    if m and TIMESTAMP.match(m.group("date").strip()):
        return [("comment-author", m.group("name").strip()), ("comment-date", m.group("date").strip()),
                ("comment", m.group("text").strip())]
    return None


def _name_then_date(text: str) -> list[tuple[str, str]] | None:
    """"Marisol88 21 Feb 2023 at 10:04"."""
    m = _NAME_THEN_DATE.match(text)
    if m and TIMESTAMP.match(m.group("date")):
        return [("comment-author", m.group("name").strip(" —–|·•-")), ("comment-date", m.group("date"))]
    return None


COMMENT_HEADER_FORMS = (_posted_by, _name_dash_date, _name_paren_date, _name_then_date)


def _name_like(text: str) -> bool:
    """A commenter's name or handle: a few capitalised words or one handle, at most 40 characters."""
    return bool(NAME_LIKE.match(text)) and len(text) <= 40


@dataclass
class Thread:
    """The comment lines typed so far, and the commenters' names seen (a reply names one)."""

    out: list[Line] = field(default_factory=list)
    authors: set[str] = field(default_factory=set)

    def add(self, text: str, line: int, kind: str) -> None:
        self.out.append(Line(text, line, kind))

    def add_parts(self, parts: list[tuple[str, str]], line: int) -> None:
        self.out += [Line(t, line, kind) for kind, t in parts]
        self.authors.update(t for kind, t in parts if kind == "comment-author")


def type_comments(lines: list[Line]) -> list[Line]:
    """Reader-comment lines typed as "comment-header" ("23 comments"), "comment-author",
    "comment-date", "comment-reply-to" (the name replied to) or "comment" (what they wrote).
    A line holding a name and a date is split in two; an avatar's repeated name is dropped.
    Each line goes to the first of ``COMMENT_RULES`` that takes it."""
    thread = Thread()
    for i, line in enumerate(lines):
        nxt = lines[i + 1].text if i + 1 < len(lines) else ""
        for rule in COMMENT_RULES:
            if rule(thread, line, nxt):
                break
    return thread.out


def _comments_header(thread: Thread, line: Line, nxt: str) -> bool:
    """"23 comments", "Leave a reply": a header only before any other line. Only this rule adds
    a header, so the last line tells (looking at them all made the section quadratic)."""
    if COMMENTS_HEADER.match(line.text) and (not thread.out or thread.out[-1].kind == "comment-header"):
        thread.add(line.text, line.line, "comment-header")
        return True
    return False


def _action_links(thread: Thread, line: Line, nxt: str) -> bool:
    """"Reply · Report · Like": the page's buttons, dropped."""
    return bool(_ACTIONS.match(line.text))


def _reply_to(thread: Thread, line: Line, nxt: str) -> bool:
    """"Reply to Marisol88": the name replied to; "Reply to Marisol88 truthseeker1776 - 21 Feb
    2023" is a known author followed by the reply's own header, run on."""
    m = REPLY_TO_NAME.match(line.text)
    if not m:
        return False
    name = m.group("name").strip()
    found = next(_known_author_then_header(name, thread.authors), None)
    if found:
        known, rest = found
        thread.add(known, line.line, "comment-reply-to")
        thread.add_parts(rest, line.line)
    else:
        thread.add(name, line.line, "comment-reply-to")
    return True


def _comment_date(thread: Thread, line: Line, nxt: str) -> bool:
    """A line that is only a timestamp ("21 Feb 2023 at 10:04", "3 hours ago")."""
    if TIMESTAMP.match(line.text):
        thread.add(line.text, line.line, "comment-date")
        return True
    return False


def _avatar_name(thread: Thread, line: Line, nxt: str) -> bool:
    """The avatar's alt text: the same name comes again on the next line, dropped here."""
    return line.text == nxt and _name_like(line.text)


def _comment_author(thread: Thread, line: Line, nxt: str) -> bool:
    """A name above a timestamp is the commenter's."""
    if _name_like(line.text) and TIMESTAMP.match(nxt):
        thread.add(line.text, line.line, "comment-author")
        thread.authors.add(line.text)
        return True
    return False


def _comment_header_line(thread: Thread, line: Line, nxt: str) -> bool:
    """A name and a date on one line (``_comment_header_parts``), split in two."""
    parts = _comment_header_parts(line.text)
    if parts:
        thread.add_parts(parts, line.line)
        return True
    return False


def _comment_text(thread: Thread, line: Line, nxt: str) -> bool:
    """Anything else is what a reader wrote."""
    thread.add(line.text, line.line, "comment")
    return True


COMMENT_RULES = (_comments_header, _action_links, _reply_to, _comment_date, _avatar_name, _comment_author,
                 _comment_header_line, _comment_text)


def _known_author_then_header(name: str, authors: set[str]):
    """(author, header parts) for each way ``name`` reads as a known author followed by a comment
    header, longest author first. Only the name's own word breaks are tried (a name is at most 60
    characters), never every author of the thread: a long thread stays linear."""
    for cut in sorted((k for k, c in enumerate(name) if c == " "), reverse=True):
        known = name[:cut]
        rest = _comment_header_parts(name[cut:].strip()) if known in authors else None
        if rest:
            yield known, rest


def _is_banner(text: str) -> bool:
    """An all-caps promo or live-update banner ("RUSSIA INVADES UKRAINE: LIVE UPDATES")."""
    letters = [c for c in text if c.isalpha()]
    if not letters or len(text.split()) > 12 or text.endswith("."):
        return False
    upper = sum(1 for c in letters if c.isupper()) / len(letters)
    return upper > 0.85 and bool(_BANNER_WORDS.search(text))


def furniture_reason(text: str, registry: Registry) -> str | None:
    """Why a paragraph is site furniture, or None if it is article text."""
    if text.casefold() in registry.boilerplate_lines:
        return Removal.BOILERPLATE
    if len(text) <= 240:
        for rx in FURNITURE:
            if rx.match(text):
                return "site furniture"
        if _is_banner(text):
            return "banner"
    return None


def _dup_key(text: str) -> str:
    return _NON_WORD.sub(" ", text).strip().casefold()


# words of an agency's or a library's part of a credit, never a photographer's name
_AGENCY_WORDS = frozenset("ap afp reuters epa efe pa getty images photo photos via pool wire shutterstock xinhua "
                          "tass anadolu agency bloomberg ansa dpa kyodo yonhap alamy corbis press".split())


def _photographer(credit: str) -> str:
    """The part of 'AGENCY/Name' or 'NAME/AGENCY/Library' that names a person: the first of two
    words or more with no agency word ('REUTERS/Mike Blake', 'AP Photo/Evan Vucci'), else the first."""
    parts = [p.strip(" ()") for p in credit.split("/")]
    named = (p for p in parts if len(p.split()) >= 2 and not any(w.casefold() in _AGENCY_WORDS for w in p.split()))
    return next(named, parts[0])


def _title_case_name(credit: str) -> str:
    """'SERGEI SUPINSKY/AFP/Getty Images' -> 'Sergei Supinsky', 'REUTERS/Mike Blake' -> 'Mike
    Blake'; other credits as printed."""
    name = _photographer(credit)
    words = name.split()
    if len(words) >= 2 and all(w.isupper() for w in words if w.isalpha()):
        return " ".join(w.capitalize() for w in words)
    return name


def find_comments_start(paras: list[Line]) -> int | None:
    """Index of the first paragraph of a reader-comments section, or None: the first paragraph
    where one of ``COMMENT_STARTS`` sees the section begin (never at the article's first line)."""
    for i in range(len(paras)):
        for rule in COMMENT_STARTS:
            start = rule(paras, i)
            if start is not None:
                return start if start >= 1 else None
    return None


def _header_start(paras: list[Line], i: int) -> int | None:
    """A comments header ("23 comments", "Leave a reply") opens the section."""
    return i if COMMENTS_HEADER.match(paras[i].text) else None


def _author_then_timestamp(paras: list[Line], i: int) -> int | None:
    """A timestamp under a name: the section starts at the name, or at its first copy (an
    author's name is often printed twice, avatar alt text and then the name)."""
    if not (TIMESTAMP.match(paras[i].text) and i >= 1 and _name_like(paras[i - 1].text)):
        return None
    j = i - 1
    return j - 1 if j >= 1 and paras[j - 1].text == paras[j].text else j


def _reply_then_timestamp(paras: list[Line], i: int) -> int | None:
    """A "Reply" or "Like" link above a timestamp."""
    return i if REPLY_TO.match(paras[i].text) and i + 1 < len(paras) and TIMESTAMP.match(paras[i + 1].text) \
        else None


def _name_and_timestamp(paras: list[Line], i: int) -> int | None:
    """"Tomasz K. — 17.02.2023 09:12": a commenter's name and a timestamp on one line."""
    if i < 1:
        return None
    parts = _HEADER_SEPARATOR.split(paras[i].text)
    return i if len(parts) == 2 and TIMESTAMP.match(parts[1]) and _name_like(parts[0]) else None


COMMENT_STARTS = (_header_start, _author_then_timestamp, _reply_then_timestamp, _name_and_timestamp)


@dataclass
class Cleaning:
    """The article as one cleaning step hands it to the next: the paragraphs still in play and
    everything taken out of them so far (what was removed and why, credits, the date line)."""

    registry: Registry
    kind: str                                   # the file's kind: "text", "markdown" or "html"
    paras: list[Line]
    removed: list[Removed] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    credited: list[Credit] = field(default_factory=list)
    comments: list[Line] = field(default_factory=list)
    date_line: Line | None = None
    headline: Line | None = None
    dateline: Dateline | None = None
    own_outlet: Line | None = None

    def remove(self, line: Line, reason: str, source: str = "") -> None:
        self.removed.append(Removed(line.text, line.line, reason, source))


def clean(doc: RawDoc, registry: Registry) -> Cleaned:
    """The article's own paragraphs apart from the page's furniture: the steps of ``STEPS`` in
    order, each taking what the one before left."""
    state = Cleaning(registry, doc.kind, [Line(p.text, p.line) for p in doc.body])
    for step in STEPS:
        state = step(state)
    return Cleaned(paragraphs=state.paras, comments=state.comments, removed=state.removed,
                   headline=state.headline, date_line=state.date_line, dateline=state.dateline,
                   credits=_dedupe(state.credits),
                   authors=_dedupe([c.name for c in state.credited if c.role == "author"]),
                   credited=_dedupe_credits(state.credited), own_outlet=state.own_outlet)


# a word run into the next: "SchiffGraham", "McConnellGOP", "Sanders2020"
_GLUED_TOKEN = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*?[a-z](?:[A-Z]|\d)[\w'’:-]*")
_CARD_END = re.compile(r"\sMORE\b")
HOVER_CARD_CHARS = 400      # the longest card: a legal name and three headlines
_DISPLAY_NAME_CHARS = 120   # how far before the card the name it belongs to is written


def hover_cards(state: Cleaning) -> Cleaning:
    """The card a page shows when a reader hovers over a politician's name, copied into the text
    after the name: the full legal name run into the card's headlines, ending in "MORE" ("Sen.
    Adam Schiff Adam Bennett SchiffGraham: Senate trial 'must expose ...' MORE said"). The name
    as the article writes it stays; the card goes, so no headline is glued to a name."""
    paras = []
    for p in state.paras:
        text, at = p.text, 0
        while (card := _hover_card(text, at)) is not None:      # on from the last card: linear
            state.removed.append(Removed(text[card[0]:card[1]].strip(), p.line, Removal.HOVER_CARD))
            text, at = text[:card[0]] + text[card[1]:], card[0]
        paras.append(Line(text, p.line, p.kind, p.credit) if text != p.text else p)
    state.paras = paras
    return state


def _hover_card(text: str, at: int = 0) -> tuple[int, int] | None:
    """(start, end) of the first hover card from ``at``: after the surname the article wrote, from
    the legal name to "MORE", when the glued word starts with that surname ("Schiff" of "SchiffGraham")."""
    if "MORE" not in text:
        return None
    for m in _GLUED_TOKEN.finditer(text, at):
        for cut in _camel_cuts(m.group()):
            card = _card_after(text, m.start(), m.group()[:cut], m.start() + cut)
            if card:
                return card
    return None


def _camel_cuts(token: str) -> list[int]:
    """Where a lower-case letter meets a capital or a digit, the last first ("McConnell|GOP")."""
    return [i for i in range(len(token) - 1, 0, -1)
            if token[i - 1].islower() and (token[i].isupper() or token[i].isdigit())]


def _card_after(text: str, start: int, surname: str, glue: int) -> tuple[int, int] | None:
    end = _CARD_END.search(text, glue, glue + HOVER_CARD_CHARS)
    if end is None or len(surname) < 2:
        return None
    window = max(0, start - _DISPLAY_NAME_CHARS)
    shown = list(re.finditer(rf"(?<![\w'’-]){re.escape(surname)}(?![\w'’-])", text[window:start]))
    return (window + shown[-1].end(), end.end()) if shown else None


def markdown_as_text(state: Cleaning) -> Cleaning:
    """Markdown headings and emphasis in a Markdown file are text, not markup: "## Storm" is the
    subheading "Storm", and the later steps compare words, not marks."""
    if state.kind != "markdown":
        return state
    state.paras = [Line(MD_EMPHASIS.sub(r"\2", MD_HEADING.sub(r"\1", p.text)), p.line) for p in state.paras]
    return state


def leading_date_line(state: Cleaning) -> Cleaning:
    """A leading metadata line (" date 2022-03-04 ..."), possibly run into the first sentence: the
    date is evidence for the date, the rest of the line is the article's first words."""
    paras = state.paras
    m = LEADING_DATE.match(paras[0].text) if paras else None
    if m:
        first = paras[0]
        state.date_line = Line(m.group(0).strip(), first.line)
        state.remove(state.date_line, "date line")
        rest = first.text[m.end():].strip()
        if rest:
            paras[0] = Line(rest, first.line)
        else:
            paras.pop(0)
    return state


def date_only_line(state: Cleaning) -> Cleaning:
    """One of the first three lines that is nothing but a date ("Friday, 4 March 2022") is the
    date line, unless an earlier step found one; an "Updated ..." stamp is not the publication
    date and is kept as evidence only."""
    if state.date_line is not None:
        return state
    for i, p in enumerate(state.paras[:3]):
        if is_date_only(p.text):
            state.paras.pop(i)
            if _UPDATED_STAMP.match(p.text):
                state.remove(p, "update notice")
            else:
                state.date_line = p
                state.remove(p, "date line")
            break
    return state


def reader_comments(state: Cleaning) -> Cleaning:
    """Everything from the start of a reader-comments section on is the readers' words, not the
    article's: typed apart (``type_comments``), without the page's sign-off after them."""
    start = find_comments_start(state.paras)
    if start is None:
        return state
    tail = _without_page_footer(state, state.paras[start:])
    state.comments = type_comments(_comment_lines(tail))
    state.paras = state.paras[:start]
    return state


def _without_page_footer(state: Cleaning, tail: list[Line]) -> list[Line]:
    """The comments without the page's own sign-off after them ("© 2023 Outlet. All rights
    reserved."), which is removed."""
    while len(tail) > 1 and _PAGE_FOOTER.search(tail[-1].text) and len(tail[-1].text.split()) <= 14:
        state.remove(tail.pop(), "sign-off")
    return tail


def _comment_lines(tail: list[Line]) -> list[Line]:
    """The comment section's lines without "Read more" tails and bare action links ("Like",
    "Report"); "Reply to <name>" stays, it says who answers whom."""
    lines = []
    for p in tail:
        text = READ_MORE_TAIL.sub("", p.text).strip()
        if text and (REPLY_TO_NAME.match(text) or not REPLY_TO.match(text)):
            lines.append(Line(text, p.line))
    return lines


@dataclass
class ParagraphPass:
    """What the paragraph rules share while they go through the article once: the paragraphs kept
    so far, whether a list of other stories is open, and a photo credit waiting for its caption."""

    state: Cleaning
    count: int
    kept: list[Line] = field(default_factory=list)
    in_link_list: bool = False
    credit_for_next: str = ""


def paragraph_rules(state: Cleaning) -> Cleaning:
    """Paragraph by paragraph, the first rule of ``PARAGRAPH_RULES`` that takes a paragraph
    removes it (furniture, credits, bylines, notices) or keeps it (``keep_paragraph``, last)."""
    run = ParagraphPass(state, len(state.paras))
    for index, p in enumerate(state.paras):
        for rule in PARAGRAPH_RULES:
            if rule(run, index, p):
                break
    state.paras = run.kept
    return state


def link_list_header(run: ParagraphPass, index: int, p: Line) -> bool:
    """A header that opens a list of other stories ("Most popular", "Related stories"): names in
    the list are not the story's. Never the first line, which may be a headline."""
    if index > 0 and LINK_LIST_HEADER.match(p.text):
        run.in_link_list = True
        run.state.remove(p, "list of other stories")
        return True
    return False


def link_list_item(run: ParagraphPass, index: int, p: Line) -> bool:
    """A short item, or a numbered one, under such a header; the first sentence-like paragraph
    closes the list."""
    if not run.in_link_list:
        return False
    text = p.text
    if len(text.split()) <= 16 and not text.endswith((".", "”", '"')) or _NUMBERED_ITEM.match(text):
        run.state.remove(p, "list of other stories")
        return True
    run.in_link_list = False
    return False


def furniture_or_masthead(run: ParagraphPass, index: int, p: Line) -> bool:
    """Site furniture (``furniture_reason``), or the outlet's name at the top; an outlet that
    sources.yml does not know yet is remembered as the article's own."""
    state, text = run.state, p.text
    reason = furniture_reason(text, state.registry)
    if not reason and _is_masthead(text, index, run.kept, run.count, state.registry):
        reason = "masthead"
        if not _names_a_source(text, state.registry):
            state.own_outlet = state.own_outlet or Line(text, p.line, "masthead")
    if not reason:
        return False
    state.remove(p, reason, state.registry.boilerplate_lines.get(text.casefold(), ""))
    return True


def credit_paragraph(run: ParagraphPass, index: int, p: Line) -> bool:
    """A photo credit on its own line ("Photo: Anna Kowalski"): the photographer is credited, not
    in the story, and the credit belongs to a short caption printed just after it."""
    m = CREDIT_PARAGRAPH.match(p.text)
    if not (m and len(p.text) <= 140):
        return False
    run.state.credits.append(_title_case_name(m.group("credit")))
    run.state.remove(p, "photo credit")
    run.credit_for_next = m.group("credit").strip(" ()")
    return True


def editing_credit(run: ParagraphPass, index: int, p: Line) -> bool:
    """"Reporting by A; Editing by B": each name credited with its role, none as a person in
    the story."""
    if not EDITING_CREDIT.match(p.text):
        return False
    run.state.remove(p, "reporting credit")
    run.state.credited += credit_line(p.text, p.line)
    return True


def byline_credit(run: ParagraphPass, index: int, p: Line) -> bool:
    """A byline near the top or the end ("By Marta Keller, The Valley Courier"): its people are
    the authors, an outlet it names is the article's own."""
    state, text = run.state, p.text
    m = BYLINE.match(text)
    if not (m and _near_edge(index, run.count, 2, 2) and len(text) <= 120):
        return False
    names, outlet = byline_parts(m, state.registry)
    state.credited += [Credit(name, credit_role(m.group("prefix")), "byline", _quote(text, p.line))
                       for name in names]
    if outlet:
        state.own_outlet = state.own_outlet or Line(outlet, p.line, "byline")
    state.remove(p, "byline")
    return True


def _near_edge(index: int, count: int, top: int, end: int) -> bool:
    """``index`` is near the top (at most ``top``) or the end (``count - end`` or later) of ``count``
    paragraphs."""
    return index <= top or index >= count - end


def author_bio(run: ParagraphPass, index: int, p: Line) -> bool:
    """"Marta Keller is a reporter for ..." among the last lines: the author, not the story."""
    m = AUTHOR_BIO.match(p.text)
    if not (m and index >= run.count - 3 and len(p.text) <= 200):
        return False
    run.state.credited.append(Credit(m.group("name"), "author", "author bio", _quote(p.text, p.line)))
    run.state.remove(p, "author bio")
    return True


def update_notice(run: ParagraphPass, index: int, p: Line) -> bool:
    """"Updated 4 March: this story has been corrected" at the top or the end is about the page,
    not the events."""
    if UPDATE_NOTICE.match(p.text) and len(p.text) <= 300 and (index >= run.count - 3 or index <= 1):
        run.state.remove(p, "update notice")
        return True
    return False


def keep_paragraph(run: ParagraphPass, index: int, p: Line) -> bool:
    """Article text, kept: a photo credit at the end of a caption is taken apart (the caption
    stays); a short line after a credit paragraph is that credit's caption."""
    line, caption_credit = _without_caption_credit(run.state, p)
    if run.credit_for_next and not caption_credit and _caption_like(line, 20):
        line.kind, line.credit = "caption", run.credit_for_next
    run.credit_for_next = ""
    run.kept.append(line)
    return True


def _without_caption_credit(state: Cleaning, p: Line) -> tuple[Line, str]:
    """The paragraph without a photo credit printed at its end, typed "caption" when it had one,
    and the credit ("" when none)."""
    text = p.text
    for rx in CAPTION_CREDITS:
        m = rx.search(text)
        if m and m.start() > 20:
            state.credits.append(_title_case_name(m.group("credit")))
            state.removed.append(Removed(m.group("credit"), p.line, "photo credit"))
            credit = m.group("credit").strip(" ()[]")
            text = text[: m.start()].rstrip()
            return (Line(text, p.line, "caption", credit) if credit else Line(text, p.line)), credit
    return Line(text, p.line), ""


def repeated_paragraphs(state: Cleaning) -> Cleaning:
    """A paragraph printed twice (a duplicated photo caption) is kept once, the first; a copy that
    only adds a trailing "(credit)" is the same caption, and the credit stays with it."""
    seen: dict[str, Line] = {}
    unique: list[Line] = []
    for p in state.paras:
        key = _dup_key(p.text)
        base = _dup_key(_TRAILING_PAREN.sub("", p.text))
        if key in seen or base in seen:
            _merge_copy(state, seen.get(key) or seen[base], p, key in seen)
            continue
        seen[key] = p
        unique.append(p)
    state.paras = unique
    return state


def _merge_copy(state: Cleaning, first: Line, copy: Line, same_text: bool) -> None:
    """Remove ``copy`` of ``first``; a copy with a credit makes both a photo caption."""
    m = _TRAILING_PAREN_TEXT.search(copy.text)
    credit = m.group(1) if m else ""
    only_copy_credited = bool(credit) and not same_text
    if only_copy_credited:
        state.credits.append(_title_case_name(credit))
    if copy.kind == "caption" or only_copy_credited:
        first.kind = "caption"
        first.credit = first.credit or copy.credit or credit.strip()
    state.remove(copy, "duplicate paragraph")


def sign_offs(state: Cleaning) -> Cleaning:
    """Sign-off lines at the very end ("RT. com / ABC Flash Point News 2022.", "© Outlet 2022")
    are the outlet's, not the article's."""
    paras = state.paras
    while len(paras) > 1 and _is_sign_off(paras[-1].text, state.registry):
        state.remove(paras.pop(), "sign-off")
    return state


# a news agency's sign-off written after the story's last sentence, on its line: "... Camdessus.  Reuter"
_WIRE_SIGN_OFF = re.compile(r"(?<=[.!?\"'”’)])\s+(?P<agency>Reuters?|AP|AFP|UPI|dpa|PA|Xinhua|Kyodo)\s*$")


def wire_sign_off(state: Cleaning) -> Cleaning:
    """A wire agency's sign-off glued to the last paragraph ("... head Michel Camdessus.  Reuter")
    is the agency's furniture, not the article's text; left there, it also makes the paragraph
    read as a headline (it no longer ends a sentence)."""
    if not state.paras:
        return state
    last = state.paras[-1]
    m = _WIRE_SIGN_OFF.search(last.text)
    if m and len(last.text[:m.start()].split()) >= 3:
        state.paras[-1] = replace(last, text=last.text[:m.start()])
        state.remove(Line(m.group("agency"), last.line), "sign-off")
    return state


def section_label(state: Cleaning) -> Cleaning:
    """"Climate Briefing | November 2024" above a headline is the page's section label."""
    paras = state.paras
    if (len(paras) > 2 and looks_like_headline(paras[0].text) and looks_like_headline(paras[1].text)
            and (_SECTION_SEPARATOR.search(paras[0].text) or _dated_label(paras[0].text))):
        state.remove(paras.pop(0), "section label")
    return state


def leading_headline(state: Cleaning) -> Cleaning:
    """A headline the file starts with is the title's evidence, not the article's first
    paragraph."""
    if len(state.paras) > 1 and looks_like_headline(state.paras[0].text):
        state.headline = state.paras.pop(0)
    return state


def wire_dateline(state: Cleaning) -> Cleaning:
    """A wire-style dateline opening the story ("NEW DELHI, March 2, 2023 (Continental Wire) —")
    stays in the text and is evidence for the date and the source."""
    m = DATELINE.match(state.paras[0].text) if state.paras else None
    if m and (m.group("date") or m.group("outlet")):
        state.dateline = Dateline(m.group(0).strip(" —–-"), state.paras[0].line, place=m.group("place"),
                                  date=m.group("date"), outlet=m.group("outlet"))
    return state


def typed_structure(state: Cleaning) -> Cleaning:
    """Subheadings and captions' titles typed among the kept paragraphs (``mark_structure``)."""
    mark_structure(state.paras)
    return state


# the cleaning steps, in order: a step sees only what the steps before it left
STEPS = (markdown_as_text, hover_cards, leading_date_line, date_only_line, reader_comments, paragraph_rules,
         repeated_paragraphs, sign_offs, wire_sign_off, section_label, leading_headline, wire_dateline, typed_structure)
# the paragraph rules, in order: the first that takes a paragraph decides; the last keeps it
PARAGRAPH_RULES = (link_list_header, link_list_item, furniture_or_masthead, credit_paragraph, editing_credit,
                   byline_credit, author_bio, update_notice, keep_paragraph)


def _is_masthead(text: str, index: int, kept: list[Line], count: int, registry: Registry) -> bool:
    """The outlet's name on a line of its own at the top: first, or second under a headline
    ("Bridge to close to lorries" / "The Valley Courier"). A source of sources.yml in a short
    line without a sentence's end; or, unknown, a name of at most six capitalised words holding
    a word of builder/data/outlet-words.txt."""
    if not _masthead_place(text, index, kept, count):
        return False
    words = text.split()
    if len(words) <= 15 and _names_a_source(text, registry):
        return True
    return _outlet_shaped(words)


def _masthead_place(text: str, index: int, kept: list[Line], count: int) -> bool:
    """Where a masthead stands: nothing kept above it but a headline, in an article of two lines
    or more, and the line is not a sentence or a byline."""
    at_top = not kept or (len(kept) == 1 and index == 1 and looks_like_headline(kept[0].text))
    return at_top and index <= 1 and count >= 2 and not _SENTENCE_END.search(text) and not BYLINE.match(text)


def _outlet_shaped(words: list[str]) -> bool:
    """At most six capitalised words ("of", "and", "&" aside), one of them an outlet word."""
    return (len(words) <= 6 and all(w[:1].isupper() or w.casefold() in ("of", "and", "&") for w in words)
            and any(w.casefold().strip(".,") in OUTLET_WORDS for w in words))


def byline_parts(m: re.Match, registry: Registry) -> tuple[list[str], str | None]:
    """The people a byline credits, and the outlet it names ("By Marta Keller, The Valley
    Courier"): a name that is a source of sources.yml or shaped like an outlet is not an author,
    nor is the outlet after a separator ("By Marta Keller | Valley Courier")."""
    people, outlets = [], []
    for name in _credit_names(m.group("names")):
        (outlets if is_outlet(name, registry) else people).append(name)
    tail = m.string[m.end("names"):].strip(" ,|—-").strip()
    if tail and not outlets and is_outlet(tail, registry):
        outlets.append(tail)
    return people, (outlets[0] if outlets else None)


def is_outlet(name: str, registry: Registry) -> bool:
    """A source of sources.yml (by name or signature), or a name shaped like an outlet: it
    starts with "The", or holds a word of builder/data/outlet-words.txt ("Valley Courier")."""
    folded = normalise_space(name).casefold()
    if _is_known_source(folded, registry):
        return True
    words = _LETTER_WORDS.findall(folded)
    return bool(words) and (words[0] == "the" or any(w in OUTLET_WORDS for w in words))


def _is_known_source(folded: str, registry: Registry) -> bool:
    """``folded`` is a source's name or one of its signatures, as sources.yml spells them."""
    return folded in registry.source_by_name or any(folded == sig.casefold() for s in registry.sources
                                                    for sig in s.signatures)


def credit_role(words: str) -> str:
    """'Editing by' -> 'editing'; the role a credit line's opening words name."""
    words = " ".join(words.split())
    return next((role for rx, role in CREDIT_ROLES if rx.match(words)), words.lower().removesuffix(" by"))


def credit_line(text: str, line: int) -> list[Credit]:
    """'Reporting by A in Kyiv; Writing by B; Editing by C' -> one Credit per name, with its role."""
    out: list[Credit] = []
    for part in re.split(r"[;|]", text.strip().strip("()")):
        m = re.match(r"^\s*\(?\s*(?P<words>[^()]*?\bby)\b\s*(?P<names>.*)$", part, re.I)
        if not m:
            continue
        role = credit_role(m.group("words"))
        out += [Credit(name, role, "credit line", _quote(text, line)) for name in _credit_names(m.group("names"))]
    return out


def _credit_names(names: str) -> list[str]:
    out = []
    for name in re.split(r",|\band\b|&", names.strip(" .()")):
        name = _CREDIT_PLACE.sub("", name.strip(" .()"))
        if name:
            out.append(name)
    return out


def _quote(text: str, line: int) -> str:
    return f"'{text if len(text) <= 120 else text[:117] + '...'}' (line {line})"


def _dedupe_credits(credited: list[Credit]) -> list[Credit]:
    """One credit per name and role, the first found."""
    seen: set[tuple[str, str]] = set()
    out = []
    for c in credited:
        if (c.name.casefold(), c.role) not in seen:
            seen.add((c.name.casefold(), c.role))
            out.append(c)
    return out


SUBHEADING_TEXT = re.compile(r"^[^\W\d_][\w '’,&%$€£()\"“”‘-]{2,88}[\w)'’\"”]$")


def _heading_like(text: str) -> bool:
    """A short line of plain words with no sentence end: a subheading or a caption's title."""
    return 2 <= len(text.split()) <= 12 and bool(SUBHEADING_TEXT.match(text)) and looks_like_headline(text)


def _caption_like(line: Line, words: int) -> bool:
    """Short enough to be a photo caption, and not typed already."""
    return line.kind == "text" and len(line.text.split()) <= words


def mark_structure(paras: list[Line]) -> None:
    """Type the kept paragraphs: a heading-like line above a caption is the caption's title; one
    between paragraphs of text (never in the first two) is a subheading. The text is unchanged."""
    for i, p in enumerate(paras):
        if p.kind == "text" and _heading_like(p.text):
            p.kind = _heading_kind(paras, i)


def _heading_kind(paras: list[Line], i: int) -> str:
    """What the heading-like paragraph ``i`` is, by its neighbours."""
    if i + 1 >= len(paras):
        return "text"
    if paras[i + 1].kind == "caption":
        return "caption-title"
    between_text = i >= 2 and _plain_text(paras[i + 1], ("text",)) and _plain_text(paras[i - 1], ("text", "caption"))
    return "subheading" if between_text else "text"


def _plain_text(line: Line, kinds: tuple[str, ...]) -> bool:
    """A paragraph of one of ``kinds`` that is not heading-like itself."""
    return line.kind in kinds and not _heading_like(line.text)


_DATE_WORDS = re.compile(
    r"\b(?:published|posted|updated|last updated|first published|on|at|am|pm|a\.m\.|p\.m\.|gmt|utc|cet|cest|"
    r"bst|est|edt|et|local time|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\d{1,2}:\d{2}|[,:|·•—–-]",
    re.I)


_PLACE_PREFIX = re.compile(r"^[^\W\d_][\w .'’-]{1,40},\s+(?=\S)")


def is_date_only(text: str) -> bool:
    """A line that is only a date stamp ("Friday, 4 March 2022", "Published: 2022-11-15 14:02 GMT",
    "Buôn Ma Thuột, 21/07/2022")."""
    from ..core.dates import find_dates

    if len(text) > 80:
        return False
    place = _PLACE_PREFIX.match(text)
    if place and find_dates(text[place.end():]) and is_date_only(text[place.end():]):
        return True
    found = find_dates(text)
    if not found:
        return False
    rest = text
    for m in found:
        rest = rest.replace(m.text, " ")
    rest = _DATE_WORDS.sub(" ", rest)
    return len(rest.split()) == 0


def _dated_label(text: str) -> bool:
    """"RESEARCH ROUNDUP — March 2022": a short label joined to a date by a dash."""
    from ..core.dates import find_dates

    parts = re.split(r"\s+[—–-]\s+", text)
    return len(parts) == 2 and len(parts[0].split()) <= 5 and any(is_date_only(p) for p in parts) \
        and bool(find_dates(text))


def _names_a_source(text: str, registry: Registry) -> bool:
    folded = text.casefold()
    # an outlet's name as whole words: "RT" is not in "Storm Closes Port", "NPR" not in "unprecedented"
    return any(re.search(rf"(?<!\w){re.escape(s.name.casefold())}(?!\w)", folded)
               or any(sig.casefold() in folded for sig in s.signatures) for s in registry.sources)


def _is_sign_off(text: str, registry: Registry) -> bool:
    if len(text.split()) > 14:
        return False
    if SIGN_OFF.search(text):
        return True
    folded = text.casefold()
    return any(sig.casefold() in folded for s in registry.sources for sig in s.signatures)


def looks_like_headline(text: str) -> bool:
    """A first line that is a headline: short, several words, not a sentence ending in a period."""
    words = text.split()
    if not (2 <= len(words) <= 25) or len(text) > 180:
        return False
    if text.endswith((".", ",", ";", ":")) and not text.endswith("..."):
        return False
    if text[0].islower() or TIMESTAMP.match(text):
        return False
    return True


def _dedupe(items: list[str]) -> list[str]:
    """Each item once, first spelling first (by a set: thousands of photo credits stay linear)."""
    return list(dict.fromkeys(item for item in map(normalise_space, items) if item))
