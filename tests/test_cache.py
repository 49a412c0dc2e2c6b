"""The extraction cache: each text is extracted once, a change re-extracts exactly what it can
change, and the cache can be deleted, shared by two builds at once or cut short by a kill
without ever giving different pages."""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import builder.pipeline as pipeline
from builder.stages.executor import InProcess, LocalProcesses
from builder.pipeline import Project, process_project
from builder.outputs.render import render_all

from conftest import ROOT

LABELLED = ROOT / "tests" / "labelled" / "corpus"


def labelled_archive(dest: Path) -> Project:
    """The 40 labelled articles and their registries, as an archive folder."""
    shutil.copytree(LABELLED, dest / "corpus")
    return Project(dest)


class Recorder:
    """Counts what reaches spaCy and what the progress callback is told."""

    def __init__(self, monkeypatch) -> None:
        self.ner_docs: list[str] = []
        self.calls: list[tuple] = []
        real = pipeline.paragraph_entities

        def counting(documents, *args, **kwargs):
            self.ner_docs += [doc[0] if doc else "" for doc in documents]
            return real(documents, *args, **kwargs)

        monkeypatch.setattr(pipeline, "paragraph_entities", counting)

    def progress(self, stage, done, total, cached=0):
        self.calls.append((stage, done, total, cached))

    def run(self, project: Project, **kwargs):
        self.ner_docs.clear()
        self.calls.clear()
        return process_project(project, progress=self.progress, executor=InProcess(), **kwargs)

    @property
    def cached(self) -> int:
        return [c for c in self.calls if c[0] == "extract"][-1][3]


def pages(result) -> dict[str, str]:
    return render_all(result.records, result.registry, result.files, result.messages, result.ignored)


def test_a_second_build_extracts_nothing(tmp_path, monkeypatch):
    project = labelled_archive(tmp_path / "a")
    rec = Recorder(monkeypatch)
    first = pages(rec.run(project))
    assert len(rec.ner_docs) == 40 and rec.cached == 0
    assert (project.root / ".cache").is_dir()
    second = pages(rec.run(project))
    assert rec.ner_docs == [] and rec.cached == 40
    assert ("extract", 40, 40, 40) in rec.calls and ("read", 40, 40, 0) in rec.calls
    assert second == first


def test_editing_one_article_extracts_that_article_only(tmp_path, monkeypatch):
    project = labelled_archive(tmp_path / "a")
    rec = Recorder(monkeypatch)
    rec.run(project)
    path = project.articles / "case_26_antalya_kuleba_crlf.txt"
    path.write_bytes(path.read_bytes().replace(b"Antalya", b"Ankara"))
    (project.articles / "new.txt").write_text("KYIV, March 4, 2022 — Jens Stoltenberg said NATO would "
                                              "not impose a no-fly zone over Ukraine.\n", encoding="utf-8")
    result = rec.run(project)
    assert len(rec.ner_docs) == 2 and rec.cached == 39     # of 41
    assert any("Ankara" in doc for doc in rec.ner_docs)
    # and the result is what a build without a cache gives
    fresh = process_project(project, cache=pipeline.C.Cache(None), executor=InProcess())
    assert pages(result) == pages(fresh)


ARTICLE = "case_26_antalya_kuleba_crlf"      # names "Mevlut Cavusoglu", whom the registry does not list


def edit_people_registry(tmp_path, monkeypatch, edit) -> tuple[list[str], int, dict]:
    """Build the labelled archive, edit its people.yml text with ``edit``, build again:
    -> (texts spaCy read in the second build, articles it took from the cache, {id: people})."""
    project = labelled_archive(tmp_path / "a")
    rec = Recorder(monkeypatch)
    assert "Mevlut Cavusoglu" in {r.id: r.people_names for r in rec.run(project).records}[ARTICLE]
    people = project.corpus / "people.yml"
    people.write_text(edit(people.read_text(encoding="utf-8")), encoding="utf-8")
    after = rec.run(project)
    ner_docs, cached = list(rec.ner_docs), rec.cached
    fresh = process_project(project, cache=pipeline.C.Cache(None), executor=InProcess())
    assert pages(after) == pages(fresh)          # and the result is what a build without a cache gives
    return ner_docs, cached, {r.id: r.people_names for r in after.records}


