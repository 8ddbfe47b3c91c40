"""The analysis report on the hand-made project (report_fixture.py): figures, quotes, formats."""

from __future__ import annotations

import dataclasses
import io
import re
import stat
import subprocess
import sys
from html import unescape
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest
from report_fixture import MODEL_ID, Fixture, build_project

from tzcld_qual.errors import NotFoundError, UsageError
from tzcld_qual.model import Role, Status
from tzcld_qual.reports.report import Finding, ReportData, Theme, ThemeQuote, ThemeRun, render, report_format
from tzcld_qual.reports.report_blocks import date_fr, french_spacing, quote_item
from tzcld_qual.reports.report_topics import emergent_themes
from tzcld_qual.services.reports import build_report, write_report
from tzcld_qual.store import ProjectStore

SECTIONS = [
    "synthese",
    "finding-F1",
    "finding-F2",
    "finding-F3",
    "finding-F4",
    "cooccurrences",
    "accord",
    "methodes",
]


@pytest.fixture
def data(project: Fixture) -> ReportData:
    with ProjectStore(project.path) as store:
        return build_report(store)


def finding(data: ReportData, code: str) -> Finding:
    return next(f for f in data.findings if f.code == code)


# -- figures ---------------------------------------------------------------------------------------
def test_prevalence_counts_segments_and_interviews_with_and_without_suggestions(
    data: ReportData,
) -> None:
    f1 = finding(data, "F1")
    # validated: alice/bruno on s1 s2 s5 s8 s10; pending: the model's F1 on s12 (s4 was rejected)
    assert (f1.total.segments, f1.total.segments_suggested, f1.total.segments_total) == (5, 6, 12)
    assert (f1.total.interviews, f1.total.interviews_suggested, f1.total.interviews_total) == (
        2,
        2,
        2,
    )
    by = {b.attribute: {g.group: g for g in b.groups} for b in f1.breakdowns}
    assert list(by) == ["role", "territory", "round"]
    elu = by["role"]["élu·e"]
    assert (elu.segments, elu.segments_suggested, elu.segments_total) == (2, 3, 6)
    assert by["round"]["vague 1"].segments == 3
    assert by["territory"]["Val-Sud"].share(suggested=True) == pytest.approx(0.5)
    f3 = finding(data, "F3")  # F3.formation (alice, s6) rolls up; the model's F3.formation on s3 is pending
    assert (f3.total.segments, f3.total.segments_suggested) == (2, 3)
    f4 = finding(data, "F4")
    assert (f4.total.segments, f4.total.interviews) == (1, 1)


def test_quotes_put_validated_first_then_marked_suggestions(data: ReportData, project: Fixture) -> None:
    n = {s.id: k for k, s in project.seg.items()}
    f2 = finding(data, "F2")
    # validated s2 s7 ranked by the model's F2 score (.30 both, by document), then s3 (.70) that
    # bruno rejected, said so; then the pending suggestion on s10 (.50), marked as such
    assert [(n[q.segment_id], q.validated) for q in f2.quotes] == [
        (2, True),
        (7, True),
        (3, True),
        (10, False),
    ]
    assert [q.contested_by for q in f2.quotes] == [(), (), ("bruno",), ()]
    assert "validé par alice · F2 · rejeté par bruno" in quote_item(f2.quotes[2]).note
    suggestion = f2.quotes[-1]
    assert suggestion.coders == (MODEL_ID,) and suggestion.confidence == pytest.approx(0.5)
    assert (suggestion.document, suggestion.speaker) == ("entretien-02", "Karim")
    f1 = finding(data, "F1")
    assert f1.quotes[1].coders == ("alice", "bruno")  # s1, accepted by both
    # five validated F1 quotes exist; at most two per interview while others are available
    assert [n[q.segment_id] for q in f1.quotes] == [5, 1, 2, 8, 10]


def test_quote_limit_and_spread_over_interviews(project: Fixture) -> None:
    n = {s.id: k for k, s in project.seg.items()}
    with ProjectStore(project.path) as store:
        data = build_report(store, quotes=3)
    assert [n[q.segment_id] for q in finding(data, "F1").quotes] == [
        5,
        1,
        8,
    ]  # s2 (3rd of entretien-01) left out
    assert [q.validated for q in finding(data, "F3").quotes] == [True, True, False]


