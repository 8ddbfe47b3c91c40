"""CSV and Excel tables: exact columns, counts, shares and co-occurrences on the hand-made project."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from refi_fixture import MODEL, build_refi_project

from tzcld_qual.errors import InputError
from tzcld_qual.model import Role, Status
from tzcld_qual.reports.tables import build_tables, file_stem, write_csv, write_xlsx
from tzcld_qual.store import NewSegment, ProjectStore


@pytest.fixture
def fixture(tmp_path: Path):
    return build_refi_project(tmp_path / "mini.tzq")


def tables(path: Path, **options: bool) -> dict[str, list[list[str]]]:
    """The tables as their CSV files read back (what a spreadsheet sees)."""
    with ProjectStore(path) as store:
        built = build_tables(store, store.codebooks.get(), **options)
    folder = path.parent / "tables"
    files = write_csv(built, folder)
    assert [f.name for f in files] == [f"{file_stem(t)}.csv" for t in built]
    out = {}
    for table, file in zip(built, files, strict=True):
        with file.open(encoding="utf-8-sig", newline="") as handle:  # Excel needs the BOM to read accents
            out[table.name] = list(csv.reader(handle))
    return out


def test_codings_table_has_exactly_these_columns_and_one_row_per_coding(fixture):
    codings = tables(fixture.path)["codings"]
    assert codings[0] == [
        "document",
        "segment_id",
        "position",
        "speaker",
        "speaker_role",
        "start",
        "end",
        "code",
        "top_code",
        "code_label",
        "status",
        "origin",
        "coder_kind",
        "confidence",
        "explanation",
        "created_at",
        "updated_at",
        "text",
        "attr_code",
        "attr_date",
        "attr_role",
        "attr_round",
        "attr_territory",
    ]
    rows = [dict(zip(codings[0], row, strict=True)) for row in codings[1:]]
    assert len(rows) == 12  # 7 analysts' rows (1 rejection) + 4 ensemble@1 + 1 lexicon@1
    a1 = fixture.seg["a1"]
    first = rows[0]
    assert {k: v for k, v in first.items() if k not in ("created_at", "updated_at")} == {
        "document": "entretien-01.txt",
        "segment_id": str(a1.id),
        "position": "1",
        "speaker": "Martine",
        "speaker_role": "respondent",
        "start": str(a1.start),
        "end": str(a1.end),
        "code": "F1",
        "top_code": "F1",
        "code_label": "Concertation du CLE",
        "status": "accepted",
        "origin": "alice",
        "coder_kind": "human",
        "confidence": "",
        "explanation": "",
        "text": "Au comité on décide ensemble 🙂",
        "attr_code": "007",
        "attr_date": "2024-03-05",
        "attr_role": "salarié·e EBE",
        "attr_round": "1",
        "attr_territory": "Nord",
    }
    model = next(r for r in rows if r["origin"] == MODEL and r["segment_id"] == str(a1.id))
    assert (model["status"], model["coder_kind"], model["confidence"], model["explanation"]) == (
        "suggested",
        "model",
        "0.82",
        "mots : comité\nembeddings : proche de « le comité »",  # its lines kept, in one quoted cell
    )
    sub = next(r for r in rows if r["code"] == "F1.cle")
    assert (sub["top_code"], sub["status"]) == ("F1", "manual")
    assert sum(r["status"] == "rejected" for r in rows) == 1


def test_code_document_matrix_counts_applied_codes_with_roll_up(fixture):
    assert tables(fixture.path)["matrix_code_document"] == [
        ["code", "label", "level", "entretien-01.txt", "entretien-02.txt", "total"],
        ["F1", "Concertation du CLE", "top", "1", "1", "2"],
        ["F1.cle", "Le CLE", "sub", "1", "0", "1"],
        ["F2", "Regard des autres", "top", "0", "0", "0"],  # rejected, or only suggested
        ["F3", "Droits", "top", "1", "1", "2"],
        ["(segments)", "", "total", "3", "2", "5"],
    ]


def test_undecided_suggestions_of_the_current_model_count_on_request(fixture):
    matrix = tables(fixture.path, include_suggestions=True)["matrix_code_document"]
    # b2's F2 is pending; a2's F2 was rejected by alice, so it stays out
    assert matrix[3] == ["F2", "Regard des autres", "top", "0", "1", "1"]


def test_crosstab_gives_counts_and_shares_per_attribute_value(fixture):
    with ProjectStore(fixture.path) as store, store.transaction():
        doc = store.documents.add(
            name="entretien-03.txt",
            source_path="x",
            content_hash="h3",
            text="R : =SUM(A1)\n",
            attributes={"role": "élu·e"},
            speakers={"R": "respondent"},
            source_format="txt",
            segments=[NewSegment(0, "R", Role.RESPONDENT, 4, 12, "=SUM(A1)")],
        )
        (segment,) = store.documents.segments(document_id=doc.id)
        store.codings.decide(segment.id, "F2", "alice", Status.ACCEPTED)
    found = tables(fixture.path)
    assert found["crosstab_code_territory"] == [
        ["code", "label", "level", "n:Nord", "share:Nord", "n:Sud", "share:Sud", "n:(missing)", "share:(missing)"],
        ["F1", "Concertation du CLE", "top", "1", "0.3333", "1", "0.5", "0", "0.0"],
        ["F1.cle", "Le CLE", "sub", "1", "0.3333", "0", "0.0", "0", "0.0"],
        ["F2", "Regard des autres", "top", "0", "0.0", "0", "0.0", "1", "1.0"],
        ["F3", "Droits", "top", "1", "0.3333", "1", "0.5", "0", "0.0"],
        ["(segments)", "", "total", "3", "1.0", "2", "1.0", "1", "1.0"],
    ]
    role = found["crosstab_code_role"]
    assert role[0][3:] == ["n:salarié·e EBE", "share:salarié·e EBE", "n:élu·e", "share:élu·e"]
    assert role[1][3:] == ["1", "0.3333", "1", "0.3333"]  # F1: b1 among élu·e's 3 segments
    assert sorted(found) == sorted(
        [
            "codings",
            "matrix_code_document",
            "crosstab_code_code",
            "crosstab_code_date",
            "crosstab_code_role",
            "crosstab_code_round",
            "crosstab_code_territory",
            "cooccurrence",
        ]
    )


def test_cooccurrence_of_top_level_codes_on_segments(fixture):
    assert tables(fixture.path)["cooccurrence"] == [
        ["code", "F1", "F2", "F3"],
        ["F1", "2", "0", "1"],  # a1 and b1 (a1's F1.cle rolls up to F1, counted once); b1 with F3
        ["F2", "0", "0", "0"],
        ["F3", "1", "0", "2"],
    ]


def test_two_analysts_each_applying_one_code_make_no_cooccurrence(fixture):
    """Alice's F2 beside bruno's F3 on a3 counted as « F2 with F3 », which no analyst said; with
    suggestions, the model's pending F2 on b2 goes with what an analyst applied there."""
    n = {k: s.id for k, s in fixture.seg.items()}
    with ProjectStore(fixture.path) as store:
        store.codings.decide(n["a3"], "F2", "bruno", Status.MANUAL)  # alice applied F3 there
        store.codings.decide(n["b2"], "F3", "bruno", Status.MANUAL)  # the model suggests F2, undecided
    validated = tables(fixture.path)["cooccurrence"]
    assert validated[2] == ["F2", "0", "1", "0"] and validated[3] == ["F3", "1", "0", "3"]
    suggested = tables(fixture.path, include_suggestions=True)["cooccurrence"]
    assert suggested[2] == ["F2", "0", "2", "1"]  # b2 (bruno's F3 + the pending F2), not a3


