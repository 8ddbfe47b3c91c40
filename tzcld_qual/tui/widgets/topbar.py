"""One line on top of each screen: where you are, who codes, with which model, what runs."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class TopBar(Widget):
    """``place`` is set by the screen; ``activity`` mirrors the app's (retraining…)."""

    place: reactive[str] = reactive("")
    activity: reactive[str] = reactive("")
    flash: reactive[str] = reactive("")

    def on_mount(self) -> None:
        self.watch(self.app, "activity", self._on_activity)

    def _on_activity(self, value: str) -> None:
        self.activity = value

    def render(self) -> Text:
        # a decision's feedback beside a retraining's progress (it hid it), cut to leave the place whole
        # but for the document's name: a long message left « demo-0… · 3/18 · al… » of it
        right = " · ".join(part for part in (self.flash, self.activity) if part)
        width = self.content_size.width
        room = max(16, width - len(_shortest(self.place)) - 2)
        if len(right) > room:
            right = right[: max(0, room - 1)] + "…"
        if right:
            left = _fit(self.place, max(0, width - len(right) - 2))
            return Text.assemble(left, " " * max(1, width - len(left) - len(right)), (right, "bold"))
        return Text(_fit(self.place, width))


def _shortest(place: str) -> str:
    """``place`` with its document name cut to 8 columns, the rest whole: as short as it reads."""
    first, sep, rest = place.partition(" · ")
    return (first if len(first) <= 8 else first[:7] + "…") + sep + rest


def _fit(place: str, room: int) -> str:
    """``place`` in ``room`` columns: its first part (a long document name) is shortened first,
    so the position, the filter and the coder after it stay readable; then the end is cut."""
    if len(place) <= room:
        return place
    first, sep, rest = place.partition(" · ")
    keep = room - len(sep) - len(rest)
    if sep and keep >= 8:
        return first[: keep - 1] + "…" + sep + rest
    if sep:
        place = _shortest(place)
    return place if len(place) <= room else place[: max(0, room - 1)] + "…"
