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


LONE_CHILD = """
codes:
  - id: F1
    definition: "Le comité local réunit les acteurs du territoire."
    examples: ["Au comité on décide ensemble.", "Le CLE réunit les élus et les associations."]
  - id: F1.bouche
    parent: F1
    definition: "Entrée par le bouche-à-oreille."
    examples: ["Ma voisine m'en a parlé.", "C'est un copain qui m'a dit de venir."]
  - id: F2
    definition: "Le regard des employeurs change."
    examples: ["Les patrons nous regardent autrement.", "On a montré qu'on savait travailler."]
"""


def test_a_lone_sub_code_competes_with_its_parents_own_texts() -> None:
    """The engine gives the ranker the parent's texts when a finding has one child."""
    codebook = parse_codebook(LONE_CHILD)
    engine = Engine(codebook, EngineParams(coders=("embedding",)), HashingEmbedder().encode)
    protos, parents = engine._subcode_prototypes()
    assert list(protos) == ["F1"] and list(parents) == ["F1"]
    engine.subcodes.fit(protos, parents)
    assert engine.subcodes.best(HashingEmbedder().encode(["Au comité on décide ensemble."])[0], "F1") is None
    assert engine.subcodes.best(HashingEmbedder().encode(["Ma voisine m'en a parlé."])[0], "F1") is not None
