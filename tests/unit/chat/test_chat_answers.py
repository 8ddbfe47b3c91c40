"""Answers checked against expectations computed independently through the store's public API.

The chat reads the store through its own fast queries (``store/chat.py``); these tests recompute
every count from ``store.codings.human()``, ``store.codings.list(...)`` and
``store.documents.segments()`` and compare, so a wrong query cannot pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from chat_fixture import MODEL

from tzcld_qual.model import Role, Status
from tzcld_qual.services.chat import ChatSession, ask
from tzcld_qual.store import CodingFilter, ProjectStore

SALARIE = "salarié·e EBE"
PPDE = "personne privée durablement d'emploi"


@dataclass(frozen=True)
class Truth:
    """The project as the public store API sees it."""

    applied: set[tuple[int, str]]  # (segment, code) some analyst accepted or added
    pending: set[tuple[int, str]]  # suggested by the current model, no human row
    documents: dict[int, dict[str, str]]  # current document id -> attributes
    segment_document: dict[int, int]
    respondent: dict[int, tuple[int, str]]  # respondent segment -> (document, speaker)
    names: dict[int, str]  # current document id -> name


def truth(path: Path) -> Truth:
    with ProjectStore(path) as store:
        human = store.codings.human()
        applied = {(c.segment_id, c.code_id) for c in human if c.status.applies}
        decided = {(c.segment_id, c.code_id) for c in human}
        suggested = store.codings.list(CodingFilter(origin=MODEL, status=Status.SUGGESTED))
        pending = {(c.segment_id, c.code_id) for c in suggested} - decided
        documents = {d.id: dict(d.attributes) for d in store.documents.list()}
        names = {d.id: d.name for d in store.documents.list()}
        segments = store.documents.segments()
        respondent = {s.id: (s.document_id, s.speaker) for s in segments if s.role is Role.RESPONDENT}
        return Truth(applied, pending, documents, {s.id: s.document_id for s in segments}, respondent, names)


def rolls_up(code_id: str, code: str) -> bool:
    return code_id == code or code_id.startswith(code + ".")


def expected(
    t: Truth,
    code: str,
    *,
    suggestions: bool = False,
    speaker: str | None = None,
    leaving: tuple[str, str] | None = None,
    **filters: str | set[str],
) -> dict[str, tuple[int, int]]:
    """The counts a question should give, from the store's rows (``filters``: a value, or a set of
    which any will do; ``leaving``: an attribute's value left out)."""

    def value(d: int, k: str) -> str | None:
        return t.names[d] if k == "document" else t.documents[d].get(k)

    docs = {
        d
        for d in t.documents
        if all(value(d, k) in (v if isinstance(v, set) else {v}) for k, v in filters.items())
        and (leaving is None or value(d, leaving[0]) != leaving[1])
        and (speaker is None or (d, speaker) in t.respondent.values())
    }
    pairs = t.applied | (t.pending if suggestions else set())
    hit = {s for s, c in pairs if rolls_up(c, code) and t.segment_document[s] in docs}
    in_scope = {s: who for s, who in t.respondent.items() if who[0] in docs}
    if speaker is not None:
        hit = {s for s in hit if t.respondent.get(s, (0, ""))[1] == speaker}
        in_scope = {s: who for s, who in in_scope.items() if who[1] == speaker}
    return {
        "documents": (len({t.segment_document[s] for s in hit}), len(docs)),
        "respondents": (len({t.respondent[s] for s in hit if s in t.respondent}), len(set(in_scope.values()))),
        "segments": (len(hit), len(in_scope)),
    }


def fraction(cell: str) -> tuple[int, int]:
    match = re.match(r"(\d+)/(\d+)", cell)
    assert match, cell
    return int(match.group(1)), int(match.group(2))


UNIT_ROWS = {"entretiens": "documents", "répondants": "respondents", "segments": "segments"}


@pytest.mark.parametrize(
    "code", ["F1", "F2", "F3", "F3.formation", "F4", "F4.confiance", "F5", "F5.financiere", "F6", "F7", "F8"]
)
def test_counts_match_the_store(project: Path, session: ChatSession, code: str) -> None:
    answer = ask(project, f"Combien d'entretiens évoquent {code} ?", session=session)
    assert answer.intent == "count" and answer.slots["code"] == code
    t = truth(project)
    accepted, with_suggestions = expected(t, code), expected(t, code, suggestions=True)
    assert answer.table is not None
    for row in answer.table[1:]:
        unit = UNIT_ROWS[row[0]]
        assert fraction(row[1]) == accepted[unit], (code, unit)
        assert fraction(row[2]) == with_suggestions[unit], (code, unit)
    assert "codages acceptés" in answer.text


def test_a_sub_code_counts_for_its_parent(project: Path, session: ChatSession) -> None:
    parent = ask(project, "combien de segments sont codés F3 ?", session=session)
    children = [
        ask(project, f"combien de segments sont codés {c} ?", session=session)
        for c in ("F3.formation", "F3.mobilite", "F3.sante", "F3.droits_sociaux")
    ]
    segments = [fraction(a.table[3][1])[0] for a in children]  # type: ignore[index]
    assert fraction(parent.table[3][1])[0] == sum(segments) == 3  # type: ignore[index]


def test_count_with_a_filter_and_a_share(project: Path, session: ChatSession) -> None:
    answer = ask(project, "Quelle part des salariés parle de confiance en soi ?", session=session)
    assert answer.slots == {"code": "F4.confiance", "filters": {"role": SALARIE}}
    want = expected(truth(project), "F4.confiance", role=SALARIE)
    assert fraction(answer.table[1][1]) == want["documents"] == (2, 3)  # type: ignore[index]
    assert "rôle = salarié·e EBE" in answer.text


def test_a_named_interview_is_a_filter(project: Path, session: ChatSession) -> None:
    """ "dans groupe-sal-05" counts that interview alone; its name's words are no role or place."""
    answer = ask(project, "Combien de segments F4 dans groupe-sal-05 ?", session=session)
    assert answer.slots == {"code": "F4", "filters": {"document": "groupe-sal-05"}, "unit": "segments"}
    t = truth(project)
    accepted, with_suggestions = (
        expected(t, "F4", document="groupe-sal-05"),
        expected(t, "F4", suggestions=True, document="groupe-sal-05"),
    )
    assert accepted["documents"][1] == 1 and accepted["segments"][1] == 4
    for row in answer.table[1:]:  # type: ignore[index]
        assert fraction(row[1]) == accepted[UNIT_ROWS[row[0]]]
        assert fraction(row[2]) == with_suggestions[UNIT_ROWS[row[0]]]
    assert "(entretien = groupe-sal-05)" in answer.text
    quotes = ask(project, "verbatims F4 de l'entretien sal-coteaux-01", session=session)
    assert quotes.quotes and {q.document for q in quotes.quotes} == {"sal-coteaux-01"}
    found = ask(project, "qui parle de honte dans ppde-forges-03 ?", session=session)
    assert found.slots["filters"] == {"document": "ppde-forges-03"} and found.slots["query"] == "honte"
    assert found.quotes and {q.document for q in found.quotes} == {"ppde-forges-03"}


