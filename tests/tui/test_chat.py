"""The chat pane: question and answer bubbles, locked input, actions, recovery from failure."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import io
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input
from tui_support import Action, Answer, Quote, segment_id, settle, stub_service

from tzcld_qual.errors import InputError
from tzcld_qual.tui.app import ReviewApp
from tzcld_qual.tui.screens.chat import ChatScreen
from tzcld_qual.tui.screens.queue import QueueScreen
from tzcld_qual.tui.screens.transcript import TranscriptScreen
from tzcld_qual.tui.widgets.chat import SERVICE, Bubble, ChatPane

SIZE = (100, 30)


async def open_pane(pilot: Any) -> ChatPane:
    await pilot.press("colon")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ChatScreen)
    return pilot.app.screen.query_one(ChatPane)


async def ask(pilot: Any, question: str) -> ChatPane:
    pane = await open_pane(pilot)
    box = pane.query_one("#chat-input", Input)
    assert pilot.app.focused is box
    box.value = question
    await pilot.press("enter")
    await settle(pilot, timeout=120)
    return pane


def bubbles(pane: ChatPane, kind: str) -> list[str]:
    out = []
    for bubble in pane.query(Bubble):
        if bubble.has_class(kind):
            content = bubble.content
            out.append(content.plain if hasattr(content, "plain") else str(content))
    return out


async def test_answer_with_table_and_quotes_then_the_queue_opens(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seg = segment_id(project, "entretien-02.txt", 1)
    calls = stub_service(
        monkeypatch,
        lambda q: Answer(
            "F4 est le plus fréquent.\nVoir les citations.",
            [["code", "segments"], ["F4", "3"], ["F1", "2"]],
            [Quote("Tout le monde autour de la table", "entretien-02.txt", "M. Lefèvre", seg)],
            Action("open_queue", {"code": "F4", "max_confidence": 0.6}),
        ),
    )
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane_answers = None
        await ask(pilot, "quels codes sont les plus fréquents ?")
        assert calls == [(project, "quels codes sont les plus fréquents ?", "alice")]
        assert isinstance(app.screen, QueueScreen)  # the answer's action ran
        assert app.workspace.filter.code == "F4" and app.workspace.filter.max_confidence == 0.6
        await pilot.press("colon")
        await settle(pilot)
        pane = app.screen.query_one(ChatPane)
        pane_answers = pane.answers
        assert bubbles(pane, "question") == ["quels codes sont les plus fréquents ?"]
        assert pane.allow_input_submit
    assert pane_answers == 1


async def test_failure_is_notified_and_the_input_unlocked(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(question: str) -> Answer:
        raise InputError("question trop vague.", "Précisez un code ou un territoire.")

    stub_service(monkeypatch, broken)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = await ask(pilot, "et alors ?")
        assert pane.allow_input_submit and pane.answers == 1
        assert any("question trop vague" in n.message for n in app._notifications)
        assert bubbles(pane, "answer") == []
        await pilot.press("escape")
        await settle(pilot)
        assert app.current_mode == "review"


async def test_missing_service_says_so(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, SERVICE, None)  # as if not written yet
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = await ask(pilot, "combien de segments ?")
        assert pane.allow_input_submit
        assert any("pas encore installé" in n.message for n in app._notifications)


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec(SERVICE) is None,
    reason="tzcld_qual.services.chat is not written yet; runs for real once it exists",
)
async def test_real_chat_service_answers(project: Path) -> None:
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = await ask(pilot, "combien de segments par code ?")
        assert pane.allow_input_submit and pane.answers == 1
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors == []
        if isinstance(app.screen, ChatScreen):
            assert bubbles(pane, "answer")


def test_a_quote_the_answer_already_cites_is_linked_not_repeated(project: Path) -> None:
    from rich.console import Console

    from tzcld_qual.tui.widgets.chat import render_answer

    seg = segment_id(project, "entretien-02.txt", 1)
    quote = Quote("Tout le monde autour de la table", "entretien-02.txt", "M. Lefèvre", seg)

    def shown(text: str) -> str:
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(render_answer(Answer(text, None, [quote])))
        return console.export_text()

    cited = shown("1 citation :\n1. « Tout le monde autour de la table » [entretien-02.txt · M. Lefèvre]")
    assert cited.count("Tout le monde autour de la table") == 1
    assert "1. entretien-02.txt · M. Lefèvre [ouvrir]" in cited
    alone = shown("Voici ce qui ressort.")
    assert "1. « Tout le monde autour de la table » — entretien-02.txt · M. Lefèvre [ouvrir]" in alone
    assert "Tapez le numéro d'une citation (1–1) pour l'ouvrir." in alone


async def test_typing_a_quotes_number_opens_its_segment(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The keyboard's way to what [ouvrir] does with the mouse; other numbers are questions."""
    first, second = segment_id(project, "entretien-02.txt", 1), segment_id(project, "entretien-01.txt", 1)
    calls = stub_service(
        monkeypatch,
        lambda q: Answer(
            "Deux citations.",
            None,
            [
                Quote("Tout le monde autour de la table", "entretien-02.txt", "M. Lefèvre", first),
                Quote("Une autre voix", "entretien-01.txt", "Mme Durand", second),
            ],
        ),
    )
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = await ask(pilot, "que disent-ils ?")
        box = pane.query_one("#chat-input", Input)
        box.value = "2"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TranscriptScreen)
        assert app.screen.current is not None and app.screen.current.segment.id == second
        assert len(calls) == 1  # "2" was not sent to the engine
        await ask(pilot, "3")  # no third quote: a question like any other
        assert [c[1] for c in calls] == ["que disent-ils ?", "3"]


