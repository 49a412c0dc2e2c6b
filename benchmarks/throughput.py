"""Pipeline throughput against spaCy's own NER-only ``nlp.pipe`` on the same texts.

    python benchmarks/throughput.py [--copies 5] [--repeat 5]
    python benchmarks/throughput.py --only pipeline   # one side, for timing whole processes
    python benchmarks/throughput.py --corpus DIR      # real articles instead (e.g. short wire stories)

Corpus: the labelled set (tests/labelled) copied ``--copies`` times under distinct names, or
the article files of ``--corpus DIR`` (e.g. Reuters-21578 wire stories of about 120-190 words,
laid out by ``benchmarks/corpora.py reuters``: short articles show per-article costs).
Baseline: ``nlp.pipe`` over each article's text as read (front matter split off, HTML
main text extracted), the same pipeline object the archive uses. Pipeline: read, clean,
NER, extract and corpus-wide person resolution for every file (``pipeline.process``).
Prints the median seconds of ``--repeat`` runs of each, articles per second, and the
ratio pipeline / baseline (the target is at most 1.2).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.stages.ner import load_nlp  # noqa: E402
from builder.core.cache import Cache  # noqa: E402
from builder.stages.executor import InProcess  # noqa: E402
from builder.pipeline import Project, discover, process  # noqa: E402

# like for like with nlp.pipe: one process, every article extracted (no cache)
UNCACHED = {"cache": Cache(None), "executor": InProcess()}
from builder.stages.read import read_file  # noqa: E402
from builder.core.registry import load_registry  # noqa: E402


def copy_corpus(folder: Path) -> Project:
    root = Path(tempfile.mkdtemp(prefix="archive-throughput-"))
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".txt", ".md", ".html")):
        dest = root / "corpus" / "articles" / path.relative_to(folder)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
    return Project(root)


def make_corpus(copies: int) -> Project:
    root = Path(tempfile.mkdtemp(prefix="archive-throughput-"))
    src = ROOT / "tests" / "labelled" / "corpus"
    shutil.copytree(src, root / "corpus", ignore=shutil.ignore_patterns("articles"))
    for i in range(copies):
        for path in sorted((src / "articles").iterdir()):
            dest = root / "corpus" / "articles" / f"{path.stem}-{i}{path.suffix}"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
    return Project(root)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cpu", action="store_true",
                        help="time CPU seconds of this process instead of wall time (steadier on a shared machine)")
    parser.add_argument("--only", choices=["baseline", "pipeline"],
                        help="run one side once (to time whole processes against each other)")
    parser.add_argument("--corpus", type=Path, help="a folder of article files to use instead of the labelled set")
    args = parser.parse_args()
    project = copy_corpus(args.corpus) if args.corpus else make_corpus(args.copies)
    try:
        paths, _ = discover(project)
        registry = load_registry(project.corpus, project.root)
        nlp = load_nlp()
        texts = ["\n\n".join(p.text for p in read_file(path).body) for path in paths]
        if args.only == "baseline":
            for _doc in nlp.pipe(texts):
                pass
            return 0
        if args.only == "pipeline":
            process(paths, registry, project, **UNCACHED)
            return 0
        # warm up both paths once (model weights, regex caches)
        list(nlp.pipe(texts[:20]))
        process(paths[:20], registry, project, **UNCACHED)
        clock = time.process_time if args.cpu else time.perf_counter
        base, full = [], []
        for _ in range(args.repeat):
            t = clock()
            for _doc in nlp.pipe(texts):
                pass
            base.append(clock() - t)
            t = clock()
            result = process(paths, registry, project, **UNCACHED)
            full.append(clock() - t)
        assert len(result.records) == len(paths), "every article should build"
        b, f = statistics.median(base), statistics.median(full)
        words = sum(len(t.split()) for t in texts)
        print(f"articles: {len(paths)} ({words} words), runs: {args.repeat} each, medians:")
        print(f"spaCy nlp.pipe NER only : {b:6.2f} s  {len(paths) / b:6.1f} articles/s")
        print(f"archive pipeline        : {f:6.2f} s  {len(paths) / f:6.1f} articles/s")
        print(f"ratio pipeline/nlp.pipe : {f / b:.2f} (per-run ratios: "
              + ", ".join(f"{x / y:.2f}" for x, y in zip(full, base)) + ")")
    finally:
        shutil.rmtree(project.root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
