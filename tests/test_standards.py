"""What readers' tools see: head metadata (JSON-LD, Dublin Core, Open Graph, citation_*), the
"Cite this" block, Atom feeds, bulk data with its Frictionless package, the site zip, and where
each record came from (url, archived_url, retrieved, sha256). Asserted on built sites."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder.outputs import cite
from builder.outputs.feeds import timestamp
from builder.core.models import Field, Line, Record

ATOM = "{http://www.w3.org/2005/Atom}"
A000, A001, A002, A003, A004 = ("000_6645bb114f692c0a", "001_f122441e4731caa6", "002_78df90272e28db83",
                                "003_dc65186b82b726e1", "004_80bdbfd9fb277ead")
ALL = (A000, A001, A002, A003, A004)
HOSTILE = 'Ends </script><script>alert(1)</script> & "quoted" <!-- {braces} 100% \\end'


class Head(HTMLParser):
    """The <meta>, <link> and JSON-LD <script> elements of a page's <head>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []
        self.links: list[dict] = []
        self.json_ld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "content" in a and ("name" in a or "property" in a):
            self.meta.append((a.get("name") or a.get("property"), a["content"]))
        elif tag == "link":
            self.links.append(a)
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data

    def values(self, key: str) -> list[str]:
        return [v for k, v in self.meta if k == key]


