"""The second, blind coding of ``dev`` (corpora/agreement) stays aligned with the gold split."""

import json
import runpy
from pathlib import Path

import pytest

from tzcld_qual import paths
from tzcld_qual.codebook import load_codebook

REPO = Path(__file__).resolve().parents[2]


def _ids_and_labels(path: Path) -> list[tuple[str, list[str]]]:
    return [(r["id"], r["labels"]) for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())]


def test_second_coding_covers_every_dev_answer_with_known_codes() -> None:
    gold = _ids_and_labels(REPO / "corpora/gold/dev.jsonl")
    second = _ids_and_labels(REPO / "corpora/agreement/dev-second-coding.jsonl")
    assert [i for i, _ in second] == [i for i, _ in gold]
    assert {c for _, labels in second for c in labels} <= set(load_codebook(paths.default_codebook()).top_ids)


def test_score_reports_agreement_and_refuses_a_partial_coding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main = runpy.run_path(str(REPO / "corpora/agreement/score.py"))["main"]
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "167 answers" in out and "macro-F1 0.914" in out
    partial = tmp_path / "partial.jsonl"
    lines = (REPO / "corpora/agreement/dev-second-coding.jsonl").read_text(encoding="utf-8").splitlines()
    partial.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    assert main([str(partial)]) == 1
    assert "1 dev answers not coded" in capsys.readouterr().err
