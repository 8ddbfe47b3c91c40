"""LexiconCoder on a blank French pipeline with a lookup lemmatizer (see conftest.py)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from tzcld_qual.coders.base import Item, clone, label_matrix
from tzcld_qual.coders.lemmas import ExpressionMatcher, load_pipeline
from tzcld_qual.coders.lexicon import DEFAULT_PRIOR, NO_MATCH, LexiconCoder
from tzcld_qual.errors import ModelError, NotFittedError, NotFoundError

TRAIN = [
    ("Je savais pas que j'avais droit à tout ça, on m'a expliqué mes droits.", ["F3"]),
    ("Avec la mutuelle j'ai pu aller chez le dentiste.", ["F3.sante"]),
    ("On m'a expliqué comment marche la médecine du travail.", ["F3"]),
    ("Maintenant je suis fière de moi, j'ai confiance en moi.", ["F4"]),
    ("Je peux sortir de chez moi sans avoir honte.", ["F4"]),
    ("Avec le CDI je peux payer les factures sans stresser.", ["F5"]),
    ("La fin du mois c'est moins dur avec le CDI.", ["F5"]),
    ("L'EBE a fait vingt embauches cette année, les salariés sont du coin.", ["F7"]),
    ("Les salariés de l'EBE sont contents d'avoir un CDI.", ["F7"]),
    ("Les salariés ont mangé ensemble à midi.", []),
    ("Il fait beau aujourd'hui, on a marché.", []),
    ("Mon frère a un CDI à l'usine.", []),
]


def _coder(codebook, nlp, **params) -> LexiconCoder:  # type: ignore[no-untyped-def]
    return LexiconCoder(codebook, nlp=nlp, **params)


def _fitted(codebook, nlp, **params) -> LexiconCoder:  # type: ignore[no-untyped-def]
    X = [Item(t) for t, _ in TRAIN]
    return _coder(codebook, nlp, **params).fit(X, label_matrix([y for _, y in TRAIN], codebook.top_ids))


def _found(coder: LexiconCoder, text: str, context: str = "") -> set[tuple[str, str]]:
    return {(m.code, m.quote) for m in coder.matches(Item(text, context=context))}


# -- matching -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, quote", [
    ("droits", "droits"),
    ("j'ai droit", "ai droit"),  # "avoir droit": the subject pronoun is not part of the expression
    ("mes droits à la formation", "mes droits"),
    ("ils connaissent leurs droits", "leurs droits"),  # any determiner or possessive
    ("j’avais droit à la prime", "avais droit"),  # typographic apostrophe
])
def test_rights_forms_all_match_f3(mini_codebook, fake_nlp, text, quote) -> None:
    assert ("F3", quote) in _found(_coder(mini_codebook, fake_nlp), text)


def test_determiners_are_optional_and_interchangeable(mini_codebook, fake_nlp) -> None:
    coder = _coder(mini_codebook, fake_nlp)
    assert ("F3", "ma mutuelle") in _found(coder, "C'est ma mutuelle qui rembourse.")
    assert ("F3", "Les mutuelles") in _found(coder, "Les mutuelles, je connais.")
    assert ("F3", "mutuelle") in _found(coder, "Question mutuelle, ça va.")
    assert ("F5", "un CDI") in _found(coder, "J'ai signé un CDI.")


def test_pronouns_are_interchangeable_but_required(mini_codebook, fake_nlp) -> None:
    coder = _coder(mini_codebook, fake_nlp)
    assert ("F4", "elle est fière") in _found(coder, "Maintenant elle est fière.")
    assert ("F3", "on nous a expliqué") in _found(coder, "Au début on nous a expliqué.")
    # "je savais pas" needs a subject: "savais" alone is not the expression
    assert _found(coder, "savais") == set()


def test_filler_words_may_sit_inside_an_expression(mini_codebook, fake_nlp) -> None:
    found = _found(_coder(mini_codebook, fake_nlp), "Moi je savais même pas, hein.")
    assert ("F3", "je savais même pas") in found


def test_sub_code_matches_count_for_the_parent_and_name_the_sub_code(mini_codebook, fake_nlp) -> None:
    [match] = _coder(mini_codebook, fake_nlp).matches(Item("la mutuelle"))
    assert match.code == "F3"
    assert match.sources == ("F3.sante",)
    assert match.expression == "la mutuelle"


def test_an_expression_inside_a_longer_one_of_the_same_code_counts_once(fake_nlp) -> None:
    from tzcld_qual.codebook import parse_codebook

    codebook = parse_codebook("""
