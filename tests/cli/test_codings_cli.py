"""``tzcld-qual codings``: a code's sub-codes come with it, by the project's codebook."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from transcripts import add_transcript

from tzcld_qual.codebook import load_codebook
from tzcld_qual.model import Role, Status, Suggestion
from tzcld_qual.store import NewRun, ProjectStore

BOOK = """
codebook: {name: essai, version: 1, language: fr}
codes:
  - id: MOI
    definition: "Le regard sur soi."
  - id: fierte
    parent: MOI
    definition: "La fierté."
  - id: DROITS
    definition: "Les droits."
"""


def test_codings_of_a_code_include_its_sub_codes_named_without_a_dot(cli: Callable, tmp_path: Path) -> None:
    book = tmp_path / "book.yaml"
    book.write_text(BOOK, encoding="utf-8")
    project = tmp_path / "p.tzq"
    with ProjectStore(project, create=True) as store:
        store.codebooks.add(load_codebook(book), BOOK, str(book))
        add_transcript(
            store,
            [
                ("Enquêtrice", Role.INTERVIEWER, "Et le CDI ?"),
                ("Martine", Role.RESPONDENT, "Je suis fière. J'ai mes droits."),
            ],
        )
        seg = store.documents.segments(role=Role.RESPONDENT)[0].id
        for code in ("MOI", "fierte", "DROITS"):
            store.codings.decide(seg, code, "alice", Status.MANUAL)
    result = cli("codings", project, "--code", "MOI", "--json")
    assert result.code == 0, result.err
    assert sorted(json.loads(line)["code"] for line in result.out.splitlines()) == ["MOI", "fierte"]


def _two_models(tmp_path: Path) -> tuple[Path, str, str]:
    """A project whose first model's suggestion was superseded by a retrain (both rows kept),
    with one analyst decision, all on ``a_1.md``, which shares its stem with ``a_1.txt``."""
    book = tmp_path / "book.yaml"
    book.write_text(BOOK, encoding="utf-8")
    project = tmp_path / "p.tzq"
    with ProjectStore(project, create=True) as store:
        store.codebooks.add(load_codebook(book), BOOK, str(book))
        for name in ("a_1.txt", "a_1.md", "b.txt"):
            add_transcript(store, [("Martine", Role.RESPONDENT, f"Je suis fière ({name}).")], name=name)
        seg = store.documents.segments(role=Role.RESPONDENT)[0].id
        old, new = (store.runs.register(NewRun("ensemble", fp, 1, {"thresholds": {}}))[0] for fp in ("x", "y"))
        for run, p in ((old, 0.6), (new, 0.7)):
            store.codings.put_scores(run, {seg: {"MOI": p}}, [Suggestion(seg, "MOI", p, "")])
        store.set_meta("current_model", new)
        store.codings.decide(seg, "DROITS", "alice", Status.MANUAL)
    return project, old, new


def test_codings_say_when_they_list_several_models_and_can_keep_the_current_one(cli: Callable, tmp_path: Path) -> None:
    project, old, new = _two_models(tmp_path)
    every = cli("codings", project, "--json")
    assert every.code == 0, every.err
    assert sorted(json.loads(line)["origin"] for line in every.out.splitlines()) == sorted(["alice", old, new])
    assert f"suggestions de 2 modèles ({old}, {new}) : --current-model" in every.err
    current = cli("codings", project, "--current-model", "--json")
    assert current.code == 0, current.err
    assert sorted(json.loads(line)["origin"] for line in current.out.splitlines()) == ["alice", new]
    assert f"2 codages ; suggestions du modèle courant ({new}) seul et 1 décision d'analyste" in current.err
    table = cli("codings", project).out  # the table speaks French; the JSON keeps the contract's values
    assert "suggéré" in table and "ajouté" in table and "suggested" not in table and "manual" not in table
    assert {json.loads(line)["status"] for line in every.out.splitlines()} == {"suggested", "manual"}


def test_current_model_help_says_the_analysts_decisions_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    """`codings --current-model --json` listed 989 suggestions and 9 analysts' decisions while its
    help said « seulement les suggestions du modèle courant »: it leaves out earlier models'
    suggestions, and the decisions are no model's."""
    from tzcld_qual.cli.main import build_parser

    monkeypatch.setenv("COLUMNS", "1000")  # one line per option
    codings = next(a for a in build_parser()._actions if a.dest == "command").choices["codings"]
    said = next(a.help for a in codings._actions if a.dest == "current_model")
    assert "seulement les suggestions" not in said
    assert "modèles précédents" in said and "décisions des analystes" in said


