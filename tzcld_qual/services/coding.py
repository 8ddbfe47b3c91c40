"""Batch coding and retraining of a project.

``code_project`` scores every respondent segment that the current model has not scored yet, in
committed batches: a re-run with nothing new returns at once, an interrupted run resumes, and
human rows are never written. The current model is refitted deterministically from the training
snapshot recorded with its run (codebook version, gold train file, the decisions it learnt from),
so new rounds are coded by the very model that coded the previous ones. ``retrain`` makes a new
model from the analysts' decisions so far and re-scores every segment.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tzcld_qual.coders.base import Item
from tzcld_qual.errors import NotFoundError, Text, UsageError
from tzcld_qual.model import Role, Segment
from tzcld_qual.services import engine_cache
from tzcld_qual.services.calibration import ReviewOutcome, review_outcome
from tzcld_qual.services.embeddings import BatchVectors, embed_texts, run_embedder, sharing_cores
from tzcld_qual.services.engine import Engine, EngineParams, fingerprint
from tzcld_qual.services.model_change import why_new_model
from tzcld_qual.services.projects import current_codebook, find_document
from tzcld_qual.services.run_lock import model_run
from tzcld_qual.services.shared_vectors import SharedVectors
from tzcld_qual.services.training import (
    TrainingData,
    bundled_gold,
    decision_rows,
    disagreements,
    from_codebook,
    from_decisions,
    human_decisions,
    human_rows,
)
from tzcld_qual.store import NewRun, ProjectStore

Progress = Callable[[str, float], None]
Step = Callable[[str, int, int], None]  # (message, done, total) of a counted step
BATCH = 256


@dataclass(frozen=True, slots=True)
class CodeReport:
    model: str
    new_model: bool
    scored: int
    suggestions: int
    remaining: int
    per_code: dict[str, int]
    seconds: float
    examples: list[dict[str, Any]] = field(default_factory=list)
    previous: str | None = None  # the model current before the run, when ``model`` replaces it
    resumed: bool = False  # ``model`` was fitted by an earlier run that stopped before it was current
    why: tuple[str, ...] = ()  # what changed since ``previous``, in words (see model_change.why_new_model)


@dataclass(frozen=True, slots=True)
class RetrainReport:
    model: str
    previous: str | None
    decisions: int
    dev_before: float | None
    dev_after: float | None
    rescored: int
    previous_review: ReviewOutcome | None = None  # how analysts judged the previous model's suggestions
    new_model: bool = True  # False: the same training material as an existing model, which is reused
    disagreements: int = 0  # (segment, code) pairs analysts decided both ways: not learnt
    dev_size: int | None = None  # dev answers both figures are measured on
    dev_left_out: int = 0  # dev answers analysts decided: learnt from, so left out of the measure
    # How ``dev_before`` was had: "same" (previous model on the same dev answers), "stored" (its
    # own score, on the dev answers it had not learnt), "no_encoder" (its encoder's vectors are
    # not to be had: no figure), None (no previous model, or no figure stored).
    dev_before_basis: str | None = None
    why: tuple[str, ...] = ()  # what changed since ``previous``, when ``new_model``


def select_segments(
    store: ProjectStore, *, round_name: str | None = None, documents: Sequence[str] | None = None
) -> list[Segment]:
    """Respondent segments of current documents, optionally of one round or some documents."""
    docs = store.documents.list()
    if documents:
        wanted = {doc.id: doc for doc in (find_document(store, name) for name in documents)}
        docs = list(wanted.values())  # a document named twice (stem and file name) is coded once
    if round_name is not None and not round_name.strip():
        raise UsageError(
            Text("--round est vide.", "--round is empty."),
            Text("Nommez une vague (--round « vague 2 ») ou omettez --round.", "Name a round or leave --round out."),
        )
    if round_name:
        key = _fold(round_name)
        docs = [d for d in docs if _fold(d.attributes.get("round", "")) == key]
        if not docs:
            rounds = sorted({d.attributes.get("round", "") for d in store.documents.list()} - {""})
            raise NotFoundError(
                Text("aucun document de la vague « {name} ».", "no document in round « {name} »."),
                Text("Vagues connues : {rounds}.", "Known rounds: {rounds}."),
                name=round_name,
                rounds=", ".join(rounds) or "—",
            )
    out: list[Segment] = []
    for doc in docs:
        out.extend(store.documents.segments(document_id=doc.id, role=Role.RESPONDENT))
    return out


def _fold(text: str) -> str:
    from tzcld_qual.folding import strip_accents

    return " ".join(strip_accents(text).lower().split())


def _training(store: ProjectStore, snapshot: list[list[Any]] | None) -> tuple[TrainingData, list[list[Any]]]:
    codebook = current_codebook(store)
    data = from_codebook(codebook) + bundled_gold(codebook.top_ids)
    # Read once: the decisions learnt from are exactly those recorded with the model, even if
    # an analyst decides meanwhile (the review screen retrains in the background).
    used = snapshot if snapshot is not None else decision_rows(store)
    decisions = from_decisions(store, codebook, only=used)
    # An analyst's decision on a segment that is also a bundled training example (the demo's
    # train split) replaces it: one label per text, and cross-validation never holds out a copy
    # of a text it trains on. The project's rule then holds for it as for any decided segment
    # (from_decisions: the codes the analyst applied are positive, the others negative unless a
    # suggestion of theirs awaits a decision), so a bundled label the analyst left unconfirmed
    # is dropped. Measured with 40 such decisions
    # agreeing with the gold labels: dev macro-F1 0.607 with both copies (cross-validated 0.700,
    # inflated), 0.622 with this.
    data = data.without(decisions.texts)
    return data + decisions, used


@dataclass(frozen=True, slots=True)
class EnginePlan:
    """What a model is fitted from, and its fingerprint (known before anything is fitted)."""

    params: EngineParams
    data: TrainingData
    # The human decisions it learns from, and the pending suggestions on their segments (learnt
    # as unknown): [segment, code, status, coder].
    used: list[list[Any]]
    fingerprint: str
    embedder_id: str = ""  # the encoder the model's vectors come from


def engine_plan(
    store: ProjectStore,
    embedder: Any,
    *,
    snapshot: list[list[Any]] | None = None,
    params: EngineParams | None = None,
) -> EnginePlan:
    """The project's training material for ``embedder``'s model (``snapshot``: only the
    decisions an earlier model learnt from)."""
    params = params or EngineParams()
    data, used = _training(store, snapshot)
    fp = fingerprint(data, store.codebooks.content() or "", params, embedder.model_id)
    return EnginePlan(params, data, used, fp, embedder.model_id)


def fit_engine(
    store: ProjectStore,
    embedder: Any,
    plan: EnginePlan,
    *,
    progress: Progress | None = None,
    on_step: Step | None = None,
) -> Engine:
    """The engine of ``plan``: from the user's cache when this very model was fitted before.
    ``on_step(message, done, total)``: the training texts encoded so far, when some are new (the
    first fit of the default model encodes ~2,900 of them, minutes on a laptop)."""

    shared = SharedVectors(embedder.model_id)

    def embed(texts: Sequence[str]) -> Any:
        return embed_texts(store, embedder, texts, shared=shared)

    engine = engine_cache.load(plan.fingerprint)
    if engine is None:
        from tzcld_qual.services.evaluation import dev_macro_f1

        if on_step:  # encoded here with a count, then read back from the project by the fit

            def encoded(done: int, total: int) -> None:
                on_step("encodage des textes d'entraînement", done, total)

            embed_texts(store, embedder, plan.data.texts, shared=shared, batch_size=128, progress=encoded)
        engine = Engine(current_codebook(store), plan.params, embed).fit(plan.data, progress)
        if progress:
            progress("mesure sur la partie dev", 1.0)
        engine.dev_macro_f1 = dev_macro_f1(engine, plan.data.texts)  # cached with the engine: once per model
        engine_cache.save(plan.fingerprint, engine)
    elif progress:
        progress("chargement du modèle", 0.0)
    engine.embed = embed
    return engine


def code_project(
    project: Path,
    *,
    round_name: str | None = None,
    documents: Sequence[str] | None = None,
    embedder: Any = None,
    progress: Progress | None = None,
    params: EngineParams | None = None,
    on_batch: Callable[[int, int], None] | None = None,
    on_step: Step | None = None,
) -> CodeReport:
    started = time.perf_counter()
    with ProjectStore(project) as store, model_run(project):
        targets = select_segments(store, round_name=round_name, documents=documents)
        if not targets and not store.documents.list():
            raise NotFoundError(
                Text("le projet n'a encore aucun entretien à coder.", "the project has no interview to code yet."),
                Text(
                    "Importez d'abord des transcriptions : tzcld-qual import {project} DOSSIER",
                    "Import transcripts first: tzcld-qual import {project} FOLDER",
                ),
                path=project,
                project=project,
            )
        current = store.meta("current_model")
        run = store.runs.get(current) if current else None
        codebook_version = store.codebooks.latest_version()
        if run and run["codebook_version"] == codebook_version:
            done = store.codings.scored_segments(current)  # type: ignore[arg-type]
            todo = [s for s in targets if s.id not in done]
            if not todo:
                remaining = _unscored(store, current) if round_name or documents else 0  # type: ignore[arg-type]
                return CodeReport(current, False, 0, 0, remaining, {}, time.perf_counter() - started)  # type: ignore[arg-type]
        if progress:
            progress("préparation : encodeur et données d'entraînement", 0.0)
        embedder, workers = run_embedder(store, [s.text for s in targets], embedder)
        with workers:
            snapshot = run["params"].get("decisions") if run and run["codebook_version"] == codebook_version else None
            plan = engine_plan(store, embedder, snapshot=snapshot, params=params)
            known = store.runs.find(plan.fingerprint)
            done = store.codings.scored_segments(known) if known else set()
            todo = [s for s in targets if s.id not in done]
            batches, vectors = _encoding(store, embedder, todo)  # workers encode while the model loads
            engine = fit_engine(store, embedder, plan, progress=progress, on_step=on_step)
            if progress:
                progress("encodage et codage", 0.0)
            if on_batch:
                on_batch(0, len(todo))  # the bar shows 0/N at once, not 0/? until the first batch
            origin, registered = _register(store, engine, plan, codebook_version or 0)
            # A model other than the current one is a change for the analyst, even when an
            # earlier run (a killed code, a failed retrain) had registered it already.
            new_model = registered or origin != current
            resumed = not registered and origin != current
            why = _why(store, run, plan) if new_model and run else ()
            report = _score(store, engine, origin, batches, vectors, on_batch)
            # Current once it has scored its selection: a run killed before leaves the previous
            # model's suggestions on screen, and the next run resumes this one by its fingerprint.
            put_in_service(store, origin)
        remaining = _unscored(store, origin) if round_name or documents else 0  # all were the targets
    return CodeReport(
        origin,
        new_model,
        report[0],
        report[1],
        remaining,
        report[2],
        time.perf_counter() - started,
        report[3],
        current if new_model else None,
        resumed,
        why,
    )


def _why(store: ProjectStore, previous: dict[str, Any], plan: EnginePlan) -> tuple[str, ...]:
    """Why ``plan``'s model replaces the one of run ``previous``, under the latest codebook."""
    version = store.codebooks.latest_version() or 0
    before = previous["codebook_version"]
    same = before == version or store.codebooks.content(before) == store.codebooks.content(version)
    return why_new_model(previous, plan, version, same_codebook=same)


