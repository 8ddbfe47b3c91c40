"""Slot filling: codes, attribute values, units, numbers and ids found in a question.

Names come from the project itself — the codebook's ids, labels and sub-codes, the documents'
attribute names and values — plus the domain synonyms of :mod:`lexicon`. Matching is fuzzy
(a typo or a missing accent still matches) and the longest phrase wins, so "sécurité financière"
is ``F5.financiere`` while "sécurité" alone is ``F5``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from itertools import pairwise

from rapidfuzz.distance import OSA

from tzcld_qual.chat import lexicon
from tzcld_qual.chat.normalize import STOPWORDS, Token, fold, number_word, parse_decimal, tokenize
from tzcld_qual.model import Codebook
from tzcld_qual.privacy.normalize import TITLES  # « M. », « Mme »: the pseudonymiser's own list

_CODE_ID = re.compile(r"^([a-z]\d+)(?:\.(\w+))?$")
_DOCUMENT_WORD = re.compile(r"[\w·][\w·.\-]*[\w·]")  # a file name: words joined by dashes or dots
_GENERIC_PLACE_WORDS = frozenset(
    (
        "saint",
        "sainte",
        "quartier",
        "petit",
        "petite",
        "grand",
        "grande",
        "haute",
        "basse",
        "ville",
        "village",
        "centre",
        "commune",
    )
)
_QUANTITY_WORDS = frozenset(
    fold(w)
    for w in (
        "citations",
        "citation",
        "verbatims",
        "verbatim",
        "extraits",
        "quotes",
        "quote",
        "exemples",
        "examples",
        "passages",
        "segments",
        "résultats",
        "results",
        "excerpts",
        "quotations",
        "premiers",
        "premières",
        "meilleurs",
        "top",
        "first",
        "best",
    )
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One phrase of the vocabulary (content words, folded) and what it names."""

    words: tuple[str, ...]
    kind: str  # code | value | attribute | unit
    target: tuple[str, ...]  # (code,) | (attribute, value, …) | (attribute,) | (unit,)
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Match:
    entry: Entry
    first: int  # index in the token list
    last: int  # inclusive
    score: float

    @property
    def span(self) -> int:
        return self.last - self.first + 1