def test_a_people_registry_edit_reruns_no_named_entity_recognition(tmp_path, monkeypatch):
    ner_docs, cached, names = edit_people_registry(tmp_path, monkeypatch, lambda text: text.replace(
        "people:\n", "people:\n  - name: Mevlüt Çavuşoğlu\n    aliases: [Mevlut Cavusoglu]\n", 1))
    # every article's own facts are recomputed (the registry names people), but spaCy runs on none
    assert ner_docs == [] and cached == 0
    assert "Mevlüt Çavuşoğlu" in names[ARTICLE]
    assert "Mevlut Cavusoglu" not in names[ARTICLE]


def test_a_not_people_edit_reextracts_no_article(tmp_path, monkeypatch):
    ner_docs, cached, names = edit_people_registry(tmp_path, monkeypatch,
                                                   lambda text: text + "not_people: [Mevlut Cavusoglu]\n")
    # the list is read by the archive-wide step only: every article's own step comes from the cache
    assert ner_docs == [] and cached == 40
    assert "Mevlut Cavusoglu" not in names[ARTICLE]


def test_a_tags_registry_edit_reextracts_no_article(tmp_path, monkeypatch):
    project = labelled_archive(tmp_path / "a")
    rec = Recorder(monkeypatch)
    rec.run(project)
    tags = project.corpus / "tags.yml"
    tags.write_text(tags.read_text(encoding="utf-8") + "  - tag: Antalya forum\n    phrases: [Antalya]\n",
                    encoding="utf-8")
    result = rec.run(project)
    assert rec.ner_docs == [] and rec.cached == 40
    tagged = [r.id for r in result.records if "Antalya forum" in r.tags.value]
    assert "case_26_antalya_kuleba_crlf" in tagged


def test_a_boilerplate_edit_reruns_recognition_only_where_the_text_changed(make_archive, monkeypatch):
    story = ("Jens Stoltenberg said on Friday that NATO would not impose a no-fly zone over Ukraine, "
             "speaking in Brussels after a meeting of foreign ministers.")
    project = make_archive({"a.txt": story + "\n\nSubscribe to the Harbour Times for more.\n",
                            "b.txt": story.replace("Friday", "Monday") + "\n",
                            "c.txt": story.replace("Friday", "Tuesday") + "\n"})
    rec = Recorder(monkeypatch)
    before = rec.run(project)
    assert "Subscribe" in {r.id: r.text for r in before.records}["a"]
    (project.corpus / "sources.yml").write_text(
        "sources:\n  - name: Harbour Times\n    boilerplate: [Subscribe to the Harbour Times for more.]\n",
        encoding="utf-8")
    after = rec.run(project)
    assert rec.cached == 0                 # the clean stage reads sources.yml: every article is re-read
    assert len(rec.ner_docs) == 1          # but only the one whose text changed goes through NER again
    records = {r.id: r for r in after.records}
    assert "Subscribe" not in records["a"].text and records["a"].source.value == "Harbour Times"


def test_a_deleted_cache_rebuilds_identical_pages(tmp_path, monkeypatch):
    project = labelled_archive(tmp_path / "a")
    rec = Recorder(monkeypatch)
    first = pages(rec.run(project))
    second = pages(rec.run(project))
    shutil.rmtree(project.root / ".cache")
    third = pages(rec.run(project))
    assert len(rec.ner_docs) == 40
    assert first == second == third


