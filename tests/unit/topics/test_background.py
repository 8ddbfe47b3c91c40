"""Lemmas computed in a spawned process while the caller works, with the caller as fallback."""

from __future__ import annotations

import pytest
from topics_corpus import ChildFailingLemmatizer, WordLemmatizer

from tzcld_qual.topics.background import BackgroundLemmas

TEXTS = ["Le CDI m'a changé la vie", "On se retrouve à la ressourcerie", "", "Ça va mieux"]


def test_a_large_batch_runs_in_another_process_and_gives_what_the_caller_would() -> None:
    with BackgroundLemmas(WordLemmatizer(), TEXTS, min_texts=1) as pending:
        assert pending.in_background
        result = pending.result()
    assert result == WordLemmatizer().lemmatize(TEXTS)
    assert result[0][1] == ("cdi", 3, 6)


def test_small_batches_and_unportable_lemmatizers_stay_here() -> None:
    assert not BackgroundLemmas(WordLemmatizer(), TEXTS).in_background  # fewer than MIN_TEXTS

    class Local(WordLemmatizer):
        portable = False

    pending = BackgroundLemmas(Local(), TEXTS, min_texts=1)
    assert not pending.in_background
    assert pending.result() == WordLemmatizer().lemmatize(TEXTS)


def test_a_failing_worker_is_replaced_by_the_caller() -> None:
    with BackgroundLemmas(ChildFailingLemmatizer(), TEXTS, min_texts=1) as pending:
        assert pending.in_background
        assert pending.result() == WordLemmatizer().lemmatize(TEXTS)


def test_leaving_the_block_early_stops_the_process() -> None:
    with pytest.raises(KeyboardInterrupt), BackgroundLemmas(WordLemmatizer(), TEXTS * 500, min_texts=1) as pending:
        process = pending._process
        raise KeyboardInterrupt
    process.join(timeout=5)
    assert not process.is_alive()
