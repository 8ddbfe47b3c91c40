"""Opening a project never drops the SQLite locks this process already holds on it.

POSIX locks belong to the process: closing any handle on the file releases all of them. The
header check read the file with ``open()`` each time a worker opened a connection, so during a
retrain another process (a shell's ``codings``) could take the database as unused, checkpoint and
delete its write-ahead log under the live connections: the project's first page was overwritten.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tzcld_qual.outputs import is_project_file
from tzcld_qual.store import ProjectStore

# SQLite's shared lock, as another process would test it (os/unix: SHARED_FIRST, SHARED_SIZE)
_PROBE = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 510, 0x40000002)
    print("free")
except OSError:
    print("held")
"""


def _lock(path: Path) -> str:
    return subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_opening_the_project_again_keeps_this_process_locks(tmp_path: Path) -> None:
    path = tmp_path / "p.tzq"
    with ProjectStore(path, create=True) as store:
        store.meta("current_model")  # a live connection, as the review screen keeps
        assert _lock(path) == "held"
        with ProjectStore(path) as worker:  # what each worker thread does
            worker.meta("current_model")
        assert _lock(path) == "held"
        assert is_project_file(path)  # an output check on the project itself
        assert _lock(path) == "held"


def test_a_file_that_is_not_a_database_is_no_project_and_stays_so(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("des notes, pas une base\n" * 40, encoding="utf-8")
    empty = tmp_path / "vide.tzq"
    empty.touch()
    assert not is_project_file(text) and not is_project_file(empty) and not is_project_file(tmp_path / "absent")
    assert text.read_text(encoding="utf-8").startswith("des notes") and empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "vide.tzq"]  # no journal left beside them


def test_a_project_in_a_read_only_folder_is_said_so_not_corrupt(tmp_path: Path) -> None:
    """Every command said « illisible ou corrompu … restaurez une sauvegarde » of a sound project
    whose folder could not be written (SQLite keeps its -wal and -shm files beside it)."""
    import os
    import shutil

    import pytest

    folder = tmp_path / "lecture-seule"
    folder.mkdir()
    path = folder / "p.tzq"
    with ProjectStore(path, create=True) as store:
        store.meta("current_model")
    for extra in folder.glob("p.tzq-*"):
        extra.unlink()  # closed cleanly: no work files left, as a copied project
    before = path.read_bytes()
    script = "from tzcld_qual.store import ProjectStore\nProjectStore(__import__('sys').argv[1])"
    command = [sys.executable, "-c", script, str(path)]
    if os.geteuid() == 0:  # root writes anywhere: drop that power for the child
        if shutil.which("setpriv") is None:
            pytest.skip("root without setpriv: a read-only folder cannot be simulated")
        command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--", *command]
    folder.chmod(0o555)
    try:
        result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "TZCLD_LANG": "fr"})
    finally:
        folder.chmod(0o755)
    assert "son dossier n'est pas modifiable" in result.stderr and "corrompu" not in result.stderr
    assert path.read_bytes() == before


def test_a_damaged_project_is_still_a_project_never_an_output(tmp_path: Path) -> None:
    """SQLite refuses a bad page size as it refuses a text file: the output check then let
    `codebook import -o projet.tzq --force` write YAML over a 17 MB project."""
    path = tmp_path / "abime.tzq"
    with ProjectStore(path, create=True) as store:
        store.meta("current_model")
    for extra in tmp_path.glob("abime.tzq-*"):
        extra.unlink()
    data = bytearray(path.read_bytes())
    data[16:18] = b"\x00\x03"  # page size 3: no database SQLite will read
    path.write_bytes(bytes(data))
    assert is_project_file(path)
