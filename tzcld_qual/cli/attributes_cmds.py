"""``attributes``: list the documents with their attributes, correct or remove them."""

from __future__ import annotations

import argparse
from pathlib import Path

from tzcld_qual.cli.output import Console, table
from tzcld_qual.cli.parser import tr
from tzcld_qual.config import Config
from tzcld_qual.errors import Text, UsageError
from tzcld_qual.services import attributes, projects

_MAIN = attributes.LABELS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "attributes",
        help=tr(
            "liste les documents et leurs attributs (rôle, territoire, vague…), les corrige",
            "list the documents and their attributes (role, territory, round…), correct them",
        ),
        description=tr(
            "Sans --set ni --unset : liste les documents et leurs attributs. Avec : corrige ou retire des "
            "attributs des documents nommés par --document, tous ou aucun. Un import ne prend d'un en-tête ou "
            "d'un fichier d'attributs que ce qui y a changé depuis le dernier import, et dit ce qu'il change.",
            "Without --set or --unset: list the documents and their attributes. With them: correct or remove "
            "attributes of the documents named by --document, all or none. An import takes from a header or an "
            "attributes file only what changed there since the last import, and says what it changes.",
        ),
        epilog=tr(
            "exemple : tzcld-qual attributes etude.tzq --document demo-05 --set rôle=élu·e --unset date",
            "example: tzcld-qual attributes etude.tzq --document demo-05 --set rôle=élu·e --unset date",
        ),
    )
    p.add_argument("project", type=Path)
    p.add_argument(
        "--document",
        action="append",
        default=[],
        metavar="NAME",
        help=tr(
            "document (nom de fichier, avec ou sans extension ; répétable)",
            "document (file name or stem; repeatable)",
        ),
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NOM=VALEUR",
        help=tr("donne une valeur à un attribut (répétable)", "give an attribute a value (repeatable)"),
    )
    p.add_argument(
        "--unset",
        action="append",
        default=[],
        metavar="NOM",
        help=tr("retire un attribut (répétable)", "remove an attribute (repeatable)"),
    )
    p.add_argument(
        "--coder",
        help=tr(
            "qui corrige, pour le journal (par défaut : la configuration ou TZCLD_CODER)",
            "who corrects, for the log (default: config or TZCLD_CODER)",
        ),
    )
    p.add_argument("--json", action="store_true", help=tr("JSON Lines sur stdout", "JSON Lines on stdout"))
    p.set_defaults(handler=cmd_attributes)


def cmd_attributes(args: argparse.Namespace, console: Console, config: Config) -> int:
    if args.set or args.unset:
        return _edit(args, console, config)
    with projects.open_project(args.project) as store:
        docs = (
            [projects.find_document(store, name) for name in args.document] if args.document else store.documents.list()
        )
    if args.json:
        console.json_lines({"document": d.name, "attributes": dict(d.attributes)} for d in docs)
    elif args.document:
        for d in docs:
            console.data(d.name)
            for key, value in sorted(d.attributes.items(), key=lambda kv: attributes.order(kv[0])):
                console.data(f"  {_MAIN.get(key, key)} : {value}")
            if not d.attributes:
                console.data("  (aucun attribut)")
    else:
        rows = [
            [d.name, *(d.attributes.get(k, "") for k in _MAIN), str(len(set(d.attributes) - set(_MAIN)) or "")]
            for d in docs
        ]
        console.data(table(rows, ["document", *_MAIN.values(), "autres"]))
    console.say(
        f"{len(docs)} document(s). Tous les attributs d'un document : --document NOM ; les corriger : "
        "--document NOM --set NOM=VALEUR, --unset NOM"
    )
    return 0


def _edit(args: argparse.Namespace, console: Console, config: Config) -> int:
    if not args.document:
        raise UsageError(
            Text("nommez les documents à corriger.", "name the documents to correct."),
            Text(
                "Ajoutez --document NOM (répétable) ; la liste : tzcld-qual attributes {project}",
                "Add --document NAME (repeatable); the list: tzcld-qual attributes {project}",
            ),
            project=args.project,
        )
    assign = attributes.parse_assignments(args.set)
    remove = attributes.parse_removals(args.unset)
    coder = args.coder or config.coder or "analyste"
    with projects.open_project(args.project) as store:
        values = store.documents.attribute_values()
    known = set(values)
    new_keys = sorted(set(assign) - known)
    absent = sorted(set(remove) - known)
    changes = attributes.edit(args.project, args.document, assign, remove, coder)
    if args.json:
        console.json_lines(
            {"document": c.document, "before": dict(c.before), "after": dict(c.after), "changed": c.changed}
            for c in changes
        )
    else:
        for c in changes:
            console.data(f"{c.document} : {attributes.describe(c)}")
    if new_keys:
        console.say(
            f"attribut nouveau dans le projet : {', '.join(new_keys)} (attributs existants : "
            f"{', '.join(sorted(known)) or 'aucun'}) ; s'il s'agit d'une faute de frappe : --unset {new_keys[0]}"
        )
    for key, value in sorted(assign.items()):
        if key in values and value not in values[key] and len(values[key]) <= 12:
            console.say(
                f"valeur nouvelle pour {_MAIN.get(key, key)} : « {value} » (valeurs du projet : "
                f"{', '.join(values[key])})"
            )
    if absent:
        console.say(f"aucun document n'a l'attribut {', '.join(absent)} : rien à retirer.")
    changed = sum(c.changed for c in changes)
    console.say(f"{changed} document(s) modifié(s) sur {len(changes)}.")
    return 0
