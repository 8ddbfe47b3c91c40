"""Subtitle transcripts: voice tags, ``Name:`` prefixes, dialogue dashes, merged cues."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tzcld_qual.errors import InputError
from tzcld_qual.io import read_transcript
from tzcld_qual.io.speakers import UNKNOWN_SPEAKER


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def spoken(path: Path) -> list[tuple[str, str]]:
    parsed = read_transcript(path)
    return [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns]


VTT = """WEBVTT
Kind: captions

NOTE écrit à la main

1
00:00:01.000 --> 00:00:03.000
<v Enquêtrice>Bonjour, ça va ?</v>

2
00:00:04.500 --> 00:00:06.000 align:start
<v.loud Mme D.>Oui, <i>très</i> bien.</v>

00:00:06.100 --> 00:00:08.000
<v Mme D.>Le travail &amp; les collègues,
c'est &lt;important&gt;.</v>

4
01:02:03.000 --> 01:02:05.000
<v Enquêtrice>Merci.
"""


def test_vtt_voice_tags_and_merged_cues(tmp_path: Path) -> None:
    parsed = read_transcript(write(tmp_path, "e.vtt", VTT))
    assert parsed.source_format == "vtt"
    assert parsed.text == (
        "[00:00:01] Enquêtrice : Bonjour, ça va ?\n"
        "[00:00:04] Mme D. : Oui, très bien. Le travail & les collègues, c'est <important>.\n"
        "[01:02:03] Enquêtrice : Merci."
    )
    assert [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns] == [
        ("Enquêtrice", "Bonjour, ça va ?"),
        ("Mme D.", "Oui, très bien. Le travail & les collègues, c'est <important>."),
        ("Enquêtrice", "Merci."),
    ]


SRT = """1
00:00:01,000 --> 00:00:02,000
Enquêteur: Vous êtes là depuis quand ?

2
00:00:02,500 --> 00:00:04,000
Karim : Deux ans.

3
00:00:04,500 --> 00:00:05,000
Karim : Depuis l'ouverture.
Il m'a dit: viens.

4
00:00:06,000 --> 00:00:07,000
et je suis venu.
"""


def test_srt_name_prefixes(tmp_path: Path) -> None:
    assert spoken(write(tmp_path, "e.srt", SRT)) == [
        ("Enquêteur", "Vous êtes là depuis quand ?"),
        ("Karim", "Deux ans. Depuis l'ouverture. Il m'a dit: viens. et je suis venu."),
    ]


def test_srt_label_alone_names_the_next_line(tmp_path: Path) -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nQ :\nÇa va ?\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nR :\nOui.\n"
    )
    assert spoken(write(tmp_path, "e.srt", text)) == [("Q", "Ça va ?"), ("R", "Oui.")]


def test_srt_dialogue_dashes_alternate_speakers(tmp_path: Path) -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\n- Ça va ?\n- Oui.\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\n- Et toi ?\n"
    )
    assert spoken(write(tmp_path, "e.srt", text)) == [
        ("Locuteur 1", "Ça va ?"),
        ("Locuteur 2", "Oui."),
        ("Locuteur 1", "Et toi ?"),
    ]


def test_subtitles_without_speakers_warn(tmp_path: Path) -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nBonjour.\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nAu revoir.\n"
    )
    parsed = read_transcript(write(tmp_path, "e.srt", text))
    assert [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns] == [
        (UNKNOWN_SPEAKER, "Bonjour. Au revoir.")
    ]
    assert len(parsed.warnings) == 1


def test_vtt_without_header_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_transcript(write(tmp_path, "e.vtt", "1\n00:00:01.000 --> 00:00:02.000\nBonjour\n"))
    assert caught.value.line == 1 and "e.vtt" in str(caught.value)


def test_cue_without_timing_raises_at_its_line(tmp_path: Path) -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nBonjour\n\n2\n00:00:03,000 -> 00:00:04,000\nOups\n"
    with pytest.raises(InputError) as caught:
        read_transcript(write(tmp_path, "e.srt", text))
    assert caught.value.line == 5


def test_subtitle_file_without_cues_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        read_transcript(write(tmp_path, "e.vtt", "WEBVTT\n\nNOTE rien\n"))


CUE_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda s: s.strip() and "-->" not in s)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["Enquêtrice", "Mme D.", "Karim"]), CUE_TEXT), min_size=1)
)
def test_vtt_round_trip(cues: list[tuple[str, str]]) -> None:
    lines = ["WEBVTT", ""]
    for number, (speaker, text) in enumerate(cues):
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lines += [f"00:{number // 60:02d}:{number % 60:02d}.000 --> 00:59:59.000"]
        lines += [f"<v {speaker}>{escaped}</v>", ""]
    expected: list[tuple[str, str]] = []
    for speaker, text in cues:
        speech = unicodedata.normalize("NFC", text).strip()
        if expected and expected[-1][0] == speaker:
            expected[-1] = (speaker, f"{expected[-1][1]} {speech}")
        else:
            expected.append((speaker, speech))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "e.vtt"
        path.write_text("\n".join(lines), encoding="utf-8")
        assert spoken(path) == expected


def test_the_timing_hint_is_written_as_the_format_writes_it(tmp_path: Path) -> None:
    """A broken .vtt was told to write the SRT form (a comma before the milliseconds)."""
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nBonjour\n\n00:00:03.000 -> 00:00:04.000\nOups\n"
    with pytest.raises(InputError, match=r"« 00:00:01\.000 --> 00:00:04\.000 »"):
        read_transcript(write(tmp_path, "e.vtt", text))
    with pytest.raises(InputError, match=r"« 00:00:01,000 --> 00:00:04,000 »"):
        read_transcript(write(tmp_path, "e.srt", text.replace("WEBVTT\n\n", "1\n").replace(".", ",")))
