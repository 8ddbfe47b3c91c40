"""What a model learnt from among the project's passages, and how well it was measured.

A model's training material is its codebook's examples, the bundled gold ``train`` split (the
demo interviews are in it) and the analysts' decisions recorded with its run
(``params["decisions"]``), as :func:`~tzcld_qual.services.coding.engine_plan` assembles them. On
a passage of that material its suggestion repeats what it was taught (its explanation says « ce
passage même »: the coders find the passage among their training items, a text like it to the
spacing): it is neither evidence of a finding nor a test of the model. The report reads this to
quote such passages only for want of others, to leave them out of model × analyst agreement, and
to say so.
"""

from __future__ import annotations

from collections.abc import Iterable

from tzcld_qual.model import Codebook, Role
from tzcld_qual.reports.report import ModelBasis
from tzcld_qual.store import ProjectStore


def model_basis(store: ProjectStore, model: str | None, codebook: Codebook) -> ModelBasis | None:
    """The training passages and dev score of ``model`` (``None`` without a model); a model with
    no run (a promoted theme's ``topics@N``) learnt from no passage of the project."""
    if not model:
        return None
    run = store.runs.get(model)
    if run is None:
        return ModelBasis(model)
    from tzcld_qual.services.training import same_text

    params = run["params"] if isinstance(run["params"], dict) else {}
    snapshot = params.get("decisions")
    rows = snapshot if isinstance(snapshot, list) else []
    decided_ids = sorted({int(row[0]) for row in rows if row and str(row[0]).isdigit()})
    decided_texts = [
        s.text for s in store.documents.segments(ids=decided_ids, current=False) if s.role is Role.RESPONDENT
    ]
    taught = {same_text(t) for t in (*_material(store, run, codebook), *decided_texts)}
    respondent = store.documents.segments(role=Role.RESPONDENT)
    learnt = frozenset(s.id for s in respondent if same_text(s.text) in taught)
    metrics = run["metrics"] if isinstance(run["metrics"], dict) else {}
    f1 = metrics.get("dev_macro_f1")
    return ModelBasis(
        model,
        learnt=learnt,
        decided=learnt & set(decided_ids),
        dev_macro_f1=float(f1) if isinstance(f1, int | float) else None,
        dev_answers=_dev_answers(taught) if f1 is not None else None,
        recorded=isinstance(snapshot, list),
    )


def _material(store: ProjectStore, run: dict[str, object], codebook: Codebook) -> Iterable[str]:
    """The texts a run learnt besides the project's decisions: its codebook's examples and near
    misses, and the bundled train split for the codes its labels use."""
    from tzcld_qual.services.training import bundled_gold, from_codebook

    version = run.get("codebook_version")
    fitted = store.codebooks.get(version) if isinstance(version, int) else None
    fitted = fitted or codebook
    return (*from_codebook(fitted).texts, *bundled_gold(fitted.top_ids).texts)


def _dev_answers(taught: set[str]) -> int | None:
    """How many bundled dev answers a dev score leaves in: those the model learnt are left out
    (:func:`~tzcld_qual.services.evaluation.dev_answers`)."""
    from tzcld_qual import paths
    from tzcld_qual.services.training import read_gold, same_text

    dev = paths.gold_split("dev")
    if dev is None:
        return None
    return sum(same_text(r.text) not in taught for r in read_gold(dev))
