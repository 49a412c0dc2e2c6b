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
articles take seconds. An article with more than ``EXACT_PARTNERS`` later articles in its date
window (hundreds of reports on one day, or dated only to a month) is compared only with those
sharing one of its ``KEY_TERMS`` rarest words (that another article has too), the nearest
``TERM_NEIGHBOURS`` per word: blocking, so the work stays linear where comparing every pair grew with its square (4,000
articles on one day took 18 s and 1.9 GB). Runs over finished ``Record`` values, nothing else.
"""

from __future__ import annotations

import bisect
import itertools
import datetime as dt
from dataclasses import dataclass

from ..core.dates import ArchiveDate
from ..core.models import Record
from .terms import tfidf_matrix

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
# Blocking: past EXACT_PARTNERS later articles in its window, an article is compared with the
# TERM_NEIGHBOURS next articles sharing each of its KEY_TERMS rarest shared words and word pairs
EXACT_PARTNERS = 300
KEY_TERMS = 12
TERM_NEIGHBOURS = 8


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
    date = ArchiveDate.parse(value)
    if date.uncertain or date.precision not in ("month", "day"):
        return None
    try:
        year, month = date.parts[0], date.parts[1]
        if date.precision == "day":
            day = dt.date(year, month, date.parts[2]).toordinal()
            return day, day
        first = dt.date(year, month, 1)
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    except ValueError:
        return None
    return first.toordinal(), last.toordinal()


def _text(record: Record) -> str:
    title = record.title.value if record.title.method not in ("lede", "file name") else ""
    return "\n".join([title or "", *(p.text for p in record.paragraphs)])


def candidate_pairs(spans: list[tuple[int, int] | None], matrix=None) -> list[tuple[int, int, int]]:
    """(i, j, days apart), i < j, for the pairs of dated articles at most WINDOW_DAYS apart that
    are compared.

    Sorted by first day, each article's window is the run of articles that start before its own
    span ends plus the window. An article with at most EXACT_PARTNERS after it in that run is
    paired with each. One with more (a crowded day, a date known only to the month) is paired
    only through its key words (``key_terms`` of the TF-IDF ``matrix``): with the next
    TERM_NEIGHBOURS articles of its window holding each, and with the TERM_NEIGHBOURS articles
    just before a later article that hold one of that article's key words. Without ``matrix``
    every pair in the window is listed (quadratic on a crowded day)."""
    order = sorted((s[0], s[1], i) for i, s in enumerate(spans) if s and s[1] - s[0] < MAX_SPAN_DAYS)
    starts = [start for start, _, _ in order]
    ends = [bisect.bisect_right(starts, end + WINDOW_DAYS) for _, end, _ in order]
    crowded = [matrix is not None and hi - k - 1 > EXACT_PARTNERS for k, hi in enumerate(ends)]
    import numpy as np

    k, p = _window_positions(ends, crowded)
    if any(crowded):
        blocked = np.array(sorted(_blocked_pairs(matrix, order, ends, crowded)), np.int64).reshape(-1, 2)
        k, p = np.concatenate((k, blocked[:, 0])), np.concatenate((p, blocked[:, 1]))
    return _pairs_at(order, k, p)


def _window_positions(ends: list[int], crowded: list[bool]):
    """(k, p) for every p after k in its window, k not crowded, as two arrays."""
    import numpy as np

    ks = np.arange(len(ends), dtype=np.int64)
    counts = np.where(np.array(crowded, bool), 0, np.array(ends, np.int64) - ks - 1)
    k = np.repeat(ks, counts)
    return k, k + 1 + np.arange(len(k)) - np.repeat(np.cumsum(counts) - counts, counts)


def _pairs_at(order, k, p) -> list[tuple[int, int, int]]:
    """(i, j, days apart), sorted, of the pairs at positions (k, p) in date ``order``."""
    import numpy as np

    index, first, last = (np.array([o[n] for o in order], np.int64) for n in (2, 0, 1))
    i, j = index[k], index[p]
    gap = np.maximum(0, first[p] - last[k])
    a, b = np.minimum(i, j), np.maximum(i, j)
    o = np.lexsort((gap, b, a))
    return list(zip(a[o].tolist(), b[o].tolist(), gap[o].tolist()))


def _blocked_pairs(matrix, order, ends: list[int], crowded: list[bool]) -> set[tuple[int, int]]:
    """(k, p), k < p positions in date order, k crowded, p in k's window: the pairs that share a key
    word of one of them among its TERM_NEIGHBOURS nearest holders (see ``candidate_pairs``)."""
    import numpy as np

    position = np.full(matrix.shape[0], -1)
    position[[i for _, _, i in order]] = np.arange(len(order))
    csc = matrix.tocsc()
    held = position[csc.indices]                     # who holds each word, as date-order positions
    words = np.repeat(np.arange(matrix.shape[1]), np.diff(csc.indptr))
    dated = held >= 0
    held, words = held[dated], words[dated]
    held = held[np.lexsort((held, words))]
    start = np.concatenate(([0], np.cumsum(np.bincount(words, minlength=matrix.shape[1]))))
    keys = key_terms(matrix)
    out: set[tuple[int, int]] = set()
    for k, (_, _, i) in enumerate(order):
        for word in keys[i]:
            holders = held[start[word]:start[word + 1]]
            at = int(np.searchsorted(holders, k))      # k itself holds the word
            if crowded[k]:
                out.update((k, p) for p in holders[at + 1:at + 1 + TERM_NEIGHBOURS].tolist() if p < ends[k])
            out.update((p, k) for p in holders[max(0, at - TERM_NEIGHBOURS):at].tolist()
                       if crowded[p] and k < ends[p])
    return out


def key_terms(matrix) -> list[tuple[int, ...]]:
    """Each row's KEY_TERMS rarest columns that at least one other row shares (ties: the higher
    weight, then the lower column): the words most likely to find the same event elsewhere."""
    import numpy as np

    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    out = []
    for r in range(matrix.shape[0]):
        lo, hi = matrix.indptr[r], matrix.indptr[r + 1]
        cols, weights = matrix.indices[lo:hi], matrix.data[lo:hi]
        shared = df[cols] > 1
        cols, weights = cols[shared], weights[shared]
        best = np.lexsort((cols, -weights))[:KEY_TERMS]
        out.append(tuple(int(c) for c in cols[best]))
    return out


def find_links(records: list[Record], quoted_together=frozenset(), cache=None) -> list[Link]:
    """Every pair of articles that reports the same event, with the evidence.

    ``quoted_together`` holds ``frozenset({id_a, id_b})`` for the pairs of articles that carry
    the same quotation (see quotes.group_quotes); ``cache`` (``core.cache.Cache``) keeps each
    text's word counts between builds (``terms.tfidf_matrix``)."""
    records = sorted(records, key=lambda r: r.id)      # results independent of the input order
    spans = [date_span(r.date.value) for r in records]
    if not any(spans):
        return []
    matrix = tfidf_matrix([_text(r) for r in records], cache)
    if matrix is None:       # no words at all (every text empty or stop words)
        return []
    pairs = candidate_pairs(spans, matrix)
    if not pairs:
        return []
    cosines = _cosines_that_count(matrix, pairs, spans)
    people = [set(r.people_names) for r in records]
    links = []
    for k in _at_least(cosines, TEXT_WITH_PEOPLE):     # below that, below every threshold of is_same_story
        (i, j, gap), cosine = pairs[k], cosines[k]
        shared = tuple(sorted(people[i] & people[j]))
        quoted = frozenset((records[i].id, records[j].id)) in quoted_together
        if is_same_story(float(cosine), len(shared), quoted):
            links.append(Link(records[i].id, records[j].id, round(float(cosine), 4), shared, gap, quoted))
    return links


