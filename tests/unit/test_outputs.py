"""Files the analyst asks for: whole or nothing, owner only, never over a project."""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from tzcld_qual import outputs
from tzcld_qual.errors import InputError, from_os_error
from tzcld_qual.outputs import (
    Found,
    atomic_output,
    check_file_target,
    check_replaceable,
    is_project_file,
    make_folder,
    noting_unrecorded,
    output_state,
    recorded,
    remember,
    seal,
    write_bytes,
    written_here,
)


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


def test_an_existing_file_is_replaced_only_if_ours_or_forced(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Mes notes\n")
    with pytest.raises(InputError, match="existe déjà et tzcld-qual ne le reconnaît pas comme une de ses") as caught:
        check_replaceable(notes)
    assert "--force" in str(caught.value)
    assert check_replaceable(notes, force=True) == notes
    assert check_replaceable(tmp_path / "absent.md") == tmp_path / "absent.md"
    notes.write_text("# Rapport d'analyse qualitative — etude.tzq\n")  # the title alone vouches for nothing
    with pytest.raises(InputError, match="ne le reconnaît pas"):
        check_replaceable(notes)
    write_bytes(notes, "# Rapport d'analyse qualitative — etude.tzq\n".encode(), "rapport.md")
    assert check_replaceable(notes) == notes
    assert check_replaceable(tmp_path / "t.csv", ours=lambda _p: False)  # nothing there yet


def test_a_report_carries_the_hash_of_what_was_written(tmp_path: Path) -> None:
    """Notes added anywhere in a report, even after its seal, make it « modifié »; a trailing
    newline an editor adds does not; the seal holds without the registry."""
    report = write_bytes(tmp_path / "r.html", b"<html><body><p>Constat</p></body></html>", "rapport.html")
    data = report.read_bytes()
    assert data.startswith(b"<html><body><p>Constat</p></body></html>\n<!-- tzcld-qual: sha256 ")
    assert data == seal(b"<html><body><p>Constat</p></body></html>")
    (Path(os.environ["TZCLD_QUAL_CACHE_DIR"]) / "outputs.json").unlink()
    assert output_state(report) is Found.OURS
    report.write_bytes(data + b"\n\n")
    assert output_state(report) is Found.OURS
    for changed in (data.replace(b"Constat", b"Constat (mes notes)"), data + b"<p>Mes notes</p>"):
        report.write_bytes(changed)
        assert output_state(report) is Found.CHANGED
        with pytest.raises(InputError, match="ce fichier a été modifié depuis que tzcld-qual l'a écrit"):
            check_replaceable(report)
    report.write_bytes(data.replace(b"<!-- tzcld-qual: sha256 ", b"<!-- sha256 "))  # the seal edited away
    assert output_state(report) is Found.UNKNOWN


def test_the_record_of_what_was_written(tmp_path: Path) -> None:
    """Path → SHA-256 in the cache folder, owner only, rewritten whole; a file of another content
    at a recorded path is « modifié »; a damaged record is an empty one."""
    table = write_bytes(tmp_path / "t.csv", b"document,segment_id\n", "tableaux/")
    record = Path(os.environ["TZCLD_QUAL_CACHE_DIR"]) / "outputs.json"
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    assert recorded() == {str(table.resolve()): hashlib.sha256(b"document,segment_id\n").hexdigest()}
    assert output_state(table) is Found.OURS
    table.write_bytes(b"document,segment_id,note\n")
    assert output_state(table) is Found.CHANGED
    assert [p.name for p in record.parent.iterdir() if p.name.startswith(".outputs")] == []  # no temporary left
    record.write_bytes(b"\x00 abime")
    assert recorded() == {} and output_state(table) is Found.UNKNOWN
    record.write_bytes(b'{"files": ' + b"[" * 100_000)  # a RecursionError, a traceback and exit 70
    assert recorded() == {} and output_state(table) is Found.UNKNOWN
    assert remember(table, "0" * 64) and recorded() == {str(table.resolve()): "0" * 64}  # rewritten whole


def test_an_output_copied_over_another_is_still_ours(tmp_path: Path) -> None:
    """``cp A/t.csv B/t.csv`` puts at B exactly what tzcld-qual wrote (at A): it was said « modifié »
    and refused without --force. Any content the record knows, at any path, is ours; a change to
    it is still « modifié »."""
    first = write_bytes(tmp_path / "A" / "t.csv", b"code,n\nF1,3\n", "tableaux/")
    other = write_bytes(tmp_path / "B" / "t.csv", b"code,n\nF1,4\n", "tableaux/")
    other.write_bytes(first.read_bytes())
    assert output_state(other) is Found.OURS and check_replaceable(other) == other
    loose = tmp_path / "copie.csv"  # never written by tzcld-qual at this path: its content was
    loose.write_bytes(first.read_bytes())
    assert output_state(loose) is Found.OURS
    first.write_bytes(b"code,n,note\nF1,3,a revoir\n")  # the original edited: the copy stays ours
    assert output_state(first) is Found.CHANGED and output_state(other) is Found.OURS
    other.write_bytes(b"code,n\nF1,3\nF9,1\n")
    assert output_state(other) is Found.CHANGED
    loose.write_bytes(b"code,n\nF1,5\n")
    assert output_state(loose) is Found.UNKNOWN


def test_a_cache_folder_that_takes_no_record_does_not_stop_an_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("un fichier, pas un dossier")
    monkeypatch.setenv("TZCLD_QUAL_CACHE_DIR", str(blocked))
    with noting_unrecorded() as unrecorded:
        assert unrecorded.warning() is None
        out = write_bytes(tmp_path / "t.csv", b"a,b\n", "tableaux/")
        report = write_bytes(tmp_path / "r.md", b"# Rapport\n", "rapport.md")
    assert out.read_bytes() == b"a,b\n" and recorded() == {}
    warning = unrecorded.warning()  # said, not silently lost; the report's seal suffices for it
    assert warning is not None and warning.startswith(f"{out} est écrit, mais tzcld-qual n'a pas pu noter")
    assert f"dans {blocked} : " in warning and "TZCLD_QUAL_CACHE_DIR=" in warning
    assert [path for path, _ in unrecorded.outputs] == [out]
    assert not remember(out, "0" * 64)
    with pytest.raises(InputError, match="ne le reconnaît pas"):
        check_replaceable(out)
    assert check_replaceable(report) == report
    with noting_unrecorded() as later:  # the next command starts with nothing of this one's
        assert later.warning() is None
    with caplog.at_level("WARNING", logger="tzcld_qual.outputs"):  # nobody gathering: still logged
        write_bytes(tmp_path / "u.csv", b"a\n", "tableaux/")
    assert "u.csv written but not recorded" in caplog.text


def test_each_command_gathers_only_its_own_unrecorded_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The gathering was one module list drained by the command line: two threads writing at
    once each said the other's files (and a script that never drained it kept them forever)."""
    import threading

    blocked = tmp_path / "cache"
    blocked.write_text("un fichier")
    monkeypatch.setenv("TZCLD_QUAL_CACHE_DIR", str(blocked))
    seen: dict[str, list[Path]] = {}
    both_wrote = threading.Barrier(2)

    def command(name: str) -> None:
        with noting_unrecorded() as unrecorded:
            write_bytes(tmp_path / f"{name}.csv", b"x\n", "tableaux/")
            both_wrote.wait(timeout=10)
            seen[name] = [path for path, _ in unrecorded.outputs]

    threads = [threading.Thread(target=command, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert seen == {"a": [tmp_path / "a.csv"], "b": [tmp_path / "b.csv"]}


def test_the_record_keeps_the_latest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outputs, "KEPT", 3)
    for name in "abcd":
        remember(tmp_path / name, name)
    remember(tmp_path / "b", "b2")
    assert list(recorded().values()) == ["c", "d", "b2"]


_WRITER = """
import sys, time
from pathlib import Path
from tzcld_qual.outputs import remember
folder, who = Path(sys.argv[1]), sys.argv[2]
(folder / f"ready-{who}").touch()
while not (folder / "go").exists():
    time.sleep(0.001)
for n in range(40):
    assert remember(folder / f"{who}-{n}.csv", f"{who}:{n}")
"""


def test_outputs_written_at_once_by_several_processes_are_all_recorded(tmp_path: Path) -> None:
    """Four exports at once each replaced the record with what they had read before the others
    wrote: 3 and 10 of 21 tables were left recorded, and the next export asked for --force."""
    root = str(Path(outputs.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), str(who)], env=env) for who in range(6)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < len(writers) and time.monotonic() < deadline:
        time.sleep(0.01)
    (tmp_path / "go").touch()  # all at once
    assert [writer.wait(timeout=60) for writer in writers] == [0] * len(writers)
    expected = {str((tmp_path / f"{w}-{n}.csv").resolve()): f"{w}:{n}" for w in range(6) for n in range(40)}
    assert recorded() == expected  # not one lost
    lock = Path(os.environ["TZCLD_QUAL_CACHE_DIR"]) / "outputs.json.lock"
    assert stat.S_IMODE(lock.stat().st_mode) == 0o600


def test_a_disk_without_locks_still_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A network or FUSE cache folder may refuse ``flock`` (ENOLCK): the record is kept as before
    the lock, not refused, which would have warned of every output."""
    import fcntl

    def no_locks(_fd: int, _operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    with noting_unrecorded() as unrecorded:
        out = write_bytes(tmp_path / "t.csv", b"a,b\n", "tableaux/")
    assert output_state(out) is Found.OURS and unrecorded.warning() is None


def _ooxml(path: Path, creator: str, editor: str) -> Path:
    core = f"<cp:coreProperties><dc:creator>{creator}</dc:creator><cp:lastModifiedBy>{editor}</cp:lastModifiedBy>"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("docProps/core.xml", core + "</cp:coreProperties>")
    return path


def test_the_marks_of_what_tzcld_qual_wrote(tmp_path: Path) -> None:
    """For a file from before the record of outputs: a Word or Excel file an analyst saved over,
    or another tool's, needs --force."""
    html = tmp_path / "r.html"
    html.write_text('<!DOCTYPE html>\n<head>\n<meta name="generator" content="tzcld-qual">')
    assert not written_here(html)  # it stays when an analyst adds notes: the seal says more
    assert written_here(_ooxml(tmp_path / "r.docx", "tzcld-qual", "tzcld-qual"))
    assert not written_here(_ooxml(tmp_path / "r.docx", "tzcld-qual", "Camille"))  # saved over in Word
    assert not written_here(_ooxml(tmp_path / "t.xlsx", "openpyxl", ""))
    qdc = tmp_path / "c.qdc"
    qdc.write_text('<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="tzcld-qual 0.9">')
    assert written_here(qdc)
    qdc.write_text('<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo 14">')
    assert not written_here(qdc)
    with zipfile.ZipFile(tmp_path / "p.qdpx", "w") as archive:
        archive.writestr("project.qde", '<Project name="p" origin="tzcld-qual 0.9">')
    assert written_here(tmp_path / "p.qdpx")
    (tmp_path / "bad.qdpx").write_bytes(b"pas un zip")
    assert not written_here(tmp_path / "bad.qdpx") and not written_here(tmp_path / "absent.docx")
    (tmp_path / "notes.txt").write_text("tzcld-qual")
    assert not written_here(tmp_path / "notes.txt")


def test_a_folder_that_takes_no_file_is_not_said_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``-o /proc/x.html`` said « /proc : fichier ou dossier introuvable »: /proc is there."""

    def no_file_here(**_kwargs: object) -> tuple[int, str]:
        raise FileNotFoundError(errno.ENOENT, "No such file or directory")

    monkeypatch.setattr(tempfile, "mkstemp", no_file_here)
    with pytest.raises(InputError) as caught:
        write_bytes(tmp_path / "x.html", b"", "rapport.html")
    assert caught.value.message.startswith(f"{tmp_path}: ce dossier n'accepte pas de nouveau fichier")
