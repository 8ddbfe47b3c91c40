"""One model run (``code`` or ``retrain``) per project at a time.

Two runs at once stay correct (every write is a transaction, a model is registered once), but
each encodes and scores the whole selection: on a 2-core laptop the second run halves the first
one's speed for nothing. The lock is an advisory ``flock`` on a file beside the project, which the
system releases when the process ends, however it ends: a crash never leaves the project locked.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tzcld_qual.errors import ProjectError, Text


def lock_path(project: Path) -> Path:
    return Path(f"{project}-run.lock")


@contextmanager
def model_run(project: Path) -> Iterator[None]:
    """Hold the project's run lock, or refuse at once if another run holds it."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no lock, runs stay correct, only slower
        yield
        return
    with lock_path(project).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ProjectError(
                Text(
                    "un autre codage (code ou retrain) tourne déjà sur ce projet.",
                    "another model run (code or retrain) is already working on this project.",
                ),
                Text(
                    "Attendez qu'il finisse, puis relancez : ce qu'il aura codé ne sera pas refait.",
                    "Wait for it to finish, then run again: what it coded will not be redone.",
                ),
                path=project,
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
