"""Semantic search over the respondent segments, with a persisted index.

Segment vectors come from the project's embedding cache (the service layer passes
``services.embeddings.embed_texts``: computed once per text and model, only the missing ones are
encoded). They are gathered into one matrix stored in the project (``chat_index``, float16) and
reused until the set of respondent segments changes, so a question costs one query encoding and
one matrix product.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tzcld_qual.embed import Embedder
from tzcld_qual.store import ProjectStore

if TYPE_CHECKING:
    import numpy as np

# (store, embedder, texts) -> vectors, caching them in the project: services.embeddings.embed_texts
EmbedTexts = Callable[[ProjectStore, Embedder, Sequence[str]], Any]


@dataclass(frozen=True, slots=True)
class SemanticIndex:
    """Unit vectors of respondent segments (rows) and their ids, for one embedding model."""

    model_id: str
    fingerprint: str
    segment_ids: np.ndarray  # int64
    vectors: np.ndarray  # float32, L2-normalised rows

    def __len__(self) -> int:
        return len(self.segment_ids)

    def search(self, query: np.ndarray, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """The ``k`` segments most similar to ``query`` (a unit vector), best first."""
        import numpy as np

        if not len(self):
            return []
        scores = self.vectors @ np.asarray(query, dtype=np.float32)
        if allowed is not None:
            mask = np.isin(self.segment_ids, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
            scores = np.where(mask, scores, -np.inf)
        k = min(k, int(np.isfinite(scores).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.segment_ids[i]), float(scores[i])) for i in top]


def load_index(
    store: ProjectStore, embedder: Embedder, embed_texts: EmbedTexts, *, cached: SemanticIndex | None = None
) -> SemanticIndex:
    """The index of the project's current respondent segments for ``embedder``'s model.

    ``cached`` (an index kept in memory by the caller) is returned as is while still current;
    otherwise the stored index is read, or built from the embedding cache and stored.
    """
    import numpy as np

    repo = store.chat
    repo.ensure()
    fingerprint = repo.respondent_fingerprint()
    if cached is not None and cached.fingerprint == fingerprint and cached.model_id == embedder.model_id:
        return cached
    stored = repo.index(embedder.model_id)
    if stored is not None and stored.fingerprint == fingerprint:
        vectors = stored.vectors.astype(np.float32)
        return SemanticIndex(embedder.model_id, fingerprint, stored.segment_ids, vectors)
    index = build_index(store, embedder, embed_texts, fingerprint)
    repo.put_index(embedder.model_id, fingerprint, index.segment_ids, index.vectors)
    return index


def build_index(store: ProjectStore, embedder: Embedder, embed_texts: EmbedTexts, fingerprint: str) -> SemanticIndex:
    """Gather the cached vectors of every respondent segment (encoding only those missing)."""
    import numpy as np

    rows = store.chat.respondent_hashes()
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    cached = store.embeddings.get([r[1] for r in rows], embedder.model_id)
    missing = [r[0] for r in rows if r[1] not in cached]
    if missing:
        segments = store.documents.segments(ids=missing, current=False)
        embed_texts(store, embedder, [s.text for s in segments])
        cached = store.embeddings.get([r[1] for r in rows], embedder.model_id)
    if not rows:
        return SemanticIndex(embedder.model_id, fingerprint, ids, np.zeros((0, 0), dtype=np.float32))
    matrix = np.vstack([cached[r[1]] for r in rows]).astype(np.float32)
    return SemanticIndex(embedder.model_id, fingerprint, ids, matrix)
