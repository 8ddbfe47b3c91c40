"""Hermetic tests: config, state and logs go to a temporary folder; French messages."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _hermetic(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TZCLD_QUAL_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("TZCLD_QUAL_STATE_DIR", str(home / "state"))
    monkeypatch.setenv("TZCLD_LANG", "fr")
    monkeypatch.delenv("TZCLD_CODER", raising=False)
    monkeypatch.delenv("TZCLD_EMBEDDER", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def codebook_path() -> Path:
    return REPO / "codebooks" / "tzcld.yaml"
