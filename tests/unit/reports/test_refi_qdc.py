"""REFI-QDA codebook (.qdc): schema validity, lossless round trip to YAML, foreign codebooks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import xmlschema
import yaml
from hypothesis import given
from hypothesis import strategies as st
from refi_fixture import CODEBOOK

from tzcld_qual.codebook import load_codebook, parse_codebook
from tzcld_qual.codebook_yaml import quote
from tzcld_qual.errors import InputError
from tzcld_qual.reports.refi import codebook_to_qdc, read_qdc
from tzcld_qual.reports.refi.codes import code_description, parse_description
from tzcld_qual.reports.refi.schema import CODEBOOK_XSD, schema_errors

REPO = Path(__file__).resolve().parents[3]


def plain(codebook):
    return tuple(replace(c, line=None) for c in codebook.codes)


@pytest.mark.parametrize("source", ["fixture", "tzcld"])
def test_qdc_is_valid_and_comes_back_as_the_same_codes(tmp_path, source):
    codebook = parse_codebook(CODEBOOK) if source == "fixture" else load_codebook(REPO / "codebooks" / "tzcld.yaml")
    xml = codebook_to_qdc(codebook)
    assert schema_errors(xml, CODEBOOK_XSD) == []
    xmlschema.XMLSchema(str(CODEBOOK_XSD)).validate(xml.decode("utf-8"))
    path = tmp_path / "grille.qdc"
    path.write_bytes(xml)
    imported = read_qdc(path)
    assert imported.to_complete == ()
    assert plain(imported.codebook) == plain(codebook)
    # the YAML text is in the layout of codebooks/tzcld.yaml and loads back with the loader
    assert imported.yaml_text.count("\n  - id: ") == len(codebook.codes)
    assert plain(parse_codebook(imported.yaml_text)) == plain(codebook)


def test_a_file_that_names_no_origin_is_said_refi_qda_once(tmp_path):
    """« Codebook importé de x.qdc (REFI-QDA, REFI-QDA). »"""
    path = tmp_path / "x.qdc"
    path.write_text(FOREIGN.replace(' origin="QualCoder 3.5"', ""), encoding="utf-8")
    assert "(REFI-QDA)." in read_qdc(path).yaml_text
    path.write_text(FOREIGN, encoding="utf-8")
    assert "(REFI-QDA, QualCoder 3.5)." in read_qdc(path).yaml_text


FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder 3.5">
  <Codes>
    <Code guid="{A1B2C3D4-0000-0000-0000-000000000001}" name="Confiance en soi" isCodable="true" color="#F0A">
      <Description>Quand la personne parle de sa confiance.</Description>
      <Code guid="a1b2c3d4-0000-0000-0000-000000000002" name="Fierté" isCodable="true">
        <Code guid="a1b2c3d4-0000-0000-0000-000000000003" name="fierté du travail" isCodable="true"/>
      </Code>
    </Code>
    <Code guid="a1b2c3d4-0000-0000-0000-000000000004" name="2e thème : réseau" isCodable="false" color="bad"/>
    <Code guid="a1b2c3d4-0000-0000-0000-000000000005" name="Confiance en soi" isCodable="true">
      <Description>Doublon de nom.</Description>
    </Code>
  </Codes>
</CodeBook>
"""


def test_a_foreign_codebook_gets_ids_placeholders_and_two_levels(tmp_path):
    path = tmp_path / "autre.qdc"
    path.write_text(FOREIGN, encoding="utf-8")
    imported = read_qdc(path)
    codes = {c.id: c for c in imported.codebook.codes}
    assert list(codes) == [
        "Confiance_en_soi",
        "Confiance_en_soi.Fierte",
        "Confiance_en_soi.Fierte.fierte_du_travail",
        "c_2e_theme_reseau",
        "Confiance_en_soi_2",
    ]
    assert codes["Confiance_en_soi"].label == "Confiance en soi"
    assert codes["Confiance_en_soi"].color == "#FF00AA"
    assert codes["c_2e_theme_reseau"].color == "#888888"
    # the third level hangs on its top-level code (our codebooks have two levels)
    assert codes["Confiance_en_soi.Fierte.fierte_du_travail"].parent == "Confiance_en_soi"
    assert imported.warnings == ("1 code à plus de deux niveaux rattaché à son code de premier niveau",)
    assert imported.to_complete == (
        "Confiance_en_soi.Fierte",
        "Confiance_en_soi.Fierte.fierte_du_travail",
        "c_2e_theme_reseau",
    )
    assert codes["c_2e_theme_reseau"].definition.startswith("À compléter")
    assert codes["Confiance_en_soi"].definition == "Quand la personne parle de sa confiance."
    assert imported.ids_by_guid["a1b2c3d4-0000-0000-0000-000000000001"] == "Confiance_en_soi"
    # the placeholders are flagged in the file itself, and the file loads
    assert imported.yaml_text.count("# À COMPLÉTER") == 3
    assert [c.id for c in parse_codebook(imported.yaml_text).codes] == list(codes)


