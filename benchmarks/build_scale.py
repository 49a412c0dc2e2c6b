"""How ``archive build`` scales, on a corpus with the shape of real news.

    python benchmarks/build_scale.py --articles 1000
    python benchmarks/build_scale.py --articles 1000 --keep /tmp/big   # keep the archive
    python benchmarks/build_scale.py --articles 1000 --profile /tmp/prof  # pyinstrument, MkDocs stage
    python benchmarks/build_scale.py --corpus DIR      # real articles (e.g. short wire stories) instead

Generates N news articles of about 400 words with the shape of a real news archive: two or
three people per article, a few famous ones recurring and a long tail of names seen once;
organisations and places that become tags, again mostly seen once; about four generated
pages per article. Then, in one run, it reports:

* a cold ``archive build`` (no cache): each stage's time and the peak memory after it
  (this process and the worker processes), pages generated, the search index size;
* spaCy's own ``nlp.pipe`` (NER only, one process) over the same texts;
* a stock Material ``mkdocs build`` (plain mkdocs.yml, no ``archive`` plugin, no overrides)
  over the same generated pages, written to a temporary docs folder;
* ``archive build`` as a new process after adding one article, and after editing one: how
  many articles were extracted and how long the whole command took;

and the targets: cold build against 1.3 x (spaCy + stock Material), one article added against
stock Material + 10 s.
"""

from __future__ import annotations

import argparse
import collections
import functools
import json
import os
import random
import re
import resource
import shutil
import subprocess
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



# the long tail: people named in one article only (about 30,000 first-name/surname pairs)
FIRST = """Aleksandra Amelia Anna Antonio Arjun Astrid Aziz Bartosz Beatriz Bogdan Camille Carlos Chiara Chen
Daria Dawit Diego Dmytro Elena Elif Emeka Emil Emma Farid Fatima Felix Freya Gabriel Grace Hana Hannah
Hassan Helga Hiroshi Ibrahim Ilya Ingrid Irina Isabel Ivan Jakub Jamal Jana Javier Jonas Julia Kamal Karin
Katarzyna Kenji Kofi Lara Leila Lena Liam Lina Lucas Luis Maciej Magnus Maria Marta Mateo Mehmet Mikhail
Mira Mohammed Nadia Natalia Nikolai Nina Noah Olena Oliver Omar Oskar Pablo Paolo Petra Pieter Priya Rafael
Rania Rasmus Rosa Ruslan Sara Sebastian Selin Sergio Sofia Stefan Svitlana Tamar Taras Teresa Tomas Ulrich
Valentina Viktor Yara Yusuf Zofia Zuzana Anders Bruno Clara Dario Edith Filip Greta Hugo Ida Jasper""".split()
LAST = """Abramowicz Adeyemi Almeida Andersen Antonelli Arslan Bakker Baranowski Bauer Becker Bergström Bianchi
Bondarenko Borysenko Brandt Castillo Cerny Chowdhury Costa Dabrowski Demir Dimitrov Dubois Dvorak Eriksen
Esposito Farouk Fedorov Ferreira Fischer Fontaine Gallagher Garcia Gashi Giordano Gonzalez Grabowski Gruber
Haddad Hansen Hartmann Hoffmann Horvat Hussain Ivanova Jablonski Jansen Johansson Kaczmarek Kapoor Karimi
Kasprzak Keller Kessler Khalil Kiss Klein Kovacs Kowalczyk Kozak Kravchenko Kruger Kuznetsov Laine Lambert
Larsen Lehmann Lindqvist Lombardi Lopez Lorenz Lukashenko Lund Maier Marchenko Marino Markovic Martens
Melnyk Mendes Meyer Moreau Moretti Nagy Navarro Nielsen Novak Nowak Okafor Olsen Oliveira Ortiz Ozturk
Pavlenko Pedersen Petrenko Petrov Pereira Popescu Quinn Ramos Rasmussen Ricci Rossi Rusu Sandoval Santos
Schmidt Schneider Schulz Shevchenko Silva Sokolov Sorensen Stanek Svoboda Szabo Tkachenko Torres Tymoshenko
Ueda Vargas Varga Vasquez Vogel Volkov Wagner Walczak Weber Wiśniewski Wojcik Yilmaz Zając Zimmermann
Zielinski Zubkov Aalto Barros Carvalho Dahl Engel Falk Graf Haas Iversen Jung Kaiser Lange Mayer Nilsson
Ott Pohl Roth Sauer Thiel Urban Voigt Winter Yamamoto Ziegler Bjork Cruz Duarte Eklund Frey Holm""".split()
ROLES = ["a local councillor", "a resident of {town}", "an analyst at the {org}", "a spokeswoman for the {org}",
         "a spokesman for the {org}", "the head of the {org}", "a researcher at the {org}", "a volunteer in {town}",
         "a shop owner in {town}", "a teacher in {town}", "the mayor of {town}", "a lawyer in {town}"]
