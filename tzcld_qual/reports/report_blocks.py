"""The report as sections of neutral blocks, with every French sentence written once.

HTML, Markdown and DOCX renderers walk these blocks; a :class:`BarChart` carries its figures as a
:class:`Table` too, so formats without charts (Markdown, DOCX) show the same numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tzcld_qual.reports.agreement import FEW_POSITIVES
from tzcld_qual.reports.report import (
    AgreementSection,
    Finding,
    Methods,
    Prevalence,
    Quote,
    ReportData,
    Theme,
    ThemeRun,
)


@dataclass(frozen=True, slots=True)
class Heading:
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    kind: str = ""  # "" | statement | definition | note


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    shades: tuple[tuple[float, ...], ...] | None = None  # 0..1 per cell, for heat maps


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float  # validated share, 0..1
    extra: float  # share with pending suggestions, ≥ value
    text: str
    color: str = ""  # this bar's colour (default: the chart's)


@dataclass(frozen=True, slots=True)
class BarChart:
    anchor: str
    title: str
    color: str
    bars: tuple[Bar, ...]
    table: Table


# kinds of quotes; CONTESTED: validated by one analyst, rejected by another
VALIDATED, CONTESTED, SUGGESTION, EXAMPLE = "validated", "contested", "suggestion", "example"
BADGES = {VALIDATED: "validé", CONTESTED: "contesté", SUGGESTION: "suggestion", EXAMPLE: "exemple non revu"}
LEARNT = "passage d'entraînement du modèle"


@dataclass(frozen=True, slots=True)
class QuoteItem:
    text: str
    citation: str
    note: str
    # VALIDATED by an analyst | CONTESTED (validated, rejected by another) | a model's SUGGESTION |
    # an emergent theme's EXAMPLE (no one coded it)
    kind: str


Block = Heading | Paragraph | Table | BarChart | QuoteItem


@dataclass(frozen=True, slots=True)
class Section:
    anchor: str
    title: str
    blocks: tuple[Block, ...]


LEGEND = ("validé par un·e analyste", "avec les suggestions non revues du modèle")
READING_NOTE = (
    "Comment lire les chiffres : l'unité est le segment, c'est-à-dire un tour de parole d'une "
    "personne "
    "interrogée (les questions de l'enquêteur·rice ne sont pas codées) ; « entretiens » compte les "
    "entretiens qui ont au moins un tel segment. « Validé » ne retient que les codes acceptés ou "
    "ajoutés par un·e analyste ; « avec suggestions » y ajoute les suggestions du modèle courant "
    "qu'aucun·e analyste n'a encore revues. Un sous-code compte pour son enseignement."
)
LANDMARKS = (
    "Repères : kappa et alpha valent 1 pour un accord parfait et 0 pour un accord dû au hasard ; "
    "α ≥ 0,8 est jugé fiable, 0,667 ≤ α < 0,8 acceptable pour des conclusions provisoires "
    "(Krippendorff). « n/a » : indéfini, le code n'ayant varié chez aucun des deux codeurs "
    "(personne ne l'a utilisé, ou les deux partout)."
)


def num(value: float | None, digits: int = 2) -> str:
    """French decimal (``0,62``); ``n/a`` for an undefined figure."""
    if value is None:
        return "n/a"
    text = f"{value:.{digits}f}"
    return text.lstrip("-").replace(".", ",") if float(text) == 0 else text.replace(".", ",")  # never « -0,00 »


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}".replace(".", ",") + "\u00a0%"


NNBSP, NBSP = "\u202f", "\u00a0"
_BEFORE_PUNCT = re.compile(r" +([;:!?»])")
_AFTER_GUILLEMET = re.compile(r"« +")
_NUMBER_WORD = re.compile(r"(?<![\w.,])(\d+) (?=[^\W\d_])")


def french_spacing(text: str) -> str:
    """French typography for a page that wraps lines: a thin no-break space before ; : ! ? and inside
    « », a no-break space between a number and its noun, so « 11 thèmes » or « ; 93 segments » is never
    split at the end of a line (HTML and Word; Markdown keeps ordinary spaces)."""
    text = _BEFORE_PUNCT.sub(lambda m: NNBSP + m.group(1), text)
    text = _AFTER_GUILLEMET.sub("«" + NNBSP, text)
    return _NUMBER_WORD.sub(lambda m: m.group(1) + NBSP, text)


def date_fr(value: str) -> str:
    """``30/11/2026 19:27`` (local time) from a stored ISO date, the one date format of the report."""
    from datetime import datetime

    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return value
    return (when.astimezone() if when.tzinfo else when).strftime("%d/%m/%Y %H:%M")


def anchor(code: str) -> str:
    return "finding-" + re.sub(r"[^A-Za-z0-9_-]", "-", code)


def build_sections(data: ReportData) -> tuple[Section, ...]:
    sections = [_summary(data)]
    sections += [_finding(f, data) for f in data.findings]
    sections.append(_cooccurrences(data))
    if data.themes is not None:
        sections.append(_themes(data))
    sections.append(_agreement(data))
    sections.append(_methods(data.methods, data))
    return tuple(sections)


# -- sections --------------------------------------------------------------------------------------
def _summary(data: ReportData) -> Section:
    m = data.methods
    intro = (
        f"{plural(m.interviews, 'entretien')}, {plural(m.respondent_segments, 'segment')} de personnes "
        "interrogées, "
        f"codés selon les {findings_phrase(data.findings)} du codebook « {m.codebook_name} » "
        f"(version {m.codebook_version})."
    )
    bars = tuple(
        Bar(
            f"{f.code} — {f.label}",
            f.total.share() or 0.0,
            f.total.share(suggested=True) or 0.0,
            _bar_text(f.total),
            f.color,
        )
        for f in data.findings
    )
    table = _prevalence_table("Enseignement", [(f"{f.code} — {f.label}", f.total) for f in data.findings])
    chart = BarChart(
        "chart-overview",
        "Part des segments où chaque enseignement est présent",
        "#666666",  # the legend's neutral colour; each bar has its finding's colour
        bars,
        table,
    )
    notes = [Paragraph(READING_NOTE, "note")]
    if terms := glossary(data):
        notes.append(Paragraph(terms, "note"))
    return Section("synthese", "Synthèse", (Paragraph(intro), *notes, chart))


def _finding(f: Finding, data: ReportData) -> Section:
    blocks: list[Block] = []
    if f.statement:
        blocks.append(Paragraph(f"Enseignement du bilan : {f.statement}", "statement"))
    blocks.append(Paragraph(f"Définition : {f.definition}", "definition"))
    if f.subcodes:
        blocks.append(Paragraph("Sous-codes : " + " ; ".join(f"{c} ({label})" for c, label in f.subcodes) + "."))
    blocks.append(Heading("Prévalence"))
    blocks.append(Paragraph(prevalence_sentence(f.total)))
    for b in f.breakdowns:
        bars = tuple(Bar(g.group, g.share() or 0.0, g.share(suggested=True) or 0.0, _bar_text(g)) for g in b.groups)
        blocks.append(
            BarChart(
                f"chart-{f.code}-{b.attribute}",
                f"{f.code} par {b.label.lower()}",  # « par rôle », never the English attribute name
                f.color,
                bars,
                _prevalence_table(b.label, [(g.group, g) for g in b.groups]),
            )
        )
    if not f.breakdowns:
        blocks.append(
            Paragraph(
                "Les documents n'ont pas d'attributs rôle, territoire ou vague : pas de ventilation.",
                "note",
            )
        )
    if data.quotes > 0:  # none asked: no list, and no « aucun segment » said of a finding that has some
        blocks.append(Heading("Verbatims"))
        if f.quotes:
            blocks += [quote_item(q) for q in f.quotes]
        else:
            blocks.append(Paragraph("Aucun segment validé ni suggéré pour cet enseignement.", "note"))
    blocks.append(Heading("Co-occurrences"))
    blocks.append(Paragraph(_cooccurrence_sentence(f.code, data)))
    return Section(anchor(f.code), f"{f.code} — {f.label}", tuple(blocks))


def _cooccurrences(data: ReportData) -> Section:
    co = data.cooccurrence
    peak = max(
        (co.suggested[i][j] for i in range(len(co.codes)) for j in range(len(co.codes)) if i != j),
        default=0,
    )
    rows, shades = [], []
    for i, a in enumerate(co.codes):
        rows.append((a, *(f"{co.suggested[i][j]} · {co.validated[i][j]}" for j in range(len(co.codes)))))
        shades.append(
            (
                0.0,
                *((co.suggested[i][j] / peak if peak and i != j else 0.0) for j in range(len(co.codes))),
            )
        )
    note = (
        "Chaque case compte les segments où les deux enseignements sont retenus ensemble par un·e même "
        "analyste (ou, dans le total, par le modèle pour ce que personne n'a tranché) : total avec les "
        "suggestions non revues · dont validés par un·e analyste. Deux analystes qui "
        "codent chacun·e un enseignement différent ne font pas une co-occurrence. La diagonale donne "
        "le nombre de segments de l'enseignement seul."
    )
    table = Table(("", *co.codes), tuple(rows), "Co-occurrences (segments)", tuple(shades))
    return Section("cooccurrences", "Co-occurrences", (Paragraph(note, "note"), table))


def _themes(data: ReportData) -> Section:
    run = data.themes
    assert run is not None
    rows = tuple(
        (
            f"{t.id} — {t.label}",
            str(t.size),
            ", ".join(t.keywords),
            f"{t.nearest_code} ({num(t.similarity)})" if t.nearest_code else "—",
            t.verdict_label or "—",
            _theme_code(t) or "—",
        )
        for t in run.themes
    )
    blocks: list[Block] = [
        Paragraph(
            "Thèmes repérés automatiquement (BERTopic) parmi les segments, sans passer par le "
            "codebook : ils signalent ce que les enseignements ne nomment peut-être pas encore. "
            "Taille en segments ; le code le plus proche et le verdict disent si le codebook le couvre déjà.",
            "note",
        ),
        Paragraph(_theme_run_sentence(run)),
        Paragraph(_promoted_sentence(run)),
        *(Paragraph(rule, "note") for rule in run.rules),
    ]
    if rows:
        blocks.append(
            Table(
                ("Thème", "Segments", "Mots-clés", "Code le plus proche (similarité)", "Verdict", "Devenu un code"),
                rows,
                f"Thèmes émergents ({run.id})",
            )
        )
    quotes = [(t, q) for t in run.themes for q in t.quotes]
    if quotes:
        blocks.append(Heading("Exemples de thèmes"))
        blocks.append(
            Paragraph(
                "Segments les plus typiques de chaque thème, regroupés par le modèle : aucun·e analyste "
                "ne les a codés ni revus à ce titre.",
                "note",
            )
        )
        blocks += [
            QuoteItem(
                q.text,
                citation_of(q.document, q.speaker, q.segment_id),
                f"exemple du thème {t.id} de {run.id} « {t.label} », non revu",
                EXAMPLE,
            )
            for t, q in quotes
        ]
    return Section("themes", "Thèmes émergents", tuple(blocks))


SCOPES = {
    "all": "tous les segments de personnes interrogées",
    "uncoded": "ceux auxquels aucun·e analyste n'avait appliqué de code au moment du calcul",
    "low-confidence": (
        "ceux qui, au moment du calcul, n'avaient ni code appliqué par un·e analyste ni suggestion "
        "du modèle courant de confiance {threshold} ou plus"
    ),
}


def _theme_run_sentence(run: ThemeRun) -> str:
    """What the run clustered (its scope, against all the respondent segments) and what it left out."""
    scope = SCOPES.get(run.scope, f"périmètre « {run.scope} »").format(threshold=num(run.threshold))
    themed = run.segments - run.outliers
    text = (
        f"Calcul {run.id} du {date_fr(run.created_at)} : {plural(run.segments, 'segment')} "
        f"regroupés sur les {run.respondent_segments} segments de personnes interrogées du projet, soit "
        f"{scope} (hors réponses trop brèves pour porter un thème). {plural(themed, 'segment')} forment "
        f"{plural(len(run.themes), 'thème')} ; {plural(run.outliers, 'segment')} "
        f"({pct(run.outliers / run.segments if run.segments else None)}) ne relèvent d'aucun thème."
    )
    if run.removed:
        text += (
            f" {plural(run.removed, 'segment')} de documents retirés du projet depuis ce calcul "
            "n'y sont plus comptés."
        )
    return text


def _theme_code(t: Theme) -> str:
    if t.promoted_code:
        return t.promoted_code
    if t.earlier_code:
        code, run, topic = t.earlier_code
        return f"{code} (promu depuis le thème {topic} de {run})"
    return ""


def _promoted_sentence(run: ThemeRun) -> str:
    """Which themes became codes, then what the others are by the run's verdict (the rules below):
    « Les autres ne sont pas dans le codebook » was said of a theme at 0.42 from F1."""
    done = [f"thème {t.id} → {_theme_code(t)}" for t in run.themes if _theme_code(t)]
    if not done:
        text = "Aucun de ces thèmes n'est devenu un code du codebook (tzcld-qual topics promote PROJET N)."
    else:
        text = f"Thèmes devenus des codes : {' ; '.join(done)}."
    rest = [t for t in run.themes if not _theme_code(t)]
    groups = (
        ("uncovered", "pas couverts par le codebook, à examiner"),
        ("covered", "couverts par le codebook"),
        ("phase", "phases de l'entretien (présentations, remerciements), pas des enseignements"),
        ("unknown", "sans verdict"),
    )
    parts = []
    for verdict, said in groups:
        ids = [t for t in rest if t.verdict == verdict]
        if ids:
            named = ", ".join(
                f"{t.id} ({t.verdict_label.split('(', 1)[1]}" if verdict == "covered" and "(" in t.verdict_label
                else str(t.id) for t in ids
            )
            parts.append(f"{said} : {'thème' if len(ids) == 1 else 'thèmes'} {named}")
    if parts:
        text += f" {'Parmi les autres' if done else 'Parmi eux'} : {' ; '.join(parts)}."
    return text


def _agreement(data: ReportData) -> Section:
    blocks: list[Block] = [
        Paragraph(
            "Accord au niveau du segment, code par code (chaque enseignement est une variable "
            "présent / "
            "absent) : pourcentage d'accord, kappa de Cohen et alpha de Krippendorff "
            "(nominal). Seuls les "
            "segments codés par les deux codeurs sont comparés : pour un·e analyste, ceux où "
            "il ou elle a "
            "pris au moins une décision (un code ni accepté ni ajouté y compte comme absent, "
            "sauf une suggestion qu'il ou elle n'a pas tranchée : la paire segment × code est "
            "alors laissée de côté) ; pour le modèle, ceux "
            "qu'il a évalués.",
            "note",
        )
    ]
    if not data.agreements:
        blocks.append(
            Paragraph(
                "Pas de comparaison possible : il faut au moins un·e analyste ayant "
                "codé des segments aussi codés par le modèle final ou par un·e autre "
                "analyste."
            )
        )
    for section in data.agreements:
        blocks += _agreement_blocks(section)
    blocks.append(Paragraph(LANDMARKS, "note"))
    return Section("accord", "Accord inter-codeurs", tuple(blocks))


def _left_open(pairs: int) -> str:
    """The pairs a comparison leaves out, said: its figures rest on fewer answers than it seems."""
    if not pairs:
        return ""
    what = "paire segment × code laissée" if pairs == 1 else "paires segment × code laissées"
    return f" {pairs} {what} de côté : une suggestion que l'un·e des deux n'a pas tranchée n'est pas un « non »."


def _agreement_blocks(s: AgreementSection) -> list[Block]:
    r = s.result
    title = f"{_coder(s.coder_a, s.kind_a)} × {_coder(s.coder_b, s.kind_b)}"
    summary = (  # the per-code mean first: pooled pairs count every code nobody used as agreement
        f"{plural(r.units, 'segment codé', 'segments codés')} par les deux. "
        f"Kappa moyen par code : {num(r.mean_kappa)} ("
        + (
            f"sur les {r.defined_kappas} codes où il est défini"
            if r.defined_kappas != 1
            else "sur le seul code où il est défini"  # « sur les 1 codes »
        )
        + " ; à lire avec le tableau par code). Sur l'ensemble "
        f"des paires segment × code, que les codes peu employés font paraître plus concordantes : "
        f"accord {pct(r.percent)}, kappa {num(r.kappa)}, alpha {num(r.alpha)}. Segments aux codes "
        f"identiques : {pct(r.exact_match)}. Désaccords : {len(r.disagreements)}."
        + _left_open(r.left_open)
    )
    if s.left_out and not r.units:  # no figure: there is nothing left to measure it on
        summary = (
            f"Aucun segment à comparer : les {plural(s.left_out, 'segment')} codés par les deux sont des "
            f"passages dont {_model_of(s)} a appris le texte ou les décisions ; l'accord n'y dirait que ce "
            "qu'on lui a appris."
        )
        return [Heading(title), Paragraph(summary)]
    if s.left_out:
        summary += (
            f" {plural(s.left_out, 'segment')} codé{'s' if s.left_out > 1 else ''} par les deux "
            f"laissé{'s' if s.left_out > 1 else ''} de côté : {_model_of(s)} en a appris le texte ou les "
            "décisions, il y répète ce qu'on lui a appris."
        )
    blocks: list[Block] = [Heading(title), Paragraph(summary)]
    if "model" in (s.kind_a, s.kind_b) and "human" in (s.kind_a, s.kind_b):
        blocks.append(
            Paragraph(
                "Les analystes voient les suggestions pendant la revue : cet accord mesure "
                "l'adhésion aux suggestions plus qu'une fiabilité en aveugle.",
                "note",
            )
        )
    rows = tuple(
        (
            c.code,
            s.labels.get(c.code, c.code),
            str(c.table.both),
            str(c.table.only_a),
            str(c.table.only_b),
            str(c.table.neither),
            pct(c.percent),
            num(c.kappa) + ("*" if c.few_positives else ""),
            num(c.alpha),
        )
        for c in r.codes
    )
    total = (
        "global",
        "toutes paires",
        str(r.pooled.both),
        str(r.pooled.only_a),
        str(r.pooled.only_b),
        str(r.pooled.neither),
        pct(r.percent),
        num(r.kappa),
        num(r.alpha),
    )
    blocks.append(
        Table(
            (
                "Code",
                "Libellé",
                "Les deux",
                f"{s.coder_a} seul",
                f"{s.coder_b} seul",
                "Aucun",
                "Accord",
                "Kappa",
                "Alpha",
            ),
            (*rows, total),
            f"Accord {s.coder_a} × {s.coder_b}",
        )
    )
    if r.few_positives:  # « F1 κ = 1,00 » from a single segment read as perfect agreement
        blocks.append(
            Paragraph(
                f"* Kappa sur moins de {FEW_POSITIVES} cas positifs (segments où l'un des deux applique le "
                f"code) : à lire avec prudence ({', '.join(r.few_positives)}).",
                "note",
            )
        )
    return blocks


def _outside_sentence(m: Methods) -> list[str]:
    """Decisions on codes this codebook version lacks: the findings count none of them, though
    the decision count above includes them; said, with how to get them back."""
    if not m.outside:
        return []
    total = sum(n for _c, n in m.outside)
    listed = ", ".join(f"{code} ({n})" for code, n in m.outside)
    return [
        f"Attention : {plural(total, 'décision')} d'analystes appliquent des codes absents de ce codebook "
        f"(version {m.codebook_version}) : {listed}. Aucun enseignement ni verbatim de ce rapport ne les compte ; "
        "rechargez la version du codebook qui a ces codes (tzcld-qual codebook load), ou recodez ces segments."
    ]


def _methods(m: Methods, data: ReportData) -> Section:
    paragraphs = [
        f"Corpus : {plural(m.interviews, 'entretien')} découpés en {plural(m.segments, 'segment')}, dont "
        f"{plural(m.respondent_segments, 'tour', 'tours')} de parole de personnes interrogées, qui sont les "
        "unités de codage. "
        f"Codebook « {m.codebook_name} », version {m.codebook_version}, "
        f"{plural(len(data.findings), 'enseignement')} ; "
        "les sous-codes comptent pour leur enseignement.",
        _model_sentence(m),
        *_basis_sentence(m),
        _decisions_sentence(m),
        _share_sentence(m),
        *_outside_sentence(m),
        (
            f"Thèmes émergents : {plural(len(data.themes.themes), 'thème')} calculés avec BERTopic "
            f"({data.themes.id}, périmètre {data.themes.scope})."
            if data.themes is not None
            else "Thèmes émergents : non calculés pour ce projet (tzcld-qual topics PROJET) ; section omise."
        ),
        *([m.privacy] if m.privacy else []),
        *(["Verbatims : non demandés pour ce rapport (--quotes 0)."] if data.quotes <= 0 else []),
        f"Rapport produit hors ligne par tzcld-qual le {data.generated_at}.",
    ]
    blocks: list[Block] = [Paragraph(p) for p in paragraphs]
    if m.runs:
        rows = tuple(
            (
                r.id + (" (modèle final)" if r.id == m.model else ""),
                r.kind,
                date_fr(r.created_at),
                str(r.codebook_version),
                thresholds_text(r.thresholds),
            )
            for r in m.runs
        )
        blocks.append(Table(("Modèle", "Type", "Date", "Codebook", "Seuils"), rows, "Modèles"))
    return Section("methodes", "Méthodes", tuple(blocks))


# -- sentences -------------------------------------------------------------------------------------
def glossary(data: ReportData) -> str:
    """The tool's own words the report uses, said once for a reader who never ran it (a funder read
    « ensemble@1 », « topics@1 », « cosinus, direction commune ôtée » unexplained)."""
    terms = []
    if data.methods.model:
        model = data.methods.model
        kind = model.split("@", 1)[0]
        what = (
            "qui combine un lexique, la proximité de sens et un classifieur appris sur les codes des analystes"
            if kind == "ensemble"
            else f"de type « {kind} »"
        )
        terms.append(
            f"« {model} » est le modèle de suggestion automatique ({what}) ; "
            "le numéro après @ distingue ses entraînements successifs"
        )
    if data.themes is not None:
        terms.append(
            f"« {data.themes.id} » désigne le calcul des thèmes émergents (regroupement automatique des "
            "segments par proximité de sens) dont viennent les thèmes"
        )
        terms.append(
            "la similarité (cosinus) mesure cette proximité de sens entre deux textes, de 0 (sans rapport) "
            "à 1 (même sens) ; « direction commune ôtée » : on retire d'abord ce que tous les segments ont "
            "en commun, pour ne comparer que ce qui les distingue"
        )
    return f"Termes techniques : {' ; '.join(terms)}." if terms else ""


def prevalence_sentence(p: Prevalence) -> str:
    return (
        f"Validé sur {p.segments} des {p.segments_total} segments de personnes interrogées "
        f"({pct(p.share())}), dans {plural(p.interviews, 'entretien')} sur {p.interviews_total}. En comptant "
        f"les suggestions non revues du modèle : {plural(p.segments_suggested, 'segment')} "
        f"({pct(p.share(suggested=True))}), {plural(p.interviews_suggested, 'entretien')}."
    )


def quote_item(q: Quote) -> QuoteItem:
    """A quote and its note: who validated it (and who rejected it), or the model's suggestion
    with each code's own confidence (a sub-code's is not its finding's); on a passage the model
    learnt, no confidence: it only repeats the training label."""
    citation = citation_of(q.document, q.speaker, q.segment_id)
    if q.validated:
        note = f"validé par {', '.join(q.coders)} · {', '.join(q.codes)}"
        if q.contested_by:
            note += f" · rejeté par {', '.join(q.contested_by)}"
        return QuoteItem(q.text, citation, note, CONTESTED if q.contested_by else VALIDATED)
    if q.learnt:
        codes = ", ".join(q.codes)
        note = f"suggestion du modèle {', '.join(q.coders)}, non revue, sur un {LEARNT} · {codes}"
    else:
        confidences = q.code_confidences if len(q.code_confidences) == len(q.codes) else (None,) * len(q.codes)
        codes = ", ".join(
            f"{code} (confiance {num(value)})" if value is not None else code
            for code, value in zip(q.codes, confidences, strict=True)
        )
        note = f"suggestion du modèle {', '.join(q.coders)}, non revue · {codes}"
    return QuoteItem(q.text, citation, note, SUGGESTION)


def citation_of(document: str, speaker: str, segment_id: int) -> str:
    return f"[{document} · {speaker} · segment {segment_id}]"


def thresholds_text(thresholds: Mapping[str, float]) -> str:
    return " · ".join(f"{k} {num(v)}" for k, v in thresholds.items()) or "non enregistrés"


def findings_phrase(findings: Sequence[Finding]) -> str:
    """« 8 enseignements », and the top-level codes that state no finding of the evaluation
    (a theme promoted to a code) apart: « … et 1 autre code »; a codebook that states none
    calls all its codes findings, as before."""
    stated = sum(bool(f.statement) for f in findings)
    if not stated or stated == len(findings):
        return plural(len(findings), "enseignement")
    return f"{plural(stated, 'enseignement')} et {plural(len(findings) - stated, 'autre code', 'autres codes')}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 segment``, ``2 segments`` (French: 0 and 1 take the singular)."""
    return f"{n} {word if n < 2 else (many or word + 's')}"


