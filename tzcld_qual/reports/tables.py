"""Tables for spreadsheets and statistics software: CSV files in a folder, or one Excel workbook.

- ``codings``: one row per coding row of the project (analysts' decisions, rejections included,
  and every model's suggestions) with the segment, the code, status, origin, confidence,
  explanation and every document attribute (columns ``attr_<name>``).
- ``matrix_code_document``: code × document, the number of segments where the code is applied.
- ``crosstab_code_<attribute>``: code × attribute value, ``n:<value>`` segments and
  ``share:<value>`` = n / respondent segments of the documents with that value
  (``(missing)`` for documents without it).
- ``cooccurrence``: top-level code × top-level code, segments where one analyst applied both
  (with ``include_suggestions``, or the model suggests one or both undecided); the diagonal:
  segments where the code applies. See :mod:`~tzcld_qual.reports.cooccurrence`.

CSV files are UTF-8 with a byte-order mark, which Excel needs to read accents (Python's
``utf-8-sig``, R's ``readr`` and pandas skip it), comma-separated; a text cell starting with
``=``, ``+``, ``-`` or ``@`` (a transcript line « =SOMME(…) » or « -1 + 2 ») gets a leading
``'``, so a spreadsheet shows it instead of computing it (OWASP's advice on CSV injection);
numbers, and text that reads as one, are left alone. The xlsx workbook needs neither: its text
cells are text.

Counting, as in the report: the unit is a respondent segment of a current document; a code is
*applied* when an analyst accepted or added it (any analyst); with ``include_suggestions``, also
when the current model suggests it and no analyst decided on it. A top-level row counts its
sub-codes too (``F3.formation`` rolls up to ``F3``); sub-code rows count themselves. The last
row, ``(segments)``, gives the denominators.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tzcld_qual.errors import InputError, Text
from tzcld_qual.model import Codebook, Document, Role, Segment, Status
from tzcld_qual.outputs import TOOL, atomic_output, check_file_target, check_replaceable, make_folder
from tzcld_qual.reports.cooccurrence import Claims, claims, co_occurrences
from tzcld_qual.store import CodingFilter, ProjectStore

CODING_COLUMNS = (
    "document",
    "segment_id",
    "position",
    "speaker",
    "speaker_role",
    "start",
    "end",
    "code",
    "top_code",
    "code_label",
    "status",
    "origin",
    "coder_kind",
    "confidence",
    "explanation",
    "created_at",
    "updated_at",
    "text",
)
ATTRIBUTE_PREFIX = "attr_"
MISSING = "(missing)"
TOTAL = "(segments)"


@dataclass(frozen=True, slots=True)
class Table:
    name: str  # file stem and sheet name
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    shares: frozenset[int] = frozenset()  # columns holding shares (percent format in Excel)
    # the model whose undecided suggestions this table counts as applied ("" = analysts' codes only):
    # said in the CSV file name and the sheet title, so the two exports are never mistaken for each other
    suggestions: str = ""


@dataclass(frozen=True, slots=True)
class _Corpus:
    documents: tuple[Document, ...]
    units: Mapping[int, Sequence[Segment]]  # document id -> respondent segments
    applied: Mapping[int, set[str]]  # segment id -> codes applied directly
    claims: Mapping[int, Claims]  # segment id -> codes each analyst applied there (with the pending ones)
    suggestions: str = ""  # the model whose undecided suggestions count as applied ("": none)


MAX_CROSSTAB_VALUES = 20  # an audit met an 89-column table by interview date


def build_tables(store: ProjectStore, codebook: Codebook, *, include_suggestions: bool = False) -> list[Table]:
    """Every table of the module doc, in the order they are written."""
    corpus = _corpus(store, include_suggestions)
    tables = [coding_table(store, codebook), code_document_matrix(corpus, codebook)]
    for attribute in sorted({k for d in corpus.documents for k in d.attributes}):
        values = {d.attributes[attribute] for d in corpus.documents if d.attributes.get(attribute)}
        if len(values) <= MAX_CROSSTAB_VALUES:  # a date or an id per interview: the code × document matrix says it
            tables.append(crosstab(corpus, codebook, attribute))
    tables.append(cooccurrence(corpus, codebook))
    return tables


def coding_table(store: ProjectStore, codebook: Codebook) -> Table:
    documents = {d.id: d for d in store.documents.list()}
    attributes = sorted({k for d in documents.values() for k in d.attributes})
    segments = {s.id: s for s in store.documents.segments()}
    kinds = {name: store.codings.coder_kind(name) or "" for name in store.codings.coders()}
    rows = []
    for coding in store.codings.list(CodingFilter()):
        segment = segments[coding.segment_id]
        document = documents[segment.document_id]
        code = codebook.get(coding.code_id)
        rows.append(
            (
                document.name,
                segment.id,
                segment.position,
                segment.speaker,
                segment.role.value,
                segment.start,
                segment.end,
                coding.code_id,
                codebook.roll_up(coding.code_id),
                code.label if code else "",
                coding.status.value,
                coding.origin,
                kinds.get(coding.origin, ""),
                coding.confidence,
                coding.explanation,
                coding.created_at,
                coding.updated_at,
                segment.text,
                *(document.attributes.get(a, "") for a in attributes),
            )
        )
    headers = (*CODING_COLUMNS, *(ATTRIBUTE_PREFIX + a for a in attributes))
    return Table("codings", headers, tuple(rows))


def code_document_matrix(corpus: _Corpus, codebook: Codebook) -> Table:
    names = [d.name for d in corpus.documents]
    rows = []
    for code_id, label, level, matches in _code_rows(codebook):
        counts = [_count(corpus, [d], matches) for d in corpus.documents]
        rows.append((code_id, label, level, *counts, sum(counts)))
    sizes = [len(corpus.units.get(d.id, ())) for d in corpus.documents]
    rows.append((TOTAL, "", "total", *sizes, sum(sizes)))
    headers = ("code", "label", "level", *names, "total")
    return Table("matrix_code_document", headers, tuple(rows), suggestions=corpus.suggestions)


def crosstab(corpus: _Corpus, codebook: Codebook, attribute: str) -> Table:
    groups: dict[str, list[Document]] = defaultdict(list)
    for document in corpus.documents:
        groups[document.attributes.get(attribute) or MISSING].append(document)
    values = sorted(v for v in groups if v != MISSING) + ([MISSING] if MISSING in groups else [])
    sizes = {v: sum(len(corpus.units.get(d.id, ())) for d in groups[v]) for v in values}
    headers = ["code", "label", "level"]
    for value in values:
        headers += [f"n:{value}", f"share:{value}"]
    rows = []
    for code_id, label, level, matches in _code_rows(codebook):
        row: list[object] = [code_id, label, level]
        for value in values:
            n = _count(corpus, groups[value], matches)
            row += [n, round(n / sizes[value], 4) if sizes[value] else None]
        rows.append(tuple(row))
    rows.append((TOTAL, "", "total", *(x for v in values for x in (sizes[v], 1.0 if sizes[v] else None))))
    shares = frozenset(range(4, len(headers), 2))
    return Table(f"crosstab_code_{attribute}", tuple(headers), tuple(rows), shares, corpus.suggestions)


def cooccurrence(corpus: _Corpus, codebook: Codebook) -> Table:
    tops = codebook.top_ids
    rolled = (tuple(frozenset(map(codebook.roll_up, said)) for said in each) for each in corpus.claims.values())
    matrix = co_occurrences(tops, rolled)
    rows = tuple((a, *counts) for a, counts in zip(tops, matrix, strict=True))
    return Table("cooccurrence", ("code", *tops), rows, suggestions=corpus.suggestions)


def _code_rows(codebook: Codebook) -> list[tuple[str, str, str, frozenset[str]]]:
    """Each code with the codes that count for it: a top-level code and its sub-codes, or itself."""
    rows = []
    for top in codebook.top_level:
        children = codebook.children(top.id)
        rows.append((top.id, top.label, "top", frozenset({top.id, *(c.id for c in children)})))
        rows += [(c.id, c.label, "sub", frozenset({c.id})) for c in children]
    return rows


def _count(corpus: _Corpus, documents: Sequence[Document], matches: frozenset[str]) -> int:
    return sum(1 for d in documents for s in corpus.units.get(d.id, ()) if corpus.applied.get(s.id, set()) & matches)


def _corpus(store: ProjectStore, include_suggestions: bool) -> _Corpus:
    documents = tuple(store.documents.list())
    units: dict[int, list[Segment]] = defaultdict(list)
    for segment in store.documents.segments(role=Role.RESPONDENT):
        units[segment.document_id].append(segment)
    wanted = {s.id for rows in units.values() for s in rows}
    by_analyst: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    decided: set[tuple[int, str]] = set()
    for coding in store.codings.human():
        decided.add((coding.segment_id, coding.code_id))
        if coding.status.applies and coding.segment_id in wanted:
            by_analyst[coding.segment_id][coding.origin].add(coding.code_id)
    pending: dict[int, set[str]] = defaultdict(set)
    model = store.meta("current_model")
    if include_suggestions and model:
        for coding in store.codings.list(CodingFilter(origin=model, status=Status.SUGGESTED)):
            if coding.segment_id in wanted and (coding.segment_id, coding.code_id) not in decided:
                pending[coding.segment_id].add(coding.code_id)
    said = {s: claims(by_analyst.get(s, {}), pending.get(s, ())) for s in by_analyst.keys() | pending.keys()}
    applied = {s: set().union(*each) for s, each in said.items()}
    counted = model if include_suggestions and model else ""
    return _Corpus(documents, dict(units), applied, said, counted)


# -- writing -----------------------------------------------------------------------------------
def write_csv(tables: Sequence[Table], folder: Path, *, force: bool = False) -> list[Path]:
    """One CSV file per table in ``folder`` (created if needed); returns the files. A file there
    that is not exactly what this tool wrote (another's, or one with a column or a cell added since)
    is replaced only with ``force``, and then none is written."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(
            Text(
                "c'est un fichier : pour --format csv, donnez un dossier.",
                "this is a file: for --format csv, give a folder.",
            ),
            Text("Exemple : -o tableaux/", "Example: -o tables/"),
            path=folder,
        )
    paths = [folder / f"{file_stem(table)}.csv" for table in tables]
    for path in paths:
        check_file_target(path, "tableaux/")
        check_replaceable(path, force=force)
    make_folder(folder)
    for table, path in zip(tables, paths, strict=True):
        with (
            atomic_output(path, "tableaux/") as stream,
            io.TextIOWrapper(stream, encoding="utf-8-sig", newline="") as text,
        ):
            writer = csv.writer(text)
            writer.writerow([_inert(h) for h in table.headers])
            writer.writerows([_inert(v) for v in row] for row in table.rows)
    return paths


