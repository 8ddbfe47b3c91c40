"""Creating and opening projects, with the codebook they are coded against."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tzcld_qual import paths
from tzcld_qual.codebook import load_codebook
from tzcld_qual.errors import NotFoundError, ProjectError, Text
from tzcld_qual.model import Codebook, Document
from tzcld_qual.outputs import is_project_file
from tzcld_qual.store import ProjectStore


def not_created(path: Path) -> bool:
    """No project there yet: no file, or an empty one (`touch etude.tzq`), which init, import,
    import-qdpx and the review's offer turn into a project."""
    return not path.exists() or (path.is_file() and path.stat().st_size == 0)


def refuse_missing_folder(path: Path) -> None:
    """A project made on the way (``import``, ``import-qdpx``) goes into an existing folder:
    ``import /nonexistent/dir/p.tzq`` created the whole tree, and a mistyped folder silently
    became a project somewhere unexpected. ``init`` makes the folders it is asked for."""
    folder = Path(path).absolute().parent
    if not_created(Path(path)) and not folder.is_dir():
        raise ProjectError(
            Text(
                "le dossier du projet n'existe pas : {folder} ; rien n'a été créé.",
                "the project's folder does not exist: {folder}; nothing was created.",
            ),
            Text(
                "Vérifiez le chemin, ou créez d'abord le dossier (mkdir -p {folder_q}).",
                "Check the path, or create the folder first (mkdir -p {folder_q}).",
            ),
            path=path,
            folder=folder,
            folder_q=shlex.quote(str(folder)),
        )


def refuse_not_project(path: Path, example: str = "etude.tzq") -> None:
    """A new project's path that is a folder, or a file that is no project: said as such, not as
    « le projet existe déjà » (``import-qdpx p.qdpx dossier/`` said so)."""
    if path.is_dir():
        raise ProjectError(
            Text("c'est un dossier, pas un fichier projet.", "this is a folder, not a project file."),
            Text("Donnez un nom de fichier, par exemple {example}.", "Give a file name, for example {example}."),
            path=path,
            example=example,
        )
    if not not_created(path) and path.is_file() and not is_project_file(path):
        raise ProjectError(
            Text(
                "ce fichier existe et n'est pas un projet tzcld-qual ; il n'a pas été modifié.",
                "this file exists and is not a tzcld-qual project; it was not changed.",
            ),
            Text("Choisissez un autre chemin pour le projet.", "Choose another path for the project."),
            path=path,
        )


def init_project(path: Path, codebook_path: Path | None = None) -> tuple[ProjectStore, int]:
    """Create a project file with a codebook (the bundled TZCLD one by default).

    The codebook is validated before the file is created, so a bad codebook leaves nothing behind.
    """
    refuse_not_project(path)
    if not not_created(path):
        raise ProjectError(
            Text("le projet existe déjà.", "the project already exists."),
            Text(
                "Choisissez un autre chemin, ou importez dedans avec « tzcld-qual import ».",
                "Choose another path, or import into it with « tzcld-qual import ».",
            ),
            path=path,
        )
    # ``init`` names the project to make: its folders are made with it (``make demo`` inits
    # build/demo.tzq in a clone without build/); ``import`` into a missing folder is refused
    codebook_path = codebook_path or paths.default_codebook()
    codebook = load_codebook(codebook_path)
    content = codebook_path.read_text(encoding="utf-8-sig")
    return create_with_codebook(path, codebook, content, str(codebook_path))


def create_with_codebook(path: Path, codebook: Codebook, content: str, source: str) -> tuple[ProjectStore, int]:
    store = ProjectStore(path, create=True)
    try:
        version = store.codebooks.add(codebook, content, source)
    except BaseException:
        store.close()
        remove_project_files(path)
        raise
    return store, version


def remove_project_files(path: Path) -> None:
    """Delete a project file this run created (and its WAL side files) after a failure."""
    for suffix in ("", "-wal", "-shm", "-journal", "-run.lock"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextmanager
def open_project(path: Path) -> Iterator[ProjectStore]:
    store = ProjectStore(path)
    try:
        yield store
    finally:
        store.close()


def current_codebook(store: ProjectStore) -> Codebook:
    codebook = store.codebooks.get()
    if codebook is None:
        raise ProjectError(
            Text("ce projet n'a pas de codebook.", "this project has no codebook."),
            Text(
                "Ajoutez-en un avec « tzcld-qual codebook load PROJET FICHIER.yaml ».",
                "Add one with « tzcld-qual codebook load PROJECT FILE.yaml ».",
            ),
            path=store.path,
        )
    return codebook


def names_document(document: str, name: str) -> bool:
    """``name`` is ``document`` or its beginning up to a separator, case aside: ``demo-01`` for
    ``demo-01-salariee.txt``, but not ``entretien-1`` for ``entretien-12.txt``."""
    if document == name:
        return True
    head = document[: len(name)]
    return bool(name) and head.casefold() == name.casefold() and document[len(name) : len(name) + 1] in "-_ ."


def find_document(store: ProjectStore, name: str) -> Document:
    """The current document a user names by file name, stem or the beginning of its name
    (``demo-01`` for ``demo-01-salariee-coteaux.txt``); a clear error when none or several files
    answer to it (``entretien.txt`` and ``entretien.md`` share a stem), or when the one it names
    was removed (a removed ``ent.txt`` is not taken for the current ``ent-karim.txt``)."""
    found = store.documents.matching(name)
    if not found:
        retired = store.documents.retired()
        found = [d for d in store.documents.list() if names_document(d.name, name)]
        removed = [d.name for d in retired if name in (d.name, Path(d.name).stem)] or [
            d.name for d in retired if not found and names_document(d.name, name)
        ]
        if removed:
            raise NotFoundError(
                Text(
                    "le document « {name} » a été retiré du projet (tzcld-qual remove).",
                    "document « {name} » was taken out of the project (tzcld-qual remove).",
                ),
                Text(
                    "Pour le faire revenir : tzcld-qual restore {project} {name}",
                    "To bring it back: tzcld-qual restore {project} {name}",
                ),
                name=removed[0],
                project=shlex.quote(str(store.path)),
            )
    if len(found) == 1:
        return found[0]
    if found:
        raise NotFoundError(
            Text("« {name} » désigne plusieurs documents : {names}.", "« {name} » names several documents: {names}."),
            Text("Donnez le nom complet du fichier.", "Give the full file name."),
            name=name,
            names=", ".join(d.name for d in found),
        )
    raise NotFoundError(
        Text("document « {name} » introuvable.", "document « {name} » not found."),
        Text(
            "Les noms sont ceux des fichiers importés : voir « tzcld-qual attributes PROJET ».",
            "Names are those of the imported files: see « tzcld-qual attributes PROJECT ».",
        ),
        name=name,
    )
