"""Import and segments on the command line, with the real French spaCy sentence splitter."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from tzcld_qual.model import Status
from tzcld_qual.store import ProjectStore

pytestmark = pytest.mark.slow

V1 = (
    "Enquêtrice : Bonjour. Vous travaillez à l'EBE depuis quand ?\n\n"
    "Martine : Depuis deux ans. Avant j'osais pas parler aux gens.\n\n"
    "Enquêtrice : Et le CDI, ça a changé quoi ?\n\n"
    "Martine : Ben je paie mes factures. Et la banque m'a fait le prêt pour la voiture.\n"
)


def test_import_segments_json_contract(cli: Callable, tmp_path: Path) -> None:
    src = tmp_path / "martine.txt"
    src.write_text(V1, encoding="utf-8")
    project = tmp_path / "p.tzq"
    result = cli("import", project, src, "--json")
    assert result.code == 0, result.err
    assert f"Projet créé : {project}" in result.err  # a mistyped path is not silently a new project
    report = json.loads(result.out.splitlines()[0])
    assert report["document"] == "martine.txt" and report["status"] == "new"
    assert report["speakers"] == {"Enquêtrice": "interviewer", "Martine": "respondent"}
    out = cli("segments", project, "--json").out
    records = [json.loads(line) for line in out.splitlines()]
    assert set(records[0]) == {"document", "segment_id", "speaker", "role", "start", "end", "text"}
    text = src.read_text(encoding="utf-8")
    for r in records:
        assert text[r["start"] : r["end"]] == r["text"]
    assert [r["role"] for r in records] == ["interviewer", "respondent", "interviewer", "respondent"]


def test_a_one_exchange_testimony_has_its_answer_to_code(cli: Callable, tmp_path: Path) -> None:
    """« Enquêtrice : … » then « Sylvie : … », once each: the answer was read as a line of the
    question (one interviewer segment, nothing to code, and a warning that it had no respondent)."""
    src = tmp_path / "sylvie.txt"
    src.write_text("Enquêtrice : Vous venez d'où ?\n\nSylvie : De Cholet, chez Dupuis.\n", encoding="utf-8")
    project = tmp_path / "p.tzq"
    result = cli("import", project, src)
    assert result.code == 0 and "1 segment à coder" in result.out + result.err, result.err
    assert "attention" not in result.err
    listed = cli("segments", project, "--json").out
    assert [json.loads(line)["speaker"] for line in listed.splitlines()] == ["Enquêtrice", "Sylvie"]
    assert cli("segments", project, "--document", "sylvie").err.strip().endswith("2 segments")


def test_reimport_unchanged_then_changed_keeps_human_codings(cli: Callable, tmp_path: Path) -> None:
    src = tmp_path / "martine.txt"
    src.write_text(V1, encoding="utf-8")
    project = tmp_path / "p.tzq"
    assert cli("import", project, src).code == 0
    with ProjectStore(project) as store:
        segs = store.documents.segments(role=None)
        kept = next(s for s in segs if s.text.startswith("Ben je paie"))
        changed = next(s for s in segs if s.text.startswith("Depuis deux ans"))
        store.codings.decide(kept.id, "F5.financiere", "alice", Status.MANUAL)
        store.codings.decide(changed.id, "F4", "alice", Status.ACCEPTED)
        store.memos.write("segment", str(kept.id), "alice", "le prêt : à citer")
        store.memos.write("document", str(kept.document_id), "bob", "entretien clé")
    again = cli("import", project, src, "--json")
    assert json.loads(again.out)["status"] == "unchanged" and "Projet créé" not in again.err
    src.write_text(V1.replace("Depuis deux ans.", "Depuis trois ans."), encoding="utf-8")
    result = cli("import", project, src, "--json")
    third = json.loads(result.out)
    assert third["status"] == "new-version" and third["version"] == 2 and third["carried_over"] == 1
    assert third["left_behind"] == 1
    assert "martine.txt : 1 décision humaine reportée sur la version 2" in result.err  # not « 1 décisions »
    assert "1 décision ou mémo porte sur des passages modifiés ; elle reste enregistrée avec la version 1" in result.err
    said = f"segment {changed.id} : F4 (alice, accepté) « {changed.text} »"  # which one, so it can be redone
    assert third["left_behind_items"] == [said] and f"  {said}" in result.err
    with ProjectStore(project) as store:
        human = store.codings.human("alice")  # current documents only
        assert [(c.code_id, c.status) for c in human] == [("F5.financiere", Status.MANUAL)]
        seg = store.documents.segment(human[0].segment_id)
        assert seg is not None and seg.text.startswith("Ben je paie") and seg.id != kept.id
        # memos follow their segment and their document to the new version, and stay on the old
        assert [m.text for m in store.memos.list("segment", str(seg.id))] == ["le prêt : à citer"]
        assert [m.text for m in store.memos.list("document", str(seg.document_id))] == ["entretien clé"]
        assert [m.text for m in store.memos.list("segment", str(kept.id))] == ["le prêt : à citer"]
        # the old version and its decision are kept, not dropped
        old = store.documents.segment(changed.id)
        assert old is not None and any(c.code_id == "F4" for c in store.codings.for_segments([changed.id])[changed.id])


def test_interviewer_override_and_cp1252_warning(cli: Callable, tmp_path: Path) -> None:
    src = tmp_path / "word.txt"
    src.write_bytes(
        (
            "A : Qu'est-ce que ça a changé pour vous ?\n\nB : Beaucoup, j'ai retrouvé confiance.\n\n"
            "A : Et votre famille ?\n\nB : Elle me regarde autrement, c'est sûr.\n"
        ).encode("cp1252")
    )
    project = tmp_path / "p.tzq"
    result = cli("import", project, src, "--interviewer", "B", "--json")
    assert result.code == 0
    report = json.loads(result.out)
    assert report["speakers"] == {"A": "respondent", "B": "interviewer"}
    assert any("cp1252" in w or "1252" in w for w in report["warnings"])


def test_import_pseudonymize_keeps_names_out_of_the_project(cli: Callable, tmp_path: Path) -> None:
    src = tmp_path / "entretien.txt"
    src.write_text(
        "Enquêtrice : Vous pouvez vous présenter ?\n\n"
        "Martine : Moi c'est Martine Dupuis, j'habite 12 rue des Lilas. Ma collègue Sandrine Morel "
        "m'a parlé de l'EBE de Haut-Vallon. Mon numéro c'est le 06 12 34 56 78.\n\n"
        "Enquêtrice : Et France Travail ?\n\n"
        "Martine : Ben Sandrine m'a accompagnée là-bas aussi.\n",
        encoding="utf-8",
    )
    project = tmp_path / "p.tzq"
    result = cli("import", project, src, "--pseudonymize", "--allow", "Haut-Vallon", "--json")
    assert result.code == 0, result.err
    mapping = tmp_path / "p.pseudonymes.json"
    assert mapping.is_file() and mapping.stat().st_mode & 0o777 == 0o600
    with ProjectStore(project) as store:
        text = store.documents.list()[0].text
    for secret in ("Dupuis", "Sandrine", "Morel", "Lilas", "06 12 34 56 78"):
        assert secret not in text and secret.encode() not in project.read_bytes()
    assert "[PERSONNE_" in text and "Haut-Vallon" in text and "France Travail" in text
    assert "Sandrine" in mapping.read_text(encoding="utf-8")
    assert f"Pseudonymisé avant tout enregistrement ; table de correspondance : {mapping}" in result.err


def test_a_raw_file_is_refused_by_a_pseudonymised_project(cli: Callable, tmp_path: Path) -> None:
    """« Paul Fournier, 06 55 44 33 22 » went into a pseudonymised project in clear, without a word."""
    first, raw = tmp_path / "moreau.txt", tmp_path / "fournier.txt"
    first.write_text("Enquêtrice : Bonjour ?\n\nNathalie : Moi c'est Nathalie Moreau, au 06 12 34 56 78.\n", "utf-8")
    raw.write_text("Enquêtrice : Bonjour ?\n\nPaul : Je suis Paul Fournier, 06 55 44 33 22.\n", encoding="utf-8")
    project = tmp_path / "p.tzq"
    assert cli("import", project, first, "--pseudonymize").code == 0
    before = project.read_bytes()
    result = cli("import", project, raw)
    assert result.code == 1 and "Traceback" not in result.err
    assert f"le projet {project} est pseudonymisé (sa table de correspondance" in result.err
    assert "importer fournier.txt sans --pseudonymize" in result.err and "Relancez avec --pseudonymize" in result.err
    assert project.read_bytes() == before
    # the table elsewhere (--mapping): the placeholders in the texts say it as well
    (tmp_path / "p.pseudonymes.json").rename(tmp_path / "ailleurs.json")
    result = cli("import", project, raw)
    assert result.code == 1 and "« moreau.txt » y porte des marqueurs [PERSONNE_…]" in result.err
    assert project.read_bytes() == before
    result = cli("import", project, raw, "--pseudonymize", "--mapping", tmp_path / "ailleurs.json")
    assert result.code == 0 and b"Fournier" not in project.read_bytes()


def test_import_pseudonymize_leaves_out_attributes_that_identify_the_person(cli: Callable, tmp_path: Path) -> None:
    """A header « nom: Nadia Benali » or an attributes-file « e-mail » column stayed in clear."""
    src = tmp_path / "nadia.txt"
    src.write_text(
        "---\nnom: Nadia Benali\ntéléphone: 06 11 22 33 44\nrôle: salarié·e EBE\n---\n"
        "Enquêtrice : Et le CDI ?\n\nNadia : Ça a tout changé pour moi.\n",
        encoding="utf-8",
    )
    csv = tmp_path / "attributs.csv"
    csv.write_text("fichier;e-mail;vague\nnadia.txt;nadia.benali@example.org;vague 2\n", encoding="utf-8")
    project = tmp_path / "p.tzq"
    result = cli("import", project, src, "--attributes", csv, "--pseudonymize")
    assert result.code == 0, result.err
    assert "attributs non importés : nom, téléphone, e-mail (--pseudonymize : ils identifient" in result.err
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("p.tzq*"))  # the WAL too, if any
    for secret in (b"Benali", b"06 11 22 33 44", b"example.org"):
        assert secret not in stored
    with ProjectStore(project) as store:
        assert dict(store.documents.list()[0].attributes) == {"role": "salarié·e EBE", "round": "vague 2"}


def test_a_different_codebook_for_an_existing_project_is_refused_not_ignored(cli: Callable, tmp_path: Path) -> None:
    from tzcld_qual import paths

    src = tmp_path / "martine.txt"
    src.write_text(V1, encoding="utf-8")
    project = tmp_path / "p.tzq"
    assert cli("import", project, src, "--codebook", paths.default_codebook()).code == 0
    other = tmp_path / "grille.yaml"
    other.write_text(
        'codebook: {name: grille, version: 1}\ncodes:\n  - id: A\n    definition: "Un code."\n', encoding="utf-8"
    )
    second = tmp_path / "second.txt"
    second.write_text(V1.replace("Martine", "Paul"), encoding="utf-8")
    before = project.read_bytes()
    refused = cli("import", project, second, "--codebook", other)
    assert refused.code == 1 and "--codebook ne s'applique qu'à un nouveau projet" in refused.err
    assert f"tzcld-qual codebook load {project} {other}" in refused.err and "Traceback" not in refused.err
    assert project.read_bytes() == before
    same = cli("import", project, second, "--codebook", paths.default_codebook(), "--json")
    assert same.code == 0 and json.loads(same.out)["status"] == "new"


def test_a_transcript_the_attributes_file_misses_is_flagged_with_the_spare_rows(cli: Callable, tmp_path: Path) -> None:
    folder = tmp_path / "vague3"
    folder.mkdir()
    (folder / "martine.txt").write_text(V1, encoding="utf-8")
    (folder / "paul.txt").write_text(V1.replace("Martine", "Paul"), encoding="utf-8")
    csv = tmp_path / "attributs.csv"
    csv.write_text("file;round\nmartine.txt;vague 3\npaull.txt;vague 3\n", encoding="utf-8")
    result = cli("import", tmp_path / "p.tzq", folder, "--attributes", csv)
    assert result.code == 0, result.err
    assert (
        "attention : paul.txt : aucune ligne dans attributs.csv : ni vague, ni rôle, ni territoire "
        "(lignes sans fichier importé : paull.txt)"
    ) in result.err
    assert "martine.txt : aucune ligne" not in result.err
    csv.write_text("file;round\nmartine.txt;vague 3\npaul.txt;vague 3\n", encoding="utf-8")
    again = cli("import", tmp_path / "p.tzq", folder, "--attributes", csv, "--json")
    assert again.code == 0 and "aucune ligne" not in again.err
    assert {json.loads(line)["status"] for line in again.out.splitlines()} == {"unchanged", "attributes-updated"}


def test_a_document_is_named_by_the_beginning_of_its_name(cli: Callable, tmp_path: Path) -> None:
    """``segments --help`` says ``--document demo-01``, which was « introuvable » on the demo."""
    for name in ("entretien-01-martine.txt", "entretien-02-paul.txt"):
        (tmp_path / name).write_text(V1, encoding="utf-8")
    project = tmp_path / "p.tzq"
    assert cli("import", project, tmp_path / "entretien-01-martine.txt", tmp_path / "entretien-02-paul.txt").code == 0
    result = cli("segments", project, "--document", "entretien-01", "--json")
    assert result.code == 0 and {json.loads(line)["document"] for line in result.out.splitlines()} == {
        "entretien-01-martine.txt"
    }
    result = cli("segments", project, "--document", "entretien")
    assert result.code == 1 and "désigne plusieurs documents" in result.err
    assert cli("segments", project, "--document", "ENTRETIEN-02").code == 0  # case aside
    result = cli("segments", project, "--document", "entretien-01-m")  # not up to a separator
    assert result.code == 1 and "introuvable" in result.err


def test_a_prefix_never_reaches_into_a_number(cli: Callable, tmp_path: Path) -> None:
    """``entretien-1`` answered for ``entretien-12.txt``, silently (code --documents too)."""
    (tmp_path / "entretien-12.txt").write_text(V1, encoding="utf-8")
    project = tmp_path / "p.tzq"
    assert cli("import", project, tmp_path / "entretien-12.txt").code == 0
    result = cli("segments", project, "--document", "entretien-1")
    assert result.code == 1 and "introuvable" in result.err


def _imported_with_a_decision(cli: Callable, project: Path, source: Path) -> None:
    """``source`` imported, and alice's decision on the answer about bills."""
    assert cli("import", project, source).code == 0
    with ProjectStore(project) as store:
        answer = next(s for s in store.documents.segments() if s.text.startswith("Ben je paie"))
        store.codings.decide(answer.id, "F5", "alice", Status.MANUAL)