def _decisions_sentence(m: Methods) -> str:
    """The analysts' decisions, « relu, aucun code » marks included: a coder who read a segment
    and found no code decided it as much as one who coded it."""
    decisions = m.accepted + m.manual + m.rejected + m.no_code
    if not decisions:
        return "Décisions humaines : aucune ; tous les chiffres « validés » sont donc nuls."
    marked = (
        f", dont {plural(m.no_code_segments, 'segment')} relu{'s' if m.no_code_segments > 1 else ''} sans code"
        if m.no_code
        else ""
    )
    marks = f", {plural(m.no_code, 'marque', 'marques')} « relu, aucun code »" if m.no_code else ""
    return (
        f"Décisions humaines : {plural(decisions, 'décision')} de "
        f"{plural(len(m.analysts), 'analyste')} ({', '.join(m.analysts)}) sur "
        f"{plural(m.human_segments, 'segment')}{marked} : {plural(m.accepted, 'acceptation')}, "
        f"{plural(m.manual, 'ajout manuel', 'ajouts manuels')}, {plural(m.rejected, 'rejet')}{marks}."
    )


def _basis_sentence(m: Methods) -> list[str]:
    """The model's measured quality and the corpus passages it learnt from: its suggestions
    there repeat what it was taught, so they are neither quoted first nor compared with the
    analysts (without this the report's figures on the model read as if it had learnt nothing)."""
    b = m.basis
    if b is None:
        return []
    if b.dev_macro_f1 is None:
        quality = f"Qualité du modèle {b.model} : non mesurée (pas de réponses de référence à son entraînement)."
    elif b.dev_answers is None:
        quality = (
            f"Qualité du modèle {b.model} : macro-F1 {num(b.dev_macro_f1)} sur la partie dev du corpus de référence."
        )
    else:
        quality = (
            f"Qualité du modèle {b.model} : macro-F1 {num(b.dev_macro_f1)}, mesurée sur "
            f"{plural(b.dev_answers, 'réponse')} de référence (partie dev du corpus de référence) qu'il n'a pas "
            f"apprise{'s' if b.dev_answers > 1 else ''}."
        )
    if not b.learnt:
        learnt = (
            f" Il n'a appris d'aucun des {m.respondent_segments} segments de personnes interrogées de ce corpus."
            if b.recorded
            else ""
        )
        return [quality + learnt]
    others = len(b.learnt) - len(b.decided & b.learnt)
    parts = []
    if b.decided:
        parts.append(f"{len(b.decided)} par les décisions d'analystes")
    if others:
        parts.append(
            f"{others} parce qu'{'ils figurent' if others > 1 else 'il figure'} dans ses données "
            "d'entraînement fournies (corpus de référence, exemples du codebook)"
        )
    return [
        quality
        + f" Il a appris de {len(b.learnt)} des {m.respondent_segments} segments de personnes interrogées de ce "
        f"corpus : {', '.join(parts)}. Ses suggestions y répètent ce qu'on lui a appris, avec une confiance "
        "qui ne mesure rien. Elles ne sont citées en verbatim qu'à défaut d'autres (marquées « "
        f"{LEARNT} »), et l'accord modèle × analyste laisse ces segments de côté."
    ]


