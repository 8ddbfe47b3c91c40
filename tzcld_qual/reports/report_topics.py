"""Emergent themes for the report: the latest topic run saved in the project, if any."""

from __future__ import annotations

from collections.abc import Callable

from tzcld_qual.model import Codebook, Role
from tzcld_qual.reports.report import Theme, ThemeQuote, ThemeRun
from tzcld_qual.store import ProjectStore

# (run id, topic) -> (code, earlier run, its topic) when an earlier run's theme with mostly the
# same segments became a code (services.topics.earlier_promotion)
EarlierCode = Callable[[str, int], tuple[str, str, int] | None]


def emergent_themes(
    store: ProjectStore, earlier: EarlierCode | None = None, codebook: Codebook | None = None
) -> ThemeRun | None:
    """The latest run with its themes (outliers excluded) and what it clustered, or ``None`` when
    none was computed. Segments of documents removed since are left out (``store.topics.run``);
    a code a theme became that ``codebook`` no longer has is said to be gone."""
    run_id = store.topics.latest()
    run = store.topics.run(run_id) if run_id else None
    if run is None:
        return None
    themes = tuple(
        Theme(
            label=t.label,
            size=t.size,
            keywords=tuple(t.keyphrases[:8]),
            nearest_code=t.nearest_code,
            similarity=t.neighbours[0][1] if t.neighbours else None,
            quotes=tuple(ThemeQuote(q.segment_id, q.document, q.speaker, q.text) for q in t.quotes[:2]),
            id=t.id,
            promoted_code=_still(t.promoted_code, codebook),
            earlier_code=None if t.promoted_code or earlier is None else earlier(run.id, t.id),
            verdict=run.verdict(t),
            verdict_label=run.verdict_label(t),
            verdict_text=run.verdict_text(t),
        )
        for t in run.topics
        if t.id != -1
    )
    return ThemeRun(
        id=run.id,
        created_at=run.created_at,
        scope=run.scope.value,
        threshold=float(run.params.get("low_confidence", 0.5)),
        segments=run.segments,
        respondent_segments=store.documents.count_segments(Role.RESPONDENT),
        outliers=run.outliers,
        removed=run.removed,
        themes=themes,
        rules=run.rules(),
    )


def _still(code: str | None, codebook: Codebook | None) -> str | None:
    if code is None or codebook is None or code in codebook:
        return code
    return f"{code} (retiré du codebook depuis)"
