"""The forms an order may take, and the bound its words give a threshold.

Three audits each found new phrasings that changed more than asked (« accept no F4 suggestions »,
« s'il accepte … », « à 0,8 et au-dessus », « sous un seuil de confiance de 0,5 », « accepte les
suggestions F4 incertaines »): a list of words to refuse never ends. So an order is carried out
only when it reads *whole* as one of the forms below; what it says of a threshold comes from the
bound phrase the form matched, never from nearby words. Anything else is answered or refused.

A question is first written as classes: ``CODE`` (a code, by id or label), ``VAL`` (an attribute
value, an interview or a person), ``SEG`` (the segment's number), ``NUM`` (the threshold),
``TOPIC`` (a theme's number), ``LT``/``LE``/``GT``/``GE`` (« < », « ≤ », « > », « ≥ » before the
threshold); every other token is its folded word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tzcld_qual.chat import lexicon
from tzcld_qual.chat.normalize import parse_decimal
from tzcld_qual.chat.slots import LARGEST_ID, Extraction


@dataclass(frozen=True, slots=True)
class Reading:
    """An order read whole: ``below`` and ``edge`` as :class:`~tzcld_qual.chat.pending.Bound`
    takes them (``None`` when it has no threshold)."""

    below: bool | None = None
    edge: bool | None = None


def _any(*words: str) -> str:
    """An alternation of space-separated phrases (longest first, so « au plus » wins over « au »)."""
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


def _words(text: str) -> list[str]:
    """Phrases separated by commas: « sous, en dessous de » → ["sous", "en dessous de"]."""
    return [w.strip() for w in text.split(",") if w.strip()]


# bound phrase (classes, space-separated) -> (below, edge): edge None is the usual (≥ from a lower
# bound, < under an upper one), True takes the value itself under an upper bound, False leaves it
# out above a lower one. « au-dessus de » and "above" take it, as analysts read them.
_BOUNDS: dict[str, tuple[bool, bool | None]] = {
    **dict.fromkeys(_words("""sous, en dessous de, au dessous de, en deca de, inferieur a, inferieure a,
        inferieures a, inferieurs a, inf a, moins de, de moins de, below, under, less than, lower than,
        LT"""), (True, None)),
    **dict.fromkeys(_words("""au plus, d au plus, jusqu a, inferieur ou egal a, inferieure ou egale a,
        inferieures ou egales a, inferieurs ou egaux a, at most, LE"""), (True, True)),
    **dict.fromkeys(_words("""au dessus de, au moins, d au moins, a partir de, des, superieur ou egal a,
        superieure ou egale a, superieures ou egales a, superieurs ou egaux a, at least, above, over, from,
        GE"""), (False, None)),
    **dict.fromkeys(_words("""sup a, superieur a, superieure a, superieures a, superieurs a, plus de, de plus de,
        au dela de, greater than, more than, higher than, strictement au dessus de, depasse, depassant, exceeds,
        exceed, exceeding, GT"""), (False, False)),
}  # fmt: skip
# « avec une confiance (de) », « dont la confiance est », "with confidence": before a threshold
_SCORE = (
    r"(?:(?:avec|with|dont|whose|a|d) )?(?:(?:une|un|a|la|le|leur|their) )?"
    r"(?:confiance|confidence|score|probabilite)(?: (?:est|is))?"
)
_BOUND = "(?P<bound>" + _any(*(re.escape(b) for b in _BOUNDS)) + ")"
_HAVING = r"(?:(?:qui ont|qui a|ayant|having|that have|which have) )?"
_THRESHOLD = rf"(?:{_HAVING}(?:{_SCORE} )?{_BOUND} NUM|{_HAVING}{_SCORE} (?:de|d|of) NUM)"  # the latter: no direction
_FILTER = (
    r"(?:(?:chez|parmi|among|from|in|en|dans|pour|for|a|au|aux|de|du|des|d|sur)(?: (?:les|la|le|l|the))?"
    r"(?: (?:territoire|vague|role|round|territory|wave|entretien|interview|document|fichier|transcription)"
    r"(?: (?:de|d|du|of))?)? VAL|VAL"
    r"|(?:sur|dans|in|on|across) (?:tous les|toutes les|all|all the) (?:segments|entretiens|interviews))"
)
_POLITE = _any("stp", "svp", "s il te plait", "s il vous plait", "merci", "please", "thanks", "maintenant", "now")
_OPENING = (
    r"(?:(?:alors|ok|okay|bon|bien|maintenant|please|hop|allez) )*"
    r"(?:(?:merci de|merci d|veuillez)(?: bien vouloir)? |(?:s il te plait|s il vous plait|stp|svp) )?"
)
_END = rf"(?: {_POLITE})*"
_TAIL = rf"(?: (?:{_THRESHOLD}|{_FILTER}))*{_END}"

_ACCEPT = _any(*lexicon.ORDER_VERBS["accept"])
_REJECT = _any(*lexicon.ORDER_VERBS["reject"])
_ADD = _any(*lexicon.ORDER_VERBS["add"])
_CODE_VERB = _any(*lexicon.ORDER_VERBS["code"])
_SUGGESTIONS = (
    r"(?:(?:toutes |tous |all |all the |any |the )?(?:les |la |des |l )?"
    r"(?:suggestions|suggestion|propositions|proposition))"
)
_OF_CODE = r"(?:(?:de|du|des|d|pour|en|of|for)(?: (?:la|le|l|the|code|le code))? )?CODE"
_BATCH = rf"(?:{_SUGGESTIONS} {_OF_CODE}|(?:(?:all |the |all the |any )?CODE(?: {_SUGGESTIONS})?))"
_PREPOSITION = r"(?:sur|du|au|dans|a|on|for|in|of|to|from)"
_SEGMENT = r"(?:segment|seg)(?: (?:n|no|numero|number))? SEG"
_ON_SEGMENT = rf"(?:{_PREPOSITION}(?: (?:le|l|the))? {_SEGMENT})"
_SHOWN = _any(*_words("segment, passage, extrait, premier, premiere, deuxieme, troisieme, dernier, derniere, "
                      "second, seconde, first, last"))  # fmt: skip
_ON_SHOWN = rf"(?:{_PREPOSITION} (?:ce|cet|this|le|the|l) {_SHOWN}|du {_SHOWN}|de (?:ce|cet) {_SHOWN})"
# « la suggestion F4 », « le code F4 »: one code on one segment
_ONE = r"(?:(?:la |les |le |the )?(?:suggestion |suggestions |code )(?:(?:de|du|d|of) )?)?"
_AS_CODE = r"(?:en|as|with|avec|comme)(?: (?:le |the )?code)? CODE"
_RETRAIN = _any(*_words("reentraine, reentrainer, retrain, re train, re entraine, re entrainer, reapprends, "
                        "relance l entrainement, lance le reentrainement, lance un reentrainement, entraine le modele, "
                        "mets a jour le modele, "
                        "update the model"))  # fmt: skip
_NEW_CODE = r"(?:un |une |a )?(?:nouveau |new )?(?:sous code|code|sub code)"
_UNDER = r"(?: (?:de|sous|under|of|dans) CODE)?"

_FORMS: dict[str, tuple[str, ...]] = {
    "accept_batch": (
        rf"{_ACCEPT} {_BATCH}{_TAIL}",
        rf"{_ACCEPT} {_SUGGESTIONS} (?:{_ON_SEGMENT}|{_ON_SHOWN}){_END}",  # every open one on that segment
    ),
    "reject": (
        rf"{_REJECT} {_BATCH}{_TAIL}",
        rf"{_REJECT} {_ONE}CODE (?:{_ON_SEGMENT}|{_ON_SHOWN}){_END}",
        rf"{_REJECT} {_SUGGESTIONS} (?:{_ON_SEGMENT}|{_ON_SHOWN}){_END}",
    ),
    "code_segment": (
        rf"{_CODE_VERB} (?:le |the )?{_SEGMENT} {_AS_CODE}{_END}",
        rf"{_CODE_VERB} (?:ce|cet|this|le|the) {_SHOWN} {_AS_CODE}{_END}",
        rf"(?:{_ADD}|{_ACCEPT}) {_ONE}CODE (?:{_ON_SEGMENT}|{_ON_SHOWN}){_END}",
    ),
    "retrain": (rf"{_RETRAIN}(?: (?:le|du|the) (?:modele|model|moteur))?{_END}",),
    "promote_topic": (
        rf"(?:cree|creer|creez|fais|faire|create|make) {_NEW_CODE}{_UNDER} "
        rf"(?:a partir du|depuis le|avec le|du|from|from the|out of) (?:theme|topic) TOPIC{_UNDER}{_END}",
        rf"(?:transforme|transformer|promeus|promouvoir|promote|turn) (?:le |the )?(?:theme|topic) TOPIC"
        rf"(?: (?:en|into|to|as) {_NEW_CODE})?{_UNDER}{_END}",
    ),
}
_COMPILED = {intent: tuple(re.compile(_OPENING + form) for form in forms) for intent, forms in _FORMS.items()}


def read(question: str, extraction: Extraction, intent: str) -> Reading | None:
    """The order, when ``question`` reads whole as one of ``intent``'s forms; else ``None``."""
    text = " ".join(classes(question, extraction))
    for form in _COMPILED.get(intent, ()):
        match = form.fullmatch(text)
        if match is None:
            continue
        bound = match.groupdict().get("bound")
        if bound is not None:
            below, edge = _BOUNDS[bound]
            return Reading(below, edge)
        if "NUM" in text and intent != "accept_batch":
            return None  # « rejette … avec une confiance de 0,3 »: under it or from it? not said
        return Reading(False if "NUM" in text else None)
    return None


