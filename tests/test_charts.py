"""The coverage chart: static SVG, scaled to the page, with the same figures as text."""

from __future__ import annotations

import re

import lxml.html

from builder.outputs.charts import MAX_MONTHS, articles_chart


def parse(html: str):
    return lxml.html.fragment_fromstring(html)


def test_months_of_whole_years_with_a_text_alternative():
    div = parse(articles_chart(["2022-03-04", "2022-03-05", "2022-12", "2022", None], "c"))
    svg = div.find("svg")
    assert svg.get("role") == "img" and svg.get("width") == "100%" and svg.get("aria-labelledby") == "c-t c-d"
    assert len(svg.findall("rect")) == 2                       # March (2) and December (1)
    assert [t.text for t in svg.findall("text") if t.get("class") == "month"] == list("JFMAMJJASOND")
    desc = svg.find("desc").text
    assert desc == "Articles per month, January 2022 to December 2022: March 2022: 2; December 2022: 1."
    rows = [[td.text for td in tr.findall("td")] for tr in div.find("table").iter("tr") if tr.findall("td")]
    assert rows == [["March 2022", "2"], ["December 2022", "1"]]
    assert "2 articles whose date is known only to the year, or undated" in div.text_content()


def test_long_spans_are_drawn_per_year():
    years = [f"{y}-06-01" for y in range(1990, 2000)] + ["2010-01-01"]
    svg = parse(articles_chart(years, "c")).find("svg")
    assert "per year" in svg.find("title").text
    assert len(svg.findall("rect")) == 11 and (2010 - 1990 + 1) * 12 > MAX_MONTHS


def test_nothing_to_draw():
    assert articles_chart([], "c") == ""
    assert "svg" not in articles_chart([None, "2022"], "c")


def test_the_same_dates_give_the_same_bytes():
    dates = ["2023-01-02", "2022-11-30", "2022-11"]
    assert articles_chart(dates, "c") == articles_chart(list(reversed(dates)), "c")
    assert not re.search(r"[<>&\"]", parse(articles_chart(dates, "c")).find("svg").find("desc").text)
