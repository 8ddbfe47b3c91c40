"""Migration 3: the chat's tables (history of questions and the persisted semantic index).

Idempotent (``IF NOT EXISTS``) so :class:`tzcld_qual.store.chat.ChatRepo` can apply it to a
project opened before the migration is registered, and the registered migration still runs.
"""

from __future__ import annotations

MIGRATION: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS chat_turns (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        coder TEXT,
        question TEXT NOT NULL,
        intent TEXT NOT NULL,
        slots TEXT NOT NULL DEFAULT '{}',
        answer TEXT NOT NULL DEFAULT '',
        action TEXT,
        segment_ids TEXT NOT NULL DEFAULT '[]')""",
    """CREATE TABLE IF NOT EXISTS chat_index (
        model_id TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        segment_ids BLOB NOT NULL,
        vectors BLOB NOT NULL,
        dimension INTEGER NOT NULL,
        built_at TEXT NOT NULL)""",
)
