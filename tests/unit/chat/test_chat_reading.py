"""Questions read as asked: each case was answered silently wrong by an earlier version (an
audit of ~260 questions on the demo project)."""

from __future__ import annotations

from pathlib import Path

import pytest
from chat_fixture import segment_id

from tzcld_qual.services.chat import ChatSession, ask
from tzcld_qual.store import ProjectStore

PPDE = "personne privée durablement d'emploi"


@pytest.mark.parametrize(
    ("question", "attribute", "value"),
    [
        ("combien d'entretiens hors vague 2 ?", "round", "vague 2"),
        ("combien d'entretiens sauf les salariés ?", "role", "salarié·e EBE"),
        ("F4 chez tous sauf les élus", "role", "élu·e"),
        ("combien d'entretiens évoquent F4 sans compter la vague 2 ?", "round", "vague 2"),
        ("combien d'entretiens ne sont pas en vague 1 ?", "round", "vague 1"),
        ("qui parle de la honte, à part les salariés ?", "role", "salarié·e EBE"),
        # a second review: each answered for the group itself
        ("combien d'entretiens sans les élus ?", "role", "élu·e"),
        ("combien d'entretiens à l'exception des élus ?", "role", "élu·e"),
        ("F4, élus exceptés", "role", "élu·e"),
        ("F4 except for elected officials", "role", "élu·e"),
        ("que disent les salariés, sauf ceux des Coteaux, sur la confiance ?", "territory", "Les Coteaux-sur-Loire"),
        # a review of the feature: each counted the group left out, alone
        ("F4 hormis les élus", "role", "élu·e"),
        ("combien d'entretiens évoquent F4 en excluant la vague 2 ?", "round", "vague 2"),
        ("F4 autres que la vague 2", "round", "vague 2"),
        ("combien d'entretiens qui ne sont pas des élus parlent de F4 ?", "role", "élu·e"),
        ("How many interviews, other than those in Haut-Vallon, mention F4?", "territory", "Haut-Vallon"),
        ("combien d'entretiens parlent de F4 sauf pour la vague 1 ?", "round", "vague 1"),
        ("F4, à l'exclusion des élus", "role", "élu·e"),
        ("F4, exception faite des élus", "role", "élu·e"),
    ],
)
def test_a_group_left_out_is_left_out(
    project: Path, session: ChatSession, question: str, attribute: str, value: str
) -> None:
    """« hors vague 3 » counted vague 3 alone, the opposite of the question; then it was refused.
    The group is now left out, and its words are no topic."""
    answer = ask(project, question, session=session)
    assert answer.slots["filters"][attribute] == {"sauf": [value]}  # type: ignore[index]
    assert "tout sauf " + value in answer.text or "all but " + value in answer.text
    assert "sauf" not in str(answer.slots.get("query", "")) and "part" not in str(answer.slots.get("query", ""))


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("combien d'entretiens hrs vague 2 évoquent F4 ?", "« hrs vague 2 » : vouliez-vous dire « hors vague 2 »"),
        ("combien d'entretiens sauff les élus ?", "vouliez-vous dire « sauf élu·e »"),
        ("F4 hormi la vague 1", "vouliez-vous dire « hormis vague 1 »"),
    ],
)
def test_a_misspelt_exclusion_is_not_read_as_the_group_itself(
    project: Path, session: ChatSession, question: str, said: str
) -> None:
    """« hrs vague 3 » counted vague 3 alone: the opposite of what was most likely asked."""
    answer = ask(project, question, session=session)
    assert said in answer.text and "reformulez" in answer.text
    assert "entretiens :" not in answer.text


@pytest.mark.parametrize("question", ["F4 lors de la vague 2", "F4 alors en vague 2 ?"])
def test_a_word_near_an_exclusion_is_no_exclusion(project: Path, session: ChatSession, question: str) -> None:
    answer = ask(project, question, session=session)
    assert answer.slots["filters"] == {"round": "vague 2"}


