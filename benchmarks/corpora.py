"""Lay out the public corpora of the people benchmarks as archives (sectioned folders of .txt).

    python benchmarks/corpora.py bbc      SNAPSHOT/bbc             OUT/bbc
    python benchmarks/corpora.py bbc2020  SNAPSHOT/masakhane-news  OUT/bbc-sectioned  --with OUT/bbc
    python benchmarks/corpora.py reuters  SNAPSHOT/reuters         OUT/reuters-000    --files reut2-000.sgm
    python benchmarks/corpora.py wikinews SNAPSHOT/toscaData/data  OUT/wikinews
    python benchmarks/corpora.py conll    SNAPSHOT/conll2003       OUT/conll
    python benchmarks/corpora.py allsides SNAPSHOT/Article-Bias-Prediction/data/jsons OUT/allsides --sample 1500
    python benchmarks/corpora.py fnc      SNAPSHOT/fnc-1           OUT/fnc1           --sample 1500

The corpora's text is under their owners' terms (the BBC's copyright for research use; Reuters-21578
free for research; English Wikinews CC BY 2.5) and is never committed: only the labels of names
(``benchmarks/data/``) are. SNAPSHOT is a checkout of the public repository that holds each one:
the BBC News dataset of Greene and Cunningham (2006) as ``bbc/<section>/NNN.txt``; the English part
of MasakhaNEWS (``data/eng/{dev,test}.tsv``, BBC articles of about 2020-22); Reuters-21578's
``reut2-NNN.sgm``; the R package toscaData's ``economy.rda`` and ``politics.rda`` (English
Wikinews, read with the ``rdata`` package, a benchmark-only dependency); CoNLL-2003 English
(``eng.train``, ``eng.testa``, ``eng.testb``: Reuters RCV1 stories of August-December 1996, one
token a line with its part of speech, chunk and named-entity tag; research use), whose documents
are detokenized back into plain text, one paragraph a sentence, the first (the headline, often in
capitals) first, in sections ``train``, ``testa`` and ``testb``. Its human-annotated names give
the gold labels of ``people_conll.py``. AllSides (Baly et al., EMNLP 2020; ramybaly/Article-Bias-Prediction,
Apache 2.0): 37,554 US political articles of 2012-20 from 73 outlets as newspaper3k extracted them
(``content_original``), a fixed random sample (``--sample``, seed 0), the title first, in sections
by the dataset's topic. FNC-1 (FakeNewsChallenge/fnc-1, the Fake News Challenge's stance data of
2017; the repository states no licence, the articles are their outlets' copyright, used here for
research only): ``train_bodies.csv`` and ``competition_test_bodies.csv`` (columns ``Body ID``,
``articleBody``), 2,587 bodies of English web news of 2014-15 from many outlets and blogs (the
stories around the rumours the Emergent project tracked; the rows name no outlet), without titles
(the dataset's headlines are claims paired with other bodies), one paragraph a line, a fixed
random sample (``--sample``, seed 0) in sections ``train`` and ``test``.

Every corpus keeps articles of 80 words or more and drops exact duplicates; the order is fixed, so
the same snapshot gives the same archive.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import re
import sys
from pathlib import Path

MIN_WORDS = 80
MASAKHANE_SECTIONS = {"business": "business", "entertainment": "entertainment", "politics": "politics",
                      "sports": "sport", "technology": "tech"}


def _write(out: Path, section: str, name: str, text: str, seen: set[str]) -> bool:
    """One article file, unless it is short or a duplicate."""
    body = text.strip()
    digest = hashlib.sha256(" ".join(body.split()).encode()).hexdigest()
    if len(body.split()) < MIN_WORDS or digest in seen:
        return False
    seen.add(digest)
    folder = out / section
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(body + "\n", encoding="utf-8")
    return True


def bbc(src: Path, out: Path, seen: set[str]) -> int:
    """Greene and Cunningham's folders, as they are (the first line is the headline)."""
    n = 0
    for section in sorted(p for p in src.iterdir() if p.is_dir()):
        for f in sorted(section.glob("*.txt")):
            text = f.read_bytes().decode("utf-8", errors="replace")
            n += _write(out, section.name, f.stem, text, seen)
    return n


