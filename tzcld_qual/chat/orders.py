"""Whether an order that changes the project was read exactly (accept, reject, code, retrain).

A question misread costs a wrong answer; an order misread, with ``ask --yes``, changes hundreds
of codings. Audits saw « rejette F4 sur le segment douze » reject 259 suggestions (the number
unread: a batch instead of one segment), « sous 50 » drop its threshold and « sous 1,5 » shrink it
to 0,015, « plus faibles que 0,4 » and « de 0,9 ou plus » read the wrong way, « chez les martiens »
or « F4.estime » (no such sub-code) widen the order to everything, « accepte cette suggestion
F5 » accept all 90, « refuse de rejeter … » reject, « réentraîne le modèle pas maintenant »
retrain. Such an order is not proposed: the answer says what was not understood.

:mod:`.order_forms` decides whether an order has one of the accepted shapes; this module checks
what those shapes hide in their classes (a minus before ``NUM``, « 0,9 % », « F4.estime » read
as ``CODE``, a value named twice) and names, for a refused order, the words that made it so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tzcld_qual.chat import lexicon
from tzcld_qual.chat.normalize import STOPWORDS, Token, parse_decimal
from tzcld_qual.chat.slots import LARGEST_ID, Extraction

ORDERS = frozenset({"accept_batch", "reject", "code_segment", "retrain", "promote_topic"})  # they change things


@dataclass(frozen=True, slots=True)
class Doubt:
    """One thing an order says that was not read exactly: ``kind`` names it, ``words`` quotes it."""

    kind: str  # a key of guide._DOUBTS
    words: str = ""


# Words an order may hold besides its verb, codes, filters and numbers.
_FILLERS = frozenset(
    """suggestion suggestions suggere suggeres suggerees proposition propositions toutes tous tout toute all
    every code codes confiance confidence seuil threshold score scores probabilite avec with of for to on in
    at as segment segments seg numero number id n no num au aux dessus dessous sous above below under over
    less more lower higher superieur superieure superieures superieurs inferieur inferieure inferieures
    inferieurs plus moins least egal egale equal sup inf partir dela beyond ou or modele model ensemble stp
    svp please merci thanks plait vous tu te maintenant now than greater equal en chez parmi among from by
    dans entre alors ok okay bon bien vouloir hop allez vas y veuillez s il theme themes topic sous-code any
    jusqu dont whose est is depasse depassant exceeds exceed exceeding qui ont ayant having that have which across
    entretiens interviews""".split()
)
# Words that point at something an earlier answer showed: an order needs its number.
_SHOWN = frozenset("ce cet cette ces this these that those premier premiere deuxieme troisieme dernier derniere "
                   "second seconde first last".split())  # fmt: skip
# Before a threshold, words that turn or split it (« sauf au-dessus de », « pas en dessous de »,
# « plus faibles que », « entre 0,3 et 0,5 »): the bound is no longer a plain « sous » or « au-dessus ».
_TWISTS = frozenset(
    """sauf hormis excepte exceptees exceptes except excluding hors pas non not entre between faible faibles
    bas basse basses petit petite petites petits haut haute hautes fort forte fortes grand grande grandes
    que""".split()
)
# After a threshold, a bound (« 0,9 ou plus », « 0,5 au plus », "0.9 or less"): said before it only.
_AFTER = frozenset("plus moins more less ou or mini minimum maximum max min inclus compris exclu".split())
# The verbs of orders: two in one order (« refuse de rejeter », « rejette … ou accepte-les ») is no order.
_VERBS = frozenset(  # not « code »: « accepte le code F4 » names one verb
    verb for kind in ("accept", "reject", "add", "other") for verb in lexicon.ORDER_VERBS[kind]
)
_SEGMENT_WORDS = frozenset({"segment", "segments", "seg"})
_CODE_ID = re.compile(r"^[a-z]+\d+(?:\.\w+)?$")
_MINUS = "-−–—‐‑"  # every dash a minus can be typed with


def doubts(
    question: str, extraction: Extraction, slots: Mapping[str, object], cue_tokens: set[int], intent: str
) -> tuple[Doubt, ...]:
    """What in the order ``question`` was not read exactly (empty: it can be proposed)."""
    toks = extraction.tokens
    out: list[Doubt] = []
    one_segment = extraction.segment_id is not None or "rank" in slots
    segment_words = [i for i, t in enumerate(toks) if t.folded in _SEGMENT_WORDS]
    before = [" ".join(t.folded for t in toks[max(0, i - 2) : i]) for i in segment_words]
    every = {i for i, words in zip(segment_words, before, strict=True) if words in ("tous les", "all the")
             or words.endswith("all")}  # fmt: skip
    segment_words = [i for i in segment_words if i not in every]  # « sur tous les segments »: a batch
    if segment_words and not one_segment:
        following = [toks[i + 1].folded for i in segment_words if i + 1 < len(toks)]
        out.append(Doubt("segment", " ".join(following[:1])))
    if any(toks[i].folded == "segments" for i in segment_words) and extraction.segment_id is not None:
        out.append(Doubt("segments"))
    shown = [
        question[t.start : t.end]
        for i, t in enumerate(toks)
        if t.folded in _SHOWN
        and not (i + 1 < len(toks) and toks[i + 1].folded in ("vague", "round", "wave", "entretien", "interview"))
    ]  # « de la première vague » is a round
    if shown and not one_segment:
        out.append(Doubt("shown", " ".join(shown)))
    if one_segment and extraction.threshold is not None:
        out.append(Doubt("segment_threshold"))
    out += _codes(question, extraction, slots)
    out += _scope(extraction, intent, one_segment)
    verbs = [question[t.start : t.end] for t in toks if t.folded in _VERBS]
    if len(verbs) > 1:
        out.append(Doubt("verbs", " / ".join(verbs)))
    out += _numbers(question, extraction)
    allowed = _FILLERS | (_SHOWN if one_segment else frozenset())
    naming = _naming_a_document(extraction)
    unread = [
        question[t.start : t.end]
        for i, t in enumerate(toks)
        if i not in extraction.consumed
        and i not in naming
        and i not in cue_tokens
        and i not in extraction.attribute_tokens  # « sur le territoire de Haut-Vallon »
        and t.folded not in STOPWORDS
        and t.folded not in allowed
        and t.folded not in _SHOWN
        and t.folded not in _VERBS
        and not t.folded[0].isdigit()
    ]
    unread = [w for w in unread if not any(d.kind == "segment" and d.words == w.lower() for d in out)]
    if unread:
        out.append(Doubt("words", " ".join(unread)))
    return tuple(dict.fromkeys(out))


# The nouns of « du document demo-01 », « de l'entretien demo-01 »: read right before the name only.
_DOCUMENT_NOUNS = frozenset("document documents entretien interview fichier transcription transcript file".split())


def _naming_a_document(extraction: Extraction) -> set[int]:
    """The tokens of « document », « entretien » right before an interview's name: « accepte les
    suggestions F4 au-dessus de 0,9 du document demo-01 » was refused (« mots non compris :
    document ») where « dans demo-01 » was proposed. Alone (« … du document »), the noun names
    no interview and stays unread."""
    return {
        first - 1
        for (attribute, _v), (first, _last) in zip(extraction.values, extraction.value_spans, strict=True)
        if attribute == "document" and first > 0 and extraction.tokens[first - 1].folded in _DOCUMENT_NOUNS
    }


def _codes(question: str, extraction: Extraction, slots: Mapping[str, object]) -> list[Doubt]:
    """Two codes (even a code and its sub-code: one was dropped), or a code the codebook lacks
    (« F4.estime » fell back to all of F4)."""
    toks = extraction.tokens
    if extraction.unknown_codes or extraction.parent_read:
        return [Doubt("unknown_code", ", ".join(extraction.unknown_codes + extraction.parent_read))]
    written = {toks[i].folded: question[toks[i].start : toks[i].end] for i in extraction.code_tokens
               if _CODE_ID.match(toks[i].folded)}  # fmt: skip
    if len(written) > 1:
        return [Doubt("codes", ", ".join(sorted(written.values())))]
    code = str(slots.get("code") or "")
    others = [c for c in extraction.codes if c not in (code, code.split(".")[0]) and not c.startswith(code + ".")]
    return [Doubt("codes", ", ".join(others))] if others else []


def _scope(extraction: Extraction, intent: str, one_segment: bool) -> list[Doubt]:
    """Filters an order cannot take: two values of one attribute (« chez les élus et les
    partenaires » acted on the élus), any on one segment, any on a retraining."""
    values = [v for _a, v in extraction.values]
    if intent == "retrain" and (values or extraction.codes or extraction.segment_id is not None):
        return [Doubt("retrain_scope", ", ".join(values + list(extraction.codes)))]
    if one_segment and values:
        return [Doubt("segment_filter", ", ".join(values))]
    attributes = [a for a, _v in extraction.values]
    twice = [v for a, v in extraction.values if attributes.count(a) > 1]
    return [Doubt("values", ", ".join(twice))] if twice else []


def _numbers(question: str, extraction: Extraction) -> list[Doubt]:
    """Numbers that are neither an id nor a threshold between 0 and 1 (« 0,6 », « 60 % »), a minus
    sign, and a threshold whose bound is twisted or said after it."""
    toks = extraction.tokens
    out: list[Doubt] = []
    threshold = _threshold_index(extraction) if extraction.threshold is not None else None
    segment_seen = False
    for i, tok in enumerate(toks):
        if not tok.folded[0].isdigit():
            continue
        raw = question[tok.start : tok.end]
        if _negative(question, toks, i):
            out.append(Doubt("number", f"-{raw}"))
            continue
        if not segment_seen and _is_segment_id(extraction, i):
            segment_seen = True
            continue
        if i == threshold:
            if not _fraction(raw):
                out.append(Doubt("number", raw))
            twist = next((j for j in range(max(0, i - 4), i) if toks[j].folded in _TWISTS), None)
            after = [j for j in range(i + 1, min(len(toks), i + 3)) if toks[j].folded in _AFTER]
            if twist is not None:
                out.append(Doubt("bound", question[toks[twist].start : tok.end]))
            elif after:
                out.append(Doubt("bound", question[tok.start : toks[after[-1]].end]))
        elif i not in extraction.consumed:  # « demo-03 », « vague 2 »: part of a name, read with it
            out.append(Doubt("threshold" if threshold is not None and _fraction(raw) else "number", raw))
    return out


def _negative(question: str, toks: Sequence[Token], index: int) -> bool:
    """« -0,2 », « −0,2 », « thème -3 », « sous moins 0,2 » (not « demo-03 », not « au moins 0,9 »)."""
    before = question[: toks[index].start]
    stripped = before.rstrip()
    if stripped[-1:] and stripped[-1] in _MINUS and (len(stripped) == 1 or not stripped[-2].isalnum()):
        return True
    return index >= 2 and toks[index - 1].folded == "moins" and toks[index - 2].folded not in ("au", "at", "le")


def _threshold_index(extraction: Extraction) -> int | None:
    """The token the threshold was read from (as :func:`slots._threshold` picks it: the first
    decimal or percentage)."""
    for i, tok in enumerate(extraction.tokens):
        fraction = "," in tok.folded or "." in tok.folded or "%" in tok.folded
        if tok.folded[0].isdigit() and fraction and parse_decimal(tok.folded) is not None:
            return i
    return None


def _is_segment_id(extraction: Extraction, index: int) -> bool:
    tok = extraction.tokens[index]
    return (
        extraction.segment_id is not None
        and tok.folded.isdigit()
        and min(int(tok.folded), LARGEST_ID) == extraction.segment_id
    )


def _fraction(raw: str) -> bool:
    """« 0,6 », « 0.85 », « 60 % », « 60% »: a confidence; « 50 », « 1,5 », « 150 % » are not."""
    text = raw.replace(" ", "")
    if text.endswith("%"):  # « 0,9 % » read as 0,009 accepted all 259: a percent is a whole number, from 1
        value = parse_decimal(text)
        return value is not None and value >= 0.01 and "," not in text and "." not in text
    if not re.fullmatch(r"\d+[.,]\d+", text):
        return False
    return 0 <= float(text.replace(",", ".")) <= 1
