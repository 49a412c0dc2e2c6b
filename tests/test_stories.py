"""Story grouping: the seed reports of 4 March 2022 form one story; nothing else joins it."""

from __future__ import annotations

import random

import pytest
import yaml

from builder.stages import quotes as Q
from builder.stages import stories as S
from builder.core.models import Field, Line, PersonRef, Record
from builder.pipeline import Project, process_project
from conftest import ROOT

SEED_STORY = ["000_6645bb114f692c0a", "001_f122441e4731caa6", "002_78df90272e28db83", "003_dc65186b82b726e1"]
DECEMBER = "004_80bdbfd9fb277ead"


@pytest.fixture(scope="module")
def seed_records():
    return process_project(Project(ROOT)).records


def record(rid: str, date: str | None, text: str, people=(), source="Outlet") -> Record:
    return Record(id=rid, path=f"{rid}.txt", title=Field(text.split(".")[0], "headline line"),
                  date=Field(date), source=Field(source), url=Field(None), language=Field("en"),
                  people=[PersonRef(p, "test", "", [p]) for p in people], tags=Field([]),
                  paragraphs=[Line(t, i + 1) for i, t in enumerate(text.split("\n\n"))], comments=[])


def test_the_four_seed_reports_form_one_story_and_the_december_article_stays_out(seed_records):
    stories = S.group_stories(seed_records)
    assert [list(s.articles) for s in stories] == [SEED_STORY]
    assert stories[0].id == "story-000_6645bb114f692c0a"
    assert DECEMBER not in S.by_article(stories)


def test_the_four_seed_reports_still_join_through_their_shared_quotations(seed_records):
    quoted = S.quote_pairs(Q.group_quotes(seed_records))
    assert frozenset(("000_6645bb114f692c0a", "002_78df90272e28db83")) in quoted
    assert [list(s.articles) for s in S.group_stories(seed_records, quoted)] == [SEED_STORY]


def test_the_same_day_same_people_and_topic_is_not_enough_without_the_same_words_quoted():
    # the Nord Stream leaks in two outlets; the Baltic Pipe opening the same day, the same two
    # prime ministers, gas and the Baltic Sea, but not their words about the leaks
    records = process_project(Project(ROOT / "tests" / "stories")).records
    quoted = S.quote_pairs(Q.group_quotes(records))
    assert [s.articles for s in S.group_stories(records, quoted)] == [
        ("s01_nord_stream_blasts", "s02_baltic_pipeline_sabotage")]


def test_story_ids_and_order_do_not_depend_on_the_input_order(seed_records):
    shuffled = list(seed_records)
    random.Random(7).shuffle(shuffled)
    assert S.group_stories(shuffled) == S.group_stories(seed_records)


def test_the_same_words_weeks_apart_are_two_events():
    text = ("The harbour wall at Porthmellin collapsed after the storm, the council said. Engineers will "
            "inspect the harbour wall and the quay on Monday. Repairs to the harbour wall could cost millions.")
    near = S.group_stories([record("a", "2022-11-21", text, ["Beth Trevail"]),
                            record("b", "2022-11-22", text.replace("Monday", "Tuesday"), ["Beth Trevail"])])
    far = S.group_stories([record("a", "2022-11-21", text, ["Beth Trevail"]),
                           record("b", "2022-12-21", text, ["Beth Trevail"])])
    assert [s.articles for s in near] == [("a", "b")]
    assert far == []


def test_dates_known_only_to_the_year_or_not_at_all_never_group():
    text = "Flood barrier to be raised by a metre after winter surges, the agency said on Friday."
    assert S.group_stories([record("a", "2022", text), record("b", "2022", text), record("c", None, text),
                            record("d", "2022?", text)]) == []
    assert S.date_span("2022-02") == (S.date_span("2022-02-01")[0], S.date_span("2022-02-28")[0])


def test_unrelated_articles_of_the_same_day_stay_apart():
    a = record("a", "2022-03-04", "Russia passed a law threatening jail for fake news about the army.", ["Vyacheslav Volodin"])
    b = record("b", "2022-03-04", "The Zaporizhzhia nuclear power plant was shelled and caught fire overnight.", ["Rafael Grossi"])
    assert S.group_stories([a, b]) == []


