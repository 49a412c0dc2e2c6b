"""The generated pages' long lists are raw HTML blocks that Markdown passes through unparsed:
the same HTML as before, still escaped, and linking to the pages MkDocs writes."""

from __future__ import annotations

import re

import markdown
import pytest

from builder.mkdocs import rawblocks
from builder.mkdocs.publish import build
from builder.outputs import listing
from builder.outputs.render import render_all
from builder.pipeline import process_project

EXTENSIONS = ["attr_list", "toc", "tables", "md_in_html"]
TEXT = "Kyiv, 4 March 2022. Jens Stoltenberg said NATO would not act. Stoltenberg spoke in Brussels.\n"


def _article(title: str, date: str = "2022-03-04", people: str = '["Jens Stoltenberg"]') -> str:
    return f"---\ntitle: '{title}'\ndate: {date}\npeople: {people}\n---\n{TEXT}"


def _pages(make_archive, files):
    result = process_project(make_archive(files))
    return render_all(result.records, result.registry, result.files, result.messages, result.ignored)


def _html(page: str, raw_blocks: bool) -> str:
    body = page.split("\n---\n", 1)[-1]
    extensions = EXTENSIONS + ([rawblocks.makeExtension()] if raw_blocks else [])
    return markdown.Markdown(extensions=extensions).convert(body)


def test_the_markers_are_the_ones_the_extension_reads():
    assert (listing.MARK_START, listing.MARK_END) == (rawblocks.START, rawblocks.END)


def test_a_generated_list_converts_to_the_same_html_with_or_without_the_extension(make_archive):
    pages = _pages(make_archive, {f"a{i}.md": _article(f"Report {i} <b>& *more*</b>") for i in range(12)})
    for path in ("people/jens-stoltenberg.md", "people/index.md", "timeline/2022.md", "report/index.md"):
        fast, plain = _html(pages[path], True), _html(pages[path], False)
        plain = plain.replace(rawblocks.START, "").replace(rawblocks.END, "")
        assert re.sub(r"\s+", " ", fast).strip() == re.sub(r"\s+", " ", plain).strip(), path
        assert "archive:html" not in fast
    person = _html(pages["people/jens-stoltenberg.md"], True)
    # ten newest open, two behind "2 older articles"; every title escaped, linking to the page's file
    assert person.count('<li><a href="../articles/') == 12 and "<summary>2 older articles</summary>" in person
    assert "Report 3 &lt;b&gt;&amp; *more*&lt;/b&gt;" in person and "<b>" not in person
    assert 'href="../articles/a3.html"' in person


def test_a_title_cannot_close_a_block_early(make_archive):
    pages = _pages(make_archive, {"a.md": _article(f"x {rawblocks.END} <script>alert(1)</script>"),
                                  "b.md": _article("Plain")})
    page = pages["tags/index.md"] if "tags/index.md" in pages else pages["people/jens-stoltenberg.md"]
    html = _html(pages["people/jens-stoltenberg.md"], True)
    assert "<script>" not in html and "&lt;!-- /archive:html --&gt;" in html
    assert page.count(rawblocks.END) == page.count(rawblocks.START)


def test_a_start_marker_without_its_end_is_left_to_markdown():
    text = f"Intro\n\n{rawblocks.START}\n<p>*x*</p>\n\nA paragraph with *emphasis*.\n"
    html = markdown.Markdown(extensions=[rawblocks.makeExtension()]).convert(text)
    assert html == markdown.Markdown().convert(text) and "<em>emphasis</em>" in html


@pytest.mark.parametrize("from_page, to_page, expected", [
    ("people/index.md", "people/jens-stoltenberg.md", "jens-stoltenberg.html"),
    ("tags/nato.md", "articles/a b.md", "../articles/a%20b.html"),
    ("index.md", "timeline/2022.md#2022-03", "timeline/2022.html#2022-03"),
])
def test_links_point_at_the_files_mkdocs_writes(from_page, to_page, expected):
    assert listing.href(from_page, to_page) == expected


@pytest.mark.slow
def test_directory_urls_are_turned_off(make_archive, tmp_path):
    """(Material's offline plugin turns them off too; without it the archive's plugin does, with a warning.)"""
    project = make_archive({"a.md": _article("One")})
    config = project.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "use_directory_urls: false" in text
    config.write_text(text.replace("use_directory_urls: false", "use_directory_urls: true"), encoding="utf-8")
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"\n *- offline\n", "\n", text), encoding="utf-8")
    outcome = build(project, site_dir=tmp_path / "site")
    assert (outcome.site / "articles" / "a.html").is_file()
    people = (outcome.site / "people" / "jens-stoltenberg.html").read_text(encoding="utf-8")
    assert 'href="../articles/a.html"' in people
