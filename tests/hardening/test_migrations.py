"""Old projects are migrated; newer or corrupt files are refused with a clear message, untouched."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hardening_support import FIXTURES, digest

from tzcld_qual.cli.main import main
from tzcld_qual.errors import ProjectError
from tzcld_qual.store import ProjectStore
from tzcld_qual.store.schema import SCHEMA_VERSION


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    copy = tmp_path / "ancien projet é.tzq"
    shutil.copyfile(FIXTURES / "project-v1.tzq", copy)
    return copy


def _raw(path: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchall()


def test_the_fixture_is_a_version_1_project() -> None:
    """Read from the header, not through SQLite, so the fixture itself is never opened."""
    header = (FIXTURES / "project-v1.tzq").read_bytes()[:100]
    assert header.startswith(b"SQLite format 3\x00")
    assert int.from_bytes(header[60:64], "big") == 1  # user_version: schema 1
    assert int.from_bytes(header[68:72], "big") == 0x747A636C  # application_id: a tzcld-qual project


def test_a_version_1_project_is_migrated_with_everything_kept(v1: Path) -> None:
    before = {
        t: _raw(v1, f"SELECT * FROM {t} ORDER BY 1") for t in ("documents", "segments", "codings", "audit", "memos")
    }
    with ProjectStore(v1) as store:
        assert store.schema_version() == SCHEMA_VERSION > 1
        assert store.integrity_check() == "ok"
        human = sorted((c.code_id, c.origin, c.status.value) for c in store.codings.human())
        assert human == [
            ("F1", "alice", "accepted"),
            ("F1", "bob", "accepted"),
            ("F2", "alice", "rejected"),
            ("F5", "alice", "manual"),
        ]
        assert len(store.codings.list()) == 8  # and the model's four suggestions
        assert store.codings.can_undo("alice") and store.codings.can_redo("alice")  # undo stack survives
        assert store.meta("current_model") == "ensemble@1"
        assert [m.text for m in store.memos.list()] == ["Très parlant sur le comité."]
    for table, rows in before.items():
        after = _raw(v1, f"SELECT * FROM {table} ORDER BY 1")
        if table == "documents":  # schema 5 adds where the attributes came from: unknown for older documents
            assert [row[-3:] for row in after] == [(None, None, None)] * len(rows)
            after = [row[:-3] for row in after]
        assert after == rows, table  # data untouched by the migration
    with ProjectStore(v1) as store:  # opening a migrated file again is a no-op
        assert store.schema_version() == SCHEMA_VERSION


def test_a_migrated_project_still_works_from_the_cli(v1: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["codings", str(v1), "--json", "--origin", "alice"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 3 and '"status": "manual"' in out


def test_a_newer_project_is_refused_untouched(v1: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(v1) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(v1)
    with pytest.raises(ProjectError, match="version plus récente") as error:
        ProjectStore(v1)
    assert "n'a pas été modifié" in str(error.value)
    assert digest(v1) == before
    assert main(["segments", str(v1)]) == 1
    err = capsys.readouterr().err
    assert "plus récente" in err and "Traceback" not in err
    assert digest(v1) == before


def _corruptions(tmp_path: Path, v1: Path) -> dict[str, Path]:
    data = v1.read_bytes()
    cases = {
        "zeroed pages": data[:4096] + b"\x00" * 8192 + data[12288:],
        "truncated": data[: len(data) // 3],
        "garbage header": b"SQLite format 3\x00" + bytes(range(256)) * 16,
        "not sqlite": b"Enquetrice : bonjour\n" * 50,
        "zip": b"PK\x03\x04" + b"\x00" * 200,
    }
    out = {}
    for name, payload in cases.items():
        path = tmp_path / f"{name}.tzq"
        path.write_bytes(payload)
        out[name] = path
    return out


@pytest.mark.parametrize(
    "case",
    [
        "zeroed pages",
        "truncated",
        "garbage header",
        "not sqlite",
        "zip",
    ],
)
def test_a_corrupt_file_is_refused_untouched(
    tmp_path: Path, v1: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _corruptions(tmp_path, v1)[case]
    before = digest(path)
    code = main(["codings", str(path)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err and err.startswith("tzcld-qual: ") and str(path) in err
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(case)) == [path.name]  # no -wal left


def test_an_empty_file_becomes_a_project(tmp_path: Path) -> None:
    """An empty file (``touch etude.tzq``) is a project not created yet, not a corrupt one: what
    creates projects makes it one; what only opens one leaves it alone (`codebook show` made it a
    database)."""
    path = tmp_path / "vide.tzq"
    path.touch()
    with pytest.raises(ProjectError, match="ce fichier est vide"):
        ProjectStore(path)
    assert path.stat().st_size == 0
    with ProjectStore(path, create=True) as store:
        assert store.schema_version() == SCHEMA_VERSION


def test_a_version_3_project_keeps_its_embeddings_in_the_rowid_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration 4 moves the vectors out of the WITHOUT ROWID table (slow to write), keeping them."""
    import numpy as np

    from tzcld_qual.store import connection, schema

    path = tmp_path / "v3.tzq"
    vectors = {f"h{i}": np.full(512, i, dtype=np.float32) for i in range(3)}
    monkeypatch.setattr(connection, "MIGRATIONS", {v: schema.MIGRATIONS[v] for v in (1, 2, 3)})
    monkeypatch.setattr(connection, "SCHEMA_VERSION", 3)
    with ProjectStore(path, create=True) as store:
        store.embeddings.put(vectors, "usem3@x")
    assert "WITHOUT ROWID" in _raw(path, "SELECT sql FROM sqlite_master WHERE name = 'embeddings'")[0][0]
    monkeypatch.undo()
    with ProjectStore(path) as store:
        assert store.schema_version() == SCHEMA_VERSION >= 4
        got = store.embeddings.get(list(vectors), "usem3@x")
        assert {h: v.tolist() for h, v in got.items()} == {h: v.tolist() for h, v in vectors.items()}
        store.embeddings.put({"h0": np.zeros(512, dtype=np.float32)}, "usem3@x")  # still one per key
        assert store.embeddings.count("usem3@x") == 3 and store.embeddings.cached(["h0", "h9"], "usem3@x") == {"h0"}
    assert "WITHOUT ROWID" not in _raw(path, "SELECT sql FROM sqlite_master WHERE name = 'embeddings'")[0][0]


