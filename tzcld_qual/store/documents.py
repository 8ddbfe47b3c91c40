"""Documents (one row per imported version) and their segments."""

from __future__ import annotations

import builtins
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tzcld_qual.model import Document, Role, Segment
from tzcld_qual.store import rows
from tzcld_qual.store.connection import like_prefix, now


@dataclass(frozen=True, slots=True)
class AttributeSources:
    """Where a document's attribute values came from, for the next import's three-way merge."""

    header: Mapping[str, str] | None = None  # what the file's header said at its last import (None: unknown)
    given: Mapping[str, str] | None = None  # the attributes-file values given for it so far (None: unknown)
    corrected: frozenset[str] = frozenset()  # keys an analyst set or removed since a file last changed them


@dataclass(frozen=True, slots=True)
class NewSegment:
    """A segment before it has an id (what segmentation produces)."""

    turn: int
    speaker: str
    role: Role
    start: int
    end: int
    text: str


class DocumentRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    # -- reads ---------------------------------------------------------------------------
    def find(self, name: str) -> Document | None:
        """The current version of the document called ``name`` (file name, or a stem only one
        file has)."""
        found = self.matching(name)
        return found[0] if len(found) == 1 else None

    def matching(self, name: str) -> builtins.list[Document]:
        """Current documents called ``name``: the file of that name, else every file of that stem
        (``entretien-03`` for ``entretien-03.txt``; ``%`` and ``_`` are plain characters)."""
        exact = self._conn.execute("SELECT * FROM documents WHERE current = 1 AND name = ?", (name,)).fetchall()
        found = (
            exact
            or self._conn.execute(
                "SELECT * FROM documents WHERE current = 1 AND name LIKE ? ESCAPE '\\' ORDER BY name",
                (like_prefix(name + "."),),
            ).fetchall()
        )
        return [rows.document(r) for r in found]

    def get(self, document_id: int) -> Document | None:
        row = self._conn.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
        return rows.document(row) if row else None

    def versions(self, name: str) -> builtins.list[Document]:
        """Every stored version of the document called exactly ``name``, oldest first."""
        found = self._conn.execute("SELECT * FROM documents WHERE name = ? ORDER BY version", (name,))
        return [rows.document(r) for r in found]

    def list(self, *, current: bool = True) -> builtins.list[Document]:
        where = "WHERE current = 1" if current else ""
        return [rows.document(r) for r in self._conn.execute(f"SELECT * FROM documents {where} ORDER BY name, version")]

    def count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM documents WHERE current = 1").fetchone()[0]

    def segments(
        self,
        *,
        document_id: int | None = None,
        role: Role | None = None,
        ids: Sequence[int] | None = None,
        current: bool = True,
    ) -> builtins.list[Segment]:
        clauses: builtins.list[str] = []
        params: builtins.list[object] = []
        if current:
            clauses.append("d.current = 1")
        if document_id is not None:
            clauses.append("s.document_id = ?")
            params.append(document_id)
        if role is not None:
            clauses.append("s.role = ?")
            params.append(role.value)
        if ids is None:
            return self._segments(clauses, params)
        # one query per 900 ids (below SQLite's bound-parameter limit), merged in the same order
        unique = builtins.list(dict.fromkeys(ids))
        found: builtins.list[Segment] = []
        for start in range(0, len(unique), 900):
            chunk = unique[start : start + 900]
            found += self._segments([*clauses, f"s.id IN ({','.join('?' * len(chunk))})"], [*params, *chunk])
        return sorted(found, key=lambda s: (s.document, s.position)) if len(unique) > 900 else found

    def _segments(self, clauses: builtins.list[str], params: builtins.list[object]) -> builtins.list[Segment]:
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = (
            f"SELECT {rows.SEGMENT_COLUMNS} FROM segments s JOIN documents d ON d.id = s.document_id "
            f"{where} ORDER BY d.name, s.position"
        )
        return [rows.segment(r) for r in self._conn.execute(sql, params)]

    def questions(self, segment_ids: Sequence[int]) -> dict[int, str]:
        """For each segment, the text of the interviewer turn last before it in its document (the
        question it answers; absent when none came before), in one query per 900 segments."""
        out: dict[int, str] = {}
        ids = builtins.list(dict.fromkeys(segment_ids))
        for start in range(0, len(ids), 900):  # below SQLite's bound-parameter limit
            chunk = ids[start : start + 900]
            sql = (
                "SELECT s.id, (SELECT q.text FROM segments q WHERE q.document_id = s.document_id "
                "AND q.role = 'interviewer' AND q.position < s.position ORDER BY q.position DESC LIMIT 1) "
                f"FROM segments s WHERE s.id IN ({','.join('?' * len(chunk))})"
            )
            out.update((i, text) for i, text in self._conn.execute(sql, chunk) if text is not None)
        return out

    def segment(self, segment_id: int) -> Segment | None:
        found = self.segments(ids=[segment_id], current=False)
        return found[0] if found else None

    def count_segments(self, role: Role | None = None) -> int:
        sql = "SELECT count(*) FROM segments s JOIN documents d ON d.id = s.document_id WHERE d.current = 1"
        if role is None:
            return self._conn.execute(sql).fetchone()[0]
        return self._conn.execute(sql + " AND s.role = ?", (role.value,)).fetchone()[0]

    def attribute_values(self) -> dict[str, builtins.list[str]]:
        """Every attribute name with its distinct values over current documents."""
        values: dict[str, set[str]] = {}
        for doc in self.list():
            for key, value in doc.attributes.items():
                values.setdefault(key, set()).add(value)
        return {k: sorted(v) for k, v in sorted(values.items())}

    # -- writes (callers wrap them in a transaction) ----------------------------------------
    def add(
        self,
        *,
        name: str,
        source_path: str,
        content_hash: str,
        text: str,
        attributes: Mapping[str, str],
        speakers: Mapping[str, str],
        source_format: str,
        segments: Iterable[NewSegment],
        sources: AttributeSources | None = None,
    ) -> Document:
        """Store a new document, or a new version of one (the previous version is kept).

        ``sources`` says where the attributes came from, so that a later re-import can tell a file
        edited since from an unchanged one (``None``: unknown, as for a REFI-QDA import).
        """
        previous = self._conn.execute("SELECT max(version) FROM documents WHERE name = ?", (name,)).fetchone()[0]
        self._conn.execute("UPDATE documents SET current = 0 WHERE name = ?", (name,))
        cursor = self._conn.execute(
            "INSERT INTO documents (name, version, current, source_path, content_hash, text, attributes, "
            "speakers, source_format, imported_at, header_attributes, given_attributes, corrected_attributes) "
            "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                name,
                (previous or 0) + 1,
                source_path,
                content_hash,
                text,
                json.dumps(dict(attributes), ensure_ascii=False, sort_keys=True),
                json.dumps(dict(speakers), ensure_ascii=False, sort_keys=True),
                source_format,
                now(),
                *_source_columns(sources or AttributeSources()),
            ),
        )
        document_id = cursor.lastrowid
        assert document_id is not None
        self._conn.executemany(
            'INSERT INTO segments (document_id, position, turn, speaker, role, start, "end", text, text_hash) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (document_id, i, s.turn, s.speaker, s.role.value, s.start, s.end, s.text, rows.text_hash(s.text))
                for i, s in enumerate(segments)
            ],
        )
        doc = self.get(document_id)
        assert doc is not None
        return doc

    def same_text(self, content_hash: str) -> builtins.list[str]:
        """Names of the current documents whose text has this hash (one interview under two names)."""
        sql = "SELECT name FROM documents WHERE current = 1 AND content_hash = ? ORDER BY name"
        return [r[0] for r in self._conn.execute(sql, (content_hash,))]

    def retire(self, name: str) -> None:
        """Take a document out of the project (``tzcld-qual remove``): no version stays current,
        every version, segment, decision and memo stays stored, so :meth:`restore` undoes it."""
        self._conn.execute("UPDATE documents SET current = 0 WHERE name = ?", (name,))

    def restore(self, document_id: int) -> None:
        """Make a retired document's version current again, exactly as it was."""
        self._conn.execute("UPDATE documents SET current = 1 WHERE id = ?", (document_id,))

    def retired(self) -> builtins.list[Document]:
        """The last version of each document taken out of the project (none of its versions is
        current)."""
        sql = (
            "SELECT * FROM documents d WHERE d.version = (SELECT max(version) FROM documents e WHERE e.name = d.name) "
            "AND NOT EXISTS (SELECT 1 FROM documents e WHERE e.name = d.name AND e.current = 1) ORDER BY d.name"
        )
        return [rows.document(r) for r in self._conn.execute(sql)]

    def set_attributes(
        self, document_id: int, attributes: Mapping[str, str], *, sources: AttributeSources | None = None
    ) -> None:
        """Replace a document's attributes, and with ``sources`` where they came from."""
        self._conn.execute(
            "UPDATE documents SET attributes = ? WHERE id = ?",
            (json.dumps(dict(attributes), ensure_ascii=False, sort_keys=True), document_id),
        )
        if sources is not None:
            self._conn.execute(
                "UPDATE documents SET header_attributes = ?, given_attributes = ?, corrected_attributes = ? "
                "WHERE id = ?",
                (*_source_columns(sources), document_id),
            )

    def sources(self, document_id: int) -> AttributeSources:
        """Where the document's attributes came from (each part ``None`` when not known)."""
        row = self._conn.execute(
            "SELECT header_attributes, given_attributes, corrected_attributes FROM documents WHERE id = ?",
            (document_id,),
        ).fetchone()
        if row is None:
            return AttributeSources()
        header, given, corrected = (json.loads(x) if x is not None else None for x in row)
        return AttributeSources(header, given, frozenset(corrected or ()))


def _source_columns(sources: AttributeSources) -> tuple[str | None, str | None, str | None]:
    return (
        _json_or_null(sources.header),
        _json_or_null(sources.given),
        json.dumps(sorted(sources.corrected)) if sources.corrected else None,
    )


def _json_or_null(attributes: Mapping[str, str] | None) -> str | None:
    return None if attributes is None else json.dumps(dict(attributes), ensure_ascii=False, sort_keys=True)
