"""Quotes: direct quotations in the articles, who said them, and the same words across outlets.

Extraction works on one record's clean paragraphs: straight and curly double quotation
marks and curly single ones (British usage; apostrophes are told apart); a quotation that
opens a paragraph and does not close runs on into the next paragraph (the newspaper
convention); short quoted phrases (scare quotes, titles) are not quotations. The speaker
comes from the attribution next to the quotation: ``"...," Stoltenberg said`` /
``said Stoltenberg`` / ``Stoltenberg told reporters: "..."`` / ``X said Europe was "..."`` /
``he said`` (the last person named outside quotations, never a possessive). A quotation with
no attribution goes on with the speaker of the quotation just before it in the paragraph, or,
when the whole paragraph is quotation, of the previous paragraph's. Speakers resolve to the
article's canonical ``PersonRef`` names, or through a description from people.yml ("the
secretary of state said").

Matching: outlets render one utterance differently (a word dropped, "we'll" for "we would",
a sentence cut). Two quotations are the same when a sentence of one shares at least
``MIN_SENTENCE_WORDS`` normalised words, in order, and ``MATCH_CONTAINMENT`` of its words with a
sentence of the other (longest common subsequence, via rapidfuzz); quotations attributed to two
different people never join. Candidates come from shared word triples, so the archive is never
compared pair by pair.
"""

from __future__ import annotations

import bisect
import difflib
import html
import re
from itertools import combinations
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..core.models import PersonRef, Record
from ..core.text import ascii_fold, sentences

MIN_WORDS = 5              # fewer words in quotation marks is a phrase, not a quotation
MIN_SENTENCE_WORDS = 5     # sentences shorter than this never match on their own
MATCH_CONTAINMENT = 0.65   # share of the shorter sentence's words found, in order, in the other (see benchmarks/README.md)
SHINGLE = 3                # candidate sentences share a run of this many words
COMMON_SHINGLE = 12        # a word run in more sentences than this: compare with REPRESENTATIVES only
REPRESENTATIVES = 3

SPEECH_VERBS = (r"said|says|say|stated|states|told|tells|added|adds|warned|warns|argued|insisted|explained|"
                r"noted|declared|wrote|writes|tweeted|asked|replied|continued|stressed|claimed|announced|"
                r"concluded|recalled|urged|vowed|admitted|acknowledged|conceded|promised|remarked|"
                r"cautioned|pointed out|went on")
# a capitalised word ("Secretary-General", "O'Brien", "Jr.") and up to five more: hyphens only inside a
# word, spaces only between words, so no text can be split two ways (no runaway backtracking)
_CAP_WORD = r"[A-Z][\w'’.]*(?:-[^\W\d_][\w'’.]*)*"
_CAP = rf"{_CAP_WORD}(?:\s+(?:(?:of|for|de|van|von|al|bin)\s+)?{_CAP_WORD}){{0,5}}"
_NAME = rf"(?P<who>(?:the\s+)?{_CAP}|[Hh]e|[Ss]he|[Tt]hey|the [\w\s-]{{2,40}}?)"
# after the quotation: '," Stoltenberg said' / '," said Stoltenberg' / '," he added' (matched at the
# quotation's end, never on a copy of the rest of the paragraph: many quotations in one stay linear)
AFTER_NAME_VERB = re.compile(rf"\s*[,;:]?\s*(?:[—–-]\s*)?{_NAME}\s+(?:{SPEECH_VERBS})\b")
AFTER_VERB_NAME = re.compile(rf"\s*[,;:]?\s*(?:{SPEECH_VERBS})\s+{_NAME}")
# before the quotation: 'Stoltenberg told reporters: "' / 'He added, "' / 'X said Europe was now "the first…"'
BEFORE = re.compile(rf"{_NAME}\s+(?:[a-z]+\s+)?(?:{SPEECH_VERBS})\b[^.!?\"“”‘]{{0,80}}$")
# a run of capitalised words that may name a person; "Biden’s administration" is not Biden speaking
CAPITALISED = re.compile(rf"\b{_CAP}")
POSSESSIVE = re.compile(r"['’]s$")
PRONOUNS = {"he", "she", "they"}
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass
class Quote:
    """One quotation in one article."""

    article: str
    text: str
    speaker: str | None            # canonical person name, or None when not attributed to a person
    how: str                       # how the speaker was found ("Name said", "pronoun", ...)
    paragraph: int                 # index of the paragraph it starts in


