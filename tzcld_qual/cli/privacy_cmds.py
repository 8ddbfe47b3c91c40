"""``pseudonymize``: replace names, places, organisations and contact details in a project."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

from tzcld_qual.cli.output import Console, table
from tzcld_qual.cli.parser import tr
from tzcld_qual.config import Config


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser(
        "pseudonymize",
        help=tr(
            "remplace noms de personnes, lieux, organisations et coordonnées par des marqueurs",
            "replace people's names, places, organisations and contact details with placeholders",
        ),
        description=tr(
            "Pseudonymise sur place chaque document d'un projet existant : noms, lieux plus précis que le "
            "territoire, organisations, numéros de téléphone et de sécurité sociale, adresses e-mail et postales, "
            "dates de naissance, pseudos (@…) et pages de réseaux sociaux deviennent [PERSONNE_1], [LIEU_2]… "
            "(une même entité garde son marqueur dans tout le projet). Les attributs qui identifient la "
            "personne (nom, téléphone…) sont retirés ; les autres, sauf rôle, vague, territoire et date, sont "
            "pseudonymisés comme le texte (ebe, structure, mandat…). Codages et décisions restent attachés. "
            "La table de correspondance est écrite dans un fichier à part (0600), par défaut à côté du projet "
            "(etude.pseudonymes.json pour etude.tzq) ; gardez-la en lieu sûr, ne la partagez jamais.",
            "Pseudonymise every document of an existing project in place: names, places below the "
            "territory, organisations, phone and social-security numbers, e-mail and postal addresses, dates of "
            "birth, handles (@…) and social-network pages become [PERSONNE_1], [LIEU_2]… (the same entity "
            "keeps its placeholder across the project). Attributes that identify the person (name, phone…) "
            "are removed; the others, except role, round, territory and date, are pseudonymised like the text "
            "(ebe, structure, mandate…). Codings and decisions stay attached. The table of correspondence is "
            "written to its own file (0600), "
            "by default PROJECT-STEM.pseudonymes.json beside the project; keep it safe, never share it.",
        ),
        epilog=tr(
            "exemples : tzcld-qual pseudonymize etude.tzq ; "
            'tzcld-qual pseudonymize etude.tzq --allow "La Fabrique" --allow-file garder.txt '
            "--mapping ~/secret/etude.json",
            "examples: tzcld-qual pseudonymize etude.tzq ; "
            'tzcld-qual pseudonymize etude.tzq --allow "La Fabrique" --allow-file garder.txt '
            "--mapping ~/secret/etude.json",
        ),
    )
    p.add_argument("project", type=Path)
    p.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="WORD",
        help=tr(
            "un nom à garder tel quel (répétable) ; territoires, Pôle emploi, France Travail, TZCLD, EBE… sont gardés",
            "a name to keep as it is (repeatable); territories, Pôle emploi, France Travail, TZCLD, EBE… are kept",
        ),
    )
    p.add_argument(
        "--allow-file",
        type=Path,
        metavar="FILE",
        help=tr("noms à garder, un par ligne (# pour les commentaires)", "names to keep, one per line (# comments)"),
    )
    p.add_argument(
        "--mapping",
        type=Path,
        metavar="OUT.json",
        help=tr(
            "table de correspondance (par défaut : à côté du projet)",
            "table of correspondence (default: beside the project)",
        ),
    )
    p.add_argument("--json", action="store_true", help=tr("un objet JSON sur stdout", "one JSON object on stdout"))
    p.set_defaults(handler=cmd_pseudonymize)


def cmd_pseudonymize(args: argparse.Namespace, console: Console, config: Config) -> int:
    from tzcld_qual.privacy.ner import SpacyRecognizer
    from tzcld_qual.services.privacy import allowed_names, pseudonymize_project

    report = pseudonymize_project(
        args.project,
        allow=allowed_names(args.allow, args.allow_file),
        mapping_path=args.mapping,
        recognizer=SpacyRecognizer(config.spacy_model),
    )
    if args.json:
        console.json({**asdict(report), "mapping": str(report.mapping)})
    else:
        rows = [[kind, str(n)] for kind, n in report.replacements.items()]
        if rows:
            console.data(table(rows, ["type", "remplacements"]))
    for named in report.named_documents:
        console.say(f"attention : {named.warning()}")
    console.say(
        f"{report.documents} documents pseudonymisés ({report.segments} segments modifiés, "
        f"{report.derived} textes dérivés, attributs de {report.attributes} documents), "
        f"{report.entities} entités dans la table "
        f"{report.mapping} (0600 : ne la partagez pas). Suite : tzcld-qual segments {args.project}"
    )
    return 0
