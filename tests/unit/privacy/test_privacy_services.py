"""``pseudonymize_import`` (import) and ``pseudonymize_project`` (an existing project)."""

from __future__ import annotations

import re
import sqlite3
import stat
from pathlib import Path

import pytest
from privacy_fakes import FakeRecognizer, WholeTurnSplitter, write

from tzcld_qual.errors import InputError, ProjectError, UsageError
from tzcld_qual.io import read_transcript
from tzcld_qual.io.speakers import infer_roles
from tzcld_qual.model import Role, Status, Suggestion
from tzcld_qual.segment import Segmenter
from tzcld_qual.services.importing import import_files
from tzcld_qual.services.privacy import documents_named_after_people, pseudonymize_import, pseudonymize_project
from tzcld_qual.store import NewRun, ProjectStore

REPO = Path(__file__).resolve().parents[3]
SYLVIE = """---
territory: Les Coteaux-sur-Loire
---
Enquêtrice : Vous pouvez vous présenter ?

Sylvie : Moi c'est Sylvie Carrère. J'habite à Montbazin, près des Coteaux. Mon numéro c'est le 06 71 23 45 90.

Enquêtrice : Et avant ?

Sylvie : J'étais chez Delaunay Frères. Ma voisine Ginette m'a parlé de l'EBE. Mme Carrère, c'est ma belle-mère.
"""
KARIM = """Q : Bonjour. Vous venez d'où ?

Karim : De Montbazin aussi. Je connais Sylvie, on était à Pôle emploi ensemble. Céline Dupuis nous a aidés.

Q : Et maintenant ?

Karim : Je suis à l'EBE.
"""
NER = {"Montbazin": "LOC", "Delaunay Frères": "ORG", "Céline Dupuis": "PER"}
NAMES = ("Sylvie", "Carrère", "Montbazin", "06 71 23 45 90", "Delaunay", "Ginette", "Karim", "Céline", "Dupuis")


def pseudonymize_transcripts(transcripts: list, **options: object) -> list:  # type: ignore[type-arg]
    """The transcripts of :func:`pseudonymize_import` without an attributes file."""
    return pseudonymize_import(transcripts, **options).transcripts  # type: ignore[arg-type]


def transcripts(tmp_path: Path) -> list:  # type: ignore[type-arg]
    return [
        read_transcript(write(tmp_path / "sylvie.txt", SYLVIE)),
        read_transcript(write(tmp_path / "karim.txt", KARIM)),
    ]


def test_transcripts_are_rewritten_with_exact_turns(tmp_path: Path) -> None:
    before = transcripts(tmp_path)
    mapping = tmp_path / "etude.pseudonymes.json"
    after = pseudonymize_transcripts(before, allow=set(), mapping_path=mapping, recognizer=FakeRecognizer(NER))
    sylvie, karim = after
    assert [t.speaker for t in sylvie.turns] == ["Enquêtrice", "[PERSONNE_1]", "Enquêtrice", "[PERSONNE_1]"]
    assert sylvie.text[sylvie.turns[1].start : sylvie.turns[1].end] == (
        "Moi c'est [PERSONNE_1]. J'habite à [LIEU_1], près des Coteaux. Mon numéro c'est le [TELEPHONE_1]."
    )
    assert sylvie.text[sylvie.turns[3].start : sylvie.turns[3].end] == (
        "J'étais chez [ORGANISATION_1]. Ma voisine [PERSONNE_2] m'a parlé de l'EBE. "
        "Mme [PERSONNE_1], c'est ma belle-mère."
    )
    assert karim.text[karim.turns[1].start : karim.turns[1].end] == (
        "De [LIEU_1] aussi. Je connais [PERSONNE_1], on était à Pôle emploi ensemble. [PERSONNE_4] nous a aidés."
    )
    assert karim.turns[1].speaker == "[PERSONNE_3]"
    assert dict(sylvie.attributes) == {"territory": "Les Coteaux-sur-Loire"}
    for t in after:
        assert not any(name in t.text for name in NAMES)
        assert t.text[: t.turns[0].start].strip(" :") == t.turns[0].speaker  # labels rewritten in the text too
    assert stat.S_IMODE(mapping.stat().st_mode) == 0o600
    assert "Sylvie Carrère" in mapping.read_text(encoding="utf-8")  # the key is in the table, and only there


