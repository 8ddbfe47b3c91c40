"""Importers: transcript files (txt, md, docx, odt, vtt, srt) to :class:`ParsedTranscript`.

One importer per format behind the :class:`~tzcld_qual.io.base.Importer` protocol; the registry
picks one by suffix and runs the checks common to all. Heavy parsers (python-docx, odfpy,
charset-normalizer, PyYAML) are imported only when a file needs them.
"""

from tzcld_qual.io.attributes import read_attributes_csv
from tzcld_qual.io.registry import SUPPORTED_SUFFIXES, read_transcript

__all__ = ["SUPPORTED_SUFFIXES", "read_attributes_csv", "read_transcript"]
