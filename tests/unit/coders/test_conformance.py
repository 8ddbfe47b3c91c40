"""Every coder honours the scikit-learn contract (one parametrised test per rule)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from fakes import HashingEmbedder

from tzcld_qual.codebook import parse_codebook
from tzcld_qual.coders.base import Item, centred, clone
from tzcld_qual.coders.embedding import EmbeddingCoder
from tzcld_qual.coders.ensemble import EnsembleCoder
from tzcld_qual.coders.lexicon import LexiconCoder
from tzcld_qual.coders.supervised import SupervisedCoder
from tzcld_qual.errors import NotFittedError

CODES = ("A", "B", "C")
TEXTS = {
    "A": [
        "je connais mes droits maintenant",
        "la formation on y a droit",
        "mes droits à la mutuelle",
        "j'ai appris mes droits au CCAS",
        "les droits à la formation",
        "on m'a expliqué mes droits",
    ],
    "B": [
        "le salaire tombe chaque mois",
        "je paie mes factures",
        "la banque m'a fait le prêt",
        "un salaire fixe ça rassure",
        "les factures sont payées",
        "le prêt pour la voiture",
    ],
    "C": [
        "les collègues sont devenus des amis",
        "je parle aux gens maintenant",
        "on mange ensemble le midi",
        "j'ai des amis au travail",
        "les collègues m'appellent",
        "je vois du monde",
    ],
}


def _data() -> tuple[list[Item], np.ndarray]:
    emb = HashingEmbedder()
    texts, labels = [], []
    for i, code in enumerate(CODES):
        for j, text in enumerate(TEXTS[code]):
            texts.append(text)
            labels.append([1 if k == i else 0 for k in range(len(CODES))])
            texts.append(f"il pleut aujourd'hui et le bus est en retard {i}{j}")
            labels.append([0, 0, 0])
    vectors = emb.encode(texts)
    items = [Item(t, v, group=f"g{(n // 2) % 4}") for n, (t, v) in enumerate(zip(texts, vectors, strict=True))]
    return items, np.array(labels)


CODEBOOK = """
codes:
  - {id: A, definition: droits, expressions: ["mes droits", "la formation", "la mutuelle"]}
  - {id: B, definition: sécurité, expressions: ["le salaire", "les factures", "le prêt"]}
  - {id: C, definition: liens, expressions: ["les collègues", "des amis", "les gens"]}
