"""Bytes to text: encodings, line endings and NFC are settled before any offset exists."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tzcld_qual.errors import InputError
from tzcld_qual.io.decode import decode

PATH = Path("entretien.txt")


def test_utf8_bom_is_stripped_without_warning() -> None:
    assert decode(codecs.BOM_UTF8 + "Enquêtrice : ça va ?".encode(), PATH) == (
        "Enquêtrice : ça va ?",
        (),
    )


@pytest.mark.parametrize("lang, words", [("fr", "encodé en cp1252"), ("en", "encoded in cp1252")])
def test_cp1252_is_converted_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, lang: str, words: str
) -> None:
    monkeypatch.setenv("TZCLD_LANG", lang)
    source = "Enquêtrice : l’été, œuvre, « ça » – déjà…"
    text, warnings = decode(source.encode("cp1252"), PATH)
    assert text == source
    assert len(warnings) == 1 and words in warnings[0]
    assert "entretien.txt" not in warnings[0]  # said by whoever shows it ("latin1.txt : latin1.txt : …")


def test_latin1_text_is_read() -> None:
    text, warnings = decode("Répondant : très bien, à côté.".encode("latin-1"), PATH)
    assert text == "Répondant : très bien, à côté." and len(warnings) == 1


def test_utf16_with_bom_is_read() -> None:
    assert decode("Q : Où ?".encode("utf-16"), PATH) == ("Q : Où ?", ())


def test_undecodable_bytes_raise_with_the_line() -> None:
    data = b"Q : bonjour\nR : " + bytes(range(0x80, 0xA0)) * 3
    with pytest.raises(InputError) as caught:
        decode(data, PATH)
    assert caught.value.line == 2 and caught.value.path == PATH
    assert "entretien.txt:2" in str(caught.value)


def test_line_endings_become_newlines() -> None:
    assert decode(b"a\r\nb\rc\n", PATH)[0] == "a\nb\nc\n"


def test_text_is_nfc() -> None:
    text, _ = decode("Enque\u0302trice : e\u0301te\u0301".encode(), PATH)
    assert text == "Enquêtrice : été" and len(text) == 16
