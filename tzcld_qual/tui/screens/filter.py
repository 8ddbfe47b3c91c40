"""The filter dialog: code, status, confidence range and one document attribute.

The same filter drives transcript navigation (j/k skip what it excludes), the queue and the
document list; it returns a new :class:`ReviewFilter`, or ``None`` when cancelled.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from tzcld_qual.model import Codebook, frozen_mapping
from tzcld_qual.services.review import ReviewSession
from tzcld_qual.services.review_views import ReviewFilter, ReviewStatus
from tzcld_qual.tui.widgets.choices import FOCUS, MarkedButton, MarkedSelect
from tzcld_qual.tui.workspace import ATTRIBUTE_LABELS, reported, workspace


class FilterDialog(ModalScreen[ReviewFilter | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "annuler"),
        Binding("ctrl+s", "apply", "appliquer"),
    ]

    def __init__(self, current: ReviewFilter, codebook: Codebook | None) -> None:
        super().__init__()
        self.current = current
        self.codebook = codebook

    def compose(self) -> ComposeResult:
        flt = self.current
        codes = [(f"{c.id} — {c.label}", c.id) for c in self.codebook.codes] if self.codebook else []
        if flt.code and flt.code not in {v for _l, v in codes}:
            codes.append((flt.code, flt.code))
        with Vertical(id="filter-dialog", classes="dialog wide"):
            yield Label("Filtre (transcription, file, documents)", classes="dialog-title")
            with Horizontal(classes="dialog-row"):
                yield _row_label("code")
                yield MarkedSelect(
                    codes, prompt="tous les codes", value=flt.code or Select.NULL, id="filter-code", compact=True
                )
            with Horizontal(classes="dialog-row"):
                yield _row_label("statut")
                yield MarkedSelect(
                    [(s.label, s.value) for s in ReviewStatus],
                    prompt="tous les statuts",
                    value=flt.status.value if flt.status else Select.NULL,
                    id="filter-status",
                    compact=True,
                )
            with Horizontal(classes="dialog-row"):
                yield _row_label("confiance")
                # Not type="number": it drops the French decimal comma, and "0,3" became 0.03.
                yield Input(
                    _number(flt.min_confidence), placeholder="de 0", id="filter-min", restrict=_DECIMAL, compact=True
                )
                yield Input(
                    _number(flt.max_confidence), placeholder="à 1", id="filter-max", restrict=_DECIMAL, compact=True
                )
            with Horizontal(classes="dialog-row"):
                yield _row_label("documents")
                yield MarkedSelect([], prompt="tous", id="filter-attribute", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield MarkedButton("Appliquer", variant="primary", id="apply", compact=True)
                yield MarkedButton("Effacer", id="clear", compact=True)
                yield MarkedButton("Annuler", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#filter-code", Select).focus()
        self._attributes()

    def on_descendant_focus(self) -> None:
        """``▸`` before the name of the row that has the keys: the field's own focus is a tint
        that NO_COLOR drops."""
        for row in self.query(".dialog-row"):
            label = row.query_one(".dialog-label", Label)
            label.update(_row_title(label.name or "", row.has_focus_within))

    @work(thread=True, exit_on_error=False)
    def _attributes(self) -> None:
        ws = workspace(self)
        with reported(self), ReviewSession(ws.project, ws.coder, blind=ws.blind) as session:
            values = session.attribute_values()
            self.app.call_from_thread(self._fill_attributes, values)

    def _fill_attributes(self, values: dict[str, list[str]]) -> None:
        # the usual attributes first; one with a value per interview (a date) filters nothing
        known = list(ATTRIBUTE_LABELS)
        names = sorted(
            (n for n, vals in values.items() if len(vals) <= MAX_ATTRIBUTE_VALUES),
            key=lambda n: (known.index(n) if n in known else len(known), n),
        )
        options = [
            (f"{ATTRIBUTE_LABELS.get(name, name)} = {value}", f"{name}\t{value}")
            for name in names
            for value in values[name]
        ]
        select = self.query_one("#filter-attribute", Select)
        select.set_options(options)
        if self.current.attributes:
            name, value = next(iter(self.current.attributes.items()))
            if (f"{name}\t{value}") in {v for _l, v in options}:
                select.value = f"{name}\t{value}"

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.action_apply()
        elif event.button.id == "clear":
            self.dismiss(ReviewFilter())
        else:
            self.dismiss(None)

    @on(Input.Submitted)
    def _enter(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        code = self.query_one("#filter-code", Select).value
        status = self.query_one("#filter-status", Select).value
        attribute = self.query_one("#filter-attribute", Select).value
        attributes = {}
        if isinstance(attribute, str) and "\t" in attribute:
            name, value = attribute.split("\t", 1)
            attributes[name] = value
        try:
            low = _parse(self.query_one("#filter-min", Input).value)
            high = _parse(self.query_one("#filter-max", Input).value)
        except ValueError:
            self.notify("Confiance : un nombre entre 0 et 1, par exemple 0.6.", severity="error")
            return
        self.dismiss(
            ReviewFilter(
                code=code if isinstance(code, str) else None,
                status=ReviewStatus(status) if isinstance(status, str) else None,
                min_confidence=low,
                max_confidence=high,
                attributes=frozen_mapping(attributes),
                document=self.current.document,
            )
        )


MAX_ATTRIBUTE_VALUES = 20
_DECIMAL = r"[0-9]*([.,][0-9]*)? ?%?"  # 0,6 · 0.6 · 60 % (what may be typed, as it is typed)


def _row_label(name: str) -> Label:
    return Label(_row_title(name, False), classes="dialog-label", name=name)


def _row_title(name: str, focused: bool) -> str:
    return f"{FOCUS if focused else ' '} {name}"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _parse(text: str) -> float | None:
    text = text.strip().replace(",", ".")
    percent = text.endswith("%")
    text = text.rstrip("%").strip()
    if not text:
        return None
    value = float(text)
    if percent or value > 1:  # 60 means 60 %
        value /= 100
    if not 0 <= value <= 1:
        raise ValueError(text)
    return value
