"""From an understood question to its answer: one composer per intent, store queries only."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import replace

from tzcld_qual.attribute_labels import attribute_label
from tzcld_qual.chat import actions, citations, counts, guide, inventory, rejections
from tzcld_qual.chat.context import Context
from tzcld_qual.chat.filters import SINGLE, left_out, names, plain, shown
from tzcld_qual.chat.intents import GROUPED_FILTERS, SLOT_KEYS, Parse
from tzcld_qual.chat.values import Answer

COMPOSERS: dict[str, Callable[[Parse, Context], Answer]] = {
    "count": counts.count,
    "compare": counts.compare,
    "cooccurrence": counts.cooccurrence,
    "quotes": citations.quotes,
    "search": citations.search,
    "inventory": inventory.inventory,
    "why": citations.why,
    "open_segment": citations.open_segment,
    "open_queue": actions.open_queue,
    "accept_batch": actions.accept_batch,
    "reject": rejections.reject,
    "code_segment": actions.code_segment,
    "retrain": actions.retrain,
    "refresh": actions.refresh,
    "themes": guide.themes,
    "promote_topic": actions.promote_topic,
    "correct": guide.correction,
    "help": guide.help_answer,
    "unknown": guide.unknown,
}


def compose(parse: Parse, ctx: Context) -> Answer:
    """The answer to ``parse``; a code the codebook does not have, or an interview the project does
    not have, is said, not guessed."""
    if parse.unknown_codes and "code" not in parse.slots and parse.intent not in ("help", "search"):
        return guide.unknown(parse, ctx)
    if parse.unknown_documents and parse.intent != "help":
        return guide.unknown_documents(parse, ctx)
    if _groups_in_order(parse):
        return guide.excluded(parse, ctx)  # « accepte F4 hors vague 3 »: an order takes a group, never leaves one out
    if (unread := _unread_exclusion(parse)) is not None:
        return guide.unread_exclusion(ctx, *unread)  # « sauf Sylvie » quoted Sylvie
    if parse.left_out_pair and "filters" in SLOT_KEYS.get(parse.intent, ()):
        return guide.left_out_pair(parse, ctx)  # « sauf les élus de Haut-Vallon »: not élus, in Haut-Vallon
    if parse.either and "filters" in SLOT_KEYS.get(parse.intent, ()):
        return guide.either(parse, ctx)  # « F1 chez les élus ou à Haut-Vallon » counted the élus of Haut-Vallon
    if parse.misspelt and "filters" in SLOT_KEYS.get(parse.intent, ()):
        return guide.misspelt(parse, ctx)  # « hrs vague 3 » counted vague 3 alone
    if parse.ranged and "filters" in SLOT_KEYS.get(parse.intent, ()):
        return guide.ranged(parse, ctx)  # « à partir de la vague 2 » counted vague 2 alone
    if parse.unknown_names and parse.intent != "search" and "filters" in SLOT_KEYS.get(parse.intent, ()):
        return guide.unknown_names(parse, ctx)  # a search keeps the name as a topic ("chez Leclerc")
    if parse.doubts:
        return guide.doubtful_order(parse, ctx)  # « rejette F4 sur le segment douze » rejected 259 suggestions
    if parse.unknown_groups and "filters" in SLOT_KEYS.get(parse.intent, ()):
        return guide.unknown_groups(parse, ctx)  # « F4 chez les martiens » counted the whole corpus
    answer = COMPOSERS.get(parse.intent, guide.unknown)(parse, ctx)
    if parse.not_done:
        answer = replace(answer, text=answer.text + _not_done_note(parse, ctx))
    if (parse.ignored or parse.ignored_values) and parse.intent not in ("unknown", "help"):
        answer = replace(answer, text=answer.text + _ignored_note(parse, ctx))
    return replace(answer, text=answer.text + _namesakes_note(parse, ctx))


def _groups_in_order(parse: Parse) -> bool:
    """An order or the review queue given a group to leave out, or several values of an attribute
    carried over from the question before (« F4 hors vague 3 ? » then « et accepte-les »): they act
    on one named group per attribute, so they are refused rather than widened."""
    if "filters" not in SLOT_KEYS.get(parse.intent, ()) or parse.intent in GROUPED_FILTERS:
        return False
    if parse.intent == "open_queue" and parse.ignored_values:  # « … chez les élus ou les PPDE » opened on the élus
        return True
    return bool(parse.excluded) or any(not isinstance(v, str) for v in plain(parse.slots.get("filters")).values())


def _unread_exclusion(parse: Parse) -> tuple[str, str, str] | None:
    """A value the question leaves out that its filters do not: a speaker (their turns would have
    to go, not their interviews) or a value also kept (« les élus sauf les élus »). Answering would
    count it in; ``(attribute, value, kept)`` to say so."""
    if parse.intent not in GROUPED_FILTERS:
        return None
    filters = plain(parse.slots.get("filters"))
    for attribute, value in parse.excluded:
        wanted = filters.get(attribute)
        if attribute == "speaker" or (value not in left_out(wanted) and names(wanted, value)):
            return attribute, value, shown(wanted, "fr") if wanted is not None else ""
    return None


def _not_done_note(parse: Parse, ctx: Context) -> str:
    """« peux-tu accepter les suggestions F4 ? » answered a count: whether it was done went unsaid.
    Only an order that opens with its verb is carried out; anything else is answered, and says so."""
    code = parse.slots.get("code")
    if parse.as_order:
        return "\n" + ctx.say(
            "Rien n'a été modifié : une demande en forme de question n'est pas exécutée. Pour le faire, écrivez-la "
            f"comme un ordre : « {parse.as_order} ».",
            "Nothing was changed: a request phrased as a question is not carried out. To do it, write it as an "
            f'order: "{parse.as_order}".',
        )
    said = ctx.say(
        "Rien n'a été modifié : seul un ordre qui commence par son verbe est exécuté",
        "Nothing was changed: only an order that opens with its verb is carried out",
    )
    if parse.not_done not in guide.EXAMPLES:
        return f"\n{said}."
    order = guide.example(parse.not_done, ctx.lang, code if isinstance(code, str) else "F3")
    return "\n" + said + ctx.say(f", par exemple « {order} ».", f', e.g. "{order}".')


def _namesakes_note(parse: Parse, ctx: Context) -> str:
    """« Nadia » answers in two interviews: maybe two people, counted as one filter; said, with
    how to ask for one of them."""
    filters = parse.slots.get("filters")
    speaker = filters.get("speaker") if isinstance(filters, dict) else None
    if not speaker or "document" in filters:  # type: ignore[operator]
        return ""
    where = sorted(ctx.corpus.documents[d].name for d in ctx.corpus.document_ids({"speaker": str(speaker)}))
    if len(where) < 2:
        return ""
    return "\n" + ctx.say(
        f"« {speaker} » répond dans {len(where)} entretiens ({', '.join(where)}) : peut-être plusieurs personnes. "
        f"Pour l'une : « … chez {speaker} dans {where[0].split('.')[0]} ».",
        f'"{speaker}" answers in {len(where)} interviews ({", ".join(where)}): maybe several people. For one: '
        f'"… {speaker} in {where[0].split(".")[0]}".',
    )


_WHY_IGNORED = {  # why a value named in the question is not in the answer's filters (fr, en)
    "single": (
        "une question porte sur un·e répondant·e ou un entretien à la fois",
        "a question is about one respondent or interview at a time",
    ),
    "one_value": ("une valeur par attribut ici", "one value per attribute here"),
    "both": ("une valeur ne peut être à la fois gardée et laissée de côté", "a value cannot be both kept and left out"),
}


def _ignored_note(parse: Parse, ctx: Context) -> str:
    """What the question named that this answer did not use, and how to ask for it."""
    codes = [i for i in parse.ignored if not i.startswith(("≥", "<", "par:", "durée:"))]
    limits = [i for i in parse.ignored if i.startswith(("≥", "<"))]
    by = [attribute_label(i[4:], ctx.lang) for i in parse.ignored if i.startswith("par:")]
    durations = [i.removeprefix("durée:") for i in parse.ignored if i.startswith("durée:")]
    code = parse.slots.get("code") or "F4"
    notes = []
    if parse.ignored_values:
        left = ", ".join(v for _a, v in parse.ignored_values)
        attribute, value = parse.ignored_values[0]
        kept = plain(parse.slots.get("filters")).get(attribute)
        if attribute in SINGLE:
            why = _WHY_IGNORED["single"]
        else:
            why = _WHY_IGNORED["one_value" if parse.intent not in GROUPED_FILTERS else "both"]
        side = isinstance(kept, str)
        notes.append(
            ctx.say(
                f"{left} n'est pas pris en compte : {why[0]}"
                + (f" (côte à côte : « compare {code} entre {kept} et {value} »)" if side else ""),
                f"{left} is not taken into account: {why[1]}"
                + (f' (side by side: "compare {code} between {kept} and {value}")' if side else ""),
            )
        )
    if codes and (parse.slots.get("without") or parse.slots.get("negated")):
        # « sans F4 ni F5 », « F4 mais pas F3 ni F5 »: the second code left out is the one dropped
        both = parse.slots.get("without") and parse.slots.get("negated")  # « ni F4 ni F5 ni F7 »: two at most
        notes.append(
            ctx.say(
                f"{', '.join(codes)} n'est pas écarté ici : une question n'écarte "
                + ("que deux codes à la fois" if both else "qu'un code à la fois"),
                f"{', '.join(codes)} is not left out here: a question leaves out "
                + ("two codes at most" if both else "one code at a time"),
            )
        )
    elif codes:
        notes.append(
            ctx.say(
                f"{', '.join(codes)} n'est pas compté ici : une question porte sur un code à la fois (les deux "
                f"ensemble : « quels codes apparaissent avec {code} ? »)",
                f"{', '.join(codes)} is not counted here: a question is about one code at a time (both "
                f'together: "which codes appear with {code}?")',
            )
        )
    if durations:
        seniority = any(ctx.corpus.value(d, "seniority_ebe") for d in ctx.corpus.documents)
        label = attribute_label("seniority_ebe", ctx.lang)
        notes.append(
            ctx.say(
                f"« {durations[0]} » n'est pas pris en compte (compté sans cette condition) : "
                + (
                    f"l'attribut « {label} » n'a que des valeurs précises ; comparez : « compare {code} par {label} »"
                    if seniority
                    else "aucun attribut du projet ne dit depuis quand"
                ),
                f'"{durations[0]}" is not taken into account (counted without that condition): '
                + (
                    f'the attribute "{label}" only has precise values; compare: "compare {code} by {label}"'
                    if seniority
                    else "no attribute of the project says since when"
                ),
            )
        )
    if by:
        notes.append(
            ctx.say(
                f"la répartition par {by[0]} n'est pas faite : une comparaison porte sur un attribut à la fois "
                f"(ensuite : « et par {by[0]} ? »)",
                f"the breakdown by {by[0]} is not made: a comparison is by one attribute at a time (then: "
                f'"and by {by[0]}?")',
            )
        )
    if limits:  # it pointed to « accepte les suggestions … », which `ask --yes` carries out
        command = ["tzcld-qual", "codings", str(ctx.store.path), "--code", str(code), "--status", "suggested"]
        listing = shlex.join(command)
        notes.append(
            ctx.say(
                f"le seuil {limits[0]} ne s'applique pas à ce décompte (les suggestions et leur confiance, sans rien "
                f"changer : {listing})",
                f"the threshold {limits[0]} does not apply to this count (the suggestions and their confidence, "
                f"changing nothing: {listing})",
            )
        )
    return "\n" + ctx.say("Attention : ", "Note: ") + " ; ".join(notes) + "."
