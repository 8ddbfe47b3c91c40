"""Re-imports over a document's history: undo acts on the visible copy, and decisions left on
an edited passage come back when the edit is undone."""

from __future__ import annotations

import itertools
from pathlib import Path

from tzcld_qual.model import Status
from tzcld_qual.segment import RuleSentenceSplitter, Segmenter
from tzcld_qual.services import attributes
from tzcld_qual.services.importing import import_files
from tzcld_qual.store import ProjectStore

V1 = (
    "Enquêtrice : Et le CDI ?\n\nMartine : Oui.\n\nEnquêtrice : Et la banque ?\n\n"
    "Martine : Oui.\n\nEnquêtrice : Et avant ?\n\nMartine : Depuis deux ans.\n"
)


def _imported(tmp_path: Path, text: str = V1) -> tuple[Path, Path, Segmenter]:
    """``martine.txt`` (V1) imported into a new project: the file, the project, the segmenter."""
    source, project = tmp_path / "martine.txt", tmp_path / "p.tzq"
    segmenter = Segmenter(RuleSentenceSplitter())
    source.write_text(text, encoding="utf-8")
    import_files(project, [source], segmenter)
    return source, project, segmenter


def test_undo_after_a_reimport_reverts_the_visible_copy(tmp_path: Path) -> None:
    source, project, segmenter = _imported(tmp_path)
    with ProjectStore(project) as store:
        second_oui = [s for s in store.documents.segments() if s.text == "Oui."][1]
        store.codings.decide(second_oui.id, "F5", "alice", Status.MANUAL)
    source.write_text(V1.replace("deux ans", "trois ans"), encoding="utf-8")
    (report,) = import_files(project, [source], segmenter)
    assert report.status == "new-version" and report.carried_over == 1
    with ProjectStore(project) as store:
        (visible,) = store.codings.human("alice")
        copies = [s for s in store.documents.segments() if s.text == "Oui."]
        assert visible.segment_id == copies[1].id != second_oui.id  # the second "Oui." again
        (undone,) = store.codings.undo("alice")
        assert undone.segment_id == copies[1].id and store.codings.human("alice") == []
        (redone,) = store.codings.redo("alice")
        assert redone.segment_id == copies[1].id
        assert [(c.segment_id, c.status) for c in store.codings.human("alice")] == [(copies[1].id, Status.MANUAL)]


def test_decisions_left_on_an_edited_passage_come_back_when_the_edit_is_undone(tmp_path: Path) -> None:
    source, project, segmenter = _imported(tmp_path)
    with ProjectStore(project) as store:
        edited = next(s for s in store.documents.segments() if s.text == "Depuis deux ans.")
        store.codings.decide(edited.id, "F5", "alice", Status.MANUAL)
        store.memos.write("segment", str(edited.id), "alice", "durée")
    source.write_text(V1.replace("deux ans", "trois ans"), encoding="utf-8")
    (second,) = import_files(project, [source], segmenter)
    assert (second.carried_over, second.left_behind) == (0, 2)  # the decision and the memo
    assert second.left_behind_items == (
        f"segment {edited.id} : F5 (alice, ajouté) « Depuis deux ans. »",
        f"segment {edited.id} : mémo (alice) « Depuis deux ans. »",
    )
    source.write_text(V1, encoding="utf-8")  # the edit undone
    (third,) = import_files(project, [source], segmenter)
    assert third.version == 3 and third.carried_over == 1
    with ProjectStore(project) as store:
        (back,) = store.codings.human("alice")
        segment = store.documents.segment(back.segment_id)
        assert segment is not None and segment.text == "Depuis deux ans." and segment.id != edited.id
        assert (back.code_id, back.status) == ("F5", Status.MANUAL)
        assert [m.text for m in store.memos.list("segment", str(segment.id))] == ["durée"]


def test_a_reimport_without_the_attributes_file_keeps_the_documents_attributes(tmp_path: Path) -> None:
    """An edited file re-imported on its own became a version with no role, territory or round:
    it dropped out of every filter, comparison and `code --round`."""
    source, project = tmp_path / "martine.txt", tmp_path / "p.tzq"
    segmenter = Segmenter(RuleSentenceSplitter())
    source.write_text(V1, encoding="utf-8")
    given = {"role": "salarié·e EBE", "round": "vague 3"}
    import_files(project, [source], segmenter, attributes_csv=_csv(tmp_path, given))
    (unchanged,) = import_files(project, [source], segmenter)
    assert unchanged.status == "unchanged"
    source.write_text(V1.replace("deux ans", "trois ans"), encoding="utf-8")
    (edited,) = import_files(project, [source], segmenter)
    assert edited.status == "new-version" and dict(edited.attributes) == given
    (later,) = import_files(project, [source], segmenter, attributes_csv=_csv(tmp_path, {"round": "vague 4"}))
    assert later.status == "attributes-updated"
    other = tmp_path / "autre.csv"
    other.write_text("file;round\nautre.txt;vague 1\n", encoding="utf-8")
    (unlisted,) = import_files(project, [source], segmenter, attributes_csv=other)  # no row for this file
    assert unlisted.status == "unchanged"
    assert unlisted.warnings == (
        "aucune ligne dans autre.csv : le document garde ses attributs (lignes sans fichier importé : autre.txt)",
    )
    with ProjectStore(project) as store:
        (document,) = store.documents.list()
        assert document.version == 2 and dict(document.attributes) == {"role": "salarié·e EBE", "round": "vague 4"}


