"""A new archive installs the tools it names: ``archive new``, then a fresh virtualenv installs
``requirements.txt`` offline and builds the archive, as the generated workflows and README do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from builder import __version__
from builder.commands.cli import main
from builder.core.toolsource import requirement_from_direct_url
from conftest import ROOT

ARTICLE = """\
Published March 9, 2022

NATO Secretary General Jens Stoltenberg said on Wednesday that the alliance would not send fighter jets
to patrol the skies over Ukraine.

Ukraine's foreign minister Dmytro Kuleba said the refusal left cities exposed to Russian air strikes.
"""


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    out = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, f"{args} failed ({out.returncode}):\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


def clean_env() -> dict:
    """No PYTHONPATH, no index: only what the new virtualenv holds is importable, pip stays offline."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV"))}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


@pytest.mark.slow
def test_a_new_archive_installs_its_tools_offline_and_builds(tmp_path):
    # archive new, run from this checkout as a user runs it
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run(sys.executable, "-m", "builder", "new", "arch", "--url", "https://news.example.org/arch/",
        cwd=tmp_path, env=env)
    archive = tmp_path / "arch"
    lines = [ln for ln in (archive / "requirements.txt").read_text().splitlines() if ln and not ln.startswith("#")]
    assert lines == [f"./tools/news_archive_builder-{__version__}-py3-none-any.whl"]
    assert "news-archive-builder==" not in (archive / "requirements.txt").read_text()
    with zipfile.ZipFile(archive / lines[0]) as wheel:
        names = set(wheel.namelist())
    assert {"builder/commands/cli.py", "builder/_theme_overrides/main.html",
            "builder/_archive_template/workflows/pull-request.yml",
            f"news_archive_builder-{__version__}.dist-info/entry_points.txt"} <= names
    (archive / "corpus" / "articles" / "nato-jets.txt").write_text(ARTICLE, encoding="utf-8")

    # a fresh virtualenv; the dependencies (spaCy, MkDocs...) come from this environment's
    # site-packages, the archive tools only from what requirements.txt names
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", str(venv), cwd=tmp_path, env=clean_env())
    python = venv / "bin" / "python"
    purelib = run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                  cwd=tmp_path, env=clean_env()).stdout.strip()
    Path(purelib, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    run(str(python), "-m", "pip", "install", "--no-index", "-r", "requirements.txt", cwd=archive, env=clean_env())
    where = run(str(python), "-c", "import builder; print(builder.__file__)", cwd=tmp_path, env=clean_env())
    assert where.stdout.strip().startswith(purelib), where.stdout

    run(str(venv / "bin" / "archive"), "build", "--strict", cwd=archive, env=clean_env())
    page = (archive / "site" / "articles" / "nato-jets.html").read_text(encoding="utf-8")
    assert "Jens Stoltenberg" in page and "How this record was made" in page
    assert (archive / "site" / "assets" / "stylesheets" / "archive.css").is_file()


def test_tool_source_gives_a_pinned_vcs_requirement(tmp_path, capsys):
    spec = "git+https://github.com/example/news-archive-builder@3f2c1a9"
    assert main(["new", str(tmp_path / "a"), "--tool-source", spec]) == 0
    text = (tmp_path / "a" / "requirements.txt").read_text()
    assert f"\nnews-archive-builder @ {spec}\n" in text
    assert not (tmp_path / "a" / "tools").exists()


def test_an_unpinned_vcs_source_is_refused(tmp_path, capsys):
    assert main(["new", str(tmp_path / "a"), "--tool-source", "git+https://github.com/example/tools"]) == 1
    assert "pin a tag or commit" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()


def test_a_wheel_given_as_source_is_copied_into_the_archive(tmp_path, capsys):
    wheel = tmp_path / "news_archive_builder-9.9.9-py3-none-any.whl"
    wheel.write_bytes(b"PK\x05\x06" + bytes(18))
    assert main(["new", str(tmp_path / "a"), "--tool-source", str(wheel)]) == 0
    assert "\n./tools/news_archive_builder-9.9.9-py3-none-any.whl\n" in (tmp_path / "a" / "requirements.txt").read_text()
    assert (tmp_path / "a" / "tools" / wheel.name).read_bytes() == wheel.read_bytes()


@pytest.mark.parametrize("record, expected", [
    ({"url": "https://github.com/o/r.git", "vcs_info": {"vcs": "git", "commit_id": "abc123"}},
     "news-archive-builder @ git+https://github.com/o/r.git@abc123"),
    ({"url": "https://github.com/o/r.git", "subdirectory": "tools",
      "vcs_info": {"vcs": "git", "commit_id": "abc123", "requested_revision": "main"}},
     "news-archive-builder @ git+https://github.com/o/r.git@abc123#subdirectory=tools"),
    ({"url": "https://example.org/news_archive_builder-0.1.0-py3-none-any.whl", "archive_info": {}},
     "news-archive-builder @ https://example.org/news_archive_builder-0.1.0-py3-none-any.whl"),
    ({"url": "file:///home/me/tools", "dir_info": {"editable": True}}, None),
    ({"url": "file:///home/me/tools", "dir_info": {}}, None),
])
def test_pep_610_records_give_a_requirement_only_when_it_installs_elsewhere(record, expected):
    got = requirement_from_direct_url(json.loads(json.dumps(record)))
    assert (got.requirement if got else None) == expected


# ---------------------------------------------------------------------------------------
# the workflows: this repository's and the ones `archive new` writes
# ---------------------------------------------------------------------------------------

def workflows(tmp_path) -> dict[str, tuple[dict, str]]:
    """{label: (parsed workflow, the dependency file its keys hash)} for every workflow."""
    import yaml

    assert main(["new", str(tmp_path / "new"), "--tool-source", "git+https://example.org/tools.git@v1"]) == 0
    out = {}
    for where, folder, deps in (("repo", ROOT, "pyproject.toml"), ("new", tmp_path / "new", "requirements.txt")):
        for path in sorted((folder / ".github" / "workflows").glob("*.yml")):
            out[f"{where}/{path.name}"] = (yaml.safe_load(path.read_text(encoding="utf-8")), deps)
    assert len(out) == 4
    return out


def test_every_workflow_keeps_the_cache_between_runs(tmp_path):
    for label, (flow, deps) in workflows(tmp_path).items():
        steps = flow["jobs"]["build" if "build" in flow["jobs"] else "check"]["steps"]
        runs = [str(s.get("run", "")) for s in steps]
        uses = [str(s.get("uses", "")) for s in steps]
        install = next(n for n, r in enumerate(runs) if r.startswith("pip install"))
        first_archive = next(n for n, r in enumerate(runs) if r.startswith("archive check") or
                             r.startswith("archive build"))
        cache = next(n for n, u in enumerate(uses) if u.startswith("actions/cache@"))
        version = next(n for n, s in enumerate(steps) if s.get("id") == "tools")
        assert install < version < cache < first_archive, label
        assert "archive --version" in runs[version] and "$GITHUB_OUTPUT" in runs[version]
        spec = steps[cache]["with"]
        assert ".cache/" in spec["path"].split(), label
        key, restore = spec["key"], spec["restore-keys"].strip()
        # the tools' version and the dependencies' lock in the key; a new entry per run, and the
        # newest entry for the same tools restored (on a pull request, the default branch's too)
        assert "${{ steps.tools.outputs.version }}" in key and f"hashFiles('{deps}')" in key, label
        assert key.endswith("-${{ github.run_id }}") and key.startswith(restore) and restore.endswith("-"), label
        assert restore == key[:-len("${{ github.run_id }}")]
        # the restored site/ is reused only under a signed manifest: the key comes from a secret
        build = next(s for s in steps if str(s.get("run", "")).startswith("archive build"))
        env = {**flow["jobs"]["build" if "build" in flow["jobs"] else "check"].get("env", {}), **build.get("env", {})}
        assert env.get("ARCHIVE_REUSE_SECRET") == "${{ secrets.ARCHIVE_REUSE_SECRET }}", label


def test_the_pull_request_workflow_writes_the_reviewers_summary(tmp_path):
    for label, (flow, _) in workflows(tmp_path).items():
        if "pull_request" not in flow[True]:
            continue
        steps = flow["jobs"]["check"]["steps"]
        summary = [s for s in steps if "--format markdown" in str(s.get("run", ""))]
        assert len(summary) == 1, label
        assert summary[0]["run"].endswith('>> "$GITHUB_STEP_SUMMARY"')
        assert "--changed-since" in summary[0]["run"]
        assert summary[0]["if"] == "${{ !cancelled() }}"     # shown also when the check found errors
        # the strict preview build has the site's address, as the publishing workflow gives it
        assert "ARCHIVE_SITE_URL" in flow["jobs"]["check"]["env"], label
