"""What a reader sees of stories, quotations, people and coverage in the built seed archive."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from builder.mkdocs.publish import build

pytestmark = pytest.mark.slow

A000, A001, A002, A003, A004 = IDS = ["000_6645bb114f692c0a", "001_f122441e4731caa6", "002_78df90272e28db83",
                                      "003_dc65186b82b726e1", "004_80bdbfd9fb277ead"]


@pytest.fixture(scope="module")
def site(seed_site) -> Path:
    return seed_site[1]


def tree(site: Path, rel: str):
    path = site / rel
    assert path.is_file(), f"{rel} was not built"
    return lxml.html.parse(str(path)).getroot()


def main(t):
    return t.xpath('//article[contains(@class, "md-content__inner")]')[0]


def linked_articles(el) -> list[str]:
    """Ids of the articles linked from ``el`` (links from an article page are relative to articles/)."""
    out = []
    for a in el.iter("a"):
        href = a.get("href", "").split("#")[0]
        m = re.fullmatch(r"(?:\.\./articles/)?([^/]+)\.html", href)
        if m and (href.startswith("../articles/") or re.match(r"\d{3}_", href)):
            out.append(m.group(1))
    return out


def after_heading(t, heading_id: str) -> list:
    heading = t.get_element_by_id(heading_id)
    out = []
    for el in heading.itersiblings():
        if el.tag in ("h1", "h2"):
            break
        out.append(el)
    return out


def text(el) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


def test_each_seed_report_lists_the_other_three_as_also_reported_by(site):
    for aid in IDS[:4]:
        t = tree(site, f"articles/{aid}.html")
        block = after_heading(t, "also-reported-by")
        linked = [a for el in block for a in linked_articles(el)]
        assert sorted(linked) == sorted(set(IDS[:4]) - {aid}), aid
        shown = " ".join(text(el) for el in block)
        assert "Fox News" in shown and "4 March 2022" in shown


def _search_docs(site) -> dict[str, dict]:
    """What the archive's search holds of each page (its d/ files), by page address."""
    import json

    out = {}
    for path in (site / "assets" / "archive-search" / "d").glob("*.js"):
        m = re.fullmatch(r'__archiveSearch\.load\("[^"]*",(.*)\);\n', path.read_text(encoding="utf-8"), re.S)
        data = json.loads(m.group(1))
        out[data["u"]] = data
    return out


def test_also_reported_by_is_kept_out_of_search(site):
    docs = _search_docs(site)
    article = docs[f"articles/{A000}.html"]
    others = [docs[f"articles/{a}.html"]["t"] for a in IDS[1:4]]
    assert not [t for t in others if any(t in p for p in article["b"])]   # the other reports' titles
    assert "Jens Stoltenberg" in [p[0] for p in article["p"]]             # the article's own people still are


def test_a_search_finds_the_articles_not_the_stories_and_quotes_pages_that_quote_them(site):
    docs = _search_docs(site)
    # the Stories and Quotes pages are found by their names only, not by the articles' words they quote
    assert docs["stories/index.html"]["b"] == [] and docs["quotes/index.html"]["b"] == []
    assert f"articles/{A000}.html" in docs and (site / "stories" / "index.html").is_file()


def test_the_december_article_is_in_no_story(site):
    t = tree(site, f"articles/{A004}.html")
    assert not t.xpath('//*[@id="also-reported-by"]')
    stories = main(tree(site, "stories/index.html"))
    assert A004 not in linked_articles(stories)


def test_the_stories_page_shows_the_four_reports_side_by_side(site):
    t = tree(site, "stories/index.html")
    heading = t.get_element_by_id("story-000_6645bb114f692c0a")
    cards = [el for el in after_heading(t, "story-000_6645bb114f692c0a") if el.tag == "ul"][0]
    assert linked_articles(cards) == IDS[:4]                       # earliest first, then by id
    assert "4 March 2022" in text(heading) and "Jens Stoltenberg" in text(heading)
    assert [text(s) for s in cards.xpath('.//span[@class="archive-story-outlet"]')].count("Fox News") == 1


def test_the_full_fledged_war_quote_lists_the_three_articles_with_wording_differences(site):
    t = main(tree(site, "quotes/index.html"))
    rows = [tr for tr in t.iter("tr") if "full-fledged war" in text(tr)]
    assert sorted(linked_articles(lxml.html.fragment_fromstring(
        "".join(lxml.html.tostring(r, encoding="unicode") for r in rows), create_parent="div"))) == IDS[:3]
    table = rows[0].getparent()
    assert table.xpath(".//ins") and table.xpath(".//del")
    assert "lead to" in " ".join(text(i) for i in table.xpath(".//ins"))


