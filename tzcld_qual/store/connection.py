"""Opening a project file: pragmas, schema checks and migrations, transactions."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from tzcld_qual.errors import ProjectError, Text
from tzcld_qual.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 60_000
SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database
_NOT_A_DATABASE = "file is not a database"  # SQLite's refusal of a file without that header


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def like_prefix(text: str) -> str:
    """A ``LIKE … ESCAPE '\\'`` pattern for "starts with ``text``": a user's ``%`` or ``_`` is
    a character of a name, not a wildcard."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def connect(path: Path, *, create: bool) -> sqlite3.Connection:
    """Open (or create) a project file, migrated to the current schema.

    A file that is not a project, is corrupt or comes from a newer tzcld-qual is refused with a
    clear message and left exactly as it was.
    """
    exists = path.exists()
    if not exists and not create:
        raise ProjectError(
            Text("projet introuvable.", "project not found."),
            Text(
                "Créez-le avec « tzcld-qual init {path} » ou importez des fichiers avec "
                "« tzcld-qual import {path} FICHIER… ».",
                "Create it with « tzcld-qual init {path} » or import files with « tzcld-qual import {path} FILE… ».",
            ),
            path=path,
        )
    if exists:
        _check_folder(path)
        if create and path.stat().st_size == 0:
            os.chmod(path, 0o600)  # `touch etude.tzq` then init: transcripts are personal data
        if not create and path.stat().st_size == 0:  # SQLite would quietly make it a database
            raise ProjectError(
                Text("ce fichier est vide : ce n'est pas un projet tzcld-qual.", "this file is empty: not a project."),
                Text(
                    "Vérifiez le chemin, ou créez-y un projet : « tzcld-qual init {path} » ou « tzcld-qual import "
                    "{path} DOSSIER ». Le fichier n'a pas été modifié.",
                    "Check the path, or make it a project: « tzcld-qual init {path} » or « tzcld-qual import "
                    "{path} FOLDER ». The file was not changed.",
                ),
                path=path,
            )
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Transcripts are personal data: the project file is readable by its owner only.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if exists and version == 0 and app_id == 0 and _has_tables(conn):
            raise _not_a_project(path)
        if exists and app_id not in (0, APPLICATION_ID):
            raise _not_a_project(path)
        if version > SCHEMA_VERSION:
            raise ProjectError(
                Text(
                    "ce projet vient d'une version plus récente de tzcld-qual (schéma {found}, "
                    "cette version connaît {known}).",
                    "this project comes from a newer tzcld-qual (schema {found}, this version knows {known}).",
                ),
                Text(
                    "Mettez tzcld-qual à jour ; le fichier n'a pas été modifié.",
                    "Upgrade tzcld-qual; the file was not changed.",
                ),
                path=path,
                found=version,
                known=SCHEMA_VERSION,
            )
        if exists and version < SCHEMA_VERSION and not _writable(path):
            raise ProjectError(  # was « illisible ou corrompu (attempt to write a readonly database) »
                Text(
                    "ce projet doit être mis à jour pour cette version de tzcld-qual (schéma {found} → {known}), "
                    "mais le fichier ou son dossier n'est pas modifiable.",
                    "this project must be upgraded for this tzcld-qual (schema {found} → {known}), but the file "
                    "or its folder cannot be written.",
                ),
                Text(
                    "Rendez-les modifiables (chmod u+w) ou travaillez sur une copie ; le fichier n'a pas été modifié.",
                    "Make them writable (chmod u+w) or work on a copy; the file was not changed.",
                ),
                path=path,
                found=version,
                known=SCHEMA_VERSION,
            )
        if exists and version < SCHEMA_VERSION and conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("PRAGMA quick_check failed")  # never migrate a damaged file
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        if version < SCHEMA_VERSION:
            migrate(conn, version)
        return conn
    except sqlite3.DatabaseError as exc:
        conn.close()
        if _NOT_A_DATABASE in str(exc) and not _sqlite_header(path):
            raise _not_a_project(path) from None
        if "readonly" in str(exc).lower():  # was « illisible ou corrompu » for a sound file
            raise _read_only_folder(path) from None
        raise _corrupt(path, exc) from None
    except BaseException:
        conn.close()
        raise