def classes(question: str, extraction: Extraction) -> list[str]:
    """The question as the classes the forms are written in (see the module doc)."""
    toks = extraction.tokens
    starts = {first: "CODE" for first, _last in extraction.code_spans}
    starts |= {first: "VAL" for first, _last in extraction.value_spans if first not in starts}
    spans = (*extraction.code_spans, *extraction.value_spans)
    inside = {i for first, last in spans for i in range(first + 1, last + 1)}
    threshold = _threshold_index(extraction)
    out: list[str] = []
    for i, tok in enumerate(toks):
        if i in starts:
            word = starts[i]
        elif i in inside:
            continue  # one code or value over several words
        elif i in extraction.code_tokens:
            word = "CODE"
        elif i == threshold:
            gap = question[toks[i - 1].end if i > 0 else 0 : tok.start]
            symbol = next((s for g, s in _SYMBOLS if g in gap), None)
            if symbol:
                out.append(symbol)
            word = "NUM"
        elif tok.folded.isdigit() and extraction.segment_id is not None and _is(tok.folded, extraction.segment_id):
            word = "SEG"
        elif tok.folded.isdigit() and extraction.topic_id is not None and int(tok.folded) == extraction.topic_id:
            word = "TOPIC"
        else:
            word = tok.folded.replace("-", " ")
        out.append(word)
    return out


_SYMBOLS = (("<=", "LE"), ("≤", "LE"), (">=", "GE"), ("≥", "GE"), ("<", "LT"), (">", "GT"))


def _is(digits: str, segment_id: int) -> bool:
    return min(int(digits), LARGEST_ID) == segment_id


def _threshold_index(extraction: Extraction) -> int | None:
    if extraction.threshold is None:
        return None
    for i, tok in enumerate(extraction.tokens):
        fraction = "," in tok.folded or "." in tok.folded or "%" in tok.folded
        if tok.folded[0].isdigit() and fraction and parse_decimal(tok.folded) is not None:
            return i
    return None
