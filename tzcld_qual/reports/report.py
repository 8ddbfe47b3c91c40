"""The analysis report: what it contains (``ReportData``) and how it is written (HTML, MD, DOCX).

``report_collect`` fills a :class:`ReportData` from a project; ``report_blocks`` turns it into
sections of neutral blocks (headings, paragraphs, tables, bar charts, quotes) with every French
sentence written once; ``report_html``, ``report_md`` and ``report_docx`` only lay the blocks out.
Every count says what it counts: respondent *segments* or *interviews*, validated by an analyst
or including the current model's pending suggestions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tzcld_qual.errors import Text, UsageError
from tzcld_qual.reports.agreement import Agreement

FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".docx": "docx"}


@dataclass(frozen=True, slots=True)
class Prevalence:
    """How often a finding occurs in one group of respondent segments and interviews.

    ``*_suggested`` counts add the current model's suggestions no analyst has reviewed yet to the
    validated ones (so they are always ≥ the validated counts).
    """

    group: str
    segments: int
    segments_suggested: int
    segments_total: int
    interviews: int
    interviews_suggested: int
    interviews_total: int

    def share(self, *, suggested: bool = False) -> float | None:
        if not self.segments_total:
            return None
        return (self.segments_suggested if suggested else self.segments) / self.segments_total


@dataclass(frozen=True, slots=True)
class Breakdown:
    attribute: str  # document attribute: role | territory | round
    label: str
    groups: tuple[Prevalence, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    segment_id: int
    document: str
    speaker: str
    text: str
    codes: tuple[str, ...]  # the (sub-)codes that apply, e.g. F3.formation
    validated: bool  # True: accepted or added by an analyst; False: a pending model suggestion
    coders: tuple[str, ...]  # the analysts, or the model id
    confidence: float | None  # of the finding's own code when suggested, else its best sub-code's
    contested_by: tuple[str, ...] = ()  # analysts who rejected the code there (double coding)
    code_confidences: tuple[float | None, ...] = ()  # a suggestion's confidence per code of ``codes``
    learnt: bool = False  # a suggestion on one of the model's training passages (quoted only for want of others)


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    label: str
    color: str
    statement: str  # the finding of the TZCLD review, verbatim
    definition: str
    subcodes: tuple[tuple[str, str], ...]  # (id, label)
    total: Prevalence
    breakdowns: tuple[Breakdown, ...]
    quotes: tuple[Quote, ...]


@dataclass(frozen=True, slots=True)
class CoOccurrence:
    """Segments where one coder applied two findings together (diagonal: the finding alone); see
    :mod:`~tzcld_qual.reports.cooccurrence`."""

    codes: tuple[str, ...]
    validated: tuple[tuple[int, ...], ...]
    suggested: tuple[tuple[int, ...], ...]

    def pair(self, a: str, b: str, *, suggested: bool = False) -> int:
        i, j = self.codes.index(a), self.codes.index(b)
        return (self.suggested if suggested else self.validated)[i][j]


@dataclass(frozen=True, slots=True)
class ThemeQuote:
    """A typical segment of an emergent theme: grouped by the topic model, reviewed by no one."""

    segment_id: int
    document: str
    speaker: str
    text: str


@dataclass(frozen=True, slots=True)
class Theme:
    """An emergent theme (BERTopic topic) as the report shows it."""

    label: str
    size: int
    keywords: tuple[str, ...] = ()
    nearest_code: str | None = None
    similarity: float | None = None
    quotes: tuple[ThemeQuote, ...] = ()
    id: int = 0  # its number in the run (``tzcld-qual topics promote PROJECT <id>``)
    promoted_code: str | None = None  # the code this theme was promoted to
    # (code, run, topic): the theme of an earlier run with mostly the same segments became that code
    earlier_code: tuple[str, str, int] | None = None
    # TopicRun.verdict: "covered", "uncovered", "phase" or "unknown", its label and its sentence
    verdict: str = "unknown"
    verdict_label: str = ""
    verdict_text: str = ""


@dataclass(frozen=True, slots=True)
class ThemeRun:
    """The topic run the emergent themes come from, and what it covered."""

    id: str  # topics@N
    created_at: str
    scope: str  # all | uncoded | low-confidence (topics.result.Scope)
    threshold: float  # scope low-confidence: model suggestions from this confidence counted as coding
    segments: int  # respondent segments clustered (on current documents)
    respondent_segments: int  # all respondent segments of the project now
    outliers: int  # of the clustered segments, those in no theme
    removed: int  # clustered segments of documents taken out since, counted nowhere
    themes: tuple[Theme, ...]
    rules: tuple[str, ...] = ()  # TopicRun.rules: how a theme is said covered, or a phase of the interviews


@dataclass(frozen=True, slots=True)
class RunInfo:
    id: str
    kind: str
    created_at: str
    codebook_version: int
    thresholds: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class ModelBasis:
    """One model's training passages in the project and its measured quality."""

    model: str
    learnt: frozenset[int] = frozenset()  # respondent segments (current documents) it was trained on
    decided: frozenset[int] = frozenset()  # of which, segments whose analysts' decisions it learnt
    dev_macro_f1: float | None = None  # measured on the bundled dev split when it was fitted
    dev_answers: int | None = None  # reference answers that figure rests on (those it learnt left out)
    recorded: bool = False  # its run recorded the decisions it learnt (older runs did not)


