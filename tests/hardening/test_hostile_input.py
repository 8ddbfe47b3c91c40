"""Hostile input: whatever the bytes, importers and the codebook loader end cleanly or with an
``errors.py`` error — never another exception, a hang, or a half-written project.

Each property counts its cases; the totals are printed at the end of the module (``-s`` or the
terminal summary) so the report can say how many cases were tried.
"""

from __future__ import annotations

import io
import signal
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hardening_support import digest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tzcld_qual.cli.main import main
from tzcld_qual.codebook import load_codebook, parse_codebook
from tzcld_qual.errors import CodebookError, InputError, TzcldError
from tzcld_qual.io import read_attributes_csv, read_transcript
from tzcld_qual.model import Codebook, ParsedTranscript

TRIED: Counter[str] = Counter()
OUTCOMES: Counter[str] = Counter()
SUFFIXES = (".txt", ".md", ".docx", ".odt", ".vtt", ".srt")
NASTY = [
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\ufeff",  # BOM in the middle
    "\u0301\u0308\u0327",  # combining marks with nothing to combine with
    "👩\u200d🌾",
    "🙂",
    "שלום",
    "مرحبا",
    "\u00a0",
    "\r",
    "\x0b",
    "\u2028",
    "Enquêtrice : ",
    "Sylvie : ",
    "**Q :** ",
    "[00:00:01] E1 : ",
    "00:00:01,000 --> 00:00:02,000\n",
    "WEBVTT\n\n",
    "---\nterritory: [\n---\n",
    "---\n",
    ":",
]
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
TEXT = st.lists(st.one_of(st.text(min_size=0, max_size=40), st.sampled_from(NASTY)), min_size=0, max_size=40).map(
    "".join
)


def summary() -> str:
    """How many cases were tried, by property and outcome (printed by the hardening conftest)."""
    lines = [f"  {name}: {n} cases" for name, n in sorted(TRIED.items())]
    lines += [f"  outcome {name}: {n}" for name, n in sorted(OUTCOMES.items())]
    return f"hostile input: {sum(TRIED.values())} cases tried\n" + "\n".join(lines)


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """A hang is a failure too (YAML bombs, catastrophic regexes)."""

    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def clean(kind: str, call: Callable[[], Any], seconds: int = 20) -> Any:
    """Run ``call``: a result or a TzcldError is fine; anything else fails the test."""
    TRIED[kind] += 1
    try:
        with time_limit(seconds):
            result = call()
    except TzcldError as error:
        assert error.message and "Traceback" not in error.message
        OUTCOMES[type(error).__name__] += 1
        return error
    OUTCOMES["clean"] += 1
    return result


def assert_codebook_or_error(result: Any) -> None:
    """A loaded codebook has codes and validated parents; anything else must be a CodebookError."""
    assert isinstance(result, Codebook | CodebookError), type(result)
    if isinstance(result, Codebook):
        assert result.codes and all(c.parent is None or c.parent in result for c in result.codes)


def check_transcript(parsed: Any) -> None:
    if isinstance(parsed, ParsedTranscript):
        assert parsed.text.strip()
        for turn in parsed.turns:
            assert 0 <= turn.start <= turn.end <= len(parsed.text)


