"""Migration 2: tables of the emergent-theme runs (register as ``MIGRATIONS[2]`` in ``schema.py``).

A run (``topics@N``) keeps its parameters and fingerprint, every clustered segment's topic (with
``-1`` for outliers), and per topic its keyphrases, quotes, breakdown, nearest codes, centroid and
promotion. ``topic_lemmas`` caches each segment's content lemmas per analyzer, like embeddings.
Statements are idempotent (``IF NOT EXISTS``), so projects that got these tables before the
migration was registered migrate cleanly.
"""

from __future__ import annotations

MIGRATION: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS topic_runs (
        id TEXT PRIMARY KEY,
        number INTEGER NOT NULL UNIQUE,
        fingerprint TEXT NOT NULL,
        scope TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        embedding_model TEXT NOT NULL,
        analyzer TEXT NOT NULL,
        codebook_version INTEGER,
        segments INTEGER NOT NULL,
        outliers INTEGER NOT NULL,
        created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS topic_runs_fingerprint ON topic_runs(fingerprint)",
    """CREATE TABLE IF NOT EXISTS topics (
        run_id TEXT NOT NULL REFERENCES topic_runs(id),
        topic INTEGER NOT NULL,
        size INTEGER NOT NULL,
        label TEXT NOT NULL,
        keyphrases TEXT NOT NULL DEFAULT '[]',
        quotes TEXT NOT NULL DEFAULT '[]',
        breakdown TEXT NOT NULL DEFAULT '{}',
        neighbours TEXT NOT NULL DEFAULT '[]',
        centroid BLOB NOT NULL,
        promoted_code TEXT,
        promoted_version INTEGER,
        PRIMARY KEY (run_id, topic)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS topic_assignments (
        run_id TEXT NOT NULL REFERENCES topic_runs(id),
        segment_id INTEGER NOT NULL REFERENCES segments(id),
        topic INTEGER NOT NULL,
        probability REAL NOT NULL,
        PRIMARY KEY (run_id, segment_id)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS topic_assignments_topic ON topic_assignments(run_id, topic)",
    """CREATE TABLE IF NOT EXISTS topic_lemmas (
        text_hash TEXT NOT NULL,
        analyzer TEXT NOT NULL,
        lemmas TEXT NOT NULL,
        PRIMARY KEY (text_hash, analyzer)) WITHOUT ROWID""",
)
