"""The planted test set with the rules alone (no NER): the structured identifiers are all found.

The names' target (recall ≥ 0.95) is checked with the real model in
``tests/models/test_pseudonymize_recall.py``; here the rules must already catch most of them.
"""

from __future__ import annotations

from pathlib import Path

from planted_corpus import load_planted, score, table

from tzcld_qual.privacy.spans import Kind


def test_rules_alone_on_the_planted_set(tmp_path: Path, make_engine, capsys) -> None:  # type: ignore[no-untyped-def]
    planted = load_planted(tmp_path)
    engine = make_engine(territories=[p.territory for p in planted])
    scores, notes = score(planted, engine.find([p.source for p in planted]))
    with capsys.disabled():
        print("\nplanted set, rules only (no NER):\n" + table(scores))
    for kind in (Kind.TELEPHONE, Kind.EMAIL, Kind.ADRESSE, Kind.DATE_NAISSANCE):
        assert scores[kind].recall == 1.0, notes
        assert scores[kind].precision == 1.0, notes
    assert scores[Kind.PERSONNE].gold > 100
    assert scores[Kind.PERSONNE].recall >= 0.85, notes
    assert scores[Kind.PERSONNE].precision >= 0.95, notes
