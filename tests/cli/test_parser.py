"""Usage errors come in French (English when asked), with exit code 2 and no traceback."""

from __future__ import annotations

import pytest

from tzcld_qual.cli.parser import french


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("codings",), "tzcld-qual codings : erreur : arguments obligatoires manquants : PROJET"),
        (("codings", "p.tzq", "--status", "bof"), "argument --status : choix invalide : 'bof' (au choix : 'suggested'"),
        (("topics", "p.tzq", "--min-size", "deux"), "argument --min-size : valeur invalide (int attendu) : 'deux'"),
        (("code", "p.tzq", "--bogus"), "arguments non reconnus : --bogus"),
    ],
)
def test_usage_errors_are_in_french(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], expected: str
) -> None:
    from tzcld_qual.cli.main import main

    monkeypatch.setenv("TZCLD_LANG", "fr")
    with pytest.raises(SystemExit) as stop:
        main(list(args))
    err = capsys.readouterr().err
    assert stop.value.code == 2 and expected in err and "Traceback" not in err


def test_usage_errors_text(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from tzcld_qual.cli.main import main

    monkeypatch.setenv("TZCLD_LANG", "fr")
    with pytest.raises(SystemExit):
        main(["codings", "p.tzq", "--status", "bof"])
    err = capsys.readouterr().err
    assert "tzcld-qual codings : erreur : argument --status : choix invalide : 'bof'" in err
    assert "(aide : tzcld-qual codings --help)" in err and "error" not in err
    monkeypatch.setenv("TZCLD_LANG", "en")
    with pytest.raises(SystemExit):
        main(["codings"])
    assert "error: the following arguments are required: project" in capsys.readouterr().err


def test_a_message_argparse_does_not_word_is_left_as_it_is() -> None:
    assert french("argument --x: expected one argument") == "argument --x : une valeur attendue"
    assert french("quelque chose d'autre") == "quelque chose d'autre"


def test_evaluate_takes_several_train_files_after_one_flag_or_the_flag_repeated() -> None:
    """``--train A.jsonl B.jsonl`` as the README writes it, and ``--train A --train B``."""
    from pathlib import Path

    from tzcld_qual.cli.main import build_parser

    parser = build_parser()
    one = parser.parse_args(["evaluate", "--gold", "g.jsonl", "--train", "a.jsonl", "b.jsonl", "--json"])
    repeated = parser.parse_args(["evaluate", "--gold", "g.jsonl", "--train", "a.jsonl", "--train", "b.jsonl"])
    assert one.train == repeated.train == [Path("a.jsonl"), Path("b.jsonl")] and one.json
    assert parser.parse_args(["evaluate", "--gold", "g.jsonl"]).train == []
