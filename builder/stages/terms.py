"""The stories' TF-IDF matrix: each article's words and word pairs counted once per text and
kept between builds in ``.cache/stories/``, so adding one article counts one article's words.

The matrix is the one scikit-learn's ``TfidfVectorizer(stop_words="english", sublinear_tf=True,
ngram_range=(1, 2), token_pattern=TOKEN)`` makes: the same words, the same columns (terms in
code point order), the same tf (1 + log count), idf (1 + log((n + 1) / (df + 1))) and
products, each row divided by its L2 norm. The one difference: a row's norm adds up its
squares in column order, where scikit-learn adds them in the order the terms first occur in
the corpus; that makes a row's weights depend on that row alone, so a build that reuses
counts and a cold build agree to the last bit. Only numpy and scipy are needed (importing
scikit-learn took longer than the whole matrix).

The kept state is data, never code: one ``.npz`` file (read without pickle) holding each
counted text's SHA-256, its term columns and counts, and the terms; anything unreadable or of
another version is ignored and the counts are made again.
"""

from __future__ import annotations

import bisect
from collections import Counter
import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path

# the token pattern of ``stories.find_links`` and scikit-learn's English stop words (a test
# checks that they are scikit-learn's list)
TOKEN = re.compile(r"(?u)\b[^\W\d_][\w'’-]+\b")
STOP_WORDS = frozenset((
    "a about above across after afterwards again against all almost alone along already also although "
    "always am among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere "
    "are around as at back be became because become becomes becoming been before beforehand behind being "
    "below beside besides between beyond bill both bottom but by call can cannot cant co con could "
    "couldnt cry de describe detail do done down due during each eg eight either eleven else elsewhere "
    "empty enough etc even ever every everyone everything everywhere except few fifteen fifty fill find "
    "fire first five for former formerly forty found four from front full further get give go had has "
    "hasnt have he hence her here hereafter hereby herein hereupon hers herself him himself his how "
    "however hundred i ie if in inc indeed interest into is it its itself keep last latter latterly least "
    "less ltd made many may me meanwhile might mill mine more moreover most mostly move much must my "
    "myself name namely neither never nevertheless next nine no nobody none noone nor not nothing now "
    "nowhere of off often on once one only onto or other others otherwise our ours ourselves out over own "
    "part per perhaps please put rather re same see seem seemed seeming seems serious several she should "
    "show side since sincere six sixty so some somehow someone something sometime sometimes somewhere "
    "still such system take ten than that the their them themselves then thence there thereafter thereby "
    "therefore therein thereupon these they thick thin third this those though three through throughout "
    "thru thus to together too top toward towards twelve twenty two un under until up upon us very via "
    "was we well were what whatever when whence whenever where whereafter whereas whereby wherein "
    "whereupon wherever whether which while whither who whoever whole whom whose why will with within "
    "without would yet you your yours yourself yourselves ").split())

STATE_FILE = "terms.npz"
STATE_LAYOUT = 1     # the fields of the state file; part of its version


def analyse(text: str) -> list[str]:
    """The terms of a text as ``TfidfVectorizer`` reads them: lower case, tokens, stop words out,
    then every word followed by every pair of neighbouring words."""
    tokens = [t for t in TOKEN.findall(text.lower()) if t not in STOP_WORDS]
    return tokens + [" ".join(tokens[i:i + 2]) for i in range(len(tokens) - 1)]


def counts(text: str) -> dict[str, int]:
    """{term: how often the text uses it}."""
    return Counter(analyse(text))


def version() -> str:
    """What the kept counts depend on: this module's code and the state's layout."""
    return f"{STATE_LAYOUT}:{hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]}"


class Counts:
    """Term counts of a list of texts as the parts of a CSR matrix: row i is text i, columns
    are the terms of ``vocab`` (code point order), each row's columns ascending."""

    def __init__(self, digests: list[bytes], indptr, indices, counts, vocab: list[str]) -> None:
        self.digests, self.indptr, self.indices, self.counts, self.vocab = digests, indptr, indices, counts, vocab