# places that become tags: invented towns, and organisations named after them
TOWNS = """Ashbury Brackwell Caldmoor Dunhollow Elmsford Fernhill Glenbrook Harrowgate Ivybridge Jarrow Kelmscott
Larkhill Marlow Northfield Oakhurst Pemberton Quarrydale Ravenscar Stonebridge Thornbury Upton Westmoor Yarrow
Aldmere Birchwood Colbrook Deepdale Eastholm Foxley Greywell Hollins Ironbridge Kirkby Linton Millbrook Newhaven
Ormskirk Pendle Redhill Saltash Tewkes Ulverston Vexford Whitmore Brinkov Dolyna Horodok Kalush Lityn Myrhorod
Nizhyn Orikhiv Pyriatyn Rozdil Sambir Tulchyn Uman Vasylkiv Zhovkva Bilky Cherven Dubno Halych Izium""".split()
ORG_KINDS = ["City Council", "Port Authority", "Water Board", "Chamber of Commerce", "University", "Hospital",
             "Housing Association", "Transport Authority", "Energy Cooperative", "Chamber Orchestra",
             "Football Club", "Institute", "Rowing Club", "Film Festival", "Teachers Union", "Fire Brigade",
             "Museum", "Steelworks", "Trade Fair", "Observatory", "Library", "Savings Bank", "Bus Company",
             "Flood Authority"]
TAIL_SENTENCES = [
    "\"{quote},\" said {person}, {role}.",
    "{person}, {role}, said the {org} had not been consulted about {short}.",
    "According to {person}, {role}, the {org} would publish its findings on {weekday}.",
    "{later} said the {org} had asked for more time to study {short}.",
    "The {org} said in a statement that {short} would be discussed at its next meeting in {town}.",
    "Residents of {town} told the {org} that {short} had been promised for years.",
]


def _date(rng: random.Random) -> tuple[int, int, int]:
    year = rng.choice([2022, 2022, 2022, 2023])
    month = rng.randint(3, 12) if year == 2022 else rng.randint(1, 6)
    return year, month, rng.randint(1, 28)


def _paragraphs(rng: random.Random, famous: list[tuple[str, str]], tail: list[tuple[str, str, str]],
                org: str | None, town: str) -> list[str]:
    topic, short = rng.choice(TOPICS)
    out, used = [], set()
    tail_left = list(tail)
    org_mentions = 0
    for k in range(rng.randint(7, 9)):
        sentences = []
        for _ in range(rng.randint(2, 3)):
            fields = dict(verb=rng.choice(VERBS), weekday=rng.choice(WEEKDAYS), place=rng.choice(PLACES),
                          topic=topic, short=short, quote=rng.choice(QUOTES), n=rng.randint(2, 40),
                          n2=rng.randint(2, 90), town=town, org=org or f"{town} City Council")
            if tail_left and (k >= 2 or rng.random() < 0.3):
                person, role_surname, role = tail_left.pop(0)
                template = rng.choice(TAIL_SENTENCES[:3])
                sentences.append(template.format(person=person, role=role.format(**fields), **fields))
                used.add(role_surname)
                continue
            if org and org_mentions < 2 and k >= 1:
                org_mentions += 1
                template = rng.choice(TAIL_SENTENCES[3:])
                later = rng.choice(famous)[1]
                sentences.append(template.format(later=later, **fields))
                continue
            first, later = rng.choice(famous)
            template = rng.choice(SENTENCES)
            sentences.append(template.format(first=first if first not in used else later,
                                             later=later if first in used else first, **fields))
            used.add(first)
        out.append(" ".join(sentences))
    return out