# -- transcripts ---------------------------------------------------------------------------------
@SETTINGS
@given(data=st.binary(min_size=0, max_size=4000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_as_a_transcript(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"entretien aléatoire{suffix}"
    path.write_bytes(data)
    check_transcript(clean("transcript: random bytes", lambda: read_transcript(path)))


@SETTINGS
@given(
    text=TEXT,
    suffix=st.sampled_from((".txt", ".md", ".vtt", ".srt")),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]),
)
def test_random_unicode_as_a_transcript(tmp_path: Path, text: str, suffix: str, encoding: str) -> None:
    path = tmp_path / f"Entretien n°1 — Zoé{suffix}"
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(text.encode(encoding, errors="replace"))
    check_transcript(clean("transcript: random unicode", lambda: read_transcript(path)))


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


WORD_MEMBERS = st.dictionaries(
    st.sampled_from(
        [
            "word/document.xml",
            "content.xml",
            "[Content_Types].xml",
            "_rels/.rels",
            "mimetype",
            "META-INF/manifest.xml",
            "word/_rels/document.xml.rels",
            "styles.xml",
        ]
    ),
    st.one_of(
        st.binary(max_size=300),
        st.sampled_from(
            [
                b"<?xml version='1.0'?><w:document/>",
                b"<office:document-content/>",
                b"<a><b>",
                b"",
                b"<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]><x>&b;</x>",
            ]
        ),
    ),
    max_size=6,
)


@SETTINGS
@given(members=WORD_MEMBERS, suffix=st.sampled_from((".docx", ".odt")))
def test_broken_office_documents(tmp_path: Path, members: dict[str, bytes], suffix: str) -> None:
    path = tmp_path / f"dossier avec espaces{suffix}"
    path.write_bytes(_zip(members))
    check_transcript(clean("transcript: broken docx/odt", lambda: read_transcript(path)))


@pytest.mark.parametrize("suffix", [".txt", ".md", ".vtt", ".srt"])
def test_huge_lines(tmp_path: Path, suffix: str) -> None:
    one_line = "Enquêtrice : " + "é" * 3_000_000  # one 6 MB line, no newline at all
    many = "Sylvie : " + ("mot " * 50_000 + "\n") * 20
    for i, text in enumerate((one_line, many, ":" * 1_000_000, "\u200b" * 2_000_000)):
        path = tmp_path / f"long {i}{suffix}"
        path.write_text(text, encoding="utf-8")
        check_transcript(clean("transcript: huge lines", lambda p=path: read_transcript(p), seconds=60))


# -- codebook ------------------------------------------------------------------------------------
YAML_SCALARS = st.one_of(
    st.text(max_size=20),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=True),
    st.sampled_from(
        [
            "F1",
            "F1.x",
            "#ffffff",
            "#GGGGGG",
            "",
            " ",
            "~",
            "null",
            "- a",
            "{a: 1}",
            "&a x",
            "*a",
            "!!python/object:os.system",
        ]
    ),
)
YAML_VALUES = st.recursive(
    YAML_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "label",
                    "parent",
                    "color",
                    "definition",
                    "codes",
                    "codebook",
                    "version",
                    "name",
                    "examples",
                    "inclusion",
                    "expressions",
                    "negatives",
                    "finding",
                    "x",
                ]
            ),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=30,
)


@SETTINGS
@given(value=YAML_VALUES)
def test_structured_but_wrong_codebooks(value: Any) -> None:
    import yaml

    text = yaml.safe_dump(value, allow_unicode=True) if not isinstance(value, float) else str(value)
    assert_codebook_or_error(clean("codebook: wrong structure", lambda: parse_codebook(text, "cb.yaml")))


@SETTINGS
@given(text=TEXT)
def test_random_text_as_a_codebook(text: str) -> None:
    assert_codebook_or_error(clean("codebook: random text", lambda: parse_codebook(text, "cb.yaml")))


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_random_bytes_as_a_codebook_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "codebook à tester.yaml"
    path.write_bytes(data)
    assert_codebook_or_error(clean("codebook: random bytes", lambda: load_codebook(path)))


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep flow sequence", "codes: " + "[" * 50_000 + "]" * 50_000),
        ("deep flow mapping", "codes: " + "{a: " * 20_000 + "1" + "}" * 20_000),
        ("deep block mapping", "".join("  " * i + "k:\n" for i in range(3000)) + "  " * 3000 + "v"),
        ("billion laughs in the name", BOMB + "codebook: {name: *i}\ncodes: [{id: F1, definition: d}]\n"),
        ("billion laughs in a definition", BOMB + "codes: [{id: F1, label: *i, definition: *i}]\n"),
        ("billion laughs in examples", BOMB + "codes: [{id: F1, definition: d, examples: *i}]\n"),
        ("python object tag", "codes: !!python/object/apply:os.system ['echo owned']\n"),
        ("tabs", "codes:\n\t- id: F1\n"),
        ("duplicate keys", "codes:\n  - id: F1\n    id: F2\n    definition: x\n"),
    ],
    ids=lambda value: value if len(value) < 40 else "yaml",
)
def test_nasty_yaml(name: str, text: str) -> None:  # ids: the names (the texts are huge)
    assert_codebook_or_error(
        clean(f"codebook: nasty yaml ({name})", lambda: parse_codebook(text, "cb.yaml"), seconds=10)
    )


