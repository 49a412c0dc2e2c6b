"""The built seed site in a real browser (Debian's Chromium driven by Playwright).

Opened twice, as readers do: from the file system (file://) and from a local web server
on 127.0.0.1. Every request the pages make is recorded; none may leave the site.
Screenshots go to $ARCHIVE_SCREENSHOTS (default /tmp/screens).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

CHROMIUM = Path(os.environ.get("ARCHIVE_CHROMIUM", "/usr/bin/chromium"))
SCREENS = Path(os.environ.get("ARCHIVE_SCREENSHOTS", "/tmp/screens"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:                       # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sync_playwright is None, reason="the playwright package is not installed "
                       "(pip install -e '.[test]')"),
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM} "
                       "(apt-get install chromium; Playwright's own browser download is not used)"),
]

A000, A001, A002, A003, A004 = ("000_6645bb114f692c0a", "001_f122441e4731caa6", "002_78df90272e28db83",
                                "003_dc65186b82b726e1", "004_80bdbfd9fb277ead")


# ---------------------------------------------------------------------------------------
# fixtures: the browser, a local web server, and one tab that records its requests
# ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(seed_site) -> Path:
    return seed_site[1]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(folder: Path):
    """A static server for ``folder`` on a free loopback port, for as long as the block runs: its root URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def http_root(site):
    with serving(site) as url:
        yield url


@pytest.fixture(params=["file", "http"])
def origin(request, site):
    """(name, the URL of the site's root folder)"""
    if request.param == "file":
        return "file", site.as_uri() + "/"
    return "http", request.getfixturevalue("http_root")


RESULTS_JS = """() => [...document.querySelectorAll(
    'li.md-search-result__item > a.md-search-result__link')].map(a => {
        const h = a.querySelector('h1, h2');
        return [a.href, h ? h.innerText : ''];
    })"""


class Tab:
    def __init__(self, browser, origin):
        self.name, self.root = origin
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        # net::ERR_ABORTED is a request the next navigation cancelled (the search worker still loading
        # when the test moves on), not a missing file: that is a 404 or ERR_FILE_NOT_FOUND
        self.context.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED"
                        and self.failed.append(f"{r.url} ({r.failure})"))
        self.context.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} ({r.status})"))
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, rel: str):
        self.page.goto(self.root + rel)
        self.page.wait_for_load_state("load")

    def rel(self, url: str) -> str:
        """A page URL -> its path in the site ('articles/x.html')."""
        assert url.startswith(self.root), url
        return unquote(urlsplit(url[len(self.root):]).path)

    def search(self, query: str) -> list[tuple[str, str]]:
        """Type into the search box; -> [(result page path, title shown)] once results show."""
        box = self.page.locator("input.md-search__input")
        expect(box).to_be_visible()
        box.click()
        box.fill("")
        box.press_sequentially(query, delay=40)
        meta = self.page.locator(".md-search-result__meta")
        expect(meta).to_have_text(re.compile(r"\d+ matching documents?"), timeout=15_000)
        # The worker answers each keystroke's prefix in turn, and the list is re-rendered for each
        # answer: read it in one step, and only trust it once two reads a moment apart agree.
        deadline = time.monotonic() + 15
        previous = None
        while True:
            current = self.page.evaluate(RESULTS_JS)
            if current == previous and all(title for _, title in current):
                break
            assert time.monotonic() < deadline, f"search results for {query!r} never settled: {current}"
            previous = current
            self.page.wait_for_timeout(400)
        return [(self.rel(href), title.strip()) for href, title in current]

    def assert_stayed_in_the_site(self):
        assert self.requests, "no requests recorded"
        outside = [u for u in self.requests if not (u.startswith(self.root) or u.startswith(("data:", "blob:")))]
        assert not outside, f"requests leaving the site: {outside}"
        assert not self.failed, f"failed requests: {self.failed}"
        assert not self.errors, f"JavaScript errors: {self.errors}"


@pytest.fixture
def tab(browser, origin):
    tab = Tab(browser, origin)
    yield tab
    tab.context.close()


def shot(tab: Tab, name: str, full_page: bool = False) -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}-{tab.name}.png"
    if full_page:
        tab.page.evaluate("window.scrollTo(0, 0)")
    tab.page.screenshot(path=str(path), full_page=full_page)
    return path


def article_title(site: Path, article_id: str) -> str:
    html = (site / "articles" / f"{article_id}.html").read_text(encoding="utf-8")
    import html as htmllib

    return htmllib.unescape(re.search(r'<h1 class="archive-title">(.*?)</h1>', html, re.S).group(1).strip())