def test_the_per_interview_cap_holds_across_validated_and_pending_quotes(project: Fixture) -> None:
    """Validated and pending quotes were spread apart, so a third entretien-01 quote came in
    while entretien-02 still had a suggestion to show; a suggestion never displaces a
    validated quote, though."""
    n = {s.id: k for k, s in project.seg.items()}
    with ProjectStore(project.path) as store:
        store.codings.decide(project.seg[1].id, "F2", "alice", Status.MANUAL)  # F2 validated: s1 s2 s3 | s7
        four = finding(build_report(store, quotes=4), "F2").quotes
        store.codings.decide(project.seg[3].id, "F2", "alice", Status.REJECTED)  # F2 validated: s1 s2 | s7
        store.codings.decide(project.seg[3].id, "F2", "bruno", Status.REJECTED)
        three = finding(build_report(store, quotes=4), "F2").quotes
    assert [(n[q.segment_id], q.validated) for q in four] == [(1, True), (2, True), (7, True), (3, True)]
    assert [(n[q.segment_id], q.validated) for q in three] == [(1, True), (2, True), (7, True), (10, False)]


def test_cooccurrences_validated_and_with_suggestions(data: ReportData) -> None:
    co = data.cooccurrence
    assert co.pair("F1", "F2") == 1  # s2
    assert co.pair("F1", "F2", suggested=True) == 2  # s2, and s10 with the pending F2
    assert co.pair("F2", "F3") == 0 and co.pair("F2", "F3", suggested=True) == 1  # s3
    assert co.pair("F1", "F1") == 5


def test_a_cooccurrence_is_what_one_analyst_applied(project: Fixture) -> None:
    """On s11 alice applied F4 and, now, bruno F1: each says the other's code is absent, yet the
    union counted F1 × F4 as validated (an audit's segment 4: F2 by alice, F6 by bruno)."""
    n = {k: s.id for k, s in project.seg.items()}
    with ProjectStore(project.path) as store:
        store.codings.decide(n[11], "F1", "bruno", Status.MANUAL)
        store.codings.decide(n[12], "F4", "bruno", Status.MANUAL)  # beside the model's pending F1
        co = build_report(store).cooccurrence
    assert co.pair("F1", "F4") == 0 and co.pair("F4", "F1") == 0
    assert co.pair("F1", "F4", suggested=True) == 1  # s12: bruno's F4 with the model's F1, not s11
    assert (co.pair("F1", "F1"), co.pair("F4", "F4")) == (6, 2)


def test_methods_say_who_decided_what(data: ReportData) -> None:
    m = data.methods
    assert m.model == MODEL_ID and m.analysts == ("alice", "bruno")
    assert (m.accepted, m.manual, m.rejected, m.human_segments) == (11, 2, 3, 11)
    assert (m.suggestions, m.pending) == (11, 4)
    assert (m.validated_pairs, m.pending_pairs) == (11, 3)
    assert m.disputed_pairs == 1  # s3: alice accepted F2, bruno rejected it
    assert "11 sont validées par un·e analyste ; 1 des validées ont été rejetées par un·e autre analyste" in (
        render(data, "md").decode("utf-8")
    )
    assert (m.interviews, m.segments, m.respondent_segments) == (2, 14, 12)
    assert m.runs[0].thresholds["F3.formation"] == pytest.approx(0.55)
    assert [(a.coder_a, a.coder_b, a.result.units) for a in data.agreements] == [
        (MODEL_ID, "alice", 10),
        (MODEL_ID, "bruno", 3),
        ("alice", "bruno", 3),
    ]
    assert data.themes is None


def test_project_without_model_or_analysts_still_reports(tmp_path: Path) -> None:
    fixture = build_project(tmp_path / "bare.tzq", model=False, analysts=False)
    out = tmp_path / "bare.html"
    outcome = write_report(fixture.path, out)
    html = unescape(out.read_text(encoding="utf-8"))
    assert (outcome.model, outcome.quotes, outcome.agreements) == (None, 0, 0)
    assert "aucun modèle n'a été appliqué" in html
    assert "Pas de comparaison possible" in html
    assert "Aucun segment validé ni suggéré" in html


