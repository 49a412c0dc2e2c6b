"""Fit and measure the people decision: leave one corpus out, then fit on all and write the model.

    python benchmarks/people_evidence.py CORPUS OUT/CORPUS.json       # once per corpus (pipeline run)
    python benchmarks/people_model.py OUT                             # leave-one-corpus-out figures
    python benchmarks/people_model.py OUT --write                     # fit on every corpus, write the model

OUT holds the evidence files of ``people_evidence.py`` named after the corpora below. Each labelled
name (``P``/``N`` in ``benchmarks/data/people_pages_labels*.tsv``, drawn from person pages and
labelled blind from names and passages) is looked up among the names of its corpus' evidence.
For each corpus family in turn, the model is fitted on the other families only (the weights of
the words written beside names, ``context_words``, too) and decides at the probability 0.5
(``--fewest-errors``: at the threshold with the fewest errors on their 5-fold out-of-fold
probabilities, fixed seed). Then the held-out family is scored: precision (the share of people
among its labelled names that stay person pages) and recall (the share of its labelled people
that do). Those are first-run
figures only the first time; once a fold was looked at, it is development data.

CoNLL-2003 English is labelled by ``people_conll.py`` from its own annotation (every name of the
run), the other families by hand. A family whose evidence file is missing is left out of every fit
and has no row.

``--write`` fits on all labelled names and writes ``builder/data/person-model.json``; ``--errors N``
lists N of each fold's lost people and kept others (the nearest the threshold; all with a large N),
after the best precision any threshold reaches at a recall of 0.97 on that fold: where it is below
0.97, no threshold meets the targets and only evidence that ranks names better can (a diagnostic,
since it chooses the threshold on the fold it scores). FNC-1 (``fnc1.json`` of its run, beside
the others in OUT) is scored like AllSides and the web pages: a development set since its first run.
"""

from __future__ import annotations

import argparse
import json
import math
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
    # looked at since its first run (0.930 of 200 pages): a development set now
    "FNC-1 web news and blogs (2014-15)": [("fnc1", ["people_pages_labels_fnc1.tsv"])],
}
SCORED_ONLY = ("AllSides US politics (2012-20)", "Web pages of 2019 (181 outlets)",
               "FNC-1 web news and blogs (2014-15)")
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
             before_dir: Path | None = None) -> list[tuple[str, bool, dict, str | None, bool, object]]:
    """(name, is a person, features, the earlier decision's reason, turned down by a step, its
    NameStats) for each labelled name found; the features' context words are weighed later,
    by the weights fitted on the training names of each fit (``with_context``)."""
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
                                  any(step(stats) for step in DECISION_STEPS), stats)
    return [out[k] for k in sorted(out)]


# a name is a person from this probability on: as likely a person as not. The threshold with the
# fewest out-of-fold errors (--fewest-errors) lies on a plateau (0.44-0.64 within 1% of the
# errors), so it moved with every new feature (0.49 to 0.59) and lost people of the test sets
THRESHOLD = 0.5

# the words weighed: the words written beside the most labelled names, as many as this (each
# is read at every name's key when the archive decides), their counts smoothed (add-one)
CONTEXT_WORDS = 300
CONTEXT_SMOOTHING = 1.0


def _beside(stats) -> set[str]:
    """The "before W" / "after W" cues of a name (its evidence file's row holds only its own)."""
    return {cue for (_, cue) in stats.cues if cue.startswith(("before ", "after "))}


def fit_context_words(rows) -> dict[str, float]:
    """{"before W" / "after W": log odds ratio} of the ``CONTEXT_WORDS`` words beside the most
    labelled names of ``rows``: how much more often its people than its other names have the word
    beside them (in any of their articles); "" holds the usual weight of a name's words."""
    has: dict[str, list[int]] = {}
    npos = sum(1 for r in rows if r[1])
    nneg = len(rows) - npos
    for r in rows:
        for w in _beside(r[5]):
            has.setdefault(w, [0, 0])[0 if r[1] else 1] += 1
    a = CONTEXT_SMOOTHING

    def odds(k: int, n: int) -> float:
        return math.log((k + a) / (n - k + a))

    common = sorted(has, key=lambda w: (-sum(has[w]), w))[:CONTEXT_WORDS]
    weights = {w: round(odds(has[w][0], npos) - odds(has[w][1], nneg), 3) for w in sorted(common)}
    return {"": _usual_weight(rows, weights), **weights}


def _usual_weight(rows, weights: dict[str, float]) -> float:
    """The mean weight of the words beside a name, over the names of ``rows`` that have any."""
    from builder.people.model import CONTEXT_WEIGHT_LIMIT, context_words

    means = []
    for r in rows:
        found = [(max(-CONTEXT_WEIGHT_LIMIT, min(CONTEXT_WEIGHT_LIMIT, weights[w])), n)
                 for w, n in context_words(r[5], weights).items()]
        if found:
            means.append(sum(v * n for v, n in found) / sum(n for _, n in found))
    return round(sum(means) / max(len(means), 1), 3)


def with_context(rows, weights: dict[str, float]):
    """The rows with their context-word features weighed by ``weights``."""
    from builder.people.model import context_word_features

    return [(r[0], r[1], {**r[2], **context_word_features(r[5], weights)}, *r[3:]) for r in rows]