OTHER = (
    "Enquêteur : Vous êtes arrivé quand à l'EBE ?\n\n"
    "Karim : En mars, au garage solidaire. Je répare les voitures des gens du quartier.\n\n"
    "Enquêteur : Et avant ?\n\n"
    "Karim : Intérim, et puis plus rien pendant quatre ans.\n"
)


def test_another_interview_under_the_same_name_is_refused(cli: Callable, tmp_path: Path) -> None:
    """A different interview named like a coded one became its new version: every decision on
    the first went out of sight, and the import said "passages modifiés"."""
    first, second = tmp_path / "vague1" / "entretien.txt", tmp_path / "vague2" / "entretien.txt"
    for path, text in ((first, V1), (second, OTHER)):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    project = tmp_path / "p.tzq"
    _imported_with_a_decision(cli, project, first)
    before = project.read_bytes()
    result = cli("import", project, second)
    assert result.code == 1 and "Traceback" not in result.err
    assert "c'est sans doute un autre entretien" in result.err and "--replace" in result.err
    assert str(first) in result.err and project.read_bytes() == before
    result = cli("import", project, second, "--replace", "--json")  # said on purpose: done
    assert result.code == 0 and json.loads(result.out)["status"] == "new-version"
    assert json.loads(result.out)["left_behind"] == 1


