"""``codebook`` commands on files with mistakes: each says the file, the line and what to do."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


def _with_draft_definition(tmp_path: Path, codebook_path: Path) -> Path:
    """The bundled codebook with a second, draft « definition: » under F1 (line 28)."""
    lines = codebook_path.read_text(encoding="utf-8").split("\n")
    lines.insert(27, '    definition: "Brouillon."')
    path = tmp_path / "grille.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["validate", "load", "init"])
def test_every_command_reading_a_codebook_refuses_a_key_given_twice(
    cli: Callable, tmp_path: Path, codebook_path: Path, command: str
) -> None:
    broken = _with_draft_definition(tmp_path, codebook_path)
    project = tmp_path / "p.tzq"
    if command == "load":
        assert cli("init", project).code == 0
    before = project.read_bytes() if project.exists() else None
    args = {
        "validate": ("codebook", "validate", broken),
        "load": ("codebook", "load", project, broken),
        "init": ("init", project, "--codebook", broken),
    }[command]
    result = cli(*args)
    assert result.code == 1, result.err
    assert f"{broken}:28: clé « definition » en double dans le code F1" in result.err
    assert "Traceback" not in result.err
    assert (project.read_bytes() if project.exists() else None) == before


def test_validate_says_where_a_quote_was_left_open_in_english_too(
    cli: Callable, tmp_path: Path, codebook_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The label swallowed « color: » and the colour silently fell back to the default."""
    text = codebook_path.read_text(encoding="utf-8").replace(
        'label: "Concertation du CLE et capacité d\'agir"', "label: \"Concertation du CLE et capacité d'agir", 1
    )
    broken = tmp_path / "grille.yaml"
    broken.write_text(text, encoding="utf-8")
    result = cli("codebook", "validate", broken)
    assert result.code == 1 and f"{broken}:24: guillemet probablement non refermé" in result.err
    monkeypatch.setenv("TZCLD_LANG", "en")
    result = cli("codebook", "validate", broken)
    assert result.code == 1
    assert f"{broken}:24: probably an unclosed quote: the value of « label » in code F1" in result.err
    assert "Close the quote at the end of line 24." in result.err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("codebook", "import", "{p}"), "c'est un projet tzcld-qual, pas un codebook REFI-QDA (.qdc)."),
        (("codebook", "validate", "{p}"), "c'est un projet tzcld-qual, pas un codebook YAML."),
        (("init", "{q}", "--codebook", "{p}"), "c'est un projet tzcld-qual, pas un codebook YAML."),
    ],
)
def test_a_project_given_as_codebook_says_so_and_how_to_get_its_codebook(
    cli: Callable, tmp_path: Path, args: tuple[str, ...], said: str
) -> None:
    """`codebook import p.tzq` said « XML illisible : Start tag expected, '<' not found », and
    `codebook validate p.tzq` « Enregistrez-le en UTF-8 »."""
    project, other = tmp_path / "p.tzq", tmp_path / "q.tzq"
    assert cli("init", project).code == 0
    result = cli(*(a.format(p=project, q=other) for a in args))
    assert result.code == 1 and f"{project}: {said}" in result.err
    assert f"tzcld-qual codebook show {project} --yaml > codebook.yaml" in result.err
    assert "XML" not in result.err and "UTF-8" not in result.err and not other.exists()
