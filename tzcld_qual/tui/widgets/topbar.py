"""On top of each screen: where you are, who codes, with which model, and what just happened or runs.

A message (a decision's feedback, an undo, a retraining's progress) is never cut: at 80 columns
« annulé : F7.besoins (rejeté → … » hid the second code an undo reversed, and the place beside it
was cut to « r2-05-s… · 3/18 ». The message goes beside the place when both fit, the place's last
parts left out for it if need be, as many as the screen says may go (model, coder: never a part of
the filter, whose own words are joined with « · » too); otherwise the bar takes a second line for it.
Widths are counted in terminal cells, not characters.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text
from textual.events import Resize
from textual.reactive import reactive
from textual.widget import Widget

SEP = " · "
GAP = 2  # columns between the place and a message beside it


class TopBar(Widget):
    """``place`` is set by the screen (with :meth:`set_place`, to say which parts may go); ``flash``
    by it too (a few seconds); ``activity`` mirrors the app's."""

    place: reactive[str] = reactive("")
    spare: reactive[int] = reactive(0)  # how many of the place's last parts a message may push out
    activity: reactive[str] = reactive("")
    flash: reactive[str] = reactive("")

    def on_mount(self) -> None:
        self.watch(self.app, "activity", self._on_activity)

    def _on_activity(self, value: str) -> None:
        self.activity = value

    def set_place(self, parts: Sequence[str], spare: int = 0) -> None:
        """The place from its parts, the last ``spare`` of which (model, coder) may give way to a
        message; the others (a filter above all) are shown whole or not beside it at all."""
        self.spare = min(spare, max(0, len(parts) - 1))
        self.place = SEP.join(parts)

    def watch_place(self) -> None:
        self._resize()

    def watch_spare(self) -> None:
        self._resize()

    def watch_activity(self) -> None:
        self._resize()

    def watch_flash(self) -> None:
        self._resize()

    def on_resize(self, _event: Resize) -> None:
        self._resize()

    def _resize(self) -> None:
        """As many lines as the message needs (inline: the stylesheet's one line is the usual case)."""
        height = len(self.lines(self.content_size.width))
        if self.styles.height is None or self.styles.height.value != height:
            self.styles.height = height

    def lines(self, width: int) -> list[Text]:
        """The place, then the message beside it or on lines of its own."""
        message = SEP.join(part for part in (self.flash, self.activity) if part)
        if not message or width <= 0:
            return [Text(_fit(self.place, width))]
        beside = _beside(self.place, self.spare, width - cell_len(message) - GAP)
        if beside is not None:
            gap = " " * (width - cell_len(beside) - cell_len(message))
            return [Text.assemble(beside, gap, (message, "bold"))]
        return [Text(_fit(self.place, width)), *(Text(line, style="bold") for line in _wrapped(message, width))]

    def render(self) -> Text:
        return Text("\n").join(self.lines(self.content_size.width))


def _beside(place: str, spare: int, room: int) -> str | None:
    """``place`` in ``room`` columns beside a message, its last ``spare`` parts left out if need be,
    the rest whole (the document's name, the filter); None when it does not fit so."""
    head, *tail = place.rsplit(SEP, spare) if spare > 0 else [place]
    for keep in range(len(tail), -1, -1):
        shown = SEP.join([head, *tail[:keep]])
        if cell_len(shown) <= room:
            return shown
    return None


def _wrapped(message: str, width: int) -> list[str]:
    """A message on lines of ``width``, broken after its « · » then between words: never cut."""
    parts = message.split(SEP)
    atoms = [part + " ·" for part in parts[:-1]] + parts[-1:]
    lines: list[str] = []
    for word in (w for atom in atoms for w in ([atom] if cell_len(atom) <= width else atom.split()) if w):
        while cell_len(word) > width:  # wider than the bar: in pieces, all of it shown
            piece = _cut(word, width)
            lines.append(piece)
            word = word[len(piece) :]
        if lines and cell_len(lines[-1]) + 1 + cell_len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _shortest(place: str) -> str:
    """``place`` with its document name cut to 8 columns, the rest whole: as short as it reads."""
    first, sep, rest = place.partition(SEP)
    return (first if cell_len(first) <= 8 else _cut(first, 7) + "…") + sep + rest


def _fit(place: str, room: int) -> str:
    """``place`` in ``room`` columns: its first part (a long document name) is shortened first,
    so the position, the filter and the coder after it stay readable; then the end is cut."""
    if cell_len(place) <= room:
        return place
    first, sep, rest = place.partition(SEP)
    keep = room - cell_len(sep) - cell_len(rest)
    if sep and keep >= 8:
        return _cut(first, keep - 1) + "…" + sep + rest
    if sep:
        place = _shortest(place)
    return place if cell_len(place) <= room else _cut(place, max(0, room - 1)) + "…"


def _cut(text: str, cells: int) -> str:
    """The start of ``text`` that fits in ``cells`` columns (a wide character is not split)."""
    used = 0
    for index, char in enumerate(text):
        used += get_character_cell_size(char)
        if used > cells:
            return text[:index]
    return text
