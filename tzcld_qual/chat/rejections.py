"""Rejections asked in the chat: one segment's codes, or a code's suggestions under a threshold.

Asking describes what would be rejected (exact counts, a preview, the analyst's own decisions
named apart); :func:`tzcld_qual.chat.actions.perform` does it once confirmed, through the review
session's decisions (roll-up, audit log, one undo group).
"""

from __future__ import annotations

from dataclasses import dataclass

from tzcld_qual.chat.citations import targeted
from tzcld_qual.chat.context import Context
from tzcld_qual.chat.corpus import Corpus
from tzcld_qual.chat.filters import Filters
from tzcld_qual.chat.intents import Parse
from tzcld_qual.chat.pending import (
    Bound,
    bound_text,
    counted_for,
    depends_on_coder,
    filters_of,
    pending_items,
    preview,
)
from tzcld_qual.chat.values import Action, Answer
from tzcld_qual.chat.wording import citation, code_name, filters_text
from tzcld_qual.model import Status
from tzcld_qual.store import ProjectStore


def reject(parse: Parse, ctx: Context) -> Answer:
    """« rejette F7 sur le segment 8 », « rejette les suggestions F7 sous 0,3 »: it answered a count
    (rejecting was only possible in the review screen), so the analyst believed it done."""
    slots = dict(parse.slots)
    if not ctx.corpus.model:
        text = ctx.say(
            "Aucun modèle courant : aucune suggestion à rejeter.", "No current model: no suggestion to reject."
        )
        return Answer(parse.intent, text, None, [], None, slots)
    if "segment_id" in slots or "rank" in slots:
        return _reject_segment(parse, ctx)
    code = slots.get("code")
    if not isinstance(code, str):
        text = ctx.say(
            "Rejeter les suggestions de quel code ? « rejette les suggestions F7 sous 0,3 », ou d'un segment : "
            "« rejette F7 sur le segment 1234 ».",
            'Reject the suggestions of which code? "reject F7 suggestions below 0.3", or on one segment: '
            '"reject F7 on segment 1234".',
        )
        return Answer(parse.intent, text, None, [], None, slots)
    limits = Bound.of(slots)
    filters = filters_of(parse)
    batch = batch_rejections(ctx.store, ctx.corpus, code, limits, filters, counted_for(ctx.coder))
    items = batch.items
    name = code_name(ctx.codebook, code)
    bound = bound_text(ctx, limits)
    where = filters_text(filters, ctx.lang)
    kept = ctx.say(
        f" {batch.kept_back} autre(s) laissée(s) : vous avez appliqué un de leurs sous-codes sur ces segments.",
        f" {batch.kept_back} other(s) left: you applied one of their sub-codes on those segments.",
    ) if batch.kept_back else ""  # fmt: skip
    if not items:
        text = ctx.say(
            f"Aucune suggestion non revue de {ctx.corpus.model} pour {name}{bound}{where} : rien à rejeter.{kept}",
            f"No unreviewed suggestion of {ctx.corpus.model} for {name}{bound}{where}: nothing to reject.{kept}",
        )
        return Answer(parse.intent, text, None, [], None, slots)
    documents = {ctx.corpus.segment(s).document_id for s, _c, _v in items}
    who = ctx.coder or ctx.say("(nom du codeur à donner)", "(coder name needed)")
    children = ctx.say(
        f", dont {batch.implied} sous-code(s) suggéré(s) sous un code rejeté (rejetés avec lui, quelle que soit "
        f"leur confiance)",
        f", of which {batch.implied} sub-code(s) suggested under a rejected code (rejected with it, whatever their "
        f"confidence)",
    ) if batch.implied else ""  # fmt: skip
    text = ctx.say(
        f"Je rejetterais {len(items)} suggestion(s) de {ctx.corpus.model} pour {name} (sous-codes compris){bound}"
        f"{where}{children}, dans {len(documents)} entretien(s), au nom de {who}. Les rejets servent d'exemples "
        f"négatifs au prochain réentraînement. À confirmer ; annulable d'un seul « undo ».{kept}",
        f"I would reject {len(items)} suggestion(s) of {ctx.corpus.model} for {name} (sub-codes included){bound}"
        f"{where}{children}, in {len(documents)} interview(s), on behalf of {who}. Rejections are negative examples "
        f'for the next retraining. Please confirm; one "undo" reverts them all.{kept}',
    )
    if not ctx.coder:
        undecided = batch_rejections(ctx.store, ctx.corpus, code, limits, filters, None).items
        text += depends_on_coder(ctx, len(items), len(undecided))
    params: dict[str, object] = {
        "code": code,
        "threshold": limits.value,
        "below": limits.below,
        **({"edge": limits.edge} if limits.edge is not None else {}),
        "origin": ctx.corpus.model,
        "attributes": filters,
        "count": len(items),
    }
    return Answer(parse.intent, text, preview(ctx, items), [], Action("reject_batch", params), slots)