codes:
  - {id: F1, label: CLE, definition: "Le comité.", expressions: ["le comité local", "le comité local pour l'emploi"]}
""")
    found = _coder(codebook, fake_nlp).matches(Item("Le comité local pour l'emploi se réunit."))
    assert [m.quote for m in found] == ["Le comité local pour l'emploi"]


def test_the_surface_form_catches_what_the_lemma_misses(mini_codebook, fake_nlp, monkeypatch) -> None:
    """fr_core_news_sm lemmatises "mutuelle" alone as "mutuelle" (NOUN) but "une mutuelle" as
    "mutuel" (ADJ): the fake's table is changed after compiling to play that part."""
    from lexicon_lemma_table import LEMMAS

    coder = _coder(mini_codebook, fake_nlp)
    coder.matches(Item("compile the expressions first"))
    monkeypatch.setitem(LEMMAS, "mutuelle", "mutuel")
    assert ("F3", "une mutuelle") in _found(coder, "J'ai une mutuelle.")
    assert _found(coder, "un esprit mutuel") == set()  # the lemma "mutuel" alone is not it


def test_the_literal_prefilter_finds_what_one_big_matcher_finds(mini_codebook, fake_nlp) -> None:
    """Rules only run on texts holding their literal words; the spans must be the same as
    running every pattern on every text."""
    from spacy.matcher import Matcher

    matcher = _coder(mini_codebook, fake_nlp)._matcher()
    texts = [t for t, _ in TRAIN] + ["je connais pas mes droits", "J'ai une mutuelle.", "rien"]
    found = [{(h.expression, h.first, h.last) for h in a.hits} for a in matcher.analyse(texts)]
    big = Matcher(fake_nlp.vocab)
    for rule, small in enumerate(matcher.matchers):
        big.add(str(rule), small.get("rule")[1], greedy="LONGEST")
    for text, hits in zip(texts, found, strict=True):
        doc = fake_nlp(text)
        matcher.annotate(doc)
        expected = {int(fake_nlp.vocab.strings[m]) for m, _, _ in big(doc)}
        assert {rule for rule, _, _ in hits} == expected, text
    assert any(found)


def test_negative_expressions_keep_their_tense(mini_codebook, fake_nlp) -> None:
    """"je savais pas" (I have learnt since) is matched on its forms, not its lemmas, so "je sais
    pas" (I do not know) is not it."""
    coder = _coder(mini_codebook, fake_nlp)
    assert ("F3", "on savais pas") in _found(coder, "on savais pas")  # any subject pronoun
    assert _found(coder, "je sais pas") == set()
    ExpressionMatcher(fake_nlp, [("mutuelle", "x")])  # builds without a negative expression too


# -- negation -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "je ne connais pas mes droits",
    "je connais pas mes droits",  # spoken French drops "ne"
    "il y a pas de mutuelle",
    "sans mutuelle c'est dur",
    "je n'ai plus de mutuelle",
    "jamais on m'a expliqué",
    "aucun CDI ici",
])
def test_negated_matches_are_marked(mini_codebook, fake_nlp, text) -> None:
    found = _coder(mini_codebook, fake_nlp).matches(Item(text))
    assert found and all(m.negated for m in found)


@pytest.mark.parametrize("text", [
    "je savais pas que j'avais droit à la prime",  # "que" ends the negated clause
    "pas du tout, mais la mutuelle rembourse bien",  # comma and "mais" end it too
    "pas moi, non, vraiment, franchement, bon, la mutuelle",  # beyond the window
    "il y a plus de mutuelles qu'avant",  # "plus" without "ne" is a comparison
])
def test_negation_stays_in_its_clause_and_window(mini_codebook, fake_nlp, text) -> None:
    found = [m for m in _coder(mini_codebook, fake_nlp).matches(Item(text)) if m.expression != "je savais pas"]
    assert found and not any(m.negated for m in found)


def test_a_negative_expression_is_never_negated(mini_codebook, fake_nlp) -> None:
    [match] = _coder(mini_codebook, fake_nlp).matches(Item("je savais pas"))
    assert not match.negated


