"""What Word and OpenDocument transcripts have in common: paragraphs with a bold label.

Both importers reduce their file to :class:`Paragraph` values; the speaker rules then live here
once, whatever the format.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tzcld_qual.io.decode import normalise_text
from tzcld_qual.io.speakers import split_turns
from tzcld_qual.model import ParsedTranscript


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    bold_prefix: str = ""  # text of the leading bold runs, "" if the paragraph starts plain
    heading: bool = False


def bold_label(paragraph: Paragraph) -> str | None:
    """The speaker label of a paragraph that starts with a bold ``Label :`` or bold ``Label``
    followed by ``:``.

    Bold is the transcriber saying "this is a speaker", so such a label is trusted even when
    it would not pass the plain-text heuristics (long, lower-case, said only once).
    """
    prefix = normalise_text(paragraph.bold_prefix).strip()
    if not prefix or "\n" in prefix:
        return None
    if prefix.endswith(":"):
        label = prefix[:-1]
    else:
        text = normalise_text(paragraph.text).lstrip()
        rest = text[len(prefix) :] if text.startswith(prefix) else ""
        if not rest.lstrip().startswith(":"):
            return None
        label = prefix
    label = " ".join(label.split())
    return label or None


def parse_paragraphs(paragraphs: Iterable[Paragraph], *, source_format: str) -> ParsedTranscript:
    """Join paragraphs with ``\\n`` and split the result into speaker turns."""
    texts: list[str] = []
    labels: set[str] = set()
    headings: set[int] = set()
    line = 0
    for paragraph in paragraphs:
        text = normalise_text(paragraph.text)
        if paragraph.heading:
            headings.update(range(line, line + text.count("\n") + 1))
        elif (label := bold_label(paragraph)) is not None:
            labels.add(label)
        texts.append(text)
        line += text.count("\n") + 1
    text = "\n".join(texts)
    turns, warnings = split_turns(text, labels=labels, headings=headings)
    return ParsedTranscript(text=text, turns=turns, warnings=warnings, source_format=source_format)
