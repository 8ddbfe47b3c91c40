"""Answers made of the corpus' own words: quotes of a code, semantic search, one segment, "why".

Every quote is ``segment.text`` as stored, cited as [document · speaker · segment id] with the
attributes of its document; nothing is paraphrased or shortened in the quote itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from tzcld_qual.chat.context import Context
from tzcld_qual.chat.corpus import Corpus, has_code, matching_code
from tzcld_qual.chat.filters import FilterValue, one, plain
from tzcld_qual.chat.intents import Parse
from tzcld_qual.chat.values import Action, Answer, Quote
from tzcld_qual.chat.wording import attributes_text, citation, code_name, decimal, filters_text, whose
from tzcld_qual.model import Coding, Segment, Status

DEFAULT_QUOTES = 5
MAX_QUOTES = 50


def quotes(parse: Parse, ctx: Context) -> Answer:
    code = parse.slots.get("code")
    if not isinstance(code, str):
        if parse.slots.get("query"):
            return search(parse, ctx)
        if {"speaker", "document"} & set(_filters(parse)):
            return their_words(parse, ctx)
        return Answer(
            parse.intent,
            ctx.say(
                "Des citations sur quoi ? Nommez un code (« 5 citations sur F3.formation ») ou un sujet "
                "(« des citations sur la honte d'être au chômage »).",
                'Quotes about what? Name a code ("5 quotes on F3.formation") or a topic '
                '("quotes about the shame of unemployment").',
            ),
            None,
            [],
            None,
            dict(parse.slots),
        )
    if parse.slots.get("negated"):
        return without_code(parse, ctx, code)
    limit = _limit(parse)
    filters = _filters(parse)
    corpus = ctx.corpus
    documents = corpus.document_ids(filters)
    speaker = one(filters, "speaker")
    # « citations F4 sans F5 »: those coded F4 that carry no accepted F5 (nor a sub-code)
    without = parse.slots.get("without")
    left_out = set(corpus.coded_segments(without, documents, speaker=speaker)) if isinstance(without, str) else set()
    accepted = spread([s for s in corpus.coded_segments(code, documents, speaker=speaker) if s not in left_out], corpus)
    chosen = accepted[:limit]
    suggested: list[int] = []
    if len(chosen) < limit:
        done = set(accepted) | left_out
        pending = [s for s in corpus.coded_segments(code, documents, pending=True, speaker=speaker) if s not in done]
        pending.sort(key=lambda s: -_confidence(corpus.pending(code)[s], code))
        suggested = pending[: limit - len(chosen)]
    found = _quotes(ctx, chosen, code) + _quotes(ctx, suggested, code, pending=True)
    name = code_name(ctx.codebook, code)
    if isinstance(without, str):
        name += ctx.say(
            f" sans codage accepté {code_name(ctx.codebook, without)} (sous-codes compris)",
            f" without an accepted coding {code_name(ctx.codebook, without)} (sub-codes included)",
        )
    where = filters_text(filters, ctx.lang)
    if not found:
        text = ctx.say(
            f"Aucun segment codé {name}{where}, ni accepté ni suggéré.",
            f"No segment coded {name}{where}, accepted or suggested.",
        )
        target = ctx.codebook.get(code)
        # not a dead end: the passages closest in meaning (none for « F4 sans F5 »: they would not lack F5)
        if ctx.search is not None and target is not None and not isinstance(without, str):
            nearest = search(replace(parse, slots={**parse.slots, "query": parse.words or target.label}), ctx)
            if nearest.quotes:
                said = ctx.say(
                    " Voici les passages les plus proches par le sens de vos mots, codés ou non :"
                    if parse.words
                    else " Voici les passages les plus proches de son libellé par le sens, codés ou non :",
                    " Here are the passages closest to your words in meaning, coded or not:"
                    if parse.words
                    else " Here are the passages closest to its label in meaning, coded or not:",
                )
                return replace(nearest, intent=parse.intent, text=text + said + "\n" + nearest.text)
        return Answer(parse.intent, text, None, [], None, dict(parse.slots))
    head = ctx.say(
        f"{len(chosen)} citation(s) codée(s) {name}{where} (codages acceptés, {len(accepted)} au total, "
        f"réparties entre les entretiens)",
        f"{len(chosen)} quote(s) coded {name}{where} (accepted codings, {len(accepted)} in all, spread "
        f"across interviews)",
    )
    if suggested and not chosen:  # "0 citation(s) codée(s) … 0 au total" read as a contradiction
        head = ctx.say(
            f"Aucun codage accepté {name}{where} : {len(suggested)} suggestion(s) non revue(s) "
            f"{whose(corpus.suggested_by(code), 'fr')} (sur {len(pending)}), à vérifier",
            f"No accepted coding {name}{where}: {len(suggested)} unreviewed suggestion(s) of "
            f"{whose(corpus.suggested_by(code), 'en')} (of {len(pending)}), to check",
        )
    elif suggested:
        head += ctx.say(
            f", puis {len(suggested)} suggestion(s) non revue(s) {whose(corpus.suggested_by(code), 'fr')} "
            f"(sur {len(pending)})",
            f", then {len(suggested)} unreviewed suggestion(s) of {whose(corpus.suggested_by(code), 'en')} "
            f"(of {len(pending)})",
        )
    lines = [head + " :" if ctx.lang == "fr" else head + ":"]
    lines += [quote_line(i, q, ctx) for i, q in enumerate(found, 1)]
    return Answer(parse.intent, "\n".join(lines), None, found, None, dict(parse.slots))


def without_code(parse: Parse, ctx: Context, code: str) -> Answer:
    """« citations de salariés non codées F4 », « citations des élus sans F1 »: answers that lack
    the code (no accepted coding of it or of a sub-code); it quoted those that carry it, the
    negation dropped. Those the model suggests it for come last, and say so."""
    filters = _filters(parse)
    corpus = ctx.corpus
    documents = corpus.document_ids(filters)
    speaker = one(filters, "speaker")
    turns = sorted(corpus.respondent_segments(documents, speaker))
    without = parse.slots.get("without")  # « citations sans F4 ni F5 »: lacking both
    lacked = [code, without] if isinstance(without, str) else [code]
    coded = {s for c in lacked for s in corpus.coded_segments(c, documents, speaker=speaker)}
    suggested = {s for c in lacked for s in corpus.coded_segments(c, documents, pending=True, speaker=speaker)} - coded
    left = [s for s in turns if s not in coded]
    plain_ones = [s for s in left if s not in suggested]
    chosen = (spread(plain_ones, corpus) + spread([s for s in left if s in suggested], corpus))[: _limit(parse)]
    found = _quotes(ctx, chosen, None)
    name = ctx.say(" ni ", " nor ").join(code_name(ctx.codebook, c) for c in lacked)
    where = filters_text(filters, ctx.lang)
    if not found:
        text = ctx.say(
            f"Aucune réponse{where} sans codage accepté {name} : toutes le portent ({len(turns)}).",
            f"No answer{where} without an accepted coding {name}: all of them carry it ({len(turns)}).",
        )
        return Answer(parse.intent, text, None, [], None, dict(parse.slots))
    lack = ("portent aucun des deux", "both") if len(lacked) > 1 else ("le portent pas", "it")
    lines = [
        ctx.say(
            f"{len(found)} réponse(s){where} sans codage accepté {name} (sous-codes compris) : {len(left)} sur "
            f"{len(turns)} ne {lack[0]}, dont {len(left) - len(plain_ones)} avec une suggestion non revue "
            f"{whose(corpus.suggesters, 'fr')} (montrées en dernier), réparties entre les entretiens :",
            f"{len(found)} answer(s){where} without an accepted coding {name} (sub-codes included): {len(left)} of "
            f"{len(turns)} lack {lack[1]}, {len(left) - len(plain_ones)} of them with an unreviewed suggestion of "
            f"{whose(corpus.suggesters, 'en')} (shown last), spread across interviews:",
        )
    ]
    applied = corpus.applied_on([q.segment_id for q in found])
    for number, quote in enumerate(found, 1):
        codes = sorted(applied[quote.segment_id])
        open_ = ctx.say(f" — {'/'.join(lacked)} suggéré, non revu", f" — {'/'.join(lacked)} suggested, unreviewed")
        lines.append(
            quote_line(number, replace(quote, status=None), ctx)
            + (ctx.say(" — codé ", " — coded ") + ", ".join(codes) if codes else "")
            + (open_ if quote.segment_id in suggested else "")
        )
    return Answer(parse.intent, "\n".join(lines), None, found, None, dict(parse.slots))


def their_words(parse: Parse, ctx: Context) -> Answer:
    """« citations de Nadia », « verbatims de demo-03 »: a respondent's or an interview's answers,
    those an analyst coded first, spread across interviews (two Nadias: both heard), each with
    the codes accepted on it."""
    filters = _filters(parse)
    corpus = ctx.corpus
    documents = corpus.document_ids(filters)
    turns = sorted(corpus.respondent_segments(documents, one(filters, "speaker")))
    applied = corpus.applied_on(turns)
    coded = [s for s in turns if applied[s]]
    chosen = (spread(coded, corpus) + spread([s for s in turns if not applied[s]], corpus))[: _limit(parse)]
    found = _quotes(ctx, chosen, None)
    where = filters_text(filters, ctx.lang)
    if not found:
        text = ctx.say(f"Aucune réponse{where}.", f"No answer{where}.")
        return Answer(parse.intent, text, None, [], None, dict(parse.slots))
    lines = [
        ctx.say(
            f"{len(found)} réponse(s){where} sur {len(turns)}, les codées d'abord ({len(coded)} le sont, codages "
            f"acceptés), réparties entre les entretiens :",
            f"{len(found)} answer(s){where} of {len(turns)}, coded ones first ({len(coded)} are, accepted "
            f"codings), spread across interviews:",
        )
    ]
    for number, quote in enumerate(found, 1):
        codes = sorted(applied[quote.segment_id])
        lines.append(
            quote_line(number, replace(quote, status=None) if codes else quote, ctx)
            + (ctx.say(" — codé ", " — coded ") + ", ".join(codes) if codes else "")
        )
    return Answer(parse.intent, "\n".join(lines), None, found, None, dict(parse.slots))


def search(parse: Parse, ctx: Context) -> Answer:
    query = parse.slots.get("query")
    if not isinstance(query, str) or not query:
        return Answer(
            parse.intent,
            ctx.say(
                "Chercher quoi ? Par exemple : « Qui parle de la honte d'être au chômage ? »",
                'Search for what? For example: "Who talks about the shame of being unemployed?"',
            ),
            None,
            [],
            None,
            dict(parse.slots),
        )
    if ctx.search is None:
        return Answer(
            parse.intent,
            ctx.say(
                "La recherche par le sens n'est pas disponible : aucun modèle d'embedding n'est chargé.",
                "Semantic search is not available: no embedding model is loaded.",
            ),
            None,
            [],
            None,
            dict(parse.slots),
        )
    filters = _filters(parse)
    allowed = None
    if filters:
        documents = ctx.corpus.document_ids(filters)
        allowed = ctx.corpus.respondent_segments(documents, one(filters, "speaker"))
    hits = ctx.search(query, _limit(parse), allowed)
    if not hits:
        return Answer(
            parse.intent,
            ctx.say(
                f"Aucun segment de répondant{filters_text(filters, 'fr')} à chercher.",
                f"No respondent segment{filters_text(filters, 'en')} to search.",
            ),
            None,
            [],
            None,
            dict(parse.slots),
        )
    similarity = dict(hits)
    found = _quotes(ctx, [h[0] for h in hits], None)
    applied = ctx.corpus.applied_on([q.segment_id for q in found])
    lines = [
        ctx.say(
            f"Segments les plus proches par le sens de « {query} »{filters_text(filters, 'fr')} (recherche "
            f"sémantique, similarité cosinus ; vérifiez chaque extrait) :",
            f'Segments closest in meaning to "{query}"{filters_text(filters, "en")} (semantic search, cosine '
            f"similarity; check each excerpt):",
        )
    ]
    table = [
        [
            ctx.say("rang", "rank"),
            ctx.say("similarité", "similarity"),
            "document",
            ctx.say("locuteur", "speaker"),
            "segment",
            ctx.say("codes acceptés", "accepted codes"),
        ]
    ]
    for i, q in enumerate(found, 1):
        lines.append(
            quote_line(i, q, ctx) + f" — {ctx.say('similarité', 'similarity')} "
            f"{decimal(similarity[q.segment_id], ctx.lang)}"
        )
        table.append(
            [
                str(i),
                decimal(similarity[q.segment_id], ctx.lang),
                q.document,
                q.speaker,
                str(q.segment_id),
                ", ".join(sorted(applied[q.segment_id])) or "—",
            ]
        )
    if parse.scores.get("count", 0.0) >= 3:  # « combien de salariés parlent des horaires ? »
        lines.append(
            ctx.say(
                "Un sujet sans code ne se compte pas : ce sont les passages les plus proches, pas un nombre de "
                "personnes. Pour compter, nommez un code (« combien de salariés parlent de F4 ? »).",
                "A topic without a code cannot be counted: these are the closest passages, not a number of people. "
                'To count, name a code ("how many employees talk about F4?").',
            )
        )
    return Answer(parse.intent, "\n".join(lines), table, found, None, dict(parse.slots))


def why(parse: Parse, ctx: Context) -> Answer:
    segment_id = target_segment(parse, ctx)
    code = parse.slots.get("code")
    if segment_id is None:
        return Answer(
            parse.intent,
            ctx.say(
                "Quel segment ? Donnez son numéro : « Pourquoi le segment 1234 est-il codé F3 ? » (ou posez la "
                "question juste après une réponse qui le cite).",
                'Which segment? Give its number: "Why is segment 1234 coded F3?" (or ask right after an '
                "answer that quotes it).",
            ),
            None,
            [],
            None,
            dict(parse.slots),
        )
    segment = ctx.store.documents.segment(segment_id)
    if segment is None:
        return missing_segment(parse, ctx, segment_id)
    slots = dict(parse.slots, segment_id=segment_id)
    codings = ctx.store.codings.for_segments([segment_id])[segment_id]
    if isinstance(code, str):
        codings = [c for c in codings if has_code([c.code_id], code)]
    model = ctx.corpus.model
    kinds = {c.origin: ctx.store.codings.coder_kind(c.origin) for c in codings}
    suggestions = sorted(
        (c for c in codings if kinds[c.origin] == "model"), key=lambda c: (c.origin != model, c.code_id, c.origin)
    )
    decisions = [c for c in codings if kinds[c.origin] == "human"]
    lines = [
        ctx.say(
            f"Segment {segment_id} {citation(segment.document, segment.speaker, segment.id)} :",
            f"Segment {segment_id} {citation(segment.document, segment.speaker, segment.id)}:",
        ),
        f"« {segment.text} »",
    ]
    for c in suggestions:
        lines.append(
            ctx.say(
                f"• {code_name(ctx.codebook, c.code_id)} — suggéré par {c.origin} (confiance "
                f"{decimal(c.confidence, 'fr')}). Explication enregistrée : {c.explanation or '(aucune)'}",
                f"• {code_name(ctx.codebook, c.code_id)} — suggested by {c.origin} (confidence "
                f"{decimal(c.confidence, 'en')}). Stored explanation: {c.explanation or '(none)'}",
            )
        )
    for c in decisions:
        lines.append(
            ctx.say(
                f"• {code_name(ctx.codebook, c.code_id)} — décision de {c.origin} : {_status_fr(c)}.",
                f"• {code_name(ctx.codebook, c.code_id)} — decision by {c.origin}: {c.status.value}.",
            )
        )
    if not suggestions and not decisions:
        lines.append(_not_coded(ctx, segment_id, code))
    elif not suggestions:
        lines.append(
            ctx.say(
                "Aucun modèle ne l'a suggéré : le codage est une décision humaine, sans explication de modèle.",
                "No model suggested it: the coding is a human decision, with no model explanation.",
            )
        )
    quote = _quotes(ctx, [segment_id], code if isinstance(code, str) else None)
    return Answer(parse.intent, "\n".join(lines), None, quote, None, slots)


def open_segment(parse: Parse, ctx: Context) -> Answer:
    segment_id = target_segment(parse, ctx)
    if segment_id is None:
        return Answer(
            parse.intent,
            ctx.say("Quel segment ? « ouvre le segment 1234 ».", 'Which segment? "open segment 1234".'),
            None,
            [],
            None,
            dict(parse.slots),
        )
    segment = ctx.store.documents.segment(segment_id)
    if segment is None:
        return missing_segment(parse, ctx, segment_id)
    if segment.document_id not in ctx.corpus.documents:
        return Answer(parse.intent, out_of_project(ctx, segment), None, [], None, dict(parse.slots))
    applied = sorted(ctx.corpus.applied_on([segment_id])[segment_id])
    pending = sorted(ctx.corpus.pending_on([segment_id])[segment_id])
    lines = [
        f"{citation(segment.document, segment.speaker, segment.id)} « {segment.text} »",
        ctx.say(
            f"Codes acceptés : {', '.join(applied) or 'aucun'} ; suggestions non revues : "
            f"{', '.join(pending) or 'aucune'}.",
            f"Accepted codes: {', '.join(applied) or 'none'}; unreviewed suggestions: {', '.join(pending) or 'none'}.",
        ),
    ]
    if decided := _decisions(ctx, segment_id):
        lines.append(decided)
    text = "\n".join(lines)
    return Answer(
        parse.intent,
        text,
        None,
        _quotes(ctx, [segment_id], None),
        Action("open_segment", {"segment_id": segment_id}),
        dict(parse.slots, segment_id=segment_id),
    )


_DECIDED = {
    Status.ACCEPTED: ("acceptée", "accepted"),
    Status.MANUAL: ("ajoutée", "added"),
    Status.REJECTED: ("rejetée", "rejected"),
}


def _decisions(ctx: Context, segment_id: int) -> str:
    """Who decided what on the segment, and when: « qui a accepté le segment 8 ? » showed the
    codes without a name."""
    rows = [c for c in ctx.store.codings.for_segments([segment_id])[segment_id] if c.status in _DECIDED]
    if not rows:
        return ""
    said = [
        ctx.say(
            f"{c.code_id} {_DECIDED[c.status][0]} par {c.origin} ({when(c.updated_at)})",
            f"{c.code_id} {_DECIDED[c.status][1]} by {c.origin} ({when(c.updated_at)})",
        )
        for c in sorted(rows, key=lambda c: (c.code_id, c.updated_at, c.origin))
    ]
    return ctx.say("Décisions : ", "Decisions: ") + ctx.say(" ; ", "; ").join(said) + "."


def when(stamp: str) -> str:
    """« 2026-11-30 06:20 UTC » from a stored ISO time (stored in UTC)."""
    return stamp[:16].replace("T", " ") + " UTC"


def targeted(parse: Parse, ctx: Context, which: tuple[str, str]) -> Segment | Answer:
    """The segment an order is about (named, or shown by the last answer), or the answer saying why
    there is none: not said (``which``, French and English, asks for it), missing, or removed from
    the project (an order there would change what nobody sees)."""
    segment_id = target_segment(parse, ctx)
    if segment_id is None:
        return Answer(parse.intent, ctx.say(*which), None, [], None, dict(parse.slots))
    segment = ctx.store.documents.segment(segment_id)
    if segment is None:
        return missing_segment(parse, ctx, segment_id)
    if segment.document_id not in ctx.corpus.documents:
        return Answer(parse.intent, out_of_project(ctx, segment), None, [], None, dict(parse.slots))
    return segment


def target_segment(parse: Parse, ctx: Context) -> int | None:
    """The segment named in the question, else (« ce segment », « le deuxième ») one the last answer showed."""
    segment_id = parse.slots.get("segment_id")
    if isinstance(segment_id, int):
        return segment_id
    rank = parse.slots.get("rank", 0)
    shown = ctx.previous_segments
    if not isinstance(rank, int) or not shown or rank >= len(shown):
        return None
    return shown[rank]


def spread(segment_ids: Sequence[int], corpus: Corpus) -> list[int]:
    """Segments taken in turn from each document (reading order within one), so five quotes are
    not five turns of the same interview."""
    by_document: dict[int, list[int]] = {}
    for s in segment_ids:
        by_document.setdefault(corpus.segment(s).document_id, []).append(s)
    queues = list(by_document.values())
    out: list[int] = []
    depth = 0
    while len(out) < len(segment_ids):
        for queue in queues:
            if depth < len(queue):
                out.append(queue[depth])
        depth += 1
    return out


def quote_line(number: int, quote: Quote, ctx: Context) -> str:
    line = f"{number}. « {quote.text} » {citation(quote.document, quote.speaker, quote.segment_id)}"
    about = attributes_text(quote.attributes)
    if about:
        line += f" — {about}"
    if quote.status == "suggested":
        line += ctx.say(
            f" (suggestion {quote.code}, confiance {decimal(quote.confidence, 'fr')}, non revue)",
            f" (suggestion {quote.code}, confidence {decimal(quote.confidence, 'en')}, unreviewed)",
        )
    return line


def segment_quotes(ctx: Context, segment_ids: Sequence[int]) -> list[Quote]:
    """These segments quoted with their citations, in the given order (no code asked about)."""
    return _quotes(ctx, segment_ids, None)


def _quotes(ctx: Context, segment_ids: Sequence[int], code: str | None, *, pending: bool = False) -> list[Quote]:
    if not segment_ids:
        return []
    ids = list(segment_ids)
    segments = {s.id: s for s in ctx.store.documents.segments(ids=ids, current=False)}
    model_rows = _model_rows(ctx, ids)
    applied, suggested = ctx.corpus.applied_on(ids), ctx.corpus.pending_on(ids)
    out = []
    for segment_id in ids:
        segment = segments.get(segment_id)
        if segment is None:
            continue
        which, status = _which(code, applied[segment_id], suggested[segment_id], pending)
        document = ctx.corpus.documents.get(segment.document_id)
        confidence = model_rows.get(segment_id, {}).get(which) if which else None
        out.append(
            Quote(
                segment.text,
                segment.document,
                segment.speaker,
                segment.id,
                dict(document.attributes) if document else {},
                which,
                status,
                confidence,
            )
        )
    return out


def _which(
    code: str | None, applied: Mapping[str, str], suggested: Mapping[str, float | None], pending: bool
) -> tuple[str | None, str | None]:
    """The code a quote illustrates and its status: the sub-code that applies, else the suggestion."""
    if code is None:  # a search hit or a segment: its first accepted code, else its first suggestion
        found = sorted(applied) or sorted(suggested)
        which = found[0] if found else None
    elif pending:
        return matching_code(suggested, code), "suggested"
    else:
        which = matching_code(applied, code) or matching_code(suggested, code)
    if which is None:
        return None, None
    return which, applied.get(which, "suggested")


def _model_rows(ctx: Context, segment_ids: Sequence[int]) -> dict[int, dict[str, float | None]]:
    """The current model's confidence for each code it suggested on these segments."""
    model = ctx.corpus.model
    if not model:
        return {}
    rows = ctx.store.codings.for_segments(list(segment_ids))
    return {s: {c.code_id: c.confidence for c in codings if c.origin == model} for s, codings in rows.items()}


