"""REFI-QDA project export (.qdpx): schema validity, exact texts and offsets, provenance, stability."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
import xmlschema
from lxml import etree
from refi_fixture import LEXICON, MODEL, build_refi_project

from tzcld_qual.model import NO_CODE, Status
from tzcld_qual.reports.refi import export_qdpx
from tzcld_qual.reports.refi.schema import PROJECT_XSD, schema_errors
from tzcld_qual.store import ProjectStore

NS = {"q": "urn:QDA-XML:project:1.0"}
Q = "{urn:QDA-XML:project:1.0}"


@pytest.fixture
def fixture(tmp_path: Path):
    return build_refi_project(tmp_path / "mini.tzq")


def export(project: Path, out: Path, **options: str) -> zipfile.ZipFile:
    with ProjectStore(project) as store:
        export_qdpx(store, store.codebooks.get(), out, **options)
    return zipfile.ZipFile(out)


def qde(archive: zipfile.ZipFile) -> etree._Element:
    return etree.fromstring(archive.read("project.qde"))


def users(root: etree._Element) -> dict[str, str]:
    return {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}


def codings(root: etree._Element) -> list[tuple[str, int, int, str, str]]:
    """(source name, start, end, code name, user name) for every coding in the file."""
    names = users(root)
    codes = {c.get("guid"): c.get("name").split(" — ")[0] for c in root.iter(f"{Q}Code")}
    out = []
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        for selection in source.iterfind("q:PlainTextSelection", NS):
            for coding in selection.iterfind("q:Coding", NS):
                code = coding.find("q:CodeRef", NS).get("targetGUID")
                out.append(
                    (
                        source.get("name"),
                        int(selection.get("startPosition")),
                        int(selection.get("endPosition")),
                        codes[code],
                        names[coding.get("creatingUser")],
                    )
                )
    return out


def test_project_qde_is_valid_against_the_official_schema(fixture, tmp_path):
    archive = export(fixture.path, tmp_path / "out.qdpx", suggestions="all")
    xml = archive.read("project.qde")
    assert schema_errors(xml, PROJECT_XSD) == []
    # a second, independent validator (pure Python) agrees; no network is needed
    xmlschema.XMLSchema(str(PROJECT_XSD)).validate(xml.decode("utf-8"))
    root = etree.fromstring(xml)
    assert etree.QName(root).namespace == NS["q"]
    assert [etree.QName(c).localname for c in root] == [
        "Users",
        "CodeBook",
        "Variables",
        "Cases",
        "Sources",
        "Notes",
        "Description",
        "NoteRef",
    ]


def test_schema_errors_catches_an_invalid_file():
    xml = (
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><CodeBook><Codes>'
        b'<Code guid="not-a-guid" name="F1"/></Codes></CodeBook></Project>'
    )
    errors = schema_errors(xml, PROJECT_XSD)
    assert any("guid" in e for e in errors)
    assert any("isCodable" in e for e in errors)


def test_sources_hold_the_stored_text_byte_for_byte(fixture, tmp_path):
    archive = export(fixture.path, tmp_path / "out.qdpx")
    root = qde(archive)
    with ProjectStore(fixture.path) as store:
        stored = {d.name: d.text for d in store.documents.list()}
    seen = {}
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        path = source.get("plainTextPath")
        assert path == f"internal://{source.get('guid')}.txt"
        data = archive.read(f"sources/{source.get('guid')}.txt")
        assert not data.startswith(b"\xef\xbb\xbf")
        seen[source.get("name")] = data
    assert seen == {name: text.encode("utf-8") for name, text in stored.items()}
    assert b"\r\n" in seen["entretien-01.txt"]  # line endings kept as stored


def test_selections_are_segment_offsets_in_code_points(fixture, tmp_path):
    archive = export(fixture.path, tmp_path / "out.qdpx", suggestions="all")
    root = qde(archive)
    with ProjectStore(fixture.path) as store:
        spans = {(s.document, s.start, s.end): s.text for s in store.documents.segments()}
    checked = 0
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == spans[(source.get("name"), start, end)]
            checked += 1
    # a3 comes after an emoji: UTF-16 or byte offsets would be off by one or more
    a3 = fixture.seg["a3"]
    assert ("entretien-01.txt", a3.start, a3.end, "F3", "alice") in codings(root)
    assert checked == 5  # a1, a2 (rejection only), a3, b1, b2


def test_codings_are_applied_decisions_and_the_current_models_suggestions(fixture, tmp_path):
    root = qde(export(fixture.path, tmp_path / "out.qdpx"))
    s = fixture.seg
    doc1, doc2 = "entretien-01.txt", "entretien-02.txt"
    assert sorted(codings(root)) == sorted(
        [
            (doc1, s["a1"].start, s["a1"].end, "F1", "alice"),
            (doc1, s["a1"].start, s["a1"].end, "F1", "bruno"),
            (doc1, s["a1"].start, s["a1"].end, "F1", MODEL),
            (doc1, s["a1"].start, s["a1"].end, "F1.cle", "alice"),
            (doc1, s["a3"].start, s["a3"].end, "F3", "alice"),
            (doc2, s["b1"].start, s["b1"].end, "F1", "alice"),
            (doc2, s["b1"].start, s["b1"].end, "F1", MODEL),
            (doc2, s["b1"].start, s["b1"].end, "F3", "alice"),
            (doc2, s["b2"].start, s["b2"].end, "F2", MODEL),
        ]
    )
    assert sorted(users(root).values()) == ["alice", "bruno", MODEL]


@pytest.mark.parametrize(("option", "models"), [("all", {MODEL, LEXICON}), ("none", set())])
def test_suggestions_option_picks_the_models(fixture, tmp_path, option, models):
    root = qde(export(fixture.path, tmp_path / "out.qdpx", suggestions=option))
    coders = {c[4] for c in codings(root)}
    assert coders == {"alice", "bruno"} | models


def test_rejections_and_model_scores_are_described_not_coded(fixture, tmp_path):
    archive = export(fixture.path, tmp_path / "out.qdpx")
    root = qde(archive)
    a2 = fixture.seg["a2"]
    selection = next(x for x in root.iter(f"{Q}PlainTextSelection") if int(x.get("startPosition")) == a2.start)
    description = selection.find("q:Description", NS).text
    assert "alice : F2 (Regard des autres) — rejeté" in description
    assert f"{MODEL} : F2 (Regard des autres) — suggéré ; confiance 0.40" in description
    assert [c[4] for c in codings(root) if c[1] == a2.start] == []  # alice rejected it: no coding elsewhere
    a1 = fixture.seg["a1"]
    described = (
        next(x for x in root.iter(f"{Q}PlainTextSelection") if int(x.get("startPosition")) == a1.start)
        .find("q:Description", NS)
        .text
    )
    assert "confiance 0.82 ; mots : comité" in described
    side = json.loads(archive.read("tzcld-qual.json"))
    assert side["rejections"] == [
        {
            "source": side["rejections"][0]["source"],
            "start": a2.start,
            "end": a2.end,
            "code": "F2",
            "coder": "alice",
            "status": "rejected",
            "confidence": None,
            "explanation": "",
            "created_at": side["rejections"][0]["created_at"],
            "updated_at": side["rejections"][0]["updated_at"],
        }
    ]
    assert [(w["code"], w["coder"], w["status"], w["confidence"]) for w in side["withheld_suggestions"]] == [
        ("F2", MODEL, "suggested", 0.4)
    ]
    assert side["coders"] == {"alice": "human", "bruno": "human", MODEL: "model"}
    assert side["current_model"] == MODEL


def test_no_code_marks_are_kept_in_the_side_file_not_coded(fixture, tmp_path):
    """« Relu, aucun code » is no coding: other tools must not see it as one; the side file
    keeps each mark (by source and range, as rejections) for ``import-qdpx``, and the summary
    says it was kept out."""
    plain = qde(export(fixture.path, tmp_path / "plain.qdpx", suggestions="all"))
    with ProjectStore(fixture.path) as store:
        store.codings.decide(fixture.seg["a2"].id, NO_CODE, "alice", Status.ACCEPTED)
        store.codings.decide(fixture.seg["b2"].id, NO_CODE, "carla", Status.ACCEPTED)  # blind: the mark only
        store.codings.decide(fixture.seg["a2"].id, NO_CODE, "carla", Status.ACCEPTED)
        summary = export_qdpx(store, store.codebooks.get(), tmp_path / "out.qdpx", suggestions="all")
    archive = zipfile.ZipFile(tmp_path / "out.qdpx")
    xml = archive.read("project.qde")
    assert schema_errors(xml, PROJECT_XSD) == []
    root = etree.fromstring(xml)
    assert codings(root) == codings(plain) and users(root) == users(plain)  # not a coding, nor a user
    assert "carla" not in xml.decode("utf-8") and NO_CODE not in xml.decode("utf-8")
    side = json.loads(archive.read("tzcld-qual.json"))
    source = side["rejections"][0]["source"]  # a2's, entretien-01
    a2, b2 = fixture.seg["a2"], fixture.seg["b2"]
    assert [(m["source"] == source, m["start"], m["end"], m["coder"]) for m in side["no_code"]] == [
        (True, a2.start, a2.end, "alice"),
        (True, a2.start, a2.end, "carla"),
        (False, b2.start, b2.end, "carla"),
    ]
    assert all(m["created_at"] for m in side["no_code"])
    assert side["coders"]["carla"] == "human"
    assert (summary.marks, summary.marked_segments) == (3, 2)


def test_codes_carry_colour_nesting_and_coding_rules(fixture, tmp_path):
    root = qde(export(fixture.path, tmp_path / "out.qdpx"))
    tops = root.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert [(c.get("name"), c.get("color"), c.get("isCodable")) for c in tops] == [
        ("F1 — Concertation du CLE", "#1f77b4", "true"),
        ("F2 — Regard des autres", "#FF7F0E", "true"),
        ("F3 — Droits", "#2ca02c", "true"),
    ]
    children = tops[0].findall("q:Code", NS)
    assert [c.get("name") for c in children] == ["F1.cle — Le CLE"]
    description = tops[0].find("q:Description", NS).text
    assert description.startswith("Le comité local comme lieu où l'on décide ensemble.\n\nEnseignement :\n")
    assert "Inclure :\n- Participation aux instances\n- Décisions prises « ensemble »" in description
    assert "Contre-exemples :\n- J'ai eu un rendez-vous." in description


def test_attributes_become_typed_variables_and_one_case_per_document(fixture, tmp_path):
    root = qde(export(fixture.path, tmp_path / "out.qdpx"))
    variables = {
        v.get("name"): (v.get("guid"), v.get("typeOfVariable")) for v in root.iterfind("q:Variables/q:Variable", NS)
    }
    assert {k: v[1] for k, v in variables.items()} == {
        "code": "Text",  # "007" would lose its zeros as an integer
        "date": "Date",
        "role": "Text",
        "round": "Integer",
        "territory": "Text",
    }
    sources = {s.get("guid"): s.get("name") for s in root.iterfind("q:Sources/q:TextSource", NS)}
    by_guid = {guid: name for name, (guid, _) in variables.items()}
    cases = {}
    for case in root.iterfind("q:Cases/q:Case", NS):
        values = {
            by_guid[v.find("q:VariableRef", NS).get("targetGUID")]: v[1].text
            for v in case.iterfind("q:VariableValue", NS)
        }
        refs = [sources[r.get("targetGUID")] for r in case.iterfind("q:SourceRef", NS)]
        cases[case.get("name")] = (values, refs)
    assert cases["entretien-01"] == (
        {"code": "007", "date": "2024-03-05", "role": "salarié·e EBE", "round": "1", "territory": "Nord"},
        ["entretien-01.txt"],
    )
    assert cases["entretien-02"][1] == ["entretien-02.txt"]


def test_memos_are_notes_referenced_from_their_target(fixture, tmp_path):
    root = qde(export(fixture.path, tmp_path / "out.qdpx"))
    notes = {n.get("guid"): n.find("q:PlainTextContent", NS).text for n in root.iterfind("q:Notes/q:Note", NS)}
    assert sorted(notes.values()) == sorted(
        ["Mémo de projet.", "Entretien riche.", "À relire <avec> & soin.", "Code à préciser."]
    )

    def referenced(element: etree._Element) -> list[str]:
        return [notes[r.get("targetGUID")] for r in element.findall("q:NoteRef", NS)]

    assert referenced(root) == ["Mémo de projet."]
    sources = {s.get("name"): s for s in root.iterfind("q:Sources/q:TextSource", NS)}
    assert referenced(sources["entretien-01.txt"]) == ["Entretien riche."]
    a3 = fixture.seg["a3"]
    selection = next(
        x
        for x in sources["entretien-01.txt"].iterfind("q:PlainTextSelection", NS)
        if int(x.get("startPosition")) == a3.start
    )
    assert referenced(selection) == ["À relire <avec> & soin."]
    f2 = next(c for c in root.iter(f"{Q}Code") if c.get("name").startswith("F2 "))
    assert referenced(f2) == ["Code à préciser."]


def test_same_project_gives_the_same_file_wherever_it_lives(fixture, tmp_path):
    first = tmp_path / "one.qdpx"
    export(fixture.path, first)
    export(fixture.path, tmp_path / "two.qdpx")
    assert first.read_bytes() == (tmp_path / "two.qdpx").read_bytes()
    moved = tmp_path / "elsewhere" / fixture.path.name
    moved.parent.mkdir()
    shutil.copy(fixture.path, moved)
    export(moved, tmp_path / "three.qdpx")
    assert first.read_bytes() == (tmp_path / "three.qdpx").read_bytes()


def test_export_to_a_folder_is_refused_and_leaves_nothing(fixture, tmp_path):
    from tzcld_qual.errors import InputError

    with pytest.raises(InputError), ProjectStore(fixture.path) as store:
        export_qdpx(store, store.codebooks.get(), tmp_path)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tzcld-")]
