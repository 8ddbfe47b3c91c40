"""« Relu, aucun code » marks keep their date through undo and redo; carry-over counts what it wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from transcripts import add_transcript, new_project

from tzcld_qual.model import NO_CODE, Role, Status
from tzcld_qual.store import ProjectStore

TURNS = [
    ("Enquêtrice", Role.INTERVIEWER, "Et le CDI ?"),
    ("Martine", Role.RESPONDENT, "Ben ça a tout changé. J'ai mes droits maintenant."),
]


@pytest.fixture
def store(tmp_path: Path, codebook_path: Path) -> ProjectStore:
    s = new_project(tmp_path / "p.tzq", codebook_path)
    add_transcript(s, TURNS)
    yield s
    s.close()


def test_undo_and_redo_keep_the_date_of_a_mark(store: ProjectStore) -> None:
    """A redo or an undone lift wrote the mark again dated now: its date is the analyst's."""
    segment = store.documents.segments()[-1].id
    store.codings.decide(segment, NO_CODE, "alice", Status.ACCEPTED)
    dated = store.codings.no_code_dates()
    store.codings.undo("alice")
    store.codings.redo("alice")
    assert store.codings.no_code_dates() == dated
    store.codings.decide(segment, NO_CODE, "alice", None)  # lifted, then put back by an undo
    store.codings.undo("alice")
    assert store.codings.no_code_dates() == dated


def test_carry_over_counts_and_logs_only_the_rows_it_wrote(store: ProjectStore) -> None:
    """A successor that already had the row (a second carry-over) got a « carry-over » log entry
    and was counted as copied all the same."""
    old, new = (s.id for s in store.documents.segments()[:2])
    store.codings.decide(old, "F1", "alice", Status.ACCEPTED)
    store.codings.decide(old, NO_CODE, "alice", Status.ACCEPTED)
    assert store.codings.carry_over(old, new) == 2  # the coding and the mark
    logged = len(store.codings.audit())
    assert store.codings.carry_over(old, new) == 0
    assert len(store.codings.audit()) == logged