def test_reusing_the_table_keeps_placeholders_and_is_deterministic(tmp_path: Path) -> None:
    mapping = tmp_path / "m.json"
    first = pseudonymize_transcripts(
        transcripts(tmp_path)[:1], allow=set(), mapping_path=mapping, recognizer=FakeRecognizer(NER)
    )
    both = pseudonymize_transcripts(
        transcripts(tmp_path), allow=set(), mapping_path=mapping, recognizer=FakeRecognizer(NER)
    )
    assert both[0].text == first[0].text  # re-importing the same file finds it unchanged
    assert "[PERSONNE_1]" in both[1].text and "[LIEU_1]" in both[1].text


def test_declared_interviewers_follow_their_new_label(tmp_path: Path) -> None:
    text = "Claire : Vous êtes là depuis quand ?\n\nMarcel : Deux ans.\n\nClaire : Et ensuite ?\n\nMarcel : On verra.\n"
    parsed = read_transcript(write(tmp_path / "t.txt", text))
    [after] = pseudonymize_transcripts(
        [parsed], allow=set(), mapping_path=tmp_path / "m.json", interviewers=["Claire"], recognizer=FakeRecognizer()
    )
    assert after.interviewers == frozenset({"[PERSONNE_1]"})
    assert infer_roles(after.text, after.turns, after.interviewers) == {
        "[PERSONNE_1]": Role.INTERVIEWER,
        "[PERSONNE_2]": Role.RESPONDENT,
    }


def test_roles_and_turns_survive_on_the_demo_corpus(tmp_path: Path) -> None:
    files = sorted(p for p in (REPO / "corpora" / "demo").iterdir() if p.suffix in {".txt", ".md", ".vtt", ".srt"})
    parsed = [read_transcript(f) for f in files]
    after = pseudonymize_transcripts(parsed, allow=set(), mapping_path=tmp_path / "m.json", recognizer=FakeRecognizer())
    for old, new in zip(parsed, after, strict=True):
        assert len(new.turns) == len(old.turns)
        roles_old = infer_roles(old.text, old.turns, old.interviewers)
        roles_new = infer_roles(new.text, new.turns, new.interviewers)
        labels = {t.speaker: n.speaker for t, n in zip(old.turns, new.turns, strict=True)}
        assert {labels[k]: v for k, v in roles_old.items()} == roles_new
        for t in new.turns:
            assert 0 <= t.start <= t.end <= len(new.text)


def test_the_table_cannot_be_the_project(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        pseudonymize_transcripts([], allow=set(), mapping_path=tmp_path / "etude.tzq")


# -- an existing project ---------------------------------------------------------------------
def build_project(tmp_path: Path) -> Path:
    project = tmp_path / "etude.tzq"
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "sylvie.txt", SYLVIE)
    write(folder / "karim.txt", KARIM)
    import_files(project, [folder], Segmenter(WholeTurnSplitter()))
    with ProjectStore(project) as store:
        segments = store.documents.segments(role=Role.RESPONDENT)
        store.codings.decide(segments[0].id, "F1", "alice", Status.ACCEPTED)
        store.codings.decide(segments[1].id, "F2", "alice", Status.REJECTED)
        store.codings.register_coder("ensemble@1", "model")
        store.codings.put_scores(
            "ensemble@1",
            {s.id: {"F3": 0.9} for s in segments},
            [Suggestion(s.id, "F3", 0.9, f"lexique : « {s.text[:12]} »") for s in segments],
        )
        store.memos.write("segment", str(segments[0].id), "alice", "Sylvie Carrère hésite : relancer Ginette.")
    return project


def snapshot(project: Path) -> tuple[list, int, int]:  # type: ignore[type-arg]
    with ProjectStore(project) as store:
        codings = sorted((c.segment_id, c.code_id, c.origin, c.status.value) for c in store.codings.list())
        return codings, len(store.codings.audit()), store.documents.count_segments()


def file_bytes(project: Path) -> bytes:
    return b"".join(p.read_bytes() for p in project.parent.glob(project.name + "*"))