@pytest.mark.parametrize(
    ("question", "said", "named"),
    [
        ("combien d'entretiens à partir de la vague 2 ?", "à partir de vague 2", "« vague 2 »."),
        ("F4 depuis la vague 2", "à partir de vague 2", "« vague 2 »."),
        ("F4 en vague 1 et suivantes", "à partir de vague 1", "« vague 1 » ou « vague 2 »."),
        ("F4 après la vague 1", "après vague 1", "« vague 2 »."),
        ("F4 avant la vague 2", "avant vague 2", "« vague 1 »."),
        ("F4 jusqu'à la vague 1", "jusqu'à vague 1", "« vague 1 »."),
    ],
)
def test_a_range_of_values_is_not_answered_for_its_first(
    project: Path, session: ChatSession, question: str, said: str, named: str
) -> None:
    """« à partir de la vague 2 », « avant la vague 3 », « et suivantes » counted that round alone;
    the values to name instead are the range's."""
    answer = ask(project, question, session=session)
    assert answer.text.startswith(f"Je ne lis pas une suite de valeurs (« {said} »)")
    assert f"Nommez-les : {named.rstrip('.')} (valeurs du projet" in answer.text
    assert answer.table is None and not answer.quotes


@pytest.mark.parametrize(
    ("question", "values"),
    [
        ("combien d'entretiens ni les élus ni les PPDE parlent de F4 ?", ["élu·e", PPDE]),
        ("F4 sauf chez les élus et les PPDE", ["élu·e", PPDE]),  # the PPDE were kept
        ("combien d'entretiens parlent de F4, sauf les élus, les PPDE ?", ["élu·e", PPDE]),
        ("combien d'entretiens évoquent F4, sauf la vague 1 ou la vague 2 ?", ["vague 1", "vague 2"]),
    ],
)
def test_every_value_joined_to_one_left_out_is_left_out(
    project: Path, session: ChatSession, question: str, values: list[str]
) -> None:
    answer = ask(project, question, session=session)
    (wanted,) = answer.slots["filters"].values()  # type: ignore[attr-defined]
    assert wanted == {"sauf": values} and answer.intent == "count"


def test_what_cannot_be_left_out_is_said_not_counted_in(project: Path, session: ChatSession) -> None:
    """« sauf Sylvie » quoted Sylvie: a respondent's turns are not left out; said."""
    answer = ask(project, "que disent les répondants sauf Sylvie sur la confiance ?", session=session)
    assert answer.text.startswith("Je ne sais pas laisser un·e répondant·e de côté (« sauf Sylvie »)")
    assert not answer.quotes and answer.table is None


def test_filters_left_out_or_joined_are_no_topic_and_no_comparison(project: Path, session: ChatSession) -> None:
    search = ask(project, "qui parle de la honte hors vague 2 ?", session=session)
    assert search.slots["query"] == "honte" and search.slots["filters"] == {"round": {"sauf": ["vague 2"]}}
    listed = ask(project, "liste les entretiens sauf ceux des Coteaux", session=session)
    assert listed.intent == "inventory"
    either = ask(project, "F4 chez les élus ou les PPDE", session=session)
    assert either.intent == "count" and either.slots["filters"] == {"role": ["élu·e", PPDE]}
    rounds = ask(project, "combien d'entretiens en vague 1 ou 2 parlent de F4 ?", session=session)
    assert rounds.slots["filters"] == {"round": ["vague 1", "vague 2"]}  # it counted vague 1 alone
    limit = ask(project, "citations F4 de la vague 2 et 3 citations", session=session)
    assert limit.slots["filters"] == {"round": "vague 2"} and limit.slots["limit"] == 3
    by_round = ask(project, "compare F4 par vague chez les élus ou les PPDE", session=session)
    assert by_round.slots["compare_by"] == "round" and by_round.slots["filters"] == {"role": ["élu·e", PPDE]}


