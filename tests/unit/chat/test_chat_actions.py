"""Actions asked in the chat: described first, done only once confirmed, undone in one step."""

from __future__ import annotations

from pathlib import Path

import pytest
from chat_fixture import MODEL, segment_id

from tzcld_qual.errors import UsageError
from tzcld_qual.model import Role, Status, Suggestion
from tzcld_qual.services.chat import Action, ChatSession, ask, perform
from tzcld_qual.store import CodingFilter, ProjectStore


def unreviewed(path: Path, code: str, threshold: float) -> set[tuple[int, str]]:
    """The current model's suggestions of ``code`` (sub-codes too) ≥ threshold with no human row."""
    with ProjectStore(path) as store:
        decided = {(c.segment_id, c.code_id) for c in store.codings.human()}
        return {
            (c.segment_id, c.code_id)
            for c in store.codings.list(CodingFilter(origin=MODEL, code=code))
            if c.status is Status.SUGGESTED
            and (c.confidence or 0) >= threshold
            and (c.segment_id, c.code_id) not in decided
        }


def test_accept_batch_is_proposed_then_done_as_one_undo_group(project: Path, session: ChatSession) -> None:
    wanted = unreviewed(project, "F4", 0.4)
    assert len(wanted) == 2
    answer = ask(project, "accepte les suggestions F4 au-dessus de 0,4", coder="marie", session=session)
    assert answer.action == Action(
        "accept_batch", {"code": "F4", "threshold": 0.4, "below": False, "origin": MODEL, "attributes": {}, "count": 2}
    )
    assert answer.action.needs_confirmation
    assert "J'accepterais 2 suggestion(s)" in answer.text
    assert {(int(r[0]), r[2]) for r in answer.table[1:]} == wanted  # type: ignore[index]

    done = perform(project, answer.action, coder="marie")
    assert "2 suggestion(s) acceptée(s)" in done.text and "tzcld-qual undo" in done.text
    assert done.action == Action("refresh", {})
    with ProjectStore(project) as store:
        mine = {(c.segment_id, c.code_id): c.status for c in store.codings.human("marie")}
        assert all(mine[pair] is Status.ACCEPTED for pair in wanted)
        assert len(store.codings.undo("marie")) == 2  # one undo reverts the whole batch
        assert not any(pair in {(c.segment_id, c.code_id) for c in store.codings.human("marie")} for pair in wanted)


def test_accept_batch_keeps_a_coders_finding_and_sub_codes_consistent(project: Path, session: ChatSession) -> None:
    """Accepting a sub-code lifts the same coder's rejection of its finding, as in the review
    screen: "✗F7 ✓F7.emplois" would reach retrain as two analysts disagreeing."""
    target = segment_id(project, "ppde-vallon-06", 2)  # the model suggests F7.emplois (0.93) there
    with ProjectStore(project) as store:
        store.codings.decide(target, "F7", "marie", Status.REJECTED)
    answer = ask(project, "accepte les suggestions F7.emplois au-dessus de 0,9", coder="marie", session=session)
    assert answer.action is not None
    assert "Cela lèverait 1 de vos rejets de leur code parent" in answer.text  # said before, not only after
    done = perform(project, answer.action, coder="marie")
    assert "1 suggestion(s) acceptée(s) (et F7) au nom de marie" in done.text
    with ProjectStore(project) as store:
        mine = {(c.segment_id, c.code_id): c.status for c in store.codings.human("marie")}
        assert mine[(target, "F7.emplois")] is Status.ACCEPTED
        assert (target, "F7") not in mine  # the rejection is lifted, in the same group
        undone = store.codings.undo("marie")
        assert {(d.segment_id, d.code_id) for d in undone} == {(target, "F7.emplois"), (target, "F7")}
        mine = {(c.segment_id, c.code_id): c.status for c in store.codings.human("marie")}
        assert mine[(target, "F7")] is Status.REJECTED and (target, "F7.emplois") not in mine


def test_code_segment_refuses_an_interviewers_turn(project: Path, session: ChatSession) -> None:
    question = segment_id(project, "sal-coteaux-01", 0)
    with pytest.raises(UsageError, match="question de l'enquête"):
        perform(project, Action("code_segment", {"segment_id": question, "code": "F2"}), coder="marie")
    with ProjectStore(project) as store:
        assert not [c for c in store.codings.human("marie") if c.segment_id == question]


