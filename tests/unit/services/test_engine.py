"""The engine refuses, with a message, to fit on nothing (no examples and no decision)."""

from __future__ import annotations

import pytest
from fakes import HashingEmbedder

from tzcld_qual.codebook import parse_codebook
from tzcld_qual.errors import ProjectError
from tzcld_qual.services.engine import Engine, EngineParams
from tzcld_qual.services.training import TrainingData, from_codebook

BARE = """
codes:
  - {id: REEMPLOI, definition: "Le réemploi.", expressions: ["la ressourcerie"]}
  - {id: SANTE, definition: "L'accès aux soins.", expressions: ["le médecin"]}
"""


def test_a_codebook_without_examples_and_no_decision_is_a_clear_error() -> None:
    codebook = parse_codebook(BARE)
    data = from_codebook(codebook) + TrainingData()
    assert len(data) == 0
    engine = Engine(codebook, EngineParams(coders=("embedding",)), HashingEmbedder().encode)
    with pytest.raises(ProjectError, match="rien pour entraîner"):
        engine.fit(data)
