"""How analysts judged a model's suggestions, by confidence band.

A model's confidence is only useful if it means something to the people reviewing: of the
suggestions it gave at 0.9 or more, analysts should accept most; below 0.5, far fewer. This is
measured on the project's own decisions, so it holds for real interviews where no gold file
exists (the dev split only exists for the bundled demo corpus).
"""

from __future__ import annotations

from dataclasses import dataclass

from tzcld_qual.store import ProjectStore

BANDS = ((0.9, 1.0), (0.7, 0.9), (0.5, 0.7), (0.0, 0.5))  # high to low; a band holds [low, high)


@dataclass(frozen=True, slots=True)
class Band:
    low: float
    high: float
    reviewed: int  # analysts' decisions on the model's suggestions with a confidence in the band
    accepted: int  # those that applied the suggested code

    @property
    def share(self) -> float | None:
        return _share(self.accepted, self.reviewed)


@dataclass(frozen=True, slots=True)
class ReviewOutcome:
    model: str
    reviewed: int
    accepted: int
    bands: tuple[Band, ...]

    @property
    def share(self) -> float | None:
        return _share(self.accepted, self.reviewed)


def _share(accepted: int, reviewed: int) -> float | None:
    """Accepted decisions over judged ones (``None`` before any judgement)."""
    return accepted / reviewed if reviewed else None


def review_outcome(store: ProjectStore, model: str) -> ReviewOutcome:
    """Each analyst decision on a finding ``model`` suggested, made after the suggestion, counts
    once: accepted (or added by hand) or rejected. Suggestions nobody has judged since are left
    out, and so are sub-code suggestions, whose confidence is a share of their finding's."""
    judged = store.codings.reviewed_suggestions(model)
    bands = []
    for low, high in BANDS:
        inside = [status for conf, status in judged if low <= conf < high or (high == 1.0 and conf >= 1.0)]
        bands.append(Band(low, high, len(inside), sum(status.applies for status in inside)))
    return ReviewOutcome(model, len(judged), sum(status.applies for _conf, status in judged), tuple(bands))
