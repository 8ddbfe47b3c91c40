"""Imported human decisions: written as they were, logged as imports, outside undo history."""

from __future__ import annotations

import pytest

from tzcld_qual.model import Role, Status
from tzcld_qual.store import NewSegment, ProjectStore
from tzcld_qual.store.imported import ImportedDecision, add_imported_decisions


def test_imported_decisions_keep_status_and_time_and_are_not_undoable(tmp_path):
    with ProjectStore(tmp_path / "p.tzq", create=True) as store:
        with store.transaction():
            doc = store.documents.add(
                name="d.txt",
                source_path="d.txt",
                content_hash="h",
                text="R : oui\n",
                attributes={},
                speakers={"R": "respondent"},
                source_format="txt",
                segments=[NewSegment(0, "R", Role.RESPONDENT, 4, 7, "oui")],
            )
        (segment,) = store.documents.segments(document_id=doc.id)
        store.codings.decide(segment.id, "F2", "alice", Status.ACCEPTED)
        written = add_imported_decisions(
            store,
            [
                ImportedDecision(segment.id, "F1", "alice", Status.MANUAL, 0.5, "vu", "2020-01-02T03:04:05+00:00"),
                ImportedDecision(segment.id, "F2", "alice", Status.REJECTED),  # alice's own row wins
                ImportedDecision(segment.id, "F3", "zoé", Status.REJECTED),
            ],
            detail="test",
        )
        assert written == 2
        rows = {(c.code_id, c.origin): c for c in store.codings.human()}
        assert rows[("F1", "alice")].status is Status.MANUAL
        assert rows[("F1", "alice")].created_at == rows[("F1", "alice")].updated_at == "2020-01-02T03:04:05+00:00"
        assert (rows[("F1", "alice")].confidence, rows[("F1", "alice")].explanation) == (0.5, "vu")
        assert rows[("F2", "alice")].status is Status.ACCEPTED
        assert rows[("F3", "zoé")].status is Status.REJECTED
        assert store.codings.coder_kind("zoé") == "human"
        imports = [d for d in store.codings.audit() if d.action == "import"]
        assert [(d.coder, d.code_id, d.after) for d in imports] == [
            ("alice", "F1", "manual"),
            ("zoé", "F3", "rejected"),
        ]
        # undo only reverts alice's real decision, never the imported row
        store.codings.undo("alice")
        assert {(c.code_id, c.origin) for c in store.codings.human()} == {("F1", "alice"), ("F3", "zoé")}
        assert not store.codings.can_undo("zoé")
        with pytest.raises(ValueError):
            add_imported_decisions(store, [ImportedDecision(segment.id, "F4", "bob", Status.SUGGESTED)])
