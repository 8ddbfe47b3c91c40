"""What the project holds: « liste les entretiens », « qui sont les répondants ? », « quels codes ? ».

An analyst who opens a project asks first what is in it. Each interview and respondent comes with
where the coding stands (segments coded, reviewed, with a suggestion still open), counted in the
store, so the list doubles as a progress sheet and can be narrowed to one state (« pas encore
codés »); the codes come with their sub-codes and how often each applies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tzcld_qual.attribute_labels import attribute_label
from tzcld_qual.chat import counts
from tzcld_qual.chat.context import Context
from tzcld_qual.chat.filters import Filters, one, plain
from tzcld_qual.chat.intents import Parse
from tzcld_qual.chat.normalize import fold
from tzcld_qual.chat.reviewing import reviewing
from tzcld_qual.chat.values import Answer
from tzcld_qual.chat.wording import counted, filters_text, percent, share

_SHOWN_ATTRIBUTES = ("role", "territory", "round")
_VALUES_SHOWN = 4
Progress = tuple[int, int, int]  # respondent segments coded, reviewed, with an open suggestion
Figures = tuple[int, int, int, int]  # respondent segments, then the three of Progress
_STATE_TEXT = {
    "uncoded": ("sans segment codé", "with no coded segment"),
    "unreviewed": ("sans aucune décision", "with no decision"),
    "open": ("avec des suggestions ouvertes", "with open suggestions"),
}


def inventory(parse: Parse, ctx: Context) -> Answer:
    subject = parse.slots.get("subject")
    filters = plain(parse.slots.get("filters"))
    documents = ctx.corpus.document_ids(filters)
    if filters and not documents:
        return counts.no_documents(parse, ctx, filters)
    if subject == "segments":  # « segments relus sans code », « segments non revus dans demo-01 »
        return reviewing(parse, ctx, documents, filters)
    if subject == "codes" and (parse.slots.get("state") == "rejected" or parse.slots.get("decisions")):
        return _decided_codes(parse, ctx, documents, filters)
    if subject == "codes":
        return _codes(parse, ctx, documents, filters)
    if subject == "values":
        return _values(parse, ctx, documents, filters)
    if subject == "respondents":
        return _respondents(parse, ctx, documents, filters)
    return _documents(parse, ctx, documents, filters)


def in_state(state: object, progress: Progress) -> bool:
    coded, reviewed, pending = progress
    return {"uncoded": coded == 0, "unreviewed": reviewed == 0, "open": pending > 0}.get(str(state), True)


def _documents(parse: Parse, ctx: Context, documents: set[int], filters: Filters) -> Answer:
    corpus, lang = ctx.corpus, ctx.lang
    progress = corpus.progress()
    speaker = one(filters, "speaker")
    state = parse.slots.get("state")
    shown = [a for a in _SHOWN_ATTRIBUTES if one(filters, a) is None and any(corpus.value(d, a) for d in documents)]
    table = [
        [ctx.say("entretien", "interview")]
        + [attribute_label(a, lang) for a in shown]
        + [ctx.say("répondants", "respondents"), *_figure_headers(ctx)]
    ]
    totals = [0, 0, 0, 0]
    marks = corpus.marked_counts()
    marked = 0
    for d in sorted(documents, key=lambda d: corpus.documents[d].name):
        who = [w for w in corpus.speakers.get(d, {}) if speaker is None or w == speaker]
        figures = _figures(ctx, progress, [(d, w) for w in who])
        if not in_state(state, figures[1:]):
            continue
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        marked += sum(marks.get((d, w), 0) for w in who)
        table.append(
            [corpus.documents[d].name]
            + [corpus.value(d, a) or "—" for a in shown]
            + [", ".join(sorted(who)) or "—"]
            + [str(n) for n in figures]
        )
    shown_count = len(table) - 1
    segments, coded, reviewed, pending = totals
    fr_state, en_state = _STATE_TEXT.get(str(state), ("", ""))
    out_of = ctx.say(f" sur {len(documents)}", f" of {len(documents)}") if state else ""
    text = ctx.say(
        f"{counted(shown_count, 'entretien', 'entretiens')}{out_of}{filters_text(filters, 'fr')}"
        f"{' ' + fr_state if fr_state else ''}, {counted(segments, 'segment', 'segments')} de répondants : "
        f"{counted(coded, 'codé', 'codés')} ({percent(coded, segments, 'fr')}), "
        f"{counted(reviewed, 'revu', 'revus')} ({percent(reviewed, segments, 'fr')}"
        f"{', dont ' + counted(marked, 'relu', 'relus') + ' sans code' if marked else ''}), "
        f"{pending} avec une suggestion ouverte.",
        f"{counted(shown_count, 'interview', 'interviews')}{out_of}{filters_text(filters, 'en')}"
        f"{' ' + en_state if en_state else ''}, {counted(segments, 'respondent segment', 'respondent segments')}: "
        f"{coded} coded ({percent(coded, segments, 'en')}), {reviewed} reviewed ({percent(reviewed, segments, 'en')}"
        f"{f', {marked} of them read with no code' if marked else ''}), {pending} with an open suggestion.",
    )
    return Answer(parse.intent, text + "\n" + _columns_note(ctx), table, [], None, dict(parse.slots))


def _respondents(parse: Parse, ctx: Context, documents: set[int], filters: Filters) -> Answer:
    corpus, lang = ctx.corpus, ctx.lang
    progress = corpus.progress()
    speaker = one(filters, "speaker")
    state = parse.slots.get("state")
    with_role = one(filters, "role") is None
    table = [
        [ctx.say("répondant", "respondent"), ctx.say("entretien", "interview")]
        + ([attribute_label("role", lang)] if with_role else [])
        + _figure_headers(ctx)
    ]
    rows = sorted(
        (who, corpus.documents[d].name, d)
        for d in documents
        for who in corpus.speakers.get(d, {})
        if speaker is None or who == speaker
    )
    for who, name, d in rows:
        figures = _figures(ctx, progress, [(d, who)])
        if in_state(state, figures[1:]):
            role = [corpus.value(d, "role") or "—"] if with_role else []
            table.append([who, name, *role] + [str(x) for x in figures])
    shown = len(table) - 1
    fr_state, en_state = _STATE_TEXT.get(str(state), ("", ""))
    named = (
        ctx.say(
            f"\nLes passages qui nomment {speaker} ailleurs : « qui parle de {speaker} ? ».",
            f'\nPassages that name {speaker} elsewhere: "who talks about {speaker}?".',
        )
        if speaker
        else ""
    )
    text = ctx.say(
        f"{counted(shown, 'répondant', 'répondants')}{filters_text(filters, 'fr')}"
        f"{' ' + fr_state if fr_state else ''}, une ligne par entretien où la personne parle (un même nom "
        f"dans deux entretiens peut désigner deux personnes) :",
        f"{counted(shown, 'respondent', 'respondents')}{filters_text(filters, 'en')}"
        f"{' ' + en_state if en_state else ''}, one row per interview they speak in (one name in two interviews "
        "may be two people):",
    )
    return Answer(parse.intent, text + named + "\n" + _columns_note(ctx), table, [], None, dict(parse.slots))


def _codes(parse: Parse, ctx: Context, documents: set[int], filters: Filters) -> Answer:
    """Every code, each finding followed by its sub-codes (or one code's sub-codes), with the
    interviews and segments where it applies and its open suggestions."""
    corpus, lang, codebook = ctx.corpus, ctx.lang, ctx.codebook
    speaker = one(filters, "speaker")
    asked = parse.slots.get("code")
    if isinstance(asked, str):
        codes = [c for c in codebook.codes if c.id == asked or c.parent == asked]
    else:
        codes = [c for top in codebook.top_level for c in (top, *codebook.children(top.id))]
    table = [
        [
            ctx.say("code", "code"),
            ctx.say("libellé", "label"),
            ctx.say("entretiens", "interviews"),
            ctx.say("segments", "segments"),
            ctx.say("+ suggestions (segments)", "+ suggestions (segments)"),
        ]
    ]
    state = parse.slots.get("state")
    rows: dict[str, list[str]] = {}
    for code in codes:
        tally = corpus.code_tally(code.id, documents, speaker=speaker)
        extra = corpus.code_tally(code.id, documents, suggestions=True, speaker=speaker).segments - tally.segments
        wanted = {"uncoded": tally.segments == 0, "accepted": tally.segments > 0}.get(str(state), extra > 0)
        if state is not None and not wanted:
            continue  # « quels codes ne sont pas encore revus ? »: those with suggestions still open
        rows[code.id] = [
            code.id if code.parent is None else f"  {code.id}",
            code.label,
            share(*tally.count("documents"), lang),
            share(*tally.count("segments"), lang),
            f"+{extra}",
        ]
    kept = [c for c in codes if c.id in rows or any(c.id == k.parent for k in codes if k.id in rows)]
    for code in kept:  # a finding stays above its sub-codes that are listed
        table.append(rows.get(code.id) or [code.id, code.label, "", "", ""])
    findings = sum(c.parent is None for c in codes)
    subcodes = len(codes) - findings
    if isinstance(asked, str):
        head = ctx.say(
            f"{asked} et ses {counted(subcodes, 'sous-code', 'sous-codes')}{filters_text(filters, 'fr')}",
            f"{asked} and its {counted(subcodes, 'sub-code', 'sub-codes')}{filters_text(filters, 'en')}",
        )
    else:
        head = ctx.say(
            f"Codebook « {codebook.name} » : {counted(findings, 'code', 'codes')} et "
            f"{counted(subcodes, 'sous-code', 'sous-codes')}{filters_text(filters, 'fr')}",
            f"Codebook « {codebook.name} »: {counted(findings, 'code', 'codes')} and "
            f"{counted(subcodes, 'sub-code', 'sub-codes')}{filters_text(filters, 'en')}",
        )
    note = ctx.say(
        "Codages acceptés ; un code compte aussi ses sous-codes. « + suggestions » : segments que le modèle "
        f"{corpus.model or '—'} suggère en plus, non revus.",
        'Accepted codings; a code also counts its sub-codes. "+ suggestions": segments the model '
        f"{corpus.model or '—'} suggests besides, not reviewed.",
    )
    if state is not None:
        listed = sum(1 for c in codes if c.id in rows)
        single, several, en_state = _CODE_STATE_TEXT.get(str(state), _CODE_STATE_TEXT["open"])
        head += ctx.say(f" — {listed} {single if listed <= 1 else several}", f" — {listed} {en_state}")
        if not listed:  # an empty table under the headers read as a failure
            return Answer(parse.intent, f"{head}.", None, [], None, dict(parse.slots))
    return Answer(parse.intent, f"{head}.\n{note}", table, [], None, dict(parse.slots))


_CODE_STATE_TEXT = {  # French: one code, several codes
    "uncoded": ("jamais appliqué", "jamais appliqués", "never applied"),
    "accepted": ("appliqué au moins une fois", "appliqués au moins une fois", "applied at least once"),
    "open": ("avec des suggestions ouvertes", "avec des suggestions ouvertes", "with open suggestions"),
}


def _decided_codes(parse: Parse, ctx: Context, documents: set[int], filters: Filters) -> Answer:
    """« quels codes ont été rejetés ? », « qui a rejeté F7 ? », « quels codes a acceptés bob ? »:
    each code analysts rejected (accepted), on how many segments, by whom (rejections are what the
    next retraining learns as negatives). It answered with the codes' acceptances, or who speaks
    of F7."""
    speaker = one(filters, "speaker")
    rejected = parse.slots.get("state") == "rejected"
    asked = parse.slots.get("code")
    coder = parse.slots.get("coder")
    rows = list(ctx.corpus.repo.decided(("rejected",) if rejected else ("accepted", "manual")))
    coders = sorted({who for _s, _c, who in rows})
    if isinstance(coder, str):
        match = next((who for who in coders if who.casefold() == coder.casefold()), None)
        if match is None:
            text = ctx.say(
                f"Aucune décision d'un analyste nommé « {coder} » ici. Analystes : {', '.join(coders) or 'aucun'}.",
                f"No decision by an analyst named « {coder} » here. Analysts: {', '.join(coders) or 'none'}.",
            )
            return Answer(parse.intent, text, None, [], None, dict(parse.slots))
        coder = match
    by_code: dict[str, dict[str, set[int]]] = {}
    interviews: dict[str, set[int]] = {}
    for segment, code, who in rows:
        if segment.document_id not in documents or (speaker is not None and segment.speaker != speaker):
            continue
        if isinstance(asked, str) and not (code == asked or code.startswith(asked + ".")):
            continue
        if isinstance(coder, str) and who != coder:
            continue
        by_code.setdefault(code, {}).setdefault(who, set()).add(segment.id)
        interviews.setdefault(code, set()).add(segment.document_id)
    listed = [c for top in ctx.codebook.top_level for c in (top, *ctx.codebook.children(top.id))]
    order = {c.id: n for n, c in enumerate(listed)}
    codes = sorted(by_code, key=lambda c: (order.get(c, len(order)), c))
    where = filters_text(filters, ctx.lang)
    if isinstance(asked, str):
        where = f" {asked}" + ctx.say(" (sous-codes compris)", " (sub-codes included)") + where
    if isinstance(coder, str):
        where += ctx.say(f" par {coder}", f" by {coder}")
    if not codes:
        text = ctx.say(
            f"Aucun {'rejet' if rejected else 'codage accepté'} d'analyste{where}.",
            f"No analyst {'rejection' if rejected else 'accepted coding'}{where}.",
        )
        return Answer(parse.intent, text, None, [], None, dict(parse.slots))
    table = [[ctx.say("code", "code"), ctx.say("libellé", "label"), "segments", ctx.say("entretiens", "interviews"),
              ctx.say("par", "by")]]  # fmt: skip
    for code in codes:
        deciders = by_code[code]
        found = ctx.codebook.get(code)
        table.append([
            code,
            found.label if found is not None else ctx.say("(hors codebook)", "(not in the codebook)"),
            str(len(set().union(*deciders.values()))),
            str(len(interviews[code])),
            ", ".join(f"{who} ({len(ids)})" for who, ids in sorted(deciders.items())),
        ])  # fmt: skip
    total = len({s for deciders in by_code.values() for ids in deciders.values() for s in ids})
    fr_what = "Rejets d'analystes" if rejected else "Codages acceptés ou ajoutés par des analystes"
    en_what = "Analyst rejections" if rejected else "Analyst acceptances and additions"
    negatives = ctx.say(
        " Ces rejets servent d'exemples négatifs au prochain réentraînement.",
        " These rejections are negative examples for the next retraining.",
    )
    text = ctx.say(
        f"{fr_what}{where} : {counted(len(codes), 'code', 'codes')} sur {counted(total, 'segment', 'segments')} (un "
        f"code sur un segment y compte une fois, quel que soit le nombre d'analystes).{negatives if rejected else ''}",
        f"{en_what}{where}: {counted(len(codes), 'code', 'codes')} on {counted(total, 'segment', 'segments')} (a "
        f"code on a segment counts once, however many analysts).{negatives if rejected else ''}",
    )
    return Answer(parse.intent, text, table, [], None, dict(parse.slots))


def _values(parse: Parse, ctx: Context, documents: set[int], filters: Filters) -> Answer:
    """« quelles sont les vagues ? »: each value with its interviews, respondents and where their
    coding stands; « quels sont les attributs ? »: each attribute with its values."""
    corpus, lang = ctx.corpus, ctx.lang
    attribute = parse.slots.get("attribute")
    if not isinstance(attribute, str):
        names = sorted({a for d in documents for a in corpus.documents[d].attributes})
        table = [
            [
                ctx.say("attribut", "attribute"),
                ctx.say("entretiens renseignés", "interviews with a value"),
                ctx.say("valeurs", "values"),
            ]
        ]
        for name in sorted(names, key=lambda n: fold(attribute_label(n, lang))):
            values = sorted({v for d in documents if (v := corpus.value(d, name))})
            filled = sum(1 for d in documents if corpus.value(d, name))
            shown = " · ".join(values[:_VALUES_SHOWN]) + (
                f" … (+{len(values) - _VALUES_SHOWN})" if len(values) > _VALUES_SHOWN else ""
            )
            table.append([attribute_label(name, lang), f"{filled}/{len(documents)}", shown])
        text = ctx.say(
            f"{counted(len(names), 'attribut', 'attributs')} d'entretien{filters_text(filters, 'fr')} (fichier "
            "d'attributs ou en-tête des transcriptions) ; « quelles sont les vagues ? » détaille l'un d'eux.",
            f"{counted(len(names), 'interview attribute', 'interview attributes')}{filters_text(filters, 'en')} "
            '(attributes file or transcript header); "which rounds?" details one of them.',
        )
        return Answer(parse.intent, text, table, [], None, dict(parse.slots))
    progress = corpus.progress()
    groups: dict[str, list[int]] = {}
    for d in documents:
        groups.setdefault(corpus.value(d, attribute) or "—", []).append(d)
    label = attribute_label(attribute, lang)
    table = [[label, ctx.say("entretiens", "interviews"), ctx.say("répondants", "respondents"), *_figure_headers(ctx)]]
    rows: dict[str, list[int]] = {}
    for value in sorted(groups, key=lambda v: (v == "—", v)):
        members = groups[value]
        who = [(d, w) for d in members for w in corpus.speakers.get(d, {})]
        rows[value] = [len(members), len(who), *_figures(ctx, progress, who)]
    most = parse.slots.get("most")
    ranked = ""
    if isinstance(most, str) and most.lstrip("-") in _RANKED_BY:
        rows, ranked = _ranked(ctx, rows, most, label)
    table += [[value, *(str(f) for f in figures)] for value, figures in rows.items()]
    valued = len(groups) - ("—" in groups)
    text = ctx.say(
        f"{label.capitalize()} : {counted(valued, 'valeur', 'valeurs')}{filters_text(filters, 'fr')}"
        f"{' (« — » : entretiens sans valeur)' if '—' in groups else ''}.",
        f"{label.capitalize()}: {counted(valued, 'value', 'values')}{filters_text(filters, 'en')}"
        f"{' (« — »: interviews without a value)' if '—' in groups else ''}.",
    )
    return Answer(parse.intent, ranked + text + "\n" + _columns_note(ctx), table, [], None, dict(parse.slots))


# the column of the values' table a superlative ranks by, and how it is said
_RANKED_BY = {
    "documents": (0, "d'entretiens", "interviews"),
    "respondents": (1, "de répondants", "respondents"),
    "segments": (2, "de segments de répondants", "respondent segments"),
    "coded": (3, "de segments codés", "coded segments"),
}


def _ranked(ctx: Context, rows: dict[str, list[int]], most: str, label: str) -> tuple[dict[str, list[int]], str]:
    """The values most first (fewest, « le moins »), and a first line naming the top ones (ties
    included): « quelle vague compte le plus d'entretiens ? » answered with a search."""
    least = most.startswith("-")
    column, fr, en = _RANKED_BY[most.lstrip("-")]
    valued = {v: f for v, f in rows.items() if v != "—"}
    if not valued:
        return rows, ""
    order = sorted(valued, key=lambda v: (valued[v][column] if least else -valued[v][column], v))
    best = valued[order[0]][column]
    top = [v for v in order if valued[v][column] == best]
    ranked = {v: valued[v] for v in order} | ({"—": rows["—"]} if "—" in rows else {})
    names = ", ".join(top)
    line = ctx.say(
        f"{'Le moins' if least else 'Le plus'} {fr} : {names} ({best}).\n",
        f"{'Fewest' if least else 'Most'} {en}: {names} ({best}).\n",
    )
    if most.lstrip("-") == "segments":
        line += ctx.say(
            "(« parler le plus » lu comme le plus de segments de répondants : des tours de parole, pas leur "
            "longueur.)\n",
            '("talks the most" read as the most respondent segments: turns, not their length.)\n',
        )
    return ranked, line


def _figures(ctx: Context, progress: Mapping[tuple[int, str], Progress], who: Sequence[tuple[int, str]]) -> Figures:
    """Respondent segments, then coded, reviewed, with an open suggestion, over (document,
    respondent) pairs: the figures of an interview, a respondent or a group of interviews."""
    segments = sum(ctx.corpus.speakers.get(d, {}).get(w, 0) for d, w in who)
    coded, reviewed, pending = (sum(progress.get(pair, (0, 0, 0))[i] for pair in who) for i in range(3))
    return segments, coded, reviewed, pending


def _figure_headers(ctx: Context) -> list[str]:
    return [
        ctx.say("segments", "segments"),
        ctx.say("codés", "coded"),
        ctx.say("revus", "reviewed"),
        ctx.say("suggestions ouvertes", "open suggestions"),
    ]


def _columns_note(ctx: Context) -> str:
    model = ctx.corpus.model or ctx.say("aucun modèle", "no model")
    return ctx.say(
        "« segments » : de répondants ; « codés » : avec un code accepté ou ajouté ; « revus » : avec une "
        "décision humaine (rejet compris) ou marqués « relu, aucun code » ; « suggestions ouvertes » : avec une "
        f"suggestion du modèle {model} pas encore tranchée pour son code (un segment peut être revu pour un code "
        "et ouvert pour un autre).",
        '"segments": respondent segments; "coded": with an accepted or added code; "reviewed": with a human '
        f'decision (rejections included) or marked « read, no code »; "open suggestions": with a suggestion of '
        f"{model} not decided yet for its code (a segment may be reviewed for one code and open for another).",
    )
