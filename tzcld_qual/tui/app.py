"""``tzcld-qual review``: the analyst's workspace for reviewing and correcting the coding.

One mode per screen (transcript, documents, queue, stats, themes, chat); app-wide actions
(undo, search, filter, queue, retrain, chat) live here. Nothing heavy is imported: the project
is read by ``services.review`` in thread workers, the codebook is parsed once the first screen is
drawn, and retraining and chat import their engines inside their workers.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from tzcld_qual.errors import Text, TzcldError
from tzcld_qual.model import Codebook
from tzcld_qual.services.review import ReviewSession, create_project, remember_coder, validate_coder
from tzcld_qual.services.review_views import QueueItem, QueueOrder, ReviewFilter
from tzcld_qual.tui.actions import ACTIONS, APP, SCOPE_MODES, Action, bindings, key_display, keymap
from tzcld_qual.tui.commands import ActionCommands
from tzcld_qual.tui.screens.chat import ChatScreen
from tzcld_qual.tui.screens.dialogs import CoderDialog, ConfirmDialog
from tzcld_qual.tui.screens.documents import DocumentsScreen
from tzcld_qual.tui.screens.filter import FilterDialog
from tzcld_qual.tui.screens.help import HelpScreen
from tzcld_qual.tui.screens.queue import QueueScreen
from tzcld_qual.tui.screens.search import SearchDialog
from tzcld_qual.tui.screens.stats import StatsScreen
from tzcld_qual.tui.screens.themes import ThemesScreen
from tzcld_qual.tui.screens.transcript import TranscriptScreen
from tzcld_qual.tui.widgets.chat import ChatPane, describe_action
from tzcld_qual.tui.workspace import ATTRIBUTE_LABELS, Workspace, reported


class ReviewApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "tzcld-qual"
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        "review": TranscriptScreen,
        "documents": DocumentsScreen,
        "queue": QueueScreen,
        "stats": StatsScreen,
        "themes": ThemesScreen,
        "chat": ChatScreen,
    }
    BINDINGS = bindings(APP)
    COMMANDS = App.COMMANDS | {ActionCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 (Textual's own declaration)

    activity: reactive[str] = reactive("")
    """What runs in the background (retraining…), shown on every screen's top bar."""

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own palette commands, in French (theirs are English)."""
        yield SystemCommand("Thème", "Changer le thème de couleurs", self.action_change_theme)
        yield SystemCommand("Quitter", "Quitter l'application (les décisions sont déjà enregistrées)", self.action_quit)
        if screen.query("HelpPanel"):
            yield SystemCommand("Touches", "Masquer le panneau d'aide des touches", self.action_hide_help_panel)
        else:
            yield SystemCommand("Touches", "Afficher les touches disponibles ici", self.action_show_help_panel)
        if screen.maximized is not None:
            yield SystemCommand("Réduire", "Rendre au panneau agrandi sa taille normale", screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand("Agrandir", "Agrandir le panneau actif", screen.action_maximize)
        yield SystemCommand(
            "Capture d'écran",
            "Enregistrer l'écran en SVG",
            lambda: self.set_timer(0.1, self.deliver_screenshot),
        )

    def action_command_palette(self) -> None:
        """The command palette, with a French prompt."""
        from textual.command import CommandPalette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(CommandPalette(placeholder="Chercher une commande…", id="--command-palette"))

    def __init__(
        self,
        project: Path,
        coder: str | None = None,
        *,
        keys: Mapping[str, str] | None = None,
        create: bool = False,
        config_path: Path | None = None,
        blind: bool = False,
    ) -> None:
        super().__init__()
        self.workspace = Workspace(Path(project), coder or "", blind=blind)
        self.overrides, self.key_warnings = keymap(keys or {})
        self.create = create
        self.config_path = config_path
        self._codebook_requested = False
        self._previous_mode = "review"

    def get_key_display(self, binding: Binding) -> str:
        """Keys in the footer as the help names them ("échap", "entrée"), not Textual's English."""
        return key_display(binding.key) or super().get_key_display(binding)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """App-wide keys wait while a dialog is open (its own keys and typing come first)."""
        return not (action in _APP_ACTIONS and isinstance(self.screen, ModalScreen))

    # -- start ----------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.set_keymap(self.overrides)
        for warning in self.key_warnings:
            self.notify(warning, severity="warning", timeout=10)
        self._begin()

    @work(group="startup", exit_on_error=False)
    async def _begin(self) -> None:
        ws = self.workspace
        if self.create:
            question = Text(
                "Le projet {p} n'existe pas. Le créer avec le codebook TZCLD ?",
                "Project {p} does not exist. Create it with the TZCLD codebook?",
            ).render(p=ws.project)
            if not await self.push_screen_wait(ConfirmDialog(question)):
                self.exit(return_code=1, message="tzcld-qual: projet non créé.")
                return
            try:
                await asyncio.to_thread(create_project, ws.project)
            except TzcldError as error:
                self.exit(return_code=1, message=f"tzcld-qual: {error.message}")
                return
            self.notify(Text("Projet créé : {p}", "Project created: {p}").render(p=ws.project))
        while not ws.coder:
            name = await self.push_screen_wait(CoderDialog())
            if name is None:
                self.exit(return_code=1, message="tzcld-qual: aucun nom de codeur ; relancez avec --coder NOM.")
                return
            try:
                ws.coder = await asyncio.to_thread(self._adopt_coder, name)
            except TzcldError as error:
                self.notify(error.message, severity="error")
        await self.switch_mode("review")

    def _adopt_coder(self, name: str) -> str:
        name = validate_coder(name, self.workspace.project)
        remember_coder(name, self.config_path)
        return name

    def load_codebook(self) -> None:
        """Parse the codebook once, after the first screen is drawn (colours, labels, picker)."""
        if not self._codebook_requested:
            self._codebook_requested = True
            self._load_codebook()

    @work(thread=True, group="codebook", exit_on_error=False)
    def _load_codebook(self) -> None:
        ws = self.workspace
        with reported(self), ReviewSession(ws.project, ws.coder, blind=ws.blind) as session:
            codebook = session.codebook()
            self.call_from_thread(self._codebook_loaded, codebook)

    def _codebook_loaded(self, codebook: Codebook) -> None:
        self.workspace.codebook = codebook
        for screen in self._mode_screens():
            if hasattr(screen, "codebook_loaded"):
                screen.codebook_loaded()

    def _mode_screens(self) -> list[Screen[Any]]:
        """The screen of each mode opened so far."""
        out = []
        for mode in self.MODES:
            try:
                stack = self.get_screen_stack(mode)
            except KeyError:
                continue
            out += stack[:1]
        return out

    # -- moving around --------------------------------------------------------------------
    async def action_show(self, mode: str) -> None:
        if self.workspace.coder and mode in self.MODES:
            await self.switch_mode(mode)

    async def _review(self) -> TranscriptScreen:
        if self.current_mode != "review":
            await self.switch_mode("review")
        screen = self.get_screen_stack("review")[0]
        assert isinstance(screen, TranscriptScreen)
        return screen

    def open_segment(self, segment_id: int, hint: QueueItem | None = None) -> None:
        """Show a segment in the transcript (from the queue, search, chat, anywhere)."""
        self.run_worker(self._open_segment(int(segment_id), hint), group="open")

    async def _open_segment(self, segment_id: int, hint: QueueItem | None = None) -> None:
        (await self._review()).show_segment(segment_id, hint=hint)

    def action_open_segment(self, segment_id: int) -> None:
        self.open_segment(segment_id)

    def open_document(self, document_id: int) -> None:
        self.run_worker(self._open_document(int(document_id)), group="open")

    async def _open_document(self, document_id: int) -> None:
        (await self._review()).show_document(document_id)

    async def action_toggle_chat(self) -> None:
        if self.current_mode == "chat":
            await self.switch_mode(self._previous_mode)
        elif self.workspace.blind:  # its counts and quotes show the model's suggestions and others' decisions
            self.notify(
                "Mode aveugle : le chat reste fermé, ses réponses montreraient les suggestions du modèle et les "
                "décisions des autres codeurs. Relancez la revue sans --blind pour l'utiliser.",
                title="Chat fermé",
                timeout=8,
            )
        elif self.workspace.coder:
            self._previous_mode = self.current_mode if self.current_mode in self.MODES else "review"
            await self.switch_mode("chat")

    async def run_registry_action(self, action: Action) -> None:
        """Run a registry action from the palette, on the screen it belongs to."""
        if action.scope == APP:
            await self.run_action(action.action)
            return
        mode = SCOPE_MODES[action.scope]
        if self.current_mode != mode:
            await self.switch_mode(mode)
        await self.run_action(action.action, self.get_screen_stack(mode)[0])

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.overrides))

    # -- app-wide actions -----------------------------------------------------------------
    async def action_undo(self) -> None:
        (await self._review()).submit(lambda s: s.undo(), jump=True)

    async def action_redo(self) -> None:
        (await self._review()).submit(lambda s: s.redo(), jump=True)

    def action_search(self) -> None:
        def found(segment_id: int | None) -> None:
            if segment_id:
                self.open_segment(segment_id)

        self.push_screen(SearchDialog(), found)

    def action_filter(self) -> None:
        def chosen(flt: ReviewFilter | None) -> None:
            if flt is not None:
                self.set_filter(flt)

        self.push_screen(FilterDialog(self.workspace.filter, self.workspace.codebook), chosen)

    def set_filter(self, flt: ReviewFilter) -> None:
        ws = self.workspace
        ws.filter, ws.queue, ws.queue_position = flt.with_codebook(ws.codebook), None, -1
        self.notify(f"filtre : {flt.describe(ATTRIBUTE_LABELS)}" if flt.active else "filtre effacé", timeout=3)
        if hasattr(self.screen, "filter_changed"):
            self.screen.filter_changed()

    def action_next_in_queue(self) -> None:
        if self.workspace.queue is None:
            self._build_queue()
        else:
            self.run_worker(self._advance())

    @work(thread=True, exclusive=True, group="queue", exit_on_error=False)
    def _build_queue(self) -> None:
        ws = self.workspace
        with reported(self), ReviewSession(ws.project, ws.coder, blind=ws.blind) as session:
            queue = session.queue(ws.filter)
            self.call_from_thread(self._queue_built, queue)  # type: ignore[arg-type]  # awaited by Textual

    async def _queue_built(self, queue: Any) -> None:
        ws = self.workspace
        ws.queue, ws.queue_position = queue, -1
        ws.decided.clear()
        await self._advance()

    async def _advance(self) -> None:
        ws = self.workspace
        assert ws.queue is not None
        review = await self._review()
        here = review.current.segment.id if review.current else None
        items = ws.queue.items
        i = ws.queue_position + 1
        while i < len(items) and (items[i].segment_id in ws.decided or items[i].segment_id == here):
            i += 1
        if i >= len(items):
            ws.queue = None
            if items:
                empty = "File terminée : R pour réentraîner, puis n pour une nouvelle file."
            elif ws.blind:  # the queue ranks the model's doubts, which blind coding does not see
                empty = "Mode aveugle : pas de file d'incertitude (elle vient du modèle) ; j / k pour avancer."
            else:
                empty = "File vide (rien d'incertain à revoir avec ce filtre)."
            self.notify(empty, timeout=6)
            return
        ws.queue_position = i
        item = items[i]
        review.show_segment(item.segment_id, hint=item)
        left = ws.queue.left(ws.decided)  # as Documents counts them: a rank grew as segments were decided
        review.flash(f"file : {left} à revoir · {item.code_id} {item.score:.2f} (seuil {item.threshold:.2f})")

    def action_refresh(self) -> None:
        ws = self.workspace
        ws.revision += 1
        ws.queue = None
        if self._codebook_requested:  # a theme made a code (or undone) changed it
            self._load_codebook()
        for screen in self._mode_screens():
            if screen is self.screen and hasattr(screen, "reload"):
                screen.reload()
        self.notify("projet relu", timeout=2)

    def action_retrain(self) -> None:
        if self.activity:
            self.notify("Un réentraînement est déjà en cours.", severity="warning")
            return
        self.activity = "réentraînement…"
        self._retrain()

    @work(thread=True, exclusive=True, group="retrain", exit_on_error=False)
    def _retrain(self) -> None:
        message = None
        try:
            with reported(self):
                if importlib.util.find_spec("tzcld_qual.services.coding") is None or not hasattr(
                    importlib.import_module("tzcld_qual.services.coding"), "retrain"
                ):
                    self.call_from_thread(
                        self.notify,
                        "Le réentraînement (services.coding.retrain) n'est pas encore disponible dans cette version.",
                        severity="warning",
                        timeout=8,
                    )
                    return
                retrain = importlib.import_module("tzcld_qual.services.coding").retrain

                def progress(step: str, fraction: float) -> None:
                    self.call_from_thread(setattr, self, "activity", f"réentraînement : {step} {fraction:.0%}")

                result = retrain(self.workspace.project, progress=progress)
                message = retrain_summary(result)
        finally:
            self.call_from_thread(self._retrained, message)

    def _retrained(self, message: str | None) -> None:
        self.activity = ""
        if message:
            self.notify(message, title="Modèle réentraîné", timeout=10)
            self.action_refresh()

    def on_chat_pane_action_requested(self, message: ChatPane.ActionRequested) -> None:
        self.run_worker(self._chat_action(message.kind, message.params, message.action, message.pane))

    async def _chat_action(self, kind: str, params: dict[str, Any], action: Any, pane: ChatPane | None) -> None:
        """Do what a chat answer proposes; what changes the project is asked first."""
        if kind == "open_queue":
            ws = self.workspace
            ws.filter = ReviewFilter.from_params(params, ws.attribute_names).with_codebook(ws.codebook)
            ws.queue = None
            await self.switch_mode("queue")
            screen = self.screen
            if isinstance(screen, QueueScreen):
                screen.order = QueueOrder.DIVERSE if params.get("order") == "diverse" else QueueOrder.UNCERTAIN
                screen.reload()
        elif kind == "open_segment" and params.get("segment_id") is not None:
            await self._open_segment(int(params["segment_id"]))
        elif kind == "refresh":
            self.action_refresh()
        elif kind == "retrain":
            if await self.push_screen_wait(ConfirmDialog("Réentraîner le modèle sur les décisions enregistrées ?")):
                self.action_retrain()
        elif pane is not None and action is not None:
            question = f"Confirmer : {describe_action(kind, params)} ?"
            if await self.push_screen_wait(ConfirmDialog(question)):
                pane.perform(action)
            else:
                pane.declined()


_APP_ACTIONS = frozenset(a.action.split("(", 1)[0] for a in ACTIONS if a.scope == APP and a.id not in ("quit", "help"))


def retrain_summary(result: Any) -> str:
    rescored = f"{getattr(result, 'rescored', 0)} segments re-notés"
    if not getattr(result, "new_model", True):
        return f"modèle inchangé ({result.model}) : mêmes décisions qu'à son entraînement · {rescored}"
    before, after = getattr(result, "dev_before", None), getattr(result, "dev_after", None)
    score = ""
    if after is not None:
        score = f" · dev {before:.2f} → {after:.2f}" if before is not None else f" · dev {after:.2f}"
    review = getattr(result, "previous_review", None)
    if review is not None and review.share is not None:
        score += f" · suggestions précédentes acceptées à {100 * review.share:.0f} % ({review.reviewed} jugées)"
    conflicts = getattr(result, "disagreements", 0)
    if conflicts:
        score += f" · {conflicts} désaccords entre analystes non appris"
    why = getattr(result, "why", ())
    because = f" ({' ; '.join(why)})" if why else ""  # an encoder or codebook change, not only decisions
    return f"nouveau modèle {result.model}{because}{score} · {rescored}"
