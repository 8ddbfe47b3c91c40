"""One error tree for everything an analyst can get wrong.

Every error says what happened, where (file, line, value) and how to fix it, in French or
English as the user's locale says. Front ends print ``str(error)`` and exit 1; they never show a
traceback for these. Anything that is *not* a :class:`TzcldError` is a bug and keeps its
traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def ui_language() -> str:
    """``"fr"`` or ``"en"``, from ``TZCLD_LANG`` then the POSIX locale variables (French first)."""
    for var in ("TZCLD_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "fr"
    return "fr"


@dataclass(frozen=True, slots=True)
class Text:
    """A message in both languages; rendered in the user's language."""

    fr: str
    en: str

    def render(self, **values: object) -> str:
        template = self.en if ui_language() == "en" else self.fr
        return template.format_map(_Values(values))


class _Values(dict[str, object]):
    """Template values; a missing one stays visible as ``{name}`` instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class TzcldError(Exception):
    """Base of every error meant for the user (exit code 1, no traceback)."""

    exit_code = 1

    def __init__(
        self,
        problem: Text | str,
        fix: Text | str | None = None,
        *,
        path: str | os.PathLike[str] | None = None,
        line: int | None = None,
        **values: object,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.line = line
        if self.path is not None:
            values.setdefault("path", str(self.path))
        self.values = values
        self.problem = problem.render(**values) if isinstance(problem, Text) else problem
        self.fix = fix.render(**values) if isinstance(fix, Text) else fix
        super().__init__(self.message)

    @property
    def where(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    @property
    def message(self) -> str:
        parts = [f"{self.where}: {self.problem}" if self.where else self.problem]
        if self.fix:
            parts.append(self.fix)
        return " — ".join(parts)


class InputError(TzcldError):
    """A transcript, attributes file or other input cannot be read."""


class CodebookError(TzcldError):
    """A codebook is malformed (YAML error, duplicate id, unknown parent, empty definition…)."""


class ProjectError(TzcldError):
    """The project file is missing, corrupt, too new, or the request does not fit its content."""


class NotFoundError(TzcldError):
    """A document, segment, code or coding named by the user does not exist."""


class ModelError(TzcldError):
    """A model cannot be loaded or used (missing package, bad path, not fitted)."""


class NotFittedError(ModelError, ValueError):
    """A coder was asked to predict before ``fit`` (scikit-learn's contract)."""


class UsageError(TzcldError):
    """The command line itself is wrong (exit code 2)."""

    exit_code = 2
