"""Who said what and which codes apply, read from the store as one question needs it.

Two views of the coding, never mixed silently:
- **applied**: a human row says accepted or manual (any analyst);
- **pending**: the current model (``store.meta("current_model")``) or a theme promoted to a code
  (``topics@N``, whose suggestions the review screen shows too) suggests the code and no human
  row exists for that (segment, code) — a rejected suggestion is neither.
A code counts for itself and for its parent: ``F3.formation`` applied means ``F3`` applies.

Only the rows of the codes a question names are read (the store serves them from its index), so
a question costs milliseconds on a 50,000-segment project; each code is read once per question.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tzcld_qual.chat.filters import Filters, admits, one
from tzcld_qual.store import ProjectStore, overview
from tzcld_qual.store.chat import DocumentRow, SegmentRow


def has_code(codes: Iterable[str], code: str) -> bool:
    """Whether ``codes`` hold ``code`` itself or one of its sub-codes (roll-up)."""
    prefix = code + "."
    return any(c == code or c.startswith(prefix) for c in codes)


def matching_code(codes: Iterable[str], code: str) -> str | None:
    """The code of ``codes`` that makes ``code`` apply (the sub-code when that is what applies)."""
    prefix = code + "."
    found = [c for c in codes if c == code or c.startswith(prefix)]
    return max(found, key=len) if found else None


def said_by(segment: SegmentRow, speaker: str | None) -> bool:
    """A respondent's turn (``speaker``: that respondent's): what counts and quotes are made of,
    as their totals are; an interviewer's turn coded in another tool and imported is left out."""
    return segment.respondent and (speaker is None or segment.speaker == speaker)


@dataclass(frozen=True, slots=True)
class Tally:
    """How many segments, interviews and respondents carry a code, out of how many."""

    segments: int
    segments_total: int  # respondent segments in scope
    documents: int
    documents_total: int
    respondents: int
    respondents_total: int

    def count(self, unit: str) -> tuple[int, int]:
        return {
            "segments": (self.segments, self.segments_total),
            "documents": (self.documents, self.documents_total),
            "respondents": (self.respondents, self.respondents_total),
        }[unit]


