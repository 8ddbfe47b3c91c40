"""Shared helpers of the hardening tests (paths, byte-exact digests)."""

from __future__ import annotations

import hashlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"


def digest(path: Path) -> str | None:
    """The bytes of a project and its side files (-wal, -shm, -journal): "left untouched" means equal."""
    if not path.exists():
        return None
    h = hashlib.sha256(path.read_bytes())
    for suffix in ("-wal", "-shm", "-journal"):
        side = Path(f"{path}{suffix}")
        h.update(suffix.encode() + (side.read_bytes() if side.exists() else b"<none>"))
    return h.hexdigest()
