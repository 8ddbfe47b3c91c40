"""Small transcripts written straight into a project store, for tests that need segments but
not the importer (no spaCy, no files)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from tzcld_qual.codebook import load_codebook
from tzcld_qual.model import Role
from tzcld_qual.store import NewSegment, ProjectStore

Turn = tuple[str, Role, str]  # speaker, role, speech


def add_transcript(
    store: ProjectStore,
    turns: Sequence[Turn],
    *,
    name: str = "a.txt",
    attributes: Mapping[str, str] | None = None,
    separator: str = "\n",
) -> None:
    """One document whose text is ``"Speaker : speech"`` per turn, each segment spanning its
    speech exactly, as the importer would have cut it."""
    lines, segments, at = [], [], 0
    for i, (speaker, role, speech) in enumerate(turns):
        start = at + len(speaker) + 3
        lines.append(f"{speaker} : {speech}")
        segments.append(NewSegment(i, speaker, role, start, start + len(speech), speech))
        at += len(lines[-1]) + len(separator)
    with store.transaction():
        store.documents.add(
            name=name,
            source_path=f"/x/{name}",
            content_hash=f"h-{name}",
            text=separator.join(lines),
            attributes=dict(attributes or {}),
            speakers={speaker: role.value for speaker, role, _speech in turns},
            source_format="txt",
            segments=segments,
        )


def new_project(path: Path, codebook_path: Path) -> ProjectStore:
    """A new project file holding the codebook at ``codebook_path`` and nothing else yet."""
    store = ProjectStore(path, create=True)
    store.codebooks.add(load_codebook(codebook_path), codebook_path.read_text(encoding="utf-8"), str(codebook_path))
    return store
