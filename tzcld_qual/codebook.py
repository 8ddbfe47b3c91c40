"""Load and validate YAML codebooks; every error names the file and the line.

The format is documented at the top of ``codebooks/tzcld.yaml`` and in ``docs/codebook.md``:
a ``codebook`` header and a flat list of ``codes``; a code with ``parent`` is a sub-code that
rolls up to its parent.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from tzcld_qual.errors import CodebookError, Text
from tzcld_qual.model import Code, Codebook
from tzcld_qual.yaml_reasons import LINE_BREAK, yaml_reason

_ID = re.compile(r"^[A-Za-z][\w\-]*(\.[\w\-]+)*$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_LIST_FIELDS = ("inclusion", "exclusion", "expressions", "examples", "negatives")
_KNOWN_FIELDS = {"id", "label", "parent", "color", "finding", "definition", *_LIST_FIELDS}
_MAX_BYTES = 5_000_000


def load_codebook(path: str | Path) -> Codebook:
    """Read a codebook file; raise :class:`CodebookError` with file and line on any problem."""
    path = Path(path)
    if path.is_dir():
        raise CodebookError(
            Text("c'est un dossier, pas un fichier de codebook.", "this is a folder, not a codebook file."),
            Text(
                "Donnez le fichier .yaml (exemple : codebooks/tzcld.yaml).",
                "Give the .yaml file (e.g. codebooks/tzcld.yaml).",
            ),
            path=path,
        )
    if not path.is_file():
        raise CodebookError(
            Text("fichier de codebook introuvable.", "codebook file not found."),
            Text(
                "Vérifiez le chemin (exemple : codebooks/tzcld.yaml).",
                "Check the path (example: codebooks/tzcld.yaml).",
            ),
            path=path,
        )
    from tzcld_qual.outputs import is_project_file  # here: the store, which it asks, imports this module

    if is_project_file(path):
        raise CodebookError(
            Text(
                "c'est un projet tzcld-qual, pas un codebook YAML.",
                "this is a tzcld-qual project, not a YAML codebook.",
            ),
            Text(
                "Son codebook en YAML : tzcld-qual codebook show {path} --yaml > codebook.yaml",
                "Its codebook as YAML: tzcld-qual codebook show {path} --yaml > codebook.yaml",
            ),
            path=path,
        )
    data = path.read_bytes()
    if path.suffix.lower() == ".qdc" or b"<CodeBook" in data[:2000]:
        raise CodebookError(
            Text(
                "c'est un codebook REFI-QDA (XML), pas un codebook YAML.",
                "this is a REFI-QDA codebook (XML), not a YAML codebook.",
            ),
            Text(
                "Convertissez-le d'abord : tzcld-qual codebook import {path} -o codebook.yaml",
                "Convert it first: tzcld-qual codebook import {path} -o codebook.yaml",
            ),
            path=path,
        )
    if len(data) > _MAX_BYTES:
        raise CodebookError(
            Text(
                "fichier trop gros pour un codebook ({size} octets).", "file too large for a codebook ({size} bytes)."
            ),
            None,
            path=path,
            size=len(data),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if data.startswith(codecs.BOM_UTF8) else 0)  # utf-8-sig counts after it
        line, column = _line_and_column(data, offset)
        raise CodebookError(
            Text(
                "le fichier n'est pas en UTF-8 : octet 0x{byte:02X} illisible, colonne {column}.",
                "the file is not UTF-8: unreadable byte 0x{byte:02X}, column {column}.",
            ),
            Text(
                "Enregistrez-le en UTF-8 (dans l'éditeur : « Enregistrer sous », encodage UTF-8).",
                "Save it as UTF-8 (in the editor: « Save as », UTF-8 encoding).",
            ),
            path=path,
            line=line,
            column=column,
            byte=data[offset],
        ) from None
    return parse_codebook(text, path)


def _line_and_column(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, as an editor shows them) of byte ``offset``."""
    start = data.rfind(b"\n", 0, offset) + 1
    before = data[start:offset].decode("utf-8-sig", errors="replace")  # a BOM is no column
    return data.count(b"\n", 0, offset) + 1, len(before) + 1


