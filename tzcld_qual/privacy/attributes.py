"""Document attributes under pseudonymisation: which stay as they are, which are text.

Attributes go everywhere the text goes (REFI-QDA cases, the workbook's cross-tables, reports), so
a name left in one undoes the text's pseudonymisation: « ebe : Vallon Actif » beside a text that
says [ORGANISATION_3], « mandate : maire de Prébois » beside [LIEU_25]. The rule:

- attributes that name or reach the person (« nom », « téléphone »…: :func:`is_identifying_key`)
  are dropped, as before;
- the analytic keys every project shares — role, round, territory, date — are kept as they
  are: they are categories the analysis is made of, and territories are kept anyway (they are
  on the allow-list, in every form);
- every other value (« ebe », « structure », « mandate », « activity »…) is free text, and is
  pseudonymised like the transcripts, with the same engine and table: a name the texts replace
  gets the same placeholder, a commune only an attribute names is replaced too, and the
  allow-list (territories, national bodies) applies. Values without a name (« 45-54 »,
  « ressourcerie ») come out unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tzcld_qual.io.keys import canonical_key, is_identifying_key
from tzcld_qual.privacy.pseudonymizer import Pseudonymizer, Source

KEPT_KEYS = frozenset({"role", "round", "territory", "date"})


def kept_as_is(key: str) -> bool:
    """An analytic attribute (role, round, territory, date, in French or English): never rewritten."""
    return canonical_key(key) in KEPT_KEYS


class AttributeRewriter:
    """Pseudonymises the attribute values of documents, each in its document's scope.

    :meth:`add` every set of attributes first, then :meth:`run` once (one NER batch), then
    :meth:`rewrite` each set.
    """

    def __init__(self, engine: Pseudonymizer) -> None:
        self.engine = engine
        self._pending: dict[tuple[str, str], None] = {}  # (document, value), in order
        self._done: dict[tuple[str, str], str] = {}

    def add(self, document: str, attributes: Mapping[str, str] | None) -> None:
        for key, value in (attributes or {}).items():
            if _rewritten(key, value):
                self._pending.setdefault((document, value))

    def run(self) -> None:
        todo = [item for item in self._pending if item not in self._done]
        results = self.engine.run([Source(value, scope=document) for document, value in todo])
        self._done.update(zip(todo, (r.rewritten.text for r in results), strict=True))
        self._pending.clear()

    def rewrite(self, document: str, attributes: Mapping[str, str]) -> dict[str, str]:
        """``attributes`` without identifying keys, free-text values pseudonymised (after :meth:`run`)."""
        return {
            key: self._done.get((document, value), value) if _rewritten(key, value) else value
            for key, value in attributes.items()
            if not is_identifying_key(key)
        }


def pseudonymized_attributes(
    engine: Pseudonymizer, documents: Sequence[tuple[str, Mapping[str, str]]]
) -> list[dict[str, str]]:
    """Each (document name, attributes) pseudonymised by :class:`AttributeRewriter`'s rule."""
    rewriter = AttributeRewriter(engine)
    for name, attributes in documents:
        rewriter.add(name, attributes)
    rewriter.run()
    return [rewriter.rewrite(name, attributes) for name, attributes in documents]


def _rewritten(key: str, value: str) -> bool:
    return not is_identifying_key(key) and not kept_as_is(key) and bool(value.strip())
