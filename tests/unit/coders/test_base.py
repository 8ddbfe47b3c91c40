"""Shared coder helpers: centring of embeddings."""

from __future__ import annotations

import numpy as np
import pytest

from tzcld_qual.coders.base import Item, centred
from tzcld_qual.coders.embedding import EmbeddingCoder


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_centring_removes_the_direction_every_vector_shares() -> None:
    """Two vectors that differ only in a small part look alike raw, opposite once centred."""
    common, apart = np.array([5.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])
    E = _unit(np.array([common + apart, common - apart]))
    assert float(E[0] @ E[1]) > 0.9
    C = centred(E, E.mean(axis=0))
    np.testing.assert_allclose(np.linalg.norm(C, axis=1), 1.0, rtol=1e-6)
    assert float(C[0] @ C[1]) < -0.99


def test_centring_is_off_with_no_mean_and_keeps_a_zero_row_finite() -> None:
    E = _unit(np.array([[1.0, 2.0], [2.0, 1.0]]))
    assert centred(E, None) is E
    C = centred(E, E[0])  # the first row is the mean itself
    assert np.isfinite(C).all()
    np.testing.assert_array_equal(C[0], 0.0)
    np.testing.assert_allclose(centred(E[1], E[0]), C[1])  # one vector, as explanations pass it


def test_the_embedding_coder_compares_centred_vectors_when_scoring_and_explaining() -> None:
    """Every training vector carries a large shared part: the closest example an explanation
    names, and its similarity, are those of the centred vectors the scores were computed on."""
    rng = np.random.default_rng(0)
    shared = np.zeros(8)
    shared[0] = 6.0
    E = _unit(np.array([shared + rng.normal(size=8) for _ in range(12)]))
    items = [Item(f"texte {i}", e, group=f"g{i}") for i, e in enumerate(E)]
    Y = np.array([[1, 0]] * 6 + [[0, 1]] * 6)
    raw = EmbeddingCoder(["A", "B"], centre=False).fit(items, Y)
    coder = EmbeddingCoder(["A", "B"]).fit(items, Y)
    assert raw.mean_ is None
    np.testing.assert_allclose(coder.mean_, E.mean(axis=0), rtol=1e-6)
    query = _unit(shared[None, :] + rng.normal(size=(1, 8)))[0]
    expected = centred(E[:6], coder.mean_) @ centred(query, coder.mean_)
    assert float(expected.max()) < float((E[:6] @ query).max()) - 0.1  # centring changed the figures
    for scored_first in (False, True):
        if scored_first:
            coder.predict_proba([Item("question", query)])
        found = coder.closest(Item("question", query), "A")
        assert found is not None and not found.learnt
        assert found.text == f"texte {int(np.argmax(expected))}"
        assert found.similarity == pytest.approx(float(expected.max()), abs=1e-5)


def test_with_no_positive_the_threshold_is_the_strictest() -> None:
    """Every threshold finds nothing: the lowest would suggest the code on any score."""
    from tzcld_qual.coders.base import best_threshold

    scores = np.array([0.05, 0.2, 0.6, 0.95])
    assert best_threshold(np.zeros(4), scores) == 0.9
    assert best_threshold(np.array([0, 1, 0, 1]), scores, np.array([1.0, 0.0, 1.0, 0.0])) == 0.9
    assert best_threshold(np.array([0, 0, 1, 1]), scores) == pytest.approx(0.225)
