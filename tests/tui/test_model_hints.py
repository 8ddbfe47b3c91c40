"""What the screens say of the model: hidden in blind double-coding (``review --blind``), and
the commands to run, with the project as the analyst gave it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from tui_support import settle

from tzcld_qual.tui.app import ReviewApp
from tzcld_qual.tui.screens.queue import QueueScreen
from tzcld_qual.tui.screens.stats import StatsScreen
from tzcld_qual.tui.screens.themes import ThemesScreen

SIZE = (100, 30)


def static_text(screen: Any, selector: str) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(screen.query_one(selector).content)
    return console.export_text()


def top_bar(app: ReviewApp) -> str:
    return str(app.screen.query_one("#topbar").place)  # type: ignore[attr-defined]


async def test_the_queue_and_the_stats_say_the_model_is_hidden_not_missing(project: Path) -> None:
    """Q said « Pas de modèle : lancez « tzcld-qual code projet.tzq » » and S « sans modèle »,
    though the project has a model: blind coding hides it."""
    app = ReviewApp(project, "bob", blind=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("Q")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        summary = static_text(app.screen, "#queue-summary")
        assert "masquée en double codage aveugle" in summary and "Pas de modèle" not in summary
        await pilot.press("S")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        assert "modèle masqué en double codage aveugle" in top_bar(app) and "sans modèle" not in top_bar(app)


def test_hints_give_the_project_as_the_analyst_gave_it() -> None:
    """« lancez « tzcld-qual code p2.tzq » » failed when the review was launched from elsewhere."""
    from tzcld_qual.tui.workspace import Workspace

    assert Workspace(Path("/tmp/audit 27/p2.tzq")).command("code") == "tzcld-qual code '/tmp/audit 27/p2.tzq'"
    assert Workspace(Path("p2.tzq")).command("topics") == "tzcld-qual topics p2.tzq"


async def test_the_themes_screen_stays_closed_in_blind_mode(project: Path) -> None:
    """The themes named each one's nearest code, read from the model's least sure segments,
    while the chat was closed because its answers would show the model."""
    app = ReviewApp(project, "bob", blind=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, ThemesScreen)
        text = static_text(app.screen, "#themes-body")
        assert text.startswith("Mode aveugle : les thèmes restent fermés")
        assert "Relancez la revue sans --blind" in text


async def test_an_empty_project_says_how_to_import_into_it_from_here(tmp_path: Path) -> None:
    from tzcld_qual.services.projects import init_project
    from tzcld_qual.tui.widgets.transcript import TranscriptView

    path = tmp_path / "sous dossier" / "vide.tzq"
    path.parent.mkdir()
    store, _version = init_project(path)
    store.close()
    app = ReviewApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = app.screen.query_one(TranscriptView).render().plain
        assert f"tzcld-qual import '{path}' DOSSIER" in text and f"tzcld-qual code '{path}'" in text
