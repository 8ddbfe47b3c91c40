"""The main review screen: the transcript on the left, the codes panel on the right.

Moving (j/k) only redraws. Every decision is a command run against the project in a thread
worker, one at a time and in the order typed, each resolved against the saved state (so ``a a``
accepts the two best suggestions, not the same one twice) and saved at once by the store.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer

from tzcld_qual.model import Role
from tzcld_qual.services.review import ReviewSession
from tzcld_qual.services.review_views import Change, ChipState, DocumentView, QueueItem, SegmentView, StartPoint
from tzcld_qual.tui.actions import REVIEW, bindings
from tzcld_qual.tui.screens.dialogs import MemoDialog
from tzcld_qual.tui.screens.picker import CodePicker
from tzcld_qual.tui.widgets.codes import CodesPanel, PanelState
from tzcld_qual.tui.widgets.topbar import TopBar
from tzcld_qual.tui.widgets.transcript import TranscriptView
from tzcld_qual.tui.workspace import ATTRIBUTE_LABELS, reported, workspace

Command = Callable[[ReviewSession], Change]

# How long a message stays in the top bar: 4 s, and a long one (an undo's summary) as long as it
# takes to read at READ_RATE characters a second, up to FLASH_MAX.
FLASH_MIN, FLASH_MAX, READ_RATE = 4.0, 10.0, 15.0


def flash_seconds(message: str) -> float:
    return min(FLASH_MAX, max(FLASH_MIN, len(message) / READ_RATE))

EMPTY = (
    "Aucun document dans ce projet.\n\nImportez des entretiens :\n"
    "  tzcld-qual import {project} DOSSIER\n"
    "  (attributs : --attributes attributs.csv)\n\npuis obtenez des suggestions :\n"
    "  tzcld-qual code {project}"
)


def _write_memo(session: ReviewSession, *, target: str, target_id: int, text: str) -> Change:
    return session.write_memo(target, target_id, text)


class TranscriptScreen(Screen[None]):
    SCOPE = REVIEW
    BINDINGS = bindings(REVIEW)

    def __init__(self) -> None:
        super().__init__()
        self.document: DocumentView | None = None
        self.index = 0
        # chip of the codes panel the analyst (or the filter) chose; None: none chosen, ``a`` / ``x``
        # take the most confident suggestion when they run (``a a`` accepts the two best)
        self.highlight: int | None = None
        self.definition = False
        self.hint: QueueItem | None = None  # why the queue brought us here (its code may not be suggested)
        self.loaded = False  # the first document is drawn (tests, bench)
        self.changes = 0  # commands applied so far (tests, bench)
        self._commands: deque[tuple[Command, bool]] = deque()
        self._busy = False
        self._load_token = 0
        self._revision = 0
        self._flash_token = 0  # the message shown now: an older one's timer leaves it
        self._flash_segment: int | None = None  # the segment the message shown is about, if it is

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with Horizontal(id="review-body"):
            yield TranscriptView(id="transcript")
            yield CodesPanel(id="codes")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        view = self.query_one(TranscriptView)
        view.empty_text = "chargement…"
        view.recolor(workspace(self).color)
        self._revision = workspace(self).revision
        if not self.loaded and self._load_token == 0:
            self.load()

    def on_screen_resume(self) -> None:
        if self.loaded and self._revision != workspace(self).revision:
            self.reload()
        self.redraw()

    # -- loading --------------------------------------------------------------------------
    def load(self, segment_id: int | None = None) -> None:
        self._load_token += 1
        self._load(self._load_token, segment_id)

    def reload(self) -> None:
        self._revision = workspace(self).revision
        current = self.current
        self.load(current.segment.id if current else None)

    @work(thread=True, group="load", exit_on_error=False)
    def _load(self, token: int, segment_id: int | None) -> None:
        ws = workspace(self)
        with reported(self), ReviewSession(ws.project, ws.coder, blind=ws.blind) as session:
            start = session.start(segment_id)
            self.app.call_from_thread(self._started, token, start)

    def _started(self, token: int, start: StartPoint) -> None:
        if token != self._load_token:
            return
        ws = workspace(self)
        ws.model = start.model
        ws.attribute_names = start.attributes
        self.query_one(TranscriptView).empty_text = EMPTY.format(project=ws.project_arg)  # as given: runs from here
        self._show_document(start.document, start.segment_id)
        self.loaded = True
        self.app.load_codebook()  # type: ignore[attr-defined]

    def _show_document(self, document: DocumentView | None, segment_id: int | None) -> None:
        self.document = document
        index = document.index_of(segment_id) if document and segment_id is not None else None
        if document and index is None:
            index = next((i for i, v in enumerate(document.segments) if v.segment.role is Role.RESPONDENT), 0)
        self.index = index or 0
        self.highlight = self._first_chip()
        self.redraw()

    def show_document(self, document_id: int) -> None:
        self._load_token += 1
        self._load_document(self._load_token, document_id)

    @work(thread=True, group="load", exit_on_error=False)
    def _load_document(self, token: int, document_id: int) -> None:
        ws = workspace(self)
        with reported(self), ReviewSession(ws.project, ws.coder, blind=ws.blind) as session:
            document = session.document(document_id)
            self.app.call_from_thread(self._document_loaded, token, document)

    def _document_loaded(self, token: int, document: DocumentView) -> None:
        if token == self._load_token:
            self.loaded = True
            self._show_document(document, None)

    def show_segment(self, segment_id: int, *, hint: QueueItem | None = None) -> None:
        """Jump to a segment, loading its document when it is another one."""
        self.hint = hint
        index = self.document.index_of(segment_id) if self.document else None
        if index is None:
            self.load(segment_id)
        else:
            self._move_to(index)

    def codebook_loaded(self) -> None:
        self.query_one(TranscriptView).recolor(workspace(self).color)
        self.redraw()

    # -- drawing --------------------------------------------------------------------------
    @property
    def current(self) -> SegmentView | None:
        if self.document is None or not self.document.segments:
            return None
        return self.document.segments[min(self.index, len(self.document.segments) - 1)]

    def redraw(self) -> None:
        ws = workspace(self)
        self.query_one(TranscriptView).show(self.document, self.index)
        current = self.current
        hint = self.hint if current and self.hint and self.hint.segment_id == current.segment.id else None
        highlight = -1 if self._hint_target() else self._marked()
        memo = self.document.memo if self.document else ""
        state = PanelState(
            current, highlight, self.definition, ws.model, ws.codebook, hint, ws.blind, ws.project_arg, memo
        )
        self.query_one(CodesPanel).show(state)
        self.query_one(TopBar).set_place(self._place(), spare=2)
        self._flash_moved_on()

    def _place(self) -> list[str]:
        """The document, the position, the filter, then the model and coder (the last two may give
        way to a message)."""
        ws = workspace(self)
        if self.document is None:
            return [ws.project.name, ws.coder]
        respondent = [i for i, v in enumerate(self.document.segments) if v.segment.role is Role.RESPONDENT]
        rank = sum(1 for i in respondent if i <= self.index)
        current = self.current  # its number, as chat answers, reports and `codings` cite it (« / » finds one)
        parts = [self.document.name, f"{rank}/{len(respondent)}" + (f" n° {current.segment.id}" if current else "")]
        if ws.filter.active:
            queued = self.hint is not None and current is not None and self.hint.segment_id == current.segment.id
            outside = (
                current is not None
                and current.segment.role is Role.RESPONDENT
                and not self._kept(current)
                and not queued  # the queue's segment, its code close to the threshold, maybe under it
            )
            described = ws.filter.describe(ATTRIBUTE_LABELS)
            parts.append(f"filtre : {described}" + (" (ce segment n'y est pas)" if outside else ""))
        parts += ["aveugle" if ws.blind else ws.model or "sans modèle", ws.coder]
        return parts

    def flash(self, message: str, *, until_move: bool = False) -> None:
        """Show ``message`` in the top bar long enough to read it (4 s, more for a long one: an
        undo's summary). ``until_move``: it is about the segment on screen (a refusal), and goes
        as soon as the analyst moves to another: « F7 appliqué ici : retirez-le d'abord… » was
        still shown on the next answer, as if about it."""
        bar = self.query_one(TopBar)
        bar.flash = message
        self._flash_token += 1
        token = self._flash_token
        current = self.current
        self._flash_segment = current.segment.id if until_move and current else None

        def expire() -> None:
            if token == self._flash_token:  # not a newer message, were it the same words
                bar.flash = ""

        self.set_timer(flash_seconds(message), expire)

    def _flash_moved_on(self) -> None:
        """Clear a message about a segment once another one is on screen."""
        current = self.current
        if self._flash_segment is not None and (current is None or current.segment.id != self._flash_segment):
            self._flash_segment = None
            self._flash_token += 1
            self.query_one(TopBar).flash = ""

    # -- moving ---------------------------------------------------------------------------
    def action_next(self) -> None:
        self._step(1)

    def action_previous(self) -> None:
        self._step(-1)

    @on(TranscriptView.Scrolled)
    def _scrolled(self, event: TranscriptView.Scrolled) -> None:
        self._step(event.step)

    def _step(self, step: int, *, turn_back: bool = False, turned: bool = False) -> None:
        """To the next (``step`` 1) or previous (-1) segment the filter keeps; ``turn_back``: if
        there is none that way, look the other way (a new filter must find one anywhere);
        ``turned``: this is that second look."""
        if self.document is None:
            return
        i = self.index + step
        while 0 <= i < len(self.document.segments):
            view = self.document.segments[i]
            if self._kept(view):
                self._move_to(i)
                return
            i += step
        self._adjacent(self.document.id, step, turn_back, turned)

    def _kept(self, view: SegmentView) -> bool:
        """An answer the filter keeps, in a document it keeps (a filter on the role left the
        interview on screen, of another role, to be walked through to its end)."""
        flt = workspace(self).filter
        document = self.document
        return (
            view.segment.role is Role.RESPONDENT
            and flt.accepts(view)
            and (document is None or flt.accepts_document(document.name, document.attributes))
        )

    def _move_to(self, index: int) -> None:
        self.index = index
        self.highlight = self._first_chip()
        self.redraw()

    def _first_chip(self) -> int | None:
        """Where the codes panel starts: on the code the filter matched when it awaits a decision
        (with the filter « F4 », ``a`` accepted the F1 shown above it; with « F5, 0 à 0,6 », the F5
        at 100 % above the F5.financiere at 51 % it matched), else on none: the best suggestion."""
        view, flt = self.current, workspace(self).filter
        ranged = flt.min_confidence is not None or flt.max_confidence is not None
        if view is None or (flt.code is None and not ranged):
            return None
        if self.hint is not None and self.hint.segment_id == view.segment.id:
            return None  # the queue's code, when the queue brought the segment up, comes first
        matched = (
            i
            for i, c in enumerate(view.chips)
            if c.state is ChipState.PENDING and flt.matches_code(c.code_id) and flt.accepts_confidence(c.confidence)
        )
        return next(matched, None) or None  # the first chip is the best suggestion: ``a a`` takes the next one

    def _marked(self) -> int | None:
        """The chip drawn ``▸``: the one chosen, else the best suggestion; none when nothing awaits
        a decision (the codes listed first are applied or rejected, which ``a`` / ``x`` leave alone
        until the analyst moves to one)."""
        view = self.current
        if view is None or not view.chips:
            return None
        if self.highlight is not None:
            return self.highlight if self.highlight < len(view.chips) else None
        return 0 if view.chips[0].state is ChipState.PENDING else None

    @work(thread=True, group="load", exit_on_error=False)
    def _adjacent(self, document_id: int, step: int, turn_back: bool = False, turned: bool = False) -> None:
        ws = workspace(self)
        with reported(self), ReviewSession(ws.project, ws.coder, blind=ws.blind) as session:
            found = session.adjacent(document_id, step, ws.filter)
            self.app.call_from_thread(self._arrived, found, step, turn_back, turned)

    def _arrived(
        self, found: tuple[DocumentView, int] | None, step: int, turn_back: bool = False, turned: bool = False
    ) -> None:
        if found is not None:
            self._show_document(*found)
        elif turn_back:
            self._step(-step, turned=True)
        elif turned:
            self.flash("aucun segment ne correspond au filtre (f pour le changer)")
        else:
            current = self.current
            if current is not None and self._kept(current):
                if workspace(self).filter.active:
                    self.flash("dernier segment du filtre" if step > 0 else "premier segment du filtre")
                else:  # « du filtre » with no filter set puzzled
                    self.flash("dernier segment du projet" if step > 0 else "premier segment du projet")
            else:  # the segment on screen left the filter (decided, say): others may be the other way
                self.flash("aucun segment du filtre plus loin" if step > 0 else "aucun segment du filtre plus haut")

    def filter_changed(self) -> None:
        """Stay on the current segment if the new filter keeps it, else go to the next one kept."""
        current = self.current
        if current is None:
            return
        if self._kept(current):
            self.highlight = self._first_chip()
            self.redraw()
        else:
            self._step(1, turn_back=True)

    # -- the codes panel ------------------------------------------------------------------
    def action_highlight(self, step: int) -> None:
        view = self.current
        if self._hint_target() is not None:  # leave the queue's code for the panel's codes
            self.hint = None
            self.redraw()
            return
        if view and view.chips:
            marked = self._marked()
            if marked is None:  # nothing marked yet: the first code (→) or the last (←)
                self.highlight = 0 if step > 0 else len(view.chips) - 1
            else:
                self.highlight = (marked + step) % len(view.chips)
            self.redraw()

    def action_scroll_panel(self, pages: int) -> None:
        """The codes panel takes no focus (the keys code the transcript), so it scrolls from here:
        a long definition or explanation was cut at the bottom of the screen."""
        panel = self.query_one(CodesPanel)
        panel.scroll_to(y=panel.scroll_y + pages * max(1, panel.size.height - 2), animate=False)

    def action_toggle_definition(self) -> None:
        self.definition = not self.definition
        self.redraw()
        if self.definition:
            self.query_one(CodesPanel).reveal_definition()

    def _hint_target(self) -> str | None:
        """The code the queue brought this segment up for, while it is still undecided."""
        view, hint = self.current, self.hint
        if view is None or hint is None or hint.segment_id != view.segment.id or self.highlight is not None:
            return None
        chip = view.chip(hint.code_id)
        return hint.code_id if chip is None or chip.state is ChipState.PENDING else None

    def _chosen(self) -> str | None:
        """The code ``a`` / ``x`` act on: the one moved to in the panel (the first one too), else
        the queue's code, else ``None`` ("the best suggestion when the command runs")."""
        view = self.current
        if self.highlight is not None and view and self.highlight < len(view.chips):
            return view.chips[self.highlight].code_id
        return self._hint_target()

    # -- decisions ------------------------------------------------------------------------
    def action_accept(self) -> None:
        if (view := self.current) is not None:
            segment, code = view.segment.id, self._chosen()
            self.submit(lambda s: s.accept(segment, code))

    def action_accept_all(self) -> None:
        if (view := self.current) is not None:
            segment = view.segment.id
            self.submit(lambda s: s.accept_all(segment))

    def action_reject(self) -> None:
        if (view := self.current) is not None:
            segment, code = view.segment.id, self._chosen()
            self.submit(lambda s: s.reject(segment, code))

    def action_toggle_top(self, n: int) -> None:
        if (view := self.current) is not None:
            segment, code = view.segment.id, workspace(self).top_code(n)
            self.submit(lambda s: s.toggle(segment, code))

    def action_no_code(self) -> None:
        if (view := self.current) is not None:
            segment = view.segment.id
            self.submit(lambda s: s.no_code(segment))

    def action_pick_code(self) -> None:
        ws = workspace(self)
        view = self.current
        if view is None:
            return
        if ws.codebook is None:
            self.notify("Le codebook se charge encore, réessayez dans un instant.", severity="warning")
            return
        segment = view.segment.id

        def picked(code: str | None) -> None:
            if code:
                self.submit(lambda s: s.toggle(segment, code))

        self.app.push_screen(CodePicker(ws.codebook, view), picked)

    def action_memo(self) -> None:
        view, document = self.current, self.document
        if view is None or document is None:
            return
        where = f"{document.name}, segment {view.segment.id}"  # the id the CLI, chat and exports use

        def written(result: list[tuple[str, str]] | None) -> None:
            if result is None or self.document is None:
                return
            for target, text in result:
                target_id = view.segment.id if target == "segment" else document.id
                if target == "document":
                    self.document = replace(self.document, memo=text.strip())
                self.submit(partial(_write_memo, target=target, target_id=target_id, text=text))

        self.app.push_screen(MemoDialog(view.memo, document.memo, where), written)

    def submit(self, command: Command, *, jump: bool = False) -> None:
        """Queue a command; commands run one at a time, in order (``jump``: show what it changed)."""
        self._commands.append((command, jump))
        self._pump()

    def _pump(self) -> None:
        if self._busy or not self._commands:
            return
        self._busy = True
        command, jump = self._commands.popleft()
        self._execute(command, jump)

    @work(thread=True, group="decisions", exit_on_error=False)
    def _execute(self, command: Command, jump: bool) -> None:
        ws = workspace(self)
        change, queued = None, {}
        try:
            with reported(self), ReviewSession(ws.project, ws.coder, blind=ws.blind) as session:
                change = command(session)
                queue = ws.queue
                if change.done and queue is not None:  # what the queue still ranks: its count, « file : N »
                    queued = session.queued([v.segment.id for v in change.views], queue.filter)
        finally:
            self.app.call_from_thread(self._applied, change, jump, queued)

    def _applied(self, change: Change | None, jump: bool, queued: Mapping[int, bool] | None = None) -> None:
        self._busy = False
        if change is not None:
            self.changes += 1
            ws = workspace(self)
            if self.document is not None:
                self.document = self.document.with_views(change.views)
            if change.done:
                queued = queued or {}
                ws.decided.update({v.segment.id: queued.get(v.segment.id, not v.reviewed) for v in change.views})
                self.highlight = self._first_chip()
            self.flash(change.message, until_move=not change.done and bool(change.views))  # a refusal, here
            if change.codebook_changed and hasattr(self.app, "action_refresh"):  # a promotion undone or redone
                self.app.action_refresh()
            if jump and change.focus is not None:
                self.show_segment(change.focus)
            self.redraw()
        self._pump()
