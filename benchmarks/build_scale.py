"""How ``archive build`` scales: N synthetic news articles, the pipeline and MkDocs timed apart.

    python benchmarks/build_scale.py                      # 1000 articles
    python benchmarks/build_scale.py --articles 200
    python benchmarks/build_scale.py --articles 1000 --keep /tmp/big-archive

Generates N short, varied news articles (people from the registry under several spellings
and people it does not know, places, outlets by their site furniture or front matter,
dates written in several ways or missing; .txt, .md with front matter and .html) into a
new archive in a temporary folder with this repository's registries, then runs the same
build as ``archive build`` and prints:

* the pipeline part (read, clean, extract, render, writing the pages: the ``archive``
  plugin's ``on_pre_build``) and the MkDocs part (everything else) separately, with
  MkDocs broken down into its own phases, so a part that grows faster than N shows;
* pages built, articles per second, peak memory (resource.getrusage).
"""

from __future__ import annotations

import argparse
import collections
import functools
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# ---------------------------------------------------------------------------------------
# synthetic articles
# ---------------------------------------------------------------------------------------

# (how the article first names them, how it names them after), registry people under their aliases
KNOWN = [
    ("NATO Secretary General Jens Stoltenberg", "Stoltenberg"),
    ("Ukrainian President Volodymyr Zelensky", "Zelensky"),
    ("Ukrainian President Volodymyr Zelenskyy", "Zelenskyy"),
    ("President Volodymyr Zelenskiy", "Zelenskiy"),
    ("Foreign Minister Dmytro Kuleba", "Kuleba"),
    ("Russian Foreign Minister Sergey Lavrov", "Lavrov"),
    ("Russian Foreign Minister Sergei Lavrov", "Lavrov"),
    ("Secretary of State Antony Blinken", "Blinken"),
    ("President Joe Biden", "Biden"),
    ("Russian President Vladimir Putin", "Putin"),
    ("presidential adviser Mykhailo Podolyak", "Podolyak"),
]
OTHERS = [
    ("German Chancellor Olaf Scholz", "Scholz"), ("French President Emmanuel Macron", "Macron"),
    ("British Prime Minister Rishi Sunak", "Sunak"), ("Estonian Prime Minister Kaja Kallas", "Kallas"),
    ("Polish President Andrzej Duda", "Duda"), ("Defence Minister Oleksii Reznikov", "Reznikov"),
    ("Kremlin spokesman Dmitry Peskov", "Peskov"), ("Dutch Prime Minister Mark Rutte", "Rutte"),
    ("German Foreign Minister Annalena Baerbock", "Baerbock"), ("EU foreign policy chief Josep Borrell", "Borrell"),
    ("Lithuanian President Gitanas Nauseda", "Nauseda"), ("General Valerii Zaluzhnyi", "Zaluzhnyi"),
    ("IAEA chief Rafael Grossi", "Grossi"), ("Turkish President Recep Tayyip Erdogan", "Erdogan"),
    ("Finnish President Sauli Niinisto", "Niinisto"), ("Hungarian Prime Minister Viktor Orban", "Orban"),
]
PLACES = ["Kyiv", "Kharkiv", "Odesa", "Kherson", "Mykolaiv", "Dnipro", "Lviv", "Zaporizhzhia", "Bakhmut",
          "Brussels", "Warsaw", "Vilnius", "Madrid", "Berlin", "Paris", "Moscow", "Ankara", "Geneva"]
