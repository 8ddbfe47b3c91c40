"""Supervised coder: one-vs-rest logistic regression on embeddings plus word TF-IDF, calibrated.

Trained on the codebook examples, the gold ``train`` split and every human decision of the project.
Each code gets its own model and its own sample weights (a weight of 0 means "label unknown"),
calibrated with Platt scaling by cross-validation. The explanation names the words that pushed
the score up and the closest accepted training segment.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np

from tzcld_qual.coders.base import Item, check_fitted, embeddings_of, weight_matrix

_FILLERS = frozenset(
    (
        "euh heu ben bah hein bon voilà voila quoi enfin alors donc genre ouais oui non mh hm le la les "
        "un une des de du d l à a au aux et ou où je j tu il elle on nous vous ils elles ce c ça ca qui "
        "que qu se s en y ne n pas plus est sont été être avoir ai as avait avais mon ma mes ton ta tes "
        "son sa ses leur leurs ce cet cette ces pour par sur dans avec comme mais si tout très bien fait "
        "faire m me moi te toi lui eux "
    ).split()
)


class _AccentFolding(dict[int, str]):
    """``str.translate`` table filled on first sight of each character: its decomposition
    without combining marks ("é" → "e", "œ" stays "œ")."""

    def __missing__(self, char: int) -> str:
        folded = "".join(c for c in unicodedata.normalize("NFD", chr(char)) if unicodedata.category(c) != "Mn")
        self[char] = folded
        return folded


_FOLDING = _AccentFolding()


def fold_accents(text: str) -> str:
    return text if text.isascii() else text.translate(_FOLDING)


def analyse(text: str) -> list[str]:
    """Lowercase, accent-folded word unigrams and bigrams without fillers and stop words."""
    words = [w for w in re.findall(r"[a-z]+", fold_accents(text.lower())) if len(w) > 1 and w not in _FILLERS]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


class SupervisedCoder:
    def __init__(
        self,
        codes: Sequence[str],
        *,
        features: str = "both",  # "embedding" | "tfidf" | "both"
        C: float = 1.0,
        tfidf_weight: float = 1.0,
        calibration_folds: int = 0,  # 0: no Platt step (the ensemble's stacker calibrates)
        random_state: int = 0,
    ) -> None:
        self.codes = codes
        self.features = features
        self.C = C
        self.tfidf_weight = tfidf_weight
        self.calibration_folds = calibration_folds
        self.random_state = random_state

    def _matrix(self, X: Sequence[Item], fit: bool = False) -> Any:
        from scipy import sparse

        blocks = []
        if self.features in ("embedding", "both"):
            blocks.append(sparse.csr_matrix(embeddings_of(X)))
        if self.features in ("tfidf", "both"):
            texts = [item.text for item in X]
            if fit:
                from sklearn.feature_extraction.text import TfidfVectorizer

                self.vectorizer_ = TfidfVectorizer(analyzer=analyse, min_df=2, sublinear_tf=True, max_features=30000)
                self.vectorizer_.fit(texts)
                self.feature_names_ = self.vectorizer_.get_feature_names_out()
            words = self.vectorizer_.transform(texts)
            if not fit:  # explanations of the items just scored reuse their rows
                self._rows = (words.tocsr(), {t: i for i, t in enumerate(texts)})
            blocks.append(words * self.tfidf_weight)
        return sparse.hstack(blocks).tocsr()

    def fit(self, X: Sequence[Item], Y: np.ndarray, sample_weight: np.ndarray | None = None) -> SupervisedCoder:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.linear_model import LogisticRegression

        Y = np.asarray(Y)
        W = weight_matrix(sample_weight, Y.shape)
        M = self._matrix(X, fit=True)
        self.models_: list[Any] = []
        self.linear_: list[Any] = []
        for k in range(len(self.codes)):
            known = W[:, k] > 0
            y = Y[known, k]
            positives = int(y.sum())
            if positives == 0 or positives == len(y):
                self.models_.append(float(y.mean()) if len(y) else 0.0)
                self.linear_.append(None)
                continue

            def linear() -> Any:
                return LogisticRegression(
                    C=self.C, class_weight="balanced", max_iter=500, random_state=self.random_state
                )

            fitted = linear().fit(M[known], y, sample_weight=W[known, k])
            folds = min(self.calibration_folds, positives, len(y) - positives)
            model: Any = fitted
            if folds >= 2:
                model = CalibratedClassifierCV(linear(), method="sigmoid", cv=folds)
                model.fit(M[known], y, sample_weight=W[known, k])
            self.models_.append(model)
            self.linear_.append(fitted)
        self.train_embeddings_ = embeddings_of(X) if self.features != "tfidf" else None
        self.train_texts_ = [item.text for item in X]
        self.train_positive_ = (Y == 1) & (W > 0)
        return self

    def predict_proba(self, X: Sequence[Item]) -> np.ndarray:
        check_fitted(self, "models_")
        M = self._matrix(X)
        out = np.zeros((len(X), len(self.codes)))
        for k, model in enumerate(self.models_):
            out[:, k] = model if isinstance(model, float) else model.predict_proba(M)[:, 1]
        return out

    def top_terms(self, item: Item, code: str, n: int = 3) -> list[str]:
        """Words of ``item`` that pushed ``code``'s score up most."""
        check_fitted(self, "models_")
        k = list(self.codes).index(code)
        model = self.linear_[k]
        if model is None or self.features == "embedding":
            return []
        scored: tuple[Any, dict[str, int]] | None = getattr(self, "_rows", None)
        if scored is not None and item.text in scored[1]:
            words, row = scored[0], scored[1][item.text]
        else:
            words, row = self.vectorizer_.transform([item.text]).tocsr(), 0
        span = slice(words.indptr[row], words.indptr[row + 1])
        indices = words.indices[span]
        offset = self.train_embeddings_.shape[1] if self.train_embeddings_ is not None else 0
        contrib = words.data[span] * model.coef_[0][offset:][indices]
        best = np.argsort(-contrib, kind="stable")[:n]
        return [str(self.feature_names_[indices[i]]) for i in best if contrib[i] > 0]

    def explain(self, item: Item, code: str) -> str:
        terms = self.top_terms(item, code)
        parts = []
        if terms:
            parts.append("mots : " + ", ".join(f"« {t} »" for t in terms))
        k = list(self.codes).index(code)
        if self.train_embeddings_ is not None and item.embedding is not None and self.train_positive_[:, k].any():
            idx = np.flatnonzero(self.train_positive_[:, k])
            sims = (self.train_embeddings_ @ item.embedding)[idx]  # no copy of the training rows
            sims[sims > 0.9999] = -1.0  # not the segment itself
            if sims.max() > -1.0:
                text = self.train_texts_[idx[int(np.argmax(sims))]]
                parts.append(f"segment appris proche : « {text[:80]}{'…' if len(text) > 80 else ''} »")
        return " ; ".join(parts) or "modèle supervisé"
