"""Intent detection: what the analyst asks for, and which slots that request needs.

Rules, not a model: each intent has cue phrases (:data:`lexicon.INTENT_CUES`) matched fuzzily
on the words that are not already slot values, and a priority order decides between several
strong cues (an order to act beats a question, "compare" beats "combien"). A follow-up ("et
chez les élus ?") re-uses the previous question's intent and slots with the new values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from itertools import pairwise

from tzcld_qual.chat import lexicon, order_forms, orders
from tzcld_qual.chat.filters import FilterValue, add, left_out, names, plain
from tzcld_qual.chat.inventory_intent import inventory_noun, inventory_request
from tzcld_qual.chat.normalize import STOPWORDS, Token, detect_language, fold, number_word, tokenize
from tzcld_qual.chat.orders import Doubt
from tzcld_qual.chat.slots import Extraction, Vocabulary, similarity

INTENTS: tuple[str, ...] = (
    "count",
    "quotes",
    "compare",
    "cooccurrence",
    "search",
    "inventory",
    "why",
    "themes",
    "promote_topic",
    "open_queue",
    "accept_batch",
    "reject",
    "code_segment",
    "open_segment",
    "retrain",
    "refresh",
    "help",
    "unknown",
)

# Which slots each intent keeps (everything else found in the question is ignored).
SLOT_KEYS: dict[str, tuple[str, ...]] = {
    "count": ("code", "filters", "unit", "include_suggestions", "negated", "without", "list", "who", "ranked"),
    "quotes": ("code", "filters", "limit", "query", "negated", "without"),
    "compare": ("code", "compare_by", "groups", "filters", "unit", "include_suggestions", "ranked"),
    "cooccurrence": ("code", "filters"),
    "search": ("query", "filters", "limit"),
    "inventory": ("subject", "state", "code", "attribute", "filters", "most", "decisions", "coder", "mine"),
    "why": ("segment_id", "code", "rank"),
    "themes": (),
    "promote_topic": ("topic", "code"),
    "open_queue": ("code", "filters"),
    "accept_batch": ("code", "threshold", "below", "edge", "filters", "segment_id", "rank"),
    "reject": ("code", "threshold", "below", "edge", "filters", "segment_id", "rank"),
    "code_segment": ("segment_id", "code", "rank"),
    "open_segment": ("segment_id", "rank"),
    "retrain": (),
    "refresh": (),
    "correct": ("segment_id", "old", "new"),
    "help": (),
    "unknown": (),
}

_PRIORITY: tuple[str, ...] = (
    "retrain",
    "refresh",
    "why",
    "reject",
    "code_segment",
    "open_segment",
    "accept_batch",
    "open_queue",
    "promote_topic",
    "themes",
    "cooccurrence",
    "quotes",
    "compare",
    "count",
    "search",
    "help",
)
_STRONG = 3.0
_WHO = ("document", "speaker")  # filters that name an interview or a person, not a group
# Answers whose filters take several values of an attribute, or leave some out (« les élus ou les
# partenaires », « hors vague 3 »); an order and the review queue take one value per attribute.
GROUPED_FILTERS = frozenset(("count", "quotes", "compare", "cooccurrence", "search", "inventory"))
_ABOUT_WORDS = frozenset(("de", "du", "d", "sur", "about", "of", "on", "mentions", "mentionne", "evoque", "evoquent"))
_FILTER_WORDS = frozenset(("chez", "parmi", "among", "from", "by", "en", "dans", "a", "in", "pour", "for"))
_CONNECTORS = frozenset(
    (
        "chez",
        "parmi",
        "among",
        "entre",
        "par",
        "selon",
        "pour",
        "dans",
        "de",
        "des",
        "du",
        "les",
        "la",
        "le",
        "l",
        "d",
        "sur",
        "about",
        "on",
        "et",
        "and",
        "en",
    )
)


@dataclass(frozen=True, slots=True)
class Cue:
    intent: str
    words: tuple[str, ...]
    weight: float


@dataclass(frozen=True, slots=True)
class Parse:
    """The understood question: intent, slots (only those the intent uses), language."""

    intent: str
    slots: dict[str, object]
    lang: str = "fr"
    _: KW_ONLY
    followup: bool = False
    unknown_codes: tuple[str, ...] = ()
    scores: Mapping[str, float] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()  # understood but not used by the intent: said in the answer
    unknown_documents: tuple[str, ...] = ()  # named as interviews the project does not have
    unknown_names: tuple[str, ...] = ()  # "chez Sylvain": nobody, no role, no place of the project
    unknown_groups: tuple[str, ...] = ()  # « chez les martiens »: a group in lower case the project lacks
    ignored_values: tuple[tuple[str, str], ...] = ()  # a second filter value the answer does not use
    words: str = ""  # the analyst's own words for a code (« mes managers »), to search by when it has no coding
    excluded: tuple[tuple[str, str], ...] = ()  # « hors vague 3 »: a group to leave out (no order does)
    ranged: tuple[tuple[str, str, str], ...] = ()  # « à partir de la vague 2 »: a range, not read (value, side)
    misspelt: tuple[tuple[str, str, str], ...] = ()  # « hrs vague 3 »: (typed, meant, value), not guessed
    either: tuple[str, ...] = ()  # « les élus ou Haut-Vallon »: « ou » across attributes (the two values)
    left_out_pair: tuple[str, ...] = ()  # « sauf les élus de Haut-Vallon »: a two-attribute group left out
    not_done: str = ""  # « peux-tu accepter les suggestions F4 ? »: the action asked, not carried out
    as_order: str = ""  # the same request as an order (« accepter les suggestions F4 »), when it reads as one
    doubts: tuple[Doubt, ...] = ()  # what an order says that was not read exactly: it is not proposed


def _cues() -> tuple[Cue, ...]:
    return tuple(
        Cue(intent, tuple(t.folded for t in tokenize(phrase)), weight)
        for intent, phrases in lexicon.INTENT_CUES.items()
        for phrase, weight in phrases
    )


CUES: tuple[Cue, ...] = _cues()


def parse(question: str, vocabulary: Vocabulary, *, previous: Parse | None = None) -> Parse:
    """Understand one question; ``previous`` is the last understood question (for follow-ups)."""
    question = _ROUNDS_LISTED.sub(_rounds_spelt_out, _ROUND_IN_WORDS.sub(_round_in_digits, question))
    extraction = vocabulary.extract(question)
    scores, cue_tokens = score_intents(extraction)
    folded = fold(question)
    lang = detect_language(question)
    strong = {i for i, s in scores.items() if s >= _STRONG}
    opener = any(folded.startswith(fold(o)) for o in lexicon.FOLLOW_UP_OPENERS)
    if (  # « combien d'entretiens par vague ? » then « et par territoire ? »: the territories, listed alike
        previous is not None
        and opener
        and previous.intent == "inventory"
        and previous.slots.get("subject") == "values"
        and len(extraction.attributes) == 1
        and not extraction.codes
        and not extraction.values
    ):
        slots = {**previous.slots, "attribute": extraction.attributes[0]}
        return Parse("inventory", slots, lang, followup=True, unknown_codes=extraction.unknown_codes, scores=scores)
    is_followup = (
        previous is not None
        and previous.intent not in ("unknown", "help", *_AS_A_QUESTION)  # « et chez les élus ? » repeated an order
        and strong <= {previous.intent}  # « et par vague ? » after a comparison still compares
        and opener
    )
    if is_followup and previous is not None:
        slots = merge_followup(previous, extraction)
        if previous.intent == "inventory":  # « liste les entretiens » then « et les répondants ? »
            asked = inventory_request(question, extraction)
            if asked is not None and (asked.subject != "documents" or _names_a_subject(extraction)):
                slots["subject"] = asked.subject
                slots.pop("state", None)
                if asked.state:
                    slots["state"] = asked.state
        return Parse(
            previous.intent,
            slots,
            lang,
            followup=True,
            unknown_codes=extraction.unknown_codes,
            scores=scores,
            unknown_documents=extraction.unknown_documents,
            unknown_names=extraction.unknown_names,
            unknown_groups=extraction.unknown_groups,
            excluded=extraction.excluded,
            ranged=extraction.ranged,
            misspelt=extraction.misspelt,
            either=_either_across(extraction),
            left_out_pair=_left_out_pair(extraction),
            ignored_values=_ignored_values(previous.intent, slots, extraction),  # « et chez les élus ou les PPDE ? »
        )
    correction = _correction(folded, extraction)
    if correction is not None:  # « remplace F5 par F6 sur le segment 16 » got an F5 count
        return Parse("correct", correction, lang, scores=scores)
    listing = inventory_request(question, extraction)
    intent = "inventory" if listing else decide(scores, extraction)
    if intent in _ANSWERED:
        intent = _order_unread(question, extraction, scores) or intent
    one_segment = extraction.segment_id is not None or _points_at_shown(extraction)
    if intent == "accept_batch" and one_segment and extraction.codes:
        intent = "code_segment"  # « accepte F4 sur le segment 12 » accepted all 156 F4 suggestions
    not_done = as_order = ""
    if intent in _AS_A_QUESTION and (
        asks_whether(question) or not_an_order(question) or not opens_with_order(extraction, intent)
    ):
        not_done = "" if extraction.negated or (not_an_order(question) and not asks_to_do(question)) else intent
        polite = _POLITE_OPENING.sub("", question)
        about_people = polite == question and not _about_coding(extraction)
        if about_people:
            not_done = ""  # « qui refuse le CDI ? »: about people; a note on orders would puzzle
        order = polite.rstrip(" ?").strip()
        if not_done and polite != question and order and parse(order, vocabulary).intent == intent:
            as_order = order  # « peux-tu accepter les suggestions F4 ? » → « accepter les suggestions F4 »
        deciding = intent in ("accept_batch", "reject")
        intent = _AS_A_QUESTION[intent](extraction)
        if about_people and deciding and intent == "count":
            # « qui a refusé le CDI ? » named who speaks of F5: the refusal is what is asked about
            intent, cue_tokens = "search", set()
    elif extraction.segment_id is not None and intent in ("count", "search", "quotes") and asks_whether(question):
        intent = "open_segment"  # "was segment 12 coded F5?": that segment, not every F5 segment
    elif intent == "count" and extraction.codes and _ranks_by_attribute(extraction, folded):
        intent = "compare"  # « quelle vague parle le plus de F4 ? » counted F4 over every round
    rank = _shown_rank(folded) if extraction.segment_id is None else None
    if rank is not None and not extraction.codes and intent in ("cooccurrence", "quotes", "search", "count", "unknown"):
        intent = "open_segment"  # « quels codes a ce segment ? », « montre-moi le deuxième »
    slots = build_slots(intent, extraction, question, cue_tokens)
    if intent == "search" and "query" not in slots and scores.get("count", 0.0) >= _STRONG:
        intent = "count"  # « combien de personnes parlent en vague 3 ? »: no topic, a count
        slots = build_slots(intent, extraction, question, cue_tokens)
    if rank is not None and "rank" in SLOT_KEYS.get(intent, ()):
        slots["rank"] = rank
    if listing:
        slots["subject"] = listing.subject
        if listing.state:
            slots["state"] = listing.state
        if listing.attribute:
            slots["attribute"] = listing.attribute
        if listing.most:
            slots["most"] = listing.most
        if listing.mine:
            slots["mine"] = True
        if listing.decisions:
            slots["decisions"] = True
            if listing.coder:
                slots["coder"] = listing.coder
                filters = {a: v for a, v in dict(slots.get("filters") or {}).items() if a != "speaker"}  # type: ignore[call-overload]
                slots.pop("filters", None)
                if filters:
                    slots["filters"] = filters
            if listing.code:
                slots["code"] = listing.code
    if previous is not None and (opener or _bare_quotes(intent, slots, previous)):
        slots = _carried_over(previous, intent, slots)
    words = ""
    if intent == "quotes" and extraction.codes and not extraction.code_written:
        words = remainder(question, extraction, cue_tokens, keep=extraction.code_tokens)
    return Parse(
        intent,
        slots,
        lang,
        unknown_codes=extraction.unknown_codes,
        scores=scores,
        ignored=_ignored(intent, slots, extraction),
        unknown_documents=extraction.unknown_documents,
        unknown_names=extraction.unknown_names,
        unknown_groups=extraction.unknown_groups,
        ignored_values=_ignored_values(intent, slots, extraction),
        words=words,
        excluded=extraction.excluded,
        ranged=extraction.ranged,
        misspelt=extraction.misspelt,
        either=_either_across(extraction),
        left_out_pair=_left_out_pair(extraction),
        not_done=not_done,
        as_order=as_order,
        doubts=_order_doubts(question, extraction, slots, cue_tokens, intent),
    )


# the verbs a correction opens with (« corrigées », « correctement », « is F5 correct? » are none)
_CORRECTING = frozenset(("corrige", "corriger", "corrigez", "remplace", "remplacer", "remplacez", "correct",
                         "replace"))  # fmt: skip
_INSTEAD = re.compile(r"\b(?:au lieu d|a la place d|instead of|rather than)")


def _correction(folded: str, extraction: Extraction) -> dict[str, object] | None:
    """« corrige le segment 16 : F6 au lieu de F5 », « remplace F5 par F6 »: one code for
    another, which is two decisions; the slots say which code goes (``old``) and which comes
    (``new``), or ``None`` when the question is no correction. The codes are taken in the order
    they are written, ids or labels (« remplace la sécurité financière par F6 »)."""
    named = [(code, first) for code, first in extraction.code_at if code in extraction.codes]
    opening = next((t.folded for t in extraction.tokens if t.folded not in _OPENERS), "")
    if len(named) != 2 or not (opening in _CORRECTING or _INSTEAD.search(folded)):
        return None
    (old, old_at), (new, new_at) = named
    instead = _INSTEAD.search(folded)
    if instead is not None:  # the code after « au lieu de » is the one that goes
        start = next((i for i, t in enumerate(extraction.tokens) if t.start >= instead.end()), len(extraction.tokens))
        if old_at < start <= new_at:
            old, new = new, old
    slots: dict[str, object] = {"old": old, "new": new}
    if extraction.segment_id is not None:
        slots["segment_id"] = extraction.segment_id
    return slots


def _order_doubts(
    question: str, extraction: Extraction, slots: dict[str, object], cue_tokens: set[int], intent: str
) -> tuple[Doubt, ...]:
    """What an order says that was not read exactly; an order that reads whole as one of its forms
    takes its bound from the form (``slots`` updated), any other is refused."""
    if intent not in orders.ORDERS:
        return ()
    doubts = orders.doubts(question, extraction, slots, cue_tokens, intent)
    reading = order_forms.read(question, extraction, intent)
    if reading is None:
        return doubts or (Doubt("form"),)
    if reading.below is not None and "threshold" in slots:
        slots.pop("below", None)
        slots.pop("edge", None)
        if reading.below:
            slots["below"] = True
        if reading.edge is not None:
            slots["edge"] = reading.edge
    return doubts


_ORDER_VERB_WORDS = frozenset(verb for verbs in lexicon.ORDER_VERBS.values() for verb in verbs)
_ANSWERED = frozenset(("count", "compare", "quotes", "search", "cooccurrence"))


def _order_unread(question: str, extraction: Extraction, scores: Mapping[str, float]) -> str:
    """The order a question opens with when it does not fit its shape (« code le segment douze en
    F3 »: no segment number), so that what was not read is said; ``""`` otherwise. Read as an F3
    count, it answered with --yes and coded nothing, without saying the order went unread."""
    first = next((i for i, t in enumerate(extraction.tokens) if t.folded not in _OPENERS), None)
    if first is None or first in extraction.consumed:  # « enlève la vague 3 : citations F4 »: a group left out
        return ""
    opening = extraction.tokens[first].folded
    if opening not in _ORDER_VERB_WORDS or asks_whether(question) or not_an_order(question) or asks_to_do(question):
        return ""
    ordered = [i for i in orders.ORDERS if scores.get(i, 0.0) >= _STRONG]
    # « applique F4 au segment douze », « mets F4 sur… », « code F3 le segment douze »: no cue scored
    # an order; the verb says which, and an F4 count answered (with --yes, nothing coded, nothing said)
    return max(ordered, key=lambda i: scores[i]) if ordered else lexicon.ORDER_OF_VERB.get(opening, "")


# « est-ce que le segment 12 est codé F5 ? » asks; « code le segment 12 en F5 » orders. Read as an
# order, the question was carried out with --yes (a manual coding added, 59 suggestions accepted).
_AS_A_QUESTION: dict[str, Callable[[Extraction], str]] = {
    "code_segment": lambda e: "open_segment",  # the segment and its codings answer it
    "accept_batch": lambda e: "open_segment" if e.segment_id is not None else "count",
    "reject": lambda e: "open_segment" if e.segment_id is not None else "count",
    "retrain": lambda e: "unknown",
    "refresh": lambda e: "unknown",
    "promote_topic": lambda e: "unknown",
}
_WHETHER = re.compile(
    r"^(?:est\s+ce\s+qu|is\s|was\s|has\s|have\s|did\s|does\s|are\s|were\s)"
    r"|\b(?:est|sont|a|ont|etait|etaient)\s+(?:t\s+)?(?:il|elle|ils|elles)\b"
    r"|\b\w+\s+t\s+(?:il|elle|on)\b"
)


_NOT_AN_ORDER = re.compile(
    r"\?|\bn\s*e?\s+\w+\s+pas\b|\bne\s+pas\b|\bn\s+\w+\s+pas\b|\bhesite|\bdois\s+je\b|\bfaut\s+il\b"
    r"|\bfaudrait\b|\bpeut\s+etre\b|\bshould\b|\bdon\s+t\b|\bdo\s+not\b|\bnot\b|\bnever\b|\bjamais\b"
)


def not_an_order(question: str) -> bool:
    """« n'accepte pas les suggestions F4 », « j'hésite à accepter… », « faut-il réentraîner ? »,
    any question mark: with ``ask --yes`` each of them was carried out (156 acceptances)."""
    return bool(_NOT_AN_ORDER.search(fold(question).replace("-", " ").replace("'", " ")))


_POLITE = re.compile(
    r"\b(?:peux|pouvez|pourrais|pourriez|veux|voulez|voudrais|voudriez|faut|faudrait|dois|devrais)\s+(?:tu|vous|il|je)\b"
    r"|\b(?:can|could|would|will|should)\s+(?:you|i|we)\b"
)


_POLITE_OPENING = re.compile(
    r"^\s*(?:est-ce\s+que\s+)?(?:tu|vous|il)?\s*"
    r"(?:peux|pouvez|pourrais|pourriez|veux|voulez|voudrais|voudriez|faut|faudrait|dois|devrais)"
    r"(?:[- ]?(?:tu|vous|t-il|il|je))?\s+|^\s*(?:can|could|would|will|should)\s+(?:you|i|we)\s+(?:please\s+)?",
    re.IGNORECASE,
)


def _about_coding(extraction: Extraction) -> bool:
    """The question names the coding itself: a code by its id, a segment, suggestions."""
    words = {t.folded for t in extraction.tokens}
    return extraction.code_written or extraction.segment_id is not None or bool(words & _CODING_WORDS)


_CODING_WORDS = frozenset("suggestion suggestions segment segments codage codages modele model".split())


def _order_verbs() -> dict[str, frozenset[str]]:
    """Per intent that changes the project, the words its orders open with: the first word of each
    of its cues (« rejette », « accepte », « code », « réentraîne »)."""
    verbs = {
        intent: frozenset(tokenize(phrase)[0].folded for phrase, _w in lexicon.INTENT_CUES.get(intent, ()))
        for intent in _AS_A_QUESTION
    }
    verbs["code_segment"] |= verbs["accept_batch"]  # « accepte F4 sur le segment 12 » codes that segment
    return verbs


_ORDER_VERBS = _order_verbs()
_OPENERS = frozenset(
    "et and puis alors ok okay bon bien maintenant please svp stp merci de d veuillez now then hop allez vas y "
    "s il te vous plait vouloir".split()  # « s'il te plaît rejette… », « merci de bien vouloir rejeter… »
)


def opens_with_order(extraction: Extraction, intent: str) -> bool:
    """Whether the question opens with the verb of an order of ``intent`` (after « alors »,
    « merci de », "please"…). « qui a rejeté F7 », « ne rejette surtout pas les suggestions F7 »,
    « on peut rejeter… », « liste les suggestions F7 à rejeter » each carried out a rejection
    with ``--yes``: only an order that says so first is one."""
    verbs = _ORDER_VERBS.get(intent, frozenset())
    for token in extraction.tokens:
        if token.folded in _OPENERS:
            continue
        word = token.folded
        return word in verbs or (len(word) >= 7 and any(similarity(word, v) for v in verbs if len(v) >= 7))
    return False


def asks_to_do(question: str) -> bool:
    """« peux-tu accepter les suggestions F4 ? », « faut-il réentraîner ? », "could you retrain?":
    an action asked as a question, which is answered, not carried out (and the answer says so)."""
    folded = fold(question).replace("-", " ").replace("'", " ")
    return bool(_POLITE.search(folded)) or ("?" in question and not asks_whether(question))


def asks_whether(question: str) -> bool:
    """A yes/no question (« est-ce que… », « le segment 8 est-il codé F7 ? », "was … retrained?")."""
    return bool(_WHETHER.search(fold(question).replace("-", " ")))


_ROUND_IN_WORDS = re.compile(r"\b(vague|round|wave)\s+([^\W\d_]+)\b", re.IGNORECASE)


def _round_in_digits(match: re.Match[str]) -> str:
    """« vague deux » → « vague 2 », as the rounds are named (it was read as no round at all)."""
    number = number_word(fold(match.group(2)))
    return f"{match.group(1)} {number}" if number is not None else match.group()


_ROUNDS_LISTED = re.compile(
    r"\b(vague|round|wave)s?\s+(\d+)((?:\s*(?:,|\bet\b|\bou\b|\band\b|\bor\b)\s*\d+\b"
    r"(?!\s*(?:citations?|verbatims?|extraits?|exemples?|segments?|entretiens?|quotes?|r[ée]ponses?)\b))+)",
    re.IGNORECASE,
)


def _rounds_spelt_out(match: re.Match[str]) -> str:
    """« vague 1 ou 2 », « vagues 1, 2 et 3 » → « vague 1 ou vague 2 », « vague 1, vague 2 et
    vague 3 », as the rounds are named: the numbers after the first were read as nothing, and the
    answer counted vague 1 alone."""
    word = match.group(1)
    rest = re.sub(r"(\d+)", lambda m: f"{word} {m.group(1)}", match.group(3))
    return f"{word} {match.group(2)}{rest}"


def _bare_quotes(intent: str, slots: Mapping[str, object], previous: Parse) -> bool:
    """« montre-moi les citations » right after « F1 chez les élus » then « et en vague 3 ? »: the
    quotes of that code among those people. It asked « sur quoi ? », though the thread said."""
    return (
        intent == "quotes"
        and not {"code", "query", "filters"} & set(slots)
        and isinstance(previous.slots.get("code"), str)
        and previous.intent in ("count", "compare", "quotes", "cooccurrence", "open_queue")
    )


def _carried_over(previous: Parse, intent: str, slots: dict[str, object]) -> dict[str, object]:
    """« F4 chez les élus » then « et par vague ? »: a new intent, on the same code and among the
    same people (filters on what is now compared are left)."""
    keys = SLOT_KEYS.get(intent, ())
    code = previous.slots.get("code")
    if code and "code" in keys and "code" not in slots and "query" not in slots:  # a new topic is the topic
        slots = {"code": code, **slots}
    before = previous.slots.get("filters")
    now = slots.get("filters")
    named = isinstance(now, Mapping) and any(a in _WHO for a in now)  # « et des citations de Sylvie ? »: hers
    if isinstance(before, Mapping) and "filters" in keys and not named:
        kept = {a: v for a, v in before.items() if a != slots.get("compare_by")}
        merged = {**kept, **(now if isinstance(now, Mapping) else {})}
        if merged:
            slots["filters"] = merged
    return slots


_ORDINALS = {
    "premier": 0, "premiere": 0, "first": 0, "deuxieme": 1, "second": 1, "seconde": 1, "troisieme": 2, "third": 2,
    "quatrieme": 3, "fourth": 3, "cinquieme": 4, "fifth": 4, "dernier": -1, "derniere": -1, "last": -1,
}  # fmt: skip
_DEICTIC = re.compile(r"\b(?:ce|cet|this)\s+(?:segment|passage|extrait)\b|\b(?:le|la|the|du)\s+(\w+)\b")


def _shown_rank(folded: str) -> int | None:
    """Which of the segments the last answer showed: « ce segment » the first, « le deuxième » the
    second, « le dernier » the last."""
    for match in _DEICTIC.finditer(folded):
        if match.group(1) is None:
            return 0
        if re.match(
            r"\s+(?:vague|round|wave|entretien|interview|document|fichier|territoire)\b", folded[match.end() :]
        ):
            continue  # « de la première vague », « du premier entretien »: not a shown segment
        if match.group(1) in _ORDINALS:
            return _ORDINALS[match.group(1)]
    return None


_SUPERLATIVE = re.compile(r"\b(?:le|la|les)\s+(?:plus|moins)\b|\b(?:most|least)\b")


def _ranks_by_attribute(extraction: Extraction, folded: str) -> bool:
    """« quelle vague parle le plus de F4 ? », "which territory mentions F7 most?": an attribute
    named, none of its values, and a superlative."""
    named = {a for a, _v in extraction.values}
    return (
        len(extraction.attributes) == 1 and extraction.attributes[0] not in named and bool(_SUPERLATIVE.search(folded))
    )


def _ignored(intent: str, slots: Mapping[str, object], extraction: Extraction) -> tuple[str, ...]:
    """Codes beyond the one an intent takes, and a confidence threshold it has no use for: an
    audit saw « F4 et F5 » counted as F4 alone, and « confiance supérieure à 0,9 » dropped,
    both without a word."""
    out = []
    used = slots.get("code")
    if isinstance(used, str):
        related = (used.split(".")[0], used, slots.get("without"))  # « F4 sans F5 »: F5 is used, left out
        out += [c for c in extraction.codes if c not in related and not c.startswith(used + ".")]
    if extraction.threshold is not None and "threshold" not in slots:
        sign = "<" if extraction.threshold_bound else "≥"
        out.append(f"{sign} {extraction.threshold:g}".replace(".", ","))
    if intent == "compare":  # « F4 par rôle et par vague »: one attribute at a time
        out += [f"par:{a}" for a in extraction.attributes if a != slots.get("compare_by")]
    if intent != "search" and "filters" in SLOT_KEYS.get(intent, ()):  # a search keeps it as its topic
        out += [f"durée:{d}" for d in extraction.durations]
    return tuple(dict.fromkeys(out))


def _ignored_values(intent: str, slots: Mapping[str, object], extraction: Extraction) -> tuple[tuple[str, str], ...]:
    """Filter values the answer leaves out: « F4 chez les élus et les PPDE » counted the élus
    alone, and said nothing of the PPDE. A comparison compares them; a search keeps other values
    as its topic, but never a second person or interview; an intent without filters has its own
    scope (themes, one segment)."""
    if intent == "compare" or "filters" not in SLOT_KEYS.get(intent, ()):
        return ()
    used = plain(slots.get("filters"))
    return tuple(
        (a, v)
        for (a, v), (first, _last) in zip(extraction.values, extraction.value_spans, strict=True)
        if not names(used.get(a), v)
        and v not in left_out(used.get(a))
        and (intent != "search" or a in _WHO)
        and not (intent == "search" and a == "speaker" and _about(extraction, first))  # « qui parle de Karim ? »
    )


def score_intents(extraction: Extraction) -> tuple[dict[str, float], set[int]]:
    """Sum of the weights of the cues found, per intent; and the tokens the cues used."""
    free = [i for i in range(len(extraction.tokens)) if i not in extraction.consumed]
    words = [extraction.tokens[i].folded for i in free]
    scores: dict[str, float] = {}
    used: set[int] = set()
    for cue in CUES:
        n = len(cue.words)
        target = " ".join(cue.words)
        best, where = 0.0, -1
        for start in range(len(words) - n + 1):
            if free[start + n - 1] - free[start] != n - 1:
                continue  # a cue's words are consecutive in the question
            window = " ".join(words[start : start + n])
            sim = 1.0 if window == target else (similarity(window, target) if len(target) > 6 else 0.0)
            if sim > best:
                best, where = sim, start
        if best:
            scores[cue.intent] = scores.get(cue.intent, 0.0) + cue.weight * best
            used.update(free[where : where + n])
    return scores, used


def decide(scores: Mapping[str, float], extraction: Extraction) -> str:
    """The intent of the strongest cues, in priority order; a bare code means a count."""
    strong = {i for i, s in scores.items() if s >= _STRONG}
    acting = {"why", "retrain", "refresh", "reject", "accept_batch"}
    if extraction.segment_id is not None and not extraction.codes and not strong & acting:
        return "open_segment"  # « de quel entretien vient le segment 350 ? »: that segment
    counting = "count" in strong and strong <= {"count", "search"}
    if counting and not extraction.codes and _talks_about(extraction, scores):
        return "search"  # « combien de salariés parlent des horaires ? » counted the salariés
    for intent in _PRIORITY:
        if scores.get(intent, 0.0) >= _STRONG and _fits(intent, extraction):
            return intent
    if scores.get("count", 0.0) >= _STRONG and not extraction.codes and _about_codes(extraction):
        return "count"  # "quels sont les codes les plus fréquents ?": every code, counted
    if scores.get("count", 0.0) >= _STRONG and not extraction.codes and _searchable(extraction):
        return "search"  # "combien de gens parlent de la honte d'être au chômage ?": no code to count
    opening = extraction.tokens[0].folded if extraction.tokens else ""
    if opening in ("qui", "who") and not extraction.codes and _searchable(extraction):
        return "search"  # "qui se sentait gêné de ne pas travailler ?": who said something like that
    if (
        extraction.listing
        and not extraction.codes
        and not extraction.negated  # « … ne parlent pas de la honte » : a search finds those who do
        and _searchable(extraction)
        and _topic_words(extraction)
    ):
        return "search"  # « quels entretiens parlent de la honte du chômage ? »: where it is said
    if (
        (extraction.segment_id is not None or _points_at_shown(extraction))
        and extraction.codes
        and _has_verb(extraction)
    ):
        return "code_segment"  # « code ce segment en F7 »
    attributes = [a for a, v in extraction.values if (a, v) not in extraction.excluded]  # « sauf les élus et… »
    talking = scores.get("search", 0.0) > 0  # « les élus parlent des salariés »: the salariés are the topic
    if (
        any(attributes.count(a) >= 2 for a in attributes)
        and scores.get("quotes", 0) < _STRONG
        and not _either(extraction)  # « F7 chez les élus ou les partenaires »: both groups, no comparison
    ):
        return "search" if talking else "compare"  # "entre la vague 1 et la vague 2"
    weak = {i: s for i, s in scores.items() if s >= 2.0 and _fits(i, extraction)}
    if weak:
        return max(weak, key=lambda i: (weak[i], -_PRIORITY.index(i)))
    if extraction.codes:
        return "count"
    if extraction.segment_id is not None:
        return "open_segment"
    if scores.get("search", 0.0) > 0 and _searchable(extraction, words=2):
        return "search"  # « est-ce que les élus parlent de la fatigue ? »: a verb of speech and a topic
    return "unknown"


def _fits(intent: str, extraction: Extraction) -> bool:
    if intent == "open_segment":
        return extraction.segment_id is not None
    if intent == "promote_topic":
        return extraction.topic_id is not None
    if intent == "count":  # "combien de personnes parlent de X": X must be a code to be counted
        return bool(extraction.codes) or (not extraction.unknown_codes and not _searchable(extraction))
    if intent in ("help", "themes"):  # « ce qui ressort sur la sécurité du CDI »: about F5, not themes
        return not extraction.codes
    if intent == "reject":  # « qui refuse de travailler le samedi ? » is a search: a rejection names what
        return (
            bool(extraction.codes)
            or extraction.segment_id is not None
            or any(
                t.folded in ("segment", "suggestion", "suggestions", "ce", "cette", "this") for t in extraction.tokens
            )
        )
    if intent == "code_segment":  # « quels codes sont attribués au segment 12 ? » has no code to give it
        return (extraction.segment_id is not None or _points_at_shown(extraction)) and bool(extraction.codes)
    if intent == "quotes" and extraction.listing and extraction.codes:
        return False  # « liste-moi les entretiens où l'on parle de F7 »: the interviews, not quotes
    if intent in ("quotes", "search", "cooccurrence") and extraction.segment_id is not None and not extraction.codes:
        return False  # « liste les codes du segment 1369 »: that segment, not a search for "codes du segment"
    if intent == "search":  # « which interviews don't mention F8? »: no meaning to look for in "F8"
        return not extraction.code_written and not (extraction.listing and extraction.codes)
    return True


def _talks_about(extraction: Extraction, scores: Mapping[str, float]) -> bool:
    """« … parlent des horaires », « … évoquent le transport »: a verb of speech and a topic after it."""
    return scores.get("search", 0.0) > 0 and _searchable(extraction, words=3)


def _searchable(extraction: Extraction, words: int = 4) -> bool:
    """Words left that could be a search topic (counting needs a code; searching does not)."""
    free = [t for i, t in enumerate(extraction.tokens) if i not in extraction.consumed]
    return len([t for t in free if t.folded not in STOPWORDS]) >= words


def _topic_words(extraction: Extraction) -> list[str]:
    """Words of « quels entretiens parlent de la honte ? » that are neither the listing, nor the
    verb, nor filler (« quels entretiens ai-je ? » has none: no topic to search)."""
    said = lexicon.LISTING_WORDS | lexicon.INVENTORY_FILLERS | lexicon.INVENTORY_STATE_WORDS | STOPWORDS
    free = [t.folded for i, t in enumerate(extraction.tokens) if i not in extraction.consumed]
    return [w for w in free if w not in said and w not in _CODING_TALK and inventory_noun(w) is None]


# How much an interview is coded is no topic of its transcripts (« les plus codés », « complètement revus »).
_CODING_TALK = frozenset(
    "completement entierement totalement deja plus moins most least fully no without sans codage coding codes code "
    "revus revu revues relus decisions rejets suggestions".split()
)


def _names_a_subject(extraction: Extraction) -> bool:
    free = [t.folded for i, t in enumerate(extraction.tokens) if i not in extraction.consumed]
    return any(inventory_noun(w) for w in free)


_PEOPLE = frozenset(("repondants", "repondant", "personnes", "gens", "people", "respondents", "participants"))


def _asks_who(extraction: Extraction) -> bool:
    """« qui parle de F4 ? », « quels répondants… », « quels salariés parlent de F5 ? », "who…":
    the people, by name."""
    toks = extraction.tokens
    if toks and toks[0].folded in ("qui", "who"):
        return True
    roles = {i for (a, _v), (first, last) in zip(extraction.values, extraction.value_spans, strict=True)
             if a == "role" for i in range(first, last + 1)}  # fmt: skip
    return any(
        tok.folded in ("quels", "quelles", "which") and k + 1 < len(toks)
        and (toks[k + 1].folded in _PEOPLE or k + 1 in roles)
        for k, tok in enumerate(toks)
    )  # fmt: skip


def _points_at_shown(extraction: Extraction) -> bool:
    """« ce segment », « cet extrait », « le deuxième »: one of the segments the last answer showed."""
    words = [t.folded for t in extraction.tokens]
    return any(
        (a in ("ce", "cet", "this") and b in ("segment", "passage", "extrait"))
        or (a in ("le", "la", "the", "du") and b in _ORDINALS)
        for a, b in pairwise(words)
    )


def _about_codes(extraction: Extraction) -> bool:
    """The question is about the codes themselves ("les codes les plus fréquents")."""
    return any(t.folded in ("codes", "code", "enseignements", "findings", "themes") for t in extraction.tokens)


def _has_verb(extraction: Extraction) -> bool:
    verbs = {
        "code",
        "coder",
        "codez",
        "tag",
        "tagger",
        "tague",
        "taguer",
        "applique",
        "appliquer",
        "ajoute",
        "label",
        "attribue",
        "attribuer",
        "assign",
        "mets",
    }
    return any(t.folded in verbs for t in extraction.tokens)


def _related(code: str, other: str) -> bool:
    return code == other or code.startswith(other + ".") or other.startswith(code + ".")


def _asked_code(extraction: Extraction) -> str:
    """The code the question is about: the first one no negation is in front of. « citations sans
    F5 sur F4 » quotes F4 (without F5), as « citations F4 sans F5 » does."""
    negated = extraction.negated_codes
    # « F4 sans F4.confiance »: F4 itself is no negated code, its sub-code is
    kept = [c for c in extraction.codes if not any(c == n or c.startswith(n + ".") for n in negated)]
    return kept[0] if kept and negated else extraction.codes[0]


def _negation(keys: Sequence[str], extraction: Extraction, code: object) -> dict[str, object]:
    """``negated`` when the negation is in front of the asked code (« citations des élus sans F1 »,
    « combien d'entretiens ne sont pas codés F4 ? ») or of no code (« F4 : qui n'en parle pas ? »);
    ``without`` for another code it is in front of: « citations F4 sans F5 » are those coded F4
    and not F5. One flag for the whole question quoted the answers without F4."""
    if not extraction.negated:
        return {}
    asked = [n for n in extraction.negated_codes if isinstance(code, str) and (n == code or code.startswith(n + "."))]
    others = [n for n in extraction.negated_codes if n not in asked]
    if "negated" in keys and (asked or not extraction.negated_codes):
        if asked and others and "without" in keys:  # « ni F4 ni F5 »: neither (one flag left F5 counted)
            return {"negated": True, "without": others[0]}
        return {"negated": True}
    if "without" in keys and others:
        return {"without": others[0]}
    return {}


def build_slots(intent: str, extraction: Extraction, question: str, cue_tokens: set[int]) -> dict[str, object]:
    """The slots ``intent`` uses, from what the question names."""
    keys = SLOT_KEYS.get(intent, ())
    slots: dict[str, object] = {}
    if "code" in keys and extraction.codes:
        slots["code"] = _asked_code(extraction)
    filters: dict[str, FilterValue] = {}
    excluded = set(extraction.excluded)
    if intent == "compare":
        compare_by, groups = _comparison(extraction)
        groups = [g for g in groups if (compare_by, g) not in excluded]  # « par vague, sauf la vague 3 »
        if compare_by:
            slots["compare_by"] = compare_by
        if groups:
            slots["groups"] = groups
        for attribute, value in extraction.values:
            if attribute != compare_by or (attribute, value) in excluded:
                add(filters, attribute, value, excluded=(attribute, value) in excluded)
    elif intent == "search" or (intent == "quotes" and not extraction.codes):
        # "honte d'être chômeur" is the topic; "chez les PPDE" is a filter. Quotes with no code are
        # a search too: « que dit-on de France Travail ? » (a value of `structure`) is its topic.
        opening = _listing_opening(extraction)
        taken: list[tuple[int, int]] = []
        for (attribute, value), span in zip(extraction.values, extraction.value_spans, strict=True):
            if intent == "quotes" and attribute in lexicon.FILTER_ATTRIBUTES + _WHO:
                add(filters, attribute, value, excluded=(attribute, value) in excluded)
                continue
            if attribute == "speaker" and _about(extraction, span[0]):  # "qui parle de Karim ?"
                continue
            if (
                attribute in _WHO
                or (attribute, value) in excluded  # « hors vague 3 »
                or _introduced(extraction, span[0])
                or span[1] < opening  # « quels entretiens de la vague 2 parlent de… »
                or _subject(extraction, span, cue_tokens)  # « les élus de Haut-Vallon parlent-ils de… »
                or _chained(extraction, span, taken)  # « chez les élus de Haut-Vallon »
                or _joined(extraction, span, taken)  # « chez les élus ou les partenaires »
            ):
                add(filters, attribute, value, excluded=(attribute, value) in excluded)
                taken.append(span)
    elif intent in GROUPED_FILTERS:
        for attribute, value in extraction.values:
            add(filters, attribute, value, excluded=(attribute, value) in excluded)
    else:  # an order, or the review queue: one value per attribute, nothing left out (said otherwise)
        for attribute, value in extraction.values:
            filters.setdefault(attribute, value)
    if "filters" in keys and filters:
        slots["filters"] = filters
    if "unit" in keys and extraction.unit:
        slots["unit"] = extraction.unit
    if "include_suggestions" in keys and extraction.include_suggestions:
        slots["include_suggestions"] = True
    slots.update(_negation(keys, extraction, slots.get("code")))
    if "list" in keys and extraction.listing:
        slots["list"] = True
    # « qui parle de F4 mais pas de F5 ? »: the people too; « qui ne parle pas de F4 ? » stays a list of interviews
    if "who" in keys and extraction.codes and not slots.get("negated") and _asks_who(extraction):
        slots["who"] = True  # « qui parle de F4 ? » answered how many, not who
    if "ranked" in keys and (superlative := _SUPERLATIVE.search(fold(question))):
        # « quels entretiens parlent le plus de F4 ? » came in alphabetical order
        slots["ranked"] = "least" if re.search(r"moins|least", superlative.group()) else "most"
    if "limit" in keys and extraction.limit is not None:
        slots["limit"] = extraction.limit
    if "threshold" in keys and extraction.threshold is not None:
        slots["threshold"] = extraction.threshold
        below = extraction.threshold_bound
        if below is None and intent == "reject":  # « rejette les suggestions F7 à 0,3 »: the weak ones
            below = True
        if "below" in keys and below:
            slots["below"] = True
        if "edge" in keys and extraction.threshold_edge is not None:
            slots["edge"] = extraction.threshold_edge  # « au plus 0,5 »: ≤; « > 1,0 »: >
    if "segment_id" in keys and extraction.segment_id is not None:
        slots["segment_id"] = extraction.segment_id
    if "topic" in keys and extraction.topic_id is not None:
        slots["topic"] = extraction.topic_id
    if "query" in keys and (intent == "search" or not extraction.codes):
        # a search keeps the words that name codes ("qui parle de solitude" searches "solitude")
        # and values that are not filters ("la honte d'être chômeur")
        keep: set[int] = set()
        if intent in ("search", "quotes"):
            keep = set(extraction.code_tokens) if intent == "search" else set()
            for (_a, value), (first, last) in zip(extraction.values, extraction.value_spans, strict=True):
                if not names(filters.get(_a), value) and value not in left_out(filters.get(_a)):
                    keep.update(range(first, last + 1))  # « la honte d'être chômeur »: a topic, no filter
        said = cue_tokens
        if intent == "search":  # « quels entretiens parlent de » is no topic; the words after it are
            said = cue_tokens | set(range(_listing_opening(extraction)))
        query = remainder(question, extraction, said, keep=frozenset(keep))
        if any(number_word(t.folded) is None and t.folded not in STOPWORDS for t in tokenize(query)):
            slots["query"] = query  # "3 citations de Gérard": a count of quotes, no topic "3"
    return slots


def _listing_opening(extraction: Extraction) -> int:
    """Where the topic starts after « quels entretiens (de la vague 2) parlent de … » (0: no listing):
    the opening's words and the filters inside it are not what is searched."""
    if not extraction.listing:
        return 0
    for i, token in enumerate(extraction.tokens):
        if i not in extraction.consumed and token.folded not in lexicon.LISTING_WORDS | STOPWORDS:
            return i
    return len(extraction.tokens)


