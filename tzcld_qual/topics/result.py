"""What a topic run produces: its parameters, its topics with quotes and breakdowns, a promotion.

Frozen values shared by the services, the store's topic repository and the front ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from tzcld_qual.model import Code

OUTLIER = -1  # HDBSCAN's label for segments that belong to no topic
BREAKDOWN_ATTRIBUTES = ("role", "territory", "round")  # document attributes a topic is broken down by
UNKNOWN = "—"  # breakdown value of a document that does not have the attribute


class Scope(StrEnum):
    """Which respondent segments a run clusters."""

    ALL = "all"
    UNCODED = "uncoded"  # no human row says a code applies
    LOW_CONFIDENCE = "low-confidence"  # uncoded, and the current model suggests nothing ≥ 0.5


@dataclass(frozen=True, slots=True)
class TopicParams:
    """Everything that decides a run's topics (with the data and the embedding model).

    The defaults give a handful of topics (about ten) on the demo corpus of ~700 segments.
    """

    scope: Scope = Scope.LOW_CONFIDENCE
    min_size: int | None = None  # HDBSCAN min_cluster_size, the smallest theme; None: auto_min_size(n)
    min_samples: int | None = 5  # HDBSCAN min_samples: lower keeps fewer segments out as outliers
    n_neighbors: int = 15  # UMAP neighbourhood
    n_components: int = 5  # UMAP output dimensions clustered by HDBSCAN
    reduction: str = "umap"  # "umap" (default) or "pca" (linear, no numba compilation)
    random_state: int = 42
    keyphrases: int = 10
    quotes: int = 5
    low_confidence: float = 0.5  # scope low-confidence: suggestions below this do not count

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["scope"] = self.scope.value
        return out


MIN_TOPIC_SIZE = 8


def auto_min_size(segments: int) -> int:
    """Smallest theme for ``segments`` segments: 8, or one in 35 segments on larger corpora
    (20 on the demo corpus), so the number of themes stays readable as the corpus grows."""
    return max(MIN_TOPIC_SIZE, round(segments / 35))


@dataclass(frozen=True, slots=True)
class Quote:
    """A representative verbatim segment of a topic."""

    segment_id: int
    document: str
    speaker: str
    text: str
    similarity: float  # cosine to the topic centroid

    @property
    def citation(self) -> str:
        return f"[{self.document} · {self.speaker} · {self.segment_id}]"


@dataclass(frozen=True, slots=True)
class Topic:
    id: int
    size: int
    label: str
    keyphrases: tuple[str, ...]
    quotes: tuple[Quote, ...]
    breakdown: Mapping[str, Mapping[str, int]]  # attribute -> value -> number of segments
    neighbours: tuple[tuple[str, float], ...]  # nearest existing codes, nearest first
    promoted_code: str | None = None
    promoted_version: int | None = None

    @property
    def nearest_code(self) -> str | None:
        return self.neighbours[0][0] if self.neighbours else None

    @property
    def nearest_similarity(self) -> float | None:
        return self.neighbours[0][1] if self.neighbours else None

    def shares(self, attribute: str) -> dict[str, float]:
        """Share of the topic's segments per value of a document attribute (sums to 1)."""
        counts = self.breakdown.get(attribute, {})
        total = sum(counts.values())
        return {value: n / total for value, n in counts.items()} if total else {}


@dataclass(frozen=True, slots=True)
class TopicRun:
    """One fitted topic model, as stored in the project."""

    id: str  # "topics@N": also the model coder of the suggestions its promotions give
    created_at: str
    scope: Scope
    params: Mapping[str, Any]
    embedding_model: str
    codebook_version: int | None
    segments: int  # segments clustered
    outliers: int  # of which in no topic (label -1)
    topics: tuple[Topic, ...]
    fingerprint: str = ""
    reused: bool = False  # True when an identical earlier run was returned instead of refitting
    removed: int = 0  # clustered segments of documents taken out since (remove, re-import): counted nowhere
    left: int = 0  # reused on a scope that changed a little: clustered segments no longer in it (coded since…)
    entered: int = 0  # … and segments of the scope this run did not cluster

    @property
    def scope_changed(self) -> bool:
        return bool(self.left or self.entered)

    def topic(self, topic_id: int) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` and the chat (citations and shares spelled out)."""
        return {
            "run": self.id, "created_at": self.created_at, "scope": self.scope.value,
            "params": dict(self.params), "embedding_model": self.embedding_model,
            "codebook_version": self.codebook_version, "segments": self.segments,
            "outliers": self.outliers, "reused": self.reused, "removed_segments": self.removed,
            "scope_changes": {"left": self.left, "entered": self.entered},
            "topics": [_topic_dict(t, self.segments) for t in self.topics],
        }


def _topic_dict(topic: Topic, total: int) -> dict[str, Any]:
    return {
        "id": topic.id, "size": topic.size, "share": round(topic.size / total, 4) if total else 0.0,
        "label": topic.label, "keyphrases": list(topic.keyphrases),
        "nearest_code": topic.nearest_code,
        "nearest_similarity": None if topic.nearest_similarity is None else round(topic.nearest_similarity, 4),
        "neighbours": [{"code": c, "similarity": round(s, 4)} for c, s in topic.neighbours],
        "shares": {a: {v: round(s, 4) for v, s in topic.shares(a).items()} for a in topic.breakdown},
        "quotes": [{"segment_id": q.segment_id, "document": q.document, "speaker": q.speaker, "text": q.text,
                    "similarity": round(q.similarity, 4), "citation": q.citation} for q in topic.quotes],
        "promoted_code": topic.promoted_code, "promoted_version": topic.promoted_version,
    }


@dataclass(frozen=True, slots=True)
class Promotion:
    """A topic turned into a code: the new codebook version and the suggestions it received."""

    run_id: str
    topic_id: int
    code: Code
    codebook_version: int
    previous_version: int
    suggestions: int  # segments of the topic now suggested the new code (origin = run_id)
    where: str = "project"  # the codebook lives in the project; no YAML file on disk is changed
    yaml_text: str = field(default="", repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": self.run_id, "topic": self.topic_id, "code": self.code.id, "label": self.code.label,
            "parent": self.code.parent, "definition": self.code.definition,
            "expressions": list(self.code.expressions), "examples": list(self.code.examples),
            "codebook_version": self.codebook_version, "previous_version": self.previous_version,
            "suggestions": self.suggestions, "origin": self.run_id, "codebook_written_to": self.where,
        }


def frozen_breakdown(values: Mapping[str, Mapping[str, int]]) -> Mapping[str, Mapping[str, int]]:
    return MappingProxyType({k: MappingProxyType(dict(v)) for k, v in values.items()})
