"""No generated page grows with the archive as a whole: long lists are cut with a link to the
full list, and the quotations are split by speaker when there are many."""

from __future__ import annotations

import re

import pytest

from builder.outputs import render
from builder.pipeline import Project, process_project
from builder.outputs.render import find_related, make_links, render_all

from conftest import ROOT

STORY = ["000_6645bb114f692c0a", "001_f122441e4731caa6", "002_78df90272e28db83", "003_dc65186b82b726e1"]


@pytest.fixture(scope="module")
def seeds():
    result = process_project(Project(ROOT))
    return result.records, result.registry


def pages_with(seeds, monkeypatch, **bounds) -> dict[str, str]:
    for name, value in bounds.items():
        monkeypatch.setattr(render, name, value)
    records, registry = seeds
    return render_all(records, registry, related=find_related(records, registry, make_links(records)))


def linked_ids(markdown: str) -> list[str]:
    """Articles linked from Markdown, or from the raw HTML blocks of generated lists and quotations."""
    return re.findall(r'(?:\]\(|href=")(?:\.\./articles/)?(\d{3}_[0-9a-f]+)\.(?:md\)|html")', markdown)


def section(markdown: str, heading: str) -> str:
    start = markdown.index(heading)
    end = markdown.find("\n## ", start + 1)
    return markdown[start:end if end > 0 else None]


def test_an_article_lists_the_nearest_reports_and_links_to_the_story_for_the_rest(seeds, monkeypatch):
    pages = pages_with(seeds, monkeypatch, ALSO_REPORTED_SHOWN=2)
    block = section(pages[f"articles/{STORY[0]}.md"], "## Also reported by")
    assert "The same event in 3 other articles" in block
    assert len(set(linked_ids(block))) == 2
    assert "[1 more report of this story](../stories/index.md#story-000_6645bb114f692c0a)" in block
    full = section(pages_with(seeds, monkeypatch, ALSO_REPORTED_SHOWN=10)[f"articles/{STORY[0]}.md"],
                   "## Also reported by")
    assert sorted(set(linked_ids(full))) == STORY[1:] and "more report" not in full


def test_a_widely_carried_quotation_names_a_few_carriers_and_counts_the_rest(seeds, monkeypatch):
    pages = pages_with(seeds, monkeypatch, QUOTE_CARRIERS_SHOWN=1, QUOTE_WORDINGS_SHOWN=1)
    quotes = pages["quotes/index.md"]
    block = quotes[quotes.index("end up with something"):]
    block = block[:block.index("\n\n<p class=")] if "\n\n<p class=" in block else block
    assert "Carried by 3 articles in 3 wordings" in block
    assert len(linked_ids(block.split("other wording")[0])) == 1
    assert "2 other wordings of it, in 2 articles, are listed" in block


def test_many_quotations_are_split_into_pages_by_the_speakers_initials(seeds, monkeypatch):
    one = pages_with(seeds, monkeypatch)
    split = pages_with(seeds, monkeypatch, QUOTES_ONE_PAGE=0)
    assert [p for p in one if p.startswith("quotes/")] == ["quotes/index.md"]
    parts = sorted(p for p in split if p.startswith("quotes/") and p != "quotes/index.md")
    assert "quotes/s.md" in parts                                 # Stoltenberg
    stoltenberg = split["quotes/s.md"]
    assert "end up with something" in stoltenberg and "## [Jens Stoltenberg](../people/jens-stoltenberg.md)" in stoltenberg
    # every quotation is on exactly one page, the same ones as on the single page
    anchors = lambda text: re.findall(r'class="archive-quote-anchor" id="([^"]+)"', text)  # noqa: E731
    spread = [a for p in parts for a in anchors(split[p])]
    assert sorted(spread) == sorted(anchors(one["quotes/index.md"])) and len(spread) == len(set(spread))
    # the index links each speaker to their section, and the person page to the same place
    index = split["quotes/index.md"]
    assert '<a href="s.html#jens-stoltenberg">Jens Stoltenberg</a>' in index
    assert "(../quotes/s.md#jens-stoltenberg)" in split["people/jens-stoltenberg.md"]
    for part in parts:
        assert f'href="{part.split("/")[1][:-len(".md")]}.html#' in index, part
