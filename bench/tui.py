"""Review TUI bench: startup to first screen and key-to-render latency on a 50,000-segment project.

    .venv/bin/python bench/tui.py [--project /tmp/tzq-bench/bench.tzq] [--rebuild] [--keys 40]

Builds (once) a synthetic project through ProjectStore bulk inserts: 100 interviews of 500
segments (an interviewer question, then four answer segments, with long French lines), a model
run with thresholds and its scores and suggestions on every answer segment, and a few hundred
decisions of the coder. Then runs the real app headless (Textual's ``run_test``) in a fresh
process, as a user launching it would (bytecode cached as in an installed package: the child gets
``PYTHONPYCACHEPREFIX`` and a warm-up run), and prints:

- time from the process start to the first transcript drawn, split into importing
  ``tzcld_qual.tui.app`` and the app's own start (target < 1.5 s), with the CPU time it took
  (the wall time grows when other processes share the cores; the CPU time does not);
- latency from a key press to the transcript redrawn, for ``j`` (move) and ``a`` (a decision
  saved in a worker and redrawn) (target < 100 ms), median / p95 / max;
- for information: time to show the document list and to build the active-learning queue.
"""

from __future__ import annotations

import time

STARTED, STARTED_CPU = time.perf_counter(), time.process_time()  # as early as possible: the cold start

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CODER = "alice"
DOCS, SEGMENTS = 100, 500
CODES = [f"F{i}" for i in range(1, 9)]
WORDS = (
    "on",
    "a",
    "travaillé",
    "ensemble",
    "avec",
    "le",
    "comité",
    "local",
    "pour",
    "l'emploi",
    "et",
    "les",
    "personnes",
    "privées",
    "d'emploi",
    "ça",
    "m'a",
    "redonné",
    "confiance",
    "au",
    "début",
    "c'était",
    "difficile",
    "euh",
    "voilà",
    "l'entreprise",
    "à",
    "but",
    "d'emploi",
    "territoire",
    "élus",
    "réunion",
    "formation",
    "santé",
    "salaire",
    "collègues",
    "activités",
    "maraîchage",
    "recyclerie",
    "quartier",
)


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + rng.choice((".", " ?", ", voilà.", "…"))


