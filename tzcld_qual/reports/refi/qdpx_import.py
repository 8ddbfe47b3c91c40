"""From a REFI-QDA project to a tzcld-qual project: what is stored, and how.

- Codebook: the file's ``CodeBook`` (see :mod:`.codes` for ids and placeholders); the header
  (name, description…) from our side file when there is one.
- Documents: one per ``TextSource`` with its text exactly as in the file (a byte-order mark is
  dropped); names made unique; attributes from the ``Case`` variables of the cases that refer to
  the source and from the source's own variables (names normalised as the attributes CSV does).
  Line endings are kept and offsets taken as written (tools disagree on Windows line
  endings); a selection that does not fit the text is skipped and counted.
- Segments: :mod:`.import_segments`.
- Codings: each ``Coding`` of a selection, by its ``creatingUser`` (else the selection's, else
  ``import-refi``). A user is a *model* when our side file says so or when its name looks like
  ``name@version`` (``ensemble@3``, ``lexicon@v2``; not e-mail addresses): its codings become
  suggestions. Other users are analysts: their codings are decisions. Rejections listed in the
  side file come back as such, and so do its « relu, aucun code » marks (no coding: the export
  keeps them out of ``project.qde``), each logged as an imported decision is.
- Without our side file (the file went through NVivo, MAXQDA, ATLAS.ti…), the line our export
  wrote for each coding in the selection's description (:mod:`.descriptions`) gives back the
  status, a model's confidence and explanation, analysts' rejections and the suggestions they
  rejected. Where neither says: an analyst's coding is ``accepted`` when a model coded the same
  code on the selection, else ``manual``; a suggestion's confidence is unknown and stored empty
  (never an invented 1.0, which reports printed and thresholds selected), with a note saying there
  was no score. What is lost (scores, decisions, the segmentation and its ids) is said once.
  Codings on a whole source, on unknown codes or outside the text are counted and skipped.
- Memos: each ``Note`` referenced from the project, a source, a selection or coding (segment
  memo) or a code; notes referenced from nowhere become project memos.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from tzcld_qual.errors import Text
from tzcld_qual.io.keys import canonical_key
from tzcld_qual.model import Role, Status, Suggestion
from tzcld_qual.reports.refi.codes import ImportedCodebook, RefiCode, build_codebook
from tzcld_qual.reports.refi.descriptions import DescribedCoding, read_codebook_header, read_description
from tzcld_qual.reports.refi.import_segments import build_segments, cut_at_turns
from tzcld_qual.reports.refi.qdpx_reader import RefiProject, RefiSource
from tzcld_qual.store import AttributeSources, NewSegment, ProjectStore
from tzcld_qual.store.imported import ImportedDecision, add_imported_decisions, add_unscored_suggestions

IMPORT_CODER = "import-refi"
NO_SCORE = "importé de REFI-QDA sans score"
_MODEL_NAME = re.compile(r"^[\w.\-]+@v?\d[\w.\-]*$")


@dataclass(frozen=True, slots=True)
class PlannedCoding:
    segment: int  # index in the document's segments
    code: str
    coder: str
    status: Status
    confidence: float | None = None
    explanation: str = ""
    created_at: str | None = None
    updated_at: str | None = None


@dataclass(frozen=True, slots=True)
class PlannedMark:
    """An analyst's « relu, aucun code » mark from our side file."""

    segment: int  # index in the document's segments
    coder: str
    created_at: str | None = None


@dataclass(frozen=True, slots=True)
class PlannedDocument:
    name: str
    text: str
    attributes: dict[str, str]
    speakers: dict[str, str]
    source_format: str
    segments: tuple[NewSegment, ...]
    codings: tuple[PlannedCoding, ...]
    # model -> segment position -> its scores (a tzcld-qual export: every segment it read)
    scored: dict[str, dict[int, dict[str, float]]] = field(default_factory=dict)
    sources: AttributeSources | None = None  # where the attributes came from (a tzcld-qual export)
    resegmented: bool = False  # segments cut here, not read from our side file: new ids
    marks: tuple[PlannedMark, ...] = ()  # « relu, aucun code » (a tzcld-qual export)


