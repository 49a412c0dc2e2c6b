"""Quotations: extraction, speakers, matching one utterance across outlets, wording differences."""

from __future__ import annotations

import html
import re

import pytest

from builder.stages import quotes as Q
from builder.core.models import Field, Line, PersonRef, Record
from builder.pipeline import Project, process_project
from conftest import ROOT

SEEDS = ["000_6645bb114f692c0a", "001_f122441e4731caa6", "002_78df90272e28db83", "003_dc65186b82b726e1",
         "004_80bdbfd9fb277ead"]


def record(paragraphs: list[str], people: dict[str, list[str]], rid: str = "a", date: str = "2022-03-04") -> Record:
    return Record(id=rid, path=f"{rid}.txt", title=Field("T", "headline line"), date=Field(date),
                  source=Field(None), url=Field(None), language=Field("en"),
                  people=[PersonRef(n, "test", "", m) for n, m in people.items()], tags=Field([]),
                  paragraphs=[Line(t, i + 1) for i, t in enumerate(paragraphs)], comments=[])


PEOPLE = {"Jens Stoltenberg": ["Jens Stoltenberg", "Stoltenberg"], "Dmytro Kuleba": ["Dmytro Kuleba"],
          "Antony Blinken": ["Antony Blinken", "Blinken"]}


def speakers(paragraphs, people=PEOPLE, descriptions=None):
    return [(q.text, q.speaker) for q in Q.extract_quotes(record(paragraphs, people), descriptions)]


def test_attribution_forms_name_the_speaker():
    got = speakers([
        "“We will defend every inch of allied territory,” Stoltenberg said on Friday.",
        '"The alliance is not part of this conflict at all," said Jens Stoltenberg.',
        "Dmytro Kuleba told reporters: “Act now before it is too late for all of us.”",
        "“Allies agree we should not send planes over Ukraine,” he said.",
    ])
    assert got == [("We will defend every inch of allied territory", "Jens Stoltenberg"),
                   ("The alliance is not part of this conflict at all", "Jens Stoltenberg"),
                   ("Act now before it is too late for all of us.", "Dmytro Kuleba"),
                   ("Allies agree we should not send planes over Ukraine", "Dmytro Kuleba")]


def test_he_is_the_last_person_named_not_a_possessive_or_a_name_inside_a_quotation():
    got = speakers([
        "Stoltenberg spoke after the meeting. Blinken’s team had briefed the press earlier.",
        "“We understand the desperation of the people of Ukraine,” he said.",
    ])
    assert got == [("We understand the desperation of the people of Ukraine", "Jens Stoltenberg")]


def test_a_quotation_running_across_paragraphs_is_one_quotation():
    got = speakers([
        "“The only way to implement a no-fly zone is to send fighter planes,” Stoltenberg said.",
        "“If we did that, we would end up with a full-fledged war in Europe.",
        "“So that is the reason why we make this painful decision.”",
        "Ministers met again on Saturday.",
    ])
    assert got[1] == ("If we did that, we would end up with a full-fledged war in Europe. "
                      "So that is the reason why we make this painful decision.", "Jens Stoltenberg")
    assert len(got) == 2


def test_short_phrases_and_unbalanced_marks_are_not_quotations():
    got = speakers(["Biden called it “reckless” and a “painful decision”.",
                    "According to the treaty, an attack “shall be considered an attack against them all. "
                    "Stoltenberg said that Putin knows it."])
    assert got == []


def test_a_description_from_people_yml_names_the_speaker():
    got = speakers(["Blinken arrived late.", "Stoltenberg spoke first.",
                    "“We seek no conflict, but we are ready for it,” the secretary of state said."],
                   descriptions={"Antony Blinken": "United States Secretary of State (2021-2025)",
                                 "Jens Stoltenberg": "Secretary General of NATO"})
    assert got == [("We seek no conflict, but we are ready for it", "Antony Blinken")]


@pytest.fixture(scope="module")
def seed_groups():
    records = process_project(Project(ROOT)).records
    return Q.group_quotes(records)


