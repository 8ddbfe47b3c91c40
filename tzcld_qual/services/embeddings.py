"""Embeddings computed once per (text, model) and cached in the project file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from tzcld_qual.embed import Embedder
from tzcld_qual.store import ProjectStore, text_hash

if TYPE_CHECKING:
    import numpy as np


def embed_texts(
    store: ProjectStore,
    embedder: Embedder,
    texts: Sequence[str],
    *,
    batch_size: int = 512,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Vectors for ``texts`` (rows in order), encoding only texts not cached yet.

    New vectors are committed batch by batch, so an interrupted run keeps what it computed.
    Missing texts are encoded sorted by length, which keeps padding-free batches fast.
    """
    import numpy as np

    hashes = [text_hash(t) for t in texts]
    cached = store.embeddings.get(hashes, embedder.model_id)
    missing = {h: t for h, t in zip(hashes, texts, strict=True) if h not in cached}
    order = sorted(missing, key=lambda h: len(missing[h]))
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        vectors = embedder.encode([missing[h] for h in chunk])
        fresh = dict(zip(chunk, vectors, strict=True))
        store.embeddings.put(fresh, embedder.model_id)
        cached.update(fresh)
        if progress:
            progress(len(chunk))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack([cached[h] for h in hashes]).astype(np.float32)
