"""The store: schema, migrations, refusal of foreign/newer/corrupt files, decisions and undo."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from transcripts import add_transcript, new_project

from tzcld_qual.codebook import load_codebook
from tzcld_qual.errors import NotFoundError, ProjectError
from tzcld_qual.model import Role, Status, Suggestion
from tzcld_qual.store import PROMOTION, CodingFilter, NewRun, ProjectStore
from tzcld_qual.store.schema import SCHEMA_VERSION

TURNS = [
    ("Enquêtrice", Role.INTERVIEWER, "Et le CDI ?"),
    ("Martine", Role.RESPONDENT, "Ben ça a tout changé. J'ai mes droits maintenant."),
]


def _project(path: Path, codebook_path: Path) -> ProjectStore:
    store = new_project(path, codebook_path)
    add_transcript(store, TURNS, attributes={"role": "salarié·e EBE"})
    return store


@pytest.fixture
def store(tmp_path: Path, codebook_path: Path) -> ProjectStore:
    s = _project(tmp_path / "p.tzq", codebook_path)
    yield s
    s.close()


def test_new_project_is_private_wal_and_current(tmp_path: Path, codebook_path: Path) -> None:
    path = tmp_path / "p.tzq"
    with _project(path, codebook_path) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert s.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.integrity_check() == "ok"
    assert path.stat().st_mode & 0o777 == 0o600


def test_segments_point_into_document_text(store: ProjectStore) -> None:
    doc = store.documents.find("a")
    assert doc is not None and doc.name == "a.txt"
    for seg in store.documents.segments(document_id=doc.id):
        assert doc.text[seg.start : seg.end] == seg.text
    assert store.documents.count_segments(Role.RESPONDENT) == 1


def test_questions_are_the_last_interviewer_turn_before_each_segment_of_its_own_document(
    store: ProjectStore,
) -> None:
    turns = [("I", "Q1"), ("R", "A1"), ("R", "A2"), ("I", "Q2"), ("R", "A3")]
    add_transcript(
        store, [(who, Role.INTERVIEWER if who == "I" else Role.RESPONDENT, body) for who, body in turns], name="b.txt"
    )
    answers = {s.text: s.id for s in store.documents.segments(role=Role.RESPONDENT)}
    opening = store.documents.segments(document_id=store.documents.find("b.txt").id)[0]  # type: ignore[union-attr]
    found = store.documents.questions([*answers.values(), opening.id])
    assert found == {
        answers["A1"]: "Q1",
        answers["A2"]: "Q1",  # a follow-up answer still answers Q1
        answers["A3"]: "Q2",
        answers[TURNS[1][2]]: TURNS[0][2],  # the other document's own question, not b.txt's
    }  # the opening question has no question before it: absent
    assert store.documents.questions([]) == {}


def test_missing_project_is_refused_without_creating_it(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="introuvable"):
        ProjectStore(tmp_path / "nope.tzq")
    assert not (tmp_path / "nope.tzq").exists()


def test_foreign_sqlite_and_text_files_are_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(ProjectError, match="pas un projet"):
        ProjectStore(other)
    assert other.read_bytes() == before
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(ProjectError, match="pas un projet"):
        ProjectStore(text)
    assert text.read_text() == "hello"


def test_newer_schema_is_refused_untouched(tmp_path: Path, codebook_path: Path) -> None:
    path = tmp_path / "p.tzq"
    _project(path, codebook_path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="plus récente"):
        ProjectStore(path)
    assert path.read_bytes() == before


def test_corrupt_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.tzq"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    with pytest.raises(ProjectError, match="corrompu"):
        ProjectStore(path)


def test_decide_is_audited_and_never_touches_model_rows(store: ProjectStore) -> None:
    seg = store.documents.segments(role=Role.RESPONDENT)[0]
    store.runs.register(NewRun("ensemble", "fp", 1, {"thresholds": {}}))
    store.codings.put_scores("ensemble@1", {seg.id: {"F5": 0.9}}, [Suggestion(seg.id, "F5", 0.9, "why")])
    store.codings.decide(seg.id, "F5", "alice", Status.REJECTED)
    rows = store.codings.list(CodingFilter(segment_ids=[seg.id]))
    assert {(c.origin, c.status) for c in rows} == {("ensemble@1", Status.SUGGESTED), ("alice", Status.REJECTED)}
    # a later batch refreshes the model row only
    store.codings.put_scores("ensemble@1", {seg.id: {"F5": 0.95}}, [Suggestion(seg.id, "F5", 0.95, "again")])
    human = store.codings.human("alice")
    assert [(c.code_id, c.status) for c in human] == [("F5", Status.REJECTED)]
    audit = store.codings.audit(coder="alice")
    assert [(a.action, a.before, a.after) for a in audit] == [("decide", None, "rejected")]


def test_a_new_run_never_takes_a_name_a_coder_already_holds(store: ProjectStore) -> None:
    store.codings.register_coder("ensemble@2", "model")  # a model brought by a REFI-QDA import
    store.codings.register_coder("ensemble@4", "human")
    assert store.runs.register(NewRun("ensemble", "a", 1, {}))[0] == "ensemble@5"
    assert store.runs.register(NewRun("ensemble", "b", 1, {}))[0] == "ensemble@6"
    assert store.codings.coder_kind("ensemble@5") == "model"
    assert store.codings.coder_kind("ensemble@4") == "human"


def test_two_processes_registering_one_model_share_its_run(store: ProjectStore, tmp_path: Path) -> None:
    """Two ``code`` runs that fitted the same model at once: the second to register waits for
    the first's write, then finds its run instead of adding a twin under another origin."""
    import threading

    found: list[tuple[str, bool]] = []

    def other_process() -> None:
        with ProjectStore(store.path) as other:
            found.append(other.runs.register(NewRun("ensemble", "same-fp", 1, {})))

    with store.transaction():
        first = store.runs.register(NewRun("ensemble", "same-fp", 1, {}))
        thread = threading.Thread(target=other_process)
        thread.start()
        thread.join(timeout=0.5)  # blocked on the write lock while this transaction is open
        assert thread.is_alive() and not found
    thread.join(timeout=30)
    assert first == ("ensemble@1", True)
    assert found == [("ensemble@1", False)]
    assert [r["id"] for r in store.runs.list()] == ["ensemble@1"]


