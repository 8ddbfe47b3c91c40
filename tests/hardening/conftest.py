"""Hermetic hardening tests: private config and state dirs, French messages, no coder from the env."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _hermetic(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TZCLD_QUAL_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("TZCLD_QUAL_STATE_DIR", str(home / "state"))
    monkeypatch.setenv("TZCLD_QUAL_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("TZCLD_LANG", "fr")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("TZCLD_CODER", raising=False)
    monkeypatch.delenv("TZCLD_EMBEDDER", raising=False)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many hostile-input cases were tried (the issue asks for the number)."""
    import sys

    module = sys.modules.get("test_hostile_input")
    if module is not None and module.TRIED:
        terminalreporter.write_sep("-", "hostile input")
        terminalreporter.write_line(module.summary())
