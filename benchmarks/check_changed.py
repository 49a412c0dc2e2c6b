"""``archive check --changed-since`` on a large synthetic archive: how long a pull request waits.

    python benchmarks/check_changed.py             # 10,000 articles, 3 changed
    python benchmarks/check_changed.py -n 2000 --full

Builds an archive in a temporary git repository whose articles are made of sentences drawn
from the labelled set (tests/labelled), commits it, adds three articles (one an exact copy,
one a near copy of a committed article), and times ``archive check --changed-since HEAD``.
``--full`` also times the whole check (NER on every article) for comparison.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from builder.commands.cli import main as archive  # noqa: E402
from builder.commands.scaffold import new_archive  # noqa: E402


def sentence_pool() -> list[str]:
    pool: list[str] = []
    for path in sorted((ROOT / "tests" / "labelled" / "corpus" / "articles").glob("*.txt")):
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        pool += [s for s in re.split(r"(?<=[.!?])\s+", text) if 60 <= len(s) <= 300 and "\n" not in s]
    return pool


def run(args: list[str]) -> tuple[int, float, str]:
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = archive(args)
    return code, time.perf_counter() - start, out.getvalue() + err.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--full", action="store_true", help="also time the full check")
    args = parser.parse_args()
    rng = random.Random(7)
    pool = sentence_pool()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "archive"
        new_archive(root, site_name="Benchmark")
        articles = root / "corpus" / "articles"
        texts = []
        for i in range(args.n):
            body = "\n\n".join(" ".join(rng.sample(pool, 3)) for _ in range(6))
            texts.append(body)
            (articles / f"a{i:05d}.txt").write_text(f"Headline number {i}\n\n{body}\n", encoding="utf-8")
        git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
        subprocess.run(git + ["init", "-q"], check=True)
        subprocess.run(git + ["add", "-A"], check=True)
        subprocess.run(git + ["commit", "-q", "-m", "corpus"], check=True)
        (articles / "new-exact.txt").write_text(f"Another headline\n\n{texts[5]}\n", encoding="utf-8")
        words = texts[9].split()
        words[len(words) // 2] = "changed"
        (articles / "new-near.txt").write_text("A third headline\n\n" + " ".join(words) + "\n", encoding="utf-8")
        (articles / "new-own.txt").write_text("Fresh story\n\n" + " ".join(rng.sample(pool, 12)) + "\n",
                                              encoding="utf-8")
        code, seconds, output = run(["-C", str(root), "check", "--changed-since", "HEAD"])
        print(f"{args.n} articles + 3 new: check --changed-since HEAD: {seconds:.1f} s (exit {code})")
        print("  " + "\n  ".join(line for line in output.splitlines() if "new-" in line or "archive check" in line))
        if args.full:
            code, seconds, output = run(["-C", str(root), "check"])
            print(f"full check: {seconds:.1f} s (exit {code}); {output.splitlines()[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
