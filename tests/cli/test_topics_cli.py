"""``tzcld-qual topics``: discovery, display of a stored run, promotion, and usage errors."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tzcld_qual.cli import topics_cmds
from tzcld_qual.cli.main import main


def _corpus() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "unit" / "topics" / "topics_corpus.py"
    spec = importlib.util.spec_from_file_location("topics_corpus_cli", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _corpus()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TZCLD_QUAL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TZCLD_QUAL_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("TZCLD_LANG", "fr")
    lemmatizer = corpus.CountingLemmatizer()
    monkeypatch.setattr(topics_cmds, "make_embedder", lambda config: corpus.HashingEmbedder())
    monkeypatch.setattr(topics_cmds, "make_lemmatizer", lambda config: lemmatizer)
    return corpus.build_project(tmp_path / "etude.tzq")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_topics_json_then_text_then_promote(project: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(capsys, "topics", str(project), "--scope", "all", "--min-size", "5", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["run"] == "topics@1" and data["scope"] == "all" and data["params"]["min_size"] == 5
    assert len(data["topics"]) >= 3 and data["outliers"] + sum(t["size"] for t in data["topics"]) == 54
    first = data["topics"][0]
    assert first["quotes"][0]["citation"].startswith("[doc-")
    assert first["nearest_code"] in {"F1", "F2", "F3", "F1.vente"}
    assert set(first["shares"]) == {"role", "territory", "round"}
    assert "enregistré sous topics@1" in err and f"Suite : tzcld-qual topics promote {project} 0" in err

    code, out, err = run(capsys, "topics", str(project), "--scope", "all", "--min-size", "5")
    assert code == 0 and "thèmes repris" in err
    assert out.startswith("Thème 0 — ") and "  mots-clés : " in out
    assert "  codes les plus proches (cosinus, direction commune ôtée) : " in out or "  aucun code proche" in out
    assert "  territoire : " in out and "» [doc-" in out and "Hors thème (-1) : " in out

    monkeypatch.setattr(topics_cmds, "make_embedder", _no_model)
    code, out, err = run(capsys, "topics", str(project), "--run", "topics@1", "--json")
    assert code == 0, err
    assert json.loads(out)["topics"] == data["topics"]
    assert "enregistré" not in err and "calcul topics@1 du " in err and "affiché tel qu'il a été fait" in err

    code, out, err = run(capsys, "topics", str(project), "--run", "topics@9")
    assert code == 1 and "Calculs enregistrés : topics@1." in err and "Runs" not in err

    code, out, err = run(capsys, "topics", "promote", str(project), "0", "--parent", "F2", "--label", "Permis",
                         "--json")
    assert code == 0, err
    promoted = json.loads(out)
    assert promoted["code"].startswith("F2.") and promoted["label"] == "Permis"
    assert promoted["codebook_version"] == 2 and promoted["codebook_written_to"] == "project"
    assert promoted["suggestions"] == first["size"] and promoted["origin"] == "topics@1"
    assert "le fichier YAML d'origine n'est pas modifié" in err

    code, out, err = run(capsys, "topics", "promote", str(project), "1")
    assert code == 0 and out.startswith("T1 — ") and "définition (brouillon)" in out


def _no_model(config: object) -> object:
    raise AssertionError("showing a stored run must not load a model")


@pytest.mark.parametrize(("argv", "exit_code", "fragment"), [
    (["promote", "{p}"], 2, "usage"),
    (["promote", "{p}", "x"], 2, "numéro de thème invalide"),
    (["{p}", "--parent", "F1"], 2, "--parent ne sert qu'avec"),
    (["{p}", "extra"], 2, "arguments en trop"),
    (["{p}", "--min-size", "1"], 2, "au moins 2"),
    (["{p}", "--run", "topics@4"], 1, "aucun"),
    (["{p}", "--run", "topics@1", "--scope", "all"], 2, "--scope ne vaut que pour un nouveau calcul"),
    (["{p}", "--run", "topics@1", "--min-size", "20", "--refit"], 2,
     "--min-size, --refit ne valent que pour un nouveau calcul : --run topics@1 affiche un calcul enregistré"),
    (["promote", "{p}", "0"], 1, "aucun thème n'a encore été calculé"),
    (["{missing}"], 1, "projet introuvable"),
])
def test_usage_and_user_errors_exit_cleanly(project: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                            exit_code: int, fragment: str) -> None:
    args = [a.format(p=project, missing=project.with_name("absent.tzq")) for a in argv]
    code, out, err = run(capsys, "topics", *args)
    assert code == exit_code and fragment in err and "Traceback" not in err and out == ""


def test_the_command_modules_import_nothing_heavy() -> None:
    probe = ("import sys, tzcld_qual.cli.topics_cmds, tzcld_qual.services.topics; "
             "heavy = {'bertopic', 'umap', 'hdbscan', 'spacy', 'torch', 'sentence_transformers', 'sklearn', "
             "'numpy'}; print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_promote_hint_names_the_parent_through_the_codebook() -> None:
    """``fierte`` is a sub-code of ``MOI``: the hint must not suggest ``--parent fierte``,
    which ``promote`` refuses."""
    from tzcld_qual.model import Code, Codebook

    codebook = Codebook("c", 1, (Code("MOI", "Moi", "d"), Code("fierte", "Fierté", "d", parent="MOI"),
                                 Code("F3", "Droits", "d"), Code("F3.sante", "Santé", "d", parent="F3")))
    assert topics_cmds._top_of("fierte", codebook) == "MOI"
    assert topics_cmds._top_of("F3.sante", codebook) == "F3" and topics_cmds._top_of("MOI", codebook) == "MOI"
    assert topics_cmds._top_of("F9.retired", None) == "F9"


def test_an_empty_label_id_or_parent_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--label ''` was silently the keyphrases."""
    from tzcld_qual.cli.main import main

    for option in ("--label", "--id", "--parent", "--run"):
        assert main(["topics", "promote", str(tmp_path / "p.tzq"), "0", option, " "]) == 2
        assert f"{option} est vide" in capsys.readouterr().err
    assert main(["topics", str(tmp_path / "p.tzq"), "--run", ""]) == 2
    assert "--run est vide" in capsys.readouterr().err