def test_the_queue_takes_one_group_also_in_a_follow_up(project: Path, session: ChatSession) -> None:
    """« les segments incertains chez les élus ou les PPDE » opened the queue on the élus."""
    both = ask(project, "montre-moi les segments incertains en F4 chez les élus ou les PPDE", session=session)
    assert both.action is None and both.text.startswith("Rien n'est fait")
    one = ask(project, "montre-moi les segments incertains en F4 chez les élus", session=session)
    assert one.action is not None and one.action.kind == "open_queue"
    again = ask(project, "et chez les PPDE ou les salariés ?", session=session)
    assert again.action is None and again.text.startswith("Rien n'est fait")


@pytest.mark.parametrize("order", ["et accepte-les", "et rejette-les", "puis accepte-les toutes"])
def test_an_order_after_a_question_is_an_order_not_a_search(project: Path, session: ChatSession, order: str) -> None:
    """« et accepte-les » searched the transcripts for « accepte »; an order not read exactly is
    refused (nothing proposed), as « accepte-les » alone was."""
    ask(project, "combien de segments évoquent F4 chez les élus ?", session=session)
    answer = ask(project, order, session=session)
    assert answer.intent not in ("search", "quotes", "count") and answer.action is None
    assert answer.text.startswith(("Je ne propose rien", "Je n'ai pas compris"))


@pytest.mark.parametrize(
    "question",
    [
        "corrige le segment {n} : F6 au lieu de F5",
        "remplace F5 par F6 sur le segment {n}",
        "corrige la suggestion F5 du segment {n} en F6",
        "au lieu de F5, mets F6 sur le segment {n}",
    ],
)
def test_a_correction_is_said_as_the_two_orders_it_takes(project: Path, session: ChatSession, question: str) -> None:
    """« remplace F5 par F6 sur le segment 16 » was answered with a count of F5, with ``--yes`` too."""
    n = segment_id(project, "sal-coteaux-01", 2)
    with ProjectStore(project) as store:
        before = [(c.segment_id, c.code_id, c.status) for c in store.codings.human()]
    answer = ask(project, question.format(n=n), session=session)
    assert answer.intent == "correct" and answer.action is None
    assert f"« rejette F5 sur le segment {n} », puis « code le segment {n} en F6 »" in answer.text
    with ProjectStore(project) as store:
        assert [(c.segment_id, c.code_id, c.status) for c in store.codings.human()] == before


@pytest.mark.parametrize(
    "question", ["F6 au lieu de la sécurité financière sur le segment 16", "remplace la sécurité financière par F6"]
)
def test_a_correction_naming_a_code_by_its_label_keeps_the_order_written(
    project: Path, session: ChatSession, question: str
) -> None:
    """Ids were read before labels: the analyst was told to reject F6 and code F5.financiere."""
    answer = ask(project, question, session=session)
    assert (answer.slots["old"], answer.slots["new"]) == ("F5.financiere", "F6")


@pytest.mark.parametrize(
    "question", ["combien de segments F5 et F6 correctement codés ?", "qu'est-ce qui change entre F5 et F6 ?"]
)
def test_a_question_with_a_word_like_correct_is_no_correction(
    project: Path, session: ChatSession, question: str
) -> None:
    assert ask(project, question, session=session).intent != "correct"


def test_a_share_is_no_exclusion(project: Path, session: ChatSession) -> None:
    answer = ask(project, "Quelle part des salariés parle de confiance en soi ?", session=session)
    assert answer.slots["filters"] == {"role": "salarié·e EBE"}


