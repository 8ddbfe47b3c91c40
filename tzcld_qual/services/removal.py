"""Taking a document out of a project, and bringing it back.

A wrong file imported (another study's interview, a test, a duplicate under another name) would
otherwise stay in every count, report and export. Removal keeps everything stored — versions,
segments, decisions, memos — and only stops the document being current, so ``restore`` (or
importing the file again) brings it back exactly as it was: no analyst's decision is ever lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tzcld_qual.errors import NotFoundError, Text
from tzcld_qual.model import Document
from tzcld_qual.services import projects
from tzcld_qual.store import ProjectStore


@dataclass(frozen=True, slots=True)
class Moved:
    """A document removed or restored, and what an analyst had done on it."""

    document: str
    version: int
    decisions: int  # human codings (accepted, rejected, added) on its segments
    memos: int


def remove(project: Path, names: Sequence[str], coder: str) -> list[Moved]:
    """Take the named documents out of the project, all or none."""
    with projects.open_project(project) as store:
        with store.transaction():  # looked up where it is written: an import meanwhile is seen
            found = list({d.id: d for d in (_find_current(store, n) for n in names)}.values())
            for doc in found:
                store.documents.retire(doc.name)
                store.codings.log_event(coder, "remove", f"{doc.name} v{doc.version}")
        return [_moved(store, doc) for doc in found]


def restore(project: Path, names: Sequence[str], coder: str) -> list[Moved]:
    """Bring removed documents back, each as the version it was when removed, all or none."""
    with projects.open_project(project) as store:
        with store.transaction():
            retired = store.documents.retired()
            found = list({d.id: d for d in (_find_retired(store, retired, n) for n in names)}.values())
            for doc in found:
                store.documents.restore(doc.id)
                store.codings.log_event(coder, "restore", f"{doc.name} v{doc.version}")
        return [_moved(store, doc) for doc in found]


def retired_names(project: Path) -> list[str]:
    with projects.open_project(project) as store:
        return [d.name for d in store.documents.retired()]


def _moved(store: ProjectStore, doc: Document) -> Moved:
    ids = [s.id for s in store.documents.segments(document_id=doc.id, current=False)]
    codings = store.codings.for_segments(ids)
    decisions = sum(c.status.is_human for found in codings.values() for c in found)
    memos = len(store.memos.list("document", str(doc.id))) + sum(len(store.memos.list("segment", str(i))) for i in ids)
    return Moved(doc.name, doc.version, decisions, memos)


def _find_current(store: ProjectStore, name: str) -> Document:
    try:
        return projects.find_document(store, name)
    except NotFoundError:
        gone = [d.name for d in store.documents.retired() if projects.names_document(d.name, name)]
        if not gone:
            raise
        raise NotFoundError(
            Text("« {name} » a déjà été retiré du projet.", "« {name} » was already taken out of the project."),
            Text(
                "Pour le faire revenir : tzcld-qual restore PROJET {name}",
                "To bring it back: tzcld-qual restore PROJECT {name}",
            ),
            name=gone[0],
        ) from None


def _find_retired(store: ProjectStore, retired: Sequence[Document], name: str) -> Document:
    """A removed document named by file name, stem or the beginning of its name, as
    :func:`projects.find_document` names current ones."""
    exact = [d for d in retired if d.name == name]
    found = exact or [d for d in retired if projects.names_document(d.name, name)]
    if len(found) == 1:
        return found[0]
    if any(projects.names_document(d.name, name) for d in store.documents.list()):
        raise NotFoundError(
            Text(
                "« {name} » est dans le projet : il n'a pas été retiré.", "« {name} » is in the project: not removed."
            ),
            Text("Rien à rétablir.", "Nothing to restore."),
            name=name,
        )
    raise NotFoundError(
        Text(
            "« {name} » : aucun document retiré de ce nom{several}.",
            "« {name} »: no removed document of that name{several}.",
        ),
        Text("Documents retirés : {names}.", "Removed documents: {names}."),
        name=name,
        several=" (plusieurs y répondent : donnez le nom complet)" if found else "",
        names=", ".join(d.name for d in retired) or "aucun",
    )
