"""Entry point of ``tzcld-qual``: parse, dispatch, and turn user errors into clean exits.

Exit codes: 0 success, 1 a user error (message on stderr, no traceback), 2 usage, 130 Ctrl-C.
A system error on a path the user chose (a folder they cannot write to, a full disk) is a user
error too. Unexpected errors keep their traceback, which is also written to the log file.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sqlite3
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from tzcld_qual.cli.output import Console
from tzcld_qual.cli.parser import Parser, tr
from tzcld_qual.config import load_config
from tzcld_qual.crashlog import log_current_exception
from tzcld_qual.errors import TzcldError, from_os_error
from tzcld_qual.outputs import noting_unrecorded


def command_modules() -> list[str]:
    """Every ``cli/*_cmds.py`` module registers its own sub-commands."""
    import tzcld_qual.cli as package

    return sorted(m.name for m in pkgutil.iter_modules(package.__path__) if m.name.endswith("_cmds"))


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="tzcld-qual",
        description=tr(
            "Analyse qualitative hors ligne d'entretiens TZCLD : import, codage assisté, revue, "
            "questions au corpus, thèmes émergents, exports.",
            "Offline qualitative analysis of TZCLD interviews: import, assisted coding, review, "
            "questions to the corpus, emergent themes, exports.",
        ),
        epilog=tr(
            "exemple : tzcld-qual import etude.tzq corpora/demo && tzcld-qual code etude.tzq",
            "example: tzcld-qual import etude.tzq corpora/demo && tzcld-qual code etude.tzq",
        ),
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help=tr("seulement les données et les erreurs", "only data and errors")
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help=tr("plus de détails sur stderr (-vv : encore plus)", "more detail on stderr (-vv: more still)"),
    )
    sub = parser.add_subparsers(dest="command", metavar=tr("COMMANDE", "COMMAND"), required=True)
    for name in command_modules():
        importlib.import_module(f"tzcld_qual.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    console = Console(quiet=args.quiet, verbose=args.verbose)
    with noting_unrecorded() as unrecorded:  # outputs written that the cache folder would not record
        try:
            return _run(args, console)
        finally:
            if said := unrecorded.warning():
                console.say(f"attention : {said}")


def _run(args: argparse.Namespace, console: Console) -> int:
    """The command, its errors said as the user's or as a bug."""
    try:
        config = load_config()
        return int(args.handler(args, console, config) or 0)
    except TzcldError as error:
        print(f"tzcld-qual: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("tzcld-qual: interrompu (Ctrl-C) ; le travail déjà enregistré est conservé.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:
        log = log_current_exception()  # kept even when it turns out to be the user's situation
        known = _user_error(error, args)
        if known is not None:  # a path the user chose (read-only folder, full disk…): no traceback
            print(f"tzcld-qual: {known.message}", file=sys.stderr)
            return known.exit_code
        traceback.print_exc()
        print(f"tzcld-qual: erreur inattendue (bogue) ; détails dans {log}", file=sys.stderr)
        return 70


def _user_error(error: Exception, args: argparse.Namespace) -> TzcldError | None:
    """A system or SQLite refusal that is the user's situation, not a bug: a path they chose
    that cannot be written, a read-only, busy or damaged project."""
    if isinstance(error, OSError):
        name = error.filename
        chosen = isinstance(name, str | bytes) and _chosen(os.fsdecode(name), args)
        return from_os_error(error) if chosen else None
    if isinstance(error, sqlite3.DatabaseError):
        from tzcld_qual.store.connection import database_error

        project = getattr(args, "project", None) or next((p for p in _given_paths(args) if p.endswith(".tzq")), None)
        return database_error(error, Path(project) if project else None)
    return None


def _chosen(filename: str, args: argparse.Namespace) -> bool:
    """Whether ``filename`` is a path given on the command line, inside one (a folder to import
    or to write tables in), one of its parents (a folder to create), or a file the tool keeps
    beside it: an output's temporary file (``.rapport.html.x1y2.tmp``), a project's ``-wal`` or
    lock, its pseudonym table. An error anywhere else (the cache, the bundled models) is a bug
    and keeps its traceback."""
    name = os.path.abspath(filename)
    folder, base = os.path.split(name)
    for given in _given_paths(args):
        path = os.path.abspath(given)
        if name == path or name.startswith((path + os.sep, path + "-")) or path.startswith(name + os.sep):
            return True
        parent, own = os.path.split(path)
        stem = os.path.splitext(own)[0]
        if folder == parent and (base.startswith(f".{own}.") or base == f"{stem}.pseudonymes.json"):
            return True
    return False


def _given_paths(args: argparse.Namespace) -> list[str]:
    """Every path-like value of the command line (``topics`` takes its project among words)."""
    out: list[str] = []
    for value in vars(args).values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Path):
                out.append(str(item))
            elif isinstance(item, str) and (os.sep in item or item.endswith(".tzq")):
                out.append(item)
    return out


def run() -> None:
    sys.exit(main())
