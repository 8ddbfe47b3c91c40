"""Fixtures for topic tests: hermetic dirs, a themed project, fake embedder and lemmatizer."""

from __future__ import annotations

from pathlib import Path

import pytest
from topics_corpus import CountingLemmatizer, HashingEmbedder, build_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return build_project(tmp_path / "themes.tzq")


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture(scope="session")
def _blank_lemmatizer() -> CountingLemmatizer:
    return CountingLemmatizer()


@pytest.fixture
def lemmatizer(_blank_lemmatizer: CountingLemmatizer) -> CountingLemmatizer:
    _blank_lemmatizer.lemmatized = 0
    return _blank_lemmatizer
