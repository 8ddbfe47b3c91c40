"""``tzcld-qual agreement`` end to end (figures worked out in report_cli_project.py)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from report_cli_project import MODEL_ID, build


@pytest.fixture(autouse=True)
def _hermetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZCLD_QUAL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TZCLD_QUAL_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("TZCLD_LANG", "fr")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return build(tmp_path / "p.tzq")


def test_json_figures(cli: Callable, project: Path) -> None:
    result = cli("agreement", project, "--coder", "alice", "--coder", MODEL_ID, "--json")
    assert result.code == 0, result.err
    record = json.loads(result.out)
    assert record["segments"] == 4
    assert record["coder_a"] == {
        "name": "alice",
        "kind": "human",
        "project": str(project),
        "coded": 4,
    }
    codes = {c["code"]: c for c in record["codes"]}
    assert list(codes) == [f"F{i}" for i in range(1, 9)]
    assert (
        codes["F1"]["both"],
        codes["F1"]["only_a"],
        codes["F1"]["only_b"],
        codes["F1"]["neither"],
    ) == (2, 0, 1, 1)
    assert codes["F1"]["kappa"] == pytest.approx(0.5)
    assert codes["F1"]["alpha"] == pytest.approx(8 / 15)
    assert codes["F2"]["kappa"] == pytest.approx(0.0) and codes["F2"]["alpha"] == pytest.approx(0.0)
    assert codes["F5"]["kappa"] is None and codes["F5"]["alpha"] is None and codes["F5"]["percent"] == 1.0
    assert (codes["F1"]["positives"], codes["F2"]["positives"], record["few_positives"]) == (3, 1, ["F1", "F2"])
    overall = record["overall"]
    assert overall["kappa"] == pytest.approx(110 / 174)
    assert overall["alpha"] == pytest.approx(1 - 126 / 348)
    assert overall["percent"] == pytest.approx(30 / 32)
    assert overall["defined_kappas"] == 2
    assert [(d["code"], d["coder_a"], d["coder_b"], d["document"]) for d in record["disagreements"]] == [
        ("F1", False, True, "entretien-nadia.txt"),
        ("F2", True, False, "entretien-nadia.txt"),
    ]
    assert "kappa moyen par code " in result.err and "sur toutes les paires segment × code 0,632" in result.err


def test_text_output_lists_codes_and_disagreements(cli: Callable, project: Path) -> None:
    result = cli("agreement", project, "--coder", "alice", "--coder", MODEL_ID)
    assert result.code == 0, result.err
    assert "alice (analyste, 4 segments codés) × ensemble@1 (modèle, 4 segments codés)" in result.out
    rows = {line.split()[0]: line.split() for line in result.out.splitlines() if line[:2] in ("F1", "F5", "gl")}
    assert rows["F1"][-2:] == ["0,500*", "0,533"]  # F1 on 3 segments, F2 on 1: few positive cases
    assert rows["F5"][-2:] == ["n/a", "n/a"]
    assert "* κ sur moins de 5 cas positifs (segments où l'un des codeurs applique le code) : à lire avec " \
        "prudence (F1, F2)." in result.out
    assert "kappa moyen (2 codes définis, dont 2 sur peu de cas positifs) : 0,250" in result.out
    assert "Désaccords (2)" in result.out
    assert "F1 seulement par ensemble@1 : J'ai vu ma conseillère" in result.out


def test_blind_review_is_said_on_the_command_line(cli: Callable, project: Path) -> None:
    result = cli("agreement", project, "--coder", "alice", "--coder", MODEL_ID, "--blind", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["left_open_pairs"] == 0


def test_second_project_file(cli: Callable, project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.tzq"
    shutil.copy(project, other)
    result = cli(
        "agreement",
        project,
        "--coder",
        "alice",
        "--coder",
        MODEL_ID,
        "--project-b",
        other,
        "--json",
    )
    assert result.code == 0, result.err
    assert json.loads(result.out)["overall"]["kappa"] == pytest.approx(110 / 174)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--coder", "alice"], 2, "exactement deux codeurs"),
        (["--coder", "alice", "--coder", "alice"], 2, "deux codeurs différents"),
        (["--coder", "alice", "--coder", "zoé"], 1, "codeur « zoé » inconnu"),
    ],
)
def test_user_errors_are_clean(cli: Callable, project: Path, args: list[str], code: int, message: str) -> None:
    result = cli("agreement", project, *args)
    assert result.code == code
    assert message in result.err and "Traceback" not in result.err
    assert result.out == ""


def test_missing_project_is_a_clean_error(cli: Callable, tmp_path: Path) -> None:
    result = cli("agreement", tmp_path / "absent.tzq", "--coder", "a", "--coder", "b")
    assert result.code == 1 and "projet introuvable" in result.err


def test_one_segment_and_one_disagreement_are_said_in_the_singular(cli: Callable, project: Path) -> None:
    """« 1 segments comparés, 1 désaccords », « (1 codes définis) »."""
    from tzcld_qual.model import Status
    from tzcld_qual.store import ProjectStore

    with ProjectStore(project) as store:
        segment = next(c.segment_id for c in store.codings.human() if c.origin == "alice" and c.status.applies)
        alice = {c.code_id for c in store.codings.human() if c.segment_id == segment and c.origin == "alice"}
        other = next(f"F{i}" for i in range(1, 9) if f"F{i}" not in alice)
        store.codings.decide(segment, other, "zoe", Status.MANUAL)
    result = cli("agreement", project, "--coder", "alice", "--coder", "zoe")
    assert result.code == 0, result.err
    assert "1 segment comparé, 1 désaccord ;" in result.err
    assert "1 segment comparé. " in result.out and "(analyste, 1 segment codé)" in result.out
    assert re.search(r"kappa moyen \((\d+ codes définis|[01] code défini)(, dont [^)]*)?\)", result.out)
    assert not re.search(r"\b1 (segments|désaccords|codes)\b", result.out + result.err)