@pytest.mark.parametrize(
    ("question", "filters", "query"),
    [
        ("quels élus parlent des horaires ?", {"role": "élu·e"}, "horaires"),
        ("quelles personnes de la vague 2 parlent des horaires ?", {"round": "vague 2"}, "horaires"),
        (
            "quels salariés de Haut-Vallon parlent des horaires ?",
            {"role": "salarié·e EBE", "territory": "Haut-Vallon"},
            "horaires",
        ),
        (
            "à Haut-Vallon, les élus parlent-ils des horaires ?",
            {"territory": "Haut-Vallon", "role": "élu·e"},
            "horaires",
        ),
        (
            "qui parle de la honte chez les élus de Haut-Vallon ?",
            {"role": "élu·e", "territory": "Haut-Vallon"},
            "honte",
        ),
        ("combien d'élus parlent de la honte du chômage ?", {"role": "élu·e"}, "honte du chômage"),
        ("combien de salariés parlent des horaires ?", {"role": "salarié·e EBE"}, "horaires"),
        ("combien d'entretiens parlent des salariés ?", None, "salariés"),  # the topic, not a filter
        ("est-ce que les salariés parlent de la fatigue ?", {"role": "salarié·e EBE"}, "fatigue"),
        ("Est-ce que les élus évoquent la honte du chômage ?", {"role": "élu·e"}, "honte du chômage"),
        ("quels élus évoquent le financement ?", {"role": "élu·e"}, "financement"),
        ("Karim parle-t-il du transport ?", {"speaker": "Karim"}, "transport"),
        ("do employees talk about working hours?", {"role": "salarié·e EBE"}, "working hours"),
    ],
)
def test_the_group_that_speaks_filters_a_search(
    project: Path, session: ChatSession, question: str, filters: dict | None, query: str
) -> None:
    """The group before the verb was dropped (« quels élus parlent des horaires ? » found no élu),
    and « combien de salariés parlent des horaires ? » counted the salariés, topic gone."""
    answer = ask(project, question, session=session)
    assert answer.intent == "search"
    assert (answer.slots.get("filters"), answer.slots.get("query")) == (filters, query)


def test_a_count_answered_by_a_search_says_it_is_no_count(project: Path, session: ChatSession) -> None:
    answer = ask(project, "combien de salariés parlent des horaires ?", session=session)
    assert "Un sujet sans code ne se compte pas" in answer.text
    assert "ne se compte pas" not in ask(project, "qui parle des horaires ?", session=session).text


@pytest.mark.parametrize(
    ("question", "intent", "slots"),
    [
        ("combien d'entretiens ont été menés par vague ?", "inventory", {"subject": "values", "attribute": "round"}),
        ("de quel entretien vient le segment 3 ?", "open_segment", {"segment_id": 3}),
        ("quels codes ne sont pas encore codés ?", "inventory", {"subject": "codes", "state": "uncoded"}),
        ("quels codes n'ont jamais été appliqués ?", "inventory", {"subject": "codes", "state": "uncoded"}),
        ("which codes have never been applied?", "inventory", {"subject": "codes", "state": "uncoded"}),
        ("quels codes restent à revoir ?", "inventory", {"subject": "codes", "state": "open"}),
        (
            "combien de segments restent à revoir chez les élus ?",
            "inventory",
            {"subject": "documents", "state": "open", "filters": {"role": "élu·e"}},
        ),
    ],
)
def test_lists_and_segments_asked_in_other_words(
    project: Path, session: ChatSession, question: str, intent: str, slots: dict
) -> None:
    """Each was misread: the codes × rounds matrix, a search for « vient le segment », the
    interviews instead of the codes, « De quel code s'agit-il ? », the uncertainty queue."""
    answer = ask(project, question, session=session)
    assert answer.intent == intent
    assert {k: v for k, v in answer.slots.items() if k in slots} == slots


def test_codes_never_applied(project: Path, session: ChatSession) -> None:
    every = ask(project, "quels sont les codes ?", session=session)
    answer = ask(project, "quels codes n'ont jamais été appliqués ?", session=session)
    assert every.table is not None and answer.table is not None
    never = [r[0] for r in every.table[1:] if r[3].startswith("0/")]
    assert never and [r[0] for r in answer.table[1:] if r[3]] == never
    assert "jamais appliqués" in answer.text


def test_a_follow_up_by_another_attribute_lists_its_values(project: Path, session: ChatSession) -> None:
    ask(project, "combien d'entretiens par vague ?", session=session)
    answer = ask(project, "et par territoire ?", session=session)
    assert (answer.intent, answer.slots["subject"], answer.slots["attribute"]) == ("inventory", "values", "territory")


