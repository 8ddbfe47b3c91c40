"""Exports of a project: REFI-QDA project (qdpx) or codebook (qdc), tables (csv folder, xlsx)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tzcld_qual.errors import InputError, Text, UsageError
from tzcld_qual.reports.refi import SUGGESTIONS, QdpxSummary, codebook_to_qdc, export_qdpx
from tzcld_qual.reports.tables import build_tables, write_csv, write_xlsx
from tzcld_qual.services.projects import current_codebook, open_project

FORMATS = ("qdpx", "qdc", "csv", "xlsx")
__all__ = ["FORMATS", "SUGGESTIONS", "ExportResult", "export_project"]


@dataclass(frozen=True, slots=True)
class ExportResult:
    format: str
    paths: tuple[Path, ...]  # what was written
    qdpx: QdpxSummary | None = None
    tables: tuple[str, ...] = ()  # table names (csv, xlsx)
    codes: int = 0


def export_project(
    project: Path,
    fmt: str,
    out: Path,
    *,
    suggestions: str = "current",
    include_suggestions: bool = False,
) -> ExportResult:
    """Write ``project`` as ``fmt`` to ``out`` (a folder for csv, a file otherwise)."""
    if fmt not in FORMATS:
        raise UsageError(
            Text("format inconnu « {fmt} ».", "unknown format « {fmt} »."),
            Text("Formats : {formats}.", "Formats: {formats}."),
            fmt=fmt,
            formats=", ".join(FORMATS),
        )
    if suggestions not in SUGGESTIONS:
        raise UsageError(
            Text(
                "valeur inconnue pour --suggestions : « {value} ».",
                "unknown value for --suggestions: « {value} ».",
            ),
            Text("Valeurs : {values}.", "Values: {values}."),
            value=suggestions,
            values=", ".join(SUGGESTIONS),
        )
    out = Path(out)
    with open_project(Path(project)) as store:
        codebook = current_codebook(store)
        if fmt == "qdpx":
            summary = export_qdpx(store, codebook, out, suggestions=suggestions)
            return ExportResult(fmt, (out,), qdpx=summary, codes=len(codebook.codes))
        if fmt == "qdc":
            _write_bytes(out, codebook_to_qdc(codebook))
            return ExportResult(fmt, (out,), codes=len(codebook.codes))
        tables = build_tables(store, codebook, include_suggestions=include_suggestions)
    names = tuple(t.name for t in tables)
    if fmt == "csv":
        return ExportResult(fmt, tuple(write_csv(tables, out)), tables=names, codes=len(codebook.codes))
    return ExportResult(fmt, (write_xlsx(tables, out),), tables=names, codes=len(codebook.codes))


def _write_bytes(out: Path, data: bytes) -> None:
    """Write through a temporary file and a rename: a failure never leaves half a file."""
    if out.is_dir():
        raise InputError(
            Text(
                "c'est un dossier : donnez un nom de fichier.",
                "this is a folder: give a file name.",
            ),
            Text("Exemple : -o codebook.qdc", "Example: -o codebook.qdc"),
            path=out,
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".tzcld-", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
