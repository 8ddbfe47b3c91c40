"""``import-qdpx``: a REFI-QDA project from NVivo, ATLAS.ti, MAXQDA, QualCoder… as a new project."""

from __future__ import annotations

import argparse
from pathlib import Path

from tzcld_qual.cli.output import Console
from tzcld_qual.cli.parser import tr
from tzcld_qual.config import Config
from tzcld_qual.errors import Text, UsageError
from tzcld_qual.reports.report_blocks import plural
from tzcld_qual.services.interop import import_qdpx


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "import-qdpx",
        help=tr(
            "crée un projet à partir d'un projet REFI-QDA (.qdpx)", "create a project from a REFI-QDA project (.qdpx)"
        ),
        description=tr(
            "Crée un nouveau projet à partir d'un projet REFI-QDA (.qdpx) : les sources textuelles avec leur "
            "texte, le codebook, les codages avec leurs codeurs (les utilisateurs nommés comme nom@version "
            "sont des modèles, leurs codages des suggestions ; les autres sont des analystes), les cas et "
            "variables en attributs des documents, les notes en mémos. Chaque passage codé devient un segment "
            "aux positions exactes ; le reste de chaque texte est découpé par tour de parole et par ligne. "
            "Un .qdpx écrit par tzcld-qual revient tel qu'il était.",
            "Create a new project from a REFI-QDA project (.qdpx): text sources with their "
            "text, the codebook, codings with their coders (users named like name@version are models, "
            "their codings suggestions; the others are analysts), cases and variables as document "
            "attributes, notes as memos. Each coded passage becomes a segment with its exact offsets; "
            "the rest of each text is cut by speaker turn and line. A .qdpx written by tzcld-qual "
            "comes back as it was.",
        ),
        epilog=tr(
            "exemples : tzcld-qual import-qdpx collegue.qdpx\n"
            "           tzcld-qual import-qdpx collegue.qdpx etude-collegue.tzq",
            "examples: tzcld-qual import-qdpx collegue.qdpx\n"
            "          tzcld-qual import-qdpx collegue.qdpx etude-collegue.tzq",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", type=Path, metavar="FILE.qdpx")
    p.add_argument(
        "project",
        type=Path,
        nargs="?",
        metavar="PROJECT",
        help=tr(
            "projet à créer (par défaut : FILE avec l'extension .tzq)",
            "project to create (default: FILE with the .tzq extension)",
        ),
    )
    p.add_argument(
        "-p",
        "--project",
        dest="project_option",
        type=Path,
        metavar="PROJECT",
        help=tr("comme l'argument PROJECT", "same as the PROJECT argument"),
    )
    p.add_argument(
        "--json",
        action="store_true",
        help=tr("un objet JSON qui décrit l'import", "one JSON object describing the import"),
    )
    p.set_defaults(handler=cmd_import_qdpx)


def cmd_import_qdpx(args: argparse.Namespace, console: Console, config: Config) -> int:
    if args.project and args.project_option and args.project != args.project_option:
        raise UsageError(
            Text(
                "deux projets différents donnés ({a} et {b}).",
                "two different projects given ({a} and {b}).",
            ),
            Text("Donnez le projet une seule fois.", "Give the project once."),
            a=args.project,
            b=args.project_option,
        )
    target, summary = import_qdpx(args.file, args.project or args.project_option)
    if args.json:
        console.json(
            {
                "project": str(target),
                "documents": summary.documents,
                "segments": summary.segments,
                "codes": summary.codes,
                "decisions": summary.decisions,
                "no_code_marks": summary.marks,
                "suggestions": summary.suggestions,
                "memos": summary.memos,
                "coders": summary.coders,
                "to_complete": list(summary.to_complete),
                "warnings": list(summary.warnings),
            }
        )
    else:
        console.data(str(target))
    for warning in summary.warnings:
        console.say(f"attention : {warning}")
    if summary.to_complete:
        console.say(
            f"attention : définition à compléter pour {len(summary.to_complete)} codes : "
            f"{', '.join(summary.to_complete)} (tzcld-qual codebook show {target} --yaml)"
        )
    humans = ", ".join(sorted(n for n, k in summary.coders.items() if k == "human")) or "aucun"
    models = ", ".join(sorted(n for n, k in summary.coders.items() if k == "model")) or "aucun"
    console.say(
        f"Projet créé : {target} — {plural(summary.documents, 'document')}, {plural(summary.segments, 'segment')}, "
        f"{plural(summary.codes, 'code')}, {plural(summary.decisions, 'décision')} d'analystes ({humans}), "
        + (f"{plural(summary.marks, 'marque')} « relu, aucun code », " if summary.marks else "")
        + f"{plural(summary.suggestions, 'suggestion')} de modèle ({models}), {plural(summary.memos, 'mémo')}. "
        f"Suite : tzcld-qual codebook show {target}"
    )
    return 0
