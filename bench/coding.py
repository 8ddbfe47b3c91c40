"""Benchmark of the coding engine on the demo corpus replicated to ~20,000 segments.

Prints, from one run: raw encode throughput of the embedding model alone (every segment, or
every n-th with ``--raw-share``, in the pipeline's batch size), end-to-end ``code`` throughput
(import excluded, embeddings not cached), their ratio (target ≥ 0.85), the same ratio from CPU
seconds (the model's in the raw encodes before and after the run, on average, over the model's
plus this process's in the ``code`` run: both keep the two cores busy, so this is the ratio, less
moved by what else loads a shared machine between the timings), the seconds its own stages took
beside the model (lexicon, coders, explanations, cache writes), a re-run with a warm cache
(target < 5 % of the first run), and peak RSS (target < 2.5 GB).

Fitting the model is a cost per training set, not per segment: it is timed on its own, before
the run, in a private engine cache (so it is always a real fit); the run then loads that model as
any later ``code`` on the same training material does.

    .venv/bin/python bench/coding.py [--segments 20000] [--raw-share 0.25]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_project(path: Path, target: int) -> int:
    """The demo corpus imported once, then its documents copied with a round tag until ``target``
    respondent segments; each copy's texts get a distinct suffix so nothing hits the cache."""
    from tzcld_qual.model import Role
    from tzcld_qual.segment import Segmenter, SpacySentenceSplitter
    from tzcld_qual.services.importing import import_files
    from tzcld_qual.store import NewSegment, ProjectStore

    import_files(
        path,
        [ROOT / "corpora" / "demo"],
        Segmenter(SpacySentenceSplitter()),
        attributes_csv=ROOT / "corpora" / "demo" / "attributes.csv",
    )
    with ProjectStore(path) as store:
        docs = store.documents.list()
        originals = {d.id: store.documents.segments(document_id=d.id) for d in docs}
        respondent = store.documents.count_segments(Role.RESPONDENT)
        copy = 0
        while respondent < target:
            copy += 1
            with store.transaction():
                for doc in docs:
                    suffix = f" (copie {copy})"
                    segs, text = [], ""
                    for s in originals[doc.id]:
                        start = len(text)
                        body = s.text + (suffix if s.role is Role.RESPONDENT else "")
                        text += body + "\n"
                        segs.append(NewSegment(s.turn, s.speaker, s.role, start, start + len(body), body))
                    store.documents.add(
                        name=f"copie{copy}-{doc.name}",
                        source_path="bench",
                        content_hash=f"{copy}{doc.id}",
                        text=text,
                        attributes={**doc.attributes, "round": f"copie {copy}"},
                        speakers=doc.speakers,
                        source_format="txt",
                        segments=segs,
                    )
                    respondent += sum(1 for s in segs if s.role is Role.RESPONDENT)
        return respondent


class _StageTimes:
    """Time spent in the pipeline's own stages during a run (wrapping their methods while in the
    ``with`` block), to show where the time beyond the model goes."""

    def __init__(self) -> None:
        from tzcld_qual.coders.embedding import EmbeddingCoder
        from tzcld_qual.coders.ensemble import EnsembleCoder
        from tzcld_qual.coders.lexicon import LexiconCoder
        from tzcld_qual.coders.supervised import SupervisedCoder
        from tzcld_qual.store.codings import CodingRepo
        from tzcld_qual.store.embeddings import EmbeddingRepo

        self.targets = [
            ("lexicon", LexiconCoder, "predict_proba"),
            ("embedding coder", EmbeddingCoder, "predict_proba"),
            ("supervised", SupervisedCoder, "predict_proba"),
            ("explanations", EnsembleCoder, "explain"),
            ("vector cache", EmbeddingRepo, "put"),
            ("score writes", CodingRepo, "put_scores"),
        ]
        self.seconds = {name: 0.0 for name, _cls, _attr in self.targets}
        self.saved: list[tuple[type, str, object]] = []

    def __enter__(self) -> _StageTimes:
        for name, cls, attr in self.targets:
            original = getattr(cls, attr)
            self.saved.append((cls, attr, original))

            def timed(*args: object, _original: Any = original, _name: str = name, **kwargs: object) -> object:
                t0 = time.perf_counter()
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.seconds[_name] += time.perf_counter() - t0

            setattr(cls, attr, timed)
        return self

    def __exit__(self, *exc: object) -> None:
        for cls, attr, original in self.saved:
            setattr(cls, attr, original)

    def summary(self) -> str:
        return ", ".join(f"{name} {s:.1f}" for name, s in self.seconds.items())


def _import_libraries() -> None:
    """Import excluded from the timings, as the target says: the libraries ``code`` imports
    when its model loads (the workers import theirs when they start)."""
    import scipy.optimize  # noqa: F401
    import sklearn.linear_model  # noqa: F401
    import spacy  # noqa: F401


