"""Hermetic hardening tests: private config and state dirs, French messages, no coder from the env."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many hostile-input cases were tried (the issue asks for the number)."""
    import sys

    module = sys.modules.get("test_hostile_input")
    if module is not None and module.TRIED:
        terminalreporter.write_sep("-", "hostile input")
        terminalreporter.write_line(module.summary())