def test_a_project_is_pseudonymised_in_place(tmp_path: Path) -> None:
    project = build_project(tmp_path)
    codings, audit, count = snapshot(project)
    assert b"Carr\xc3\xa8re" in file_bytes(project)
    report = pseudonymize_project(project, recognizer=FakeRecognizer(NER))
    assert report.documents == 2 and report.mapping == tmp_path / "etude.pseudonymes.json"
    assert report.replacements["PERSONNE"] >= 6
    after_codings, after_audit, after_count = snapshot(project)
    assert after_codings == codings and after_count == count  # decisions and suggestions still attached
    assert after_audit == audit + 1  # the run is in the audit log
    with ProjectStore(project) as store:
        assert store.integrity_check() == "ok"
        for doc in store.documents.list():
            assert not any(name in doc.text for name in NAMES)
            for seg in store.documents.segments(document_id=doc.id):
                assert doc.text[seg.start : seg.end] == seg.text
        sylvie = next(k for k, v in store.documents.find("sylvie.txt").speakers.items() if v == "respondent")
        assert sylvie.startswith("[PERSONNE_")
        [memo] = store.memos.list()
        assert memo.text.startswith(f"{sylvie} hésite : relancer [PERSONNE_") and "Ginette" not in memo.text
    raw = file_bytes(project)
    for name in NAMES:
        assert name.encode("utf-8") not in raw, name  # not left in free pages or the WAL either
    assert stat.S_IMODE(report.mapping.stat().st_mode) == 0o600
    again = pseudonymize_project(project, recognizer=FakeRecognizer(NER))
    assert again.documents == 0 and snapshot(project)[0] == codings


def test_the_cached_engines_of_the_project_models_are_forgotten(tmp_path: Path) -> None:
    """A fitted engine keeps its training texts (the analysts' decided segments): the user's
    cache must not keep the original names once the project is pseudonymised."""
    from tzcld_qual.services import engine_cache

    project = build_project(tmp_path)
    with ProjectStore(project) as store:
        store.runs.register(NewRun("ensemble", "fp-of-this-project", 1, {}))
    engine_cache.save("fp-of-this-project", {"train_texts": ["Sylvie Carrère hésite"]})
    engine_cache.save("fp-of-another-project", {"train_texts": ["autre"]})
    pseudonymize_project(project, recognizer=FakeRecognizer(NER))
    assert not engine_cache.has("fp-of-this-project")
    assert engine_cache.has("fp-of-another-project")


def test_a_projects_placeholders_are_never_handed_out_again_without_its_table(tmp_path: Path) -> None:
    """A copied project without its table: « Ginette Dupuis » became the [PERSONNE_1] that already
    meant Sylvie in the other documents."""
    first = pseudonymize_transcripts(
        transcripts(tmp_path)[:1], allow=set(), mapping_path=tmp_path / "m.json", recognizer=FakeRecognizer(NER)
    )
    [karim] = pseudonymize_transcripts(
        transcripts(tmp_path)[1:],
        allow=set(),
        mapping_path=tmp_path / "autre.json",  # a fresh table
        recognizer=FakeRecognizer(NER),
        taken=[first[0].text],
    )
    used = set(re.findall(r"\[PERSONNE_\d+\]|\[LIEU_\d+\]", first[0].text))
    assert used and not used & set(re.findall(r"\[PERSONNE_\d+\]|\[LIEU_\d+\]", karim.text))


def test_an_attribute_files_territories_are_kept_in_every_form(tmp_path: Path) -> None:
    """With `import --attributes … --pseudonymize`, "Saint-Aubin" became [LIEU_1] while its full
    name "Saint-Aubin-les-Forges" stayed: the territory is no secret, and is an attribute anyway."""
    text = "Q : D'où ?\n\nR : J'habite Saint-Aubin depuis toujours, à Saint-Aubin-les-Forges, près de Montbazin.\n"
    [after] = pseudonymize_transcripts(
        [read_transcript(write(tmp_path / "t.txt", text))],
        allow=set(),
        mapping_path=tmp_path / "m.json",
        recognizer=FakeRecognizer({"Saint-Aubin": "LOC", "Saint-Aubin-les-Forges": "LOC", "Montbazin": "LOC"}),
        territories=["Saint-Aubin-les-Forges"],
    )
    assert "J'habite Saint-Aubin depuis toujours, à Saint-Aubin-les-Forges, près de [LIEU_1]." in after.text


