"""Stories: articles from different outlets that report the same event.

Two articles are linked when their dates are close *and* they say the same things: the
TF-IDF cosine of their clean text is high, or moderately high while they name the same
people *and* carry the same quotation (a reporter's words are shared by coincidence; a
speaker's words at one event are not). Linked articles form a story (connected groups). The thresholds below were chosen
on the labelled pairs in ``tests/stories/pairs.yml`` (see README, "Stories"); the
benchmark ``benchmarks/stories.py`` prints precision and recall for them.

Archive-wide and cheap: one sparse TF-IDF matrix over all records, and similarities only for
candidate pairs whose dates fall within ``WINDOW_DAYS`` of each other, so ten thousand
articles take seconds. Runs over finished ``Record`` values, nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .models import Record

# Dates: two articles can report one event only if their dates are at most WINDOW_DAYS apart.
# A date known only to the year (or vaguer) cannot show that: its span is over MAX_SPAN_DAYS.
WINDOW_DAYS = 3
MAX_SPAN_DAYS = 31
# Wording: cosine of TF-IDF vectors (words and word pairs, English stop words out, sublinear tf).
TEXT_ALONE = 0.25          # this similar: same story even without a shared person or quotation
TEXT_WITH_PEOPLE = 0.14    # this similar, naming MIN_SHARED_PEOPLE of the same people and quoting the same words
MIN_SHARED_PEOPLE = 1


@dataclass(frozen=True)
class Link:
    """Evidence that two articles report the same event."""

    a: str
    b: str
    cosine: float
    shared_people: tuple[str, ...]
    days_apart: int
    shared_quotation: bool = False


@dataclass(frozen=True)
class Story:
    """A group of articles reporting one event; ``id`` derives from the earliest article's id."""

    id: str
    articles: tuple[str, ...]      # record ids, earliest first
    links: tuple[Link, ...] = ()


def date_span(value: str | None) -> tuple[int, int] | None:
    """First and last possible day (proleptic ordinals) of an EDTF date known to the month or
    day; None for undated, year-only, uncertain or otherwise vaguer dates."""
    if not value or any(c in value for c in "?~%X/."):
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if not m:
        return None
    try:
        year, month = int(m.group(1)), int(m.group(2))
        if m.group(3):
            day = dt.date(year, month, int(m.group(3))).toordinal()
            return day, day
        first = dt.date(year, month, 1)
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    except ValueError:
        return None
    return first.toordinal(), last.toordinal()


def _text(record: Record) -> str:
    title = record.title.value if record.title.method not in ("lede", "file name") else ""
    return "\n".join([title or "", *(p.text for p in record.paragraphs)])


def candidate_pairs(spans: list[tuple[int, int] | None]) -> list[tuple[int, int, int]]:
    """(i, j, days apart) for every pair of dated articles at most WINDOW_DAYS apart, i < j.

    Sorted by first day, each article is compared only with those starting before its own
    span ends plus the window: linear in the archive for a steady flow of articles."""
    order = sorted((s[0], s[1], i) for i, s in enumerate(spans) if s and s[1] - s[0] < MAX_SPAN_DAYS)
    out = []
    for k, (start, end, i) in enumerate(order):
        for start2, end2, j in order[k + 1:]:
            if start2 > end + WINDOW_DAYS:
                break
            gap = max(0, start2 - end, start - end2)
            if gap <= WINDOW_DAYS:
                out.append((min(i, j), max(i, j), gap))
    return sorted(out)