def _children_cpu() -> float | None:
    """CPU seconds used so far by this process's live children (the encoding workers), from
    ``/proc`` (``None`` where there is none)."""
    import os

    try:
        pids = [pid for task in os.listdir("/proc/self/task")
                for pid in Path(f"/proc/self/task/{task}/children").read_text().split()]
        ticks = 0
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def _encode_all(embedder: Any, texts: list[str]) -> float:
    """Seconds the model alone takes on ``texts``, in the pipeline's batch size: with worker
    processes every batch is handed out first, so the workers are never idle."""
    t = time.perf_counter()
    chunks = [texts[start : start + 256] for start in range(0, len(texts), 256)]
    if hasattr(embedder, "submit"):
        for pending in [embedder.submit(chunk) for chunk in chunks]:
            pending.result()
    else:
        for chunk in chunks:
            embedder.encode(chunk)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--segments", type=int, default=20_000)
    parser.add_argument(
        "--raw-share", type=float, default=1.0,
        help="encode every n-th segment in the raw encodes (0.25: every 4th), to save time: a "
        "throughput, from texts of the same length mix; the end-to-end run always codes them all",
    )
    args = parser.parse_args()
    from tzcld_qual.embed_workers import ParallelEmbedder
    from tzcld_qual.model import Role
    from tzcld_qual.services.coding import code_project, engine_plan, fit_engine
    from tzcld_qual.services.embeddings import make_embedder
    from tzcld_qual.store import ProjectStore

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TZCLD_QUAL_CACHE_DIR"] = str(Path(tmp) / "cache")  # fitted engines: a private cache
        project = Path(tmp) / "bench.tzq"
        n = build_project(project, args.segments)
        fit_copy = Path(tmp) / "fit.tzq"
        shutil.copyfile(project, fit_copy)
        with ProjectStore(project) as store:
            texts = [s.text for s in store.documents.segments(role=Role.RESPONDENT)]
        print(f"project: {n} respondent segments")
        step = max(1, round(1 / args.raw_share)) if 0 < args.raw_share < 1 else 1
        raw_texts = texts[::step]
        if step > 1:
            print(f"raw encodes on every {step}th segment: {len(raw_texts)} texts")

        _import_libraries()
        single = make_embedder()
        single.encode(["échauffement"])  # load the model outside the timings
        one = len(raw_texts) / _encode_all(single, raw_texts)
        print(f"raw encode, model in this process ({single.threads} BLAS threads): {one:.0f} segments/s")

        with ParallelEmbedder(single.model, workers=0, batch_size=single.batch_size) as pool:
            pool.encode(["échauffement"] * 2 * pool.workers)  # both workers loaded, outside the timings
            raw_cpu = _children_cpu()
            before = len(raw_texts) / _encode_all(pool, raw_texts)
            raw_cpu = None if raw_cpu is None else (_children_cpu() or 0.0) - raw_cpu
            print(
                f"raw encode, model in {pool.workers} worker processes (1 BLAS thread each, as `code` runs "
                f"it): {before:.0f} segments/s = {before / one:.2f}× one process"
            )
            with ProjectStore(fit_copy) as store:  # a copy: the project's vector cache stays cold
                t = time.perf_counter()
                plan = engine_plan(store, pool)
                engine = fit_engine(store, pool, plan)
                print(
                    f"model fit on {len(plan.data)} training items (once per training set, before the run): "
                    f"{time.perf_counter() - t:.1f} s"
                )
                del engine
            stages = _StageTimes()
            cpu = time.process_time()
            workers_cpu = _children_cpu()
            t = time.perf_counter()
            with stages:
                first = code_project(project, embedder=pool)
            first_s = time.perf_counter() - t
            cpu = time.process_time() - cpu
            workers_cpu = None if workers_cpu is None else (_children_cpu() or 0.0) - workers_cpu
            after_cpu = _children_cpu()
            after = len(raw_texts) / _encode_all(pool, raw_texts)
            if raw_cpu is not None and after_cpu is not None:  # the model's CPU: mean of both raw encodes
                raw_cpu = (raw_cpu + (_children_cpu() or 0.0) - after_cpu) / 2
                raw_cpu *= len(texts) / len(raw_texts)  # for every segment, as the run encodes
            raw = (before + after) / 2
            e2e = first.scored / first_s
            print(
                f"end-to-end code: {first.scored} segments in {first_s:.1f} s = {e2e:.0f} segments/s "
                f"({first.suggestions} suggestions)"
            )
            print(f"  raw encode in the workers again after the run: {after:.0f} segments/s")
            print(
                f"ratio end-to-end / raw encode in the workers (mean of before and after the run): "
                f"{e2e / raw:.2f} (target ≥ 0.85); against the model in one process: {e2e / one:.2f}"
            )
            if workers_cpu is not None and raw_cpu is not None:
                print(
                    f"CPU seconds: the model in the run {workers_cpu:.1f} (in the raw encodes before and "
                    f"after it {raw_cpu:.1f} on average), this process {cpu:.1f}; raw / (model + this process) = "
                    f"{raw_cpu / (workers_cpu + cpu):.2f}: the ratio with both cores busy throughout, "
                    f"less moved by what else loads the machine"
                )
            print(
                f"  this process: {cpu:.1f} s of CPU; seconds in the pipeline's stages: {stages.summary()}"
            )

            t = time.perf_counter()
            again = code_project(project, embedder=pool)
            warm_s = time.perf_counter() - t
            print(
                f"re-run with warm cache: {warm_s:.2f} s = {100 * warm_s / first_s:.1f} % of the first run "
                f"(target < 5 %), scored {again.scored}"
            )
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
        worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
        total = own + pool.workers * worker
        print(
            f"peak RSS: {own:.2f} GB this process, {worker:.2f} GB the largest worker; at most "
            f"{total:.2f} GB together (target < 2.5 GB)"
        )


if __name__ == "__main__":
    main()
