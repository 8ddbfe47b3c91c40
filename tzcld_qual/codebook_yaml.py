"""Writing a :class:`Codebook` (or one code) as YAML in the layout of ``codebooks/tzcld.yaml``:
REFI-QDA import and topic promotion both write codebooks through it.

Every string is double-quoted with JSON-style escapes (valid YAML), so no value can turn into
a number, a boolean or a syntax error; :func:`tzcld_qual.codebook.parse_codebook` reads it back
to the same codebook.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection

from tzcld_qual.model import Code, Codebook

_LIST_FIELDS = ("inclusion", "exclusion", "expressions", "examples", "negatives")
# Characters YAML will not take raw in a double-quoted scalar (non-printables, line separators).
_UNSAFE = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def quote(value: str) -> str:
    """``value`` as a YAML double-quoted scalar."""
    body = json.dumps(value, ensure_ascii=False)
    return _UNSAFE.sub(_escape, body)


def _escape(match: re.Match[str]) -> str:
    point = ord(match.group())
    return f"\\u{point:04x}" if point <= 0xFFFF else f"\\U{point:08x}"


def dump_codebook(codebook: Codebook, *, to_complete: Collection[str] = (), comment: str = "") -> str:
    """The YAML text of ``codebook``; codes in ``to_complete`` get a « À COMPLÉTER » comment."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()] if comment else []
    lines += [
        "# Format : voir codebooks/tzcld.yaml (codebook: en-tête ; codes: liste, sous-codes après",
        "# leur parent avec « parent: »).",
    ]
    lines += [
        "codebook:",
        f"  name: {quote(codebook.name)}",
        f"  version: {int(codebook.version)}",
        f"  language: {quote(codebook.language)}",
    ]
    if codebook.source:
        lines.append(f"  source: {quote(codebook.source)}")
    if codebook.description:
        lines.append(f"  description: {quote(codebook.description)}")
    lines.append("codes:")
    for code in codebook.codes:
        lines += _code(code, code.id in to_complete)
    return "\n".join(lines) + "\n"


def _code(code: Code, to_complete: bool) -> list[str]:
    out = [""]
    if to_complete:
        out.append("  # À COMPLÉTER : définition absente du fichier importé ; écrivez-la avant de coder.")
    return out + code_yaml(code).splitlines()


def code_yaml(code: Code, indent: int = 2) -> str:
    """One code as a YAML list item indented by ``indent`` spaces (a block to insert in a file)."""
    pad = " " * (indent + 2)
    out = [f"{' ' * indent}- id: {quote(code.id)}"]
    if code.parent:
        out.append(f"{pad}parent: {quote(code.parent)}")
    out += [f"{pad}label: {quote(code.label)}", f"{pad}color: {quote(code.color)}"]
    if code.finding:
        out.append(f"{pad}finding: {quote(code.finding)}")
    out.append(f"{pad}definition: {quote(code.definition)}")
    for name in _LIST_FIELDS:
        items: tuple[str, ...] = getattr(code, name)
        if items:
            out.append(f"{pad}{name}:")
            out += [f"{pad}  - {quote(item)}" for item in items]
    return "\n".join(out) + "\n"
