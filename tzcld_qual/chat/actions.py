"""Requests to act: open the queue, accept or reject suggestions, code a segment, retrain, refresh.

Asking only *describes* what would be done (with exact counts) and returns an :class:`Action`;
the change is made by :func:`perform` once the analyst confirms, through the store's decision
API, so it is in the audit log and one undo reverts it (a batch is one undo group).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tzcld_qual.chat.citations import targeted
from tzcld_qual.chat.context import Context
from tzcld_qual.chat.corpus import Corpus
from tzcld_qual.chat.filters import Filters, one
from tzcld_qual.chat.intents import Parse
from tzcld_qual.chat.pending import (
    PREVIEW,
    Bound,
    bound_text,
    counted_for,
    depends_on_coder,
    filters_of,
    pending_items,
    preview,
)
from tzcld_qual.chat.rejections import batch_rejections
from tzcld_qual.chat.values import Action, Answer
from tzcld_qual.chat.wording import citation, code_name, decimal, filters_text
from tzcld_qual.errors import NotFoundError, Text, UsageError
from tzcld_qual.model import Status
from tzcld_qual.store import ProjectStore

DECIDING = frozenset({"accept_batch", "accept_segment", "code_segment", "reject_batch", "reject_segment"})
UNCERTAIN_BAND = 0.1
DEFAULT_THRESHOLD = 0.5  # the review queue's default for a code the run has no threshold for


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One segment of the review queue, as the chat shows it."""

    segment_id: int
    document: str
    code: str
    score: float
    threshold: float


def open_queue(parse: Parse, ctx: Context) -> Answer:
    code = parse.slots.get("code")
    code = code if isinstance(code, str) else None
    filters = filters_of(parse)
    what = code_name(ctx.codebook, code) if code else ctx.say("codes principaux", "top-level codes")
    items, total = uncertain(ctx, code, filters, PREVIEW)
    if not ctx.corpus.model:
        return Answer(
            parse.intent,
            ctx.say(
                "Aucun modèle n'a encore codé ce projet : pas de file d'incertitude. "
                "Lancez « tzcld-qual code PROJET ».",
                'No model has coded this project yet: no uncertainty queue. Run "tzcld-qual code PROJECT".',
            ),
            None,
            [],
            None,
            dict(parse.slots),
        )
    params: dict[str, object] = {
        "code": code,
        "attributes": filters,
        "order": "uncertain",
        "segment_ids": [i.segment_id for i in items],
    }
    band = decimal(UNCERTAIN_BAND, ctx.lang)
    beyond = len(items) > total  # too few in the band: the closest ones beyond it are shown too
    text = ctx.say(
        f"Segments incertains — {what}{filters_text(filters, 'fr')} : {total} segment(s) à moins de {band} du "
        f"seuil de {ctx.corpus.model}, sans décision"
        + (f" ; voici les {len(items)} plus proches du seuil, au-delà de {band} compris" if beyond else "")
        + " ; les plus proches du seuil d'abord. J'ouvre la file.",
        f"Uncertain segments — {what}{filters_text(filters, 'en')}: {total} segment(s) within {band} of "
        f"{ctx.corpus.model}'s threshold, undecided"
        + (f"; here are the {len(items)} closest to it, beyond {band} too" if beyond else "")
        + "; closest to the threshold first. Opening the queue.",
    )
    table = [["segment", "document", "code", "score", ctx.say("seuil", "threshold")]]
    table += [
        [str(i.segment_id), i.document, i.code, decimal(i.score, ctx.lang), decimal(i.threshold, ctx.lang)]
        for i in items
    ]
    return Answer(parse.intent, text, table if items else None, [], Action("open_queue", params), dict(parse.slots))


