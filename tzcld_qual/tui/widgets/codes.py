"""The codes panel: the current segment's suggestions, applied and rejected codes, memo, definition."""

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
    highlight: int = 0
    definition: bool = False
    model: str | None = None
    codebook: Codebook | None = None
    hint: QueueItem | None = None  # the queue item that brought this segment up
    blind: bool = False  # double-coding: no model, on purpose


class CodesPanel(VerticalScroll, can_focus=False):
    """Read-only: the screen hands it a :class:`PanelState` to draw."""

    def compose(self) -> ComposeResult:
        yield Static(id="codes-body")

    def show(self, state: PanelState) -> None:
        self.query_one("#codes-body", Static).update(render_panel(state))


def render_panel(state: PanelState) -> Group:
    view = state.view
    if view is None:
        return Group(Text("Aucun segment.", style="dim"))
    parts: list[RenderableType] = []
    if state.hint is not None:
        hint = state.hint
        target = state.highlight < 0
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
    if view.no_code:
        parts.append(Text(f"{NO_CODE_MARK} relu : aucun code", style="bold"))
        parts.append(Padding(Text("0 : retirer la marque · 1–8, c : appliquer un code", style="dim"), (0, 0, 0, 4)))
    elif not view.chips:
        parts.append(Text("Aucun code sur ce segment.", style="dim"))
        if state.model is None and not state.blind:
            parts.append(Text("Pas encore de suggestions : tzcld-qual code PROJET", style="dim"))
        else:
            parts.append(Text("1–8 : appliquer F1…F8 · c : autre code · 0 : aucun code", style="dim"))
    highlighted = view.chips[state.highlight] if 0 <= state.highlight < len(view.chips) else None
    for chip_state in (ChipState.PENDING, ChipState.APPLIED, ChipState.REJECTED):
        chips = [c for c in view.chips if c.state is chip_state]
        if not chips:
            continue
        heading = _HEADINGS[chip_state]
        if chip_state is ChipState.PENDING and state.model and not all(c.from_theme for c in chips):
            heading += f" · {state.model}"  # a theme's suggestion names its run itself
        parts.append(Text(heading, style="bold underline"))
        for chip in chips:
            parts += _chip_lines(chip, chip is highlighted, state.codebook)
    if view.memo:
        parts += [Text("Mémo", style="bold underline"), Text(view.memo, style="italic")]
    if state.definition and highlighted is not None:
        parts += _definition(highlighted.code_id, state.codebook)
    return Group(*parts)


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
