"""What the review workspace needs from a project, seen by one coder.

A :class:`ReviewSession` is one unit of work (open one per worker thread): it merges, for each
segment, the coder's own decisions with the current model's pending suggestions, writes every
decision at once through the store (with its audit entry), and computes the active-learning
queue, text search and statistics. Front ends only render what it returns: the immutable values
of :mod:`tzcld_qual.services.review_views`.

"Applied", "pending" and "rejected" are from the coder's point of view: a suggestion is pending
until *this* coder decides on it, so two analysts can code the same segments independently.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import shlex
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from tzcld_qual import paths
from tzcld_qual.errors import NotFoundError, ProjectError, Text, UsageError
from tzcld_qual.model import BLIND, NO_CODE, Codebook, Coding, Decision, Role, Segment, Status, frozen_mapping
from tzcld_qual.services.review_views import (
    Change,
    Chip,
    ChipState,
    CodeCount,
    DocumentSummary,
    DocumentView,
    Queue,
    QueueItem,
    QueueOrder,
    ReviewFilter,
    ReviewStatus,
    SearchHit,
    SegmentView,
    StartPoint,
    Stats,
)

DEFAULT_THRESHOLD = 0.5


# -- the session ----------------------------------------------------------------------------
def _missing(segment_id: int) -> NotFoundError:
    return NotFoundError(
        Text("segment {id} introuvable.", "segment {id} not found."),
        Text(
            "Les segments du projet : tzcld-qual segments PROJET.",
            "The project's segments: tzcld-qual segments PROJECT.",
        ),
        id=segment_id,
    )


_CARRIED = re.compile(r"from segment (\d+)")  # a carry-over's detail: the copy it came from


class ReviewSession:
    """One coder's unit of work on a project; open one per worker thread (``with``)."""

    def __init__(self, project: Path, coder: str, *, blind: bool = False) -> None:
        self.project = Path(project)
        self.coder = coder
        self.blind = blind  # blind double-coding: only this coder's own decisions are shown
        from tzcld_qual.store import ProjectStore, overview  # here: the UI imports this module at start

        self._store = ProjectStore(self.project)
        self._overview = overview
        self._model: str | bool | None = False  # False: not looked up yet
        self._known: tuple[int | None, Codebook] | None = None  # codebook version and codebook, for checks

    def __enter__(self) -> ReviewSession:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._store.close()

    # -- what is there --------------------------------------------------------------------
    @property
    def model(self) -> str | None:
        """The model whose suggestions are shown: ``current_model``, else the latest run."""
        if self._model is False and self.blind:
            self._model = None
        if self._model is False:
            self._model = self._store.meta("current_model") or self._store.runs.latest_id()
        return self._model  # type: ignore[return-value]

    @property
    def suggesters(self) -> frozenset[str]:
        """Whose suggestions are shown: the current model, and themes promoted to codes (``topics@N``)."""
        if self.blind:
            return frozenset()
        topic_coders = {c for c in self._store.codings.coders("model") if c.startswith("topics@")}
        return frozenset({self.model, *topic_coders} - {None})  # type: ignore[arg-type]

    def thresholds(self) -> dict[str, float]:
        run = self._store.runs.get(self.model) if self.model else None
        params = run.get("params", {}) if run else {}
        values = params.get("thresholds", {}) if isinstance(params, dict) else {}
        return {str(k): float(v) for k, v in values.items()} if isinstance(values, dict) else {}

    def codebook(self) -> Codebook:
        from tzcld_qual.services.projects import current_codebook

        return current_codebook(self._store)

    def attribute_values(self) -> dict[str, list[str]]:
        values: dict[str, set[str]] = defaultdict(set)
        for _id, _name, attributes in self._overview.document_rows(self._store):
            for key, value in attributes.items():
                if value:
                    values[key].add(value)
        return {k: sorted(v) for k, v in sorted(values.items())}

    def documents(self, flt: ReviewFilter | None = None) -> list[DocumentSummary]:
        flt = flt or ReviewFilter()
        counts = self._overview.segment_counts(self._store)
        pending = self._overview.pending_segments(self._store, self.model, self.coder) if self.model else {}
        reviewed = self._overview.reviewed_segments(self._store, self.coder)
        return [
            DocumentSummary(
                i,
                name,
                frozen_mapping(attrs),
                *counts.get(i, (0, 0)),
                pending.get(i, 0),
                reviewed.get(i, 0),
            )
            for i, name, attrs in self._overview.document_rows(self._store)
            if flt.accepts_document(name, attrs)
        ]

    def start(self, segment_id: int | None = None) -> StartPoint:
        """Where to open: the given segment, else where this coder stopped, else the beginning."""
        target = segment_id or self._overview.last_decided_segment(self._store, self.coder)
        target = target or self._overview.first_respondent_segment(self._store)
        document = self.document_of(target) if target else None
        rows = self._overview.document_rows(self._store)
        names = tuple(sorted({k for _i, _n, attrs in rows for k in attrs}))
        return StartPoint(document, target, self.model, len(rows), names)

    def adjacent(self, document_id: int, step: int, flt: ReviewFilter | None = None) -> tuple[DocumentView, int] | None:
        """The next (``step`` = 1) or previous (-1) document with a segment the filter keeps, and
        that segment (its first one going forward, its last one going back)."""
        flt = flt or ReviewFilter()
        rows = self._overview.document_rows(self._store)
        ids = [i for i, _n, _a in rows]
        if document_id not in ids:
            return None
        position = ids.index(document_id)
        others = rows[position + 1 :] if step > 0 else rows[:position][::-1]
        for doc_id, name, attrs in others:
            if not flt.accepts_document(name, attrs):
                continue
            view = self.document(doc_id)
            ordered = view.segments if step > 0 else view.segments[::-1]
            for seg in ordered:
                if seg.segment.role is Role.RESPONDENT and flt.accepts(seg):
                    return view, seg.segment.id
        return None

    def document_of(self, segment_id: int) -> DocumentView | None:
        segment = self._store.documents.segment(segment_id)
        return self.document(segment.document_id) if segment else None

    def document(self, document_id: int) -> DocumentView:
        doc = self._store.documents.get(document_id)
        if doc is None:
            raise ProjectError(Text("document {id} introuvable.", "document {id} not found."), None, id=document_id)
        segments = self._store.documents.segments(document_id=document_id, current=False)
        memos = {m.target_id: m.text for m in self._store.memos.list("segment") if m.coder == self.coder}
        views = self._views(segments, memos)
        questions: dict[int, int] = {}
        opening: int | None = None
        previous: Segment | None = None
        for seg in segments:
            if seg.role is Role.INTERVIEWER and (previous is None or previous.turn != seg.turn):
                opening = seg.id
            elif seg.role is Role.RESPONDENT and opening is not None:
                questions[seg.id] = opening
            previous = seg
        doc_memo = next(
            (m.text for m in self._store.memos.list("document", str(document_id)) if m.coder == self.coder),
            "",
        )
        return DocumentView(doc.id, doc.name, doc.attributes, tuple(views), questions, doc_memo)

    def views(self, segment_ids: Sequence[int]) -> tuple[SegmentView, ...]:
        segments = self._store.documents.segments(ids=list(segment_ids), current=False)
        memos = {m.target_id: m.text for m in self._store.memos.list("segment") if m.coder == self.coder}
        return tuple(self._views(segments, memos))

    def _views(self, segments: Sequence[Segment], memos: Mapping[str, str]) -> list[SegmentView]:
        codings = self._store.codings.for_segments([s.id for s in segments])
        humans = {self.coder} if self.blind else set(self._store.codings.coders("human"))
        marked = {seg for seg, _coder in self._store.codings.no_code([s.id for s in segments], self.coder)}
        return [
            SegmentView(
                s,
                _chips(codings.get(s.id, []), self.suggesters, self.coder, humans),
                memos.get(str(s.id), ""),
                s.id in marked,
            )
            for s in segments
        ]

    # -- decisions ------------------------------------------------------------------------
    def accept(self, segment_id: int, code_id: str | None = None) -> Change:
        """Accept a suggestion (the most confident pending one by default)."""
        view = self._view(segment_id)
        code = code_id or (view.pending[0].code_id if view.pending else None)
        if code is None:
            return Change(
                _msg("aucune suggestion en attente sur ce segment.", "no pending suggestion here."),
                (view,),
                done=False,
            )
        chip = view.chip(code)
        if chip is not None and chip.suggested:
            accepted = _msg("{code} accepté", "{code} accepted", code=code)
            return self._decide([(segment_id, code, Status.ACCEPTED)], accepted)
        # a queue item under the threshold is no suggestion: added by hand, said as the panel says it
        return self._decide([(segment_id, code, Status.MANUAL)], _msg("{code} ajouté", "{code} added", code=code))

    def accept_all(self, segment_id: int) -> Change:
        view = self._view(segment_id)
        if not view.pending:
            return Change(
                _msg("aucune suggestion en attente sur ce segment.", "no pending suggestion here."),
                (view,),
                done=False,
            )
        codes = [c.code_id for c in view.pending]
        return self._decide(
            [(segment_id, c, Status.ACCEPTED) for c in codes],
            _msg("acceptés : {codes}", "accepted: {codes}", codes=", ".join(codes)),
        )

    def reject(self, segment_id: int, code_id: str | None = None) -> Change:
        """Reject a suggestion (the most confident pending one by default) or an applied code."""
        view = self._view(segment_id)
        code = code_id or (view.pending[0].code_id if view.pending else None)
        if code is None:
            return Change(
                _msg("rien à rejeter sur ce segment.", "nothing to reject here."),
                (view,),
                done=False,
            )
        return self._decide(
            [(segment_id, code, Status.REJECTED)],
            _msg("{code} rejeté", "{code} rejected", code=code),
        )

    def toggle(self, segment_id: int, code_id: str) -> Change:
        """Apply a code, or take it off if applied: the decision is withdrawn, and a suggested
        code is open again. Pressing a digit twice by mistake left a rejection, which training
        reads as a negative example and agreement as a « no »; rejecting is ``reject``'s job."""
        view = self._view(segment_id)
        chip = view.chip(code_id)
        status: Status | None
        if chip is not None and chip.state is ChipState.APPLIED:
            status = None
            message = (
                _msg("{code} retiré (suggestion de nouveau en attente : x pour la rejeter)",
                     "{code} removed (suggestion pending again: x rejects it)", code=code_id)
                if chip.suggested
                else _msg("{code} retiré", "{code} removed", code=code_id)
            )
        else:
            suggested = chip is not None and chip.suggested
            status = Status.ACCEPTED if suggested else Status.MANUAL
            message = _msg("{code} appliqué", "{code} applied", code=code_id)
        return self._decide([(segment_id, code_id, status)], message)

    def no_code(self, segment_id: int) -> Change:
        """Mark the segment « relu, aucun code » (read, and no code of the codebook applies for
        this coder), or lift the mark. Marking rejects the pending suggestions with it, in one undo
        group: that is what the analyst says of them, and what training then learns. Lifting it
        withdraws those rejections too (they are open again), in one group as well: the mark's
        rejections stayed behind, the segment still counted reviewed. A segment with a code
        applied is not marked: the analyst takes the code off first (its digit)."""
        view = self._view(segment_id)
        if view.no_code:
            reopened = self._rejected_by_mark(view)
            message = _msg("« aucun code » retiré", "« no code » lifted")
            if reopened:
                message += _msg(" (de nouveau en attente : {codes})", " (pending again: {codes})",
                                codes=", ".join(reopened))  # fmt: skip
            lifted: list[tuple[int, str, Status | None]] = [(segment_id, c, None) for c in reopened]
            return self._decide([*lifted, (segment_id, NO_CODE, None)], message)
        if view.applied:
            codes = ", ".join(c.code_id for c in view.applied)
            return Change(
                _msg(
                    "{codes} appliqué ici : retirez-le d'abord pour marquer « aucun code ».",
                    "{codes} applied here: take it off first to mark « no code ».",
                    codes=codes,
                ),
                (view,),
                done=False,
            )
        rejected = [c.code_id for c in view.pending]
        message = _msg("relu : aucun code", "reviewed: no code")
        if rejected:
            message += _msg(" (rejetés : {codes})", " (rejected: {codes})", codes=", ".join(rejected))
        items: list[tuple[int, str, Status | None]] = [(segment_id, c, Status.REJECTED) for c in rejected]
        return self._decide([*items, (segment_id, NO_CODE, Status.ACCEPTED)], message)

    def _rejected_by_mark(self, view: SegmentView) -> list[str]:
        """The suggestions the standing mark rejected with it and that are still as it left them,
        so that ``0`` pressed again restores what the first one did (a toggle, as the digits). Read
        from the audit log, so it holds after a restart, an undo or a redo: a code counts when its
        latest entry is a « — → rejeté » of a batch (one undo group, taken or replayed once) that
        also set the mark, the mark was not set afresh since (an undo or redo that restored it is
        the same mark), and the model still suggests it. A rejection made apart stays. After a
        re-import the copy's history starts with « carry-over » entries, in no batch: the
        history of the segment they came from is read in their place."""
        history = self._lineage(view.segment.id)

        def batch(entry: Decision) -> tuple[str | None, str, int | None]:
            return entry.group, entry.action, entry.ref

        marking = {batch(d) for d in history if d.code_id == NO_CODE and d.after and d.group}
        latest = {d.code_id: d for d in history}
        codes = set()
        for code, entry in latest.items():
            if code is None or code == NO_CODE or entry.before is not None or entry.after != Status.REJECTED.value:
                continue
            if batch(entry) not in marking:
                continue
            set_since = (d for d in history if d.id > entry.id and d.code_id == NO_CODE and d.after)
            if any(batch(d) != batch(entry) and d.action not in ("undo", "redo") for d in set_since):
                continue  # marked afresh since: that mark rejected nothing of this
            codes.add(code)
        return [c.code_id for c in view.rejected if c.code_id in codes and c.suggested]  # as the panel lists them

    def _lineage(self, segment_id: int) -> list[Decision]:
        """The coder's history of a segment, the copies it was carried over from included: each
        copy's « carry-over » entries replaced by its original's history (older ids, so the
        order holds), back through every re-import."""
        history = self._store.codings.history(segment_id, self.coder)
        seen = {segment_id}
        while True:
            origins = {int(m[1]) for d in history if d.action == "carry-over" and (m := _CARRIED.fullmatch(d.detail))}
            origin = min(origins - seen, default=None)
            if origin is None:
                return history
            seen.add(origin)
            kept = [d for d in history if d.action != "carry-over" or d.detail != f"from segment {origin}"]
            history = self._store.codings.history(origin, self.coder) + kept

    def _view(self, segment_id: int) -> SegmentView:
        found = self.views([segment_id])
        if not found:
            raise _missing(segment_id)
        return found[0]

    def _check_decision(self, segment_id: int, code_id: str) -> None:
        """A decision names a code of the codebook (ids are case-sensitive) on a respondent's
        segment: the models learn from those only, and exports would drop anything else."""
        version = self._store.codebooks.latest_version()
        if self._known is None or self._known[0] != version:  # parsed once per version, not per key
            self._known = (version, self.codebook())
        codebook = self._known[1]
        if code_id not in codebook and code_id != NO_CODE:
            raise NotFoundError(
                Text("code « {code} » absent du codebook.", "code « {code} » is not in the codebook."),
                Text("Les codes : {codes}.", "The codes: {codes}."),
                code=code_id,
                codes=", ".join(c.id for c in codebook.codes),
            )
        segment = self._store.documents.segment(segment_id)
        if segment is None:
            raise _missing(segment_id)
        if segment.role is not Role.RESPONDENT:
            raise UsageError(
                Text("le segment {id} est une question de l'enquête.", "segment {id} is an interviewer's turn."),
                Text("Seules les réponses se codent.", "Only answers are coded."),
                id=segment_id,
            )

    def decide(self, items: Sequence[tuple[int, str, Status | None]], message: str = "") -> Change:
        """Several decisions as one undoable group, with what they imply under the roll-up: the way
        for a front end other than the review screen (the chat's batch accept) to decide, so that
        its decisions are checked and kept consistent as the screen's are."""
        if not items:
            return Change(message, done=False)
        return self._decide(list(items), message)

    def _decide(self, items: list[tuple[int, str, Status | None]], message: str) -> Change:
        for seg, code, _status in items:
            self._check_decision(seg, code)
        implied = self._implied(items)
        if implied:
            items = [*items, *implied]
            if codes := sorted({c for _s, c, _st in implied} - {NO_CODE}):
                message += _msg(" (et {codes})", " (and {codes})", codes=", ".join(codes))
            if any(c == NO_CODE for _s, c, _st in implied):
                message += _msg(" (« aucun code » retiré)", " (« no code » lifted)")
        detail = BLIND if self.blind else ""  # agreement: no suggestion was on screen
        if len(items) == 1:
            seg, code, status = items[0]
            self._store.codings.decide(seg, code, self.coder, status, detail=detail)
        else:
            self._store.codings.decide_many(items, self.coder, detail=detail)
        ids = sorted({seg for seg, _c, _s in items})
        return Change(message, self.views(ids), focus=ids[0])

    def _implied(self, items: Sequence[tuple[int, str, Status | None]]) -> list[tuple[int, str, Status | None]]:
        """What a decision implies for the same coder under the codebook's roll-up, decided with it
        (one undo reverts all): applying a sub-code lifts the coder's rejection of its parent (the
        parent is then accepted where the model suggested it); rejecting a parent rejects its
        sub-codes the coder had applied or the model suggests; withdrawing it (a digit pressed
        again) withdraws the sub-codes the coder had applied and leaves the suggested ones open.
        Without this, "✗F4 ✓F4.accompagnement" reached training as two analysts disagreeing."""
        assert self._known is not None  # set by _check_decision, which every decision passes first
        codebook = self._known[1]
        decided = {(seg, code) for seg, code, _status in items}
        segments = self._store.documents.segments(ids=sorted({seg for seg, _c, _s in items}), current=False)
        views = {v.segment.id: v for v in self._views(segments, {})}  # codes only: no memo needed
        out: list[tuple[int, str, Status | None]] = []
        for seg, code, status in items:
            view = views[seg]
            target = codebook.get(code)
            if target is None:
                continue
            if status is not None and status.applies and target.parent:
                parent = view.chip(target.parent)
                if parent is not None and parent.state is ChipState.REJECTED and (seg, parent.code_id) not in decided:
                    out.append((seg, parent.code_id, Status.ACCEPTED if parent.suggested else None))
            elif status is Status.REJECTED and not target.parent:
                for child in codebook.children(code):
                    chip = view.chip(child.id)
                    if chip is None or chip.state is ChipState.REJECTED or (seg, child.id) in decided:
                        continue
                    out.append((seg, child.id, Status.REJECTED if chip.suggested else None))
            elif status is None and not target.parent:  # withdrawn, not rejected: so are its sub-codes
                for child in codebook.children(code):
                    chip = view.chip(child.id)
                    if chip is not None and chip.state is ChipState.APPLIED and (seg, child.id) not in decided:
                        out.append((seg, child.id, None))
            if status is not None and status.applies and view.no_code and (seg, NO_CODE) not in decided:
                out.append((seg, NO_CODE, None))  # a code applies after all: « aucun code » is lifted
        return list(dict.fromkeys(out))

    def undo(self) -> Change:
        """Revert this coder's last decision (or group), even one taken before a restart; or the
        theme they last made a code (when nobody decided on that code since)."""
        if promotion := self._promotion(redo=False):
            return promotion
        if hidden := self._removed(redo=False):
            return hidden
        decisions = self._store.codings.undo(self.coder)
        if not decisions:
            return Change(_msg("rien à annuler.", "nothing to undo."), done=False)
        return self._replayed(decisions, _msg("annulé : {what}", "undone: {what}", what=_summary(decisions)))

    def redo(self) -> Change:
        if promotion := self._promotion(redo=True):
            return promotion
        if hidden := self._removed(redo=True):
            return hidden
        decisions = self._store.codings.redo(self.coder)
        if not decisions:
            return Change(_msg("rien à rétablir.", "nothing to redo."), done=False)
        return self._replayed(decisions, _msg("rétabli : {what}", "redone: {what}", what=_summary(decisions)))

    def _promotion(self, *, redo: bool) -> Change | None:
        """The undo (or redo) of a theme made a code, when it is next on the stack: by the topics
        service (imported then: it is heavy); a refusal says why and what to do."""
        from tzcld_qual.store import PROMOTION

        group = self._store.codings.next_group(self.coder, redo=redo)
        if not group or group[0].action != PROMOTION:
            return None
        from tzcld_qual.services import topics

        try:
            done = (topics.redo_promotion if redo else topics.undo_promotion)(self._store, group[0])
        except ProjectError as error:
            return Change(error.message, done=False)
        ids = [i for i in done.segment_ids if self._store.documents.segment(i) is not None]
        return Change(done.message, self.views(ids[:200]), focus=ids[0] if ids else None, codebook_changed=True)

    def _removed(self, *, redo: bool) -> Change | None:
        """An undo of decisions on a removed document would change what nobody can see: refused,
        said, with the way to bring the document back first."""
        ids = [d.segment_id for d in self._store.codings.next_group(self.coder, redo=redo) if d.segment_id]
        removed = {d.name for d in self._store.documents.retired()}
        names = sorted({s.document for s in self._store.documents.segments(ids=ids, current=False)} & removed)
        if not names:
            return None
        return Change(
            _msg(
                "la décision à {verb} porte sur « {doc} », retiré du projet : rien n'est fait. Pour y revenir : "
                "tzcld-qual restore {project} {doc}",
                "the decision to {verb_en} is on « {doc} », removed from the project: nothing done. To go back "
                "to it: tzcld-qual restore {project} {doc}",
                verb="rétablir" if redo else "annuler",
                verb_en="redo" if redo else "undo",
                project=shlex.quote(str(self.project)),
                doc=names[0],
            ),
            done=False,
        )

    def _replayed(self, decisions: list[Decision], message: str) -> Change:
        ids = sorted({d.segment_id for d in decisions if d.segment_id is not None})
        current = {s.id for s in self._store.documents.segments(ids=ids)}
        if older := sorted({s.document for s in self._store.documents.segments(ids=ids, current=False)
                            if s.id not in current}):  # fmt: skip
            # the decision was left on a version a re-import replaced: « annulé : F4 » changed nothing in sight
            message += _msg(
                " (sur une version antérieure de {doc}, remplacée par une réimportation : la version courante "
                "ne change pas)",
                " (on an earlier version of {doc}, replaced by a re-import: the current version does not change)",
                doc=", ".join(older),
            )
        return Change(message, self.views(ids), focus=decisions[0].segment_id)

    def write_memo(self, target: str, target_id: int, text: str) -> Change:
        if target not in ("segment", "document"):
            raise UsageError(Text("cible de mémo inconnue : {t}.", "unknown memo target: {t}."), None, t=target)
        self._store.memos.write(target, str(target_id), self.coder, text.strip())
        views = self.views([target_id]) if target == "segment" else ()
        return Change(_msg("mémo enregistré", "memo saved"), views, focus=target_id if views else None)

    def document_memo(self, document_id: int) -> str:
        return next(
            (m.text for m in self._store.memos.list("document", str(document_id)) if m.coder == self.coder),
            "",
        )

    # -- search, queue, stats -------------------------------------------------------------
    def search(self, query: str, limit: int = 200) -> tuple[SearchHit, ...]:
        """Segments containing ``query``, ignoring case and accents, in reading order; a segment
        number (« 494 », « #494 », « segment 494 », as chat answers, reports and ``codings`` cite
        segments) first, so a cited passage is found from the review screen."""
        needle = _fold(query.strip())
        if not needle:
            return ()
        found: list[tuple[int, int]] = []
        number = _SEGMENT_NUMBER.fullmatch(needle)
        if number and int(number.group(1)) < 2**63:  # past it, SQLite overflows
            found += [(s.id, 0) for s in self._store.documents.segments(ids=[int(number.group(1))])]
        numbered = {i for i, _at in found}
        for seg_id, _doc, text in self._overview.segment_texts(self._store):
            at = _fold(text).find(needle)
            if at >= 0 and seg_id not in numbered:
                found.append((seg_id, at))
                if len(found) >= limit:
                    break
        segments = {s.id: s for s in self._store.documents.segments(ids=[i for i, _ in found])}
        return tuple(
            SearchHit(
                i,
                segments[i].document_id,
                segments[i].document,
                segments[i].speaker,
                segments[i].text,
                at,
                numbered=i in numbered,
            )
            for i, at in found
            if i in segments
        )

    def queue(
        self,
        flt: ReviewFilter | None = None,
        order: QueueOrder = QueueOrder.UNCERTAIN,
        limit: int = 500,
    ) -> Queue:
        """Segments to review next, most uncertain first: the smallest distance between one of the
        current model's scores and that code's threshold (0.5 when the run has none)."""
        flt = flt or ReviewFilter()
        model = self.model
        if model is None:
            return Queue((), 0, None, order, filter=flt)
        docs = {
            i: name for i, name, attrs in self._overview.document_rows(self._store) if flt.accepts_document(name, attrs)
        }
        ranked = self._ranked(model, flt, docs)
        ranked.sort(key=lambda r: (r[0], docs[r[1]], r[2]))
        if order is QueueOrder.DIVERSE:
            ranked = _round_robin(ranked)
        top = ranked[:limit]
        segments = {s.id: s for s in self._store.documents.segments(ids=[r[2] for r in top])}
        items = tuple(
            QueueItem(seg, doc, docs[doc], segments[seg].speaker, segments[seg].text, code, score, t)
            for _u, doc, seg, code, score, t in top
            if seg in segments
        )
        return Queue(items, len(ranked), model, order, frozenset(r[2] for r in ranked), flt)

    def queued(self, segment_ids: Iterable[int], flt: ReviewFilter | None = None) -> dict[int, bool]:
        """Whether :meth:`queue` with ``flt`` ranks each of these segments now: what a queue
        built earlier counts as left once they were decided on (:meth:`Queue.left`)."""
        wanted = set(segment_ids)
        flt = flt or ReviewFilter()
        model = self.model
        if model is None or not wanted:
            return dict.fromkeys(wanted, False)
        docs = {
            i: name for i, name, attrs in self._overview.document_rows(self._store) if flt.accepts_document(name, attrs)
        }
        ranked = {r[2] for r in self._ranked(model, flt, docs, wanted)}
        return {seg: seg in ranked for seg in wanted}

    def _ranked(
        self, model: str, flt: ReviewFilter, docs: dict[int, str], only: set[int] | None = None
    ) -> list[tuple[float, int, int, str, float, float]]:
        """The queue's rows, unsorted (of ``only`` those segments, when given): one shared rule
        for the queue and for what it still ranks."""
        thresholds = self.thresholds()
        seg_docs = self._overview.respondent_documents(self._store, flt.speaker)
        decided = self._overview.coder_decisions(self._store, self.coder)
        # read and marked « aucun code »: reviewed, whatever a later model suggests there
        marked = {seg for seg, _c in self._store.codings.no_code(coder=self.coder)}
        ranked: list[tuple[float, int, int, str, float, float]] = []
        for seg, scores in self._store.codings.scores(model, None if only is None else sorted(only)).items():
            doc = seg_docs.get(seg)
            if doc not in docs or (seg in marked and flt.status not in (ReviewStatus.APPLIED, ReviewStatus.REJECTED)):
                continue
            best = _most_uncertain(scores, decided.get(seg, {}), thresholds, flt)
            if best is not None:
                ranked.append((best[0], doc, seg, best[1], best[2], best[3]))
        return ranked

    def topics(self) -> Any:
        """The latest emergent-themes run (``services.topics``), or ``None`` when there is none."""
        if importlib.util.find_spec("tzcld_qual.services.topics") is None:
            return None
        latest = getattr(importlib.import_module("tzcld_qual.services.topics"), "latest_run", None)
        return latest(self._store) if callable(latest) else None

    def stats(self, attribute: str | None = None, codebook: Codebook | None = None) -> Stats:
        """Counts per code and per value of ``attribute``. A finding's row counts its sub-codes
        too (one segment, one state), as ``ask`` and the split table do: the analyst who applied
        F3.sante alone read « F3 0 » above « F3 1 » per role."""
        rows = self._overview.code_states(self._store, self.model, self.coder)
        documents = self._overview.document_rows(self._store)
        names = sorted({k for _i, _n, attrs in documents for k in attrs})
        tops = {c.id: c.top for c in codebook.codes} if codebook else {}
        totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for _doc, _seg, code, state in rows:
            if (tops.get(code) or code.split(".", 1)[0]) != code:
                totals[code][state] += 1  # a sub-code: its own rows
        per_segment: dict[tuple[str, int], tuple[int, str]] = {}  # (finding, segment) → (document, state)
        rank = {"applied": 0, "pending": 1, "rejected": 2}
        for doc, seg, code, state in rows:
            top = tops.get(code) or code.split(".", 1)[0]
            if state == "rejected" and code != top:
                continue  # "not F4.sante" says nothing of F4 itself
            kept = per_segment.get((top, seg))
            if kept is None or rank[state] < rank[kept[1]]:  # a finding and its sub-code: one segment, one state
                per_segment[(top, seg)] = (doc, state)
        for (top, _seg), (_doc, state) in per_segment.items():
            totals[top][state] += 1
        order = [c.id for c in codebook.codes] if codebook else []
        ids = order + sorted(set(totals) - set(order))
        codes = tuple(CodeCount(c, totals[c]["applied"], totals[c]["pending"], totals[c]["rejected"]) for c in ids)
        if attribute is None or attribute not in names:
            attribute = next(
                (n for n in ("role", "territory", "round") if n in names),
                names[0] if names else None,
            )
        if attribute is None:
            return Stats(self.coder, self.model, codes, tuple(names))
        value_of = {i: attrs.get(attribute) or "—" for i, _n, attrs in documents}
        values = tuple(sorted(set(value_of.values())))
        split: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
        for (top, _seg), (doc, state) in per_segment.items():
            if doc in value_of:
                split[top][value_of[doc]][state] += 1
        by_value = {
            top: {v: CodeCount(top, c["applied"], c["pending"], c["rejected"]) for v, c in per.items()}
            for top, per in split.items()
        }
        return Stats(self.coder, self.model, codes, tuple(names), attribute, values, by_value)