def test_the_original_file_re_imported_into_a_pseudonymised_project_is_refused(tmp_path: Path) -> None:
    """It became the current version and put every name back in clear, without a word."""
    project = build_project(tmp_path)
    pseudonymize_project(project, recognizer=FakeRecognizer(NER))
    before = file_bytes(project)
    with pytest.raises(InputError) as refused:
        import_files(project, [tmp_path / "in" / "sylvie.txt"], Segmenter(WholeTurnSplitter()))
    assert "est pseudonymisé dans le projet" in refused.value.problem and "--pseudonymize" in str(refused.value.fix)
    assert file_bytes(project) == before  # nothing written
    with ProjectStore(project) as store:
        assert not any(name in doc.text for doc in store.documents.list() for name in NAMES)


def test_attributes_that_identify_the_person_leave_a_pseudonymised_project(tmp_path: Path) -> None:
    """A header « nom: Sylvie Carrère » stayed in clear beside the pseudonymised text."""
    project = tmp_path / "etude.tzq"
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "sylvie.txt", SYLVIE.replace("---\n", "---\nnom: Sylvie Carrère\ntéléphone: 06 71 23 45 90\n", 1))
    import_files(project, [folder], Segmenter(WholeTurnSplitter()))
    with ProjectStore(project) as store:
        assert store.documents.list()[0].attributes["nom"] == "Sylvie Carrère"
    pseudonymize_project(project, recognizer=FakeRecognizer(NER))
    with ProjectStore(project) as store:
        (document,) = store.documents.list()
        assert dict(document.attributes) == {"territory": "Les Coteaux-sur-Loire"}
        assert store.documents.sources(document.id).header == {"territory": "Les Coteaux-sur-Loire"}
    raw = file_bytes(project)
    assert b"Carr\xc3\xa8re" not in raw and b"06 71 23 45 90" not in raw


def test_attributes_named_in_other_words_leave_a_pseudonymised_project_too(tmp_path: Path) -> None:
    """« Prénom Nom », « Adresse postale », « Téléphone portable », « E-mail perso », « nom_prenom »
    were recognised in none of their forms: kept in clear by ``pseudonymize``, then in every export."""
    project = tmp_path / "etude.tzq"
    folder = tmp_path / "in"
    folder.mkdir()
    header = "---\nPrénom Nom: Sylvie CARRÈRE\nAdresse postale: 12 rue des Lilas, 49000 Angers\n"
    write(folder / "sylvie.txt", SYLVIE.replace("---\n", header, 1))
    csv = write(
        tmp_path / "attributs.csv",
        "fichier;Téléphone portable;E-mail perso;nom_prenom;vague\n"
        "sylvie.txt;07 77 66 55 44;s.carrere49@gmail.com;Sylvie CARRÈRE;vague 2\n",
    )
    import_files(project, [folder], Segmenter(WholeTurnSplitter()), attributes_csv=csv)
    pseudonymize_project(project, recognizer=FakeRecognizer(NER))
    with ProjectStore(project) as store:
        (document,) = store.documents.list()
        assert dict(document.attributes) == {"territory": "Les Coteaux-sur-Loire", "round": "vague 2"}
    raw = file_bytes(project)
    for secret in ("CARRÈRE", "Lilas", "07 77 66 55 44", "carrere49"):
        assert secret.encode() not in raw


def test_document_names_that_hold_a_replaced_name_are_reported(tmp_path: Path) -> None:
    """« ent-moreau.txt » kept the surname the texts had replaced, in every citation and export."""
    project = build_project(tmp_path)  # sylvie.txt and karim.txt
    report = pseudonymize_project(project, recognizer=FakeRecognizer(NER))
    with ProjectStore(project) as store:
        labels = {
            d.name: next(iter(k for k, v in d.speakers.items() if v == "respondent")) for d in store.documents.list()
        }
    assert [(n.document, n.name, n.placeholder) for n in report.named_documents] == [
        ("karim.txt", "karim", labels["karim.txt"]),
        ("sylvie.txt", "sylvie", labels["sylvie.txt"]),
    ]
    warning = report.named_documents[1].warning()
    assert "sylvie.txt : le nom du document contient « sylvie »" in warning and "Renommez le fichier" in warning
    # at import: the table in hand, a name of two words, a file name in other case and separators
    pseudonymize_transcripts(
        transcripts(tmp_path)[:1], allow=set(), mapping_path=tmp_path / "m.json", recognizer=FakeRecognizer(NER)
    )
    found = documents_named_after_people(
        ["Ent_CARRÈRE-Sylvie.docx", "ent-07.txt", "Montbazin.txt"], tmp_path / "m.json"
    )
    assert [(n.document, n.name) for n in found] == [
        ("Ent_CARRÈRE-Sylvie.docx", "CARRÈRE"),
        ("Ent_CARRÈRE-Sylvie.docx", "Sylvie"),
        ("Montbazin.txt", "Montbazin"),
    ]


