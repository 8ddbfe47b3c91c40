"""Which embedding model a configured name means, and the id its vectors are cached under."""

from __future__ import annotations

from pathlib import Path

import pytest

from tzcld_qual.config import load_config
from tzcld_qual.embed import DEFAULT_MODEL, Part, SentenceTransformerEmbedder, bundled_parts
from tzcld_qual.errors import ModelError


def test_the_default_is_use_and_e5_with_e5_weighted_three() -> None:
    assert DEFAULT_MODEL == "usem3+e5small*3"
    assert bundled_parts(DEFAULT_MODEL) == (Part("usem3"), Part("e5small", 3.0))
    assert load_config().embedder.model in (DEFAULT_MODEL, "usem3")  # tests pin usem3 (conftest)


@pytest.mark.parametrize(
    "model", ["", "usem4", "usem3+", "usem3*0", "usem3*-1", "usem3*x", "usem3*inf", "e5small+mpnet"]
)
def test_names_that_are_not_bundled_models(model: str) -> None:
    assert bundled_parts(model) is None


def test_model_ids_name_each_part_its_package_version_and_weight() -> None:
    use = SentenceTransformerEmbedder("usem3").model_id
    assert use.startswith("usem3@") and "+" not in use  # vectors cached before 0.1.9 stay valid
    both = SentenceTransformerEmbedder("usem3+e5small*3").model_id
    assert both.startswith(use + "+e5small@") and both.endswith("*3")
    assert SentenceTransformerEmbedder("usem3+e5small*2").model_id != both  # other vectors, other cache


def test_an_unknown_name_is_refused_before_anything_loads() -> None:
    embedder = SentenceTransformerEmbedder("usem3+labse")
    with pytest.raises(ModelError, match="introuvable") as caught:
        embedder.check()
    assert "usem3+e5small*3" in str(caught.value)  # says what would work
    assert embedder._st is None


def test_a_bundled_name_is_never_taken_for_a_folder_of_that_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "usem3").mkdir()
    monkeypatch.chdir(tmp_path)
    assert SentenceTransformerEmbedder("usem3").model_id.startswith("usem3@")
    assert SentenceTransformerEmbedder("./usem3").model_id.startswith("st:usem3@")
