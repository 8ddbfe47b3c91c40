"""Rewriting a project's texts in place with their pseudonymised versions, leaving no trace.

Documents keep their ids, versions and segments (so every coding, decision and audit entry stays
attached); text and offsets change. Text derived from transcripts (memos, chat history, topic
labels and quotes, model explanations) is rewritten too, caches computed from the old text
(embeddings, lemmas, the chat index) are dropped, and the file is vacuumed with
``secure_delete`` on, so the original names are not left in free pages or the WAL.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from tzcld_qual.store.connection import transaction
from tzcld_qual.store.rows import text_hash

# Derived text columns: (table, key columns, text columns); tables a project may not have yet are skipped.
DERIVED: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("memos", ("id",), ("text",)),
    ("codings", ("id",), ("explanation",)),
    ("chat_turns", ("id",), ("question", "answer", "slots")),
    ("topics", ("run_id", "topic"), ("label", "keyphrases", "quotes")),
)
Derived = tuple[str, tuple[str, ...], tuple[object, ...], str, str]  # table, key columns, key, column, text
CACHES_BY_HASH: tuple[str, ...] = ("embeddings", "topic_lemmas")
CACHES_WHOLE: tuple[str, ...] = ("chat_index",)


@dataclass(frozen=True, slots=True)
class SegmentRewrite:
    id: int
    start: int
    end: int
    speaker: str


@dataclass(frozen=True, slots=True)
class DocumentRewrite:
    id: int
    text: str
    content_hash: str
    speakers: Mapping[str, str]  # label → role
    segments: Sequence[SegmentRewrite]


class PseudonymRewriter:
    """The SQL of ``tzcld-qual pseudonymize``: one transaction, then a secure compaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def tables(self) -> set[str]:
        return {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def derived_texts(self) -> list[Derived]:
        """Every derived text: (table, key columns, key values, column, text)."""
        present = self.tables()
        out: list[Derived] = []
        for table, keys, columns in DERIVED:
            if table not in present:
                continue
            for row in self._conn.execute(f"SELECT {', '.join(keys + columns)} FROM {table}"):
                key = tuple(row[: len(keys)])
                for index, column in enumerate(columns, start=len(keys)):
                    if isinstance(row[index], str) and row[index]:
                        out.append((table, keys, key, column, row[index]))
        return out

    def apply(
        self,
        documents: Sequence[DocumentRewrite],
        derived: Sequence[Derived],
    ) -> int:
        """Write new texts and offsets, rewrite derived text, drop stale caches; returns segments changed."""
        self._conn.execute("PRAGMA secure_delete = ON")
        changed = 0
        with transaction(self._conn):
            old_hashes: set[str] = set()
            for doc in documents:
                old = {
                    r["id"]: r["text_hash"]
                    for r in self._conn.execute("SELECT id, text_hash FROM segments WHERE document_id = ?", (doc.id,))
                }
                self._conn.execute(
                    "UPDATE documents SET text = ?, content_hash = ?, speakers = ? WHERE id = ?",
                    (
                        doc.text,
                        doc.content_hash,
                        json.dumps(dict(doc.speakers), ensure_ascii=False, sort_keys=True),
                        doc.id,
                    ),
                )
                for seg in doc.segments:
                    new_text = doc.text[seg.start : seg.end]
                    new_hash = text_hash(new_text)
                    if new_hash != old.get(seg.id):
                        old_hashes.add(old[seg.id])
                        changed += 1
                    self._conn.execute(
                        'UPDATE segments SET start = ?, "end" = ?, text = ?, text_hash = ?, speaker = ? WHERE id = ?',
                        (seg.start, seg.end, new_text, new_hash, seg.speaker, seg.id),
                    )
            for table, keys, key, column, text in derived:
                where = " AND ".join(f"{k} = ?" for k in keys)
                self._conn.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", (text, *key))
            self._drop_caches(old_hashes, whole=bool(changed))
        return changed

    def _drop_caches(self, old_hashes: set[str], *, whole: bool) -> None:
        present = self.tables()
        still_used = set()
        hashes = sorted(old_hashes)
        for i in range(0, len(hashes), 900):
            chunk = hashes[i : i + 900]
            marks = ",".join("?" * len(chunk))
            still_used |= {
                r[0] for r in self._conn.execute(f"SELECT text_hash FROM segments WHERE text_hash IN ({marks})", chunk)
            }
        stale = sorted(old_hashes - still_used)
        for table in CACHES_BY_HASH:
            if table not in present:
                continue
            for i in range(0, len(stale), 900):
                chunk = stale[i : i + 900]
                self._conn.execute(f"DELETE FROM {table} WHERE text_hash IN ({','.join('?' * len(chunk))})", chunk)
        if whole:
            for table in CACHES_WHOLE:
                if table in present:
                    self._conn.execute(f"DELETE FROM {table}")

    def compact(self) -> None:
        """Overwrite freed pages and empty the WAL: the old text must not survive on disk."""
        self._conn.execute("PRAGMA secure_delete = ON")
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.execute("VACUUM")
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def rewrite_derived(derived: Sequence[Derived], scrub: Callable[[str, str, str], str]) -> list[Derived]:
    """The derived texts that ``scrub(table, column, text)`` changes, with their new text."""
    out: list[Derived] = []
    for table, keys, key, column, text in derived:
        new = scrub(table, column, text)
        if new != text:
            out.append((table, keys, key, column, new))
    return out
