"""``undo`` and ``redo``: revert or restore a coder's last decision (or batch), even after a restart."""

from __future__ import annotations

import argparse
from pathlib import Path

from tzcld_qual.cli.output import Console
from tzcld_qual.cli.parser import tr
from tzcld_qual.config import Config
from tzcld_qual.errors import Text, UsageError
from tzcld_qual.services.review import ReviewSession, validate_coder


def register(sub: argparse._SubParsersAction) -> None:
    for name, verb_fr, verb in (("undo", "annule", "revert"), ("redo", "rétablit", "restore")):
        p = sub.add_parser(
            name,
            help=tr(
                f"{verb_fr} la dernière décision d'un codeur (un lot compte pour une)",
                f"{verb} a coder's last decision (a batch counts as one)",
            ),
            description=tr(
                f"{verb_fr.capitalize()} la dernière décision d'un codeur, ou le dernier lot de décisions "
                "prises ensemble (par exemple des suggestions acceptées depuis le chat), ou le thème dont il a "
                "fait un code (topics promote, le chat) tant que personne n'a codé avec ni changé le codebook "
                "depuis. Fonctionne même après un redémarrage.",
                f"{verb.capitalize()} the last decision of a coder, or the last batch of decisions "
                "taken together (e.g. suggestions accepted from the chat), or the theme they made a code "
                "(topics promote, the chat) while nobody has coded with it or changed the codebook since. "
                "Works across restarts.",
            ),
            epilog=tr(
                f"exemple : tzcld-qual {name} etude.tzq --coder marie",
                f"example: tzcld-qual {name} etude.tzq --coder marie",
            ),
        )
        p.add_argument("project", type=Path)
        p.add_argument(
            "--coder",
            help=tr(
                "le codeur dont c'est la décision (par défaut : la configuration ou TZCLD_CODER)",
                "whose decision (default: config or TZCLD_CODER)",
            ),
        )
        p.set_defaults(handler=cmd_undo if name == "undo" else cmd_redo)


def cmd_undo(args: argparse.Namespace, console: Console, config: Config) -> int:
    return _replay(args, console, config, redo=False)


def cmd_redo(args: argparse.Namespace, console: Console, config: Config) -> int:
    return _replay(args, console, config, redo=True)


def _replay(args: argparse.Namespace, console: Console, config: Config, *, redo: bool) -> int:
    coder = args.coder or config.coder
    if not coder:
        raise UsageError(
            Text("nommez le codeur dont il faut annuler la décision.", "name the coder whose decision to revert."),
            Text("Ajoutez --coder NOM (ou définissez TZCLD_CODER).", "Add --coder NAME (or set TZCLD_CODER)."),
        )
    coder = validate_coder(coder, Path(args.project))
    with ReviewSession(args.project, coder) as session:
        change = session.redo() if redo else session.undo()
    console.data(change.message)
    if change.done:  # a refusal says what to do instead
        other = "undo" if redo else "redo"
        console.say(f"Suite : tzcld-qual {other} {args.project} --coder {coder}")
    return 0 if change.done else 1
