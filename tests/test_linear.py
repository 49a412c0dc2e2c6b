"""Linear by test: every stage, on hostile input, takes at most 6x the time for 4x the input.

The generators and the stages are those of ``benchmarks/linear.py`` (which prints the times):
comment headers and reply threads, captions, HTML nesting, quotations (many, in one paragraph,
run on, matched across articles), quotation wording diffs, stories on one day or in one month,
tags and people. Linear work takes about 4x; quadratic work 16x. Each time is the fastest of a
few runs, so a busy machine does not fail the test.
"""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from linear import STAGES, best_time  # noqa: E402   benchmarks/linear.py

GROWTH = 6.0          # allowed time ratio for 4x the input (linear: 4, quadratic: 16)


@pytest.mark.slow
@pytest.mark.parametrize("stage", list(STAGES))
def test_time_grows_linearly_with_the_input(stage):
    make, n = STAGES[stage]
    small, large = make(n), make(4 * n)
    small()                                    # imports and caches, untimed
    for _attempt in range(2):                  # a second measure when the machine was busy
        t_small = best_time(small, repeat=3)
        t_large = best_time(large, repeat=3, enough=GROWTH * t_small)
        if t_large <= GROWTH * t_small + 0.005:
            return
    raise AssertionError(f"{stage}: {t_small:.3f} s at n={n}, {t_large:.3f} s at 4n "
                         f"({t_large / t_small:.1f}x; linear is about 4x, quadratic 16x)")
