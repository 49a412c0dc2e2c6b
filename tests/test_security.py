"""Article text is data, never markup: a corpus of script, HTML, Markdown and template payloads
in article bodies and in every front-matter field is built into a real site, and every built
HTML file is parsed to check that nothing executable came from an article and that every
payload is shown as visible text (on the article page, in the index pages and in the search
index, whose titles, texts and tags Material's search inserts as HTML)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lhtml

from builder.pipeline import Project
from builder.commands.scaffold import new_archive

PAYLOADS = [
    "<script>alert('xss-script')</script>",
    "<img src=x onerror=alert('xss-img')>",
    "<a href=\"javascript:alert('xss-a')\">click</a>",
    "[xss-mdlink](javascript:alert('xss-mdlink'))",
    "![xss-mdimg](http://evil.example/xss.png)",
    "<!-- xss-comment -->",
    "{{ config }}",
    "{% include 'base.html' %}",
    "<iframe src=\"http://evil.example/\"></iframe>",
    "<style>body{display:none}</style>",
    "<svg onload=alert('xss-svg')>",
    "\"><script>alert(\"xss-attr\")</script>",
    "'><img src=x onerror=alert('xss-quote')>",
    "<object data=\"http://evil.example/x\"></object><embed src=\"http://evil.example/y\">",
    "<form action=\"javascript:alert('xss-form')\"><button>go</button></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('xss-meta')\">",
    "<base href=\"http://evil.example/\">",
    "<details open ontoggle=alert('xss-details')>",
    "Attribute list {: onclick=\"alert('xss-attrlist')\" }",
    "&lt;script&gt;alert('xss-entity')&lt;/script&gt;",
    "<a href=\"http://evil.example/\">xss-plain-link</a> <http://evil.example/autolink>",
    "javascript:alert('xss-bare')",
    "Q&A: AT&T's \"quote\" & <b>bold</b> &amp; &#60;",   # escaped once: '&' never shows as '&amp;'
]
BAD_URLS = ["javascript:alert('xss-url')", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>", "http://x.example/\"onmouseover=\"alert(1)",
            "vbscript:msgbox(1)"]
GOOD_URL = "https://news.example.org/2022/03/no-fly-zone?page=1&lang=en"
LEDE = "Kyiv, {day} March 2022. NATO leaders refused a no-fly zone over Ukraine, officials said in Brussels."
BLOCKS = ["---", "# Not a heading", "    indented, not code", "* not a list", "> not a quote", "| a | b |",
          "<div>", "</div> closes it", "``` fenced", "<p markdown=\"1\">*x*</p>"]

NAV_ARTICLES = (0, 11, 22)

# elements that run code or load content; compared with what the theme itself puts on a page
EXECUTABLE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "img", "image", "style",
                   "link", "meta", "base", "form", "svg", "math", "video", "audio", "source", "template", "portal"}
# <meta> names whose content is text for reference tools (builder/outputs/cite.py), never a URL
TEXT_METADATA = {"citation_title", "citation_author", "citation_journal_title", "citation_publisher",
                 "citation_keywords", "DC.title", "DC.creator", "DC.publisher", "DC.subject", "DCTERMS.isPartOf",
                 "og:title", "og:description", "og:site_name", "article:author", "article:tag"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcdoc", "background"}


def yaml_str(text: str) -> str:
    return json.dumps(text)          # JSON strings are YAML strings


def front_matter_article(i: int, payload: str) -> str:
    return (f"---\ntitle: {yaml_str(payload)}\ndate: 2022-03-{i + 1:02d}\n"
            f"people: [{yaml_str(payload + ' Person')}]\ntags: [{yaml_str(payload)}]\n"
            f"source: {yaml_str(payload)}\nurl: {yaml_str(BAD_URLS[i % len(BAD_URLS)])}\n---\n\n"
            f"{LEDE.format(day=4)}\n\n{payload}\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The payload corpus built with ``builder.mkdocs.publish.build``: (project, site path, outcome)."""
    from builder.mkdocs.publish import build

    root = tmp_path_factory.mktemp("security") / "archive"
    new_archive(root, site_name="Security test")
    articles = root / "corpus" / "articles"
    (articles / "harmless.txt").write_text(f"{LEDE.format(day=3)}\n\nThe alliance met in Brussels.\n")
    # hand-edited registries are data too: a bad wikidata id or home page must not become a link
    (root / "corpus" / "people.yml").write_text(
        "people:\n  - name: Jane Registry\n    wikidata: \"Q1) [wd](javascript:alert('xss-wikidata'))\"\n"
        "    description: \"<script>alert('xss-description')</script>\"\n")
    (root / "corpus" / "sources.yml").write_text(
        "sources:\n  - name: Evil Outlet\n    url: \"http://evil.example/<script>alert('xss-home')</script>\"\n")
    (articles / "registry.md").write_text(f"---\nsource: Evil Outlet\n---\n\n{LEDE.format(day=3)} "
                                          "Jane Registry said so.\n")
    (articles / "linked.md").write_text(f"---\nurl: {GOOD_URL}\n---\n\n{LEDE.format(day=3)}\n")
    body = [LEDE.format(day=5)] + PAYLOADS + BLOCKS + ["The end of the article."]
    (articles / "body.txt").write_text("\n\n".join(body) + "\n")
    for i, payload in enumerate(PAYLOADS):
        (articles / f"fm-{i:02d}.md").write_text(front_matter_article(i, payload))
    (articles / "web.html").write_text(
        "<html><head><title>&lt;script&gt;alert('xss-webtitle')&lt;/script&gt; | Outlet</title></head><body>"
        "<article><p>" + LEDE.format(day=6) + " The foreign ministers met for hours in the Belgian capital.</p>"
        "<p>&lt;img src=x onerror=alert('xss-webtext')&gt; was printed in the story as an example.</p>"
        "<script>alert('xss-webscript')</script><img src=x onerror=alert('xss-webimg')></article></body></html>")
    # two payload articles in the nav (titled by the page itself), so nav, tabs and footer print their titles
    yml = (root / "mkdocs.yml").read_text(encoding="utf-8")
    nav_line = "  - Build report: report/index.md\n"
    assert nav_line in yml
    (root / "mkdocs.yml").write_text(yml.replace(nav_line, nav_line + "".join(
        f"  - articles/fm-{i:02d}.md\n" for i in NAV_ARTICLES)), encoding="utf-8")
    outcome = build(Project(root))
    return Project(root), outcome.site, outcome


