"""Pilot tests: the real app on a real project file, driven by keys; results checked in the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Select, TextArea
from tui_support import segment_id, settle

from tzcld_qual.model import Status
from tzcld_qual.services.review import ReviewSession
from tzcld_qual.services.review_views import ReviewFilter, ReviewStatus
from tzcld_qual.store import ProjectStore
from tzcld_qual.tui.actions import ACTIONS
from tzcld_qual.tui.app import ReviewApp
from tzcld_qual.tui.screens.filter import FilterDialog
from tzcld_qual.tui.screens.help import HelpScreen, help_table
from tzcld_qual.tui.screens.picker import CodePicker
from tzcld_qual.tui.screens.queue import QueueScreen
from tzcld_qual.tui.screens.transcript import TranscriptScreen
from tzcld_qual.tui.widgets.transcript import TranscriptView

SIZE = (100, 30)


def decisions(project: Path, coder: str = "alice") -> dict[tuple[int, str], Status]:
    with ProjectStore(project) as store:
        return {(c.segment_id, c.code_id): c.status for c in store.codings.human(coder)}


def review(app: ReviewApp) -> TranscriptScreen:
    screen = app.screen
    assert isinstance(screen, TranscriptScreen)
    return screen


def current_id(app: ReviewApp) -> int:
    view = review(app).current
    assert view is not None
    return view.segment.id


async def test_opens_on_first_answer_with_its_suggestions(project: Path) -> None:
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = review(app)
        assert current_id(app) == segment_id(project, "entretien-01.txt", 1)
        assert [c.code_id for c in screen.current.pending] == ["F1", "F4"]  # type: ignore[union-attr]
        drawn = app.screen.query_one(TranscriptView).render().plain
        assert "▶ Par le comité local" in drawn
        assert "?F1 62%" in drawn
        assert app.workspace.codebook is not None  # parsed after the first screen


async def test_accept_saves_at_once_and_a_twice_takes_the_next_best(project: Path) -> None:
    seg = segment_id(project, "entretien-01.txt", 1)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert decisions(project) == {(seg, "F1"): Status.ACCEPTED}  # on disk while the app runs
        await pilot.press("a")
        await settle(pilot)
        assert decisions(project) == {(seg, "F1"): Status.ACCEPTED, (seg, "F4"): Status.ACCEPTED}
        assert review(app).current.pending == ()  # type: ignore[union-attr]
    with ProjectStore(project) as store:
        assert [d.action for d in store.codings.audit(coder="alice")] == ["decide", "decide"]


async def test_reject_then_accept_all_in_one_undo(project: Path) -> None:
    first = segment_id(project, "entretien-01.txt", 1)
    second = segment_id(project, "entretien-01.txt", 2)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert decisions(project) == {(first, "F1"): Status.REJECTED}
        assert [c.code_id for c in review(app).current.rejected] == ["F1"]  # type: ignore[union-attr]
        await pilot.press("j", "A")
        await settle(pilot)
        assert decisions(project)[(second, "F3")] is Status.ACCEPTED
        assert decisions(project)[(second, "F4")] is Status.ACCEPTED
        await pilot.press("u")
        await settle(pilot)
        assert decisions(project) == {(first, "F1"): Status.REJECTED}


async def test_highlighted_code_is_the_one_rejected(project: Path) -> None:
    seg = segment_id(project, "entretien-01.txt", 1)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right", "x")
        await settle(pilot)
        assert decisions(project) == {(seg, "F4"): Status.REJECTED}


async def test_digits_toggle_codes(project: Path) -> None:
    seg = segment_id(project, "entretien-01.txt", 1)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")  # not suggested: added by hand
        await settle(pilot)
        assert decisions(project) == {(seg, "F2"): Status.MANUAL}
        await pilot.press("2")  # off again: the row goes away
        await settle(pilot)
        assert decisions(project) == {}
        await pilot.press("1")  # suggested: accepted
        await settle(pilot)
        assert decisions(project) == {(seg, "F1"): Status.ACCEPTED}
        await pilot.press("1")  # taken off: open again, no rejection a slip of the finger would leave
        await settle(pilot)
        assert decisions(project) == {}


async def test_pick_a_sub_code_by_fuzzy_search(project: Path) -> None:
    seg = segment_id(project, "entretien-01.txt", 1)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"formation")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.get_option_at_index(0).id == "F3.formation"
        await pilot.press("enter")
        await settle(pilot)
        assert decisions(project) == {(seg, "F3.formation"): Status.MANUAL}
        assert "✓F3.formation" in app.screen.query_one(TranscriptView).render().plain


async def type_memo(pilot: Pilot[None], text: str) -> None:
    """Open the memo dialog on the current segment and type ``text`` (not saved yet)."""
    await pilot.press("m")
    await pilot.pause()
    pilot.app.screen.query_one(TextArea).insert(text)


async def test_memo_on_segment_and_document(project: Path) -> None:
    seg = segment_id(project, "entretien-01.txt", 1)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_memo(pilot, "À revoir : « je n'y croyais plus »")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        await pilot.click("#document")
        await pilot.pause()
        app.screen.query_one(TextArea).insert("Entretien très riche.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert review(app).current.memo == "À revoir : « je n'y croyais plus »"  # type: ignore[union-attr]
    with ProjectStore(project) as store:
        memos = {(m.target, m.target_id): m.text for m in store.memos.list()}
        doc = store.documents.find("entretien-01.txt")
        assert doc is not None
    assert memos == {
        ("segment", str(seg)): "À revoir : « je n'y croyais plus »",
        ("document", str(doc.id)): "Entretien très riche.",
    }


async def test_a_long_definition_scrolls_into_view(project: Path) -> None:
    """The codes panel takes no focus: a definition longer than the screen was cut, with no key
    to read the rest."""
    from tzcld_qual.tui.widgets.codes import CodesPanel

    app = ReviewApp(project, "alice")
    async with app.run_test(size=(100, 14)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        panel = app.screen.query_one(CodesPanel)
        assert panel.max_scroll_y > 0 and panel.scroll_y > 0  # scrolled to the definition
        await pilot.press("shift+up", "shift+up")
        await settle(pilot)
        assert panel.scroll_y == 0
        await pilot.press("pagedown")
        await settle(pilot)
        assert panel.scroll_y > 0
        await pilot.press("shift+up")
        await settle(pilot)
        assert panel.scroll_y == 0


async def test_both_memos_written_in_one_dialog_are_saved(project: Path) -> None:
    """The segment's memo, typed before switching to the document's, was dropped at ctrl+s."""
    seg = segment_id(project, "entretien-01.txt", 1)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_memo(pilot, "Sur ce passage")
        await pilot.click("#document")
        await pilot.pause()
        app.screen.query_one(TextArea).insert("Sur tout l'entretien")
        await pilot.press("ctrl+s")
        await settle(pilot)
    with ProjectStore(project) as store:
        memos = {(m.target, m.target_id): m.text for m in store.memos.list()}
        doc = store.documents.find("entretien-01.txt")
        assert doc is not None
    assert memos == {("segment", str(seg)): "Sur ce passage", ("document", str(doc.id)): "Sur tout l'entretien"}


async def test_escape_asks_before_throwing_a_memo_away(project: Path) -> None:
    """échap on a memo being written threw the text away without a word."""
    from tzcld_qual.tui.screens.dialogs import ConfirmDialog, MemoDialog

    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_memo(pilot, "Une idée à ne pas perdre")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # continue writing
        await pilot.pause()
        assert isinstance(app.screen, MemoDialog)
        assert app.screen.query_one(TextArea).text == "Une idée à ne pas perdre"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("escape")  # nothing changed: closed at once
        await pilot.pause()
        assert not isinstance(app.screen, MemoDialog | ConfirmDialog)
    with ProjectStore(project) as store:
        assert [m.text for m in store.memos.list()] == ["Une idée à ne pas perdre"]


async def test_undo_redo_also_after_a_restart(project: Path) -> None:
    seg = segment_id(project, "entretien-01.txt", 1)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", "j", "a")
        await settle(pilot)
        assert len(decisions(project)) == 2
        await pilot.press("u")
        await settle(pilot)
        assert decisions(project) == {(seg, "F1"): Status.ACCEPTED}
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len(decisions(project)) == 2
    again = ReviewApp(project, "alice")  # a new session on the same file
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u", "u")
        await settle(pilot)
        assert decisions(project) == {}
        assert current_id(again) == seg  # undo shows the segment it changed
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert decisions(project) == {(seg, "F1"): Status.ACCEPTED}


async def test_decisions_persist_after_closing_and_reopening(project: Path) -> None:
    second = segment_id(project, "entretien-01.txt", 2)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "a", "x")
        await settle(pilot)
    reopened = ReviewApp(project, "alice")
    async with reopened.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert current_id(reopened) == second  # resumes where the coder stopped
        view = review(reopened).current
        assert view is not None
        assert [(c.code_id, c.status) for c in view.chips] == [("F3", Status.ACCEPTED), ("F4", Status.REJECTED)]
        assert "✓F3" in reopened.screen.query_one(TranscriptView).render().plain
    other = ReviewApp(project, "bob")  # another analyst codes independently
    async with other.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert current_id(other) == segment_id(project, "entretien-01.txt", 1)
        await pilot.press("j")
        view = review(other).current
        assert view is not None and [c.code_id for c in view.pending] == ["F3", "F4"]


async def apply_filter(app: ReviewApp, pilot: Pilot[None], **fields: str) -> None:
    """Open the filter dialog with ``f``, fill its fields (``code="F1"``, ``min="0.9"``…) and apply."""
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


async def test_filter_dialog_drives_navigation_across_documents(project: Path) -> None:
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await apply_filter(app, pilot, code="F1", min="0.9")
        assert app.workspace.filter == ReviewFilter(code="F1", min_confidence=0.9)
        # the current answer (F1 62 %) is out of the filter: the only one kept is in entretien-02
        assert current_id(app) == segment_id(project, "entretien-02.txt", 1)
        await pilot.press("j")
        await settle(pilot)
        assert current_id(app) == segment_id(project, "entretien-02.txt", 1)  # nothing further
        place = app.screen.query_one("#topbar").place  # type: ignore[attr-defined]
        assert "filtre : F1" in place and "n'y est pas" not in place
        app.open_segment(segment_id(project, "entretien-01.txt", 1))  # as a chat quote or a search does
        await settle(pilot)
        assert current_id(app) == segment_id(project, "entretien-01.txt", 1)
        place = app.screen.query_one("#topbar").place  # type: ignore[attr-defined]
        assert "filtre : F1" in place and place.count("(ce segment n'y est pas)") == 1


async def test_a_filter_on_the_role_leaves_the_interview_of_another_role(project: Path) -> None:
    """The filter « rôle = élu·e » kept the salariée's interview on screen, to be walked through to
    its end, without a word."""
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert current_id(app) == segment_id(project, "entretien-01.txt", 1)
        await apply_filter(app, pilot, attribute="role\télu·e")
        assert current_id(app) == segment_id(project, "entretien-02.txt", 1)
        place = app.screen.query_one("#topbar").place  # type: ignore[attr-defined]
        assert "filtre : rôle = élu·e" in place and "n'y est pas" not in place
        app.open_segment(segment_id(project, "entretien-01.txt", 2))
        await settle(pilot)
        place = app.screen.query_one("#topbar").place  # type: ignore[attr-defined]
        assert "(ce segment n'y est pas)" in place


async def test_with_a_code_filter_a_acts_on_that_code(project: Path) -> None:
    """With the filter « F4 », the segment showed F1 62 % above F4 48 %, and ``a`` accepted F1."""
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await apply_filter(app, pilot, code="F4")
        first = segment_id(project, "entretien-01.txt", 1)
        assert current_id(app) == first
        await pilot.press("a")
        await settle(pilot)
        assert decisions(project) == {(first, "F4"): Status.ACCEPTED}


async def test_queue_lists_most_uncertain_first_and_n_walks_it(project: Path) -> None:
    # distance of the closest score to its code's threshold: .01 .01 .03 .06 .07 .15 .27
    expected = [
        ("entretien-02.txt", 2),
        ("entretien-02.txt", 4),
        ("entretien-01.txt", 1),
        ("entretien-01.txt", 4),
        ("entretien-01.txt", 2),
        ("entretien-02.txt", 1),
        ("entretien-01.txt", 5),
    ]
    ids = [segment_id(project, d, p) for d, p in expected]
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("Q")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        table = app.screen.query_one(DataTable)
        assert [int(str(table.coordinate_to_cell_key((r, 0)).row_key.value)) for r in range(table.row_count)] == ids
        await pilot.press("down", "enter")
        await settle(pilot)
        assert current_id(app) == ids[1]
        await pilot.press("a", "n")
        await settle(pilot)
        assert current_id(app) == ids[2]
        await pilot.press("Q")
        await settle(pilot)
        assert app.workspace.queue is not None and app.workspace.queue.total == len(ids) - 1  # one reviewed
        await pilot.press("o")
        await settle(pilot)
        assert app.workspace.queue.order.value == "diverse"


async def test_search_opens_the_segment(project: Path) -> None:
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"MEDECIN", "enter")
        await settle(pilot)
        assert app.screen.query_one(OptionList).option_count == 1
        await pilot.press("down", "enter")
        await settle(pilot)
        assert current_id(app) == segment_id(project, "entretien-01.txt", 4)


async def test_documents_screen_shows_progress_sorts_and_opens(project: Path) -> None:
    with ProjectStore(project) as store:
        for position in (2, 4):
            store.codings.decide(segment_id(project, "entretien-02.txt", position), "F2", "alice", Status.MANUAL)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=(150, 30)) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        table = app.screen.query_one(DataTable)

        def rows() -> list[list[str]]:
            return [[str(c) for c in table.get_row_at(r)] for r in range(table.row_count)]

        assert rows()[0][:4] == ["entretien-01.txt", "salarié·e EBE", "Les Coteaux", "vague 1"]
        assert [r[4:7] for r in rows()] == [["4", "4", "0"], ["3", "2", "2"]]  # to code, suggested, reviewed
        await pilot.press(*"ssssss")  # sort by reviewed segments, most first
        assert [r[0] for r in rows()] == ["entretien-02.txt", "entretien-01.txt"]
        await pilot.press(*"ss")  # back to names
        assert [r[0] for r in rows()] == ["entretien-01.txt", "entretien-02.txt"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert current_id(app) == segment_id(project, "entretien-02.txt", 1)


async def test_help_lists_every_action_with_rebound_keys(project: Path) -> None:
    app = ReviewApp(project, "alice", keys={"accept": "y", "nonsense": "z"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("nonsense" in n.message for n in app._notifications)
        await pilot.press("a")  # no longer bound
        await settle(pilot)
        assert decisions(project) == {}
        await pilot.press("y")
        await settle(pilot)
        assert len(decisions(project)) == 1
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = [str(c) for c in help_table(app.overrides).columns[0]._cells]
        assert "y" in keys and "a" not in keys
        assert len(keys) >= len(ACTIONS)


async def test_narrow_terminal_keeps_the_current_segment_visible(project: Path) -> None:
    app = ReviewApp(project, "alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j")
        await settle(pilot)
        drawn = app.screen.query_one(TranscriptView).render().plain
        assert "▶ Et puis le salaire" in drawn
        assert "Q · Enquêtrice" in drawn or "Enquêtrice (enquête)" in drawn  # its question stays in view


async def test_queue_item_is_decided_on_the_code_it_was_queued_for(project: Path) -> None:
    """The most uncertain item is F1 at 0.49 (threshold 0.50): not suggested, yet the question."""
    seg = segment_id(project, "entretien-02.txt", 2)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("Q", "enter")
        await settle(pilot)
        assert current_id(app) == seg
        await pilot.press("x")  # "F1 does not apply": a rejection the next retraining learns from
        await settle(pilot)
        assert decisions(project) == {(seg, "F1"): Status.REJECTED}
        await pilot.press("a")  # then back to the suggestions: F2 at 0.58
        await settle(pilot)
        assert decisions(project) == {(seg, "F1"): Status.REJECTED, (seg, "F2"): Status.ACCEPTED}


async def test_a_code_filter_keeps_the_sub_codes_the_codebook_names_without_a_dot(
    project: Path, codebook_path: Path
) -> None:
    """A codebook may name a sub-code ``fierte`` under ``F6``: filtering on F6 keeps it."""
    from tzcld_qual.codebook import parse_codebook

    content = codebook_path.read_text(encoding="utf-8") + (
        '  - id: fierte\n    parent: F6\n    label: "Fierté"\n    definition: "La fierté d\'un métier."\n'
    )
    kept = segment_id(project, "entretien-02.txt", 4)  # no F6 anywhere else in alice's codings
    with ProjectStore(project) as store:
        store.codebooks.add(parse_codebook(content, "test"), content, "test")
        store.codings.decide(kept, "fierte", "alice", Status.MANUAL)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await apply_filter(app, pilot, code="F6", status="applied")
        assert "fierte" in app.workspace.filter.sub_codes
        assert current_id(app) == kept


async def test_a_decimal_comma_typed_in_the_filter_is_a_decimal_comma(project: Path) -> None:
    """``0,9`` typed key by key (a number-only field dropped the comma: it filtered from 0.09)."""
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)
        dialog.query_one("#filter-code", Select).value = "F1"
        dialog.query_one("#filter-min", Input).focus()
        await pilot.press("0", "comma", "9")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.workspace.filter == ReviewFilter(code="F1", min_confidence=0.9)


async def test_a_new_filter_looks_back_and_says_when_nothing_matches(project: Path) -> None:
    from tzcld_qual.tui.widgets.topbar import TopBar

    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(6):
            await pilot.press("j")
            await settle(pilot)
        assert current_id(app) == segment_id(project, "entretien-02.txt", 4)
        await apply_filter(app, pilot, code="F3")  # only an earlier answer has F3
        assert current_id(app) == segment_id(project, "entretien-01.txt", 2)
        await apply_filter(app, pilot, code="F1", min="1")  # no score reaches 100 %
        await pilot.pause(0.3)
        assert "aucun segment ne correspond au filtre" in app.screen.query_one(TopBar).flash


async def test_u_undoes_a_theme_made_a_code_and_the_codebook_is_reloaded(project: Path) -> None:
    """After a promotion (the chat's or the CLI's) `u` did nothing."""
    import numpy as np

    from tzcld_qual.services import topics
    from tzcld_qual.store.topics import TopicRecord

    seg = segment_id(project, "entretien-01.txt", 1)
    with ProjectStore(project) as store:
        store.topics.add_run(
            fingerprint="fp", scope="all", params={}, embedding_model="hash", analyzer="blank",
            codebook_version=store.codebooks.latest_version(), assignments=[(seg, 0, 0.9)],
            topics=[TopicRecord(0, 1, "hiver · neige", ("hiver", "neige"), ((seg, 0.9),), {}, (),
                                np.zeros(4, np.float32).tobytes())])
        promotion = topics.promote_topic(store, 0, analyst="alice")
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.workspace.codebook is not None and promotion.code.id in app.workspace.codebook
        await pilot.press("u")
        await settle(pilot)
        assert app.workspace.codebook is not None and promotion.code.id not in app.workspace.codebook
    with ProjectStore(project) as store:
        assert promotion.code.id not in store.codebooks.get()
        assert not [c for c in store.codings.list() if c.origin == promotion.run_id]


def _panel_text(app: ReviewApp) -> str:
    from rich.console import Console

    from tzcld_qual.tui.widgets.codes import CodesPanel, PanelState, render_panel

    console = Console(width=60, record=True, color_system=None)
    console.print(render_panel(PanelState(review(app).current)))
    assert app.screen.query_one(CodesPanel) is not None
    return console.export_text()


async def test_zero_marks_the_answer_read_with_no_code_and_documents_count_it(project: Path) -> None:
    """An analyst who judged an answer to carry no code had no key to say it: the interview stayed
    below 100 % in Documents and the answer in the queue."""
    from tzcld_qual.model import NO_CODE

    first = segment_id(project, "entretien-01.txt", 1)  # F1 and F4 suggested
    app = ReviewApp(project, "alice")
    async with app.run_test(size=(150, 30)) as pilot:
        await settle(pilot)
        assert current_id(app) == first
        await pilot.press("0")
        await settle(pilot)
        assert decisions(project) == {(first, "F1"): Status.REJECTED, (first, "F4"): Status.REJECTED}
        with ProjectStore(project) as store:
            assert store.codings.no_code() == {(first, "alice")}
        assert "∅ relu : aucun code" in _panel_text(app)
        assert "∅ aucun code" in str(app.screen.query_one(TranscriptView).render())
        await pilot.press("D")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert [str(c) for c in table.get_row_at(0)][4:7] == ["4", "3", "1"]  # to code, pending, reviewed
        await pilot.press("T", "u")
        await settle(pilot)
        with ProjectStore(project) as store:
            assert store.codings.no_code() == set() and decisions(project) == {}
        assert "aucun code" not in _panel_text(app) and NO_CODE not in _panel_text(app)
        await pilot.press("0", "0")  # pressed again: the mark and the rejections it made are gone
        await settle(pilot)
        assert decisions(project) == {} and "? F1" in _panel_text(app) and "Rejetés" not in _panel_text(app)


async def test_the_queue_counter_goes_down_as_segments_are_decided(project: Path) -> None:
    """`n` read « file 1/7 », then « file 2/7 », « file 3/7 » while two answers had been decided:
    it now says what is left, as Documents counts it."""
    from tzcld_qual.tui.widgets.topbar import TopBar

    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        flashes = []
        for keys in (("n",), ("x", "n"), ("0", "n"), ("u", "n")):
            for key in keys:  # one at a time: the decision's own message must not land after n's
                await pilot.press(key)
                await settle(pilot)
            flashes.append(app.screen.query_one(TopBar).flash.split(" · ")[0])
        assert flashes == ["file : 7 à revoir", "file : 6 à revoir", "file : 5 à revoir", "file : 6 à revoir"]


async def test_the_queue_counter_under_en_attente_counts_a_segment_with_a_code_still_pending(project: Path) -> None:
    """Under « en attente », ``a`` on the queue's code lowered « file : N » though the answer had
    another suggestion pending, and stayed in the queue as rebuilt: the count now matches it."""
    from tzcld_qual.tui.widgets.topbar import TopBar

    pending = ReviewFilter(status=ReviewStatus.PENDING)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.workspace.filter = pending
        flashes = []
        for keys in (("n",), ("a", "n")):
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            flashes.append(app.screen.query_one(TopBar).flash.split(" · ")[0])
    with ReviewSession(project, "alice") as session:
        left = session.queue(pending).total
        assert any(v.pending for v in session.views([segment_id(project, "entretien-02.txt", 4)]))  # F7 still
    assert flashes == ["file : 7 à revoir", f"file : {left} à revoir"] and left == 7


@pytest.mark.parametrize("height", [5, 24])
async def test_the_documents_table_fits_80_columns(project: Path, height: int) -> None:
    """At 80×24 the demo's 50 interviews took a scrollbar and pushed the table past the screen:
    « progrè », each row ending on its bar « ██░░░ », the percentage cut off."""
    app = ReviewApp(project, "alice")
    async with app.run_test(size=(80, height)) as pilot:  # 5 lines: more rows than room, a scrollbar
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        shown = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
        assert any(line.rstrip().endswith("progrès") for line in shown)
        assert any(line.rstrip(" ▁▂▃▄▅▆▇█").endswith("0%") for line in shown if "entretien-01" in line)
        for _ in range(6):  # every sort, its « ▾ » on each heading in turn
            assert table.virtual_size.width <= table.scrollable_content_region.width
            await pilot.press("s")
            await settle(pilot)


async def test_a_refusal_goes_when_the_analyst_moves_on_and_a_result_stays(project: Path) -> None:
    """On n° 8, `a` then `0`: « F7 appliqué ici : retirez-le d'abord pour marquer « aucun code ». »
    was still shown on n° 10 after `j`, as if about it."""
    from tzcld_qual.tui.widgets.topbar import TopBar

    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(TopBar)
        await pilot.press("a", "0")
        await settle(pilot)
        assert bar.flash.startswith("F1 appliqué ici : retirez-le d'abord")
        await pilot.press("j")
        await settle(pilot)
        assert bar.flash == ""
        await pilot.press("x")  # a result: it stays to be read, on the next answer too
        await settle(pilot)
        assert bar.flash == "F3 rejeté"
        await pilot.press("j")
        await settle(pilot)
        assert bar.flash == "F3 rejeté"


def test_a_long_message_stays_long_enough_to_be_read() -> None:
    """An undo's summary (« annulé : 6 décisions sur 1 segment : aucun code (marqué → —), … ») went
    after 4 s, as « F3 rejeté » did."""
    from tzcld_qual.tui.screens.transcript import flash_seconds

    assert flash_seconds("F3 rejeté") == 4
    summary = "annulé : 6 décisions sur 1 segment : aucun code (marqué → —), F1 (rejeté → —), F8 (rejeté → —)"
    assert 6 <= flash_seconds(summary) <= 10 and flash_seconds(summary * 5) == 10
