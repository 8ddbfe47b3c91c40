"""The chat pane: questions to the corpus, answers with their table and quotes, in a scrolling log.

The question runs in a thread worker (``services.chat.ask`` may embed and search for seconds);
the input is locked meanwhile and unlocked whatever happens, and a failure becomes a
notification, never a dead pane. An answer that proposes an action (open the queue on a code,
jump to a segment, retrain, refresh) is handed to the app as a :class:`ChatPane.ActionRequested`.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import re
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, LoadingIndicator, Static

from tzcld_qual.errors import Text as Msg
from tzcld_qual.tui.widgets.answer_table import AnswerTable
from tzcld_qual.tui.workspace import ATTRIBUTE_LABELS, reported

SERVICE = "tzcld_qual.services.chat"
MAX_QUOTES = 20  # "donne-moi 10 citations" shows (and opens) all ten
RECALLED = 5  # questions of earlier sessions shown when the pane opens
_CITATION = re.compile(r"#?\s*(\d{1,2})")
WELCOME = (
    "Posez une question au corpus, par exemple : « combien de segments F2 par territoire ? », "
    "« que disent les élus sur le CLE ? », « montre-moi les F4 les moins sûrs »."
)


class Bubble(Static):
    """One message of the log."""


class ChatPane(Widget):
    BINDINGS: ClassVar[list[BindingType]] = [  # the input keeps the focus: these scroll the log
        Binding("pageup", "scroll_log(-1)", "remonter le fil", show=False),
        Binding("pagedown", "scroll_log(1)", "descendre le fil", show=False),
        Binding("ctrl+home", "scroll_log(-1000)", "début du fil", show=False),
        Binding("ctrl+end", "scroll_log(1000)", "fin du fil", show=False),
    ]

    allow_input_submit: reactive[bool] = reactive(True)
    """False while an answer is being computed (the input is locked)."""

    class ActionRequested(Message):
        """An answer proposes something to do (``action`` is the engine's own object)."""

        def __init__(self, pane: ChatPane, kind: str, params: dict[str, Any], action: Any = None) -> None:
            super().__init__()
            self.pane = pane
            self.kind = kind
            self.params = params
            self.action = action

        @property
        def control(self) -> ChatPane:
            return self.pane

    class Answered(Message):
        """Posted after each answer is drawn (tests and the bench wait for it)."""

    def __init__(self, project: Path, coder: str | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.project = project
        self.coder = coder
        self.answers = 0
        self._engine: Any = None  # the engine's ChatSession, created in the worker on first use
        self._citations: dict[int, int] = {}  # the last answer's quotes that can be opened

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="chat-log") as log:
            log.can_focus = False
            yield Bubble(WELCOME, classes="hint")
        yield LoadingIndicator(id="chat-thinking")
        yield Input(placeholder="Votre question… (entrée pour envoyer)", id="chat-input")

    def on_mount(self) -> None:
        self.query_one("#chat-thinking").display = False
        self._recall()

    @work(thread=True, group="chat-history", exit_on_error=False)
    def _recall(self) -> None:
        """This analyst's last questions and answers (their text), so a relaunch does not open on an
        empty pane; read in a worker, the store being the service's. Another analyst's were shown
        too (« Je rejetterais … au nom de bob » in alice's pane), as if hers."""
        turns: list[Any] = []
        with reported(self):
            if importlib.util.find_spec(SERVICE) is not None:
                history = getattr(importlib.import_module(SERVICE), "history", None)
                turns = list(history(self.project, RECALLED, coder=self.coder)) if history else []
        if turns:
            self.app.call_from_thread(self._recalled, turns)  # type: ignore[arg-type]  # awaited by Textual

    async def _recalled(self, turns: list[Any]) -> None:
        log = self.query_one("#chat-log", VerticalScroll)
        last = "la dernière question posée" if len(turns) == 1 else f"les {len(turns)} dernières questions posées"
        bubbles = [Bubble(Text(f"Précédemment, {last} au projet :"), classes="hint")]
        for turn in turns:
            bubbles.append(Bubble(Text(str(turn.question)), classes="question past"))
            bubbles.append(Bubble(Text(str(turn.answer)), classes="answer past"))
        await log.mount_all(bubbles, after=log.children[0])  # under the welcome, above new questions
        if len(log.children) == len(bubbles) + 1:  # nothing asked yet: show the latest
            log.scroll_end(animate=False)

    def action_scroll_log(self, pages: int) -> None:
        log = self.query_one("#chat-log", VerticalScroll)
        if abs(pages) >= 1000:
            (log.scroll_end if pages > 0 else log.scroll_home)(animate=False)
            return
        step = max(1, log.scrollable_content_region.height - 1)
        log.scroll_to(y=max(0, log.scroll_y + pages * step), animate=False)

    def focus_input(self) -> None:
        self.query_one("#chat-input", Input).focus()

    def watch_allow_input_submit(self, allowed: bool) -> None:
        self.query_one("#chat-thinking").display = not allowed
        box = self.query_one("#chat-input", Input)
        box.placeholder = "Votre question… (entrée pour envoyer)" if allowed else "réponse en cours…"

    @on(Input.Submitted, "#chat-input")
    async def _submitted(self, event: Input.Submitted) -> None:
        question = event.value.strip()
        if not self.allow_input_submit or not question:
            return
        event.input.value = ""
        number = _CITATION.fullmatch(question)
        if number and int(number.group(1)) in self._citations:  # "3": open the last answer's quote 3
            await self.app.run_action(f"open_segment({self._citations[int(number.group(1))]})")
            return
        self.allow_input_submit = False
        await self._append(Bubble(Text(question), classes="question"))
        self._ask(question)

    async def _append(self, bubble: Bubble) -> None:
        log = self.query_one("#chat-log", VerticalScroll)
        await log.mount(bubble)
        log.scroll_end(animate=False)
        self.call_after_refresh(self._reveal, log, bubble)  # once wrapped: a scrollbar may add a line

    @staticmethod
    def _reveal(log: VerticalScroll, bubble: Bubble) -> None:
        """The end of the log; but an answer taller than the pane opens at its first line (its
        summary), not at the last row of a 50-row list."""
        if bubble.outer_size.height > log.scrollable_content_region.height:
            log.scroll_to_widget(bubble, animate=False, top=True)
        else:
            log.scroll_end(animate=False)

    def declined(self) -> None:
        """The analyst said no to an action: the log said « — à confirmer » and nothing more."""
        self.run_worker(self._append(Bubble(Text("Non confirmé : rien n'a été fait.", style="dim"), classes="answer")))

    def perform(self, action: Any) -> None:
        """Carry out an action the analyst confirmed (``services.chat.perform``); its answer is shown."""
        self.allow_input_submit = False
        self._run("perform", action)

    @work(thread=True, exclusive=True, group="chat", exit_on_error=False)
    def _ask(self, question: str) -> None:
        self._run_in_thread("ask", question)

    @work(thread=True, exclusive=True, group="chat", exit_on_error=False)
    def _run(self, name: str, argument: Any) -> None:
        self._run_in_thread(name, argument)

    def _run_in_thread(self, name: str, argument: Any) -> None:
        answer = None
        with reported(self):
            if importlib.util.find_spec(SERVICE) is None:
                self.app.call_from_thread(
                    self.app.notify,
                    Msg(
                        "le moteur de questions (tzcld_qual.services.chat) n'est pas encore installé.",
                        "the question engine (tzcld_qual.services.chat) is not installed yet.",
                    ).render(),
                    severity="warning",
                    timeout=8,
                )
            else:
                service = importlib.import_module(SERVICE)
                call = getattr(service, name)
                answer = call(self.project, argument, coder=self.coder, **self._session(service, call))
        self.app.call_from_thread(self._answered, answer)  # type: ignore[arg-type]  # awaited by Textual

    def _session(self, service: Any, call: Any) -> dict[str, Any]:
        """Keep the engine's session (loaded model, search index) from one question to the next."""
        if "session" not in inspect.signature(call).parameters or not hasattr(service, "ChatSession"):
            return {}
        if self._engine is None:
            self._engine = service.ChatSession()
        return {"session": self._engine}

    async def _answered(self, answer: Any) -> None:
        try:
            self._citations = {}  # a failed question: its numbers must not open the previous answer's quotes
            if answer is not None:
                await self._append(Bubble(render_answer(answer), classes="answer"))
                self._citations = citations(answer)
                action = getattr(answer, "action", None)
                if action is not None and getattr(action, "kind", None):
                    params = dict(getattr(action, "params", {}) or {})
                    self.post_message(self.ActionRequested(self, action.kind, params, action))
        finally:
            self.allow_input_submit = True
            self.answers += 1
            self.post_message(self.Answered())


def render_answer(answer: Any) -> RenderableType:
    """Text, then the table (first row = headers), then quotes; a quote with a segment is a link."""
    parts: list[RenderableType] = [Text(str(getattr(answer, "text", "")))]
    table = getattr(answer, "table", None)
    if table:
        parts.append(AnswerTable(table))
    said = str(getattr(answer, "text", ""))
    for n, quote in enumerate(shown_quotes(answer), start=1):
        where = " · ".join(str(x) for x in (getattr(quote, "document", ""), getattr(quote, "speaker", "")) if x)
        words = str(getattr(quote, "text", ""))
        if len(words) >= 20 and words in said:  # cited in full in the text: a link, not a second copy
            line = Text(f"{n}. {where}", style="dim")
        else:
            line = Text.assemble((f"{n}. « ", "dim"), (words, "italic"), (" »", "dim"))
            if where:
                line.append(f" — {where}", style="dim")
        segment = getattr(quote, "segment_id", None)
        if segment is not None:
            line.append(" [ouvrir]", style=Style(underline=True, meta={"@click": f"app.open_segment({int(segment)})"}))
        parts.append(line)
    if citations(answer):
        last = len(shown_quotes(answer))
        parts.append(Text(f"Tapez le numéro d'une citation (1–{last}) pour l'ouvrir.", style="dim"))
    action = getattr(answer, "action", None)
    if action is not None and getattr(action, "kind", None):
        confirm = " — à confirmer" if getattr(action, "needs_confirmation", False) else ""
        parts.append(
            Text(f"→ {describe_action(action.kind, getattr(action, 'params', {}) or {})}{confirm}", style="bold")
        )
    return Group(*parts)


def shown_quotes(answer: Any) -> list[Any]:
    """The quotes drawn under an answer, numbered from 1 in this order."""
    return list(getattr(answer, "quotes", None) or [])[:MAX_QUOTES]


def citations(answer: Any) -> dict[int, int]:
    """Number shown → segment id, for the quotes that can be opened (typed in the input: the
    keyboard's way to what [ouvrir] does with the mouse)."""
    return {
        n: int(quote.segment_id)
        for n, quote in enumerate(shown_quotes(answer), start=1)
        if getattr(quote, "segment_id", None) is not None
    }


def describe_action(kind: str, params: dict[str, Any]) -> str:
    """What an answer's action would do, in the analyst's words (it showed the raw parameters:
    « attributes = {'speaker': 'Nadia'}, segment_ids = [174, …] »)."""
    code = params.get("code")
    scope = params.get("attributes") or {}
    among = ", ".join(f"{ATTRIBUTE_LABELS.get(str(k), str(k))} = {v}" for k, v in scope.items())
    among = f" ({among})" if among else ""
    if kind == "open_queue":
        listed = len(params.get("segment_ids") or [])
        return f"ouverture de la file{' ' + str(code) if code else ''}{among}" + (
            f", {listed} segment(s) listé(s) en tête" if listed else ""
        )
    if kind in ("accept_batch", "reject_batch"):
        threshold = params.get("threshold")
        edge = params.get("edge")  # « au plus » ≤, « > » strict: as the chat's Bound says them
        sign = ("≤" if edge else "<") if params.get("below") else (">" if edge is False else "≥")
        above = f" avec une confiance {sign} {threshold:g}".replace(".", ",") if isinstance(threshold, float) else ""
        verb = "accepter" if kind == "accept_batch" else "rejeter"
        return f"{verb} {params.get('count', '?')} suggestion(s) {code} de {params.get('origin')}{above}{among}"
    if kind == "accept_segment":
        return f"accepter {', '.join(params.get('codes') or ())} sur le segment {params.get('segment_id')}"
    if kind == "reject_segment":
        rejected, removed = params.get("codes") or (), params.get("removed") or ()
        parts = ([f"rejeter {', '.join(rejected)}"] if rejected else []) + (
            [f"retirer {', '.join(removed)}"] if removed else []
        )
        return f"{' et '.join(parts)} sur le segment {params.get('segment_id')}"
    if kind == "code_segment":
        return f"coder le segment {params.get('segment_id')} en {code}"
    if kind == "open_segment":
        return f"ouverture du segment {params.get('segment_id')}"
    if kind == "promote_topic":
        parent = params.get("parent")
        return f"faire du thème {params.get('topic')} un " + (f"sous-code de {parent}" if parent else "code")
    return {"retrain": "réentraînement du modèle", "refresh": "rechargement"}.get(kind, kind)