def test_accept_batch_is_what_this_coder_has_not_decided(project: Path, session: ChatSession) -> None:
    """Double coding: claire's batch skipped the suggestions marie and paul had decided (as the
    review screen never does), and did not say so."""
    answer = ask(project, "accepte les suggestions F4.confiance au-dessus de 0,85", coder="claire", session=session)
    assert answer.action is not None and answer.action.params["count"] == 2  # segments 4 and 23
    perform(project, answer.action, coder="claire")
    with ProjectStore(project) as store:
        mine = {(c.segment_id, c.code_id): c.status for c in store.codings.human("claire")}
        assert mine == {(4, "F4.confiance"): Status.ACCEPTED, (23, "F4.confiance"): Status.ACCEPTED}
        others = {(c.segment_id, c.origin): c.status for c in store.codings.human() if c.code_id == "F4.confiance"}
        assert others[(23, "marie")] is Status.REJECTED and others[(23, "paul")] is Status.ACCEPTED  # untouched
    again = ask(project, "accepte les suggestions F4.confiance au-dessus de 0,85", coder="claire", session=session)
    assert again.action is None and "rien à accepter" in again.text


def test_accept_batch_above_a_threshold_with_nothing_left(project: Path, session: ChatSession) -> None:
    answer = ask(project, "accepte les suggestions F5 au-dessus de 0,99", coder="marie", session=session)
    assert answer.action is None and "rien à accepter" in answer.text


def test_code_segment(project: Path, session: ChatSession) -> None:
    target = segment_id(project, "sal-coteaux-01", 2)
    answer = ask(project, f"code le segment {target} en F3.formation", coder="marie", session=session)
    assert answer.action == Action("code_segment", {"segment_id": target, "code": "F3.formation"})
    assert "en ajout manuel" in answer.text
    perform(project, answer.action, coder="marie")
    with ProjectStore(project) as store:
        rows = [c for c in store.codings.human("marie") if c.segment_id == target and c.code_id == "F3.formation"]
        assert [c.status for c in rows] == [Status.MANUAL]
        assert store.codings.audit(coder="marie")[-1].action == "decide"


def test_code_segment_accepts_what_the_model_suggested(project: Path, session: ChatSession) -> None:
    target = segment_id(project, "ppde-vallon-06", 2)
    answer = ask(project, f"code le segment {target} en F7.emplois", coder="paul", session=session)
    assert "en acceptant la suggestion du modèle" in answer.text
    assert answer.action is not None
    perform(project, answer.action, coder="paul")
    with ProjectStore(project) as store:
        assert [c.status for c in store.codings.human("paul") if c.segment_id == target] == [Status.ACCEPTED]


def test_a_second_analyst_can_code_what_the_first_coded(project: Path, session: ChatSession) -> None:
    """Double coding from the chat recorded only disagreements: « déjà codé F7 : rien à faire »
    answered bruno because alice had applied F7 there."""
    target = segment_id(project, "ppde-vallon-06", 2)
    perform(project, Action("code_segment", {"segment_id": target, "code": "F7.emplois"}), coder="alice")
    answer = ask(project, f"code le segment {target} en F7.emplois", coder="bruno", session=session)
    assert answer.action == Action("code_segment", {"segment_id": target, "code": "F7.emplois"})
    perform(project, answer.action, coder="bruno")
    with ProjectStore(project) as store:
        assert [c.status for c in store.codings.human("bruno") if c.segment_id == target] == [Status.ACCEPTED]
    again = ask(project, f"code le segment {target} en F7.emplois", coder="bruno", session=session)
    assert again.action is None and "déjà codé" in again.text  # his own coding: nothing to do


def test_code_segment_on_a_missing_segment(project: Path, session: ChatSession) -> None:
    answer = ask(project, "code le segment 99999 en F2", coder="marie", session=session)
    assert answer.action is None and "n'existe pas" in answer.text


def test_a_decision_needs_a_coder(project: Path, session: ChatSession) -> None:
    answer = ask(project, "accepte les suggestions F4 au-dessus de 0,5", session=session)
    assert answer.action is not None and "(nom du codeur à donner)" in answer.text
    with pytest.raises(UsageError):
        perform(project, answer.action, coder=None)


