"""Synthetic articles for the search benchmark and tests, and a plain BM25 to check results against.

The articles are the pipeline's ``Record`` values made directly (no files, no NER), shaped like a
news archive: about 400 words of English in 5-8 paragraphs, words drawn with Zipf frequencies
from the vocabulary of this repository's own real articles plus a long tail of rare words and
names; 2-3 people per article from a pool with a long tail, 1-3 tags, an outlet, a date between
2015 and 2024, reader comments on one article in five.
"""

from __future__ import annotations

import collections
import itertools
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from builder.outputs import search  # noqa: E402
from builder.core.models import Field, Line, PersonRef, Record  # noqa: E402

FIRST = ["Anna", "Jens", "Maria", "Olena", "Ahmed", "Li", "Carlos", "Fatima", "Ivan", "Sophie", "Kwame",
         "Priya", "Tomasz", "Aiko", "Lars", "Chiara", "Dmitro", "Grace", "Mehmet", "Ines", "Pablo", "Nadia",
         "Viktor", "Helen", "Omar", "Yuki", "Sergei", "Emma", "Ravi", "Lucia", "Hans", "Amara", "Joao", "Elif"]
SYLLABLES = ["ka", "lo", "ven", "ber", "stol", "ten", "mi", "ra", "dor", "ski", "an", "vel", "tor", "gan",
             "li", "sen", "mar", "rik", "ova", "chen", "hol", "dru", "pel", "zan", "kur", "bel", "sto", "nek"]
TAGS = ["elections", "climate", "energy", "health", "courts", "economy", "migration", "defence", "diplomacy",
        "education", "transport", "housing", "agriculture", "technology", "sport", "culture", "labour",
        "floods", "wildfires", "drought", "trade", "sanctions", "corruption", "human rights", "space",
        "nuclear safety", "no-fly zone", "refugees", "inflation", "tourism", "fisheries", "water"]
OUTLETS = ["Continental Wire", "The Harbour Gazette", "Northern Ledger", "Daily Meridian", "Coastline Post",
           "Valley Courier", "The Evening Standard-Bearer", "Metro Tribune", "Capital Herald", "Island Times",
           "Frontier Dispatch", "The Morning Lantern", "Plains Observer", "Riverside Chronicle"]


def _real_words() -> list[str]:
    """Words of the repository's own articles, most frequent first."""
    counts: collections.Counter = collections.Counter()
    for folder in (ROOT / "corpus", ROOT / "tests"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".txt", ".md", ".html") and "articles" in path.parts:
                text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8", errors="replace"))
                counts.update(w.lower() for w in re.findall(r"[A-Za-z][a-z]+", text))
    return [w for w, _ in counts.most_common()]


