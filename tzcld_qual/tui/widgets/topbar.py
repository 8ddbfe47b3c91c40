"""On top of each screen: where you are, who codes, with which model, and what just happened or runs.

A message (a decision's feedback, an undo, a retraining's progress) is never cut: at 80 columns
« annulé : F7.besoins (rejeté → … » hid the second code an undo reversed, and the place beside it
was cut to « r2-05-s… · 3/18 ». The message goes beside the place when both fit, the place's last
parts (model, coder) left out for it if need be; otherwise the bar takes a second line for it.
"""

from __future__ import annotations

from rich.text import Text
from textual.events import Resize
from textual.reactive import reactive
from textual.widget import Widget

SEP = " · "
GAP = 2  # columns between the place and a message beside it
SPARED = 2  # trailing parts of the place (model, coder) a message may push out; the rest stays


class TopBar(Widget):
    """``place`` is set by the screen; ``flash`` by it too (a few seconds); ``activity`` mirrors the app's."""

    place: reactive[str] = reactive("")
    activity: reactive[str] = reactive("")
    flash: reactive[str] = reactive("")

    def on_mount(self) -> None:
        self.watch(self.app, "activity", self._on_activity)

    def _on_activity(self, value: str) -> None:
        self.activity = value

    def watch_place(self) -> None:
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
        beside = _beside(self.place, width - len(message) - GAP)
        if beside is not None:
            gap = " " * (width - len(beside) - len(message))
            return [Text.assemble(beside, gap, (message, "bold"))]
        return [Text(_fit(self.place, width)), *(Text(line, style="bold") for line in _wrapped(message, width))]

    def render(self) -> Text:
        return Text("\n").join(self.lines(self.content_size.width))


def _beside(place: str, room: int) -> str | None:
    """``place`` in ``room`` columns beside a message, its model and coder left out if need be, its
    other parts whole (the document's name first of all); None when it does not fit so."""
    parts = place.split(SEP)
    for keep in range(len(parts), max(len(parts) - SPARED, min(len(parts), 2)) - 1, -1):
        shown = SEP.join(parts[:keep])
        if len(shown) <= room:
            return shown
    return None


def _wrapped(message: str, width: int) -> list[str]:
    """A message on lines of ``width``, broken after its « · » then between words: never cut."""
    parts = message.split(SEP)
    atoms = [part + " ·" for part in parts[:-1]] + parts[-1:]
    lines: list[str] = []
    for word in (w for atom in atoms for w in ([atom] if len(atom) <= width else atom.split()) if w):
        while len(word) > width:  # wider than the bar: in pieces, all of it shown
            lines.append(word[:width])
            word = word[width:]
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _shortest(place: str) -> str:
    """``place`` with its document name cut to 8 columns, the rest whole: as short as it reads."""
    first, sep, rest = place.partition(SEP)
    return (first if len(first) <= 8 else first[:7] + "…") + sep + rest


def _fit(place: str, room: int) -> str:
    """``place`` in ``room`` columns: its first part (a long document name) is shortened first,
    so the position, the filter and the coder after it stay readable; then the end is cut."""
    if len(place) <= room:
        return place
    first, sep, rest = place.partition(SEP)
    keep = room - len(sep) - len(rest)
    if sep and keep >= 8:
        return first[: keep - 1] + "…" + sep + rest
    if sep:
        place = _shortest(place)
    return place if len(place) <= room else place[: max(0, room - 1)] + "…"
