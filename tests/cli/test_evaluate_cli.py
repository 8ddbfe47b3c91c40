"""``tzcld-qual evaluate``: what it refuses before any model work, and what it says."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path


def test_predictions_do_not_replace_a_file_evaluate_did_not_write_without_force(cli: Callable, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a:1", "text": "J'ai un CDI.", "labels": ["F5"], "doc": "a"}) + "\n")
    notes = tmp_path / "notes.txt"
    notes.write_text("mes notes\n", encoding="utf-8")
    result = cli("evaluate", "--gold", gold, "--predictions", notes)
    assert result.code == 1 and f"{notes}: ce fichier existe déjà" in result.err and "--force" in result.err
    assert notes.read_text(encoding="utf-8") == "mes notes\n" and not result.out