def _unscored(store: ProjectStore, model: str) -> int:
    """Respondent segments of the project the model has not scored: outside a ``--round`` or
    ``--documents`` selection, they still show an older model's suggestions, if any."""
    done = store.codings.scored_segments(model)
    return sum(1 for s in select_segments(store) if s.id not in done)


def _register(store: ProjectStore, engine: Engine, plan: EnginePlan, codebook_version: int) -> tuple[str, bool]:
    fp, used = plan.fingerprint, plan.used
    run_params: dict[str, object] = {
        **plan.params.as_dict(),
        "thresholds": engine.thresholds,
        "decisions": used,
        "embedder": plan.embedder_id,  # scoring it again needs vectors of this very encoder
    }
    metrics: dict[str, object] = {"cv_macro_f1": _cv_macro(engine), "dev_macro_f1": engine.dev_macro_f1}
    origin, new = store.runs.register(NewRun("ensemble", fp, codebook_version, run_params, metrics))
    if not new:
        # The fingerprint covers the codebook's content: the same model under a later version of
        # the same codebook (loaded back) is current for it, and later runs keep reusing it.
        store.runs.set_codebook_version(origin, codebook_version)
    else:
        store.codings.log_event("tzcld-qual", "model", f"{origin} fitted ({human_decisions(used)} human decisions)")
    return origin, new


