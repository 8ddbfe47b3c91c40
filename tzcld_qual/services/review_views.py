"""What the review workspace shows: segments with their chips, documents, filters, the queue,
search hits and statistics, as immutable values. :mod:`tzcld_qual.services.review` computes
them; widgets only render them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from tzcld_qual.errors import Text
from tzcld_qual.model import Codebook, Role, Segment, Status, frozen_mapping


class ChipState(StrEnum):
    APPLIED = "applied"
    PENDING = "pending"
    REJECTED = "rejected"


class ReviewStatus(StrEnum):
    """What a filter or the queue keeps, from the coder's point of view."""

    PENDING = "pending"  # some suggestion awaits a decision
    UNREVIEWED = "unreviewed"  # no decision at all yet
    APPLIED = "applied"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self].render()


_STATUS_LABELS = {
    ReviewStatus.PENDING: Text("en attente", "pending"),
    ReviewStatus.UNREVIEWED: Text("non revus", "unreviewed"),
    ReviewStatus.APPLIED: Text("appliqués", "applied"),
    ReviewStatus.REJECTED: Text("rejetés", "rejected"),
}


class QueueOrder(StrEnum):
    UNCERTAIN = "uncertain"  # closest to a code's threshold first
    DIVERSE = "diverse"  # the same, taken in turn across codes and documents


@dataclass(frozen=True, slots=True)
class ReviewFilter:
    """What the transcript, the queue and the document list keep; every field is optional."""

    code: str | None = None
    # The code's sub-codes by the codebook (:meth:`with_codebook`): ``F3.x`` ids match ``F3`` anyway,
    # but a sub-code may be named otherwise (``fierte`` under ``MOI``).
    sub_codes: frozenset[str] = frozenset()
    status: ReviewStatus | None = None
    min_confidence: float | None = None
    max_confidence: float | None = None
    attributes: Mapping[str, str] = field(default_factory=frozen_mapping)
    document: str | None = None
    speaker: str | None = None  # one respondent's turns (a chat answer about « Nadia »)

    @property
    def active(self) -> bool:
        return self != ReviewFilter()

    def with_codebook(self, codebook: Codebook | None) -> ReviewFilter:
        """The same filter, its code matching the sub-codes the codebook gives it."""
        if not self.code or codebook is None:
            return self
        return replace(self, sub_codes=frozenset(c.id for c in codebook.children(self.code)))

    def matches_code(self, code_id: str) -> bool:
        """Whether a coding of ``code_id`` counts for the filter's code (always, without one)."""
        wanted = self.code
        return wanted is None or code_id == wanted or code_id in self.sub_codes or code_id.startswith(wanted + ".")

    def accepts_document(self, name: str, attributes: Mapping[str, str]) -> bool:
        if self.document and name != self.document and not name.startswith(self.document + "."):
            return False
        return all(attributes.get(k) == v for k, v in self.attributes.items())

    def accepts_confidence(self, value: float | None) -> bool:
        if self.min_confidence is None and self.max_confidence is None:
            return True
        if value is None:
            return False
        low = self.min_confidence if self.min_confidence is not None else float("-inf")
        high = self.max_confidence if self.max_confidence is not None else float("inf")
        return low <= value <= high

    def accepts(self, view: SegmentView) -> bool:
        """Whether a segment of an accepted document passes the filter (transcript navigation)."""
        if view.segment.role is not Role.RESPONDENT:
            return False
        if self.speaker is not None and view.segment.speaker != self.speaker:
            return False
        if self.status is ReviewStatus.UNREVIEWED and view.reviewed:
            return False
        chips = [c for c in view.chips if self.matches_code(c.code_id)]
        wanted = {
            ReviewStatus.APPLIED: ChipState.APPLIED,
            ReviewStatus.REJECTED: ChipState.REJECTED,
            ReviewStatus.PENDING: ChipState.PENDING,
        }.get(self.status)  # type: ignore[arg-type]
        if wanted is not None:
            chips = [c for c in chips if c.state is wanted]
        if self.code is None and wanted is None and self.min_confidence is None and self.max_confidence is None:
            return True
        return any(self.accepts_confidence(c.confidence) for c in chips)

    def describe(self, labels: Mapping[str, str] | None = None) -> str:
        """The filter in a few words; ``labels`` name the attributes ("rôle" for "role")."""
        labels = labels or {}
        parts = []
        if self.code:
            parts.append(self.code)
        if self.status:
            parts.append(self.status.label)
        if self.min_confidence is not None or self.max_confidence is not None:
            low = f"{self.min_confidence:.2f}" if self.min_confidence is not None else "0"
            high = f"{self.max_confidence:.2f}" if self.max_confidence is not None else "1"
            parts.append(f"{low}–{high}")
        parts += [f"{labels.get(k, k)} = {v}" for k, v in self.attributes.items()]
        if self.document:
            parts.append(self.document)
        if self.speaker:
            parts.append(self.speaker)
        return " · ".join(parts)

    @classmethod
    def from_params(cls, params: Mapping[str, object], attribute_names: Iterable[str] = ()) -> ReviewFilter:
        """A filter from loose parameters (a chat answer's action); unknown keys are ignored."""
        names = set(attribute_names)
        attributes = {str(k): str(v) for k, v in params.items() if k in names and v is not None}
        extra = params.get("attributes")
        if isinstance(extra, Mapping):
            attributes.update({str(k): str(v) for k, v in extra.items() if v is not None})
        document = attributes.pop("document", None) or params.get("document")  # the chat's own filters
        speaker = attributes.pop("speaker", None) or params.get("speaker")
        status = params.get("status")
        return cls(
            code=str(params["code"]) if params.get("code") else None,
            status=ReviewStatus(status) if isinstance(status, str) and status in set(ReviewStatus) else None,
            min_confidence=_float(params.get("min_confidence")),
            max_confidence=_float(params.get("max_confidence")),
            attributes=frozen_mapping(attributes),
            document=str(document) if document else None,
            speaker=str(speaker) if speaker else None,
        )


