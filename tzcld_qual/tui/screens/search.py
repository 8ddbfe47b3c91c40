"""Text search over the whole project (case and accents ignored); entrée opens the segment."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tzcld_qual.services.review import ReviewSession
from tzcld_qual.services.review_views import SearchHit
from tzcld_qual.tui.workspace import reported, workspace


def hit_prompt(hit: SearchHit, width: int = 70) -> Text:
    """``document · speaker : …context **match** context…`` on one line."""
    start = max(0, hit.at - 25)
    cut = len(hit.text) > start + width  # cut mid-word (« Ma femm »): said
    snippet = ("…" if start else "") + hit.text[start : start + width].replace("\n", " ") + ("…" if cut else "")
    return Text.assemble((hit.document, "bold"), f" · {hit.speaker} : ", snippet)


class SearchDialog(ModalScreen[int | None]):
    searched: str | None = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "fermer"),
        Binding("down", "focus_results", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Rechercher dans le projet (majuscules et accents ignorés)", classes="dialog-title")
            yield Input(placeholder="ex. : comité local ; ou un n° de segment : 494", id="search-query")
            yield Label("", id="search-status", classes="dim")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one("#search-query", Input).focus()

    @on(Input.Submitted, "#search-query")
    def _submitted(self, event: Input.Submitted) -> None:
        results = self.query_one("#search-results", OptionList)
        if event.value == self.searched and results.option_count:  # entrée again: open the first hit
            self.dismiss(int(results.get_option_at_index(results.highlighted or 0).id or 0) or None)
        elif event.value.strip():
            self.searched = event.value
            self.query_one("#search-status", Label).update("recherche…")
            self._search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _search(self, query: str) -> None:
        ws = workspace(self)
        with reported(self), ReviewSession(ws.project, ws.coder, blind=ws.blind) as session:
            hits = session.search(query)
            self.app.call_from_thread(self._show, hits)

    def _show(self, hits: tuple[SearchHit, ...]) -> None:
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        results.add_options([Option(hit_prompt(h), id=str(h.segment_id)) for h in hits])
        n = len(hits)
        self.query_one("#search-status", Label).update(
            "aucun résultat"
            if not n
            else f"{n} résultat{'s' if n > 1 else ''} · entrée : ouvrir le premier · ↓ : choisir"
        )
        if n:
            results.highlighted = 0

    def action_focus_results(self) -> None:
        self.query_one("#search-results", OptionList).focus()

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0) or None)
