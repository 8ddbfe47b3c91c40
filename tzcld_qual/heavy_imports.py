"""spaCy without torch: the one place where spaCy and torch are first imported.

spaCy's thinc imports torch whenever it is installed (BERTopic needs it), only to support models
that wrap PyTorch, which the French pipelines are not. That cost every command that tokenises
(`import`, `code`, `retrain`, `evaluate`) about 185 MB and 2 s or more. spaCy is imported here
with torch hidden, and torch stays importable afterwards for BERTopic and sentence-transformers.
A lock orders the two, so a thread importing torch never sees it hidden by another importing spaCy.
"""

from __future__ import annotations

import sys
import threading
from types import ModuleType

_LOCK = threading.Lock()


def import_spacy() -> ModuleType:
    """The ``spacy`` module; the first import in a process leaves torch out if nothing loaded it."""
    with _LOCK:
        if "spacy" not in sys.modules and "torch" not in sys.modules:
            sys.modules["torch"] = None  # type: ignore[assignment]  # "import torch" raises ImportError
            try:
                import spacy as module
            finally:
                if "torch" in sys.modules and sys.modules["torch"] is None:
                    del sys.modules["torch"]
            return module
    import spacy as module

    return module


def import_torch() -> ModuleType:
    """The ``torch`` module: import it (or BERTopic, sentence-transformers) after calling this."""
    with _LOCK:
        import torch as module

    return module