TOPICS = [
    ("a no-fly zone over Ukraine", "the no-fly zone"), ("more air defence systems", "air defence"),
    ("heavy weapons for the front line", "weapons deliveries"), ("new sanctions on Russian oil", "sanctions"),
    ("the safety of the Zaporizhzhia nuclear power plant", "the nuclear plant"),
    ("grain shipments from Black Sea ports", "the grain corridor"), ("talks on a ceasefire", "negotiations"),
    ("Sweden and Finland joining NATO", "enlargement"), ("tanks for Ukraine's army", "the tanks"),
]
HEADLINES = ["{who} says {topic} must wait", "{who} rules out {topic} after {place} talks",
             "Allies split over {topic} as {who} visits {place}", "{who}: no decision yet on {topic}",
             "Strikes on {place} renew calls for {topic}", "What {who} said in {place} about {topic}"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
VERBS = ["said", "told reporters", "warned", "insisted", "argued", "told a news conference", "wrote on Twitter"]
QUOTES = [
    "We will not be drawn into this war, but we will defend every inch of allied territory",
    "Every day of delay costs lives in our cities",
    "The decision is painful, but it is the only responsible one",
    "We need deeds, not words, and we need them now",
    "There is no military solution that does not end in a wider conflict",
    "The West is playing with fire",
    "Our partners understand that this is a fight for the whole of Europe",
    "Nobody wants an escalation, and nobody should provoke one",
]
SENTENCES = [
    "{first} {verb} on {weekday} that {topic} remained on the table after a meeting in {place}.",
    "\"{quote},\" {first} {verb} in {place} on {weekday}.",
    "{first} met officials in {place} to discuss {topic}, according to people familiar with the talks.",
    "Speaking in {place}, {first} {verb} that {topic} could not wait until the winter.",
    "{later} later added that the alliance would meet again within {n} days to review {short}.",
    "\"{quote},\" {later} {verb}.",
    "Officials in {place} said {n} people had been killed in overnight strikes, and {n2} more were wounded.",
    "The talks on {short} ended without agreement, {later} {verb}, but a new round is planned in {place}.",
    "{later} has repeatedly called for {topic} since the invasion began on February 24.",
    "Air raid sirens sounded across {place} for {n} hours on {weekday}, local authorities said.",
    "{later}'s office did not respond to a request for comment on {short}.",
    "Analysts in {place} said the debate over {short} showed how divided the allies remained.",
]
# (how the source is shown: signature line, boilerplate lines or front matter)
SOURCES = [
    ("furniture", "Fox News", ["NEWYou can now listen to Fox News articles!"], ["CLICK HERE TO GET THE FOX NEWS APP"]),
    ("furniture", "Newsweek", [], ["© Newsweek 2022"]),
    ("furniture", "Sputnik", [], ["Read more at sputnikglobe.com"]),
    ("front", "Kyiv Independent", [], []), ("front", "Baltic Ledger", [], []), ("front", "Reuters", [], []),
    ("none", None, [], []),
]


def _date(rng: random.Random) -> tuple[int, int, int]:
    year = rng.choice([2022, 2022, 2022, 2023])
    month = rng.randint(3, 12) if year == 2022 else rng.randint(1, 6)
    return year, month, rng.randint(1, 28)


def _paragraphs(rng: random.Random, people: list[tuple[str, str]]) -> list[str]:
    topic, short = rng.choice(TOPICS)
    out, used = [], set()
    for _ in range(rng.randint(4, 8)):
        first, later = rng.choice(people)
        sentences = []
        for _ in range(rng.randint(1, 3)):
            template = rng.choice(SENTENCES)
            sentences.append(template.format(
                first=first if first not in used else later, later=later if first in used else first,
                verb=rng.choice(VERBS), weekday=rng.choice(WEEKDAYS), place=rng.choice(PLACES),
                topic=topic, short=short, quote=rng.choice(QUOTES), n=rng.randint(2, 40), n2=rng.randint(2, 90)))
            used.add(first)
        out.append(" ".join(sentences))
    return out


def make_article(i: int, rng: random.Random) -> tuple[str, str]:
    """-> (file name, contents) of one synthetic article."""
    people = rng.sample(KNOWN, rng.randint(1, 3)) + rng.sample(OTHERS, rng.randint(0, 2))
    paragraphs = _paragraphs(rng, people)
    year, month, day = _date(rng)
    kind, source, lead, tail = rng.choice(SOURCES)
    headline = rng.choice(HEADLINES).format(who=people[0][1], topic=paragraphs and rng.choice(TOPICS)[1],
                                            place=rng.choice(PLACES))
    style = rng.random()
    if style < 0.2:                                   # Markdown with front matter
        front = ["---", f"title: {headline!r}", f"date: '{year}-{month:02d}-{day:02d}'"]
        if source:
            front.append(f"source: {source}")
        return f"{i:05d}.md", "\n".join(front + ["---", ""] + [p + "\n" for p in paragraphs])
    if style < 0.3:                                   # a saved web page
        body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
        site = f'<meta property="og:site_name" content="{source}">' if source else ""
        return f"{i:05d}.html", (
            f"<!doctype html><html><head><title>{headline}</title>{site}"
            f'<meta property="article:published_time" content="{year}-{month:02d}-{day:02d}T09:00:00Z">'
            f"</head><body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
            f"<article><h1>{headline}</h1>{body}</article><footer>Share this article</footer></body></html>")
    lines: list[str] = list(lead)
    when = rng.random()
    if when < 0.35:
        lines.append(f"Published {MONTHS[month - 1]} {day}, {year}")
    elif when < 0.6:
        paragraphs[0] = f"{rng.choice(PLACES).upper()}, {MONTHS[month - 1]} {day}, {year} — {paragraphs[0]}"
    elif when < 0.8:
        paragraphs.append(f"This article was first published on {day} {MONTHS[month - 1]} {year}.")
    front = f"---\nsource: {source}\n---\n" if kind == "front" else ""
    return f"{i:05d}.txt", front + "\n\n".join(lines + paragraphs + list(tail)) + "\n"


def generate(root: Path, n: int, seed: int, full_nav: bool = False) -> None:
    from builder.scaffold import new_archive

    new_archive(root, site_name="Scale test")
    if full_nav:
        # without a nav: section MkDocs puts every page in the navigation, and Material
        # renders that whole navigation into every page
        yml = root / "mkdocs.yml"
        text = yml.read_text(encoding="utf-8")
        yml.write_text(re.sub(r"(?ms)^nav:\n.*?\n\n", "", text), encoding="utf-8")
        assert "\nnav:" not in yml.read_text(encoding="utf-8")
    for name in ("people.yml", "tags.yml", "sources.yml"):
        shutil.copy2(ROOT / "corpus" / name, root / "corpus" / name)
    rng = random.Random(seed)
    articles = root / "corpus" / "articles"
    for i in range(n):
        name, text = make_article(i, rng)
        (articles / f"{i // 250:02d}").mkdir(exist_ok=True)
        (articles / f"{i // 250:02d}" / name).write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------------------
# timing
# ---------------------------------------------------------------------------------------

ORDER = ["pipeline: read, clean, extract", "pipeline: render", "pipeline: write pages", "mkdocs: collect files",
         "mkdocs: navigation", "mkdocs: Markdown -> HTML (per page)", "mkdocs: templates + search (per page)",
         "mkdocs:   of which search indexing", "mkdocs: search index written", "mkdocs: offline index inlined"]
TIMES: dict[str, float] = collections.defaultdict(float)
CALLS: dict[str, int] = collections.defaultdict(int)


def _timed(label: str, func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            TIMES[label] += time.perf_counter() - t
            CALLS[label] += 1
    return wrapper


def instrument() -> None:
    """Wrap the stages (by module attribute, as the plugin and MkDocs look them up at call time)."""
    import mkdocs.commands.build as mb
    from material.plugins.offline.plugin import OfflinePlugin
    from material.plugins.search.plugin import SearchPlugin

    import builder.pipeline as pipeline
    import builder.render as render
    from builder.mkdocs_plugin import ArchivePlugin

    ArchivePlugin.on_pre_build = _timed("pipeline", ArchivePlugin.on_pre_build)
    pipeline.process_project = _timed("pipeline: read, clean, extract", pipeline.process_project)
    render.render_all = _timed("pipeline: render", render.render_all)
    render.write_pages = _timed("pipeline: write pages", render.write_pages)
    mb.get_files = _timed("mkdocs: collect files", mb.get_files)
    mb.get_navigation = _timed("mkdocs: navigation", mb.get_navigation)
    mb._populate_page = _timed("mkdocs: Markdown -> HTML (per page)", mb._populate_page)
    mb._build_page = _timed("mkdocs: templates + search (per page)", mb._build_page)
    SearchPlugin.on_page_context = _timed("mkdocs:   of which search indexing", SearchPlugin.on_page_context)
    SearchPlugin.on_post_build = _timed("mkdocs: search index written", SearchPlugin.on_post_build)
    OfflinePlugin.on_post_build = _timed("mkdocs: offline index inlined", OfflinePlugin.on_post_build)


def run(n: int, seed: int, keep: Path | None, full_nav: bool = False) -> dict:
    from builder.pipeline import Project
    from builder.publish import build

    tmp = Path(tempfile.mkdtemp(prefix="archive-scale-"))
    root = keep or (tmp / "archive")
    if keep and keep.exists():
        shutil.rmtree(keep)
    try:
        t = time.perf_counter()
        generate(root, n, seed, full_nav)
        generate_s = time.perf_counter() - t
        instrument()
        t = time.perf_counter()
        outcome = build(Project(root))
        total = time.perf_counter() - t
        result = outcome.result                    # the archive plugin's CorpusResult
        html_pages = sum(1 for _ in outcome.site.rglob("*.html"))
        return {
            "articles": n, "generated_s": generate_s, "total_s": total,
            "pipeline_s": TIMES["pipeline"], "mkdocs_s": total - TIMES["pipeline"],
            "published": sum(1 for f in result.files if f.status == "page"),
            "errors": sum(1 for f in result.files if f.status != "page"),
            "dated": sum(1 for r in result.records if r.date.value),
            "with_source": sum(1 for r in result.records if r.source.value),
            "people": len({p for r in result.records for p in r.people_names}),
            "html_pages": html_pages,
            "site_mb": sum(p.stat().st_size for p in outcome.site.rglob("*") if p.is_file()) / 2**20,
            "search_index_mb": (outcome.site / "search" / "search_index.json").stat().st_size / 2**20,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "parts": dict(TIMES), "calls": dict(CALLS),
        }
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", "-n", type=int, default=1000, help="how many articles (default 1000)")
    parser.add_argument("--seed", type=int, default=2022, help="random seed of the generated corpus")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (it is emptied first)")
    parser.add_argument("--full-nav", action="store_true", help="drop mkdocs.yml's short nav: (every page in "
                        "the navigation), to see what the short nav saves")
    args = parser.parse_args(argv)
    import logging

    logging.basicConfig(level=logging.ERROR)
    r = run(args.articles, args.seed, args.keep, args.full_nav)
    print(f"articles generated   {r['articles']} ({r['generated_s']:.1f} s)")
    print(f"published            {r['published']} article pages, {r['errors']} files with errors; "
          f"{r['dated']} dated, {r['with_source']} with a source, {r['people']} people")
    print(f"HTML pages in site   {r['html_pages']}{' (full navigation)' if args.full_nav else ''}; "
          f"site {r['site_mb']:.1f} MB, search index {r['search_index_mb']:.1f} MB")
    print(f"build total          {r['total_s']:7.1f} s   {r['published'] / r['total_s']:6.1f} articles/s")
    print(f"  pipeline           {r['pipeline_s']:7.1f} s   {r['published'] / r['pipeline_s']:6.1f} articles/s")
    print(f"  mkdocs             {r['mkdocs_s']:7.1f} s   {r['published'] / r['mkdocs_s']:6.1f} articles/s")
    for label in ORDER:
        if label in r["parts"]:
            print(f"    {label:40} {r['parts'][label]:7.2f} s  ({r['calls'][label]} calls)")
    print(f"peak memory          {r['peak_mb']:.0f} MB (max RSS of this process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
