"""Fit and measure the people decision: leave one corpus out, then fit on all and write the model.

    python benchmarks/people_evidence.py CORPUS OUT/CORPUS.json       # once per corpus (pipeline run)
    python benchmarks/people_model.py OUT                             # leave-one-corpus-out figures
    python benchmarks/people_model.py OUT --write                     # fit on every corpus, write the model

OUT holds the evidence files of ``people_evidence.py`` named after the corpora below. Each labelled
name (``P``/``N`` in ``benchmarks/data/people_pages_labels*.tsv``, drawn from person pages and
labelled blind from names and passages) is looked up among the names of its corpus' evidence.
For each corpus family in turn, the model is fitted on the other families only and its threshold
is chosen on their out-of-fold probabilities (5-fold, fixed seed): the one with the fewest errors.
Then the held-out family is scored: precision (the share of people among its labelled names that
stay person pages) and recall (the share of its labelled people that do). Those are first-run
figures only the first time; once a fold was looked at, it is development data.

CoNLL-2003 English is labelled by ``people_conll.py`` from its own annotation (every name of the
run), the other families by hand. A family whose evidence file is missing is left out of every fit
and has no row.

``--write`` fits on all labelled names and writes ``builder/data/person-model.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "benchmarks" / "data"
OUT = ROOT / "builder" / "data" / "person-model.json"

_BBC = (["people_pages_labels.tsv", "people_pages_labels_fresh.tsv", "people_pages_labels_final.tsv"]
        + [f"people_pages_labels_r{s}.tsv" for s in ("4", "4_final", "4_final2", "4_final3", "4_final4",
                                                     "4_final5", "4_final6", "4_final7", "4_final8", "5",
                                                     "5b", "6", "7", "8", "8b", "9", "10", "10b", "11")]
        + [f"people_pages_labels_sectioned_{c}.tsv" for c in "abcdefghij"])
# family -> [(evidence file stem, label files)]
CORPORA = {
    "BBC (2004-05 and 2020-22)": [("bbc-sectioned", _BBC + ["people_turned_down_bbc-sectioned.tsv"])],
    "Reuters-21578 (1987)": [("reuters-000", ["people_pages_labels_reuters.tsv", "people_turned_down_reuters-000.tsv"]),
                             ("reuters-001", ["people_pages_labels_reuters_test.tsv",
                                              "people_turned_down_reuters-001.tsv"])],
    "English Wikinews (2004-18)": [("wikinews", [f"people_pages_labels_wikinews{s}.tsv"
                                                 for s in ["", *(f"_{c}" for c in "bcdefghijk")]]
                                    + ["people_turned_down_wikinews.tsv"])],
    # every name of the run, labelled by people_conll.py's gold rule from the corpus' own annotation
    "CoNLL-2003 English (1996)": [("conll", ["people_labels_conll.tsv"])],
    # person-page samples only (no turned-down names): precision, and the recall of the people
    # among them; scored, and part of the fit only with --with-new
    "AllSides US politics (2012-20)": [("allsides", ["people_pages_labels_allsides.tsv"])],
    "Web pages of 2019 (181 outlets)": [("aeb", ["people_pages_labels_aeb.tsv"])],
}
SCORED_ONLY = ("AllSides US politics (2012-20)", "Web pages of 2019 (181 outlets)")
# people_pages_labels*: names drawn from person pages, so every one had been kept by the rules of
# the day; people_turned_down_*: a sample of the names those rules turned down (the last rules
# before the one decision), without which a model never sees what a veto removed.


def read_labels(path: Path) -> dict[str, bool]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        label, name = line.split("\t")[:2]
        out[name.strip()] = label.strip().upper() == "P"
    return out


def stats_of(row: dict):
    """A NameStats back from an evidence file's row."""
    from builder.people.evidence import NameStats

    return NameStats(row["name"], row["spellings"], row["articles"], row["titled"], Counter(row["lower_words"]),
                     Counter(row["other_labels"]), Counter(row["runs"]), Counter(row["the_runs"]),
                     Counter(row["thing_context"]), Counter({(k, c): n for k, c, n in row["cues"]}))


def _before(before_dir: Path | None, stem: str) -> dict[str, str | None]:
    """{name: the earlier code's reason for turning it down} from its evidence run, if given."""
    if before_dir is None or not (before_dir / f"{stem}.json").exists():
        return {}
    rows = json.loads((before_dir / f"{stem}.json").read_text(encoding="utf-8"))["names"]
    return {sp: r["reason"] for r in rows for sp in [r["name"], *r["spellings"]]}


def labelled(evidence_dir: Path, stem: str, label_files: list[str],
             before_dir: Path | None = None) -> list[tuple[str, bool, dict, str | None]]:
    """(name, is a person, features, the earlier decision's reason) for each labelled name found."""
    from builder.people.model import DECISION_STEPS, decision_features

    before = _before(before_dir, stem)
    rows = json.loads((evidence_dir / f"{stem}.json").read_text(encoding="utf-8"))["names"]
    by_name = {r["name"]: r for r in rows}
    for r in rows:
        for sp in r["spellings"]:
            by_name.setdefault(sp, r)
    out = {}
    for f in label_files:
        if not (DATA / f).exists():
            continue
        for name, ok in read_labels(DATA / f).items():
            r = by_name.get(name)
            if r is not None:
                stats = stats_of(r)
                out[r["name"]] = (r["name"], ok, decision_features(stats), before.get(r["name"], r.get("reason")),
                                  any(step(stats) for step in DECISION_STEPS))
    return [out[k] for k in sorted(out)]