def test_negation_can_be_switched_off(mini_codebook, fake_nlp) -> None:
    found = _coder(mini_codebook, fake_nlp, negation=False).matches(Item("je connais pas mes droits"))
    assert found and not any(m.negated for m in found)


# -- interviewer's question ---------------------------------------------------------------------

QUESTION = "Est-ce que vous connaissez mieux vos droits maintenant ?"


def test_repeating_the_question_is_marked(mini_codebook, fake_nlp) -> None:
    found = _coder(mini_codebook, fake_nlp).matches(
        Item("Oui je connais mieux mes droits, et la mutuelle aussi.", context=QUESTION))
    assert {(m.quote, m.from_question) for m in found} == {("mes droits", True), ("la mutuelle", False)}


def test_a_short_answer_inherits_the_question(mini_codebook, fake_nlp) -> None:
    coder = _coder(mini_codebook, fake_nlp)
    [yes] = coder.matches(Item("Oui, beaucoup.", context=QUESTION))
    assert (yes.code, yes.quote, yes.from_question, yes.negated) == ("F3", "vos droits", True, False)
    assert QUESTION[yes.start:yes.end] == "vos droits"
    [no] = coder.matches(Item("Non, pas vraiment.", context=QUESTION))
    assert (no.from_question, no.negated) == (True, True)


def test_a_long_answer_inherits_nothing(mini_codebook, fake_nlp) -> None:
    text = "Alors ça, c'est une longue histoire, il faudrait que je vous raconte tout depuis le début."
    assert _coder(mini_codebook, fake_nlp).matches(Item(text, context=QUESTION)) == []


def test_question_context_can_be_switched_off(mini_codebook, fake_nlp) -> None:
    coder = _coder(mini_codebook, fake_nlp, question_context=False)
    assert coder.matches(Item("Oui, beaucoup.", context=QUESTION)) == []
    [match] = coder.matches(Item("Je connais mieux mes droits.", context=QUESTION))
    assert not match.from_question


# -- the estimator ------------------------------------------------------------------------------

def test_predict_proba_has_one_column_per_top_level_code_in_order(mini_codebook, fake_nlp) -> None:
    coder = _fitted(mini_codebook, fake_nlp)
    assert coder.codes_ == ("F3", "F4", "F5", "F7")
    P = coder.predict_proba([Item("mes droits"), Item("rien à voir"), Item("le CDI et la mutuelle")])
    assert P.shape == (3, 4)
    assert np.all((P >= 0) & (P <= 1))
    assert coder.predict_proba([]).shape == (0, 4)


def test_the_code_that_is_spoken_of_scores_highest(mini_codebook, fake_nlp) -> None:
    coder = _fitted(mini_codebook, fake_nlp)
    texts = ["On m'a expliqué mes droits.", "Je suis fière de ce que je fais.",
             "Je paie les factures à la fin du mois.", "Il fait froid."]
    P = coder.predict_proba([Item(t) for t in texts])
    assert list(P[:3].argmax(axis=1)) == [0, 1, 2]
    assert P[3].max() < P[:3].max(axis=1).min()


def test_plain_beats_repeated_beats_negated(mini_codebook, fake_nlp) -> None:
    coder = _fitted(mini_codebook, fake_nlp)
    items = [Item("je connais mes droits maintenant"),
             Item("Oui, beaucoup.", context=QUESTION),
             Item("je connais pas mes droits"),
             Item("on a parlé de la pluie")]
    p = coder.predict_proba(items)[:, 0]
    assert p[0] >= p[1] >= p[2] >= p[3]
    assert p[0] > p[3]


def test_more_evidence_never_lowers_a_probability(mini_codebook, fake_nlp) -> None:
    coder = _fitted(mini_codebook, fake_nlp)
    assert (coder.weights_ >= 0).all()
    p = coder.predict_proba([Item("mes droits"), Item("mes droits, la mutuelle, on m'a expliqué")])[:, 0]
    assert p[1] > p[0]


