"""Untrusted input, round three: the cache is data, ``add`` shares the read path, malformed
addresses fail fast, and a moved archive keeps its cache and page reuse (issues 18 and 22)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ("Brussels, 4 March 2022. NATO Secretary General Jens Stoltenberg said on Friday that the "
           "alliance would not impose a no-fly zone over Ukraine.\n\n"
           "\u201cWe are not part of this conflict,\u201d Stoltenberg told reporters after the meeting.\n")


def cli(root: Path, *argv: str, timeout: float = 60, **kw) -> tuple[subprocess.CompletedProcess, float]:
    """``archive -C root argv`` in a child process: (the finished process, seconds it took)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "builder", "-C", str(root), *argv], capture_output=True,
                          timeout=timeout, env=env, **kw)
    return proc, time.monotonic() - start


# -- 17: a malformed --scheduler address ------------------------------------------------------

@pytest.mark.parametrize("address", ["garbage://x", "tcp://[::1", "tcp://host:99999"])
def test_a_malformed_scheduler_address_fails_at_once_without_a_traceback(make_archive, address):
    project = make_archive({"a.txt": ARTICLE})
    proc, took = cli(project.root, "build", "--scheduler", address)
    err = proc.stderr.decode()
    assert proc.returncode != 0
    assert address in err and "scheduler" in err
    assert "Traceback" not in err and "Exception ignored" not in err
    assert took < 15, took
    assert not (project.root / "site").exists()          # failed before any work
