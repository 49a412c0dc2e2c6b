"""The archive's scalable search at 10,000 articles: build time, size, bytes, latency, agreement.

    python benchmarks/search.py                     # 10,000 articles, http and file://
    python benchmarks/search.py --corpus wire --wire DIR...   # 10,000 short wire stories, ALL-CAPS titles
    python benchmarks/search.py --articles 2000 --queries 10
    python benchmarks/search.py --lunr 1000         # also time lunr.py on 1,000 of the articles

Synthetic articles (benchmarks/search_corpus.py) are indexed into this repository's seed site
built with ``search: archive``; headless Chromium (/usr/bin/chromium) then opens it over http
(a local http.server on 127.0.0.1) and from file:// and prints:

* index build: cold (no cache) and after one new article (token cache), wall and CPU seconds;
* index size, all files and by part;
* bytes loaded before the first results of a one-word query (fresh browser context each time:
  the index's files, and everything the page loaded), median over the queries;
* input to results in the DOM (first query of a page, later ones), medians, per origin;
* words typed key by key (50-150 ms apart as a person types, and all at once, a task a key): from
  the first and from the last keystroke of the word to an article whose title holds the word
  among the first results shown (first query of a page, later ones), medians, and the bytes the
  page loaded by then; the wire corpus's planted headline first (``search_corpus.PLANTED_TITLE``);
* agreement: the share of a plain Python BM25's top 10 found in the search's top 10.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import search_corpus as sc  # noqa: E402

from builder.outputs import search  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


# ---------------------------------------------------------------------------------------
# the site
# ---------------------------------------------------------------------------------------

def seed_site(folder: Path) -> Path:
    """This repository's seed archive, built with the archive's search, into ``folder``; -> site."""
    from builder.pipeline import Project
    from builder.mkdocs.publish import build

    folder.mkdir(parents=True, exist_ok=True)
    for name in ("corpus", "theme_overrides"):
        shutil.copytree(ROOT / name, folder / name)
    (folder / "docs").mkdir()
    for page in sorted((ROOT / "docs").glob("*.md")):
        shutil.copy2(page, folder / "docs" / page.name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\n  - archive\n" in config
    config = config.replace("\n  - archive\n", "\n  - archive:\n      search: archive\n")
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    outcome = build(Project(folder), strict=True)
    return outcome.site


def index_records(site: Path, records, cache: Path | None) -> tuple[search.IndexStats, float, float]:
    """Replace the site's index by one of ``records``; -> (stats, wall s, CPU s)."""
    wall, cpu = time.perf_counter(), time.process_time()
    stats = search.publish(site, records, lambda path: path[:-3] + ".html", None, cache)
    return stats, time.perf_counter() - wall, time.process_time() - cpu


