"""Pseudonymisation use-cases: at import (``import --pseudonymize``) and of an existing project.

The table of correspondence goes to its own owner-only file (default
``<project stem>.pseudonymes.json`` beside the project), never into the project or an export;
an existing table is reused and extended so placeholders stay the same from one import to the
next.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tzcld_qual.errors import InputError, ProjectError, Text, UsageError
from tzcld_qual.folding import fold_in_place as fold
from tzcld_qual.io.keys import is_identifying_key
from tzcld_qual.model import Document, ParsedTranscript, Turn, frozen_mapping
from tzcld_qual.privacy.allow import AllowList, read_allow_file
from tzcld_qual.privacy.attributes import AttributeRewriter, pseudonymized_attributes
from tzcld_qual.privacy.mapping import PseudonymMap, default_mapping_path
from tzcld_qual.privacy.ner import Recognizer, SpacyRecognizer
from tzcld_qual.privacy.pseudonymizer import Pseudonymizer, Source
from tzcld_qual.privacy.spans import PLACEHOLDER, Kind
from tzcld_qual.services import engine_cache
from tzcld_qual.store import AttributeSources, ProjectStore
from tzcld_qual.store.connection import database_error
from tzcld_qual.store.pseudonyms import DocumentRewrite, PseudonymRewriter, SegmentRewrite, rewrite_derived

__all__ = [
    "NamedDocument",
    "ProjectPseudonymReport",
    "PseudonymisationStatus",
    "allowed_names",
    "default_mapping_path",
    "documents_named_after_people",
    "named_documents",
    "pseudonymisation_status",
    "pseudonymize_import",
    "pseudonymize_project",
    "table_undone_on_failure",
]
_JSON_COLUMNS = frozenset({"slots", "keyphrases", "quotes"})


@dataclass(frozen=True, slots=True)
class NamedDocument:
    """A document whose (file) name holds a name the texts had replaced: « ent-moreau.txt »."""

    document: str
    name: str  # as the file name writes it
    placeholder: str  # what the texts say instead

    def warning(self) -> str:
        """« ent-moreau.txt : le nom du document contient « moreau » ([PERSONNE_1] dans les textes)… »"""
        return Text(
            "{document} : le nom du document contient « {name} », remplacé par {placeholder} dans les textes ; "
            "ce nom de fichier n'est pas pseudonymisé (il sert à reconnaître le document quand on le réimporte) "
            "et apparaîtra dans les citations, rapports et exports. Renommez le fichier d'origine sans nom de "
            "personne ni de lieu (ex. entretien-07.txt) avant de l'importer ; un projet déjà fait garde ce nom : "
            "pour le partager, réimportez les fichiers renommés dans un nouveau projet.",
            "{document}: the document's name holds « {name} », replaced by {placeholder} in the texts; this file "
            "name is not pseudonymised (it identifies the document on re-import) and will appear in quotations, "
            "reports and exports. Rename the original file without a person's or place's name (e.g. "
            "interview-07.txt) before importing it; a project already made keeps the name: to share it, import "
            "the renamed files into a new project.",
        ).render(document=self.document, name=self.name, placeholder=self.placeholder)


@dataclass(frozen=True, slots=True)
class ProjectPseudonymReport:
    mapping: Path
    documents: int  # document versions rewritten
    segments: int  # segments whose text changed
    replacements: dict[str, int] = field(default_factory=dict)  # per kind
    entities: int = 0  # entities in the table after the run
    derived: int = 0  # memos, chat turns, topic texts, explanations rewritten
    named_documents: tuple[NamedDocument, ...] = ()  # document names that hold a replaced name
    attributes: int = 0  # document versions whose attributes were pseudonymised or withheld


@dataclass(frozen=True, slots=True)
class PseudonymisationStatus:
    """Whether a project's texts are pseudonymised: what a report says before it quotes them."""

    pseudonymised: bool
    at: str | None  # ISO time: the last ``pseudonymize`` run, else the last import of pseudonymised text
    placeholders: int  # distinct placeholders ([PERSONNE_3]…) in the current texts
    replacements: int  # their occurrences
    documents: int  # current documents with at least one placeholder
    total: int  # current documents

    def sentence(self) -> str:
        """One sentence for a report: « Textes pseudonymisés (30/11/2026) : 158 marqueurs… »."""
        if not self.pseudonymised:
            return Text(
                "Textes non pseudonymisés : les noms de personnes, de lieux et de structures y figurent en clair.",
                "Texts not pseudonymised: names of people, places and organisations appear in clear.",
            ).render()
        day = f" ({self.at[8:10]}/{self.at[5:7]}/{self.at[:4]})" if self.at else ""
        return Text(
            "Textes pseudonymisés{day} : {placeholders} marqueurs ([PERSONNE_1], [LIEU_2]…) remplacent noms, "
            "lieux et structures, {replacements} fois, dans {documents} documents sur {total}.",
            "Texts pseudonymised{day}: {placeholders} placeholders ([PERSONNE_1], [LIEU_2]…) replace names, "
            "places and organisations, {replacements} times, in {documents} documents of {total}.",
        ).render(
            day=day,
            placeholders=self.placeholders,
            replacements=self.replacements,
            documents=self.documents,
            total=self.total,
        )


