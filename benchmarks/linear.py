"""Time per stage on adversarial inputs at n, 2n and 4n: every stage must grow linearly.

    python benchmarks/linear.py                  # every stage at n, 2n, 4n (about a minute)
    python benchmarks/linear.py --only stories   # one stage (repeatable)
    python benchmarks/linear.py --scale 4        # n four times the default (slower, clearer)

Each stage is one generator of hostile input (what an attacker, or a careless scraper, could put
in the corpus) and the code the build runs on it, without spaCy. The "4n/n" column is the time
at 4n over the time at n: about 4 for linear work, 16 for quadratic. ``tests/test_linear.py``
runs the same stages and fails when it passes 6. Times are CPU seconds of this process, the
minimum of a few repeats (the machine is shared; the minimum is the least disturbed run).
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import builder.pipeline  # noqa: E402,F401   loads the stages in their usual order
from builder.core.models import Field, Line, PersonRef, Record  # noqa: E402


@lru_cache(maxsize=1)
def pool() -> tuple[str, ...]:
    """Sentences of the labelled articles: real news prose for the generators."""
    out: list[str] = []
    for path in sorted((ROOT / "tests" / "labelled" / "corpus" / "articles").glob("*.txt")):
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        out += [s for s in re.split(r"(?<=[.!?])\s+", text)
                if 60 <= len(s) <= 300 and "\n" not in s and '"' not in s and "“" not in s]
    return tuple(out)


@lru_cache(maxsize=1)
def seed_registry():
    from builder.core.registry import load_registry

    return load_registry(ROOT / "corpus", ROOT)


def _clean_text(text: str, name: str = "a.txt"):
    from builder.stages.clean import clean
    from builder.stages.read import read_data

    data, registry = text.encode("utf-8"), seed_registry()
    return lambda: clean(read_data(data, Path(name), name), registry)


HEAD = "NATO refuses a no-fly zone\n\nKyiv, 4 March 2022. NATO said no to a no-fly zone over Ukraine.\n\n"


def comment_headers(n: int):
    """A .txt of repeated "Comments" lines (each one a comments-section header)."""
    return _clean_text(HEAD + "Comments\n" * n)


def comment_replies(n: int):
    """A comment thread in which every comment replies to the one before (the replied-to name
    is looked up among the thread's authors)."""
    lines = ["Comments"]
    for i in range(n):
        lines += [f"reader{i} — 21 Feb 2023", f"I do not agree with this at all, number {i}.",
                  f"Reply to reader{max(i - 1, 0)} writer{i} - 21 Feb 2023"]
    return _clean_text(HEAD + "\n\n".join(lines) + "\n")


def comment_page(n: int):
    """The reader-comments part of an article page: ``n`` comments, each replying to the one
    before or to someone not on the page."""
    from builder.core.models import Line as L
    from builder.outputs.render import _comment_html, comment_threads

    lines = [L("Comments", 1, "comment-header")]
    for i in range(n):
        lines += [L(f"reader{i}", i, "comment-author"), L("21 Feb 2023", i, "comment-date"),
                  L(f"reader{i - 1}" if i % 2 else f"absent{i}", i, "comment-reply-to"),
                  L(f"I do not agree with this at all, number {i}.", i, "comment")]
    return lambda: "".join(_comment_html(c) for c in comment_threads(lines)[0])


def captions(n: int):
    """An article of photo captions, each with its own credit."""
    rng = random.Random(3)
    sentences = pool()
    paras = [f"{rng.choice(sentences)} (Photo: Jan Kowal{i}/Reuters)" for i in range(n)]
    return _clean_text(HEAD + "\n\n".join(paras) + "\n")


def html_nesting(n: int):
    """A saved web page of ``n`` paragraphs, each inside 60 nested elements (lxml, which
    trafilatura uses, drops what lies deeper than 255 elements, with a warning from the read stage)."""
    from builder.stages.read import read_data

    sentences = pool()
    body = "".join("<div><section>" * 30 + f"<p>{sentences[i % len(sentences)]}</p>" + "</section></div>" * 30
                   for i in range(n))
    page = (f"<!doctype html><html><head><title>NATO refuses a no-fly zone</title></head><body><article>"
            f"<h1>NATO refuses a no-fly zone</h1>{body}</article></body></html>\n").encode("utf-8")
    return lambda: read_data(page, Path("page.html"), "page.html")


def record(rid: str, date: str | None, paragraphs: list[str], people=()) -> Record:
    return Record(id=rid, path=f"{rid}.txt", title=Field(paragraphs[0][:60], "headline line"),
                  date=Field(date), source=Field("Outlet"), url=Field(None), language=Field("en"),
                  people=[PersonRef(p, "test", "", [p]) for p in people], tags=Field([]),
                  paragraphs=[Line(t, i + 1) for i, t in enumerate(paragraphs)], comments=[])


def _quote_text(i: int) -> str:
    return f"we will keep working on number {i} together"


def quotes_paragraphs(n: int):
    """One article of ``n`` paragraphs, each a short attributed quotation."""
    from builder.stages.quotes import extract_quotes

    r = record("q", "2022-03-04", [f'"{_quote_text(i)}," Stoltenberg said.' for i in range(n)], ["Jens Stoltenberg"])
    return lambda: extract_quotes(r)


def quotes_one_paragraph(n: int):
    """One paragraph holding ``n`` short quotations, names between them."""
    from builder.stages.quotes import extract_quotes

    text = " ".join(f'"{_quote_text(i)}," Stoltenberg said, and Biden spoke.' for i in range(n))
    r = record("q", "2022-03-04", [text], ["Jens Stoltenberg", "Joe Biden"])
    return lambda: extract_quotes(r)


def quotes_run_on(n: int):
    """One quotation that runs on through ``n`` paragraphs (each opens a mark and never closes it)."""
    from builder.stages.quotes import extract_quotes

    r = record("q", "2022-03-04", ["Stoltenberg said:"] + [f'"{_quote_text(i)}' for i in range(n)],
               ["Jens Stoltenberg"])
    return lambda: extract_quotes(r)


def quotes_matching(n: int):
    """``n`` articles, each quoting a few sentences of one long speech: matched across the archive."""
    from builder.stages.quotes import extract_quotes, group_quotes

    rng = random.Random(5)
    speech = list(pool()[:200])
    records = [record(f"a{i:05d}", "2022-03-04",
                      [f'"{" ".join(rng.sample(speech, 2))}" Stoltenberg said.'], ["Jens Stoltenberg"])
               for i in range(n)]
    quotes = [q for r in records for q in extract_quotes(r)]
    return lambda: group_quotes(records, quotes)


def quotes_matching_long(n: int):
    """Two articles carrying one ``n``-word quotation with no sentence end, one word different."""
    from builder.stages.quotes import extract_quotes, group_quotes

    words = [w.strip(".!?").replace("”", "") or "and" for w in _long_quote(n, 15)]
    other = list(words)
    other[n // 2] = "different"
    records = [record(f"l{k}", "2022-03-04", [f'"{" ".join(w)}" Stoltenberg said.'], ["Jens Stoltenberg"])
               for k, w in enumerate((words, other))]
    quotes = [q for r in records for q in extract_quotes(r)]
    return lambda: group_quotes(records, quotes)


def _long_quote(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    sentences = pool()
    out: list[str] = []
    while len(out) < n:
        out += rng.choice(sentences).split()
    return out[:n]


def quote_diff_one_word(n: int):
    """Two renderings of one ``n``-word quotation, one word different (in the middle)."""
    from builder.stages.quotes import word_diff_html

    a = _long_quote(n, 11)
    b = list(a)
    b[n // 2] = "different"
    a, b = " ".join(a), " ".join(b)
    return lambda: word_diff_html(a, b)


def quote_diff_scattered(n: int):
    """Two renderings of one ``n``-word quotation, every 40th word changed."""
    from builder.stages.quotes import word_diff_html

    a = _long_quote(n, 12)
    b = [w if k % 40 != 7 else "changed" for k, w in enumerate(a)]
    a, b = " ".join(a), " ".join(b)
    return lambda: word_diff_html(a, b)


def quote_diff_unrelated(n: int):
    """Two ``n``-word quotations with little in common but common words."""
    from builder.stages.quotes import word_diff_html

    a, b = " ".join(_long_quote(n, 13)), " ".join(_long_quote(n, 14))
    return lambda: word_diff_html(a, b)


def _day_records(n: int, date_of) -> list[Record]:
    rng = random.Random(9)
    sentences = pool()
    return [record(f"s{i:05d}", date_of(i), [" ".join(rng.sample(sentences, 6))], ["Jens Stoltenberg"])
            for i in range(n)]


def _stories(records: list[Record]):
    from builder.stages.stories import group_stories, quote_pairs

    quoted = quote_pairs([])
    return lambda: group_stories(records, quoted)


def stories_one_day(n: int):
    """``n`` articles dated to one day: every one is a candidate partner of every other."""
    return _stories(_day_records(n, lambda i: "2022-03-04"))


def stories_one_month(n: int):
    """``n`` articles dated only to one month, half of them to days of that month."""
    return _stories(_day_records(n, lambda i: "2022-03" if i % 2 else f"2022-03-{1 + i % 28:02d}"))


def stories_same_text(n: int):
    """``n`` copies of one wire report on one day: every pair is a link."""
    text = " ".join(pool()[:6])
    return _stories([record(f"w{i:05d}", "2022-03-04", [text], ["Jens Stoltenberg"]) for i in range(n)])


def _registry(kind: str, text: str):
    from builder.core.registry import load_registry

    folder = Path(tempfile.mkdtemp(prefix="linear-"))
    (folder / f"{kind}.yml").write_text(text, encoding="utf-8")

    def load():
        re.purge()          # a build loads a registry once: no pattern is in re's cache yet
        return load_registry(folder, folder)

    return load


def tags(n: int):
    """A tags.yml of ``n`` tags, two phrases each."""
    entries = [f"  - tag: topic {i}\n    phrases: [phrase {i} one, phrase {i} two]" for i in range(n)]
    return _registry("tags", "tags:\n" + "\n".join(entries) + "\n")


def people(n: int):
    """A people.yml of ``n`` people with aliases and descriptions."""
    entries = [f"  - name: Given{i} Surname{i}\n    aliases: [G{i} Surname{i}, Surname{i} Jr]\n"
               f"    description: 'minister of topic {i}'" for i in range(n)]
    return _registry("people", "people:\n" + "\n".join(entries) + "\n")


def _tagging(registry, paragraphs: int):
    from builder.stages.extract import infer_tags
    from builder.stages.read import read_data

    rng = random.Random(4)
    text = HEAD + "\n\n".join(" ".join(rng.sample(pool(), 3)) for _ in range(paragraphs)) + "\n"
    doc = read_data(text.encode("utf-8"), Path("a.txt"), "a.txt")
    return lambda: infer_tags(doc, doc.body, [[] for _ in doc.body], registry, [])


def tags_many(n: int):
    """Tag phrases: ``n`` tags in tags.yml looked for in a 40-paragraph article."""
    return _tagging(tags(n)(), 40)


# stage -> (generator, n): n takes well under a second on a shared machine
STAGES = {
    "comment headers": (comment_headers, 3000),
    "comment replies": (comment_replies, 600),
    "comment page": (comment_page, 40000),
    "captions": (captions, 1500),
    "html nesting": (html_nesting, 40),
    "quotations": (quotes_paragraphs, 3000),
    "quotations in one paragraph": (quotes_one_paragraph, 1000),
    "quotation run on": (quotes_run_on, 3000),
    "quotation matching": (quotes_matching, 500),
    "quotation matching, long": (quotes_matching_long, 4000),
    "quotation diff, one word": (quote_diff_one_word, 6000),
    "quotation diff, scattered": (quote_diff_scattered, 6000),
    "quotation diff, unrelated": (quote_diff_unrelated, 6000),
    "stories on one day": (stories_one_day, 400),
    "stories in one month": (stories_one_month, 400),
    "stories, one wire copy": (stories_same_text, 400),
    "tags": (tags, 500),
    "tag phrases, many tags": (tags_many, 500),
    "people": (people, 500),
}


def best_time(run, repeat: int = 3, enough: float | None = None) -> float:
    """The fastest of ``repeat`` runs. With ``enough``, stops once a run takes at most that
    long, or takes three times longer (a busy machine does not slow a run that much)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()        # the cyclic collector's passes over every live object are not the stage's cost
        try:
            started = time.process_time()         # CPU time: other work on a shared machine does not count
            run()
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
        if enough is not None and (best <= enough or best > 3 * enough):
            break
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=sorted(STAGES), action="append", help="run only these stages")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every stage's n (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the fastest is shown (default 3)")
    args = parser.parse_args(argv)
    print(f"{'stage':30} {'n':>6} {'t(n)':>8} {'t(2n)':>8} {'t(4n)':>8} {'4n/n':>6}   (CPU seconds, best of {args.repeat})")
    for name in args.only or list(STAGES):
        make, n = STAGES[name]
        n = max(1, int(n * args.scale))
        times = [best_time(make(k), args.repeat) for k in (n, 2 * n, 4 * n)]
        print(f"{name:30} {n:6} {times[0]:8.3f} {times[1]:8.3f} {times[2]:8.3f} {times[2] / times[0]:6.1f}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
