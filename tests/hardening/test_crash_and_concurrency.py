"""``tzcld-qual code`` killed mid-batch, and a batch run while an analyst keeps deciding.

Real subprocesses on the demo corpus with the real models (slow): SIGKILL gives the process no
chance to clean up, so what survives is exactly what SQLite committed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from hardening_support import REPO

from tzcld_qual.cli.main import main
from tzcld_qual.model import Role, Status
from tzcld_qual.store import ProjectStore

pytestmark = pytest.mark.slow
CODES = ("F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus imported once (real segmentation); each test works on a copy."""
    folder = tmp_path_factory.mktemp("demo")
    project = folder / "demo.tzq"
    demo = REPO / "corpora" / "demo"
    assert main(["-q", "import", str(project), str(demo), "--attributes", str(demo / "attributes.csv")]) == 0
    with ProjectStore(project) as store:
        store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return project


def copy_project(template: Path, folder: Path) -> Path:
    target = folder / "projet.tzq"
    shutil.copyfile(template, target)
    return target


def run_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1")  # config, state and cache dirs: the test's own
    return env


def start_code(project: Path, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "tzcld_qual", "code", str(project), *extra],
        cwd=REPO,
        env=run_env(),
        stdout=handle,
        stderr=subprocess.STDOUT,
    )


def read_only(project: Path) -> closing[sqlite3.Connection]:
    """A read-only look at the file (no lock held between statements); closed on exit."""
    return closing(sqlite3.connect(f"file:{project}?mode=ro", uri=True, timeout=60))


def progress(project: Path) -> tuple[str | None, int]:
    """(the latest model, segments it has scored), read without taking any lock: a model
    becomes the project's current one only once it has scored everything."""
    with read_only(project) as conn:
        row = conn.execute("SELECT id FROM model_runs ORDER BY created_at DESC LIMIT 1").fetchone()
        if row is None:
            return None, 0
        return row[0], conn.execute("SELECT count(*) FROM scored WHERE origin = ?", (row[0],)).fetchone()[0]


def human_rows(project: Path) -> set[tuple[int, str, str, str]]:
    with ProjectStore(project) as store:
        return {(c.segment_id, c.code_id, c.origin, c.status.value) for c in store.codings.human()}


def model_rows(project: Path, origin: str) -> dict[tuple[int, str], float]:
    with read_only(project) as conn:
        return {
            (s, c): conf
            for s, c, conf in conn.execute(
                "SELECT segment_id, code_id, confidence FROM codings WHERE origin = ?", (origin,)
            )
        }


def test_sigkill_mid_batch_loses_and_duplicates_nothing(
    demo_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(demo_template, tmp_path)
    with ProjectStore(project) as store:
        respondent = store.documents.segments(role=Role.RESPONDENT)
        total = len(respondent)
        for i, seg in enumerate(respondent[:30]):  # decisions taken before the run
            store.codings.decide(
                seg.id, CODES[i % 8], "alice", (Status.ACCEPTED, Status.REJECTED, Status.MANUAL)[i % 3]
            )
        store.codings.decide(respondent[0].id, "F2", "alice", None)
        store.codings.undo("alice")
    decisions = human_rows(project)
    with ProjectStore(project) as store:
        audit_before = len(store.codings.audit())
    assert total > 256  # more than one batch, or there is no "middle" to kill in

    proc = start_code(project, tmp_path / "first.log")
    killed_at = None
    deadline = time.monotonic() + 1800
    while time.monotonic() < deadline and proc.poll() is None:
        model, scored = progress(project)
        if model and 0 < scored < total:
            os.kill(proc.pid, signal.SIGKILL)
            killed_at = scored
            break
        time.sleep(0.05)
    proc.wait(timeout=60)
    log = (tmp_path / "first.log").read_text(errors="replace")
    assert killed_at is not None, f"the run ended before it could be killed mid-batch:\n{log[-2000:]}"
    assert proc.returncode == -signal.SIGKILL

    with ProjectStore(project) as store:
        assert store.integrity_check() == "ok"
        origin = str(store.runs.list()[-1]["id"])
        assert store.meta("current_model") != origin  # killed before it had scored everything
        scored = store.codings.scored_segments(origin)
    assert len(scored) >= killed_at  # what was committed stays committed
    assert human_rows(project) == decisions
    with capsys.disabled():
        print(f"\nkilled with {killed_at}/{total} segments scored ({len(scored)} committed)")
    partial = model_rows(project, origin)
    assert {s for s, _ in partial} <= scored  # a suggestion never without its scored row: batches are atomic

    result = subprocess.run(
        [sys.executable, "-m", "tzcld_qual", "code", str(project), "--json"],
        cwd=REPO,
        env=run_env(),
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["model"] == origin and summary["resumed"] is True  # resumed with the very same model,
    assert summary["new_model"] is True and summary["previous"] is None  # current for the first time: said new
    assert summary["scored"] == total - len(scored)  # only what was missing

    with ProjectStore(project) as store:
        assert store.integrity_check() == "ok"
        assert store.meta("current_model") == origin
        assert store.codings.scored_segments(origin) == {s.id for s in respondent}
        audit_after = store.codings.audit()
        assert len(audit_after) >= audit_before  # the audit log is append-only
    after = model_rows(project, origin)
    assert {k: v for k, v in after.items() if k[0] in scored} == partial  # nothing lost, nothing re-scored
    with read_only(project) as conn:
        dupes = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM codings GROUP BY segment_id, code_id, origin HAVING count(*) > 1)"
        ).fetchone()[0]
    assert dupes == 0
    assert human_rows(project) == decisions


def test_batch_coding_while_an_analyst_decides(
    demo_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(demo_template, tmp_path)
    with ProjectStore(project) as store:
        respondent = store.documents.segments(role=Role.RESPONDENT)
        audit_before = len(store.codings.audit())
    proc = start_code(project, tmp_path / "code.log")
    written: dict[tuple[int, str], str] = {}
    decisions = errors = 0
    with ProjectStore(project) as store:
        i = 0
        while proc.poll() is None or i < 50:
            seg = respondent[i % len(respondent)]
            code = CODES[i % 8]
            status = (Status.ACCEPTED, Status.REJECTED, Status.MANUAL)[i % 3]
            try:
                store.codings.decide(seg.id, code, "bob", status)
            except sqlite3.OperationalError:  # "database is locked" must never reach the analyst
                errors += 1
                raise
            written[(seg.id, code)] = status.value
            decisions += 1
            i += 1
            time.sleep(0.02)
    log = (tmp_path / "code.log").read_text(errors="replace")
    assert proc.returncode == 0, log[-2000:]
    assert "locked" not in log and "Traceback" not in log
    assert errors == 0 and decisions > 50
    with capsys.disabled():
        print(f"\n{decisions} decisions written while {len(respondent)} segments were coded")
    with ProjectStore(project) as store:
        assert store.integrity_check() == "ok"
        bob = {(c.segment_id, c.code_id): c.status.value for c in store.codings.human("bob")}
        assert bob == written  # every decision is there, with its last status
        audit = store.codings.audit(coder="bob")
        assert sum(1 for d in audit if d.action == "decide") == decisions  # one audit entry per decision
        origin = store.meta("current_model")
        assert origin and store.codings.scored_segments(origin) == {s.id for s in respondent}
        assert len(store.codings.audit()) >= audit_before + decisions