@dataclass(frozen=True, slots=True)
class BatchRejection:
    """What « rejette les suggestions F7 sous 0,4 » rejects: the suggestions under the bound, and
    the sub-codes suggested under a finding it rejects (the roll-up rejects them with it: the
    preview said 93, undo counted 130); ``kept_back`` counts findings left because the analyst
    applied one of their sub-codes there (rejecting them overturned that decision unannounced)."""

    items: list[tuple[int, str, float | None]]
    implied: int
    kept_back: int


def batch_rejections(
    store: ProjectStore,
    corpus: Corpus,
    code: str,
    bound: Bound,
    filters: Filters,
    coder: str | None,
) -> BatchRejection:
    found = pending_items(corpus, code, bound, filters, coder)
    segments = sorted({s for s, _c, _v in found})
    mine: dict[int, set[str]] = {}
    if coder and segments:
        for segment_id, rows in store.codings.for_segments(segments).items():
            mine[segment_id] = {c.code_id for c in rows if c.origin == coder and c.status.applies}
    items, kept_back = [], 0
    for segment_id, code_id, confidence in found:
        if "." not in code_id and any(c.startswith(code_id + ".") for c in mine.get(segment_id, ())):
            kept_back += 1
            continue
        items.append((segment_id, code_id, confidence))
    chosen = {(s, c) for s, c, _v in items}
    findings = {(s, c) for s, c in chosen if "." not in c}
    # the roll-up also rejects sub-codes suggested by themes made codes (``topics@N``), as the
    # review screen shows them: the preview said 259, undo counted 264
    origins = [corpus.model or "", *(c for c in store.codings.coders("model") if c.startswith("topics@"))]
    implied: dict[tuple[int, str], float | None] = {}
    for origin in origins:
        for segment, code_id, confidence in corpus.repo.pending(
            origin, code, sorted({s for s, _c in findings}), coder=coder
        ):
            pair = (segment.id, code_id)
            if (segment.id, code_id.split(".")[0]) in findings and pair not in chosen and pair not in implied:
                implied[pair] = confidence
    more = [(s, c, v) for (s, c), v in implied.items()]
    everything = sorted(items + more, key=lambda i: (corpus.segment(i[0]).order, i[1]))
    return BatchRejection(everything, len(more), kept_back)


