"""A long build shows where it is: bars on a terminal, plain lines in a pipe, nothing with --quiet."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time

import pytest

from builder.core.progress import Reporter, duration

ARTICLE = """\
Published March 9, 2022

NATO Secretary General Jens Stoltenberg said on Wednesday that the alliance would not send fighter jets
to patrol the skies over Ukraine.

Ukraine's foreign minister Dmytro Kuleba said the refusal left cities exposed to Russian air strikes.
"""
SECOND = """\
Published March 10, 2022

Polish officials said on Thursday that the offer of fighter jets to Ukraine would not go ahead.
"""
UNKNOWN_SOURCE = "---\nsource: The Daily Nowhere\n---\n" + SECOND
STAGE_END = re.compile(r"^archive: (read|extract|render|MkDocs): (\d+)/(\d+) (files|articles|page steps) in "
                       r"[\d.]+ s", re.M)
TIMES = re.compile(r"^archive: time by stage: read [\d.]+ s \(2 files\), extract [\d.]+ s \(2 articles\), "
                   r"render [\d.]+ s \(2 articles\), MkDocs [\d.]+ s \((\d+) page steps\); nothing from the cache; "
                   r"total [\d.]+ s$", re.M)


# the address the workflows give (a build without one warns, even with --quiet)
SITE = {"ARCHIVE_SITE_URL": "https://archive.example.org/"}


def run(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builder", *argv], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **SITE, **(env or {})}, stdin=subprocess.DEVNULL)


def run_in_terminal(*argv: str, env: dict | None = None, answer: str | None = None) -> tuple[int, str]:
    """Run the command with a pseudo-terminal as its stdin, stdout and stderr: what a person sees."""
    master, slave = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_PROGRESS")}
    proc = subprocess.Popen([sys.executable, "-m", "builder", *argv], stdin=slave, stdout=slave, stderr=slave,
                            env={**environ, "TERM": "xterm", "COLUMNS": "140", **SITE, **(env or {})}, close_fds=True)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:           # the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
                if answer is not None and b"address" in b"".join(chunks):
                    os.write(master, answer.encode() + b"\n")
                    answer = None
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=60)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return code, b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_a_build_in_a_pipe_prints_plain_lines_per_stage_and_the_time_of_each(make_archive):
    project = make_archive({"nato-jets.txt": ARTICLE, "polish-jets.txt": SECOND})
    # ARCHIVE_PROGRESS_INTERVAL=0: a line at every step (default: every 5 seconds, and at each stage's end)
    done = run("-C", str(project.root), "build", env={"ARCHIVE_PROGRESS_INTERVAL": "0"})
    assert done.returncode == 0, done.stderr
    err = done.stderr
    assert "\x1b[" not in err                               # no terminal codes in a log
    ends = STAGE_END.findall(err)
    assert [e[0] for e in ends] == ["read", "extract", "render", "MkDocs"], err
    assert all(e[1] == e[2] for e in ends)                  # each stage ends complete
    assert ends[0][1:] == ("2", "2", "files")
    # while MkDocs works: counts, share, rate and time left
    assert re.search(r"^archive: MkDocs: \d+/\d+ page steps \(\d+%\), [\d,.]+/s, about [\d.]+ s left$", err, re.M), err
    times = TIMES.search(err)
    assert times, err
    assert times.group(1) == ends[3][2]
    assert (project.root / "site" / "articles" / "nato-jets.html").is_file()


@pytest.mark.slow
def test_a_build_on_a_terminal_draws_bars_with_counts_rate_and_time_left(make_archive):
    project = make_archive({"nato-jets.txt": ARTICLE, "polish-jets.txt": SECOND})
    code, screen = run_in_terminal("-C", str(project.root), "build")
    assert code == 0, screen
    assert "\x1b[" in screen                                # drawn with terminal codes
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)
    for label in ("read files", "extract articles", "render articles", "MkDocs page steps"):
        assert label in text, text
    steps = re.findall(r"MkDocs page steps\s.*?(\d+)/(\d+)\s", text)
    assert steps and steps[-1][0] == steps[-1][1], steps  # the bar ends full
    assert re.search(r"\d+/\d+\s+\d+%\s+[\d,.]+/s\s+\d:\d\d:\d\d elapsed,\s+(\d:\d\d:\d\d|-:--:--) left", text), text
    assert TIMES.search(text.replace("\r", "")), text
    assert re.search(r"^archive: 2 articles built", text.replace("\r", ""), re.M)


@pytest.mark.slow
def test_quiet_prints_only_problems(make_archive):
    project = make_archive({"nato-jets.txt": ARTICLE, "polish-jets.txt": SECOND})
    done = run("-C", str(project.root), "build", "--quiet", env={"ARCHIVE_PROGRESS_INTERVAL": "0"})
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "")
    assert (project.root / "site" / "articles" / "nato-jets.html").is_file()

    (project.articles / "polish-jets.txt").write_text(UNKNOWN_SOURCE, encoding="utf-8")
    for command in ("build", "check"):
        done = run("-C", str(project.root), command, "-q", env={"ARCHIVE_PROGRESS_INTERVAL": "0"})
        assert done.returncode == 0
        lines = done.stderr.splitlines() + done.stdout.splitlines()
        assert len(lines) == 1 and lines[0].startswith("corpus/articles/polish-jets.txt:2:9: warning: source "
                                                       "'The Daily Nowhere' is not in"), (command, lines)


def bar_lines(screen: str) -> list[str]:
    """The lines a terminal shows for the bars: escape codes removed, split at carriage returns."""
    text = re.sub(r"\x1b\[(?:2K|\d*A)", "\n", screen.replace("\r", "\n"))      # line erased, cursor up
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)                                  # colours
    return [line for line in text.split("\n") if re.search(r"\d+/\d+", line) and "%" in line]


@pytest.mark.slow
def test_bars_fit_any_width_from_60_columns_on_a_rebuild(make_archive):
    project = make_archive({"nato-jets.txt": ARTICLE, "polish-jets.txt": SECOND})
    assert run("-C", str(project.root), "build", "-q").returncode == 0          # fills the cache
    for width in (60, 80, 140):
        code, screen = run_in_terminal("-C", str(project.root), "build", "--force", env={"COLUMNS": str(width)})
        assert code == 0, screen
        lines = bar_lines(screen)
        assert lines, screen
        for line in lines:
            assert len(line.rstrip()) <= width and "…" not in line and "..." not in line, (width, line)
        finished = {}
        for line in lines:
            m = re.match(r"^(read|extract|render|MkDocs)\b.*?\s(\d+)/(\d+)\s+(\d+)%", line)
            if m:
                finished[m.group(1)] = m.groups()[1:]
        assert set(finished) == {"read", "extract", "render", "MkDocs"}, (width, lines)
        assert finished["extract"] == ("2", "2", "100"), (width, lines)
        # what came from the cache is said whole, at every width
        extract = [line for line in lines if line.startswith("extract")][-1]
        assert re.search(r"\b2 (?:from the cache|cached)\b", extract), (width, extract)
        if width >= 110:
            assert re.search(r"\d:\d\d:\d\d elapsed, +\d:\d\d:\d\d left +2 from the cache", extract), extract


def test_quiet_and_verbose_exclude_each_other(capsys):
    from builder.commands.cli import main

    with pytest.raises(SystemExit):
        main(["build", "--quiet", "--verbose"])
    assert "not allowed with argument" in capsys.readouterr().err


def test_plain_lines_come_every_interval_and_at_each_stage_end(capsys):
    now = [0.0]
    reporter = Reporter("plain", sys.stderr, interval=5, clock=lambda: now[0])
    for done in range(0, 101):
        now[0] = done * 0.5                               # 2 articles a second: a line every 10 articles
        reporter("extract", done, 100)
    reporter.close()
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "archive: extract: 10/100 articles (10%), 2.0/s, about 45.0 s left"
    assert len(lines) == 9 + 1              # at 10, 20, ... 90 articles (every 5 s), and at the stage's end
    assert lines[-1] == "archive: extract: 100/100 articles in 50.0 s, 2.0/s"
    assert reporter.summary() == ("archive: time by stage: extract 50.0 s (100 articles); nothing from the cache; "
                                  "total 50.0 s")


def test_the_summary_says_what_came_from_the_cache():
    now = [0.0]
    reporter = Reporter("off", clock=lambda: now[0])
    reporter("read", 2000, 2000)
    now[0] = 3.0
    reporter("extract", 0, 2000)
    now[0] = 125.0
    reporter("extract", 2000, 2000, cached=1500)
    reporter("mkdocs", 0, 4000)                            # the next stage starts: extract ends
    now[0] = 190.5
    reporter("mkdocs", 4000, 4000)
    reporter.close()
    assert reporter.summary() == (
        "archive: time by stage: read 3.0 s (2,000 files), extract 2 min 02 s (2,000 articles, 1,500 of 2,000 "
        "from the cache), MkDocs 1 min 06 s (4,000 page steps); 1,500 items from the cache; total 3 min 10 s")
    assert duration(3725) == "1 h 02 min"
