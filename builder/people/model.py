"""One decision per name, from all of the archive's evidence about it.

Whether an unregistered name gets a person page is decided once for the whole archive, by a
logistic regression over features measured across every article that writes the name: the
share of those articles the model tags it PERSON, follows it with "said" or a person's pronoun,
puts a title or "the" before it, calls it a company or a work, and so on, the words written
beside it (each weighed from the labelled names: "in" and "at" before places, "leader" before
people), with the shape of the name itself (a known given name first, a gazetteer place). A
context met in a minority of the articles lowers the score in proportion to its share; no
single article removes a name that most of its articles use as a person's. The coefficients are data
(``builder/data/person-model.json``), fitted by ``benchmarks/people_model.py`` on labelled
names of several corpora; applying them needs no library. Two steps come first
(``DECISION_STEPS``), each on the name itself or on most of its articles, never on one: a name
whose own words are a place's, a firm's or a phrase's, and a name most articles write after "the".
"""

from __future__ import annotations

import functools
import json
import math
from importlib import resources

from . import decide as D
from .evidence import NameStats, _keys
from .words import given_names, known_surnames, parsed_as_corporation

MODEL_FILE = "person-model.json"

# context cues of name_cues, each measured as the share of the articles that write the name
SHARE_CUES = ("poss", "the", "said", "plural", "he", "it", "title", "inside", "who", "modifier",
              "surname later", "firm name", "listed with things", "listed with people",
              "label person", "label org", "label place", "label group")

# the name's own shape: what the word lists and gazetteers say about it, whatever its contexts
SHAPE_TESTS = {
    "a gazetteer place": D.is_a_place_name,
    "first word ordinary, no given name": D.starts_with_ordinary_word,
    "no given name, last word ordinary": D.no_given_name_and_an_ordinary_last_word,
    "only ordinary words": D.only_ordinary_words,
    "first word a place": D.starts_with_a_place,
    "ends in an ordinary plural": D.named_in_the_plural,
    "first word an organisation": D.starts_with_an_organisation,
    "last word a place, no name": D.ends_with_a_place,
}

# the words written right before and after a name ("in Tal Afar", "leader Paul Ryan", "Sara Lee
# Corp"), each weighed by how much more often it stands beside people's names than others' in
# the labelled names of the fit (the model file's ``context_words``: a log odds ratio, clipped)
CONTEXT_FEATURES = ("context words: mean weight", "context words: lowest weight")
CONTEXT_WEIGHT_LIMIT = 3.0
CONTEXT_PRIOR_ARTICLES = 1.0


def _cue(s: NameStats, keys: set[str], cue: str) -> int:
    return max((s.cues[(k, cue)] for k in keys), default=0)


def context_words(s: NameStats, words) -> dict[str, int]:
    """{"before W" / "after W": articles} for each of ``words`` the archive writes right before or
    after the name (read by key: the archive's counters are shared by every name)."""
    keys = _keys(s)
    found = {w: max((s.cues[(k, w)] for k in keys), default=0) for w in words}
    return {w: n for w, n in found.items() if n}


def context_word_features(s: NameStats, weights: dict[str, float]) -> dict[str, float]:
    """The mean weight of the words beside the name over its articles, drawn towards the usual
    weight of a name (``weights``' "" entry) as if that were written ``CONTEXT_PRIOR_ARTICLES``
    times more: one article's "of" before a name written once moves it part of the way, and a
    name with no such word has the usual weight (a name written nowhere else is no evidence)."""
    prior = weights.get("", 0.0)
    found = [(max(-CONTEXT_WEIGHT_LIMIT, min(CONTEXT_WEIGHT_LIMIT, weights[w])), n)
             for w, n in context_words(s, [w for w in weights if w]).items()]
    total = sum(n for _, n in found)
    mean = (sum(v * n for v, n in found) + CONTEXT_PRIOR_ARTICLES * prior) / (total + CONTEXT_PRIOR_ARTICLES)
    return dict(zip(CONTEXT_FEATURES, (mean, min([prior, *(v for v, _ in found)]))))