def test_open_queue_lists_the_most_uncertain_segments(project: Path, session: ChatSession) -> None:
    answer = ask(project, "montre-moi les segments incertains en F4", coder="marie", session=session)
    assert answer.action is not None and answer.action.kind == "open_queue"
    assert answer.action.params["code"] == "F4" and not answer.action.needs_confirmation
    with ProjectStore(project) as store:  # the same ranking, from the public API
        thresholds = store.runs.get(MODEL)["params"]["thresholds"]  # type: ignore[index]
        decided = {(c.segment_id, c.code_id) for c in store.codings.human()}
        codes = ["F4", "F4.accompagnement", "F4.confiance", "F4.liens_sociaux", "F4.encadrement"]
        order = {s.id: (s.document, s.position) for s in store.documents.segments()}
        ranked = []
        for segment, scores in store.codings.scores(MODEL).items():
            distances = [
                abs(scores[c] - thresholds.get(c, 0.5)) for c in codes if c in scores and (segment, c) not in decided
            ]
            if distances:
                ranked.append((min(distances), order[segment], segment))
    ranked.sort()
    assert answer.action.params["segment_ids"] == [r[2] for r in ranked[:10]]
    within = sum(1 for r in ranked if r[0] <= 0.1)
    assert f"{within} segment(s) à moins de 0,10 du seuil" in answer.text


def test_retrain_and_refresh_are_proposed(project: Path, session: ChatSession) -> None:
    retrain = ask(project, "réentraîne", session=session)
    with ProjectStore(project) as store:
        decisions = len(store.codings.human())
    assert retrain.action == Action("retrain", {"decisions": decisions})
    assert retrain.action.needs_confirmation
    refresh = ask(project, "actualise", session=session)
    assert refresh.action == Action("refresh", {}) and not refresh.action.needs_confirmation


def test_action_kinds_are_checked() -> None:
    with pytest.raises(ValueError):
        Action("delete_everything", {})


def test_a_session_sees_changes_made_after_its_last_question(project: Path, session: ChatSession) -> None:
    def segments_with_f7() -> str:
        answer = ask(project, "combien de segments évoquent F7 ?", session=session)
        return next(row[1] for row in answer.table[1:] if row[0] == "segments")  # type: ignore[index]

    assert segments_with_f7().startswith("0/20")
    target = segment_id(project, "ppde-vallon-06", 2)
    with ProjectStore(project) as store:  # e.g. the review TUI, in another connection
        store.codings.decide(target, "F7.emplois", "paul", Status.ACCEPTED)
    assert segments_with_f7().startswith("1/20")
    with ProjectStore(project) as store:
        store.codings.undo("paul")
    assert segments_with_f7().startswith("0/20")


def test_confirmed_retrain_runs_the_coding_service(
    project: Path, session: ChatSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The retraining itself is the coding service's (tested there); the chat passes it its model."""
    from tzcld_qual.services import coding

    calls: list[tuple[Path, object]] = []

    def retrain(path: Path, *, embedder: object = None, **_: object) -> coding.RetrainReport:
        calls.append((path, embedder))
        return coding.RetrainReport("ensemble@2", MODEL, 22, 0.5, 0.6, 20)

    monkeypatch.setattr(coding, "retrain", retrain)
    answer = ask(project, "réentraîne le modèle", session=session)
    assert answer.action is not None
    done = perform(project, answer.action, coder=None, session=session)
    assert calls == [(project, session.embedder())]
    assert "Nouveau modèle ensemble@2 (précédent : ensemble@1), entraîné sur 22 décisions" in done.text
    assert done.action == Action("refresh", {})


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("est-ce que le segment {id} est codé F5 ?", "open_segment"),
        ("le segment {id} est-il codé F7 ?", "open_segment"),
        ("est-ce que le segment {id} a été accepté en F4 ?", "open_segment"),
        ("est-ce que les suggestions F4 ont été acceptées ?", "inventory"),  # the F4 acceptances, by analyst
        ("est-ce que le modèle a été réentraîné ?", "unknown"),
        ("was segment {id} coded F5?", "open_segment"),
        # a review's findings: each of these was carried out by `ask --yes`
        ("n'accepte pas les suggestions F4", "count"),
        ("je ne veux pas accepter les suggestions F4", "count"),
        ("j'hésite à accepter les suggestions F4 au-dessus de 0,9", "count"),
        ("ne code pas le segment {id} en F5", "open_segment"),
        ("segment {id} codé F5 ?", "open_segment"),
        ("tu as codé le segment {id} en F5 ?", "open_segment"),
        ("should I accept F4 suggestions above 0.9?", "count"),
        ("dois-je accepter F4 sur le segment {id} ?", "open_segment"),
        ("faut-il réentraîner le modèle ?", "unknown"),
        ("faut-il rejeter F7 sur le segment {id} ?", "open_segment"),
        ("ne rejette pas les suggestions F4", "count"),
    ],
)
def test_a_yes_no_question_is_never_an_action(project: Path, session: ChatSession, question: str, intent: str) -> None:
    """« est-ce que le segment 12 est codé F5 ? » proposed to code it, and `ask --yes` did."""
    target = segment_id(project, "ppde-vallon-06", 2)
    answer = ask(project, question.format(id=target), coder="marie", session=session)
    assert answer.intent == intent
    assert answer.action is None or not answer.action.needs_confirmation
    if intent == "open_segment":
        assert answer.action is not None and answer.action.params["segment_id"] == target


