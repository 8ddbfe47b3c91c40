"""Why a new model replaces the current one, from the current model's run record and the new
model's plan. ``code`` and ``retrain`` say it: an analyst who only upgraded the tool, changed
``[embedder]`` or loaded a codebook otherwise saw new suggestions with no cause given."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tzcld_qual.errors import Text
from tzcld_qual.services.training import human_rows

if TYPE_CHECKING:
    from tzcld_qual.services.coding import EnginePlan

ENCODER = Text("l'encodeur a changé : {before} → {after}", "the encoder changed: {before} → {after}")
CODEBOOK = Text("codebook modifié : version {before} → {after}", "codebook changed: version {before} → {after}")
ENGINE = Text("nouvelle version du moteur : {before} → {after}", "new engine version: {before} → {after}")
SETTING = Text("réglage {name} modifié : {before} → {after}", "setting {name} changed: {before} → {after}")
DECISIONS = Text(
    "décisions d'analystes apprises : {before} → {after}", "analysts' decisions learnt: {before} → {after}"
)
TURNOVER = Text("{added} en plus, {removed} en moins", "{added} added, {removed} removed")
UNKNOWN = Text(
    "changement non identifié du matériel d'entraînement ou des réglages",
    "an unidentified change in the training material or settings",
)


def why_new_model(
    previous: Mapping[str, Any], plan: EnginePlan, codebook_version: int, *, same_codebook: bool = False
) -> tuple[str, ...]:
    """What differs between ``previous`` (the replaced model's run) and ``plan``, in words; all of
    it, as several changes can come at once. Only what the run recorded is compared (an older run
    without its encoder says nothing of it); when nothing differs there, the change is elsewhere
    (the bundled training examples, say) and is said to be unidentified rather than guessed.
    ``same_codebook``: the two codebook versions have the same content (one loaded back)."""
    params: Mapping[str, Any] = previous.get("params") or {}
    now = plan.params.as_dict()
    reasons = [
        *_changed(ENCODER, params.get("embedder"), plan.embedder_id),
        *([] if same_codebook else _changed(CODEBOOK, previous.get("codebook_version"), codebook_version)),
        *_changed(ENGINE, params.get("engine"), now["engine"]),
        *(
            reason
            for name, value in now.items()
            if name != "engine"
            for reason in _changed(SETTING, params.get(name), value, name=name)
        ),
        *_decisions(params.get("decisions"), plan.used),
    ]
    return tuple(reasons) or (UNKNOWN.render(),)


def _changed(text: Text, before: object, after: object, **values: object) -> list[str]:
    """``text`` when a recorded value differs from the new one; nothing when it was not recorded."""
    if before is None or before == after:
        return []
    return [text.render(before=_shown(before), after=_shown(after), **values)]


def _shown(value: object) -> str:
    return ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def _decisions(before: object, after: list[list[Any]]) -> list[str]:
    """How many human decisions each model learnt, when they differ; what came and went when a
    count alone does not tell (a decision changed, or some withdrawn while others were made)."""
    if not isinstance(before, list):
        return []
    old, new = Counter(human_rows(before)), Counter(human_rows(after))
    if old == new:
        return []
    text = DECISIONS.render(before=old.total(), after=new.total())
    added, removed = (new - old).total(), (old - new).total()
    if added and removed:
        text += " : " + TURNOVER.render(added=added, removed=removed)
    return [text]
