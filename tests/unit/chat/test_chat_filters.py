"""Filters of one value, any of several, or all but some: what each keeps, and what cannot be."""

from __future__ import annotations

import json

from tzcld_qual.chat.filters import FilterValue, add, admits, one, plain, shown


def test_values_of_one_attribute_add_up_and_a_speaker_stays_one() -> None:
    filters: dict[str, FilterValue] = {}
    assert add(filters, "role", "élu·e") and add(filters, "role", "partenaire") and add(filters, "role", "élu·e")
    assert filters == {"role": ["élu·e", "partenaire"]}
    assert add(filters, "speaker", "Nadia") and not add(filters, "speaker", "Paul")  # said, not widened
    assert add(filters, "round", "vague 3", excluded=True) and add(filters, "round", "vague 2", excluded=True)
    assert not add(filters, "round", "vague 3")  # kept and left out at once: said, not guessed
    assert not add(filters, "role", "élu·e", excluded=True)
    assert add(filters, "role", "salarié·e EBE", excluded=True)  # « les élus ou partenaires, sauf les salariés »
    assert not add({}, "speaker", "Sylvie", excluded=True)  # her turns, not her interviews, would have to go
    assert filters == {"role": ["élu·e", "partenaire"], "speaker": "Nadia", "round": {"sauf": ["vague 3", "vague 2"]}}
    assert add(filters, "round", "vague 1") and filters["round"] == "vague 1"  # kept: says more than « all but »
    assert one(filters, "speaker") == "Nadia" and one(filters, "role") is None


def test_what_each_filter_admits() -> None:
    assert admits("élu·e", "élu·e") and not admits("élu·e", "partenaire") and not admits("élu·e", None)
    assert admits(["élu·e", "partenaire"], "partenaire") and not admits(["élu·e", "partenaire"], None)
    assert admits({"sauf": ["vague 3"]}, "vague 1") and admits({"sauf": ["vague 3"]}, None)
    assert not admits({"sauf": ["vague 3"]}, "vague 3")


def test_filters_read_back_from_the_history_as_they_were_said() -> None:
    filters = {"role": ["élu·e", "partenaire"], "round": {"sauf": ["vague 3"]}, "speaker": "Nadia"}
    assert plain(json.loads(json.dumps(filters))) == filters
    assert plain(None) == {} and plain("élu·e") == {}
    assert shown(filters["role"], "fr") == "élu·e ou partenaire" and shown(filters["round"], "en") == "all but vague 3"
