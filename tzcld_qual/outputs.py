"""Files an analyst asks for (exports, reports, archives, tables), written safely.

Each is written whole or not at all (a temporary file beside it, then a rename), readable by its
owner only (they quote personal interviews), and never over a project: ``-o etude.tzq`` by
mistake would replace every decision with a zip. Nor over a file that is not, byte for byte, what
this tool wrote (there, or at another output's path it was copied from), unless ``--force`` says so
(:func:`check_replaceable`): ``-o notes.md`` by a slip replaced the notes without a word, and so
did re-running a report an analyst had added notes to, while re-running a report or an export
into the same path must keep working.

What was written is known by its SHA-256: a Markdown or HTML report carries it in an invisible
comment at its end (:func:`seal`), and every output's is recorded in a small registry of the
user's cache folder, path → SHA-256 (:func:`remember`), for the formats that have no place for
one. A missing or unreadable registry only means asking for ``--force``; a file from before the
registry is recognised by the marks an edit elsewhere removes (:func:`written_here`). A cache
folder that refuses the registry does not stop an output, but it is said: a command gathers
such outputs with :func:`noting_unrecorded` and tells the analyst once
(:meth:`Unrecorded.warning`), since the next replacement of those outputs will ask for ``--force``.
A path the system refuses (a read-only folder, a file where a folder should be) becomes an
:class:`InputError` naming it.
"""

from __future__ import annotations

import enum
import errno
import hashlib
import json
import logging
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from tzcld_qual.errors import InputError, Text, from_os_error, os_reason
from tzcld_qual.paths import cache_dir, make_private_dir
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
SEALED = (".html", ".htm", ".md")  # text formats where a comment is invisible: they carry their hash
_SEAL = b"<!-- tzcld-qual: sha256 "
_SEAL_END = re.compile(rb"<!-- tzcld-qual: sha256 (?P<digest>[0-9a-f]{64}) -->\s*\Z")
REGISTRY = "outputs.json"  # in the cache folder: {"files": {absolute path: sha256}}
KEPT = 2000  # registry entries kept, the latest written
LOCK = "outputs.json.lock"  # beside the registry: one process at a time reads, merges and replaces it


class Found(enum.Enum):
    """What an existing file at an output's path is, to this tool."""

    OURS = "ours"  # exactly what it wrote there
    CHANGED = "changed"  # it wrote it, and the content differs since
    UNKNOWN = "unknown"  # nothing says it wrote it


def seal(data: bytes) -> bytes:
    """``data`` ending with ``<!-- tzcld-qual: sha256 … -->``, the SHA-256 of all that comes before
    it: a report that says whether it was changed since it was written, wherever it is copied."""
    body = data if data.endswith(b"\n") or not data else data + b"\n"
    return body + _SEAL + hashlib.sha256(body).hexdigest().encode() + b" -->\n"


def output_state(path: Path, ours: Callable[[Path], bool] | None = None) -> Found:
    """Whether ``path`` is still what this tool wrote: by the seal at its end (Markdown, HTML), else
    by the registry, else (a file from before the registry, or one the registry lost) by the mark
    ``ours`` (:func:`written_here` unless given). The registry knows a content by its hash at
    whatever path it was written: ``cp A/cooccurrence.csv B/`` puts there exactly what this tool
    wrote, as a sealed report copied anywhere is, and was said « modifié »; replacing it loses no
    one's work."""
    path = Path(path)
    digest: str | None
    if path.suffix.lower() in SEALED:
        try:
            data = path.read_bytes()
        except OSError:
            return Found.UNKNOWN
        where = data.rfind(_SEAL)
        if where >= 0:
            found = _SEAL_END.match(data, where)
            intact = found is not None and hashlib.sha256(data[:where]).hexdigest() == found["digest"].decode()
            return Found.OURS if intact else Found.CHANGED  # notes added after the seal count too
        digest = hashlib.sha256(data).hexdigest()
    else:
        digest = file_digest(path)
    files = recorded()
    if digest is not None:
        known = files.get(_key(path))
        if known == digest or digest in files.values():  # the latter: copied here from another output
            return Found.OURS
        if known is not None:
            return Found.CHANGED
    return Found.OURS if (ours or written_here)(path) else Found.UNKNOWN


