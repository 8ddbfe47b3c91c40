"""``ProjectStore``: the one API through which everything reads and writes a project file."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from tzcld_qual.store.chat import ChatRepo
from tzcld_qual.store.codebooks import CodebookRepo
from tzcld_qual.store.codings import CodingRepo
from tzcld_qual.store.connection import connect, transaction
from tzcld_qual.store.documents import DocumentRepo
from tzcld_qual.store.embeddings import EmbeddingRepo
from tzcld_qual.store.memos import MemoRepo
from tzcld_qual.store.runs import RunRepo
from tzcld_qual.store.topics import TopicRepo


class ProjectStore:
    """One SQLite file = one project. Open one store per unit of work and thread.

    Repositories share the store's connection: ``store.documents``, ``store.codings``,
    ``store.memos``, ``store.embeddings``, ``store.codebooks``, ``store.runs``, ``store.topics``,
    ``store.chat``.
    """

    def __init__(self, path: str | Path, *, create: bool = False) -> None:
        self.path = Path(path)
        self._conn = connect(self.path, create=create)
        self.documents = DocumentRepo(self._conn)
        self.codings = CodingRepo(self._conn)
        self.memos = MemoRepo(self._conn)
        self.embeddings = EmbeddingRepo(self._conn)
        self.codebooks = CodebookRepo(self._conn)
        self.runs = RunRepo(self._conn)
        self.topics = TopicRepo(self._conn)
        self.chat = ChatRepo(self._conn)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several repository writes into one atomic unit."""
        with transaction(self._conn):
            yield

    def meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @property
    def writable(self) -> bool:
        """Whether this process may write the project (the file and the folder of its -wal file)."""
        return os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)

    def integrity_check(self) -> str:
        return str(self._conn.execute("PRAGMA integrity_check").fetchone()[0])

    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """For the store's own repositories and migrations tests only."""
        return self._conn