def test_another_interview_under_the_same_name_is_refused_before_any_decision(cli: Callable, tmp_path: Path) -> None:
    """Without a decision yet, Karim's interview silently replaced Martine's (« nouvelle version »)
    and took over her attributes."""
    first, second = tmp_path / "a" / "ent.txt", tmp_path / "b" / "ent.txt"
    for path, text in ((first, V1), (second, OTHER)):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    project = tmp_path / "p.tzq"
    assert cli("import", project, first).code == 0
    before = project.read_bytes()
    result = cli("import", project, second)
    assert result.code == 1 and "Traceback" not in result.err
    assert "c'est sans doute un autre entretien" in result.err and "--replace" in result.err
    assert "n'en garde que 0 passage sur 4" in result.err and str(first) in result.err
    assert project.read_bytes() == before
    result = cli("import", project, second, "--replace", "--json")
    assert result.code == 0 and json.loads(result.out)["status"] == "new-version"


def test_the_same_text_from_elsewhere_with_other_roles_is_not_another_interview(cli: Callable, tmp_path: Path) -> None:
    first, copy = tmp_path / "a" / "entretien.txt", tmp_path / "b" / "entretien.txt"
    for path in (first, copy):
        path.parent.mkdir()
        path.write_text(V1, encoding="utf-8")
    project = tmp_path / "p.tzq"
    _imported_with_a_decision(cli, project, first)
    result = cli("import", project, copy, "--interviewer", "Martine")
    assert result.code == 0 and "les rôles ont changé" in result.err


