"""``tzcld-qual report`` end to end: the three formats, and clean errors."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from html import unescape
from pathlib import Path

import docx
import pytest
from report_cli_project import build


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return build(tmp_path / "p.tzq")


def test_html_report_with_the_bundled_codebook(cli: Callable, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "rapport.html"
    result = cli("report", project, "-o", out)
    assert result.code == 0, result.err
    assert result.out.strip() == str(out)
    assert "Rapport HTML écrit" in result.err and "modèle final ensemble@1" in result.err
    assert "8 enseignements, " in result.err and "1 comparaison d'accord," in result.err  # « 1 comparaisons »
    html = unescape(out.read_text(encoding="utf-8"))
    for code in [f"F{i}" for i in range(1, 9)]:
        assert f'<section id="finding-{code}"' in html
    assert "Enseignement du bilan\u202f: La méthode de concertation du Comité Local pour l’Emploi" in html
    assert "[entretien-nadia.txt · Nadia · segment" in html
    assert "ensemble@1 (modèle) × alice (analyste)" in html
    assert html.count("<svg") == 1 + 8 * 3


def test_markdown_and_docx(cli: Callable, project: Path, tmp_path: Path) -> None:
    assert cli("report", project, "-o", tmp_path / "r.md", "--quotes", "1").code == 0
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert md.startswith("# Rapport d'analyse qualitative — p\n")  # the project's name, not its file
    assert md.count("\n> « ") == 2  # --quotes 1: one for F1, one for F2, none elsewhere
    assert cli("report", project, "-o", tmp_path / "r.docx").code == 0
    document = docx.Document(io.BytesIO((tmp_path / "r.docx").read_bytes()))
    assert "Accord inter-codeurs" in [p.text for p in document.paragraphs]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["-o", "rapport.pdf"], 2, "format de rapport inconnu « .pdf »"),
        (["-o", "r.html", "--model", "ensemble@9"], 1, "modèle « ensemble@9 » inconnu"),
    ],
)
def test_user_errors_are_clean(
    cli: Callable,
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    code: int,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("report", project, *args)
    assert result.code == code
    assert message in result.err and "Traceback" not in result.err
    assert not (tmp_path / "r.html").exists()


def test_report_output_problems_are_clean_errors(cli: Callable, project: Path, tmp_path: Path) -> None:
    (tmp_path / "d.html").mkdir()
    result = cli("report", project, "-o", tmp_path / "d.html")
    assert result.code == 1 and "c'est un dossier" in result.err and "Traceback" not in result.err
    (tmp_path / "plain.txt").write_text("x")
    result = cli("report", project, "-o", tmp_path / "plain.txt" / "r.html")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{tmp_path / 'plain.txt'}: c'est un fichier, pas un dossier" in result.err
    result = cli("report", project, "-o", tmp_path / "nouveau" / "r.md")  # a missing folder is made
    assert result.code == 0 and (tmp_path / "nouveau" / "r.md").is_file()


def test_a_negative_number_of_quotes_is_refused(cli: Callable, project: Path, tmp_path: Path) -> None:
    result = cli("report", project, "-o", tmp_path / "r.md", "--quotes", "-3")  # was 0 quotes, silently
    assert result.code == 2 and "ne peut pas être négatif" in result.err and not (tmp_path / "r.md").exists()


def test_figures_never_read_minus_zero() -> None:
    from tzcld_qual.reports.report_blocks import num

    assert [num(-0.001), num(-0.004, 2), num(-0.05), num(0.0), num(None)] == ["0,00", "0,00", "-0,05", "0,00", "n/a"]


def test_an_empty_project_has_no_report(cli: Callable, tmp_path: Path) -> None:
    """It wrote a report of zeros with no word of why."""
    empty = tmp_path / "vide.tzq"
    assert cli("init", empty).code == 0
    result = cli("report", empty, "-o", tmp_path / "r.html")
    assert result.code == 1 and "aucune réponse d'entretien" in result.err and "tzcld-qual import" in result.err
    assert not (tmp_path / "r.html").exists()


def test_a_report_replaces_only_what_tzcld_qual_wrote(cli: Callable, project: Path, tmp_path: Path) -> None:
    """``-o notes.md`` over the analyst's own notes replaced them without a word; re-running a
    report into the same path (the README, ``make demo``) must keep working, in every format."""
    notes = tmp_path / "notes.md"
    notes.write_text("mes notes d'entretien\n", encoding="utf-8")
    result = cli("report", project, "-o", notes)
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{notes}: ce fichier existe déjà et tzcld-qual ne le reconnaît pas comme une de ses sorties" in result.err
    assert "--force" in result.err
    assert notes.read_text(encoding="utf-8") == "mes notes d'entretien\n"
    assert cli("report", project, "-o", notes, "--force").code == 0
    assert notes.read_text(encoding="utf-8").startswith("# Rapport d'analyse qualitative")
    for suffix in ("md", "html", "docx"):
        out = tmp_path / f"rapport.{suffix}"
        assert cli("report", project, "-o", out).code == 0
        assert cli("report", project, "-o", out).code == 0, f"a {suffix} report could not replace itself"


@pytest.mark.parametrize(
    ("suffix", "annotate"),
    [
        ("md", lambda text: text + "\n## Mes notes (trois jours)\n"),
        ("md", lambda text: text.replace("# Rapport", "# Mes notes\n\n# Rapport", 1)),
        ("html", lambda text: text.replace("</body>", "<p>Mes notes</p></body>")),
    ],
)
def test_a_report_with_the_analysts_notes_is_not_replaced(
    cli: Callable, project: Path, tmp_path: Path, suffix: str, annotate: Callable[[str], str]
) -> None:
    """Notes added to a report kept its title or generator, the mark it was recognised by: the
    next ``report`` replaced them without a word."""
    out = tmp_path / f"r.{suffix}"
    assert cli("report", project, "-o", out).code == 0
    out.write_text(annotate(out.read_text(encoding="utf-8")), encoding="utf-8")
    result = cli("report", project, "-o", out)
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{out}: ce fichier a été modifié depuis que tzcld-qual l'a écrit" in result.err and "--force" in result.err
    assert "Mes notes" in out.read_text(encoding="utf-8")
    assert cli("report", project, "-o", out, "--force").code == 0
    assert "Mes notes" not in out.read_text(encoding="utf-8")
    assert cli("report", project, "-o", out).code == 0


def test_a_report_knows_it_was_changed_without_its_record(cli: Callable, project: Path, tmp_path: Path) -> None:
    """A report carries its own hash: moved, or with the cache folder emptied, it is still known
    as unchanged (replaced) or changed (refused)."""
    first = tmp_path / "r.md"
    assert cli("report", project, "-o", first).code == 0
    moved = first.rename(tmp_path / "copie.md")
    (Path(os.environ["TZCLD_QUAL_CACHE_DIR"]) / "outputs.json").unlink()
    assert cli("report", project, "-o", moved).code == 0
    moved.write_text(moved.read_text(encoding="utf-8").replace("Rapport", "Mon rapport", 1), encoding="utf-8")
    assert "modifié depuis que tzcld-qual l'a écrit" in cli("report", project, "-o", moved).err


def test_a_docx_report_saved_in_word_or_from_an_earlier_version(cli: Callable, project: Path, tmp_path: Path) -> None:
    """A .docx report an analyst edited is refused as changed; one written before its author was
    set (python-docx's own name) was refused as « tzcld-qual ne l'a pas écrit », which is false."""
    out = tmp_path / "r.docx"
    assert cli("report", project, "-o", out).code == 0
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("word/comments.xml", "<w:comments/>")  # a comment added, the author kept
    assert "modifié depuis que tzcld-qual l'a écrit" in cli("report", project, "-o", out).err
    (Path(os.environ["TZCLD_QUAL_CACHE_DIR"]) / "outputs.json").unlink()
    old = tmp_path / "ancien.docx"
    core = "<cp:coreProperties><dc:creator>python-docx</dc:creator></cp:coreProperties>"
    with zipfile.ZipFile(old, "w") as archive:
        archive.writestr("docProps/core.xml", core)
    result = cli("report", project, "-o", old)
    assert "ne le reconnaît pas comme une de ses sorties (ou il a été modifié)" in result.err
    assert "ne l'a pas écrit" not in result.err


def test_a_folder_output_is_said_to_be_a_folder(cli: Callable, project: Path, tmp_path: Path) -> None:
    """``-o rapports/`` said « format de rapport inconnu « (sans extension) » »."""
    (tmp_path / "rapports").mkdir()
    result = cli("report", project, "-o", f"{tmp_path / 'rapports'}/")
    assert result.code == 1 and "c'est un dossier : donnez un nom de fichier" in result.err
    assert "format de rapport inconnu" not in result.err


def test_title_option(cli: Callable, project: Path, tmp_path: Path) -> None:
    """The title was always « Rapport d'analyse qualitative — p.tzq »."""
    assert cli("report", project, "-o", tmp_path / "r.md", "--title", "Bilan 2026 — cohésion").code == 0
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("# Bilan 2026 — cohésion\n")