# -- attributes CSV ------------------------------------------------------------------------------
CSV_CELLS = st.one_of(
    st.text(max_size=12), st.sampled_from(['"', '""', ";", ",", "\n", "file", "fichier", "é", "\u200b"])
)


@SETTINGS
@given(
    header=st.lists(CSV_CELLS, max_size=6),
    rows=st.lists(st.lists(CSV_CELLS, max_size=8), max_size=8),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]),
)
def test_csv_with_wrong_columns(
    tmp_path: Path, header: list[str], rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    text = "\n".join(delimiter.join(r) for r in [header, *rows])
    path = tmp_path / "attributs des entretiens.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    result = clean("attributes csv: wrong columns", lambda: read_attributes_csv(path))
    if isinstance(result, dict):
        assert all(isinstance(v, dict) for v in result.values())


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_random_bytes_as_attributes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "attributs.csv"
    path.write_bytes(data)
    result = clean("attributes csv: random bytes", lambda: read_attributes_csv(path))
    assert isinstance(result, dict | InputError)


# -- through the CLI: refused input leaves the project byte-identical -----------------------------
GOOD = "Enquêtrice : Bonjour, vous travaillez à l'EBE ?\n\nMartine : Oui, depuis deux ans.\n"


@pytest.fixture(scope="module")
def base_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("base projet")
    project = folder / "étude terrain.tzq"
    assert main(["init", str(project)]) == 0
    return project


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.one_of(st.binary(max_size=600), TEXT.map(lambda t: t.encode("utf-8", "replace"))),
    suffix=st.sampled_from(SUFFIXES),
    csv=st.one_of(st.none(), st.binary(max_size=200)),
)
def test_cli_import_of_hostile_files(
    tmp_path_factory: pytest.TempPathFactory,
    base_project: Path,
    data: bytes,
    suffix: str,
    csv: bytes | None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path_factory.mktemp("entrées hostiles")
    project = folder / "projet à jour.tzq"
    project.write_bytes(base_project.read_bytes())
    good = folder / "bon entretien.txt"
    good.write_text(GOOD, encoding="utf-8")
    bad = folder / f"fichier hostile{suffix}"
    bad.write_bytes(data)
    args = ["import", str(project), str(good), str(bad)]
    if csv is not None:
        (folder / "attributs.csv").write_bytes(csv)
        args += ["--attributes", str(folder / "attributs.csv")]
    before = digest(project)
    TRIED["cli import: hostile file"] += 1
    capsys.readouterr()
    code = main(args)
    err = capsys.readouterr().err
    assert code in (0, 1), err
    assert "Traceback" not in err and "erreur inattendue" not in err
    OUTCOMES[f"cli exit {code}"] += 1
    if code == 1:
        assert digest(project) == before, err  # refused: nothing written
        assert err.startswith("tzcld-qual: ")


def test_cli_import_through_paths_with_spaces_and_accents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "Entretiens à coder" / "vague 1 — été"
    folder.mkdir(parents=True)
    (folder / "Entretien de Zoé (2).txt").write_text(GOOD, encoding="utf-8")
    (folder / "attributs ; accentués.csv").write_text(
        "fichier;territoire\nEntretien de Zoé (2).txt;Val d'Oise\n", encoding="cp1252"
    )
    project = tmp_path / "Mon étude" / "projet final.tzq"
    project.parent.mkdir()  # a missing folder is refused, not created
    TRIED["cli import: paths with spaces and accents"] += 1
    code = main(["import", str(project), str(folder), "--attributes", str(folder / "attributs ; accentués.csv")])
    assert code == 0, capsys.readouterr().err
    assert main(["segments", str(project), "--json"]) == 0
    assert "Martine" in capsys.readouterr().out
