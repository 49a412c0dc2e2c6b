"""Issue 18, the escaping and name-keying cases: values from front matter and the registries are
data at every output (Markdown, HTML, JSON-LD, terminal), names are keyed once, and a page's
address can be neither taken over nor moved by another article.

Each test is named after its case; the archives are small and only the Markdown pages are made
(``render_all``), not the MkDocs site, so the file runs in seconds."""

from __future__ import annotations

import re

import pytest

from builder.charts import articles_chart
from builder.pipeline import process_project
from builder.render import render_all

TEXT = ("Kyiv. NATO leaders refused to impose a no-fly zone over Ukraine on Friday, officials said in Brussels.\n\n"
        "The alliance said it would not send planes into Ukrainian airspace.\n")
OTHER = ("Brussels. Foreign ministers met again on Saturday to discuss sanctions and aid.\n\n"
         "They agreed on a new package of support for refugees.\n")


def article(text: str = TEXT, **front: str) -> str:
    """An article file: ``front`` as YAML lines written exactly as given, then the text."""
    lines = "".join(f"{k}: {v}\n" for k, v in front.items())
    return f"---\n{lines}---\n{text}"


def pages_of(project):
    result = process_project(project)
    return result, render_all(result.records, result.registry, result.files, result.messages, result.ignored)


# ---------------------------------------------------------------------------------------
# 1. a date before the year 1000
# ---------------------------------------------------------------------------------------

def test_a_date_before_the_year_1000_builds_every_page(make_archive):
    project = make_archive({"old.md": article(title="Old", date="0999-01-01"),
                            "new.md": article(OTHER, title="New", date="2022-03-04")})
    result, pages = pages_of(project)
    assert sorted(r.date.value for r in result.records) == ["0999-01-01", "2022-03-04"]
    assert "timeline/0999.md" in pages and "timeline/2022.md" in pages
    assert "(../articles/old.md)" in pages["timeline/0999.md"]
    chart = articles_chart(["0999-01-01", "2022-03-04"], "c")
    assert "0999: 1" in chart and "2022: 1" in chart
