"""``agreement``: inter-coder reliability between two analysts, two models, or one of each."""

from __future__ import annotations

import argparse
from pathlib import Path

from tzcld_qual.cli.output import Console, table
from tzcld_qual.cli.parser import tr
from tzcld_qual.config import Config
from tzcld_qual.errors import Text, UsageError
from tzcld_qual.reports.report_blocks import num, pct, plural
from tzcld_qual.services.agreement import FEW_POSITIVES_NOTE, RULE, AgreementReport, agreement

KINDS = {"human": "analyste", "model": "modèle"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "agreement",
        help=tr(
            "accord inter-codeurs (kappa, alpha) entre deux codeurs",
            "inter-coder agreement (kappa, alpha) between two coders",
        ),
        description=tr(
            "Kappa de Cohen, alpha de Krippendorff et pourcentage d'accord, code par code, entre "
            "deux codeurs (noms d'analystes ou identifiants de modèle comme ensemble@2) sur les segments "
            "codés par les deux, les codes étant ramenés à leur enseignement ; chiffres globaux et liste "
            "des désaccords.",
            "Per-code Cohen's kappa, Krippendorff's alpha and percent agreement between "
            "two coders (analyst names or model ids such as ensemble@2) on the segments both coded, "
            "codes rolled up to their finding; overall figures and the list of disagreements.",
        ),
        epilog=tr(
            "exemples : tzcld-qual agreement etude.tzq --coder alice --coder bruno\n"
            "           tzcld-qual agreement etude.tzq --coder alice --coder ensemble@2 --json\n"
            "           tzcld-qual agreement a.tzq --coder alice --coder bruno --project-b b.tzq",
            "examples: tzcld-qual agreement etude.tzq --coder alice --coder bruno\n"
            "          tzcld-qual agreement etude.tzq --coder alice --coder ensemble@2 --json\n"
            "          tzcld-qual agreement a.tzq --coder alice --coder bruno --project-b b.tzq",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("project", type=Path)
    p.add_argument(
        "--coder",
        action="append",
        default=[],
        metavar="NAME",
        required=True,
        help=tr(
            "un codeur (à donner deux fois) : nom d'analyste ou identifiant de modèle",
            "a coder (give it twice): analyst name or model id",
        ),
    )
    p.add_argument(
        "--project-b",
        type=Path,
        metavar="OTHER.tzq",
        help=tr(
            "lit le second codeur dans ce fichier de projet (segments appariés par document et positions)",
            "read the second coder from this project file (segments matched by document and offsets)",
        ),
    )
    p.add_argument(
        "--blind",
        action="store_true",
        help=tr(
            "les analystes ont codé en aveugle (review --blind) : aucune suggestion ne leur était "
            "montrée, ne pas appliquer un code suggéré est leur « non »",
            "the analysts coded blind (review --blind): no suggestion was shown to them, not applying "
            "a suggested code is their « no »",
        ),
    )
    p.add_argument(
        "--limit",
        type=int,
        default=20,
        metavar="N",
        help=tr(
            "désaccords listés en mode texte (20 par défaut ; --json les liste tous)",
            "disagreements listed in text mode (default 20; --json lists all)",
        ),
    )
    p.add_argument("--json", action="store_true", help=tr("un objet JSON sur stdout", "one JSON object on stdout"))
    p.set_defaults(handler=cmd_agreement)


def cmd_agreement(args: argparse.Namespace, console: Console, config: Config) -> int:
    if len(args.coder) != 2:
        raise UsageError(
            Text(
                "donnez exactement deux codeurs ({n} donnés).",
                "give exactly two coders ({n} given).",
            ),
            Text(
                "Exemple : --coder alice --coder ensemble@2.",
                "Example: --coder alice --coder ensemble@2.",
            ),
            n=len(args.coder),
        )
    report = agreement(args.project, args.coder[0], args.coder[1], project_b=args.project_b, blind=args.blind)
    if args.json:
        console.json(as_record(report))
    else:
        _print_text(report, console, args.limit)
    r = report.result
    console.say(
        f"{plural(r.units, 'segment comparé', 'segments comparés')}, {plural(len(r.disagreements), 'désaccord')} ; "
        f"kappa moyen par code {fmt(r.mean_kappa)} ({plural(r.defined_kappas, 'code')}{_thin(report)}), "
        f"sur toutes les paires segment × code {fmt(r.kappa)} (alpha {fmt(r.alpha)}). "
        f"Suite : tzcld-qual report {args.project} -o rapport.html"
    )
    return 0


def fmt(value: float | None) -> str:
    """A kappa or an alpha as the report writes it, to three places here (« 0,865 »)."""
    return num(value, 3)


def _thin(report: AgreementReport) -> str:
    """« , dont 6 sur peu de cas positifs » after a count of kappas, when some rest on few cases."""
    few = len(report.few_positives)
    return f", dont {few} sur peu de cas positifs" if few else ""


def as_record(report: AgreementReport) -> dict[str, object]:
    r = report.result
    return {
        "coder_a": report.coder_a,
        "coder_b": report.coder_b,
        "rule": RULE.render(),
        "segments": r.units,
        "unmatched_segments": report.unmatched,
        "learnt_left_out": report.learnt_left_out,  # both coded, but the model of the pair learnt them
        "left_open_pairs": r.left_open,
        "few_positives": list(report.few_positives),  # codes whose kappa rests on few positive cases
        "overall": {
            "percent": r.percent,
            "kappa": r.kappa,
            "alpha": r.alpha,
            "mean_kappa": r.mean_kappa,
            "defined_kappas": r.defined_kappas,
            "exact_match": r.exact_match,
        },
        "codes": [
            {
                "code": c.code,
                "label": report.labels.get(c.code, c.code),
                "both": c.table.both,
                "only_a": c.table.only_a,
                "only_b": c.table.only_b,
                "neither": c.table.neither,
                "positives": c.table.positives,
                "percent": c.percent,
                "kappa": c.kappa,
                "alpha": c.alpha,
            }
            for c in r.codes
        ],
        "disagreements": report.disagreements,
    }


def _print_text(report: AgreementReport, console: Console, limit: int) -> None:
    r, a, b = report.result, report.coder_a, report.coder_b
    console.data(
        f"{a.name} ({KINDS[a.kind]}, {plural(a.coded, 'segment codé', 'segments codés')}) × "
        f"{b.name} ({KINDS[b.kind]}, {plural(b.coded, 'segment codé', 'segments codés')})"
    )
    console.data(f"{plural(r.units, 'segment comparé', 'segments comparés')}. {RULE.render()}")
    if report.unmatched:
        console.data(f"{report.unmatched} segments du second projet sans équivalent dans le premier (ignorés).")
    if report.learnt_left_out:
        n = report.learnt_left_out
        console.data(
            f"{plural(n, 'segment codé', 'segments codés')} par les deux laissé{'s' if n > 1 else ''} de côté : "
            f"{report.learnt_by} en a appris le texte ou les décisions, il y répète ce qu'on lui a appris."
        )
    if r.left_open:
        pairs = "paire segment × code laissée" if r.left_open == 1 else "paires segment × code laissées"
        console.data(
            f"{r.left_open} {pairs} de côté : une suggestion que l'un·e des analystes n'a ni acceptée ni "
            "rejetée n'est pas un « non »."
        )
    console.data("")
    rows = [
        [
            c.code,
            str(c.table.both),
            str(c.table.only_a),
            str(c.table.only_b),
            str(c.table.neither),
            pct(c.percent),
            fmt(c.kappa) + ("*" if c.few_positives else ""),
            fmt(c.alpha),
        ]
        for c in r.codes
    ]
    rows.append(
        [
            "global",
            str(r.pooled.both),
            str(r.pooled.only_a),
            str(r.pooled.only_b),
            str(r.pooled.neither),
            pct(r.percent),
            fmt(r.kappa),
            fmt(r.alpha),
        ]
    )
    console.data(
        table(
            rows,
            [
                "code",
                "les deux",
                f"{a.name} seul",
                f"{b.name} seul",
                "aucun",
                "accord",
                "kappa",
                "alpha",
            ],
        )
    )
    few = report.few_positives
    if few:
        console.data(f"* {FEW_POSITIVES_NOTE.render()} ({', '.join(few)}).")
    console.data(
        f"kappa moyen ({plural(r.defined_kappas, 'code défini', 'codes définis')}{_thin(report)}) : "
        f"{fmt(r.mean_kappa)} ; "
        f"segments aux codes identiques : {pct(r.exact_match)}. "
        "n/a : indéfini (code utilisé par aucun codeur, ou partout par les deux)."
    )
    if not report.disagreements:
        return
    console.data("")
    console.data(f"Désaccords ({len(report.disagreements)}) :")
    for d in report.disagreements[:limit] if limit >= 0 else report.disagreements:
        who = a.name if d.coder_a else b.name
        text = d.text if len(d.text) <= 90 else d.text[:89] + "…"
        console.data(f"  seg. {d.segment_id} · {d.document} · {d.speaker} · {d.code} seulement par {who} : {text}")
    if 0 <= limit < len(report.disagreements):
        console.data(f"  … {len(report.disagreements) - limit} autres (--limit -1 ou --json pour tout voir)")
