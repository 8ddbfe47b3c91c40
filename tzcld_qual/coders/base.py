"""What every coder shares: the input item, label matrices, and the fitted-state check."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from tzcld_qual.errors import NotFittedError, Text

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to code: a segment's text, its cached embedding, and the question it answers."""

    text: str
    embedding: np.ndarray | None = None
    context: str = ""  # the interviewer's preceding question, if any
    key: str = ""  # segment id or gold id, for explanations ("closest accepted segment 123")
    group: str = ""  # the interview it comes from: cross-validation never splits a group


class Coder(Protocol):
    codes: Sequence[str]

    def fit(self, X: Sequence[Item], Y: np.ndarray) -> Coder: ...

    def predict_proba(self, X: Sequence[Item]) -> np.ndarray: ...

    def explain(self, item: Item, code: str) -> str: ...


def check_fitted(coder: Any, attribute: str) -> None:
    """Raise scikit-learn's "not fitted" error (as a user-facing :class:`NotFittedError`)."""
    if not hasattr(coder, attribute):
        raise NotFittedError(
            Text("{name} n'est pas entraîné : appelez fit() d'abord.", "{name} is not fitted yet: call fit() first."),
            None,
            name=type(coder).__name__,
        )


def label_matrix(
    labels: Sequence[Sequence[str]], codes: Sequence[str], roll_up: Callable[[str], str] | None = None
) -> np.ndarray:
    """0/1 matrix from label lists; a sub-code counts for its top-level parent: ``roll_up`` (the
    codebook's) names it, else the id before the dot (``F3.x`` → ``F3``)."""
    import numpy as np

    index = {c: i for i, c in enumerate(codes)}
    Y = np.zeros((len(labels), len(codes)), dtype=np.int8)
    for row, names in enumerate(labels):
        for name in names:
            for candidate in (name, roll_up(name) if roll_up else name.split(".", 1)[0]):
                if candidate in index:
                    Y[row, index[candidate]] = 1
    return Y


def embeddings_of(X: Sequence[Item]) -> np.ndarray:
    import numpy as np

    if any(item.embedding is None for item in X):
        raise ValueError("every Item needs an embedding for this coder (see services.embeddings)")
    vectors = [item.embedding for item in X if item.embedding is not None]
    return np.vstack(vectors).astype(np.float32) if vectors else np.zeros((0, 0), np.float32)


def positive_rows(positive: np.ndarray) -> list[np.ndarray]:
    """Per code (column of the ``n × k`` mask), the indices of its positive rows: what
    explanations search for "the closest example", looked up once at fit time."""
    import numpy as np

    return [np.flatnonzero(positive[:, k]) for k in range(positive.shape[1])]


def closest_columns(S: np.ndarray) -> tuple[list[int], list[float], list[bool]]:
    """Per row of ``S`` (a segment's similarities to some training items), the column of the
    most similar item and that similarity, the segment itself aside (above 0.9999: it was in the
    training data); the similarity is -1 where no other item is left. Third, whether the row was
    among those items: its explanation must say it was learnt, not only what it resembles."""
    import numpy as np

    itself = S > 0.9999
    learnt: list[bool] = np.asarray(itself.any(axis=1)).tolist()
    S = np.where(itself, -1.0, S)
    best = S.argmax(axis=1)
    return best.tolist(), S[np.arange(len(S)), best].tolist(), learnt


def closest_of(
    cache: dict[str, tuple[list[int], list[float], list[bool]]],
    scored: tuple[np.ndarray, dict[str, int]] | None,
    text: str,
    code: str,
    columns: np.ndarray,
    alone: Callable[[], np.ndarray],
) -> tuple[int, float, bool]:
    """:func:`closest_columns` of one segment among ``columns``: from the similarities of the
    batch just scored (``scored``: a matrix and each text's row) when ``text`` is in it, found
    for every row of the batch at once on the first call for ``code`` and kept in ``cache``;
    else from ``alone()``, the segment's similarities to every training item."""
    if scored is not None and text in scored[1]:
        if code not in cache:
            cache[code] = closest_columns(scored[0][:, columns])
        best, sims, learnt = cache[code]
        row = scored[1][text]
        return best[row], sims[row], learnt[row]
    (best_alone,), (sim_alone,), (learnt_alone,) = closest_columns(alone()[None, columns])
    return best_alone, sim_alone, learnt_alone


def centred(E: np.ndarray, mean: np.ndarray | None) -> np.ndarray:
    """Embeddings minus the training items' mean vector, back on the unit sphere.

    Sentence embeddings share a common direction that lifts every cosine alike; taking it out
    lets similarities and linear weights see what differs between segments. ``mean`` is ``None``
    when centring is off. A zero row (the mean itself) stays zero.
    """
    import numpy as np

    if mean is None or not E.size:
        return E
    out = E - mean
    norms = np.linalg.norm(out, axis=-1, keepdims=True)
    return (out / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def weight_matrix(sample_weight: np.ndarray | None, shape: tuple[int, int]) -> np.ndarray:
    """Per-code sample weights (``n × k``); 0 means "label unknown for this code".

    Codebook near-miss negatives, for instance, say a segment is *not* F3 and nothing about F5.
    """
    import numpy as np

    if sample_weight is None:
        return np.ones(shape, dtype=np.float64)
    w = np.asarray(sample_weight, dtype=np.float64)
    if w.ndim == 1:
        w = np.repeat(w[:, None], shape[1], axis=1)
    if w.shape != shape:
        raise ValueError(f"sample_weight has shape {w.shape}, expected {shape}")
    return w


def clone(coder: Any) -> Any:
    """A new, unfitted coder with the same parameters (scikit-learn's ``clone`` contract).

    A coder may define ``__sklearn_clone__`` to share parameter-derived caches with its copies
    (the lexicon coder shares its lemmatised texts, so cross-validation lemmatises once).
    """
    import inspect

    if hasattr(coder, "__sklearn_clone__"):
        return coder.__sklearn_clone__()
    params = {
        name: getattr(coder, name)
        for name in inspect.signature(type(coder)).parameters
        if name != "self" and hasattr(coder, name)
    }
    return type(coder)(**params)


def best_threshold(
    y: np.ndarray, p: np.ndarray, w: np.ndarray | None = None, *, low: float = 0.1, high: float = 0.9
) -> float:
    """The decision threshold that maximises F1 on (out-of-fold) probabilities; ``high`` when
    there is no positive to find (every threshold scores 0: the strictest one suggests least)."""
    import numpy as np

    w = np.ones_like(p) if w is None else w
    if not float(w[y == 1].sum()) > 0:
        return high
    best_t, best_f1 = 0.5, -1.0
    for t in np.arange(low, high + 1e-9, 0.025):
        pred = p >= t
        tp = float(w[(pred == 1) & (y == 1)].sum())
        fp = float(w[(pred == 1) & (y == 0)].sum())
        fn = float(w[(pred == 0) & (y == 1)].sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best_f1 + 1e-9:
            best_t, best_f1 = float(t), f1
    return round(best_t, 3)