def test_accepting_a_code_on_one_segment_is_about_that_segment(project: Path, session: ChatSession) -> None:
    """« accepte F4 sur le segment 12 » proposed (and with --yes took) every F4 suggestion."""
    target = segment_id(project, "ppde-vallon-06", 2)
    answer = ask(project, f"accepte F4 sur le segment {target}", coder="marie", session=session)
    assert answer.intent == "code_segment" and answer.action is not None
    assert answer.action.params["segment_id"] == target


def undecided_below(path: Path, code: str, threshold: float, coder: str) -> set[tuple[int, str]]:
    """The current model's suggestions of ``code`` (sub-codes too) under ``threshold`` that
    ``coder`` has not decided on."""
    with ProjectStore(path) as store:
        decided = {(c.segment_id, c.code_id) for c in store.codings.human(coder)}
        return {
            (c.segment_id, c.code_id)
            for c in store.codings.list(CodingFilter(origin=MODEL, code=code))
            if c.status is Status.SUGGESTED
            and (c.confidence or 0) < threshold
            and (c.segment_id, c.code_id) not in decided
        }


def test_reject_batch_under_a_threshold(project: Path, session: ChatSession) -> None:
    """« rejette les suggestions F4 sous 0,6 » answered a count of F4: nothing was rejected, and
    nothing said so."""
    wanted = undecided_below(project, "F4", 0.6, "marie")
    assert len(wanted) == 2
    answer = ask(project, "rejette les suggestions F4 sous 0,6", coder="marie", session=session)
    assert answer.intent == "reject" and answer.action is not None
    assert answer.action.kind == "reject_batch" and answer.action.needs_confirmation
    assert answer.action.params["below"] is True and answer.action.params["count"] == 2
    assert "Je rejetterais 2 suggestion(s)" in answer.text and "confiance < 0,60" in answer.text
    assert {(int(r[0]), r[2]) for r in answer.table[1:]} == wanted  # type: ignore[index]
    done = perform(project, answer.action, coder="marie")
    assert "2 suggestion(s) rejetée(s)" in done.text and "tzcld-qual undo" in done.text
    with ProjectStore(project) as store:
        mine = {(c.segment_id, c.code_id): c.status for c in store.codings.human("marie")}
        assert all(mine[pair] is Status.REJECTED for pair in wanted)
        assert len(store.codings.undo("marie")) == 2  # one undo reverts the whole batch


def test_accept_batch_under_a_threshold_takes_those_under_it(project: Path, session: ChatSession) -> None:
    """« accepte … sous 0,6 » proposed the suggestions at or above 0,6."""
    wanted = undecided_below(project, "F4", 0.6, "marie")
    answer = ask(project, "accepte les suggestions F4 en dessous de 0,6", coder="marie", session=session)
    assert answer.action is not None and answer.action.params["below"] is True
    assert {(int(r[0]), r[2]) for r in answer.table[1:]} == wanted  # type: ignore[index]
    assert "confiance < 0,60" in answer.text


