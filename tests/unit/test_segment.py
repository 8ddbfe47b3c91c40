"""Segmentation: units, and offsets that always point into the original text (property-based)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tzcld_qual.model import ParsedTranscript, Role, Turn
from tzcld_qual.segment import RuleSentenceSplitter, SegmentationConfig, Segmenter

SPLITTER = RuleSentenceSplitter()
ROLES = {"Q": Role.INTERVIEWER, "R": Role.RESPONDENT}


def _transcript(turns: list[tuple[str, str]]) -> ParsedTranscript:
    text, spans = "", []
    for speaker, speech in turns:
        prefix = f"{speaker} : "
        start = len(text) + len(prefix)
        text += prefix + speech + "\n\n"
        spans.append(Turn(speaker, start, start + len(speech)))
    return ParsedTranscript(text=text, turns=tuple(spans))


def test_long_turns_are_split_in_balanced_runs_and_questions_kept_whole() -> None:
    answer = " ".join(f"Phrase numéro {i} ici." for i in range(12))
    question = "Et alors ? Vous pouvez préciser ? Comment ? Pourquoi ? Quand ? Où ?"
    t = _transcript([("Q", question), ("R", answer)])
    segs = Segmenter(SPLITTER).segment(t, ROLES)
    assert [s.role for s in segs] == [Role.INTERVIEWER] + [Role.RESPONDENT] * 3  # 12 sentences → 4+4+4
    assert segs[0].text == question
    assert [s.text.count("Phrase") for s in segs[1:]] == [4, 4, 4]


def test_units_sentence_and_window() -> None:
    t = _transcript([("R", "Un. Deux. Trois. Quatre. Cinq.")])
    assert len(Segmenter(SPLITTER, SegmentationConfig(unit="sentence")).segment(t, ROLES)) == 5
    assert [s.text for s in Segmenter(SPLITTER, SegmentationConfig(unit="window", window=2)).segment(t, ROLES)] == [
        "Un. Deux.",
        "Trois. Quatre.",
        "Cinq.",
    ]
    assert len(Segmenter(SPLITTER).segment(t, ROLES)) == 1


speech = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=300
).filter(lambda s: s.strip())


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["Q", "R"]), speech), min_size=1, max_size=6),
    st.sampled_from(["turn", "sentence", "window"]),
    st.integers(1, 4),
)
def test_offsets_always_point_into_the_text(turns: list[tuple[str, str]], unit: str, size: int) -> None:
    t = _transcript(turns)
    config = SegmentationConfig(unit=unit, max_sentences=size, window=size)  # type: ignore[arg-type]
    segs = Segmenter(SPLITTER, config).segment(t, ROLES)
    for seg in segs:
        assert t.text[seg.start : seg.end] == seg.text
        assert seg.text == seg.text.strip() and seg.text
        turn = t.turns[seg.turn]
        assert turn.start <= seg.start <= seg.end <= turn.end
    # no respondent speech is lost: every non-space character of a turn is in some segment
    for index, turn in enumerate(t.turns):
        covered = [s for s in segs if s.turn == index]
        chars = "".join(s.text for s in covered)
        assert "".join(t.text[turn.start : turn.end].split()) == "".join(chars.split())


def test_a_turn_over_spacys_limit_is_split_in_pieces() -> None:
    """A 5 MB single line stopped the import with spaCy's E088 and a traceback."""
    answer = "Je travaille à la ressourcerie depuis deux ans et ça va mieux. " * 17_000  # 1.07 M characters
    t = _transcript([("R", answer.strip())])
    segs = Segmenter(SPLITTER).segment(t, ROLES)
    assert sum(s.text.count("ressourcerie") for s in segs) == 17_000  # every sentence kept, once
    assert all(t.text[s.start : s.end] == s.text for s in segs)
    assert max(len(s.text) for s in segs) < 400  # still cut into sentences


def test_pieces_cut_after_a_full_stop_else_at_a_space() -> None:
    from tzcld_qual import segment

    text = ("mot " * 20_000) + "fin. " + ("suite " * 10_000)  # 140,005 characters
    pieces = segment._cut(text)
    assert "".join(p for _o, p in pieces) == text
    assert all(len(p) <= segment.MAX_PIECE for _o, p in pieces)
    assert all(text[o : o + len(p)] == p for o, p in pieces)
    assert pieces[0][1].endswith("fin. ")
    no_stop = "mot " * 60_000  # no full stop in reach: cut at a space, never inside a word
    pieces = segment._cut(no_stop)
    assert "".join(p for _o, p in pieces) == no_stop and all(p.endswith(" ") for _o, p in pieces)
    assert len(pieces) == 3


def test_speech_without_punctuation_is_cut_in_readable_units() -> None:
    """An automatic transcription without punctuation made one « answer » of 400,000 characters,
    on which `code` never ended."""
    from tzcld_qual import segment

    words = " ".join(f"mot{i}" for i in range(30_000))  # ~240,000 characters, no full stop
    t = _transcript([("Q", "Et alors ?"), ("R", words)])
    segs = [s for s in Segmenter(SPLITTER).segment(t, ROLES) if s.role is Role.RESPONDENT]
    assert len(segs) > 1 and all(len(s.text) <= segment.MAX_UNIT for s in segs)
    assert all(t.text[s.start : s.end] == s.text for s in segs)
    assert " ".join(s.text for s in segs).split() == words.split()  # every word kept once, none cut
    short = _transcript([("R", "Oui. " * 40)])
    assert len(Segmenter(SPLITTER).segment(short, ROLES)) == 8  # ordinary answers: as before (5 sentences each)


def test_long_pieces_go_to_spacy_one_at_a_time_and_keep_their_place() -> None:
    """256 pieces of 100,000 characters in one spaCy batch took 3.6 GB (an 8 MB single line)."""
    from tzcld_qual.segment import SpacySentenceSplitter

    blank = RuleSentenceSplitter()
    blank.split(["amorce."])  # loads the blank pipeline
    batches: list[tuple[int, int]] = []  # (longest piece, batch size) of each call

    class Recording:
        def pipe(self, texts: list[str], batch_size: int) -> object:
            texts = list(texts)
            batches.append((max(map(len, texts), default=0), batch_size))
            return blank._nlp.pipe(texts)

    splitter = SpacySentenceSplitter(batch_size=256)
    splitter._nlp = Recording()
    long = "Je travaille à la ressourcerie. " * 1_000  # 32,000 characters
    texts = ["Bonjour. Ça va.", long, "Oui. Merci.", long]
    found = splitter.split(texts)
    assert found == blank.split(texts)  # same sentences, in the same order
    assert sorted(batches) == [(15, 256), (32_000, 1)]
