"""Stories: articles from different outlets that report the same event.

Two articles are linked when their dates are close *and* they say the same things: the
TF-IDF cosine of their clean text is high, or moderately high while they name the same
people *and* carry the same quotation (a reporter's words are shared by coincidence; a
speaker's words at one event are not). Linked articles form a story: links are joined
strongest first, and a join that would make a story span more than ``STORY_MAX_DAYS`` is
refused, so daily coverage of a long war never chains into one story of a thousand reports
(plain connected groups did exactly that). The thresholds below were chosen
on the labelled pairs in ``tests/stories/pairs.yml`` (see benchmarks/README.md, "Stories and quotations"); the
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
# A story is one event: its reports lie within STORY_MAX_DAYS of each other (first to last day)
STORY_MAX_DAYS = 7
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


def find_links(records: list[Record], quoted_together=frozenset()) -> list[Link]:
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


def group_stories(records: list[Record], quoted_together=None) -> list[Story]:
    """Stories of two or more articles, ordered by their earliest article; deterministic.

    Links are joined strongest first (ties by article ids); a join whose story would span
    more than STORY_MAX_DAYS is skipped, so a chain of day-to-day links cannot make one story
    of a whole campaign. ``quoted_together``: pairs of articles carrying the same quotation
    (``quote_pairs``); found here when not given."""
    if quoted_together is None:
        from .quotes import group_quotes

        quoted_together = quote_pairs(group_quotes(records))
    links = find_links(records, quoted_together)
    spans = {r.id: date_span(r.date.value) for r in records}
    parent = {r.id: r.id for r in records}
    extent = {}          # root -> (first day, last day) of its story

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in sorted(links, key=lambda lk: (-lk.cosine, lk.a, lk.b)):
        ra, rb = root(link.a), root(link.b)
        if ra == rb:
            continue
        ea, eb = extent.get(ra, spans[ra]), extent.get(rb, spans[rb])
        first, last = min(ea[0], eb[0]), max(ea[1], eb[1])
        if last - first > STORY_MAX_DAYS:
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        extent[keep] = (first, last)
    key = {r.id: (_sort_date(r), r.id) for r in records}
    members: dict[str, list[str]] = {}
    for r in records:
        members.setdefault(root(r.id), []).append(r.id)
    kept_links: dict[str, list[Link]] = {}
    for link in links:
        ra = root(link.a)
        if ra == root(link.b):
            kept_links.setdefault(ra, []).append(link)
    stories = []
    for top, ids in members.items():
        if len(ids) < 2:
            continue
        ids.sort(key=lambda i: key[i])
        story_links = tuple(sorted(kept_links.get(top, ()), key=lambda lk: (lk.a, lk.b)))
        stories.append(Story(story_id(ids[0]), tuple(ids), story_links))
    return sorted(stories, key=lambda s: key[s.articles[0]])


def story_id(earliest_article_id: str) -> str:
    """'story-<id of the earliest article>': stable while that article stays in the story."""
    return f"story-{earliest_article_id}"


def _sort_date(record: Record) -> str:
    from .dates import edtf_sort_key

    return edtf_sort_key(record.date.value)


class QuotePairs:
    """Which pairs of articles carry the same quotation: ``frozenset({a, b}) in pairs``.

    Kept as each article's set of quotation groups, not as the pairs themselves: a quotation
    carried by 600 articles would be 180,000 pairs, and only candidate pairs are ever asked."""

    def __init__(self, groups) -> None:
        self._groups: dict[str, set[int]] = {}
        for k, g in enumerate(groups):
            articles = set(g.articles)
            if len(articles) > 1:
                for a in articles:
                    self._groups.setdefault(a, set()).add(k)

    def __contains__(self, pair) -> bool:
        if len(pair) != 2:
            return False
        a, b = tuple(pair)
        ga, gb = self._groups.get(a), self._groups.get(b)
        return bool(ga and gb and not ga.isdisjoint(gb))

    def __len__(self) -> int:
        """The number of distinct pairs (counted, not stored: for reports on small archives)."""
        by_group: dict[int, list[str]] = {}
        for a, groups in self._groups.items():
            for k in groups:
                by_group.setdefault(k, []).append(a)
        pairs = set()
        for ids in by_group.values():
            ids.sort()
            pairs.update((a, b) for n, a in enumerate(ids) for b in ids[n + 1:])
        return len(pairs)


def quote_pairs(groups) -> QuotePairs:
    """Pairs of articles carrying the same quotation, from quote groups."""
    return QuotePairs(groups)


def by_article(stories: list[Story]) -> dict[str, Story]:
    """Article id -> its story."""
    return {aid: s for s in stories for aid in s.articles}