@dataclass(frozen=True, slots=True)
class PlannedMemo:
    target: str  # project | document | segment | code
    coder: str
    text: str
    document: int | None = None  # index in the plan's documents
    segment: int | None = None  # index in that document's segments
    code: str | None = None
    created_at: str | None = None  # the note's own date, kept


@dataclass(frozen=True, slots=True)
class ImportPlan:
    codebook: ImportedCodebook | None  # None: the file has no codes
    documents: tuple[PlannedDocument, ...]
    coders: dict[str, str]  # name -> human | model
    memos: tuple[PlannedMemo, ...]
    current_model: str | None
    warnings: tuple[str, ...] = ()
    runs: dict[str, ImportedRun] = field(default_factory=dict)  # model -> its run (a tzcld-qual export)


@dataclass(frozen=True, slots=True)
class ImportedRun:
    """What the side file says of a model's run: its decision threshold per code (the uncertainty
    queue measures suggestions against them), its scores and its date."""

    kind: str
    thresholds: dict[str, float]
    metrics: dict[str, float]
    created_at: str | None


@dataclass(frozen=True, slots=True)
class QdpxImportSummary:
    documents: int
    segments: int
    codes: int
    decisions: int  # analysts' rows (applied and rejected)
    suggestions: int
    memos: int
    coders: dict[str, str]
    to_complete: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)
    marks: int = 0  # analysts' « relu, aucun code » marks (segment, analyst)


def is_model_name(name: str) -> bool:
    return bool(_MODEL_NAME.match(name))


class _Coders:
    """Users of the file as coders: names from ``Users``, kinds from the side file or the name."""

    def __init__(self, users: Mapping[str, str], declared: Mapping[str, str]) -> None:
        self._users = users
        self._declared = declared
        self.kinds: dict[str, str] = {}

    def __call__(self, user: str | None) -> str:
        """The coder behind a user GUID (``import-refi`` when the file names nobody)."""
        return self.add(self._users.get(user, user) if user else IMPORT_CODER)

    def add(self, name: str) -> str:
        self.kinds.setdefault(name, self.kind(name))
        return name

    def kind(self, name: str) -> str:
        return self.kinds.get(name) or self._declared.get(name) or ("model" if is_model_name(name) else "human")


class _Extra:
    """Our side file, read defensively: a field of the wrong type is ignored, not trusted."""

    def __init__(self, data: Mapping[str, object] | None) -> None:
        ok = bool(data) and data.get("format") == "tzcld-qual" and data.get("version") == 1  # type: ignore[union-attr]
        self.data: Mapping[str, object] = data if ok and data else {}

    def mapping(self, key: str) -> Mapping[str, object]:
        value = self.data.get(key)
        return value if isinstance(value, dict) else {}

    def items(self, key: str) -> list[Mapping[str, object]]:
        value = self.data.get(key)
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def plan_import(project: RefiProject, *, name: str) -> ImportPlan:
    extra = _Extra(project.extra)
    warnings = list(project.warnings)
    codebook = _codebook(project, extra, name)
    ids = codebook.ids_by_guid if codebook else {}
    if codebook:
        warnings += codebook.warnings
    declared = {str(k): str(v) for k, v in extra.mapping("coders").items() if v in ("human", "model")}
    coder = _Coders(project.users, declared)

    attributes = _attributes(project)
    documents: list[PlannedDocument] = []
    memos: list[PlannedMemo] = []
    skipped: defaultdict[str, int] = defaultdict(int)
    read: defaultdict[str, int] = defaultdict(int)  # description lines read, suggestions without score
    names: set[str] = set()
    for source in project.sources:
        document, positions = _document(
            source, extra, attributes.get(source.guid, {}), ids, coder, names, skipped, read, warnings
        )
        index = len(documents)
        documents.append(document)
        for note in source.notes:
            memos += _memo(project, note, coder, "document", document=index)
        for selection in source.selections:
            position = positions.get((selection.start, selection.end))
            if position is None:
                continue
            for note in (*selection.notes, *(n for c in selection.codings for n in c.notes)):
                memos += _memo(project, note, coder, "segment", document=index, segment=position)
    for note in project.project_notes:
        memos += _memo(project, note, coder, "project")
    memos += _code_memos(project, project.codes, ids, coder)
    referenced = _referenced(project)
    for key in project.notes:
        if key not in referenced:
            memos += _memo(project, key, coder, "project")
    warnings += [_SKIPPED[kind].render(count=count) for kind, count in skipped.items() if count]
    current = extra.data.get("current_model")
    if not (isinstance(current, str) and coder.kinds.get(current) == "model"):
        current = None
    suggesting = sorted({c.coder for d in documents for c in d.codings if c.status is Status.SUGGESTED})
    if current is None and extra.data.get("current_model") is None and len(suggesting) == 1:
        # no side file (back from another tool): the one model whose suggestions came back is the
        # current one, or reports said « modèle final aucun » and counted none of them
        current = suggesting[0]
        warnings.append(
            Text(
                "« {model} » pris pour le modèle courant : ses suggestions ({count}) comptent comme non revues",
                "« {model} » taken as the current model: its suggestions ({count}) count as unreviewed",
            ).render(
                model=current,
                count=sum(c.status is Status.SUGGESTED for d in documents for c in d.codings),
            )
        )
    warnings += _lost(project, extra, documents, read)
    return ImportPlan(
        codebook=codebook,
        documents=tuple(documents),
        coders=coder.kinds,
        memos=_merge_memos(memos),
        current_model=current,
        warnings=tuple(warnings),
        runs=_runs(extra.mapping("models"), coder, set(ids.values()) if codebook else set()),
    )


