"""Test doubles for the privacy tests: a predictable NER, a spaCy-free splitter, a file writer."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path


class FakeRecognizer:
    """Tags the given surfaces wherever they occur (whole words), like a perfectly predictable NER."""

    def __init__(self, table: Mapping[str, str] | None = None) -> None:
        self.table = dict(table or {})
        self.calls = 0

    def entities_of(self, text: str) -> list[tuple[int, int, str]]:
        out = []
        for surface, label in self.table.items():
            out += [(m.start(), m.end(), label) for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text)]
        return out

    def entities(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        self.calls += 1
        return [self.entities_of(t) for t in texts]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


class WholeTurnSplitter:
    """One sentence per turn: segmentation without loading spaCy (fast tests)."""

    def split(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        return [[(0, len(t))] for t in texts]
