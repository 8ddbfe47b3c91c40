"""Files the analyst asks for: whole or nothing, owner only, never over a project."""

from __future__ import annotations

import errno
import sqlite3
import stat
from pathlib import Path

import pytest

from tzcld_qual.errors import InputError, from_os_error
from tzcld_qual.outputs import atomic_output, check_file_target, is_project_file, make_folder, write_bytes


def test_written_whole_and_owner_only(tmp_path: Path) -> None:
    out = write_bytes(tmp_path / "sous" / "dossier" / "x.qdc", b"<CodeBook/>", "codebook.qdc")
    assert out.read_bytes() == b"<CodeBook/>"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert stat.S_IMODE(out.parent.stat().st_mode) == 0o700
    assert [p.name for p in out.parent.iterdir()] == ["x.qdc"]  # no temporary file left


def test_a_failure_leaves_the_earlier_file_whole(tmp_path: Path) -> None:
    out = tmp_path / "rapport.html"
    out.write_text("ancien rapport")
    with pytest.raises(RuntimeError), atomic_output(out, "rapport.html") as stream:
        stream.write(b"moitie d'un nouveau")
        raise RuntimeError("coupure")
    assert out.read_text() == "ancien rapport"
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.html"]


def test_a_project_is_never_an_output(tmp_path: Path) -> None:
    project = tmp_path / "etude.qdpx"  # whatever its name says
    sqlite3.connect(project).execute("CREATE TABLE t (x)").connection.commit()
    assert is_project_file(project) and not is_project_file(tmp_path / "absent")
    with pytest.raises(InputError, match="fichier de projet"):
        write_bytes(project, b"zip", "projet.qdpx")
    assert is_project_file(project)


def test_folders_and_files_in_the_way(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="c'est un dossier"):
        check_file_target(tmp_path, "rapport.html")
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    with pytest.raises(InputError, match="c'est un fichier, pas un dossier"):
        make_folder(plain)
    with pytest.raises(InputError, match="une partie du chemin est un fichier") as caught:
        write_bytes(plain / "sous" / "x.qdc", b"", "codebook.qdc")
    assert "plain.txt" in str(caught.value)


def test_system_errors_on_a_users_path_become_user_errors() -> None:
    error = from_os_error(PermissionError(errno.EACCES, "Permission denied", "/srv/ro/x.qdpx"))
    assert isinstance(error, InputError)
    assert error.message.startswith("/srv/ro/x.qdpx: accès refusé")
    assert from_os_error(OSError(errno.ENOSPC, "No space", "/mnt/x")).message.startswith("/mnt/x: disque plein")
    assert from_os_error(OSError(errno.EACCES, "Permission denied")) is None  # no path: a bug
    assert from_os_error(OSError(errno.EBADF, "Bad file descriptor", "/x")) is None


def test_a_full_disk_while_writing_names_the_file(tmp_path: Path) -> None:
    """Write errors carry no file name: the full disk was exit 70 and a traceback."""
    out = tmp_path / "projet.qdpx"
    with pytest.raises(InputError) as caught, atomic_output(out, "projet.qdpx"):
        raise OSError(errno.ENOSPC, "No space left on device")  # as a write to a full disk raises it
    assert caught.value.message.startswith(f"{out}: disque plein")
    assert list(tmp_path.iterdir()) == []
