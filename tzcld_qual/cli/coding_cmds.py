"""``code``, ``codings``, ``retrain`` and ``evaluate``: the auto-coding engine on the command line."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tzcld_qual.cli.output import Console, clip, table, terminal_width
from tzcld_qual.cli.parser import add_force, tr
from tzcld_qual.cli.progress import progress_bar, run_progress
from tzcld_qual.config import Config
from tzcld_qual.errors import NotFoundError, Text, UsageError
from tzcld_qual.model import Codebook, Status

EXPLANATION_WIDTH = 40  # the least an explanation is given in the codings table, however narrow the terminal

if TYPE_CHECKING:
    from tzcld_qual.services.calibration import Band, ReviewOutcome
    from tzcld_qual.services.coding import CodeReport, RetrainReport
    from tzcld_qual.store import ProjectStore


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "code",
        help=tr(
            "code automatiquement les segments que le modèle courant n'a pas encore notés",
            "auto-code the segments not yet scored by the current model",
        ),
        description=tr(
            "Code chaque segment de répondant qui n'a pas encore de suggestion du modèle courant. "
            "Les décisions humaines ne sont jamais modifiées. Interrompre est sans risque : "
            "la commande suivante reprend où celle-ci s'est arrêtée.",
            "Code every respondent segment that has no suggestion from the current model. "
            "Human decisions are never changed. Safe to interrupt: the next run resumes.",
        ),
        epilog=tr(
            'exemples : tzcld-qual code etude.tzq ; tzcld-qual code etude.tzq --round "vague 3" --json',
            'examples: tzcld-qual code etude.tzq ; tzcld-qual code etude.tzq --round "vague 3" --json',
        ),
    )
    p.add_argument("project", type=Path, help=tr("le projet (.tzq)", "the project (.tzq)"))
    scope = p.add_mutually_exclusive_group()
    scope.add_argument(
        "--round",
        dest="round_name",
        metavar="NAME",
        help=tr("seulement les documents de cette vague", "only documents of this round/wave"),
    )
    scope.add_argument(
        "--documents", nargs="+", metavar="NAME", help=tr("seulement ces documents", "only these documents")
    )
    p.add_argument("--json", action="store_true", help=tr("résumé JSON sur stdout", "JSON summary on stdout"))
    p.set_defaults(handler=cmd_code)

    p = sub.add_parser(
        "codings",
        help=tr("liste les codages", "list codings"),
        description=tr("Liste les codages (suggestions et décisions).", "List codings (suggestions and decisions)."),
        epilog=tr(
            "exemple : tzcld-qual codings etude.tzq --code F3 --status suggested --json",
            "example: tzcld-qual codings etude.tzq --code F3 --status suggested --json",
        ),
    )
    p.add_argument("project", type=Path, help=tr("le projet (.tzq)", "the project (.tzq)"))
    p.add_argument("--document", help=tr("nom de fichier ou nom sans extension", "file name or stem"))
    p.add_argument(
        "--code",
        help=tr(
            "identifiant de code (un code de premier niveau inclut ses sous-codes)",
            "code id (a top-level id includes its sub-codes)",
        ),
    )
    p.add_argument(
        "--status",
        choices=[s.value for s in Status],
        help=tr(
            "suggested (suggéré : toutes les suggestions, tranchées ou non), accepted (accepté), rejected "
            "(rejeté), manual (ajouté)",
            "suggested (every suggestion, decided or not), accepted, rejected or manual (added by an analyst)",
        ),
    )
    p.add_argument(
        "--open",
        action="store_true",
        help=tr(
            "seulement les suggestions qu'aucun·e analyste n'a encore tranchées sur leur code (ce qui reste à "
            "revoir ; une décision est un codage à part, la suggestion du modèle reste « suggéré »)",
            "only suggestions no analyst has decided on their code yet (what is left to review; a decision is "
            "a coding of its own, the model's suggestion stays « suggested »)",
        ),
    )
    p.add_argument("--origin", help=tr("un nom de codeur ou un identifiant de modèle", "a coder name or model id"))
    p.add_argument(
        "--current-model",
        action="store_true",
        help=tr(
            "sans les suggestions des modèles précédents (un réentraînement les garde pour comparaison) : "
            "celles du modèle courant et les décisions des analystes",
            "without the earlier models' suggestions (a retrain keeps them for comparison): the current "
            "model's and the analysts' decisions",
        ),
    )
    p.add_argument("--json", action="store_true", help=tr("JSON Lines sur stdout", "JSON Lines on stdout"))
    p.set_defaults(handler=cmd_codings)

    p = sub.add_parser(
        "retrain",
        help=tr(
            "réentraîne les modèles sur les décisions des analystes", "refit the models from the analysts' decisions"
        ),
        description=tr(
            "Réentraîne le codeur supervisé et l'ensemble sur toutes les décisions humaines, "
            "indique l'évolution sur la partie dev et recalcule les suggestions en attente.",
            "Refit the supervised coder and the ensemble from every human decision, "
            "report the change on the dev split, and re-score open suggestions.",
        ),
        epilog=tr("exemple : tzcld-qual retrain etude.tzq", "example: tzcld-qual retrain etude.tzq"),
    )
    p.add_argument("project", type=Path, help=tr("le projet (.tzq)", "the project (.tzq)"))
    p.add_argument("--json", action="store_true", help=tr("résumé JSON sur stdout", "JSON summary on stdout"))
    p.set_defaults(handler=cmd_retrain)

    p = sub.add_parser(
        "evaluate",
        help=tr(
            "évalue le moteur de codage sur un fichier de référence (gold)", "evaluate the coding engine on a gold file"
        ),
        description=tr(
            "Entraîne sur les exemples du codebook, la partie train fournie et les fichiers --train, "
            "puis mesure les résultats sur --gold (jamais utilisé pour l'entraînement).",
            "Train on the codebook examples, the bundled train split and --train files, "
            "then score --gold (never used for training).",
        ),
        epilog=tr(
            "exemple : tzcld-qual evaluate --gold corpora/gold/dev.jsonl --json",
            "example: tzcld-qual evaluate --gold corpora/gold/dev.jsonl --json",
        ),
    )
    p.add_argument(
        "--gold",
        type=Path,
        required=True,
        metavar="FILE.jsonl",
        help=tr("segments de référence au format gold, jamais appris", "gold-format reference segments, never learnt"),
    )
    p.add_argument(
        "--train",
        type=Path,
        nargs="+",
        action="extend",
        default=[],
        metavar="FILE.jsonl",
        help=tr(
            "segments au format gold déjà codés par des analystes, appris eux aussi (un ou plusieurs ; répétable)",
            "gold-format segments already coded by analysts, learnt from (one or more; repeatable)",
        ),
    )
    p.add_argument(
        "--codebook",
        type=Path,
        metavar="FILE.yaml",
        help=tr("codebook à utiliser (par défaut celui de TZCLD)", "codebook to use (the TZCLD one by default)"),
    )
    p.add_argument(
        "--predictions",
        type=Path,
        metavar="OUT.jsonl",
        help=tr(
            "écrit les codes et scores prédits, une ligne par segment de --gold",
            "write the predicted codes and scores, one line per --gold segment",
        ),
    )
    p.add_argument(
        "--json", action="store_true", help=tr("résultats en un objet JSON sur stdout", "results as one JSON object")
    )
    add_force(p)
    p.set_defaults(handler=cmd_evaluate)


def cmd_code(args: argparse.Namespace, console: Console, config: Config) -> int:
    from tzcld_qual.services.coding import code_project

    with run_progress(console, "codage") as bar:
        report = code_project(
            args.project,
            round_name=args.round_name,
            documents=args.documents,
            progress=bar.stage,
            on_batch=bar.advance,
            on_step=bar.step,
        )
    if args.json:
        console.json(
            {
                "model": report.model,
                "new_model": report.new_model,
                "previous": report.previous,
                "resumed": report.resumed,
                "why": list(report.why),
                "scored": report.scored,
                "suggestions": report.suggestions,
                "remaining": report.remaining,
                "per_code": report.per_code,
                "seconds": round(report.seconds, 2),
            }
        )
    elif report.scored:
        rows = [[code, str(n)] for code, n in report.per_code.items()]
        console.data(table(rows, ["code", "suggestions"]))
        shown: set[str] = set()
        for ex in report.examples:
            if ex["code"] in shown or len(shown) >= 4:
                continue
            shown.add(ex["code"])
            console.data(
                f"\n{ex['code']} ({ex['confidence']:.2f}) [{ex['document']} · segment {ex['segment_id']}]\n"
                f"  « {ex['text'][:220]}{'…' if len(ex['text']) > 220 else ''} »\n  {ex['explanation']}"
            )
    if report.scored == 0:
        console.say(f"Rien de nouveau à coder pour {report.model} ({report.seconds:.1f} s).")
    else:
        console.say(
            f"{report.scored} segments codés par {report.model}{new_model_note(report)}, "
            f"{report.suggestions} suggestions, {report.seconds:.0f} s. Suite : tzcld-qual review {args.project}"
        )
    if report.remaining and (args.round_name or args.documents):
        console.say(
            f"{report.remaining} autres segments du projet n'ont pas de suggestion de {report.model} "
            f"(la revue ne montre que les siennes) : tzcld-qual code {args.project} les code."
        )
    return 0


def new_model_note(report: CodeReport) -> str:
    """`` (nouveau modèle, remplace ensemble@1 … ; pourquoi : …)``: a model change is always said,
    and why, or an analyst who only changed the encoder sees new suggestions with no cause."""
    if not report.new_model:
        return ""
    note = " (nouveau modèle"
    if report.previous:
        note += f", remplace {report.previous}"
    if report.resumed:
        note += " ; entraîné par une exécution précédente qui ne l'avait pas terminée"
    return note + why_note(report.why) + ")"


def why_note(why: tuple[str, ...]) -> str:
    """`` ; pourquoi : l'encodeur a changé : a → b ; …``, last in a note, so the reasons run to its end."""
    return f" ; pourquoi : {' ; '.join(why)}" if why else ""


