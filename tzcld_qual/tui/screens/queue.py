"""The active-learning queue: segments where the model is least sure, across documents."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tzcld_qual.services.review import ReviewSession
from tzcld_qual.services.review_views import Queue, QueueOrder
from tzcld_qual.tui.actions import QUEUE, bindings
from tzcld_qual.tui.widgets.topbar import TopBar
from tzcld_qual.tui.workspace import ATTRIBUTE_LABELS, reported, workspace

ORDERS = {QueueOrder.UNCERTAIN: "plus incertains d'abord", QueueOrder.DIVERSE: "diversifié (codes et documents)"}


class QueueScreen(Screen[None]):
    SCOPE = QUEUE
    BINDINGS = bindings(QUEUE)

    def __init__(self) -> None:
        super().__init__()
        self.order = QueueOrder.UNCERTAIN
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        yield Static("calcul de la file…", id="queue-summary")
        yield DataTable(id="queue", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_screen_resume(self) -> None:
        ws = workspace(self)
        if ws.queue is None or ws.decided:
            self.reload()
        else:
            self._fill(ws.queue)

    def filter_changed(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.loaded = False
        self.query_one("#queue-summary", Static).update("calcul de la file…")
        self._load(self.order)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self, order: QueueOrder) -> None:
        ws = workspace(self)
        with reported(self), ReviewSession(ws.project, ws.coder, blind=ws.blind) as session:
            queue = session.queue(ws.filter, order)
            self.app.call_from_thread(self._loaded, queue)

    def _loaded(self, queue: Queue) -> None:
        ws = workspace(self)
        ws.queue, ws.queue_position = queue, -1
        ws.decided.clear()
        self._fill(queue)

    def _fill(self, queue: Queue) -> None:
        ws = workspace(self)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column("#", key="rank")
        table.add_column("document", key="document")
        table.add_column("code", key="code")
        table.add_column("score", key="score")
        table.add_column("seuil", key="threshold")
        table.add_column("texte", key="text")
        room = max(20, self.size.width - 44)
        for rank, item in enumerate(queue.items, 1):
            done = item.segment_id in ws.decided
            text = item.text.replace("\n", " ")
            text = text if len(text) <= room else text[: room - 1] + "…"
            table.add_row(
                str(rank),
                item.document.rsplit(".", 1)[0][:16],
                item.code_id,
                f"{item.score:.2f}",
                f"{item.threshold:.2f}",
                Text(text, style="dim" if done else ""),
                key=str(item.segment_id),
            )
        if queue.items and ws.queue_position >= 0:
            table.move_cursor(row=min(ws.queue_position, len(queue.items) - 1))
        if ws.blind:  # the queue ranks the model's doubts, which blind coding does not see
            summary = "File masquée en double codage aveugle (elle vient du modèle) ; j / k pour avancer dans la revue."
        elif queue.model is None:
            summary = f"Pas de modèle : lancez « {ws.command('code')} » pour obtenir des suggestions."
        else:
            summary = (
                f"{queue.total} segment{'s' if queue.total > 1 else ''} à revoir · {ORDERS[queue.order]}"
                f" · modèle {queue.model}"
            )
            if queue.total > len(queue.items):
                summary += f" · {len(queue.items)} premiers affichés"
        self.query_one("#queue-summary", Static).update(summary)
        place = ["File d'apprentissage actif"]
        if ws.filter.active:  # whole: a message beside it cut « filtre : F7 » off its « · en attente »
            place.append(f"filtre : {ws.filter.describe(ATTRIBUTE_LABELS)}")
        self.query_one(TopBar).set_place([*place, ws.coder], spare=1)
        self.loaded = True

    def action_order(self) -> None:
        self.order = QueueOrder.DIVERSE if self.order is QueueOrder.UNCERTAIN else QueueOrder.UNCERTAIN
        self.reload()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            self._open(table.cursor_row)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.cursor_row)

    def _open(self, row: int) -> None:
        ws = workspace(self)
        if ws.queue and 0 <= row < len(ws.queue.items):
            ws.queue_position = row
            item = ws.queue.items[row]
            self.app.open_segment(item.segment_id, hint=item)  # type: ignore[attr-defined]
