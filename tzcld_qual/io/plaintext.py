"""Plain-text and Markdown transcripts: decode, front matter, speaker turns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tzcld_qual.io.decode import decode
from tzcld_qual.io.frontmatter import split_front_matter
from tzcld_qual.io.speakers import split_turns
from tzcld_qual.model import ParsedTranscript

_MD_HEADING = re.compile(r"[^\S\n]{0,3}#{1,6}(?:[^\S\n]|$)")


@dataclass(frozen=True, slots=True)
class PlainTextImporter:
    """``.txt`` and ``.md``; Markdown is kept as written, its ``#`` headings are never speech."""

    suffixes: tuple[str, ...] = (".txt", ".md")

    def read(self, path: Path, data: bytes) -> ParsedTranscript:
        text, decode_warnings = decode(data, path)
        front = split_front_matter(text, path)
        headings = markdown_headings(front.body) if path.suffix.lower() == ".md" else frozenset()
        first_line = text[: len(text) - len(front.body)].count("\n") + 1 if front.body else 1
        turns, warnings = split_turns(front.body, labels=front.interviewers, headings=headings, first_line=first_line)
        return ParsedTranscript(
            text=front.body,
            turns=turns,
            attributes=front.attributes,
            warnings=decode_warnings + warnings,
            interviewers=front.interviewers,
            source_format=path.suffix.lower().lstrip("."),
        )


def markdown_headings(text: str) -> frozenset[int]:
    """0-based numbers of the ATX heading lines (``# Titre``) of a Markdown text."""
    return frozenset(i for i, line in enumerate(text.split("\n")) if _MD_HEADING.match(line))
