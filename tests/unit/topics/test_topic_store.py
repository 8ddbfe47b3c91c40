"""Migration 2 and the topic repository on a real project file."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tzcld_qual.store import ProjectStore
from tzcld_qual.store.schema_topics import MIGRATION
from tzcld_qual.store.topics import TopicRecord, TopicRepo, topic_repo
from tzcld_qual.topics.result import Scope


def _record(topic: int, quotes: tuple[tuple[int, float], ...]) -> TopicRecord:
    return TopicRecord(topic=topic, size=2, label=f"t{topic}", keyphrases=("a b", "c"), quotes=quotes,
                       breakdown={"role": {"élu·e": 2}}, neighbours=(("F1", 0.5),),
                       centroid=np.arange(4, dtype=np.float32).tobytes())


def test_migration_is_idempotent_and_creates_the_tables(project: Path) -> None:
    with ProjectStore(project) as store:
        for _ in range(2):
            for statement in MIGRATION:
                store.connection.execute(statement)
        names = {r[0] for r in store.connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"topic_runs", "topics", "topic_assignments", "topic_lemmas"} <= names


def test_runs_topics_assignments_and_promotions_round_trip(project: Path) -> None:
    with ProjectStore(project) as store:
        repo = topic_repo(store)
        assert isinstance(repo, TopicRepo) and repo.latest() is None
        ids = [s.id for s in store.documents.segments()][:5]
        first = repo.add_run(fingerprint="fp", scope="all", params={"min_size": 2}, embedding_model="m",
                             analyzer="a", codebook_version=1,
                             assignments=[(ids[0], 0, 0.9), (ids[1], 0, 0.8), (ids[2], -1, 0.0)],
                             topics=[_record(0, ((ids[1], 0.7), (ids[0], 0.6)))])
        second = repo.add_run(fingerprint="fp", scope="all", params={}, embedding_model="m", analyzer="a",
                              codebook_version=None, assignments=[], topics=[])
        assert (first, second) == ("topics@1", "topics@2")
        assert repo.find("fp") == "topics@2" and repo.find("other") is None and repo.latest() == "topics@2"
        run = repo.run(first)
        assert run is not None and run.scope is Scope.ALL and run.segments == 3 and run.outliers == 1
        topic = run.topics[0]
        assert [q.segment_id for q in topic.quotes] == [ids[1], ids[0]]
        assert topic.quotes[0].citation.endswith(f"· {ids[1]}]") and topic.quotes[0].document.startswith("doc-")
        assert topic.keyphrases == ("a b", "c") and dict(topic.breakdown["role"]) == {"élu·e": 2}
        assert repo.assignments(first, 0) == {ids[0]: (0, 0.9), ids[1]: (0, 0.8)}
        assert list(repo.centroid(first, 0)) == [0.0, 1.0, 2.0, 3.0]
        repo.mark_promoted(first, 0, "T1", 2)
        assert repo.run(first).topics[0].promoted_code == "T1"
        assert [r["topics"] for r in repo.runs()] == [1, 0]


def test_lemma_cache_is_keyed_by_analyzer(project: Path) -> None:
    with ProjectStore(project) as store:
        repo = topic_repo(store)
        repo.put_lemmas({"h1": "permis voiture"}, "a1")
        assert repo.lemmas(["h1", "h2"], "a1") == {"h1": "permis voiture"}
        assert repo.lemmas(["h1"], "a2") == {}
