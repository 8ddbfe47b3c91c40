"""Test support for the review TUI: a small deterministic project and pilot helpers."""

from __future__ import annotations

import asyncio
import importlib.machinery
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tzcld_qual.model import Role, Suggestion
from tzcld_qual.services.projects import init_project
from tzcld_qual.store import NewRun, NewSegment
from tzcld_qual.tui.widgets.chat import SERVICE

INTERVIEWS = {
    "entretien-01.txt": (
        {"role": "salarié·e EBE", "territory": "Les Coteaux", "round": "vague 1"},
        [
            ("Enquêtrice", Role.INTERVIEWER, "Comment êtes-vous arrivée à l'entreprise à but d'emploi ?"),
            (
                "Martine",
                Role.RESPONDENT,
                "Par le comité local, on m'a appelée un jour, euh, je n'y croyais "
                "plus du tout après huit ans sans travail.",
            ),
            (
                "Martine",
                Role.RESPONDENT,
                "Au début j'ai fait la formation au tri, et puis la ressourcerie, voilà, j'ai repris confiance en moi.",
            ),
            (
                "Enquêtrice",
                Role.INTERVIEWER,
                "Et qu'est-ce qui a changé pour vous au quotidien, dans votre vie "
                "de famille, dans votre santé, dans vos relations avec les "
                "voisins et les anciens collègues ?",
            ),
            (
                "Martine",
                Role.RESPONDENT,
                "Je me lève le matin, j'ai des collègues, on rigole. Mon médecin dit "
                "que ça va mieux, franchement ça se voit même sur ma tension.",
            ),
            (
                "Martine",
                Role.RESPONDENT,
                "Et puis le salaire, même si c'est le SMIC, ça change tout pour les factures à la fin du mois.",
            ),
        ],
    ),
    "entretien-02.txt": (
        {"role": "élu·e", "territory": "Saint-Aubin", "round": "vague 2"},
        [
            ("Enquêteur", Role.INTERVIEWER, "Quel rôle a joué le comité local pour l'emploi ?"),
            (
                "M. Lefèvre",
                Role.RESPONDENT,
                "Tout le monde autour de la table : la mairie, France Travail, "
                "les associations, et les personnes concernées.",
            ),
            (
                "M. Lefèvre",
                Role.RESPONDENT,
                "Ça a changé notre regard : ces personnes qu'on disait inemployables travaillent tous les jours.",
            ),
            ("Enquêteur", Role.INTERVIEWER, "Et les activités ?"),
            (
                "M. Lefèvre",
                Role.RESPONDENT,
                "On a créé une recyclerie, du maraîchage, des services aux "
                "habitants qui n'existaient pas sur le territoire.",
            ),
        ],
    ),
}

# respondent segment (document, position) → scores of the model; suggestions are those ≥ threshold
SCORES = {
    ("entretien-01.txt", 1): {"F1": 0.62, "F2": 0.10, "F4": 0.48, "F5": 0.05},
    ("entretien-01.txt", 2): {"F3": 0.81, "F4": 0.52, "F1": 0.20},
    ("entretien-01.txt", 4): {"F4": 0.91, "F3": 0.44, "F5": 0.30},
    ("entretien-01.txt", 5): {"F5": 0.77, "F4": 0.15},
    ("entretien-02.txt", 1): {"F1": 0.95, "F6": 0.35},
    ("entretien-02.txt", 2): {"F2": 0.58, "F1": 0.49},
    ("entretien-02.txt", 4): {"F7": 0.88, "F8": 0.51},
}
THRESHOLDS = {"F1": 0.5, "F2": 0.5, "F3": 0.5, "F4": 0.45, "F5": 0.5, "F6": 0.5, "F7": 0.5, "F8": 0.5}
MODEL = "ensemble@1"


def build_project(path: Path) -> Path:
    """Create the project file at ``path`` (real SQLite, through the store API)."""
    store, version = init_project(path)
    with store:
        positions: dict[tuple[str, int], int] = {}
        with store.transaction():
            for name, (attributes, turns) in INTERVIEWS.items():
                text, segments, offset, turn, previous = "", [], 0, -1, None
                for speaker, role, speech in turns:
                    if speaker != previous:
                        turn, previous = turn + 1, speaker
                    start = offset
                    text += speech + "\n"
                    offset = len(text)
                    segments.append(NewSegment(turn, speaker, role, start, start + len(speech), speech))
                doc = store.documents.add(
                    name=name,
                    source_path=f"/corpus/{name}",
                    content_hash=name,
                    text=text,
                    attributes=attributes,
                    speakers={s: r.value for s, r, _ in turns},
                    source_format="txt",
                    segments=segments,
                )
                for seg in store.documents.segments(document_id=doc.id):
                    positions[(name, seg.position)] = seg.id
        run = store.runs.register(NewRun("ensemble", "fixture", version, {"thresholds": THRESHOLDS}))[0]
        assert run == MODEL
        scores = {positions[key]: values for key, values in SCORES.items()}
        suggestions = [
            Suggestion(seg, code, score, f"expression « {code.lower()} » · exemple proche")
            for seg, values in scores.items()
            for code, score in values.items()
            if score >= THRESHOLDS[code]
        ]
        store.codings.put_scores(run, scores, suggestions)
        store.set_meta("current_model", run)
    return path


def segment_id(path: Path, document: str, position: int) -> int:
    from tzcld_qual.store import ProjectStore

    with ProjectStore(path) as store:
        doc = store.documents.find(document)
        assert doc is not None
        return next(s.id for s in store.documents.segments(document_id=doc.id) if s.position == position)


async def settle(pilot: Pilot, timeout: float = 10.0) -> None:
    """Wait until every worker is done and every queued decision is applied and drawn."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(getattr(s, "_busy", False) or getattr(s, "_commands", None) for s in _screens(app))
        loading = not getattr(app.screen, "loaded", True)
        if not busy and not loading and not any(w.is_running for w in app.workers):
            await pilot.pause()
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the app did not settle")


def _screens(app: Any) -> list[Any]:
    return [s for stack in app._screen_stacks.values() for s in stack]


def still(pilot: Pilot) -> None:
    """No blinking cursors in snapshots."""
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False


# -- a stand-in for services.chat (the pane's contract) ---------------------------------------
@dataclass
class Quote:
    text: str
    document: str
    speaker: str
    segment_id: int | None


@dataclass
class Action:
    kind: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Answer:
    text: str
    table: list[list[str]] | None = None
    quotes: list[Quote] = field(default_factory=list)
    action: Action | None = None
    intent: str = "count"


def stub_service(monkeypatch: Any, ask: Any) -> list[tuple[Any, ...]]:
    """Stand in for ``services.chat`` (written by another engineer) with a recording ``ask``."""
    calls: list[tuple[Any, ...]] = []
    module = types.ModuleType(SERVICE)
    module.__spec__ = importlib.machinery.ModuleSpec(SERVICE, None)

    def recording(project: Path, question: str, *, coder: str | None = None) -> Answer:
        calls.append((project, question, coder))
        return ask(question)  # type: ignore[no-any-return]

    module.ask = recording  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, SERVICE, module)
    return calls
