"""What the interviews' attributes are called in French and in English.

The chat's answers, the reports' tables and the review screen name « territory » « territoire »
alike; kept here, beside none of them, so that the reports need not import the chat engine for a
word.
"""

from __future__ import annotations

ATTRIBUTE_LABELS: dict[str, tuple[str, str]] = {
    "document": ("entretien", "interview"),
    "speaker": ("locuteur", "speaker"),
    "role": ("rôle", "role"),
    "territory": ("territoire", "territory"),
    "round": ("vague", "round"),
    "gender": ("genre", "gender"),
    "age_band": ("âge", "age"),
    "activity": ("activité", "activity"),
    "seniority_ebe": ("ancienneté à l'EBE", "seniority at the EBE"),
    "interview_type": ("type d'entretien", "interview type"),
    "ebe": ("EBE", "EBE"),
    "structure": ("structure", "organisation"),
    "function": ("fonction", "function"),
    "mandate": ("mandat", "mandate"),
}


def attribute_label(attribute: str, lang: str) -> str:
    """The attribute's name in ``lang`` (``"en"``, else French); an unknown one as it is."""
    labels = ATTRIBUTE_LABELS.get(attribute)
    return (labels[1] if lang == "en" else labels[0]) if labels else attribute
