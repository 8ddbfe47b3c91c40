"""``report``: the analysis report as HTML (charts inline, opens offline), Markdown or DOCX."""

from __future__ import annotations

import argparse
from pathlib import Path

from tzcld_qual.cli.output import Console
from tzcld_qual.cli.parser import add_force, tr
from tzcld_qual.config import Config
from tzcld_qual.errors import Text, UsageError
from tzcld_qual.reports.report_blocks import plural
from tzcld_qual.services.reports import write_report


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help=tr("écrit le rapport d'analyse (.html, .md ou .docx)", "write the analysis report (.html, .md or .docx)"),
        description=tr(
            "Pour chaque enseignement : définition, prévalence par rôle, territoire et vague (tableaux ; "
            "graphiques dans le HTML), les citations les plus fortes avec leurs références, cooccurrences ; "
            "les thèmes émergents s'ils "
            "ont été calculés ; l'accord entre le modèle final et les analystes ; la méthode. Le format suit "
            "l'extension du fichier de sortie. Le fichier HTML est autonome et s'ouvre hors ligne.",
            "For each finding: definition, prevalence by role, territory and round "
            "(tables; charts in the HTML), the strongest quotes with citations, co-occurrences; emergent themes when "
            "computed; agreement between the final model and the analysts; methods. The format "
            "follows the output file's suffix. The HTML file is self-contained and opens offline.",
        ),
        epilog=tr(
            "exemples : tzcld-qual report etude.tzq -o rapport.html\n"
            "           tzcld-qual report etude.tzq -o rapport.docx --quotes 3\n"
            "           tzcld-qual report etude.tzq -o rapport.html --title 'Bilan 2026 — cohésion sociale'",
            "examples: tzcld-qual report etude.tzq -o rapport.html\n"
            "          tzcld-qual report etude.tzq -o rapport.docx --quotes 3\n"
            "          tzcld-qual report etude.tzq -o rapport.html --title 'Bilan 2026 — cohésion sociale'",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("project", type=Path)
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help=tr("rapport.html, rapport.md ou rapport.docx", "report.html, report.md or report.docx"),
    )
    p.add_argument(
        "--model",
        metavar="MODEL_ID",
        help=tr(
            "modèle dont les suggestions sont comptées et citées (par défaut : le modèle courant)",
            "model whose suggestions are counted and quoted (default: the current model)",
        ),
    )
    p.add_argument(
        "--quotes",
        type=int,
        default=5,
        metavar="N",
        help=tr("citations par enseignement (5 par défaut)", "quotes per finding (default 5)"),
    )
    p.add_argument(
        "--title",
        metavar="TITRE",
        help=tr(
            "titre du rapport (par défaut : « Rapport d'analyse qualitative — » et le nom du projet)",
            "report title (default: « Rapport d'analyse qualitative — » and the project's name)",
        ),
    )
    add_force(p)
    p.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace, console: Console, config: Config) -> int:
    if args.quotes < 0:
        raise UsageError(
            Text(
                "--quotes : un nombre de citations ne peut pas être négatif ({n}).",
                "--quotes: cannot be negative ({n}).",
            ),
            Text("0 pour aucune citation, 5 par défaut.", "0 for no quote, 5 by default."),
            n=args.quotes,
        )
    outcome = write_report(
        args.project,
        args.output,
        model=args.model,
        quotes=args.quotes,
        force=args.force,
        title=(args.title or "").strip() or None,
    )
    console.data(str(outcome.path))
    if outcome.outside:
        console.say(
            f"attention : {sum(n for _c, n in outcome.outside)} décision(s) d'analystes portent sur des codes absents "
            f"du codebook courant ({', '.join(c for c, _n in outcome.outside)}) : le rapport ne les compte pas et le "
            "dit dans sa section Méthodes. Rechargez la version qui a ces codes (tzcld-qual codebook load)."
        )
    extra = "" if outcome.themes else ", thèmes émergents non calculés"
    console.say(
        f"Rapport {outcome.format.upper()} écrit : {outcome.path} — {outcome.findings_said}, "
        f"{outcome.quotes} verbatims (dont {outcome.suggestion_quotes} suggestions non revues), "
        f"{plural(outcome.agreements, 'comparaison')} d'accord, modèle final "
        f"{outcome.model or 'aucun'}{extra}. "
        f"Suite : ouvrez-le, ou tzcld-qual agreement {args.project} --coder A --coder B"
    )
    return 0