def bbc2020(src: Path, out: Path, seen: set[str], per_section: int = 1000) -> int:
    """MasakhaNEWS' English BBC articles (dev and test files), headline first, added to a section
    until it holds ``per_section`` articles."""
    csv.field_size_limit(1 << 30)
    n = 0
    for split in ("dev", "test"):
        with open(src / "data" / "eng" / f"{split}.tsv", encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh, delimiter="\t")):
                section = MASAKHANE_SECTIONS.get(row["category"])
                if section is None or len(list((out / section).glob("*.txt"))) >= per_section:
                    continue
                text = row["headline"].strip() + "\n\n" + "\n\n".join(
                    p.strip() for p in row["text"].splitlines() if p.strip())
                n += _write(out, section, f"m{split}{i:05d}", text, seen)
    return n


_REUTERS = re.compile(r"<REUTERS\b[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)


def _tag(block: str, name: str) -> str:
    m = re.search(rf"<{name}>(.*?)</{name}>", block, re.S)
    return html.unescape(m.group(1)).strip() if m else ""


def reuters(src: Path, out: Path, seen: set[str], files: list[str]) -> int:
    """Reuters-21578 stories: headline, then the body's paragraphs (the wire's indented lines)."""
    n = 0
    for name in files:
        raw = (src / name).read_bytes().decode("latin-1")
        for newid, block in _REUTERS.findall(raw):
            body = _tag(block, "BODY").replace("\x03", "").replace("Reuter\n", "").strip()
            body = re.sub(r"\n\s{2,}", "\n\n", body)
            body = re.sub(r"(?<!\n)\n(?!\n)", " ", body)
            text = _tag(block, "TITLE").title() + "\n\n" + body
            n += _write(out, "wire", f"r{int(newid):05d}", text, seen)
    return n


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def wikinews(src: Path, out: Path, seen: set[str]) -> int:
    """toscaData's Wikinews exports: the wiki text flattened to one line, split again into
    paragraphs of three sentences."""
    import rdata     # benchmark-only dependency: pip install rdata

    n = 0
    for section in ("economy", "politics"):
        data = rdata.read_rda(str(src / f"{section}.rda"))[section]
        meta = data["meta"]
        titles = dict(zip(meta["id"], meta["title"]))
        for key in sorted(data["text"], key=lambda k: int(str(k)[2:])):
            lines = [str(x) for x in data["text"][key]]
            flat = re.sub(r"<[^>]+>", " ", " ".join(lines))
            sentences = _SENTENCE_END.split(" ".join(flat.split()))
            paras = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
            title = re.sub(r"<[^>]+>", "", str(titles.get(key, ""))).strip()
            n += _write(out, section, str(key), title + "\n\n" + "\n\n".join(paras), seen)
    return n


CONLL_SPLITS = ("train", "testa", "testb")
_NO_SPACE_BEFORE = {",", ".", ";", ":", ")", "]", "%", "?", "!", "'", "...", "n't", "'s", "'S", "'re", "'m",
                    "'ve", "'ll", "'d"}
_NO_SPACE_AFTER = {"(", "[", "$"}


def conll_documents(lines) -> list[list[list[tuple[str, str]]]]:
    """CoNLL-2003 lines as documents of sentences of (token, NER tag); ``-DOCSTART-`` starts a
    document, a blank line ends a sentence."""
    docs: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in [*lines, ""]:
        parts = line.split()
        if parts[:1] == ["-DOCSTART-"]:
            docs.append([])
        elif parts:
            sentence.append((parts[0], parts[-1]))
        elif sentence:
            if not docs:
                docs.append([])
            docs[-1].append(sentence)
            sentence = []
    return docs


def detokenize(tokens: list[str]) -> str:
    """One sentence's tokens as written English: no space before closing punctuation and clitics,
    none after an opening bracket, a sentence's last full stop dropped after an abbreviation's
    ("U.S."). A double quote closes when one is open, after a sentence's punctuation or at the end
    (a quotation can run over several of CoNLL's sentences); otherwise it opens."""
    out = ""
    quote_open = False
    for i, tok in enumerate(tokens):
        if tok == "." and out.endswith("."):
            continue
        if tok == '"':
            closing = quote_open or i == len(tokens) - 1 or i > 0 and tokens[i - 1] in {",", ".", "?", "!", "..."}
            out += '"' if closing or not out or out[-1] in "($[" else ' "'
            quote_open = not closing
            continue
        glue = not out or tok in _NO_SPACE_BEFORE or out[-1] in "($[" or (out.endswith('"') and quote_open)
        out += tok if glue else " " + tok
    return out


def conll_text(sentences: list[list[tuple[str, str]]]) -> str:
    """A document's text: each sentence detokenized, one a paragraph."""
    return "\n\n".join(detokenize([tok for tok, _ in s]) for s in sentences)


def conll(src: Path, out: Path, seen: set[str]) -> int:
    """CoNLL-2003 English: every document of the three files an article, ``dNNNN`` in its file's
    order (the index counts every document, kept or not, so a name points at its annotation)."""
    n = 0
    for split in CONLL_SPLITS:
        lines = (src / f"eng.{split}").read_text(encoding="utf-8").splitlines()
        for i, doc in enumerate(conll_documents(lines)):
            n += _write(out, split, f"d{i:04d}", conll_text(doc), seen)
    return n


def allsides(src: Path, out: Path, seen: set[str], sample: int) -> int:
    """A random sample (seed 0) of the AllSides articles: title, then the text as extracted."""
    import json
    import random

    files = sorted(src.glob("*.json"))
    n = 0
    for f in random.Random(0).sample(files, min(sample, len(files))):
        d = json.loads(f.read_text(encoding="utf-8"))
        section = re.sub(r"[^a-z0-9]+", "-", (d.get("topic") or "other").casefold()).strip("-") or "other"
        n += _write(out, section, d["ID"], f"{d.get('title', '').strip()}\n\n{d.get('content_original', '')}", seen)
    return n


FNC_FILES = {"train": "train_bodies.csv", "test": "competition_test_bodies.csv"}


def fnc(src: Path, out: Path, seen: set[str], sample: int) -> int:
    """FNC-1's article bodies in a fixed random order (seed 0), written until ``sample`` are kept
    (short and duplicate bodies skipped); each non-blank line a paragraph."""
    import random

    csv.field_size_limit(1 << 30)
    bodies = []
    for section, name in FNC_FILES.items():
        with open(src / name, encoding="utf-8", newline="") as fh:
            bodies += [(section, int(row["Body ID"]), row["articleBody"]) for row in csv.DictReader(fh)]
    random.Random(0).shuffle(bodies)
    n = 0
    for section, body_id, body in bodies:
        if n >= sample:
            break
        text = "\n\n".join(line.strip() for line in body.splitlines() if line.strip())
        n += _write(out, section, f"b{body_id:04d}", text, seen)
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=("bbc", "bbc2020", "reuters", "wikinews", "conll", "allsides", "fnc"))
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--with", dest="base", type=Path, help="bbc2020: start from this bbc layout (copied)")
    ap.add_argument("--files", nargs="*", default=["reut2-000.sgm"], help="reuters: the .sgm files")
    ap.add_argument("--sample", type=int, default=1500, help="allsides, fnc: how many articles")
    args = ap.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"{args.out}: not empty", file=sys.stderr)
        return 2
    seen: set[str] = set()
    if args.kind == "bbc":
        n = bbc(args.src, args.out, seen)
    elif args.kind == "bbc2020":
        n = bbc(args.base, args.out, seen) if args.base else 0
        n += bbc2020(args.src, args.out, seen)
    elif args.kind == "reuters":
        n = reuters(args.src, args.out, seen, args.files)
    elif args.kind == "conll":
        n = conll(args.src, args.out, seen)
    elif args.kind == "allsides":
        n = allsides(args.src, args.out, seen, args.sample)
    elif args.kind == "fnc":
        n = fnc(args.src, args.out, seen, args.sample)
    else:
        n = wikinews(args.src, args.out, seen)
    print(f"{n} articles in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