def uncertain(ctx: Context, code: str | None, filters: Filters, limit: int) -> tuple[list[QueueItem], int]:
    """Segments whose current-model score is closest to the code's threshold, no analyst having
    decided on that code yet; and how many are within :data:`UNCERTAIN_BAND` of a threshold.
    A segment marked « relu, aucun code » is decided, as in the review queue: by the coder (by
    any analyst without one); it was listed at the top of a queue that no longer held it.

    Codes looked at: ``code`` and its sub-codes, or every top-level code when none is named."""
    corpus = ctx.corpus
    if not corpus.model:
        return [], 0
    codes = [code, *(c.id for c in ctx.codebook.children(code))] if code else list(ctx.codebook.top_ids)
    run = ctx.store.runs.get(corpus.model) or {}
    params = run.get("params")
    known = params.get("thresholds", {}) if isinstance(params, dict) else {}
    thresholds = {c: float(known.get(c, DEFAULT_THRESHOLD)) for c in codes}
    documents = corpus.document_ids(filters)
    speaker = one(filters, "speaker")
    theirs = corpus.respondent_segments(documents, speaker) if speaker is not None else None
    marked = corpus.marked(ctx.coder or None)
    ranked: list[tuple[float, tuple[str, int], QueueItem]] = []
    for band in (UNCERTAIN_BAND, 1.0):  # the whole queue only when the band holds too few
        rows = [
            r
            for r in corpus.repo.near_thresholds(corpus.model, thresholds, band)
            if r[1] in documents and (theirs is None or r[0] in theirs) and r[0] not in marked
        ]
        decided = corpus.repo.human_pairs([r[0] for r in rows])
        ranked = []
        for segment_id, _document, name, position, scores in rows:
            best = min(
                (
                    (abs(score - thresholds[c]), c, score)
                    for c, score in zip(codes, scores, strict=True)
                    if score is not None and (segment_id, c) not in decided
                ),
                default=None,
            )
            if best is not None:
                item = QueueItem(segment_id, name, best[1], best[2], thresholds[best[1]])
                ranked.append((best[0], (name, position), item))
        if len(ranked) >= limit:
            break
    ranked.sort(key=lambda r: (r[0], r[1]))
    total = sum(1 for r in ranked if r[0] <= UNCERTAIN_BAND)
    return [r[2] for r in ranked[:limit]], total


def accept_batch(parse: Parse, ctx: Context) -> Answer:
    if "segment_id" in parse.slots or "rank" in parse.slots:
        return _accept_segment(parse, ctx)
    code = parse.slots.get("code")
    if not isinstance(code, str):
        return Answer(
            parse.intent,
            ctx.say(
                "Accepter les suggestions de quel code ? « accepte les suggestions F5 au-dessus de 0,9 ».",
                'Accept the suggestions of which code? "accept F5 suggestions above 0.9".',
            ),
            None,
            [],
            None,
            dict(parse.slots),
        )
    bound = Bound.of(parse.slots)
    filters = filters_of(parse)
    corpus = ctx.corpus
    if not corpus.model:
        return Answer(
            parse.intent,
            ctx.say(
                "Aucun modèle courant : aucune suggestion à accepter.", "No current model: no suggestion to accept."
            ),
            None,
            [],
            None,
            dict(parse.slots),
        )
    items = pending_items(corpus, code, bound, filters, counted_for(ctx.coder))
    name = code_name(ctx.codebook, code)
    above = bound_text(ctx, bound)
    where = filters_text(filters, ctx.lang)
    if not items:
        return Answer(
            parse.intent,
            ctx.say(
                f"Aucune suggestion non revue de {corpus.model} pour {name}{above}{where} : rien à accepter.",
                f"No unreviewed suggestion of {corpus.model} for {name}{above}{where}: nothing to accept.",
            ),
            None,
            [],
            None,
            dict(parse.slots),
        )
    documents = {corpus.segment(s).document_id for s, _c, _v in items}
    who = ctx.coder or ctx.say("(nom du codeur à donner)", "(coder name needed)")
    lifted = _lifted_rejections(ctx, items)
    lifts = ctx.say(
        f" Cela lèverait {lifted} de vos rejets de leur code parent (un sous-code appliqué implique son code).",
        f" This would lift {lifted} of your rejections of their parent code (an applied sub-code implies its code).",
    ) if lifted else ""  # fmt: skip
    text = ctx.say(
        f"J'accepterais {len(items)} suggestion(s) de {corpus.model} pour {name} (sous-codes compris){above}"
        f"{where}, dans {len(documents)} entretien(s), au nom de {who}. À confirmer ; annulable d'un seul "
        f"« undo ».{lifts}",
        f"I would accept {len(items)} suggestion(s) of {corpus.model} for {name} (sub-codes included){above}"
        f'{where}, in {len(documents)} interview(s), on behalf of {who}. Please confirm; one "undo" reverts '
        f"them all.{lifts}",
    ) + depends_on_coder(ctx, len(items), len(pending_items(corpus, code, bound, filters)))
    table = preview(ctx, items)
    params: dict[str, object] = {
        "code": code,
        "threshold": bound.value,
        "below": bound.below,
        **({"edge": bound.edge} if bound.edge is not None else {}),
        "origin": corpus.model,
        "attributes": filters,
        "count": len(items),
    }
    return Answer(parse.intent, text, table, [], Action("accept_batch", params), dict(parse.slots))