def test_json_says_which_code_a_rerun_theme_already_is(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The text said « déjà le code F2.… (… % en commun) » while the JSON gave only
    ``promoted_code: null``."""
    assert run(capsys, "topics", str(project), "--scope", "all", "--min-size", "5")[0] == 0
    code, out, err = run(capsys, "topics", "promote", str(project), "0", "--parent", "F2", "--json")
    assert code == 0, err
    promoted = json.loads(out)["code"]
    code, out, err = run(capsys, "topics", str(project), "--scope", "all", "--min-size", "5", "--refit")
    assert code == 0 and f"déjà le code {promoted} (thème 0 de topics@1" in out
    code, out, err = run(capsys, "topics", str(project), "--run", "topics@2", "--json")
    assert code == 0, err
    again = json.loads(out)["topics"]
    same = [t for t in again if t["already_code"] is not None]
    assert len(same) == 1 and same[0]["promoted_code"] is None
    assert same[0]["already_code"]["code"] == promoted and same[0]["already_code"]["run"] == "topics@1"
    assert same[0]["already_code"]["topic"] == 0 and 0.6 <= same[0]["already_code"]["shared"] <= 1.0
    assert all(t["already_code"] is None for t in again if t is not same[0])
    code, out, err = run(capsys, "topics", str(project), "--run", "topics@1", "--json")
    first = json.loads(out)["topics"][0]
    assert first["promoted_code"] == promoted and first["already_code"] is None


def test_the_id_help_says_what_a_top_level_promotion_is_named(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The help said the id was « tiré de --label, sinon T<n> »: at top level it is always T<n>."""
    with pytest.raises(SystemExit):
        main(["topics", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "tiré de --label" not in help_text and "T<n>, le premier libre" in help_text
    assert run(capsys, "topics", str(project))[0] == 0
    code, out, _err = run(capsys, "topics", "promote", str(project), "0", "--label", "Saisonnalité", "--json")
    assert code == 0 and (json.loads(out)["code"], json.loads(out)["label"]) == ("T1", "Saisonnalité")
    code, _out, err = run(capsys, "topics", "promote", str(project), "1", "--id", "F1.vente")
    assert code == 2 and "le code « F1.vente » existe déjà" in err


def test_loading_a_codebook_without_a_promoted_code_says_its_suggestions_stay_apart(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The codebook load said nothing of T1's suggestions, and the next promotion, T1 again, took
    them in."""
    assert run(capsys, "topics", str(project))[0] == 0
    code, out, _err = run(capsys, "topics", "promote", str(project), "0", "--json")
    assert code == 0 and json.loads(out)["code"] == "T1"
    size = json.loads(out)["suggestions"]
    book = tmp_path / "tzcld.yaml"
    book.write_text(corpus.CODEBOOK_YAML, encoding="utf-8")
    code, _out, err = run(capsys, "codebook", "load", str(project), str(book))
    assert code == 0 and f"portent sur des codes absents de cette version : T1 ({size})" in " ".join(err.split())
    code, out, _err = run(capsys, "topics", "promote", str(project), "1", "--json")
    assert code == 0 and json.loads(out)["code"] == "T2"


def test_a_promotion_is_logged_as_its_coder_who_can_undo_and_redo_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`topics promote` had no --coder (the log said tzcld-qual), and `undo --coder alice` said
    « rien à annuler » after a promotion README calls undoable."""
    from tzcld_qual.store import ProjectStore

    assert run(capsys, "topics", str(project))[0] == 0
    code, _out, err = run(capsys, "topics", "promote", str(project), "0", "--coder", "alice")
    assert code == 0 and f"pour annuler : tzcld-qual undo {project} --coder alice" in " ".join(err.split())
    with ProjectStore(project) as store:
        assert [e.coder for e in store.codings.audit() if e.action == "promote-topic"] == ["alice"]
    code, out, _err = run(capsys, "undo", str(project), "--coder", "alice")
    assert code == 0 and out.startswith("annulé : le code T1 (thème 0 de topics@1)")
    with ProjectStore(project) as store:
        assert "T1" not in store.codebooks.get()
    code, out, _err = run(capsys, "redo", str(project), "--coder", "alice")
    assert code == 0 and out.startswith("rétabli : le code T1")
    code, _out, err = run(capsys, "topics", "promote", str(project), "1", "--coder", "ensemble@1")
    assert code == 2 and "forme d'un nom de modèle" in err
    code, _out, err = run(capsys, "topics", str(project), "--coder", "alice")
    assert code == 2 and "--coder ne sert qu'avec « topics promote »" in err


def test_an_empty_project_is_told_to_import_transcripts(tmp_path: Path, project: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    empty = corpus.build_project(tmp_path / "vide.tzq", [], documents=0)
    code, out, err = run(capsys, "topics", str(empty))
    assert code == 1 and out == ""
    assert "aucun segment de répondant" in err and "tzcld-qual import" in err and "--scope all" not in err


def test_a_tiny_project_with_scope_all_is_not_told_to_widen_the_scope(
    tmp_path: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tiny = corpus.build_project(tmp_path / "un.tzq", ["Le jardin potager donne bien cette année.",
                                                      "La voiture du garage est en panne depuis lundi."],
                                documents=1)
    code, _, err = run(capsys, "topics", str(tiny), "--scope", "all", "--min-size", "2")
    assert code == 1 and "2 (il en faut au moins 10 : en dessous" in err
    assert "--scope all" not in err and "importez d'autres entretiens" in err


@pytest.mark.parametrize("size", ["28", "99999999999999999999"])
def test_a_min_size_above_half_the_segments_is_refused_with_the_bound(
    project: Path, capsys: pytest.CaptureFixture[str], size: str
) -> None:
    code, out, err = run(capsys, "topics", str(project), "--scope", "all", "--min-size", size)
    assert code == 2 and out == "" and "entre 2 et 27" in err and "Traceback" not in err
    assert "1999" not in err


def test_the_hint_after_no_theme_keeps_the_scope() -> None:
    from tzcld_qual.topics.result import Scope, TopicRun

    empty = TopicRun(id="topics@1", created_at="2026-01-01T00:00", scope=Scope.ALL, params={"min_size": 170},
                     embedding_model="m", codebook_version=1, segments=431, outliers=431, topics=())
    assert topics_cmds.next_step(Path("demo.tzq"), empty, {}, None) == \
        "tzcld-qual topics demo.tzq --scope all --min-size 85"


def test_after_one_decision_the_same_themes_are_shown_and_said_kept(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tzcld_qual.model import Role, Status
    from tzcld_qual.store import ProjectStore

    code, first, _ = run(capsys, "topics", str(project), "--min-size", "5")
    with ProjectStore(project) as store:
        segment = min(s.id for s in store.documents.segments(role=Role.RESPONDENT))
        store.codings.decide(segment, "F1", "alice", Status.ACCEPTED)
    code, again, err = run(capsys, "topics", str(project), "--min-size", "5")
    assert code == 0 and again == first
    assert "presque identique : 1 segment en est sorti (codés depuis…), 0 y est entré" in err
    assert "repris de topics@1" in err
    assert "--refit pour recalculer" in err


def test_each_theme_says_whether_the_codebook_covers_it_and_the_hint_points_at_one_it_does_not(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tzcld_qual.model import Role, Status
    from tzcld_qual.store import ProjectStore

    with ProjectStore(project) as store:
        for seg in store.documents.segments(role=Role.RESPONDENT):
            code = "F1" if sum(w in seg.text for w in corpus.THEMES["jardin"]) >= 2 else None
            code = code or ("F2" if sum(w in seg.text for w in corpus.THEMES["permis"]) >= 2 else None)
            if code:
                store.codings.decide(seg.id, code, "alice", Status.ACCEPTED)
    code, out, err = run(capsys, "topics", str(project), "--scope", "all", "--min-size", "5", "--json")
    data = json.loads(out)
    verdicts = {t["id"]: t["verdict"] for t in data["topics"]}
    assert "covered" in verdicts.values() and "uncovered" in verdicts.values()
    first_open = next(t for t in data["topics"] if t["verdict"] == "uncovered")
    assert err.rstrip().endswith(f"Suite : tzcld-qual topics promote {project} {first_open['id']}")
    code, out, err = run(capsys, "topics", str(project), "--scope", "all", "--min-size", "5")
    assert "  verdict : couvert par le codebook : proche de F" in out
    assert "  verdict : pas couvert par le codebook : le code le plus proche" in out
    assert "Règle — Couvert par le codebook : le centre du thème est au moins aussi proche d'un code" in out
    assert "Règle — Phase de l'entretien : au moins deux tiers des segments" in out


def test_a_refit_says_which_theme_of_the_run_before_each_theme_continues(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "topics", str(project), "--min-size", "5")
    _, out, _ = run(capsys, "topics", str(project), "--min-size", "5", "--refit")
    headers = [line for line in out.splitlines() if line.startswith("Thème ")]
    assert headers and all(
        line.endswith(f"— suite du thème {line.split()[1]} de topics@1 (100\u00a0% en commun)") for line in headers)
    _, out, _ = run(capsys, "topics", str(project), "--min-size", "5", "--refit", "--json")
    assert json.loads(out)["topics"][0]["continues"] == {"run": "topics@2", "topic": 0, "shared": 1.0}
    _, out, _ = run(capsys, "topics", str(project), "--min-size", "5")  # reused: nothing to say
    assert "suite du thème" not in out