def cmd_codings(args: argparse.Namespace, console: Console, config: Config) -> int:
    from tzcld_qual.reports.report_blocks import plural
    from tzcld_qual.services.projects import find_document, open_project
    from tzcld_qual.services.reports import final_model
    from tzcld_qual.store import CodingFilter

    for option, value in (("--document", args.document), ("--code", args.code), ("--origin", args.origin)):
        if value is not None and not value.strip():  # « --document '' » listed every coding
            raise UsageError(
                Text("{option} est vide.", "{option} is empty."),
                Text("Donnez une valeur, ou omettez l'option.", "Give a value, or leave the option out."),
                option=option,
            )
    if args.open and args.status not in (None, Status.SUGGESTED.value):
        raise UsageError(
            Text(
                "--open liste des suggestions : --status {status} n'en garderait aucune.",
                "--open lists suggestions: --status {status} would keep none of them.",
            ),
            Text("Gardez l'une des deux options.", "Keep one of the two options."),
            status=args.status,
        )
    with open_project(args.project) as store:
        codebook = store.codebooks.get()
        _check_known(store, codebook, code=args.code, origin=args.origin)
        document = find_document(store, args.document).name if args.document else None
        sub_codes = tuple(c.id for c in codebook.children(args.code)) if codebook and args.code else ()
        models = store.codings.coders("model")
        current = final_model(store) if args.current_model else None
        codings = store.codings.list(
            CodingFilter(
                document=document,
                code=args.code,
                sub_codes=sub_codes,
                status=Status(args.status) if args.status else None,
                origin=args.origin,
                suggestions_of=current,
                undecided=args.open,
            )
        )
        segments = {s.id: s for s in store.documents.segments(ids=sorted({c.segment_id for c in codings}))}
    records: list[dict[str, Any]] = [
        {
            "segment_id": c.segment_id,
            "document": segments[c.segment_id].document if c.segment_id in segments else None,
            "code": c.code_id,
            "status": c.status.value,
            "origin": c.origin,
            "confidence": c.confidence,
            "explanation": c.explanation,
        }
        for c in codings
    ]
    cut = 0  # explanations the table does not show whole
    if args.json:
        console.json_lines(records)
    else:
        headers = ["segment", "document", "code", "statut", "origine", "conf.", "explication"]
        rows = [
            [
                str(r["segment_id"]),
                str(r["document"]),
                r["code"],
                Status(r["status"]).label,
                r["origin"],
                "" if r["confidence"] is None else f"{r['confidence']:.2f}",
            ]
            for r in records
        ]
        # The explanation takes the width the other columns leave (it was cut at 60 characters
        # without a mark, even at 250 columns): its first line, « … » where more is not shown.
        others = sum(max(len(x) for x in column) + 2 for column in zip(headers, *rows, strict=False))
        room = max(EXPLANATION_WIDTH, terminal_width() - others)
        for row, r in zip(rows, records, strict=True):
            lines = (r["explanation"] or "").strip().splitlines() or [""]
            row.append(clip(lines[0], room, more=len(lines) > 1))
            cut += row[-1] != lines[0]
        console.data(table(rows, headers))
    models_listed = sorted({r["origin"] for r in records if r["status"] == Status.SUGGESTED.value})
    note = ""
    if len(models_listed) > 1:
        note = (
            f" ; suggestions de {len(models_listed)} modèles ({', '.join(models_listed)}) : "
            "--current-model pour le modèle courant seul"
        )
    elif current:  # its help says so too: analysts' decisions are not another model's suggestions
        decisions = sum(r["status"] != Status.SUGGESTED.value for r in records)
        note = (
            f" ; suggestions du modèle courant ({current}){' seul' if len(models) > 1 else ''}"
            f" et {plural(decisions, 'décision')} d'analyste{'s' if decisions > 1 else ''}"
        )
    if cut:
        note += f" ; {plural(cut, 'explication')} coupée{'s' if cut > 1 else ''} (…) : le texte entier avec --json"
    console.say(f"{plural(len(records), 'codage')}{note}")
    return 0


