"""A project as a REFI-QDA project file (``.qdpx``) that NVivo, ATLAS.ti, MAXQDA or QualCoder open.

What goes in, and why:
- ``sources/<GUID>.txt``: each current document's text exactly as stored (UTF-8, no BOM), so
  every offset in the project points into it unchanged.
- ``CodeBook``: every code of the current codebook, sub-codes nested, colour and coding rules
  (see :mod:`.codes`).
- ``Users``: one per analyst **and one per model id** (``ensemble@3``): REFI-QDA has no field for
  machine provenance, so the model is the user who made its codings.
- one ``PlainTextSelection`` per segment that carries something (segment offsets: 0-based code
  points, end-exclusive), holding a ``Coding`` for each *applied* human decision (accepted or
  manual) and for each exported model suggestion. Suggestions come from the current model by
  default (``suggestions="all"``: every model, ``"none"``: analysts only). A *rejection* is not a
  coding: it is written in the selection's ``Description`` (with each coding's status, the
  models' confidence and explanation) so colleagues see it, and in the side file below; nor is a
  suggestion an analyst rejected (and none applied), which other tools counted as coded: it is
  described and kept in the side file only. Nor is an analyst's « relu, aucun code » mark (the
  segment read, no code applies): it is kept in the side file only.
- ``Variables`` and one ``Case`` per document carrying its attributes (Integer or Date when every
  value is written canonically, else Text).
- memos as ``Notes`` referenced from the project, the document, the code or the segment's selection.
- ``tzcld-qual.json`` beside ``project.qde``: what REFI-QDA cannot say (segmentation, speakers and
  roles, coding statuses, confidences, rejections, « relu, aucun code » marks, codebook header,
  where each attribute value came from (header, attributes file, analyst correction), and the
  scores of the exported models on every segment they read, suggestion or not, which agreement
  with a model and the uncertainty queue count, with each model's decision thresholds) so that
  ``import-qdpx`` gives the same project back. Other tools ignore it.

GUIDs come from :func:`.qdaxml.guid` and timestamps from the project, never from the clock, so
the same project always gives the same file.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from lxml import etree

from tzcld_qual.model import Codebook, Coding, Document, Memo, Segment, Status
from tzcld_qual.outputs import atomic_output
from tzcld_qual.reports.refi.codes import code_guid, write_codes
from tzcld_qual.reports.refi.descriptions import describe, describe_codebook
from tzcld_qual.reports.refi.qdaxml import PROJECT_LOCATION, PROJECT_NS, guid, root, sub, to_bytes
from tzcld_qual.reports.refi.schema import PROJECT_XSD, require_valid
from tzcld_qual.store import AttributeSources, CodingFilter, ProjectStore

SUGGESTIONS = ("current", "all", "none")
EXTRA_NAME = "tzcld-qual.json"
EXTRA_FORMAT = "tzcld-qual"
EXTRA_VERSION = 1
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CANONICAL_INT = re.compile(r"^-?(?:0|[1-9]\d*)$")


@dataclass(frozen=True, slots=True)
class QdpxSummary:
    path: Path
    sources: int
    codes: int
    users: int
    codings: int  # applied human decisions written as codings
    suggestions: int  # model suggestions written as codings
    rejections: int  # human rejections (descriptions and side file only)
    withheld: int  # suggestions an analyst rejected: side file only (other tools counted them as coded)
    marks: int  # « relu, aucun code » marks (segment, analyst): side file only, no coding
    marked_segments: int  # the segments they are on
    notes: int
    skipped: int  # codings on codes missing from the current codebook, left out


@dataclass(frozen=True, slots=True)
class ExportPlan:
    """Everything the export writes, read from the store once."""

    name: str
    codebook: Codebook
    documents: tuple[Document, ...]
    segments: Mapping[int, Sequence[Segment]]  # document id -> segments
    codings: Mapping[int, Sequence[Coding]]  # segment id -> exported rows (rejections included)
    withheld: Mapping[int, Sequence[Coding]]  # segment id -> suggestions an analyst rejected, none applied
    # segment id -> (analyst, when) of each « relu, aucun code » mark there: no coding, side file only
    marks: Mapping[int, Sequence[tuple[str, str]]]
    # model -> segment id -> its score of each code, for the models whose suggestions are exported:
    # every segment it read, suggestion or not (agreement with it, the uncertainty queue, `code`)
    scored: Mapping[str, Mapping[int, Mapping[str, float]]]
    # model -> its run: decision thresholds per code, scores, date (the uncertainty queue and the
    # chat measure each suggestion against its code's threshold, not 0.5)
    runs: Mapping[str, Mapping[str, object]]
    # document id -> where its attributes came from (header, attributes file, analyst corrections),
    # so a later re-import of the transcripts into the imported project keeps the corrections
    attribute_sources: Mapping[int, AttributeSources]
    kinds: Mapping[str, str]  # coder -> "human" | "model"
    memos: tuple[tuple[Memo, str, str], ...]  # (memo, target kind, resolved key)
    sources: Mapping[int, str]  # document id -> TextSource GUID
    selections: Mapping[int, str]  # segment id -> PlainTextSelection GUID
    created_at: str | None
    current_model: str | None
    skipped: int


def export_qdpx(
    store: ProjectStore,
    codebook: Codebook,
    out: Path,
    *,
    suggestions: str = "current",
    name: str | None = None,
) -> QdpxSummary:
    """Write ``out`` (a ``.qdpx`` zip); its ``project.qde`` is validated against ``Project.xsd``."""
    plan = collect(store, codebook, suggestions=suggestions, name=name or store.path.stem)
    xml = project_xml(plan)
    require_valid(xml, PROJECT_XSD)
    files = [("project.qde", xml)]
    files += [(f"sources/{plan.sources[d.id]}.txt", d.text.encode("utf-8")) for d in plan.documents]
    files.append((EXTRA_NAME, json.dumps(extra(plan), ensure_ascii=False, indent=1).encode("utf-8")))
    write_zip(out, files)
    rows = [c for rows in plan.codings.values() for c in rows]
    return QdpxSummary(
        path=out,
        sources=len(plan.documents),
        codes=len(plan.codebook.codes),
        users=len(users(plan)),
        codings=sum(c.status.applies for c in rows),
        suggestions=sum(c.status is Status.SUGGESTED for c in rows),
        rejections=sum(c.status is Status.REJECTED for c in rows),
        withheld=sum(len(rows) for rows in plan.withheld.values()),
        marks=sum(len(rows) for rows in plan.marks.values()),
        marked_segments=len(plan.marks),
        notes=len(plan.memos),
        skipped=plan.skipped,
    )


def collect(
    store: ProjectStore, codebook: Codebook, *, suggestions: str = "current", name: str = "projet"
) -> ExportPlan:
    if suggestions not in SUGGESTIONS:
        raise ValueError(f"suggestions must be one of {SUGGESTIONS}")
    documents = tuple(store.documents.list())
    segments: dict[int, list[Segment]] = defaultdict(list)
    for segment in store.documents.segments():
        segments[segment.document_id].append(segment)
    current = store.meta("current_model")
    kinds = {c: "human" for c in store.codings.coders("human")} | {c: "model" for c in store.codings.coders("model")}
    codings: dict[int, list[Coding]] = defaultdict(list)
    skipped = 0
    for coding in store.codings.list(CodingFilter()):
        kind = kinds.get(coding.origin, "model" if coding.status is Status.SUGGESTED else "human")
        if kind == "model" and (suggestions == "none" or (suggestions == "current" and coding.origin != current)):
            continue
        if coding.code_id not in codebook:
            skipped += 1
            continue
        codings[coding.segment_id].append(coding)
    memos = _resolve_memos(store.memos.list(), documents, segments, codebook)
    sources = {d.id: source_guid(d) for d in documents}
    kept, withheld = _withhold_rejected(codings, kinds)
    marks: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for (segment_id, coder), at in sorted(store.codings.no_code_dates().items()):
        marks[segment_id].append((coder, at))
    models = {
        "none": [],
        "current": [current] if current and kinds.get(current) == "model" else [],
        "all": [c for c, k in kinds.items() if k == "model"],
    }[suggestions]
    return ExportPlan(
        name=name,
        codebook=codebook,
        documents=documents,
        segments=dict(segments),
        codings=kept,
        withheld=withheld,
        marks=dict(marks),
        scored={model: store.codings.scores(model) for model in models},
        runs={model: _run_record(run) for model in models if (run := store.runs.get(model))},
        attribute_sources={d.id: store.documents.sources(d.id) for d in documents},
        kinds=kinds,
        memos=memos,
        sources=sources,
        selections=_selections(documents, segments, sources),
        created_at=store.meta("created_at"),
        current_model=current,
        skipped=skipped,
    )


def _withhold_rejected(
    codings: Mapping[int, list[Coding]], kinds: Mapping[str, str]
) -> tuple[dict[int, list[Coding]], dict[int, list[Coding]]]:
    """A model's suggestion an analyst rejected (and none applied) is no coding for NVivo, ATLAS.ti
    or MAXQDA: written as a ``<Coding>`` of the model's user, they counted it as coded. Such
    suggestions go to the side file only, so ``import-qdpx`` still restores them."""
    kept: dict[int, list[Coding]] = {}
    withheld: dict[int, list[Coding]] = {}
    for segment_id, rows in codings.items():
        human = [c for c in rows if kinds.get(c.origin) == "human" or c.status is not Status.SUGGESTED]
        rejected = {c.code_id for c in human if c.status is Status.REJECTED}
        applied = {c.code_id for c in human if c.status.applies}
        for c in rows:
            hidden = c.status is Status.SUGGESTED and c.code_id in rejected and c.code_id not in applied
            (withheld if hidden else kept).setdefault(segment_id, []).append(c)
    return kept, withheld


def _selections(
    documents: Sequence[Document], segments: Mapping[int, list[Segment]], sources: Mapping[int, str]
) -> dict[int, str]:
    """A GUID per segment from its source and range (plus its position if two share a range)."""
    out: dict[int, str] = {}
    for document in documents:
        taken: set[str] = set()
        for segment in segments.get(document.id, ()):
            key = guid("selection", sources[document.id], segment.start, segment.end)
            if key in taken:
                key = guid("selection", sources[document.id], segment.start, segment.end, segment.position)
            taken.add(key)
            out[segment.id] = key
    return out


def _resolve_memos(
    memos: Sequence[Memo],
    documents: Sequence[Document],
    segments: Mapping[int, list[Segment]],
    codebook: Codebook,
) -> tuple[tuple[Memo, str, str], ...]:
    """Each memo with the key of what it is attached to (memos on things not exported: left out)."""
    by_id = {str(d.id): d for d in documents}
    by_name = {d.name: d for d in documents}
    segment_ids = {str(s.id) for rows in segments.values() for s in rows}
    out = []
    for memo in memos:
        if not memo.text.strip():
            continue
        if memo.target == "project":
            out.append((memo, "project", ""))
        elif memo.target == "code" and memo.target_id in codebook:
            out.append((memo, "code", memo.target_id))
        elif memo.target == "segment" and memo.target_id in segment_ids:
            out.append((memo, "segment", memo.target_id))
        elif memo.target == "document":
            doc = by_id.get(memo.target_id) or by_name.get(memo.target_id)
            if doc is not None:
                out.append((memo, "document", str(doc.id)))
    return tuple(out)


# -- project.qde ---------------------------------------------------------------------------
def source_guid(document: Document) -> str:
    """From the name and the text itself: a changed text is a different source for other tools."""
    return guid("source", document.name, hashlib.sha256(document.text.encode("utf-8")).hexdigest())


def user_guid(name: str) -> str:
    return guid("user", name)


def coding_guid(selection: str, coding: Coding) -> str:
    return guid("coding", selection, coding.code_id, coding.origin)


def note_guid(memo: Memo) -> str:
    return guid("note", memo.target, memo.target_id, memo.coder)


def users(plan: ExportPlan) -> list[str]:
    """Human coders first, then models, each sorted: only those the file refers to."""
    names = {c.origin for rows in plan.codings.values() for c in rows} | {m.coder for m, _, _ in plan.memos}
    return sorted(names, key=lambda n: (plan.kinds.get(n) == "model", n))


def project_xml(plan: ExportPlan) -> bytes:
    origin = f"tzcld-qual {version()}"
    project = root(
        PROJECT_NS,
        "Project",
        PROJECT_LOCATION,
        {"name": plan.name, "origin": origin, "creationDateTime": _datetime(plan.created_at)},
    )
    names = users(plan)
    if names:
        element = sub(project, "Users")
        for name in names:
            sub(element, "User", {"guid": user_guid(name), "name": name, "id": name})
    notes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for memo, kind, key in plan.memos:
        notes[(kind, key)].append(note_guid(memo))
    write_codes(
        sub(project, "CodeBook"),
        plan.codebook,
        {key: refs for (kind, key), refs in notes.items() if kind == "code"},
    )
    variables = _variables(plan.documents)
    if variables:
        element = sub(project, "Variables")
        for name, kind in variables.items():
            sub(
                element,
                "Variable",
                {"guid": guid("variable", name), "name": name, "typeOfVariable": kind},
            )
        _cases(sub(project, "Cases"), plan, variables)
    if plan.documents:
        sources = sub(project, "Sources")
        for document in plan.documents:
            _text_source(sources, plan, document, notes)
    if plan.memos:
        element = sub(project, "Notes")
        for memo, kind, _key in plan.memos:
            _note(element, memo, kind)
    sub(project, "Description", text=_description(plan))
    for note in notes.get(("project", ""), ()):
        sub(project, "NoteRef", {"targetGUID": note})
    return to_bytes(project)


def _variables(documents: Sequence[Document]) -> dict[str, str]:
    values: dict[str, list[str]] = defaultdict(list)
    for document in documents:
        for key, value in document.attributes.items():
            values[key].append(value)
    return {key: _variable_type(values[key]) for key in sorted(values)}


def _variable_type(values: Sequence[str]) -> str:
    """Integer or Date only when reading the value back gives the same text (no lost zero)."""
    if all(_CANONICAL_INT.match(v) for v in values):
        return "Integer"
    try:
        if all(date.fromisoformat(v).isoformat() == v for v in values):
            return "Date"
    except ValueError:
        pass
    return "Text"


_VALUE_ELEMENT = {"Integer": "IntegerValue", "Date": "DateValue", "Text": "TextValue"}


def _cases(parent: etree._Element, plan: ExportPlan, variables: Mapping[str, str]) -> None:
    sources = plan.sources
    for document in plan.documents:
        case = sub(parent, "Case", {"guid": guid("case", document.name), "name": Path(document.name).stem})
        for key in sorted(document.attributes):
            value = sub(case, "VariableValue")
            sub(value, "VariableRef", {"targetGUID": guid("variable", key)})
            sub(value, _VALUE_ELEMENT[variables[key]], text=document.attributes[key])
        sub(case, "SourceRef", {"targetGUID": sources[document.id]})


def _text_source(
    parent: etree._Element,
    plan: ExportPlan,
    document: Document,
    notes: Mapping[tuple[str, str], list[str]],
) -> None:
    source_id = plan.sources[document.id]
    element = sub(
        parent,
        "TextSource",
        {
            "guid": source_id,
            "name": document.name,
            "plainTextPath": f"internal://{source_id}.txt",
            "creationDateTime": _datetime(document.imported_at),
        },
    )
    order = {c.id: i for i, c in enumerate(plan.codebook.codes)}
    for segment in sorted(plan.segments.get(document.id, ()), key=lambda s: (s.start, s.end, s.position)):
        rows = sorted(
            [*plan.codings.get(segment.id, ()), *plan.withheld.get(segment.id, ())],
            key=lambda c: (order[c.code_id], plan.kinds.get(c.origin) == "model", c.origin),
        )
        withheld = set(map(id, plan.withheld.get(segment.id, ())))
        segment_notes = notes.get(("segment", str(segment.id)), [])
        if not rows and not segment_notes:
            continue
        codings = [c for c in rows if c.status is not Status.REJECTED and id(c) not in withheld]
        selection = sub(
            element,
            "PlainTextSelection",
            {
                "guid": plan.selections[segment.id],
                "startPosition": str(segment.start),
                "endPosition": str(segment.end),
                "creatingUser": user_guid(min(codings, key=lambda c: c.created_at).origin) if codings else None,
                "creationDateTime": _datetime(min(c.created_at for c in codings)) if codings else None,
            },
        )
        if rows:
            sub(selection, "Description", text="\n".join(describe(c, plan.codebook) for c in rows))
        for coding in codings:
            item = sub(
                selection,
                "Coding",
                {
                    "guid": coding_guid(plan.selections[segment.id], coding),
                    "creatingUser": user_guid(coding.origin),
                    "creationDateTime": _datetime(coding.created_at),
                },
            )
            sub(item, "CodeRef", {"targetGUID": code_guid(coding.code_id)})
        for note in segment_notes:
            sub(selection, "NoteRef", {"targetGUID": note})
    for note in notes.get(("document", str(document.id)), ()):
        sub(element, "NoteRef", {"targetGUID": note})


def _note(parent: etree._Element, memo: Memo, kind: str) -> None:
    kinds = {"project": "projet", "document": "document", "segment": "segment", "code": "code"}
    note = sub(
        parent,
        "Note",
        {
            "guid": note_guid(memo),
            "name": f"Mémo de {memo.coder} ({kinds[kind]})",
            "creatingUser": user_guid(memo.coder),
            "creationDateTime": _datetime(memo.created_at),
            "modifiedDateTime": _datetime(memo.updated_at),
        },
    )
    sub(note, "PlainTextContent", text=memo.text)


def _description(plan: ExportPlan) -> str:
    models = sorted({c.origin for rows in plan.codings.values() for c in rows if c.status is Status.SUGGESTED})
    return (
        f"Export tzcld-qual — codebook « {plan.codebook.name} » v{plan.codebook.version}. "
        "Codages : décisions des analystes (codes acceptés ou ajoutés) et suggestions des modèles "
        f"({', '.join(models) or 'aucune'}), chaque modèle étant un utilisateur. Les rejets, "
        "statuts et scores figurent dans la description de chaque sélection.\n"
        + describe_codebook(plan.codebook)
    )


def _datetime(value: str | None) -> str | None:
    """An ``xsd:dateTime`` from a stored ISO timestamp (``None`` when missing or unreadable)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        return None


