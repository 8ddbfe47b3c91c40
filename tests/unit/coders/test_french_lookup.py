"""spaCy's French tokenizer and lemma table rebuilt from the user's cache, equal to spaCy's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tzcld_qual.coders import french_lookup

TEXTS = [
    "Aujourd'hui j'ai droit à la formation, c'est-à-dire au CPF.",
    "Peut-être qu'on s'est vus au comité local ; l'EBE m'a embauchée en CDI.",
    "Les États-Unis, New-York, un faux-vampire et le week-end : rien à voir.",
    "Ma mutuelle ? J’ai jamais su que j’y avais droit… Voilà.",
    "",
]


def _tokens(nlp, texts):  # type: ignore[no-untyped-def]
    return [[(t.text, t.idx, t.lemma_, t.is_punct, t.is_space) for t in doc] for doc in nlp.pipe(texts)]


@pytest.mark.slow
def test_the_cached_pipeline_tokenizes_and_lemmatises_as_spacy_does(tmp_path: Path) -> None:
    import spacy

    reference = spacy.blank("fr")
    reference.add_pipe("lemmatizer", config={"mode": "lookup"})
    reference.initialize()
    french_lookup.load(tmp_path)  # builds and caches
    path = french_lookup.cache_path(tmp_path)
    assert path.is_file() and (path.stat().st_mode & 0o077) == 0
    cached = french_lookup.load(tmp_path)
    assert cached.token_match is not None  # the compiled program was stored and is used
    nlp = french_lookup.pipeline(cached)
    assert _tokens(nlp, TEXTS) == _tokens(reference, TEXTS)
    from spacy.lang.fr.stop_words import STOP_WORDS

    assert cached.stop_words == STOP_WORDS


def test_a_second_load_reads_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = french_lookup.FrenchLookup(b"tokenizer", {"vus": "voir"}, frozenset({"le"}), None)
    monkeypatch.setattr(french_lookup, "build", lambda: data)
    assert french_lookup.load(tmp_path) == data

    def fail() -> french_lookup.FrenchLookup:
        raise AssertionError("rebuilt although cached")

    monkeypatch.setattr(french_lookup, "build", fail)
    assert french_lookup.load(tmp_path) == data


def test_an_unreadable_cache_is_rebuilt_and_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = french_lookup.FrenchLookup(b"tokenizer", {}, frozenset(), None)
    monkeypatch.setattr(french_lookup, "build", lambda: data)
    path = french_lookup.cache_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x80\x05 truncated")
    assert french_lookup.load(tmp_path) == data
    assert french_lookup.load(tmp_path) == data and path.stat().st_size > 20
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_an_unwritable_cache_costs_time_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tzcld_qual import paths

    data = french_lookup.FrenchLookup(b"tokenizer", {}, frozenset(), None)
    monkeypatch.setattr(french_lookup, "build", lambda: data)

    def refuse(path: Path) -> Path:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(paths, "make_private_dir", refuse)
    assert french_lookup.load(tmp_path) == data
    assert not french_lookup.cache_path(tmp_path).exists()


def test_a_program_for_another_pattern_is_not_used() -> None:
    program = french_lookup._program("(?i)b+")
    assert program is not None
    assert french_lookup._compiled("(?i)b+", program).match("BBa").span() == (0, 2)
    assert french_lookup._compiled("a+", program).match("aab").span() == (0, 2)  # recompiled
    assert french_lookup._compiled("a+", ("a+", "not", "a", "program")).match("a")  # bad program: re


@pytest.mark.slow
def test_a_cache_damaged_inside_is_rebuilt_and_replaced(tmp_path: Path) -> None:
    """A file that unpickles but holds a broken tokenizer does not break the lexicon."""
    import dataclasses
    import pickle

    good = french_lookup.load(tmp_path)
    path = french_lookup.cache_path(tmp_path)
    path.write_bytes(pickle.dumps(dataclasses.replace(good, tokenizer=b"\x00 not msgpack")))
    nlp, data = french_lookup.ready(tmp_path)
    assert [t.lemma_ for t in nlp("j'avais droit")] == ["je", "avoir", "droit"]
    assert data.tokenizer == good.tokenizer
    assert french_lookup.load(tmp_path).tokenizer == good.tokenizer  # the file was replaced