def _accept_segment(parse: Parse, ctx: Context) -> Answer:
    """« accepte toutes les suggestions du segment 8 » (the review screen's « A »): it only showed
    the segment. Every suggestion of the current model there that the analyst has not decided on."""
    segment = targeted(parse, ctx, ("Quel segment ? « accepte les suggestions du segment 1234 ».",
                                    'Which segment? "accept the suggestions of segment 1234".'))  # fmt: skip
    if isinstance(segment, Answer):
        return segment
    segment_id = segment.id
    slots = dict(parse.slots, segment_id=segment_id)
    codes = open_on_segment(ctx.corpus, segment_id, counted_for(ctx.coder))
    if not codes:
        text = ctx.say(
            f"Le segment {segment_id} n'a aucune suggestion non revue de {ctx.corpus.model or '—'} : rien à accepter.",
            f"Segment {segment_id} has no unreviewed suggestion of {ctx.corpus.model or '—'}: nothing to accept.",
        )
        return Answer(parse.intent, text, None, [], None, slots)
    who = ctx.coder or ctx.say("(nom du codeur à donner)", "(coder name needed)")
    lifted = _lifted_rejections(ctx, [(segment_id, c, None) for c in codes])
    lifts = ctx.say(
        f" Cela lèverait {lifted} de vos rejets de leur code parent (un sous-code appliqué implique son code).",
        f" This would lift {lifted} of your rejections of their parent code (an applied sub-code implies its code).",
    ) if lifted else ""  # fmt: skip
    where = citation(segment.document, segment.speaker, segment_id)
    text = ctx.say(
        f"Segment {segment_id} {where} : j'accepterais {', '.join(codes)} (suggérés par {ctx.corpus.model}), au nom "
        f"de {who}. À confirmer ; annulable.{lifts}\n« {segment.text} »",
        f"Segment {segment_id} {where}: I would accept {', '.join(codes)} (suggested by {ctx.corpus.model}), on "
        f"behalf of {who}. Please confirm; undoable.{lifts}\n« {segment.text} »",
    )
    params: dict[str, object] = {"segment_id": segment_id, "codes": codes}
    return Answer(parse.intent, text, None, [], Action("accept_segment", params), slots)


def open_on_segment(corpus: Corpus, segment_id: int, coder: str | None) -> list[str]:
    """The current model's suggestions on one segment that ``coder`` has not decided on."""
    if not corpus.model:
        return []
    return sorted({c for _s, c, _v in corpus.repo.pending(corpus.model, None, [segment_id], coder=coder)})


