"""The chat's data: its history per project, its semantic index, and the fast reads it answers from.

The reads return small rows rather than domain objects: a question over a 50,000-segment
project must be answered in well under a second, and only ids, codes and attributes are needed
to count; the quoted texts are read afterwards through :meth:`DocumentRepo.segments`.

They rely on the store's invariant that model rows, and only they, have status ``suggested``
(:class:`tzcld_qual.model.Status`): a human row is ``status != 'suggested'``, which spares a join
on ``coders`` per row.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tzcld_qual.model import Code, Codebook
from tzcld_qual.store.codings import DECIDED_HERE
from tzcld_qual.store.connection import now, transaction
from tzcld_qual.store.schema_chat import MIGRATION

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True, slots=True)
class ChatTurn:
    """One question and what was understood and answered."""

    id: int
    at: str
    coder: str | None
    question: str
    intent: str
    slots: dict[str, object]
    answer: str
    action: dict[str, object] | None
    segment_ids: tuple[int, ...]  # segments the answer showed ("ce segment" refers to the first)


@dataclass(frozen=True, slots=True)
class SegmentRow:
    """Where a segment is and who said it (no text)."""

    id: int
    document_id: int
    speaker: str
    respondent: bool
    document: str
    position: int

    @property
    def order(self) -> tuple[str, int]:
        """Reading order across the project: document name, then position."""
        return self.document, self.position


@dataclass(frozen=True, slots=True)
class DocumentRow:
    id: int
    name: str
    attributes: dict[str, str]


@dataclass(frozen=True, slots=True)
class StoredIndex:
    fingerprint: str
    segment_ids: np.ndarray  # int64
    vectors: np.ndarray  # float16, one row per segment id, L2-normalised


class ChatRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def ensure(self) -> None:
        """Create the chat tables if this project does not have them yet (migration 3)."""
        found = self._conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('chat_turns', 'chat_index')"
        ).fetchone()[0]
        if found == 2:
            return
        with transaction(self._conn):
            for statement in MIGRATION:
                self._conn.execute(statement)

    # -- history ------------------------------------------------------------------------------
    def add_turn(
        self,
        question: str,
        intent: str,
        slots: dict[str, object],
        answer: str,
        *,
        coder: str | None = None,
        action: dict[str, object] | None = None,
        segment_ids: Sequence[int] = (),
    ) -> int:
        with transaction(self._conn):
            cursor = self._conn.execute(
                "INSERT INTO chat_turns (at, coder, question, intent, slots, answer, action, segment_ids) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    now(),
                    coder,
                    question,
                    intent,
                    json.dumps(slots, ensure_ascii=False),
                    answer,
                    json.dumps(action, ensure_ascii=False) if action is not None else None,
                    json.dumps(list(segment_ids)),
                ),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def turns(self, limit: int | None = None, *, coder: str | None = None) -> list[ChatTurn]:
        """The latest turns (``coder``'s only, when given), oldest first."""
        sql, params = "SELECT * FROM chat_turns", tuple[str, ...]()
        if coder is not None:
            sql, params = sql + " WHERE coder = ?", (coder,)
        sql += " ORDER BY id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [_turn(r) for r in self._conn.execute(sql, params)][::-1]

    def last_turn(self, coder: str | None) -> ChatTurn | None:
        """``coder``'s last turn (``None``: asked without a name): two analysts asking at once
        each follow up on their own question, and « le deuxième » points into their own answer."""
        row = self._conn.execute(
            "SELECT * FROM chat_turns WHERE coder IS ? ORDER BY id DESC LIMIT 1", (coder,)
        ).fetchone()
        return _turn(row) if row else None

    def clear(self) -> int:
        with transaction(self._conn):
            return self._conn.execute("DELETE FROM chat_turns").rowcount

    # -- fast reads for answers ---------------------------------------------------------------
    def codebook(self) -> Codebook | None:
        """The latest codebook, read from its stored codes (no YAML parsing: ~1 ms, not ~1 s)."""
        head = self._conn.execute("SELECT version, name FROM codebooks ORDER BY version DESC LIMIT 1").fetchone()
        if head is None:
            return None
        codes = []
        for row in self._conn.execute(
            "SELECT id, parent, label, color, definition, payload FROM codes WHERE codebook_version = ? "
            "ORDER BY position",
            (head[0],),
        ):
            extra = json.loads(row[5])
            codes.append(
                Code(
                    id=row[0],
                    label=row[2],
                    definition=row[4],
                    parent=row[1],
                    color=row[3],
                    finding=extra.get("finding", ""),
                    inclusion=tuple(extra.get("inclusion", ())),
                    exclusion=tuple(extra.get("exclusion", ())),
                    expressions=tuple(extra.get("expressions", ())),
                    examples=tuple(extra.get("examples", ())),
                    negatives=tuple(extra.get("negatives", ())),
                )
            )
        return Codebook(name=head[1], version=head[0], codes=tuple(codes))

    def documents(self) -> list[DocumentRow]:
        """Current documents with their attributes (no text)."""
        return [
            DocumentRow(r[0], r[1], json.loads(r[2]))
            for r in self._conn.execute("SELECT id, name, attributes FROM documents WHERE current = 1 ORDER BY name")
        ]

    def respondent_speakers(self) -> list[tuple[int, str, int]]:
        """(document, speaker, respondent segments) over current documents."""
        return [
            (r[0], r[1], r[2])
            for r in self._conn.execute(
                f"SELECT s.document_id, s.speaker, count(*) FROM segments s {_CURRENT} "
                "WHERE s.role = 'respondent' GROUP BY s.document_id, s.speaker"
            )
        ]

    def respondent_ids(self, document_ids: Sequence[int], speaker: str | None = None) -> list[int]:
        """Respondent segments of these documents (``speaker``: of that speaker only)."""
        out: list[int] = []
        who = "" if speaker is None else " AND s.speaker = ?"
        for chunk in _chunks(document_ids):
            out += [
                r[0]
                for r in self._conn.execute(
                    f"SELECT s.id FROM segments s WHERE s.role = 'respondent' AND s.document_id IN ({_marks(chunk)})"
                    + who,
                    [*chunk, speaker] if speaker is not None else chunk,
                )
            ]
        return out

    def segment_rows(self, segment_ids: Sequence[int]) -> list[SegmentRow]:
        out: list[SegmentRow] = []
        for chunk in _chunks(segment_ids):
            out += [
                _segment_row(r)
                for r in self._conn.execute(
                    f"SELECT {_SEGMENT} FROM segments s JOIN documents d ON d.id = s.document_id "
                    f"WHERE s.id IN ({_marks(chunk)})",
                    chunk,
                )
            ]
        return out

    def applied(
        self, code: str | None = None, segment_ids: Sequence[int] | None = None
    ) -> Iterator[tuple[SegmentRow, str, str]]:
        """(segment, code, status) of every human row saying a code applies, on current documents;
        only ``code`` and its sub-codes, only ``segment_ids`` when given."""
        sql = (
            f"SELECT {_SEGMENT}, c.code_id, c.status FROM codings c "
            f"JOIN segments s ON s.id = c.segment_id {_CURRENT} WHERE c.status IN ('accepted', 'manual')"
        )
        for row in self._select(sql, code, segment_ids):
            yield _segment_row(row), row[6], row[7]

    def decided(self, statuses: Sequence[str]) -> Iterator[tuple[SegmentRow, str, str]]:
        """(segment, code, coder) of every analyst's decision of one of ``statuses`` (``rejected``;
        ``accepted``, ``manual``) on current documents."""
        sql = (
            f"SELECT {_SEGMENT}, c.code_id, c.origin FROM codings c "
            f"JOIN segments s ON s.id = c.segment_id {_CURRENT} WHERE c.status IN ({_marks(statuses)})"
        )
        for row in self._conn.execute(sql + " ORDER BY d.name, s.position", list(statuses)):
            yield _segment_row(row), row[6], row[7]

    def pending(
        self,
        origin: str,
        code: str | None = None,
        segment_ids: Sequence[int] | None = None,
        *,
        coder: str | None = None,
    ) -> Iterator[tuple[SegmentRow, str, float | None]]:
        """(segment, code, confidence) suggested by ``origin`` with no human row for that pair (no
        row of ``coder``'s when given: what that analyst has still to decide, as in the review)."""
        undecided = f"NOT EXISTS ({_HUMAN_ROW}{' AND h.origin = ?' if coder is not None else ''})"
        sql = (
            f"SELECT {_SEGMENT}, c.code_id, c.confidence FROM codings c "
            f"JOIN segments s ON s.id = c.segment_id {_CURRENT} "
            f"WHERE +c.origin = ? AND c.status = 'suggested' AND {undecided}"
        )
        first = (origin,) if coder is None else (origin, coder)
        for row in self._select(sql, code, segment_ids, *first):
            yield _segment_row(row), row[6], row[7]

    def code_groups(
        self, code: str, origin: str | Sequence[str] | None = None
    ) -> list[tuple[int, str, bool, int]]:
        """(document, speaker, is respondent, segments) where ``code`` (or a sub-code) applies —
        or, given ``origin`` (one model or several: the current one and promoted themes'),
        applies or is suggested by it with no human row for that pair."""
        sql = (
            f"SELECT s.document_id, s.speaker, s.role = 'respondent', count(DISTINCT c.segment_id) "
            f"FROM codings c JOIN segments s ON s.id = c.segment_id {_CURRENT} WHERE {_CODE} AND "
        )
        params: list[object] = _code_params(code)
        origins = [origin] if isinstance(origin, str) else list(origin or ())
        if not origins:
            sql += "c.status IN ('accepted', 'manual')"
        else:
            sql += (
                f"(c.status IN ('accepted', 'manual') OR (c.origin IN ({','.join('?' * len(origins))}) "
                f"AND c.status = 'suggested' AND NOT EXISTS ({_HUMAN_ROW})))"
            )
            params += origins
        return [(r[0], r[1], bool(r[2]), r[3]) for r in self._conn.execute(sql + " GROUP BY 1, 2, 3", params)]

    def coding_progress(self, origin: str | None) -> list[tuple[int, str, int, int, int]]:
        """(document, speaker, respondent segments with a code applied, with any human decision,
        with a suggestion of ``origin`` still open) over current documents: an interview's state."""
        rows = self._conn.execute(
            "SELECT s.document_id, s.speaker, "
            "count(DISTINCT CASE WHEN c.status IN ('accepted', 'manual') THEN c.segment_id END), "
            "count(DISTINCT CASE WHEN c.status != 'suggested' THEN c.segment_id END), "
            f"count(DISTINCT CASE WHEN c.origin = ? AND c.status = 'suggested' AND NOT EXISTS ({_HUMAN_ROW}) "
            "THEN c.segment_id END) "
            f"FROM codings c JOIN segments s ON s.id = c.segment_id {_CURRENT} "
            "WHERE s.role = 'respondent' GROUP BY s.document_id, s.speaker",
            (origin,),
        )
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def near_thresholds(
        self, origin: str, thresholds: Mapping[str, float], band: float
    ) -> list[tuple[int, int, str, int, list[float | None]]]:
        """(segment, document, document name, position, scores of the codes) of every segment on
        which ``origin`` scored one of the codes within ``band`` of its threshold."""
        codes = list(thresholds)
        if not codes:
            return []
        values = [f"json_extract(sc.scores, '$.\"{c}\"')" for c in codes]
        near = " OR ".join(f"abs({v} - ?) <= ?" for v in values)
        sql = (
            f"SELECT s.id, s.document_id, d.name, s.position, {', '.join(values)} FROM scored sc "
            f"JOIN segments s ON s.id = sc.segment_id {_CURRENT} WHERE sc.origin = ? AND ({near})"
        )
        params: list[object] = [origin]
        for code in codes:
            params += [float(thresholds[code]), band]
        return [(r[0], r[1], r[2], r[3], list(r[4:])) for r in self._conn.execute(sql, params)]

    def human_pairs(self, segment_ids: Sequence[int]) -> set[tuple[int, str]]:
        """(segment, code) pairs on which some analyst decided anything."""
        out: set[tuple[int, str]] = set()
        for chunk in _chunks(segment_ids):
            out |= {
                (r[0], r[1])
                for r in self._conn.execute(
                    f"SELECT segment_id, code_id FROM codings WHERE status != 'suggested' "
                    f"AND segment_id IN ({_marks(chunk)})",
                    chunk,
                )
            }
        return out

    def _select(
        self, sql: str, code: str | None, segment_ids: Sequence[int] | None, *first: object
    ) -> Iterator[sqlite3.Row]:
        params: list[object] = list(first)
        if code is not None:
            sql += f" AND {_CODE}"
            params += _code_params(code)
        if segment_ids is None:
            yield from self._conn.execute(sql + " ORDER BY d.name, s.position", params)
            return
        for chunk in _chunks(segment_ids):
            yield from self._conn.execute(sql + f" AND c.segment_id IN ({_marks(chunk)})", [*params, *chunk])

    def data_version(self) -> tuple[object, ...]:
        """Changes whenever documents, attributes, codings or the current model change (a few ms):
        what a cached view of the corpus is valid for."""
        row = self._conn.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM audit), (SELECT count(*) FROM codings), "
            "(SELECT coalesce(max(id), 0) FROM codings), "
            "(SELECT coalesce(max(updated_at), '') FROM codings WHERE status = 'suggested'), "
            "(SELECT coalesce(max(id), 0) FROM documents), "
            "(SELECT group_concat(id || attributes) FROM documents WHERE current = 1), "
            "(SELECT value FROM meta WHERE key = 'current_model')"
        ).fetchone()
        return tuple(row)

    def respondent_hashes(self) -> list[tuple[int, str]]:
        """(segment id, text hash) of the respondent segments of current documents, by id."""
        return [
            (r[0], r[1])
            for r in self._conn.execute(
                "SELECT s.id, s.text_hash FROM segments s JOIN documents d ON d.id = s.document_id "
                "WHERE d.current = 1 AND s.role = 'respondent' ORDER BY s.id"
            )
        ]

    def respondent_fingerprint(self) -> str:
        """Changes whenever the set of current respondent segments changes (ids are never reused)."""
        row = self._conn.execute(
            "SELECT count(*), coalesce(sum(s.id), 0), coalesce(max(s.id), 0) FROM segments s "
            "JOIN documents d ON d.id = s.document_id WHERE d.current = 1 AND s.role = 'respondent'"
        ).fetchone()
        return f"{row[0]}:{row[1]}:{row[2]}"

    # -- persisted semantic index ---------------------------------------------------------------
    def index(self, model_id: str) -> StoredIndex | None:
        import numpy as np

        row = self._conn.execute(
            "SELECT fingerprint, segment_ids, vectors, dimension FROM chat_index WHERE model_id = ?", (model_id,)
        ).fetchone()
        if row is None:
            return None
        ids = np.frombuffer(row[1], dtype=np.int64)
        vectors = np.frombuffer(row[2], dtype=np.float16).reshape(len(ids), int(row[3]))
        return StoredIndex(row[0], ids, vectors)

    def put_index(self, model_id: str, fingerprint: str, segment_ids: np.ndarray, vectors: np.ndarray) -> None:
        import numpy as np

        ids = np.asarray(segment_ids, dtype=np.int64)
        matrix = np.asarray(vectors, dtype=np.float16)
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO chat_index (model_id, fingerprint, segment_ids, vectors, dimension, built_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (model_id) DO UPDATE SET fingerprint = excluded.fingerprint, "
                "segment_ids = excluded.segment_ids, vectors = excluded.vectors, dimension = excluded.dimension, "
                "built_at = excluded.built_at",
                (
                    model_id,
                    fingerprint,
                    ids.tobytes(),
                    matrix.tobytes(),
                    int(matrix.shape[1]) if matrix.ndim == 2 else 0,
                    now(),
                ),
            )


