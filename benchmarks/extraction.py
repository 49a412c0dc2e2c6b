"""Extraction quality on the labelled set (tests/labelled): people P/R/F1, date/source/title accuracy.

    python benchmarks/extraction.py            # figures
    python benchmarks/extraction.py --errors   # and every miss, for working on the rules

People are scored per article and micro-averaged: a predicted name is right when it is one
of the expected names (an expected entry "A|B" accepts either spelling). A title labelled
null must be derived from the lede: a word-boundary prefix of the labelled first sentence,
at most 100 characters, at least 40 (or the whole sentence when shorter).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LABELLED = ROOT / "tests" / "labelled"
sys.path.insert(0, str(ROOT))

from builder.pipeline import Project, process_project  # noqa: E402


def title_ok(predicted: str | None, label: dict) -> bool:
    if label.get("title"):
        return predicted == label["title"]
    lede = (label.get("title_lede") or "").strip()
    if not predicted or not lede:
        return False
    core = predicted.rstrip("…").rstrip()
    if len(predicted) > 101 or not lede.startswith(core):
        return False
    rest = lede[len(core):]
    at_word = rest == "" or rest[0] in " ,;:.!?—–-" or rest in (".", "!", "?")
    return at_word and len(core) >= min(len(lede.rstrip(".")), 40)


def score(labelled: Path = LABELLED) -> dict:
    """Run the real pipeline on the labelled archive and compare with expected.yml."""
    expected = yaml.safe_load((labelled / "expected.yml").read_text(encoding="utf-8"))
    result = process_project(Project(labelled))
    by_file = {Path(r.path).name: r for r in result.records}
    tp = fp = fn = 0
    right = {"date": 0, "source": 0, "title": 0}
    errors: list[str] = []
    for label in expected:
        name = label["file"]
        record = by_file.get(name)
        if record is None:
            fn += len(label.get("people") or [])
            errors.append(f"{name}: no record (failed to build)")
            continue
        wanted = [set(str(p).split("|")) for p in (label.get("people") or [])]
        got = list(record.people_names)
        matched: set[int] = set()
        for person in got:
            hit = next((i for i, alts in enumerate(wanted) if person in alts and i not in matched), None)
            if hit is None:
                fp += 1
                errors.append(f"{name}: people: unexpected '{person}'")
            else:
                matched.add(hit)
                tp += 1
        for i, alts in enumerate(wanted):
            if i not in matched:
                fn += 1
                errors.append(f"{name}: people: missed '{'|'.join(sorted(alts))}'")
        date = None if label.get("date") is None else str(label["date"])
        checks = {"date": (record.date.value == date, record.date.value, date),
                  "source": (record.source.value == label.get("source"), record.source.value, label.get("source")),
                  "title": (title_ok(record.title.value, label), record.title.value,
                            label.get("title") or f"lede: {label.get('title_lede')}")}
        for field, (ok, got_value, want) in checks.items():
            if ok:
                right[field] += 1
            else:
                errors.append(f"{name}: {field}: got {got_value!r}, expected {want!r}")
    n = len(expected)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"articles": n, "people_precision": precision, "people_recall": recall, "people_f1": f1,
            "people_tp": tp, "people_fp": fp, "people_fn": fn,
            **{f"{k}_accuracy": v / n for k, v in right.items()}, "errors": errors}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every miss")
    parser.add_argument("--labelled", type=Path, default=LABELLED)
    args = parser.parse_args()
    s = score(args.labelled)
    print(f"labelled articles: {s['articles']}")
    print(f"people  precision {s['people_precision']:.3f}  recall {s['people_recall']:.3f}  "
          f"F1 {s['people_f1']:.3f}  (tp {s['people_tp']}, fp {s['people_fp']}, fn {s['people_fn']})")
    for field in ("date", "source", "title"):
        print(f"{field:7} accuracy {s[f'{field}_accuracy']:.3f}")
    if args.errors:
        print()
        for e in s["errors"]:
            print(e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