def test_counts_say_suggestions_separately(project: Path, session: ChatSession) -> None:
    answer = ask(project, "Combien de segments évoquent F5 ?", session=session)
    t = truth(project)
    extra = expected(t, "F5", suggestions=True)["segments"][0] - expected(t, "F5")["segments"][0]
    assert extra == 2
    assert f"Suggestions non revues du modèle {MODEL} : +{extra} segments" in answer.text


def test_compare_by_role(project: Path, session: ChatSession) -> None:
    answer = ask(project, "Compare F5 entre salariés et PPDE", session=session)
    assert answer.intent == "compare" and answer.table is not None
    t = truth(project)
    rows = {r[0]: r for r in answer.table[1:]}
    assert list(rows) == [SALARIE, "personne privée durablement d'emploi"]
    for group, row in rows.items():
        want = expected(t, "F5", role=group)
        assert [fraction(c) for c in row[1:4]] == [want["documents"], want["respondents"], want["segments"]]


def test_a_comparison_by_another_attribute_keeps_the_groups_compared(project: Path, session: ChatSession) -> None:
    """« compare salariés et PPDE sur F5 » then « et par vague ? » compared every role by round:
    the two groups were dropped without a word. They stay, together, and the answer says so."""
    t = truth(project)
    ask(project, "Compare salariés et PPDE sur F5", session=session)
    answer = ask(project, "et par vague ?", session=session)
    assert answer.intent == "compare" and answer.slots.get("compare_by") == "round"
    assert answer.slots.get("filters") == {"role": [SALARIE, PPDE]}, answer.slots
    assert f"(rôle = {SALARIE} ou {PPDE})" in answer.text
    assert answer.table is not None
    for row in answer.table[1:]:
        assert fraction(row[1]) == expected(t, "F5", role={SALARIE, PPDE}, round=row[0])["documents"], row


def test_compare_all_values_of_an_attribute(project: Path, session: ChatSession) -> None:
    answer = ask(project, "F2 par territoire", session=session)
    t = truth(project)
    territories = sorted({a["territory"] for a in t.documents.values()})
    assert [r[0] for r in answer.table[1:]] == territories  # type: ignore[index]
    for row in answer.table[1:]:  # type: ignore[index]
        assert fraction(row[1]) == expected(t, "F2", territory=row[0])["documents"]


def test_codes_by_attribute_add_the_suggested_segments_the_note_announces(project: Path, session: ChatSession) -> None:
    answer = ask(project, "combien d'entretiens par code et par territoire ?", session=session)
    assert answer.table is not None and "« + suggestions »" in answer.text
    t = truth(project)
    territories = answer.table[0][1:]
    pluses = []
    assert all(cell.endswith(" seg.") for row in answer.table[1:] for cell in row[1:])  # not interviews
    for row in answer.table[1:]:
        for territory, cell in zip(territories, row[1:], strict=True):
            accepted, plus = cell.removesuffix(" seg.").rsplit(" +", 1)
            with_suggestions = expected(t, row[0], territory=territory, suggestions=True)["segments"][0]
            assert fraction(accepted) == expected(t, row[0], territory=territory)["documents"]
            assert int(plus) == with_suggestions - expected(t, row[0], territory=territory)["segments"][0]
            pluses.append(int(plus))
    assert any(pluses)


def test_follow_up_reuses_the_previous_question(project: Path, session: ChatSession) -> None:
    ask(project, "Combien d'entretiens évoquent F2 chez les salariés ?", session=session)
    answer = ask(project, "et chez les élus ?", session=session)
    assert answer.intent == "count"
    assert answer.slots == {"code": "F2", "filters": {"role": "élu·e"}, "unit": "documents"}
    assert fraction(answer.table[1][1]) == expected(truth(project), "F2", role="élu·e")["documents"] == (1, 1)  # type: ignore[index]


def test_cooccurrence(project: Path, session: ChatSession) -> None:
    answer = ask(project, "Quels codes apparaissent avec F4 ?", session=session)
    t = truth(project)
    base = {s for s, c in t.applied if rolls_up(c, "F4")}
    rows = {r[0]: int(r[2]) for r in answer.table[1:]}  # type: ignore[index]
    for code, together in rows.items():
        assert together == len({s for s, c in t.applied if s in base and rolls_up(c, code)}), code
    assert rows["F1"] == 1 and "F4" not in rows
    assert f"Sur les {len(base)} segments codés F4" in answer.text


def test_quotes_are_verbatim_and_cited(project: Path, session: ChatSession) -> None:
    answer = ask(project, "Donne-moi 5 citations sur les droits à la formation", session=session)
    t = truth(project)
    wanted = {s for s, c in t.applied if rolls_up(c, "F3.formation")}
    assert {q.segment_id for q in answer.quotes} == wanted and len(wanted) == 2
    with ProjectStore(project) as store:
        for quote in answer.quotes:
            segment = store.documents.segment(quote.segment_id)
            assert segment is not None and quote.text == segment.text
            assert quote.document == segment.document and quote.speaker == segment.speaker
            assert quote.attributes == t.documents[segment.document_id]
            assert quote.code == "F3.formation" and quote.status == "accepted"
            assert f"« {segment.text} » [{segment.document} · {segment.speaker} · {segment.id}]" in answer.text


def test_quotes_add_suggestions_when_accepted_ones_run_out(project: Path, session: ChatSession) -> None:
    answer = ask(project, "3 citations sur F7", session=session)
    t = truth(project)
    assert not any(rolls_up(c, "F7") for _s, c in t.applied)
    assert [(q.status, q.code, q.confidence) for q in answer.quotes] == [("suggested", "F7.emplois", 0.93)]
    assert "non revue" in answer.text


def test_quotes_respect_limit_and_filters(project: Path, session: ChatSession) -> None:
    answer = ask(project, "deux verbatims de salariés sur F4", session=session)
    assert len(answer.quotes) == 2
    assert all(q.attributes["role"] == SALARIE for q in answer.quotes)
    assert len({q.document for q in answer.quotes}) == 2  # spread across interviews


def test_semantic_search_uses_a_persisted_index(project: Path) -> None:
    from chat_fixture import HashEmbedder

    class Counting(HashEmbedder):
        texts = 0

        def encode(self, texts: Sequence[str]) -> np.ndarray:
            Counting.texts += len(texts)
            return super().encode(texts)

    answer = ask(project, "Qui parle de la honte d'être au chômage ?", session=ChatSession(Counting()))
    assert answer.intent == "search" and answer.slots["query"] == "honte d'être au chômage"
    assert [q.speaker for q in answer.quotes[:2]] == ["Martine", "Sylvie"]
    assert "similarité" in answer.text and answer.table is not None
    first = Counting.texts
    assert first == 20 + 1  # every respondent segment once, then the question
    ask(project, "Qui parle de honte ?", session=ChatSession(Counting()))  # a new session: stored index
    assert Counting.texts == first + 1
    with ProjectStore(project) as store:
        assert store.embeddings.count("hash@1") == 20


def test_semantic_search_with_a_filter(project: Path, session: ChatSession) -> None:
    answer = ask(project, "Qui parle de la honte chez les PPDE ?", session=session)
    assert answer.slots["filters"] == {"role": "personne privée durablement d'emploi"}
    assert answer.quotes and all(q.attributes["role"] == "personne privée durablement d'emploi" for q in answer.quotes)
    assert answer.quotes[0].speaker == "Sylvie"


