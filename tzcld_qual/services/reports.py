"""``tzcld-qual report``: gather a project's findings, quotes, agreement and methods into one "
"file."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from tzcld_qual.errors import NotFoundError, ProjectError, Text
from tzcld_qual.model import Codebook, Role
from tzcld_qual.outputs import check_file_target, check_replaceable, write_bytes
from tzcld_qual.reports.report import AgreementSection, ModelBasis, ReportData, render, report_format
from tzcld_qual.reports.report_blocks import findings_phrase
from tzcld_qual.reports.report_collect import collect
from tzcld_qual.reports.report_topics import EarlierCode, emergent_themes
from tzcld_qual.services.agreement import (
    AgreementReport,
    coder_codings,
    compare_unlearnt,
    model_vs_analysts,
)
from tzcld_qual.services.model_basis import model_basis
from tzcld_qual.services.privacy import pseudonymisation_status
from tzcld_qual.services.projects import current_codebook, open_project
from tzcld_qual.services.topics import earlier_promotion
from tzcld_qual.store import ProjectStore


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    path: Path
    format: str
    findings: int
    findings_said: str  # « 8 enseignements et 1 autre code »
    quotes: int
    suggestion_quotes: int
    agreements: int
    themes: bool
    model: str | None
    outside: tuple[tuple[str, int], ...] = ()  # decisions on codes the codebook lacks, counted nowhere


def final_model(store: ProjectStore, model: str | None = None) -> str | None:
    """The model whose suggestions the report counts: the one asked for, else the project's current
    model (``meta current_model``), else the latest run; ``None`` when no model was ever run."""
    if model is not None:
        if store.codings.coder_kind(model) != "model":
            known = ", ".join(store.codings.coders("model")) or "aucun"
            raise NotFoundError(
                Text(
                    "modèle « {model} » inconnu (modèles du projet : {known}).",
                    "unknown model « {model} » (models in the project: {known}).",
                ),
                Text(
                    "Omettez --model pour utiliser le modèle courant.",
                    "Leave out --model to use the current model.",
                ),
                model=model,
                known=known,
            )
        return model
    return store.meta("current_model") or store.runs.latest_id()


def build_report(store: ProjectStore, *, model: str | None = None, quotes: int = 5) -> ReportData:
    codebook = current_codebook(store)
    chosen = final_model(store, model)
    basis = model_basis(store, chosen, codebook)
    agreements = tuple(
        AgreementSection(r.coder_a.name, r.coder_a.kind, r.coder_b.name, r.coder_b.kind, r.result, r.labels, left)
        for r, left in (*_model_agreements(store, codebook, basis), *((r, 0) for r in model_vs_analysts(store, None)))
    )
    data = collect(
        store,
        codebook,
        model=chosen,
        quotes=quotes,
        agreements=agreements,
        themes=emergent_themes(store, _earlier_code(store, codebook), codebook),
        basis=basis,
    )
    # a report travels (funders, partners): it says whether the people it quotes can be named
    privacy = pseudonymisation_status(store).sentence()
    return replace(data, methods=replace(data.methods, privacy=privacy))


def _model_agreements(
    store: ProjectStore, codebook: Codebook, basis: ModelBasis | None
) -> list[tuple[AgreementReport, int]]:
    """The model against each analyst, on the segments it did not learn from, with how many
    it learnt were left out (:func:`compare_unlearnt`). A comparison left with no segment is
    kept when some were left out, to say so."""
    if basis is None or store.codings.coder_kind(basis.model) != "model":
        return []
    segments = {s.id: s for s in store.documents.segments()}
    # an analyst's open pairs follow agreement's rule (the suggestions she had on screen when she
    # decided), whichever coder she is compared with
    model = coder_codings(store, basis.model, codebook, segments.keys(), codebook_only=True)
    out = []
    for analyst in store.codings.coders("human"):
        human = coder_codings(store, analyst, codebook, segments.keys(), codebook_only=True)
        report = compare_unlearnt(model, human, segments, codebook, basis.learnt, basis.model)
        if report.result.units or report.learnt_left_out:
            out.append((report, report.learnt_left_out))
    return out


def _earlier_code(store: ProjectStore, codebook: Codebook) -> EarlierCode:
    """What the topics command says as « déjà le code … »: the code an earlier run's theme with
    mostly the same segments became."""

    def earlier(run_id: str, topic: int) -> tuple[str, str, int] | None:
        found = earlier_promotion(store, run_id, topic, codebook)
        return (found.code, found.run_id, found.topic) if found else None

    return earlier


def write_report(
    project: Path,
    output: Path,
    *,
    model: str | None = None,
    quotes: int = 5,
    force: bool = False,
    title: str | None = None,
) -> ReportOutcome:
    """Write the report to ``output`` (format from its suffix: .html, .md or .docx); a file there
    that this tool did not write is replaced only with ``force``."""
    if output.is_dir():  # « -o rapports/ » is a folder before it is a suffix-less name
        check_file_target(output, "rapport.html")
    fmt = report_format(output.suffix)
    check_file_target(output, f"rapport.{fmt}")  # before the work, not after it
    check_replaceable(output, force=force)
    with open_project(project) as store:
        if not store.documents.count_segments(Role.RESPONDENT):
            raise ProjectError(
                Text(
                    "le projet n'a aucune réponse d'entretien : le rapport serait vide.",
                    "the project holds no interview answer: the report would be empty.",
                ),
                Text(
                    "Importez des entretiens (tzcld-qual import {project} DOSSIER) et codez-les d'abord.",
                    "Import interviews (tzcld-qual import {project} FOLDER) and code them first.",
                ),
                path=project,
                project=project,
            )
        data = build_report(store, model=model, quotes=quotes)
    if title:  # the analyst's title, else the project's name
        data = replace(data, title=title)
    write_bytes(output, render(data, fmt), f"rapport.{fmt}")
    all_quotes = [q for f in data.findings for q in f.quotes]
    return ReportOutcome(
        path=output,
        format=fmt,
        findings=len(data.findings),
        findings_said=findings_phrase(data.findings),
        quotes=len(all_quotes),
        suggestion_quotes=sum(not q.validated for q in all_quotes),
        agreements=len(data.agreements),
        themes=data.themes is not None,
        model=data.methods.model,
        outside=data.methods.outside,
    )
