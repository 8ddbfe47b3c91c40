"""Where the reading stands segment by segment: « quels segments ai-je relus sans code ? »,
« combien de segments non revus dans demo-01 ? ».

A segment is reviewed once an analyst decided on one of its codes (a rejection too) or marked it
« relu, aucun code » (key ``0`` of the review screen: read, and no code of the codebook applies),
as the Documents screen and the review queue count it. The first question got the codebook's
« codes never applied », the second « 0 entretien sur 1 sans aucune décision ».
"""

from __future__ import annotations

from collections.abc import Sequence

from tzcld_qual.chat.citations import quote_line, segment_quotes
from tzcld_qual.chat.context import Context
from tzcld_qual.chat.filters import Filters, one
from tzcld_qual.chat.intents import Parse
from tzcld_qual.chat.values import Answer
from tzcld_qual.chat.wording import counted, filters_text, percent
from tzcld_qual.store.chat import SegmentRow

SHOWN = 20  # marked segments quoted; the table counts them all
TO_READ = 10  # unreviewed segments quoted, the first ones in reading order


def reviewing(parse: Parse, ctx: Context, documents: set[int], filters: Filters) -> Answer:
    """The segments marked « relu, aucun code » (``state`` ``marked``), or those not reviewed yet."""
    if parse.slots.get("state") == "marked":
        return _marked(parse, ctx, documents, filters)
    return _unreviewed(parse, ctx, documents, filters)


def _in_scope(ctx: Context, documents: set[int], filters: Filters, segment_ids: Sequence[int]) -> list[SegmentRow]:
    """The respondent segments of ``segment_ids`` within the question's interviews (and speaker),
    in reading order."""
    speaker = one(filters, "speaker")
    rows = ctx.corpus.repo.segment_rows(sorted(segment_ids))
    kept = [
        r for r in rows if r.respondent and r.document_id in documents and (speaker is None or r.speaker == speaker)
    ]
    return sorted(kept, key=lambda r: r.order)


def _marked(parse: Parse, ctx: Context, documents: set[int], filters: Filters) -> Answer:
    """Each marked segment with its citation and who marked it, and a count per interview; « ai-je »
    narrows to the coder's marks."""
    coder = ctx.coder if parse.slots.get("mine") else None
    marks = ctx.corpus.marked(coder)
    rows = _in_scope(ctx, documents, filters, list(marks))
    where = filters_text(filters, ctx.lang)
    by = ctx.say(f" par {coder}", f" by {coder}") if coder else ""
    unnamed = (
        ctx.say(
            " (aucun codeur nommé : ceux de tous les analystes ; --coder NOM pour les vôtres)",
            " (no coder named: every analyst's; --coder NAME for yours)",
        )
        if parse.slots.get("mine") and not coder
        else ""
    )
    uncoded = _uncoded_unmarked(ctx, documents, filters)
    if not rows:
        text = ctx.say(
            f"Aucun segment marqué « relu, aucun code »{by}{where}{unnamed}. Dans la revue, la touche 0 marque "
            f"un segment lu auquel aucun code ne s'applique ; il compte alors comme revu.{uncoded[0]}",
            f"No segment marked « read, no code »{by}{where}{unnamed}. In the review, key 0 marks a segment read "
            f"with no code that applies; it then counts as reviewed.{uncoded[1]}",
        )
        return Answer(parse.intent, text, None, [], None, dict(parse.slots))
    shown = rows[:SHOWN]
    quotes = segment_quotes(ctx, [r.id for r in shown])
    lines = [
        quote_line(n, q, ctx)
        + ("" if coder else ctx.say(" (par ", " (by ") + ", ".join(sorted(marks[q.segment_id])) + ")")
        for n, q in enumerate(quotes, 1)
    ]
    interviews = sorted({r.document for r in rows})
    more = (
        ctx.say(
            f"\n… et {len(rows) - SHOWN} autre(s) : le tableau les compte par entretien.",
            f"\n… and {len(rows) - SHOWN} more: the table counts them per interview.",
        )
        if len(rows) > SHOWN
        else ""
    )
    text = ctx.say(
        f"{counted(len(rows), 'segment marqué', 'segments marqués')} « relu, aucun code »{by}{where}{unnamed}, "
        f"dans {counted(len(interviews), 'entretien', 'entretiens')} (lus, aucun code ne s'y applique ; ils "
        f"comptent comme revus) :",
        f"{counted(len(rows), 'segment', 'segments')} marked « read, no code »{by}{where}{unnamed}, in "
        f"{counted(len(interviews), 'interview', 'interviews')} (read, no code applies; they count as reviewed):",
    )
    table = [[ctx.say("entretien", "interview"), ctx.say("relus sans code", "read, no code"), ctx.say("par", "by")]]
    for name in interviews:
        theirs = [r.id for r in rows if r.document == name]
        who: dict[str, int] = {}
        for segment_id in theirs:
            for analyst in marks[segment_id]:
                who[analyst] = who.get(analyst, 0) + 1
        table.append([name, str(len(theirs)), ", ".join(f"{a} ({n})" for a, n in sorted(who.items()))])
    body = "\n".join([text, *lines]) + more + uncoded[0 if ctx.lang != "en" else 1]
    return Answer(parse.intent, body, table, quotes, None, dict(parse.slots))