_SUBJECT_WORDS = frozenset(  # question words before the group that speaks (« quels élus parlent… »)
    "quels quel quelle quelles lesquels lesquelles which what combien est ce que qu tous toutes how many do does "
    "did".split()
)


def _subject(extraction: Extraction, span: tuple[int, int], cue_tokens: set[int] | frozenset[int]) -> bool:
    """Whether a value is the subject of the question (« quels élus parlent… », « est-ce que les
    élus de Haut-Vallon parlent… »): before the verb, after nothing but question words and other
    values. « la honte d'être chômeur, qui en parle ? »: « chômeur » follows its topic."""
    verbs = [  # not « combien », nor « personnes » of « quelles personnes parlent »
        i
        for i in cue_tokens
        if extraction.tokens[i].folded not in _SUBJECT_WORDS
        and extraction.tokens[i].folded not in lexicon.INVENTORY_NOUNS
    ]
    if not verbs or span[1] >= min(verbs):
        return False
    inside = {i for first, last in extraction.value_spans for i in range(first, last + 1)}
    return all(
        i in inside
        or t.folded in STOPWORDS
        or t.folded in _SUBJECT_WORDS
        or t.folded in _FILTER_WORDS
        or lexicon.INVENTORY_NOUNS.get(t.folded) in ("documents", "respondents")  # « quelles personnes de la vague 3 »
        for i, t in enumerate(extraction.tokens[: span[0]])
    )


