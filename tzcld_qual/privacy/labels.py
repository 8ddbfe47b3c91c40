"""Speaker labels: which ones name a person ("Sylvie", "Mme D.", "M.G.") and which a role ("Enquêtrice", "E1")."""

from __future__ import annotations

import re

from tzcld_qual.privacy.cues import TITLE
from tzcld_qual.privacy.normalize import fold

ROLE_WORDS = frozenset(
    """
    enqueteur enqueteuse enquetrice intervieweur intervieweuse interviewer interviewe interviewee
    chercheur chercheuse animateur animatrice moderateur moderatrice participant participante participants
    locuteur locutrice speaker intervenant intervenante interlocuteur interlocutrice repondant repondante
    voix homme femme inconnu inconnue public salle tous toutes groupe plusieurs elu elue maire adjoint adjointe
    directeur directrice president presidente salarie salariee salaries salariees conseiller conseillere
    benevole membre temoin journaliste etudiant etudiante stagiaire agent agente responsable coordinateur
    coordinatrice charge chargee representant representante partenaire ppde equipe projet cle ebe
    question reponse q r e i p int resp enq rep mod anim de du des la le les l' d' et m mme mlle mr monsieur madame
    """.split()
)
_INITIALS = re.compile(r"(?:[A-ZÀ-Ý]\.?\s?-?){1,3}[A-ZÀ-Ý]\.?")


def name_in_label(label: str) -> tuple[int, int] | None:
    """The part of a speaker label that names someone, or ``None`` for a role label."""
    title = TITLE.fullmatch(label.strip())
    if title:
        offset = len(label) - len(label.lstrip())
        return title.start("name") + offset, title.end("name") + offset
    words = re.findall(r"[\w'’.]+", label)
    if not words:
        return None
    if all(fold(w).strip(".") in ROLE_WORDS or any(c.isdigit() for c in w) for w in words):
        return None
    stripped = label.strip()
    start = label.index(stripped)
    if len(stripped.strip(".")) == 1:
        return None  # speakers "A", "B"
    if _INITIALS.fullmatch(stripped) and len(stripped) > 1:
        return start, start + len(stripped)
    if any(w[0].isupper() and w.strip(".").isalpha() and fold(w).strip(".") not in ROLE_WORDS for w in words):
        return start, start + len(stripped)
    return None
