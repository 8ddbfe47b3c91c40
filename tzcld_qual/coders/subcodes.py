"""Which sub-code of a suggested finding fits best (``F3`` → ``F3.formation``…).

Sub-codes have few examples, so instead of a classifier this ranks the children of a code by
their best cosine similarity to the child's examples, definition and accepted segments, and
shares the parent's confidence among them with a softmax.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from tzcld_qual.coders.base import check_fitted


class SubcodeRanker:
    def __init__(self, temperature: float = 20.0, min_share: float = 0.5) -> None:
        self.temperature = temperature
        self.min_share = min_share

    def fit(self, prototypes: Mapping[str, Mapping[str, np.ndarray]]) -> SubcodeRanker:
        """``prototypes[parent][child]``: a matrix of prototype vectors for each child code."""
        self.prototypes_ = {
            parent: {child: np.atleast_2d(v) for child, v in children.items() if len(v)}
            for parent, children in prototypes.items()
        }
        return self

    def rank(self, embedding: np.ndarray, parent: str) -> list[tuple[str, float]]:
        """Children of ``parent`` with their share of the parent's confidence, best first."""
        check_fitted(self, "prototypes_")
        children = self.prototypes_.get(parent) or {}
        if not children:
            return []
        names: Sequence[str] = list(children)
        sims = np.array([float((children[c] @ embedding).max()) for c in names])
        shares = np.exp((sims - sims.max()) * self.temperature)
        shares /= shares.sum()
        return sorted(zip(names, shares.tolist(), strict=True), key=lambda x: -x[1])

    def best(self, embedding: np.ndarray, parent: str) -> tuple[str, float] | None:
        ranked = self.rank(embedding, parent)
        if ranked and ranked[0][1] >= self.min_share:
            return ranked[0]
        return None
