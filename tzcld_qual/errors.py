"""One error tree for everything an analyst can get wrong.

Every error says what happened, where (file, line, value) and how to fix it, in French or
English as the user's locale says. Front ends print ``str(error)`` and exit 1; they never show a
traceback for these. Anything that is *not* a :class:`TzcldError` is a bug and keeps its
traceback.
"""

from __future__ import annotations

import errno
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


# What the system says about a path the user chose, and what to do: errno -> (problem, fix).
_OS_REASONS: dict[int, tuple[Text, Text]] = {
    errno.EACCES: (
        Text("accès refusé (droits du fichier ou du dossier).", "permission denied (file or folder rights)."),
        Text(
            "Choisissez un emplacement où vous pouvez écrire, ou changez ses droits.",
            "Choose a place you can write to, or change its rights.",
        ),
    ),
    errno.EROFS: (
        Text("le disque est en lecture seule.", "the disk is read-only."),
        Text("Choisissez un autre emplacement.", "Choose another place."),
    ),
    errno.ENOSPC: (
        Text("disque plein.", "no space left on the disk."),
        Text("Libérez de la place ou choisissez un autre disque.", "Free some space or choose another disk."),
    ),
    errno.EISDIR: (
        Text("c'est un dossier, pas un fichier.", "this is a folder, not a file."),
        Text("Donnez un nom de fichier.", "Give a file name."),
    ),
    errno.ENOTDIR: (
        Text("une partie du chemin est un fichier, pas un dossier.", "part of the path is a file, not a folder."),
        Text("Vérifiez le chemin.", "Check the path."),
    ),
    errno.EEXIST: (
        Text(
            "une partie du chemin existe déjà et n'est pas un dossier.", "part of the path exists and is not a folder."
        ),
        Text("Vérifiez le chemin.", "Check the path."),
    ),
    errno.ENOENT: (
        Text("fichier ou dossier introuvable.", "file or folder not found."),
        Text("Vérifiez le chemin.", "Check the path."),
    ),
}
_OS_REASONS[errno.EPERM] = _OS_REASONS[errno.EACCES]


def from_os_error(error: OSError) -> TzcldError | None:
    """The user's error behind a system error on a path they chose (a folder they cannot write
    to, a full disk, a file where a folder should be), or None when it is not one: then it is a
    bug and keeps its traceback."""
    reason = _OS_REASONS.get(error.errno or 0)
    if reason is None or not error.filename:
        return None
    return InputError(reason[0], reason[1], path=os.fsdecode(error.filename))


def os_reason(error: OSError) -> str:
    """The system's reason in the user's language ("accès refusé", not "Permission denied")."""
    reason = _OS_REASONS.get(error.errno or 0)
    if reason is not None:
        return reason[0].render().rstrip(".")
    return error.strerror or str(error)
