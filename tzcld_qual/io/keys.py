"""Attribute names, French or English in, one English name out.

Front matter and the attributes CSV share these names so that ``rôle``, ``Role`` and ``role``
end up in the same column of every export.
"""

from __future__ import annotations

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


# Attributes that name or reach the person: never stored when a project is pseudonymised.
_IDENTIFYING = frozenset(
    "nom prenom name firstname lastname surname nomcomplet fullname telephone tel phone portable mobile email "
    "mail courriel adresse address domicile naissance datedenaissance datenaissance birthdate dateofbirth nir "
    "securitesociale numerosecuritesociale".split()
)


def is_identifying_key(key: str) -> bool:
    """``nom``, ``Prénom``, ``téléphone``, ``e-mail``, ``date de naissance``…: an attribute that
    identifies the interviewee, which ``--pseudonymize`` must not keep in clear."""
    return "".join(ch for ch in fold(key) if ch.isalnum()) in _IDENTIFYING
