"""One name across the archive: rules that need every article, and the learned second opinion.

Each rule takes a name's ``NameStats`` and returns why it is no person's name, or None;
``archive_rejections`` tries them in order (``STRONG_ARCHIVE_RULES``, then ``ARCHIVE_RULES`` for
names no title ever preceded, then ``LEARNED_RULES``) and the first reason wins.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from ..text import ascii_fold
from .evidence import NameStats, _keys, classifier_features
from .spans import entity_key
from .words import (COMPASS_WORDS, DEMONYMS, PLACE_NAMES, PLACE_WORDS, REGION_NAMES, given_names,
                    known_surnames)


def starts_with_ordinary_word(s: NameStats) -> str | None:
    """"Black Sabbath", "Ask Jeeves", "Strong Medicine", "Trap Door": the first word is one the
    archive writes in lower case and no known given name."""
    first = s.name.split()[0]
    folded = first.casefold()
    if folded in given_names() or s.lower_words[folded] < 2 or len(s.name.split()) < 2:
        return None
    return f"'{first}' is an ordinary word in this archive, not a known given name"


def named_as_organisation_or_place(s: NameStats) -> str | None:
    """"Walt Disney", "Buenos Aires": more articles tag the name an organisation or a place than a person."""
    other = max(s.other_labels[entity_key(sp)] for sp in s.spellings)
    if other > s.articles:
        return f"{other} articles name it as an organisation or a place, {s.articles} as a person"
    return None


def _spelling_is_a_place(s: NameStats, sp: str) -> str | None:
    folded = ascii_fold(sp).casefold()
    # "New York State", "Mexico City": a place with the kind of place after it
    bare = re.sub(r"\s+(?:state|city|county|province)$", "", folded)
    if bare != folded and (bare in PLACE_NAMES or bare in PLACE_WORDS):
        return f"'{sp}' is a place (GeoNames)"
    tagged_or_untitled = not s.titled or s.other_labels[entity_key(sp)]
    if folded in PLACE_NAMES and tagged_or_untitled:
        return f"'{sp}' is a place (GeoNames)"
    if folded in REGION_NAMES and tagged_or_untitled:
        return f"'{sp}' is a division of a country (ISO 3166-2)"
    if all(w in COMPASS_WORDS for w in folded.split()):
        return f"'{sp}' names a region"
    if len(folded.split()) > 1 and all(w in COMPASS_WORDS or w in DEMONYMS for w in folded.split()):
        return f"'{sp}' names the people of a region"      # "North American", "South Korean"
    return None


def is_a_place_name(s: NameStats) -> str | None:
    """"Milton Keynes", "Porto Alegre", "Tamil Nadu", "North East": a city, country, state or
    province of the gazetteers (builder/data/place-names.txt and town-names.txt from GeoNames,
    region-names.txt from ISO 3166-2), or only compass words."""
    return next((r for r in (_spelling_is_a_place(s, sp) for sp in s.spellings) if r), None)


def written_with_the(s: NameStats) -> str | None:
    """"the Bee Gees", "The Wright Stuff", "the North East": a person's name seldom follows "the";
    turned down when at least two articles, and half of those writing the name, put it there."""
    for key in _keys(s):
        if s.the_runs[key] >= 2 and 2 * s.the_runs[key] >= s.runs[key]:
            return f"{s.the_runs[key]} of {s.runs[key]} articles write 'the' before it"
    return None


def called_a_company_or_work(s: NameStats) -> str | None:
    """"companies Adhi Karya and Semen Gresik", "films such as ..., Billy Elliot": the name is a
    company, a band or a work when as many articles call it one as take it for a person, or when
    one article does and its first word is no known given name ("the law firm Tods Murray")."""
    n = max(s.thing_context[k] for k in _keys(s))
    if n and (n >= s.articles or s.name.split()[0].casefold() not in given_names()):
        return f"{n} article(s) name it as a company, a group or a work"
    return None


ORDINARY_WORD_ARTICLES = 20


def no_given_name_and_an_ordinary_last_word(s: NameStats) -> str | None:
    """"Nomad Digital", "Xbox Live", "Wright Stuff": the first word is no known given name (nor an
    initial) and the last is a word the archive writes in lower case in many articles."""
    words = s.name.split()
    first, last = words[0].casefold().rstrip("."), words[-1].casefold()
    if len(words) < 2 or len(first) < 2 or first in given_names() or s.lower_words[last] < ORDINARY_WORD_ARTICLES:
        return None
    return f"'{words[0]}' is no known given name and '{words[-1]}' an ordinary word in this archive"


def starts_a_firms_name(s: NameStats) -> str | None:
    """"Paine Webber", "Hal Roach", "Marine Midland": every article that writes the name goes on
    into a firm's name ("Paine Webber Group Inc", "Hal Roach Studios Inc"); a person the firm is
    named after is written alone somewhere ("the late Conrad Hilton")."""
    keys = _keys(s)
    seen = sum(s.cues[(k, "seen")] for k in keys)
    firm = sum(s.cues[(k, "firm name")] for k in keys)
    if seen and firm >= seen:
        return "every article that names it goes on into a firm's name"
    return None


def starts_with_a_place(s: NameStats) -> str | None:
    """"Baghdad Blogger", "Leeds Rhinos", "Lesotho Hats": the first word is a country, a US state or
    a city of 200,000 people (builder/data/place-words.txt, from GeoNames) and no known given name."""
    first = s.name.split()[0].casefold()
    if first in PLACE_WORDS and first not in given_names():
        return f"'{s.name.split()[0]}' is a place, not a known given name"
    return None


def starts_with_an_organisation(s: NameStats) -> str | None:
    """"Facebook Messenger", "Google Maps", "Senedd Cymru": the first word alone is what the
    model tags an organisation or a place in several articles (more than name the whole as a
    person), and is no known given name or surname ("Jordan Henderson", "Park Ji-sung")."""
    words = s.name.split()
    first = words[0].casefold()
    if len(words) < 2 or first in given_names() or first in known_surnames():
        return None
    n = s.other_labels[entity_key(words[0])]
    if n >= 3 and n > s.articles:
        return f"'{words[0]}' alone is named as an organisation or a place in {n} articles"
    return None


def only_ordinary_words(s: NameStats) -> str | None:
    """"Young People", "Big Brother", "Migration Watch": every word is one the archive writes in
    lower case in several articles, and none is a known given name."""
    words = s.name.split()
    if all(s.lower_words[w.casefold()] >= 5 and w.casefold() not in given_names() for w in words):
        return "every word is an ordinary word in this archive"
    return None


def named_in_the_plural(s: NameStats) -> str | None:
    """"Guildford Flames", "Wulfrun Halls", "Ryder Cups": a team's, a venue's or an event's name
    ends in a plural the archive writes in lower case, which is no known surname ("Woods") or
    given name; a person so named would somewhere be followed by "said" or a person's pronoun.
    Never after a known given name ("Barry Bonds", "Peter Sellers", "Meryl Halls")."""
    words = s.name.split()
    last = words[-1].casefold()
    if (len(words) < 2 or not last.endswith("s") or last.endswith(("ss", "us", "is", "'s", "’s"))
            or last in known_surnames() or last in given_names() or not s.lower_words[last]
            or words[0].casefold().rstrip(".") in given_names()):     # "Barry Bonds", "Meryl Halls"
        return None
    if any(s.cues[(k, cue)] for k in _keys(s) for cue in ("said", "he")):
        return None
    return f"'{words[-1]}' is a plural of an ordinary word, as in a team's or a group's name"


@functools.lru_cache(maxsize=1)
def person_classifier() -> dict | None:
    """The coefficients in builder/data/person-classifier.json (benchmarks/people_classifier.py
    writes them), or None when the file is absent or switched off."""
    import json

    try:
        text = resources.files("builder").joinpath("data", "person-classifier.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    model = json.loads(text)
    return model if model.get("enabled", True) else None


def person_probability(s: NameStats, model: dict) -> float:
    """The classifier's probability that the name is a person's."""
    import math

    f = classifier_features(s, tuple(model.get("words_around", ())))
    z = model["intercept"]
    for name, mean, scale, coef in zip(model["features"], model["mean"], model["scale"], model["coef"]):
        z += coef * (f[name] - mean) / scale
    return 1.0 / (1.0 + math.exp(-z))


def judged_not_a_person(s: NameStats) -> str | None:
    """The learned second opinion: the archive's evidence about the name, weighed by logistic
    regression trained on hand-labelled names, says it is very unlikely to be a person's."""
    model = person_classifier()
    if model is None:
        return None
    p = person_probability(s, model)
    if p < model["threshold"]:
        return f"the evidence of the archive makes it unlikely to be a person (p = {p:.2f})"
    return None


# tried in order on every unregistered name; the first reason wins. The first ones are strong
# enough to overrule a title before the name (a span the model took for "the studio X, who");
# the others apply only to names no title ever preceded
STRONG_ARCHIVE_RULES = (is_a_place_name, written_with_the, called_a_company_or_work, only_ordinary_words)
ARCHIVE_RULES = (starts_with_ordinary_word, named_as_organisation_or_place,
                 no_given_name_and_an_ordinary_last_word, starts_with_a_place, starts_a_firms_name,
                 named_in_the_plural, starts_with_an_organisation)
# the last opinion, on every name the rules keep (titled or not): the classifier
LEARNED_RULES = (judged_not_a_person,)


def archive_rejections(stats: list[NameStats]) -> dict[str, str]:
    """{name: why it is not a person} for the names the archive-wide rules turn down."""
    out = {}
    for s in stats:
        for rule in STRONG_ARCHIVE_RULES + (() if s.titled else ARCHIVE_RULES) + LEARNED_RULES:
            reason = rule(s)
            if reason:
                out[s.name] = reason
                break
    return out