def _lost(
    project: RefiProject, extra: _Extra, documents: Sequence[PlannedDocument], read: Mapping[str, int]
) -> list[str]:
    """What the file could not give back, said once for the whole import: scores, decisions of a
    tzcld-qual export whose descriptions are gone, the segmentation and its ids."""
    out = []
    if read.get("unscored"):
        out.append(
            Text(
                "{count} suggestion(s) de modèle sans score lisible dans le fichier : confiance inconnue, laissée "
                "vide (les ordres « sous 0,6 » ou « au-dessus de 0,9 » ne les retiennent pas)",
                "{count} model suggestion(s) with no readable score in the file: confidence unknown, left empty "
                "(orders « below 0.6 » or « above 0.9 » leave them out)",
            ).render(count=read["unscored"])
        )
    ours = "tzcld-qual" in project.origin or "tzcld-qual" in project.description
    humans = any(c.status.is_human for d in documents for c in d.codings)
    if not extra.data and ours and humans and not read.get("described"):
        out.append(
            Text(
                "ni fichier tzcld-qual.json ni descriptions de sélection lisibles : les rejets des analystes sont "
                "perdus et leurs codes comptent comme acceptés (suggérés par un modèle) ou ajoutés ; l'accord entre "
                "codeurs n'est plus comparable à celui du projet d'origine",
                "neither a tzcld-qual.json file nor readable selection descriptions: the analysts' rejections are "
                "lost and their codes count as accepted (when a model suggested them) or added; agreement between "
                "coders no longer compares with the original project's",
            ).render()
        )
    rebuilt = [d for d in documents if d.resegmented and d.segments]
    if rebuilt:
        out.append(
            Text(
                "segmentation refaite, le fichier ne la gardant pas : {segments} segments dans {documents} "
                "document(s), numérotés à neuf ; si le fichier vient d'un projet tzcld-qual, ses numéros de segment "
                "et les citations « segment N » de ses rapports ne désignent plus les mêmes passages, et les "
                "pourcentages de segments peuvent changer",
                "segmentation redone, since the file does not keep it: {segments} segments in {documents} "
                "document(s), numbered afresh; if the file comes from a tzcld-qual project, its segment numbers "
                "and the « segment N » citations of its reports no longer point to the same passages, and "
                "percentages of segments may change",
            ).render(segments=sum(len(d.segments) for d in rebuilt), documents=len(rebuilt))
        )
    return out


