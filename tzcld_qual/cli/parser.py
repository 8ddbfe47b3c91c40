"""The command-line parser, whose usage errors speak the user's language.

argparse words its errors in English through gettext, and Python ships no French catalogue for
it; the errors a user meets are few, so they are translated here, pattern by pattern.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

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


def french(message: str) -> str:
    """argparse's English error message in French (unchanged if it is not one of its own)."""
    nested = _ARGUMENT.match(message)
    if nested:
        return f"argument {nested.group(1)} : {french(nested.group(2))}"
    for pattern, replacement in _FRENCH:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` (sub-commands' parsers are made of the same class) whose usage errors
    are in French unless the user asked for English."""

    def error(self, message: str) -> NoReturn:
        if ui_language() == "en":
            super().error(message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {french(message)}\n(aide : {self.prog} --help)\n")
