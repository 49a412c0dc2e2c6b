"""How many person pages are people: a labelled random sample from a real archive.

    python benchmarks/people_pages.py ARCHIVE --names-out names.json            # build, list people
    python benchmarks/people_pages.py ARCHIVE --sample 200 --seed 10            # print a sample to label
    python benchmarks/people_pages.py ARCHIVE --labels benchmarks/data/people_pages_labels.tsv

ARCHIVE is an archive folder (``corpus/articles`` inside) or a folder of section folders of
``.txt`` files (the layout of the BBC News dataset of Greene and Cunningham, 2006), which is
copied into a temporary archive first. Only the pipeline runs (no MkDocs): the person pages an
archive would get are the distinct names in the records' people.

The labels file has one line per name, ``P<TAB>name`` for a person, ``N<TAB>name`` for anything
else. A labelled name no longer in the output counts as gone (reported apart); the figure is the
share of people among the labelled names that are still person pages.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.pipeline import Project, process_project  # noqa: E402


def as_archive(path: Path, work: Path) -> Path:
    """The archive folder to build: the path itself, or a copy of a sectioned dataset."""
    if (path / "corpus" / "articles").is_dir():
        return path
    articles = work / "corpus" / "articles"
    articles.mkdir(parents=True)
    for section in sorted(p for p in path.iterdir() if p.is_dir()):
        for f in sorted(section.glob("*.txt")):
            shutil.copyfile(f, articles / f"{section.name}_{f.name}")
    return work


def person_pages(archive: Path) -> tuple[dict[str, int], int, float]:
    """{person name: number of articles}, number of articles, seconds."""
    t0 = time.perf_counter()
    result = process_project(Project(archive))
    seconds = time.perf_counter() - t0
    counts: Counter = Counter()
    for r in result.records:
        counts.update(set(r.people_names))
    return dict(counts), len(result.records), seconds


def archive_texts(path: Path) -> list[str]:
    """The raw text of every article of an archive or a sectioned dataset, in a fixed order."""
    root = path / "corpus" / "articles" if (path / "corpus" / "articles").is_dir() else path
    return [f.read_text(encoding="utf-8", errors="replace") for f in sorted(root.rglob("*")) if f.is_file()]


def passages(name: str, texts: list[str], n: int, width: int = 160) -> list[str]:
    """Up to n places that write the name (or, failing that, its last word), with the words around
    it: what a labeller reads to tell a person from a thing without looking at the rules."""
    found: list[str] = []
    for needle in (name, name.split()[-1]):
        pattern = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
        for text in texts:
            for m in pattern.finditer(text):
                start, end = max(0, m.start() - width), min(len(text), m.end() + width)
                found.append(" ".join(text[start:end].split()))
                break
            if len(found) >= n:
                return found
        if found:
            return found
    return found


def read_labels(path: Path) -> dict[str, bool]:
    labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        tag, name = line.split("\t", 1)
        labels[name.strip()] = tag.strip().upper() == "P"
    return labels


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("archive", type=Path)
    ap.add_argument("--names", type=Path, help="reuse a names file written by --names-out instead of building")
    ap.add_argument("--names-out", type=Path, help="write {name: articles} as JSON")
    ap.add_argument("--sample", type=int, default=0, help="print a random sample of this many names")
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--exclude", type=Path, action="append", default=[],
                    help="labels file(s) whose names the sample leaves out")
    ap.add_argument("--context", type=int, default=0,
                    help="with --sample: under each name, up to this many passages of the archive that name it")
    ap.add_argument("--no-model", action="store_true",
                    help="keep every name: leave out the archive-wide decision (builder/data/person-model.json)")
    ap.add_argument("--labels", type=Path, action="append", default=[], help="labels file(s) to score")
    args = ap.parse_args(argv)

    if args.no_model:
        import builder.people.model
        builder.people.model.archive_rejections = lambda stats: {}
    if args.names:
        names = json.loads(args.names.read_text(encoding="utf-8"))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            archive = as_archive(args.archive, Path(tmp))
            names, n_articles, seconds = person_pages(archive)
        print(f"articles: {n_articles}; person pages: {len(names)}; pipeline {seconds:.1f} s")
        if args.names_out:
            args.names_out.write_text(json.dumps(names, ensure_ascii=False, indent=0, sort_keys=True),
                                      encoding="utf-8")
    if args.sample:
        skip = {n for path in args.exclude for n in read_labels(path)}
        pool = sorted(n for n in names if n not in skip)
        chosen = sorted(random.Random(args.seed).sample(pool, min(args.sample, len(pool))))
        texts = archive_texts(args.archive) if args.context else []
        for name in chosen:
            print(f"?\t{name}")
            for passage in passages(name, texts, args.context):
                print(f"#\t\t{passage}")
    for path in args.labels:
        labels = read_labels(path)
        present = {n: ok for n, ok in labels.items() if n in names}
        people = sum(present.values())
        gone = [n for n in labels if n not in names]
        gone_people = sum(labels[n] for n in gone)
        print(f"{path.name}: {len(labels)} labelled; {len(present)} still person pages, of which "
              f"{people} people = {people / max(len(present), 1):.1%}; gone: {len(gone)} "
              f"({len(gone) - gone_people} not people, {gone_people} people)")
        for n in sorted(n for n, ok in present.items() if not ok):
            print(f"   not a person: {n}")
        for n in sorted(n for n in gone if labels[n]):
            print(f"   person lost: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