def _float(value: object) -> float | None:
    try:
        return float(value) if value is not None else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


# -- views ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Chip:
    """One code on one segment as the coder sees it."""

    code_id: str
    state: ChipState
    confidence: float | None = None  # the current model's, when it suggested this code
    explanation: str = ""
    status: Status | None = None  # the coder's own decision, if any
    agreed: tuple[str, ...] = ()  # other analysts who applied this code here
    origin: str = ""  # who suggested it: the current model, or a theme run (``topics@N``)

    @property
    def suggested(self) -> bool:
        """A model (or a theme) suggested this code here, whether or not its confidence is known
        (a suggestion imported from a file that lost its score has none)."""
        return bool(self.origin)

    @property
    def from_theme(self) -> bool:
        """Suggested by a promoted theme: its figure is a similarity to the theme's centre, not a
        probability, and is not to be read beside the model's."""
        return self.origin.startswith("topics@")


@dataclass(frozen=True, slots=True)
class SegmentView:
    """A segment merged with the coder's decisions and the model's pending suggestions.

    ``chips``: pending suggestions by decreasing confidence, then applied, then rejected codes.
    """

    segment: Segment
    chips: tuple[Chip, ...] = ()
    memo: str = ""
    no_code: bool = False  # the coder marked it « relu, aucun code »: read, and no code applies

    @property
    def pending(self) -> tuple[Chip, ...]:
        return tuple(c for c in self.chips if c.state is ChipState.PENDING)

    @property
    def applied(self) -> tuple[Chip, ...]:
        return tuple(c for c in self.chips if c.state is ChipState.APPLIED)

    @property
    def rejected(self) -> tuple[Chip, ...]:
        return tuple(c for c in self.chips if c.state is ChipState.REJECTED)

    @property
    def reviewed(self) -> bool:
        return self.no_code or any(c.status is not None for c in self.chips)

    def chip(self, code_id: str) -> Chip | None:
        return next((c for c in self.chips if c.code_id == code_id), None)