def _runs(value: Mapping[str, object], coder: _Coders, codes: set[str]) -> dict[str, ImportedRun]:
    """The side file's model runs, for models of the file, on codes of its codebook, with
    thresholds and scores that are numbers between 0 and 1."""

    def shares(raw: object, keep: set[str] | None) -> dict[str, float]:
        if not isinstance(raw, dict):
            return {}
        return {
            str(k): float(v)
            for k, v in raw.items()
            if (keep is None or k in keep) and isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1
        }

    out = {}
    for name, run in value.items():
        if not isinstance(run, dict) or coder.kinds.get(name) != "model":
            continue
        kind, created = run.get("kind"), run.get("created_at")
        out[name] = ImportedRun(
            kind=kind if isinstance(kind, str) and kind else name.split("@")[0],
            thresholds=shares(run.get("thresholds"), codes),
            metrics=shares(run.get("metrics"), None),
            created_at=created if isinstance(created, str) else None,
        )
    return out


_SKIPPED = {
    "code": Text(
        "{count} codage(s) sur des codes absents du codebook ignoré(s)",
        "{count} coding(s) on codes missing from the codebook skipped",
    ),
    "whole": Text(
        "{count} codage(s) de sources entières ignoré(s) (seuls les passages sont importés)",
        "{count} coding(s) of whole sources skipped (only passages are imported)",
    ),
}


def _codebook(project: RefiProject, extra: _Extra, name: str) -> ImportedCodebook | None:
    if not project.codes:
        return None
    header = extra.mapping("codebook")
    version = header.get("version")
    described = read_codebook_header(project.description)  # no side file: what our export said of it
    return build_codebook(
        project.codes,
        name=str(header.get("name") or described.name or project.name or name),
        description=str(header.get("description") or described.description),
        source=str(header.get("source") or described.source or f"REFI-QDA : {name}"),
        language=str(header.get("language") or described.language or "fr"),
        version=version if isinstance(version, int) and not isinstance(version, bool) else described.version or 1,
        comment=f"Codebook importé du projet REFI-QDA « {project.name or name} ».",
    )