def _check_known(store: ProjectStore, codebook: Codebook | None, *, code: str | None, origin: str | None) -> None:
    """A ``--code`` or ``--origin`` the project has never heard of is a typo, not "no codings"."""
    from tzcld_qual.store import CodingFilter

    in_codebook = codebook is not None and code in codebook
    known_code = bool(code) and (in_codebook or bool(store.codings.list(CodingFilter(code=code))))
    if code is not None and not known_code:
        raise NotFoundError(
            Text("code « {code} » inconnu.", "unknown code « {code} »."),
            Text(
                "Les codes du codebook : {codes}. Les identifiants respectent la casse.",
                "The codebook's codes: {codes}. Ids are case-sensitive.",
            ),
            code=code,
            codes=", ".join(c.id for c in codebook.codes) if codebook else "—",
        )
    coders = store.codings.coders()
    if origin is not None and origin not in coders:
        raise NotFoundError(
            Text("origine « {origin} » inconnue.", "unknown origin « {origin} »."),
            Text("Analystes et modèles du projet : {known}.", "The project's analysts and models: {known}."),
            origin=origin,
            known=", ".join(coders) or "—",
        )


def review_lines(review: ReviewOutcome) -> str:
    """How analysts judged a model's suggestions, overall and by confidence band."""
    if not review.reviewed:
        return "suggestions du modèle précédent jugées par les analystes : aucune pour l'instant"

    def share(part: Band | ReviewOutcome) -> str:
        return "—" if part.share is None else f"{100 * part.share:.0f} % de {part.reviewed}"

    def label(band: Band) -> str:
        if band.high >= 1.0:
            return f"≥ {band.low:.2f}"
        return f"< {band.high:.2f}" if band.low <= 0.0 else f"{band.low:.2f}–{band.high:.2f}"

    bands = " · ".join(f"{label(b)} : {share(b)}" for b in review.bands)
    overall = share(review)
    return (
        f"suggestions du modèle précédent jugées par les analystes : acceptées {overall}\n"
        f"  par confiance : {bands}"
    )


