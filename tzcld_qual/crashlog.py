"""Unexpected errors (bugs) go to a private log file, whose path is shown to the user."""

from __future__ import annotations

import traceback

from tzcld_qual import paths


def log_current_exception() -> str:
    """Append the exception being handled to the log file; returns where it went."""
    try:
        path = paths.log_file()
        paths.make_private_dir(path.parent)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(traceback.format_exc() + "\n")
        return str(path)
    except OSError:
        return "(journal indisponible)"
