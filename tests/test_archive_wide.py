"""The archive-wide step keeps each article's tags and each name's decision between builds: a
rebuild after adding or editing an article, or editing tags.yml, gives the records a cold build
gives (people, tags and their evidence)."""

from __future__ import annotations

import shutil

from builder.pipeline import TAGS_FILE, Project, process_project

ARTICLES = {
    "a.txt": "Harbour strike: Anna Reyes said the Harbour Authority would meet the union. "
             "The Harbour Authority said talks with the Dock Union would resume.\n",
    "b.txt": "Tom Blake said the Dock Union wanted higher wages. The Dock Union and the Harbour Authority met.\n",
    "c.txt": "Flood warning: the River Board said the river would rise. Anna Reyes said the River Board was ready.\n",
}
TAGS = "tags:\n  - tag: strike\n    phrases: [strike]\n"


def records(root):
    result = process_project(Project(root))
    return [(r.id, r.people_names, r.tags.value, r.tags.evidence, r.tag_evidence) for r in result.records]


def write(root, files, tags=TAGS):
    articles = root / "corpus" / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    (root / "corpus" / "tags.yml").write_text(tags, encoding="utf-8")
    for name, text in files.items():
        (articles / name).write_text(text, encoding="utf-8")


def cold(tmp_path, warm, n):
    root = tmp_path / f"cold{n}"
    shutil.copytree(warm / "corpus", root / "corpus")
    return records(root)


def test_kept_tags_and_decisions_give_the_records_of_a_cold_build(tmp_path):
    warm = tmp_path / "warm"
    write(warm, ARTICLES)
    records(warm)
    assert (warm / ".cache" / "tags" / TAGS_FILE).is_file()
    write(warm, {"d.txt": "Tom Blake of the Harbour Authority said the strike was over. Anna Reyes agreed.\n"})
    assert records(warm) == cold(tmp_path, warm, 1)
    write(warm, {"a.txt": ARTICLES["a.txt"] + "\nAnna Reyes, of the River Board, said the flood had passed.\n"})
    assert records(warm) == cold(tmp_path, warm, 2)
    write(warm, {}, tags=TAGS + "  - tag: flood\n    phrases: [flood]\n")
    got = records(warm)
    assert got == cold(tmp_path, warm, 3) and any("flood" in tags for _, _, tags, _, _ in got)
    (warm / ".cache" / "tags" / TAGS_FILE).write_text('{"version": 1, "tags": []}', encoding="utf-8")
    assert records(warm) == got