def _one_speaker_document(
    path, name: str, text: str, spans: list[tuple[int, int, str]], attributes: dict[str, str] | None = None
) -> None:
    """A document whose every answer is the respondent R's, one segment per ``(start, end, text)``."""
    with ProjectStore(path) as store, store.transaction():
        store.documents.add(
            name=name,
            source_path="x",
            content_hash="h3",
            text=text,
            attributes=attributes or {},
            speakers={"R": "respondent"},
            source_format="txt",
            segments=[NewSegment(i, "R", Role.RESPONDENT, a, b, t) for i, (a, b, t) in enumerate(spans)],
        )


def test_csv_opens_in_excel_with_its_accents_and_runs_no_formula(fixture, tmp_path):
    """UTF-8 without a BOM is mojibake in Excel; a transcript « =SOMME(…) » was a live formula."""
    _one_speaker_document(
        fixture.path,
        "=HYPERLINK(x).txt",
        "R : =1+1\nR : -3\nR : - Oui.\n",
        [(4, 8, "=1+1"), (13, 15, "-3"), (20, 26, "- Oui.")],
        {"ecart": "-2", "note": "@moi"},
    )
    with ProjectStore(fixture.path) as store:
        for segment in store.documents.segments(document_id=store.documents.find("=HYPERLINK(x).txt").id):
            store.codings.decide(segment.id, "F1", "alice", Status.MANUAL)
    found = tables(fixture.path)
    assert (fixture.path.parent / "tables" / "codings.csv").read_bytes().startswith("\ufeffdocument,".encode())
    header, rows = found["codings"][0], found["codings"][1:]
    mine = [dict(zip(header, row, strict=True)) for row in rows if row[0] == "'=HYPERLINK(x).txt"]
    assert [(r["text"], r["attr_ecart"], r["attr_note"]) for r in mine] == [
        ("'=1+1", "-2", "'@moi"),
        ("-3", "-2", "'@moi"),
        ("'- Oui.", "-2", "'@moi"),
    ]
    assert "'=HYPERLINK(x).txt" in found["matrix_code_document"][0]