def test_unknown_model_is_refused(project: Fixture, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="ensemble@7"):
        write_report(project.path, tmp_path / "r.html", model="ensemble@7")


# -- formats ---------------------------------------------------------------------------------------
def test_html_is_self_contained_with_sections_and_charts(data: ReportData) -> None:
    html = render(data, "html").decode("utf-8")
    for anchor in SECTIONS:
        assert f'<section id="{anchor}"' in html
    assert 'id="themes"' not in html  # no topics computed
    assert html.count("<svg") == 1 + 4 * 3  # overview + 4 findings × role/territory/round
    assert not re.search(r"<script|<link|<img|@import|url\(", html)
    assert re.findall(r"https?://[^\"' ]+", html) == ["http://www.w3.org/2000/svg"] * html.count("<svg")
    assert "&lt;capable&gt; de travailler &amp; ça" in html  # transcript text is escaped
    assert "[entretien-02 · Karim · segment " in html
    assert 'class="quote suggestion"' in html and french_spacing("non revue · F2 (confiance 0,50)") in html
    assert french_spacing("Validé sur 5 des 12 segments de personnes interrogées (41,7\u00a0%)") in html
    assert "n/a" in html  # F4's undefined kappa
    assert '<html lang="fr">' in html


def test_charts_are_valid_svg_with_bars_scaled_to_the_axis(data: ReportData) -> None:
    html = render(data, "html").decode("utf-8")
    svg = re.search(r'<svg[^>]*id="chart-F1-role".*?</svg>', html, re.S).group(0)
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    bars = root.findall(f"{ns}g")
    assert len(bars) == 2  # salarié·e EBE, élu·e
    rects = [[float(r.get("width")) for r in g.findall(f"{ns}rect")] for g in bars]
    # track 250 px; axis max 50 %: élu·e 2/6 validated = 166.7 px, 3/6 with suggestions = 250 px
    assert rects[1] == pytest.approx([250.0, 250.0, 166.7], abs=0.1)
    ticks = [t.text for t in root.findall(f"{ns}text") if t.get("font-size") == "10"]
    assert ticks == ["0\u00a0%", "10\u00a0%", "20\u00a0%", "30\u00a0%", "40\u00a0%", "50\u00a0%"]  # round shares


def test_every_axis_reads_in_round_shares() -> None:
    """A 25 % axis read « 6,25 % », « 18,75 % »."""
    from tzcld_qual.reports.report_svg import INTERVALS, SCALES

    for top in SCALES:
        steps = [100 * top * i / INTERVALS[top] for i in range(INTERVALS[top] + 1)]
        assert all(abs(v - round(v)) < 1e-9 for v in steps), top


THEMES = ThemeRun(
    id="topics@3",
    created_at="2025-03-04T10:20:00+00:00",
    scope="low-confidence",
    threshold=0.5,
    segments=328,
    respondent_segments=862,
    outliers=70,
    removed=4,
    themes=(
        Theme("Mobilité et transport", 14, ("voiture", "bus"), "F3", 0.41,
              (ThemeQuote(17, "entretien-02", "Karim", "Sans voiture, pas de boulot."),), id=0,
              promoted_code="F3.mobilite"),
        Theme("État · réunions", 9, ("État",), None, None, (ThemeQuote(5, "entretien-01", "Sylvie", "L'État ?"),),
              id=1, earlier_code=("T1", "topics@1", 4)),
        Theme("hiver · neige", 8, ("hiver",), id=2),
    ),
)
VERDICTS = dataclasses.replace(
    THEMES,
    themes=(
        Theme("État · réunion", 93, ("État",), "F1", 0.42, id=0, verdict="covered", verdict_label="couvert (F1)"),
        Theme("dos · envie", 37, ("dos",), "F4", 0.13, id=1, verdict="uncovered", verdict_label="pas couvert"),
        Theme("café · file", 21, ("café",), "F4", 0.2, id=3, verdict="phase",
              verdict_label="phase de l'entretien (clôture)"),
        Theme("hiver · neige", 23, ("hiver",), "F5", 0.08, id=2, verdict="uncovered", verdict_label="pas couvert",
              promoted_code="T2"),
    ),
    rules=("Couvert par le codebook : … soit 0,37 ou plus …", "Phase de l'entretien : …"),
)


