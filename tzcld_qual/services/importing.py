"""Importing transcripts: read and segment everything first, then write it in one transaction.

So a bad file anywhere in the list leaves the project exactly as it was (and a project that did
not exist is not created). Re-importing an unchanged file does nothing; a changed file becomes a
new version of the document, and every human coding whose segment text is unchanged is carried
over to it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import shlex
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import partial
from pathlib import Path

from tzcld_qual import paths
from tzcld_qual.codebook import load_codebook
from tzcld_qual.errors import InputError, Text
from tzcld_qual.io import read_attributes_csv, read_transcript
from tzcld_qual.io.keys import fold, is_identifying_key
from tzcld_qual.io.speakers import infer_roles, interviewer_label
from tzcld_qual.model import Document, ParsedTranscript, Role, Segment, frozen_mapping
from tzcld_qual.privacy.spans import PLACEHOLDER
from tzcld_qual.segment import Segmenter
from tzcld_qual.services import attributes
from tzcld_qual.services.projects import (
    create_with_codebook,
    not_created,
    refuse_missing_folder,
    remove_project_files,
)
from tzcld_qual.store import AttributeSources, NewSegment, ProjectStore, text_hash


@dataclass(frozen=True, slots=True)
class ImportReport:
    document: str
    status: str  # new | unchanged | new-version | attributes-updated
    speakers: Mapping[str, str]
    segments: int
    respondent_segments: int
    warnings: tuple[str, ...] = ()
    carried_over: int = 0
    left_behind: int = 0  # decisions and memos on passages the new version changed: kept on the old one
    left_behind_items: tuple[str, ...] = ()  # each of them, said: « segment 8 : F2 (marie, manual) « … » »
    previous_speakers: Mapping[str, str] | None = None  # set when only the speakers' roles changed
    version: int = 1
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Pseudonymization:
    """``import --pseudonymize``: words to keep, and where the table of correspondence goes."""

    allow: frozenset[str] = frozenset()
    allow_file: Path | None = None
    mapping_path: Path | None = None  # default: ``<project stem>.pseudonymes.json`` beside it


def _without_identifying(
    files: Sequence[Path], transcripts: list[ParsedTranscript], sidecar: Mapping[str, Mapping[str, str]]
) -> tuple[list[ParsedTranscript], dict[str, dict[str, str]], dict[str, tuple[str, ...]]]:
    """With ``--pseudonymize``, attributes that identify the person (« nom », « téléphone »…) are
    left out, from the header and the attributes file: they were stored in clear."""
    withheld: dict[str, tuple[str, ...]] = {}
    kept = []
    for path, transcript in zip(files, transcripts, strict=True):
        names = tuple(k for k in transcript.attributes if is_identifying_key(k))
        names += tuple(k for k in sidecar.get(path.name) or sidecar.get(path.stem) or {} if is_identifying_key(k))
        if names:
            withheld[path.name] = tuple(dict.fromkeys(names))
        clean = {k: v for k, v in transcript.attributes.items() if not is_identifying_key(k)}
        kept.append(dataclasses.replace(transcript, attributes=frozen_mapping(clean)) if names else transcript)
    rows = {name: {k: v for k, v in row.items() if not is_identifying_key(k)} for name, row in sidecar.items()}
    return kept, rows, withheld


def _pseudonymized(
    project: Path,
    files: Sequence[Path],
    transcripts: list[ParsedTranscript],
    sidecar: Mapping[str, Mapping[str, str]],
    interviewers: Iterable[str],
    options: Pseudonymization,
) -> tuple[list[ParsedTranscript], dict[str, dict[str, str]]]:
    """The transcripts and the attributes file's rows, pseudonymised (names in attributes too)."""
    from tzcld_qual.privacy.mapping import default_mapping_path
    from tzcld_qual.services.privacy import allowed_names, pseudonymize_import

    territories = {a["territory"] for a in sidecar.values() if a.get("territory")}
    taken: list[str] = []
    if not not_created(project):  # its placeholders stay theirs, with or without the table that made them
        with ProjectStore(project) as store:
            taken = [d.text for d in store.documents.list(current=False)]
    done = pseudonymize_import(
        transcripts,
        allow=allowed_names(options.allow, options.allow_file),
        territories=territories,  # in all their forms: "Saint-Aubin" was replaced, "Saint-Aubin-les-Forges" kept
        mapping_path=options.mapping_path or default_mapping_path(project),
        interviewers=interviewers,
        taken=taken,
        names=[f.name for f in files],  # a document's name is its file's: initials are per interview
        rows=sidecar,
    )
    return done.transcripts, done.rows