def articles_in(results) -> dict[str, str]:
    return {m.group(1): title for rel, title in results for m in [re.fullmatch(r"articles/(.+)\.html", rel)] if m}


# ---------------------------------------------------------------------------------------
# tests
# ---------------------------------------------------------------------------------------

def test_search_finds_a_person_articles_by_name(tab, site):
    tab.open("index.html")
    assert tab.page.title() == "Home - No-fly zone 2022: a news archive"

    results = tab.search("Lavrov")
    assert ("people/sergey-lavrov.html", "Sergey Lavrov") in results
    assert articles_in(results) == {A004: article_title(site, A004)}

    results = tab.search("Zelensky")           # prefix search: finds "Zelenskyy" (Fox News) too
    found = articles_in(results)
    assert set(found) == {A001, A002, A003}, results
    for article_id, title in found.items():
        assert title == article_title(site, article_id)
    assert "Ukraine's Zelensky Blasts 'Weak' NATO" in found[A003]        # no HTML entities shown
    assert ("people/volodymyr-zelensky.html", "Volodymyr Zelensky") in results
    shot(tab, "search-results")

    # another outlet's spelling finds the articles that write the name the other way too
    results = tab.search("Zelenskyy")
    assert set(articles_in(results)) == {A001, A002, A003}, results
    tab.assert_stayed_in_the_site()


def test_one_search_at_every_size_typos_phrases_and_the_sites_own_pages(tab, site):
    """Five articles use the archive's own search, as a large archive does: a typo and a phrase
    work (Material's search found nothing for either), and so do the hand-written pages and the
    index pages' names."""
    assert not (site / "search" / "search_index.json").exists()        # no Material index built
    tab.open("index.html")
    assert set(articles_in(tab.search("Stoltenbreg"))) == {A000, A001, A002, A003, A004}   # one letter swapped
    # the phrase: the four articles that write it (Material's search found none)
    assert set(articles_in(tab.search('"no-fly zone"'))) == {A000, A001, A002, A003}
    assert ("contributing.html", "Contributing") in tab.search("pull request")
    assert ("data.html", "Data") in tab.search("frictionless")
    assert ("timeline/index.html", "Timeline") in tab.search("timeline")
    assert ("stories/index.html", "Stories") in tab.search("stories")
    item = tab.page.locator('li.md-search-result__item:has(a[href$="stories/index.html"])')
    expect(item.locator(".archive-search-meta")).to_have_text("Page")
    # the home page is not a hit for the titles of the latest articles it lists
    results = dict(tab.search("Blasts"))
    assert f"articles/{A003}.html" in results and "index.html" not in results
    shot(tab, "search-pages")
    tab.assert_stayed_in_the_site()


def test_article_page_metadata_links_lead_to_the_index_pages(tab, site):
    tab.open(f"articles/{A002}.html")
    page = tab.page
    expect(page.locator("h1.archive-title")).to_have_text(article_title(site, A002))
    meta = page.locator("dl.archive-meta")
    expect(meta.locator("time")).to_have_text("4 March 2022")
    page.locator("details.archive-provenance > summary").click()
    expect(page.locator("details.archive-provenance")).to_contain_text("corpus/articles/002_78df90272e28db83.txt")
    shot(tab, "article", full_page=True)

    links = {a.inner_text().strip(): a.evaluate("a => a.href") for a in meta.locator("a").all()}
    assert tab.rel(links["4 March 2022"]) == "timeline/2022.html"
    assert links["4 March 2022"].endswith("#2022-03")
    assert tab.rel(links["Fox News"]) == "sources/fox-news.html"
    people = [a.inner_text().strip() for a in meta.locator("a.archive-person").all()]
    tags = [a.inner_text().strip() for a in meta.locator("a.archive-tag").all()]
    assert set(people) == {"Jens Stoltenberg", "Joe Biden", "Volodymyr Zelensky", "Lesia Vasylenko"}
    assert "no-fly zone" in tags and "nuclear safety" in tags

    # a reader clicks the source, and finds the article listed there
    page.locator("dl.archive-meta a", has_text="Fox News").click()
    page.wait_for_load_state("load")
    assert tab.rel(page.url) == "sources/fox-news.html"
    expect(page.locator("article h1")).to_contain_text("Fox News")
    expect(page.locator("article").get_by_role("link", name=article_title(site, A002))).to_be_visible()

    # every person and tag link opens a page with that name, listing this article
    for name in people + tags:
        page.goto(links[name])
        page.wait_for_load_state("load")
        expect(page.locator("article h1")).to_contain_text(name)
        expect(page.locator(f'article #articles + ul a[href$="articles/{A002}.html"]')).to_have_count(1)

    # the date link lands on March 2022 in the timeline
    page.goto(links["4 March 2022"])
    expect(page.locator('[id="2022-03"]')).to_contain_text("March 2022")
    expect(page.locator(f'article a[href$="articles/{A002}.html"]')).to_have_count(1)
    tab.assert_stayed_in_the_site()