"""


def _lexicon() -> LexiconCoder:
    import spacy

    return LexiconCoder(parse_codebook(CODEBOOK), nlp=spacy.blank("fr"))


def _coders() -> list:
    return [
        _lexicon(),
        EmbeddingCoder(CODES),
        SupervisedCoder(CODES, calibration_folds=2),
        EnsembleCoder(
            [("embedding", EmbeddingCoder(CODES)), ("supervised", SupervisedCoder(CODES, calibration_folds=2))],
            CODES,
            folds=2,
        ),
    ]


@pytest.mark.parametrize("coder", _coders(), ids=lambda c: type(c).__name__)
def test_init_only_stores_parameters(coder: object) -> None:
    params = [p for p in inspect.signature(type(coder)).parameters if p != "self"]
    assert all(hasattr(coder, p) for p in params)
    assert not [name for name in vars(coder) if name.endswith("_") and not name.startswith("_")]


@pytest.mark.parametrize("coder", _coders(), ids=lambda c: type(c).__name__)
def test_predict_before_fit_raises_not_fitted(coder: object) -> None:
    items, _ = _data()
    with pytest.raises(NotFittedError):
        coder.predict_proba(items[:2])  # type: ignore[attr-defined]


@pytest.mark.parametrize("coder", _coders(), ids=lambda c: type(c).__name__)
def test_fit_returns_self_and_probabilities_are_well_formed(coder: object) -> None:
    items, Y = _data()
    assert coder.fit(items, Y) is coder  # type: ignore[attr-defined]
    P = coder.predict_proba(items)  # type: ignore[attr-defined]
    assert P.shape == (len(items), len(CODES))
    assert np.all((P >= 0) & (P <= 1))
    # learnt something: each positive scores higher on its own code than the off-topic texts do
    for k in range(len(CODES)):
        assert P[Y[:, k] == 1, k].mean() > P[Y.sum(axis=1) == 0, k].mean()
    assert isinstance(coder.explain(items[0], "A"), str)  # type: ignore[attr-defined]


@pytest.mark.parametrize("coder", _coders(), ids=lambda c: type(c).__name__)
def test_clone_is_unfitted_and_fit_is_deterministic(coder: object) -> None:
    items, Y = _data()
    fresh = clone(coder)
    assert type(fresh) is type(coder)
    assert not [name for name in vars(fresh) if name.endswith("_") and not name.startswith("_")]
    a = clone(coder).fit(items, Y).predict_proba(items)
    b = clone(coder).fit(items, Y).predict_proba(items)
    assert np.allclose(a, b)


def test_per_code_weights_mark_unknown_labels() -> None:
    """A weight of 0 means "unknown": the item is neither a positive nor a negative of that code."""
    items, Y = _data()
    W = np.ones(Y.shape)
    W[Y[:, 0] == 1, 0] = 0  # hide every positive of A
    coder = EmbeddingCoder(CODES).fit(items, Y, sample_weight=W)
    assert not coder.positive_[:, 0].any()
    assert isinstance(coder.models_[0], float) and coder.models_[0] == 0.0


def test_ensemble_explanation_names_the_coders() -> None:
    items, Y = _data()
    ens = EnsembleCoder(
        [("embedding", EmbeddingCoder(CODES)), ("supervised", SupervisedCoder(CODES, calibration_folds=2))],
        CODES,
        folds=2,
    ).fit(items, Y)
    text = ens.explain(items[0], "A")
    assert "codeurs d'accord" in text and "embeddings" in text and "supervisé" in text
    assert set(ens.thresholds_) == set(CODES) and 0.0 < ens.cv_macro_f1_ <= 1.0
    row = ens.base_proba(items[:1])[0]
    row[list(CODES).index("A"), :] = 0.0  # every coder under its threshold
    none = ens.explain(items[0], "A", row)
    assert none.startswith("aucun codeur seul au-dessus de son seuil, leur combinaison l'est (")
    assert "0/2 codeurs d'accord" not in none  # read as « suggested, yet nobody agrees »
    thresholds = ens.base_thresholds_
    row[list(CODES).index("A"), :] = [thresholds[name]["A"] * 0.9 for name, _coder in ens.coders_]
    near = ens.explain(items[0], "A", row).split("\n")
    # the nearest coders' reasons, so that the analyst has something to check (votes alone, before)
    assert near[0].startswith("aucun codeur seul") and len(near) == 3
    assert {line.split(" (sous son seuil) : ")[0] for line in near[1:]} == {"embeddings", "supervisé"}


def test_supervised_words_are_quoted_as_the_person_said_them() -> None:
    """Its TF-IDF keys are folded (« mere », « personne jamais ») and read as quotes of the text; a
    transcriber's « [rires] » was evidence of F4."""
    from tzcld_qual.coders.supervised import as_written

    text = "Ma mère [rires] dit que personne m'a jamais demandé. L'étang, c'est mon cœur."
    assert [as_written(text, t) for t in ("mere", "personne jamais", "etang", "coeur", "demande")] == [
        "mère", "personne m'a jamais", "étang", "cœur", "demandé"
    ]  # fmt: skip
    assert as_written(text, "rires") is None and as_written(text, "mere rires") is None
    assert as_written(text, "salaire") is None
    items, Y = _data()
    coder = SupervisedCoder(CODES, features="tfidf").fit(items, Y)
    said = Item("Les collègues [rires], les collègues !", None)
    assert coder.explain(said, "C").startswith("mots : « collègues »")  # was « collegues »


@pytest.mark.parametrize("features", ["both", "embedding", "tfidf"])
@pytest.mark.parametrize("calibration_folds", [0, 2])
def test_supervised_scores_are_its_regressions_probabilities(features: str, calibration_folds: int) -> None:
    """The one-product scoring path gives what each code's own model says."""
    items, Y = _data()
    coder = SupervisedCoder(CODES, features=features, calibration_folds=calibration_folds).fit(items, Y)
    expected = np.column_stack(
        [
            np.full(len(items), m) if isinstance(m, float) else m.predict_proba(coder._matrix(items))[:, 1]
            for m in coder.models_
        ]
    )
    np.testing.assert_allclose(coder.predict_proba(items), expected, atol=1e-6)


def test_embedding_scores_are_its_regressions_probabilities() -> None:
    """Scored without sklearn's input checks: what each code's own model says."""
    items, Y = _data()
    coder = EmbeddingCoder(CODES).fit(items, Y)
    S = centred(np.vstack([i.embedding for i in items]), coder.mean_) @ coder.prototypes_.T
    expected = np.column_stack(
        [
            np.full(len(items), m) if isinstance(m, float) else m.predict_proba(coder._features(S, k))[:, 1]
            for k, m in enumerate(coder.models_)
        ]
    )
    assert not all(isinstance(m, float) for m in coder.models_)
    # float32 similarities summed in another order by the ranked shortcut: equal to rounding
    np.testing.assert_allclose(coder.predict_proba(items), expected, atol=1e-6)


