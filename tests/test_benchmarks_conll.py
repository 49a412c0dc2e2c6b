"""CoNLL-2003 as a benchmark corpus: its tokens read back as plain English, and the gold rule that
says which name strings its annotators call people (benchmarks/corpora.py, benchmarks/people_conll.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpora import conll, conll_documents, detokenize  # noqa: E402
from benchmarks.people_conll import (  # noqa: E402
    gold_counts, gold_people, gold_spans, is_person, kind_of, span_articles,
)

SAMPLE = """-DOCSTART- -X- O O

SOCCER NN I-NP O
- : O O
AJAX NNP I-NP I-ORG
WIN VB I-VP O
. . O O

Uzbek JJ I-NP I-MISC
striker NN I-NP O
Igor NNP I-NP I-PER
Shkvyrin NNP I-NP I-PER
scored VBD I-VP O
for IN I-PP O
the DT I-NP O
U.S. NNP I-NP I-LOC
. . O O

-DOCSTART- -X- O O

Philip NNP I-NP I-ORG
Morris NNP I-NP I-ORG
said VBD I-VP O
Igor NNP I-NP I-PER
Shkvyrin NNP I-NP I-PER
Jones NNP I-NP B-PER
Smith NNP I-NP I-PER
left VBD I-VP O
. . O O

-DOCSTART- -X- O O

Philip NNP I-NP I-PER
Morris NNP I-NP I-PER
was VBD I-VP O
here RB I-ADVP O
and CC O O
Shkvyrin NNP I-NP I-PER
too RB I-ADVP O
. . O O

-DOCSTART- -X- O O

Philip NNP I-NP I-ORG
Morris NNP I-NP I-ORG
shares NNS I-NP O
fell VBD I-VP O
. . O O
"""


@pytest.mark.parametrize("tokens, text", [
    (["He", "said", "it", "was", "n't", "(", "yet", ")", "5", "%", "higher", ";", "that", "'s", "all", "."],
     "He said it wasn't (yet) 5% higher; that's all."),
    (["Rates", "rose", "in", "the", "U.S.", "."], "Rates rose in the U.S."),
    (['"', "We", "won", ",", '"', "Smith", "said", ":", '"', "Good", '"', "."],
     '"We won," Smith said: "Good".'),
    (["It", "was", "the", "players", "'", "choice", ",", '"', "he", "said", "."],
     "It was the players' choice,\" he said."),     # a quotation opened in an earlier sentence
    (["Clinton", "'s", "plan", "costs", "$", "5", "billion", "."], "Clinton's plan costs $5 billion."),
])
def test_detokenize_writes_readable_english(tokens, text):
    assert detokenize(tokens) == text


def test_documents_split_at_docstart_and_sentences_at_blank_lines():
    docs = conll_documents(SAMPLE.splitlines())
    assert len(docs) == 4
    assert [len(d) for d in docs] == [2, 1, 1, 1]
    assert docs[0][1][2] == ("Igor", "I-PER")


def test_layout_keeps_long_documents_with_the_headline_first(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    long_doc = "-DOCSTART- -X- O O\n\nMARKETS NN I-NP O\nCLOSE VB I-VP O\n\n" + "".join(
        f"word{i} NN I-NP O\n" for i in range(90)) + ". . O O\n"
    (src / "eng.train").write_text(SAMPLE + "\n" + long_doc, encoding="utf-8")
    for split in ("testa", "testb"):
        (src / f"eng.{split}").write_text("", encoding="utf-8")
    assert conll(src, out, set()) == 1                       # the four short documents are dropped
    text = (out / "train" / "d0004.txt").read_text(encoding="utf-8")
    assert text.startswith("MARKETS CLOSE\n\nword0 word1")


def test_iob1_spans_split_at_b_tags():
    sentence = conll_documents(SAMPLE.splitlines())[1][0]
    assert [(k, a, b) for k, a, b in gold_spans(sentence)] == [("ORG", 0, 2), ("PER", 3, 5), ("PER", 5, 7)]


def _spans():
    docs = conll_documents(SAMPLE.splitlines())
    return span_articles({f"train_d{i:04d}": d for i, d in enumerate(docs)}), \
        {f"train_d{i:04d}": d for i, d in enumerate(docs)}


def test_gold_rule_is_the_majority_of_articles_tagging_the_full_string():
    spans, _ = _spans()
    assert gold_counts("Igor Shkvyrin", (), spans) == (2, 0)
    assert is_person(*gold_counts("Igor Shkvyrin", (), spans))
    assert gold_counts("Philip Morris", (), spans) == (1, 2)      # the firm in two articles, a person in one
    assert not is_person(*gold_counts("Philip Morris", (), spans))
    assert gold_counts("Jones Smith", (), spans) == (1, 0)        # B-PER: two people, not "Shkvyrin Jones"
    assert gold_counts("Igor Shkvyrin Jones", (), spans) == (0, 0)


def test_a_span_with_glued_words_or_a_lone_surname_is_no_gold_person():
    spans, docs = _spans()
    assert not is_person(*gold_counts("striker Igor Shkvyrin", (), spans))
    assert kind_of("Uzbek striker Igor Shkvyrin", docs) == "MISC + word + PER"
    assert kind_of("Igor", docs) == "PER-part"
    people = gold_people(spans)
    assert set(people) == {"Igor Shkvyrin", "Jones Smith"}        # "Shkvyrin" alone: one word
    assert people["Igor Shkvyrin"] == {"train_d0000", "train_d0001"}


def test_a_spelling_merged_into_a_name_counts_with_it():
    spans, _ = _spans()
    assert gold_counts("I. Shkvyrin", ["Igor Shkvyrin"], spans) == (2, 0)
