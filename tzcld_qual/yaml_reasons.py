"""Why PyYAML refused a file, in the analyst's words and at the line to fix.

PyYAML (C or Python loader, in slightly different words) explains a slip in parser terms: « found
character '\\t' that cannot start any token », « expected <block end>, but found '?' ». The usual
slips of someone editing a codebook by hand are said here in French; English mode keeps PyYAML's
own words, and an unusual problem keeps them too, in brackets, rather than a wrong guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from tzcld_qual.errors import ui_language

LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # YAML's line breaks, as its marks count them
_QUOTE = "mettez le texte entre guillemets"
_INDENT = "l'indentation ne correspond pas à celle des lignes voisines"
_TAB = "une tabulation (indentez avec des espaces)"


@dataclass(frozen=True, slots=True)
class _Slip:
    """PyYAML's words (any of them, C or Python loader) and what they mean in a codebook; an
    ``{opened}`` in the French is the line where PyYAML's context (a bracket) began (no other
    braces are read: the texts quote « { » and PyYAML's words may hold any)."""

    words: tuple[str, ...]
    french: str


_SLIPS = (
    _Slip(("tab character",), _TAB),
    _Slip(("could not find expected ':'",), "un « : » manque après un nom de champ"),
    _Slip(("expected '-' indicator", "collection: expected <block end>"), "un élément de liste « - » est mal aligné"),
    _Slip(("did not find expected key", "expected <block end>"), _INDENT),
    _Slip(("mapping values are not allowed", "found unexpected ':'"), f"un « : » de trop dans une valeur ({_QUOTE})"),
    _Slip(("sequence entries are not allowed",), "un « - » de liste là où une valeur est attendue (indentation ?)"),
    _Slip(("found undefined alias",), f"un « * » en début de valeur ({_QUOTE})"),
    _Slip(("found duplicate anchor",), f"un « & » en début de valeur ({_QUOTE})"),
    _Slip(("alphabetic or numeric character",), f"un « * » ou un « & » en début de valeur ({_QUOTE})"),
    _Slip(("constructor for the tag", "found undefined tag handle"), f"un « ! » en début de valeur ({_QUOTE})"),
    _Slip(("expected ',' or ']'",), "le crochet « [ » de la ligne {opened} n'est pas refermé (ou une virgule manque)"),
    _Slip(("expected ',' or '}'",), "l'accolade « { » de la ligne {opened} n'est pas refermée (ou une virgule manque)"),
    _Slip(
        ("unknown escape character",),
        "une barre oblique inverse « \\ » entre guillemets doubles ne forme pas une séquence connue "
        "(écrivez \\\\ à la place, ou mettez le texte entre guillemets simples)",
    ),
    _Slip(("hexdecimal number", "hexadecimal numbers"), "un code \\x, \\u ou \\U incomplet entre guillemets doubles"),
    _Slip(
        ("another document", "unexpected document"),
        f"une ligne « --- » ou « ... » coupe le fichier en deux documents ({_QUOTE})",
    ),
    _Slip(("node content",), f"une valeur manque, ou commence par un caractère réservé ({_QUOTE})"),
    _Slip(("document start",), "du texte en trop au premier niveau (indentation ?)"),
    _Slip(("found unhashable key",), "une clé entre [ ] ou { } : un nom de champ est un simple mot"),
    _Slip(("comment or a line break", "comment or line break"), f"du texte inattendu en fin de ligne ({_QUOTE})"),
    _Slip(("nesting depth",), "trop de crochets ou d'accolades imbriqués"),
)


def yaml_reason(error: yaml.YAMLError, text: str) -> tuple[str, int | None]:
    """The reason for ``error`` in the user's language, and the 1-based line to fix."""
    if isinstance(error, yaml.reader.ReaderError):  # its position is in bytes for libyaml, characters otherwise
        before = text[: max(text.find(chr(error.character)), 0)]
        french = (
            f"un caractère de contrôle (code {error.character}) n'a pas sa place dans un fichier texte ; supprimez-le"
        )
        return _in_language(french, str(error.reason)), len(LINE_BREAK.split(before))
    if not isinstance(error, yaml.MarkedYAMLError):
        return _in_language(f"erreur de syntaxe ({type(error).__name__})", type(error).__name__), None
    problem = str(error.problem or error)
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else None
    opened = error.context_mark.line + 1 if error.context_mark else line
    if "end of stream" in problem and "quoted scalar" in str(error.context or ""):
        # PyYAML stops at the end of the file; the quote to close opened on line ``opened``
        return _in_language("un guillemet ouvert à cette ligne n'est jamais refermé", problem), opened
    return _said(problem, str(error.context or ""), _character_at(mark, text), opened), line


def _said(problem: str, context: str, char: str, opened: int | None) -> str:
    """``problem`` in French (in English mode, PyYAML's own words); ``context`` is what PyYAML
    was reading (« while parsing a block collection »), ``char`` the character it stopped at,
    ``opened`` the line where that context began."""
    if char == "\t":
        return _in_language(_TAB, problem)
    said = f"{context}: {problem}"
    for slip in _SLIPS:
        if any(words in said for words in slip.words):
            return _in_language(slip.french.replace("{opened}", str(opened)), problem)
    if "cannot start any token" in problem:
        return _in_language(f"le caractère « {char} » ne peut pas commencer une valeur ({_QUOTE})", problem)
    return _in_language(f"erreur de syntaxe ({problem})", problem)


def _in_language(french: str, english: str) -> str:
    """French, or PyYAML's English words, as the user's locale says; neither is a template."""
    return english if ui_language() == "en" else french


def _character_at(mark: yaml.Mark | None, text: str) -> str:
    """The character a mark points at ("" when it points past a line)."""
    if mark is None:
        return ""
    lines = LINE_BREAK.split(text)
    if mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]