@dataclass(frozen=True, slots=True)
class AgreementSection:
    coder_a: str
    kind_a: str  # human | model
    coder_b: str
    kind_b: str
    result: Agreement
    labels: Mapping[str, str]
    # model × analyst: segments both coded but left out, the model having learnt them (ModelBasis)
    left_out: int = 0


@dataclass(frozen=True, slots=True)
class Methods:
    codebook_name: str
    codebook_version: int
    interviews: int
    segments: int
    respondent_segments: int
    model: str | None  # the current model, whose suggestions are counted and quoted
    runs: tuple[RunInfo, ...]
    analysts: tuple[str, ...]
    accepted: int  # human decision rows on current documents
    manual: int
    rejected: int
    human_segments: int  # respondent segments with at least one human decision
    suggestions: int  # the current model's suggestion rows on respondent segments
    pending: int  # of which no analyst has decided (same segment and code)
    validated_pairs: int  # (segment, finding) presences validated by an analyst
    pending_pairs: int  # (segment, finding) presences resting on pending suggestions only
    disputed_pairs: int = 0  # of the validated ones, those another analyst rejected (counted validated)
    # codes analysts applied that this codebook version does not have (a codebook loaded since),
    # with how many decisions: counted nowhere else in the report, so said here
    outside: tuple[tuple[str, int], ...] = ()
    no_code: int = 0  # « relu, aucun code » marks of analysts (a decision each, counted in human_segments)
    no_code_segments: int = 0  # segments someone marked so
    basis: ModelBasis | None = None  # the current model's training passages and measured quality
    pending_learnt_pairs: int = 0  # of the pending pairs, those on the model's training passages
    privacy: str = ""  # whether the texts quoted are pseudonymised, said (services.privacy)


@dataclass(frozen=True, slots=True)
class ReportData:
    project: str
    generated_at: str
    findings: tuple[Finding, ...]
    cooccurrence: CoOccurrence
    themes: ThemeRun | None  # None: not computed for this project
    agreements: tuple[AgreementSection, ...]
    methods: Methods
    quotes: int = 5  # quotes asked per finding (0: none asked, no quote list)
    title: str = ""  # the analyst's title (report --title); "" for « Rapport d'analyse qualitative — <projet> »

    @property
    def heading(self) -> str:
        """The report's title: the one given, or the project's name (its file without .tzq)."""
        return self.title or f"Rapport d'analyse qualitative — {self.project}"


def report_format(path_suffix: str) -> str:
    """``html`` | ``md`` | ``docx`` from an output file suffix; a clear usage error otherwise."""
    fmt = FORMATS.get(path_suffix.lower())
    if fmt is None:
        raise UsageError(
            Text("format de rapport inconnu « {suffix} ».", "unknown report format « {suffix} »."),
            Text(
                "Nommez le fichier .html, .md ou .docx (ex. -o rapport.html).",
                "Name the file .html, .md or .docx (e.g. -o report.html).",
            ),
            suffix=path_suffix or "(sans extension)",
        )
    return fmt


def render(data: ReportData, fmt: str) -> bytes:
    """The report as bytes in ``fmt`` (``html``, ``md`` or ``docx``)."""
    from tzcld_qual.reports.report_blocks import build_sections

    sections = build_sections(data)
    if fmt == "html":
        from tzcld_qual.reports.report_html import render_html

        return render_html(data, sections).encode("utf-8")
    if fmt == "md":
        from tzcld_qual.reports.report_md import render_markdown

        return render_markdown(data, sections).encode("utf-8")
    if fmt == "docx":
        from tzcld_qual.reports.report_docx import render_docx

        return render_docx(data, sections)
    raise ValueError(f"unknown report format {fmt!r}")
