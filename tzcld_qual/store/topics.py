"""Emergent-theme runs: parameters, topics, segment assignments, promotions, cached lemmas.

Tables come from :mod:`tzcld_qual.store.schema_topics` (migration 2). Until ``store/schema.py``
registers it and attaches ``store.topics``, :func:`topic_repo` creates them on first use (the
statements are idempotent).

A run is read without the segments of documents that are no longer current (taken out with
``tzcld-qual remove``, or replaced by a newer import), as every other list of the project skips
them: their quotes go, and sizes, breakdowns and counts lose them. The rows stay stored, like
the documents themselves: ``restore`` brings a document back into its runs exactly as they were
computed, and the run keeps saying what it clustered then (:attr:`TopicRun.removed` counts the
segments left out). Deleting the rows at removal would need undoing at restore, and would
rewrite what a promotion was made from.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tzcld_qual.store.connection import now, transaction
from tzcld_qual.store.schema_topics import MIGRATION
from tzcld_qual.topics.result import (
    BREAKDOWN_ATTRIBUTES,
    OUTLIER,
    UNKNOWN,
    Quote,
    Scope,
    Topic,
    TopicRun,
    frozen_breakdown,
)

if TYPE_CHECKING:
    import numpy as np

    from tzcld_qual.store.project import ProjectStore


@dataclass(frozen=True, slots=True)
class TopicRecord:
    """A topic before it is stored (what the topics service computes)."""

    topic: int
    size: int
    label: str
    keyphrases: tuple[str, ...]
    quotes: tuple[tuple[int, float], ...]  # (segment id, cosine to the centroid)
    breakdown: Mapping[str, Mapping[str, int]]
    neighbours: tuple[tuple[str, float], ...]
    centroid: bytes = field(repr=False)


class TopicRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    # -- writes ---------------------------------------------------------------------------
    def add_run(
        self,
        *,
        fingerprint: str,
        scope: str,
        params: Mapping[str, Any],
        embedding_model: str,
        analyzer: str,
        codebook_version: int | None,
        assignments: Sequence[tuple[int, int, float]],
        topics: Sequence[TopicRecord],
    ) -> str:
        """Store a fitted run in one transaction; its id ``topics@N`` is returned.

        ``assignments`` holds ``(segment id, topic, probability)`` for every clustered segment,
        outliers (topic ``-1``) included.
        """
        outliers = sum(1 for _, t, _ in assignments if t < 0)
        with transaction(self._conn):
            number = self._conn.execute("SELECT coalesce(max(number), 0) + 1 FROM topic_runs").fetchone()[0]
            run_id = f"topics@{number}"
            self._conn.execute(
                "INSERT INTO topic_runs (id, number, fingerprint, scope, params, embedding_model, analyzer, "
                "codebook_version, segments, outliers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, number, fingerprint, scope, json.dumps(dict(params), ensure_ascii=False, sort_keys=True),
                 embedding_model, analyzer, codebook_version, len(assignments), outliers, now()),
            )
            self._conn.executemany(
                "INSERT INTO topic_assignments (run_id, segment_id, topic, probability) VALUES (?, ?, ?, ?)",
                [(run_id, s, t, p) for s, t, p in assignments],
            )
            self._conn.executemany(
                "INSERT INTO topics (run_id, topic, size, label, keyphrases, quotes, breakdown, neighbours, "
                "centroid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(run_id, t.topic, t.size, t.label, _dump(list(t.keyphrases)), _dump([list(q) for q in t.quotes]),
                  _dump({k: dict(v) for k, v in t.breakdown.items()}), _dump([list(n) for n in t.neighbours]),
                  t.centroid) for t in topics],
            )
        return run_id

    def mark_promoted(self, run_id: str, topic: int, code_id: str | None, codebook_version: int | None) -> None:
        """Record the code a topic became (``None``: its promotion undone)."""
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE topics SET promoted_code = ?, promoted_version = ? WHERE run_id = ? AND topic = ?",
                (code_id, codebook_version, run_id, topic))

    def put_lemmas(self, lemmas: Mapping[str, str], analyzer: str) -> None:
        with transaction(self._conn):
            self._conn.executemany(
                "INSERT OR IGNORE INTO topic_lemmas (text_hash, analyzer, lemmas) VALUES (?, ?, ?)",
                [(h, analyzer, v) for h, v in lemmas.items()])

    # -- reads ----------------------------------------------------------------------------
    def lemmas(self, hashes: Sequence[str], analyzer: str) -> dict[str, str]:
        out: dict[str, str] = {}
        unique = list(dict.fromkeys(hashes))
        for i in range(0, len(unique), 900):
            chunk = unique[i:i + 900]
            sql = (f"SELECT text_hash, lemmas FROM topic_lemmas WHERE analyzer = ? "
                   f"AND text_hash IN ({','.join('?' * len(chunk))})")
            out.update(dict(self._conn.execute(sql, [analyzer, *chunk]).fetchall()))
        return out

    def find(self, fingerprint: str) -> str | None:
        """The latest run fitted on the same data with the same parameters, if any."""
        row = self._conn.execute(
            "SELECT id FROM topic_runs WHERE fingerprint = ? ORDER BY number DESC LIMIT 1", (fingerprint,)).fetchone()
        return row[0] if row else None

    def latest(self) -> str | None:
        row = self._conn.execute("SELECT id FROM topic_runs ORDER BY number DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def runs(self) -> list[dict[str, Any]]:
        """Every run, oldest first, with its number of topics (for listings); segments of documents
        no longer current are not counted."""
        kept = ("FROM topic_assignments a JOIN segments s ON s.id = a.segment_id JOIN documents d "
                "ON d.id = s.document_id WHERE a.run_id = r.id AND d.current = 1")
        sql = (f"SELECT r.id, r.created_at, r.scope, (SELECT count(*) {kept}) AS segments, "
               f"(SELECT count(*) {kept} AND a.topic = {OUTLIER}) AS outliers, r.codebook_version, "
               f"(SELECT count(DISTINCT a.topic) {kept} AND a.topic != {OUTLIER}) AS topics "
               "FROM topic_runs r ORDER BY r.number")
        return [dict(r) for r in self._conn.execute(sql)]

    def run(self, run_id: str) -> TopicRun | None:
        """A stored run without the segments of documents no longer current (see the module
        docstring); a topic left with none is left out."""
        row = self._conn.execute("SELECT * FROM topic_runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            return None
        gone = self._gone(run_id)
        topic_rows = self._conn.execute("SELECT * FROM topics WHERE run_id = ? ORDER BY topic", (run_id,)).fetchall()
        quoted = {int(q[0]) for r in topic_rows for q in json.loads(r["quotes"])}
        segments = self._segments(sorted(quoted))
        topics = tuple(t for t in (_topic(r, segments, gone.get(r["topic"], [])) for r in topic_rows) if t.size > 0)
        removed = sum(len(g) for g in gone.values())
        return TopicRun(
            id=row["id"], created_at=row["created_at"], scope=Scope(row["scope"]), params=json.loads(row["params"]),
            embedding_model=row["embedding_model"], codebook_version=row["codebook_version"],
            segments=row["segments"] - removed, outliers=row["outliers"] - len(gone.get(OUTLIER, [])),
            topics=topics, fingerprint=row["fingerprint"], removed=removed,
        )

    def promoted(self) -> list[tuple[str, int, str]]:
        """(run id, topic, code) of every topic promoted to a code, oldest run first."""
        sql = ("SELECT t.run_id, t.topic, t.promoted_code FROM topics t JOIN topic_runs r ON r.id = t.run_id "
               "WHERE t.promoted_code IS NOT NULL ORDER BY r.number, t.topic")
        return [(r[0], r[1], r[2]) for r in self._conn.execute(sql)]

    def assignments(self, run_id: str, topic: int | None = None) -> dict[int, tuple[int, float]]:
        """``{segment id: (topic, probability)}`` of a run (one topic's segments when given), on
        current documents only."""
        sql = ("SELECT a.segment_id, a.topic, a.probability FROM topic_assignments a JOIN segments s "
               "ON s.id = a.segment_id JOIN documents d ON d.id = s.document_id WHERE a.run_id = ? AND d.current = 1")
        params: list[object] = [run_id]
        if topic is not None:
            sql, params = sql + " AND a.topic = ?", [run_id, topic]
        return {r[0]: (r[1], r[2]) for r in self._conn.execute(sql + " ORDER BY a.segment_id", params)}

    def centroid(self, run_id: str, topic: int) -> np.ndarray | None:
        import numpy as np

        row = self._conn.execute("SELECT centroid FROM topics WHERE run_id = ? AND topic = ?",
                                 (run_id, topic)).fetchone()
        return np.frombuffer(row[0], dtype=np.float32) if row else None

    def _gone(self, run_id: str) -> dict[int, list[dict[str, str]]]:
        """Per topic, the document attributes of each clustered segment whose document is no
        longer current."""
        sql = ("SELECT a.topic, d.attributes FROM topic_assignments a JOIN segments s ON s.id = a.segment_id "
               "JOIN documents d ON d.id = s.document_id WHERE a.run_id = ? AND d.current = 0")
        out: dict[int, list[dict[str, str]]] = {}
        for topic, attributes in self._conn.execute(sql, (run_id,)):
            out.setdefault(topic, []).append(json.loads(attributes) if attributes else {})
        return out

    def _segments(self, ids: Sequence[int]) -> dict[int, sqlite3.Row]:
        out: dict[int, sqlite3.Row] = {}
        for i in range(0, len(ids), 900):
            chunk = list(ids[i:i + 900])
            sql = ("SELECT s.id, d.name AS document, s.speaker, s.text FROM segments s JOIN documents d "
                   f"ON d.id = s.document_id WHERE d.current = 1 AND s.id IN ({','.join('?' * len(chunk))})")
            out.update({r["id"]: r for r in self._conn.execute(sql, chunk)})
        return out


def topic_repo(store: ProjectStore) -> TopicRepo:
    """``store.topics`` once migration 2 is registered; until then, create the tables here."""
    attached = getattr(store, "topics", None)
    if isinstance(attached, TopicRepo):
        return attached
    conn = store.connection
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'topic_assignments'").fetchone() is None:
        with transaction(conn):
            for statement in MIGRATION:
                conn.execute(statement)
    return TopicRepo(conn)


def _topic(row: sqlite3.Row, segments: Mapping[int, sqlite3.Row], gone: Sequence[Mapping[str, str]]) -> Topic:
    """A stored topic, less its ``gone`` segments (the attributes of their documents): its quotes
    are those still on current documents (``segments``)."""
    breakdown = {a: dict(v) for a, v in json.loads(row["breakdown"]).items()}
    for attributes in gone:
        for attribute in BREAKDOWN_ATTRIBUTES:
            counts = breakdown.get(attribute)
            value = attributes.get(attribute) or UNKNOWN
            if counts is not None and value in counts:
                counts[value] -= 1
                if counts[value] <= 0:
                    del counts[value]
    quotes = tuple(
        Quote(segment_id=int(sid), document=segments[int(sid)]["document"], speaker=segments[int(sid)]["speaker"],
              text=segments[int(sid)]["text"], similarity=float(sim))
        for sid, sim in json.loads(row["quotes"]) if int(sid) in segments
    )
    return Topic(
        id=row["topic"], size=row["size"] - len(gone), label=row["label"],
        keyphrases=tuple(json.loads(row["keyphrases"])), quotes=quotes, breakdown=frozen_breakdown(breakdown),
        neighbours=tuple((str(c), float(s)) for c, s in json.loads(row["neighbours"])),
        promoted_code=row["promoted_code"], promoted_version=row["promoted_version"],
    )


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