def test_the_calibration_never_learns_a_negative_weight() -> None:
    """Data where matches only ever come with *negative* labels would give an unconstrained
    regression negative weights; the bounds keep every weight at zero or above."""
    from tzcld_qual.coders.lexicon import _fit_logistic

    Z = np.vstack([np.ones((10, 4)), np.zeros((10, 4))])
    y = np.r_[np.zeros(10), np.ones(10)]
    intercept, weights = _fit_logistic(Z, y, np.ones(20), np.zeros(4), 0.01)
    assert np.allclose(weights, 0.0) and intercept == pytest.approx(np.log(10 / 10), abs=0.1)


def test_reliability_learns_which_expressions_mislead(mini_codebook, fake_nlp) -> None:
    coder = _fitted(mini_codebook, fake_nlp)
    # "les salariés" also fires on an uncoded segment; "l'EBE" only on F7 segments
    assert coder.reliability_[("F7", "les salariés")] < coder.reliability_[("F7", "l'EBE")]


def test_a_code_without_positives_falls_back_to_the_pooled_prior(mini_codebook, fake_nlp) -> None:
    Y = label_matrix([y for _, y in TRAIN], mini_codebook.top_ids)
    Y[:, 1] = 0  # nobody is coded F4
    coder = _coder(mini_codebook, fake_nlp).fit([Item(t) for t, _ in TRAIN], Y)
    assert coder.prior_codes_ == ("F4",)
    p = coder.predict_proba([Item("je suis fière"), Item("rien")])[:, 1]
    assert p[0] > p[1]


def test_no_labels_at_all_use_the_default_prior(mini_codebook, fake_nlp) -> None:
    X = [Item("Il fait beau."), Item("Le bus est en retard.")]  # no expression: reliabilities stay 1
    coder = _coder(mini_codebook, fake_nlp).fit(X, np.zeros((2, 4)))
    assert coder.prior_codes_ == coder.codes_
    intercept, (w_any, w_kept, w_plain, w_margin) = DEFAULT_PRIOR
    one_plain = intercept + w_any + w_kept + w_plain + w_margin  # margin 1: no rival code
    P = coder.predict_proba([Item("le CDI"), Item("rien"), Item("pas de CDI")])[:, 2]
    assert P[0] == pytest.approx(1 / (1 + np.exp(-one_plain)))
    assert P[1] == pytest.approx(1 / (1 + np.exp(-intercept)))
    assert P[1] < P[2] < P[0]


def test_zero_weights_mean_unknown_labels(mini_codebook, fake_nlp) -> None:
    X = [Item(t) for t, _ in TRAIN] + [Item("mes droits, mes droits")] * 5
    Y = label_matrix([y for _, y in TRAIN] + [[]] * 5, mini_codebook.top_ids)
    weights = np.r_[np.ones(len(TRAIN)), np.zeros(5)]  # the five extra rows say nothing
    weighted = _coder(mini_codebook, fake_nlp).fit(X, Y, sample_weight=weights)
    plain = _fitted(mini_codebook, fake_nlp)
    probe = [Item("mes droits"), Item("le CDI")]
    assert np.allclose(weighted.predict_proba(probe), plain.predict_proba(probe))
    W = np.ones(Y.shape)
    W[-5:, 0] = 0  # per code: unknown for F3 only, so "mes droits" is not learnt as a miss
    per_code = _coder(mini_codebook, fake_nlp).fit(X, Y, sample_weight=W)
    assert ("F3", "mes droits") in per_code.reliability_
    assert per_code.reliability_[("F3", "mes droits")] == plain.reliability_[("F3", "mes droits")]


def test_fit_checks_the_label_matrix(mini_codebook, fake_nlp) -> None:
    with pytest.raises(ValueError, match="items × top-level codes"):
        _coder(mini_codebook, fake_nlp).fit([Item("a")], np.zeros((1, 5)))


def test_predict_and_explain_before_fit_raise_not_fitted(mini_codebook, fake_nlp) -> None:
    coder = _coder(mini_codebook, fake_nlp)
    with pytest.raises(NotFittedError, match="LexiconCoder"):
        coder.predict_proba([Item("mes droits")])
    with pytest.raises(NotFittedError):
        coder.explain(Item("mes droits"), "F3")
    assert coder.matches(Item("mes droits"))  # matching needs no training


# -- explanations -------------------------------------------------------------------------------

