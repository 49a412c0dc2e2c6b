"""The clean stage: the article's own text, without what the website wrapped around it."""

from pathlib import Path

import pytest

from builder.stages.clean import clean, is_date_only
from builder.core.models import Line, RawDoc
from builder.stages.read import paragraphs, read_file
from builder.core.registry import Registry, Source

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "articles"


def doc_from(text: str, kind: str = "text") -> RawDoc:
    return RawDoc(path=Path("x.txt"), rel="x.txt", id="x", kind=kind, front={}, front_lines={},
                  body=paragraphs(text))


def texts(cleaned):
    return [p.text for p in cleaned.paragraphs]


def test_fox_seed_loses_promos_and_banner_but_no_sentence():
    raw = read_file(SEEDS / "002_78df90272e28db83.txt")
    cleaned = clean(raw, Registry())
    body = "\n".join(texts(cleaned))
    for furniture in ("You can now listen to Fox News", "LIVE UPDATES", "CLICK HERE TO GET THE FOX NEWS APP"):
        assert furniture not in body
    # every paragraph of the file is accounted for: kept, or removed with a reason
    kept = set(texts(cleaned))
    removed = {r.text for r in cleaned.removed}
    for p in raw.body:
        assert p.text in kept or p.text in removed or any(k in p.text for k in kept), p.text


def test_duplicated_caption_is_kept_once_and_its_credit_taken_apart():
    cleaned = clean(read_file(SEEDS / "002_78df90272e28db83.txt"), Registry())
    captions = [t for t in texts(cleaned) if t.startswith("This image made from a video")]
    assert len(captions) == 1
    assert sum(t.startswith("NATO Secretary Jens Stoltenberg took questions") for t in texts(cleaned)) == 1
    assert any("via AP" in c for c in cleaned.credits)


def test_reader_comments_are_separated_from_the_article():
    cleaned = clean(read_file(SEEDS / "004_80bdbfd9fb277ead.txt"), Registry())
    body = "\n".join(texts(cleaned))
    comments = "\n".join(c.text for c in cleaned.comments)
    assert "Lola Lopez" not in body and "Hypocrisy" not in body
    assert "Hypocrisy is NATO’s diplomacy?" in comments
    assert "Read more" not in comments
    assert body.endswith("training its soldiers.")


def test_leading_date_line_is_metadata_and_the_sentence_after_it_stays():
    cleaned = clean(read_file(SEEDS / "000_6645bb114f692c0a.txt"), Registry())
    assert cleaned.date_line.text == "date 2022-03-04"
    assert texts(cleaned)[0].startswith("NATO Secretary General Jens Stoltenberg on Friday")


def test_photo_credit_at_the_end_of_a_caption_is_not_text():
    cleaned = clean(read_file(SEEDS / "003_dc65186b82b726e1.txt"), Registry())
    assert "SERGEI SUPINSKY" not in "\n".join(texts(cleaned))
    assert cleaned.credits == ["Sergei Supinsky"]
    assert cleaned.headline.text.startswith("Ukraine's Zelensky Blasts")


def test_a_hover_card_copied_into_the_text_goes_and_the_name_stays(tmp_path):
    """"Sen. Adam Schiff Adam Bennett SchiffGraham: ... MORE (D-Calif.)": the card a page shows on
    hovering over a name is furniture, listed as removed; the name the article wrote is kept."""
    from builder.core.models import Removal

    path = tmp_path / "a.txt"
    path.write_text("Schiff to testify\n\nDemocrats want Sen. Adam Schiff Adam Bennett SchiffGraham: Senate trial "
                    "'must expose the whistleblower' Graham says Schiff should be a witness MORE (D-Calif.) to "
                    "testify. President Trump Donald John TrumpGOP senators balk at lengthy trial MORE said no.\n",
                    encoding="utf-8")
    cleaned = clean(read_file(path), Registry())
    assert texts(cleaned)[-1] == "Democrats want Sen. Adam Schiff (D-Calif.) to testify. President Trump said no."
    cards = [r.text for r in cleaned.removed if r.reason == Removal.HOVER_CARD]
    assert len(cards) == 2 and cards[0].startswith("Adam Bennett SchiffGraham") and cards[0].endswith("MORE"), cards


def test_an_agency_first_credit_names_its_photographer():
    """'REUTERS/Mike Blake', 'AP Photo/Evan Vucci': the photographer is credited, not the agency."""
    from builder.stages.clean import _title_case_name

    assert _title_case_name("REUTERS/Mike Blake") == "Mike Blake"
    assert _title_case_name("AP Photo/Evan Vucci") == "Evan Vucci"
    assert _title_case_name("SERGEI SUPINSKY/AFP/Getty Images") == "Sergei Supinsky"
    assert _title_case_name("Getty Images") == "Getty Images"


