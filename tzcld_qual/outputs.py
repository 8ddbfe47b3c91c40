"""Files an analyst asks for (exports, reports, archives, tables), written safely.

Each is written whole or not at all (a temporary file beside it, then a rename), readable by its
owner only (they quote personal interviews), and never over a project: ``-o etude.tzq`` by
mistake would replace every decision with a zip. Nor over a file this tool did not write, unless
``--force`` says so (:func:`check_replaceable`): ``-o notes.md`` by a slip replaced the notes
without a word, while re-running a report or an export into the same path must keep working.
A path the system refuses (a read-only folder, a file where a folder should be) becomes an
:class:`InputError` naming it.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
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


TOOL = "tzcld-qual"  # the author every file this tool writes names, where its format has a place for it
HEAD = 4096  # bytes read to find a mark: each sits in a file's first lines
_ORIGIN = re.compile(rb'\sorigin="tzcld-qual[ "]')  # REFI-QDA's root element says which software wrote it
_OOXML_AUTHORS = (b"creator", b"lastModifiedBy")  # docProps/core.xml of a .docx or .xlsx


def written_here(path: Path) -> bool:
    """Whether ``path`` carries the mark this tool leaves in a report or an export: the HTML
    report's generator, the Markdown report's title, REFI-QDA's ``origin``; a Word or Excel file
    whose author *and* last editor are this tool (Word, Excel and LibreOffice put the user's name
    as last editor when they save: notes added there are no longer ours to replace)."""
    suffix = Path(path).suffix.lower()
    if suffix in (".html", ".htm"):
        return f'<meta name="generator" content="{TOOL}">'.encode() in file_head(path)
    if suffix == ".md":
        return file_head(path).startswith("# Rapport d'analyse qualitative — ".encode())
    if suffix in (".docx", ".xlsx"):
        core = file_head(path, member="docProps/core.xml")
        return all(re.search(rb"<(?:\w+:)?%s\b[^>]*>%s<" % (tag, TOOL.encode()), core) for tag in _OOXML_AUTHORS)
    if suffix in (".qdc", ".qdpx"):
        return _ORIGIN.search(file_head(path, member="project.qde" if suffix == ".qdpx" else None)) is not None
    return False


def file_head(path: Path, size: int = HEAD, *, member: str | None = None) -> bytes:
    """The first ``size`` bytes of ``path`` (of its zip ``member`` if given); empty when it cannot
    be read as such: then it carries no mark."""
    try:
        if member is None:
            with open(path, "rb") as stream:
                return stream.read(size)
        with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
            return stream.read(size)
    except (OSError, zipfile.BadZipFile, KeyError, RuntimeError):  # RuntimeError: an encrypted member
        return b""


def check_replaceable(path: Path, *, force: bool = False, ours: Callable[[Path], bool] = written_here) -> Path:
    """``path`` may receive an output: nothing is there yet, this tool wrote what is (``ours``),
    or ``force`` is given. Asked before the work, as :func:`check_file_target` is."""
    path = Path(path)
    if force or not path.is_file() or ours(path):
        return path
    raise InputError(
        Text(
            "ce fichier existe déjà et tzcld-qual ne l'a pas écrit : il serait remplacé.",
            "this file already exists and tzcld-qual did not write it: it would be replaced.",
        ),
        Text(
            "Choisissez un autre nom, ou ajoutez --force pour le remplacer.",
            "Choose another name, or add --force to replace it.",
        ),
        path=path,
    )


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
    if error.errno == errno.ENOENT and where.is_dir():  # /proc: there, yet no file can be made in it
        return InputError(
            Text("ce dossier n'accepte pas de nouveau fichier.", "this folder accepts no new file."),
            Text("Choisissez un autre dossier pour -o.", "Choose another folder for -o."),
            path=where,
        )
    known = from_os_error(OSError(error.errno, error.strerror, os.fspath(where)))
    if isinstance(known, InputError):
        return known
    return InputError(
        Text("impossible d'écrire ici : {why}.", "cannot write here: {why}."),
        Text("Choisissez un autre chemin pour -o.", "Choose another path for -o."),
        path=where,
        why=os_reason(error),
    )
