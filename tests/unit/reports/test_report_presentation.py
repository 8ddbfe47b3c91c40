"""How the report reads for a French funder: French names, plurals, typography, dates, print, Word page."""

from __future__ import annotations

import dataclasses
import io
import re
from html import unescape

import docx
import pytest
from docx.oxml.ns import qn
from report_fixture import MODEL_ID, Fixture

from tzcld_qual.reports.report import ReportData, ThemeRun, render
from tzcld_qual.reports.report_blocks import date_fr, french_spacing
from tzcld_qual.services.reports import build_report
from tzcld_qual.store import ProjectStore


@pytest.fixture
def data(project: Fixture) -> ReportData:
    with ProjectStore(project.path) as store:
        return build_report(store)


def test_breakdown_headings_name_attributes_in_french_only(data: ReportData) -> None:
    """« F1 par rôle (attribut « role ») », « (attribut « territory ») » in every format."""
    html = unescape(render(data, "html").decode("utf-8"))
    md = render(data, "md").decode("utf-8")
    word = "\n".join(p.text for p in docx.Document(io.BytesIO(render(data, "docx"))).paragraphs)
    for text in (html, md, word):
        assert "(attribut" not in text and "« territory »" not in text and "« round »" not in text
        assert "F1 par rôle" in text and "F1 par territoire" in text and "F1 par vague" in text


def test_one_of_a_count_takes_the_singular(data: ReportData) -> None:
    """« 1 segments codés par les deux »."""
    section = data.agreements[0]
    one = dataclasses.replace(section, result=dataclasses.replace(section.result, segments=(1,)))
    md = render(dataclasses.replace(data, agreements=(one,)), "md").decode("utf-8")
    assert "\n1 segment codé par les deux." in md and not re.search(r"\b1 segments", md)


def test_html_and_word_keep_french_punctuation_with_its_word(data: ReportData) -> None:
    """Ordinary spaces before ; : and inside « » let the page break « 11 thèmes » / « ; 93 segments »."""
    assert french_spacing("Repères : « oui » ; 11 thèmes ? F1 0,40") == (
        "Repères\u202f: «\u202foui\u202f»\u202f; 11\u00a0thèmes\u202f? F1 0,40"
    )
    html = unescape(render(data, "html").decode("utf-8"))
    prose = " ".join(re.findall(r"<p[^>]*>(.*?)</p>", html, re.S))
    assert prose and not re.search(r" [;:?!»]|« ", prose)
    assert "Comment lire les chiffres\u202f: l'unité" in html
    word = [p.text for p in docx.Document(io.BytesIO(render(data, "docx"))).paragraphs]
    assert not any(re.search(r" [;:»]|« ", text) for text in word)
    md = render(data, "md").decode("utf-8")
    assert "Comment lire les chiffres : l'unité" in md  # Markdown stays plain text


def test_the_report_says_every_date_one_way(data: ReportData) -> None:
    """The header said « 30/11/2026 19:41 », the models table « 2026-11-30 19:27 »."""
    assert date_fr("2026-11-30T19:27:37.46+00:00") == date_fr("2026-11-30 19:27:37.46+00:00")
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", date_fr("2026-11-30T19:27:37.461787+00:00"))
    assert date_fr("2026-11-30 19:27") == "30/11/2026 19:27" and date_fr("hier") == "hier"
    md = render(data, "md").decode("utf-8")
    assert not re.search(r"\d{4}-\d\d-\d\d", md)
    assert re.search(rf"\| {re.escape(MODEL_ID)} \(modèle final\) \| \w+ \| \d\d/\d\d/\d{{4}} \d\d:\d\d \|", md)


def test_chart_figures_print_open(data: ReportData) -> None:
    """The « Chiffres » tables were folded <details>, which print closed; nothing said how to print."""
    html = render(data, "html").decode("utf-8")
    css = html[html.index("@media print") :]
    assert "details { display: none; }" in css and ".print-only { display: block; }" in css
    assert "break-inside: avoid" in css and "thead { display: table-header-group; }" in css
    figures = re.findall(r"<figure.*?</figure>", html, re.S)
    assert figures and all('<div class="print-only"><table>' in f for f in figures)


def test_word_report_is_a4_in_french_with_repeated_table_headers(data: ReportData) -> None:
    """US Letter, en-US styles, and tables whose header row did not repeat on the next page."""
    document = docx.Document(io.BytesIO(render(data, "docx")))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    languages = {lang.get(qn("w:val")) for lang in document.styles.element.iter(qn("w:lang"))}
    assert languages == {"fr-FR"}
    assert document.tables and all(
        t.rows[0]._tr.trPr is not None and t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        for t in document.tables
    )


def test_title_is_the_project_name_or_the_one_given(data: ReportData) -> None:
    """« Rapport d'analyse qualitative — r1.tzq »: the file's extension in the title."""
    assert data.project == "mini" and data.heading == "Rapport d'analyse qualitative — mini"
    titled = dataclasses.replace(data, title="Bilan TZCLD 2026 — cohésion sociale")
    html = render(titled, "html").decode("utf-8")
    assert "<title>Bilan TZCLD 2026 — cohésion sociale</title>" in html
    assert docx.Document(io.BytesIO(render(titled, "docx"))).core_properties.title == titled.title
    assert render(titled, "md").decode("utf-8").startswith("# Bilan TZCLD 2026 — cohésion sociale\n")


def test_internal_terms_are_explained_once_for_a_reader_outside_the_project(data: ReportData) -> None:
    """« ensemble@1 », « topics@1 », « cosinus, direction commune ôtée » were never explained."""
    md = render(data, "md").decode("utf-8")
    assert md.count("Termes techniques") == 1
    assert f"« {MODEL_ID} » est le modèle de suggestion automatique" in md
    assert md.index("Termes techniques") < md.index("## F1")
    themes = ThemeRun(id="topics@1", created_at="2026-11-30T19:27:00+00:00", scope="all", threshold=0.5,
                      segments=10, respondent_segments=12, outliers=1, removed=0, themes=())
    themed = render(dataclasses.replace(data, themes=themes), "md").decode("utf-8")
    assert "« topics@1 » désigne le calcul des thèmes émergents" in themed
    assert "« direction commune ôtée » : on retire d'abord ce que tous les segments ont en commun" in themed
