"""``remove`` and ``restore``: take a document out of a project, bring it back."""

from __future__ import annotations

import argparse
from pathlib import Path

from tzcld_qual.cli.output import Console
from tzcld_qual.cli.parser import tr
from tzcld_qual.config import Config
from tzcld_qual.services import removal


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "remove",
        help=tr(
            "retire des documents du projet (gardés : restore les fait revenir)",
            "take documents out of the project (kept: restore brings them back)",
        ),
        description=tr(
            "Retire des documents du projet : ils sortent des listes, comptes, rapports, exports et du codage. "
            "Rien n'est effacé : versions, segments, décisions et mémos restent enregistrés, et « restore » les "
            "fait revenir tels quels ; un nouvel import du fichier ne les fait pas revenir.",
            "Take documents out of the project: they leave lists, counts, reports, exports and coding. Nothing is "
            "deleted: versions, segments, decisions and memos stay stored, and « restore » brings them back as they "
            "were; importing the file again does not.",
        ),
        epilog=tr(
            "exemple : tzcld-qual remove etude.tzq demo-05",
            "example: tzcld-qual remove etude.tzq demo-05",
        ),
    )
    _arguments(p)
    p.set_defaults(handler=cmd_remove)
    p = sub.add_parser(
        "restore",
        help=tr("fait revenir des documents retirés", "bring removed documents back"),
        description=tr(
            "Fait revenir des documents retirés par « remove », avec leurs décisions et mémos. Sans nom : "
            "liste les documents retirés.",
            "Bring documents taken out by « remove » back, with their decisions and memos. Without a name: list "
            "the removed documents.",
        ),
        epilog=tr(
            "exemple : tzcld-qual restore etude.tzq demo-05",
            "example: tzcld-qual restore etude.tzq demo-05",
        ),
    )
    _arguments(p, required=False)
    p.set_defaults(handler=cmd_restore)


def _arguments(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    p.add_argument("project", type=Path)
    p.add_argument(
        "documents",
        nargs="+" if required else "*",
        metavar="DOCUMENT",
        help=tr("nom de fichier, avec ou sans extension, ou son début", "file name, stem or its beginning"),
    )
    p.add_argument(
        "--coder",
        help=tr(
            "qui le fait, pour le journal (par défaut : la configuration ou TZCLD_CODER)",
            "who does it, for the log (default: config or TZCLD_CODER)",
        ),
    )
    p.add_argument("--json", action="store_true", help=tr("JSON Lines sur stdout", "JSON Lines on stdout"))


def cmd_remove(args: argparse.Namespace, console: Console, config: Config) -> int:
    moved = removal.remove(args.project, args.documents, args.coder or config.coder or "analyste")
    _show(args, console, moved, "retiré")
    console.say(f"Pour les faire revenir : tzcld-qual restore {args.project} NOM")
    return 0


def cmd_restore(args: argparse.Namespace, console: Console, config: Config) -> int:
    if not args.documents:
        names = removal.retired_names(args.project)
        if args.json:
            console.json_lines({"document": n} for n in names)
        else:
            for name in names:
                console.data(name)
        console.say(f"{len(names)} document(s) retiré(s).")
        return 0
    moved = removal.restore(args.project, args.documents, args.coder or config.coder or "analyste")
    _show(args, console, moved, "rétabli")
    return 0


def _show(args: argparse.Namespace, console: Console, moved: list[removal.Moved], done: str) -> None:
    if args.json:
        console.json_lines(moved)
        return
    for m in moved:
        kept = f"{m.decisions} décision(s) humaine(s) et {m.memos} mémo(s)"
        said = f"gardés avec lui : {kept}" if done == "retiré" else f"avec {kept}"
        console.data(f"{m.document} (version {m.version}) {done} — {said}")
