"""How commands talk: data on stdout (JSON Lines with ``--json``), messages on stderr."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import asdict, is_dataclass
from typing import Any, TextIO


class Console:
    """Messages for people on stderr (silenced by ``-q``), data on stdout."""

    def __init__(
        self, *, quiet: bool = False, verbose: int = 0, out: TextIO | None = None, err: TextIO | None = None
    ) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def say(self, message: str) -> None:
        if not self.quiet:
            print(message, file=self.err, flush=True)

    def debug(self, message: str) -> None:
        if self.verbose and not self.quiet:
            print(message, file=self.err, flush=True)

    def data(self, line: str = "") -> None:
        print(line, file=self.out, flush=True)

    def json_lines(self, records: Iterable[Any]) -> None:
        for record in records:
            self.data(to_json(record))

    def json(self, record: Any) -> None:
        self.data(to_json(record, indent=None))

    @property
    def interactive(self) -> bool:
        return self.err.isatty() and not self.quiet


def to_json(value: Any, indent: int | None = None) -> str:
    return json.dumps(plain(value), ensure_ascii=False, indent=indent)


def plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def table(rows: list[list[str]], headers: list[str]) -> str:
    """A plain-text table (no colour, works in pipes)."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=False))]
    lines.append("  ".join("─" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=False)) for r in rows]
    return "\n".join(lines)


def terminal_width(fallback: int = 100) -> int:
    """The width a table may take: ``COLUMNS`` if set, else the terminal's, else ``fallback``
    (a pipe)."""
    return shutil.get_terminal_size((fallback, 24)).columns


def clip(text: str, width: int, *, more: bool = False) -> str:
    """``text`` in at most ``width`` characters, ending with « … » where it was cut (or where
    ``more`` says text follows that is not shown)."""
    if len(text) <= width and not more:
        return text
    if len(text) < width:
        return f"{text} …" if len(text) + 2 <= width else text[: width - 1] + "…"
    return text[: max(width - 1, 0)].rstrip() + "…"
