"""How analysts judged a model's suggestions, by confidence band (real SQLite store)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from transcripts import add_transcript, new_project

from tzcld_qual.cli.coding_cmds import review_lines
from tzcld_qual.model import NO_CODE, Role, Status, Suggestion
from tzcld_qual.services.calibration import review_outcome
from tzcld_qual.services.review import ReviewSession
from tzcld_qual.store import NewRun, ProjectStore

ANSWERS = [f"Réponse numéro {i}, avec un peu de texte." for i in range(8)]


@pytest.fixture
def store(tmp_path: Path, codebook_path: Path) -> Iterator[ProjectStore]:
    s = new_project(tmp_path / "p.tzq", codebook_path)
    add_transcript(s, [("Martine", Role.RESPONDENT, answer) for answer in ANSWERS])
    yield s
    s.close()


def test_each_analyst_decision_on_a_suggested_code_counts_in_its_band(store: ProjectStore) -> None:
    seg = [s.id for s in store.documents.segments(role=Role.RESPONDENT)]
    store.codings.decide(seg[6], "F4", "alice", Status.ACCEPTED)  # before the model suggested it
    store.runs.register(NewRun("ensemble", "fp", 1, {"thresholds": {}}))
    confidences = [0.95, 0.9, 1.0, 0.75, 0.55, 0.3, 0.8]
    store.codings.put_scores(
        "ensemble@1",
        {s: {"F4": c} for s, c in zip(seg, confidences, strict=False)},
        [Suggestion(s, "F4", c, "why") for s, c in zip(seg, confidences, strict=False)],
    )
    store.codings.decide(seg[0], "F4", "alice", Status.ACCEPTED)
    store.codings.decide(seg[0], "F4", "bruno", Status.REJECTED)  # two analysts: two judgements
    store.codings.decide(seg[1], "F4", "alice", Status.ACCEPTED)  # 0.9 belongs to the top band
    store.codings.decide(seg[2], "F4", "alice", Status.MANUAL)
    store.codings.decide(seg[3], "F4", "alice", Status.REJECTED)
    store.codings.decide(seg[4], "F4", "alice", Status.ACCEPTED)
    store.codings.decide(seg[5], "F4", "alice", Status.REJECTED)
    store.codings.decide(seg[5], "F2", "alice", Status.MANUAL)  # a code the model did not suggest
    store.codings.decide(seg[7], "F4", "alice", Status.ACCEPTED)  # a segment it suggested nothing on
    store.codings.put_scores("ensemble@1", {}, [Suggestion(seg[1], "F4.confiance", 0.45, "sub-code")])
    store.codings.decide(seg[1], "F4.confiance", "alice", Status.REJECTED)  # sub-codes are left out
    # seg[6] (0.8): judged before it was suggested, which says nothing of this model

    review = review_outcome(store, "ensemble@1")

    assert (review.reviewed, review.accepted) == (7, 4)
    bands = [(b.low, b.reviewed, b.accepted) for b in review.bands]
    assert bands == [(0.9, 4, 3), (0.7, 1, 0), (0.5, 1, 1), (0.0, 1, 0)]
    text = review_lines(review)
    assert "acceptées 57 % de 7" in text
    assert "≥ 0.90 : 75 % de 4 · 0.70–0.90 : 0 % de 1 · 0.50–0.70 : 100 % de 1 · < 0.50 : 0 % de 1" in text


def test_a_model_nobody_has_judged_says_so(store: ProjectStore) -> None:
    seg = store.documents.segments(role=Role.RESPONDENT)[0].id
    store.runs.register(NewRun("ensemble", "fp", 1, {"thresholds": {}}))
    store.codings.put_scores("ensemble@1", {seg: {"F4": 0.9}}, [Suggestion(seg, "F4", 0.9, "why")])
    review = review_outcome(store, "ensemble@1")
    assert review.reviewed == 0 and all(b.reviewed == 0 for b in review.bands)
    assert "aucune pour l'instant" in review_lines(review)


def test_a_segment_marked_no_code_rejects_the_suggestions_there(store: ProjectStore) -> None:
    """« Relu, aucun code » (0) judges the model's suggestions on the segment: rejected, as
    training reads the mark. A blind coder's mark writes no rejection row: the mark alone counts;
    a coder who sees the suggestions writes both, counted once."""
    seg = [s.id for s in store.documents.segments(role=Role.RESPONDENT)]
    store.codings.decide(seg[3], NO_CODE, "alice", Status.ACCEPTED)  # before the model: says nothing of it
    store.runs.register(NewRun("ensemble", "fp", 1, {"thresholds": {}}))
    found = {seg[0]: {"F4": 0.95}, seg[1]: {"F4": 0.92, "F2": 0.75}, seg[2]: {"F4": 0.91}, seg[3]: {"F2": 0.6}}
    store.codings.put_scores(
        "ensemble@1", found, [Suggestion(s, code, c, "why") for s, codes in found.items() for code, c in codes.items()]
    )
    store.codings.put_scores("ensemble@1", {}, [Suggestion(seg[1], "F4.confiance", 0.8, "sub-code")])
    store.set_meta("current_model", "ensemble@1")
    store.codings.decide(seg[0], "F4", "alice", Status.ACCEPTED)
    with ReviewSession(store.path, "bruno", blind=True) as blind:
        assert blind.no_code(seg[1]).done  # F4 and F2 rejected by the mark alone
    with ReviewSession(store.path, "alice") as seeing:
        assert seeing.no_code(seg[2]).done  # F4 rejected by a row and the mark: once
    assert store.codings.no_code(coder="bruno") == {(seg[1], "bruno")}
    assert not store.codings.human("bruno")  # blind: the mark only
    rejected = [(c.segment_id, c.code_id) for c in store.codings.human("alice") if c.status is Status.REJECTED]
    assert rejected == [(seg[2], "F4")]

    review = review_outcome(store, "ensemble@1")

    assert (review.reviewed, review.accepted) == (4, 1)
    bands = [(b.low, b.reviewed, b.accepted) for b in review.bands]
    assert bands == [(0.9, 3, 1), (0.7, 1, 0), (0.5, 0, 0), (0.0, 0, 0)]
    assert "acceptées 25 % de 4" in review_lines(review)