def test_the_analysts_own_file_rewritten_is_a_new_version(cli: Callable, tmp_path: Path) -> None:
    source, project = tmp_path / "entretien.txt", tmp_path / "p.tzq"
    source.write_text(V1, encoding="utf-8")
    _imported_with_a_decision(cli, project, source)
    source.write_text(OTHER, encoding="utf-8")
    result = cli("import", project, source, "--json")
    assert result.code == 0 and json.loads(result.out)["status"] == "new-version"


def test_roles_changed_on_the_same_text_are_said_as_such(cli: Callable, tmp_path: Path) -> None:
    """``--interviewer`` on an unchanged file blamed « passages modifiés » for the hidden decisions."""
    source, project = tmp_path / "entretien.txt", tmp_path / "p.tzq"
    source.write_text(V1, encoding="utf-8")
    _imported_with_a_decision(cli, project, source)
    result = cli("import", project, source, "--interviewer", "Martine")
    assert result.code == 0
    assert "le texte est le même mais les rôles ont changé (enquêteur·rice : Enquêtrice → Martine)" in result.err
    assert "passages modifiés" not in result.err
    result = cli("import", project, source, "--json")  # the roles as they were: the decision is back
    assert json.loads(result.out)["carried_over"] == 1
    with ProjectStore(project) as store:
        assert [(c.code_id, c.status) for c in store.codings.human("alice")] == [("F5", Status.MANUAL)]


