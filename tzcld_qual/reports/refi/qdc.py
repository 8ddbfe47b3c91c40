"""The codebook alone as a REFI-QDA codebook file (``.qdc``), and back to our YAML form.

Codes are written and read as in a project file (see :mod:`.codes`): same GUIDs, names,
colours and descriptions, so a ``.qdc`` from tzcld-qual comes back as the same codebook.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from tzcld_qual.errors import InputError, Text
from tzcld_qual.model import Codebook
from tzcld_qual.outputs import is_project_file
from tzcld_qual.reports.refi.codes import ImportedCodebook, build_codebook, code_guid, read_codes, write_codes
from tzcld_qual.reports.refi.descriptions import DescribedCodebook, describe_codebook, read_codebook_header
from tzcld_qual.reports.refi.project_export import version
from tzcld_qual.reports.refi.qdaxml import (
    CODEBOOK_LOCATION,
    CODEBOOK_NS,
    child,
    child_text,
    children,
    guid,
    local,
    parse,
    root,
    sub,
)
from tzcld_qual.reports.refi.qdaxml import to_bytes as xml_bytes
from tzcld_qual.reports.refi.schema import CODEBOOK_XSD, require_valid

MAX_BYTES = 50_000_000


def codebook_to_qdc(codebook: Codebook) -> bytes:
    """The ``.qdc`` bytes of ``codebook``, validated against ``Codebook.xsd``."""
    element = root(CODEBOOK_NS, "CodeBook", CODEBOOK_LOCATION, {"origin": f"tzcld-qual {version()}"})
    write_codes(element, codebook)
    # the root has no name nor description: a set of every code carries the header (and shows
    # colleagues which codebook the codes come from)
    header = sub(
        sub(element, "Sets"),
        "Set",
        {"guid": guid("codebook", codebook.name), "name": f"Codebook « {codebook.name} »"},
    )
    sub(header, "Description", text=describe_codebook(codebook))
    for code in codebook.codes:
        sub(header, "MemberCode", {"guid": code_guid(code.id)})
    xml = xml_bytes(element)
    require_valid(xml, CODEBOOK_XSD)
    return xml


def read_qdc(path: Path) -> ImportedCodebook:
    """Our codebook from a ``.qdc`` file; codes without definition get a placeholder (see
    :mod:`.codes`) and are listed in ``to_complete``."""
    path = Path(path)
    if path.is_dir():
        raise InputError(
            Text("c'est un dossier, pas un fichier .qdc.", "this is a folder, not a .qdc file."),
            Text(
                "Donnez le fichier .qdc exporté par l'autre logiciel.",
                "Give the .qdc file the other software exported.",
            ),
            path=path,
        )
    if not path.is_file():
        raise InputError(
            Text("fichier introuvable.", "file not found."),
            Text("Vérifiez le chemin du fichier .qdc.", "Check the path of the .qdc file."),
            path=path,
        )
    if is_project_file(path):
        raise InputError(
            Text(
                "c'est un projet tzcld-qual, pas un codebook REFI-QDA (.qdc).",
                "this is a tzcld-qual project, not a REFI-QDA codebook (.qdc).",
            ),
            Text(
                "Son codebook en YAML : tzcld-qual codebook show {path} --yaml > codebook.yaml ; "
                "en .qdc : tzcld-qual export {path} --format qdc -o codebook.qdc",
                "Its codebook as YAML: tzcld-qual codebook show {path} --yaml > codebook.yaml; "
                "as .qdc: tzcld-qual export {path} --format qdc -o codebook.qdc",
            ),
            path=path,
        )
    if path.stat().st_size > MAX_BYTES:
        raise InputError(Text("fichier trop gros pour un codebook.", "file too large for a codebook."), path=path)
    element = parse(path.read_bytes(), str(path))
    if local(element) != "CodeBook":
        raise InputError(
            Text(
                "ce n'est pas un codebook REFI-QDA (élément racine « {tag} »).",
                "this is not a REFI-QDA codebook (root element « {tag} »).",
            ),
            Text("Un fichier .qdc commence par <CodeBook>.", "A .qdc file starts with <CodeBook>."),
            path=path,
            tag=local(element),
        )
    tree = read_codes(child(element, "Codes"))
    if not tree:
        raise InputError(
            Text("le codebook ne contient aucun code.", "the codebook has no codes."),
            None,
            path=path,
        )
    origin = element.get("origin") or "REFI-QDA"
    header = _header(element)
    return build_codebook(
        tree,
        name=header.name or path.stem,
        description=header.description,
        source=header.source or f"{path.name} ({origin})",
        language=header.language or "fr",
        version=header.version or 1,
        comment=f"Codebook importé de {path.name} ({'REFI-QDA' if origin == 'REFI-QDA' else f'REFI-QDA, {origin}'}).",
    )


def _header(element: etree._Element) -> DescribedCodebook:
    """The codebook header our export put in a set's description (see :mod:`.descriptions`);
    empty for a codebook from another tool, or when that set was removed or renamed."""
    sets = child(element, "Sets")
    for item in children(sets, "Set") if sets is not None else ():
        if (item.get("name") or "").startswith("Codebook « "):
            header = read_codebook_header(child_text(item, "Description"))
            if header.name:
                return header
    return DescribedCodebook()