def test_why_shows_the_stored_explanation(project: Path, session: ChatSession) -> None:
    ask(project, "Donne-moi 5 citations sur F3.formation", session=session)
    first = ask(project, "verbatims sur F3.mobilite", session=session).quotes[0]
    answer = ask(project, "Pourquoi ce segment est-il codé F3 ?", session=session)
    assert answer.slots["segment_id"] == first.segment_id
    with ProjectStore(project) as store:
        rows = store.codings.for_segments([first.segment_id])[first.segment_id]
    explanation = next(c.explanation for c in rows if c.origin == MODEL and c.code_id == "F3.mobilite")
    assert explanation in answer.text
    assert "décision de marie : acceptée" in answer.text


def test_why_a_segment_is_not_coded(project: Path, session: ChatSession) -> None:
    answer = ask(project, "pourquoi le segment 4 est-il codé F2 ?", session=session)
    assert "n'est codé F2 ni par un modèle ni par un analyste" in answer.text
    assert "Score de ensemble@1 pour F2 : 0,20 (seuil 0,50)" in answer.text


def test_asking_never_changes_codings(project: Path, session: ChatSession) -> None:
    with ProjectStore(project) as store:
        before = len(store.codings.audit())
    for question in (
        "accepte les suggestions F5 au-dessus de 0,9",
        "code le segment 3 en F3.formation",
        "réentraîne",
        "montre-moi les segments incertains en F2",
    ):
        answer = ask(project, question, coder="marie", session=session)
        assert answer.action is not None
    with ProjectStore(project) as store:
        assert len(store.codings.audit()) == before


def test_unknown_questions_are_said_with_the_closest_requests(project: Path, session: ChatSession) -> None:
    answer = ask(project, "quel temps fait-il à Paris ?", session=session)
    assert answer.intent == "unknown" and answer.table is None and not answer.quotes
    assert answer.text.startswith("Je n'ai pas compris")
    assert "Combien d'entretiens évoquent F3 ?" in answer.text
    unknown_code = ask(project, "combien de segments F9 ?", session=session)
    assert "Code(s) inconnu(s) dans le codebook : F9" in unknown_code.text


def test_help_and_english(project: Path, session: ChatSession) -> None:
    assert "Exemples" in ask(project, "aide", session=session).text
    answer = ask(project, "how many interviews mention rights?", session=session)
    assert "Counted on accepted codings" in answer.text and answer.table[0][0] == "count"  # type: ignore[index]


def test_themes_without_a_topic_run(project: Path, session: ChatSession) -> None:
    answer = ask(project, "Quels sont les thèmes émergents ?", session=session)
    assert answer.intent == "themes" and "Aucun thème calculé" in answer.text


def test_overview_without_a_code(project: Path, session: ChatSession) -> None:
    answer = ask(project, "statistiques", session=session)
    t = truth(project)
    assert f"{len(t.documents)} entretiens" in answer.text
    rows = {r[0]: r for r in answer.table[1:]}  # type: ignore[index]
    assert list(rows) == [f"F{i}" for i in range(1, 9)]
    assert fraction(rows["F4"][4]) == expected(t, "F4")["segments"]


def test_quotes_of_a_code_nobody_used_fall_back_to_the_closest_passages(project: Path, session: ChatSession) -> None:
    """ "citations sur la confiance retrouvée" met a sub-code with no coding: a dead end."""
    answer = ask(project, "citations sur F6.passerelles", coder="marie", session=session)
    assert answer.text.startswith("Aucun segment codé F6.passerelles")
    assert "Voici les passages les plus proches de son libellé par le sens" in answer.text
    assert answer.quotes and all(q.segment_id is not None for q in answer.quotes)
    assert "« Passerelles entre structures »" in answer.text


def test_quotes_with_only_suggestions_say_so_plainly(project: Path, session: ChatSession) -> None:
    """It read "0 citation(s) codée(s) … (codages acceptés, 0 au total …), puis 1 suggestion"."""
    answer = ask(project, "citations sur F8.modele_economique", coder="marie", session=session)
    assert answer.text.startswith("Aucun codage accepté F8.modele_economique")
    assert "1 suggestion(s) non revue(s) du modèle ensemble@1 (sur 1), à vérifier" in answer.text
    assert "0 au total" not in answer.text


def test_what_a_count_leaves_out_is_said(project: Path, session: ChatSession) -> None:
    """« F4 et F5 » was counted as F4 alone, and « confiance supérieure à 0,9 » dropped, silently;
    « confiance » there named F4.confiance."""
    both = ask(project, "combien d'entretiens évoquent à la fois F4 et F5 ?", coder="marie", session=session)
    assert both.slots["code"] == "F4"
    assert "Attention : F5 n'est pas compté ici" in both.text and "quels codes apparaissent avec F4" in both.text
    above = ask(project, "combien de segments F7 avec une confiance supérieure à 0,9 ?", coder="marie", session=session)
    assert above.slots["code"] == "F7" and "F4.confiance" not in above.text
    assert "le seuil ≥ 0,9 ne s'applique pas à ce décompte" in above.text
    plain = ask(project, "combien de segments F7 ?", coder="marie", session=session)
    assert "Attention" not in plain.text


def test_an_interview_the_project_does_not_have_is_said_not_replaced_by_the_corpus(
    project: Path, session: ChatSession
) -> None:
    answer = ask(project, "Combien de segments F4 dans groupe-sal-09 ?", session=session)
    assert answer.table is None and not answer.quotes
    assert "Aucun entretien du projet ne s'appelle « groupe-sal-09 »" in answer.text
    assert "Noms proches : groupe-sal-05" in answer.text
    english = ask(project, "quotes about F4 in the interview sal-coteaux-07.txt", session=session)
    assert english.table is None and 'No interview of the project is called "sal-coteaux-07.txt"' in english.text
    assert ask(project, "combien de segments F3-sante ?", session=session).slots["code"] == "F3.sante"


@pytest.mark.parametrize("speaker", ["Nadia", "Paul"])
def test_a_named_respondent_is_a_filter_on_their_own_turns(project: Path, session: ChatSession, speaker: str) -> None:
    """In the group interview Paul and Nadia answer in turn: "chez Nadia" counts Nadia's turns,
    not the interview's (it was ignored, and the whole corpus counted)."""
    answer = ask(project, f"Combien de segments F4 chez {speaker} ?", session=session)
    assert answer.slots["filters"] == {"speaker": speaker}
    t = truth(project)
    accepted, with_suggestions = (
        expected(t, "F4", speaker=speaker),
        expected(t, "F4", suggestions=True, speaker=speaker),
    )
    assert accepted["segments"] == (1, 2) and accepted["documents"] == (1, 1)
    for row in answer.table[1:]:  # type: ignore[index]
        assert fraction(row[1]) == accepted[UNIT_ROWS[row[0]]]
        assert fraction(row[2]) == with_suggestions[UNIT_ROWS[row[0]]]
    assert f"(locuteur = {speaker})" in answer.text
    quotes = ask(project, f"citations F3 de {speaker}", session=session)
    assert {q.speaker for q in quotes.quotes} <= {speaker}
    found = ask(project, f"que dit {speaker} sur le travail ?", session=session)
    assert found.quotes and {q.speaker for q in found.quotes} == {speaker}


