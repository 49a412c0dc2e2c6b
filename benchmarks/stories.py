"""Story grouping and quotation matching: quality on labelled pairs, and time at scale.

    python benchmarks/stories.py                 # labelled pairs + 10,000 synthetic articles
    python benchmarks/stories.py -n 2000 --skip-quality

Quality: the project's own corpora (corpus/, tests/labelled, tests/heldout, tests/blind) are
processed and pooled into one archive; every pair in tests/stories/pairs.yml is scored
(a direct link, and membership of one story after grouping), with a sweep of the text
threshold. Scale: the pooled articles' paragraphs are reshuffled into N synthetic articles
over three years (a few outlets a day reporting each event), and story grouping, quotation
extraction and quotation matching are timed (median of 3).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from builder.stages import quotes as Q  # noqa: E402
from builder.stages import stories as S  # noqa: E402
from builder.core.models import Field, Line  # noqa: E402
from builder.pipeline import Project, process_project  # noqa: E402

CORPORA = [(ROOT, "corpus"), (ROOT / "tests" / "labelled", "corpus"), (ROOT / "tests" / "heldout", "corpus"),
           (ROOT / "tests" / "blind", "corpus"), (ROOT / "tests" / "stories", "corpus")]


def pooled_records():
    seen, out = set(), []
    for root, corpus in CORPORA:
        for r in process_project(Project(root, corpus)).records:
            if r.id not in seen:
                seen.add(r.id)
                out.append(r)
    return out


def prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {tp}, fp {fp}, fn {fn})"


def score(records, pairs, quoted=frozenset()) -> tuple[str, str]:
    linked = {frozenset((lk.a, lk.b)) for lk in S.find_links(records, quoted)}
    story = S.by_article(S.group_stories(records, quoted))
    counts = {"link": [0, 0, 0], "story": [0, 0, 0]}
    for a, b, same in pairs:
        for kind, says in (("link", frozenset((a, b)) in linked),
                           ("story", a in story and story[a] is story.get(b))):
            c = counts[kind]
            if says and same:
                c[0] += 1
            elif says:
                c[1] += 1
            elif same:
                c[2] += 1
    return prf(*counts["link"]), prf(*counts["story"])


def quality(records) -> None:
    data = yaml.safe_load((ROOT / "tests" / "stories" / "pairs.yml").read_text(encoding="utf-8"))
    quoted = S.quote_pairs(Q.group_quotes(records))
    print(f"{len(records)} articles pooled; the same quotation carried by {len(quoted)} pairs of articles")
    print(f"thresholds: alone {S.TEXT_ALONE}, with a shared person and quotation {S.TEXT_WITH_PEOPLE}, "
          f"window {S.WINDOW_DAYS} days")
    for key, what in (("pairs", "the project's test corpora"), ("later_pairs", "tests/stories, written later"),
                      (None, "all")):
        pairs = [p for k in (("pairs", "later_pairs") if key is None else (key,)) for p in data.get(k, [])]
        link, story = score(records, pairs, quoted)
        print(f"{what}: {len(pairs)} pairs ({sum(1 for p in pairs if p[2])} same event)")
        print(f"  pairs linked directly : {link}")
        print(f"  pairs in one story    : {story}")
    pairs = data["pairs"] + data.get("later_pairs", [])
    print("sweep of the threshold with a shared person and quotation (all pairs, in one story):")
    saved = S.TEXT_WITH_PEOPLE
    for t in (0.08, 0.10, 0.12, 0.13, 0.14, 0.15, 0.16, 0.18, 0.20, 0.25):
        S.TEXT_WITH_PEOPLE = t
        print(f"  {t:.2f}: {score(records, pairs, quoted)[1]}")
    S.TEXT_WITH_PEOPLE = saved
    print("without the quotation condition (a shared person is enough), all pairs, in one story:")
    saved_rule = S.is_same_story
    S.is_same_story = lambda c, n, q=False: c >= S.TEXT_ALONE or (c >= S.TEXT_WITH_PEOPLE and n >= 1)
    print(f"  {S.TEXT_WITH_PEOPLE:.2f}: {score(records, pairs, quoted)[1]}")
    S.is_same_story = saved_rule
    quote_margin(records)
    seeds = [r for r in records if r.id[:3] in ("000", "001", "002", "003", "004") and "_" in r.id[:4]]
    print("seed archive alone:", [list(s.articles) for s in S.group_stories(seeds)])
    groups = Q.group_quotes(seeds)
    for g in groups:
        if len(g.articles) > 1:
            print(f"  quotation of {g.speaker}: {g.articles}  “{g.quotes[0].text[:60]}…”")


def quote_margin(records) -> None:
    """Containment of every cross-article pair of quoted sentences sharing MIN_SENTENCE_WORDS words:
    the pairs the matcher joins, and the most similar pair it keeps apart."""
    from rapidfuzz.distance import LCSseq

    from builder.core.text import sentences

    sents = [(q.article, s, Q.words(s)) for r in records for q in Q.extract_quotes(r) for s in sentences(q.text)]
    sents = [s for s in sents if len(s[2]) >= Q.MIN_SENTENCE_WORDS]
    joined, apart = [], []
    for i, (a, text_a, wa) in enumerate(sents):
        for b, text_b, wb in sents[i + 1:]:
            if a == b:
                continue
            common = LCSseq.similarity(wa, wb)
            if common < Q.MIN_SENTENCE_WORDS:
                continue
            share = common / min(len(wa), len(wb))
            (joined if Q.same_words(wa, wb) else apart).append((round(share, 2), common, text_a[:40], text_b[:40]))
    print(f"quoted sentences: {len(sents)}; pairs sharing {Q.MIN_SENTENCE_WORDS}+ words in order: "
          f"{len(joined)} joined at >= {Q.MATCH_CONTAINMENT}, {len(apart)} kept apart")
    for share, common, x, y in sorted(joined):
        print(f"  joined {share:.2f} ({common} words): “{x}…” / “{y}…”")
    for share, common, x, y in sorted(apart, reverse=True)[:3]:
        print(f"  apart  {share:.2f} ({common} words): “{x}…” / “{y}…”")


def synthetic(records, n: int, seed: int = 1):
    rng = random.Random(seed)
    paras = [p.text for r in records for p in r.paragraphs if len(p.text) > 60]
    start = dt.date(2021, 1, 1)
    out = []
    while len(out) < n:
        event = rng.sample(paras, 6)
        day = start + dt.timedelta(days=rng.randrange(3 * 365))
        base = rng.choice(records)
        for k in range(rng.choice((1, 1, 2, 3, 4))):
            text = event[:4] + rng.sample(paras, 3)
            rng.shuffle(text)
            out.append(dataclasses.replace(
                base, id=f"s{len(out):06d}", date=Field((day + dt.timedelta(days=rng.randrange(2))).isoformat()),
                paragraphs=[Line(t, i + 1) for i, t in enumerate(text)]))
    return out[:n]


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def scale(records, n: int) -> None:
    articles = synthetic(records, n)
    t, quotes = timed(lambda: [q for r in articles for q in Q.extract_quotes(r)])
    print(f"{n:,} synthetic articles over 3 years (median of 3 runs each):")
    print(f"  quotation extraction {t:.2f} s: {len(quotes):,} quotations")
    t, groups = timed(lambda: Q.group_quotes(articles, quotes))
    print(f"  quotation matching {t:.2f} s: {len(groups):,} distinct quotations")
    quoted = S.quote_pairs(groups)
    t, stories = timed(lambda: S.group_stories(articles, quoted))
    print(f"  story grouping {t:.2f} s: {len(stories):,} stories of 2+ articles")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10_000, help="synthetic articles for the timing (default 10,000)")
    ap.add_argument("--skip-quality", action="store_true")
    args = ap.parse_args()
    records = pooled_records()
    if not args.skip_quality:
        quality(records)
    scale(records, args.n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
