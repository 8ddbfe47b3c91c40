"""« liste les entretiens », « qui sont les répondants ? », « quels codes ? »: what the project
holds, each figure recomputed here through the store's public API."""

from __future__ import annotations

from pathlib import Path

import pytest
from chat_fixture import MODEL
from test_chat_answers import expected, fraction, truth

from tzcld_qual.model import Role, Status
from tzcld_qual.services.chat import ChatSession, ask
from tzcld_qual.store import CodingFilter, ProjectStore

COLUMNS = ("segments", "codés", "revus", "suggestions ouvertes")


def progress(path: Path) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    """(document name, respondent) -> segments, coded, reviewed, with an open suggestion."""
    with ProjectStore(path) as store:
        names = {d.id: d.name for d in store.documents.list()}
        human = store.codings.human()
        applied = {c.segment_id for c in human if c.status.applies}
        decided = {c.segment_id for c in human}
        pairs = {(c.segment_id, c.code_id) for c in human}
        suggested = store.codings.list(CodingFilter(origin=MODEL, status=Status.SUGGESTED))
        pending = {c.segment_id for c in suggested if (c.segment_id, c.code_id) not in pairs}
        out: dict[tuple[str, str], list[int]] = {}
        for s in store.documents.segments():
            if s.role is not Role.RESPONDENT or s.document_id not in names:
                continue
            row = out.setdefault((names[s.document_id], s.speaker), [0, 0, 0, 0])
            for i, hit in enumerate((True, s.id in applied, s.id in decided, s.id in pending)):
                row[i] += hit
    return {k: (v[0], v[1], v[2], v[3]) for k, v in out.items()}


def cells(answer_table: list[list[str]], row: list[str]) -> tuple[int, ...]:
    header = answer_table[0]
    return tuple(int(row[header.index(c)]) for c in COLUMNS)


@pytest.mark.parametrize(
    "question", ["liste les entretiens", "Quels entretiens ?", "montre-moi les documents du projet"]
)
def test_interviews_are_listed_with_where_their_coding_stands(
    project: Path, session: ChatSession, question: str
) -> None:
    answer = ask(project, question, session=session)
    assert answer.intent == "inventory" and answer.slots["subject"] == "documents"
    truth = progress(project)
    by_document: dict[str, list[int]] = {}
    for (name, _who), figures in truth.items():
        by_document.setdefault(name, [0, 0, 0, 0])
        by_document[name] = [a + b for a, b in zip(by_document[name], figures, strict=True)]
    table = answer.table
    assert table is not None and [r[0] for r in table[1:]] == sorted(by_document)
    for row in table[1:]:
        assert cells(table, row) == tuple(by_document[row[0]]), row[0]
    assert sum(v[2] for v in by_document.values()) > 0  # the fixture has decisions: the check can fail
    total = sum(v[0] for v in by_document.values())
    assert answer.text.startswith(f"{len(by_document)} entretiens, {total} segments de répondants")


def test_interviews_of_a_group_only_and_without_the_filtered_column(project: Path, session: ChatSession) -> None:
    answer = ask(project, "liste les entretiens de la vague 2", session=session)
    table = answer.table
    assert table is not None
    assert [r[0] for r in table[1:]] == ["elu-coteaux-04", "groupe-sal-05", "sal-forges-02"]
    assert "vague" not in table[0] and "rôle" in table[0]
    assert "(vague = vague 2)" in answer.text


def test_respondents_are_one_row_per_interview_they_speak_in(project: Path, session: ChatSession) -> None:
    answer = ask(project, "qui sont les répondants ?", session=session)
    assert answer.intent == "inventory" and answer.slots["subject"] == "respondents"
    truth = progress(project)
    table = answer.table
    assert table is not None and len(table) - 1 == len(truth)
    for row in table[1:]:
        assert cells(table, row) == truth[(row[1], row[0])], row[:2]


def test_codes_come_with_their_sub_codes_and_counts(project: Path, session: ChatSession) -> None:
    answer = ask(project, "quels sont les codes ?", session=session)
    assert answer.intent == "inventory" and answer.table is not None
    ids = [r[0] for r in answer.table[1:]]
    assert ids[:2] == ["F1", "F2"] and "  F3.formation" in ids and len(ids) == 24
    assert ids.index("  F3.formation") == ids.index("F3") + 1  # a finding, then its sub-codes
    rows = {r[0].strip(): r for r in answer.table[1:]}
    t = truth(project)
    for code in ("F3", "F3.formation", "F4"):
        assert fraction(rows[code][3]) == expected(t, code)["segments"], code
        assert fraction(rows[code][2]) == expected(t, code)["documents"], code
    assert answer.text.startswith("Codebook « ") and "8 codes et 16 sous-codes" in answer.text