def test_not_a_codebook_is_a_clear_error(tmp_path):
    path = tmp_path / "x.qdc"
    path.write_text('<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>', encoding="utf-8")
    with pytest.raises(InputError, match="CodeBook"):
        read_qdc(path)
    path.write_text("<CodeBook", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_qdc(path)
    assert error.value.path == path and error.value.line == 1
    path.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', encoding="utf-8")
    with pytest.raises(InputError, match="aucun code"):
        read_qdc(path)


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    path = tmp_path / "xxe.qdc"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="a1b2c3d4-0000-0000-0000-000000000001" '
        'name="A" isCodable="true"><Description>&x;</Description></Code></Codes></CodeBook>',
        encoding="utf-8",
    )
    try:
        imported = read_qdc(path)
    except InputError:
        return
    assert "SECRET" not in imported.yaml_text


def test_description_sections_round_trip_with_multiline_items():
    code = parse_codebook(CODEBOOK).codes[0]
    code = replace(code, inclusion=("deux\nlignes", "  indentée"), definition="Déf.\n\nSuite.")
    fields = parse_description(code_description(code))
    assert fields["definition"] == "Déf.\n\nSuite."
    assert fields["inclusion"] == ("deux\nlignes", "indentée")
    assert fields["finding"] == code.finding
    assert fields["negatives"] == code.negatives


@given(st.text())
def test_yaml_quoting_reads_back_any_text(value):
    assert yaml.safe_load(quote(value)) == value


@pytest.mark.parametrize(
    ("data", "line", "said"),
    [
        (
            b'<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="a" name="x">',
            2,
            "colonne 75 : le fichier s'arrête avant la fin de <Code>, ouvert ligne 2 (fichier tronqué ?)",
        ),
        (b"F1;Concertation\n", 1, "colonne 1 : ce n'est pas du XML (aucune balise « < » au début)"),
        (b"", 1, "le fichier est vide"),
        (b"<CodeBook>\n<Codes></Code>\n</CodeBook>", 2, "<Codes>, ouvert ligne 2, est fermé par </Code>"),
        (b'<CodeBook>\n<Code name="A & B"/></CodeBook>', 2, "un « & » seul dans le texte (écrivez &amp;)"),
        (b"<CodeBook>&nbsp;</CodeBook>", 1, "l'entité « &nbsp; » n'existe pas en XML"),
        ("<CodeBook>Été</CodeBook>".encode("cp1252"), 1, "des octets illisibles dans l'encodage déclaré"),
    ],
)
def test_a_damaged_qdc_says_why_in_french_at_its_line(tmp_path: Path, data: bytes, line: int, said: str) -> None:
    """lxml's « Premature end of data in tag Code line 1 », « Start tag expected, '<' not found »
    reached the analyst."""
    path = tmp_path / "grille.qdc"
    path.write_bytes(data)
    with pytest.raises(InputError) as error:
        read_qdc(path)
    assert error.value.line == line and f"{path}:{line}: XML illisible" in str(error.value)
    assert said in str(error.value) and "line" not in str(error.value)


def test_english_mode_keeps_lxml_words_without_its_position(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZCLD_LANG", "en")
    path = tmp_path / "grille.qdc"
    path.write_bytes(b"<CodeBook>\n<Codes>")
    with pytest.raises(InputError) as error:
        read_qdc(path)
    message = str(error.value)
    assert message.startswith(f"{path}:2: unreadable XML, column 8: Premature end of data in tag Codes line 2.")


def test_the_warning_on_codes_nested_too_deep_agrees_with_their_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """« 1 codes à plus de deux niveaux »: the singular when one code is moved."""
    path = tmp_path / "autre.qdc"
    path.write_text(
        FOREIGN.replace('isCodable="true"/>', 'isCodable="true"><Code guid="b" name="X"/></Code>'), encoding="utf-8"
    )
    assert read_qdc(path).warnings == ("2 codes à plus de deux niveaux rattachés à leur code de premier niveau",)
    monkeypatch.setenv("TZCLD_LANG", "en")
    assert read_qdc(path).warnings == ("2 codes nested deeper than two levels attached to their top-level code",)
    path.write_text(FOREIGN, encoding="utf-8")
    assert read_qdc(path).warnings == ("1 code nested deeper than two levels attached to its top-level code",)


def test_the_codebook_header_comes_back_from_a_set_description(tmp_path):
    """`export -f qdc` then `codebook import` named the codebook after the file (« c »): the .qdc
    root has no name, so a set of every code carries the header in its description."""
    codebook = replace(parse_codebook(CODEBOOK), source="grille-2026.yaml")
    path = tmp_path / "c.qdc"
    path.write_bytes(codebook_to_qdc(codebook))
    imported = read_qdc(path).codebook
    assert (imported.name, imported.version, imported.language, imported.description, imported.source) == (
        "Mini REFI",
        2,
        "fr",
        "Codebook de test.",
        "grille-2026.yaml",
    )
    # a tool that drops or renames the set: the file's name, as before
    path.write_bytes(codebook_to_qdc(codebook).replace(b'name="Codebook ', b'name="Groupe '))
    assert read_qdc(path).codebook.name == "c"
