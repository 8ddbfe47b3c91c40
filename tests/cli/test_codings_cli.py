"""``tzcld-qual codings``: a code's sub-codes come with it, by the project's codebook."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from transcripts import add_transcript

from tzcld_qual.codebook import load_codebook
from tzcld_qual.model import Role, Status
from tzcld_qual.store import ProjectStore

BOOK = """
codebook: {name: essai, version: 1, language: fr}
codes:
  - id: MOI
    definition: "Le regard sur soi."
  - id: fierte
    parent: MOI
    definition: "La fierté."
  - id: DROITS
    definition: "Les droits."
"""


def test_codings_of_a_code_include_its_sub_codes_named_without_a_dot(cli: Callable, tmp_path: Path) -> None:
    book = tmp_path / "book.yaml"
    book.write_text(BOOK, encoding="utf-8")
    project = tmp_path / "p.tzq"
    with ProjectStore(project, create=True) as store:
        store.codebooks.add(load_codebook(book), BOOK, str(book))
        add_transcript(
            store,
            [
                ("Enquêtrice", Role.INTERVIEWER, "Et le CDI ?"),
                ("Martine", Role.RESPONDENT, "Je suis fière. J'ai mes droits."),
            ],
        )
        seg = store.documents.segments(role=Role.RESPONDENT)[0].id
        for code in ("MOI", "fierte", "DROITS"):
            store.codings.decide(seg, code, "alice", Status.MANUAL)
    result = cli("codings", project, "--code", "MOI", "--json")
    assert result.code == 0, result.err
    assert sorted(json.loads(line)["code"] for line in result.out.splitlines()) == ["MOI", "fierte"]
