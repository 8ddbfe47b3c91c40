"""Codebook loading: the bundled TZCLD codebook, and every malformed case with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tzcld_qual.codebook import load_codebook, parse_codebook
from tzcld_qual.errors import CodebookError


def test_bundled_codebook_has_the_eight_findings_in_seed_order(codebook_path: Path) -> None:
    cb = load_codebook(codebook_path)
    assert cb.top_ids == ("F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8")
    for code in cb.top_level:
        assert code.definition and code.finding
        assert len(code.examples) >= 8 and len(code.negatives) >= 4, code.id
    assert {c.id for c in cb.children("F3")} == {"F3.formation", "F3.mobilite", "F3.sante", "F3.droits_sociaux"}
    assert {c.id for c in cb.children("F5")} == {"F5.financiere", "F5.materielle"}
    assert cb.roll_up("F4.confiance") == "F4"


def test_seed_findings_are_verbatim(codebook_path: Path, repo: Path) -> None:
    seed_dir = repo.parent / "shared" / "seed"
    if not seed_dir.is_dir():
        pytest.skip("shared/seed is not beside the checkout")
    seed = " ".join(p.read_text(encoding="utf-8") for p in seed_dir.glob("*.txt"))
    for code in load_codebook(codebook_path).top_level:
        assert code.finding in seed, code.id


GOOD = """codebook:
  name: mini
codes:
  - id: A
    label: A
    definition: "déf"
  - id: A.x
    parent: A
    definition: "sous"
"""


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("codes: [\n  {id: A, definition: x}\n  - bad", 3, "YAML invalide"),
        (GOOD + "  - id: A\n    definition: again\n", 10, "id en double"),
        (GOOD.replace("parent: A", "parent: Z"), 8, "parent inconnu"),
        (GOOD.replace('definition: "sous"', 'definition: ""'), 9, "pas de définition"),
        (GOOD.replace("label: A", "label: A\n    colour: red"), 6, "champ inconnu"),
        ("codebook: {}\n", 1, "codes"),
        (GOOD.replace('definition: "déf"', 'definition: "déf"\n    color: rouge'), 7, "couleur"),
    ],
)
def test_bad_codebooks_name_file_line_and_reason(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "cb.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert info.value.line == line
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_deeply_nested_yaml_is_a_clean_error() -> None:
    with pytest.raises(CodebookError):
        parse_codebook("codes: " + "[" * 5000 + "]" * 5000)


def test_missing_file() -> None:
    with pytest.raises(CodebookError, match="introuvable"):
        load_codebook(Path("/nonexistent/cb.yaml"))


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("codes:\n  - id: A\n    label [\n", "un « : » manque après un nom de champ"),
        ("codes:\n\t- id: A\n", "une tabulation (indentez avec des espaces)"),
        ("codes:\n  - id: A\n    definition: note: importante\n", "un « : » de trop dans une valeur"),
    ],
)
def test_yaml_slips_are_said_in_french(text: str, said: str) -> None:
    """PyYAML's own words ("could not find expected ':'") reached the analyst."""
    with pytest.raises(CodebookError, match="YAML invalide") as info:
        parse_codebook(text)
    assert said in str(info.value)


def test_a_folder_is_not_a_codebook(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="c'est un dossier, pas un fichier de codebook"):
        load_codebook(tmp_path)


def test_a_qdc_given_as_codebook_points_to_its_conversion(tmp_path: Path) -> None:
    """`codebook validate cb.qdc` said « YAML invalide : un « : » de trop »."""
    qdc = tmp_path / "grille.qdc"
    qdc.write_text('<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>', encoding="utf-8")
    with pytest.raises(CodebookError, match=r"codebook REFI-QDA .* tzcld-qual codebook import"):
        load_codebook(qdc)


