"""The chat pane as a screen of its own (``:`` or ctrl+t toggles it, échap goes back)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from tzcld_qual.tui.actions import CHAT, bindings
from tzcld_qual.tui.widgets.chat import ChatPane
from tzcld_qual.tui.widgets.topbar import TopBar
from tzcld_qual.tui.workspace import workspace


class ChatScreen(Screen[None]):
    SCOPE = CHAT
    BINDINGS = bindings(CHAT)

    def compose(self) -> ComposeResult:
        ws = workspace(self)
        yield TopBar(id="topbar")
        yield ChatPane(ws.project, ws.coder, id="chat")
        yield Footer(compact=True, show_command_palette=False)

    def on_screen_resume(self) -> None:
        ws = workspace(self)
        self.query_one(TopBar).set_place(["Questions au corpus", ws.project.name, ws.coder], spare=1)
        self.query_one(ChatPane).focus_input()

    async def action_leave(self) -> None:
        await self.app.action_toggle_chat()  # type: ignore[attr-defined]
