"""``export``: the project for other tools (REFI-QDA qdpx/qdc) and for spreadsheets (csv, xlsx)."""

from __future__ import annotations

import argparse
from pathlib import Path

from tzcld_qual.cli.output import Console
from tzcld_qual.cli.parser import add_force, tr
from tzcld_qual.config import Config
from tzcld_qual.errors import Text, UsageError
from tzcld_qual.reports.report_blocks import plural
from tzcld_qual.services.exports import FORMATS, SUGGESTIONS, ExportResult, export_project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "export",
        help=tr(
            "exporte vers REFI-QDA (qdpx, qdc) ou en tableaux (csv, xlsx)",
            "export to REFI-QDA (qdpx, qdc) or tables (csv, xlsx)",
        ),
        description=tr(
            "Exporte un projet. qdpx : le projet REFI-QDA (NVivo, ATLAS.ti, MAXQDA, QualCoder) : textes, "
            "codebook, codages des analystes, suggestions des modèles (chaque modèle est un utilisateur), "
            "attributs en cas et variables, mémos en notes. qdc : le codebook seul. csv : un dossier de "
            "tableaux (codages, code × document, code × attribut, cooccurrences), en UTF-8 avec BOM, séparés "
            "par des virgules ; un texte qui y commence par =, +, - ou @ prend une apostrophe devant, pour "
            "qu'un tableur ne l'exécute pas comme une formule. xlsx : les mêmes tableaux dans un seul "
            "classeur : c'est lui qu'il faut ouvrir dans Excel, qui attend en français des points-virgules "
            "dans un fichier CSV.",
            "Export a project. qdpx: the REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, "
            "QualCoder): texts, codebook, analysts' codings, model suggestions (each model is a user), "
            "attributes as cases and variables, memos as notes. qdc: the codebook alone. csv: a folder "
            "of tables (codings, code × document, code × attribute, co-occurrence), UTF-8 with a BOM, "
            "comma-separated; a text starting with =, +, - or @ gets an apostrophe in front, so that a "
            "spreadsheet does not run it as a formula. xlsx: the same tables in one workbook: the one to "
            "open in Excel, whose French version expects semicolons in a CSV file.",
        ),
        epilog=tr(
            "exemples : tzcld-qual export etude.tzq --format qdpx -o etude.qdpx\n"
            "           tzcld-qual export etude.tzq --format qdc -o codebook.qdc\n"
            "           tzcld-qual export etude.tzq --format csv -o tableaux/\n"
            "           tzcld-qual export etude.tzq -f xlsx -o tableaux.xlsx --include-suggestions",
            "examples: tzcld-qual export etude.tzq --format qdpx -o etude.qdpx\n"
            "          tzcld-qual export etude.tzq --format qdc -o codebook.qdc\n"
            "          tzcld-qual export etude.tzq --format csv -o tableaux/\n"
            "          tzcld-qual export etude.tzq -f xlsx -o tableaux.xlsx --include-suggestions",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("project", type=Path)
    p.add_argument("--format", "-f", choices=FORMATS, required=True)
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="OUT",
        help=tr("fichier (qdpx, qdc, xlsx) ou dossier (csv)", "file (qdpx, qdc, xlsx) or folder (csv)"),
    )
    p.add_argument(
        "--suggestions",
        choices=SUGGESTIONS,
        default=None,  # "current"; given with another format, refused rather than ignored
        help=tr(
            "qdpx : suggestions de modèle à inclure comme codages (par défaut : celles du modèle courant)",
            "qdpx: model suggestions to include as codings (default: the current model's)",
        ),
    )
    p.add_argument(
        "--include-suggestions",
        action="store_true",
        help=tr(
            "csv/xlsx : compte les suggestions non tranchées du modèle courant comme des codes appliqués",
            "csv/xlsx: count the current model's undecided suggestions as applied codes",
        ),
    )
    p.add_argument(
        "--json",
        action="store_true",
        help=tr("un objet JSON qui décrit ce qui a été écrit", "one JSON object describing what was written"),
    )
    add_force(p)
    p.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace, console: Console, config: Config) -> int:
    if args.include_suggestions and args.format not in ("csv", "xlsx"):
        raise UsageError(
            Text(
                "--include-suggestions vaut pour csv et xlsx, pas pour {fmt}.",
                "--include-suggestions is for csv and xlsx, not {fmt}.",
            ),
            Text(
                "Pour un qdpx, --suggestions choisit les suggestions à inclure (all, current, none).",
                "For a qdpx, --suggestions chooses the suggestions to include (all, current, none).",
            ),
            fmt=args.format,
        )
    if args.suggestions is not None and args.format != "qdpx":
        raise UsageError(
            Text(
                "--suggestions vaut pour qdpx, pas pour {fmt}.",
                "--suggestions is for qdpx, not {fmt}.",
            ),
            Text(
                "En csv et xlsx, --include-suggestions compte les suggestions non tranchées du modèle courant.",
                "In csv and xlsx, --include-suggestions counts the current model's undecided suggestions.",
            ),
            fmt=args.format,
        )
    result = export_project(
        args.project,
        args.format,
        args.output,
        suggestions=args.suggestions or "current",
        include_suggestions=args.include_suggestions,
        force=args.force,
    )
    if args.json:
        console.json(_record(result))
    else:
        for path in result.paths:
            console.data(str(path))
    console.say(_summary(result, args))
    return 0


