"""Codebook versions stored in the project (the YAML text is kept, so any version can be rebuilt)."""

from __future__ import annotations

import hashlib
import json
import sqlite3

from tzcld_qual.codebook import parse_codebook
from tzcld_qual.model import Codebook
from tzcld_qual.store.connection import now, transaction


class CodebookRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def add(self, codebook: Codebook, content: str, source_path: str = "", note: str = "") -> int:
        """Store a codebook as a new version unless the latest one has the same content."""
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        latest = self._conn.execute(
            "SELECT version, content_hash FROM codebooks ORDER BY version DESC LIMIT 1"
        ).fetchone()
        if latest and latest["content_hash"] == digest:
            return int(latest["version"])
        version = (latest["version"] if latest else 0) + 1
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO codebooks (version, name, source_path, content, content_hash, note, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (version, codebook.name, source_path, content, digest, note, now()),
            )
            self._conn.executemany(
                "INSERT INTO codes (codebook_version, id, parent, label, color, definition, payload, position) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        version,
                        c.id,
                        c.parent,
                        c.label,
                        c.color,
                        c.definition,
                        json.dumps(
                            {
                                "inclusion": c.inclusion,
                                "exclusion": c.exclusion,
                                "expressions": c.expressions,
                                "examples": c.examples,
                                "negatives": c.negatives,
                                "finding": c.finding,
                            },
                            ensure_ascii=False,
                        ),
                        i,
                    )
                    for i, c in enumerate(codebook.codes)
                ],
            )
        return version

    def latest_version(self) -> int | None:
        row = self._conn.execute("SELECT max(version) FROM codebooks").fetchone()
        return row[0]

    def get(self, version: int | None = None) -> Codebook | None:
        """A stored codebook (the latest by default), rebuilt from its YAML text."""
        if version is None:
            version = self.latest_version()
            if version is None:
                return None
        row = self._conn.execute("SELECT * FROM codebooks WHERE version = ?", (version,)).fetchone()
        if row is None:
            return None
        # a version stored before the strict checks opens as it was accepted
        codebook = parse_codebook(row["content"], row["source_path"] or "<project>", strict=False)
        return Codebook(
            name=codebook.name,
            version=row["version"],
            codes=codebook.codes,
            language=codebook.language,
            description=codebook.description,
            source=codebook.source,
        )

    def content(self, version: int | None = None) -> str | None:
        version = version or self.latest_version()
        row = self._conn.execute("SELECT content FROM codebooks WHERE version = ?", (version,)).fetchone()
        return row[0] if row else None

    def used_ids(self) -> set[str]:
        """Every code id this project has known: in any codebook version, a coding, a memo on a
        code or a theme promoted to a code. A new code never takes one of them, as the rows
        under it would become the new code's."""
        return {
            r[0]
            for r in self._conn.execute(
                "SELECT id FROM codes UNION SELECT code_id FROM codings "
                "UNION SELECT target_id FROM memos WHERE target = 'code' "
                "UNION SELECT promoted_code FROM topics WHERE promoted_code IS NOT NULL"
            )
        }

    def versions(self) -> list[dict[str, object]]:
        return [
            dict(r)
            for r in self._conn.execute(
                "SELECT version, name, source_path, note, created_at FROM codebooks ORDER BY version"
            )
        ]
