"""Hermetic settings and the small chat project (see chat_fixture.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from chat_fixture import HashEmbedder, build_project

from tzcld_qual.services.chat import ChatSession


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_project(tmp_path_factory.mktemp("chat") / "base.tzq")


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the fixture project for each test (tests may write to it)."""
    copy = tmp_path / "chat.tzq"
    for suffix in ("", "-wal"):
        source = Path(f"{built}{suffix}")
        if source.exists():
            Path(f"{copy}{suffix}").write_bytes(source.read_bytes())
    return copy


@pytest.fixture
def session() -> ChatSession:
    return ChatSession(embedder=HashEmbedder())