def test_open_suggestions_leave_out_those_an_analyst_decided(cli: Callable, tmp_path: Path) -> None:
    """`--status suggested` listed suggestions already accepted (42 of 987): a decision is a row
    of its own and the model's stays « suggested ». `--open` lists what is left to review."""
    project, _old, new = _two_models(tmp_path)
    with ProjectStore(project) as store:
        seg = store.documents.segments(role=Role.RESPONDENT)[0].id
        other = store.documents.segments(role=Role.RESPONDENT)[2].id
        store.codings.put_scores(new, {other: {"MOI": 0.8}}, [Suggestion(other, "MOI", 0.8, "")])
        store.codings.decide(seg, "MOI", "bob", Status.ACCEPTED)
    every = cli("codings", project, "--status", "suggested", "--current-model", "--json")
    assert sorted(json.loads(line)["segment_id"] for line in every.out.splitlines()) == sorted([seg, other])
    still = cli("codings", project, "--open", "--json")
    assert still.code == 0, still.err
    assert [(json.loads(line)["segment_id"], json.loads(line)["status"]) for line in still.out.splitlines()] == [
        (other, "suggested")
    ]
    both = cli("codings", project, "--open", "--status", "accepted")  # printed « 0 codage »
    assert both.code == 2 and "--open liste des suggestions" in both.err and not both.out


def test_codings_refuse_a_code_origin_or_document_the_project_does_not_know(cli: Callable, tmp_path: Path) -> None:
    project, _old, _new = _two_models(tmp_path)
    before = project.read_bytes()
    for args, message in (
        (("--code", "moi"), "code « moi » inconnu"),
        (("--origin", "alicia"), "origine « alicia » inconnue"),
        (("--document", "nope"), "document « nope » introuvable"),
        (("--document", "%"), "document « % » introuvable"),  # not a wildcard
        (("--document", "a_1"), "« a_1 » désigne plusieurs documents : a_1.md, a_1.txt"),
    ):
        result = cli("codings", project, *args)
        assert result.code == 1 and message in result.err and "Traceback" not in result.err, (args, result.err)
    assert len(cli("codings", project, "--document", "a_1.md", "--json").out.splitlines()) == 3
    assert cli("codings", project, "--document", "a_1.txt", "--json").out == ""
    assert cli("codings", project, "--document", "b", "--json").code == 0
    assert project.read_bytes() == before


def test_codings_refuse_an_empty_document_code_or_origin_as_code_refuses_an_empty_round(
    cli: Callable, tmp_path: Path
) -> None:
    """`codings --document ''` listed every coding (exit 0) while `code --round ''` is refused:
    an empty value is a slip, not "every document"."""
    project, _old, _new = _two_models(tmp_path)
    for option in ("--document", "--code", "--origin"):
        for value in ("", "  "):
            result = cli("codings", project, option, value, "--json")
            assert result.code == 2 and f"{option} est vide" in result.err and not result.out, (option, result)
    # --status '' is argparse's « choix invalide » (its choices), exit 2 as well


