"""With NO_COLOR the focus and the choice stay visible: marks (▸, (•)) and text styles, never a
colour alone. Checked on the screen as the terminal gets it: composed, then through Textual's
NO_COLOR filter, which keeps the text and its styles (bold, underline, reverse)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from rich.segment import Segment
from textual.color import Color
from textual.widgets import Select
from textual.widgets._select import SelectOverlay
from tui_support import settle

from tzcld_qual.tui.actions import key_display
from tzcld_qual.tui.app import ReviewApp
from tzcld_qual.tui.screens.dialogs import ConfirmDialog
from tzcld_qual.tui.screens.help import help_table

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def _no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")  # read when the app is built


def screen(app: ReviewApp) -> list[list[Segment]]:
    """Each line of the screen as the terminal receives it."""
    assert app.no_color
    lines = []
    for strip in app.screen._compositor.render_strips():
        segments = list(strip)
        for line_filter in app.get_line_filters():
            segments = line_filter.apply(segments, Color(0, 0, 0))
        lines.append(segments)
    return lines


def text(app: ReviewApp) -> list[str]:
    return ["".join(s.text for s in line) for line in screen(app)]


def line_with(app: ReviewApp, words: str) -> str:
    return next(line for line in text(app) if words in line)


async def test_the_memo_dialog_shows_which_target_is_chosen_and_which_has_the_keys(project: Path) -> None:
    """``▐●▌ sur le segment   ▐●▌ sur le document`` whatever the choice: a memo went to the
    document unseen."""
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert "(•) sur le segment" in line_with(app, "sur le document")
        assert "( ) sur le document" in line_with(app, "sur le document")
        assert "▸" not in line_with(app, "sur le document")  # the keys are in the text
        await pilot.press("shift+tab")
        await settle(pilot)
        assert "▸ (•) sur le segment" in line_with(app, "sur le document")
        await pilot.press("right")
        await settle(pilot)
        line = line_with(app, "sur le document")
        assert "▸ ( ) sur le document" in line and "▸ (•) sur le segment" not in line
        await pilot.press("enter")
        await settle(pilot)
        line = line_with(app, "sur le document")
        assert "▸ (•) sur le document" in line and "( ) sur le segment" in line


async def test_the_focused_button_of_a_confirmation_is_marked(project: Path) -> None:
    """« Oui   Non » with nothing to tell which one entrée would press."""
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ConfirmDialog("Rejeter 2 suggestions F7 ?"))
        await settle(pilot)
        line = line_with(app, "Oui")
        assert "▸ Oui ◂" in line and "▸ Non" not in line
        await pilot.press("tab")
        await settle(pilot)
        line = line_with(app, "Oui")
        assert "▸ Non ◂" in line and "▸ Oui" not in line


async def test_the_filter_marks_the_field_and_the_button_that_have_the_keys(project: Path) -> None:
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert "▸ code" in line_with(app, "tous les codes")
        assert "▸" not in line_with(app, "tous les statuts")
        await pilot.press("tab")
        await settle(pilot)
        assert "▸ statut" in line_with(app, "tous les statuts")
        assert "▸" not in line_with(app, "tous les codes")
        await pilot.press("tab", "tab", "tab", "tab", "tab")  # confiance (2), documents, Appliquer, Effacer
        await settle(pilot)
        line = line_with(app, "Appliquer")
        assert "▸ Effacer ◂" in line and "▸ Appliquer" not in line
        assert not any("▸" in line_with(app, field) for field in ("tous les codes", "tous les statuts", "de 0"))


@pytest.mark.parametrize("size", [(80, 24), SIZE])
async def test_the_filters_code_list_opens_inside_the_dialog(project: Path, size: tuple[int, int]) -> None:
    """The list ran over the dialog's bottom border and out of it."""
    app = ReviewApp(project, "alice")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#filter-code", Select).expanded
        dialog = app.screen.query_one(".dialog").region
        inside = dialog.shrink((1, 1, 1, 1))  # within the border
        assert inside.contains_region(app.screen.query_one(SelectOverlay).region)
        assert inside.contains_region(app.screen.query_one("#apply").region)  # the buttons stay in view
        assert dialog.bottom <= size[1]


async def test_the_highlighted_option_of_a_list_is_underlined(project: Path) -> None:
    """The code picker's highlighted row only had a background colour."""
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        underlined = ["".join(s.text for s in line if s.style and s.style.underline) for line in screen(app)]
        options = [words.strip() for words in underlined if " — " in words]
        assert options == ["F2 — Changement de regard sur l'employabilité"]


async def test_the_cursor_row_of_a_table_is_reversed(project: Path) -> None:
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        reversed_rows = [
            "".join(s.text for s in line)
            for line in screen(app)
            if any(s.style and s.style.reverse for s in line if s.text.strip())
        ]
        assert len(reversed_rows) == 1 and "entretien-02.txt" in reversed_rows[0]


def test_the_help_names_keys_in_french() -> None:
    """`pagedown shift+down`, `home, end`, `ctrl+home` in a help otherwise in French."""
    console = Console(width=120, file=io.StringIO(), color_system=None)
    console.print(help_table({}))
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    for english in ("pagedown", "pageup", "shift", "home", "end :", "ctrl+end"):
        assert english not in shown
    assert "pg.suiv maj+↓" in shown and "pg.préc maj+↑" in shown
    assert "début fin" in shown and "ctrl+début ctrl+fin" in shown
    assert key_display("shift+down") == "maj+↓" and key_display("ctrl+r") is None


async def test_the_highlighted_option_of_an_open_drop_down_is_marked(project: Path) -> None:
    """The filter's open status list read « tous les statuts / en attente / non revus / appliqués /
    rejetés », ↓ ↓ too: entrée picked « non revus », shown nowhere before."""
    app = ReviewApp(project, "alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f", "tab", "enter")
        await settle(pilot)
        assert app.screen.query_one("#filter-status", Select).expanded
        options = ("tous les statuts", "en attente", "non revus", "appliqués", "rejetés")

        def marked() -> list[str]:
            rows = [line for line in text(app) if any(f"│{m} {o} " in line for o in options for m in "▸ ")]
            assert len(rows) == len(options), "\n".join(text(app))
            return [o for o in options for row in rows if f"▸ {o} " in row]

        assert marked() == ["tous les statuts"]
        await pilot.press("down", "down")
        await settle(pilot)
        assert marked() == ["non revus"]
        underlined = ["".join(s.text for s in line if s.style and s.style.underline).strip() for line in screen(app)]
        assert "▸ non revus" in underlined  # the mark, in the underlined option
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#filter-status", Select).value == "unreviewed"