def _record(result: ExportResult) -> dict[str, object]:
    record: dict[str, object] = {
        "format": result.format,
        "paths": [str(p) for p in result.paths],
        "codes": result.codes,
    }
    if result.tables:
        record["tables"] = list(result.tables)
        # the counts with or without the model's undecided suggestions: the files alone look alike
        record["include_suggestions"] = bool(result.suggestions_counted)
        record["suggestions_model"] = result.suggestions_counted or None
    if result.qdpx:
        q = result.qdpx
        record.update(
            sources=q.sources,
            users=q.users,
            codings=q.codings,
            suggestions=q.suggestions,
            rejections=q.rejections,
            withheld_suggestions=q.withheld,
            no_code_marks=q.marks,
            no_code_segments=q.marked_segments,
            notes=q.notes,
            skipped=q.skipped,
        )
    return record


def _summary(result: ExportResult, args: argparse.Namespace) -> str:
    if result.qdpx:
        q = result.qdpx
        text = (
            f"{args.output} : {plural(q.sources, 'document')}, {plural(q.codes, 'code')}, "
            f"{plural(q.codings, 'codage')} d'analystes, "
            f"{plural(q.suggestions, 'suggestion')} de modèle, {plural(q.rejections, 'rejet')} (en description), "
            f"{plural(q.notes, 'mémo')}"
        )
        if q.withheld:
            text += (
                f" ; {plural(q.withheld, 'suggestion rejetée', 'suggestions rejetées')} par un analyste gardées "
                "hors des codages (fichier tzcld-qual.json seulement : les autres logiciels les auraient comptées "
                "comme codées)"
            )
        if q.marks:
            text += (
                f" ; {plural(q.marked_segments, 'segment relu', 'segments relus')} sans code "
                f"({plural(q.marks, 'marque')} « aucun code » d'analystes) gardés dans tzcld-qual.json seulement : "
                "ce ne sont pas des codages"
            )
        if q.skipped:
            text += f" ; {q.skipped} codages sur des codes absents du codebook courant non exportés"
        return text + f". Suite : ouvrez-le dans votre logiciel, ou tzcld-qual import-qdpx {args.output}"
    if result.format == "qdc":
        return (
            f"{args.output} : codebook de {result.codes} codes. "
            f"Suite : tzcld-qual codebook import {args.output} -o codebook.yaml"
        )
    counted = (
        f", comptes avec les suggestions non revues de {result.suggestions_counted}"
        if result.suggestions_counted
        else ", comptes des codes validés seulement"
    )
    return (
        f"{plural(len(result.tables), 'tableau', 'tableaux')} écrits ({', '.join(result.tables)}){counted}. "
        f"Suite : tzcld-qual report {args.project} -o rapport.html"
    )