def _chained(extraction: Extraction, span: tuple[int, int], taken: Sequence[tuple[int, int]]) -> bool:
    """« les élus de Haut-Vallon », « les salariés en vague 3 »: a value joined to a filter is one."""
    link = extraction.tokens[span[0] - 1].folded if span[0] > 0 else ""
    return link in ("de", "d", "du", "des", "en", "a", "dans") and any(last == span[0] - 2 for _f, last in taken)


_JOINS = frozenset(("ou", "et", "or", "and"))
_ALSO = frozenset(("aussi", "egalement", "also", "too"))
_ARTICLES = frozenset(("les", "des", "de", "d", "du", "la", "le", "l", "aux", "au", "chez", "the"))


def _joined(extraction: Extraction, span: tuple[int, int], taken: Sequence[tuple[int, int]]) -> bool:
    """« chez les élus ou les partenaires », « en vague 1 et en vague 2 »: a value joined by « ou »
    or « et » to a filter is one more value of it."""
    i = span[0] - 1
    while i >= 0 and extraction.tokens[i].folded in _ARTICLES | _FILTER_WORDS:
        i -= 1
    return i > 0 and extraction.tokens[i].folded in _JOINS and any(last == i - 1 for _f, last in taken)


def _either(extraction: Extraction) -> bool:
    """Whether two values of one attribute are joined by « ou » / "or" (one group made of both)."""
    pairs = list(zip(extraction.values, extraction.value_spans, strict=True))
    for ((a, _v), (_f, last)), ((b, _w), (first, _l)) in pairwise(pairs):
        between = {t.folded for t in extraction.tokens[last + 1 : first]}
        if a == b and between & {"ou", "or"}:
            return True
    return False


