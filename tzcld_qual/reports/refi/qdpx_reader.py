"""Reading a ``.qdpx`` archive into plain values, whatever tool wrote it.

The archive is read in memory (nothing is extracted to disk), with limits on its size. The
single ``*.qde`` file is found wherever it is and whatever its name; ``sources/`` is matched
case-insensitively. Only text sources are read; other kinds are counted in the warnings.
Selections and codings whose GUID references cannot be resolved are kept as they are: the
importer decides what to do with them.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tzcld_qual.errors import InputError, Text
from tzcld_qual.reports.refi.codes import RefiCode, read_codes
from tzcld_qual.reports.refi.qdaxml import (
    child,
    child_text,
    children,
    local,
    norm_guid,
    parse,
    refs,
)
from tzcld_qual.reports.refi.schema import PROJECT_XSD, schema_errors

MAX_BYTES = 1_000_000_000  # uncompressed, all members together
EXTRA_NAME = "tzcld-qual.json"
_OTHER_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")
_VALUES = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")


@dataclass(frozen=True, slots=True)
class RefiCoding:
    guid: str
    code: str  # CodeRef target GUID
    user: str | None  # creatingUser GUID
    created_at: str | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RefiSelection:
    guid: str
    start: int
    end: int
    user: str | None
    codings: tuple[RefiCoding, ...]
    notes: tuple[str, ...] = ()
    description: str = ""  # ours lists every coding with its status and scores (see :mod:`.descriptions`)


@dataclass(frozen=True, slots=True)
class RefiSource:
    guid: str
    name: str
    text: str
    selections: tuple[RefiSelection, ...]
    notes: tuple[str, ...] = ()
    values: dict[str, str] = field(default_factory=dict)  # variable GUID -> value
    whole_codings: int = 0  # codings on the whole source (not supported, counted)


@dataclass(frozen=True, slots=True)
class RefiNote:
    guid: str
    name: str
    text: str
    user: str | None
    created_at: str | None


@dataclass(frozen=True, slots=True)
class RefiCase:
    guid: str
    name: str
    values: dict[str, str]  # variable GUID -> value
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RefiProject:
    name: str
    description: str
    users: dict[str, str]  # GUID -> name
    codes: tuple[RefiCode, ...]
    variables: dict[str, str]  # GUID -> name
    cases: tuple[RefiCase, ...]
    sources: tuple[RefiSource, ...]
    notes: dict[str, RefiNote]  # GUID -> note
    project_notes: tuple[str, ...]
    extra: dict[str, object] | None  # our side file, when the archive has one
    warnings: tuple[str, ...] = ()
    origin: str = ""  # the software that wrote the file (``tzcld-qual 1.2``, ``QualCoder``)


def read_qdpx(path: Path, *, max_bytes: int = MAX_BYTES) -> RefiProject:
    """Read a REFI-QDA project archive; raise :class:`InputError` for what cannot be read."""
    path = Path(path)
    if path.is_dir():
        raise InputError(
            Text("c'est un dossier, pas un fichier .qdpx.", "this is a folder, not a .qdpx file."),
            Text("Donnez le chemin du fichier .qdpx exporté.", "Give the path of the exported .qdpx file."),
            path=path,
        )
    if not path.is_file():
        raise InputError(
            Text("fichier introuvable.", "file not found."),
            Text("Vérifiez le chemin du fichier .qdpx.", "Check the path of the .qdpx file."),
            path=path,
        )
    if not zipfile.is_zipfile(path):
        with path.open("rb") as stream:
            started = stream.read(4) == b"PK\x03\x04"
        if started:  # a zip's beginning without its end: a cut download or copy
            raise InputError(
                Text(
                    "archive incomplète ou endommagée : le début d'un zip, sans sa fin.",
                    "incomplete or damaged archive: the beginning of a zip, without its end.",
                ),
                Text(
                    "Le fichier a été tronqué : exportez ou copiez-le de nouveau.",
                    "The file was truncated: export or copy it again.",
                ),
                path=path,
            )
        raise InputError(
            Text(
                "ce n'est pas une archive REFI-QDA (.qdpx, un zip).",
                "this is not a REFI-QDA archive (.qdpx, a zip).",
            ),
            Text(
                "Exportez le projet au format REFI-QDA depuis l'autre logiciel.",
                "Export the project as REFI-QDA from the other software.",
            ),
            path=path,
        )
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
        total = sum(info.file_size for info in members.values())
        if total > max_bytes:
            raise InputError(
                Text(
                    "archive trop volumineuse une fois décompressée ({size} octets).",
                    "archive too large once decompressed ({size} bytes).",
                ),
                None,
                path=path,
                size=total,
            )
        qde = _project_member(path, list(members))
        files = _Files(archive, members, path, qde.rpartition("/")[0])
        project = parse(files.read(qde), f"{path}!{qde}")
        warnings: list[str] = []
        errors = schema_errors(project, PROJECT_XSD)
        if errors:
            warnings.append(
                Text(
                    "{name} ne respecte pas Project.xsd ({error}) ; lu quand même",
                    "{name} does not follow Project.xsd ({error}); read anyway",
                ).render(name=qde, error=errors[0])
            )
        return _project(project, files, files.json(EXTRA_NAME), warnings)


def _project_member(path: Path, names: list[str]) -> str:
    found = [n for n in names if n.lower().endswith(".qde")]
    if len(found) > 1:
        found = [n for n in found if n.lower().rsplit("/", 1)[-1] == "project.qde"] or found
    if len(found) != 1:
        raise InputError(
            Text(
                "l'archive doit contenir un seul fichier .qde ({count} trouvé(s)).",
                "the archive must hold exactly one .qde file ({count} found).",
            ),
            Text(
                "Ce n'est pas un projet REFI-QDA (.qdpx) valide.",
                "This is not a valid REFI-QDA project (.qdpx).",
            ),
            path=path,
            count=len(found),
        )
    return found[0]


class _Files:
    """Archive members by name, ``sources/`` matched without regard to case."""

    def __init__(self, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], path: Path, base: str) -> None:
        self._archive = archive
        self._members = members
        self._folded = {name.casefold(): name for name in members}
        self.path = path
        self._base = f"{base}/" if base else ""

    def find(self, name: str) -> str | None:
        return name if name in self._members else self._folded.get(name.casefold())

    def read(self, name: str) -> bytes:
        try:
            return self._archive.read(self._members[name])
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:  # a bad checksum, cut or garbled data
            raise InputError(
                Text(
                    "archive endommagée : « {member} » ne se décompresse pas ({error}).",
                    "damaged archive: « {member} » does not decompress ({error}).",
                ),
                Text(
                    "Le fichier a été tronqué ou abîmé en route : exportez ou copiez-le de nouveau.",
                    "The file was truncated or damaged on the way: export or copy it again.",
                ),
                path=self.path,
                member=name,
                error=error,
            ) from None

    def json(self, name: str) -> dict[str, object] | None:
        found = self.find(self._base + name) or self.find(name)
        if found is None:
            return None
        try:
            data = json.loads(self.read(found).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
        return data if isinstance(data, dict) else None

    def internal(self, reference: str) -> bytes | None:
        """The bytes behind ``internal://<file>`` (or a plain relative path inside the archive)."""
        name = reference.split("://", 1)[1] if reference.lower().startswith("internal://") else reference
        name = name.lstrip("/")
        found = (
            self.find(f"{self._base}sources/{name}")
            or self.find(f"sources/{name}")
            or self.find(self._base + name)
            or self.find(name)
        )
        return self.read(found) if found else None


