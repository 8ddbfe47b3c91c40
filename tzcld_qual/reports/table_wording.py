"""The tables in French for the Excel workbook, which people read; the CSV files keep the machine names.

The CSV columns (``status``, ``n:<value>``, ``(missing)``…) are what R and pandas scripts select, so
they stay as :mod:`~tzcld_qual.reports.tables` documents them; the workbook shows the same cells with
French headers, values and sheet titles, and a first sheet that says what was counted.
"""

from __future__ import annotations

from collections.abc import Sequence

from tzcld_qual.attribute_labels import attribute_label
from tzcld_qual.model import Status
from tzcld_qual.reports.tables import ATTRIBUTE_PREFIX, MISSING, Table

README_SHEET = "À lire"
MISSING_FR = "(non renseigné)"
HEADERS = {
    "document": "Entretien",
    "segment_id": "Segment",
    "position": "Position",
    "speaker": "Locuteur",
    "speaker_role": "Rôle du locuteur",
    "start": "Début",
    "end": "Fin",
    "code": "Code",
    "top_code": "Enseignement",
    "code_label": "Libellé du code",
    "status": "Statut",
    "origin": "Codé par",
    "coder_kind": "Type de codeur",
    "confidence": "Confiance",
    "explanation": "Explication",
    "created_at": "Créé le",
    "updated_at": "Modifié le",
    "text": "Texte",
    "label": "Libellé",
    "level": "Niveau",
    "total": "Total",
}
VALUES = {
    "status": {s.value: s.label for s in Status},
    "coder_kind": {"human": "analyste", "model": "modèle"},
    "speaker_role": {"respondent": "personne interrogée", "interviewer": "enquêteur·rice"},
    "level": {"top": "enseignement", "sub": "sous-code", "total": "total"},
}
WITH_SUGGESTIONS = " + sugg."  # sheet titles have 31 characters at most


def counting(suggestions: str) -> str:
    """What the count sheets count, said once in the workbook's properties and its first sheet."""
    if suggestions:
        return (
            f"codes validés par un·e analyste ET suggestions non tranchées du modèle {suggestions} "
            "(export --include-suggestions)"
        )
    return "codes validés par un·e analyste seulement (sans les suggestions du modèle)"


def sheet_title(table: Table) -> str:
    """« Codages », « Code × territoire + sugg. »: a French title, marked when it counts suggestions."""
    name = table.name
    if name == "codings":
        title = "Codages"
    elif name == "matrix_code_document":
        title = "Code × entretien"
    elif name == "cooccurrence":
        title = "Cooccurrences"
    elif name.startswith("crosstab_code_"):
        title = f"Code × {attribute_label(name.removeprefix('crosstab_code_'), 'fr')}"
    else:
        title = name
    if not table.suggestions:
        return title
    return title[: 31 - len(WITH_SUGGESTIONS)] + WITH_SUGGESTIONS


def headers(table: Table) -> list[str]:
    out = []
    for header in table.headers:
        if header.startswith(ATTRIBUTE_PREFIX) and table.name == "codings":
            out.append(attribute_label(header.removeprefix(ATTRIBUTE_PREFIX), "fr"))
        elif header.startswith(("n:", "share:")) and table.name.startswith("crosstab_code_"):
            kind, value = header.split(":", 1)
            value = MISSING_FR if value == MISSING else value
            out.append(f"{value} (segments)" if kind == "n" else f"{value} (part)")
        elif table.name in ("matrix_code_document", "cooccurrence") and header not in HEADERS:
            out.append(header)  # a document's name or a code
        else:
            out.append(HEADERS.get(header, header))
    return out


def row(table: Table, values: Sequence[object]) -> list[object]:
    """The row with its coded values (status, coder kind, role, level) in French words."""
    return [
        VALUES.get(header, {}).get(value, value) if isinstance(value, str) else value
        for header, value in zip(table.headers, values, strict=True)
    ]


def readme_rows(tables: Sequence[Table]) -> list[tuple[str, str]]:
    """The first sheet: what was counted, then one line per sheet."""
    suggestions = next((t.suggestions for t in tables if t.suggestions), "")
    rows = [
        ("Comptage", counting(suggestions)),
        (
            "Unité",
            "le segment : un tour de parole d'une personne interrogée. Une ligne d'enseignement compte ses "
            "sous-codes ; la dernière ligne, « (segments) », donne les totaux.",
        ),
    ]
    for table in tables:
        rows.append((sheet_title(table), _about(table)))
    return rows


def _about(table: Table) -> str:
    if table.name == "codings":
        return "chaque décision d'analyste (rejets compris) et chaque suggestion de modèle, quel que soit le comptage"
    if table.name == "matrix_code_document":
        return "segments où le code est appliqué, par entretien"
    if table.name == "cooccurrence":
        return "segments où un·e même analyste applique les deux enseignements ; la diagonale : l'enseignement seul"
    return "segments où le code est appliqué, et leur part, par valeur de l'attribut"