def test_the_codings_table_gives_explanations_the_width_left_and_marks_the_cut(
    cli: Callable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every explanation was cut at 60 characters without a mark, even at 250 columns
    (« … embeddings ✓ 0.97 · s »)."""
    project, _old, new = _two_models(tmp_path)
    first = "2/3 codeurs d'accord (lexique ✗ 0.10 · embeddings ✓ 0.97 · supervisé ✓ 0.78)"
    with ProjectStore(project) as store:
        seg = store.documents.segments(role=Role.RESPONDENT)[1].id
        suggestion = Suggestion(seg, "MOI", 0.9, first + "\nlexique : « fière »")
        store.codings.put_scores(new, {seg: {"MOI": 0.9}}, [suggestion])
    monkeypatch.setenv("COLUMNS", "250")
    wide = cli("codings", project, "--current-model")
    assert wide.code == 0, wide.err
    assert f"{first} …" in wide.out  # the first line whole, the lines after it said to be there
    assert "1 explication coupée (…) : le texte entier avec --json" in wide.err
    monkeypatch.setenv("COLUMNS", "60")  # narrower than the other columns: 40 characters still
    narrow = cli("codings", project, "--current-model")
    assert f"{first[:39].rstrip()}…" in narrow.out and first not in narrow.out
    only_short = cli("codings", project, "--origin", "alice")
    assert "coupée" not in only_short.err and "…" not in only_short.out
    assert "coupée" not in cli("codings", project, "--json").err


def test_loading_a_codebook_without_a_decided_code_says_what_the_decisions_become(
    cli: Callable, tmp_path: Path
) -> None:
    project, _old, _new = _two_models(tmp_path)
    renamed = tmp_path / "v2.yaml"
    renamed.write_text(BOOK.replace("id: DROITS", "id: DROITS_SOCIAUX"), encoding="utf-8")
    result = cli("codebook", "load", project, renamed)
    assert result.code == 0, result.err
    assert (
        "attention : 1 décision(s) d'analystes portent sur des codes absents de cette version : DROITS (1)"
        in result.err
    )
    with ProjectStore(project) as store:  # nothing is deleted
        assert [(c.code_id, c.origin) for c in store.codings.human()] == [("DROITS", "alice")]
    back = cli("codebook", "load", project, tmp_path / "book.yaml")
    assert back.code == 0 and "absents" not in back.err


def test_a_share_of_resamples_near_all_or_none_is_not_rounded_to_it() -> None:
    """« l'ensemble fait mieux sur 100 % des rééchantillonnages » for 0.997."""
    from tzcld_qual.cli.coding_cmds import _share_of_resamples

    shares = [_share_of_resamples(s) for s in (0.997, 1.0, 0.0, 0.002, 0.8)]
    assert shares == ["99,7 %", "100 %", "0 %", "0,2 %", "80 %"]


def test_loading_a_codebook_without_a_suggested_code_says_how_many_suggestions_it_leaves(
    cli: Callable, tmp_path: Path
) -> None:
    """Only analysts' decisions were warned about; the model's pending suggestions on a dropped
    code stayed in the project without a word."""
    project, _old, _new = _two_models(tmp_path)
    renamed = tmp_path / "v2.yaml"
    renamed.write_text(BOOK.replace("id: MOI", "id: SOI").replace("parent: MOI", "parent: SOI"), encoding="utf-8")
    result = cli("codebook", "load", project, renamed)
    assert result.code == 0, result.err
    assert (
        "attention : 1 suggestion(s) non revue(s) (du modèle ou de thèmes promus) portent sur des codes absents "
        "de cette version : MOI (1)." in result.err
    )
    assert f"relancez tzcld-qual code {project}" in result.err and "décision(s)" not in result.err
    with ProjectStore(project) as store:  # an analyst's decision makes it reviewed: no longer counted
        seg = store.documents.segments(role=Role.RESPONDENT)[0].id
        store.codings.decide(seg, "MOI", "alice", Status.REJECTED)
    again = cli("codebook", "load", project, renamed)
    assert again.code == 0 and "suggestion(s)" not in again.err and "1 décision(s)" in again.err
