"""Summaries of a topic in embedding space: its centroid, its most typical segments, its nearest codes.

A code's *prototype* is the mean embedding of its definition and examples: comparing it with a
topic's centroid tells the analyst whether the topic restates an existing code or is new. Raw
cosines of the default embedder sit between 0.94 and 0.98 for every code and topic, which ranks
but tells nothing: all its vectors share one large direction. Both are compared without their
component along the clustered segments' mean direction; those cosines spread (about 0.1 for a
loose tie, 0.5 for a topic that restates a code) and only codes above 0 are named.
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


NEIGHBOURS_METHOD = "without-shared-direction-2"  # 2: coverage and phases stored
_FLAT = 1e-3  # a topic this close to the shared direction (every segment in one topic) points nowhere


def neighbours(
    center: np.ndarray, protos: Mapping[str, np.ndarray], n: int = 3, origin: np.ndarray | None = None
) -> tuple[tuple[str, float], ...]:
    """The ``n`` codes whose prototype is closest to ``center`` (cosine), nearest first; given
    ``origin`` (the mean of the clustered segments), compared without their component along it,
    and only codes with a positive cosine (none: the topic is near no code)."""
    import numpy as np

    if origin is None:
        scored = [(code, float(vec @ center)) for code, vec in protos.items()]
    else:
        center = _without(center, origin)
        if float(np.linalg.norm(center)) < _FLAT:
            return ()
        scored = [(code, similarity(center, vec, origin)) for code, vec in protos.items()]
        scored = [(code, sim) for code, sim in scored if sim > 0]
    scored.sort(key=lambda x: (-x[1], x[0]))
    return tuple((code, round(sim, 4)) for code, sim in scored[:n])


def similarity(center: np.ndarray, prototype: np.ndarray, origin: np.ndarray) -> float:
    """Cosine of ``center`` and ``prototype`` without their components along ``origin``."""
    return float(unit(_without(prototype, origin)) @ unit(_without(center, origin)))


def _without(vector: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """``vector`` (unit) minus its projection on ``direction``: what is left once the shared part is gone."""
    axis = unit(direction)
    return vector - float(vector @ axis) * axis