@dataclass
class QuoteGroup:
    """One utterance and every article that carries it (the same words, perhaps rendered differently)."""

    id: str
    speaker: str | None
    quotes: list[Quote] = field(default_factory=list)   # earliest article first

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(q.article for q in self.quotes))


# ---------------------------------------------------------------------------------------
# extraction
# ---------------------------------------------------------------------------------------

def _opens(text: str, i: int) -> str | None:
    """The kind of quotation mark opening at ``i`` ("double" or "single"), or None.

    A straight double mark opens after a space, a bracket, a dash or the paragraph start; a
    curly single mark (British usage) opens likewise, never inside a word. Straight single
    marks are apostrophes and scare quotes too often to be read as quotations."""
    c, before = text[i], text[i - 1] if i else " "
    if c == "“" or (c == '"' and before in " \t([—–-/"):
        return "double"
    if c == "‘" and before in " \t([—–-/\"“" and i + 1 < len(text) and not text[i + 1].isspace():
        return "single"
    return None


def _closes(text: str, j: int, kind: str) -> bool:
    d, after = text[j], text[j + 1] if j + 1 < len(text) else " "
    if kind == "double":
        return d == "”" or (d == '"' and not after.isalnum())
    return d == "’" and not after.isalpha()          # "don’t", "Russia’s" are apostrophes


def _closing(text: str, i: int, kind: str) -> int:
    """Where the quotation of ``kind`` opening at ``i`` closes; the paragraph's length when it
    does not, or when a new quotation of the same kind opens first (unbalanced)."""
    n = len(text)
    for j in range(i + 1, n):
        if _closes(text, j, kind):
            return j
        if _opens(text, j) == kind:
            return n
    return n


