"""The codes panel: the current segment's suggestions, applied and rejected codes, memos, definition."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tzcld_qual.model import Codebook
from tzcld_qual.services.review_views import Chip, ChipState, QueueItem, SegmentView
from tzcld_qual.tui.widgets.transcript import MARKS, NO_CODE_MARK

_HEADINGS = {
    ChipState.PENDING: "Suggestions",
    ChipState.APPLIED: "Appliqués",
    ChipState.REJECTED: "Rejetés",
}


@dataclass(frozen=True, slots=True)
class PanelState:
    view: SegmentView | None
    highlight: int | None = 0  # the chip drawn ▸; -1: the queue's code above them; None: none
    definition: bool = False
    model: str | None = None
    codebook: Codebook | None = None
    hint: QueueItem | None = None  # the queue item that brought this segment up
    blind: bool = False  # double-coding: no model, on purpose
    project: str = "PROJET"  # as the analyst gave it, for the command that gets suggestions
    document_memo: str = ""  # the coder's memo on the whole interview


class CodesPanel(VerticalScroll, can_focus=False):
    """Read-only: the screen hands it a :class:`PanelState` to draw."""

    shown: PanelState | None = None  # what is drawn now
    _lead = 0  # rows of the highlighted part above its ``▸`` line (the heading of its kind)

    def compose(self) -> ComposeResult:
        # the highlighted code apart, to be kept in view: ← → moved ▸ onto a code scrolled out of
        # the panel at 80×24, and x rejected a code the analyst could not see
        yield Static(id="codes-body")
        yield Static(id="codes-highlighted")
        yield Static(id="codes-rest")
        yield Static(id="codes-definition")  # apart, to be scrolled to: it comes under a long explanation

    def show(self, state: PanelState) -> None:
        before, shown = self.shown, state
        self.shown = state
        parts, (start, end, marker) = _sections(state)
        self._lead = marker - start
        for name, section in (("body", parts[:start]), ("highlighted", parts[start:end]), ("rest", parts[end:])):
            widget = self.query_one(f"#codes-{name}", Static)
            widget.update(Group(*section))
            widget.display = bool(section)
        definition = self.query_one("#codes-definition", Static)
        definition.update(Group(*_definition_part(state)))
        definition.display = state.definition
        if end > start and (before is None or _target(before) != _target(shown)):
            self.call_after_refresh(self._reveal_highlighted)

    def _reveal_highlighted(self) -> None:
        """Scroll the highlighted code into view (whole, if it fits; its top otherwise) unless its
        top and its ``▸`` line both show: a code taller than the panel is not pushed about. The
        top alone was tested: with the heading of its kind on the panel's last row, the ``▸``
        line under it was hidden, and x acted on a code out of sight."""
        highlighted = self.query_one("#codes-highlighted", Static)
        top = highlighted.virtual_region.y
        bottom = self.scroll_y + self.scrollable_content_region.height
        if not (self.scroll_y <= top and top + self._lead < bottom):
            self.scroll_to_widget(highlighted, animate=False)

    def reveal_definition(self) -> None:
        """Scroll to the definition once drawn: ``d`` seemed to do nothing, the definition added
        below the highlighted code's explanation, off screen."""
        definition = self.query_one("#codes-definition", Static)
        self.call_after_refresh(lambda: self.scroll_to_widget(definition, animate=False))


def render_panel(state: PanelState) -> Group:
    """The whole panel, definition included when asked."""
    return Group(*_sections(state)[0], *_definition_part(state))


def _target(state: PanelState) -> tuple[int | None, str | None, ChipState | None]:
    """Which line ``▸`` is on: the segment, the highlighted code and its kind (no kind: the
    queue's code above them). Its code, not its index: a redraw that put another code at the
    same index (or this one in another section) was never revealed."""
    view, marked = state.view, state.highlight
    if view is None or marked is None:
        return (view.segment.id if view else None), None, None
    if marked < 0:
        return view.segment.id, state.hint.code_id if state.hint else None, None
    if marked >= len(view.chips):
        return view.segment.id, None, None
    chip = view.chips[marked]
    return view.segment.id, chip.code_id, chip.state