def fit(X, y, C: float):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, solver="lbfgs", max_iter=5000).fit((X - mean) / scale, y)
    return model, mean, scale


def choose_threshold(rows, arrays, C: float) -> float:
    """The threshold with the fewest errors on 5-fold out-of-fold probabilities (seed 0), the
    context words weighed on each fold's training part only."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    y = np.array([1 if r[1] else 0 for r in rows])
    oof = np.zeros(len(y))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), y):
        weights = fit_context_words([rows[i] for i in train])
        Xt, yt, _, _ = arrays(with_context([rows[i] for i in train], weights))
        Xo, _, _, _ = arrays(with_context([rows[i] for i in test], weights))
        model, mean, scale = fit(Xt, yt, C)
        oof[test] = model.predict_proba((Xo - mean) / scale)[:, 1]
    grid = [i / 100 for i in range(2, 96)]
    return min(grid, key=lambda t: (int(((oof < t) & (y == 1)).sum() + ((oof >= t) & (y == 0)).sum()), -t))


def scores(kept, y) -> tuple[float, float, int, int]:
    people_kept = int((kept & (y == 1)).sum())
    return people_kept / max(int(kept.sum()), 1), people_kept / max(int((y == 1).sum()), 1), int(kept.sum()), \
        int((y == 1).sum())


def best_precision_at_recall(p, y, stepped, recall: float = 0.97) -> tuple[float, float, float] | None:
    """(threshold, precision, recall) of the threshold (0.30 to 0.99) with the highest precision whose
    recall is at least ``recall``, or None: the limit of the model's ranking on a held-out family,
    whatever the threshold. A diagnostic, never a figure: it picks the threshold on the family it scores."""
    import numpy as np

    best = None
    for t in np.round(np.arange(0.30, 0.995, 0.01), 2):
        prec, rec, _, _ = scores((p >= t) & ~stepped, y)
        if rec >= recall and (best is None or prec > best[1]):
            best = (float(t), round(prec, 3), round(rec, 3))
    return best


def _held_out_row(fam: str, train: list, held: list, arrays, C: float, errors: int = 12,
                  threshold: float | None = None) -> None:
    """One family's row: fitted on ``train`` (its context words too), at ``threshold`` (None:
    the fewest errors of its out-of-fold probabilities), scored on ``held``; the people it loses
    and the others it keeps (``errors`` of each, the nearest the threshold) on stderr."""
    weights = fit_context_words(train)
    Xt, yt, _, _ = arrays(with_context(train, weights))
    Xh, yh, old_kept, stepped = arrays(with_context(held, weights))
    t = choose_threshold(train, arrays, C) if threshold is None else threshold
    model, mean, scale = fit(Xt, yt, C)
    p = model.predict_proba((Xh - mean) / scale)[:, 1]
    bp, br, _, _ = scores(old_kept, yh)
    np_, nr, _, _ = scores((p >= t) & ~stepped, yh)      # the build's decision: its steps, then the model
    print(f"| {fam} | {len(yh)} ({int(yh.sum())} / {int((1 - yh).sum())}) | {bp:.3f} / {br:.3f} | "
          f"**{np_:.3f} / {nr:.3f}** | {t:.2f} |")
    lost = sorted((round(float(pi), 2), r[0]) for r, pi in zip(held, p) if r[1] and (pi < t or r[4]))
    kept_not = sorted((round(float(pi), 2), r[0]) for r, pi in zip(held, p) if not r[1] and pi >= t and not r[4])
    print(f"    best precision at recall >= 0.97, any threshold (threshold, precision, recall; "
          f"diagnostic): {best_precision_at_recall(p, yh, stepped)}", file=sys.stderr)
    print(f"    people lost ({len(lost)}): {lost[-errors:]}", file=sys.stderr)
    print(f"    not people kept ({len(kept_not)}): {kept_not[:errors]}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("evidence_dir", type=Path)
    ap.add_argument("--before", type=Path, help="evidence files of the earlier code, for its column")
    ap.add_argument("--C", type=float, default=0.3, help="inverse regularisation strength")
    ap.add_argument("--write", action="store_true", help=f"fit on every corpus and write {OUT.relative_to(ROOT)}")
    ap.add_argument("--with-new", action="store_true", help=f"fit on {', '.join(SCORED_ONLY)} too")
    ap.add_argument("--threshold", type=float, default=THRESHOLD,
                    help=f"the probability from which a name is a person (default {THRESHOLD})")
    ap.add_argument("--fewest-errors", action="store_true",
                    help="choose each fit's threshold by its fewest out-of-fold errors instead")
    ap.add_argument("--errors", type=int, default=12, metavar="N",
                    help="list N of each fold's errors, the nearest the threshold (default 12)")
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
        _held_out_row(fam, [r for f, rows in fitted.items() if f != fam for r in rows], data[fam], arrays, args.C,
                      args.errors, None if args.fewest_errors else args.threshold)

    if args.write:
        rows = [r for rows in fitted.values() for r in rows]
        weights = fit_context_words(rows)
        X, y, _, _ = arrays(with_context(rows, weights))
        t = choose_threshold(rows, arrays, args.C) if args.fewest_errors else args.threshold
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
            "context_words": weights,
        }
        OUT.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}: {len(y)} names, threshold {t}")
        for c, n in sorted(zip(payload["coef"], names)):
            print(f"  {c:+.3f}  {n}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