def _uncoded_unmarked(ctx: Context, documents: set[int], filters: Filters) -> tuple[str, str]:
    """How many respondent segments in scope have no code applied and no mark (« quels segments
    n'ont aucun code ? » may mean those too), said after the marked ones."""
    scope = ctx.corpus.respondent_segments(documents, one(filters, "speaker"))
    if not scope:
        return "", ""
    applied = ctx.corpus.applied_on(sorted(scope))
    marked = ctx.corpus.marked()
    left = sum(1 for s in scope if not applied[s] and s not in marked)
    return (
        f"\nSans marque, {counted(left, 'autre segment', 'autres segments')} de répondants sur {len(scope)} "
        "n'ont encore aucun code appliqué (« combien de segments non revus ? » dit ceux que personne n'a lus).",
        f"\nWithout a mark, {left} other respondent segment(s) of {len(scope)} have no code applied yet "
        '("how many segments are not reviewed?" tells those nobody has read).',
    )


def _unreviewed(parse: Parse, ctx: Context, documents: set[int], filters: Filters) -> Answer:
    """How many respondent segments nobody has reviewed, per interview, and the first ones to read."""
    scope = _in_scope(ctx, documents, filters, sorted(ctx.corpus.respondent_segments(documents)))
    ids = [r.id for r in scope]
    reviewed = ctx.corpus.reviewed(ids)
    marked = set(ctx.corpus.marked()) & set(ids)
    left = [r for r in scope if r.id not in reviewed]
    where = filters_text(filters, ctx.lang)
    figures: dict[str, list[int]] = {}
    for r in scope:
        row = figures.setdefault(r.document, [0, 0, 0, 0])
        row[0] += 1
        row[1] += r.id in reviewed
        row[2] += r.id in marked
        row[3] += r.id not in reviewed
    table = [
        [
            ctx.say("entretien", "interview"),
            "segments",
            ctx.say("revus", "reviewed"),
            ctx.say("dont relus sans code", "of which read, no code"),
            ctx.say("non revus", "not reviewed"),
        ]
    ]
    table += [[name, *(str(n) for n in f)] for name, f in sorted(figures.items())]
    done = len(scope) - len(left)
    dont = ctx.say(
        f", dont {counted(len(marked), 'relu', 'relus')} sans code", f", {len(marked)} of them read with no code"
    )
    text = ctx.say(
        f"{counted(len(left), 'segment de répondants non revu', 'segments de répondants non revus')} sur "
        f"{len(scope)}{where} "
        f"({percent(len(left), len(scope), 'fr')}), dans {counted(len(figures), 'entretien', 'entretiens')} ; "
        f"{counted(done, 'revu', 'revus')}{dont if marked else ''}. « revu » : une décision d'un·e analyste "
        "(rejet compris) ou la marque « relu, aucun code ».",
        f"{len(left)} respondent segment(s) not reviewed of {len(scope)}{where} "
        f"({percent(len(left), len(scope), 'en')}), in {counted(len(figures), 'interview', 'interviews')}; "
        f"{done} reviewed{dont if marked else ''}. « reviewed »: an analyst's decision (rejections included) or "
        "the « read, no code » mark.",
    )
    if not scope:
        return Answer(parse.intent, text, None, [], None, dict(parse.slots))
    quotes = segment_quotes(ctx, [r.id for r in left[:TO_READ]])
    if quotes:
        text += ctx.say(
            f"\nLes {len(quotes)} premiers à relire, dans l'ordre de lecture :",
            f"\nThe first {len(quotes)} to read, in reading order:",
        )
        text += "".join(f"\n{quote_line(n, q, ctx)}" for n, q in enumerate(quotes, 1))
    return Answer(parse.intent, text, table, quotes, None, dict(parse.slots))