def _csv(folder: Path, attributes: dict[str, str]) -> Path:
    path = folder / "attributs.csv"
    path.write_text(
        "file;" + ";".join(attributes) + "\nmartine.txt;" + ";".join(attributes.values()) + "\n", encoding="utf-8"
    )
    return path


HEADED = "---\nrôle: salarié·e EBE\nvague: vague 1\nterritoire: Coteaux\n---\n" + V1


def _imported_with_header(tmp_path: Path) -> tuple[Path, Path, Segmenter]:
    return _imported(tmp_path, HEADED)


def _attributes(project: Path) -> dict[str, str]:
    with ProjectStore(project) as store:
        (document,) = store.documents.list()
        return dict(document.attributes)


def test_an_unchanged_header_never_undoes_a_correction_made_since(tmp_path: Path) -> None:
    """The round an attributes file corrected (and the territory an analyst removed) came back
    from the transcript's unchanged header at the next import without that file."""
    source, project, segmenter = _imported_with_header(tmp_path)
    import_files(project, [source], segmenter, attributes_csv=_csv(tmp_path, {"round": "vague 2"}))
    attributes.edit(project, ["martine"], {"role": "salariée EBE"}, ["territory"], "marie")
    (again,) = import_files(project, [source], segmenter)
    assert again.status == "unchanged" and again.warnings == (  # kept, and said with the command to undo it
        "l'en-tête dit rôle : salarié·e EBE, le projet garde salariée EBE (corrigé par un·e analyste) ; pour "
        f"reprendre le fichier : tzcld-qual attributes {project} --document martine.txt --set 'rôle=salarié·e EBE'",
        "l'en-tête dit territoire : Coteaux, le projet ne l'a plus (retiré par un·e analyste) ; pour reprendre le "
        f"fichier : tzcld-qual attributes {project} --document martine.txt --set territoire=Coteaux",
    )
    assert dict(again.attributes) == {"role": "salariée EBE", "round": "vague 2"}
    source.write_text(HEADED.replace("vague 1", "vague 3") + "\nMartine : Voilà.\n", encoding="utf-8")
    (edited,) = import_files(project, [source], segmenter)  # the file's own edit is taken, the rest kept
    assert edited.status == "new-version"
    assert edited.warnings[0] == "attribut changé : vague : vague 2 → vague 3 (en-tête modifié)"
    assert _attributes(project) == {"role": "salariée EBE", "round": "vague 3"}
    with ProjectStore(project) as store:
        log = [(e.coder, e.detail) for e in store.codings.audit() if e.action == "attributes"]
    assert log == [
        ("tzcld-qual", "martine.txt : vague : vague 1 → vague 2"),
        ("marie", "martine.txt : rôle : salarié·e EBE → salariée EBE ; territoire : Coteaux → —"),
        ("tzcld-qual", "martine.txt : vague : vague 2 → vague 3"),
    ]


def test_the_same_attributes_file_again_never_undoes_a_correction(tmp_path: Path) -> None:
    """Re-importing a folder with its attributes file (to add a round) put back every role an
    analyst had corrected, without a word."""
    source, project, segmenter = _imported_with_header(tmp_path)
    csv = _csv(tmp_path, {"role": "élu·e", "round": "vague 1"})
    import_files(project, [source], segmenter, attributes_csv=csv)
    attributes.edit(project, ["martine"], {"role": "élu·e (maire)"}, [], "marie")
    (again,) = import_files(project, [source], segmenter, attributes_csv=csv)
    assert again.status == "unchanged" and _attributes(project)["role"] == "élu·e (maire)"
    assert again.warnings == (
        "le fichier d'attributs dit rôle : élu·e, le projet garde élu·e (maire) (corrigé par un·e analyste) ; "
        f"pour reprendre le fichier : tzcld-qual attributes {project} --document martine.txt --set 'rôle=élu·e'",
    )
    (edited,) = import_files(project, [source], segmenter, attributes_csv=_csv(tmp_path, {"role": "adjointe"}))
    assert edited.warnings == (
        "attribut changé : rôle : élu·e (maire) → adjointe (fichier d'attributs ; remplace une correction d'analyste)",
    )


