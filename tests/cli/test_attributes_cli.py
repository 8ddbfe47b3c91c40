"""``tzcld-qual attributes``: the documents' attributes listed, corrected and removed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tzcld_qual.segment import RuleSentenceSplitter, Segmenter
from tzcld_qual.services.importing import import_files
from tzcld_qual.store import ProjectStore

TEXT = "Enquêtrice : Et le CDI ?\n\n{name} : Ça a tout changé.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    files = []
    for name in ("martine", "karim"):
        path = tmp_path / f"{name}.txt"
        path.write_text(TEXT.format(name=name.capitalize()), encoding="utf-8")
        files.append(path)
    csv = tmp_path / "attributs.csv"
    csv.write_text(
        "fichier;rôle;territoire;vague\nmartine.txt;salarié·e EBE;Coteaux;vague 1\nkarim.txt;élu·e;Coteaux;vague 2\n",
        encoding="utf-8",
    )
    import_files(tmp_path / "p.tzq", files, Segmenter(RuleSentenceSplitter()), attributes_csv=csv)
    return tmp_path / "p.tzq"


def _attributes(project: Path) -> dict[str, dict[str, str]]:
    with ProjectStore(project) as store:
        return {d.name: dict(d.attributes) for d in store.documents.list()}


def test_the_list_is_a_table_and_json_lines(cli: Callable, project: Path) -> None:
    listed = cli("attributes", project)
    assert listed.code == 0
    header, _rule, *rows = listed.out.splitlines()
    assert header.split() == ["document", "rôle", "territoire", "vague", "date", "autres"]
    assert rows[0].split()[:4] == ["karim.txt", "élu·e", "Coteaux", "vague"]
    records = [json.loads(line) for line in cli("attributes", project, "--json").out.splitlines()]
    assert records[1] == {
        "document": "martine.txt",
        "attributes": {"role": "salarié·e EBE", "round": "vague 1", "territory": "Coteaux"},
    }
    one = cli("attributes", project, "--document", "karim")
    assert one.out.splitlines() == ["karim.txt", "  rôle : élu·e", "  territoire : Coteaux", "  vague : vague 2"]


def test_corrections_are_stored_logged_and_said(cli: Callable, project: Path) -> None:
    result = cli(
        "attributes", project, "--document", "karim", "--document", "martine.txt",
        "--set", "vague=vague 3", "--unset", "territoire", "--coder", "marie",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "karim.txt : territoire : Coteaux → — ; vague : vague 2 → vague 3",
        "martine.txt : territoire : Coteaux → — ; vague : vague 1 → vague 3",
    ]
    assert "valeur nouvelle pour vague : « vague 3 » (valeurs du projet : vague 1, vague 2)" in result.err
    assert _attributes(project) == {
        "karim.txt": {"role": "élu·e", "round": "vague 3"},
        "martine.txt": {"role": "salarié·e EBE", "round": "vague 3"},
    }
    with ProjectStore(project) as store:
        assert [e.action for e in store.codings.audit(coder="marie")] == ["attributes", "attributes"]
    same = cli("attributes", project, "--document", "karim", "--set", "vague=vague 3", "--json")
    assert json.loads(same.out)["changed"] is False and "0 document(s) modifié(s) sur 1" in same.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--document", "karim", "--document", "inconnu", "--set", "rôle=partenaire"],
            "document « inconnu » introuvable",
        ),
        (["--set", "rôle=partenaire"], "nommez les documents à corriger"),
        (["--document", "karim", "--set", "rôle"], "« rôle » n'est pas de la forme NOM=VALEUR"),
        (
            ["--document", "karim", "--set", "rôle=partenaire", "--unset", "role"],
            "« rôle » est à la fois donné et retiré",
        ),
    ],
)
def test_a_mistake_changes_nothing_and_says_what_to_do(
    cli: Callable, project: Path, args: list[str], message: str
) -> None:
    before = _attributes(project)
    result = cli("attributes", project, *args)
    assert result.code != 0 and message in result.err and "Traceback" not in result.err
    assert _attributes(project) == before


def test_a_pseudonymised_project_refuses_an_identifying_attribute(cli: Callable, tmp_path: Path) -> None:
    """``--set "nom=Nathalie Moreau"`` said ‹masqué› but stored the name in clear beside the placeholders."""
    path = tmp_path / "nathalie.txt"
    path.write_text(TEXT.format(name="[PERSONNE_1]"), encoding="utf-8")
    project = tmp_path / "p.tzq"
    import_files(project, [path], Segmenter(RuleSentenceSplitter()))
    for key in ("nom", "Téléphone portable"):
        result = cli("attributes", project, "--document", "nathalie", "--set", f"{key}=Nathalie Moreau")
        assert result.code == 1, result.err
        assert f"« {key} » identifie la personne et le projet est pseudonymisé" in result.err
        assert "Rien n'a été modifié" in result.err and "Traceback" not in result.err
    assert _attributes(project) == {"nathalie.txt": {}}
    assert b"Moreau" not in b"".join(p.read_bytes() for p in tmp_path.glob("p.tzq*"))
    assert cli("attributes", project, "--document", "nathalie", "--set", "profil=salariée").code == 0


def test_a_project_in_clear_still_takes_a_name(cli: Callable, project: Path) -> None:
    assert cli("attributes", project, "--document", "martine", "--set", "nom=Martine Dupuis").code == 0
    assert _attributes(project)["martine.txt"]["nom"] == "Martine Dupuis"
