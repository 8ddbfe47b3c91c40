"""``export``, ``codebook`` and ``import-qdpx`` commands: what they write, print and refuse."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from tzcld_qual.cli.main import main
from tzcld_qual.codebook import parse_codebook
from tzcld_qual.model import NO_CODE, Role, Status, Suggestion
from tzcld_qual.store import CodingFilter, NewRun, NewSegment, ProjectStore

CODEBOOK = """\
codebook:
  name: "Mini CLI"
codes:
  - id: F1
    label: "Concertation"
    color: "#1f77b4"
    definition: "Décider ensemble."
  - id: F1.cle
    parent: F1
    label: "CLE"
    definition: "Le comité local."
  - id: F2
    label: "Regard"
    definition: "Le regard des autres."
"""
TEXT = "Enquêtrice : Et le comité ?\nMartine : On y décide ensemble.\nMartine : On me voit autrement.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "etude.tzq"
    with ProjectStore(path, create=True) as store:
        store.codebooks.add(parse_codebook(CODEBOOK), CODEBOOK, "mini.yaml")
        spans = [
            ("Enquêtrice", Role.INTERVIEWER, "Et le comité ?"),
            ("Martine", Role.RESPONDENT, "On y décide ensemble."),
            ("Martine", Role.RESPONDENT, "On me voit autrement."),
        ]
        segments = [
            NewSegment(i, who, role, TEXT.index(body), TEXT.index(body) + len(body), body)
            for i, (who, role, body) in enumerate(spans)
        ]
        with store.transaction():
            doc = store.documents.add(
                name="e1.txt",
                source_path="e1.txt",
                content_hash="h",
                text=TEXT,
                attributes={"territory": "Nord"},
                speakers={"Enquêtrice": "interviewer", "Martine": "respondent"},
                source_format="txt",
                segments=segments,
            )
        _question, first, second = store.documents.segments(document_id=doc.id)
        store.codings.decide(first.id, "F1.cle", "alice", Status.ACCEPTED)
        run = store.runs.register(NewRun("ensemble", "fp", 1, {}))[0]
        store.codings.put_scores(run, {second.id: {"F2": 0.7}}, [Suggestion(second.id, "F2", 0.7, "regard")])
        store.set_meta("current_model", run)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_export_qdpx_then_import_it_back(project, tmp_path, capsys):
    out = tmp_path / "etude.qdpx"
    code, stdout, stderr = run(capsys, "export", project, "--format", "qdpx", "-o", out)
    assert (code, stdout) == (0, f"{out}\n")
    assert "1 codage d'analystes, 1 suggestion de modèle" in stderr and "import-qdpx" in stderr
    assert sorted(zipfile.ZipFile(out).namelist())[0] == "project.qde"

    code, stdout, stderr = run(capsys, "import-qdpx", out, "-p", tmp_path / "copie.tzq", "--json")
    assert code == 0
    record = json.loads(stdout)
    assert record["project"] == str(tmp_path / "copie.tzq")
    assert (record["documents"], record["decisions"], record["suggestions"]) == (1, 1, 1)
    assert record["coders"] == {"alice": "human", "ensemble@1": "model"}
    with ProjectStore(tmp_path / "copie.tzq") as store:
        rows = {
            (store.documents.segment(c.segment_id).text, c.code_id, c.origin, c.status.value)
            for c in store.codings.list(CodingFilter())
        }
    assert rows == {
        ("On y décide ensemble.", "F1.cle", "alice", "accepted"),
        ("On me voit autrement.", "F2", "ensemble@1", "suggested"),
    }

    code, _, stderr = run(capsys, "import-qdpx", out, tmp_path / "copie.tzq")
    assert code == 1 and stderr.startswith("tzcld-qual: ") and "existe déjà" in stderr
    code, _, stderr = run(capsys, "import-qdpx", out, tmp_path / "a.tzq", "-p", tmp_path / "b.tzq")
    assert code == 2 and "deux projets" in stderr


def test_no_code_marks_are_said_kept_out_of_the_codings_and_come_back(project, tmp_path, capsys):
    with ProjectStore(project) as store:
        second = store.documents.segments(role=Role.RESPONDENT)[1]
        store.codings.decide(second.id, NO_CODE, "alice", Status.ACCEPTED)
        store.codings.decide(second.id, NO_CODE, "bruno", Status.ACCEPTED)
    out = tmp_path / "etude.qdpx"
    code, _, stderr = run(capsys, "export", project, "--format", "qdpx", "-o", out, "--suggestions", "all")
    assert code == 0 and "1 codage d'analystes, 1 suggestion de modèle" in stderr
    assert "1 segment relu sans code (2 marques « aucun code » d'analystes) gardés dans tzcld-qual.json" in stderr
    code, _, stderr = run(capsys, "import-qdpx", out, tmp_path / "copie.tzq")
    assert code == 0 and "1 décision d'analystes (alice, bruno), 2 marques « relu, aucun code »" in stderr
    with ProjectStore(tmp_path / "copie.tzq") as store:
        assert {(store.documents.segment(s).text, c) for s, c in store.codings.no_code()} == {
            ("On me voit autrement.", "alice"),
            ("On me voit autrement.", "bruno"),
        }


def test_export_qdc_and_codebook_commands(project, tmp_path, capsys):
    qdc = tmp_path / "grille.qdc"
    assert run(capsys, "export", project, "-f", "qdc", "-o", qdc)[0] == 0
    code, stdout, _ = run(capsys, "codebook", "import", qdc)
    assert code == 0 and stdout.startswith("# Codebook importé de grille.qdc")
    yaml_file = tmp_path / "grille.yaml"
    code, stdout, stderr = run(capsys, "codebook", "import", qdc, "-o", yaml_file)
    assert (code, stdout) == (0, "") and "3 codes convertis" in stderr
    assert [c.id for c in parse_codebook(yaml_file.read_text(encoding="utf-8")).codes] == ["F1", "F1.cle", "F2"]
    code, _, stderr = run(capsys, "codebook", "import", qdc, "-o", yaml_file)
    assert code == 1 and "--force" in stderr
    before = project.read_bytes()  # --force never reaches a project
    code, _, stderr = run(capsys, "codebook", "import", qdc, "-o", project, "--force")
    assert code == 1 and "fichier de projet" in stderr and project.read_bytes() == before

    code, stdout, stderr = run(capsys, "codebook", "validate", yaml_file, "--json")
    assert code == 0 and json.loads(stdout)["codes"] == 3 and "codebook valide" in stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes:\n  - id: F1\n    label: x\n", encoding="utf-8")
    code, stdout, stderr = run(capsys, "codebook", "validate", bad)
    assert (code, stdout) == (1, "") and f"{bad}:2" in stderr and "définition" in stderr

    code, _, stderr = run(capsys, "codebook", "load", project, yaml_file)
    assert code == 0 and "version 2" in stderr
    code, stdout, _ = run(capsys, "codebook", "show", project, "--json")
    assert [json.loads(line)["id"] for line in stdout.splitlines()] == ["F1", "F1.cle", "F2"]
    code, stdout, _ = run(capsys, "codebook", "show", project, "--version", "1", "--yaml")
    assert stdout == CODEBOOK
    code, _, stderr = run(capsys, "codebook", "show", project, "--version", "9")
    assert code == 1 and "version 9" in stderr


def test_export_tables(project, tmp_path, capsys):
    folder = tmp_path / "tableaux"
    code, stdout, stderr = run(capsys, "export", project, "--format", "csv", "-o", folder)
    assert code == 0
    assert [Path(line).name for line in stdout.splitlines()] == [
        "codings.csv",
        "matrix_code_document.csv",
        "crosstab_code_territory.csv",
        "cooccurrence.csv",
    ]
    assert "4 tableaux écrits" in stderr
    matrix = (folder / "matrix_code_document.csv").read_text(encoding="utf-8").splitlines()
    assert matrix[1:] == ["F1,Concertation,top,1,1", "F1.cle,CLE,sub,1,1", "F2,Regard,top,0,0", "(segments),,total,2,2"]
    assert "comptes des codes validés seulement" in stderr
    code, stdout, stderr = run(capsys, "export", project, "--format", "csv", "-o", folder, "--include-suggestions")
    matrix = (folder / "matrix_code_document_with_suggestions.csv").read_text(encoding="utf-8").splitlines()
    assert matrix[3] == "F2,Regard,top,1,1"
    assert "comptes avec les suggestions non revues de ensemble@1" in stderr
    code, stdout, _ = run(capsys, "export", project, "--format", "xlsx", "-o", tmp_path / "t.xlsx", "--json")
    record = json.loads(stdout)
    assert code == 0 and record["tables"][0] == "codings"
    assert (record["include_suggestions"], record["suggestions_model"]) == (False, None)
    code, stdout, _ = run(
        capsys, "export", project, "-f", "xlsx", "-o", tmp_path / "s.xlsx", "--include-suggestions", "--json"
    )
    record = json.loads(stdout)
    assert (record["include_suggestions"], record["suggestions_model"]) == (True, "ensemble@1")
    assert (tmp_path / "t.xlsx").stat().st_size > 0


def test_usage_errors(project, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["export", str(project), "--format", "pdf", "-o", str(tmp_path / "x")])
    assert exit_info.value.code == 2
    code, _, stderr = run(capsys, "export", tmp_path / "absent.tzq", "--format", "qdc", "-o", tmp_path / "x.qdc")
    assert code == 1 and "projet introuvable" in stderr
    code, _, stderr = run(capsys, "export", project, "--format", "xlsx", "-o", tmp_path)
    assert code == 1 and "dossier" in stderr


def test_an_export_never_overwrites_a_project(project, tmp_path, capsys):
    """``-o etude.tzq`` by mistake replaced every decision with a zip, and exited 0."""
    before = project.read_bytes()
    for fmt in ("qdpx", "qdc", "xlsx", "csv"):
        code, _, stderr = run(capsys, "export", project, "--format", fmt, "-o", project)
        assert code in (1, 2) and "Traceback" not in stderr
    assert project.read_bytes() == before
    other = tmp_path / "autre.qdpx"  # a project under an export's name: still refused
    other.write_bytes(before)
    code, _, stderr = run(capsys, "export", project, "--format", "qdpx", "-o", other)
    assert code == 1 and "fichier de projet" in stderr and other.read_bytes() == before


def test_an_export_is_named_for_its_format(project, tmp_path, capsys):
    code, _, stderr = run(capsys, "export", project, "--format", "qdc", "-o", tmp_path / "x.qdpx")
    assert code == 2 and "--format qdc écrit un fichier .qdc" in stderr
    assert not (tmp_path / "x.qdpx").exists()


def test_output_paths_the_system_refuses_are_clean_errors(project, tmp_path, capsys):
    (tmp_path / "plain.txt").write_text("x")
    for fmt, name in (("qdpx", "x.qdpx"), ("csv", "tables")):
        code, _, stderr = run(capsys, "export", project, "--format", fmt, "-o", tmp_path / "plain.txt" / name)
        assert code == 1 and "plain.txt" in stderr and "Traceback" not in stderr
    assert (tmp_path / "plain.txt").read_text() == "x"


def test_include_suggestions_is_refused_where_it_means_nothing(project, tmp_path, capsys):
    code, _, stderr = run(capsys, "export", project, "-f", "qdpx", "-o", tmp_path / "x.qdpx", "--include-suggestions")
    assert code == 2 and "--include-suggestions vaut pour csv et xlsx" in stderr and "--suggestions" in stderr
    assert not (tmp_path / "x.qdpx").exists()
    code, _, stderr = run(capsys, "export", project, "-f", "csv", "-o", tmp_path / "csv", "--suggestions", "all")
    assert code == 2 and "--suggestions vaut pour qdpx, pas pour csv" in stderr and "--include-suggestions" in stderr
    assert not (tmp_path / "csv").exists()  # it was ignored: the tables left the suggestions out, silently


def test_an_export_replaces_only_what_tzcld_qual_wrote(project, tmp_path, capsys):
    """A folder's own ``codings.csv`` was overwritten without a word; each format's own earlier
    export is still replaced, as re-running the same command does."""
    folder = tmp_path / "tableaux"
    folder.mkdir()
    (folder / "codings.csv").write_text("id;note\n1;à garder\n", encoding="utf-8")
    code, _, stderr = run(capsys, "export", project, "-f", "csv", "-o", folder)
    assert code == 1 and f"{folder / 'codings.csv'}: ce fichier existe déjà et tzcld-qual ne le reconnaît pas" in stderr
    assert [p.name for p in folder.iterdir()] == ["codings.csv"]  # no table written beside it either
    assert run(capsys, "export", project, "-f", "csv", "-o", folder, "--force")[0] == 0
    assert (folder / "codings.csv").read_text(encoding="utf-8-sig").startswith("document,segment_id,")
    for fmt in ("qdpx", "qdc", "xlsx"):
        out = tmp_path / f"x.{fmt}"
        out.write_bytes(b"PK\x05\x06" + bytes(18) if fmt != "qdc" else b"<CodeBook/>")  # another tool's file
        code, _, stderr = run(capsys, "export", project, "-f", fmt, "-o", out)
        assert code == 1 and "--force" in stderr, fmt
        assert run(capsys, "export", project, "-f", fmt, "-o", out, "--force")[0] == 0
        assert run(capsys, "export", project, "-f", fmt, "-o", out)[0] == 0, f"a {fmt} export could not replace itself"
    assert run(capsys, "export", project, "-f", "csv", "-o", folder)[0] == 0


def test_a_table_with_the_analysts_column_is_not_replaced(project, tmp_path, capsys):
    """A CSV file whose header still started with ours was replaced, the column an analyst added
    to it with it; a workbook changed since is refused the same way."""
    folder = tmp_path / "tableaux"
    assert run(capsys, "export", project, "-f", "csv", "-o", folder)[0] == 0
    codings = folder / "codings.csv"
    lines = codings.read_text(encoding="utf-8-sig").splitlines()
    codings.write_text("\n".join([lines[0] + ",ma note", *(line + ",à revoir" for line in lines[1:])]) + "\n")
    code, _, stderr = run(capsys, "export", project, "-f", "csv", "-o", folder)
    assert code == 1 and f"{codings}: ce fichier a été modifié depuis que tzcld-qual l'a écrit" in stderr
    assert "ma note" in codings.read_text(encoding="utf-8")
    assert run(capsys, "export", project, "-f", "csv", "-o", folder, "--force")[0] == 0
    assert "ma note" not in codings.read_text(encoding="utf-8-sig")
    workbook = tmp_path / "t.xlsx"
    assert run(capsys, "export", project, "-f", "xlsx", "-o", workbook)[0] == 0
    with zipfile.ZipFile(workbook, "a") as archive:
        archive.writestr("xl/comments1.xml", "<comments/>")  # saved by a tool that kept the authors
    code, _, stderr = run(capsys, "export", project, "-f", "xlsx", "-o", workbook)
    assert code == 1 and "modifié depuis que tzcld-qual l'a écrit" in stderr


@pytest.mark.parametrize(
    "registry",
    [None, b"{pas du json", b"\xff\xfe", b'{"files": [1, 2]}', b'{"files": {"a": 3}}', b'{"files": ' + b"[" * 10**5],
)
def test_a_lost_or_damaged_record_of_outputs_only_asks_for_force(project, tmp_path, capsys, registry):
    """The record of what was written, lost or damaged, never stops an export: a table it can no
    longer vouch for needs --force; a workbook or a REFI-QDA file still has its own mark."""
    folder = tmp_path / "tableaux"
    assert run(capsys, "export", project, "-f", "csv", "-o", folder)[0] == 0
    for fmt in ("xlsx", "qdpx", "qdc"):
        assert run(capsys, "export", project, "-f", fmt, "-o", tmp_path / f"x.{fmt}")[0] == 0
    record = Path(os.environ["TZCLD_QUAL_CACHE_DIR"]) / "outputs.json"
    if registry is None:
        record.unlink()
    else:
        record.write_bytes(registry)
    code, _, stderr = run(capsys, "export", project, "-f", "csv", "-o", folder)
    assert code == 1 and "Traceback" not in stderr and "ne le reconnaît pas comme une de ses sorties" in stderr
    for fmt in ("xlsx", "qdpx", "qdc"):
        assert run(capsys, "export", project, "-f", fmt, "-o", tmp_path / f"x.{fmt}")[0] == 0, fmt
    assert run(capsys, "export", project, "-f", "csv", "-o", folder, "--force")[0] == 0
    assert run(capsys, "export", project, "-f", "csv", "-o", folder)[0] == 0  # recorded again


def test_a_workbook_from_an_earlier_version_is_not_said_foreign(project, tmp_path, capsys):
    """openpyxl's own author, as 0.1.21 left it: « tzcld-qual ne l'a pas écrit » was false."""
    workbook = tmp_path / "t.xlsx"
    core = "<cp:coreProperties><dc:creator>openpyxl</dc:creator></cp:coreProperties>"
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("docProps/core.xml", core)
    code, _, stderr = run(capsys, "export", project, "-f", "xlsx", "-o", workbook)
    assert code == 1 and "ne le reconnaît pas comme une de ses sorties (ou il a été modifié)" in stderr
    assert "ne l'a pas écrit" not in stderr and "--force" in stderr


def test_csv_tables_go_to_a_folder_not_a_file_name(project, tmp_path, capsys):
    """``-f csv -o t.xlsx`` made a folder t.xlsx of CSV files."""
    code, _, stderr = run(capsys, "export", project, "-f", "csv", "-o", tmp_path / "t.xlsx")
    assert code == 2 and "--format csv écrit un dossier de tableaux, pas un fichier « t.xlsx »" in stderr
    assert "--format xlsx" in stderr and not (tmp_path / "t.xlsx").exists()


def test_a_cache_folder_that_refuses_the_record_is_said(project, tmp_path, capsys, monkeypatch):
    """The tables were written and their record silently was not: the next export asked for
    --force (or called them « modifié ») without a word of why. Now said, with the folder and what
    to do; the tables are still written, and a report (its seal vouches for it) needs no word."""
    blocked = tmp_path / "cache"
    blocked.write_text("un fichier là où devrait être le dossier de cache")
    monkeypatch.setenv("TZCLD_QUAL_CACHE_DIR", str(blocked))
    folder = tmp_path / "tableaux"
    code, stdout, stderr = run(capsys, "export", project, "-f", "csv", "-o", folder)
    assert code == 0 and "Traceback" not in stderr
    written = stdout.split()
    assert written and all(Path(p).is_file() for p in written)
    assert f"attention : {len(written)} fichiers sont écrits ({written[0]}…)" in stderr
    assert f"n'a pas pu noter qu'il les a écrits dans {blocked}" in stderr
    assert "pourra demander --force" in stderr and "TZCLD_QUAL_CACHE_DIR=" in stderr
    code, _, stderr = run(capsys, "export", project, "-f", "qdc", "-o", tmp_path / "c.qdc")
    assert code == 0 and f"attention : {tmp_path / 'c.qdc'} est écrit, mais" in stderr
    code, _, stderr = run(capsys, "-q", "export", project, "-f", "qdc", "-o", tmp_path / "c.qdc")
    assert code == 0 and stderr == ""  # -q: only data and errors, as every « attention »
    code, _, stderr = run(capsys, "export", project, "-f", "csv", "-o", tmp_path / "autres", "--json")
    assert code == 0 and stderr.count("attention") == 1  # this command's, said once


def test_an_unwritable_record_is_said_where_an_earlier_one_stays(project, tmp_path, capsys):
    """The worse case: the record still read, its entry for the table from before the change, so
    the next export said « modifié depuis que tzcld-qual l'a écrit » of an untouched table."""
    folder = tmp_path / "tableaux"
    assert run(capsys, "export", project, "-f", "csv", "-o", folder)[0] == 0
    lock = Path(os.environ["TZCLD_QUAL_CACHE_DIR"]) / "outputs.json.lock"
    lock.unlink()
    lock.mkdir()  # the record can be read, no longer replaced (as a folder made read-only)
    code, _, stderr = run(capsys, "export", project, "-f", "csv", "-o", folder, "--include-suggestions")
    assert code == 0 and "attention : " in stderr and "pourra demander --force, même inchangés" in stderr
    assert "Traceback" not in stderr


