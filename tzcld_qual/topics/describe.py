"""Summaries of a topic in embedding space: its centroid, its most typical segments, its nearest codes.

A code's *prototype* is the mean embedding of its definition and examples: comparing it with a
topic's centroid tells the analyst whether the topic restates an existing code or is new. Both
are compared as they differ from the clustered segments' mean: raw cosines of the default
embedder sit between 0.94 and 0.98 for every code and topic, which ranks but tells nothing;
centred, they spread (0.1 for a loose tie, 0.5 for a topic that restates a code).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from tzcld_qual.model import Code

if TYPE_CHECKING:
    import numpy as np


def unit(vector: np.ndarray) -> np.ndarray:
    import numpy as np

    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def centroid(embeddings: np.ndarray) -> np.ndarray:
    """L2-normalised mean of L2-normalised rows."""
    import numpy as np

    return unit(np.asarray(embeddings, dtype=np.float32).mean(axis=0)).astype(np.float32)


def typical(
    embeddings: np.ndarray, center: np.ndarray, keys: Sequence[int], texts: Sequence[str], n: int
) -> list[tuple[int, float]]:
    """The ``n`` rows closest to ``center`` as ``(key, cosine)``, one per distinct text, ties by key."""
    sims = embeddings @ center
    order = sorted(range(len(keys)), key=lambda i: (-round(float(sims[i]), 6), keys[i]))
    out: list[tuple[int, float]] = []
    seen: set[str] = set()
    for i in order:
        text = " ".join(texts[i].split()).lower()
        if text in seen:
            continue
        seen.add(text)
        out.append((keys[i], float(sims[i])))
        if len(out) == n:
            break
    return out


def prototype_texts(code: Code) -> list[str]:
    return [code.definition, *code.examples]


def prototypes(codes: Sequence[Code], vectors: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Prototype per code from the embeddings of its texts (``vectors``: text → embedding)."""
    import numpy as np

    return {c.id: unit(np.mean([vectors[t] for t in prototype_texts(c)], axis=0)).astype(np.float32)
            for c in codes}


def neighbours(
    center: np.ndarray, protos: Mapping[str, np.ndarray], n: int = 3, origin: np.ndarray | None = None
) -> tuple[tuple[str, float], ...]:
    """The ``n`` codes whose prototype is closest to ``center`` (cosine), nearest first; given
    ``origin`` (the mean of the clustered segments), the cosine of their differences from it."""
    if origin is not None:
        center = unit(center - origin)
        protos = {code: unit(vec - origin) for code, vec in protos.items()}
    scored = sorted(((code, float(vec @ center)) for code, vec in protos.items()), key=lambda x: (-x[1], x[0]))
    return tuple((code, round(sim, 4)) for code, sim in scored[:n])