def pseudonymisation_status(store: ProjectStore) -> PseudonymisationStatus:
    """Whether the project's current texts are pseudonymised, since when, and how many placeholders.

    Pseudonymised: ``pseudonymize`` ran on it, or its texts carry placeholders (``import
    --pseudonymize`` logs no run of its own). Read-only; cheap enough for every report."""
    documents = store.documents.list()
    found = [PLACEHOLDER.findall(d.text) for d in documents]
    runs = [event.at for event in store.codings.audit() if event.action == "pseudonymize"]
    marked = [d.imported_at for d, f in zip(documents, found, strict=True) if f]
    return PseudonymisationStatus(
        pseudonymised=bool(runs or marked),
        at=max(runs) if runs else max(marked, default=None),
        placeholders=len({p for f in found for p in f}),
        replacements=sum(len(f) for f in found),
        documents=len(marked),
        total=len(documents),
    )


def allowed_names(words: Iterable[str] = (), allow_file: Path | None = None) -> set[str]:
    """The analyst's additions to the allow-list: ``--allow`` words and an ``--allow-file``."""
    names = {w.strip() for w in words if w.strip()}
    if allow_file is not None:
        names |= set(read_allow_file(allow_file))
    return names


@dataclass(frozen=True, slots=True)
class PseudonymisedImport:
    transcripts: list[ParsedTranscript]
    rows: dict[str, dict[str, str]]  # the attributes file's rows, pseudonymised likewise