def _attributes(project: RefiProject) -> dict[str, dict[str, str]]:
    """Source GUID -> attributes, from the cases that list the source, then its own variables."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for case in project.cases:
        for key in case.sources:
            out[key].update(_named(project, case.values))
    for source in project.sources:
        out[source.guid].update(_named(project, source.values))
    return out


def _named(project: RefiProject, values: Mapping[str, str]) -> dict[str, str]:
    return {canonical_key(project.variables[key]): value for key, value in values.items() if project.variables.get(key)}


def _document(
    source: RefiSource,
    extra: _Extra,
    attributes: dict[str, str],
    ids: Mapping[str, str],
    coder: _Coders,
    names: set[str],
    skipped: defaultdict[str, int],
    read: defaultdict[str, int],
    warnings: list[str],
) -> tuple[PlannedDocument, dict[tuple[int, int], int]]:
    text = source.text
    meta = extra.mapping("sources").get(source.guid)
    meta = meta if isinstance(meta, dict) else {}
    ranges = []
    for selection in source.selections:
        if 0 <= selection.start < selection.end <= len(text):
            ranges.append((selection.start, selection.end))
    if len(ranges) < len(source.selections):  # said per source, so the analyst knows where to look
        warnings.append(
            Text(
                "« {name} » : {count} sélection(s) hors du texte ({length} caractères) ignorées",
                "« {name} »: {count} selection(s) outside the text ({length} characters) skipped",
            ).render(name=source.name, count=len(source.selections) - len(ranges), length=len(text))
        )
    skipped["whole"] += source.whole_codings
    known = _known_segments(meta.get("segments"), text)
    parts = cut_at_turns(text, ranges, known)
    crossing = [pieces for pieces in parts.values() if len(pieces) > 1]
    if crossing:  # said per source: the passages are coded piece by piece from now on
        warnings.append(
            Text(
                "« {name} » : {count} passage(s) codé(s) à cheval sur plusieurs tours de parole, coupé(s) aux "
                "tours ({pieces} morceaux codés chacun) : un segment ne garde les mots que d'un locuteur",
                "« {name} »: {count} coded passage(s) across speaker turns, cut at the turns ({pieces} pieces, "
                "each coded): a segment holds one speaker's words",
            ).render(name=source.name, count=len(crossing), pieces=sum(len(p) for p in crossing))
        )
    segments = build_segments(text, [p for pieces in parts.values() for p in pieces], known)
    positions: dict[tuple[int, int], int] = {}
    for i, segment in enumerate(segments):
        positions.setdefault((segment.start, segment.end), i)
    for whole, pieces in parts.items():  # a passage cut at the turns: its notes go to its first piece
        if whole not in positions and pieces[0] in positions:
            positions[whole] = positions[pieces[0]]
    codings: dict[tuple[int, str, str], PlannedCoding] = {}
    statuses = extra.mapping("codings")
    for selection in source.selections:
        pieces = parts.get((selection.start, selection.end), [])
        where = [positions[p] for p in pieces if p in positions]
        if not where:
            continue
        # without our side file, the lines the export wrote in the description are what is left
        lines = () if extra.data else read_description(selection.description)
        read["described"] += len(lines)
        described = {(d.coder, d.code): d for d in lines}
        coded: list[tuple[str, str, str, str | None]] = []  # (coder, code, coding GUID, date)
        for item in selection.codings:
            code = ids.get(item.code)
            if code is None:
                skipped["code"] += 1
                continue
            coded.append((coder(item.user or selection.user), code, item.guid, item.created_at))
        suggested = {code for who, code, _g, _d in coded if coder.kinds[who] == "model"}
        for who, code, key, created_at in coded:
            stored = statuses.get(key)
            for position in where:
                planned = _coding(
                    position,
                    code,
                    who,
                    coder.kinds[who],
                    stored if isinstance(stored, dict) else {},
                    created_at,
                    described.get((who, code)),
                    suggested=code in suggested,
                )
                codings.setdefault((position, code, who), planned)
        for planned in _described_only(lines, {(w, c) for w, c, _g, _d in coded}, set(ids.values()), coder, where):
            codings.setdefault((planned.segment, planned.code, planned.coder), planned)
    for planned in _rejections(extra, source.guid, positions, set(ids.values()), coder):
        codings.setdefault((planned.segment, planned.code, planned.coder), planned)
    for planned in _rejections(extra, source.guid, positions, set(ids.values()), coder, withheld=True):
        codings.setdefault((planned.segment, planned.code, planned.coder), planned)
    read["unscored"] += sum(c.status is Status.SUGGESTED and c.confidence is None for c in codings.values())
    speakers = meta.get("speakers")
    document = PlannedDocument(
        name=_unique(source.name, names),
        text=text,
        attributes=attributes,
        speakers={str(k): str(v) for k, v in speakers.items()}
        if isinstance(speakers, dict)
        else {s.speaker: s.role.value for s in segments},
        source_format=str(meta.get("source_format") or "qdpx"),
        segments=tuple(segments),
        codings=tuple(codings.values()),
        scored=_scored(meta.get("scored"), positions, coder) if known else {},
        sources=_attribute_sources(meta.get("attribute_sources")),
        resegmented=known is None,
        marks=tuple(_marks(extra, source.guid, positions, coder)),
    )
    return document, positions


def _attribute_sources(value: object) -> AttributeSources | None:
    """The side file's record of where the attributes came from; ``None`` (unknown) if unreadable."""
    if not isinstance(value, dict):
        return None

    def values(part: object) -> dict[str, str] | None:
        return {str(k): str(v) for k, v in part.items()} if isinstance(part, dict) else None

    corrected = value.get("corrected")
    return AttributeSources(
        values(value.get("header")),
        values(value.get("given")),
        frozenset(str(k) for k in corrected) if isinstance(corrected, list) else frozenset(),
    )


def _scored(
    value: object, positions: Mapping[tuple[int, int], int], coder: _Coders
) -> dict[str, dict[int, dict[str, float]]]:
    """The side file's scores of each model (``[start, end, {code: score}]`` per segment it read),
    on the segments they fit; anything else in it is left out."""
    out: dict[str, dict[int, dict[str, float]]] = {}
    if not isinstance(value, dict):
        return out
    for model, rows in value.items():
        if not isinstance(rows, list) or coder.kind(str(model)) != "model":
            continue  # (asked of the side file: a model is known before its first suggestion is read)
        coder.add(str(model))
        for row in rows:
            if not (isinstance(row, list) and len(row) == 3 and isinstance(row[2], dict)):
                continue
            start, end, scores = row
            position = positions.get((start, end)) if isinstance(start, int) and isinstance(end, int) else None
            kept = {str(k): float(v) for k, v in scores.items() if _float(v) is not None}
            if position is not None:
                out.setdefault(str(model), {})[position] = kept
    return out


