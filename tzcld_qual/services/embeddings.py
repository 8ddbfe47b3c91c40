"""Embeddings computed once per (text, model) and cached in the project file.

``embed_texts`` for a list of texts; ``BatchVectors`` for a run coded batch by batch, with the
next batches encoded ahead; ``run_embedder`` picks worker processes for a large run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tzcld_qual.embed import Embedder, SentenceTransformerEmbedder
from tzcld_qual.store import ProjectStore, text_hash

if TYPE_CHECKING:
    import numpy as np

    from tzcld_qual.services.shared_vectors import SharedVectors


def embed_texts(
    store: ProjectStore,
    embedder: Embedder,
    texts: Sequence[str],
    *,
    batch_size: int = 512,
    progress: Callable[[int, int], None] | None = None,
    shared: SharedVectors | None = None,
) -> np.ndarray:
    """Vectors for ``texts`` (rows in order), encoding only texts not cached yet.

    New vectors are committed batch by batch, so an interrupted run keeps what it computed.
    Missing texts are encoded sorted by length, which keeps padding-free batches fast.
    ``shared``: the user's vectors of the bundled training texts, read before encoding and given
    what is encoded (it keeps the bundled texts only); what it has is copied into the project.
    ``progress(done, total)``: texts encoded so far out of those to encode, from ``(0, total)``
    on, when there are some.
    """
    hashes, cached, missing = _lookup(store, embedder, texts)
    if shared is not None and missing:
        found = shared.get(missing)
        if found:
            store.embeddings.put(found, embedder.model_id)
            cached.update(found)
            missing = {h: t for h, t in missing.items() if h not in found}
    order = list(missing)
    if progress and order:
        progress(0, len(order))
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        vectors = embedder.encode([missing[h] for h in chunk])
        fresh = dict(zip(chunk, vectors, strict=True))
        store.embeddings.put(fresh, embedder.model_id)
        cached.update(fresh)
        if shared is not None:
            shared.put(fresh)
        if progress:
            progress(start + len(chunk), len(order))
    return _rows(hashes, cached)


def _lookup(
    store: ProjectStore, embedder: Embedder, texts: Sequence[str]
) -> tuple[list[str], dict[str, np.ndarray], dict[str, str]]:
    """The hashes of ``texts``, the vectors cached for them, and the texts still to encode by
    hash, shortest first (which keeps padding-free batches fast)."""
    hashes = [text_hash(t) for t in texts]
    cached = store.embeddings.get(hashes, embedder.model_id)
    missing = {h: t for h, t in zip(hashes, texts, strict=True) if h not in cached}
    return hashes, cached, dict(sorted(missing.items(), key=lambda item: len(item[1])))


def _rows(hashes: Sequence[str], vectors: dict[str, np.ndarray]) -> np.ndarray:
    import numpy as np

    if not hashes:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack([vectors[h] for h in hashes]).astype(np.float32)


def make_embedder(model: str | None = None, threads: int = 0) -> SentenceTransformerEmbedder:
    """The configured embedder, in this process (loaded on first use)."""
    from tzcld_qual.config import load_config

    config = load_config()
    return SentenceTransformerEmbedder(
        model or config.embedder.model,
        threads=threads or config.embedder.threads,
        batch_size=config.embedder.batch_size,
    )


class BatchVectors:
    """Vectors of each batch of texts in turn, as :func:`embed_texts` gives them.

    With an embedder that can ``submit`` (:class:`~tzcld_qual.embed_workers.ParallelEmbedder`),
    the first ``ahead`` batches are handed to the workers at construction (they encode while
    the caller loads its model), and then always the ``ahead`` batches after the one the
    caller is working on (with one, the workers idle whenever they finish it first). Each
    batch's new vectors are committed before it is handed out. An in-process embedder encodes
    each batch when it is asked for: ahead of time it would gain nothing, and the first four
    batches encoded at construction were minutes of a bar saying « préparation 0/? ».
    """

    def __init__(
        self, store: ProjectStore, embedder: Embedder, batches: Sequence[Sequence[str]], *, ahead: int = 4
    ) -> None:
        from collections import deque

        self.store = store
        self.embedder = embedder
        self._batches = batches
        self._ahead = ahead if hasattr(embedder, "submit") else 0
        self._queued = deque(self._start(batch) for batch in batches[: self._ahead])

    def __iter__(self) -> Iterator[np.ndarray]:
        for i in range(len(self._batches)):
            if i + self._ahead < len(self._batches):
                self._queued.append(self._start(self._batches[i + self._ahead]))
            yield self._finish(self._queued.popleft())

    def _start(self, texts: Sequence[str]) -> _Started:
        hashes, cached, missing = _lookup(self.store, self.embedder, texts)
        wanted = list(missing.values())
        submit = getattr(self.embedder, "submit", None)
        pending = None if not wanted else submit(wanted) if submit else self.embedder.encode(wanted)
        return _Started(hashes, cached, list(missing), pending)

    def _finish(self, started: _Started) -> np.ndarray:
        import numpy as np

        if started.order:
            pending = started.pending
            vectors = pending if isinstance(pending, np.ndarray) else pending.result()
            fresh = dict(zip(started.order, vectors, strict=True))
            self.store.embeddings.put(fresh, self.embedder.model_id)
            started.cached.update(fresh)
        return _rows(started.hashes, started.cached)


@dataclass(slots=True)
class _Started:
    hashes: list[str]
    cached: dict[str, np.ndarray]
    order: list[str]  # hashes of the texts being encoded, in the order they were handed out
    pending: Any  # their vectors, or a ``Pending`` result of the workers


def run_embedder(
    store: ProjectStore, texts: Sequence[str], embedder: Embedder | None = None
) -> tuple[Embedder, AbstractContextManager[Any]]:
    """The embedder for a run that needs vectors of ``texts``, and what to close after it.

    ``embedder`` when given; else the configured one, in worker processes (one per core, one
    BLAS thread each: 1.5× the model's throughput on 2 cores) when the run has at least
    :data:`~tzcld_qual.embed_workers.PARALLEL_MIN` new texts to encode.
    """
    from tzcld_qual.config import load_config
    from tzcld_qual.embed_workers import PARALLEL_MIN, ParallelEmbedder

    stack = ExitStack()
    if embedder is not None:
        return embedder, stack
    base = make_embedder()
    workers = load_config().embedder.workers or os.cpu_count() or 1
    if workers < 2 or len(texts) < PARALLEL_MIN:
        return base, stack
    hashes = {text_hash(t) for t in texts}
    if len(hashes - store.embeddings.cached(list(hashes), base.model_id)) < PARALLEL_MIN:
        return base, stack
    pool = stack.enter_context(ParallelEmbedder(base.model, workers=workers, batch_size=base.batch_size))
    return pool.start(), stack


def sharing_cores(embedder: Embedder) -> AbstractContextManager[Any]:
    """While worker processes encode the next batches, this process's numerical work (the
    coders' products) runs on one BLAS thread: two would fight the workers for the cores."""
    if not hasattr(embedder, "submit"):
        return ExitStack()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1)
