"""Batch coding: idempotent, resumable, never touches a human decision; retrain learns from them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fakes import HashingEmbedder

from tzcld_qual.model import Role, Status
from tzcld_qual.segment import RuleSentenceSplitter, Segmenter
from tzcld_qual.services import coding, training
from tzcld_qual.services.engine import EngineParams
from tzcld_qual.services.importing import import_files
from tzcld_qual.store import CodingFilter, NewRun, ProjectStore

FAST = EngineParams(coders=("embedding", "supervised"), folds=3)


@pytest.fixture(autouse=True)
def _codebook_training_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fast tests train on the codebook's examples only (the real models and the gold split are
    exercised in tests/models)."""
    monkeypatch.setattr(training, "default_gold_train", lambda: None)


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    repo = Path(request.config.rootpath)
    path = tmp_path_factory.mktemp("coding") / "demo.tzq"
    files = sorted((repo / "corpora" / "demo").glob("demo-0*"))  # 9 interviews keep this fast
    import_files(path, files, Segmenter(RuleSentenceSplitter()), attributes_csv=repo / "corpora/demo/attributes.csv")
    return path


@pytest.fixture
def project(demo_copy: Path, tmp_path: Path) -> Path:
    target = tmp_path / "p.tzq"
    target.write_bytes(demo_copy.read_bytes())
    return target


def test_code_then_rerun_returns_at_once_and_never_touches_humans(project: Path) -> None:
    with ProjectStore(project) as store:
        segs = store.documents.segments(role=Role.RESPONDENT)
        store.codings.decide(segs[0].id, "F2", "alice", Status.REJECTED)
        store.codings.decide(segs[1].id, "F7.besoins", "alice", Status.MANUAL)
        before = [(c.segment_id, c.code_id, c.status, c.updated_at) for c in store.codings.human()]
    embedder = HashingEmbedder()
    stages: list[str] = []
    first = coding.code_project(project, embedder=embedder, params=FAST, progress=lambda m, _f: stages.append(m))
    assert first.new_model and first.scored == len(segs) and first.suggestions > 0
    # the progress bar says what the run waits for, from its first second to the scoring
    assert stages[0].startswith("préparation") and stages[-1] == "encodage et codage"
    assert any(m.startswith("validation croisée") for m in stages)  # a new model is fitted
    with ProjectStore(project) as store:
        assert store.meta("current_model") == first.model
        assert store.codings.scored_segments(first.model) == {s.id for s in segs}
        assert [(c.segment_id, c.code_id, c.status, c.updated_at) for c in store.codings.human()] == before
        suggestions = store.codings.list(CodingFilter(origin=first.model))
        assert all(c.status is Status.SUGGESTED and c.explanation for c in suggestions)
        assert all(0 <= (c.confidence or 0) <= 1 for c in suggestions)
        encoded_before = embedder.encoded
    again = coding.code_project(project, embedder=embedder, params=FAST)
    assert again.scored == 0 and again.model == first.model and embedder.encoded == encoded_before
    assert first.remaining == again.remaining == 0
    with ProjectStore(project) as store:
        assert len(store.codings.list(CodingFilter(origin=first.model))) == len(suggestions)


def test_new_segments_are_coded_by_the_same_model(project: Path, request: pytest.FixtureRequest) -> None:
    embedder = HashingEmbedder()
    first = coding.code_project(project, embedder=embedder, params=FAST)
    repo = Path(request.config.rootpath)
    with ProjectStore(project) as store:  # an analyst decides between the two runs
        seg = store.documents.segments(role=Role.RESPONDENT)[0]
        store.codings.decide(seg.id, "F1", "alice", Status.ACCEPTED)
    new = sorted((repo / "corpora" / "round2").glob("r2-0[12]*"))
    import_files(project, new, Segmenter(RuleSentenceSplitter()), attributes_csv=repo / "corpora/round2/attributes.csv")
    second = coding.code_project(project, embedder=embedder, params=FAST, round_name="Vague 3")
    assert second.model == first.model and not second.new_model and second.scored > 0
    with ProjectStore(project) as store:
        round3 = {s.id for s in coding.select_segments(store, round_name="vague 3")}
        assert round3 <= store.codings.scored_segments(first.model)


