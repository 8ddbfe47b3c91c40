"""Codebook use-cases: show a project's codebook, check a YAML file, load it as a new version,
and turn a REFI-QDA codebook (``.qdc``) into our YAML form."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tzcld_qual.codebook import load_codebook, parse_codebook
from tzcld_qual.errors import InputError, NotFoundError, Text
from tzcld_qual.model import Codebook
from tzcld_qual.outputs import check_file_target, write_bytes
from tzcld_qual.reports.refi import ImportedCodebook, read_qdc
from tzcld_qual.reports.refi.codes import TO_COMPLETE
from tzcld_qual.services.projects import current_codebook, open_project
from tzcld_qual.store import CodingFilter


@dataclass(frozen=True, slots=True)
class QdcConversion:
    """A ``.qdc`` turned into YAML: where it was written (``None``: not written) and what to fix."""

    imported: ImportedCodebook
    written: Path | None


def to_complete(codebook: Codebook) -> tuple[str, ...]:
    """Ids of codes whose definition is still the placeholder left by an import."""
    return tuple(c.id for c in codebook.codes if c.definition.startswith(TO_COMPLETE))


def show(project: Path, version: int | None = None) -> tuple[Codebook, str]:
    """The project's codebook (latest version by default) and its YAML text."""
    with open_project(Path(project)) as store:
        if version is None:
            codebook = current_codebook(store)
            return codebook, store.codebooks.content(codebook.version) or ""
        found = store.codebooks.get(version)
        if found is None:
            versions = ", ".join(str(v["version"]) for v in store.codebooks.versions())
            raise NotFoundError(
                Text(
                    "version {version} du codebook introuvable.",
                    "codebook version {version} not found.",
                ),
                Text("Versions du projet : {versions}.", "Versions in the project: {versions}."),
                version=version,
                versions=versions or "aucune",
            )
        return found, store.codebooks.content(version) or ""


def validate(path: Path) -> Codebook:
    """The codebook in ``path``; raises :class:`CodebookError` (file and line) when it is wrong."""
    return load_codebook(Path(path))


def load(project: Path, path: Path) -> tuple[int, bool, Codebook]:
    """Store a YAML codebook as the project's new version: ``(version, new, codebook)``; ``new`` is
    false when the file is the same as the latest version."""
    codebook = load_codebook(Path(path))
    content = Path(path).read_text(encoding="utf-8-sig")
    with open_project(Path(project)) as store:
        before = store.codebooks.latest_version()
        version = store.codebooks.add(codebook, content, str(path), note="codebook load")
    return version, version != before, codebook


def decisions_outside(project: Path, codebook: Codebook) -> dict[str, int]:
    """Analysts' decisions (current documents) per code id ``codebook`` does not have: after a
    code is renamed or removed they stay in the project, but models and exports skip them."""
    from collections import Counter

    with open_project(Path(project)) as store:
        counts = Counter(c.code_id for c in store.codings.human() if c.code_id not in codebook)
    return dict(sorted(counts.items()))


def suggestions_outside(project: Path, codebook: Codebook) -> dict[str, int]:
    """The suggestions an analyst reviews (the current model's and promoted themes') no analyst
    has decided on (current documents), per code id ``codebook`` does not have: loading a version
    without those codes leaves them in the project with no code to review them under. A
    promoted theme's stay under its code's id, which no later code takes."""
    from tzcld_qual.services.agreement import shown_suggesters

    with open_project(Path(project)) as store:
        pending = [c for origin in sorted(shown_suggesters(store))
                   for c in store.codings.list(CodingFilter(origin=origin, undecided=True))]
    return dict(sorted(Counter(c.code_id for c in pending if c.code_id not in codebook).items()))


def convert_qdc(qdc: Path, out: Path | None = None, *, overwrite: bool = False) -> QdcConversion:
    """Read a ``.qdc`` and, when ``out`` is given, write its YAML form there."""
    imported = read_qdc(Path(qdc))
    if out is None:
        return QdcConversion(imported, None)
    out = Path(out)
    check_file_target(out, "codebook.yaml")  # a folder or a project: said before "already exists"
    if out.exists() and not overwrite:
        raise InputError(
            Text("le fichier existe déjà.", "the file already exists."),
            Text("Choisissez un autre nom ou ajoutez --force.", "Choose another name or add --force."),
            path=out,
        )
    parse_codebook(imported.yaml_text, out)  # what is written loads back
    write_bytes(out, imported.yaml_text.encode("utf-8"), "codebook.yaml")  # never over a project, even --force
    return QdcConversion(imported, out)
