"""Supervised coder: one-vs-rest logistic regression on embeddings plus word TF-IDF, calibrated.

Trained on the codebook examples, the gold ``train`` split and every human decision of the project.
Each code gets its own model and its own sample weights (a weight of 0 means "label unknown"),
calibrated with Platt scaling by cross-validation. The explanation names the words that pushed
the score up and the closest accepted training segment.

The TF-IDF is on accent-folded surface words, not lemmas. Measured (logistic regression on USE +
TF-IDF, codebook examples and the ``train`` split, thresholds by cross-validation): lemma keys of
the ``fr-lookup`` table gave a cross-validated macro-F1 of 0.652 against 0.662 for surface words,
and 0.709 against 0.730 on ``round2`` (the table lemmatises "aides" as "aider", "sociales" and
"social" alike: it merges as much as it confuses). Embeddings alone: 0.611; words alone: 0.627.
Its embeddings are not centred, unlike the embedding coder's: centring them here lowered the
ensemble's cross-validated macro-F1 from 0.687 to 0.682 (dev 0.632 → 0.615, round2 0.740 → 0.730).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from tzcld_qual.coders.base import (
    Item,
    check_fitted,
    closest_of,
    embeddings_of,
    positive_rows,
    weight_matrix,
)
from tzcld_qual.folding import strip_accents

_FILLERS = frozenset(
    (
        "euh heu ben bah hein bon voilà voila quoi enfin alors donc genre ouais oui non mh hm le la les "
        "un une des de du d l à a au aux et ou où je j tu il elle on nous vous ils elles ce c ça ca qui "
        "que qu se s en y ne n pas plus est sont été être avoir ai as avait avais mon ma mes ton ta tes "
        "son sa ses leur leurs ce cet cette ces pour par sur dans avec comme mais si tout très bien fait "
        "faire m me moi te toi lui eux "
    ).split()
)


_DERIVED = ("_rows", "_similar", "_closest", "_stacked")  # what predict_proba leaves or caches on the fitted coder


def analyse(text: str) -> list[str]:
    """Lowercase, accent-folded word unigrams and bigrams without fillers and stop words."""
    words = [w for w in re.findall(r"[a-z]+", strip_accents(text.lower())) if len(w) > 1 and w not in _FILLERS]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


_LETTERS = re.compile(r"[^\W\d_]+")
_ASIDE = re.compile(r"\[[^\]\n]*\]|\([^)\n]*\)")  # « [rires] », « (silence) »: the transcriber's, not the person's


def as_written(text: str, term: str) -> str | None:
    """Where ``term`` (a feature of :func:`analyse`: folded words, one or two) is in ``text``, as
    written there (« mère » for « mere », « personne m'a jamais » for « personne jamais »), or
    ``None`` when it is not the person's words: explanations quote the text, never a folded key,
    nor a transcriber's aside (« rires » from « [rires] »)."""
    asides = [m.span() for m in _ASIDE.finditer(text)]
    words = [
        (m.start(), m.end(), folded)
        for m in _LETTERS.finditer(text)
        for folded in ["".join(re.findall(r"[a-z]+", strip_accents(m.group().lower())))]
        if len(folded) > 1 and folded not in _FILLERS and not any(a <= m.start() < b for a, b in asides)
    ]
    wanted = term.split()
    for i in range(len(words) - len(wanted) + 1):
        if [w[2] for w in words[i : i + len(wanted)]] == wanted:
            return text[words[i][0] : words[i + len(wanted) - 1][1]]
    return None


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

    def _blocks(self, X: Sequence[Item], fit: bool = False) -> tuple[np.ndarray | None, Any]:
        """The dense embedding block and the sparse, weighted TF-IDF block (``None`` if unused)."""
        dense = embeddings_of(X) if self.features in ("embedding", "both") else None
        words = None
        if self.features in ("tfidf", "both"):
            texts = [item.text for item in X]
            if fit:
                from sklearn.feature_extraction.text import TfidfVectorizer

                self.vectorizer_ = TfidfVectorizer(analyzer=analyse, min_df=2, sublinear_tf=True, max_features=30000)
                self.vectorizer_.fit(texts)
                self.feature_names_ = self.vectorizer_.get_feature_names_out()
            words = self.vectorizer_.transform(texts).tocsr()
            if not fit:  # explanations of the items just scored reuse their rows
                self._rows = (words, {t: i for i, t in enumerate(texts)})
            words = words * self.tfidf_weight
        return dense, words

    def _matrix(self, X: Sequence[Item], fit: bool = False) -> Any:
        dense, words = self._blocks(X, fit)
        return self._stack(dense, words)

    @staticmethod
    def _stack(dense: np.ndarray | None, words: Any) -> Any:
        from scipy import sparse

        blocks = ([sparse.csr_matrix(dense)] if dense is not None else []) + ([words] if words is not None else [])
        return sparse.hstack(blocks).tocsr()

    def fit(self, X: Sequence[Item], Y: np.ndarray, sample_weight: np.ndarray | None = None) -> SupervisedCoder:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.linear_model import LogisticRegression

        for derived in _DERIVED:  # from a previous fit
            self.__dict__.pop(derived, None)
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
        self.train_positive_rows_ = positive_rows(self.train_positive_)
        return self

    def predict_proba(self, X: Sequence[Item]) -> np.ndarray:
        check_fitted(self, "models_")
        dense, words = self._blocks(X)
        out = np.zeros((len(X), len(self.codes)))
        linear, coef, intercept = self._linear_codes()
        if linear:
            # What LogisticRegression.predict_proba computes, for every uncalibrated code at once
            # and without copying the dense embeddings into a sparse matrix first.
            from scipy.special import expit

            decision = np.tile(intercept, (len(X), 1))
            offset = 0
            if dense is not None:
                offset = dense.shape[1]
                decision += dense @ coef[:offset]
            if words is not None:
                decision += np.asarray(words @ coef[offset:])
            out[:, linear] = expit(decision)
        if dense is not None and self.train_embeddings_ is not None:
            # Explanations of these items name their closest training segment: one product here
            # instead of one per suggestion.
            self._similar = (dense @ self.train_embeddings_.T, {item.text: i for i, item in enumerate(X)})
            self.__dict__.pop("_closest", None)
        M = None
        for k, model in enumerate(self.models_):
            if isinstance(model, float):
                out[:, k] = model
            elif k not in linear:  # calibrated: through its own predict_proba
                M = self._stack(dense, words) if M is None else M
                out[:, k] = model.predict_proba(M)[:, 1]
        return out

    def __getstate__(self) -> dict[str, Any]:
        """Without what the last scored batch left for its explanations (nor what is derived)."""
        return {k: v for k, v in self.__dict__.items() if k not in _DERIVED}

    def _linear_codes(self) -> tuple[list[int], np.ndarray, np.ndarray]:
        """Codes whose model is the plain logistic regression, and their coefficients side by
        side (``features × codes``), computed once per fitted coder."""
        found: tuple[list[int], np.ndarray, np.ndarray] | None = self.__dict__.get("_stacked")
        if found is None:
            linear = [k for k, m in enumerate(self.models_) if not isinstance(m, float) and m is self.linear_[k]]
            coef = np.column_stack([self.linear_[k].coef_[0] for k in linear]) if linear else np.zeros((0, 0))
            intercept = np.array([float(self.linear_[k].intercept_[0]) for k in linear])
            found = self._stacked = (linear, coef, intercept)
        return found

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
        terms = [found for t in self.top_terms(item, code, n=8) if (found := as_written(item.text, t))][:3]
        parts = []
        if terms:
            parts.append("mots : " + ", ".join(f"« {t} »" for t in dict.fromkeys(terms)))
        k = list(self.codes).index(code)
        idx = self.train_positive_rows_[k]
        if self.train_embeddings_ is not None and item.embedding is not None and len(idx):
            train, embedding = self.train_embeddings_, item.embedding
            best, sim, learnt = closest_of(self.__dict__.setdefault("_closest", {}), self.__dict__.get("_similar"),
                                           item.text, code, idx, lambda: train @ embedding)
            if learnt:
                parts.append(f"ce passage même, appris codé {code}")
            if sim > -1.0:
                text = self.train_texts_[idx[best]]
                parts.append(f"segment appris proche : « {text[:80]}{'…' if len(text) > 80 else ''} »")
        return " ; ".join(parts) or "modèle supervisé"
