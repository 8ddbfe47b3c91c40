"""``tzcld-qual remove`` and ``restore`` on the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tzcld_qual.segment import RuleSentenceSplitter, Segmenter
from tzcld_qual.services.importing import import_files


@pytest.fixture
def project(tmp_path: Path) -> Path:
    files = []
    for name in ("martine", "karim"):
        path = tmp_path / f"{name}.txt"
        path.write_text(f"Enquêtrice : Et le CDI ?\n\n{name.capitalize()} : Ça a tout changé.\n", encoding="utf-8")
        files.append(path)
    import_files(tmp_path / "p.tzq", files, Segmenter(RuleSentenceSplitter()))
    return tmp_path / "p.tzq"


def _documents(cli: Callable, project: Path) -> list[str]:
    return [json.loads(line)["document"] for line in cli("attributes", project, "--json").out.splitlines()]


def test_remove_then_restore(cli: Callable, project: Path) -> None:
    removed = cli("remove", project, "karim", "--coder", "marie")
    assert removed.code == 0, removed.err
    assert removed.out == "karim.txt (version 1) retiré — gardés avec lui : 0 décision(s) humaine(s) et 0 mémo(s)\n"
    assert f"tzcld-qual restore {project} NOM" in removed.err
    assert _documents(cli, project) == ["martine.txt"]
    assert "karim.txt" not in cli("segments", project, "--json").out
    listed = cli("restore", project, "--json")
    assert [json.loads(line) for line in listed.out.splitlines()] == [{"document": "karim.txt"}]
    back = cli("restore", project, "karim.txt", "--json")
    assert json.loads(back.out) == {"document": "karim.txt", "version": 1, "decisions": 0, "memos": 0}
    assert _documents(cli, project) == ["karim.txt", "martine.txt"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["remove", "inconnu"], "document « inconnu » introuvable"),
        (["restore", "martine"], "« martine » est dans le projet : il n'a pas été retiré"),
    ],
)
def test_a_wrong_name_is_an_error_and_changes_nothing(
    cli: Callable, project: Path, args: list[str], message: str
) -> None:
    result = cli(args[0], project, *args[1:])
    assert result.code == 1 and message in result.err and "Traceback" not in result.err
    assert _documents(cli, project) == ["karim.txt", "martine.txt"]


def test_a_removed_document_is_said_removed_not_missing(cli: Callable, project: Path) -> None:
    """``segments --document karim`` said « introuvable », as if it had never been imported."""
    assert cli("remove", project, "karim.txt").code == 0
    for name in ("karim", "karim.txt"):
        result = cli("segments", project, "--document", name)
        assert result.code == 1 and "introuvable" not in result.err
        assert "le document « karim.txt » a été retiré du projet" in result.err
        assert f"tzcld-qual restore {project} karim.txt" in result.err
    assert cli("restore", project, "karim.txt").code == 0
    assert "Ça a tout changé." in cli("segments", project, "--document", "karim").out
