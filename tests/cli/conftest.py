"""Run the real CLI in-process and capture its streams."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tzcld_qual.cli.main import main


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