def _chips(codings: Iterable[Coding], models: frozenset[str], coder: str, humans: set[str]) -> tuple[Chip, ...]:
    mine: dict[str, Coding] = {}
    suggested: dict[str, Coding] = {}
    agreed: dict[str, list[str]] = defaultdict(list)
    for c in codings:
        if c.origin == coder:
            mine[c.code_id] = c
        elif c.origin in models and c.status is Status.SUGGESTED:
            best = suggested.get(c.code_id)
            if best is None or (c.confidence or 0.0) > (best.confidence or 0.0):
                suggested[c.code_id] = c
        elif c.origin in humans and c.status.applies:
            agreed[c.code_id].append(c.origin)

    def chip(code: str, state: ChipState, status: Status | None) -> Chip:
        s = suggested.get(code)
        return Chip(
            code,
            state,
            s.confidence if s else None,
            explain(s.explanation) if s else "",
            status,
            tuple(sorted(agreed.get(code, ()))),
            s.origin if s else "",
        )

    pending = sorted(  # the model's first: a theme's similarity is no probability (a greeting read 88 %)
        (chip(code, ChipState.PENDING, None) for code in suggested if code not in mine),
        key=lambda c: (c.from_theme, -(c.confidence or 0.0), c.code_id),
    )
    applied = [chip(code, ChipState.APPLIED, c.status) for code, c in sorted(mine.items()) if c.status.applies]
    rejected = [
        chip(code, ChipState.REJECTED, c.status) for code, c in sorted(mine.items()) if c.status is Status.REJECTED
    ]
    return (*pending, *applied, *rejected)


