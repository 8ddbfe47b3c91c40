"""The document list: attributes, segment counts and coding progress; sortable and filtered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer

from tzcld_qual.services.review import ReviewSession
from tzcld_qual.services.review_views import DocumentSummary
from tzcld_qual.tui.actions import DOCUMENTS, bindings
from tzcld_qual.tui.widgets.bars import bar
from tzcld_qual.tui.widgets.topbar import TopBar
from tzcld_qual.tui.workspace import ATTRIBUTE_LABELS, reported, workspace

PREFERRED = ("role", "territory", "round")


def _attribute(name: str) -> Callable[[DocumentSummary], str]:
    return lambda doc: doc.attributes.get(name, "")


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def progress_cell(doc: DocumentSummary) -> Text:
    cells = 5
    done = round(doc.progress * cells)
    return Text.assemble(bar(done, cells - done, 1.0, cells), f" {doc.progress:>4.0%}")


WIDE = 140  # document 36 + three attributes of 24 + the counts, with the table's padding
NAME = 18  # the document's name below WIDE: « demo-01-salariee-… »
# Below WIDE the attributes share one column, heading included, given what is left of the
# screen's width by the document's name, the counts (réponses 8, sugg. 5, revus 5), the progress
# (a bar of 5 and « 100% »), each column's padding (2), the sort mark « ▾ » a count's heading
# may take (2) and the vertical scrollbar (2), there once the documents outgrow the screen: at 80
# columns the table was wider than the screen, the percentage cut off (« progrè », « ██░░░ »).
NARROW_FIXED = NAME + 8 + 5 + 5 + 10 + 6 * 2 + 2 + 2

class DocumentsScreen(Screen[None]):
    SCOPE = DOCUMENTS
    BINDINGS = bindings(DOCUMENTS)

    def __init__(self) -> None:
        super().__init__()
        self.documents: list[DocumentSummary] = []
        self.loaded = False
        self._sort = 0

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_screen_resume(self) -> None:
        self.reload()  # progress moves with every decision; a few grouped queries

    def filter_changed(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        ws = workspace(self)
        with reported(self), ReviewSession(ws.project, ws.coder, blind=ws.blind) as session:
            documents = session.documents(ws.filter)
            self.app.call_from_thread(self._fill, documents)

    def _columns(self) -> list[str]:
        names = sorted({k for d in self.documents for k in d.attributes})
        chosen = [n for n in PREFERRED if n in names] or names[:2]
        return chosen

    @property
    def _wide(self) -> bool:
        """Room for one column per attribute and every count (at 110 columns the counts were
        pushed off screen, behind a horizontal scroll)."""
        return self.size.width >= WIDE

    def _attribute_cells(self, doc: DocumentSummary) -> list[str]:
        """One column per attribute when wide; one ``rôle · territoire · vague`` column at 80."""
        values = [doc.attributes.get(a, "") for a in self._columns()]
        if self._wide:
            return [clip(v, 24) for v in values]
        return [clip(" · ".join(v for v in values if v), self._shared_width)] if values else []

    @property
    def _shared_width(self) -> int:
        """The width of the attributes' shared column below WIDE."""
        return max(12, self.size.width - NARROW_FIXED)

    def _sort_keys(self) -> list[tuple[str, Callable[[DocumentSummary], Any], bool]]:
        """(label, key, descending) for each column, in column order."""
        keys: list[tuple[str, Callable[[DocumentSummary], Any], bool]] = [("document", lambda d: d.name, False)]
        if self._wide:
            keys += [(ATTRIBUTE_LABELS.get(a, a), _attribute(a), False) for a in self._columns()]
        elif self._columns():
            label = " · ".join(ATTRIBUTE_LABELS.get(a, a) for a in self._columns())
            keys.append((label, lambda d: self._attribute_cells(d), False))
        keys += [
            ("réponses", lambda d: d.to_code, True),  # « à coder » read as "still to do"
            ("sugg.", lambda d: d.suggested, True),
            ("revus", lambda d: d.reviewed, True),
            ("progrès", lambda d: d.progress, True),
        ]
        return keys

    def _fill(self, documents: list[DocumentSummary]) -> None:
        self.documents = documents
        keys = self._sort_keys()
        label, key, descending = keys[self._sort % len(keys)]
        ordered = sorted(documents, key=key, reverse=descending)
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        wide = self._wide
        for i, (name, *_) in enumerate(keys):
            heading = name + (" ▾" if name == label and self._sort else "")
            shared = i == 1 and not wide and self._columns()  # « rôle · territoire · vague »: as wide as its cells
            table.add_column(clip(heading, self._shared_width) if shared else heading)
        for doc in ordered:
            table.add_row(
                clip(doc.name, 36 if wide else NAME),
                *self._attribute_cells(doc),
                str(doc.to_code),
                str(doc.suggested),
                str(doc.reviewed),
                progress_cell(doc),
                key=str(doc.id),
            )
        if ordered:
            table.move_cursor(row=min(cursor, len(ordered) - 1))
        ws = workspace(self)
        total = sum(d.to_code for d in documents)
        reviewed = sum(d.reviewed for d in documents)
        place = ["Documents", str(len(documents)), f"{reviewed}/{total} segments revus"]
        if ws.filter.active:  # whole, the progress with it: only the coder gives way to a message
            place.append(f"filtre : {ws.filter.describe(ATTRIBUTE_LABELS)}")
        self.query_one(TopBar).set_place([*place, ws.coder], spare=1)
        self.loaded = True

    def action_sort(self) -> None:
        self._sort = (self._sort + 1) % len(self._sort_keys())
        self._fill(self.documents)
        self.notify(f"tri : {self._sort_keys()[self._sort][0]}", timeout=2)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            self._open(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.row_key.value)

    def _open(self, key: str | None) -> None:
        if key:
            self.app.open_document(int(key))  # type: ignore[attr-defined]