def _left_out_pair(extraction: Extraction) -> tuple[str, ...]:
    """A group left out named by two attributes (« sauf les élus de Haut-Vallon »): leaving out
    the élus and keeping Haut-Vallon would answer another question; the two values, or ``()``."""
    excluded = set(extraction.excluded)
    pairs = list(zip(extraction.values, extraction.value_spans, strict=True))
    for ((a, v), (_f, last)), ((b, w), (first, _l)) in pairwise(pairs):
        between = [t.folded for t in extraction.tokens[last + 1 : first]]
        chained = between in (["de"], ["d"], ["du"], ["des"], ["en"], ["a"], ["dans"], ["de", "la"], ["in"], ["from"])
        if a != b and chained and (a, v) in excluded and (b, w) not in excluded:
            return v, w
    return ()


def _either_across(extraction: Extraction) -> tuple[str, ...]:
    """Two values of different attributes joined by « ou » (« chez les élus ou à Haut-Vallon »):
    filters are all kept together (« et »), so that union is not what would be counted; the two
    values, to say so, or ``()``."""
    pairs = list(zip(extraction.values, extraction.value_spans, strict=True))
    for ((a, v), (_f, last)), ((b, w), (first, _l)) in pairwise(pairs):
        between = [t.folded for t in extraction.tokens[last + 1 : first]]
        joined = between and between[0] in ("ou", "or")
        if a != b and joined and all(x in _FILTER_WORDS | _ARTICLES | {"ou", "or"} for x in between):
            return v, w
    return ()


