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


def hit_prompt(hit: SearchHit, width: int = 70, query: str = "") -> Text:
    """``n° 12 · document · speaker : …context **match** context…`` on one line; the segment found
    by its number says so (« /8 » listed it among « 2018 » and « 58 ans » with nothing to tell)."""
    start = max(0, hit.at - 25)
    cut = len(hit.text) > start + width  # cut mid-word (« Ma femm »): said
    snippet = Text(("…" if start else "") + hit.text[start : start + width].replace("\n", " ") + ("…" if cut else ""))
    size = len(query.strip())
    if size and not hit.numbered:  # the match, where folding kept its length (it mostly does)
        at = hit.at - start + (1 if start else 0)
        snippet.stylize("reverse", at, at + size)
    number = (f"segment n° {hit.segment_id}", "bold reverse") if hit.numbered else (f"n° {hit.segment_id}", "dim")
    return Text.assemble(number, " · ", (hit.document, "bold"), f" · {hit.speaker} : ", snippet)


def hits_status(hits: tuple[SearchHit, ...], query: str = "") -> str:
    n = len(hits)
    if not n:
        return "aucun résultat"
    keys = " · entrée : ouvrir le premier · ↓ : choisir"
    if hits[0].numbered:  # the number first, then the passages that contain it
        rest = n - 1
        found = f"segment n° {hits[0].segment_id}"
        if rest:
            found += f", puis {rest} passage{'s' if rest > 1 else ''} où figure « {query.strip()} »"
        return found + keys
    return f"{n} résultat{'s' if n > 1 else ''}" + keys


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
        results.add_options([Option(hit_prompt(h, query=self.searched or ""), id=str(h.segment_id)) for h in hits])
        self.query_one("#search-status", Label).update(hits_status(hits, self.searched or ""))
        if hits:
            results.highlighted = 0

    def action_focus_results(self) -> None:
        self.query_one("#search-results", OptionList).focus()

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0) or None)
