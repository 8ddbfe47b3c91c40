"""The attributes sidecar CSV: one row per transcript file, one column per attribute.

Spreadsheets save CSV with ``;`` (French Excel) or ``,``, in UTF-8 or cp1252: both are read.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from tzcld_qual.errors import InputError, Text, os_reason
from tzcld_qual.io.decode import decode
from tzcld_qual.io.keys import canonical_key, fold

if TYPE_CHECKING:
    from _csv import Reader

_KEY_COLUMNS = ("file", "fichier", "document")


def read_attributes_csv(path: Path) -> dict[str, dict[str, str]]:
    """``{file name: {attribute: value}}`` from a CSV keyed by a ``file``/``fichier``/``document``
    column.

    Headers are normalised like front matter keys (``rôle`` → ``role``…); empty cells are left
    out, so an empty cell never overrides a value given elsewhere. Errors carry the CSV line.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(
            Text(
                fr="fichier d'attributs illisible : {reason}",
                en="cannot read the attributes file: {reason}",
            ),
            Text(fr="Vérifiez le chemin du fichier CSV.", en="Check the path of the CSV file."),
            path=path,
            reason=os_reason(error),
        ) from error
    text, _ = decode(data, path)
    header_line = next((line for line in text.split("\n") if line.strip()), "")
    if not header_line:
        raise InputError(
            Text(fr="le fichier d'attributs est vide", en="the attributes file is empty"),
            Text(
                fr="Écrivez une ligne d'en-tête (file;role;territory;…) puis une ligne par "
                "transcription.",
                en="Write a header line (file;role;territory;…) then one line per transcript.",
            ),
            path=path,
        )
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return _rows(reader, path)
    except csv.Error as error:
        raise InputError(
            Text(fr="CSV mal formé : {reason}", en="malformed CSV: {reason}"),
            Text(
                fr="Vérifiez les guillemets de cette ligne.",
                en="Check the quotes on this line.",
            ),
            path=path,
            line=reader.line_num,
            reason=str(error),
        ) from error


def _rows(reader: Reader, path: Path) -> dict[str, dict[str, str]]:
    header: list[str] = []
    while not any(cell.strip() for cell in header):
        header = next(reader, None)  # type: ignore[arg-type]
        if header is None:
            raise InputError(
                Text(fr="le fichier d'attributs est vide", en="the attributes file is empty"),
                Text(
                    fr="Écrivez une ligne d'en-tête (file;role;territory;…) puis une ligne par transcription.",
                    en="Write a header line (file;role;territory;…) then one line per transcript.",
                ),
                path=path,
            )
    header_line = reader.line_num
    names = [canonical_key(cell) for cell in header]
    key = next((i for i, name in enumerate(names) if fold(name) in _KEY_COLUMNS), None)
    if key is None:
        raise InputError(
            Text(
                fr="pas de colonne « file » (ou « fichier », « document ») parmi : {columns}",
                en="no 'file' (or 'fichier', 'document') column among: {columns}",
            ),
            Text(
                fr="Ajoutez une colonne « file » avec le nom de chaque fichier de transcription.",
                en="Add a 'file' column holding the name of each transcript file.",
            ),
            path=path,
            line=header_line,
            columns=", ".join(names),
        )
    rows: dict[str, dict[str, str]] = {}
    first_line: dict[str, int] = {}
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(
                Text(
                    fr="{found} colonnes au lieu de {expected}",
                    en="{found} columns instead of {expected}",
                ),
                Text(
                    fr="Chaque ligne doit avoir autant de « {delimiter} » que l'en-tête ; "
                    "mettez entre guillemets les valeurs qui en contiennent.",
                    en="Every line needs as many '{delimiter}' as the header; quote values "
                    "that contain one.",
                ),
                path=path,
                line=reader.line_num,
                found=len(row),
                expected=len(header),
                delimiter=reader.dialect.delimiter,
            )
        name = row[key].strip()
        if name in rows or not name:
            raise InputError(
                Text(
                    fr="fichier « {name} » déjà décrit ligne {first}",
                    en="file '{name}' already described on line {first}",
                )
                if name
                else Text(fr="nom de fichier vide", en="empty file name"),
                Text(
                    fr="Gardez une seule ligne par fichier de transcription.",
                    en="Keep one line per transcript file.",
                ),
                path=path,
                line=reader.line_num,
                name=name,
                first=first_line.get(name, 0),
            )
        first_line[name] = reader.line_num
        rows[name] = {
            names[i]: cell.strip() for i, cell in enumerate(row) if i != key and cell.strip()
        }
    return rows
