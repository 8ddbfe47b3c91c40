"""What an export writes in ``<Description>`` elements for tools that have no field for it, and
reading it back: a line per coding in a selection's description, and the codebook's header.

``alice : F4 (Changement de regard sur soi) — rejeté`` or
``ensemble@1 : F4 (…) — suggéré ; confiance 0.55 ; 2/3 codeurs d'accord…``: colleagues read it in
NVivo, MAXQDA or ATLAS.ti, and it is all that carries a rejection, a coding's status, a model's
confidence and its explanation once the file comes back from such a tool without our side file.

The codebook's name, version, language, source and description have no place in a ``.qdc`` (its
root has no name): they go in the description of a set of all its codes, « Codebook « … » »,
and the project file's description names the codebook and its version.

Reading is lenient because other tools keep, drop or let users edit these texts: a line that does
not read is skipped, never an error; the caller falls back on what the codings alone say. Before
reading, a line is put back as we write it (:func:`_as_written`): the ordinary edits of a text box
(accents saved decomposed, a non-breaking space before « : », a dash retyped as « - ») each turned a
rejection into a missing row. Any dash (« - », « – », « — », « − ») reads as the one before the status.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from tzcld_qual.model import Code, Codebook, Coding, Status

_LINE = re.compile(
    r"^(?P<coder>\S.*?) : (?P<code>\S+)(?: \(.*?\))? [-\u2010-\u2015\u2212] (?P<status>[^\s;]+)(?: ; (?P<rest>.*))?$"
)
_SPACES = re.compile(r"\s+")  # \s holds the non-breaking spaces of French typography
_CONFIDENCE = re.compile(r"^(?:confiance|confidence)\s*:?\s*(?P<value>\d+(?:[.,]\d+)?)$", re.IGNORECASE)


_HEADER = re.compile(
    r"^Codebook tzcld-qual « (?P<name>.+?) », version (?P<version>\d+), langue (?P<language>[\w-]+)", re.M
)
_NAMED = re.compile(r"codebook « (?P<name>.+?) » v(?P<version>\d+)")  # an older export's project description
_SOURCE, _DESCRIPTION = "Source : ", "Description : "
_CONTINUED = "    "  # an explanation's further lines, indented under their coding's line


@dataclass(frozen=True, slots=True)
class DescribedCodebook:
    """The header a description gives back; empty fields were not there (or did not read)."""

    name: str = ""
    version: int | None = None
    language: str = ""
    source: str = ""
    description: str = ""


def describe_codebook(codebook: Codebook) -> str:
    """``Codebook tzcld-qual « name », version 2, langue fr.`` then its source and description."""
    lines = [f"Codebook tzcld-qual « {codebook.name} », version {codebook.version}, langue {codebook.language}."]
    if codebook.source:
        lines.append(_SOURCE + " ".join(codebook.source.split()))
    if codebook.description:
        lines.append(_DESCRIPTION + codebook.description.strip())
    return "\n".join(lines)


def read_codebook_header(text: str) -> DescribedCodebook:
    """The header :func:`describe_codebook` wrote (or a project description naming « codebook « … »
    vN »); what does not read is left empty."""
    found = _HEADER.search(text) or _NAMED.search(text)
    if found is None:
        return DescribedCodebook()
    source = description = ""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(_SOURCE) and not source:
            source = line[len(_SOURCE) :].strip()
        elif line.startswith(_DESCRIPTION):
            description = "\n".join([line[len(_DESCRIPTION) :], *lines[i + 1 :]]).strip()
            break
    return DescribedCodebook(
        name=found["name"].strip(),
        version=int(found["version"]),
        language=found.groupdict().get("language") or "",
        source=source,
        description=description,
    )


@dataclass(frozen=True, slots=True)
class DescribedCoding:
    coder: str
    code: str
    status: Status
    confidence: float | None  # as written: four decimals at most
    explanation: str  # whitespace collapsed in each line, as written


def describe(coding: Coding, codebook: Codebook) -> str:
    """One readable line per coding: who, which code, status, and the model's reasons; the
    reasons' further lines (one per coder) follow it, indented, so they come back as lines."""
    code = codebook.get(coding.code_id)
    label = f"{coding.code_id} ({code.label})" if isinstance(code, Code) and code.label != code.id else coding.code_id
    parts = [f"{coding.origin} : {label} — {coding.status.label}"]
    if coding.confidence is not None:
        parts.append(f"confiance {_score(coding.confidence)}")
    lines = [" ".join(line.split()) for line in coding.explanation.splitlines()]
    lines = [line for line in lines if line]
    if lines:
        parts.append(lines[0])
    return "\n".join([" ; ".join(parts), *(_CONTINUED + line for line in lines[1:])])


def _score(value: float) -> str:
    """Two decimals at least, four at most (what models store): ``0.40``, ``0.9962``. With two
    only, 0.996 came back as 1.00, and an order « au-dessus de 0,997 » selected it."""
    text = f"{value:.4f}"
    while text.endswith("0") and len(text.partition(".")[2]) > 2:
        text = text[:-1]
    return text


def read_description(text: str) -> tuple[DescribedCoding, ...]:
    """The codings a selection's description names, in order; lines that do not read are left out
    (a free comment, a line cut or reworded in another tool). An indented line under a coding's
    line continues its explanation."""
    out: list[DescribedCoding] = []
    for line in text.splitlines():
        found = _LINE.match(_as_written(line))
        status = Status.from_label(found["status"]) if found else None
        if found is None or status is None:
            continued = _as_written(line)
            if out and continued and line[:1].isspace():
                last = out[-1]
                out[-1] = replace(last, explanation="\n".join(filter(None, (last.explanation, continued))))
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


def _as_written(line: str) -> str:
    """``line`` with composed accents (NFC) and one plain space for any run of spaces, as
    :func:`describe` writes it."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", line)).strip()
