"""Questions read as asked: each case was answered silently wrong by an earlier version (an
audit of ~260 questions on the demo project)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tzcld_qual.services.chat import ChatSession, ask


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("combien d'entretiens hors vague 2 ?", "vague 2"),
        ("combien d'entretiens sauf les salariés ?", "salarié·e EBE"),
        ("F4 chez tous sauf les élus", "élu·e"),
        ("combien d'entretiens évoquent F4 sans compter la vague 2 ?", "vague 2"),
        ("combien d'entretiens ne sont pas en vague 1 ?", "vague 1"),
        ("qui parle de la honte, à part les salariés ?", "salarié·e EBE"),
    ],
)
def test_a_group_left_out_is_not_answered_for_that_group(
    project: Path, session: ChatSession, question: str, value: str
) -> None:
    """« hors vague 3 » counted vague 3 alone: the opposite of the question."""
    answer = ask(project, question, session=session)
    assert answer.text.startswith(f"Je ne sais pas encore laisser un groupe de côté (« {value} »)")
    assert answer.table is None and not answer.quotes


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