def parse_codebook(text: str, path: str | Path = "<codebook>", *, strict: bool = True) -> Codebook:
    """The codebook in ``text``; ``strict`` also refuses YAML that loads but not as it was meant
    (a key given twice, an unclosed quote): off only for versions a project already stores, which
    must open as they were accepted."""
    path = Path(path)
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10× faster, same marks
        root = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)  # a safe loader, C or Python
    except yaml.YAMLError as exc:
        why, line = yaml_reason(exc, text)
        raise CodebookError(
            Text("YAML invalide : {why}.", "invalid YAML: {why}."),
            Text("Corrigez la syntaxe à cette ligne.", "Fix the syntax at this line."),
            path=path,
            line=line,
            why=why,
        ) from None
    except RecursionError:
        raise CodebookError(
            Text("YAML illisible (imbrication trop profonde).", "unreadable YAML (nested too deeply)."),
            None,
            path=path,
        ) from None
    if strict:
        _check_slips(root, text, path)
    if isinstance(data, dict) and data.get("codes") == []:
        raise CodebookError(
            Text("la liste « codes: » est vide.", "the « codes: » list is empty."),
            Text(
                "Ajoutez au moins un code (id, label, definition) ; voir codebooks/tzcld.yaml.",
                "Add at least one code (id, label, definition); see codebooks/tzcld.yaml.",
            ),
            path=path,
            line=1,
        )
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise CodebookError(
            Text("il faut une liste « codes: » au premier niveau.", "a top-level « codes: » list is required."),
            Text("Voir codebooks/tzcld.yaml pour le format.", "See codebooks/tzcld.yaml for the format."),
            path=path,
            line=1,
        )
    lines = _code_lines(root)
    header = data.get("codebook") or {}
    if not isinstance(header, dict):
        raise CodebookError(
            Text("« codebook: » doit être un dictionnaire.", "« codebook: » must be a mapping."),
            None,
            path=path,
            line=1,
        )
    for key in ("name", "language", "description", "source"):
        if not isinstance(header.get(key) or "", str | int | float):  # a list here could be an alias bomb
            raise CodebookError(
                Text("« codebook.{key} » doit être un texte.", "« codebook.{key} » must be a string."),
                None,
                path=path,
                line=1,
                key=key,
            )
    codes = tuple(_code(raw, lines[i] if i < len(lines) else {}, path) for i, raw in enumerate(data["codes"]))
    _check_ids(codes, path)
    version = header.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool):
        raise CodebookError(
            Text("« version » doit être un entier.", "« version » must be an integer."), None, path=path, line=1
        )
    return Codebook(
        name=str(header.get("name") or path.stem),
        version=version,
        codes=codes,
        language=str(header.get("language") or "fr"),
        description=str(header.get("description") or ""),
        source=str(header.get("source") or ""),
    )


