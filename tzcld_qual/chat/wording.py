"""How answers read in French and in English: numbers, shares, code names, citations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tzcld_qual.attribute_labels import attribute_label
from tzcld_qual.chat.filters import Filters, shown
from tzcld_qual.model import Codebook

UNIT_LABELS: dict[str, tuple[str, str]] = {
    "documents": ("entretiens", "interviews"),
    "respondents": ("répondants", "respondents"),
    "segments": ("segments", "segments"),
}


def say(lang: str, fr: str, en: str) -> str:
    return en if lang == "en" else fr


def share(part: int, total: int, lang: str) -> str:
    """``"3/4 (75 %)"``; ``"0/0"`` when there is nothing to divide by."""
    if not total:
        return f"{part}/{total}"
    return f"{part}/{total} ({percent(part, total, lang)})"


def percent(part: int, total: int, lang: str) -> str:
    """``"12 %"``; ``"<1 %"`` for a few out of many (« 3/862 (0 %) » read as none)."""
    if not total:
        return "—"
    pct = round(100 * part / total)
    shown = "<1" if part and not pct else str(pct)
    return f"{shown} %" if lang == "fr" else f"{shown}%"


def decimal(value: float | None, lang: str, digits: int = 2) -> str:
    if value is None:
        return "—"
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "fr" else text


def whose(origins: Sequence[str], lang: str) -> str:
    """Who made suggestions, after « de » / « of »: « du modèle ensemble@3 », « du thème promu
    topics@2 », « du modèle ensemble@3 et des thèmes promus topics@1, topics@2 »; « — » for none."""
    models = [o for o in origins if not o.startswith("topics@")]
    themes = [o for o in origins if o.startswith("topics@")]
    parts = []
    if models:
        parts.append(("du modèle " if lang == "fr" else "model ") + ", ".join(models))
    if themes:
        if lang == "fr":
            parts.append(("du thème promu " if len(themes) == 1 else "des thèmes promus ") + ", ".join(themes))
        else:
            parts.append(("promoted theme " if len(themes) == 1 else "promoted themes ") + ", ".join(themes))
    joined = (" et " if lang == "fr" else " and ").join(parts)
    return joined or "—"


def code_name(codebook: Codebook, code_id: str) -> str:
    """``"F3.formation (Droits à la formation)"``; just the id for a code not in the codebook."""
    code = codebook.get(code_id)
    return f"{code_id} ({code.label})" if code else code_id


def unit_label(unit: str, lang: str) -> str:
    fr, en = UNIT_LABELS[unit]
    return say(lang, fr, en)


def filters_text(filters: Filters, lang: str) -> str:
    """``" (rôle = salarié·e EBE ou partenaire, vague = tout sauf vague 3)"``, or ``""`` with no filter."""
    if not filters:
        return ""
    parts = ", ".join(f"{attribute_label(a, lang)} = {shown(v, lang)}" for a, v in filters.items())
    return f" ({parts})"


def citation(document: str, speaker: str, segment_id: int) -> str:
    return f"[{document} · {speaker} · {segment_id}]"


def attributes_text(attributes: Mapping[str, str]) -> str:
    """The speaker's main attributes (role, territory, round); other attributes stay in the quote."""
    order = [k for k in ("role", "territory", "round") if attributes.get(k)]
    if not order:
        order = sorted(k for k in attributes if attributes[k])[:3]
    return ", ".join(attributes[k] for k in order)


def counted(count: int, one: str, many: str) -> str:
    """« 1 entretien », « 0 entretien », « 3 entretiens » (French: 0 and 1 are singular)."""
    return f"{count} {one if count <= 1 else many}"
