"""Fitted engines kept in the user's private cache, keyed by their fingerprint.

Fitting the ensemble takes tens of seconds; the fingerprint covers everything a fit depends on
(training texts, labels and weights, codebook, parameters, embedding model), so a cached engine
is the engine a new fit would produce. The cache lives in the user's own ``0700`` folder and is
only ever written by this user's tzcld-qual (pickles are never read from a project file or any
shared place). A corrupt or stale entry is ignored and replaced.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

from tzcld_qual import paths

VERSION = 1


def _path(fingerprint: str) -> Path:
    return paths.cache_dir() / "engines" / f"v{VERSION}-{fingerprint}.pkl"


def has(fingerprint: str) -> bool:
    return _path(fingerprint).is_file()


def load(fingerprint: str) -> Any | None:
    path = _path(fingerprint)
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        path.unlink(missing_ok=True)
        return None


def save(fingerprint: str, engine: Any) -> None:
    """Write atomically with user-only permissions; a full disk only costs a refit next time."""
    path = _path(fingerprint)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        paths.make_private_dir(path.parent)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(engine, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a half-written engine would fill the disk a little more each run


def forget(fingerprints: list[str]) -> int:
    """Delete these engines (they hold their training texts: a pseudonymised project's models
    must not keep the original names in the cache); returns how many were there."""
    gone = 0
    for fingerprint in fingerprints:
        path = _path(fingerprint)
        if path.is_file():
            path.unlink(missing_ok=True)
            gone += 1
    return gone
