"""Fill a :class:`ReportData` from a project: prevalence, quotes, co-occurrences, methods.

Unit of counting: respondent segments (the coding units; interviewer turns are not coded) and
the interviews they belong to. A finding is *validated* on a segment when an analyst accepted or
added it or one of its sub-codes; it is *pending* when the current model suggests it (or a
sub-code) and no analyst decided on that code of that segment.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tzcld_qual.attribute_labels import attribute_label
from tzcld_qual.model import Codebook, Coding, Document, Role, Segment, Status
from tzcld_qual.reports.cooccurrence import Claims, claims, co_occurrences
from tzcld_qual.reports.report import (
    AgreementSection,
    Breakdown,
    CoOccurrence,
    Finding,
    Methods,
    ModelBasis,
    Prevalence,
    Quote,
    ReportData,
    RunInfo,
    ThemeRun,
)
from tzcld_qual.store import CodingFilter, ProjectStore, overview

# the attributes broken down, with their French names from the one list the TUI and the tables use too
BREAKDOWNS = tuple((a, attribute_label(a, "fr").capitalize()) for a in ("role", "territory", "round"))
UNSET = "non renseigné"
PER_DOCUMENT = 2  # quotes from one interview before others get a turn


@dataclass(frozen=True, slots=True)
class _SegmentCodes:
    """One respondent segment as the report sees it."""

    segment: Segment
    validated: dict[str, list[Coding]]  # finding -> analysts' applying rows
    pending: dict[str, list[Coding]]  # finding -> current model's undecided suggestions
    score: dict[str, float]  # finding -> best model score, to rank validated quotes
    rejected: dict[str, set[str]]  # finding -> analysts who rejected it or one of its codes there


def collect(
    store: ProjectStore,
    codebook: Codebook,
    *,
    model: str | None,
    quotes: int = 5,
    agreements: Sequence[AgreementSection] = (),
    themes: ThemeRun | None = None,
    basis: ModelBasis | None = None,
) -> ReportData:
    """Everything the report shows, read once from ``store``. ``basis``: the passages ``model``
    learnt from, whose pending suggestions are quoted only for want of others."""
    learnt = basis.learnt if basis is not None else frozenset()
    analysts = tuple(store.codings.coders("human"))
    documents = {d.id: d for d in store.documents.list()}
    units = _segment_codes(store, codebook, set(analysts), model)
    tops = codebook.top_ids
    groups = _groups(units, documents)
    findings = tuple(
        Finding(
            code=code.id,
            label=code.label,
            color=code.color,
            statement=code.finding,
            definition=code.definition,
            subcodes=tuple((c.id, c.label) for c in codebook.children(code.id)),
            total=_prevalence("ensemble du corpus", code.id, units, documents.values()),
            breakdowns=_breakdowns(code.id, groups),
            quotes=_quotes(code.id, units, model, quotes, learnt),
        )
        for code in codebook.top_level
    )
    respondent = {u.segment.id for u in units}
    decisions = [c for c in store.codings.human() if c.segment_id in respondent]
    marks = {(s, coder) for s, coder in store.codings.no_code() if s in respondent}  # « relu, aucun code »
    return ReportData(
        project=store.path.stem,  # « etude », not « etude.tzq »: the project has no other name
        generated_at=datetime.now(UTC).astimezone().strftime("%d/%m/%Y %H:%M"),
        findings=findings,
        cooccurrence=_cooccurrence(tops, units),
        themes=themes,
        agreements=tuple(agreements),
        methods=Methods(
            codebook_name=codebook.name,
            codebook_version=codebook.version,
            interviews=len(documents),
            segments=store.documents.count_segments(),
            respondent_segments=len(units),
            model=model,
            runs=_runs(store),
            analysts=analysts,
            accepted=sum(c.status is Status.ACCEPTED for c in decisions),
            manual=sum(c.status is Status.MANUAL for c in decisions),
            rejected=sum(c.status is Status.REJECTED for c in decisions),
            human_segments=len(overview.reviewed_segment_ids(store) & respondent),
            suggestions=_suggestion_rows(store, model, respondent),
            pending=len({(c.segment_id, c.code_id) for u in units for rows in u.pending.values() for c in rows}),
            validated_pairs=sum(len(u.validated) for u in units),
            pending_pairs=sum(len(set(u.pending) - set(u.validated)) for u in units),
            pending_learnt_pairs=sum(len(set(u.pending) - set(u.validated)) for u in units if u.segment.id in learnt),
            disputed_pairs=sum(1 for u in units for code in u.validated if _contesters(u, code)),
            outside=tuple(
                sorted(Counter(c.code_id for c in decisions if c.status.applies and c.code_id not in codebook).items())
            ),
            no_code=len(marks),
            no_code_segments=len({s for s, _coder in marks}),
            basis=basis,
        ),
        quotes=quotes,
    )


def _segment_codes(
    store: ProjectStore, codebook: Codebook, analysts: set[str], model: str | None
) -> list[_SegmentCodes]:
    segments = store.documents.segments(role=Role.RESPONDENT)
    ids = [s.id for s in segments]
    rows = store.codings.for_segments(ids)
    scores = store.codings.scores(model, ids) if model else {}
    out = []
    for seg in segments:
        # codes this codebook version lacks count nowhere (the methods say how many decisions)
        known = [c for c in rows[seg.id] if c.code_id in codebook]
        human = [c for c in known if c.origin in analysts]
        decided = {c.code_id for c in human}
        validated: dict[str, list[Coding]] = defaultdict(list)
        rejected: dict[str, set[str]] = defaultdict(set)
        applied = {c.code_id for c in human if c.status.applies}
        for c in human:
            if c.status.applies:
                validated[codebook.roll_up(c.code_id)].append(c)
            elif c.status is Status.REJECTED and (c.code_id in applied or codebook.roll_up(c.code_id) == c.code_id):
                rejected[codebook.roll_up(c.code_id)].add(c.origin)  # the finding, or a code someone applied
        pending: dict[str, list[Coding]] = defaultdict(list)
        for c in known:
            if c.origin == model and c.status is Status.SUGGESTED and c.code_id not in decided:
                pending[codebook.roll_up(c.code_id)].append(c)
        best: dict[str, float] = {}
        for code_id, value in scores.get(seg.id, {}).items():
            if code_id not in codebook:
                continue
            top = codebook.roll_up(code_id)
            best[top] = max(best.get(top, float("-inf")), value)
        out.append(_SegmentCodes(seg, dict(validated), dict(pending), best, dict(rejected)))
    return out


def _prevalence(group: str, code: str, units: Iterable[_SegmentCodes], documents: Iterable[Document]) -> Prevalence:
    units = list(units)
    validated = [u for u in units if code in u.validated]
    suggested = [u for u in units if code in u.validated or code in u.pending]
    return Prevalence(
        group=group,
        segments=len(validated),
        segments_suggested=len(suggested),
        segments_total=len(units),
        interviews=len({u.segment.document_id for u in validated}),
        interviews_suggested=len({u.segment.document_id for u in suggested}),
        interviews_total=len(list(documents)),
    )


@dataclass(frozen=True, slots=True)
class _Group:
    attribute: str
    label: str
    name: str
    units: list[_SegmentCodes]
    documents: list[Document]


def _groups(units: list[_SegmentCodes], documents: dict[int, Document]) -> list[_Group]:
    """Units and interviews split by each breakdown attribute present on some document."""
    out = []
    for attribute, label in BREAKDOWNS:
        if not any(attribute in d.attributes for d in documents.values()):
            continue
        value = {d.id: d.attributes.get(attribute) or UNSET for d in documents.values()}
        by_value: dict[str, list[_SegmentCodes]] = defaultdict(list)
        for u in units:
            by_value[value[u.segment.document_id]].append(u)
        for name in sorted(set(value.values()), key=lambda v: (v == UNSET, v.casefold())):
            docs = [d for d in documents.values() if value[d.id] == name]
            out.append(_Group(attribute, label, name, by_value[name], docs))
    return out


def _breakdowns(code: str, groups: list[_Group]) -> tuple[Breakdown, ...]:
    by_attribute: dict[tuple[str, str], list[Prevalence]] = defaultdict(list)
    for g in groups:
        by_attribute[(g.attribute, g.label)].append(_prevalence(g.name, code, g.units, g.documents))
    return tuple(Breakdown(attribute, label, tuple(p)) for (attribute, label), p in by_attribute.items())


def _quotes(
    code: str, units: list[_SegmentCodes], model: str | None, limit: int, learnt: frozenset[int] = frozenset()
) -> tuple[Quote, ...]:
    """Analyst-validated segments first (undisputed ones first, then best model score first),
    then the model's most confident pending suggestions; at most :data:`PER_DOCUMENT` per
    interview while others are available. A suggestion never displaces a validated quote, but
    the pending ones count the interviews the validated ones already quote (each group reset the
    count: an audit's F3 got its five quotes from two of 39 interviews). A validated quote
    another analyst rejected says so. A suggestion on a passage the model learnt (``learnt``)
    repeats its training label at confidence 1,00: it comes only when no other is left, marked
    (13 of an audit's 14 suggestion quotes were such passages)."""
    validated = sorted(
        (u for u in units if code in u.validated),
        key=lambda u: (
            bool(_contesters(u, code)),
            -u.score.get(code, float("-inf")),
            u.segment.document,
            u.segment.position,
        ),
    )
    pending = sorted(
        (u for u in units if code in u.pending and code not in u.validated),
        key=lambda u: (
            -max(c.confidence or 0.0 for c in u.pending[code]),
            u.segment.document,
            u.segment.position,
        ),
    )
    chosen = _spread(validated, limit)
    for group in ([u for u in pending if u.segment.id not in learnt], [u for u in pending if u.segment.id in learnt]):
        chosen += _spread(group, limit - len(chosen), Counter(u.segment.document_id for u in chosen))
    out = []
    for u in chosen:
        rows = u.validated.get(code) or u.pending[code]
        is_validated = code in u.validated
        confidences = [c.confidence for c in rows if c.confidence is not None]
        by_code = {c.code_id: c.confidence for c in rows}
        codes = tuple(sorted(by_code))
        own = by_code.get(code)  # the finding's own confidence, not a sub-code's, when suggested
        out.append(
            Quote(
                segment_id=u.segment.id,
                document=u.segment.document,
                speaker=u.segment.speaker,
                text=u.segment.text,
                codes=codes,
                validated=is_validated,
                coders=tuple(sorted({c.origin for c in rows})) if is_validated else (model or "",),
                confidence=(
                    u.score.get(code) if is_validated else own if own is not None else max(confidences, default=None)
                ),
                contested_by=_contesters(u, code) if is_validated else (),
                code_confidences=() if is_validated else tuple(by_code[c] for c in codes),
                learnt=not is_validated and u.segment.id in learnt,
            )
        )
    return tuple(out)


def _contesters(u: _SegmentCodes, code: str) -> tuple[str, ...]:
    """Analysts who rejected ``code`` (or one of its codes) on a segment others validated it on,
    but who did not apply it there themselves (a sub-code rejected beside the finding applied is
    a precision, not a dispute)."""
    appliers = {c.origin for c in u.validated.get(code, [])}
    return tuple(sorted(u.rejected.get(code, set()) - appliers))


def _spread(units: list[_SegmentCodes], limit: int, quoted: Counter[int] | None = None) -> list[_SegmentCodes]:
    """At most ``limit`` of ``units`` in order, :data:`PER_DOCUMENT` per interview (``quoted``:
    those already taken) while others are available."""
    if limit <= 0:
        return []
    per_doc: Counter[int] = Counter(quoted or {})
    picked: list[int] = []
    for i, u in enumerate(units):
        if len(picked) < limit and per_doc[u.segment.document_id] < PER_DOCUMENT:
            picked.append(i)
            per_doc[u.segment.document_id] += 1
    taken = set(picked)
    picked += [i for i in range(len(units)) if i not in taken][: limit - len(picked)]
    return [units[i] for i in sorted(picked)]


def _cooccurrence(codes: tuple[str, ...], units: list[_SegmentCodes]) -> CoOccurrence:
    def said(u: _SegmentCodes, with_pending: bool) -> Claims:
        by_analyst: dict[str, set[str]] = defaultdict(set)
        for finding, rows in u.validated.items():
            for c in rows:
                by_analyst[c.origin].add(finding)
        return claims(by_analyst, u.pending if with_pending else ())

    return CoOccurrence(
        codes,
        co_occurrences(codes, (said(u, False) for u in units)),
        co_occurrences(codes, (said(u, True) for u in units)),
    )


def _runs(store: ProjectStore) -> tuple[RunInfo, ...]:
    out = []
    for row in store.runs.list():
        params = row["params"]
        thresholds = params.get("thresholds") if isinstance(params, dict) else None
        out.append(
            RunInfo(
                id=str(row["id"]),
                kind=str(row["kind"]),
                created_at=str(row["created_at"]),  # ISO; the report says it in its French format
                codebook_version=int(row["codebook_version"]),
                thresholds={str(k): float(v) for k, v in (thresholds or {}).items()},
            )
        )
    return tuple(out)


def _suggestion_rows(store: ProjectStore, model: str | None, respondent: set[int]) -> int:
    if not model:
        return 0
    return sum(
        c.segment_id in respondent for c in store.codings.list(CodingFilter(origin=model, status=Status.SUGGESTED))
    )
