"""The only module that knows where things live on disk (XDG dirs, env overrides for tests)."""

from __future__ import annotations

import os
from pathlib import Path

APP = "tzcld-qual"


def _xdg(var: str, default: str) -> Path:
    return Path(os.environ.get(var) or Path.home() / default)


def config_dir() -> Path:
    """``$TZCLD_QUAL_CONFIG_DIR`` or ``$XDG_CONFIG_HOME/tzcld-qual``."""
    override = os.environ.get("TZCLD_QUAL_CONFIG_DIR")
    return Path(override) if override else _xdg("XDG_CONFIG_HOME", ".config") / APP


def config_file() -> Path:
    return config_dir() / "config.toml"


def state_dir() -> Path:
    """Logs and other per-user state: ``$TZCLD_QUAL_STATE_DIR`` or ``$XDG_STATE_HOME/tzcld-qual``."""
    override = os.environ.get("TZCLD_QUAL_STATE_DIR")
    return Path(override) if override else _xdg("XDG_STATE_HOME", ".local/state") / APP


def cache_dir() -> Path:
    """Fitted models and other derived data: ``$TZCLD_QUAL_CACHE_DIR`` or ``$XDG_CACHE_HOME/tzcld-qual``."""
    override = os.environ.get("TZCLD_QUAL_CACHE_DIR")
    return Path(override) if override else _xdg("XDG_CACHE_HOME", ".cache") / APP


def log_file() -> Path:
    return state_dir() / "tzcld-qual.log"


def repo_root() -> Path:
    """The source checkout (where ``codebooks/`` and ``corpora/`` live) when run from one."""
    return Path(__file__).resolve().parent.parent


def default_codebook() -> Path:
    """The TZCLD codebook: ``$TZCLD_QUAL_CODEBOOK`` or the checkout's ``codebooks/tzcld.yaml``."""
    override = os.environ.get("TZCLD_QUAL_CODEBOOK")
    return Path(override) if override else repo_root() / "codebooks" / "tzcld.yaml"


def gold_split(name: str) -> Path | None:
    """The checkout's gold ``train`` or ``dev`` split (``corpora/gold/<name>.jsonl``), if there:
    the models learn from ``train`` and report their score on ``dev``."""
    path = repo_root() / "corpora" / "gold" / f"{name}.jsonl"
    return path if path.is_file() else None


def make_private_dir(path: Path) -> Path:
    """Create a directory readable by the user only (transcripts are personal data)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
