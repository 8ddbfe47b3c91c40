"""Documents' attributes (role, territory, round…): merging them on re-import, and an analyst's
edits, which no later import of an unchanged file may undo."""

from __future__ import annotations

import shlex
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from tzcld_qual.errors import Text, UsageError
from tzcld_qual.io.keys import canonical_key, is_identifying_key, is_interviewers_key
from tzcld_qual.services import projects
from tzcld_qual.store import AttributeSources

LABELS = {"role": "rôle", "territory": "territoire", "round": "vague", "date": "date"}  # French names of the main keys


HEADER = "l'en-tête"
GIVEN = "le fichier d'attributs"


@dataclass(frozen=True, slots=True)
class Taken:
    """A value an import changed: which, from what to what, from which file, over a correction?"""

    key: str
    old: str
    new: str
    source: str  # HEADER or GIVEN
    over_correction: bool = False


@dataclass(frozen=True, slots=True)
class Merged:
    """A re-imported document's attributes, where they now come from, what changed, what to say."""

    values: dict[str, str]
    sources: AttributeSources
    taken: list[Taken] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # values the files say but the project keeps


def merge(
    project: Mapping[str, str] | None,
    sources: AttributeSources,
    header: Mapping[str, str],
    given: Mapping[str, str],
    document: str = "",
) -> Merged:
    """Three-way merge of a document's attributes on import.

    ``project``: what the project holds (``None`` for a new document); ``sources``: what the
    file's header said and the attributes file gave at the previous imports, and the keys an
    analyst corrected since; ``header`` and ``given``: what they say now. A file's value is taken
    where the file changed it since it was last read: an unchanged header or attributes file never
    undoes an analyst's correction or removal. Without a record of the header (documents imported
    before it was kept), a header only fills the keys the document lacks and never corrected; the
    attributes file, an explicit act, is taken except over a correction.
    """
    if project is None:
        return Merged({**header, **given}, AttributeSources(dict(header), dict(given), frozenset()))
    values, corrected = dict(project), set(sources.corrected)
    taken: list[Taken] = []
    notes: list[str] = []

    def take(key: str, value: str, source: str) -> None:
        old = values.get(key)
        if old is not None and old != value:
            taken.append(Taken(key, old, value, source, key in corrected))
        values[key] = value
        corrected.discard(key)

    last_header = sources.header
    for key, value in header.items():
        if last_header is not None:
            if last_header.get(key) != value:
                take(key, value, HEADER)  # the file's own edit
        elif key in corrected:
            continue  # an analyst's decision, the header unknown: nothing to tell them
        elif key not in values:
            take(key, value, HEADER)
        elif values[key] != value and key not in given:
            notes.append(_kept(document, HEADER, key, value, values[key]))
    for key in (last_header or {}).keys() - header.keys():
        if values.get(key) == (last_header or {})[key] and key not in given:
            notes.append(
                f"l'en-tête ne dit plus {label(key)} : le projet garde {values[key]} ; pour le retirer : "
                f"{command(document, unset=key)}"
            )
    last_given = sources.given
    for key, value in given.items():
        if key in corrected and (last_given is None or last_given.get(key) == value):
            if values.get(key) != value:
                notes.append(_kept(document, GIVEN, key, value, values.get(key), corrected=True))
            continue
        take(key, value, GIVEN)
    recorded = {**(last_given or {}), **given} if given or last_given is not None else None
    return Merged(values, AttributeSources(dict(header), recorded, frozenset(corrected)), taken, notes)


def _kept(document: str, source: str, key: str, said: str, kept: str | None, *, corrected: bool = False) -> str:
    if kept is None:
        now = "le projet ne l'a plus (retiré par un·e analyste)"
    else:
        why = "corrigé par un·e analyste" if corrected else "le projet ne sait pas si l'en-tête a changé depuis"
        now = f"le projet garde {kept} ({why})"
    again = command(document, key=key, value=said)
    return f"{source} dit {label(key)} : {said}, {now} ; pour reprendre le fichier : {again}"


def label(key: str) -> str:
    return LABELS.get(key, key)


def command(document: str, *, key: str | None = None, value: str | None = None, unset: str | None = None) -> str:
    """The `attributes` command that does it, quoted for a shell: « --set 'vague=vague 1' »."""
    target = f"tzcld-qual attributes PROJET --document {shlex.quote(document)}"
    if unset is not None:
        return f"{target} --unset {shlex.quote(label(unset))}"
    assignment = f"{label(key or '')}={value}"
    return f"{target} --set {shlex.quote(assignment)}"


def said(taken: Taken) -> str:
    """« vague : vague 3 → vague 2 (en-tête modifié ; remplace une correction d'analyste) »."""
    why = "en-tête modifié" if taken.source == HEADER else "fichier d'attributs"
    over = " ; remplace une correction d'analyste" if taken.over_correction else ""
    return f"{label(taken.key)} : {taken.old} → {taken.new} ({why}{over})"


