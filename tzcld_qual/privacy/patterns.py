"""Regular expressions for the structured identifiers the NER does not see.

French phone numbers, e-mail addresses, postal addresses (street lines, "BP", postcode and
town), dates of birth ("né le 3 mars 1971", "née en 1968": only the date is replaced, so the
sentence still reads), social-security numbers (NIR), social-network handles ("@nath_faure49")
and the addresses of profiles on social networks ("facebook.com/nathalie.faure.49"). Other web
addresses are identifiers only when they hold a name the project replaces: the pseudonymiser
decides that with :func:`links`.
"""

from __future__ import annotations

import re

from tzcld_qual.privacy.spans import PATTERN, Found, Kind

_UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ"
_WORD = rf"[{_UP}][\w'’-]*"
_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"

PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?[1-9]|0[1-9])(?:[\s.\-]?\d{2}){4}(?!\d)")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")

# NIR: sex (1, 2; 3, 4, 7, 8 for temporary numbers), year, month (or 20-99 when unknown), département
# (2A/2B in Corsica), commune, order, then the 2-digit key (often left out when said): spaces optional.
NIR = re.compile(
    r"(?<![\w+])[1-478]\s?\d{2}\s?(?:0[1-9]|1[0-2]|[2-9]\d)\s?(?:\d{2}|2[ABab])\s?\d{3}\s?\d{3}(?:\s?\d{2})?(?![\w])"
)
HANDLE = re.compile(r"(?<![\w@.+-])@[A-Za-z0-9_](?:[\w.]*[A-Za-z0-9_])?(?![\w@-])")
_TLD = "fr|com|org|net|eu|info|io|be|ch|ca|me|co|tv|re|blog|site|online"
LINK = re.compile(
    rf"(?<![\w@./-])(?:https?://)?(?:www\.)?(?P<host>(?:[A-Za-z0-9-]+\.)+(?:{_TLD}))(?![\w-])"
    r"(?P<path>/[^\s,;!?)\]»\"“”]*[^\s,;!?)\]»\"“”.:])?"
)
_PROFILE_HOSTS = frozenset(
    "facebook.com fb.com instagram.com linkedin.com twitter.com x.com tiktok.com youtube.com snapchat.com "
    "threads.net bsky.app pinterest.com".split()
)

_STREET_TYPES = (
    "rue|avenue|av\\.|boulevard|bd|place|impasse|allée|allee|chemin|route|quai|cours|square|faubourg|passage|"
    "sentier|voie|rond-point|esplanade|parvis|promenade|ruelle|venelle|montée|montee|sente"
)
# Areas are places ("le hameau de Kerlouan"); they make an address only with a number or a postcode.
_AREA_TYPES = (
    "lotissement|résidence|residence|cité|cite|hameau|clos|lieu-dit|lieudit|ZA|ZI|ZAC|zone\\s+artisanale|"
    "zone\\s+industrielle|zone\\s+d['’]activités?"
)
_CONNECT = r"(?:de\s+la|de\s+l['’]|du|des|de|d['’]|la|le|les|l['’]|aux|au|et|sur|sous|en)"
_NAME_RUN = rf"(?:{_CONNECT}\s*)?{_WORD}(?:[\s-]+(?:{_CONNECT}\s*)?{_WORD}){{0,4}}"
_NUMBER = r"\d{1,4}(?:\s?(?:bis|ter|b|a))?,?"
STREET = re.compile(  # "au cours de", "à la place de" are not streets
    rf"(?:(?<!\d){_NUMBER}\s+)?(?<![\w-])(?<![àa]u\s)(?<![àa]\sla\s)(?:(?i:{_STREET_TYPES}))\s+{_NAME_RUN}"
)
AREA = re.compile(rf"(?:(?<!\d)(?P<number>{_NUMBER})\s+)?(?<![\w-])(?:(?i:{_AREA_TYPES}))\s+{_NAME_RUN}")
POSTCODE_TOWN = re.compile(
    rf"(?<!\d)\d{{2}}\s?\d{{3}}(?!\d)\s+{_WORD}(?:[\s-]+(?:{_CONNECT}[\s-]+)?{_WORD}){{0,3}}(?:\s+(?i:cedex)(?:\s+\d+)?)?"
)
POSTBOX = re.compile(r"(?<!\w)(?:B\.?\s?P\.?|C\.?\s?S\.?|(?i:boîte\s+postale))\s*\d{1,6}(?!\d)")
_DATE = (
    rf"(?:(?:1er|\d{{1,2}})\s+(?i:{_MONTHS})\s+\d{{4}}"
    rf"|\d{{1,2}}\s?[/.\-]\s?\d{{1,2}}\s?[/.\-]\s?(?:\d{{4}}|\d{{2}})"
    rf"|(?i:{_MONTHS})\s+\d{{4}}"
    rf"|\d{{4}}|['’]?\d{{2}})"
)
BIRTH = re.compile(
    rf"(?i:\bn[ée]e?s?\b(?:\s+(?:à|a|au|en)\s+{_WORD}(?:[\s-]+{_WORD}){{0,2}})?\s+(?:le|en|au\s+mois\s+de|dans\s+les\s+années)\s+"
    rf"|date\s+de\s+naissance\s*:?\s*(?:le\s+)?|\bdate\s+of\s+birth\s*:?\s*)(?P<date>{_DATE})(?!\d)"
)