_ROUND_WORDS = frozenset(("vague", "round", "wave"))


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything recognised in one question (before the intent decides what to keep)."""

    tokens: tuple[Token, ...]
    codes: tuple[str, ...] = ()
    unknown_codes: tuple[str, ...] = ()
    parent_read: tuple[str, ...] = ()  # « F4.estime », no such sub-code: read as F4
    unknown_documents: tuple[str, ...] = ()  # "dans demo-99" in a project without it
    unknown_names: tuple[str, ...] = ()  # "chez Sylvain": capitalised, after "chez", naming nothing known
    unknown_groups: tuple[str, ...] = ()  # « chez les martiens », « les bénévoles disent »: a group of nobody
    values: tuple[tuple[str, str], ...] = ()  # (attribute, value) in question order
    value_spans: tuple[tuple[int, int], ...] = ()  # first and last token of each value
    attributes: tuple[str, ...] = ()  # attribute names mentioned ("par territoire")
    unit: str | None = None
    limit: int | None = None
    threshold: float | None = None
    threshold_bound: bool | None = None  # True: « sous 0,3 », "below 0.3"; False: « au-dessus de 0,9 »; None: unsaid
    threshold_edge: bool | None = None  # the threshold itself in (« ≤ », « au plus ») or out (« > »); None: usual
    segment_id: int | None = None
    topic_id: int | None = None  # "thème 3"
    include_suggestions: bool = False
    negated: bool = False  # « n'abordent pas », « don't mention »
    negated_codes: tuple[str, ...] = ()  # the codes a negation is in front of: « F4 sans F5 »: F5
    listing: bool = False  # « quels entretiens », « which interviews »
    code_written: bool = False  # a code named by its id (« F8 »), not by words
    consumed: frozenset[int] = field(default_factory=frozenset)  # token indexes used by slots
    code_tokens: frozenset[int] = field(default_factory=frozenset)  # of which naming codes
    attribute_tokens: frozenset[int] = field(default_factory=frozenset)  # naming an attribute (« vague »)
    code_spans: tuple[tuple[int, int], ...] = ()  # first and last token of each code named
    code_at: tuple[tuple[str, int], ...] = ()  # each code named and its first token, in the question's order
    excluded: tuple[tuple[str, str], ...] = ()  # « hors vague 3 », « sauf les salariés »: values left out
    ranged: tuple[tuple[str, str, str], ...] = ()  # « à partir de la vague 2 »: (attribute, value, side)
    misspelt: tuple[tuple[str, str, str], ...] = ()  # « hrs vague 3 »: (word typed, word meant, value)
    durations: tuple[str, ...] = ()  # « au chômage depuis plus de 5 ans »: no attribute says it


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Phrases to look for, built from the project's codebook and document attributes."""

    entries: tuple[Entry, ...]
    code_ids: frozenset[str]
    children: Mapping[str, tuple[str, ...]]  # folded parent id -> child ids
    folded_ids: Mapping[str, str]  # "f3.formation" -> "F3.formation"
    documents: Mapping[str, str] = field(default_factory=dict)  # "demo-03" -> "demo-03-cle-saint-aubin.txt"
    speakers: Mapping[str, str] = field(default_factory=dict)  # "bouvier" -> "M. Bouvier"
    speaker_words: frozenset[str] = frozenset()  # every word of every label, "p2" and "k" included

    @classmethod
    def build(
        cls,
        codebook: Codebook,
        attribute_values: Mapping[str, Sequence[str]],
        documents: Sequence[str] = (),
        speakers: Sequence[str] = (),
    ) -> Vocabulary:
        entries: list[Entry] = []
        for code in codebook.codes:
            entries.append(_entry(code.label, "code", (code.id,), 1.0))
            for phrase in lexicon.CODE_SYNONYMS.get(code.id, ()):
                entries.append(_entry(phrase, "code", (code.id,), 0.9))
            suffix = code.id.split(".", 1)[1].replace("_", " ") if code.parent and "." in code.id else ""
            if len(suffix) >= 5:  # "sécurité matérielle": the sub-code's own word names it (F5.materielle)
                entries.append(_entry(suffix, "code", (code.id,), 0.8))
        named: dict[str, Sequence[str]] = {}
        for attribute, values in attribute_values.items():
            if fold(attribute) in _UNIT_NAMES:  # an attribute « respondents » (how many spoke) took « répondants »
                continue
            for phrase in (attribute, *lexicon.ATTRIBUTE_NAMES.get(attribute, ())):
                entries.append(_entry(phrase, "attribute", (attribute,), 1.0))
            if attribute in lexicon.FILTER_ATTRIBUTES:
                entries.extend(_value_entries(attribute, values))
            else:
                named[attribute] = values
        entries.extend(_named_value_entries(named))
        for unit, words in lexicon.UNIT_WORDS.items():
            entries.extend(_entry(w, "unit", (unit,), 1.0) for w in words)
        children: dict[str, list[str]] = {}
        for code in codebook.codes:
            if code.parent:
                children.setdefault(fold(code.parent), []).append(code.id)
        return cls(
            entries=tuple(e for e in entries if e.words),
            code_ids=frozenset(c.id for c in codebook.codes),
            children={k: tuple(v) for k, v in children.items()},
            folded_ids={fold(c.id): c.id for c in codebook.codes},
            documents=document_names(documents),
            speakers=speaker_names(speakers, {w for e in entries for w in e.words}),
            speaker_words=frozenset(w.strip(".") for label in speakers for w in fold(label).replace("-", " ").split()),
        )

    def extract(self, question: str) -> Extraction:
        """Find every slot value in ``question``."""
        toks = tokenize(question)
        codes, unknown, consumed, fallbacks, at = self._code_ids(toks)
        code_at = list(zip(codes, at, strict=True))
        code_written = bool(codes)
        code_tokens = set(consumed)
        code_spans = _id_spans(toks, consumed)  # an id, or an id and its sub-code's word (« F3 formation »)
        named, document_tokens, file_like = self._documents(question, toks)
        document_tokens -= consumed  # "F3-sante" is a code
        unknown_documents = [word for word, inside in file_like if not inside & consumed]
        consumed |= document_tokens  # "demo-03" is no number, "r2-09" no code
        threshold, threshold_tokens = _threshold(toks)
        # "avec une confiance supérieure à 0,9": the word belongs to the threshold, not to F4.confiance
        # (six words back: « avec une confiance supérieure ou égale à 0,8 » found F4.confiance)
        score_words = {i for t in threshold_tokens for i in range(max(0, t - 6), t) if toks[i].folded in _SCORE_WORDS}
        matches = [
            m for m in _resolve(self._matches(toks, consumed)) if not set(range(m.first, m.last + 1)) <= score_words
        ]
        values: list[tuple[str, str]] = []
        spans: list[tuple[int, int]] = []
        attributes: list[str] = []
        attribute_tokens: set[int] = set()
        unit = None
        for m in sorted(matches, key=lambda m: m.first):
            target = m.entry.target
            if m.entry.kind == "code" and target[0] not in codes:
                codes.append(target[0])
                code_at.append((target[0], m.first))
            elif m.entry.kind == "value":
                for value in target[1:]:  # a head names several values (« entretiens collectifs »)
                    if (target[0], value) not in values:
                        values.append((target[0], value))
                        spans.append((m.first, m.last))
            if m.entry.kind in ("code", "value"):
                consumed |= set(range(m.first, m.last + 1))
            if m.entry.kind == "code":
                code_tokens |= set(range(m.first, m.last + 1))
                code_spans.append((m.first, m.last))
        for m in sorted(matches, key=lambda m: m.first):  # names inside a value ("vague 2") don't count
            if m.entry.kind not in ("attribute", "unit") or set(range(m.first, m.last + 1)) & consumed:
                continue
            if m.entry.kind == "attribute":
                attribute_tokens.update(range(m.first, m.last + 1))
            if m.entry.kind == "attribute" and m.entry.target[0] not in attributes:
                attributes.append(m.entry.target[0])
            elif m.entry.kind == "unit" and unit is None:
                unit = m.entry.target[0]
        for k, (name, span) in enumerate(n for n in named if ("document", n[0]) not in values):
            values.insert(k, ("document", name))
            spans.insert(k, span)
        for speaker, first, last in self._speakers(question, toks, consumed):
            if ("speaker", speaker) not in values:
                values.append(("speaker", speaker))
                spans.append((first, last))
            consumed.update(range(first, last + 1))
        unknown_names = self._unknown_names(question, toks, consumed)
        unknown_groups = self._unknown_groups(question, toks, consumed, code_tokens)
        for k in reversed(range(len(values))):  # « chez Forges Solidaires » is no « Saint-Aubin-les-Forges »
            longer = self._longer_name(question, toks, spans[k], consumed) if values[k][0] != "document" else None
            if longer is not None:
                consumed -= set(range(spans[k][0], spans[k][1] + 1))
                del values[k], spans[k]
                unknown_names.append(longer)
        segment_id, id_tokens = _segment_id(toks)
        topic_id, topic_tokens = _topic_id(toks)
        id_tokens |= topic_tokens
        folded = fold(question)
        leaving = _left_out(toks, spans, values)
        excluding = set().union(*leaving)
        negated_codes = _negated_codes(folded, toks, code_at)
        durations, duration_tokens = _durations(question, toks, consumed)
        return Extraction(
            tokens=tuple(toks),
            codes=tuple(_prefer_children(codes, self.children, negated_codes)),
            unknown_codes=tuple(unknown),
            parent_read=tuple(fallbacks),
            unknown_documents=tuple(unknown_documents),
            unknown_names=tuple(unknown_names),
            unknown_groups=tuple(unknown_groups),
            values=tuple(values),
            value_spans=tuple(spans),
            attributes=tuple(attributes),
            unit=unit,
            limit=_limit(toks, exclude=id_tokens | threshold_tokens | consumed | duration_tokens),  # « vague 3 : »
            threshold=threshold,
            threshold_bound=_bound(question, toks, threshold_tokens),
            threshold_edge=_edge(question, toks, threshold_tokens),
            segment_id=segment_id,
            topic_id=topic_id,
            include_suggestions=any(fold(p) in folded for p in lexicon.INCLUDE_SUGGESTIONS),
            negated=re.search(lexicon.NEGATION, folded) is not None,
            negated_codes=negated_codes,
            listing=any(fold(p) in folded for p in lexicon.LISTING),
            code_written=code_written,
            consumed=frozenset(consumed | id_tokens | threshold_tokens | excluding),
            code_tokens=frozenset(code_tokens),
            attribute_tokens=frozenset(attribute_tokens),
            code_spans=tuple(sorted(set(code_spans))),
            code_at=tuple(sorted(code_at, key=lambda c: c[1])),
            excluded=tuple(v for v, words in zip(values, leaving, strict=True) if words),
            ranged=tuple(
                (*v, side) for v, span in zip(values, spans, strict=True) if (side := _ranging(toks, *span))
            ),
            misspelt=tuple(
                (typed, meant, v[1])
                for v, span, words in zip(values, spans, leaving, strict=True)
                if not words and (found := _misspelt_exclusion(toks, span[0]))
                for typed, meant in (found,)
            ),
            durations=tuple(durations),
        )

    def _documents(
        self, question: str, toks: Sequence[Token]
    ) -> tuple[list[tuple[str, tuple[int, int]]], set[int], list[tuple[str, set[int]]]]:
        """Documents named in the question ("dans demo-03", "l'entretien r2-09-ppde-forges.txt"),
        with the tokens each covers, and the words that look like a document name but name none
        (answering on the whole corpus instead would answer another question)."""
        found: list[tuple[str, tuple[int, int]]] = []
        covered: set[int] = set()
        unknown: list[tuple[str, set[int]]] = []
        series = {fold(name).split("-")[0] for name in self.documents.values()}  # "demo", "r2"
        for word in _DOCUMENT_WORD.finditer(question):
            inside = [i for i, t in enumerate(toks) if word.start() <= t.start and t.end <= word.end()]
            folded = fold(word.group()).rstrip(".")
            name = self.documents.get(folded)
            if name is not None and inside:
                found.append((name, (inside[0], inside[-1])))
                covered.update(inside)
            elif inside and _looks_like_a_file(folded, series):
                unknown.append((word.group(), set(inside)))
                covered.update(inside)
        return found, covered, unknown

    def _speakers(self, question: str, toks: Sequence[Token], consumed: set[int]) -> list[tuple[str, int, int]]:
        """Respondents named in the question, with their first and last token: "que dit Sylvie",
        "M. Bouvier"; "Gérard Bouvier" is Bouvier's (the surname decides); the "Julien" of
        "Saint-Julien" is a place's."""
        hits: list[tuple[str, int, int]] = []
        for word in _COMPOUND.finditer(question):  # "Jean-Marc", "Anne-Marie"
            speaker = self.speakers.get(word.group().lower()) or self.speakers.get(fold(word.group()))
            inside = [i for i, t in enumerate(toks) if word.start() <= t.start and t.end <= word.end()]
            if speaker and inside and not set(inside) & consumed:
                hits.append((speaker, inside[0], inside[-1]))
        taken = {i for _s, first, last in hits for i in range(first, last + 1)}
        for i, tok in enumerate(toks):
            if i in consumed or i in taken or _in_compound(question, tok):
                continue
            written = question[tok.start : tok.end].lower()  # "Kévin" and "Kevin" are two people
            speaker = self.speakers.get(written) or self.speakers.get(tok.folded)
            if speaker is None:
                continue
            if hits and hits[-1][2] == i - 1 and not question[toks[i - 1].end : tok.start].strip():
                hits[-1] = (speaker, hits[-1][1], i)  # a first name then a surname: one person
            else:
                hits.append((speaker, i, i))
        return sorted(hits, key=lambda h: h[1])

    def _longer_name(
        self, question: str, toks: Sequence[Token], span: tuple[int, int], known: set[int]
    ) -> str | None:
        """The proper name a value is only the start of (« Forges Solidaires », an EBE, matched
        the territory « Saint-Aubin-les-Forges » by « Forges »): the value and the capitalised
        words right after it that nothing else reads; ``None`` when the value stands alone."""
        last = span[1]
        nxt = last + 1
        if nxt >= len(toks) or nxt in known or question[toks[last].end : toks[nxt].start].strip():
            return None
        written = question[toks[nxt].start : toks[nxt].end]
        if not written[:1].isupper() or written.isupper() or toks[nxt].folded in STOPWORDS | self.speaker_words:
            return None
        return question[toks[span[0]].start : toks[nxt].end]

    def _unknown_names(self, question: str, toks: Sequence[Token], known: set[int]) -> list[str]:
        """Capitalised words after "chez" or "que dit" that name no respondent, role or place
        ("chez Sylvain"): the question is about someone, and answering for all would not say so.
        Labels too short to be a filter ("P2", "Mme K.") are someone all the same. A round the
        project does not have (« en vague 4 ») is no filter either: counted over every round before."""
        out = []
        nobody = STOPWORDS | TITLES | self.speaker_words
        for i, tok in enumerate(toks[1:], 1):
            written = question[tok.start : tok.end]
            if (
                toks[i - 1].folded in _SOMEONE_CUES
                and i not in known
                and written[:1].isupper()
                and tok.folded not in nobody
            ):
                out.append(written)
        for i, tok in enumerate(toks[1:], 1):  # « combien d'entretiens à Montpellier ? »: a place it lacks
            written = question[tok.start : tok.end]
            if (
                toks[i - 1].folded in _PLACE_CUES
                and i not in known
                and written[:1].isupper()
                and not written.isupper()  # « en CDI », « à la CAF »: no place
                and tok.folded not in nobody | _NOT_PLACES
                and written not in out
            ):
                out.append(written)
        for i, tok in enumerate(toks[1:], 1):  # « en 2024 »: no answer filters by date
            if toks[i - 1].folded in ("en", "in") and re.fullmatch(r"(?:19|20)\d\d", tok.folded) and i not in known:
                out.append(question[tok.start : tok.end])
        for i, tok in enumerate(toks[:-1]):  # « en vague 4 » in a project of three rounds
            after = toks[i + 1]
            numbered = after.folded.isdigit() or number_word(after.folded) is not None
            if tok.folded in _ROUND_WORDS and numbered and not {i, i + 1} & known:
                out.append(question[tok.start : after.end])
        return out

    def _unknown_groups(
        self, question: str, toks: Sequence[Token], known: set[int], code_tokens: Set[int] = frozenset()
    ) -> list[str]:
        """Groups in lower case that name no value, code, respondent or word of the vocabulary: « chez
        les martiens », « parmi les retraités », « que disent les bénévoles », « les jeunes parlent-ils
        de… », « citations des plus jeunes », « chez les plus de 50 ans ». Capitalised, they are names
        (:meth:`_unknown_names`); in lower case they were dropped and the whole corpus was answered
        as if for them. A word that names a code is a group too where only people can be
        (« que pensent les habitants du CLE ? »: « habitants » names F7.besoins, and the quotes were
        everyone's)."""
        words = {w for e in self.entries for w in e.words}
        nobody = self.speaker_words | _KNOWN_GROUP_WORDS | STOPWORDS
        out = _ages(question, toks, known)
        for i, tok in enumerate(toks):
            written = question[tok.start : tok.end]
            plural = len(tok.folded) > 3 and tok.folded[-1] in "sx"
            topic = i in code_tokens or (i not in known and tok.folded in words)  # a code's word, not a group's
            if (
                (i in known and i not in code_tokens)
                or not written[:1].islower()
                or tok.folded in nobody
                or number_word(tok.folded) is not None
                or written in out
            ):
                continue
            before = [t.folded for t in toks[max(0, i - 2) : i]]
            after = toks[i + 1].folded if i + 1 < len(toks) else ""
            speaking = bool(before) and (  # « que pensent les habitants », « les jeunes disent »: people
                (before[-1] == "les" and len(before) == 2 and before[0] in _SPEAKING)
                or (before[-1] in ("les", "des") and after in _SPEAKING)
            )
            among = bool(before) and (  # « parmi les besoins » may be a topic
                before[-1] in _GROUP_CUES or (before[-1] in _GROUP_ARTICLES and before[0] in _GROUP_CUES)
            )
            if (speaking and (plural or not topic)) or (among and not topic):
                out.append(written)
            elif not topic and before[-1:] in (["plus"], ["moins"]) and _group_superlative(toks, i, known):
                out.append(question[toks[i - 1].start : tok.end])  # « parmi les plus jeunes »
        return out

    def _code_ids(self, toks: Sequence[Token]) -> tuple[list[str], list[str], set[int], list[str], list[int]]:
        """Codes written as ids: ``F3``, ``f3.formation``, ``F3 formation``, ``F3-sante``; and the ids
        whose sub-code the codebook lacks, read as their parent (« F4.estime »)."""
        codes: list[str] = []
        unknown: list[str] = []
        fallbacks: list[str] = []
        consumed: set[int] = set()
        at: list[int] = []  # the token of each code, as ``codes``
        for i, tok in enumerate(toks):
            match = _CODE_ID.match(tok.folded)
            if not match:
                continue
            if tok.folded in self.folded_ids:
                code = self.folded_ids[tok.folded]
                child = self._child_named(match.group(1), toks[i + 1].folded) if i + 1 < len(toks) else None
                if child and "." not in tok.folded:
                    code = child
                    consumed.add(i + 1)
                codes.append(code)
                at.append(i)
                consumed.add(i)
            elif match.group(2) and match.group(1) in self.folded_ids:
                child = self._child_named(match.group(1), match.group(2))
                codes.append(child or self.folded_ids[match.group(1)])
                at.append(i)
                if child is None:  # « F4.estime »: read as F4, which an order must not do unsaid
                    fallbacks.append(f"{match.group(1).upper()}.{match.group(2)}")
                consumed.add(i)
            elif match.group(1)[0] in {i[0] for i in self.folded_ids} and len(match.group(1)) <= 3:
                unknown.append(tok.folded.upper())
                consumed.add(i)
        return codes, unknown, consumed, fallbacks, at

    def _child_named(self, parent: str, word: str) -> str | None:
        for child in self.children.get(parent, ()):
            suffix = fold(child.split(".", 1)[-1])  # "F3.formation" → "formation"; "fierte" as it is
            if _close(word, suffix) or (len(word) >= 5 and suffix.startswith(word)):
                return child
        return None

    def _matches(self, toks: Sequence[Token], consumed: set[int]) -> list[Match]:
        content = [i for i, t in enumerate(toks) if t.folded not in STOPWORDS and i not in consumed]
        words = [toks[i].folded for i in content]
        found: list[Match] = []
        for entry in self.entries:
            n = len(entry.words)
            target = " ".join(entry.words)
            for start in range(len(words) - n + 1):
                if content[start + n - 1] - content[start] > 2 * n + 1:
                    continue  # the words are too far apart in the question
                window = " ".join(words[start : start + n])
                score = similarity(window, target)
                if score:
                    found.append(Match(entry, content[start], content[start + n - 1], score * entry.weight))
        return found