def test_the_person_page_has_facts_companions_chart_and_quotations(site):
    t = tree(site, "people/jens-stoltenberg.html")
    body = text(main(t))
    assert "Secretary General of NATO" in body
    assert "Named in 5 articles" in body
    assert "First appearance: 4 March 2022" in body
    named_with = text(t.get_element_by_id("named-with"))
    assert "Volodymyr Zelensky" in named_with
    svg = t.xpath('//div[@class="archive-chart"]/svg')[0]
    assert svg.get("role") == "img" and svg.get("viewbox") and svg.get("width") == "100%"
    assert svg.xpath("./title") and "March 2022: 4" in text(svg.xpath("./desc")[0])
    assert t.xpath('//div[@class="archive-chart"]/table[@class="archive-sr-only"]')
    quotes = " ".join(text(el) for el in after_heading(t, "quotations"))
    assert "full-fledged war" in quotes and "Kuleba" not in quotes
    putin = tree(site, "people/vladimir-putin.html")
    assert putin.xpath('//a[@href="https://www.wikidata.org/wiki/Q7747"]')


def test_tag_source_and_timeline_pages_carry_counts_ranges_and_the_chart(site):
    for rel in ("tags/nato.html", "sources/fox-news.html", "timeline/index.html", "timeline/2022.html"):
        t = main(tree(site, rel))
        assert re.search(r"\d+ articles?, ", text(t)), rel
        assert t.xpath('.//div[@class="archive-chart"]/svg'), rel


def test_an_untitled_record_leads_with_its_date_and_outlet_then_its_whole_supplied_title(site):
    """Issue 20: lists of untitled records looked unfinished ([bracketed first sentences], "Unknown
    source" again and again). Now: date and outlet first, the supplied title in a lighter style,
    never cut inside a word; a headline still comes first."""
    for rel in ("index.html", "timeline/2022.html", "people/jens-stoltenberg.html", "tags/nato.html"):
        items = {}          # the first list item linking each article: the page's list of articles
        for li in main(tree(site, rel)).iter("li"):
            for a in li.iter("a"):
                m = re.fullmatch(r"(?:(?:\.\./)?articles/)?(\d{3}_[0-9a-f]+)\.html", a.get("href", ""))
                if m:
                    items.setdefault(m.group(1), li)
        fox, tass, newsweek = items[A002], items[A000], items[A003]
        lead = fox.xpath('./span[@class="archive-item-lead"]')[0]
        assert fox.index(lead) == 0 and text(lead) == "4 March 2022 · Fox News", rel
        assert text(tass.xpath('./span[@class="archive-item-lead"]')[0]) == "4 March 2022", rel   # no "Unknown"
        link = tass.xpath('./a[contains(@class, "archive-supplied")]')[0]
        assert "supplied by the archive" in link.get("title")
        shown = text(link)
        assert not shown.startswith("[") and shown.endswith("…"), rel
        lede = text(tree(site, f"articles/{A000}.html").xpath('//div[@class="archive-text"]/p')[0])
        cut = shown[:-1]
        assert lede.startswith(cut) and not lede[len(cut)].isalnum(), (cut, lede)   # at a word's end
        assert newsweek[0].tag == "a" and text(newsweek[0]).startswith("Ukraine's Zelensky Blasts"), rel
        assert not newsweek.xpath('.//*[contains(@class, "archive-supplied")]')


def test_unknown_outlets_are_not_spelt_out_in_lists(site):
    for rel in ("index.html", f"articles/{A002}.html", "stories/index.html", "quotes/index.html",
                "people/jens-stoltenberg.html", "timeline/2022.html"):
        assert "Unknown source" not in text(main(tree(site, rel))), rel
    stories = text(main(tree(site, "stories/index.html")))
    assert "4 reports from 1 outlet and 3 from outlets not known." in stories
    also = " ".join(text(el) for el in after_heading(tree(site, f"articles/{A002}.html"), "also-reported-by"))
    assert re.search(r"4 March 2022: NATO Secretary General", also), also


