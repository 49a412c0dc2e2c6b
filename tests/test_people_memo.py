"""Each name's archive-wide decision kept between builds (``people.memo``): taken again exactly
when what it read changed, so a rebuild names the people a cold build names."""

from __future__ import annotations

import shutil
from collections import Counter

from builder.people import memo as M
from builder.people.evidence import NameStats
from builder.pipeline import DECISIONS_FILE, Project, process_project

FIRST = {
    "a.txt": "Ozzy Osbourne said the band would tour again.\n\nThe show was sold out, said promoter Anna Reyes.\n",
    "b.txt": "Analyst Tom Blake said the mood had lifted at Kelvin Marsh.\n",
}
MORE = {
    "c.txt": "Black Sabbath played on. Fans sang along, said Ozzy Osbourne.\n",
    "d.txt": "The band Black Sabbath sold out. Kelvin Marsh said he was pleased, and Tom Blake agreed.\n",
    "e.txt": "Shares in housebuilder Kelvin Marsh rose, said Anna Reyes.\n",
}


def build(root, files):
    articles = root / "corpus" / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (articles / name).write_text(text, encoding="utf-8")
    result = process_project(Project(root))
    return {r.id: list(r.people_names) for r in result.records}, [m.text for f in result.files for m in f.messages]


def test_a_rebuild_with_kept_decisions_names_the_people_a_cold_build_names(tmp_path):
    warm = tmp_path / "warm"
    build(warm, FIRST)
    kept = warm / ".cache" / "people" / DECISIONS_FILE
    assert kept.is_file()
    for k, name in enumerate(MORE):          # one article at a time, each a rebuild
        got = build(warm, {name: MORE[name]})
        cold = tmp_path / f"cold{k}"
        shutil.copytree(warm / "corpus", cold / "corpus")
        assert got == build(cold, {})
    decisions = M.from_json(kept.read_text(encoding="utf-8"), M.version())
    assert decisions.kept        # the last build's decisions, kept for the next


def stats(name: str, **counters) -> NameStats:
    return NameStats(name, [name], 1, False, *(counters.get(f, Counter()) for f in M.COUNTERS))


def by_lower_words(batch):
    """A decision that reads one key of one counter: its first word written in lower case."""
    return {s.name: "ordinary" for s in batch if s.lower_words[s.name.split()[0].casefold()] > 2}


def test_a_decision_is_taken_again_exactly_when_a_value_it_read_changed():
    calls = []

    def decide(batch):
        calls.extend(s.name for s in batch)
        return by_lower_words(batch)

    lower = Counter({"mark": 1, "spring": 5})
    names = [stats("Mark Twain", lower_words=lower), stats("Spring Hill", lower_words=lower)]
    first = M.Decisions("v")
    assert first.rejections(names, decide) == {"Spring Hill": "ordinary"}
    again = M.from_json(first.to_json(), "v")
    lower["river"] += 7                                  # a word neither decision read
    assert again.rejections(names, decide) == {"Spring Hill": "ordinary"} and again.taken == 2
    lower["mark"] = 3                                    # what Mark Twain's decision read
    calls.clear()
    later = M.from_json(again.to_json(), "v")
    assert later.rejections(names, decide) == {"Mark Twain": "ordinary", "Spring Hill": "ordinary"}
    assert calls == ["Mark Twain"] and later.taken == 1
    assert M.from_json(later.to_json(), "other version").kept == {}


def test_a_decision_that_uses_a_counter_otherwise_is_never_kept():
    def decide(batch):
        return {s.name: "listed" for s in batch if len(s.runs) > 1}      # the counter's size

    runs = Counter({"a": 1, "b": 1})
    memo = M.Decisions("v")
    assert memo.rejections([stats("Ann Lee", runs=runs)], decide) == {"Ann Lee": "listed"}
    assert memo.fresh == {}


def test_kept_decisions_of_another_shape_are_ignored():
    memo = M.Decisions("v")
    memo.rejections([stats("Spring Hill", lower_words=Counter(spring=5))], by_lower_words)
    assert M.from_json("not json", "v").kept == {}
    bad = memo.to_json().replace('"lower_words":["spring"]', '"lower_words":"spring"')
    spoilt = M.from_json(bad, "v")
    assert spoilt.rejections([stats("Spring Hill", lower_words=Counter(spring=5))], by_lower_words) \
        == {"Spring Hill": "ordinary"} and spoilt.taken == 0
