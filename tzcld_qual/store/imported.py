"""Human decisions brought in from another tool's file (REFI-QDA import), written as they were.

Unlike :meth:`CodingRepo.decide`, these rows keep their original status and timestamps, and
each is logged as an ``import`` event rather than a ``decide`` one, so an imported decision is
never part of anyone's undo history (an undo must not silently erase part of an import).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tzcld_qual.model import Status, Suggestion
from tzcld_qual.store.connection import now
from tzcld_qual.store.project import ProjectStore


@dataclass(frozen=True, slots=True)
class ImportedDecision:
    segment_id: int
    code_id: str
    coder: str
    status: Status  # accepted | manual | rejected
    confidence: float | None = None
    explanation: str = ""
    created_at: str | None = None
    updated_at: str | None = None


def add_imported_decisions(store: ProjectStore, decisions: Iterable[ImportedDecision], *, detail: str = "") -> int:
    """Insert human rows (an existing row for the same segment, code and coder wins); return how
    many were written. Everything happens in one transaction, joined with the caller's."""
    written = 0
    coders: set[str] = set()
    with store.transaction():
        for item in decisions:
            if not item.status.is_human:
                raise ValueError("an imported human decision cannot be a suggestion")
            if item.coder not in coders:
                store.codings.register_coder(item.coder, "human")
                coders.add(item.coder)
            stamp = now()
            cursor = store.connection.execute(
                "INSERT INTO codings (segment_id, code_id, status, origin, confidence, "
                "explanation, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (segment_id, code_id, origin) DO NOTHING",
                (
                    item.segment_id,
                    item.code_id,
                    item.status.value,
                    item.coder,
                    item.confidence,
                    item.explanation,
                    item.created_at or stamp,
                    item.updated_at or item.created_at or stamp,
                ),
            )
            if cursor.rowcount:
                written += 1
                store.codings.log_event(
                    item.coder,
                    "import",
                    detail,
                    segment_id=item.segment_id,
                    code_id=item.code_id,
                    after=item.status,
                )
    return written


def add_unscored_suggestions(
    store: ProjectStore,
    origin: str,
    suggestions: Iterable[Suggestion],
    *,
    dates: Mapping[tuple[int, str], tuple[str | None, str | None]] | None = None,
) -> int:
    """Model suggestions whose score the file did not keep, stored with no confidence (``NULL``:
    unknown) rather than an invented one that reports would print and thresholds would select; the
    model has no score vector for them either. ``confidence`` of each suggestion is ignored. Return
    how many were written (an existing row for the same segment, code and model wins). ``dates``
    as :meth:`CodingRepo.put_scores` takes them: the file's, kept."""
    if store.codings.coder_kind(origin) != "model":
        raise ValueError(f"{origin!r} is not a registered model")
    written = 0
    with store.transaction():
        for item in suggestions:
            stamp = now()
            created, updated = (dates or {}).get((item.segment_id, item.code_id), (None, None))
            created = created or stamp
            cursor = store.connection.execute(
                "INSERT INTO codings (segment_id, code_id, status, origin, confidence, explanation, created_at, "
                "updated_at) VALUES (?, ?, 'suggested', ?, NULL, ?, ?, ?) "
                "ON CONFLICT (segment_id, code_id, origin) DO NOTHING",
                (item.segment_id, item.code_id, origin, item.explanation, created, updated or created),
            )
            written += cursor.rowcount
    return written
