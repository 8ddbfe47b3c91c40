"""Grouped, read-only queries for the review workspace: progress, counts, search and positions.

The review screens summarise every segment of projects with tens of thousands of them; a few
grouped queries here answer in milliseconds where loading every row through the repositories
would take seconds. Nothing here writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from tzcld_qual.store.project import ProjectStore

_CURRENT = "JOIN documents d ON d.id = s.document_id AND d.current = 1"
_UNDECIDED = (  # no row of the coder (second parameter) on this segment and code
    "NOT EXISTS (SELECT 1 FROM codings h WHERE h.segment_id = c.segment_id AND h.code_id = c.code_id AND h.origin = ?)"
)
_UNMARKED = (  # the coder (parameter) did not mark the segment « relu, aucun code »: the queue skips those
    "NOT EXISTS (SELECT 1 FROM no_code m WHERE m.segment_id = c.segment_id AND m.coder = ?)"
)


def _reviewed(coder: str | None) -> tuple[str, tuple[str, ...]]:
    """The rule, said here only: a segment is reviewed once an analyst decided on one of its codes
    (a rejection too; only analysts decide, models only suggest) or marked it « relu, aucun code »
    (an interview whose last answers carry no code stayed at 72 % for good). ``coder``: by that
    analyst, else by anyone. A subquery of ``segment_id`` and its parameters."""
    if coder is None:
        return "SELECT segment_id FROM codings WHERE status != 'suggested' UNION SELECT segment_id FROM no_code", ()
    return (
        "SELECT segment_id FROM codings WHERE origin = ? AND status != 'suggested' "
        "UNION SELECT segment_id FROM no_code WHERE coder = ?",
        (coder, coder),
    )


def document_rows(store: ProjectStore) -> list[tuple[int, str, dict[str, str]]]:
    """``(id, name, attributes)`` of current documents, without their text."""
    return [
        (r[0], r[1], json.loads(r[2]))
        for r in store.connection.execute("SELECT id, name, attributes FROM documents WHERE current = 1 ORDER BY name")
    ]


def segment_counts(store: ProjectStore) -> dict[int, tuple[int, int]]:
    """Document id → (segments, respondent segments)."""
    sql = (
        f"SELECT s.document_id, count(*), sum(s.role = 'respondent') FROM segments s {_CURRENT} GROUP BY s.document_id"
    )
    return {r[0]: (r[1], r[2] or 0) for r in store.connection.execute(sql)}


def pending_segments(store: ProjectStore, origin: str, coder: str) -> dict[int, int]:
    """Document id → segments where ``origin`` suggests a code ``coder`` has not decided on and
    that ``coder`` did not mark « relu, aucun code »: those the review queue offers (a later run's
    suggestion on a marked segment kept it in « sugg. » while the queue skipped it)."""
    sql = (
        f"SELECT s.document_id, count(DISTINCT c.segment_id) FROM codings c "
        f"JOIN segments s ON s.id = c.segment_id {_CURRENT} "
        f"WHERE c.origin = ? AND c.status = 'suggested' AND {_UNDECIDED} AND {_UNMARKED} "
        "GROUP BY s.document_id"
    )
    return {r[0]: r[1] for r in store.connection.execute(sql, (origin, coder, coder))}


def reviewed_segments(store: ProjectStore, coder: str) -> dict[int, int]:
    """Document id → segments ``coder`` reviewed (see :func:`_reviewed`)."""
    reviewed, params = _reviewed(coder)
    sql = (
        f"SELECT s.document_id, count(DISTINCT c.segment_id) FROM ({reviewed}) c "
        f"JOIN segments s ON s.id = c.segment_id {_CURRENT} GROUP BY s.document_id"
    )
    return {r[0]: r[1] for r in store.connection.execute(sql, params)}


def reviewed_segment_ids(
    store: ProjectStore, coder: str | None = None, segment_ids: Sequence[int] | None = None
) -> set[int]:
    """The segments of current documents reviewed (see :func:`_reviewed`) by ``coder``, else by
    any analyst; among ``segment_ids`` only, when given."""
    reviewed, params = _reviewed(coder)
    sql = f"SELECT c.segment_id FROM ({reviewed}) c JOIN segments s ON s.id = c.segment_id {_CURRENT}"
    if segment_ids is None:
        return {r[0] for r in store.connection.execute(sql, params)}
    out: set[int] = set()
    for i in range(0, len(segment_ids), 900):
        chunk = list(segment_ids[i : i + 900])
        where = f" WHERE c.segment_id IN ({','.join('?' * len(chunk))})"
        out.update(r[0] for r in store.connection.execute(sql + where, [*params, *chunk]))
    return out


def reviewed_respondents(store: ProjectStore) -> dict[tuple[int, str], int]:
    """(document id, respondent) → their segments some analyst reviewed (see :func:`_reviewed`)."""
    reviewed, params = _reviewed(None)
    sql = (
        f"SELECT s.document_id, s.speaker, count(DISTINCT c.segment_id) FROM ({reviewed}) c "
        f"JOIN segments s ON s.id = c.segment_id {_CURRENT} WHERE s.role = 'respondent' "
        "GROUP BY s.document_id, s.speaker"
    )
    return {(r[0], r[1]): r[2] for r in store.connection.execute(sql, params)}


def respondent_documents(store: ProjectStore, speaker: str | None = None) -> dict[int, int]:
    """Respondent segment id → document id, over current documents (``speaker``: theirs only)."""
    sql = f"SELECT s.id, s.document_id FROM segments s {_CURRENT} WHERE s.role = 'respondent'"
    if speaker is None:
        return dict(store.connection.execute(sql).fetchall())
    return dict(store.connection.execute(sql + " AND s.speaker = ?", (speaker,)).fetchall())


def segment_texts(store: ProjectStore) -> Iterator[tuple[int, int, str]]:
    """``(segment id, document id, text)`` of every current segment, in reading order."""
    sql = f"SELECT s.id, s.document_id, s.text FROM segments s {_CURRENT} ORDER BY d.name, s.position"
    yield from store.connection.execute(sql)


def code_states(store: ProjectStore, origin: str | None, coder: str) -> list[tuple[int, int, str, str]]:
    """``(document id, segment id, code id, state)`` with state ``applied``, ``rejected``
    (``coder``'s decisions) or ``pending`` (``origin``'s suggestions ``coder`` has not decided
    on): per segment, so that a finding and its sub-code on one segment count it once."""
    sql = (
        "SELECT s.document_id, s.id, c.code_id, "
        "CASE WHEN c.status IN ('accepted', 'manual') THEN 'applied' ELSE 'rejected' END "
        f"FROM codings c JOIN segments s ON s.id = c.segment_id {_CURRENT} WHERE c.origin = ?"
    )
    out: list[tuple[int, int, str, str]] = [tuple(r) for r in store.connection.execute(sql, (coder,))]
    if origin:
        sql = (
            f"SELECT s.document_id, s.id, c.code_id, 'pending' FROM codings c "
            f"JOIN segments s ON s.id = c.segment_id {_CURRENT} "
            f"WHERE c.origin = ? AND c.status = 'suggested' AND {_UNDECIDED}"
        )
        out += [tuple(r) for r in store.connection.execute(sql, (origin, coder))]
    return out


def coder_decisions(store: ProjectStore, coder: str) -> dict[int, dict[str, str]]:
    """Segment id → {code id: status} of ``coder``'s rows on current documents."""
    out: dict[int, dict[str, str]] = {}
    sql = (
        "SELECT c.segment_id, c.code_id, c.status FROM codings c "
        f"JOIN segments s ON s.id = c.segment_id {_CURRENT} WHERE c.origin = ?"
    )
    for seg, code, status in store.connection.execute(sql, (coder,)):
        out.setdefault(seg, {})[code] = status
    return out


