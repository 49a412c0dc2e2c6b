"""The stories' TF-IDF matrix: scikit-learn's, made without it, and its word counts kept between
builds so that adding or changing one article counts one article's words, never stale ones."""

from __future__ import annotations

import random

import numpy as np
import pytest

from builder.core.cache import Cache
from builder.stages import stories as S
from builder.stages import terms as T

WORDS = ("minister talks resume harbour strike union wages council budget vote river flood "
         "bridge mayor police court ruling appeal factory closure jobs election ballot").split()


def texts(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60))) + f" Case-{k} Officer’s. said"
            for k in range(n)]


def same(a, b) -> bool:
    return a.shape == b.shape and (a.indptr == b.indptr).all() and (a.indices == b.indices).all() \
        and (a.data == b.data).all()


def test_the_stop_words_and_the_matrix_are_scikit_learns():
    text = pytest.importorskip("sklearn.feature_extraction.text")
    from sklearn.feature_extraction._stop_words import ENGLISH_STOP_WORDS

    assert T.STOP_WORDS == ENGLISH_STOP_WORDS
    corpus = texts(60) + ["", "the and of"]
    vectorizer = text.TfidfVectorizer(stop_words="english", sublinear_tf=True, ngram_range=(1, 2),
                                      token_pattern=T.TOKEN.pattern)
    expected = vectorizer.fit_transform(corpus)
    expected.sort_indices()
    got = T.tfidf_matrix(corpus)
    assert got.shape == expected.shape and (got.indptr == expected.indptr).all()
    assert (got.indices == expected.indices).all()
    # the same weights; a row's norm adds its squares in column order (scikit-learn: in order of
    # first use in the corpus), so they may differ in the last bit
    assert np.abs(got.data - expected.data).max() < 1e-15


def test_kept_counts_give_the_matrix_a_cold_count_gives(tmp_path, monkeypatch):
    cache = Cache(tmp_path)
    corpus = texts(40)
    assert same(T.tfidf_matrix(corpus, cache), T.tfidf_matrix(corpus))
    assert (tmp_path / ".cache" / "stories" / T.STATE_FILE).is_file()
    counted = []
    real = T.counts
    monkeypatch.setattr(T, "counts", lambda text: counted.append(text) or real(text))
    changed = corpus[:10] + ["Zorblax flood wages said again"] + corpus[11:25] + corpus[26:] + ["Quux bridge vote"]
    warm = T.tfidf_matrix(changed, cache)
    assert counted == ["Zorblax flood wages said again", "Quux bridge vote"]    # only the new texts
    monkeypatch.setattr(T, "counts", real)
    assert same(warm, T.tfidf_matrix(changed))      # terms added and dropped: the cold matrix exactly
    assert same(T.tfidf_matrix(corpus, cache), T.tfidf_matrix(corpus))     # and back again


def test_unreadable_or_foreign_kept_counts_are_ignored(tmp_path):
    cache = Cache(tmp_path)
    corpus = texts(20)
    T.tfidf_matrix(corpus, cache)
    state = tmp_path / ".cache" / "stories" / T.STATE_FILE
    data = dict(np.load(state))
    data["indices"] = data["indices"][::-1].copy()        # columns out of order
    np.savez(state, **data)
    assert same(T.tfidf_matrix(corpus, cache), T.tfidf_matrix(corpus))
    state.write_bytes(b"not a state file")
    assert same(T.tfidf_matrix(corpus, cache), T.tfidf_matrix(corpus))
    assert T._load(state.parent) is not None         # written again, whole


def test_a_read_only_cache_keeps_nothing(tmp_path):
    T.tfidf_matrix(texts(5), Cache(tmp_path, read_only=True))
    assert not (tmp_path / ".cache" / "stories").exists()


def test_stories_with_kept_counts_are_the_stories_of_a_cold_build(tmp_path):
    from test_stories import record

    records = [record(f"a{k}", "2024-03-0%d" % (1 + k % 3), t, people=["Ann Lee"] if k % 2 else [])
               for k, t in enumerate(texts(30, seed=7))]
    cache = Cache(tmp_path)
    cold = S.group_stories(records, S.quote_pairs([]))
    assert S.group_stories(records, S.quote_pairs([]), cache) == cold
    assert S.group_stories(records, S.quote_pairs([]), cache) == cold
    more = records + [record("b1", "2024-03-02", texts(31, seed=7)[30])]
    assert S.group_stories(more, S.quote_pairs([]), cache) == S.group_stories(more, S.quote_pairs([]))


def test_estimated_cosines_leave_out_only_pairs_below_every_threshold(monkeypatch):
    monkeypatch.setattr(S, "ESTIMATE_BLOCK", 7)          # many blocks, and pairs too far apart to estimate
    monkeypatch.setattr(S, "ESTIMATE_REACH", 9)
    rng = random.Random(3)
    corpus = texts(80, seed=5)
    spans = [None if k % 11 == 0 else (d, d) for k in range(80) for d in [700000 + rng.randint(0, 12)]]
    matrix = T.tfidf_matrix(corpus)
    pairs = S.candidate_pairs(spans, matrix)
    exact = S._pair_cosines(matrix, pairs)
    got = S._cosines_that_count(matrix, pairs, spans)
    assert any(c >= S.TEXT_WITH_PEOPLE for c in exact) and any(c < S.TEXT_WITH_PEOPLE for c in exact)
    for e, g in zip(exact, got):
        assert g == e if e >= S.TEXT_WITH_PEOPLE else g < S.TEXT_WITH_PEOPLE