def test_explain_quotes_the_text_with_sub_code_and_marks(mini_codebook, fake_nlp) -> None:
    coder = _fitted(mini_codebook, fake_nlp)
    item = Item("On m'a expliqué la mutuelle, mais je connais pas mes droits.")
    assert coder.explain(item, "F3") == (
        "« On m'a expliqué » (F3) ; « la mutuelle » (F3.sante) ; « mes droits » (F3) (nié)")
    assert coder.explain(item, "F3.sante") == "« la mutuelle » (F3.sante)"
    assert coder.explain(Item("Oui.", context=QUESTION), "F3") == "« vos droits » (F3) (reprend la question)"
    assert coder.explain(item, "F5") == NO_MATCH


def test_explanations_after_scoring_a_batch_equal_those_of_a_single_item(mini_codebook, fake_nlp) -> None:
    """Scoring keeps each item's matches for its explanations: same text either way, and an
    item answering another question is not taken for the scored one."""
    scored, fresh = _fitted(mini_codebook, fake_nlp), _fitted(mini_codebook, fake_nlp)
    items = [Item(t) for t, _ in TRAIN] + [Item("Oui.", context=QUESTION), Item("Oui.")]
    scored.predict_proba(items)
    assert len(scored.__dict__["_scored"]) == len(items)
    for item in [*items, Item("Oui.", context="Et le travail ?")]:
        for code in ("F3", "F3.sante", "F5"):
            assert scored.explain(item, code) == fresh.explain(item, code)
    assert scored.explain(items[-2], "F3") != scored.explain(items[-1], "F3")
    assert "_scored" not in scored.__getstate__()


def test_explain_an_unknown_code(mini_codebook, fake_nlp) -> None:
    with pytest.raises(NotFoundError, match="F9"):
        _fitted(mini_codebook, fake_nlp).explain(Item("x"), "F9")


# -- plumbing -----------------------------------------------------------------------------------

class CountingPipeline:
    """Delegates to a spaCy pipeline and records every text lemmatised by ``pipe``."""

    def __init__(self, nlp) -> None:  # type: ignore[no-untyped-def]
        self._nlp = nlp
        self.texts: list[str] = []

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._nlp, name)

    def pipe(self, texts, **kwargs):  # type: ignore[no-untyped-def]
        texts = list(texts)
        self.texts.extend(texts)
        return self._nlp.pipe(texts, **kwargs)


def test_each_text_is_lemmatised_once(mini_codebook, fake_nlp) -> None:
    nlp = CountingPipeline(fake_nlp)
    coder = _coder(mini_codebook, nlp)
    X = [Item(t, context=QUESTION) for t, _ in TRAIN]
    coder.fit(X, label_matrix([y for _, y in TRAIN], mini_codebook.top_ids))
    n_expressions = len(nlp.texts) - len(TRAIN) - 1
    coder.predict_proba(X)
    coder.explain(X[0], "F3")
    assert len(nlp.texts) == n_expressions + len(TRAIN) + 1
    assert sorted(nlp.texts[n_expressions:]) == sorted([t for t, _ in TRAIN] + [QUESTION])


def test_clone_pickle_and_params(mini_codebook, fake_nlp) -> None:
    coder = _fitted(mini_codebook, fake_nlp, negation=False)
    for twin in (clone(coder), coder.__sklearn_clone__()):  # the project's clone, sklearn's hook
        assert twin.get_params() == coder.get_params()
        assert not hasattr(twin, "weights_")
    assert coder.__sklearn_clone__()._memo_() is coder._memo_()  # lemmatised texts are shared
    state = coder.__getstate__()  # what pickle stores (unpickling a spaCy pipeline is slow)
    assert "_memo" not in state  # no spaCy matcher, no text cache: rebuilt on demand
    restored = LexiconCoder.__new__(LexiconCoder)
    restored.__setstate__(state)
    X = [Item("je connais pas mes droits"), Item("le CDI")]
    assert np.allclose(restored.predict_proba(X), coder.predict_proba(X))
    assert coder.set_params(negation=True).negation is True
    with pytest.raises(ValueError, match="invalid parameter"):
        coder.set_params(colour="blue")


def test_missing_spacy_model_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="introuvable"):
        load_pipeline("fr_no_such_model_xx")


