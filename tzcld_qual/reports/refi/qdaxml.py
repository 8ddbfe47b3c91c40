"""Reading and writing QDA-XML elements: namespaces, safe parsing, XML-safe text, stable GUIDs.

Writers build namespaced ``lxml`` trees; readers match elements by local name, because some
tools write REFI-QDA files without the namespace. GUIDs are uuid5 over keys that do not depend
on where the project file lives, so exporting the same project twice gives the same file.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping

from lxml import etree

from tzcld_qual.errors import InputError, Text

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
PROJECT_LOCATION = "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
CODEBOOK_LOCATION = "http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://tzcld-qual.invalid/refi-qda")
# Characters XML 1.0 cannot carry at all (C0 controls but tab/newlines, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def guid(kind: str, *parts: object) -> str:
    """A GUID that is always the same for the same kind of entity and key."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join([kind, *(str(p) for p in parts)])))


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids (lxml refuses them)."""
    return _NOT_XML.sub("", value)


def root(ns: str, tag: str, location: str, attrs: Mapping[str, str | None]) -> etree._Element:
    element = etree.Element(f"{{{ns}}}{tag}", nsmap={None: ns, "xsi": XSI_NS})
    element.set(f"{{{XSI_NS}}}schemaLocation", f"{ns} {location}")
    _set(element, attrs)
    return element


def sub(
    parent: etree._Element,
    tag: str,
    attrs: Mapping[str, str | None] | None = None,
    text: str | None = None,
) -> etree._Element:
    """A child in the parent's namespace; ``None`` attributes are left out."""
    ns = etree.QName(parent).namespace
    element = etree.SubElement(parent, f"{{{ns}}}{tag}" if ns else tag)
    _set(element, attrs or {})
    if text is not None:
        element.text = xml_text(text)
    return element


def _set(element: etree._Element, attrs: Mapping[str, str | None]) -> None:
    for key, value in attrs.items():
        if value is not None:
            element.set(key, xml_text(value))


def to_bytes(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def parse(data: bytes, where: str) -> etree._Element:
    """Parse untrusted XML: no entities, no network, no DTD; errors name the file and line."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(
            Text("XML illisible : {why}.", "unreadable XML: {why}."),
            Text(
                "Le fichier est abîmé ou n'est pas au format REFI-QDA.",
                "The file is damaged or not in REFI-QDA format.",
            ),
            path=where,
            line=exc.lineno or None,
            why=exc.msg,
        ) from None


def local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def children(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element if local(c) == name]


def child(element: etree._Element, name: str) -> etree._Element | None:
    found = children(element, name)
    return found[0] if found else None


def child_text(element: etree._Element, name: str) -> str:
    found = child(element, name)
    return (found.text or "") if found is not None else ""


def refs(element: etree._Element, name: str) -> tuple[str, ...]:
    """``targetGUID`` of every ``name`` child (NoteRef, SourceRef, CodeRef…), normalised."""
    return tuple(norm_guid(c.get("targetGUID", "")) for c in children(element, name) if c.get("targetGUID"))


def norm_guid(value: str) -> str:
    """GUIDs compare case-insensitively and may be written in braces."""
    return value.strip().strip("{}").lower()
