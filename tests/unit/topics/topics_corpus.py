"""A tiny themed project for topic tests: three clear themes, noise, attributes, a small codebook.

Plain module (not a conftest) so the CLI and model tests can load it by path too.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tzcld_qual.codebook import parse_codebook
from tzcld_qual.model import Role
from tzcld_qual.store import NewSegment, ProjectStore

THEMES = {
    "jardin": ["jardin", "potager", "légumes", "serre", "arrosage", "semis", "tomates", "récolte"],
    "permis": ["permis", "voiture", "conduire", "garage", "route", "essence", "moniteur", "trajet"],
    "formation": ["formation", "diplôme", "stage", "apprentissage", "certificat", "examen", "cours", "qualification"],
}
NOISE = ["météo", "chat", "vacances", "cuisine", "musique", "football", "télévision", "anniversaire", "marché",
         "piscine", "lecture", "bricolage"]
FILLERS = ["Ben", "Euh", "Du coup", "Voilà", "En fait", "Bah"]
ATTRIBUTES = [
    {"role": "salarié·e EBE", "territory": "Les Coteaux", "round": "vague 1"},
    {"role": "personne privée durablement d'emploi", "territory": "Saint-Aubin", "round": "vague 1"},
    {"role": "salarié·e EBE", "territory": "Saint-Aubin", "round": "vague 2"},
    {"role": "élu·e", "territory": "Les Coteaux", "round": "vague 2"},
    {"role": "salarié·e EBE", "territory": "Haut-Vallon", "round": "vague 1"},
    {"role": "partenaire", "territory": "Haut-Vallon", "round": "vague 2"},
]

CODEBOOK_YAML = """\
# Petit codebook de test.
codebook:
  name: "Test"
  version: 1
  language: fr
codes:
  - id: F1
    label: "Maraîchage"
    color: "#1f77b4"
    definition: "Le jardin potager, les légumes, la serre, les semis et la récolte des tomates."
    examples:
      - "On fait le potager, les semis sous la serre et la récolte des tomates."
  - id: F1.vente
    parent: F1
    label: "Vente"
    color: "#5599cc"
    definition: "La vente des légumes au marché."

  # Le code F2 suit.
  - id: F2
    label: "Mobilité"
    color: "#ff7f0e"
    definition: "Le permis de conduire, la voiture, le garage et les trajets sur la route."
    examples:
      - "J'ai passé le permis, maintenant je conduis la voiture pour le trajet."
  - id: F3
    label: "Autre"
    color: "#2ca02c"
    definition: "Les droits sociaux, la caisse d'allocations, le logement social."
"""


def themed_texts(seed: int = 0, per_theme: int = 16, noise: int = 6) -> list[tuple[str, str]]:
    """``(theme, text)`` pairs; theme ``"noise"`` for texts belonging to no theme."""
    rng = random.Random(seed)
    out = []
    for theme, words in THEMES.items():
        for _ in range(per_theme):
            w = rng.sample(words, 4)
            out.append((theme, f"{rng.choice(FILLERS)}, moi le {w[0]} et le {w[1]}, euh, on parle du {w[2]} "
                               f"et du {w[3]}, voilà."))
    for _ in range(noise):
        w = rng.sample(NOISE, 3)
        out.append(("noise", f"{rng.choice(FILLERS)} hier {w[0]}, {w[1]} et {w[2]}."))
    rng.shuffle(out)
    return out


def build_project(path: Path, texts: Sequence[str] | None = None, *, documents: int = 6) -> Path:
    """A project with the test codebook and ``texts`` (default: themed) spread over documents."""
    texts = list(texts) if texts is not None else [t for _, t in themed_texts()]
    store = ProjectStore(path, create=True)
    try:
        store.codebooks.add(parse_codebook(CODEBOOK_YAML, "test.yaml"), CODEBOOK_YAML, "test.yaml")
        with store.transaction():
            for d in range(documents):
                own = texts[d::documents]
                parts, segments, offset = [], [], 0
                for turn, text in enumerate(own):
                    question = "Enquêtrice : Et alors ?\n"
                    parts.append(question)
                    segments.append(NewSegment(2 * turn, "Enquêtrice", Role.INTERVIEWER, offset + 13,
                                               offset + len(question) - 1, "Et alors ?"))
                    offset += len(question)
                    line = f"Camille : {text}\n"
                    parts.append(line)
                    segments.append(NewSegment(2 * turn + 1, "Camille", Role.RESPONDENT, offset + 10,
                                               offset + len(line) - 1, text))
                    offset += len(line)
                store.documents.add(name=f"doc-{d + 1:02d}.txt", source_path=f"/tmp/doc-{d + 1:02d}.txt",
                                    content_hash=f"h{d}", text="".join(parts),
                                    attributes=ATTRIBUTES[d % len(ATTRIBUTES)],
                                    speakers={"Enquêtrice": "interviewer", "Camille": "respondent"},
                                    source_format="txt", segments=segments)
    finally:
        store.close()
    return path


class HashingEmbedder:
    """Deterministic bag-of-words embedder: texts sharing words are close (no model)."""

    model_id = "hashing-256"
    dimension = 256

    def __init__(self) -> None:
        self.encoded = 0  # number of texts encoded (the cache should keep it low)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded += len(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in re.findall(r"\w+", text.lower()):
                if len(token) > 3:
                    out[row, int(hashlib.sha1(token.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


class CountingLemmatizer:
    """A FrenchLemmatizer on a blank French pipeline that counts the texts it lemmatises."""

    def __init__(self) -> None:
        import spacy

        from tzcld_qual.topics.representation import FrenchLemmatizer

        self._inner = FrenchLemmatizer(nlp=spacy.blank("fr"))
        self.lemmatized = 0

    @property
    def analyzer_id(self) -> str:
        return self._inner.analyzer_id

    def lemmatize(self, texts: Sequence[str]) -> list[str]:
        self.lemmatized += len(texts)
        return self._inner.lemmatize(texts)


class WordLemmatizer:
    """Lower-cased words as lemmas; ``portable``, so it can be sent to another process."""

    portable = True
    analyzer_id = "words"

    def lemmatize(self, texts: Sequence[str]) -> list[list[tuple[str, int, int]]]:
        return [[(m.group().lower(), m.start(), m.end()) for m in re.finditer(r"\w+", t)] for t in texts]


class ChildFailingLemmatizer(WordLemmatizer):
    """Fails in any process but the one that made it (a worker that cannot load its pipeline)."""

    def lemmatize(self, texts: Sequence[str]) -> list[list[tuple[str, int, int]]]:
        import multiprocessing

        if multiprocessing.parent_process() is not None:
            raise RuntimeError("no pipeline in the worker")
        return super().lemmatize(texts)
