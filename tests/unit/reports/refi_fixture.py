"""A small hand-made project for the REFI-QDA and table tests (imported by those tests).

Two interviews. ``entretien-01.txt`` (Nord, vague 1) has Windows line endings and an emoji, so
offsets in code points, not bytes or UTF-16 units, are tested; ``entretien-02.txt`` (Sud, vague 2).

    seg  text (respondent unless said)        alice            bruno        ensemble@1 (current)  lexicon@1
    a0   interviewer question                 —                —            —                     —
    a1   « Au comité on décide ensemble 🙂 »  F1 accepted      F1 accepted  F1 .82 "mots : comité"
                                              F1.cle manual
    a2   « On me regarde autrement »          F2 rejected      —            F2 .40                (F3 .05, read)
    a3   « J'ai fait une formation »          F3 accepted      —            (read)                —
    b0   interviewer question                 —                —            —                     —
    b1   « La mairie et l'asso, ensemble »    F1 accepted      —            F1 .91                —
                                              F3 manual
    b2   « Je me sens utile »                 —                —            F2 .66                F3 .70

Memos: alice on the project, on entretien-01, on segment a3 and on code F2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tzcld_qual.codebook import parse_codebook
from tzcld_qual.model import Role, Segment, Status, Suggestion
from tzcld_qual.store import NewRun, NewSegment, ProjectStore

CODEBOOK = """\
codebook:
  name: "Mini REFI"
  version: 2
  language: fr
  description: "Codebook de test."
codes:
  - id: F1
    label: "Concertation du CLE"
    color: "#1f77b4"
    finding: "La concertation renforce la capacité d'agir."
    definition: "Le comité local comme lieu où l'on décide ensemble."
    inclusion:
      - "Participation aux instances"
      - "Décisions prises « ensemble »"
    exclusion:
      - "Simple réunion : ne pas coder"
    expressions:
      - "le comité"
    examples:
      - "On décide tout ensemble au comité."
    negatives:
      - "J'ai eu un rendez-vous."
  - id: F1.cle
    parent: F1
    label: "Le CLE"
    color: "#aec7e8"
    definition: "Mention du comité local pour l'emploi."
  - id: F2
    label: "Regard des autres"
    color: "#FF7F0E"
    definition: "Changement de regard des autres."
  - id: F3
    label: "Droits"
    color: "#2ca02c"
    definition: "Connaissance des droits, formation."
"""

ATTRIBUTES = (
    {"role": "salarié·e EBE", "territory": "Nord", "round": "1", "date": "2024-03-05", "code": "007"},
    {"role": "élu·e", "territory": "Sud", "round": "2", "date": "2024-04-01", "code": "12"},
)
DOCS = (
    (
        "entretien-01.txt",
        "\r\n",
        "Martine",
        (
            "Au comité on décide ensemble 🙂",
            "On me regarde autrement",
            "J'ai fait une formation",
        ),
    ),
    (
        "entretien-02.txt",
        "\n",
        "Karim",
        (
            "La mairie et l'asso, ensemble",
            "Je me sens utile",
        ),
    ),
)
QUESTION = "Vous pouvez me parler du comité ?"
MODEL = "ensemble@1"
LEXICON = "lexicon@1"


@dataclass(frozen=True)
class RefiFixture:
    path: Path
    seg: dict[str, Segment]  # "a0".."a3", "b0".."b2"


def _document(
    store: ProjectStore, name: str, newline: str, speaker: str, bodies: tuple[str, ...], attributes: dict[str, str]
) -> list[Segment]:
    text = f"Entretien {name}{newline}{newline}"
    segments = []
    for turn, (label, role, body) in enumerate(
        [("Enquêtrice", Role.INTERVIEWER, QUESTION)] + [(speaker, Role.RESPONDENT, b) for b in bodies]
    ):
        start = len(text) + len(label) + 3
        segments.append(NewSegment(turn, label, role, start, start + len(body), body))
        text += f"{label} : {body}{newline}"
    doc = store.documents.add(
        name=name,
        source_path=f"/corpus/{name}",
        content_hash=f"hash-{name}",
        text=text,
        attributes=attributes,
        speakers={"Enquêtrice": "interviewer", speaker: "respondent"},
        source_format="txt",
        segments=segments,
    )
    return store.documents.segments(document_id=doc.id)


WHY = "mots : comité\nembeddings : proche de « le comité »"  # a line per coder, as the ensemble writes


def build_refi_project(path: Path) -> RefiFixture:
    with ProjectStore(path, create=True) as store:
        store.codebooks.add(parse_codebook(CODEBOOK), CODEBOOK, "mini.yaml")
        seg: dict[str, Segment] = {}
        with store.transaction():
            for prefix, (name, newline, speaker, bodies), attributes in zip("ab", DOCS, ATTRIBUTES, strict=True):
                stored = _document(store, name, newline, speaker, bodies, attributes)
                seg.update({f"{prefix}{i}": s for i, s in enumerate(stored)})
        decide = store.codings.decide
        decide(seg["a1"].id, "F1", "alice", Status.ACCEPTED)
        decide(seg["a1"].id, "F1.cle", "alice", Status.MANUAL)
        decide(seg["a1"].id, "F1", "bruno", Status.ACCEPTED)
        decide(seg["a2"].id, "F2", "alice", Status.REJECTED)
        decide(seg["a3"].id, "F3", "alice", Status.ACCEPTED)
        decide(seg["b1"].id, "F1", "alice", Status.ACCEPTED)
        decide(seg["b1"].id, "F3", "alice", Status.MANUAL)
        thresholds = {"F1": 0.62, "F2": 0.35}
        run = store.runs.register(NewRun("ensemble", "fp-1", 1, {"thresholds": thresholds}, {"dev_macro_f1": 0.7}))[0]
        assert run == MODEL
        model = {"a1": {"F1": 0.82}, "a2": {"F2": 0.40}, "b1": {"F1": 0.91}, "b2": {"F2": 0.66}}
        scored = {seg[k].id: {"F1": 0.12, "F2": 0.05, **v} for k, v in model.items()}
        scored[seg["a3"].id] = {"F1": 0.2, "F2": 0.1}  # read, nothing suggested
        store.codings.put_scores(
            run,
            scored,
            [
                Suggestion(seg[k].id, code, conf, WHY if k == "a1" else "")
                for k, codes in model.items()
                for code, conf in codes.items()
            ],
        )
        store.set_meta("current_model", run)
        store.codings.register_coder(LEXICON, "model")
        # its first suggestion in the second document, its scores from the first: the import must keep both
        lexicon = {seg["a2"].id: {"F3": 0.05}, seg["b2"].id: {"F3": 0.7}}
        store.codings.put_scores(LEXICON, lexicon, [Suggestion(seg["b2"].id, "F3", 0.7, "")])
        doc1 = store.documents.find("entretien-01.txt")
        assert doc1 is not None
        store.memos.write("project", "", "alice", "Mémo de projet.")
        store.memos.write("document", str(doc1.id), "alice", "Entretien riche.")
        store.memos.write("segment", str(seg["a3"].id), "alice", "À relire <avec> & soin.")
        store.memos.write("code", "F2", "alice", "Code à préciser.")
    return RefiFixture(path, seg)
