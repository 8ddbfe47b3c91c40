"""Folding, French numbers and thresholds, and fuzzy slot matching (typos, accents, sub-codes)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tzcld_qual.chat.normalize import detect_language, fold, number_word, parse_decimal, tokens
from tzcld_qual.chat.slots import Vocabulary, similarity
from tzcld_qual.codebook import load_codebook
from tzcld_qual.paths import repo_root

ATTRIBUTES = {
    "role": ["salarié·e EBE", "personne privée durablement d'emploi", "élu·e"],
    "territory": ["Saint-Aubin-les-Forges", "Villeneuve – quartier du Petit-Bois"],
    "round": ["vague 1", "vague 2"],
}


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.build(load_codebook(repo_root() / "codebooks" / "tzcld.yaml"), ATTRIBUTES)


def test_fold_and_tokens() -> None:
    assert fold("RÉENTRAÎNE l’Œuvre  salarié·e") == "reentraine l'oeuvre salariee"
    assert tokens("5 citations, F3.formation au-dessus de 0,9 ou 90 % — 2e vague") == [
        "5",
        "citations",
        "f3.formation",
        "au",
        "dessus",
        "de",
        "0,9",
        "ou",
        "90 %",
        "2e",
        "vague",
    ]


@pytest.mark.parametrize(("text", "value"), [("cinq", 5), ("douze", 12), ("12", 12), ("five", 5), ("truc", None)])
def test_number_words(text: str, value: int | None) -> None:
    assert number_word(text) == value


@pytest.mark.parametrize(
    ("text", "value"), [("0,9", 0.9), ("0.85", 0.85), ("90 %", 0.9), ("75", 0.75), ("150", None), ("abc", None)]
)
def test_decimals_and_percentages(text: str, value: float | None) -> None:
    assert parse_decimal(text) == value


def test_language() -> None:
    assert detect_language("how many interviews mention rights?") == "en"
    assert detect_language("Combien d'entretiens évoquent F3 ?") == "fr"


def test_similarity_tolerates_typos_but_not_numbers_or_short_words() -> None:
    assert similarity("combein", "combien") > 0.7
    assert similarity("formations", "formation") > 0.8
    assert similarity("vague 3", "vague 2") == 0.0
    assert similarity("moins", "soins") == 0.0
    assert similarity("faire", "maire") == 0.0
    assert similarity("vage 2", "vague 2") > 0.7  # a letter left out of a five-letter word
    assert similarity("vogue", "vague") == 0.0  # a changed one is another word


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        ("la securite financiere", ("F5.financiere",)),
        ("la sécurité", ("F5",)),
        ("F3 formation", ("F3.formation",)),
        ("f3.sante", ("F3.sante",)),
        ("F3-mobilite", ("F3.mobilite",)),
        ("les droits à la formtion", ("F3.formation",)),
        ("F4 et F4.confiance", ("F4.confiance",)),
        ("le regard des autres et la confiance en soi", ("F2", "F4.confiance")),
        ("la sécurité matérielle", ("F5.materielle",)),  # the sub-code's own word, beside its parent's
        ("les droits sociaux", ("F3.droits_sociaux",)),
    ],
)
def test_codes(vocabulary: Vocabulary, question: str, codes: tuple[str, ...]) -> None:
    assert vocabulary.extract(question).codes == codes


def test_sub_codes_named_without_their_parent_s_prefix() -> None:
    from tzcld_qual.model import Code, Codebook

    codes = (Code("A1", "Regard sur soi", "d"), Code("fierte", "Fierté au travail", "d", parent="A1"))
    vocabulary = Vocabulary.build(Codebook("c", 1, codes), {})
    assert vocabulary.extract("combien de A1 fierte ?").codes == ("fierte",)
    assert vocabulary.extract("A1 et la fierté au travail").codes == ("fierte",)
    assert vocabulary.extract("combien de A1 ?").codes == ("A1",)


def test_unknown_code_ids(vocabulary: Vocabulary) -> None:
    extraction = vocabulary.extract("combien de F9 ?")
    assert extraction.codes == () and extraction.unknown_codes == ("F9",)


@pytest.mark.parametrize(
    ("question", "values"),
    [
        ("chez les salaries", (("role", "salarié·e EBE"),)),
        (
            "PPDE de Saint-Aubin",
            (("role", "personne privée durablement d'emploi"), ("territory", "Saint-Aubin-les-Forges")),
        ),
        (
            "les élus du Petit-Bois en 2e vague",
            (("role", "élu·e"), ("territory", "Villeneuve – quartier du Petit-Bois"), ("round", "vague 2")),
        ),
        ("elected officials in round 1", (("role", "élu·e"), ("round", "vague 1"))),
        ("le quartier", ()),  # a word shared by many places names none
        ("en vage 2", (("round", "vague 2"),)),
    ],
)
def test_attribute_values(vocabulary: Vocabulary, question: str, values: tuple[tuple[str, str], ...]) -> None:
    assert vocabulary.extract(question).values == values


def test_numbers_ids_and_thresholds(vocabulary: Vocabulary) -> None:
    extraction = vocabulary.extract("cinq citations du segment 1234 au-dessus de 0,9")
    assert (extraction.limit, extraction.segment_id, extraction.threshold) == (5, 1234, 0.9)
    assert vocabulary.extract("top 10 des passages").limit == 10
    assert vocabulary.extract("combien en vague 2").limit is None


def test_importing_the_chat_loads_no_heavy_library() -> None:
    code = (
        "import sys, tzcld_qual.services.chat, tzcld_qual.cli.ask_cmds, tzcld_qual.cli.decisions_cmds; "
        "print(sorted(m for m in ('numpy', 'torch', 'sklearn', 'sentence_transformers', 'spacy', 'bertopic', "
        "'textual') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_documents_are_named_by_file_name_stem_or_a_numbered_start() -> None:
    from tzcld_qual.chat.slots import document_names

    names = document_names(["demo-03-cle-saint-aubin.txt", "demo-04-salarie.docx", "saint-aubin-entretien.txt"])
    assert names["demo-03"] == names["demo-03-cle-saint-aubin"] == "demo-03-cle-saint-aubin.txt"
    assert names["demo-03-cle-saint-aubin.txt"] == "demo-03-cle-saint-aubin.txt"
    assert names["saint-aubin-entretien"] == "saint-aubin-entretien.txt"
    assert "demo" not in names  # names both
    assert "saint-aubin" not in names  # no digit: a place more likely than a file


def test_a_few_out_of_many_is_no_zero_percent() -> None:
    from tzcld_qual.chat.wording import share

    assert share(3, 862, "fr") == "3/862 (<1 %)" and share(0, 862, "fr") == "0/862 (0 %)"
    assert share(3, 862, "en") == "3/862 (<1%)" and share(431, 862, "fr") == "431/862 (50 %)"


OTHER_ATTRIBUTES = {
    **ATTRIBUTES,
    "ebe": ["Forges Solidaires", "Vallon Actif"],
    "age_band": ["55-64", "45-54", "45-54, 25-34", "65+"],
    "interview_type": ["entretien collectif"],
    "structure": ["France Travail", "CCAS de Saint-Aubin"],
    "seniority_ebe": ["2 ans", "18 mois"],
    "date": [f"2023-03-{d:02d}" for d in range(1, 29)],
    "mandate": ["adjointe à l'emploi, à l'insertion et à la politique de la ville"],
}


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("combien de salariés de Forges Solidaires évoquent F5 ?", ("ebe", "Forges Solidaires")),
        ("combien d'entretiens des 55-64 ans évoquent F5 ?", ("age_band", "55-64")),
        ("combien d'entretiens collectifs parlent de F4 ?", ("interview_type", "entretien collectif")),
        ("F2 chez France Travail", ("structure", "France Travail")),
    ],
)
def test_a_value_of_any_other_attribute_named_in_full_is_read(question: str, value: tuple[str, str]) -> None:
    """« chez Forges Solidaires » (an EBE) was said to name nothing of the project, « les 55-64
    ans » and « entretiens collectifs » were dropped: each count was over every interview."""
    extraction = Vocabulary.build(load_codebook(repo_root() / "codebooks" / "tzcld.yaml"), OTHER_ATTRIBUTES).extract(
        question
    )
    assert value in extraction.values
    assert not extraction.unknown_names and extraction.limit is None  # « 55 » is no number of quotes


def test_only_labels_a_question_can_name_become_values() -> None:
    """Dates, durations, long free text and lists of values (a collective interview's « 45-54,
    25-34 ») are no group; nor is a short label like « 65+ »."""
    from tzcld_qual.chat.slots import _named_value_entries

    others = {a: v for a, v in OTHER_ATTRIBUTES.items() if a not in ATTRIBUTES}
    targets = {e.target for e in _named_value_entries(others)}
    assert {a for a, _v in targets} == {"ebe", "age_band", "interview_type", "structure"}
    assert ("age_band", "45-54, 25-34") not in targets and ("age_band", "65+") not in targets


def test_a_value_s_head_before_a_bracket_names_every_value_that_shares_it() -> None:
    """The demo's four collective interviews are « entretien collectif » (2) and « entretien
    collectif (2 salarié·es) » (2): « entretiens collectifs » counted the first two only."""
    attributes = {**ATTRIBUTES, "interview_type": ["entretien collectif", "entretien collectif (2 salarié·es)"]}
    extraction = Vocabulary.build(load_codebook(repo_root() / "codebooks" / "tzcld.yaml"), attributes).extract(
        "combien d'entretiens collectifs parlent de F4 ?"
    )
    assert [v for v in extraction.values if v[0] == "interview_type"] == [
        ("interview_type", "entretien collectif"),
        ("interview_type", "entretien collectif (2 salarié·es)"),
    ]
