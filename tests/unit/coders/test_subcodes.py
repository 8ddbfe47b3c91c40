"""Sub-code ranking: the parent's confidence shared among its children by similarity."""

from __future__ import annotations

import numpy as np
import pytest

from tzcld_qual.coders.subcodes import SubcodeRanker
from tzcld_qual.errors import NotFittedError


def _unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


@pytest.fixture
def ranker() -> SubcodeRanker:
    """F3 has two children, each with its prototypes; F5 has none."""
    return SubcodeRanker(temperature=20.0, min_share=0.6).fit({
        "F3": {
            "F3.droits": np.vstack([_unit(1, 0, 0), _unit(1, 0.2, 0)]),
            "F3.formation": np.vstack([_unit(0, 1, 0)]),
        },
        "F5": {},
    })


def test_the_closest_child_takes_most_of_the_parents_confidence(ranker: SubcodeRanker) -> None:
    ranked = ranker.rank(_unit(0.9, 0.1, 0.1), "F3")
    assert [name for name, _ in ranked] == ["F3.droits", "F3.formation"]
    assert sum(share for _, share in ranked) == pytest.approx(1.0)
    assert ranked[0][1] > 0.99
    assert ranker.best(_unit(0.1, 0.9, 0.1), "F3") == ("F3.formation", pytest.approx(ranked[0][1], abs=0.01))


def test_no_child_is_named_when_none_stands_out_or_there_are_none(ranker: SubcodeRanker) -> None:
    between = _unit(1, 1.22, 0)  # as close to one child as to the other
    _names, shares = ranker.shares(between, "F3")
    assert shares.max() < 0.6
    assert ranker.best(between, "F3") is None
    assert ranker.best(_unit(1, 0, 0), "F5") is None
    assert ranker.shares(np.vstack([_unit(1, 0, 0)] * 3), "F9")[1].shape == (3, 0)


def test_a_batch_gets_the_shares_each_segment_gets_alone(ranker: SubcodeRanker) -> None:
    rng = np.random.default_rng(0)
    E = rng.normal(size=(50, 3)).astype(np.float32)
    E /= np.linalg.norm(E, axis=1, keepdims=True)
    names, shares = ranker.shares(E, "F3")
    assert names == ["F3.droits", "F3.formation"]
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    for row, e in enumerate(E):
        alone = dict(ranker.rank(e, "F3"))
        np.testing.assert_allclose([alone[n] for n in names], shares[row], rtol=1e-5)
        batch, one = ranker.best_of(names, shares, row), ranker.best(e, "F3")
        assert (batch is None) == (one is None)
        if batch and one:
            assert batch[0] == one[0] and batch[1] == pytest.approx(one[1])
    assert 0 < sum(ranker.best_of(names, shares, row) is None for row in range(len(E))) < len(E)


def test_ranking_before_fit_is_an_error() -> None:
    with pytest.raises(NotFittedError):
        SubcodeRanker().rank(_unit(1, 0, 0), "F3")


def test_a_lone_child_must_be_closer_than_its_parents_own_texts() -> None:
    """A theme promoted under F1 was its only sub-code: alone in the softmax it took the whole
    share, and was suggested on every F1 segment (91 of 91, « part 1.00 »)."""
    protos = {"F1": {"F1.bouche_a_oreille": np.vstack([_unit(0, 1, 0)])}}
    alone = SubcodeRanker(temperature=20.0).fit(protos)
    assert alone.best(_unit(1, 0.1, 0), "F1") == ("F1.bouche_a_oreille", pytest.approx(1.0))  # the defect
    ranker = SubcodeRanker(temperature=20.0).fit(protos, {"F1": np.vstack([_unit(1, 0, 0)])})
    assert ranker.best(_unit(1, 0.1, 0), "F1") is None  # about the CLE itself: F1 alone
    assert ranker.best(_unit(0.1, 1, 0), "F1") == ("F1.bouche_a_oreille", pytest.approx(1.0, abs=0.01))
    assert [name for name, _ in ranker.rank(_unit(1, 0.1, 0), "F1")] == ["F1.bouche_a_oreille"]
    two = SubcodeRanker(temperature=20.0).fit(
        {"F3": {"F3.a": np.vstack([_unit(1, 0, 0)]), "F3.b": np.vstack([_unit(0, 1, 0)])}},
        {"F3": np.vstack([_unit(0, 0, 1)])},
    )
    assert two.rank(_unit(0, 0, 1), "F3")[0][1] == pytest.approx(0.5)  # siblings compete as before
