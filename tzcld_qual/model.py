"""Domain values shared by every layer: documents, segments, codes, codings, decisions.

Frozen, slotted dataclasses with no behaviour beyond small derived properties; persistence rows
and converters live in ``store/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class Role(StrEnum):
    INTERVIEWER = "interviewer"
    RESPONDENT = "respondent"


_STATUS_WORDS = {
    "suggested": ("suggéré", "suggested"),
    "accepted": ("accepté", "accepted"),
    "rejected": ("rejeté", "rejected"),
    "manual": ("ajouté", "added"),
}


class Status(StrEnum):
    """Status of a coding. Model rows are always ``suggested``; human rows are the others."""

    SUGGESTED = "suggested"
    ACCEPTED = "accepted"  # the analyst confirmed a code (suggested or not)
    REJECTED = "rejected"  # the analyst said the code does not apply
    MANUAL = "manual"  # the analyst added a code no model suggested

    @property
    def is_human(self) -> bool:
        return self is not Status.SUGGESTED

    @property
    def label(self) -> str:
        """The word analysts read in tables, exports and the review screen (French unless asked)."""
        from tzcld_qual.errors import Text

        fr, en = _STATUS_WORDS[self.value]
        return Text(fr, en).render()

    @classmethod
    def from_label(cls, word: str) -> Status | None:
        """The status a :attr:`label` names, in either language (what an export wrote, read back)."""
        folded = word.strip().casefold()
        return next((cls(value) for value, words in _STATUS_WORDS.items() if folded in words), None)

    @property
    def applies(self) -> bool:
        """Whether a human decision with this status means "the code applies"."""
        return self in (Status.ACCEPTED, Status.MANUAL)


def frozen_mapping(values: Mapping[str, str] | None = None) -> Mapping[str, str]:
    return MappingProxyType(dict(values or {}))


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker turn in a parsed transcript; ``start:end`` is the speech, label excluded."""

    speaker: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ParsedTranscript:
    """What an importer returns: the plain text that will be stored, and its speaker turns.

    ``text[turn.start:turn.end]`` is the speech of each turn; the plain text is what every offset
    in the project (segments, REFI-QDA selections) points into.
    """

    text: str
    turns: tuple[Turn, ...]
    attributes: Mapping[str, str] = field(default_factory=frozen_mapping)
    warnings: tuple[str, ...] = ()
    interviewers: frozenset[str] = frozenset()  # speaker labels known to be interviewers
    source_format: str = "txt"


@dataclass(frozen=True, slots=True)
class Document:
    id: int
    name: str
    source_path: str
    content_hash: str
    text: str
    attributes: Mapping[str, str]
    version: int
    source_format: str
    imported_at: str
    speakers: Mapping[str, str] = field(default_factory=frozen_mapping)  # label -> role


@dataclass(frozen=True, slots=True)
class Segment:
    """A coding unit: ``document.text[start:end] == text``."""

    id: int
    document_id: int
    document: str
    position: int  # order within the document
    turn: int  # index of the speaker turn it comes from
    speaker: str
    role: Role
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Code:
    id: str
    label: str
    definition: str
    parent: str | None = None
    color: str = "#888888"
    finding: str = ""
    inclusion: tuple[str, ...] = ()
    exclusion: tuple[str, ...] = ()
    expressions: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    negatives: tuple[str, ...] = ()
    line: int | None = None  # line in the YAML file, for error messages

    @property
    def top(self) -> str:
        """The top-level id this code rolls up to (``F3.formation`` → ``F3``)."""
        return self.parent or self.id


@dataclass(frozen=True, slots=True)
class Codebook:
    name: str
    version: int
    codes: tuple[Code, ...]
    language: str = "fr"
    description: str = ""
    source: str = ""

    def get(self, code_id: str) -> Code | None:
        for code in self.codes:
            if code.id == code_id:
                return code
        return None

    def __contains__(self, code_id: object) -> bool:
        return isinstance(code_id, str) and self.get(code_id) is not None

    @property
    def top_level(self) -> tuple[Code, ...]:
        return tuple(c for c in self.codes if c.parent is None)

    @property
    def top_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.top_level)

    def children(self, code_id: str) -> tuple[Code, ...]:
        return tuple(c for c in self.codes if c.parent == code_id)

    def roll_up(self, code_id: str) -> str:
        code = self.get(code_id)
        return code.top if code else code_id.split(".", 1)[0]


@dataclass(frozen=True, slots=True)
class Coding:
    """One coder's view of one code on one segment.

    Model suggestions (``origin`` = a model id such as ``ensemble@3``) and human decisions
    (``origin`` = the analyst's name) are separate rows, so agreement between any two coders can
    be computed and no batch run ever touches a human row.
    """

    id: int
    segment_id: int
    code_id: str
    status: Status
    origin: str
    confidence: float | None
    explanation: str
    created_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A model's proposal before it is stored."""

    segment_id: int
    code_id: str
    confidence: float | None  # a probability; None: no probability (a promoted theme's suggestion)
    explanation: str


# The code id of a « relu, aucun code » mark in the audit log and in decisions: an analyst read the
# segment and judged that no code of the codebook applies. No code id can take it (ids start with a
# letter), so it never reaches a table of codings; the store keeps the mark beside them.
NO_CODE = "∅"
# The log's detail of a decision taken in a blind review (``review --blind``): no suggestion was on
# screen, so agreement reads a code the analyst did not apply there as a « no ».
BLIND = "blind"


@dataclass(frozen=True, slots=True)
class Decision:
    """One entry of the append-only audit log."""

    id: int
    at: str
    coder: str
    action: str  # decide | undo | redo | carry-over | memo | import | code | retrain …
    segment_id: int | None
    code_id: str | None
    before: str | None  # status before (None: no row)
    after: str | None  # status after (None: row removed)
    group: str | None = None  # decisions taken together are undone together
    ref: int | None = None  # for undo/redo: the decision entry they act on
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Memo:
    id: int
    target: str  # "segment" | "document" | "code" | "project"
    target_id: str
    coder: str
    text: str
    created_at: str
    updated_at: str