def test_an_empty_list_of_codes_says_so(tmp_path: Path) -> None:
    path = tmp_path / "cb.yaml"
    path.write_text("codes: []\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="la liste « codes: » est vide"):
        load_codebook(path)


def _broken_copy(tmp_path: Path, codebook_path: Path, line: int, new: str) -> Path:
    """The bundled codebook with its 1-based ``line`` replaced by ``new`` (several lines allowed)."""
    lines = codebook_path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = new
    path = tmp_path / "grille.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_key_given_twice_in_a_code_is_refused_not_replaced(tmp_path: Path, codebook_path: Path) -> None:
    """A draft « definition: » under F1 replaced the real definition: PyYAML keeps the last key."""
    real = codebook_path.read_text(encoding="utf-8").split("\n")[26]
    assert real.startswith('    definition: "Segments qui décrivent le comité local')
    path = _broken_copy(tmp_path, codebook_path, 27, real + '\n    definition: "Brouillon."')
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert info.value.line == 28 and f"{path}:28:" in str(info.value)
    assert "clé « definition » en double dans le code F1 (première à la ligne 27)" in str(info.value)
    assert "Gardez une seule ligne « definition: »" in str(info.value)


@pytest.mark.parametrize(
    ("text", "line", "said"),
    [
        ("codes:\n  - id: A\n    definition: x\ncodes:\n  - id: B\n    definition: y\n", 4, "« codes » en double ("),
        ("codebook: {name: a, name: b}\ncodes:\n  - {id: A, definition: x}\n", 1, "« name » en double dans « codebook"),
    ],
)
def test_a_key_given_twice_anywhere_is_refused(text: str, line: int, said: str) -> None:
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, "cb.yaml")
    assert info.value.line == line and said in str(info.value)


def test_a_stored_version_with_a_key_twice_still_opens(tmp_path: Path) -> None:
    """A project stored such a codebook before the check: it must keep opening as accepted then."""
    from tzcld_qual.store import ProjectStore

    text = "codes:\n  - id: A\n    definition: brouillon\n    definition: vraie\n"
    with ProjectStore(tmp_path / "p.tzq", create=True) as store:
        store.codebooks.add(parse_codebook(text, strict=False), text, "cb.yaml")
        stored = store.codebooks.get()
    assert stored is not None and stored.codes[0].definition == "vraie"


def test_an_unclosed_quote_that_swallows_the_next_field_is_refused(tmp_path: Path, codebook_path: Path) -> None:
    """The label took « color: » in and the colour fell back to the default without a word."""
    path = _broken_copy(tmp_path, codebook_path, 24, "    label: \"Concertation du CLE et capacité d'agir")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    message = str(info.value)
    assert info.value.line == 24 and f"{path}:24:" in message
    assert "guillemet probablement non refermé : la valeur de « label » dans le code F1 avale la ligne 25" in message
    assert "Refermez le guillemet à la fin de la ligne 24." in message


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('codebook:\n  name: "Grille\n  source: "#notes"\ncodes:\n  - id: A\n    definition: "x"\n', "name"),
        ("codes:\n  - id: B\n    definition: x\n  - id: A\n    parent: 'B\n    color: '#aaaaaa'\n", "parent"),
        ('codes:\n  - id: A\n    label: "A\n\n    definition: x"\n', "label"),  # no field left: a line break
    ],
)
def test_a_quoted_value_running_over_lines_is_an_unclosed_quote(text: str, field: str) -> None:
    with pytest.raises(CodebookError, match=f"guillemet probablement non refermé : la valeur de « {field} »"):
        parse_codebook(text, "cb.yaml")


def test_an_escaped_line_break_in_a_closed_quote_is_no_unclosed_quote() -> None:
    """« label: "L\\nM" » on one line was said to swallow the next line."""
    text = 'codes:\n  - id: A\n    label: "L\\nM"\n    definition: a\n'
    assert parse_codebook(text).codes[0].label == "L\nM"


def test_a_long_quoted_definition_over_several_lines_is_fine() -> None:
    text = 'codes:\n  - id: A\n    label: "A"\n    definition: "Un texte long\n      sur deux lignes."\n'
    assert parse_codebook(text).codes[0].definition == "Un texte long sur deux lignes."


def test_a_codebook_not_in_utf8_says_the_line_and_column(tmp_path: Path, codebook_path: Path) -> None:
    """The error said « octet 46208 »: no editor shows byte offsets."""
    data = codebook_path.read_bytes().replace("capacité d'agir".encode(), "capacité d'agir".encode("cp1252"), 1)
    path = tmp_path / "grille.yaml"
    path.write_bytes(data)  # the label of F1, line 24, saved by an editor in Windows-1252
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert info.value.line == 24 and f"{path}:24:" in str(info.value)
    assert "n'est pas en UTF-8 : octet 0xE9 illisible, colonne 43" in str(info.value)
    assert "octet 2" not in str(info.value)


def test_the_column_of_a_bad_byte_counts_characters_not_bytes(tmp_path: Path) -> None:
    path = tmp_path / "cb.yaml"
    path.write_bytes("\ufeffcodes: # Été\n".encode() + b"  - id: \xe9\n")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert info.value.line == 2 and "colonne 9" in str(info.value)
    path.write_bytes("\ufeffÉt".encode() + b"\xe9: x\n")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert info.value.line == 1 and "colonne 3" in str(info.value)  # after the BOM and « Ét »