def test_an_attribute_named_like_a_unit_is_no_attribute(tmp_path: Path) -> None:
    """An interview's attribute « respondents » (how many spoke) took « répondants »: « nombre de
    répondants par rôle » compared the codes by that attribute."""
    from tzcld_qual.chat.slots import Vocabulary
    from tzcld_qual.codebook import load_codebook
    from tzcld_qual.paths import default_codebook

    vocabulary = Vocabulary.build(load_codebook(default_codebook()), {"respondents": ["2"], "role": ["élu·e"]}, [], [])
    assert vocabulary.extract("nombre de répondants par rôle").attributes == ("role",)


@pytest.mark.parametrize(
    ("question", "code", "by"),
    [
        ("quelle vague parle le plus de F4 ?", "F4", "round"),
        ("quel territoire évoque le plus F7 ?", "F7", "territory"),
        ("which territory mentions F7 most?", "F7", "territory"),
    ],
)
def test_which_group_most_is_a_comparison(
    project: Path, session: ChatSession, question: str, code: str, by: str
) -> None:
    """« quelle vague parle le plus de F4 ? » counted F4 over every round."""
    answer = ask(project, question, session=session)
    assert (answer.intent, answer.slots.get("code"), answer.slots.get("compare_by")) == ("compare", code, by)


def test_a_second_breakdown_left_out_is_said(project: Path, session: ChatSession) -> None:
    answer = ask(project, "F4 par rôle et par vague", session=session)
    assert answer.slots["compare_by"] == "role"
    assert "la répartition par vague n'est pas faite" in answer.text


def test_a_zero_for_a_code_nothing_carries_says_so(project: Path, session: ChatSession) -> None:
    """« combien d'entretiens parlent de la confiance en soi ? » answered a bare 0/50 for a sub-code
    the model never suggests: read as « nobody »."""
    with ProjectStore(project) as store:
        carried = {c.code_id for c in store.codings.list()}
        codebook = store.codebooks.get(store.codebooks.latest_version() or 1)
    assert codebook is not None
    empty = next(c.id for c in codebook.codes if c.id not in carried and c.parent)
    answer = ask(project, f"combien d'entretiens parlent de {empty} ?", session=session)
    assert f"Aucun segment du projet n'est codé ni suggéré {empty}" in answer.text
    assert "ni suggéré" not in ask(project, "combien d'entretiens parlent de F4 ?", session=session).text


def test_one_interview_is_singular(project: Path, session: ChatSession) -> None:
    """« Corpus (locuteur = Karim) : 1 entretiens, 1 répondants »."""
    answer = ask(project, "que contient le projet pour Karim ?", session=session)
    assert "1 entretien," in answer.text and "1 répondant," in answer.text


@pytest.mark.parametrize(("follow_up", "index"), [("montre le deuxième", 1), ("quels codes a ce segment ?", 0)])
def test_a_segment_the_last_answer_showed(project: Path, session: ChatSession, follow_up: str, index: int) -> None:
    """« quels codes a ce segment ? » asked « de quel code s'agit-il ? »; « montre le deuxième »
    was not understood."""
    shown = ask(project, "qui parle de la honte ?", session=session).quotes
    answer = ask(project, follow_up, session=session)
    assert answer.intent == "open_segment" and answer.action is not None
    assert answer.action.params["segment_id"] == shown[index].segment_id


@pytest.mark.parametrize(
    ("question", "intent", "slots"),
    [
        ("les salariés ne parlent-ils pas des élus ?", "search", {"filters": {"role": "salarié·e EBE"}}),  # a topic
        ("est-ce que les élus parlent des salariés ?", "search", {"filters": {"role": "élu·e"}, "query": "salariés"}),
        ("combien de personnes parlent en vague 2 ?", "count", {"filters": {"round": "vague 2"}}),
    ],
)
def test_a_second_review_of_groups_and_topics(
    project: Path, session: ChatSession, question: str, intent: str, slots: dict
) -> None:
    """Refused as an exclusion; a comparison of the two roles; « Chercher quoi ? »."""
    answer = ask(project, question, session=session)
    assert answer.intent == intent
    assert {k: v for k, v in answer.slots.items() if k in slots} == slots


