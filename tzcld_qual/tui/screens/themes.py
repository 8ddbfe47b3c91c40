"""Emerging themes computed by ``tzcld-qual topics``: keyphrases, size, quotes, nearest code."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tzcld_qual.services.review import ReviewSession
from tzcld_qual.tui.actions import THEMES, bindings
from tzcld_qual.tui.widgets.topbar import TopBar
from tzcld_qual.tui.workspace import reported, workspace

NONE_YET = "aucun thème calculé : lancez « {command} » (dans un autre terminal), puis rouvrez E"
# as the chat says it (its answers would show the model's suggestions): each theme names its
# nearest code, read from the model's least sure segments
BLIND = (
    "Mode aveugle : les thèmes restent fermés, ils montreraient les suggestions du modèle (le code le "
    "plus proche de chaque thème). Relancez la revue sans --blind pour les voir."
)
QUOTES = 3  # per theme, as many as fit a screen of themes; the CLI prints five
QUOTE_WIDTH = 200


def render_topics(run: Any, command: str = "tzcld-qual topics PROJET") -> RenderableType:
    """A topic run (``topics.result.TopicRun``) as text; ``None`` or no topic gives the hint,
    ``command`` (the one that computes themes).

    Each theme says its verdict (covered by the codebook, not covered, a phase of the interviews)
    as the CLI and the report do, and its quotes as the CLI cites them, cut at a word."""
    topics = list(getattr(run, "topics", None) or [])
    if not topics:
        return Text(NONE_YET.format(command=command), style="dim")
    parts: list[RenderableType] = [
        Text(f"{run.id} · {run.segments} segments regroupés · {run.outliers} hors thème", style="dim")
    ]
    styles = {"uncovered": "bold", "covered": "dim", "phase": "dim", "unknown": ""}
    for topic in topics:
        promoted = f" · devenu {topic.promoted_code}" if getattr(topic, "promoted_code", None) else ""
        parts.append(Text(""))
        parts.append(
            Text.assemble((f"{topic.id}. {topic.label}", "bold"), (f"  {topic.size} segments{promoted}", "dim"))
        )
        lines = [Text(run.verdict_text(topic), style=styles.get(run.verdict(topic), ""))]
        if topic.keyphrases:
            lines.append(Text("mots-clés : " + ", ".join(topic.keyphrases[:8])))
        lines += [Text(f"« {quote.excerpt(QUOTE_WIDTH)} » {quote.citation}", style="italic dim")
                  for quote in list(topic.quotes)[:QUOTES]]
        parts.extend(Padding(line, (0, 0, 0, 3)) for line in lines)  # wrapped lines keep the indent
    parts.append(Text(""))
    parts.extend(Text(f"Règle — {rule}", style="dim") for rule in run.rules())
    return Group(*parts)


class ThemesScreen(Screen[None]):
    BINDINGS = bindings(THEMES)

    def __init__(self) -> None:
        super().__init__()
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with VerticalScroll(id="themes-scroll"):
            yield Static("chargement…", id="themes-body")
        yield Footer(compact=True, show_command_palette=False)

    def on_screen_resume(self) -> None:
        self.query_one(TopBar).place = f"Thèmes émergents · {workspace(self).project.name}"
        self.reload()

    def reload(self) -> None:
        if workspace(self).blind:
            self.query_one("#themes-body", Static).update(Text(BLIND, style="dim"))
            self.loaded = True
        else:
            self._load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        ws = workspace(self)
        with reported(self), ReviewSession(ws.project, ws.coder, blind=ws.blind) as session:
            run = session.topics()
            self.app.call_from_thread(self._fill, run)

    def _fill(self, run: Any) -> None:
        self.query_one("#themes-body", Static).update(render_topics(run, workspace(self).command("topics")))
        self.loaded = True