def cmd_retrain(args: argparse.Namespace, console: Console, config: Config) -> int:
    from tzcld_qual.services.coding import retrain

    with run_progress(console, "réentraînement") as bar:
        report = retrain(args.project, progress=bar.stage, on_step=bar.step, on_batch=bar.advance)
    if args.json:
        console.json(report)
    else:

        def fmt(x: float | None) -> str:
            return "n/a" if x is None else f"{x:.3f}"

        unchanged = not report.new_model and report.model == report.previous
        console.data(
            f"modèle : {report.model}"
            + (
                " (inchangé : aucune nouvelle décision depuis son entraînement)"
                if unchanged
                else f"{'' if report.new_model else ' (déjà entraîné sur ces décisions)'}"
                f" (précédent : {report.previous or '—'}{why_note(report.why)})"
            )
            + f"\ndécisions humaines lues : {report.decisions}\n"  # « apprises » while some are not (disagreements)
            + (
                f"macro-F1 sur dev : {fmt(report.dev_after)}{dev_basis(report)}"
                if unchanged
                else f"macro-F1 sur dev : {fmt(report.dev_before)} → {fmt(report.dev_after)}{dev_basis(report)}"
            )
            + f"\nsegments recodés : {report.rescored}"
        )
        if report.disagreements:
            console.data(
                f"désaccords entre analystes (un code appliqué par l'un, rejeté par l'autre) : "
                f"{report.disagreements}, non appris — voir tzcld-qual agreement {args.project} --coder NOM"
            )
        if report.previous_review is not None and not unchanged:
            console.data(review_lines(report.previous_review))
    if not report.new_model and report.model == report.previous:
        console.say(
            f"Rien de réentraîné : aucune décision nouvelle depuis {report.model}, qui reste le modèle courant. "
            f"Suite : tzcld-qual review {args.project}"
        )
    else:
        console.say(f"Réentraîné : {report.model}. Suite : tzcld-qual review {args.project}")
    return 0