@pytest.mark.parametrize(("question", "name"), [("combien d'entretiens en 2024 ?", "2024")])
def test_a_year_is_not_dropped(project: Path, session: ChatSession, question: str, name: str) -> None:
    """« en 2024 » counted every interview."""
    assert f"« {name} »" in ask(project, question, session=session).text.split("\n")[0]


def test_a_language_is_no_place(project: Path, session: ChatSession) -> None:
    answer = ask(project, "how many interviews per round, in English?", session=session)
    assert answer.intent == "inventory"


def accepted_by_person(path: Path, code: str) -> dict[tuple[str, str], int]:
    """(respondent, document) -> their segments with an accepted or manual coding of ``code`` or
    a sub-code, counted from the store directly."""
    with ProjectStore(path) as store:
        segments = {s.id: s for s in store.documents.segments()}
        names = {d.id: d.name for d in store.documents.list()}
        found: dict[tuple[str, str], set[int]] = {}
        for c in store.codings.human():
            segment = segments.get(c.segment_id)
            if segment is None or not c.status.applies or not (c.code_id == code or c.code_id.startswith(code + ".")):
                continue
            found.setdefault((segment.speaker, names[segment.document_id]), set()).add(segment.id)
    return {k: len(v) for k, v in found.items()}


@pytest.mark.parametrize(
    "question", ["qui parle de F4 ?", "quels répondants parlent le plus de F4 ?", "who mentions F4?"]
)
def test_who_talks_about_a_code_names_the_people_most_first(project: Path, session: ChatSession, question: str) -> None:
    """« qui parle de F4 ? » answered how many respondents: not who."""
    answer = ask(project, question, session=session)
    assert answer.intent == "count" and answer.slots.get("who") is True and answer.table is not None
    rows = answer.table[1:]
    accepted = {(r[0], r[1]): int(r[2]) for r in rows}
    expected = accepted_by_person(project, "F4")
    assert expected and {k: v for k, v in accepted.items() if v} == expected
    assert [int(r[2]) for r in rows] == sorted((int(r[2]) for r in rows), reverse=True)
    assert all(int(r[3]) >= int(r[2]) for r in rows)  # with suggestions counts the accepted too


def test_which_interviews_talk_most_about_a_code_are_ranked(project: Path, session: ChatSession) -> None:
    """« quels entretiens parlent le plus de F4 ? » listed them in alphabetical order."""
    answer = ask(project, "quels entretiens parlent le plus de F4 ?", session=session)
    assert answer.slots.get("ranked") == "most" and answer.table is not None
    rows = answer.table[1:]
    by_document: dict[str, int] = {}
    for (_who, document), n in accepted_by_person(project, "F4").items():
        by_document[document] = by_document.get(document, 0) + n
    assert {r[0]: int(r[1]) for r in rows if int(r[1])} == by_document
    assert [(int(r[1]), int(r[2])) for r in rows] == sorted(((int(r[1]), int(r[2])) for r in rows), reverse=True)
    least = ask(project, "quels entretiens parlent le moins de F4 ?", session=session)
    assert least.table is not None
    fewest = [(int(r[1]), int(r[2])) for r in least.table[1:]]
    with ProjectStore(project) as store:
        interviews = len(store.documents.list())
    assert fewest == sorted(fewest) and len(fewest) == interviews  # those without F4 too, first
    assert interviews > len(rows) and fewest[0] == (0, 0)


def test_how_many_respondents_is_still_a_count(project: Path, session: ChatSession) -> None:
    answer = ask(project, "combien de répondants parlent de F4 ?", session=session)
    assert answer.intent == "count" and "who" not in answer.slots