def _made_up(rng: random.Random, n: int) -> list[str]:
    out, seen = [], set()
    while len(out) < n:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def records(n: int, seed: int = 9) -> list[Record]:
    rng = random.Random(seed)
    vocab = _real_words()
    vocab += _made_up(rng, 30_000)                       # the long tail real archives have
    cum = list(itertools.accumulate(1 / (r + 2.7) for r in range(len(vocab))))
    surnames = [w.capitalize() for w in _made_up(rng, 4000)]
    people = [f"{rng.choice(FIRST)} {s}" for s in surnames]
    p_cum = list(itertools.accumulate(1 / (r + 1) ** 0.9 for r in range(len(people))))
    t_cum = list(itertools.accumulate(1 / (r + 1) for r in range(len(TAGS))))
    o_cum = list(itertools.accumulate(1 / (r + 1) ** 0.7 for r in range(len(OUTLETS))))

    def sentence(names: list[str]) -> str:
        words = rng.choices(vocab, cum_weights=cum, k=rng.randint(8, 22))
        if names and rng.random() < 0.35:
            words.insert(rng.randint(0, len(words)), rng.choice(names))
        s = " ".join(words)
        return s[0].upper() + s[1:] + rng.choice([".", ".", ".", "?", ","]).replace(",", ".")

    out = []
    for i in range(n):
        who = list(dict.fromkeys(rng.choices(people, cum_weights=p_cum, k=rng.choice([2, 2, 3]))))
        tags = sorted(set(rng.choices(TAGS, cum_weights=t_cum, k=rng.randint(1, 3))))
        outlet = rng.choices(OUTLETS, cum_weights=o_cum)[0]
        surnames_here = [p.split()[-1] for p in who] + who
        paragraphs, words = [], 0
        while words < 400:
            para = " ".join(sentence(surnames_here) for _ in range(rng.randint(2, 4)))
            words += len(para.split())
            paragraphs.append(Line(para, len(paragraphs) + 1))
        comments = [Line(sentence(surnames_here), 100 + k) for k in range(rng.randint(1, 4))] \
            if rng.random() < 0.2 else []
        title = sentence(surnames_here)[:-1]
        day = 16_436 + rng.randrange(3650)                  # 2015-01-01 + up to ten years
        import datetime as dt
        date = (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()
        out.append(Record(
            id=f"{i:05d}_{rng.getrandbits(32):08x}", path=f"corpus/articles/{i:05d}.txt",
            title=Field(title, "synthetic"), date=Field(date, "synthetic"), source=Field(outlet, "synthetic"),
            url=Field(None), language=Field("en"),
            people=[PersonRef(p, "synthetic", "", [p, p.split()[-1]]) for p in who],
            tags=Field(tags, "synthetic"), paragraphs=paragraphs, comments=comments))
    return out


def docs(recs: list[Record]) -> list[search.SearchDoc]:
    return search.docs_from_records(recs, lambda path: path[:-3] + ".html")


def queries(recs: list[Record], k: int = 20, seed: int = 1) -> list[str]:
    """k queries: single words from the middle of the frequency range, surnames, and pairs."""
    rng = random.Random(seed)
    df: collections.Counter = collections.Counter()
    for d in docs(recs[:2000]):
        df.update({t for _, text in d.segments() for t in search.tokens(text)})
    mid = sorted(t for t, c in df.items() if 20 <= c <= 400 and len(t) >= 4 and t.isalpha())
    names = sorted({p.name.split()[-1].lower() for r in recs[:500] for p in r.people})
    out = []
    for i in range(k):
        kind = i % 4
        if kind in (0, 1):
            out.append(rng.choice(mid))
        elif kind == 2:
            out.append(rng.choice(names))
        else:
            out.append(f"{rng.choice(mid)} {rng.choice(mid)}")
    return out


class Reference:
    """Plain BM25 over the same tokens and field weights, written from the definition: no shards,
    no encodings, nothing shared with the index but the tokeniser and the weights."""

    def __init__(self, all_docs: list[search.SearchDoc]):
        self.ids = [d.id for d in all_docs]
        self.tfs, self.lengths = [], []
        for d in all_docs:
            tf: collections.Counter = collections.Counter()
            length = 0
            for name, text in d.segments():
                toks = search.tokens(text)
                length += search.WEIGHTS[name] * len(toks)
                for t in toks:
                    tf[t] += search.WEIGHTS[name]
            self.tfs.append(tf)
            self.lengths.append(length / 2)
        self.avgdl = sum(self.lengths) / len(self.lengths)

    def rank(self, query: str) -> list[tuple[float, str]]:
        """[(score, article id)] of every article holding a word of ``query``, best first."""
        words = list(dict.fromkeys(search.tokens(query)))
        n = len(self.ids)
        df = {w: sum(1 for tf in self.tfs if tf[w]) for w in words}
        out = []
        for i, tf, dl in zip(self.ids, self.tfs, self.lengths):
            s = sum(search.bm25(tf[w] / 2, df[w], n, dl, self.avgdl) for w in words if tf[w])
            if s > 0:
                out.append((s, i))
        out.sort(key=lambda x: -x[0])
        return out


def reference(all_docs: list[search.SearchDoc], query: str) -> list[tuple[float, str]]:
    return Reference(all_docs).rank(query)


def agrees(ref: list[tuple[float, str]], got: list[str], k: int = 10) -> float:
    """Share of the reference's top k (ties at the cut count as either) that ``got[:k]`` holds."""
    if not ref:
        return 1.0 if not got else 0.0
    cut = ref[min(k, len(ref)) - 1][0]
    allowed = {i for s, i in ref if s >= cut - 1e-9 * max(1.0, abs(cut))}
    wanted = min(k, len(ref))
    return sum(1 for i in got[:k] if i in allowed) / wanted


