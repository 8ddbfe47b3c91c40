"""Answers made of numbers: prevalence of a code, comparison across attributes, co-occurrence.

Each number comes from :class:`Corpus` (a store query) and says what it counts: interviews
(documents), respondents (speakers of a document) or respondent segments; accepted codings
(human rows) first, the current model's unreviewed suggestions separately.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import TypeVar

from tzcld_qual.attribute_labels import attribute_label
from tzcld_qual.chat.context import Context
from tzcld_qual.chat.corpus import Tally, has_code
from tzcld_qual.chat.filters import Filters, FilterValue, one, plain
from tzcld_qual.chat.intents import Parse
from tzcld_qual.chat.values import Answer
from tzcld_qual.chat.wording import (
    code_name,
    counted,
    filters_text,
    percent,
    share,
    unit_label,
    whose,
)

UNITS = ("documents", "respondents", "segments")
Scope = tuple[set[int], str | None]  # a compared group: its documents, and its respondent if it is one
NOT_SET = "—"
K = TypeVar("K")


def count(parse: Parse, ctx: Context) -> Answer:
    code = parse.slots.get("code")
    filters = _filters(parse)
    documents = ctx.corpus.document_ids(filters)
    if filters and not documents:
        return no_documents(parse, ctx, filters)
    if not isinstance(code, str):
        return _overview(parse, ctx, documents, filters)
    if parse.slots.get("who"):
        return _which_respondents(parse, ctx, code, documents, filters)
    without = parse.slots.get("without")
    if isinstance(without, str) and parse.slots.get("negated"):  # « ni F4 ni F5 »
        return _neither(parse, ctx, (code, without), documents, filters)
    if isinstance(without, str):
        return _but_not(parse, ctx, (code, without), documents, filters)
    asked = parse.slots.get("unit")
    if parse.slots.get("negated") and asked in ("segments", "respondents") and not parse.slots.get("list"):
        return _without(parse, ctx, code, documents, filters)
    if parse.slots.get("negated") or parse.slots.get("list") or parse.slots.get("ranked"):
        return _which_documents(parse, ctx, code, documents, filters)  # « et en vague 3 ? » after a ranking
    speaker = one(filters, "speaker")
    with_accepted = ctx.corpus.code_tally(code, documents, speaker=speaker)
    with_pending = ctx.corpus.code_tally(code, documents, suggestions=True, speaker=speaker)
    units = _units(parse)
    lang = ctx.lang
    scope = ctx.say("sous-codes compris", "sub-codes included") if ctx.codebook.children(code) else ""
    head = f"{code_name(ctx.codebook, code)}{filters_text(filters, lang)}"
    lines = [
        f"{head}{' — ' + scope if scope else ''} :" if lang == "fr" else f"{head}{' — ' + scope if scope else ''}:"
    ]
    lines += [
        f"• {unit_label(u, lang)} : {share(*with_accepted.count(u), lang)}"
        if lang == "fr"
        else f"• {unit_label(u, lang)}: {share(*with_accepted.count(u), lang)}"
        for u in units
    ]
    lines.append(
        ctx.say(
            "Compté sur les codages acceptés (décisions humaines « acceptée » ou « manuelle »).",
            'Counted on accepted codings (human decisions "accepted" or "manual").',
        )
    )
    lines.append(_pending_line(ctx, code, with_pending.segments - with_accepted.segments, with_pending, units[0]))
    if (
        not with_pending.segments
        and not ctx.corpus.code_tally(code, set(ctx.corpus.documents), suggestions=True).segments
    ):
        found = ctx.codebook.get(code)
        topic = parse.words or (found.label.lower() if found else code)
        lines.append(
            ctx.say(
                f"Aucun segment du projet n'est codé ni suggéré {code} : ce 0 ne dit pas que personne n'en parle. "
                f"Pour chercher : « qui parle de {topic} ? ».",
                f"No segment of the project is coded or suggested {code}: this 0 does not mean nobody talks about "
                f'it. To search: "who talks about {topic}?".',
            )
        )
    table = [
        [ctx.say("compte", "count"), ctx.say("acceptés", "accepted"), ctx.say("avec suggestions", "with suggestions")]
    ]
    table += [
        [unit_label(u, lang), share(*with_accepted.count(u), lang), share(*with_pending.count(u), lang)] for u in units
    ]
    return Answer(parse.intent, "\n".join(lines), table, [], None, dict(parse.slots))


def compare(parse: Parse, ctx: Context) -> Answer:
    compare_by = parse.slots.get("compare_by")
    code = parse.slots.get("code")
    filters = _filters(parse)
    lang = ctx.lang
    corpus = ctx.corpus
    if not isinstance(compare_by, str):
        names = sorted({attribute_label(a, lang) for d in corpus.documents.values() for a in d.attributes})
        text = ctx.say(
            "Comparer selon quel attribut ? Par exemple « Compare F5 par rôle », « entre la vague 1 et la "
            "vague 2 », « par territoire ». Attributs du projet : ",
            'Compare by which attribute? For example "Compare F5 by role", "between round 1 and round 2", '
            '"by territory". Attributes of the project: ',
        ) + ", ".join(names)
        return Answer(parse.intent, text, None, [], None, dict(parse.slots))
    base = corpus.document_ids(filters)
    groups = [str(g) for g in parse.slots.get("groups") or []]  # type: ignore[attr-defined]
    if not groups:
        groups = sorted({v for d in base if (v := corpus.value(d, compare_by))})
    speaker = one(filters, "speaker")
    members: dict[str, Scope]
    if compare_by == "speaker":  # a respondent per group, in the documents where they speak
        members = {g: (corpus.document_ids({**filters, "speaker": g}), g) for g in groups}
    else:
        members = {g: ({d for d in base if corpus.value(d, compare_by) == g}, speaker) for g in groups}
        unset = {d for d in base if not corpus.value(d, compare_by)}
        if unset and not parse.slots.get("groups"):
            members[NOT_SET] = (unset, speaker)
    label = attribute_label(compare_by, lang)
    if not members:
        return Answer(
            parse.intent,
            ctx.say(
                f"Aucun entretien n'a d'attribut « {compare_by} ».", f'No interview has a "{compare_by}" attribute.'
            ),
            None,
            [],
            None,
            dict(parse.slots),
        )
    if not isinstance(code, str):
        return _compare_codes(parse, ctx, label, members, filters)
    units = _units(parse)
    table = [
        [label]
        + [unit_label(u, lang) for u in units]
        + [ctx.say("+ suggestions (segments)", "+ suggestions (segments)")]
    ]
    summary = []
    shares: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {}  # group -> accepted, with suggestions
    for group, (documents, who) in members.items():
        tally = corpus.code_tally(code, documents, speaker=who)
        with_pending = corpus.code_tally(code, documents, suggestions=True, speaker=who)
        extra = with_pending.segments - tally.segments
        table.append([group] + [share(*tally.count(u), lang) for u in units] + [f"+{extra}"])
        summary.append(f"{group} {share(*tally.count(units[0]), lang)}")
        shares[group] = (tally.count(units[0]), with_pending.count(units[0]))
    head = f"{code_name(ctx.codebook, code)}{filters_text(filters, lang)}"
    text = ctx.say(
        f"{head} par {label}, en {unit_label(units[0], lang)} (codages acceptés) : " + " ; ".join(summary) + ".",
        f"{head} by {label}, in {unit_label(units[0], lang)} (accepted codings): " + "; ".join(summary) + ".",
    )
    text += "\n" + _model_note(ctx)
    if parse.slots.get("ranked") and shares:
        text = _top_line(ctx, shares, parse.slots.get("ranked") == "least", units[0]) + text
    return Answer(parse.intent, text, table, [], None, dict(parse.slots))


def _fraction(count: tuple[int, int]) -> float:
    return count[0] / count[1] if count[1] else 0.0


def _top_line(
    ctx: Context, shares: Mapping[str, tuple[tuple[int, int], tuple[int, int]]], least: bool, unit: str
) -> str:
    """« quelle vague parle le plus de F4 ? »: the groups were listed, the top one not named. By
    the share of accepted codings; with none accepted anywhere, by the share with suggestions (said)."""
    column = 0 if any(a[0] for a, _s in shares.values()) else 1
    values = {g: s[column] for g, s in shares.items() if g != NOT_SET}
    if not values:
        return ""
    best = (min if least else max)(_fraction(v) for v in values.values())
    top = sorted(g for g, v in values.items() if _fraction(v) == best)
    shown = ", ".join(f"{g} {share(*values[g], ctx.lang)}" for g in top)
    fr_how = "la plus faible" if least else "la plus forte"
    en_how = "lowest" if least else "highest"
    with_suggestions = ctx.say(", avec les suggestions : aucun codage accepté", ", with suggestions: none accepted")
    said = with_suggestions if column else ""
    return ctx.say(
        f"Part {fr_how} ({unit_label(unit, 'fr')}{said}) : {shown}.\n",
        f"The {en_how} share ({unit_label(unit, 'en')}{said}): {shown}.\n",
    )


def cooccurrence(parse: Parse, ctx: Context) -> Answer:
    code = parse.slots.get("code")
    if not isinstance(code, str):
        return _need_code(parse, ctx, ctx.say("Quels codes apparaissent avec F4 ?", "Which codes appear with F4?"))
    filters = _filters(parse)
    corpus = ctx.corpus
    documents = corpus.document_ids(filters)
    speaker = one(filters, "speaker")
    base = corpus.coded_segments(code, documents, speaker=speaker)
    name = code_name(ctx.codebook, code)
    lang = ctx.lang
    if not base:
        pending = corpus.coded_segments(code, documents, pending=True, speaker=speaker)
        return Answer(
            parse.intent,
            ctx.say(
                f"Aucun segment n'est codé {name}{filters_text(filters, lang)} (codages acceptés) ; "
                f"{len(pending)} suggestion(s) non revue(s).",
                f"No segment is coded {name}{filters_text(filters, lang)} (accepted codings); "
                f"{len(pending)} unreviewed suggestion(s).",
            ),
            None,
            [],
            None,
            dict(parse.slots),
        )
    top = ctx.codebook.roll_up(code)
    others = [c.id for c in ctx.codebook.top_level if c.id != top]
    if top != code:
        others = [c.id for c in ctx.codebook.children(top) if c.id != code] + others
    codes_on = corpus.applied_on(base)
    with_code_docs = {corpus.segment(s).document_id for s in base}
    rows = []
    for other in others:
        together = sum(1 for s in base if has_code(codes_on[s], other))
        docs = {corpus.segment(s).document_id for s in corpus.coded_segments(other, with_code_docs, speaker=speaker)}
        rows.append((together, len(docs), other))
    rows.sort(key=lambda r: (-r[0], -r[1], r[2]))
    table = [
        [
            ctx.say("code", "code"),
            ctx.say("libellé", "label"),
            ctx.say("segments en commun", "shared segments"),
            ctx.say(f"part des segments {code}", f"share of {code} segments"),
            ctx.say("entretiens où les deux apparaissent", "interviews with both"),
        ]
    ]
    for together, shared, other in rows:
        found_code = ctx.codebook.get(other)
        table.append(
            [
                other,
                found_code.label if found_code else other,
                str(together),
                percent(together, len(base), lang),
                share(shared, len(with_code_docs), lang),
            ]
        )
    found = [f"{other} {together}" for together, _d, other in rows if together][:5]
    text = ctx.say(
        f"Sur les {len(base)} segments codés {name}{filters_text(filters, lang)} (codages acceptés), codes "
        f"appliqués au même segment : " + (", ".join(found) if found else "aucun") + ".",
        f"Of the {len(base)} segments coded {name}{filters_text(filters, lang)} (accepted codings), codes "
        f"applied to the same segment: " + (", ".join(found) if found else "none") + ".",
    )
    return Answer(parse.intent, text, table, [], None, dict(parse.slots))


def _overview(parse: Parse, ctx: Context, documents: set[int], filters: Filters) -> Answer:
    corpus, lang = ctx.corpus, ctx.lang
    speaker = one(filters, "speaker")
    total = corpus.tally([], documents, speaker)
    table = [
        [
            ctx.say("code", "code"),
            ctx.say("libellé", "label"),
            unit_label("documents", lang),
            unit_label("respondents", lang),
            unit_label("segments", lang),
            ctx.say("+ suggestions (segments)", "+ suggestions (segments)"),
        ]
    ]
    for top in ctx.codebook.top_level:
        tally = corpus.code_tally(top.id, documents, speaker=speaker)
        extra = corpus.code_tally(top.id, documents, suggestions=True, speaker=speaker).segments - tally.segments
        table.append(
            [
                top.id,
                top.label,
                share(*tally.count("documents"), lang),
                share(*tally.count("respondents"), lang),
                share(*tally.count("segments"), lang),
                f"+{extra}",
            ]
        )
    text = ctx.say(
        f"Corpus{filters_text(filters, lang)} : {counted(total.documents_total, 'entretien', 'entretiens')}, "
        f"{counted(total.respondents_total, 'répondant', 'répondants')}, "
        f"{counted(total.segments_total, 'segment', 'segments')} de répondants. Par code (sous-codes compris, "
        f"codages acceptés) :",
        f"Corpus{filters_text(filters, lang)}: {total.documents_total} interviews, {total.respondents_total} "
        f"respondents, {total.segments_total} respondent segments. By code (sub-codes included, accepted "
        f"codings):",
    )
    return Answer(parse.intent, text + "\n" + _model_note(ctx), table, [], None, dict(parse.slots))


def _compare_codes(
    parse: Parse, ctx: Context, label: str, members: Mapping[str, Scope], filters: Filters
) -> Answer:
    unit = _units(parse)[0]
    lang = ctx.lang
    table = [[ctx.say("code", "code"), *members]]
    for top in ctx.codebook.top_level:
        row = [top.id]
        for documents, who in members.values():
            tally = ctx.corpus.code_tally(top.id, documents, speaker=who)
            cell = share(*tally.count(unit), lang)
            if ctx.corpus.suggesters:  # the note under the table promises these
                suggested = ctx.corpus.code_tally(top.id, documents, suggestions=True, speaker=who)
                extra = suggested.segments - tally.segments
                cell += f" +{extra} seg."  # suggested segments, whatever the unit of the share
            row.append(cell)
        table.append(row)
    text = ctx.say(
        f"Codes par {label}{filters_text(filters, lang)}, en {unit_label(unit, lang)} (codages acceptés, "
        f"sous-codes compris).",
        f"Codes by {label}{filters_text(filters, lang)}, in {unit_label(unit, lang)} (accepted codings, "
        f"sub-codes included).",
    )
    return Answer(parse.intent, text + "\n" + _model_note(ctx), table, [], None, dict(parse.slots))


def _which_documents(parse: Parse, ctx: Context, code: str, documents: set[int], filters: Filters) -> Answer:
    """« dans quels entretiens… », « quels entretiens n'abordent pas F5 ? »: the interviews by name,
    those an analyst coded apart from those only the model suggests; negated, the others."""
    corpus, lang = ctx.corpus, ctx.lang
    speaker = one(filters, "speaker")
    accepted = corpus.coded_documents(code, documents, speaker=speaker)
    suggested = corpus.coded_documents(code, documents, suggestions=True, speaker=speaker) - accepted
    negated = bool(parse.slots.get("negated"))
    status = {
        d: ctx.say("codage accepté", "accepted coding")
        if d in accepted
        else ctx.say(f"suggestion de {corpus.model} seulement", f"suggested by {corpus.model} only")
        if d in suggested
        else ctx.say("ni codage ni suggestion", "neither coding nor suggestion")
        for d in documents
    }
    shown = sorted(documents - accepted if negated else accepted | suggested, key=lambda d: corpus.documents[d].name)
    head = f"{code_name(ctx.codebook, code)}{filters_text(filters, lang)}"
    total = len(documents)
    if negated:
        text = ctx.say(
            f"Entretiens sans codage accepté {head} : {share(len(documents - accepted), total, lang)} ; dont "
            f"{len(documents - accepted - suggested)} sans même une suggestion non revue.",
            f"Interviews without an accepted coding {head}: {share(len(documents - accepted), total, lang)}; "
            f"{len(documents - accepted - suggested)} of them without even an unreviewed suggestion.",
        )
    else:
        text = ctx.say(
            f"Entretiens avec un codage accepté {head} : {share(len(accepted), total, lang)} ; avec une "
            f"suggestion non revue seulement : {len(suggested)}.",
            f"Interviews with an accepted coding {head}: {share(len(accepted), total, lang)}; with an unreviewed "
            f"suggestion only: {len(suggested)}.",
        )
    ranked = parse.slots.get("ranked")
    if ranked and not negated:  # « quels entretiens parlent le plus de F4 ? »: by how often, not by name
        mine = corpus.code_speakers(code, documents, speaker=speaker)
        theirs = corpus.code_speakers(code, documents, suggestions=True, speaker=speaker)
        by_document = _per_document(mine), _per_document(theirs)
        everyone = sorted(documents, key=lambda d: corpus.documents[d].name) if ranked == "least" else shown
        order = _ranking(everyone, by_document, ranked == "least")  # the least: those without any first
        table = [[ctx.say("entretien", "interview"), *_segment_headers(ctx)]]
        table += [[corpus.documents[d].name, *_segment_cells(d, by_document)] for d in order]
        return Answer(parse.intent, text + _ranking_note(ctx), table if shown else None, [], None, dict(parse.slots))
    table = [[ctx.say("entretien", "interview"), ctx.say("statut", "status")]]
    table += [[corpus.documents[d].name, status[d]] for d in shown]
    return Answer(parse.intent, text, table if shown else None, [], None, dict(parse.slots))


def _without(parse: Parse, ctx: Context, code: str, documents: set[int], filters: Filters) -> Answer:
    """« combien de segments sans F4 ? », « combien de répondants ne sont pas codés F4 ? »: those
    without the code, in the unit asked. It gave the interviews without F4 (49/50) to a question
    about segments (856/862)."""
    speaker = one(filters, "speaker")
    accepted = ctx.corpus.code_tally(code, documents, speaker=speaker)
    with_pending = ctx.corpus.code_tally(code, documents, suggestions=True, speaker=speaker)
    lang = ctx.lang
    head = f"{code_name(ctx.codebook, code)}{filters_text(filters, lang)}"
    lines = [ctx.say(f"Sans codage accepté {head} (sous-codes compris) :",
                     f"Without an accepted coding {head} (sub-codes included):")]  # fmt: skip
    table = [[ctx.say("compte", "count"), ctx.say("sans codage accepté", "without accepted coding"),
              ctx.say("sans même une suggestion", "without even a suggestion")]]  # fmt: skip
    for unit in _units(parse):
        coded, total = accepted.count(unit)
        suggested, _total = with_pending.count(unit)
        lines.append(
            ctx.say(
                f"• {unit_label(unit, lang)} : {share(total - coded, total, lang)} ; dont {total - suggested} sans "
                f"même une suggestion non revue",
                f"• {unit_label(unit, lang)}: {share(total - coded, total, lang)}; {total - suggested} of them "
                f"without even an unreviewed suggestion",
            )
        )
        table.append([unit_label(unit, lang), share(total - coded, total, lang), share(total - suggested, total, lang)])
    return Answer(parse.intent, "\n".join(lines), table, [], None, dict(parse.slots))


def _but_not(
    parse: Parse, ctx: Context, codes: tuple[str, str], documents: set[int], filters: Filters
) -> Answer:
    """« combien d'entretiens codés F4 mais pas codés F5 ? »: the interviews (respondents,
    segments) with an accepted F4 and no accepted F5, each unit on its own: an interview with F4
    in one answer and F5 in another is no interview without F5. It counted those without F4."""
    code, without = codes
    corpus, lang = ctx.corpus, ctx.lang
    speaker = one(filters, "speaker")
    turns = corpus.respondent_segments(documents, speaker)
    have: dict[str, Set[object]] = {
        "documents": corpus.coded_documents(code, documents, speaker=speaker),
        "respondents": set(corpus.code_speakers(code, documents, speaker=speaker)),
        "segments": set(corpus.coded_segments(code, documents, speaker=speaker)) & turns,
    }
    lack: dict[str, Set[object]] = {
        "documents": corpus.coded_documents(without, documents, speaker=speaker),
        "respondents": set(corpus.code_speakers(without, documents, speaker=speaker)),
        "segments": set(corpus.coded_segments(without, documents, speaker=speaker)),
    }
    tally = corpus.code_tally(code, documents, speaker=speaker)
    head = ctx.say(
        f"{code_name(ctx.codebook, code)} sans {code_name(ctx.codebook, without)}{filters_text(filters, lang)}",
        f"{code_name(ctx.codebook, code)} without {code_name(ctx.codebook, without)}{filters_text(filters, lang)}",
    )
    lines = [ctx.say(f"{head} (codages acceptés, sous-codes compris) :",
                     f"{head} (accepted codings, sub-codes included):")]  # fmt: skip
    table = [[ctx.say("compte", "count"), ctx.say(f"{code} sans {without}", f"{code} without {without}"),
              ctx.say(f"{code} en tout", f"{code} in all")]]  # fmt: skip
    for unit in _units(parse):
        kept, total = len(have[unit] - lack[unit]), tally.count(unit)[1]
        lines.append(
            ctx.say(
                f"• {unit_label(unit, lang)} : {share(kept, total, lang)} ; avec {code} en tout : {len(have[unit])}",
                f"• {unit_label(unit, lang)}: {share(kept, total, lang)}; with {code} in all: {len(have[unit])}",
            )
        )
        table.append([unit_label(unit, lang), share(kept, total, lang), share(len(have[unit]), total, lang)])
    if parse.slots.get("list"):  # « quels entretiens parlent de F4 mais pas de F5 ? »: their names
        names = sorted(corpus.documents[d].name for d in corpus.coded_documents(code, documents, speaker=speaker)
                       - corpus.coded_documents(without, documents, speaker=speaker))  # fmt: skip
        table = [[ctx.say("entretien", "interview")]] + [[n] for n in names]
    lines.append(
        ctx.say(
            "Les suggestions non revues du modèle ne comptent ni pour l'un ni pour l'autre.",
            "The model's unreviewed suggestions count for neither.",
        )
    )
    return Answer(parse.intent, "\n".join(lines), table, [], None, dict(parse.slots))


def _neither(
    parse: Parse, ctx: Context, codes: tuple[str, str], documents: set[int], filters: Filters
) -> Answer:
    """« combien d'entretiens ne parlent ni de F4 ni de F5 ? »: the interviews (respondents,
    segments) with no accepted coding of either code, each unit on its own; by name when asked
    which. It answered those without F4 and said F5 was not left out."""
    first, second = codes
    corpus, lang = ctx.corpus, ctx.lang
    speaker = one(filters, "speaker")
    turns = corpus.respondent_segments(documents, speaker)

    def carrying(suggestions: bool) -> dict[str, Set[object]]:
        return {
            "documents": corpus.coded_documents(first, documents, suggestions=suggestions, speaker=speaker)
            | corpus.coded_documents(second, documents, suggestions=suggestions, speaker=speaker),
            "respondents": set(corpus.code_speakers(first, documents, suggestions=suggestions, speaker=speaker))
            | set(corpus.code_speakers(second, documents, suggestions=suggestions, speaker=speaker)),
            "segments": turns & {s for code in codes for pending in {False, suggestions}
                                 for s in corpus.coded_segments(code, documents, pending=pending, speaker=speaker)},
        }  # fmt: skip

    accepted, with_pending = carrying(False), carrying(True)
    tally = corpus.code_tally(first, documents, speaker=speaker)
    names = code_name(ctx.codebook, first), code_name(ctx.codebook, second)
    head = ctx.say(f"Ni {names[0]} ni {names[1]}", f"Neither {names[0]} nor {names[1]}") + filters_text(filters, lang)
    lines = [ctx.say(f"{head} (codages acceptés, sous-codes compris) :",
                     f"{head} (accepted codings, sub-codes included):")]  # fmt: skip
    table = [[ctx.say("compte", "count"), ctx.say(f"ni {first} ni {second}", f"neither {first} nor {second}"),
              ctx.say("sans même une suggestion", "without even a suggestion")]]  # fmt: skip
    for unit in _units(parse):
        total = tally.count(unit)[1]
        left, bare = total - len(accepted[unit]), total - len(with_pending[unit])
        lines.append(
            ctx.say(
                f"• {unit_label(unit, lang)} : {share(left, total, lang)} ; dont {bare} sans même une suggestion "
                f"non revue de l'un ou de l'autre",
                f"• {unit_label(unit, lang)}: {share(left, total, lang)}; {bare} of them without even an "
                f"unreviewed suggestion of either",
            )
        )
        table.append([unit_label(unit, lang), share(left, total, lang), share(bare, total, lang)])
    if parse.slots.get("list"):  # « quels entretiens ne parlent ni de F4 ni de F5 ? »: their names
        table = [[ctx.say("entretien", "interview"), ctx.say("statut", "status")]]
        table += [
            [corpus.documents[d].name,
             ctx.say("suggestion de l'un ou l'autre seulement", "suggestion of either only")
             if d in with_pending["documents"] else ctx.say("ni codage ni suggestion", "neither coding nor suggestion")]
            for d in sorted(documents - accepted["documents"], key=lambda d: corpus.documents[d].name)
        ]  # fmt: skip
    return Answer(parse.intent, "\n".join(lines), table, [], None, dict(parse.slots))


_SHOWN_PEOPLE = 25


def _which_respondents(
    parse: Parse, ctx: Context, code: str, documents: set[int], filters: Filters
) -> Answer:
    """« qui parle de F4 ? », « quels salariés parlent le plus de F5 ? »: the respondents by name,
    with their segments carrying the code (accepted, then with the model's open suggestions), the
    most first. It answered how many, which is not who."""
    corpus, lang = ctx.corpus, ctx.lang
    speaker = one(filters, "speaker")
    accepted = corpus.code_speakers(code, documents, speaker=speaker)
    suggested = corpus.code_speakers(code, documents, suggestions=True, speaker=speaker)
    without = parse.slots.get("without")
    name = code_name(ctx.codebook, code)
    if isinstance(without, str):  # « qui parle de F4 mais pas de F5 ? »: who has F4 and no accepted F5
        lacking = set(corpus.code_speakers(without, documents, speaker=speaker))
        accepted = {k: n for k, n in accepted.items() if k not in lacking}
        suggested = {k: n for k, n in suggested.items() if k not in lacking}
        name += ctx.say(f" sans codage accepté {code_name(ctx.codebook, without)}",
                        f" without an accepted coding {code_name(ctx.codebook, without)}")  # fmt: skip
    counts = accepted, suggested
    least = parse.slots.get("ranked") == "least"
    people = sorted(set(accepted) | set(suggested))
    if least:  # « qui parle le moins de F3 ? »: those who never do first
        people = sorted((d, w) for d in documents for w in corpus.speakers.get(d, {}) if speaker in (None, w))
    order = _ranking(people, counts, least)
    total = corpus.code_tally(code, documents, speaker=speaker).respondents_total
    head = f"{name}{filters_text(filters, lang)}"
    text = ctx.say(
        f"Répondants avec un codage accepté {head} : {share(len(accepted), total, lang)} ; avec une suggestion "
        f"non revue seulement : {len(set(suggested) - set(accepted))}.",
        f"Respondents with an accepted coding {head}: {share(len(accepted), total, lang)}; with an unreviewed "
        f"suggestion only: {len(set(suggested) - set(accepted))}.",
    )
    if not order:
        return Answer(parse.intent, text, None, [], None, dict(parse.slots))
    table = [[ctx.say("répondant", "respondent"), ctx.say("entretien", "interview"), *_segment_headers(ctx)]]
    for document, who in order[:_SHOWN_PEOPLE]:
        table.append([who, corpus.documents[document].name, *_segment_cells((document, who), counts)])
    if len(order) > _SHOWN_PEOPLE:
        more = len(order) - _SHOWN_PEOPLE
        table.append(["…", ctx.say(f"+{more} autres", f"+{more} more"), "", ""])
    return Answer(parse.intent, text + _ranking_note(ctx), table, [], None, dict(parse.slots))


def _per_document(counts: Mapping[tuple[int, str], int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for (document, _who), n in counts.items():
        out[document] = out.get(document, 0) + n
    return out


def _ranking(keys: list[K], counts: tuple[Mapping[K, int], Mapping[K, int]], least: bool) -> list[K]:
    """Most accepted segments first, then most with suggestions (fewest first, ``least``)."""
    accepted, suggested = counts
    sign = 1 if least else -1
    return sorted(keys, key=lambda k: (sign * accepted.get(k, 0), sign * suggested.get(k, 0)))


def _segment_headers(ctx: Context) -> list[str]:
    return [ctx.say("segments acceptés", "accepted segments"), ctx.say("avec suggestions", "with suggestions")]


def _segment_cells(key: K, counts: tuple[Mapping[K, int], Mapping[K, int]]) -> list[str]:
    return [str(counts[0].get(key, 0)), str(counts[1].get(key, 0))]


def _ranking_note(ctx: Context) -> str:
    return "\n" + ctx.say(
        "Classés par segments acceptés, puis avec les suggestions non revues : un nombre de segments dit combien "
        "de passages, pas l'importance du thème pour la personne.",
        "Ranked by accepted segments, then with unreviewed suggestions: a number of segments says how many "
        "passages, not how much the theme matters to the person.",
    )


def _pending_line(ctx: Context, code: str, pending: int, with_pending: Tally, unit: str) -> str:
    corpus = ctx.corpus
    if not corpus.suggesters:
        return ctx.say(
            "Aucun modèle courant : pas de suggestions à ajouter.", "No current model: no suggestions to add."
        )
    if not pending:
        return ctx.say(
            f"Aucune suggestion non revue {whose(corpus.suggesters, 'fr')} en plus.",
            f"No further unreviewed suggestion of {whose(corpus.suggesters, 'en')}.",
        )
    lang = ctx.lang
    by = corpus.suggested_by(code)
    return ctx.say(
        f"Suggestions non revues {whose(by, 'fr')} : +{pending} segments ; avec elles : "
        f"{share(*with_pending.count(unit), lang)} {unit_label(unit, lang)}.",
        f"Unreviewed suggestions of {whose(by, 'en')}: +{pending} segments; with them: "
        f"{share(*with_pending.count(unit), lang)} {unit_label(unit, lang)}.",
    )


def _model_note(ctx: Context) -> str:
    suggesters = ctx.corpus.suggesters
    if not suggesters:
        return ctx.say("Aucun modèle courant : pas de suggestions.", "No current model: no suggestions.")
    return ctx.say(
        f"« + suggestions » : segments suggérés, non encore revus (suggestions {whose(suggesters, 'fr')}).",
        f'"+ suggestions": segments suggested, not reviewed yet (suggestions of {whose(suggesters, "en")}).',
    )



def _units(parse: Parse) -> list[str]:
    unit = parse.slots.get("unit")
    first = unit if unit in UNITS else "documents"
    return [first] + [u for u in UNITS if u != first]


def _filters(parse: Parse) -> dict[str, FilterValue]:
    return plain(parse.slots.get("filters"))


def no_documents(parse: Parse, ctx: Context, filters: Filters) -> Answer:
    return Answer(
        parse.intent,
        ctx.say(
            f"Aucun entretien{filters_text(filters, 'fr')} dans ce projet.",
            f"No interview{filters_text(filters, 'en')} in this project.",
        ),
        None,
        [],
        None,
        dict(parse.slots),
    )


def _need_code(parse: Parse, ctx: Context, example: str) -> Answer:
    codes = ", ".join(c.id for c in ctx.codebook.top_level)
    return Answer(
        parse.intent,
        ctx.say(
            f"De quel code s'agit-il ? Par exemple : « {example} ». Codes : {codes}.",
            f'Which code? For example: "{example}". Codes: {codes}.',
        ),
        None,
        [],
        None,
        dict(parse.slots),
    )