def test_a_corrupt_or_foreign_cache_entry_is_ignored_and_recomputed(tmp_path, monkeypatch):
    project = labelled_archive(tmp_path / "a")
    rec = Recorder(monkeypatch)
    first = pages(rec.run(project))
    entries = sorted((project.root / ".cache" / "extract").rglob("*.json"))
    assert len(entries) == 40
    entries[0].write_bytes(entries[0].read_bytes()[:100])                  # cut short
    entries[1].write_text("[]", encoding="utf-8")                          # valid JSON, not an entry
    data = json.loads(entries[3].read_text(encoding="utf-8"))
    entries[2].write_text(json.dumps(data), encoding="utf-8")              # another article's entry
    second = pages(rec.run(project))
    assert rec.cached == 37 and second == first
    assert json.loads(entries[0].read_text(encoding="utf-8"))["key"] == entries[0].stem   # rewritten



def test_a_rebuild_reads_each_articles_people_evidence_from_the_cache(tmp_path, monkeypatch):
    project = labelled_archive(tmp_path / "a")
    rec = Recorder(monkeypatch)
    first = pages(rec.run(project))
    computed: list[str] = []
    real = pipeline.doc_evidence
    monkeypatch.setattr(pipeline, "doc_evidence", lambda doc_id, *rest: computed.append(doc_id) or real(doc_id, *rest))
    result = rec.run(project)
    assert computed == [] and rec.cached == 40 and pages(result) == first
    # what the cache gives back is exactly what the article's evidence is
    paths, _ = pipeline.discover(project)
    for _, article in pipeline.extract_articles(paths, result.registry, project):
        assert article.ok and article.evidence == real(article.doc.id, article.mentions, article.texts, article.ents)


def test_an_entry_with_damaged_or_missing_people_evidence_is_refused_and_recomputed(tmp_path, monkeypatch):
    project = labelled_archive(tmp_path / "a")
    rec = Recorder(monkeypatch)
    first = pages(rec.run(project))
    entries = sorted((project.root / ".cache" / "extract").rglob("*.json"))
    damage = [lambda e: e["value"].pop("evidence"),                     # an entry of the older layout
              lambda e: e["value"]["evidence"].update(runs=[1, 2]),      # numbers for names
              lambda e: e["value"]["evidence"].update(cues=[["a"]]),     # a cue without its name
              lambda e: e["value"]["evidence"].update(written=["x"]),    # a list for a mapping
              lambda e: e["value"].update(evidence="x")]
    for path, spoil in zip(entries, damage):
        entry = json.loads(path.read_text(encoding="utf-8"))
        spoil(entry)
        path.write_text(json.dumps(entry), encoding="utf-8")
    second = pages(rec.run(project))
    assert rec.cached == 35 and second == first
    assert all("runs" in json.loads(p.read_text(encoding="utf-8"))["value"]["evidence"] for p in entries[:5])

BUILD = """
import sys
from pathlib import Path
from builder.stages.executor import LocalProcesses
from builder.pipeline import Project, process_project
if __name__ == "__main__":
    result = process_project(Project(Path(sys.argv[1])), executor=LocalProcesses(1))
    print(len(result.records))
"""


def _entries_are_whole(project: Project) -> int:
    """Every entry in the cache is complete JSON under its own key; returns how many."""
    entries = [p for p in (project.root / ".cache").rglob("*.json")]
    for path in entries:
        assert json.loads(path.read_text(encoding="utf-8"))["key"] == path.stem
    return len(entries)


