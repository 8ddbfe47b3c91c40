"""Co-occurrence of codes on one segment, counted alike by the report and the tables.

Two codes co-occur on a segment when one coder says both are there: one analyst applied both
or, counting suggestions, the model suggests what no analyst decided beside what one applied.
Pooling the analysts would pair codes nobody put together: on a segment where alice added F2
only and bruno F6 only, each says the other's code is absent, yet their union reads « F2 with
F6, validated » (an audit found that pair in the report and in ``cooccurrence.csv``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

Claims = tuple[frozenset[str], ...]  # what each coder says one segment holds


def claims(applied_by: Mapping[str, Iterable[str]], pending: Iterable[str] = ()) -> Claims:
    """Each analyst's applied codes, completed by the ``pending`` suggestions (codes no analyst
    decided there), and the suggestions alone for a segment no analyst applied anything to."""
    extra = frozenset(pending)
    said = [frozenset(codes) | extra for codes in applied_by.values()]
    return (*said, extra) if extra else tuple(said)


def co_occurrences(codes: Sequence[str], segments: Iterable[Claims]) -> tuple[tuple[int, ...], ...]:
    """``codes`` × ``codes``: segments where one claim holds both codes (the diagonal: segments
    where some claim holds the code)."""
    held = list(segments)
    return tuple(tuple(sum(any(a in c and b in c for c in said) for said in held) for b in codes) for a in codes)