def find_links(records: list[Record], quoted_together: frozenset = frozenset()) -> list[Link]:
    """Every pair of articles that reports the same event, with the evidence.

    ``quoted_together`` holds ``frozenset({id_a, id_b})`` for the pairs of articles that carry
    the same quotation (see quotes.group_quotes)."""
    records = sorted(records, key=lambda r: r.id)      # results independent of the input order
    spans = [date_span(r.date.value) for r in records]
    pairs = candidate_pairs(spans)
    if not pairs:
        return []
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, ngram_range=(1, 2),
                                 token_pattern=r"(?u)\b[^\W\d_][\w'’-]+\b")
    try:
        matrix = vectorizer.fit_transform([_text(r) for r in records])
    except ValueError:       # no words at all (every text empty or stop words)
        return []
    cosines = _pair_cosines(matrix, pairs, spans)
    people = [set(r.people_names) for r in records]
    links = []
    for (i, j, gap), cosine in zip(pairs, cosines):
        shared = tuple(sorted(people[i] & people[j]))
        quoted = frozenset((records[i].id, records[j].id)) in quoted_together
        if is_same_story(float(cosine), len(shared), quoted):
            links.append(Link(records[i].id, records[j].id, round(float(cosine), 4), shared, gap, quoted))
    return links


BLOCK = 512   # articles per block of the date-ordered similarity computation


def _pair_cosines(matrix, pairs: list[tuple[int, int, int]], spans) -> list[float]:
    """Cosine of each candidate pair (rows are L2-normalised). Articles in date order are taken
    in blocks; a block is multiplied only with the articles up to its last candidate partner,
    so the work follows the number of candidates, never the square of the archive."""
    order = sorted((i for i, s in enumerate(spans) if s), key=lambda i: (spans[i][0], i))
    position = {i: k for k, i in enumerate(order)}
    ordered = matrix[order]
    by_block: dict[int, list[tuple[int, int, int]]] = {}
    for n, (i, j, _) in enumerate(pairs):
        a, b = sorted((position[i], position[j]))
        by_block.setdefault(a // BLOCK, []).append((n, a, b))
    out = [0.0] * len(pairs)
    for block, items in by_block.items():
        first = block * BLOCK
        last = max(b for _, _, b in items)
        product = (ordered[first:first + BLOCK] @ ordered[first:last + 1].T).toarray()
        for n, a, b in items:
            out[n] = float(product[a - first, b - first])
    return out


def is_same_story(cosine: float, shared_people: int, shared_quotation: bool = False) -> bool:
    """The decision rule for one candidate pair (dates already within the window)."""
    return cosine >= TEXT_ALONE or (cosine >= TEXT_WITH_PEOPLE and shared_people >= MIN_SHARED_PEOPLE
                                    and shared_quotation)


def group_stories(records: list[Record], quoted_together: frozenset | None = None) -> list[Story]:
    """Stories of two or more articles, ordered by their earliest article; deterministic.

    ``quoted_together``: pairs of articles carrying the same quotation; found here when not given."""
    if quoted_together is None:
        from .quotes import group_quotes

        quoted_together = quote_pairs(group_quotes(records))
    links = find_links(records, quoted_together)
    parent = {r.id: r.id for r in records}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        ra, rb = root(link.a), root(link.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    key = {r.id: (_sort_date(r), r.id) for r in records}
    members: dict[str, list[str]] = {}
    for r in records:
        members.setdefault(root(r.id), []).append(r.id)
    stories = []
    for ids in members.values():
        if len(ids) < 2:
            continue
        ids.sort(key=lambda i: key[i])
        story_links = tuple(sorted((lk for lk in links if lk.a in ids), key=lambda lk: (lk.a, lk.b)))
        stories.append(Story(story_id(ids[0]), tuple(ids), story_links))
    return sorted(stories, key=lambda s: key[s.articles[0]])


def story_id(earliest_article_id: str) -> str:
    """'story-<id of the earliest article>': stable while that article stays in the story."""
    return f"story-{earliest_article_id}"


def _sort_date(record: Record) -> str:
    from .dates import edtf_sort_key

    return edtf_sort_key(record.date.value)


def quote_pairs(groups) -> frozenset:
    """Pairs of articles (frozensets of two ids) carrying the same quotation, from quote groups."""
    out = set()
    for g in groups:
        ids = sorted(set(g.articles))
        out.update(frozenset((a, b)) for k, a in enumerate(ids) for b in ids[k + 1:])
    return frozenset(out)


def by_article(stories: list[Story]) -> dict[str, Story]:
    """Article id -> its story."""
    return {aid: s for s in stories for aid in s.articles}
