"""Sentence embeddings encoded in worker processes, one BLAS thread each, for large runs.

The USE model's matrices are small: on 2 cores a second BLAS thread makes it 1.15–1.3× faster,
a second *process* 1.6× (``bench/coding.py`` prints both); e5's engine runs as fast on two
processes of one thread as on one of two. So a run with thousands of new texts
shards each call over one worker per core, and hands out a :class:`Pending` result the caller can
collect later: the next batch is encoded while the caller codes this one. Small calls (a chat
question, one new interview) stay in-process: starting a worker costs seconds.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from tzcld_qual.embed import SentenceTransformerEmbedder
from tzcld_qual.errors import ModelError, Text

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    import numpy as np

# Below this many texts to encode, a run stays in-process (two workers take ~5 s to start).
PARALLEL_MIN = 2000


class Pending:
    """Vectors being encoded by the workers; :meth:`result` waits and puts rows back in order."""

    def __init__(self, shards: list[Future[np.ndarray]], count: int) -> None:
        self._shards = shards
        self._count = count

    def result(self) -> np.ndarray:
        import numpy as np

        try:
            parts = [shard.result() for shard in self._shards]
        except BrokenProcessPool:
            raise _worker_died() from None
        out = np.empty((self._count, parts[0].shape[1]), dtype=np.float32)
        for i, part in enumerate(parts):
            out[i :: len(parts)] = part
        return out


class ParallelEmbedder:
    """An :class:`~tzcld_qual.embed.Embedder` whose calls are shared out over worker processes.

    Each worker loads the same model as ``SentenceTransformerEmbedder(model, threads=1)``, so
    vectors and ``model_id`` are those of the in-process embedder. Workers start on the first
    call (or :meth:`start`) and stop at :meth:`close` (or the end of a ``with`` block); they
    ignore Ctrl-C, which the main process handles.
    """

    def __init__(self, model: str, *, workers: int = 0, batch_size: int = 64) -> None:
        self.model = model
        self.workers = workers or os.cpu_count() or 1
        self.batch_size = batch_size
        self.model_id = SentenceTransformerEmbedder(model).model_id
        self._pool: ProcessPoolExecutor | None = None
        self._dimension = 0

    @property
    def dimension(self) -> int:
        if not self._dimension:
            self._dimension = int(self.submit([""]).result().shape[1])
        return self._dimension

    def start(self) -> ParallelEmbedder:
        """Start the workers and have each load the model, without waiting for them."""
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor
            from multiprocessing import get_context

            SentenceTransformerEmbedder(self.model).check()  # a bad path is reported here, once
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=get_context("spawn"),  # no fork of a process holding SQLite and BLAS
                initializer=_start_worker,
                initargs=(self.model, self.batch_size),
            )
            for _ in range(self.workers):
                self._pool.submit(_encode, ["échauffement"])
        return self

    def submit(self, texts: Sequence[str]) -> Pending:
        """Start encoding ``texts``; one shard per worker, of interleaved texts so that a list
        sorted by length gives each worker the same amount of work."""
        pool = self.start()._pool
        assert pool is not None
        texts = list(texts)
        step = max(1, min(self.workers, len(texts)))
        try:
            shards = [pool.submit(_encode, texts[i::step]) for i in range(step)]
        except BrokenProcessPool:  # a worker died before this call
            raise _worker_died() from None
        return Pending(shards, len(texts))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self.submit(texts).result()

    def close(self, *, abort: bool = False) -> None:
        """Stop the workers once their current shard is encoded; ``abort``: at once, their work
        thrown away (Ctrl-C, an error: nobody will read it, and a shard of a 256-text batch of
        the default model takes ~30 s on 2 cores)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if abort:
            terminate = getattr(pool, "terminate_workers", None)  # Python ≥ 3.14
            if terminate is not None:
                terminate()
                return
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
        pool.shutdown(wait=not abort, cancel_futures=True)

    def __enter__(self) -> ParallelEmbedder:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self.close(abort=exc_type is not None)


def _worker_died() -> ModelError:
    """A worker killed from outside (out of memory): said as an error, not a traceback."""
    return ModelError(
        Text("un processus d'encodage s'est arrêté (mémoire insuffisante ?).",
             "an encoding worker process stopped (out of memory?)."),
        Text("Relancez la commande : le travail enregistré est conservé. Si cela se reproduit, mettez "
             "« workers = 1 » dans la section [embedder] de la configuration.",
             "Run the command again: saved work is kept. If it happens again, set « workers = 1 » in "
             "the [embedder] section of the configuration."),
    )


# -- in the worker processes -------------------------------------------------------------------
# A process pool's initializer can only leave its model where later calls find it: in the
# worker's module state. This dict lives in the workers; the main process never fills it.
_WORKER: dict[str, Any] = {}


def _start_worker(model: str, batch_size: int) -> None:
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    if hasattr(os, "SCHED_BATCH"):
        # Linux: a batch job, preempted less often by the main process (the TUI, the coders)
        # it shares the two cores with. bench/coding.py, the model's CPU seconds in the run
        # over those of the raw encode: 1.02–1.09 in four runs before, 0.97–1.05 in three after.
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    _WORKER["embedder"] = SentenceTransformerEmbedder(model, threads=1, batch_size=batch_size)


def _exit_with_parent() -> None:
    """A killed main process (``kill -9``, out of memory) cannot shut the pool down: without
    this the workers would live on, holding their model's memory, waiting for work."""
    from multiprocessing import parent_process
    from multiprocessing.connection import wait

    parent = parent_process()
    if parent is not None:
        wait([parent.sentinel])
        os._exit(0)


def _encode(texts: list[str]) -> np.ndarray:
    embedder: SentenceTransformerEmbedder = _WORKER["embedder"]
    return embedder.encode(texts)
