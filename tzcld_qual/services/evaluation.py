"""``evaluate``: train on the project's own material, score a gold file, report per code.

Training material is the codebook's examples, the bundled ``train`` split and any ``--train``
files; the ``--gold`` file is never used for training or tuning (thresholds come from
cross-validation on the training material).

A gold file of a few hundred segments gives a macro-F1 that sampling alone moves by several
points, so the report also gives a bootstrap interval for it, and how often the ensemble beats
each single coder on the same resampled segments.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tzcld_qual import paths
from tzcld_qual.codebook import load_codebook
from tzcld_qual.coders.base import Item, label_matrix
from tzcld_qual.errors import InputError, Text
from tzcld_qual.model import Codebook
from tzcld_qual.outputs import check_replaceable, write_bytes
from tzcld_qual.services.engine import Engine, EngineParams
from tzcld_qual.services.shared_vectors import SharedVectors
from tzcld_qual.services.training import (
    GoldRecord,
    TrainingData,
    bundled_gold,
    default_gold_train,
    from_codebook,
    from_gold,
    read_gold,
    same_text,
    unknown_labels,
)
from tzcld_qual.store import text_hash


@dataclass(frozen=True, slots=True)
class Evaluation:
    n: int
    micro_f1: float
    macro_f1: float
    per_code: dict[str, dict[str, float | int | None]]
    coders: dict[str, dict[str, float]]
    train_size: int
    thresholds: dict[str, float]
    macro_f1_ci: tuple[float, float]  # 95 % percentile bootstrap over segments
    left_out: int = 0  # bundled training answers also in the gold file, not trained on
    duplicates: int = 0  # --train records already in the training material with the same codes: learnt once
    conflicts: tuple[str, ...] = ()  # « file:id » of --train records already learnt with other codes

    def as_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "micro_f1": self.micro_f1,
            "macro_f1": self.macro_f1,
            "per_code": self.per_code,
            "coders": self.coders,
            "train_size": self.train_size,
            "thresholds": self.thresholds,
            "macro_f1_ci": list(self.macro_f1_ci),
            "left_out_of_training": self.left_out,
            "duplicates_left_out_of_training": self.duplicates,
            "label_conflicts_in_training": len(self.conflicts),
        }


def metrics(Y: np.ndarray, pred: np.ndarray, codes: Sequence[str]) -> tuple[float, float, dict[str, dict[str, Any]]]:
    from sklearn.metrics import cohen_kappa_score, f1_score, precision_recall_fscore_support

    per_code: dict[str, dict[str, Any]] = {}
    for c, code in enumerate(codes):
        p, r, f, _ = precision_recall_fscore_support(Y[:, c], pred[:, c], average="binary", zero_division=0)
        both_constant = len(set(Y[:, c].tolist()) | set(pred[:, c].tolist())) < 2
        kappa = None if both_constant else float(cohen_kappa_score(Y[:, c], pred[:, c]))
        per_code[code] = {
            "precision": round(float(p), 4),
            "recall": round(float(r), 4),
            "f1": round(float(f), 4),
            "kappa": None if kappa is None else round(kappa, 4),
            "support": int(Y[:, c].sum()),
        }
    micro = float(f1_score(Y, pred, average="micro", zero_division=0))
    used = [v["f1"] for v in per_code.values() if v["support"]] or [v["f1"] for v in per_code.values()]
    macro = float(np.mean(used))  # over the codes the gold file uses: one it never uses has no F1
    return round(micro, 4), round(macro, 4), per_code


BOOTSTRAP_ROUNDS = 1000


def bootstrap_macro_f1(
    Y: np.ndarray, preds: Sequence[np.ndarray], *, rounds: int = BOOTSTRAP_ROUNDS, seed: int = 0
) -> np.ndarray:
    """Macro-F1 of each prediction matrix on ``rounds`` resamplings of the segments (with
    replacement, the same draws for every matrix, so they can be compared draw by draw):
    an array ``rounds × len(preds)``. A code's F1 is 0 when it has no true positive, and the mean
    is over the codes each resample uses, as :func:`metrics` computes it on a file."""
    rng = np.random.default_rng(seed)
    n = len(Y)
    out = np.zeros((rounds, len(preds)))
    if n == 0:
        return out
    Yb, Pb = Y.astype(bool), [pred.astype(bool) for pred in preds]
    for start in range(0, rounds, 100):  # draws in blocks: 100 × n × codes booleans at a time
        idx = rng.integers(0, n, size=(min(100, rounds - start), n))
        y = Yb[idx]
        # The codes each resample uses, as :func:`metrics` takes those of the file (all of them
        # if it uses none): a code the draw left out has no F1, not an F1 of 0.
        used: np.ndarray = np.asarray(y.any(axis=1))
        used[~used.any(axis=1)] = True
        for j, pred in enumerate(Pb):
            p = pred[idx]
            tp = (p & y).sum(axis=1)
            wrong = (p ^ y).sum(axis=1)  # false positives + false negatives
            f1 = np.divide(2 * tp, 2 * tp + wrong, out=np.zeros(tp.shape), where=tp > 0)
            out[start : start + len(idx), j] = (f1 * used).sum(axis=1) / used.sum(axis=1)
    return out


def evaluate(
    gold: Path,
    *,
    train: Sequence[Path] = (),
    codebook_path: Path | None = None,
    predictions: Path | None = None,
    force: bool = False,
    embedder: Any = None,
    params: EngineParams | None = None,
    progress: Any = None,
) -> Evaluation:
    """Train, score ``gold`` and, with ``predictions``, write one line per gold segment there: a
    file that this tool did not write there is replaced only with ``force``, as by ``export``."""
    from tzcld_qual.services.embeddings import make_embedder

    codebook = load_codebook(codebook_path or paths.default_codebook())
    codes = codebook.top_ids
    if predictions is not None:
        bundled = [p for p in (paths.gold_split("train"), paths.gold_split("dev")) if p is not None]
        _check_writable(predictions, [gold, *train, codebook_path or paths.default_codebook(), *bundled])
        check_replaceable(predictions, force=force, ours=_earlier_predictions)
    records = _read_known(gold, codebook)
    material = training_material(codebook, gold, records, train)
    data = material.data
    embedder = embedder or make_embedder()
    cache: dict[str, np.ndarray] = {}
    shared = SharedVectors(embedder.model_id)  # the bundled texts' vectors, encoded once per user

    def embed(texts: Sequence[str]) -> np.ndarray:
        missing = {text_hash(t): t for t in dict.fromkeys(t for t in texts if t not in cache)}
        cache.update((missing.pop(h), v) for h, v in shared.get(list(missing)).items())
        if missing:
            fresh = embedder.encode(list(missing.values()))
            cache.update(zip(missing.values(), fresh, strict=True))
            shared.put(dict(zip(missing, fresh, strict=True)))
        return np.array([cache[t] for t in texts]) if texts else np.zeros((0, 0), np.float32)

    engine = Engine(codebook, params or EngineParams(), embed).fit(data, progress)
    test = from_gold(records, codes, codebook.roll_up)
    items = [
        Item(text=r.text, embedding=v, key=r.id, group=r.doc)
        for r, v in zip(records, embed([r.text for r in records]), strict=True)
    ]
    base = engine.ensemble.base_proba(items)
    proba = engine.ensemble.combine(base)
    thresholds = np.array([engine.thresholds[c] for c in codes])
    pred = (proba >= thresholds).astype(int)
    micro, macro, per_code = metrics(test.Y, pred, codes)
    singles: list[np.ndarray] = []
    for j, (name, _coder) in enumerate(engine.ensemble.coders_):
        t = np.array([engine.ensemble.base_thresholds_[name][c] for c in codes])
        singles.append((base[:, :, j] >= t).astype(int))
    draws = bootstrap_macro_f1(test.Y, [pred, *singles])
    low, high = np.percentile(draws[:, 0], [2.5, 97.5])
    coders = {}
    for j, ((name, _coder), single) in enumerate(zip(engine.ensemble.coders_, singles, strict=True), start=1):
        m_micro, m_macro, _ = metrics(test.Y, single, codes)
        coders[name] = {
            "micro_f1": m_micro,
            "macro_f1": m_macro,
            "ensemble_better": round(float((draws[:, 0] > draws[:, j]).mean()), 3),
        }
    if predictions:
        lines = (
            json.dumps(
                {
                    "id": r.id,
                    "labels": [c for c, x in zip(codes, row_pred, strict=True) if x],
                    "scores": {c: round(float(p), 4) for c, p in zip(codes, row_p, strict=True)},
                },
                ensure_ascii=False,
            )
            + "\n"
            for r, row_pred, row_p in zip(records, pred, proba, strict=True)
        )
        _write_predictions(predictions, "".join(lines))
    return Evaluation(
        len(records),
        micro,
        macro,
        per_code,
        coders,
        len(data),
        engine.thresholds,
        (round(low, 4), round(high, 4)),
        material.left_out,
        material.duplicates,
        material.conflicts,
    )


@dataclass(frozen=True, slots=True)
class TrainingMaterial:
    """What ``evaluate`` trains on, and what it left out of it or learnt in two versions."""

    data: TrainingData
    left_out: int = 0  # bundled texts the gold file holds too
    duplicates: int = 0  # --train records with the text and codes of one already there: learnt once
    conflicts: tuple[str, ...] = ()  # « file:id » of --train records whose text is there with other codes


def training_material(
    codebook: Codebook, gold: Path, records: Sequence[GoldRecord], train: Sequence[Path] = ()
) -> TrainingMaterial:
    """What ``evaluate`` trains on: the codebook's examples and the bundled ``train`` split minus
    the gold's texts, then the ``--train`` files (which must not share a segment with the gold
    file). A ``--train`` record whose text (spacing aside) and codes (as the engine learns them,
    top-level) are those of a bundled one or of an earlier ``--train`` one is learnt once: passing
    the bundled split as ``--train`` counted its 2,644 texts twice, silently. Same text with other
    codes is kept, and said (:attr:`TrainingMaterial.conflicts`): which version is right is the
    analyst's call."""
    codes = codebook.top_ids
    texts = [r.text for r in records]
    examples = from_codebook(codebook)
    bundled_path = default_gold_train()
    bundled = bundled_gold(codes) if bundled_path is not None and bundled_path.resolve() != gold.resolve() else None
    own = len(examples) + (len(bundled) if bundled is not None else 0)
    data = examples.without(texts)
    learnt: dict[str, set[tuple[int, ...]]] = {}  # each text's versions (label rows) already there
    if bundled is not None:
        bundled = bundled.without(texts)
        for text, row in zip(bundled.texts, bundled.Y.tolist(), strict=True):
            learnt.setdefault(same_text(text), set()).add(tuple(row))
        data = data + bundled
    left_out = own - len(data)
    duplicates, conflicts = 0, []
    for path in train:
        train_records = _read_known(path, codebook)
        _check_disjoint(path, train_records, gold, records)
        rows = label_matrix([r.labels for r in train_records], codes, codebook.roll_up).tolist()
        kept = []
        for record, row in zip(train_records, rows, strict=True):
            versions = learnt.setdefault(same_text(record.text), set())
            if tuple(row) in versions:
                duplicates += 1
                continue
            if versions:
                conflicts.append(f"{path.name}:{record.id}")
            versions.add(tuple(row))
            kept.append(record)
        data = data + from_gold(kept, codes, codebook.roll_up)
    return TrainingMaterial(data, left_out, duplicates, tuple(conflicts))