def test_interrupted_run_resumes_without_duplicates(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    embedder = HashingEmbedder()
    monkeypatch.setattr(coding, "BATCH", 20)
    calls = {"n": 0}
    seen: list[tuple[int, int]] = []

    def crash_after_two(n: int, total: int) -> None:
        seen.append((n, total))
        calls["n"] += n > 0  # the first call, (0, total), sizes the progress bar
        if calls["n"] == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        coding.code_project(project, embedder=embedder, params=FAST, on_batch=crash_after_two)
    with ProjectStore(project) as store:
        total = store.documents.count_segments(Role.RESPONDENT)
        assert seen == [(0, total), (20, total), (20, total)]
        model = str(store.runs.list()[-1]["id"])
        assert len(store.codings.scored_segments(model)) == 40
        assert store.meta("current_model") is None  # not current before it has scored everything
    resumed = coding.code_project(project, embedder=embedder, params=FAST)
    with ProjectStore(project) as store:
        total = store.documents.count_segments(Role.RESPONDENT)
        assert resumed.model == model and resumed.scored == total - 40
        assert store.meta("current_model") == model
        assert len(store.codings.scored_segments(model)) == total
        rows = store.codings.list(CodingFilter(origin=model))
        assert len(rows) == len({(c.segment_id, c.code_id) for c in rows})


def test_retrain_learns_from_decisions_and_keeps_them(project: Path) -> None:
    embedder = HashingEmbedder()
    first = coding.code_project(project, embedder=embedder, params=FAST)
    with ProjectStore(project) as store:
        segs = store.documents.segments(role=Role.RESPONDENT)[:6]
        for s in segs:
            store.codings.decide(s.id, "F8", "alice", Status.MANUAL)
        suggested = store.codings.list(CodingFilter(origin=first.model))
        judged = [c for c in suggested if c.segment_id not in {s.id for s in segs} and "." not in c.code_id][:3]
        for c, status in zip(judged, (Status.ACCEPTED, Status.ACCEPTED, Status.REJECTED), strict=True):
            store.codings.decide(c.segment_id, c.code_id, "alice", status)
        f8_hits = sum(1 for c in suggested if c.code_id == "F8" and c.segment_id in {s.id for s in segs})
        before = [(c.segment_id, c.code_id, c.status) for c in store.codings.human()]
    report = coding.retrain(project, embedder=embedder, params=FAST)
    assert report.model != first.model and report.previous == first.model and report.decisions == 9
    review = report.previous_review
    assert review is not None and review.model == first.model
    assert (review.reviewed, review.accepted) == (3 + f8_hits, 2 + f8_hits)
    assert report.rescored > 0
    with ProjectStore(project) as store:
        assert store.meta("current_model") == report.model
        assert [(c.segment_id, c.code_id, c.status) for c in store.codings.human()] == before
        run = store.runs.get(report.model)
        assert run is not None and training.human_decisions(run["params"]["decisions"]) == 9  # type: ignore[index]


def test_a_retrain_with_no_new_decision_gives_the_same_model(project: Path) -> None:
    """Its record also holds what its predecessor suggested on decided segments, which changed
    with each model: retrain after retrain made a new model on the same 45 decisions."""
    embedder = HashingEmbedder()
    first = coding.code_project(project, embedder=embedder, params=FAST)
    with ProjectStore(project) as store:
        suggested = [c for c in store.codings.list(CodingFilter(origin=first.model)) if "." not in c.code_id]
        for c in suggested[:4]:  # decided on a segment whose other suggestions stay pending
            store.codings.decide(c.segment_id, c.code_id, "alice", Status.ACCEPTED)
    second = coding.retrain(project, embedder=embedder, params=FAST)
    again = coding.retrain(project, embedder=embedder, params=FAST)
    assert second.new_model and second.model != first.model
    assert (again.model, again.new_model, again.rescored) == (second.model, False, 0)
    with ProjectStore(project) as store:
        store.codings.decide(suggested[5].segment_id, suggested[5].code_id, "alice", Status.REJECTED)
    assert coding.retrain(project, embedder=embedder, params=FAST).model != second.model  # a new decision


def test_a_decision_on_a_bundled_training_segment_replaces_its_bundled_label(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's train split is also in the project: a segment an analyst decides on is one
    training row (theirs), not two with possibly different labels."""
    import json

    with ProjectStore(project) as store:
        segs = store.documents.segments(role=Role.RESPONDENT)[:3]
        gold = tmp_path / "train.jsonl"
        records = [
            {"id": f"g{i}", "text": "  " + s.text.replace(" ", "  "), "labels": ["F7"], "doc": "d"}  # spacing differs
            for i, s in enumerate(segs)
        ]
        gold.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        monkeypatch.setattr(training, "default_gold_train", lambda: gold)
        store.codings.decide(segs[0].id, "F4", "alice", Status.ACCEPTED)
        data, used = coding._training(store, None)
    rows = [i for i, t in enumerate(data.texts) if " ".join(t.split()) == " ".join(segs[0].text.split())]
    assert len(rows) == 1 and data.groups[rows[0]].startswith("project:")
    codes = ["F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8"]
    assert [c for c, y in zip(codes, data.Y[rows[0]].tolist(), strict=True) if y] == ["F4"]
    assert sum(g.startswith("gold:") for g in data.groups) == 2  # the two undecided ones stay
    assert len(used) == 1


def test_a_selection_says_how_many_segments_the_model_left_unscored(project: Path) -> None:
    with ProjectStore(project) as store:
        doc = store.documents.list()[0]
        mine = store.documents.segments(document_id=doc.id, role=Role.RESPONDENT)
        total = len(store.documents.segments(role=Role.RESPONDENT))
    report = coding.code_project(project, embedder=HashingEmbedder(), params=FAST, documents=[doc.name])
    assert report.scored == len(mine) and report.remaining == total - len(mine) > 0


def test_a_codebook_loaded_back_keeps_its_model_for_later_rounds(project: Path, codebook_path: Path) -> None:
    """Codebook A → B → A: the model fitted under A is current again, for the latest version,
    so a later run codes new segments with it instead of refitting on newer decisions."""
    from tzcld_qual.codebook import parse_codebook

    embedder = HashingEmbedder()
    first = coding.code_project(project, embedder=embedder, params=FAST)
    with ProjectStore(project) as store:
        content_a = codebook_path.read_text(encoding="utf-8")  # what the project was created with
        content_b = content_a + "\n# une note\n"
        store.codebooks.add(parse_codebook(content_b), content_b)
        assert store.codebooks.add(parse_codebook(content_a), content_a) == 3
    back = coding.code_project(project, embedder=embedder, params=FAST)
    assert (back.model, back.new_model, back.scored) == (first.model, False, 0)
    with ProjectStore(project) as store:
        assert store.runs.get(first.model)["codebook_version"] == 3  # type: ignore[index]
        segs = store.documents.segments(role=Role.RESPONDENT)
        store.codings.decide(segs[0].id, "F5", "alice", Status.MANUAL)
    later = coding.code_project(project, embedder=embedder, params=FAST)
    assert later.model == first.model and not later.new_model


def _learnt(project: Path, rows_for: Callable[[int, int], list[list[object]]]) -> tuple[Any, Any, list, int, int]:
    """The codebook, what a model learns from ``rows_for(a, b)`` (decision rows on the first
    two answers ``a`` and ``b``), those rows, ``a`` and ``b``."""
    from tzcld_qual.services.projects import current_codebook

    with ProjectStore(project) as store:
        codebook = current_codebook(store)
        a, b = (s.id for s in store.documents.segments(role=Role.RESPONDENT)[:2])
        rows = rows_for(a, b)
        return codebook, training.from_decisions(store, codebook, only=rows), rows, a, b


def test_rejecting_a_sub_code_is_not_rejecting_its_parent(project: Path) -> None:
    codebook, data, _rows, a, b = _learnt(
        project,
        lambda a, b: [
            [a, "F3.sante", "rejected", "alice"],
            [b, "F3", "rejected", "alice"],
            [b, "F3.sante", "rejected", "alice"],
        ],
    )
    f3 = codebook.top_ids.index("F3")
    weights = dict(zip(data.keys, data.W[:, f3].tolist(), strict=True))
    assert weights[str(a)] == training.HUMAN_WEIGHT  # a negative as on any decided segment
    assert weights[str(b)] == training.HUMAN_WEIGHT * 1.5  # the analyst rejected F3 itself
    assert not data.Y[:, f3].any()


def test_a_suggested_parent_stays_unknown_when_only_its_sub_code_is_rejected(project: Path) -> None:
    """The model suggested F3 and F3.sante; the analyst rejected the sub-code only: F3 itself was
    not judged, whichever order the rows come in."""
    codebook, data, _rows, a, b = _learnt(
        project,
        lambda a, b: [
            [a, "F3.sante", "rejected", "alice"],
            [a, "F3", training.PENDING, "ensemble@1"],
            [b, "F3", training.PENDING, "ensemble@1"],
            [b, "F3.sante", "rejected", "alice"],
            [b, "F4", "accepted", "alice"],
        ],
    )
    f3, f4 = codebook.top_ids.index("F3"), codebook.top_ids.index("F4")
    weights = dict(zip(data.keys, data.W[:, f3].tolist(), strict=True))
    assert weights == {str(a): 0.0, str(b): 0.0}
    assert not data.Y[:, f3].any() and data.Y[data.keys.index(str(b)), f4] == 1


def test_accepting_one_suggestion_leaves_the_others_unknown_not_negative(project: Path) -> None:
    """``a`` accepts the suggestion under the cursor: the segment's other pending suggestions are
    neither positive nor negative for the next model; a code nobody suggested there is negative."""
    from tzcld_qual.model import Suggestion
    from tzcld_qual.services.projects import current_codebook

    with ProjectStore(project) as store:
        codebook = current_codebook(store)
        seg, other = (s.id for s in store.documents.segments(role=Role.RESPONDENT)[:2])
        run = store.runs.register(NewRun("ensemble", "fake", 1, {"thresholds": {}}))[0]
        store.codings.put_scores(
            run,
            {seg: {"F4": 0.9, "F7": 0.8}, other: {"F2": 0.7}},
            [Suggestion(seg, "F4", 0.9, ""), Suggestion(seg, "F7", 0.8, ""), Suggestion(other, "F2", 0.7, "")],
        )
        store.set_meta("current_model", run)
        store.codings.decide(seg, "F7", "alice", Status.ACCEPTED)
        rows = training.decision_rows(store)
        data = training.from_decisions(store, codebook)
    assert rows == [[seg, "F7", "accepted", "alice"], [seg, "F4", training.PENDING, run]]
    assert training.human_decisions(rows) == 1 and data.keys == [str(seg)]
    weights = dict(zip(codebook.top_ids, data.W[0].tolist(), strict=True))
    labels = dict(zip(codebook.top_ids, data.Y[0].tolist(), strict=True))
    assert labels["F7"] == 1 and weights["F7"] == training.HUMAN_WEIGHT
    assert weights["F4"] == 0.0  # suggested, not judged: unknown
    assert labels["F1"] == 0 and weights["F1"] == training.HUMAN_WEIGHT  # never suggested: a negative


def test_a_segment_marked_no_code_is_a_negative_for_every_code(project: Path) -> None:
    """« Relu, aucun code »: the analyst read the answer and no code applies. Marked on an answer
    with a suggestion nobody decided, and on one with none, both reach training, every code negative
    (a later model's suggestion there too); where another analyst applied a code, that code is a
    disagreement, not learnt."""
    from tzcld_qual.model import NO_CODE, Suggestion
    from tzcld_qual.services.projects import current_codebook

    with ProjectStore(project) as store:
        codebook = current_codebook(store)
        seg, other = (s.id for s in store.documents.segments(role=Role.RESPONDENT)[:2])
        run = store.runs.register(NewRun("ensemble", "fake", 1, {"thresholds": {}}))[0]
        store.codings.put_scores(run, {seg: {"F4": 0.9}}, [Suggestion(seg, "F4", 0.9, "")])
        store.set_meta("current_model", run)
        store.codings.decide(seg, NO_CODE, "alice", Status.ACCEPTED)
        store.codings.decide(other, NO_CODE, "alice", Status.ACCEPTED)
        store.codings.decide(other, "F2", "bob", Status.MANUAL)
        rows = training.decision_rows(store)
        data = training.from_decisions(store, codebook)
        assert training.disagreements(rows, codebook) == 1
    assert training.human_decisions(rows) == 3 and sorted(data.keys) == sorted([str(seg), str(other)])
    for key in (seg, other):
        i = data.keys.index(str(key))
        weights = dict(zip(codebook.top_ids, data.W[i].tolist(), strict=True))
        assert not data.Y[i].any()
        assert {c for c, w in weights.items() if w == 0.0} == ({"F2"} if key == other else set())
        assert weights["F4"] > 0  # suggested and undecided, yet read: no code applies


def test_the_selection_codes_a_document_named_twice_once_and_refuses_an_empty_round(project: Path) -> None:
    from tzcld_qual.errors import UsageError

    with ProjectStore(project) as store:
        doc = store.documents.list()[0]
        once = coding.select_segments(store, documents=[doc.name])
        twice = coding.select_segments(store, documents=[doc.name, doc.name.rsplit(".", 1)[0]])
        assert once and [s.id for s in twice] == [s.id for s in once]
        with pytest.raises(UsageError, match="--round est vide"):
            coding.select_segments(store, round_name="  ")


def test_coding_a_project_without_interviews_asks_for_an_import_first(tmp_path: Path) -> None:
    from tzcld_qual.errors import NotFoundError
    from tzcld_qual.services.projects import init_project

    store, _version = init_project(tmp_path / "vide.tzq")
    store.close()

    class Unused(HashingEmbedder):
        def encode(self, texts: object) -> object:
            raise AssertionError("nothing to encode: the command should stop first")

    with pytest.raises(NotFoundError, match="aucun entretien") as error:
        coding.code_project(tmp_path / "vide.tzq", embedder=Unused(), params=FAST)
    assert "tzcld-qual import" in str(error.value)
    with ProjectStore(tmp_path / "vide.tzq") as store:
        assert store.runs.list() == [] and store.meta("current_model") is None


def test_a_retrain_killed_before_it_scored_leaves_the_previous_model_current(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review keeps the previous model's suggestions, and the re-run reports against it."""
    embedder = HashingEmbedder()
    first = coding.code_project(project, embedder=embedder, params=FAST)
    with ProjectStore(project) as store:
        seg = store.documents.segments(role=Role.RESPONDENT)[0]
        store.codings.decide(seg.id, "F8", "alice", Status.MANUAL)
    real_score = coding._score

    def killed(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(coding, "_score", killed)
    with pytest.raises(KeyboardInterrupt):
        coding.retrain(project, embedder=embedder, params=FAST)
    with ProjectStore(project) as store:
        assert store.meta("current_model") == first.model and len(store.runs.list()) == 2
    monkeypatch.setattr(coding, "_score", real_score)
    again = coding.retrain(project, embedder=embedder, params=FAST)
    assert again.previous == first.model and again.model != first.model and again.new_model
    with ProjectStore(project) as store:
        assert store.meta("current_model") == again.model


def test_retrain_scores_the_previous_model_on_the_new_models_dev_answers(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each model's stored dev score leaves out the dev answers it trained on: the "before"
    figure is recomputed, from the cached previous model, without the new model's ones."""
    from tzcld_qual.services import engine_cache, evaluation

    embedder = HashingEmbedder()
    first = coding.code_project(project, embedder=embedder, params=FAST)
    with ProjectStore(project) as store:
        seg = store.documents.segments(role=Role.RESPONDENT)[0]
        store.codings.decide(seg.id, "F8", "alice", Status.MANUAL)
        fingerprint = store.runs.get(first.model)["fingerprint"]  # type: ignore[index]
    calls: list[tuple[str, list[str]]] = []
    real = evaluation.dev_macro_f1

    def spy(engine: object, trained_on: list[str] = ()) -> float | None:  # type: ignore[assignment]
        calls.append((getattr(engine, "fingerprint_", "?"), list(trained_on)))
        return real(engine, trained_on)  # type: ignore[arg-type]

    cached = engine_cache.load(fingerprint)
    assert cached is not None
    cached.fingerprint_ = "previous"
    monkeypatch.setattr(engine_cache, "load", lambda fp: cached if fp == fingerprint else None)
    monkeypatch.setattr(evaluation, "dev_macro_f1", spy)
    report = coding.retrain(project, embedder=embedder, params=FAST)
    before = [trained for name, trained in calls if name == "previous"]
    assert len(before) == 1 and seg.text in before[0]
    assert report.dev_before is not None and report.dev_after is not None


def test_a_code_two_analysts_decided_both_ways_is_not_learnt(project: Path) -> None:
    codebook, data, rows, a, b = _learnt(
        project,
        lambda a, b: [
            [a, "F4", "rejected", "alice"],
            [a, "F4.confiance", "accepted", "bob"],  # bob applies F4 through its sub-code
            [a, "F7", "accepted", "alice"],
            [b, "F2", "accepted", "alice"],
            [b, "F2", "accepted", "bob"],
        ],
    )
    assert training.disagreements(rows, codebook) == 1
    f4, f7 = codebook.top_ids.index("F4"), codebook.top_ids.index("F7")
    row = data.keys.index(str(a))
    assert data.W[row, f4] == 0.0 and data.Y[row, f4] == 0  # neither verdict is learnt
    assert data.Y[row, f7] == 1 and data.W[row, f7] == training.HUMAN_WEIGHT
    assert data.Y[data.keys.index(str(b)), codebook.top_ids.index("F2")] == 1


class _OtherEncoder(HashingEmbedder):
    """Another encoder, of another width: what a changed ``[embedder] model`` gives."""

    model_id = "hashing64@test"
    dimension = 64


def _decide_a_dev_answer(project: Path) -> str:
    """An analyst decides a segment that is also a bundled dev answer; its text."""
    import json

    from tzcld_qual import paths

    dev_path = paths.gold_split("dev")
    assert dev_path is not None
    dev = {json.loads(line)["text"] for line in dev_path.read_text(encoding="utf-8").splitlines()}
    with ProjectStore(project) as store:
        seg = next(s for s in store.documents.segments(role=Role.RESPONDENT) if s.text in dev)
        store.codings.decide(seg.id, "F8", "alice", Status.MANUAL)
    return seg.text


def test_a_retrain_after_the_encoder_changed_scores_the_previous_model_with_its_own(project: Path) -> None:
    """The previous model (USE+e5, 896-d) was given the new model's encoder (USE, 512-d): « operands
    could not be broadcast together with shapes (167,512) (896,) », a traceback, and an orphan run."""
    first = coding.code_project(project, embedder=HashingEmbedder(), params=FAST)
    _decide_a_dev_answer(project)
    report = coding.retrain(project, embedder=_OtherEncoder(), params=FAST)
    assert report.previous == first.model and report.model != first.model
    assert report.dev_before is not None and report.dev_before_basis == "same"
    assert (report.dev_size, report.dev_left_out) == (report.dev_size, 1) and report.dev_size
    with ProjectStore(project) as store:
        assert store.meta("current_model") == report.model
        assert store.runs.get(first.model)["params"]["embedder"] == "hashing@test"  # type: ignore[index]
        assert store.runs.get(report.model)["params"]["embedder"] == "hashing64@test"  # type: ignore[index]


def _forget_encoder(project: Path, model: str) -> None:
    """The record of a run registered before runs recorded their encoder."""
    import json
    import sqlite3

    with sqlite3.connect(project) as conn:
        (params,) = conn.execute("SELECT params FROM model_runs WHERE id = ?", (model,)).fetchone()
        params = json.loads(params)
        del params["embedder"]
        conn.execute("UPDATE model_runs SET params = ? WHERE id = ?", (json.dumps(params), model))


def test_an_older_runs_encoder_is_found_by_its_fingerprint_or_its_figure_skipped(project: Path) -> None:
    first = coding.code_project(project, embedder=HashingEmbedder(), params=FAST)
    _forget_encoder(project, first.model)
    _decide_a_dev_answer(project)
    same = coding.retrain(project, embedder=HashingEmbedder(), params=FAST)  # the same encoder: found
    assert same.dev_before is not None and same.dev_before_basis == "same"
    _forget_encoder(project, same.model)
    with ProjectStore(project) as store:
        seg = store.documents.segments(role=Role.RESPONDENT)[1]
        store.codings.decide(seg.id, "F2", "alice", Status.MANUAL)
    other = coding.retrain(project, embedder=_OtherEncoder(), params=FAST)  # unknown: no figure, no crash
    assert other.previous == same.model and other.dev_before is None and other.dev_before_basis == "no_encoder"
    assert other.dev_after is not None


def test_a_model_left_by_a_failed_retrain_is_said_new_when_code_takes_it(
    project: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """After a retrain crashed past registering its model, ``code`` took that model silently:
    {"model": "ensemble@2", "new_model": false} and no « nouveau modèle »."""
    first = coding.code_project(project, embedder=HashingEmbedder(), params=FAST)

    def killed(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(coding, "_score", killed)
        with pytest.raises(KeyboardInterrupt):
            coding.retrain(project, embedder=_OtherEncoder(), params=FAST)
    with ProjectStore(project) as store:
        leftover = str(store.runs.list()[-1]["id"])
        assert leftover != first.model and store.meta("current_model") == first.model
    repo = Path(request.config.rootpath)
    import_files(project, sorted((repo / "corpora" / "round2").glob("r2-01*")), Segmenter(RuleSentenceSplitter()))
    report = coding.code_project(project, embedder=_OtherEncoder(), params=FAST)
    assert report.model == leftover and report.new_model and report.resumed and report.previous == first.model
    again = coding.code_project(project, embedder=_OtherEncoder(), params=FAST)
    assert not again.new_model and again.previous is None


def test_a_first_run_shows_each_long_step_with_its_count(project: Path) -> None:
    """A first run showed « préparation … 0/? » for ~110 s (its segments encoded at once, with
    no count) and then « chargement du modèle et encodage 0/695 » for ~150 s while the ~2,900
    training texts were encoded: nothing said it was alive, nor how long was left."""
    embedder = HashingEmbedder()
    events: list[tuple[Any, ...]] = []

    def stage(message: str, fraction: float) -> None:
        events.append(("stage", message, embedder.encoded))

    def step(message: str, done: int, total: int) -> None:
        events.append(("step", message, done, total))

    def batch(n: int, total: int) -> None:
        events.append(("batch", n, total))

    coding.code_project(project, embedder=embedder, params=FAST, progress=stage, on_step=step, on_batch=batch)
    kinds = [e[0] for e in events]
    steps = [e for e in events if e[0] == "step"]
    assert events[0] == ("stage", "préparation : encodeur et données d'entraînement", 0)
    assert steps[0][1:3] == ("encodage des textes d'entraînement", 0) and steps[-1][2] == steps[-1][3] > 0
    first_step = kinds.index("step")
    folds = [e for e in events if e[0] == "stage" and e[1].startswith("validation croisée")]
    assert len(folds) == 3 and kinds.index("step") < events.index(folds[0])
    # the segments to code are encoded batch by batch as they are coded, not before the model
    assert all(e[2] == 0 for e in events[:first_step] if e[0] == "stage")
    segments = [e for e in events if e[0] == "batch" and e[1]]
    assert sum(e[1] for e in segments) == segments[0][2]


def test_a_retrain_that_fails_before_scoring_its_previous_model_registers_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The crash of the « before » figure left an ensemble@2 run that ``code`` later took."""
    first = coding.code_project(project, embedder=HashingEmbedder(), params=FAST)
    with ProjectStore(project) as store:
        seg = store.documents.segments(role=Role.RESPONDENT)[0]
        store.codings.decide(seg.id, "F8", "alice", Status.MANUAL)

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("dev")

    monkeypatch.setattr(coding, "_dev_before", broken)
    with pytest.raises(RuntimeError):
        coding.retrain(project, embedder=HashingEmbedder(), params=FAST)
    with ProjectStore(project) as store:
        assert [run["id"] for run in store.runs.list()] == [first.model]
        assert store.meta("current_model") == first.model


def test_a_new_model_says_why_it_replaces_the_current_one(project: Path, request: pytest.FixtureRequest) -> None:
    """« nouveau modèle, remplace ensemble@1 » with no cause: an analyst who only changed the
    encoder, or decided a segment, could not tell why the suggestions changed."""
    first = coding.code_project(project, embedder=HashingEmbedder(), params=FAST)
    assert first.new_model and first.why == ()  # nothing replaced
    with ProjectStore(project) as store:
        seg = store.documents.segments(role=Role.RESPONDENT)[0]
        store.codings.decide(seg.id, "F8", "alice", Status.MANUAL)
    retrained = coding.retrain(project, embedder=HashingEmbedder(), params=FAST)
    assert retrained.why == ("décisions d'analystes apprises : 0 → 1",)
    repo = Path(request.config.rootpath)
    import_files(project, sorted((repo / "corpora" / "round2").glob("r2-01*")), Segmenter(RuleSentenceSplitter()))
    other = coding.code_project(project, embedder=_OtherEncoder(), params=FAST)
    assert other.previous == retrained.model
    assert other.why == ("l'encodeur a changé : hashing@test → hashing64@test",)
    again = coding.retrain(project, embedder=_OtherEncoder(), params=FAST)
    assert not again.new_model and again.why == ()
    with ProjectStore(project) as store:  # each model put in service is logged (agreement reads it)
        assert [model for _at, model in store.codings.in_service_log()] == [
            first.model, retrained.model, other.model]
