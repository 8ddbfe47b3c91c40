"""What the report offers as evidence, on the hand-made project (report_fixture.py): passages the
model learnt, confidences per code, disputed quotes, « relu, aucun code » marks, --quotes 0; the
same content in the three formats."""

from __future__ import annotations

import io
import re
from html import unescape

import docx
from report_fixture import BACKGROUND, MODEL_ID, Fixture

from tzcld_qual.model import NO_CODE, Status, Suggestion
from tzcld_qual.reports.report import Finding, ReportData, render
from tzcld_qual.reports.report_blocks import CONTESTED, quote_item
from tzcld_qual.services.reports import build_report
from tzcld_qual.store import ProjectStore


def finding(data: ReportData, code: str) -> Finding:
    return next(f for f in data.findings if f.code == code)


def formats(data: ReportData) -> dict[str, str]:
    """The report's text in each format, markup aside."""
    html = unescape(re.sub(r"<[^>]+>", "", render(data, "html").decode("utf-8")))
    md = render(data, "md").decode("utf-8").replace("\\", "")
    document = docx.Document(io.BytesIO(render(data, "docx")))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return {"html": html, "md": md, "docx": "\n".join([p.text for p in document.paragraphs] + cells)}


def in_every_format(data: ReportData, *sentences: str) -> None:
    for fmt, text in formats(data).items():
        flat = " ".join(text.split())
        for sentence in sentences:
            assert sentence in flat, (fmt, sentence)

# -- 2. --quotes 0 -------------------------------------------------------------------------------------
def test_no_quotes_asked_writes_no_quote_list_and_no_false_none(project: Fixture) -> None:
    """« Aucun segment validé ni suggéré » was written under F1, which has five validated."""
    with ProjectStore(project.path) as store:
        data = build_report(store, quotes=0)
    assert all(not f.quotes for f in data.findings)
    for fmt, text in formats(data).items():
        assert "Aucun segment validé ni suggéré" not in text, fmt
        assert "Verbatims\n" not in text and "### Verbatims" not in text, fmt
        assert text.count("non demandés pour ce rapport (--quotes 0)") == 1, fmt


# -- 3. confidence per code ----------------------------------------------------------------------------
def test_a_suggestion_quote_gives_each_code_its_own_confidence(project: Fixture) -> None:
    """Segment 57 of an audit: « confiance 1,00 · F3, F3.sante » while F3.sante was 0.5362."""
    s12 = project.seg[12].id
    with ProjectStore(project.path) as store:
        store.codings.put_scores(
            MODEL_ID,
            {s12: {**BACKGROUND, "F1": 0.9, "F3": 0.95, "F3.formation": 0.5362}},
            [Suggestion(s12, "F3", 0.95, "t"), Suggestion(s12, "F3.formation", 0.5362, "t")],
        )
        data = build_report(store)
    quote = next(q for q in finding(data, "F3").quotes if q.segment_id == s12)
    assert quote.codes == ("F3", "F3.formation") and quote.code_confidences == (0.95, 0.5362)
    assert quote.confidence == 0.95  # the finding's own
    note = quote_item(quote).note
    assert note.endswith("non revue · F3 (confiance 0,95), F3.formation (confiance 0,54)")
    in_every_format(data, note)


# -- 4. disputed quotes --------------------------------------------------------------------------------
def test_a_quote_one_analyst_applied_and_another_rejected_is_contested(project: Fixture) -> None:
    """s3: alice accepted F2, bruno rejected it; it wore the green « validé » badge."""
    with ProjectStore(project.path) as store:
        data = build_report(store)
    s3 = project.seg[3].id
    item = quote_item(next(q for q in finding(data, "F2").quotes if q.segment_id == s3))
    assert item.kind == CONTESTED and item.note == "validé par alice · F2 · rejeté par bruno"
    html = render(data, "html").decode("utf-8")
    assert html.count('<blockquote class="quote contested">') == 1
    assert '<span class="badge">contesté</span> validé par alice · F2 · rejeté par bruno' in html
    assert ".contested .badge {" in html  # a style of its own, not the validated green
    in_every_format(data, item.note)


# -- 5. « relu, aucun code » -----------------------------------------------------------------------------
def test_no_code_marks_count_among_the_decisions(project: Fixture) -> None:
    """bruno read s12 (nobody else decided it) and s11 (alice coded F4) and marked them « relu,
    aucun code »: the methods said 16 decisions on 11 segments, as if he had not."""
    with ProjectStore(project.path) as store:
        for n in (11, 12):
            store.codings.decide(project.seg[n].id, NO_CODE, "bruno", Status.ACCEPTED)
        data = build_report(store)
    m = data.methods
    assert (m.no_code, m.no_code_segments, m.human_segments) == (2, 2, 12)
    in_every_format(
        data,
        "Décisions humaines : 18 décisions de 2 analystes (alice, bruno) sur 12 segments, dont 2 segments "
        "relus sans code : 11 acceptations, 2 ajouts manuels, 3 rejets, 2 marques « relu, aucun code ».",
    )
