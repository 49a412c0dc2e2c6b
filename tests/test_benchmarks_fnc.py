"""FNC-1 as a benchmark corpus (benchmarks/corpora.py fnc): its article bodies laid out as plain
paragraphs, short and repeated bodies left out, and the same sample every time."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpora import fnc  # noqa: E402

LONG = "Officials in the city said on Monday that the bridge would stay shut. " * 8   # 104 words


def _snapshot(src: Path) -> None:
    rows = {"train_bodies.csv": [(0, LONG + "\n  \nA second   line. \n"), (1, "Too short to keep."),
                                 (2, LONG.replace("Monday", "Friday"))],
            "competition_test_bodies.csv": [(7, LONG + "\n  \nA second   line. \n"),
                                            (8, LONG.replace("Monday", "Sunday"))]}
    for name, bodies in rows.items():
        with open(src / name, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["Body ID", "articleBody"])
            w.writerows(bodies)


def _layout(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.txt"))}


def test_fnc_keeps_long_distinct_bodies_as_paragraphs(tmp_path):
    _snapshot(tmp_path)
    assert fnc(tmp_path, tmp_path / "out", set(), sample=10) == 3
    files = _layout(tmp_path / "out")
    assert len(files) == 3 and "train/b0001.txt" not in files
    first = files.get("train/b0000.txt") or files["test/b0007.txt"]     # one of the two equal bodies
    assert first.endswith(".\n\nA second   line.\n") and "\n  \n" not in first


def test_fnc_sample_is_capped_and_fixed(tmp_path):
    _snapshot(tmp_path)
    assert fnc(tmp_path, tmp_path / "a", set(), sample=2) == 2
    assert fnc(tmp_path, tmp_path / "b", set(), sample=2) == 2
    assert _layout(tmp_path / "a") == _layout(tmp_path / "b")