def parse(path: Path):
    return lhtml.document_fromstring(path.read_bytes())


def visible_text(node) -> str:
    """Text a reader sees (no script or style content), whitespace collapsed."""
    parts = []
    for el in node.iter():
        if el.tag in ("script", "style") or not isinstance(el.tag, str):
            if el.tail:
                parts.append(el.tail)
            continue
        if el.text:
            parts.append(el.text)
        if el.tail and el is not node:
            parts.append(el.tail)
    return re.sub(r"\s+", " ", " ".join(parts))


def normalise_url(page: Path, site: Path, url: str) -> str:
    """A script URL as a path inside the site, so pages at different depths compare equal."""
    if re.match(r"^[a-z]+:", url, re.I):
        return url
    base = site if url.startswith("/") else page.parent
    return os.path.relpath(os.path.normpath(base / url.lstrip("/")), site)


def normalise_inline(text: str) -> str:
    """Inline theme scripts differ per page only in the relative path to the site root."""
    text = re.sub(r'new URL\("[^"]*",location\)', 'new URL(ROOT,location)', text)
    text = re.sub(r'"base": "[^"]*"', '"base": ROOT', text)
    return re.sub(r'"search": "(?:\.\./|/)*', '"search": ROOT/', text).strip()


def executable_signature(page: Path, site: Path, el) -> tuple:
    if el.tag == "link" and el.get("rel") in ("prev", "next") and len(el.attrib) == 2:
        # navigation links between the nav's pages (the harmless article is not in the nav)
        internal = (page.parent / el.get("href")).resolve().is_relative_to(site.resolve())
        return ("link", "rel", "a page of this site") if internal else ("link", el.get("href"))
    if el.tag == "svg" and el.get("class") == "archive-chart-svg":
        # the build's own bar chart: fixed attributes, figures only; what it may carry is checked here
        fixed = {"class", "role", "aria-labelledby", "viewbox", "width", "preserveaspectratio", "style", "xmlns"}
        ok = (set(el.attrib) <= fixed and el.get("aria-labelledby") == "archive-chart-t archive-chart-d"
              and re.fullmatch(r"max-width:\d+px", el.get("style", "")) and not el.xpath(".//*[local-name()='script' "
              "or local-name()='foreignObject' or local-name()='a' or local-name()='use' or local-name()='image']"))
        return ("svg", "the archive's chart") if ok else ("svg", tuple(sorted(el.attrib.items())))
    if el.tag == "meta" and sorted(el.attrib) in (["content", "name"], ["content", "property"]) and re.match(
            r"^(citation_|DC\.|DCTERMS\.|og:|article:)", el.get("name") or el.get("property") or ""):
        # an article's citation metadata (builder/outputs/cite.py): a name and a text value, nothing that runs
        return ("meta", "archive citation metadata")
    if el.tag == "script" and dict(el.attrib) == {"type": "application/ld+json"} and "<" not in (el.text or ""):
        json.loads(el.text)       # schema.org JSON-LD: data, escaped so nothing can end the element
        return ("script", "archive JSON-LD")
    if el.tag == "link" and el.get("rel") == "alternate feed" and el.get("type") == "application/atom+xml":
        internal = (page.parent / el.get("href")).resolve().is_relative_to(site.resolve())
        return ("link", "rel", "a feed of this site") if internal else ("link", el.get("href"))
    attrs = tuple(sorted((k, normalise_url(page, site, v) if k in URL_ATTRS else v) for k, v in el.attrib.items()))
    if el.tag == "script":
        return ("script", attrs, normalise_inline(el.text or ""))
    return (el.tag, attrs)


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.fixture(scope="module")
def theme_baseline(site):
    """What the theme itself puts on a page: the executable elements of the harmless article's page."""
    _, site_dir, _ = site
    page = site_dir / "articles" / "harmless.html"
    doc = parse(page)
    return {executable_signature(page, site_dir, el) for el in doc.iter() if el.tag in EXECUTABLE_TAGS} | {
        ("link", "rel", "a page of this site"), ("svg", "the archive's chart")}


