"""What the report offers as evidence, on the hand-made project (report_fixture.py): passages the
model learnt, confidences per code, disputed quotes, « relu, aucun code » marks, --quotes 0; the
same content in the three formats."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from html import unescape
from pathlib import Path

import docx
import pytest
from report_fixture import BACKGROUND, MODEL, MODEL_ID, TEXTS, THRESHOLDS, Fixture

from tzcld_qual import paths
from tzcld_qual.model import NO_CODE, Status, Suggestion
from tzcld_qual.reports.report import Finding, ReportData, render
from tzcld_qual.reports.report_blocks import CONTESTED, LEARNT, quote_item
from tzcld_qual.services.reports import build_report
from tzcld_qual.store import NewRun, ProjectStore


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


def gold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, train: Sequence[str], dev: Sequence[str]) -> None:
    """Bundled gold splits of the given texts (labelled F1), in place of the checkout's."""
    files = {}
    for name, texts in (("train", train), ("dev", dev)):
        path = files[name] = tmp_path / f"{name}.jsonl"
        path.write_text(
            "".join(json.dumps({"id": f"{name}:{i}", "text": t, "labels": ["F1"], "doc": "d"}) + "\n"
                    for i, t in enumerate(texts)),
            encoding="utf-8",
        )
    monkeypatch.setattr(paths, "gold_split", lambda name: files.get(name))


def retrained(store: ProjectStore, project: Fixture, learnt: Sequence[int], f1: float | None = 0.7) -> str:
    """A model fitted on the analysts' decisions on segments ``learnt`` (s-numbers), scoring as
    the fixture's model, made current."""
    decisions = [
        [c.segment_id, c.code_id, c.status.value, c.origin]
        for n in learnt
        for c in store.codings.for_segments([project.seg[n].id])[project.seg[n].id]
        if c.origin in ("alice", "bruno")
    ]
    metrics = {"dev_macro_f1": f1} if f1 is not None else {}
    run, _new = store.runs.register(NewRun("ensemble", "fp-2", 1, {"thresholds": THRESHOLDS, "decisions": decisions},
                                           metrics))
    scores = {project.seg[n].id: {**BACKGROUND, **codes} for n, codes in MODEL.items()}
    suggestions = [
        Suggestion(project.seg[n].id, code, conf, "t") for n, codes in MODEL.items() for code, conf in codes.items()
    ]
    store.codings.put_scores(run, scores, suggestions)
    store.set_meta("current_model", run)
    return run