def _introduced(extraction: Extraction, first: int) -> bool:
    """Whether a value is introduced as a filter: "chez les élus", "among PPDE", "en vague 2"."""
    before = [t.folded for t in extraction.tokens[max(0, first - 3) : first]]
    return bool(set(before) & _FILTER_WORDS)


def _about(extraction: Extraction, first: int) -> bool:
    """Whether a name is what is talked about ("qui parle de Karim", "who mentions Karim"), not
    who talks ("que dit Sylvie sur…")."""
    before = extraction.tokens[first - 1].folded if first > 0 else ""
    return before in _ABOUT_WORDS


def _comparison(extraction: Extraction) -> tuple[str | None, list[str]]:
    by_attribute: dict[str, list[str]] = {}
    for attribute, value in extraction.values:
        by_attribute.setdefault(attribute, []).append(value)
    several = [a for a, vs in by_attribute.items() if len(vs) >= 2]
    if several and not (extraction.attributes and _either(extraction)):
        return several[0], by_attribute[several[0]]
    if extraction.attributes:  # « compare F4 par vague chez les élus ou les partenaires »: by round, among both
        named = extraction.attributes[0]
        return named, by_attribute.get(named, [])
    if len(by_attribute) == 1:
        attribute = next(iter(by_attribute))
        return attribute, by_attribute[attribute]
    return None, []