def _applied_by(ctx: Context, segment_id: int, code: str) -> bool:
    """``code`` is applied on the segment by the analyst asking (by anyone when no analyst is
    named): a second analyst who agrees with the first must be able to say so, or double coding
    from the chat records only the disagreements (« déjà codé F7 : rien à faire » for bruno)."""
    if not ctx.coder:
        return code in ctx.corpus.applied_on([segment_id])[segment_id]
    return any(
        c.origin == ctx.coder and c.code_id == code and c.status.applies
        for c in ctx.store.codings.for_segments([segment_id]).get(segment_id, [])
    )


def _lifted_rejections(ctx: Context, items: Sequence[tuple[int, str, float | None]]) -> int:
    """How many of the analyst's rejections of a parent code accepting these sub-codes would lift
    (the roll-up does it; the result said « (et F7) » after the fact, the proposal nothing)."""
    if not ctx.coder:
        return 0
    parents = {(s, c.split(".")[0]) for s, c, _v in items if "." in c}
    if not parents:
        return 0
    rows = ctx.store.codings.for_segments(sorted({s for s, _p in parents}))
    return sum(
        1
        for segment_id, codings in rows.items()
        for c in codings
        if c.origin == ctx.coder and c.status is Status.REJECTED and (segment_id, c.code_id) in parents
    )


def code_segment(parse: Parse, ctx: Context) -> Answer:
    code = parse.slots.get("code")
    which = (
        "Quel segment et quel code ? « code le segment 1234 en F3.formation ».",
        'Which segment and which code? "code segment 1234 as F3.formation".',
    )
    if not isinstance(code, str):
        return Answer(parse.intent, ctx.say(*which), None, [], None, dict(parse.slots))
    segment = targeted(parse, ctx, which)
    if isinstance(segment, Answer):
        return segment
    segment_id = segment.id
    slots = dict(parse.slots, segment_id=segment_id)
    status = _status_for(ctx.store, segment_id, code)
    if _applied_by(ctx, segment_id, code):
        text = ctx.say(
            f"Le segment {segment_id} est déjà codé {code_name(ctx.codebook, code)} : rien à faire.",
            f"Segment {segment_id} is already coded {code_name(ctx.codebook, code)}: nothing to do.",
        )
        return Answer(parse.intent, text, None, [], None, slots)
    who = ctx.coder or ctx.say("(nom du codeur à donner)", "(coder name needed)")
    how = ctx.say(
        "en acceptant la suggestion du modèle" if status is Status.ACCEPTED else "en ajout manuel",
        "accepting the model's suggestion" if status is Status.ACCEPTED else "as a manual coding",
    )
    lifts = ctx.say(
        f" Cela lèverait votre rejet de {code.split('.')[0]} (un sous-code appliqué implique son code).",
        f" This would lift your rejection of {code.split('.')[0]} (an applied sub-code implies its code).",
    ) if _lifted_rejections(ctx, [(segment_id, code, None)]) else ""  # fmt: skip
    text = ctx.say(
        f"Je coderais le segment {segment_id} {citation(segment.document, segment.speaker, segment_id)} en "
        f"{code_name(ctx.codebook, code)}, {how}, au nom de {who}. À confirmer ; annulable.{lifts}"
        f"\n« {segment.text} »",
        f"I would code segment {segment_id} {citation(segment.document, segment.speaker, segment_id)} as "
        f"{code_name(ctx.codebook, code)}, {how}, on behalf of {who}. Please confirm; undoable.{lifts}\n"
        f"« {segment.text} »",
    )
    return Answer(parse.intent, text, None, [], Action("code_segment", {"segment_id": segment_id, "code": code}), slots)


def retrain(parse: Parse, ctx: Context) -> Answer:
    decisions = len(ctx.store.codings.human())
    text = ctx.say(
        f"Je réentraînerais le modèle sur les {decisions} décision(s) humaines enregistrées, puis je recoderais "
        f"les segments de répondants (plusieurs minutes possibles). À confirmer.",
        f"I would retrain the model on the {decisions} recorded human decision(s), then re-score the respondent "
        f"segments (may take minutes). Please confirm.",
    )
    return Answer(parse.intent, text, None, [], Action("retrain", {"decisions": decisions}), dict(parse.slots))


