"""A four-segment project for the ``agreement`` and ``report`` command tests (bundled codebook).

    seg  alice                ensemble@1
    s1   accepted F1          F1 .9
    s2   rejected F1          F1 .7
    s3   accepted F2          (scored, nothing suggested)
    s4   manual F1            F1 .8

alice × ensemble@1 on s1..s4, codes F1..F8:
    F1: both {1,4}, only model {2}, neither {3}: A₁ = 2, B₁ = 3, E = 2·3 + 2·1 = 8,
        κ = (4·3 − 8)/(16 − 8) = 0.5; α = 1 − 7·1/(3·5) = 8/15.
    F2: only alice {3}: κ = (4·3 − 12)/(16 − 12) = 0; α = 1 − 7·1/(7·1) = 0.
    F3..F8: nobody: κ, α undefined.
    Pooled over 32 (segment, code) pairs: both 2, only A 1, only B 1, neither 28:
        E = 3·3 + 29·29 = 850, κ = (32·30 − 850)/(1024 − 850) = 110/174;
        α = 1 − 63·2/(6·58) = 1 − 126/348.
"""

from __future__ import annotations

from pathlib import Path

from tzcld_qual.model import Role, Status, Suggestion
from tzcld_qual.services.projects import init_project
from tzcld_qual.store import NewRun, NewSegment

TURNS = [
    ("Enquêteur", Role.INTERVIEWER, "Comment ça se passe au comité ?"),
    ("Nadia", Role.RESPONDENT, "Au comité on décide tous ensemble, les élus et nous."),
    ("Nadia", Role.RESPONDENT, "J'ai vu ma conseillère, c'était rapide."),
    ("Nadia", Role.RESPONDENT, "Les patrons me regardent autrement maintenant."),
    ("Nadia", Role.RESPONDENT, "Le collectif du territoire s'est mobilisé pour nous."),
]
ALICE = {1: ("F1", Status.ACCEPTED), 2: ("F1", Status.REJECTED), 3: ("F2", Status.ACCEPTED),
         4: ("F1", Status.MANUAL)}
MODEL = {1: {"F1": 0.9}, 2: {"F1": 0.7}, 3: {}, 4: {"F1": 0.8}}
MODEL_ID = "ensemble@1"


def build(path: Path) -> Path:
    store, version = init_project(path)
    with store:
        text, segments = "", []
        for i, (speaker, role, speech) in enumerate(TURNS):
            start = len(text)
            text += speech + "\n"
            segments.append(NewSegment(i, speaker, role, start, start + len(speech), speech))
        with store.transaction():
            doc = store.documents.add(
                name="entretien-nadia.txt", source_path="entretien-nadia.txt", content_hash="n",
                text=text, attributes={"role": "salarié·e EBE", "territory": "Val-Sud", "round": "vague 1"},
                speakers={"Enquêteur": "interviewer", "Nadia": "respondent"}, source_format="txt",
                segments=segments)
        seg = store.documents.segments(document_id=doc.id)
        for n, (code, status) in ALICE.items():
            store.codings.decide(seg[n].id, code, "alice", status)
        run = store.runs.register(NewRun("ensemble", "fp", version, {"thresholds": {"F1": 0.5}}))[0]
        store.codings.put_scores(
            run, {seg[n].id: codes for n, codes in MODEL.items()},
            [Suggestion(seg[n].id, c, v, "") for n, codes in MODEL.items() for c, v in codes.items()])
        store.set_meta("current_model", run)
    return path
