"""Wire copy as agencies sent it: the sign-off glued to the last sentence is furniture, and a
long paragraph of names is prose, not a headline."""

from pathlib import Path

from builder.core.cache import Cache
from builder.core.registry import load_registry
from builder.pipeline import Project, discover, process
from builder.stages.executor import InProcess

STORY = """Argentine Debt Negotiator Confident Of Accord

Argentina's chief debt negotiator said he was confident of a prompt accord with international creditor banks.

Mario Brodersohn, Argentina's finance secretary, told reporters that talks were going well.

Brodersohn held talks in New York with U.S. Treasury Secretary James Baker, Federal Reserve chief Paul Volcker and International Monetary Fund (IMF) head Michel Camdessus.  Reuter
"""


def _record(tmp_path: Path):
    (tmp_path / "corpus" / "articles").mkdir(parents=True)
    (tmp_path / "corpus" / "articles" / "r00348.txt").write_text(STORY, encoding="utf-8")
    project = Project(tmp_path)
    paths, _ = discover(project)
    result = process(paths, load_registry(project.corpus, project.root), project, cache=Cache(None),
                     executor=InProcess())
    return result.records[0]


def test_the_agency_sign_off_is_taken_off_the_last_paragraph(tmp_path):
    record = _record(tmp_path)
    last = record.paragraphs[-1].text
    assert last.endswith("head Michel Camdessus.")
    assert ("Reuter", "sign-off") in {(r.text, r.reason) for r in record.removed}


def test_the_people_of_a_long_paragraph_of_names_are_found(tmp_path):
    # most of its words are capitalised, but a 25-word paragraph with sentences is no headline
    people = {p.name for p in _record(tmp_path).people}
    assert {"James Baker", "Paul Volcker", "Michel Camdessus", "Mario Brodersohn"} <= people