class Corpus:
    """The project as questions see it: documents and speakers up front, codings on demand.

    Valid while the project's data does not change; a session may keep it between questions
    (:meth:`ChatRepo.data_version` tells) and :meth:`bind` it to each question's store.
    """

    def __init__(self, store: ProjectStore) -> None:
        self._store = store
        self.repo = store.chat
        self._codings = store.codings
        self.model = store.meta("current_model")
        # promoted themes' suggestions are put to the analyst beside the model's: counted with them
        self.themes = tuple(sorted(c for c in store.codings.coders("model") if c.startswith("topics@")))
        self._suggested_by: dict[str, set[str]] = {}
        self.documents: dict[int, DocumentRow] = {d.id: d for d in self.repo.documents()}
        self.speakers: dict[int, dict[str, int]] = {}  # document -> respondent speaker -> segments
        for document_id, speaker, n in self.repo.respondent_speakers():
            self.speakers.setdefault(document_id, {})[speaker] = n
        self._segments: dict[int, SegmentRow] = {}
        self._applied: dict[str, dict[int, dict[str, str]]] = {}
        self._pending: dict[str, dict[int, dict[str, float | None]]] = {}
        self._groups: dict[tuple[str, bool], list[tuple[int, str, bool, int]]] = {}

    def bind(self, store: ProjectStore) -> Corpus:
        """Read through ``store`` from now on (one store per question and thread)."""
        self._store = store
        self.repo = store.chat
        self._codings = store.codings
        return self

    # -- documents ----------------------------------------------------------------------------
    def document_ids(self, filters: Filters | None = None) -> set[int]:
        """Current documents whose attributes pass every filter of ``filters`` (see
        :mod:`~tzcld_qual.chat.filters`; ``document = name`` is the document itself; ``speaker =
        name``: the documents where that respondent speaks, whose other turns the methods given
        ``speaker`` leave out)."""
        filters = filters or {}
        speaker = one(filters, "speaker")
        return {
            d.id
            for d in self.documents.values()
            if all(admits(v, self.value(d.id, a)) for a, v in filters.items() if a != "speaker")
            and (speaker is None or speaker in self.speakers.get(d.id, {}))
        }

    def value(self, document_id: int, attribute: str) -> str | None:
        """A document's value of ``attribute``; ``document`` is its name."""
        document = self.documents[document_id]
        return document.name if attribute == "document" else document.attributes.get(attribute)

    def respondent_segments(self, documents: set[int], speaker: str | None = None) -> set[int]:
        return set(self.repo.respondent_ids(sorted(documents), speaker))

    def _totals(self, documents: set[int], speaker: str | None) -> tuple[int, int]:
        """Respondent segments and respondents in scope (``speaker``: that speaker's only)."""
        said = [self.speakers.get(d, {}) for d in documents]
        if speaker is None:
            return sum(sum(s.values()) for s in said), sum(len(s) for s in said)
        return sum(s.get(speaker, 0) for s in said), sum(speaker in s for s in said)

    # -- codings --------------------------------------------------------------------------------
    def applied(self, code: str) -> dict[int, dict[str, str]]:
        """Segment -> {code or sub-code: accepted | manual} for ``code``."""
        if code not in self._applied:
            found: dict[int, dict[str, str]] = {}
            for segment, code_id, status in self.repo.applied(code):
                self._segments[segment.id] = segment
                codes = found.setdefault(segment.id, {})
                if codes.get(code_id) != "accepted":  # accepted by one analyst is enough
                    codes[code_id] = status
            self._applied[code] = found
        return self._applied[code]

    @property
    def suggesters(self) -> tuple[str, ...]:
        """Whose unreviewed suggestions count: the current model's, then promoted themes'."""
        return (*([self.model] if self.model else []), *self.themes)

    def pending(self, code: str) -> dict[int, dict[str, float | None]]:
        """Segment -> {code or sub-code: confidence} of unreviewed suggestions of ``code`` (a
        theme's have none: its similarity is no probability)."""
        if code not in self._pending:
            found: dict[int, dict[str, float | None]] = {}
            by: set[str] = set()
            for origin in self.suggesters:
                for segment, code_id, confidence in self.repo.pending(origin, code):
                    self._segments[segment.id] = segment
                    codes = found.setdefault(segment.id, {})
                    if codes.get(code_id) is None:  # the model's confidence over a theme's none
                        codes[code_id] = confidence
                    by.add(origin)
            self._pending[code] = found
            self._suggested_by[code] = by
        return self._pending[code]

    def suggested_by(self, code: str) -> tuple[str, ...]:
        """The suggesters with an unreviewed suggestion of ``code``, in :attr:`suggesters` order."""
        self.pending(code)
        return tuple(o for o in self.suggesters if o in self._suggested_by[code])

    def coded_segments(
        self, code: str, documents: set[int], *, pending: bool = False, speaker: str | None = None
    ) -> list[int]:
        """Segments of ``documents`` where ``code`` applies (``pending``: is suggested and unreviewed
        instead), in reading order; ``speaker``: that respondent's only."""
        source = self.pending(code) if pending else self.applied(code)
        found = [
            s for s in source if self._segments[s].document_id in documents and said_by(self._segments[s], speaker)
        ]
        return sorted(found, key=lambda s: self._segments[s].order)

    def applied_on(self, segment_ids: Sequence[int]) -> dict[int, dict[str, str]]:
        """Every code applied on these segments."""
        out: dict[int, dict[str, str]] = {s: {} for s in segment_ids}
        for segment, code_id, status in self.repo.applied(None, list(segment_ids)):
            self._segments[segment.id] = segment
            if out[segment.id].get(code_id) != "accepted":
                out[segment.id][code_id] = status
        return out

    def pending_on(self, segment_ids: Sequence[int]) -> dict[int, dict[str, float | None]]:
        """Every unreviewed suggestion of the current model or a promoted theme on these segments."""
        out: dict[int, dict[str, float | None]] = {s: {} for s in segment_ids}
        for origin in self.suggesters:
            for segment, code_id, confidence in self.repo.pending(origin, None, list(segment_ids)):
                self._segments[segment.id] = segment
                if out[segment.id].get(code_id) is None:
                    out[segment.id][code_id] = confidence
        return out

    def code_tally(
        self, code: str, documents: set[int], *, suggestions: bool = False, speaker: str | None = None
    ) -> Tally:
        """How many segments, interviews and respondents of ``documents`` carry ``code`` (accepted
        codings; ``suggestions``: or unreviewed suggestions of the current model or a promoted
        theme too); ``speaker``:
        in that respondent's turns only."""
        rows = self._code_rows(code, documents, suggestions, speaker)
        segments_total, respondents_total = self._totals(documents, speaker)
        return Tally(
            segments=sum(r[3] for r in rows),
            segments_total=segments_total,
            documents=len({r[0] for r in rows}),
            documents_total=len(documents),
            respondents=len({(r[0], r[1]) for r in rows}),
            respondents_total=respondents_total,
        )

    def coded_documents(
        self, code: str, documents: set[int], *, suggestions: bool = False, speaker: str | None = None
    ) -> set[int]:
        """The documents of ``documents`` that :meth:`code_tally` counts as carrying ``code``."""
        return {r[0] for r in self._code_rows(code, documents, suggestions, speaker)}

    def code_speakers(
        self, code: str, documents: set[int], *, suggestions: bool = False, speaker: str | None = None
    ) -> dict[tuple[int, str], int]:
        """(document, respondent) -> their segments carrying ``code`` (as :meth:`code_tally` counts)."""
        return {(r[0], r[1]): r[3] for r in self._code_rows(code, documents, suggestions, speaker)}

    def _code_rows(
        self, code: str, documents: set[int], suggestions: bool, speaker: str | None
    ) -> list[tuple[int, str, bool, int]]:
        key = (code, suggestions)
        if key not in self._groups:
            self._groups[key] = self.repo.code_groups(code, self.suggesters if suggestions else None)
        # respondents' turns only, as the totals: an interviewer's turn coded in another tool and
        # imported (REFI-QDA) would otherwise push a share past its total
        return [r for r in self._groups[key] if r[0] in documents and r[2] and (speaker is None or r[1] == speaker)]

    def progress(self) -> dict[tuple[int, str], tuple[int, int, int]]:
        """(document, respondent) -> their segments with a code applied, reviewed (as the Documents
        screen counts them: :func:`~tzcld_qual.store.overview.reviewed_segment_ids`, by any analyst),
        and with a suggestion of the current model still open."""
        rows = {(d, who): [applied, 0, open_] for d, who, applied, _d, open_ in self.repo.coding_progress(self.model)}
        for pair, reviewed in overview.reviewed_respondents(self._store).items():
            rows.setdefault(pair, [0, 0, 0])[1] = reviewed
        return {pair: (r[0], r[1], r[2]) for pair, r in rows.items()}

    def reviewed(self, segment_ids: Sequence[int] | None = None) -> set[int]:
        """The segments of current documents some analyst reviewed (a decision, a rejection too, or
        the mark « relu, aucun code »); among ``segment_ids`` only, when given."""
        return overview.reviewed_segment_ids(self._store, segment_ids=segment_ids)

    def marked(self, coder: str | None = None) -> dict[int, set[str]]:
        """Segment -> the analysts who marked it « relu, aucun code » (read, no code applies), on
        current documents (``coder``: that analyst's marks only). A marked segment is reviewed, as a
        decision is: the review queue skips it and the Documents screen counts it."""
        out: dict[int, set[str]] = {}
        for segment_id, who in self._codings.no_code(coder=coder):
            out.setdefault(segment_id, set()).add(who)
        return out

    def marked_counts(self) -> dict[tuple[int, str], int]:
        """(document, respondent) -> their segments marked « relu, aucun code » by some analyst."""
        out: dict[tuple[int, str], int] = {}
        for segment in self.repo.segment_rows(sorted(self.marked())):
            if segment.respondent:
                key = (segment.document_id, segment.speaker)
                out[key] = out.get(key, 0) + 1
        return out

    # -- segments -------------------------------------------------------------------------------
    def segment(self, segment_id: int) -> SegmentRow:
        if segment_id not in self._segments:
            for row in self.repo.segment_rows([segment_id]):
                self._segments[row.id] = row
        return self._segments[segment_id]

    def tally(self, segment_ids: Iterable[int], documents: set[int], speaker: str | None = None) -> Tally:
        """Counts of ``segment_ids`` against every respondent segment of ``documents`` (``speaker``:
        of that respondent)."""
        hit = [s for s in (self.segment(i) for i in set(segment_ids)) if said_by(s, speaker)]
        segments_total, respondents_total = self._totals(documents, speaker)
        return Tally(
            segments=len(hit),
            segments_total=segments_total,
            documents=len({s.document_id for s in hit}),
            documents_total=len(documents),
            respondents=len({(s.document_id, s.speaker) for s in hit}),
            respondents_total=respondents_total,
        )
