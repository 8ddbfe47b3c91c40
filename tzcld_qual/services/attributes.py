"""Documents' attributes (role, territory, round…): merging them on re-import, and an analyst's
edits, which no later import of an unchanged file may undo."""

from __future__ import annotations

import shlex
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from tzcld_qual.errors import ProjectError, Text, UsageError
from tzcld_qual.io.keys import canonical_key, is_identifying_key, is_interviewers_key
from tzcld_qual.privacy.spans import PLACEHOLDER
from tzcld_qual.services import projects
from tzcld_qual.store import AttributeSources

# French names of the main keys, in column order. Not chat.wording's labels (« âge », « genre »…): the
# notes suggest `--set 'vague=…'` commands, so a name shown here must be one io.keys.canonical_key reads.
LABELS = {"role": "rôle", "territory": "territoire", "round": "vague", "date": "date"}


HEADER = "l'en-tête"
GIVEN = "le fichier d'attributs"


@dataclass(frozen=True, slots=True)
class Taken:
    """A value an import changed: which, from what to what, from which file, over a correction?"""

    key: str
    old: str | None  # None: the key was absent (an analyst removed it, or it never had a value)
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
    project_path: str = "PROJET",  # for the commands the notes suggest
) -> Merged:
    """Three-way merge of a document's attributes on import.

    ``project``: what the project holds (``None`` for a new document); ``sources``: what the
    file's header said and the attributes file gave at the previous imports, and the keys an
    analyst corrected since; ``header`` and ``given``: what they say now. Only what a file changed
    since it was last read is taken (both changed: the attributes file wins), so an unchanged file
    never undoes an analyst's correction or removal. Without a record of the header (documents
    imported before it was kept) a header only fills keys the document lacks and no analyst
    removed; without a record of the attributes file, its row counts in full except over a
    correction.
    """
    if project is None:
        return Merged({**header, **given}, AttributeSources(dict(header), dict(given), frozenset()))
    corrected = set(sources.corrected)
    wanted = {**_changed(header, sources.header, project, corrected), **_changed(given, sources.given, None, corrected)}
    values = {**project, **wanted}
    taken = [
        Taken(key, project.get(key), value, GIVEN if key in given and given[key] == value else HEADER, key in corrected)
        for key, value in wanted.items()
        if project.get(key) != value
    ]
    notes = _not_taken((project_path, document), sources, header, given, values, wanted, corrected)
    recorded = {**(sources.given or {}), **given} if given or sources.given is not None else None
    return Merged(values, AttributeSources(dict(header), recorded, frozenset(corrected - wanted.keys())), taken, notes)


def _changed(
    said: Mapping[str, str], last: Mapping[str, str] | None, gaps_of: Mapping[str, str] | None, corrected: set[str]
) -> dict[str, str]:
    """What a file changed since it was last read. Never read (``last`` unknown): a header fills
    only the gaps of ``gaps_of``; an attributes file gives its whole row; neither over a correction."""
    if last is not None:
        return {k: v for k, v in said.items() if last.get(k) != v}
    return {k: v for k, v in said.items() if k not in corrected and (gaps_of is None or k not in gaps_of)}


def _not_taken(
    where: tuple[str, str],
    sources: AttributeSources,
    header: Mapping[str, str],
    given: Mapping[str, str],
    values: Mapping[str, str],
    wanted: Mapping[str, str],
    corrected: set[str],
) -> list[str]:
    """What the files still say but the project keeps: an analyst's correction, or a header of
    unknown history; and a header line deleted. Each with the command that would take it."""
    notes: dict[str, str] = {}
    for source, said in ((HEADER, header), (GIVEN, given)):
        for key, value in said.items():
            if key in wanted or values.get(key) == value:
                continue
            if key in corrected:
                notes[key] = _kept(where, source, key, value, values.get(key), corrected=True)
            elif source == HEADER and sources.header is None:
                notes.setdefault(key, _kept(where, source, key, value, values.get(key)))
    last_header = sources.header or {}
    for key in last_header.keys() - header.keys():
        if values.get(key) == last_header[key] and key not in given:
            notes[key] = (
                f"l'en-tête ne dit plus {label(key)} : le projet garde {values[key]} ; pour le retirer : "
                f"{command(*where, unset=key)}"
            )
    return [notes[k] for k in sorted(notes, key=order)]


def _kept(
    where: tuple[str, str], source: str, key: str, said: str, kept: str | None, *, corrected: bool = False
) -> str:
    if kept is None:
        now = "le projet ne l'a plus (retiré par un·e analyste)"
    else:
        why = "corrigé par un·e analyste" if corrected else "le projet ne sait pas si l'en-tête a changé depuis"
        now = f"le projet garde {kept} ({why})"
    again = command(*where, key=key, value=said)
    return f"{source} dit {label(key)} : {said}, {now} ; pour reprendre le fichier : {again}"


def label(key: str) -> str:
    return LABELS.get(key, key)


def command(
    project: str, document: str, *, key: str | None = None, value: str | None = None, unset: str | None = None
) -> str:
    """The `attributes` command that does it, quoted for a shell: « --set 'vague=vague 1' »."""
    target = f"tzcld-qual attributes {shlex.quote(project)} --document {shlex.quote(document)}"
    if unset is not None:
        return f"{target} --unset {shlex.quote(label(unset))}"
    assignment = f"{label(key or '')}={value}"
    return f"{target} --set {shlex.quote(assignment)}"


def said(taken: Taken) -> str:
    """« vague : vague 3 → vague 2 (en-tête modifié ; remplace une correction d'analyste) »."""
    why = "en-tête modifié" if taken.source == HEADER else "fichier d'attributs"
    over = " ; remplace une correction d'analyste" if taken.over_correction else ""
    return f"{label(taken.key)} : {taken.old or '—'} → {taken.new} ({why}{over})"


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
        identifying = [k for k in assign if is_identifying_key(k)]
        if identifying and any(PLACEHOLDER.search(doc.text) for doc in store.documents.list(current=False)):
            raise ProjectError(
                Text(
                    "« {key} » identifie la personne et le projet est pseudonymisé : sa valeur y serait "
                    "enregistrée en clair, à côté des textes pseudonymisés, puis dans chaque export. Rien n'a "
                    "été modifié.",
                    "« {key} » identifies the person and the project is pseudonymised: its value would be "
                    "stored in clear beside the pseudonymised texts, then in every export. Nothing was changed.",
                ),
                Text(
                    "Gardez cette information hors du projet (avec la table des pseudonymes) ; pour un "
                    "attribut d'analyse, donnez-lui un nom qui ne désigne pas la personne (ex. « profil »).",
                    "Keep this information outside the project (with the pseudonym table); for an analysis "
                    "attribute, give it a name that does not designate the person (e.g. « profile »).",
                ),
                key=label(identifying[0]),
            )
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
