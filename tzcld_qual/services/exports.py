"""Exports of a project: REFI-QDA project (qdpx) or codebook (qdc), tables (csv folder, xlsx)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tzcld_qual.errors import Text, UsageError
from tzcld_qual.outputs import check_file_target, check_replaceable, write_bytes
from tzcld_qual.reports.refi import SUGGESTIONS, QdpxSummary, codebook_to_qdc, export_qdpx
from tzcld_qual.reports.tables import build_tables, write_csv, write_xlsx
from tzcld_qual.services.projects import current_codebook, open_project

FORMATS = ("qdpx", "qdc", "csv", "xlsx")
EXAMPLES = {"qdpx": "projet.qdpx", "qdc": "codebook.qdc", "csv": "tableaux/", "xlsx": "tableaux.xlsx"}
# a csv folder named like a file: ``-o t.xlsx`` made a folder t.xlsx of 21 CSV files
FILE_SUFFIXES = frozenset((".csv", ".xlsx", ".xls", ".ods", ".qdpx", ".qdc", ".html", ".md", ".docx", ".zip", ".tzq"))
__all__ = ["FORMATS", "SUGGESTIONS", "ExportResult", "export_project"]


@dataclass(frozen=True, slots=True)
class ExportResult:
    format: str
    paths: tuple[Path, ...]  # what was written
    qdpx: QdpxSummary | None = None
    tables: tuple[str, ...] = ()  # table names (csv, xlsx)
    codes: int = 0
    # csv, xlsx: the model whose undecided suggestions the count tables include ("": analysts' codes only)
    suggestions_counted: str = ""


def export_project(
    project: Path,
    fmt: str,
    out: Path,
    *,
    suggestions: str = "current",
    include_suggestions: bool = False,
    force: bool = False,
) -> ExportResult:
    """Write ``project`` as ``fmt`` to ``out`` (a folder for csv, a file otherwise); a file there
    that this tool did not write is replaced only with ``force``."""
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
    if fmt == "csv" and out.suffix.lower() in FILE_SUFFIXES and not out.is_dir():
        raise UsageError(
            Text(
                "--format csv écrit un dossier de tableaux, pas un fichier « {name} ».",
                "--format csv writes a folder of tables, not a file « {name} ».",
            ),
            Text(
                "Donnez un dossier (-o tableaux/), ou pour un seul classeur Excel : --format xlsx -o tableaux.xlsx",
                "Give a folder (-o tables/), or for one Excel workbook: --format xlsx -o tables.xlsx",
            ),
            name=out.name,
        )
    if fmt != "csv":
        if out.suffix.lower() != f".{fmt}" and not out.is_dir():  # other tools open a .qdpx by its name
            raise UsageError(
                Text(
                    "--format {fmt} écrit un fichier .{fmt}, pas « {name} ».",
                    "--format {fmt} writes a .{fmt} file, not « {name} ».",
                ),
                Text(
                    "Nommez la sortie en .{fmt}, par exemple -o {example}", "Name the output .{fmt}, e.g. -o {example}"
                ),
                fmt=fmt,
                name=out.name,
                example=EXAMPLES[fmt],
            )
        check_file_target(out, EXAMPLES[fmt])  # before the work, not after it
        check_replaceable(out, force=force)
    with open_project(Path(project)) as store:
        codebook = current_codebook(store)
        if fmt == "qdpx":
            summary = export_qdpx(store, codebook, out, suggestions=suggestions)
            return ExportResult(fmt, (out,), qdpx=summary, codes=len(codebook.codes))
        if fmt == "qdc":
            write_bytes(out, codebook_to_qdc(codebook), EXAMPLES[fmt])
            return ExportResult(fmt, (out,), codes=len(codebook.codes))
        tables = build_tables(store, codebook, include_suggestions=include_suggestions)
    names = tuple(t.name for t in tables)
    counted = next((t.suggestions for t in tables if t.suggestions), "")
    paths = tuple(write_csv(tables, out, force=force)) if fmt == "csv" else (write_xlsx(tables, out),)
    return ExportResult(fmt, paths, tables=names, codes=len(codebook.codes), suggestions_counted=counted)
