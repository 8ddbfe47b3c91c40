"""Whether a question asks what the project holds: its interviews, respondents or codes.

« liste les entretiens », « qui sont les répondants de la vague 3 ? », « quels codes ai-je ? »,
« où en est le codage ? », « quels entretiens ne sont pas encore codés ? », « les sous-codes de
F4 », « qui est Karim ? ». Such a question is made of one of these nouns, filler words and
filters only: a word left over is a topic (« quels entretiens parlent de la honte ») and the
question is something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tzcld_qual.chat import lexicon
from tzcld_qual.chat.normalize import STOPWORDS, fold, number_word, tokens
from tzcld_qual.chat.slots import Extraction, similarity

SUBJECTS = ("documents", "respondents", "codes", "values", "segments")
STATES = ("uncoded", "unreviewed", "open", "marked")  # marked: « relu, aucun code » (segments only)
_TYPO_LENGTH = 7  # « entretients », « entrtiens »: nouns this long are matched despite a typo
_TYPO_SUBJECTS = ("documents", "respondents")  # « territoire » is no typo of « territoires »


@dataclass(frozen=True, slots=True)
class InventoryRequest:
    subject: str  # one of SUBJECTS
    state: str | None = None  # one of STATES: only the interviews (respondents) in that state
    code: str | None = None  # « les sous-codes de F4 »: that code's sub-codes
    attribute: str | None = None  # « quels sont les territoires ? » (``values``; none: every attribute)
    coder: str | None = None  # « quels codes a rejetés bob ? »: that analyst's decisions (a word, unchecked)
    decisions: bool = False  # « qui a rejeté F7 ? », « combien de suggestions F7 ont été rejetées ? »
    most: str | None = None  # « quelle vague compte le plus d'entretiens ? »: the figure ranking the values
    mine: bool = False  # « quels segments ai-je relus sans code ? »: the asking coder's marks


def inventory_request(question: str, extraction: Extraction) -> InventoryRequest | None:
    """The request, or ``None`` when the question is about something else."""
    folded = fold(question)
    if extraction.segment_id is not None or extraction.topic_id is not None or extraction.threshold is not None:
        return None
    if extraction.unknown_codes:
        return None
    free = [t.folded for i, t in enumerate(extraction.tokens) if i not in extraction.consumed]
    if reading := _reading(folded, free, extraction):
        return reading
    if re.search(lexicon.INVENTORY_NOT_STATE, folded):
        return None
    if by_value := _count_by_value(free, extraction):
        return by_value
    if most := _most_by_value(extraction, folded):
        return most
    state = next((s for pattern, s in lexicon.INVENTORY_STATES if re.search(pattern, folded)), None)
    if state in lexicon.CODE_ONLY_STATES and (decided := _decisions(question, extraction, free, state)):
        return decided
    progress = "ou en est" in folded or any(w in lexicon.INVENTORY_PROGRESS for w in free)
    fillers = lexicon.INVENTORY_FILLERS | lexicon.INVENTORY_PROGRESS
    if extraction.excluded:  # « liste les entretiens sauf ceux des Coteaux »
        fillers |= {"ceux", "celles", "those"}
    if state:
        fillers |= lexicon.INVENTORY_STATE_WORDS
    participle = "code" in folded and "codé" in question.lower()  # « codés », not the noun « codes »
    codes_first = re.match(r"(?:quels|which|les|des|liste\s+des|liste\s+les)\s+(?:sous\s+)?codes?\b", folded)
    subjects: set[str] = set()
    for word in free:
        if (state or progress) and (word == "codage" or (word == "codes" and participle)):
            continue  # « pas encore codés », « avancement du codage »: the interviews' state
        noun = inventory_noun(word)
        if noun:
            subjects.add(noun)
        elif word not in fillers and word not in STOPWORDS and number_word(word) is None:
            return None  # a topic, a verb of its own: another question
    if codes_first and state:  # « quels codes ne sont pas encore codés ? »: the noun, then the state
        subjects.add("codes")
    if (state or progress) and not subjects:
        subjects = {"documents"}
    if state in lexicon.CODE_ONLY_STATES and subjects != {"codes"}:
        return None  # « les entretiens acceptés » mean nothing here; « les salariés refusés » is a topic
    if (state or progress) and "codes" in subjects:
        if subjects == {"codes"}:  # « quels codes ne sont pas encore revus ? »
            return InventoryRequest("codes", state) if state else None
        subjects.discard("codes")  # « entretiens … pas encore codes », typed without its accent
    if extraction.codes:
        if subjects == {"codes"} and len(extraction.codes) == 1 and {"sous", "sub"} & set(free):
            return InventoryRequest("codes", code=extraction.codes[0])
        return None
    if not subjects:  # « qui est Karim ? », « Karim » alone
        named = {a for a, _v in extraction.values}
        subjects = {"respondents"} if "speaker" in named else {"documents"} if "document" in named else set()
    if len(subjects) != 1:
        return None
    subject = subjects.pop()
    if subject == "values":  # « et par territoire ? » compares; it does not list the territories
        if state or progress or len(extraction.attributes) > 1 or {"par", "by", "selon", "per"} & set(free):
            return None
        return InventoryRequest("values", attribute=extraction.attributes[0] if extraction.attributes else None)
    return InventoryRequest(subject, state)


def _reading(folded: str, free: list[str], extraction: Extraction) -> InventoryRequest | None:
    """« segments relus sans code », « quels segments sont marqués aucun code ? », « combien de
    segments non revus dans demo-01 ? »: where the reading stands segment by segment. They got the
    codes never applied, « pas compris », or the interviews with no decision at all."""
    per = {i + 1 for i, w in enumerate(free) if w in _BY}  # « … par entretien »: the table has one row each
    named = [w for i, w in enumerate(free) if i not in per]
    if extraction.codes or any(inventory_noun(w) in ("documents", "respondents", "values") for w in named):
        return None  # « quels entretiens n'ont aucun code ? »: the interviews; « … F4 »: that code
    said = lexicon.INVENTORY_FILLERS | lexicon.INVENTORY_STATE_WORDS | STOPWORDS | _READING_WORDS | _BY
    if any(w not in said and number_word(w) is None and inventory_noun(w) is None for w in free):
        return None  # « quels passages sur la honte ne sont pas revus ? »: a topic too
    segments = re.search(lexicon.SEGMENT_NOUNS, folded) is not None
    if re.search(lexicon.MARKED_NO_CODE, folded) or (segments and re.search(lexicon.WITHOUT_CODE, folded)):
        return InventoryRequest("segments", "marked", mine=re.search(lexicon.FIRST_PERSON, folded) is not None)
    if segments and next((s for p, s in lexicon.INVENTORY_STATES if re.search(p, folded)), None) == "unreviewed":
        return InventoryRequest("segments", "unreviewed")
    return None


_READING_WORDS = frozenset(
    """relus relu relues relue lus lu lues lue marques marque marquee marquees marked comme aucun sans ai je j
    mes read reviewed no mark marks i my me passages passage reponses reponse segment segments how many much
    combien nombre restent reste ils elles they which what are is been were""".split()
)


def _count_by_value(free: list[str], extraction: Extraction) -> InventoryRequest | None:
    """« combien d'entretiens par vague ? », « nombre de répondants par rôle »: the interviews and
    respondents of each value (with a code named, it is a comparison of that code instead)."""
    cut = next((i for i, w in enumerate(free) if w in _BY), None)
    after = [w for w in free[cut + 1 :] if w not in STOPWORDS and w not in _FILTER_WORDS] if cut is not None else []
    if extraction.codes or len(extraction.attributes) != 1 or not 0 < len(after) <= 2:
        return None
    if any(inventory_noun(w) == "codes" for w in free):
        return None  # « combien d'entretiens par code et par territoire ? »: the codes compared
    counted = {noun for w in free[:cut] if (noun := inventory_noun(w))}
    rest = [
        w
        for w in free[:cut]
        if inventory_noun(w) is None
        and w not in _HOW_MANY
        and w not in lexicon.INVENTORY_FILLERS
        and w not in STOPWORDS
    ]
    if rest or counted not in ({"documents"}, {"respondents"}):
        return None
    if not _HOW_MANY & set(free):  # « liste des entretiens par vague »: the list, with its round column
        return InventoryRequest(counted.pop())
    return InventoryRequest("values", attribute=extraction.attributes[0])


_ASKING = frozenset(
    "qui who quels quelles quel quelle which what combien how liste list montre show qu que quoi".split()
)
_DECISION_WORDS = frozenset(
    """qui who par by quels quelles quel quelle which what combien how many much liste list montre show
    suggestion suggestions segment segments codage codages code codes decision decisions ont a ete have has
    been were was t il elle ils elles on analyste analystes coder coders codeur codeurs the of de des du""".split()
)


_CODING_NOUNS = frozenset(
    "code codes suggestion suggestions segment segments codage codages decision decisions".split()
)


def _decisions(question: str, extraction: Extraction, free: list[str], state: str) -> InventoryRequest | None:
    """« qui a rejeté F7 ? », « quels codes a rejetés bob ? », « combien de suggestions F7 ont été
    rejetées ? », "which codes did alice accept?": the analysts' decisions, by code and analyst.
    They answered who speaks of F7, or the accepted counts; unread, « qui a rejeté F7 » even
    rejected 150 suggestions."""
    toks = extraction.tokens
    named = _analyst_named_as_speaker(question, extraction)
    if not toks or toks[0].folded in _ORDER_OPENINGS or len(extraction.codes) > 1:
        return None
    if any(a in ("speaker", "document") for a, _v in extraction.values) and named is None:
        return None  # « qui a rejeté … chez Sylvie » : her turns; other filters (« chez les élus ») apply
    if not any(t.folded in _ASKING for t in toks[:3]):
        return None
    states = set().union(*(set(re.findall(p, " ".join(free))) for p, s in lexicon.INVENTORY_STATES if s == state))
    unknown = [
        w
        for w in free
        if w not in _DECISION_WORDS
        and w not in STOPWORDS
        and w not in lexicon.INVENTORY_STATE_WORDS
        and w not in states
    ]
    if len(unknown) > 1:
        return None  # « qui a rejeté l'idée d'un CDI ? »: a topic
    about_coding = extraction.code_written or bool(_CODING_NOUNS & set(free))
    if not about_coding and not (toks[0].folded in ("qu", "que", "quoi") and (len(unknown) == 1 or named)):
        return None  # « qui a refusé le CDI ? », « qui a accepté de venir ? »: people, not analysts
    code = extraction.codes[0] if extraction.codes else None
    who = named or next((question[t.start : t.end] for t in toks if unknown and t.folded == unknown[0]), None)
    if state == "accepted" and not (code or who or toks[0].folded in ("qui", "who")):
        return None  # « quels codes ont été acceptés ? »: the codes applied, listed as before
    return InventoryRequest("codes", state, code=code, coder=who, decisions=True)


def _analyst_named_as_speaker(question: str, extraction: Extraction) -> str | None:
    """« quels codes a rejeté Paul ? » where a respondent is also called Paul: the analyst, unless
    the name follows « chez », « de », « dans » (« les rejets chez Paul » are on Paul's turns)."""
    for (attribute, _value), (first, last) in zip(extraction.values, extraction.value_spans, strict=True):
        before = extraction.tokens[first - 1].folded if first > 0 else ""
        if attribute == "speaker" and before not in ("chez", "de", "du", "dans", "parmi", "among", "from", "in"):
            return question[extraction.tokens[first].start : extraction.tokens[last].end]
    return None


def _order_openings() -> frozenset[str]:
    """First words of the orders that change codings: « rejette les suggestions F7 » is no question."""
    return frozenset(
        tokens(phrase)[0]
        for intent in ("accept_batch", "reject", "code_segment")
        for phrase, _w in lexicon.INTENT_CUES.get(intent, ())
    )


_ORDER_OPENINGS = _order_openings()


def _most_by_value(extraction: Extraction, folded: str) -> InventoryRequest | None:
    """« quelle vague compte le plus d'entretiens ? », « quel territoire a le plus de segments
    codés ? », « quel rôle parle le plus ? »: the values ranked by that figure. The first went to a
    semantic search for « plus d'entretiens », the others were not understood."""
    if extraction.codes or len(extraction.attributes) != 1:
        return None
    if any(attribute == extraction.attributes[0] for attribute, _v in extraction.values):
        return None  # « quelle vague, de la 1 ou de la 2, … »: values of the ranked attribute are no filter
    if not re.match(r"(?:dans\s+)?(?:quel|quelle|quels|quelles|which|what)\b", folded):
        return None
    superlative = re.search(r"\b(?:le|la|les)\s+(?:plus|moins)\b|\b(?:most|least|fewest)\b", folded)
    if superlative is None:
        return None
    words = [
        t.folded
        for i, t in enumerate(extraction.tokens)
        if i not in extraction.consumed and i not in extraction.attribute_tokens
    ]
    if any(w not in _MOST_WORDS and w not in STOPWORDS and inventory_noun(w) is None for w in words):
        return None  # « quelle vague parle le plus de la honte ? »: a topic, not a figure
    nouns = [n for w in words if (n := inventory_noun(w)) in ("documents", "respondents")]
    coded = bool({"codes", "codees", "coded"} & set(words))
    most = "coded" if coded else nouns[0] if nouns else "segments"
    if re.search(r"moins|least|fewest", superlative.group()):
        most = f"-{most}"
    return InventoryRequest("values", attribute=extraction.attributes[0], most=most)


_MOST_WORDS = frozenset(
    "quel quelle quels quelles which what dans le la les plus moins most least fewest de d des compte comptent "
    "a ont avez has have had parle parlent parler talks talk speaks speak spoke the en in y il t on of "
    "segment segments passages codes codees coded the number nombre grand".split()
)


_BY = frozenset({"par", "by", "selon", "per", "chaque", "each"})  # « combien d'entretiens dans chaque vague ? »
_FILTER_WORDS = frozenset({"chez", "parmi", "among", "dans", "in", "en", "pour", "for", "from"})
_HOW_MANY = frozenset(
    {"combien", "nombre", "nombres", "how", "many", "repartition", "distribution", "breakdown", "compte", "count"}
    # « combien d'entretiens ont été menés / a-t-on réalisés par vague ? »
    | {"ont", "ete", "a", "t", "on", "avons", "menes", "realises", "faits", "conduits", "effectues", "were", "done"}
)


def inventory_noun(word: str) -> str | None:
    """The subject a word names (« entretiens » → documents), typos of long nouns included."""
    found = lexicon.INVENTORY_NOUNS.get(word)
    if found or len(word) < _TYPO_LENGTH or word in lexicon.NOT_INVENTORY_NOUNS:
        return found
    close = [
        s
        for noun, s in lexicon.INVENTORY_NOUNS.items()
        if len(noun) >= _TYPO_LENGTH and s in _TYPO_SUBJECTS and similarity(word, noun)
    ]
    return close[0] if len(set(close)) == 1 else None
