"""Small modal dialogs that return a value: yes/no, the coder's name, a memo."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioSet, TextArea

from tzcld_qual.tui.widgets.choices import MarkedButton, MarkedRadioButton, MarkedRadioSet


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "non"),
        Binding("y,o", "answer(True)", "oui"),
    ]

    def __init__(self, question: str, yes: str = "Oui", no: str = "Non") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield MarkedButton(self.yes, variant="primary", id="yes")
                yield MarkedButton(self.no, id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class CoderDialog(ModalScreen[str | None]):
    """Asked once when no coder name is known; the name is then saved in the config file."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "annuler")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Qui code ? Votre nom (ou vos initiales) signe chaque décision.", classes="dialog-title")
            yield Input(placeholder="ex. : alice", id="coder")
            yield Label("Il sera enregistré dans votre configuration (clé coder).", classes="dim")

    def on_mount(self) -> None:
        self.query_one("#coder", Input).focus()

    @on(Input.Submitted, "#coder")
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())


class MemoDialog(ModalScreen[list[tuple[str, str]] | None]):
    """Edit the coder's memos on the segment and on the document; returns ``[(target, text)]``:
    the one shown, and the other one if it was edited before switching (it was dropped)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "annuler"),
        Binding("ctrl+s", "save", "enregistrer"),
    ]

    def __init__(self, segment_memo: str, document_memo: str, where: str) -> None:
        super().__init__()
        self.texts = {"segment": segment_memo, "document": document_memo}
        self.saved = dict(self.texts)
        self.target = "segment"
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(f"Mémo — {self.where}", classes="dialog-title")
            with MarkedRadioSet(id="memo-target"):
                yield MarkedRadioButton("sur le segment", value=True, id="segment")
                yield MarkedRadioButton("sur le document", id="document")
            yield TextArea(self.texts["segment"], id="memo-text", soft_wrap=True)
            yield Label("ctrl+s : enregistrer · échap : annuler", classes="dim")

    def on_mount(self) -> None:
        self.query_one("#memo-text", TextArea).focus()

    @on(RadioSet.Changed, "#memo-target")
    def _target(self, event: RadioSet.Changed) -> None:
        area = self.query_one("#memo-text", TextArea)
        self.texts[self.target] = area.text
        self.target = event.pressed.id or "segment"
        area.load_text(self.texts[self.target])

    def action_save(self) -> None:
        self.texts[self.target] = self.query_one("#memo-text", TextArea).text
        other = [(t, text) for t, text in self.texts.items() if t != self.target and text != self.saved[t]]
        self.dismiss([(self.target, self.texts[self.target]), *other])

    def action_cancel(self) -> None:
        """échap threw away what was typed without a word: asked first when something changed."""
        self.texts[self.target] = self.query_one("#memo-text", TextArea).text
        if self.texts == self.saved:
            self.dismiss(None)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("Abandonner le mémo modifié ?", "Abandonner", "Continuer"), answered)
