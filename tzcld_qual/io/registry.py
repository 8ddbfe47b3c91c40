"""Suffix → importer, and the checks every format shares.

The checks run before any importer sees the bytes, so each importer deals only with its own
format and every bad file gets the same kind of message, whatever its extension.
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

from tzcld_qual.errors import InputError, Text, os_reason
from tzcld_qual.io.base import Importer
from tzcld_qual.io.docx import DocxImporter
from tzcld_qual.io.odt import OdtImporter
from tzcld_qual.io.plaintext import PlainTextImporter
from tzcld_qual.io.subtitles import SubtitleImporter
from tzcld_qual.model import ParsedTranscript

IMPORTERS: tuple[Importer, ...] = (
    PlainTextImporter(),
    DocxImporter(),
    OdtImporter(),
    SubtitleImporter(),
)
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(s for i in IMPORTERS for s in i.suffixes)
_ZIP_SUFFIXES = frozenset({".docx", ".odt"})
_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def importer_for(suffix: str) -> Importer | None:
    """The importer for a suffix such as ``".DOCX"`` (case-insensitive), if any."""
    return next((i for i in IMPORTERS if suffix.lower() in i.suffixes), None)


def read_transcript(path: Path, *, max_bytes: int = 20_000_000) -> ParsedTranscript:
    """Read one transcript file, whatever its supported format.

    Raises :class:`InputError` naming the file for anything an analyst can fix: missing file,
    folder, unsupported extension, empty, too large, binary content, undecodable text.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(
            Text(fr="fichier introuvable", en="file not found"),
            Text(fr="Vérifiez le chemin et le nom du fichier.", en="Check the path and file name."),
            path=path,
        )
    if path.is_dir():
        raise InputError(
            Text(fr="c'est un dossier, pas un fichier", en="this is a folder, not a file"),
            Text(
                fr="Donnez le chemin d'un fichier de transcription.",
                en="Give the path of a transcript file.",
            ),
            path=path,
        )
    suffix = path.suffix.lower()
    importer = importer_for(suffix)
    if importer is None:
        raise InputError(
            Text(
                fr="format non pris en charge : « {suffix} »",
                en="unsupported format: '{suffix}'",
            ),
            Text(
                fr="Enregistrez la transcription dans l'un de ces formats : {supported}.",
                en="Save the transcript in one of these formats: {supported}.",
            ),
            path=path,
            suffix=suffix or path.name,
            supported=", ".join(SUPPORTED_SUFFIXES),
        )
    data = _read_bytes(path, max_bytes)
    _check_content(path, suffix, data)
    try:
        parsed = importer.read(path, data)
    except (AttributeError, KeyError, IndexError, ValueError, zipfile.BadZipFile) as error:
        if isinstance(error, InputError):
            raise
        # python-docx and odfpy fail this way on a package whose parts are missing or malformed
        raise InputError(
            Text(fr="document illisible ({reason})", en="unreadable document ({reason})"),
            Text(
                fr="Ouvrez-le et réenregistrez-le (Word, LibreOffice), ou exportez-le en .txt.",
                en="Open and save it again (Word, LibreOffice), or export it as .txt.",
            ),
            path=path,
            reason=type(error).__name__,
        ) from None
    if not parsed.text.strip():
        raise _empty(path)
    return parsed


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size == 0:
            raise _empty(path)
        if size > max_bytes:
            raise InputError(
                Text(
                    fr="fichier trop volumineux : {size_fr} octets pour une limite de {limit_fr}",
                    en="file too large: {size:,} bytes, the limit is {limit:,}",
                ),
                Text(
                    fr="Découpez la transcription en plusieurs fichiers (un par entretien ou "
                    "par partie d'entretien).",
                    en="Split the transcript into several files (one per interview or part "
                    "of an interview).",
                ),
                path=path,
                size=size,
                limit=max_bytes,
                size_fr=f"{size:,}".replace(",", "\u202f"),
                limit_fr=f"{max_bytes:,}".replace(",", "\u202f"),
            )
        return path.read_bytes()
    except OSError as error:
        raise InputError(
            Text(fr="lecture impossible : {reason}", en="cannot read the file: {reason}"),
            Text(
                fr="Vérifiez que le fichier est accessible en lecture.",
                en="Check that the file can be read.",
            ),
            path=path,
            reason=os_reason(error),
        ) from error


def _check_content(path: Path, suffix: str, data: bytes) -> None:
    if suffix in _ZIP_SUFFIXES:
        binary = not data.startswith(_ZIP_MAGIC)
    else:
        binary = b"\x00" in data and not data.startswith(_UTF16_BOMS)
    if binary:
        raise InputError(
            Text(
                fr="contenu binaire : ce n'est pas un fichier {kind} valide",
                en="binary content: this is not a valid {kind} file",
            ),
            Text(
                fr="Vérifiez que l'extension correspond au contenu, ou exportez à nouveau la "
                "transcription.",
                en="Check that the extension matches the content, or export the transcript again.",
            ),
            path=path,
            kind=suffix.lstrip(".").upper(),
        )


def _empty(path: Path) -> InputError:
    return InputError(
        Text(fr="le fichier ne contient aucun texte", en="the file contains no text"),
        Text(
            fr="Vérifiez que c'est la bonne transcription, ou retirez-la de l'import.",
            en="Check that this is the right transcript, or leave it out of the import.",
        ),
        path=path,
    )
