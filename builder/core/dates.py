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


def _month_number(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")[:3]]


def _numeric_day(m: re.Match, line: int) -> DateMention | None:
    """2022-03-04, 2022/3/4, 4.3.2022: a day whose order is fixed by the form."""
    g = m.groupdict()
    d = _date(int(g["year"]), int(g["m"]), int(g["d"]))
    return DateMention(m.group(0), line, d.isoformat(), d) if d else None


def _written_day(m: re.Match, line: int) -> DateMention | None:
    """March 4, 2022 or 4 March 2022, noting whether a weekday written with it matches."""
    g = m.groupdict()
    d = _date(int(g["year"]), _month_number(g["mon"]), int(g["d"]))
    if not d:
        return None
    wd = g.get("wd")
    matches = bool(wd) and WEEKDAYS[d.weekday()].startswith(wd.lower())
    return DateMention(m.group(0), line, d.isoformat(), d, weekday_matches=matches)


def _ambiguous_day(m: re.Match, line: int) -> DateMention | None:
    """11/12/22: one reading is a day; two readings (day and month could swap) keep the year only."""
    g = m.groupdict()
    a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
    year = y + 2000 if y < 100 else y
    readings = sorted({r for r in (_date(year, a, b), _date(year, b, a)) if r})
    if len(readings) == 1:
        return DateMention(m.group(0), line, readings[0].isoformat(), readings[0])
    if len(readings) == 2:
        return DateMention(m.group(0), line, str(year), None, ambiguous=readings)
    return None


def _month(m: re.Match, line: int) -> DateMention:
    """March 2022: known to the month."""
    g = m.groupdict()
    return DateMention(m.group(0), line, f"{int(g['year']):04d}-{_month_number(g['mon']):02d}")


# how each pattern's match becomes a mention (None: not a real date)
_READERS = {"iso": _numeric_day, "slash-iso": _numeric_day, "dotted": _numeric_day, "mdy": _written_day,
            "dmy": _written_day, "numeric": _ambiguous_day, "month": _month}


def find_dates(text: str, line: int = 1) -> list[DateMention]:
    """All dates written in ``text``, left to right, each once (the patterns are tried in order,
    and a later one never reads characters an earlier one took)."""
    found: list[tuple[int, DateMention]] = []
    # characters already inside a date: one flag per character, so a text of thousands of
    # dates is checked in linear time (a list of spans would make it quadratic)
    taken = bytearray(len(text))
    for kind, rx in PATTERNS:
        for m in rx.finditer(text):
            if any(taken[m.start():m.end()]):
                continue
            mention = _READERS[kind](m, line)
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
    return ArchiveDate.parse(value).sort_key


def year_month(value: str | None) -> tuple[str | None, str | None]:
    """('2022', '03') for '2022-03-04', ('2022', None) for '2022?' and (None, None) when undated."""
    date = ArchiveDate.parse(value)
    return date.year, date.month


# ---------------------------------------------------------------------------------------
# a record's date, parsed once
# ---------------------------------------------------------------------------------------

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
_QUALIFIERS = ("?", "~", "%")
_PLAIN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")          # YYYY, YYYY-MM, YYYY-MM-DD
_LEADING = re.compile(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")        # the year (month, day) an EDTF value starts with


@dataclass(frozen=True)
class ArchiveDate:
    """A record's date: the EDTF string it carries, parsed once into what the outputs need.

    ``precision`` is "day", "month" or "year" for a plain date (with or without a ``?~%``
    qualifier), "interval" for ``a/b``, "unknown" for anything else ('202X', '2022-XX') or no date.
    Every output reads these fields; none parses the string again."""

    edtf: str | None
    precision: str = "unknown"
    parts: tuple[int, ...] = ()     # (2022, 3, 4), (2022, 12), (2022,): a plain date's parts, qualifier aside
    uncertain: bool = False         # ends in '?', '~' or '%'
    plain: bool = False             # written as YYYY, YYYY-MM or YYYY-MM-DD, nothing else
    sort_key: str = "9999"          # sorts chronologically, undated last
    year: str | None = None         # the year it starts in ('2022' for '2022-03/2022-05', '~2022')
    month: str | None = None        # and its month, when one is written (01-12)
    start: str | None = None        # its first day, YYYY-MM-DD (month and day 01 when not known)

    @staticmethod
    @functools.lru_cache(maxsize=65536)
    def parse(value: str | None) -> ArchiveDate:
        """The date of an EDTF string (None or '' for undated)."""
        if not value:
            return ArchiveDate(None)
        parts = _plain_parts(value)
        lead = _LEADING.match(value.lstrip("~?.%/"))
        y, m, d = lead.groups() if lead else (None, None, None)
        year = y if y and not y.startswith("-") else None
        return ArchiveDate(
            value, precision=_precision(value, parts), parts=parts, uncertain=value.endswith(_QUALIFIERS),
            plain=bool(_PLAIN.match(value)),
            sort_key=f"{y}-{m or '00'}-{d or '00'}" if y else "9999", year=year,
            month=m if year and m and 1 <= int(m) <= 12 else None, start=_first_day(year, m, d))

    def __bool__(self) -> bool:
        return self.edtf is not None

    @property
    def iso(self) -> str | None:
        """The ISO 8601 form when the date has one ('2022-03-04', '2022-12', '2022'): plain and certain."""
        if not self.parts or self.uncertain:
            return None
        return "-".join([f"{self.parts[0]:04d}", *[f"{p:02d}" for p in self.parts[1:]]])

    @property
    def day(self) -> str | None:
        """The day of the month ('04') of a date written as YYYY-MM-DD."""
        return self.edtf[8:10] if self.plain and self.precision == "day" else None

    @property
    def human(self) -> str:
        """The one form a reader sees: '4 March 2022', 'December 2022', '2022 (uncertain)',
        'undated'; other EDTF ('2022-03/2022-05', '202X') as written."""
        if self.edtf is None:
            return "undated"
        if not self.parts or len(self.parts) < len(_written_parts(self.edtf)):
            return self.edtf
        words = [str(self.parts[2])] if len(self.parts) > 2 else []
        if len(self.parts) > 1:
            words.append(MONTH_NAMES[self.parts[1] - 1])
        text = " ".join([*words, str(self.parts[0])])
        return f"{text} (uncertain)" if self.uncertain else text


def _written_parts(value: str) -> tuple[str, ...]:
    m = _PLAIN.match(value.rstrip("?~%"))
    return tuple(g for g in m.groups() if g) if m else ()


def _plain_parts(value: str) -> tuple[int, ...]:
    """(2022, 3, 4) for '2022-03-04', (2022,) for '2022?' or a season '2022-21'; () otherwise."""
    parts = tuple(int(g) for g in _written_parts(value))
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return parts[:1]
    return parts


def _precision(value: str, parts: tuple[int, ...]) -> str:
    if parts:
        return ("year", "month", "day")[len(parts) - 1]
    return "interval" if "/" in value else "unknown"


def _first_day(year: str | None, month: str | None, day: str | None) -> str | None:
    """The first day a date can mean, as text (a month or day out of range counts as 01)."""
    if not year:
        return None
    month = month if month and 1 <= int(month) <= 12 else "01"
    day = day if day and 1 <= int(day) <= 31 else "01"
    return f"{year}-{month}-{day}"
