"""Training material for the coders: codebook examples, gold files and the analysts' decisions.

Labels come as an ``n × k`` 0/1 matrix over the codebook's top-level codes, with per-code
weights where 0 means "unknown": a codebook near-miss negative says a text is *not* its code and
nothing about the others; an analyst's rejection says the code does not apply.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tzcld_qual.coders.base import Item, label_matrix
from tzcld_qual.errors import InputError, Text
from tzcld_qual.model import NO_CODE, Codebook, Role
from tzcld_qual.store import ProjectStore

HUMAN_WEIGHT = 2.0  # an analyst's decision in this project outweighs a written example
NEGATIVE_WEIGHT = 2.0  # near misses are the informative negatives


@dataclass(frozen=True, slots=True)
class GoldRecord:
    id: str
    text: str
    labels: tuple[str, ...]
    doc: str
    role: str = ""


def same_text(text: str) -> str:
    """What two copies of a segment share whatever their spacing (a re-import, a gold file)."""
    return " ".join(text.split())


@dataclass
class TrainingData:
    texts: list[str] = field(default_factory=list)
    Y: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int8))
    W: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    groups: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)

    def __add__(self, other: TrainingData) -> TrainingData:
        if not self.texts:
            return other
        if not other.texts:
            return self
        return TrainingData(
            self.texts + other.texts,
            np.vstack([self.Y, other.Y]),
            np.vstack([self.W, other.W]),
            self.groups + other.groups,
            self.keys + other.keys,
            self.contexts + other.contexts,
        )

    def __len__(self) -> int:
        return len(self.texts)

    def without(self, texts: Sequence[str]) -> TrainingData:
        """These rows except those whose text (spacing aside) is one of ``texts``."""
        drop = {same_text(t) for t in texts}
        keep = [i for i, t in enumerate(self.texts) if same_text(t) not in drop]
        if len(keep) == len(self.texts):
            return self
        return TrainingData(
            [self.texts[i] for i in keep],
            self.Y[keep],
            self.W[keep],
            [self.groups[i] for i in keep],
            [self.keys[i] for i in keep],
            [self.contexts[i] for i in keep],
        )

    def items(self, embed: Callable[[Sequence[str]], np.ndarray]) -> list[Item]:
        vectors = embed(self.texts)
        return [
            Item(text=t, embedding=v, context=c, key=k, group=g)
            for t, v, c, k, g in zip(self.texts, vectors, self.contexts, self.keys, self.groups, strict=True)
        ]

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for text, y, w in zip(self.texts, self.Y.tolist(), self.W.tolist(), strict=True):
            h.update(json.dumps([text, y, w]).encode())
        return h.hexdigest()


def from_codebook(codebook: Codebook) -> TrainingData:
    """Examples are positives of their code (rolled up) and negatives of the others; near misses
    are negatives of their own code only."""
    codes = codebook.top_ids
    texts, labels, weights, groups = [], [], [], []
    for code in codebook.codes:
        top = codes.index(code.top)
        for i, example in enumerate(code.examples):
            texts.append(example)
            labels.append([code.top])
            weights.append(np.ones(len(codes)))
            groups.append(f"codebook:{code.id}:{i % 4}")
        for i, negative in enumerate(code.negatives):
            w = np.zeros(len(codes))
            w[top] = NEGATIVE_WEIGHT
            texts.append(negative)
            labels.append([])
            weights.append(w)
            groups.append(f"codebook:{code.id}:neg{i % 2}")
    return TrainingData(
        texts,
        label_matrix(labels, codes),
        np.array(weights),
        groups,
        [f"codebook:{g}" for g in groups],
        [""] * len(texts),
    )


def read_gold(path: Path) -> list[GoldRecord]:
    """Read a gold JSON Lines file (``id``, ``text``, ``labels``, ``doc``, ``role``)."""
    if not path.is_file():
        raise InputError(
            Text("c'est un dossier, pas un fichier JSON Lines.", "this is a folder, not a JSON Lines file.")
            if path.is_dir()
            else Text("fichier introuvable.", "file not found."),
            Text(
                "Donnez un fichier au format gold (une ligne JSON par segment), par exemple corpora/gold/dev.jsonl.",
                "Give a file in the gold format (one JSON line per segment), e.g. corpora/gold/dev.jsonl.",
            ),
            path=path,
        )
    records: list[GoldRecord] = []
    first_line: dict[str, int] = {}
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()  # a BOM, as Windows editors write
    except UnicodeDecodeError:
        raise InputError(Text("le fichier n'est pas en UTF-8.", "the file is not UTF-8."), None, path=path) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            _check_gold_types(raw)
            record = GoldRecord(
                id=str(raw["id"]),
                text=str(raw["text"]),
                labels=tuple(str(x) for x in raw["labels"]),
                doc=str(raw.get("doc") or ""),
                role=str(raw.get("role") or ""),
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(
                Text("ligne gold invalide ({why}).", "invalid gold line ({why})."),
                Text(
                    'Format : {{"id": …, "text": …, "labels": ["F3"], "doc": …, "role": …}} par ligne.',
                    'Format: {{"id": …, "text": …, "labels": ["F3"], "doc": …, "role": …}} per line.',
                ),
                path=path,
                line=number,
                why=_why(exc),
            ) from None
        if record.id in first_line:  # predictions are joined back to the gold by id
            raise InputError(
                Text(
                    "identifiant « {id} » en double (déjà ligne {first}).",
                    "duplicate id « {id} » (already on line {first}).",
                ),
                Text("Chaque segment doit avoir son propre « id ».", "Each segment needs its own « id »."),
                path=path,
                line=number,
                id=record.id,
                first=first_line[record.id],
            )
        first_line[record.id] = number
        records.append(record)
    if not records:
        raise InputError(
            Text("fichier gold vide.", "empty gold file."),
            Text(
                'Une ligne JSON par segment annoté : {{"id": …, "text": …, "labels": ["F3"]}}.',
                'One JSON line per coded segment: {{"id": …, "text": …, "labels": ["F3"]}}.',
            ),
            path=path,
        )
    return records


def _why(exc: Exception) -> str:
    """What is wrong with a gold line, without Python's exception names."""
    if isinstance(exc, json.JSONDecodeError):
        return f"JSON illisible, colonne {exc.colno} : {exc.msg}"
    if isinstance(exc, KeyError):
        return f"champ « {exc.args[0]} » manquant"
    return str(exc)


