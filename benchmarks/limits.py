"""Seconds per MB for the largest inputs the archive accepts: the time must grow linearly.

    python benchmarks/limits.py              # every case at three sizes (a few minutes)
    python benchmarks/limits.py --quick      # two sizes each
    python benchmarks/limits.py --only html  # one case: paragraph, html, paragraphs, people, tags, dateset

Each case makes one input at growing sizes and times the code the build runs on it (the
pipeline's read, clean, named-entity and extract stages for an article; loading and indexing
for a registry; front-matter checking for a date set). Linear work shows as a flat s/MB
column; the "ratio" column is the last size's s/MB over the first's (1.0 is perfectly linear,
a quadratic step would double it with each doubling of the size).

Articles are made of sentences from the labelled set (tests/labelled) with the seed registry's
people in them, so the name rules run on every sentence. spaCy reads only the first 200,000
characters of an article (pipeline.NER_MAX_CHARS); everything else reads it all.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

try:
    from builder.core.limits import MAX_BYTES  # noqa: E402
except ImportError:     # an older checkout, for a before/after comparison
    from builder.stages.read import MAX_BYTES  # noqa: E402
from builder.pipeline import Project, discover, process  # noqa: E402
from builder.core.registry import load_registry  # noqa: E402
from builder.commands.scaffold import new_archive  # noqa: E402

MB = 1024 * 1024


def sentences() -> list[str]:
    pool: list[str] = []
    for path in sorted((ROOT / "tests" / "labelled" / "corpus" / "articles").glob("*.txt")):
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        pool += [s for s in re.split(r"(?<=[.!?])\s+", text) if 60 <= len(s) <= 300 and "\n" not in s]
    return pool


def text_of(size: int, rng: random.Random, pool: list[str], sep: str) -> str:
    out, total = [], 0
    while total < size:
        s = rng.choice(pool)
        out.append(s)
        total += len(s.encode("utf-8")) + len(sep)
    return sep.join(out)


def time_article(name: str, content: str, repeat: int) -> float:
    """Seconds the pipeline takes on one article (median of ``repeat``), registries of the seed archive."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "a"
        new_archive(root, site_name="Limits")
        for reg in ("people.yml", "tags.yml", "sources.yml"):
            (root / "corpus" / reg).write_text((ROOT / "corpus" / reg).read_text(encoding="utf-8"), encoding="utf-8")
        (root / "corpus" / "articles" / name).write_text(content, encoding="utf-8")
        project = Project(root)
        registry = load_registry(project.corpus, project.root)
        paths, _ = discover(project)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = process(paths, registry, project)
            times.append(time.perf_counter() - started)
        assert result.files[0].status == "page", result.files[0].messages
        return statistics.median(times)


def case_paragraph(size: int, rng, pool, repeat) -> float:
    return time_article("huge.txt", "Kyiv, 4 March 2022. " + text_of(size, rng, pool, " ") + "\n", repeat)


def case_paragraphs(size: int, rng, pool, repeat) -> float:
    return time_article("many.txt", "Kyiv, 4 March 2022.\n\n" + text_of(size, rng, pool, "\n\n") + "\n", repeat)


def case_html(size: int, rng, pool, repeat) -> float:
    body = text_of(size, rng, pool, "\x00").split("\x00")
    paras = "\n".join(f"<p>{s}</p>" for s in body)
    page = (f"<!doctype html><html><head><title>NATO refuses a no-fly zone</title></head><body><article>"
            f"<h1>NATO refuses a no-fly zone</h1>\n{paras}\n</article></body></html>\n")
    return time_article("page.html", page, repeat)


def case_datetext(size: int, rng, pool, repeat) -> float:
    """An article that is nothing but dates (each date is checked against those already found)."""
    unit = "On 2022-03-04 and 5 March 2022 they met again; 03/04/22 too. "
    return time_article("dates.txt", "Kyiv, 4 March 2022. " + unit * (size // len(unit)) + "\n", repeat)


def time_registry(kind: str, text: str, repeat: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp)
        (corpus / f"{kind}.yml").write_text(text, encoding="utf-8")
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            registry = load_registry(corpus, corpus)
            times.append(time.perf_counter() - started)
        assert not registry.messages, registry.messages[:3]
        return statistics.median(times)


def case_people(size: int, rng, pool, repeat) -> float:
    lines, total, n = ["people:"], 0, 0
    while total < size:
        n += 1
        description = rng.choice(pool)[:80].replace("'", "''")
        entry = (f"  - name: Given{n} Surname{n}\n    aliases: [G{n} Surname{n}, Surname{n} Jr]\n"
                 f"    description: '{description}'\n")
        lines.append(entry.rstrip("\n"))
        total += len(entry)
    return time_registry("people", "\n".join(lines) + "\n", repeat)


def case_tags(size: int, rng, pool, repeat) -> float:
    lines, total, n = ["tags:"], 0, 0
    while total < size:
        n += 1
        entry = f"  - tag: topic {n}\n    phrases: [phrase {n} one, phrase {n} two]\n"
        lines.append(entry.rstrip("\n"))
        total += len(entry)
    return time_registry("tags", "\n".join(lines) + "\n", repeat)


def case_dateset(size: int, rng, pool, repeat) -> float:
    """A front-matter EDTF set of ``size`` bytes of dates: ignored past the cap, in linear time."""
    count = max(size // 11, 1)
    dates = ",".join(f"{2000 + i % 20:04d}-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(count))
    return time_article("dates.md", f"---\ndate: '{{{dates}}}'\n---\n\nKyiv, 4 March 2022. NATO said no.\n", repeat)


CASES = {
    # name: (function, sizes in MB for the full run)
    "paragraph": (case_paragraph, [1.0, 2.0, 4.0]),
    "html": (case_html, [0.85, 1.7, 3.4]),
    "paragraphs": (case_paragraphs, [1.0, 2.0, 4.0]),
    "datetext": (case_datetext, [1.0, 2.0, 4.0]),
    "people": (case_people, [1.25, 2.5, 5.0]),
    "tags": (case_tags, [0.15, 0.3, 0.6]),        # 10,000 tags (the cap) is about 0.6 MB
    "dateset": (case_dateset, [0.011, 0.022, 0.044]),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the two smallest sizes of each case")
    parser.add_argument("--only", choices=sorted(CASES), action="append", help="run only these cases")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the median is shown (default 3)")
    args = parser.parse_args(argv)
    rng, pool = random.Random(7), sentences()
    time_article("warm.txt", "Kyiv, 4 March 2022. NATO said no.\n", 1)     # loads spaCy once, untimed
    print(f"{'case':11} {'MB':>6} {'seconds':>8} {'s/MB':>7}   (median of {args.repeat}; article cap "
          f"{MAX_BYTES / MB:.0f} MB)")
    for name in args.only or list(CASES):
        func, sizes = CASES[name]
        sizes = sizes[:2] if args.quick else sizes
        per_mb = []
        for mb in sizes:
            seconds = func(int(mb * MB), rng, pool, args.repeat)
            per_mb.append(seconds / mb)
            print(f"{name:11} {mb:6.2f} {seconds:8.2f} {seconds / mb:7.2f}", flush=True)
        print(f"{name:11} ratio of s/MB, largest to smallest: {per_mb[-1] / per_mb[0]:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
