"""Plain-text and Markdown transcripts through ``read_transcript``."""

from __future__ import annotations

from pathlib import Path

from tzcld_qual.io import read_transcript
from tzcld_qual.io.speakers import infer_roles
from tzcld_qual.model import Role


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def spoken(path: Path) -> list[tuple[str, str]]:
    parsed = read_transcript(path)
    return [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns]


def test_txt_with_front_matter(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "e1.txt",
        "---\nrôle: salarié·e EBE\nvague: vague 1\n---\n\n"
        "Enquêtrice : Bonjour ?\r\n\r\nSylvie : Oui.\r\nSylvie : Voilà.",
    )
    parsed = read_transcript(path)
    assert parsed.source_format == "txt"
    assert dict(parsed.attributes) == {"role": "salarié·e EBE", "round": "vague 1"}
    assert parsed.text == "Enquêtrice : Bonjour ?\n\nSylvie : Oui.\nSylvie : Voilà."
    assert spoken(path) == [("Enquêtrice", "Bonjour ?"), ("Sylvie", "Oui."), ("Sylvie", "Voilà.")]


def test_cp1252_txt_warns(tmp_path: Path) -> None:
    path = write(tmp_path, "e2.txt", "Q : Ça va ?\nR : Très bien, l’été.", "cp1252")
    parsed = read_transcript(path)
    assert spoken(path) == [("Q", "Ça va ?"), ("R", "Très bien, l’été.")]
    assert len(parsed.warnings) == 1 and "cp1252" in parsed.warnings[0]


def test_md_headings_are_kept_in_text_but_never_speakers_or_speech(tmp_path: Path) -> None:
    text = (
        "# Entretien : Sylvie\n\n"
        "**Enquêtrice :** Bonjour ?\n\n"
        "**Sylvie** : Oui.\n\n"
        "## Partie 2 : le travail\n\n"
        "**Enquêtrice :** Et le travail ?\n\n"
        "**Sylvie** : Bien.\n"
    )
    path = write(tmp_path, "e3.md", text)
    parsed = read_transcript(path)
    assert parsed.text == text and parsed.source_format == "md"
    assert spoken(path) == [
        ("Enquêtrice", "Bonjour ?"),
        ("Sylvie", "Oui."),
        ("Enquêtrice", "Et le travail ?"),
        ("Sylvie", "Bien."),
    ]
    assert parsed.warnings == ()


def test_hash_lines_in_txt_are_plain_text(tmp_path: Path) -> None:
    path = write(tmp_path, "e4.txt", "Q : Le numéro ?\nR : Le\n# 12.\n")
    assert spoken(path) == [("Q", "Le numéro ?"), ("R", "Le\n# 12.")]


def test_front_matter_interviewers_are_speakers_and_interviewers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "e5.md",
        "---\nenquêteurs: [Sophie]\n---\nSophie : Oui ?\nMartine : Non.\nMartine : Enfin si.\n",
    )
    parsed = read_transcript(path)
    assert parsed.interviewers == frozenset({"Sophie"})
    assert infer_roles(parsed.text, parsed.turns, parsed.interviewers) == {
        "Sophie": Role.INTERVIEWER,
        "Martine": Role.RESPONDENT,
    }
