"""The archive's scalable search on 10,000 generated articles, in Chromium over http and from
file://: small downloads, results that agree with a plain BM25, and article text shown as text.
(The figures themselves are printed by benchmarks/search.py.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from test_browser import browser, pytestmark  # noqa: F401 (the browser fixture, slow + skip marks)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import search_corpus as sc  # noqa: E402

from builder.outputs import search  # noqa: E402
from builder.core.models import Field, Line  # noqa: E402

ARTICLES = 10_000
HOSTILE = '<img src=x onerror="window.__pwned=1">Zqxhostile <b>bold</b> & </script>'


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    import search as bench    # benchmarks/search.py

    folder = tmp_path_factory.mktemp("search-scale")
    records = sc.records(ARTICLES)
    hostile = sc.records(1, seed=77)[0]
    hostile.id, hostile.title = "zz_hostile", Field(HOSTILE)
    hostile.paragraphs = [Line(f"Before. {HOSTILE} After.", 1)]
    records.append(hostile)
    site = bench.seed_site(folder / "archive")
    stats, _, _ = bench.index_records(site, records, folder / "cache")
    assert stats.documents == ARTICLES + 1
    server = bench.Server(site)
    yield bench, site, records, server
    server.close()


@pytest.mark.parametrize("origin", ["http", "file"])
def test_ten_thousand_articles(big, browser, origin):
    bench, site, records, server = big
    root = server.root if origin == "http" else site.as_uri() + "/"
    words = [q for q in sc.queries(records, 12, seed=2) if " " not in q][:5]
    for w in words:
        page = bench.Page(browser, root, site)
        result = page.query(w)
        assert result["results"] > 0, w
        index_bytes, all_bytes = page.bytes()
        assert all_bytes < 1_000_000, (w, index_bytes, all_bytes)
        assert page.page.locator("li.md-search-result__item").count() >= 1
        assert not page.errors, page.errors
        page.close()

    # article text is data: the hostile title and paragraph are shown as text, never run
    page = bench.Page(browser, root, site)
    page.query("zqxhostile")
    item = page.page.locator("li.md-search-result__item", has_text="Zqxhostile")
    assert item.locator("h1").inner_text() == HOSTILE
    assert item.locator("img, b").count() == 0
    assert page.page.evaluate("window.__pwned") is None
    assert not page.errors, page.errors
    page.close()


def test_results_agree_with_plain_bm25(big, browser):
    bench, site, records, server = big
    queries = sc.queries(records, 20)
    docs = search._doc_order(sc.docs(records))
    reference = sc.Reference(docs)
    page = bench.Page(browser, server.root, site)
    for q in queries:
        ref = reference.rank(q)
        got = [docs[n].id for n in page.ranking(q)]
        assert sc.agrees(ref, got) == 1.0, (q, got, ref[:10])
    page.close()
