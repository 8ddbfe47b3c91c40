"""The line an export writes for each coding in a selection's ``<Description>``, and reading it back.

``alice : F4 (Changement de regard sur soi) — rejeté`` or
``ensemble@1 : F4 (…) — suggéré ; confiance 0.55 ; 2/3 codeurs d'accord…``: colleagues read it in
NVivo, MAXQDA or ATLAS.ti, and it is all that carries a rejection, a coding's status, a model's
confidence and its explanation once the file comes back from such a tool without our side file.

Reading is lenient because other tools keep, drop or let users edit these texts: a line that does
not read is skipped, never an error; the caller falls back on what the codings alone say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tzcld_qual.model import Code, Codebook, Coding, Status

_LINE = re.compile(r"^(?P<coder>\S.*?) : (?P<code>\S+)(?: \(.*?\))? — (?P<status>[^\s;]+)(?: ; (?P<rest>.*))?$")
_CONFIDENCE = re.compile(r"^(?:confiance|confidence)\s*:?\s*(?P<value>\d+(?:[.,]\d+)?)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DescribedCoding:
    coder: str
    code: str
    status: Status
    confidence: float | None  # as written: four decimals at most
    explanation: str  # whitespace collapsed, as written


def describe(coding: Coding, codebook: Codebook) -> str:
    """One readable line per coding: who, which code, status, and the model's reasons."""
    code = codebook.get(coding.code_id)
    label = f"{coding.code_id} ({code.label})" if isinstance(code, Code) and code.label != code.id else coding.code_id
    parts = [f"{coding.origin} : {label} — {coding.status.label}"]
    if coding.confidence is not None:
        parts.append(f"confiance {_score(coding.confidence)}")
    if coding.explanation:
        parts.append(" ".join(coding.explanation.split()))
    return " ; ".join(parts)


def _score(value: float) -> str:
    """Two decimals at least, four at most (what models store): ``0.40``, ``0.9962``. With two
    only, 0.996 came back as 1.00, and an order « au-dessus de 0,997 » selected it."""
    text = f"{value:.4f}"
    while text.endswith("0") and len(text.partition(".")[2]) > 2:
        text = text[:-1]
    return text


def read_description(text: str) -> tuple[DescribedCoding, ...]:
    """The codings a selection's description names, in order; lines that do not read are left out
    (a free comment, a line cut or reworded in another tool)."""
    out = []
    for line in text.splitlines():
        found = _LINE.match(line.strip())
        status = Status.from_label(found["status"]) if found else None
        if found is None or status is None:
            continue
        rest = (found["rest"] or "").strip()
        head, _sep, tail = rest.partition(" ; ")
        score = _CONFIDENCE.match(head.strip())
        confidence = float(score["value"].replace(",", ".")) if score else None
        if confidence is not None and not 0.0 <= confidence <= 1.0:
            confidence = None
        out.append(
            DescribedCoding(
                coder=found["coder"].strip(),
                code=found["code"],
                status=status,
                confidence=confidence,
                explanation=tail.strip() if score else rest,
            )
        )
    return tuple(out)