def tfidf_matrix(texts: list[str], cache=None):
    """The texts' TF-IDF matrix (scipy CSR, rows L2-normalised, see the module's docstring), or
    None when they hold no term at all. ``cache`` (``core.cache.Cache``) keeps the counts: only
    texts it has not counted are read."""
    folder = cache.sibling("stories").folder if cache is not None else None
    old = _load(folder) if folder is not None else None
    digests = [hashlib.sha256(t.encode("utf-8", "surrogatepass")).digest() for t in texts]
    new, changed = _counted(texts, digests, old)
    if folder is not None and changed and not cache.read_only:
        _save(folder, new)
    return _weighted(new) if new.vocab else None


def _counted(texts: list[str], digests: list[bytes], old: Counts | None) -> tuple[Counts, bool]:
    """The counts of ``texts``: a kept row for each text ``old`` counted, the others counted now;
    and whether anything differs from ``old``."""
    import numpy as np

    old = old or Counts([], np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32), [])
    row_of = {d: i for i, d in enumerate(old.digests)}
    fresh = {d: counts(t) for t, d in zip(texts, digests) if d not in row_of}
    reused = np.zeros(len(old.digests), bool)
    reused[np.array([row_of[d] for d in digests if d in row_of], np.intp)] = True
    used = np.zeros(len(old.vocab), bool)
    used[old.indices[np.repeat(reused, np.diff(old.indptr))]] = True
    known, new_terms = _split_terms(fresh, old.vocab, used)
    mapping, new_cols, vocab = _merged_columns(old.vocab, used, new_terms)
    col_of = {t: int(mapping[c]) for t, c in known.items()} | new_cols
    rows_i, rows_c = [], []
    for d in digests:
        if d in row_of:
            lo, hi = old.indptr[row_of[d]], old.indptr[row_of[d] + 1]
            rows_i.append(mapping[old.indices[lo:hi]])
            rows_c.append(old.counts[lo:hi])
        else:
            cols = np.fromiter(map(col_of.__getitem__, fresh[d]), np.int64, len(fresh[d]))
            order = np.argsort(cols)
            rows_i.append(cols[order])
            rows_c.append(np.fromiter(fresh[d].values(), np.int64, len(fresh[d]))[order])
    indptr = np.concatenate(([0], np.cumsum([len(r) for r in rows_i], dtype=np.int64)))
    indices = np.concatenate(rows_i).astype(np.int32) if rows_i else np.zeros(0, np.int32)
    values = np.concatenate(rows_c).astype(np.int32) if rows_c else np.zeros(0, np.int32)
    changed = bool(fresh) or digests != old.digests or vocab is not old.vocab
    return Counts(digests, indptr, indices, values, vocab), changed


def _split_terms(fresh: dict[bytes, dict[str, int]], vocab: list[str], used) -> tuple[dict[str, int], list[str]]:
    """The newly counted texts' terms: {term: its column in ``vocab``} for those it holds (marked
    in ``used``), and the others, in order."""
    known: dict[str, int] = {}
    new: set[str] = set()
    for term in {t for c in fresh.values() for t in c}:
        at = bisect.bisect_left(vocab, term)
        if at < len(vocab) and vocab[at] == term:
            known[term] = at
            used[at] = True
        else:
            new.add(term)
    return known, sorted(new)


def _merged_columns(vocab: list[str], used, new_terms: list[str]):
    """(old column -> new column, {new term: its column}, the new terms list): the old terms still
    used and the new ones, in code point order."""
    import numpy as np

    before = np.concatenate(([0], np.cumsum(used)))            # kept old terms before each old column
    at = np.array([bisect.bisect_left(vocab, t) for t in new_terms], np.int64)
    mapping = before[:-1] + np.searchsorted(at, np.arange(len(vocab)), side="right")
    new_cols = {t: int(before[a]) + k for k, (t, a) in enumerate(zip(new_terms, at.tolist()))}
    if not new_terms and used.all():
        return mapping, new_cols, vocab
    kept = vocab if used.all() else [vocab[i] for i in np.flatnonzero(used).tolist()]
    merged: list[str] = []
    prev = 0
    for t, a in zip(new_terms, at.tolist()):
        p = int(before[a])
        merged += kept[prev:p]
        merged.append(t)
        prev = p
    merged += kept[prev:]
    return mapping, new_cols, merged


