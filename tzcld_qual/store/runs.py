"""Model runs: which model id (origin) was fitted on what, with which parameters and scores."""

from __future__ import annotations

import builtins
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tzcld_qual.store.connection import now, transaction


@dataclass(frozen=True, slots=True)
class NewRun:
    """A fitted model to record: its kind (the prefix of its id), the fingerprint that identifies
    it, the codebook version it codes against, its parameters (thresholds…) and scores."""

    kind: str
    fingerprint: str
    codebook_version: int
    params: Mapping[str, object]
    metrics: Mapping[str, object] = field(default_factory=dict)


class RunRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def find(self, fingerprint: str) -> str | None:
        row = self._conn.execute(
            "SELECT id FROM model_runs WHERE fingerprint = ? ORDER BY created_at DESC LIMIT 1", (fingerprint,)
        ).fetchone()
        return row[0] if row else None

    def register(self, run: NewRun) -> tuple[str, bool]:
        """The run of ``run.fingerprint`` and ``False`` if there is one, else a new run and ``True``:
        the look-up and the insert are one write transaction, so two ``code`` processes that
        fitted the same model at once register it once and score under the same origin. A new
        run's id, ``<kind>@<n>``, is the origin of its suggestions."""
        with transaction(self._conn):
            existing = self.find(run.fingerprint)
            if existing:
                return existing, False
            run_id = f"{run.kind}@{self._next_number(run.kind)}"
            self._conn.execute(
                "INSERT INTO model_runs (id, kind, fingerprint, codebook_version, params, metrics, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    run.kind,
                    run.fingerprint,
                    run.codebook_version,
                    json.dumps(dict(run.params), ensure_ascii=False),
                    json.dumps(dict(run.metrics), ensure_ascii=False),
                    now(),
                ),
            )
            self._conn.execute(
                "INSERT OR IGNORE INTO coders (name, kind, detail, created_at) VALUES (?, 'model', ?, ?)",
                (run_id, json.dumps({"fingerprint": run.fingerprint}), now()),
            )
        return run_id, True

    def adopt(
        self,
        run_id: str,
        kind: str,
        codebook_version: int,
        params: Mapping[str, object],
        metrics: Mapping[str, object],
        *,
        created_at: str | None = None,
    ) -> None:
        """A run of another project, under its own id (the origin of its imported suggestions),
        with a fingerprint no fitted model has: ``code`` never takes it for one of its own."""
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO model_runs (id, kind, fingerprint, codebook_version, params, metrics, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    kind,
                    f"imported:{run_id}",
                    codebook_version,
                    json.dumps(dict(params), ensure_ascii=False),
                    json.dumps(dict(metrics), ensure_ascii=False),
                    created_at or now(),
                ),
            )

    def _next_number(self, kind: str) -> int:
        """One above every ``<kind>@<n>`` the project knows, as a run or as a coder: a model or
        an analyst brought in by a REFI-QDA import may hold a number no run of this project has."""
        names = [r[0] for r in self._conn.execute("SELECT id FROM model_runs WHERE kind = ?", (kind,))]
        names += [
            r[0]
            for r in self._conn.execute(
                "SELECT name FROM coders WHERE substr(name, 1, ?) = ?", (len(kind) + 1, f"{kind}@")
            )
        ]
        numbers = [int(tail) for name in names if (tail := name[len(kind) + 1 :]).isdigit()]
        return max(numbers, default=0) + 1

    def set_codebook_version(self, run_id: str, version: int) -> None:
        """A model found again under a later codebook version of the same content (A → B → A)."""
        with transaction(self._conn):
            self._conn.execute("UPDATE model_runs SET codebook_version = ? WHERE id = ?", (version, run_id))

    def get(self, run_id: str) -> dict[str, Any] | None:
        row = self._conn.execute("SELECT * FROM model_runs WHERE id = ?", (run_id,)).fetchone()
        return None if row is None else _decoded(row)

    def latest_id(self) -> str | None:
        """The newest run's id, without decoding anyone's parameters (they hold decision snapshots)."""
        row = self._conn.execute("SELECT id FROM model_runs ORDER BY created_at DESC, rowid DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def list(self) -> builtins.list[dict[str, Any]]:
        """Every run, oldest first, with its parameters and metrics decoded as :meth:`get` gives them."""
        return [_decoded(r) for r in self._conn.execute("SELECT * FROM model_runs ORDER BY created_at")]


def _decoded(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    out["params"] = json.loads(row["params"])
    out["metrics"] = json.loads(row["metrics"])
    return out