def test_reject_on_one_segment(project: Path, session: ChatSession) -> None:
    target = segment_id(project, "ppde-vallon-06", 2)  # F7.emplois (0.93) and F5 (0.91) suggested
    answer = ask(project, f"rejette F7 sur le segment {target}", coder="marie", session=session)
    assert answer.action == Action("reject_segment", {"segment_id": target, "codes": ["F7.emplois"], "removed": []})
    perform(project, answer.action, coder="marie")
    with ProjectStore(project) as store:
        mine = {c.code_id: c.status for c in store.codings.human("marie") if c.segment_id == target}
    assert mine == {"F7.emplois": Status.REJECTED}  # F5 left to decide


def test_reject_a_code_one_applied_is_changing_ones_mind(project: Path, session: ChatSession) -> None:
    target = segment_id(project, "sal-forges-02", 3)  # marie accepted F2 there
    answer = ask(project, f"rejette F2 sur le segment {target}", coder="marie", session=session)
    assert answer.action is not None and answer.action.params["codes"] == ["F2"]
    perform(project, answer.action, coder="marie")
    with ProjectStore(project) as store:
        assert [c.status for c in store.codings.human("marie") if c.segment_id == target] == [Status.REJECTED]


def test_reject_with_nothing_to_reject(project: Path, session: ChatSession) -> None:
    target = segment_id(project, "ppde-vallon-06", 2)
    answer = ask(project, f"rejette F8 sur le segment {target}", coder="marie", session=session)
    assert answer.action is None and "rien à rejeter" in answer.text


def test_rejected_codes_are_listed_with_who_rejected_them(project: Path, session: ChatSession) -> None:
    """« quels codes ont été rejetés ? » answered the codes' acceptances."""
    answer = ask(project, "quels codes ont été rejetés ?", session=session)
    assert answer.intent == "inventory" and answer.table is not None
    rows = {r[0]: r for r in answer.table[1:]}
    assert set(rows) == {"F4.encadrement", "F4.confiance", "F3.sante"}
    assert rows["F3.sante"][2:] == ["1", "1", "paul (1)"]
    assert rows["F4.confiance"][4] == "marie (1)"
    assert answer.text.startswith("Rejets d'analystes : 3 codes sur 3 segments")


@pytest.mark.parametrize(
    ("question", "code", "coder", "rows"),
    [
        ("qui a rejeté F4 ?", "F4", None, {"F4.encadrement": "marie (1)", "F4.confiance": "marie (1)"}),
        ("qui a rejeté F4", "F4", None, {"F4.encadrement": "marie (1)", "F4.confiance": "marie (1)"}),
        ("quels codes a rejeté paul ?", None, "paul", {"F3.sante": "paul (1)"}),
        (
            "quels codes marie a-t-elle rejettés ?",
            None,
            "marie",
            {"F4.encadrement": "marie (1)", "F4.confiance": "marie (1)"},
        ),
        ("combien de suggestions F3 ont été rejetées ?", "F3", None, {"F3.sante": "paul (1)"}),
        ("which codes did paul reject?", None, "paul", {"F3.sante": "paul (1)"}),
        ("qui a accepté F1 ?", "F1", None, {"F1": "paul (2)"}),
        ("qui a ajouté F4.accompagnement ?", "F4.accompagnement", None, {"F4.accompagnement": "paul (1)"}),
        ("qu'a rejeté paul ?", None, "paul", {"F3.sante": "paul (1)"}),
    ],
)
def test_who_decided_is_read_from_the_decisions(
    project: Path, session: ChatSession, question: str, code: str | None, coder: str | None, rows: dict[str, str]
) -> None:
    """« qui a rejeté F7 ? » answered who speaks of F7 (and, without « ? », rejected 150 suggestions);
    « quels codes a rejeté bob ? » listed everyone's acceptances."""
    with ProjectStore(project) as store:
        before = len(store.codings.human())
    answer = ask(project, question, coder="claire", session=session)
    assert answer.intent == "inventory" and answer.slots.get("decisions") is True
    assert answer.slots.get("code") == code and answer.slots.get("coder") == coder
    assert answer.table is not None and {r[0]: r[4] for r in answer.table[1:]} == rows
    with ProjectStore(project) as store:
        assert len(store.codings.human()) == before


