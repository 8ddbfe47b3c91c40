"""The attributes sidecar CSV: delimiters, encodings, header names, and each error's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tzcld_qual.errors import InputError
from tzcld_qual.io import read_attributes_csv


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "attributs.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_semicolon_utf8_with_bom(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "\ufefffile;role;territory;note\n"
        'e1.txt;salarié·e EBE;Les Coteaux;"avec ; dedans"\n'
        "\n"
        "e2.docx;élu·e;;\n",
    )
    assert read_attributes_csv(path) == {
        "e1.txt": {"role": "salarié·e EBE", "territory": "Les Coteaux", "note": "avec ; dedans"},
        "e2.docx": {"role": "élu·e"},
    }


def test_comma_cp1252_french_headers(tmp_path: Path) -> None:
    path = write(
        tmp_path, "Fichier,Rôle,Territoire,Vague,Âge\r\ne1.txt,élu·e,Forges,2,45\r\n", "cp1252"
    )
    assert read_attributes_csv(path) == {
        "e1.txt": {"role": "élu·e", "territory": "Forges", "round": "2", "Âge": "45"}
    }


def test_document_column(tmp_path: Path) -> None:
    assert read_attributes_csv(write(tmp_path, "document;date\ne.md;2023-05-16\n")) == {
        "e.md": {"date": "2023-05-16"}
    }


def test_missing_key_column(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_attributes_csv(write(tmp_path, "nom;role\ne1.txt;élu\n"))
    assert caught.value.line == 1 and "attributs.csv:1" in str(caught.value)


def test_duplicate_file_name(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_attributes_csv(write(tmp_path, "file;role\ne1.txt;a\ne2.txt;b\ne1.txt;c\n"))
    assert caught.value.line == 4 and caught.value.values["first"] == 2


def test_wrong_number_of_columns(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_attributes_csv(write(tmp_path, "file;role;territory\ne1.txt;a;b\ne2.txt;a;b;c\n"))
    assert caught.value.line == 3
    assert caught.value.values["found"] == 4 and caught.value.values["expected"] == 3


@pytest.mark.parametrize("text", ["", "\n \n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    with pytest.raises(InputError) as caught:
        read_attributes_csv(write(tmp_path, text))
    assert "attributs.csv" in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_attributes_csv(tmp_path / "absent.csv")
    assert "absent.csv" in str(caught.value)