def promote_topic(parse: Parse, ctx: Context) -> Answer:
    """ "Crée un code à partir du thème 3": says what the new code would be, to confirm."""
    slots = dict(parse.slots)
    topic_id = slots.get("topic")
    run = ctx.topics() if ctx.topics else None
    topic = next((t for t in run.topics if t.id == topic_id), None) if run is not None else None
    if topic is None or topic_id == -1:
        text = ctx.say(
            f"Je ne trouve pas de thème {topic_id} dans le dernier calcul de thèmes. Demandez « quels thèmes "
            f"émergent ? » pour la liste, ou lancez « tzcld-qual topics {ctx.store.path} ».",
            f'I cannot find theme {topic_id} in the latest theme run. Ask "which themes emerge?" for the list, '
            f'or run "tzcld-qual topics {ctx.store.path}".',
        )
        return Answer(parse.intent, text, None, [], None, slots)
    parent = slots.get("code")
    where = ctx.say(f"sous-code de {parent}", f"sub-code of {parent}") if parent else ctx.say("code", "code")
    keyphrases = ", ".join(topic.keyphrases[:5])
    text = ctx.say(
        f"Je créerais un nouveau {where} à partir du thème {topic_id} ({topic.size} segments ; {keyphrases}), "
        f"dans une nouvelle version du codebook du projet (le fichier YAML n'est pas modifié), et ses segments "
        f"recevraient des suggestions de ce code. À confirmer.",
        f"I would create a new {where} from theme {topic_id} ({topic.size} segments; {keyphrases}), in a new "
        f"version of the project's codebook (the YAML file is not changed), and its segments would get "
        f"suggestions of this code. Please confirm.",
    )
    params: dict[str, object] = {"topic": topic_id, "run": run.id}  # type: ignore[union-attr]
    if parent:
        params["parent"] = parent
    return Answer(parse.intent, text, None, [], Action("promote_topic", params), slots)


def refresh(parse: Parse, ctx: Context) -> Answer:
    return Answer(
        parse.intent,
        ctx.say("J'actualise l'affichage.", "Refreshing the view."),
        None,
        [],
        Action("refresh", {}),
        dict(parse.slots),
    )


# -- doing it, once confirmed --------------------------------------------------------------------
Decide = Callable[[Sequence[tuple[int, str, Status | None]], str], str]
"""(decisions, coder) -> what they implied beside them (" (et F4)"), or ""."""


