"""Importing the io package must not load the parsers: they load when a file needs them."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("docx", "odf", "charset_normalizer", "yaml", "lxml")


def test_import_loads_no_parser() -> None:
    code = (
        "import sys, tzcld_qual.io, tzcld_qual.io.registry;"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