def test_who_decided_on_a_segment_is_said(project: Path, session: ChatSession) -> None:
    """« qui a accepté le segment 8 ? » showed its codes without a name."""
    target = segment_id(project, "groupe-sal-05", 4)  # F4.confiance: rejected by marie, accepted by paul
    answer = ask(project, f"qui a accepté le segment {target} ?", session=session)
    assert answer.intent == "open_segment"
    decisions = next(line for line in answer.text.splitlines() if line.startswith("Décisions : "))
    assert "F4.confiance acceptée par paul (" in decisions and "F4.confiance rejetée par marie (" in decisions
    assert "UTC)" in decisions


def test_a_follow_up_keeps_the_ranking(project: Path, session: ChatSession) -> None:
    """« quels entretiens parlent le plus de F4 ? » then « et en vague 1 ? » gave a plain count."""
    ask(project, "quels entretiens parlent le plus de F4 ?", session=session)
    answer = ask(project, "et en vague 1 ?", session=session)
    assert answer.table is not None and answer.table[0][1:] == ["segments acceptés", "avec suggestions"]
    assert answer.slots.get("filters") == {"round": "vague 1"}


def test_a_threshold_a_count_cannot_use_points_to_a_listing(project: Path, session: ChatSession) -> None:
    """It pointed to « accepte les suggestions F4 au-dessus de 0,5 » (the opposite side, and an
    order `ask --yes` carries out)."""
    answer = ask(project, "combien de suggestions F4 sous 0,5 ?", session=session)
    assert "le seuil < 0,5 ne s'applique pas" in answer.text and "--code F4 --status suggested" in answer.text
    assert "accepte les suggestions" not in answer.text


def test_a_superlative_comparison_names_the_top_group(project: Path, session: ChatSession) -> None:
    """« quelle vague parle le plus de F4 ? » listed the rounds without naming the top one."""
    answer = ask(project, "quelle vague parle le plus de F4 ?", session=session)
    assert answer.intent == "compare" and answer.table is not None
    rows = {r[0]: r[1] for r in answer.table[1:]}  # round -> « a/b (p %) » in interviews
    fractions = {g: int(v.split("/")[0]) / int(v.split("/")[1].split()[0]) for g, v in rows.items()}
    best = max(fractions.values())
    top = sorted(g for g, f in fractions.items() if f == best)
    first = answer.text.splitlines()[0]
    assert first.startswith("Part la plus forte (entretiens) : ") and all(g in first for g in top)


@pytest.mark.parametrize(
    ("question", "query"), [("qui a refusé le CDI ?", "refusé le CDI"), ("qui a accepté un CDI ?", "accepté un CDI")]
)
def test_a_question_about_people_deciding_is_a_search_not_the_codes_speakers(
    project: Path, session: ChatSession, question: str, query: str
) -> None:
    """« qui a refusé le CDI ? » listed who speaks of F5 (« CDI »), the refusal dropped."""
    answer = ask(project, question, session=session)
    assert answer.intent == "search" and answer.slots["query"] == query and answer.action is None
    decisions = ask(project, "qui a rejeté F4 ?", session=session)  # the coding itself: the analysts' decisions
    assert decisions.intent == "inventory"


def test_or_across_two_attributes_is_said_not_counted_as_and(project: Path, session: ChatSession) -> None:
    """« chez les élus ou aux Coteaux » counted the élus of the Coteaux."""
    answer = ask(project, "combien d'entretiens évoquent F4 chez les élus ou aux Coteaux ?", session=session)
    assert answer.text.startswith("Je ne combine pas deux filtres avec « ou » (« élu·e » ou « Les Coteaux-sur-Loire »)")
    assert answer.table is None
    both = ask(project, "combien d'entretiens évoquent F4 chez les élus des Coteaux ?", session=session)
    assert both.slots["filters"] == {"role": "élu·e", "territory": "Les Coteaux-sur-Loire"}


