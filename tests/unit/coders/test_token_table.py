"""TokenTable: the lexicon's word facts looked up for a batch of ORTH ids at once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tzcld_qual.coders.token_table import TokenTable


@dataclass(frozen=True)
class Facts:
    written: tuple[int, ...]
    is_word: bool
    short_negator: bool
    anchors: tuple[str, ...]
    literal_ids: tuple[int, ...]


def _make(seen: list[int]):  # type: ignore[no-untyped-def]
    def make(orth: int) -> Facts:
        seen.append(orth)
        ids = (orth % 5, orth % 3) if orth > 100 else (orth % 5,) if orth > 2 else ()
        return Facts((orth, orth % 7), orth % 2 == 0, orth == 4, ("mot",) if orth > 100 else (), ids)

    return make


def test_rows_give_each_id_its_own_facts_computed_once() -> None:
    seen: list[int] = []
    table = TokenTable(_make(seen), 2)
    first = table.rows(np.array([500, 4, 500, 9], dtype=np.uint64))
    second = table.rows(np.array([9, 2**63 + 5, 4, 1], dtype=np.uint64))
    assert sorted(seen) == [1, 4, 9, 500, 2**63 + 5]  # each new id once, ids above 2**63 too
    for orths, rows in (([500, 4, 500, 9], first), ([9, 2**63 + 5, 4, 1], second)):
        assert [table.facts[r].written[0] for r in rows.tolist()] == orths
        assert table.written[rows, 0].tolist() == orths
        assert table.is_word[rows].tolist() == [int(o % 2 == 0) for o in orths]
        assert table.short_negator[rows].tolist() == [int(o == 4) for o in orths]
        assert table.anchor[rows].tolist() == [o > 100 for o in orths]
        padded = [[*table.facts[r].literal_ids, -1, -1][:2] for r in rows.tolist()]
        assert table.word_ids[rows].tolist() == padded
        assert [len(table.facts[r].literal_ids) for r in rows.tolist()] == [2 if o > 100 else int(o > 2) for o in orths]


def test_an_empty_batch_and_a_known_batch_add_nothing() -> None:
    seen: list[int] = []
    table = TokenTable(_make(seen), 2)
    assert table.rows(np.zeros(0, dtype=np.uint64)).tolist() == []
    table.rows(np.array([3, 8], dtype=np.uint64))
    assert table.rows(np.array([8, 8, 3], dtype=np.uint64)).tolist() == [1, 1, 0]
    assert seen == [3, 8]