def _table_kept_whole(project: Path, options: Pseudonymization | None) -> AbstractContextManager[object]:
    """The table of correspondence is saved before the project is written: if the import fails
    after, the table goes back to what it was (removed if this import created it)."""
    if options is None:
        return nullcontext()
    from tzcld_qual.privacy.mapping import default_mapping_path
    from tzcld_qual.services.privacy import table_undone_on_failure

    return table_undone_on_failure(options.mapping_path or default_mapping_path(project))


@dataclass(frozen=True, slots=True)
class _Prepared:
    name: str
    path: Path
    transcript: ParsedTranscript
    given: dict[str, str]  # the attributes file's row: it overrides the header and the project
    roles: dict[str, Role]
    segments: list[NewSegment]
    warnings: tuple[str, ...] = ()


def import_files(
    project: Path,
    files: Sequence[Path],
    segmenter: Segmenter,
    *,
    attributes_csv: Path | None = None,
    interviewers: Iterable[str] = (),
    codebook_path: Path | None = None,
    max_bytes: int = 20_000_000,
    pseudonymize: Pseudonymization | None = None,
    replace: bool = False,
) -> list[ImportReport]:
    """Import transcripts into ``project`` (created with the default codebook when missing).

    With ``pseudonymize``, names, places, organisations, phones, e-mails, addresses and dates of
    birth are replaced by consistent placeholders *before* anything is stored; the table of
    correspondence goes to its own private file, never into the project.
    Without it, a project that is pseudonymised (it has its table of correspondence, or its texts
    carry placeholders) refuses the import: the new files would go in with every name in clear.

    A file from another folder that shares a document's name but almost none of its passages
    is refused, whether or not analysts have decided on that document yet: it is most likely
    another interview, which would take the first one's place (and its attributes) and put any
    decision out of sight. ``replace`` makes it the new version anyway.
    """
    refuse_missing_folder(project)
    if codebook_path is not None and not not_created(project):
        _check_same_codebook(project, codebook_path)
    files, _skipped = transcript_files(files)
    sidecar = read_attributes_csv(attributes_csv) if attributes_csv else {}
    names = [f.name for f in files]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        clash = [str(f) for f in files if f.name == dup]
        raise InputError(
            Text(
                "{n} fichiers portent le même nom « {name} » : {paths}.",
                "{n} files share the name « {name} »: {paths}.",
            ),
            Text(
                "Renommez l'un d'eux : le nom identifie le document dans le projet.",
                "Rename one: the name identifies the document in the project.",
            ),
            name=dup,
            n=len(clash),
            paths=", ".join(clash),
        )
    transcripts = _read_all(files, max_bytes)
    if pseudonymize is None:
        _refuse_raw_into_pseudonymised(project, files, transcripts)
    with _table_kept_whole(project, pseudonymize):  # a failed import leaves no new table of real names
        withheld: dict[str, tuple[str, ...]] = {}
        if pseudonymize is not None:
            transcripts, sidecar, withheld = _without_identifying(files, transcripts, sidecar)
            transcripts, sidecar = _pseudonymized(project, files, transcripts, sidecar, interviewers, pseudonymize)
        unmatched = _unmatched_rows(files, sidecar, attributes_csv)
        prepared = [
            _prepare(f, t, sidecar, frozenset(interviewers), segmenter, unmatched, withheld.get(f.name, ()))
            for f, t in zip(files, transcripts, strict=True)
        ]

        created = not_created(project)
        if created:
            codebook_path = codebook_path or paths.default_codebook()
            codebook = load_codebook(codebook_path)
            store, _ = create_with_codebook(
                project, codebook, codebook_path.read_text(encoding="utf-8-sig"), str(codebook_path)
            )
        else:
            store = ProjectStore(project)
        try:
            with store.transaction():
                reports = [_write(store, p, project, replace=replace) for p in prepared]
        except BaseException:
            store.close()
            if created:
                remove_project_files(project)
            raise
        store.close()
        return reports


