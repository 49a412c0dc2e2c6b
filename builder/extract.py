"""Extract stage: title, date, source, url, people and tags, each with its provenance.

Per article, ``extract_document`` gathers evidence (named entities, date mentions,
source signatures). People are then resolved across the whole archive by
``resolve_people`` so that one person has one canonical name everywhere: the
registry's name when the registry knows them, else the spelling most articles use.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlparse

from . import dates as D
from .models import INFO, WARNING, Cleaned, Field, Line, Message, PersonRef, RawDoc, Removal
from .ner import Entity
from .people import (  # noqa: F401 - the pipeline uses these through this module
    DocEvidence, Mention, NameStats, _tokens, archive_rejections, doc_evidence, find_person_mentions, first_names_compatible,
    PARTICLES, SHEIKH_WORDS, label_before_a_name,
    given_names,
)
from .registry import Registry, Source
from .text import cut_at_word, name_key, normalise_space, sentences

TITLE_LIMIT = 100

# ---------------------------------------------------------------------------------------
# people: one canonical name across the archive
# ---------------------------------------------------------------------------------------

@dataclass
class _Group:
    key: str
    spellings: Counter = field(default_factory=Counter)   # spelling -> number of articles
    registry_name: str | None = None

    @property
    def canonical(self) -> str:
        if self.registry_name:
            return self.registry_name
        return sorted(self.spellings.items(), key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]))[0][0]


def resolve_people(evidence: list[DocEvidence], registry: Registry) -> dict[str, tuple[list[PersonRef], list[str]]]:
    """Canonical people for every article: {id: (people, notes about names left out)}."""
    groups: dict[str, _Group] = {}

    evidence = [_resolve_partial_names(doc, registry) for doc in evidence]
    merged: dict[str, str] = {}     # key of a spelling-variant group -> key of the group it joined

    def joined(key: str) -> str:
        # a group may join one that later joins another ("Angry Zimbabwe Robert Mugabe" ->
        # "Zimbabwe Robert Mugabe" -> "Robert Mugabe"): follow the chain to the group that is left
        while key in merged:
            key = merged[key]
        return key

    def group_for(spelling: str) -> _Group:
        person = registry.person(spelling) or registry_variant(spelling, registry)
        key = f"registry:{person.name}" if person else name_key(spelling)
        key = joined(key)
        g = groups.setdefault(key, _Group(key))
        if person:
            g.registry_name = person.name
        return g

    # 1. full names, counted once per article
    for doc in evidence:
        for spelling in sorted({m.text for m in doc.mentions if len(_tokens(m.text)) >= 2 or registry.person(m.text)}):
            group_for(spelling).spellings[spelling] += 1

    # unregistered people written with first-name variants (Dmitry/Dmitri/Dmytro Peskov) are one
    # person when the surname matches and the first names are close; the larger group wins
    ordered_groups = sorted((g for g in groups.values() if not g.registry_name),
                            key=lambda g: (-sum(g.spellings.values()), g.key))
    for i, big in enumerate(ordered_groups):
        if big.key in merged:
            continue
        bw = big.key.split()
        for small in ordered_groups[i + 1:]:
            sw = small.key.split()
            if small.key in merged or len(bw) != len(sw) or len(bw) < 2 or bw[-1] != sw[-1]:
                continue
            if all(first_names_compatible(a, b) for a, b in zip(bw[:-1], sw[:-1])):
                big.spellings.update(small.spellings)
                merged[small.key] = big.key
                del groups[small.key]

    # a label the model took into a name ("Blairite Alan Milburn") when the archive also names the
    # person without it: one person, under the name without the label
    for key in sorted(k for k, g in groups.items() if not g.registry_name):
        g = groups[key]
        rest = label_before_a_name(g.canonical)
        if rest is None:
            continue
        person = registry.person(rest)
        target_key = f"registry:{person.name}" if person else joined(name_key(rest))
        target = groups.get(target_key)
        if target is not None and target is not g:
            for spelling in g.spellings:    # found under the name, never chosen as it (count 0)
                target.spellings[spelling] += 0
            merged[key] = target_key
            del groups[key]

    rejected = _not_people(evidence, groups)
    rejected.update(_listed_not_people(groups, registry))

    by_surname: dict[str, set[str]] = defaultdict(set)
    for key, g in groups.items():
        if key in rejected:
            continue
        words = name_key(g.canonical).split()
        for spelling in g.spellings:
            sw = name_key(spelling).split()
            if len(sw) >= 2:
                by_surname[sw[-1]].add(key)
        if len(words) >= 2:
            by_surname[words[-1]].add(key)

    out: dict[str, tuple[list[PersonRef], list[str]]] = {}
    for doc in evidence:
        found: dict[str, PersonRef] = {}
        notes: list[str] = []
        local_full = {m.text for m in doc.mentions if len(_tokens(m.text)) >= 2}
        ordered = sorted(doc.mentions, key=lambda m: (len(_tokens(m.text)) < 2, m.line))
        for m in ordered:
            words = _tokens(m.text)
            group = None
            how = ""
            if len(words) >= 2 or registry.person(m.text):
                group = group_for(m.text)
                how = "registry" if group.registry_name else m.via
                if group.key in rejected:
                    if not any(n.startswith(f"'{m.text}'") for n in notes):
                        notes.append(f"'{m.text}' (line {m.line}) is not listed as a person: {rejected[group.key]}")
                    continue
            else:
                key = name_key(m.text)
                # same article: the full name whose last (or first) word this is
                local = sorted({group_for(f).key for f in local_full
                                if name_key(f).split()[-1] == key or name_key(f).split()[0] == key})
                if len(local) == 1:
                    group, how = groups[local[0]], "surname in article"
                else:
                    person = registry.person_by_surname.get(key)
                    if person is not None:
                        group, how = group_for(person.name), "surname in registry"
                    elif len(by_surname.get(key, ())) == 1:
                        group, how = groups[next(iter(by_surname[key]))], "surname elsewhere in archive"
                if group is not None and group.key in rejected:
                    continue        # the surname of a name that is not a person's ("Jeeves" of Ask Jeeves)
                if group is None:
                    if m.via != "titled surname" and not any(n.startswith(f"'{m.text}'") for n in notes):
                        notes.append(f"'{m.text}' (line {m.line}) is a single name that matches no full name; "
                                     "not listed")
                    continue
            name = group.canonical
            ref = found.get(name)
            if ref is None:
                evidence_text = f"'{m.text}' (line {m.line})"
                if m.text != name:
                    variants = sorted(s for s in group.spellings if s != name)
                    if how not in ("registry", "surname in registry") and variants:
                        evidence_text += "; spelling variants merged: " + ", ".join(f"'{v}'" for v in variants)
                ref = PersonRef(name=name, method=_METHOD_NAMES.get(how, how), evidence=evidence_text, mentions=[])
                found[name] = ref
            if m.text not in ref.mentions:
                ref.mentions.append(m.text)
        people = sorted(found.values(), key=lambda r: _first_line(r, doc))
        out[doc.id] = (people, notes)
    return out


def _listed_not_people(groups: dict[str, _Group], registry: Registry) -> dict[str, str]:
    """{group key: why} for names an archivist listed under not_people in people.yml: their
    word overrules every rule."""
    out = {}
    for key, g in groups.items():
        if g.registry_name:
            continue
        listed = next((registry.not_person_by_key[k] for k in sorted({name_key(sp) for sp in g.spellings})
                       if k in registry.not_person_by_key), None)
        if listed is not None:
            out[key] = f"listed under not_people in {registry.paths.get('people', 'people.yml')} (line {listed.line})"
    return out


def _not_people(evidence: list[DocEvidence], groups: dict[str, _Group]) -> dict[str, str]:
    """{group key: why} for unregistered names the archive-wide rules in people.py turn down."""
    lower: Counter = Counter()
    others: Counter = Counter()
    runs: Counter = Counter()
    the_runs: Counter = Counter()
    things: Counter = Counter()
    cues: Counter = Counter()
    titled: set[str] = set()
    by_surname: set[str] = set()    # full names whose surname a title precedes in the same article
    for doc in evidence:
        lower.update(doc.lower_words)
        others.update(doc.other_labels)
        runs.update(doc.runs)
        the_runs.update(doc.the_runs)
        things.update(doc.thing_context)
        cues.update(doc.cues)
        titled_surnames = {name_key(m.text) for m in doc.mentions if m.titled and len(_tokens(m.text)) == 1}
        for m in doc.mentions:
            key = name_key(m.text).split()
            if len(key) >= 2 and m.titled:
                titled.add(m.text)
            elif len(key) >= 2 and key[-1] in titled_surnames:
                by_surname.add(m.text)
    # "Mr Blair" vouches for "Tony Blair" in the same article, not for "Vote Blair": the first word
    # must not be an ordinary word of the archive that is no given name
    for text in by_surname:
        first = text.split()[0]
        if lower[first.casefold()] < 2 or first.casefold() in given_names():
            titled.add(text)
    stats = [NameStats(g.canonical, sorted(g.spellings), sum(g.spellings.values()),
                       any(sp in titled for sp in g.spellings), lower, others, runs, the_runs, things, cues)
             for g in groups.values() if not g.registry_name]
    reasons = archive_rejections(stats)
    # the plural of a name that is not a person's is not one either ("Alfa Romeos", "Billy Elliots")
    for st in stats:
        words = st.name.split()
        singular = " ".join(words[:-1] + [words[-1][:-1]])
        if st.name not in reasons and words[-1].endswith("s") and singular in reasons:
            reasons[st.name] = f"the plural of '{singular}', which is not listed as a person"
    return {key: reasons[g.canonical] for key, g in groups.items() if not g.registry_name and g.canonical in reasons}


def _resolve_partial_names(doc: DocEvidence, registry: Registry) -> DocEvidence:
    """Multi-word mentions that are the end of a longer name ("Saavedra Paz" of "Rodrigo Saavedra
    Paz", "Van Dijk" of "Femke van Dijk", "Okonkwo Adeyemi" of a registered name) become that name."""
    longer = sorted({m.text for m in doc.mentions if len(_tokens(m.text)) >= 2}, key=lambda t: (-len(t), t))
    longer_keys = [(t, name_key(t).split()) for t in longer]     # each name's key once, not per mention
    registry_names = [p.name for p in registry.people] + [a for p in registry.people for a in p.aliases]
    out = []
    for m in doc.mentions:
        key = name_key(m.text).split()
        if len(key) >= 2 and registry.person(m.text) is None:
            local = {t for t, tk in longer_keys if len(tk) > len(key) and tk[-len(key):] == key}
            if not local:
                # the given names before a particle: "Sheikh Ahmed" of "Ahmed bin Zayed Al Nahyan"
                # (the honorific is no part of the name), "Juan Carlos" of "Juan Carlos de Borbón"
                honorific = _tokens(m.text)[0].casefold() in SHEIKH_WORDS
                given = key[1:] if honorific else key
                local = {t for t, tk in longer_keys
                         if len(tk) > len(given) + 1 and tk[:len(given)] == given and tk[len(given)] in PARTICLES}
            if len(local) == 1:
                m = Mention(local.pop(), m.line, "surname words of a longer name", m.titled)
            else:
                known = {registry.person(n).name for n in registry_names
                         if len(name_key(n).split()) > len(key) and name_key(n).split()[-len(key):] == key}
                if len(known) == 1:
                    m = Mention(known.pop(), m.line, "surname words of a longer name", m.titled)
        out.append(m)
    return dataclasses.replace(doc, mentions=out)


def registry_variant(spelling: str, registry: Registry):
    """The registry person this full name is a first-name variant of ('Dmitry Kuleba' -> Dmytro Kuleba)."""
    words = name_key(spelling).split()
    if len(words) < 2:
        return None
    person = registry.person_by_surname.get(words[-1])
    if person is None:
        return None
    first = name_key(person.name).split()[0]
    return person if first_names_compatible(words[0], first) else None


_METHOD_NAMES = {"ner": "named-entity recognition", "possessive": "possessive name tagged as an organisation",
                 "titled surname": "surname after a title", "results line": "name in a results line", "apposition": "name in apposition to a role",
                 "surname words of a longer name": "surname of a longer name in the article", "title": "named-entity recognition (title stripped)",
                 "registry": "people.yml", "surname in article": "surname of a full name in the article",
                 "surname in registry": "surname in people.yml",
                 "surname elsewhere in archive": "surname of a full name elsewhere in the archive"}


def _first_line(ref: PersonRef, doc: DocEvidence) -> tuple[int, str]:
    lines = [m.line for m in doc.mentions if m.text in ref.mentions]
    return (min(lines) if lines else 10**9, ref.name)


# ---------------------------------------------------------------------------------------
# title
# ---------------------------------------------------------------------------------------

_SITE_SEPARATORS = re.compile(r"\s+(?:\||\|\||-|–|—|::|:|·|•|»|\*|~|/|//)\s+")


def strip_site_name(title: str, site_names: list[str]) -> str:
    """'Headline | Outlet', 'Outlet - Headline', 'Headline * Outlet * by Author', 'Headline : Outlet'
    -> 'Headline'; a section label before the headline ('BUDGET 3.0 | Headline', 'Opinion | ...') goes too."""
    parts = [p.strip() for p in _SITE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title.strip()
    names = {n.casefold() for n in site_names if n}
    keep = [p for p in parts if p.casefold() not in names and not re.search(r"\.\w{2,4}$", p)
            and not re.match(r"^by\s", p, re.I)]
    if not keep:
        return parts[0]
    if len(keep) < len(parts):
        return " - ".join(keep) if len(keep) > 1 and all(len(k.split()) > 3 for k in keep) else max(keep, key=len)
    if len(min(parts, key=len).split()) <= 3:
        return max(parts, key=len)
    # "Climate change: Labor on track ..." is one headline: a colon split only goes with a site name
    return title.strip()


def _words_of(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _page_headline(meta: dict, site_names: list[str]) -> tuple[str, str] | None:
    """The headline the page prints (its <h1>, else JSON-LD headline), when it is the article's:
    most of its words recur in the page's titles. Site names and navigation h1s are passed over."""
    titles = [str(meta.get("title") or "")] + [t for key in ("page_title", "og_title", "ld_headline")
                                                for t in meta.get(key) or []]
    pool = set().union(*(_words_of(t) for t in titles)) if titles else set()
    names = {n.casefold() for n in site_names if n}
    segments = {p.strip().casefold() for t in titles for p in _SITE_SEPARATORS.split(t)}
    kept = {strip_site_name(t, site_names).casefold() for t in titles if t}
    for kind, candidates in (("page headline (h1)", meta.get("h1") or []),
                             ("page headline (JSON-LD)", meta.get("ld_headline") or [])):
        for text in candidates:
            folded = text.casefold()
            words = _words_of(text)
            if not words or len(words) < 3 or folded in names:
                continue
            if folded in segments and folded not in kept:
                continue        # the part of the title a separator sets apart: the site's name
            if len(words & pool) >= 0.5 * len(words):
                return text, kind
    return None


def infer_title(doc: RawDoc, cleaned: Cleaned, site_names: list[str]) -> Field:
    given = doc.front.get("title")
    if isinstance(given, (str, int, float)) and str(given).strip():
        return Field(normalise_space(str(given)), "front matter", f"title (line {doc.front_lines.get('title', 1)})")
    html_title = doc.html_meta.get("title")
    page = _page_headline(doc.html_meta, site_names) if doc.kind == "html" or doc.html_meta.get("h1") else None
    if page:
        text, kind = page
        title = strip_site_name(text, site_names) if any(n and n.casefold() in text.casefold() for n in site_names) \
            else text
        shared = f"; page title '{normalise_space(html_title)}'" if html_title and html_title != text else ""
        return Field(title, kind, f"'{text}'{shared}")
    if html_title:
        title = strip_site_name(normalise_space(html_title), site_names)
        return Field(title, "web page title", f"'{normalise_space(html_title)}'")
    if cleaned.headline:
        return Field(cleaned.headline.text, "headline line", f"line {cleaned.headline.line}")
    for para in cleaned.paragraphs:
        sent = sentences(para.text)
        if not sent:
            continue
        first = sent[0].rstrip()
        if first.endswith(".") and not first.endswith(".."):
            first = first[:-1]
        return Field(cut_at_word(first, TITLE_LIMIT), "lede", f"first sentence (line {para.line})")
    return Field(doc.id, "file name", doc.rel)


# ---------------------------------------------------------------------------------------
# date
# ---------------------------------------------------------------------------------------

PUBLISHED_CUE = re.compile(r"^\W*(?:published|posted|first published|pubdate|date|dated)\b", re.I)


def infer_date(doc: RawDoc, cleaned: Cleaned) -> tuple[Field, list[Message]]:
    """Publication date as EDTF, from the strongest evidence available (see module docs)."""
    messages: list[Message] = []
    given = doc.front.get("date")
    if given is not None:
        value = D.normalise_edtf(given)
        line = doc.front_lines.get("date", 1)
        if value is None:
            messages.append(Message(doc.rel, line, WARNING, f"front-matter date '{given}' is not a valid EDTF date "
                                    "(e.g. 2022-03-04, 2022-03, 2022?); inferring from the text instead",
                                    code="date"))
        else:
            return Field(value, "front matter", f"date (line {line})"), messages
    if doc.html_meta.get("date"):
        value = D.normalise_edtf(str(doc.html_meta["date"])[:10])
        if value:
            return Field(value, "web page metadata", f"published date '{doc.html_meta['date']}'"), messages
    if cleaned.date_line:
        found = D.find_dates(cleaned.date_line.text, cleaned.date_line.line)
        evidence = f"'{cleaned.date_line.text}' (line {cleaned.date_line.line})"
        if found and found[0].ambiguous:
            m = found[0]
            messages.append(Message(doc.rel, m.line, WARNING,
                                    f"ambiguous numeric date '{m.text}' (could be {m.ambiguous[0].isoformat()} "
                                    f"or {m.ambiguous[1].isoformat()}); only the year is used", code="date"))
            return Field(m.edtf, "date line (ambiguous, year only)", evidence), messages
        if found:
            return Field(found[0].edtf, "date line", evidence), messages

    if cleaned.dateline and cleaned.dateline.date:
        found = [m for m in D.find_dates(cleaned.dateline.date, cleaned.dateline.line) if m.day]
        if found:
            return Field(found[0].edtf, "dateline", f"'{cleaned.dateline.text}' (line {cleaned.dateline.line})"), messages

    body_text = ([cleaned.headline] if cleaned.headline else []) + cleaned.paragraphs
    body_dates = [m for p in body_text for m in D.find_dates(p.text, p.line)]
    latest_body = max((m.day for m in body_dates if m.day), default=None)

    # publication and update notices the clean stage took out, and cue lines kept in the text
    notices = [r for r in cleaned.removed if r.reason in (Removal.UPDATE_NOTICE, Removal.SIGN_OFF, Removal.FURNITURE,
                                                          Removal.BYLINE, Removal.MASTHEAD, Removal.SECTION_LABEL)]
    cue_lines = [Line(r.text, r.line) for r in notices] + [p for p in body_text if PUBLISHED_CUE.match(p.text)]
    published, updated = [], []
    for cue in cue_lines:
        for m in D.find_dates(cue.text, cue.line):
            (updated if re.match(r"^\W*(?:update|last updated|correction)", cue.text, re.I) else published).append(m)
    for group, label in ((published, "publication notice"), (updated, "update notice")):
        for m in group:
            if m.ambiguous:
                messages.append(Message(doc.rel, m.line, WARNING,
                                        f"ambiguous numeric date '{m.text}' (could be {m.ambiguous[0].isoformat()} "
                                        f"or {m.ambiguous[1].isoformat()}); not used as a full date", code="date"))
                continue
            if m.day and latest_body and m.day < latest_body and label == "update notice":
                messages.append(Message(doc.rel, m.line, WARNING,
                                        f"{label} date '{m.text}' is earlier than '{latest_body.isoformat()}' named in "
                                        "the text; ignored", code="date"))
                continue
            if m.day:
                return Field(m.edtf, label, f"'{m.text}' (line {m.line})"), messages

    full = [m for m in body_dates if m.day]
    if full:
        confirmed = [m for m in full if m.weekday_matches]
        if confirmed:
            best = max(confirmed, key=lambda m: m.day)
            return Field(best.edtf, "text", f"'{best.text}' (line {best.line})"), messages
        best = max(full, key=lambda m: m.day)
        text_all = " ".join(p.text for p in body_text)
        weekdays = D.weekdays_mentioned(text_all)
        if len(weekdays) == 1:
            weekday = next(iter(weekdays))
            if weekday != best.day.weekday():
                day = D.next_weekday(best.day, weekday)
                name = D.WEEKDAYS[weekday].capitalize()
                return Field(day.isoformat(), "text (weekday after latest date)",
                             f"'{name}' after '{best.text}' (line {best.line})"), messages
        return Field(best.edtf, "text (latest date named)", f"'{best.text}' (line {best.line})"), messages

    for m in body_dates:
        if m.ambiguous:
            messages.append(Message(doc.rel, m.line, WARNING,
                                    f"ambiguous numeric date '{m.text}' (could be {m.ambiguous[0].isoformat()} "
                                    f"or {m.ambiguous[1].isoformat()}); only the year is used", code="date"))
    months = [m for m in body_dates + published + updated if not m.day and not m.ambiguous]
    if months:
        best = max(months, key=lambda m: m.edtf)
        return Field(best.edtf, "text (month named)", f"'{best.text}' (line {best.line})"), messages
    ambiguous = [m for m in published + updated + body_dates if m.ambiguous]
    if ambiguous:
        m = ambiguous[0]
        return Field(m.edtf, "ambiguous numeric date (year only)", f"'{m.text}' (line {m.line})"), messages
    for r in notices:
        ym = D.YEAR_ONLY.search(r.text)
        if ym and r.reason is Removal.SIGN_OFF:
            return Field(ym.group("year"), "sign-off year", f"'{r.text}' (line {r.line})"), messages
    for c in cleaned.comments:
        for m in D.find_dates(c.text, c.line):
            messages.append(Message(doc.rel, c.line, INFO,
                                    f"the article is undated; its reader comments start on '{m.text}', so it was "
                                    "published on or before then (a comment's date is never used as the article's)",
                                    code="date"))
            return Field(None, "none", f"no date in the article; first reader comment dated '{m.text}' "
                                       f"(line {c.line})"), messages
    messages.append(Message(doc.rel, 1, INFO, "no date found in front matter or text; the article is undated",
                            code="date"))
    return Field(None, "none", "no date found"), messages


# ---------------------------------------------------------------------------------------
# source and url
# ---------------------------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s<>\"')]+|\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.I)


def _host(url: str) -> str:
    """'https://www.foxnews.com/x' -> 'foxnews.com'; '' for anything that is not a URL."""
    try:
        host = urlparse(url if "://" in url else "http://" + url).hostname or ""
    except ValueError:      # "[x](y)", "http://[::1": not a usable address
        return ""
    return host.removeprefix("www.")


def match_source(name: str, registry: Registry) -> Source | None:
    folded = name.casefold().strip()
    if folded in registry.source_by_name:
        return registry.source_by_name[folded]
    for s in registry.sources:
        if s.url and _host(s.url) and _host(s.url) in (folded, _host(folded)):
            return s
    return None


def infer_source(doc: RawDoc, cleaned: Cleaned, registry: Registry) -> tuple[Field, list[Message]]:
    messages: list[Message] = []
    given = doc.front.get("source")
    if isinstance(given, str) and given.strip():
        known = match_source(given, registry)
        return Field(known.name if known else normalise_space(given), "front matter",
                     f"source (line {doc.front_lines.get('source', 1)})"), messages
    # furniture the site added: boilerplate, promos, sign-offs, bylines; never the story's sentences
    furniture = [r for r in cleaned.removed
                 if r.reason not in (Removal.PHOTO_CREDIT, Removal.DUPLICATE, Removal.DATE_LINE)]
    hits: dict[str, list[str]] = defaultdict(list)
    for r in furniture:
        if r.reason is Removal.BOILERPLATE:
            hits[r.source].append(f"boilerplate '{r.text}' (line {r.line})")
            continue
        folded = r.text.casefold()
        for s in registry.sources:
            for sig in s.signatures:
                if sig.casefold() in folded:
                    hits[s.name].append(f"'{sig}' in {r.reason} '{cut_at_word(r.text, 80)}' (line {r.line})")
                    break
            else:
                # the outlet's own name in its sign-off, masthead or promo ("© 2023 Alpine Herald")
                if r.reason in (Removal.SIGN_OFF, Removal.MASTHEAD, Removal.FURNITURE, Removal.AUTHOR_BIO) and \
                        re.search(rf"(?<!\w){re.escape(s.name.casefold())}(?!\w)", folded):
                    hits[s.name].append(f"name in {r.reason} '{cut_at_word(r.text, 80)}' (line {r.line})")
    if cleaned.dateline:
        outlet = cleaned.dateline.outlet or ""
        for s in registry.sources:
            if outlet and (outlet.casefold() == s.name.casefold()
                           or any(sig.casefold() == outlet.casefold() for sig in s.signatures)):
                hits[s.name].append(f"dateline '{cleaned.dateline.text}' (line {cleaned.dateline.line})")
    hosts = []
    if isinstance(doc.front.get("url"), str):
        hosts.append(("front-matter url", _host(doc.front["url"])))
    for key in ("url", "hostname"):
        if doc.html_meta.get(key):
            hosts.append((f"web page {key}", _host(str(doc.html_meta[key]))))
    for r in furniture:
        for u in _URL.findall(r.text):
            hosts.append((f"link in {r.reason} (line {r.line})", _host(u)))
    for where, host in hosts:
        for s in registry.sources:
            if s.url and host and (host == _host(s.url) or host.endswith("." + _host(s.url))):
                hits[s.name].append(f"{where} '{host}'")
    if hits:
        # a signature the archivist wrote down counts twice as much as the outlet's bare name
        def weight(why: list[str]) -> int:
            return sum(1 if w.startswith("name in ") else 2 for w in why)

        ranked = sorted(hits.items(), key=lambda kv: (-weight(kv[1]), kv[0]))
        if len(ranked) > 1 and weight(ranked[0][1]) == weight(ranked[1][1]):
            messages.append(Message(doc.rel, 1, WARNING,
                                    f"source is ambiguous between {ranked[0][0]} and {ranked[1][0]}; "
                                    f"chose {ranked[0][0]} (set 'source:' in front matter to decide)", code="source"))
        name, why = ranked[0]
        return Field(name, "sources.yml signature", "; ".join(why[:3])), messages
    site = doc.html_meta.get("sitename")
    if site:
        known = match_source(str(site), registry)
        return Field(known.name if known else normalise_space(str(site)), "web page site name", f"'{site}'"), messages
    return Field(None, "none", "no signature of a known source in the site furniture"), messages


SAFE_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.I)


def infer_url(doc: RawDoc) -> tuple[Field, list[Message]]:
    """The original page's address; only http(s) URLs, since it becomes a link."""
    given = doc.front.get("url")
    if isinstance(given, str) and given.strip():
        line = doc.front_lines.get("url", 1)
        if SAFE_URL.match(given.strip()) and _host(given.strip()):
            return Field(given.strip(), "front matter", f"url (line {line})"), []
        return Field(None, "none", ""), [Message(doc.rel, line, WARNING,
                                                 f"url '{given.strip()[:80]}' is not an http(s) address; ignored",
                                                 code="url")]
    meta_url = str(doc.html_meta.get("url") or "")
    if SAFE_URL.match(meta_url) and _host(meta_url):
        return Field(meta_url, "web page metadata", "canonical URL"), []
    return Field(None, "none", ""), []


def infer_archived_url(doc: RawDoc) -> tuple[Field, list[Message]]:
    """A web archive's copy of the original page (a Wayback Machine link, say): front matter only."""
    given = doc.front.get("archived_url")
    if not (isinstance(given, str) and given.strip()):
        return Field(None, "none", ""), []
    line = doc.front_lines.get("archived_url", 1)
    if SAFE_URL.match(given.strip()) and _host(given.strip()):
        return Field(given.strip(), "front matter", f"archived_url (line {line})"), []
    return Field(None, "none", ""), [Message(doc.rel, line, WARNING, f"archived_url '{given.strip()[:80]}' is not "
                                             "an http(s) address; ignored", code="archived_url")]


RETRIEVED = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


def infer_retrieved(doc: RawDoc) -> tuple[Field, list[Message]]:
    """The day the file was collected (ISO 8601 date, or date and time): front matter only,
    since nothing in an article's text says when an archivist saved it."""
    given = doc.front.get("retrieved")
    if given is None or (isinstance(given, str) and not given.strip()):
        return Field(None, "none", ""), []
    line = doc.front_lines.get("retrieved", 1)
    text = str(given).strip()
    m = RETRIEVED.match(text)
    if m:
        import datetime as dt
        try:
            dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if m.group(4) is not None:
                dt.time(int(m.group(4)), int(m.group(5)), int(m.group(6) or 0))
        except ValueError:
            m = None
    if not m:
        return Field(None, "none", ""), [Message(doc.rel, line, WARNING, f"retrieved '{text[:40]}' is not a date: "
                                                 "write the day the page was saved as 2024-05-31 (or "
                                                 "2024-05-31T14:20:00Z); ignored", code="retrieved")]
    return Field(text.replace(" ", "T"), "front matter", f"retrieved (line {line})"), []


# ---------------------------------------------------------------------------------------
# tags and language
# ---------------------------------------------------------------------------------------

_ENGLISH = set("the of and to in a is that for on with as was by at it from he said be have has are not this "
               "but an they which or were will his their its had been who would we".split())


def infer_language(doc: RawDoc, text: str) -> tuple[Field, list[Message]]:
    given = doc.front.get("language")
    if isinstance(given, str) and given.strip():
        return Field(given.strip(), "front matter", f"language (line {doc.front_lines.get('language', 1)})"), []
    words = re.findall(r"[a-z]+", text.casefold())
    share = sum(1 for w in words if w in _ENGLISH) / max(len(words), 1)
    if share < 0.12 and len(words) >= 30:
        return Field(None, "none", f"English function words are {share:.0%} of the text"), [
            Message(doc.rel, 1, WARNING, "the text does not look like English; names and tags may be missed "
                    "(set 'language:' in front matter)", code="language")]
    return Field("en", "text", f"English function words are {share:.0%} of the text"), []


_BAD_TAG = re.compile(r"^(?:the|a|an)\s+", re.I)


def infer_tags(doc: RawDoc, paragraphs: list[Line], ents: list[list[Entity]], registry: Registry,
               people: list[PersonRef]) -> Field:
    given = doc.front.get("tags")
    tags: dict[str, str] = {}
    if isinstance(given, list):
        for t in given:
            if isinstance(t, (str, int, float)) and str(t).strip():
                tags[normalise_space(str(t))] = f"front matter (line {doc.front_lines.get('tags', 1)})"
    for tag, rx in registry.tag_patterns:
        for para in paragraphs:
            m = rx.search(para.text)
            if m:
                tags.setdefault(tag.tag, f"tags.yml phrase '{m.group(0)}' (line {para.line})")
                break
    person_words = {w.casefold() for p in people for mention in p.mentions for w in mention.split()}
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for para, para_ents in zip(paragraphs, ents):
        for e in para_ents:
            if e.label not in ("GPE", "LOC", "ORG", "FAC"):
                continue
            text = _BAD_TAG.sub("", normalise_space(e.text))
            text = re.sub(r"(?:'s|’s)$", "", text).strip(" .,")
            if len(text) < 2 or not text[0].isupper() or any(c.isdigit() for c in text) or len(text) > 60:
                continue
            if text.casefold() in person_words or len(text.split()) > 5:
                continue
            counts[text] += 1
            first.setdefault(text, para.line)
    for text, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8]:
        if n >= 2 and text not in tags and text.casefold() not in {t.casefold() for t in tags}:
            tags[text] = f"named entity, {n} mentions (first line {first[text]})"
    ordered = sorted(tags, key=lambda t: t.casefold())
    return Field(ordered, "tags.yml phrases and named entities",
                 "; ".join(f"{t}: {tags[t]}" for t in ordered))
