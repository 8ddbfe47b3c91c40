"""The table of correspondence: which placeholder stands for which entity, across a project.

It is the key to re-identify people, so it never goes into the project or an export: it lives in
its own file (``<project>.pseudonymes.json`` by default), created readable by its owner only
(0600) and rewritten atomically. Reusing it for the next import keeps placeholders consistent.

A person is known by several keys: "Sylvie Martin", "Mme Martin" and "Sylvie" are one entity
when nothing contradicts it (a lone "Martin" that two people share goes to the first one).

Initials alone ("Mme D.", "M.L.", "J.-P.B.") are not: transcripts use them to hide a speaker, and
the same initials in two interviews are, as far as the project can tell, two people. A person
known by initials only is therefore one entity per document (the *scope* the caller gives: the
document's name), keyed ``"d.@demo-07.vtt"``; the same initials in another document get another
placeholder. Nothing joins them across documents: initials are no evidence, and a full name
written beside them is the only thing that would be (not inferred: « Mme D. » could be Dupont or
Durand). Without a scope (text derived from several documents: chat answers, memos) initials go
to the first person known by them, so they are hidden all the same.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tzcld_qual.errors import InputError, Text, os_reason
from tzcld_qual.paths import make_private_dir
from tzcld_qual.privacy.normalize import ARTICLES, entity_key
from tzcld_qual.privacy.spans import Kind

FORMAT = "tzcld-qual-pseudonymes"
_PARTICLES = ARTICLES | {"van", "von", "ben", "el", "al", "da", "dos", "di"}
_INITIALS = re.compile(r"(?:[a-z]\.-?)*[a-z]\.?")  # a folded key's word: "d.", "m.l.", "j.-p.b.", "b"
SCOPE = "@"  # "d.@demo-07.vtt": initials, and the document they belong to (never in a folded name)


def default_mapping_path(project: Path) -> Path:
    """``etude.tzq`` → ``etude.pseudonymes.json``, beside the project file."""
    project = Path(project)
    return project.with_name(f"{project.stem}.pseudonymes.json")


@dataclass(slots=True)
class Entity:
    placeholder: str
    kind: Kind
    keys: list[str] = field(default_factory=list)  # full folded keys ("sylvie martin")
    forms: list[str] = field(default_factory=list)  # surface forms as written, for the analyst

    def names(self) -> list[str]:
        """The keys as names, without the document that scopes initials ("d.@demo-07.vtt" → "d.")."""
        return list(dict.fromkeys(key.partition(SCOPE)[0] for key in self.keys))


class PseudonymMap:
    """Placeholders by entity key, with a person's first name and surname as aliases."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self._by_key: dict[tuple[str, str], Entity] = {}  # (family, key): one entity whatever the NER's label
        self._aliases: dict[str, list[Entity]] = defaultdict(list)  # person word → persons
        self._initials: dict[str, list[Entity]] = defaultdict(list)  # "d." → the persons so written, any document
        self._counters: dict[Kind, int] = defaultdict(int)
        self.changed = False

    # -- lookup ---------------------------------------------------------------------------
    def placeholder(self, kind: Kind, surface: str, people: Sequence[str] = (), scope: str = "") -> str:
        """The placeholder of the entity written ``surface``; a new one if it is not known yet.

        ``people``: the full names (« Nathalie Moreau ») written in the same document, in text
        order. A lone first name or surname of one of them is that person, whichever comes first
        in the text (« Bonjour Madame Moreau », then « Nathalie : »); two people who share a first
        name stay apart only when both full names are known and differ (the lone name goes to the
        first one named).

        ``scope``: the document ``surface`` is written in; initials alone are a person of that
        document only (see the module's docstring).
        """
        return self._entity(kind, surface, people, scope).placeholder

    def _entity(self, kind: Kind, surface: str, people: Sequence[str] = (), scope: str = "") -> Entity:
        key = entity_key(kind, surface)
        if kind is Kind.PERSONNE and is_initials(key):
            return self._initialled(key, surface, scope)
        full = _full_name(key, people) if kind is Kind.PERSONNE else None
        if full is not None:
            entity: Entity | None = self._entity(kind, full)
        else:
            entity = self._by_key.get((_family(kind), key)) or (self._person(key) if kind is Kind.PERSONNE else None)
        if entity is None:
            self._counters[kind] += 1
            entity = Entity(f"[{kind.value}_{self._counters[kind]}]", kind)
            self.entities.append(entity)
        self._remember(entity, key, surface)
        return entity

    def _initialled(self, key: str, surface: str, scope: str) -> Entity:
        """The person written with these initials in document ``scope`` (without one: the first
        person so written, or one table's unscoped entry from before initials were scoped)."""
        if scope:
            key = f"{key}{SCOPE}{scope}"
            entity = self._by_key.get(("NAMED", key))
        else:
            entity = self._by_key.get(("NAMED", key)) or next(iter(self._initials.get(key, [])), None)
        if entity is None:
            self._counters[Kind.PERSONNE] += 1
            entity = Entity(f"[{Kind.PERSONNE.value}_{self._counters[Kind.PERSONNE]}]", Kind.PERSONNE)
            self.entities.append(entity)
        self._remember(entity, key, surface)
        return entity

    def reserve(self, placeholder: str) -> None:
        """Never hand out a placeholder already in the text (pseudonymised with another table)."""
        kind, _, number = placeholder.strip("[]").rpartition("_")
        if kind in Kind.__members__ and number.isdigit():
            self._counters[Kind(kind)] = max(self._counters[Kind(kind)], int(number))

    def known_forms(self) -> dict[str, Kind]:
        """Every key an entity is known by (persons: also their unambiguous name words)."""
        out = {key: entity.kind for (_, key), entity in self._by_key.items() if SCOPE not in key}
        out.update(dict.fromkeys(self._initials, Kind.PERSONNE))  # found anywhere, scoped by the caller again
        for word, persons in self._aliases.items():
            if len({p.placeholder for p in persons}) == 1:
                out.setdefault(word, Kind.PERSONNE)
        return {k: v for k, v in out.items() if len(k.replace(".", "")) >= 2}

    def _person(self, key: str) -> Entity | None:
        words = _name_words(key)
        if not words:
            return None
        if len(words) == 1:
            persons = self._aliases.get(words[0], [])
            return persons[0] if persons else None
        first, last = words[0], words[-1]
        for person in self._aliases.get(last, []):  # "Mme Martin" known, now "Sylvie Martin"
            if all(len(w) <= 1 or w[0] == first for w in map(_name_words, person.keys)):
                return person
        for person in self._aliases.get(first, []):  # "Sylvie" known, now "Sylvie Martin"
            if all(len(w) <= 1 or w[-1] == last for w in map(_name_words, person.keys)):
                return person
        return None

    def _remember(self, entity: Entity, key: str, surface: str) -> None:
        if key and key not in entity.keys:
            entity.keys.append(key)
            self._by_key.setdefault((_family(entity.kind), key), entity)  # a shared first name: the first one
            self.changed = True
            if SCOPE in key:
                initials = key.partition(SCOPE)[0]
                if entity not in self._initials[initials]:
                    self._initials[initials].append(entity)
            elif entity.kind is Kind.PERSONNE:
                for word in _name_words(key):
                    if entity not in self._aliases[word]:
                        self._aliases[word].append(entity)
        surface = " ".join(surface.split())
        if surface not in entity.forms:
            entity.forms.append(surface)
            self.changed = True

    # -- file -------------------------------------------------------------------------------
    def to_json(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "version": 1,
            "note": "Table de correspondance des pseudonymes : données personnelles, ne pas partager.",
            "entities": [
                {"placeholder": e.placeholder, "kind": e.kind.value, "keys": e.keys, "forms": e.forms}
                for e in self.entities
            ],
        }

    @classmethod
    def from_json(cls, data: object, path: Path) -> PseudonymMap:
        mapping = cls()
        try:
            assert isinstance(data, dict) and data.get("format") == FORMAT
            for raw in data["entities"]:
                kind = Kind(raw["kind"])
                entity = Entity(str(raw["placeholder"]), kind)
                number = int(entity.placeholder.rsplit("_", 1)[1].rstrip("]"))
                mapping._counters[kind] = max(mapping._counters[kind], number)
                mapping.entities.append(entity)
                for key in raw["keys"]:
                    mapping._remember(entity, str(key), "")
                entity.forms = [str(f) for f in raw["forms"]]
        except (AssertionError, KeyError, TypeError, ValueError, IndexError):
            raise InputError(
                Text(
                    "ce fichier n'est pas une table de pseudonymes de tzcld-qual.",
                    "this file is not a tzcld-qual pseudonym table.",
                ),
                Text(
                    "Donnez une autre destination avec --mapping, ou restaurez le fichier.",
                    "Choose another destination with --mapping, or restore the file.",
                ),
                path=path,
            ) from None
        mapping.changed = False
        return mapping

    @classmethod
    def load(cls, path: Path) -> PseudonymMap:
        """The table in ``path``, or an empty one if the file does not exist yet."""
        path = Path(path)
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            data = None
        return cls.from_json(data, path)

    def save(self, path: Path) -> None:
        """Write atomically, owner-only (0600) from the first byte."""
        path = Path(path)
        payload = json.dumps(self.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            if not path.parent.exists():
                make_private_dir(path.parent)  # a new folder for a secret file: owner only
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as error:
            raise InputError(
                Text("impossible d'écrire la table des pseudonymes : {why}", "cannot write the pseudonym table: {why}"),
                Text("Choisissez un autre dossier avec --mapping.", "Choose another folder with --mapping."),
                path=path,
                why=os_reason(error),
            ) from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.changed = False


def _family(kind: Kind) -> str:
    """Persons, places and organisations share keys: "Vallon Actif" is one entity even when the
    NER calls it a place here and an organisation there (the first kind seen stays)."""
    return "NAMED" if kind in (Kind.PERSONNE, Kind.LIEU, Kind.ORGANISATION) else kind.value


def is_initials(key: str) -> bool:
    """A person's folded key made of initials only: « d. », « m.l. », « j.-p.b. »."""
    words = key.split(" ")
    return bool(key) and all(_INITIALS.fullmatch(w) for w in words)


def _full_name(key: str, people: Sequence[str]) -> str | None:
    """The full name among ``people`` whose first name or surname ``key`` (one name word) is."""
    words = _name_words(key)
    if len(words) != 1 or key != words[0]:
        return None
    for full in people:
        names = _name_words(entity_key(Kind.PERSONNE, full))
        if len(names) >= 2 and words[0] in (names[0], names[-1]):
            return full
    return None


def _name_words(key: str) -> list[str]:
    return [w for w in key.split(" ") if w not in _PARTICLES and len(w.strip(".")) >= 2]
