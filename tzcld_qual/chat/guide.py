"""Help, questions not understood (say so, offer the closest things), and emergent themes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from rapidfuzz import process

from tzcld_qual.attribute_labels import ATTRIBUTE_LABELS, attribute_label
from tzcld_qual.chat.context import Context
from tzcld_qual.chat.filters import left_out, plain, shown
from tzcld_qual.chat.intents import Parse
from tzcld_qual.chat.normalize import fold
from tzcld_qual.chat.values import Answer
from tzcld_qual.chat.wording import code_name

LISTED_DOCUMENTS = 12

# intent -> (French example, English example); {code} and {group} are filled from the question.
EXAMPLES: dict[str, tuple[str, str]] = {
    "count": ("Combien d'entretiens évoquent {code} ?", "How many interviews mention {code}?"),
    "quotes": ("Donne-moi 5 citations sur {code}", "Give me 5 quotes on {code}"),
    "compare": ("Compare {code} entre salariés et PPDE", "Compare {code} between employees and PPDE"),
    "cooccurrence": ("Quels codes apparaissent avec {code} ?", "Which codes appear with {code}?"),
    "search": ("Qui parle de la honte d'être au chômage ?", "Who talks about the shame of unemployment?"),
    "inventory": ("Liste les entretiens de la vague 2", "List the interviews of round 2"),
    "why": ("Pourquoi le segment 1234 est-il codé {code} ?", "Why is segment 1234 coded {code}?"),
    "themes": ("Quels thèmes émergent ?", "Which themes emerge?"),
    "open_queue": ("Montre-moi les segments incertains en {code}", "Show me the uncertain segments in {code}"),
    "accept_batch": ("Accepte les suggestions {code} au-dessus de 0,9", "Accept {code} suggestions above 0.9"),
    "reject": ("Rejette les suggestions {code} sous 0,3", "Reject {code} suggestions below 0.3"),
    "code_segment": ("Code le segment 1234 en {code}", "Code segment 1234 as {code}"),
    "open_segment": ("Ouvre le segment 1234", "Open segment 1234"),
    "retrain": ("Réentraîne", "Retrain"),
}
HELP_ORDER = (
    "inventory",
    "count",
    "quotes",
    "compare",
    "cooccurrence",
    "search",
    "why",
    "themes",
    "open_queue",
    "accept_batch",
    "reject",
    "code_segment",
    "retrain",
)


def example(intent: str, lang: str, code: str = "F3") -> str:
    fr, en = EXAMPLES[intent]
    return (en if lang == "en" else fr).format(code=code)


def help_answer(parse: Parse, ctx: Context) -> Answer:
    lines = [
        ctx.say(
            "Je réponds à partir du projet seulement (aucune réponse inventée : chaque nombre vient d'une requête, "
            "chaque citation est verbatim). Exemples :",
            "I answer from the project only (nothing made up: every number comes from a query, every quote is "
            "verbatim). Examples:",
        )
    ]
    lines += [f"• {example(i, ctx.lang)}" for i in HELP_ORDER]
    lines.append(
        ctx.say(
            "Filtres : un rôle, un territoire, une vague (« chez les élus », « en vague 2 »), plusieurs ensemble "
            "(« les élus ou les partenaires ») ou tous sauf un (« hors vague 3 »), un entretien par son "
            "nom de fichier ou son début numéroté (« dans demo-03 »), un répondant par son nom (« que dit Sylvie "
            "sur la confiance ? » : ses tours de parole seulement).",
            'Filters: a role, a territory, a round ("among elected officials", "in round 2"), several together '
            '("elected officials or partners") or all but one ("except round 3"), an interview by its '
            'file name or numbered start ("in demo-03"), a respondent by name ("what does Sylvie say about '
            'confidence?": their own turns only).',
        )
    )
    lines.append(
        ctx.say(
            "Suites : « et chez les élus ? » reprend la question précédente. Codes : "
            + ", ".join(code_name(ctx.codebook, c.id) for c in ctx.codebook.top_level)
            + ".",
            'Follow-ups: "and among elected officials?" re-uses the previous question. Codes: '
            + ", ".join(code_name(ctx.codebook, c.id) for c in ctx.codebook.top_level)
            + ".",
        )
    )
    return Answer("help", "\n".join(lines), None, [], None, {})


def unknown(parse: Parse, ctx: Context) -> Answer:
    """Say it was not understood, then the closest requests, filled with what was recognised."""
    lines = [
        ctx.say(
            "Je n'ai pas compris cette question, et je préfère ne pas deviner.",
            "I did not understand this question, and I would rather not guess.",
        )
    ]
    if parse.unknown_codes:
        known = ", ".join(c.id for c in ctx.codebook.top_level)
        lines.append(
            ctx.say(
                f"Code(s) inconnu(s) dans le codebook : {', '.join(parse.unknown_codes)} (codes : "
                f"{known}, et leurs sous-codes).",
                f"Unknown code(s) in the codebook: {', '.join(parse.unknown_codes)} (codes: {known}, "
                f"and their sub-codes).",
            )
        )
    ranked = sorted((i for i, s in parse.scores.items() if s > 0 and i in EXAMPLES), key=lambda i: -parse.scores[i])
    closest = list(dict.fromkeys([*ranked, "count", "quotes", "search"]))[:3]
    lines.append(ctx.say("Ce que je sais faire de plus proche :", "The closest things I can do:"))
    lines += [f"• {example(i, ctx.lang)}" for i in closest]
    lines.append(ctx.say("Tapez « aide » pour tout voir.", 'Type "help" to see everything.'))
    return Answer("unknown", "\n".join(lines), None, [], None, {})


def unknown_documents(parse: Parse, ctx: Context) -> Answer:
    """An interview named that the project does not have: the closest names, not the whole corpus."""
    names = sorted(d.name for d in ctx.corpus.documents.values())
    more = len(names) - LISTED_DOCUMENTS
    shown = ", ".join(names[:LISTED_DOCUMENTS]) + (
        ctx.say(f" et {more} autres", f" and {more} more") if more > 0 else ""
    )
    listed = ctx.say(
        f"Les {len(names)} entretiens du projet : {shown}. " if names else "Le projet n'a aucun entretien. ",
        f"The project's {len(names)} interviews: {shown}. " if names else "The project has no interview. ",
    )
    return _not_in_project(
        parse,
        ctx,
        parse.unknown_documents,
        ctx.say("Aucun entretien du projet ne s'appelle", "No interview of the project is called"),
        (names, 60, ctx.say("Noms proches : ", "Close names: ")),
        listed
        + ctx.say(
            "Un entretien se nomme par son nom de fichier, avec ou sans extension, ou par son début numéroté "
            "(« dans demo-03 »).",
            'Name an interview by its file name, with or without its extension, or by its numbered start ("in '
            'demo-03").',
        ),
    )


def excluded(parse: Parse, ctx: Context) -> Answer:
    """« accepte les suggestions F4 hors vague 3 »: an order (or the review queue) names the one
    group it acts on, never one it leaves out nor several; said, with the values to name, rather
    than done for another group or for all."""
    filters = plain(parse.slots.get("filters"))

    def values_but(*left: str) -> list[str]:
        return sorted({v for d in ctx.corpus.documents if (v := ctx.corpus.value(d, attribute)) and v not in left})

    if parse.excluded:
        attribute, value = parse.excluded[0]
        named = f"« {shown({'sauf': [value]}, ctx.lang)} »"
        others = values_but(value)
    elif parse.ignored_values:  # the queue given two values of one attribute: each, one at a time
        attribute, value = parse.ignored_values[0]
        kept = filters.get(attribute)
        named = f"« {kept} », « {value} »"
        others = sorted({v for a, v in parse.ignored_values if a == attribute} | {str(kept)})
    else:  # several values, or one left out, carried over from the question before
        attribute, wanted = next((a, v) for a, v in filters.items() if not isinstance(v, str))
        named = f"« {shown(wanted, ctx.lang)} »"
        others = list(wanted) if isinstance(wanted, list) else values_but(*left_out(wanted))
    if len(others) > 8:  # forty interview names say nothing
        others = [*others[:8], "…"]
    text = ctx.say(
        f"Rien n'est fait : un ordre ou la file de revue porte sur un seul groupe nommé, sans en laisser de côté "
        f"({attribute_label(attribute, 'fr')} = {named})."
        + (f" Donnez le groupe à traiter, un par ordre : {', '.join(others)}." if others else ""),
        f"Nothing was done: an order or the review queue acts on one named group, leaving none out "
        f"({attribute_label(attribute, 'en')} = {named})."
        + (f" Name the group to act on, one per order: {', '.join(others)}." if others else ""),
    )
    return _said(text)


def _said(text: str) -> Answer:
    """A question answered by saying why it is not answered: no figures, no quotes, no action."""
    return Answer("unknown", text, None, [], None, {})


_SIDES = {  # side of a range -> how it was said, and which values it takes from the value's place
    "from": (("à partir de", "from"), lambda values, i: values[i:]),
    "after": (("après", "after"), lambda values, i: values[i + 1 :]),
    "before": (("avant", "before"), lambda values, i: values[:i]),
    "until": (("jusqu'à", "up to"), lambda values, i: values[: i + 1]),
}


def unread_exclusion(ctx: Context, attribute: str, value: str, kept: str) -> Answer:
    """« que disent les répondants sauf Sylvie ? » quoted Sylvie; « les élus sauf les élus » counted
    the élus: said, not answered for the group the question leaves out."""
    if attribute == "speaker":
        text = ctx.say(
            f"Je ne sais pas laisser un·e répondant·e de côté (« sauf {value} ») : je ne réponds pas en comptant "
            f"ses paroles. Nommez plutôt un groupe (rôle, territoire, vague) ou les répondant·es à garder.",
            f"I cannot leave a respondent out (« except {value} »): I will not answer counting their words. Name a "
            "group instead (role, territory, round), or the respondents to keep.",
        )
    else:
        text = ctx.say(
            f"« {value} » est à la fois demandé ({kept}) et laissé de côté : je ne devine pas lequel vous voulez. "
            f"Reformulez avec l'un ou l'autre.",
            f"« {value} » is both asked for ({kept}) and left out: I will not guess which you mean. Ask again "
            "with one or the other.",
        )
    return _said(text)


def either(parse: Parse, ctx: Context) -> Answer:
    """« chez les élus ou à Haut-Vallon »: filters on two attributes hold together (« et »); the
    union is not counted, and answering the intersection would answer another question."""
    first, second = parse.either[:2]
    text = ctx.say(
        f"Je ne combine pas deux filtres avec « ou » (« {first} » ou « {second} ») : ils se cumulent toujours "
        f"(« {first} » et « {second} »). Posez la question pour chacun, ou avec « et » si c'est ce que vous "
        "voulez.",
        f"I do not combine two filters with « or » (« {first} » or « {second} »): they always add up (« {first} » "
        f"and « {second} »). Ask about each, or with « and » if that is what you mean.",
    )
    return _said(text)


def left_out_pair(parse: Parse, ctx: Context) -> Answer:
    """« sauf les élus de Haut-Vallon » was read as « not élus, in Haut-Vallon »: a group named by two
    attributes is not left out; said, with what can be asked."""
    first, second = parse.left_out_pair[:2]
    text = ctx.say(
        f"Je ne sais pas laisser de côté un groupe à deux critères (« {first} » de « {second} ») : je le "
        f"lirais comme « tout sauf {first} », « {second} » seulement. Laissez de côté un critère à la fois, ou "
        "posez la question pour les groupes à garder.",
        f"I cannot leave out a group named by two criteria (« {first} » of « {second} »): I would read it as "
        f"« all but {first} », « {second} » only. Leave out one criterion at a time, or ask about the groups to "
        "keep.",
    )
    return _said(text)


def ranged(parse: Parse, ctx: Context) -> Answer:
    """« combien d'entretiens à partir de la vague 2 ? »: a range of values is not read; said, with
    the values to name, rather than answered for the one named."""
    attribute, value, side = parse.ranged[0]
    (said_fr, said_en), taking = _SIDES.get(side, _SIDES["from"])
    values = sorted({v for d in ctx.corpus.documents if (v := ctx.corpus.value(d, attribute))})
    taken = taking(values, values.index(value)) if value in values else values
    named = " ou ".join(f"« {v} »" for v in taken) or "—"
    text = ctx.say(
        f"Je ne lis pas une suite de valeurs (« {said_fr} {value} ») : je ne réponds pas sur « {value} » seul à "
        f"la place. Nommez-les : {named} (valeurs du projet : {', '.join(values) or '—'}).",
        f"I do not read a range of values (« {said_en} {value} »): I will not answer for « {value} » alone "
        f"instead. Name them: {named.replace(' ou ', ' or ')} (values in the project: {', '.join(values) or '—'}).",
    )
    return _said(text)


def correction(parse: Parse, ctx: Context) -> Answer:
    """One code for another is two decisions: each said as the order that makes it, nothing done
    (it was read as a count of one of the codes)."""
    old, new = parse.slots["old"], parse.slots["new"]
    where = f"le segment {parse.slots['segment_id']}" if "segment_id" in parse.slots else "le segment N"
    where_en = where.replace("le segment", "segment")
    text = ctx.say(
        f"Rien n'est fait : une correction, ce sont deux décisions. Écrivez « rejette {old} sur {where} », puis "
        f"« code {where} en {new} » (dans l'écran de revue : x sur {old}, puis c et {new}).",
        f"Nothing done: a correction is two decisions. Write « reject {old} on {where_en} », then "
        f"« code {where_en} as {new} » (in the review screen: x on {old}, then c and {new}).",
    )
    return Answer("correct", text, None, [], None, dict(parse.slots))


def misspelt(parse: Parse, ctx: Context) -> Answer:
    """« hrs vague 3 »: a word one typo from « hors » before a value; counting the value would
    answer the opposite of what was most likely asked, and guessing could be wrong too."""
    typed, meant, value = parse.misspelt[0]
    text = ctx.say(
        f"Je ne suis pas sûr de lire « {typed} {value} » : vouliez-vous dire « {meant} {value} » (tout sauf "
        f"« {value} ») ? Je ne réponds à la place ni sur « {value} », ni sur tout sauf « {value} » ; reformulez.",
        f"I am not sure how to read « {typed} {value} »: did you mean « {meant} {value} » (all but « {value} »)? "
        f"I will not answer instead, for « {value} » or for all but it; please rephrase.",
    )
    return _said(text)


_DOUBTS = {
    "segment": ("le numéro du segment n'est pas lu{w} : écrivez-le en chiffres (« segment 12 »)",
                "the segment's number is not read{w}: write it in digits (\"segment 12\")"),
    "segments": ("un ordre porte sur un segment à la fois", "an order is about one segment at a time"),
    "codes": ("un ordre porte sur un code à la fois ({words})", "an order is about one code at a time ({words})"),
    "segment_filter": ("un segment précis ne se filtre pas ({words})", "one segment takes no filter ({words})"),
    "number": ("nombre non lu « {words} » : un seuil s'écrit 0,6 ou 60 %",
               "number not read « {words} »: a threshold is written 0.6 or 60%"),
    "threshold": ("un seul seuil par ordre (en plus : « {words} »)", "one threshold per order (besides « {words} »)"),
    "bound": ("seuil non simple « {words} » : écrivez « sous 0,4 » ou « au-dessus de 0,9 »",
              "threshold not plain « {words} »: write \"below 0.4\" or \"above 0.9\""),
    "words": ("mots non compris : « {words} »", "words not understood: « {words} »"),
    "form": ("je n'exécute qu'un ordre écrit simplement : « rejette les suggestions F7 sous 0,4 chez les élus », "
             "« accepte F4 sur le segment 12 », « code le segment 12 en F3 », « réentraîne »",
             "I only carry out an order written plainly: \"reject F7 suggestions below 0.4 among elected "
             "officials\", \"accept F4 on segment 12\", \"code segment 12 as F3\", \"retrain\""),
    "shown": ("« {words} » désigne un passage montré : donnez son numéro (« rejette F7 sur le segment 1234 »)",
              "« {words} » points at a shown passage: give its number (\"reject F7 on segment 1234\")"),
    "segment_threshold": ("un seuil ne s'applique pas à un seul segment", "a threshold does not apply to one segment"),
    "unknown_code": ("code absent du codebook : {words}", "code not in the codebook: {words}"),
    "verbs": ("deux verbes d'ordre ({words}) : un ordre à la fois", "two order verbs ({words}): one order at a time"),
    "retrain_scope": ("le réentraînement porte sur toutes les décisions, sans filtre ({words})",
                      "retraining uses every decision, with no filter ({words})"),
    "values": ("un ordre prend une valeur par attribut ({words})", "an order takes one value per attribute ({words})"),
}  # fmt: skip


def doubtful_order(parse: Parse, ctx: Context) -> Answer:
    """An order that changes codings, not read exactly: nothing is proposed, and the answer says
    what was not understood (with ``--yes``, a misread order was carried out at once)."""
    said = []
    for doubt in parse.doubts:
        fr, en = _DOUBTS[doubt.kind]
        w = f" (« {doubt.words} »)" if doubt.words else ""
        said.append(ctx.say(fr, en).format(words=doubt.words, w=w))
    sample = example(parse.intent, ctx.lang, str(parse.slots.get("code") or "F3")) if parse.intent in EXAMPLES else ""
    text = ctx.say(
        f"Je ne propose rien : cet ordre changerait des codages et je ne l'ai pas lu exactement — "
        f"{' ; '.join(said)}." + (f" Par exemple : « {sample} »." if sample else ""),
        f"Nothing proposed: this order would change codings and I did not read it exactly — {'; '.join(said)}."
        + (f' For example: "{sample}".' if sample else ""),
    )
    return Answer(parse.intent, text, None, [], None, dict(parse.slots))


def unknown_names(parse: Parse, ctx: Context) -> Answer:
    """« chez Sylvain »: no respondent, role or place of that name; said, not answered for all."""
    speakers = sorted({s for said in ctx.corpus.speakers.values() for s in said})
    name = parse.unknown_names[0]
    territories = ", ".join(sorted({v for d in ctx.corpus.documents if (v := ctx.corpus.value(d, "territory"))})) or "—"
    if name.split()[0].lower() in ("vague", "round", "wave"):  # « en vague 4 »
        rounds = sorted({v for d in ctx.corpus.documents if (v := ctx.corpus.value(d, "round"))})
        return _not_in_project(
            parse,
            ctx,
            parse.unknown_names,
            ctx.say("Aucun entretien du projet n'est de la", "No interview of the project is from"),
            ((), 100, ""),  # no « close names »: the rounds are all listed below
            ctx.say(
                f"Vagues du projet : {', '.join(rounds) or 'aucune (attribut « round » absent)'}.",
                f"Rounds of the project: {', '.join(rounds) or 'none (no « round » attribute)'}.",
            ),
        )
    return _not_in_project(
        parse,
        ctx,
        parse.unknown_names,
        ctx.say(
            "Aucun répondant, rôle ni territoire du projet ne s'appelle",
            "No respondent, role or territory of the project is called",
        ),
        (speakers, 70, ctx.say("Répondants aux noms proches : ", "Respondents with close names: ")),
        ctx.say(
            f"Territoires du projet : {territories}. Pour chercher qui en parle : « qui parle de {name} ? ».",
            f'Territories of the project: {territories}. To find who talks about it: "who talks about {name}?".',
        ),
    )


def unknown_groups(parse: Parse, ctx: Context) -> Answer:
    """« chez les martiens », « que disent les bénévoles ? »: no role, value or respondent of the
    project; said with the roles it has, not answered for the whole corpus."""
    roles = sorted({v for d in ctx.corpus.documents if (v := ctx.corpus.value(d, "role"))})
    name = parse.unknown_groups[0]
    by_dimension = _dimension_lines(name, ctx)
    if by_dimension:  # « les plus de 50 ans »: an age, not a group to look for among the roles
        instead = ctx.say(" Je ne réponds pas sur tout le corpus à la place.", " I will not answer for everyone.")
        text = "\n".join([by_dimension[0] + instead, *by_dimension[1:]])
        return Answer(parse.intent, text, None, [], None, dict(parse.slots))
    answer = _not_in_project(
        parse,
        ctx,
        parse.unknown_groups,
        ctx.say(
            "Aucun rôle, groupe ni répondant du projet ne s'appelle",
            "No role, group or respondent of the project is called",
        ),
        (roles, 70, ctx.say("Rôles aux noms proches : ", "Roles with close names: ")),
        ctx.say(
            f"Rôles du projet : {', '.join(roles) or '—'} (d'autres attributs se nomment par leur valeur en entier). "
            f"Pour chercher qui parle d'eux : « qui parle des {name} ? ».",
            f"Roles of the project: {', '.join(roles) or '—'} (other attributes are named by their whole value). "
            f'To find who talks about them: "who talks about {name}?".',
        ),
    )
    return replace(answer, text=answer.text + "\n" + _what_filters(name, ctx))


# what a group no value names is about: « plus de 50 ans », « les plus jeunes » (age), « les plus
# anciens » (seniority; also age, which the question does not tell apart)
_DIMENSIONS = (
    ("age_band", frozenset("ans jeunes jeune ages agees age agee vieux vieilles seniors aines young old older "
                           "younger over under".split())),
    ("seniority_ebe", frozenset("anciens anciennes ancien ancienne nouveaux nouvelles recents recentes arrives "
                                "embauches".split())),
)  # fmt: skip
_SHOWN_VALUES = 8
_AGE_RANGE = re.compile(r"\d\d\s*[-–]\s*\d\d")


def _what_filters(group: str, ctx: Context) -> str:
    """The attributes the project has, so that what can be asked instead is in the answer."""
    listed = _attributes_listed(ctx)
    return ctx.say(f"Attributs du projet : {listed}.", f"Attributes of the project: {listed}.")


def _attributes_listed(ctx: Context) -> str:
    labelled = sorted(attribute_label(a, ctx.lang) for a in _attribute_values(ctx) if a in ATTRIBUTE_LABELS)
    return ", ".join(labelled) or "—"


def _attribute_values(ctx: Context) -> dict[str, set[str]]:
    have: dict[str, set[str]] = {}
    for document in ctx.corpus.documents.values():
        for attribute, value in document.attributes.items():
            if "," not in value:  # « 35-44, 35-44 »: a group interview's list, no value to name
                have.setdefault(attribute, set()).add(value)
    return have


def _dimension_lines(group: str, ctx: Context) -> list[str]:
    """« je ne peux pas filtrer par âge » for a group that is an age or a seniority (« plus de 50
    ans », « les plus anciens »), with the values the project has and one to name; empty for any
    other group."""
    corpus, lang = ctx.corpus, ctx.lang
    have = _attribute_values(ctx)
    listed = _attributes_listed(ctx)
    words = set(fold(group).replace("-", " ").split())
    named = [a for a, cues in _DIMENSIONS if words & cues]
    lines = []
    for attribute in named:
        label = attribute_label(attribute, lang)
        if attribute not in have:
            lines.append(
                ctx.say(
                    f"Je ne peux pas filtrer par {label} : les attributs du projet sont {listed}.",
                    f"I cannot filter by {label}: the attributes of the project are {listed}.",
                )
            )
            continue
        values = sorted(have[attribute])
        known = sum(1 for d in corpus.documents if corpus.value(d, attribute))
        shown_values = ", ".join(values[:_SHOWN_VALUES]) + (" …" if len(values) > _SHOWN_VALUES else "")
        ranges = [v for v in values if _AGE_RANGE.fullmatch(v)]  # « chez les 55-64 ans » is a filter
        example = ranges[-1] + " ans" if ranges else ""
        lines.append(
            ctx.say(
                f"Je ne peux pas filtrer par « {group} » : l'attribut « {label} » n'a que des valeurs précises "
                f"({shown_values}), renseignées pour {known} entretiens sur {len(corpus.documents)} ; "
                + (f"nommez-en une (« chez les {example} ») ou " if example else "")
                + f"comparez : « compare … par {label} ».",
                f'I cannot filter by "{group}": the attribute "{label}" only has precise values ({shown_values}), '
                f"set for {known} of {len(corpus.documents)} interviews; "
                + (f'name one ("among the {example}") or ' if example else "")
                + f'compare: "compare … by {label}".',
            )
        )
    return lines


def _not_in_project(
    parse: Parse, ctx: Context, asked: Sequence[str], nobody: str, close: tuple[Sequence[str], int, str], then: str
) -> Answer:
    """A name the project does not have is said, with the closest it has, and never answered as
    if the question were about the whole corpus."""
    quoted = ", ".join(ctx.say(f"« {n} »", f'"{n}"') for n in asked)
    choices, cutoff, lead = close
    nearest = process.extract(asked[0], choices, limit=3, score_cutoff=cutoff)
    lines = [
        nobody
        + f" {quoted}"
        + ctx.say(
            " ; je ne réponds pas sur tout le corpus à la place.", "; I will not answer on the whole corpus instead."
        )
    ]
    if nearest:
        lines.append(lead + ", ".join(c[0] for c in nearest) + ".")
    lines.append(then)
    return Answer(parse.intent, "\n".join(lines), None, [], None, dict(parse.slots))


def themes(parse: Parse, ctx: Context) -> Answer:
    """Emergent themes come from the topics capability (BERTopic), when it has been run."""
    run = ctx.topics() if ctx.topics else None
    if run is None:
        return Answer(
            parse.intent,
            ctx.say(
                f"Aucun thème calculé dans ce projet. Lancez « tzcld-qual topics {ctx.store.path} » pour faire "
                f"émerger des thèmes.",
                f'No themes computed in this project. Run "tzcld-qual topics {ctx.store.path}" to find '
                f"emergent themes.",
            ),
            None,
            [],
            None,
            dict(parse.slots),
        )
    topics = [t for t in run.topics if t.id != -1]
    table = [
        [
            "#",
            ctx.say("thème", "theme"),
            ctx.say("segments", "segments"),
            ctx.say("mots-clés", "keyphrases"),
            ctx.say("code le plus proche", "nearest code"),
        ]
    ]
    for t in topics:
        nearest = (
            f"{t.nearest_code} ({t.nearest_similarity:.2f})"
            if t.nearest_code and t.nearest_similarity is not None
            else "—"
        )
        table.append([str(t.id), t.label, str(t.size), ", ".join(t.keyphrases[:5]), nearest])
    text = ctx.say(
        f"{len(topics)} thème(s) émergent(s) du calcul {run.id} ({run.segments} segments, {run.outliers} hors "
        f"thème), le plus grand d'abord.",
        f"{len(topics)} emergent theme(s) from run {run.id} ({run.segments} segments, {run.outliers} outside any "
        f"theme), largest first.",
    )
    return Answer(parse.intent, text, table, [], None, dict(parse.slots))
