"""Folding and entity keys, so that "Mme Martin", "MARTIN" and "Martin" are one entity.

``fold`` (:func:`~tzcld_qual.folding.fold_in_place`) keeps the length of the text (one
character in, one out), so a match found in the folded text is at the same offsets in the
original.
"""

from __future__ import annotations

import re

from tzcld_qual.folding import fold_in_place as fold

TITLES = frozenset(
    "m mr mme mmes mlle mlles madame monsieur mademoiselle messieurs dr docteur docteure maitre me pr "
    "professeur".split()
)
ARTICLES = frozenset("le la les l' du des de d' au aux".split())
_TOKEN = re.compile(r"[\w'.]+(?:-[\w'.]+)*")


def tokens(text: str) -> list[str]:
    """Folded word tokens (hyphenated words and initials such as ``m.g.`` stay one token)."""
    out = []
    for token in _TOKEN.findall(fold(text)):
        if token.endswith(".") and "." not in token[:-1] and len(token) > 2:
            token = token[:-1]  # "Dr." → "dr"; an initial ("d.") keeps its dot
        out.append(token)
    return out


def person_tokens(text: str) -> list[str]:
    """The tokens that name a person: titles (``Mme``, ``M.``…) left out."""
    out = [t for t in tokens(text) if t.rstrip(".") not in TITLES]
    return out or tokens(text)


def entity_key(kind: str, text: str) -> str:
    """The identity of an entity: folded, without titles (persons) or leading articles (others)."""
    if kind == "PERSONNE":
        return " ".join(person_tokens(text))
    if kind == "TELEPHONE":
        digits = re.sub(r"\D", "", text)
        if digits.startswith("0033"):
            digits = digits[4:]
        elif digits.startswith("33") and len(digits) >= 11:
            digits = digits[2:]
        return digits if digits.startswith("0") else "0" + digits
    if kind in ("EMAIL", "COMPTE"):
        return text.strip().lower()
    if kind == "NUMERO_SECU":
        return re.sub(r"\s", "", text).upper()
    if kind == "LIEN":
        return re.sub(r"^(?:https?://)?(?:www\.)?", "", text.strip().lower()).rstrip("/")
    words = tokens(text)
    while len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    if words and words[0].startswith(("l'", "d'")) and len(words[0]) > 2:
        words[0] = words[0][2:]
    return " ".join(words)
