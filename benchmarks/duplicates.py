"""Near-duplicate detection (``builder/stages/duplicates.py``) on synthetic articles: time and recall.

    python benchmarks/duplicates.py               # 10,000 articles of ~500 words
    python benchmarks/duplicates.py -n 2000 --words 300

Articles are drawn from a Zipf-like vocabulary (so unrelated articles share common phrases,
as news does); 1% of them get a planted copy: the same article from another outlet
(different first and last paragraphs, a few words changed) or a shortened copy. Reports
the time to find exact groups and near-duplicates, and how many planted pairs were found.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builder.stages import duplicates as D  # noqa: E402


def article(rng: random.Random, vocab: list[str], weights: list[float], words: int) -> list[str]:
    return rng.choices(vocab, weights=weights, k=words)


def variant(rng: random.Random, base: list[str], vocab: list[str], kind: str) -> list[str]:
    text = list(base)
    if kind == "outlet":             # another outlet's furniture, a few edits
        text = rng.choices(vocab, k=25) + text[:-30] + rng.choices(vocab, k=20)
        for _ in range(len(text) // 60):
            text[rng.randrange(len(text))] = rng.choice(vocab)
    else:                            # a shortened copy: the first 60%
        text = text[: int(len(text) * 0.6)]
    return text


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=10_000, help="number of articles (planted copies included)")
    parser.add_argument("--words", type=int, default=500, help="words per article")
    args = parser.parse_args()
    rng = random.Random(1)
    vocab = [f"w{i}" for i in range(30_000)]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    planted = args.n // 100
    texts: list[str] = []
    pairs: set[tuple[int, int]] = set()
    for _ in range(args.n - planted):
        texts.append(" ".join(article(rng, vocab, weights, rng.randint(args.words // 2, args.words * 3 // 2))))
    for k, i in enumerate(rng.sample(range(len(texts)), planted)):
        texts.append(" ".join(variant(rng, texts[i].split(), vocab, "outlet" if k % 2 else "short")))
        pairs.add((i, len(texts) - 1))
    texts.append(texts[0])          # one exact duplicate
    t0, c0 = time.perf_counter(), time.process_time()
    groups, near = D.find(texts)
    t1, c1 = time.perf_counter(), time.process_time()
    found = {(n.a, n.b) for n in near}
    print(f"{len(texts)} articles, ~{args.words} words: {t1 - t0:.2f} s ({c1 - c0:.2f} s CPU); {len(groups)} exact group(s), "
          f"{len(near)} near-duplicate pairs, "
          f"{len(found & pairs)}/{len(pairs)} planted pairs found, {len(found - pairs)} others")
    return 0


if __name__ == "__main__":
    sys.exit(main())
