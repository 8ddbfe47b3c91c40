"""Documents' attributes (role, territory, round…): merging them on re-import, and an analyst's
edits, which no later import of an unchanged file may undo."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tzcld_qual.errors import Text, UsageError
from tzcld_qual.io.keys import canonical_key, is_interviewers_key
from tzcld_qual.services import projects

LABELS = {"role": "rôle", "territory": "territoire", "round": "vague", "date": "date"}  # French names of the main keys


@dataclass(frozen=True, slots=True)
class Merged:
    """A re-imported document's attributes, and the header values it did not take."""

    values: dict[str, str]
    not_taken: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (header's, kept)


def merge(
    project: Mapping[str, str] | None,
    last_header: Mapping[str, str] | None,
    header: Mapping[str, str],
    given: Mapping[str, str],
) -> Merged:
    """Three-way merge of a document's attributes on import.

    ``project``: what the project holds (``None`` for a new document); ``last_header``: what the
    file's header said at the previous import (``None`` when unknown); ``header``: what it says
    now; ``given``: the attributes file's row, an explicit act that always wins. A header value is
    taken where the document lacks the key or where the file changed it since the last import;
    an unchanged header never undoes a correction (or a removal) made since.
    """
    if project is None:
        return Merged({**header, **given})
    values = dict(project)
    not_taken: dict[str, tuple[str, str]] = {}
    for key, value in header.items():
        if last_header is None:
            if key not in values:
                values[key] = value
            elif values[key] != value:
                not_taken[key] = (value, values[key])
        elif last_header.get(key) != value:
            values[key] = value
    values.update(given)
    return Merged(values, {k: v for k, v in not_taken.items() if k not in given})


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
                key=key,
            )
        _check_key(key)
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
            key=both[0],
        )
    with projects.open_project(project) as store:
        found = {doc.id: doc for doc in (projects.find_document(store, name) for name in documents)}
        changes = []
        with store.transaction():
            for doc in found.values():
                after = {k: v for k, v in {**doc.attributes, **assign}.items() if k not in remove}
                change = Change(doc.name, dict(doc.attributes), after)
                changes.append(change)
                if change.changed:
                    store.documents.set_attributes(doc.id, after)
                    store.codings.log_event(coder, "attributes", f"{doc.name} : {describe(change)}")
    return changes


def order(key: str) -> tuple[int, str]:
    """Role, territory, round and date first, the project's own attributes after, by name."""
    keys = list(LABELS)
    return (keys.index(key), "") if key in keys else (len(keys), key)


def describe(change: Change) -> str:
    """``rôle : salarié·e → élu·e ; territoire retiré (Coteaux)`` — what an edit did."""
    parts = []
    for key in sorted(set(change.before) | set(change.after), key=order):
        old, new, label = change.before.get(key), change.after.get(key), LABELS.get(key, key)
        if old == new:
            continue
        if old is None:
            parts.append(f"{label} : {new} (ajouté)")
        elif new is None:
            parts.append(f"{label} retiré ({old})")
        else:
            parts.append(f"{label} : {old} → {new}")
    return " ; ".join(parts) or "inchangé"
