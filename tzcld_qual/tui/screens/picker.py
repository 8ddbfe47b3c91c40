"""Choose any code or sub-code by fuzzy search on its id and label (rapidfuzz)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tzcld_qual.model import Codebook
from tzcld_qual.services.review_views import SegmentView
from tzcld_qual.tui.widgets.transcript import MARKS


def rank_codes(codebook: Codebook, query: str, limit: int = 40) -> list[str]:
    """Code ids best matching ``query`` (all, in codebook order, when it is empty): the id typed
    exactly, then ids it begins ("F4.acc" → F4.accompagnement), then labels with a word it
    begins, then the closest by fuzzy matching (typos). Enter applies the first: what the analyst
    has typed so far must never rank a look-alike above it."""
    if not query.strip():
        return [c.id for c in codebook.codes]
    from rapidfuzz import fuzz, process

    from tzcld_qual.folding import strip_accents

    def folded(text: str) -> str:
        return strip_accents(text).casefold()

    typed = folded(query.strip())
    exact = [c.id for c in codebook.codes if folded(c.id) == typed]
    prefix = [c.id for c in codebook.codes if folded(c.id).startswith(typed)]
    words = [c.id for c in codebook.codes if any(w.startswith(typed) for w in re.findall(r"\w+", folded(c.label)))]
    typo = _closest_words(codebook, typed, folded)
    choices = {c.id: f"{c.id} {c.label}" for c in codebook.codes}
    found = [key for _t, _s, key in process.extract(query, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=40)]
    return list(dict.fromkeys(exact + prefix + words + typo + found))[:limit]


def _closest_words(codebook: Codebook, typed: str, folded: Callable[[str], str]) -> list[str]:
    """Codes with a word of their id or label the typed word misspells (« besion » → F7.besoins,
    which whole-label matching ranked fifth, after F6), closest first."""
    from rapidfuzz import fuzz

    if len(typed) < 4:
        return []
    scored = []
    for code in codebook.codes:
        words = re.findall(r"[^\W\d_]+", folded(f"{code.id} {code.label}"))
        best = max((fuzz.ratio(typed, w) for w in words if len(w) >= 4), default=0.0)
        if best >= 75:
            scored.append((-best, code.id))
    return [code_id for _s, code_id in sorted(scored)]


class CodePicker(ModalScreen[str | None]):
    """Type to filter, ↑/↓ to move, entrée to toggle the code on the segment."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "annuler"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, codebook: Codebook, view: SegmentView | None) -> None:
        super().__init__()
        self.codebook = codebook
        self.view = view

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Code ou sous-code (entrée : appliquer / retirer)", classes="dialog-title")
            yield Input(placeholder="ex. : formation, F3, confiance…", id="picker-query")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-query", Input).focus()

    @on(Input.Changed, "#picker-query")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, query: str) -> None:
        options = self.query_one("#picker-options", OptionList)
        options.clear_options()
        for code_id in rank_codes(self.codebook, query):
            code = self.codebook.get(code_id)
            assert code is not None
            chip = self.view.chip(code_id) if self.view else None
            mark = MARKS[chip.state] if chip else " "
            indent = "  " if code.parent else ""
            options.add_option(Option(f"{mark} {indent}{code.id} — {code.label}", id=code.id))
        if options.option_count:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted, "#picker-query")
    def _submitted(self) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