def test_one_codes_sub_codes(project: Path, session: ChatSession) -> None:
    answer = ask(project, "quels sont les sous-codes de F4 ?", session=session)
    assert answer.intent == "inventory" and answer.slots["code"] == "F4" and answer.table is not None
    assert [r[0].strip() for r in answer.table[1:]] == [
        "F4",
        "F4.accompagnement",
        "F4.confiance",
        "F4.liens_sociaux",
        "F4.encadrement",
    ]


@pytest.mark.parametrize(
    ("question", "state", "keep"),
    [
        ("quels entretiens ne sont pas encore codés ?", "uncoded", lambda f: f[1] == 0),
        ("quels entretiens n'ont pas encore été revus ?", "unreviewed", lambda f: f[2] == 0),
        ("quels entretiens ont des suggestions ouvertes ?", "open", lambda f: f[3] > 0),
    ],
)
def test_interviews_in_one_state(project: Path, session: ChatSession, question: str, state: str, keep) -> None:
    answer = ask(project, question, session=session)
    assert answer.intent == "inventory" and answer.slots.get("state") == state
    by_document: dict[str, list[int]] = {}
    for (name, _who), figures in progress(project).items():
        by_document[name] = [a + b for a, b in zip(by_document.get(name, [0, 0, 0, 0]), figures, strict=True)]
    wanted = sorted(n for n, f in by_document.items() if keep(f))
    assert answer.table is not None and [r[0] for r in answer.table[1:]] == wanted
    assert len(wanted) < len(by_document) or state == "open"  # the filter leaves some out


def test_respondents_by_name_and_without_the_filtered_role_column(project: Path, session: ChatSession) -> None:
    answer = ask(project, "qui est Karim ?", session=session)
    assert answer.intent == "inventory" and answer.table is not None
    assert [r[:2] for r in answer.table[1:]] == [["Karim", "sal-forges-02"]]
    elected = ask(project, "liste les répondants chez les élus", session=session)
    assert elected.table is not None and "rôle" not in elected.table[0]
    assert [r[0] for r in elected.table[1:]] == ["M. Durand"]


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("liste les entretiens où l'on parle de F7", "count"),  # a code: which interviews mention it
        ("combien d'entretiens ?", "count"),
        ("quels entretiens parlent de la honte du chômage ?", "search"),
        ("qu'est-ce que Karim raconte ?", "quotes"),
        ("quels entretiens ne parlent pas de la honte ?", "unknown"),  # a search would find those who do
    ],
)
def test_questions_with_more_than_a_list_are_not_a_list(
    project: Path, session: ChatSession, question: str, intent: str
) -> None:
    assert ask(project, question, session=session).intent == intent


def test_english_and_a_follow_up(project: Path, session: ChatSession) -> None:
    answer = ask(project, "list the interviews", session=session)
    assert answer.intent == "inventory" and answer.text.startswith("6 interviews")
    follow = ask(project, "et chez les élus ?", session=session)
    assert follow.intent == "inventory" and follow.table is not None
    assert [r[0] for r in follow.table[1:]] == ["elu-coteaux-04"]
    people = ask(project, "et les répondants ?", session=session)  # same filter, another list
    assert people.slots["subject"] == "respondents" and people.table is not None
    assert [r[0] for r in people.table[1:]] == ["M. Durand"]
    karim = ask(project, "et pour Karim ?", session=session)  # a person named replaces the group
    assert karim.slots["filters"] == {"speaker": "Karim"} and karim.table is not None
    assert [r[0] for r in karim.table[1:]] == ["Karim"]


@pytest.mark.parametrize(
    "question",
    [
        "quels entretiens ai-je ?",
        "je voudrais la liste des entretiens stp",
        "liste les entretients",
        "où en est le codage ?",
        "état d'avancement du codage",
        "which files did I import?",
    ],
)
def test_more_ways_to_ask_for_the_interviews(project: Path, session: ChatSession, question: str) -> None:
    answer = ask(project, question, session=session)
    assert (answer.intent, answer.slots.get("subject")) == ("inventory", "documents")


