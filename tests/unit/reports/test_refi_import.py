"""REFI-QDA import (.qdpx → new project): round trip with our export, and files from other tools."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from refi_fixture import LEXICON, MODEL, build_refi_project

from tzcld_qual.errors import InputError, ProjectError
from tzcld_qual.model import NO_CODE, Role, Status
from tzcld_qual.reports.refi import export_qdpx
from tzcld_qual.reports.refi.qdpx_import import NO_SCORE, is_model_name
from tzcld_qual.services import interop
from tzcld_qual.store import CodingFilter, ProjectStore


def snapshot(path: Path) -> dict[str, object]:
    """Everything the round trip must keep, keyed by names and offsets (not database ids)."""
    with ProjectStore(path) as store:
        documents = {d.id: d for d in store.documents.list()}
        segments = {s.id: s for s in store.documents.segments()}
        codebook = store.codebooks.get()

        def where(segment_id: int) -> tuple[str, int, int]:
            s = segments[segment_id]
            return (documents[s.document_id].name, s.start, s.end)

        def target(memo) -> str:
            if memo.target == "segment":
                return str(where(int(memo.target_id)))
            if memo.target == "document":
                return documents[int(memo.target_id)].name
            return memo.target_id

        return {
            "texts": {d.name: d.text for d in documents.values()},
            "attributes": {d.name: dict(d.attributes) for d in documents.values()},
            "speakers": {d.name: dict(d.speakers) for d in documents.values()},
            "segments": sorted(
                (documents[s.document_id].name, s.start, s.end, s.turn, s.speaker, s.role.value, s.text)
                for s in segments.values()
            ),
            "codes": [
                (
                    c.id,
                    c.parent,
                    c.label,
                    c.color,
                    c.definition,
                    c.finding,
                    c.inclusion,
                    c.exclusion,
                    c.expressions,
                    c.examples,
                    c.negatives,
                )
                for c in codebook.codes
            ],
            "codebook": (codebook.name, codebook.description, codebook.language),
            "codings": sorted(
                (*where(c.segment_id), c.code_id, c.origin, c.status.value, c.confidence, c.explanation)
                for c in store.codings.list(CodingFilter())
            ),
            "coders": sorted((n, store.codings.coder_kind(n)) for n in store.codings.coders()),
            # every segment a model read, suggestion or not: agreement with it, the uncertainty queue
            "scored": sorted(
                (model, *where(segment_id), sorted(scores.items()))
                for model in store.codings.coders("model")
                for segment_id, scores in store.codings.scores(model).items()
            ),
            "memos": sorted((m.target, target(m), m.coder, m.text, m.created_at) for m in store.memos.list()),
            # « relu, aucun code »: not a coding, kept beside them with its analyst and date
            "marks": sorted(
                (*where(segment_id), coder, at) for (segment_id, coder), at in store.codings.no_code_dates().items()
            ),
            "current_model": store.meta("current_model"),
            # its thresholds: the uncertainty queue and the chat measure suggestions against them
            "runs": sorted(
                (r["id"], r["kind"], r["params"].get("thresholds"), r["metrics"], r["created_at"])
                for r in store.runs.list()
            ),
        }


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, Path]:
    fixture = build_refi_project(tmp_path / "mini.tzq")
    with ProjectStore(fixture.path) as store:
        export_qdpx(store, store.codebooks.get(), tmp_path / "mini.qdpx", suggestions="all")
    return fixture.path, tmp_path / "mini.qdpx"


def test_round_trip_keeps_texts_codes_codings_and_offsets(exported, tmp_path):
    original, qdpx = exported
    target, summary = interop.import_qdpx(qdpx, tmp_path / "back.tzq")
    assert target == tmp_path / "back.tzq"
    before, after = snapshot(original), snapshot(target)
    for key in before:
        assert after[key] == before[key], key
    assert summary.documents == 2 and summary.segments == 7 and summary.codes == 4
    assert summary.decisions == 7 and summary.suggestions == 5 and summary.memos == 4
    assert summary.coders == {"alice": "human", "bruno": "human", MODEL: "model", LEXICON: "model"}
    assert summary.warnings == ()


def test_round_trip_keeps_no_code_marks_with_their_analyst(tmp_path):
    """« Relu, aucun code » marks come back from our own file: a blind analyst's (no decision
    row beside it) and one beside a rejection; logged as imported decisions are."""
    fixture = build_refi_project(tmp_path / "mini.tzq")
    with ProjectStore(fixture.path) as store:
        store.codings.decide(fixture.seg["a2"].id, NO_CODE, "alice", Status.ACCEPTED)  # beside her F2 rejection
        store.codings.decide(fixture.seg["b2"].id, NO_CODE, "carla", Status.ACCEPTED)  # blind: the mark only
        store.codings.decide(fixture.seg["a3"].id, NO_CODE, "carla", Status.ACCEPTED)
        export_qdpx(store, store.codebooks.get(), tmp_path / "mini.qdpx", suggestions="all")
    target, summary = interop.import_qdpx(tmp_path / "mini.qdpx", tmp_path / "back.tzq")
    before, after = snapshot(fixture.path), snapshot(target)
    assert len(before["marks"]) == 3
    for key in before:
        assert after[key] == before[key], key
    assert summary.marks == 3 and summary.decisions == 7
    assert summary.coders["carla"] == "human"
    with ProjectStore(target) as store:
        logged = [(d.action, d.code_id, d.after) for d in store.codings.audit(coder="carla")]
        assert logged == [("import", NO_CODE, "accepted")] * 2
        assert not store.codings.can_undo("carla")


def test_the_imported_model_is_current_with_its_thresholds(exported, tmp_path):
    """The review queue measures against the model's thresholds (0.5 otherwise), and `code`
    finds every segment already scored by the current model: nothing to fit."""
    from tzcld_qual.services.coding import code_project
    from tzcld_qual.services.review import ReviewSession

    _original, qdpx = exported
    target, _ = interop.import_qdpx(qdpx, tmp_path / "back.tzq")
    session = ReviewSession(target, "alice")
    try:
        assert session.thresholds() == {"F1": 0.62, "F2": 0.35}
    finally:
        session.close()
    report = code_project(target)
    assert (report.model, report.new_model, report.scored) == (MODEL, False, 0)


def test_imported_decisions_are_import_events_not_undoable(exported, tmp_path):
    _original, qdpx = exported
    target, _ = interop.import_qdpx(qdpx, tmp_path / "back.tzq")
    with ProjectStore(target) as store:
        actions = {d.action for d in store.codings.audit(coder="alice")}
        assert "import" in actions and "decide" not in actions
        assert not store.codings.can_undo("alice")
        assert len(store.codings.human("alice")) == 6


def test_default_project_path_and_existing_project(exported):
    original, qdpx = exported
    with pytest.raises(ProjectError, match="existe déjà"):
        interop.import_qdpx(qdpx)  # mini.qdpx -> mini.tzq, the original project
    copy = qdpx.with_name("copie.qdpx")
    copy.write_bytes(qdpx.read_bytes())
    target, _ = interop.import_qdpx(copy)
    assert target == qdpx.with_name("copie.tzq") and target.exists()
    assert snapshot(target)["texts"] == snapshot(original)["texts"]


def test_a_folder_a_text_file_and_a_name_without_tzq_are_said_as_such(exported, tmp_path):
    """A folder was « le projet existe déjà », and ``new.txt`` became a project without a word."""
    _original, qdpx = exported
    folder = tmp_path / "dossier"
    folder.mkdir()
    with pytest.raises(ProjectError, match="c'est un dossier, pas un fichier projet") as said:
        interop.import_qdpx(qdpx, folder)
    assert str(folder / "mini.tzq") in str(said.value)  # the path to give instead
    notes = tmp_path / "notes.txt"
    notes.write_text("mes notes", encoding="utf-8")
    with pytest.raises(ProjectError, match="n'est pas un projet tzcld-qual ; il n'a pas été modifié"):
        interop.import_qdpx(qdpx, notes)
    assert notes.read_text(encoding="utf-8") == "mes notes" and list(folder.iterdir()) == []
    target, summary = interop.import_qdpx(qdpx, tmp_path / "new.txt")  # as init and import: created
    assert target.is_file()
    assert "n'a pas l'extension .tzq" in summary.warnings[0] and "(new.tzq)" in summary.warnings[0]


def test_a_failed_import_leaves_no_project(exported, tmp_path, monkeypatch):
    _original, qdpx = exported

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(interop, "write_plan", broken)
    with pytest.raises(RuntimeError):
        interop.import_qdpx(qdpx, tmp_path / "broken.tzq")
    assert not list(tmp_path.glob("broken.tzq*"))
    not_zip = tmp_path / "bad.qdpx"
    not_zip.write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match="zip"):
        interop.import_qdpx(not_zip, tmp_path / "bad.tzq")
    assert not list(tmp_path.glob("bad.tzq*"))


FOREIGN_TEXT = (
    "Q : Comment ça va ?\nR : Ça va bien. Je suis fière.\nJe travaille.\nQ : Et la confiance ?\n"
    "R : Oui, beaucoup plus.\n"
)
PRIDE = FOREIGN_TEXT.index("Je suis fière.")
YES = FOREIGN_TEXT.index("Oui, beaucoup plus.")
G = "a1b2c3d4-0000-0000-0000-0000000000{:02d}".format
FOREIGN_QDE = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Etude voisine" origin="QualCoder">
  <Users>
    <User guid="{G(1)}" name="Marie Dupont"/>
    <User guid="{G(2)}" name="marie@univ.fr"/>
    <User guid="{G(3)}" name="lexicon@2"/>
  </Users>
  <CodeBook><Codes>
    <Code guid="{G(10)}" name="Confiance" isCodable="true" color="#123456">
      <Description>Parole sur la confiance.</Description>
      <NoteRef targetGUID="{G(42)}"/>
      <Code guid="{G(11)}" name="Fierté" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="{G(20)}" name="Rôle" typeOfVariable="Text"/>
    <Variable guid="{G(21)}" name="Âge" typeOfVariable="Integer"/>
    <Variable guid="{G(22)}" name="Territoire" typeOfVariable="Text"/>
  </Variables>
  <Cases>
    <Case guid="{G(30)}" name="Personne 1">
      <VariableValue><VariableRef targetGUID="{G(20)}"/><TextValue>salariée</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{G(21)}"/><IntegerValue>52</IntegerValue></VariableValue>
      <SourceRef targetGUID="{{{G(50).upper()}}}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{G(50)}" name="entretien.txt" plainTextPath="internal://{G(50)}.txt">
      <PlainTextSelection guid="{G(60)}" startPosition="{PRIDE}" endPosition="{PRIDE + 14}" creatingUser="{G(1)}">
        <Coding guid="{G(70)}" creatingUser="{G(1)}"><CodeRef targetGUID="{G(11)}"/></Coding>
        <NoteRef targetGUID="{G(40)}"/>
      </PlainTextSelection>
      <PlainTextSelection guid="{G(61)}" startPosition="{YES}" endPosition="{YES + 19}">
        <Coding guid="{G(71)}" creatingUser="{G(3)}"><CodeRef targetGUID="{G(10)}"/></Coding>
        <Coding guid="{G(72)}" creatingUser="{G(2)}"><CodeRef targetGUID="{G(10)}"/></Coding>
        <Coding guid="{G(73)}" creatingUser="{G(2)}"><CodeRef targetGUID="{G(99)}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{G(62)}" startPosition="5" endPosition="9999"/>
      <Coding guid="{G(74)}"><CodeRef targetGUID="{G(10)}"/></Coding>
      <VariableValue><VariableRef targetGUID="{G(22)}"/><TextValue>Nord</TextValue></VariableValue>
    </TextSource>
    <PDFSource guid="{G(51)}" name="rapport.pdf" path="internal://{G(51)}.pdf"/>
    <TextSource guid="{G(52)}" name="entretien.txt">
      <PlainTextContent>Une note de terrain.</PlainTextContent>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="{G(40)}" name="à revoir" creatingUser="{G(1)}">
      <PlainTextContent>Vérifier le contexte.</PlainTextContent></Note>
    <Note guid="{G(41)}" name="Journal" creatingUser="{G(1)}" creationDateTime="2025-03-04T10:20:30Z">
      <PlainTextContent>Journal de bord.</PlainTextContent></Note>
    <Note guid="{G(42)}" name="Code"><PlainTextContent>Définir mieux.</PlainTextContent></Note>
  </Notes>
</Project>
"""