def test_a_file_of_questions_only_is_flagged(cli: Callable, tmp_path: Path) -> None:
    """A lone speaker is a testimony's author (a respondent), but not one called « Enquêtrice »."""
    source, project = tmp_path / "questions.txt", tmp_path / "p.tzq"
    source.write_text("Enquêtrice : Bonjour, vous pouvez vous présenter ?\n\nEnquêtrice : Et côté argent ?\n")
    result = cli("import", project, source)
    assert result.code == 0 and "un seul locuteur, « Enquêtrice », nommé comme un·e enquêteur·rice" in result.err
    testimony = tmp_path / "temoignage.txt"
    testimony.write_text("Martine : Depuis deux ans je travaille à l'EBE.\n\nMartine : Et ça va mieux.\n")
    assert "un seul locuteur" not in cli("import", project, testimony).err


def test_import_pseudonymize_keeps_territories_and_never_reuses_a_placeholder(cli: Callable, tmp_path: Path) -> None:
    """Through the import: an attributes file's territory in all its forms; and a project copied
    without its table never hands out a placeholder it already uses."""
    first = tmp_path / "sylvie.txt"
    first.write_text(
        "Enquêtrice : Vous habitez où ?\n\nSylvie : À Saint-Aubin, depuis toujours. Ma voisine Ginette Morel "
        "m'a parlé de l'EBE.\n",
        encoding="utf-8",
    )
    attributes = tmp_path / "attributs.csv"
    attributes.write_text("fichier,territoire\nsylvie.txt,Saint-Aubin-les-Forges\n", encoding="utf-8")
    project = tmp_path / "p.tzq"
    assert cli("import", project, first, "--attributes", attributes, "--pseudonymize").code == 0
    with ProjectStore(project) as store:
        text = store.documents.list()[0].text
    assert "Saint-Aubin" in text and "Ginette" not in text and "[PERSONNE_" in text
    copy = tmp_path / "copie.tzq"  # copied, as the docs advise, without its table
    copy.write_bytes(project.read_bytes())
    second = tmp_path / "karim.txt"
    second.write_text(
        "Enquêtrice : Et vous ?\n\nKarim : Moi c'est Karim Benali, et mon frère Samir travaille au garage.\n",
        encoding="utf-8",
    )
    assert cli("import", copy, second, "--pseudonymize").code == 0
    with ProjectStore(copy) as store:
        texts = {d.name: d.text for d in store.documents.list()}
    used = set(re.findall(r"\[PERSONNE_\d+\]", texts["sylvie.txt"]))
    assert used and not used & set(re.findall(r"\[PERSONNE_\d+\]", texts["karim.txt"]))


def test_import_pseudonymize_warns_of_a_file_named_after_the_person(cli: Callable, tmp_path: Path) -> None:
    """« ent-dupuis.txt » kept the surname the text had replaced: in every citation, report and export."""
    src = tmp_path / "ent-dupuis.txt"
    src.write_text(V1.replace("Depuis deux ans.", "Moi c'est Martine Dupuis, depuis deux ans."), encoding="utf-8")
    project = tmp_path / "p.tzq"
    result = cli("import", project, src, "--pseudonymize")
    assert result.code == 0, result.err
    assert "attention : ent-dupuis.txt : le nom du document contient « dupuis », remplacé par [PERSONNE_" in result.err
    assert "Renommez le fichier d'origine" in result.err


