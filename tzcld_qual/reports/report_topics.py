"""Emergent themes for the report, read through the one function the report depends on.

The topics store is another component's work in progress: :func:`emergent_themes` is the single
place to point at it. It reads ``store.topics.list()`` when the store has a topics repository
and returns ``None`` otherwise (the report then leaves the section out). Items may be dataclasses
or mappings; the usual field names of a topic (label, size, keyphrases, nearest code…) are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tzcld_qual.reports.report import Theme
from tzcld_qual.store import ProjectStore


def emergent_themes(store: ProjectStore) -> tuple[Theme, ...] | None:
    """The project's emergent themes, or ``None`` when none were computed."""
    repo = getattr(store, "topics", None)
    lister = getattr(repo, "list", None)
    if lister is None:
        return None
    items = list(lister())
    if not items:
        return None
    return tuple(_theme(item, i) for i, item in enumerate(items, 1))


def _theme(item: Any, number: int) -> Theme:
    keywords = _field(item, "keyphrases", "keywords", "words", "representation") or ()
    quotes = _field(item, "quotes", "representative_docs", "examples") or ()
    similarity = _field(item, "similarity", "nearest_similarity")
    return Theme(
        label=str(_field(item, "label", "name") or f"Thème {number}"),
        size=int(_field(item, "size", "count") or 0),
        keywords=tuple(str(k[0] if isinstance(k, list | tuple) else k) for k in keywords)[:8],
        nearest_code=_field(item, "nearest_code", "code"),
        similarity=float(similarity) if similarity is not None else None,
        quotes=tuple(str(q.get("text", "") if isinstance(q, Mapping) else getattr(q, "text", q)) for q in quotes)[:2],
    )


def _field(item: Any, *names: str) -> Any:
    for name in names:
        value = item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)
        if value is not None:
            return value
    return None
