"""The planted test set: French transcripts whose identifiers are marked ``⟦K:text⟧`` in the files.

``K`` is P (person), L (place below the territory), O (organisation), T (phone), E (e-mail),
A (postal address), D (date of birth). Titles ("Mme", "M.") and lowercase articles stay outside
the marks, as the pseudonymiser keeps them. Territory names, national bodies and places above
the territory are *not* marked: replacing them is a false positive. ``territories.json`` gives
each file's territory. Files are read through the real importer, so turns and labels are real.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tzcld_qual.io import read_transcript
from tzcld_qual.model import ParsedTranscript
from tzcld_qual.privacy.pseudonymizer import Source
from tzcld_qual.privacy.spans import Found, Kind

PLANTED = Path(__file__).parent / "planted"
MARK = re.compile(r"⟦([PLOTEAD]):([^⟧]*)⟧")
KINDS = {
    "P": Kind.PERSONNE,
    "L": Kind.LIEU,
    "O": Kind.ORGANISATION,
    "T": Kind.TELEPHONE,
    "E": Kind.EMAIL,
    "A": Kind.ADRESSE,
    "D": Kind.DATE_NAISSANCE,
}


@dataclass(frozen=True)
class Planted:
    name: str
    transcript: ParsedTranscript
    gold: tuple[tuple[int, int, Kind], ...]
    territory: str

    @property
    def source(self) -> Source:
        t = self.transcript
        return Source(
            t.text, tuple(b for turn in t.turns for b in (turn.start, turn.end)), tuple({x.speaker for x in t.turns})
        )


def load_planted(tmp: Path) -> list[Planted]:
    territories = json.loads((PLANTED / "territories.json").read_text(encoding="utf-8"))
    out = []
    for path in sorted(PLANTED.glob("[0-9]*")):
        raw = path.read_text(encoding="utf-8")
        gold, parts, cursor, length = [], [], 0, 0
        for match in MARK.finditer(raw):
            parts.append(raw[cursor : match.start()])
            length += match.start() - cursor
            gold.append((length, length + len(match.group(2)), KINDS[match.group(1)]))
            parts.append(match.group(2))
            length += len(match.group(2))
            cursor = match.end()
        parts.append(raw[cursor:])
        text = "".join(parts)
        copy = tmp / path.name
        copy.write_text(text, encoding="utf-8")
        transcript = read_transcript(copy)
        assert transcript.text == text, f"{path.name}: the importer changed the text, gold offsets would drift"
        out.append(Planted(path.name, transcript, tuple(gold), territories[path.name]))
    return out


@dataclass
class Score:
    gold: int = 0
    found: int = 0  # gold spans fully covered by predictions of the same kind
    masked: int = 0  # gold spans fully covered by predictions of any kind (nothing leaks)
    predicted: int = 0
    correct: int = 0  # predictions overlapping a gold span of the same kind

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def masked_recall(self) -> float:
        return self.masked / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0


def score(planted: Sequence[Planted], found: Sequence[Sequence[Found]]) -> tuple[dict[Kind, Score], list[str]]:
    """Scores per kind, and the misses and false alarms, to read when a number drops."""
    scores = {k: Score() for k in Kind}
    notes = []
    for doc, spans in zip(planted, found, strict=True):
        text = doc.transcript.text
        for start, end, kind in doc.gold:
            s = scores[kind]
            s.gold += 1
            same = _covered(text, start, end, [f for f in spans if f.kind is kind])
            s.found += same
            s.masked += _covered(text, start, end, spans)
            if not same:
                notes.append(f"miss {kind.value:<14} {doc.name}: {text[start:end]!r}")
        for f in spans:
            s = scores[f.kind]
            s.predicted += 1
            ok = any(f.start < e and b < f.end and k is f.kind for b, e, k in doc.gold)
            s.correct += ok
            if not ok:
                notes.append(f"false {f.kind.value:<13} {doc.name}: {text[f.start : f.end]!r}")
    return scores, notes


def _covered(text: str, start: int, end: int, spans: Sequence[Found]) -> bool:
    return all(text[i].isspace() or any(f.start <= i < f.end for f in spans) for i in range(start, end))


def table(scores: dict[Kind, Score]) -> str:
    lines = [f"{'type':<15}{'gold':>5}{'recall':>8}{'masked':>8}{'pred':>6}{'precision':>10}"]
    for kind, s in scores.items():
        lines.append(
            f"{kind.value:<15}{s.gold:>5}{s.recall:>8.2f}{s.masked_recall:>8.2f}{s.predicted:>6}{s.precision:>10.2f}"
        )
    return "\n".join(lines)
