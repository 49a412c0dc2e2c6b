"""Tags after a rebuild: the archive keeps only what tags need of each article's entities (places
and organisations, counted) while ten thousand articles wait for their people to be resolved. The
tags must be the ones the entities themselves give."""

from __future__ import annotations

from pathlib import Path

from builder.core.models import Entity, Line, PersonRef, RawDoc
from builder.core.registry import Registry
from builder.stages.extract import entity_tag_candidates, infer_tags

TEXTS = ["Kharkiv was shelled again, officials in Kharkiv said; NATO met in Brussels.",
         "NATO said Brussels would host the summit. Kharkiv's mayor, Ihor Terekhov, and Terekhov Holdings spoke.",
         "The 2022 Group and the Kremlin's spokesman; Reuters reported it. Reuters again."]


def _ents(text: str) -> list[Entity]:
    out = []
    for name, label in (("Kharkiv's", "GPE"), ("Kharkiv", "GPE"), ("NATO", "ORG"), ("Brussels", "GPE"),
                        ("Ihor Terekhov", "PERSON"), ("Terekhov Holdings", "ORG"), ("2022 Group", "ORG"),
                        ("Kremlin's", "ORG"), ("Reuters", "ORG")):
        start = 0
        while (at := text.find(name, start)) >= 0:
            if not any(e.start <= at < e.end for e in out):
                out.append(Entity(name, label, at, at + len(name)))
            start = at + len(name)
    return sorted(out, key=lambda e: e.start)


def test_tags_from_counted_candidates_are_the_tags_from_the_entities():
    lines = [Line(t, n) for n, t in enumerate(TEXTS, 3)]
    ents = [_ents(t) for t in TEXTS]
    doc = RawDoc(Path("a.txt"), "a.txt", "a", "text", {}, {}, lines)
    people = [PersonRef("Ihor Terekhov", "ner", "", ["Ihor Terekhov", "Terekhov"])]
    registry = Registry()
    whole = infer_tags(doc, lines, ents, registry, people, "Reuters")
    counted = infer_tags(doc, lines, [[] for _ in ents], registry, people, "Reuters",
                         entity_tag_candidates(lines, ents))
    assert counted == whole
    assert set(whole) == {"Kharkiv", "NATO", "Brussels"}      # the outlet, a person's name, a number: no tag
    assert whole["Kharkiv"].endswith("3 mentions (first line 3)")