def _check_gold_types(raw: object) -> None:
    """A gold line is an object whose ``text`` is a string and ``labels`` a list of strings
    (``"labels": "F3"`` would otherwise read as the labels F and 3)."""
    if not isinstance(raw, dict):
        raise TypeError("une ligne doit être un objet JSON")
    ident = raw.get("id")
    if "id" in raw and (isinstance(ident, bool) or not isinstance(ident, str | int) or not str(ident).strip()):
        raise TypeError("« id » doit être une chaîne ou un nombre, non vide")
    if "text" in raw and not isinstance(raw["text"], str):
        raise TypeError("« text » doit être une chaîne")
    labels = raw.get("labels")
    if "labels" in raw and not (isinstance(labels, list) and all(isinstance(x, str) for x in labels)):
        raise TypeError("« labels » doit être une liste d'identifiants de codes")


def unknown_labels(records: Sequence[GoldRecord], known: Collection[str]) -> list[tuple[int, str]]:
    """``(record index, label)`` of every label that is not a code id of ``known``."""
    return [(i, label) for i, r in enumerate(records) for label in r.labels if label not in known]


def from_gold(
    records: Sequence[GoldRecord], codes: Sequence[str], roll_up: Callable[[str], str] | None = None
) -> TrainingData:
    """``roll_up``: the codebook's, so a sub-code whose id has no dot still counts for its parent."""
    return TrainingData(
        [r.text for r in records],
        label_matrix([r.labels for r in records], codes, roll_up),
        np.ones((len(records), len(codes))),
        [f"gold:{r.doc or r.id}" for r in records],
        [r.id for r in records],
        [""] * len(records),
    )


PENDING = "pending"  # a model's suggestion on a decided segment that no analyst has judged
CONFLICT = "conflict"  # analysts applied and rejected the same code on a segment


def decision_rows(store: ProjectStore) -> list[list[Any]]:
    """``[segment, code, status, coder]`` of every human decision, then a ``pending`` row per
    suggestion of the current model on a segment someone decided, whose code nobody decided
    there: what a model learns from, recorded with it."""
    human = store.codings.human()
    rows: list[list[Any]] = [[c.segment_id, c.code_id, c.status.value, c.origin] for c in human]
    marks = sorted(store.codings.no_code())  # « relu, aucun code »: every code rejected there
    rows += [[segment_id, NO_CODE, "rejected", coder] for segment_id, coder in marks]
    model = store.meta("current_model")
    if model and rows:
        decided = {(c.segment_id, c.code_id) for c in human}
        read = sorted({c.segment_id for c in human} | {segment_id for segment_id, _coder in marks})
        for segment_id, codings in store.codings.for_segments(read).items():
            rows += [
                [segment_id, c.code_id, PENDING, model]
                for c in codings
                if c.origin == model and (segment_id, c.code_id) not in decided
            ]
    return rows


