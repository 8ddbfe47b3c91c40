"""The data layer: schema, migrations and :class:`ProjectStore`, the only code that writes SQL."""

from tzcld_qual.store.codings import CodingFilter
from tzcld_qual.store.documents import NewSegment
from tzcld_qual.store.project import ProjectStore
from tzcld_qual.store.rows import text_hash

__all__ = ["CodingFilter", "NewSegment", "ProjectStore", "text_hash"]