def _read_known(path: Path, codebook: Codebook) -> list[GoldRecord]:
    """A gold file whose labels are all code ids of ``codebook`` (a typo would silently count
    as "no code")."""
    records = read_gold(path)
    known = {code.id for code in codebook.codes}
    unknown = unknown_labels(records, known)
    if unknown:
        index, label = unknown[0]
        raise InputError(
            Text(
                "code inconnu « {label} » (segment {id}) : {n} étiquette(s) hors du codebook.",
                "unknown code « {label} » (segment {id}): {n} label(s) not in the codebook.",
            ),
            Text(
                "Les codes du codebook : {codes}. Les identifiants respectent la casse.",
                "The codebook's codes: {codes}. Ids are case-sensitive.",
            ),
            path=path,
            label=label,
            id=records[index].id,
            n=len(unknown),
            codes=", ".join(sorted(known)),
        )
    return records


def _check_disjoint(path: Path, train: Sequence[GoldRecord], gold: Path, test: Sequence[GoldRecord]) -> None:
    """``--train`` must not hold a segment of ``--gold``: the engine never learns its test."""
    ids = {r.id for r in test}
    texts = {same_text(r.text) for r in test}
    shared = [r.id for r in train if r.id in ids or same_text(r.text) in texts]
    if shared:
        raise InputError(
            Text(
                "{n} segment(s) de ce fichier --train sont aussi dans {gold} (premier : {id}).",
                "{n} segment(s) of this --train file are also in {gold} (first: {id}).",
            ),
            Text(
                "Le fichier évalué ne doit jamais servir à l'entraînement : retirez-les de l'un des deux.",
                "The evaluated file must never be trained on: remove them from one of the two.",
            ),
            path=path,
            n=len(shared),
            gold=gold.name,
            id=shared[0],
        )