def size_by_part(site: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    root = site / search.INDEX_DIR
    for path in root.rglob("*.js"):
        part = path.relative_to(root).parts[0] if len(path.relative_to(root).parts) > 1 else path.name
        out[part] = out.get(part, 0) + path.stat().st_size
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Server:
    def __init__(self, site: Path):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.root = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# ---------------------------------------------------------------------------------------
# the browser
# ---------------------------------------------------------------------------------------

ARM = """q => {
  window.__benchResult = null;
  // the index is loaded by <script> elements added to <head>: note every one added from now on
  const scripts = [];
  new MutationObserver(list => list.forEach(m => m.addedNodes.forEach(n => {
    if (n.tagName === 'SCRIPT' && n.src) scripts.push(n.src);
  }))).observe(document.head, {childList: true});
  const root = document.querySelector('.archive-search');
  root.addEventListener('archive-search:results', function on(e) {
    if (e.detail.query !== q) return;
    root.removeEventListener('archive-search:results', on);
    // the index files asked for before the results were in the DOM (all of them had loaded)
    window.__benchResult = Object.assign({loaded: scripts.slice()}, e.detail);
  });
}"""


TYPED = """([word, ids, size]) => {
  // one watcher per page: key-downs in the box, and every change of the result list
  const input = document.querySelector('input.md-search__input');
  const list = document.querySelector('.md-search-result__list');
  if (!window.__typedOn) {
    window.__typedOn = true;
    input.addEventListener('keydown', () => window.__typed.keys.push(performance.now()), true);
    new MutationObserver(() => window.__typedCheck()).observe(list, {childList: true, subtree: true});
    new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(n => {
      if (n.tagName === 'SCRIPT' && n.src) window.__typed.loaded.push(n.src);
    }))).observe(document.head, {childList: true});
  }
  const T = window.__typed = {word, ids, keys: [], found: null, rank: null, loaded: []};
  // found: the box holds the word and one of the articles is among the first `size` results shown
  window.__typedCheck = () => {
    if (T.found !== null || input.value !== word) return;
    const links = Array.from(list.querySelectorAll(
      'li.md-search-result__item:not(.archive-search-name) > a.md-search-result__link')).slice(0, size);
    const at = links.findIndex(a => ids.some(id => a.href.endsWith('/articles/' + id + '.html')));
    if (at >= 0) { T.found = performance.now(); T.rank = at + 1; }
  };
}"""


# keys faster than the driver can send them: each key a task of its own (as a real key is), a
# key-down, then the input event, a zero-length timeout apart, all sent at once
BURST = """word => new Promise(done => {
  const input = document.querySelector('input.md-search__input');
  let i = 0;
  (function next() {
    if (i === word.length) return done();
    input.dispatchEvent(new KeyboardEvent('keydown', {key: word[i], bubbles: true}));
    input.value += word[i++];
    input.dispatchEvent(new InputEvent('input', {bubbles: true, data: word[i - 1], inputType: 'insertText'}));
    setTimeout(next, 0);
  })();
})"""


def search_page_size() -> int:
    """How many results the search shows before "more" (archive-search.js's PAGE)."""
    js = (ROOT / "theme_overrides/assets/javascripts/archive-search.js").read_text(encoding="utf-8")
    return int(re.search(r"var PAGE = (\d+);", js).group(1))


class Page:
    """One fresh browser context on the site's home page, recording what it loads."""

    def __init__(self, browser, root: str, site: Path):
        self.root, self.site = root, site
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.urls: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda r: self.urls.append(r.url))
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(root + "index.html")
        self.page.wait_for_load_state("load")
        self.box = self.page.locator("input.md-search__input")

    def query(self, q: str, typed: bool = False) -> dict:
        """Put ``q`` in the search box (one input event, as a paste; or typed key by key) and wait
        for its results; -> {'ms': input to results in the DOM, 'results': count}."""
        self.before = list(self.urls)
        self.page.evaluate(ARM, q)
        self.box.click()
        if typed:
            self.box.fill("")
            self.box.press_sequentially(q, delay=30)
        else:
            self.box.fill(q)
        self.page.wait_for_function("() => window.__benchResult", timeout=30_000)
        result = self.page.evaluate("() => window.__benchResult")
        self.loaded = result["loaded"]
        return result

    def type_word(self, word: str, ids: list[str], mode: str, rng: random.Random) -> dict:
        """Type ``word`` into an empty search box key by key ("typed": ``TYPED_GAPS`` seconds apart;
        "burst": all at once, see ``BURST``), and wait until one of the articles ``ids`` is among the first results shown;
        -> {'first_ms': first keystroke to that, 'last_ms': last keystroke to that, 'rank': 1-10}."""
        self.box.click()
        if self.box.input_value():
            self.box.fill("")
            time.sleep(0.3)
        self.before = list(self.urls)
        self.page.evaluate(TYPED, [word, ids, search_page_size()])
        if mode == "burst":
            self.page.evaluate(BURST, word)
        else:
            for i, ch in enumerate(word):
                if i:
                    time.sleep(rng.uniform(*TYPED_GAPS))
                self.page.keyboard.press(ch)
        try:
            self.page.wait_for_function("() => window.__typed.found !== null", timeout=15_000)
        except Exception:                                 # not shown within 15 s: a failed query
            return {"first_ms": float("inf"), "last_ms": float("inf"), "rank": None}
        t = self.page.evaluate("() => window.__typed")
        self.loaded = t["loaded"]
        return {"first_ms": t["found"] - t["keys"][0], "last_ms": t["found"] - t["keys"][-1], "rank": t["rank"]}

    def bytes(self) -> tuple[int, int]:
        """(bytes of the index's files, bytes of those and of the page) loaded before the last
        query's results were shown, from the files' sizes."""
        def size(urls):
            total = 0
            for url in dict.fromkeys(urls):
                path = self.site / unquote(urlsplit(url[len(self.root):]).path)
                if url.startswith(self.root) and path.is_file():
                    total += path.stat().st_size
            return total
        index = size(self.loaded)
        return index, index + size(u for u in self.before if u not in self.loaded)

    def ranking(self, q: str, prefix: bool = False) -> list[int]:
        return self.page.evaluate(
            "([q, p]) => window.__archiveSearch.run(q, {prefix: p}).then(r => r.docs.slice(0, 10).map(d => d[0]))",
            [q, prefix])

    def close(self):
        self.context.close()


