"""Training material: gold files are checked line by line, and the bundled split only teaches
the codes it was coded with."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tzcld_qual.errors import InputError
from tzcld_qual.services import training


@pytest.mark.parametrize(
    "line",
    [
        {"id": "x", "text": "Oui.", "labels": "F3"},  # would read as the labels F and 3
        {"id": "x", "text": None, "labels": []},  # would read as the text "None"
        {"id": "x", "text": "Oui.", "labels": [3]},
        ["x", "Oui.", []],
    ],
)
def test_a_mistyped_gold_line_is_refused_with_its_line_number(tmp_path: Path, line: object) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text('{"id": "ok", "text": "Bien.", "labels": []}\n' + json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        training.read_gold(path)
    assert error.value.line == 2


def test_the_bundled_split_teaches_only_the_codes_it_uses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "train.jsonl"
    rows = [
        {"id": "a", "text": "Le comité.", "labels": ["F1"], "doc": "d"},
        {"id": "b", "text": "La ressourcerie.", "labels": ["F7.besoins"], "doc": "d"},
        {"id": "c", "text": "Il pleut.", "labels": [], "doc": "d"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    monkeypatch.setattr(training, "default_gold_train", lambda: path)

    data = training.bundled_gold(["F1", "F7", "F9"])  # F9: a code added to the codebook
    assert data.texts == ["Le comité.", "La ressourcerie.", "Il pleut."]
    np.testing.assert_array_equal(data.Y, [[1, 0, 0], [0, 1, 0], [0, 0, 0]])
    np.testing.assert_array_equal(data.W[:, 2], 0.0)  # neither positive nor negative for F9
    np.testing.assert_array_equal(data.W[:, :2], 1.0)

    assert len(training.bundled_gold(["REEMPLOI", "SANTE"])) == 0  # a codebook of its own
    monkeypatch.setattr(training, "default_gold_train", lambda: None)
    assert len(training.bundled_gold(["F1"])) == 0


def test_a_gold_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "a", "text": "Oui.", "labels": ["F3"]}).encode() + b"\n")
    [record] = training.read_gold(path)
    assert (record.id, record.labels) == ("a", ("F3",))
