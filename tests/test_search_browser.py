"""The archive's scalable search in a real browser (Debian's Chromium driven by Playwright), on
the seed archive built with ``search: archive``, over http (127.0.0.1) and from file://."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from test_browser import (A001, A002, A003, A004, Tab, serving,  # noqa: F401 (fixtures, marks)
                          article_title, articles_in, browser, pytestmark, shot)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from builder.outputs import search  # noqa: E402

try:
    from playwright.sync_api import expect
except ImportError:                       # pragma: no cover - skipped by pytestmark
    expect = None


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from search import seed_site     # benchmarks/search.py

    return seed_site(tmp_path_factory.mktemp("archive-search") / "archive")


@pytest.fixture(scope="module")
def http_root(site):
    with serving(site) as url:
        yield url


@pytest.fixture(params=["file", "http"])
def tab(request, browser, site):
    root = site.as_uri() + "/" if request.param == "file" else request.getfixturevalue("http_root")
    tab = Tab(browser, (request.param, root))
    yield tab
    tab.context.close()


def indexed(site: Path) -> dict[str, dict]:
    """The articles as the index holds them (the d/ files), by id; not the site's other pages."""
    out = {}
    for path in (site / search.INDEX_DIR / "d").glob("*.js"):
        m = re.fullmatch(r'__archiveSearch\.load\("[^"]*",(.*)\);\n', path.read_text(encoding="utf-8"), re.S)
        data = json.loads(m.group(1))
        if data.get("k") != "page":
            out[data["id"]] = data
    return out


def has_phrase(data: dict, phrase: str) -> bool:
    want = " ".join(search.tokens(phrase))
    texts = [data["t"], *data["b"], *data["c"], *data["g"], data["s"]]
    return any(f" {want} " in f" {' '.join(search.tokens(t))} " for t in texts)


def find(tab: Tab, query: str) -> list[tuple[str, str]]:
    """Type ``query`` into the search box, wait for its results; -> [(page path, title shown)]."""
    box = tab.page.locator("input.md-search__input")
    expect(box).to_be_visible()
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=30)
    # results, then the matching names and the filter counts
    tab.page.wait_for_function("q => { const l = window.__archiveSearch.last || {}; return l.query === q && l.complete; }",
                               arg=query, timeout=15_000)
    results = []
    for link in tab.page.locator("li.md-search-result__item > a.md-search-result__link").all():
        results.append((tab.rel(link.evaluate("a => a.href")), link.locator("h1").first.inner_text().strip()))
    return results


def names_shown(tab: Tab) -> list[tuple[str, str]]:
    items = tab.page.locator("li.archive-search-name > a.md-search-result__link")
    return [(tab.rel(a.evaluate("a => a.href")), a.locator("h1").inner_text().strip()) for a in items.all()]


def test_the_archive_search_replaces_materials_and_finds_people_and_articles(tab, site):
    assert not (site / "search" / "search_index.json").exists()      # Material built no index
    tab.open("index.html")
    results = find(tab, "Lavrov")
    assert articles_in(results) == {A004: article_title(site, A004)}
    # people, tags and sources whose names match are offered too, with their pages
    expect(tab.page.locator("li.archive-search-name")).to_have_count(1)
    assert names_shown(tab) == [("people/sergey-lavrov.html", "Sergey Lavrov")]
    expect(tab.page.locator("li.archive-search-name")).to_contain_text("Person · 1 article")
    # the match is highlighted in the excerpt, which is article text
    expect(tab.page.locator(".md-search-result__item mark").first).to_have_text("Lavrov")
    shot(tab, "archive-search-results")

    results = find(tab, "Zelensky")
    found = articles_in(results)
    assert set(found) == {A001, A002, A003}, results
    assert "Ukraine's Zelensky Blasts 'Weak' NATO" in found[A003]         # text, no entities
    results = find(tab, "Zelenskyy")                                     # another outlet's spelling
    assert set(articles_in(results)) == {A001, A002, A003}, results
    assert not any("search_index" in u for u in tab.requests)
    tab.assert_stayed_in_the_site()


