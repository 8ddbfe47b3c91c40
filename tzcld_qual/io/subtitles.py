"""Subtitle transcripts (.vtt, .srt), as made by automatic transcription tools.

A speaker comes from a WebVTT voice tag (``<v Martine>``), a ``Martine:`` prefix in the cue
text, or a ``- `` dialogue line (each dash is a new speaker; unnamed ones alternate between
"Locuteur 1" and "Locuteur 2"). A cue without any continues the previous speaker, and
consecutive cues of one speaker become one turn. The stored text has one line per turn,
``[HH:MM:SS] Name : speech``, and turn offsets point into that text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from tzcld_qual.errors import InputError, Text
from tzcld_qual.io.decode import decode, normalise_text
from tzcld_qual.io.speakers import (
    NO_SPEAKER,
    UNKNOWN_SPEAKER,
    accepted_labels,
    label_candidate,
)
from tzcld_qual.model import ParsedTranscript, Turn

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_TIMING = re.compile(rf"\s*{_TIME}\s*-->\s*{_TIME}")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>")
_TAG = re.compile(r"</?[a-zA-Z][^>\n]*>|<\d[\d:.]*>")
_DASH = re.compile(r"[-–—][^\S\n]+")
_VTT_BLOCKS = ("NOTE", "STYLE", "REGION")
_DIALOGUE = ("Locuteur 1", "Locuteur 2")


@dataclass(frozen=True, slots=True)
class _Cue:
    start: float  # seconds
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Piece:
    """One utterance inside a cue: who (None: same as before) and what."""

    start: float
    speaker: str | None
    text: str
    dash: bool = False


@dataclass(frozen=True, slots=True)
class SubtitleImporter:
    suffixes: tuple[str, ...] = (".vtt", ".srt")

    def read(self, path: Path, data: bytes) -> ParsedTranscript:
        text, warnings = decode(data, path)
        vtt = path.suffix.lower() == ".vtt"
        if vtt and not text.lstrip("\ufeff").startswith("WEBVTT"):
            raise InputError(
                Text(
                    fr="ce n'est pas un fichier WebVTT (la première ligne n'est pas « WEBVTT »)",
                    en="this is not a WebVTT file (the first line is not 'WEBVTT')",
                ),
                Text(
                    fr="Exportez à nouveau les sous-titres en WebVTT, ou renommez le fichier "
                    "en .srt si c'est du SubRip.",
                    en="Export the subtitles again as WebVTT, or rename the file to .srt if it is SubRip.",
                ),
                path=path,
                line=1,
            )
        cues = _cues(text, path, vtt=vtt)
        pieces = _named([piece for cue in cues for piece in _pieces(cue)])
        turns, rendered, named = _render(pieces)
        extra = () if named else (NO_SPEAKER.render(speaker=UNKNOWN_SPEAKER),)
        return ParsedTranscript(
            text=rendered,
            turns=turns,
            warnings=warnings + extra,
            source_format=path.suffix.lower().lstrip("."),
        )


def _cues(text: str, path: Path, *, vtt: bool) -> list[_Cue]:
    cues = []
    block: list[tuple[int, str]] = []
    for number, line in enumerate([*text.split("\n"), ""], start=1):
        if line.strip():
            block.append((number, line))
            continue
        if block and not (vtt and block[0][1].startswith(("WEBVTT", *_VTT_BLOCKS))):
            cues.append(_cue(block, path, vtt=vtt))
        block = []
    if not cues:
        raise InputError(
            Text(fr="aucun sous-titre trouvé", en="no subtitle cue found"),
            Text(
                fr="Vérifiez que chaque sous-titre a une ligne « {timing} ».",
                en="Check that every cue has a '{timing}' line.",
            ),
            timing=_timing(vtt),
            path=path,
        )
    return cues


def _cue(block: list[tuple[int, str]], path: Path, *, vtt: bool = False) -> _Cue:
    for index, (_, line) in enumerate(block[:2]):  # an optional identifier, then the timing
        match = _TIMING.match(line)
        if match:
            hours, minutes, seconds, millis = match.groups()[:4]
            whole = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
            start = whole + int(millis.ljust(3, "0")) / 1000
            return _Cue(start, tuple(line for _, line in block[index + 1 :]))
    raise InputError(
        Text(
            fr="sous-titre sans ligne de minutage « début --> fin »",
            en="subtitle cue without a 'start --> end' timing line",
        ),
        Text(
            fr="Écrivez le minutage sous la forme « {timing} ».",
            en="Write the timing as '{timing}'.",
        ),
        timing=_timing(vtt),
        path=path,
        line=block[0][0],
    )


def _pieces(cue: _Cue) -> list[_Piece]:
    pieces: list[_Piece] = []
    for raw in cue.lines:
        voices = list(_VOICE.finditer(raw))
        if not voices:
            dash = _DASH.match(raw)
            line = _clean(raw[dash.end() :] if dash else raw)
            if line:
                pieces.append(_Piece(cue.start, None, line, dash=dash is not None))
            continue
        if before := _clean(raw[: voices[0].start()]):
            pieces.append(_Piece(cue.start, None, before))
        for voice, after in zip(voices, [*voices[1:], None], strict=True):
            speech = _clean(raw[voice.end() : after.start() if after else len(raw)])
            name = " ".join(normalise_text(html.unescape(voice[1] or "")).split())
            if speech:
                pieces.append(_Piece(cue.start, name or None, speech))
    return pieces


def _named(pieces: list[_Piece]) -> list[_Piece]:
    """Give each piece its speaker: voice tags, then ``Name:`` prefixes that recur, then dashes."""
    found = [label_candidate(p.text) if p.speaker is None else None for p in pieces]
    speakers = accepted_labels([c[0] for c in found if c], [p.speaker for p in pieces if p.speaker])
    named: list[_Piece] = []
    names: dict[str, str] = {}  # casefolded label -> first printed form
    pending: str | None = None  # a "Name:" line with no speech names the next line
    dialogue = 0
    for piece, candidate in zip(pieces, found, strict=True):
        if candidate and candidate[0].casefold() in speakers:
            label = names.setdefault(candidate[0].casefold(), candidate[0])
            piece = _Piece(piece.start, label, piece.text[candidate[1] :].strip(), piece.dash)
        elif piece.speaker is None and pending:
            piece = _Piece(piece.start, pending, piece.text, piece.dash)
        elif piece.speaker is None and piece.dash:
            piece = _Piece(piece.start, _DIALOGUE[dialogue % 2], piece.text, True)
            dialogue += 1
        pending = None if piece.text else piece.speaker
        if piece.text:
            named.append(piece)
    return named


def _render(pieces: list[_Piece]) -> tuple[tuple[Turn, ...], str, bool]:
    """One line per turn; consecutive pieces of the same speaker merge."""
    named = any(piece.speaker for piece in pieces)
    merged: list[tuple[float, str, list[str]]] = []
    for piece in pieces:
        speaker = piece.speaker or (merged[-1][1] if merged else UNKNOWN_SPEAKER)
        if merged and merged[-1][1] == speaker:
            merged[-1][2].append(piece.text)
        else:
            merged.append((piece.start, speaker, [piece.text]))
    lines: list[str] = []
    turns: list[Turn] = []
    offset = 0
    for start, speaker, texts in merged:
        prefix = f"[{_clock(start)}] {speaker} : "
        speech = " ".join(texts)
        turns.append(Turn(speaker, offset + len(prefix), offset + len(prefix) + len(speech)))
        lines.append(prefix + speech)
        offset += len(prefix) + len(speech) + 1
    return tuple(turns), "\n".join(lines), named


def _clean(line: str) -> str:
    """Cue text without markup: tags removed, entities decoded, NFC, trimmed."""
    return normalise_text(html.unescape(_TAG.sub("", line))).strip()


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _timing(vtt: bool) -> str:
    """A timing line as the format writes it (WebVTT: a dot before the milliseconds)."""
    return "00:00:01.000 --> 00:00:04.000" if vtt else "00:00:01,000 --> 00:00:04,000"
