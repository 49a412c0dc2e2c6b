"""Train the learned second opinion on person pages: logistic regression over the archive's evidence.

    python benchmarks/people_classifier.py ARCHIVE --features-out feats.json     # build, write features
    python benchmarks/people_classifier.py ARCHIVE --features feats.json --write  # train, cross-validate, write

ARCHIVE is an archive folder or a sectioned dataset (as for ``people_pages.py``). The pipeline
runs once; for every unregistered name the archive-wide rules see, the features of
``builder.people.evidence.classifier_features`` are computed from the archive's own text (nothing from
the labels). The labels are names only (``P``/``N``, the hand-labelled samples 1-19 of
``benchmarks/data/people_pages_labels*.tsv`` by default; sample 20 and later fresh samples are
never trained on). Scikit-learn's logistic regression (lbfgs, fixed settings: deterministic) is
fitted on standardised features; out-of-fold probabilities of a stratified 5-fold cross-validation
(seed 0) choose the threshold: the highest one at which the names it would turn down, among those
the rules keep, are at least ``--precision`` not people. ``--write`` stores the coefficients,
the standardisation and the threshold in ``builder/data/person-classifier.json``, which the
``judged_not_a_person`` rule reads (pure Python: scikit-learn is not needed at build time).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import builder.people.decide as D  # noqa: E402
import builder.people.evidence as EV  # noqa: E402
import builder.people.spans as S  # noqa: E402
from benchmarks.people_pages import as_archive, person_pages, read_labels  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
# samples 1-19 (seeds 10-28); sample 20 (seed 29) and later are honest test sets. (The third
# round trained on 1-11 and kept 12-15 for development and testing; the fourth trained on 1-15
# and measured on 16-19.)
TRAINING = ["people_pages_labels.tsv", "people_pages_labels_fresh.tsv", "people_pages_labels_final.tsv",
            "people_pages_labels_r4.tsv"] + [f"people_pages_labels_r4_final{s}.tsv" for s in ("", 2, 3, 4, 5, 6, 7, 8)] \
    + ["people_pages_labels_r5.tsv", "people_pages_labels_r5b.tsv", "people_pages_labels_r6.tsv",
       "people_pages_labels_r7.tsv", "people_pages_labels_r8.tsv", "people_pages_labels_r8b.tsv",
       "people_pages_labels_r9.tsv"]
OUT = ROOT / "builder" / "data" / "person-classifier.json"


def archive_features(archive: Path) -> dict[str, dict]:
    """{name: {"features": {...}, "rules": reason or None, "spellings": [...]}} for every
    unregistered name of the archive, from one pipeline run."""
    captured: list = []
    original = D.archive_rejections

    def capture(stats):
        captured.extend(stats)
        return original(stats)

    D.archive_rejections = capture
    try:
        with tempfile.TemporaryDirectory() as tmp:
            person_pages(as_archive(archive, Path(tmp)))
    finally:
        D.archive_rejections = original
    out = {}
    for s in captured:
        reason = None
        for rule in D.STRONG_ARCHIVE_RULES + (() if s.titled else D.ARCHIVE_RULES):
            reason = rule(s)
            if reason:
                break
        keys = {S.entity_key(sp) for sp in s.spellings}
        around = sorted({cue for (k, cue) in s.cues if k in keys and cue.startswith(("before ", "after "))})
        f = EV.classifier_features(s, tuple(around))
        out[s.name] = {"features": {n: v for n, v in f.items() if not n.startswith(("before ", "after "))},
                       "around": {n.removesuffix(" share"): v for n, v in f.items()
                                  if n.startswith(("before ", "after "))},
                       "rules": reason, "spellings": s.spellings}
    return out


def labelled_rows(feats: dict[str, dict], label_files: list[Path]) -> list[tuple[str, bool, dict]]:
    by_spelling = {}
    for name, row in feats.items():
        for sp in row["spellings"]:
            by_spelling.setdefault(sp, name)
    rows = {}
    for path in label_files:
        for name, ok in read_labels(path).items():
            found = name if name in feats else by_spelling.get(name)
            if found is not None:
                rows[found] = (found, ok, feats[found])
    return [rows[k] for k in sorted(rows)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("archive", type=Path)
    ap.add_argument("--features", type=Path, help="reuse features written by --features-out")
    ap.add_argument("--features-out", type=Path)
    ap.add_argument("--labels", type=Path, action="append", help="training labels (default: samples 1-19)")
    ap.add_argument("--precision", type=float, default=0.6,
                    help="share of not-people among the names the threshold turns down (cross-validated)")
    ap.add_argument("--C", type=float, default=0.1, help="inverse regularisation strength")
    ap.add_argument("--min-names", type=int, default=20,
                    help="a word before or after names is a feature when it is around this many training names"
                         " (0: none)")
    ap.add_argument("--drop", action="append", default=[], help="leave this feature out (to compare)")
    ap.add_argument("--extra", nargs=2, action="append", default=[], metavar=("FEATURES", "LABELS"),
                    help="train on another archive's names too: its features (--features-out) and a labels file")
    ap.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    ap.add_argument("--score", type=Path, action="append", default=[],
                    help="labels file(s) to score with the trained model (not trained on)")
    args = ap.parse_args(argv)

    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    if args.features:
        feats = json.loads(args.features.read_text(encoding="utf-8"))
    else:
        feats = archive_features(args.archive)
        if args.features_out:
            args.features_out.write_text(json.dumps(feats, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    label_files = args.labels or [DATA / f for f in TRAINING]
    rows = labelled_rows(feats, label_files)
    for features_path, labels_path in args.extra:     # another archive: its own evidence, its own labels
        rows += labelled_rows(json.loads(Path(features_path).read_text(encoding="utf-8")), [Path(labels_path)])
        label_files = label_files + [Path(labels_path)]
    names = sorted(set(next(iter(feats.values()))["features"]) - set(args.drop))
    # words right before or after the names: those around at least --min-names training names
    counts: dict[str, int] = {}
    for r in rows:
        for cue in r[2]["around"]:
            counts[cue] = counts.get(cue, 0) + 1
    words_around = sorted(c for c, n in counts.items() if n >= args.min_names) if args.min_names else []
    names += [f"{c} share" for c in words_around]

    def vector(row: dict) -> list[float]:
        return [row["features"][n] if n in row["features"] else row["around"].get(n.removesuffix(" share"), 0.0)
                for n in names]

    X_ = np.array([vector(r[2]) for r in rows], dtype=float)
    y = np.array([1 if r[1] else 0 for r in rows])
    kept = np.array([r[2]["rules"] is None for r in rows])
    print(f"training names: {len(rows)} ({int(y.sum())} people, {int((1 - y).sum())} not); "
          f"kept by the rules: {int(kept.sum())} ({int(y[kept].sum())} people, {int((1 - y[kept]).sum())} not)")

    mean = X_.mean(axis=0)
    scale = X_.std(axis=0)
    scale[scale == 0] = 1.0

    def fit(Xa, ya):
        return LogisticRegression(C=args.C, solver="lbfgs", max_iter=5000).fit((Xa - mean) / scale, ya)

    oof = np.zeros(len(y))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(X_, y):
        oof[test] = fit(X_[train], y[train]).predict_proba((X_[test] - mean) / scale)[:, 1]

    print("cross-validated (5-fold, out of fold), names the rules keep:")
    print("  threshold  turned down  of which not people  people share of kept pages after")
    base_people, base_n = int(y[kept].sum()), int(kept.sum())
    print(f"  {'rules':>9}  {0:>11}  {'':>19}  {base_people / base_n:.1%} ({base_people}/{base_n})")
    best = 0.0
    for t in [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9]:
        down = kept & (oof < t)
        n_down, n_not = int(down.sum()), int((down & (y == 0)).sum())
        left = kept & ~down
        share = y[left].sum() / max(left.sum(), 1)
        print(f"  {t:>9.2f}  {n_down:>11}  {n_not:>19}  {share:.1%} ({int(y[left].sum())}/{int(left.sum())})")
        if n_down and n_not / n_down >= args.precision:
            best = t
    print(f"threshold chosen (highest with >= {args.precision:.0%} not people turned down): {best}")

    model = fit(X_, y)
    coef = model.coef_[0]
    from sklearn.metrics import roc_auc_score
    print(f"cross-validated AUC on the names the rules keep: {roc_auc_score(y[kept], oof[kept]):.3f}")
    print("coefficients (standardised features; negative = less likely a person), the largest:")
    for n, c in sorted(zip(names, coef), key=lambda nc: nc[1])[:15] + sorted(zip(names, coef), key=lambda nc: nc[1])[-10:]:
        print(f"  {c:+.3f}  {n}")
    payload = {
        "about": "Logistic regression over the archive's evidence about a name (builder.people.classifier_features);"
                 " written by benchmarks/people_classifier.py from hand-labelled names (trained_on: files of"
                 " benchmarks/data/). Set enabled to false to switch it off.",
        "enabled": True,
        "trained_on": [p.name for p in label_files],
        "names": {"people": int(y.sum()), "not people": int((1 - y).sum())},
        "C": args.C,
        "threshold": best,
        "features": names,
        "words_around": words_around,
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in coef],
        "intercept": round(float(model.intercept_[0]), 6),
    }
    for path in args.score:
        srows = labelled_rows(feats, [path])
        sx = np.array([vector(r[2]) for r in srows], dtype=float)
        p = model.predict_proba((sx - mean) / scale)[:, 1]
        down = [(r[0], r[1], pi) for r, pi in zip(srows, p) if r[2]["rules"] is None and pi < best]
        print(f"{path.name}: turned down {len(down)}: " + "; ".join(f"{n} ({'P' if ok else 'N'} {pi:.2f})"
                                                                 for n, ok, pi in down))
    if args.write:
        OUT.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