def test_themes_section_gives_each_theme_the_verdict_of_the_cli_and_its_rules(data: ReportData) -> None:
    """« Les autres ne sont pas dans le codebook » was said of every unpromoted theme, one at 0.42 from F1."""
    html = unescape(render(dataclasses.replace(data, themes=VERDICTS), "html").decode("utf-8"))
    section = html[html.index('<section id="themes"'):]
    section = section[:section.index("</section>")]
    assert "pas dans le codebook" not in section
    assert french_spacing(
        "Thèmes devenus des codes : thème 2 → T2. Parmi les autres : pas couverts par le codebook, à examiner : "
        "thème 1 ; couverts par le codebook : thème 0 (F1) ; phases de l'entretien (présentations, "
        "remerciements), pas des enseignements : thème 3."
    ) in section
    assert "<th>Verdict</th>" in section and "<td>couvert (F1)</td>" in section
    assert "<td>phase de l'entretien (clôture)</td>" in section
    assert french_spacing("Couvert par le codebook : … soit 0,37 ou plus …") in section


def test_themes_section_says_which_run_scope_outliers_and_promotions(data: ReportData) -> None:
    """The section gave neither the run, nor its scope, nor the segments in no theme, nor which
    themes became codes; its examples were rendered as validated quotes « [thème …] »."""
    themed = dataclasses.replace(data, themes=THEMES)
    html = unescape(render(themed, "html").decode("utf-8"))
    section = html[html.index('<section id="themes"'):]
    section = section[:section.index("</section>")].replace("\u202f", " ")  # French spacing: tested apart
    section = re.sub(r"(\d)\u00a0(?!%)", r"\1 ", section)
    when = date_fr("2025-03-04T10:20:00+00:00")  # local time, in the report's one date format
    assert f"Calcul topics@3 du {when} : 328 segments regroupés sur les 862 segments" in section
    assert "ni code appliqué par un·e analyste ni suggestion du modèle courant de confiance 0,50 ou plus" in section
    assert "70 segments (21,3\u00a0%) ne relèvent d'aucun thème" in section
    assert "4 segments de documents retirés du projet depuis ce calcul n'y sont plus comptés" in section
    assert ("Thèmes devenus des codes : thème 0 → F3.mobilite ; thème 1 → T1 (promu depuis le thème 4 de topics@1)."
            in section)
    assert "<td>0 — Mobilité et transport</td>" in section and "<td>F3.mobilite</td>" in section
    assert "F3 (0,41)" in section
    assert section.count('<blockquote class="quote example">') == 2 and "validé" not in section
    assert "<cite>[entretien-02 · Karim · segment 17]</cite>" in section and "[thème" not in section
    assert '<span class="badge">exemple non revu</span> exemple du thème 0' in section
    said = "Thèmes émergents : 3 thèmes calculés avec BERTopic (topics@3, périmètre low-confidence)."
    assert french_spacing(said) in html
    md = render(themed, "md").decode("utf-8")
    assert "> — \\[entretien-02 · Karim · segment 17\\] *(exemple du thème 0 de topics@3 « Mobilité et " in md
    assert "transport », non revu)*" in md and "Calcul topics@3" in md
    document = docx.Document(io.BytesIO(render(themed, "docx")))
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("[entretien-01 · Sylvie · segment 5] (exemple du thème 1") for t in texts)
    plain = dataclasses.replace(themed, themes=dataclasses.replace(THEMES, scope="all", themes=THEMES.themes[2:]))
    html = unescape(render(plain, "html").decode("utf-8"))
    assert "soit tous les segments de personnes interrogées (hors réponses trop brèves" in html
    assert "Aucun de ces thèmes n'est devenu un code du codebook" in html


