"""The table of correspondence: consistent placeholders, owner-only file, reuse across runs."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tzcld_qual.errors import InputError
from tzcld_qual.privacy.mapping import PseudonymMap, default_mapping_path
from tzcld_qual.privacy.spans import Kind


def test_one_person_under_several_names() -> None:
    m = PseudonymMap()
    first = m.placeholder(Kind.PERSONNE, "Mme Martin")
    assert m.placeholder(Kind.PERSONNE, "Martin") == first
    assert m.placeholder(Kind.PERSONNE, "MARTIN") == first
    assert m.placeholder(Kind.PERSONNE, "Sylvie Martin") == first
    assert m.placeholder(Kind.PERSONNE, "Sylvie") == first
    assert m.placeholder(Kind.PERSONNE, "Mme Mártin") == first  # accents folded
    assert first == "[PERSONNE_1]"


def test_two_people_sharing_a_surname_stay_apart() -> None:
    m = PseudonymMap()
    sylvie = m.placeholder(Kind.PERSONNE, "Sylvie Martin")
    paul = m.placeholder(Kind.PERSONNE, "Paul Martin")
    assert sylvie != paul
    assert m.placeholder(Kind.PERSONNE, "Paul") == paul
    assert m.placeholder(Kind.PERSONNE, "Sylvie Martin") == sylvie


def test_a_lone_name_joins_the_full_name_of_its_document_whatever_comes_first() -> None:
    """« Bonjour Madame Moreau », then « Nathalie : » made two people of Nathalie Moreau."""
    m = PseudonymMap()
    people = ("Nathalie Moreau",)
    first = m.placeholder(Kind.PERSONNE, "Madame Moreau", people)
    assert m.placeholder(Kind.PERSONNE, "Nathalie", people) == first
    assert m.placeholder(Kind.PERSONNE, "Nathalie Moreau", people) == first
    assert [e.placeholder for e in m.entities] == ["[PERSONNE_1]"]


def test_two_people_sharing_a_first_name_stay_apart_when_both_full_names_are_known() -> None:
    m = PseudonymMap()
    people = ("Nathalie Moreau", "Nathalie Faure")
    moreau = m.placeholder(Kind.PERSONNE, "Nathalie", people)  # the first one named
    faure = m.placeholder(Kind.PERSONNE, "Nathalie Faure", people)
    assert moreau != faure
    assert m.placeholder(Kind.PERSONNE, "Faure", people) == faure
    assert m.placeholder(Kind.PERSONNE, "Nathalie Moreau", people) == moreau
    assert m.placeholder(Kind.PERSONNE, "Nathalie", ("Nathalie Faure",)) == faure  # in a document of hers


def test_numbering_per_kind_and_one_entity_whatever_the_ner_label() -> None:
    m = PseudonymMap()
    assert m.placeholder(Kind.LIEU, "Montclar") == "[LIEU_1]"
    assert m.placeholder(Kind.ORGANISATION, "Vallon Actif") == "[ORGANISATION_1]"
    assert m.placeholder(Kind.LIEU, "Vallon Actif") == "[ORGANISATION_1]"  # the first kind seen stays
    assert m.placeholder(Kind.LIEU, "les Grandes Vignes") == "[LIEU_2]"
    assert m.placeholder(Kind.LIEU, "Grandes Vignes") == "[LIEU_2]"
    assert m.placeholder(Kind.TELEPHONE, "06 12 34 56 78") == m.placeholder(Kind.TELEPHONE, "+33 6.12.34.56.78")


def test_saved_owner_only_and_reloaded_consistently(tmp_path: Path) -> None:
    path = tmp_path / "etude.pseudonymes.json"
    m = PseudonymMap()
    m.placeholder(Kind.PERSONNE, "Sylvie Martin")
    m.placeholder(Kind.LIEU, "Montclar")
    m.save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind
    again = PseudonymMap.load(path)
    assert again.placeholder(Kind.PERSONNE, "Martin") == "[PERSONNE_1]"
    assert again.placeholder(Kind.PERSONNE, "Nadia") == "[PERSONNE_2]"  # numbering goes on
    assert again.placeholder(Kind.LIEU, "Montclar") == "[LIEU_1]"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["entities"][0]["forms"] == ["Sylvie Martin"]


def test_a_wider_existing_file_is_replaced_by_an_owner_only_one(tmp_path: Path) -> None:
    path = tmp_path / "map.json"
    PseudonymMap().save(path)
    path.chmod(0o644)
    PseudonymMap.load(path).save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("content", ["not json", "[]", '{"format": "other"}', '{"format": "tzcld-qual-pseudonymes"}'])
def test_a_file_that_is_not_a_table_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "map.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="table de pseudonymes"):
        PseudonymMap.load(path)
    assert path.read_text(encoding="utf-8") == content


def test_default_path_is_beside_the_project() -> None:
    assert default_mapping_path(Path("/x/etude.tzq")) == Path("/x/etude.pseudonymes.json")


def test_initials_alone_are_a_person_of_their_own_document(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """« Mme D. » in four interviews became one « Mme [PERSONNE_18] »: a report seemed to quote one
    person four times. Initials are per document; a full name still joins documents."""
    m = PseudonymMap()
    seven = m.placeholder(Kind.PERSONNE, "Mme D.", scope="demo-07.vtt")
    thirteen = m.placeholder(Kind.PERSONNE, "Mme D.", scope="demo-13.md")
    assert seven != thirteen
    assert m.placeholder(Kind.PERSONNE, "D.", scope="demo-07.vtt") == seven  # the same interview: the same person
    assert m.placeholder(Kind.PERSONNE, "M.L.", scope="a.txt") != m.placeholder(Kind.PERSONNE, "M.L.", scope="b.txt")
    assert m.placeholder(Kind.PERSONNE, "Sylvie Martin", scope="a.txt") == m.placeholder(
        Kind.PERSONNE, "Sylvie Martin", scope="b.txt"
    )
    assert m.placeholder(Kind.PERSONNE, "B. Rochas", scope="a.txt") == m.placeholder(Kind.PERSONNE, "Rochas")
    assert m.placeholder(Kind.PERSONNE, "Mme D.") == seven  # no document (a chat answer): hidden all the same
    [entity] = [e for e in m.entities if e.placeholder == thirteen]
    assert entity.names() == ["d."]  # the document is not a name (document names are checked for names)
    path = tmp_path / "m.json"
    m.save(path)
    again = PseudonymMap.load(path)
    assert again.placeholder(Kind.PERSONNE, "Mme D.", scope="demo-13.md") == thirteen
    assert again.placeholder(Kind.PERSONNE, "Mme D.", scope="r2-02.md") not in (seven, thirteen)