def test_general_furniture_bylines_and_credits():
    text = "\n\n".join([
        "Listen to this article",
        "By Anna Kowalski and Jonas Berg",
        "The council met on Tuesday to discuss the budget, officials said.",
        "Advertisement",
        "Sign up for our morning newsletter",
        "The mayor said the plan would be published next month.",
        "Share this article",
        "(AP Photo/Efrem Lukatsky)",
        "Reporting by Anna Kowalski; Editing by Graham Pryce",
    ])
    cleaned = clean(doc_from(text), Registry())
    assert texts(cleaned) == ["The council met on Tuesday to discuss the budget, officials said.",
                              "The mayor said the plan would be published next month."]
    assert cleaned.authors == ["Anna Kowalski", "Jonas Berg"]
    # an editor is credited, never counted as an author
    assert [(c.name, c.role) for c in cleaned.credited if c.role != "author"] == [
        ("Anna Kowalski", "reporting"), ("Graham Pryce", "editing")]
    assert {r.reason for r in cleaned.removed} >= {"site furniture", "byline", "photo credit", "reporting credit"}


def test_source_boilerplate_and_masthead_from_the_registry():
    registry = Registry(sources=[Source("Harbour Times", "https://harbourtimes.example",
                                        ["© Harbour Times"], ["Support independent journalism today"])])
    text = "\n\n".join(["Harbour Times | News from the coast", "Storm Closes Port",
                        "The port closed on Monday as a storm hit the coast.",
                        "Support independent journalism today", "More ships were expected to wait.",
                        "© Harbour Times 2023"])
    cleaned = clean(doc_from(text), registry)
    assert cleaned.headline.text == "Storm Closes Port"
    assert texts(cleaned) == ["The port closed on Monday as a storm hit the coast.",
                              "More ships were expected to wait."]
    reasons = {r.text: r.reason for r in cleaned.removed}
    assert reasons["Harbour Times | News from the coast"] == "masthead"
    assert reasons["© Harbour Times 2023"] == "sign-off"
    boilerplate = next(r for r in cleaned.removed if r.text == "Support independent journalism today")
    assert boilerplate.reason == "boilerplate" and boilerplate.source == "Harbour Times"
    assert boilerplate.label == "boilerplate of Harbour Times (sources.yml)"


def test_markdown_heading_is_a_headline_not_markup():
    cleaned = clean(doc_from("# One Year On\n\nThe war entered its second year on Friday.", kind="markdown"),
                    Registry())
    assert cleaned.headline.text == "One Year On"


def test_date_only_lines():
    assert is_date_only("Friday, 4 March 2022")
    assert is_date_only("Published: 2022-11-15 14:02 GMT")
    assert not is_date_only("On March 4, 2022 NATO said no.")


def test_hard_wrapped_text_is_joined_but_short_lines_stay_apart():
    wrapped = ("This paragraph was saved from a terminal and wrapped at seventy\n"
               "characters per line, so each line ends in the middle of the sentence\n"
               "and only the last one ends it.")
    assert [p.text for p in paragraphs(wrapped)] == [" ".join(wrapped.split())]
    assert [p.text for p in paragraphs("Lola Lopez\nLola Lopez\n11-12-22 13:13")] == \
        ["Lola Lopez", "Lola Lopez", "11-12-22 13:13"]
    assert [p.line for p in paragraphs("a\n\nb", first_line=5)] == [5, 7]
    assert isinstance(paragraphs("x")[0], Line)


def test_a_wire_dateline_hands_its_outlet_and_date_on_as_fields():
    cleaned = clean(doc_from("NEW DELHI, March 2, 2023 (Continental Wire) — India said on Thursday that it would "
                             "abstain.\n\nThe vote is due next week."), Registry())
    assert cleaned.dateline.place == "NEW DELHI"
    assert cleaned.dateline.date == "March 2, 2023"
    assert cleaned.dateline.outlet == "Continental Wire"


def test_a_removal_reason_the_stages_do_not_know_is_refused_where_it_is_made():
    from builder.core.models import Removal, Removed

    assert Removed("Advertisement", 3, "site furniture").reason is Removal.FURNITURE
    with pytest.raises(ValueError):
        Removed("Advertisement", 3, "furnitrue")
