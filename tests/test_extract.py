"""The extract stage, as an archivist sees it in `archive inspect`: the right people, date,
source and title, one name per person across the archive, and where each value came from."""

import sys
from pathlib import Path

import pytest

from builder.commands.inspect import inspect_files
from builder.pipeline import process_project

ROOT = Path(__file__).resolve().parents[1]


def records(project):
    result = process_project(project)
    assert all(f.status == "page" for f in result.files), [m.format() for m in result.all_messages]
    return {r.id: r for r in result.records}


def test_titles_are_stripped_and_surnames_resolve_within_the_article(make_archive):
    project = make_archive({"a.txt": (
        "Secretary of State Antony Blinken met Foreign Minister Jane Whitfield in Ottawa on Monday.\n\n"
        "Whitfield said the talks were useful. Blinken agreed, and President Biden's office said nothing.")})
    (rec,) = records(project).values()
    assert rec.people_names == ["Antony Blinken", "Jane Whitfield"]
    jane = rec.people[1]
    assert "Whitfield" in jane.mentions and jane.method == "named-entity recognition"


def test_spelling_variants_become_one_person_across_the_archive(make_archive):
    text = "Kremlin spokesman {} told reporters in Moscow that the talks had failed."
    project = make_archive({"a.txt": text.format("Dmitry Peskov"), "b.txt": text.format("Dmitri Peskov"),
                            "c.txt": text.format("Dmitry Peskov")})
    recs = records(project)
    assert {r.people_names[0] for r in recs.values()} == {"Dmitry Peskov"}
    assert "Dmitri Peskov" in recs["b"].people[0].evidence      # the merge is explained


def test_registry_names_aliases_and_first_name_variants(make_archive):
    people = ("people:\n  - name: Dmytro Kuleba\n    aliases: [Kuleba]\n"
              "  - name: Volodymyr Zelensky\n    aliases: [Zelenskyy]\n")
    project = make_archive({"a.txt": "Ukraine's Dmitry Kuleba met his Turkish counterpart in Antalya on "
                                     "Thursday. President Zelenskyy said the meeting mattered."}, people=people)
    (rec,) = records(project).values()
    assert rec.people_names == ["Dmytro Kuleba", "Volodymyr Zelensky"]


def test_the_registry_keeps_two_similar_names_apart(make_archive):
    people = "people:\n  - name: Sergei Ivanov\n  - name: Sergey Ivanov\n"
    project = make_archive({"a.txt": "Sergei Ivanov, a farmer, spoke to reporters in Kherson.",
                            "b.txt": "Sergey Ivanov, a former minister, spoke in Moscow."}, people=people)
    recs = records(project)
    assert recs["a"].people_names == ["Sergei Ivanov"] and recs["b"].people_names == ["Sergey Ivanov"]


def test_comment_authors_credits_and_places_are_not_people(make_archive):
    project = make_archive({"a.txt": "\n\n".join([
        "Mayor Ihor Terekhov said the metro would reopen in Kharkiv on Monday.",
        "Residents gathered near Dolmabahce Palace and in Shevchenko Park.",
        "Residents wait on a platform. SERGEI SUPINSKY/AFP/Getty Images",
        "3 comments", "Maria Kovalenko", "May 18, 2022 at 10:41 am", "Donald Trump would never allow this."])})
    (rec,) = records(project).values()
    assert rec.people_names == ["Ihor Terekhov"]
    assert rec.credits == ["Sergei Supinsky"]
    assert [c.text for c in rec.comments][-1] == "Donald Trump would never allow this."
    assert rec.date.value is None and "comment" in rec.date.evidence


def test_a_quoted_outlet_is_never_the_source(make_archive):
    sources = ("sources:\n  - name: Sputnik\n    url: https://sputnikglobe.com\n    signatures: [sputnikglobe.com]\n"
               "  - name: Harbour Times\n    url: https://harbourtimes.example\n    signatures: ['© Harbour Times']\n")
    project = make_archive({
        "quoted.txt": "NATO rejected the request, Sputnik reported, citing sputnikglobe.com sources in Moscow.",
        "signed.txt": "The port reopened on Monday after the storm.\n\n© Harbour Times 2023"}, sources=sources)
    recs = records(project)
    assert recs["quoted"].source.value is None
    assert recs["signed"].source.value == "Harbour Times"
    assert recs["signed"].source.method == "sources.yml signature"
    assert "© Harbour Times 2023" in recs["signed"].source.evidence
    assert recs["signed"].date.value == "2023" and recs["signed"].date.method == "sign-off year"