def test_xlsx_has_one_sheet_per_table_and_never_a_formula(fixture, tmp_path):
    _one_speaker_document(fixture.path, "entretien-03.txt", "R : =SUM(A1)\x07\n", [(4, 13, "=SUM(A1)\x07")])
    with ProjectStore(fixture.path) as store:
        segment = store.documents.segments(document_id=store.documents.find("entretien-03.txt").id)[0]
        store.codings.decide(segment.id, "F3", "alice", Status.MANUAL)
        built = build_tables(store, store.codebooks.get())
    path = write_xlsx(built, tmp_path / "out" / "tables.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == [
        "À lire",
        "Codages",
        "Code × entretien",
        "Code × code",  # an attribute with no French name keeps its own
        "Code × date",
        "Code × rôle",
        "Code × vague",
        "Code × territoire",
        "Cooccurrences",
    ]
    codings = book["Codages"]
    header = [c.value for c in codings[1]]
    assert header[:3] == ["Entretien", "Segment", "Position"]
    assert header[-3:] == ["rôle", "vague", "territoire"]
    rows = codings.iter_rows(min_row=2)
    cell = next(row[header.index("Texte")] for row in rows if row[0].value == "entretien-03.txt")
    assert (cell.value, cell.data_type) == ("=SUM(A1)", "s")  # text, control character dropped
    territory = book["Code × territoire"]
    assert [c.value for c in territory[1]][3:5] == ["Nord (segments)", "Nord (part)"]
    assert territory["E2"].value == pytest.approx(0.3333) and territory["E2"].number_format == "0.0%"
    assert territory["D2"].value == 1


def test_csv_needs_a_folder_and_xlsx_a_file(fixture, tmp_path):
    with ProjectStore(fixture.path) as store:
        built = build_tables(store, store.codebooks.get())
    afile = tmp_path / "f.csv"
    afile.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="dossier"):
        write_csv(built, afile)
    with pytest.raises(InputError, match="dossier"):
        write_xlsx(built, tmp_path)


