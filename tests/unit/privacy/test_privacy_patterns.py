"""Structured identifiers: French phone numbers, e-mails, postal addresses, dates of birth."""

from __future__ import annotations

import pytest

from tzcld_qual.privacy.patterns import find_structured
from tzcld_qual.privacy.spans import Kind


def found(text: str, kind: Kind) -> list[str]:
    return [text[f.start : f.end] for f in find_structured(text) if f.kind is kind]


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "+33 6 12 34 56 78",
        "+33 (0)1 45 67 89 10",
        "0033 6 12 34 56 78",
        "+336 12 34 56 78",
        "04.75.30.12.88",
    ],
)
def test_french_phone_formats(phone: str) -> None:
    assert found(f"Appelez-moi au {phone}, merci.", Kind.TELEPHONE) == [phone]


@pytest.mark.parametrize(
    "text",
    [
        "[00:00:07] E1 : bonjour",
        "en 2021, 48 salariés",
        "un SMIC à 1 398,69 euros",
        "le 12/03/2024 à 10:30",
        "code 49350",
        "12345678901234",
    ],
)
def test_no_phone_in_times_years_or_amounts(text: str) -> None:
    assert found(text, Kind.TELEPHONE) == []


def test_email_addresses() -> None:
    text = "Écrivez à sylvie.carrere49@laposte.net ou à contact.tzcld@saint-aubin-les-forges.fr."
    assert found(text, Kind.EMAIL) == ["sylvie.carrere49@laposte.net", "contact.tzcld@saint-aubin-les-forges.fr"]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("J'habite 12 bis rue des Lilas, 49350 Montclar, depuis", "12 bis rue des Lilas, 49350 Montclar"),
        ("au 4 impasse des Tilleuls, 87230 Vaudrecourt.", "4 impasse des Tilleuls, 87230 Vaudrecourt"),
        ("écrivez BP 12, 07320 Saint-Ferréol-des-Bois ou", "BP 12, 07320 Saint-Ferréol-des-Bois"),
        ("sur la route de Lamastre on", "route de Lamastre"),
        ("le 3 place de l'Église, 43200 Valprivas.", "3 place de l'Église, 43200 Valprivas"),
        ("bureau : ZA de la Pradette, 07160 Le Cheylard.", "ZA de la Pradette, 07160 Le Cheylard"),
        ("chemin de la Croix Blanche, c'est", "chemin de la Croix Blanche"),
        ("au 7 lotissement Les Mûriers et", "7 lotissement Les Mûriers"),
    ],
)
def test_postal_addresses(text: str, address: str) -> None:
    assert found(text, Kind.ADRESSE) == [address]


@pytest.mark.parametrize(
    "text",
    [
        "le hameau de Kerlouan",
        "la cité des Peupliers",
        "Je représente la Fédération des artisans",
        "il y a de la place",
        "au cours de Marie",
        "à la place de Julien",
    ],
)
def test_places_and_words_are_not_addresses(text: str) -> None:
    assert found(text, Kind.ADRESSE) == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Je suis née le 3 mars 1971 à Tours.", "3 mars 1971"),
        ("né le 1er janvier 1980", "1er janvier 1980"),
        ("Né le 02/09/2000. J'habite", "02/09/2000"),
        ("je suis né en 1966, j'ai", "1966"),
        ("née en mars 1975, j'ai", "mars 1975"),
        ("lui est né en 68", "68"),
        ("elle est née à Angers le 12/03/1975", "12/03/1975"),
        ("Date de naissance : 14.02.1972", "14.02.1972"),
    ],
)
def test_dates_of_birth_keep_their_wording(text: str, date: str) -> None:
    assert found(text, Kind.DATE_NAISSANCE) == [date]


def test_other_dates_are_kept() -> None:
    assert found("on a signé le 3 mars 2021, j'ai 51 ans", Kind.DATE_NAISSANCE) == []


@pytest.mark.parametrize(
    ("text", "nir"),
    [
        ("Mon numéro de sécu c'est 2 71 05 49 123 456 78.", "2 71 05 49 123 456 78"),
        ("sécu : 171054912345678, voilà", "171054912345678"),
        ("NIR 1 84 12 2A 004 012 (sans la clé)", "1 84 12 2A 004 012"),
    ],
)
def test_social_security_numbers(text: str, nir: str) -> None:
    assert found(text, Kind.NUMERO_SECU) == [nir]


@pytest.mark.parametrize("text", ["SIRET 12345678900012", "06 12 34 56 78", "en 2021, 48 salariés", "1 398,69 euros"])
def test_no_social_security_number_in_other_numbers(text: str) -> None:
    assert found(text, Kind.NUMERO_SECU) == []


def test_handles_and_social_network_profiles() -> None:
    text = (
        "Ma page c'est facebook.com/nathalie.faure.49 et mon pseudo @nath_faure49, "
        "ou https://www.linkedin.com/in/nathalie-faure/. Écrivez à s.faure@free.fr, le site tzcld.fr aussi."
    )
    assert found(text, Kind.COMPTE) == ["@nath_faure49"]
    assert found(text, Kind.LIEN) == ["facebook.com/nathalie.faure.49", "https://www.linkedin.com/in/nathalie-faure/"]
    assert found(text, Kind.EMAIL) == ["s.faure@free.fr"]