def merge_followup(previous: Parse, extraction: Extraction) -> dict[str, object]:
    """Previous slots, with what the follow-up names put in place of the same kind of slot."""
    keys = SLOT_KEYS.get(previous.intent, ())
    slots = {k: v for k, v in previous.slots.items() if k not in ("negated", "without", "list")}  # said anew, or not
    if "list" in keys and extraction.listing:
        slots["list"] = True
    if "code" in keys and extraction.codes:
        slots["code"] = _asked_code(extraction)
    slots.update(_negation(keys, extraction, slots.get("code")))
    filters = plain(slots.get("filters"))
    if previous.intent == "compare" and extraction.attributes and extraction.attributes[0] != slots.get("compare_by"):
        # « compare salariés et PPDE sur F5 » then « et par vague ? »: by round, among those two groups
        # (dropped, every role was counted); groups of people stay with their own comparison
        before, compared = slots.get("compare_by"), [str(g) for g in slots.get("groups") or []]  # type: ignore[attr-defined]
        if isinstance(before, str) and before not in _WHO and compared and before not in filters:
            filters[before] = compared[0] if len(compared) == 1 else compared
        slots["compare_by"] = extraction.attributes[0]  # « et par territoire ? »: the groups are new too
        slots.pop("groups", None)
    compare_by = slots.get("compare_by")
    groups = list(slots.get("groups") or [])  # type: ignore[call-overload]
    excluded = set(extraction.excluded)
    renewed: set[str] = set()  # « et chez les élus ou les partenaires ? »: both replace the role asked before
    also = previous.intent in GROUPED_FILTERS and bool({t.folded for t in extraction.tokens} & _ALSO)
    for attribute, value in extraction.values:
        if previous.intent == "compare" and attribute == compare_by and (attribute, value) not in excluded:
            if value not in groups:
                groups.append(value)
        elif "filters" in keys:
            if attribute in _WHO:  # "dans demo-03" or "chez les élus", then "et chez Sylvie ?": Sylvie,
                filters = {a: v for a, v in filters.items() if (a, v) in extraction.values}  # wherever she speaks
            if attribute not in renewed and not also:  # « et les partenaires aussi ? » adds them
                filters.pop(attribute, None)
                renewed.add(attribute)
            if previous.intent in GROUPED_FILTERS:
                add(filters, attribute, value, excluded=(attribute, value) in excluded)
            else:
                filters.setdefault(attribute, value)
    if filters:
        slots["filters"] = filters
    if groups:
        slots["groups"] = groups
    for key in ("limit", "threshold", "segment_id", "unit"):
        value = getattr(extraction, key)
        if key in keys and value is not None:
            slots[key] = value
    return slots


