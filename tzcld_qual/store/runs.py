"""Model runs: which model id (origin) was fitted on what, with which parameters and scores."""

from __future__ import annotations

import builtins
import json
import sqlite3
from typing import Any

from tzcld_qual.store.connection import now, transaction


class RunRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def find(self, fingerprint: str) -> str | None:
        row = self._conn.execute(
            "SELECT id FROM model_runs WHERE fingerprint = ? ORDER BY created_at DESC LIMIT 1", (fingerprint,)
        ).fetchone()
        return row[0] if row else None

    def register(
        self,
        kind: str,
        fingerprint: str,
        codebook_version: int,
        params: dict[str, object],
        metrics: dict[str, object] | None = None,
    ) -> tuple[str, bool]:
        """The run of ``fingerprint`` and ``False`` if there is one, else a new run and ``True``:
        the look-up and the insert are one write transaction, so two ``code`` processes that
        fitted the same model at once register it once and score under the same origin."""
        with transaction(self._conn):
            existing = self.find(fingerprint)
            if existing:
                return existing, False
            return self.add(kind, fingerprint, codebook_version, params, metrics), True

    def add(
        self,
        kind: str,
        fingerprint: str,
        codebook_version: int,
        params: dict[str, object],
        metrics: dict[str, object] | None = None,
    ) -> str:
        """Register a new run; its id ``<kind>@<n>`` is the origin of its suggestions."""
        with transaction(self._conn):
            run_id = f"{kind}@{self._next_number(kind)}"
            self._conn.execute(
                "INSERT INTO model_runs (id, kind, fingerprint, codebook_version, params, metrics, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    kind,
                    fingerprint,
                    codebook_version,
                    json.dumps(params, ensure_ascii=False),
                    json.dumps(metrics or {}, ensure_ascii=False),
                    now(),
                ),
            )
            self._conn.execute(
                "INSERT OR IGNORE INTO coders (name, kind, detail, created_at) VALUES (?, 'model', ?, ?)",
                (run_id, json.dumps({"fingerprint": fingerprint}), now()),
            )
        return run_id

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

    def set_metrics(self, run_id: str, metrics: dict[str, object]) -> None:
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE model_runs SET metrics = ? WHERE id = ?", (json.dumps(metrics, ensure_ascii=False), run_id)
            )

    def get(self, run_id: str) -> dict[str, Any] | None:
        row = self._conn.execute("SELECT * FROM model_runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            return None
        out = dict(row)
        out["params"] = json.loads(row["params"])
        out["metrics"] = json.loads(row["metrics"])
        return out

    def list(self) -> builtins.list[dict[str, Any]]:
        return [dict(r) for r in self._conn.execute("SELECT * FROM model_runs ORDER BY created_at")]