def file_digest(path: Path) -> str | None:
    """The SHA-256 of ``path``'s content; None when it cannot be read."""
    try:
        with open(path, "rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None


def recorded() -> dict[str, str]:
    """The registry of what this tool wrote, path → SHA-256; empty when missing or unreadable
    (then nothing is known: replacing asks for ``--force``)."""
    try:
        data = json.loads((cache_dir() / REGISTRY).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # not JSON, not UTF-8; nested past Python's stack
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {key: value for key, value in files.items() if isinstance(key, str) and isinstance(value, str)}


def remember(path: Path, digest: str) -> bool:
    """Record that this tool just wrote ``path`` with content ``digest``: written whole (a rename),
    owner only. False when the cache folder refuses it; the output stands, and the next run over it
    asks for ``--force`` unless its seal or mark says it is ours."""
    return _record(path, digest) is None


def _record(path: Path, digest: str) -> OSError | None:
    """:func:`remember`, saying why the cache folder refused (None when recorded). Read, merged and
    replaced under the record's lock: two exports at once each kept the record as they had read it,
    and four parallel exports of 21 tables left 3 and 10 of them recorded."""
    tmp = None
    try:
        folder = make_private_dir(cache_dir())
        with _record_lock(folder):
            files = recorded()
            files.pop(_key(path), None)
            files[_key(path)] = digest  # the latest last: the oldest go first past KEPT
            kept = dict(list(files.items())[-KEPT:])
            fd, tmp = tempfile.mkstemp(prefix=f".{REGISTRY}.", suffix=".tmp", dir=folder)  # mode 0600
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                json.dump({"files": kept}, stream, ensure_ascii=False, indent=0)
            os.replace(tmp, folder / REGISTRY)
    except OSError as error:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        return error
    return None


@contextmanager
def _record_lock(folder: Path) -> Iterator[None]:
    """Hold ``outputs.json.lock`` (an advisory ``flock``, as :mod:`~tzcld_qual.services.run_lock`
    takes, which the system releases however the process ends) while the record is read, merged and
    replaced: another process waits its turn, for a few milliseconds."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no lock, as for model runs
        yield
        return
    fd = os.open(folder / LOCK, os.O_RDONLY | os.O_CREAT, 0o600)  # flock needs no write access
    try:
        with suppress(OSError):  # a network or FUSE disk that has no locks (ENOLCK): as without fcntl
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _key(path: Path) -> str:
    return os.path.realpath(path)


def written_here(path: Path) -> bool:
    """Whether ``path`` carries a mark of this tool that an edit in another program removes:
    REFI-QDA's ``origin`` (another tool writes its own), a Word or Excel file whose author *and*
    last editor are this tool (Word, Excel and LibreOffice put the user's name as last editor when
    they save). The title of a Markdown report, the generator of an HTML one or the header of a
    CSV table stay when notes are added: they are no such mark."""
    suffix = Path(path).suffix.lower()
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


def check_replaceable(path: Path, *, force: bool = False, ours: Callable[[Path], bool] | None = None) -> Path:
    """``path`` may receive an output: nothing is there yet, what is there is exactly what this
    tool wrote (:func:`output_state`, ``ours`` its mark for older files), or ``force`` is given.
    Asked before the work, as :func:`check_file_target` is."""
    path = Path(path)
    if force or not path.is_file():
        return path
    state = output_state(path, ours)
    if state is Found.OURS:
        return path
    if state is Found.CHANGED:
        raise InputError(
            Text(
                "ce fichier a été modifié depuis que tzcld-qual l'a écrit : ces changements seraient perdus.",
                "this file was changed since tzcld-qual wrote it: those changes would be lost.",
            ),
            Text(
                "Choisissez un autre nom, ou ajoutez --force pour le remplacer.",
                "Choose another name, or add --force to replace it.",
            ),
            path=path,
        )
    raise InputError(
        Text(
            "ce fichier existe déjà et tzcld-qual ne le reconnaît pas comme une de ses sorties "
            "(ou il a été modifié) : il serait remplacé.",
            "this file already exists and tzcld-qual does not recognise it as one of its outputs "
            "(or it was changed): it would be replaced.",
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
    only), recorded as this tool's (:func:`remember`); an earlier file there stays whole until
    then, and whole if the block fails."""
    path = check_file_target(path, example)
    folder = make_folder(path.parent if str(path.parent) else Path("."))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)  # mode 0600
    except OSError as error:
        raise _refused(error, folder) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
        digest = file_digest(Path(tmp))
        os.replace(tmp, path)
    except OSError as error:  # a full disk or a yanked drive: said with the file it was for
        Path(tmp).unlink(missing_ok=True)
        raise _refused(error, path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if digest is not None:
        refused = _record(path, digest)
        if refused is not None and path.suffix.lower() not in SEALED:  # a report's seal vouches for it
            _note_unrecorded(path, refused)


@dataclass
class Unrecorded:
    """Outputs written whose record the cache folder refused (a read-only or full disk, a file in
    its place), gathered while a command runs (:func:`noting_unrecorded`)."""

    outputs: list[tuple[Path, OSError]] = field(default_factory=list)

    def warning(self) -> str | None:
        """What to tell the analyst once the command has written its outputs: they were written,
        but replacing them next time may ask for ``--force``, even unchanged (« modifié » when an
        earlier record of them stays). None when every output was recorded."""
        if not self.outputs:
            return None
        written = [path for path, _ in self.outputs]
        why = os_reason(self.outputs[0][1])
        fix = Text(
            "Rendez ce dossier inscriptible, ou indiquez-en un autre : TZCLD_QUAL_CACHE_DIR=/un/dossier",
            "Make that folder writable, or name another one: TZCLD_QUAL_CACHE_DIR=/some/folder",
        )
        if len(written) == 1:
            said = Text(
                "{first} est écrit, mais tzcld-qual n'a pas pu noter qu'il l'a écrit dans {folder} : {why}. "
                "Le remplacer la prochaine fois pourra demander --force, même inchangé.",
                "{first} was written, but tzcld-qual could not record that it wrote it in {folder}: {why}. "
                "Replacing it next time may ask for --force, even unchanged.",
            )
        else:
            said = Text(
                "{n} fichiers sont écrits ({first}…), mais tzcld-qual n'a pas pu noter qu'il les a écrits dans "
                "{folder} : {why}. Les remplacer la prochaine fois pourra demander --force, même inchangés.",
                "{n} files were written ({first}…), but tzcld-qual could not record that it wrote them in "
                "{folder}: {why}. Replacing them next time may ask for --force, even unchanged.",
            )
        return f"{said.render(n=len(written), first=written[0], folder=cache_dir(), why=why)} {fix.render()}"


# The gathering of the command running in this context, if any: a context variable, not a module
# list, so that two commands (threads, a test after another) never see each other's outputs.
_noting: ContextVar[Unrecorded | None] = ContextVar("tzcld_qual_unrecorded", default=None)


@contextmanager
def noting_unrecorded() -> Iterator[Unrecorded]:
    """Gather, for the block, the outputs whose record the cache folder refuses."""
    gathered = Unrecorded()
    token = _noting.set(gathered)
    try:
        yield gathered
    finally:
        _noting.reset(token)


def _note_unrecorded(path: Path, refused: OSError) -> None:
    gathered = _noting.get()
    if gathered is not None:
        gathered.outputs.append((path, refused))
    else:  # a caller that gathers nothing (a script, the review screen): the log still has it
        logging.getLogger(__name__).warning("%s written but not recorded in %s: %s", path, cache_dir(), refused)


def write_bytes(path: Path, data: bytes, example: str) -> Path:
    """``data`` as ``path``; a Markdown or HTML file gets its :func:`seal`."""
    with atomic_output(path, example) as stream:
        stream.write(seal(data) if Path(path).suffix.lower() in SEALED else data)
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
