"""The chat's tables: migration 3 applied idempotently, history kept per project, stored index."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tzcld_qual.services.chat import ChatSession, ask, clear_history, history
from tzcld_qual.store import ProjectStore
from tzcld_qual.store.chat import ChatRepo
from tzcld_qual.store.schema_chat import MIGRATION


def test_migration_is_idempotent(project: Path) -> None:
    with ProjectStore(project) as store:
        repo = ChatRepo(store.connection)
        repo.ensure()
        repo.ensure()
        for statement in MIGRATION:  # the registered migration can still run after ensure()
            store.connection.execute(statement)
        tables = {r[0] for r in store.connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"chat_turns", "chat_index"} <= tables


def test_history_is_kept_with_what_was_understood(project: Path, session: ChatSession) -> None:
    ask(project, "Combien d'entretiens évoquent F2 ?", coder="marie", session=session)
    quotes = ask(project, "2 citations sur F2", session=session)
    turns = history(project)
    assert [t.question for t in turns] == ["Combien d'entretiens évoquent F2 ?", "2 citations sur F2"]
    assert turns[0].intent == "count" and turns[0].slots == {"code": "F2", "unit": "documents"}
    assert turns[0].coder == "marie" and turns[0].answer.startswith("F2 (")
    assert turns[1].segment_ids == tuple(q.segment_id for q in quotes.quotes)
    assert [t.question for t in history(project, coder="marie")] == ["Combien d'entretiens évoquent F2 ?"]
    assert clear_history(project) == 2 and history(project) == []


def test_history_survives_a_new_process_and_a_new_session(project: Path) -> None:
    from chat_fixture import HashEmbedder

    ask(project, "Combien d'entretiens évoquent F5 chez les salariés ?", session=ChatSession(HashEmbedder()))
    follow = ask(project, "et en vague 1 ?", session=ChatSession(HashEmbedder()))
    assert follow.slots["filters"] == {"role": "salarié·e EBE", "round": "vague 1"}


def test_stored_index_is_rebuilt_when_segments_change(project: Path, session: ChatSession) -> None:
    ask(project, "Qui parle de la honte ?", session=session)
    with ProjectStore(project) as store:
        repo = ChatRepo(store.connection)
        before = repo.index("hash@1")
        assert before is not None and len(before.segment_ids) == 20
        assert before.fingerprint == repo.respondent_fingerprint()
        from tzcld_qual.model import Role
        from tzcld_qual.store import NewSegment

        with store.transaction():
            store.documents.add(
                name="nouveau",
                source_path="n.txt",
                content_hash="n",
                text="Je parle de honte.",
                attributes={"role": "élu·e"},
                speakers={"Luc": "respondent"},
                source_format="txt",
                segments=[NewSegment(0, "Luc", Role.RESPONDENT, 0, 18, "Je parle de honte.")],
            )
    answer = ask(project, "Qui parle de honte ?", session=session)
    assert any(q.document == "nouveau" for q in answer.quotes)
    with ProjectStore(project) as store:
        after = ChatRepo(store.connection).index("hash@1")
        assert after is not None and len(after.segment_ids) == 21


@pytest.mark.parametrize("version", [2, 3])
def test_a_project_without_chat_tables_gets_them(tmp_path: Path, built: Path, version: int) -> None:
    """A file from before migration 3 is migrated; one that lost the tables gets them back."""
    copy = tmp_path / "old.tzq"
    copy.write_bytes(built.read_bytes())
    with sqlite3.connect(copy) as conn:
        conn.execute("DROP TABLE chat_turns")
        conn.execute("DROP TABLE chat_index")
        for column in ("header_attributes", "given_attributes", "corrected_attributes"):  # added by migration 5
            conn.execute(f"ALTER TABLE documents DROP COLUMN {column}")
        conn.execute("DROP TABLE no_code")  # added by migration 6
        conn.execute(f"PRAGMA user_version = {version}")
    ask(copy, "aide")
    assert len(history(copy)) == 1
