"""« relu, aucun code » (key 0 of the review) in the chat: a marked segment is reviewed, as the
review queue and the Documents screen have it, and the chat can list the marked segments."""

from __future__ import annotations

from pathlib import Path

import pytest
from chat_fixture import segment_id
from test_chat_inventory import cells, progress

from tzcld_qual.services.chat import ChatSession, ask
from tzcld_qual.services.review import ReviewSession
from tzcld_qual.store import ProjectStore


def mark(project: Path, coder: str, *segment_ids: int) -> None:
    with ReviewSession(project, coder) as review:
        for s in segment_ids:
            assert review.no_code(s).done


def withdraw(project: Path, turns: tuple[int, ...] = (1, 2)) -> list[int]:
    """paul's decisions on these turns of elu-coteaux-04 taken back: segments with no decision and
    no suggestion either (a mark there rejects nothing: it alone makes them reviewed)."""
    ids = [segment_id(project, "elu-coteaux-04", t) for t in turns]
    with ProjectStore(project) as store:
        for s in ids:
            for c in store.codings.for_segments([s])[s]:
                if c.origin == "paul":
                    store.codings.decide(s, c.code_id, "paul", None)
    return ids


def test_the_uncertain_segments_skip_those_the_coder_marked(project: Path, session: ChatSession) -> None:
    """They stayed at the top of « qu'est-ce qui reste à revoir ? » while the queue it opened no
    longer held them."""
    before = ask(project, "montre-moi les segments incertains en F4", coder="marie", session=session)
    assert before.action is not None and before.table is not None
    below = [int(r[0]) for r in before.table[1:] if float(r[3].replace(",", ".")) < float(r[4].replace(",", "."))]
    first, second = below[:2]  # no suggestion there: the mark rejects nothing, the mark alone decides
    mark(project, "marie", first)
    mark(project, "bob", second)
    mine = ask(project, "montre-moi les segments incertains en F4", coder="marie", session=session)
    assert mine.action is not None
    assert first not in mine.action.params["segment_ids"]  # type: ignore[operator]
    assert second in mine.action.params["segment_ids"]  # type: ignore[operator]  # bob's mark: marie's queue keeps it
    with ReviewSession(project, "marie") as review:
        queue = {i.segment_id for i in review.queue().items}
    assert first not in queue and second in queue
    anyone = ask(project, "montre-moi les segments incertains en F4", session=session)
    assert anyone.action is not None
    assert not {first, second} & set(anyone.action.params["segment_ids"])  # type: ignore[arg-type]


def test_marked_segments_count_as_reviewed(project: Path, session: ChatSession) -> None:
    """« 4 revus » while the Documents screen said 8: the marks were left out."""
    free = withdraw(project)
    truth = progress(project)
    mark(project, "marie", free[0])
    mark(project, "bob", free[1])
    key = ("elu-coteaux-04", "M. Durand")
    segments, coded, reviewed, pending = truth[key]
    truth[key] = (segments, coded, reviewed + 2, pending)
    answer = ask(project, "qui sont les répondants ?", session=session)
    table = answer.table
    assert table is not None
    for row in table[1:]:
        assert cells(table, row) == truth[(row[1], row[0])], row[:2]
    interviews = ask(project, "liste les entretiens", session=session)
    total = sum(f[2] for f in truth.values())
    assert f"{total} revus (" in interviews.text and "dont 2 relus sans code" in interviews.text


def test_an_interview_with_only_marks_is_no_longer_unreviewed(project: Path, session: ChatSession) -> None:
    """« entretiens non revus » listed interviews where an analyst had marked segments."""
    free = withdraw(project, (1, 2, 3))
    before = ask(project, "quels entretiens n'ont pas encore été revus ?", session=session)
    assert before.table is not None and [r[0] for r in before.table[1:]] == ["elu-coteaux-04"]
    mark(project, "bob", free[0])
    after = ask(project, "quels entretiens n'ont pas encore été revus ?", session=session)
    assert after.table is None or after.table[1:] == []


@pytest.mark.parametrize(
    "question",
    [
        "segments relus sans code",
        "quels segments sont marqués aucun code ?",
        "quels segments n'ont aucun code ?",
        "combien de segments relus sans code par entretien ?",
    ],
)
def test_the_marked_segments_are_listed_with_their_citations(
    project: Path, session: ChatSession, question: str
) -> None:
    """They got the codebook's « codes never applied » (in English), or « pas compris »."""
    free = withdraw(project)
    mark(project, "marie", *free)
    mark(project, "bob", free[1])
    answer = ask(project, question, coder="marie", session=session)
    assert answer.intent == "inventory" and answer.slots["subject"] == "segments"
    assert answer.text.startswith("2 segments marqués « relu, aucun code », dans 1 entretien")
    assert [q.segment_id for q in answer.quotes] == free
    for q in answer.quotes:
        assert f"[{q.document} · {q.speaker} · {q.segment_id}]" in answer.text
    assert "(par bob, marie)" in answer.text
    assert answer.table == [["entretien", "relus sans code", "par"], ["elu-coteaux-04", "2", "bob (1), marie (2)"]]


def test_my_marked_segments_and_none(project: Path, session: ChatSession) -> None:
    free = withdraw(project)
    none = ask(project, "quels segments ai-je relus sans code ?", coder="marie", session=session)
    assert none.text.startswith("Aucun segment marqué « relu, aucun code » par marie") and "touche 0" in none.text
    mark(project, "marie", free[0])
    mark(project, "bob", free[1])
    mine = ask(project, "quels segments ai-je relus sans code ?", coder="marie", session=session)
    assert mine.slots.get("mine") is True and [q.segment_id for q in mine.quotes] == [free[0]]
    assert mine.text.startswith("1 segment marqué « relu, aucun code » par marie")
    english = ask(project, "which segments did I mark with no code?", coder="marie", session=session)
    assert english.text.startswith("1 segment marked « read, no code » by marie")


def test_unreviewed_segments_of_one_interview_are_counted(project: Path, session: ChatSession) -> None:
    """« combien de segments non revus dans demo-01 ? » answered « 0 entretien sur 1 … sans aucune
    décision, 0 segment de répondants »: the interviews with no decision at all, of which it was not."""
    free = withdraw(project, (1, 2))
    mark(project, "bob", free[0])
    third = segment_id(project, "elu-coteaux-04", 3)  # paul's decision there stays
    answer = ask(project, "combien de segments non revus dans elu-coteaux-04 ?", coder="marie", session=session)
    assert answer.intent == "inventory" and answer.slots["subject"] == "segments"
    assert answer.text.startswith("1 segment de répondants non revu sur 3 (entretien = elu-coteaux-04)")
    assert "2 revus, dont 1 relu sans code" in answer.text
    assert answer.table == [
        ["entretien", "segments", "revus", "dont relus sans code", "non revus"],
        ["elu-coteaux-04", "3", "2", "1", "1"],
    ]
    assert [q.segment_id for q in answer.quotes] == [free[1]] and third != free[1]