def _spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, closed) of each quotation in a paragraph: the text between the marks.

    An opening mark without its close runs to the paragraph end (closed=False); a new
    quotation of the same kind opening first makes the open one unbalanced."""
    out = []
    i, n = 0, len(text)
    while i < n:
        kind = _opens(text, i)
        if kind is None:
            i += 1
            continue
        j = _closing(text, i, kind)
        if j >= n:
            out.append((i + 1, n, False))
            break
        out.append((i + 1, j, True))
        i = j + 1
    return out


class _People:
    """Resolves a phrase naming someone to one of the article's canonical people: by a spelling
    the article uses, a surname, or a description from people.yml ("the secretary of state")."""

    def __init__(self, record: Record, descriptions: dict[str, str] | None = None):
        self.keys = _name_keys(record)
        self.described = {p.name: _stems((descriptions or {}).get(p.name, "")) for p in record.people}

    def resolve(self, phrase: str) -> str | None:
        return self.by_name(_key(phrase).split()) or (self.by_description(phrase) if phrase[:4].casefold() == "the "
                                                      else None)

    def by_name(self, words: list[str]) -> str | None:
        """The person the longest run of ``words`` names: "NATO Secretary-General Jens Stoltenberg"."""
        for size in range(min(len(words), 5), 0, -1):
            for start in range(len(words) - size, -1, -1):
                hit = self.keys.get(" ".join(words[start:start + size]))
                if hit:
                    return hit
        return None

    def by_description(self, phrase: str) -> str | None:
        """The one person whose people.yml description has every stem of ``phrase`` ("the secretary of state")."""
        wanted = _stems(phrase)
        fits = [name for name, stems in self.described.items() if wanted and wanted <= stems]
        return fits[0] if len(fits) == 1 else None

    def mentions(self, text: str, skip: list[tuple[int, int]]) -> list[tuple[int, str]]:
        """(offset, person) for each person named in ``text`` outside the quotations, not possessive.

        ``skip`` (the quotations' spans) is in order and does not overlap: one pointer walks it."""
        out = []
        k = 0
        for m in CAPITALISED.finditer(text):
            k = _skip_to(skip, k, m.start())
            if (k < len(skip) and skip[k][0] - 1 <= m.start()) or POSSESSIVE.search(m.group(0)):
                continue
            name = self.resolve(m.group(0))
            if name:
                out.append((m.start(), name))
        return out


def _skip_to(skip: list[tuple[int, int]], k: int, pos: int) -> int:
    """The first quotation span from ``k`` on that does not end before ``pos``."""
    while k < len(skip) and pos >= skip[k][1] + 1:
        k += 1
    return k


def _keys_of(p: PersonRef) -> Iterator[str]:
    """The keys a person is found by: each spelling the article uses, and its last word (the surname)."""
    for spelling in {p.name, *p.mentions}:
        yield _key(spelling)
        words = spelling.split()
        if len(words) > 1:
            yield _key(words[-1])


def _name_keys(record: Record) -> dict[str, str]:
    """Each spelling the article uses for a person, and each surname, that names one person only."""
    keys: dict[str, set[str]] = defaultdict(set)
    for p in record.people:
        for key in _keys_of(p):
            keys[key].add(p.name)
    return {k: next(iter(v)) for k, v in keys.items() if len(v) == 1 and k}


_STOP = {"the", "of", "and", "for", "a", "an", "in", "to", "s"}


def _stems(text: str) -> set[str]:
    """Word stems of a description: "Ukrainian president" and "President of Ukraine" share them."""
    return {w[:5] for w in _key(text).split() if w not in _STOP and not w.isdigit()}


def _key(text: str) -> str:
    return " ".join(w.casefold() for w in _WORD.findall(ascii_fold(text).replace("-", " ")))


def _attribution(text: str, start: int, end: int) -> tuple[str | None, str]:
    """The phrase naming the speaker next to the quotation ``text[start:end]``, and the rule that
    found it. Reads at most 160 characters before it and matches in place after it."""
    m = AFTER_NAME_VERB.match(text, end + 1)
    if m:
        return m.group("who"), "after the quotation"
    m = AFTER_VERB_NAME.match(text, end + 1)
    if m:
        return m.group("who"), "after the quotation"
    m = BEFORE.search(text[max(0, start - 161):max(0, start - 1)])
    if m:
        return m.group("who"), "before the quotation"
    return None, ""


@dataclass
class _Reader:
    """What reading one article's paragraphs in order carries from one quotation to the next."""

    record: Record
    people: _People
    quotes: list[Quote] = field(default_factory=list)
    # what is in ``quotes`` (a list scan made many quotations quadratic)
    found: set[tuple] = field(default_factory=set)
    last_named: str | None = None         # the last person named outside quotations: "he" refers to them
    pending: Quote | None = None          # a quotation still open at the end of a paragraph
    parts: list[str] = field(default_factory=list)   # its text, paragraph by paragraph (joined once, when finished)
    prev_para_speaker: str | None = None  # speaker of a quotation in the previous paragraph
    carried: str | None = None            # that speaker, for a quotation opening a paragraph

    def finish(self, quote: Quote) -> None:
        _finish(quote, self.quotes, self.found, self.parts)


@dataclass
class _Paragraph:
    """One paragraph being read: the people it names outside quotations, by offset."""

    index: int
    text: str
    named: list[tuple[int, str]]
    offsets: list[int]
    speaker: str | None = None                                  # the speaker of its last attributed quotation
    before: tuple[int, str | None] = (0, None)                  # end and speaker of its previous quotation


def speaker_named_nearby(r: _Reader, para: _Paragraph, start: int, end: int, upto: int) -> tuple | None:
    """'"…," Stoltenberg said' / 'He added: "…"': the attribution next to the quotation decides,
    even when it names nobody the article knows; a pronoun is the last person named."""
    phrase, how = _attribution(para.text, start, end)
    if not phrase:
        return None
    if phrase.split()[0].casefold() in PRONOUNS:
        return r.last_named, "he/she: the last person named"
    speaker = r.people.resolve(phrase)
    return speaker, f"named {how}" if speaker else ""


def speaker_of_previous_paragraph(r: _Reader, para: _Paragraph, start: int, end: int, upto: int) -> tuple | None:
    """A paragraph that is all quotation goes on with the previous paragraph's speaker."""
    if start == 1 and end >= len(para.text.rstrip()) - 1 and r.carried:
        return r.carried, "continues the previous paragraph's quotation"
    return None


def speaker_goes_on(r: _Reader, para: _Paragraph, start: int, end: int, upto: int) -> tuple | None:
    """'"…," Wróbel said. "That is not a victory…"': with nobody else named in between, the
    speaker of the paragraph's quotation before it goes on."""
    prev_end, prev_speaker = para.before
    if not prev_speaker:
        return None
    between = para.named[bisect.bisect_right(para.offsets, prev_end):upto]
    if any(name != prev_speaker for _, name in between):
        return None
    return prev_speaker, "continues the quotation before it"


# who said an unattributed quotation: the first rule that answers gives (speaker, how)
ATTRIBUTION_RULES = (speaker_named_nearby, speaker_of_previous_paragraph, speaker_goes_on)


def _attribute(r: _Reader, para: _Paragraph, quote: Quote, start: int, end: int, upto: int) -> None:
    """Set the speaker and how it was found from the first attribution rule that answers."""
    for rule in ATTRIBUTION_RULES:
        found = rule(r, para, start, end, upto)
        if found is not None:
            quote.speaker, quote.how = found
            return


def _open_quote(r: _Reader, para: _Paragraph, first: bool, start: int, end: int) -> Quote:
    """The quotation at ``para.text[start:end]``: the one still open from the previous paragraph
    when it opens this one, else a new one (the open one, if any, is finished)."""
    body = para.text[start:end].strip()
    if r.pending is not None and first and start == 1:
        r.parts.append(body)
        return r.pending
    if r.pending is not None:
        r.finish(r.pending)
    r.parts = [body]
    r.carried = r.prev_para_speaker if start == 1 else None
    return Quote(r.record.id, body, None, "", para.index)


def _read_quotation(r: _Reader, para: _Paragraph, first: bool, span: tuple[int, int, bool]) -> None:
    """Read one quotation of the paragraph: keep it open when it runs on into the next paragraph,
    else attribute it and keep it."""
    start, end, closed = span
    upto = bisect.bisect_left(para.offsets, start)      # the people named before this quotation
    if upto:
        r.last_named = para.named[upto - 1][1]
    quote = _open_quote(r, para, first, start, end)
    r.pending = None
    if not closed:
        if start == 1:          # opens the paragraph and runs on
            r.pending = quote
        return                  # an unbalanced mark inside a paragraph: not a quotation
    if quote.speaker is None:
        _attribute(r, para, quote, start, end, upto)
    if quote.speaker:
        r.last_named = para.speaker = quote.speaker
    para.before = (end, quote.speaker)
    r.finish(quote)


def _last_named_after(named: list[tuple[int, str]], after: int, default: str | None) -> str | None:
    """The last person named past offset ``after`` (the paragraph's last quotation), else ``default``."""
    return next((name for pos, name in reversed(named) if pos > after), default)


def _read_paragraph(r: _Reader, index: int, text: str) -> None:
    """Read the quotations of one paragraph in order; the people named after the last one are
    whom a pronoun in the next paragraph means."""
    spans = _spans(text)
    named = r.people.mentions(text, [(a, b) for a, b, _ in spans])
    para = _Paragraph(index, text, named, [pos for pos, _ in named])
    for k, span in enumerate(spans):
        _read_quotation(r, para, k == 0, span)
    r.last_named = _last_named_after(named, spans[-1][1] if spans else -1, r.last_named)
    r.prev_para_speaker = para.speaker if r.pending is None else None


def extract_quotes(record: Record, descriptions: dict[str, str] | None = None) -> list[Quote]:
    """Every quotation of at least MIN_WORDS words in the article, in order, with its speaker.

    ``descriptions`` (person -> description from people.yml) lets "the secretary of state said"
    name its speaker."""
    reader = _Reader(record, _People(record, descriptions))
    for index, line in enumerate(record.paragraphs):
        _read_paragraph(reader, index, line.text)
    if reader.pending is not None:
        reader.finish(reader.pending)
    return reader.quotes


def _all_quotes(records: list[Record], descriptions: dict[str, str] | None = None) -> list[Quote]:
    return [q for r in records for q in extract_quotes(r, descriptions)]


def extract_all(records: list[Record], descriptions: dict[str, str] | None = None, cache=None) -> list[Quote]:
    """``extract_quotes`` for every record, in order. ``cache`` (a ``builder.core.cache.Cache``) keeps
    each article's quotations by exactly what ``extract_quotes`` reads (the paragraphs' text, the
    article's people and their spellings, those people's descriptions, the tool's version), so a
    rebuild extracts only the articles whose inputs changed."""
    if cache is None or cache.folder is None:
        return _all_quotes(records, descriptions)
    from ..core.cache import code_version

    version = code_version("stages.quotes")
    return [q for r in records for q in _cached_quotes(r, descriptions or {}, cache, version)]


def _quotes_key(r: Record, descriptions: dict[str, str], version: str) -> str:
    """The cache key of an article's quotations: exactly what ``extract_quotes`` reads."""
    from ..core.cache import digest

    people = [[p.name, sorted(set(p.mentions))] for p in r.people]
    return digest("quotes", version, r.id, [line.text for line in r.paragraphs], people,
                  {p.name: descriptions.get(p.name) for p in r.people})


def _cached_quotes(r: Record, descriptions: dict[str, str], cache, version: str) -> list[Quote]:
    """One article's quotations from ``cache`` when its inputs are unchanged, else extracted and kept."""
    key = _quotes_key(r, descriptions, version)
    entry = cache.get(key)
    rows = entry.get("quotes") if entry else None
    if _valid_rows(rows, r):
        return [Quote(r.id, text, speaker, how, paragraph) for text, speaker, how, paragraph in rows]
    quotes = extract_quotes(r, descriptions)
    cache.put(key, {"quotes": [[q.text, q.speaker, q.how, q.paragraph] for q in quotes]})
    return quotes


def _valid_rows(rows, record: Record) -> bool:
    """Cached quotations of the shape ``extract_quotes`` makes for this article: text, a speaker
    among its people (or none), how, and the index of one of its paragraphs. The cache is data:
    a row of another shape is recomputed, never shown."""
    names = {p.name for p in record.people}
    return isinstance(rows, list) and all(_valid_row(row, names, len(record.paragraphs)) for row in rows)


def _valid_row(row, names: set[str], paragraphs: int) -> bool:
    """One cached row: [text, speaker among ``names`` or None, how, paragraph index]."""
    if not (isinstance(row, list) and len(row) == 4):
        return False
    text, speaker, how, paragraph = row
    return (isinstance(text, str) and isinstance(how, str) and (speaker is None or speaker in names)
            and type(paragraph) is int and 0 <= paragraph < paragraphs)


def _finish(quote: Quote, quotes: list[Quote], found: set[tuple], parts: list[str]) -> None:
    """Keep ``quote`` (its text joined from ``parts``) unless it is a phrase or the same quotation,
    with the same speaker, was kept already in this paragraph."""
    quote.text = " ".join(parts).strip().rstrip(",")
    key = (quote.article, quote.text, quote.speaker, quote.how, quote.paragraph)
    if len(_WORD.findall(quote.text)) >= MIN_WORDS and key not in found:
        found.add(key)
        quotes.append(quote)


# ---------------------------------------------------------------------------------------
# matching across articles
# ---------------------------------------------------------------------------------------

def words(text: str) -> list[str]:
    """Normalised words for matching: case, accents and apostrophes folded."""
    return [w.casefold().replace("’", "'") for w in _WORD.findall(ascii_fold(text).replace("-", " "))]


def same_words(a: list[str], b: list[str]) -> bool:
    """Two sentences say the same: at least MIN_SENTENCE_WORDS words in common, in order, and
    MATCH_CONTAINMENT of the shorter one."""
    from rapidfuzz.distance import LCSseq

    common = LCSseq.similarity(a, b)
    return common >= MIN_SENTENCE_WORDS and common >= MATCH_CONTAINMENT * min(len(a), len(b))


@dataclass
class _Joiner:
    """Quotations joined into utterances (union-find over quotation indexes); each group's
    root keeps the group's named speaker, so that two people's words never join."""

    quotes: list[Quote]
    sents: list[tuple[int, list[str]]]      # (quotation index, words) of every sentence long enough
    parent: list[int]
    speaker: list[str | None]

    def root(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def groups(self) -> dict[int, list[Quote]]:
        """The quotations of each group, by root, in their order."""
        out: dict[int, list[Quote]] = defaultdict(list)
        for qi, q in enumerate(self.quotes):
            out[self.root(qi)].append(q)
        return out

    def try_match(self, a: int, b: int) -> None:
        """Join the quotations of sentences ``a`` and ``b`` when they say the same words, in two
        articles, and their groups' speakers do not differ."""
        qa, qb = self.sents[a][0], self.sents[b][0]
        if self.quotes[qa].article == self.quotes[qb].article:
            return
        ra, rb = self.root(qa), self.root(qb)
        if self.may_join(ra, rb) and same_words(self.sents[a][1], self.sents[b][1]):
            keep, gone = min(ra, rb), max(ra, rb)
            self.parent[gone] = keep
            self.speaker[keep] = self.speaker[keep] or self.speaker[gone]

    def may_join(self, ra: int, rb: int) -> bool:
        """Two groups may join unless they are one already or two different people spoke them."""
        speaker = self.speaker
        return ra != rb and not (speaker[ra] and speaker[rb] and speaker[ra] != speaker[rb])


def _quote_sentences(quotes: list[Quote]) -> list[tuple[int, list[str]]]:
    """(quotation index, words) of each sentence of at least MIN_SENTENCE_WORDS words."""
    sents: list[tuple[int, list[str]]] = []
    for qi, q in enumerate(quotes):
        for s in sentences(q.text):
            w = words(s)
            if len(w) >= MIN_SENTENCE_WORDS:
                sents.append((qi, w))
    return sents


def _shingle_index(sents: list[tuple[int, list[str]]]) -> dict[tuple[str, ...], list[int]]:
    """The sentences (by index) that share each run of SHINGLE words: the candidates to compare."""
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for si, (_, w) in enumerate(sents):
        for t in {tuple(w[k:k + SHINGLE]) for k in range(len(w) - SHINGLE + 1)}:
            index[t].append(si)
    return index


def _candidate_pairs(members: list[int]) -> Iterator[tuple[int, int]]:
    """The pairs of sentences sharing a word run to compare. A run many quotations share (a famous
    line or a set phrase) is compared with the first few only: matching is transitive, so a famous
    line still joins up."""
    if len(members) <= COMMON_SHINGLE:
        return combinations(members, 2)
    return ((x, y) for y in members[REPRESENTATIVES:] for x in members[:REPRESENTATIVES])


def _join_all(joiner: _Joiner, index: dict[tuple[str, ...], list[int]]) -> None:
    """Compare the sentences that share a word run, joining the quotations that match."""
    for members in index.values():
        if len(members) >= 2:
            for x, y in _candidate_pairs(members):
                joiner.try_match(x, y)


def _utterance(members: list[Quote], order: dict[str, tuple[str, str]]) -> QuoteGroup:
    """One group's quotations, earliest article first, and the speaker most of them name."""
    members.sort(key=lambda q: (order.get(q.article, ("", q.article)), q.paragraph))
    named = Counter(q.speaker for q in members if q.speaker)
    speaker = min(named, key=lambda n: (-named[n], n)) if named else None
    first = members[0]
    return QuoteGroup(f"q-{first.article}-{first.paragraph}", speaker, members)


def _number_repeated_ids(groups: list[QuoteGroup]) -> None:
    """Several quotations of one article can start in one paragraph: ids made unique in order."""
    seen: Counter = Counter()
    for g in groups:
        seen[g.id] += 1
        if seen[g.id] > 1:
            g.id = f"{g.id}-{seen[g.id]}"


def group_quotes(records: list[Record], quotes: list[Quote] | None = None) -> list[QuoteGroup]:
    """Quotations grouped into utterances across the archive; ordered by speaker, then first article."""
    if quotes is None:
        quotes = _all_quotes(records)
    order = {r.id: (_date_key(r), r.id) for r in records}
    sents = _quote_sentences(quotes)
    joiner = _Joiner(quotes, sents, list(range(len(quotes))), [q.speaker for q in quotes])
    _join_all(joiner, _shingle_index(sents))
    out = [_utterance(members, order) for members in joiner.groups().values()]
    out.sort(key=lambda g: (order.get(g.quotes[0].article, ("", "")), g.quotes[0].paragraph, g.quotes[0].text))
    _number_repeated_ids(out)
    return out


def _date_key(record: Record) -> str:
    from ..core.dates import edtf_sort_key

    return edtf_sort_key(record.date.value)


# ---------------------------------------------------------------------------------------
# wording differences
# ---------------------------------------------------------------------------------------

EXACT_DIFF_WORDS = 1000   # two wordings this long together are compared by difflib, as always
DIFF_WORK = 10            # past that: the edit search's budget, in steps per word of the region
DIFF_WORK_FLOOR = 200     # ... plus this many per region, so a short gap is always compared exactly
ANCHOR_LEVELS = 2         # how many times a long region is split at the words found once on each side


def word_diff_html(reference: str, other: str, escape=html.escape) -> str:
    """``other`` as HTML, words missing from ``reference`` in <ins>, words of ``reference`` it
    lacks in <del>; every piece of text passed through ``escape`` (HTML escaping by default).

    Linear in the words past EXACT_DIFF_WORDS (see ``diff_opcodes``): two 1 MB quotations that
    differ in a word are compared in well under a second, where difflib took hours."""
    a, b = reference.split(), other.split()
    out = []
    for op, i1, i2, j1, j2 in diff_opcodes(_diff_keys(a), _diff_keys(b)):
        out += _diff_piece(op, a[i1:i2], b[j1:j2], escape)
    return " ".join(out)


def _diff_keys(tokens: list[str]) -> list[str]:
    """What a word is compared by: its normalised words, or itself when it has none ('—')."""
    return [" ".join(words(w)) or w for w in tokens]


def _diff_piece(op: str, old: list[str], new: list[str], escape) -> list[str]:
    """One opcode's HTML: the shared words as they are, else the deleted and the inserted ones."""
    if op == "equal":
        return [escape(" ".join(new))]
    piece = [f"<del>{escape(' '.join(old))}</del>"] if old else []
    return piece + ([f"<ins>{escape(' '.join(new))}</ins>"] if new else [])


def diff_opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib-style opcodes turning ``a`` into ``b``.

    Up to EXACT_DIFF_WORDS words together: difflib's SequenceMatcher (quadratic or worse, so only
    there). Longer: the common start and end are taken off; what is left is split at the words
    found exactly once on each side and in the same order (patience diff, ANCHOR_LEVELS deep);
    each piece is compared by Myers' edit search with a budget proportional to its length. A
    piece that would exceed its budget (two wordings with little in common) is shown as one
    deletion and one insertion: coarser, never slower."""
    if len(a) + len(b) <= EXACT_DIFF_WORDS:
        return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    ids: dict[str, int] = {}
    ia = [ids.setdefault(w, len(ids)) for w in a]
    ib = [ids.setdefault(w, len(ids)) for w in b]
    blocks: list[tuple[int, int, int]] = []
    _diff_region(ia, ib, (0, len(ia), 0, len(ib)), blocks, ANCHOR_LEVELS)
    return _opcodes(blocks, len(a), len(b))


def _common_head(a: list[int], b: list[int], alo: int, ahi: int, blo: int, bhi: int) -> int:
    """How many words ``a[alo:ahi]`` and ``b[blo:bhi]`` share at their start."""
    head = 0
    while alo + head < ahi and blo + head < bhi and a[alo + head] == b[blo + head]:
        head += 1
    return head


def _common_tail(a: list[int], b: list[int], alo: int, ahi: int, blo: int, bhi: int) -> int:
    """How many words ``a[alo:ahi]`` and ``b[blo:bhi]`` share at their end."""
    tail = 0
    while ahi - tail > alo and bhi - tail > blo and a[ahi - 1 - tail] == b[bhi - 1 - tail]:
        tail += 1
    return tail


def _diff_region(a: list[int], b: list[int], region: tuple[int, int, int, int],
                 blocks: list[tuple[int, int, int]], levels: int) -> None:
    """Append to ``blocks`` the matching runs (i, j, size) of ``a[alo:ahi]`` and ``b[blo:bhi]``, in order."""
    alo, ahi, blo, bhi = region
    head = _common_head(a, b, alo, ahi, blo, bhi)
    if head:
        blocks.append((alo, blo, head))
        alo, blo = alo + head, blo + head
    tail = _common_tail(a, b, alo, ahi, blo, bhi)
    ahi, bhi = ahi - tail, bhi - tail
    if alo < ahi and blo < bhi:
        _diff_middle(a, b, (alo, ahi, blo, bhi), blocks, levels)
    if tail:
        blocks.append((ahi, bhi, tail))


def _diff_middle(a: list[int], b: list[int], region: tuple[int, int, int, int],
                 blocks: list[tuple[int, int, int]], levels: int) -> None:
    """A region with no common start or end: split at its anchors while ``levels`` last, else
    compared by the budgeted edit search."""
    alo, ahi, blo, bhi = region
    anchors = _anchors(a, b, alo, ahi, blo, bhi) if levels else []
    if not anchors:
        budget = DIFF_WORK * (ahi - alo + bhi - blo) + DIFF_WORK_FLOOR
        blocks.extend(_myers(a[alo:ahi], b[blo:bhi], alo, blo, budget))
        return
    for i, j in anchors + [(ahi, bhi)]:
        _diff_region(a, b, (alo, i, blo, j), blocks, levels - 1)
        if i < ahi:
            blocks.append((i, j, 1))
        alo, blo = i + 1, j + 1


def _unique_pairs(a: list[int], b: list[int], alo: int, ahi: int, blo: int, bhi: int) -> list[tuple[int, int]]:
    """(i, j) of the words found exactly once in ``a[alo:ahi]`` and once in ``b[blo:bhi]``, by i."""
    count = Counter(a[alo:ahi])
    where_b: dict[int, int] = {}
    for j in range(blo, bhi):
        w = b[j]
        if count.get(w) == 1:
            where_b[w] = -1 if w in where_b else j
    return [(i, where_b[a[i]]) for i in range(alo, ahi) if where_b.get(a[i], -1) >= 0]


def _anchors(a: list[int], b: list[int], alo: int, ahi: int, blo: int, bhi: int) -> list[tuple[int, int]]:
    """(i, j) of the words found exactly once in each range, longest run in the same order on both
    sides (patience sorting: n log n)."""
    pairs = _unique_pairs(a, b, alo, ahi, blo, bhi)
    # longest increasing run of j (the i are increasing already)
    tops: list[int] = []          # smallest last j of a run of each length
    ends: list[int] = []          # index in pairs of that run's last pair
    back = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        n = bisect.bisect_left(tops, j)
        back[k] = ends[n - 1] if n else -1
        if n == len(tops):
            tops.append(j)
            ends.append(k)
        else:
            tops[n], ends[n] = j, k
    return _run_back(pairs, back, ends[-1] if ends else -1)


def _run_back(pairs: list[tuple[int, int]], back: list[int], k: int) -> list[tuple[int, int]]:
    """The run ending at pair ``k``, first pair first, following ``back``."""
    out = []
    while k >= 0:
        out.append(pairs[k])
        k = back[k]
    return out[::-1]


def _myers(a: list[int], b: list[int], alo: int, blo: int, budget: int) -> list[tuple[int, int, int]]:
    """Matching runs of a shortest edit script of ``a`` into ``b`` (Myers 1986, O((N+M)D)), offset
    by (alo, blo); [] (all replaced) when the search would take more than ``budget`` steps."""
    n, m = len(a), len(b)
    v = [0] * (2 * (n + m) + 3)
    offset = n + m + 1
    trace: list[list[int]] = []
    work = 0
    for d in range(n + m + 1):
        trace.append(v[offset - d - 1:offset + d + 2])
        steps = _myers_round(a, b, v, offset, d)
        if steps < 0:
            return _myers_path(trace, n, m, alo, blo)
        work += 2 * d + 3 + steps
        if work > budget:
            return []
    return []


def _myers_round(a: list[int], b: list[int], v: list[int], offset: int, d: int) -> int:
    """One round of the edit search (every diagonal reachable with ``d`` edits), in place in
    ``v``: the steps it took, or -1 when it reached the end of both sequences."""
    n, m = len(a), len(b)
    work = 0
    for k in range(-d, d + 1, 2):
        if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
            x = v[offset + k + 1]
        else:
            x = v[offset + k - 1] + 1
        y, start = x - k, x
        while x < n and y < m and a[x] == b[y]:
            x, y = x + 1, y + 1
        v[offset + k] = x
        work += 1 + x - start
        if x >= n and y >= m:
            return -1
    return work


def _myers_step_back(v: list[int], x: int, y: int, d: int) -> tuple[int, int]:
    """Where the path reaching (x, y) in round ``d`` came from: down from diagonal k + 1 (an
    insertion) or right from k - 1 (a deletion), as the search chose."""
    k = x - y
    if k == -d or (k != d and v[k + d] < v[k + d + 2]):
        prev_x = v[k + d + 2]
        return prev_x, prev_x - k - 1
    prev_x = v[k + d]
    return prev_x, prev_x - k + 1


def _myers_path(trace: list[list[int]], n: int, m: int, alo: int, blo: int) -> list[tuple[int, int, int]]:
    """Walk the search back from (n, m): its diagonal runs are the matches. ``trace[d][k + d + 1]``
    is the furthest x on diagonal k before round d."""
    runs: list[tuple[int, int, int]] = []
    x, y = n, m
    for d in range(len(trace) - 1, -1, -1):
        prev_x, prev_y = _myers_step_back(trace[d], x, y, d)
        snake = min(x - prev_x, y - prev_y)
        if snake > 0:
            runs.append((alo + x - snake, blo + y - snake, snake))
        x, y = prev_x, prev_y
    return runs[::-1]


def _opcodes(blocks: list[tuple[int, int, int]], na: int, nb: int) -> list[tuple[str, int, int, int, int]]:
    """Matching runs (in order, not overlapping) to difflib-style opcodes."""
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for bi, bj, size in _merged(blocks) + [[na, nb, 0]]:
        if i < bi or j < bj:
            ops.append((_gap_tag(i < bi, j < bj), i, bi, j, bj))
        if size:
            ops.append(("equal", bi, bi + size, bj, bj + size))
        i, j = bi + size, bj + size
    return ops


def _merged(blocks: list[tuple[int, int, int]]) -> list[list[int]]:
    """The matching runs with adjacent ones joined and empty ones dropped."""
    merged: list[list[int]] = []
    for i, j, size in blocks:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1][2] += size
        elif size:
            merged.append([i, j, size])
    return merged


def _gap_tag(deleted: bool, inserted: bool) -> str:
    """difflib's name for a gap between matching runs."""
    if deleted and inserted:
        return "replace"
    return "delete" if deleted else "insert"
