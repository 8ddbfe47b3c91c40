"""Benchmark of emergent themes (BERTopic) on ~20,000 respondent segments with cached embeddings.

Builds a project from the demo corpus, its respondent segments replicated with variations until
``--segments``: a different opening and closing word per copy, and one sentence borrowed from
another demo segment, so copies are not near-duplicates of each other (29 near-identical copies
would make every segment's nearest neighbours its own copies, which no real corpus looks like).
Every embedding is computed and cached first (not timed). Then times ``discover_topics`` in
fresh processes, so imports and UMAP's numba compilation count: once with the lemma cache cold
(on a new project), once warm (a re-fit). Prints wall time, peak RSS and the time of each stage
(targets: < 60 s, < 3 GB, on 2 cores).

    .venv/bin/python bench/topics.py [--segments 20000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OPENINGS = ("", "Alors ", "Bon, ", "Ben ", "Euh, ", "Oui, ")
CLOSINGS = ("", " Voilà.", " Hein.", " Vous voyez ?", " C'est ça.")


def build_project(path: Path, target: int) -> int:
    """The demo corpus imported once, then copies of its documents whose respondent segments get
    an opening/closing pair and a borrowed sentence per copy, until ``target`` respondent segments."""
    from tzcld_qual.model import Role
    from tzcld_qual.segment import Segmenter, SpacySentenceSplitter
    from tzcld_qual.services.importing import import_files
    from tzcld_qual.store import NewSegment, ProjectStore

    import_files(path, [ROOT / "corpora" / "demo"], Segmenter(SpacySentenceSplitter()),
                 attributes_csv=ROOT / "corpora" / "demo" / "attributes.csv")
    with ProjectStore(path) as store:
        docs = store.documents.list()
        originals = {d.id: store.documents.segments(document_id=d.id) for d in docs}
        respondent = store.documents.count_segments(Role.RESPONDENT)
        pool = [s for d in docs for seg in originals[d.id] if seg.role is Role.RESPONDENT
                for s in re.split(r"(?<=[.!?…])\s+", seg.text) if len(s.split()) >= 4]
        copy = 0
        while respondent < target:
            copy += 1
            opening, closing = OPENINGS[copy % len(OPENINGS)], CLOSINGS[(copy // len(OPENINGS)) % len(CLOSINGS)]
            with store.transaction():
                for doc in docs:
                    segs, text = [], ""
                    for i, s in enumerate(originals[doc.id]):
                        borrowed = pool[(s.id * 31 + i + copy * 17) % len(pool)]
                        body = f"{opening}{s.text} {borrowed}{closing}" if s.role is Role.RESPONDENT else s.text
                        if s.role is Role.RESPONDENT and respondent >= target:
                            continue
                        start = len(text)
                        text += body + "\n"
                        segs.append(NewSegment(s.turn, s.speaker, s.role, start, start + len(body), body))
                        respondent += s.role is Role.RESPONDENT
                    store.documents.add(name=f"copie{copy}-{doc.name}", source_path="bench",
                                        content_hash=f"{copy}-{doc.id}", text=text, attributes=doc.attributes,
                                        speakers=doc.speakers, source_format="txt", segments=segs)
        return respondent


def cache_embeddings(path: Path) -> tuple[int, float]:
    from tzcld_qual.embed import SentenceTransformerEmbedder
    from tzcld_qual.model import Role
    from tzcld_qual.services.embeddings import embed_texts
    from tzcld_qual.services.projects import current_codebook
    from tzcld_qual.store import ProjectStore
    from tzcld_qual.topics.describe import prototype_texts

    with ProjectStore(path) as store:
        texts = [s.text for s in store.documents.segments(role=Role.RESPONDENT)]
        texts += [t for c in current_codebook(store).codes for t in prototype_texts(c)]
        t = time.perf_counter()
        embed_texts(store, SentenceTransformerEmbedder(), texts)
        return len(texts), time.perf_counter() - t


def child(path: Path, refit: bool) -> None:
    """One timed topic run in this (fresh) process; prints a JSON line of figures."""
    start = time.perf_counter()
    stages: dict[str, float] = {}
    current = ["imports"]
    last = [start]

    def stage(message: str) -> None:  # the time spent in the stage that just ended
        now = time.perf_counter()
        stages[current[0]] = now - last[0]
        current[0], last[0] = message.split(" (")[0].rstrip("…"), now

    from tzcld_qual.embed import SentenceTransformerEmbedder
    from tzcld_qual.services.topics import discover_topics
    from tzcld_qual.store import ProjectStore
    from tzcld_qual.topics.representation import FrenchLemmatizer
    from tzcld_qual.topics.result import Scope, TopicParams

    stage("import bertopic")
    import bertopic  # noqa: F401  (imported by the run anyway: timed apart to read the figures)

    stage("open")
    with ProjectStore(path) as store:
        run = discover_topics(store, SentenceTransformerEmbedder(), FrenchLemmatizer(),
                              TopicParams(scope=Scope.ALL), refit=refit, progress=stage)
    stage("")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024  # the lemma process
    print(json.dumps({"seconds": time.perf_counter() - start, "peak_gb": peak, "worker_gb": worker, "run": run.id,
                      "topics": len(run.topics), "outliers": run.outliers, "segments": run.segments,
                      "min_size": run.params["min_size"],
                      "stages": {k[:30]: round(v, 1) for k, v in stages.items()}}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--segments", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the project in this folder")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--refit", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.refit)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        project = folder / "bench-topics.tzq"
        fresh = not project.exists()
        if fresh:
            n = build_project(project, args.segments)
            print(f"project: {n} respondent segments ({os.cpu_count()} cores)")
        count, seconds = cache_embeddings(project)
        print(f"embeddings cached first (not timed in the runs): {count} texts in {seconds:.0f} s")
        first = "first run (lemma cache cold)" if fresh else "first run (project reused: lemmas already cached)"
        for label in (first, "second run (lemmas cached)"):
            t = time.perf_counter()
            out = subprocess.run([sys.executable, __file__, "--child", str(project), "--refit"],
                                 capture_output=True, text=True, check=True)
            wall = time.perf_counter() - t
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{label}: {wall:.1f} s wall ({figures['seconds']:.1f} s in the run), peak RSS "
                  f"{figures['peak_gb']:.2f} GB (+ {figures['worker_gb']:.2f} GB in the lemma process; "
                  f"sum {figures['peak_gb'] + figures['worker_gb']:.2f} GB) — {figures['topics']} topics "
                  f"(min size {figures['min_size']}), "
                  f"{figures['outliers']} outliers of {figures['segments']} segments; stages {figures['stages']}")
        print("targets: < 60 s and < 3 GB per run on 2 cores")


if __name__ == "__main__":
    main()