def fit(X, y, C: float):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, solver="lbfgs", max_iter=5000).fit((X - mean) / scale, y)
    return model, mean, scale


def choose_threshold(X, y, C: float) -> float:
    """The threshold with the fewest errors on 5-fold out-of-fold probabilities (seed 0)."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    oof = np.zeros(len(y))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(X, y):
        model, mean, scale = fit(X[train], y[train], C)
        oof[test] = model.predict_proba((X[test] - mean) / scale)[:, 1]
    grid = [i / 100 for i in range(2, 96)]
    return min(grid, key=lambda t: (int(((oof < t) & (y == 1)).sum() + ((oof >= t) & (y == 0)).sum()), -t))


def scores(kept, y) -> tuple[float, float, int, int]:
    people_kept = int((kept & (y == 1)).sum())
    return people_kept / max(int(kept.sum()), 1), people_kept / max(int((y == 1).sum()), 1), int(kept.sum()), \
        int((y == 1).sum())


def _held_out_row(fam: str, train: list, held: list, arrays, C: float) -> None:
    """One family's row: fitted on ``train``, threshold from its out-of-fold probabilities, scored
    on ``held``; the people it loses and the others it keeps on stderr."""
    Xt, yt, _, _ = arrays(train)
    Xh, yh, old_kept, stepped = arrays(held)
    t = choose_threshold(Xt, yt, C)
    model, mean, scale = fit(Xt, yt, C)
    p = model.predict_proba((Xh - mean) / scale)[:, 1]
    bp, br, _, _ = scores(old_kept, yh)
    np_, nr, _, _ = scores((p >= t) & ~stepped, yh)      # the build's decision: its steps, then the model
    print(f"| {fam} | {len(yh)} ({int(yh.sum())} / {int((1 - yh).sum())}) | {bp:.3f} / {br:.3f} | "
          f"**{np_:.3f} / {nr:.3f}** | {t:.2f} |")
    lost = sorted((round(float(pi), 2), r[0]) for r, pi in zip(held, p) if r[1] and (pi < t or r[4]))
    kept_not = sorted((round(float(pi), 2), r[0]) for r, pi in zip(held, p) if not r[1] and pi >= t)
    print(f"    people lost: {lost[:12]}", file=sys.stderr)
    print(f"    not people kept: {kept_not[-12:]}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("evidence_dir", type=Path)
    ap.add_argument("--before", type=Path, help="evidence files of the earlier code, for its column")
    ap.add_argument("--C", type=float, default=0.3, help="inverse regularisation strength")
    ap.add_argument("--write", action="store_true", help=f"fit on every corpus and write {OUT.relative_to(ROOT)}")
    ap.add_argument("--with-new", action="store_true", help=f"fit on {', '.join(SCORED_ONLY)} too")
    args = ap.parse_args(argv)

    import numpy as np

    data = {fam: [row for stem, files in parts if (args.evidence_dir / f"{stem}.json").exists()
                 for row in labelled(args.evidence_dir, stem, files, args.before)]
            for fam, parts in CORPORA.items()}
    data = {fam: rows for fam, rows in data.items() if rows}
    names = sorted(next(iter(data.values()))[0][2])

    def arrays(rows):
        return (np.array([[r[2][n] for n in names] for r in rows], dtype=float),
                np.array([1 if r[1] else 0 for r in rows]), np.array([r[3] is None for r in rows]),
                np.array([r[4] for r in rows]))

    print("| corpus left out | labelled names (people / not) | before: precision / recall | "
          "one decision: precision / recall | threshold |")
    print("| --- | --- | --- | --- | --- |")
    fitted = {fam: rows for fam, rows in data.items() if args.with_new or fam not in SCORED_ONLY}
    for fam in data:
        _held_out_row(fam, [r for f, rows in fitted.items() if f != fam for r in rows], data[fam], arrays, args.C)

    if args.write:
        rows = [r for rows in fitted.values() for r in rows]
        X, y, _, _ = arrays(rows)
        t = choose_threshold(X, y, args.C)
        model, mean, scale = fit(X, y, args.C)
        payload = {
            "about": "Logistic regression over the archive's evidence about a name "
                     "(builder.people decision_features), fitted by benchmarks/people_model.py on the "
                     "labelled names of the files of trained_on (by hand, CoNLL-2003 from its annotation).",
            "trained_on": {fam: [f for _, files in parts for f in files] for fam, parts in CORPORA.items()
                           if fam in fitted},
            "names": {"people": int(y.sum()), "not people": int((1 - y).sum())},
            "C": args.C,
            "threshold": t,
            "features": names,
            "mean": [round(float(v), 6) for v in mean],
            "scale": [round(float(v), 6) for v in scale],
            "coef": [round(float(v), 6) for v in model.coef_[0]],
            "intercept": round(float(model.intercept_[0]), 6),
        }
        OUT.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}: {len(y)} names, threshold {t}")
        for c, n in sorted(zip(payload["coef"], names)):
            print(f"  {c:+.3f}  {n}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
