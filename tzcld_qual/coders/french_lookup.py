"""spaCy's French tokenizer, lemma lookup table and stop words, kept ready in the user's cache.

Built the usual way (``spacy.blank("fr")`` and a lookup lemmatizer) they cost 5–9 s per process,
mostly compiling the French tokenizer's ``token_match``, one 1.4 MB regular expression of
hyphenated and elided words (~4 s, at the import of ``spacy.lang.fr``), then reading the lemma
table (216,849 word forms) from spacy-lookups-data's gzipped JSON (~1.5 s). Built once and
pickled into the user's private cache folder — the serialised tokenizer, the table, the stop
words and the compiled program of that expression (the arguments ``re.compile`` hands to
``_sre.compile``) — they load in under a second in every later process. The file is keyed by the
spaCy, spacy-lookups-data and Python versions (the program format is CPython's); one that cannot
be read or used is rebuilt the slow way, which always works.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

FORMAT = 1  # bump when what is stored changes


@dataclass(frozen=True, slots=True)
class FrenchLookup:
    tokenizer: bytes  # ``Tokenizer.to_bytes()`` of spaCy's French tokenizer
    lemmas: dict[str, str]  # word form → its first lemma in spacy-lookups-data (the one spaCy uses)
    stop_words: frozenset[str]
    token_match: tuple[Any, ...] | None  # ``_sre.compile`` arguments of the tokenizer's token_match


def cache_path(cache_dir: Path) -> Path:
    from importlib.metadata import version

    python = f"{sys.implementation.name}{'.'.join(map(str, sys.version_info[:3]))}"
    name = f"fr-lookup-v{FORMAT}-spacy{version('spacy')}-data{version('spacy-lookups-data')}-{python}.pkl"
    return cache_dir / "spacy" / name


def build() -> FrenchLookup:
    """The slow way, from spaCy's French language data and spacy-lookups-data."""
    import spacy_lookups_data

    from tzcld_qual.heavy_imports import import_spacy

    spacy = import_spacy()
    from spacy.lang.fr.stop_words import STOP_WORDS
    from spacy.lookups import load_language_data

    raw: dict[str, Any] = load_language_data(spacy_lookups_data.fr["lemma_lookup"])  # type: ignore[assignment]
    lemmas = {form: value if isinstance(value, str) else (value[0] if value else form) for form, value in raw.items()}
    tokenizer: Any = spacy.blank("fr").tokenizer
    match = getattr(tokenizer.token_match, "__self__", None)  # the compiled pattern
    program = _program(match.pattern) if match is not None else None
    return FrenchLookup(tokenizer.to_bytes(), lemmas, frozenset(STOP_WORDS), program)


def _program(pattern: str) -> tuple[Any, ...] | None:
    """What ``re.compile(pattern)`` passes to ``_sre.compile`` (CPython's ``re._compiler.compile``),
    so a later process skips the parse and compile; ``None`` where ``re``'s internals differ."""
    try:
        import importlib

        _compiler, _parser = (importlib.import_module(f"re.{name}") for name in ("_compiler", "_parser"))

        parsed = _parser.parse(pattern, 0)  # spaCy compiles it without flags (they are inline)
        code = [int(op) for op in _compiler._code(parsed, 0)]
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        return (pattern, parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
    except Exception:
        return None


def load(cache_dir: Path | None = None) -> FrenchLookup:
    """From the cache when it is there and readable, else built and (if possible) cached."""
    path = _path(cache_dir)
    return _read(path) or _save(build(), path)


def ready(cache_dir: Path | None = None) -> tuple[Language, FrenchLookup]:
    """The pipeline and its data; a cached file that loads but does not make a pipeline (damaged
    inside) is rebuilt and replaced, like an unreadable one."""
    path = _path(cache_dir)
    cached = _read(path)
    if cached is not None:
        try:
            return pipeline(cached), cached
        except Exception:
            pass
    data = _save(build(), path)
    return pipeline(data), data


def _path(cache_dir: Path | None) -> Path:
    from tzcld_qual import paths

    return cache_path(cache_dir or paths.cache_dir())


def _read(path: Path) -> FrenchLookup | None:
    try:
        with path.open("rb") as f:
            found = pickle.load(f)  # the user's own 0700 cache folder, as for fitted engines
    except Exception:  # missing, truncated, from another version: rebuilt by the caller
        return None
    return found if isinstance(found, FrenchLookup) else None


def _save(data: FrenchLookup, path: Path) -> FrenchLookup:
    from tzcld_qual import paths

    try:
        paths.make_private_dir(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return data  # a read-only cache only costs the next process the slow way
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # whole or nothing: two processes may write it at once
    except OSError:
        Path(tmp).unlink(missing_ok=True)
    return data


def pipeline(data: FrenchLookup) -> Language:
    """A French pipeline that tokenizes like ``spacy.blank("fr")`` and lemmatises with the lookup
    table, without importing ``spacy.lang.fr``."""
    import srsly

    from tzcld_qual.heavy_imports import import_spacy

    import_spacy()
    from spacy.language import Language
    from spacy.lookups import Lookups
    from spacy.tokenizer import Tokenizer

    nlp = Language(meta={"lang": "fr", "name": "lookup"})
    tokenizer = Tokenizer(nlp.vocab).from_bytes(data.tokenizer, exclude=["token_match", "exceptions"])
    stored = srsly.msgpack_loads(data.tokenizer)
    tokenizer.token_match = _compiled(stored["token_match"], data.token_match).match
    tokenizer.rules = stored["exceptions"]  # last, as spaCy's from_bytes does: special cases use the rest
    nlp.tokenizer = tokenizer
    lookups = Lookups()
    # The plain dict, not a spaCy ``Table`` (which hashes its 216,849 keys: 0.7 s per process);
    # the lookup lemmatizer and the lexicon only call ``.get(form, form)`` on it.
    lookups.set_table("lemma_lookup", data.lemmas)  # type: ignore[arg-type]
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lemmatizer.initialize(lookups=lookups)  # type: ignore[attr-defined]
    return nlp


def _compiled(pattern: str, program: tuple[Any, ...] | None) -> Any:
    import re

    if program is not None and program[0] == pattern:
        try:
            import _sre

            return _sre.compile(*program)
        except Exception:
            pass
    return re.compile(pattern)