def test_the_corpus_built_and_every_payload_article_is_a_page(site):
    _, site_dir, outcome = site
    fates = {f.path: f.status for f in outcome.result.files}
    assert set(fates.values()) == {"page"}, fates
    assert len(fates) == len(PAYLOADS) + 5
    for i in range(len(PAYLOADS)):
        assert (site_dir / "articles" / f"fm-{i:02d}.html").is_file()


def test_no_page_has_executable_elements_or_attributes_from_articles(site, theme_baseline):
    _, site_dir, _ = site
    problems = []
    for page in html_pages(site_dir):
        doc = parse(page)
        rel = page.relative_to(site_dir).as_posix()
        for el in doc.iter():
            if not isinstance(el.tag, str):
                if isinstance(el, etree._Comment) and "xss" in (el.text or ""):
                    problems.append((rel, "comment", el.text))
                continue
            if el.tag in EXECUTABLE_TAGS and executable_signature(page, site_dir, el) not in theme_baseline:
                problems.append((rel, el.tag, dict(el.attrib), (el.text or "")[:60]))
            for name, value in el.attrib.items():
                if name.lower().startswith("on"):
                    problems.append((rel, el.tag, name, value))
                squashed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if name == "content" and (el.get("name") or el.get("property") or "") in TEXT_METADATA:
                    continue      # a title or name as text: never a URL, whatever it looks like
                if name in URL_ATTRS | {"content"} and re.match(r"(\d+;url=)?(javascript|vbscript|data):", squashed):
                    problems.append((rel, el.tag, name, value))
                if name in ("href", "src") and "evil.example" in value:
                    problems.append((rel, el.tag, name, value))
    assert not problems, problems[:20]


