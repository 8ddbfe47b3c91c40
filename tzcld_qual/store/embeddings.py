"""Embedding cache: one float32 vector per (text hash, model id), computed once per project."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from tzcld_qual.store.connection import transaction

if TYPE_CHECKING:
    import numpy as np


class EmbeddingRepo:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def get(self, hashes: Sequence[str], model_id: str) -> dict[str, np.ndarray]:
        import numpy as np

        out: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        for i in range(0, len(unique), 900):
            chunk = unique[i : i + 900]
            sql = (
                f"SELECT text_hash, vector FROM embeddings WHERE model_id = ? "
                f"AND text_hash IN ({','.join('?' * len(chunk))})"
            )
            for text_hash, blob in self._conn.execute(sql, [model_id, *chunk]):
                out[text_hash] = np.frombuffer(blob, dtype=np.float32)
        return out

    def cached(self, hashes: Sequence[str], model_id: str) -> set[str]:
        """Which of ``hashes`` have a vector for ``model_id`` (without reading the vectors)."""
        out: set[str] = set()
        unique = list(dict.fromkeys(hashes))
        for i in range(0, len(unique), 900):
            chunk = unique[i : i + 900]
            sql = f"SELECT text_hash FROM embeddings WHERE model_id = ? AND text_hash IN ({','.join('?' * len(chunk))})"
            out.update(h for (h,) in self._conn.execute(sql, [model_id, *chunk]))
        return out

    def put(self, vectors: Mapping[str, np.ndarray], model_id: str) -> None:
        import numpy as np

        with transaction(self._conn):
            self._conn.executemany(
                "INSERT OR IGNORE INTO embeddings (text_hash, model_id, vector) VALUES (?, ?, ?)",
                [(h, model_id, np.asarray(v, dtype=np.float32).tobytes()) for h, v in vectors.items()],
            )

    def count(self, model_id: str | None = None) -> int:
        if model_id is None:
            return self._conn.execute("SELECT count(*) FROM embeddings").fetchone()[0]
        return self._conn.execute("SELECT count(*) FROM embeddings WHERE model_id = ?", (model_id,)).fetchone()[0]