def find_structured(text: str) -> list[Found]:
    """Phones, e-mails, postal addresses and dates of birth in ``text``."""
    found: list[Found] = []
    found += [Found(m.start(), m.end(), Kind.EMAIL, PATTERN) for m in EMAIL.finditer(text)]
    found += [Found(m.start(), m.end(), Kind.TELEPHONE, PATTERN) for m in PHONE.finditer(text)]
    found += [Found(m.start("date"), m.end("date"), Kind.DATE_NAISSANCE, PATTERN) for m in BIRTH.finditer(text)]
    found += [Found(m.start(), m.end(), Kind.NUMERO_SECU, PATTERN) for m in NIR.finditer(text)]
    found += [Found(m.start(), m.end(), Kind.COMPTE, PATTERN) for m in HANDLE.finditer(text)]
    found += [Found(start, end, Kind.LIEN, PATTERN) for start, end, profile in links(text) if profile]
    parts = [(m.start(), m.end(), True) for m in (*STREET.finditer(text), *POSTCODE_TOWN.finditer(text))]
    parts += [(m.start(), m.end(), True) for m in POSTBOX.finditer(text)]
    parts += [(m.start(), m.end(), m.group("number") is not None) for m in AREA.finditer(text)]
    found += [Found(s, e, Kind.ADRESSE, PATTERN) for s, e in _join_address_parts(text, parts)]
    return found


def links(text: str) -> list[tuple[int, int, bool]]:
    """Web addresses in ``text``: ``(start, end, profile)``, ``profile`` when it is someone's page
    on a social network (a path after facebook.com, linkedin.com…)."""
    out = []
    for m in LINK.finditer(text):
        host = m.group("host").lower().removeprefix("m.")
        out.append((m.start(), m.end(), host in _PROFILE_HOSTS and bool((m.group("path") or "").strip("/"))))
    return out


def _join_address_parts(text: str, parts: list[tuple[int, int, bool]]) -> list[tuple[int, int]]:
    """ "12 rue des Lilas, BP 4, 49350 Montclar" is one address: parts separated by a comma join.

    A group made only of unnumbered areas ("hameau de Kerlouan") is a place, not an address.
    """
    merged: list[tuple[int, int, bool]] = []
    for start, end, sure in sorted(parts):
        if merged and (start < merged[-1][1] or re.fullmatch(r"[\s,–-]*", text[merged[-1][1] : start])):
            m_start, m_end, m_sure = merged[-1]
            merged[-1] = (m_start, max(end, m_end), sure or m_sure)
        else:
            merged.append((start, end, sure))
    return [(s, e) for s, e, sure in merged if sure]