def test_importing_the_coder_loads_no_heavy_library() -> None:
    code = ("import sys, tzcld_qual.coders.lexicon; "
            "print(' '.join(m for m in ('spacy', 'sklearn', 'scipy', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_batch_path_finds_what_the_per_text_path_finds(mini_codebook, lookup_nlp) -> None:
    """With a lookup lemmatizer, texts are analysed a batch at a time from the word table; every
    hit, word count and short-answer negation must be the per-text analysis's, across batches."""
    from tzcld_qual.coders.lemmas import fold_apostrophes

    matcher = _coder(mini_codebook, lookup_nlp, batch_size=4)._matcher()
    assert matcher._lookup is not None  # the batch path is the one analyse() takes
    texts = [t for t, _ in TRAIN] + [
        "", "   ", "Non.", "Pas du tout, non.", "je connais pas mes droits", "J'ai une mutuelle.",
        "droits, droits et encore mes droits", "On m’a expliqué : la fin du mois, le CDI, les factures.",
        # tokenized alone, not joined to the batch: leading or trailing spaces, only spaces
        " j'ai droit", "ma mutuelle\n", "\n", "aujourd'hui j'ai une mutuelle", "droits\n\nmutuelle",
    ]
    batch = matcher.analyse(texts)
    one_by_one = [matcher._analyse(lookup_nlp.tokenizer(fold_apostrophes(t))) for t in texts]
    assert batch == one_by_one
    assert sum(len(a.hits) for a in batch) >= 10
    assert [a.words for a in batch[-13:-10]] == [0, 0, 1]
    assert [a.negative for a in batch[-11:-9]] == [True, True]
    # offsets are in each text, not in the batch's joined string
    quotes = [t[h.start : h.end] for t, a in zip(texts, batch, strict=True) for h in a.hits]
    assert quotes[-8:] == [
        "la fin du mois", "le CDI", "ai droit", "droit", "ma mutuelle", "une mutuelle", "droits", "mutuelle",
    ]


def test_a_token_across_two_joined_texts_makes_the_batch_tokenize_text_by_text(mini_codebook) -> None:
    """Texts of a batch are tokenized joined by spaces; a tokenizer special case holding a space
    could make one token of the end of a text and the start of the next: then each text is
    tokenized alone, and the analyses are the per-text ones."""
    import spacy
    from lexicon_lemma_table import LEMMAS
    from spacy.lookups import Lookups

    from tzcld_qual.coders.lemmas import fold_apostrophes

    nlp = spacy.blank("fr")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lookups = Lookups()
    lookups.add_table("lemma_lookup", LEMMAS)
    lemmatizer.initialize(lookups=lookups)
    nlp.tokenizer.add_special_case("fin. Oui", [{"ORTH": "fin. Oui"}])
    matcher = _coder(mini_codebook, nlp)._matcher()
    texts = ["c'est la fin.", "Oui, mes droits.", "j'ai droit"]
    assert [t.text for t in nlp.tokenizer(" ".join(texts))][3] == "fin. Oui"  # crosses the join
    assert [p.end - p.start for p in matcher._tokenize(texts)] == [5, 5, 3]
    batch = matcher.analyse(texts)
    assert batch == [matcher._analyse(nlp.tokenizer(fold_apostrophes(t))) for t in texts]
    assert [len(a.hits) for a in batch] == [0, 1, 2]


def test_outermost_sweep_matches_the_pairwise_rule() -> None:
    """The sweep keeps exactly the matches the pairwise definition keeps: not inside a strictly
    longer match of another expression for the same code (random overlapping spans)."""
    import random

    from tzcld_qual.coders.lemmas import Hit
    from tzcld_qual.coders.lexicon import Match, _outermost

    def pairwise(pairs: list) -> list:
        return [m for m, h in pairs if not any(
            o.code == m.code and o.expression != m.expression and g.first <= h.first and h.last <= g.last
            and g.last - g.first > h.last - h.first for o, g in pairs)]

    rng = random.Random(0)
    for _ in range(300):
        pairs = []
        for i in range(rng.randint(0, 12)):
            first = rng.randint(0, 15)
            last = first + rng.randint(0, 4)
            expression = rng.choice("abc")
            code = rng.choice(["F1", "F2"])
            match = Match(code, (code,), expression, f"q{i}", first, last)
            pairs.append((match, Hit(0, first, last, first, last, False)))
        assert _outermost(pairs) == pairwise(pairs)
