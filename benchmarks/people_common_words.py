"""Write ``builder/data/common-words.txt``: words news copy writes in lower case everywhere.

    python benchmarks/people_common_words.py BBC REUTERS WIKINEWS CONLL [...]

Each argument is a folder of ``.txt`` articles of one corpus family (see ``corpora.py``). A word
is kept when, in at least three of the families, it is written in lower case in 0.3% of the
articles or more, and is written capitalised inside a sentence in under a fifth of its uses; never
a given name or surname of the word lists (``Grant``, ``Young``, ``Rose`` stay name words). An
archive of a few articles has too little of its own evidence to tell "Night Mode" or "Side Salad"
from a name; these words stand in for it. Only words are written, never text.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_TOKEN = re.compile(r"(?<![\w'’-])([A-Za-z][a-z]+)(?![\w'’-])")
_SENTENCE_END = re.compile(r"[.!?:\"“”]\s*$")
SHARE, FAMILIES, CAPITALISED = 0.001, 2, 0.2

HEADER = """\
# Words that news copy writes in lower case: in at least three of four corpus families (BBC News
# 2004-05 and 2020-22, Reuters 1987, English Wikinews 2004-18, CoNLL-2003's Reuters 1996), in 0.3% of
# the articles or more, and capitalised inside a sentence in under a fifth of their uses; no given
# name or surname of given-names.txt and surnames.txt. A name never titled whose every word is one of
# these ("Night Mode", "Side Salad", "True Depth") is a phrase, not a person's name, even in an
# archive too small to show it. Written by benchmarks/people_common_words.py; only words, no text.
"""


def family_counts(folder: Path) -> tuple[int, Counter, Counter, Counter]:
    """(articles, {word: articles writing it in lower case}, {word: its lower-case uses},
    {word: its capitalised uses inside a sentence})."""
    n, lower, lower_uses, capital = 0, Counter(), Counter(), Counter()
    for path in folder.rglob("*.txt"):
        n += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        seen = set()
        for m in _TOKEN.finditer(text):
            word = m.group(1)
            if word.islower():
                seen.add(word)
                lower_uses[word] += 1
            elif not _SENTENCE_END.search(text[max(0, m.start() - 3):m.start()]) and m.start() \
                    and text[m.start() - 1] == " ":
                capital[word.casefold()] += 1
        lower.update(seen)
    return n, lower, lower_uses, capital


def main(argv: list[str]) -> int:
    from builder.people.words import given_names, known_surnames

    families = [family_counts(Path(a)) for a in argv]
    votes: Counter = Counter()
    uses: Counter = Counter()
    capital: Counter = Counter()
    for n, lower, lower_uses, cap in families:
        votes.update(w for w, k in lower.items() if k >= SHARE * n)
        uses.update(lower_uses)
        capital.update(cap)
    words = sorted(w for w, v in votes.items()
                   if v >= FAMILIES and len(w) >= 3 and w not in given_names() and w not in known_surnames()
                   and capital[w] < CAPITALISED * (uses[w] + capital[w]))
    out = ROOT / "builder" / "data" / "common-words.txt"
    out.write_text(HEADER + "".join(f"{w}\n" for w in words), encoding="utf-8")
    print(f"{out}: {len(words)} words")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
