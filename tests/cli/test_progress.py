"""The progress bar's rate: segments scored per second, from the first batch on."""

from __future__ import annotations

import io

from rich.console import Console as RichConsole
from rich.progress import Progress

from tzcld_qual.cli.output import Console
from tzcld_qual.cli.progress import Rate, RunProgress


def test_the_rate_counts_from_the_first_batch_not_from_the_preparation() -> None:
    """90 s of preparation and model fit made a run that scored 130 segments a second read « 3 seg/s »."""
    rate = Rate()
    assert rate(256, 1000.0) == ""  # one batch: no rate yet
    assert rate(512, 1002.0) == "128 seg/s"
    assert rate(768, 1004.0) == "128 seg/s"
    assert Rate()(0, 5.0) == "" and rate(768, 1004.0) == "128 seg/s"


def _bar() -> tuple[Progress, RunProgress]:
    bar = Progress(console=RichConsole(file=io.StringIO(), force_terminal=True))
    return bar, RunProgress(Console(err=io.StringIO()), "codage", bar)


def test_each_long_step_has_its_own_count_rate_and_estimate() -> None:
    """A first run showed « codage — chargement du modèle et encodage 0/695 0% -:--:-- » for
    150 s while the training texts were encoded, then the folds, all at 0/695."""
    bar, progress = _bar()
    task = bar.tasks[0]
    progress.step("encodage des textes d'entraînement", 0, 2895)
    progress.step("encodage des textes d'entraînement", 512, 2895)
    assert (task.total, task.completed, task.fields["count"]) == (2895, 512, "512/2895")
    assert task.description == "codage — encodage des textes d'entraînement"
    assert task.fields["rate"].endswith("textes/s")
    progress.stage("validation croisée 2/4", 0.2)
    assert (task.total, task.completed, task.fields["count"], task.fields["rate"]) == (100, 20, "", "")
    assert task.description == "codage — validation croisée 2/4"
    progress.advance(0, 695)
    progress.advance(256, 695)
    assert (task.total, task.completed, task.fields["count"]) == (695, 256, "256/695")
    assert task.description == "codage — encodage et codage"


def test_without_a_terminal_verbose_says_each_step_in_a_few_lines() -> None:
    err = io.StringIO()
    progress = RunProgress(Console(err=err, verbose=1), "codage")
    for done in range(0, 2896, 128):
        progress.step("encodage des textes d'entraînement", done, 2895)
    progress.stage("validation croisée 1/4", 0.0)
    lines = err.getvalue().splitlines()
    assert lines[0] == "codage — encodage des textes d'entraînement : 0/2895"
    assert 8 <= len(lines) <= 12 and lines[-1] == "codage — validation croisée 1/4 (0%)"
    assert RunProgress(Console(err=io.StringIO()), "codage").step("x", 1, 2) is None  # silent without -v
