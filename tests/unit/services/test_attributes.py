"""The three-way merge of attributes on re-import, and an analyst's edits."""

from __future__ import annotations

import pytest

from tzcld_qual.errors import UsageError
from tzcld_qual.services.attributes import Change, describe, merge, parse_assignments, parse_removals

HEADER = {"role": "salarié·e EBE", "round": "vague 1"}


@pytest.mark.parametrize(
    ("project", "last", "header", "given", "expected"),
    [
        (None, None, HEADER, {}, HEADER),  # a new document takes its header
        (None, None, HEADER, {"round": "vague 2"}, {"role": "salarié·e EBE", "round": "vague 2"}),
        ({"role": "élu·e", "round": "vague 1"}, HEADER, HEADER, {}, {"role": "élu·e", "round": "vague 1"}),
        ({"role": "salarié·e EBE"}, HEADER, HEADER, {}, {"role": "salarié·e EBE"}),  # a removal stays removed
        (
            {"role": "élu·e", "round": "vague 1"},
            HEADER,
            {**HEADER, "round": "vague 3"},  # the file's own edit is taken, the correction kept
            {},
            {"role": "élu·e", "round": "vague 3"},
        ),
        ({"role": "élu·e"}, HEADER, HEADER, {"role": "partenaire"}, {"role": "partenaire"}),  # the file given wins
        ({"role": "élu·e", "date": "2024"}, HEADER, {}, {}, {"role": "élu·e", "date": "2024"}),  # header emptied
        ({"role": "élu·e"}, None, HEADER, {}, {"role": "élu·e", "round": "vague 1"}),  # unknown: fill gaps only
    ],
)
def test_merge(
    project: dict[str, str] | None,
    last: dict[str, str] | None,
    header: dict[str, str],
    given: dict[str, str],
    expected: dict[str, str],
) -> None:
    assert merge(project, last, header, given).values == expected


def test_a_header_the_project_cannot_place_is_reported_not_taken() -> None:
    merged = merge({"role": "élu·e"}, None, HEADER, {})
    assert merged.not_taken == {"role": ("salarié·e EBE", "élu·e")}
    assert merge({"role": "élu·e"}, None, HEADER, {"role": "élu·e"}).not_taken == {}


def test_assignments_use_the_canonical_names() -> None:
    assert parse_assignments(["Rôle = élu·e", "vague=vague 3", "mandat=maire=adjoint"]) == {
        "role": "élu·e",
        "round": "vague 3",
        "mandat": "maire=adjoint",
    }
    assert parse_removals(["territoire", "Date"]) == ["territory", "date"]


@pytest.mark.parametrize("item", ["rôle", "=élu", "rôle=", "interviewers=Marc"])
def test_a_malformed_assignment_is_a_usage_error(item: str) -> None:
    with pytest.raises(UsageError):
        parse_assignments([item])


@pytest.mark.parametrize("item", ["rôle=élu", "enquêteurs", " "])
def test_a_malformed_removal_is_a_usage_error(item: str) -> None:
    with pytest.raises(UsageError):
        parse_removals([item])


def test_describe_says_what_changed_in_french() -> None:
    change = Change("a.txt", {"role": "élu·e", "territory": "Coteaux"}, {"role": "partenaire", "age": "65+"})
    assert describe(change) == "rôle : élu·e → partenaire ; territoire retiré (Coteaux) ; age : 65+ (ajouté)"
    assert describe(Change("a.txt", {}, {})) == "inchangé"