async def test_a_long_answer_opens_at_its_start_and_page_keys_scroll_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.containers import VerticalScroll

    stub_service(monkeypatch, lambda q: Answer("\n".join(f"ligne {i} de la réponse" for i in range(80))))
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = await ask(pilot, "une longue réponse ?")
        log = pane.query_one("#chat-log", VerticalScroll)
        await pilot.pause()
        answer = log.children[-1]
        top = log.scroll_y
        assert top > 0 and answer.region.y == log.region.y  # a long answer opens at its first line
        assert top < log.max_scroll_y
        await pilot.press("pagedown")
        await pilot.pause()
        assert log.scroll_y > top and app.focused is pane.query_one("#chat-input", Input)
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert log.scroll_y == log.max_scroll_y
        await pilot.press("pageup")
        await pilot.pause()
        assert log.scroll_y < log.max_scroll_y


def test_an_action_is_described_in_the_analysts_words() -> None:
    """The chat showed « ouverture de la file (code = F4, attributes = {'speaker': 'Nadia'}, order =
    uncertain, segment_ids = [174, …]) » and asked « Confirmer : acceptation groupée (code = F4,
    threshold = 0.95, origin = ensemble@1, attributes = {}, count = 81) ? »."""
    from tzcld_qual.tui.widgets.chat import describe_action

    queue = {"code": "F4", "attributes": {"speaker": "Nadia"}, "order": "uncertain", "segment_ids": [174, 175]}
    assert (
        describe_action("open_queue", queue)
        == "ouverture de la file F4 (locuteur = Nadia), 2 segment(s) listé(s) en tête"
    )
    batch = {"code": "F4", "threshold": 0.95, "origin": "ensemble@1", "attributes": {}, "count": 81}
    assert (
        describe_action("accept_batch", batch) == "accepter 81 suggestion(s) F4 de ensemble@1 avec une confiance ≥ 0,95"
    )
    assert describe_action("code_segment", {"segment_id": 12, "code": "F3"}) == "coder le segment 12 en F3"
    rejection = {"code": "F7", "threshold": 0.3, "below": True, "origin": "ensemble@1", "attributes": {}, "count": 4}
    assert (
        describe_action("reject_batch", rejection)
        == "rejeter 4 suggestion(s) F7 de ensemble@1 avec une confiance < 0,3"
    )
    assert describe_action("reject_segment", {"segment_id": 8, "codes": ["F7", "F7.besoins"]}) == (
        "rejeter F7, F7.besoins sur le segment 8"
    )
    assert describe_action("accept_segment", {"segment_id": 8, "codes": ["F4", "F7"]}) == (
        "accepter F4, F7 sur le segment 8"
    )
    assert describe_action("reject_segment", {"segment_id": 8, "codes": ["F7"], "removed": ["F1"]}) == (
        "rejeter F7 et retirer F1 sur le segment 8"
    )


async def test_the_pane_opens_on_the_last_questions_asked_of_the_project(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relaunch opened on an empty pane: the history was in the project, out of sight."""
    import types

    stub_service(monkeypatch, lambda q: Answer(f"réponse à « {q} »"))
    earlier = [types.SimpleNamespace(question="combien de F4 ?", answer="F4 : 3 segments sur 10.")]
    sys.modules[SERVICE].history = lambda path, limit, coder=None: earlier[:limit]  # type: ignore[attr-defined]
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = await ask(pilot, "et F5 ?")
        assert bubbles(pane, "question") == ["combien de F4 ?", "et F5 ?"]  # the earlier one first
        answers = bubbles(pane, "answer")
        assert answers[0] == "F4 : 3 segments sur 10." and len(answers) == 2


async def test_blind_double_coding_keeps_the_chat_closed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blind, the review screen hid the model and the other coders, and the chat showed both
    (« Suggestions non revues du modèle… », « … rejeté par alice »)."""
    calls = stub_service(monkeypatch, lambda q: Answer("ne doit pas être posé", None, [], None))
    app = ReviewApp(project, "bob", blind=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("colon")
        await settle(pilot)
        assert not isinstance(app.screen, ChatScreen) and app.current_mode != "chat"
        assert any("Mode aveugle : le chat reste fermé" in str(n.message) for n in app._notifications)
    assert calls == []


async def test_a_declined_action_says_nothing_was_done(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saying no to the confirmation left « — à confirmer » as the last word of the log."""
    from tzcld_qual.tui.screens.dialogs import ConfirmDialog

    batch = {"code": "F4", "origin": "ensemble@1", "min_confidence": 0.95, "count": 2}
    stub_service(monkeypatch, lambda q: Answer("2 suggestions F4 à accepter.", None, [], Action("accept_batch", batch)))
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = await open_pane(pilot)
        pane.query_one("#chat-input", Input).value = "accepte les suggestions F4 au-dessus de 0,95"
        await pilot.press("enter")
        for _ in range(200):  # the action's worker waits on the dialog: no settling until it is answered
            await pilot.pause(0.05)
            if isinstance(app.screen, ConfirmDialog):
                break
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert bubbles(pane, "answer")[-1] == "Non confirmé : rien n'a été fait."


async def test_the_pane_recalls_this_analyst_s_questions_only(project: Path) -> None:
    """Alice's pane opened on bob's « Je rejetterais … au nom de bob », as if she had asked it."""
    from tzcld_qual.store import ProjectStore

    with ProjectStore(project) as store:
        store.chat.ensure()
        store.chat.add_turn("combien de F4 ?", "count", {}, "F4 : 3 segments", coder="alice")
        store.chat.add_turn("rejette F4 sous 0,6", "reject", {}, "Je rejetterais 2 suggestions", coder="bob")
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = await open_pane(pilot)
        assert bubbles(pane, "past") == ["combien de F4 ?", "F4 : 3 segments"]