@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    path = tmp_path / "voisine.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Etude voisine.qde", FOREIGN_QDE)
        archive.writestr(f"Sources/{G(50)}.txt", "\ufeff".encode() + FOREIGN_TEXT.encode("utf-8"))
    return path


def test_a_foreign_project_is_imported_with_the_documented_rules(foreign, tmp_path):
    target, summary = interop.import_qdpx(foreign, tmp_path / "voisine.tzq")
    with ProjectStore(target) as store:
        documents = {d.name: d for d in store.documents.list()}
        assert sorted(documents) == ["entretien (2).txt", "entretien.txt"]
        main = documents["entretien.txt"]
        assert main.text == FOREIGN_TEXT  # byte-order mark dropped, nothing else changed
        assert dict(main.attributes) == {"role": "salariée", "Âge": "52", "territory": "Nord"}
        assert dict(main.speakers) == {"Q": "interviewer", "R": "respondent"}
        segments = store.documents.segments(document_id=main.id)
        assert [(s.text, s.speaker, s.role) for s in segments] == [
            ("Comment ça va ?", "Q", Role.INTERVIEWER),
            ("Ça va bien.", "R", Role.RESPONDENT),
            ("Je suis fière.", "R", Role.RESPONDENT),
            ("Je travaille.", "R", Role.RESPONDENT),
            ("Et la confiance ?", "Q", Role.INTERVIEWER),
            ("Oui, beaucoup plus.", "R", Role.RESPONDENT),
        ]
        assert all(main.text[s.start : s.end] == s.text for s in segments)
        rows = {
            (store.documents.segment(c.segment_id).text, c.code_id, c.origin): c
            for c in store.codings.list(CodingFilter())
        }
        assert sorted(rows) == [
            ("Je suis fière.", "Confiance.Fierte", "Marie Dupont"),
            ("Oui, beaucoup plus.", "Confiance", "lexicon@2"),
            ("Oui, beaucoup plus.", "Confiance", "marie@univ.fr"),
        ]
        assert rows[("Je suis fière.", "Confiance.Fierte", "Marie Dupont")].status is Status.MANUAL
        assert rows[("Oui, beaucoup plus.", "Confiance", "marie@univ.fr")].status is Status.ACCEPTED  # as the model
        suggestion = rows[("Oui, beaucoup plus.", "Confiance", "lexicon@2")]
        assert (suggestion.status, suggestion.confidence, suggestion.explanation) == (Status.SUGGESTED, None, NO_SCORE)
        assert store.codings.coder_kind("lexicon@2") == "model"
        assert store.meta("current_model") == "lexicon@2"  # else reports counted none of its suggestions
        assert store.codings.coder_kind("marie@univ.fr") == "human"
        codebook = store.codebooks.get()
        assert [(c.id, c.parent, c.label, c.color) for c in codebook.codes] == [
            ("Confiance", None, "Confiance", "#123456"),
            ("Confiance.Fierte", "Confiance", "Fierté", "#888888"),
        ]
        pride = next(s for s in segments if s.text == "Je suis fière.")
        memos = {(m.target, m.target_id, m.coder, m.text) for m in store.memos.list()}
        assert memos == {
            ("segment", str(pride.id), "Marie Dupont", "Vérifier le contexte."),
            ("project", "", "Marie Dupont", "Journal de bord."),
            ("code", "Confiance", "import-refi", "Définir mieux."),
        }
        journal = next(m for m in store.memos.list() if m.target == "project")
        assert journal.created_at == "2025-03-04T10:20:30.000000+00:00"  # the note's date, not the import's
        assert documents["entretien (2).txt"].text == "Une note de terrain."
    assert summary.to_complete == ("Confiance.Fierte",)
    warnings = " | ".join(summary.warnings)
    assert "1 source(s) non textuelle(s)" in warnings
    assert "1 codage(s) sur des codes absents" in warnings
    assert "« entretien.txt » : 1 sélection(s) hors du texte (" in warnings  # which source: where to look
    assert "1 codage(s) de sources entières" in warnings
    assert "« lexicon@2 » pris pour le modèle courant : ses suggestions (1) comptent comme non revues" in warnings


