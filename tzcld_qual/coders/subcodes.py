"""Which sub-code of a suggested finding fits best (``F3`` → ``F3.formation``…).

Sub-codes have few examples, so instead of a classifier this ranks the children of a code by
their best cosine similarity to the child's examples, definition and accepted segments, and
shares the parent's confidence among them with a softmax. A lone child (a theme promoted under
a finding) competes with its parent's own texts: alone in the softmax it took the whole share,
and was suggested wherever its parent was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from tzcld_qual.coders.base import check_fitted


class SubcodeRanker:
    def __init__(self, temperature: float = 100.0, min_share: float = 0.5) -> None:
        """``temperature`` scales cosine differences, which are small (a few hundredths), before the
        softmax. At 20 a finding with four sub-codes (F3, F4) seldom got one: 42 of the 525
        ``train`` answers coded with one of their sub-codes (388 at 100). Chosen on the sources
        of the ``train`` split, which the prototypes do not use: sub-code F1 there 0.59 at 20,
        0.69 at 60, 0.70 from 100 on (precision 0.74, recall 0.67)."""
        self.temperature = temperature
        self.min_share = min_share

    def fit(
        self, prototypes: Mapping[str, Mapping[str, np.ndarray]], parents: Mapping[str, np.ndarray] | None = None
    ) -> SubcodeRanker:
        """``prototypes[parent][child]``: a matrix of prototype vectors for each child code;
        ``parents[parent]``: the parent's own, which a lone child must beat to be chosen."""
        self.prototypes_ = {
            parent: {child: np.atleast_2d(v) for child, v in children.items() if len(v)}
            for parent, children in prototypes.items()
        }
        for parent, children in self.prototypes_.items():
            own = (parents or {}).get(parent)
            if len(children) == 1 and own is not None and len(own):
                children[ITSELF] = np.atleast_2d(own)
        return self

    def shares(self, E: np.ndarray, parent: str) -> tuple[list[str], np.ndarray]:
        """The children of ``parent``, and each row of ``E``'s share of the parent's confidence
        among them (``n × children``): one product per child for a whole batch of segments."""
        check_fitted(self, "prototypes_")
        children = self.prototypes_.get(parent) or {}
        E = np.atleast_2d(E)
        names = list(children)
        if not names:
            return [], np.zeros((len(E), 0))
        sims = np.column_stack([(E @ children[c].T).max(axis=1) for c in names]).astype(np.float64)
        shares = np.exp((sims - sims.max(axis=1, keepdims=True)) * self.temperature)
        return names, shares / shares.sum(axis=1, keepdims=True)

    def rank(self, embedding: np.ndarray, parent: str) -> list[tuple[str, float]]:
        """Children of ``parent`` with their share of the parent's confidence, best first (a lone
        child's share is what its parent's own texts leave it)."""
        names, shares = self.shares(embedding, parent)
        ranked = sorted(zip(names, shares[0].tolist(), strict=True), key=lambda x: -x[1])
        return [(name, share) for name, share in ranked if name != ITSELF]

    def best(self, embedding: np.ndarray, parent: str) -> tuple[str, float] | None:
        return self.best_of(*self.shares(embedding, parent), 0)

    def best_of(self, names: Sequence[str], shares: np.ndarray, row: int) -> tuple[str, float] | None:
        """The child with the largest share in ``row`` of :meth:`shares`, if it has at least
        ``min_share`` of the parent's confidence. With two children the better one always has:
        a finding with two sub-codes is always suggested with one, as the corpora's coders gave
        a sub-code in 94 % of their F3–F8 codings (1,501 of 1,603)."""
        if not names:
            return None
        best = int(np.argmax(shares[row]))
        share = float(shares[row, best])
        return (names[best], share) if share >= self.min_share and names[best] != ITSELF else None


ITSELF = ""  # the parent's own prototypes, beside a lone child
