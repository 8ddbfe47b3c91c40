"""Emergent themes for the report: the latest topic run saved in the project, if any."""

from __future__ import annotations

from tzcld_qual.reports.report import Theme
from tzcld_qual.store import ProjectStore


def emergent_themes(store: ProjectStore) -> tuple[Theme, ...] | None:
    """The latest run's themes (outliers excluded), or ``None`` when none were computed."""
    run_id = store.topics.latest()
    run = store.topics.run(run_id) if run_id else None
    topics = [t for t in run.topics if t.id != -1] if run is not None else []
    if not topics:
        return None
    return tuple(
        Theme(
            label=t.label,
            size=t.size,
            keywords=tuple(t.keyphrases[:8]),
            nearest_code=t.nearest_code,
            similarity=t.neighbours[0][1] if t.neighbours else None,
            quotes=tuple(q.text for q in t.quotes[:2]),
        )
        for t in topics
    )
