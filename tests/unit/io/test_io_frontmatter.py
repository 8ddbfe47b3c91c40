"""YAML front matter: French or English keys, lists, dates, interviewers, errors with lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from tzcld_qual.errors import InputError
from tzcld_qual.io.frontmatter import split_front_matter

PATH = Path("entretien.md")


def test_french_keys_become_english_and_values_become_text() -> None:
    front = split_front_matter(
        "---\n"
        "Rôle: salarié·e EBE\n"
        "territoire: Les Coteaux\n"
        "vague: 1\n"
        "date: 2023-05-16\n"
        "activités: [maraîchage, ressourcerie]\n"
        "ancienneté: 2 ans\n"
        "durée: 1:30\n"
        "---\n"
        "\n"
        "Q : Bonjour ?\n",
        PATH,
    )
    assert dict(front.attributes) == {
        "role": "salarié·e EBE",
        "territory": "Les Coteaux",
        "round": "1",
        "date": "2023-05-16",
        "activités": "maraîchage, ressourcerie",
        "ancienneté": "2 ans",
        "durée": "1:30",
    }
    assert front.body == "Q : Bonjour ?\n"
    assert front.interviewers == frozenset()


def test_english_keys_wave_and_french_dates() -> None:
    front = split_front_matter("---\nrole: élu·e\nwave: vague 2\ndate: 16/05/2023\n---\nx", PATH)
    assert dict(front.attributes) == {"role": "élu·e", "round": "vague 2", "date": "2023-05-16"}


@pytest.mark.parametrize("key", ["interviewers", "enquêteurs", "enqueteurs"])
def test_interviewers_are_not_attributes(key: str) -> None:
    front = split_front_matter(f"---\n{key}: [Sophie, Mme D.]\nrole: élu·e\n---\nx", PATH)
    assert front.interviewers == frozenset({"Sophie", "Mme D."})
    assert dict(front.attributes) == {"role": "élu·e"}


def test_no_front_matter_leaves_text_alone() -> None:
    text = "Q : --- non ?\n---\nR : oui\n"
    assert split_front_matter(text, PATH).body == text


def test_empty_front_matter() -> None:
    front = split_front_matter("---\n---\nQ : oui ?", PATH)
    assert front.body == "Q : oui ?" and not front.attributes


def test_malformed_yaml_raises_with_the_file_line() -> None:
    with pytest.raises(InputError) as caught:
        split_front_matter("---\nrole: salarié\nterritory: [a, b\ndate: x\n---\nQ : ?", PATH)
    assert caught.value.path == PATH and caught.value.line in (3, 4)
    assert str(caught.value).startswith("entretien.md:")


def test_unclosed_front_matter_raises() -> None:
    with pytest.raises(InputError) as caught:
        split_front_matter("---\nrole: salarié\n\nQ : Bonjour ?\n", PATH)
    assert caught.value.line == 1


def test_front_matter_that_is_not_a_mapping_raises() -> None:
    with pytest.raises(InputError):
        split_front_matter("---\n- a\n- b\n---\ntext", PATH)


def test_nested_values_raise_at_their_line() -> None:
    with pytest.raises(InputError) as caught:
        split_front_matter("---\nrole: élu\nlieu:\n  ville: X\n---\ntext", PATH)
    assert caught.value.line == 3
