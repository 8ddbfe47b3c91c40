"""BERTopic over precomputed embeddings: UMAP (or PCA) → HDBSCAN → c-TF-IDF over French lemmas.

Embeddings always come from the project's cache; BERTopic is given the project's own embedding
model object (never a model name), so it can never try to download one. Reproducible: UMAP runs
with a fixed ``random_state`` on an exact cosine k-NN graph computed here (deterministic, and it
spares pynndescent's compilation); HDBSCAN and c-TF-IDF are deterministic; BERTopic numbers topics
by decreasing size.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tzcld_qual.topics import representation
from tzcld_qual.topics.result import OUTLIER, TopicParams, auto_min_size

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True, slots=True)
class Clustering:
    """What the topic model says about the documents it was fitted on (row order kept)."""

    labels: tuple[int, ...]  # topic per document, OUTLIER for none; topics 0..k-1 by decreasing size
    probabilities: tuple[float, ...]  # HDBSCAN membership strength of each document in its topic
    terms: Mapping[int, tuple[str, ...]]  # c-TF-IDF terms per topic, best first

    @property
    def topic_ids(self) -> tuple[int, ...]:
        return tuple(sorted(t for t in set(self.labels) if t != OUTLIER))


def reduce_embeddings(embeddings: np.ndarray, params: TopicParams) -> np.ndarray:
    """The low-dimensional layout HDBSCAN clusters (UMAP or PCA), as BERTopic itself computes it.

    Apart from :func:`fit_topics` so a caller can do other work (lemmas) while it runs.
    """
    import numpy as np

    embeddings = np.asarray(embeddings, dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # UMAP's "n_jobs overridden by random_state", precomputed_knn notes
        return np.nan_to_num(_reducer(embeddings, params).fit_transform(embeddings))


def fit_topics(
    lemma_docs: Sequence[str], embeddings: np.ndarray, params: TopicParams, *, embedding_model: Any = None,
    reduced: np.ndarray | None = None,
) -> Clustering:
    """Cluster ``embeddings`` (one row per doc, L2-normalised) and describe clusters by their lemmas.

    ``reduced``: :func:`reduce_embeddings` of ``embeddings`` when the caller already has it.
    ``embedding_model`` is handed to BERTopic as is (a loaded ``SentenceTransformer``); it is not
    used to encode anything since the embeddings are given.
    """
    import numpy as np

    from tzcld_qual.heavy_imports import import_torch

    import_torch()  # before BERTopic imports it
    from bertopic import BERTopic
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.vectorizers import ClassTfidfTransformer
    from hdbscan import HDBSCAN

    n = len(lemma_docs)
    min_size = params.min_size or auto_min_size(n)
    min_samples = None if params.min_samples is None else min(params.min_samples, min_size)
    if reduced is None:
        reduced = reduce_embeddings(embeddings, params)
    model = BERTopic(
        language="french",  # not "english", whose preprocessing strips every non-ASCII letter
        embedding_model=embedding_model,
        umap_model=BaseDimensionalityReduction(),  # the layout is given: ``reduced``
        hdbscan_model=HDBSCAN(min_cluster_size=min_size, min_samples=min_samples,
                              metric="euclidean", cluster_selection_method="eom", prediction_data=False,
                              core_dist_n_jobs=1),  # its default process pool costs ~20 s on 20,000 segments
        vectorizer_model=representation.vectorizer(n),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        top_n_words=params.keyphrases * 5,  # room for topic_keyphrases' filters
        calculate_probabilities=False,
        verbose=False,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        labels, probabilities = model.fit_transform(list(lemma_docs), embeddings=reduced)
    terms = {int(t): tuple(w for w, _ in (model.get_topic(t) or []) if w) for t in set(labels) if t != OUTLIER}
    probs = np.ones(n) if probabilities is None else np.asarray(probabilities, dtype=float).reshape(n, -1)[:, 0]
    return Clustering(labels=tuple(int(x) for x in labels), probabilities=tuple(round(float(p), 6) for p in probs),
                      terms=terms)


def _reducer(embeddings: np.ndarray, params: TopicParams) -> Any:
    n = len(embeddings)
    components = max(2, min(params.n_components, n - 2))
    if params.reduction == "pca":
        from sklearn.decomposition import PCA

        return PCA(n_components=min(components, embeddings.shape[1]), random_state=params.random_state)
    from umap import UMAP

    neighbors = max(2, min(params.n_neighbors, n - 1))
    knn = exact_knn(embeddings, neighbors)
    return UMAP(n_neighbors=neighbors, n_components=components, min_dist=0.0, metric="cosine",
                random_state=params.random_state, precomputed_knn=(*knn, None), low_memory=True, n_jobs=1)


def exact_knn(embeddings: np.ndarray, k: int, *, chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest rows of each row by cosine (rows are L2-normalised), itself first.

    Blocks of rows against all rows (numpy's BLAS product, whose sums do not depend on the
    thread count), top-k by ``torch.topk`` (loaded with BERTopic anyway; ~2× faster than
    ``numpy.argpartition`` here). The result depends only on the data: within the k, ties are
    ordered by row index; which of several exactly tied rows takes the k-th place is topk's
    deterministic choice.
    """
    import numpy as np

    from tzcld_qual.heavy_imports import import_torch

    torch = import_torch()

    n = len(embeddings)
    data = np.ascontiguousarray(embeddings, dtype=np.float32)
    indices = np.empty((n, k), dtype=np.int64)
    distances = np.empty((n, k), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, n, chunk):
            sims = data[start:start + chunk] @ data.T
            rows = np.arange(sims.shape[0])
            sims[rows, rows + start] = np.inf  # itself first, even among duplicates
            found = torch.topk(torch.from_numpy(sims), k, dim=1)
            top, part = found.values.numpy(), found.indices.numpy()
            order = np.lexsort((part, -top), axis=1)  # by similarity, then by row index
            indices[start:start + chunk] = np.take_along_axis(part, order, axis=1)
            best = np.take_along_axis(top, order, axis=1)
            best[:, 0] = 1.0
            distances[start:start + chunk] = np.clip(1.0 - best, 0.0, 2.0)
    return indices, distances
