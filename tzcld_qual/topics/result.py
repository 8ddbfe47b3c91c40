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

COVERAGE_RULE = (
    "Couvert par le codebook : le centre du thème est au moins aussi proche d'un code (cosinus, direction "
    "commune ôtée) que les segments codés de ce projet le sont du leur, soit {threshold} ou plus : le plus "
    "faible de {codes} codes mesurés sur leurs segments codés ({code} ; codes d'au moins {size} segments "
    "validés, ou suggérés sûrs par le modèle courant). En dessous : pas couvert, un thème à examiner."
)
COVERAGE_UNKNOWN = (
    "Couvert par le codebook : pas de verdict, aucun code n'a encore assez de segments codés pour mesurer à "
    "quelle distance de son code se tient un thème qu'il couvre (codez ou lancez tzcld-qual code, puis --refit)."
)
PHASE_TURNS = 2  # first and last respondent turns of an interview where its opening and closing happen
PHASE_SHARE = 2 / 3  # share of a theme's segments there from which it is a phase, not a finding
PHASE_RULE = (
    "Phase de l'entretien : au moins deux tiers des segments du thème sont parmi les deux premières (ouverture : "
    "présentations) ou les deux dernières (clôture : remerciements, au revoir) réponses de leur entretien, "
    "contre {base} de l'ensemble des segments de répondants."
)


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

    def excerpt(self, width: int = 220) -> str:
        return clip(self.text, width)


def clip(text: str, width: int) -> str:
    """``text`` on one line, cut at a word boundary with « … » past ``width`` characters (the TUI
    cut mid-word without a sign: « y a rien à fair »)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    if text[width - 1] != " " and " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


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

    # -- verdicts: one rule each, said the same by the CLI, the TUI and the report ----------------
    @property
    def coverage(self) -> Mapping[str, Any] | None:
        """How close the project's coded segments are to their code (``services.topics._coverage``):
        ``threshold`` (the lowest such similarity), ``code`` (whose it is), ``codes`` (measured)."""
        found = self.params.get("coverage")
        return found if isinstance(found, Mapping) and found.get("threshold") is not None else None

    def phase(self, topic: Topic) -> str | None:
        """``"ouverture"`` or ``"clôture"`` when the topic is a phase of the interviews (see
        :data:`PHASE_RULE`), else ``None``."""
        return (self.params.get("phases") or {}).get(str(topic.id))

    def covered_by(self, topic: Topic) -> str | None:
        """The code that covers ``topic`` by :data:`COVERAGE_RULE`, or ``None``."""
        coverage = self.coverage
        if coverage is None or topic.nearest_similarity is None:
            return None
        return topic.nearest_code if topic.nearest_similarity >= float(coverage["threshold"]) else None

    def verdict(self, topic: Topic) -> str:
        """``"phase"``, ``"covered"``, ``"uncovered"``, or ``"unknown"`` (nothing coded to measure by)."""
        if self.phase(topic):
            return "phase"
        if self.coverage is None:
            return "unknown"
        return "covered" if self.covered_by(topic) else "uncovered"

    def verdict_label(self, topic: Topic) -> str:
        """The verdict in a few words, for tables: « couvert (F1) », « pas couvert », « phase (clôture) »."""
        verdict = self.verdict(topic)
        if verdict == "phase":
            return f"phase de l'entretien ({self.phase(topic)})"
        if verdict == "covered":
            return f"couvert ({self.covered_by(topic)})"
        return "pas couvert" if verdict == "uncovered" else "sans verdict"

    def verdict_text(self, topic: Topic) -> str:
        """The verdict on ``topic`` in one French phrase, with its numbers."""
        verdict = self.verdict(topic)
        if verdict == "phase":
            phase = self.phase(topic)
            edge = "premières" if phase == "ouverture" else "dernières"
            at = (self.params.get("at_edges") or {}).get(str(topic.id))
            many = "la plupart de ses segments sont" if at is None else f"{at} de ses {topic.size} segments sont"
            return (f"phase de l'entretien ({phase}) : {many} parmi les deux premières ou deux dernières "
                    f"réponses de leur entretien (surtout les {edge}) ; pas un thème à promouvoir")
        near = f"{topic.nearest_code} ({_num(topic.nearest_similarity)})" if topic.nearest_code else "aucun code"
        if verdict == "unknown":
            return (f"pas de verdict : aucun code n'a encore assez de segments codés pour mesurer ce qu'est "
                    f"« couvert » ; code le plus proche : {near}")
        threshold = _num(float(self.coverage["threshold"])) if self.coverage else "?"
        if verdict == "covered":
            return f"couvert par le codebook : proche de {near}, au moins {threshold}"
        return f"pas couvert par le codebook : le code le plus proche, {near}, reste sous {threshold}"

    def rules(self) -> tuple[str, ...]:
        """The rules behind :meth:`verdict`, with this run's numbers, as printed under the themes."""
        out = []
        coverage = self.coverage
        if coverage is not None:
            out.append(COVERAGE_RULE.format(threshold=_num(float(coverage["threshold"])), code=coverage["code"],
                                            codes=coverage["codes"], size=coverage.get("min_segments", "?")))
        else:
            out.append(COVERAGE_UNKNOWN)
        base = self.params.get("edge_share")
        out.append(PHASE_RULE.format(base="?" if base is None else f"{100 * float(base):.0f}\u00a0%"))
        return tuple(out)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` and the chat (citations and shares spelled out)."""
        return {
            "run": self.id, "created_at": self.created_at, "scope": self.scope.value,
            "params": dict(self.params), "embedding_model": self.embedding_model,
            "codebook_version": self.codebook_version, "segments": self.segments,
            "outliers": self.outliers, "reused": self.reused, "removed_segments": self.removed,
            "scope_changes": {"left": self.left, "entered": self.entered},
            "coverage": None if self.coverage is None else dict(self.coverage), "rules": list(self.rules()),
            "topics": [{**_topic_dict(t, self.segments), "verdict": self.verdict(t), "covered_by": self.covered_by(t),
                        "phase": self.phase(t), "verdict_text": self.verdict_text(t)} for t in self.topics],
        }


def _num(value: float | None) -> str:
    """French decimal, two places: ``0,42``."""
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


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