def test_a_header_line_deleted_is_said(tmp_path: Path) -> None:
    source, project, segmenter = _imported_with_header(tmp_path)
    source.write_text(HEADED.replace("territoire: Coteaux\n", ""), encoding="utf-8")
    (again,) = import_files(project, [source], segmenter)
    assert _attributes(project)["territory"] == "Coteaux"
    assert again.warnings == (
        "l'en-tête ne dit plus territoire : le projet garde Coteaux ; pour le retirer : "
        f"tzcld-qual attributes {project} --document martine.txt --unset territoire",
    )


def test_a_document_imported_before_sources_were_kept_keeps_its_values_and_says_so(tmp_path: Path) -> None:
    source, project, segmenter = _imported_with_header(tmp_path)
    import_files(project, [source], segmenter, attributes_csv=_csv(tmp_path, {"round": "vague 2"}))
    with ProjectStore(project) as store:  # as a project of schema 4 has it
        store.connection.execute("UPDATE documents SET header_attributes = NULL, given_attributes = NULL")
    attributes.edit(project, ["martine"], {}, ["territory"], "marie")  # a removal is no gap to fill
    (again,) = import_files(project, [source], segmenter)
    assert _attributes(project) == {"role": "salarié·e EBE", "round": "vague 2"}
    assert again.warnings[1] == (
        "l'en-tête dit vague : vague 1, le projet garde vague 2 (le projet ne sait pas si l'en-tête a changé "
        f"depuis) ; pour reprendre le fichier : tzcld-qual attributes {project} --document martine.txt --set "
        "'vague=vague 1'"
    )
    assert again.warnings[0].startswith("l'en-tête dit territoire : Coteaux, le projet ne l'a plus")
    (third,) = import_files(project, [source], segmenter)  # the unknown history, said once: now recorded
    assert len(third.warnings) == 1 and _attributes(project) == {"role": "salarié·e EBE", "round": "vague 2"}


def _decide_on(project: Path, question: str) -> int:
    """alice codes F5 on the answer to ``question`` (Martine answers « Oui. » to two of them)."""
    with ProjectStore(project) as store:
        segments = store.documents.segments()
        asked = next(i for i, s in enumerate(segments) if s.text == question)
        answer = segments[asked + 1]
        store.codings.decide(answer.id, "F5", "alice", Status.MANUAL)
        return answer.id


def _decided_answer_to(project: Path) -> str | None:
    """The question before the answer that carries alice's decision in the current version."""
    with ProjectStore(project) as store:
        segments = store.documents.segments()
        decided = {c.segment_id for c in store.codings.human("alice")}
        for before, seg in itertools.pairwise(segments):
            if seg.id in decided:
                return before.text
    return None


def test_a_decision_stays_on_its_answer_when_a_passage_worded_alike_is_inserted_before(tmp_path: Path) -> None:
    """Carried over to the first « Oui. » of the new version: the answer to another question."""
    source, project, segmenter = _imported(tmp_path)
    _decide_on(project, "Et la banque ?")
    source.write_text("Enquêtrice : Vous êtes là depuis longtemps ?\n\nMartine : Oui.\n\n" + V1, encoding="utf-8")
    (report,) = import_files(project, [source], segmenter)
    assert report.carried_over == 1 and _decided_answer_to(project) == "Et la banque ?"


def test_a_decision_on_a_deleted_answer_is_left_behind_not_moved_to_its_twin(tmp_path: Path) -> None:
    source, project, segmenter = _imported(tmp_path)
    decided = _decide_on(project, "Et le CDI ?")
    source.write_text(V1.replace("Enquêtrice : Et le CDI ?\n\nMartine : Oui.\n\n", ""), encoding="utf-8")
    (report,) = import_files(project, [source], segmenter)
    assert (report.carried_over, report.left_behind) == (0, 1)
    assert report.left_behind_items == (f"segment {decided} : F5 (alice, ajouté) « Oui. »",)
    assert _decided_answer_to(project) is None


def test_a_moved_passage_keeps_its_decision_when_its_text_is_unique(tmp_path: Path) -> None:
    source, project, segmenter = _imported(tmp_path)
    _decide_on(project, "Et avant ?")
    moved = "Enquêtrice : Et avant ?\n\nMartine : Depuis deux ans.\n"
    source.write_text(moved + "\n" + V1.replace(moved, ""), encoding="utf-8")
    (report,) = import_files(project, [source], segmenter)
    assert report.carried_over == 1 and _decided_answer_to(project) == "Et avant ?"


