"""The BERTopic wrapper: exact k-NN graph, clusters, c-TF-IDF terms, determinism."""

from __future__ import annotations

import numpy as np
import spacy
from topics_corpus import HashingEmbedder, themed_texts

from tzcld_qual.topics.model import exact_knn, fit_topics
from tzcld_qual.topics.representation import FrenchLemmatizer, lemma_string
from tzcld_qual.topics.result import OUTLIER, TopicParams


def test_exact_knn_lists_each_row_first_then_its_nearest_by_cosine() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 8)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    indices, distances = exact_knn(x, 5, chunk=7)
    sims = x @ x.T
    for row in range(50):
        assert indices[row, 0] == row and distances[row, 0] == 0.0
        expected = [j for j in np.argsort(-sims[row], kind="stable") if j != row][:4]
        assert list(indices[row, 1:]) == expected
        assert np.all(np.diff(distances[row]) >= -1e-6)


def test_exact_knn_puts_a_row_before_its_duplicates_and_is_deterministic() -> None:
    x = np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (6, 1))
    indices, distances = exact_knn(x, 3, chunk=4)
    assert [row[0] for row in indices] == list(range(6))
    assert all(len(set(row)) == 3 for row in indices) and np.all(distances == 0.0)
    assert all(list(row[1:]) == sorted(row[1:]) for row in indices)  # ties inside the k: by index
    again, _ = exact_knn(x, 3, chunk=4)
    assert np.array_equal(indices, again)


def test_fit_topics_finds_the_three_themes_numbered_by_size() -> None:
    pairs = themed_texts(per_theme=12, noise=0)
    pairs += [p for p in themed_texts(seed=1, per_theme=6, noise=0) if p[0] == "jardin"]
    texts = [t for _, t in pairs]
    lemmas = [lemma_string(a) for a in FrenchLemmatizer(nlp=spacy.blank("fr")).lemmatize(texts)]
    clustering = fit_topics(lemmas, HashingEmbedder().encode(texts), TopicParams(min_size=5, reduction="pca"))
    assert clustering.topic_ids == (0, 1, 2)
    by_topic: dict[int, set[str]] = {}
    for (theme, _), label in zip(pairs, clustering.labels, strict=True):
        if label != OUTLIER:
            by_topic.setdefault(label, set()).add(theme)
    assert clustering.labels.count(OUTLIER) <= 4
    assert all(len(themes) == 1 for themes in by_topic.values())
    assert by_topic[0] == {"jardin"}  # the largest theme is topic 0
    assert {"jardin", "potager"} & set(clustering.terms[0])
    assert all(0.0 <= p <= 1.0 for p in clustering.probabilities)
    again = fit_topics(lemmas, HashingEmbedder().encode(texts), TopicParams(min_size=5, reduction="pca"))
    assert again == clustering