@pytest.mark.parametrize(
    "question",
    [
        "quelles sont les vagues ?",
        "combien d'entretiens par vague ?",
        "how many interviews per round?",
        "combien d'entretiens dans chaque vague ?",
    ],
)
def test_the_values_of_an_attribute_with_their_interviews(project: Path, session: ChatSession, question: str) -> None:
    """« combien d'entretiens par vague ? » answered with every code by round, not the interviews."""
    answer = ask(project, question, session=session)
    assert answer.intent == "inventory" and answer.slots["attribute"] == "round" and answer.table is not None
    t = truth(project)
    per_round: dict[str, int] = {}
    for attributes in t.documents.values():
        per_round[attributes["round"]] = per_round.get(attributes["round"], 0) + 1
    assert {r[0]: int(r[1]) for r in answer.table[1:]} == per_round
    every = ask(project, "quels sont les attributs ?", session=session)
    assert every.table is not None and {"rôle", "vague", "territoire", "genre"} <= {r[0] for r in every.table[1:]}


def test_by_an_attribute_is_still_a_comparison(project: Path, session: ChatSession) -> None:
    """« territoire » once read as a typo of « territoires »: a list of values, not a comparison."""
    ask(project, "combien de segments F4 ?", session=session)
    follow = ask(project, "et par territoire ?", session=session)
    assert (follow.intent, follow.slots.get("compare_by"), follow.slots.get("code")) == ("compare", "territory", "F4")
    assert ask(project, "et par territoire ?", session=session).intent == "compare"


@pytest.mark.parametrize(
    ("question", "intent", "slots"),
    [
        # a review's findings: each was misread by the first version of the inventory
        ("quels entretiens sont sans suggestion ouverte ?", "unknown", {}),  # not « with open suggestions »
        ("quels entretiens ont des suggestions non revues ?", "inventory", {"subject": "documents", "state": "open"}),
        ("qui sont les enquêteurs ?", "unknown", {}),  # the interviewers are no respondents
        ("quels entretiens sont les plus codés ?", "unknown", {}),  # no search of the transcripts for « codés »
        (
            "quels entretiens de la vague 2 parlent de la honte du chômage ?",
            "search",
            {"filters": {"round": "vague 2"}, "query": "honte du chômage"},
        ),
        ("dans quels entretiens parle-t-on de la vie dans le quartier ?", "search", {"query": "vie dans le quartier"}),
    ],
)
def test_listing_questions_a_review_found_misread(
    project: Path, session: ChatSession, question: str, intent: str, slots: dict
) -> None:
    answer = ask(project, question, session=session)
    assert answer.intent == intent
    assert {k: v for k, v in answer.slots.items() if k in ("subject", "state", "filters", "query")} == slots


@pytest.mark.parametrize(
    "question",
    ["combien de segments F4 en vague 4 ?", "liste les entretiens de la vague 4", "citations sur F5 en vague 7"],
)
def test_a_round_the_project_does_not_have_is_said(project: Path, session: ChatSession, question: str) -> None:
    """« en vague 4 » was dropped and F4 counted over every round, without a word."""
    answer = ask(project, question, session=session)
    assert answer.text.startswith("Aucun entretien du projet n'est de la « vague ")
    assert "Vagues du projet : vague 1, vague 2." in answer.text and answer.table is None


def test_a_round_written_in_words_is_that_round(project: Path, session: ChatSession) -> None:
    """« en vague deux » was no filter at all: F4 was counted over every round."""
    answer = ask(project, "combien de segments F4 en vague deux ?", session=session)
    assert answer.slots["filters"] == {"round": "vague 2"}


def test_who_talks_about_someone_says_no_filter_was_left_out(project: Path, session: ChatSession) -> None:
    """« qui parle de Karim ? » searched for Karim and warned « Karim n'est pas pris en compte »."""
    answer = ask(project, "qui parle de Karim ?", session=session)
    assert answer.intent == "search" and "pris en compte" not in answer.text
    person = ask(project, "qui est Karim ?", session=session)
    assert "« qui parle de Karim ? »" in person.text


def test_a_summary_of_the_project_and_a_display_verb(project: Path, session: ChatSession) -> None:
    """« que contient le projet ? » was not understood; « affiche les citations de Karim » searched « affiche »."""
    assert ask(project, "que contient le projet ?", session=session).intent == "count"
    shown = ask(project, "affiche les citations de Karim", session=session)
    assert shown.intent == "quotes" and "query" not in shown.slots and shown.slots["filters"] == {"speaker": "Karim"}


def test_codes_with_open_suggestions(project: Path, session: ChatSession) -> None:
    """« quels codes ne sont pas encore revus ? » asked which code « apparaît avec » which."""
    answer = ask(project, "quels codes ne sont pas encore revus ?", session=session)
    assert (answer.intent, answer.slots["subject"], answer.slots["state"]) == ("inventory", "codes", "unreviewed")
    every = ask(project, "quels sont les codes ?", session=session)
    assert answer.table is not None and every.table is not None
    pending = [r[0] for r in every.table[1:] if r[4] != "+0"]
    shown = [r[0] for r in answer.table[1:] if r[4]]  # a finding without one of its own is only a heading
    assert pending and shown == pending and len(pending) < len(every.table) - 1
    assert all(r[4] in ("", "+0") or r[0] in pending for r in answer.table[1:])


