"""Whether an order that changes the project was read exactly (accept, reject, code a segment).

A question misread costs a wrong answer; an order misread, with ``ask --yes``, changes hundreds
of codings. An audit saw « rejette F4 sur le segment douze » reject 259 suggestions (the number
unread: a batch instead of one segment), « sous 50 » drop its threshold and « sous 1,5 » shrink it
to 0,015, « plus faibles que 0,4 » read as above 0,4, « chez les martiens » dropped (the whole
corpus). Such an order is not proposed: the answer says what was not understood.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from tzcld_qual.chat.normalize import STOPWORDS, parse_decimal
from tzcld_qual.chat.slots import LARGEST_ID, Extraction

ORDERS = frozenset({"accept_batch", "reject", "code_segment"})  # the intents that change codings


@dataclass(frozen=True, slots=True)
class Doubt:
    """One thing an order says that was not read exactly: ``kind`` names it, ``words`` quotes it."""

    kind: str  # segment | segments | codes | number | threshold | bound | words | segment_filter
    words: str = ""


# Words an order may hold besides its verb, codes, filters and numbers.
_FILLERS = frozenset(
    """suggestion suggestions suggere suggeres suggerees proposition propositions toutes tous tout toute all every
    code codes confiance confidence seuil threshold score scores probabilite avec with of for to on in at as
    segment segments seg numero number id au aux dessus dessous sous above below under over less more than lower higher
    superieur superieure superieures superieurs inferieur inferieure inferieures inferieurs plus moins least
    egal egale equal sup inf ou or ce cet cette this that dernier derniere premier premiere deuxieme second seconde
    troisieme last first modele model ensemble stp svp please merci thanks plait vous tu te maintenant now
    en chez parmi among from by dans entre alors ok okay bon bien hop allez vas y veuillez""".split()
)
# Before a threshold, words that turn or split it (« sauf au-dessus de », « pas en dessous de »,
# « plus faibles que », « entre 0,3 et 0,5 »): the bound is no longer a plain « sous » or « au-dessus ».
_TWISTS = frozenset(
    """sauf hormis excepte exceptees exceptes except excluding hors pas non not entre between faible faibles
    bas basse basses petit petite petites petits haut haute hautes fort forte fortes grand grande grandes
    que than""".split()
)
_SEGMENT_WORDS = frozenset({"segment", "segments", "seg"})


def doubts(
    question: str, extraction: Extraction, slots: Mapping[str, object], cue_tokens: set[int]
) -> tuple[Doubt, ...]:
    """What in the order ``question`` was not read exactly (empty: it can be proposed)."""
    toks = extraction.tokens
    out: list[Doubt] = []
    segment_words = [i for i, t in enumerate(toks) if t.folded in _SEGMENT_WORDS]
    if segment_words and extraction.segment_id is None and "rank" not in slots:
        following = [toks[i + 1].folded for i in segment_words if i + 1 < len(toks)]
        out.append(Doubt("segment", " ".join(following[:1])))
    if any(toks[i].folded == "segments" for i in segment_words) and extraction.segment_id is not None:
        out.append(Doubt("segments"))
    code = slots.get("code")
    related = (code, code.split(".")[0]) if isinstance(code, str) else ()
    others = [
        c for c in extraction.codes if c not in related and not (isinstance(code, str) and c.startswith(code + "."))
    ]
    if others:
        out.append(Doubt("codes", ", ".join(others)))
    if extraction.segment_id is not None and extraction.values:
        out.append(Doubt("segment_filter", ", ".join(v for _a, v in extraction.values)))
    out += _numbers(question, extraction)
    unread = [
        question[t.start : t.end]
        for i, t in enumerate(toks)
        if i not in extraction.consumed
        and i not in cue_tokens
        and t.folded not in STOPWORDS
        and t.folded not in _FILLERS
        and not t.folded[0].isdigit()
    ]
    unread = [w for w in unread if not any(d.kind == "segment" and d.words == w.lower() for d in out)]
    if unread:
        out.append(Doubt("words", " ".join(unread)))
    return tuple(dict.fromkeys(out))


def _numbers(question: str, extraction: Extraction) -> list[Doubt]:
    """Numbers that are neither the segment's id nor a threshold between 0 and 1 (« 0,6 », « 60 % »),
    and a threshold whose bound is twisted."""
    toks = extraction.tokens
    out: list[Doubt] = []
    threshold = _threshold_index(extraction) if extraction.threshold is not None else None
    segment_seen = False
    for i, tok in enumerate(toks):
        if not tok.folded[0].isdigit():
            continue
        raw = question[tok.start : tok.end]
        if not segment_seen and _is_segment_id(extraction, i):
            segment_seen = True
            continue
        if i == threshold:
            negative = question[: tok.start].rstrip().endswith("-")
            if negative or not _fraction(raw):
                out.append(Doubt("number", ("-" if negative else "") + raw))
            twist = next((j for j in range(max(0, i - 4), i) if toks[j].folded in _TWISTS), None)
            if twist is not None:
                out.append(Doubt("bound", question[toks[twist].start : tok.end]))
        elif i not in extraction.consumed:  # « demo-03 », « vague 2 »: part of a name, read with it
            out.append(Doubt("threshold" if threshold is not None and _fraction(raw) else "number", raw))
    return out


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
    if text.endswith("%"):
        value = parse_decimal(text)
        return value is not None
    if not re.fullmatch(r"\d+[.,]\d+", text):
        return False
    return 0 <= float(text.replace(",", ".")) <= 1
