"""Recall of people read by hand: the share of the people an article names in full that its page lists.

    python benchmarks/people_evidence.py CORPUS EV/CORPUS.json       # one pipeline run
    python benchmarks/people_read.py EV/CORPUS.json --labels benchmarks/data/people_read_CORPUS.tsv

The labels list, for a few articles read whole by a labeller, every person whose full name the
article's text writes (``article id<TAB>name``). A person counts as listed when one of the
article's person pages, under its name or one of its spellings, has the same words, or the same
first and last word ("Paul D. Ryan" for "Paul Ryan"). Bylines and photo credits are labelled too;
the archive keeps those as the article's authors and credits, not its people, so they show as missed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path


def words(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z ]", "", folded.replace("-", " ").replace(".", ". ")).split()


def read_labels(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        article, name = line.split("\t")[:2]
        names = out.setdefault(article, [])
        if name.strip() not in ("", "-"):
            names.append(name.strip().rstrip("?").strip())
    return out


def pages_of_articles(evidence: dict) -> dict[str, list[list[str]]]:
    """{article id: [the spellings of each person page listing it]}."""
    spellings = {r["name"]: r["spellings"] for r in evidence["names"]}
    out: dict[str, list[list[str]]] = {}
    for name, ids in evidence["pages"].items():
        for article in ids:
            out.setdefault(article, []).append([name, *spellings.get(name, [])])
    return out


def listed(name: str, pages: list[list[str]]) -> bool:
    want = words(name)
    return any(words(sp) == want or (words(sp)[:1] == want[:1] and words(sp)[-1:] == want[-1:])
               for spellings in pages for sp in spellings)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("evidence", type=Path)
    ap.add_argument("--labels", type=Path, required=True)
    args = ap.parse_args(argv)
    pages = pages_of_articles(json.loads(args.evidence.read_text(encoding="utf-8")))
    labels = read_labels(args.labels)
    missed = [f"{a}: {n}" for a, names in sorted(labels.items()) for n in names if not listed(n, pages.get(a, []))]
    total = sum(len(names) for names in labels.values())
    print(f"{args.evidence.name}: {total - len(missed)} of {total} people named in full are listed "
          f"({(total - len(missed)) / max(total, 1):.3f}) in {len(labels)} articles")
    for m in missed:
        print(f"    missed {m}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
