"""Evaluation figures: the bootstrap of the macro-F1."""

from __future__ import annotations

import numpy as np

from tzcld_qual.services.evaluation import bootstrap_macro_f1, metrics

CODES = ["F1", "F2", "F3"]


def _gold_and_guess(n: int = 60) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    Y = (rng.random((n, len(CODES))) < 0.3).astype(int)
    flip = rng.random(Y.shape) < 0.2
    return Y, np.where(flip, 1 - Y, Y)


def test_each_draw_is_the_macro_f1_of_the_resampled_segments() -> None:
    """The vectorised draws equal :func:`metrics` on the same resampled rows (rebuilt here from
    the same seed, drawn in the function's blocks of 100 rounds)."""
    Y, pred = _gold_and_guess()
    draws = bootstrap_macro_f1(Y, [pred, Y], rounds=150, seed=3)
    rng = np.random.default_rng(3)
    rows = np.vstack([rng.integers(0, len(Y), size=(100, len(Y))), rng.integers(0, len(Y), size=(50, len(Y)))])
    for r in (0, 57, 149):
        expected = metrics(Y[rows[r]], pred[rows[r]], CODES)[1]
        assert abs(draws[r, 0] - expected) < 1e-4  # metrics() rounds per-code F1 to 4 places
    np.testing.assert_array_equal(draws[:, 1], 1.0)  # the gold itself scores 1 on every draw


def test_the_interval_holds_the_estimate_and_narrows_with_more_segments() -> None:
    widths = []
    for n in (60, 600):
        Y, pred = _gold_and_guess(n)
        draws = bootstrap_macro_f1(Y, [pred])[:, 0]
        low, high = np.percentile(draws, [2.5, 97.5])
        assert low < metrics(Y, pred, CODES)[1] < high
        widths.append(high - low)
    assert widths[1] < widths[0] / 2


def test_a_worse_coder_loses_on_almost_every_draw_and_an_equal_one_never_wins() -> None:
    Y, pred = _gold_and_guess(200)
    worse = np.zeros_like(pred)
    worse[:, 0] = pred[:, 0]  # only the first code right: the two others score 0
    draws = bootstrap_macro_f1(Y, [pred, worse, pred.copy()])
    assert (draws[:, 0] > draws[:, 1]).mean() > 0.99
    assert not (draws[:, 0] > draws[:, 2]).any()


def test_an_empty_gold_gives_zero_draws() -> None:
    draws = bootstrap_macro_f1(np.zeros((0, 3), int), [np.zeros((0, 3), int)], rounds=10)
    assert draws.shape == (10, 1) and not draws.any()


def test_the_macro_f1_is_over_the_codes_the_gold_file_uses() -> None:
    """A code the gold file never uses has no F1: it neither lowers nor raises the macro."""
    Y = np.array([[1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 0]])
    micro, macro, per_code = metrics(Y, Y.copy(), CODES)
    assert (micro, macro) == (1.0, 1.0) and per_code["F3"]["support"] == 0
    wrong = Y.copy()
    wrong[3, 2] = 1  # a false positive on the unused code still counts in the micro-F1
    assert metrics(Y, wrong, CODES)[1] == 1.0 and metrics(Y, wrong, CODES)[0] < 1.0
    np.testing.assert_array_equal(bootstrap_macro_f1(Y, [Y], rounds=20)[:, 0] > 0, True)
    assert metrics(np.zeros((3, 3), int), np.zeros((3, 3), int), CODES)[1] == 0.0  # no code used at all


def test_the_dev_score_leaves_out_answers_the_model_was_trained_on() -> None:
    import json
    from types import SimpleNamespace

    from tzcld_qual import paths
    from tzcld_qual.services.evaluation import dev_macro_f1

    dev = [json.loads(line) for line in (paths.repo_root() / "corpora/gold/dev.jsonl").read_text("utf-8").splitlines()]
    codes = [f"F{i}" for i in range(1, 9)]
    gold = {r["text"]: r["labels"] for r in dev}
    scored: list[str] = []

    def embed(texts: list[str]) -> np.ndarray:
        scored.extend(texts)
        return np.zeros((len(texts), 2))

    oracle = SimpleNamespace(predict_proba=lambda items: np.array([[c in gold[i.text] for c in codes] for i in items]))
    engine = SimpleNamespace(
        codebook=SimpleNamespace(top_ids=codes, roll_up=lambda code: code.split(".", 1)[0]),
        embed=embed,
        ensemble=oracle,
        thresholds=dict.fromkeys(codes, 0.5),
    )
    trained = [" " + dev[0]["text"].replace(" ", "  "), dev[1]["text"]]  # spacing aside
    assert dev_macro_f1(engine, trained) == 1.0  # type: ignore[arg-type]
    assert len(scored) == len(dev) - 2 and dev[0]["text"] not in scored
    assert dev_macro_f1(engine, list(gold)) is None  # type: ignore[arg-type]


BOOK = """
codebook: {name: essai, version: 1, language: fr}
codes:
  - id: MOI
    definition: "Le regard sur soi."
    examples: ["Je me sens capable maintenant.", "J'ose parler aux gens.", "Je me regarde autrement."]
  - id: fierte
    parent: MOI
    definition: "La fierté."
    examples: ["Je suis fière de mon travail.", "Mes enfants sont fiers de moi.", "Fière de me lever le matin."]
  - id: DROITS
    definition: "Les droits."
    examples: ["On m'a expliqué mes droits.", "J'ai eu la mutuelle.", "La CAF m'a aidée pour le dossier."]
"""


def test_gold_sub_codes_count_for_their_parent_whatever_their_ids(tmp_path) -> None:
    """A codebook may name a sub-code without its parent's prefix (``fierte`` under ``MOI``): in
    a gold file it still counts for the parent, through the codebook rather than the dot."""
    import json

    from fakes import HashingEmbedder

    from tzcld_qual.services.engine import EngineParams
    from tzcld_qual.services.evaluation import evaluate
    from tzcld_qual.services.training import from_gold, read_gold

    book = tmp_path / "book.yaml"
    book.write_text(BOOK, encoding="utf-8")
    rows = [
        {"id": "a:1", "text": "Je suis fière de moi.", "labels": ["fierte"], "doc": "a"},
        {"id": "a:2", "text": "On m'a parlé de mes droits.", "labels": ["DROITS"], "doc": "a"},
    ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    result = evaluate(gold, codebook_path=book, embedder=HashingEmbedder(), params=EngineParams(coders=("embedding",)))
    assert {code: m["support"] for code, m in result.per_code.items()} == {"MOI": 1, "DROITS": 1}
    assert from_gold(read_gold(gold), ["MOI", "DROITS"]).Y.tolist() == [[0, 0], [0, 1]]  # the dot rule alone


def test_a_code_a_resample_leaves_out_has_no_f1_there() -> None:
    """Perfect predictions score 1 on every draw, even for a code only two segments use (a draw
    without them used to count that code's F1 as 0: the interval fell below the estimate)."""
    Y = np.zeros((40, 3), int)
    Y[:20, 0] = 1
    Y[20:, 1] = 1
    Y[:2, 2] = 1
    draws = bootstrap_macro_f1(Y, [Y], rounds=200)[:, 0]
    assert metrics(Y, Y, CODES)[1] == 1.0
    np.testing.assert_array_equal(draws, 1.0)