def _refused(*_args: object, **_kwargs: object) -> int:
    raise sqlite3.OperationalError("attempt to write a readonly database")


def test_a_failed_run_leaves_no_table_of_real_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only project: nothing pseudonymised, but a new etude.pseudonymes.json of real names stayed."""
    from tzcld_qual.store.pseudonyms import PseudonymRewriter

    project = build_project(tmp_path)
    before = file_bytes(project)
    monkeypatch.setattr(PseudonymRewriter, "apply", _refused)
    with pytest.raises(ProjectError) as caught:
        pseudonymize_project(project, recognizer=FakeRecognizer(NER))
    table = tmp_path / "etude.pseudonymes.json"
    assert not table.exists() and not list(tmp_path.glob(".etude.pseudonymes.json*"))
    assert "le projet est en lecture seule" in str(caught.value)
    assert f"la table des pseudonymes {table} que cette exécution avait créée a été retirée" in str(caught.value)
    assert file_bytes(project) == before


def test_a_failed_run_puts_the_previous_table_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tzcld_qual.store.pseudonyms import PseudonymRewriter

    project = build_project(tmp_path)
    table = write(tmp_path / "etude.pseudonymes.json", '{"format": "tzcld-qual-pseudonymes", "entities": []}')
    table.chmod(0o600)
    previous = table.read_bytes()
    monkeypatch.setattr(PseudonymRewriter, "apply", _refused)
    with pytest.raises(ProjectError, match="est restée comme avant"):
        pseudonymize_project(project, recognizer=FakeRecognizer(NER))
    assert table.read_bytes() == previous and stat.S_IMODE(table.stat().st_mode) == 0o600


def test_a_failed_import_with_pseudonymisation_leaves_no_table_of_real_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table is saved before the project is written: a failed write left it on disk, real
    names for placeholders no project holds."""
    from tzcld_qual.services import importing, privacy
    from tzcld_qual.services.importing import Pseudonymization

    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "sylvie.txt", SYLVIE)
    monkeypatch.setattr(privacy, "SpacyRecognizer", lambda: FakeRecognizer(NER))
    monkeypatch.setattr(importing, "_write", _refused)
    with pytest.raises(sqlite3.OperationalError):
        import_files(tmp_path / "etude.tzq", [folder], Segmenter(WholeTurnSplitter()), pseudonymize=Pseudonymization())
    assert not (tmp_path / "etude.pseudonymes.json").exists() and not (tmp_path / "etude.tzq").exists()


def test_initials_in_two_interviews_stay_two_people_at_import_and_in_a_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """« Mme D. » of demo-07, demo-13, demo-23 and r2-02 all became « Mme [PERSONNE_18] »."""
    from tzcld_qual.services import privacy
    from tzcld_qual.services.importing import Pseudonymization

    interview = "E : Bonjour.\n\nMme D. : Bonjour, {}.\n"
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        for name in ("ent-1.txt", "ent-2.txt"):
            write(tmp_path / folder / name, interview.format(name))
    monkeypatch.setattr(privacy, "SpacyRecognizer", lambda: FakeRecognizer())
    imported = tmp_path / "importe.tzq"
    import_files(imported, [tmp_path / "a"], Segmenter(WholeTurnSplitter()), pseudonymize=Pseudonymization())
    project = tmp_path / "etude.tzq"
    import_files(project, [tmp_path / "b"], Segmenter(WholeTurnSplitter()))
    pseudonymize_project(project, recognizer=FakeRecognizer())
    for path in (imported, project):
        with ProjectStore(path) as store:
            labels = [sorted(d.speakers) for d in store.documents.list()]
        assert labels[0] != labels[1] and all(label[1].startswith("Mme [PERSONNE_") for label in labels), labels


ATTRIBUTES = "---\nterritory: Les Coteaux-sur-Loire\nebe: Delaunay Frères\nmandate: maire de Montbazin\n"
ATTRIBUTES_CSV = (
    "fichier;role;vague;structure;tranche_age\nsylvie.txt;salariée EBE;vague 1;Delaunay Frères, atelier;45-54\n"
)
ATTRIBUTES_AFTER = {
    "territory": "Les Coteaux-sur-Loire",
    "ebe": "[ORGANISATION_1]",
    "mandate": "maire de [LIEU_1]",
    "role": "salariée EBE",
    "round": "vague 1",
    "structure": "[ORGANISATION_1], atelier",
    "tranche_age": "45-54",
}