_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?")


def _inert(value: object) -> object:
    """A cell a spreadsheet will not run as a formula (the module doc says which ones change)."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_xlsx(tables: Sequence[Table], path: Path) -> Path:
    """One workbook, one sheet per table, in French (see :mod:`~tzcld_qual.reports.table_wording`),
    after a first sheet that says what was counted (text is always text: no formula from a transcript)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from tzcld_qual.reports import table_wording as fr

    path = check_file_target(Path(path), "tableaux.xlsx")
    workbook = Workbook(write_only=True)
    workbook.properties.creator = workbook.properties.lastModifiedBy = TOOL  # the next export may replace it
    suggestions = next((t.suggestions for t in tables if t.suggestions), "")
    workbook.properties.title = "Tableaux d'analyse" + (" — avec suggestions non revues" if suggestions else "")
    workbook.properties.subject = workbook.properties.description = "Comptage : " + fr.counting(suggestions)
    workbook.properties.keywords = "avec suggestions" if suggestions else "validés seulement"
    workbook.properties.language = "fr-FR"
    readme = workbook.create_sheet(fr.README_SHEET)
    for name, text in fr.readme_rows(tables):
        readme.append([name, text])
    titles: set[str] = {fr.README_SHEET.lower()}
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(fr.sheet_title(table), titles))
        sheet.freeze_panes = "A2"
        sheet.append(fr.headers(table))
        for row in table.rows:
            cells = []
            for index, value in enumerate(fr.row(table, row)):
                if isinstance(value, str):
                    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                    cell.data_type = "s"
                else:
                    cell = WriteOnlyCell(sheet, value=value)
                    if index in table.shares:
                        cell.number_format = "0.0%"
                cells.append(cell)
            sheet.append(cells)
    with atomic_output(path, "tableaux.xlsx") as stream:
        workbook.save(stream)
    return path


def file_stem(table: Table) -> str:
    """The CSV file's name without ``.csv``: the table's, and ``_with_suggestions`` when it counts
    a model's undecided suggestions (the same table without them is another file)."""
    stem = re.sub(r"[^\w\-.]+", "_", table.name).strip("_") or "table"
    return stem + ("_with_suggestions" if table.suggestions else "")


def _sheet_title(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31]
    title, n = base, 1
    while title.lower() in taken:
        n += 1
        title = f"{base[: 31 - len(str(n)) - 1]}~{n}"
    taken.add(title.lower())
    return title