@pytest.mark.parametrize("make", [lambda: EmbeddingCoder(CODES), lambda: SupervisedCoder(CODES)])
def test_explanations_after_scoring_a_batch_equal_those_of_a_single_item(make: object) -> None:
    """Scoring a batch keeps its similarities for the explanations: same text either way."""
    items, Y = _data()
    rng = np.random.default_rng(0)  # no ties between similarities (hashed vectors tie at 0)
    vectors = rng.normal(size=(len(items), 64)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    items = [Item(i.text, v, group=i.group) for i, v in zip(items, vectors, strict=True)]
    coder = make().fit(items[4:], Y[4:])  # type: ignore[operator]
    fresh = clone(coder).fit(items[4:], Y[4:])
    coder.predict_proba(items)
    assert "_scored" in coder.__dict__ or "_similar" in coder.__dict__
    for item in items[:6]:
        for code in CODES:
            assert coder.explain(item, code) == fresh.explain(item, code)
    assert "_closest" in coder.__dict__  # each code's closest segment, found for the whole batch
    coder.predict_proba(items[::-1])  # another batch: rows in another order
    for item in items[:6]:
        for code in CODES:
            assert coder.explain(item, code) == fresh.explain(item, code)
    import pickle

    state = pickle.loads(pickle.dumps(coder)).__dict__
    assert not {"_scored", "_similar", "_rows", "_closest"} & set(state)
    coder.predict_proba(items)
    coder.fit(items[:-4], Y[:-4])  # refitted: nothing of the previous fit is reused
    fresh = clone(coder).fit(items[:-4], Y[:-4])
    for item in items[:6]:
        for code in CODES:
            assert coder.explain(item, code) == fresh.explain(item, code)
    np.testing.assert_allclose(coder.predict_proba(items[:2]), fresh.predict_proba(items[:2]))


def test_a_code_without_positive_examples_is_scored_by_its_expressions() -> None:
    """No training item is positive for A (a code just added to the codebook, say): the
    ensemble passes the lexicon coder's probability through instead of a constant 0, so a
    segment that says one of A's expressions can still be suggested."""
    items, Y = _data()
    W = np.ones(Y.shape)
    W[Y[:, 0] == 1, 0] = 0  # every positive of A unknown
    ens = EnsembleCoder([("lexicon", _lexicon()), ("embedding", EmbeddingCoder(CODES))], CODES, folds=2).fit(
        items, Y, sample_weight=W
    )
    said = [
        Item(t, v)
        for t, v in zip(
            ["je connais mes droits", "il pleut"],
            HashingEmbedder().encode(["je connais mes droits", "il pleut"]),
            strict=True,
        )
    ]
    base = ens.base_proba(said)
    proba = ens.combine(base)
    np.testing.assert_allclose(proba[:, 0], base[:, 0, 0], atol=1e-3)  # the lexicon's own score
    assert proba[0, 0] >= ens.thresholds_["A"] > proba[1, 0]
    assert not isinstance(ens.stackers_[1], float)  # codes with examples keep their stacker


def test_a_code_known_in_one_interview_only_is_stacked_without_cross_validation() -> None:
    """Every row where A is known (weight > 0) comes from one interview: no held-out group is
    left for the stacker's inner folds, and fitting must not fail (it raised in scikit-learn)."""
    items, Y = _data()
    W = np.ones(Y.shape)
    W[[item.group != "g0" for item in items], 0] = 0
    assert Y[W[:, 0] > 0, 0].any() and not Y[W[:, 0] > 0, 0].all()
    ens = EnsembleCoder([("embedding", EmbeddingCoder(CODES))], CODES, folds=2).fit(items, Y, sample_weight=W)
    assert 0.0 < ens.thresholds_["A"] < 1.0
    assert ens.predict_proba(items).shape == (len(items), len(CODES))


def test_the_tfidf_words_spell_ligatures_out() -> None:
    from tzcld_qual.coders.supervised import analyse

    assert analyse("Mon cœur, ma sœur, l'Œuvre") == ["coeur", "soeur", "oeuvre", "coeur soeur", "soeur oeuvre"]


@pytest.mark.parametrize("make", [lambda: EmbeddingCoder(CODES), lambda: SupervisedCoder(CODES)])
def test_a_training_passage_is_explained_as_learnt_not_as_resembling_itself(make: object) -> None:
    """The demo's training interviews are imported too: a passage the model learnt scores
    near 1, and its explanation must say so rather than only quote a neighbour."""
    items, Y = _data()
    coder = make().fit(items, Y)  # type: ignore[operator]
    learnt = items[0]  # « je connais mes droits maintenant », an example of A
    unseen = Item("je connais mes droits maintenant, vous savez", learnt.embedding + 0.05)
    for batch in ([learnt, unseen], []):  # explained from the batch scored, then alone
        coder.predict_proba(batch or items[1:2])
        said = coder.explain(learnt, "A")
        assert "ce passage même" in said and learnt.text not in said  # another example is quoted
        assert "ce passage même" not in coder.explain(unseen, "A")
        assert "ce passage même" not in coder.explain(learnt, "B")  # not an example of B
