"""Codings: model suggestions and human decisions, with the audit log and undo/redo.

Model rows and human rows are separate (``origin`` differs), so writing suggestions can never
change a human decision: :meth:`CodingRepo.put_suggestions` only touches rows whose origin is a
registered *model* coder. Every human decision appends to the audit log in the same transaction.

A « relu, aucun code » mark is a decision on the code id :data:`NO_CODE` (``accepted``: marked,
``None``: not), kept in its own table: it is logged, undone, redone and carried over on re-import
as any decision, and the readers of codings never see it.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tzcld_qual.errors import NotFoundError, ProjectError, Text
from tzcld_qual.model import NO_CODE, Coding, Decision, Status, Suggestion
from tzcld_qual.store import rows
from tzcld_qual.store.connection import like_prefix, now, transaction


@dataclass(frozen=True, slots=True)
class CodingFilter:
    document: str | None = None
    code: str | None = None  # a code id; a top-level id also matches its sub-codes
    # Its sub-codes by the codebook (the ``F3.x`` ids match without it; a sub-code may be named
    # otherwise, ``fierte`` under ``MOI``): the caller who knows the codebook passes them.
    sub_codes: Sequence[str] = ()
    status: Status | None = None
    origin: str | None = None
    segment_ids: Sequence[int] | None = None
    min_confidence: float | None = None
    max_confidence: float | None = None
    current_documents: bool = True
    # Model suggestions of this model only (human decisions all kept): a retrain re-scores open
    # suggestions under a new model id, and the older model's rows stay for comparison.
    suggestions_of: str | None = None
    # Suggestions no analyst has decided on their code yet (the review queue's): a decision is a
    # row of its own, and the model's row stays « suggested » for provenance.
    undecided: bool = False


# An analyst's row on the same segment and code as the coding ``c``: decisions are the rows that
# are no suggestion (the model's own row stays « suggested » for provenance).
DECIDED_HERE = (
    "SELECT 1 FROM codings h WHERE h.segment_id = c.segment_id AND h.code_id = c.code_id AND h.status != 'suggested'"
)


# The audit action of a theme made a code (``topics promote``, the chat): on its coder's undo stack.
PROMOTION = "promote-topic"


def _decisions(group: builtins.list[Decision]) -> builtins.list[Decision]:
    if group[0].action == PROMOTION:
        raise ValueError("a promotion is undone by the topics service, not replayed as decisions")
    return group


SYSTEM = "tzcld-qual"  # the coder of the events the tool logs itself
IN_SERVICE = "in-service"  # audit action: a model made current (detail: its id)


class CodingRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    # -- coders ---------------------------------------------------------------------------
    def register_coder(self, name: str, kind: str, detail: dict[str, object] | None = None) -> None:
        row = self._conn.execute("SELECT kind FROM coders WHERE name = ?", (name,)).fetchone()
        if row is None:
            self._conn.execute(
                "INSERT INTO coders (name, kind, detail, created_at) VALUES (?, ?, ?, ?)",
                (name, kind, json.dumps(detail or {}, ensure_ascii=False), now()),
            )
        elif row["kind"] != kind:
            raise ProjectError(
                Text(
                    "« {name} » est déjà un codeur de type {old}, pas {new}.",
                    "« {name} » is already a {old} coder, not {new}.",
                ),
                Text("Choisissez un autre nom de codeur.", "Choose another coder name."),
                name=name,
                old=row["kind"],
                new=kind,
            )

    def coders(self, kind: str | None = None) -> builtins.list[str]:
        sql, params = "SELECT name FROM coders", tuple[str, ...]()
        if kind:
            sql, params = sql + " WHERE kind = ?", (kind,)
        return [r[0] for r in self._conn.execute(sql + " ORDER BY created_at", params)]

    def coder_kind(self, name: str) -> str | None:
        row = self._conn.execute("SELECT kind FROM coders WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    # -- model suggestions ------------------------------------------------------------------
    def put_scores(
        self,
        origin: str,
        scores: dict[int, dict[str, float]],
        suggestions: Iterable[Suggestion],
        *,
        dates: Mapping[tuple[int, str], tuple[str | None, str | None]] | None = None,
    ) -> int:
        """Store one batch of a model's work in one transaction: every scored segment (even those
        with no suggestion, so a re-run skips them) and the suggestions above threshold.

        Only rows of ``origin`` (a registered *model*) are written: human rows are never touched.
        ``dates``: ``(segment, code) -> (created_at, updated_at)`` an import keeps (else now): which
        suggestions an analyst saw is read from when they were written (``services.agreement``).
        """
        if self.coder_kind(origin) != "model":
            raise ProjectError(
                Text("« {origin} » n'est pas un modèle enregistré.", "« {origin} » is not a registered model."),
                None,
                origin=origin,
            )
        stamp = now()
        kept = dates or {}

        def written(s: Suggestion) -> tuple[str, str]:
            created, updated = kept.get((s.segment_id, s.code_id), (None, None))
            return created or stamp, updated or created or stamp

        data = [
            (s.segment_id, s.code_id, origin, None if s.confidence is None else float(s.confidence), s.explanation,
             *written(s))
            for s in suggestions
        ]
        with transaction(self._conn):
            self._conn.executemany(
                "INSERT INTO scored (segment_id, origin, scores, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (segment_id, origin) DO UPDATE SET scores = excluded.scores, at = excluded.at",
                [
                    (sid, origin, json.dumps({k: round(v, 4) for k, v in sc.items()}), stamp)
                    for sid, sc in scores.items()
                ],
            )
            self._conn.executemany(
                "INSERT INTO codings (segment_id, code_id, status, origin, confidence, explanation, "
                "created_at, updated_at) VALUES (?, ?, 'suggested', ?, ?, ?, ?, ?) "
                "ON CONFLICT (segment_id, code_id, origin) DO UPDATE SET confidence = excluded.confidence, "
                "explanation = excluded.explanation, updated_at = excluded.updated_at",
                data,
            )
        return len(data)

    def scored_segments(self, origin: str) -> set[int]:
        """Segments already scored by ``origin`` (whether or not it suggested anything)."""
        return {r[0] for r in self._conn.execute("SELECT segment_id FROM scored WHERE origin = ?", (origin,))}

    def scores(self, origin: str, segment_ids: Sequence[int] | None = None) -> dict[int, dict[str, float]]:
        """The full score vector ``origin`` gave each segment (for uncertainty ordering, chat "why")."""
        sql, params = "SELECT segment_id, scores FROM scored WHERE origin = ?", [origin]
        if segment_ids is not None:
            out: dict[int, dict[str, float]] = {}
            for i in range(0, len(segment_ids), 900):
                chunk = list(segment_ids[i : i + 900])
                q = sql + f" AND segment_id IN ({','.join('?' * len(chunk))})"
                out.update({r[0]: json.loads(r[1]) for r in self._conn.execute(q, [origin, *chunk])})
            return out
        return {r[0]: json.loads(r[1]) for r in self._conn.execute(sql, params)}

    def reviewed_suggestions(self, origin: str) -> builtins.list[tuple[float, Status]]:
        """``(confidence, status)`` of each analyst's decision on a segment and top-level code that
        model ``origin`` suggested, made (or last changed) after the suggestion was written: how
        analysts judged its suggestions, by confidence. Decisions older than the suggestion are left
        out: a model retrained on them re-suggests what analysts had already applied; so are
        suggestions of unknown confidence (imported without their score), in no band.

        A « relu, aucun code » mark made after the suggestion rejects it, as training reads a mark,
        for its coder unless they decided that code there themselves (marking outside blind mode
        writes the rejections too; a blind coder's mark writes none: the mark alone counts)."""
        suggested = (
            "s.origin = ? AND s.status = 'suggested' AND instr(s.code_id, '.') = 0 AND s.confidence IS NOT NULL"
        )
        rows_ = self._conn.execute(
            "SELECT confidence, status FROM ("
            "SELECT s.id AS sid, h.id AS hid, s.confidence, h.status FROM codings AS s "
            "JOIN codings AS h ON h.segment_id = s.segment_id AND h.code_id = s.code_id "
            "JOIN coders AS c ON c.name = h.origin AND c.kind = 'human' "
            f"WHERE {suggested} AND h.updated_at > s.created_at "
            "UNION ALL "
            "SELECT s.id, NULL, s.confidence, 'rejected' FROM codings AS s "
            "JOIN no_code AS m ON m.segment_id = s.segment_id "
            "JOIN coders AS c ON c.name = m.coder AND c.kind = 'human' "
            f"WHERE {suggested} AND m.created_at > s.created_at AND NOT EXISTS (SELECT 1 FROM codings AS h "
            "WHERE h.segment_id = s.segment_id AND h.code_id = s.code_id AND h.origin = m.coder)"
            ") ORDER BY sid, hid IS NULL, hid",
            (origin, origin),
        )
        return [(float(conf or 0.0), Status(status)) for conf, status in rows_]

    # -- human decisions --------------------------------------------------------------------
    def decide(
        self,
        segment_id: int,
        code_id: str,
        coder: str,
        status: Status | None,
        *,
        group: str | None = None,
        confidence: float | None = None,
        explanation: str = "",
        detail: str = "",
    ) -> Decision:
        """Record ``coder``'s decision on one code of one segment (``None`` removes it).

        Saved at once, in one transaction with its audit entry: a crash right after loses nothing.
        ``detail`` goes to the log (``model.BLIND``: taken in a blind review, no suggestion shown).
        """
        if status is Status.SUGGESTED:
            raise ValueError("a human decision cannot be a suggestion")
        if code_id == NO_CODE and status not in (Status.ACCEPTED, None):
            raise ValueError("a « no code » mark is set (accepted) or lifted (None)")
        with transaction(self._conn):
            self._require_segment(segment_id)
            self.register_coder(coder, "human")
            before = self._human_status(segment_id, code_id, coder)
            stamp = now()  # a mark is dated as its log entry: an undo or redo puts that date back
            self._write_human(segment_id, code_id, coder, status, confidence, explanation, at=stamp)
            return self._log(coder, "decide", segment_id, code_id, before, status, group=group, detail=detail, at=stamp)

    def decide_many(
        self, items: Iterable[tuple[int, str, Status | None]], coder: str, *, detail: str = ""
    ) -> builtins.list[Decision]:
        """Several decisions taken together (one undo reverts them all)."""
        group = uuid.uuid4().hex
        with transaction(self._conn):
            return [self.decide(s, c, coder, st, group=group, detail=detail) for s, c, st in items] if items else []

    def undo(self, coder: str) -> builtins.list[Decision]:
        """Revert ``coder``'s last decision (or group of decisions); works across restarts."""
        with transaction(self._conn):
            done, _undone = self._stacks(coder)
            if not done:
                return []
            return self._replay(coder, _decisions(done[-1]), "undo")

    def redo(self, coder: str) -> builtins.list[Decision]:
        with transaction(self._conn):
            _done, undone = self._stacks(coder)
            if not undone:
                return []
            return self._replay(coder, _decisions(undone[-1]), "redo")

    def log_replayed(self, entry: Decision, action: str, detail: str = "") -> Decision:
        """Append the ``undo`` or ``redo`` of a non-decision entry of the undo stack (a theme made
        a code, reverted by the topics service), so the stacks move as for a decision."""
        before, after = (entry.after, entry.before) if action == "undo" else (entry.before, entry.after)
        return self._log(entry.coder, action, None, entry.code_id, before, after, group=entry.group, ref=entry.id,
                         detail=detail)

    def remove_suggestions(self, origin: str, code_id: str) -> builtins.list[int]:
        """Delete model ``origin``'s suggestions of ``code_id`` and its scores of those segments
        (a theme's promotion undone); human rows are never touched. The segments, in order."""
        ids = [r[0] for r in self._conn.execute(
            "SELECT segment_id FROM codings WHERE origin = ? AND code_id = ? AND status = 'suggested' "
            "ORDER BY segment_id", (origin, code_id))]  # fmt: skip
        with transaction(self._conn):
            self._conn.execute(
                "DELETE FROM codings WHERE origin = ? AND code_id = ? AND status = 'suggested'", (origin, code_id)
            )
            self._conn.executemany(
                "DELETE FROM scored WHERE origin = ? AND segment_id = ?", [(origin, i) for i in ids]
            )
        return ids

    def next_group(self, coder: str, *, redo: bool = False) -> builtins.list[Decision]:
        """The decisions the next undo (or redo) of ``coder`` would act on, without acting."""
        done, undone = self._stacks(coder)
        stack = undone if redo else done
        return stack[-1] if stack else []

    def can_undo(self, coder: str) -> bool:
        return bool(self._stacks(coder)[0])

    def can_redo(self, coder: str) -> bool:
        return bool(self._stacks(coder)[1])

    def _stacks(self, coder: str) -> tuple[list[list[Decision]], list[list[Decision]]]:
        """Undo and redo stacks of ``coder``, derived from the append-only log (groups of entries)."""
        done: builtins.list[list[Decision]] = []
        undone: builtins.list[list[Decision]] = []
        entries = [
            rows.decision(r)
            for r in self._conn.execute(
                "SELECT * FROM audit WHERE coder = ? AND action IN ('decide', 'undo', 'redo', ?) "
                "AND (action != ? OR grp IS NOT NULL) ORDER BY id",  # promotions logged before 0.1.23: no theme
                (coder, PROMOTION, PROMOTION),
            )
        ]
        for entry in entries:
            if entry.action in ("decide", PROMOTION):  # a theme made a code is undone on its own
                if (done and entry.action == "decide" and entry.group and done[-1][0].group == entry.group
                        and done[-1][0].action == "decide"):  # fmt: skip
                    done[-1].append(entry)
                else:
                    done.append([entry])
                undone.clear()
            elif entry.action == "undo" and done and entry.ref == done[-1][0].id:
                undone.append(done.pop())
            elif entry.action == "redo" and undone and entry.ref == undone[-1][0].id:
                done.append(undone.pop())
        return done, undone

    def _replay(self, coder: str, group: builtins.list[Decision], action: str) -> builtins.list[Decision]:
        out = []
        items = reversed(group) if action == "undo" else group
        for entry in items:
            assert entry.segment_id is not None and entry.code_id is not None
            target = entry.before if action == "undo" else entry.after
            status = Status(target) if target else None
            segment = self._current_copy(entry.segment_id)
            current = self._human_status(segment, entry.code_id, coder)
            at = self._mark_date(entry, action) if entry.code_id == NO_CODE and status else None
            self._write_human(segment, entry.code_id, coder, status, None, "", at=at)
            out.append(
                self._log(coder, action, segment, entry.code_id, current, status, group=entry.group, ref=group[0].id)
            )
        return out

    def _mark_date(self, entry: Decision, action: str) -> str | None:
        """The date of the « relu, aucun code » mark an undo or redo of ``entry`` puts back: the
        decision that set it (a redo replays it; an undone lift restores the last one before),
        not the replay's time (``None``: unknown, now)."""
        if action == "redo":
            return entry.at
        row = self._conn.execute(
            "SELECT at FROM audit WHERE coder = ? AND segment_id = ? AND code_id = ? AND action = 'decide' "
            "AND after = ? AND id < ? ORDER BY id DESC LIMIT 1",
            (entry.coder, entry.segment_id, NO_CODE, Status.ACCEPTED.value, entry.id),
        ).fetchone()
        return row[0] if row else None

    def _current_copy(self, segment_id: int) -> int:
        """The segment as the analyst sees it now: after a re-import, its unchanged copy in the
        current version of the document (the k-th segment of that role and text, as the import
        carried decisions over); the segment itself if it is current or its passage changed."""
        row = self._conn.execute(
            "SELECT s.role, s.text_hash, s.position, d.name, d.current FROM segments s "
            "JOIN documents d ON d.id = s.document_id WHERE s.id = ?",
            (segment_id,),
        ).fetchone()
        if row is None or row["current"]:
            return segment_id
        rank = self._conn.execute(
            "SELECT count(*) FROM segments s WHERE s.document_id = (SELECT document_id FROM segments WHERE id = ?) "
            "AND s.role = ? AND s.text_hash = ? AND s.position < ?",
            (segment_id, row["role"], row["text_hash"], row["position"]),
        ).fetchone()[0]
        copy = self._conn.execute(
            "SELECT s.id FROM segments s JOIN documents d ON d.id = s.document_id WHERE d.name = ? AND d.current = 1 "
            "AND s.role = ? AND s.text_hash = ? ORDER BY s.position LIMIT 1 OFFSET ?",
            (row["name"], row["role"], row["text_hash"], rank),
        ).fetchone()
        return int(copy[0]) if copy else segment_id

    def _human_status(self, segment_id: int, code_id: str, coder: str) -> Status | None:
        if code_id == NO_CODE:
            marked = self._conn.execute(
                "SELECT 1 FROM no_code WHERE segment_id = ? AND coder = ?", (segment_id, coder)
            ).fetchone()
            return Status.ACCEPTED if marked else None
        row = self._conn.execute(
            "SELECT status FROM codings WHERE segment_id = ? AND code_id = ? AND origin = ?",
            (segment_id, code_id, coder),
        ).fetchone()
        return Status(row[0]) if row else None

    def _write_human(
        self,
        segment_id: int,
        code_id: str,
        coder: str,
        status: Status | None,
        confidence: float | None,
        explanation: str,
        *,
        at: str | None = None,
    ) -> None:
        """Write one decision; ``at``: a mark's date when it is put back (undo, redo)."""
        if code_id == NO_CODE:
            self._conn.execute("DELETE FROM no_code WHERE segment_id = ? AND coder = ?", (segment_id, coder))
            if status is not None:
                self._conn.execute(
                    "INSERT INTO no_code (segment_id, coder, created_at) VALUES (?, ?, ?)",
                    (segment_id, coder, at or now()),
                )
            return
        if status is None:
            self._conn.execute(
                "DELETE FROM codings WHERE segment_id = ? AND code_id = ? AND origin = ?",
                (segment_id, code_id, coder),
            )
            return
        stamp = now()
        self._conn.execute(
            "INSERT INTO codings (segment_id, code_id, status, origin, confidence, explanation, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (segment_id, code_id, origin) DO UPDATE "
            "SET status = excluded.status, updated_at = excluded.updated_at",
            (segment_id, code_id, status.value, coder, confidence, explanation, stamp, stamp),
        )

    def _require_segment(self, segment_id: int) -> None:
        if self._conn.execute("SELECT 1 FROM segments WHERE id = ?", (segment_id,)).fetchone() is None:
            raise NotFoundError(
                Text("segment {id} introuvable.", "segment {id} not found."),
                Text(
                    "Listez les segments avec « tzcld-qual segments PROJET ».",
                    "List segments with « tzcld-qual segments PROJECT ».",
                ),
                id=segment_id,
            )

    def _log(
        self,
        coder: str,
        action: str,
        segment_id: int | None,
        code_id: str | None,
        before: Status | str | None,
        after: Status | str | None,
        *,
        group: str | None = None,
        ref: int | None = None,
        detail: str = "",
        at: str | None = None,
    ) -> Decision:
        """One audit entry (dated ``at``, else now); ``before``/``after`` are statuses, or a
        promotion's codebook versions."""
        cursor = self._conn.execute(
            "INSERT INTO audit (at, coder, action, segment_id, code_id, before, after, grp, ref, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                at or now(),
                coder,
                action,
                segment_id,
                code_id,
                before.value if isinstance(before, Status) else before,
                after.value if isinstance(after, Status) else after,
                group,
                ref,
                detail,
            ),
        )
        row = self._conn.execute("SELECT * FROM audit WHERE id = ?", (cursor.lastrowid,)).fetchone()
        return rows.decision(row)

    def log_event(
        self,
        coder: str,
        action: str,
        detail: str = "",
        *,
        segment_id: int | None = None,
        code_id: str | None = None,
        after: Status | None = None,
    ) -> Decision:
        """Append a non-decision event (import, carry-over, batch run…) to the audit log."""
        return self._log(coder, action, segment_id, code_id, None, after, detail=detail)

    def log_in_service(self, origin: str) -> Decision:
        """Log that model ``origin`` was just put in service (made the current model): the
        suggestions an analyst saw are those of the model in service when they decided, which
        is neither the latest run registered (``code`` registers before scoring; a killed run
        never served) nor always a new one (a resumed or earlier model put back)."""
        return self._log(SYSTEM, IN_SERVICE, None, None, None, None, detail=origin)

    def in_service_log(self) -> builtins.list[tuple[str, str]]:
        """``(at, model)`` of each model put in service, oldest first (empty in projects made
        before it was logged)."""
        return [
            (r[0], r[1])
            for r in self._conn.execute("SELECT at, detail FROM audit WHERE action = ? ORDER BY id", (IN_SERVICE,))
        ]

    def log_promotion(
        self, coder: str, code_id: str, *, run_id: str, topic: int, versions: tuple[int, int], detail: str
    ) -> Decision:
        """Append a theme made code ``code_id`` by ``coder``: an entry of their undo stack, with
        the theme (``group``: ``topics@N#topic``) and the codebook versions before and after."""
        return self._log(coder, PROMOTION, None, code_id, str(versions[0]), str(versions[1]),
                         group=f"{run_id}#{topic}", detail=detail)

    def carry_over(self, old_segment: int, new_segment: int) -> int:
        """Copy every human coding of a segment to its unchanged successor in a new document version."""
        copied = 0
        for row in self._conn.execute(
            "SELECT c.* FROM codings c JOIN coders k ON k.name = c.origin WHERE c.segment_id = ? AND k.kind = 'human'",
            (old_segment,),
        ).fetchall():
            inserted = self._conn.execute(
                "INSERT OR IGNORE INTO codings (segment_id, code_id, status, origin, confidence, explanation, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new_segment,
                    row["code_id"],
                    row["status"],
                    row["origin"],
                    row["confidence"],
                    row["explanation"],
                    row["created_at"],
                    now(),
                ),
            ).rowcount
            if not inserted:  # the successor already has its own row: nothing carried
                continue
            self._log(
                row["origin"],
                "carry-over",
                new_segment,
                row["code_id"],
                None,
                Status(row["status"]),
                detail=f"from segment {old_segment}",
            )
            copied += 1
        for row in self._conn.execute(
            "SELECT coder, created_at FROM no_code WHERE segment_id = ?", (old_segment,)
        ).fetchall():
            if not self._conn.execute(
                "INSERT OR IGNORE INTO no_code (segment_id, coder, created_at) VALUES (?, ?, ?)",
                (new_segment, row["coder"], row["created_at"]),
            ).rowcount:
                continue
            self._log(row["coder"], "carry-over", new_segment, NO_CODE, None, Status.ACCEPTED,
                      detail=f"from segment {old_segment}")  # fmt: skip
            copied += 1
        return copied

    # -- reads ------------------------------------------------------------------------------
    def list(self, flt: CodingFilter | None = None) -> builtins.list[Coding]:
        where, params = self._where(flt or CodingFilter())
        sql = (
            "SELECT c.* FROM codings c JOIN segments s ON s.id = c.segment_id "
            f"JOIN documents d ON d.id = s.document_id {where} ORDER BY d.name, s.position, c.code_id, c.origin"
        )
        return [rows.coding(r) for r in self._conn.execute(sql, params)]

    def for_segments(self, segment_ids: Sequence[int]) -> dict[int, builtins.list[Coding]]:
        out: dict[int, builtins.list[Coding]] = {i: [] for i in segment_ids}
        for chunk_start in range(0, len(segment_ids), 900):
            chunk = list(segment_ids[chunk_start : chunk_start + 900])
            sql = f"SELECT * FROM codings WHERE segment_id IN ({','.join('?' * len(chunk))}) ORDER BY id"
            for r in self._conn.execute(sql, chunk):
                out[r["segment_id"]].append(rows.coding(r))
        return out

    def suggested_on(self, segment_ids: Iterable[int]) -> builtins.list[Coding]:
        """Every model's suggestions on ``segment_ids`` (one query per 900 segments)."""
        ids = builtins.list(dict.fromkeys(segment_ids))
        out: builtins.list[Coding] = []
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            sql = (
                f"SELECT * FROM codings WHERE status = 'suggested' AND segment_id IN ({','.join('?' * len(chunk))}) "
                "ORDER BY id"
            )
            out += [rows.coding(r) for r in self._conn.execute(sql, chunk)]
        return out

    def decisions_on(self, coder: str, segment_ids: Iterable[int]) -> builtins.list[Decision]:
        """``coder``'s logged decisions, undos and redos on ``segment_ids``, oldest first (one
        query per 900 segments)."""
        ids = builtins.list(dict.fromkeys(segment_ids))
        out: builtins.list[Decision] = []
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            sql = (
                "SELECT * FROM audit WHERE coder = ? AND action IN ('decide', 'undo', 'redo') "
                f"AND segment_id IN ({','.join('?' * len(chunk))})"
            )
            out += [rows.decision(r) for r in self._conn.execute(sql, [coder, *chunk])]
        return sorted(out, key=lambda d: d.id)

    def human(self, coder: str | None = None) -> builtins.list[Coding]:
        """Every human decision on current documents (optionally one coder's)."""
        sql = (
            "SELECT c.* FROM codings c JOIN coders k ON k.name = c.origin JOIN segments s ON s.id = c.segment_id "
            "JOIN documents d ON d.id = s.document_id WHERE k.kind = 'human' AND d.current = 1"
        )
        params: tuple[str, ...] = ()
        if coder:
            sql, params = sql + " AND c.origin = ?", (coder,)
        return [rows.coding(r) for r in self._conn.execute(sql + " ORDER BY c.id", params)]

    def no_code(self, segment_ids: Sequence[int] | None = None, coder: str | None = None) -> set[tuple[int, str]]:
        """``(segment, coder)`` of each « relu, aucun code » mark: on the given segments (whatever
        their version), else on current documents; ``coder``'s only if given."""
        sql = (
            "SELECT m.segment_id, m.coder FROM no_code m JOIN segments s ON s.id = m.segment_id "
            "JOIN documents d ON d.id = s.document_id WHERE (m.coder = ? OR ? IS NULL)"
        )
        if segment_ids is None:
            return {(r[0], r[1]) for r in self._conn.execute(sql + " AND d.current = 1", (coder, coder))}
        out: set[tuple[int, str]] = set()
        for i in range(0, len(segment_ids), 900):
            chunk = builtins.list(segment_ids[i : i + 900])
            where = f" AND m.segment_id IN ({','.join('?' * len(chunk))})"
            out.update((r[0], r[1]) for r in self._conn.execute(sql + where, [coder, coder, *chunk]))
        return out

    def no_code_dates(self) -> dict[tuple[int, str], str]:
        """When each « relu, aucun code » mark on current documents was made, by ``(segment,
        coder)``: what an export keeps of it, so the project it gives back has the same marks."""
        return {
            (r[0], r[1]): r[2]
            for r in self._conn.execute(
                "SELECT m.segment_id, m.coder, m.created_at FROM no_code m JOIN segments s ON s.id = m.segment_id "
                "JOIN documents d ON d.id = s.document_id WHERE d.current = 1"
            )
        }

    def add_imported_marks(self, marks: Iterable[tuple[int, str, str | None]], *, detail: str = "") -> int:
        """« Relu, aucun code » marks ``(segment, coder, created_at)`` brought in from another file
        (REFI-QDA import), as imported decisions are: with their date, each logged as an ``import``
        event, in no one's undo history; an existing mark wins. How many were written."""
        written = 0
        with transaction(self._conn):
            for segment_id, coder, created_at in marks:
                self.register_coder(coder, "human")
                cursor = self._conn.execute(
                    "INSERT OR IGNORE INTO no_code (segment_id, coder, created_at) VALUES (?, ?, ?)",
                    (segment_id, coder, created_at or now()),
                )
                if cursor.rowcount:
                    written += 1
                    self.log_event(coder, "import", detail, segment_id=segment_id, code_id=NO_CODE,
                                   after=Status.ACCEPTED)  # fmt: skip
        return written

    def audit(self, *, coder: str | None = None, limit: int | None = None) -> builtins.list[Decision]:
        sql, params = "SELECT * FROM audit", builtins.list[object]()
        if coder:
            sql += " WHERE coder = ?"
            params.append(coder)
        sql += " ORDER BY id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [rows.decision(r) for r in self._conn.execute(sql, params)][::-1]

    def history(self, segment_id: int, coder: str) -> builtins.list[Decision]:
        """``coder``'s entries that changed a decision on this segment (taken, undone, redone,
        carried over), oldest first: what a decision left standing is read from them."""
        return [
            rows.decision(r)
            for r in self._conn.execute(
                "SELECT * FROM audit WHERE segment_id = ? AND coder = ? "
                "AND action IN ('decide', 'undo', 'redo', 'carry-over') ORDER BY id",
                (segment_id, coder),
            )
        ]

    def _where(self, flt: CodingFilter) -> tuple[str, builtins.list[object]]:
        clauses: builtins.list[str] = []
        params: builtins.list[object] = []
        if flt.current_documents:
            clauses.append("d.current = 1")
        if flt.document:
            clauses.append("(d.name = ? OR d.name LIKE ? ESCAPE '\\')")
            params += [flt.document, like_prefix(flt.document + ".")]
        if flt.code:
            # its sub-codes too, literally and case-sensitively as ids are (LIKE is neither)
            named = ",".join("?" * len(flt.sub_codes))
            clauses.append(
                "(c.code_id = ? OR substr(c.code_id, 1, length(?) + 1) = ? || '.'"
                + (f" OR c.code_id IN ({named}))" if named else ")")
            )
            params += [flt.code, flt.code, flt.code, *flt.sub_codes]
        if flt.status:
            clauses.append("c.status = ?")
            params.append(flt.status.value)
        if flt.origin:
            clauses.append("c.origin = ?")
            params.append(flt.origin)
        if flt.suggestions_of:
            clauses.append("(c.status != ? OR c.origin = ?)")
            params += [Status.SUGGESTED.value, flt.suggestions_of]
        if flt.undecided:
            clauses.append(f"c.status = 'suggested' AND NOT EXISTS ({DECIDED_HERE})")
        if flt.segment_ids is not None:
            clauses.append(f"c.segment_id IN ({','.join('?' * len(flt.segment_ids)) or 'NULL'})")
            params += list(flt.segment_ids)
        if flt.min_confidence is not None:
            clauses.append("c.confidence >= ?")
            params.append(flt.min_confidence)
        if flt.max_confidence is not None:
            clauses.append("c.confidence <= ?")
            params.append(flt.max_confidence)
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params
