"""Speaker labels and the context rules for names, places and organisations."""

from __future__ import annotations

import pytest

from tzcld_qual.privacy.cues import find_cues
from tzcld_qual.privacy.labels import name_in_label


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Sylvie", "Sylvie"),
        ("Mme D.", "D."),
        ("M. Martin", "Martin"),
        ("M.G.", "M.G."),
        ("J.-P.B.", "J.-P.B."),
        ("Jean-Pierre", "Jean-Pierre"),
        ("Enquêtrice", None),
        ("E1", None),
        ("Q", None),
        ("B", None),
        ("Participant 2", None),
        ("Mme la maire", None),
        ("Élue", None),
        ("Intervieweur·euse", None),
    ],
)
def test_which_labels_name_someone(label: str, name: str | None) -> None:
    span = name_in_label(label)
    assert (label[span[0] : span[1]] if span else None) == name


def cues(text: str) -> list[tuple[str, str]]:
    return sorted({(f.kind.value, text[f.start : f.end]) for f in find_cues(text)})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mme Rabier m'a dit", [("PERSONNE", "Rabier")]),
        ("monsieur Lemoine est gentil", [("PERSONNE", "Lemoine")]),
        ("avec Mme Le Goff, soixante ans", [("PERSONNE", "Le Goff")]),
        ("Monsieur le maire a signé", []),
        ("c'est ma voisine, Ginette, qui", [("PERSONNE", "Ginette")]),
        ("Goran, mon collègue, l'a eu", [("PERSONNE", "Goran")]),
        ("Par exemple Tiago, dix-neuf ans, il", [("PERSONNE", "Tiago")]),
        ("je m'appelle Nolwenn Le Bihan", [("PERSONNE", "Nolwenn Le Bihan")]),
        ("avec Jean-Pierre Durand hier", [("PERSONNE", "Jean-Pierre Durand")]),
        ("au lieu-dit les Grandes Vignes", [("LIEU", "Grandes Vignes")]),
        ("il travaille vers La Boissière", [("LIEU", "La Boissière")]),
        ("l'usine Sotrelec de Vaudrecourt", [("ORGANISATION", "Sotrelec de Vaudrecourt")]),  # split later
        ("chez Berthelot depuis", [("ORGANISATION", "Berthelot")]),
        ("la Rose des vents", []),  # an everyday word alone is no first name
        ("Pierre Fabre et Rose Martin", [("PERSONNE", "Pierre Fabre"), ("PERSONNE", "Rose Martin")]),
        # a public service names its town; a facility, a shop or a café its own name
        ("par la mission locale de Riom, puis", [("LIEU", "Riom")]),
        ("le CCAS d'Ennezat nous envoie", [("LIEU", "Ennezat")]),
        ("au centre social Les Tilleuls le mardi", [("LIEU", "Les Tilleuls")]),
        ("la maison de quartier Jacques Prévert", [("LIEU", "Jacques Prévert"), ("PERSONNE", "Jacques Prévert")]),
        ("à côté de la pharmacie Vidalenc.", [("ORGANISATION", "Vidalenc")]),
        ("le café Le Central aussi", [("ORGANISATION", "Le Central")]),
        ("la mission locale nous aide, la CAF aussi", []),
    ],
)
def test_context_rules(text: str, expected: list[tuple[str, str]]) -> None:
    assert cues(text) == expected
