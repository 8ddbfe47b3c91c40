"""YAML front matter at the top of a txt/md transcript: the interview's attributes.

The block is removed from the text, so that document offsets and speaker detection only see the
interview itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tzcld_qual.errors import InputError, Text
from tzcld_qual.io.keys import canonical_key, is_interviewers_key
from tzcld_qual.model import frozen_mapping

_FENCE = re.compile(r"---[^\S\n]*(?:\n|\Z)")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)
_FRENCH_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    attributes: Mapping[str, str] = field(default_factory=frozen_mapping)
    interviewers: frozenset[str] = frozenset()
    body: str = ""


def split_front_matter(text: str, path: Path) -> FrontMatter:
    """Read and remove a ``---`` … ``---`` block at the very top of ``text``.

    Values become strings: lists are joined with ", ", ``13/04/2023`` dates become ISO (YAML is
    read without type guessing, so ``1:30`` or ``0612`` are never turned into numbers). The
    ``interviewers`` / ``enquêteurs`` key goes to :attr:`FrontMatter.interviewers`.
    """
    opening = _FENCE.match(text)
    if opening is None:
        return FrontMatter(body=text)
    closing = _CLOSE.search(text, opening.end())
    if closing is None:
        raise InputError(
            Text(
                fr="l'en-tête YAML ouvert par « --- » n'est jamais fermé",
                en="the YAML front matter opened by '---' is never closed",
            ),
            Text(
                fr="Ajoutez une ligne « --- » après le dernier attribut.",
                en="Add a '---' line after the last attribute.",
            ),
            path=path,
            line=1,
        )
    source = text[opening.end() : closing.start()]
    values = _load(source, path)
    attributes: dict[str, str] = {}
    interviewers: frozenset[str] = frozenset()
    for key, value in values.items():
        line = _line_of(source, str(key))
        if is_interviewers_key(str(key)):
            interviewers = _labels(value, str(key), path, line)
            continue
        name = canonical_key(str(key))
        text_value = _as_text(value, str(key), path, line)
        if name == "date":
            text_value = _iso_date(text_value)
        if text_value:
            attributes[name] = text_value
    body = text[closing.end() :].lstrip("\n")
    return FrontMatter(frozen_mapping(attributes), interviewers, body)


def _load(source: str, path: Path) -> Mapping[object, object]:
    import yaml

    try:
        # BaseLoader builds only str, list and dict: no code, no type guessing.
        values = yaml.load(source, Loader=yaml.BaseLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise InputError(
            Text(
                fr="en-tête YAML illisible : {reason}",
                en="unreadable YAML front matter: {reason}",
            ),
            Text(
                fr="Écrivez une ligne « clé: valeur » par attribut entre les deux lignes « --- ».",
                en="Write one 'key: value' line per attribute between the two '---' lines.",
            ),
            path=path,
            line=(mark.line + 2) if mark is not None else 1,  # +1 for the fence, +1 1-based
            reason=getattr(error, "problem", None) or str(error).splitlines()[0],
        ) from error
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise InputError(
            Text(
                fr="l'en-tête YAML n'est pas une liste d'attributs « clé: valeur »",
                en="the YAML front matter is not a list of 'key: value' attributes",
            ),
            Text(
                fr="Écrivez une ligne « clé: valeur » par attribut.",
                en="Write one 'key: value' line per attribute.",
            ),
            path=path,
            line=2,
        )
    return values


def _as_text(value: object, key: str, path: Path, line: int) -> str:
    if isinstance(value, list):
        return ", ".join(part for item in value if (part := _as_text(item, key, path, line)))
    if isinstance(value, dict):
        raise InputError(
            Text(
                fr="l'attribut « {key} » contient des sous-attributs",
                en="attribute '{key}' contains nested attributes",
            ),
            Text(
                fr="Donnez-lui une valeur simple ou une liste.",
                en="Give it a plain value or a list.",
            ),
            path=path,
            line=line,
            key=key,
        )
    return str(value).strip()


def _labels(value: object, key: str, path: Path, line: int) -> frozenset[str]:
    items = value if isinstance(value, list) else str(value).split(",")
    return frozenset(" ".join(_as_text(item, key, path, line).split()) for item in items) - {""}


def _iso_date(value: str) -> str:
    match = _FRENCH_DATE.fullmatch(value)
    if match is None:
        return value
    day, month, year = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _line_of(source: str, key: str) -> int:
    """File line of ``key:`` in the block (for error messages; 2 if not found)."""
    pattern = re.compile(rf"^\s*['\"]?{re.escape(key)}['\"]?\s*:", re.MULTILINE)
    match = pattern.search(source)
    return source.count("\n", 0, match.start()) + 2 if match else 2