_UNWRITABLE = (
    Text("impossible d'écrire ce fichier de prédictions.", "cannot write this predictions file."),
    Text(
        "Vérifiez que le dossier existe et que vous pouvez y écrire.",
        "Check that the folder exists and that you can write there.",
    ),
)


def _check_writable(predictions: Path, inputs: Sequence[Path]) -> None:
    """Refuse, before any model work, a ``--predictions`` file that cannot be written or would
    overwrite one of the command's own inputs (the gold file, a ``--train`` file, the codebook,
    given or default, the bundled gold splits: the train split was once replaced by 60 lines)."""
    target = predictions.resolve()
    for source in inputs:
        if source.resolve() == target:
            raise InputError(
                Text(
                    "--predictions écraserait un fichier d'entrée : {name}.",
                    "--predictions would overwrite an input file: {name}.",
                ),
                Text(
                    "Donnez un autre chemin : predictions.jsonl par exemple.", "Give another path: predictions.jsonl."
                ),
                path=predictions,
                name=source.name,
            )
    folder = target.parent
    if (
        not folder.is_dir()
        or not os.access(folder, os.W_OK)
        or predictions.is_dir()
        or (predictions.exists() and not os.access(predictions, os.W_OK))
    ):
        raise InputError(*_UNWRITABLE, path=predictions)


