"""Vectors of the bundled training texts, kept once per embedding model for all of a user's projects.

Every project fits its first model on the same bundled material (the shipped codebook's texts and
the gold ``train`` split, ~3,100 texts with the ``dev`` split it is scored on), which the default
embedder needs about three minutes to encode. These are the repository's own fictional texts, so
their vectors are kept in the user's private cache folder and reused by every later project, its
``retrain`` and ``evaluate``. Only texts of that bundled material are ever written there: a
project's segments, an analyst's decisions or a ``--train`` file stay in the project (or in
memory), whatever the caller passes.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from tzcld_qual import paths
from tzcld_qual.store import text_hash

if TYPE_CHECKING:
    import numpy as np

VERSION = 1


def bundled_hashes() -> frozenset[str]:
    """Hashes of the bundled texts a fit reads: every text of the shipped codebook's codes
    (examples, near misses, definitions, expressions: the sub-code prototypes embed the last two),
    and, when run from a checkout, the gold ``train`` split and the ``dev`` split each new model is
    scored on."""
    from tzcld_qual.codebook import load_codebook
    from tzcld_qual.services.training import default_gold_train, read_gold

    texts = [
        text
        for code in load_codebook(paths.default_codebook()).codes
        for text in (code.definition, *code.examples, *code.negatives, *code.expressions)
    ]
    for gold in (default_gold_train(), paths.gold_split("dev")):
        if gold is not None:
            texts += [r.text for r in read_gold(gold)]
    return frozenset(text_hash(t) for t in texts)


class SharedVectors:
    """The shared vectors of one embedding model, read from disk on first use."""

    def __init__(self, model_id: str, public: frozenset[str] | None = None) -> None:
        self.model_id = model_id
        self._public = public  # the hashes that may be stored; bundled_hashes() when None
        self._vectors: dict[str, np.ndarray] | None = None

    @property
    def path(self) -> Path:
        name = hashlib.sha256(self.model_id.encode()).hexdigest()[:16]
        return paths.cache_dir() / "vectors" / f"v{VERSION}-{name}.npz"

    def get(self, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        vectors = self._loaded()
        return {h: vectors[h] for h in hashes if h in vectors}

    def put(self, vectors: Mapping[str, np.ndarray]) -> None:
        """Keep the vectors of bundled texts among ``vectors``, the others are ignored."""
        if self._public is None:
            self._public = bundled_hashes()
        known = self._loaded()
        new = {h: v for h, v in vectors.items() if h in self._public and h not in known}
        if new:
            known.update(new)
            self._save(known)

    def _loaded(self) -> dict[str, np.ndarray]:
        if self._vectors is None:
            self._vectors = self._read()
        return self._vectors

    def _read(self) -> dict[str, np.ndarray]:
        """The file's vectors; a missing, corrupt or foreign file reads as empty (and the next
        save replaces it)."""
        import numpy as np

        try:
            with np.load(self.path, allow_pickle=False) as data:
                if str(data["model_id"]) != self.model_id:
                    return {}
                return dict(zip(data["hashes"].tolist(), data["vectors"], strict=True))
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # missing included
            return {}

    def _save(self, vectors: dict[str, np.ndarray]) -> None:
        """Write atomically with user-only permissions; a full disk only costs an encode next time."""
        import numpy as np

        path = self.path
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
        try:
            paths.make_private_dir(path.parent)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                np.savez(
                    handle,
                    model_id=np.array(self.model_id),
                    hashes=np.array(list(vectors)),
                    vectors=np.vstack(list(vectors.values())).astype(np.float32),
                )
            tmp.replace(path)
        except OSError:
            tmp.unlink(missing_ok=True)  # a full disk costs re-encoding next time, not a stray file