def _code_items(root: Any) -> list[yaml.Node]:
    """The items of the top-level ``codes`` sequence in the YAML node tree."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if getattr(key, "value", None) == "codes" and isinstance(value, yaml.SequenceNode):
            return list(value.value)
    return []


def _code_lines(root: Any) -> list[dict[str, int]]:
    """For each item of the ``codes`` sequence, the 1-based line of the item (key ``""``) and of
    each of its fields, from the YAML node tree, so errors point at the offending line."""
    out = []
    for item in _code_items(root):
        lines = {"": item.start_mark.line + 1}
        if isinstance(item, yaml.MappingNode):
            lines.update({str(k.value): k.start_mark.line + 1 for k, _v in item.value})
        out.append(lines)
    return out


# -- YAML that loads, but not as it was meant ------------------------------------------------
_HEADER_FIELDS = {"name", "version", "language", "description", "source"}
_ONE_LINE_FIELDS = {"id", "label", "parent", "color", "name", "version", "language"}
# A line of the file that starts like a field of a code or of the header (``color:``, ``- id:``).
_FIELD_NAMES = "|".join(sorted(_KNOWN_FIELDS | _HEADER_FIELDS | {"codebook", "codes"}))
_FIELD_LINE = re.compile(rf"^\s*(?:-\s+)?(?:{_FIELD_NAMES}):(?:\s|$)")


def _check_slips(root: Any, text: str, path: Path) -> None:
    """Refuse a key given twice (PyYAML keeps the last one: a draft « definition: » replaced the
    real one) and a quoted value that swallowed the next field (its quote left open: the label
    took « color: » in, and the colour fell back to the default without a word)."""
    lines = LINE_BREAK.split(text)
    for mapping in _mappings(root):
        _check_keys_once(root, mapping, path)
        _check_quotes_closed(root, mapping, lines, path)


def _check_keys_once(root: Any, mapping: yaml.MappingNode, path: Path) -> None:
    first: dict[tuple[str, str], int] = {}
    for key, _value in mapping.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        line = key.start_mark.line + 1
        earlier = first.get((key.tag, key.value))
        first.setdefault((key.tag, key.value), line)
        if earlier is not None:
            raise CodebookError(
                Text(
                    "clé « {key} » en double{owner} (première à la ligne {first}) : YAML ne garde que la "
                    "dernière, la valeur de la première serait perdue.",
                    "duplicate key « {key} »{owner} (first at line {first}): YAML keeps only the last one, "
                    "the first value would be lost.",
                ),
                Text(
                    "Gardez une seule ligne « {key}: » (fusionnez les deux ou supprimez celle de trop).",
                    "Keep a single « {key}: » line (merge both or delete the extra one).",
                ),
                path=path,
                line=line,
                key=key.value,
                first=earlier,
                owner=_owner(root, mapping, line),
            )


def _check_quotes_closed(root: Any, mapping: yaml.MappingNode, lines: list[str], path: Path) -> None:
    for key, value in mapping.value:
        swallowed = _swallowed_line(str(key.value), value, lines)
        if swallowed is None:
            continue
        start = value.start_mark.line + 1
        raise CodebookError(
            Text(
                "guillemet probablement non refermé : la valeur de « {field} »{owner} avale la ligne {next} "
                "(« {text} »), lue comme du texte et non comme un champ.",
                "probably an unclosed quote: the value of « {field} »{owner} swallows line {next} "
                "(« {text} »), read as text instead of a field.",
            ),
            Text(
                "Refermez le guillemet à la fin de la ligne {opened}.",
                "Close the quote at the end of line {opened}.",
            ),
            path=path,
            line=start,
            opened=start,
            field=key.value,
            next=swallowed + 1,
            text=lines[swallowed].strip()[:60],
            owner=_owner(root, mapping, start),
        )


def _swallowed_line(field: str, value: yaml.Node, lines: list[str]) -> int | None:
    """The 0-based line a quoted value ran over though it starts like a field (``color:``), or
    the line after its start when a one-line field (id, label, colour…) holds a line break: either
    way its closing quote is missing. ``None`` when the value looks as meant."""
    if not isinstance(value, yaml.ScalarNode) or value.style not in ('"', "'"):
        return None
    start, end = value.start_mark.line, min(value.end_mark.line, len(lines) - 1)
    for n in range(start + 1, end + 1):
        if _FIELD_LINE.match(lines[n]):
            return n
    spans_lines = value.end_mark.line > start  # not an escaped « \n » on one line, which is meant
    if field in _ONE_LINE_FIELDS and "\n" in value.value and spans_lines and start + 1 < len(lines):
        return start + 1
    return None


def _mappings(root: Any) -> Iterator[yaml.MappingNode]:
    """Every mapping of the node tree, once each (aliases share nodes), without recursion: the
    tree can be deep."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            yield node
            stack.extend(value for _key, value in reversed(node.value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))


def _owner(root: Any, mapping: yaml.MappingNode, line: int) -> str:
    """« in code F1 » for a mapping that is (or is inside) a code of the ``codes`` list, « in
    « codebook: » » for the header, nothing at the top level."""
    if mapping is root:
        return ""
    if isinstance(root, yaml.MappingNode) and any(k.value == "codebook" and v is mapping for k, v in root.value):
        return Text(" dans « codebook: »", " in « codebook: »").render()
    before = [item for item in _code_items(root) if item.start_mark.line < line]
    item = before[-1] if before else None
    if isinstance(item, yaml.MappingNode):
        code_id = next((v.value for k, v in item.value if k.value == "id" and isinstance(v, yaml.ScalarNode)), "")
        if code_id:
            return Text(" dans le code {id}", " in code {id}").render(id=code_id)
    return ""