def test_suggestions_cannot_be_written_under_a_human_name(store: ProjectStore) -> None:
    seg = store.documents.segments(role=Role.RESPONDENT)[0]
    store.codings.decide(seg.id, "F3", "alice", Status.MANUAL)
    with pytest.raises(ProjectError):
        store.codings.put_scores("alice", {seg.id: {"F3": 0.1}}, [])


def test_undo_redo_across_reopen(tmp_path: Path, codebook_path: Path) -> None:
    path = tmp_path / "p.tzq"
    with _project(path, codebook_path) as s:
        seg = s.documents.segments(role=Role.RESPONDENT)[0]
        s.codings.decide(seg.id, "F3", "alice", Status.ACCEPTED)
        s.codings.decide(seg.id, "F3", "alice", Status.REJECTED)
        s.codings.decide_many([(seg.id, "F4", Status.MANUAL), (seg.id, "F5", Status.MANUAL)], "alice")
    with ProjectStore(path) as s:  # a restart keeps the undo history
        assert {c.code_id for c in s.codings.human("alice")} == {"F3", "F4", "F5"}
        undone = s.codings.undo("alice")
        assert len(undone) == 2  # the group is undone as one
        assert {c.code_id: c.status for c in s.codings.human("alice")} == {"F3": Status.REJECTED}
        s.codings.undo("alice")
        assert {c.code_id: c.status for c in s.codings.human("alice")} == {"F3": Status.ACCEPTED}
    with ProjectStore(path) as s:
        s.codings.redo("alice")
        assert {c.code_id: c.status for c in s.codings.human("alice")} == {"F3": Status.REJECTED}
        s.codings.redo("alice")
        assert {c.code_id for c in s.codings.human("alice")} == {"F3", "F4", "F5"}
        assert not s.codings.can_redo("alice")
        # a new decision clears the redo stack
        s.codings.undo("alice")
        s.codings.decide(seg.id, "F8", "alice", Status.MANUAL)
        assert not s.codings.can_redo("alice")
        # another coder's history is separate
        assert s.codings.undo("bob") == []


