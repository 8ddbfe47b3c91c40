"""``init``, ``import`` and ``segments``: creating a project and bringing transcripts in."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from tzcld_qual.cli.output import Console, table
from tzcld_qual.cli.parser import tr
from tzcld_qual.config import Config
from tzcld_qual.model import Role
from tzcld_qual.segment import Segmenter, SpacySentenceSplitter
from tzcld_qual.services import importing, projects


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help=tr("crée un fichier de projet", "create a project file"),
        description=tr("Crée un fichier de projet.", "Create a project file."),
        epilog=tr(
            "exemple : tzcld-qual init etude.tzq --codebook codebooks/tzcld.yaml",
            "example: tzcld-qual init etude.tzq --codebook codebooks/tzcld.yaml",
        ),
    )
    p.add_argument("project", type=Path)
    p.add_argument(
        "--codebook",
        type=Path,
        help=tr(
            "codebook YAML (par défaut : le codebook TZCLD fourni)",
            "YAML codebook (default: the bundled TZCLD codebook)",
        ),
    )
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser(
        "import",
        help=tr("importe et segmente des transcriptions", "import and segment transcripts"),
        description=tr(
            "Importe des transcriptions (.txt .md .docx .odt .vtt .srt, ou des dossiers qui en contiennent) ; "
            "le projet est créé avec le codebook par défaut s'il n'existe pas.",
            "Import transcripts (.txt .md .docx .odt .vtt .srt, or folders of them); the project is "
            "created with the default codebook when missing.",
        ),
        epilog=tr(
            "exemple : tzcld-qual import etude.tzq corpora/demo --attributes corpora/demo/attributes.csv",
            "example: tzcld-qual import etude.tzq corpora/demo --attributes corpora/demo/attributes.csv",
        ),
    )
    p.add_argument("project", type=Path)
    p.add_argument("files", type=Path, nargs="+")
    p.add_argument(
        "--attributes",
        type=Path,
        help=tr(
            "fichier CSV des attributs des documents, une ligne par nom de fichier",
            "sidecar CSV of document attributes keyed by file name",
        ),
    )
    p.add_argument(
        "--interviewer",
        action="append",
        default=[],
        metavar="LABEL",
        help=tr(
            "locuteur à traiter comme enquêteur (répétable ; prime sur la détection automatique)",
            "speaker label to treat as interviewer (repeatable; overrides inference)",
        ),
    )
    p.add_argument("--codebook", type=Path, help=tr("codebook d'un nouveau projet", "codebook for a new project"))
    p.add_argument(
        "--pseudonymize",
        action="store_true",
        help=tr(
            "remplace noms, lieux, organisations, téléphones, e-mails, adresses et dates de naissance par des "
            "marqueurs avant l'enregistrement ; la table va dans etude.pseudonymes.json pour etude.tzq (0600)",
            "replace names, places, organisations, phones, e-mails, addresses and dates of birth by "
            "placeholders before storing; the table goes to PROJECT.pseudonymes.json (0600)",
        ),
    )
    p.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="WORD",
        help=tr("avec --pseudonymize : garde ce nom", "with --pseudonymize: keep this name"),
    )
    p.add_argument(
        "--allow-file",
        type=Path,
        help=tr(
            "avec --pseudonymize : un fichier de noms à garder, un par ligne",
            "with --pseudonymize: a file of names to keep, one per line",
        ),
    )
    p.add_argument(
        "--mapping",
        type=Path,
        metavar="OUT.json",
        help=tr("avec --pseudonymize : où écrire la table", "with --pseudonymize: where the table goes"),
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help=tr(
            "fait d'un fichier venu d'ailleurs la nouvelle version du document de même nom, même s'il n'en garde "
            "presque rien (refusé sinon : c'est sans doute un autre entretien)",
            "make a file from elsewhere the new version of the document of the same name even if it keeps "
            "almost nothing of it (refused otherwise: most likely another interview)",
        ),
    )
    p.add_argument(
        "--json",
        action="store_true",
        help=tr("un objet JSON par document sur stdout", "one JSON object per document on stdout"),
    )
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser(
        "segments",
        help=tr("liste les segments", "list segments"),
        description=tr("Liste les segments d'un projet.", "List the segments of a project."),
        epilog=tr(
            "exemple : tzcld-qual segments etude.tzq --document demo-01 --json",
            "example: tzcld-qual segments etude.tzq --document demo-01 --json",
        ),
    )
    p.add_argument("project", type=Path)
    p.add_argument(
        "--document",
        help=tr("nom du document (nom de fichier, avec ou sans extension)", "document name (file name or stem)"),
    )
    p.add_argument("--role", choices=[r.value for r in Role])
    p.add_argument("--json", action="store_true", help=tr("JSON Lines sur stdout", "JSON Lines on stdout"))
    p.set_defaults(handler=cmd_segments)


def cmd_init(args: argparse.Namespace, console: Console, config: Config) -> int:
    store, version = projects.init_project(args.project, args.codebook)
    codebook = store.codebooks.get(version)
    store.close()
    assert codebook is not None
    console.say(
        f"Projet créé : {args.project} — codebook « {codebook.name} » v{version}, "
        f"{len(codebook.codes)} codes. Suite : tzcld-qual import {args.project} FICHIERS…"
    )
    return 0


STATUSES = {  # the table's words; --json keeps the statuses themselves
    "new": "nouveau",
    "new-version": "nouvelle version",
    "unchanged": "inchangé",
    "attributes-updated": "attributs mis à jour",
}


def cmd_import(args: argparse.Namespace, console: Console, config: Config) -> int:
    segmenter = Segmenter(SpacySentenceSplitter(config.spacy_model), config.segmentation)
    pseudonymize = (
        importing.Pseudonymization(frozenset(args.allow), args.allow_file, args.mapping) if args.pseudonymize else None
    )
    existed = args.project.exists()
    files, skipped = importing.transcript_files(args.files)  # folders read once: what is left out is said
    reports = importing.import_files(
        args.project,
        files,
        segmenter,
        attributes_csv=args.attributes,
        interviewers=args.interviewer,
        codebook_path=args.codebook,
        max_bytes=config.max_file_bytes,
        pseudonymize=pseudonymize,
        replace=args.replace,
    )
    if args.json:
        console.json_lines(reports)
    else:
        rows = []
        for r in reports:
            speakers = ", ".join(f"{k} ({'enq.' if v == 'interviewer' else 'rép.'})" for k, v in r.speakers.items())
            rows.append(
                [r.document, STATUSES.get(r.status, r.status), str(r.segments), str(r.respondent_segments), speakers]
            )
        console.data(table(rows, ["document", "statut", "segments", "à coder", "locuteurs"]))
    if skipped:
        names = [f"{p.name}/" if p.is_dir() else p.name for p in skipped]
        console.say(
            f"non importés (formats non lus, sous-dossiers) : {', '.join(names[:8])}{' …' if len(names) > 8 else ''}. "
            "Formats lus : .txt, .md, .docx, .odt, .vtt, .srt ; donnez un sous-dossier à part pour l'importer."
        )
    if pseudonymize is not None:
        from tzcld_qual.privacy.mapping import default_mapping_path
        from tzcld_qual.services.privacy import documents_named_after_people

        mapping_file = args.mapping or default_mapping_path(args.project)
        console.say(
            f"Pseudonymisé avant tout enregistrement ; table de correspondance : {mapping_file} (lisible par vous "
            "seul·e ; elle permet de ré-identifier les personnes : ne la partagez pas)."
        )
        for named in documents_named_after_people([r.document for r in reports], mapping_file):
            console.say(f"attention : {named.warning()}")
    if not existed:
        codebook = args.codebook or "TZCLD par défaut"
        console.say(f"Projet créé : {args.project} (il n'existait pas ; codebook : {codebook}).")
    from tzcld_qual.reports.report_blocks import plural

    for warning in importing.unmatched_interviewers(args.interviewer, reports):
        console.say(f"attention : {warning}")
    for sidecar in importing.unread_attribute_files(args.files, args.attributes):
        no_round = sum(not r.attributes.get("round") for r in reports)
        consequence = (
            f" : {no_round} document{'s' if no_round > 1 else ''} sur {len(reports)} "
            f"{'sont' if no_round > 1 else 'est'} sans vague (code --round {'les' if no_round > 1 else 'le'} "
            "laisserait de côté)"
            if no_round
            else ""
        )
        console.say(
            f"attention : {sidecar} n'est pas lu (les attributs ne sont lus que d'un fichier donné par "
            f"--attributes){consequence}. S'il donne les attributs des documents : {_with_attributes(args, sidecar)}"
        )
    for r in reports:
        for warning in r.warnings:
            console.say(f"attention : {r.document} : {warning}")
        if r.carried_over:
            reported = plural(r.carried_over, "décision humaine reportée", "décisions humaines reportées")
            console.say(f"{r.document} : {reported} sur la version {r.version}")
        one = r.left_behind == 1
        left = f"{plural(r.left_behind, 'décision ou mémo', 'décisions ou mémos')} {'porte' if one else 'portent'}"
        stays = "elle reste" if one else "elles restent"
        if r.left_behind and r.previous_speakers is not None:  # same text, other roles (--interviewer)
            before = ", ".join(k for k, v in r.previous_speakers.items() if v == "interviewer") or "personne"
            now = ", ".join(k for k, v in r.speakers.items() if v == "interviewer") or "personne"
            console.say(
                f"attention : {r.document} : le texte est le même mais les rôles ont changé (enquêteur·rice : "
                f"{before} → {now}) ; {left} sur des tours qui ont changé de rôle : {stays} avec la version "
                f"{r.version - 1} (réimporter avec les rôles d'avant {'la' if one else 'les'} fait revenir) :"
            )
        elif r.left_behind:
            console.say(
                f"attention : {r.document} : {left} sur des passages modifiés ; {stays} "
                f"{'enregistrée' if one else 'enregistrées'} avec la version {r.version - 1} (réimporter l'ancien "
                f"texte {'la' if one else 'les'} fait revenir) et {'est' if one else 'sont'} à refaire sur la "
                f"version {r.version} :"
            )
        if r.left_behind:
            for item in r.left_behind_items[:20]:
                console.say(f"  {item}")
            if len(r.left_behind_items) > 20:
                console.say(f"  … et {plural(len(r.left_behind_items) - 20, 'autre')} (--json les donne toutes)")
    new = sum(r.status in ("new", "new-version") for r in reports)
    total = sum(r.respondent_segments for r in reports if r.status in ("new", "new-version"))
    console.say(
        f"{plural(len(reports), 'document lu', 'documents lus')}, {plural(new, 'importé')} "
        f"({plural(total, 'segment')} à coder). "
        f"Suite : tzcld-qual code {args.project}"
    )
    return 0


def _with_attributes(args: argparse.Namespace, sidecar: Path) -> str:
    """The import just run, with ``--attributes sidecar``: its roles and pseudonymisation too, so
    that running it again changes nothing but the attributes."""
    words = ["tzcld-qual", "import", str(args.project), *map(str, args.files), "--attributes", str(sidecar)]
    for label in args.interviewer:
        words += ["--interviewer", label]
    if args.pseudonymize:
        words.append("--pseudonymize")
        for word in args.allow:
            words += ["--allow", word]
        for option, value in (("--allow-file", args.allow_file), ("--mapping", args.mapping)):
            if value is not None:
                words += [option, str(value)]
    return shlex.join(words)


def cmd_segments(args: argparse.Namespace, console: Console, config: Config) -> int:
    with projects.open_project(args.project) as store:
        document_id = None
        if args.document:
            document_id = projects.find_document(store, args.document).id
        segments = store.documents.segments(document_id=document_id, role=Role(args.role) if args.role else None)
    if args.json:
        console.json_lines(
            {
                "document": s.document,
                "segment_id": s.id,
                "speaker": s.speaker,
                "role": s.role.value,
                "start": s.start,
                "end": s.end,
                "text": s.text,
            }
            for s in segments
        )
    else:
        for s in segments:
            mark = "?" if s.role is Role.INTERVIEWER else "›"
            console.data(f"{s.id:>6} {s.document} [{s.start}:{s.end}] {mark} {s.speaker} : {s.text}")
    from tzcld_qual.reports.report_blocks import plural

    console.say(plural(len(segments), "segment"))
    return 0