def measure(browser, root: str, site: Path, words: list[str]) -> dict:
    """Bytes and first-query latency on fresh pages, later-query latency on one page."""
    first_ms, index_bytes, all_bytes = [], [], []
    for w in words:
        page = Page(browser, root, site)
        first_ms.append(page.query(w)["ms"])
        i, a = page.bytes()
        index_bytes.append(i)
        all_bytes.append(a)
        assert not page.errors, page.errors
        page.close()
    page = Page(browser, root, site)
    page.query(words[0])
    later = [page.query(w)["ms"] for w in words[1:] + words[:1]]
    typed = page.query(words[1][:-1] + " " + words[2], typed=True)["ms"]
    page.close()
    return {"first_ms": statistics.median(first_ms), "first_max_ms": max(first_ms),
            "later_ms": statistics.median(later), "later_max_ms": max(later),
            "typed_last_ms": typed,
            "index_bytes": statistics.median(index_bytes), "all_bytes": statistics.median(all_bytes),
            "index_bytes_max": max(index_bytes)}


TYPED_GAPS = (0.05, 0.15)      # seconds between keys, uniform: a person typing


def typed(browser, root: str, site: Path, words: list[tuple[str, list[str]]], mode: str) -> dict:
    """Words typed key by key: the first query of a fresh page each, and later queries on one page;
    from the first (and the last) keystroke of the word to one of its articles among the first
    results shown; medians, and how many words never showed their article."""
    rng = random.Random(3)
    first, first_last, bytes_ = [], [], []
    for word, ids in words:
        page = Page(browser, root, site)
        r = page.type_word(word, ids, mode, rng)
        first.append(r["first_ms"])
        first_last.append(r["last_ms"])
        if r["rank"]:
            bytes_.append(page.bytes()[1])
        assert not page.errors, page.errors
        page.close()
    page = Page(browser, root, site)
    page.type_word(*words[-1], mode, rng)
    later = [page.type_word(word, ids, mode, rng) for word, ids in words]
    assert not page.errors, page.errors
    page.close()
    return {"first_ms": statistics.median(first), "first_last_ms": statistics.median(first_last),
            "later_ms": statistics.median(r["first_ms"] for r in later),
            "later_last_ms": statistics.median(r["last_ms"] for r in later),
            "later_max_ms": max(r["first_ms"] for r in later),
            "missed": sum(1 for r in later if r["rank"] is None), "ranks": [r["rank"] for r in later],
            "bytes": statistics.median(bytes_) if bytes_ else 0}


def agreement(browser, root: str, site: Path, records, queries: list[str]) -> tuple[float, float, float]:
    """(mean, min) share of the reference top 10 in the search's top 10, finished queries; and the
    mean while the last word is still being typed (completions on)."""
    docs = search._doc_order(sc.docs(records))
    reference = sc.Reference(docs)
    page = Page(browser, root, site)
    shares, typing = [], []
    for q in queries:
        ref = reference.rank(q)
        shares.append(sc.agrees(ref, [docs[n].id for n in page.ranking(q)]))
        typing.append(sc.agrees(ref, [docs[n].id for n in page.ranking(q, prefix=True)]))
    page.close()
    return statistics.mean(shares), min(shares), statistics.mean(typing)


