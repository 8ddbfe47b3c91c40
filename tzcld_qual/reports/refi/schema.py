"""Validation against the official REFI-QDA schemas shipped in ``reports/schemas/``.

The exporters validate what they are about to write: an invalid file would be a bug of ours,
and other tools reject such files with messages an analyst cannot act on.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
PROJECT_XSD = SCHEMA_DIR / "Project.xsd"
CODEBOOK_XSD = SCHEMA_DIR / "Codebook.xsd"


def schema_errors(xml: bytes | etree._Element, xsd: Path) -> list[str]:
    """Every violation of ``xsd`` in ``xml`` as ``line N: message`` (empty when valid)."""
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    document = (
        etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
        if isinstance(xml, bytes)
        else xml
    )
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def require_valid(xml: bytes, xsd: Path) -> None:
    """Raise if ``xml`` is not valid: a failure here is a bug in the exporter, not a user error."""
    errors = schema_errors(xml, xsd)
    if errors:
        raise RuntimeError(f"REFI-QDA export does not validate against {xsd.name}: " + "; ".join(errors[:5]))
