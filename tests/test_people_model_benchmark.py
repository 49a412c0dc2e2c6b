"""The people model benchmark's diagnostic: the best precision any threshold reaches at the target
recall on a held-out family, so that a feature is judged by how it ranks names, not by where one
threshold happens to fall."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.people_model import CORPORA, SCORED_ONLY, best_precision_at_recall  # noqa: E402


def test_the_best_threshold_keeps_the_recall_and_drops_what_ranks_below_every_person():
    # ten people from 0.95 down to 0.60, two others at 0.55 and 0.90
    p = np.array([0.95, 0.93, 0.9, 0.88, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.9])
    y = np.array([1] * 10 + [0, 0])
    stepped = np.zeros(len(y), dtype=bool)
    t, precision, recall = best_precision_at_recall(p, y, stepped, recall=1.0)
    assert (precision, recall) == (round(10 / 11, 3), 1.0)         # 0.55 dropped; 0.90 ranks among the people
    assert 0.55 < t <= 0.60
    # the other at 0.90 ranks above half the people: no threshold keeps half of them without it
    assert best_precision_at_recall(p, y, stepped, recall=0.5)[1] == round(10 / 11, 3)
    assert best_precision_at_recall(p, y, stepped, recall=0.2)[1:] == (1.0, 0.2)


def test_a_name_a_step_turned_down_is_never_kept_and_an_unreachable_recall_gives_none():
    p = np.array([0.99, 0.98, 0.97])
    y = np.array([1, 1, 0])
    stepped = np.array([False, True, False])             # a step turned the second person down
    assert best_precision_at_recall(p, y, stepped, recall=1.0) is None
    assert best_precision_at_recall(p, y, stepped, recall=0.5)[1:] == (1.0, 0.5)   # the other ranks below


def test_fnc1_is_scored_but_never_fitted():
    fam = next(f for f in CORPORA if f.startswith("FNC-1"))
    assert fam in SCORED_ONLY
    assert CORPORA[fam] == [("fnc1", ["people_pages_labels_fnc1.tsv"])]
