"""REFI-QDA (QDA-XML 1.0): the exchange format of NVivo, ATLAS.ti, MAXQDA, QualCoder…

- :func:`export_qdpx`: a project as a ``.qdpx`` archive (:mod:`.project_export` says what goes in);
- :func:`codebook_to_qdc` / :func:`read_qdc`: the codebook alone (``.qdc``) and back to YAML;
- :func:`read_qdpx` + :func:`plan_import` + :func:`write_plan`: a ``.qdpx`` into a new project
  (:mod:`.qdpx_import` and :mod:`.import_segments` give the rules).
Everything written is validated against the official schemas in ``reports/schemas/``.
"""

from tzcld_qual.reports.refi.codes import ImportedCodebook
from tzcld_qual.reports.refi.project_export import SUGGESTIONS, QdpxSummary, export_qdpx
from tzcld_qual.reports.refi.qdc import codebook_to_qdc, read_qdc
from tzcld_qual.reports.refi.qdpx_import import QdpxImportSummary, plan_import, write_plan
from tzcld_qual.reports.refi.qdpx_reader import read_qdpx

__all__ = [
    "SUGGESTIONS",
    "ImportedCodebook",
    "QdpxImportSummary",
    "QdpxSummary",
    "codebook_to_qdc",
    "export_qdpx",
    "plan_import",
    "read_qdc",
    "read_qdpx",
    "write_plan",
]
