"""The scalable search's index (builder/outputs/search.py): tokens, fields, shards, escaping, the token
cache, incremental writes, and which search a build uses. The JavaScript engine's scores are
checked against a plain BM25 with Node.js when it is installed (and in the browser tests)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from builder.outputs import search
from builder.outputs.search import SearchDoc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import search_corpus as sc  # noqa: E402
from search_js import NODE, PAGE  # noqa: E402

JS = ROOT / "theme_overrides" / "assets" / "javascripts" / "archive-search.js"


def doc(id, title="A title", body=("Some text.",), comments=(), date="2022-03-04", people=(), tags=(),
        source="Wire", spellings=None):
    return SearchDoc(id=id, url=f"articles/{id}.html", title=title, date=date, date_label=date or "undated",
                     source=source, people=list(people), tags=list(tags), paragraphs=list(body),
                     comments=list(comments), spellings=spellings or {})


def payload(data: bytes):
    """The data a generated index file hands to __archiveSearch.load."""
    m = re.fullmatch(rb'__archiveSearch\.load\(("[^"]*"),(.*)\);\n', data, re.S)
    assert m, data[:100]
    return json.loads(m.group(1)), json.loads(m.group(2))


# ---------------------------------------------------------------------------------------
# tokens and fields
# ---------------------------------------------------------------------------------------

def test_tokens_fold_case_and_accents_and_split_on_punctuation():
    assert search.tokens("NATO's “no-fly zone” — Zelenskyy, São Paulo, Łódź 2022!") == [
        "nato", "s", "no", "fly", "zone", "zelenskyy", "sao", "paulo", "lodz", "2022"]
    assert search.tokens("İstanbul STRAßE Ærø") == ["istanbul", "strasse", "aero"]
    assert search.tokens("Ｆｕｌｌ　width") == ["full", "width"]          # NFKD
    assert search.tokens("<script>alert(1)</script>") == ["script", "alert", "1", "script"]
    assert search.tokens("") == []


def test_fields_are_weighted_and_comment_only_terms_are_marked():
    c = search.contribution(doc("a", title="Stoltenberg speaks", body=["Stoltenberg said no."],
                                comments=["Shameful, says a reader."], people=["Jens Stoltenberg"]))
    w = search.WEIGHTS
    tf, only_comments, _ = c["terms"]["stoltenberg"]
    assert tf == w["title"] + w["people"] + w["body"]
    assert only_comments == 0
    assert c["terms"]["shameful"][:2] == [w["comments"], 1]
    # the same word in the text and in a comment is not "only in comments"
    c = search.contribution(doc("b", body=["A shameful vote."], comments=["Shameful."]))
    assert c["terms"]["shameful"][1] == 0


def test_positions_keep_words_in_order_and_phrases_inside_one_paragraph():
    c = search.contribution(doc("a", title="x", body=["the no-fly zone", "zone one"], source=None))
    def absolute(term):
        deltas = json.loads(c["terms"][term][2])
        out, p = [], 0
        for d in deltas:
            p += d
            out.append(p)
        return out
    no, fly, zone = absolute("no")[0], absolute("fly")[0], absolute("zone")
    assert fly == no + 1 and zone[0] == fly + 1
    assert zone[1] - zone[0] > search.GAP            # the next paragraph starts after a gap


def test_every_spelling_of_a_person_is_searched():
    c = search.contribution(doc("a", people=["Volodymyr Zelensky"],
                                spellings={"Volodymyr Zelensky": ["Zelenskyy", "Zelenskiy"]}))
    assert {"zelensky", "zelenskyy", "zelenskiy"} <= set(c["terms"])


# ---------------------------------------------------------------------------------------
# the files
# ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus():
    return sc.docs(sc.records(300, seed=3))


def test_shards_partition_the_terms_in_order_and_stay_small(corpus):
    files, figures = search.build_files(corpus)
    _, manifest = payload(files["manifest.js"])
    bounds = manifest["shards"]
    assert bounds == sorted(bounds, key=lambda t: t.encode("utf-16-be")) and len(bounds) == figures["shards"] > 5
    seen = []
    for i, first in enumerate(bounds):
        key, shard = payload(files[f"t/{i}.js"])
        assert key == f"t/{i}"
        terms = list(shard)
        assert terms[0] == first
        if i + 1 < len(bounds):
            assert all(t < bounds[i + 1] for t in terms)
        # a shard holds more than one term only while it stays under the size target
        assert len(terms) == 1 or len(files[f"t/{i}.js"]) < search.SHARD_BYTES * 1.3
        _, positions = payload(files[f"p/{i}.js"])
        assert list(positions) == terms
        for t in terms:
            assert len(positions[t]) * 2 == len(shard[t])
        seen += terms
    assert len(seen) == len(set(seen)) == figures["terms"]
    # the dictionary groups hold the same terms, with document frequencies
    grouped = {}
    for g in manifest["groups"]:
        _, d = payload(files[f"k/{search.group_file(g)}.js"])
        assert all(search.group_key(t) == g for t in d["t"])
        grouped.update(zip(d["t"], d["f"]))
    assert set(grouped) == set(seen)
    _, shard0 = payload(files["t/0.js"])
    t0 = next(iter(shard0))
    assert grouped[t0] == len(shard0[t0]) // 2
    assert manifest["n"] == len(corpus) == len(manifest["dl"])


def test_postings_decode_to_the_documents_that_hold_the_term(corpus):
    files, _ = search.build_files(corpus)
    ordered = search._doc_order(corpus)
    _, manifest = payload(files["manifest.js"])
    term = "stoltenberg" if False else sorted(search.tokens(ordered[0].title))[0]
    i = max(j for j, b in enumerate(manifest["shards"]) if b.encode("utf-16-be") <= term.encode("utf-16-be"))
    _, shard = payload(files[f"t/{i}.js"])
    flat, docs, n = shard[term], [], 0
    for k in range(0, len(flat), 2):
        n += flat[k]
        docs.append(n)
    expected = [n for n, d in enumerate(ordered) if term in {t for _, x in d.segments() for t in search.tokens(x)}]
    assert docs == expected


def test_article_text_is_stored_as_data_never_markup():
    hostile = '</script><img src=x onerror="alert(1)"> \u2028 & "quotes"'
    files, _ = search.build_files([doc("x", title=hostile, body=[hostile], comments=[hostile])])
    raw = files["d/0.js"]
    assert b"\xe2\x80\xa8" not in raw                              # U+2028 escaped
    _, d = payload(raw)
    assert d["t"] == hostile and d["b"] == [hostile] and d["c"] == [hostile]
    # the browser side inserts text only: no innerHTML, outerHTML, insertAdjacentHTML or document.write
    code = JS.read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", code)


def test_documents_are_numbered_oldest_first_so_new_articles_come_last():
    docs = [doc("b", date="2023-01-01"), doc("a", date="2021-05"), doc("c", date=None), doc("d", date="2021-05")]
    assert [d.id for d in search._doc_order(docs)] == ["c", "a", "d", "b"]


# ---------------------------------------------------------------------------------------
# writing: the cache, incremental rewrites, stale files
# ---------------------------------------------------------------------------------------

def test_one_new_article_uses_the_cache_and_rewrites_few_files(tmp_path, corpus):
    out, cache = tmp_path / "index", tmp_path / "cache"
    first = search.write_index(out, corpus, cache_dir=cache)
    assert first.cached == 0 and first.written == first.files
    again = search.write_index(out, corpus, cache_dir=cache)
    assert again.cached == len(corpus) and again.written == 0 and again.removed == 0

    new = doc("zz-new", title="Harbour wall vote", body=["The harbour wall vote passed."], date="2030-01-01")
    more = search.write_index(out, [*corpus, new], cache_dir=cache)
    assert more.cached == len(corpus)                       # only the new article was tokenised
    assert more.written < more.files / 10, (more.written, more.files)
    assert (out / f"d/{len(corpus)}.js").is_file()

    fewer = search.write_index(out, corpus, cache_dir=cache)
    assert fewer.removed == 1 and not (out / f"d/{len(corpus)}.js").exists()


def test_a_damaged_cache_is_rebuilt_not_trusted(tmp_path):
    docs = [doc("a", body=["alpha beta"]), doc("b", body=["beta gamma"])]
    cache = tmp_path / "cache"
    search.write_index(tmp_path / "i1", docs, cache_dir=cache)
    [path] = cache.iterdir()
    path.write_bytes(b"\x00garbage")
    stats = search.write_index(tmp_path / "i2", docs, cache_dir=cache)
    assert stats.cached == 0
    assert (tmp_path / "i1" / "t" / "0.js").read_bytes() == (tmp_path / "i2" / "t" / "0.js").read_bytes()


def test_output_is_deterministic(tmp_path, corpus):
    a, b = search.build_files(corpus)[0], search.build_files(list(reversed(corpus)))[0]
    assert a == b


# ---------------------------------------------------------------------------------------
# which search a build uses
# ---------------------------------------------------------------------------------------

def test_the_archive_search_is_used_at_every_size_and_materials_only_when_asked_for():
    assert search.use_archive_search("archive")
    assert search.use_archive_search("auto")          # older archives' setting: the same search now
    assert not search.use_archive_search("material")
    with pytest.raises(ValueError):
        search.use_archive_search("pagefind")


def test_hand_written_pages_are_indexed_by_their_text_and_index_pages_by_their_name(tmp_path):
    html = ('<h1 id="about">About this archive<a class="headerlink" href="#about">¶</a></h1>'
            '<p>Articles are <strong>cleaned</strong> &amp; checked.</p><script>var x = "hidden";</script>'
            '<ul><li>One</li><li>Two <em>items</em></li></ul>'
            '<div data-search-exclude><p>Left out</p></div><p>Last &lt;b&gt; words</p>')
    assert search.page_text(html) == ["About this archive", "Articles are cleaned & checked.", "One",
                                      "Two items", "Last <b> words"]
    about = search.page_doc("about.md", "about.html", "About", html)
    people = search.page_doc("people/index.md", "people/index.html", "People")
    assert (about.kind, about.paragraphs[0], people.paragraphs) == ("page", "About this archive", [])
    out = tmp_path / "index"
    search.write_index(out, [doc("a1", title="Cleaned water"), about, people])
    shown = {payload(p.read_bytes())[1]["id"]: payload(p.read_bytes())[1] for p in (out / "d").glob("*.js")}
    assert shown["page:about.md"]["k"] == "page" and "k" not in shown["a1"]
    assert shown["page:about.md"]["b"][-1] == "Last <b> words"         # text, inserted as text by the page
    _, facets = payload((out / "facets.js").read_bytes())
    ordered = search._doc_order([doc("a1"), about, people])
    # pages have no person, tag, source or year: a filter never lists them
    assert [facets["doc"][i] for i, d in enumerate(ordered) if d.kind == "page"] == [[-1, -1, [], []]] * 2


# ---------------------------------------------------------------------------------------
# the JavaScript engine, with Node.js when it is installed
# ---------------------------------------------------------------------------------------

NODE_RUNNER = PAGE + r"""
const [index, js, queries] = [process.argv[2], process.argv[3], JSON.parse(process.argv[4])];
const ctx = page(index, 'file:///x/assets/archive-search/', js);
(async () => {
  const out = [];
  for (const q of queries) {
    const r = await ctx.__archiveSearch.run(q, {prefix: false});
    out.push(r.docs.map(d => [d[0], d[1]]));
  }
  console.log(JSON.stringify(out));
})();
"""


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed (the browser tests check the same)")
def test_javascript_scores_are_plain_bm25(tmp_path, corpus):
    out = tmp_path / "index"
    search.write_index(out, corpus)
    ordered = search._doc_order(corpus)
    queries = sc.queries(sc.records(300, seed=3), 8)
    runner = tmp_path / "run.js"
    runner.write_text(NODE_RUNNER, encoding="utf-8")
    got = json.loads(subprocess.run([NODE, str(runner), str(out), str(JS), json.dumps(queries)],
                                    capture_output=True, text=True, check=True, timeout=60).stdout)
    for q, ranking in zip(queries, got):
        ref = dict((i, s) for s, i in sc.reference(ordered, q))
        assert {ordered[n].id for n, _ in ranking} == set(ref), q          # the same documents match
        for n, score in ranking:
            assert score == pytest.approx(ref[ordered[n].id], rel=1e-9), q  # with the same scores
        assert sc.agrees(sc.reference(ordered, q), [ordered[n].id for n, _ in ranking]) == 1.0


# ---------------------------------------------------------------------------------------
# the build: auto picks one search, and only that one is built
# ---------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("option, archive", [(None, True), ("search: material", False),
                                             ("search_threshold: 300", True)])
def test_a_five_article_archive_uses_the_archive_search_unless_materials_is_asked_for(tmp_path, option, archive,
                                                                                    caplog):
    from conftest import copy_repo_archive

    from builder.mkdocs.publish import build

    project = copy_repo_archive(tmp_path / "archive")                  # five articles
    config = project.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  - archive\n" in text
    if option:
        config.write_text(text.replace("\n  - archive\n", f"\n  - archive:\n      {option}\n"), encoding="utf-8")
    site = build(project).site
    home = (site / "index.html").read_text(encoding="utf-8")
    assert (site / "search" / "search_index.json").exists() is not archive
    assert (site / search.INDEX_DIR / "manifest.js").exists() is archive
    assert ('name="archive-search"' in home) is archive
    assert ('name="search"' in home) is not archive                   # Material's search form
    if option and "threshold" in option:
        assert "'search_threshold' is no longer used" in caplog.text
    if archive:
        _, manifest = payload((site / search.INDEX_DIR / "manifest.js").read_bytes())
        titles = {payload(p.read_bytes())[1]["t"] for p in (site / search.INDEX_DIR / "d").glob("*.js")}
        # five articles, the four hand-written pages and the seven index pages
        assert manifest["n"] == 5 + 4 + 7
        assert {"About", "Contributing", "Data", "Home", "People", "Timeline", "Stories", "Build report"} <= titles
        assert (site / "assets/javascripts/archive-search.js").is_file()
        assert (project.root / ".cache" / "search").is_dir()


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed (the browser tests check the same)")
def test_any_script_and_missing_fields_are_found(tmp_path):
    docs = [doc("ru", title="Зеленский в Киеве", body=["Зеленский сказал."], date=None, source=None),
            doc("zh", title="北京 新闻", body=["天气 晴朗 𠀋𠀋 astral"], date="2021"),
            doc("el", title="Ελλάδα", body=[""], comments=["σχόλιο μόνο"]),
            doc("mix", title="!!!", body=["Ǆemal São Łódź ﬁnance"], people=["Ǆemal Bijedić"])]
    out = tmp_path / "index"
    search.write_index(out, docs)
    ordered = search._doc_order(docs)
    queries = ["Зеленский", "北京", "𠀋𠀋", "σχόλιο", "sao", "LODZ", "finance", "bijedic", "astral"]
    runner = tmp_path / "run.js"
    runner.write_text(NODE_RUNNER, encoding="utf-8")
    got = json.loads(subprocess.run([NODE, str(runner), str(out), str(JS), json.dumps(queries)],
                                    capture_output=True, text=True, check=True, timeout=60).stdout)
    found = {q: {ordered[n].id for n, _ in r} for q, r in zip(queries, got)}
    assert found == {"Зеленский": {"ru"}, "北京": {"zh"}, "𠀋𠀋": {"zh"}, "σχόλιο": {"el"}, "sao": {"mix"},
                     "LODZ": {"mix"}, "finance": {"mix"}, "bijedic": {"mix"}, "astral": {"zh"}}
