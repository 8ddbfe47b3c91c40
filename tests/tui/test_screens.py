"""Stats, themes, palette, retraining: what the secondary screens and actions do."""

from __future__ import annotations

import importlib
import importlib.machinery
import shlex
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from tui_support import MODEL, segment_id, settle

from tzcld_qual.model import Status
from tzcld_qual.services.calibration import ReviewOutcome
from tzcld_qual.store import NewRun, ProjectStore
from tzcld_qual.tui.actions import ACTIONS
from tzcld_qual.tui.app import ReviewApp
from tzcld_qual.tui.commands import ActionCommands
from tzcld_qual.tui.screens.stats import StatsScreen
from tzcld_qual.tui.screens.themes import NONE_YET, ThemesScreen

SIZE = (100, 30)
CODING = "tzcld_qual.services.coding"


def static_text(screen: Any, selector: str) -> str:
    content = screen.query_one(selector).content
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    console.print(content)
    return console.export_text()


async def test_stats_count_per_code_and_per_attribute(project: Path) -> None:
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", "S")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        text = static_text(app.screen, "#stats-body")
        f1 = next(line for line in text.splitlines() if line.strip().startswith("F1 "))
        assert f1.split()[-3:] == ["1", "1", "0"]  # accepted, suggested, rejected
        assert "Par rôle" in text and "élu·e" in text
        await pilot.press("right")
        await settle(pilot)
        assert "Par vague" in static_text(app.screen, "#stats-body")


async def test_themes_screen_without_a_topic_run(project: Path) -> None:
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, ThemesScreen)
        # the project as given (« projet.tzq » alone failed from another directory)
        command = f"tzcld-qual topics {shlex.quote(str(project))}"
        assert NONE_YET.format(command=command) in static_text(app.screen, "#themes-body")


@pytest.mark.parametrize("key", ["D", "Q", "S", "E"])
async def test_escape_goes_back_to_the_transcript_from_every_screen(project: Path, key: str) -> None:
    """Escape left the chat pane only: from the documents, queue or statistics screens it did
    nothing, and their footers did not say that T goes back."""
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert app.current_mode != "review"
        await pilot.press("escape")
        await settle(pilot)
        assert app.current_mode == "review"


async def test_palette_lists_every_action_and_runs_it(project: Path) -> None:
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        hits = [h async for h in ActionCommands(app.screen).discover()]
        assert len(hits) == len(ACTIONS)
        assert [c.title for c in app.get_system_commands(app.screen)] == [
            "Thème",
            "Quitter",
            "Touches",
            "Capture d'écran",
        ]
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        from textual.command import CommandInput

        assert app.screen.query_one(CommandInput).placeholder == "Chercher une commande…"
        await pilot.press(*"tout accepter")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
    seg = segment_id(project, "entretien-01.txt", 1)
    with ProjectStore(project) as store:
        assert {(c.segment_id, c.code_id, c.status) for c in store.codings.human("alice")} == {
            (seg, "F1", Status.ACCEPTED),
            (seg, "F4", Status.ACCEPTED),
        }


@dataclass
class Report:
    model: str
    dev_before: float | None
    dev_after: float | None
    rescored: int
    previous_review: ReviewOutcome | None = None


def fake_retrain(project: Path, *, progress: Any = None, **_: Any) -> Report:
    """Stands in for the real engine (slow, model-loading): a new run that suggests F8 everywhere."""
    if progress:
        progress("ajustement", 0.5)
    with ProjectStore(project) as store:
        run = store.runs.register(NewRun("ensemble", "fake", 1, {"thresholds": {}}))[0]
        segments = store.documents.segments()
        store.codings.put_scores(run, {s.id: {"F8": 0.7} for s in segments}, [])
        store.set_meta("current_model", run)
    return Report(run, 0.61, 0.68, len(segments), ReviewOutcome(MODEL, 20, 15, ()))


async def test_retrain_runs_in_a_worker_and_refreshes(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec(CODING) is not None:
        monkeypatch.setattr(importlib.import_module(CODING), "retrain", fake_retrain)
    else:
        module = types.ModuleType(CODING)
        module.__spec__ = importlib.machinery.ModuleSpec(CODING, None)
        module.retrain = fake_retrain  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, CODING, module)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.workspace.model == MODEL
        await pilot.press("R")
        await settle(pilot)
        assert app.activity == ""
        assert any(
            "nouveau modèle ensemble@2 · dev 0.61 → 0.68 · suggestions précédentes acceptées à 75 % (20 jugées)"
            " · 11 segments re-notés" in n.message
            for n in app._notifications
        )
        assert app.workspace.model == "ensemble@2"  # the transcript reloaded with the new model


def test_a_retrain_with_no_new_decision_says_the_model_is_unchanged() -> None:
    from tzcld_qual.services.coding import RetrainReport
    from tzcld_qual.tui.app import retrain_summary

    same = RetrainReport("ensemble@2", "ensemble@2", 2, 0.6, 0.6, 3, ReviewOutcome("ensemble@2", 2, 1, ()), False)
    assert retrain_summary(same) == (
        "modèle inchangé (ensemble@2) : mêmes décisions qu'à son entraînement · 3 segments re-notés"
    )
    new = RetrainReport("ensemble@3", "ensemble@2", 3, 0.6, 0.62, 40, ReviewOutcome("ensemble@2", 4, 3, ()))
    assert retrain_summary(new) == (
        "nouveau modèle ensemble@3 · dev 0.60 → 0.62 · suggestions précédentes acceptées à 75 % (4 jugées)"
        " · 40 segments re-notés"
    )
    why = RetrainReport("ensemble@4", "ensemble@3", 4, None, 0.7, 5, why=("l'encodeur a changé : a → b",))
    assert retrain_summary(why) == (
        "nouveau modèle ensemble@4 (l'encodeur a changé : a → b) · dev 0.70 · 5 segments re-notés"
    )