def _at_least(values: list[float], threshold: float) -> list[int]:
    """The positions of the values at least ``threshold``, in order."""
    import numpy as np

    return np.flatnonzero(np.asarray(values) >= threshold).tolist()


PAIR_CHUNK = 2_000    # candidate pairs whose cosines are computed at once (their two rows copied:
#                       20,000 pairs of long articles took 250 MB at once, for no gain in time)
# a first, cheaper estimate of every cosine (one sparse product per run of articles in date order)
# leaves out the pairs that cannot reach TEXT_WITH_PEOPLE: its error is a few units in the last
# place, far inside ESTIMATE_MARGIN; the others are computed exactly as before
ESTIMATE_MARGIN = 1e-9
ESTIMATE_BLOCK = 256      # articles (in date order) whose pairs are estimated at once
ESTIMATE_REACH = 1024     # ... with partners at most this many places later in date order (else exact)


def _cosines_that_count(matrix, pairs: list[tuple[int, int, int]], spans) -> list[float]:
    """The cosine of each candidate pair where it may reach TEXT_WITH_PEOPLE, exactly as
    ``_pair_cosines`` computes it; for the other pairs an estimate below that threshold."""
    import numpy as np

    estimate, sure = _estimated_cosines(matrix, pairs, spans)
    keep = np.flatnonzero(~sure | (estimate >= TEXT_WITH_PEOPLE - ESTIMATE_MARGIN)).tolist()
    out = estimate.tolist()
    for k, value in zip(keep, _pair_cosines(matrix, [pairs[k] for k in keep])):
        out[k] = value
    return out


