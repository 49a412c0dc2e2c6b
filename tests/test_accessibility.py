"""Accessibility of the built seed site: axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules over
every kind of page, on a desktop and a phone, in the light and the dark palette, with every
<details> open and with search results open. No serious or critical violation may remain.

axe-core comes bundled in ``axe-playwright-python`` (test extra) and runs in Debian's Chromium,
driven by Playwright as in tests/test_browser.py.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from test_browser import A002, A003, A004, SCREENS, browser, pytestmark, serving  # noqa: F401

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:                       # pragma: no cover - depends on the machine
    Axe = None

pytestmark = [*pytestmark, pytest.mark.skipif(Axe is None, reason="axe-playwright-python is not installed "
                                                                   "(pip install -e '.[test]')")]

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]},
        "resultTypes": ["violations"]}

# one page of every kind the archive makes or ships
PAGES = ["index.html", f"articles/{A002}.html", f"articles/{A003}.html", f"articles/{A004}.html",
         "people/index.html", "people/jens-stoltenberg.html", "tags/index.html", "tags/no-fly-zone.html",
         "sources/index.html", "sources/fox-news.html", "timeline/index.html", "timeline/2022.html",
         "stories/index.html", "quotes/index.html", "data.html", "about.html", "contributing.html",
         "report/index.html", "404.html"]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def site(seed_site):
    return seed_site[1]


@pytest.fixture(scope="module")
def axe():
    return Axe()


def serious(axe, page) -> list[str]:
    """The serious and critical violations on the page as it is now, one line each."""
    found = axe.run(page, options=WCAG).response["violations"]
    return [f"{v['id']} ({v['impact']}): {n['target']} {n.get('failureSummary', '')[:300]}"
            for v in found if v["impact"] in ("serious", "critical") for n in v["nodes"]]


@contextmanager
def page_of_size(browser, width: int, height: int):
    """A fresh browser page of that viewport, closed with its context afterwards."""
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        yield context.new_page()
    finally:
        context.close()


def set_palette(page, scheme: str) -> None:
    """Choose the palette with the header's toggle, as a reader does."""
    for _ in range(2):
        if page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme:
            return
        page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme


def open_all_details(page) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("size", list(SIZES))
def test_every_kind_of_page_has_no_serious_violations(browser, site, axe, size, scheme):
    with serving(site) as root, page_of_size(browser, *SIZES[size]) as page:
        problems = []
        page.goto(root + "index.html")
        set_palette(page, scheme)                   # remembered for the next pages
        for rel in PAGES:
            page.goto(root + rel)
            page.wait_for_load_state("load")
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme, rel
            open_all_details(page)
            problems += [f"{rel}: {p}" for p in serious(axe, page)]
        assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("size", list(SIZES))
def test_search_with_results_open_has_no_serious_violations(browser, site, axe, size, scheme):
    with serving(site) as root, page_of_size(browser, *SIZES[size]) as page:
        page.goto(root + f"articles/{A004}.html")
        set_palette(page, scheme)
        page.keyboard.press("/")                    # the keyboard opens the search, on a phone too
        box = page.locator("input.md-search__input")
        page.wait_for_function("document.activeElement && document.activeElement.matches('input.md-search__input')")
        box.press_sequentially("Stoltenberg", delay=20)
        page.wait_for_function("() => (window.__archiveSearch.last || {}).complete === true", timeout=15_000)
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / f"axe-search-{size}-{scheme}.png"))
        problems = serious(axe, page)
        assert not problems, "\n".join(problems)


def test_cite_this_opens_and_copies_from_the_keyboard(browser, site):
    """Keyboard alone: Tab reaches "Cite this", Enter opens BibTeX, Tab reaches its copy button."""
    with page_of_size(browser, *SIZES["desktop"]) as page:
        page.goto(site.as_uri() + f"/articles/{A004}.html")
        for _ in range(300):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('details.archive-citation-format > summary') "
                             "&& document.activeElement.textContent.trim() === 'BibTeX'"):
                break
        else:
            pytest.fail("Tab never reached Cite this > BibTeX")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.parentElement.open")
        page.keyboard.press("Tab")                      # then its copy button
        assert page.evaluate("document.activeElement.title") == "Copy to clipboard"
        # the code wraps (it never scrolls sideways), so it needs no focus of its own to be read
        code = page.locator("code.archive-citation-bibtex")
        assert code.evaluate("c => c.scrollWidth <= c.clientWidth")