def test_the_theme_baseline_is_what_material_ships(theme_baseline):
    """Guards the test itself: the baseline holds the theme's scripts and nothing from an article."""
    scripts = [s for s in theme_baseline if s[0] == "script"]
    assert scripts, "no theme scripts found: the comparison would be vacuous"
    assert not any("xss" in repr(s) or "evil" in repr(s) for s in theme_baseline)


def test_article_bodies_show_every_payload_as_text(site):
    _, site_dir, _ = site
    doc = parse(site_dir / "articles" / "body.html")
    (text_div,) = doc.find_class("archive-text")
    assert {child.tag for child in text_div} == {"p"}      # no headings, rules, lists, code or quotes
    shown = [re.sub(r"\s+", " ", p.text_content()).strip() for p in text_div]
    for block in PAYLOADS + BLOCKS:
        assert re.sub(r"\s+", " ", block).strip() in shown, block


@pytest.mark.parametrize("i", range(len(PAYLOADS)))
def test_front_matter_payloads_are_text_wherever_the_article_appears(site, i):
    _, site_dir, _ = site
    payload = PAYLOADS[i]
    page = site_dir / "articles" / f"fm-{i:02d}.html"
    doc = parse(page)
    assert doc.findtext(".//title") == f"{payload} - Security test"
    (header,) = doc.xpath('//div[@data-md-component="header-topic"]//span[@class="md-ellipsis"]')
    assert header.text_content().strip() == payload
    (h1,) = doc.find_class("archive-title")
    assert h1.text_content() == payload
    meta = doc.find_class("archive-meta")[0]
    people = [a.text_content() for a in meta.find_class("archive-person")]
    tags = [a.text_content() for a in meta.find_class("archive-tag")]
    assert people == [payload + " Person"] and tags == [payload]
    assert payload in visible_text(meta)                                   # the source
    assert not meta.find_class("archive-original")                        # the bad url is not linked
    assert payload in visible_text(doc.find_class("archive-text")[0])

    # every index page that lists the article shows its title as text
    listing = [page for page in html_pages(site_dir) if f"fm-{i:02d}.html" in page.read_text(encoding="utf-8")
               and page.relative_to(site_dir).parts[0] not in ("articles", "report")]
    assert len(listing) >= 4, listing            # person, tag, source and timeline pages at least
    for other in listing:
        other_doc = parse(other)
        links = [a for a in other_doc.iter("a") if (a.get("href") or "").endswith(f"articles/fm-{i:02d}.html")]
        assert links and all(re.sub(r"\s+", " ", a.text_content()).strip() == payload for a in links), other
    # and the person, tag and source pages carry the payload as their title
    for folder in ("people", "tags", "sources"):
        pages = [p for p in (site_dir / folder).glob("*.html") if p.name not in ("index.html", "unknown.html")
                 and parse(p).findtext(".//title", "").startswith(payload)]
        assert pages, (folder, payload)


@pytest.mark.parametrize("i", NAV_ARTICLES)
def test_titles_in_the_nav_tabs_and_footer_are_text(site, i):
    _, site_dir, _ = site
    payload = PAYLOADS[i]
    href = f"fm-{i:02d}.html"
    seen = 0
    for page in html_pages(site_dir):
        doc = parse(page)
        for a in doc.iter("a"):
            if not (a.get("href") or "").endswith(href):
                continue
            if "md-nav__link" in (a.get("class") or "") or "md-tabs__link" in (a.get("class") or ""):
                assert re.sub(r"\s+", " ", a.text_content()).strip() == payload, page
                seen += 1
            if "md-footer__link" in (a.get("class") or ""):
                (title,) = a.find_class("md-ellipsis")
                assert title.text_content().strip() == payload, page
                seen += 1
    assert seen >= 2


def test_bad_urls_are_never_links_and_are_reported(site):
    _, _, outcome = site
    warned = {f.path for f in outcome.result.files for m in f.messages if m.code in ("url", "schema:url")}
    assert warned == {f"corpus/articles/fm-{i:02d}.md" for i in range(len(PAYLOADS))}