def _share_sentence(m: Methods) -> str:
    total = m.validated_pairs + m.pending_pairs
    if not total:
        return "Aucun enseignement n'est encore présent sur un segment, ni validé ni suggéré."
    disputed = (
        f" ; {m.disputed_pairs} des validées ont été rejetées par un·e autre analyste (comptées validées : "
        "« tzcld-qual agreement » détaille les désaccords)"
        if m.disputed_pairs
        else ""
    )  # « validé » is one analyst's word: a dispute was visible in quotes only
    learnt = (
        f", dont {m.pending_learnt_pairs} sur des passages d'entraînement du modèle" if m.pending_learnt_pairs else ""
    )
    return (
        f"Sur les {plural(total, 'présence')} d'un enseignement sur un segment comptées « avec "
        f"suggestions », {m.validated_pairs} sont validées par un·e analyste{disputed} et {m.pending_pairs} "
        f"reposent seulement sur des suggestions non revues ({pct(m.pending_pairs / total)})"
        + learnt
        + "."
    )


def _model_sentence(m: Methods) -> str:
    if not m.model:
        return "Suggestions automatiques : aucun modèle n'a été appliqué à ce projet."
    run = next((r for r in m.runs if r.id == m.model), None)
    runs = ", ".join(r.id for r in m.runs) or m.model
    thresholds = f" Seuils de décision par code : {thresholds_text(run.thresholds)}." if run else ""
    return (
        f"Suggestions automatiques : modèle final {m.model} (modèles du projet : {runs}) ; "
        f"{plural(m.suggestions, 'suggestion')} sur les segments de personnes interrogées, dont {m.pending} "
        f"sans décision d'analyste.{thresholds}"
    )