# the importable formats, and those an analyst may still name a transcript by
_FILE_SUFFIXES = (".txt", ".docx", ".odt", ".md", ".vtt", ".srt", ".rtf", ".pdf", ".doc")
_SOMEONE_CUES = frozenset(("chez", "dit", "disent", "raconte", "racontent", "pense", "pensent"))
# « chez les martiens », « parmi les retraités »: a group is named after these (folded)
_GROUP_CUES = frozenset(("chez", "parmi", "among"))
_GROUP_ARTICLES = frozenset(("les", "des", "la", "le", "l", "the", "ces", "nos", "mes"))
# « que disent les bénévoles », « les jeunes parlent-ils… »: the group that speaks, before or after
_SPEAKING = frozenset(
    "dit disent pense pensent raconte racontent parle parlent evoque evoquent aborde abordent mentionne mentionnent "
    "say says said think talk talks mention".split()
)
# Words a group phrase may hold that name no group of the project: what questions count or quote
# (« parmi les suggestions », « les plus fréquents », « parmi les autres »)
_KNOWN_GROUP_WORDS = frozenset(
    {*lexicon.INVENTORY_NOUNS, *lexicon.INVENTORY_FILLERS, *lexicon.INVENTORY_STATE_WORDS, *lexicon.NOT_INVENTORY_NOUNS,
     *lexicon.LISTING_WORDS, *_QUANTITY_WORDS,
     *(w for cues in lexicon.INTENT_CUES.values() for phrase, _w in cues
       for w in fold(phrase).replace("-", " ").split()),
     *"""autres autre memes meme uns unes plus moins deux trois tous toutes seuls seules premiers premieres derniers
     dernieres suivants precedents citations codages suggestions propositions reponses answers others
     cites citees utilises utilisees courants courantes repandus repandues""".split()}
)  # fmt: skip
_PLACE_CUES = frozenset(("a", "dans", "en", "in"))  # folded: « à »
# capitalised after « à »/« en » but no place: « inscrit à Pôle emploi », « à France Travail »
_NOT_PLACES = frozenset(
    "pole france mission cap emploi travail vague round english french anglais francais janvier fevrier mars avril "
    "mai juin juillet aout septembre octobre novembre decembre january february march april may june july august "
    "september october november december".split()
)
_COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")  # hyphenated words: "Jean-Marc", "Saint-Julien"


