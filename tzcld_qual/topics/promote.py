"""Turning a topic into a draft code, and the codebook YAML that holds it.

The draft is a starting point for the analyst: a definition that says where it comes from, the
topic's keyphrases as typical expressions (lemmas, which the lexicon coder matches), its most
typical segments as examples, and the nearest existing code named in the exclusion so the
boundary gets written. The YAML is the project's current codebook text with the new code block
inserted where it belongs (after its parent's sub-codes), comments and layout kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence

from tzcld_qual.codebook import parse_codebook
from tzcld_qual.codebook_yaml import code_yaml, dump_codebook
from tzcld_qual.errors import CodebookError, Text, UsageError
from tzcld_qual.model import Code, Codebook
from tzcld_qual.topics.result import Topic

_ID = re.compile(r"^[A-Za-z][\w\-]*(\.[\w\-]+)*$")
PALETTE = ("#7f7f7f", "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
           "#e6550d", "#31a354", "#756bb1", "#636363")


def draft_code(
    topic: Topic,
    codebook: Codebook,
    run_id: str,
    *,
    parent: str | None = None,
    code_id: str | None = None,
    label: str | None = None,
    taken: Collection[str] = (),
) -> Code:
    """A new code (a sub-code of ``parent`` when given) drafted from ``topic``.

    ``taken``: code ids the project has used besides ``codebook``'s (codings, memos, earlier
    promotions and codebook versions). None is given again: a removed code's suggestions stay
    stored under its id, and a new code under that id took them in as its own.
    """
    if parent is not None:
        parent_code = codebook.get(parent)
        if parent_code is None:
            raise UsageError(Text("code parent « {parent} » absent du codebook.",
                                  "parent code « {parent} » is not in the codebook."),
                             Text("Choisissez un code de premier niveau parmi : {ids}.",
                                  "Choose a top-level code among: {ids}."),
                             parent=parent, ids=", ".join(codebook.top_ids))
        if parent_code.parent is not None:
            raise UsageError(Text("« {parent} » est déjà un sous-code : deux niveaux au plus.",
                                  "« {parent} » is already a sub-code: two levels at most."),
                             Text("Prenez son parent, {top}.", "Use its parent, {top}."),
                             parent=parent, top=parent_code.parent)
    title = " ".join((label or "").split())
    if len(title) > LABEL_WIDTH:
        raise UsageError(Text("libellé trop long ({n} caractères, {max} au plus) : il nomme le code, la "
                              "définition dit le reste.",
                              "label too long ({n} characters, at most {max}): it names the code, the "
                              "definition says the rest."),
                         Text("Donnez un --label plus court.", "Give a shorter --label."),
                         n=len(title), max=LABEL_WIDTH)
    if title and (same := _same_label(codebook, title)) is not None:
        raise UsageError(Text("le libellé « {label} » est déjà celui du code {id}.",
                              "label « {label} » is already code {id}'s."),
                         Text("Donnez un autre --label, ou codez avec {id}.",
                              "Give another --label, or code with {id}."), label=title, id=same)
    new_id = code_id or _default_id(topic, codebook, parent, label, taken)
    if new_id in codebook:
        raise UsageError(Text("le code « {id} » existe déjà.", "code « {id} » already exists."),
                         Text("Donnez un autre identifiant avec --id.", "Give another id with --id."), id=new_id)
    if new_id in taken:
        raise UsageError(Text("l'identifiant « {id} » a déjà servi dans ce projet (un code retiré du codebook, "
                              "dont les codages ou mémos restent enregistrés) : le reprendre mêlerait les deux "
                              "codes.",
                              "id « {id} » was already used in this project (a code removed from the codebook, "
                              "whose codings or memos are still stored): reusing it would mix both codes."),
                         Text("Donnez un autre identifiant avec --id.", "Give another id with --id."), id=new_id)
    if not _ID.match(new_id):
        raise UsageError(Text("identifiant de code invalide « {id} » (lettres, chiffres, _ et . seulement).",
                              "invalid code id « {id} » (letters, digits, _ and . only)."), None, id=new_id)
    if parent is not None and not new_id.startswith(f"{parent}."):
        raise UsageError(Text("un sous-code de {parent} doit s'appeler « {parent}.quelque_chose ».",
                              "a sub-code of {parent} must be named « {parent}.something »."), None,
                         parent=parent)
    if parent is None and "." in new_id:
        raise UsageError(Text("« {id} » ressemble à un sous-code : précisez --parent.",
                              "« {id} » looks like a sub-code: give --parent."), None, id=new_id)
    phrases = topic.keyphrases
    if not title:  # drafted from the keyphrases: said apart from a code that has them as its label
        title = _label(phrases) or f"Thème {topic.id}"
        if _same_label(codebook, title) is not None:
            title = f"{title} (thème {topic.id} de {run_id})"
    about = ", ".join(phrases[:5]) or title
    nearest = topic.nearest_code
    exclusion: tuple[str, ...] = ()
    if nearest is not None and topic.nearest_similarity is not None:
        exclusion = (f"Code existant le plus proche : {nearest} (similarité {topic.nearest_similarity:.2f}) ; "
                     f"préciser la frontière avec {nearest}",)
    return Code(
        id=new_id,
        label=title,
        parent=parent,
        color=_colour(codebook, parent),
        definition=(f"Brouillon issu du thème {topic.id} ({run_id}, {topic.size} segments) : segments où la "
                    f"personne parle {_de(about)}. À relire : préciser la définition, l'inclusion et "
                    "l'exclusion avant de coder."),
        exclusion=exclusion,
        expressions=tuple(phrases),
        examples=tuple(q.text for q in topic.quotes),
    )


def add_code(content: str, codebook: Codebook, code: Code, comment: str) -> tuple[str, Codebook]:
    """The codebook YAML ``content`` with ``code`` added, and the codebook it parses to.

    The block is inserted in place (after the parent's last sub-code, or at the end) so comments
    and layout survive; a codebook written in another layout is rewritten whole instead.
    """
    header = "".join(f"# {line}\n" for line in comment.splitlines())
    text = header + _insert(content, codebook, code)
    parsed = _parse(text)
    if parsed is None or parsed.get(code.id) is None or len(parsed.codes) != len(codebook.codes) + 1:
        text = header + dump_codebook(_with_code(codebook, code))
        parsed = _parse(text)
        if parsed is None or parsed.get(code.id) is None:
            raise CodebookError(Text("impossible d'écrire le codebook avec le code {id}.",
                                     "could not write the codebook with code {id}."), None, id=code.id)
    return text, parsed


def _insert(content: str, codebook: Codebook, code: Code) -> str:
    lines = content.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    first = codebook.codes[0].line if codebook.codes else None
    indent = len(lines[first - 1]) - len(lines[first - 1].lstrip(" ")) if first and first <= len(lines) else 2
    block = code_yaml(code, indent)
    at = _next_top_level_line(codebook, code.parent)
    if at is None:
        while lines and not lines[-1].strip():
            lines.pop()
        return "".join(lines) + "\n" + block
    index = at - 1
    while index > 0 and lines[index - 1].lstrip().startswith("#"):
        index -= 1  # keep a comment above the next code with that code
    return "".join(lines[:index]) + block + "\n" + "".join(lines[index:])


def _next_top_level_line(codebook: Codebook, parent: str | None) -> int | None:
    """Line of the first top-level code after ``parent``'s group (None: append at the end)."""
    if parent is None:
        return None
    codes = codebook.codes
    start = next(i for i, c in enumerate(codes) if c.id == parent)
    for c in codes[start + 1:]:
        if c.parent is None:
            return c.line
    return None


def _parse(text: str) -> Codebook | None:
    """The stored version with the new code; as lenient as stored versions are read (a key an
    older version gave twice is the project's, not this promotion's)."""
    try:
        return parse_codebook(text, "<projet>", strict=False)
    except CodebookError:
        return None


def _with_code(codebook: Codebook, code: Code) -> Codebook:
    codes = list(codebook.codes)
    at = len(codes)
    if code.parent is not None:
        start = next(i for i, c in enumerate(codes) if c.id == code.parent)
        at = next((i for i in range(start + 1, len(codes)) if codes[i].parent is None), len(codes))
    codes.insert(at, code)
    return Codebook(name=codebook.name, version=codebook.version, codes=tuple(codes), language=codebook.language,
                    description=codebook.description, source=codebook.source)


LABEL_WIDTH = 80  # the codebook's labels run to 60 characters


def _same_label(codebook: Codebook, label: str) -> str | None:
    """The code of ``codebook`` labelled ``label`` (case and accents aside), if any."""
    key = _slug(label)
    return next((c.id for c in codebook.codes if key and _slug(c.label) == key), None)


def _label(phrases: Sequence[str]) -> str:
    words = ", ".join(phrases[:3])
    return words[:1].upper() + words[1:]


def _de(phrase: str) -> str:
    """« de » before ``phrase`` as French writes it: « d'hiver », « d'État », « du maire », « des
    réunions », but « de hasard » (h aspiré) and « de saisons »."""
    lower = phrase.casefold()
    if lower.startswith("le "):
        return "du " + phrase[3:]
    if lower.startswith("les "):
        return "des " + phrase[4:]
    if lower[:1] in _VOWELS or (lower[:1] == "h" and not lower.startswith(_H_ASPIRE)):
        return "d'" + phrase
    return "de " + phrase


_VOWELS = frozenset("aeiouàâäéèêëîïôöùûüœæ")
# Words whose h is aspirated (no elision: « de haut en bas », « de honte »), by their beginning.
_H_ASPIRE = ("hache", "haie", "haine", "hall", "halte", "hamac", "hameau", "hanche", "handicap", "hangar", "hant",
             "harcel", "harcèl", "hardi", "hareng", "haricot", "hargn", "harp", "hasard", "hâte", "hâti", "hauss",
             "haut", "hérisson", "hernie", "héros", "hibou", "hiérarch", "hisse", "hockey", "hollande", "homard",
             "hongr", "honte", "honteu", "hoquet", "hors", "housse", "hublot", "huit", "hurl", "hutte")


def _slug(text: str) -> str:
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")


_SLUG_WIDTH = 40  # an id from a long label keeps its first words


def _label_slug(label: str | None) -> str:
    """``label`` as an id: accent-free words joined by ``_``, cut between words."""
    words = _slug(label or "").split("_")
    out = ""
    for word in (w for w in words if w):
        if out and len(out) + 1 + len(word) > _SLUG_WIDTH:
            break
        out = f"{out}_{word}" if out else word[:_SLUG_WIDTH]
    return out


def _default_id(topic: Topic, codebook: Codebook, parent: str | None, label: str | None = None,
                taken: Collection[str] = ()) -> str:
    """A sub-code: ``<parent>.<label>`` from the analyst's ``label`` when given (« Entrée par le
    bouche-à-oreille » → ``F1.entree_par_le_bouche_a_oreille``), else ``<parent>.<first
    keyphrase>``. A top-level code: the first free ``T<n>`` (T for thème), as the findings are
    ``F<n>``: the chat reads ids of that shape (« combien de segments T1 ? »), and
    ``hiver_et_saisons`` it did not. A name already taken (in ``codebook`` or ``taken``) gets
    ``_2``, ``_3``…"""
    if parent is not None:
        name = _label_slug(label) or (_slug(topic.keyphrases[0]) if topic.keyphrases else "")
        return _free(f"{parent}.{name}" if name else f"{parent}.theme{topic.id}", codebook, taken)
    n = 1
    while f"T{n}" in codebook or f"T{n}" in taken:
        n += 1
    return f"T{n}"


def _free(base: str, codebook: Codebook, taken: Collection[str] = ()) -> str:
    candidate, n = base, 2
    while candidate in codebook or candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def _colour(codebook: Codebook, parent: str | None) -> str:
    """A sub-code takes a lighter shade of its parent; a new theme the first unused palette colour."""
    if parent is not None:
        base = (codebook.get(parent) or Code(parent, parent, "-")).color
        r, g, b = (int(base[i:i + 2], 16) for i in (1, 3, 5))
        return "#{:02x}{:02x}{:02x}".format(*(round(c + (255 - c) * 0.45) for c in (r, g, b)))
    used = {c.color.lower() for c in codebook.codes}
    return next((c for c in PALETTE if c not in used), PALETTE[0])
