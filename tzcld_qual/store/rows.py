"""Converters between SQLite rows and domain values."""

from __future__ import annotations

import hashlib
import json
import sqlite3

from tzcld_qual.model import Coding, Decision, Document, Memo, Role, Segment, Status, frozen_mapping


def text_hash(text: str) -> str:
    """Identity of a text for caches and carry-over (same text ⇒ same hash)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def document(row: sqlite3.Row) -> Document:
    return Document(
        id=row["id"],
        name=row["name"],
        source_path=row["source_path"],
        content_hash=row["content_hash"],
        text=row["text"],
        attributes=frozen_mapping(json.loads(row["attributes"])),
        version=row["version"],
        source_format=row["source_format"],
        imported_at=row["imported_at"],
        speakers=frozen_mapping(json.loads(row["speakers"])),
    )


def segment(row: sqlite3.Row) -> Segment:
    return Segment(
        id=row["id"],
        document_id=row["document_id"],
        document=row["document"],
        position=row["position"],
        turn=row["turn"],
        speaker=row["speaker"],
        role=Role(row["role"]),
        start=row["start"],
        end=row["end"],
        text=row["text"],
    )


def coding(row: sqlite3.Row) -> Coding:
    return Coding(
        id=row["id"],
        segment_id=row["segment_id"],
        code_id=row["code_id"],
        status=Status(row["status"]),
        origin=row["origin"],
        confidence=row["confidence"],
        explanation=row["explanation"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def decision(row: sqlite3.Row) -> Decision:
    return Decision(
        id=row["id"],
        at=row["at"],
        coder=row["coder"],
        action=row["action"],
        segment_id=row["segment_id"],
        code_id=row["code_id"],
        before=row["before"],
        after=row["after"],
        group=row["grp"],
        ref=row["ref"],
        detail=row["detail"],
    )


def memo(row: sqlite3.Row) -> Memo:
    return Memo(
        id=row["id"],
        target=row["target"],
        target_id=row["target_id"],
        coder=row["coder"],
        text=row["text"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


SEGMENT_COLUMNS = (
    's.id, s.document_id, d.name AS document, s.position, s.turn, s.speaker, s.role, s.start, s."end", s.text'
)