def test_emergent_themes_come_from_the_latest_saved_topic_run(project: Fixture) -> None:
    from tzcld_qual.store.topics import TopicRecord

    with ProjectStore(project.path) as store:
        assert emergent_themes(store) is None  # no topic run yet
        seg = store.documents.segments(role=Role.RESPONDENT)
        other = next(s for s in seg if s.document_id != seg[0].document_id)
        store.topics.add_run(
            fingerprint="fp",
            scope="uncoded",
            params={"low_confidence": 0.5},
            embedding_model="m",
            analyzer="a",
            codebook_version=1,
            assignments=[(seg[0].id, 0, 0.9), (other.id, 0, 0.8), (seg[1].id, -1, 0.0)],
            topics=[
                TopicRecord(0, 2, "Transport", ("voiture", "bus"), ((seg[0].id, 0.8), (other.id, 0.7)), {},
                            (("F3", 0.5),), b""),
            ],
        )
        store.topics.mark_promoted("topics@1", 0, "F3.transport", 2)
        themes = emergent_themes(store, lambda run, topic: ("never", run, topic))
        assert themes is not None
        assert (themes.id, themes.scope, themes.segments, themes.outliers, themes.removed) == (
            "topics@1", "uncoded", 3, 1, 0)
        assert themes.respondent_segments == 12
        quote = ThemeQuote(seg[0].id, store.documents.get(seg[0].document_id).name, seg[0].speaker, seg[0].text)
        assert themes.themes[0].quotes[0] == quote
        assert (themes.themes[0].promoted_code, themes.themes[0].earlier_code) == ("F3.transport", None)
        assert (themes.themes[0].verdict, themes.themes[0].verdict_label) == ("unknown", "sans verdict")
        assert themes.rules and "pas de verdict" in themes.rules[0]  # the run measured no coded segments
        # a codebook reloaded since lacks the code: the report said the theme « became » it
        gone = emergent_themes(store, None, store.codebooks.get())
        assert gone is not None and gone.themes[0].promoted_code == "F3.transport (retiré du codebook depuis)"
        store.documents.retire(store.documents.get(other.document_id).name)  # tzcld-qual remove
        after = emergent_themes(store)
    assert after is not None and after.removed == 1 and after.segments == 2
    assert after.themes[0].size == 1 and [q.segment_id for q in after.themes[0].quotes] == [seg[0].id]


def test_markdown_has_the_same_sections_with_tables_instead_of_charts(data: ReportData) -> None:
    md = render(data, "md").decode("utf-8")
    titles = re.findall(r"^## (.+)$", md, re.M)
    assert titles == [
        "Synthèse",
        "F1 — Concertation du CLE",
        "F2 — Regard sur l'employabilité",
        "F3 — Connaissance des droits",
        "F4 — Regard sur soi",
        "Co-occurrences",
        "Accord inter-codeurs",
        "Méthodes",
    ]
    assert "<svg" not in md
    assert "| élu·e | 2 (33,3\u00a0%) | 3 (50,0\u00a0%) | 6 | 1 | 1 | 1 |" in md
    assert "\\<capable\\>" in md


