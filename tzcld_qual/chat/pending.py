"""The suggestions an order would act on, and how a proposal shows them.

Shared by acceptances (:mod:`.actions`) and rejections (:mod:`.rejections`), so both count, bound
and preview the same suggestions the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from tzcld_qual.chat.context import Context
from tzcld_qual.chat.corpus import Corpus, said_by
from tzcld_qual.chat.filters import Filters, FilterValue, one, plain
from tzcld_qual.chat.intents import Parse
from tzcld_qual.chat.wording import decimal

PREVIEW = 10


class Bound(NamedTuple):
    """An order's threshold: from ``value`` up (« au-dessus de 0,9 »: ≥), or under it (``below``,
    « sous 0,4 »: <); ``edge`` says otherwise for the value itself (« au plus 0,5 »: ≤, « > 1,0 »: >)."""

    value: float | None = None
    below: bool = False
    edge: bool | None = None

    def admits(self, confidence: float | None) -> bool:
        if self.value is None:
            return True
        if confidence is None:
            return False
        if self.below:
            return confidence <= self.value if self.edge else confidence < self.value
        return confidence > self.value if self.edge is False else confidence >= self.value

    @property
    def sign(self) -> str:
        if self.below:
            return "≤" if self.edge else "<"
        return ">" if self.edge is False else "≥"

    @classmethod
    def of(cls, params: Mapping[str, object]) -> Bound:
        """From an order's slots or action parameters (``threshold``, ``below``, ``edge``)."""
        value = params.get("threshold")
        edge = params.get("edge")
        return cls(
            float(value) if isinstance(value, int | float) else None,
            bool(params.get("below")),
            edge if isinstance(edge, bool) else None,
        )


def pending_items(
    corpus: Corpus,
    code: str,
    bound: Bound,
    filters: Filters,
    coder: str | None = None,
) -> list[tuple[int, str, float | None]]:
    """The current model's suggestions of ``code`` (sub-codes included) within ``bound`` that
    ``coder`` has not decided on (that nobody has, without a coder), in reading order: what
    "accepte les suggestions …" would accept. Per coder as in the review screen, so that two
    analysts code independently (the batch skipped whatever another analyst had decided)."""
    if not corpus.model:
        return []
    documents = corpus.document_ids(filters)
    speaker = one(filters, "speaker")
    found = [
        (segment.order, segment.id, code_id, confidence)
        for segment, code_id, confidence in corpus.repo.pending(corpus.model, code, coder=coder)
        if segment.document_id in documents and said_by(segment, speaker) and bound.admits(confidence)
    ]
    return [(segment_id, code_id, confidence) for _o, segment_id, code_id, confidence in sorted(found)]


def counted_for(coder: str | None) -> str:
    """Whose undecided suggestions a proposal counts: the coder's, or without one those of an
    analyst who has decided nothing yet (no analyst is named ""). Counted as « nobody has decided
    them » instead, « rejette les suggestions F7 sous 0,6 chez les élus » previewed 2 and, re-run
    with ``--yes --coder bob`` as it said, rejected 4: another analyst's decisions never leave a
    suggestion out of bob's order."""
    return coder or ""


def depends_on_coder(ctx: Context, counted: int, undecided: int) -> str:
    """Without a coder, what the count of a proposal hangs on (``""`` when nothing): ``counted``
    for an analyst who has decided nothing, ``undecided`` left once every analyst's decisions are."""
    if ctx.coder or counted == undecided:
        return ""
    decided = counted - undecided
    # « … dont l'ordre confirmé en son nom les laisserait » could not be parsed: « dont » had no antecedent
    return ctx.say(
        f" Compté pour un·e analyste qui n'a encore rien décidé ici : {decided} de ces suggestions ont déjà été "
        f"tranchées par un·e analyste ; confirmé en son nom, l'ordre les laisserait de côté. Le nombre dépend "
        f"donc de qui confirme (--coder NOM).",
        f" Counted for an analyst who has decided nothing here yet: {decided} of these suggestions have already "
        f"been decided by an analyst; confirmed in that analyst's name, the order would leave them aside. The "
        f"count therefore depends on who confirms (--coder NAME).",
    )


def bound_text(ctx: Context, bound: Bound) -> str:
    if bound.value is None:
        return ""
    value = f"{bound.value:.2f}"
    if abs(float(value) - bound.value) > 1e-9:  # « au plus 0,9999 » was shown as « ≤ 1,00 »
        value = f"{bound.value:g}"
    return ctx.say(
        f" avec une confiance {bound.sign} {value.replace('.', ',')}", f" with confidence {bound.sign} {value}"
    )


def preview(ctx: Context, items: Sequence[tuple[int, str, float | None]]) -> list[list[str]]:
    table = [["segment", "document", "code", ctx.say("confiance", "confidence")]]
    table += [[str(s), ctx.corpus.segment(s).document, c, decimal(v, ctx.lang)] for s, c, v in items[:PREVIEW]]
    if len(items) > PREVIEW:
        table.append(["…", ctx.say(f"+{len(items) - PREVIEW} autres", f"+{len(items) - PREVIEW} more"), "", ""])
    return table


def filters_of(parse: Parse) -> dict[str, FilterValue]:
    return plain(parse.slots.get("filters"))