# Name and place pools grow with the archive, as they do in real news: 2,225 BBC articles name
# 4,968 people and 1,496 tags. With fixed pools the long tail saturates (10,000 articles gave 2.2
# pages an article); surnames are also double-barrelled and towns compounded, so the pools hold
# about 60,000 people and 60,000 organisations per 10,000 articles.
TOWN_ENDINGS = ["", " Vale", " Heath", " Cross", " Green", " Bridge", " Market", " Park", " Ridge", " Wells",
                " Mill", " Fields", " Stoke", " End", " Hill", " Bay", " Marsh", " Forest", " Common", " Down",
                " Magna", " Parva", " Priors", " Bishop's", " Hythe", " Haven", " Lock", " Gate", " Quay",
                " Moor", " Wold", " Carr", " Dene", " Fold", " Knoll", " Lees", " Mead", " Nook", " Rise", " Well"]


def _pools(n: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """Surnames and towns for an archive of n articles (the same for the same n and seed)."""
    surnames = list(LAST)
    want = max(len(LAST), n * 6 // len(FIRST) + 1)
    while len(surnames) < want:
        a, b = rng.sample(LAST, 2)
        surnames.append(f"{a}-{b}")
    towns = [t + e for e in TOWN_ENDINGS for t in TOWNS][:max(len(TOWNS), n * 6 // len(ORG_KINDS) + 1)]
    return surnames, towns


def make_article(i: int, rng: random.Random, pools: tuple[list[str], list[str]] | None = None) -> tuple[str, str]:
    """-> (file name, contents) of one synthetic article."""
    surnames, towns = pools or (LAST, TOWNS)
    famous = rng.sample(KNOWN, 1) + rng.sample(OTHERS, rng.randint(0, 1))
    tail = []
    for _ in range(rng.choice([2, 2, 2, 3, 3])):
        first, last = rng.choice(FIRST), rng.choice(surnames)
        tail.append((f"{first} {last}", last, rng.choice(ROLES)))
    town = rng.choice(towns)
    org = f"{town} {rng.choice(ORG_KINDS)}" if rng.random() < 0.8 else None
    paragraphs = _paragraphs(rng, famous, tail, org, town)
    year, month, day = _date(rng)
    kind, source, lead, tail_lines = rng.choice(SOURCES)
    headline = rng.choice(HEADLINES).format(who=famous[0][1], topic=rng.choice(TOPICS)[1], place=rng.choice(PLACES))
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
    lines: list[str] = list(lead) + [headline]
    when = rng.random()
    if when < 0.35:
        lines.append(f"Published {MONTHS[month - 1]} {day}, {year}")
    elif when < 0.6:
        paragraphs[0] = f"{rng.choice(PLACES).upper()}, {MONTHS[month - 1]} {day}, {year} — {paragraphs[0]}"
    elif when < 0.8:
        paragraphs.append(f"This article was first published on {day} {MONTHS[month - 1]} {year}.")
    front = f"---\nsource: {source}\n---\n" if kind == "front" else ""
    return f"{i:05d}.txt", front + "\n\n".join(lines + paragraphs + list(tail_lines)) + "\n"


def generate(root: Path, n: int, seed: int) -> None:
    from builder.commands.scaffold import new_archive

    new_archive(root, site_name="Scale test")
    for name in ("people.yml", "tags.yml", "sources.yml"):
        shutil.copy2(ROOT / "corpus" / name, root / "corpus" / name)
    rng = random.Random(seed)
    pools = _pools(n, random.Random(seed + 1))
    articles = root / "corpus" / "articles"
    for i in range(n):
        name, text = make_article(i, rng, pools)
        (articles / f"{i // 250:02d}").mkdir(exist_ok=True)
        (articles / f"{i // 250:02d}" / name).write_text(text, encoding="utf-8")


def copy_corpus(root: Path, folder: Path) -> int:
    """A new archive whose articles are the files of ``folder`` (real articles, as collected)."""
    from builder.commands.scaffold import new_archive

    new_archive(root, site_name="Scale test")
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".txt", ".md", ".html"))
    for i, path in enumerate(files):
        dest = root / "corpus" / "articles" / f"{i // 250:02d}" / path.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
    return len(files)


# ---------------------------------------------------------------------------------------
# timing
# ---------------------------------------------------------------------------------------

MKDOCS_PARTS = ["mkdocs: collect files", "mkdocs: navigation", "mkdocs: Markdown -> HTML (per page)",
                "mkdocs: templates + search (per page)", "mkdocs:   of which search indexing",
                "mkdocs: search index written", "mkdocs: offline index inlined"]
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
    """Wrap MkDocs' phases (by module attribute, as MkDocs looks them up at call time)."""
    import mkdocs.commands.build as mb
    from material.plugins.offline.plugin import OfflinePlugin
    from material.plugins.search.plugin import SearchPlugin

    mb.get_files = _timed("mkdocs: collect files", mb.get_files)
    mb.get_navigation = _timed("mkdocs: navigation", mb.get_navigation)
    mb._populate_page = _timed("mkdocs: Markdown -> HTML (per page)", mb._populate_page)
    mb._build_page = _timed("mkdocs: templates + search (per page)", mb._build_page)
    SearchPlugin.on_page_context = _timed("mkdocs:   of which search indexing", SearchPlugin.on_page_context)
    SearchPlugin.on_post_build = _timed("mkdocs: search index written", SearchPlugin.on_post_build)
    OfflinePlugin.on_post_build = _timed("mkdocs: offline index inlined", OfflinePlugin.on_post_build)


WORKER_PEAK = [0.0]
WORKER_CPU: dict[int, float] = {}     # pid -> CPU seconds, last seen


def _descendants() -> list[int]:
    """Process ids of this process's children and their children (the worker pool's forkserver
    starts the workers), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(stat[1])
            except (OSError, IndexError, ValueError):
                continue
    out, frontier = [], [os.getpid()]
    while frontier:
        pid = frontier.pop()
        kids = [c for c, p in parents.items() if p == pid]
        out += kids
        frontier += kids
    return out


def _rss_mb() -> tuple[float, float]:
    """Peak resident memory so far: this process, and the largest worker process (VmHWM of the
    live ones, sampled at each stage's end; finished ones by getrusage)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for pid in _descendants() if Path("/proc").is_dir() else []:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            WORKER_CPU[pid] = (int(stat[11]) + int(stat[12])) / ticks
            status = Path(f"/proc/{pid}/status").read_text()
            hwm = re.search(r"VmHWM:\s+(\d+) kB", status)
            if hwm:
                WORKER_PEAK[0] = max(WORKER_PEAK[0], int(hwm.group(1)) / 1024)
        except OSError:
            continue
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            max(WORKER_PEAK[0], resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))


class StageClock:
    """A progress callback that records when each stage starts and ends, and the memory then."""

    def __init__(self) -> None:
        self.start: dict[str, float] = {}
        self.end: dict[str, float] = {}
        self.memory: dict[str, tuple[float, float]] = {}
        self.cached: dict[str, int] = {}
        self.total: dict[str, int] = {}
        self._sampled = 0.0

    def __call__(self, stage: str, done: int, total: int, cached: int = 0) -> None:
        now = time.perf_counter()
        self.start.setdefault(stage, now)
        if done >= total:
            self.end[stage] = now
            self.memory[stage] = _rss_mb()
        elif stage == "extract" and now - self._sampled > 2:      # workers' memory while they run
            self._sampled = now
            _rss_mb()
        self.cached[stage], self.total[stage] = cached, total

    def seconds(self, stage: str) -> float:
        return self.end.get(stage, 0.0) - self.start.get(stage, 0.0)


def archive_build(root: Path, profile: Path | None = None, label: str = "archive") -> dict:
    """``archive build`` in this process, its stages timed."""
    from builder.pipeline import Project
    from builder.mkdocs.publish import build

    TIMES.clear()
    CALLS.clear()
    WORKER_CPU.clear()
    clock = StageClock()
    t, cpu = time.perf_counter(), time.process_time()
    with _profiled(profile, label):
        outcome = build(Project(root), progress=clock)
    total = time.perf_counter() - t
    cpu = time.process_time() - cpu + sum(WORKER_CPU.values())
    result = outcome.result
    site = outcome.site
    return {"total_s": total, "cpu_s": cpu, "clock": clock, "parts": dict(TIMES), "calls": dict(CALLS), "site": site,
            "result": result, "html_pages": sum(1 for _ in site.rglob("*.html")),
            "search_index_mb": _search_index_mb(site),
            "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20}


def _search_index_mb(site: Path) -> float:
    """Material's one index file, or the archive's split index (builder/outputs/search.py) above its threshold."""
    material = site / "search" / "search_index.json"
    if material.is_file():
        return material.stat().st_size / 2**20
    return sum(p.stat().st_size for p in (site / "assets" / "archive-search").rglob("*") if p.is_file()) / 2**20


class _profiled:
    """pyinstrument around a block when a folder is given, its text report written there."""

    def __init__(self, folder: Path | None, label: str) -> None:
        self.folder, self.label, self.profiler = folder, label, None

    def __enter__(self):
        if self.folder:
            from pyinstrument import Profiler

            self.profiler = Profiler(interval=0.005)
            self.profiler.start()
        return self

    def __exit__(self, *exc):
        if self.profiler:
            self.profiler.stop()
            self.folder.mkdir(parents=True, exist_ok=True)
            text = self.profiler.output_text(unicode=False, color=False, show_all=False)
            (self.folder / f"{self.label}.txt").write_text(text, encoding="utf-8")
            self.profiler.write_html(str(self.folder / f"{self.label}.html"))
        return False


def spacy_baseline(root: Path) -> dict:
    """spaCy's own nlp.pipe, NER only, one process, over the text of every article."""
    from builder.stages.ner import load_nlp
    from builder.stages.read import read_file

    paths = sorted(p for p in (root / "corpus" / "articles").rglob("*") if p.suffix in (".txt", ".md", ".html"))
    texts = ["\n\n".join(p.text for p in read_file(path).body) for path in paths]
    t = time.perf_counter()
    nlp = load_nlp()
    load = time.perf_counter() - t
    t, cpu = time.perf_counter(), time.process_time()
    for _doc in nlp.pipe(texts):
        pass
    return {"pipe_s": time.perf_counter() - t, "cpu_s": time.process_time() - cpu, "load_s": load, "texts": len(texts),
            "words": sum(len(x.split()) for x in texts)}


STOCK_YML = """site_name: Stock Material
use_directory_urls: false
theme:
  name: material
nav:
  - Home: index.md
  - People: people/index.md
  - Tags: tags/index.md
  - Sources: sources/index.md
  - Timeline: timeline/index.md
  - Build report: report/index.md
"""


def stock_material(result, tmp: Path, profile: Path | None = None) -> dict:
    """A plain Material ``mkdocs build`` (search plugin only) over the same generated pages."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from builder.outputs.render import render_all

    pages = render_all(result.records, result.registry, result.files, result.messages, result.ignored)
    docs = tmp / "docs"
    for rel, text in pages.items():
        if rel.startswith("."):
            continue
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (docs / "index.md").write_text("# Stock Material\n\n" + pages[".generated/summary.md"], encoding="utf-8")
    (tmp / "mkdocs.yml").write_text(STOCK_YML, encoding="utf-8")
    TIMES.clear()
    CALLS.clear()
    t, cpu = time.perf_counter(), time.process_time()
    with _profiled(profile, "stock-material"):
        config = load_config(str(tmp / "mkdocs.yml"), site_dir=str(tmp / "site"))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    return {"total_s": time.perf_counter() - t, "cpu_s": time.process_time() - cpu, "parts": dict(TIMES),
            "calls": dict(CALLS), "pages": sum(1 for p in pages if not p.startswith("."))}


def rebuild_as_a_new_process(root: Path, change) -> dict:
    """Change the corpus, then time ``archive build`` as its own process; count what was extracted
    (new entries in the extraction cache)."""
    entries = root / ".cache" / "extract"
    before = {p.name for p in entries.rglob("*.json")}
    what = change(root)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ARCHIVE_PROGRESS": "off"}
    t, cpu = time.perf_counter(), _children_cpu()
    run = subprocess.run([sys.executable, "-m", "builder", "-C", str(root), "build"], env=env,
                         capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t, _children_cpu() - cpu
    if run.returncode != 0:
        raise SystemExit(f"archive build failed:\n{run.stderr[-2000:]}")
    after = {p.name for p in entries.rglob("*.json")}
    return {"what": what, "wall_s": wall, "cpu_s": cpu, "extracted": len(after - before)}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def add_one(root: Path) -> str:
    rng = random.Random(99)
    _, text = make_article(10**6, rng)
    (root / "corpus" / "articles" / "added-one.txt").write_text(text, encoding="utf-8")
    return "one article added"


def nothing(root: Path) -> str:
    return "nothing changed"


def edit_one(root: Path) -> str:
    path = sorted((root / "corpus" / "articles").rglob("*.txt"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(" said ", " said on Friday ", 1), encoding="utf-8")
    return "one article edited"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", "-n", type=int, default=1000, help="how many articles (default 1000)")
    parser.add_argument("--seed", type=int, default=2022, help="random seed of the generated corpus")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (it is emptied first)")
    parser.add_argument("--profile", type=Path, help="write pyinstrument reports of the archive's and stock "
                        "Material's builds into this folder")
    parser.add_argument("--corpus", type=Path, help="use this folder of article files (e.g. real wire stories) "
                        "instead of generating --articles of them")
    parser.add_argument("--no-incremental", action="store_true", help="skip the add-one and edit-one rebuilds")
    parser.add_argument("--cold-only", action="store_true", help="the cold build only: no spaCy or stock Material "
                        "baseline, no rebuilds (a growth run: compare time and memory per article across sizes)")
    args = parser.parse_args(argv)
    import logging

    logging.basicConfig(level=logging.ERROR)
    tmp = Path(tempfile.mkdtemp(prefix="archive-scale-"))
    root = args.keep or (tmp / "archive")
    if args.keep and args.keep.exists():
        shutil.rmtree(args.keep)
    try:
        t = time.perf_counter()
        if args.corpus:
            count = copy_corpus(root, args.corpus)
            print(f"corpus               {count} articles copied from {args.corpus}")
        else:
            generate(root, args.articles, args.seed)
            print(f"corpus               {args.articles} articles generated in {time.perf_counter() - t:.1f} s")
        instrument()
        cold = archive_build(root, args.profile, "archive-cold")
        build_peak = _rss_mb()          # before the baselines run in this process
        r, clock = cold["result"], cold["clock"]
        pages = cold["html_pages"]
        people = len({p for rec in r.records for p in rec.people_names})
        tags = len({t for rec in r.records for t in rec.tags.value})
        print(f"published            {len(r.records)} article pages, "
              f"{sum(1 for f in r.files if f.status != 'page')} files with errors; {people} people, {tags} tags")
        print(f"HTML pages in site   {pages} ({pages / max(len(r.records), 1):.1f} per article); "
              f"site {cold['site_mb']:.1f} MB, search index {cold['search_index_mb']:.1f} MB")
        print(f"cold archive build   {cold['total_s']:7.1f} s   CPU {cold['cpu_s']:.1f} s (this process and the workers)")
        for stage in ("read", "extract", "render", "mkdocs"):
            own, workers = clock.memory.get(stage, (0, 0))
            print(f"  {stage:18} {clock.seconds(stage):7.1f} s   peak memory after it: {own:5.0f} MB here, "
                  f"{workers:5.0f} MB largest worker")
        for label in MKDOCS_PARTS:
            if label in cold["parts"]:
                print(f"    {label:40} {cold['parts'][label]:7.2f} s  ({cold['calls'][label]} calls)")
        print(f"  peak memory of the build, search index, feeds, data and zip included: {build_peak[0]:.0f} MB "
              f"(target 2,048), {build_peak[1]:.0f} MB largest worker")
        archive_per_page = cold["parts"].get("mkdocs: templates + search (per page)", 0) / max(pages, 1)
        if args.cold_only:
            print(f"per article          {cold['total_s'] / max(len(r.records), 1) * 1000:.1f} ms wall, "
                  f"{cold['cpu_s'] / max(len(r.records), 1) * 1000:.1f} ms CPU, "
                  f"{build_peak[0] / max(len(r.records), 1) * 1000:.1f} KB peak memory here")
            return 0

        base = spacy_baseline(root)
        print(f"spaCy nlp.pipe       {base['pipe_s']:7.1f} s   CPU {base['cpu_s']:.1f} s; NER only, one process, {base['texts']} texts "
              f"({base['words']:,} words; model load {base['load_s']:.1f} s not counted)")
        stock = stock_material(r, tmp / "stock", args.profile)
        stock_per_page = stock["parts"].get("mkdocs: templates + search (per page)", 0) / max(stock["pages"], 1)
        print(f"stock Material build {stock['total_s']:7.1f} s   CPU {stock['cpu_s']:.1f} s; {stock['pages']} pages, search plugin only")
        for label in MKDOCS_PARTS:
            if label in stock["parts"]:
                print(f"    {label:40} {stock['parts'][label]:7.2f} s  ({stock['calls'][label]} calls)")
        print(f"templates per page   archive {archive_per_page * 1000:.2f} ms, stock Material "
              f"{stock_per_page * 1000:.2f} ms")
        bound = 1.3 * (base["pipe_s"] + stock["total_s"])
        print(f"target cold          {cold['total_s']:.1f} s <= 1.3 x ({base['pipe_s']:.1f} + {stock['total_s']:.1f})"
              f" = {bound:.1f} s: {'met' if cold['total_s'] <= bound else 'NOT met'} "
              f"({cold['total_s'] / (base['pipe_s'] + stock['total_s']):.2f} x; in CPU time "
              f"{cold['cpu_s'] / (base['cpu_s'] + stock['cpu_s']):.2f} x)")
        if not args.no_incremental:
            for change in (nothing, add_one, edit_one):
                inc = rebuild_as_a_new_process(root, change)
                bound = 10.0 if change is nothing else stock["total_s"] + 10
                print(f"{inc['what']:20} archive build (new process) {inc['wall_s']:.1f} s (CPU {inc['cpu_s']:.1f} s), "
                      f"{inc['extracted']} article(s) extracted; target <= {bound:.1f} s: "
                      f"{'met' if inc['wall_s'] <= bound else 'NOT met'} (CPU: {inc['cpu_s']:.1f} s against "
                      f"{stock['cpu_s'] + 10:.1f} s)")
        if not args.no_incremental:
            print(f"rebuild peak memory  {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB "
                  "(largest rebuild process or worker)")
        print(f"peak memory          {max(_rss_mb()):.0f} MB (this process, with spaCy's baseline and stock "
              "Material's build run in it too, or a worker)")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
