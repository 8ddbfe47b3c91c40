"""``review``: open the review workspace (the terminal UI) on a project."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tzcld_qual.cli.output import Console
from tzcld_qual.cli.parser import tr
from tzcld_qual.config import Config
from tzcld_qual.errors import Text, UsageError
from tzcld_qual.services import projects, review


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review",
        help=tr("relit et corrige le codage (interface en terminal)", "review and correct the coding (terminal UI)"),
        description=tr(
            "Ouvre l'espace de revue : les transcriptions avec les suggestions du modèle, des décisions au "
            "clavier (a accepter, x rejeter, 1-8 poser ou retirer F1-F8, u annuler, ? aide). Chaque décision "
            "est enregistrée aussitôt. Un projet qui n'existe pas encore est proposé à la création.",
            "Open the review workspace: transcripts with the model's suggestions, keyboard-first "
            "decisions (a accept, x reject, 1-8 toggle F1-F8, u undo, ? help). Every decision is "
            "saved at once. A project that does not exist yet is offered for creation.",
        ),
        epilog=tr(
            "exemple : tzcld-qual review etude.tzq --coder alice", "example: tzcld-qual review etude.tzq --coder alice"
        ),
    )
    p.add_argument("project", type=Path)
    p.add_argument(
        "--coder",
        help=tr(
            "votre nom de codeur (par défaut : « coder » de la configuration, puis $TZCLD_CODER ; sinon "
            "demandé une fois et enregistré)",
            "your name as a coder (default: config 'coder', then $TZCLD_CODER; asked once and saved otherwise)",
        ),
    )
    p.add_argument(
        "--blind",
        action="store_true",
        help=tr(
            "double codage en aveugle : masque les décisions des autres codeurs et les suggestions du modèle "
            "(comparez ensuite avec « tzcld-qual agreement »)",
            "blind double-coding: hide other coders' decisions and the model's suggestions "
            "(then compare with « tzcld-qual agreement »)",
        ),
    )
    p.set_defaults(handler=cmd_review)


def cmd_review(args: argparse.Namespace, console: Console, config: Config) -> int:
    create = projects.not_created(args.project)
    if not create:
        review.check_project(args.project)
    coder = args.coder or config.coder
    if coder:
        coder = review.validate_coder(coder, None if create else args.project)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            Text(
                "« review » est une interface plein écran : lancez-la dans un terminal.",
                "« review » is a full-screen interface: run it in a terminal.",
            ),
            Text(
                "Pour les scripts, utilisez « tzcld-qual segments » ou les exports.",
                "For scripts, use « tzcld-qual segments » or the exports.",
            ),
        )
    from tzcld_qual.tui.app import ReviewApp

    app = ReviewApp(args.project, coder, keys=config.keys, create=create, blind=args.blind)
    app.run()
    return int(app.return_code or 0)