def pseudonymize_import(
    transcripts: list[ParsedTranscript],
    *,
    allow: set[str],
    mapping_path: Path,
    interviewers: Iterable[str] = (),
    recognizer: Recognizer | None = None,
    taken: Iterable[str] = (),
    territories: Iterable[str] = (),
    names: Sequence[str] = (),
    rows: Mapping[str, Mapping[str, str]] | None = None,
) -> PseudonymisedImport:
    """The same transcripts, and the attributes file's ``rows``, with identifiers replaced by placeholders.

    Turn offsets are carried over exactly, speaker labels that name someone are replaced (and
    ``interviewers`` — labels the user declared — with them). Attributes, the files' and the
    ``rows``', are pseudonymised by :mod:`tzcld_qual.privacy.attributes`'s rule: free text like
    the transcripts (« ebe : Vallon Actif »), role, round, territory and date kept. Territories
    in the transcripts' ``territory`` attributes and in ``territories`` (an attributes file's) are
    kept, in every form people say them ("Saint-Aubin" for "Saint-Aubin-les-Forges"), with every
    name in ``allow``. The
    table of correspondence is read from ``mapping_path`` if it exists, extended, and written
    back (0600). Placeholders already in ``taken`` (the texts a project holds) are never handed
    out again, even when the table that made them is not there: two people would share one.
    ``names`` are the documents' names (their files'), one per transcript: initials alone
    (« Mme D. ») are a person of their own document, another one's « Mme D. » is someone else.
    """
    _check_mapping_path(mapping_path)
    mapping = PseudonymMap.load(mapping_path)
    for text in taken:
        for match in PLACEHOLDER.finditer(text):
            mapping.reserve(match.group())
    territories = {t.attributes["territory"] for t in transcripts if t.attributes.get("territory")} | set(territories)
    engine = Pseudonymizer(
        mapping, AllowList.build(territories=territories, words=allow), recognizer or SpacyRecognizer()
    )
    declared = frozenset(interviewers)
    scopes = list(names) or [""] * len(transcripts)
    sources = [
        Source(
            t.text,
            tuple(b for turn in t.turns for b in (turn.start, turn.end)),
            tuple(sorted({turn.speaker for turn in t.turns} | t.interviewers | declared)),
            scope,
        )
        for t, scope in zip(transcripts, scopes, strict=True)
    ]
    out = []
    for transcript, result in zip(transcripts, engine.run(sources), strict=True):
        position = result.rewritten.position
        turns = tuple(
            Turn(result.labels.get(t.speaker, t.speaker), position(t.start), position(t.end)) for t in transcript.turns
        )
        out.append(
            replace(
                transcript,
                text=result.rewritten.text,
                turns=turns,
                interviewers=frozenset(result.labels.get(label, label) for label in transcript.interviewers | declared),
            )
        )
    rows = dict(rows or {})
    stems = {Path(name).stem: name for name in scopes if name}
    cleaned = pseudonymized_attributes(
        engine,
        [(scope, t.attributes) for t, scope in zip(transcripts, scopes, strict=True)]
        + [(stems.get(key, key), row) for key, row in rows.items()],
    )
    out = [replace(t, attributes=frozen_mapping(a)) for t, a in zip(out, cleaned, strict=False)]
    mapping.save(mapping_path)
    return PseudonymisedImport(out, dict(zip(rows, cleaned[len(out) :], strict=True)))


def pseudonymize_project(
    project: Path,
    *,
    allow: Iterable[str] = (),
    mapping_path: Path | None = None,
    recognizer: Recognizer | None = None,
) -> ProjectPseudonymReport:
    """Pseudonymise every document version of an existing project, in place.

    Documents and segments keep their ids, so codings, decisions, memos and the audit log stay
    attached; offsets are re-mapped. Memos are pseudonymised in full; text derived from the
    transcripts (chat history, topic labels and quotes, model explanations) has every known
    entity replaced. Running it again only replaces what is new.
    """
    project = Path(project)
    mapping_path = Path(mapping_path) if mapping_path else default_mapping_path(project)
    _check_mapping_path(mapping_path, project)
    mapping = PseudonymMap.load(mapping_path)
    with ProjectStore(project) as store:
        documents = store.documents.list(current=False)
        territories = {d.attributes["territory"] for d in documents if d.attributes.get("territory")}
        engine = Pseudonymizer(
            mapping, AllowList.build(territories=territories, words=allow), recognizer or SpacyRecognizer()
        )
        segments = {d.id: store.documents.segments(document_id=d.id, current=False) for d in documents}
        sources = [
            Source(
                d.text,
                tuple(b for s in segments[d.id] for b in (s.start, s.end)),
                tuple(sorted(set(d.speakers) | {s.speaker for s in segments[d.id]})),
                d.name,  # its versions are one interview: « Mme D. » is the same person in each
            )
            for d in documents
        ]
        results = engine.run(sources)
        rewrites = []
        counts: Counter[str] = Counter()
        for doc, result in zip(documents, results, strict=True):
            counts.update(result.counts)
            if result.rewritten.text == doc.text and all(k == v for k, v in result.labels.items()):
                continue
            position = result.rewritten.position
            rewrites.append(
                DocumentRewrite(
                    id=doc.id,
                    text=result.rewritten.text,
                    content_hash=hashlib.sha256(result.rewritten.text.encode("utf-8")).hexdigest(),
                    speakers={result.labels.get(k, k): v for k, v in doc.speakers.items()},
                    segments=[
                        SegmentRewrite(
                            s.id, position(s.start), position(s.end), result.labels.get(s.speaker, s.speaker)
                        )
                        for s in segments[doc.id]
                    ],
                )
            )
        rewriter = PseudonymRewriter(store.connection)

        def scrub(table: str, column: str, text: str) -> str:
            clean = _memo_cleaner(engine) if table == "memos" else engine.scrub
            if column in _JSON_COLUMNS:
                return _scrub_json(text, clean)
            return clean(text)

        derived = rewrite_derived(rewriter.derived_texts(), scrub)
        attributes = _attribute_rewrites(store, engine, documents)  # before the table is saved: it may add names
        try:
            with table_undone_on_failure(mapping_path) as created:
                mapping.save(mapping_path)  # first: the key to the placeholders must exist before they do
                changed = rewriter.apply(rewrites, derived)
        except sqlite3.DatabaseError as exc:
            raise _not_pseudonymised(exc, project, mapping_path, created=created.value) from None
        _write_attributes(store, attributes)
        store.codings.log_event(
            "tzcld-qual",
            "pseudonymize",
            f"{len(rewrites)} documents, {sum(counts.values())} remplacements, "
            f"attributs de {len(attributes)} documents",
        )
        if rewrites or derived or attributes:
            rewriter.compact()
        # Cached engines of this project's models hold its original segment texts.
        engine_cache.forget([run["fingerprint"] for run in store.runs.list()])
    return ProjectPseudonymReport(
        mapping=mapping_path,
        documents=len(rewrites),
        segments=changed,
        replacements=dict(sorted(counts.items())),
        entities=len(mapping.entities),
        derived=len(derived),
        attributes=len(attributes),
        named_documents=tuple(named_documents(sorted({d.name for d in documents}), mapping)),
    )