def test_a_decision_brought_back_after_an_edit_undone_goes_to_its_own_answer_once(tmp_path: Path) -> None:
    """Brought back to the first free « Oui. » (an answer to another question), and brought back
    again, to a second passage, at the next import."""
    source, project, segmenter = _imported(tmp_path)
    _decide_on(project, "Et la banque ?")
    banque = "Enquêtrice : Et la banque ?\n\nMartine : Oui."
    source.write_text(V1.replace(banque, banque[:-1] + ", bien sûr."), encoding="utf-8")
    (edited,) = import_files(project, [source], segmenter)
    assert edited.left_behind == 1 and _decided_answer_to(project) is None
    inserted = "Enquêtrice : Vous êtes là depuis longtemps ?\n\nMartine : Oui.\n\n"
    source.write_text(inserted + V1, encoding="utf-8")  # the edit undone, a passage worded alike added
    (back,) = import_files(project, [source], segmenter)
    assert back.carried_over == 1 and _decided_answer_to(project) == "Et la banque ?"
    source.write_text(inserted + "Enquêtrice : Et ensuite ?\n\nMartine : Oui.\n\n" + V1, encoding="utf-8")
    (again,) = import_files(project, [source], segmenter)
    with ProjectStore(project) as store:
        assert len(store.codings.human("alice")) == 1  # on one passage, not copied to a twin
    assert again.carried_over == 1 and _decided_answer_to(project) == "Et la banque ?"


def test_a_decision_on_the_first_of_two_twins_comes_back_when_its_edit_is_undone(tmp_path: Path) -> None:
    """Counting texts took the first « Oui. » for kept: its decision never came back."""
    source, project, segmenter = _imported(tmp_path)
    _decide_on(project, "Et le CDI ?")
    cdi = "Enquêtrice : Et le CDI ?\n\nMartine : Oui."
    source.write_text(V1.replace(cdi, cdi[:-1] + ", en CDI."), encoding="utf-8")
    import_files(project, [source], segmenter)
    assert _decided_answer_to(project) is None
    source.write_text(V1, encoding="utf-8")
    (back,) = import_files(project, [source], segmenter)
    assert back.carried_over == 1 and _decided_answer_to(project) == "Et le CDI ?"


def test_undoing_a_decision_left_on_an_earlier_version_says_so(tmp_path: Path) -> None:
    """« annulé : F5 » changed nothing the analyst could see: the row was on the replaced version."""
    from tzcld_qual.services.review import ReviewSession

    source, project, segmenter = _imported(tmp_path)
    with ProjectStore(project) as store:
        edited = next(s for s in store.documents.segments() if s.text == "Depuis deux ans.")
    with ReviewSession(project, "alice") as session:
        session.decide([(edited.id, "F5", Status.MANUAL)])
    source.write_text(V1.replace("deux ans", "trois ans"), encoding="utf-8")
    import_files(project, [source], segmenter)
    with ReviewSession(project, "alice") as session:
        change = session.undo()
    assert change.message.startswith("annulé : ")
    assert "(sur une version antérieure de martine.txt, remplacée par une réimportation" in change.message


def test_a_no_code_mark_is_carried_over_on_reimport_and_undone_on_the_visible_copy(tmp_path: Path) -> None:
    """« Relu, aucun code » survives a re-import as a decision does, and the undo acts on the copy
    the analyst sees; on a passage the re-import changed, it is said left behind."""
    from tzcld_qual.model import NO_CODE

    source, project, segmenter = _imported(tmp_path)
    with ProjectStore(project) as store:
        first_oui = next(s for s in store.documents.segments() if s.text == "Oui.")
        edited = next(s for s in store.documents.segments() if s.text == "Depuis deux ans.")
        store.codings.decide(first_oui.id, NO_CODE, "alice", Status.ACCEPTED)
        store.codings.decide(edited.id, NO_CODE, "alice", Status.ACCEPTED)
    source.write_text(V1.replace("deux ans", "trois ans"), encoding="utf-8")
    (report,) = import_files(project, [source], segmenter)
    assert report.carried_over == 1
    assert report.left_behind_items == (f"segment {edited.id} : aucun code (alice, relu) « Depuis deux ans. »",)
    with ProjectStore(project) as store:
        copy = next(s for s in store.documents.segments() if s.text == "Oui.")
        assert copy.id != first_oui.id and store.codings.no_code(coder="alice") == {(copy.id, "alice")}
        store.codings.undo("alice")  # the mark on the edited passage: on its old version
        (undone,) = store.codings.undo("alice")
        assert undone.segment_id == copy.id and store.codings.no_code() == set()
        store.codings.redo("alice")
        assert store.codings.no_code() == {(copy.id, "alice")}