def test_a_passage_coded_across_speaker_turns_is_cut_at_the_turns(tmp_path):
    """Another tool's passage from an answer into the next question became one segment of the
    respondent's, quoted by reports with the interviewer's question inside it."""
    start, end = FOREIGN_TEXT.index("Je travaille."), FOREIGN_TEXT.index("beaucoup")
    crossing = (
        f'<PlainTextSelection guid="{G(63)}" startPosition="{start}" endPosition="{end}" creatingUser="{G(1)}">'
        f'<Coding guid="{G(75)}" creatingUser="{G(1)}"><CodeRef targetGUID="{G(10)}"/></Coding></PlainTextSelection>'
    )
    qde = FOREIGN_QDE.replace(f'<PlainTextSelection guid="{G(62)}"', crossing + f'<PlainTextSelection guid="{G(62)}"')
    path = tmp_path / "voisine.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Etude voisine.qde", qde)
        archive.writestr(f"Sources/{G(50)}.txt", FOREIGN_TEXT.encode("utf-8"))
    target, summary = interop.import_qdpx(path, tmp_path / "voisine.tzq")
    with ProjectStore(target) as store:
        main = next(d for d in store.documents.list() if d.name == "entretien.txt")
        segments = store.documents.segments(document_id=main.id)
        for segment in segments:  # one speaker's words each: no label, no other turn inside
            assert "\n" not in segment.text and not segment.text.startswith(("Q :", "R :")), segment.text
        coded = sorted(
            (store.documents.segment(c.segment_id).text, store.documents.segment(c.segment_id).speaker)
            for c in store.codings.list(CodingFilter(origin="Marie Dupont", code="Confiance"))
            if c.code_id == "Confiance"
        )
    assert coded == [("Et la confiance ?", "Q"), ("Je travaille.", "R"), ("Oui,", "R")]
    assert "1 passage(s) codé(s) à cheval sur plusieurs tours de parole, coupé(s) aux tours (3 morceaux" in " ".join(
        summary.warnings
    )


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("ensemble@3", True),
        ("lexicon@v2", True),
        ("usem3@2024-01", True),
        ("alice", False),
        ("alice@univ.fr", False),
        ("Marie Dupont", False),
        ("a@b", False),
    ],
)
def test_model_user_names(name, model):
    assert is_model_name(name) is model


