"""Agreement of a second, blind coding of the ``dev`` split with its gold labels.

It bounds what a coder can be asked to reach on ``dev``: where two careful readers of the
codebook disagree, no model is wrong or right. Prints, per code, the second coding's precision,
recall, F1 and Cohen's kappa against the gold, then micro and macro F1 (the figures
``tzcld-qual evaluate`` prints for a model).

    .venv/bin/python corpora/agreement/score.py [SECOND.jsonl]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from tzcld_qual import paths
from tzcld_qual.codebook import load_codebook
from tzcld_qual.coders.base import label_matrix
from tzcld_qual.services.evaluation import metrics
from tzcld_qual.services.training import read_gold

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    second_path = Path(argv[0]) if argv else HERE / "dev-second-coding.jsonl"
    gold = read_gold(HERE.parent / "gold" / "dev.jsonl")
    second = {r["id"]: r["labels"] for r in map(json.loads, second_path.read_text(encoding="utf-8").splitlines())}
    missing = [r.id for r in gold if r.id not in second]
    if missing:
        print(f"{second_path}: {len(missing)} dev answers not coded (first: {missing[0]})", file=sys.stderr)
        return 1
    codes = load_codebook(paths.default_codebook()).top_ids
    Y = label_matrix([r.labels for r in gold], codes)
    S = label_matrix([second[r.id] for r in gold], codes)
    micro, macro, per_code = metrics(Y, S, codes)
    print(f"{len(gold)} answers · second coding against gold: micro-F1 {micro:.3f} · macro-F1 {macro:.3f}")
    for code, m in per_code.items():
        print(
            f"  {code}  P {m['precision']:.2f}  R {m['recall']:.2f}  F1 {m['f1']:.2f}  "
            f"kappa {m['kappa']:.2f}  support {m['support']}"
        )
    print(f"  mean kappa {np.mean([m['kappa'] for m in per_code.values()]):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
