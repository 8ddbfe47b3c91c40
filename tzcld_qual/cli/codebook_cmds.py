"""``codebook``: show a project's codebook, check or load a YAML codebook, import a .qdc one."""

from __future__ import annotations

import argparse
from pathlib import Path

from tzcld_qual.cli.output import Console, table
from tzcld_qual.cli.parser import tr
from tzcld_qual.config import Config
from tzcld_qual.model import Code
from tzcld_qual.services import codebooks


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "codebook",
        help=tr("affiche, valide, charge ou importe un codebook", "show, validate, load or import a codebook"),
        description=tr(
            "Travaille avec les codebooks : fichiers YAML (au format de codebooks/tzcld.yaml) et codebooks "
            "REFI-QDA (.qdc, venus de NVivo, ATLAS.ti, MAXQDA, QualCoder…).",
            "Work with codebooks: YAML files (format of codebooks/tzcld.yaml) and REFI-QDA "
            "codebooks (.qdc, from NVivo, ATLAS.ti, MAXQDA, QualCoder…).",
        ),
        epilog=tr(
            "exemples : tzcld-qual codebook show etude.tzq\n"
            "           tzcld-qual codebook validate codebooks/tzcld.yaml\n"
            "           tzcld-qual codebook import grille.qdc -o grille.yaml\n"
            "           tzcld-qual codebook load etude.tzq grille.yaml",
            "examples: tzcld-qual codebook show etude.tzq\n"
            "          tzcld-qual codebook validate codebooks/tzcld.yaml\n"
            "          tzcld-qual codebook import grille.qdc -o grille.yaml\n"
            "          tzcld-qual codebook load etude.tzq grille.yaml",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = p.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)

    s = actions.add_parser(
        "show",
        help=tr("liste les codes du codebook d'un projet", "list the codes of a project's codebook"),
        description=tr(
            "Liste les codes du codebook du projet (dernière version par défaut).",
            "List the codes of the project's codebook (latest version by default).",
        ),
        epilog=tr(
            "exemple : tzcld-qual codebook show etude.tzq --json",
            "example: tzcld-qual codebook show etude.tzq --json",
        ),
    )
    s.add_argument("project", type=Path)
    s.add_argument(
        "--version", type=int, help=tr("une version antérieure du codebook", "an older version of the codebook")
    )
    out = s.add_mutually_exclusive_group()
    out.add_argument(
        "--json",
        action="store_true",
        help=tr("un objet JSON par code (JSON Lines)", "one JSON object per code (JSON Lines)"),
    )
    out.add_argument(
        "--yaml", action="store_true", help=tr("le texte YAML du codebook", "the YAML text of the codebook")
    )
    s.set_defaults(handler=cmd_show)

    s = actions.add_parser(
        "validate",
        help=tr("vérifie un codebook YAML", "check a YAML codebook"),
        description=tr(
            "Vérifie un codebook YAML ; les erreurs donnent le fichier et la ligne.",
            "Check a YAML codebook; errors give the file and the line.",
        ),
        epilog=tr(
            "exemple : tzcld-qual codebook validate grille.yaml", "example: tzcld-qual codebook validate grille.yaml"
        ),
    )
    s.add_argument("file", type=Path)
    s.add_argument(
        "--json", action="store_true", help=tr("un objet JSON avec le résultat", "one JSON object with the result")
    )
    s.set_defaults(handler=cmd_validate)

    s = actions.add_parser(
        "import",
        help=tr("convertit un codebook REFI-QDA (.qdc) en YAML", "convert a REFI-QDA codebook (.qdc) to YAML"),
        description=tr(
            "Convertit un codebook REFI-QDA (.qdc) au format YAML. Les codes sans description reçoivent "
            "une définition qui commence par « À compléter » (signalée dans le fichier) : rédigez-les "
            "avant de coder.",
            "Convert a REFI-QDA codebook (.qdc) to the YAML form. Codes "
            "without description get a definition starting with « À compléter » "
            "(marked in the file): write them before coding.",
        ),
        epilog=tr(
            "exemple : tzcld-qual codebook import grille.qdc -o grille.yaml",
            "example: tzcld-qual codebook import grille.qdc -o grille.yaml",
        ),
    )
    s.add_argument("file", type=Path, metavar="FILE.qdc")
    s.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="codebook.yaml",
        help=tr("écrit dans ce fichier (par défaut : stdout)", "write here (default: stdout)"),
    )
    s.add_argument("--force", action="store_true", help=tr("écrase le fichier de sortie", "overwrite the output file"))
    s.set_defaults(handler=cmd_import)

    s = actions.add_parser(
        "load",
        help=tr(
            "enregistre un codebook YAML comme nouvelle version de celui du projet",
            "store a YAML codebook as the project's new version",
        ),
        description=tr(
            "Enregistre un codebook YAML dans le projet comme nouvelle version "
            "(rien ne se passe s'il est identique à la dernière).",
            "Store a YAML codebook in the project as a new version "
            "(nothing happens if it is the same as the latest one).",
        ),
        epilog=tr(
            "exemple : tzcld-qual codebook load etude.tzq grille.yaml",
            "example: tzcld-qual codebook load etude.tzq grille.yaml",
        ),
    )
    s.add_argument("project", type=Path)
    s.add_argument("file", type=Path, metavar="FILE.yaml")
    s.set_defaults(handler=cmd_load)


