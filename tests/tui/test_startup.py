"""Launching: creating a missing project, asking the coder once, the CLI, and import hygiene."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from textual.widgets import Input
from tui_support import MODEL, settle

import tzcld_qual.tui
from tzcld_qual import paths
from tzcld_qual.cli.main import main
from tzcld_qual.store import ProjectStore
from tzcld_qual.tui.app import ReviewApp
from tzcld_qual.tui.screens.dialogs import CoderDialog, ConfirmDialog
from tzcld_qual.tui.widgets.transcript import TranscriptView

HEAVY = ("spacy", "torch", "sentence_transformers", "bertopic", "sklearn", "numpy", "umap", "hdbscan")


async def test_missing_project_is_offered_for_creation(tmp_path: Path) -> None:
    target = tmp_path / "nouveau.tzq"
    app = ReviewApp(target, "alice", create=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("o")
        await settle(pilot)
        assert "Aucun document dans ce projet" in app.screen.query_one(TranscriptView).render().plain
    with ProjectStore(target) as store:
        assert store.codebooks.latest_version() == 1


async def test_declining_creation_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "nouveau.tzq"
    app = ReviewApp(target, "alice", create=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
    assert app.return_code == 1
    assert not target.exists()


async def test_coder_is_asked_once_and_saved(project: Path) -> None:
    app = ReviewApp(project, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CoderDialog)
        app.screen.query_one(Input).value = MODEL  # a model's name is refused
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CoderDialog)
        assert any("nom d'un modèle" in n.message for n in app._notifications)
        app.screen.query_one(Input).value = "zoé"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
    saved = tomllib.loads(paths.config_file().read_text(encoding="utf-8"))
    assert saved["coder"] == "zoé"
    with ProjectStore(project) as store:
        assert [c.origin for c in store.codings.human()] == ["zoé"]


def test_cli_refuses_what_cannot_work(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_project = tmp_path / "notes.tzq"
    not_a_project.write_text("bonjour", encoding="utf-8")
    assert main(["review", str(not_a_project), "--coder", "alice"]) == 1
    assert "n'est pas un projet" in capsys.readouterr().err
    assert main(["review", str(project), "--coder", MODEL]) == 1
    assert "nom d'un modèle" in capsys.readouterr().err
    assert main(["review", str(project), "--coder", "alice"]) == 2  # pytest's stdin is no terminal
    assert "plein écran" in capsys.readouterr().err


def test_cli_help_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["review", "--help"])
    assert "tzcld-qual review etude.tzq --coder alice" in capsys.readouterr().out


def test_importing_the_app_loads_no_model_library() -> None:
    code = (
        "import sys, tzcld_qual.tui.app, tzcld_qual.cli.review_cmds; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_the_tui_never_touches_sqlite_or_the_store() -> None:
    """Widgets and screens go through services.review; only it opens the project."""
    offenders = []
    for path in Path(tzcld_qual.tui.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            offenders += [f"{path.name}: {n}" for n in names if n == "sqlite3" or n.startswith("tzcld_qual.store")]
    assert offenders == []