def put_in_service(store: ProjectStore, origin: str) -> None:
    """Make ``origin`` the current model, logging the change: agreement reads from the log which
    model's suggestions an analyst had on screen when deciding."""
    with store.transaction():
        if store.meta("current_model") != origin:
            store.codings.log_in_service(origin)
        store.set_meta("current_model", origin)


def _same_decisions(store: ProjectStore, run: dict[str, Any] | None) -> list[list[Any]] | None:
    """The decisions ``run`` learnt from, when the analysts' decisions are still those (same
    codebook): retrained on them, the model is that one again. Its record also holds the codes
    its predecessor suggested on decided segments (unknown, not negative), which change with
    every model: a retrain with no new decision made a new model each time, « 0.715 → 0.717 »."""
    if run is None or run["codebook_version"] != store.codebooks.latest_version():
        return None
    snapshot = run["params"].get("decisions")
    if not isinstance(snapshot, list):
        return None
    return snapshot if human_rows(snapshot) == human_rows(decision_rows(store)) else None


def _dev_before(
    store: ProjectStore, prev_run: dict[str, Any], engine: Engine, plan: EnginePlan
) -> tuple[float | None, str | None]:
    """The previous model's dev score on the answers the new one is scored on, and how it was
    had (see :attr:`RetrainReport.dev_before_basis`): each model's stored score leaves out the
    dev answers *it* trained on, and the new one has learnt from more decisions. From the fitted
    previous model when the user's cache still has it, scored on vectors of its own encoder
    (the configuration may have changed it since), else its stored score."""
    from tzcld_qual.services.evaluation import dev_macro_f1

    stored = prev_run["metrics"].get("dev_macro_f1")
    previous = engine_cache.load(str(prev_run["fingerprint"]))
    if previous is None or stored is None:
        return stored, None if stored is None else "stored"
    encoder = _encoder_of(store, prev_run, plan)
    if encoder is None:
        return None, "no_encoder"
    if encoder == plan.embedder_id:
        previous.embed = engine.embed
    else:
        embedder = _embedder_for(encoder)
        shared = SharedVectors(encoder)

        def embed(texts: Sequence[str]) -> Any:
            return embed_texts(store, embedder, texts, shared=shared)

        previous.embed = embed
    try:
        return dev_macro_f1(previous, plan.data.texts), "same"
    except _NoVectors:
        return None, "no_encoder"