def _looks_like_a_file(word: str, series: set[str]) -> bool:
    """A transcript's file name ("demo-99.txt"), or a numbered name of one of the project's
    series of names ("demo-99", "r2-14"); "vague-2", "covid-19" are neither."""
    if word.endswith(_FILE_SUFFIXES):
        return True
    return "-" in word and any(c.isdigit() for c in word) and word.split("-")[0] in series


def document_names(names: Sequence[str]) -> dict[str, str]:
    """How a question may name each document: its file name, without its extension, or a start
    of it cut at a dash that has a digit and names no other document ("demo-03"). A start without
    a digit ("saint-aubin") is more likely a place than a file, and is left to the attributes; a
    file named by one word ("formation.docx") needs its extension, or "la formation" would be it."""
    keys: dict[str, set[str]] = {}
    for name in names:
        folded = fold(name)
        stem = folded.rsplit(".", 1)[0] if "." in folded else folded
        parts = stem.split("-")
        starts = {"-".join(parts[:n]) for n in range(1, len(parts))}
        numbered = {s for s in starts if any(c.isdigit() for c in s) and len(s) >= 3}
        plain_word = stem.isalpha()  # "marie.txt", "formation.docx": the stem alone is an everyday word
        for way in {folded} | ({stem} if not plain_word else set()) | numbered:
            keys.setdefault(way, set()).add(name)
    return {way: next(iter(owners)) for way, owners in keys.items() if len(owners) == 1}


