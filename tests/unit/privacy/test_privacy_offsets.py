"""Offsets carried over exactly from the old text to the pseudonymised one."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tzcld_qual.privacy.offsets import Replacement, rewrite


def test_positions_around_replacements() -> None:
    text = "Sylvie : moi c'est Sylvie, à Montclar."
    done = rewrite(text, [Replacement(0, 6, "[P_1]"), Replacement(19, 25, "[P_1]"), Replacement(29, 37, "[L_1]")])
    assert done.text == "[P_1] : moi c'est [P_1], à [L_1]."
    assert done.span(9, 38) == (8, len(done.text))
    assert done.text[slice(*done.span(0, 6))] == "[P_1]"
    assert done.position(len(text)) == len(done.text)
    with pytest.raises(ValueError, match="inside"):
        done.position(3)


@given(st.data())
def test_text_between_replacements_is_untouched(data: st.DataObject) -> None:
    text = data.draw(st.text(min_size=1, max_size=80))
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=8)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    replacements = [Replacement(a, b, data.draw(st.text(max_size=6))) for a, b in pairs]
    done = rewrite(text, replacements)
    bounds = sorted({0, len(text), *cuts})
    for a, b in itertools.pairwise(bounds):
        if (a, b) in pairs:
            continue
        assert done.text[done.position(a) : done.position(b)] == text[a:b]
