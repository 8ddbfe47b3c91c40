"""The lexicon's per-word facts as numpy columns, looked up for a whole batch of texts at once.

A batch of 256 answers is ~12,000 tokens. Looking each one up in a dict, then summing and
copying its facts text by text, was a third of the lexicon's time (a Python step per token);
here the lookup is one ``searchsorted`` over the batch and the sums are array operations, so
Python only visits the few tokens that are the anchor word of some rule (12 % of them), and a
text's literal words come out as ids (``word_ids``) to compare with a rule's as sets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    import numpy as np


class WordFacts(Protocol):
    @property
    def written(self) -> tuple[int, ...]: ...  # string ids written into the doc for the Matcher

    @property
    def is_word(self) -> bool: ...

    @property
    def short_negator(self) -> bool: ...

    @property
    def anchors(self) -> tuple[str, ...]: ...  # anchor words of the lexicon's rules it is

    @property
    def literal_ids(self) -> tuple[int, ...]: ...  # ids of the literal words it is (at most 2)


F = TypeVar("F", bound=WordFacts)


class TokenTable(Generic[F]):
    """Rows of facts keyed by spaCy ``ORTH`` id; ``make`` computes the facts of a new word."""

    def __init__(self, make: Callable[[int], F], width: int) -> None:
        import numpy as np

        self._make = make
        self.facts: list[F] = []
        self._orths: list[int] = []
        self._keys = np.zeros(0, dtype=np.uint64)  # sorted ORTH ids
        self._key_rows = np.zeros(0, dtype=np.intp)  # their rows
        self.written = np.zeros((0, width), dtype=np.uint64)
        self.is_word = np.zeros(0, dtype=np.int64)
        self.short_negator = np.zeros(0, dtype=np.int64)
        self.anchor = np.zeros(0, dtype=bool)
        self.word_ids = np.zeros((0, 2), dtype=np.int64)  # -1 where it is no (other) literal word

    def rows(self, orths: np.ndarray) -> np.ndarray:
        """The row of each ``ORTH`` id (words never seen are added first)."""
        import numpy as np

        rows = self._find(orths)
        if (rows < 0).any():
            self._add(np.unique(orths[rows < 0]).tolist())
            rows = self._find(orths)
        return rows

    def _find(self, orths: np.ndarray) -> np.ndarray:
        import numpy as np

        if not len(self._keys):
            return np.full(len(orths), -1, dtype=np.intp)
        at = np.minimum(np.searchsorted(self._keys, orths), len(self._keys) - 1)
        return np.where(self._keys[at] == orths, self._key_rows[at], -1)

    def _add(self, orths: list[int]) -> None:
        import numpy as np

        new = [self._make(orth) for orth in orths]
        self.facts.extend(new)
        self._orths.extend(orths)
        keys = np.array(self._orths, dtype=np.uint64)
        order = np.argsort(keys, kind="stable")
        self._keys, self._key_rows = keys[order], order.astype(np.intp)
        self.written = np.vstack([self.written, np.array([f.written for f in new], dtype=np.uint64)])
        self.is_word = np.concatenate([self.is_word, [int(f.is_word) for f in new]])
        self.short_negator = np.concatenate([self.short_negator, [int(f.short_negator) for f in new]])
        self.anchor = np.concatenate([self.anchor, [bool(f.anchors) for f in new]])
        ids = [(*f.literal_ids, -1, -1)[:2] for f in new]
        self.word_ids = np.vstack([self.word_ids, np.array(ids, dtype=np.int64)])