def first_respondent_segment(store: ProjectStore, document_id: int | None = None) -> int | None:
    """The first respondent segment of a document (of the first document by name by default)."""
    sql = f"SELECT s.id FROM segments s {_CURRENT} WHERE s.role = 'respondent'"
    params: tuple[int, ...] = ()
    if document_id is not None:
        sql, params = sql + " AND s.document_id = ?", (document_id,)
    row = store.connection.execute(sql + " ORDER BY d.name, s.position LIMIT 1", params).fetchone()
    return row[0] if row else None


def last_decided_segment(store: ProjectStore, coder: str) -> int | None:
    """The segment of ``coder``'s latest decision still on a current document (where to resume):
    one taken on one segment, not an undo or a batch, whose last row lies anywhere in the corpus
    (a restart reopened where the chat's batch undo had jumped, not where the analyst stopped)."""
    sql = (
        f"SELECT a.segment_id FROM audit a JOIN segments s ON s.id = a.segment_id {_CURRENT} "
        "WHERE a.coder = ? AND a.segment_id IS NOT NULL AND a.action = 'decide' AND (a.grp IS NULL OR "
        "(SELECT count(DISTINCT b.segment_id) FROM audit b WHERE b.grp = a.grp) = 1) ORDER BY a.id DESC LIMIT 1"
    )
    row = store.connection.execute(sql, (coder,)).fetchone()
    return row[0] if row else None
