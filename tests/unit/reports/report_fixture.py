"""A small hand-made project for agreement and report tests (imported by conftest and tests).

Twelve respondent segments s1..s12 in two interviews (s1..s6 in ``entretien-01``, s7..s12 in
``entretien-02``), one interviewer question at the top of each. Two analysts and one model:

    seg  alice (human)                  ensemble@1 (model, suggestions)     bruno (human)
    s1   accepted F1                    F1 .90                              accepted F1
    s2   accepted F1, manual F2         F1 .80                              accepted F1
    s3   accepted F2                    F2 .70, F3.formation .60            rejected F2
    s4   rejected F1                    F1 .55
    s5   accepted F1                    F1 .95
    s6   accepted F3.formation          F3 .85
    s7   manual F2                      (scored, nothing suggested)
    s8   accepted F1, accepted F3       F1 .75, F3 .65
    s9   rejected F2                    (scored, nothing suggested)
    s10  accepted F1                    F2 .50
    s11  accepted F4                    (not scored)
    s12  (no decision)                  F1 .90

Top-level codes, on the segments both alice and the model coded (s1..s10):

    F1  alice {1,2,5,8,10}   model {1,2,4,5,8}
    F2  alice {2,3,7}        model {3,10}
    F3  alice {6,8}          model {3,6,8}       (F3.formation rolls up to F3)
    F4  nobody (alice's only F4 is on s11, which the model did not score)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tzcld_qual.codebook import parse_codebook
from tzcld_qual.model import Role, Segment, Status, Suggestion
from tzcld_qual.store import NewRun, NewSegment, ProjectStore

CODEBOOK = """\
codebook:
  name: "Mini TZCLD"
  version: 1
codes:
  - id: F1
    label: "Concertation du CLE"
    color: "#1f77b4"
    finding: "La concertation du CLE renforce la capacité d'agir."
    definition: "Le comité local comme lieu où l'on décide ensemble."
  - id: F2
    label: "Regard sur l'employabilité"
    color: "#ff7f0e"
    finding: "Le regard sur l'employabilité des personnes change."
    definition: "Changement de regard des autres sur la capacité à travailler."
  - id: F3
    label: "Connaissance des droits"
    color: "#2ca02c"
    finding: "Les personnes connaissent mieux leurs droits."
    definition: "Meilleure connaissance des droits."
  - id: F3.formation
    parent: F3
    label: "Formation"
    color: "#98df8a"
    definition: "Accès à la formation."
  - id: F4
    label: "Regard sur soi"
    color: "#d62728"
    finding: "Le regard sur soi change."
    definition: "Confiance en soi, fierté, utilité."
