"""Bad input: one clear line naming the file, exit 1, no traceback, the project as it was."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

GOOD = "Enquêtrice : Bonjour, vous travaillez à l'EBE ?\n\nMartine : Oui, depuis deux ans, en CDI.\n"


def _digest(path: Path) -> str | None:
    if not path.exists():
        return None
    parts = [path.read_bytes()] + [Path(f"{path}{s}").read_bytes() for s in ("-wal",) if Path(f"{path}{s}").exists()]
    return hashlib.sha256(b"".join(parts)).hexdigest()


def _bad_files(tmp: Path) -> dict[str, Path]:
    files = {}
    (tmp / "empty.txt").write_bytes(b"")
    files["empty"] = tmp / "empty.txt"
    (tmp / "binary.txt").write_bytes(bytes(range(256)) * 4)
    files["binary"] = tmp / "binary.txt"
    (tmp / "notes.pdf").write_bytes(b"%PDF-1.4")
    files["unsupported"] = tmp / "notes.pdf"
    (tmp / "fake.docx").write_bytes(b"not a zip at all")
    files["fake docx"] = tmp / "fake.docx"
    with (tmp / "huge.txt").open("wb") as handle:
        handle.write((GOOD * 1000).encode() * 800)  # ~ 60 MB
    files["huge"] = tmp / "huge.txt"
    files["missing"] = tmp / "missing.txt"
    return files


@pytest.mark.parametrize("kind", ["empty", "binary", "unsupported", "fake docx", "huge", "missing"])
@pytest.mark.parametrize("existing", [False, True])
def test_bad_transcripts(cli: Callable, tmp_path: Path, kind: str, existing: bool) -> None:
    project = tmp_path / "p.tzq"
    if existing:
        assert cli("init", project).code == 0
    before = _digest(project)
    bad = _bad_files(tmp_path)[kind]
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    result = cli("import", project, good, bad)
    assert result.code == 1
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and bad.name in lines[0], result.err
    assert _digest(project) == before  # nothing written, nothing created
    if not existing:
        assert not project.exists()


def test_malformed_codebook_on_init_creates_nothing(cli: Callable, tmp_path: Path) -> None:
    cb = tmp_path / "cb.yaml"
    cb.write_text("codes:\n  - id: A\n    definition: x\n  - id: A\n    definition: y\n", encoding="utf-8")
    result = cli("init", tmp_path / "p.tzq", "--codebook", cb)
    assert result.code == 1 and "cb.yaml:4" in result.err and "double" in result.err
    assert not (tmp_path / "p.tzq").exists()


def test_malformed_attributes_csv(cli: Callable, tmp_path: Path) -> None:
    project = tmp_path / "p.tzq"
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    csv = tmp_path / "attrs.csv"
    csv.write_text("file;role\ngood.txt;élu·e;extra\n", encoding="utf-8")
    result = cli("import", project, good, "--attributes", csv)
    assert result.code == 1 and "attrs.csv" in result.err and "Traceback" not in result.err
    assert not project.exists()


def test_not_a_project_file(cli: Callable, tmp_path: Path) -> None:
    notes = tmp_path / "notes.tzq"
    notes.write_text("mes notes", encoding="utf-8")
    result = cli("segments", notes)
    assert result.code == 1 and "pas un projet" in result.err
    assert notes.read_text(encoding="utf-8") == "mes notes"


def test_usage_error_exit_code(cli: Callable) -> None:
    with pytest.raises(SystemExit) as info:
        cli("import")
    assert info.value.code == 2


def test_a_system_error_on_a_users_path_is_a_clean_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A read-only output folder was exit 70, "erreur inattendue (bogue)" and a traceback."""
    import errno

    from tzcld_qual.cli import export_cmds
    from tzcld_qual.cli.main import main

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "ro" / "x.qdpx"))

    monkeypatch.setattr(export_cmds, "export_project", refused)
    assert main(["export", str(tmp_path / "p.tzq"), "-f", "qdpx", "-o", str(tmp_path / "ro" / "x.qdpx")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'ro' / 'x.qdpx'}: accès refusé" in err and "Traceback" not in err

    def bug(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EBADF, "Bad file descriptor")  # no path of the user's: still a bug

    monkeypatch.setattr(export_cmds, "export_project", bug)
    assert main(["export", str(tmp_path / "p.tzq"), "-f", "qdpx", "-o", str(tmp_path / "x.qdpx")]) == 70
    assert "erreur inattendue (bogue)" in capsys.readouterr().err


def test_a_project_held_by_another_program_is_a_clean_error(
    cli: Callable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``BEGIN EXCLUSIVE`` in an SQLite tool: the import waited, then ended in a traceback."""
    import sqlite3

    from tzcld_qual.store import connection

    project = tmp_path / "p.tzq"
    assert cli("init", project).code == 0
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(project, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = cli("import", project, good)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{project}: le projet est occupé par un autre programme" in result.err
    assert cli("import", project, good).code == 0  # once released, it works


@pytest.mark.parametrize(
    ("raised", "said"),
    [
        ("attempt to write a readonly database", "le projet est en lecture seule"),
        ("database disk image is malformed", "fichier projet endommagé"),
        ("database or disk is full", "disque plein : la dernière opération n'a pas été enregistrée"),
    ],
)
def test_sqlite_refusals_on_an_open_project_are_clean_errors(
    cli: Callable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raised: str, said: str
) -> None:
    import sqlite3

    from tzcld_qual.cli import project_cmds

    project = tmp_path / "p.tzq"
    assert cli("init", project).code == 0

    def refused(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError(raised) if "readonly" in raised else sqlite3.DatabaseError(raised)

    monkeypatch.setattr(project_cmds, "cmd_segments", refused)  # bound when the parser is built, per call
    result = cli("segments", project)
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{project}: {said}" in result.err


def test_a_folder_names_every_bad_file_at_once_and_skips_system_files(cli: Callable, tmp_path: Path) -> None:
    """It took one run per bad file to find them all, and a macOS ``._x.txt`` blocked a folder."""
    folder = tmp_path / "entretiens"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(GOOD, encoding="utf-8")
    (folder / "vide.txt").write_bytes(b"")
    (folder / "faux.docx").write_bytes(b"not a zip at all")
    (folder / "._a.txt").write_bytes(b"\x00\x05\x16\x07 AppleDouble")  # macOS resource fork
    (folder / "~$b.docx").write_bytes(b"\x05lock")  # Word's lock file
    project = tmp_path / "p.tzq"
    result = cli("import", project, folder)
    assert result.code == 1 and "Traceback" not in result.err
    assert "2 fichiers ne peuvent pas être lus ; rien n'a été importé" in result.err
    assert "vide.txt" in result.err and "faux.docx" in result.err
    assert "._a.txt" not in result.err and "~$b.docx" not in result.err
    assert not project.exists()
    (folder / "vide.txt").unlink()
    (folder / "faux.docx").unlink()
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    (folder / "vague2").mkdir()
    result = cli("import", project, folder)
    assert result.code == 0, result.err
    assert "non importés (formats non lus, sous-dossiers) : notes.pdf, vague2/" in result.err
    assert "nouveau" in result.out and "new" not in result.out


def test_init_on_a_folder_or_on_a_file_that_is_not_a_project(cli: Callable, tmp_path: Path) -> None:
    """Both said "le projet existe déjà", which sends the analyst to import into a text file."""
    folder = tmp_path / "etude.tzq"
    folder.mkdir()
    result = cli("init", folder)
    assert result.code == 1 and "c'est un dossier, pas un fichier projet" in result.err
    notes = tmp_path / "notes.tzq"
    notes.write_text("mes notes", encoding="utf-8")
    result = cli("init", notes)
    assert result.code == 1 and "n'est pas un projet tzcld-qual ; il n'a pas été modifié" in result.err
    assert notes.read_text(encoding="utf-8") == "mes notes"


def test_a_locked_table_is_a_bug_not_a_busy_project(
    cli: Callable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from tzcld_qual.cli import project_cmds

    project = tmp_path / "p.tzq"
    assert cli("init", project).code == 0

    def locked(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database table is locked")  # one connection's own misuse

    monkeypatch.setattr(project_cmds, "cmd_segments", locked)
    result = cli("segments", project)
    assert result.code == 70 and "occupé par un autre programme" not in result.err


def test_an_empty_file_is_not_quietly_made_a_project(cli: Callable, tmp_path: Path) -> None:
    """`pseudonymize` and even `codebook show` turned an empty file into a 172 KB database."""
    empty = tmp_path / "e.tzq"
    empty.write_bytes(b"")
    for args in (("codebook", "show", empty), ("segments", empty), ("pseudonymize", empty)):
        result = cli(*args)
        assert result.code == 1 and "ce fichier est vide" in result.err, (args, result.err)
    assert empty.stat().st_size == 0 and not (tmp_path / "e.pseudonymes.json").exists()


def test_an_empty_file_is_a_project_not_created_yet(cli: Callable, tmp_path: Path) -> None:
    """`touch etude.tzq`, then init or import: it becomes the project."""
    for command in ("init", "import"):
        path = tmp_path / f"{command}.tzq"
        path.touch()
        good = tmp_path / "good.txt"
        good.write_text(GOOD, encoding="utf-8")
        result = cli(command, path) if command == "init" else cli(command, path, good)
        assert result.code == 0, result.err
        assert cli("segments", path).code == 0
        assert path.stat().st_mode & 0o777 == 0o600  # transcripts: owner only, as a new file is
    codebook = Path(__file__).resolve().parents[2] / "codebooks" / "tzcld.yaml"
    touched = tmp_path / "avec-codebook.tzq"
    touched.touch()
    result = cli("import", touched, tmp_path / "good.txt", "--codebook", codebook)
    assert result.code == 0, result.err


@pytest.mark.parametrize(
    ("failing", "user"),
    [
        (".x.qdc.k2j4.tmp", True),  # the output's own temporary file
        ("p.tzq-wal", True),
        ("p.pseudonymes.json", True),
        ("autre.json", False),  # beside a given path, but not one the tool keeps there
        ("/var/cache/tzcld-qual/engines/x.pkl", False),  # the cache: a bug
        (3, False),  # a file descriptor, not a path
        (None, False),  # no path at all
    ],
)
def test_which_system_errors_are_the_users(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], failing: object, user: bool
) -> None:
    import errno

    from tzcld_qual.cli import export_cmds
    from tzcld_qual.cli.main import main

    name = str(tmp_path / failing) if isinstance(failing, str) else failing

    def refused(*args: object, **kwargs: object) -> None:
        if name is None:
            raise PermissionError(errno.EACCES, "Permission denied")
        raise PermissionError(errno.EACCES, "Permission denied", name)

    monkeypatch.setattr(export_cmds, "export_project", refused)
    code = main(["export", str(tmp_path / "p.tzq"), "-f", "qdc", "-o", str(tmp_path / "x.qdc")])
    assert code == (1 if user else 70)
    assert ("accès refusé" in capsys.readouterr().err) is user