def test_an_analyst_the_project_does_not_have_is_said(project: Path, session: ChatSession) -> None:
    answer = ask(project, "quels codes a rejeté Zoé ?", session=session)
    assert answer.text.startswith("Aucune décision d'un analyste nommé « Zoé » ici. Analystes : marie, paul")


@pytest.mark.parametrize(
    ("question", "order"),
    [
        ("peux-tu accepter les suggestions F4 ?", "accepter les suggestions F4"),
        ("pourrais-tu rejeter F7 sur le segment {id} ?", "rejeter F7 sur le segment {id}"),
        ("could you accept F4 suggestions above 0.9?", "accept F4 suggestions above 0.9"),
    ],
)
def test_a_request_asked_as_a_question_says_it_was_not_done(
    project: Path, session: ChatSession, question: str, order: str
) -> None:
    """« peux-tu accepter les suggestions F4 ? » answered a count, and whether anything was accepted
    went unsaid; the order to write instead is one the chat carries out."""
    target = segment_id(project, "ppde-vallon-06", 2)
    answer = ask(project, question.format(id=target), coder="marie", session=session)
    assert answer.action is None or not answer.action.needs_confirmation
    assert order.format(id=target) in answer.text
    assert "Rien n'a été modifié" in answer.text or "Nothing was changed" in answer.text
    as_order = ask(project, order.format(id=target), coder="marie", session=session)
    assert as_order.intent in ("accept_batch", "reject")


def test_a_yes_no_question_gets_no_such_note(project: Path, session: ChatSession) -> None:
    target = segment_id(project, "ppde-vallon-06", 2)
    answer = ask(project, f"est-ce que le segment {target} est codé F5 ?", coder="marie", session=session)
    assert "Rien n'a été modifié" not in answer.text


def test_rejecting_a_segments_suggestions_leaves_ones_own_decisions(project: Path, session: ChatSession) -> None:
    """« rejette les suggestions du segment 12 » also rejected the codes the analyst had added."""
    target = segment_id(project, "ppde-vallon-06", 2)  # F7.emplois and F5 suggested
    with ProjectStore(project) as store:
        store.codings.decide(target, "F1", "marie", Status.MANUAL)
    answer = ask(project, f"rejette les suggestions du segment {target}", coder="marie", session=session)
    assert answer.action is not None
    assert answer.action.params == {"segment_id": target, "codes": ["F5", "F7.emplois"], "removed": []}
    perform(project, answer.action, coder="marie")
    with ProjectStore(project) as store:
        mine = {c.code_id: c.status for c in store.codings.human("marie") if c.segment_id == target}
    assert mine == {"F1": Status.MANUAL, "F5": Status.REJECTED, "F7.emplois": Status.REJECTED}


def test_rejecting_a_code_one_added_removes_it(project: Path, session: ChatSession) -> None:
    """A code the analyst added (no model suggested it) became a rejection, learnt as a negative;
    the review screen removes it."""
    target = segment_id(project, "ppde-vallon-06", 2)
    with ProjectStore(project) as store:
        store.codings.decide(target, "F1", "marie", Status.MANUAL)
    answer = ask(project, f"rejette F1 sur le segment {target}", coder="marie", session=session)
    assert answer.action is not None and answer.action.params["removed"] == ["F1"]
    assert "je retirerais F1, que vous aviez ajouté(s)" in answer.text
    done = perform(project, answer.action, coder="marie")
    assert "F1 retiré(s)" in done.text
    with ProjectStore(project) as store:
        assert not [c for c in store.codings.human("marie") if c.segment_id == target and c.code_id == "F1"]


def test_a_batch_rejection_counts_the_sub_codes_it_rejects_with_their_finding(
    project: Path, session: ChatSession
) -> None:
    """Rejecting F4 under 0,6 also rejects the F4 sub-codes suggested on those segments (roll-up):
    the preview said 93, undo counted 130."""
    target = segment_id(project, "ppde-forges-03", 2)  # F4 suggested at 0.55
    with ProjectStore(project) as store:
        store.codings.put_scores(MODEL, {target: {"F4": 0.55, "F4.confiance": 0.8}}, [
            Suggestion(target, "F4", 0.55, "test"), Suggestion(target, "F4.confiance", 0.8, "test"),
        ])  # fmt: skip
    answer = ask(project, "rejette les suggestions F4 sous 0,6", coder="paul", session=session)
    assert answer.action is not None and answer.table is not None
    listed = {(int(r[0]), r[2]) for r in answer.table[1:] if r[0].isdigit()}
    assert (target, "F4.confiance") in listed and "dont 1 sous-code(s) suggéré(s)" in answer.text
    done = perform(project, answer.action, coder="paul")
    count = answer.action.params["count"]
    assert done.text.startswith(f"{count} suggestion(s) rejetée(s) au nom de paul")  # nothing implied beyond it
    with ProjectStore(project) as store:
        assert len(store.codings.undo("paul")) == count