def test_docx_has_headings_quotes_and_tables(data: ReportData) -> None:
    document = docx.Document(io.BytesIO(render(data, "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Synthèse",
        "F1 — Concertation du CLE",
        "F2 — Regard sur l'employabilité",
        "F3 — Connaissance des droits",
        "F4 — Regard sur soi",
        "Co-occurrences",
        "Accord inter-codeurs",
        "Méthodes",
    ]
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert len(quotes) == sum(len(f.quotes) for f in data.findings)
    agreement = next(t for t in document.tables if t.rows[0].cells[0].text == "Code")
    assert [c.text for c in agreement.rows[1].cells] == [
        "F1",
        "Concertation du CLE",
        "4",
        "1",
        "1",
        "4",
        "80,0\u00a0%",
        "0,60",
        "0,62",
    ]


@pytest.mark.parametrize("name", ["r.pdf", "r", "r.txt"])
def test_unknown_suffix_is_a_usage_error(name: str) -> None:
    with pytest.raises(UsageError):
        report_format(Path(name).suffix)


@pytest.mark.parametrize("suffix", [".html", ".md", ".docx"])
def test_write_report_is_private_and_complete(project: Fixture, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"rapport{suffix}"
    outcome = write_report(project.path, out)
    assert out.stat().st_size > 1000
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # it quotes interviews
    assert (outcome.findings, outcome.agreements, outcome.suggestion_quotes) == (4, 3, 2)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left


def test_documents_without_an_attribute_are_grouped_last(project: Fixture) -> None:
    with ProjectStore(project.path) as store:
        doc = store.documents.find("entretien-02")
        assert doc is not None
        store.documents.set_attributes(doc.id, {"territory": "Val-Sud"})
        data = build_report(store)
    role = next(b for b in finding(data, "F1").breakdowns if b.attribute == "role")
    assert [(g.group, g.segments, g.segments_total, g.interviews_total) for g in role.groups] == [
        ("salarié·e EBE", 3, 6, 1),
        ("non renseigné", 2, 6, 1),
    ]


def test_report_and_agreement_commands_import_nothing_heavy() -> None:
    code = (
        "import sys, tzcld_qual.cli.report_cmds, tzcld_qual.cli.agreement_cmds, tzcld_qual.services.reports; "
        "print(sorted(m for m in ('numpy', 'docx', 'lxml', 'krippendorff', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_chart_is_wide_enough_for_its_longest_figures() -> None:
    """An audit saw "(122/862" cut at the right edge of the HTML chart."""
    from tzcld_qual.reports.report_blocks import Bar, BarChart, Table
    from tzcld_qual.reports.report_svg import BAR_W, CHAR_W, bar_chart_svg

    text = "14,2\u00a0% validé (122/862) · 17,6\u00a0% avec suggestions et encore un peu plus long"
    chart = BarChart("f4", "F4", "#123456", (Bar("F4", 0.142, 0.176, text),), Table((), ()))
    svg = bar_chart_svg(chart)
    width = int(svg.split('width="', 1)[1].split('"', 1)[0])
    assert width - (BAR_W + 8) >= CHAR_W * len(text)
    assert f">{text}</text>" in svg


def test_chart_labels_are_whole_and_the_svg_fits_a_narrow_page() -> None:
    """« F1 — Concertation du CLE et cap… », « personne privée durablement d'e… »: labels were cut, and
    the 780 px chart shrank to ~8 px text in a 700 px window; its legend swatches were grey over
    coloured bars."""
    from tzcld_qual.reports.report_blocks import Bar, BarChart, Table
    from tzcld_qual.reports.report_svg import bar_chart_svg

    long = "F8 — Activités de cohésion, modèle économique et financement durable des entreprises à but d'emploi"
    bars = (Bar("personne privée durablement d'emploi", 0.1, 0.2, "x", "#aa0000"), Bar(long, 0.1, 0.2, "y", "#00aa00"))
    root = ElementTree.fromstring(bar_chart_svg(BarChart("c", "C", "#666666", bars, Table((), ()))))
    ns = "{http://www.w3.org/2000/svg}"
    assert int(root.get("width")) <= 600
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "personne privée durablement d'emploi" in texts and not any("…" in (t or "") for t in texts)
    assert " ".join(t for t in texts if t and t.split()[0] in long.split()) .count("financement") == 1
    legend = [r.get("fill") for r in root.findall(f"{ns}rect")]  # the legend's swatches, outside the bars
    assert set(legend) == {"#aa0000", "#00aa00"}


def test_bar_figures_say_the_validated_share_with_its_count_then_with_suggestions(data: ReportData) -> None:
    """« 0,5 % · 8,5 % avec sugg. (4/862) » left the reader to guess what 4 counts."""
    html = unescape(render(data, "html").decode("utf-8"))
    assert "41,7\u00a0% validé (5/12) · " in html and "\u00a0% avec suggestions</text>" in html
    assert "avec sugg. (" not in html


def test_a_rejected_sub_code_alone_does_not_dispute_the_finding(project: Fixture) -> None:
    """Rejecting only the model's F3.formation is a precision, not a "rejeté par" on F3."""
    n = {k: s.id for k, s in project.seg.items()}
    with ProjectStore(project.path) as store:
        store.codings.decide(n[6], "F3.sante", "bruno", Status.REJECTED)  # alice applied F3.formation on s6
        data = build_report(store)
        quote = next(q for q in finding(data, "F3").quotes if q.segment_id == n[6])
        assert quote.contested_by == ()
        store.codings.decide(n[6], "F3.formation", "bruno", Status.REJECTED)  # the very code alice applied
        quote = next(q for q in finding(build_report(store), "F3").quotes if q.segment_id == n[6])
        assert quote.contested_by == ("bruno",)


def test_decisions_on_codes_the_codebook_lost_are_said_not_silently_dropped(project: Fixture) -> None:
    """After `codebook load` of a version without F1, every F1 figure fell to zero while the
    methods still counted the F1 acceptances, with no word of why."""
    from report_fixture import CODEBOOK

    from tzcld_qual.codebook import parse_codebook

    without_f1 = CODEBOOK.replace("version: 1", "version: 2").split("  - id: F2")[1]
    text = CODEBOOK.split("  - id: F1")[0].replace("version: 1", "version: 2") + "  - id: F2" + without_f1
    with ProjectStore(project.path) as store:
        applied_f1 = sum(
            1
            for c in store.codings.human()
            if c.status.applies
            and c.code_id == "F1"
            and store.documents.segment(c.segment_id).role.value == "respondent"
        )
        store.codebooks.add(parse_codebook(text), text, "sans-f1.yaml")
        data = build_report(store)
    assert applied_f1 >= 5 and "F1" not in [f.code for f in data.findings]
    assert data.methods.outside == (("F1", applied_f1),)
    markdown = render(data, "md").decode("utf-8")
    assert (
        f"Attention : {applied_f1} décisions d'analystes appliquent des codes absents de ce codebook "
        f"(version 2) : F1 ({applied_f1})" in markdown
    )


def test_codes_the_codebook_lacks_count_in_no_figure_of_the_report(project: Fixture) -> None:
    """After a codebook reload that dropped a promoted theme (T1) and a sub-code (F2.absent),
    the methods said no figure counted their decisions, yet F2.absent counted for F2 (by its
    id) and T1 had a row in the agreement table."""
    n = {k: s.id for k, s in project.seg.items()}
    with ProjectStore(project.path) as store:
        before = build_report(store)
        for coder in ("alice", "bruno"):
            store.codings.decide(n[6], "T1", coder, Status.MANUAL)
            store.codings.decide(n[6], "F2.absent", coder, Status.MANUAL)
        after = build_report(store)
    assert finding(after, "F2").total == finding(before, "F2").total
    assert [q.segment_id for q in finding(after, "F2").quotes] == [q.segment_id for q in finding(before, "F2").quotes]
    assert all("T1" not in [c.code for c in a.result.codes] for a in after.agreements)
    assert [a.result.pooled for a in after.agreements] == [a.result.pooled for a in before.agreements]
    assert dict(after.methods.outside) == {"T1": 2, "F2.absent": 2}


def test_a_promoted_theme_is_no_finding_of_the_evaluation(project: Fixture) -> None:
    """A theme promoted to a top-level code made the report « codés selon les 5 enseignements »
    of an evaluation that has 4."""
    from report_fixture import CODEBOOK

    from tzcld_qual.codebook import parse_codebook

    text = CODEBOOK.replace("version: 1", "version: 2") + (
        '  - id: T1\n    label: "Hiver, neige"\n    definition: "Brouillon issu du thème 2."\n'
    )
    with ProjectStore(project.path) as store:
        before = render(build_report(store), "md").decode("utf-8")
        store.codebooks.add(parse_codebook(text), text, "avec-theme.yaml")
        after = render(build_report(store), "md").decode("utf-8")
    assert "codés selon les 4 enseignements du codebook" in before
    assert "codés selon les 4 enseignements et 1 autre code du codebook" in after


def test_an_agreement_defined_on_one_code_reads_in_the_singular() -> None:
    """« sur les 1 codes où il est défini »."""
    from tzcld_qual.reports.agreement import compare
    from tzcld_qual.reports.report import AgreementSection
    from tzcld_qual.reports.report_blocks import Paragraph, _agreement_blocks

    a = {1: {"F1"}, 2: set(), 3: {"F1"}, 4: set()}
    b = {1: {"F1"}, 2: {"F1"}, 3: {"F1"}, 4: set()}
    result = compare(["F1", "F2"], a, b, name_a="alice", name_b="bruno")
    assert result.defined_kappas == 1
    blocks = _agreement_blocks(AgreementSection("alice", "human", "bruno", "human", result, {}))
    summary = next(b.text for b in blocks if isinstance(b, Paragraph))
    assert "(sur le seul code où il est défini ; à lire avec le tableau par code)" in summary