def test_an_old_project_that_cannot_be_written_is_not_called_corrupt(v1: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only schema-4 project was « illisible ou corrompu (attempt to write a readonly
    database) — Restaurez une sauvegarde »: it only needed the migration it could not write."""
    before = digest(v1)
    monkeypatch.setattr("tzcld_qual.store.connection.os.access", lambda path, mode: False)  # root writes anything
    with pytest.raises(ProjectError, match="doit être mis à jour") as error:
        ProjectStore(v1)
    assert "corrompu" not in str(error.value) and "chmod u+w" in str(error.value)
    assert digest(v1) == before



def test_a_version_5_project_gets_the_no_code_table_with_its_decisions_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration 6 adds where « relu, aucun code » marks are kept: the decisions and the undo
    stack of a schema-5 project stay, and a mark is then written and undone as a decision."""
    from tzcld_qual.model import NO_CODE, Role, Status
    from tzcld_qual.segment import RuleSentenceSplitter, Segmenter
    from tzcld_qual.services.importing import import_files
    from tzcld_qual.store import connection, schema

    path, source = tmp_path / "v5.tzq", tmp_path / "martine.txt"
    source.write_text("Enquêtrice : Et le CDI ?\n\nMartine : Oui, depuis deux ans.\n\nMartine : Rien à dire.\n")
    monkeypatch.setattr(connection, "MIGRATIONS", {v: schema.MIGRATIONS[v] for v in range(1, 6)})
    monkeypatch.setattr(connection, "SCHEMA_VERSION", 5)
    import_files(path, [source], Segmenter(RuleSentenceSplitter()))
    with ProjectStore(path) as store:
        coded, blank = store.documents.segments(role=Role.RESPONDENT)
        store.codings.decide(coded.id, "F5", "alice", Status.MANUAL)
    assert _raw(path, "SELECT name FROM sqlite_master WHERE name = 'no_code'") == []
    monkeypatch.undo()
    with ProjectStore(path) as store:
        assert store.schema_version() == SCHEMA_VERSION >= 6 and store.integrity_check() == "ok"
        assert [(c.segment_id, c.code_id) for c in store.codings.human()] == [(coded.id, "F5")]
        store.codings.decide(blank.id, NO_CODE, "alice", Status.ACCEPTED)
        assert store.codings.no_code() == {(blank.id, "alice")}
        store.codings.undo("alice")
        assert store.codings.no_code() == set() and store.codings.can_undo("alice")  # F5's decision next
