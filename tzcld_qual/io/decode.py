"""Bytes to text, before anything computes an offset.

Every document offset in the project points into the string returned here, so line endings and
Unicode normalisation (NFC) are fixed once, at this single place.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from tzcld_qual.errors import InputError, Text

_FALLBACKS = ["cp1252", "latin_1"]  # what French Windows tools write when they do not write UTF-8
_ENCODING_NAMES = {"cp1252": "cp1252", "latin_1": "latin-1"}
_ALLOWED_CONTROLS = frozenset("\t\n\r\f")

CONVERTED = Text(  # shown after the file's name
    fr="encodé en {encoding}, converti en UTF-8",
    en="encoded in {encoding}, converted to UTF-8",
)


def normalise_text(text: str) -> str:
    """``\\r\\n`` and ``\\r`` become ``\\n``; Unicode becomes NFC (é is one code point)."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def decode(data: bytes, path: Path) -> tuple[str, tuple[str, ...]]:
    """Decode a text file: UTF-8 (BOM stripped), UTF-16 with a BOM, else cp1252 / latin-1.

    Returns the normalised text and the warnings to show (a conversion from a legacy encoding
    is worth saying: the analyst may want to fix the source).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return normalise_text(_strict(data, "utf-16", path)), ()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return normalise_text(data.decode("utf-8")), ()
    except UnicodeDecodeError as utf8_error:
        text, encoding = _legacy(data, path, utf8_error)
    return normalise_text(text), (CONVERTED.render(name=path.name, encoding=encoding),)


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _undecodable(data, path, error) from error


def _legacy(data: bytes, path: Path, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_FALLBACKS).best()
    text = str(best) if best is not None else ""
    if best is None or any(_is_control(ch) for ch in text):
        raise _undecodable(data, path, utf8_error)
    try:  # where both fit (no byte in 0x80–0x9F), name the superset analysts know
        encoding = "cp1252" if data.decode("cp1252") == text else _ENCODING_NAMES[best.encoding]
    except UnicodeDecodeError:
        encoding = _ENCODING_NAMES.get(best.encoding, best.encoding)
    return text, encoding


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS


def _undecodable(data: bytes, path: Path, error: UnicodeDecodeError) -> InputError:
    return InputError(
        Text(
            fr="le texte n'est ni en UTF-8 ni en cp1252/latin-1 (octet 0x{byte:02x})",
            en="the text is neither UTF-8 nor cp1252/latin-1 (byte 0x{byte:02x})",
        ),
        Text(
            fr="Ouvrez-le dans un éditeur de texte et enregistrez-le en UTF-8.",
            en="Open it in a text editor and save it as UTF-8.",
        ),
        path=path,
        line=data.count(b"\n", 0, error.start) + 1,
        byte=data[error.start] if error.start < len(data) else 0,
    )