def perform(
    store: ProjectStore,
    action: Action,
    coder: str | None,
    *,
    decide: Decide,
    lang: str = "fr",
    retrainer: Callable[[], str] | None = None,
    promote: Callable[..., Any] | None = None,
) -> str:
    """Carry out a confirmed action; returns what was done and how to undo it.

    Decisions go through ``decide`` (the review session's, given by the service layer), so they
    are checked and rolled up as in the review screen, as one undoable group; a theme becomes a
    code through ``promote`` (the topics service's)."""
    ctx_say = lambda fr, en: en if lang == "en" else fr  # noqa: E731
    if action.kind in DECIDING and not coder:
        raise UsageError(
            Text("nommez le codeur qui prend ces décisions.", "name the coder taking these decisions."),
            Text("Ajoutez --coder NOM (ou définissez TZCLD_CODER).", "Add --coder NAME (or set TZCLD_CODER)."),
        )
    undo = ctx_say(
        f"Pour annuler : « tzcld-qual undo {store.path} --coder {coder} » (ou « u » dans la revue).",
        f'To undo: "tzcld-qual undo {store.path} --coder {coder}" (or "u" in the review).',
    )
    if action.kind in ("accept_batch", "reject_batch") and (changed := _drifted(store, action, str(coder), ctx_say)):
        return changed
    if action.kind == "accept_batch":
        code, bound, filters = _batch(action)
        items = pending_items(Corpus(store), code, bound, filters, str(coder))
        implied = decide([(s, c, Status.ACCEPTED) for s, c, _v in items], str(coder))
        return ctx_say(
            f"{len(items)} suggestion(s) acceptée(s){implied} au nom de {coder}, en un seul groupe. {undo}",
            f"{len(items)} suggestion(s) accepted{implied} on behalf of {coder}, as one group. {undo}",
        )
    if action.kind == "accept_segment":
        segment_id = int(action.params["segment_id"])  # type: ignore[call-overload]
        codes = [str(c) for c in action.params.get("codes") or ()]  # type: ignore[attr-defined]
        if open_on_segment(Corpus(store), segment_id, str(coder)) != codes:
            return ctx_say(
                f"Rien n'est fait : les suggestions du segment {segment_id} ont changé depuis la proposition. "
                "Reposez la question.",
                f"Nothing done: segment {segment_id}'s suggestions changed since the proposal. Ask again.",
            )
        implied = decide([(segment_id, c, Status.ACCEPTED) for c in codes], str(coder))
        return ctx_say(
            f"Segment {segment_id} : {', '.join(codes)} accepté(s){implied} au nom de {coder}. {undo}",
            f"Segment {segment_id}: {', '.join(codes)} accepted{implied} on behalf of {coder}. {undo}",
        )
    if action.kind == "reject_batch":
        code, bound, filters = _batch(action)
        batch = batch_rejections(store, Corpus(store), code, bound, filters, str(coder))
        implied = decide([(s, c, Status.REJECTED) for s, c, _v in batch.items], str(coder))
        return ctx_say(
            f"{len(batch.items)} suggestion(s) rejetée(s){implied} au nom de {coder}, en un seul groupe. {undo}",
            f"{len(batch.items)} suggestion(s) rejected{implied} on behalf of {coder}, as one group. {undo}",
        )
    if action.kind == "reject_segment":
        segment_id = int(action.params["segment_id"])  # type: ignore[call-overload]
        if store.documents.segment(segment_id) is None:
            raise NotFoundError(Text("segment {id} introuvable.", "segment {id} not found."), None, id=segment_id)
        codes = [str(c) for c in action.params.get("codes") or ()]  # type: ignore[attr-defined]
        removed = [str(c) for c in action.params.get("removed") or ()]  # type: ignore[attr-defined]
        decisions: list[tuple[int, str, Status | None]] = [(segment_id, c, Status.REJECTED) for c in codes]
        implied = decide(decisions + [(segment_id, c, None) for c in removed], str(coder))
        done = ", ".join(codes) + ctx_say(" rejeté(s)", " rejected") if codes else ""
        gone = ", ".join(removed) + ctx_say(" retiré(s)", " removed") if removed else ""
        said = " ; ".join(p for p in (done, gone) if p)
        return ctx_say(
            f"Segment {segment_id} : {said}{implied} au nom de {coder}. {undo}",
            f"Segment {segment_id}: {said}{implied} on behalf of {coder}. {undo}",
        )
    if action.kind == "code_segment":
        segment_id = int(action.params["segment_id"])  # type: ignore[call-overload]
        code = str(action.params["code"])
        if store.documents.segment(segment_id) is None:
            raise NotFoundError(Text("segment {id} introuvable.", "segment {id} not found."), None, id=segment_id)
        status = _status_for(store, segment_id, code)
        implied = decide([(segment_id, code, status)], str(coder))
        return ctx_say(
            f"Segment {segment_id} codé {code} ({status.label}){implied} au nom de {coder}. {undo}",
            f"Segment {segment_id} coded {code} ({status.value}){implied} on behalf of {coder}. {undo}",
        )
    if action.kind == "promote_topic":
        if promote is None:
            return ctx_say(
                "La promotion d'un thème n'est pas disponible ici.", "Promoting a theme is not available here."
            )
        parent = action.params.get("parent")
        promotion = promote(
            store,
            int(action.params["topic"]),  # type: ignore[call-overload]
            run_id=str(action.params["run"]) if action.params.get("run") else None,
            parent=str(parent) if parent else None,
            analyst=coder,
        )
        return ctx_say(
            f"Code {promotion.code.id} « {promotion.code.label} » créé (codebook v{promotion.codebook_version}, "
            f"dans le projet) ; {promotion.suggestions} segment(s) en reçoivent la suggestion. Revoyez-les dans "
            f"la file ; « tzcld-qual codebook show {store.path} » montre la définition à compléter. Pour annuler, "
            f"tant que personne n'a codé avec : « tzcld-qual undo {store.path} --coder {coder or 'tzcld-qual'} » "
            "(ou « u » dans la revue).",
            f"Code {promotion.code.id} « {promotion.code.label} » created (codebook v{promotion.codebook_version}, "
            f"in the project); {promotion.suggestions} segment(s) get it as a suggestion. Review them in the "
            f'queue; "tzcld-qual codebook show {store.path}" shows the definition to complete. To undo, while '
            f'nobody has coded with it: "tzcld-qual undo {store.path} --coder {coder or "tzcld-qual"}" (or "u" in '
            "the review).",
        )
    if action.kind == "retrain":
        if retrainer is None:
            return ctx_say("Le réentraînement n'est pas disponible ici.", "Retraining is not available here.")
        return retrainer()
    return ctx_say(
        "Rien à faire ici : c'est une action d'affichage (file, segment, actualisation).",
        "Nothing to do here: this is a display action (queue, segment, refresh).",
    )