def decision_features(s: NameStats, weights: dict[str, float] | None = None) -> dict[str, float]:
    """The numbers the model weighs: shares over the articles that write the name (never a bare
    count of contrary articles), the number of those articles, the words beside it (weighed by
    ``weights``, the model's ``context_words``), and the name's shape."""
    keys = _keys(s)
    seen = max(_cue(s, keys, "seen"), s.articles, 1)
    words = s.name.split()
    first, last = words[0].casefold().rstrip("."), words[-1].casefold()
    other = max((s.other_labels[k] for k in keys), default=0)
    f = {
        "log articles as a person": math.log1p(s.articles),
        "log articles writing it": math.log1p(seen),
        "person share": min(s.articles / seen, 1.0),
        "titled anywhere": float(s.titled),
        "given name first": float(first in given_names()),
        "initial first": float(len(first) == 1),
        "known surname last": float(last in known_surnames()),
        "read as a corporation": float(parsed_as_corporation(s.name)),
        "first word lower case (log articles)": math.log1p(s.lower_words[first]),
        "last word lower case (log articles)": math.log1p(s.lower_words[last]),
        "words": float(min(len(words), 5)),
        "tagged org or place share": other / (other + s.articles) if other + s.articles else 0.0,
        "company or work share": min(max((s.thing_context[k] for k in keys), default=0) / seen, 1.0),
    }
    # over every article that writes it capitalised, whatever the model made of it there: a firm
    # ("Kidder Peabody") is written far more often than it is taken for a person
    written = max(max((s.runs[k] for k in keys), default=0), s.articles, 1)
    f["person share of the articles writing it"] = min(s.articles / written, 1.0)
    f["'the' share of the articles writing it"] = min(max((s.the_runs[k] for k in keys), default=0) / written, 1.0)
    f["log articles writing it capitalised"] = math.log1p(written)
    for cue in SHARE_CUES:
        f[f"{cue} share"] = min(_cue(s, keys, cue) / seen, 1.0)
    for label, test in SHAPE_TESTS.items():
        f[label] = float(test(s) is not None)
    f.update(context_word_features(s, weights or {}))
    return f


@functools.lru_cache(maxsize=1)
def person_model() -> dict | None:
    """The fitted coefficients, or None when the file is absent (every name is then kept)."""
    try:
        text = resources.files("builder").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    return json.loads(text)


def contributions(s: NameStats, model: dict) -> list[tuple[float, str]]:
    """Each feature's part of the score (coefficient times the standardised value), most negative first."""
    f = decision_features(s, model.get("context_words", {}))
    parts = [(coef * (f[name] - mean) / scale, name)
             for name, mean, scale, coef in zip(model["features"], model["mean"], model["scale"], model["coef"])]
    return sorted(parts)


def _probability(parts: list[tuple[float, str]], model: dict) -> float:
    return 1.0 / (1.0 + math.exp(-(model["intercept"] + sum(c for c, _ in parts))))


def person_probability(s: NameStats, model: dict) -> float:
    return _probability(contributions(s, model), model)


def why_not(s: NameStats, model: dict) -> str | None:
    """None for a person; else the reason, naming the evidence that weighed most against it."""
    parts = contributions(s, model)
    p = _probability(parts, model)
    if p >= model["threshold"]:
        return None
    against = [name for c, name in parts if c < 0][:3]
    return f"the archive's evidence makes it unlikely to be a person (p = {p:.2f}; most against: {', '.join(against)})"


# shapes of a name that, where no title ever stood before it, are seldom a person's: on the
# labelled corpora they fit 20 people and 339 other names (benchmarks/README.md); the model alone
# turns most of those down too (left out, the last one moves BBC's figures by 0.001)
SHAPE_VETOES = ("a gazetteer place", "first word a place", "ends in an ordinary plural",
                "first word an organisation", "only ordinary words", "first word ordinary, no given name")


def _by_its_shape(s: NameStats) -> str | None:
    """A name never titled whose own words say it is a place, a firm or an ordinary phrase."""
    if s.titled:
        return None
    found = next((reason for label in SHAPE_VETOES if (reason := SHAPE_TESTS[label](s))), None)
    return found or D.only_common_words(s)


def _mostly_after_the(s: NameStats) -> str | None:
    """"the Bee Gees", "the Dalai Lama": most of the articles that write it (two at least) put
    "the" before it, and no title ever did. Most of its evidence, never one article's."""
    keys = _keys(s)
    seen, the = max(_cue(s, keys, "seen"), s.articles), _cue(s, keys, "the")
    if s.titled or seen < 2 or 2 * the <= seen:
        return None
    return f"{the} of the {seen} articles that write it put 'the' before it"


DECISION_STEPS = (_by_its_shape, _mostly_after_the)


def archive_rejections(stats: list[NameStats]) -> dict[str, str]:
    """{name: why it is not a person} for every unregistered name turned down: by its own shape
    or by most of its articles, then by the model's weighing of all of its evidence."""
    model = person_model()
    out = {}
    for s in stats:
        reason = next((r for step in DECISION_STEPS if (r := step(s))), None)
        if reason is None and model is not None:
            reason = why_not(s, model)
        if reason:
            out[s.name] = reason
    return out