def _cooccurrence_sentence(code: str, data: ReportData) -> str:
    co = data.cooccurrence
    others = [(o, co.pair(code, o, suggested=True), co.pair(code, o)) for o in co.codes if o != code]
    others = sorted((x for x in others if x[1]), key=lambda x: (-x[1], -x[2], x[0]))[:3]
    if not others:
        return "Aucun segment ne porte cet enseignement avec un autre."
    items = " ; ".join(f"{o} ({plural(n, 'segment')}, dont {plural(v, 'validé')})" for o, n, v in others)
    return f"Le plus souvent avec : {items}."


def _bar_text(p: Prevalence) -> str:
    """« 0,5 % validé (4/862) · 8,5 % avec suggestions »: the validated share with its count first, the
    legend's words after (« 0,5 % · 8,5 % avec sugg. (4/862) » left the count to guess)."""
    share, with_suggestions = pct(p.share()), pct(p.share(suggested=True))
    return f"{share} validé ({p.segments}/{p.segments_total}) · {with_suggestions} avec suggestions"


def _prevalence_table(first: str, rows: list[tuple[str, Prevalence]]) -> Table:
    return Table(
        (
            first,
            "Segments validés",
            "Avec suggestions",
            "Segments (total)",
            "Entretiens validés",
            "Entretiens avec suggestions",
            "Entretiens (total)",
        ),
        tuple(
            (
                label,
                f"{p.segments} ({pct(p.share())})",
                f"{p.segments_suggested} ({pct(p.share(suggested=True))})",
                str(p.segments_total),
                str(p.interviews),
                str(p.interviews_suggested),
                str(p.interviews_total),
            )
            for label, p in rows
        ),
    )


def _model_of(s: AgreementSection) -> str:
    return s.coder_a if s.kind_a == "model" else s.coder_b


def _coder(name: str, kind: str) -> str:
    return f"{name} (modèle)" if kind == "model" else f"{name} (analyste)"
