"""The transcript around the current segment, drawn as one widget.

Only the segments that fit on screen are wrapped and drawn (a window around the current one),
so a 500-segment interview costs the same as a 5-segment one and moving is instant. The
interviewer's question that opened the current answer stays pinned on top when it scrolled out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.events import MouseScrollDown, MouseScrollUp
from textual.message import Message
from textual.widget import Widget

from tzcld_qual.model import Role
from tzcld_qual.services.review_views import Chip, ChipState, DocumentView, SegmentView

MARKS = {ChipState.APPLIED: "✓", ChipState.PENDING: "?", ChipState.REJECTED: "✗"}
NO_CODE_MARK = "∅"  # « relu, aucun code »


def chip_label(chip: Chip) -> str:
    """``✓F2``, ``?F3 82%``, ``✗F7``, ``?T1 thème``: readable without colour."""
    text = f"{MARKS[chip.state]}{chip.code_id}"
    if chip.state is ChipState.PENDING and chip.from_theme:
        text += " thème"  # a similarity to the theme's centre, no probability
    elif chip.state is ChipState.PENDING and chip.confidence is not None:
        text += f" {chip.confidence:.0%}"
    return text


class TranscriptView(Widget):
    """Speaker turns with the current segment marked ``▶``; codes as chips under each segment."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "transcript--current",
        "transcript--interviewer",
        "transcript--speaker",
        "transcript--question",
        "transcript--pending",
        "transcript--rejected",
        "transcript--empty",
    }

    class Scrolled(Message):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.document: DocumentView | None = None
        self.index = 0
        self.empty_text = ""
        self.color_of: Callable[[str], str | None] = lambda _code: None
        self.renders = 0  # for the latency bench
        self._cache: dict[tuple[int, int, bool], list[Text]] = {}

    def show(self, document: DocumentView | None, index: int) -> None:
        if document is not self.document:
            self._cache.clear()
        self.document, self.index = document, index
        self.refresh()

    def recolor(self, color_of: Callable[[str], str | None]) -> None:
        self.color_of = color_of
        self._cache.clear()
        self.refresh()

    def on_resize(self) -> None:
        self._cache.clear()

    def on_mouse_scroll_down(self, event: MouseScrollDown) -> None:
        event.stop()
        self.post_message(self.Scrolled(1))

    def on_mouse_scroll_up(self, event: MouseScrollUp) -> None:
        event.stop()
        self.post_message(self.Scrolled(-1))

    def render(self) -> Text:
        self.renders += 1
        width, height = self.content_size.width, self.content_size.height
        doc = self.document
        if doc is None or not doc.segments or width < 10 or height < 1:
            return Text(self.empty_text, style=self.get_component_rich_style("transcript--empty"))
        index = min(self.index, len(doc.segments) - 1)
        start, end = self._window(index, width, height)
        lines = [line for i in range(start, end) for line in self._block(i, width)]
        question = doc.question(doc.segments[index].segment.id)
        q_index = doc.index_of(question.segment.id) if question is not None else None
        if q_index is not None and q_index < start:  # the question scrolled out: keep it on top
            pinned = self._pinned(question, width)  # type: ignore[arg-type]
            above = sum(len(self._block(i, width)) for i in range(start, index))
            cut = max(0, min(len(pinned) + len(lines) - height, above))  # context goes before the answer
            lines = pinned + lines[cut:]
        return Text("\n").join(lines[:height])

    def _window(self, index: int, width: int, height: int) -> tuple[int, int]:
        """Segments to draw: a third of the room for what precedes the current one, the rest for
        what follows; room left at the end of the document goes back to what precedes."""
        assert self.document is not None
        count = len(self.document.segments)
        used = len(self._block(index, width))
        start, end = index, index + 1
        room_above = max(0, (height - used) // 3)
        while start > 0 and len(self._block(start - 1, width)) <= room_above:
            start -= 1
            room_above -= len(self._block(start, width))
            used += len(self._block(start, width))
        while end < count and used < height:
            used += len(self._block(end, width))
            end += 1
        while start > 0 and used + len(self._block(start - 1, width)) <= height:
            start -= 1
            used += len(self._block(start, width))
        return start, end

    def _pinned(self, question: SegmentView, width: int) -> list[Text]:
        """Two lines of the question, then a dotted rule."""
        style = self.get_component_rich_style("transcript--question")
        text = Text(f"Q · {question.segment.speaker} : {question.segment.text}", style=style)
        wrapped = list(text.wrap(self.app.console, width))
        lines = wrapped[:2]
        if len(wrapped) > 2:
            lines[-1] = Text(lines[-1].plain[: max(0, width - 1)].rstrip() + "…", style=style)
        return [*lines, Text("┄" * width, style=style)]

    def _block(self, i: int, width: int) -> list[Text]:
        assert self.document is not None
        current = i == self.index
        key = (i, width, current)
        if key not in self._cache:
            self._cache[key] = self._draw(self.document.segments, i, width, current)
        return self._cache[key]

    def _draw(self, views: tuple[SegmentView, ...], i: int, width: int, current: bool) -> list[Text]:
        view = views[i]
        seg = view.segment
        interviewer = seg.role is Role.INTERVIEWER
        lines: list[Text] = []
        previous = views[i - 1].segment if i > 0 else None
        if previous is None or previous.turn != seg.turn or previous.speaker != seg.speaker:
            role = "enquête" if interviewer else "répondant·e"
            lines.append(Text(f"{seg.speaker} ({role})", style=self.get_component_rich_style("transcript--speaker")))
        body = self.get_component_rich_style("transcript--interviewer") if interviewer else Style()
        if current:
            body += self.get_component_rich_style("transcript--current")
        gutter = self._gutter(view)
        for j, line in enumerate(Text(seg.text, style=body).wrap(self.app.console, width - 2)):
            mark = Text("▶ " if current and j == 0 else "  ", style=body)
            if gutter is not None and not (current and j == 0):
                mark = Text("▌ ", style=Style(color=gutter))
            line.pad_right(width - 2 - line.cell_len)
            lines.append(Text.assemble(mark, line))
        if view.chips or view.no_code:
            chips = Text("  ")
            if view.no_code:  # « relu, aucun code »: read, like a rejection of every code
                rejected = self.get_component_rich_style("transcript--rejected")
                chips.append(f" {NO_CODE_MARK} aucun code ", style=rejected)
                chips.append(" ")
            for chip in view.chips:
                chips.append_text(self._chip(chip))
                chips.append(" ")
            lines += list(chips.wrap(self.app.console, width))
        return lines

    def _gutter(self, view: SegmentView) -> str | None:
        """Colour of the first applied code: the coded span is marked in its code's colour."""
        for chip in view.applied:
            return self.color_of(chip.code_id) or "default"
        return None

    def _chip(self, chip: Chip) -> Text:
        color = self.color_of(chip.code_id)
        if chip.state is ChipState.APPLIED:
            style = Style(bold=True, reverse=color is None, color="black" if color else None, bgcolor=color)
        elif chip.state is ChipState.PENDING:
            style = self.get_component_rich_style("transcript--pending") + Style(color=color)
        else:
            style = self.get_component_rich_style("transcript--rejected")
        return Text(f" {chip_label(chip)} ", style=style)
