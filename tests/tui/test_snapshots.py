"""Snapshots of every screen at fixed sizes (80×24 the smallest supported, 120×36 a common one).

Hermetic: config and state in tmp dirs (conftest), a fixed coder, the deterministic fixture
project (nothing time-dependent is drawn). Update with ``pytest tests/tui --snapshot-update``
after checking the report.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from tui_support import Answer, Quote, segment_id, settle, still, stub_service

from tzcld_qual.services.review import create_project
from tzcld_qual.tui.app import ReviewApp

SMALL = (80, 24)
WIDE = (120, 36)


def steps(*keys: str, then: Callable[[Pilot], Awaitable[None]] | None = None) -> Callable[[Pilot], Awaitable[None]]:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if then is not None:
            await then(pilot)
            await settle(pilot)
        still(pilot)

    return run_before


def test_transcript(snap_compare, project: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ReviewApp(project, "alice"), terminal_size=SMALL, run_before=steps())


def test_transcript_after_decisions(snap_compare, project: Path) -> None:  # type: ignore[no-untyped-def]
    """Accepted (✓, code colour), rejected (✗), a code added by hand, then the next answer."""
    run = steps("a", "j", "x", "3", "j")
    assert snap_compare(ReviewApp(project, "alice"), terminal_size=SMALL, run_before=run)


def test_transcript_definition_of_the_highlighted_code(snap_compare, project: Path) -> None:  # type: ignore[no-untyped-def]
    run = steps("j", "right", "d")
    assert snap_compare(ReviewApp(project, "alice"), terminal_size=SMALL, run_before=run)


def test_transcript_wide(snap_compare, project: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ReviewApp(project, "alice"), terminal_size=WIDE, run_before=steps("j", "j"))


def test_transcript_no_color(snap_compare, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """With NO_COLOR the marks (▶ ✓ ? ✗) still say everything."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(ReviewApp(project, "alice"), terminal_size=SMALL, run_before=steps("a", "j"))


def test_empty_project(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    create_project(tmp_path / "vide.tzq")
    monkeypatch.chdir(tmp_path)  # its hints give the project as given: no tmp path drawn
    assert snap_compare(ReviewApp(Path("vide.tzq"), "alice"), terminal_size=SMALL, run_before=steps())


def test_documents(snap_compare, project: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ReviewApp(project, "alice"), terminal_size=SMALL, run_before=steps("a", "D"))


def test_queue(snap_compare, project: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ReviewApp(project, "alice"), terminal_size=SMALL, run_before=steps("Q"))


def test_stats(snap_compare, project: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ReviewApp(project, "alice"), terminal_size=SMALL, run_before=steps("a", "x", "S"))


def test_themes(snap_compare, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project.parent)  # its hint gives the project as given: no tmp path drawn
    assert snap_compare(ReviewApp(Path(project.name), "alice"), terminal_size=SMALL, run_before=steps("E"))


def test_help(snap_compare, project: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ReviewApp(project, "alice"), terminal_size=SMALL, run_before=steps("question_mark"))


def test_filter_dialog(snap_compare, project: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ReviewApp(project, "alice"), terminal_size=SMALL, run_before=steps("f"))


def test_code_picker(snap_compare, project: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ReviewApp(project, "alice"), terminal_size=SMALL, run_before=steps("c", *"confiance"))


def test_memo_dialog(snap_compare, project: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ReviewApp(project, "alice"), terminal_size=SMALL, run_before=steps("m"))


def test_search_results(snap_compare, project: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ReviewApp(project, "alice"), terminal_size=SMALL, run_before=steps("slash", *"comité", "enter"))


def test_chat(snap_compare, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    seg = segment_id(project, "entretien-02.txt", 1)
    stub_service(
        monkeypatch,
        lambda q: Answer(
            "2 segments évoquent le comité local (F1), dans 2 entretiens.",
            [["code", "segments"], ["F1", "2"]],
            [Quote("Tout le monde autour de la table", "entretien-02.txt", "M. Lefèvre", seg)],
        ),
    )

    async def question(pilot: Pilot) -> None:
        pilot.app.screen.query_one("#chat-input", Input).value = "qui parle du comité local ?"
        await pilot.press("enter")

    assert snap_compare(ReviewApp(project, "alice"), terminal_size=SMALL, run_before=steps("colon", then=question))
