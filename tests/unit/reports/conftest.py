"""Hermetic settings and the hand-made project (see report_fixture.py) for report tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_fixture import Fixture, build_project


@pytest.fixture(autouse=True)
def _hermetic(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZCLD_QUAL_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("TZCLD_QUAL_STATE_DIR", str(tmp_path_factory.mktemp("state")))
    monkeypatch.setenv("TZCLD_LANG", "fr")


@pytest.fixture
def project(tmp_path: Path) -> Fixture:
    return build_project(tmp_path / "mini.tzq")