def test_an_interviewer_label_that_names_no_speaker_is_said(cli: Callable, tmp_path: Path) -> None:
    """``--interviewer Enquetrice`` for « ENQUÊTRICE » was ignored without a word."""
    src, project = tmp_path / "karim.txt", tmp_path / "p.tzq"
    src.write_text(OTHER.replace("Enquêteur", "ENQUÊTEUR"), encoding="utf-8")
    result = cli("import", project, src, "--interviewer", "Enqueteur", "--interviewer", "Karim")
    assert result.code == 0
    assert (
        "attention : --interviewer « Enqueteur » ne désigne aucun locuteur des fichiers importés "
        "(locuteurs : « ENQUÊTEUR », « Karim ») : il est ignoré, les rôles ont été devinés ; "
        "vouliez-vous dire « ENQUÊTEUR » ?"
    ) in result.err
    assert "« Karim » ne désigne" not in result.err


def test_a_project_in_a_missing_folder_is_refused(cli: Callable, tmp_path: Path) -> None:
    """``import /nonexistent/dir/p.tzq`` created the whole tree and a project there, silently."""
    src = tmp_path / "martine.txt"
    src.write_text(V1, encoding="utf-8")
    missing = tmp_path / "nulle" / "part"
    result = cli("import", missing / "p.tzq", src)
    assert result.code == 1 and "Traceback" not in result.err
    assert f"le dossier du projet n'existe pas : {missing}" in result.err and "mkdir -p" in result.err
    assert not (tmp_path / "nulle").exists()
    made = cli("init", missing / "p.tzq")  # asked for by name: ``make demo`` inits build/demo.tzq in a fresh clone
    assert made.code == 0, made.err
    assert (missing / "p.tzq").is_file()


def test_two_files_of_the_same_name_are_both_named(cli: Callable, tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "ent.txt", tmp_path / "b" / "ent.txt"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(V1, encoding="utf-8")
    result = cli("import", tmp_path / "p.tzq", tmp_path / "a", tmp_path / "b")
    assert result.code == 1 and f"2 fichiers portent le même nom « ent.txt » : {first}, {second}." in result.err
    assert not (tmp_path / "p.tzq").exists()


def test_a_folder_s_attributes_file_not_given_is_said_with_the_command_that_reads_it(
    cli: Callable, tmp_path: Path
) -> None:
    """`import p.tzq corpora/round2` left its attributes.csv unread without a word: 6 of 10
    documents got no round, and `code --round "vague 3"` coded 63 of 167 segments."""
    folder = tmp_path / "vague 3"
    folder.mkdir()
    (folder / "martine.txt").write_text(V1, encoding="utf-8")
    (folder / "karim.txt").write_text("---\nvague: vague 3\n---\n" + V1.replace("Martine", "Karim"), encoding="utf-8")
    (folder / "attributes.csv").write_text("file;round;role\nmartine.txt;vague 3;salarié·e EBE\n", encoding="utf-8")
    project = tmp_path / "p.tzq"
    result = cli("import", project, folder, "--interviewer", "Enquêtrice")
    assert result.code == 0, result.err
    said = next(line for line in result.err.splitlines() if "attributes.csv" in line)
    assert f"attention : {folder / 'attributes.csv'} n'est pas lu" in said
    assert "1 document sur 2 est sans vague (code --round le laisserait de côté)" in said
    command = said.split("S'il donne les attributs des documents : ", 1)[1]
    words = shlex.split(command)
    assert words[:2] == ["tzcld-qual", "import"] and words[-4:] == [
        "--attributes", str(folder / "attributes.csv"), "--interviewer", "Enquêtrice"
    ]
    again = cli(*words[1:])  # the command said, as given: only the attributes change
    assert again.code == 0 and "n'est pas lu" not in again.err
    with ProjectStore(project) as store:
        assert {d.name: d.attributes.get("round") for d in store.documents.list()} == {
            "karim.txt": "vague 3",
            "martine.txt": "vague 3",
        }
    given = cli("import", tmp_path / "q.tzq", folder, "--attributes", folder / "attributes.csv")
    assert given.code == 0 and "n'est pas lu" not in given.err
