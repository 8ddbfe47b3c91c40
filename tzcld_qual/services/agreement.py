"""Inter-coder agreement between two coders (analysts or models), in one project or across two.

The rule, so that a figure always says what it compares:

- A coder has *coded* a segment when it gave an answer on it. For an analyst, that is any
  decision row on the segment (accepted, manual or rejected, on any code); for a model, a segment
  it scored (``store.codings.scored_segments``) or suggested something on. Only the segments
  both coders coded are compared; the others say nothing about agreement.
- On a coded segment, a code *applies* for an analyst when one of their rows says accepted or
  manual (rejected or no row: it does not apply); for a model, when it has a suggestion row.
- A suggestion of a finding that an analyst saw and left undecided on a segment they coded is no
  answer of theirs: that (segment, finding) pair is left out, and counted. Bulk orders decide one
  finding at a time (« accepte les suggestions F5 au-dessus de 0,9 »): the other findings
  suggested there were never looked at. *Saw*: the suggestion was on screen when the analyst last
  decided on the segment, i.e. its row was written before that decision, by the model then in
  service (the latest put in service before it, as ``code`` and ``retrain`` log it once the model
  has scored; in older projects, the latest run registered before it) or a theme made a code
  (``topics@N``), whoever the analyst is compared with. A model fitted later, one never put in
  service, or a review in blind mode (logged with each decision since this version; for older
  ones ``agreement --blind`` says it) showed nothing: not applying the code was the analyst's
  « no ». So the comparison of two analysts never depends
  on which model is current: a retrain that learnt both analysts' codes of a segment
  made each « undecided » on the other's and erased their disagreement. A finding is decided by
  a row on it, a code of it applied, or a rejection of every code of it suggested there:
  rejecting one sub-code of several decides nothing of the finding (the report's rule for
  disputes too).
- Codes are rolled up to their top-level finding (``F3.formation`` counts as ``F3``).
- Across two project files, segments are matched by document name, offsets and text.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from tzcld_qual.errors import NotFoundError, ProjectError, Text, UsageError
from tzcld_qual.model import BLIND, Codebook, Coding, Segment, Status
from tzcld_qual.reports.agreement import FEW_POSITIVES, Agreement, compare
from tzcld_qual.services.model_basis import model_basis
from tzcld_qual.services.projects import current_codebook, open_project
from tzcld_qual.store import CodingFilter, ProjectStore

RULE = Text(
    fr="Segments comparés : ceux que les deux codeurs ont codés (analyste : au moins une décision "
    "sur le segment ; modèle : segment évalué). Un code s'applique si l'analyste l'a accepté ou "
    "ajouté, ou si le modèle le suggère ; les sous-codes comptent pour leur enseignement. Une "
    "suggestion qu'un·e analyste avait sous les yeux et n'a pas tranchée n'est pas comptée comme un "
    "« non » ; celle d'un modèle entraîné après sa dernière décision sur le segment, ou cachée par "
    "la revue en aveugle, ne lui a rien demandé : ne pas appliquer le code est son « non ».",
    en="Compared segments: those both coders coded (analyst: at least one decision on the segment; "
    "model: segment scored). A code applies when the analyst accepted or added it, or the model "
    "suggests it; sub-codes count for their finding. A suggestion an analyst had on screen and "
    "left undecided is not counted as a « no »; one from a model fitted after their last decision "
    "on the segment, or hidden by blind review, asked them nothing: not applying the code is "
    "their « no ».",
)

# The caution beside a kappa resting on few positive cases (``AgreementReport.few_positives``).
FEW_POSITIVES_NOTE = Text(
    fr=f"κ sur moins de {FEW_POSITIVES} cas positifs (segments où l'un des codeurs applique le code) : "
    "à lire avec prudence",
    en=f"κ on fewer than {FEW_POSITIVES} positive cases (segments where either coder applies the code): "
    "read with caution",
)


@dataclass(frozen=True, slots=True)
class CoderCodings:
    """What one coder said: for each segment they coded, the top-level codes that apply."""

    name: str
    kind: str  # "human" | "model"
    project: str
    applied: Mapping[int, frozenset[str]]
    open: Mapping[int, frozenset[str]] = field(default_factory=dict)  # findings suggested, left undecided


@dataclass(frozen=True, slots=True)
class CoderSummary:
    name: str
    kind: str
    project: str
    coded: int  # segments this coder coded


@dataclass(frozen=True, slots=True)
class DisagreementRow:
    segment_id: int  # in the first project
    document: str
    speaker: str
    text: str
    code: str
    coder_a: bool
    coder_b: bool


@dataclass(frozen=True, slots=True)
class AgreementReport:
    coder_a: CoderSummary
    coder_b: CoderSummary
    result: Agreement
    labels: Mapping[str, str]  # code id -> label
    disagreements: tuple[DisagreementRow, ...]
    unmatched: int = 0  # segments coded in the second project with no counterpart in the first
    # segments both coded that a model of the pair learnt from (left out: there it repeats what it
    # was taught), and that model
    learnt_left_out: int = 0
    learnt_by: str | None = None

    @property
    def few_positives(self) -> tuple[str, ...]:
        """Codes whose kappa rests on too few positive cases to be read alone (:data:`FEW_POSITIVES_NOTE`)."""
        return self.result.few_positives


def coder_codings(
    store: ProjectStore,
    coder: str,
    codebook: Codebook | None = None,
    current: Set[int] | None = None,
    *,
    codebook_only: bool = False,
    blind: bool = False,
) -> CoderCodings:
    """Read one coder's codings on current documents (ids ``current``, read when not given),
    following the module's rule. ``codebook_only``: rows on codes the codebook lacks are left
    out, as the report, which says so, leaves them out of everything else. ``blind``: the
    analyst reviewed in blind mode, no suggestion was shown (the store does not record it)."""
    kind = store.codings.coder_kind(coder)
    if kind is None:
        known = ", ".join(store.codings.coders()) or "—"
        raise NotFoundError(
            Text(
                "codeur « {coder} » inconnu dans {project} (codeurs : {known}).",
                "unknown coder « {coder} » in {project} (coders: {known}).",
            ),
            Text(
                "Donnez le nom d'un·e analyste ou l'identifiant d'un modèle (ex. ensemble@2).",
                "Give an analyst's name or a model id (e.g. ensemble@2).",
            ),
            coder=coder,
            project=store.path,
            known=known,
        )
    codebook = codebook or current_codebook(store)
    applied: dict[int, set[str]] = {}
    if kind == "human":
        answered: dict[int, set[str]] = {}  # findings the analyst decided on the segment
        rows: dict[int, set[str]] = {}  # codes the analyst has a row on
        human = store.codings.human(coder)
        for coding in human:
            if codebook_only and coding.code_id not in codebook:
                continue
            codes = applied.setdefault(coding.segment_id, set())
            finding = codebook.roll_up(coding.code_id)
            rows.setdefault(coding.segment_id, set()).add(coding.code_id)
            if coding.status.applies:
                codes.add(finding)
            if coding.status.applies or coding.code_id == finding:
                answered.setdefault(coding.segment_id, set()).add(finding)
        # « relu, aucun code »: a no for every code, as much an answer as a coding (two analysts
        # who both marked a segment agree on it; one who coded it disagrees with the other)
        marked = {segment for segment, _coder in store.codings.no_code(coder=coder)}
        for segment in marked:
            applied.setdefault(segment, set())
        suggested: dict[int, dict[str, set[str]]] = {}  # segment -> finding -> codes suggested
        seen = () if blind else _seen_suggestions(store, coder, human, applied.keys() - marked)
        for coding in seen:
            if not (codebook_only and coding.code_id not in codebook):
                family = suggested.setdefault(coding.segment_id, {})
                family.setdefault(codebook.roll_up(coding.code_id), set()).add(coding.code_id)
        left = {
            segment: frozenset(
                finding
                for finding, codes in families.items()
                if finding not in answered.get(segment, set()) and not codes <= rows.get(segment, set())
            )
            for segment, families in suggested.items()
        }
        return CoderCodings(
            coder,
            kind,
            str(store.path),
            {s: frozenset(c) for s, c in applied.items()},
            {s: codes for s, codes in left.items() if codes},
        )
    else:
        if current is None:
            current = {s.id for s in store.documents.segments()}
        applied = {s: set() for s in store.codings.scored_segments(coder) & current}
        for coding in store.codings.list(CodingFilter(origin=coder, status=Status.SUGGESTED)):
            if not (codebook_only and coding.code_id not in codebook):
                applied.setdefault(coding.segment_id, set()).add(codebook.roll_up(coding.code_id))
    return CoderCodings(coder, kind, str(store.path), {s: frozenset(c) for s, c in applied.items()})


def _seen_suggestions(
    store: ProjectStore, coder: str, human: list[Coding], segments: Set[int]
) -> list[Coding]:
    """The suggestions on ``segments`` that were on screen when ``coder`` last decided there:
    written before that decision, by the model then in service (:func:`_in_service`) or a theme
    made a code.
    The decision's time is the latest of the analyst's rows there (imported ones keep theirs)
    and of their log entries on it (a decision removed leaves no row). A segment whose last
    decision was taken in a blind review (``review --blind``, logged :data:`BLIND`) had none."""
    last: dict[int, datetime] = {}
    blind: dict[int, tuple[datetime, bool]] = {}  # segment -> its last logged decision, blind or not

    def decided(segment: int | None, at: str) -> None:
        if segment is not None and segment in segments:
            when = _instant(at)
            if segment not in last or when > last[segment]:
                last[segment] = when

    for coding in human:
        decided(coding.segment_id, coding.updated_at)
    for entry in store.codings.decisions_on(coder, segments):
        decided(entry.segment_id, entry.at)
        if entry.action == "decide" and entry.segment_id is not None:
            when = _instant(entry.at)
            if entry.segment_id not in blind or when >= blind[entry.segment_id][0]:
                blind[entry.segment_id] = (when, entry.detail == BLIND)
    for segment, (_when, unseen) in blind.items():
        if unseen:
            last.pop(segment, None)
    in_service = _in_service(store)

    return [
        coding
        for coding in store.codings.suggested_on(last)
        if coding.segment_id in last
        and _instant(coding.created_at) <= last[coding.segment_id]
        and (coding.origin.startswith("topics@") or coding.origin == in_service(last[coding.segment_id]))
    ]


def _in_service(store: ProjectStore) -> Callable[[datetime], str | None]:
    """The model in service at a time: the latest put in service before it (logged by ``code``
    and ``retrain`` once the model has scored, :meth:`CodingRepo.log_in_service`). Before the
    first such entry (a project made before it was logged, or imported), the latest run
    registered then, as the review screen shows the latest run when none is current."""
    served = [(_instant(at), model) for at, model in store.codings.in_service_log()]
    runs = sorted((_instant(run["created_at"]), str(run["id"])) for run in store.runs.list())
    if served:
        runs = [run for run in runs if run[0] < served[0][0]] + served
    starts = [when for when, _run in runs]

    def in_service(when: datetime) -> str | None:
        i = bisect.bisect_right(starts, when)
        return runs[i - 1][1] if i else None

    return in_service


def _instant(stamp: str) -> datetime:
    """A stored time, comparable whatever its writer (imported ones may lack the offset: UTC)."""
    when = datetime.fromisoformat(stamp)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def shown_suggesters(store: ProjectStore) -> frozenset[str]:
    """The suggestions an analyst reviews: the current model's (else the latest run's) and promoted
    themes' (``topics@N``), as the review screen shows them. An earlier run's, still stored, were
    never put to the analyst: counted, they left 259 pairs out of a comparison instead of 55."""
    current = store.meta("current_model") or store.runs.latest_id()
    themes = {c for c in store.codings.coders("model") if c.startswith("topics@")}
    return frozenset({*themes, *([current] if current else [])})


def compare_coders(
    store: ProjectStore,
    coder_a: str,
    coder_b: str,
    *,
    store_b: ProjectStore | None = None,
    blind: bool = False,
) -> AgreementReport:
    """Agreement of two coders (the second one possibly in another project); never raises on
    an empty comparison: ``result.units`` is then 0 and every figure ``None``. ``blind``: the
    analysts reviewed in blind mode (no suggestion leaves a pair open)."""
    codebook = current_codebook(store)
    segments = {s.id: s for s in store.documents.segments()}
    a = coder_codings(store, coder_a, codebook, segments.keys(), blind=blind)
    if store_b is None:
        b_here = coder_codings(store, coder_b, codebook, segments.keys(), blind=blind)
        model = next((c for c in (coder_a, coder_b) if store.codings.coder_kind(c) == "model"), None)
        basis = model_basis(store, model, codebook)
        learnt = basis.learnt if basis is not None else frozenset()
        return compare_unlearnt(a, b_here, segments, codebook, learnt, model)
    b = coder_codings(store_b, coder_b, current_codebook(store_b), blind=blind)
    segments_b = store_b.documents.segments()
    applied_b, unmatched = _match_segments(segments, segments_b, b.applied)
    open_b, _ = _match_segments(segments, segments_b, b.open)
    return compare_codings(
        a, replace(b, applied=applied_b, open=open_b), segments, codebook, coded_b=len(b.applied), unmatched=unmatched
    )


def compare_unlearnt(
    a: CoderCodings,
    b: CoderCodings,
    segments: Mapping[int, Segment],
    codebook: Codebook,
    learnt: Set[int],
    model: str | None,
) -> AgreementReport:
    """:func:`compare_codings` on the segments but those ``model`` (one of the two) learnt from,
    with how many both coded were left out: on its training passages a model repeats what it
    was taught (a retrained model scored « kappa 0,99 » on the 64 decisions it had just learnt)."""
    left = len(a.applied.keys() & b.applied.keys() & learnt)
    if not left:
        return compare_codings(a, b, segments, codebook)
    report = compare_codings(without(a, learnt), without(b, learnt), segments, codebook)
    return replace(report, learnt_left_out=left, learnt_by=model)


def without(codings: CoderCodings, segments: Set[int]) -> CoderCodings:
    """``codings`` on every segment but ``segments``."""
    return replace(
        codings,
        applied={s: c for s, c in codings.applied.items() if s not in segments},
        open={s: c for s, c in codings.open.items() if s not in segments},
    )


def compare_codings(
    a: CoderCodings,
    b: CoderCodings,
    segments: Mapping[int, Segment],
    codebook: Codebook,
    *,
    coded_b: int | None = None,
    unmatched: int = 0,
) -> AgreementReport:
    """Agreement of two coders' codings already read (``b`` on ``a``'s segment ids)."""
    coder_a, coder_b, applied_b = a.name, b.name, b.applied
    extras = sorted({c for codes in (*a.applied.values(), *applied_b.values()) for c in codes} - set(codebook.top_ids))
    codes = (*codebook.top_ids, *extras)
    result = compare(codes, a.applied, applied_b, name_a=coder_a, name_b=coder_b, open_a=a.open, open_b=b.open)
    labels = {c.id: c.label for c in codebook.top_level}
    rows = tuple(
        DisagreementRow(
            d.segment_id,
            segments[d.segment_id].document,
            segments[d.segment_id].speaker,
            segments[d.segment_id].text,
            d.code,
            d.coder_a,
            d.coder_b,
        )
        for d in result.disagreements
    )
    return AgreementReport(
        coder_a=CoderSummary(a.name, a.kind, a.project, len(a.applied)),
        coder_b=CoderSummary(b.name, b.kind, b.project, len(b.applied) if coded_b is None else coded_b),
        result=result,
        labels={c: labels.get(c, c) for c in codes},
        disagreements=rows,
        unmatched=unmatched,
    )


def agreement(
    project: Path, coder_a: str, coder_b: str, *, project_b: Path | None = None, blind: bool = False
) -> AgreementReport:
    """``tzcld-qual agreement``: two coders of one project, or of two project files."""
    if project_b is None and coder_a == coder_b:
        raise UsageError(
            Text(
                "il faut deux codeurs différents (« {coder} » deux fois).",
                "two different coders are needed (« {coder} » twice).",
            ),
            Text(
                "Exemple : --coder alice --coder ensemble@2, ou ajoutez --project-b AUTRE.tzq.",
                "Example: --coder alice --coder ensemble@2, or add --project-b OTHER.tzq.",
            ),
            coder=coder_a,
        )
    with open_project(project) as store:
        if project_b is None:
            report = compare_coders(store, coder_a, coder_b, blind=blind)
        else:
            with open_project(project_b) as other:
                report = compare_coders(store, coder_a, coder_b, store_b=other, blind=blind)
    if report.result.units == 0 and report.learnt_left_out:
        raise ProjectError(
            Text(
                "aucun segment à comparer : les {n} segments codés par les deux sont des passages dont {model} "
                "a appris le texte ou les décisions (l'accord n'y dirait que ce qu'on lui a appris).",
                "nothing to compare: the {n} segments both coded are passages {model} learnt the text or "
                "decisions of (agreement there would only show what it was taught).",
            ),
            Text(
                "Comparez-le sur des segments qu'il n'a pas appris : ceux codés depuis son entraînement.",
                "Compare it on segments it did not learn: those coded since it was trained.",
            ),
            n=report.learnt_left_out,
            model=report.learnt_by,
        )
    if report.result.units == 0:
        raise ProjectError(
            Text(
                "aucun segment codé à la fois par « {a} » ({na} segments) et « {b} » ({nb} segments).",
                "no segment coded by both « {a} » ({na} segments) and « {b} » ({nb} segments).",
            ),
            Text(
                "Faites coder les mêmes segments aux deux codeurs (revue en double aveugle, ou "
                "« tzcld-qual code » pour un modèle).",
                "Have both coders code the same segments (blind double review, or « tzcld-qual code » for a model).",
            ),
            a=coder_a,
            b=coder_b,
            na=report.coder_a.coded,
            nb=report.coder_b.coded,
        )
    return report


def model_vs_analysts(store: ProjectStore, model: str | None) -> tuple[AgreementReport, ...]:
    """For the report: ``model`` against each analyst, then analysts pairwise (comparisons with
    at least one segment in common only)."""
    analysts = store.codings.coders("human")
    pairs = [(model, h) for h in analysts] if model and store.codings.coder_kind(model) else []
    pairs += list(itertools.combinations(analysts, 2))
    codebook = current_codebook(store)
    segments = {s.id: s for s in store.documents.segments()}
    read = {
        coder: coder_codings(store, coder, codebook, segments.keys(), codebook_only=True)
        for coder in {c for pair in pairs for c in pair}
    }
    reports = (compare_codings(read[a], read[b], segments, codebook) for a, b in pairs)
    return tuple(r for r in reports if r.result.units)


def _match_segments(
    segments_a: Mapping[int, Segment],
    segments_b: list[Segment],
    applied_b: Mapping[int, frozenset[str]],
) -> tuple[dict[int, frozenset[str]], int]:
    """Carry the second project's codings onto the first project's segment ids."""
    key_to_a = {(s.document, s.start, s.end, s.text): s.id for s in segments_a.values()}
    by_id_b = {s.id: s for s in segments_b}
    matched: dict[int, frozenset[str]] = {}
    unmatched = 0
    for segment_id, codes in applied_b.items():
        seg = by_id_b.get(segment_id)
        target = key_to_a.get((seg.document, seg.start, seg.end, seg.text)) if seg else None
        if target is None:
            unmatched += 1
        else:
            matched[target] = codes
    return matched, unmatched
