"""The suggestions an order would act on, and how a proposal shows them.

Shared by acceptances (:mod:`.actions`) and rejections (:mod:`.rejections`), so both count, bound
and preview the same suggestions the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tzcld_qual.chat.context import Context
from tzcld_qual.chat.corpus import Corpus, said_by
from tzcld_qual.chat.intents import Parse
from tzcld_qual.chat.wording import decimal

PREVIEW = 10


def pending_items(
    corpus: Corpus,
    code: str,
    threshold: float | None,
    filters: Mapping[str, str],
    coder: str | None = None,
    *,
    below: bool = False,
) -> list[tuple[int, str, float | None]]:
    """The current model's suggestions of ``code`` (sub-codes included) at or above ``threshold``
    (under it, ``below``) that ``coder`` has not decided on (that nobody has, without a coder), in
    reading order: what "accepte les suggestions …" would accept. Per coder as in the review screen,
    so that two analysts code independently (the batch skipped whatever another analyst had decided)."""
    if not corpus.model:
        return []
    documents = corpus.document_ids(filters)
    speaker = filters.get("speaker")
    found = [
        (segment.order, segment.id, code_id, confidence)
        for segment, code_id, confidence in corpus.repo.pending(corpus.model, code, coder=coder)
        if segment.document_id in documents
        and said_by(segment, speaker)
        and (threshold is None or (confidence is not None and (confidence < threshold) == below))
    ]
    return [(segment_id, code_id, confidence) for _o, segment_id, code_id, confidence in sorted(found)]


def bound_text(ctx: Context, threshold: float | None, below: bool) -> str:
    if threshold is None:
        return ""
    sign = "<" if below else "≥"
    return ctx.say(
        f" avec une confiance {sign} {decimal(threshold, 'fr')}", f" with confidence {sign} {decimal(threshold, 'en')}"
    )


def preview(ctx: Context, items: Sequence[tuple[int, str, float | None]]) -> list[list[str]]:
    table = [["segment", "document", "code", ctx.say("confiance", "confidence")]]
    table += [[str(s), ctx.corpus.segment(s).document, c, decimal(v, ctx.lang)] for s, c, v in items[:PREVIEW]]
    if len(items) > PREVIEW:
        table.append(["…", ctx.say(f"+{len(items) - PREVIEW} autres", f"+{len(items) - PREVIEW} more"), "", ""])
    return table


def filters_of(parse: Parse) -> dict[str, str]:
    filters = parse.slots.get("filters") or {}
    return {str(k): str(v) for k, v in filters.items()}  # type: ignore[attr-defined]
