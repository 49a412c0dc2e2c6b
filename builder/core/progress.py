"""Where a long build is: progress per stage, and each stage's time at the end.

The pipeline and the MkDocs plugin call ``progress(stage, done, total, cached=0)`` (stages
"read", "extract", "render", "mkdocs"; ``cached`` is how many of ``done`` came from a
cache). A ``Reporter`` is such a callable. It shows:

* on a terminal, one live bar per stage with counts, rate and time left (``rich``);
* anywhere else (CI logs, a pipe, a file), a plain line every few seconds and one at the
  end of each stage, so a log shows both that the build is alive and what each stage took;
* nothing with ``quiet``, while still timing the stages.

``ARCHIVE_PROGRESS=terminal|plain|off`` overrides the choice (``terminal`` draws the bars
even into a pipe, as a terminal emulator that is not detected would need), and
``ARCHIVE_PROGRESS_INTERVAL`` sets the seconds between plain lines (default 5).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from typing import Callable, TextIO

ProgressCallback = Callable[..., None]

STAGES = {  # stage -> (label, unit)
    "read": ("read", "files"),
    "extract": ("extract", "articles"),
    "render": ("render", "articles"),
    "mkdocs": ("MkDocs", "page steps"),       # each page is converted, then written: two steps
}
MODES = ("terminal", "plain", "off")
DEFAULT_INTERVAL = 5.0


@dataclass
class Stage:
    """What one stage has done so far, and when."""

    name: str
    total: int = 0
    done: int = 0
    cached: int = 0
    started: float = 0.0
    ended: float | None = None

    @property
    def label(self) -> str:
        return STAGES.get(self.name, (self.name, "items"))[0]

    @property
    def unit(self) -> str:
        unit = STAGES.get(self.name, (self.name, "items"))[1]
        return unit.removesuffix("s") if self.total == 1 else unit

    def seconds(self, now: float) -> float:
        return (self.ended if self.ended is not None else now) - self.started


def choose_mode(stream: TextIO, quiet: bool = False) -> str:
    """'off' when quiet, else ARCHIVE_PROGRESS if set, else 'terminal' on a terminal and 'plain' elsewhere."""
    if quiet:
        return "off"
    forced = os.environ.get("ARCHIVE_PROGRESS", "").strip().lower()
    if forced in MODES:
        return forced
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return "terminal" if tty and os.environ.get("TERM") != "dumb" else "plain"


def _interval() -> float:
    try:
        return max(float(os.environ.get("ARCHIVE_PROGRESS_INTERVAL", DEFAULT_INTERVAL)), 0.0)
    except ValueError:
        return DEFAULT_INTERVAL


def duration(seconds: float) -> str:
    """'4.2 s', '2 min 05 s', '1 h 02 min'."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class Reporter:
    """The ``progress`` callback of a build or a check, and its timing summary."""

    def __init__(self, mode: str = "plain", stream: TextIO | None = None, interval: float | None = None,
                 clock: Callable[[], float] = time.monotonic, prefix: str = "archive") -> None:
        self.mode = mode
        self.stream = stream or sys.stderr
        self.interval = _interval() if interval is None else interval
        self.clock = clock
        self.prefix = prefix
        self.stages: dict[str, Stage] = {}
        self.current: Stage | None = None
        self.started = clock()
        self._last_line = self.started
        self._bars = None            # rich Progress, on a terminal
        self._tasks: dict[str, int] = {}

    # the callback -----------------------------------------------------------------------

    def __call__(self, stage: str, done: int, total: int, cached: int = 0) -> None:
        now = self.clock()
        st = self.stages.get(stage)
        if st is None:
            st = self.stages[stage] = Stage(stage, started=now)
        if self.current is not st:
            if self.current is not None:
                self._end(self.current, now)
            self.current = st
            st.ended = None
        st.total, st.done, st.cached = max(total, 0), max(done, 0), max(cached, 0)
        if self.mode == "terminal":
            self._draw(st)
        elif self.mode == "plain" and now - self._last_line >= self.interval and 0 < st.done < st.total:
            self._line(self._status(st, now))
            self._last_line = now

    def close(self) -> None:
        """End the last stage and put the terminal back (call once the work is over, even on failure)."""
        now = self.clock()
        if self.current is not None:
            self._end(self.current, now)
            self.current = None
        if self._bars is not None:
            self._bars.stop()
            self._bars = None

    def __enter__(self) -> "Reporter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # the summary --------------------------------------------------------------------------

    def summary(self) -> str:
        """Each stage's time and what came from the cache, in the order the stages ran."""
        now = self.clock()
        parts = []
        for st in self.stages.values():
            cache = f", {st.cached:,} of {st.total:,} from the cache" if st.cached else ""
            parts.append(f"{st.label} {duration(st.seconds(now))} ({st.total:,} {st.unit}{cache})")
        if not parts:
            return ""
        cached = sum(st.cached for st in self.stages.values())
        return (f"{self.prefix}: time by stage: " + ", ".join(parts)
                + f"; {'nothing' if not cached else f'{cached:,} items'} from the cache; "
                f"total {duration(now - self.started)}")

    # display ------------------------------------------------------------------------------

    def _end(self, st: Stage, now: float) -> None:
        if st.ended is not None:
            return
        st.ended = now
        # a short run (under one interval) stays as quiet as it was before progress existed
        if self.mode == "plain" and now - self.started >= self.interval:
            seconds = st.seconds(now)
            rate = f", {st.done / seconds:,.1f}/s" if seconds > 0 and st.done else ""
            cache = f", {st.cached:,} from the cache" if st.cached else ""
            self._line(f"{st.label}: {st.done:,}/{st.total:,} {st.unit} in {duration(seconds)}{rate}{cache}")
            self._last_line = now
        elif self.mode == "terminal" and st.name in self._tasks and self._bars is not None:
            self._bars.update(self._tasks[st.name], completed=st.total, total=st.total or 1)

    def _status(self, st: Stage, now: float) -> str:
        seconds = st.seconds(now)
        rate = st.done / seconds if seconds > 0 else 0.0
        share = f" ({st.done / st.total:.0%})" if st.total else ""
        left = f", about {duration((st.total - st.done) / rate)} left" if rate > 0 and st.total > st.done else ""
        cache = f", {st.cached:,} from the cache" if st.cached else ""
        return f"{st.label}: {st.done:,}/{st.total:,} {st.unit}{share}, {rate:,.1f}/s{left}{cache}"

    def _line(self, text: str) -> None:
        print(f"{self.prefix}: {text}", file=self.stream, flush=True)

    def _draw(self, st: Stage) -> None:
        if self._bars is None:
            self._bars = _rich_progress(self.stream)
            self._bars.start()
        task = self._tasks.get(st.name)
        fields = {"cache": st.cached, "stage": st.label}
        if task is None:
            self._tasks[st.name] = self._bars.add_task(f"{st.label} {st.unit}", total=st.total or None,
                                                       completed=st.done, **fields)
        else:
            self._bars.update(task, completed=st.done, total=st.total or None, **fields)