def documents_named_after_people(documents: Iterable[str], mapping_path: Path) -> list[NamedDocument]:
    """The documents whose name holds a name the table of ``mapping_path`` replaces (« ent-moreau.txt »
    with « Moreau » as [PERSONNE_1]): pseudonymisation leaves document names as they are, so that a
    re-import finds its document, and they show in every citation, report and export. For the
    callers to warn (``import --pseudonymize`` and ``pseudonymize``)."""
    return named_documents(documents, PseudonymMap.load(mapping_path))


def named_documents(documents: Iterable[str], mapping: PseudonymMap) -> list[NamedDocument]:
    """:func:`documents_named_after_people` with the table in hand."""
    names: dict[tuple[str, ...], str] = {}  # words of a replaced name → its placeholder
    for entity in mapping.entities:
        for key in entity.names():
            words = tuple(w for w in re.split(r"[^a-z0-9]+", fold(key)) if w)
            alone = [(w,) for w in words if len(w) >= 3] if entity.kind is Kind.PERSONNE else []  # a surname
            for name in (words, *alone):
                if sum(len(w) for w in name) >= 3:
                    names.setdefault(name, entity.placeholder)
    out = []
    for document in documents:
        stem = Path(document).stem
        folded = fold(stem)
        spans = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[a-z0-9]+", folded)]
        found: dict[str, str] = {}
        for i in range(len(spans)):
            for words, placeholder in names.items():
                if tuple(w for _, _, w in spans[i : i + len(words)]) == words:
                    found.setdefault(stem[spans[i][0] : spans[i + len(words) - 1][1]], placeholder)
        out += [NamedDocument(document, name, placeholder) for name, placeholder in found.items()]
    return out


@dataclass(slots=True)
class _Flag:
    value: bool = False


@contextmanager
def table_undone_on_failure(mapping_path: Path) -> Iterator[_Flag]:
    """Whatever fails inside the block leaves the table of ``mapping_path`` as it was: removed if
    the block created it (real names on disk for placeholders no project holds), its previous
    bytes put back otherwise. The flag yielded says, afterwards, whether the block had created it."""
    mapping_path = Path(mapping_path)
    previous = mapping_path.read_bytes() if mapping_path.is_file() else None
    created = _Flag()
    try:
        yield created
    except BaseException:
        created.value = previous is None and mapping_path.exists()
        if previous is None:
            mapping_path.unlink(missing_ok=True)
        else:
            _put_back(mapping_path, previous)
        raise


