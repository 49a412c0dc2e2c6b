"""How the archive's search ranks and cancels, with Node.js running archive-search.js on a built
index: a title that holds a common word ranks its article first; a search a newer keystroke
replaced stops and shows nothing."""

from __future__ import annotations

import json
import subprocess

import pytest

from builder.outputs import search
from test_search import JS, NODE, NODE_RUNNER, doc, sc

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed (the browser tests check the same)")

HEADLINE = "VIETNAM'S ARMY ORDERED TO GROW MORE FOOD"


def wire(n: int = 120) -> list:
    """Short wire stories that say 'ordered' once or twice, and one whose title alone holds it."""
    docs = [doc(f"w{i:03d}", title=f"COMPANY {i} REPORTS RESULTS",
                body=[f"The court ordered the company to pay {i} mln dlrs."
                      + (" The judge also ordered a review." if i % 3 == 0 else "")], date=None)
            for i in range(n)]
    docs.append(doc("vietnam", title=HEADLINE, date=None,
                    body=["Vietnam's army will grow more of its own food this year to ease the burden on farmers, "
                          "the army newspaper said, and units will plant rice, maize and cassava on land the "
                          "defence ministry set aside for them in the central highlands and the Mekong delta."]))
    return docs


def run_js(tmp_path, docs, queries, prefix=False, script=NODE_RUNNER):
    out = tmp_path / "index"
    search.write_index(out, docs)
    runner = tmp_path / "run.js"
    runner.write_text(script.replace("{prefix: false}", "{prefix: %s}" % json.dumps(prefix)), encoding="utf-8")
    return json.loads(subprocess.run([NODE, str(runner), str(out), str(JS), json.dumps(queries)],
                                     capture_output=True, text=True, check=True, timeout=60).stdout)


@pytest.mark.parametrize("prefix", [False, True], ids=["finished", "still typing"])
def test_a_title_hit_of_a_common_word_ranks_first(tmp_path, prefix):
    docs = wire()
    ordered = search._doc_order(docs)
    (ranking,) = run_js(tmp_path, docs, ["ordered"], prefix)
    ids = [ordered[n].id for n, _ in ranking]
    assert len(ids) == len(docs) and ids[0] == "vietnam", ids[:10]
    # the reference agrees, with the scores the page computes
    ref = sc.reference(ordered, "ordered")
    assert ref[0][1] == "vietnam"
    if not prefix:
        assert dict((i, s) for s, i in ref) == pytest.approx({ordered[n].id: s for n, s in ranking}, rel=1e-9)


def test_without_the_title_bonus_the_headline_would_be_buried(monkeypatch):
    """Why the bonus: field weights alone saturate, and short stories saying the word twice win."""
    ordered = search._doc_order(wire())
    monkeypatch.setattr(search, "TITLE_BONUS", 0.0)
    ranked = [i for _, i in sc.reference(ordered, "ordered")]
    assert ranked.index("vietnam") >= 10


def test_the_title_bonus_adds_the_most_a_term_can_score_so_a_title_hit_outranks_any_text():
    n, df, avgdl = 10_000, 300, 240.0
    best_text = max(search.bm25(tf, df, n, dl, avgdl) for tf in (1, 5, 50, 500) for dl in (2, 20, 240, 2000))
    worst_title = search.bm25(3, df, n, 100_000, avgdl, in_title=True)
    assert worst_title > best_text


def test_postings_say_which_articles_hold_the_word_in_their_title():
    docs = wire(6)
    files, _ = search.build_files(docs)
    shards = [json.loads(data.decode()[data.index(b",") + 1:-3]) for rel, data in files.items() if rel.startswith("t/")]
    flat = next(s["ordered"] for s in shards if "ordered" in s)
    titles = [v & 2 == 2 for v in flat[1::2]]
    assert titles == [d.id == "vietnam" for d in search._doc_order(docs)]


CANCEL_RUNNER = NODE_RUNNER.replace(
    "const r = await ctx.__archiveSearch.run(q, {prefix: false});\n    out.push(r.docs.map(d => [d[0], d[1]]));",
    "let calls = 0;\n"
    "    const r = await ctx.__archiveSearch.search(q, {}, () => ++calls > 1).then(() => 'shown', e => e.message);\n"
    "    out.push([r, calls]);")


def test_a_search_a_newer_keystroke_replaced_stops_at_its_next_step(tmp_path):
    assert CANCEL_RUNNER != NODE_RUNNER
    (outcome, calls), = run_js(tmp_path, wire(6), ["ordered"], script=CANCEL_RUNNER)
    assert outcome.startswith("cancelled") and calls == 2   # stale at the second check: no scoring, no result