def _sections(state: PanelState) -> tuple[list[RenderableType], tuple[int, int, int]]:
    """The panel's parts, where the highlighted code's lines are among them (``start`` = ``end``
    when none is), and which of them is its ``▸`` line: what the panel keeps in view."""
    view = state.view
    if view is None:
        return [Text("Aucun segment.", style="dim")], (1, 1, 1)
    parts: list[RenderableType] = []
    span = (0, 0, 0)
    if state.hint is not None:
        hint = state.hint
        target = state.highlight is not None and state.highlight < 0
        parts.append(
            Text.assemble(
                ("▸ " if target else "  ", "bold"),
                (
                    f"File : {hint.code_id} {hint.score:.2f} (seuil {hint.threshold:.2f})",
                    Style(bold=True, reverse=target),
                ),
            )
        )
        if target:
            keys = Text(f"a : {hint.code_id} s'applique · x : ne s'applique pas", style="dim")
            parts.append(Padding(keys, (0, 0, 0, 4)))
            span = (0, len(parts), 0)
    if view.no_code:
        parts.append(Text(f"{NO_CODE_MARK} relu : aucun code", style="bold"))
        parts.append(Padding(Text("0 : retirer la marque · 1–8, c : appliquer un code", style="dim"), (0, 0, 0, 4)))
    elif not view.chips:
        parts.append(Text("Aucun code sur ce segment.", style="dim"))
        if state.model is None and not state.blind:
            parts.append(Text(f"Pas encore de suggestions : tzcld-qual code {state.project}", style="dim"))
        else:
            parts.append(Text("1–8 : appliquer F1…F8 · c : autre code · 0 : aucun code", style="dim"))
    marked = state.highlight
    highlighted = view.chips[marked] if marked is not None and 0 <= marked < len(view.chips) else None
    for chip_state in (ChipState.PENDING, ChipState.APPLIED, ChipState.REJECTED):
        chips = [c for c in view.chips if c.state is chip_state]
        if not chips:
            continue
        heading = _HEADINGS[chip_state]
        if chip_state is ChipState.PENDING and state.model and not all(c.from_theme for c in chips):
            heading += f" · {state.model}"  # a theme's suggestion names its run itself
        parts.append(Text(heading, style="bold underline"))
        for chip in chips:
            lines = _chip_lines(chip, chip is highlighted, state.codebook)
            if chip is highlighted:  # the first of its kind: its heading is kept in view with it
                first = len(parts) - (1 if chip is chips[0] else 0)
                span = (first, len(parts) + len(lines), len(parts))
            parts += lines
    if view.memo:
        parts += [Text("Mémo", style="bold underline"), Text(view.memo, style="italic")]
    if state.document_memo:  # written with m, then seen nowhere on the review screen
        parts += [Text("Mémo de l'entretien", style="bold underline"), Text(state.document_memo, style="italic")]
    if span == (0, 0, 0):
        span = (len(parts), len(parts), len(parts))
    return parts, span


def _definition_part(state: PanelState) -> list[RenderableType]:
    view, marked = state.view, state.highlight
    if not state.definition or view is None:
        return []
    if marked is None or not 0 <= marked < len(view.chips):
        return [Text("← → : choisir le code dont lire la définition", style="dim")] if view.chips else []
    return _definition(view.chips[marked].code_id, state.codebook)


def _chip_lines(chip: Chip, highlighted: bool, codebook: Codebook | None) -> list[RenderableType]:
    code = codebook.get(chip.code_id) if codebook else None
    line = Text("▸ " if highlighted else "  ", style="bold")
    style = Style(bold=True, reverse=highlighted)
    line.append(f"{MARKS[chip.state]} {chip.code_id}", style=style)
    if chip.confidence is not None and chip.from_theme:
        line.append(f" thème {chip.origin}, similarité {chip.confidence:.2f}".replace(".", ","), style="dim")
    elif chip.confidence is not None:
        line.append(f" {chip.confidence:.0%}")
    elif chip.from_theme:  # no probability: its similarity to the theme's centre is in the explanation
        line.append(f" thème {chip.origin}", style="dim")
    elif chip.suggested:  # imported from a file that did not keep the score
        line.append(" confiance inconnue", style="dim")
    if chip.status is not None:
        line.append(f" ({chip.status.label})", style="dim")
    lines: list[RenderableType] = [line]
    if code is not None:
        lines.append(Padding(Text(code.label, style="dim"), (0, 0, 0, 4)))
    details = []
    if chip.explanation:  # in full for the highlighted code, its first line for the others
        details.append(chip.explanation if highlighted else chip.explanation.splitlines()[0])
    if chip.agreed:
        details.append("aussi : " + ", ".join(chip.agreed))
    if details and (highlighted or chip.state is ChipState.PENDING):
        lines.append(Padding(Text(" · ".join(details), style="italic"), (0, 0, 0, 4)))
    return lines


def _definition(code_id: str, codebook: Codebook | None) -> list[RenderableType]:
    code = codebook.get(code_id) if codebook else None
    if code is None:
        return [Text(f"{code_id} : définition indisponible (codebook en cours de chargement).", style="dim")]
    out: list[RenderableType] = [Text(f"{code.id} — {code.label}", style="bold underline"), Text(code.definition)]
    if code.inclusion:
        out.append(Text("Inclure : " + " ; ".join(code.inclusion[:3]), style="dim"))
    if code.exclusion:
        out.append(Text("Exclure : " + " ; ".join(code.exclusion[:3]), style="dim"))
    return out
