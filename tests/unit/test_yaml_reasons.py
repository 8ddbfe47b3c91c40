"""PyYAML's reasons for refusing a codebook, said in French with the line to fix (both loaders)."""

from __future__ import annotations

import pytest
import yaml

from tzcld_qual.codebook import parse_codebook
from tzcld_qual.errors import CodebookError
from tzcld_qual.yaml_reasons import yaml_reason

GOOD = 'codes:\n  - id: A\n    label: "A"\n    definition: "x"\n'

SLIPS = [  # (text, line to fix, French reason)
    ("codes:\n\t- id: A\n", 2, "une tabulation (indentez avec des espaces)"),
    ("codes:\n  - id: A\n    label: a\n\tb\n", 4, "une tabulation (indentez avec des espaces)"),
    ("codes:\n  - id: A\n    label: x\n\t  definition: y\n", 4, "une tabulation (indentez avec des espaces)"),
    ('codes:\n  - id: "A\n    definition: x\n', 2, "un guillemet ouvert à cette ligne n'est jamais refermé"),
    ("codes:\n  - id: A\n    label: 'x\n", 3, "un guillemet ouvert à cette ligne n'est jamais refermé"),
    ("codes:\n  - id: A\n    expressions: [a, b\n    definition: x\n", 4, "le crochet « [ » de la ligne 3"),
    ('codes:\n  - id: A\n    definition: "C:\\dossier"\n', 3, "une barre oblique inverse « \\ » entre guillemets"),
    ("codes:\n  - id: A\n    definition: x\n---\ncodes: []\n", 4, "une ligne « --- » ou « ... » coupe le fichier"),
    ("codes:\n  - id: A\n    definition: `x`\n", 3, "le caractère « ` » ne peut pas commencer une valeur"),
    ("codes:\n  - id: A\n  definition: x\n", 3, "un élément de liste « - » est mal aligné"),
    ("codes:\n  - id: A\n    definition: x\x07\n", 3, "un caractère de contrôle (code 7)"),
    ("codes:\n  - {id: A, definition: x\n", 3, "l'accolade « { » de la ligne 2 n'est pas refermée"),
]


@pytest.mark.parametrize(("text", "line", "said"), SLIPS)
@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
def test_yaml_slips_are_said_in_french_at_the_line_to_fix(text: str, line: int, said: str, loader: str) -> None:
    """« (found a tab character that violates indentation) », « found character '\\t' that cannot
    start any token »: PyYAML's words reached the analyst, whichever loader was installed."""
    if not hasattr(yaml, loader):
        pytest.skip(f"PyYAML without {loader}")
    with pytest.raises(yaml.YAMLError) as info:
        yaml.compose(text, Loader=getattr(yaml, loader))
    why, at = yaml_reason(info.value, text)
    assert said in why and at == line, (why, at)
    assert "found" not in why and "expected" not in why


@pytest.mark.parametrize(("text", "line", "said"), SLIPS)
def test_codebook_errors_give_the_french_reason_and_the_line(text: str, line: int, said: str) -> None:
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, "grille.yaml")
    assert info.value.line == line and f"grille.yaml:{line}: YAML invalide : " in str(info.value)
    assert said in str(info.value)


@pytest.mark.parametrize(("text", "line", "said"), SLIPS)
def test_english_mode_keeps_pyyaml_words(text: str, line: int, said: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML's words are no template: « expected ',' or '}' » raised a ValueError."""
    monkeypatch.setenv("TZCLD_LANG", "en")
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, "grille.yaml")
    assert f"grille.yaml:{line}: invalid YAML: " in str(info.value) and said not in str(info.value)
