"""Charts: articles per month as a static inline SVG bar chart, made at build time.

No script and no external request: the SVG scales to the page width (``viewBox``,
``width="100%"``), so it stays readable on a phone, and carries its own text alternative
(``<title>``, ``<desc>``, ``aria-labelledby``) plus a visually hidden table of the same figures
for screen readers and text browsers. Articles dated only to the year (or undated) have no
month: they are counted in a note under the chart, not drawn.
"""

from __future__ import annotations

import html
from collections import Counter

from ..core.dates import year_month

MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
MAX_MONTHS = 96           # a longer span is drawn per year, so bars never become hairlines
BAR_WIDTH, GAP, HEIGHT, TOP, BOTTOM = 18, 6, 64, 16, 32
MIN_SLOTS = 12            # a chart is at least a year wide, so one bar never fills the page
SCALE = 1.5               # largest drawing: this many CSS pixels per unit of the viewBox


def month_counts(dates: list[str | None]) -> tuple[Counter, int]:
    """Counter of 'YYYY-MM' -> articles, and the number of articles with no known month."""
    counts: Counter = Counter()
    without = 0
    for value in dates:
        year, month = year_month(value)
        if year and month:
            counts[f"{year}-{month}"] += 1
        else:
            without += 1
    return counts, without


def _label(key: str) -> str:
    if len(key) == 4:
        return key
    return f"{MONTH_NAMES[int(key[5:]) - 1]} {key[:4]}"


def _range(counts: Counter) -> list[str]:
    """Every month of the years from the first to the last with articles (or every year, for long
    spans): whole years, so a single month shows where it falls."""
    first, last = min(counts), max(counts)
    y, m = int(first[:4]), 1
    ly, lm = int(last[:4]), 12
    months = (ly - y) * 12 + (lm - m) + 1
    if months > MAX_MONTHS:
        # four digits, as the month keys' years: a year before 1000 is '0999', never a 3-letter key
        return [f"{year:04d}" for year in range(y, ly + 1)]
    out = []
    for _ in range(months):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _bar(x: int, key: str, value: int, peak: int) -> list[str]:
    """One slot's bar and its count (nothing for an empty slot)."""
    if not value:
        return []
    h = round(HEIGHT * value / peak) if peak else 0
    return [f"<rect x=\"{x}\" y=\"{TOP + HEIGHT - h}\" width=\"{BAR_WIDTH}\" height=\"{h}\">"
            f"<title>{html.escape(_label(key))}: {value}</title></rect>",
            f"<text class=\"count\" x=\"{x + BAR_WIDTH / 2:g}\" y=\"{TOP + HEIGHT - h - 3}\" "
            f"text-anchor=\"middle\">{value}</text>"]


def _axis_labels(x: int, key: str, previous_year: str | None) -> list[str]:
    """Under a slot: a month's initial, and the year under the first month of each year; or a
    year's last two digits when the chart is drawn per year."""
    if len(key) == 4:
        return [f"<text class=\"year\" x=\"{x + BAR_WIDTH / 2:g}\" y=\"{TOP + HEIGHT + 12}\" "
                f"text-anchor=\"middle\">{key[2:]}</text>"]
    out = [f"<text class=\"month\" x=\"{x + BAR_WIDTH / 2:g}\" y=\"{TOP + HEIGHT + 12}\" "
           f"text-anchor=\"middle\">{MONTH_ABBR[int(key[5:]) - 1][0]}</text>"]
    if key[:4] != previous_year:
        out.append(f"<text class=\"year\" x=\"{x}\" y=\"{TOP + HEIGHT + 27}\">{key[:4]}</text>")
    return out


def _svg(keys: list[str], values: list[int], what: str, per: str, summary: str, cid: str) -> str:
    width = max(len(keys), MIN_SLOTS) * (BAR_WIDTH + GAP) + GAP
    peak = max(values)
    parts = [f"<svg class=\"archive-chart-svg\" role=\"img\" aria-labelledby=\"{cid}-t {cid}-d\" "
             f"viewBox=\"0 0 {width} {HEIGHT + TOP + BOTTOM}\" width=\"100%\" preserveAspectRatio=\"xMinYMid meet\" "
             f"style=\"max-width:{round(width * SCALE)}px\" xmlns=\"http://www.w3.org/2000/svg\">",
             f"<title id=\"{cid}-t\">{html.escape(what)} per {per}</title>",
             f"<desc id=\"{cid}-d\">{html.escape(summary)}</desc>",
             f"<line class=\"axis\" x1=\"0\" y1=\"{TOP + HEIGHT}\" x2=\"{width}\" y2=\"{TOP + HEIGHT}\"/>"]
    previous_year = None
    for i, (key, value) in enumerate(zip(keys, values)):
        x = GAP + i * (BAR_WIDTH + GAP)
        parts += _bar(x, key, value, peak) + _axis_labels(x, key, previous_year)
        previous_year = key[:4]
    return "".join(parts) + "</svg>"


def _slots(counts: Counter) -> tuple[list[str], list[int]]:
    """The chart's slots (every month of the span, or every year of a long one) and their counts."""
    keys = _range(counts)
    if len(keys[0]) == 4:
        counts = Counter({y: sum(v for k, v in counts.items() if k[:4] == y) for y in keys})
    return keys, [counts.get(k, 0) for k in keys]


def _description(keys: list[str], busiest: list[tuple[str, int]], what: str, per: str) -> str:
    """The chart's text alternative: its span, then every slot with articles and its count."""
    span = _label(keys[0]) if len(keys) == 1 else f"{_label(keys[0])} to {_label(keys[-1])}"
    return f"{what} per {per}, {span}: " + "; ".join(f"{label}: {v}" for label, v in busiest) + "."


def articles_chart(dates: list[str | None], chart_id: str, what: str = "Articles") -> str:
    """HTML for a bar chart of articles per month (one block, no blank lines: safe in Markdown).

    ``chart_id`` must be unique on the page (it names the title and description elements)."""
    counts, without = month_counts(dates)
    note = _note(without)
    if not counts:
        return f"<div class=\"archive-chart\">{note}</div>" if note else ""
    keys, values = _slots(counts)
    per = "year" if len(keys[0]) == 4 else "month"
    busiest = [(_label(k), v) for k, v in zip(keys, values) if v]
    summary = _description(keys, busiest, what, per)
    svg = _svg(keys, values, what, per, summary, chart_id)
    return f"<div class=\"archive-chart\">{svg}{_table(busiest, what, per)}{note}</div>"


def _note(without: int) -> str:
    """What the chart leaves out: articles known only to the year, and undated ones."""
    if not without:
        return ""
    return (f"<p class=\"archive-chart-note\">Not drawn: {without} article{'s' if without != 1 else ''} "
            f"whose date is known only to the year, or undated.</p>")


def _table(busiest: list[tuple[str, int]], what: str, per: str) -> str:
    """The chart's figures as a table for screen readers."""
    rows = "".join(f"<tr><td>{html.escape(label)}</td><td>{v}</td></tr>" for label, v in busiest)
    return (f"<table class=\"archive-sr-only\"><caption>{html.escape(what)} per {per}</caption>"
            f"<thead><tr><th scope=\"col\">{per.capitalize()}</th><th scope=\"col\">Articles</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")
