"""``evaluate`` refuses bad gold, ``--train`` and ``--predictions`` input before any model work."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tzcld_qual import paths
from tzcld_qual.errors import InputError
from tzcld_qual.services.evaluation import _write_predictions, evaluate, training_material


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


@pytest.mark.parametrize("where", ["missing-folder", "the-gold-itself", "a-train-file", "the-codebook", "a-folder"])
def test_an_unwritable_predictions_path_is_refused_first(tmp_path: Path, gold: Path, where: str) -> None:
    train = _gold(tmp_path / "train.jsonl", [{"id": "t:1", "text": "Autre chose.", "labels": [], "doc": "t"}])
    codebook = paths.default_codebook()
    target = {
        "missing-folder": tmp_path / "nowhere" / "p.jsonl",
        "the-gold-itself": gold,
        "a-train-file": train,
        "the-codebook": codebook,
        "a-folder": tmp_path,
    }[where]
    inputs = [gold, train, codebook]
    before = [path.read_bytes() for path in inputs]
    with pytest.raises(InputError, match="écraserait" if target in inputs else "impossible d'écrire"):
        evaluate(gold, train=[train], codebook_path=codebook, predictions=target, embedder=_NoModel())
    assert [path.read_bytes() for path in inputs] == before


@pytest.mark.parametrize("split", ["train", "dev", "codebook"])
def test_the_bundled_inputs_not_named_are_not_overwritten_either(
    gold: Path, split: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--predictions corpora/gold/train.jsonl`` replaced the 2,644 lines the model learns from
    with 60 predictions; the default codebook went the same way."""
    from tzcld_qual.services import evaluation

    def never(*_args: object, **_kwargs: object) -> None:  # should the check fail, the checkout stays whole
        raise AssertionError("predictions written over a bundled input")

    monkeypatch.setattr(evaluation, "_write_predictions", never)
    target = paths.default_codebook() if split == "codebook" else paths.gold_split(split)
    assert target is not None
    before = target.read_bytes()
    with pytest.raises(InputError, match="écraserait"):
        evaluate(gold, predictions=target, embedder=_NoModel())
    assert target.read_bytes() == before


def test_a_failed_write_of_the_predictions_is_a_clear_error_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "p.jsonl"
    target.write_text("earlier\n", encoding="utf-8")

    def full_disk(self: Path, *args: object, **kwargs: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(InputError, match="disque plein") as error:
        _write_predictions(target, '{"id": "a:1"}\n')
    assert error.value.path == target
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "earlier\n" and [p.name for p in tmp_path.iterdir()] == ["p.jsonl"]


def _reaches_the_model(gold: Path, target: Path, **kwargs: object) -> bool:
    """Whether ``evaluate`` accepts ``target`` for its predictions: it then gets to model work."""
    try:
        evaluate(gold, predictions=target, embedder=_NoModel(), **kwargs)  # type: ignore[arg-type]
    except AssertionError:
        return True
    return False


def test_predictions_replace_only_what_evaluate_wrote_unless_forced(tmp_path: Path, gold: Path) -> None:
    """`evaluate --predictions notes.txt` replaced the notes without a word (exit 0), where export
    and report refuse a file they did not write unless --force."""
    notes = tmp_path / "notes.txt"
    notes.write_text("Entretien 3 : relire le passage sur le CDI.\n", encoding="utf-8")
    with pytest.raises(InputError, match="ne le reconnaît pas comme une de ses sorties") as error:
        evaluate(gold, predictions=notes, embedder=_NoModel())
    assert "--force" in str(error.value) and error.value.path == notes
    assert notes.read_text(encoding="utf-8").startswith("Entretien 3")
    assert _reaches_the_model(gold, notes, force=True)
    ours = tmp_path / "p.jsonl"
    _write_predictions(ours, '{"id": "a:1", "labels": ["F5"], "scores": {"F5": 0.9}}\n')
    assert _reaches_the_model(gold, ours)  # re-running onto its own earlier predictions
    with ours.open("a", encoding="utf-8") as stream:
        stream.write("mes remarques\n")
    with pytest.raises(InputError, match="modifié depuis que tzcld-qual l'a écrit"):
        evaluate(gold, predictions=ours, embedder=_NoModel())


def test_predictions_written_before_outputs_were_recorded_are_replaced(tmp_path: Path, gold: Path) -> None:
    earlier = tmp_path / "p.jsonl"
    earlier.write_text('{"id": "a:1", "labels": [], "scores": {"F5": 0.1}}\n', encoding="utf-8")
    assert _reaches_the_model(gold, earlier)
    earlier.write_text('{"id": "a:1", "text": "J\'ai enfin un CDI.", "labels": ["F5"]}\n', encoding="utf-8")
    with pytest.raises(InputError, match="ne le reconnaît pas"):  # a gold file is no predictions file
        evaluate(gold, predictions=earlier, embedder=_NoModel())


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([{"id": "a:1", "text": "Un.", "labels": []}, {"id": "a:1", "text": "Deux.", "labels": ["F3"]}],
         r"gold\.jsonl:2: identifiant « a:1 » en double \(déjà ligne 1\)"),
        ([{"id": None, "text": "Un.", "labels": []}], r"gold\.jsonl:1: .*« id » doit être"),
        ([{"id": "a:1", "labels": []}], r"gold\.jsonl:1: .*champ « text » manquant"),
        ([], "fichier gold vide"),
    ],
)
def test_a_gold_file_with_a_bad_line_is_named_with_its_line(
    tmp_path: Path, rows: list[dict[str, object]], expected: str
) -> None:
    bad = _gold(tmp_path / "gold.jsonl", rows)
    with pytest.raises(InputError, match=expected) as error:
        evaluate(bad, embedder=_NoModel())
    assert "Error" not in str(error.value)  # no Python exception names


