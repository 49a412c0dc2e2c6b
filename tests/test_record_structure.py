"""The clean stage types what it keeps: captions (with their credits), subheadings, comment parts."""

from __future__ import annotations

from builder.stages.clean import clean, type_comments
from builder.core.models import Line
from builder.stages.read import read_file
from builder.core.registry import load_registry
from conftest import ROOT, SEEDS

REGISTRY = load_registry(ROOT / "corpus", ROOT)


def cleaned(name: str):
    path = next(SEEDS.glob(f"{name}*"))
    return clean(read_file(path, path.name), REGISTRY)


def typed(c) -> list[tuple[str, str, str]]:
    return [(p.kind, p.text[:30], p.credit) for p in c.paragraphs if p.kind != "text"]


def test_a_caption_printed_twice_is_kept_once_as_a_caption_with_its_credit():
    assert typed(cleaned("002_")) == [
        ("caption", "NATO Secretary Jens Stoltenber", "NATO"),
        ("caption", "This image made from a video r", "Zaporizhzhia nuclear power plant via AP")]


def test_a_caption_title_and_a_caption_credited_in_capitals():
    assert typed(cleaned("003_")) == [("caption-title", "Zelensky Speaks at a Press Con", ""),
                                      ("caption", "Ukrainian President Volodymyr ", "SERGEI SUPINSKY/AFP/Getty Images")]


def test_a_short_line_between_paragraphs_is_a_subheading():
    assert typed(cleaned("001_")) == [("subheading", "Ukraine demands a no-fly zone", "")]
    assert typed(cleaned("000_")) == []


def test_a_credit_line_goes_with_the_short_caption_after_it(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Harbour wall to be raised\n\nThe council voted on Monday to raise the harbour wall by a metre "
                    "after the winter storms, at a cost of four million pounds.\n\nPhoto: Gareth Lloyd/Saltmarsh "
                    "Pictures\n\nThe barrier's gates during a spring tide in February\n\nWork is due to start in the "
                    "autumn, when the harbour will be closed to leisure craft for six weeks.\n", encoding="utf-8")
    c = clean(read_file(path, "a.txt"), REGISTRY)
    assert typed(c) == [("caption", "The barrier's gates during a s", "Gareth Lloyd/Saltmarsh Pictures")]


def test_comment_lines_are_typed_author_date_reply_and_text():
    lines = [Line(t, i) for i, t in enumerate([
        "23 comments", "Lola Lopez", "Lola Lopez", "11-12-22 13:13", "Hypocrisy is diplomacy?", "Reply to  Lola Lopez",
        "11-12-22 13:42", "Couldn't have put it better.", "Dave_K - 20 Feb 2023 at 19:02", "Bold move.",
        "Reply · Report", "Posted by hannah_b on 14 October 2021", "Is there a link to donate?",
        "Marty Glass (June 15, 2023): Unbelievable."])]
    assert [(c.kind, c.text) for c in type_comments(lines)] == [
        ("comment-header", "23 comments"), ("comment-author", "Lola Lopez"), ("comment-date", "11-12-22 13:13"),
        ("comment", "Hypocrisy is diplomacy?"), ("comment-reply-to", "Lola Lopez"), ("comment-date", "11-12-22 13:42"),
        ("comment", "Couldn't have put it better."), ("comment-author", "Dave_K"),
        ("comment-date", "20 Feb 2023 at 19:02"), ("comment", "Bold move."), ("comment-author", "hannah_b"),
        ("comment-date", "14 October 2021"), ("comment", "Is there a link to donate?"),
        ("comment-author", "Marty Glass"), ("comment-date", "June 15, 2023"), ("comment", "Unbelievable.")]
