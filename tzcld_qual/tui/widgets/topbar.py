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
        right = self.activity or self.flash
        width = self.content_size.width
        left = self.place
        if right:
            room = max(0, width - len(right) - 2)
            left = left if len(left) <= room else left[: max(0, room - 1)] + "…"
            return Text.assemble(left, " " * max(1, width - len(left) - len(right)), (right, "bold"))
        return Text(left if len(left) <= width else left[: max(0, width - 1)] + "…")