def test_archive_without_project_file(tmp_path):
    path = tmp_path / "empty.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "nothing")
    with pytest.raises(InputError, match=r"\.qde"):
        interop.import_qdpx(path)
    assert not path.with_suffix(".tzq").exists()


def test_damaged_archives_say_so(exported, tmp_path):
    """A cut copy and a flipped byte were "not a REFI-QDA archive" and a traceback."""
    _original, qdpx = exported
    data = qdpx.read_bytes()
    cut = tmp_path / "cut.qdpx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="archive incomplète ou endommagée"):
        interop.import_qdpx(cut, tmp_path / "cut.tzq")
    with zipfile.ZipFile(qdpx) as archive:
        member = next(i for i in archive.infolist() if i.filename.endswith(".qde"))
    damaged = bytearray(data)
    start = member.header_offset + 30 + len(member.filename.encode()) + len(member.extra)
    damaged[start + member.compress_size // 2] ^= 0xFF  # inside the compressed project.qde
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(bytes(damaged))
    with pytest.raises(InputError, match=r"archive endommagée : « .*project\.qde » ne se décompresse pas"):
        interop.import_qdpx(bad, tmp_path / "bad.tzq")
    with pytest.raises(InputError, match="c'est un dossier"):
        interop.import_qdpx(tmp_path, tmp_path / "dir.tzq")
    assert not [p for p in tmp_path.glob("*.tzq*") if p.name.startswith(("cut", "bad", "dir"))]


def test_a_source_missing_from_the_archive_says_what_is_lost(exported, tmp_path):
    """It said "ignorée" only: the document's coded passages went unmentioned."""
    _original, qdpx = exported
    trimmed = tmp_path / "trimmed.qdpx"
    with zipfile.ZipFile(qdpx) as source, zipfile.ZipFile(trimmed, "w") as target:
        dropped = next(i.filename for i in source.infolist() if i.filename.startswith("sources/"))
        for info in source.infolist():
            if info.filename != dropped:
                target.writestr(info, source.read(info))
    _path, summary = interop.import_qdpx(trimmed, tmp_path / "trimmed.tzq")
    (said,) = [w for w in summary.warnings if "sans texte lisible" in w]
    assert "fichier absent de l'archive) : ignorée, avec ses" in said and "passage(s) codé(s)" in said
    assert "réexportez le projet" in said


def test_a_round_trip_keeps_which_attribute_values_analysts_corrected(tmp_path):
    """The export did not say which values an analyst had corrected: re-importing the transcript
    into the imported project put the header's role back over the correction."""
    from tzcld_qual.segment import RuleSentenceSplitter, Segmenter
    from tzcld_qual.services import attributes
    from tzcld_qual.services.importing import import_files

    source, project = tmp_path / "martine.txt", tmp_path / "p.tzq"
    source.write_text(
        "---\nrôle: salarié·e EBE\nvague: vague 1\n---\nEnquêtrice : Et le CDI ?\n\nMartine : Oui, depuis deux ans.\n",
        encoding="utf-8",
    )
    segmenter = Segmenter(RuleSentenceSplitter())
    import_files(project, [source], segmenter)
    attributes.edit(project, ["martine"], {"role": "élu·e (maire)"}, [], "marie")
    with ProjectStore(project) as store:
        export_qdpx(store, store.codebooks.get(), tmp_path / "p.qdpx")
        before = store.documents.sources(store.documents.list()[0].id)
    back, _summary = interop.import_qdpx(tmp_path / "p.qdpx", tmp_path / "back.tzq")
    with ProjectStore(back) as store:
        assert store.documents.sources(store.documents.list()[0].id) == before
    (again,) = import_files(back, [source], segmenter)
    with ProjectStore(back) as store:
        (document,) = store.documents.list()
        assert dict(document.attributes) == {"role": "élu·e (maire)", "round": "vague 1"}
    assert "corrigé par un·e analyste" in " ".join(again.warnings)


def test_a_side_file_run_is_read_defensively():
    from tzcld_qual.reports.refi.qdpx_import import _Coders, _runs

    coders = _Coders({}, {"ensemble@4": "model", "alice": "human"})
    coders.add("ensemble@4"), coders.add("alice")
    runs = _runs(
        {
            "ensemble@4": {"thresholds": {"F1": 0.4, "F2": "0.3", "F3": 1.5, "F9": 0.2, "F4": True}, "metrics": []},
            "alice": {"thresholds": {"F1": 0.1}},  # an analyst has no run
            "ensemble@9": {"thresholds": {"F1": 0.1}},  # no such model in the file
        },
        coders,
        {"F1", "F2", "F3", "F4"},
    )
    assert list(runs) == ["ensemble@4"]
    assert runs["ensemble@4"].thresholds == {"F1": 0.4} and runs["ensemble@4"].metrics == {}
    assert runs["ensemble@4"].kind == "ensemble" and runs["ensemble@4"].created_at is None


def _without_side_file(qdpx: Path, out: Path, *, descriptions: bool = True) -> Path:
    """The archive as another tool writes it back: no ``tzcld-qual.json``; with ``descriptions``
    off, no selection description either (a tool that drops them)."""
    import re

    with zipfile.ZipFile(qdpx) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename == "tzcld-qual.json":
                continue
            data = source.read(info)
            if info.filename.endswith(".qde") and not descriptions:
                text = data.decode("utf-8")
                data = re.sub(
                    r"(<PlainTextSelection\b[^>]*>)\s*<Description>.*?</Description>", r"\1", text, flags=re.S
                ).encode("utf-8")
            target.writestr(info, data)
    return out


def _codings(path: Path) -> list[tuple[object, ...]]:
    """Each coding by its segment's text: a rebuilt segmentation gives other ids."""
    with ProjectStore(path) as store:
        return sorted(
            (
                store.documents.segment(c.segment_id).text,
                c.code_id,
                c.origin,
                c.status.value,
                c.confidence,
                c.explanation,  # its lines too
            )
            for c in store.codings.list(CodingFilter())
        )


def test_without_the_side_file_the_descriptions_give_back_decisions_and_scores(exported, tmp_path):
    """Back from NVivo or MAXQDA (no side file), every rejection was dropped (agreement went from
    κ 0.81 to 0.93), acceptances came back as codes added by hand and every suggestion with a
    confidence of 1.0: the export had written all of it in the selections' descriptions."""
    original, qdpx = exported
    target, summary = interop.import_qdpx(
        _without_side_file(qdpx, tmp_path / "nvivo.qdpx"), tmp_path / "back.tzq"
    )
    assert _codings(target) == _codings(original)
    assert summary.decisions == 7 and summary.suggestions == 5  # the withheld F2 .40 too
    assert snapshot(target)["codebook"] == snapshot(original)["codebook"]  # not the file's name
    warnings = " | ".join(summary.warnings)
    assert "sans score" not in warnings and "ni fichier tzcld-qual.json" not in warnings


def test_without_side_file_nor_descriptions_nothing_is_invented(exported, tmp_path):
    """Scores unknown are stored as unknown (no 1.00 that reports print and thresholds select);
    an analyst's code the model coded on the same selection is an acceptance; the loss is said."""
    from tzcld_qual.services.review import ReviewSession

    _original, qdpx = exported
    bare = _without_side_file(qdpx, tmp_path / "bare.qdpx", descriptions=False)
    target, summary = interop.import_qdpx(bare, tmp_path / "bare.tzq")
    rows = {(text[:9], code, who): (status, conf, why) for text, code, who, status, conf, why in _codings(target)}
    assert {k: v[0] for k, v in rows.items() if v[0] != "suggested"} == {
        ("Au comité", "F1", "alice"): "accepted",  # the model coded F1 here
        ("Au comité", "F1", "bruno"): "accepted",
        ("Au comité", "F1.cle", "alice"): "manual",
        ("J'ai fait", "F3", "alice"): "manual",  # accepted, but nothing left says so
        ("La mairie", "F1", "alice"): "accepted",
        ("La mairie", "F3", "alice"): "manual",
    }  # and alice's rejection of F2 is lost
    assert {v[1:] for v in rows.values() if v[0] == "suggested"} == {(None, NO_SCORE)}
    warnings = " | ".join(summary.warnings)
    assert "4 suggestion(s) de modèle sans score lisible dans le fichier : confiance inconnue" in warnings
    assert "les rejets des analystes sont perdus" in warnings
    with ProjectStore(target) as store:
        b2 = next(s for s in store.documents.segments() if s.text.startswith("Je me sens utile"))
        store.set_meta("current_model", MODEL)  # two models came back: the file does not say which
    session = ReviewSession(target, "carla")
    try:  # a suggestion without a score is still a suggestion: accepting it is an acceptance
        (chip,) = [c for c in session.views([b2.id])[0].pending if c.code_id == "F2"]
        assert chip.confidence is None and chip.suggested
        session.accept(b2.id, "F2")
    finally:
        session.close()
    with ProjectStore(target) as store:
        (mine,) = store.codings.human("carla")
        assert mine.status is Status.ACCEPTED


def test_a_rebuilt_segmentation_is_said(exported, tmp_path):
    """Segments cut anew get new ids: a report's « segment 1184 » pointed elsewhere, unsaid."""
    _original, qdpx = exported
    _target, summary = interop.import_qdpx(_without_side_file(qdpx, tmp_path / "n.qdpx"), tmp_path / "n.tzq")
    (said,) = [w for w in summary.warnings if "segmentation refaite" in w]
    assert f"{summary.segments} segments dans 2 document(s), numérotés à neuf" in said
    assert "citations « segment N »" in said
    _target, summary = interop.import_qdpx(qdpx, tmp_path / "same.tzq")
    assert not [w for w in summary.warnings if "segmentation refaite" in w]


def test_a_round_trip_keeps_the_agreement_of_two_analysts(tmp_path):
    """Imported suggestions were dated at the import, after every decision: none counted as seen,
    so a suggestion an analyst had left undecided became their « no » (on the demo, 13
    disagreements and κ 0,643 became 41 and κ 0,320); the retrain's acceptance rate lost them."""
    from tzcld_qual.services.agreement import agreement

    fixture = build_refi_project(tmp_path / "mini.tzq")
    with ProjectStore(fixture.path) as store:
        b2 = fixture.seg["b2"].id  # the model suggests F2 there
        store.codings.decide(b2, "F3", "alice", Status.MANUAL)  # F2 on screen, left undecided
        store.codings.decide(b2, "F2", "bruno", Status.ACCEPTED)
        reviewed = store.codings.reviewed_suggestions(MODEL)
        export_qdpx(store, store.codebooks.get(), tmp_path / "mini.qdpx", suggestions="all")
    target, _summary = interop.import_qdpx(tmp_path / "mini.qdpx", tmp_path / "back.tzq")

    def figures(path: Path) -> tuple[object, ...]:
        report = agreement(path, "alice", "bruno")
        rows = sorted((r.document, r.text, r.code, r.coder_a, r.coder_b) for r in report.disagreements)
        return report.result.units, report.result.kappa, report.result.left_open, rows

    assert figures(target) == figures(fixture.path)
    assert figures(fixture.path)[2] == 1  # alice's F2 left open, not a « no »
    with ProjectStore(target) as store:
        assert reviewed and store.codings.reviewed_suggestions(MODEL) == reviewed
