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


def test_a_page_nested_deeper_than_the_html_parser_reads_is_reported_not_silently_cut():
    # libxml2 (under trafilatura) stops at 256 nested elements and drops the rest of the page
    from pathlib import Path

    from builder.stages.read import read_data

    deep = 300
    page = ("<!doctype html><html><head><title>NATO refuses</title></head><body><article><h1>NATO refuses</h1>\n"
            "<p>The alliance refused a no-fly zone over Ukraine on Friday, its secretary-general said.</p>\n"
            + "<div>" * deep + "\n<p>This paragraph sits deeper than the parser reads and is lost.</p>"
            + "</div>" * deep + "</article></body></html>\n")
    doc = read_data(page.encode("utf-8"), Path("deep.html"), "corpus/articles/deep.html")
    assert not any("deeper than the parser" in p.text for p in doc.body)
    warnings = [m.format() for m in doc.messages if m.code == "html-depth"]
    assert warnings and warnings[0].startswith("corpus/articles/deep.html:3:"), doc.messages
    shallow = read_data(page.replace("<div>" * deep, "<div>" * 50).replace("</div>" * deep, "</div>" * 50)
                        .encode("utf-8"), Path("ok.html"), "ok.html")
    assert any("deeper than the parser" in p.text for p in shallow.body)
    assert not [m for m in shallow.messages if m.code == "html-depth"]


def test_a_reply_chain_thousands_deep_renders_nested_a_few_levels():
    # each comment replies to the one before: the page used to nest (and recurse) once per reply,
    # and a chain of 2,000 raised RecursionError while writing the article page
    import re

    from builder.core.models import Line
    from builder.outputs.render import MAX_REPLY_DEPTH, _comment_html, _count_comments, comment_threads

    n = 3000
    lines = [Line("Comments", 1, "comment-header")]
    for i in range(n):
        lines += [Line(f"reader{i}", i, "comment-author"), Line("21 Feb 2023", i, "comment-date")]
        lines += [Line(f"reader{i - 1}", i, "comment-reply-to")] if i else []
        lines += [Line(f"Comment number {i}.", i, "comment")]
    threads, headers = comment_threads(lines)
    assert headers == ["Comments"] and _count_comments(threads) == n
    page = "".join(_comment_html(c) for c in threads)
    assert all(f"<p>Comment number {i}.</p>" in page for i in (0, 1, 1500, n - 1))
    assert page.count("in reply to reader2998") == 1
    depth = deepest = 0
    for tag in re.findall(r"</?ol", page):
        depth += 1 if tag == "<ol" else -1
        deepest = max(deepest, depth)
    assert deepest == MAX_REPLY_DEPTH
