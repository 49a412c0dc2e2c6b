"""The people decision on CoNLL-2003 English, scored against its human annotation (a first run).

    python benchmarks/corpora.py conll SNAPSHOT/conll2003 OUT/conll
    python benchmarks/people_evidence.py OUT/conll EV/conll.json
    python benchmarks/people_conll.py SNAPSHOT/conll2003 OUT/conll EV/conll.json --write-labels --write-top

CoNLL-2003's annotators tagged every name of its Reuters stories (August-December 1996) as a
person (PER), an organisation, a place or another name (MISC). This script turns those tags into
gold labels of name strings, independent of the builder, and scores the person pages of one
``people_evidence.py`` run against them.

The gold rule, the same for every name string (case as written, words as the builder spells them):

* A gold span is a maximal run of tokens with one entity type in one sentence (IOB1: ``B-`` starts
  a new span of the same type). Its string is its tokens detokenized as ``corpora.py`` writes them.
* For a name, count the articles of the archive (the documents ``corpora.py`` kept) in which the
  name, or a spelling the archive merged into it, is the whole string of a PER span (``per``), and
  those in which it is the whole string of another type's span (``other``). The name is a person
  when ``per > other``: the annotators tagged that full string as a person in most of the articles
  where it is tagged at all. Ties, and strings never tagged as a whole span (a name with a title, a
  place or a second name glued on, a name cut short), are not people.
* Names written only as a surname: the builder makes no one-word pages, so a one-word PER span is
  neither a page nor one of the people of the recall figure; an article that writes a person only
  by surname does not count among that person's articles.

Measures: precision, the share of person pages whose name is a person (every page, with a Wilson
95% interval) and the kinds of the others (from the tags under the page name's first occurrence);
recall, the share of gold people (names of two or more words, words only, that the rule calls
people and that are a whole PER span in at least one article) that have a page, and the share of their articles (those tagging the full name
as PER) that the page lists. ``--write-labels`` writes ``benchmarks/data/people_labels_conll.tsv``
(label, name, per, other; every name of the run and every gold person) for ``people_model.py``;
``--write-top`` labels the 400 most-written runs of the evidence file with the same rule into
``benchmarks/data/people_top_conll.tsv`` for ``people_recall.py``.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpora import CONLL_SPLITS, conll_documents, detokenize  # noqa: E402
from benchmarks.people_recall import page_of  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
LABELS = DATA / "people_labels_conll.tsv"
TOP = DATA / "people_top_conll.tsv"


def gold_spans(sentence: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    """(type, first token, end) of each entity span of an IOB1-tagged sentence."""
    spans: list[tuple[str, int, int]] = []
    for i, (_, tag) in enumerate(sentence):
        kind = tag[2:] if tag != "O" else None
        continues = (kind and spans and spans[-1][2] == i and spans[-1][0] == kind and not tag.startswith("B-"))
        if continues:
            spans[-1] = (kind, spans[-1][1], i + 1)
        elif kind:
            spans.append((kind, i, i + 1))
    return spans


def kept_documents(src: Path, archive: Path) -> dict[str, list]:
    """{article id: sentences} for the documents the archive holds (``section_dNNNN``)."""
    out = {}
    for split in CONLL_SPLITS:
        lines = (src / f"eng.{split}").read_text(encoding="utf-8").splitlines()
        for i, doc in enumerate(conll_documents(lines)):
            if (archive / split / f"d{i:04d}.txt").exists():
                out[f"{split}_d{i:04d}"] = doc
    return out


def span_articles(docs: dict[str, list]) -> dict[str, dict[str, set[str]]]:
    """{span string: {"PER"/"other"/the other type: ids of the articles where it is a whole span of
    that kind}}."""
    out: dict[str, dict[str, set[str]]] = {}
    for doc_id, sentences in docs.items():
        for s in sentences:
            for kind, a, b in gold_spans(s):
                text = detokenize([tok for tok, _ in s[a:b]])
                entry = out.setdefault(text, {"PER": set(), "other": set()})
                entry["PER" if kind == "PER" else "other"].add(doc_id)
                entry.setdefault(kind, set()).add(doc_id)
    return out


def gold_counts(name: str, spellings, spans: dict) -> tuple[int, int]:
    """(per, other): articles where the name or a spelling of it is a whole PER / other span."""
    per, other = set(), set()
    for s in {name, *spellings}:
        per |= spans.get(s, {}).get("PER", set())
        other |= spans.get(s, {}).get("other", set())
    return len(per), len(other)


def is_person(per: int, other: int) -> bool:
    """The gold rule: tagged as a whole PER span in most of the articles where it is tagged."""
    return per > other


def gold_people(spans: dict) -> dict[str, set[str]]:
    """{name of two or more words: the articles tagging it PER} for the names the rule calls people
    (words only: a span holding a bracket or a comma is no one's name as written)."""
    return {s: v["PER"] for s, v in spans.items()
            if len(s.split()) >= 2 and all(any(c.isalpha() for c in w) for w in s.split())
            and not re.search(r"[()\[\],;\"]", s) and is_person(len(v["PER"]), len(v["other"]))}


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion k/n."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _part(sentence, spans, a: int, b: int, i: int) -> tuple[str, int]:
    """The label of token i inside a name covering tokens a..b: a span's type (``PER-part`` when
    the name covers only part of a PER span), or ``word`` for an untagged token; with the span id."""
    for n, (kind, sa, sb) in enumerate(spans):
        if sa <= i < sb:
            cut = sa < a or sb > b
            return (f"{kind}-part" if cut else kind), n
    return ("punct" if not sentence[i][0][:1].isalnum() else "word"), -1 - i


def kind_of(name: str, docs: dict[str, list]) -> str:
    """What a name covers where it is first written (case aside): its parts' tags joined with +,
    e.g. ``word + PER`` for "striker Igor Shkvyrin", ``PER + LOC`` for a name run into a place."""
    words = [w.casefold() for w in name.split()]
    for sentences in docs.values():
        for s in sentences:
            toks = [t.casefold() for t, _ in s]
            for a in range(len(toks) - len(words) + 1):
                if toks[a:a + len(words)] == words:
                    spans = gold_spans(s)
                    parts = [_part(s, spans, a, a + len(words), i) for i in range(a, a + len(words))]
                    merged = [p for j, p in enumerate(parts) if j == 0 or p != parts[j - 1]]
                    return " + ".join(k for k, _ in merged)
    return "not written as such"


def error_kind(name: str, per: int, other: int, docs: dict[str, list], spans: dict) -> str:
    """Why a page name is not a person: tagged as a whole span mostly as something else (the type
    of most of its articles), or the tags under the words it covers."""
    if other and other >= per:
        entry = spans.get(name, {})
        kind = max(("ORG", "LOC", "MISC"), key=lambda k: len(entry.get(k, ())))
        return f"a whole {kind} span" + (" (PER in fewer articles)" if per else "")
    return kind_of(name, docs)


def label_rows(evidence: dict, spans: dict) -> list[tuple[bool, str, int, int]]:
    """(person, name, per, other) for every name of the run (its spellings counted with it) and
    every gold person that is not one of them or their spellings."""
    rows, seen = {}, set()
    for r in evidence["names"]:
        per, other = gold_counts(r["name"], r["spellings"], spans)
        rows[r["name"]] = (is_person(per, other), r["name"], per, other)
        seen.update([r["name"], *r["spellings"]])
    for name in sorted(evidence["pages"]):
        if name not in rows:
            per, other = gold_counts(name, (), spans)
            rows[name] = (is_person(per, other), name, per, other)
    for name, ids in gold_people(spans).items():
        if name not in seen and name not in rows:
            rows[name] = (True, name, len(ids), len(spans[name]["other"]))
    return [rows[k] for k in sorted(rows)]


def precision(evidence: dict, spans: dict, docs: dict) -> tuple[int, int, Counter, dict[str, list[str]]]:
    """(people among pages, pages, kinds of the others, examples of each kind)."""
    spellings = {r["name"]: r["spellings"] for r in evidence["names"]}
    kinds: Counter = Counter()
    examples: dict[str, list[str]] = {}
    people = 0
    for name, ids in sorted(evidence["pages"].items(), key=lambda kv: (-len(kv[1]), kv[0])):
        per, other = gold_counts(name, spellings.get(name, ()), spans)
        if is_person(per, other):
            people += 1
            continue
        kind = error_kind(name, per, other, docs, spans)
        kinds[kind] += 1
        examples.setdefault(kind, []).append(name)
    return people, len(evidence["pages"]), kinds, examples


def _is_table(sentence) -> bool:
    """A line of a results table or scoreboard: it starts or ends with a number, or a quarter of its
    tokens are numbers (a sentence of running text ends with its punctuation)."""
    toks = [t for t, _ in sentence]
    numeric = sum(any(c.isdigit() for c in t) for t in toks)
    return bool(toks) and (toks[0][:1].isdigit() or toks[-1][:1].isdigit() or 4 * numeric >= len(toks))


def _where(name: str, ids: set[str], docs: dict[str, list]) -> str:
    """Where a person is written: only in results tables, only in headlines, only as a byline (the
    line after the headline is the reporter's name alone), or in running text."""
    words = name.split()
    places = set()
    for doc_id in ids:
        for n, s in enumerate(docs[doc_id]):
            toks = [t for t, _ in s]
            if any(toks[a:a + len(words)] == words for a in range(len(toks) - len(words) + 1)):
                byline = n == 1 and toks == words
                places.add("table" if _is_table(s) else "headline" if n == 0 else "byline" if byline else "text")
    if places == {"byline"}:
        return "only as a byline"
    if places == {"table"}:
        return "only in results tables"
    if places == {"headline"}:
        return "only in headlines"
    return "in running text"


def _miss_kind(name: str, ids: set[str], evidence: dict, rows: dict, docs: dict) -> str:
    """Why a gold person has no page: the decision turned it down (its reason, the name taken
    out), or the archive never saw it as a name of its own (only inside a longer page name, or
    not at all; where it is written, and whether it is an initial and a surname)."""
    row = rows.get(name)
    if row is not None:
        reason = re.sub(r"'[^']+'", "'X'", str(row["reason"])).split(" (p =")[0]
        return f"turned down: {reason}"
    if any(f" {name} " in f" {page} " for page in evidence["pages"]):
        return "only inside a longer page name"
    initial = re.fullmatch(r"[A-Z]\.", name.split()[0]) is not None
    return f"never a name of its own, {_where(name, ids, docs)}" + (", initial and surname" if initial else "")


def recall(evidence: dict, spans: dict, docs: dict) -> dict:
    """Per gold person: whether it has a page, its articles and those its page lists, where it is
    written; and the kinds of the misses with examples."""
    rows = {}
    for r in evidence["names"]:
        for s in [r["name"], *r["spellings"]]:
            rows.setdefault(s, r)
    out: dict = {"people": [], "kinds": Counter(), "examples": {}}
    for name, ids in sorted(gold_people(spans).items(), key=lambda kv: (-len(kv[1]), kv[0])):
        page = page_of(name, evidence)
        on_page = set(evidence["pages"].get(page, ())) if page else set()
        out["people"].append((name, page is not None, len(ids), len(ids & on_page), _where(name, ids, docs)))
        if page is None:
            kind = _miss_kind(name, ids, evidence, rows, docs)
            out["kinds"][kind] += 1
            out["examples"].setdefault(kind, []).append(name)
    return out


def _recall_line(title: str, people: list) -> str:
    found = sum(p[1] for p in people)
    total, listed = sum(p[2] for p in people), sum(p[3] for p in people)
    return (f"{title}: {len(people)}; with a page: {found} (recall {found / max(len(people), 1):.3f}); "
            f"their articles listed on their page: {listed} of {total} ({listed / max(total, 1):.3f})")


def write_labels(rows, path: Path, header: str) -> None:
    lines = [f"# {header}", "# label\tname\tarticles tagging it PER\tarticles tagging it otherwise"]
    lines += [f"{'P' if ok else 'N'}\t{name}\t{per}\t{other}" for ok, name, per, other in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _print_kinds(title: str, kinds: Counter, examples: dict, n: int) -> None:
    print(f"\n{title}")
    for kind, count in kinds.most_common(n):
        print(f"  {count:5d}  {kind}: {', '.join(examples[kind][:5])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src", type=Path, help="the folder of eng.train, eng.testa, eng.testb")
    ap.add_argument("archive", type=Path, help="the layout of corpora.py conll")
    ap.add_argument("evidence", type=Path, help="people_evidence.py's run on that layout")
    ap.add_argument("--write-labels", action="store_true", help=f"write {LABELS.relative_to(ROOT)}")
    ap.add_argument("--write-top", action="store_true", help=f"write {TOP.relative_to(ROOT)}")
    ap.add_argument("--kinds", type=int, default=15, help="how many kinds of error to print")
    args = ap.parse_args(argv)
    docs = kept_documents(args.src, args.archive)
    spans = span_articles(docs)
    evidence = json.loads(args.evidence.read_text(encoding="utf-8"))

    people, pages, kinds, examples = precision(evidence, spans, docs)
    low, high = wilson(people, pages)
    print(f"{len(docs)} articles; person pages: {pages}, people by the gold rule: {people} "
          f"(precision {people / max(pages, 1):.3f}, 95% interval {low:.3f}-{high:.3f})")
    got = recall(evidence, spans, docs)
    print(_recall_line("gold people (two or more words, a whole PER span in an article)", got["people"]))
    print(_recall_line("  of whom written in running text", [p for p in got["people"] if p[4] == "in running text"]))
    _print_kinds("pages that are not people, by kind:", kinds, examples, args.kinds)
    _print_kinds("gold people without a page, by kind:", got["kinds"], got["examples"], args.kinds)

    if args.write_labels:
        write_labels(label_rows(evidence, spans), LABELS,
                     f"CoNLL-2003 English ({len(docs)} articles of corpora.py conll): every name of a "
                     "people_evidence.py run and every gold person, labelled by the gold rule of "
                     "benchmarks/people_conll.py from the annotators' tags (P a person, N anything else).")
        print(f"wrote {LABELS.relative_to(ROOT)}")
    if args.write_top:
        top = [(is_person(*gold_counts(n, (), spans)), n, *gold_counts(n, (), spans)) for n in evidence["written"]]
        write_labels(sorted(top, key=lambda r: r[1]), TOP,
                     "The conll corpus' 400 most-written runs of capitalised words (benchmarks/people_recall.py), "
                     "labelled by the gold rule of benchmarks/people_conll.py (P a person's full name, N anything "
                     "else), not by hand.")
        print(f"wrote {TOP.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