def test_no_crosstab_for_an_attribute_with_a_value_per_interview(fixture, monkeypatch):
    """An audit met an 89-column table by interview date: the code × document matrix says it."""
    from tzcld_qual.reports import tables as module

    with ProjectStore(fixture.path) as store, store.transaction():
        for document in store.documents.list():
            store.documents.set_attributes(document.id, {**document.attributes, "date": f"2026-01-{document.id:02d}"})
    monkeypatch.setattr(module, "MAX_CROSSTAB_VALUES", 1)  # the fixture has two interviews
    names = set(tables(fixture.path))
    assert "crosstab_code_date" not in names and "matrix_code_document" in names


def test_xlsx_speaks_french_and_the_csv_keeps_the_columns_scripts_read(fixture, tmp_path):
    """The workbook said « suggested », « model », « (missing) », « n:Nord » to French readers; the CSV
    columns are what R and pandas select, so they stay (test_codings_table_has_exactly_these_columns)."""
    with ProjectStore(fixture.path) as store, store.transaction():
        store.documents.add(
            name="entretien-03.txt", source_path="x", content_hash="h3", text="R : oui\n",
            attributes={"role": "élu·e"}, speakers={"R": "respondent"}, source_format="txt",
            segments=[NewSegment(0, "R", Role.RESPONDENT, 4, 7, "oui")],
        )
    with ProjectStore(fixture.path) as store:
        built = build_tables(store, store.codebooks.get())
    book = load_workbook(write_xlsx(built, tmp_path / "t.xlsx"))
    codings = list(book["Codages"].values)
    column = {name: i for i, name in enumerate(codings[0])}
    statuses = {row[column["Statut"]] for row in codings[1:]}
    kinds = {row[column["Type de codeur"]] for row in codings[1:]}
    assert statuses == {"accepté", "ajouté", "rejeté", "suggéré"} and kinds == {"analyste", "modèle"}
    assert {row[column["Rôle du locuteur"]] for row in codings[1:]} == {"personne interrogée"}
    territory = [c.value for c in book["Code × territoire"][1]]
    assert territory[:3] == ["Code", "Libellé", "Niveau"] and territory[-2:] == [
        "(non renseigné) (segments)",
        "(non renseigné) (part)",
    ]
    assert [r[2] for r in book["Code × entretien"].values][1:3] == ["enseignement", "sous-code"]
    assert "(missing)" in tables(fixture.path)["crosstab_code_territory"][0][-1]  # the CSV is unchanged


def test_tables_with_suggestions_say_so_in_file_names_sheets_and_properties(fixture, tmp_path):
    """Exported with --include-suggestions, the tables looked exactly like the default ones (same
    names, sheets and headers) with other numbers in them."""
    with ProjectStore(fixture.path) as store:
        plain = build_tables(store, store.codebooks.get())
        counted = build_tables(store, store.codebooks.get(), include_suggestions=True)
    assert [file_stem(t) for t in plain][:2] == ["codings", "matrix_code_document"]
    assert [file_stem(t) for t in counted] == [
        "codings",  # every coding row either way
        "matrix_code_document_with_suggestions",
        *(f"crosstab_code_{a}_with_suggestions" for a in ("code", "date", "role", "round", "territory")),
        "cooccurrence_with_suggestions",
    ]
    book = load_workbook(write_xlsx(counted, tmp_path / "sugg.xlsx"))
    assert book.sheetnames[1:4] == ["Codages", "Code × entretien + sugg.", "Code × code + sugg."]
    assert "avec suggestions" in book.properties.title and MODEL in book.properties.description
    readme = [tuple(row) for row in book["À lire"].values]
    assert readme[0][0] == "Comptage" and f"suggestions non tranchées du modèle {MODEL}" in readme[0][1]
    default = load_workbook(write_xlsx(plain, tmp_path / "plain.xlsx"))
    assert "Code × entretien" in default.sheetnames and "avec suggestions" not in default.properties.title
    assert "validés par un·e analyste seulement" in next(iter(default["À lire"].values))[1]