def decode_text(data: bytes, where: str) -> str:
    """Source text as tools write it: UTF-8 (a byte-order mark is dropped) or UTF-16 with BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            Text(
                "texte source illisible : pas en UTF-8 (octet {pos}).",
                "unreadable source text: not UTF-8 (byte {pos}).",
            ),
            Text("Réexportez le projet depuis l'autre logiciel.", "Export the project again."),
            path=where,
            pos=exc.start,
        ) from None


def _project(
    project: etree._Element, files: _Files, extra: dict[str, object] | None, warnings: list[str]
) -> RefiProject:
    users = {}
    for user in _items(project, "Users", "User"):
        key = norm_guid(user.get("guid", ""))
        users[key] = (user.get("name") or user.get("id") or key).strip() or key
    codebook = child(project, "CodeBook")
    codes = read_codes(child(codebook, "Codes") if codebook is not None else None)
    variables = {
        norm_guid(v.get("guid", "")): (v.get("name") or "").strip() for v in _items(project, "Variables", "Variable")
    }
    cases = tuple(
        RefiCase(
            guid=norm_guid(c.get("guid", "")),
            name=c.get("name") or "",
            values=_values(c),
            sources=refs(c, "SourceRef"),
        )
        for c in _items(project, "Cases", "Case")
    )
    sources: list[RefiSource] = []
    skipped = 0
    box = child(project, "Sources")
    for element in box if box is not None else ():
        if local(element) == "TextSource":
            source = _text_source(element, files, warnings)
            if source is not None:
                sources.append(source)
        elif local(element) in _OTHER_SOURCES:
            skipped += 1
    if skipped:
        warnings.append(
            Text(
                "{count} source(s) non textuelle(s) (PDF, image, audio, vidéo) ignorée(s)",
                "{count} non-text source(s) (PDF, picture, audio, video) skipped",
            ).render(count=skipped)
        )
    notes = {}
    for element in _items(project, "Notes", "Note"):
        note = _note(element, files)
        notes[note.guid] = note
    return RefiProject(
        name=project.get("name") or "",
        description=child_text(project, "Description"),
        users=users,
        codes=codes,
        variables=variables,
        cases=cases,
        sources=tuple(sources),
        notes=notes,
        project_notes=refs(project, "NoteRef"),
        extra=extra,
        warnings=tuple(warnings),
        origin=project.get("origin") or "",
    )


def _items(parent: etree._Element, container: str, name: str) -> list[etree._Element]:
    box = child(parent, container)
    return children(box, name) if box is not None else []


def _values(element: etree._Element) -> dict[str, str]:
    out = {}
    for value in children(element, "VariableValue"):
        ref = child(value, "VariableRef")
        data = next((c for c in value if local(c) in _VALUES), None)
        if ref is not None and data is not None:
            out[norm_guid(ref.get("targetGUID", ""))] = (data.text or "").strip()
    return out


def _content(element: etree._Element, files: _Files, where: str) -> str | None:
    inline = child(element, "PlainTextContent")
    if inline is not None:
        return inline.text or ""
    reference = element.get("plainTextPath")
    if not reference:
        return None
    data = files.internal(reference)
    return decode_text(data, where) if data is not None else None


def _text_source(element: etree._Element, files: _Files, warnings: list[str]) -> RefiSource | None:
    key = norm_guid(element.get("guid", ""))
    name = (element.get("name") or "").strip() or key
    text = _content(element, files, f"{files.path}!{name}")
    if text is None:
        coded = sum(1 for s in children(element, "PlainTextSelection") if children(s, "Coding"))
        warnings.append(
            Text(
                "source « {name} » sans texte lisible (fichier absent de l'archive) : ignorée, avec ses "
                "{coded} passage(s) codé(s) ; réexportez le projet depuis l'autre logiciel pour les avoir",
                "source « {name} » has no readable text (file missing from the archive): skipped, with its "
                "{coded} coded passage(s); export the project again from the other software to get them",
            ).render(name=name, coded=coded)
        )
        return None
    selections = []
    for selection in children(element, "PlainTextSelection"):
        try:
            start, end = (
                int(selection.get("startPosition", "")),
                int(selection.get("endPosition", "")),
            )
        except ValueError:
            continue
        selections.append(
            RefiSelection(
                guid=norm_guid(selection.get("guid", "")),
                start=start,
                end=end,
                user=_user(selection),
                codings=tuple(_coding(c) for c in children(selection, "Coding")),
                notes=refs(selection, "NoteRef"),
                description=child_text(selection, "Description"),
            )
        )
    return RefiSource(
        guid=key,
        name=name,
        text=text,
        selections=tuple(selections),
        notes=refs(element, "NoteRef"),
        values=_values(element),
        whole_codings=len(children(element, "Coding")),
    )


def _coding(element: etree._Element) -> RefiCoding:
    ref = child(element, "CodeRef")
    return RefiCoding(
        guid=norm_guid(element.get("guid", "")),
        code=norm_guid(ref.get("targetGUID", "")) if ref is not None else "",
        user=_user(element),
        created_at=element.get("creationDateTime"),
        notes=refs(element, "NoteRef"),
    )


def _user(element: etree._Element) -> str | None:
    value = element.get("creatingUser")
    return norm_guid(value) if value else None


def _note(element: etree._Element, files: _Files) -> RefiNote:
    key = norm_guid(element.get("guid", ""))
    return RefiNote(
        guid=key,
        name=element.get("name") or "",
        text=_content(element, files, f"{files.path}!{key}") or "",
        user=_user(element),
        created_at=element.get("creationDateTime"),
    )