def lunr_figures(records, n: int) -> tuple[float, int]:
    """lunr.py: seconds to build one index of ``n`` articles' title and text, and its JSON size."""
    import json

    from lunr import lunr

    docs = [{"id": r.id, "title": str(r.title.value), "text": r.text} for r in records[:n]]
    t = time.perf_counter()
    idx = lunr(ref="id", fields=("title", "text"), documents=docs)
    seconds = time.perf_counter() - t
    return seconds, len(json.dumps(idx.serialize(), separators=(",", ":")))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--lunr", type=int, default=0, metavar="N", help="also time lunr.py on N articles")
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it")
    ap.add_argument("--wire", type=Path, nargs="+", help="folders of real wire stories for --corpus wire "
                    "(default: $WIRE_STORIES)")
    ap.add_argument("--corpus", choices=("news", "wire"), default="news",
                    help="news: generated 400-word articles; wire: ~120-word Reuters stories, ALL-CAPS "
                         "titles (from " + ", ".join(map(str, sc.WIRE_FOLDERS)) + ")")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    folder = args.keep or Path(tempfile.mkdtemp(prefix="search-bench-"))
    try:
        print(f"generating {args.articles:,} articles ...", flush=True)
        records = sc.records(args.articles) if args.corpus == "news" else sc.wire_records(args.articles, args.wire)
        site = seed_site(folder / "archive")
        cache = folder / "cache"
        stats, wall, cpu = index_records(site, records, cache)
        print(f"index build, cold:             {wall:6.1f} s wall, {cpu:5.1f} s CPU  "
              f"({stats.documents:,} articles, {stats.terms:,} terms, {stats.shards} shards, {stats.files:,} files)")
        more = records + (sc.records if args.corpus == "news" else functools.partial(sc.wire_records, folders=args.wire))(args.articles + 1, seed=10)[-1:]
        more[-1].date.value = "2025-06-01"                     # the newest article, as new ones are
        stats2, wall2, cpu2 = index_records(site, more, cache)
        print(f"index build, one new article:  {wall2:6.1f} s wall, {cpu2:5.1f} s CPU  "
              f"({stats2.cached:,} from the token cache, {stats2.written:,} of {stats2.files:,} files rewritten)")
        stats, wall, cpu = index_records(site, records, cache)
        parts = size_by_part(site)
        print(f"index size: {stats.bytes / 1e6:.1f} MB in {stats.files:,} files: "
              + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(parts.items(), key=lambda kv: -kv[1]))
              + f"  (manifest {stats.manifest_bytes / 1e3:.0f} kB, facets {stats.facets_bytes / 1e3:.0f} kB)")
        if args.lunr:
            seconds, size = lunr_figures(records, args.lunr)
            print(f"lunr.py, {args.lunr:,} articles (title, text): {seconds:.1f} s, {size / 1e6:.1f} MB of JSON"
                  f"  -> {args.articles:,}: about {seconds * args.articles / args.lunr:.0f} s, "
                  f"{size * args.articles / args.lunr / 1e6:.0f} MB")

        title_words = sc.title_words(records, args.queries)
        queries = sc.queries(records, args.queries)
        words = [q for q in sc.queries(records, args.queries * 2, seed=2) if " " not in q][:args.queries]
        server = Server(site)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
                for name, root in (("http", server.root), ("file://", site.as_uri() + "/")):
                    m = measure(browser, root, site, words)
                    print(f"{name:8s} one-word query, bytes before first results (median of {len(words)}): "
                          f"index {m['index_bytes'] / 1e3:.0f} kB (max {m['index_bytes_max'] / 1e3:.0f} kB), "
                          f"page and index {m['all_bytes'] / 1e3:.0f} kB")
                    print(f"{name:8s} input to results: first query {m['first_ms']:.0f} ms (median; max "
                          f"{m['first_max_ms']:.0f}), later {m['later_ms']:.0f} ms (median; max "
                          f"{m['later_max_ms']:.0f}), last keystroke of a typed query {m['typed_last_ms']:.0f} ms")
                    for mode in ("typed", "burst"):
                        t = typed(browser, root, site, title_words, mode)
                        how = "50-150 ms apart" if mode == "typed" else "all at once, a task each"
                        print(f"{name:8s} words typed key by key {how} ({len(title_words)} words), to an article "
                              f"whose title holds the word among the first {search_page_size()} results: first "
                              f"query {t['first_ms']:.0f} ms from the first key ({t['first_last_ms']:.0f} ms from "
                              f"the last; {t['bytes'] / 1e3:.0f} kB loaded), later queries {t['later_ms']:.0f} ms "
                              f"from the first key (median; max {t['later_max_ms']:.0f}), {t['later_last_ms']:.0f} ms "
                              f"from the last; not shown within 15 s: {t['missed']}; ranks {t['ranks']}")
                mean, worst, typing = agreement(browser, server.root, site, records, queries)
                print(f"agreement with plain BM25, top 10, {len(queries)} queries: {mean:.1%} (worst query "
                      f"{worst:.0%}); with the last word still being typed: {typing:.1%}")
                browser.close()
        finally:
            server.close()
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
