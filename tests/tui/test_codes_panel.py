"""Pilot tests of the codes panel: which code ``a`` / ``x`` act on, the definition, the memos."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Select
from tui_support import MODEL, segment_id, settle

from tzcld_qual.model import Status, Suggestion
from tzcld_qual.services.review_views import ChipState
from tzcld_qual.store import ProjectStore
from tzcld_qual.tui.app import ReviewApp
from tzcld_qual.tui.screens.filter import FilterDialog
from tzcld_qual.tui.screens.transcript import TranscriptScreen
from tzcld_qual.tui.widgets.codes import CodesPanel, PanelState, render_panel

SIZE = (100, 30)


def decisions(project: Path, coder: str = "alice") -> dict[tuple[int, str], Status]:
    with ProjectStore(project) as store:
        return {(c.segment_id, c.code_id): c.status for c in store.codings.human(coder)}


def panel_text(app: ReviewApp, width: int = 60) -> str:
    """The codes panel as drawn now (its state, rendered without colour)."""
    screen = app.screen
    assert isinstance(screen, TranscriptScreen)
    console = Console(width=width, record=True, color_system=None)
    shown = screen.query_one(CodesPanel).shown
    assert shown is not None
    console.print(render_panel(shown))
    return console.export_text()


async def apply_filter(app: ReviewApp, pilot: Pilot[None], **fields: str) -> None:
    await pilot.press("f")
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, FilterDialog)
    for name, value in fields.items():
        field = dialog.query_one(f"#filter-{name}")
        assert isinstance(field, Select | Input)
        field.value = value
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_x_rejects_the_first_code_once_the_analyst_moved_to_it(project: Path) -> None:
    """With every suggestion decided, ``▸`` stood on the first applied code and ``x`` said « rien à
    rejeter sur ce segment. »: the first chip meant "none chosen". No ``▸`` is drawn until the
    analyst moves to a code, and then ``x`` rejects it, the first one too."""
    seg = segment_id(project, "entretien-01.txt", 1)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "▸ ? F1 62%" in panel_text(app)  # the best suggestion, which `a` takes
        await pilot.press("a", "a")
        await settle(pilot)
        assert decisions(project) == {(seg, "F1"): Status.ACCEPTED, (seg, "F4"): Status.ACCEPTED}
        assert "▸" not in panel_text(app)  # nothing awaits a decision: nothing marked
        await pilot.press("right")
        await settle(pilot)
        assert "▸ ✓ F1 62% (accepté)" in panel_text(app)
        await pilot.press("x")
        await settle(pilot)
        assert decisions(project) == {(seg, "F1"): Status.REJECTED, (seg, "F4"): Status.ACCEPTED}


async def test_a_accepts_the_first_code_when_it_is_a_rejected_one_moved_to(project: Path) -> None:
    seg = segment_id(project, "entretien-01.txt", 1)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x", "x")
        await settle(pilot)
        await pilot.press("left", "left")  # the last code, then the first: ▸ ✗ F1
        await settle(pilot)
        assert "▸ ✗ F1 62% (rejeté)" in panel_text(app)
        await pilot.press("a")
        await settle(pilot)
        assert decisions(project) == {(seg, "F1"): Status.ACCEPTED, (seg, "F4"): Status.REJECTED}


async def test_a_confidence_filter_marks_the_code_it_matched(project: Path) -> None:
    """« 0 à 0,5 » kept the segment for F4 at 48 %, but ``▸`` and ``a`` went to F1 at 62 %."""
    seg = segment_id(project, "entretien-01.txt", 1)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await apply_filter(app, pilot, min="0", max="0.5")
        assert "▸ ? F4 48%" in panel_text(app)
        await pilot.press("a")
        await settle(pilot)
        assert decisions(project) == {(seg, "F4"): Status.ACCEPTED}


async def test_a_code_and_confidence_filter_marks_the_sub_code_it_matched(project: Path) -> None:
    """Filter « F4, 0 à 0,6 »: F4 at 100 % came first and was marked, though the filter matched
    its sub-code at 51 %."""
    seg = segment_id(project, "entretien-01.txt", 1)
    with ProjectStore(project) as store:
        scores = {"F1": 0.62, "F4": 1.0, "F4.accompagnement": 0.51}
        store.codings.put_scores(MODEL, {seg: scores}, [Suggestion(seg, c, s, "") for c, s in scores.items()])
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await apply_filter(app, pilot, code="F4", max="0.6")
        assert "▸ ? F4.accompagnement 51%" in panel_text(app)
        await pilot.press("a")
        await settle(pilot)
        assert decisions(project) == {(seg, "F4.accompagnement"): Status.ACCEPTED}


def test_the_panel_marks_nothing_when_asked_none(project: Path) -> None:
    from tzcld_qual.services.review import ReviewSession

    seg = segment_id(project, "entretien-01.txt", 1)
    with ReviewSession(project, "alice") as session:
        view = session.views([seg])[0]
    console = Console(width=80, record=True, color_system=None)
    console.print(render_panel(PanelState(view, highlight=None, model=MODEL)))
    assert "▸" not in console.export_text()


async def test_d_scrolls_the_definition_into_view(project: Path) -> None:
    """The definition went under the highlighted code's explanation, off screen at 80×24: ``d``
    seemed to do nothing."""
    app = ReviewApp(project, "alice")
    async with app.run_test(size=(80, 14)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(CodesPanel)
        definition = panel.query_one("#codes-definition")
        await pilot.press("d")
        await settle(pilot)
        top = definition.virtual_region.y
        assert panel.scroll_y <= top < panel.scroll_y + panel.scrollable_content_region.height
        assert "F1 — Concertation du CLE" in panel_text(app, 80)


async def test_the_document_memo_is_shown_on_its_segments(project: Path) -> None:
    """A document memo written with m was seen nowhere on the review screen."""
    with ProjectStore(project) as store:
        doc = store.documents.find("entretien-01.txt")
        assert doc is not None
        store.memos.write("document", str(doc.id), "alice", "Entretien très riche, à relire.")
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Mémo de l'entretien\nEntretien très riche, à relire." in panel_text(app)
        await pilot.press("j")
        await settle(pilot)
        assert "Entretien très riche" in panel_text(app)  # on every segment of the interview


async def test_the_highlighted_code_is_kept_in_view(project: Path) -> None:
    """At 80×24, → moved ``▸`` onto a code scrolled out of the panel (n° 96, five suggestions
    with long explanations: no ``▸`` in sight), and ``x`` rejected a code the analyst could not see."""
    seg = segment_id(project, "entretien-01.txt", 1)
    long = " · ".join(f"mot {i} : « une expression assez longue du segment »" for i in range(6))
    with ProjectStore(project) as store:
        scores = {"F1": 0.9, "F2": 0.8, "F3": 0.7, "F4": 0.6, "F5": 0.55}
        store.codings.put_scores(MODEL, {seg: scores}, [Suggestion(seg, c, s, long) for c, s in scores.items()])
    app = ReviewApp(project, "alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(CodesPanel)
        for code in ("F2", "F3", "F4", "F5", "F1", "F2"):  # each code in turn, round to the first again
            await pilot.press("right")
            await settle(pilot)
            await pilot.pause()
            screen = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
            assert sum(f"▸ ? {code} " in line for line in screen) == 1, "\n".join(screen)
            if code == "F5":
                assert panel.scroll_y > 0
            if code == "F1":  # back up, its heading with it
                assert any("Suggestions · ensemble@1" in line for line in screen)
        assert panel.scroll_y < panel.max_scroll_y


def _screen_lines(app: ReviewApp) -> list[str]:
    return ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]


async def test_a_heading_on_the_panel_s_last_row_does_not_hide_the_highlighted_code(project: Path) -> None:
    """With ▸ on the first code of its kind, the panel tested whether that kind's heading was in
    view: with the heading on its last row, the ``▸`` line under it was not, and no scroll came."""
    seg = segment_id(project, "entretien-01.txt", 1)
    long = " · ".join(f"mot {i} : « une expression assez longue du segment »" for i in range(6))
    with ProjectStore(project) as store:
        scores = {"F1": 0.9, "F2": 0.8, "F3": 0.7}
        store.codings.put_scores(MODEL, {seg: scores}, [Suggestion(seg, c, s, long) for c, s in scores.items()])
        store.codings.decide(seg, "F7", "alice", Status.MANUAL)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(CodesPanel)
        shown = panel.shown
        assert shown is not None and shown.view is not None
        for _ in [c.code_id for c in shown.view.chips].index("F7") * "→":  # onto F7, the only applied code
            await pilot.press("right")
            await settle(pilot)
        await pilot.pause()
        assert sum("▸ " in line and " F7" in line for line in _screen_lines(app)) == 1, "\n".join(_screen_lines(app))
        highlighted = panel.query_one("#codes-highlighted")
        heading = highlighted.virtual_region.y
        panel.scroll_to(y=heading - panel.scrollable_content_region.height + 1, animate=False)
        await pilot.pause()
        assert any("Appliqués" in line for line in _screen_lines(app))  # the heading, on the last row
        panel._reveal_highlighted()
        await pilot.pause()
        assert sum("▸ " in line and " F7" in line for line in _screen_lines(app)) == 1


async def test_a_redraw_putting_another_code_under_the_same_index_reveals_it(project: Path) -> None:
    """``▸`` was tracked by its index: a redraw that put another code, out of sight, at the index
    of the one shown was never scrolled to."""
    from dataclasses import replace

    seg = segment_id(project, "entretien-01.txt", 1)
    long = " · ".join(f"mot {i} : « une expression assez longue du segment »" for i in range(6))
    with ProjectStore(project) as store:
        scores = {"F1": 0.9, "F2": 0.8, "F3": 0.7, "F4": 0.6, "F5": 0.55}
        store.codings.put_scores(MODEL, {seg: scores}, [Suggestion(seg, c, s, long) for c, s in scores.items()])
    app = ReviewApp(project, "alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(CodesPanel)
        state = panel.shown
        assert state is not None and state.view is not None and state.highlight == 0
        assert panel.scroll_y == 0 and sum("▸ ? F1 " in line for line in _screen_lines(app)) == 1
        last = replace(state.view.chips[-1], state=ChipState.REJECTED, status=Status.REJECTED)
        assert last.code_id == "F5"
        chips = (last, *state.view.chips[:-1])  # index 0: F5, rejected, at the panel's foot
        panel.show(replace(state, view=replace(state.view, chips=chips)))
        await pilot.pause()
        await pilot.pause()
        assert panel.scroll_y > 0 and sum("▸ ✗ F5 " in line for line in _screen_lines(app)) == 1