@pytest.mark.slow
def test_two_builds_at_once_and_a_killed_build_leave_a_consistent_cache(tmp_path, monkeypatch):
    project = labelled_archive(tmp_path / "a")
    script = tmp_path / "build.py"
    script.write_text(BUILD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    # killed part way: some entries written, none partial
    killed = subprocess.Popen([sys.executable, str(script), str(project.root)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not list((project.root / ".cache" / "extract").rglob("*.json")):
        time.sleep(0.05)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait()
    assert 0 < _entries_are_whole(project)

    # two builds at once over the same cache
    runs = [subprocess.Popen([sys.executable, str(script), str(project.root)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outs
    assert outs[0][0] == outs[1][0]
    assert _entries_are_whole(project) >= 40

    rec = Recorder(monkeypatch)
    cached = pages(rec.run(project))
    assert rec.ner_docs == [] and rec.cached == 40
    fresh = pages(process_project(project, cache=pipeline.C.Cache(None), executor=InProcess()))
    assert cached == fresh


@pytest.mark.slow
def test_worker_processes_give_the_same_pages_as_one_process(tmp_path):
    project = labelled_archive(tmp_path / "a")
    one = pages(process_project(project, cache=pipeline.C.Cache(None), executor=InProcess()))
    pool = LocalProcesses(2)
    try:
        many = pages(process_project(project, cache=pipeline.C.Cache(None), executor=pool))
    finally:
        pool.close()
    assert many == one


@pytest.mark.slow
def test_a_dask_cluster_builds_a_byte_identical_site(tmp_path):
    distributed = pytest.importorskip("distributed")
    from builder.mkdocs.publish import build

    from test_reproducible import assert_same_tree, make_project, snapshot

    project = make_project(tmp_path / "a")
    local = snapshot(build(project, site_dir=tmp_path / "local").site)
    shutil.rmtree(project.root / ".cache")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster:
        outcome = build(project, site_dir=tmp_path / "dask", scheduler=cluster.scheduler_address)
        # the articles were extracted on the cluster's worker, in batches
        assert cluster.scheduler.task_prefixes["extract_batch"].state_counts["memory"] >= 1
    assert_same_tree(local, snapshot(outcome.site))
    assert len(list((project.root / ".cache" / "extract").rglob("*.json"))) > 0   # results cached here


def test_the_extractor_version_follows_the_extraction_code_not_the_page_layout(tmp_path, monkeypatch):
    # a copy of the package: changing how pages look keeps ten thousand cached articles valid,
    # changing a rule the extraction imports (even indirectly) or a word list invalidates them
    import builder.core.cache as C

    package = tmp_path / "builder"
    shutil.copytree(Path(C.__file__).parents[1], package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(C, "__file__", str(package / "core" / "cache.py"))
    monkeypatch.setattr(C, "code_version", functools.lru_cache(maxsize=None)(C.code_version.__wrapped__))

    def version() -> str:
        C.code_version.cache_clear()
        return C.code_version()

    start = version()
    for layout in ("outputs/render.py", "mkdocs/plugin.py", "outputs/search.py", "stages/stories.py"):
        (package / layout).write_text((package / layout).read_text() + "\n# layout\n")
    assert version() == start
    assert {"people", "people.decide"} <= C._imported_modules("pipeline", package)   # pipeline -> extract -> people
    for rule in ("people/decide.py", "people/__init__.py", "data/given-names.txt", "schemas/front-matter.schema.json"):
        (package / rule).write_text((package / rule).read_text() + "\n")
        assert version() != start, rule
        start = version()
    quotes = C.code_version("stages.quotes")
    (package / "people" / "spans.py").write_text((package / "people" / "spans.py").read_text() + "\n# again\n")
    C.code_version.cache_clear()
    assert C.code_version("stages.quotes") == quotes                            # quotations do not read the people rules


def test_a_flat_dataclass_decodes_as_its_constructor_would_and_refuses_the_same_shapes():
    from builder.core.models import Entity, Field, Line
    from builder.people.mentions import Mention

    C = pipeline.C
    for kind, value in ((Entity, Entity("Kyiv", "GPE", 3, 7)), (Line, Line("text", 4, "text", "")),
                        (Mention, Mention("Jens Stoltenberg", 2, "ner", True)), (Field, Field({"a": [1]}, "x", "y"))):
        back = C.decode(kind, C.encode(value))
        assert back == value and type(back) is kind and list(vars(back)) == list(vars(value))
    assert C.decode(Line, {"text": "a", "line": 1}) == Line("a", 1)            # defaults filled in
    assert C.decode(Line, {"text": "a", "line": 1, "kind": "text", "credit": "", "x": 0}) == Line("a", 1)
    for bad in ({"text": 1, "label": "GPE", "start": 0, "end": 1}, {"text": "a", "label": "GPE", "start": "0", "end": 1},
                {"text": "a", "label": "GPE"}, ["a", "GPE", 0, 1]):
        with pytest.raises((ValueError, TypeError)):
            C.decode(Entity, bad)