def speaker_names(speakers: Sequence[str], taken: set[str]) -> dict[str, str]:
    """How a question may name a respondent: a first name or a surname of three letters or more
    ("Sylvie", "Bouvier" for "M. Bouvier"). Initials ("C.B.", "R"), titles, function words and
    words the vocabulary already gives a meaning (a speaker labelled "Salarié") name nobody, nor
    does a word two labels share."""
    written: dict[str, set[str]] = {}  # "kévin", as written, lower case
    folded: dict[str, set[str]] = {}  # "kevin": for "Kevin" and "Kévin" alike
    for speaker in speakers:
        compounds = list(_COMPOUND.finditer(speaker))
        for compound in compounds:  # "Jean-Marc" as a whole, never "Marc" (nor the "Marie" of "Anne-Marie")
            written.setdefault(compound.group().lower(), set()).add(speaker)
            folded.setdefault(fold(compound.group()), set()).add(speaker)
        for token in tokenize(speaker):
            word = token.folded
            if any(c.start() <= token.start < c.end() for c in compounds):
                continue
            if len(word) >= 3 and word.isalpha() and word not in TITLES | STOPWORDS and word not in taken:
                written.setdefault(speaker[token.start : token.end].lower(), set()).add(speaker)
                folded.setdefault(word, set()).add(speaker)
    names = {word: next(iter(owners)) for word, owners in folded.items() if len(owners) == 1}
    names.update({word: next(iter(owners)) for word, owners in written.items() if len(owners) == 1})
    return names


def _in_compound(question: str, tok: Token) -> bool:
    """Part of a hyphenated name ("Saint-Julien", "Jean-Marc")."""
    return question[tok.start - 1 : tok.start] == "-" or question[tok.end : tok.end + 1] == "-"


def value_aliases(attribute: str, value: str) -> list[str]:
    """Ways of naming one attribute value: itself, domain aliases, short forms of place names."""
    folded = fold(value)
    aliases = [value]
    for key, phrases in lexicon.VALUE_ALIASES.items():
        if re.search(rf"\b{re.escape(key)}\b", folded):
            aliases.extend(phrases)
    if attribute == "round":
        number = re.search(r"(\d+)", folded)
        if number:
            n = int(number.group(1))
            aliases.extend(t.format(n=n) for t in lexicon.ROUND_TEMPLATES)
            aliases.extend(lexicon.ORDINALS.get(n, ()))
    if attribute == "gender":
        aliases.extend(lexicon.GENDER_ALIASES.get(folded, ()))
    if attribute == "territory":  # "Saint-Aubin-les-Forges" is also "Saint-Aubin", "Forges"
        for part in re.split(r"\s+[–-]\s+|,", value):
            aliases.append(part)
            for compound in re.findall(r"\w+(?:-\w+)+", part):
                pieces = compound.split("-")
                aliases.append(compound)
                aliases.extend("-".join(pieces[:k]) for k in range(2, len(pieces)))
                aliases.extend("-".join(pieces[k:]) for k in range(1, len(pieces) - 1))
        aliases.extend(
            w
            for w in re.split(r"[\s\-–]+", folded)
            if len(w) >= 5 and w not in STOPWORDS and w not in _GENERIC_PLACE_WORDS
        )
    return [a for a in aliases if len(fold(a)) > 2]


def _value_entries(attribute: str, values: Sequence[str]) -> list[Entry]:
    """Entries for every value; an alias shared by two values of one attribute names neither."""
    owners: dict[tuple[str, ...], set[str]] = {}
    entries: list[Entry] = []
    for value in values:
        for phrase in value_aliases(attribute, value):
            entry = _entry(phrase, "value", (attribute, value), 1.0)
            if entry.words and value not in owners.get(entry.words, set()):
                entries.append(entry)
                owners.setdefault(entry.words, set()).add(value)
    return [e for e in entries if len(owners[e.words]) == 1]


def _named_value_entries(attribute_values: Mapping[str, Sequence[str]]) -> list[Entry]:
    """Entries for the values of the project's other attributes, named in full: « chez Forges
    Solidaires » (its EBE), « les 55-64 ans », « les entretiens collectifs ». Without aliases, and
    only for labels a question can name: not dates, counts, durations, long free text or lists of
    values (« 35-44, 35-44 »). A value's head before a bracket names every value that shares it:
    « entretiens collectifs » are « entretien collectif » and « entretien collectif (2 salarié·es) ».
    A label two attributes share names neither."""
    owners: dict[tuple[str, ...], dict[str, list[str]]] = {}
    for attribute, values in attribute_values.items():
        if len(set(values)) > _MAX_NAMED_VALUES:
            continue  # one value per interview (dates, names of places of work…): no group
        for value in dict.fromkeys(values):
            head = value.split("(", 1)[0].strip()
            for label in dict.fromkeys((value, head)):
                if not _nameable(label):
                    continue
                for phrase in (label, _plural(label)):
                    words = _entry(phrase, "value", (attribute, value), 1.0).words
                    named = owners.setdefault(words, {}).setdefault(attribute, [])
                    if words and value not in named:
                        named.append(value)
    return [
        Entry(words, "value", (attribute, *values), 1.0)
        for words, by_attribute in owners.items()
        if words and len(by_attribute) == 1
        for attribute, values in by_attribute.items()
    ]


_MAX_NAMED_VALUES = 30
_AGE_RANGE = re.compile(r"\d\d\s*[-–]\s*\d\d")  # « 55-64 »


def _nameable(value: str) -> bool:
    folded = fold(value)
    if _AGE_RANGE.fullmatch(folded):
        return True
    if len(folded) < 4 or len(folded) > 40 or len(folded.split()) > 5 or "," in folded or ";" in folded:
        return False
    return not re.search(r"\d", folded)  # « 2 ans », « 2023-02-09 », « 2 »: durations, dates, counts


def _plural(value: str) -> str:
    """« entretien collectif » → « entretiens collectifs »: each word that is not already plural."""
    return " ".join(w if w[-1:] in "sx" or not w[-1:].isalpha() else w + "s" for w in value.split())


def _entry(phrase: str, kind: str, target: tuple[str, ...], weight: float) -> Entry:
    return Entry(tuple(t.folded for t in tokenize(phrase) if t.folded not in STOPWORDS), kind, target, weight)


def similarity(window: str, target: str) -> float:
    """1.0 for an exact match, a little less per typo, 0 when too different; word by word, so
    each word must be close to its counterpart ("vague 2" is never "vague 3")."""
    if window == target:
        return 1.0
    have, want = window.split(), target.split()
    if len(have) != len(want):
        return 0.0
    scores = [_word_similarity(h, w) for h, w in zip(have, want, strict=True)]
    return min(scores) if all(scores) else 0.0


