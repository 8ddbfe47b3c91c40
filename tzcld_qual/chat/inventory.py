"""What the project holds: « liste les entretiens », « qui sont les répondants ? », « quels codes ? ».

An analyst who opens a project asks first what is in it. Each interview and respondent comes with
where the coding stands (segments coded, reviewed, still suggested), counted in the store, so the
list doubles as a progress sheet; the codes are answered by the per-code overview of counts.
"""

from __future__ import annotations

from collections.abc import Mapping

from tzcld_qual.chat import counts
from tzcld_qual.chat.context import Context
from tzcld_qual.chat.intents import Parse
from tzcld_qual.chat.values import Answer
from tzcld_qual.chat.wording import attribute_label, filters_text, percent

SUBJECTS = ("documents", "respondents", "codes")
_SHOWN_ATTRIBUTES = ("role", "territory", "round")


def inventory(parse: Parse, ctx: Context) -> Answer:
    subject = parse.slots.get("subject")
    filters = {str(k): str(v) for k, v in (parse.slots.get("filters") or {}).items()}  # type: ignore[attr-defined]
    documents = ctx.corpus.document_ids(filters)
    if filters and not documents:
        return counts.no_documents(parse, ctx, filters)
    if subject == "codes":
        return counts.overview(parse, ctx, documents, filters)
    if subject == "respondents":
        return _respondents(parse, ctx, documents, filters)
    return _documents(parse, ctx, documents, filters)


def _documents(parse: Parse, ctx: Context, documents: set[int], filters: Mapping[str, str]) -> Answer:
    corpus, lang = ctx.corpus, ctx.lang
    progress = corpus.progress()
    speaker = filters.get("speaker")
    shown = [a for a in _SHOWN_ATTRIBUTES if a not in filters and any(corpus.value(d, a) for d in documents)]
    table = [
        [ctx.say("entretien", "interview")]
        + [attribute_label(a, lang) for a in shown]
        + [
            ctx.say("répondants", "respondents"),
            ctx.say("segments", "segments"),
            ctx.say("codés", "coded"),
            ctx.say("revus", "reviewed"),
            ctx.say("suggestions ouvertes", "open suggestions"),
        ]
    ]
    totals = [0, 0, 0, 0]
    for d in sorted(documents, key=lambda d: corpus.documents[d].name):
        who = {w: n for w, n in corpus.speakers.get(d, {}).items() if speaker is None or w == speaker}
        segments = sum(who.values())
        state = [sum(progress.get((d, w), (0, 0, 0))[i] for w in who) for i in range(3)]
        for i, n in enumerate((segments, *state)):
            totals[i] += n
        table.append(
            [corpus.documents[d].name]
            + [corpus.value(d, a) or "—" for a in shown]
            + [", ".join(sorted(who)) or "—", str(segments)]
            + [str(n) for n in state]
        )
    segments, coded, reviewed, pending = totals
    text = ctx.say(
        f"{len(documents)} entretien(s){filters_text(filters, 'fr')}, {segments} segments de répondants : "
        f"{coded} codés ({percent(coded, segments, 'fr')}), {reviewed} revus ({percent(reviewed, segments, 'fr')}), "
        f"{pending} avec une suggestion ouverte.",
        f"{len(documents)} interview(s){filters_text(filters, 'en')}, {segments} respondent segments: "
        f"{coded} coded ({percent(coded, segments, 'en')}), {reviewed} reviewed ({percent(reviewed, segments, 'en')}), "
        f"{pending} with an open suggestion.",
    )
    return Answer(parse.intent, text + "\n" + _columns_note(ctx), table, [], None, dict(parse.slots))


def _respondents(parse: Parse, ctx: Context, documents: set[int], filters: Mapping[str, str]) -> Answer:
    corpus, lang = ctx.corpus, ctx.lang
    progress = corpus.progress()
    speaker = filters.get("speaker")
    table = [
        [
            ctx.say("répondant", "respondent"),
            ctx.say("entretien", "interview"),
            attribute_label("role", lang),
            ctx.say("segments", "segments"),
            ctx.say("codés", "coded"),
            ctx.say("revus", "reviewed"),
            ctx.say("suggestions ouvertes", "open suggestions"),
        ]
    ]
    rows = sorted(
        (who, corpus.documents[d].name, d, n)
        for d in documents
        for who, n in corpus.speakers.get(d, {}).items()
        if speaker is None or who == speaker
    )
    for who, name, d, n in rows:
        state = progress.get((d, who), (0, 0, 0))
        table.append([who, name, corpus.value(d, "role") or "—", str(n)] + [str(x) for x in state])
    text = ctx.say(
        f"{len(rows)} répondant(s){filters_text(filters, 'fr')}, un par entretien où il ou elle parle "
        f"(un même nom dans deux entretiens peut être deux personnes) :",
        f"{len(rows)} respondent(s){filters_text(filters, 'en')}, one per interview they speak in "
        f"(one name in two interviews may be two people):",
    )
    return Answer(parse.intent, text + "\n" + _columns_note(ctx), table, [], None, dict(parse.slots))


def _columns_note(ctx: Context) -> str:
    model = ctx.corpus.model or ctx.say("aucun modèle", "no model")
    return ctx.say(
        f"« codés » : segments avec un code accepté ou manuel ; « revus » : avec une décision humaine (rejet "
        f"compris) ; « suggestions ouvertes » : suggérés par {model}, non revus.",
        f'"coded": segments with an accepted or manual code; "reviewed": with a human decision (rejections '
        f'included); "open suggestions": suggested by {model}, not reviewed.',
    )
