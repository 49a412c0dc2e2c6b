"""What citations, feeds, bulk data and the site zip cost as an archive grows.

    python benchmarks/outputs.py                       # 1,000 and 10,000 synthetic records
    python benchmarks/outputs.py --articles 5000 --site site/   # and zip a built site

Makes N synthetic records directly (no NER: this times only builder/outputs/cite.py, feeds.py and
export.py), each with 3-6 people out of 300, 2-5 tags out of 80 and one of 40 outlets, and
prints the median of 3 runs of: every article's citations and head metadata, every Atom feed
(plan and XML), every data file (with the Frictionless package), and, with --site, the zip
of that built site.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from builder.outputs import cite, export, feeds  # noqa: E402
from builder.core.models import Field, Line, PersonRef, Record  # noqa: E402
from builder.core.registry import Person, Registry, Source, Tag  # noqa: E402
from builder.outputs.render import make_links  # noqa: E402

WORDS = ("alliance minister said talks ceasefire border troops aid summit officials vote council sanctions "
         "energy grain ports city region army statement week plan leaders capital report").split()


def synthetic(n: int, seed: int = 1) -> tuple[list[Record], Registry]:
    rnd = random.Random(seed)
    people = [f"Person{i} Surname{i}" for i in range(300)]
    tags = [f"tag {i}" for i in range(80)]
    sources = [f"Outlet {i}" for i in range(40)]
    records = []
    for i in range(n):
        text = [Line(" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(25, 60))) + ".", k + 1)
                for k in range(rnd.randint(6, 14))]
        day = f"{rnd.randint(2015, 2024)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        records.append(Record(
            id=f"a{i:05d}", path=f"corpus/articles/a{i:05d}.txt", title=Field(" ".join(rnd.sample(WORDS, 8))),
            date=Field(day if rnd.random() > .1 else day[:7]), source=Field(rnd.choice(sources)),
            url=Field(f"https://news.example.org/{i}"), language=Field("en"),
            people=[PersonRef(p, "ner", "") for p in rnd.sample(people, rnd.randint(3, 6))],
            tags=Field(rnd.sample(tags, rnd.randint(2, 5))), paragraphs=text, comments=[],
            sha256=f"{i:064x}"))
    registry = Registry(people=[Person(p, wikidata=f"Q{i + 1}") for i, p in enumerate(people[::2])],
                        tags=[Tag(t) for t in tags], sources=[Source(s, url=f"https://{i}.example.org")
                                                             for i, s in enumerate(sources)])
    return records, registry


def median_time(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(n: int) -> None:
    records, registry = synthetic(n)
    links = make_links(records)
    wikidata = {p.name: p.wikidata for p in registry.people}
    homes = {s.name: s.url for s in registry.sources}

    def citations():
        for r in records:
            cite.cite_all(cite.citation_for(r, f"https://archive.example.org/articles/{r.id}.html", "Archive",
                                            "https://archive.example.org/", wikidata, homes))

    def all_feeds():
        for feed in feeds.plan_feeds(records, links.people, links.tags, links.sources):
            feeds.atom(feed, "Archive", "https://archive.example.org/",
                       lambda r: f"https://archive.example.org/articles/{r.id}.html")

    def data():
        return export.data_files(records, registry, links, "Archive", "https://archive.example.org/")

    files = data()
    size = sum(len(b) for b in files.values())
    n_feeds = len(feeds.plan_feeds(records, links.people, links.tags, links.sources))
    print(f"{n:>6,} articles  citations {median_time(citations):6.2f} s   "
          f"{n_feeds:,} feeds {median_time(all_feeds):6.2f} s   "
          f"data files {median_time(data):6.2f} s ({size / 1e6:.1f} MB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--site", type=Path, help="a built site to zip (into a temporary copy's name)")
    args = ap.parse_args()
    for n in args.articles:
        run(n)
    if args.site:
        site = args.site.resolve()
        files = sum(1 for p in site.rglob("*") if p.is_file())
        with tempfile.TemporaryDirectory() as tmp:
            import shutil

            copy = Path(tmp) / "site"              # the zip is written inside the site: use a copy
            shutil.copytree(site, copy)
            seconds = median_time(lambda: export.write_site_zip(copy))
            target = copy / export.DATA_DIR / export.ZIP_NAME
            print(f"site zip of {site} ({files:,} files): {seconds:.2f} s, {target.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