def _rejections(
    extra: _Extra,
    source: str,
    positions: Mapping[tuple[int, int], int],
    codes: set[str],
    coder: _Coders,
    *,
    withheld: bool = False,
) -> list[PlannedCoding]:
    """The side file's rejections on this source, by analysts, on known codes and segments; with
    ``withheld``, the models' suggestions those rejections kept out of ``project.qde``."""
    out = []
    kind, status = ("model", Status.SUGGESTED) if withheld else ("human", Status.REJECTED)
    for item in extra.items("withheld_suggestions" if withheld else "rejections"):
        start, end, code, who = item.get("start"), item.get("end"), item.get("code"), item.get("coder")
        if (
            item.get("source") != source
            or not isinstance(start, int)
            or not isinstance(end, int)
            or not isinstance(code, str)
            or code not in codes
            or not isinstance(who, str)
            or coder.kind(who) != kind  # only analysts reject, only models suggest
            or (start, end) not in positions
        ):
            continue
        out.append(
            PlannedCoding(
                positions[(start, end)],
                code,
                coder.add(who),
                status,
                _float(item.get("confidence")),
                str(item.get("explanation") or ""),
                _str(item.get("created_at")),
                _str(item.get("updated_at")),
            )
        )
    return out


def _marks(
    extra: _Extra, source: str, positions: Mapping[tuple[int, int], int], coder: _Coders
) -> list[PlannedMark]:
    """The side file's « relu, aucun code » marks on this source, by analysts, on known segments
    (found as its rejections are, by source and range), once per segment and analyst."""
    out: dict[tuple[int, str], PlannedMark] = {}
    for item in extra.items("no_code"):
        start, end, who = item.get("start"), item.get("end"), item.get("coder")
        if (
            item.get("source") != source
            or not isinstance(start, int)
            or not isinstance(end, int)
            or not isinstance(who, str)
            or coder.kind(who) != "human"
            or (start, end) not in positions
        ):
            continue
        position = positions[(start, end)]
        out.setdefault((position, who), PlannedMark(position, coder.add(who), _str(item.get("created_at"))))
    return list(out.values())


def _coding(
    position: int,
    code: str,
    who: str,
    kind: str,
    stored: Mapping[str, object],
    created_at: str | None,
    described: DescribedCoding | None,
    *,
    suggested: bool,
) -> PlannedCoding:
    """A ``Coding`` of the file: its status, confidence and explanation from our side file, else
    from its line in the selection's description. A model's suggestion with neither keeps no
    confidence (unknown, not an invented 1.0); an analyst's coding with neither is an acceptance
    when a model coded the same code on the same selection, else a code added by hand."""
    status = stored.get("status")
    confidence = _float(stored.get("confidence"))
    explanation = str(stored.get("explanation") or "")
    if not stored and described is not None:
        confidence, explanation = described.confidence, described.explanation
    if kind == "model":
        if not stored and described is None:
            explanation = NO_SCORE
        # its date kept: which suggestions an analyst had seen is read from it (agreement)
        return PlannedCoding(
            position,
            code,
            who,
            Status.SUGGESTED,
            confidence,
            explanation,
            _str(stored.get("created_at")) or _when(created_at),
            _str(stored.get("updated_at")),
        )
    allowed = (Status.ACCEPTED.value, Status.MANUAL.value)
    if status not in allowed and described is not None and described.status.applies:
        status = described.status.value
    if status not in allowed:
        status = Status.ACCEPTED.value if suggested else Status.MANUAL.value
    return PlannedCoding(
        position,
        code,
        who,
        Status(status),
        confidence,
        explanation,
        _str(stored.get("created_at")) or _when(created_at),
        _str(stored.get("updated_at")),
    )


