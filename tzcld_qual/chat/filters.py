"""What a question's filters keep of the corpus, one attribute at a time.

An attribute's filter is one value (« chez les élus »), any of several (« les élus ou les
partenaires », « les élus et les partenaires »: both groups together), or every value but some
(« hors vague 3 », « sauf ceux des Coteaux »). Filters live in a question's slots, which the
chat history stores as JSON, so they are plain JSON values:

- ``"élu·e"``: that value;
- ``["élu·e", "partenaire"]``: any of them;
- ``{"sauf": ["vague 3"]}``: any value but those, an interview without the attribute included.

The speaker and the interview filters stay one value: a speaker's turns, not their interviews,
are what a speaker filter keeps.
"""

from __future__ import annotations

from collections.abc import Mapping

FilterValue = str | list[str] | dict[str, list[str]]
Filters = Mapping[str, FilterValue]

EXCEPT = "sauf"
SINGLE = frozenset(("speaker", "document"))  # read as one value by the answers that use them


def admits(wanted: FilterValue, value: str | None) -> bool:
    """Whether an interview whose attribute is ``value`` (``None``: not set) passes ``wanted``."""
    if isinstance(wanted, str):
        return value == wanted
    if isinstance(wanted, list):
        return value in wanted
    return value not in wanted.get(EXCEPT, ())


def names(wanted: FilterValue | None, value: str) -> bool:
    """Whether ``value`` is one the filter asks for (not one it leaves out)."""
    if isinstance(wanted, str):
        return wanted == value
    return isinstance(wanted, list) and value in wanted


def left_out(wanted: FilterValue | None) -> list[str]:
    """The values a filter leaves out (« hors vague 3 »: ``["vague 3"]``)."""
    return list(wanted.get(EXCEPT, ())) if isinstance(wanted, dict) else []


def one(filters: Filters, attribute: str) -> str | None:
    """The attribute's value when the filter keeps exactly one."""
    wanted = filters.get(attribute)
    return wanted if isinstance(wanted, str) else None


def add(filters: dict[str, FilterValue], attribute: str, value: str, *, excluded: bool = False) -> bool:
    """Put ``value`` into ``filters``: left out, or one more kept value. False when it cannot be,
    so the caller says so rather than answer another question: a second speaker or interview, a
    speaker left out (their turns, not their interviews, would have to go), or a value both kept
    and left out (« les élus sauf les élus »). A value left out beside kept ones (« les salariés,
    sauf les élus ») changes nothing; a kept one after values left out is what is kept."""
    wanted = filters.get(attribute)
    if excluded and attribute == "speaker":
        return False
    if wanted is None:
        filters[attribute] = {EXCEPT: [value]} if excluded else value
        return True
    if isinstance(wanted, dict) != excluded:  # kept values and one left out (« les salariés, sauf les élus »)
        if names(wanted, value) or value in left_out(wanted):
            return False  # « les élus sauf les élus »
        if not excluded:
            filters[attribute] = value  # the kept one says more than « all but »
        return True  # a value left out that is not kept is out already
    if excluded:
        kept = left_out(wanted)
        filters[attribute] = {EXCEPT: kept if value in kept else [*kept, value]}
        return True
    if attribute in SINGLE:
        return names(wanted, value)
    kept = [wanted] if isinstance(wanted, str) else list(wanted)
    if value not in kept:
        kept.append(value)
    filters[attribute] = kept[0] if len(kept) == 1 else kept
    return True


def shown(wanted: FilterValue, lang: str) -> str:
    """``"élu·e"``, ``"élu·e ou partenaire"``, ``"tout sauf vague 3"``."""
    if isinstance(wanted, str):
        return wanted
    if isinstance(wanted, list):
        return (" or " if lang == "en" else " ou ").join(wanted)
    left = ", ".join(left_out(wanted))
    return f"all but {left}" if lang == "en" else f"tout sauf {left}"


def plain(filters: object) -> dict[str, FilterValue]:
    """A question's ``filters`` slot as filters (a slot read back from the history is JSON)."""
    if not isinstance(filters, Mapping):
        return {}
    out: dict[str, FilterValue] = {}
    for attribute, wanted in filters.items():
        if isinstance(wanted, str):
            out[str(attribute)] = wanted
        elif isinstance(wanted, list):
            out[str(attribute)] = [str(v) for v in wanted]
        elif isinstance(wanted, Mapping):
            out[str(attribute)] = {EXCEPT: [str(v) for v in wanted.get(EXCEPT, ())]}
        else:
            out[str(attribute)] = str(wanted)
    return out