def _word_similarity(word: str, target: str) -> float:
    if word == target:
        return 1.0
    allowed = _allowed_edits(len(target), len(word))
    if not allowed or word[:1] != target[:1] or any(c.isdigit() for c in word + target):
        return 0.0  # short words, first letters and numbers must be exact
    distance = OSA.distance(word, target, score_cutoff=allowed)  # a swap is one typo
    return 0.0 if distance > allowed else 1.0 - distance / len(target)


def _allowed_edits(length: int, typed: int) -> int:
    if length == 5 and typed == 4:  # a letter left out ("vage" for "vague"); not a changed one
        return 1
    if length <= 5:  # "soins" is not "moins", "maire" is not "faire"
        return 0
    if length <= 8:
        return 1
    if length <= 15:
        return 2
    return 3


def _close(word: str, target: str) -> bool:
    return bool(similarity(word, target))


def _resolve(matches: Iterable[Match]) -> list[Match]:
    """Keep the best non-overlapping matches: most words first, then closest, then longest."""
    chosen: list[Match] = []
    taken: set[int] = set()
    for m in sorted(matches, key=lambda m: (-m.span, -m.score, -len(" ".join(m.entry.words)), m.first)):
        span = set(range(m.first, m.last + 1))
        if m.entry.kind in ("attribute", "unit"):
            if span & taken:
                continue
            chosen.append(m)
            continue
        if span & taken:
            continue
        chosen.append(m)
        taken |= span
    return chosen


def _group_superlative(toks: Sequence[Token], index: int, known: set[int]) -> bool:
    """Whether the word at ``index``, after « plus » or « moins », closes a group: « parmi les plus
    jeunes », « chez les plus anciens salariés », « chez les salariés les plus âgés ». Nothing of
    the project names them, and the whole corpus was answered for them without a word; « les
    codes les plus fréquents », « les passages les plus proches » name no group (no « chez »)."""
    k = index - 2  # the word before « plus »
    if k >= 0 and toks[k].folded == "des":  # « citations F4 des plus jeunes », not « qui parle des plus… »
        return not (k > 0 and toks[k - 1].folded in _SPEAKING | _ABOUT_VERBS)
    if k < 0 or toks[k].folded not in _GROUP_ARTICLES:
        return False
    k -= 1
    while k >= 0 and k in known:  # « chez les salariés les plus âgés »: a group the project names
        k -= 1
    if k >= 0 and toks[k].folded == "des" and k + 1 < index - 2:  # « citations des salariés les plus anciens »
        return not (k > 0 and toks[k - 1].folded in _SPEAKING | _ABOUT_VERBS)
    if k >= 0 and toks[k].folded in _GROUP_ARTICLES and k + 1 < index - 2:
        k -= 1
    after = toks[index + 1].folded if index + 1 < len(toks) else ""
    return (k >= 0 and toks[k].folded in _GROUP_CUES | _SPEAKING) or after in _SPEAKING  # « que disent les plus… »


# « parle des plus jeunes », « s'occupe des plus anciens »: the group talked about, not who talks
_ABOUT_VERBS = frozenset(
    "parler occupe occupent occuper soucie soucient aide aident aider accompagne accompagnent".split()
)
_AGE = re.compile(  # « les plus de 50 ans », « des moins de 30 ans », « les 50 ans et plus », « les 30-40 ans »
    r"\b(?:plus|moins)\s+de\s+\w+\s+ans\b|\b\w+\s+ans\s+(?:et|ou)\s+(?:plus|moins)\b|\b\d+\s*[-–]\s*\d+\s+ans\b"
    r"|\b(?:over|under)\s+\d+\b",
)


def _ages(question: str, toks: Sequence[Token], known: set[int]) -> list[str]:
    """An age no value of the project names, as a group (« chez les plus de 50 ans », « citations des
    moins de 30 ans »): the whole corpus was answered for it, without a word. Only after a word
    that introduces a group: « depuis plus de 5 ans » is no group."""
    out: list[str] = []
    for match in _AGE.finditer(question.lower()):
        inside = [i for i, t in enumerate(toks) if match.start() <= t.start < match.end()]
        if not inside or set(inside) & known:
            continue  # « chez les 55-64 ans »: a value of the project
        before = toks[inside[0] - 1].folded if inside[0] > 0 else ""
        if before in _GROUP_ARTICLES | _GROUP_CUES | {"des", "aux"}:
            out.append(question[match.start() : match.end()])
    return out


_DURATION = re.compile(  # « depuis plus de 5 ans », « depuis deux ans », « depuis moins de six mois »
    r"\bdepuis\s+(?:(?:plus|moins)\s+d(?:e\s+|['’]\s*))?(?:\w+[\s-])?\w+\s+(?:ans?|ann[ée]es?|mois|semaines?)\b"
)


def _durations(question: str, toks: Sequence[Token], known: set[int]) -> tuple[list[str], set[int]]:
    """How long someone has been in a situation (« les PPDE au chômage depuis plus de 5 ans »),
    which no attribute of a project says: the condition was dropped without a word, and its number
    read as a number of quotes. The words, and their tokens; a value of the project is no duration."""
    out: list[str] = []
    used: set[int] = set()
    for match in _DURATION.finditer(question.lower()):
        inside = {i for i, t in enumerate(toks) if match.start() <= t.start < match.end()}
        if inside and not inside & known:
            out.append(question[match.start() : match.end()])
            used |= inside
    return out, used


def _prefer_children(
    codes: list[str], children: Mapping[str, tuple[str, ...]], negated: Sequence[str] = ()
) -> list[str]:
    """``F3`` and ``F3.formation`` both named: the sub-code is what was meant (``children``:
    the codebook's, for sub-codes named without their parent's prefix). A sub-code left out
    (« F4 sans F4.confiance ») keeps its parent: it read « sans F4.confiance » alone."""
    return [
        c
        for c in codes
        if not any(
            o != c and o not in negated and (o.startswith(c + ".") or o in children.get(fold(c), ())) for o in codes
        )
    ]


