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


TWO_CHILDREN = """
codes:
  - id: F1
    definition: "Le comité local réunit les acteurs du territoire."
    examples: ["Au comité on décide ensemble.", "Le CLE réunit les élus et les associations.",
               "On se réunit au comité tous les mois.", "Le comité décide avec les associations."]
  - id: F1.bouche
    parent: F1
    definition: "Entrée par le bouche-à-oreille."
    examples: ["Ma voisine m'en a parlé au comité.", "C'est un copain du comité qui m'a dit de venir."]
  - id: F1.mairie
    parent: F1
    definition: "Entrée par la mairie."
    examples: ["La secrétaire de mairie m'a inscrit au comité.", "Le maire a parlé du comité."]
  - id: F2
    definition: "Le regard des employeurs change."
    examples: ["Les patrons nous regardent autrement.", "On a montré qu'on savait travailler.",
               "Les employeurs nous voient autrement.", "Le regard des patrons a changé."]
"""


def test_a_sub_code_suggestion_says_where_its_confidence_comes_from_and_why() -> None:
    """It said « sous-code le plus proche de F1 (part 0.79) » alone: no coder named, no evidence, and a
    confidence (the finding's times the share) nobody could trace."""
    from tzcld_qual.coders.base import Item

    codebook = parse_codebook(TWO_CHILDREN)
    embed = HashingEmbedder().encode
    engine = Engine(codebook, EngineParams(coders=("embedding",)), embed).fit(from_codebook(codebook))
    text = "Ma voisine m'en a parlé au comité."
    _scores, suggestions = engine.score([Item(text, embed([text])[0])], [7])
    parent = next(s for s in suggestions if s.code_id == "F1")
    child = next(s for s in suggestions if s.code_id.startswith("F1."))
    first, second = child.explanation.split("\n")
    share = float(first.split(" de la confiance")[0].rsplit(" ", 1)[1])
    assert first.startswith(f"sous-code de F1 : {share:.2f} de la confiance de F1 ({parent.confidence:.2f} × ")
    assert f"= {child.confidence:.2f})" in first
    assert "texte du codebook le plus proche : « Ma voisine m'en a parlé au comité. » (similarité 1.00)" in first
    assert second == "F1 : " + parent.explanation.split("\n")[0] and "codeurs d'accord" in second
