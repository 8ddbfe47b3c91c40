"""Taking documents out of a project and bringing them back, with every decision."""

from __future__ import annotations

from pathlib import Path

import pytest

from tzcld_qual.errors import NotFoundError
from tzcld_qual.model import Status
from tzcld_qual.segment import RuleSentenceSplitter, Segmenter
from tzcld_qual.services import removal
from tzcld_qual.services.importing import import_files
from tzcld_qual.store import ProjectStore

TEXT = "Enquêtrice : Et le CDI ?\n\n{name} : Ça a tout changé.\n\nEnquêtrice : Et avant ?\n\n{name} : Rien.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    files = []
    for name in ("martine", "karim", "karima"):
        path = tmp_path / f"{name}.txt"
        path.write_text(TEXT.format(name=name.capitalize()), encoding="utf-8")
        files.append(path)
    import_files(tmp_path / "p.tzq", files, Segmenter(RuleSentenceSplitter()))
    with ProjectStore(tmp_path / "p.tzq") as store:
        first, second = (s for s in store.documents.segments() if s.document == "karim.txt" and s.speaker == "Karim")
        store.codings.decide(first.id, "F5", "alice", Status.MANUAL)
        store.codings.decide(second.id, "F4", "alice", Status.MANUAL)
        store.memos.write("segment", str(first.id), "alice", "le CDI")
    return tmp_path / "p.tzq"


def _state(project: Path) -> tuple[list[str], list[tuple[int, str]]]:
    with ProjectStore(project) as store:
        return [d.name for d in store.documents.list()], [(c.segment_id, c.code_id) for c in store.codings.human()]


def test_a_removed_document_leaves_every_list_and_comes_back_as_it_was(project: Path) -> None:
    names, decisions = _state(project)
    (moved,) = removal.remove(project, ["karim.txt"], "bob")
    assert (moved.document, moved.decisions, moved.memos) == ("karim.txt", 2, 1)
    assert _state(project) == (["karima.txt", "martine.txt"], [])
    assert removal.retired_names(project) == ["karim.txt"]
    (back,) = removal.restore(project, ["karim"], "bob")
    assert back == moved and _state(project) == (names, decisions)
    with ProjectStore(project) as store:
        assert [e.action for e in store.codings.audit(coder="bob")] == ["remove", "restore"]


def test_importing_a_removed_file_again_leaves_it_out(project: Path, tmp_path: Path) -> None:
    """Re-importing the folder (to add a round) put back the duplicate an analyst had removed."""
    names, decisions = _state(project)
    removal.remove(project, ["karim.txt"], "bob")
    (report,) = import_files(project, [tmp_path / "karim.txt"], Segmenter(RuleSentenceSplitter()))
    assert report.status == "unchanged" and report.warnings == (
        "retiré du projet (tzcld-qual remove) : pas réimporté ; pour le faire revenir : "
        f"tzcld-qual restore {project} karim.txt",
    )
    assert _state(project) == (["karima.txt", "martine.txt"], [])
    removal.restore(project, ["karim"], "bob")
    assert _state(project) == (names, decisions)


def test_nothing_is_removed_when_one_name_is_wrong(project: Path) -> None:
    before = _state(project)
    with pytest.raises(NotFoundError, match="« inconnu » introuvable"):
        removal.remove(project, ["martine", "inconnu"], "bob")
    assert _state(project) == before
    (moved,) = removal.remove(project, ["karim"], "bob")  # not karima.txt
    assert moved.document == "karim.txt"


def test_removing_twice_or_restoring_what_is_there_says_so(project: Path) -> None:
    removal.remove(project, ["martine"], "bob")
    with pytest.raises(NotFoundError, match=r"« martine\.txt » a déjà été retiré"):
        removal.remove(project, ["martine"], "bob")
    with pytest.raises(NotFoundError, match="« karim » est dans le projet"):
        removal.restore(project, ["karim"], "bob")
    with pytest.raises(NotFoundError, match=r"Documents retirés : martine\.txt"):
        removal.restore(project, ["personne"], "bob")


def test_the_same_interview_under_a_second_name_is_pointed_out(project: Path, tmp_path: Path) -> None:
    """A renamed file came in as a second interview, counted twice, without a word."""
    copy = tmp_path / "karim-bis.txt"
    copy.write_text((tmp_path / "karim.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (report,) = import_files(project, [copy], Segmenter(RuleSentenceSplitter()))
    assert report.status == "new" and report.warnings == (
        "même texte que « karim.txt » : l'entretien compte deux fois dans le projet. S'il s'agit d'un fichier "
        f"renommé ou copié, retirez l'un des deux : tzcld-qual remove {project} karim-bis.txt (ou karim.txt)",
    )
    (again,) = import_files(project, [copy], Segmenter(RuleSentenceSplitter()))
    assert again.status == "unchanged" and again.warnings == ()  # said once, when it came in


def test_the_chat_neither_shows_nor_codes_a_removed_documents_segment(project: Path) -> None:
    """« montre le segment 6 » showed it as if in the project (« aucun code accepté » though it had
    one), and « code le segment 6 en F5 » coded it while removed."""
    from tzcld_qual.services.chat import ask

    with ProjectStore(project) as store:
        target = next(s.id for s in store.documents.segments() if s.document == "karim.txt" and s.speaker == "Karim")
    removal.remove(project, ["karim"], "bob")
    for question in (f"montre le segment {target}", f"code le segment {target} en F5"):
        answer = ask(project, question, coder="bob")
        assert "n'est plus dans le projet" in answer.text and answer.action is None


def test_an_undo_never_changes_a_removed_document(project: Path) -> None:
    """`undo` after `remove` reverted alice's decisions on the document no one could see."""
    from tzcld_qual.services.review import ReviewSession

    removal.remove(project, ["karim"], "bob")
    with ReviewSession(project, "alice") as session:
        change = session.undo()
    assert not change.done and "porte sur « karim.txt », retiré du projet" in change.message
    assert change.message.endswith(f"tzcld-qual restore {project} karim.txt")
    removal.restore(project, ["karim"], "bob")
    assert len(_state(project)[1]) == 2  # both of alice's decisions are still there