def _weighted(c: Counts):
    """TF-IDF weights of the counts, each row divided by its L2 norm (squares added in column order)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    n = len(c.digests)
    data = c.counts.astype(np.float64)
    np.log(data, out=data)
    data += 1.0
    df = np.bincount(c.indices, minlength=len(c.vocab)).astype(np.float64)
    df += 1.0
    idf = np.full_like(df, fill_value=n + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    data *= idf[c.indices]
    norms = _row_norms(data, c.indptr)
    lengths = np.diff(c.indptr)
    norms[norms == 0.0] = 1.0          # an empty row stays empty
    data /= np.repeat(norms, lengths)
    matrix = csr_matrix((data, c.indices, c.indptr), shape=(n, len(c.vocab)))
    matrix.has_sorted_indices = True
    return matrix


def _row_norms(data, indptr):
    """The L2 norm of each row, its squares added one after another in column order (as
    scikit-learn's normalisation adds them), all rows at once, one column position at a time."""
    import numpy as np

    squares = data * data
    lengths = np.diff(indptr)
    order = np.argsort(-lengths, kind="stable")
    longest = -np.sort(-lengths)
    starts = indptr[:-1][order]
    sums = np.zeros(len(lengths))
    for p in range(int(longest[0]) if len(longest) else 0):
        k = int(np.searchsorted(-longest, -p, side="left"))     # rows longer than p
        sums[order[:k]] += squares[starts[:k] + p]
    return np.sqrt(sums)


def _save(folder: Path, c: Counts) -> None:
    """Keep the counts in ``folder`` atomically (a temporary file renamed into place); a folder
    that cannot be written is skipped."""
    import numpy as np

    text = "\n".join(c.vocab).encode("utf-8", "surrogatepass")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".terms-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(handle, version=np.array(version()), digests=np.frombuffer(b"".join(c.digests), np.uint8),
                         indptr=c.indptr, indices=c.indices, counts=c.counts, terms=np.array(len(c.vocab)),
                         vocab=np.frombuffer(text, np.uint8))
            os.replace(tmp, folder / STATE_FILE)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        pass


def _load(folder: Path) -> Counts | None:
    """The kept counts, or None when there are none, they are of another version, or they do not
    hold together (the cache is data: anything odd is ignored and counted again)."""
    import numpy as np

    try:
        with np.load(folder / STATE_FILE, allow_pickle=False) as z:
            if str(z["version"]) != version():
                return None
            raw = z["digests"].tobytes()
            text = z["vocab"].tobytes().decode("utf-8", "surrogatepass")
            vocab = text.split("\n") if int(z["terms"]) else []
            c = Counts([raw[i:i + 32] for i in range(0, len(raw), 32)], z["indptr"].astype(np.int64),
                       z["indices"].astype(np.int32), z["counts"].astype(np.int32), vocab)
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, EOFError):
        return None
    return c if _consistent(c) else None


def _consistent(c: Counts) -> bool:
    """The kept parts make a matrix: whole digests, rows in bounds with ascending columns inside
    the terms, positive counts, terms in order and distinct."""
    import numpy as np

    n, ptr = len(c.digests), c.indptr
    if any(len(d) != 32 for d in c.digests) or len(ptr) != n + 1:
        return False
    if ptr[0] != 0 or ptr[-1] != len(c.indices) or len(c.counts) != len(c.indices) or (np.diff(ptr) < 0).any():
        return False
    if len(c.indices) and (c.indices.min() < 0 or c.indices.max() >= len(c.vocab) or c.counts.min() < 1):
        return False
    steps = np.diff(c.indices)
    row_starts = np.zeros(len(c.indices), bool)
    row_starts[ptr[:-1][ptr[:-1] < len(c.indices)]] = True
    if (steps <= 0)[~row_starts[1:]].any():
        return False
    return all(a < b for a, b in zip(c.vocab, c.vocab[1:]))
