"""Dates as a reader and an archivist expect them: EDTF, never guessed, never 'today'."""

import datetime as dt

import pytest

from builder.core.dates import (edtf_sort_key, find_dates, is_valid_edtf, next_weekday, normalise_edtf,
                           weekdays_mentioned, year_month)


@pytest.mark.parametrize("text, edtf", [
    ("Friday, March 4, 2022", "2022-03-04"),
    ("on 4 March 2022 in Brussels", "2022-03-04"),
    ("Published 2022-11-15 14:02 GMT", "2022-11-15"),
    ("04.03.2022", "2022-03-04"),
    ("Sept. 5, 2022", "2022-09-05"),
    ("in March 2022", "2022-03"),
    ("13/06/22", "2022-06-13"),
])
def test_written_dates_become_edtf(text, edtf):
    assert [m.edtf for m in find_dates(text)] == [edtf]


def test_ambiguous_numeric_date_keeps_only_the_year_and_both_readings():
    (m,) = find_dates("11-12-22 13:13")
    assert m.edtf == "2022" and m.day is None
    assert m.ambiguous == [dt.date(2022, 11, 12), dt.date(2022, 12, 11)]


def test_weekday_in_a_date_is_checked():
    assert find_dates("Friday, March 4, 2022")[0].weekday_matches
    assert not find_dates("Monday, March 4, 2022")[0].weekday_matches


def test_relative_words_are_not_dates():
    assert find_dates("yesterday, last Tuesday and next week") == []
    assert weekdays_mentioned("He spoke on Friday night") == {4}


def test_next_weekday_counts_from_a_written_date_never_today():
    assert next_weekday(dt.date(2022, 3, 3), 4) == dt.date(2022, 3, 4)
    assert next_weekday(dt.date(2022, 3, 4), 4) == dt.date(2022, 3, 11)


@pytest.mark.parametrize("value, ok", [
    ("2022-03-04", True), ("2022-12", True), ("2022", True), ("2022?", True), ("2022-03/2022-05", True),
    ("../2022-12-11", True), ("2022-13-45", False), ("2022-02-30", False), ("March 2022", False), ("", False),
])
def test_edtf_validation(value, ok):
    assert is_valid_edtf(value) is ok


def test_front_matter_dates_normalise_to_edtf_strings():
    assert normalise_edtf(dt.date(2022, 3, 4)) == "2022-03-04"
    assert normalise_edtf(2022) == "2022"
    assert normalise_edtf("2022-13-45") is None


def test_timeline_keys_sort_chronologically():
    values = ["2022-12", "2022-03-04", "2022?", "2021"]
    assert sorted(values, key=edtf_sort_key) == ["2021", "2022?", "2022-03-04", "2022-12"]
    assert year_month("2022-03-04") == ("2022", "03") and year_month("2022?") == ("2022", None)