def _described_only(
    lines: Sequence[DescribedCoding],
    coded: set[tuple[str, str]],
    codes: set[str],
    coder: _Coders,
    where: Sequence[int],
) -> list[PlannedCoding]:
    """What a selection's description names with no ``Coding`` behind it, as the export writes
    it: an analyst's rejection, and a model's suggestion an analyst rejected (and nobody applied),
    which the export keeps out of the codings. Any other line without its coding (an acceptance
    whose coding was removed in another tool) is left out: the codings say what applies."""
    rejected = {d.code for d in lines if d.status is Status.REJECTED and coder.kind(d.coder) == "human"}
    applied = {code for who, code in coded if coder.kind(who) == "human"}
    out = []
    for d in lines:
        if (d.coder, d.code) in coded or d.code not in codes:
            continue
        kind = coder.kind(d.coder)
        rejection = d.status is Status.REJECTED and kind == "human"
        withheld = d.status is Status.SUGGESTED and kind == "model" and d.code in rejected - applied
        if rejection or withheld:
            who = coder.add(d.coder)
            out += [PlannedCoding(p, d.code, who, d.status, d.confidence, d.explanation) for p in where]
    return out


def _when(value: str | None) -> str | None:
    """A REFI-QDA date (``2026-11-30T08:44:22Z``) as the project writes its own (UTC, ISO 8601
    with microseconds), so dates sort together; one that does not read is left out."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).isoformat(timespec="microseconds")


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _known_segments(value: object, text: str) -> list[NewSegment] | None:
    """The side file's segments, if every one of them fits the text; else ``None``."""
    if not isinstance(value, list) or not value:
        return None
    out = []
    for item in value:
        try:
            start, end, turn, speaker, role = item
            segment = NewSegment(
                int(turn),
                str(speaker),
                Role(role),
                int(start),
                int(end),
                text[int(start) : int(end)],
            )
        except (TypeError, ValueError):
            return None
        if not 0 <= segment.start < segment.end <= len(text):
            return None
        out.append(segment)
    return out


def _unique(name: str, names: set[str]) -> str:
    candidate, n = name, 1
    while candidate in names:
        n += 1
        stem, dot, suffix = name.rpartition(".")
        candidate = f"{stem} ({n}).{suffix}" if dot and stem else f"{name} ({n})"
    names.add(candidate)
    return candidate


def _memo(project: RefiProject, key: str, coder: _Coders, target: str, **where: object) -> list[PlannedMemo]:
    note = project.notes.get(key)
    if note is None:
        return []
    text = note.text.strip() or note.name.strip()
    planned = PlannedMemo(target=target, coder=coder(note.user), text=text, created_at=_when(note.created_at), **where)  # type: ignore[arg-type]
    return [planned] if text else []


def _code_memos(
    project: RefiProject, codes: tuple[RefiCode, ...], ids: Mapping[str, str], coder: _Coders
) -> list[PlannedMemo]:
    out: list[PlannedMemo] = []
    for code in codes:
        for note in code.notes:
            if code.guid in ids:
                out += _memo(project, note, coder, "code", code=ids[code.guid])
        out += _code_memos(project, code.children, ids, coder)
    return out


def _referenced(project: RefiProject) -> set[str]:
    found = set(project.project_notes)
    stack = list(project.codes)
    while stack:
        code = stack.pop()
        found.update(code.notes)
        stack.extend(code.children)
    for source in project.sources:
        found.update(source.notes)
        for selection in source.selections:
            found.update(selection.notes)
            for item in selection.codings:
                found.update(item.notes)
    return found


def _merge_memos(memos: list[PlannedMemo]) -> tuple[PlannedMemo, ...]:
    """One memo per coder and target (what the store keeps): several notes are joined."""
    merged: dict[tuple[object, ...], PlannedMemo] = {}
    for memo in memos:
        key = (memo.target, memo.document, memo.segment, memo.code, memo.coder)
        if key in merged:
            previous = merged[key]
            if memo.text not in previous.text.split("\n\n"):
                merged[key] = replace(previous, text=previous.text + "\n\n" + memo.text)
        else:
            merged[key] = memo
    return tuple(merged.values())


