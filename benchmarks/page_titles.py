"""Titles of saved web pages: exact matches against hand-labelled headlines.

    python benchmarks/page_titles.py PAGES [--labels benchmarks/data/page_titles.tsv] [--errors]

PAGES is a folder of saved pages named ``<page>.html`` (or ``.html.gz``), e.g. the ``html/``
folder of Scrapinghub's article-extraction-benchmark (MIT licence), which this benchmark's labels
key by file name. Each page goes through the real read and clean stages and ``infer_title``.
A title is right when it equals the label after whitespace, quotation marks and dashes are
normalised (' for ‘’, " for “”, - for – and —): typography is not what a reader checks.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.stages.clean import clean  # noqa: E402
from builder.stages.extract import infer_title  # noqa: E402
from builder.stages.read import ReadError, read_file  # noqa: E402
from builder.core.registry import load_registry  # noqa: E402

_TYPO = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").translate(_TYPO)).strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pages", type=Path)
    ap.add_argument("--labels", type=Path, default=ROOT / "benchmarks" / "data" / "page_titles.tsv")
    ap.add_argument("--errors", action="store_true", help="print every miss")
    args = ap.parse_args(argv)
    labels = [line.split("\t") for line in args.labels.read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    with tempfile.TemporaryDirectory() as tmp:
        registry = load_registry(Path(tmp))
        right = meta_right = 0
        for page, outlet, headline in labels:
            path = args.pages / f"{page}.html"
            if not path.exists():
                gz = args.pages / f"{page}.html.gz"
                path = Path(tmp) / f"{page}.html"
                path.write_bytes(gzip.decompress(gz.read_bytes()))
            try:
                doc = read_file(path, path.name)
            except ReadError as exc:        # the build reports such a page as an error: a miss here
                if args.errors:
                    print(f"{outlet}: {exc.message.text}")
                continue
            cleaned = clean(doc, registry)
            site = [doc.html_meta["sitename"]] if doc.html_meta.get("sitename") else []
            got = infer_title(doc, cleaned, site).value
            ok = norm(got) == norm(headline)
            right += ok
            meta_right += norm(doc.html_meta.get("title")) == norm(headline)
            if args.errors and not ok:
                print(f"{outlet}: got {got!r}\n{' ' * len(outlet)}  want {headline!r}")
    n = len(labels)
    print(f"pages: {n}; outlets: {len({o for _, o, _ in labels})}")
    print(f"title exact: {right / n:.3f} ({right}/{n}); trafilatura's own title: {meta_right / n:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