def test_phrases_prefixes_and_typos(tab, site):
    docs = indexed(site)
    tab.open(f"articles/{A001}.html")                                    # from a page one folder down
    results = find(tab, '"no-fly zone"')
    expected = {i for i, d in docs.items() if has_phrase(d, "no-fly zone")}
    assert expected and set(articles_in(results)) == expected

    results = find(tab, '"zone no-fly"')                                # the words, not the phrase
    expect(tab.page.locator(".md-search-result__meta")).to_have_text("No matching documents")

    stoltenberg = {i for i, d in docs.items() if any("Stoltenberg" in p[0] for p in d["p"])}
    assert stoltenberg
    assert set(articles_in(find(tab, "Stolt"))) >= stoltenberg          # prefix while typing
    assert set(articles_in(find(tab, "Stoltenburg"))) >= stoltenberg    # one letter wrong
    tab.assert_stayed_in_the_site()


def test_filters_with_counts(tab, site):
    tab.open("index.html")
    results = find(tab, "NATO")
    assert len(articles_in(results)) == 5
    filters = tab.page.locator(".archive-search-filters")
    expect(filters).to_be_visible()
    source = filters.locator("select[name=source]")
    expect(source.locator("option", has_text="Fox News (1)")).to_have_count(1)
    source.select_option(label="Fox News (1)")
    expect(tab.page.locator(".md-search-result__meta")).to_have_text("1 matching document")
    links = tab.page.locator("li.md-search-result__item:not(.archive-search-name) > a.md-search-result__link")
    expect(links).to_have_count(1)
    assert tab.rel(links.first.evaluate("a => a.href")) == f"articles/{A002}.html"

    # a filter alone, without words: that person's articles, newest first
    source.select_option(value="")
    tab.page.locator("input.md-search__input").fill("")
    person = filters.locator("select[name=person]")
    option = person.locator("option", has_text="Sergey Lavrov")
    expect(option).to_have_count(1)
    person.select_option(value=option.get_attribute("value"))
    expect(tab.page.locator(".md-search-result__meta")).to_have_text("1 matching document")
    expect(links).to_have_count(1)
    assert tab.rel(links.first.evaluate("a => a.href")) == f"articles/{A004}.html"
    shot(tab, "archive-search-filters")
    tab.assert_stayed_in_the_site()


def test_a_match_only_in_reader_comments_says_so(tab, site):
    tab.open("index.html")
    results = find(tab, "Hypocrisy")
    assert set(articles_in(results)) == {A004}
    item = tab.page.locator("li.md-search-result__item", has=tab.page.locator(f'a[href$="{A004}.html"]'))
    expect(item.locator(".archive-search-comments")).to_have_text("Found only in reader comments")
    results = find(tab, "Lavrov")                                       # in the article: no such note
    expect(tab.page.locator(".archive-search-comments")).to_have_count(0)


def test_keyboard_navigation(tab, site):
    tab.open("index.html")
    page = tab.page
    page.keyboard.press("/")                                             # Material's shortcut
    box = page.locator("input.md-search__input")
    expect(box).to_be_focused()
    results = find(tab, "NATO")
    assert len(results) >= 5
    links = page.locator("li.md-search-result__item > a.md-search-result__link")
    page.keyboard.press("ArrowDown")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    page.keyboard.press("Escape")
    assert page.evaluate("document.getElementById('__search').checked") is False
    expect(box).not_to_be_focused()

    box.click()
    expect(links.first).to_be_visible()
    target = tab.rel(links.first.evaluate("a => a.href"))
    page.keyboard.press("Enter")                                         # opens the first result
    page.wait_for_url(re.compile(re.escape(target) + "$"))
    tab.assert_stayed_in_the_site()


def test_a_stale_query_never_replaces_a_newer_one(tab, site):
    """Each keystroke starts a search; typed fast, the earlier ones are cancelled and only the last
    query's results are shown, however the searches' loads finish."""
    tab.open("index.html")
    page = tab.page
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("Zelensky", delay=0)
    for _ in "Zelensky":
        box.press("Backspace", delay=0)
    box.press_sequentially("Lavrov", delay=0)
    page.wait_for_function("() => (window.__archiveSearch.last || {}).query === 'Lavrov'", timeout=15_000)
    page.wait_for_timeout(1500)                        # time for any stale search to finish (it must not show)
    assert page.evaluate("window.__archiveSearch.last.query") == "Lavrov"
    expect(page.locator(".md-search-result__meta")).to_have_text("1 matching document")
    links = page.locator("li.md-search-result__item:not(.archive-search-name) > a.md-search-result__link")
    assert [tab.rel(a.evaluate("a => a.href")) for a in links.all()] == [f"articles/{A004}.html"]
    # a page of results of one query only: no stale query's items appended to it
    assert page.locator("li.md-search-result__item", has_text="Zelensky").count() == 0