def dev_basis(report: RetrainReport) -> str:
    """On which dev answers the figures are measured: the decided ones are learnt, so left out,
    and a figure from another run may have left out others."""
    from tzcld_qual.reports.report_blocks import plural

    notes = []
    if report.dev_size is not None:
        size = f"sur {plural(report.dev_size, 'segment')} de dev"
        if report.dev_left_out:
            size += (
                f", {report.dev_left_out} décidé{'s' if report.dev_left_out > 1 else ''} par les analystes "
                "laissé" + ("s" if report.dev_left_out > 1 else "") + " de côté"
            )
        notes.append(size)
    if report.dev_before_basis == "stored" and report.model != report.previous:
        notes.append("avant : score enregistré du modèle précédent, sur ses propres segments de dev")
    elif report.dev_before_basis == "no_encoder":
        notes.append("avant : non mesuré, les vecteurs de l'encodeur du modèle précédent ne sont plus disponibles")
    return f" ({' ; '.join(notes)})" if notes else ""


def cmd_evaluate(args: argparse.Namespace, console: Console, config: Config) -> int:
    from tzcld_qual.coders.ensemble import NAMES_FR
    from tzcld_qual.services.evaluation import BOOTSTRAP_ROUNDS, evaluate

    with progress_bar(console, "évaluation") as (_advance, stage):
        result = evaluate(
            args.gold,
            train=args.train,
            codebook_path=args.codebook,
            predictions=args.predictions,
            force=args.force,
            progress=stage,
        )
    if args.json:
        console.json(result.as_json())
    else:
        rows = [
            [
                code,
                f"{m['precision']:.2f}",
                f"{m['recall']:.2f}",
                f"{m['f1']:.2f}",
                "n/a" if m["kappa"] is None else f"{m['kappa']:.2f}",
                str(m["support"]),
                f"{result.thresholds[code]:.2f}",
            ]
            for code, m in result.per_code.items()
        ]
        console.data(table(rows, ["code", "précision", "rappel", "F1", "kappa", "support", "seuil"]))
        low, high = result.macro_f1_ci
        console.data(
            f"\nensemble : micro-F1 {result.micro_f1:.3f}, macro-F1 {result.macro_f1:.3f} "
            f"[IC 95 % {low:.2f}–{high:.2f}] (n = {result.n}, entraînement : {result.train_size} textes)"
        )
        for name, m in result.coders.items():
            console.data(
                f"{NAMES_FR.get(name, name):>11} : micro-F1 {m['micro_f1']:.3f}, macro-F1 {m['macro_f1']:.3f} "
                f"(l'ensemble fait mieux sur {_share_of_resamples(m['ensemble_better'])} des rééchantillonnages)"
            )
        console.data(f"IC et comparaisons : {BOOTSTRAP_ROUNDS} rééchantillonnages des segments (bootstrap).")
    from tzcld_qual.reports.report_blocks import plural

    if result.left_out:
        console.say(
            f"{plural(result.left_out, 'texte')} du matériel d'entraînement fourni aussi dans {args.gold} : "
            "retiré(s) de l'entraînement."
        )
    if result.duplicates:
        console.say(
            f"{plural(result.duplicates, 'texte')} de --train déjà dans le matériel d'entraînement avec les "
            "mêmes codes (partie train fournie ou autre fichier --train) : appris une seule fois."
        )
    if result.conflicts:
        n = len(result.conflicts)
        console.say(
            f"attention : {plural(n, 'texte')} de --train déjà dans le matériel d'entraînement avec d'autres "
            f"codes (premier : {result.conflicts[0]}) : les deux versions sont apprises. Corrigez celle qui est "
            "fausse, ou retirez-la de son fichier."
        )
    if args.predictions:
        console.say(f"Prédictions écrites : {args.predictions} (une ligne par segment de {args.gold}).")
    console.say(f"Évalué sur {result.n} segments de {args.gold}.")
    return 0


def _share_of_resamples(share: float) -> str:
    """« 99,7 % », not « 100 % », when some resamples went the other way."""
    rounded = f"{share * 100:.0f}"
    if rounded in ("0", "100") and 0 < share < 1:
        rounded = f"{share * 100:.1f}"
    return rounded.replace(".", ",") + " %"
