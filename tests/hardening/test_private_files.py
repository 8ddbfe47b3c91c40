"""Transcripts are personal data: every file the tool writes is readable by its owner only.

Checked with a permissive umask (022), as on most desktops: project files and their WAL, exports
(csv, xlsx, qdpx, qdc), reports (html, md, docx), the pseudonym table, the log folder.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from transcripts import add_transcript

from tzcld_qual import paths
from tzcld_qual.cli.main import main
from tzcld_qual.model import Role, Status, Suggestion
from tzcld_qual.privacy.mapping import PseudonymMap
from tzcld_qual.privacy.spans import Kind
from tzcld_qual.services.projects import init_project
from tzcld_qual.store import NewRun, ProjectStore

TURNS = [
    ("Enquêtrice", Role.INTERVIEWER, "Comment ça se passe au comité ?"),
    ("Nadia", Role.RESPONDENT, "Au comité on décide tous ensemble, les élus et nous."),
    ("Nadia", Role.RESPONDENT, "J'ai un CDI, le salaire tombe tous les mois."),
]


@pytest.fixture(autouse=True)
def _permissive_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "etude.tzq"
    store, version = init_project(path)
    with store:
        add_transcript(
            store,
            TURNS,
            name="nadia.txt",
            attributes={"territory": "Haut-Vallon", "round": "vague 1"},
            separator="\n\n",
        )
        seg = store.documents.segments(role=Role.RESPONDENT)
        store.codings.decide(seg[0].id, "F1", "alice", Status.ACCEPTED)
        run = store.runs.register(NewRun("ensemble", "fp", version, {"thresholds": {"F1": 0.5}}))[0]
        store.codings.put_scores(run, {s.id: {"F1": 0.9} for s in seg}, [Suggestion(s.id, "F1", 0.9, "") for s in seg])
        store.set_meta("current_model", run)
    return path


def test_project_file_and_its_wal_are_private(project: Path) -> None:
    with ProjectStore(project) as store:
        seg = store.documents.segments(role=Role.RESPONDENT)[1]
        store.codings.decide(seg.id, "F2", "alice", Status.MANUAL)  # the WAL exists while we look
        assert Path(f"{project}-wal").exists()
        for side in (project, Path(f"{project}-wal"), Path(f"{project}-shm")):
            if side.exists():
                assert mode(side) == 0o600, side


def test_a_project_created_by_import_is_private(tmp_path: Path) -> None:
    transcript = tmp_path / "t.txt"
    transcript.write_text(
        "Enquêtrice : Bonjour ?\n\nNadia : Bonjour.\n\nEnquêtrice : Ça va ?\n\nNadia : Oui.\n", encoding="utf-8"
    )
    project = tmp_path / "nouveau" / "p.tzq"
    project.parent.mkdir()  # a missing folder is refused, not created
    assert main(["import", str(project), str(transcript)]) == 0
    assert mode(project) == 0o600
    other = tmp_path / "autre.tzq"
    assert main(["init", str(other)]) == 0
    assert mode(other) == 0o600


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("qdpx", "export.qdpx"),
        ("qdc", "codebook.qdc"),
        ("xlsx", "tableaux.xlsx"),
        ("csv", "tableaux"),
    ],
)
def test_exports_are_private(project: Path, tmp_path: Path, fmt: str, name: str) -> None:
    out = tmp_path / "sorties" / name
    assert main(["export", str(project), "--format", fmt, "-o", str(out)]) == 0
    written = [out] if out.is_file() else [out, *out.iterdir()]
    assert written
    for path in written:
        assert mode(path) == (0o700 if path.is_dir() else 0o600), path


@pytest.mark.parametrize("name", ["rapport.html", "rapport.md", "rapport.docx"])
def test_reports_are_private(project: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    assert main(["report", str(project), "-o", str(out)]) == 0
    assert mode(out) == 0o600


def test_the_pseudonym_table_is_private(tmp_path: Path) -> None:
    table = tmp_path / "etude.pseudonymes.json"
    mapping = PseudonymMap()
    mapping.placeholder(Kind.PERSONNE, "Nadia")
    mapping.save(table)
    assert mode(table) == 0o600


def test_the_log_of_unexpected_errors_is_in_a_private_folder() -> None:
    from tzcld_qual.crashlog import log_current_exception

    try:
        raise RuntimeError("a bug, with a quote of an interview")
    except RuntimeError:
        written = Path(log_current_exception())
    assert written == paths.log_file() and written.exists()
    assert mode(written.parent) == 0o700
