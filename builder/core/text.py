"""Small text helpers shared by the stages: whitespace, name keys, slugs, escaping."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

# the escape functions live in ``escape``, one per output context; these names are kept for importers
from .escape import html_text, md_inline  # noqa: F401

_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


def normalise_space(text: str) -> str:
    """NFC, no zero-width characters, single spaces, trimmed."""
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text)
    return _SPACE.sub(" ", text).strip()


# C0 and C1 control characters but tab, line feed, carriage return and NEL (line breaks are
# handled apart): NUL, ESC, BEL and the like are never text, in a file or a front-matter value
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_C0_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def drop_controls(text: str, c1: bool = True) -> str:
    """``text`` without control characters (tab and line breaks kept); ``c1=False`` keeps the C1
    range, which a legacy-encoded article's text may hold (reported by the encoding's warning)."""
    return (_CONTROLS if c1 else _C0_CONTROLS).sub("", text)


def has_line_break(text: str) -> bool:
    return bool(_LINE_BREAKS.search(text))


def one_line(text: str) -> str:
    """A one-line field's value: no control characters, line breaks joined with a space,
    whitespace normalised (``normalise_space``)."""
    return normalise_space(_LINE_BREAKS.sub(" ", drop_controls(text)).replace("\t", " "))


def drop_invisible(text: str) -> str:
    """``text`` without format characters (category Cf): zero-width spaces and joiners, soft
    hyphens, the direction marks and overrides (RLO) and isolates."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


@functools.lru_cache(maxsize=1 << 16)
def normalise_name(text: str) -> str:
    """The one spelling under which a person, tag or source name is keyed and shown: NFKC
    (compatibility forms such as full-width letters or ligatures folded), no invisible or
    direction-changing characters, one line, single spaces. 'Jens\u200b  Stoltenberg' and
    'Jens Stoltenberg' are the same name. Remembered per spelling: the same few thousand names
    are keyed again for every article that writes them (a character-by-character pass each)."""
    return one_line(drop_invisible(unicodedata.normalize("NFKC", text)))


def name_fold(text: str) -> str:
    """The key two spellings of one name share when they differ only in case or invisibles."""
    return normalise_name(text).casefold()


_FOLD = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "ß": "ss", "Æ": "AE",
                       "æ": "ae", "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th", "ð": "d", "ı": "i", "Ħ": "H",
                       "ħ": "h", "’": "'", "‘": "'", "ʼ": "'"})


def ascii_fold(text: str) -> str:
    """Strip accents: 'Hélène' -> 'Helene', 'Łukasz Wróbel' -> 'Lukasz Wrobel'. ASCII text is
    its own fold (nothing to translate, decompose or drop): most English text, returned as is."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text.translate(_FOLD)) if not unicodedata.combining(c))


# Transliteration variants of East-Slavic names across outlets, applied per word.
# Conservative: each rule maps spellings that outlets really alternate between.
_TRANSLIT = [
    (re.compile(r"(?:yy|iy|yi|ij|ii|yj)$"), "y"),   # Zelenskyy/Zelenskiy/Zelenskyi -> zelensky ; Oleksii -> oleksy
    (re.compile(r"ei$"), "ey"),                      # Sergei -> sergey
    (re.compile(r"(?<=[bcdfghklmnprstvz])i$"), "y"),  # Dmitri -> dmitry, Yuri -> yury
    (re.compile(r"ia"), "ya"),                       # Podoliak -> podolyak
    (re.compile(r"iu"), "yu"),                       # Iuliia -> yuliya
    (re.compile(r"^ju|^iu"), "yu"),
    (re.compile(r"^ja|^ia"), "ya"),                  # Jaroslav -> yaroslav
    (re.compile(r"aj"), "ay"),
    (re.compile(r"ks"), "x"),                        # Aleksandr/Alexander handled partly
    (re.compile(r"ck"), "k"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"([a-z])\1"), r"\1"),               # doubled letters
]


@functools.lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """A spelling-insensitive key for one name word."""
    w = ascii_fold(word).casefold()
    w = re.sub(r"[^a-z]", "", w)
    for rx, rep in _TRANSLIT:
        w = rx.sub(rep, w)
    return w


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A key under which spelling variants of one person's name coincide."""
    # hyphens separate words: Okonkwo-Adeyemi = Okonkwo Adeyemi, Al-Haddad = al Haddad
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", name)
    return " ".join(word_key(w) for w in words if w)


def slugify(text: str) -> str:
    """A stable, ASCII, URL-safe slug: 'Jens Stoltenberg' -> 'jens-stoltenberg'."""
    s = ascii_fold(text).casefold()
    s = re.sub(r"[’'`]", "", s)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "x"


def transliterated_slug(text: str) -> str:
    """Like ``slugify`` but any script is spelled in Latin letters ('Зеленський' -> 'zelenskyi')
    instead of being dropped: a name in Cyrillic, Greek or CJK still gets a readable slug."""
    from anyascii import anyascii

    return slugify(anyascii(ascii_fold(text)))


def stable_suffix(text: str) -> str:
    """Six hex digits derived from the text alone: the same name always gets the same suffix."""
    import hashlib

    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:6]


def suggest(word: str, choices) -> str:
    """' (did you mean 'x'?)' for a near miss among ``choices``, else ''."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences (good enough for ledes and titles)."""
    parts = re.split(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘'A-Z0-9])", text)
    return [p.strip() for p in parts if p.strip()]


def cut_at_word(text: str, limit: int) -> str:
    """Shorten to at most ``limit`` characters at a word boundary, marking the cut with '…'."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:—–-") + "…"
