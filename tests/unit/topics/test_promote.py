"""Drafting a code from a topic and writing it into the codebook YAML."""

from __future__ import annotations

from dataclasses import replace

import pytest
from topics_corpus import CODEBOOK_YAML

from tzcld_qual.codebook import parse_codebook
from tzcld_qual.codebook_yaml import code_yaml, dump_codebook
from tzcld_qual.errors import UsageError
from tzcld_qual.model import Codebook
from tzcld_qual.topics.promote import add_code, draft_code
from tzcld_qual.topics.result import Quote, Topic


@pytest.fixture
def codebook() -> Codebook:
    return parse_codebook(CODEBOOK_YAML, "test.yaml")


def _topic(keyphrases: tuple[str, ...] = ("permis conduire", "voiture", "garage")) -> Topic:
    quotes = (Quote(7, "doc-01.txt", "Camille", "J'ai eu le permis, « enfin » !", 0.9),
              Quote(9, "doc-02.txt", "Camille", 'La voiture au garage\n"encore"', 0.8))
    return Topic(id=3, size=12, label="permis conduire · voiture", keyphrases=keyphrases, quotes=quotes,
                 breakdown={}, neighbours=(("F2", 0.61), ("F1", 0.2)))


def test_draft_top_level_code_takes_the_first_free_t_id(codebook: Codebook) -> None:
    code = draft_code(_topic(), codebook, "topics@2")
    assert code.id == "T1" and code.parent is None
    assert code.label == "Permis conduire, voiture, garage"
    assert code.expressions == ("permis conduire", "voiture", "garage")
    assert code.examples == ("J'ai eu le permis, « enfin » !", 'La voiture au garage\n"encore"')
    assert "thème 3 (topics@2, 12 segments)" in code.definition
    assert "F2" in code.exclusion[0]
    assert code.color not in {c.color for c in codebook.codes}


def test_draft_sub_code_is_named_after_its_keyphrase_and_shades_the_parent(codebook: Codebook) -> None:
    code = draft_code(_topic(), codebook, "topics@2", parent="F2")
    assert code.id == "F2.permis_conduire" and code.parent == "F2" and code.label == "Permis conduire, voiture, garage"
    assert code.color == "#ffb97a"  # F2's #ff7f0e, lighter


def test_a_given_label_names_the_code() -> None:
    """« Entrée par le bouche-à-oreille » became ``F1.maire``, after the first keyphrase."""
    codebook = parse_codebook(CODEBOOK_YAML.replace("- id: F1.vente", "- id: F1.entree_par_le_bouche_a_oreille"))
    topic = _topic(("maire", "voisine", "mairie"))
    label = "Entrée par le bouche-à-oreille"
    sub = draft_code(topic, codebook, "topics@2", parent="F2", label=label)
    assert (sub.id, sub.label) == ("F2.entree_par_le_bouche_a_oreille", label)
    taken = draft_code(topic, codebook, "topics@2", parent="F1", label=label)
    assert taken.id == "F1.entree_par_le_bouche_a_oreille_2"
    # a top-level code is T<n>, which the chat reads as an id (« coeur_de_l_etat » it did not)
    assert draft_code(topic, codebook, "topics@2", label="Cœur de l'État").id == "T1"
    assert draft_code(topic, codebook, "topics@2", parent="F2", label=" ?! ").id == "F2.maire"
    assert draft_code(topic, codebook, "topics@2", parent="F2", label=label, code_id="F2.bao").id == "F2.bao"
    long = draft_code(topic, codebook, "topics@2", parent="F2", label="Un libellé vraiment très long " * 2)
    assert long.id == "F2.un_libelle_vraiment_tres_long_un_libelle"


@pytest.mark.parametrize(("keyphrases", "said"), [
    (("hiver", "neige", "saisons"), "parle d'hiver, neige, saisons."),
    (("État", "réunions"), "parle d'État, réunions."),
    (("heures", "travail"), "parle d'heures, travail."),
    (("hasard", "chance"), "parle de hasard, chance."),
    (("le maire", "voisine"), "parle du maire, voisine."),
    (("les réunions",), "parle des réunions."),
    (("saisons", "hiver"), "parle de saisons, hiver."),
])
def test_the_draft_definition_elides_de(codebook: Codebook, keyphrases: tuple[str, ...], said: str) -> None:
    """« segments où la personne parle de hiver, neige, saisons »."""
    assert said in draft_code(_topic(keyphrases), codebook, "topics@2").definition


@pytest.mark.parametrize(("parent", "code_id", "fragment"), [
    ("F9", None, "absent du codebook"),
    ("F1.vente", None, "déjà un sous-code"),
    (None, "F1", "existe déjà"),
    (None, "9bad", "invalide"),
    (None, "F1.truc", "précisez --parent"),
    (None, "F1.vente", "existe déjà"),  # an existing sub-code said « précisez --parent »
    ("F2", "F1.truc", "F2.quelque_chose"),
])
def test_draft_refuses_bad_parents_and_ids(codebook: Codebook, parent: str | None, code_id: str | None,
                                           fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment):
        draft_code(_topic(), codebook, "topics@2", parent=parent, code_id=code_id)