def version() -> str:
    try:
        return metadata.version("tzcld-qual")
    except metadata.PackageNotFoundError:
        return "dev"


# -- side file and zip ------------------------------------------------------------------------
def extra(plan: ExportPlan) -> dict[str, object]:
    """What REFI-QDA cannot carry, keyed by the GUIDs of ``project.qde`` (see the module doc)."""
    sources: dict[str, object] = {}
    codings: dict[str, object] = {}
    rejections: list[dict[str, object]] = []
    withheld: list[dict[str, object]] = []
    marks: list[dict[str, object]] = []
    for document in plan.documents:
        rows = plan.segments.get(document.id, ())
        sources[plan.sources[document.id]] = {
            "name": document.name,
            "source_format": document.source_format,
            "speakers": dict(document.speakers),
            "segments": [[s.start, s.end, s.turn, s.speaker, s.role.value] for s in rows],
            "attribute_sources": _sources_record(plan.attribute_sources.get(document.id)),
            "scored": {
                model: [[s.start, s.end, dict(scores[s.id])] for s in rows if s.id in scores]
                for model, scores in plan.scored.items()
            },
        }
        for segment in rows:
            for coding in plan.codings.get(segment.id, ()):
                record = {
                    "status": coding.status.value,
                    "confidence": coding.confidence,
                    "explanation": coding.explanation,
                    "created_at": coding.created_at,
                    "updated_at": coding.updated_at,
                }
                if coding.status is Status.REJECTED:
                    rejections.append(
                        {
                            "source": plan.sources[document.id],
                            "start": segment.start,
                            "end": segment.end,
                            "code": coding.code_id,
                            "coder": coding.origin,
                            **record,
                        }
                    )
                else:
                    codings[coding_guid(plan.selections[segment.id], coding)] = record
            for coding in plan.withheld.get(segment.id, ()):
                withheld.append(
                    {
                        "source": plan.sources[document.id],
                        "start": segment.start,
                        "end": segment.end,
                        "code": coding.code_id,
                        "coder": coding.origin,
                        "status": coding.status.value,
                        "confidence": coding.confidence,
                        "explanation": coding.explanation,
                        "created_at": coding.created_at,
                        "updated_at": coding.updated_at,
                    }
                )
            for coder, at in plan.marks.get(segment.id, ()):
                marks.append(
                    {
                        "source": plan.sources[document.id],
                        "start": segment.start,
                        "end": segment.end,
                        "coder": coder,
                        "created_at": at,
                    }
                )
    codebook = plan.codebook
    return {
        "format": EXTRA_FORMAT,
        "version": EXTRA_VERSION,
        "codebook": {
            "name": codebook.name,
            "version": codebook.version,
            "language": codebook.language,
            "description": codebook.description,
            "source": codebook.source,
        },
        "current_model": plan.current_model,
        "models": {name: dict(run) for name, run in plan.runs.items()},
        "coders": {name: plan.kinds.get(name, "human") for name in users(plan)}
        | {coder: "human" for rows in plan.marks.values() for coder, _at in rows},
        "sources": sources,
        "codings": codings,
        "rejections": rejections,
        "withheld_suggestions": withheld,
        "no_code": marks,  # « relu, aucun code »: read by an analyst, no code applies (not a coding)
    }


def _run_record(run: Mapping[str, Any]) -> dict[str, object]:
    """A model run as the side file keeps it: not its decision snapshot (segment ids of this
    project) nor its fingerprint (of this user's cache), which mean nothing elsewhere."""
    params = run.get("params")
    thresholds = params.get("thresholds") if isinstance(params, dict) else None
    return {
        "kind": run.get("kind"),
        "created_at": run.get("created_at"),
        "thresholds": thresholds if isinstance(thresholds, dict) else {},
        "metrics": run.get("metrics") if isinstance(run.get("metrics"), dict) else {},
    }


def _sources_record(sources: AttributeSources | None) -> dict[str, object] | None:
    if sources is None:
        return None
    return {
        "header": dict(sources.header) if sources.header is not None else None,
        "given": dict(sources.given) if sources.given is not None else None,
        "corrected": sorted(sources.corrected),
    }


def write_zip(out: Path, files: Sequence[tuple[str, bytes]]) -> None:
    """The archive, written whole or not at all (:mod:`tzcld_qual.outputs`)."""
    with (
        atomic_output(Path(out), "projet.qdpx") as stream,
        zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16  # transcripts are personal data
            archive.writestr(info, data)