@dataclass(frozen=True, slots=True)
class Change:
    """One document's attributes before and after an edit."""

    document: str
    before: Mapping[str, str]
    after: Mapping[str, str]

    @property
    def changed(self) -> bool:
        return dict(self.before) != dict(self.after)


def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """``["rôle=élu·e", "vague=vague 3"]`` → ``{"role": "élu·e", "round": "vague 3"}``."""
    values: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key, value = canonical_key(key), value.strip()
        if not sep or not key:
            raise UsageError(
                Text("« {item} » n'est pas de la forme NOM=VALEUR.", "« {item} » is not of the form NAME=VALUE."),
                Text("Exemple : --set territoire=Coteaux", "Example: --set territory=Coteaux"),
                item=item,
            )
        if not value:
            raise UsageError(
                Text("« {item} » ne donne pas de valeur.", "« {item} » gives no value."),
                Text("Pour retirer l'attribut : --unset {key}", "To remove the attribute: --unset {key}"),
                item=item,
                key=shlex.quote(label(key)),
            )
        _check_key(key)
        if any(unicodedata.category(c) in ("Cc", "Cf") for c in key + value):
            raise UsageError(
                Text(
                    "« {item} » contient un caractère invisible ou un retour à la ligne.",
                    "« {item} » contains an invisible character or a line break.",
                ),
                Text("Retapez-le sur une seule ligne.", "Type it again on one line."),
                item=item.encode("unicode_escape").decode("ascii"),
            )
        values[key] = value
    return values


def parse_removals(items: Sequence[str]) -> list[str]:
    keys = [canonical_key(item) for item in items]
    for item, key in zip(items, keys, strict=True):
        if not key or "=" in item:
            raise UsageError(
                Text("« {item} » n'est pas un nom d'attribut.", "« {item} » is not an attribute name."),
                Text("Exemple : --unset territoire", "Example: --unset territory"),
                item=item,
            )
        _check_key(key)
    return keys


def _check_key(key: str) -> None:
    if is_interviewers_key(key):
        raise UsageError(
            Text(
                "« {key} » n'est pas un attribut : les enquêteur·rices se désignent à l'import.",
                "« {key} » is not an attribute: interviewers are named at import.",
            ),
            Text(
                "Réimportez le fichier avec --interviewer LABEL.",
                "Re-import the file with --interviewer LABEL.",
            ),
            key=key,
        )


def edit(
    project: Path,
    documents: Sequence[str],
    assign: Mapping[str, str],
    remove: Sequence[str],
    coder: str,
) -> list[Change]:
    """Set and remove attributes of the named documents, all or none (one transaction), each
    change logged with its coder. A key both set and removed is refused."""
    both = sorted(set(assign) & set(remove))
    if both:
        raise UsageError(
            Text("« {key} » est à la fois donné et retiré.", "« {key} » is both set and removed."),
            Text("Gardez --set ou --unset pour cet attribut.", "Keep either --set or --unset for it."),
            key=label(both[0]),
        )
    with projects.open_project(project) as store, store.transaction():  # read where it is written
        found = {doc.id: doc for doc in (projects.find_document(store, name) for name in documents)}
        changes = []
        for doc in found.values():
            after = {k: v for k, v in {**doc.attributes, **assign}.items() if k not in remove}
            change = Change(doc.name, dict(doc.attributes), after)
            changes.append(change)
            if change.changed:
                sources = store.documents.sources(doc.id)
                edited = {k for k in (*assign, *remove) if change.before.get(k) != change.after.get(k)}
                sources = replace(sources, corrected=sources.corrected | edited)
                store.documents.set_attributes(doc.id, after, sources=sources)
                store.codings.log_event(coder, "attributes", f"{doc.name} : {describe(change)}")
    return changes


def _shown(key: str, value: str | None) -> str:
    """A value as the audit log keeps it: never a name or a phone number (the log is append-only,
    a later pseudonymisation could not take it out)."""
    if value is None:
        return "—"
    return "‹masqué›" if is_identifying_key(key) else value


def order(key: str) -> tuple[int, str]:
    """Role, territory, round and date first, the project's own attributes after, by name."""
    keys = list(LABELS)
    return (keys.index(key), "") if key in keys else (len(keys), key)


def describe(change: Change) -> str:
    """``rôle : salarié·e → élu·e ; territoire : Coteaux → —`` — what an edit did."""
    parts = [
        f"{label(key)} : {_shown(key, change.before.get(key))} → {_shown(key, change.after.get(key))}"
        for key in sorted(set(change.before) | set(change.after), key=order)
        if change.before.get(key) != change.after.get(key)
    ]
    return " ; ".join(parts) or "inchangé"