def remainder(
    question: str, extraction: Extraction, cue_tokens: set[int], *, keep: frozenset[int] = frozenset()
) -> str:
    """The words that are neither cues nor slot values: the topic of a search, in the analyst's words."""
    toks: Sequence[Token] = extraction.tokens
    skip = (set(extraction.consumed) - keep) | cue_tokens
    after_cue = max(cue_tokens) + 1 if cue_tokens else 0
    kept = [i for i in range(len(toks)) if i not in skip and i >= after_cue]
    if not [i for i in kept if toks[i].folded not in STOPWORDS]:
        kept = [i for i in range(len(toks)) if i not in skip]
    kept = _trim(kept, toks)
    if not kept:
        return ""
    runs: list[list[int]] = [[kept[0]]]
    for i in kept[1:]:
        if i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    run = max(runs, key=lambda r: sum(toks[i].folded not in STOPWORDS for i in r))
    return question[toks[run[0]].start : toks[run[-1]].end].strip()


def _trim(indexes: list[int], toks: Sequence[Token]) -> list[int]:
    while indexes and (toks[indexes[0]].folded in _CONNECTORS or toks[indexes[0]].folded in STOPWORDS):
        indexes = indexes[1:]
    while indexes and (toks[indexes[-1]].folded in _CONNECTORS or toks[indexes[-1]].folded in STOPWORDS):
        indexes = indexes[:-1]
    return indexes
