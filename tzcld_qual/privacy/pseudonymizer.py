"""Finding identifiers in transcripts and replacing them with consistent placeholders.

Detection runs region by region (the caller's boundaries: speaker turns, segments), so no
replaced span ever straddles a boundary and every boundary offset has an exact image in the new
text. Four detectors feed one resolution (:func:`~tzcld_qual.privacy.spans.resolve`): speaker
labels, structured patterns, context rules and the first-name gazetteer, the spaCy NER. Then a
second pass replaces every other occurrence of an entity already known in the project ("Céline"
found once by the NER is replaced everywhere), so recall does not hang on one model's mood.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from tzcld_qual.privacy.allow import ABOVE_TERRITORY, AllowList, names_pattern
from tzcld_qual.privacy.cues import NOT_NAMES, find_cues, is_first_name, is_particle
from tzcld_qual.privacy.labels import name_in_label
from tzcld_qual.privacy.lexicon import Lexicon, LookupsLexicon
from tzcld_qual.privacy.mapping import PseudonymMap
from tzcld_qual.privacy.ner import Recognizer
from tzcld_qual.privacy.normalize import ARTICLES, TITLES, entity_key, fold
from tzcld_qual.privacy.offsets import Replacement, Rewritten, rewrite
from tzcld_qual.privacy.patterns import find_structured, links
from tzcld_qual.privacy.spans import CUE, KNOWN, LABEL, NER, PATTERN, PLACEHOLDER, Found, Kind, resolve, subtract

_NER_KINDS = {"PER": Kind.PERSONNE, "LOC": Kind.LIEU, "ORG": Kind.ORGANISATION}
_NAMED = (Kind.PERSONNE, Kind.LIEU, Kind.ORGANISATION)
_EDGE_WORDS = ARTICLES | {"a", "à", "chez", "en", "et", "ou", "vers", "sur", "avec", "pour", "par"}
_WORD = re.compile(r"\S+")
_ORG_PLACE_TAIL = re.compile(r"\s(?:de|d['’])\s*(?P<place>[A-ZÀ-Ý][\w'’]*(?:-[\w'’]+)*)")
_INITIALS = re.compile(r"(?:[A-ZÀ-Ý]\.\s?-?)+")  # "D.", "J.-P.", "M.G."
# c'était, j'avais, qu'il, n'en: French elides only before a vowel or a mute h (M'baye, N'diaye elide nothing)
_PRONOUN = re.compile(r"^(?:[cjmnstCJMNST]|qu|Qu|QU)['’](?P<rest>[aeiouyhàâäéèêëîïôöùûü][\w'’-]*)$")
# « une Clio », « une petite Clio », « un vieux Kangoo »: an indefinite article, at most one of the
# adjectives French puts before a noun. Not « la petite Léa », « mon petit Lucas » (a definite or
# possessive article names someone), nor « un collègue, Benali » (a relation names someone).
_INDEFINITE = re.compile(
    r"(?<![\w-])[Uu]ne?\s+(?:(?:petite?|vieux|vieille|grosse?|grande?|jeune|vraie?|bonne?|belle?|nouvelle?|"
    r"nouveau|sacrée?|pauvre|vieil|bel)\s+)?$"
)


@dataclass(frozen=True, slots=True)
class Source:
    """One text to pseudonymise: ``boundaries`` are offsets no replacement may straddle (turn
    or segment limits); ``labels`` are the speaker labels used in it; ``scope`` names the
    document, within which initials alone (« Mme D. ») are one person (speaker labels are per
    interview: another document's « Mme D. » is someone else)."""

    text: str
    boundaries: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()
    scope: str = ""


@dataclass(frozen=True, slots=True)
class Result:
    rewritten: Rewritten
    labels: Mapping[str, str]  # old speaker label → new one
    found: tuple[Found, ...]
    counts: Mapping[str, int] = field(default_factory=dict)  # replacements per kind


class Pseudonymizer:
    """Detects and replaces identifiers; placeholders come from (and extend) ``mapping``."""

    def __init__(
        self,
        mapping: PseudonymMap,
        allow: AllowList,
        recognizer: Recognizer | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.mapping = mapping
        self.allow = allow
        self.recognizer = recognizer
        self.lexicon = lexicon or LookupsLexicon()

    # -- public -------------------------------------------------------------------------------
    def run(self, sources: Sequence[Source]) -> list[Result]:
        found, people = self._find(sources)
        return [self._apply(*each) for each in zip(sources, found, people, strict=True)]

    def find(self, sources: Sequence[Source]) -> list[list[Found]]:
        """The identifiers of every source (registered in the mapping), in text order."""
        return self._find(sources)[0]

    def _find(self, sources: Sequence[Source]) -> tuple[list[list[Found]], list[tuple[str, ...]]]:
        """The identifiers of every source, and the full names of people each one writes: a lone
        « Nathalie » or « Moreau » in a document that says « Nathalie Moreau » is her."""
        for src in sources:
            for match in PLACEHOLDER.finditer(src.text):
                self.mapping.reserve(match.group())
        regions = [_regions(s) for s in sources]
        ner = self._ner([s.text[a:b] for s, rs in zip(sources, regions, strict=True) for a, b in rs])
        first: list[list[Found]] = []
        people: list[tuple[str, ...]] = []
        cursor = 0
        for src, rs in zip(sources, regions, strict=True):
            spans = self._first_pass(src, rs, ner[cursor : cursor + len(rs)])
            cursor += len(rs)
            people.append(_full_names(src.text, spans))
            for f in spans:
                self.mapping.placeholder(f.kind, src.text[f.start : f.end], people[-1], src.scope)
            first.append(spans)
        known = self.mapping.known_forms()
        found = [
            resolve([*spans, *self._known(src, rs, known)])
            for src, rs, spans in zip(sources, regions, first, strict=True)
        ]
        return found, people

    def scrub(self, text: str) -> str:
        """Replace only entities already in the mapping (for text derived from transcripts)."""
        source = Source(text)
        spans = resolve(self._known(source, _regions(source), self.mapping.known_forms()))
        return self._apply(source, spans, _full_names(text, spans)).rewritten.text

    # -- detection ----------------------------------------------------------------------------
    def _ner(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        if self.recognizer is None or not texts:
            return [[] for _ in texts]
        return self.recognizer.entities(texts)

    def _first_pass(
        self, src: Source, regions: list[tuple[int, int]], ner: list[list[tuple[int, int, str]]]
    ) -> list[Found]:
        text = src.text
        protected = self._protected(text)
        role_labels = {fold(label) for label in src.labels if name_in_label(label) is None}
        candidates: list[Found] = self._label_spans(src, regions)
        for (start, end), entities in zip(regions, ner, strict=True):
            chunk = text[start:end]
            candidates += [f.shifted(start) for f in find_structured(chunk)]
            candidates += [f.shifted(start) for f in find_cues(chunk, self._everyday)]
            for e_start, e_end, label in entities:
                if label in _NER_KINDS:
                    kind = self._ner_kind(chunk[e_start:e_end], _NER_KINDS[label])
                    candidates.append(Found(start + e_start, start + e_end, kind, NER))
        cleaned: list[Found] = []
        for candidate in [p for c in candidates for p in self._split_org_place(text, c)]:
            if candidate.kind in _NAMED:
                cleaned += self._clean(text, candidate, protected, role_labels)
            else:
                cleaned.append(candidate)
        return resolve(cleaned)

    def _ner_kind(self, surface: str, kind: Kind) -> Kind:
        """ "Tremplin Emploi", "Menuiseries Reboul": a "person" opening on an everyday word is a firm."""
        words = surface.split()
        first = words[0] if words else ""
        if (
            kind is Kind.PERSONNE
            and len(words) > 1
            and first[:1].isupper()
            and not is_first_name(first)
            and fold(first) not in NOT_NAMES
            and self.lexicon.common(first)
        ):
            return Kind.ORGANISATION
        return kind

    def _split_org_place(self, text: str, found: Found) -> list[Found]:
        """ "Sotrelec de Vaudrecourt": the firm, then the place (unless the tail is an everyday word)."""
        if found.kind is not Kind.ORGANISATION:
            return [found]
        match = _ORG_PLACE_TAIL.search(text, found.start, found.end)
        if match is None or match.end() != found.end:
            return [found]
        if self.lexicon.common(match.group("place")) or is_first_name(match.group("place")):
            return [found]  # "Chambre de Commerce", "Le Fournil d'Anaïs"
        return [
            Found(found.start, match.start(), Kind.ORGANISATION, found.priority),
            Found(match.start("place"), found.end, Kind.LIEU, found.priority),
        ]

    def _protected(self, text: str) -> list[tuple[int, int]]:
        return [*self.allow.ranges(text), *((m.start(), m.end()) for m in PLACEHOLDER.finditer(text))]

    def _label_spans(self, src: Source, regions: list[tuple[int, int]]) -> list[Found]:
        out = []
        for label in set(src.labels):
            part = name_in_label(label)
            if part is None or self.allow.allows(label):
                continue
            name = label[part[0] : part[1]]
            for match in re.finditer(rf"(?<!\w){re.escape(label)}(?!\w)", src.text):
                start = match.start() + part[0]
                if _inside_one(regions, start, start + len(name)):
                    out.append(Found(start, start + len(name), Kind.PERSONNE, LABEL))
        return out

    def _clean(self, text: str, found: Found, protected: list[tuple[int, int]], role_labels: set[str]) -> list[Found]:
        """Trim a named-entity span to its name, drop what is allowed, kept or plainly not a name."""
        out = []
        for piece in subtract(found, protected):
            fragment = (piece.start, piece.end) != (found.start, found.end)
            for line in _split_lines(text, piece):
                trimmed = _trim(text, line, self._pronoun_verb)
                if trimmed is None:
                    continue
                surface = text[trimmed.start : trimmed.end]
                key = fold(surface)
                if key in role_labels or self.allow.allows(surface):
                    continue
                if trimmed.kind is Kind.LIEU and entity_key(Kind.LIEU, surface) in ABOVE_TERRITORY:
                    continue
                if (fragment or trimmed.priority == NER) and not self._plausible(text, trimmed, fragment):
                    continue
                if trimmed.priority in (NER, CUE) and trimmed.kind is Kind.PERSONNE and _thing(text, trimmed):
                    continue
                out.append(trimmed)
        return out

    def _known(self, src: Source, regions: list[tuple[int, int]], known: Mapping[str, Kind]) -> list[Found]:
        """Other occurrences of entities already in the mapping (capitalised, whole words)."""
        if not known:
            return []
        text = src.text
        folded = fold(text)
        holes = self._protected(text)
        out = []
        for match in names_pattern(frozenset(known)).finditer(folded):
            start, end = match.start(), match.end()
            kind = known.get(" ".join(match.group().replace("-", " ").split())) or known.get(match.group())
            if kind is None:
                kind = _kind_of(known, match.group())
            if kind is None or (not text[start].isupper() and kind in _NAMED):
                continue
            if any(h_start < end and start < h_end for h_start, h_end in holes):
                continue
            if _inside_one(regions, start, end):
                out.append(Found(start, end, kind, KNOWN))
        return out + _links_with_names(text, regions, known)

    def _plausible(self, text: str, found: Found, fragment: bool) -> bool:
        """Filters for the NER's usual mistakes on spoken French (interjections, sentence starts…)."""
        surface = text[found.start : found.end]
        words = surface.split()
        folded = [fold(w).strip(".,'’") for w in words]
        if not (surface[:1].isupper() or surface[:1].isdigit()) or len(surface.strip(".")) < 2:
            return False
        if all(w in NOT_NAMES for w in folded) or self._pronoun_verb(words[0]):
            return False
        everyday = all(self._everyday(w.strip(".,")) and not is_first_name(w) for w in words)
        if fragment or _sentence_start(text, found.start):
            return not everyday  # capitals say nothing here: an everyday word is not a name
        # "le Sud", "la Ville", "les Hollandais": one everyday word is no place or organisation
        return not (everyday and len(words) == 1 and found.kind is not Kind.PERSONNE)

    def _pronoun_verb(self, word: str) -> bool:
        """ "C'était", "J'avais", "S'il", "J'y": an elided pronoun before an everyday word is no name;
        "N'diaye", "M'baye", "M'hamed" are (no elision before a consonant; "hamed" is no word)."""
        match = _PRONOUN.match(word.strip(".,;:!?…"))
        return match is not None and (len(match.group("rest")) <= 2 or self.lexicon.common(match.group("rest")))

    def _everyday(self, word: str) -> bool:
        """A dictionary word, or everyday words joined by dashes with a lowercase tail ("Allez-y",
        "Aide-soignante", "Peut-être"); "Saint-Ours", "Jean-Marc" keep their capitals."""
        if self.lexicon.common(word):
            return True
        parts = word.split("-")
        return (
            len(parts) > 1
            and all(p[:1].islower() for p in parts[1:])
            and all(p and (self.lexicon.common(p) or len(p) <= 2) for p in parts)
        )

    # -- replacement ---------------------------------------------------------------------------
    def _apply(self, src: Source, spans: Sequence[Found], people: Sequence[str] = ()) -> Result:
        replacements = [
            Replacement(f.start, f.end, self.mapping.placeholder(f.kind, src.text[f.start : f.end], people, src.scope))
            for f in spans
        ]
        rewritten = rewrite(src.text, replacements)
        labels = {}
        for label in src.labels:
            part = name_in_label(label)
            if part is None or self.allow.allows(label):
                labels[label] = label
            else:
                name = label[part[0] : part[1]]
                new = self.mapping.placeholder(Kind.PERSONNE, name, people, src.scope)
                labels[label] = label[: part[0]] + new + label[part[1] :]
        counts = Counter(f.kind.value for f in spans)
        return Result(rewritten, labels, tuple(spans), dict(counts))


def _thing(text: str, found: Found) -> bool:
    """ "J'ai une petite Clio": one capitalised word after « un »/« une » (and an adjective) is a
    thing — a car, a brand —, not a person, unless it is a known first name (« un petit Kevin »).
    Only for the NER and the context rules (« une petite X » reads like « ma petite Léa »)."""
    surface = text[found.start : found.end]
    if len(surface.split()) != 1 or is_first_name(surface):
        return False
    return _INDEFINITE.search(text, max(0, found.start - 40), found.start) is not None


def _links_with_names(text: str, regions: list[tuple[int, int]], known: Mapping[str, Kind]) -> list[Found]:
    """Web addresses that hold a name the project replaces (« nathalie-faure.fr », « leclerc.fr/equipe/moreau »):
    lowercase, glued or dotted, the name is still there."""
    names = {squashed for key, kind in known.items() if kind in _NAMED and len(squashed := _squash(key)) >= 4}
    out = []
    for start, end, profile in links(text):
        if not profile and _inside_one(regions, start, end) and any(n in _squash(text[start:end]) for n in names):
            out.append(Found(start, end, Kind.LIEN, PATTERN))
    return out


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _full_names(text: str, spans: Sequence[Found]) -> tuple[str, ...]:
    """The persons named by more than one word (« Nathalie Moreau », « Mme Sylvie Martin »), in text order."""
    names = (text[f.start : f.end] for f in spans if f.kind is Kind.PERSONNE)
    return tuple(dict.fromkeys(n for n in names if len(entity_key(Kind.PERSONNE, n).split()) >= 2))


def _regions(src: Source) -> list[tuple[int, int]]:
    cuts = sorted({0, len(src.text), *(b for b in src.boundaries if 0 <= b <= len(src.text))})
    return [(a, b) for a, b in itertools.pairwise(cuts) if src.text[a:b].strip()]


def _inside_one(regions: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in regions)


def _kind_of(known: Mapping[str, Kind], matched: str) -> Kind | None:
    """The kind of a known key matched with other spaces or hyphens ("Saint Martin"/"saint-martin")."""
    squashed = re.sub(r"[\s\-]+", " ", matched)
    for key, kind in known.items():
        if re.sub(r"[\s\-]+", " ", key) == squashed:
            return kind
    return None


def _split_lines(text: str, found: Found) -> list[Found]:
    out, start = [], found.start
    for match in re.finditer(r"\n|\s:\s|\s–\s", text[found.start : found.end]):
        out.append(Found(start, found.start + match.start(), found.kind, found.priority))
        start = found.start + match.end()
    out.append(Found(start, found.end, found.kind, found.priority))
    return out


def _trim(text: str, found: Found, pronoun_verb: Callable[[str], bool]) -> Found | None:
    """Strip punctuation, titles, lowercase edge words ("de", "la"…) and elided verbs ("C'était");
    ``None`` if nothing is left."""
    words = [(found.start + m.start(), found.start + m.end()) for m in _WORD.finditer(text[found.start : found.end])]
    words = [(s + _lead(text[s:e]), e - _tail(text[s:e])) for s, e in words]
    words = [(s, e) for s, e in words if e > s]

    def edge(word: tuple[int, int]) -> bool:
        surface = text[word[0] : word[1]]
        folded = fold(surface)
        if pronoun_verb(surface):
            return True  # "C'était Didier, mon collègue": whoever found it, "C'était" is no name
        if folded.rstrip(".") in TITLES and found.kind is Kind.PERSONNE:
            return True
        if not any(c.isalpha() for c in surface) and found.kind in _NAMED:
            return True  # a timestamp or a number glued to a name: "00:04:34] B. Rochas"
        if folded.strip(".,!?") in NOT_NAMES and found.priority == NER:
            return not (word is words[0] and is_particle(surface, 0, len(words)))  # "Merci Céline", not "Le Goff"
        return not _capitalised(surface) and (folded in _EDGE_WORDS or found.priority == NER)

    while words and edge(words[0]):
        words.pop(0)
    while words and (edge(words[-1]) or not _capitalised(text[words[-1][0] : words[-1][1]])):
        words.pop()
    if not words:
        return None
    start, end = words[0][0], words[-1][1]
    if text[start : start + 2].lower() in ("l'", "d'", "l’", "d’") and end - start > 2 and text[start + 2].isupper():
        start += 2
    surface = text[start:end]
    if not any(c.isupper() or c.isdigit() for c in surface):
        return None
    return Found(start, end, found.kind, found.priority)


def _capitalised(word: str) -> bool:
    """ "Anaïs", "d'Anaïs", "4": a word that can belong to a name."""
    bare = re.sub(r"^(?:[dlDL]|qu|Qu)['’]", "", word)
    return bare[:1].isupper() or bare[:1].isdigit()


def _lead(word: str) -> int:
    return len(word) - len(word.lstrip("«»\"“”‘'’([{<*_,;:!?…"))


def _tail(word: str) -> int:
    stripped = word.rstrip('«»"“”‘’)]}>*_,;:!?…')
    if stripped.endswith(".") and not _INITIALS.fullmatch(stripped):
        stripped = stripped[:-1]  # a sentence's full stop, not an initial's ("D.")
    return len(word) - len(stripped)


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(' \t"«“*_([#>•-')
    return not before or before[-1] in ".!?…:\n]"