"""

ATTRIBUTES = (
    {"role": "salarié·e EBE", "territory": "Les Coteaux", "round": "vague 1"},
    {"role": "élu·e", "territory": "Val-Sud", "round": "vague 2"},
)
TEXTS = (
    "Alors on décidait tout ensemble au comité, tout le monde autour de la table.",
    "Le maire et les associations, on a eu notre mot à dire, et on nous voit autrement.",
    "Les employeurs me regardent autrement, je suis <capable> de travailler & ça se voit.",
    "Bon, j'avais rendez-vous avec ma conseillère, c'était vite fait.",
    "Au CLE on se met d'accord, on a construit le projet à plusieurs.",
    "J'ai pu faire une formation de cariste, je savais même pas que j'y avais droit.",
    "Les gens du quartier disent que je suis quelqu'un de fiable maintenant.",
    "Le comité m'a orientée vers une formation et vers mes droits à la CAF.",
    "Ma voisine, elle, trouve que rien n'a changé.",
    "On travaille ensemble avec la mairie, c'est ce qui fait la force du projet.",
    "Je suis fière, je me sens utile, ça m'a redonné confiance.",
    "Les partenaires autour de la table ont porté la candidature.",
)

ALICE = {
    1: [("F1", Status.ACCEPTED)],
    2: [("F1", Status.ACCEPTED), ("F2", Status.MANUAL)],
    3: [("F2", Status.ACCEPTED)],
    4: [("F1", Status.REJECTED)],
    5: [("F1", Status.ACCEPTED)],
    6: [("F3.formation", Status.ACCEPTED)],
    7: [("F2", Status.MANUAL)],
    8: [("F1", Status.ACCEPTED), ("F3", Status.ACCEPTED)],
    9: [("F2", Status.REJECTED)],
    10: [("F1", Status.ACCEPTED)],
    11: [("F4", Status.ACCEPTED)],
}
BRUNO = {1: [("F1", Status.ACCEPTED)], 2: [("F1", Status.ACCEPTED)], 3: [("F2", Status.REJECTED)]}
MODEL = {
    1: {"F1": 0.90},
    2: {"F1": 0.80},
    3: {"F2": 0.70, "F3.formation": 0.60},
    4: {"F1": 0.55},
    5: {"F1": 0.95},
    6: {"F3": 0.85},
    7: {},
    8: {"F1": 0.75, "F3": 0.65},
    9: {},
    10: {"F2": 0.50},
    12: {"F1": 0.90},
}
BACKGROUND = {
    "F1": 0.2,
    "F2": 0.3,
    "F3": 0.1,
    "F3.formation": 0.05,
    "F4": 0.1,
}  # scores below threshold
THRESHOLDS = {"F1": 0.45, "F2": 0.5, "F3": 0.5, "F3.formation": 0.55, "F4": 0.6}
MODEL_ID = "ensemble@1"


@dataclass(frozen=True)
class Fixture:
    path: Path
    seg: dict[int, Segment]  # s1..s12 -> stored segment


def add_document(
    store: ProjectStore, name: str, attributes: dict[str, str], turns: list[tuple[str, Role, str]]
) -> list[Segment]:
    """Store one transcript whose segments are ``turns`` (speaker, role, text), one per line."""
    text, segments, offset = "", [], 0
    for i, (speaker, role, body) in enumerate(turns):
        line = f"{speaker} : {body}\n"
        start = offset + len(speaker) + 3
        segments.append(NewSegment(turn=i, speaker=speaker, role=role, start=start, end=start + len(body), text=body))
        text += line
        offset += len(line)
    with store.transaction():
        doc = store.documents.add(
            name=name,
            source_path=f"{name}.txt",
            content_hash=name,
            text=text,
            attributes=attributes,
            speakers={t[0]: t[1].value for t in turns},
            source_format="txt",
            segments=segments,
        )
    return store.documents.segments(document_id=doc.id)


def build_project(path: Path, *, bruno: bool = True, model: bool = True, analysts: bool = True) -> Fixture:
    """The project of the module docstring (parts can be left out)."""
    with ProjectStore(path, create=True) as store:
        store.codebooks.add(parse_codebook(CODEBOOK), CODEBOOK, "mini.yaml")
        seg: dict[int, Segment] = {}
        for d, (name, speaker) in enumerate((("entretien-01", "Martine"), ("entretien-02", "Karim"))):
            turns = [("Enquêtrice", Role.INTERVIEWER, "Vous pouvez me parler du comité ?")]
            turns += [(speaker, Role.RESPONDENT, TEXTS[i]) for i in range(6 * d, 6 * d + 6)]
            stored = add_document(store, name, ATTRIBUTES[d], turns)
            seg.update({6 * d + k: s for k, s in enumerate(stored[1:], 1)})
        if model:  # first: the analysts review its suggestions (agreement reads who saw what)
            run = store.runs.register(NewRun("ensemble", "fp-1", 1, {"thresholds": THRESHOLDS}))[0]
            assert run == MODEL_ID
            scores = {seg[n].id: {**BACKGROUND, **codes} for n, codes in MODEL.items()}
            suggestions = [
                Suggestion(seg[n].id, code, conf, "test") for n, codes in MODEL.items() for code, conf in codes.items()
            ]
            store.codings.put_scores(run, scores, suggestions)
            store.set_meta("current_model", run)
        if analysts:
            for coder, table in (("alice", ALICE), *((("bruno", BRUNO),) if bruno else ())):
                for n, decisions in table.items():
                    for code, status in decisions:
                        store.codings.decide(seg[n].id, code, coder, status)
    return Fixture(path, seg)
