"""Is a capitalised word just a French word? ("Bizarre.", "Genre,", "Machin" at a sentence start.)

The NER tags many sentence-initial words of spoken French as names. The lemma table of
``spacy-lookups-data`` (a dependency already) lists ~250,000 French word forms; a word found
there and not a known first name is not taken for a name where capitalisation says nothing.
"""

from __future__ import annotations

import gzip
import json
from importlib.resources import files
from typing import Protocol

# Invariable words the lemma table lacks (it lists forms that have a lemma of their own).
_EXTRA = frozenset(
    """
    doucement vraiment franchement carrément tellement justement exactement évidemment forcément
    sud nord est ouest bravo voilà bah ben hein ouais ok okay super génial
    un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt
    trente quarante cinquante soixante cent mille bûcheronnage recyclerie ressourcerie
    """.split()
)


_TOPONYM_HEADS = frozenset({"saint", "sainte", "st", "ste", "le", "la", "les", "mont", "port", "pont", "val", "bourg"})


class Lexicon(Protocol):
    def common(self, word: str) -> bool:
        """Whether ``word`` (any case) is an everyday French word."""


class LookupsLexicon:
    """French word forms from ``spacy-lookups-data``, loaded on first use."""

    def __init__(self) -> None:
        self._words: frozenset[str] | None = None

    def common(self, word: str) -> bool:
        if self._words is None:
            self._words = _load()
        return _common(word, self._words)


class WordSetLexicon:
    """A fixed word set (tests, or a project's own list)."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = frozenset(w.lower() for w in words) | _EXTRA

    def common(self, word: str) -> bool:
        return _common(word, self.words)


def _common(word: str, words: frozenset[str]) -> bool:
    lowered = word.lower().replace("’", "'")
    if lowered in words or lowered in _EXTRA:
        return True
    parts = [p for p in lowered.split("-") if len(p) > 1]  # "allez-y": the "y" says nothing
    # "Allez-y" is everyday French; "Saint-Martin" is a place even though both halves are words
    return len(parts) > 1 and parts[0] not in _TOPONYM_HEADS and all(p in words or p in _EXTRA for p in parts)


def _load() -> frozenset[str]:
    try:
        data = files("spacy_lookups_data").joinpath("data", "fr_lemma_lookup.json.gz").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return frozenset()
    table = json.loads(gzip.decompress(data))
    words = set(table)
    for lemma in table.values():
        words.update([lemma] if isinstance(lemma, str) else lemma)
    return frozenset(w.lower() for w in words)