def test_speaker_labels_that_name_nobody_are_not_filters(project: Path, session: ChatSession) -> None:
    """Initials, titles, and labels the vocabulary already reads as a role ("Salarié", "Élu")."""
    from chat_fixture import CODEBOOK

    from tzcld_qual.chat.slots import Vocabulary
    from tzcld_qual.codebook import load_codebook

    labels = ["M. Bouvier", "C.B.", "R", "Salarié", "Nadia", "Mme D.", "Nadia Benali", "Élu"]
    roles = {"role": [SALARIE, "élu·e"]}
    vocabulary = Vocabulary.build(load_codebook(CODEBOOK), roles, [], labels)
    assert vocabulary.speakers == {"bouvier": "M. Bouvier", "benali": "Nadia Benali"}  # "nadia" names two
    answer = ask(project, "Combien de segments F4 chez les salariés ?", session=session)
    assert answer.slots["filters"] == {"role": SALARIE}


def test_a_respondent_talked_about_is_searched_for_not_a_filter(project: Path, session: ChatSession) -> None:
    answer = ask(project, "Qui parle de Martine ?", session=session)
    assert answer.intent == "search" and answer.slots == {"query": "Martine"}


def test_respondents_are_told_apart_by_accent_full_name_and_compound_words() -> None:
    """An audit found « Kevin » and « Kévin » (two people) named nobody, « Gérard Bouvier » taken
    for Gérard, and the « Julien » of « Saint-Julien » taken for a respondent."""
    from chat_fixture import CODEBOOK

    from tzcld_qual.chat.slots import Vocabulary
    from tzcld_qual.codebook import load_codebook

    vocabulary = Vocabulary.build(load_codebook(CODEBOOK), {}, [], ["Kevin", "Kévin", "M. Bouvier", "Gérard", "Julien"])

    def speakers(question: str) -> list[str]:
        return [v for a, v in vocabulary.extract(question).values if a == "speaker"]

    assert speakers("que dit Kévin sur la confiance ?") == ["Kévin"]
    assert speakers("combien de F4 chez Kevin ?") == ["Kevin"]
    assert speakers("que dit Gérard Bouvier sur les emplois ?") == ["M. Bouvier"]
    assert speakers("que dit Gérard sur les emplois ?") == ["Gérard"]
    assert speakers("que disent les gens de Saint-Julien sur le bois ?") == []


def test_a_second_value_of_a_filter_counts_both_groups_never_one(project: Path, session: ChatSession) -> None:
    """« chez les élus et les PPDE » counted the élus alone, with a note; « les élus ou les
    PPDE » means both groups as well."""
    both = ask(project, "F4 chez Nadia et Paul", session=session)
    assert both.intent == "compare" and [r[0] for r in both.table[1:]] == ["Nadia", "Paul"]  # type: ignore[index]
    t = truth(project)
    groups = {"élu·e", PPDE}
    want = expected(t, "F4", role=groups), expected(t, "F4", suggestions=True, role=groups)
    assert want[0]["documents"][1] == 3 and want[1]["segments"][0] > 0  # both groups, not one
    for question in (
        "Combien de segments F4 chez les élus et les PPDE ?",
        "Combien de segments F4 chez les élus ou les PPDE ?",
    ):
        answer = ask(project, question, session=session)
        assert answer.slots["filters"] == {"role": ["élu·e", PPDE]}, question
        for row in answer.table[1:]:  # type: ignore[index]
            assert fraction(row[1]) == want[0][UNIT_ROWS[row[0]]], (question, row)
            assert fraction(row[2]) == want[1][UNIT_ROWS[row[0]]], (question, row)
        assert f"(rôle = élu·e ou {PPDE})" in answer.text and "pas pris en compte" not in answer.text


def test_a_group_left_out_is_left_out_not_counted_alone(project: Path, session: ChatSession) -> None:
    """« hors vague 1 » was refused; « sauf ceux des Coteaux » counted the Coteaux alone."""
    t = truth(project)
    answer = ask(project, "Combien d'entretiens évoquent F4 hors vague 1 ?", session=session)
    assert answer.slots["filters"] == {"round": {"sauf": ["vague 1"]}}
    want = expected(t, "F4", suggestions=True, leaving=("round", "vague 1"))
    assert fraction(answer.table[1][2]) == want["documents"] == (1, 3)  # type: ignore[index]
    assert "(vague = tout sauf vague 1)" in answer.text
    quotes = ask(project, "Que disent les salariés, sauf ceux des Coteaux, sur la confiance ?", session=session)
    assert quotes.slots["filters"] == {"role": SALARIE, "territory": {"sauf": ["Les Coteaux-sur-Loire"]}}
    assert quotes.quotes and all("Coteaux" not in q.document for q in quotes.quotes)
    assert {q.document for q in quotes.quotes} <= {
        t.names[d] for d, a in t.documents.items() if a.get("role") == SALARIE
    }
    listed = ask(project, "liste les entretiens hors vague 1", session=session)
    kept = sorted(t.names[d] for d, a in t.documents.items() if a.get("round") != "vague 1")
    assert listed.intent == "inventory" and sorted(r[0] for r in listed.table[1:]) == kept  # type: ignore[index]
    by_round = ask(project, "compare F4 par vague, sauf la vague 1", session=session)
    assert [r[0] for r in by_round.table[1:]] == ["vague 2"]  # type: ignore[index]
    order = ask(project, "accepte les suggestions F4 hors vague 1", session=session)
    assert order.action is None and order.text.startswith("Rien n'est fait")
    ask(project, "combien de segments F4 chez les élus ou les PPDE ?", session=session)
    queue = ask(project, "et montre-moi les segments incertains", session=session)  # the queue takes one group
    assert queue.action is None and queue.text.startswith("Rien n'est fait") and "élu·e ou" in queue.text


@pytest.mark.parametrize(
    "question",
    ["Retire les élus : combien d'entretiens parlent de F4 ?", "Enlève les élus, combien d'entretiens parlent de F4 ?",
     "Sans les élus, combien d'entretiens parlent de F4 ?", "Écarte les élus : combien d'entretiens parlent de F4 ?",
     "Hors élus, combien d'entretiens parlent de F4 ?", "Sauf les élus, combien d'entretiens parlent de F4 ?"],
)  # fmt: skip
def test_a_group_removed_by_a_verb_is_left_out(project: Path, session: ChatSession, question: str) -> None:
    """« retire les élus : combien d'entretiens parlent de F4 ? » answered for the élus alone (and
    said no order was carried out): « retire », « enlève », « écarte » leave the group out."""
    t = truth(project)
    answer = ask(project, question, session=session)
    assert answer.intent == "count" and answer.slots["filters"] == {"role": {"sauf": ["élu·e"]}}, answer.slots
    want = expected(t, "F4", suggestions=True, leaving=("role", "élu·e"))
    assert fraction(answer.table[1][2]) == want["documents"]  # type: ignore[index]
    assert "(rôle = tout sauf élu·e)" in answer.text and "Rien n'a été modifié" not in answer.text