def _not_coded(ctx: Context, segment_id: int, code: object) -> str:
    model = ctx.corpus.model
    what = code if isinstance(code, str) else ctx.say("d'aucun code", "any code")
    base = ctx.say(
        f"Ce segment n'est codé {what} ni par un modèle ni par un analyste.",
        f"This segment is not coded {what}, by a model or by an analyst.",
    )
    if not model or not isinstance(code, str):
        return base
    scores = ctx.store.codings.scores(model, [segment_id]).get(segment_id, {})
    run = ctx.store.runs.get(model) or {}
    params = run.get("params") or {}
    thresholds = params.get("thresholds", {}) if isinstance(params, dict) else {}
    if code not in scores:
        return base
    return base + ctx.say(
        f" Score de {model} pour {code} : {decimal(scores[code], 'fr')} (seuil {decimal(thresholds.get(code), 'fr')}).",
        f" Score of {model} for {code}: {decimal(scores[code], 'en')} (threshold "
        f"{decimal(thresholds.get(code), 'en')}).",
    )


def _status_fr(coding: Coding) -> str:
    return {"accepted": "acceptée", "rejected": "rejetée", "manual": "ajout manuel"}.get(
        coding.status.value, coding.status.value
    )


def out_of_project(ctx: Context, segment: Segment) -> str:
    """A segment of a removed document, or of a version a re-import replaced."""
    return ctx.say(
        f"Le segment {segment.id} (« {segment.document} ») n'est plus dans le projet : document retiré "
        f"(tzcld-qual restore le fait revenir) ou version remplacée par un nouvel import.",
        f"Segment {segment.id} (« {segment.document} ») is no longer in the project: a removed document "
        f"(tzcld-qual restore brings it back) or a version replaced by a new import.",
    )


def missing_segment(parse: Parse, ctx: Context, segment_id: int) -> Answer:
    return Answer(
        parse.intent,
        ctx.say(
            f"Le segment {segment_id} n'existe pas dans ce projet.",
            f"Segment {segment_id} does not exist in this project.",
        ),
        None,
        [],
        None,
        dict(parse.slots),
    )


def _confidence(codes: Mapping[str, float | None], code: str) -> float:
    values = [v for c, v in codes.items() if has_code([c], code) and v is not None]
    return max(values) if values else 0.0


def _limit(parse: Parse) -> int:
    limit = parse.slots.get("limit")
    return max(1, min(int(limit), MAX_QUOTES)) if isinstance(limit, int) else DEFAULT_QUOTES


def _filters(parse: Parse) -> dict[str, FilterValue]:
    return plain(parse.slots.get("filters"))
