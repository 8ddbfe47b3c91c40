"""The segmentation rule for imported texts: coded ranges kept exactly, the rest cut by turn and line."""

from __future__ import annotations

from tzcld_qual.model import Role
from tzcld_qual.reports.refi.import_segments import build_segments, cut_at_turns
from tzcld_qual.store import NewSegment

TEXT = (
    "Entretien n°3\n\n"
    "Enquêtrice : Vous travaillez où ?\n"
    "Martine : À l'EBE, depuis deux ans.\n"
    "On fait du maraîchage.\n"
    "\n"
    "   Et de la couture.  \n"
    "Enquêtrice : Et avant ?\n"
    "Martine : Rien, j'étais seule.\n"
)


def spans(segments: list[NewSegment]) -> list[tuple[str, str, Role, int]]:
    for s in segments:
        assert TEXT[s.start : s.end] == s.text
    return [(s.text, s.speaker, s.role, s.turn) for s in segments]


def test_without_coded_ranges_each_line_of_speech_is_a_segment():
    assert spans(build_segments(TEXT, [])) == [
        ("Vous travaillez où ?", "Enquêtrice", Role.INTERVIEWER, 0),
        ("À l'EBE, depuis deux ans.", "Martine", Role.RESPONDENT, 1),
        ("On fait du maraîchage.", "Martine", Role.RESPONDENT, 1),
        ("Et de la couture.", "Martine", Role.RESPONDENT, 1),  # trimmed, blank line skipped
        ("Et avant ?", "Enquêtrice", Role.INTERVIEWER, 2),
        ("Rien, j'étais seule.", "Martine", Role.RESPONDENT, 3),
    ]  # the title line is in no turn: left out


def test_coded_ranges_are_segments_and_the_rest_is_cut_around_them():
    a = TEXT.index("depuis deux ans.\nOn fait")
    b = TEXT.index(" du maraîchage") + len(" du maraîchage")
    label = TEXT.index("Martine : Rien")
    segments = build_segments(TEXT, [(a, b), (a, b), (label, len(TEXT) - 1), (5, 10**6)])
    assert spans(segments) == [
        ("Vous travaillez où ?", "Enquêtrice", Role.INTERVIEWER, 0),
        ("À l'EBE,", "Martine", Role.RESPONDENT, 1),
        ("depuis deux ans.\nOn fait du maraîchage", "Martine", Role.RESPONDENT, 1),
        (".", "Martine", Role.RESPONDENT, 1),
        ("Et de la couture.", "Martine", Role.RESPONDENT, 1),
        ("Et avant ?", "Enquêtrice", Role.INTERVIEWER, 2),
        # starts on the speaker label: belongs to the turn it overlaps, not the one before
        ("Martine : Rien, j'étais seule.", "Martine", Role.RESPONDENT, 3),
    ]  # the duplicate range is one segment; the range past the end is dropped


def test_overlapping_ranges_give_overlapping_segments():
    first = TEXT.index("Rien")
    segments = build_segments(TEXT, [(first, first + 4), (first, first + 11)])
    assert [s.text for s in segments if s.turn == 3] == ["Rien", "Rien, j'éta", "is seule."]


def test_restored_segments_are_kept_and_new_ranges_take_their_speaker():
    known = [
        NewSegment(7, "M", Role.RESPONDENT, 0, 9, TEXT[0:9]),
        NewSegment(8, "E", Role.INTERVIEWER, 15, 25, TEXT[15:25]),
    ]
    segments = build_segments(TEXT, [(0, 9), (18, 30)], known)
    assert [(s.start, s.end, s.speaker, s.turn) for s in segments] == [
        (0, 9, "M", 7),
        (15, 25, "E", 8),
        (18, 30, "E", 8),
    ]


def test_a_text_without_labels_is_one_speaker():
    text = "Une seule voix.\nDeux lignes."
    assert [(s.text, s.role) for s in build_segments(text, [])] == [
        ("Une seule voix.", Role.RESPONDENT),
        ("Deux lignes.", Role.RESPONDENT),
    ]
    assert build_segments("", [(0, 1)]) == []


def test_a_range_across_speaker_turns_is_cut_at_the_turns():
    """Another tool's passage coded from an answer into the next question made one segment,
    quoted as the respondent's words with the interviewer's question inside."""
    a = TEXT.index("Et de la couture")
    b = TEXT.index("Rien, j'étais") + len("Rien")
    parts = cut_at_turns(TEXT, [(a, b), (0, 5)])
    pieces = parts[(a, b)]
    assert [TEXT[x:y] for x, y in pieces] == ["Et de la couture.", "Et avant ?", "Rien"]
    assert parts[(0, 5)] == [(0, 5)]  # within no turn, or one: whole
    segments = build_segments(TEXT, pieces)
    assert [(s.text, s.speaker) for s in segments if (s.start, s.end) in pieces] == [
        ("Et de la couture.", "Martine"),
        ("Et avant ?", "Enquêtrice"),
        ("Rien", "Martine"),
    ]
    known = [NewSegment(0, "M", Role.RESPONDENT, 0, len(TEXT), TEXT)]
    assert cut_at_turns(TEXT, [(a, b)], known) == {(a, b): [(a, b)]}  # tzcld-qual's own segments: as they were
