"""benchmarks/people_read.py: the hand-read recall counts a person listed under any spelling."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.people_read import listed, pages_of_articles, read_labels  # noqa: E402


def test_a_person_is_listed_under_a_spelling_or_with_middle_initials(tmp_path):
    evidence = {"names": [{"name": "Paul Ryan", "spellings": ["Paul D. Ryan"]}],
                "pages": {"Paul Ryan": ["a1"], "H.R. McMaster": ["a1"], "Jane Doe": ["a2"]}}
    labels = tmp_path / "l.tsv"
    labels.write_text("# notes\na1\tPaul D. Ryan\na1\tH.R. McMaster\na1\tKevin Lamarque\na2\t-\n", encoding="utf-8")
    pages = pages_of_articles(evidence)
    got = {n: listed(n, pages.get(a, [])) for a, names in read_labels(labels).items() for n in names}
    assert got == {"Paul D. Ryan": True, "H.R. McMaster": True, "Kevin Lamarque": False}
    assert read_labels(labels)["a2"] == []
