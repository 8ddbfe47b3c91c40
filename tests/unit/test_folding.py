"""The two matching forms of French text: ligatures spelt out, or one character per character."""

from __future__ import annotations

from tzcld_qual.folding import fold_in_place, strip_accents


def test_strip_accents_spells_ligatures_out_and_keeps_case() -> None:
    assert strip_accents("Été, cœur, Œuvre, ex æquo") == "Ete, coeur, OEuvre, ex aequo"
    assert strip_accents("déjà vu") == "deja vu" and strip_accents("plain") == "plain"


def test_fold_in_place_keeps_every_offset() -> None:
    text = "À l’EBE, Hélène a dit : « cœur »"
    folded = fold_in_place(text)
    assert len(folded) == len(text)
    assert folded == "a l'ebe, helene a dit : « cœur »"
    at = folded.find("helene")
    assert text[at : at + 6] == "Hélène"