def test_a_batch_rejection_leaves_a_finding_whose_sub_code_one_applied(project: Path, session: ChatSession) -> None:
    """Rejecting F4 where the analyst had accepted F4.liens_sociaux overturned that acceptance."""
    target = segment_id(project, "ppde-forges-03", 2)  # F4 suggested at 0.55
    with ProjectStore(project) as store:
        store.codings.decide(target, "F4.accompagnement", "marie", Status.MANUAL)
    answer = ask(project, "rejette les suggestions F4 sous 0,6", coder="marie", session=session)
    assert "1 autre(s) laissée(s)" in answer.text
    if answer.action is not None:
        perform(project, answer.action, coder="marie")
    with ProjectStore(project) as store:
        mine = {c.code_id: c.status for c in store.codings.human("marie") if c.segment_id == target}
    assert mine == {"F4.accompagnement": Status.MANUAL}


def test_a_topic_question_with_accepter_is_not_about_analysts(project: Path, session: ChatSession) -> None:
    """« qui a refusé le CDI ? » asks about people, not about the analysts' rejections of F5."""
    answer = ask(project, "qui a refusé le CDI ?", session=session)
    assert not answer.slots.get("decisions")


def test_rejecting_a_segments_suggestions_leaves_a_finding_whose_sub_code_one_added(
    project: Path, session: ChatSession
) -> None:
    """« rejette les suggestions du segment 124 » also removed the F3.formation the analyst had
    added there: rejecting the suggested F3 rolls up to its sub-codes."""
    target = segment_id(project, "ppde-vallon-06", 2)  # F5 and F7.emplois suggested
    with ProjectStore(project) as store:
        store.codings.put_scores(MODEL, {target: {"F3": 0.7}}, [Suggestion(target, "F3", 0.7, "test")])
        store.codings.decide(target, "F3.formation", "marie", Status.MANUAL)
    answer = ask(project, f"rejette les suggestions du segment {target}", coder="marie", session=session)
    assert answer.action is not None and "F3" not in answer.action.params["codes"]
    assert "F3 laissé(s) : vous y avez appliqué un de leurs sous-codes" in answer.text
    perform(project, answer.action, coder="marie")
    with ProjectStore(project) as store:
        mine = {c.code_id: c.status for c in store.codings.human("marie") if c.segment_id == target}
    assert mine["F3.formation"] is Status.MANUAL and "F3" not in mine


def test_coding_a_sub_code_says_it_lifts_ones_rejection_of_its_code(project: Path, session: ChatSession) -> None:
    """After « rejette F7 sur le segment N », « code le segment N en F7.emplois » flipped the F7
    rejection to an acceptance (roll-up) without a word in the proposal."""
    target = segment_id(project, "ppde-vallon-06", 2)
    with ProjectStore(project) as store:
        store.codings.decide(target, "F7", "marie", Status.REJECTED)
    answer = ask(project, f"code le segment {target} en F7.emplois", coder="marie", session=session)
    assert "Cela lèverait votre rejet de F7" in answer.text