PREDICTION_KEYS = frozenset({"id", "labels", "scores"})  # each line of a predictions file, and nothing else


def _write_predictions(path: Path, text: str) -> None:
    """Write as every output is (:func:`~tzcld_qual.outputs.write_bytes`): through a temporary
    file, so that a failure (disk full, a folder made read-only meanwhile) is a clear error and
    leaves an earlier file whole, and recorded as this tool's, so that the next run replaces it."""
    write_bytes(path, text.encode("utf-8"), "predictions.jsonl")


def _earlier_predictions(path: Path, limit: int = 50_000_000) -> bool:
    """Whether ``path``, which the outputs' record does not know (written before it was kept, or
    the record lost), is a predictions file as :func:`evaluate` writes them: JSON lines holding
    exactly ``id``, ``labels`` and ``scores``. Such a file is this command's to replace; notes or
    a gold file are not."""
    try:
        if path.stat().st_size > limit:
            return False
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    try:
        rows = [json.loads(line) for line in lines]
    except ValueError:
        return False
    return bool(rows) and all(isinstance(row, dict) and row.keys() == PREDICTION_KEYS for row in rows)


def dev_answers(engine: Engine, trained_on: Sequence[str] = ()) -> tuple[TrainingData, int] | None:
    """The bundled ``dev`` answers a model is measured on, and how many are left out because it
    was trained on them (``trained_on``); ``None`` without a ``dev`` split."""
    dev = paths.gold_split("dev")
    if dev is None:
        return None
    everything = from_gold(read_gold(dev), engine.codebook.top_ids, engine.codebook.roll_up)
    kept = everything.without(trained_on)
    return kept, len(everything) - len(kept)


def dev_macro_f1(engine: Engine, trained_on: Sequence[str] = ()) -> float | None:
    """Macro-F1 of a fitted engine on the bundled ``dev`` split, when it is there and its codes
    are the engine's; answers the engine was trained on (``trained_on``: an analyst coded them in
    the project, as the demo project holds the ``dev`` interviews) are left out."""
    found = dev_answers(engine, trained_on)
    if found is None or not found[0].Y.any():
        return None
    test, codes = found[0], engine.codebook.top_ids
    items = test.items(engine.embed)
    proba = engine.ensemble.predict_proba(items)
    pred = (proba >= np.array([engine.thresholds[c] for c in codes])).astype(int)
    return metrics(test.Y, pred, codes)[1]
