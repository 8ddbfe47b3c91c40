"""The embedding coder's similarity features: the ranked shortcut gives the full computation's values."""

from __future__ import annotations

import numpy as np
import pytest

from tzcld_qual.coders.embedding import RANKED, _highest, _rank


@pytest.mark.parametrize("top", [1, 3])
def test_ranked_features_equal_the_full_computation_including_rows_that_fall_back(top: int) -> None:
    rng = np.random.default_rng(0)
    n_columns = 4 * RANKED
    S = rng.uniform(-1, 1, size=(50, n_columns)).astype(np.float32)
    mask = np.ones(n_columns, dtype=bool)
    mask[: RANKED + 4] = False  # a few columns outside the mask (a code's positives)...
    S[:5, : RANKED + 4] = 2.0  # ...hold the top of five rows: those rows must be computed in full
    ranked = _rank(S, RANKED)
    assert ranked is not None
    assert not mask[ranked.columns[:5]].any()  # the fallback rows really have no masked column ranked
    fast = _highest(S, mask, top, ranked)
    full = _highest(S, mask, top)
    np.testing.assert_allclose(fast[0], full[0], rtol=0, atol=1e-6)
    np.testing.assert_allclose(fast[1], full[1], rtol=0, atol=1e-6)
    expected_high = np.where(mask, S, -np.inf).max(axis=1)
    np.testing.assert_allclose(fast[0], expected_high, atol=1e-6)


def test_no_ranking_when_the_matrix_is_narrower_than_the_ranked_width() -> None:
    assert _rank(np.zeros((3, RANKED)), RANKED) is None
