"""The chat history of a project: what was asked, understood and answered, for follow-ups."""

from __future__ import annotations

from dataclasses import asdict

from tzcld_qual.chat.intents import Parse
from tzcld_qual.chat.orders import ORDERS as ORDER_INTENTS
from tzcld_qual.chat.values import Answer
from tzcld_qual.store.chat import ChatRepo, ChatTurn


def previous_parse(turn: ChatTurn | None) -> Parse | None:
    """The last question as understood, so "et chez les élus ?" can re-use its intent and slots."""
    if turn is None or turn.intent in ("unknown", "help"):
        return None
    return Parse(turn.intent, dict(turn.slots))


def record(repo: ChatRepo, question: str, answer: Answer, coder: str | None) -> int:
    """Keep one turn; the segments it showed become "ce segment" for the next question."""
    segments = [q.segment_id for q in answer.quotes]
    if not segments and isinstance(answer.slots.get("segment_id"), int):
        segments = [int(answer.slots["segment_id"])]  # type: ignore[call-overload]
    refused = answer.intent in ORDER_INTENTS and answer.action is None and not segments
    if ("rank" in answer.slots or refused) and (last := repo.last_turn(coder)) is not None:
        # « rejette F4 sur le deuxième », then the same with --yes: the proposal kept one segment,
        # and « le deuxième » of it was none; a refused order, rephrased, lost them too. What the
        # order pointed into stays shown.
        segments = list(last.segment_ids)
    action = asdict(answer.action) if answer.action else None
    return repo.add_turn(
        question, answer.intent, dict(answer.slots), answer.text, coder=coder, action=action, segment_ids=segments
    )
