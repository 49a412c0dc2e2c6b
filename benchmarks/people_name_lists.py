"""Regenerate the name lists under builder/data/ from the names-dataset package.

    pip install names-dataset==3.3.1      # not a dependency: 2 GB and 10 s to load
    python benchmarks/people_name_lists.py [--given 150] [--surnames 1000]

names-dataset (Philippe Remy, MIT licence) holds aggregate counts of first and last names in 105
countries (no person's data). The lists keep, for every country, the N most frequent given names
(male and female) and last names, in Latin script, lower case, sorted: the same files on every
run. ``given-names.txt`` feeds the person-shape rules (a name that starts with a given name keeps
its shape); ``surnames.txt`` feeds the learned second opinion (``builder.people.words.known_surnames``).
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "builder" / "data"

GIVEN_HEADER = """\
# Given names in Latin script: the {n} most frequent male and female first names of each of the
# 105 countries in the names-dataset package (version 3.3.1, MIT licence; aggregate counts, no
# person's data), lower case. Extracted once because loading that package takes 10 s and 2 GB
# (benchmarks/people_name_lists.py). A name starting with one of these keeps its person shape.
# One a line; add your own.
"""

SURNAME_HEADER = """\
# Surnames in Latin script: the {n} most frequent last names of each of the 105 countries in the
# names-dataset package (version 3.3.1, MIT licence; aggregate counts, no person's data), lower
# case, written by benchmarks/people_name_lists.py. Evidence for the learned second opinion on
# person pages: a name whose last word is a known surname is more likely a person's. One a line.
"""


def latin(word: str) -> bool:
    return len(word) > 1 and all(c in "'-." or (c.isalpha() and "LATIN" in unicodedata.name(c, ""))
                                 for c in word)


def write(path: Path, header: str, names: set[str]) -> None:
    path.write_text(header + "".join(f"{w}\n" for w in sorted(names)), encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}: {len(names)} names")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--given", type=int, default=150, help="given names a country and gender")
    ap.add_argument("--surnames", type=int, default=1000, help="last names a country")
    args = ap.parse_args(argv)
    from names_dataset import NameDataset

    nd = NameDataset()
    given: set[str] = set()
    for by_gender in nd.get_top_names(n=args.given, use_first_names=True).values():
        for names in by_gender.values():
            given.update(w for w in (n.casefold() for n in names) if latin(w))
    surnames: set[str] = set()
    for names in nd.get_top_names(n=args.surnames, use_first_names=False).values():
        surnames.update(w for w in (n.casefold() for n in names) if latin(w))
    write(DATA / "given-names.txt", GIVEN_HEADER.format(n=args.given), given)
    write(DATA / "surnames.txt", SURNAME_HEADER.format(n=args.surnames), surnames)
    return 0


if __name__ == "__main__":
    sys.exit(main())
