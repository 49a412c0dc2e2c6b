"""Generated pages are rendered only when what they are made of changed: every page is the one a
full render makes, an edited article's page and its person's page are rendered again while the
others come from the previous build's digests, and a digest file this machine did not sign is
never used."""

from __future__ import annotations

import copy
import json
import re

import pytest

from builder.core.archive import Archive
from builder.mkdocs.publish import build
from builder.outputs import build_archive, pageplan, render
from builder.pipeline import process_project

from conftest import copy_repo_archive

EDIT = ("NATO on Friday, March 4, rejected", "NATO on Friday, March 4, firmly rejected")
RENDERED = re.compile(r"archive: (\d+) of (\d+) generated pages rendered")


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    project = copy_repo_archive(tmp_path_factory.mktemp("plan") / "archive")
    return build_archive(process_project(project))


def test_every_page_is_the_one_a_full_render_makes(archive):
    planned = pageplan.pages(archive)
    full = render.pages(archive)
    assert list(planned) == list(full)
    assert {path: planned[path] for path in planned} == full


def _edited(archive: Archive) -> tuple[Archive, str]:
    """The archive with the first paragraph of the article naming Jens Stoltenberg edited."""
    records = copy.deepcopy(archive.records)
    record = next(r for r in records if any(EDIT[0] in p.text for p in r.paragraphs))
    first = next(p for p in record.paragraphs if EDIT[0] in p.text)
    first.text = first.text.replace(*EDIT)
    return Archive(records, archive.registry, archive.links, archive.stories, archive.story_of, archive.quotes), record.id


def test_an_edited_article_changes_the_key_of_its_page_and_of_its_people_pages_only(archive):
    before = pageplan.pages(archive)
    edited, aid = _edited(archive)
    after = pageplan.pages(edited)
    changed = {p for p in before if before.key(p) is not None and before.key(p) != after.key(p)}
    record = edited.by_id[aid]
    assert f"articles/{aid}.md" in changed
    assert {archive.links.people[n] for n in record.people_names} <= changed
    story = archive.story_of.get(aid)
    others = {aid, *(story.articles if story is not None else ())}      # "Also reported by" shows its title
    assert {p[len("articles/"):-len(".md")] for p in changed if p.startswith("articles/")} <= others
    # a page not rendered keeps its previous digest; a changed key renders the page again
    known = {p: [before.key(p), before.digest(p, {})] for p in before if before.key(p) is not None}
    digests = {p: after.digest(p, known) for p in after}
    assert after.rendered() == len(changed) + sum(1 for p in after if after.key(p) is None)
    assert digests == {p: pageplan.markdown_digest(after[p]) for p in after}


def _rendered(caplog) -> tuple[int, int]:
    found = [RENDERED.search(r.getMessage()) for r in caplog.records]
    done, total = next(m.groups() for m in found if m)
    return int(done), int(total)


def _site(site) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_an_edited_article_and_its_person_page_change_while_the_other_pages_are_not_rendered(tmp_path, caplog):
    caplog.set_level("INFO", logger="mkdocs.plugins.archive")
    project = copy_repo_archive(tmp_path / "warm")
    build(project)
    path = next(p for p in sorted((project.root / "corpus" / "articles").glob("*.txt"))
                if EDIT[0] in p.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8").replace(*EDIT), encoding="utf-8")
    caplog.clear()
    build(project)
    done, total = _rendered(caplog)
    assert 0 < done < total, (done, total)
    site = _site(project.site)
    showing = {rel.split("/")[0] for rel, data in site.items() if rel.endswith(".html") and b"firmly rejected" in data}
    assert {"articles", "people"} <= showing

    cold = copy_repo_archive(tmp_path / "cold")
    (cold.root / "corpus" / "articles" / path.name).write_bytes(path.read_bytes())
    build(cold)
    assert site == _site(cold.site)


@pytest.mark.slow
def test_a_digest_file_not_signed_by_this_machine_renders_every_page(tmp_path, caplog):
    caplog.set_level("INFO", logger="mkdocs.plugins.archive")
    project = copy_repo_archive(tmp_path / "archive")
    build(project)
    stored = project.root / ".cache" / "pages" / "markdown.json"
    data = json.loads(stored.read_text(encoding="utf-8"))
    page = next(iter(data["pages"]))
    data["pages"][page][1] = "0" * 64          # another page's Markdown claimed for this one
    stored.write_text(json.dumps(data), encoding="utf-8")
    caplog.clear()
    build(project, force=True)
    done, total = _rendered(caplog)
    assert done == total