def test_accepting_every_suggestion_of_one_segment(project: Path, session: ChatSession) -> None:
    """« accepte toutes les suggestions du segment 8 » (the review screen's « A ») only showed it."""
    target = segment_id(project, "ppde-vallon-06", 2)  # F5 and F7.emplois suggested
    answer = ask(project, f"accepte toutes les suggestions du segment {target}", coder="marie", session=session)
    assert answer.action == Action("accept_segment", {"segment_id": target, "codes": ["F5", "F7.emplois"]})
    assert answer.action.needs_confirmation
    done = perform(project, answer.action, coder="marie")
    assert done.text.startswith(f"Segment {target} : F5, F7.emplois accepté(s)")
    with ProjectStore(project) as store:
        mine = {c.code_id: c.status for c in store.codings.human("marie") if c.segment_id == target}
        assert mine == {"F5": Status.ACCEPTED, "F7.emplois": Status.ACCEPTED}
        assert len(store.codings.undo("marie")) == 2  # one group
    again = perform(project, answer.action, coder="marie")  # confirmed once more, after the undo
    assert again.text.startswith(f"Segment {target} : F5, F7.emplois accepté(s)")
    asked = ask(project, f"accepte les suggestions du segment {target} ?", coder="claire", session=session)
    assert asked.action is None or not asked.action.needs_confirmation


def test_accepting_a_segment_that_changed_since_the_proposal_does_nothing(project: Path, session: ChatSession) -> None:
    target = segment_id(project, "ppde-vallon-06", 2)
    answer = ask(project, f"accepte les suggestions du segment {target}", coder="marie", session=session)
    assert answer.action is not None
    with ProjectStore(project) as store:
        store.codings.decide(target, "F5", "marie", Status.REJECTED)
    done = perform(project, answer.action, coder="marie")
    assert done.text.startswith("Rien n'est fait")
    with ProjectStore(project) as store:
        assert {c.code_id: c.status for c in store.codings.human("marie") if c.segment_id == target} == {
            "F5": Status.REJECTED
        }


@pytest.mark.parametrize(
    ("order", "count", "done"),
    [("accepte les suggestions F4.confiance au-dessus de 0,85", 2, "acceptée(s)"),
     ("rejette les suggestions F4.confiance sous 0,95", 3, "rejetée(s)")],
)  # fmt: skip
def test_an_order_without_a_coder_previews_what_a_coder_would_do(
    project: Path, session: ChatSession, order: str, count: int, done: str
) -> None:
    """Without --coder, « rejette les suggestions F7 sous 0,6 chez les élus » previewed 2 (the
    suggestions no analyst had decided) and told to re-run with --yes --coder NOM, which rejected
    4 for a coder who had decided none of them."""
    preview = ask(project, order, session=session)  # marie decided segments 4 and 23's, paul 23's
    assert preview.action is not None
    counted = preview.action.params["count"]
    assert counted == count
    assert "Le nombre dépend donc de qui confirme (--coder NOM)" in preview.text
    # « dont l'ordre confirmé en son nom les laisserait » was no French sentence
    assert "2 de ces suggestions ont déjà été tranchées par un·e analyste ; confirmé en son nom, l'ordre les " \
        "laisserait de côté." in preview.text
    confirmed = ask(project, order, coder="claire", session=session)
    assert confirmed.action is not None and confirmed.action.params["count"] == counted
    assert "dépend de qui confirme" not in confirmed.text
    assert f"{counted} suggestion(s) {done}" in perform(project, preview.action, coder="claire").text


def test_a_theme_made_a_code_from_the_chat_is_undone_by_undo(project: Path) -> None:
    """README calls « making a code of a theme » undoable: after the chat's promotion, `undo
    --coder marie` said « rien à annuler »."""
    import numpy as np

    from tzcld_qual.services.review import ReviewSession
    from tzcld_qual.store.topics import TopicRecord

    with ProjectStore(project) as store:
        seg = store.documents.segments(role=Role.RESPONDENT)[0].id
        store.topics.add_run(
            fingerprint="fp", scope="all", params={}, embedding_model="hash", analyzer="blank",
            codebook_version=store.codebooks.latest_version(), assignments=[(seg, 0, 0.9)],
            topics=[TopicRecord(0, 1, "hiver · neige", ("hiver", "neige"), ((seg, 0.9),), {}, (),
                                np.zeros(4, np.float32).tobytes())])
    done = perform(project, Action("promote_topic", {"topic": 0}), coder="marie")
    assert f"Pour annuler, tant que personne n'a codé avec : « tzcld-qual undo {project} --coder marie »" in done.text
    with ReviewSession(project, "marie") as session:
        undone = session.undo()
    assert undone.done and undone.message.startswith("annulé : le code T1 (thème 0 de topics@1)")
    with ProjectStore(project) as store:
        assert "T1" not in store.codebooks.get()