def is_database(path: Path) -> bool:
    """Whether the file at ``path`` is an SQLite database (a project: never overwrite it), asked
    of SQLite itself. Reading its header with ``open()`` and closing it would drop every SQLite
    lock this process holds on the file (POSIX locks belong to the process, not to the handle):
    another process could then checkpoint and delete the write-ahead log under a live connection,
    which corrupted a project during a retrain."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return True  # unreadable here: not to be overwritten either
    try:
        conn.execute("PRAGMA schema_version").fetchone()
        return True
    except sqlite3.DatabaseError as exc:
        refused = _NOT_A_DATABASE in str(exc)
    finally:
        conn.close()
    # SQLite refuses a damaged header too: a project all the same, never to be overwritten
    return not refused or _sqlite_header(path)


def migrate(conn: sqlite3.Connection, from_version: int) -> None:
    """Apply every migration above ``from_version``, each in its own transaction."""
    for version in sorted(v for v in MIGRATIONS if v > from_version):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {version}")
            if version == 1:
                conn.execute("INSERT INTO meta VALUES ('created_at', ?)", (now(),))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: the write lock is taken up front so two writers queue
    on the busy timeout instead of failing half-way; nested use joins the outer transaction."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _check_folder(path: Path) -> None:
    if path.is_dir():
        raise ProjectError(
            Text("c'est un dossier, pas un fichier projet.", "this is a folder, not a project file."),
            Text(
                "Donnez le chemin d'un fichier, par exemple projet.tzq.", "Give a file path, for example project.tzq."
            ),
            path=path,
        )
    # The header is read by SQLite, never with ``open()`` while it may be in use: see :func:`is_database`.


def _sqlite_header(path: Path) -> bool:
    """Whether a file SQLite refused starts like a database (then it is a damaged one): read only
    once SQLite has said it is none, so no working connection can lose its locks."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _writable(path: Path) -> bool:
    """A migration writes the file and its WAL beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0


def _not_a_project(path: Path) -> ProjectError:
    return ProjectError(
        Text("ce fichier n'est pas un projet tzcld-qual.", "this file is not a tzcld-qual project."),
        Text("Vérifiez le chemin ; le fichier n'a pas été modifié.", "Check the path; the file was not changed."),
        path=path,
    )


def _read_only_folder(path: Path) -> ProjectError:
    return ProjectError(
        Text(
            "le projet ne peut pas être ouvert : son dossier n'est pas modifiable, et SQLite y tient ses "
            "fichiers de travail (-wal, -shm) même pour lire. Le fichier n'est pas en cause.",
            "the project cannot be opened: its folder is not writable, and SQLite keeps its work files "
            "(-wal, -shm) there even to read. The file itself is fine.",
        ),
        Text(
            "Rendez le dossier modifiable (chmod u+w), ou copiez le projet dans un dossier à vous.",
            "Make the folder writable (chmod u+w), or copy the project to a folder of yours.",
        ),
        path=path,
    )


def _corrupt(path: Path, exc: Exception) -> ProjectError:
    return ProjectError(
        Text("fichier projet illisible ou corrompu ({why}).", "unreadable or corrupt project file ({why})."),
        Text(
            "Cette commande ne l'a pas modifié. Reprenez une copie du projet si vous en avez une (un projet est "
            "un seul fichier : copiez-le pour l'archiver).",
            "This command did not change it. Go back to a copy of the project if you have one (a project is one "
            "file: copy it to archive it).",
        ),
        path=path,
        why=str(exc),
    )


def database_error(exc: sqlite3.DatabaseError, path: Path | None) -> ProjectError | None:
    """What SQLite's refusal means for the analyst, once the project is open: a read-only file
    or folder, another program holding the write lock past the busy timeout, a damaged file.
    None for anything else (a bug: it keeps its traceback)."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        problem = Text(
            "le projet est en lecture seule (le fichier ou son dossier) : la dernière opération n'a pas été "
            "enregistrée.",
            "the project is read-only (the file or its folder): the last operation was not saved.",
        )
        fix = Text(
            "Rendez-le modifiable, ou travaillez sur une copie dans un dossier à vous.",
            "Make it writable, or work on a copy in a folder of yours.",
        )
    elif "database is locked" in text or "database is busy" in text:  # not "table is locked": a bug
        problem = Text(
            "le projet est occupé par un autre programme depuis plus de {seconds} s (une autre commande "
            "tzcld-qual, la revue, ou un outil SQLite) : la dernière opération n'a pas été enregistrée.",
            "the project has been held by another program for over {seconds} s (another tzcld-qual "
            "command, the review, or an SQLite tool): the last operation was not saved.",
        )
        fix = Text(
            "Relancez quand il a fini : une commande interrompue reprend où elle s'est arrêtée.",
            "Run it again when it has finished: an interrupted command resumes where it stopped.",
        )
    elif "database or disk is full" in text:
        problem = Text(
            "disque plein : la dernière opération n'a pas été enregistrée.",
            "disk full: the last operation was not saved.",
        )
        fix = Text(
            "Libérez de la place, puis relancez : une commande interrompue reprend où elle s'est arrêtée.",
            "Free some space, then run it again: an interrupted command resumes where it stopped.",
        )
    elif "malformed" in text or "not a database" in text:
        problem = Text("fichier projet endommagé ({why}).", "damaged project file ({why}).")
        fix = Text(
            "Reprenez la copie la plus récente du fichier .tzq si vous en avez une ; « sqlite3 PROJET .recover » "
            "peut sauver ce qui se lit encore.",
            "Go back to the latest copy of the .tzq file if you have one; « sqlite3 PROJECT .recover » can save "
            "what can still be read.",
        )
    else:
        return None
    return ProjectError(problem, fix, path=path, seconds=BUSY_TIMEOUT_MS // 1000, why=str(exc))
