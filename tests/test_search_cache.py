"""The search's token cache: an entry is used only when its text has the one shape the cache
writes, which is what ``valid`` accepts once decoded."""

from __future__ import annotations

import json

from builder.outputs import search
from builder.outputs.search import SearchDoc

TEXTS = ["Ukraine's NATO talks, 2022: no-fly zone", "Zürich, Łódź, straße, ﬁnance, İstanbul", "中文 العربية ٣ ½ ²",
         "", "a" * 300, "tab\tand\nnew line \u2028 \"quoted\" back\\slash"]


def _doc(i: int, text: str) -> SearchDoc:
    return SearchDoc(id=f"a{i}", url=f"articles/a{i}.html", title=text, date="2022-03-04", date_label="",
                     source="Wire", people=["Jens Stoltenberg"], tags=["nato"], paragraphs=[text, text],
                     comments=[text])


def _blob(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def test_every_contribution_the_cache_writes_passes_the_pattern():
    for i, text in enumerate(TEXTS):
        made = search.contribution(_doc(i, text))
        assert search.valid(made)
        assert search._BLOB.fullmatch(_blob(made)), text


def test_what_valid_refuses_the_pattern_refuses():
    good = search.contribution(_doc(0, TEXTS[0]))
    bad = [
        {**good, "show": "x"}, {"dl": -1, "terms": good["terms"]}, {"dl": 1.5, "terms": {}}, {"dl": True, "terms": {}},
        {"dl": 1, "terms": {"a b": [2, 0, "[0]"]}}, {"dl": 1, "terms": {"x</script>": [2, 0, "[0]"]}},
        {"dl": 1, "terms": {"a": [2, 2, "[0]"]}}, {"dl": 1, "terms": {"a": [2, 0, "[0]]);alert(1);//"]}},
        {"dl": 1, "terms": {"a": [2, 0, "[1234567890]"]}}, {"dl": 1, "terms": {"a": [2, 0]}},
        {"dl": 1, "terms": {"a_b": [2, 0, "[0]"]}}, {"dl": 1, "terms": {"a": [-2, 0, "[0]"]}},
        [1, 2], "text",
    ]
    for value in bad:
        assert not search.valid(value) or not isinstance(value, dict)
        assert not search._BLOB.fullmatch(_blob(value)), value
    assert not search._BLOB.fullmatch(json.dumps(good))                 # spaced or escaped: not ours


def test_a_cached_entry_of_another_shape_is_recomputed(tmp_path):
    doc = _doc(0, TEXTS[1])
    cache = tmp_path / "cache"
    cache.mkdir()
    forged = {"dl": 1, "terms": {"evil": [2, 0, "[0]]);alert(1);//"]}}
    (cache / f"tokens-v{search.FORMAT_VERSION}.json").write_text(json.dumps(
        {"format": search.FORMAT_VERSION, "entries": {doc.key(): _blob(forged)}}), encoding="utf-8")
    tokens = search.TokenCache(cache)
    assert tokens.get(doc) == search.contribution(doc) and tokens.rejected == 1 and tokens.hits == 0