def build(path: Path, seed: int = 7) -> float:
    """Create the synthetic project; returns the seconds it took."""
    from tzcld_qual.model import Role, Status, Suggestion
    from tzcld_qual.services.projects import init_project
    from tzcld_qual.store import NewRun, NewSegment

    started = time.perf_counter()
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store, version = init_project(path)
    with store:
        respondent: list[int] = []
        with store.transaction():
            for d in range(DOCS):
                text, segments, turn = "", [], -1
                for p in range(SEGMENTS):
                    interviewer = p % 5 == 0
                    if interviewer or p % 5 == 1:
                        turn += 1
                    speech = sentence(rng, rng.randint(8, 40 if not interviewer else 20))
                    start = len(text)
                    text += speech + "\n"
                    role = Role.INTERVIEWER if interviewer else Role.RESPONDENT
                    segments.append(
                        NewSegment(
                            turn,
                            "Enquêtrice" if interviewer else f"Personne {d:03d}",
                            role,
                            start,
                            start + len(speech),
                            speech,
                        )
                    )
                doc = store.documents.add(
                    name=f"entretien-{d:03d}.txt",
                    source_path=f"/bench/entretien-{d:03d}.txt",
                    content_hash=f"bench-{d}",
                    text=text,
                    attributes={
                        "role": rng.choice(("salarié·e EBE", "élu·e", "membre du CLE", "partenaire")),
                        "territory": rng.choice(("Les Coteaux", "Saint-Aubin", "Haut-Vallon")),
                        "round": rng.choice(("vague 1", "vague 2")),
                    },
                    speakers={"Enquêtrice": "interviewer", f"Personne {d:03d}": "respondent"},
                    source_format="txt",
                    segments=segments,
                )
                respondent += [s.id for s in store.documents.segments(document_id=doc.id, role=Role.RESPONDENT)]
        thresholds = {c: round(rng.uniform(0.4, 0.6), 2) for c in CODES}
        run = store.runs.register(NewRun("ensemble", "bench", version, {"thresholds": thresholds}))[0]
        for chunk in range(0, len(respondent), 5000):
            batch = respondent[chunk : chunk + 5000]
            scores = {s: {c: round(rng.betavariate(0.6, 2.2), 3) for c in CODES} for s in batch}
            suggestions = [
                Suggestion(s, c, v, f"expression « {c.lower()} » · exemple proche")
                for s, sc in scores.items()
                for c, v in sc.items()
                if v >= thresholds[c]
            ]
            store.codings.put_scores(run, scores, suggestions)
        store.set_meta("current_model", run)
        decided = rng.sample(respondent[: len(respondent) // 10], 300)
        store.codings.decide_many([(s, rng.choice(CODES), Status.ACCEPTED) for s in decided], CODER)
    return time.perf_counter() - started


def send_key(app, key: str) -> None:  # type: ignore[no-untyped-def]
    """What the terminal driver does on a key press (no test-harness waits in the measure)."""
    from textual import events

    event = events.Key(key, key)
    event.set_sender(app)
    app._driver.send_message(event)


def figures(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"median {statistics.median(ms):6.1f} ms · p95 {p95:6.1f} ms · max {ms[-1]:6.1f} ms (n={len(ms)})"


async def wait_for(condition, timeout: float = 30.0) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)
    return time.perf_counter() - started


async def measure(project: Path, keys: int) -> dict[str, object]:
    """Run in the child process: everything is timed from the process start."""
    t_import = time.perf_counter()
    from tzcld_qual.tui.app import ReviewApp
    from tzcld_qual.tui.screens.transcript import TranscriptScreen
    from tzcld_qual.tui.widgets.transcript import TranscriptView

    out: dict[str, object] = {"boot": t_import - STARTED, "import": time.perf_counter() - t_import}
    app = ReviewApp(project, CODER)
    t0 = time.perf_counter()
    async with app.run_test(size=(100, 30)) as pilot:

        def first_screen() -> bool:
            screen = app.screen
            if not isinstance(screen, TranscriptScreen) or not screen.loaded:
                return False
            return screen.query_one(TranscriptView).renders > 0 and screen.document is not None

        await wait_for(first_screen)
        out["first_screen"] = time.perf_counter() - t0
        out["startup"] = time.perf_counter() - STARTED
        out["startup_cpu"] = time.process_time() - STARTED_CPU
        screen = app.screen
        assert isinstance(screen, TranscriptScreen)
        view = screen.query_one(TranscriptView)
        await app.workers.wait_for_complete()  # the codebook, parsed after the first screen
        await pilot.pause(0.2)

        def rendered_after(count: int):  # type: ignore[no-untyped-def]
            return lambda: view.renders > count

        moves = []
        for _ in range(keys):
            t = time.perf_counter()
            send_key(app, "j")
            await wait_for(rendered_after(view.renders))
            moves.append(time.perf_counter() - t)
            await pilot.pause(0.02)
        out["j"] = moves

        decisions = []
        for _ in range(keys):
            changes = screen.changes
            t = time.perf_counter()
            send_key(app, "a")
            await wait_for(lambda c=changes: screen.changes > c)
            await wait_for(rendered_after(view.renders))
            decisions.append(time.perf_counter() - t)
            send_key(app, "j")
            await pilot.pause(0.02)
        out["a"] = decisions

        t = time.perf_counter()
        await pilot.press("D")
        await wait_for(lambda: getattr(app.screen, "loaded", False) and type(app.screen).__name__ == "DocumentsScreen")
        out["documents"] = time.perf_counter() - t
        await pilot.press("T")
        t = time.perf_counter()
        await pilot.press("Q")
        await wait_for(lambda: type(app.screen).__name__ == "QueueScreen" and app.screen.loaded)  # type: ignore[attr-defined]
        out["queue"] = time.perf_counter() - t
    return out


def child(project: Path, keys: int) -> None:
    print(json.dumps(asyncio.run(measure(project, keys))))


def run_child(project: Path, keys: int) -> dict[str, object]:
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(project.parent / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, __file__, "--child", "--project", str(project), "--keys", str(keys)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=Path("/tmp/tzq-bench/bench.tzq"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.project, args.keys)
        return 0
    if args.rebuild or not args.project.exists():
        seconds = build(args.project)
        print(f"project built in {seconds:.1f} s: {args.project}")
    from tzcld_qual.store import ProjectStore

    with ProjectStore(args.project) as store:
        segments = store.documents.count_segments()
        documents = store.documents.count()
    run_child(args.project, 2)  # warm-up: compiles the bytecode once, as an installation does
    out = run_child(args.project, args.keys)
    ms = {k: float(v) * 1000 for k, v in out.items() if isinstance(v, int | float)}
    load = os.getloadavg()[0]
    print(f"project: {documents} documents, {segments} segments · load average {load:.1f} on {os.cpu_count()} cores")
    print(f"interpreter + bench script   {ms['boot']:7.0f} ms")
    print(f"import tzcld_qual.tui.app    {ms['import']:7.0f} ms")
    print(f"app start → first transcript {ms['first_screen']:7.0f} ms")
    verdict = "ok" if ms["startup"] < 1500 else "MISSED"
    print(
        f"process start → first screen {ms['startup']:7.0f} ms wall, {ms['startup_cpu']:.0f} ms CPU "
        f"(target < 1500 ms: {verdict})"
    )
    for key in ("j", "a"):
        values = [float(v) for v in out[key]]  # type: ignore[attr-defined]
        verdict = "ok" if statistics.median(values) < 0.1 else "MISSED"
        print(f"key '{key}' → redrawn           {figures(values)}   (target < 100 ms: {verdict})")
    print(f"documents screen             {ms['documents']:7.0f} ms")
    print(f"active-learning queue        {ms['queue']:7.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
