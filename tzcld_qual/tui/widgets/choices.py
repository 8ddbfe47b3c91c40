"""A button, a radio button and a drop-down list that show focus and choice with marks, not
colour alone.

With NO_COLOR Textual's own differ by colour, or by a reverse video that a screen reader or a
copied screen does not show: the focused « Oui » looked like « Non », and ``▐●▌`` was drawn for
the chosen and the other radio button alike, so a memo went to the document unseen; the open
list of a drop-down showed no highlighted option (« tous les statuts / en attente / non revus »:
entrée picked « non revus », seen nowhere before).
"""

from __future__ import annotations

from rich.segment import Segment
from textual.app import ComposeResult
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.style import Style
from textual.widgets import Button, RadioButton, RadioSet, Select
from textual.widgets._select import SelectCurrent, SelectOverlay

FOCUS = "▸"  # the focused button, or the radio button the keys act on
OTHER = "( )"  # chosen: (•)


class MarkedButton(Button):
    """``▸ Oui ◂`` when focused, ``  Non  `` otherwise (same width: nothing moves)."""

    def render(self) -> Content:
        left, right = (f"{FOCUS} ", " ◂") if self.has_focus else ("  ", "  ")
        return Content.assemble(left, Content.from_text(self.label), right)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return super().get_content_width(container, viewport) + 4

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


class MarkedRadioButton(RadioButton):
    """``▸ (•) sur le segment``: ``(•)``/``( )`` say which is chosen, ``▸`` where the keys are
    (→ moves it, entrée chooses) while the set has the focus."""

    def render(self) -> Content:
        cursor = FOCUS if self._under_cursor() else " "
        if self.value:  # the dot in the colour Textual gives a chosen radio button
            dot = Style(foreground=self.get_visual_style("toggle--button").foreground, bold=True)
            mark = Content.assemble("(", ("•", dot), ")")
        else:
            mark = Content(OTHER)
        label = self.label.pad(1, 1).stylize_before(self.get_visual_style("toggle--label"))
        return Content.assemble(f"{cursor} ", mark, label)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return 2 + len(OTHER) + 2 + self.label.cell_length

    def _under_cursor(self) -> bool:
        return self.has_class("-selected") and isinstance(self.parent, RadioSet) and self.parent.has_focus


class MarkedRadioSet(RadioSet):
    """Redraws its buttons when it gains or loses the focus: their ``▸`` depends on it."""

    def on_focus(self) -> None:
        self._redraw()

    def on_blur(self) -> None:
        self._redraw()

    def watch__selected(self) -> None:
        super().watch__selected()
        self._redraw()

    def _redraw(self) -> None:
        for button in self.query(MarkedRadioButton):
            button.refresh()


class MarkedSelectOverlay(SelectOverlay):
    """The open list of a :class:`MarkedSelect`: ``▸`` before the highlighted option, in a gutter
    of two columns (Textual 8 pinned: its option list draws a gutter as ``SelectionList`` does)."""

    def _get_left_gutter_width(self) -> int:
        return 2

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            index, offset = self._lines[self.scroll_offset.y + y]
        except IndexError:
            return strip  # below the options: a blank line of the full width
        mark = f"{FOCUS} " if index == self.highlighted and offset == 0 else "  "
        style = next(iter(strip)).style if strip.cell_length else None
        return Strip.join([Strip([Segment(mark, style)], 2), strip])


class MarkedSelect(Select[str]):
    """A drop-down whose open list marks the highlighted option (:class:`MarkedSelectOverlay`)."""

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield MarkedSelectOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)