def test_titles_from_headline_lede_front_matter_and_web_page(make_archive):
    long_lede = ("The alliance said on Friday that it would not send fighter jets into Ukrainian airspace, "
                 "because doing so could lead to a much wider war in Europe. More followed.")
    html = ("<html><head><title>Port Reopens After Storm | Harbour Times</title>"
            "<meta property=\"og:site_name\" content=\"Harbour Times\"></head><body><nav>Home News</nav>"
            "<article><h1>Port Reopens After Storm</h1><p>The port reopened on Monday after the storm had "
            "closed it for three days, the harbour master said.</p><p>Ships queued outside the breakwater "
            "for most of the morning before pilots guided them in.</p></article></body></html>")
    project = make_archive({"headline.txt": "Storm Closes Port\n\nThe port closed on Monday.",
                            "lede.txt": long_lede,
                            "front.md": "---\ntitle: Given Title\n---\nStorm Closes Port\n\nThe port closed.",
                            "page.html": html})
    recs = records(project)
    assert recs["headline"].title.value == "Storm Closes Port"
    assert recs["headline"].title.method == "headline line"
    title = recs["lede"].title.value
    assert title.endswith("…") and len(title) <= 100 and long_lede.startswith(title[:-1])
    assert recs["lede"].title.method == "lede"
    assert recs["front"].title.value == "Given Title" and recs["front"].title.method == "front matter"
    assert recs["page"].title.value == "Port Reopens After Storm"
    assert recs["page"].source.value == "Harbour Times"


def test_dates_follow_the_strongest_evidence(make_archive):
    project = make_archive({
        "front.md": "---\ndate: 2022-10\n---\nThe talks ended on Saturday, October 22, 2022.",
        "line.txt": " date 2022-03-04 NATO said no on Friday.",
        "weekday.txt": "Zelensky spoke on Friday night.\n\nHe spoke in Kyiv on March 3, 2022.",
        "ambiguous.txt": "Posted 05/06/22 by an analyst\n\nThe debate over jets went on.",
        "relative.txt": "Yesterday the minister resigned, and last Tuesday nobody knew."})
    recs = records(project)
    assert recs["front"].date.value == "2022-10" and recs["front"].date.method == "front matter"
    assert recs["line"].date.value == "2022-03-04" and recs["line"].date.method == "date line"
    assert recs["weekday"].date.value == "2022-03-04"
    assert "Friday" in recs["weekday"].date.evidence
    assert recs["ambiguous"].date.value == "2022"
    assert recs["relative"].date.value is None
    result = process_project(project)
    assert any("ambiguous numeric date '05/06/22'" in m.text for m in result.all_messages)


def test_inspect_prints_provenance_for_every_inferred_field():
    (rec,) = inspect_files(__import__("builder.pipeline").pipeline.Project(ROOT),
                           [ROOT / "corpus" / "articles" / "002_78df90272e28db83.txt"])
    assert rec["source"] == "Fox News" and rec["date"] == "2022-03-04"
    for field in ("title", "date", "source", "language", "tags"):
        assert rec["provenance"][field]["method"]
    assert rec["provenance"]["people"]["Volodymyr Zelensky"]["written"] == ["Volodymyr Zelenskyy"]
    assert "listen to Fox News" in rec["provenance"]["source"]["evidence"]


@pytest.mark.parametrize("labelled, people_f1, accuracy", [
    ("labelled", 0.97, 0.95),   # the development set: the targets
    ("heldout", 0.93, 0.93),    # written blind after the rules; regressions show here first
    ("blind", 0.93, 0.90),
])
def test_labelled_sets_meet_the_quality_targets(labelled, people_f1, accuracy):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from extraction import score

    s = score(ROOT / "tests" / labelled)
    assert s["articles"] >= 25
    assert s["people_f1"] >= people_f1, s["errors"]
    for field in ("date", "source", "title"):
        assert s[f"{field}_accuracy"] >= accuracy, s["errors"]
