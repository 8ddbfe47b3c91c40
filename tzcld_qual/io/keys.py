"""Attribute names, French or English in, one English name out.

Front matter and the attributes CSV share these names so that ``rôle``, ``Role`` and ``role``
end up in the same column of every export.
"""

from __future__ import annotations

import itertools
import re

from tzcld_qual.folding import strip_accents

_ALIASES = {
    "role": "role",
    "territoire": "territory",
    "territory": "territory",
    "vague": "round",
    "round": "round",
    "wave": "round",
    "date": "date",
}
_INTERVIEWER_KEYS = frozenset(
    {
        "interviewers",
        "interviewer",
        "intervieweurs",
        "enqueteurs",
        "enqueteur",
        "enqueteurs·rices",
        "enqueteur·ices",
        "enquetrices",
    }
)


def fold(name: str) -> str:
    """Case- and accent-insensitive form of a name, for matching only."""
    return strip_accents(name.strip().casefold())


def canonical_key(key: str) -> str:
    """``Rôle`` → ``role``, ``territoire`` → ``territory``, ``vague``/``wave`` → ``round``.

    Other keys are kept as written (stripped), so project-specific attributes keep their name.
    """
    return _ALIASES.get(fold(key), key.strip())


def is_interviewers_key(key: str) -> bool:
    """Whether a front-matter key lists the interviewers' speaker labels."""
    return fold(key) in _INTERVIEWER_KEYS


# Attributes that name or reach the person: never stored when a project is pseudonymised. A key is
# identifying when one of its words is (accent-, case- and separator-insensitive: « Prénom Nom »,
# « nom_prenom », « Téléphone portable », « E-mail perso », « Adresse postale », « firstName »).
_PERSON_WORDS = frozenset(  # always the person's
    "prenom prenoms firstname lastname surname fullname nomcomplet nomprenom prenomnom nometprenom "
    "naissance birth birthdate birthday datedenaissance datenaissance dateofbirth dob "
    "nir secu nss securitesociale numerosecuritesociale domicile".split()
)
_CONTACT_WORDS = frozenset(  # the person's, unless the key says whose: « nom de la structure »
    "nom noms name names telephone tel tels phone portable mobile gsm email emails mail mails courriel "
    "adresse adresses address addresses".split()
)
# « nom de la structure », « adresse de l'EBE », « company name », « nom du fichier »: the name or
# contact of an organisation, a place or a thing, which analyses need. The decision: these are kept
# (a structure's name is no one's identity; the text that names it is pseudonymised anyway), but
# only when nothing in the key points back to the person (« nom de famille », « adresse perso »).
_NOT_A_PERSON = frozenset(
    "structure entreprise employeur ebe organisme organisation organization association territoire territory "
    "projet project commune ville city service etablissement societe company employer dispositif programme "
    "agence equipe team code fichier file document dossier site partenaire partner".split()
)
_PERSONAL = frozenset("famille perso personnel personnelle personal private prive privee usage jeune fille".split())


def _key_words(key: str) -> list[str]:
    """« Prénom Nom » → ``["prenom", "nom"]``; « firstName » → ``["first", "name"]``."""
    spaced = re.sub(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Ý])", " ", key)  # camelCase
    return re.findall(r"[a-z0-9]+", fold(spaced))


def is_identifying_key(key: str) -> bool:
    """``nom``, ``Prénom Nom``, ``téléphone portable``, ``E-mail perso``, ``date de naissance``,
    ``n° de sécu``…: an attribute that identifies the interviewee, which ``--pseudonymize`` must
    not keep in clear. ``nom de la structure``, ``adresse de l'EBE``, ``nom du fichier`` are not."""
    words = _key_words(key)
    joined = "".join(words)
    if joined in _PERSON_WORDS or any(w in _PERSON_WORDS for w in words):
        return True
    if any(a == "securite" and b == "sociale" for a, b in itertools.pairwise(words)):
        return True
    if not (joined in _CONTACT_WORDS or any(w in _CONTACT_WORDS for w in words)):
        return False
    return any(w in _PERSONAL for w in words) or not any(w in _NOT_A_PERSON for w in words)
