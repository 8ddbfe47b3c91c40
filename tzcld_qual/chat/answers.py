"""From an understood question to its answer: one composer per intent, store queries only."""

from __future__ import annotations

from collections.abc import Callable

from tzcld_qual.chat import actions, citations, counts, guide
from tzcld_qual.chat.context import Context
from tzcld_qual.chat.intents import Parse
from tzcld_qual.chat.values import Answer

COMPOSERS: dict[str, Callable[[Parse, Context], Answer]] = {
    "count": counts.count,
    "compare": counts.compare,
    "cooccurrence": counts.cooccurrence,
    "quotes": citations.quotes,
    "search": citations.search,
    "why": citations.why,
    "open_segment": citations.open_segment,
    "open_queue": actions.open_queue,
    "accept_batch": actions.accept_batch,
    "code_segment": actions.code_segment,
    "retrain": actions.retrain,
    "refresh": actions.refresh,
    "themes": guide.themes,
    "promote_topic": actions.promote_topic,
    "help": guide.help_answer,
    "unknown": guide.unknown,
}


def compose(parse: Parse, ctx: Context) -> Answer:
    """The answer to ``parse``; a code the codebook does not have is said, not guessed."""
    if parse.unknown_codes and "code" not in parse.slots and parse.intent not in ("help", "search"):
        return guide.unknown(parse, ctx)
    return COMPOSERS.get(parse.intent, guide.unknown)(parse, ctx)
