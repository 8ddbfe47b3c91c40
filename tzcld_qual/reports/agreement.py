"""Inter-coder agreement at segment level: Cohen's kappa, Krippendorff's alpha, percent agreement.

Pure arithmetic on sets of codes, no store and no numpy. Each code is a binary variable ("does it
apply to this segment?") rated by two coders on the same segments, so every figure comes from one
2×2 table and is computed exactly with integers. A figure that is undefined (a code neither coder
used, no segment in common) is ``None``, never a made-up 1.0: kappa and alpha divide by the
chance disagreement, which is zero when both coders gave the same answer everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass

# Below this many segments where a code applies, one segment more or less swings its kappa: a
# code applied once, by both coders, had κ = 1,00 on the strength of that single segment.
FEW_POSITIVES = 5


@dataclass(frozen=True, slots=True)
class Table2x2:
    """How two coders answered "does this code apply?" on the same units."""

    both: int = 0  # A yes, B yes
    only_a: int = 0  # A yes, B no
    only_b: int = 0  # A no, B yes
    neither: int = 0  # A no, B no

    @property
    def units(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither

    @property
    def disagreements(self) -> int:
        return self.only_a + self.only_b

    @property
    def positives(self) -> int:
        """Units where at least one coder applied the code: what kappa and alpha rest on."""
        return self.both + self.only_a + self.only_b

    def __add__(self, other: Table2x2) -> Table2x2:
        return Table2x2(
            self.both + other.both,
            self.only_a + other.only_a,
            self.only_b + other.only_b,
            self.neither + other.neither,
        )


def percent_agreement(table: Table2x2) -> float | None:
    """Share of units on which the coders gave the same answer (``None`` without units)."""
    if table.units == 0:
        return None
    return (table.both + table.neither) / table.units


def cohen_kappa(table: Table2x2) -> float | None:
    """Cohen's kappa, ``(p_o − p_e) / (1 − p_e)``, computed as ``(N·agree − E) / (N² − E)``.

    ``E = A₁·B₁ + A₀·B₀`` (products of each coder's marginals). Undefined (``None``) when
    ``N² = E``, i.e. both coders gave one and the same answer on every unit.
    """
    n = table.units
    a1, b1 = table.both + table.only_a, table.both + table.only_b
    expected = a1 * b1 + (n - a1) * (n - b1)
    denominator = n * n - expected
    if n == 0 or denominator == 0:
        return None
    return (n * (table.both + table.neither) - expected) / denominator


def krippendorff_alpha(table: Table2x2) -> float | None:
    """Krippendorff's alpha for a nominal binary variable, two coders, no missing values.

    With ``n = 2N`` pairable values, ``n₁`` of them "yes" and ``n₀`` "no", and ``D`` disagreeing
    units, the coincidence matrix gives ``α = 1 − (n − 1)·D / (n₀·n₁)``. Undefined (``None``)
    when only one value occurs (``n₀·n₁ = 0``): there is no variation to agree on.
    """
    n = 2 * table.units
    n1 = 2 * table.both + table.only_a + table.only_b
    n0 = n - n1
    if n0 * n1 == 0:
        return None
    return 1 - (n - 1) * table.disagreements / (n0 * n1)


@dataclass(frozen=True, slots=True)
class CodeAgreement:
    code: str
    table: Table2x2
    percent: float | None
    kappa: float | None
    alpha: float | None

    @property
    def few_positives(self) -> bool:
        """A kappa there is, resting on fewer than :data:`FEW_POSITIVES` positive cases."""
        return self.kappa is not None and self.table.positives < FEW_POSITIVES


@dataclass(frozen=True, slots=True)
class Disagreement:
    segment_id: int
    code: str
    coder_a: bool  # whether A applied the code
    coder_b: bool


@dataclass(frozen=True, slots=True)
class Agreement:
    """Per-code and overall figures for two coders on the segments both coded.

    Overall figures pool every (segment, code) pair into one 2×2 table; ``mean_kappa`` averages
    the per-code kappas that are defined (``defined_kappas`` of them); ``exact_match`` is the
    share of segments given exactly the same set of codes.
    """

    coder_a: str
    coder_b: str
    segments: tuple[int, ...]
    codes: tuple[CodeAgreement, ...]
    disagreements: tuple[Disagreement, ...]
    pooled: Table2x2
    percent: float | None
    kappa: float | None
    alpha: float | None
    mean_kappa: float | None
    defined_kappas: int
    exact_match: float | None
    left_open: int = 0  # (segment, code) pairs left out: a coder left a suggestion of the code undecided

    @property
    def units(self) -> int:
        return len(self.segments)

    def code(self, code_id: str) -> CodeAgreement | None:
        return next((c for c in self.codes if c.code == code_id), None)

    @property
    def few_positives(self) -> tuple[str, ...]:
        """Codes whose kappa rests on fewer than :data:`FEW_POSITIVES` positive cases."""
        return tuple(c.code for c in self.codes if c.few_positives)


def compare(
    codes: Sequence[str],
    coder_a: Mapping[int, Set[str]],
    coder_b: Mapping[int, Set[str]],
    *,
    name_a: str = "A",
    name_b: str = "B",
    open_a: Mapping[int, Set[str]] | None = None,
    open_b: Mapping[int, Set[str]] | None = None,
) -> Agreement:
    """Agreement on ``codes`` over the segments present in both mappings (segment → codes applied).

    A segment absent from a mapping was not coded by that coder and is left out; an empty set
    means "coded, no code applies". Codes outside ``codes`` are ignored. ``open_a``/``open_b``
    name, per segment, codes a coder left open (a suggestion they did not decide): such a
    (segment, code) pair is no answer of theirs and is left out of that code's table.
    """
    segments = tuple(sorted(set(coder_a) & set(coder_b)))
    no_open: Set[str] = frozenset()

    def left_open(segment: int) -> Set[str]:
        return (open_a or {}).get(segment, no_open) | (open_b or {}).get(segment, no_open)

    per_code: list[CodeAgreement] = []
    disagreements: list[Disagreement] = []
    pooled = Table2x2()
    skipped = 0
    for code in codes:
        counts = [0, 0, 0, 0]  # both, only_a, only_b, neither
        for segment in segments:
            if code in left_open(segment):
                skipped += 1
                continue
            in_a, in_b = code in coder_a[segment], code in coder_b[segment]
            counts[(0 if in_b else 1) if in_a else (2 if in_b else 3)] += 1
            if in_a != in_b:
                disagreements.append(Disagreement(segment, code, in_a, in_b))
        table = Table2x2(*counts)
        pooled += table
        per_code.append(
            CodeAgreement(code, table, percent_agreement(table), cohen_kappa(table), krippendorff_alpha(table))
        )
    order = {code: i for i, code in enumerate(codes)}
    kappas = [c.kappa for c in per_code if c.kappa is not None]
    wanted = set(codes)
    same = sum(
        (set(coder_a[s]) & (judged := wanted - left_open(s))) == (set(coder_b[s]) & judged) for s in segments
    )
    return Agreement(
        coder_a=name_a,
        coder_b=name_b,
        segments=segments,
        codes=tuple(per_code),
        disagreements=tuple(sorted(disagreements, key=lambda d: (d.segment_id, order[d.code]))),
        pooled=pooled,
        percent=percent_agreement(pooled),
        kappa=cohen_kappa(pooled),
        alpha=krippendorff_alpha(pooled),
        mean_kappa=sum(kappas) / len(kappas) if kappas else None,
        defined_kappas=len(kappas),
        exact_match=same / len(segments) if segments else None,
        left_open=skipped,
    )
