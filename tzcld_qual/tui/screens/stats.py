"""Counts per code (applied, suggested, rejected) and per document attribute, as bar charts."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tzcld_qual.services.review import ReviewSession
from tzcld_qual.services.review_views import Stats
from tzcld_qual.tui.actions import STATS, bindings
from tzcld_qual.tui.widgets.bars import code_table, split_table
from tzcld_qual.tui.widgets.topbar import TopBar
from tzcld_qual.tui.workspace import ATTRIBUTE_LABELS, reported, workspace


class StatsScreen(Screen[None]):
    SCOPE = STATS
    BINDINGS = bindings(STATS)

    def __init__(self) -> None:
        super().__init__()
        self.stats: Stats | None = None
        self.attribute: str | None = None
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with VerticalScroll(id="stats-scroll"):
            yield Static("calcul…", id="stats-body")
        yield Footer(compact=True, show_command_palette=False)

    def on_screen_resume(self) -> None:
        self.reload()

    def on_resize(self) -> None:
        if self.stats is not None:
            self._fill(self.stats)

    def reload(self) -> None:
        self._load(self.attribute)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self, attribute: str | None) -> None:
        ws = workspace(self)
        with reported(self), ReviewSession(ws.project, ws.coder, blind=ws.blind) as session:
            stats = session.stats(attribute, ws.codebook)
            self.app.call_from_thread(self._fill, stats)

    def _fill(self, stats: Stats) -> None:
        self.stats, self.attribute = stats, stats.attribute
        width = max(20, self.size.width)
        rows = [(c.code_id, c.applied, c.pending, c.rejected) for c in stats.codes]
        parts: list[object] = [Text("Par code (un enseignement compte ses sous-codes)", style="bold underline")]
        if any(a or p or r for _c, a, p, r in rows):
            codebook = workspace(self).codebook
            sub_codes = {c.id for c in codebook.codes if c.parent} if codebook else set()
            parts.append(code_table(rows, width - 3 - max(len(c) for c, *_ in rows) - 30, sub_codes))
        else:
            parts.append(Text("Aucune décision ni suggestion pour l'instant.", style="dim"))
        if stats.attribute:
            parts += [
                Text(""),
                Text(
                    f"Par {ATTRIBUTE_LABELS.get(stats.attribute, stats.attribute)} (← → : autre attribut)"
                    " — appliqués █, suggérés ░",
                    style="bold underline",
                ),
            ]
            tops = sorted(stats.by_value)
            counts = {top: {v: (c.applied, c.pending) for v, c in per.items()} for top, per in stats.by_value.items()}
            values = list(stats.values)
            cell = max(3, (width - 8) // max(1, len(values)) - 8)
            parts.append(split_table(tops, values, counts, cell) if tops else Text("—", style="dim"))
        self.query_one("#stats-body", Static).update(Group(*parts))  # type: ignore[arg-type]
        model = workspace(self).model_name(stats.model)
        self.query_one(TopBar).set_place(["Statistiques", f"codeur {stats.coder}", model], spare=1)
        self.loaded = True

    def action_attribute(self, step: int) -> None:
        if not self.stats or not self.stats.attributes:
            return
        names = list(self.stats.attributes)
        current = names.index(self.attribute) if self.attribute in names else 0
        self.attribute = names[(current + step) % len(names)]
        self.reload()
