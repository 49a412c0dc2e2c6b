"""Run the pipeline on an archive once and keep what the people decision weighs, for offline study.

    python benchmarks/people_evidence.py ARCHIVE OUT.json

ARCHIVE is an archive folder or a sectioned dataset (as for ``people_pages.py``). OUT holds, for
every unregistered name the archive-wide decision sees, the evidence the archive gathered about it
(``builder.people`` ``NameStats``, cut down to the counters that concern the name), the reason the
decision gave for turning it down (or null), and the person pages with the articles listing each.
``people_model.py`` trains and measures the decision from such files without running the pipeline
again, so a corpus of thousands of articles is read once.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _module(part: str):
    """builder.people.<part> of the people package (or, for the code before the one decision, the
    module of its rules; before the package, the module that called them)."""
    import importlib

    try:
        return importlib.import_module(f"builder.people.{part}")
    except ModuleNotFoundError:
        if part == "model":     # the package before the one decision: its rules' module
            return importlib.import_module("builder.people.decide")
        import builder.people as P
        P.entity_key = P._entity_key
        return P if part == "evidence" else importlib.import_module("builder.stages.extract")


def _cues_by_key(cues) -> dict[str, list]:
    """The archive's (key, cue) counts grouped by key, once for all names."""
    out: dict[str, list] = {}
    for (k, c), n in sorted(cues.items()):
        out.setdefault(k, []).append([k, c, n])
    return out


def _slim(s, cues_by_key: dict[str, list]) -> dict:
    """The parts of a NameStats the features read: counters at the name's own keys and words."""
    E = _module("evidence")
    keys = sorted({E.entity_key(sp) for sp in s.spellings})
    words = sorted({w.casefold() for sp in s.spellings for w in sp.split()} | {w.casefold() for w in s.name.split()})
    firsts = sorted({E.entity_key(sp.split()[0]) for sp in s.spellings} | {E.entity_key(s.name.split()[0])})
    return {
        "name": s.name, "spellings": list(s.spellings), "articles": s.articles, "titled": s.titled,
        "lower_words": {w: s.lower_words[w] for w in words if s.lower_words[w]},
        "other_labels": {k: s.other_labels[k] for k in sorted(set(keys) | set(firsts)) if s.other_labels[k]},
        "runs": {k: s.runs[k] for k in keys if s.runs[k]},
        "the_runs": {k: s.the_runs[k] for k in keys if s.the_runs[k]},
        "thing_context": {k: s.thing_context[k] for k in keys if s.thing_context[k]},
        "cues": [row for k in keys for row in cues_by_key.get(k, ())],
    }


_RUN = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:(?:de|da|del|van|von|der|den|bin|al|el|la|le)\s+)*[A-Z][\w'’.-]*)*")
_SENTENCE_END = re.compile(r"(?<=[a-z]{2}[.!?:;])\s+|\n")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


def written_names(text: str) -> set[str]:
    """Every run of two to four capitalised words the text writes, and every such run inside a
    longer one ("Paul Ryan" in "House Speaker Paul Ryan"): the plain strings a reader searches."""
    out = set()
    for m in (m for sentence in _SENTENCE_END.split(text) for m in _RUN.finditer(sentence)):
        words = [_POSSESSIVE.sub("", w).rstrip(",") for w in m.group(0).split()]
        words = [w if len(w) <= 2 else w.rstrip(".") for w in words]     # "D." stays an initial
        for n in range(2, 5):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                if gram[0][:1].isupper() and gram[-1][:1].isupper():
                    out.add(" ".join(gram))
    return out


def top_written(records, n: int = 400) -> dict[str, list[str]]:
    """{name: ids of the articles that write it} for the n names written in the most articles."""
    where: dict[str, list[str]] = {}
    for r in records:
        for gram in written_names(r.text):
            where.setdefault(gram, []).append(r.id)
    top = sorted(where, key=lambda g: (-len(where[g]), g))[:n]
    return {g: sorted(where[g]) for g in top}


def collect(archive: Path) -> dict:
    """One pipeline run: {"names": [...], "pages": {name: [article ids]}, "articles": n, "seconds": s}."""
    from benchmarks.people_pages import as_archive
    from builder.pipeline import Project, process_project

    D = _module("model")
    captured: list = []
    original = D.archive_rejections

    def capture(stats):
        reasons = original(stats)
        captured.extend((s, reasons.get(s.name)) for s in stats)
        return reasons

    D.archive_rejections = capture
    try:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            result = process_project(Project(as_archive(archive, Path(tmp))))
            seconds = time.perf_counter() - t0
    finally:
        D.archive_rejections = original
    pages: dict[str, list[str]] = {}
    for r in result.records:
        for name in sorted(set(r.people_names)):
            pages.setdefault(name, []).append(r.id)
    by_key = _cues_by_key(captured[0][0].cues) if captured else {}
    return {"names": [dict(_slim(s, by_key), reason=why) for s, why in captured], "pages": pages,
            "written": top_written(result.records),
            "articles": len(result.records), "seconds": round(seconds, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("archive", type=Path)
    ap.add_argument("out", type=Path)
    args = ap.parse_args(argv)
    data = collect(args.archive)
    args.out.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    print(f"{args.out}: {len(data['names'])} names, {len(data['pages'])} person pages, "
          f"{data['articles']} articles, {data['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