@pytest.mark.parametrize(
    "question, said",
    [("combien de PPDE au chômage depuis plus de 5 ans parlent de F4 ?", "depuis plus de 5 ans"),
     ("Citations F1 des élus en poste depuis deux ans", "depuis deux ans"),
     ("Combien de segments F5 chez les salariés depuis moins de six mois ?", "depuis moins de six mois")],
)  # fmt: skip
def test_a_duration_no_attribute_says_is_said_not_dropped(
    project: Path, session: ChatSession, question: str, said: str
) -> None:
    """« les PPDE au chômage depuis plus de 5 ans » was answered for every PPDE without a word (and
    « depuis deux ans » gave two quotes)."""
    answer = ask(project, question, session=session)
    assert f"« {said} » n'est pas pris en compte (compté sans cette condition)" in answer.text, answer.text
    assert "aucun attribut du projet ne dit depuis quand" in answer.text
    assert answer.slots.get("limit") is None
    topic = ask(project, "qui parle de son chômage depuis 2 ans ?", session=session)  # a search's topic
    assert "pas pris en compte" not in topic.text


def test_someone_the_project_does_not_have_is_said_not_replaced_by_everyone(
    project: Path, session: ChatSession
) -> None:
    answer = ask(project, "Combien de segments F4 chez Sylvain ?", session=session)
    assert answer.table is None and "ne s'appelle « Sylvain »" in answer.text
    assert "Répondants aux noms proches : Sylvie" in answer.text
    numbered = ask(project, "Combien de segments F4 dans ppde-11 ?", session=session)
    assert numbered.table is None and "Aucun entretien du projet ne s'appelle « ppde-11 »" in numbered.text
    round_ = ask(project, "Combien de segments F4 dans la vague-2 ?", session=session)  # no series "vague-…"
    assert round_.slots["filters"] == {"round": "vague 2"}


def test_quotes_of_a_respondent_without_a_topic_are_their_answers_coded_first(
    project: Path, session: ChatSession
) -> None:
    """« citations de Nadia » asked « des citations sur quoi ? »; « 3 citations de … » searched "3"."""
    answer = ask(project, "citations de Nadia", session=session)
    t = truth(project)
    theirs = sorted(s for s, (_d, who) in t.respondent.items() if who == "Nadia")
    assert sorted(q.segment_id for q in answer.quotes) == theirs and {q.speaker for q in answer.quotes} == {"Nadia"}
    assert answer.text.startswith("2 réponse(s) (locuteur = Nadia) sur 2, les codées d'abord (2 le sont")
    assert "codé F5.materielle" in answer.text and "codé F4.confiance" in answer.text
    one = ask(project, "1 citation de Paul", session=session)
    assert "query" not in one.slots and len(one.quotes) == 1 and one.quotes[0].speaker == "Paul"


def test_names_from_a_review_of_the_filters() -> None:
    """A one-word file name is no everyday word's owner; hyphenated first names are whole; labels
    too short to filter on are still someone; "vague-2" and "covid-19" are no file names."""
    from chat_fixture import CODEBOOK

    from tzcld_qual.chat.slots import Vocabulary
    from tzcld_qual.codebook import load_codebook

    vocabulary = Vocabulary.build(
        load_codebook(CODEBOOK),
        {"round": ["vague 2"]},
        ["formation.docx", "marie.txt", "demo-01.txt"],
        ["Jean-Marc", "Anne-Marie", "Marie", "P2", "Mme K."],
    )
    formation = vocabulary.extract("Combien d'entretiens évoquent la formation ?")
    assert formation.values == () and formation.codes == ("F3.formation",)
    assert vocabulary.extract("F4 dans formation.docx").values == (("document", "formation.docx"),)
    assert vocabulary.extract("que dit Jean-Marc sur la confiance ?").values == (("speaker", "Jean-Marc"),)
    assert vocabulary.extract("F4 chez Marie").values == (("speaker", "Marie"),)
    for question in ("F4 chez P2", "F4 chez Mme K."):
        assert vocabulary.extract(question).unknown_names == ()
    assert vocabulary.extract("F4 chez Sylvain").unknown_names == ("Sylvain",)
    for question in ("F4 dans la vague-2", "F5 dans le covid-19"):
        assert vocabulary.extract(question).unknown_documents == ()
    assert vocabulary.extract("F4 dans demo-99").unknown_documents == ("demo-99",)


def test_what_a_review_found_on_actions_follow_ups_and_notes(project: Path, session: ChatSession) -> None:
    accept = ask(project, "accepte les suggestions F4 chez Sylvain au-dessus de 0,9", session=session)
    assert accept.action is None and "ne s'appelle « Sylvain »" in accept.text  # not 'every F4 suggestion'
    ask(project, "Combien de segments F4 dans sal-coteaux-01 ?", session=session)
    followed = ask(project, "et chez Nadia ?", session=session)
    assert followed.slots["filters"] == {"speaker": "Nadia"}  # wherever she speaks, not in sal-coteaux-01
    both = ask(project, "qui parle de collègues chez Nadia et Paul ?", session=session)
    assert both.slots["filters"] == {"speaker": "Nadia"} and "Paul n'est pas pris en compte" in both.text
    themes = ask(project, "y a-t-il des thèmes émergents dans la vague 2 ?", session=session)
    assert "pas pris en compte" not in themes.text


def test_a_follow_up_with_its_own_cue_keeps_the_code_and_the_people(project: Path, session: ChatSession) -> None:
    """« et par vague ? » after « F4 chez les salariés » compared every code, among everyone."""
    ask(project, "Combien de segments F4 chez les salariés ?", session=session)
    by_round = ask(project, "et par vague ?", session=session)
    assert by_round.intent == "compare"
    assert by_round.slots == {"code": "F4", "compare_by": "round", "filters": {"role": SALARIE}}
    by_territory = ask(project, "et par territoire ?", session=session)
    assert by_territory.slots == {"code": "F4", "compare_by": "territory", "filters": {"role": SALARIE}}


def test_which_interviews_by_name_and_which_do_not(project: Path, session: ChatSession) -> None:
    """« quels entretiens n'abordent pas F5 ? » was answered with those that do; « dans quels
    entretiens… » with numbers only."""
    t = truth(project)
    with_f5 = {t.segment_document[s] for s, c in t.applied if rolls_up(c, "F5")}
    suggested = {t.segment_document[s] for s, c in t.pending if rolls_up(c, "F5")} - with_f5
    names = {d: t.names[d] for d in t.documents}
    which = ask(project, "Dans quels entretiens est-il question de F5 ?", session=session)
    assert which.slots.get("list") is True and "negated" not in which.slots
    rows = {r[0]: r[1] for r in which.table[1:]}  # type: ignore[index]
    assert set(rows) == {names[d] for d in with_f5 | suggested}
    assert {n for n, status in rows.items() if status == "codage accepté"} == {names[d] for d in with_f5}
    without = ask(project, "Quels entretiens n'abordent pas F5 ?", session=session)
    assert without.slots.get("negated") is True
    assert {r[0] for r in without.table[1:]} == {names[d] for d in set(t.documents) - with_f5}  # type: ignore[index]
    left = f"{len(t.documents) - len(with_f5)}/{len(t.documents)}"
    assert without.text.startswith(f"Entretiens sans codage accepté F5 (Sécurité apportée par le CDI) : {left}")
    english = ask(project, "which interviews don't mention F5?", session=session)
    assert english.intent == "count" and english.slots.get("negated") is True