def test_a_promotion_is_on_its_coders_undo_stack_but_one_logged_before_is_not(store: ProjectStore) -> None:
    """A theme made a code is its coder's last action (undone by the topics service, never
    replayed as decisions); one logged before promotions were undoable (no theme) is skipped."""
    seg = store.documents.segments(role=Role.RESPONDENT)[0]
    store.codings.decide(seg.id, "F3", "alice", Status.ACCEPTED)
    store.codings.log_event("alice", PROMOTION, "topics@1 thème 2 → T1 (codebook v2)", code_id="T1")
    assert store.codings.next_group("alice")[0].action == "decide"  # the old entry: not on the stack
    entry = store.codings.log_promotion("alice", "T2", run_id="topics@1", topic=3, versions=(2, 3), detail="")
    assert store.codings.next_group("alice") == [entry] and (entry.before, entry.after) == ("2", "3")
    with pytest.raises(ValueError, match="topics service"):
        store.codings.undo("alice")
    store.codings.log_replayed(entry, "undo")
    assert store.codings.next_group("alice", redo=True) == [entry]
    assert store.codings.next_group("alice")[0].code_id == "F3"


def test_audit_log_is_append_only(store: ProjectStore) -> None:
    seg = store.documents.segments(role=Role.RESPONDENT)[0]
    store.codings.decide(seg.id, "F3", "alice", Status.ACCEPTED)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.connection.execute("DELETE FROM audit")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.connection.execute("UPDATE audit SET coder = 'eve'")


def test_decision_on_unknown_segment(store: ProjectStore) -> None:
    with pytest.raises(NotFoundError, match="segment 999"):
        store.codings.decide(999, "F3", "alice", Status.ACCEPTED)
    assert store.codings.audit() == []


def test_codebook_versions_dedupe_identical_content(store: ProjectStore, codebook_path: Path) -> None:
    cb = load_codebook(codebook_path)
    assert store.codebooks.add(cb, codebook_path.read_text(encoding="utf-8")) == 1
    assert store.codebooks.add(cb, codebook_path.read_text(encoding="utf-8") + "\n# v2\n") == 2
    loaded = store.codebooks.get()
    assert loaded is not None and loaded.version == 2 and loaded.top_ids == cb.top_ids


def test_embedding_cache_roundtrip(store: ProjectStore) -> None:
    import numpy as np

    v = np.arange(4, dtype=np.float32)
    store.embeddings.put({"h": v}, "m@1")
    got = store.embeddings.get(["h", "missing"], "m@1")
    assert list(got) == ["h"] and np.array_equal(got["h"], v)
    assert store.embeddings.get(["h"], "other") == {}


def test_memo_upsert(store: ProjectStore) -> None:
    m1 = store.memos.write("segment", "2", "alice", "à revoir")
    m2 = store.memos.write("segment", "2", "alice", "vu")
    assert m1.id == m2.id and store.memos.list("segment", "2")[0].text == "vu"


def test_a_code_filter_takes_its_sub_codes_literally_and_case_sensitively(store: ProjectStore) -> None:
    seg = store.documents.segments(role=Role.RESPONDENT)[0]
    for code in ("F3", "F3.sante", "F3.droits_sociaux", "F4"):
        store.codings.decide(seg.id, code, "alice", Status.MANUAL)

    def codes(code: str) -> list[str]:
        return sorted(c.code_id for c in store.codings.list(CodingFilter(code=code)))

    assert codes("F3") == ["F3", "F3.droits_sociaux", "F3.sante"]
    assert codes("f3") == []  # ids are case-sensitive: no sub-codes of a code that is not there
    assert codes("F3.droits_sociaux") == ["F3.droits_sociaux"]
    assert codes("F3.droits%") == []  # no wildcard


def test_a_code_filter_takes_the_sub_codes_it_is_given_whatever_their_names(store: ProjectStore) -> None:
    seg = store.documents.segments(role=Role.RESPONDENT)[0]
    for code in ("MOI", "fierte", "MOI.liens", "AUTRE"):
        store.codings.decide(seg.id, code, "alice", Status.MANUAL)
    found = store.codings.list(CodingFilter(code="MOI", sub_codes=("fierte",)))
    assert sorted(c.code_id for c in found) == ["MOI", "MOI.liens", "fierte"]
    assert sorted(c.code_id for c in store.codings.list(CodingFilter(code="MOI"))) == ["MOI", "MOI.liens"]


def test_the_latest_run_is_found_without_listing_every_run(store: ProjectStore) -> None:
    assert store.runs.latest_id() is None
    first = store.runs.register(NewRun("ensemble", "fp-a", 1, {"decisions": [[1, "F1", "accepted", "alice"]]}))[0]
    second = store.runs.register(NewRun("ensemble", "fp-b", 1, {}))[0]
    assert store.runs.latest_id() == second == str(store.runs.list()[-1]["id"]) != first
