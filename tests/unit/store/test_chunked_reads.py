"""Reads by a list of segment ids send at most 900 at a time (SQLite's bound-parameter limit)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from transcripts import add_transcript, new_project

from tzcld_qual.model import Role, Status, Suggestion
from tzcld_qual.store import NewRun, ProjectStore

TURNS = [
    ("Enquêtrice", Role.INTERVIEWER, "Et le CDI ?"),
    ("Martine", Role.RESPONDENT, "Ben ça a tout changé. J'ai mes droits maintenant."),
]


@pytest.fixture
def store(tmp_path: Path, codebook_path: Path) -> ProjectStore:
    s = new_project(tmp_path / "p.tzq", codebook_path)
    add_transcript(s, TURNS)
    add_transcript(s, TURNS, name="entretien-02.txt")
    s.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)  # as older SQLite builds
    yield s
    s.close()


def test_reads_by_segment_ids_are_chunked(store: ProjectStore) -> None:
    """``segments(ids=...)`` (model_basis: every decided segment) sent all ids in one IN (...)."""
    segments = store.documents.segments()
    ids = [*reversed([s.id for s in segments]), *range(10_000, 11_000)]  # unknown ids find nothing
    assert store.documents.segments(ids=ids) == segments  # in the usual order
    run = store.runs.register(NewRun("ensemble", "fp", 1, {}))[0]
    store.codings.put_scores(run, {}, [Suggestion(segments[-1].id, "F1", 0.9, "")])
    store.codings.decide(segments[-1].id, "F2", "alice", Status.MANUAL)
    assert [(c.segment_id, c.code_id) for c in store.codings.suggested_on(ids)] == [(segments[-1].id, "F1")]
    assert [d.code_id for d in store.codings.decisions_on("alice", ids)] == ["F2"]