def unmatched_interviewers(interviewers: Iterable[str], reports: Sequence[ImportReport]) -> list[str]:
    """A warning for each ``--interviewer`` label that names no speaker of any imported file: it
    is then ignored and the roles guessed, which went unsaid (« Enquetrice » for « ENQUÊTRICE »)."""
    found = list(dict.fromkeys(speaker for r in reports for speaker in r.speakers))
    keys = {" ".join(speaker.split()).casefold() for speaker in found}
    out = []
    for label in dict.fromkeys(interviewers):
        if " ".join(label.split()).casefold() in keys:
            continue
        close = [s for s in found if fold(" ".join(s.split())) == fold(" ".join(label.split()))]
        hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
        listed = ", ".join(f"« {s} »" for s in found[:8]) + (" …" if len(found) > 8 else "")
        out.append(
            f"--interviewer « {label} » ne désigne aucun locuteur des fichiers importés (locuteurs : "
            f"{listed or 'aucun'}) : il est ignoré, les rôles ont été devinés{hint}"
        )
    return out


def _check_same_codebook(project: Path, codebook_path: Path) -> None:
    """``--codebook`` only chooses the codebook of a new project: for an existing one, a different
    codebook would be silently ignored, so it is refused (the same one is fine)."""
    import dataclasses

    given = load_codebook(codebook_path)
    with ProjectStore(project) as store:
        current = store.codebooks.get()
    if current is None or dataclasses.replace(given, source="") == dataclasses.replace(current, source=""):
        return
    raise InputError(
        Text(
            "le projet a déjà son codebook ({name} v{version}) : --codebook ne s'applique qu'à un nouveau projet.",
            "the project already has its codebook ({name} v{version}): --codebook only applies to a new project.",
        ),
        Text(
            "Omettez --codebook, ou chargez ce codebook comme nouvelle version : "
            "tzcld-qual codebook load {project} {file}",
            "Leave out --codebook, or load it as a new version: tzcld-qual codebook load {project} {file}",
        ),
        path=codebook_path,
        name=current.name,
        version=current.version,
        project=project,
        file=codebook_path,
    )


