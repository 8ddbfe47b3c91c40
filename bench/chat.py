"""Benchmark of the chat: time to answer each kind of question on a 50,000-segment project.

    .venv/bin/python bench/chat.py [--segments 50000] [--documents 100] [--project PATH] [--rebuild]

Builds (once, then reuses) a synthetic project through the store API: documents with role /
territory / round attributes, the TZCLD codebook, a current model with scores and suggestions,
thousands of human decisions, and segment embeddings cached under the real model's id (random
unit vectors: the search cost does not depend on their values). Then loads the real embedding
model (timed apart: "once models are loaded"), builds the persisted semantic index (timed apart,
once per project) and prints the time of ``services.chat.ask`` per question and per intent.
Target: every answer under 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tzcld_qual.codebook import load_codebook  # noqa: E402
from tzcld_qual.model import Role, Status, Suggestion  # noqa: E402
from tzcld_qual.store import NewRun, NewSegment, ProjectStore, text_hash  # noqa: E402

ROLES = [
    "salarié·e EBE",
    "personne privée durablement d'emploi",
    "membre du CLE",
    "élu·e",
    "partenaire",
    "équipe projet",
]
TERRITORIES = ["Les Coteaux-sur-Loire", "Saint-Aubin-les-Forges", "Haut-Vallon", "Villeneuve – quartier du Petit-Bois"]
ROUNDS = ["vague 1", "vague 2", "vague 3"]
PHRASES = [
    "avec le CDI je paie mes factures",
    "j'ai fait une formation grâce à l'EBE",
    "je me sens utile maintenant",
    "les voisins me regardent autrement",
    "au comité on décide ensemble",
    "j'avais honte d'être au chômage",
    "j'ai des collègues, je suis moins seule",
    "on a ouvert une épicerie pour le quartier",
    "la commune finance une partie du transport",
    "ma conseillère m'a orientée vers l'EBE",
    "je savais pas que j'avais droit à la mutuelle",
    "le chef d'équipe explique bien le travail",
]
QUESTIONS: list[tuple[str, str]] = [
    ("count", "Combien d'entretiens évoquent la sécurité financière ?"),
    ("count", "Quelle part des salariés parle de confiance en soi ?"),
    ("followup", "et chez les élus ?"),
    ("count", "how many interviews mention rights?"),
    ("count", "statistiques"),
    ("quotes", "Donne-moi 5 citations sur les droits à la formation"),
    ("quotes", "verbatims de PPDE sur le regard des autres"),
    ("compare", "Compare F5 entre salariés et PPDE"),
    ("compare", "F3 par territoire"),
    ("compare", "compare les codes par vague"),
    ("cooccurrence", "Quels codes apparaissent avec F4 ?"),
    ("search", "Qui parle de la honte d'être au chômage ?"),
    ("search", "qui parle de ses enfants chez les salariés ?"),
    ("why", "pourquoi le segment 1234 est-il codé F3 ?"),
    ("open_queue", "montre-moi les segments incertains en F2"),
    ("accept_batch", "accepte les suggestions F5 au-dessus de 0,9"),
    ("code_segment", "code le segment 1234 en F3.formation"),
    ("themes", "Quels thèmes émergent ?"),
    ("help", "aide"),
    ("unknown", "quel temps fait-il ?"),
]


def build(path: Path, segments: int, documents: int, model_id: str, dimension: int) -> None:
    import numpy as np

    rng = random.Random(7)
    vectors = np.random.default_rng(7)
    codebook_path = ROOT / "codebooks" / "tzcld.yaml"
    codebook = load_codebook(codebook_path)
    codes = [c.id for c in codebook.codes]
    per_document = segments // documents
    started = time.perf_counter()
    with ProjectStore(path, create=True) as store:
        store.codebooks.add(codebook, codebook_path.read_text(encoding="utf-8"), str(codebook_path))
        respondent_ids: list[int] = []
        hashes: list[str] = []
        for d in range(documents):
            text, new = "", []
            for i in range(per_document):
                interviewer = i % 5 == 0
                speaker = "Enquêtrice" if interviewer else ("R1" if i % 7 else "R2")
                speech = (
                    f"Question {d}-{i} ?" if interviewer else f"{rng.choice(PHRASES)}, {rng.choice(PHRASES)} ({d}-{i})."
                )
                start = len(text) + len(speaker) + 3
                text += f"{speaker} : {speech}\n"
                new.append(
                    NewSegment(
                        i,
                        speaker,
                        Role.INTERVIEWER if interviewer else Role.RESPONDENT,
                        start,
                        start + len(speech),
                        speech,
                    )
                )
            attributes = {
                "role": ROLES[d % len(ROLES)],
                "territory": TERRITORIES[d % len(TERRITORIES)],
                "round": ROUNDS[d % len(ROUNDS)],
            }
            with store.transaction():
                doc = store.documents.add(
                    name=f"bench-{d:03d}",
                    source_path=f"bench-{d:03d}.txt",
                    content_hash=str(d),
                    text=text,
                    attributes=attributes,
                    speakers={"Enquêtrice": "interviewer", "R1": "respondent", "R2": "respondent"},
                    source_format="txt",
                    segments=new,
                )
            for s in store.documents.segments(document_id=doc.id, role=Role.RESPONDENT):
                respondent_ids.append(s.id)
                hashes.append(text_hash(s.text))
        run = store.runs.register(
            NewRun("ensemble", "bench", codebook.version, {"thresholds": {c: 0.5 for c in codes}})
        )[0]
        scores, suggestions = {}, []
        for sid in respondent_ids:
            row = {c: round(rng.random() * 0.6, 3) for c in codes}
            for code in rng.sample(codes, 2):
                row[code] = round(0.5 + rng.random() * 0.5, 3)
                suggestions.append(Suggestion(sid, code, row[code], f"lexique : « {code} » ; exemple proche"))
            scores[sid] = row
        store.codings.put_scores(run, scores, suggestions)
        store.set_meta("current_model", run)
        decided = rng.sample(suggestions, min(8000, len(suggestions)))
        for start in range(0, len(decided), 1000):
            batch = decided[start : start + 1000]
            store.codings.decide_many(
                [(s.segment_id, s.code_id, Status.ACCEPTED if rng.random() < 0.8 else Status.REJECTED) for s in batch],
                "bench",
            )
        for start in range(0, len(hashes), 5000):
            chunk = hashes[start : start + 5000]
            matrix = vectors.standard_normal((len(chunk), dimension)).astype("float32")
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
            store.embeddings.put(dict(zip(chunk, matrix, strict=True)), model_id)
        print(
            f"built {path}: {store.documents.count_segments()} segments, {len(respondent_ids)} respondent, "
            f"{len(suggestions)} suggestions, {len(decided)} decisions in {time.perf_counter() - started:.0f} s"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--segments", type=int, default=50_000)
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--project", type=Path, default=Path("/tmp/tzcld-bench/chat-50k.tzq"))
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    from tzcld_qual.services.chat import ChatSession, ask
    from tzcld_qual.services.embeddings import make_embedder

    started = time.perf_counter()
    embedder = make_embedder()
    embedder.encode(["chargement"])
    print(f"embedding model {embedder.model_id} loaded in {time.perf_counter() - started:.1f} s")
    if args.rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.project}{suffix}").unlink(missing_ok=True)
    if not args.project.exists():
        args.project.parent.mkdir(parents=True, exist_ok=True)
        build(args.project, args.segments, args.documents, embedder.model_id, embedder.dimension)
    session = ChatSession(embedder)
    with ProjectStore(args.project) as store:
        index_started = time.perf_counter()
        session.index(store)
        print(f"semantic index ready in {time.perf_counter() - index_started:.1f} s (built once, then stored)")

    times: dict[str, list[float]] = {}
    print(f"\nmachine load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall time includes waiting)")
    print(f"{'intent':<13} {'wall ms':>7} {'cpu ms':>7}  question")
    for intent, question in QUESTIONS:
        begin, cpu = time.perf_counter(), time.process_time()
        answer = ask(args.project, question, coder="bench", session=session)
        elapsed, used = time.perf_counter() - begin, time.process_time() - cpu
        times.setdefault(intent, []).append(elapsed)
        flag = "" if elapsed < 1 else "  ← over 1 s"
        shown = answer.intent if intent != "followup" else "followup"
        print(f"{shown:<13} {elapsed * 1000:7.0f} {used * 1000:7.0f}  {question}{flag}")
    every = [t for ts in times.values() for t in ts]
    print(
        "\nper intent (mean wall ms): " + ", ".join(f"{i} {statistics.mean(ts) * 1000:.0f}" for i, ts in times.items())
    )
    print(
        f"all {len(every)} answers: mean {statistics.mean(every) * 1000:.0f} ms, max {max(every) * 1000:.0f} ms "
        f"({'under' if max(every) < 1 else 'OVER'} the 1 s target)"
    )
    return 0 if max(every) < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
