"""The export's description line per coding, read back leniently (other tools keep, cut or edit it)."""

from __future__ import annotations

import unicodedata

import pytest
from refi_fixture import CODEBOOK

from tzcld_qual.codebook import parse_codebook
from tzcld_qual.model import Coding, Status
from tzcld_qual.reports.refi.descriptions import DescribedCoding, describe, read_description


def coding(origin: str, code: str, status: Status, confidence: float | None = None, why: str = "") -> Coding:
    return Coding(1, 1, code, status, origin, confidence, why, "2026-01-01", "2026-01-01")


def test_what_is_written_reads_back():
    codebook = parse_codebook(CODEBOOK)
    rows = [
        coding("alice", "F2", Status.REJECTED),
        coding("ensemble@1", "F2", Status.SUGGESTED, 0.9962, "2/3 codeurs ; mots :\n« regard »"),
        coding("bruno", "F1.cle", Status.MANUAL),
        coding("ensemble@1", "F1", Status.SUGGESTED, 0.4),
    ]
    text = "\n".join(describe(c, codebook) for c in rows)
    assert "ensemble@1 : F1 (Concertation du CLE) — suggéré ; confiance 0.40" in text
    assert read_description(text) == (
        DescribedCoding("alice", "F2", Status.REJECTED, None, ""),
        DescribedCoding("ensemble@1", "F2", Status.SUGGESTED, 0.9962, "2/3 codeurs ; mots :\n« regard »"),
        DescribedCoding("bruno", "F1.cle", Status.MANUAL, None, ""),
        DescribedCoding("ensemble@1", "F1", Status.SUGGESTED, 0.4, ""),
    )


def test_an_explanation_keeps_its_lines():
    """A model's explanation is a line per coder; written on one line, it came back as one run-on
    line (« … supervisé ✓ 0.78) embeddings : … »)."""
    codebook = parse_codebook(CODEBOOK)
    why = (
        "2/3 codeurs d'accord (lexique ✗ 0.10 · embeddings ✓ 0.91 · supervisé ✓ 0.78)\n"
        "embeddings : exemple proche de « On a dit que l'atelier vélo… » (similarité 0.64)\n\n"
        "supervisé : mots : « jamais », « demande »"
    )
    text = "\n".join(
        [
            describe(coding("ensemble@1", "F2", Status.SUGGESTED, 0.55, why), codebook),
            describe(coding("alice", "F2", Status.REJECTED), codebook),
        ]
    )
    assert text.splitlines()[1].startswith("    embeddings : ")
    assert read_description(text) == (
        DescribedCoding("ensemble@1", "F2", Status.SUGGESTED, 0.55, why.replace("\n\n", "\n")),
        DescribedCoding("alice", "F2", Status.REJECTED, None, ""),
    )
    # A tool that strips the indentation loses the further lines, never a coding.
    flat = "\n".join(line.strip() for line in text.splitlines())
    assert [c.code for c in read_description(flat)] == ["F2", "F2"]
    assert read_description(flat)[0].explanation == why.splitlines()[0]


def test_lines_another_tool_or_an_analyst_changed_are_skipped_or_read_as_far_as_they_go():
    text = "\n".join(
        [
            "Relu en réunion le 3 mars.",  # a comment added in NVivo
            "alice : F2 (Regard des autres) — à revoir",  # no status we know
            "alice : F2",  # cut
            "  Marie Dupont : F3 — accepted  ",  # English export, spaces around
            "ensemble@1 : F1 — suggéré ; confiance beaucoup ; mots : comité",  # score edited away
            "ensemble@1 : F2 — suggéré ; confiance 1,7",  # no confidence above 1
            "ensemble@1 : F3 — suggested ; confidence 0,55",
            "",
        ]
    )
    assert read_description(text) == (
        DescribedCoding("Marie Dupont", "F3", Status.ACCEPTED, None, ""),
        DescribedCoding("ensemble@1", "F1", Status.SUGGESTED, None, "confiance beaucoup ; mots : comité"),
        DescribedCoding("ensemble@1", "F2", Status.SUGGESTED, None, ""),
        DescribedCoding("ensemble@1", "F3", Status.SUGGESTED, 0.55, ""),
    )
    assert read_description("") == ()


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda line: unicodedata.normalize("NFD", line), id="accents saved decomposed"),
        pytest.param(lambda line: line.replace(" :", "\u00a0:").replace(" ;", "\u202f;"), id="French spaces"),
        pytest.param(lambda line: line.replace(" — ", " - "), id="dash retyped"),
        pytest.param(lambda line: line.replace(" — ", " – "), id="en dash"),
        pytest.param(lambda line: line.replace(" ; ", "  ;  "), id="spaces doubled"),
    ],
)
def test_a_line_read_back_after_an_ordinary_edit(edit):
    """A rejection whose line was saved with decomposed accents, French spaces or another dash was
    left out: a missing row instead of a « no »."""
    line = "alice : F4 (Changement de regard sur soi - estime) — rejeté ; confiance 0.55 ; revu"
    assert read_description(edit(line)) == (DescribedCoding("alice", "F4", Status.REJECTED, 0.55, "revu"),)