# The bar's columns at each terminal width: the widest layout whose fixed columns leave the bar
# at least BAR_MIN cells. Every column but the bar has a fixed width, so nothing is cut short
# ("419... 0:00... elapsed") however far the counts go: from 60 columns up, a line always fits.
BAR_MIN = 10
COUNT_WIDTH = 13            # "32,682/32,682"


def _layouts(count_width: int = COUNT_WIDTH):
    """(name, fixed width including one space between columns) from the richest to the leanest."""
    return (("full", 18 + count_width + 4 + 10 + 16 + 12 + 18 + 7),
            ("medium", 18 + count_width + 4 + 12 + 13 + 5),
            ("narrow", 7 + count_width + 4 + 7 + 12 + 5))


def layout_for(width: int, count_width: int = COUNT_WIDTH) -> str:
    """The layout for a terminal ``width`` columns wide (the leanest below 60)."""
    return next((name for name, fixed in _layouts(count_width) if fixed + BAR_MIN <= width), "narrow")


def _rich_progress(stream: TextIO):
    """Bars with counts, rate and time left, drawn on ``stream`` as on a terminal, laid out for
    the terminal's width at each refresh (a resized window gets the layout that fits)."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, ProgressColumn
    from rich.table import Column
    from rich.text import Text

    def fixed(width: int, render, justify: str = "left") -> ProgressColumn:
        class Fixed(ProgressColumn):
            def render(self, task) -> Text:
                return Text(render(task)[:width], style="progress.data.speed" if justify == "right" else "")
        return Fixed(table_column=Column(width=width, no_wrap=True, justify=justify))

    def count(task) -> str:
        total = f"{int(task.total):,}" if task.total is not None else "?"
        return f"{int(task.completed):,}/{total}"

    def share(task) -> str:
        return f"{task.percentage:.0f}%" if task.total else ""

    def rate(task) -> str:
        # a finished stage shows its average rate; a running one, the recent rate
        speed = task.completed / task.finished_time if task.finished and task.finished_time else task.speed
        return f"{speed:,.1f}/s" if speed else ""

    def clock(seconds) -> str:
        if seconds is None:
            return "-:--:--"
        minutes, secs = divmod(int(seconds), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}"

    def left(task) -> str:
        return clock(0 if task.finished else task.time_remaining)

    columns = {
        "full": lambda n: [fixed(18, lambda t: t.description), BarColumn(bar_width=None),
                         fixed(n, count, "right"), fixed(4, share, "right"), fixed(10, rate, "right"),
                         fixed(16, lambda t: f"{clock(t.elapsed)} elapsed,"), fixed(12, lambda t: f"{left(t)} left"),
                         fixed(18, lambda t: f"{t.fields['cache']:,} from the cache" if t.fields["cache"] else "")],
        "medium": lambda n: [fixed(18, lambda t: t.description), BarColumn(bar_width=None),
                           fixed(n, count, "right"), fixed(4, share, "right"),
                           fixed(12, lambda t: f"{left(t)} left"),
                           fixed(13, lambda t: f"{t.fields['cache']:,} cached" if t.fields["cache"] else "")],
        "narrow": lambda n: [fixed(7, lambda t: t.fields["stage"]), BarColumn(bar_width=None),
                           fixed(n, count, "right"), fixed(4, share, "right"),
                           fixed(7, lambda t: left(t)),
                           fixed(12, lambda t: f"{t.fields['cache']:,} cached" if t.fields["cache"] else "")],
    }

    class FittingProgress(Progress):
        def make_tasks_table(self, tasks):
            n = max([COUNT_WIDTH] + [len(count(t)) for t in tasks])
            self.columns = tuple(columns[layout_for(console.width, n)](n))
            return super().make_tasks_table(tasks)

    console = Console(file=stream, force_terminal=True, soft_wrap=False)
    return FittingProgress(console=console, transient=False, refresh_per_second=8,
                           redirect_stdout=False, redirect_stderr=stream is sys.stderr)