def transcript_files(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """The files to import, and what a folder held that is not imported: folders stand for the
    transcripts they hold (sidecar CSV and README files, system files such as ``._x.txt`` or
    Word's ``~$x.docx`` lock excluded); other formats and sub-folders are returned as skipped, so
    that the import can say so."""
    from tzcld_qual.io import SUPPORTED_SUFFIXES

    out: list[Path] = []
    skipped: list[Path] = []
    for f in paths:
        if not f.is_dir():
            out.append(f)
            continue
        for p in sorted(f.iterdir()):
            if p.name.startswith((".", "~$")) or p.name.lower() in ("readme.md", "thumbs.db", "desktop.ini"):
                continue  # hidden, system or lock files: never transcripts
            if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES:
                out.append(p)
            elif p.is_dir() or p.suffix.lower() != ".csv":
                skipped.append(p)
    if not out:
        raise InputError(
            Text("aucun fichier à importer.", "no file to import."),
            Text(
                "Donnez des fichiers .txt, .md, .docx, .odt, .vtt ou .srt, ou un dossier qui en contient.",
                "Give .txt, .md, .docx, .odt, .vtt or .srt files, or a folder holding some.",
            ),
        )
    return out, skipped


def unread_attribute_files(paths: Sequence[Path], attributes_csv: Path | None) -> list[Path]:
    """The CSV files that folders given to import hold, when no ``--attributes`` file is given:
    an import reads only the transcripts of a folder, and its ``attributes.csv`` left unread gave
    6 of 10 documents no round, which ``code --round`` then skipped, without a word."""
    if attributes_csv is not None:
        return []
    return [
        p
        for folder in paths
        if folder.is_dir()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix.lower() == ".csv" and not p.name.startswith((".", "~$"))
    ]


def _read_all(files: Sequence[Path], max_bytes: int) -> list[ParsedTranscript]:
    """Every transcript, or one error naming every file that cannot be read (one run to find
    them all, not one per file)."""
    transcripts, errors = [], []
    for f in files:
        try:
            transcripts.append(read_transcript(f, max_bytes=max_bytes))
        except InputError as error:
            errors.append(error)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InputError(
            Text(
                "{n} fichiers ne peuvent pas être lus ; rien n'a été importé :\n{each}",
                "{n} files cannot be read; nothing was imported:\n{each}",
            ),
            Text(
                "\nCorrigez-les ou retirez-les de la commande (ou du dossier), puis relancez.",
                "\nFix them or leave them out of the command (or the folder), then run it again.",
            ),
            n=len(errors),
            each="\n".join(f"  {e.message}" for e in errors),
        )
    return transcripts


def _unmatched_rows(files: Sequence[Path], sidecar: Mapping[str, Mapping[str, str]], csv: Path | None) -> str | None:
    """The warning for a transcript the attributes file has no row for: its round, role and
    territory stay empty, so ``code --round`` would skip it. Rows naming no imported file are
    listed with it, as they are most often the same name mistyped."""
    if not sidecar or csv is None:
        return None
    names = {n for f in files for n in (f.name, f.stem)}
    spare = sorted(k for k in sidecar if k not in names)
    warning = f"{_NO_ROW}{csv.name}{_NONE_GIVEN}"
    if spare:
        warning += f" (lignes sans fichier importé : {', '.join(spare[:5])}{' …' if len(spare) > 5 else ''})"
    return warning


def _prepare(
    path: Path,
    transcript: ParsedTranscript,
    sidecar: Mapping[str, Mapping[str, str]],
    interviewers: frozenset[str],
    segmenter: Segmenter,
    unmatched: str | None = None,
    withheld: tuple[str, ...] = (),
) -> _Prepared:
    row = sidecar.get(path.name) or sidecar.get(path.stem)
    roles = infer_roles(transcript.text, transcript.turns, interviewers | transcript.interviewers)
    warnings: tuple[str, ...] = (unmatched,) if unmatched and row is None and not transcript.attributes else ()
    if withheld:
        warnings += (
            f"{'attribut non importé' if len(withheld) == 1 else 'attributs non importés'} : {', '.join(withheld)} "
            f"(--pseudonymize : {'il identifie' if len(withheld) == 1 else 'ils identifient'} la personne)",
        )
    if len(roles) == 1 and interviewer_label(only := next(iter(roles))) and roles[only] is Role.RESPONDENT:
        warnings += (  # a lone speaker is a testimony's author, but this one is named as an interviewer
            f"un seul locuteur, « {only} », nommé comme un·e enquêteur·rice : ses tours sont comptés comme "
            "des réponses à coder. Si ce ne sont que des questions, retirez ce fichier",
        )
    segments = segmenter.segment(transcript, roles)
    return _Prepared(path.name, path, transcript, dict(row or {}), roles, segments, warnings)


def _write(store: ProjectStore, item: _Prepared, project: Path, *, replace: bool = False) -> ImportReport:
    transcript = item.transcript
    digest = hashlib.sha256(transcript.text.encode("utf-8")).hexdigest()
    speakers = {label: role.value for label, role in item.roles.items()}
    respondent = sum(1 for s in item.segments if s.role is Role.RESPONDENT)
    existing = next((d for d in store.documents.matching(item.name) if d.name == item.name), None)
    twin_note: tuple[str, ...] = ()
    if existing is None and (removed := next((d for d in store.documents.retired() if d.name == item.name), None)):
        # an analyst took it out (a duplicate, another study's file): re-importing the folder must
        # not put it back
        return ImportReport(
            document=item.name,
            status="unchanged",
            speakers=dict(removed.speakers),
            segments=len(item.segments),
            respondent_segments=respondent,
            warnings=(
                "retiré du projet (tzcld-qual remove) : pas réimporté ; pour le faire revenir : "
                f"tzcld-qual restore {shlex.quote(str(project))} {shlex.quote(item.name)}",
            ),
            version=removed.version,
            attributes=dict(removed.attributes),
        )
    twins = () if existing else tuple(n for n in store.documents.same_text(digest) if n != item.name)
    if twins:  # a renamed file, or one copied twice: the interview would count twice
        twin_note = (
            f"même texte que « {twins[0]} » : l'entretien compte deux fois dans le projet. S'il s'agit d'un "
            f"fichier renommé ou copié, retirez l'un des deux : tzcld-qual remove {shlex.quote(str(project))} "
            f"{item.name} (ou {twins[0]})",
        )
    # what this import says of the interview overrides, what it leaves out is kept: re-importing an
    # edited file without its attributes file must not strip its role, territory and round; nor
    # may its unchanged header undo a value corrected since
    sources = store.documents.sources(existing.id) if existing else AttributeSources()
    held = dict(existing.attributes) if existing else None
    merged = attributes.merge(held, sources, dict(transcript.attributes), item.given, item.name, str(project))
    values = merged.values
    changed = tuple(f"attribut changé : {attributes.said(t)}" for t in merged.taken)
    report = partial(
        ImportReport,
        document=item.name,
        speakers=speakers,
        segments=len(item.segments),
        respondent_segments=respondent,
        warnings=twin_note
        + transcript.warnings
        + _kept_attributes(item.warnings, existing, values)
        + changed
        + tuple(merged.notes),
        attributes=values,
    )
    if existing and dict(existing.attributes) != values:  # in the audit log, as an analyst's edit is
        change = attributes.Change(item.name, existing.attributes, values)
        store.codings.log_event("tzcld-qual", "attributes", f"{item.name} : {attributes.describe(change)}")
    if existing and existing.content_hash == digest and dict(existing.speakers) == speakers:
        if dict(existing.attributes) == values:
            if merged.sources != sources:  # only the record of what the files said changes
                store.documents.set_attributes(existing.id, values, sources=merged.sources)
            return report(status="unchanged", version=existing.version)
        store.documents.set_attributes(existing.id, values, sources=merged.sources)
        return report(status="attributes-updated", version=existing.version)
    if existing and existing.content_hash != digest and not replace:  # same text: roles changed only
        _refuse_another_interview(store, existing, item)
    doc = store.documents.add(
        name=item.name,
        source_path=str(item.path.resolve()),
        content_hash=digest,
        text=transcript.text,
        attributes=values,
        speakers=speakers,
        source_format=transcript.source_format,
        segments=item.segments,
        sources=merged.sources,
    )
    carried, left = _carry_over(store, existing.id, doc.id) if existing else (0, [])
    store.codings.log_event("tzcld-qual", "import", f"{item.name} v{doc.version}")
    same_text = existing is not None and existing.content_hash == digest
    return report(
        status="new-version" if existing else "new",
        previous_speakers=dict(existing.speakers) if existing is not None and same_text else None,
        version=doc.version,
        carried_over=carried,
        left_behind=len(left),
        left_behind_items=tuple(left),
    )


def _kept_attributes(
    warnings: tuple[str, ...], existing: Document | None, attributes: Mapping[str, str]
) -> tuple[str, ...]:
    """« aucune ligne dans x.csv : ni vague, ni rôle… » is untrue of a document that keeps its own."""
    if existing is None or not attributes:
        return warnings
    return tuple(
        w.replace(_NONE_GIVEN, " : le document garde ses attributs") if w.startswith(_NO_ROW) else w for w in warnings
    )


def _refuse_raw_into_pseudonymised(
    project: Path, files: Sequence[Path], transcripts: Sequence[ParsedTranscript]
) -> None:
    """A pseudonymised project (it has its table of correspondence, or texts with placeholders)
    takes transcripts only through ``--pseudonymize``: a new file would go in with every name in
    clear, and a pseudonymised document's original file would put them back in its current text.
    A file that already carries placeholders is pseudonymised text, and goes in as it is."""
    from tzcld_qual.privacy.mapping import default_mapping_path
    from tzcld_qual.reports.report_blocks import plural

    raw = [path for path, t in zip(files, transcripts, strict=True) if PLACEHOLDER.search(t.text) is None]
    if not raw or not_created(project):
        return
    with ProjectStore(project) as store:
        marked = [d.name for d in store.documents.list(current=False) if PLACEHOLDER.search(d.text)]
    table = default_mapping_path(project)
    if not marked and not table.exists():
        return
    if original := next((path for path in raw if path.name in marked), None):
        raise InputError(
            Text(
                "« {name} » est pseudonymisé dans le projet et ce fichier n'a aucun marqueur [PERSONNE_…] : "
                "c'est sans doute le texte d'origine, qui remettrait les noms en clair. Rien n'a été importé.",
                "« {name} » is pseudonymised in the project and this file has no [PERSONNE_…] marker: most "
                "likely the original text, which would put the names back. Nothing was imported.",
            ),
            Text(
                "Ajoutez --pseudonymize (avec la même table : --mapping) pour le pseudonymiser à l'import.",
                "Add --pseudonymize (with the same table: --mapping) to pseudonymise it on import.",
            ),
            path=original,
            name=original.name,
        )
    why_fr, why_en = (
        (f"sa table de correspondance {table} existe", f"its table of correspondence {table} exists")
        if table.exists()
        else (f"« {marked[0]} » y porte des marqueurs [PERSONNE_…]", f"« {marked[0]} » carries [PERSONNE_…] markers")
    )
    raise InputError(
        Text(
            "le projet {project} est pseudonymisé ({why_fr}) : importer {file_fr} sans --pseudonymize y enregistrerait "
            "les noms, téléphones et adresses en clair. Rien n'a été importé.",
            "project {project} is pseudonymised ({why_en}): importing {file_en} without --pseudonymize would store "
            "names, phones and addresses in clear. Nothing was imported.",
        ),
        Text(
            "Relancez avec --pseudonymize (avec --mapping si la table est ailleurs) : "
            "tzcld-qual import {project} --pseudonymize FICHIERS…",
            "Run it again with --pseudonymize (with --mapping if the table is elsewhere): "
            "tzcld-qual import {project} --pseudonymize FILES…",
        ),
        path=raw[0],
        project=project,
        file_fr=raw[0].name if len(raw) == 1 else f"{raw[0].name} et {plural(len(raw) - 1, 'autre')}",
        file_en=raw[0].name if len(raw) == 1 else f"{raw[0].name} and {len(raw) - 1} more",
        why_fr=why_fr,
        why_en=why_en,
    )


_NO_ROW = "aucune ligne dans "
_NONE_GIVEN = " : ni vague, ni rôle, ni territoire"
SAME_INTERVIEW = 0.2  # share of the old version's answers found again, below which it is another one


def _refuse_another_interview(store: ProjectStore, existing: Document, item: _Prepared) -> None:
    """Refuse a file from elsewhere that keeps almost no answer of the document of the same name,
    decided on or not (see :func:`import_files`)."""
    if existing.source_path == str(item.path.resolve()):
        return  # the analyst's own file, edited: a new version, however much it changed
    old = store.documents.segments(document_id=existing.id, current=False)  # any role: roles may change too
    if not old:
        return
    decided = sum(c.status.is_human for rows in store.codings.for_segments([s.id for s in old]).values() for c in rows)
    new = Counter(text_hash(s.text) for s in item.segments)
    kept = sum(1 for s in old if new[text_hash(s.text)] > 0)
    if kept / len(old) >= SAME_INTERVIEW:
        return
    from tzcld_qual.reports.report_blocks import plural

    if decided:
        fr_loss = (
            f"ses {plural(decided, 'décision')} resteraient attachées à l'ancienne version, hors de vue"
            if decided > 1
            else "sa décision resterait attachée à l'ancienne version, hors de vue"
        )
        en_loss = f"its {decided} decision{'s' if decided > 1 else ''} would stay with the old version"
    else:
        fr_loss = "il prendrait sa place (et ses attributs) et le premier disparaîtrait du codage"
        en_loss = "it would take the first one's place (and its attributes) and the first would leave coding"
    raise InputError(
        Text(
            "le projet a déjà un document « {name} » (importé de {source}) et ce fichier n'en garde que "
            "{kept_fr} sur {total} : c'est sans doute un autre entretien ; {fr_loss}. Rien n'a été importé.",
            "the project already has a document « {name} » (imported from {source}) and this file keeps only "
            "{kept} of its {total} passages: most likely another interview; {en_loss}. Nothing was imported.",
        ),
        Text(
            "Renommez le fichier s'il s'agit d'un autre entretien, ou ajoutez --replace pour en faire la "
            "nouvelle version.",
            "Rename the file if it is another interview, or add --replace to make it the new version.",
        ),
        path=item.path,
        name=item.name,
        source=existing.source_path,
        kept=kept,
        kept_fr=plural(kept, "passage"),
        total=len(old),
        fr_loss=fr_loss,
        en_loss=en_loss,
    )


def _carry_over(store: ProjectStore, old_document: int, new_document: int) -> tuple[int, list[str]]:
    """Give each unchanged segment of the new version the human codings and memos of its
    predecessor, and the new version the document's memos; also count the decisions and memos
    on changed passages, which stay with the old version (said, not dropped)."""
    old = store.documents.segments(document_id=old_document, current=False)
    new = store.documents.segments(document_id=new_document, current=False)
    successors = _align(old, new)
    store.memos.carry_over("document", old_document, new_document)
    copied, changed = 0, []

    def carry(seg: Segment, successor: int) -> int:
        nonlocal copied
        moved = store.codings.carry_over(seg.id, successor)
        copied += moved
        return moved + store.memos.carry_over("segment", seg.id, successor)

    for seg in old:
        if seg.id in successors:
            carry(seg, successors[seg.id])
        else:
            changed.append(seg.id)
    # An edit undone: decisions left on an older version's passage come back, to that passage in
    # the new version (aligned as above), unless the previous version's segment there carries on.
    claimed = set(successors.values())
    for older, left in _stranded(store, old_document):
        back = _align(older, new)
        for seg in older:
            target = back.get(seg.id)
            if seg.id in left and target is not None and target not in claimed and carry(seg, target):
                claimed.add(target)
    return copied, _left_behind(store, changed)


def _key(seg: Segment) -> tuple[str, str]:
    return seg.role.value, text_hash(seg.text)


def _align(old: Sequence[Segment], new: Sequence[Segment]) -> dict[int, int]:
    """Each old segment's successor: same role and text, in the same order (difflib's alignment of
    the two versions). Taking the first segment of the same text moved a decision on one « Oui,
    clairement. » to another answer worded alike when a passage was inserted or deleted before
    it. A segment left out of the alignment (a passage moved) follows its text only when that
    text is unique among what is left on both sides; else it stays behind, said."""
    a, b = [_key(s) for s in old], [_key(s) for s in new]
    successors: dict[int, int] = {}
    for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            successors[old[block.a + k].id] = new[block.b + k].id
    taken = set(successors.values())
    left_old = Counter(_key(s) for s in old if s.id not in successors)
    left_new: dict[tuple[str, str], list[int]] = defaultdict(list)
    for seg in new:
        if seg.id not in taken:
            left_new[_key(seg)].append(seg.id)
    for seg in old:
        key = _key(seg)
        if seg.id not in successors and left_old[key] == 1 and len(left_new[key]) == 1:
            successors[seg.id] = left_new[key][0]
    return successors


def _left_behind(store: ProjectStore, changed: Sequence[int]) -> list[str]:
    """Each human decision and memo on the changed passages, said so that an analyst can find
    the passage in the new version and decide again."""
    codings = store.codings.for_segments(list(changed))
    marks = store.codings.no_code(list(changed))  # « relu, aucun code »
    texts = {s.id: s.text for s in store.documents.segments(ids=list(changed), current=False)}
    out = []
    for seg_id in changed:
        passage = " ".join(texts.get(seg_id, "").split())
        passage = passage if len(passage) <= 60 else passage[:59] + "…"
        said = [f"{c.code_id} ({c.origin}, {c.status.label})" for c in codings.get(seg_id, []) if c.status.is_human]
        said += [f"aucun code ({coder}, relu)" for seg, coder in sorted(marks) if seg == seg_id]
        said += [f"mémo ({m.coder})" for m in store.memos.list("segment", str(seg_id))]
        out += [f"segment {seg_id} : {what} « {passage} »" for what in said]
    return out


def _stranded(store: ProjectStore, previous: int) -> list[tuple[list[Segment], set[int]]]:
    """Each version before ``previous``, most recent first: its segments, and those whose passage
    the next version changed (not aligned with it), whose decisions and memos were left behind."""
    doc = store.documents.get(previous)
    if doc is None:
        return []
    versions = [d for d in store.documents.versions(doc.name) if d.version <= doc.version]
    out: list[tuple[list[Segment], set[int]]] = []
    for older, newer in reversed(list(itertools.pairwise(versions))):
        before = store.documents.segments(document_id=older.id, current=False)
        kept = _align(before, store.documents.segments(document_id=newer.id, current=False))
        out.append((before, {s.id for s in before if s.id not in kept}))
    return out
