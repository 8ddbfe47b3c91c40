"""One model run per project: a second ``code`` or ``retrain`` is refused while one works."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tzcld_qual.errors import ProjectError
from tzcld_qual.services import coding
from tzcld_qual.services.projects import init_project
from tzcld_qual.services.run_lock import lock_path, model_run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    store, _version = init_project(tmp_path / "p.tzq")
    store.close()
    return tmp_path / "p.tzq"


def test_a_second_run_is_refused_while_the_first_holds_the_project(project: Path) -> None:
    with model_run(project):
        with pytest.raises(ProjectError, match="tourne déjà sur ce projet"):
            coding.code_project(project)
        with pytest.raises(ProjectError, match="tourne déjà sur ce projet"):
            coding.retrain(project)
    with model_run(project):  # released: the next run takes it
        pass


def test_a_killed_run_leaves_the_project_free(project: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from tzcld_qual.services.run_lock import model_run\n"
            "with model_run(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)",
            str(project),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(ProjectError), model_run(project):
            pass
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 10
    while True:
        try:
            with model_run(project):
                break
        except ProjectError:
            assert time.monotonic() < deadline, "the lock outlived the killed process"
            time.sleep(0.1)
    assert lock_path(project).exists()  # the file stays; only the lock goes with the process