def test_names_in_attributes_are_replaced_as_in_the_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """« ebe : Vallon Actif » and « mandate : maire de Prébois » stayed in clear beside texts that
    said [ORGANISATION_3] and [LIEU_25], and so in REFI-QDA's cases and the workbook's cross-tables.
    Free-text attributes are pseudonymised like the text, with the same placeholders; role, round,
    territory and date stay as they are. In ``pseudonymize`` and at ``import --pseudonymize``."""
    from tzcld_qual.services import privacy
    from tzcld_qual.services.importing import Pseudonymization

    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "sylvie.txt", SYLVIE.replace("---\nterritory: Les Coteaux-sur-Loire\n", ATTRIBUTES, 1))
    csv = write(tmp_path / "attributs.csv", ATTRIBUTES_CSV)
    project = tmp_path / "etude.tzq"
    import_files(project, [folder], Segmenter(WholeTurnSplitter()), attributes_csv=csv)
    report = pseudonymize_project(project, recognizer=FakeRecognizer(NER))
    assert report.attributes == 1
    monkeypatch.setattr(privacy, "SpacyRecognizer", lambda: FakeRecognizer(NER))
    imported = tmp_path / "importe.tzq"
    import_files(
        imported, [folder], Segmenter(WholeTurnSplitter()), attributes_csv=csv, pseudonymize=Pseudonymization()
    )
    for path in (project, imported):
        with ProjectStore(path) as store:
            (document,) = store.documents.list()
            assert "J'étais chez [ORGANISATION_1]" in document.text and "à [LIEU_1]" in document.text
            assert dict(document.attributes) == ATTRIBUTES_AFTER
            sources = store.documents.sources(document.id)
            assert sources.header is not None and sources.header["mandate"] == "maire de [LIEU_1]"
            assert sources.given is not None and sources.given["structure"] == "[ORGANISATION_1], atelier"
        raw = file_bytes(path)
        assert b"Delaunay" not in raw and b"Montbazin" not in raw, path


def test_a_report_can_say_whether_its_texts_are_pseudonymised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports quoted texts without saying whether names were replaced."""
    from tzcld_qual.services import privacy
    from tzcld_qual.services.importing import Pseudonymization
    from tzcld_qual.services.privacy import pseudonymisation_status

    project = build_project(tmp_path)
    with ProjectStore(project) as store:
        before = pseudonymisation_status(store)
    assert (before.pseudonymised, before.at, before.placeholders, before.documents, before.total) == (
        False,
        None,
        0,
        0,
        2,
    )
    assert before.sentence().startswith("Textes non pseudonymisés")
    pseudonymize_project(project, recognizer=FakeRecognizer(NER))
    with ProjectStore(project) as store:
        after = pseudonymisation_status(store)
        texts = [d.text for d in store.documents.list()]
        [run] = [e.at for e in store.codings.audit() if e.action == "pseudonymize"]
    assert after.pseudonymised and after.at == run and (after.documents, after.total) == (2, 2)
    assert after.replacements == sum(len(re.findall(r"\[[A-Z_]+_\d+\]", t)) for t in texts) >= 6
    assert after.placeholders == len({p for t in texts for p in re.findall(r"\[[A-Z_]+_\d+\]", t)})
    assert after.sentence() == (
        f"Textes pseudonymisés ({run[8:10]}/{run[5:7]}/{run[:4]}) : {after.placeholders} marqueurs "
        f"([PERSONNE_1], [LIEU_2]…) remplacent noms, lieux et structures, {after.replacements} fois, "
        "dans 2 documents sur 2."
    )
    # pseudonymised at import: no run in the audit log, the import's time instead
    monkeypatch.setattr(privacy, "SpacyRecognizer", lambda: FakeRecognizer(NER))
    imported = tmp_path / "importe.tzq"
    import_files(imported, [tmp_path / "in"], Segmenter(WholeTurnSplitter()), pseudonymize=Pseudonymization())
    with ProjectStore(imported) as store:
        status = pseudonymisation_status(store)
        last = max(d.imported_at for d in store.documents.list())
    assert status.pseudonymised and status.at == last and status.documents == 2
