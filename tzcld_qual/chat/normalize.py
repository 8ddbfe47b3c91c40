"""Questions as analysts type them: accents or not, typos, French numbers ("cinq", "0,9").

Everything the chat matches is first *folded* (lower case, no accents, plain apostrophes), so
"Réentraîne", "reentraine" and "RÉENTRAÎNE" are the same word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_APOSTROPHES = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "ʼ": "'",
        "«": " ",
        "»": " ",
        "“": " ",
        "”": " ",
        "\u00a0": " ",
        "\u202f": " ",
        "–": "-",
        "—": "-",
    }
)
_TOKEN = re.compile(
    r"\d+(?:er|re|ère|ere|ème|eme|e|nd|rd|st|th)\b|\d+(?:[.,]\d+)?(?:\s*%)?"
    r"|[^\W\d][\w·]*(?:\.[^\W\d][\w·]*)?|\d+"
)

NUMBER_WORDS: dict[str, int] = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "cent": 100,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "fifty": 50,
    "hundred": 100,
    "dizaine": 10,
    "douzaine": 12,
    "quinzaine": 15,
    "vingtaine": 20,
    "few": 3,
    "quelques": 3,
}

STOPWORDS = frozenset(
    "le la les l de des du d un une a au aux en et ou sur dans par pour avec chez ce cet cette ces qui que "
    "qu quoi est sont il elle ils elles on se s y me m moi te t nous vous leur leurs son sa ses mon ma mes ca cela "
    "the of to in on for and or a an is are do does did with about by at from this that these those "
    "me my i you it its their there".split()
)

_ENGLISH = frozenset(
    "how many what which who why show give me the of in about interviews quotes mention mentions talk "
    "talks compare between and with appear codes segment segments accept retrain help share does do is "
    "are people respondents among elected employees workers rights find search open code suggestions "
    "above over uncertain themes topics topic what's whats refresh territories territory roles role rounds "
    "round economic financial security model most common frequent by on per reject below under dismiss "
    "would could can you please".split()
)
_FRENCH = frozenset(
    "combien de des les le la du entretiens citations parle parlent evoquent compare entre et avec "
    "apparaissent codes segment segments accepte reentraine aide part quelle quels quelles qui pourquoi "
    "montre moi donne chez sur au dessus suggestions incertains themes ce cette est sont en ou "
    # the review's words: « segments relus sans code » was answered in English
    "sans aucun aucune relu relus relue relues revu revus revue revues marques marque non ai je dans".split()
)


def fold(text: str) -> str:
    """Lower case, accents removed, typographic quotes and dashes made plain, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("·", "").replace("œ", "oe").replace("æ", "ae")
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the question: its folded form and where it is in the original text."""

    folded: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Words with their offsets; keeps code ids (``F3.formation``) and decimals (``0,9``) whole."""
    text = text.translate(_APOSTROPHES)
    return [Token(fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def tokens(text: str) -> list[str]:
    """Folded words of ``text`` (see :func:`tokenize`)."""
    return [t.folded for t in tokenize(text)]


def content_tokens(text: str) -> list[str]:
    """:func:`tokens` without function words (for matching names and labels)."""
    return [t for t in tokens(text) if t not in STOPWORDS]


def number_word(token: str) -> int | None:
    """``"cinq"`` → 5, ``"12"`` → 12; ``None`` for anything else."""
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)


def parse_decimal(text: str) -> float | None:
    """``"0,9"`` / ``"0.9"`` / ``"90 %"`` → 0.9 (a percentage becomes a fraction)."""
    match = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*(%?)\s*", text)
    if not match:
        return None
    value = float(match.group(1).replace(",", "."))
    if match.group(2) or value > 1:
        value /= 100
    return value if 0 <= value <= 1 else None


def detect_language(text: str) -> str:
    """``"en"`` when the question reads as English, else ``"fr"`` (French first)."""
    words = tokens(text)
    english = sum(w in _ENGLISH for w in words)
    french = sum(w in _FRENCH for w in words)
    return "en" if english > french else "fr"
