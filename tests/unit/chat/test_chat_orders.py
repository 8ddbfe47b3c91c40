"""Orders that change codings are carried out only when read exactly: each case below was
proposed (and with ``ask --yes`` carried out) on far more, or other, codings than asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from chat_fixture import MODEL, segment_id

from tzcld_qual.model import Status, Suggestion
from tzcld_qual.services.chat import ChatSession, ask, perform
from tzcld_qual.store import CodingFilter, ProjectStore


@pytest.mark.parametrize(
    "question",
    [
        # not orders: negations, questions without a question mark, listings, who-questions
        "ne rejette surtout pas les suggestions F4",
        "n'accepte aucune suggestion F4",
        "ne rejette plus les suggestions F4",
        "évite de rejeter les suggestions F4",
        "sans rejeter F7, accepte F4 sur le segment {id}",
        "peux tu rejeter les suggestions F4 sous 0,6",
        "can you accept F4 suggestions above 0.5",
        "serait-il possible d'accepter les suggestions F5",
        "on peut rejeter F7 sur le segment {id}",
        "liste les suggestions F4 à rejeter sous 0,6",
        "quelles suggestions F4 rejeter sous 0,6",
        "qui a rejeté F4",
        "qui a accepté F4",
        "qui a accepté F5 sur le segment {id}",
        # orders not read exactly: a number in words, thresholds out of range or twisted, two codes,
        # two segments, a group the project does not have, a filter on one segment
        "rejette F4 sur le segment douze",
        "rejette F4 sur le segment {id},5",
        "rejette les suggestions F4 sous 50",
        "rejette les suggestions F4 sous 0",
        "rejette les suggestions F4 sous 1,5",
        "rejette les suggestions F4 sous -0,2",
        "rejette les suggestions F4 plus faibles que 0,6",
        "accepte les suggestions F4 pas en dessous de 0,9",
        "rejette les suggestions F4 entre 0,3 et 0,5",
        "rejette les suggestions F4 et F7 sous 0,6",
        "rejette F7 sur les segments {id} et 3",
        "rejette les suggestions F4 sous 0,6 chez les martiens",
        "rejette F7 sur le segment {id} chez les élus",
        # a second audit: each of these was carried out on more, or other, codings than asked
        "accepte la première suggestion F4",
        "accepte cette suggestion F4",
        "rejette cette suggestion F4",
        "rejette les suggestions F4 de 0,9 ou plus",
        "accept F4 suggestions 0.9 or less",
        "rejette les suggestions F4.estime",
        "code le segment {id} en F4.xyz",
        "rejette F7 sur le segment {id} sous 0,5",
        "refuse de rejeter les suggestions F4",
        "rejette les suggestions F4 ou accepte-les",
        "réentraîne le modèle pas maintenant",
        "réentraîne le modèle chez les élus",
        "rejette les suggestions F4 chez les élus et les salariés",
        "rejette les suggestions F4 et F4.confiance",
        "accepte les suggestions F4 au-dessus de −0,2",
        "rejette les suggestions F4 sous moins 0,2",
        # a third audit: an order must read whole as one of its forms
        "rejette les suggestions F4 à 0,8 et au-dessus",
        "reject F4 suggestions at 0.8 and above",
        "accepte les suggestions F4 sous un seuil de confiance de 0,5",
        "accept no F4 suggestions",
        "s'il accepte les suggestions F4 au-dessus de 0,5",
        "Il rejette F7 sur le segment {id}",
        "vous acceptez les suggestions F4 au-dessus de 0,5",
        "accepte les suggestions F4 incertaines",
        "accepte les suggestions F4 au-delà de la vague 1",
        "accepte plus les suggestions F4",
        "crée un code à partir du thème 8 chez les élus",
        "crée un code à partir du thème 8 ou 9",
        "accepte les suggestions F4 au-dessus de 0,9%",  # read as 0,009: every F4 suggestion
    ],
)
def test_nothing_is_proposed(project: Path, session: ChatSession, question: str) -> None:
    target = segment_id(project, "ppde-vallon-06", 2)
    answer = ask(project, question.format(id=target), coder="marie", session=session)
    assert answer.action is None or not answer.action.needs_confirmation, answer.text


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("rejette F4 sur le segment douze", "le numéro du segment n'est pas lu (« douze »)"),
        # an order that fits no shape of its own was an F3 count, and --yes coded nothing unsaid
        ("code le segment douze en F3", "le numéro du segment n'est pas lu (« douze »)"),
        ("merci de coder le segment douze en F3", "le numéro du segment n'est pas lu (« douze »)"),
        # the same slip with the other verbs of the order-verbs table: each was an F4 (F3) count
        ("applique F4 au segment douze", "le numéro du segment n'est pas lu (« douze »)"),
        ("mets F4 sur le segment douze", "le numéro du segment n'est pas lu (« douze »)"),
        ("ajoute F4 au segment douze", "le numéro du segment n'est pas lu (« douze »)"),
        ("code F3 le segment douze", "le numéro du segment n'est pas lu (« douze »)"),
        ("valide F4 au segment douze", "le numéro du segment n'est pas lu (« douze »)"),
        ("retire F4 du segment douze", "le numéro du segment n'est pas lu (« douze »)"),
        ("rejette les suggestions F4 sous 50", "nombre non lu « 50 »"),
        ("rejette les suggestions F4 sous 1,5", "nombre non lu « 1,5 »"),
        ("rejette les suggestions F4 plus faibles que 0,6", "seuil non simple « faibles que 0,6 »"),
        ("rejette les suggestions F4 et F7 sous 0,6", "un ordre porte sur un code à la fois (F4, F7)"),
        ("rejette les suggestions F4 sous 0,6 chez les martiens", "mots non compris : « martiens »"),
    ],
)
def test_what_was_not_read_is_said(project: Path, session: ChatSession, question: str, said: str) -> None:
    answer = ask(project, question, coder="marie", session=session)
    assert answer.text.startswith("Je ne propose rien : cet ordre changerait des codages") and said in answer.text


@pytest.mark.parametrize(
    ("question", "below", "threshold"),
    [
        ("accepte les suggestions F4 < 0,5", True, 0.5),
        ("accepte toutes les suggestions F4 > 0.5", False, 0.5),
        ("merci de rejeter les suggestions F4 sous 60 %", True, 0.6),
        ("alors, accepte les suggestions F4 au moins 0,5", False, 0.5),
        ("accepte les suggestions F4 au plus 0,5", True, 0.5),
        ("rejette les suggestions F4 sup à 0,5", False, 0.5),
        ("refuse les suggestions F4 inf à 0,6", True, 0.6),
        # numbers inside a name or a value are read with it (they were refused as unread numbers)
        ("accepte les suggestions F4 au-dessus de 0,5 dans sal-coteaux-01", False, 0.5),
        ("rejette les suggestions F4 sous 0,6 en vague 2", True, 0.6),
        ("s'il te plaît rejette les suggestions F4 sous 0,6", True, 0.6),
        ("merci de bien vouloir rejeter les suggestions F4 sous 0,6", True, 0.6),
        ("accepte les suggestions F4 à partir de 0,5", False, 0.5),
        ("accepte les suggestions F4 dès 0,5", False, 0.5),
        ("accept F4 suggestions greater than 0.5", False, 0.5),
        ("accepte les suggestions F4 dont la confiance dépasse 0,5", False, 0.5),
        ("rejette les suggestions F4 avec une confiance supérieure ou égale à 0,5", False, 0.5),
        ("rejette les suggestions F4 sous 0,6 de la première vague", True, 0.6),
        ("rejette les suggestions F4 qui ont une confiance d'au moins 0,5", False, 0.5),
        ("rejette les suggestions F4 qui ont moins de 0,6", True, 0.6),
        ("rejette les suggestions F4 jusqu'à 0,6", True, 0.6),
    ],
)
def test_plain_orders_are_proposed_with_their_bound(
    project: Path, session: ChatSession, question: str, below: bool, threshold: float
) -> None:
    answer = ask(project, question, coder="marie", session=session)
    assert answer.intent in ("accept_batch", "reject") and not answer.text.startswith("Je ne propose rien")
    assert answer.slots["threshold"] == threshold and bool(answer.slots.get("below")) is below
    if answer.action is not None:  # with nothing under the bound in the fixture, nothing is proposed
        assert answer.action.needs_confirmation and answer.action.params["below"] is below


def test_a_follow_up_never_repeats_an_order(project: Path, session: ChatSession) -> None:
    """After « rejette les suggestions F4 sous 0,6 », « et chez les élus ? » with --yes rejected more."""
    first = ask(project, "rejette les suggestions F4 sous 0,6", coder="marie", session=session)
    assert first.action is not None and first.action.needs_confirmation
    again = ask(project, "et chez les élus ?", coder="marie", session=session)
    assert again.action is None or not again.action.needs_confirmation


def test_an_english_order_is_answered_in_english(project: Path, session: ChatSession) -> None:
    answer = ask(project, "reject F4 suggestions below 0.6", coder="marie", session=session)
    assert answer.text.startswith("I would reject")


def test_a_question_on_people_gets_no_note_on_orders(project: Path, session: ChatSession) -> None:
    """« qui refuse le CDI ? » is about people: « seul un ordre … est exécuté » would puzzle."""
    answer = ask(project, "qui refuse le CDI ?", session=session)
    assert "Rien n'a été modifié" not in answer.text


@pytest.mark.parametrize(
    ("question", "sign", "admitted"),
    [
        ("accepte les suggestions F4 > 0,55", ">", lambda c: c > 0.55),
        ("accepte les suggestions F4 ≥ 0,55", "≥", lambda c: c >= 0.55),
        ("rejette les suggestions F4 au plus 0,55", "≤", lambda c: c <= 0.55),
        ("rejette les suggestions F4 <= 0,55", "≤", lambda c: c <= 0.55),
        ("rejette les suggestions F4 sous 0,55", "<", lambda c: c < 0.55),
    ],
)
def test_the_threshold_itself_is_in_or_out_as_said(
    project: Path, session: ChatSession, question: str, sign: str, admitted: Any
) -> None:
    """« > 1,0 » took 28 suggestions at exactly 1,00; « au plus 0,9999 » left those at 0,9999."""
    with ProjectStore(project) as store:
        decided = {(c.segment_id, c.code_id) for c in store.codings.human("marie")}
        expected = {
            (c.segment_id, c.code_id)
            for c in store.codings.list(CodingFilter(origin=MODEL, code="F4"))
            if c.status is Status.SUGGESTED and admitted(c.confidence) and (c.segment_id, c.code_id) not in decided
        }
    answer = ask(project, question, coder="marie", session=session)
    assert f"avec une confiance {sign} 0,55" in answer.text
    assert answer.table is None or {(int(r[0]), r[2]) for r in answer.table[1:] if r[0].isdigit()} <= expected
    assert (answer.action.params["count"] if answer.action else 0) == len(expected)


def test_a_confirmed_batch_that_no_longer_holds_is_not_done(project: Path, session: ChatSession) -> None:
    """Confirmed in the review screen after a retraining, a batch accepted the new model's
    suggestions; after other decisions, more than proposed."""
    answer = ask(project, "accepte les suggestions F4 au-dessus de 0,4", coder="marie", session=session)
    assert answer.action is not None and answer.action.params["count"] == 2
    target = segment_id(project, "ppde-forges-03", 2)  # one of the two (F4, 0.55)
    with ProjectStore(project) as store:
        store.codings.decide(target, "F4", "marie", Status.REJECTED)
        before = sorted((c.segment_id, c.code_id, c.status) for c in store.codings.human("marie"))
    done = perform(project, answer.action, coder="marie")
    assert done.text.startswith("Rien n'est fait : 1 suggestion(s) répondent maintenant")
    with ProjectStore(project) as store:
        assert sorted((c.segment_id, c.code_id, c.status) for c in store.codings.human("marie")) == before
        store.set_meta("current_model", "ensemble@99")
    again = perform(project, answer.action, coder="marie")
    assert again.text.startswith("Rien n'est fait : le modèle a changé depuis la proposition")


def test_a_rejection_counts_the_sub_codes_a_theme_suggests(project: Path, session: ChatSession) -> None:
    """The roll-up rejects sub-codes suggested by a theme made a code (topics@N) too: 259 proposed, 264 done."""
    target = segment_id(project, "ppde-forges-03", 2)  # F4 suggested at 0.55
    with ProjectStore(project) as store:
        store.codings.register_coder("topics@1", "model")
        store.codings.put_scores(
            "topics@1", {target: {"F4.confiance": 0.7}}, [Suggestion(target, "F4.confiance", 0.7, "")]
        )
    answer = ask(project, "rejette les suggestions F4 sous 0,6", coder="paul", session=session)
    assert answer.action is not None and answer.table is not None
    assert (str(target), "F4.confiance") in {(r[0], r[2]) for r in answer.table[1:]}
    done = perform(project, answer.action, coder="paul")
    assert done.text.startswith(f"{answer.action.params['count']} suggestion(s) rejetée(s) au nom de paul")


@pytest.mark.parametrize(
    "question",
    [
        "rejette les suggestions F4 sur le territoire de Haut-Vallon",
        "rejette F4 sur tous les segments",
        "supprime F7 du segment {id}",
        "lance un réentraînement",
        "accept any F4 suggestions",
        "rejette la suggestion F7 sur le segment {id}",
        "accepte la suggestion F7 du segment {id}",
        "enlève le code F7 du segment {id}",
    ],
)
def test_plain_orders_without_a_threshold_are_read(project: Path, session: ChatSession, question: str) -> None:
    """Orders the audit counted as wrongly refused."""
    target = segment_id(project, "ppde-vallon-06", 2)
    answer = ask(project, question.format(id=target), coder="marie", session=session)
    assert answer.intent in ("accept_batch", "reject", "retrain", "code_segment")
    assert not answer.text.startswith("Je ne propose rien")


def test_an_order_on_a_shown_segment_points_at_the_same_one_when_repeated(project: Path, session: ChatSession) -> None:
    """« rejette F4 sur le deuxième », then the same with --yes: the proposal had become the last
    answer, with one segment, and « le deuxième » of it was none (« Quel segment ? »)."""
    ask(project, "5 citations sur F4", coder="marie", session=session)
    first = ask(project, "rejette F4 sur le deuxième", coder="marie", session=session)
    again = ask(project, "rejette F4 sur le deuxième", coder="marie", session=session)
    assert isinstance(first.slots.get("segment_id"), int)
    assert again.slots.get("segment_id") == first.slots["segment_id"]


@pytest.mark.parametrize("order", ["code ce segment en F7", "code le premier en F7", "ajoute F7 à cet extrait"])
def test_an_order_on_the_segment_just_shown(project: Path, session: ChatSession, order: str) -> None:
    """« code ce segment en F7 » after quotes answered the F7 counts."""
    shown = ask(project, "5 citations sur F4", coder="marie", session=session)
    answer = ask(project, order, coder="marie", session=session)
    assert answer.intent == "code_segment" and answer.action is not None
    assert answer.action.params == {"segment_id": shown.quotes[0].segment_id, "code": "F7"}


@pytest.mark.parametrize(
    "order", ["accepte les suggestions du deuxième", "accepte toutes les suggestions sur le deuxième"]
)
def test_accepting_the_suggestions_of_a_shown_segment(project: Path, session: ChatSession, order: str) -> None:
    """« du deuxième » was refused while « sur le deuxième » worked."""
    shown = ask(project, "5 citations sur F4", coder="claire", session=session)
    answer = ask(project, order, coder="claire", session=session)
    assert answer.intent == "accept_batch" and answer.slots.get("segment_id") == shown.quotes[1].segment_id


def test_a_refused_order_keeps_what_was_shown(project: Path, session: ChatSession) -> None:
    """Refused, then rephrased as asked, « le deuxième » was none: the refusal had become the last
    answer, showing nothing."""
    shown = ask(project, "5 citations sur F4", coder="claire", session=session)
    refused = ask(project, "accepte les suggestions du segment douze", coder="claire", session=session)
    assert refused.text.startswith("Je ne propose rien")
    answer = ask(project, "accepte les suggestions sur le deuxième", coder="claire", session=session)
    assert answer.slots.get("segment_id") == shown.quotes[1].segment_id


@pytest.mark.parametrize("named", ["du document sal-coteaux-01", "de l'entretien sal-coteaux-01",
                                   "dans le fichier sal-coteaux-01"])  # fmt: skip
def test_an_interview_named_with_its_noun_is_read(project: Path, session: ChatSession, named: str) -> None:
    """« accepte les suggestions F4 au-dessus de 0,9 du document demo-01 » was refused (« mots
    non compris : document ») where « dans demo-01 » was proposed; alone, the noun names nothing."""
    plain = ask(project, "accepte les suggestions F3 au-dessus de 0,5 dans sal-coteaux-01", coder="claire",
                session=session)  # fmt: skip
    assert plain.action is not None and plain.action.params["attributes"]
    answer = ask(project, f"accepte les suggestions F3 au-dessus de 0,5 {named}", coder="claire", session=session)
    assert answer.action == plain.action, answer.text
    alone = ask(project, "accepte les suggestions F3 au-dessus de 0,5 du document", coder="claire", session=session)
    assert alone.action is None and "mots non compris : « document »" in alone.text