_UNIT_NAMES = frozenset(fold(w) for words in lexicon.UNIT_WORDS.values() for w in words)
# « hors », « sauf », « sans », « sans compter », « en dehors de », « à part », « à l'exception de »,
# « ne sont pas en »; « retire les élus : combien… », « enlève la vague 3 », « écarte les PPDE »
# (read as the group itself, it answered for the élus alone)
_EXCLUDING = frozenset(
    "hors sauf hormis excepte exceptes exceptee exceptees except excluding excluant exclure compter dehors part pas "
    "outside besides sans exception exclusion faite without ni neither nor non que than not apart "
    "retire retirer retirez retirant enleve enlever enlevez enlevant ecarte ecarter ecartez ecartant excluez "
    "remove removing drop".split()
)
# words that leave out only after another one: « à part », not « quelle part des »; « autres que »,
# not « que disent »; "other than"
_EXCLUDING_AFTER = {  # « à l'exclusion des élus », « exception faite des élus »
    "part": ("a",), "dehors": ("en",), "que": ("autres", "autre"), "than": ("other", "others"), "faite": ("exception",),
}  # fmt: skip
_EXCLUDED_AFTER = frozenset(
    ("exceptes", "exceptees", "excepte", "exceptee", "exclus", "exclues", "exclu", "exclue", "excepted", "excluded")
)
# after a value, words that leave it out: « vague 3 non comprise », « vague 3 mise à part »
_EXCLUDED_AFTER_WORDS = frozenset(
    tuple(w.split())
    for w in ("non compris", "non comprise", "non comprises", "non inclus", "non incluse", "non incluses",
              "mis a part", "mise a part", "mises a part", "not included")
)  # fmt: skip
_LINKS = frozenset(  # between an excluding word and its value: « sauf ceux des Coteaux », « sauf pour »
    ("en", "dans", "de", "d", "du", "des", "les", "la", "le", "l", "a", "au", "aux", "chez", "parmi", "for", "the",
     "ceux", "celles", "celui", "celle", "those", "in", "of", "among", "pour", "from")
)
_BEING = frozenset(("sont", "est", "soient", "etaient", "etait", "sois", "soit", "are", "is"))
_JOINS = frozenset(("et", "ou", "ni", "and", "or", "nor"))


def _excluding(
    toks: Sequence[Token], first: int, last: int, starts: frozenset[int] = frozenset()
) -> set[int]:
    """The words that leave out the value of tokens ``first``–``last`` (« hors vague 3 », « sauf
    les salariés », « les élus exceptés », « vague 3 exclue », « ni les élus ni… », « qui ne sont
    pas des élus », « mais pas les partenaires »), none when it is kept: it was read as the filter
    itself, the opposite of what was asked. They are no topic words. A word after the value
    that introduces the next one (« chez les élus, excepté en vague 3 ») leaves out that one, not
    this (``starts``: where the question's values begin)."""
    after = last + 1
    if after < len(toks) and toks[after].folded in _EXCLUDED_AFTER:
        j = after + 1
        while j < len(toks) and toks[j].folded in _LINKS:
            j += 1
        if j not in starts:
            return {after}
    for n in (2, 3):
        if tuple(t.folded for t in toks[after : after + n]) in _EXCLUDED_AFTER_WORDS:
            return set(range(after, after + n))
    i = _before_links(toks, first)
    if i < 0 or toks[i].folded not in _EXCLUDING:
        return set()
    word = toks[i].folded
    if word == "pas":  # « ne sont pas en vague 1 », « ne sont pas des élus », not « ne parlent pas des élus »
        being = i > 0 and toks[i - 1].folded in _BEING | {"mais"}  # « chez les élus mais pas les partenaires »
        return {i} if being or toks[i + 1].folded in ("en", "dans", "a", "au", "chez", "parmi") else set()
    if word == "compter":
        return {i - 1, i} if i > 0 and toks[i - 1].folded == "sans" else set()
    needs = _EXCLUDING_AFTER.get(word)
    if needs is None:
        return {i}
    return {i - 1, i} if i > 0 and toks[i - 1].folded in needs else set()


def _before_links(toks: Sequence[Token], first: int) -> int:
    """The token before ``first`` and the small words that link it to a value (« sauf ceux des »),
    or -1: the word that says what is done with the value."""
    i = first - 1
    while i >= 0 and toks[i].folded in _LINKS:
        i -= 1
    return i


def _misspelt_exclusion(toks: Sequence[Token], first: int) -> tuple[str, str] | None:
    """A word before a value one typo away from « hors » or « sauf » (« hrs vague 3 »): the value
    was read as kept, the opposite of what was most likely asked; (typed, meant) or ``None``."""
    i = _before_links(toks, first)
    if i < 0:
        return None
    word = toks[i].folded
    if len(word) < 3 or word in _EXCLUDING or word in STOPWORDS or word in _NEAR_EXCLUSIONS or not word.isalpha():
        return None
    for meant in _EXCLUSION_TYPOS:
        if OSA.distance(word, fold(meant), score_cutoff=1) <= 1:
            return word, meant
    return None


_EXCLUSION_TYPOS = ("hors", "sauf", "hormis", "excepté")
_NEAR_EXCLUSIONS = frozenset(("lors", "alors", "saut", "sauts", "cors", "mors", "tors", "dors", "hord"))


def _left_out(
    toks: Sequence[Token], spans: Sequence[tuple[int, int]], values: Sequence[tuple[str, str]]
) -> list[set[int]]:
    """For each value, the words that leave it out (:func:`_excluding`); a value listed after one
    left out (« sauf les élus et les partenaires », « sauf les élus, les partenaires et les PPDE »)
    is left out too: only the first was."""
    starts = frozenset(first for first, _last in spans)
    leaving = [_excluding(toks, *span, starts) for span in spans]
    for k in range(1, len(spans)):
        if leaving[k] or not leaving[k - 1] or values[k][0] != values[k - 1][0]:
            continue
        between = [t.folded for t in toks[spans[k - 1][1] + 1 : spans[k][0]]]  # « , les », « et les », « ou »
        if all(w in _LINKS or w in _JOINS for w in between):
            leaving[k] = {spans[k - 1][1] + 1}
    return leaving


_RANGES = {  # word before a value -> which values the range takes, from that value's place
    "depuis": "from", "since": "from", "apres": "after", "after": "after", "avant": "before", "before": "before",
    "jusqu": "until", "until": "until",
}  # fmt: skip
_RANGES_AFTER = {"suivantes": "from", "suivants": "from", "onwards": "from", "onward": "from", "suivante": "from"}


def _ranging(toks: Sequence[Token], first: int, last: int) -> str | None:
    """« à partir de la vague 2 », « depuis », « après », « avant », « jusqu'à », « en vague 2 et
    suivantes », "from round 2 onwards": a range of values, which a filter does not read (it
    counted vague 2 alone); which side of the value it takes (``from``, ``after``, ``before``,
    ``until``), or ``None``."""
    after = [t.folded for t in toks[last + 1 : last + 3]]
    if after and (after[0] in _RANGES_AFTER or (after[0] == "et" and len(after) > 1 and after[1] in _RANGES_AFTER)):
        return "from"
    i = _before_links(toks, first)
    if i < 0:
        return None
    word = toks[i].folded
    if word == "partir" and i > 0 and toks[i - 1].folded == "a":
        return "from"
    if word == "to" and i > 0 and toks[i - 1].folded == "up":
        return "until"
    return _RANGES.get(word)


