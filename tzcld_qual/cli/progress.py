"""A rich progress bar on stderr when it is a terminal; silent otherwise."""

from __future__ import annotations

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

        def advance(n: int, total: int) -> None:
            bar.update(task, total=total, advance=n)
            elapsed = bar.tasks[0].elapsed or 0
            done = bar.tasks[0].completed
            if elapsed and done:
                bar.update(task, rate=f"{done / elapsed:.0f} seg/s")

        def stage(message: str, fraction: float) -> None:
            bar.update(task, description=f"{label} — {message}")

        yield advance, stage
