"""Hermetic set-up for the review TUI tests: tmp config and state, French, a fixed coder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tui_support import build_project


@pytest.fixture(autouse=True)
def _hermetic_tui(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("tui-home")
    monkeypatch.setenv("TZCLD_QUAL_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("TZCLD_QUAL_STATE_DIR", str(home / "state"))
    monkeypatch.setenv("TZCLD_LANG", "fr")
    monkeypatch.delenv("TZCLD_CODER", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_project(tmp_path_factory.mktemp("template") / "projet.tzq")


@pytest.fixture
def project(_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the two-interview project, with the model's suggestions."""
    target = tmp_path / "projet.tzq"
    shutil.copyfile(_template, target)
    return target
