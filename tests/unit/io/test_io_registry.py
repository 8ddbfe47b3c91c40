"""Checks shared by every format: each bad input raises an InputError that names the file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tzcld_qual.errors import InputError
from tzcld_qual.io import SUPPORTED_SUFFIXES, read_transcript


def test_supported_suffixes() -> None:
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".md", ".docx", ".odt", ".vtt", ".srt"}


def raises_naming(path: Path, **kwargs: int) -> InputError:
    with pytest.raises(InputError) as caught:
        read_transcript(path, **kwargs)
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    assert caught.value.fix  # every error says how to fix it
    return caught.value


def test_missing_file(tmp_path: Path) -> None:
    raises_naming(tmp_path / "absent.txt")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "dossier.txt"
    folder.mkdir()
    raises_naming(folder)


def test_unsupported_suffix_lists_the_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "entretien.doc"
    path.write_bytes(b"Q : bonjour")
    error = raises_naming(path)
    assert all(suffix in str(error) for suffix in SUPPORTED_SUFFIXES)


@pytest.mark.parametrize("content", [b"", b"  \r\n\t\n", b"---\nrole: x\n---\n\n"])
def test_empty(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "vide.txt"
    path.write_bytes(content)
    raises_naming(path)


def test_too_large_says_size_and_limit(tmp_path: Path) -> None:
    path = tmp_path / "gros.txt"
    path.write_bytes(b"Q : bonjour\n" * 100)
    error = raises_naming(path, max_bytes=1000)
    assert error.values["size"] == 1200 and error.values["limit"] == 1000
    assert "1,200" in str(error) or "1\u202f200" in str(error)


def test_nul_bytes_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    raises_naming(path)


@pytest.mark.parametrize("name", ["faux.docx", "faux.odt"])
def test_office_file_that_is_not_a_zip(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("Q : je suis du texte", encoding="utf-8")
    raises_naming(path)


def test_undecodable(tmp_path: Path) -> None:
    path = tmp_path / "illisible.txt"
    path.write_bytes(b"Q : " + bytes(range(0x80, 0xA0)) * 4)
    assert raises_naming(path).line == 1


def test_malformed_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "entete.md"
    path.write_text("---\nrole: [salarié\n---\nQ : bonjour ?\n", encoding="utf-8")
    assert raises_naming(path).line is not None


def test_corrupt_docx_zip(tmp_path: Path) -> None:
    path = tmp_path / "abime.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<pas du xml")
    raises_naming(path)


def test_suffix_is_case_insensitive_and_utf16_is_not_binary(tmp_path: Path) -> None:
    path = tmp_path / "ENTRETIEN.TXT"
    path.write_bytes("Q : Où ?\nR : Là.".encode("utf-16"))
    parsed = read_transcript(path)
    assert parsed.source_format == "txt"
    assert [parsed.text[t.start : t.end] for t in parsed.turns] == ["Où ?", "Là."]
