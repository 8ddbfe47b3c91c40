"""Emergent themes: find what the codebook misses (BERTopic) and turn a theme into a code.

API for the front ends (CLI ``topics``, TUI Themes screen, chat "crée un code à partir du thème 3").
Open one :class:`~tzcld_qual.store.ProjectStore` per call and thread, as everywhere:

``discover_topics(store, embedder, lemmatizer, params=TopicParams(), *, refit=False, progress=None) -> TopicRun``
    Cluster the respondent segments of ``params.scope`` (default ``Scope.LOW_CONFIDENCE``:
    no human-applied code and no current-model suggestion ≥ 0.5); ``params.min_size`` None
    means ``auto_min_size(n)`` (8, or n/35 on larger corpora), stored resolved in the run.
    Embeddings come from the project cache (computed only when missing), lemmas likewise.
    The run is saved as ``topics@N`` with its parameters and assignments; when an identical
    run (same segments, texts, parameters, models and codebook version) exists it is returned
    with ``reused=True`` unless ``refit``; so is the latest run when only its scope moved a
    little (:data:`NEAR_SCOPE`: a decision or two), with ``left``/``entered`` saying by how much,
    so that theme numbers hold. Each run also stores what « covered by the codebook » means in
    the project and which themes are phases of the interviews (``TopicRun.verdict``). Takes
    ~15–30 s the first time in a process (UMAP compilation): call it from a worker.
    ``embedder``: :class:`tzcld_qual.embed.SentenceTransformerEmbedder`;
    ``lemmatizer``: :class:`tzcld_qual.topics.representation.FrenchLemmatizer`.
``load_run(store, run_id=None) -> TopicRun``
    A stored run (the latest by default); raises :class:`NotFoundError` when there is none.
    Instant: use it to list topics (keyphrases, sizes, quotes, shares, nearest code).
``latest_run(store) -> TopicRun | None``, ``list_runs(store) -> list[dict]``
``continued_themes(store, run) -> dict[int, Continued]``
    Which theme of the run before each theme of ``run`` continues (a refit renumbers them).
``topic_segments(store, topic_id, *, run_id=None) -> list[tuple[Segment, float]]``
    Every segment of a topic (``-1``: the outliers) with its membership probability.
``promote_topic(store, topic_id, *, run_id=None, parent=None, code_id=None, label=None, analyst=None) -> Promotion``
    A new code (``T<n>``, or under ``parent`` ``<parent>.<label>``, else ``<parent>.<keyphrase>``;
    never an id the project used before, nor a label a code has) drafted from the topic,
    added to a new codebook version stored in the project (no YAML file on disk is changed),
    and suggested on the topic's segments by the model coder ``topics@N`` (the run id).
``scope_segments(store, scope, *, threshold=0.5) -> list[Segment]``

Values (``TopicRun``, ``Topic``, ``Quote``, ``Promotion``, ``TopicParams``, ``Scope``) live in
:mod:`tzcld_qual.topics.result`; ``TopicRun.as_dict()`` / ``Promotion.as_dict()`` give plain data.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from tzcld_qual.codebook import parse_codebook
from tzcld_qual.embed import Embedder
from tzcld_qual.errors import NotFoundError, ProjectError, Text, UsageError
from tzcld_qual.model import Codebook, Coding, Decision, Document, Role, Segment, Status, Suggestion
from tzcld_qual.services.embeddings import embed_texts
from tzcld_qual.store import CodingFilter, ProjectStore, text_hash
from tzcld_qual.store.topics import TopicRecord, TopicRepo, topic_repo
from tzcld_qual.topics import describe, promote
from tzcld_qual.topics.background import BackgroundLemmas
from tzcld_qual.topics.model import Clustering, fit_topics, reduce_embeddings
from tzcld_qual.topics.representation import WORD, Lemmatizer, Token, lemma_string, says_something, topic_keyphrases
from tzcld_qual.topics.result import (
    BREAKDOWN_ATTRIBUTES,
    OUTLIER,
    PHASE_SHARE,
    PHASE_TURNS,
    UNKNOWN,
    Promotion,
    Scope,
    Topic,
    TopicParams,
    TopicRun,
    auto_min_size,
)

if TYPE_CHECKING:
    import numpy as np

Progress = Callable[[str], None]


def scope_segments(store: ProjectStore, scope: Scope, *, threshold: float = 0.5) -> list[Segment]:
    """Respondent segments of current documents that a run on ``scope`` clusters (by id).

    Backchannel answers ("Ouais ouais, je sais.", "Oui. Oui, vu comme ça. [rires]") carry no
    theme: an audit found them gathered into a theme of their own, offered for promotion."""
    segments = sorted(
        (s for s in store.documents.segments(role=Role.RESPONDENT) if says_something(s.text)),
        key=lambda s: s.id,
    )
    if scope is Scope.ALL:
        return segments
    codings = store.codings.for_segments([s.id for s in segments])
    current = store.meta("current_model") if scope is Scope.LOW_CONFIDENCE else None
    out = []
    for seg in segments:
        rows: Sequence[Coding] = codings.get(seg.id, [])
        if any(c.status.applies for c in rows):
            continue
        if current and any(c.origin == current and c.status is Status.SUGGESTED and _sure(c.confidence, threshold)
                           for c in rows):
            continue
        out.append(seg)
    return out


def _sure(confidence: float | None, threshold: float) -> bool:
    """A suggestion at or above ``threshold``; one whose score a REFI-QDA file lost was made all the
    same (the model suggested it), so it is no low-confidence one (read as 0, 199 were)."""
    return confidence is None or confidence >= threshold


def discover_topics(
    store: ProjectStore,
    embedder: Embedder,
    lemmatizer: Lemmatizer,
    params: TopicParams | None = None,
    *,
    refit: bool = False,
    progress: Progress | None = None,
) -> TopicRun:
    """Fit (or reuse) a topic run on the segments of ``params.scope``; see the module docstring."""
    params = params or TopicParams()
    say = progress or (lambda _message: None)
    repo = topic_repo(store)
    segments = scope_segments(store, params.scope, threshold=params.low_confidence)
    size_given = params.min_size is not None
    if params.min_size is None:
        params = replace(params, min_size=auto_min_size(len(segments)))
    _check_enough(store, segments, params)
    codebook = store.codebooks.get()
    fingerprint = _fingerprint(segments, params, embedder.model_id, lemmatizer.analyzer_id, codebook)
    settings = _settings(params, embedder.model_id, lemmatizer.analyzer_id, codebook)
    if not refit:
        found = repo.find(fingerprint)
        if found is not None:
            say(f"Mêmes données et paramètres que {found} : thèmes repris sans recalcul.")
            run = repo.run(found)
            assert run is not None
            return _reused(run)
        near = _near_run(repo, segments, settings, params, size_given)
        if near is not None:
            say(f"Périmètre presque inchangé depuis {near.id} (sortis : {near.left}, entrés : {near.entered}) : "
                "thèmes repris sans recalcul, mêmes numéros.")
            return near
    import numpy as np

    texts = [s.text for s in segments]
    say(f"Embeddings de {len(texts)} segments (cache du projet)…")
    embeddings = embed_texts(store, embedder, texts)
    hashes = [text_hash(t) for t in texts]
    cached = {h: json.loads(v) for h, v in repo.lemmas(hashes, lemmatizer.analyzer_id).items()}
    missing = {h: t for h, t in zip(hashes, texts, strict=True) if h not in cached}
    with BackgroundLemmas(lemmatizer, list(missing.values())) as pending:  # lemmas while UMAP runs
        if missing and pending.in_background:
            say(f"Lemmes de {len(missing)} segments, dans un second processus…")
        say(f"Disposition des segments ({params.reduction.upper()})…")
        reduced = reduce_embeddings(embeddings, params)
        say("Lemmes des segments…")
        if missing:
            fresh = dict(zip(missing, pending.result(), strict=True))
            repo.put_lemmas({h: json.dumps(v, ensure_ascii=False) for h, v in fresh.items()}, lemmatizer.analyzer_id)
            cached.update(fresh)
    analyses = [[(str(w), int(a), int(b)) for w, a, b in cached[h]] for h in hashes]
    lemma_docs = [lemma_string(a) for a in analyses]
    if not any(lemma_docs):
        raise ProjectError(Text("aucun mot plein dans les segments à regrouper.",
                                "no content word in the segments to cluster."),
                           Text("Essayez « --scope all ».", "Try « --scope all »."))
    say(f"Regroupement en thèmes (HDBSCAN, taille minimale {params.min_size})…")
    clustering = fit_topics(lemma_docs, embeddings, params, embedding_model=_embedding_model(embedder),
                            reduced=reduced)
    say("Description des thèmes (citations, codes les plus proches)…")
    protos = _prototypes(store, embedder, codebook)
    records = _records(store, segments, embeddings, analyses, clustering, protos, params)
    say("Verdicts (couvert par le codebook, phase de l'entretien)…")
    origin = np.asarray(embeddings, np.float32).mean(axis=0)
    run_id = repo.add_run(
        fingerprint=fingerprint, scope=params.scope.value,
        params={**params.as_dict(), "settings": settings, "min_size_given": size_given,
                "coverage": _coverage(store, embedder, protos, origin, params),
                **_phases(store, segments, clustering.labels)},
        embedding_model=embedder.model_id, analyzer=lemmatizer.analyzer_id,
        codebook_version=codebook.version if codebook else None,
        assignments=[(s.id, t, p) for s, t, p in zip(segments, clustering.labels, clustering.probabilities,
                                                    strict=True)],
        topics=records,
    )
    run = repo.run(run_id)
    assert run is not None
    return run


CONTINUES = 0.5  # share of segments (of both themes together) from which a refit theme continues an older one


@dataclass(frozen=True, slots=True)
class Continued:
    run_id: str
    topic: int
    overlap: float  # Jaccard index of the two themes' segments


def continued_themes(store: ProjectStore, run: TopicRun) -> dict[int, Continued]:
    """For each theme of ``run``, the theme of the run just before it that holds mostly the same
    segments (:data:`CONTINUES`): a refit renumbers and reshapes themes (one segment fewer gave 5
    themes for 10 on the demo), and « thème 3 » of yesterday must be findable today."""
    repo = topic_repo(store)
    ids = [r["id"] for r in repo.runs()]
    if run.id not in ids or ids.index(run.id) == 0:
        return {}
    before = ids[ids.index(run.id) - 1]
    theirs: dict[int, set[int]] = defaultdict(set)
    for segment, (topic, _) in repo.assignments(before).items():
        if topic != OUTLIER:
            theirs[topic].add(segment)
    mine: dict[int, set[int]] = defaultdict(set)
    for segment, (topic, _) in repo.assignments(run.id).items():
        if topic != OUTLIER:
            mine[topic].add(segment)
    out = {}
    for topic, members in mine.items():
        scored = [(len(members & other) / len(members | other), t) for t, other in theirs.items()]
        best = max(scored, default=(0.0, OUTLIER), key=lambda x: (x[0], -x[1]))
        if best[0] >= CONTINUES:
            out[topic] = Continued(before, best[1], best[0])
    return out


def load_run(store: ProjectStore, run_id: str | None = None) -> TopicRun:
    repo = topic_repo(store)
    wanted = run_id or repo.latest()
    run = repo.run(wanted) if wanted else None
    if run is None:
        if run_id:
            raise NotFoundError(Text("calcul de thèmes « {run} » introuvable.", "topic run « {run} » not found."),
                                Text("Calculs enregistrés : {runs}.", "Stored runs: {runs}."), run=run_id,
                                runs=", ".join(r["id"] for r in repo.runs()) or "aucun")
        raise NotFoundError(Text("aucun thème n'a encore été calculé dans ce projet.",
                                 "no topics have been computed in this project yet."),
                            Text("Lancez « tzcld-qual topics {project} ».", "Run « tzcld-qual topics {project} »."),
                            project=store.path)
    return run


def latest_run(store: ProjectStore) -> TopicRun | None:
    repo = topic_repo(store)
    latest = repo.latest()
    return repo.run(latest) if latest else None


def list_runs(store: ProjectStore) -> list[dict[str, Any]]:
    return topic_repo(store).runs()


def topic_segments(store: ProjectStore, topic_id: int, *, run_id: str | None = None) -> list[tuple[Segment, float]]:
    """Every segment of one topic, most typical (highest probability) first."""
    run = load_run(store, run_id)
    _require_topic(run, topic_id, allow_outliers=True)
    assigned = topic_repo(store).assignments(run.id, topic_id)
    segments = {s.id: s for s in store.documents.segments(ids=list(assigned), current=False)}
    return sorted(((segments[i], p) for i, (_, p) in assigned.items() if i in segments),
                  key=lambda x: (-x[1], x[0].id))


def promote_topic(
    store: ProjectStore,
    topic_id: int,
    *,
    run_id: str | None = None,
    parent: str | None = None,
    code_id: str | None = None,
    label: str | None = None,
    analyst: str | None = None,
) -> Promotion:
    """Turn a topic into a code in a new, project-local codebook version, with suggestions."""
    repo = topic_repo(store)
    run = load_run(store, run_id)
    topic = _require_topic(run, topic_id, allow_outliers=False)
    if topic.promoted_code:
        raise ProjectError(
            Text("le thème {topic} de {run} est déjà devenu le code {code} (codebook v{version}).",
                 "topic {topic} of {run} is already code {code} (codebook v{version})."),
            Text("Relisez ce code dans le codebook, ou recalculez les thèmes.",
                 "Review that code in the codebook, or recompute the topics."),
            topic=topic_id, run=run.id, code=topic.promoted_code, version=topic.promoted_version)
    previous = store.codebooks.latest_version()
    content = store.codebooks.content(previous) if previous else None
    if previous is None or content is None:
        raise ProjectError(Text("ce projet n'a pas de codebook.", "this project has no codebook."), None)
    codebook = parse_codebook(content, "<projet>", strict=False)  # a stored version opens as it was accepted
    earlier = earlier_promotion(store, run.id, topic.id, codebook)
    if earlier is not None:
        raise ProjectError(
            Text(
                "le thème {topic} de {run} reprend le thème {other} de {other_run}, déjà devenu le code {code} "
                "({share} de leurs segments en commun) : un second code ferait doublon.",
                "topic {topic} of {run} is topic {other} of {other_run} again, already code {code} "
                "({share} of their segments shared): a second code would duplicate it.",
            ),
            Text(
                "Relisez le code {code} (tzcld-qual codebook show {project}) et codez avec lui.",
                "Review code {code} (tzcld-qual codebook show {project}) and code with it.",
            ),
            topic=topic.id,
            run=run.id,
            other=earlier.topic,
            other_run=earlier.run_id,
            code=earlier.code,
            share=f"{100 * earlier.overlap:.0f}\u00a0%",
            project=store.path,
        )
    code = promote.draft_code(topic, codebook, run.id, parent=parent, code_id=code_id, label=label,
                              taken=store.codebooks.used_ids() - {c.id for c in codebook.codes})
    comment = (f"Version locale au projet {store.path.name} : code {code.id} ajouté depuis le thème {topic.id} "
               f"({run.id}). Le fichier YAML d'origine n'est pas modifié.")
    yaml_text, new_codebook = promote.add_code(content, codebook, code, comment)
    scores, suggestions = _suggestions(store, repo, run, topic, code.id)
    with store.transaction():
        version = store.codebooks.add(new_codebook, yaml_text, "",
                                      f"thème {topic.id} de {run.id} promu en code {code.id}")
        store.codings.register_coder(run.id, "model", {"kind": "topics"})
        store.codings.put_scores(run.id, scores, suggestions)
        repo.mark_promoted(run.id, topic.id, code.id, version)
        store.codings.log_promotion(analyst or "tzcld-qual", code.id, run_id=run.id, topic=topic.id,
                                    versions=(previous, version),
                                    detail=f"{run.id} thème {topic.id} → {code.id} (codebook v{version})")
    return Promotion(run_id=run.id, topic_id=topic.id, code=code, codebook_version=version,
                     previous_version=previous, suggestions=len(suggestions), yaml_text=yaml_text)


@dataclass(frozen=True, slots=True)
class Replayed:
    """A promotion undone or redone: what to say, and the segments whose suggestions changed."""

    message: str
    segment_ids: tuple[int, ...]


def undo_promotion(store: ProjectStore, entry: Decision) -> Replayed:
    """Revert the promotion logged as ``entry`` (its coder's last action on the undo stack): the
    codebook as it was before, as a new version with that text, and the theme's suggestions
    removed. Refused (:class:`ProjectError`, saying why and what to do) when the codebook changed
    since or an analyst decided on the code or wrote a memo on it: they would be left without it."""
    run_id, topic_id, code_id = _promotion_of(entry)
    topic = load_run(store, run_id).topic(topic_id)
    latest = store.codebooks.latest_version()
    what: dict[str, Any] = {"code": code_id, "topic": topic_id, "run": run_id, "project": store.path}
    if topic is None or topic.promoted_code != code_id:
        raise ProjectError(Text("le thème {topic} de {run} n'est plus le code {code} : rien à annuler.",
                                "topic {topic} of {run} is no longer code {code}: nothing to undo."), None, **what)
    if topic.promoted_version is None or store.codebooks.content() != store.codebooks.content(topic.promoted_version):
        raise ProjectError(
            Text("le codebook a changé depuis que le thème {topic} de {run} est devenu le code {code} (v{made}, "
                 "v{latest} maintenant) : annuler la promotion déferait aussi ce qui a suivi.",
                 "the codebook changed since topic {topic} of {run} became code {code} (v{made}, now v{latest}): "
                 "undoing the promotion would undo what followed too."),
            Text("Pour retirer {code}, chargez un codebook sans lui : tzcld-qual codebook load {project} FICHIER.yaml",
                 "To remove {code}, load a codebook without it: tzcld-qual codebook load {project} FILE.yaml"),
            made=topic.promoted_version, latest=latest, **what)
    decided = [c for c in store.codings.list(CodingFilter(code=code_id, current_documents=False))
               if c.status is not Status.SUGGESTED]
    memos = store.memos.list("code", code_id)
    if decided or memos:
        who = sorted({c.origin for c in decided} | {m.coder for m in memos})
        raise ProjectError(
            Text("{n} décision(s) et {m} mémo(s) d'analystes ({who}) portent déjà sur le code {code} : annuler sa "
                 "création les laisserait sans code.",
                 "{n} decision(s) and {m} memo(s) of analysts ({who}) are already on code {code}: undoing its "
                 "creation would leave them without it."),
            Text("Annulez d'abord ces décisions (tzcld-qual undo {project} --coder {one}), ou gardez le code et "
                 "retirez-le plus tard en chargeant un codebook sans lui.",
                 "Undo those decisions first (tzcld-qual undo {project} --coder {one}), or keep the code and "
                 "remove it later by loading a codebook without it."),
            n=len(decided), m=len(memos), who=", ".join(who), one=who[0] if len(who) == 1 else "NOM", **what)
    before = int(entry.before or 0)
    restore = _restore_version(store, before, f"annulation : thème {topic_id} de {run_id} n'est plus le code "
                                              f"{code_id} (texte de la v{before})")
    with store.transaction():
        version = restore()
        removed = store.codings.remove_suggestions(run_id, code_id)
        topic_repo(store).mark_promoted(run_id, topic_id, None, None)
        store.codings.log_replayed(entry, "undo", f"{code_id} retiré : codebook v{version} (texte de la v{before})")
    return Replayed(
        Text("annulé : le code {code} (thème {topic} de {run}) ; codebook v{version}, le texte de la v{before} ; "
             "{n} suggestion(s) retirée(s).",
             "undone: code {code} (topic {topic} of {run}); codebook v{version}, the text of v{before}; "
             "{n} suggestion(s) removed.").render(version=version, before=before, n=len(removed), **what),
        tuple(removed))


def redo_promotion(store: ProjectStore, entry: Decision) -> Replayed:
    """Make the theme of ``entry`` (a promotion undone) the same code again, with the codebook
    text it had and its suggestions. Refused when the codebook changed since the undo or the
    theme became a code again."""
    run_id, topic_id, code_id = _promotion_of(entry)
    run = load_run(store, run_id)
    topic = _require_topic(run, topic_id, allow_outliers=False)
    what: dict[str, Any] = {"code": code_id, "topic": topic_id, "run": run_id, "project": store.path}
    if topic.promoted_code:
        raise ProjectError(Text("le thème {topic} de {run} est déjà le code {other}.",
                                "topic {topic} of {run} is already code {other}."), None,
                           other=topic.promoted_code, **what)
    before, after = int(entry.before or 0), int(entry.after or 0)
    if store.codebooks.content() != store.codebooks.content(before):
        raise ProjectError(
            Text("le codebook a changé depuis l'annulation (v{latest}) : rétablir le code {code} déferait ce "
                 "changement.",
                 "the codebook changed since the undo (v{latest}): redoing code {code} would undo that change."),
            Text("Refaites la promotion : tzcld-qual topics promote {project} {topic} --run {run}",
                 "Promote again: tzcld-qual topics promote {project} {topic} --run {run}"),
            latest=store.codebooks.latest_version(), **what)
    restore = _restore_version(store, after, f"rétabli : thème {topic_id} de {run_id} promu en code {code_id} "
                                             f"(texte de la v{after})")
    scores, suggestions = _suggestions(store, topic_repo(store), run, topic, code_id)
    with store.transaction():
        version = restore()
        store.codings.put_scores(run_id, scores, suggestions)
        topic_repo(store).mark_promoted(run_id, topic_id, code_id, version)
        store.codings.log_replayed(entry, "redo", f"{code_id} rétabli : codebook v{version} (texte de la v{after})")
    return Replayed(
        Text("rétabli : le code {code} (thème {topic} de {run}) ; codebook v{version}, le texte de la v{after} ; "
             "{n} suggestion(s).",
             "redone: code {code} (topic {topic} of {run}); codebook v{version}, the text of v{after}; "
             "{n} suggestion(s).").render(version=version, after=after, n=len(suggestions), **what),
        tuple(s.segment_id for s in suggestions))


def _promotion_of(entry: Decision) -> tuple[str, int, str]:
    """(run id, topic, code) of a promotion's audit entry."""
    run_id, _, topic = (entry.group or "").rpartition("#")
    if not run_id or not topic.lstrip("-").isdigit() or not entry.code_id:
        raise ProjectError(Text("entrée du journal illisible : {detail}.", "unreadable log entry: {detail}."),
                           None, detail=entry.detail)
    return run_id, int(topic), entry.code_id


def _restore_version(store: ProjectStore, version: int, note: str) -> Callable[[], int]:
    """A function storing the text of codebook ``version`` as the new current version (parsed now,
    written when called, inside the caller's transaction)."""
    content = store.codebooks.content(version)
    if content is None:
        raise ProjectError(Text("la version {v} du codebook n'est plus dans le projet.",
                                "codebook version {v} is no longer in the project."), None, v=version)
    codebook = parse_codebook(content, "<projet>", strict=False)
    source = next((str(v["source_path"]) for v in store.codebooks.versions() if v["version"] == version), "")
    return lambda: store.codebooks.add(codebook, content, source, note)


SAME_THEME = 0.6  # share of segments (of both themes together) from which two runs' themes are one


@dataclass(frozen=True, slots=True)
class EarlierPromotion:
    run_id: str
    topic: int
    code: str
    overlap: float  # Jaccard index of the two themes' segments


def earlier_promotion(
    store: ProjectStore, run_id: str, topic_id: int, codebook: Codebook | None = None
) -> EarlierPromotion | None:
    """The theme of another run that was promoted to a code (one ``codebook`` still has, when
    given) and holds mostly the same segments as this one: a re-run finds the same themes under
    new numbers, and promoting one again made a duplicate code (``F2.etat_2``) with the same
    suggestions."""
    repo = topic_repo(store)
    mine = set(repo.assignments(run_id, topic_id))
    best: EarlierPromotion | None = None
    for other_run, other_topic, code in repo.promoted():
        if other_run == run_id or (codebook is not None and code not in codebook):
            continue
        theirs = set(repo.assignments(other_run, other_topic))
        overlap = len(mine & theirs) / len(mine | theirs) if mine | theirs else 0.0
        if overlap >= SAME_THEME and (best is None or overlap > best.overlap):
            best = EarlierPromotion(other_run, other_topic, code, overlap)
    return best


# -- helpers --------------------------------------------------------------------------------------
MIN_SEGMENTS = 10  # below this, clustering says nothing: a theme needs neighbours and other themes


def _check_enough(store: ProjectStore, segments: Sequence[Segment], params: TopicParams) -> None:
    """Refuse a run that cannot give themes, saying why and what to do about it (import
    transcripts into an empty project, widen the scope only when it is not wide already,
    lower ``--min-size`` only when it is what stands in the way)."""
    assert params.min_size is not None
    if params.min_size < 2:
        raise UsageError(Text("la taille minimale d'un thème doit être au moins 2 (reçu {n}).",
                              "the minimum topic size must be at least 2 (got {n})."), None, n=params.min_size)
    n = len(segments)
    if n < MIN_SEGMENTS:
        everything = n if params.scope is Scope.ALL else len(scope_segments(store, Scope.ALL))
        why = Text("trop peu de segments à regrouper dans le périmètre « {scope} » : {n} (il en faut au moins "
                   "{needed} : en dessous, un regroupement en thèmes ne dit rien).",
                   "too few segments to cluster in scope « {scope} »: {n} (at least {needed} needed: below "
                   "that, clustering into themes tells nothing).")
        if everything == 0:
            fix = Text("Ce projet n'a aucun segment de répondant : importez des transcriptions "
                       "(tzcld-qual import {project} FICHIERS…) et codez-les (tzcld-qual code {project}), "
                       "puis relancez.",
                       "This project has no respondent segment: import transcripts "
                       "(tzcld-qual import {project} FILES…) and code them (tzcld-qual code {project}), "
                       "then run again.")
        elif everything >= MIN_SEGMENTS:
            fix = Text("Élargissez avec « --scope all » ({all} segments de répondants).",
                       "Widen with « --scope all » ({all} respondent segments).")
        else:
            fix = Text("Le projet n'a que {all} segments de répondants qui disent quelque chose : importez "
                       "d'autres entretiens (tzcld-qual import {project} FICHIERS…).",
                       "The project has only {all} respondent segments that say something: import more "
                       "interviews (tzcld-qual import {project} FILES…).")
        raise ProjectError(why, fix, scope=params.scope.value, n=n, needed=MIN_SEGMENTS, all=everything,
                           project=store.path)
    if 2 * params.min_size > n:
        raise UsageError(
            Text("taille minimale d'un thème trop grande : {size}, pour {n} segments dans le périmètre « {scope} » "
                 "(un thème ne peut pas dépasser la moitié des segments : il faut de la place pour au moins deux).",
                 "minimum topic size too large: {size}, for {n} segments in scope « {scope} » (a topic cannot "
                 "exceed half of the segments: there must be room for at least two)."),
            Text("Donnez « --min-size » entre 2 et {most}, ou omettez-le ({auto} ici).",
                 "Give « --min-size » between 2 and {most}, or leave it out ({auto} here)."),
            size=params.min_size, n=n, scope=params.scope.value, most=n // 2, auto=auto_min_size(n))


def _fingerprint(segments: Sequence[Segment], params: TopicParams, model_id: str, analyzer: str,
                 codebook: Codebook | None) -> str:
    data = {"segments": [[s.id, text_hash(s.text)] for s in segments], "params": params.as_dict(),
            "embedding_model": model_id, "analyzer": analyzer, "codebook": codebook.version if codebook else None,
            "neighbours": describe.NEIGHBOURS_METHOD}  # a run scored the older way is not reused
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _reused(run: TopicRun) -> TopicRun:
    return replace(run, reused=True)


NEAR_SCOPE = 0.95  # share of segments (of both scopes together) from which the latest run is kept


def _settings(params: TopicParams, model_id: str, analyzer: str, codebook: Codebook | None) -> str:
    """What decides a run besides its segments, and the smallest theme (see :func:`_near_run`)."""
    data = {"params": {k: v for k, v in params.as_dict().items() if k != "min_size"},
            "embedding_model": model_id, "analyzer": analyzer, "codebook": codebook.version if codebook else None,
            "neighbours": describe.NEIGHBOURS_METHOD}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _near_run(repo: TopicRepo, segments: Sequence[Segment], settings: str, params: TopicParams,
              size_given: bool) -> TopicRun | None:
    """The latest run, when it was fitted with the same settings on nearly the same scope
    (:data:`NEAR_SCOPE` of the segments in common): reused as it is, so that coding one
    segment does not refit UMAP and HDBSCAN on an input one row shorter, which renumbered and
    reshaped every theme (10 themes became 5 on the demo) while « thème 3 » in ``promote`` and
    the chat means the latest run's. The smallest theme must be the same when given, or have
    been left to the default then and now."""
    latest = repo.latest()
    run = repo.run(latest) if latest else None
    if run is None or run.params.get("settings") != settings:
        return None
    if bool(run.params.get("min_size_given")) != size_given or (size_given
                                                                and run.params.get("min_size") != params.min_size):
        return None
    before, now = set(repo.assignments(run.id)), {s.id for s in segments}
    together = before | now
    if not together or len(before & now) / len(together) < NEAR_SCOPE:
        return None
    return replace(run, reused=True, left=len(before - now), entered=len(now - before))


def _embedding_model(embedder: Embedder) -> Any:
    """The embedder's loaded SentenceTransformer for BERTopic (fakes without one: nothing)."""
    return getattr(embedder, "sentence_transformer", None)


def _coverage(store: ProjectStore, embedder: Embedder, protos: dict[str, np.ndarray], origin: np.ndarray,
              params: TopicParams) -> dict[str, Any] | None:
    """What « covered by the codebook » means in this project (``TopicRun.verdict``): how close the
    segments coded with a code are to it, measured as a theme's nearest codes are (centroid against
    prototype, the clustered segments' mean direction taken out), over every code with at least
    ``params.min_size`` coded segments (a theme's size: smaller groups have noisier centres).
    Coded: an analyst applied the code, or the current model suggested it at ``params.low_confidence``
    or more (what the default scope leaves out as covered). The threshold is the lowest of these:
    a theme as close to a code as that code's own coded segments are is a theme the codebook covers.
    On the demo, codes sit at 0.37–0.77 from their coded segments and themes at 0.03–0.42 from their
    nearest code. ``None`` when no code has enough coded segments."""
    import numpy as np

    if not protos:
        return None
    segments = [s for s in store.documents.segments(role=Role.RESPONDENT) if says_something(s.text)]
    codings = store.codings.for_segments([s.id for s in segments])
    current = store.meta("current_model")
    members: dict[str, list[str]] = defaultdict(list)
    for seg in segments:
        coded = {c.code_id for c in codings.get(seg.id, []) if c.status.applies or (
            current and c.origin == current and c.status is Status.SUGGESTED
            and _sure(c.confidence, params.low_confidence))}
        for code in coded & protos.keys():
            members[code].append(seg.text)
    assert params.min_size is not None
    groups = {code: texts for code, texts in members.items() if len(texts) >= params.min_size}
    if not groups:
        return None
    unique = list(dict.fromkeys(t for texts in groups.values() for t in texts))
    vectors = dict(zip(unique, embed_texts(store, embedder, unique), strict=True))
    own = {code: describe.similarity(describe.centroid(np.stack([vectors[t] for t in texts])), protos[code], origin)
           for code, texts in groups.items()}
    lowest = min(own, key=lambda c: (own[c], c))
    return {"threshold": round(own[lowest], 4), "code": lowest, "codes": len(own), "min_segments": params.min_size,
            "own": {c: round(v, 4) for c, v in sorted(own.items())}}


def _phases(store: ProjectStore, segments: Sequence[Segment], labels: Sequence[int]) -> dict[str, Any]:
    """Topics that are a phase of the interviews, not a finding (``TopicRun.phase``): self-introductions,
    leave-takings, gathered by their words (« Merci à vous. Je file… »). A segment is at the opening
    (closing) when its turn is among the first (last) :data:`PHASE_TURNS` respondent turns that say
    something in its document; a topic with :data:`PHASE_SHARE` of its segments there is a phase.
    Returned as run parameters: ``phases`` (topic → phase), ``at_edges`` (topic → its segments at
    either edge) and ``edge_share``, the share of all respondent segments that say something at an
    edge (about a quarter on the demo), against which a phase's share stands out."""
    turns: dict[int, list[int]] = defaultdict(list)
    sayers = [s for s in store.documents.segments(role=Role.RESPONDENT) if says_something(s.text)]
    for seg in sayers:
        turns[seg.document_id].append(seg.turn)
    edges: dict[int, dict[int, str]] = {}
    for document, found in turns.items():
        order = sorted(set(found))
        edges[document] = {t: "ouverture" for t in order[:PHASE_TURNS]}
        edges[document].update({t: "clôture" for t in order[-PHASE_TURNS:] if t not in edges[document]})
    where = [edges.get(s.document_id, {}).get(s.turn) for s in segments]
    counts: dict[int, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for label, edge in zip(labels, where, strict=True):
        if label != OUTLIER:
            counts[label][edge] += 1
    phases: dict[str, str] = {}
    at_edges: dict[str, int] = {}
    for topic, found_edges in counts.items():
        size = sum(found_edges.values())
        opening, closing = found_edges.get("ouverture", 0), found_edges.get("clôture", 0)
        at_edges[str(topic)] = opening + closing
        if opening + closing >= PHASE_SHARE * size:
            phases[str(topic)] = "ouverture" if opening >= closing else "clôture"
    at_any = sum(1 for s in sayers if s.turn in edges.get(s.document_id, {}))
    return {"phases": phases, "at_edges": at_edges,
            "edge_share": round(at_any / len(sayers), 4) if sayers else 0.0}


def _prototypes(store: ProjectStore, embedder: Embedder, codebook: Codebook | None) -> dict[str, np.ndarray]:
    if codebook is None:
        return {}
    texts = list(dict.fromkeys(t for c in codebook.codes for t in describe.prototype_texts(c)))
    vectors = dict(zip(texts, embed_texts(store, embedder, texts), strict=True))
    return describe.prototypes(codebook.codes, vectors)


def _records(
    store: ProjectStore, segments: Sequence[Segment], embeddings: np.ndarray, analyses: Sequence[Sequence[Token]],
    clustering: Clustering, protos: dict[str, np.ndarray], params: TopicParams,
) -> list[TopicRecord]:
    import numpy as np

    documents = store.documents.list(current=False) if segments else []
    attributes = {d.id: d.attributes for d in documents}
    names = speaker_words(documents)
    origin = np.asarray(embeddings, np.float32).mean(axis=0) if len(segments) else None
    members: dict[int, list[int]] = defaultdict(list)
    for row, label in enumerate(clustering.labels):
        if label != OUTLIER:
            members[label].append(row)
    records = []
    for topic, rows in sorted(members.items()):
        vectors = embeddings[rows]
        center = describe.centroid(vectors)
        quotes = describe.typical(vectors, center, [segments[i].id for i in rows],
                                  [segments[i].text for i in rows], params.quotes)
        breakdown: dict[str, dict[str, int]] = {a: defaultdict(int) for a in BREAKDOWN_ATTRIBUTES}
        for i in rows:
            attrs = attributes.get(segments[i].document_id, {})
            for attribute in BREAKDOWN_ATTRIBUTES:
                breakdown[attribute][attrs.get(attribute) or UNKNOWN] += 1
        phrases = topic_keyphrases(clustering.terms.get(topic, ()), [analyses[i] for i in rows],
                                   [segments[i].text for i in rows], params.keyphrases)
        phrases = tuple(p for p in phrases if not names & {w.casefold() for w in WORD.findall(p)})
        records.append(TopicRecord(
            topic=topic, size=len(rows), label=" · ".join(phrases[:3]) or f"thème {topic}", keyphrases=phrases,
            quotes=tuple((sid, round(sim, 4)) for sid, sim in quotes),
            breakdown={a: dict(sorted(v.items(), key=lambda x: (-x[1], x[0]))) for a, v in breakdown.items()},
            neighbours=describe.neighbours(center, protos, origin=origin),
            centroid=np.asarray(center, np.float32).tobytes(),
        ))
    return records


# Labels that name a role, not a person ("Salarié 2"): a theme about the EBE's employees keeps them.
_TITLES = frozenset("m mme mlle mr dr madame monsieur".split())
_ROLE_WORDS = frozenset(
    "salarié salariée salariés salariées élu élue élus maire adjoint adjointe conseiller conseillère partenaire "
    "membre participant participante répondant répondante enquêté enquêtée personne directeur directrice "
    "président présidente animateur animatrice bénévole chef responsable secrétaire".split()
)


def speaker_words(documents: Sequence[Document]) -> frozenset[str]:
    """The names in speakers' labels: a theme named "Josiane" says who spoke, not what about,
    and promotion copied it into the codebook's expressions. Only labels shaped like a name
    count (« Josiane », « Mme Rochas »): « Directrice EBE », « Bénévole 1 » or « Chef d'équipe »
    would take « EBE », « bénévole » or « équipe » out of every theme."""
    out: set[str] = set()
    for label in (label for d in documents for label in d.speakers):
        words = WORD.findall(label)
        if words and words[0].casefold().strip(".") in _TITLES:
            words = words[1:]
        elif len(words) != 1 or any(ch.isdigit() for ch in label):
            continue
        out.update(w.casefold() for w in words if len(w) >= 3 and not w.isupper() and w.casefold() not in _ROLE_WORDS)
    return frozenset(out)


def _require_topic(run: TopicRun, topic_id: int, *, allow_outliers: bool) -> Topic:
    if topic_id == OUTLIER and not allow_outliers:
        raise UsageError(Text("les segments hors thème (-1) ne forment pas un thème.",
                              "outlier segments (-1) do not form a topic."),
                         Text("Choisissez un thème parmi : {ids}.", "Choose a topic among: {ids}."),
                         ids=", ".join(str(t.id) for t in run.topics) or "aucun")
    topic = run.topic(topic_id)
    if topic is None and topic_id != OUTLIER:
        raise NotFoundError(Text("thème {topic} introuvable dans {run}.", "topic {topic} not found in {run}."),
                            Text("Thèmes disponibles : {ids}.", "Available topics: {ids}."),
                            topic=topic_id, run=run.id, ids=", ".join(str(t.id) for t in run.topics) or "aucun")
    return topic  # type: ignore[return-value]


def _suggestions(
    store: ProjectStore, repo: TopicRepo, run: TopicRun, topic: Topic, code_id: str,
) -> tuple[dict[int, dict[str, float]], list[Suggestion]]:
    """One suggestion of the new code per segment of the topic, with no confidence.

    How typical the segment is, the cosine between its cached embedding and the topic centroid
    (clipped to [0, 1]; HDBSCAN's membership probability if a vector is missing), is kept in the
    explanation and the score vector, not as the confidence: it is no probability, and in the
    column of the ensemble's calibrated ones it was printed « conf. 0.93 » and taken by « accepte
    au-dessus de 0,9 ». ``NULL`` is « confiance inconnue » everywhere, left out of thresholds.
    """
    assigned = repo.assignments(run.id, topic.id)
    segments = store.documents.segments(ids=list(assigned), current=False)
    center = repo.centroid(run.id, topic.id)
    vectors = store.embeddings.get([text_hash(s.text) for s in segments], run.embedding_model)
    about = ", ".join(topic.keyphrases[:3])
    scores: dict[int, dict[str, float]] = {}
    suggestions = []
    for seg in segments:
        vector = vectors.get(text_hash(seg.text))
        sim = float(vector @ center) if vector is not None and center is not None else assigned[seg.id][1]
        similarity = round(min(1.0, max(0.0, sim)), 4)
        scores[seg.id] = {code_id: similarity}
        suggestions.append(Suggestion(seg.id, code_id, None,
                                      f"thème {topic.id} de {run.id} ({about}) ; similarité au centre du thème "
                                      f"{similarity:.2f} (pas une probabilité)"))
    return scores, suggestions
