"""Accent- and case-insensitive forms of French text, for matching only (never stored or shown).

Two forms, because callers need different guarantees: :func:`strip_accents` spells ligatures
out ("cœur" → "coeur", so words compare as people type them), :func:`fold_in_place` keeps one
character per character (an offset found in the folded text is an offset in the original).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"}
_APOSTROPHES = str.maketrans({"’": "'", "`": "'", "ʼ": "'"})


class _AccentTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each character."""

    def __missing__(self, char: int) -> str:
        folded = "".join(c for c in unicodedata.normalize("NFD", chr(char)) if not unicodedata.combining(c))
        folded = _LIGATURES.get(folded, folded)
        self[char] = folded
        return folded


@lru_cache(maxsize=1)
def _accent_table() -> _AccentTable:
    return _AccentTable()


def strip_accents(text: str) -> str:
    """``text`` without accents, ligatures spelt out ("Été" → "Ete", "œuvre" → "oeuvre"); case kept."""
    return text if text.isascii() else text.translate(_accent_table())


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def fold_in_place(text: str) -> str:
    """Lower case, no accents, straight apostrophes; exactly as long as ``text``."""
    return "".join(_fold_char(c) for c in text.translate(_APOSTROPHES))
