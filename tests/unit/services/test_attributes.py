"""The three-way merge of attributes on re-import, and an analyst's edits."""

from __future__ import annotations

import pytest

from tzcld_qual.errors import UsageError
from tzcld_qual.services.attributes import Change, describe, merge, parse_assignments, parse_removals
from tzcld_qual.store import AttributeSources

HEADER = {"role": "salarié·e EBE", "round": "vague 1"}
KNOWN = AttributeSources(HEADER, {}, frozenset())  # what the files said at the last import
UNKNOWN = AttributeSources()  # a document imported before the sources were kept


@pytest.mark.parametrize(
    ("project", "sources", "header", "given", "expected"),
    [
        (None, UNKNOWN, HEADER, {}, HEADER),  # a new document takes its header
        (None, UNKNOWN, HEADER, {"round": "vague 2"}, {"role": "salarié·e EBE", "round": "vague 2"}),
        ({"role": "élu·e", "round": "vague 1"}, KNOWN, HEADER, {}, {"role": "élu·e", "round": "vague 1"}),
        ({"role": "salarié·e EBE"}, KNOWN, HEADER, {}, {"role": "salarié·e EBE"}),  # a removal stays removed
        (
            {"role": "élu·e", "round": "vague 1"},
            KNOWN,
            {**HEADER, "round": "vague 3"},  # the file's own edit is taken, the correction kept
            {},
            {"role": "élu·e", "round": "vague 3"},
        ),
        ({"role": "élu·e"}, KNOWN, HEADER, {"role": "partenaire"}, {"role": "partenaire"}),  # a new row is taken
        ({"role": "élu·e", "date": "2024"}, KNOWN, {}, {}, {"role": "élu·e", "date": "2024"}),  # header emptied
        ({"role": "élu·e"}, UNKNOWN, HEADER, {}, {"role": "élu·e", "round": "vague 1"}),  # unknown: fill gaps only
        # an analyst removed the round: no gap to fill, even when the header is unknown
        ({"role": "élu·e"}, AttributeSources(corrected=frozenset({"round"})), HEADER, {}, {"role": "élu·e"}),
        # an analyst corrected the role: the same row of the attributes file does not undo it
        (
            {"role": "élu·e (maire)"},
            AttributeSources(HEADER, {"role": "élu·e"}, frozenset({"role"})),
            HEADER,
            {"role": "élu·e"},
            {"role": "élu·e (maire)"},
        ),
    ],
)
def test_merge(
    project: dict[str, str] | None,
    sources: AttributeSources,
    header: dict[str, str],
    given: dict[str, str],
    expected: dict[str, str],
) -> None:
    assert merge(project, sources, header, given).values == expected


def test_what_the_files_said_is_recorded_and_a_correction_lifted_when_a_file_changes_it() -> None:
    corrected = AttributeSources(HEADER, {"role": "élu·e"}, frozenset({"role", "date"}))
    merged = merge({"role": "maire"}, corrected, HEADER, {"role": "adjointe", "ebe": "La Fabrique"})
    assert merged.values == {"role": "adjointe", "ebe": "La Fabrique"}  # the round stays removed
    assert merged.sources == AttributeSources(HEADER, {"role": "adjointe", "ebe": "La Fabrique"}, frozenset({"date"}))
    assert [(t.key, t.old, t.new, t.over_correction) for t in merged.taken] == [
        ("role", "maire", "adjointe", True),
        ("ebe", None, "La Fabrique", False),
    ]


def test_only_what_a_file_changed_is_taken() -> None:
    """A review: the header's edit of the round, then the unchanged attributes file's old round,
    ended on the old round, said as two changes; and a removal came back without a word."""
    last = AttributeSources({"round": "vague 2"}, {"round": "vague 2", "territory": "Coteaux"}, frozenset({"round"}))
    merged = merge({"round": "vague 3"}, last, {"round": "vague 4"}, {"round": "vague 2", "territory": "Coteaux"})
    assert merged.values == {"round": "vague 4"}  # the header's edit, over the correction; the removal stays
    assert [(t.key, t.old, t.new, t.source, t.over_correction) for t in merged.taken] == [
        ("round", "vague 3", "vague 4", "l'en-tête", True)
    ]
    back = merge({}, last, {"round": "vague 2"}, {"territory": "Haut-Vallon"})
    assert [(t.key, t.old, t.new) for t in back.taken] == [("territory", None, "Haut-Vallon")]  # said


def test_a_header_the_project_cannot_place_is_reported_not_taken() -> None:
    merged = merge({"role": "élu·e"}, UNKNOWN, HEADER, {}, "a.txt")
    assert merged.values == {"role": "élu·e", "round": "vague 1"}
    assert merged.notes == [
        "l'en-tête dit rôle : salarié·e EBE, le projet garde élu·e (le projet ne sait pas si l'en-tête a changé "
        "depuis) ; pour reprendre le fichier : tzcld-qual attributes PROJET --document a.txt --set "
        "'rôle=salarié·e EBE'"
    ]
    assert merge({"role": "élu·e"}, UNKNOWN, HEADER, {"role": "élu·e"}).notes == []


def test_assignments_use_the_canonical_names() -> None:
    assert parse_assignments(["Rôle = élu·e", "vague=vague 3", "mandat=maire=adjoint"]) == {
        "role": "élu·e",
        "round": "vague 3",
        "mandat": "maire=adjoint",
    }
    assert parse_removals(["territoire", "Date"]) == ["territory", "date"]


@pytest.mark.parametrize("item", ["rôle", "=élu", "rôle=", "interviewers=Marc", "vague\u200b=1", "ville=Lyon\nParis"])
def test_a_malformed_assignment_is_a_usage_error(item: str) -> None:
    with pytest.raises(UsageError):
        parse_assignments([item])


@pytest.mark.parametrize("item", ["rôle=élu", "enquêteurs", " "])
def test_a_malformed_removal_is_a_usage_error(item: str) -> None:
    with pytest.raises(UsageError):
        parse_removals([item])


def test_describe_says_what_changed_in_french() -> None:
    change = Change("a.txt", {"role": "élu·e", "territory": "Coteaux"}, {"role": "partenaire", "age": "65+"})
    assert describe(change) == "rôle : élu·e → partenaire ; territoire : Coteaux → — ; age : — → 65+"
    assert describe(Change("a.txt", {}, {})) == "inchangé"


def test_the_audit_log_never_keeps_a_name_or_a_phone_number() -> None:
    """The log is append-only: a later pseudonymisation could not take them out."""
    change = Change("a.txt", {"nom": "Nadia Benali", "role": "élu·e"}, {"role": "adjointe"})
    assert describe(change) == "rôle : élu·e → adjointe ; nom : ‹masqué› → —"
