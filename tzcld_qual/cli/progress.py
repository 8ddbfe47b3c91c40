"""A rich progress bar on stderr when it is a terminal; silent otherwise."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tzcld_qual.cli.output import Console


@contextmanager
def progress_bar(
    console: Console, label: str
) -> Iterator[tuple[Callable[[int, int], None], Callable[[str, float], None]]]:
    """Yields ``(advance(n, total), stage(message, fraction))`` callbacks."""
    if not console.interactive:

        def stage_quiet(message: str, fraction: float) -> None:
            console.debug(f"{message} ({fraction:.0%})")

        yield (lambda n, total: None), stage_quiet
        return
    from rich.console import Console as RichConsole
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=RichConsole(file=console.err), transient=True) as bar:
        task = bar.add_task(label, total=None, rate="")
        rate = Rate()

        def advance(n: int, total: int) -> None:
            bar.update(task, total=total, advance=n)
            if n:
                bar.update(task, rate=rate(int(bar.tasks[0].completed), time.monotonic()))

        def stage(message: str, fraction: float) -> None:
            bar.update(task, description=f"{label} — {message}")

        yield advance, stage


class Rate:
    """Segments scored per second, counted from the first batch on: the minutes spent preparing
    and fitting the model before it made « 3 seg/s » of a run that scored 130 a second."""

    def __init__(self) -> None:
        self._first: tuple[float, int] | None = None

    def __call__(self, done: int, now: float) -> str:
        if self._first is None:
            self._first = (now, done)
            return ""
        start, before = self._first
        return f"{(done - before) / (now - start):.0f} seg/s" if now > start else ""