def test_a_group_of_two_criteria_left_out_is_said(project: Path, session: ChatSession) -> None:
    """« sauf les élus des Coteaux » counted everyone but the élus, in the Coteaux only."""
    answer = ask(project, "combien d'entretiens évoquent F4 sauf les élus des Coteaux ?", session=session)
    assert answer.text.startswith("Je ne sais pas laisser de côté un groupe à deux critères (« élu·e » de")
    assert answer.table is None
    kept = ask(project, "combien d'entretiens évoquent F4 chez les salariés, sauf les élus ?", session=session)
    assert kept.slots["filters"] == {"role": "salarié·e EBE"} and kept.table is not None  # the élus are out already


@pytest.mark.parametrize(
    "question",
    [
        "combien d'entretiens parlent de F4 chez les salariés, excepté en vague 1 ?",  # left out the salariés too
        "combien d'entretiens parlent de F4 chez les salariés, vague 1 exclue ?",  # counted vague 1 alone
        "combien d'entretiens parlent de F4 chez les salariés, vague 1 non comprise ?",
        "combien d'entretiens parlent de F4 chez les salariés, vague 1 mise à part ?",
        "How many interviews among employees not in round 1 mention F4?",
        "How many interviews among employees but not round 1 mention F4?",
    ],
)
def test_a_group_left_out_after_another_kept(project: Path, session: ChatSession, question: str) -> None:
    answer = ask(project, question, session=session)
    assert answer.slots["filters"] == {"role": "salarié·e EBE", "round": {"sauf": ["vague 1"]}}, answer.text


def test_but_not_leaves_out_and_also_adds(project: Path, session: ChatSession) -> None:
    """« mais pas les PPDE » counted élus or PPDE; « et les PPDE aussi ? » replaced the élus."""
    but = ask(project, "combien d'entretiens parlent de F4 chez les élus mais pas les PPDE ?", session=session)
    assert but.slots["filters"] == {"role": "élu·e"}
    ask(project, "combien d'entretiens parlent de F4 chez les élus ?", session=session)
    also = ask(project, "et les PPDE aussi ?", session=session)
    assert also.slots["filters"] == {"role": ["élu·e", PPDE]}
    instead = ask(project, "et chez les salariés ?", session=session)
    assert instead.slots["filters"] == {"role": "salarié·e EBE"}


def test_a_name_a_value_only_begins_is_no_filter(project: Path, session: ChatSession) -> None:
    """« chez Forges Solidaires » (an EBE) was counted as the territory Saint-Aubin-les-Forges."""
    other = ask(project, "combien d'entretiens évoquent F4 chez Forges Solidaires ?", session=session)
    assert other.table is None and "« Forges Solidaires »" in other.text and "filters" not in other.slots
    place = ask(project, "combien d'entretiens évoquent F4 à Saint-Aubin-les-Forges ?", session=session)
    assert place.slots["filters"] == {"territory": "Saint-Aubin-les-Forges"}


@pytest.mark.parametrize(
    ("question", "filters", "query"),
    [
        ("que dit-on de France Travail ?", None, "France Travail"),  # a topic, not the partners from there
        ("qui parle de Forges Solidaires ?", None, "Forges Solidaires"),
        ("combien d'entretiens à France Travail évoquent F2 ?", {"structure": "France Travail"}, None),
        ("citations F5 chez Forges Solidaires", {"ebe": "Forges Solidaires"}, None),
        ("que disent les élus ?", {"role": "élu·e"}, None),  # a group still filters quotes with no code
    ],
)
def test_a_value_of_another_attribute_is_a_group_or_a_topic(
    question: str, filters: dict[str, str] | None, query: str | None
) -> None:
    from tzcld_qual.chat.intents import parse
    from tzcld_qual.chat.slots import Vocabulary
    from tzcld_qual.codebook import load_codebook
    from tzcld_qual.paths import default_codebook

    attributes = {
        "role": ["élu·e", "salarié·e EBE"],
        "ebe": ["Forges Solidaires", "Vallon Actif"],
        "structure": ["France Travail", "CCAS de Saint-Aubin"],
    }
    got = parse(question, Vocabulary.build(load_codebook(default_codebook()), attributes))
    assert got.slots.get("filters") == filters
    assert got.slots.get("query") == query
