"""What every answer is composed from: the open store, its codebook, and the corpus snapshot."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from tzcld_qual.chat.corpus import Corpus
from tzcld_qual.model import Codebook
from tzcld_qual.store import ProjectStore

# (query, how many, allowed segment ids or None) -> [(segment id, cosine similarity)], best first
Searcher = Callable[[str, int, "set[int] | None"], list[tuple[int, float]]]
# () -> the latest topic run (``tzcld_qual.topics.result.TopicRun``) or None
TopicsSource = Callable[[], Any]


class Context:
    """One question's view of the project; the corpus is read only if the answer needs it."""

    def __init__(
        self,
        store: ProjectStore,
        codebook: Codebook,
        *,
        lang: str = "fr",
        coder: str | None = None,
        previous_segments: tuple[int, ...] = (),
        search: Searcher | None = None,
        topics: TopicsSource | None = None,
        corpus: Corpus | None = None,
    ) -> None:
        self.store = store
        self.codebook = codebook
        self.lang = lang
        self.coder = coder
        self.previous_segments = previous_segments  # segments the previous answer showed
        # Capabilities that live outside the chat engine, given by the service layer:
        self.search = search  # semantic search over the persisted index
        self.topics = topics  # emergent themes
        if corpus is not None:
            self.corpus = corpus  # a view kept by the session while the data is unchanged

    @cached_property
    def corpus(self) -> Corpus:
        return Corpus(self.store)

    def say(self, fr: str, en: str) -> str:
        return en if self.lang == "en" else fr
