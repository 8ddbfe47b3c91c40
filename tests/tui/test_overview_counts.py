"""``store.overview``: the Documents screen's counts agree with the review queue."""

from __future__ import annotations

from pathlib import Path

from tui_support import MODEL, segment_id

from tzcld_qual.model import Suggestion
from tzcld_qual.services.review import ReviewSession
from tzcld_qual.store import ProjectStore


def test_a_segment_marked_no_code_leaves_the_suggested_count_as_it_leaves_the_queue(project: Path) -> None:
    """A later run's suggestion on a segment marked « relu, aucun code » kept it in the Documents
    screen's « sugg. » column while the review queue skipped it: the column never reached zero."""
    seg = segment_id(project, "entretien-01.txt", 1)  # F1 and F4 suggested
    with ReviewSession(project, "alice") as session:
        before = session.documents()[0].suggested
        session.no_code(seg)
        assert session.documents()[0].suggested == before - 1
    with ProjectStore(project) as store:  # the next run suggests a code the mark did not reject
        store.codings.put_scores(MODEL, {seg: {"F7": 0.71}}, [Suggestion(seg, "F7", 0.71, "nouvelle exécution")])
    with ReviewSession(project, "alice") as session:
        assert seg not in {i.segment_id for i in session.queue().items}
        assert session.documents()[0].suggested == before - 1
    with ReviewSession(project, "bob") as session:  # another coder's mark is not his
        assert session.documents()[0].suggested == before


def test_reviewed_segments_are_decided_or_marked_by_the_coder_or_by_anyone(project: Path) -> None:
    """The one statement of « reviewed » the Documents screen, the chat and the report share."""
    from tzcld_qual.store import overview

    marked = segment_id(project, "entretien-01.txt", 1)
    rejected = segment_id(project, "entretien-01.txt", 2)
    accepted = segment_id(project, "entretien-02.txt", 1)
    with ReviewSession(project, "alice") as session:
        session.no_code(marked)
        session.reject(rejected)
    with ReviewSession(project, "bob") as session:
        session.accept(accepted)
    with ProjectStore(project) as store:
        assert overview.reviewed_segment_ids(store) == {marked, rejected, accepted}
        assert overview.reviewed_segment_ids(store, "alice") == {marked, rejected}
        assert overview.reviewed_segment_ids(store, segment_ids=[accepted, marked, 10**6]) == {accepted, marked}
        assert sum(overview.reviewed_segments(store, "alice").values()) == 2
        assert sum(overview.reviewed_respondents(store).values()) == 3
