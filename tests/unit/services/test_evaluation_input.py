"""``evaluate`` refuses bad gold, ``--train`` and ``--predictions`` input before any model work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tzcld_qual.errors import InputError
from tzcld_qual.services.evaluation import evaluate


class _NoModel:
    """Fails the test if evaluation gets as far as encoding anything."""

    model_id = "none"

    def encode(self, texts: object) -> object:
        raise AssertionError("the input should have been refused before any model work")


def _gold(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    return _gold(
        tmp_path / "gold.jsonl",
        [
            {"id": "a:1", "text": "J'ai enfin un CDI.", "labels": ["F5"], "doc": "a"},
            {"id": "a:3", "text": "On se voit au comité.", "labels": ["F1"], "doc": "a"},
        ],
    )


def test_an_unknown_or_miscased_code_is_named(tmp_path: Path) -> None:
    bad = _gold(tmp_path / "bad.jsonl", [{"id": "b:1", "text": "Bof.", "labels": ["f3", "F9"], "doc": "b"}])
    with pytest.raises(InputError, match="f3") as error:
        evaluate(bad, embedder=_NoModel())
    assert "b:1" in str(error.value) and "2" in str(error.value)


def test_a_train_file_holding_a_gold_segment_is_refused(tmp_path: Path, gold: Path) -> None:
    train = _gold(tmp_path / "train.jsonl", [{"id": "t:1", "text": " J'ai enfin  un CDI.", "labels": [], "doc": "t"}])
    with pytest.raises(InputError, match=r"aussi dans gold\.jsonl"):
        evaluate(gold, train=[train], embedder=_NoModel())


@pytest.mark.parametrize("where", ["missing-folder", "the-gold-itself"])
def test_an_unwritable_predictions_path_is_refused_first(tmp_path: Path, gold: Path, where: str) -> None:
    target = tmp_path / "nowhere" / "p.jsonl" if where == "missing-folder" else gold
    before = gold.read_bytes()
    with pytest.raises(InputError):
        evaluate(gold, predictions=target, embedder=_NoModel())
    assert gold.read_bytes() == before
