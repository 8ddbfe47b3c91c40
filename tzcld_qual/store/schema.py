"""Schema of a project file and its forward migrations (``PRAGMA user_version``).

Each migration is a list of SQL statements applied in one transaction; a file whose version is
newer than :data:`SCHEMA_VERSION` is refused untouched. Never edit a released migration: add one.
"""

from __future__ import annotations

from tzcld_qual.store import schema_chat, schema_topics

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE codebooks (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            source_path TEXT NOT NULL DEFAULT '',
            content TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL)""",
        """CREATE TABLE codes (
            codebook_version INTEGER NOT NULL REFERENCES codebooks(version),
            id TEXT NOT NULL,
            parent TEXT,
            label TEXT NOT NULL,
            color TEXT NOT NULL,
            definition TEXT NOT NULL,
            payload TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (codebook_version, id))""",
        """CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            current INTEGER NOT NULL DEFAULT 1,
            source_path TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            text TEXT NOT NULL,
            attributes TEXT NOT NULL DEFAULT '{}',
            speakers TEXT NOT NULL DEFAULT '{}',
            source_format TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            UNIQUE (name, version))""",
        "CREATE UNIQUE INDEX documents_current ON documents(name) WHERE current = 1",
        """CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            position INTEGER NOT NULL,
            turn INTEGER NOT NULL,
            speaker TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('interviewer', 'respondent')),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            UNIQUE (document_id, position))""",
        "CREATE INDEX segments_hash ON segments(text_hash)",
        """CREATE TABLE coders (
            name TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('human', 'model')),
            detail TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL)""",
        """CREATE TABLE codings (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL REFERENCES segments(id),
            code_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('suggested', 'accepted', 'rejected', 'manual')),
            origin TEXT NOT NULL REFERENCES coders(name),
            confidence REAL,
            explanation TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (segment_id, code_id, origin))""",
        "CREATE INDEX codings_code ON codings(code_id, status)",
        "CREATE INDEX codings_origin ON codings(origin, segment_id)",
        """CREATE TABLE memos (
            id INTEGER PRIMARY KEY,
            target TEXT NOT NULL CHECK (target IN ('segment', 'document', 'code', 'project')),
            target_id TEXT NOT NULL,
            coder TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        "CREATE INDEX memos_target ON memos(target, target_id)",
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            coder TEXT NOT NULL,
            action TEXT NOT NULL,
            segment_id INTEGER,
            code_id TEXT,
            before TEXT,
            after TEXT,
            grp TEXT,
            ref INTEGER,
            detail TEXT NOT NULL DEFAULT '')""",
        "CREATE INDEX audit_coder ON audit(coder, id)",
        """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        """CREATE TABLE embeddings (
            text_hash TEXT NOT NULL,
            model_id TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (text_hash, model_id)) WITHOUT ROWID""",
        """CREATE TABLE scored (
            segment_id INTEGER NOT NULL REFERENCES segments(id),
            origin TEXT NOT NULL REFERENCES coders(name),
            scores TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (segment_id, origin)) WITHOUT ROWID""",
        """CREATE TABLE model_runs (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            codebook_version INTEGER NOT NULL,
            params TEXT NOT NULL DEFAULT '{}',
            metrics TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL)""",
    ),
}

MIGRATIONS[2] = schema_topics.MIGRATION  # emergent themes (BERTopic runs)
MIGRATIONS[3] = schema_chat.MIGRATION  # chat history and retrieval index
# Embedding vectors (2 KB each) in a rowid table with a unique key beside it: in a WITHOUT ROWID
# table every vector sat in the key's B-tree, and writing 20,000 took 2.8 s instead of 0.9 s.
MIGRATIONS[4] = (
    """CREATE TABLE embedding_vectors (
        id INTEGER PRIMARY KEY,
        text_hash TEXT NOT NULL,
        model_id TEXT NOT NULL,
        vector BLOB NOT NULL,
        UNIQUE (text_hash, model_id))""",
    """INSERT INTO embedding_vectors (text_hash, model_id, vector)
        SELECT text_hash, model_id, vector FROM embeddings""",
    "DROP TABLE embeddings",
    "ALTER TABLE embedding_vectors RENAME TO embeddings",
)
# Where a document's attributes came from (NULL: imported before this was kept): what the file's
# header said at its last import, the attributes-file values given for it, the keys an analyst
# set or removed since. A re-import takes a file's value only where the file changed it, so an
# unchanged header or attributes file never undoes a correction.
MIGRATIONS[5] = (
    "ALTER TABLE documents ADD COLUMN header_attributes TEXT",
    "ALTER TABLE documents ADD COLUMN given_attributes TEXT",
    "ALTER TABLE documents ADD COLUMN corrected_attributes TEXT",
)
# « Relu, aucun code »: a coder read the segment and judged that no code applies (``NO_CODE`` in the
# audit log, so undo and redo replay it as any decision). Beside the codings, not a coding: the
# exports, counts and agreement that read codings never meet a code that is not one.
MIGRATIONS[6] = (
    """CREATE TABLE no_code (
        segment_id INTEGER NOT NULL REFERENCES segments(id),
        coder TEXT NOT NULL REFERENCES coders(name),
        created_at TEXT NOT NULL,
        PRIMARY KEY (segment_id, coder)) WITHOUT ROWID""",
    "CREATE INDEX no_code_coder ON no_code(coder, segment_id)",
)

SCHEMA_VERSION = max(MIGRATIONS)
APPLICATION_ID = 0x747A636C  # "tzcl": marks a SQLite file as a tzcld-qual project
