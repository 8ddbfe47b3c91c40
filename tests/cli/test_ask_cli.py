"""``tzcld-qual ask`` (and ``undo``/``redo``) on the small chat project, run in-process."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tzcld_qual.model import Status
from tzcld_qual.store import ProjectStore

_spec = importlib.util.spec_from_file_location(
    "chat_fixture", Path(__file__).resolve().parents[1] / "unit" / "chat" / "chat_fixture.py"
)
assert _spec and _spec.loader
chat_fixture = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(chat_fixture)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return chat_fixture.build_project(tmp_path / "cli.tzq")


def test_count_prints_text_and_table(cli: Callable[..., Any], project: Path) -> None:
    result = cli("ask", project, "Combien d'entretiens évoquent F3 ?")
    assert result.code == 0
    assert "F3 (Meilleure connaissance de ses droits) — sous-codes compris :" in result.out
    assert "• entretiens : 3/6 (50 %)" in result.out
    assert any(line.split()[:3] == ["entretiens", "3/6", "(50"] for line in result.out.splitlines())  # table
    assert "Suite :" in result.err


def test_json_is_one_answer_object(cli: Callable[..., Any], project: Path) -> None:
    result = cli("ask", project, "2 citations sur F4", "--json")
    assert result.code == 0
    lines = result.out.strip().splitlines()
    assert len(lines) == 1
    answer = json.loads(lines[0])
    assert set(answer) == {"intent", "text", "table", "quotes", "action", "slots"}
    assert answer["intent"] == "quotes" and answer["slots"] == {"code": "F4", "limit": 2}
    assert len(answer["quotes"]) == 2
    assert set(answer["quotes"][0]) == {
        "text",
        "document",
        "speaker",
        "segment_id",
        "attributes",
        "code",
        "status",
        "confidence",
    }


def test_follow_up_across_invocations(cli: Callable[..., Any], project: Path) -> None:
    cli("ask", project, "Combien d'entretiens évoquent F2 chez les salariés ?")
    answer = json.loads(cli("ask", project, "et chez les élus ?", "--json").out)
    assert answer["slots"]["filters"] == {"role": "élu·e"}


def test_an_action_is_only_described_without_yes(cli: Callable[..., Any], project: Path) -> None:
    with ProjectStore(project) as store:
        before = store.codings.human()
    result = cli("ask", project, "accepte les suggestions F4 au-dessus de 0,4", "--coder", "marie")
    assert result.code == 0
    assert "J'accepterais 2 suggestion(s)" in result.out
    assert "Rien n'a été modifié" in result.err and "--yes" in result.err
    with ProjectStore(project) as store:
        assert store.codings.human() == before


def test_yes_does_it_and_undo_reverts_it(cli: Callable[..., Any], project: Path) -> None:
    result = cli("ask", project, "accepte les suggestions F4 au-dessus de 0,4", "--coder", "marie", "--yes")
    assert result.code == 0
    assert "2 suggestion(s) acceptée(s) au nom de marie" in result.out
    with ProjectStore(project) as store:
        accepted = [
            c for c in store.codings.human("marie") if c.code_id.startswith("F4") and c.status is Status.ACCEPTED
        ]
    undo = cli("undo", project, "--coder", "marie")
    assert undo.code == 0 and "annulé" in undo.out
    with ProjectStore(project) as store:
        after = {(c.segment_id, c.code_id) for c in store.codings.human("marie")}
    assert len([c for c in accepted if (c.segment_id, c.code_id) not in after]) == 2
    redo = cli("redo", project, "--coder", "marie")
    assert redo.code == 0 and "rétabli" in redo.out


def test_yes_json_returns_what_was_done(cli: Callable[..., Any], project: Path) -> None:
    target = chat_fixture.segment_id(project, "sal-coteaux-01", 2)
    result = cli("ask", project, f"code le segment {target} en F3.formation", "--coder", "marie", "--yes", "--json")
    done = json.loads(result.out)
    assert done["intent"] == "code_segment" and "codé F3.formation (ajouté)" in done["text"]


def test_a_change_without_a_coder_is_refused(cli: Callable[..., Any], project: Path) -> None:
    result = cli("ask", project, "accepte les suggestions F4 au-dessus de 0,4", "--yes")
    assert result.code == 2 and "nommez le codeur" in result.err


def test_user_errors(cli: Callable[..., Any], project: Path, tmp_path: Path) -> None:
    assert cli("ask", project, "   ").code == 2
    missing = cli("ask", tmp_path / "absent.tzq", "aide")
    assert missing.code == 1 and "projet introuvable" in missing.err and "Traceback" not in missing.err
    assert cli("undo", project).code == 2


@pytest.mark.parametrize("coder", ["ensemble@1", "ensemble@9", " ", "marie\npaul"])
@pytest.mark.parametrize("command", ["ask", "undo"])
def test_a_coder_named_like_a_model_or_blank_is_refused(
    cli: Callable[..., Any], project: Path, coder: str, command: str
) -> None:
    """`ask --yes` and `undo` stored « ensemble@5 », a blank or a two-line name as an analyst."""
    with ProjectStore(project) as store:
        before = sorted((c.segment_id, c.code_id, c.origin, c.status) for c in store.codings.human())
    args = ("ask", project, "rejette les suggestions F4 sous 0,6", "--yes") if command == "ask" else ("undo", project)
    result = cli(*args, "--coder", coder)
    assert result.code != 0 and "Traceback" not in result.err and "codeur" in result.err.lower()
    with ProjectStore(project) as store:
        assert sorted((c.segment_id, c.code_id, c.origin, c.status) for c in store.codings.human()) == before
        assert coder.strip() not in store.codings.coders("human")


def test_a_question_to_a_read_only_project_is_answered(
    cli: Callable[..., Any], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only project answered nothing, rc 1: the chat history could not be written."""
    import os

    from tzcld_qual.store import project as project_module

    real_access = os.access
    monkeypatch.setattr(project_module.os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    result = cli("ask", project, "Combien d'entretiens évoquent F3 ?")
    assert result.code == 0 and "• entretiens : 3/6 (50 %)" in result.out
    assert "Projet en lecture seule : cette question n'est pas gardée dans l'historique" in result.out
    with ProjectStore(project) as store:
        assert store.chat.turns() == []  # nothing written


def test_each_analyst_follows_up_on_their_own_question(cli: Callable[..., Any], project: Path) -> None:
    """« et chez … ? » built on whoever asked last: another analyst's question, and « le
    deuxième » pointed into another analyst's answer."""
    assert cli("ask", project, "Combien d'entretiens évoquent F3 ?", "--coder", "alice").code == 0
    assert cli("ask", project, "Combien d'entretiens évoquent F4 ?", "--coder", "bob").code == 0
    mine = cli("ask", project, "et chez les élus ?", "--coder", "alice", "--json")
    assert json.loads(mine.out)["slots"]["code"] == "F3"
    theirs = cli("ask", project, "et chez les élus ?", "--coder", "bob", "--json")
    assert json.loads(theirs.out)["slots"]["code"] == "F4"
