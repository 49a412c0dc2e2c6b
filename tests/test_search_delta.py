"""The search index updated by the difference (``search_delta.py``) is, file for file, the index
made from scratch: after documents are added (newest, oldest, in between), edited and removed."""

from __future__ import annotations

import random

import pytest

from builder.outputs import search
from builder.outputs.search import SearchDoc

WORDS = ("nato ukraine kyiv grain corridor talks minister zürich łódź stoltenberg said would not "
         "impose zone sea ship port wheat price rise fall vote parliament council 2022 march").split()


def _doc(rng: random.Random, i: int, day: int | None = None) -> SearchDoc:
    def text(n):
        return " ".join(rng.choice(WORDS) for _ in range(n))

    day = rng.randint(1, 28) if day is None else day
    return SearchDoc(id=f"a{i:03d}", url=f"articles/a{i:03d}.html", title=text(4), date=f"2022-03-{day:02d}",
                     date_label=f"{day} March 2022", source=rng.choice(["Wire", "Daily"]),
                     people=[rng.choice(["Jens Stoltenberg", "Ann Linde"])], tags=[rng.choice(WORDS)],
                     paragraphs=[text(12), text(rng.randint(1, 20))], comments=[text(3)] if i % 3 else [])


def _fresh(docs):
    return search.build_files([_copy(d) for d in docs])[0]


def _copy(d: SearchDoc) -> SearchDoc:
    return SearchDoc(**{k: v for k, v in vars(d).items() if k != "_key"})


def _rebuilt(tmp_path, before, after):
    """Index ``before`` keeping a state, then ``after`` from it: (files, whether it was updated)."""
    cache = search.TokenCache(tmp_path / "tokens")
    kept: dict = {"last": None}
    search.build_files([_copy(d) for d in before], cache=cache, kept=kept)
    cache.save()
    state = kept["next"]
    import json

    state = json.loads(json.dumps(state))            # as it is kept: JSON
    kept = {"last": state}
    files, figures = search.build_files([_copy(d) for d in after], cache=search.TokenCache(tmp_path / "tokens"),
                                        kept=kept)
    assert kept.get("next") is not None
    return files, figures["updated"]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("change", ["newest", "oldest", "between", "edit", "remove", "several", "nothing"])
def test_an_updated_index_is_the_index_made_from_scratch(tmp_path, seed, change):
    rng = random.Random(seed)
    before = [_doc(rng, i) for i in range(60)]
    after = list(before)
    if change == "newest":
        after.append(_doc(rng, 900, day=29))
    elif change == "oldest":
        after.append(_doc(rng, 901, day=1))
    elif change == "between":
        after.append(_doc(rng, 902, day=14))
    elif change == "edit":
        after[7] = _doc(random.Random(99 + seed), 7)
    elif change == "remove":
        del after[11]
    elif change == "several":
        del after[3]
        after[20] = _doc(random.Random(7 + seed), 20)
        after += [_doc(rng, 903), _doc(rng, 904, day=28)]
    files, updated = _rebuilt(tmp_path, before, after)
    assert updated
    assert files == _fresh(after)


def test_a_state_that_does_not_fit_means_the_index_is_made_from_scratch(tmp_path):
    rng = random.Random(3)
    before = [_doc(rng, i) for i in range(30)]
    cache = search.TokenCache(tmp_path / "tokens")
    kept: dict = {"last": None}
    search.build_files(before, cache=cache, kept=kept)
    cache.save()
    broken = dict(kept["next"], terms={t: [e[0], e[1][:-1], e[2]] for t, e in kept["next"]["terms"].items()})
    for last in (broken, {"keys": "x"}, {"keys": [], "dl": [], "terms": {}} | {"dl": [1]}):
        after = before + [_doc(rng, 500)]
        kept = {"last": last}
        files, figures = search.build_files([_copy(d) for d in after], cache=search.TokenCache(tmp_path / "tokens"),
                                            kept=kept)
        assert files == _fresh(after)
