"""Where the checkout's bundled material is found: one module knows the folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from tzcld_qual import paths


def test_the_gold_splits_of_the_checkout_are_found_and_a_missing_one_is_none() -> None:
    train, dev = paths.gold_split("train"), paths.gold_split("dev")
    assert train is not None and dev is not None
    assert train.name == "train.jsonl" and train.parent == dev.parent == paths.repo_root() / "corpora" / "gold"
    assert paths.gold_split("test") is None


def test_the_codebook_can_be_chosen_by_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TZCLD_QUAL_CODEBOOK", raising=False)
    assert paths.default_codebook() == paths.repo_root() / "codebooks" / "tzcld.yaml"
    assert paths.default_codebook().is_file()
    monkeypatch.setenv("TZCLD_QUAL_CODEBOOK", str(tmp_path / "mine.yaml"))
    assert paths.default_codebook() == tmp_path / "mine.yaml"
