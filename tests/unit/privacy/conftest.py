"""Hermetic privacy tests: tmp config/state dirs, French messages, a fake NER for the fast tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
from privacy_fakes import FakeRecognizer

from tzcld_qual.privacy.allow import AllowList
from tzcld_qual.privacy.lexicon import LookupsLexicon
from tzcld_qual.privacy.mapping import PseudonymMap
from tzcld_qual.privacy.pseudonymizer import Pseudonymizer


@pytest.fixture(scope="session")
def lexicon() -> LookupsLexicon:
    """The real French word list, loaded once for the session (about a second)."""
    return LookupsLexicon()


@pytest.fixture
def make_engine(lexicon: LookupsLexicon):
    def make(
        ner: Mapping[str, str] | None = None,
        *,
        territories: Sequence[str] = (),
        allow: Sequence[str] = (),
        mapping: PseudonymMap | None = None,
    ) -> Pseudonymizer:
        return Pseudonymizer(
            mapping or PseudonymMap(),
            AllowList.build(territories=territories, words=allow),
            FakeRecognizer(ner),
            lexicon,
        )

    return make