@dataclass(frozen=True, slots=True)
class DocumentView:
    """A whole transcript for the review screen: every segment in order, with its context."""

    id: int
    name: str
    attributes: Mapping[str, str]
    segments: tuple[SegmentView, ...]
    questions: Mapping[int, int] = field(default_factory=dict)  # respondent seg → interviewer seg
    memo: str = ""

    def index_of(self, segment_id: int) -> int | None:
        return next((i for i, v in enumerate(self.segments) if v.segment.id == segment_id), None)

    def question(self, segment_id: int) -> SegmentView | None:
        """The interviewer segment that opened the turn before this answer (its context)."""
        qid = self.questions.get(segment_id)
        index = self.index_of(qid) if qid is not None else None
        return self.segments[index] if index is not None else None

    def with_views(self, views: Iterable[SegmentView]) -> DocumentView:
        fresh = {v.segment.id: v for v in views}
        if not any(v.segment.id in fresh for v in self.segments):
            return self
        return replace(self, segments=tuple(fresh.get(v.segment.id, v) for v in self.segments))


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: int
    name: str
    attributes: Mapping[str, str]
    segments: int
    to_code: int  # respondent segments
    suggested: int  # segments with a pending suggestion
    reviewed: int  # segments with a decision of this coder

    @property
    def progress(self) -> float:
        return self.reviewed / self.to_code if self.to_code else 1.0


@dataclass(frozen=True, slots=True)
class Change:
    """The outcome of a command: fresh views of the touched segments and a message to show."""

    message: str
    views: tuple[SegmentView, ...] = ()
    focus: int | None = None  # segment to show (undo / redo jump to what they changed)
    done: bool = True
    codebook_changed: bool = False  # a promotion undone or redone: the front end reloads the codebook


@dataclass(frozen=True, slots=True)
class StartPoint:
    document: DocumentView | None
    segment_id: int | None
    model: str | None
    documents: int
    attributes: tuple[str, ...] = ()  # attribute names of the documents


@dataclass(frozen=True, slots=True)
class QueueItem:
    segment_id: int
    document_id: int
    document: str
    speaker: str
    text: str
    code_id: str  # the code whose score is closest to its threshold
    score: float
    threshold: float

    @property
    def uncertainty(self) -> float:
        return abs(self.score - self.threshold)


@dataclass(frozen=True, slots=True)
class Queue:
    items: tuple[QueueItem, ...]
    total: int
    model: str | None
    order: QueueOrder = QueueOrder.UNCERTAIN
    # Every segment ranked, ``items`` or not: what is left is counted among these as they are decided.
    segment_ids: frozenset[int] = frozenset()
    filter: ReviewFilter | None = None  # the one it was built with, to tell what it still ranks

    def left(self, queued: Mapping[int, bool]) -> int:
        """How many segments it would rank now, given those decided on since it was built and
        whether it still ranks them (:meth:`ReviewSession.queued`): the count the queue screen
        shows once rebuilt. Not « reviewed or not »: under « en attente » a segment with a
        suggestion still pending stays, under « appliqués » one with a code applied joins."""
        gone = sum(1 for seg, kept in queued.items() if not kept and seg in self.segment_ids)
        joined = sum(1 for seg, kept in queued.items() if kept and seg not in self.segment_ids)
        return self.total - gone + joined


@dataclass(frozen=True, slots=True)
class SearchHit:
    segment_id: int
    document_id: int
    document: str
    speaker: str
    text: str
    at: int  # offset of the match in ``text`` (approximate when folding changed lengths)
    numbered: bool = False  # found by its number (« 8 »), not by its text (« 2018 »)


@dataclass(frozen=True, slots=True)
class CodeCount:
    code_id: str
    applied: int = 0
    pending: int = 0
    rejected: int = 0


@dataclass(frozen=True, slots=True)
class Stats:
    coder: str
    model: str | None
    codes: tuple[CodeCount, ...]
    attributes: tuple[str, ...]  # attribute names available
    attribute: str | None = None  # the one ``by_value`` is split by
    values: tuple[str, ...] = ()
    by_value: Mapping[str, Mapping[str, CodeCount]] = field(default_factory=dict)  # top code → value → counts