async def test_retrain_missing_is_a_notification(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, CODING, None)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert app.activity == ""
        assert any("pas encore disponible" in n.message for n in app._notifications)


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("F4.acc", "F4.accompagnement"),  # a fuzzy look-alike (F4.confiance) ranked first before
        ("f4.ac", "F4.accompagnement"),
        ("F5.fin", "F5.financiere"),
        ("formation", "F3.formation"),
        ("confi", "F4.confiance"),
        ("formtion", "F3.formation"),  # a typo still finds it
        ("F4", "F4"),
        ("emplois", "F7.emplois"),  # a label word after an apostrophe: « Création d'emplois… »
        ("besion", "F7.besoins"),  # F6 came first: the whole label matched better than one word
        ("confinace", "F4.confiance"),
        ("mobilte", "F3.mobilite"),
    ],
)
def test_the_code_picker_ranks_what_was_typed_first(typed: str, first: str) -> None:
    from tzcld_qual.codebook import load_codebook
    from tzcld_qual.paths import default_codebook
    from tzcld_qual.tui.screens.picker import rank_codes

    assert rank_codes(load_codebook(default_codebook()), typed)[0] == first


def _plain(renderable: Any, width: int = 200) -> str:
    from rich.console import Console

    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_the_themes_screen_cites_like_the_cli_cuts_at_a_word_and_gives_each_verdict() -> None:
    """Quotes were cut mid-word with no ellipsis (« y a rien à fair »), attributed by document only,
    two per theme; the verdict (covered, not covered, phase) was not shown."""
    from tzcld_qual.topics.result import Quote, Scope, Topic, TopicRun
    from tzcld_qual.tui.screens.themes import QUOTE_WIDTH, render_topics

    long = "Et puis des fois on attend les apports et y a rien à faire, on tourne en rond. " * 4
    quotes = tuple(Quote(100 + i, "demo-01.txt", "Sylvie", long, 0.9 - i / 10) for i in range(5))
    covered = Topic(0, 93, "État · réunion", ("État", "réunion"), quotes, {}, (("F1", 0.42),))
    open_ = Topic(1, 37, "dos · envie", ("dos",), quotes[:1], {}, (("F4", 0.13),))
    phase = Topic(3, 21, "café · file", ("café",), (), {}, (("F4", 0.2),))
    run = TopicRun("topics@1", "2026-01-01T10:00", Scope.LOW_CONFIDENCE,
                   {"coverage": {"threshold": 0.37, "code": "F4.liens_sociaux", "codes": 22, "min_segments": 10},
                    "phases": {"3": "clôture"}, "edge_share": 0.23},
                   "m", 1, 356, 98, (covered, open_, phase))
    text = _plain(render_topics(run, "tzcld-qual topics demo.tzq"), width=400)
    assert text.count("[demo-01.txt · Sylvie · 10") == 4  # three quotes of theme 0, one of theme 1
    line = next(line for line in text.splitlines() if "[demo-01.txt · Sylvie · 100]" in line)
    excerpt = line.split("« ", 1)[1].split(" »", 1)[0]
    assert excerpt.endswith("…") and len(excerpt) <= QUOTE_WIDTH and long.startswith(excerpt[:-1])
    assert long[len(excerpt) - 1] == " "  # cut between two words
    assert "couvert par le codebook : proche de F1 (0,42), au moins 0,37" in text
    assert "pas couvert par le codebook : le code le plus proche, F4 (0,13), reste sous 0,37" in text
    assert "phase de l'entretien (clôture)" in text
    assert "Règle — Couvert par le codebook" in text and "Règle — Phase de l'entretien" in text


def test_the_help_says_how_to_move_compute_and_promote_on_the_themes_screen() -> None:
    from tzcld_qual.tui.screens.help import help_table

    text = _plain(help_table({}))
    section = text[text.index("Thèmes émergents"):text.index("Chat")]
    assert "faire défiler les thèmes" in section and "tzcld-qual topics PROJET" in section
    assert "tzcld-qual topics promote PROJET N" in section


@pytest.mark.parametrize("key", ["Q", "D"])
async def test_a_message_in_the_top_bar_leaves_the_whole_filter_on_the_queue_and_documents(
    project: Path, key: str
) -> None:
    """Beside a retraining's progress, the queue's top bar read « … · alice · filtre : F1 »: its
    « · en attente » was taken for a model and left out; the documents' lost their coder and more."""
    from tzcld_qual.services.review_views import ReviewFilter, ReviewStatus
    from tzcld_qual.tui.widgets.topbar import TopBar

    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.workspace.filter = ReviewFilter(code="F1", status=ReviewStatus.PENDING)
        await pilot.press(key)
        await settle(pilot)
        app.activity = "réentraînement : validation croisée 40%"
        await pilot.pause()
        text = app.screen.query_one(TopBar).render().plain
        assert "filtre : F1 · en attente" in text and "réentraînement : validation croisée 40%" in text
        if key == "D":
            assert "segments revus" in text