def _code(raw: Any, lines: dict[str, int], path: Path) -> Code:
    line = lines.get("")

    def fail(fr: str, en: str, field: str = "", **values: object) -> CodebookError:
        return CodebookError(Text(fr, en), None, path=path, line=lines.get(field, line), **values)

    if not isinstance(raw, dict):
        raise fail(
            "chaque code doit être un dictionnaire (id, label, definition…).",
            "each code must be a mapping (id, label, definition…).",
        )
    code_id = str(raw.get("id") or "").strip()
    if not code_id:
        raise fail("code sans « id ».", "code without « id ».")
    if not _ID.match(code_id):
        raise fail(
            "id de code invalide « {id} » (lettres, chiffres, _ et . seulement).",
            "invalid code id « {id} » (letters, digits, _ and . only).",
            id=code_id,
        )
    unknown = sorted(set(raw) - _KNOWN_FIELDS)
    if unknown:
        raise fail(
            "champ inconnu {fields} dans le code {id}.",
            "unknown field {fields} in code {id}.",
            unknown[0],
            fields=", ".join(unknown),
            id=code_id,
        )
    definition = raw.get("definition")
    if not isinstance(definition, str) or not definition.strip():
        raise fail(
            "le code {id} n'a pas de définition.", "code {id} has an empty definition.", "definition", id=code_id
        )
    color = str(raw.get("color") or "#888888")
    if not _COLOR.match(color):
        raise fail(
            "couleur invalide « {color} » pour {id} (format #RRGGBB).",
            "invalid colour « {color} » for {id} (use #RRGGBB).",
            "color",
            color=color,
            id=code_id,
        )
    for name in ("label", "parent", "finding"):
        if not isinstance(raw.get(name) or "", str | int | float):
            raise fail(
                "« {fieldname} » du code {id} doit être un texte.",
                "« {fieldname} » of code {id} must be a string.",
                name,
                fieldname=name,
                id=code_id,
            )
    lists: dict[str, tuple[str, ...]] = {}
    for name in _LIST_FIELDS:
        value = raw.get(name) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
            raise fail(
                "« {fieldname} » du code {id} doit être une liste de textes.",
                "« {fieldname} » of code {id} must be a list of strings.",
                name,
                fieldname=name,
                id=code_id,
            )
        lists[name] = tuple(str(v).strip() for v in value if str(v).strip())
    parent = raw.get("parent")
    return Code(
        id=code_id,
        label=str(raw.get("label") or code_id).strip(),
        definition=definition.strip(),
        parent=str(parent).strip() if parent else None,
        color=color,
        finding=str(raw.get("finding") or "").strip(),
        line=lines.get("parent", line) if parent else line,
        **lists,
    )


def _check_ids(codes: tuple[Code, ...], path: Path) -> None:
    seen: dict[str, Code] = {}
    for code in codes:
        if code.id in seen:
            raise CodebookError(
                Text("id en double « {id} » (déjà ligne {first}).", "duplicate id « {id} » (first at line {first})."),
                Text("Chaque code doit avoir un id unique.", "Give each code a unique id."),
                path=path,
                line=code.line,
                id=code.id,
                first=seen[code.id].line,
            )
        seen[code.id] = code
    for code in codes:
        if code.parent is None:
            continue
        parent = seen.get(code.parent)
        if parent is None:
            raise CodebookError(
                Text("parent inconnu « {parent} » pour le code {id}.", "unknown parent « {parent} » for code {id}."),
                Text("Déclarez le code parent ou corrigez « parent: ».", "Declare the parent code or fix « parent: »."),
                path=path,
                line=code.line,
                parent=code.parent,
                id=code.id,
            )
        if parent.parent is not None:
            raise CodebookError(
                Text(
                    "le code {id} a pour parent un sous-code ({parent}) : deux niveaux au plus.",
                    "code {id} has a sub-code ({parent}) as parent: two levels at most.",
                ),
                None,
                path=path,
                line=code.line,
                parent=code.parent,
                id=code.id,
            )
    if not codes:
        raise CodebookError(
            Text("le codebook ne contient aucun code.", "the codebook has no codes."), None, path=path, line=1
        )
