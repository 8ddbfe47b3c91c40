"""Property: whatever the speech, importing a rendered transcript gives back each turn exactly."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tzcld_qual.io import read_transcript

LABELS = [
    "Enquêtrice",
    "Intervieweur·euse",
    "Q",
    "R",
    "E1",
    "P2",
    "Martine",
    "Jean-Pierre",
    "Zoé",
    "Mme D.",
    "M. Martin",
    "M.L.",
]
PREFIXES = [
    "{label} : ",
    "{label}\u00a0: ",
    "{label}: ",
    "**{label} :** ",
    "**{label}** : ",
    "[00:12:31] {label} : ",
    "(00:12) {label} : ",
    "00:12:31 {label} : ",
    "{label} – ",
]
SAMPLES = [
    *"éèàçœÉÀ\u0301\u0308\u0327",  # accents, precomposed and combining
    "🙂",
    "👩\u200d🌾",  # emoji with a zero-width joiner
    "שלום",
    "مرحبا",
    "\u200f",  # right-to-left mark
    "\u00a0",
    " ",
]
PIECES = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
    st.sampled_from(SAMPLES),
)
SPEECH = st.lists(PIECES, min_size=1, max_size=30).map("".join).filter(lambda s: s.strip())
# a continuation line must not look like a label of its own: no colon, no dash separator
CONTINUATION = SPEECH.filter(lambda s: not set(s) & set(":–—"))


@st.composite
def transcripts(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    """A transcript and its ``(speaker, speech)`` turns; every label starts two turns at least."""
    labels = draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=3, unique=True))
    order = draw(st.lists(st.sampled_from(labels), min_size=1, max_size=6))
    order += [label for label in labels for _ in range(2 - order.count(label))]
    lines, expected = [], []
    for label in order:
        first = draw(SPEECH)
        more = draw(st.lists(CONTINUATION, max_size=2))
        speech = "\n\n".join([first, *more])
        prefix = draw(st.sampled_from(PREFIXES)).format(label=label)
        lines.append(prefix + speech)
        expected.append((label, unicodedata.normalize("NFC", speech).strip()))
    separator = draw(st.sampled_from(["\n", "\n\n"]))
    return separator.join(lines), expected


@settings(max_examples=200, deadline=None)
@given(transcripts(), st.sampled_from(["\n", "\r\n", "\r"]))
def test_turns_come_back_exactly(
    transcript: tuple[str, list[tuple[str, str]]], newline: str
) -> None:
    text, expected = transcript
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "entretien.txt"
        path.write_bytes(text.replace("\n", newline).encode("utf-8"))
        parsed = read_transcript(path)
    found = [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns]
    assert found == expected
    for turn in parsed.turns:
        speech = parsed.text[turn.start : turn.end]
        assert speech == speech.strip()
        assert 0 <= turn.start < turn.end <= len(parsed.text)
    assert "\r" not in parsed.text
    assert [t.start for t in parsed.turns] == sorted(t.start for t in parsed.turns)
