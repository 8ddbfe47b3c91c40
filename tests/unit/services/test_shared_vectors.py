"""The user's shared vectors of the bundled training texts: reused across projects and
``evaluate`` runs, never holding a project's own texts."""

from __future__ import annotations

import json
import stat
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from fakes import HashingEmbedder

from tzcld_qual.model import Role, Status
from tzcld_qual.segment import RuleSentenceSplitter, Segmenter
from tzcld_qual.services import coding, training
from tzcld_qual.services.engine import EngineParams
from tzcld_qual.services.evaluation import evaluate
from tzcld_qual.services.importing import import_files
from tzcld_qual.services.shared_vectors import SharedVectors, bundled_hashes
from tzcld_qual.store import ProjectStore, text_hash

FAST = EngineParams(coders=("embedding",), folds=3)


class _Recording(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.texts: set[str] = set()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.update(texts)
        return super().encode(texts)


def _vector(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random(8).astype(np.float32)


def test_only_bundled_texts_are_kept_and_they_survive_a_new_process() -> None:
    shared = SharedVectors("m@1", public=frozenset({"a", "b"}))
    shared.put({"a": _vector(1), "private": _vector(2)})
    shared.put({"b": _vector(3)})
    again = SharedVectors("m@1", public=frozenset())  # what a later process reads from disk
    found = again.get(["a", "b", "private"])
    assert set(found) == {"a", "b"} and np.allclose(found["a"], _vector(1))
    assert stat.S_IMODE(shared.path.stat().st_mode) == 0o600
    assert SharedVectors("other@1").get(["a"]) == {}  # one file per model


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04broken"])
def test_a_corrupt_file_reads_as_empty_and_is_replaced(content: bytes) -> None:
    shared = SharedVectors("m@1", public=frozenset({"a"}))
    shared.path.parent.mkdir(parents=True, exist_ok=True)
    shared.path.write_bytes(content)
    assert shared.get(["a"]) == {}
    shared.put({"a": _vector(1)})
    assert set(SharedVectors("m@1").get(["a"])) == {"a"}


def test_the_bundled_texts_are_the_codebook_and_the_train_and_dev_splits(repo: Path) -> None:
    def texts(split: str) -> set[str]:
        lines = (repo / f"corpora/gold/{split}.jsonl").open(encoding="utf-8")
        return {text_hash(json.loads(line)["text"]) for line in lines}

    hashes = bundled_hashes()
    assert texts("train") | texts("dev") <= hashes
    new_round = texts("round2") - texts("train") - texts("dev")  # a new round is a project's own material
    assert new_round and not new_round & hashes


def test_a_second_evaluate_encodes_only_the_gold_texts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(training, "default_gold_train", lambda: None)  # codebook examples only: fast
    gold = tmp_path / "gold.jsonl"
    rows = [
        {"id": "a:1", "text": "Avec ma paie je dors mieux.", "labels": ["F5"], "doc": "a"},
        {"id": "a:2", "text": "On a décidé ensemble au comité.", "labels": ["F1"], "doc": "a"},
    ]
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    first, second = HashingEmbedder(), HashingEmbedder()
    evaluate(gold, embedder=first, params=FAST)
    evaluate(gold, embedder=second, params=FAST)
    assert first.encoded > 100 and second.encoded == len(rows)


def test_a_second_project_encodes_only_its_own_segments(
    tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(training, "default_gold_train", lambda: None)
    files = sorted((repo / "corpora" / "demo").glob("demo-0[12]*"))
    projects = []
    for name in ("a.tzq", "b.tzq"):
        path = tmp_path / name
        import_files(path, files, Segmenter(RuleSentenceSplitter()))
        projects.append(path)
    with ProjectStore(projects[1]) as store:  # another model than a's: fitted, not found in the engine cache
        segments = store.documents.segments(role=Role.RESPONDENT)
        store.codings.decide(segments[0].id, "F4", "alice", Status.MANUAL)
    first, second = _Recording(), _Recording()
    coding.code_project(projects[0], embedder=first, params=FAST)
    report = coding.code_project(projects[1], embedder=second, params=FAST)
    assert report.new_model
    own = {s.text for s in segments}
    assert len(first.texts - own) > 100
    assert second.texts == own  # the codebook's texts came from the shared vectors
    with ProjectStore(projects[1]) as store:  # and were copied into the project: it stands alone
        examples = training.from_codebook(coding.current_codebook(store)).texts
        assert len(store.embeddings.get([text_hash(t) for t in examples], second.model_id)) == len(set(examples))
