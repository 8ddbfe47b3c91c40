"""Bringing another tool's work in: a REFI-QDA project (``.qdpx``) becomes a new project.

Importing never merges into an existing project: the target must not exist, and a failure
leaves nothing behind.
"""

from __future__ import annotations

import shlex
from dataclasses import replace
from pathlib import Path

from tzcld_qual import paths
from tzcld_qual.codebook import load_codebook
from tzcld_qual.errors import ProjectError, Text
from tzcld_qual.reports.refi import (
    ImportedCodebook,
    QdpxImportSummary,
    plan_import,
    read_qdpx,
    write_plan,
)
from tzcld_qual.services.projects import (
    not_created,
    refuse_missing_folder,
    refuse_not_project,
    remove_project_files,
)
from tzcld_qual.store import ProjectStore

NO_CODES = Text(
    "le projet REFI-QDA n'a pas de codes : codebook par défaut utilisé ({path})",
    "the REFI-QDA project has no codes: default codebook used ({path})",
)

# a warning, not a refusal: ``init`` and ``import`` take any name too; but ``etude.txt`` reads as
# a text file, and the project is then easy to take for one (or to open with an editor)
NOT_TZQ = Text(
    "le projet n'a pas l'extension .tzq des projets tzcld-qual : il est créé quand même, renommez-le "
    "({path}) pour le reconnaître",
    "the project does not have the .tzq extension of tzcld-qual projects: it is created anyway, rename it "
    "({path}) to recognise it",
)


def default_project_path(qdpx: Path) -> Path:
    return Path(qdpx).with_suffix(".tzq")


def import_qdpx(qdpx: Path, project: Path | None = None) -> tuple[Path, QdpxImportSummary]:
    """Create ``project`` (default: the archive's name with ``.tzq``) from a REFI-QDA archive."""
    target = Path(project) if project else default_project_path(qdpx)
    refuse_not_project(target, shlex.quote(str(target / default_project_path(Path(qdpx)).name)))
    if not not_created(target):
        raise ProjectError(
            Text("le projet existe déjà.", "the project already exists."),
            Text(
                "Donnez un autre chemin : l'import REFI-QDA crée toujours un nouveau projet.",
                "Give another path: a REFI-QDA import always creates a new project.",
            ),
            path=target,
        )
    refuse_missing_folder(target)
    plan = plan_import(read_qdpx(qdpx), name=Path(qdpx).stem)
    codebook = plan.codebook or _default_codebook()
    if plan.codebook is None:
        plan = replace(plan, warnings=(*plan.warnings, NO_CODES.render(path=paths.default_codebook())))
    if target.suffix.lower() != ".tzq":
        plan = replace(plan, warnings=(NOT_TZQ.render(path=target.with_suffix(".tzq").name), *plan.warnings))
    store = ProjectStore(target, create=True)
    try:
        summary = write_plan(store, plan, codebook, source=str(Path(qdpx).resolve()))
    except BaseException:
        store.close()
        remove_project_files(target)
        raise
    store.close()
    return target, summary


def _default_codebook() -> ImportedCodebook:
    path = paths.default_codebook()
    return ImportedCodebook(load_codebook(path), path.read_text(encoding="utf-8-sig"), {})