# -- writing ------------------------------------------------------------------------------------
def write_plan(store: ProjectStore, plan: ImportPlan, codebook: ImportedCodebook, *, source: str) -> QdpxImportSummary:
    """Store everything in ``plan`` in one transaction (the caller removes the file on failure)."""
    with store.transaction():
        store.codebooks.add(codebook.codebook, codebook.yaml_text, source, note="import REFI-QDA")
        for name, kind in plan.coders.items():
            store.codings.register_coder(name, kind)
        segment_ids: list[list[int]] = []
        decisions: list[ImportedDecision] = []
        marks: list[tuple[int, str, str | None]] = []
        suggestions: dict[str, list[Suggestion]] = defaultdict(list)
        unscored: dict[str, list[Suggestion]] = defaultdict(list)  # confidence unknown: stored empty
        dates: dict[str, dict[tuple[int, str], tuple[str | None, str | None]]] = defaultdict(dict)  # kept
        model_scores: dict[str, dict[int, dict[str, float]]] = defaultdict(dict)  # model -> segment id -> scores
        for document in plan.documents:
            stored = store.documents.add(
                name=document.name,
                source_path=f"{source}#{document.name}",
                content_hash=hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
                text=document.text,
                attributes=document.attributes,
                speakers=document.speakers,
                source_format=document.source_format,
                segments=document.segments,
                sources=document.sources,
            )
            # in position order, the order of ``document.segments``
            ids = [s.id for s in store.documents.segments(document_id=stored.id, current=False)]
            segment_ids.append(ids)
            store.codings.log_event("tzcld-qual", "import", f"{document.name} (REFI-QDA {Path(source).name})")
            marks += [(ids[m.segment], m.coder, m.created_at) for m in document.marks]
            for model, scored in document.scored.items():
                for position, vector in scored.items():
                    model_scores[model][ids[position]] = vector
            for c in document.codings:
                if c.status is Status.SUGGESTED:
                    (suggestions if c.confidence is not None else unscored)[c.coder].append(
                        Suggestion(ids[c.segment], c.code, c.confidence or 0.0, c.explanation)
                    )
                    dates[c.coder][(ids[c.segment], c.code)] = (c.created_at, c.updated_at)
                else:
                    decisions.append(
                        ImportedDecision(
                            ids[c.segment],
                            c.code,
                            c.coder,
                            c.status,
                            c.confidence,
                            c.explanation,
                            c.created_at,
                            c.updated_at,
                        )
                    )
        written = add_imported_decisions(store, decisions, detail=f"REFI-QDA {Path(source).name}")
        marked = store.codings.add_imported_marks(marks, detail=f"REFI-QDA {Path(source).name}")
        suggested = 0
        for origin in sorted(set(suggestions) | set(model_scores)):
            rows = suggestions.get(origin, [])
            read = model_scores[origin]  # the exported vectors, as they were; else the suggestions' scores
            scores = defaultdict(dict, {k: dict(v) for k, v in read.items()})
            for row in rows:
                if row.segment_id not in read:
                    scores[row.segment_id][row.code_id] = row.confidence or 0.0  # scored rows only here
            suggested += store.codings.put_scores(origin, dict(scores), rows, dates=dates[origin])
        for origin, rows in unscored.items():
            suggested += add_unscored_suggestions(store, origin, rows, dates=dates[origin])
        for memo in plan.memos:
            target_id = _memo_target(memo, plan, segment_ids, store)
            store.memos.write(memo.target, target_id, memo.coder, memo.text, written_at=memo.created_at)
        version = store.codebooks.latest_version() or 0
        for name, run in plan.runs.items():
            store.runs.adopt(
                name,
                run.kind,
                version,
                {"thresholds": run.thresholds, "imported": source},
                run.metrics,
                created_at=run.created_at,
            )
        if plan.current_model:
            store.set_meta("current_model", plan.current_model)
    return QdpxImportSummary(
        documents=len(plan.documents),
        segments=sum(len(d.segments) for d in plan.documents),
        codes=len(codebook.codebook.codes),
        decisions=written,
        suggestions=suggested,
        memos=len(plan.memos),
        coders=dict(plan.coders),
        to_complete=codebook.to_complete,
        warnings=plan.warnings,
        marks=marked,
    )


def _memo_target(memo: PlannedMemo, plan: ImportPlan, segment_ids: list[list[int]], store: ProjectStore) -> str:
    if memo.target == "segment" and memo.document is not None and memo.segment is not None:
        return str(segment_ids[memo.document][memo.segment])
    if memo.target == "document" and memo.document is not None:
        found = store.documents.find(plan.documents[memo.document].name)
        return str(found.id) if found else ""
    if memo.target == "code":
        return memo.code or ""
    return ""
