"""The UI state the screens share (owned by the app instance, never global)."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tzcld_qual.attribute_labels import ATTRIBUTE_LABELS as BILINGUAL_LABELS
from tzcld_qual.crashlog import log_current_exception
from tzcld_qual.errors import Text, TzcldError
from tzcld_qual.services.review_views import Queue, ReviewFilter

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from tzcld_qual.model import Codebook


# column headings, filter choices, the top bar: the chat's French names, one table for both
ATTRIBUTE_LABELS = {name: french for name, (french, _english) in BILINGUAL_LABELS.items()}
BLIND_MODEL = "modèle masqué en double codage aveugle"


@dataclass
class Workspace:
    project: Path
    coder: str = ""
    blind: bool = False  # double-coding: other coders' decisions and the model's suggestions hidden
    codebook: Codebook | None = None
    model: str | None = None
    filter: ReviewFilter = field(default_factory=ReviewFilter)
    queue: Queue | None = None
    queue_position: int = -1
    # segments decided on since the queue was built: whether it still ranks them (an undo, another
    # suggestion still pending under « en attente »…); the queue's count, Queue.left, reads it
    decided: dict[int, bool] = field(default_factory=dict)
    revision: int = 0  # bumped when the project changed under the screens (retrain, refresh)
    attribute_names: tuple[str, ...] = ()

    def top_code(self, n: int) -> str:
        """The n-th top-level code (1-based) of the codebook, ``F<n>`` until it is loaded."""
        tops = self.codebook.top_ids if self.codebook else ()
        return tops[n - 1] if 0 < n <= len(tops) else f"F{n}"

    def color(self, code_id: str) -> str | None:
        if self.codebook is None:
            return None
        code = self.codebook.get(code_id) or self.codebook.get(self.codebook.roll_up(code_id))
        return code.color if code else None

    def command(self, verb: str) -> str:
        """``tzcld-qual VERB PROJECT`` with the project as the analyst gave it (quoted for the
        shell), as the undo hint gives it: « p1.tzq » alone failed from another directory."""
        return f"tzcld-qual {verb} {self.project_arg}"

    @property
    def project_arg(self) -> str:
        return shlex.quote(str(self.project))

    def model_name(self, model: str | None) -> str:
        """The model for a top bar: hidden in blind double-coding, where « sans modèle » was untrue."""
        return BLIND_MODEL if self.blind else model or "sans modèle"

    def label(self, code_id: str) -> str:
        code = self.codebook.get(code_id) if self.codebook else None
        return code.label if code else ""


def workspace(node: DOMNode) -> Workspace:
    """The workspace of the app a widget or screen belongs to."""
    return node.app.workspace  # type: ignore[attr-defined]


@contextmanager
def reported(node: DOMNode) -> Iterator[None]:
    """Run a worker body; a user error becomes a notification, a bug a pointer to the log.

    For thread workers: notifications go through ``call_from_thread``.
    """
    try:
        yield
    except TzcldError as error:
        node.app.call_from_thread(node.app.notify, error.message, severity="error", timeout=10)
    except Exception:
        where = log_current_exception()
        node.app.call_from_thread(
            node.app.notify,
            Text("erreur inattendue (bogue) ; détails dans {log}", "unexpected error (bug); details in {log}").render(
                log=where
            ),
            severity="error",
            timeout=15,
        )