def test_registry_values_are_text(site):
    _, site_dir, _ = site
    record = parse(site_dir / "articles" / "registry.html")
    assert [a.text_content() for a in record.find_class("archive-person")] == ["Jane Registry"]
    for folder, slug in (("people", "jane-registry"), ("sources", "evil-outlet")):
        page = parse(site_dir / folder / f"{slug}.html")
        content = page.find_class("md-content")[0]
        assert not [a.get("href") for a in content.iter("a") if "evil.example" in (a.get("href") or "")
                    or "javascript" in (a.get("href") or "")]
        assert not list(content.iter("script"))
        text = visible_text(content)
        assert ("xss-wikidata" in text or "xss-description" in text) if folder == "people" else "xss-home" in text


def test_a_good_url_is_linked(site):
    _, site_dir, _ = site
    (link,) = parse(site_dir / "articles" / "linked.html").find_class("archive-original")
    assert link.get("href") == GOOD_URL


def test_html_files_give_only_their_text(site):
    _, site_dir, _ = site
    doc = parse(site_dir / "articles" / "web.html")
    assert "<script>alert('xss-webtitle')</script>" in doc.find_class("archive-title")[0].text_content()
    text = visible_text(doc.find_class("archive-text")[0])
    assert "<img src=x onerror=alert('xss-webtext')>" in text
    assert "xss-webscript" not in text and "xss-webimg" not in text


def _search_docs(site_dir: Path) -> dict[str, dict]:
    """The archive's search index, one d/ file per page: each must be one call handing over pure
    JSON data (no code); the page inserts its strings with textContent. By page address."""
    out = {}
    for path in (site_dir / "assets" / "archive-search" / "d").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        m = re.fullmatch(r'__archiveSearch\.load\(("d/\d+"),(.*)\);\n', text, re.S)
        assert m, text[:200]
        data = json.loads(m.group(2))
        out[data["u"]] = data
    return out


def test_the_search_index_holds_payloads_as_data_and_the_page_inserts_them_as_text(site):
    _, site_dir, _ = site
    docs = _search_docs(site_dir)
    for i, payload in enumerate(PAYLOADS):
        entry = docs[f"articles/fm-{i:02d}.html"]
        assert entry["t"] == payload                       # verbatim: JSON strings, not HTML
        assert entry["g"] == [payload]
        assert any(payload in p for p in entry["b"])
    body = " ".join(docs["articles/body.html"]["b"])
    for payload in PAYLOADS:
        assert payload in body, payload
    script = (site_dir / "assets" / "javascripts" / "archive-search.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "document.write" not in script


def test_the_build_report_escapes_file_names_and_messages(make_archive):
    """File names and front-matter values quoted in messages are data in the report page too."""
    from builder.mkdocs.publish import build

    project = make_archive({
        "[x](javascript:alert('xss-name')).txt": LEDE.format(day=4) + "\n",
        "<img src=x onerror=alert('xss-name2')>.txt": LEDE.format(day=4) + "\n",
        "pipe|and`tick`.txt": LEDE.format(day=4) + "\n",
        "bad.md": "---\ndate: \"[y](javascript:alert('xss-msg'))<script>x</script>\"\n---\n\n" + LEDE.format(day=4),
    })
    (project.articles / "line\nbreak.txt").write_text(LEDE.format(day=4) + "\n")
    outcome = build(project)
    page = outcome.site / "report" / "index.html"
    doc = parse(page)
    table = doc.xpath("//table")[0]
    rows = table.xpath(".//tbody/tr")
    assert len(rows) == 5                                   # one row per file: no row split by a name
    assert all(len(r.xpath("./td")) == 3 for r in rows)
    for el in table.iter():
        assert el.tag not in EXECUTABLE_TAGS, el.tag
        assert not any(k.startswith("on") for k in el.attrib)
        assert not (el.get("href") or "").lower().startswith("javascript")
    text = visible_text(table)
    assert "[x](javascript:alert('xss-name')).txt" in text
    assert "<img src=x onerror=alert('xss-name2')>.txt" in text
    assert "pipe|and`tick`.txt" in text and "line\\u000abreak.txt" in text
    assert "[y](javascript:alert('xss-msg'))<script>x</script>" in text
