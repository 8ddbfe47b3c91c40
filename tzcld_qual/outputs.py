"""Files an analyst asks for (exports, reports, archives, tables), written safely.

Each is written whole or not at all (a temporary file beside it, then a rename), readable by its
owner only (they quote personal interviews), and never over a project: ``-o etude.tzq`` by
mistake would replace every decision with a zip. A path the system refuses (a read-only folder,
a file where a folder should be) becomes an :class:`InputError` naming it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from tzcld_qual.errors import InputError, Text, from_os_error, os_reason
from tzcld_qual.store.connection import is_database


def is_project_file(path: Path) -> bool:
    """A tzcld-qual project (or any SQLite database): never an output to overwrite. Asked of
    SQLite, not read with ``open()``: see :func:`~tzcld_qual.store.connection.is_database`."""
    try:
        if not Path(path).is_file() or Path(path).stat().st_size == 0:
            return False
    except OSError:
        return False
    return is_database(Path(path))


def check_file_target(path: Path, example: str) -> Path:
    """``path`` can receive a file: not a folder, not a project."""
    path = Path(path)
    if path.is_dir():
        raise InputError(
            Text("c'est un dossier : donnez un nom de fichier.", "this is a folder: give a file name."),
            Text("Exemple : -o {example}", "Example: -o {example}"),
            path=path,
            example=example,
        )
    if path.is_file() and is_project_file(path):
        raise InputError(
            Text(
                "c'est un fichier de projet (SQLite) : l'écraser perdrait ses décisions.",
                "this is a project file (SQLite): overwriting it would lose its decisions.",
            ),
            Text(
                "Choisissez un autre nom de sortie, par exemple -o {example}",
                "Choose another output, e.g. -o {example}",
            ),
            path=path,
            example=example,
        )
    return path


def make_folder(folder: Path) -> Path:
    """Create ``folder`` (and its parents) for outputs, owner only; a clear error if it cannot be."""
    if folder.exists() and not folder.is_dir():
        raise InputError(
            Text("c'est un fichier, pas un dossier.", "this is a file, not a folder."),
            Text("Choisissez un autre chemin pour -o.", "Choose another path for -o."),
            path=folder,
        )
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise _refused(error, folder) from None
    return folder


@contextmanager
def atomic_output(path: Path, example: str) -> Iterator[BinaryIO]:
    """A binary stream whose content becomes ``path`` when the block ends without error (owner
    only); an earlier file there stays whole until then, and whole if the block fails."""
    path = check_file_target(path, example)
    folder = make_folder(path.parent if str(path.parent) else Path("."))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)  # mode 0600
    except OSError as error:
        raise _refused(error, folder) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
        os.replace(tmp, path)
    except OSError as error:  # a full disk or a yanked drive: said with the file it was for
        Path(tmp).unlink(missing_ok=True)
        raise _refused(error, path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(path: Path, data: bytes, example: str) -> Path:
    with atomic_output(path, example) as stream:
        stream.write(data)
    return Path(path)


def _refused(error: OSError, where: Path) -> InputError:
    known = from_os_error(OSError(error.errno, error.strerror, os.fspath(where)))
    if isinstance(known, InputError):
        return known
    return InputError(
        Text("impossible d'écrire ici : {why}.", "cannot write here: {why}."),
        Text("Choisissez un autre chemin pour -o.", "Choose another path for -o."),
        path=where,
        why=os_reason(error),
    )
