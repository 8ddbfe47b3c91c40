"""The data layer: schema, migrations and :class:`ProjectStore`, the only code that writes SQL."""

from tzcld_qual.store.codings import PROMOTION, CodingFilter
from tzcld_qual.store.documents import AttributeSources, NewSegment
from tzcld_qual.store.project import ProjectStore
from tzcld_qual.store.rows import text_hash
from tzcld_qual.store.runs import NewRun

__all__ = ["PROMOTION", "AttributeSources", "CodingFilter", "NewRun", "NewSegment", "ProjectStore", "text_hash"]