def _reject_segment(parse: Parse, ctx: Context) -> Answer:
    which = (
        "Quel segment ? « rejette F7 sur le segment 1234 » (ou après une réponse qui en montre : « rejette F7 "
        "sur le deuxième »).",
        'Which segment? "reject F7 on segment 1234".',
    )
    segment = targeted(parse, ctx, which)
    if isinstance(segment, Answer):
        return segment
    segment_id = segment.id
    slots = dict(parse.slots, segment_id=segment_id)
    code = slots.get("code")
    found = rejectable(
        ctx.store, ctx.corpus, segment_id, code if isinstance(code, str) else None, counted_for(ctx.coder)
    )
    name = code_name(ctx.codebook, code) if isinstance(code, str) else ctx.say("aucun code", "no code")
    kept = ctx.say(
        f" {', '.join(found.kept)} laissé(s) : vous y avez appliqué un de leurs sous-codes.",
        f" {', '.join(found.kept)} left: you applied one of their sub-codes there.",
    ) if found.kept else ""  # fmt: skip
    if not found.suggested and not found.accepted and not found.added:
        mine = ctx.say(" ni codage de votre part", " nor coding of yours") if isinstance(code, str) else ""
        text = ctx.say(
            f"Le segment {segment_id} n'a ni suggestion non revue{mine} en {name} : rien à rejeter.{kept}",
            f"Segment {segment_id} has no unreviewed suggestion{mine} for {name}: nothing to reject.{kept}",
        )
        return Answer(parse.intent, text, None, [], None, slots)
    who = ctx.coder or ctx.say("(nom du codeur à donner)", "(coder name needed)")
    parts = []
    if found.suggested:
        parts.append(ctx.say(f"je rejetterais {', '.join(found.suggested)} (suggérés)",
                             f"I would reject {', '.join(found.suggested)} (suggested)"))  # fmt: skip
    if found.accepted:
        parts.append(ctx.say(f"je rejetterais {', '.join(found.accepted)}, que vous aviez accepté(s)",
                             f"I would reject {', '.join(found.accepted)}, which you had accepted"))  # fmt: skip
    if found.added:
        parts.append(ctx.say(f"je retirerais {', '.join(found.added)}, que vous aviez ajouté(s)",
                             f"I would remove {', '.join(found.added)}, which you had added"))  # fmt: skip
    where = citation(segment.document, segment.speaker, segment_id)
    text = ctx.say(
        f"Segment {segment_id} {where} : {' ; '.join(parts)}, au nom de {who}. À confirmer ; annulable.{kept}"
        f"\n« {segment.text} »",
        f"Segment {segment_id} {where}: {'; '.join(parts)}, on behalf of {who}. Please confirm; undoable.{kept}"
        f"\n« {segment.text} »",
    )
    params: dict[str, object] = {
        "segment_id": segment_id,
        "codes": [*found.suggested, *found.accepted],
        "removed": list(found.added),
    }
    return Answer(parse.intent, text, None, [], Action("reject_segment", params), slots)


@dataclass(frozen=True, slots=True)
class SegmentRejection:
    """What « rejette F4 sur le segment 12 » changes there, said apart in the proposal."""

    suggested: tuple[str, ...]  # the current model's suggestions the analyst has not decided on
    accepted: tuple[str, ...]  # the analyst's acceptances: a change of mind, rejected
    added: tuple[str, ...]  # the analyst's own codes no model suggested: removed, as in the review screen
    kept: tuple[str, ...] = ()  # suggested findings left: the analyst applied one of their sub-codes there


def rejectable(
    store: ProjectStore, corpus: Corpus, segment_id: int, code: str | None, coder: str | None
) -> SegmentRejection:
    """What a rejection of ``code``'s family on this segment changes. Without a code (« rejette les
    suggestions du segment 12 ») only the open suggestions: the analyst's own decisions there were
    overturned too."""
    suggested = sorted({c for _s, c, _v in corpus.repo.pending(corpus.model or "", code, [segment_id], coder=coder)})
    mine = [c for c in store.codings.for_segments([segment_id])[segment_id] if coder and c.origin == coder]
    applied = {c.code_id for c in mine if c.status.applies}
    kept = tuple(c for c in suggested if "." not in c and any(a.startswith(c + ".") for a in applied))
    if code is None:  # rejecting F3 would reject (roll-up) the F3.formation the analyst added there
        suggested = [c for c in suggested if c not in kept]
    accepted: list[str] = []
    added: list[str] = []
    for c in mine:
        if code and (c.code_id == code or c.code_id.startswith(code + ".")):
            if c.status is Status.ACCEPTED:
                accepted.append(c.code_id)
            elif c.status is Status.MANUAL:
                added.append(c.code_id)
    return SegmentRejection(
        tuple(suggested), tuple(sorted(accepted)), tuple(sorted(added)), kept if code is None else ()
    )