def test_a_gold_line_that_is_not_json_says_where(tmp_path: Path) -> None:
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"id": "a:1", "text": "Un.", "labels": []}\n{"id": "a:2" "text": "Deux."}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"gold\.jsonl:2: ligne gold invalide \(JSON illisible, colonne 14"):
        evaluate(bad, embedder=_NoModel())


def test_bundled_training_answers_that_the_gold_file_holds_are_not_trained_on(tmp_path: Path) -> None:
    """A gold file made of answers of the bundled ``train`` split: they leave the training
    material (and are counted), the rest of it stays."""
    from tzcld_qual.codebook import load_codebook
    from tzcld_qual.services.training import default_gold_train, read_gold

    codebook = load_codebook(paths.default_codebook())
    bundled = default_gold_train()
    assert bundled is not None
    taken = read_gold(bundled)[:40]
    gold = _gold(tmp_path / "gold.jsonl", [
        {"id": f"x:{i}", "text": f"  {r.text} ", "labels": list(r.labels), "doc": "x"} for i, r in enumerate(taken)
    ])
    records = read_gold(gold)
    full = training_material(codebook, tmp_path / "other.jsonl", [])
    material = training_material(codebook, gold, records)
    assert full.left_out == 0 and material.left_out >= 40
    assert len(material.data) == len(full.data) - material.left_out
    kept = {" ".join(t.split()) for t in material.data.texts}
    assert not any(" ".join(r.text.split()) in kept for r in taken)


def test_a_train_record_already_learnt_is_learnt_once_and_another_version_is_said(tmp_path: Path) -> None:
    """`--train corpora/gold/train.jsonl` counted the bundled split twice (train_size 2895 → 5539),
    and the same 10 records in two --train files were 20 training texts, silently."""
    from tzcld_qual.codebook import load_codebook
    from tzcld_qual.services.training import default_gold_train, read_gold

    codebook = load_codebook(paths.default_codebook())
    bundled = default_gold_train()
    assert bundled is not None
    taken = read_gold(bundled)[:10]
    base = training_material(codebook, tmp_path / "gold.jsonl", [])
    again = training_material(codebook, tmp_path / "gold.jsonl", [], [bundled])
    assert len(again.data) == len(base.data) and again.duplicates == len(read_gold(bundled))
    ten = [{"id": f"t:{i}", "text": f" {r.text}", "labels": list(r.labels), "doc": "t"} for i, r in enumerate(taken)]
    new = [{"id": f"n:{i}", "text": f"Un texte nouveau, numéro {i}.", "labels": ["F5"], "doc": "n"} for i in range(3)]
    first = _gold(tmp_path / "t10.jsonl", [*ten, *new])
    second = _gold(tmp_path / "t10b.jsonl", [{**r, "id": f"b{r['id']}"} for r in new])
    twice = training_material(codebook, tmp_path / "gold.jsonl", [], [first, second])
    assert len(twice.data) == len(base.data) + 3 and twice.duplicates == 13 and twice.conflicts == ()
    other = [{**r, "labels": ["F1"]} if r["labels"] != ["F1"] else {**r, "labels": []} for r in ten[:2]]
    conflicting = _gold(tmp_path / "c.jsonl", other)
    said = training_material(codebook, tmp_path / "gold.jsonl", [], [conflicting])
    assert said.conflicts == ("c.jsonl:t:0", "c.jsonl:t:1") and len(said.data) == len(base.data) + 2
