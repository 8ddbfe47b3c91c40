"""Ask the corpus a question, in French or English; confirm the actions the answer proposes.

``ask(project, question, *, coder=None) -> Answer`` is what both front ends call: it reads the
project (counts, verbatim quotes, semantic search, explanations), keeps the exchange in the
project's chat history (so "et chez les élus ?" follows on), and never writes anything else. An
answer that proposes a change (accept a batch, code a segment, retrain) carries an
:class:`Action`; nothing happens until ``perform(project, action, coder=...)`` is called, and
every change made then is one undo away.

Loading the embedding model takes seconds: a front end that asks many questions keeps one
:class:`ChatSession` and passes it as ``session=`` (the model and each project's semantic index
stay loaded); without it, the model is loaded only for questions that need it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tzcld_qual.chat import actions
from tzcld_qual.chat.answers import compose
from tzcld_qual.chat.context import Context, Searcher
from tzcld_qual.chat.corpus import Corpus
from tzcld_qual.chat.history import previous_parse, record
from tzcld_qual.chat.intents import parse
from tzcld_qual.chat.normalize import detect_language
from tzcld_qual.chat.slots import Vocabulary
from tzcld_qual.chat.values import CONFIRMED_KINDS, Action, Answer, Quote
from tzcld_qual.chat.wording import say
from tzcld_qual.errors import Text, UsageError, ui_language
from tzcld_qual.model import Status
from tzcld_qual.services.projects import current_codebook
from tzcld_qual.store import ProjectStore
from tzcld_qual.store.chat import ChatRepo, ChatTurn

if TYPE_CHECKING:
    from tzcld_qual.chat.retrieval import SemanticIndex
    from tzcld_qual.embed import Embedder

__all__ = ["Action", "Answer", "ChatSession", "Quote", "ask", "clear_history", "history", "perform"]


class ChatSession:
    """What is worth keeping between questions: the embedding model and each project's index."""

    def __init__(self, embedder: Embedder | Any = None) -> None:
        self._embedder: Any = embedder
        self._indexes: dict[str, SemanticIndex] = {}
        self._corpora: dict[str, tuple[tuple[object, ...], Corpus]] = {}

    def embedder(self) -> Embedder:
        """The configured embedding model (the one the segments were embedded with), loaded once."""
        if self._embedder is None:
            from tzcld_qual.services.embeddings import make_embedder

            self._embedder = make_embedder()
        return self._embedder

    def index(self, store: ProjectStore) -> SemanticIndex:
        from tzcld_qual.chat.retrieval import load_index
        from tzcld_qual.services.embeddings import embed_texts

        key = str(Path(store.path).resolve())
        index = load_index(store, self.embedder(), embed_texts, cached=self._indexes.get(key))
        self._indexes[key] = index
        return index

    def corpus(self, store: ProjectStore) -> Corpus:
        """The corpus view of the last question while the project's data is unchanged."""
        key = str(Path(store.path).resolve())
        version = store.chat.data_version()
        kept = self._corpora.get(key)
        if kept is not None and kept[0] == version:
            return kept[1].bind(store)
        corpus = Corpus(store)
        self._corpora[key] = (version, corpus)
        return corpus

    def searcher(self, store: ProjectStore) -> Searcher:
        def search(query: str, k: int, allowed: set[int] | None) -> list[tuple[int, float]]:
            index = self.index(store)
            return index.search(self.embedder().encode([query])[0], k, allowed)

        return search


def ask(project: Path, question: str, *, coder: str | None = None, session: ChatSession | None = None) -> Answer:
    """Answer one question about ``project`` from its data only, and keep it in the chat history."""
    question = question.strip()
    if not question:
        raise UsageError(
            Text("la question est vide.", "the question is empty."),
            Text(
                'Exemple : tzcld-qual ask PROJET "Combien d\'entretiens évoquent F3 ?"',
                'Example: tzcld-qual ask PROJECT "How many interviews mention F3?"',
            ),
        )
    session = session or ChatSession()
    with ProjectStore(project) as store:
        repo = store.chat
        repo.ensure()
        codebook = repo.codebook() or current_codebook(store)  # the latter raises "no codebook"
        vocabulary = Vocabulary.build(
            codebook,
            _attribute_values(repo),
            [d.name for d in repo.documents()],
            sorted({speaker for _d, speaker, _n in repo.respondent_speakers()}),
        )
        last = repo.last_turn(coder)
        parsed = parse(question, vocabulary, previous=previous_parse(last))
        ctx = Context(
            store,
            codebook,
            lang=parsed.lang,
            coder=coder,
            previous_segments=last.segment_ids if last else (),
            search=session.searcher(store),
            topics=lambda: _latest_topics(store),
            corpus=session.corpus(store),
        )
        answer = compose(parsed, ctx)
        if not store.writable:  # a question read from a read-only project printed nothing, rc 1
            return replace(answer, text=answer.text + say(parsed.lang, *_READ_ONLY_NOTE))
        record(repo, question, answer, coder)
    return answer


