"""Every key of the review workspace, in one registry: id, default keys, description, footer flag.

Screens build their ``BINDINGS`` from here, the help screen and the command palette list it, and
``config.keys`` (``{action id: "key,key"}``) rebinds any entry through Textual's keymap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType

from tzcld_qual.errors import Text

APP = "app"  # everywhere
REVIEW = "review"  # the transcript screen
DOCUMENTS = "documents"
QUEUE = "queue"
STATS = "stats"
THEMES = "themes"
CHAT = "chat"


@dataclass(frozen=True, slots=True)
class Action:
    id: str  # the binding id, also the key in ``config.keys``
    keys: str  # Textual key names, comma separated
    action: str  # the Textual action run
    description: str
    footer: bool = False
    scope: str = APP
    help: str = ""


ACTIONS: tuple[Action, ...] = (
    Action("next", "j,down", "next", "segment suivant", scope=REVIEW),
    Action("previous", "k,up", "previous", "segment précédent", scope=REVIEW),
    Action(
        "accept", "a", "accept", "accepter", True, REVIEW, "accepter la suggestion la plus sûre (ou celle surlignée)"
    ),
    Action(
        "accept_all",
        "A",
        "accept_all",
        "tout accepter",
        scope=REVIEW,
        help="accepter toutes les suggestions du segment (une seule annulation)",
    ),
    Action(
        "reject", "x", "reject", "rejeter", True, REVIEW, "rejeter la suggestion la plus sûre (ou le code surligné)"
    ),
    *(
        Action(
            f"toggle_f{n}", str(n), f"toggle_top({n})", f"F{n} oui/non", scope=REVIEW, help=f"appliquer ou retirer F{n}"
        )
        for n in range(1, 9)
    ),
    Action(
        "no_code",
        "0",
        "no_code",
        "aucun code",
        scope=REVIEW,
        help="relu, aucun code ne s'applique (rejette les suggestions en attente ; 0 à nouveau pour retirer)",
    ),
    Action("pick_code", "c", "pick_code", "code…", True, REVIEW, "choisir un code ou un sous-code par recherche floue"),
    Action("memo", "m", "memo", "mémo", True, REVIEW, "mémo sur le segment ou le document"),
    Action(
        "next_chip",
        "right",
        "highlight(1)",
        "code suivant",
        scope=REVIEW,
        help="surligner le code suivant dans le panneau des codes",
    ),
    Action("previous_chip", "left", "highlight(-1)", "code précédent", scope=REVIEW),
    Action(
        "definition",
        "d",
        "toggle_definition",
        "définition",
        scope=REVIEW,
        help="afficher la définition du code surligné",
    ),
    Action(
        "panel_down",
        "pagedown,shift+down",
        "scroll_panel(1)",
        "descendre le panneau",
        scope=REVIEW,
        help="faire défiler le panneau des codes (définition, explication longues)",
    ),
    Action("panel_up", "pageup,shift+up", "scroll_panel(-1)", "remonter le panneau", scope=REVIEW),
    Action("undo", "u", "undo", "annuler", True, help="annuler la dernière décision (même d'une session passée)"),
    Action("redo", "ctrl+r", "redo", "rétablir"),
    Action("search", "slash", "search", "rechercher", help="rechercher un texte (ou un n° de segment) dans le projet"),
    Action("filter", "f", "filter", "filtre", help="filtrer par code, statut, confiance, attribut"),
    Action(
        "next_in_queue", "n", "next_in_queue", "suivant", True, help="segment suivant de la file d'apprentissage actif"
    ),
    Action("retrain", "R", "retrain", "réentraîner", help="réentraîner le modèle sur les décisions (en arrière-plan)"),
    Action("refresh", "r", "refresh", "recharger", help="relire le projet (après un codage en lot)"),
    Action("show_review", "T", "show('review')", "transcription"),
    Action("show_documents", "D", "show('documents')", "documents"),
    Action("show_queue", "Q", "show('queue')", "file"),
    Action("show_stats", "S", "show('stats')", "statistiques"),
    Action("show_themes", "E", "show('themes')", "thèmes émergents"),
    Action("chat", "colon,ctrl+t", "toggle_chat", "chat", True, help="poser une question au corpus"),
    Action("help", "question_mark,f1", "help", "aide", True),
    Action("quit", "q", "quit", "quitter"),
    Action("open", "enter", "open", "ouvrir", True, DOCUMENTS),
    Action("sort", "s", "sort", "trier", True, DOCUMENTS, "trier par la colonne suivante"),
    Action("open_item", "enter", "open", "ouvrir", True, QUEUE),
    Action("order", "o", "order", "ordre", True, QUEUE, "plus incertains d'abord / diversifié"),
    Action("next_attribute", "right", "attribute(1)", "attribut suivant", True, STATS),
    Action("previous_attribute", "left", "attribute(-1)", "attribut précédent", scope=STATS),
    Action("leave_chat", "escape", "leave", "retour", True, CHAT),
    *(  # every other screen goes back to the transcript with Escape, as the chat pane does (T works too)
        Action(f"back_{scope}", "escape", "app.show('review')", "retour", True, scope, "revenir à la transcription")
        for scope in (DOCUMENTS, QUEUE, STATS, THEMES)
    ),
)

SCOPE_MODES = {
    REVIEW: "review",
    DOCUMENTS: "documents",
    QUEUE: "queue",
    STATS: "stats",
    THEMES: "themes",
    CHAT: "chat",
}


def bindings(scope: str) -> list[BindingType]:
    return [Binding(a.keys, a.action, a.description, show=a.footer, id=a.id) for a in ACTIONS if a.scope == scope]


def keymap(overrides: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The keymap to install from ``config.keys``, and a warning per unknown action id."""
    known = {a.id for a in ACTIONS}
    warnings = [
        Text(
            "config [keys] : action inconnue « {id} » (voir l'aide, touche ?).",
            "config [keys]: unknown action « {id} » (see help, key ?).",
        ).render(id=k)
        for k in overrides
        if k not in known
    ]
    return {k: v for k, v in overrides.items() if k in known and v.strip()}, warnings


def keys_of(action: Action, overrides: Mapping[str, str]) -> str:
    """The keys an action answers to, as a person would type them."""
    return key_names(overrides.get(action.id) or action.keys)


def key_names(keys: str) -> str:
    """Textual key names ("pagedown,shift+down") as the help shows them ("pg.suiv maj+↓")."""
    return " ".join(_display(k.strip()) for k in keys.split(","))


# French names, as on an AZERTY keyboard, lower case as the rest of the help ("entrée", "ctrl+p")
_DISPLAY = {
    "question_mark": "?",
    "slash": "/",
    "colon": ":",
    "down": "↓",
    "up": "↑",
    "left": "←",
    "right": "→",
    "enter": "entrée",
    "escape": "échap",
    "space": "espace",
    "pagedown": "pg.suiv",
    "pageup": "pg.préc",
    "home": "début",
    "end": "fin",
    "shift": "maj",
}


def _display(key: str) -> str:
    """Each part of a combination: "ctrl+home" → "ctrl+début" ("+" alone is the plus key)."""
    if key == "+" or "+" not in key:
        return _DISPLAY.get(key, key)
    return "+".join(_DISPLAY.get(part, part) for part in key.split("+"))


def key_display(key: str) -> str | None:
    """A key as the help names it ("escape" → "échap"), for the footer; ``None``: Textual's own."""
    shown = _display(key)
    return shown if shown != key else None