def test_labelled_pairs_file_lists_the_seed_story_as_its_positives():
    data = yaml.safe_load((ROOT / "tests" / "stories" / "pairs.yml").read_text(encoding="utf-8"))
    positives = {frozenset(p[:2]) for p in data["pairs"] if p[2]}
    assert positives == {frozenset((a, b)) for i, a in enumerate(SEED_STORY) for b in SEED_STORY[i + 1:]}
    later = {p[0] for p in data["later_pairs"]} | {p[1] for p in data["later_pairs"]}
    written = {p.stem for p in (ROOT / "tests" / "stories" / "corpus" / "articles").iterdir()}
    assert written <= later


def test_daily_coverage_of_a_long_running_event_never_chains_into_one_story():
    # one report a day for a month, each nearly the same as the day before: linked day to day,
    # a story must still be one event, not the whole campaign
    base = ("The harbour wall at Porthmellin is still closed after the storm, the council said. Engineers "
            "inspected the harbour wall and the quay again. Repairs to the harbour wall could cost millions.")
    days = [f"2022-11-{d:02d}" for d in range(1, 31)]
    records = [record(f"r{d}", day, base + f" Update {d}.", ["Beth Trevail"]) for d, day in enumerate(days)]
    stories = S.group_stories(records)
    assert stories, "consecutive days of the same report are linked"
    grouped = [a for s in stories for a in s.articles]
    assert len(grouped) == len(set(grouped)) and len(stories) >= len(days) // (S.STORY_MAX_DAYS + 1)
    for s in stories:
        first, last = (S.date_span(days[int(a[1:])])[0] for a in (s.articles[0], s.articles[-1]))
        assert last - first <= S.STORY_MAX_DAYS
    assert S.group_stories(list(reversed(records))) == stories


def test_quotation_pairs_are_answered_without_listing_every_pair():
    groups = [Q.QuoteGroup("q1", "A", [Q.Quote(f"a{i}", "words", "A", "A said", 1) for i in range(600)])]
    pairs = S.quote_pairs(groups)
    assert frozenset(("a1", "a599")) in pairs and frozenset(("a1", "b")) not in pairs
    assert len(pairs) == 600 * 599 // 2


def _noise(rng: random.Random, words: int = 60) -> str:
    letters = "bcdfghjklmnpqrstvwxz"
    return " ".join("".join(rng.choice(letters) for _ in range(6)) for _ in range(words)) + "."


def test_a_crowded_day_is_compared_by_shared_words_and_still_finds_its_story():
    # more articles on one day than are compared pair by pair: the two reports of the harbour
    # collapse still form a story, and far fewer than all pairs are compared
    rng = random.Random(3)
    n = S.EXACT_PARTNERS * 4
    records = [record(f"n{i:04d}", "2022-11-21", _noise(rng)) for i in range(n)]
    text = ("The harbour wall at Porthmellin collapsed after the storm, the council said. Engineers will "
            "inspect the harbour wall and the quay on Monday. Repairs to the harbour wall could cost millions.")
    records[5] = record("a-first", "2022-11-21", text, ["Beth Trevail"])
    records[n - 400] = record("b-second", "2022-11-21", text.replace("Monday", "Tuesday"), ["Beth Trevail"])
    assert [s.articles for s in S.group_stories(records)] == [("a-first", "b-second")]

    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer().fit_transform([r.text for r in records])
    pairs = S.candidate_pairs([S.date_span("2022-11-21")] * n, matrix)
    assert len(pairs) < n * (n - 1) // 2 // 5


def test_blocking_finds_the_same_stories_as_comparing_every_pair(seed_records, monkeypatch):
    stories_corpus = process_project(Project(ROOT / "tests" / "stories")).records
    exact = [S.group_stories(seed_records), S.group_stories(stories_corpus)]
    monkeypatch.setattr(S, "EXACT_PARTNERS", 0)        # every article compared through its key words
    assert [S.group_stories(seed_records), S.group_stories(stories_corpus)] == exact
