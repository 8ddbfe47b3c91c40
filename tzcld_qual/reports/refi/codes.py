"""Codes in REFI-QDA: names, descriptions, nesting, and the way back to a codebook.

A code is written as ``<Code name="F3 — Label" color=… isCodable="true">`` with the coding
rules in ``<Description>``: the definition first, then labelled sections (``Enseignement :``,
``Inclure :``, ``Exclure :``, ``Expressions :``, ``Exemples :``, ``Contre-exemples :``) that
colleagues read in their own tool and that come back as the YAML fields on import. Sub-codes
are nested in their parent.

Reading a codebook written by another tool:
- ``ID — label`` names give the id and label back; any other name becomes the label, and the id
  is the name itself when it is an ASCII id (``F3``), else an ASCII slug; a sub-code's id is prefixed with
  its parent's (``F3.confiance``). Ids are made unique with ``_2``, ``_3``…
- our codebooks have two levels: deeper codes become sub-codes of their top-level ancestor
  (their id keeps the full path).
- a code without description gets a placeholder definition starting with « À compléter », since
  the codebook loader refuses empty definitions; the caller lists those codes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from lxml import etree

from tzcld_qual.codebook import parse_codebook
from tzcld_qual.codebook_yaml import dump_codebook
from tzcld_qual.errors import Text
from tzcld_qual.model import Code, Codebook
from tzcld_qual.reports.refi.qdaxml import child_text, children, guid, norm_guid, sub

SEPARATOR = " — "
TO_COMPLETE = "À compléter"
_SECTIONS = (
    ("finding", "Enseignement :"),
    ("inclusion", "Inclure :"),
    ("exclusion", "Exclure :"),
    ("expressions", "Expressions :"),
    ("examples", "Exemples :"),
    ("negatives", "Contre-exemples :"),
)
_HEADINGS = {heading: name for name, heading in _SECTIONS}
_ASCII_ID = re.compile(r"^[A-Za-z][\w\-]*(\.[\w\-]+)*$", re.ASCII)  # a bare name used as id as is
_NAMED = re.compile(r"^(?P<id>[A-Za-z][\w\-]*(?:\.[\w\-]+)*)\s+—\s+(?P<label>\S.*)$", re.S)
_RGB = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
DEFAULT_COLOR = "#888888"
FLATTENED = (  # one code, several codes (French: 1 is singular)
    Text(
        "{count} code à plus de deux niveaux rattaché à son code de premier niveau",
        "{count} code nested deeper than two levels attached to its top-level code",
    ),
    Text(
        "{count} codes à plus de deux niveaux rattachés à leur code de premier niveau",
        "{count} codes nested deeper than two levels attached to their top-level code",
    ),
)


@dataclass(frozen=True, slots=True)
class RefiCode:
    """A ``<Code>`` as found in a file, before it becomes one of our codes."""

    guid: str
    name: str
    description: str = ""
    color: str | None = None
    codable: bool = True
    children: tuple[RefiCode, ...] = ()
    notes: tuple[str, ...] = ()  # NoteRef target GUIDs


@dataclass(frozen=True, slots=True)
class ImportedCodebook:
    """A codebook rebuilt from REFI-QDA codes, with its YAML text and what needs a human look."""

    codebook: Codebook
    yaml_text: str
    ids_by_guid: dict[str, str]
    to_complete: tuple[str, ...] = ()  # ids whose definition is a placeholder
    warnings: tuple[str, ...] = field(default_factory=tuple)


# -- writing -------------------------------------------------------------------------------
def code_guid(code_id: str) -> str:
    return guid("code", code_id)


def code_name(code: Code) -> str:
    return code.id if code.label == code.id else f"{code.id}{SEPARATOR}{code.label}"


def code_description(code: Code) -> str:
    """The definition, then one labelled section per non-empty field (see the module doc)."""
    parts = [code.definition]
    if code.finding:
        parts.append(f"Enseignement :\n{code.finding}")
    for name, heading in _SECTIONS[1:]:
        items: tuple[str, ...] = getattr(code, name)
        if items:
            parts.append(heading + "\n" + "\n".join("- " + item.replace("\n", "\n  ") for item in items))
    return "\n\n".join(parts)


def write_codes(parent: etree._Element, codebook: Codebook, notes: dict[str, list[str]] | None = None) -> None:
    """``<Codes>`` with every code, sub-codes nested; ``notes`` maps code ids to Note GUIDs."""
    codes = sub(parent, "Codes")
    for top in codebook.top_level:
        element = _write_code(codes, top, notes or {})
        for child in codebook.children(top.id):
            _write_code(element, child, notes or {})


def _write_code(parent: etree._Element, code: Code, notes: dict[str, list[str]]) -> etree._Element:
    element = sub(
        parent,
        "Code",
        {
            "guid": code_guid(code.id),
            "name": code_name(code),
            "isCodable": "true",
            "color": code.color,
        },
    )
    sub(element, "Description", text=code_description(code))
    for note in notes.get(code.id, ()):
        sub(element, "NoteRef", {"targetGUID": note})
    return element


# -- reading -------------------------------------------------------------------------------
def read_codes(codes: etree._Element | None) -> tuple[RefiCode, ...]:
    """The ``<Code>`` tree under a ``<Codes>`` element (empty when there is none)."""
    if codes is None:
        return ()
    return tuple(_read_code(c) for c in children(codes, "Code"))


def _read_code(element: etree._Element) -> RefiCode:
    return RefiCode(
        guid=norm_guid(element.get("guid", "")),
        name=" ".join((element.get("name") or "").split()),
        description=child_text(element, "Description"),
        color=element.get("color"),
        codable=(element.get("isCodable") or "true").strip().lower() in ("true", "1"),
        children=tuple(_read_code(c) for c in children(element, "Code")),
        notes=tuple(norm_guid(n.get("targetGUID", "")) for n in children(element, "NoteRef")),
    )


def parse_description(text: str) -> dict[str, object]:
    """The inverse of :func:`code_description`: definition, finding and the list fields."""
    buffers: dict[str, list[str]] = {"definition": []}
    current = "definition"
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        heading = _HEADINGS.get(line.strip())
        if heading:
            current = heading
            buffers[current] = []
        else:
            buffers[current].append(line)
    out: dict[str, object] = {
        "definition": "\n".join(buffers["definition"]).strip(),
        "finding": "\n".join(buffers.get("finding", [])).strip(),
    }
    for name, _heading in _SECTIONS[1:]:
        items: list[str] = []
        for line in buffers.get(name, []):
            if line.startswith("- "):
                items.append(line[2:])
            elif line.startswith("  ") and items:
                items[-1] += "\n" + line[2:]
            elif line.strip():
                items.append(line.strip())
        out[name] = tuple(i.strip() for i in items if i.strip())
    return out


def build_codebook(
    tree: Sequence[RefiCode],
    *,
    name: str,
    description: str = "",
    source: str = "",
    language: str = "fr",
    version: int = 1,
    comment: str = "",
) -> ImportedCodebook:
    """Our codebook and its YAML text from a REFI-QDA code tree (rules: see the module doc)."""
    codes: list[Code] = []
    ids: dict[str, str] = {}
    used: set[str] = set()
    missing: list[str] = []
    flattened = 0

    def visit(node: RefiCode, parent_id: str | None, top_id: str | None) -> None:
        nonlocal flattened
        code_id, label = _identify(node.name or node.guid, parent_id, used)
        used.add(code_id)
        ids[node.guid] = code_id
        fields = parse_description(node.description)
        definition = str(fields["definition"])
        if not definition:
            definition = f"{TO_COMPLETE} : définition absente du fichier importé (code « {node.name} »)."
            missing.append(code_id)
        if parent_id is not None and top_id != parent_id:
            flattened += 1
        codes.append(
            Code(
                id=code_id,
                label=label,
                definition=definition,
                parent=top_id,
                color=_color(node.color),
                finding=str(fields["finding"]),
                inclusion=_items(fields["inclusion"]),
                exclusion=_items(fields["exclusion"]),
                expressions=_items(fields["expressions"]),
                examples=_items(fields["examples"]),
                negatives=_items(fields["negatives"]),
            )
        )
        for item in node.children:
            visit(item, code_id, top_id or code_id)

    for node in tree:
        visit(node, None, None)
    ordered = _parents_first(codes)
    header = Codebook(
        name=name,
        version=version,
        codes=tuple(ordered),
        language=language,
        description=description,
        source=source,
    )
    text = dump_codebook(header, to_complete=missing, comment=comment)
    checked = parse_codebook(text, f"<{name}>") if ordered else header  # proves the YAML loads back
    warnings = (FLATTENED[flattened > 1].render(count=flattened),) if flattened else ()
    return ImportedCodebook(replace(checked, version=version), text, ids, tuple(missing), warnings)


def _identify(name: str, parent_id: str | None, used: set[str]) -> tuple[str, str]:
    named = _NAMED.match(name)
    if named:
        base, label = named["id"], named["label"].strip()
    else:
        label = name
        base = name if _ASCII_ID.match(name) else _slug(name)
        if parent_id and not base.startswith(parent_id + "."):
            base = f"{parent_id}.{base}"
    code_id, n = base, 1
    while code_id in used:
        n += 1
        code_id = f"{base}_{n}"
    return code_id, label


def _items(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, tuple) else ()


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "_", ascii_name).strip("_")[:40].rstrip("_") or "code"
    return slug if slug[0].isalpha() else f"c_{slug}"


def _color(value: str | None) -> str:
    value = (value or "").strip()
    if not _RGB.match(value):
        return DEFAULT_COLOR
    if len(value) == 4:
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value


def _parents_first(codes: Iterable[Code]) -> list[Code]:
    """Each top-level code followed by its sub-codes, the layout of ``codebooks/tzcld.yaml``."""
    codes = list(codes)
    out: list[Code] = []
    for top in (c for c in codes if c.parent is None):
        out.append(top)
        out.extend(c for c in codes if c.parent == top.id)
    return out
