"""Every key, as configured (``config.keys`` applied), grouped by where it works."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tzcld_qual.tui.actions import ACTIONS, APP, CHAT, DOCUMENTS, QUEUE, REVIEW, STATS, THEMES, key_names, keys_of

SCOPES = {
    REVIEW: "Transcription",
    APP: "Partout",
    DOCUMENTS: "Documents",
    QUEUE: "File",
    STATS: "Statistiques",
    THEMES: "Thèmes émergents",
    CHAT: "Chat",
}

# Keys of a widget rather than of a screen (not remappable): the chat's input keeps the focus.
PANE_KEYS = {
    THEMES: (
        (key_names("up,down,pageup,pagedown"), "faire défiler les thèmes"),
        (key_names("home,end"), "aller en haut, en bas de la liste"),
        ("", "calculer ou recalculer : tzcld-qual topics PROJET dans un autre terminal, puis E"),
        ("", "promouvoir le thème N en code : tzcld-qual topics promote PROJET N, ou « crée un code à partir "
             "du thème N » dans le chat"),
    ),
    CHAT: (
        ("numéro entrée", "ouvrir la citation de ce numéro dans la dernière réponse (2 puis entrée)"),
        (key_names("pageup,pagedown"), "remonter / descendre le fil"),
        (key_names("ctrl+home,ctrl+end"), "aller au début, à la fin du fil"),
    ),
}


def help_table(overrides: Mapping[str, str]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
    table.add_column("touches", style="bold", no_wrap=True)
    table.add_column("action", ratio=1)
    for scope, title in SCOPES.items():
        table.add_row(f"[u]{title}[/u]", "")
        for action in ACTIONS:
            if action.scope == scope:
                table.add_row(keys_of(action, overrides), action.help or action.description)
        for keys, what in PANE_KEYS.get(scope, ()):
            table.add_row(keys, what)
    table.add_row("ctrl+p", "palette de commandes (toutes les actions)")
    table.add_row("ctrl+q", "quitter (chaque décision est déjà enregistrée)")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,f1,q", "dismiss(None)", "fermer")]

    def __init__(self, overrides: Mapping[str, str]) -> None:
        super().__init__()
        self.overrides = overrides

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Label(
                "Aide — touches (modifiables dans config.toml, section [keys])", classes="dialog-title", markup=False
            )
            with VerticalScroll():
                yield Static(help_table(self.overrides))
            yield Label("échap : fermer", classes="dim")
