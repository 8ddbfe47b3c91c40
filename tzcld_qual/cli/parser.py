"""The command-line parser, whose help and usage errors speak the user's language.

argparse words its headings and errors in English through gettext, and Python ships no French
catalogue for it. Its headings are four (« usage : », « arguments : », « options : », the -h
line) and each parser sets them in the user's language; the errors a user meets are few, so they
are translated here, pattern by pattern. The commands' own help texts come in both languages
through :func:`tr`.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn, TypeVar, cast

from tzcld_qual.errors import ui_language

_FRENCH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^the following arguments are required: (.*)$", r"arguments obligatoires manquants : \1"),
        (r"^unrecognized arguments: (.*)$", r"arguments non reconnus : \1"),
        (r"^one of the arguments (.*) is required$", r"l'un de ces arguments est obligatoire : \1"),
        (r"^invalid choice: (.*) \(choose from (.*)\)$", r"choix invalide : \1 (au choix : \2)"),
        (r"^invalid (\w+) value: (.*)$", r"valeur invalide (\1 attendu) : \2"),
        (r"^expected one argument$", "une valeur attendue"),
        (r"^expected at least one argument$", "au moins une valeur attendue"),
        (r"^expected at most one argument$", "au plus une valeur attendue"),
        (r"^not allowed with argument (.*)$", r"incompatible avec l'argument \1"),
        (r"^ambiguous option: (.*) could match (.*)$", r"option ambiguë : \1 peut désigner \2"),
        (r"^ignored explicit argument (.*)$", r"valeur ignorée : \1"),
    )
)
_ARGUMENT = re.compile(r"^argument (\S+): (.*)$")
_Action = TypeVar("_Action", bound=argparse.Action)
_POSITIONALS = {"project": "PROJECT", "file": "FILE", "files": "FILES", "question": "QUESTION"}
_PLACEHOLDERS = {
    "PROJECT": "PROJET",
    "FILES": "FICHIERS",
    "FILE": "FICHIER",
    "NAME": "NOM",
    "COMMAND": "COMMANDE",
    "OTHER": "AUTRE",
    "OUT": "SORTIE",
    "WORD": "MOT",
    "LABEL": "LIBELLÉ",
    "RUN": "ANALYSE",
    "MODEL_ID": "ID_MODÈLE",
    "TOPIC_ID": "ID_THÈME",
    "CODER": "CODEUR",
    "ORIGIN": "ORIGINE",
    "ATTRIBUTES": "ATTRIBUTS",
    "ALLOW_FILE": "FICHIER_AUTORISÉS",
    "TEXT": "TEXTE",
    "ROUND": "VAGUE",
}
_PLACEHOLDER = re.compile(r"\b(?:" + "|".join(sorted(_PLACEHOLDERS, key=len, reverse=True)) + r")\b")


def tr(fr: str, en: str) -> str:
    """A help text in the user's language (French unless asked for English), chosen when the parser
    is built."""
    return en if ui_language() == "en" else fr


def add_force(parser: argparse.ArgumentParser) -> None:
    """``--force`` of the commands that write files an analyst names (``report``, ``export``)."""
    parser.add_argument(
        "--force",
        action="store_true",
        help=tr(
            "remplace un fichier de sortie existant qui n'est pas exactement ce que tzcld-qual y a écrit : "
            "celui d'un autre outil, un rapport ou un tableau modifié depuis (des notes ajoutées), ou un "
            "fichier qu'il ne reconnaît pas (écrit par une version antérieure de tzcld-qual) ; "
            "sans --force, seul ce qu'il a écrit et que personne n'a modifié est remplacé",
            "replace an existing output file that is not exactly what tzcld-qual wrote there: another "
            "tool's, a report or table changed since (notes added), or a file it does not recognise "
            "(written by an earlier version of tzcld-qual); without --force, only what it wrote "
            "and nobody changed is replaced",
        ),
    )


def french(message: str) -> str:
    """argparse's English error message in French (unchanged if it is not one of its own)."""
    nested = _ARGUMENT.match(message)
    if nested:
        return f"argument {nested.group(1)} : {french(nested.group(2))}"
    for pattern, replacement in _FRENCH:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


class _FrenchHeadings(argparse.HelpFormatter):
    """French typography for argparse's headings: « usage : » where argparse writes its untranslated
    "usage: ", and a space before the colon it puts after each section's title."""

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "usage : " if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        super().start_section(f"{heading} " if heading else heading)


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help and usage errors are in French unless the user asked for
    English. Sub-commands' parsers are made of the same class (``add_subparsers`` makes them of
    the parent's class), so they speak the same language."""

    def __init__(
        self,
        *,
        formatter_class: type[argparse.HelpFormatter] = argparse.HelpFormatter,
        add_help: bool = True,
        **kwargs: Any,
    ) -> None:
        in_french = ui_language() != "en"
        if in_french:
            # The caller's formatter (RawDescriptionHelpFormatter keeps laid-out examples), French headings.
            formatter_class = cast(
                "type[argparse.HelpFormatter]",
                type(f"French{formatter_class.__name__}", (_FrenchHeadings, formatter_class), {}),
            )
        super().__init__(formatter_class=formatter_class, add_help=False, **kwargs)
        if in_french:
            self._positionals.title = "arguments"
            self._optionals.title = "options"
        if add_help:
            prefix = "-" if "-" in self.prefix_chars else self.prefix_chars[0]
            self.add_argument(
                prefix + "h",
                prefix * 2 + "help",
                action="help",
                default=argparse.SUPPRESS,
                help=tr("affiche cette aide et quitte", "show this help message and exit"),
            )

    def _add_action(self, action: _Action) -> _Action:
        """Placeholders in the user's language (« PROJET », « FICHIER.qdpx », « CODEUR ») in usage,
        help and errors; also for arguments of a mutually exclusive group, which come here."""
        if ui_language() != "en" and action.nargs != 0 and not isinstance(action, argparse._SubParsersAction):
            metavar = action.metavar
            if metavar is None:
                metavar = action.dest.upper() if action.option_strings else _POSITIONALS.get(action.dest)
            if isinstance(metavar, str):
                translated = _PLACEHOLDER.sub(lambda m: _PLACEHOLDERS[m.group()], metavar)
                if translated != metavar or action.metavar is not None or not action.option_strings:
                    action.metavar = translated
        return super()._add_action(action)

    def error(self, message: str) -> NoReturn:
        if ui_language() == "en":
            super().error(message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {french(message)}\n(aide : {self.prog} --help)\n")