def test_search_from_an_article_page_opens_the_result(tab, site):
    # the search worker and index are found from a page one folder down, too
    tab.open(f"articles/{A001}.html")
    results = tab.search("Lavrov")
    assert set(articles_in(results)) == {A004}
    tab.page.locator(f'a.md-search-result__link[href*="articles/{A004}.html"]').first.click()
    tab.page.wait_for_load_state("load")
    assert tab.rel(tab.page.url) == f"articles/{A004}.html"
    expect(tab.page.locator("h1.archive-title")).to_have_text(article_title(site, A004))
    # the reader comments are shown apart from the article
    expect(tab.page.locator(".archive-comments")).to_contain_text("Hypocrisy is NATO’s diplomacy?")
    expect(tab.page.locator(".archive-text")).not_to_contain_text("Hypocrisy")
    tab.assert_stayed_in_the_site()


# ---------------------------------------------------------------------------------------
# the reader's pages on a desktop and on a phone
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", [1280, 390])
def test_reader_pages_fit_the_screen_and_the_people_index_stays_compact(browser, site, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        for rel in ("stories/index.html", "quotes/index.html", "people/jens-stoltenberg.html",
                    f"articles/{A004}.html", "timeline/2022.html"):
            page.goto(site.as_uri() + "/" + rel)
            page.wait_for_load_state("load")
            # nothing wider than the screen: no sideways scrolling on a phone
            assert page.evaluate("document.documentElement.scrollWidth") <= width, rel
        page.goto(site.as_uri() + "/stories/index.html")
        cards = page.locator("p.archive-story-summary + ul > li")
        expect(cards).to_have_count(4)
        tops = {round(c.bounding_box()["y"]) for c in cards.all()}
        # side by side on a desktop, one under the other on a phone
        assert (len(tops) == 1) if width > 1000 else (len(tops) == 4)
        page.goto(site.as_uri() + "/people/jens-stoltenberg.html")
        chart = page.locator("svg.archive-chart-svg")
        box = chart.bounding_box()
        assert box["width"] <= width and 60 <= box["height"] <= 330
        expect(chart).to_have_attribute("role", "img")
        page.goto(site.as_uri() + "/people/index.html")
        names = page.locator("article li a")
        expect(names).to_have_count(10)
        last = names.last.bounding_box()
        # ten names used to take 1,300 px; in columns they fit well within one screen
        assert last["y"] + last["height"] < (600 if width > 1000 else 900)
        SCREENS.mkdir(parents=True, exist_ok=True)
        for rel in ("stories/index.html", "quotes/index.html"):
            page.goto(site.as_uri() + "/" + rel)
            page.screenshot(path=str(SCREENS / f"{rel.split('/')[0]}-{width}.png"), full_page=True)
    finally:
        context.close()


def test_on_a_phone_the_header_shows_the_whole_name_and_a_person_page_is_short(browser, site):
    """Issue 20: at 390 px the header cut the site's name, the metadata labels took 40% of the
    width and a person page was 4,860 px tall, mostly tables of quotation wordings."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(site.as_uri() + f"/articles/{A004}.html")
        name = page.locator(".md-header__topic:first-child .md-ellipsis")
        expect(name).to_have_text("No-fly zone 2022: a news archive")
        assert name.evaluate("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight")
        assert name.bounding_box()["y"] >= 0 and name.evaluate(
            "e => e.getBoundingClientRect().bottom <= e.closest('header').getBoundingClientRect().bottom")
        value = page.locator("dl.archive-meta dd").first.bounding_box()
        assert value["x"] < 0.3 * 390                       # the labels' column: under a quarter of the width
        page.goto(site.as_uri() + "/people/jens-stoltenberg.html")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 3_000, height
        first = page.locator("details.archive-quote-wordings").first
        first.locator("summary").click()                    # a reader opens one quotation's wordings
        expect(first.locator("table")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "person-390-one-open.png"), full_page=True)
    finally:
        context.close()