def test_a_code_nobody_used_is_searched_by_the_analysts_words(project: Path, session: ChatSession) -> None:
    """The fallback searched the code's label (« Passerelles entre structures ») whatever the
    analyst had written; their own words say what they look for."""
    answer = ask(project, "des citations sur les orientations entre structures", session=session)
    assert answer.slots.get("code") == "F6.passerelles"
    assert "les plus proches par le sens de vos mots" in answer.text
    assert "« orientations entre structures »" in answer.text


def test_a_name_heard_in_two_interviews_is_said_to_be_maybe_two_people() -> None:
    """« Nadia » of demo-06 and « Nadia » of demo-11 were counted and quoted as one, silently."""
    from types import SimpleNamespace

    from tzcld_qual.chat.answers import _namesakes_note
    from tzcld_qual.chat.intents import Parse

    documents = {1: SimpleNamespace(name="demo-06.odt"), 2: SimpleNamespace(name="demo-11.txt")}
    corpus = SimpleNamespace(documents=documents, document_ids=lambda f: {1, 2} if f == {"speaker": "Nadia"} else {1})
    ctx = SimpleNamespace(corpus=corpus, say=lambda fr, en: fr)
    note = _namesakes_note(Parse("count", {"code": "F4", "filters": {"speaker": "Nadia"}}), ctx)  # type: ignore[arg-type]
    assert "« Nadia » répond dans 2 entretiens (demo-06.odt, demo-11.txt) : peut-être plusieurs personnes" in note
    assert "« … chez Nadia dans demo-06 »" in note
    one = Parse("count", {"code": "F4", "filters": {"speaker": "Nadia", "document": "demo-06.odt"}})
    assert _namesakes_note(one, ctx) == ""  # type: ignore[arg-type]


def test_follow_ups_from_a_review_keep_only_what_still_holds(project: Path, session: ChatSession) -> None:
    """A new topic is the topic (« et des citations sur la honte ? » quoted F5); a named person
    replaces a group (élus + Sylvie found nobody); « et combien de segments ? » after a negated
    list is a count, not the list again."""
    ask(project, "Combien d'entretiens évoquent F5 chez les élus ?", session=session)
    topic = ask(project, "et des citations sur la honte d'être au chômage ?", session=session)
    assert "code" not in topic.slots and topic.slots.get("query") == "honte d'être au chômage"
    ask(project, "Combien d'entretiens évoquent F5 chez les élus ?", session=session)
    hers = ask(project, "et des citations de Sylvie ?", session=session)
    assert hers.slots.get("filters") == {"speaker": "Sylvie"}
    ask(project, "Quels entretiens n'abordent pas F5 ?", session=session)
    segments = ask(project, "et combien de segments ?", session=session)
    assert "negated" not in segments.slots and "list" not in segments.slots and segments.table is not None


def test_not_coded_is_the_complement_in_the_unit_asked(project: Path, session: ChatSession) -> None:
    """« combien d'entretiens ne sont pas codés F4 ? » gave those coded F4 (1/50 for 49/50);
    « combien de segments sans F4 ? » gave the interviews without F4, not the segments."""
    t = truth(project)
    coded = expected(t, "F4")
    pending = expected(t, "F4", suggestions=True)
    interviews = ask(project, "Combien d'entretiens ne sont pas codés F4 ?", session=session)
    assert interviews.slots.get("negated") is True
    n, total = coded["documents"]
    assert interviews.text.startswith(f"Entretiens sans codage accepté F4 (Changement de regard sur soi) : {total - n}")
    for question in ("Combien de segments sans F4 ?", "Combien de segments ne sont pas codés F4 ?",
                     "combien de segments non codés en F4 ?"):  # fmt: skip
        answer = ask(project, question, session=session)
        assert answer.table is not None and answer.table[1][0] == "segments", question
        n, total = coded["segments"]
        assert fraction(answer.table[1][1]) == (total - n, total), question
        assert fraction(answer.table[1][2]) == (total - pending["segments"][0], total), question
    people = ask(project, "combien de répondants ne sont pas codés F4 ?", session=session)
    n, total = coded["respondents"]
    assert people.table is not None and fraction(people.table[1][1]) == (total - n, total)
    state = ask(project, "quels entretiens ne sont pas encore codés ?", session=session)
    assert state.intent == "inventory" and state.slots.get("state") == "uncoded"  # no code: a state


def test_quotes_without_a_code_lack_it(project: Path, session: ChatSession) -> None:
    """« citations de salariés non codées F4 », « citations des élus sans F1 » quoted segments
    that carry the code."""
    t = truth(project)
    for question, code, role in (("Citations de salariés non codées F4", "F4", SALARIE),
                                 ("Citations des élus sans F1", "F1", "élu·e")):  # fmt: skip
        answer = ask(project, question, session=session)
        assert answer.intent == "quotes" and answer.slots.get("negated") is True, question
        assert answer.quotes, question
        for quote in answer.quotes:
            assert not any(rolls_up(c, code) for s, c in t.applied if s == quote.segment_id), question
            assert quote.segment_id in t.respondent
            assert t.documents[t.segment_document[quote.segment_id]]["role"] == role
        assert "sans codage accepté" in answer.text


@pytest.mark.parametrize(
    "question",
    ["Citations F4 sans F5", "Citations codées F4 mais pas codées F5",
     "Donne-moi des citations sur F4 qui ne parlent pas de F5", "citations sans F5 sur F4"],
)  # fmt: skip
def test_quotes_of_a_code_without_another(project: Path, session: ChatSession, question: str) -> None:
    """« citations F4 sans F5 » quoted the answers without F4: one negation flag for the whole
    question fell on the first code. The negation is in front of F5."""
    t = truth(project)
    answer = ask(project, question, session=session)
    assert answer.intent == "quotes" and answer.slots.get("code") == "F4", answer.slots
    assert answer.slots.get("without") == "F5" and "negated" not in answer.slots, answer.slots
    assert answer.quotes
    for quote in answer.quotes:
        assert any(rolls_up(c, "F4") for s, c in t.applied | t.pending if s == quote.segment_id), question
        assert not any(rolls_up(c, "F5") for s, c in t.applied if s == quote.segment_id), question
    assert "sans codage accepté F5" in answer.text and "n'est pas compté" not in answer.text


def test_interviews_with_a_code_and_without_another(project: Path, session: ChatSession) -> None:
    """« combien d'entretiens codés F4 mais pas codés F5 ? » counted the interviews without F4."""
    t = truth(project)

    def interviews(code: str) -> set[int]:
        return {t.segment_document[s] for s, c in t.applied if rolls_up(c, code) and s in t.respondent}

    kept = interviews("F4") - interviews("F5")
    assert kept and kept != interviews("F4")  # the fixture tells the two answers apart
    answer = ask(project, "Combien d'entretiens codés F4 mais pas codés F5 ?", session=session)
    assert answer.slots.get("without") == "F5" and "negated" not in answer.slots, answer.slots
    assert answer.table is not None and answer.table[1][0] == "entretiens"
    assert fraction(answer.table[1][1]) == (len(kept), len(t.documents))
    assert "n'est pas compté" not in answer.text
    which = ask(project, "Quels entretiens parlent de F4 mais pas de F5 ?", session=session)
    assert which.table is not None and {r[0] for r in which.table[1:]} == {t.names[d] for d in kept}