# -- 1. what the model learnt ------------------------------------------------------------------------
def test_suggestions_on_passages_the_model_learnt_come_after_the_others_and_are_marked(
    project: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s10's text is in the bundled train split: the model's F2 there (.50) is its training label
    echoed. A less confident suggestion on a passage it never saw (s12, .40) is quoted first; an
    audit's report had 13 of its 14 suggestion quotes on training passages, « confiance 1,00 »."""
    gold(tmp_path, monkeypatch, train=[TEXTS[9]], dev=[])
    n = {s.id: k for k, s in project.seg.items()}
    s12 = project.seg[12].id
    with ProjectStore(project.path) as store:
        store.codings.put_scores(
            MODEL_ID, {s12: {**BACKGROUND, "F1": 0.9, "F2": 0.4}}, [Suggestion(s12, "F2", 0.4, "t")]
        )
        four = finding(build_report(store, quotes=4), "F2").quotes
        five = build_report(store, quotes=5)
    assert [(n[q.segment_id], q.validated) for q in four] == [(2, True), (7, True), (3, True), (12, False)]
    quotes = finding(five, "F2").quotes
    assert [(n[q.segment_id], q.learnt) for q in quotes[3:]] == [(12, False), (10, True)]
    note = quote_item(quotes[4]).note
    assert f"non revue, sur un {LEARNT} · F2" in note and "confiance" not in note
    in_every_format(five, note)


def test_model_agreement_leaves_out_the_decisions_it_learnt_and_says_so(project: Fixture) -> None:
    """A retrained model compared with the decisions it was fitted on measures its memory (an
    audit: « ensemble@2 × alice … Kappa moyen par code : 0,99 » on its 64 training decisions)."""
    with ProjectStore(project.path) as store:
        model = retrained(store, project, learnt=[1, 2, 3])
        data = build_report(store)
    by_pair = {(a.coder_a, a.coder_b): a for a in data.agreements}
    alice, bruno = by_pair[(model, "alice")], by_pair[(model, "bruno")]
    assert (alice.result.units, alice.left_out) == (7, 3)  # s4..s10 of s1..s10
    assert (bruno.result.units, bruno.left_out) == (0, 3)  # bruno coded s1..s3 only: nothing left
    assert by_pair[("alice", "bruno")].result.units == 3  # analysts between them: all kept
    in_every_format(
        data,
        "7 segments codés par les deux. Kappa moyen par code",
        f"3 segments codés par les deux laissés de côté : {model} en a appris le texte ou les décisions",
        f"Aucun segment à comparer : les 3 segments codés par les deux sont des passages dont {model} a appris",
    )
    md = formats(data)["md"]
    bruno_part = md.split(f"### {model} (modèle) × bruno (analyste)")[1].split("###")[0]
    assert "Kappa" not in bruno_part  # no figure where nothing is left to measure


def test_methods_give_the_model_dev_score_and_the_passages_it_learnt(
    project: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dev answers it learnt (s1's text, an analyst decided it) are not in its dev score's count."""
    gold(tmp_path, monkeypatch, train=[TEXTS[9]], dev=[TEXTS[0], "Une réponse de référence.", "Une autre."])
    with ProjectStore(project.path) as store:
        model = retrained(store, project, learnt=[1, 2], f1=0.7149)
        data = build_report(store)
    basis = data.methods.basis
    assert basis is not None and basis.model == model
    assert {k for k, s in project.seg.items() if s.id in basis.learnt} == {1, 2, 10}
    assert (basis.dev_macro_f1, basis.dev_answers) == (0.7149, 2)
    in_every_format(
        data,
        f"Qualité du modèle {model} : macro-F1 0,71, mesurée sur 2 réponses de référence",
        "Il a appris de 3 des 12 segments de personnes interrogées de ce corpus : 2 par les décisions "
        "d'analystes, 1 parce qu'il figure dans ses données d'entraînement fournies",
        "et 3 reposent seulement sur des suggestions non revues (21,4 %), dont 1 sur des passages d'entraînement",
    )


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


def test_the_report_says_whether_its_texts_are_pseudonymised(project: Fixture) -> None:
    """A report goes to funders and partners: nothing said whether the people it quotes can be named."""
    with ProjectStore(project.path) as store:
        data = build_report(store)
    assert data.methods.privacy.startswith("Textes non pseudonymisés")
    in_every_format(data, "Textes non pseudonymisés : les noms de personnes, de lieux et de structures y figurent")


def test_a_kappa_on_few_positive_cases_is_flagged(project: Fixture) -> None:
    """alice × bruno rest on 3 segments: « F1 kappa 1,00 » read as a perfect agreement."""
    with ProjectStore(project.path) as store:
        data = build_report(store)
    humans = next(a for a in data.agreements if {a.coder_a, a.coder_b} == {"alice", "bruno"})
    assert humans.result.few_positives
    in_every_format(data, "* Kappa sur moins de 5 cas positifs (segments où l'un des deux applique le code)")
    assert "1,00*" in formats(data)["md"]


def test_the_agreement_command_leaves_out_what_the_model_learnt_as_the_report_does(project: Fixture) -> None:
    """`agreement --coder ensemble@2 --coder alice` still measured the model on the decisions it
    had been fitted on, while the report left them out."""
    from tzcld_qual.errors import ProjectError
    from tzcld_qual.services.agreement import agreement

    with ProjectStore(project.path) as store:
        model = retrained(store, project, learnt=[1, 2, 3])
    report = agreement(project.path, model, "alice")
    assert (report.result.units, report.learnt_left_out, report.learnt_by) == (7, 3, model)
    assert agreement(project.path, "alice", "bruno").learnt_left_out == 0  # two analysts: all kept
    with pytest.raises(ProjectError, match="aucun segment à comparer : les 3 segments codés par les deux"):
        agreement(project.path, model, "bruno")
