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

from tzcld_qual.errors import InputError, Text, ui_language

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
            Text("XML illisible, colonne {column} : {why}.", "unreadable XML, column {column}: {why}."),
            Text(
                "Le fichier est abîmé ou n'est pas au format REFI-QDA.",
                "The file is damaged or not in REFI-QDA format.",
            ),
            path=where,
            line=exc.lineno or None,
            column=(exc.offset or 0) + 1,
            why=xml_reason(exc.msg or ""),
        ) from None


# libxml2's words -> what they mean, for the usual ways a file gets damaged or hand-edited
_XML_REASONS = (
    (
        r"Premature end of data in tag (\S+) line (\d+)",
        "le fichier s'arrête avant la fin de <{0}>, ouvert ligne {1} (fichier tronqué ?)",
    ),
    (r"Document is empty", "le fichier est vide"),
    (r"Start tag expected, '<' not found", "ce n'est pas du XML (aucune balise « < » au début)"),
    (r"Opening and ending tag mismatch: (\S+) line (\d+) and (\S+)", "<{0}>, ouvert ligne {1}, est fermé par </{2}>"),
    (r"Extra content at the end of the document", "du contenu suit la fin du document"),
    (r"xmlParseEntityRef: no name|EntityRef: expecting ';'", "un « & » seul dans le texte (écrivez &amp;)"),
    (r"Entity '(\S+)' not defined", "l'entité « &{0}; » n'existe pas en XML"),
    (
        r"Unescaped '<' not allowed in attributes values",
        "un « < » dans la valeur d'un attribut (guillemet non refermé ?)",
    ),
    (r"AttValue: \" or ' expected", "une valeur d'attribut sans guillemets"),
    (r"Attribute (\S+) redefined", "l'attribut « {0} » est donné deux fois"),
    (
        r"attributes construct error|Couldn't find end of Start Tag",
        "une balise mal formée (attribut ou « > » manquant)",
    ),
    (r"Input is not proper UTF-8|Invalid bytes in character encoding", "des octets illisibles dans l'encodage déclaré"),
    (r"Char 0x\w+ out of allowed range|invalid Char value", "un caractère de contrôle interdit en XML"),
    (
        r"StartTag: invalid element name",
        "un nom de balise invalide après « < » (écrivez &lt; pour un « < » dans le texte)",
    ),
    (r"Comment not terminated", "un commentaire « <!-- » jamais refermé"),
    (r"CData section not finished", "une section « <![CDATA[ » jamais refermée"),
    (r"XML declaration allowed only at the start", "la déclaration « <?xml … ?> » doit être au tout début du fichier"),
    (r"Namespace prefix (\S+) on (\S+) is not defined", "le préfixe « {0}: » de <{0}:{1}> n'est déclaré nulle part"),
)
_WHERE = re.compile(r",\s*line \d+, column \d+\s*$")


def xml_reason(message: str) -> str:
    """lxml's message in the user's language (French for the usual slips), without its own
    « line 2, column 42 » since the error gives the line and column."""
    english = " ".join(_WHERE.sub("", message).split())
    if ui_language() == "en":
        return english
    for pattern, french in _XML_REASONS:
        found = re.search(pattern, english)
        if found:
            return french.format(*found.groups())
    return f"erreur de syntaxe ({english})"


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