@pytest.mark.parametrize("question", ["Qui parle de F4 mais pas de F5 ?", "Qui parle de F4 sans F5 ?"])
def test_who_talks_of_a_code_and_not_another_is_named(project: Path, session: ChatSession, question: str) -> None:
    """« qui parle de F4 mais pas de F5 ? » gave three counts, not who: the respondents by name,
    those with an accepted F5 left out."""
    t = truth(project)

    def people(code: str) -> set[tuple[int, str]]:
        return {t.respondent[s] for s, c in t.applied if rolls_up(c, code) and s in t.respondent}

    kept = people("F4") - people("F5")
    assert kept and kept != people("F4")  # the fixture tells the two answers apart
    answer = ask(project, question, session=session)
    assert answer.slots.get("who") is True and answer.slots.get("without") == "F5", answer.slots
    assert answer.table is not None and answer.table[0][0] == "répondant"
    listed = {(r[1], r[0]) for r in answer.table[1:]}
    assert {(t.names[d], w) for d, w in kept} <= listed
    assert not listed & {(t.names[d], w) for d, w in people("F5")}
    assert f"sans codage accepté F5 (Sécurité apportée par le CDI) : {len(kept)}/" in answer.text


@pytest.mark.parametrize("question", ["F4 sans F4.confiance", "Combien d'entretiens F4 sans F4.confiance ?",
                                      "Citations F4 sans F4.confiance"])  # fmt: skip
def test_a_code_without_one_of_its_sub_codes(project: Path, session: ChatSession, question: str) -> None:
    """« F4 sans F4.confiance » read « sans F4.confiance » alone (the interviews without it, 50/50):
    the parent was dropped for its sub-code. F4 is kept, its sub-code left out."""
    t = truth(project)
    answer = ask(project, question, session=session)
    assert answer.slots.get("code") == "F4" and answer.slots.get("without") == "F4.confiance", answer.slots
    assert "negated" not in answer.slots
    if answer.intent == "quotes":
        assert answer.quotes
        for quote in answer.quotes:
            assert not any(rolls_up(c, "F4.confiance") for s, c in t.applied if s == quote.segment_id)
        return

    def interviews(code: str) -> set[int]:
        return {t.segment_document[s] for s, c in t.applied if rolls_up(c, code) and s in t.respondent}

    kept = interviews("F4") - interviews("F4.confiance")
    assert kept != interviews("F4") or not interviews("F4.confiance")
    assert answer.table is not None and answer.table[1][0] == "entretiens"
    assert fraction(answer.table[1][1]) == (len(kept), len(t.documents))


@pytest.mark.parametrize(
    "question",
    ["Combien d'entretiens ne parlent pas de F4 ni de F5 ?", "Citations sans F4 ni F5",
     "Combien d'entretiens ne sont pas codés F4 ou F5 ?", "Combien d'entretiens ne parlent pas de F4, ni de F5 ?",
     # no « pas »: read as F4 alone, F5 said uncounted
     "Combien d'entretiens ne parlent ni de F4 ni de F5 ?", "ni F4 ni F5",
     "Quels entretiens ne parlent ni de F4 ni de F5 ?", "Combien de segments ni F4 ni F5 ?"],
)  # fmt: skip
def test_a_negation_over_two_codes_leaves_out_both(project: Path, session: ChatSession, question: str) -> None:
    """« ne parlent pas de F4 ni de F5 » answered « F5 sans F4 », then F4 alone with F5 said
    uncounted; « ne parlent ni de F4 ni de F5 » counted F4. Both are left out: neither."""
    t = truth(project)

    def carrying(unit: str) -> set[object]:
        hits = {s for s, c in t.applied if (rolls_up(c, "F4") or rolls_up(c, "F5")) and s in t.respondent}
        if unit == "segments":
            return set(hits)
        return {t.segment_document[s] for s in hits} if unit == "documents" else {t.respondent[s] for s in hits}

    answer = ask(project, question, session=session)
    assert answer.slots.get("code") == "F4" and answer.slots.get("negated") is True, answer.slots
    assert answer.slots.get("without") == "F5" and "n'est pas" not in answer.text, answer.text
    if answer.intent == "quotes":
        assert answer.quotes and "sans codage accepté F4 (Changement de regard sur soi) ni F5" in answer.text
        for quote in answer.quotes:
            assert quote.segment_id not in carrying("segments")
        return
    assert answer.text.startswith("Ni F4 (Changement de regard sur soi) ni F5"), answer.text
    assert answer.table is not None
    if answer.slots.get("list"):
        named = {r[0] for r in answer.table[1:]}
        assert named == {t.names[d] for d in t.documents} - {t.names[d] for d in carrying("documents")}  # type: ignore[index]
        return
    totals = {"documents": len(t.documents), "respondents": len(set(t.respondent.values())),
              "segments": len(t.respondent)}  # fmt: skip
    rows = {UNIT_ROWS[r[0]]: fraction(r[1]) for r in answer.table[1:]}
    assert rows, answer.table
    for unit, (n, total) in rows.items():
        assert (n, total) == (totals[unit] - len(carrying(unit)), totals[unit]), unit


def test_a_third_code_left_out_is_said_not_left_out(project: Path, session: ChatSession) -> None:
    answer = ask(project, "Combien d'entretiens ne parlent ni de F4 ni de F5 ni de F7 ?", session=session)
    assert answer.slots.get("negated") is True and answer.slots.get("without") == "F5"
    assert "F7 n'est pas écarté ici : une question n'écarte que deux codes à la fois" in answer.text


def test_a_negation_stays_on_the_one_code_it_precedes(project: Path, session: ChatSession) -> None:
    """The questions with one code keep their complement."""
    for question in ("Citations des élus sans F1", "Combien d'entretiens ne sont pas codés F4 ?",
                     "Quels entretiens n'abordent pas F5 ?"):  # fmt: skip
        answer = ask(project, question, session=session)
        assert answer.slots.get("negated") is True and "without" not in answer.slots, question


