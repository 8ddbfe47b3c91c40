"""A small TZCLD project built through the store API, for the chat's tests (and the CLI's, by path).

Six interviews (salarié·es, PPDE, an élu, a group interview), human decisions by two analysts
(accepted, manual, rejected, on codes and sub-codes), a current model with suggestions and
explanations, and a deterministic hashing embedder so semantic search runs without a model.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tzcld_qual.codebook import load_codebook
from tzcld_qual.model import Role, Status, Suggestion
from tzcld_qual.store import NewRun, NewSegment, ProjectStore

REPO = Path(__file__).resolve().parents[3]
CODEBOOK = REPO / "codebooks" / "tzcld.yaml"
MODEL = "ensemble@1"

# name -> (attributes, [(speaker, role, text)])
INTERVIEWS: dict[str, tuple[dict[str, str], list[tuple[str, str, str]]]] = {
    "sal-coteaux-01": (
        {"role": "salarié·e EBE", "territory": "Les Coteaux-sur-Loire", "round": "vague 1", "gender": "F"},
        [
            ("Enquêtrice", "I", "Vous pouvez me parler de votre formation ?"),
            ("Martine", "R", "J'ai fait le CACES grâce à l'EBE, je savais même pas que j'avais droit à une formation."),
            ("Martine", "R", "Avec le CDI je paie mes factures à l'heure, le frigo est plein à la fin du mois."),
            ("Martine", "R", "Je suis fière, je me sens utile, j'ose parler aux gens maintenant."),
            ("Martine", "R", "Au début j'avais honte d'être au chômage, je sortais plus de chez moi."),
        ],
    ),
    "sal-forges-02": (
        {"role": "salarié·e EBE", "territory": "Saint-Aubin-les-Forges", "round": "vague 2", "gender": "M"},
        [
            ("Enquêteur", "I", "Qu'est-ce qui a changé pour vous ?"),
            ("Karim", "R", "Le permis de conduire, l'EBE m'a aidé à monter le dossier d'aide à la mobilité."),
            ("Karim", "R", "Avec le salaire fixe j'ai pu prendre un crédit pour la voiture."),
            ("Karim", "R", "Les voisins me regardent autrement depuis que je travaille à la ressourcerie."),
            ("Karim", "R", "On a des réunions d'équipe, le chef d'atelier explique bien."),
        ],
    ),
    "ppde-forges-03": (
        {
            "role": "personne privée durablement d'emploi",
            "territory": "Saint-Aubin-les-Forges",
            "round": "vague 1",
            "gender": "F",
        },
        [
            ("Enquêtrice", "I", "Comment vous voit-on dans le quartier ?"),
            ("Sylvie", "R", "On me prenait pour une fainéante, maintenant les gens voient que je veux travailler."),
            ("Sylvie", "R", "La honte du chômage, c'est ça le pire, tu te caches."),
            ("Sylvie", "R", "Au comité local on m'a demandé mon avis, c'était la première fois."),
        ],
    ),
    "elu-coteaux-04": (
        {"role": "élu·e", "territory": "Les Coteaux-sur-Loire", "round": "vague 2", "gender": "M"},
        [
            ("Enquêteur", "I", "Quel est le rôle de la commune ?"),
            ("M. Durand", "R", "Au CLE tout le monde est autour de la table, on décide ensemble."),
            ("M. Durand", "R", "J'étais de ceux qui disaient qu'ils voulaient pas travailler, j'avais tort."),
            ("M. Durand", "R", "La commune prête le local et finance une partie du transport solidaire."),
        ],
    ),
    "groupe-sal-05": (
        {"role": "salarié·e EBE", "territory": "Haut-Vallon", "round": "vague 2", "gender": "F, M"},
        [
            ("Enquêtrice", "I", "Présentez-vous."),
            ("Paul", "R", "Je me sens moins seul, j'ai des collègues, on mange ensemble le midi."),
            ("Nadia", "R", "Le CDI ça m'a permis de trouver un appartement, le bailleur m'a crue."),
            ("Paul", "R", "On m'a parlé de mes droits à la formation, j'ai ouvert mon CPF."),
            ("Nadia", "R", "Je suis fière de mon travail à l'épicerie solidaire."),
        ],
    ),
    "ppde-vallon-06": (
        {"role": "personne privée durablement d'emploi", "territory": "Haut-Vallon", "round": "vague 1"},
        [
            ("Enquêteur", "I", "Et la santé ?"),
            ("Jean", "R", "Je savais pas que j'avais droit à la mutuelle, ils m'ont aidé à faire le dossier."),
            ("Jean", "R", "J'attends une place, la liste d'attente est longue."),
        ],
    ),
}

# (document, index of the respondent turn among the document's turns, code, status, coder)
DECISIONS: list[tuple[str, int, str, Status, str]] = [
    ("sal-coteaux-01", 1, "F3.formation", Status.ACCEPTED, "marie"),
    ("sal-coteaux-01", 2, "F5.financiere", Status.ACCEPTED, "marie"),
    ("sal-coteaux-01", 3, "F4.confiance", Status.ACCEPTED, "marie"),
    ("sal-coteaux-01", 3, "F4.liens_sociaux", Status.MANUAL, "marie"),
    ("sal-coteaux-01", 4, "F4", Status.MANUAL, "marie"),
    ("sal-forges-02", 1, "F3.mobilite", Status.ACCEPTED, "marie"),
    ("sal-forges-02", 2, "F5.financiere", Status.ACCEPTED, "marie"),
    ("sal-forges-02", 2, "F5.materielle", Status.MANUAL, "marie"),
    ("sal-forges-02", 3, "F2", Status.ACCEPTED, "marie"),
    ("sal-forges-02", 4, "F4.encadrement", Status.REJECTED, "marie"),
    ("ppde-forges-03", 1, "F2", Status.ACCEPTED, "paul"),
    ("ppde-forges-03", 3, "F1", Status.ACCEPTED, "paul"),
    ("ppde-forges-03", 3, "F4.accompagnement", Status.MANUAL, "paul"),
    ("elu-coteaux-04", 1, "F1", Status.ACCEPTED, "paul"),
    ("elu-coteaux-04", 2, "F2", Status.ACCEPTED, "paul"),
    ("elu-coteaux-04", 3, "F8.ancrage", Status.ACCEPTED, "paul"),
    ("groupe-sal-05", 1, "F4.liens_sociaux", Status.ACCEPTED, "marie"),
    ("groupe-sal-05", 2, "F5.materielle", Status.ACCEPTED, "marie"),
    ("groupe-sal-05", 3, "F3.formation", Status.ACCEPTED, "marie"),
    ("groupe-sal-05", 4, "F4.confiance", Status.REJECTED, "marie"),
    ("groupe-sal-05", 4, "F4.confiance", Status.ACCEPTED, "paul"),
    ("ppde-vallon-06", 1, "F3.sante", Status.REJECTED, "paul"),
]

# (document, turn, code, confidence) suggested by the current model
SUGGESTIONS: list[tuple[str, int, str, float]] = [
    ("sal-coteaux-01", 1, "F3.formation", 0.93),
    ("sal-coteaux-01", 2, "F5.financiere", 0.88),
    ("sal-coteaux-01", 3, "F4.confiance", 0.91),
    ("sal-coteaux-01", 4, "F4.confiance", 0.42),
    ("sal-forges-02", 1, "F3.mobilite", 0.95),
    ("sal-forges-02", 2, "F5.financiere", 0.97),
    ("sal-forges-02", 4, "F4.encadrement", 0.61),
    ("ppde-forges-03", 1, "F2", 0.72),
    ("ppde-forges-03", 2, "F4", 0.55),
    ("elu-coteaux-04", 3, "F8.modele_economique", 0.66),
    ("elu-coteaux-04", 3, "F5", 0.35),
    ("groupe-sal-05", 2, "F5.materielle", 0.92),
    ("groupe-sal-05", 4, "F4.confiance", 0.9),
    ("ppde-vallon-06", 1, "F3.sante", 0.81),
    ("ppde-vallon-06", 2, "F7.emplois", 0.93),
    ("ppde-vallon-06", 2, "F5", 0.91),
]
THRESHOLDS = {
    "F2": 0.5,
    "F3": 0.5,
    "F3.sante": 0.5,
    "F4": 0.5,
    "F4.confiance": 0.5,
    "F5": 0.3,
    "F5.financiere": 0.5,
    "F7.emplois": 0.5,
}


class HashEmbedder:
    """Deterministic bag-of-words vectors: texts sharing words are close. No model, no network."""

    model_id = "hash@1"
    dimension = 256

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w{3,}", text.lower()):
                digest = hashlib.sha1(word.encode()).digest()
                out[row, int.from_bytes(digest[:4], "little") % self.dimension] += 1.0
            norm = float(np.linalg.norm(out[row]))
            if norm:
                out[row] /= norm
        return out


def build_project(path: Path, *, with_model: bool = True) -> Path:
    """Create the fixture project at ``path``; returns ``path``."""
    codebook = load_codebook(CODEBOOK)
    with ProjectStore(path, create=True) as store:
        store.codebooks.add(codebook, CODEBOOK.read_text(encoding="utf-8"), str(CODEBOOK))
        ids: dict[tuple[str, int], int] = {}
        for name, (attributes, turns) in INTERVIEWS.items():
            text, segments = "", []
            for number, (speaker, role, speech) in enumerate(turns):
                start = len(text) + len(speaker) + 3
                text += f"{speaker} : {speech}\n"
                segments.append(
                    NewSegment(
                        number,
                        speaker,
                        Role.INTERVIEWER if role == "I" else Role.RESPONDENT,
                        start,
                        start + len(speech),
                        speech,
                    )
                )
            speakers = {s: ("interviewer" if r == "I" else "respondent") for s, r, _t in turns}
            with store.transaction():
                doc = store.documents.add(
                    name=name,
                    source_path=f"{name}.txt",
                    content_hash=name,
                    text=text,
                    attributes=attributes,
                    speakers=speakers,
                    source_format="txt",
                    segments=segments,
                )
            for segment in store.documents.segments(document_id=doc.id):
                ids[(name, segment.turn)] = segment.id
        if with_model:
            model = NewRun("ensemble", "fixture", codebook.version or 1, {"thresholds": THRESHOLDS})
            run, _new = store.runs.register(model)
            assert run == MODEL
            scores: dict[int, dict[str, float]] = {}
            for (_name, turn), segment_id in ids.items():
                if turn > 0:
                    scores[segment_id] = {"F1": 0.1, "F2": 0.2, "F3": 0.3, "F4": 0.45}
            suggestions = []
            for name, turn, code, confidence in SUGGESTIONS:
                segment_id = ids[(name, turn)]
                scores[segment_id][code] = confidence
                suggestions.append(
                    Suggestion(
                        segment_id,
                        code,
                        confidence,
                        f"lexique : « {code.lower()} » ; plus proche exemple ({confidence})",
                    )
                )
            store.codings.put_scores(MODEL, scores, suggestions)
            store.set_meta("current_model", MODEL)
        for name, turn, code, status, coder in DECISIONS:
            store.codings.decide(ids[(name, turn)], code, coder, status)
    return path


def segment_id(path: Path, document: str, turn: int) -> int:
    with ProjectStore(path) as store:
        doc = store.documents.find(document)
        assert doc is not None
        return next(s.id for s in store.documents.segments(document_id=doc.id) if s.turn == turn)