def test_a_table_copied_over_another_export_is_replaced(project, tmp_path, capsys):
    """``cp A/cooccurrence.csv B/`` (or one workbook over another) was « modifié depuis que
    tzcld-qual l'a écrit » and asked for --force: it is exactly what tzcld-qual wrote."""
    run(capsys, "export", project, "-f", "csv", "-o", tmp_path / "A", "--include-suggestions")
    run(capsys, "export", project, "-f", "csv", "-o", tmp_path / "B")
    run(capsys, "export", project, "-f", "xlsx", "-o", tmp_path / "a.xlsx", "--include-suggestions")
    run(capsys, "export", project, "-f", "xlsx", "-o", tmp_path / "b.xlsx")
    def mine(name: str) -> Path:  # B's table of the same name (A's count suggestions: « _with_suggestions »)
        return tmp_path / "B" / name.replace("_with_suggestions", "")

    differ = [p.name for p in (tmp_path / "A").iterdir() if p.read_bytes() != mine(p.name).read_bytes()]
    assert differ and (tmp_path / "a.xlsx").read_bytes() != (tmp_path / "b.xlsx").read_bytes()
    for name in differ:
        mine(name).write_bytes((tmp_path / "A" / name).read_bytes())
    (tmp_path / "b.xlsx").write_bytes((tmp_path / "a.xlsx").read_bytes())
    code, _, stderr = run(capsys, "export", project, "-f", "csv", "-o", tmp_path / "B")
    assert code == 0, stderr
    code, _, stderr = run(capsys, "export", project, "-f", "xlsx", "-o", tmp_path / "b.xlsx")
    assert code == 0, stderr
    mine(differ[0]).write_text("code,n\nF1,99\n")  # an edit is still one
    code, _, stderr = run(capsys, "export", project, "-f", "csv", "-o", tmp_path / "B")
    assert code == 1 and "modifié depuis que tzcld-qual l'a écrit" in stderr
