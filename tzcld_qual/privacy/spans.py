"""What the detectors find: typed character spans, and how overlapping finds are settled."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum


class Kind(StrEnum):
    """The kinds of identifiers, named as their placeholders are (``[PERSONNE_1]``)."""

    PERSONNE = "PERSONNE"
    LIEU = "LIEU"
    ORGANISATION = "ORGANISATION"
    TELEPHONE = "TELEPHONE"
    EMAIL = "EMAIL"
    ADRESSE = "ADRESSE"
    DATE_NAISSANCE = "DATE_NAISSANCE"
    NUMERO_SECU = "NUMERO_SECU"  # NIR: « 2 71 05 49 123 456 78 »
    COMPTE = "COMPTE"  # a handle on a social network: « @nath_faure49 »
    LIEN = "LIEN"  # a profile's address, or one that holds a replaced name: « facebook.com/nathalie.faure.49 »


# Which detector found a span, highest priority first: an overlap is settled for the stronger one.
LABEL, PATTERN, CUE, GAZETTEER, CONTEXT, NER, KNOWN = 100, 90, 80, 70, 60, 50, 40

PLACEHOLDER = re.compile(r"\[(?:" + "|".join(k.value for k in Kind) + r")_\d+\]")


@dataclass(frozen=True, slots=True)
class Found:
    """``text[start:end]`` is an identifier of ``kind``; ``priority`` says which detector found it."""

    start: int
    end: int
    kind: Kind
    priority: int

    def overlaps(self, other: Found) -> bool:
        return self.start < other.end and other.start < self.end

    def shifted(self, offset: int) -> Found:
        return replace(self, start=self.start + offset, end=self.end + offset)


def resolve(found: Iterable[Found]) -> list[Found]:
    """Non-overlapping spans in text order.

    Stronger detectors win overlaps; a weaker span of the same kind widens the kept one (the NER's
    "Sylvie Martin" over the gazetteer's "Sylvie"), of another kind it is dropped, unless it
    strictly contains a mere first-name guess ("la boulangerie Le Fournil d'Anaïs").
    """
    kept: list[Found] = []
    for item in sorted(found, key=lambda f: (-f.priority, -(f.end - f.start), f.start)):
        if item.end <= item.start:
            continue
        clashes = [k for k in kept if k.overlaps(item)]
        if _only_first_names_inside(item, clashes):
            for k in clashes:  # "Le Fournil d'Anaïs": the first name is part of a longer name
                kept.remove(k)
            clashes = []
        if not clashes:
            kept.append(item)
        elif all(k.kind is item.kind for k in clashes):
            for k in clashes:
                kept.remove(k)
            start = min(item.start, *(k.start for k in clashes))
            end = max(item.end, *(k.end for k in clashes))
            kept.append(Found(start, end, item.kind, max(k.priority for k in clashes)))
    return sorted(kept, key=lambda f: f.start)


def _only_first_names_inside(item: Found, clashes: list[Found]) -> bool:
    return (
        bool(clashes)
        and all(k.priority == GAZETTEER and item.start <= k.start and k.end <= item.end for k in clashes)
        and any((k.start, k.end) != (item.start, item.end) for k in clashes)
    )


def subtract(found: Found, holes: Iterable[tuple[int, int]]) -> list[Found]:
    """The parts of ``found`` outside every ``(start, end)`` hole (allowed names, placeholders)."""
    parts = [(found.start, found.end)]
    for h_start, h_end in holes:
        nxt = []
        for start, end in parts:
            if h_end <= start or h_start >= end:
                nxt.append((start, end))
                continue
            if h_start > start:
                nxt.append((start, h_start))
            if h_end < end:
                nxt.append((h_end, end))
        parts = nxt
    return [replace(found, start=s, end=e) for s, e in parts if e > s]