_READ_ONLY_NOTE = (
    "\n(Projet en lecture seule : cette question n'est pas gardée dans l'historique, et « et chez … ? » ne la "
    "reprendra pas.)",
    "\n(Read-only project: this question is not kept in the history, and « and among … ? » will not build on it.)",
)


def perform(
    project: Path, action: Action, *, coder: str | None, session: ChatSession | None = None, lang: str | None = None
) -> Answer:
    """Carry out an action the analyst confirmed; the answer says what was done and how to undo it."""
    lang = lang or _last_language(Path(project), coder)
    if action.kind == "retrain":
        text = _retrain(Path(project), session or ChatSession(), lang)
    else:
        with ProjectStore(project) as store:
            text = actions.perform(store, action, coder, decide=_decider(Path(project)), lang=lang, promote=_promote)
    changed = action.kind in CONFIRMED_KINDS
    answer = Answer(action.kind, text, None, [], Action("refresh", {}) if changed else None, dict(action.params))
    with ProjectStore(project) as store:
        repo = store.chat
        repo.ensure()
        record(repo, f"[{action.kind}]", answer, coder)
    return answer


def _decider(project: Path) -> actions.Decide:
    """Decisions asked in the chat, taken as the review screen takes them (checked, rolled up)."""

    def decide(items: Sequence[tuple[int, str, Status | None]], coder: str) -> str:
        from tzcld_qual.services.review import ReviewSession

        with ReviewSession(project, coder) as session:
            return session.decide(items).message

    return decide


def _promote(*args: Any, **kwargs: Any) -> Any:
    """A theme made a code, by the topics service (imported only when asked: it is heavy)."""
    from tzcld_qual.services.topics import promote_topic

    return promote_topic(*args, **kwargs)


def history(project: Path, limit: int | None = 50, *, coder: str | None = None) -> list[ChatTurn]:
    """The latest questions and answers of a project (``coder``'s only, when given), oldest first."""
    with ProjectStore(project) as store:
        repo = store.chat
        repo.ensure()
        return repo.turns(limit, coder=coder)


def clear_history(project: Path) -> int:
    with ProjectStore(project) as store:
        repo = store.chat
        repo.ensure()
        return repo.clear()


def _attribute_values(repo: ChatRepo) -> dict[str, list[str]]:
    values: dict[str, set[str]] = {}
    for document in repo.documents():
        for key, value in document.attributes.items():
            if value:
                values.setdefault(key, set()).add(value)
    return {k: sorted(v) for k, v in sorted(values.items())}


def _latest_topics(store: ProjectStore) -> Any:
    """The latest emergent-themes run, when the topics capability is installed and was run."""
    try:
        from tzcld_qual.services import topics
    except ImportError:
        return None
    return topics.latest_run(store)


def _retrain(project: Path, session: ChatSession, lang: str) -> str:
    from tzcld_qual.services.coding import retrain

    report = retrain(project, embedder=session.embedder())
    if lang == "en":
        return (
            f"New model {report.model} (previous: {report.previous or 'none'}), trained on "
            f"{report.decisions} human decisions; {report.rescored} segments re-scored."
        )
    return (
        f"Nouveau modèle {report.model} (précédent : {report.previous or 'aucun'}), entraîné sur "
        f"{report.decisions} décisions humaines ; {report.rescored} segments recodés."
    )


def _last_language(project: Path, coder: str | None) -> str:
    with ProjectStore(project) as store:
        repo = store.chat
        repo.ensure()
        last = repo.last_turn(coder)
    return detect_language(last.question) if last else ui_language()
