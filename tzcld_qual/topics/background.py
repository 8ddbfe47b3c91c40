"""Lemmatising in a second process while this one lays the segments out.

On a cold run over a large corpus, lemmas cost seconds of spaCy's French tokenizer set-up (its
exception patterns compile at import) plus a pass over every segment, and UMAP's layout runs on
one thread (a fixed ``random_state`` makes it single-threaded): on two cores the two fit side by
side. A thread would not do: both hold the GIL. Small batches and lemmatizers that cannot be
rebuilt in another process (a pipeline object handed in by a test) are lemmatised here, when
their result is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tzcld_qual.topics.representation import Lemmatizer, Token

# Below this many texts, starting a process (~1 s) and importing spaCy twice does not pay.
MIN_TEXTS = 2000


class BackgroundLemmas:
    """``lemmatizer.lemmatize(texts)``, started now, collected by :meth:`result`.

    Use as a context manager: leaving the block without :meth:`result` (an error, Ctrl-C)
    stops the process. If the process dies or fails, :meth:`result` lemmatises here instead, so
    a real error (a missing spaCy package) is raised as itself.
    """

    def __init__(self, lemmatizer: Lemmatizer, texts: Sequence[str], *, min_texts: int = MIN_TEXTS) -> None:
        self._lemmatizer = lemmatizer
        self._texts = list(texts)
        self._process: Any = None
        self._pipe: Any = None
        if len(self._texts) >= min_texts and getattr(lemmatizer, "portable", False):
            import multiprocessing

            # "spawn": a forked copy of a process holding torch and BLAS thread pools can hang.
            context = multiprocessing.get_context("spawn")
            self._pipe, sender = context.Pipe(duplex=False)
            self._process = context.Process(target=_lemmatize, args=(lemmatizer, self._texts, sender),
                                            name="tzcld-lemmas", daemon=True)
            self._process.start()
            sender.close()

    @property
    def in_background(self) -> bool:
        return self._process is not None

    def result(self) -> list[list[Token]]:
        if self._process is None:
            return self._lemmatizer.lemmatize(self._texts)
        try:
            status, value = self._pipe.recv()
        except (EOFError, OSError):
            status, value = "died", None
        finally:
            self.close()
        if status == "ok":
            return value
        return self._lemmatizer.lemmatize(self._texts)

    def close(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join(timeout=5)
            self._pipe.close()
            self._process = None

    def __enter__(self) -> BackgroundLemmas:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _lemmatize(lemmatizer: Lemmatizer, texts: list[str], sender: Any) -> None:
    """In the child process: one message, the lemmas or the failure. Silent: it shares the
    terminal with its parent (a TUI screen), which reports whatever matters."""
    import warnings

    warnings.simplefilter("ignore")
    try:
        sender.send(("ok", lemmatizer.lemmatize(texts)))
    except BaseException as exc:  # reported to the parent, which redoes the work
        sender.send(("failed", repr(exc)))
    finally:
        sender.close()
