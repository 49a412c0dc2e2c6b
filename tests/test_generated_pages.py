"""Generated pages reach MkDocs in memory: docs/ holds only what people wrote."""

from __future__ import annotations

import logging

import pytest

from builder.mkdocs.publish import build

from conftest import ROOT


@pytest.mark.slow
def test_a_build_writes_nothing_under_docs(seed_site):
    project, site, outcome = seed_site
    written_by_people = sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    assert sorted(p.relative_to(project.docs).as_posix() for p in project.docs.rglob("*")) == written_by_people
    for record in outcome.result.records:
        assert (site / "articles" / f"{record.id}.html").is_file()
    assert (site / "people" / "index.html").is_file() and (site / "report" / "index.html").is_file()
    # the home page's summary comes from memory too
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "archive:summary" not in home and "articles/" in home


@pytest.mark.slow
def test_a_page_left_in_a_generated_folder_by_an_older_version_is_left_out(make_archive, tmp_path, caplog):
    project = make_archive({"a.txt": "Kyiv, 4 March 2022. Jens Stoltenberg said NATO would not act.\n"})
    stale = project.docs / "articles" / "gone.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("# An article deleted long ago\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        outcome = build(project, site_dir=tmp_path / "site")
    assert (outcome.site / "articles" / "a.html").is_file()
    assert not (outcome.site / "articles" / "gone.html").exists()
    assert any("left out of the site" in r.getMessage() and "docs/articles" in r.getMessage()
               for r in caplog.records)
    assert stale.is_file()             # not ours to delete


@pytest.mark.slow
def test_a_build_reports_its_progress_and_what_came_from_the_cache(make_archive, tmp_path):
    story = "Kyiv, 4 March 2022. Jens Stoltenberg said NATO would not impose a no-fly zone, day {}.\n"
    project = make_archive({f"a{i}.txt": story.format(i) for i in range(3)})
    calls: list[tuple] = []

    def progress(stage, done, total, cached=0):
        calls.append((stage, done, total, cached))

    build(project, site_dir=tmp_path / "one", progress=progress)
    last = {stage: (done, total, cached) for stage, done, total, cached in calls}
    assert last["read"] == (3, 3, 0) and last["extract"] == (3, 3, 0) and last["render"] == (3, 3, 0)
    assert last["mkdocs"][0] == last["mkdocs"][1] > 2 * 3
    assert [s for s, *_ in calls].index("extract") < [s for s, *_ in calls].index("mkdocs")

    calls.clear()
    (project.articles / "a3.txt").write_text(story.format(3), encoding="utf-8")
    build(project, site_dir=tmp_path / "two", progress=progress)
    assert [c for c in calls if c[0] == "extract"][-1] == ("extract", 4, 4, 3)


# ---------------------------------------------------------------------------------------
# issue 20: on a phone, a person page's long parts are folded away
# ---------------------------------------------------------------------------------------

def _tree(site, rel):
    import lxml.html

    return lxml.html.parse(str(site / rel)).getroot()


@pytest.mark.slow
def test_a_person_pages_quotation_tables_are_folded_and_the_quotes_page_keeps_them_open(seed_site):
    import re

    _, site, _ = seed_site
    person = _tree(site, "people/jens-stoltenberg.html")
    quotations = person.xpath('//h2[@id="quotations"]/following-sibling::*')
    folded = [d for d in quotations if d.tag == "details" and "archive-quote-wordings" in d.get("class", "")]
    # every quotation carried by several articles: its quote shown, its table of wordings folded
    assert len(folded) == 4 and not [t for el in quotations if el.tag != "details" for t in el.iter("table")]
    summaries = [re.sub(r"\s+", " ", d.find("summary").text_content()).strip() for d in folded]
    assert summaries[0] == "Carried by 3 articles in 3 wordings: each outlet's wording"
    assert all(d.xpath(".//table//del or .//table//ins") for d in folded[:1])
    assert all(d.get("open") is None for d in folded)
    assert len([b for b in quotations if b.tag == "blockquote"]) == 5
    quotes = _tree(site, "quotes/index.html")
    assert quotes.xpath("//table") and not quotes.xpath("//details[contains(@class, 'archive-quote-wordings')]")


@pytest.mark.slow
def test_a_person_named_in_many_articles_lists_the_newest_ten_and_folds_the_rest(make_archive, tmp_path):
    import re

    articles = {f"a{day:02d}.md": f"---\ntitle: Talks on day {day}\ndate: 2022-03-{day:02d}\n---\n\n"
                f"Anna Berg met the envoys in Geneva on day {day}, Anna Berg said.\n" for day in range(1, 14)}
    project = make_archive(articles, people="people:\n  - name: Anna Berg\n")
    site = build(project, site_dir=tmp_path / "site").site
    page = _tree(site, "people/anna-berg.html")
    shown = page.xpath('//p[@id="articles"]/following-sibling::ul[1]/li')
    assert [re.search(r"day (\d+)", li.text_content()).group(1) for li in shown] == [str(d) for d in range(13, 3, -1)]
    (more,) = page.xpath('//details[@class="archive-more"]')
    assert more.find("summary").text_content().strip() == "3 older articles"
    assert len(more.xpath(".//li")) == 3
