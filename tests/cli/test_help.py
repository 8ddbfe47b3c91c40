"""``--help`` comes in French (English when asked): argparse's headings, the -h line, and every
command's own texts, with the same example command lines in both languages."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from tzcld_qual.cli.main import build_parser, main

ENGLISH_HEADINGS = ("usage:", "positional arguments", "options:", "show this help message")


@pytest.fixture(autouse=True)
def _terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """argparse wraps help to ``COLUMNS``; a fixed width keeps each -h line on one line."""
    monkeypatch.setenv("COLUMNS", "100")


def sub_commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command line that has a parser of its own: ``()``, ``("code",)``, ``("codebook", "show")``…"""
    yield path
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from sub_commands(sub, (*path, name))


def parser_of(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> argparse.ArgumentParser:
    for name in path:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = action.choices[name]
    return parser


def texts(parser: argparse.ArgumentParser) -> list[str | None]:
    """The parser's own texts: description, epilog, each argument's help and each sub-command's."""
    found = [parser.description, parser.epilog]
    for action in parser._actions:
        found.append(action.help)
        if isinstance(action, argparse._SubParsersAction):
            found.extend(choice.help for choice in action._get_subactions())
    return found


def help_text(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--help"])
    out, err = capsys.readouterr()
    assert stop.value.code == 0 and not err
    return out


def test_code_help_is_in_french(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZCLD_LANG", "fr")
    out = help_text(capsys, ["code"])
    assert out.startswith("usage : tzcld-qual code [-h]") and out.split("\n\n")[0].rstrip().endswith(" PROJET")
    assert "\narguments :\n  PROJET                le projet (.tzq)\n" in out and "\noptions :\n" in out
    assert re.search(r"-h, --help +affiche cette aide et quitte", out)
    flat = " ".join(out.split())
    assert "Code chaque segment de répondant" in flat
    assert 'exemples : tzcld-qual code etude.tzq ; tzcld-qual code etude.tzq --round "vague 3" --json' in flat
    assert not [heading for heading in ENGLISH_HEADINGS if heading in out]


def test_code_help_is_in_english_when_asked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZCLD_LANG", "en")
    out = help_text(capsys, ["code"])
    assert out.startswith("usage: tzcld-qual code [-h]")
    assert "\npositional arguments:\n  project               the project (.tzq)\n" in out and "\noptions:\n" in out
    assert re.search(r"-h, --help +show this help message and exit", out)
    flat = " ".join(out.split())
    assert "Code every respondent segment" in flat
    assert 'examples: tzcld-qual code etude.tzq ; tzcld-qual code etude.tzq --round "vague 3" --json' in flat
    assert "affiche" not in out and "usage :" not in out


def test_every_help_is_in_french(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZCLD_LANG", "fr")
    paths = list(sub_commands(build_parser()))
    assert ("code",) in paths and ("codebook", "show") in paths and len(paths) > 20
    for path in paths:
        out = help_text(capsys, list(path))
        assert out.startswith("usage : tzcld-qual"), path
        assert "affiche cette aide et quitte" in out, path
        left = [heading for heading in ENGLISH_HEADINGS if heading in out]
        assert not left, (path, left)


def test_every_text_has_a_french_version_and_the_same_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text left out of ``tr`` reads the same in both languages; an example differs only in its label."""
    monkeypatch.setenv("TZCLD_LANG", "fr")
    french = build_parser()
    monkeypatch.setenv("TZCLD_LANG", "en")
    english = build_parser()
    for path in sub_commands(english):
        fr, en = parser_of(french, path), parser_of(english, path)
        same = [a for a, b in zip(texts(fr), texts(en), strict=True) if a is not None and a == b]
        assert not same, (path, same)

        def examples(parser: argparse.ArgumentParser) -> list[str]:
            return re.findall(r"tzcld-qual [^;\n]+", parser.epilog or "")

        assert examples(fr) == examples(en), path
        assert examples(en), path  # every command shows examples


def test_laid_out_examples_keep_their_lines_in_french(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``RawDescriptionHelpFormatter`` (one example a line) still applies under the French headings."""
    monkeypatch.setenv("TZCLD_LANG", "fr")
    out = help_text(capsys, ["codebook"])
    assert "exemples : tzcld-qual codebook show etude.tzq\n           tzcld-qual codebook validate" in out
    assert "\narguments :\n  ACTION\n" in out


def test_usage_errors_show_the_french_usage_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZCLD_LANG", "fr")
    with pytest.raises(SystemExit) as stop:
        main(["codings"])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.startswith("usage : tzcld-qual codings [-h]")


def test_statuses_are_worded_in_the_language_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    from tzcld_qual.model import Status

    monkeypatch.setenv("TZCLD_LANG", "fr")
    assert [s.label for s in Status] == ["suggéré", "accepté", "rejeté", "ajouté"]
    monkeypatch.setenv("TZCLD_LANG", "en")
    assert [s.label for s in Status] == ["suggested", "accepted", "rejected", "added"]


@pytest.mark.parametrize(
    ("argv", "french"),
    [
        (["ask"], "[--coder CODEUR] PROJET QUESTION"),
        (["code"], "[--round NOM | --documents NOM [NOM ...]]"),
        (["topics"], "tzcld-qual topics promote PROJET ID_THÈME"),
    ],
)
def test_placeholders_are_french_everywhere(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str], french: str
) -> None:
    """« --coder CODER », a mutually exclusive group's « NAME » and the topics usage stayed English."""
    monkeypatch.setenv("TZCLD_LANG", "fr")
    assert french in " ".join(help_text(capsys, argv).split())


def test_undo_help_says_a_theme_made_a_code_is_undone_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """README says a promotion is undoable; `undo --help` spoke of decisions only."""
    monkeypatch.setenv("TZCLD_LANG", "fr")
    text = " ".join(help_text(capsys, ["undo"]).split())
    assert "ou le thème dont il a fait un code (topics promote, le chat)" in text


def test_a_missing_command_is_said_in_french(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZCLD_LANG", "fr")
    with pytest.raises(SystemExit):
        main([])
    assert "arguments obligatoires manquants : COMMANDE" in capsys.readouterr().err