def test_a_label_the_codebook_has_or_a_paragraph_is_refused(codebook: Codebook) -> None:
    """Two themes promoted under F4 with --label "Même" became F4.meme and F4.meme_2, one label;
    a 300-character label was taken."""
    same = codebook.codes[0].label
    with pytest.raises(UsageError, match=f"déjà celui du code {codebook.codes[0].id}"):
        draft_code(_topic(), codebook, "topics@2", parent="F2", label=f" {same.upper()} ")
    with pytest.raises(UsageError, match="libellé trop long"):
        draft_code(_topic(), codebook, "topics@2", parent="F2", label="x" * 300)
    assert draft_code(_topic(), codebook, "topics@2", label="y" * 80).label == "y" * 80
    # a label drafted from keyphrases a code already has as its label is told apart, not refused
    named = replace(codebook, codes=(replace(codebook.codes[0], label="Permis conduire, voiture, garage"),
                                     *codebook.codes[1:]))
    assert draft_code(_topic(), named, "topics@2").label == "Permis conduire, voiture, garage (thème 3 de topics@2)"


def test_an_id_the_project_used_is_never_given_again(codebook: Codebook) -> None:
    """T1 removed by a codebook load kept its suggestions; the next promotion was T1 again and
    took them in: two unrelated themes under one code."""
    assert draft_code(_topic(), codebook, "topics@3", taken={"T1", "T2"}).id == "T3"
    sub = draft_code(_topic(), codebook, "topics@3", parent="F2", taken={"F2.permis_conduire"})
    assert sub.id == "F2.permis_conduire_2"
    with pytest.raises(UsageError, match="a déjà servi dans ce projet"):
        draft_code(_topic(), codebook, "topics@3", code_id="T1", taken={"T1"})


def test_sub_code_goes_after_the_parents_sub_codes_and_keeps_comments(codebook: Codebook) -> None:
    code = draft_code(_topic(), codebook, "topics@2", parent="F1")
    text, parsed = add_code(CODEBOOK_YAML, codebook, code, "ajouté depuis le thème 3")
    assert [c.id for c in parsed.codes] == ["F1", "F1.vente", code.id, "F2", "F3"]
    assert text.startswith("# ajouté depuis le thème 3\n# Petit codebook de test.\n")
    assert text.index(code.id) < text.index("# Le code F2 suit.")
    assert parsed.get(code.id).examples == code.examples  # quotes and newlines survive YAML quoting
    assert parse_codebook(text).get(code.id) == parsed.get(code.id)


def test_top_level_code_is_appended(codebook: Codebook) -> None:
    code = draft_code(_topic(), codebook, "topics@2")
    _text, parsed = add_code(CODEBOOK_YAML, codebook, code, "x")
    assert [c.id for c in parsed.codes][-1] == "T1"
    assert parsed.get("T1").definition == code.definition


def test_a_flow_style_codebook_is_rewritten_whole(codebook: Codebook) -> None:
    flow = ('codebook: {name: "Flow", version: 1}\ncodes: [{id: F1, label: "Un", definition: "Premier."}, '
            '{id: F2, label: "Deux", definition: "Second."}]\n')
    small = parse_codebook(flow)
    code = draft_code(_topic(), small, "topics@1", parent="F1")
    text, parsed = add_code(flow, small, code, "x")
    assert [c.id for c in parsed.codes] == ["F1", code.id, "F2"]
    assert parsed.name == "Flow"
    assert 'codes:\n\n  - id: "F1"' in text  # block style, as dump_codebook lays it out


def test_codebook_yaml_round_trips(codebook: Codebook) -> None:
    again = parse_codebook(dump_codebook(codebook))
    assert [(c.id, c.parent, c.label, c.definition, c.examples) for c in again.codes] == \
           [(c.id, c.parent, c.label, c.definition, c.examples) for c in codebook.codes]
    assert code_yaml(codebook.codes[1], indent=0).startswith('- id: "F1.vente"\n  parent: "F1"\n')


def test_a_promoted_quote_with_a_line_separator_still_gives_valid_yaml(codebook: Codebook) -> None:
    """Transcripts can carry U+2028 or control characters; the draft's examples quote them."""
    code = draft_code(_topic(), codebook, "topics@1", parent="F1")
    odd = replace(code, examples=("avant\u2028après", "tab\there\x07"))
    _text, parsed = add_code(CODEBOOK_YAML, codebook, odd, "x")
    assert parsed.get(odd.id).examples == ("avant\u2028après", "tab\there\x07")
