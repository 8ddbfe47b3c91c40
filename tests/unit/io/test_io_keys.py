"""Which attribute names identify the interviewee (left out of a pseudonymised project)."""

from __future__ import annotations

import pytest

from tzcld_qual.io.keys import is_identifying_key


@pytest.mark.parametrize(
    "key",
    [
        "nom",
        "Prénom Nom",
        "nom_prenom",
        "NomPrenom",
        "firstName",
        "Téléphone portable",
        "Tél.",
        "E-mail perso",
        "adresse mail pro",
        "Adresse postale",
        "domicile",
        "Date de naissance",
        "lieu de naissance",
        "NIR",
        "N° de sécu",
        "numéro de sécurité sociale",
        "nom de famille",
        "nom de jeune fille",
    ],
)
def test_names_contacts_and_birth_are_recognised_by_their_words(key: str) -> None:
    assert is_identifying_key(key)


@pytest.mark.parametrize(
    "key",
    ["rôle", "territoire", "vague", "date", "âge", "genre", "mobilité", "nom de la structure", "adresse de l'EBE",
     "Nom du fichier", "company name", "dénomination", "renommée"],
)  # fmt: skip
def test_analysis_attributes_and_an_organisations_name_are_kept(key: str) -> None:
    assert not is_identifying_key(key)