def _drifted(store: ProjectStore, action: Action, coder: str, say: Callable[[str, str], str]) -> str:
    """Why a confirmed batch is no longer the one proposed (a retraining in between, other
    decisions): confirmed in the review screen after a retrain, it accepted ensemble@2's 101
    suggestions for ensemble@1's 100. Nothing is done then; ``""`` when it still holds."""
    proposed, current = action.params.get("origin"), store.meta("current_model")
    if proposed != current:
        return say(
            f"Rien n'est fait : le modèle a changé depuis la proposition ({proposed} → {current}). "
            "Reposez la question.",
            f"Nothing done: the model changed since the proposal ({proposed} → {current}). Ask again.",
        )
    code, bound, filters = _batch(action)
    corpus = Corpus(store)
    if action.kind == "accept_batch":
        now = len(pending_items(corpus, code, bound, filters, coder))
    else:
        now = len(batch_rejections(store, corpus, code, bound, filters, coder).items)
    count = action.params.get("count")
    if isinstance(count, int) and count != now:
        return say(
            f"Rien n'est fait : {now} suggestion(s) répondent maintenant à la demande, {count} à la proposition "
            f"(d'autres décisions entre-temps). Reposez la question.",
            f"Nothing done: {now} suggestion(s) now match, {count} did when proposed (other decisions in "
            f"between). Ask again.",
        )
    return ""


def _batch(action: Action) -> tuple[str, Bound, dict[str, str]]:
    """A batch order's code, bound and filters, as its proposal recorded them."""
    attributes = action.params.get("attributes")
    filters = {str(k): str(v) for k, v in attributes.items()} if isinstance(attributes, Mapping) else {}
    return str(action.params["code"]), Bound.of(action.params), filters


def _status_for(store: ProjectStore, segment_id: int, code: str) -> Status:
    """Accepting what the current model suggested, or adding a code it did not suggest."""
    model = store.meta("current_model")
    rows = store.codings.for_segments([segment_id])[segment_id]
    suggested = any(c.origin == model and c.code_id == code for c in rows)
    return Status.ACCEPTED if suggested else Status.MANUAL