@pytest.mark.parametrize(
    "question",
    ["Combien de segments F4 chez les martiens ?", "Que disent les bénévoles sur F1 ?",
     "Combien d'entretiens F5 parmi les retraités ?", "les jeunes parlent-ils de F5 ?",
     # after « plus »: answered for the whole corpus, without a word
     "Citations F4 parmi les plus jeunes", "Combien d'entretiens F4 chez les plus anciens salariés ?",
     "Citations F4 chez les salariés les plus jeunes", "Que disent les plus jeunes de F4 ?",
     # after « des », an age in years, a word that names a code where only people can be: the whole corpus
     # (or all salariés) was answered without a word
     "Combien d'entretiens chez les plus de 50 ans parlent de F4 ?", "Citations F4 des plus jeunes",
     "Citations F4 des salariés les plus anciens", "Citations F4 des moins de 30 ans",
     "Combien d'entretiens F4 chez les 50 ans et plus ?", "Que pensent les habitants du CLE ?",
     "Que disent les habitants sur F1 ?"],
)  # fmt: skip
def test_a_group_in_lower_case_the_project_lacks_is_said(
    project: Path, session: ChatSession, question: str
) -> None:
    """« chez les martiens », « que disent les bénévoles » were dropped and the whole corpus
    answered, as if for them; capitalised names were already said."""
    answer = ask(project, question, session=session)
    assert "ne réponds pas sur tout le corpus" in answer.text, answer.text
    assert answer.table is None and not answer.quotes
    if question in AGES:  # what it cannot filter by, first; no search « qui parle des plus de 50 ans ? »
        assert answer.text.startswith("Je ne peux pas filtrer par ") and "qui parle" not in answer.text
    else:
        assert "salarié·e EBE" in answer.text  # the roles it has


AGES = {"les jeunes parlent-ils de F5 ?",
        "Citations F4 parmi les plus jeunes", "Combien d'entretiens F4 chez les plus anciens salariés ?",
        "Citations F4 chez les salariés les plus jeunes", "Que disent les plus jeunes de F4 ?",
        "Combien d'entretiens chez les plus de 50 ans parlent de F4 ?", "Citations F4 des plus jeunes",
        "Citations F4 des salariés les plus anciens", "Citations F4 des moins de 30 ans",
        "Combien d'entretiens F4 chez les 50 ans et plus ?"}  # fmt: skip


@pytest.mark.parametrize(
    "question",
    ["Quels entretiens parlent le plus de F4 ?", "Quels sont les codes les plus fréquents ?",
     "Quels codes parmi les plus fréquents chez les élus ?", "Qui parle le plus de F4 chez les salariés ?",
     "Quels salariés parlent le plus de F5 ?", "Citations F4 les plus représentatives chez les salariés",
     "Chez les élus, quels entretiens parlent le plus souvent de F5 ?", "Parmi les plus cités, lequel est F4 ?",
     "quels sont les codes les plus fréquents chez les salariés ?", "que disent les gens sur la confiance ?",
     "citations F4 parmi les suggestions", "combien de segments F4 chez les femmes ?",
     "les salariés parlent-ils des horaires ?", "qui parle des jeunes ?", "qui parle des plus jeunes ?",
     "qui parle des habitants ?", "Que pensent les élus du CLE ?", "Que disent les salariés du CDI ?"],
)  # fmt: skip
def test_groups_the_project_has_and_superlatives_are_no_unknown_group(
    project: Path, session: ChatSession, question: str
) -> None:
    """« les plus » names a group only after « chez », « parmi » or a verb of speaking; the
    project's own groups, « les gens », « les suggestions » are no group it lacks."""
    answer = ask(project, question, session=session)
    assert "je ne réponds pas sur tout le corpus" not in answer.text, answer.text


def test_an_age_the_project_cannot_filter_by_says_what_it_has(project: Path, session: ChatSession) -> None:
    """« je ne peux pas filtrer par âge », with the project's attributes; with an age band, its values
    and one to name (« chez les 55-64 ans » is a filter, « plus de 50 ans » is none)."""
    from types import SimpleNamespace

    from tzcld_qual.chat.guide import _dimension_lines

    answer = ask(project, "Combien d'entretiens chez les plus de 50 ans parlent de F4 ?", session=session)
    said = "Je ne peux pas filtrer par âge : les attributs du projet sont genre, rôle, territoire, vague."
    assert said in answer.text
    seniority = ask(project, "Citations F4 des salariés les plus anciens", session=session)
    assert "Je ne peux pas filtrer par ancienneté à l'EBE" in seniority.text and not seniority.quotes
    documents = {1: SimpleNamespace(attributes={"age_band": "55-64", "role": "élu·e"}),
                 2: SimpleNamespace(attributes={"age_band": "25-34, 35-44", "role": "partenaire"}),
                 3: SimpleNamespace(attributes={"role": "partenaire"})}  # fmt: skip
    corpus = SimpleNamespace(documents=documents, value=lambda d, a: documents[d].attributes.get(a))
    ctx = SimpleNamespace(corpus=corpus, lang="fr", say=lambda fr, en: fr)
    assert _dimension_lines("plus de 50 ans", ctx) == [  # type: ignore[arg-type]
        "Je ne peux pas filtrer par « plus de 50 ans » : l'attribut « âge » n'a que des valeurs précises (55-64), "
        "renseignées pour 2 entretiens sur 3 ; nommez-en une (« chez les 55-64 ans ») ou comparez : "
        "« compare … par âge »."
    ]
    assert _dimension_lines("martiens", ctx) == []  # type: ignore[arg-type]


def test_a_follow_up_on_a_group_the_project_lacks_is_said(project: Path, session: ChatSession) -> None:
    ask(project, "Combien de segments F1 chez les élus ?", session=session)
    answer = ask(project, "et chez les martiens ?", session=session)
    assert "« martiens »" in answer.text and answer.table is None


def test_bare_quotes_after_a_thread_quote_its_code_and_people(project: Path, session: ChatSession) -> None:
    """« montre-moi les citations » after F1 / élus / vague 2 asked « sur quoi ? »."""
    ask(project, "Combien de segments F1 chez les salariés ?", session=session)
    ask(project, "et chez les élus ?", session=session)
    ask(project, "et en vague 2 ?", session=session)
    answer = ask(project, "montre-moi les citations", session=session)
    assert answer.slots.get("code") == "F1"
    assert answer.slots.get("filters") == {"role": "élu·e", "round": "vague 2"}
    assert answer.quotes and "sur quoi" not in answer.text
    ask(project, "Liste les entretiens", session=session)
    alone = ask(project, "montre-moi les citations", session=session)  # nothing to take up: asked
    assert "code" not in alone.slots and "sur quoi" in alone.text


def test_a_promoted_themes_suggestions_are_counted_and_said_as_the_themes(project: Path, session: ChatSession) -> None:
    """« Combien de segments F7.trie ? » said « Aucun segment du projet n'est codé ni suggéré
    F7.trie » while `codings` listed 13 suggestions of topics@2, shown in the review screen."""
    from tzcld_qual.model import Suggestion

    with ProjectStore(project) as store:
        segments = [s.id for s in store.documents.segments(role=Role.RESPONDENT)][:3]
        store.codings.register_coder("topics@1", "model")
        store.codings.put_scores("topics@1", {s: {"F6.passerelles": 0.9} for s in segments},
                                 [Suggestion(s, "F6.passerelles", None, "thème 2 de topics@1") for s in segments])
    answer = ask(project, "Combien de segments F6.passerelles ?", coder="marie", session=session)
    assert "Suggestions non revues du thème promu topics@1 : +3 segments" in answer.text
    assert "ni suggéré" not in answer.text
    quotes = ask(project, "citations sur F6.passerelles", coder="marie", session=session)
    assert "3 suggestion(s) non revue(s) du thème promu topics@1 (sur 3), à vérifier" in quotes.text
    overview = ask(project, "Combien de segments F8.modele_economique ?", coder="marie", session=session)
    assert "Suggestions non revues du modèle ensemble@1 : +1 segments" in overview.text
