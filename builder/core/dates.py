"""Finding dates in article text and expressing them as EDTF strings.

A date is only ever taken from the article's own words, never resolved against
today's date. Numeric dates whose day and month could be swapped (11-12-22) are
reported as ambiguous and only their common part (the year) is used.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WD = r"(?:(?P<wd>mon|tues|wednes|thurs|fri|satur|sun)day,?\s+(?:the\s+)?)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"

PATTERNS = [
    ("iso", re.compile(rf"\b{_YEAR}-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"
                       rf"(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?(?![\d:])")),
    ("mdy", re.compile(rf"\b{_WD}{_MON}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.I)),
    ("dmy", re.compile(rf"\b{_WD}(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+of)?\s+{_MON},?\s+{_YEAR}\b", re.I)),
    ("dotted", re.compile(rf"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.{_YEAR}\b")),
    ("numeric", re.compile(r"\b(?P<a>[0-3]?\d)[/-](?P<b>[0-3]?\d)[/-](?P<y>(?:19|20)?\d{2})\b")),
    ("slash-iso", re.compile(rf"\b{_YEAR}/(?P<m>0?[1-9]|1[0-2])/(?P<d>[0-3]?\d)\b")),
    ("month", re.compile(rf"\b{_MON}\s+(?:of\s+)?{_YEAR}\b", re.I)),
]
WEEKDAY_MENTION = re.compile(
    r"\b(?:on|last|this|late|early|since)?\s*(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?:'s)?(?:\s+(?:night|morning|evening|afternoon))?\b", re.I)
YEAR_ONLY = re.compile(r"(?<![\d/-])(?P<year>(?:19|20)\d{2})(?![\d/-])")


@dataclass
class DateMention:
    """One date written in the text."""

    text: str
    line: int
    edtf: str                      # the value as EDTF (YYYY, YYYY-MM or YYYY-MM-DD)
    day: dt.date | None = None     # set for unambiguous full dates
    weekday_matches: bool = False  # "Friday, March 4, 2022" and March 4, 2022 was a Friday
    ambiguous: list[dt.date] = field(default_factory=list)   # the readings of an ambiguous numeric date


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str, line: int = 1) -> list[DateMention]:
    """All dates written in ``text``, left to right, each once."""
    found: list[tuple[int, DateMention]] = []
    # characters already inside a date: one flag per character, so a text of thousands of
    # dates is checked in linear time (a list of spans would make it quadratic)
    taken = bytearray(len(text))

    def free(m: re.Match) -> bool:
        return not any(taken[m.start():m.end()])

    for kind, rx in PATTERNS:
        for m in rx.finditer(text):
            if not free(m):
                continue
            g = m.groupdict()
            mention = None
            if kind in ("iso", "slash-iso", "dotted"):
                d = _date(int(g["year"]), int(g["m"]), int(g["d"]))
                if d:
                    mention = DateMention(m.group(0), line, d.isoformat(), d)
            elif kind in ("mdy", "dmy"):
                d = _date(int(g["year"]), MONTHS[g["mon"].lower().rstrip(".")[:3]], int(g["d"]))
                if d:
                    wd = g.get("wd")
                    matches = bool(wd) and WEEKDAYS[d.weekday()].startswith(wd.lower())
                    mention = DateMention(m.group(0), line, d.isoformat(), d, weekday_matches=matches)
            elif kind == "numeric":
                a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
                year = y + 2000 if y < 100 else y
                readings = sorted({r for r in (_date(year, a, b), _date(year, b, a)) if r})
                if len(readings) == 1:
                    mention = DateMention(m.group(0), line, readings[0].isoformat(), readings[0])
                elif len(readings) == 2:
                    mention = DateMention(m.group(0), line, str(year), None, ambiguous=readings)
            elif kind == "month":
                month = MONTHS[g["mon"].lower().rstrip(".")[:3]]
                mention = DateMention(m.group(0), line, f"{int(g['year']):04d}-{month:02d}")
            if mention:
                found.append((m.start(), mention))
                taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    return [m for _, m in sorted(found, key=lambda x: x[0])]


def weekdays_mentioned(text: str) -> set[int]:
    """Weekday numbers (Monday=0) the text mentions, as in "on Friday" or "Friday night"."""
    return {WEEKDAYS.index(m.group("wd").lower()) for m in WEEKDAY_MENTION.finditer(text)}


def next_weekday(after: dt.date, weekday: int) -> dt.date:
    """The first date strictly after ``after`` falling on ``weekday``."""
    days = (weekday - after.weekday()) % 7 or 7
    return after + dt.timedelta(days=days)


_SIMPLE_EDTF = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@functools.lru_cache(maxsize=4096)
def is_valid_edtf(value: str) -> bool:
    """True when ``value`` parses as EDTF (levels 0-2), e.g. 2022-03-04, 2022-12, 2022?, 2022-03/2022-05.

    Plain days, months and years are checked directly; anything else goes to the ``edtf``
    package's parser, which is exact but slow (tens of milliseconds a value)."""
    simple = _SIMPLE_EDTF.match(value)
    if simple:
        year, month, day = simple.groups()
        if month is None:
            return True
        if day is None:
            return 1 <= int(month) <= 12
        return _date(int(year), int(month), int(day)) is not None
    from edtf import parse_edtf
    from edtf.parser.edtf_exceptions import EDTFParseException

    try:
        parse_edtf(value)
    except (EDTFParseException, ValueError, TypeError):
        return False
    except Exception:  # noqa: BLE001 - the parser raises assorted errors on odd input
        return False
    return True


def normalise_edtf(value) -> str | None:
    """Front-matter dates may be written as dates or strings; return a valid EDTF string or None."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()        # strftime writes the year 999 as '999', not EDTF's '0999'
    if isinstance(value, int) and 0 < value < 10000:
        value = f"{value:04d}"
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if value and is_valid_edtf(value) else None


def edtf_sort_key(value: str | None) -> str:
    """A string that sorts EDTF values chronologically (undated last)."""
    if not value:
        return "9999"
    m = re.match(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value.lstrip("~?.%/"))
    if not m:
        return "9999"
    return f"{m.group(1)}-{m.group(2) or '00'}-{m.group(3) or '00'}"


def year_month(value: str | None) -> tuple[str | None, str | None]:
    """('2022', '03') for '2022-03-04', ('2022', None) for '2022?' and (None, None) when undated."""
    if not value:
        return None, None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?", value.lstrip("~?.%/"))
    if not m:
        return None, None
    month = m.group(2) if m.group(2) and 1 <= int(m.group(2)) <= 12 else None
    return m.group(1), month
