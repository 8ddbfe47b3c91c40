"""Memos on segments, documents, codes or the project; every change is in the audit log."""

from __future__ import annotations

import builtins
import sqlite3

from tzcld_qual.model import Memo
from tzcld_qual.store import rows
from tzcld_qual.store.connection import now, transaction


class MemoRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def write(self, target: str, target_id: str, coder: str, text: str, *, written_at: str | None = None) -> Memo:
        """Create or replace ``coder``'s memo on a target (one memo per coder and target);
        ``written_at``: when it was written elsewhere (a REFI-QDA note's date), not now."""
        logged = now()  # the audit says when it was written here
        stamp = written_at or logged
        with transaction(self._conn):
            row = self._conn.execute(
                "SELECT id FROM memos WHERE target = ? AND target_id = ? AND coder = ?",
                (target, str(target_id), coder),
            ).fetchone()
            if row:
                memo_id = row[0]
                self._conn.execute("UPDATE memos SET text = ?, updated_at = ? WHERE id = ?", (text, stamp, memo_id))
            else:
                memo_id = self._conn.execute(
                    "INSERT INTO memos (target, target_id, coder, text, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (target, str(target_id), coder, text, stamp, stamp),
                ).lastrowid
            self._conn.execute(
                "INSERT INTO audit (at, coder, action, detail) VALUES (?, ?, 'memo', ?)",
                (logged, coder, f"{target}:{target_id}"),
            )
            found = self._conn.execute("SELECT * FROM memos WHERE id = ?", (memo_id,)).fetchone()
        return rows.memo(found)

    def list(self, target: str | None = None, target_id: str | None = None) -> builtins.list[Memo]:
        sql, params = "SELECT * FROM memos", []
        if target:
            sql += " WHERE target = ?"
            params.append(target)
            if target_id is not None:
                sql += " AND target_id = ?"
                params.append(str(target_id))
        return [rows.memo(r) for r in self._conn.execute(sql + " ORDER BY id", params)]

    def carry_over(self, target: str, old_id: int, new_id: int) -> int:
        """Copy every memo on a segment or document to its successor in a new document version
        (text and dates kept; a coder's memo already there is left as it is)."""
        with transaction(self._conn):
            copied = self._conn.execute(
                "INSERT INTO memos (target, target_id, coder, text, created_at, updated_at) "
                "SELECT m.target, ?, m.coder, m.text, m.created_at, m.updated_at FROM memos m "
                "WHERE m.target = ? AND m.target_id = ? AND NOT EXISTS (SELECT 1 FROM memos n "
                "WHERE n.target = m.target AND n.target_id = ? AND n.coder = m.coder)",
                (str(new_id), target, str(old_id), str(new_id)),
            ).rowcount
        return int(copied)
