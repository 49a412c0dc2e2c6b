"""``archive check`` never passes what ``archive build`` refuses, on random small archives.

Hypothesis makes an archive (random file names from a pool that collides in letter case, in
transliteration and with reserved names; random front matter; bodies that repeat or that a
registry's boilerplate can empty; random registries), commits it, then changes it at random
(files added, edited, deleted, registries edited) the way a pull request does. The build's
fate of each file (``pipeline.process_project``, the code path ``archive build`` decides a
file's fate with) is compared with ``archive check``, in full and with ``--changed-since``:

* a file the build refuses has an error in the full check;
* with ``--changed-since``, every changed file the build refuses has an error, and so does
  every unchanged file the change made the build refuse (a duplicate id, a boilerplate line
  that empties it);
* so a check without errors means the build publishes every file of the pull request.

The check is stricter on purpose (schema findings and exact duplicates are errors for a pull
request, warnings for the build), so the converse is not required.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builder.commands.check import check_project
from builder.pipeline import Project, process_project
from builder.commands.scaffold import new_archive

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="needs git")

STEMS = ["a", "A", "Київ", "kiiv", "index", "010"]    # few, so that they collide often
BODIES = [
    "Kyiv, 4 March 2022. NATO leaders refused a no-fly zone over Ukraine, officials said.\n",
    "Brussels, 5 March 2022. Foreign ministers met again to discuss sanctions and aid.\n",
    "Warsaw, 6 March 2022. Refugees crossed the border at Medyka in the cold.\n",
    "Subscribe to our newsletter for the latest news.\n",          # boilerplate when sources.yml says so
]
BOILERPLATE = "Subscribe to our newsletter for the latest news."
IDS = ["a", "B", "kiiv", "index", "x\n", "010", "bad id", "Case", "0x10"]
DATES = ["2022-03-04", "2022-13-45", "2022", "[2022-03-04, 2022-03-05]"]

front = st.fixed_dictionaries({}, optional={"id": st.sampled_from(IDS), "date": st.sampled_from(DATES),
                                            "title": st.sampled_from(["yes", "A title", "no"])})
article = st.tuples(st.sampled_from(STEMS), st.sampled_from([".txt", ".md"]), front,
                    st.integers(0, len(BODIES) - 1))
registries = st.fixed_dictionaries({
    "sources": st.sampled_from(["", f"sources:\n  - name: Daily Post\n    boilerplate:\n      - {BOILERPLATE}\n",
                                f"sources:\n  - name: Daily Post\n    boilerplate:\n      - {BODIES[0].strip()}\n"]),
    "tags": st.sampled_from(["", "tags:\n  - tag: no-fly zone\n", "tags: [broken\n"]),
    "people": st.sampled_from(["", "people:\n  - name: Jens Stoltenberg\n    aliases: [Stoltenberg]\n"]),
})


def render(stem: str, suffix: str, fields: dict, body: int) -> tuple[str, str]:
    if fields and suffix == ".md":
        lines = [f"{k}: {v!r}" if "\n" in v else f"{k}: {v}" for k, v in sorted(fields.items())]
        return stem + suffix, "---\n" + "\n".join(lines).replace("'x\\n'", '"x\\n"') + "\n---\n\n" + BODIES[body]
    return stem + suffix, BODIES[body]


def write(root: Path, files: dict[str, str], regs: dict[str, str]) -> None:
    articles = root / "corpus" / "articles"
    for old in articles.iterdir():
        if old.name != ".gitkeep":
            old.unlink()
    for name, text in files.items():
        (articles / name).write_text(text, encoding="utf-8")
    for kind, text in regs.items():
        (root / "corpus" / f"{kind}.yml").write_text(text, encoding="utf-8")


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def fates(project: Project) -> dict[str, str]:
    return {f.path: f.status for f in process_project(project).files}


def flagged(report) -> set[str]:
    return {m.path for m in report.messages if m.severity == "error"}


NO_REGISTRIES = {"sources": "", "tags": "", "people": ""}
corpus = st.dictionaries(st.tuples(st.sampled_from(STEMS), st.sampled_from([".txt", ".md"])),
                         st.tuples(front, st.integers(0, len(BODIES) - 1)), min_size=1, max_size=5)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@example(before={("a", ".txt"): ({}, 0)}, before_regs=NO_REGISTRIES, after={("A", ".md"): ({}, 1)},
         after_regs=NO_REGISTRIES, keep=[True] * 5, after_max=1, registry_edit=False)     # a case clash
@example(before={("a", ".txt"): ({}, 0)}, before_regs=NO_REGISTRIES, after={("010", ".txt"): ({}, 1)},
         after_regs={**NO_REGISTRIES, "sources": "sources:\n  - name: D\n    boilerplate:\n      - " + BODIES[0]},
         keep=[True] * 5, after_max=1, registry_edit=True)       # a registry edit empties an old article
@given(before=corpus, before_regs=registries, after=corpus, after_regs=registries,
       keep=st.lists(st.sampled_from([True, True, False]), min_size=5, max_size=5), after_max=st.integers(1, 3),
       registry_edit=st.sampled_from([False, False, True]))
def test_check_never_passes_what_the_build_refuses(before, before_regs, after, after_regs, keep, after_max,
                                                  registry_edit):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "archive"
        new_archive(root, site_name="Agreement")
        old_files = dict(render(s, x, f, b) for (s, x), (f, b) in before.items())
        write(root, old_files, before_regs)
        git(root, "init", "-q")
        git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
        git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "base")
        project = Project(root)
        fate_before = fates(project)

        # the pull request: some old files kept as they were, the rest replaced by new ones
        kept = {n: t for (n, t), k in zip(sorted(old_files.items()), keep) if k}
        added = dict(render(s, x, f, b) for (s, x), (f, b) in list(after.items())[:after_max])
        new_files = {**added, **kept}
        write(root, new_files, after_regs if registry_edit else before_regs)
        fate_after = fates(project)
        refused = {p for p, s in fate_after.items() if s != "page"}

        full = flagged(check_project(project))
        assert refused <= full, f"full check passes files the build refuses: {sorted(refused - full)}"

        partial = check_project(project, "HEAD")
        changed = {f"corpus/articles/{n}" for n, t in new_files.items() if old_files.get(n) != t}
        became_refused = {p for p in refused if fate_before.get(p) == "page"}
        must_flag = (refused & changed) | became_refused
        got = flagged(partial)
        assert must_flag <= got, (f"--changed-since passes files the build refuses: {sorted(must_flag - got)}; "
                                  f"changed {sorted(changed)}")