def explain(explanation: str) -> str:
    """A model's explanation as one readable line (JSON objects become ``key : value · …``)."""
    text = explanation.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return text
        if isinstance(data, dict):
            return " · ".join(f"{k} : {_plain(v)}" for k, v in data.items() if v not in (None, "", [], {}))
    return text


def _plain(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _most_uncertain(
    scores: Mapping[str, float],
    mine: Mapping[str, str],
    thresholds: Mapping[str, float],
    flt: ReviewFilter,
) -> tuple[float, str, float, float] | None:
    status = flt.status
    if status in (None, ReviewStatus.UNREVIEWED) and mine:  # by default: segments not reviewed yet
        return None
    if status in (ReviewStatus.APPLIED, ReviewStatus.REJECTED):
        keep = {"accepted", "manual"} if status is ReviewStatus.APPLIED else {"rejected"}
        codes: Iterable[str] = [c for c, st in mine.items() if st in keep]
    else:
        codes = [c for c in scores if c not in mine]
    best: tuple[float, str, float, float] | None = None
    for code in codes:
        score = scores.get(code)
        if score is None or not flt.matches_code(code):
            continue
        threshold = thresholds.get(code, DEFAULT_THRESHOLD)
        if status is ReviewStatus.PENDING and score < threshold:
            continue
        if not flt.accepts_confidence(score):
            continue
        distance = abs(score - threshold)
        if best is None or distance < best[0]:
            best = (distance, code, score, threshold)
    return best


def _round_robin(
    ranked: list[tuple[float, int, int, str, float, float]],
) -> list[tuple[float, int, int, str, float, float]]:
    """Interleave documents within each code, then codes; each keeps its most uncertain first."""
    by_code: dict[str, dict[int, list[tuple[float, int, int, str, float, float]]]] = {}
    for row in ranked:
        by_code.setdefault(row[3], {}).setdefault(row[1], []).append(row)
    return _interleave([_interleave(list(docs.values())) for docs in by_code.values()])


def _interleave(
    lists: list[list[tuple[float, int, int, str, float, float]]],
) -> list[tuple[float, int, int, str, float, float]]:
    out = []
    for i in range(max((len(x) for x in lists), default=0)):
        out += [x[i] for x in lists if i < len(x)]
    return out


def _fold(text: str) -> str:
    from tzcld_qual.folding import fold_in_place

    return fold_in_place(text)  # one character per character: a hit's offset is the same in the text


def _summary(decisions: Sequence[Decision]) -> str:
    """« F4 (accepté → —) », or for a batch one line per kind of change (an undone batch of 81
    listed 81 of them and pushed the document's name out of the top bar)."""
    changes = Counter((_code_word(d.code_id), _status_word(d.before, d.code_id), _status_word(d.after, d.code_id))
                      for d in decisions)  # fmt: skip
    if len(decisions) <= 3:
        return ", ".join(
            f"{_code_word(d.code_id)} ({_status_word(d.before, d.code_id)} → {_status_word(d.after, d.code_id)})"
            for d in decisions
        )
    segments = len({d.segment_id for d in decisions})
    # « ×N » where a change was made N times: « ×1 » after each of a mark's rejections was noise
    kinds = ", ".join(f"{code} ({before} → {after})" + (f" ×{n}" if n > 1 else "")
                      for (code, before, after), n in changes.most_common(3))  # fmt: skip
    more = len(changes) - 3
    return (
        _msg("{n} décisions sur {s} segment{p} : {kinds}", "{n} decisions on {s} segment{p}: {kinds}",
             n=len(decisions), s=segments, p="s" if segments > 1 else "", kinds=kinds)
        + (_msg(" et {more} autres", " and {more} more", more=more) if more > 0 else "")
    )  # fmt: skip


def _code_word(code_id: str | None) -> str:
    return _msg("aucun code", "no code") if code_id == NO_CODE else str(code_id)


def _status_word(status: str | None, code_id: str | None = None) -> str:
    if code_id == NO_CODE:  # a mark is set or not: « aucun code (— → marqué) »
        return _msg("marqué", "marked") if status else "—"
    return Status(status).label if status in ("accepted", "rejected", "manual") else "—"


def _msg(fr: str, en: str, **values: object) -> str:
    return Text(fr, en).render(**values)


# -- project and coder set-up ---------------------------------------------------------------
def create_project(path: Path) -> None:
    """Create an empty project with the bundled codebook (offered when the path does not exist)."""
    from tzcld_qual.services.projects import init_project

    store, _version = init_project(path)
    store.close()


def check_project(path: Path) -> None:
    """Open and close the project once, so a wrong file is reported before the UI starts."""
    from tzcld_qual.store import ProjectStore

    ProjectStore(path).close()


_CODER = re.compile(r"^[^\s\"\\][^\"\\\n]{0,63}$")
_SEGMENT_NUMBER = re.compile(r"(?:#|n°|no\.?|seg(?:ment)?\.?)?\s*(\d{1,19})")
_MODEL_NAME = re.compile(r"^\S+@\d+$")  # "ensemble@3": how models are named


def validate_coder(name: str, project: Path | None = None) -> str:
    """A usable analyst name: not empty, one line, not the name of a model in the project nor
    shaped like one (``ensemble@3``: the next model could take it)."""
    name = name.strip()
    if not _CODER.match(name) or not name.isprintable() or not any(ch.isalnum() for ch in name):
        # « alice\rbob », « alice\u2028bob », a zero-width space: stored as analysts nobody could name
        raise UsageError(
            Text("nom de codeur invalide : « {name} ».", "invalid coder name: « {name} »."),
            Text(
                "Donnez un nom court, par exemple vos initiales.",
                "Give a short name, for example your initials.",
            ),
            name=name,
        )
    if project is not None and project.exists():
        from tzcld_qual.store import ProjectStore

        with ProjectStore(project) as store:
            if store.codings.coder_kind(name) == "model":
                raise ProjectError(
                    Text(
                        "« {name} » est le nom d'un modèle de ce projet.",
                        "« {name} » is the name of a model in this project.",
                    ),
                    Text("Choisissez un autre nom de codeur.", "Choose another coder name."),
                    name=name,
                )
    if _MODEL_NAME.match(re.sub(r"\s+", "", name)):  # « ensemble @1 » too
        raise UsageError(
            Text(
                "« {name} » a la forme d'un nom de modèle (nom@numéro).",
                "« {name} » is shaped like a model name (name@number).",
            ),
            Text("Choisissez un autre nom de codeur.", "Choose another coder name."),
            name=name,
        )
    return name


def remember_coder(name: str, path: Path | None = None) -> Path:
    """Save the coder name as ``coder = "…"`` in the config file, keeping everything else."""
    path = path or paths.config_file()
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    entry = f"coder = {json.dumps(name, ensure_ascii=False)}"
    first_table = next((i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines))
    for i, line in enumerate(lines[:first_table]):
        if re.match(r"\s*coder\s*=", line):
            lines[i] = entry
            break
    else:
        lines.insert(0, entry)
    paths.make_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # two sessions saving at once: one wins whole
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
