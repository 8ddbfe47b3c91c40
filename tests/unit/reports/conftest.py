"""Hermetic settings and the hand-made project (see report_fixture.py) for report tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_fixture import Fixture, build_project


@pytest.fixture
def project(tmp_path: Path) -> Fixture:
    return build_project(tmp_path / "mini.tzq")