_CURRENT = "JOIN documents d ON d.id = s.document_id AND d.current = 1"
_SEGMENT = "s.id, s.document_id, s.speaker, s.role = 'respondent', d.name, s.position"
# the code or one of its sub-codes: a range an index can serve ("/" sorts right after "."), then exact
_CODE = "(c.code_id >= ? AND c.code_id < ? AND (c.code_id = ? OR substr(c.code_id, ?, 1) = '.'))"
_HUMAN_ROW = DECIDED_HERE


def _code_params(code: str) -> list[object]:
    return [code, code + "/", code, len(code) + 1]


def _segment_row(row: Sequence[object]) -> SegmentRow:
    return SegmentRow(int(row[0]), int(row[1]), str(row[2]), bool(row[3]), str(row[4]), int(row[5]))  # type: ignore[call-overload]


def _chunks(values: Sequence[int], size: int = 900) -> Iterator[list[int]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


def _turn(row: sqlite3.Row) -> ChatTurn:
    return ChatTurn(
        id=row["id"],
        at=row["at"],
        coder=row["coder"],
        question=row["question"],
        intent=row["intent"],
        slots=json.loads(row["slots"]),
        answer=row["answer"],
        action=json.loads(row["action"]) if row["action"] else None,
        segment_ids=tuple(json.loads(row["segment_ids"])),
    )