def head(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def code_block(page: str, cls: str) -> str:
    m = re.search(rf'<code class="{cls}">(.*?)</code>', page, re.S)
    assert m, f"no {cls} block"
    return unescape(m.group(1))


# ---------------------------------------------------------------------------------------
# the seed site
# ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed(seed_site):
    project, site, outcome = seed_site
    return project, site, {r.id: r for r in outcome.result.records}


@pytest.mark.slow
def test_every_article_page_carries_newsarticle_json_ld(seed):
    _, site, records = seed
    for aid in ALL:
        h = head(site / "articles" / f"{aid}.html")
        assert len(h.json_ld) == 1
        data = json.loads(h.json_ld[0])
        r = records[aid]
        assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
        assert data["headline"] == r.title.value
        assert data["datePublished"] == r.date.value
        assert data["url"].endswith(f"/articles/{aid}.html") and data["url"].startswith("http")
        assert [m["name"] for m in data["mentions"]] == r.people_names
        assert all(m["@type"] == "Person" for m in data["mentions"])
        if r.source.value:
            assert data["publisher"] == {"@type": "Organization", "name": r.source.value,
                                         "url": data["publisher"]["url"]}


@pytest.mark.slow
def test_people_are_mentioned_with_their_wikidata_id_where_people_yml_has_one(seed):
    _, site, _ = seed
    data = json.loads(head(site / "articles" / f"{A000}.html").json_ld[0])
    mentions = {m["name"]: m for m in data["mentions"]}
    assert mentions["Vladimir Putin"]["sameAs"] == "https://www.wikidata.org/wiki/Q7747"
    assert "sameAs" not in mentions["Dmytro Kuleba"]        # people.yml gives him no Wikidata id


@pytest.mark.slow
def test_article_pages_carry_dublin_core_open_graph_and_zotero_tags(seed):
    _, site, records = seed
    for aid in ALL:
        r = records[aid]
        h = head(site / "articles" / f"{aid}.html")
        rels = {link.get("rel") for link in h.links}
        assert {"schema.DC", "schema.DCTERMS"} <= rels
        assert h.values("citation_title") == [r.title.value]
        assert h.values("citation_publication_date") == [r.date.value.replace("-", "/")]
        assert h.values("citation_public_url")[0].endswith(f"articles/{aid}.html")
        assert h.values("citation_journal_title") == ([r.source.value] if r.source.value else [])
        assert h.values("DC.title") == [r.title.value]
        assert h.values("DC.date") == [r.date.value]
        assert h.values("DC.type")[0] == "News Item"        # Zotero: a newspaper article
        assert set(r.people_names) <= set(h.values("DC.subject"))
        assert h.values("og:type") == ["article"] and h.values("og:title") == [r.title.value]
        assert h.values("article:published_time") == [r.date.value]


@pytest.mark.slow
def test_index_pages_carry_no_article_metadata(seed):
    _, site, _ = seed
    for page in ("index.html", "people/index.html", "people/jens-stoltenberg.html", "data.html"):
        h = head(site / page)
        assert not h.json_ld and not h.values("citation_title"), page


@pytest.mark.slow
def test_sitemap_lists_every_page_with_the_site_url(seed):
    _, site, _ = seed
    tree = ET.parse(site / "sitemap.xml")
    locs = {e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - {"404.html"}
    assert len(pages) > 30
    base = min((loc for loc in locs if loc.endswith("/index.html")), key=len).removesuffix("index.html")
    assert base.startswith("http")
    assert locs == {base + page for page in pages}


@pytest.mark.slow
def test_cite_this_block_gives_plain_text_bibtex_csl_json_and_ris(seed):
    _, site, records = seed
    r = records[A002]                          # a Fox News article
    page = (site / "articles" / f"{A002}.html").read_text("utf-8")
    assert '<h2 id="cite-this-title">Cite this</h2>' in page
    plain = unescape(re.search(r'<p class="archive-citation-plain">(.*?)</p>', page, re.S).group(1))
    stable = head(site / "articles" / f"{A002}.html").values("citation_public_url")[0]
    assert f"“[{r.title.value}]" in plain and r.title_supplied and "Fox News, 4 March 2022." in plain and stable in plain

    bib = code_block(page, "archive-citation-bibtex")
    assert bib.startswith(f"@article{{{A002},") and bib.count("{") == bib.count("}")
    assert re.search(r"^  journal = \{Fox News\},$", bib, re.M)
    assert re.search(r"^  year = \{2022\},$", bib, re.M) and re.search(r"^  date = \{2022-03-04\},$", bib, re.M)
    assert stable in bib

    csl = json.loads(code_block(page, "archive-citation-csl"))
    assert csl == [cite.csl_data(cite.citation_for(r, stable, csl[0]["archive"],
                                                   wikidata={}, source_urls={}))]
    assert csl[0]["type"] == "article-newspaper" and csl[0]["container-title"] == "Fox News"
    assert csl[0]["issued"] == {"date-parts": [[2022, 3, 4]]} and csl[0]["archive_location"] == stable

    ris = code_block(page, "archive-citation-ris")
    assert ris.startswith("TY  - NEWS\n") and "T2  - Fox News\n" in ris and ris.endswith("ER  - \n")


@pytest.mark.slow
def test_latest_articles_feed_is_atom_newest_first_with_article_dates(seed):
    _, site, records = seed
    feed = ET.parse(site / "feeds" / "latest.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(records)
    stamps = [e.findtext(f"{ATOM}updated") for e in entries]
    assert stamps == sorted(stamps, reverse=True)
    # no build time: the feed is as new as its newest article, dated from the article's own date
    assert feed.findtext(f"{ATOM}updated") == stamps[0] == max(timestamp(r.date.value) for r in records.values())
    assert stamps[0] == "2022-03-04T00:00:00Z"
    links = [e.find(f"{ATOM}link[@rel='alternate']").get("href") for e in entries]
    assert {link.rsplit("/", 1)[1] for link in links} == {f"{aid}.html" for aid in ALL}
    for e in entries:
        assert e.findtext(f"{ATOM}id") and e.findtext(f"{ATOM}title") and e.find(f"{ATOM}author") is not None


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["people", "tags", "sources"])
def test_each_person_tag_and_source_page_links_its_own_feed(seed, kind):
    _, site, records = seed
    pages = sorted(p for p in (site / kind).glob("*.html") if p.name not in ("index.html", "unknown.html"))
    assert pages
    for page in pages:
        feeds = [link for link in head(page).links if link.get("type") == "application/atom+xml"
                 and "alternate" in link.get("rel", "").split()]
        own = [f for f in feeds if f["href"].endswith(f"feeds/{kind}/{page.stem}.xml")]
        assert len(own) == 1 and any(f["href"].endswith("feeds/latest.xml") for f in feeds), page
        xml = (page.parent / own[0]["href"]).resolve()
        entries = ET.parse(xml).getroot().findall(f"{ATOM}entry")
        linked = {re.search(r"articles/([^/]+)\.html", a.get("href")).group(1)
                  for a in ET.parse(xml).getroot().iter(f"{ATOM}link") if "/articles/" in a.get("href", "")}
        listed = set(re.findall(r'href="\.\./articles/([^"/]+)\.html"', page.read_text("utf-8")))
        assert linked == listed and len(entries) == len(listed), page


@pytest.mark.slow
def test_stoltenberg_feed_holds_exactly_his_articles(seed):
    _, site, records = seed
    root = ET.parse(site / "feeds" / "people" / "jens-stoltenberg.xml").getroot()
    ids = {e.find(f"{ATOM}link[@rel='alternate']").get("href").rsplit("/", 1)[1].removesuffix(".html")
           for e in root.findall(f"{ATOM}entry")}
    assert ids == {aid for aid, r in records.items() if "Jens Stoltenberg" in r.people_names}


@pytest.mark.slow
def test_the_data_package_validates_with_frictionless(seed):
    frictionless = pytest.importorskip("frictionless")
    _, site, _ = seed
    report = frictionless.validate(str(site / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    package = json.loads((site / "data" / "datapackage.json").read_text("utf-8"))
    names = {r["path"] for r in package["resources"]}
    assert {"articles.csv", "articles.jsonl", "people.json", "tags.json", "stories.json", "quotes.json"} <= names
    for resource in package["resources"]:
        assert resource["schema"]["fields"] and all(f["type"] for f in resource["schema"]["fields"])


@pytest.mark.slow
def test_bulk_data_files_hold_every_article_with_its_text_and_fields(seed):
    project, site, records = seed
    rows = list(csv.DictReader(io.StringIO((site / "data" / "articles.csv").read_text("utf-8"))))
    assert [r["id"] for r in rows] == sorted(ALL)
    fox = next(r for r in rows if r["id"] == A002)
    assert fox["source"] == "Fox News" and fox["date"] == "2022-03-04"
    assert fox["people"].split("; ") == records[A002].people_names
    lines = (site / "data" / "articles.jsonl").read_text("utf-8").splitlines()
    full = {d["id"]: d for d in map(json.loads, lines)}
    assert set(full) == set(ALL)
    for aid, d in full.items():
        r = records[aid]
        assert d["text"] == r.text and "story" in d
        for key in ("title", "date", "source", "url", "archived_url", "retrieved", "language", "people", "tags"):
            assert key in d
        assert d["sha256"] == hashlib.sha256((project.root / r.path).read_bytes()).hexdigest()
    people = {p["name"]: p for p in json.loads((site / "data" / "people.json").read_text("utf-8"))}
    assert people["Vladimir Putin"]["wikidata"] == "Q7747"
    assert set(people["Jens Stoltenberg"]["articles"]) == {a for a, r in records.items()
                                                           if "Jens Stoltenberg" in r.people_names}
    tags = {t["tag"]: t for t in json.loads((site / "data" / "tags.json").read_text("utf-8"))}
    assert tags["no-fly zone"]["article_count"] == sum("no-fly zone" in r.tags.value for r in records.values())
    assert isinstance(json.loads((site / "data" / "stories.json").read_text("utf-8")), list)
    assert isinstance(json.loads((site / "data" / "quotes.json").read_text("utf-8")), list)


@pytest.mark.slow
def test_the_data_page_links_every_data_file_and_the_site_zip(seed):
    _, site, _ = seed
    page = (site / "data.html").read_text("utf-8")
    hrefs = set(re.findall(r'href="(data/[^"]+)"', page))
    assert {"data/articles.csv", "data/articles.jsonl", "data/people.json", "data/tags.json",
            "data/stories.json", "data/quotes.json", "data/datapackage.json", "data/archive-site.zip"} <= hrefs
    assert all((site / h).is_file() for h in hrefs)
    nav = (site / "index.html").read_text("utf-8")
    assert 'href="data.html"' in nav


@pytest.mark.slow
def test_the_site_zip_holds_the_whole_site_but_not_itself(seed):
    _, site, _ = seed
    with zipfile.ZipFile(site / "data" / "archive-site.zip") as z:
        names = z.namelist()
        assert names == sorted(names)
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
        inside = {n.removeprefix("archive-site/") for n in names}
        on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
        assert "data/archive-site.zip" not in inside
        # build-report.json and the .archive-site marker are written by `archive build` after MkDocs has finished
        assert inside == on_disk - {"data/archive-site.zip", "build-report.json", ".archive-site"}
        assert z.read("archive-site/index.html") == (site / "index.html").read_bytes()


# ---------------------------------------------------------------------------------------
# provenance fields, fixity, hostile values
# ---------------------------------------------------------------------------------------

PROVENANCE_ARTICLE = f"""---
title: '{HOSTILE}'
date: 2022-03-04
source: Fox News
url: https://www.foxnews.com/world/nato-no-fly-zone
archived_url: https://web.archive.org/web/20220304180000/https://www.foxnews.com/world/nato-no-fly-zone
retrieved: 2024-05-31
people: [Jens Stoltenberg]
---
NATO Secretary General Jens Stoltenberg said on Friday the alliance would not impose a no-fly zone.

He spoke after a meeting of foreign ministers in Brussels.
"""

BAD_PROVENANCE = """---
title: Bad provenance
retrieved: 2024-02-30
archived_url: ftp://example.org/x
---
NATO Secretary General Jens Stoltenberg said on Friday the alliance would not impose a no-fly zone.
"""


@pytest.fixture(scope="module")
def provenance_site(tmp_path_factory):
    from builder.mkdocs.publish import build
    from builder.commands.scaffold import new_archive
    from builder.pipeline import Project

    root = tmp_path_factory.mktemp("prov") / "archive"
    new_archive(root, site_name="Test </title> archive")
    articles = root / "corpus" / "articles"
    (articles / "fox.md").write_text(PROVENANCE_ARTICLE, encoding="utf-8")
    (articles / "bad.md").write_text(BAD_PROVENANCE, encoding="utf-8")
    (root / "corpus" / "people.yml").write_text(
        "people:\n  - name: Jens Stoltenberg\n    wikidata: Q57286\n", encoding="utf-8")
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text("utf-8") + '\nsite_url: "https://archive.example.org/nfz/"\n', encoding="utf-8")
    outcome = build(Project(root))
    return root, outcome.site, outcome


@pytest.mark.slow
def test_url_archived_url_retrieved_and_sha256_are_shown_on_the_page(provenance_site):
    root, site, _ = provenance_site
    page = (site / "articles" / "fox.html").read_text("utf-8")
    origin = re.search(r'<dl class="archive-origin">(.*?)</dl>', page, re.S).group(1)
    assert '<a href="https://www.foxnews.com/world/nato-no-fly-zone"' in origin
    assert '<a href="https://web.archive.org/web/20220304180000/https://www.foxnews.com/world/nato-no-fly-zone"' in origin
    assert '<time datetime="2024-05-31">' in origin
    digest = hashlib.sha256((root / "corpus" / "articles" / "fox.md").read_bytes()).hexdigest()
    assert f'<code class="archive-sha256">{digest}</code>' in origin


@pytest.mark.slow
def test_bad_provenance_values_are_reported_and_the_article_still_builds(provenance_site):
    _, site, outcome = provenance_site
    bad = next(f for f in outcome.result.files if f.path.endswith("bad.md"))
    assert bad.status == "page"
    texts = [m.format() for m in bad.messages]
    assert any(":3:" in t and "retrieved" in t and "2024-02-30" in t for t in texts), texts
    assert any(":4:" in t and "archived_url" in t for t in texts), texts
    page = (site / "articles" / "bad.html").read_text("utf-8")
    origin = re.search(r'<dl class="archive-origin">(.*?)</dl>', page, re.S).group(1)
    assert "ftp://" not in origin and "2024-02-30" not in origin


@pytest.mark.slow
def test_a_hostile_title_cannot_break_out_of_the_head_metadata(provenance_site):
    _, site, _ = provenance_site
    path = site / "articles" / "fox.html"
    text = path.read_text("utf-8")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    data = json.loads(script)
    assert data["headline"] == HOSTILE
    assert data["isBasedOn"] == "https://www.foxnews.com/world/nato-no-fly-zone"
    assert data["archivedAt"].startswith("https://web.archive.org/")
    assert data["url"] == "https://archive.example.org/nfz/articles/fox.html"
    assert data["mentions"] == [{"@type": "Person", "name": "Jens Stoltenberg",
                                 "sameAs": "https://www.wikidata.org/wiki/Q57286"}]
    h = head(path)
    assert h.values("citation_title") == [HOSTILE] and h.values("og:title") == [HOSTILE]
    assert h.values("DC.source") == ["https://www.foxnews.com/world/nato-no-fly-zone"]
    assert "<script>alert(1)" not in text                 # nowhere on the page, head or body
    plain = unescape(re.search(r'<p class="archive-citation-plain">(.*?)</p>', text, re.S).group(1))
    assert HOSTILE in plain and "Retrieved 31 May 2024." in plain
    assert "https://archive.example.org/nfz/articles/fox.html" in plain
    assert "https://www.foxnews.com/world/nato-no-fly-zone." in plain
    bib = code_block(text, "archive-citation-bibtex")
    assert bib.count("{") - bib.count("\\{") == bib.count("}") - bib.count("\\}")
    assert "urldate = {2024-05-31}" in bib and "\\%" in bib
    feed = ET.parse(site / "feeds" / "latest.xml").getroot()
    assert HOSTILE in [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]


# ---------------------------------------------------------------------------------------
# citation formats, unit level
# ---------------------------------------------------------------------------------------

def _record(**kw) -> Record:
    base = dict(id="a1", path="corpus/articles/a1.txt", title=Field("A title"), date=Field("2022-12"),
                source=Field("Sputnik"), url=Field(None), language=Field("en"), people=[], tags=Field([]),
                paragraphs=[Line("Text.", 1)], comments=[])
    base.update(kw)
    return Record(**base)


def test_edtf_dates_become_partial_dates_in_citations():
    month = cite.citation_for(_record(), "https://x.org/articles/a1.html", "Archive")
    assert cite.csl_data(month)["issued"] == {"date-parts": [[2022, 12]]}
    assert "month = {dec}" in cite.bibtex(month) and "date = {2022-12}" in cite.bibtex(month)
    uncertain = cite.citation_for(_record(date=Field("2022?")), "https://x.org/a", "Archive")
    assert cite.csl_data(uncertain)["issued"] == {"date-parts": [[2022]], "circa": True}
    assert "datePublished" not in cite.json_ld(uncertain)
    undated = cite.citation_for(_record(date=Field(None)), "https://x.org/a", "Archive")
    assert "issued" not in cite.csl_data(undated) and "year =" not in cite.bibtex(undated)


def test_a_title_the_archive_supplied_is_cited_in_brackets_and_the_outlets_is_not():
    supplied = cite.citation_for(_record(title=Field("NATO rules out a no-fly zone", "lede", "first sentence")),
                                 "https://x.org/a", "Archive")
    assert "“[NATO rules out a no-fly zone].”" in cite.plain_text(supplied)
    assert "title = {{[NATO rules out a no-fly zone]}}" in cite.bibtex(supplied)
    assert cite.csl_data(supplied)["title"] == "[NATO rules out a no-fly zone]"
    assert "TI  - [NATO rules out a no-fly zone]" in cite.ris(supplied)
    assert cite.json_ld(supplied)["headline"] == "NATO rules out a no-fly zone"    # machines get the words
    given = cite.citation_for(_record(title=Field("NATO rules out a no-fly zone", "front matter", "title")),
                              "https://x.org/a", "Archive")
    assert "[" not in cite.plain_text(given) and cite.csl_data(given)["title"] == "NATO rules out a no-fly zone"


def test_bibtex_values_keep_braces_balanced_whatever_the_title():
    for title in ("}{", "a } b", "\\", "{{{", "50% & $5_000 #1 ~x^2"):
        bib = cite.bibtex(cite.citation_for(_record(title=Field(title)), "https://x.org/a", "Arch}ive"))
        depth = 0
        for i, ch in enumerate(bib):
            if ch in "{}" and (i == 0 or bib[i - 1] != "\\"):
                depth += 1 if ch == "{" else -1
                assert depth >= 0, bib
        assert depth == 0, bib


def test_script_json_escapes_everything_that_could_end_a_script():
    text = cite.script_json({"t": "</script><!--<script>&\u2028"})
    assert not re.search("[<>&\u2028]", text)
    assert json.loads(text) == {"t": "</script><!--<script>&\u2028"}


# ---------------------------------------------------------------------------------------
# the Cite block in a browser, on a desktop and a phone
# ---------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390])
def test_the_cite_block_fits_the_screen_and_opens_each_format(provenance_site, width):
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = Path("/usr/bin/chromium")
    if not chromium.is_file():
        pytest.skip("no Chromium at /usr/bin/chromium")
    _, site, _ = provenance_site
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--headless", "--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto((site / "articles" / "fox.html").as_uri())
            block = page.locator("section.archive-citation")
            block.scroll_into_view_if_needed()
            sync_api.expect(block.locator("h2")).to_have_text("Cite this")
            sync_api.expect(block.locator(".archive-citation-plain")).to_contain_text("Retrieved 31 May 2024.")
            for fmt, probe in (("BibTeX", "@article{fox,"), ("CSL-JSON", '"article-newspaper"'), ("RIS", "TY  - NEWS")):
                code = block.locator("details", has_text=fmt).locator("code")
                sync_api.expect(code).to_be_hidden()
                block.locator("summary", has_text=fmt).click()
                sync_api.expect(code).to_be_visible()
                sync_api.expect(code).to_contain_text(probe)
            box = block.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert not errors, errors
            block.screenshot(path=f"/tmp/archive-cite-{width}.png")
        finally:
            browser.close()


def test_csl_json_text_reads_back_as_the_citation_whatever_the_title():
    for title in ('"date-parts": [[1,\n2]]', "[1, 2]", "</code><b>", "tab\there"):
        c = cite.citation_for(_record(title=Field(title), retrieved=Field("2024-05-31")), "https://x.org/a", "A")
        assert json.loads(cite.csl_json(c)) == [cite.csl_data(c)]
        assert cite.csl_data(c)["title"] == title


def test_inspect_and_the_record_carry_provenance_and_the_file_hash(make_archive):
    from builder.commands.inspect import inspect_files

    data = PROVENANCE_ARTICLE.encode("utf-8")
    project = make_archive({"fox.md": data})
    (info,) = inspect_files(project, [project.articles / "fox.md"])
    assert info["sha256"] == hashlib.sha256(data).hexdigest()
    assert info["archived_url"].startswith("https://web.archive.org/web/20220304180000/")
    assert info["retrieved"] == "2024-05-31"
    assert info["provenance"]["retrieved"] == {"method": "front matter", "evidence": "retrieved (line 7)"}


@pytest.mark.slow
def test_without_a_site_url_page_metadata_gives_no_relative_address_and_the_zip_can_be_off(make_archive):
    from builder.mkdocs.publish import build

    project = make_archive({"a.md": PROVENANCE_ARTICLE})
    yml = project.mkdocs_yml.read_text("utf-8")
    # a new archive takes its address from ARCHIVE_SITE_URL, which is not set here
    assert "\nsite_url: !ENV [ARCHIVE_SITE_URL]\n" in yml and "  - archive\n" in yml
    # and an archive can do without the site zip
    project.mkdocs_yml.write_text(yml.replace("  - archive\n", "  - archive:\n      site_zip: false\n"), "utf-8")
    site = build(project).site
    assert not (site / "data" / "archive-site.zip").exists() and (site / "data" / "articles.csv").is_file()
    h = head(site / "articles" / "a.html")
    data = json.loads(h.json_ld[0])
    assert "url" not in data and data["headline"] == HOSTILE
    assert not h.values("og:url") and not h.values("citation_public_url") and not h.values("DC.identifier")
    assert h.values("citation_title") == [HOSTILE]
    entry = ET.parse(site / "feeds" / "latest.xml").getroot().find(f"{ATOM}entry")
    href = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert href == "../articles/a.html" and (site / "feeds" / href).resolve() == (site / "articles" / "a.html")
    assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")


def test_the_csv_never_hands_a_spreadsheet_a_formula():
    from builder.outputs import export

    rows = export.article_rows([_record(title=Field('=HYPERLINK("http://evil.example","x")')),
                                _record(id="a2", title=Field("@SUM(A1)"), tags=Field(["-2+3", "plain"]))])
    cells = list(csv.DictReader(io.StringIO(export.articles_csv(rows).decode("utf-8"))))
    assert cells[0]["title"] == '\'=HYPERLINK("http://evil.example","x")' and cells[1]["title"] == "'@SUM(A1)"
    assert cells[1]["tags"] == "'-2+3; plain"
    assert json.loads(export.articles_jsonl(rows).splitlines()[0])["title"].startswith("=HYPERLINK")


@pytest.mark.parametrize("edtf, stamp", [
    ("2022-03-04", "2022-03-04T00:00:00Z"), ("2022-12", "2022-12-01T00:00:00Z"), ("2022", "2022-01-01T00:00:00Z"),
    ("2022?", "2022-01-01T00:00:00Z"), ("2022-03/2022-05", "2022-03-01T00:00:00Z"), ("2022-XX", "2022-01-01T00:00:00Z"),
    (None, "1970-01-01T00:00:00Z"), ("", "1970-01-01T00:00:00Z")])
def test_feed_times_come_from_the_edtf_date(edtf, stamp):
    assert timestamp(edtf) == stamp


def test_story_and_quote_groupings_go_into_the_data_files():
    """Stories and quotes come from their own stages, as objects or dicts; the files take either."""
    from dataclasses import dataclass as dc

    from builder.outputs import export

    @dc
    class Story:
        id: str
        articles: tuple

    @dc
    class Quote:
        article: str
        text: str

    @dc
    class Group:
        id: str
        speaker: str
        quotes: list

    story = Story("story-a1", ("a1", "a2"))
    rows = export.article_rows([_record(), _record(id="a2"), _record(id="a3")], {"a1": story, "a2": "story-a1"})
    assert [r["story"] for r in rows] == ["story-a1", "story-a1", None]
    assert export.stories_table([story]) == [{"id": "story-a1", "articles": ["a1", "a2"]}]
    group = Group("q1", "Jens Stoltenberg", [Quote("a2", "full-fledged war"), Quote("a1", "full fledged war"),
                                             Quote("a3", "full-fledged war")])
    (row,) = export.quotes_table([group])
    assert row["speaker"] == "Jens Stoltenberg" and row["articles"] == ["a1", "a2", "a3"]
    assert row["wordings"] == ["full-fledged war", "full fledged war"]
    assert row["renderings"][1] == {"article": "a1", "text": "full fledged war"}
    (given,) = export.quotes_table([{"speaker": None, "wordings": ["x"], "articles": ["a3"]}])
    assert given == {"id": None, "speaker": None, "wordings": ["x"], "articles": ["a3"], "renderings": []}


def test_a_data_package_with_stories_and_quotes_validates(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    from builder.outputs import export
    from builder.core.registry import Registry
    from builder.outputs.render import make_links

    records = [_record(people=[]), _record(id="a2", tags=Field(["x"]))]
    files = export.data_files(records, Registry(), make_links(records), "Test", "https://x.org/",
                              story_of={"a1": "s1", "a2": "s1"}, stories=[{"id": "s1", "articles": ["a1", "a2"]}],
                              quotes=[{"id": "q1", "speaker": None, "quotes": [{"article": "a1", "text": "We"},
                                                                                 {"article": "a2", "text": "we"}]}])
    export.write_files(tmp_path, files)
    report = frictionless.validate(str(tmp_path / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    assert {t.name: t.stats.get("rows") for t in report.tasks}["quotes"] == 1
