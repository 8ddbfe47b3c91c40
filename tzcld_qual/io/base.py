"""The contract every importer meets, so the registry can treat all formats alike."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from tzcld_qual.model import ParsedTranscript


class Importer(Protocol):
    """Turns the bytes of one file format into a :class:`ParsedTranscript`.

    The registry has already checked that the file exists, is not empty, not too large and not
    binary garbage; an importer only raises :class:`~tzcld_qual.errors.InputError` for problems
    of its own format (malformed front matter, a zip that is not a Word document…).
    """

    @property
    def suffixes(self) -> tuple[str, ...]:
        """Lower-case, with the dot: ``(".txt", ".md")``."""
        ...

    def read(self, path: Path, data: bytes) -> ParsedTranscript: ...