def _encoder_of(store: ProjectStore, run: dict[str, Any], plan: EnginePlan) -> str | None:
    """The model id of the encoder ``run``'s model was fitted on. Runs record it; for one
    registered before they did, the encoder (the current one or the default) whose fingerprint
    of the run's training material is the run's, else ``None``."""
    recorded = run["params"].get("embedder")
    if isinstance(recorded, str):
        return recorded
    from tzcld_qual.embed import DEFAULT_MODEL, SentenceTransformerEmbedder

    params = run["params"]
    snapshot = params.get("decisions")
    if not isinstance(snapshot, list) or run["codebook_version"] != store.codebooks.latest_version():
        return None
    data, _used = _training(store, snapshot)
    content = store.codebooks.content() or ""
    try:
        old = EngineParams(
            coders=tuple(params["coders"]),
            folds=int(params["folds"]),
            random_state=int(params["random_state"]),
            lemmatizer=str(params["lemmatizer"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
    for candidate in (plan.embedder_id, SentenceTransformerEmbedder(DEFAULT_MODEL).model_id):
        if fingerprint(data, content, old, candidate) == run["fingerprint"]:
            return candidate
    return None


class _NoVectors(Exception):
    """Vectors of an encoder this installation cannot run (another version, a folder)."""


def _embedder_for(model_id: str) -> Any:
    """An embedder whose vectors are ``model_id``'s: a bundled model of the installed version,
    loaded only if a text is not cached; else one that only has the cached vectors."""
    from tzcld_qual.embed import SentenceTransformerEmbedder

    name = "+".join(
        part.partition("@")[0] + (f"*{weight}" if (weight := part.partition("*")[2]) else "")
        for part in model_id.split("+")
    )
    embedder = SentenceTransformerEmbedder(name)
    if embedder.parts is not None and embedder.model_id == model_id:
        return embedder
    return _CachedOnly(model_id)


@dataclass(frozen=True, slots=True)
class _CachedOnly:
    model_id: str

    def encode(self, texts: Sequence[str]) -> Any:
        raise _NoVectors(self.model_id)


def _dev_split_size(engine: Engine, trained_on: Sequence[str]) -> tuple[int, int] | None:
    """How many bundled dev answers a model's dev score is measured on, and how many are left
    out because analysts decided them (the model learnt them), as ``dev_macro_f1`` counts them."""
    from tzcld_qual.services.evaluation import dev_answers

    found = dev_answers(engine, trained_on)
    return None if found is None else (len(found[0]), found[1])


def _cv_macro(engine: Engine) -> float:
    """Macro-F1 of the ensemble's out-of-fold predictions on its own training data."""
    return round(float(engine.ensemble.cv_macro_f1_), 4)


def _encoding(
    store: ProjectStore, embedder: Any, todo: Sequence[Segment]
) -> tuple[list[Sequence[Segment]], BatchVectors]:
    """``todo`` in batches, and their vectors, whose encoding starts now."""
    batches = [todo[start : start + BATCH] for start in range(0, len(todo), BATCH)]
    return batches, BatchVectors(store, embedder, [[s.text for s in batch] for batch in batches])


def _score(
    store: ProjectStore,
    engine: Engine,
    origin: str,
    batches: Sequence[Sequence[Segment]],
    vectors: BatchVectors,
    on_batch: Callable[[int, int], None] | None,
) -> tuple[int, int, dict[str, int], list[dict[str, Any]]]:
    """Score each batch, committing its scores and suggestions before the next one."""
    total = sum(len(batch) for batch in batches)
    ctx = store.documents.questions([s.id for batch in batches for s in batch])
    per_code: Counter[str] = Counter()
    suggested = 0
    examples: list[dict[str, Any]] = []
    top_level = set(engine.codebook.top_ids)  # examples name findings, not sub-codes (ids need no dot)
    with sharing_cores(vectors.embedder):
        for batch, batch_vectors in zip(batches, vectors, strict=True):
            items = [
                Item(text=s.text, embedding=v, context=ctx.get(s.id, ""), key=str(s.id), group=s.document)
                for s, v in zip(batch, batch_vectors, strict=True)
            ]
            scores, suggestions = engine.score(items, [s.id for s in batch])
            store.codings.put_scores(origin, scores, suggestions)
            suggested += len(suggestions)
            per_code.update(s.code_id for s in suggestions)
            by_id = {s.id: s for s in batch}
            for s in suggestions:
                if len(examples) < 200 and s.code_id in top_level:
                    seg = by_id[s.segment_id]
                    examples.append(
                        {
                            "segment_id": s.segment_id,
                            "document": seg.document,
                            "code": s.code_id,
                            "confidence": s.confidence,
                            "text": seg.text,
                            "explanation": s.explanation.splitlines()[0],
                        }
                    )
            if on_batch:
                on_batch(len(batch), total)
    return total, suggested, dict(sorted(per_code.items())), examples


def retrain(
    project: Path,
    *,
    progress: Progress | None = None,
    embedder: Any = None,
    params: EngineParams | None = None,
    on_step: Step | None = None,
    on_batch: Callable[[int, int], None] | None = None,
) -> RetrainReport:
    """New model from every human decision so far; re-scores all respondent segments."""
    with ProjectStore(project) as store, model_run(project):
        previous = store.meta("current_model")
        prev_run = store.runs.get(previous) if previous else None
        previous_review = review_outcome(store, previous) if previous else None
        targets = select_segments(store)
        if progress:
            progress("préparation : encodeur et données d'entraînement", 0.0)
        embedder, workers = run_embedder(store, [s.text for s in targets], embedder)
        with workers:
            plan = engine_plan(store, embedder, snapshot=_same_decisions(store, prev_run), params=params)
            engine = fit_engine(store, embedder, plan, progress=progress, on_step=on_step)
            # Measured before the model is registered: a failure here leaves no run behind that a
            # later ``code`` would find by its fingerprint and take.
            dev_before, basis = _dev_before(store, prev_run, engine, plan) if prev_run else (None, None)
            origin, new_model = _register(store, engine, plan, store.codebooks.latest_version() or 0)
            run = store.runs.get(origin) or {}
            dev_after = run.get("metrics", {}).get("dev_macro_f1")
            dev_split = _dev_split_size(engine, plan.data.texts) if dev_after is not None else None
            done = store.codings.scored_segments(origin)
            todo = [s for s in targets if s.id not in done]
            if progress:
                progress("recodage", 0.0)
            if on_batch:
                on_batch(0, len(todo))
            scored, *_ = _score(store, engine, origin, *_encoding(store, embedder, todo), on_batch)
            put_in_service(store, origin)  # after scoring, as in code_project
            changed = new_model or origin != previous  # a re-run after a killed retrain: new to the analyst
            why = _why(store, prev_run, plan) if changed and prev_run else ()
    return RetrainReport(
        origin,
        previous,
        human_decisions(plan.used),
        dev_before,
        dev_after,
        scored,
        previous_review,
        changed,
        disagreements(plan.used, engine.codebook),
        dev_split[0] if dev_split else None,
        dev_split[1] if dev_split else 0,
        basis,
        why,
    )