def test_month_precision_sits_under_its_month_marked_day_unknown_and_quotes_are_escaped(make_archive):
    project = make_archive({
        "a.md": "---\ndate: 2022-12\ntitle: Winter talks\n---\n\n"
                "Talks resumed in Geneva on the prisoner exchange.\n\n"
                "“We will <script>alert(1)</script> never stop until every prisoner is home,” Anna Berg said.\n",
        "b.md": "---\ndate: 2022-12-05\ntitle: Exchange agreed\n---\n\n"
                "An exchange was agreed after talks in Geneva.\n\n"
                "“We will never stop until every prisoner is home,” said Anna Berg.\n",
    }, people="people:\n  - name: Anna Berg\n")
    outcome = build(project)
    site = outcome.site
    year = tree(site, "timeline/2022.html")
    december = after_heading(year, "2022-12")
    items = {a: text(li) for el in december for li in el.iter("li") for a in linked_articles(li)}
    assert "day unknown" in items["a"] and "day unknown" not in items["b"]
    html = (site / "quotes" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    t = tree(site, "quotes/index.html")
    rows = [tr for tr in t.iter("tr") if "every prisoner" in text(tr)]
    assert len(rows) == 2 and "Anna Berg" in text(t.get_element_by_id("anna-berg"))


def test_captions_subheadings_and_credits_are_shown_as_such(site):
    fox = main(tree(site, f"articles/{A002}.html"))
    captions = fox.xpath('.//div[@class="archive-text"]/figure[@class="archive-figure"]/figcaption')
    assert len(captions) == 2
    assert "took questions from reporters" in text(captions[0])
    assert text(captions[0].xpath('./span[@class="archive-credit"]')[0]) == "Photo: NATO"
    newsweek = main(tree(site, f"articles/{A003}.html"))
    (figure,) = newsweek.xpath('.//figure[@class="archive-figure"]')
    assert text(figure.xpath(".//strong")[0]) == "Zelensky Speaks at a Press Conference"
    assert "SERGEI SUPINSKY/AFP/Getty Images" in text(figure)
    republic = main(tree(site, f"articles/{A001}.html"))
    assert [text(h) for h in republic.xpath('.//div[@class="archive-text"]/h2')] == ["Ukraine demands a no-fly zone"]


def test_a_supplied_title_is_marked_and_a_one_sentence_lede_is_not_repeated(site):
    fox = tree(site, f"articles/{A002}.html")
    (group,) = fox.xpath('//hgroup[@class="archive-title-supplied"]')
    assert "supplied by the archive" in text(group)
    first = fox.xpath('//div[@class="archive-text"]/p')[0]
    assert text(first).startswith("Secretary Jens Stoltenberg called it")
    tass = tree(site, f"articles/{A000}.html")          # a title cut from a longer lede: the lede stays
    assert text(tass.xpath('//div[@class="archive-text"]/p')[0]).startswith("NATO Secretary General Jens")
    assert not tree(site, f"articles/{A003}.html").xpath('//hgroup')       # the outlet's headline


def test_reader_comments_keep_author_date_and_reply_and_are_counted_right(site):
    t = main(tree(site, f"articles/{A004}.html"))
    (box,) = t.xpath('.//div[@class="archive-comments"]')
    assert text(box.xpath('./p[@class="archive-comments-note"]')[0]).startswith("2 comments")
    (first,) = box.xpath('./ol/li')
    assert text(first.xpath('./p[@class="archive-comment-meta"]')[0]) == "Lola Lopez · 11-12-22 13:13"
    (reply,) = first.xpath('./ol[@class="archive-comment-replies"]/li')
    assert "in reply to Lola Lopez" in text(reply) and "Gorbachev" in text(reply)


def test_the_data_files_carry_the_story_and_the_quotations(site):
    import json

    stories = json.loads((site / "data" / "stories.json").read_text(encoding="utf-8"))
    assert stories == [{"id": "story-000_6645bb114f692c0a", "articles": IDS[:4]}]
    rows = [json.loads(line) for line in (site / "data" / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["id"]: r["story"] for r in rows} == {**{a: "story-000_6645bb114f692c0a" for a in IDS[:4]}, A004: None}
    quotes = json.loads((site / "data" / "quotes.json").read_text(encoding="utf-8"))
    (war,) = [q for q in quotes if any("full-fledged war" in w for w in q["wordings"])]
    assert war["speaker"] == "Jens Stoltenberg" and war["articles"] == IDS[:3] and len(war["wordings"]) == 3