def _merged(rows: Sequence[Sequence[Any]], codebook: Codebook) -> dict[int, dict[str, str]]:
    """Per segment, each top-level code's verdict: ``accepted``/``manual`` (applied, by anyone),
    ``rejected``, ``decided`` (only a sub-code rejected), ``pending``, or ``conflict`` when one
    analyst applied it and another rejected it (then unknown: neither verdict is learnt)."""
    applied = ("accepted", "manual")
    by_segment: dict[int, dict[str, str]] = {}
    for segment_id, code_id, status, _coder in _expanded(rows, codebook):
        top = codebook.roll_up(str(code_id))
        statuses = by_segment.setdefault(int(str(segment_id)), {})
        current = statuses.get(top)
        if status == PENDING:
            if current in (None, "decided"):  # a suggested parent stays unknown whatever its sub-codes
                statuses[top] = PENDING
            continue
        if status == "rejected" and top != code_id:
            status = "decided"  # "not F3.sante" is not "not F3": its parent gets no rejection weight
        if (status in applied and current == "rejected") or (status == "rejected" and current in applied):
            statuses[top] = CONFLICT
        elif current is None or (current != CONFLICT and (status in applied or current == "decided")):
            statuses[top] = str(status)
        elif status == "rejected" and current == PENDING:
            statuses[top] = "rejected"
    return by_segment


def _expanded(rows: Sequence[Sequence[Any]], codebook: Codebook) -> list[Sequence[Any]]:
    """The rows, each « relu, aucun code » mark read as its coder's rejection of every top-level
    code there: merged with other analysts' decisions as a rejection is (one who applied a code
    where another saw none is a disagreement, not learnt)."""
    return [
        expanded
        for row in rows
        for expanded in (
            [[row[0], top, "rejected", row[3]] for top in codebook.top_ids] if row[1] == NO_CODE else [row]
        )
    ]


def disagreements(rows: Sequence[Sequence[Any]], codebook: Codebook) -> int:
    """How many (segment, code) pairs analysts decided both ways: left out of training."""
    return sum(s == CONFLICT for statuses in _merged(rows, codebook).values() for s in statuses.values())


def human_decisions(rows: Sequence[Sequence[object]]) -> int:
    """How many of a model's recorded rows are analysts' decisions (not pending suggestions)."""
    return sum(1 for row in rows if row[2] != PENDING)


def human_rows(rows: Sequence[Sequence[object]]) -> list[tuple[str, ...]]:
    """A model's recorded human decisions, sorted and as text: comparable with another record's
    (read back from JSON) or with the project's rows now."""
    return sorted(tuple(map(str, row)) for row in rows if row[2] != PENDING)


def from_decisions(
    store: ProjectStore, codebook: Codebook, only: Sequence[Sequence[Any]] | None = None
) -> TrainingData:
    """Every respondent segment an analyst decided on: applied codes positive, rejected ones
    negative (weighing more), and the codes nobody suggested there negative too: the analyst read
    the segment and did not add them. A code the model suggested there and nobody decided yet
    (a ``pending`` row) is unknown: accepting one suggestion with ``a`` says nothing of the others;
    so is a code two analysts decided both ways. ``only``: a recorded snapshot of ``[segment,
    code, status, coder]`` rows to use instead of the current decisions and pending suggestions
    (to refit a model exactly as it was)."""
    codes = codebook.top_ids
    by_segment = _merged(only if only is not None else decision_rows(store), codebook)
    if not by_segment:
        return TrainingData()
    segments = {s.id: s for s in store.documents.segments(ids=sorted(by_segment), current=False)}
    texts, labels, weights, groups, keys = [], [], [], [], []
    for seg_id, statuses in sorted(by_segment.items()):
        seg = segments.get(seg_id)
        if seg is None or seg.role is not Role.RESPONDENT:
            continue
        applied = [c for c, s in statuses.items() if s in ("accepted", "manual")]
        w = np.full(len(codes), HUMAN_WEIGHT)
        for c, s in statuses.items():
            if s == "rejected" and c in codes:
                w[codes.index(c)] = HUMAN_WEIGHT * 1.5
            elif s in (PENDING, CONFLICT) and c in codes:
                w[codes.index(c)] = 0.0
        texts.append(seg.text)
        labels.append(applied)
        weights.append(w)
        groups.append(f"project:{seg.document}")
        keys.append(str(seg.id))
    return TrainingData(
        texts,
        label_matrix(labels, codes),
        np.array(weights) if weights else np.zeros((0, len(codes))),
        groups,
        keys,
        [""] * len(texts),
    )


def bundled_gold(codes: Sequence[str]) -> TrainingData:
    """The bundled train split, teaching only the codes its labels use: it was coded with the
    TZCLD codebook, so a project with a codebook of its own learns nothing from it, and a code
    added to the TZCLD codebook gets neither positives nor (wrong) negatives from it."""
    path = default_gold_train()
    if path is None:
        return TrainingData()
    data = from_gold(read_gold(path), codes)
    used = data.Y.astype(bool).any(axis=0)
    if not used.any():
        return TrainingData()
    data.W[:, ~used] = 0.0
    return data


def default_gold_train() -> Path | None:
    """The bundled train split (``corpora/gold/train.jsonl``) when run from a checkout."""
    from tzcld_qual import paths

    return paths.gold_split("train")
