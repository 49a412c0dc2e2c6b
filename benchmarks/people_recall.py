"""Do the archive's most-named people have their pages, listing the articles that name them?

    python benchmarks/people_evidence.py CORPUS OUT/CORPUS.json      # one pipeline run
    python benchmarks/people_recall.py OUT/CORPUS.json --labels benchmarks/data/people_top_CORPUS.tsv

For a corpus, the 30 people whose full name is written in the most articles (a plain count of the
articles whose clean text writes the name, alone or inside a longer run of capitalised words:
"Paul Ryan" in "House Speaker Paul Ryan"), and for each the share of those articles that its
person page lists. Which of the most-written names are people's is hand-labelled once per corpus
(``P``/``N`` lines of the labels file, from the names alone); names not yet labelled are printed
for labelling, and the figure waits for them. A name with no page counts 0 for every article.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

TOP = 30


def read_labels(path: Path) -> dict[str, bool]:
    out = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or "\t" not in line:
                continue
            label, name = line.split("\t")[:2]
            out[name.strip()] = label.strip().upper() == "P"
    return out


def page_of(name: str, evidence: dict) -> str | None:
    """The person page that a written name belongs to: its own, or the page of the name whose
    spellings include it ("Paul D. Ryan" may be a spelling of "Paul Ryan")."""
    if name in evidence["pages"]:
        return name
    for row in evidence["names"]:
        if name in row["spellings"] and row["name"] in evidence["pages"]:
            return row["name"]
    return None


def recall(evidence: dict, labels: dict[str, bool], top: int = TOP) -> tuple[list[tuple[str, int, float, str | None]], list[str]]:
    """([(name, articles writing it, share listed by its page, page)], names still to label)."""
    rows, unlabelled = [], []
    for name, ids in evidence["written"].items():
        if len(rows) >= top:
            break
        if name not in labels:
            unlabelled.append(name)
            continue
        if not labels[name]:
            continue
        page = page_of(name, evidence)
        listed = set(evidence["pages"].get(page, ())) if page else set()
        rows.append((name, len(ids), sum(i in listed for i in ids) / len(ids), page))
    return rows, unlabelled


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("evidence", type=Path, nargs="+")
    ap.add_argument("--labels", type=Path, action="append", required=True,
                    help="one labels file per evidence file, in the same order")
    ap.add_argument("--top", type=int, default=TOP)
    ap.add_argument("-v", "--verbose", action="store_true", help="every name, not only those below 0.9")
    args = ap.parse_args(argv)
    print("| corpus | top people | articles writing them | share listed on their page: mean | lowest |")
    print("| --- | --- | --- | --- | --- |")
    missing = 0
    for path, labels_path in zip(args.evidence, args.labels):
        evidence = json.loads(path.read_text(encoding="utf-8"))
        rows, unlabelled = recall(evidence, read_labels(labels_path), args.top)
        if unlabelled:
            missing += len(unlabelled)
            print(f"{path.name}: label these in {labels_path} (P or N, a tab, the name):", file=sys.stderr)
            for name in unlabelled:
                print(f"?\t{name}", file=sys.stderr)
            continue
        mean = statistics.mean(r[2] for r in rows)
        low = min(rows, key=lambda r: r[2])
        print(f"| {path.stem} | {len(rows)} | {sum(r[1] for r in rows)} | **{mean:.3f}** | {low[2]:.2f} ({low[0]}) |")
        for name, n, share, page in rows:
            if args.verbose or share < 0.9:
                print(f"    {name}: {share:.2f} of {n} articles (page: {page})", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