def test_the_full_fledged_war_quote_is_tied_to_the_three_seed_reports_that_carry_it(seed_groups):
    groups = [g for g in seed_groups if any("full-fledged war" in q.text for q in g.quotes)]
    assert len(groups) == 1
    assert groups[0].speaker == "Jens Stoltenberg"
    assert sorted(groups[0].articles) == SEEDS[:3]


def test_different_speakers_never_share_a_quotation(seed_groups):
    for g in seed_groups:
        named = {q.speaker for q in g.quotes if q.speaker}
        assert len(named) <= 1, g


def test_word_diff_marks_changes_and_escapes_text():
    out = Q.word_diff_html("we will end up <b>in</b> a war", "we would end up <b>in</b> a wider war")
    assert "<del>will</del> <ins>would</ins>" in out
    assert "<ins>wider</ins>" in out
    assert "<b>" not in out and "&lt;b&gt;in&lt;/b&gt;" in out


def test_a_long_quotation_is_compared_word_by_word_past_the_exact_limit():
    # past EXACT_DIFF_WORDS the diff is the bounded one: still exact for a few changes, and the
    # output rebuilds the other wording word for word
    speech = " ".join(f"point{k % 97} of the plan, item {k}," for k in range(400)).split()
    assert len(speech) * 2 > Q.EXACT_DIFF_WORDS
    other = list(speech)
    other[5], other[1203] = "clause0", "<b>new</b>"
    del other[2000]
    out = Q.word_diff_html(" ".join(speech), " ".join(other))
    assert out.count("<del>") == 3 and out.count("<ins>") == 2
    assert f"<del>{speech[5]}</del> <ins>clause0</ins>" in out and f"<del>{speech[2000]}</del>" in out and "<ins>&lt;b&gt;new&lt;/b&gt;</ins>" in out
    shown = re.sub(r"<del>.*?</del> ?", "", out).replace("<ins>", "").replace("</ins>", "")
    assert html.unescape(shown).split() == other


def test_british_single_quotation_marks_and_apostrophes():
    got = speakers(["‘We are not part of this conflict, and we won’t be,’ Stoltenberg said.",
                    "Russia’s envoy and the allies’ ministers met on Friday."])
    assert got == [("We are not part of this conflict, and we won’t be", "Jens Stoltenberg")]


def test_a_second_quotation_in_a_paragraph_and_a_partial_quotation_in_reported_speech():
    got = speakers(["“Households turned the thermostat down,” Stoltenberg said. “That is not a victory at all, it "
                    "is a recession.”", "Blinken said Europe was now “the first continent to set clear rules”."])
    assert got == [("Households turned the thermostat down", "Jens Stoltenberg"),
                   ("That is not a victory at all, it is a recession.", "Jens Stoltenberg"),
                   ("the first continent to set clear rules", "Antony Blinken")]


def test_hostile_text_cannot_make_the_attribution_patterns_run_away():
    import signal

    def too_slow(*_):
        raise TimeoutError("quotation extraction ran away")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(20)                     # the old pattern needed hours for the first of these
    try:
        for text in ("A-" * 60 + "a “" + "x " * 10 + "”", "A-a-" * 2000 + "said “a b c d e f”",
                     "the " + "a " * 3000 + "said “one two three four five six”", "‘" * 3000):
            speakers([text])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_cached_quotations_equal_fresh_ones_and_follow_an_edit(tmp_path):
    from builder.core.cache import Cache

    cache = Cache(tmp_path).sibling("quotes")
    paragraphs = ['"We will not give up a single inch of our land," Zelensky said on Friday.',
                  'Stoltenberg told reporters: "NATO stands with Ukraine for as long as it takes."']
    records = [record(paragraphs, PEOPLE, "a"), record(paragraphs[::-1], PEOPLE, "b")]
    fresh = [q for r in records for q in Q.extract_quotes(r)]
    assert fresh and Q.extract_all(records, None, cache) == fresh          # computed and stored
    assert cache.misses == 2 and Q.extract_all(records, None, cache) == fresh and cache.hits == 2
    edited = [record([paragraphs[0].replace("Zelensky said", "Stoltenberg said")], PEOPLE, "a"), records[1]]
    again = Q.extract_all(edited, None, cache)
    assert again == [q for r in edited for q in Q.extract_quotes(r)] and again[0].speaker != fresh[0].speaker
    assert cache.misses == 3