def _put_back(path: Path, content: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _not_pseudonymised(exc: sqlite3.DatabaseError, project: Path, mapping_path: Path, *, created: bool) -> Exception:
    """The project's refusal (read-only, busy, full disk…) said for the analyst, with what became of the table."""
    error = database_error(exc, project)
    if error is None:
        return exc
    table = (
        Text(
            "Rien n'a été pseudonymisé ; la table des pseudonymes {mapping} que cette exécution avait créée a été "
            "retirée.",
            "Nothing was pseudonymised; the pseudonym table {mapping} this run had created was removed.",
        )
        if created
        else Text(
            "Rien n'a été pseudonymisé ; la table des pseudonymes {mapping} est restée comme avant.",
            "Nothing was pseudonymised; the pseudonym table {mapping} was left as it was.",
        )
    )
    return ProjectError(f"{error.problem} {table.render(mapping=mapping_path)}", error.fix, path=project)


def _attribute_rewrites(
    store: ProjectStore, engine: Pseudonymizer, documents: Sequence[Document]
) -> dict[int, tuple[dict[str, str], AttributeSources]]:
    """The new attributes of each document version whose attributes change, and what the files
    said of them: « nom », « téléphone »… leave (they named the person in clear beside the
    pseudonymised text), free-text values are pseudonymised like the text (« ebe : Vallon Actif »,
    « mandate : maire de Prébois »), role, round, territory and date stay
    (:mod:`tzcld_qual.privacy.attributes`)."""
    rewriter = AttributeRewriter(engine)
    sources = {doc.id: store.documents.sources(doc.id) for doc in documents}
    for doc in documents:
        for part in (doc.attributes, sources[doc.id].header, sources[doc.id].given):
            rewriter.add(doc.name, part)
    rewriter.run()
    out = {}
    for doc in documents:
        old = sources[doc.id]
        new = AttributeSources(
            None if old.header is None else rewriter.rewrite(doc.name, old.header),
            None if old.given is None else rewriter.rewrite(doc.name, old.given),
            frozenset(k for k in old.corrected if not is_identifying_key(k)),
        )
        attributes = rewriter.rewrite(doc.name, doc.attributes)
        if attributes != dict(doc.attributes) or new != old:
            out[doc.id] = (attributes, new)
    return out


def _write_attributes(store: ProjectStore, rewrites: Mapping[int, tuple[dict[str, str], AttributeSources]]) -> None:
    with store.transaction():
        for document_id, (attributes, sources) in rewrites.items():
            store.documents.set_attributes(document_id, attributes, sources=sources)


def _memo_cleaner(engine: Pseudonymizer) -> Any:
    def clean(text: str) -> str:
        return engine.run([Source(text)])[0].rewritten.text

    return clean


def _scrub_json(text: str, clean: Any) -> str:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return str(clean(text))

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return clean(value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    cleaned = walk(data)
    return text if cleaned == data else json.dumps(cleaned, ensure_ascii=False)


def _check_mapping_path(mapping_path: Path, project: Path | None = None) -> None:
    """The table must be a file of its own, never the project itself."""
    mapping_path = Path(mapping_path)
    if mapping_path.suffix.lower() == ".tzq" or (project is not None and _same(mapping_path, project)):
        raise UsageError(
            Text(
                "la table des pseudonymes ne peut pas être le projet lui-même ({path}).",
                "the pseudonym table cannot be the project itself ({path}).",
            ),
            Text(
                "Donnez un fichier .json à part avec --mapping.",
                "Give a separate .json file with --mapping.",
            ),
            path=mapping_path,
        )
    if mapping_path.is_dir():
        raise InputError(
            Text("c'est un dossier, pas un fichier.", "this is a folder, not a file."),
            Text("Donnez un nom de fichier .json avec --mapping.", "Give a .json file name with --mapping."),
            path=mapping_path,
        )


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