@pytest.mark.parametrize(
    ("question", "intent", "slots"),
    [
        ("liste les codes du segment 12", "open_segment", {}),
        ("quels codes a le segment 12 ?", "open_segment", {}),
        ("quelles personnes parlent des horaires ?", "search", {"query": "horaires"}),
        ("les élus parlent-ils des horaires ?", "search", {"query": "horaires", "filters": {"role": "élu·e"}}),
        (
            "est-ce que les élus parlent de la honte du chômage ?",
            "search",
            {"query": "honte du chômage", "filters": {"role": "élu·e"}},
        ),
        ("la honte d'être chômeur, qui en parle ?", "search", {"query": "honte d'être chômeur"}),  # no filter
        ("combien d'entretiens par vague chez les élus ?", "inventory", {"filters": {"role": "élu·e"}}),
        ("combien d'entretiens parlent de F4 par vague ?", "compare", {}),
    ],
)
def test_questions_an_audit_found_misread(
    project: Path, session: ChatSession, question: str, intent: str, slots: dict
) -> None:
    answer = ask(project, question, session=session)
    assert answer.intent == intent
    assert {k: v for k, v in answer.slots.items() if k in ("filters", "query")} == slots


@pytest.mark.parametrize(
    "question", ["combien d'entretiens à Montpellier ?", "citations sur F5 à Montpellier", "F4 dans Montpellier"]
)
def test_a_place_the_project_does_not_have_is_said(project: Path, session: ChatSession, question: str) -> None:
    """« à Montpellier » was dropped: every interview counted, every F5 quote given, without a word."""
    answer = ask(project, question, session=session)
    assert answer.text.startswith("Aucun répondant, rôle ni territoire du projet ne s'appelle « Montpellier »")
    assert "Territoires du projet : " in answer.text and answer.table is None and not answer.quotes


@pytest.mark.parametrize(
    ("question", "intent"),
    [("combien de salariés en CDI ?", "count"), ("qui parle de l'inscription à Pôle emploi ?", "search")],
)
def test_capitalised_words_that_are_no_place_are_not_refused(
    project: Path, session: ChatSession, question: str, intent: str
) -> None:
    answer = ask(project, question, session=session)
    assert answer.intent == intent and "ne s'appelle" not in answer.text


def interviews_per_value(path: Path, attribute: str) -> dict[str, int]:
    with ProjectStore(path) as store:
        found: dict[str, int] = {}
        for document in store.documents.list():
            value = document.attributes.get(attribute)
            if value:
                found[value] = found.get(value, 0) + 1
    return found


@pytest.mark.parametrize(
    ("question", "most"),
    [
        ("quelle vague compte le plus d'entretiens ?", "documents"),
        ("which round has the most interviews?", "documents"),
        ("quelle vague a le moins d'entretiens ?", "-documents"),
    ],
)
def test_the_value_with_the_most_interviews_is_named(
    project: Path, session: ChatSession, question: str, most: str
) -> None:
    """« quelle vague compte le plus d'entretiens ? » ran a semantic search for « plus d'entretiens »."""
    answer = ask(project, question, session=session)
    assert answer.intent == "inventory" and answer.slots.get("most") == most and answer.table is not None
    counts = interviews_per_value(project, "round")  # vague 1: 3 interviews, vague 2: 3
    column = [int(r[1]) for r in answer.table[1:]]
    assert {r[0]: int(r[1]) for r in answer.table[1:]} == counts
    assert column == sorted(column, reverse=not most.startswith("-"))
    best = (min if most.startswith("-") else max)(counts.values())
    tied = sorted(v for v, n in counts.items() if n == best)
    assert answer.text.splitlines()[0].endswith(f"{', '.join(tied)} ({best}).")


def test_a_superlative_on_a_topic_is_not_a_figure(project: Path, session: ChatSession) -> None:
    answer = ask(project, "quelle vague parle le plus de la honte ?", session=session)
    assert answer.intent != "inventory"


def test_the_values_are_ranked_within_a_group(project: Path, session: ChatSession) -> None:
    """« quelle vague compte le plus d'entretiens de PPDE ? » ran a semantic search."""
    answer = ask(project, "quelle vague compte le plus d'entretiens de PPDE ?", session=session)
    assert answer.intent == "inventory" and answer.slots.get("most") == "documents"
    assert answer.slots.get("filters") == {"role": "personne privée durablement d'emploi"}