def _estimated_cosines(matrix, pairs: list[tuple[int, int, int]], spans):
    """(an estimate of each pair's cosine, whether it was estimated), as arrays: the rows in date order, one
    sparse product of ESTIMATE_BLOCK rows with the rows up to ESTIMATE_REACH places after them; a
    pair further apart is not estimated."""
    import numpy as np

    order = np.array(sorted(range(len(spans)), key=lambda i: (spans[i] is None, spans[i] or (0, 0), i)))
    place = np.empty(len(order), np.int64)
    place[order] = np.arange(len(order))
    ij = np.fromiter(itertools.chain.from_iterable(pairs), np.int64, 3 * len(pairs)).reshape(-1, 3)
    lo, hi = np.minimum(place[ij[:, 0]], place[ij[:, 1]]), np.maximum(place[ij[:, 0]], place[ij[:, 1]])
    rows = matrix[order]
    estimate = np.zeros(len(pairs))
    sure = (hi - lo) < ESTIMATE_REACH
    block = lo // ESTIMATE_BLOCK
    for b in np.unique(block[sure]).tolist():
        chosen = np.flatnonzero(sure & (block == b))
        start = b * ESTIMATE_BLOCK
        end = min(int(hi[chosen].max()) + 1, len(order))
        product = (rows[start:start + ESTIMATE_BLOCK] @ rows[start:end].T).toarray()
        estimate[chosen] = product[lo[chosen] - start, hi[chosen] - start]
    return estimate, sure



def _pair_cosines(matrix, pairs: list[tuple[int, int, int]]) -> list[float]:
    """Cosine of each candidate pair (rows are L2-normalised): the two rows multiplied term by term
    and summed, a chunk of pairs at a time, so the work follows the number of candidates."""
    import numpy as np

    out: list[float] = []
    for first in range(0, len(pairs), PAIR_CHUNK):
        chunk = pairs[first:first + PAIR_CHUNK]
        rows_a = matrix[[i for i, _, _ in chunk]]
        rows_b = matrix[[j for _, j, _ in chunk]]
        out += np.asarray(rows_a.multiply(rows_b).sum(axis=1)).ravel().tolist()
    return out


def is_same_story(cosine: float, shared_people: int, shared_quotation: bool = False) -> bool:
    """The decision rule for one candidate pair (dates already within the window)."""
    return cosine >= TEXT_ALONE or (cosine >= TEXT_WITH_PEOPLE and shared_people >= MIN_SHARED_PEOPLE
                                    and shared_quotation)


def group_stories(records: list[Record], quoted_together=None, cache=None) -> list[Story]:
    """Stories of two or more articles, ordered by their earliest article; deterministic.

    Links are joined strongest first (ties by article ids); a join whose story would span
    more than STORY_MAX_DAYS is skipped, so a chain of day-to-day links cannot make one story
    of a whole campaign. ``quoted_together``: pairs of articles carrying the same quotation
    (``quote_pairs``); found here when not given. ``cache``: see ``find_links``."""
    if quoted_together is None:
        from .quotes import group_quotes

        quoted_together = quote_pairs(group_quotes(records))
    links = find_links(records, quoted_together, cache)
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
    return record.when.sort_key


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
