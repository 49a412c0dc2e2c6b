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
import os
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
            out.append(rng.choice(names or mid))                # wire stories name no people
        else:
            out.append(f"{rng.choice(mid)} {rng.choice(mid)}")
    return out


class Reference:
    """Plain BM25 over the same tokens and field weights, with the title bonus, written from the
    definition: no shards, no encodings, nothing shared with the index but the tokeniser, the
    weights and the formula."""

    def __init__(self, all_docs: list[search.SearchDoc]):
        self.ids = [d.id for d in all_docs]
        self.titles = [set(search.tokens(d.title)) for d in all_docs]
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
        for i, tf, dl, title in zip(self.ids, self.tfs, self.lengths, self.titles):
            s = sum(search.bm25(tf[w] / 2, df[w], n, dl, self.avgdl, w in title) for w in words if tf[w])
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




# ---------------------------------------------------------------------------------------
# wire copy: short articles with ALL-CAPS titles, from real Reuters-21578 text
# ---------------------------------------------------------------------------------------

# folders of real wire stories, one .txt each with its title on the first line: Reuters-21578 laid
# out by `python benchmarks/corpora.py reuters SNAPSHOT OUT --files reut2-000.sgm` (OUT/wire);
# given with --wire or in WIRE_STORIES (folders separated by the path separator)
WIRE_FOLDERS = [Path(p) for p in os.environ.get("WIRE_STORIES", "").split(os.pathsep) if p]
# one article whose title holds a word that many bodies hold too: the title hit must rank first
PLANTED_TITLE = "VIETNAM'S ARMY ORDERED TO GROW MORE FOOD"
PLANTED_WORD = "ordered"
PLANTED_BODY = [
    "Vietnam's army will grow more of its own food this year to ease the burden on farmers and on the "
    "state budget, the army newspaper Quan Doi Nhan Dan said.",
    "Units in the central highlands and the Mekong delta will plant rice, maize and cassava on land the "
    "defence ministry set aside for them, and raise pigs, poultry and fish, the paper said. Each soldier "
    "should produce enough vegetables for his own needs by the end of the year.",
    "The paper said army farms had produced about 150,000 tonnes of food last year, less than a third of "
    "what the forces eat, and that the rest had to be bought from farmers at state prices or imported.",
    "Vietnam has some 1.2 million men under arms, one of the largest armies in the world, and food "
    "shortages have been reported in several northern provinces since last autumn's typhoons. Reuter"]


def _wire_articles(folders: list[Path]) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of the real wire stories: the first line of each file is its title."""
    out = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.txt")):
            lines = [x.strip() for x in path.read_text(encoding="utf-8", errors="replace").splitlines()]
            lines = [x for x in lines if x]
            if len(lines) >= 2:
                out.append((lines[0], lines[1:]))
    return out


def wire_records(n: int, folders: list[Path] | None = None, seed: int = 5) -> list[Record]:
    """``n`` short wire stories (about 120 words, ALL-CAPS titles) from the real ones: the real
    stories first, then new ones of as many paragraphs as a real one, drawn from all of them, under
    two real titles' halves.
    No title but the planted one (``PLANTED_TITLE``, in the middle of the archive) holds
    ``PLANTED_WORD``, which many bodies hold."""
    import datetime as dt

    rng = random.Random(seed)
    real = _wire_articles(folders or WIRE_FOLDERS)
    if not real:
        raise SystemExit(f"no wire stories in {folders or WIRE_FOLDERS}: give their folders with --wire "
                         "(see benchmarks/corpora.py reuters)")
    titles = [t.split() for t, _ in real if PLANTED_WORD not in search.tokens(t)]
    paragraphs = [p for _, ps in real for p in ps]
    out = []
    for i in range(n):
        if i == n // 2:
            title, body = PLANTED_TITLE, PLANTED_BODY
        elif i < len(real) and PLANTED_WORD not in search.tokens(real[i][0]):
            title, body = real[i][0].upper(), real[i][1]
        else:
            a, b = rng.choice(titles), rng.choice(titles)
            title = " ".join(a[:max(1, len(a) // 2)] + b[len(b) // 2:]).upper()
            body = [rng.choice(paragraphs) for _ in rng.choice(real)[1]]    # a real story's length
        date = (dt.date(1987, 2, 26) + dt.timedelta(days=rng.randrange(235))).isoformat()
        out.append(Record(
            id=f"w{i:05d}", path=f"corpus/articles/w{i:05d}.txt", title=Field(title, "synthetic"),
            date=Field(date, "synthetic"), source=Field("Reuters", "synthetic"), url=Field(None),
            language=Field("en"), people=[], tags=Field([], "synthetic"),
            paragraphs=[Line(p, k + 1) for k, p in enumerate(body)], comments=[]))
    return out


def title_words(recs: list[Record], k: int, seed: int = 4) -> list[tuple[str, list[str]]]:
    """k (word, article ids) pairs: words of 5+ letters that one to five titles hold and at least 20
    bodies hold, each with those titles' articles; ``PLANTED_WORD`` and its article first when the
    archive holds ``PLANTED_TITLE``. A search must show one of those articles for the word."""
    rng = random.Random(seed)
    in_title: dict[str, list[str]] = collections.defaultdict(list)
    in_body: collections.Counter = collections.Counter()
    for r in recs:
        for t in set(search.tokens(str(r.title.value))):
            in_title[t].append(r.id)
        in_body.update({t for p in r.paragraphs for t in search.tokens(p.text)})
    planted = [(PLANTED_WORD, [r.id]) for r in recs if r.title.value == PLANTED_TITLE]
    pool = sorted(t for t, ids in in_title.items()
                  if len(ids) <= 5 and in_body[t] >= 20 and len(t) >= 5 and t.isalpha() and t != PLANTED_WORD)
    return planted + [(t, in_title[t]) for t in rng.sample(pool, min(k - len(planted), len(pool)))]
