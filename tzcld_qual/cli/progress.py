"""A rich progress bar on stderr when it is a terminal; silent otherwise (``-v``: a line per step).

A long run goes through steps of its own kind: some counted (texts encoded, segments scored: a
bar ``n/N`` with its rate and the time left), some known by their share only (the model's
cross-validation folds: a bar in percent and the time left). Each step restarts the bar, its
rate and its estimate: the minutes spent encoding do not make the scoring look slow.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tzcld_qual.cli.output import Console


class RunProgress:
    """``advance(n, total)``: segments scored; ``stage(message, fraction)``: a step known by its
    share; ``step(message, done, total)``: a counted step (texts encoded…)."""

    def __init__(self, console: Console, label: str, bar: Any = None) -> None:
        self._console = console
        self._label = label
        self._bar = bar
        self._task = bar.add_task(label, total=None, rate="", count="") if bar is not None else None
        self._mode: tuple[str, str] | None = None
        self._rate = Rate()
        self._said = ""  # the last line written without a terminal (-v)
        self._scored = 0  # segments scored in this step, without a terminal

    def advance(self, n: int, total: int) -> None:
        """``n`` more segments scored out of ``total``."""
        if self._mode != ("score", ""):
            self._restart(("score", ""), f"{self._label} — encodage et codage", total, "seg/s")
        if self._bar is None:
            if n:
                self._quiet_count("encodage et codage", n, total, advance=True)
            return
        self._bar.update(self._task, total=total, advance=n)
        done = int(self._bar.tasks[0].completed)
        self._bar.update(self._task, count=f"{done}/{total}", rate=self._rate(done, time.monotonic()) if n else "")

    def stage(self, message: str, fraction: float) -> None:
        if self._bar is None:
            self._console.debug(f"{self._label} — {message} ({fraction:.0%})")
            return
        if self._mode is None or self._mode[0] != "stage":
            # A step known by its share: percent and time left, no count (« 0/? » said nothing).
            self._restart(("stage", message), f"{self._label} — {message}", 100, "")
        self._mode = ("stage", message)
        self._bar.update(
            self._task, description=f"{self._label} — {message}", completed=round(100 * fraction), count=""
        )

    def step(self, message: str, done: int, total: int) -> None:
        """``done`` of the ``total`` items of a counted step (« encodage des textes… »)."""
        if self._mode != ("step", message):
            self._restart(("step", message), f"{self._label} — {message}", total, "textes/s")
        if self._bar is None:
            self._quiet_count(message, done, total)
            return
        rate = self._rate(done, time.monotonic())
        self._bar.update(self._task, total=total, completed=done, count=f"{done}/{total}", rate=rate)

    def _restart(self, mode: tuple[str, str], description: str, total: int | None, unit: str) -> None:
        self._mode = mode
        self._rate = Rate(unit)
        self._scored = 0
        if self._bar is not None:
            self._bar.reset(self._task, total=total, completed=0, description=description, rate="", count="")

    def _quiet_count(self, message: str, done: int, total: int, *, advance: bool = False) -> None:
        """Without a terminal, with ``-v``: a line at the start and then every tenth of the step."""
        if advance:
            self._scored += done
            done = self._scored
        tenth = 10 * done // max(total, 1)
        line = f"{self._label} — {message} : {tenth}/10"
        if line != self._said:
            self._said = line
            self._console.debug(f"{self._label} — {message} : {done}/{total}")


@contextmanager
def run_progress(console: Console, label: str) -> Iterator[RunProgress]:
    """The progress of a long run on stderr: a bar on a terminal, else silent (``-v``: lines)."""
    if not console.interactive:
        yield RunProgress(console, label)
        return
    from rich.console import Console as RichConsole
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[count]}"),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    # A sample every batch of 256 segments (~17 s with the default model on 2 cores) or fold:
    # rich's default 30 s window would often hold one sample, and no estimate.
    with Progress(
        *columns, console=RichConsole(file=console.err), transient=True, speed_estimate_period=600
    ) as bar:
        yield RunProgress(console, label, bar)


@contextmanager
def progress_bar(
    console: Console, label: str
) -> Iterator[tuple[Callable[[int, int], None], Callable[[str, float], None]]]:
    """Yields ``(advance(n, total), stage(message, fraction))`` callbacks."""
    with run_progress(console, label) as progress:
        yield progress.advance, progress.stage


class Rate:
    """Items per second, counted from the first update on: the minutes spent preparing
    and fitting the model before it made « 3 seg/s » of a run that scored 130 a second."""

    def __init__(self, unit: str = "seg/s") -> None:
        self._unit = unit
        self._first: tuple[float, int] | None = None

    def __call__(self, done: int, now: float) -> str:
        if self._first is None:
            self._first = (now, done)
            return ""
        start, before = self._first
        return f"{(done - before) / (now - start):.0f} {self._unit}" if now > start and self._unit else ""