LARGEST_ID = 2**63 - 1


def _id_spans(toks: Sequence[Token], consumed: set[int]) -> list[tuple[int, int]]:
    """Each code written as an id, with the sub-code word after it (« F3 formation ») if any."""
    spans: list[tuple[int, int]] = []
    for i in sorted(consumed):
        if spans and spans[-1][1] == i - 1 and not _CODE_ID.match(toks[i].folded):
            spans[-1] = (spans[-1][0], i)
        else:
            spans.append((i, i))
    return spans


def _negated_codes(folded: str, toks: Sequence[Token], code_at: Iterable[tuple[str, int]]) -> tuple[str, ...]:
    """The code written right after each negation: in « citations F4 sans F5 », « codées F4 mais
    pas codées F5 », « sur F4 qui ne parlent pas de F5 », F5 is the one left out. One flag for the
    whole question put the negation on the first code and quoted the answers without F4. A
    negation with no code after it (« F4 : quels entretiens n'en parlent pas ? ») names none."""
    starts: list[int] = []  # where each token is in the folded question
    cursor = 0
    for t in toks:
        at = folded.find(t.folded, cursor)
        starts.append(at if at >= 0 else cursor)
        cursor = at + len(t.folded) if at >= 0 else cursor
    named = sorted(code_at, key=lambda c: c[1])
    out: list[str] = []
    for m in re.finditer(lexicon.NEGATION, folded):
        first = next((i for i, start in enumerate(starts) if start >= m.start()), len(toks))
        after = [(c, i) for c, i in named if i >= first]
        for k, (code, at) in enumerate(after):  # « pas de F4 ni de F5 », « pas codés F4 ou F5 »: both
            between = {t.folded for t in toks[after[k - 1][1] + 1 : at]} if k else set()
            if k and not (between & _JOINING_NEGATION and between <= _JOINING_NEGATION | _LINKING):
                break
            if code not in out:
                out.append(code)
    return tuple(out)


_JOINING_NEGATION = frozenset({"ni", "ou", "or", "nor"})
_LINKING = frozenset({"de", "du", "des", "d", "en", "sur", "of", "about", "on"})


def _segment_id(toks: Sequence[Token]) -> tuple[int | None, set[int]]:
    for i, tok in enumerate(toks):
        if tok.folded.isdigit() and i > 0:
            previous = {toks[j].folded for j in range(max(0, i - 2), i)}
            if previous & {"segment", "seg", "segments", "n", "no", "numero", "number", "id"}:
                return min(int(tok.folded), LARGEST_ID), {i}  # past it, SQLite overflowed: a traceback
    return None, set()


def _topic_id(toks: Sequence[Token]) -> tuple[int | None, set[int]]:
    """ "thème 3", "theme n° 3", "topic 2"."""
    for i, tok in enumerate(toks):
        if tok.folded.isdigit() and i > 0:
            previous = {toks[j].folded for j in range(max(0, i - 2), i)}
            if previous & {"theme", "themes", "topic", "topics", "sujet"}:
                return int(tok.folded), {i}
    return None, set()


_SCORE_WORDS = frozenset({"confiance", "confidence", "score", "probabilite", "probability"})


def _threshold(toks: Sequence[Token]) -> tuple[float | None, set[int]]:
    for i, tok in enumerate(toks):
        if not tok.folded[0].isdigit():
            continue
        value = parse_decimal(tok.folded)
        is_fraction = "," in tok.folded or "." in tok.folded or "%" in tok.folded
        if value is not None and is_fraction:
            return value, {i}
    return None, set()


_BELOW_WORDS = frozenset(
    "sous dessous inferieur inferieure inferieures inferieurs inf moins below under less lower".split()
)


_ABOVE_WORDS = frozenset(
    "dessus superieur superieure superieures superieurs sup plus above over more greater least partir dela "
    "beyond".split()
)


def _bound(question: str, toks: Sequence[Token], threshold_tokens: set[int]) -> bool | None:
    """Whether the threshold is an upper bound (« sous 0,3 », « en dessous de 0,3 », « inférieure
    à 0,3 », "below 0.3", « < 0,3 »: True), a lower one (« au-dessus de », « au moins », "above",
    « > 0,8 »: False), or not said (None). « accepte … sous 0,5 » accepted those above it."""
    for t in threshold_tokens:
        if t > 0 and question[toks[t - 1].start : toks[t - 1].end].lower() == "dès":  # « dès 0,9 »
            return False
        gap = question[toks[t - 1].end if t > 0 else 0 : toks[t].start]
        if "<" in gap or "≤" in gap:
            return True
        if ">" in gap or "≥" in gap:
            return False
        for i in range(t - 1, max(0, t - 4) - 1, -1):
            word = toks[i].folded
            if word == "moins" and i > 0 and toks[i - 1].folded == "au":  # « au moins 0,9 »
                return False
            if word in ("plus", "most") and i > 0 and toks[i - 1].folded in ("au", "at"):  # « au plus 0,5 »
                return True
            if word in _BELOW_WORDS:
                return True
            if word in _ABOVE_WORDS:
                return False
    return None


def _edge(question: str, toks: Sequence[Token], threshold_tokens: set[int]) -> bool | None:
    """Whether the threshold value itself is taken when it is not the usual way (from a lower
    bound, under an upper one): « ≤ 0,5 », « <= », « au plus », "at most", « inférieure ou égale »
    take it (True); « > 1,0 », « strictement au-dessus » leave it (False). « > 1,0 » took 28
    suggestions at exactly 1,00."""
    for t in threshold_tokens:
        gap = question[toks[t - 1].end if t > 0 else 0 : toks[t].start]
        window = [toks[i].folded for i in range(max(0, t - 4), t)]
        pairs = set(pairwise(window))
        said = "≤" in gap or "<=" in gap or bool({("au", "plus"), ("at", "most")} & pairs)
        if said or {"egal", "egale", "equal"} & set(window):
            return True
        if (">" in gap and "=" not in gap) or {"strictement", "strictly"} & set(window):
            return False
    return None


def _limit(toks: Sequence[Token], *, exclude: set[int]) -> int | None:
    """ "5 citations", "cinq verbatims", "top 10", "les 3 premiers"."""
    for i, tok in enumerate(toks):
        if i in exclude:
            continue
        value = number_word(tok.folded)
        if value is None or tok.folded in ("un", "une", "one"):
            continue
        after = toks[i + 1].folded if i + 1 < len(toks) else ""
        before = toks[i - 1].folded if i > 0 else ""
        if after in _QUANTITY_WORDS or before in ("top", "premiers", "premieres", "first"):
            return value
    return None