def cmd_show(args: argparse.Namespace, console: Console, config: Config) -> int:
    codebook, content = codebooks.show(args.project, args.version)
    if args.yaml:
        console.data(content.rstrip("\n"))
    elif args.json:
        console.json_lines(_record(c) for c in codebook.codes)
    else:
        rows = [[c.id, c.parent or "", c.label, c.color, _short(c.definition)] for c in codebook.codes]
        console.data(table(rows, ["id", "parent", "libellé", "couleur", "définition"]))
    console.say(
        f"Codebook « {codebook.name} » v{codebook.version} : {len(codebook.codes)} codes "
        f"({len(codebook.top_level)} de premier niveau). Suite : tzcld-qual export {args.project} "
        "--format qdc -o codebook.qdc"
    )
    return 0


def cmd_validate(args: argparse.Namespace, console: Console, config: Config) -> int:
    codebook = codebooks.validate(args.file)
    pending = codebooks.to_complete(codebook)
    if args.json:
        console.json(
            {
                "file": str(args.file),
                "valid": True,
                "name": codebook.name,
                "codes": len(codebook.codes),
                "top_level": len(codebook.top_level),
                "to_complete": list(pending),
            }
        )
    _warn_pending(console, pending)
    console.say(
        f"{args.file} : codebook valide, {len(codebook.codes)} codes ({len(codebook.top_level)} de "
        f"premier niveau). Suite : tzcld-qual codebook load PROJET {args.file}"
    )
    return 0


def cmd_import(args: argparse.Namespace, console: Console, config: Config) -> int:
    result = codebooks.convert_qdc(args.file, args.output, overwrite=args.force)
    imported = result.imported
    if result.written is None:
        console.data(imported.yaml_text.rstrip("\n"))
    for warning in imported.warnings:
        console.say(f"attention : {warning}")
    _warn_pending(console, imported.to_complete)
    where = result.written or "la sortie standard"
    console.say(
        f"{len(imported.codebook.codes)} codes convertis vers {where}. "
        f"Suite : tzcld-qual codebook validate {result.written or 'codebook.yaml'}"
    )
    return 0


def _warn_outside(console: Console, counts: dict[str, int], what: str, then: str) -> None:
    """Rows a codebook version leaves without their code: how many, on which codes, what to do."""
    if counts:
        listed = ", ".join(f"{code} ({n})" for code, n in counts.items())
        console.say(f"attention : {sum(counts.values())} {what} portent sur des codes absents de cette version : "
                    f"{listed}. {then}")


def cmd_load(args: argparse.Namespace, console: Console, config: Config) -> int:
    version, new, codebook = codebooks.load(args.project, args.file)
    _warn_pending(console, codebooks.to_complete(codebook))
    _warn_outside(
        console,
        codebooks.decisions_outside(args.project, codebook),
        "décision(s) d'analystes",
        "Elles restent dans le projet, mais les modèles ne les apprennent plus et les exports les omettent : "
        "recodez ces segments, ou rechargez la version qui a ces codes.",
    )
    _warn_outside(
        console,
        codebooks.suggestions_outside(args.project, codebook),
        "suggestion(s) non revue(s) (du modèle ou de thèmes promus)",
        "Elles restent dans le projet sans code sous lequel les revoir : rechargez la version qui a ces codes, "
        f"ou relancez tzcld-qual code {args.project} pour des suggestions sur les codes de cette version.",
    )
    state = "enregistré comme version" if new else "identique à la version"
    console.say(
        f"Codebook « {codebook.name} » {state} {version} ({len(codebook.codes)} codes). "
        f"Suite : tzcld-qual code {args.project}"
    )
    return 0


def _warn_pending(console: Console, ids: tuple[str, ...]) -> None:
    if ids:
        console.say(f"attention : définition à compléter pour {len(ids)} codes : {', '.join(ids)}")


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _record(code: Code) -> dict[str, object]:
    return {
        "id": code.id,
        "parent": code.parent,
        "label": code.label,
        "color": code.color,
        "finding": code.finding,
        "definition": code.definition,
        "inclusion": list(code.inclusion),
        "exclusion": list(code.exclusion),
        "expressions": list(code.expressions),
        "examples": list(code.examples),
        "negatives": list(code.negatives),
    }
