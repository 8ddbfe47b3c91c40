"""Cached embeddings, batch by batch, encoded ahead by worker processes when a run is large."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from fakes import HashingEmbedder

from tzcld_qual import embed_workers
from tzcld_qual.services import embeddings
from tzcld_qual.services.embeddings import BatchVectors, run_embedder
from tzcld_qual.store import ProjectStore, text_hash


class _Done:
    def __init__(self, vectors: np.ndarray) -> None:
        self.vectors = vectors

    def result(self) -> np.ndarray:
        return self.vectors


class SubmittingEmbedder(HashingEmbedder):
    """Records when each text was handed out, like the worker pool's ``submit``."""

    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[list[str]] = []

    def submit(self, texts: Sequence[str]) -> _Done:
        self.submitted.append(list(texts))
        return _Done(self.encode(texts))


@pytest.fixture
def store(tmp_path: Path) -> ProjectStore:
    with ProjectStore(tmp_path / "p.tzq", create=True) as s:
        yield s  # type: ignore[misc]


def test_batches_come_back_in_order_and_are_encoded_ahead(store: ProjectStore) -> None:
    batches = [[f"texte {b}-{i} {'long ' * i}" for i in range(5)] for b in range(6)]
    embedder = SubmittingEmbedder()
    vectors = BatchVectors(store, embedder, batches, ahead=2)
    assert len(embedder.submitted) == 2  # handed out before anyone asked: the model loads meanwhile
    seen = 0
    for batch, got in zip(batches, vectors, strict=True):
        seen += 1
        assert len(embedder.submitted) == min(seen + 2, len(batches))  # always two batches ahead
        np.testing.assert_allclose(got, HashingEmbedder().encode(batch), atol=1e-6)
        assert store.embeddings.cached([text_hash(t) for t in batch], embedder.model_id) == {
            text_hash(t) for t in batch
        }  # committed before it is handed out: an interrupted run keeps it
    assert seen == len(batches)


def test_cached_and_repeated_texts_are_not_encoded_again(store: ProjectStore) -> None:
    embedder = SubmittingEmbedder()
    store.embeddings.put({text_hash("déjà là"): HashingEmbedder().encode(["déjà là"])[0]}, embedder.model_id)
    got = list(BatchVectors(store, embedder, [["déjà là", "nouveau", "nouveau"], ["déjà là"]]))
    assert embedder.submitted == [["nouveau"]]
    assert got[0].shape == (3, embedder.dimension) and np.array_equal(got[0][1], got[0][2])
    assert np.array_equal(got[1][0], got[0][0])


def test_an_in_process_embedder_works_the_same(store: ProjectStore) -> None:
    embedder = HashingEmbedder()
    batches = [["un", "deux"], [], ["trois"]]
    got = list(BatchVectors(store, embedder, batches))
    assert [g.shape[0] for g in got] == [2, 0, 1] and embedder.encoded == 3


def test_an_in_process_embedder_encodes_each_batch_when_it_is_asked_for(store: ProjectStore) -> None:
    """Four batches encoded in-process at construction gained nothing and were ~110 s of a first
    run's bar frozen at « préparation : encodeur et données d'entraînement 0/? »."""
    embedder = HashingEmbedder()
    batches = [[f"texte {b}-{i}" for i in range(3)] for b in range(6)]
    vectors = iter(BatchVectors(store, embedder, batches))
    assert embedder.encoded == 0
    next(vectors)
    assert embedder.encoded == 3  # this batch only: the bar moves as each is coded
    assert len(list(vectors)) == 5 and embedder.encoded == 18


def test_embed_texts_counts_what_it_encodes(store: ProjectStore) -> None:
    from tzcld_qual.services.embeddings import embed_texts

    store.embeddings.put({text_hash("déjà là"): HashingEmbedder().encode(["déjà là"])[0]}, "hashing@test")
    seen: list[tuple[int, int]] = []
    texts = ["déjà là", *(f"t{i}" for i in range(5))]
    embed_texts(store, HashingEmbedder(), texts, batch_size=2, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]
    seen.clear()
    embed_texts(store, HashingEmbedder(), ["déjà là"], progress=lambda d, t: seen.append((d, t)))
    assert seen == []  # nothing to encode: no step to show


class _FakePool:
    started = 0

    def __init__(self, model: str, *, workers: int, batch_size: int) -> None:
        self.model, self.workers = model, workers

    def start(self) -> _FakePool:
        _FakePool.started += 1
        return self

    def __enter__(self) -> _FakePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True


@pytest.mark.parametrize(
    ("new_texts", "workers", "expect_pool"),
    [(30, 0, True), (29, 0, False), (30, 1, False)],
)
def test_worker_processes_only_for_runs_with_many_new_texts(
    store: ProjectStore,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    new_texts: int,
    workers: int,
    expect_pool: bool,
) -> None:
    monkeypatch.setattr(embed_workers, "PARALLEL_MIN", 30)
    monkeypatch.setattr(embed_workers, "ParallelEmbedder", _FakePool)
    monkeypatch.setattr(embeddings.os, "cpu_count", lambda: 2)
    (tmp_path / "config.toml").write_text(f"[embedder]\nworkers = {workers}\n", encoding="utf-8")
    monkeypatch.setenv("TZCLD_QUAL_CONFIG_DIR", str(tmp_path))
    texts = [f"segment {i}" for i in range(40)]
    base = embeddings.make_embedder()
    store.embeddings.put({text_hash(t): np.zeros(4, dtype=np.float32) for t in texts[: 40 - new_texts]}, base.model_id)
    embedder, closing = run_embedder(store, texts)
    with closing:
        assert isinstance(embedder, _FakePool) is expect_pool
    if expect_pool:
        assert embedder.model == base.model and embedder.workers == 2 and embedder.closed  # type: ignore[attr-defined]
    given = HashingEmbedder()
    assert run_embedder(store, texts, given)[0] is given  # a caller's embedder is always used as is
