"""What the chat returns: an answer with its table, verbatim quotes and an optional action.

These are the contract between the engine and both front ends (the CLI prints them, the TUI's
chat pane renders them); they hold only plain data so ``--json`` can dump them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CONFIRMED_KINDS = frozenset(  # they change the project
    {"retrain", "accept_batch", "accept_segment", "reject_batch", "reject_segment", "code_segment", "promote_topic"}
)
ACTION_KINDS = CONFIRMED_KINDS | {"open_queue", "open_segment", "refresh"}


@dataclass(frozen=True, slots=True)
class Quote:
    """One segment quoted verbatim (``text`` is ``segment.text``) with its citation."""

    text: str
    document: str
    speaker: str
    segment_id: int
    attributes: dict[str, str]  # the document's attributes: role, territory, round…
    code: str | None = None  # the code this quote illustrates (a sub-code when that is what applies)
    status: str | None = None  # accepted | manual | suggested (None: not coded, e.g. a search hit)
    confidence: float | None = None  # the model's confidence for ``code``, when a model suggested it


@dataclass(frozen=True, slots=True)
class Action:
    """Something the front end may do for the analyst; ``kind`` in :data:`ACTION_KINDS`."""

    kind: str
    params: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in ACTION_KINDS:
            raise ValueError(f"unknown action kind {self.kind!r}")

    @property
    def needs_confirmation(self) -> bool:
        """Actions that write to the project are only done once the analyst confirms."""
        return self.kind in CONFIRMED_KINDS


@dataclass(frozen=True, slots=True)
class Answer:
    """The reply to one question. ``table``'s first row is its header."""

    intent: str
    text: str
    table: list[list[str]] | None = None
    quotes: list[Quote] = field(default_factory=list)
    action: Action | None = None
    slots: dict[str, object] = field(default_factory=dict)
