"""``services.review``: the merged view, decisions, queue, search, stats and coder set-up."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from tui_support import MODEL, segment_id

from tzcld_qual.errors import NotFoundError, ProjectError, UsageError
from tzcld_qual.model import Code, Codebook, Role, Status, Suggestion
from tzcld_qual.services.review import ReviewSession, explain, remember_coder, validate_coder
from tzcld_qual.services.review_views import ChipState, QueueOrder, ReviewFilter, ReviewStatus
from tzcld_qual.store import ProjectStore


def test_view_merges_own_decisions_pending_suggestions_and_other_coders(project: Path) -> None:
    seg = segment_id(project, "entretien-01.txt", 2)
    with ProjectStore(project) as store:
        store.codings.decide(seg, "F3", "bob", Status.ACCEPTED)
        store.codings.decide(seg, "F4", "alice", Status.REJECTED)
        store.codings.decide(seg, "F7", "alice", Status.MANUAL)
    with ReviewSession(project, "alice") as session:
        view = session.views([seg])[0]
    assert [(c.code_id, c.state, c.confidence) for c in view.chips] == [
        ("F3", ChipState.PENDING, 0.81),
        ("F7", ChipState.APPLIED, None),
        ("F4", ChipState.REJECTED, 0.52),
    ]
    assert view.chip("F3").agreed == ("bob",)  # type: ignore[union-attr]
    assert view.chip("F3").explanation.startswith("expression « f3 »")  # type: ignore[union-attr]


def test_a_themes_suggestion_comes_after_the_models_and_says_it_is_a_theme(project: Path) -> None:
    """A promoted theme's similarity (0.93 on a greeting) stood first, as « 93% », under the
    model's heading, and `a` accepted it."""
    from dataclasses import replace

    from tzcld_qual.model import Suggestion
    from tzcld_qual.tui.widgets.codes import PanelState, render_panel
    from tzcld_qual.tui.widgets.transcript import chip_label

    seg = segment_id(project, "entretien-01.txt", 2)
    with ProjectStore(project) as store:
        store.codings.register_coder("topics@1", "model")
        store.codings.put_scores("topics@1", {seg: {"F6": 0.93}}, [Suggestion(seg, "F6", 0.93, "thème 2 de topics@1")])
    with ReviewSession(project, "alice") as session:
        view = session.views([seg])[0]
    pending = [(c.code_id, c.origin) for c in view.chips if c.state is ChipState.PENDING]
    assert pending[-1] == ("F6", "topics@1") and len(pending) > 1  # the model's, though less sure
    theme = view.chip("F6")
    assert theme is not None and theme.from_theme
    assert chip_label(theme) == "?F6 thème"
    from rich.console import Console

    console = Console(width=80, record=True, color_system=None)
    console.print(render_panel(PanelState(view, highlight=len(pending) - 1, model=MODEL)))
    assert "F6 thème topics@1, similarité 0,93" in console.export_text()
    assert "93%" not in console.export_text()
    alone = replace(view, chips=tuple(c for c in view.chips if c.from_theme))
    console = Console(width=80, record=True, color_system=None)
    console.print(render_panel(PanelState(alone, model=MODEL)))
    assert "Suggestions\n" in console.export_text() and MODEL not in console.export_text()



def test_a_themes_suggestion_without_confidence_says_it_is_a_theme_not_unknown(project: Path) -> None:
    """A theme's suggestion stores no confidence (its similarity is no probability): the panel
    said nothing of a theme and would have read « confiance inconnue »."""
    from tzcld_qual.model import Suggestion
    from tzcld_qual.tui.widgets.codes import PanelState, render_panel

    seg = segment_id(project, "entretien-01.txt", 2)
    with ProjectStore(project) as store:
        store.codings.register_coder("topics@1", "model")
        store.codings.put_scores("topics@1", {seg: {"F6": 0.93}},
                                 [Suggestion(seg, "F6", None, "thème 2 de topics@1 ; similarité au centre 0.93")])
    with ReviewSession(project, "alice") as session:
        view = session.views([seg])[0]
    theme = view.chip("F6")
    assert theme is not None and theme.from_theme and theme.confidence is None
    from rich.console import Console

    console = Console(width=100, record=True, color_system=None)
    pending = [c for c in view.chips if c.state is ChipState.PENDING]
    console.print(render_panel(PanelState(view, highlight=len(pending) - 1, model=MODEL)))
    text = console.export_text()
    assert "F6 thème topics@1" in text and "confiance inconnue" not in text and "similarité au centre 0.93" in text


def test_blind_double_coding_hides_other_coders_and_the_model(project: Path) -> None:
    seg = segment_id(project, "entretien-01.txt", 2)
    with ProjectStore(project) as store:
        store.codings.decide(seg, "F3", "bob", Status.ACCEPTED)
        store.codings.decide(seg, "F7", "alice", Status.MANUAL)
    with ReviewSession(project, "alice", blind=True) as session:
        view = session.views([seg])[0]
        assert session.model is None
        assert [(c.code_id, c.state, c.confidence, c.agreed) for c in view.chips] == [
            ("F7", ChipState.APPLIED, None, ())
        ]
        session.toggle(seg, "F5")
    with ProjectStore(project) as store:  # decisions are recorded as usual, under alice
        assert {(c.code_id, c.status) for c in store.codings.human("alice")} == {
            ("F7", Status.MANUAL),
            ("F5", Status.MANUAL),
        }


def test_document_view_keeps_the_question_of_each_answer(project: Path) -> None:
    with ReviewSession(project, "alice") as session:
        doc = session.start().document
    assert doc is not None and doc.name == "entretien-01.txt"
    answer = segment_id(project, "entretien-01.txt", 5)
    question = doc.question(answer)
    assert question is not None and question.segment.text.startswith("Et qu'est-ce qui a changé")


def test_accept_reject_toggle_and_undo_groups(project: Path) -> None:
    seg = segment_id(project, "entretien-01.txt", 2)
    with ReviewSession(project, "alice") as session:
        assert session.accept(seg).message == "F3 accepté"
        assert session.reject(seg).message == "F4 rejeté"
        assert not session.accept(seg).done  # nothing pending any more
        # applied and suggested, taken off: open again, not rejected (a digit pressed twice by mistake)
        assert session.toggle(seg, "F3").message.startswith("F3 retiré (suggestion de nouveau en attente")
        assert [c.code_id for c in session.views([seg])[0].pending] == ["F3"]
        assert session.reject(seg, "F3").message == "F3 rejeté"
        # a queue item under the threshold is no suggestion: said « ajouté », as the panel says it
        assert session.accept(seg, "F8.ancrage").message == "F8.ancrage ajouté"
        assert session.views([seg])[0].chip("F8.ancrage").status is Status.MANUAL  # type: ignore[union-attr]
        session.toggle(seg, "F8.ancrage")  # not suggested: taken off means no row
        assert session.views([seg])[0].chip("F8.ancrage") is None
        other = segment_id(project, "entretien-01.txt", 1)
        session.accept_all(other)
        change = session.undo()
        assert change.focus == other and "F1 (accepté → —)" in change.message
        assert [c.code_id for c in session.views([other])[0].pending] == ["F1", "F4"]
        assert session.redo().done
        assert not session.redo().done


def test_queue_is_most_uncertain_first_and_skips_reviewed_segments(project: Path) -> None:
    with ReviewSession(project, "alice") as session:
        queue = session.queue()
        assert queue.model == MODEL
        assert [round(i.uncertainty, 2) for i in queue.items] == [0.01, 0.01, 0.03, 0.06, 0.07, 0.15, 0.27]
        first = queue.items[0]
        session.accept(first.segment_id)
        assert session.queue().total == queue.total - 1
        assert session.queue(ReviewFilter(status=ReviewStatus.APPLIED)).items[0].segment_id == first.segment_id
        only_f4 = session.queue(ReviewFilter(code="F4"))
        assert {i.code_id for i in only_f4.items} == {"F4"}
        pending = session.queue(ReviewFilter(status=ReviewStatus.PENDING, max_confidence=0.6))
        assert all(i.score >= i.threshold and i.score <= 0.6 for i in pending.items)
        elus = session.queue(ReviewFilter(attributes={"role": "élu·e"}))
        assert {i.document for i in elus.items} == {"entretien-02.txt"}


def test_a_chat_answer_about_a_respondent_or_an_interview_opens_their_queue(project: Path) -> None:
    """« segments incertains en F4 chez Nadia » listed ten segments in the chat and opened an empty
    queue: the review filter looked for « speaker » and « document » among the attributes."""
    with ReviewSession(project, "alice") as session:
        martine = session.queue(ReviewFilter.from_params({"attributes": {"speaker": "Martine"}}))
        assert martine.items and {i.document for i in martine.items} == {"entretien-01.txt"}
        assert session.queue(ReviewFilter.from_params({"attributes": {"speaker": "M. Lefèvre"}})).total == 3
        interview = ReviewFilter.from_params({"code": "F1", "attributes": {"document": "entretien-02.txt"}})
        assert [i.document for i in session.queue(interview).items] == ["entretien-02.txt"] * 2
        assert interview.describe() == "F1 · entretien-02.txt"


def test_undoing_a_batch_says_it_in_one_line(project: Path) -> None:
    """Undoing a chat batch of 81 listed « F4 (accepté → —) » 81 times across the top bar."""
    firsts = [segment_id(project, "entretien-01.txt", p) for p in (1, 2, 4, 5)]
    with ReviewSession(project, "alice") as session:
        session.decide([(s, "F4", Status.ACCEPTED) for s in firsts])
        assert session.undo().message == "annulé : 4 décisions sur 4 segments : F4 (accepté → —) ×4"
        session.accept(firsts[0], "F1")
        assert session.undo().message == "annulé : F1 (accepté → —)"


def test_diverse_queue_takes_codes_and_documents_in_turn(project: Path) -> None:
    with ReviewSession(project, "alice") as session:
        plain = session.queue(ReviewFilter(code="F1"))
        diverse = session.queue(ReviewFilter(code="F1"), QueueOrder.DIVERSE)
        codes = [i.code_id for i in session.queue(order=QueueOrder.DIVERSE).items]
    one, two = "entretien-01.txt", "entretien-02.txt"
    assert [i.document for i in plain.items] == [two, one, one, two]
    assert [i.document for i in diverse.items] == [two, one, two, one]
    assert {i.segment_id for i in diverse.items} == {i.segment_id for i in plain.items}
    assert codes == ["F1", "F8", "F4", "F3", "F6", "F5", "F4"]  # one of each code before a second F4


def test_filter_accepts_status_code_confidence(project: Path) -> None:
    seg = segment_id(project, "entretien-01.txt", 1)
    with ReviewSession(project, "alice") as session:
        view = session.views([seg])[0]
        assert ReviewFilter(code="F1", min_confidence=0.6).accepts(view)
        assert not ReviewFilter(code="F1", min_confidence=0.7).accepts(view)
        assert ReviewFilter(status=ReviewStatus.UNREVIEWED).accepts(view)
        session.accept(seg)
        view = session.views([seg])[0]
    assert not ReviewFilter(status=ReviewStatus.UNREVIEWED).accepts(view)
    assert ReviewFilter(status=ReviewStatus.APPLIED, code="F1").accepts(view)
    assert ReviewFilter(code="F3").describe() == "F3"


def test_a_code_filter_matches_sub_codes_the_codebook_names_without_a_dot() -> None:
    codebook = Codebook(
        "c", 1, (Code("MOI", "Moi", "d"), Code("fierte", "Fierté", "d", parent="MOI"), Code("AUTRE", "Autre", "d"))
    )
    plain = ReviewFilter(code="MOI")
    known = plain.with_codebook(codebook)
    assert known.sub_codes == {"fierte"} and known.describe() == "MOI"
    assert not plain.matches_code("fierte") and known.matches_code("fierte")
    assert known.matches_code("MOI") and known.matches_code("MOI.x") and not known.matches_code("AUTRE")
    assert ReviewFilter().with_codebook(codebook) == ReviewFilter()
    assert ReviewFilter().matches_code("AUTRE")


def test_filter_from_chat_parameters() -> None:
    flt = ReviewFilter.from_params(
        {"code": "F2", "max_confidence": 0.6, "territory": "Saint-Aubin", "limit": 20}, ["territory", "role"]
    )
    assert flt == ReviewFilter(code="F2", max_confidence=0.6, attributes={"territory": "Saint-Aubin"})


def test_search_ignores_case_and_accents(project: Path) -> None:
    with ReviewSession(project, "alice") as session:
        hits = session.search("MAIRIE, france")
        assert [h.document for h in hits] == ["entretien-02.txt"]
        assert [h.document for h in session.search("medecin")] == ["entretien-01.txt"]
        assert session.search("   ") == ()


def test_a_segment_number_finds_that_segment_first(project: Path) -> None:
    """Chat answers, reports and `codings` cite « segment 494 »; the review screen showed « 3/18 »
    and nothing found 494."""
    wanted = segment_id(project, "entretien-02.txt", 1)
    with ReviewSession(project, "alice") as session:
        for query in (str(wanted), f"#{wanted}", f"segment {wanted}", f"n° {wanted}"):
            hits = session.search(query)
            assert hits and hits[0].segment_id == wanted, query
            assert [h.segment_id for h in hits].count(wanted) == 1
        assert session.search("999999") == () and session.search("9" * 25) == ()


def test_documents_progress_and_stats(project: Path) -> None:
    with ReviewSession(project, "alice") as session:
        session.accept(segment_id(project, "entretien-01.txt", 1))
        docs = session.documents()
        assert [(d.name, d.to_code, d.suggested, d.reviewed) for d in docs] == [
            ("entretien-01.txt", 4, 4, 1),
            ("entretien-02.txt", 3, 3, 0),
        ]
        assert [d.name for d in session.documents(ReviewFilter(attributes={"round": "vague 2"}))] == [
            "entretien-02.txt"
        ]
        stats = session.stats("territory")
    counts = {c.code_id: (c.applied, c.pending, c.rejected) for c in stats.codes}
    assert counts["F1"] == (1, 1, 0) and counts["F4"] == (0, 3, 0)
    assert stats.values == ("Les Coteaux", "Saint-Aubin")
    assert stats.by_value["F1"]["Les Coteaux"].applied == 1
    assert stats.by_value["F1"]["Saint-Aubin"].pending == 1


def test_stats_by_attribute_count_a_finding_and_its_sub_code_on_one_segment_once(project: Path) -> None:
    seg = segment_id(project, "entretien-01.txt", 5)  # F5 suggested here only
    with ReviewSession(project, "alice") as session:
        session.accept(seg, "F5")
        session.toggle(seg, "F5.financiere")
        stats = session.stats("territory")
    counts = {c.code_id: c.applied for c in stats.codes}
    assert counts["F5"] == counts["F5.financiere"] == 1  # per code: each counted
    assert stats.by_value["F5"]["Les Coteaux"].applied == 1  # per territory: one segment, not two
    with ReviewSession(project, "alice") as session:
        session.reject(seg, "F5.financiere")
        stats = session.stats("territory")
    kept = stats.by_value["F5"]["Les Coteaux"]
    assert (kept.applied, kept.rejected) == (1, 0)  # "not F5.financiere" is not "not F5"


def test_a_finding_withdrawn_leaves_its_suggested_sub_codes_open_and_withdraws_those_applied(project: Path) -> None:
    """A digit pressed twice on F4 rejected F4.confiance, suggested beside it: the rejection a
    slip of the finger must not leave, through the roll-up this time."""
    seg = segment_id(project, "entretien-01.txt", 4)  # F4 suggested
    with ProjectStore(project) as store:
        store.codings.put_scores("ensemble@1", {}, [Suggestion(seg, "F4.confiance", 0.6, "test")])
    with ReviewSession(project, "alice") as session:
        session.toggle(seg, "F4")
        change = session.toggle(seg, "F4")
        assert "F4.confiance" not in change.message
        view = session.views([seg])[0]
        assert {c.code_id for c in view.pending} >= {"F4", "F4.confiance"}
        session.toggle(seg, "F4")
        session.toggle(seg, "F4.liens_sociaux")  # applied by hand under F4
        session.toggle(seg, "F4")  # withdrawn: the sub-code applied with it goes too
    with ProjectStore(project) as store:
        assert [c for c in store.codings.human("alice") if c.segment_id == seg] == []


def test_a_finding_s_row_counts_its_sub_codes_as_the_split_table_does(project: Path) -> None:
    """F3.sante applied alone read « F3 0 » in the table per code, « F3 1 » per role below it."""
    seg = segment_id(project, "entretien-01.txt", 5)  # F5 suggested here only
    with ReviewSession(project, "alice") as session:
        session.toggle(seg, "F5.financiere")
        stats = session.stats("territory")
    counts = {c.code_id: (c.applied, c.pending) for c in stats.codes}
    assert counts["F5"] == (1, 0) and counts["F5.financiere"] == (1, 0)  # the finding's suggestion: decided by it
    assert stats.by_value["F5"]["Les Coteaux"].applied == 1


def test_a_restart_resumes_at_the_last_decision_on_one_segment(project: Path) -> None:
    """After a batch on several interviews and its undo, the screen reopened where the batch's
    last row lay, not at the segment the analyst had decided last."""
    here = segment_id(project, "entretien-01.txt", 2)
    batch = [segment_id(project, "entretien-01.txt", 4), segment_id(project, "entretien-02.txt", 1)]
    with ReviewSession(project, "alice") as session:
        session.accept(here, "F3")
        session.decide([(s, "F4", Status.ACCEPTED) for s in batch])
        session.undo()
    with ReviewSession(project, "alice") as session:
        assert session.start().segment_id == here


def test_adjacent_document_respects_the_filter(project: Path) -> None:
    with ReviewSession(project, "alice") as session:
        first = session.start().document
        assert first is not None
        found = session.adjacent(first.id, 1, ReviewFilter(code="F7"))
        assert found is not None and found[1] == segment_id(project, "entretien-02.txt", 4)
        assert session.adjacent(first.id, -1) is None


def test_memos_are_the_coders_own(project: Path) -> None:
    seg = segment_id(project, "entretien-01.txt", 1)
    with ReviewSession(project, "alice") as session:
        assert session.write_memo("segment", seg, " à revoir ").views[0].memo == "à revoir"
    with ReviewSession(project, "bob") as session:
        assert session.views([seg])[0].memo == ""
        with pytest.raises(UsageError):
            session.write_memo("code", 1, "x")


def test_explanations_as_json_become_one_line() -> None:
    assert explain('{"expression": "le CLE", "proche": ["a", "b"], "score": 0.8123}') == (
        "expression : le CLE · proche : a, b · score : 0.81"
    )
    assert explain("texte libre") == "texte libre"


def test_coder_names_are_checked_and_remembered(project: Path, tmp_path: Path) -> None:
    assert validate_coder("  alice ") == "alice"
    with pytest.raises(UsageError):
        validate_coder("")
    with pytest.raises(ProjectError):
        validate_coder(MODEL, project)
    with pytest.raises(UsageError, match="nom de modèle"):
        validate_coder("ensemble@7", project)  # no model has it yet; the next ones could
    assert validate_coder("marie@labo") == "marie@labo"
    assert validate_coder("Zoé D.") == "Zoé D."
    for name in ("alice\rbob", "alice\u2028bob", "alice\x85bob", "\u200b", "ensemble @1", "ensemble@ 1"):
        with pytest.raises(UsageError):  # each was stored as an analyst by `ask --yes` or `undo`
            validate_coder(name)
    config = tmp_path / "config.toml"
    config.write_text('spacy_model = "fr_core_news_sm"\n\n[keys]\naccept = "y"\n', encoding="utf-8")
    remember_coder('Zoé "Z"', config)
    remember_coder("zoé", config)
    data = tomllib.loads(config.read_text(encoding="utf-8"))
    assert data == {"coder": "zoé", "spacy_model": "fr_core_news_sm", "keys": {"accept": "y"}}


def test_a_decision_needs_a_codebook_code_on_an_answer_that_exists(project: Path) -> None:
    answer = segment_id(project, "entretien-01.txt", 2)
    with ProjectStore(project) as store:
        question = next(s.id for s in store.documents.segments() if s.role is Role.INTERVIEWER)
        before = store.codings.human()
    with ReviewSession(project, "alice") as session:
        for call, error in (
            (lambda: session.toggle(answer, "F9"), "code « F9 » absent du codebook"),
            (lambda: session.accept(answer, "f3"), "code « f3 » absent du codebook"),
            (lambda: session.toggle(answer, ""), "code «  » absent du codebook"),
            (lambda: session.reject(question, "F1"), "est une question de l'enquête"),
            (lambda: session.accept(99999, "F1"), "segment 99999 introuvable"),
        ):
            with pytest.raises((NotFoundError, UsageError), match=error):
                call()
        assert session.toggle(answer, "F3.sante").done
    with ProjectStore(project) as store:
        assert [(c.code_id, c.status) for c in store.codings.human()] == [
            *[(c.code_id, c.status) for c in before],
            ("F3.sante", Status.MANUAL),
        ]


def test_a_sub_code_and_its_parent_are_decided_consistently_and_undone_together(project: Path) -> None:
    """Applying F4.accompagnement lifts the coder's own rejection of F4 (suggested here: accepted);
    rejecting F4 takes the sub-code off. Training then sees one verdict, not a disagreement."""
    from tzcld_qual.services import training
    from tzcld_qual.services.projects import current_codebook

    seg = segment_id(project, "entretien-01.txt", 1)  # F4 suggested at 0.48 (threshold 0.45)

    def mine() -> set[tuple[str, Status]]:
        with ProjectStore(project) as store:
            return {(c.code_id, c.status) for c in store.codings.human("alice")}

    with ReviewSession(project, "alice") as session:
        session.reject(seg, "F4")
        change = session.toggle(seg, "F4.accompagnement")
        assert change.message == "F4.accompagnement appliqué (et F4)"
    assert mine() == {("F4", Status.ACCEPTED), ("F4.accompagnement", Status.MANUAL)}
    with ProjectStore(project) as store:
        assert training.disagreements(training.decision_rows(store), current_codebook(store)) == 0
    with ReviewSession(project, "alice") as session:
        session.undo()  # both, as one decision
    assert mine() == {("F4", Status.REJECTED)}
    with ReviewSession(project, "alice") as session:
        session.redo()
        change = session.reject(seg, "F4")
        assert change.message == "F4 rejeté (et F4.accompagnement)"
    assert mine() == {("F4", Status.REJECTED)}  # applied by hand, so taken off rather than rejected


def test_rejecting_a_finding_rejects_the_sub_code_the_model_suggests_with_it(project: Path) -> None:
    from tzcld_qual.model import Suggestion

    seg = segment_id(project, "entretien-01.txt", 1)
    with ProjectStore(project) as store:
        store.codings.put_scores(
            MODEL, {seg: {"F1": 0.62, "F4": 0.48}}, [Suggestion(seg, "F4.confiance", 0.3, "sous-code le plus proche")]
        )
    with ReviewSession(project, "alice") as session:
        assert session.views([seg])[0].chip("F4.confiance").state is ChipState.PENDING  # type: ignore[union-attr]
        session.reject(seg, "F4")
        view = session.views([seg])[0]
    assert view.chip("F4.confiance").state is ChipState.REJECTED  # type: ignore[union-attr]
    assert view.chip("F4").state is ChipState.REJECTED  # type: ignore[union-attr]


def test_a_search_hit_says_whether_its_number_or_its_text_matched(project: Path) -> None:
    wanted = segment_id(project, "entretien-02.txt", 1)
    with ReviewSession(project, "alice") as session:
        hits = session.search(str(wanted))
    assert hits[0].numbered and not any(h.numbered for h in hits[1:])


def test_no_code_marks_a_segment_read_rejects_its_suggestions_and_is_undone_as_one(project: Path) -> None:
    """An analyst who judged an answer to carry no code had no way to say it: the interview
    stayed at 72 % in Documents and the answer « à revoir » in the queue for good."""
    from tzcld_qual.model import NO_CODE

    seg = segment_id(project, "entretien-01.txt", 1)  # F1 and F4 suggested
    with ReviewSession(project, "alice") as session:
        before = session.queue().total
        change = session.no_code(seg)
        assert change.message == "relu : aucun code (rejetés : F1, F4)"
        view = session.views([seg])[0]
        assert view.no_code and view.reviewed and not view.pending
        assert [(c.code_id, c.status) for c in view.rejected] == [("F1", Status.REJECTED), ("F4", Status.REJECTED)]
        assert [d.reviewed for d in session.documents()] == [1, 0]  # the interview's progress moves
        assert session.queue().total == before - 1 and seg not in {i.segment_id for i in session.queue().items}
        assert session.accept(seg).done is False  # nothing pending any more
        # one undo takes back the mark and the rejections it made, one redo brings them back
        undone = session.undo()
        assert undone.focus == seg and "aucun code (marqué → —)" in undone.message
        view = session.views([seg])[0]
        assert not view.no_code and not view.reviewed and [c.code_id for c in view.pending] == ["F1", "F4"]
        assert session.queue().total == before
        assert session.redo().done and session.views([seg])[0].no_code
        # applying a code after all lifts the mark, in the same undo group
        assert session.toggle(seg, "F7").message == "F7 appliqué (« aucun code » retiré)"
        assert not session.views([seg])[0].no_code
        assert session.undo().done and session.views([seg])[0].no_code
        # with a code applied, the mark is refused (the code comes off first); pressed again, it is lifted
        other = segment_id(project, "entretien-01.txt", 2)
        session.accept(other)
        refused = session.no_code(other)
        assert not refused.done and refused.message.startswith("F3 appliqué ici : retirez-le d'abord")
        # lifted, it withdraws the rejections it made (the mark restored by the undo is the same)
        assert session.no_code(seg).message == "« aucun code » retiré (de nouveau en attente : F1, F4)"
        view = session.views([seg])[0]
        assert not view.no_code and not view.reviewed and [c.code_id for c in view.pending] == ["F1", "F4"]
    with ProjectStore(project) as store:  # no coding row of a code that is not one: exports never see it
        assert NO_CODE not in {c.code_id for c in store.codings.list()}


def test_no_code_pressed_again_reopens_the_suggestions_it_rejected(project: Path) -> None:
    """``0`` twice left the mark's rejections behind (« ✗ F1 … ✗ F7 », the answer still counted
    reviewed), though the help says « 0 à nouveau pour retirer » and the digits' toggles restore
    the previous state. Lifting the mark withdraws them, as one undoable step, across a restart."""
    seg = segment_id(project, "entretien-01.txt", 1)  # F1 and F4 suggested
    with ReviewSession(project, "alice") as session:
        reviewed = session.documents()[0].reviewed
        assert session.no_code(seg).message == "relu : aucun code (rejetés : F1, F4)"
    with ReviewSession(project, "alice") as session:  # a restart between the two presses
        lifted = session.no_code(seg)
        assert lifted.done and lifted.message == "« aucun code » retiré (de nouveau en attente : F1, F4)"
        view = session.views([seg])[0]
        assert not view.no_code and not view.reviewed and [c.code_id for c in view.pending] == ["F1", "F4"]
        assert session.documents()[0].reviewed == reviewed
        # one undo brings the mark and its rejections back, one redo lifts them again
        undone = session.undo()
        assert undone.message == "annulé : aucun code (— → marqué), F4 (— → rejeté), F1 (— → rejeté)"
        view = session.views([seg])[0]
        assert view.no_code and [c.code_id for c in view.rejected] == ["F1", "F4"] and not view.pending
        assert session.redo().done
        view = session.views([seg])[0]
        assert not view.no_code and [c.code_id for c in view.pending] == ["F1", "F4"]
        session.undo()  # marked again by the undo: pressed again, it still reopens them
    with ReviewSession(project, "alice") as session:
        assert session.no_code(seg).message.endswith("(de nouveau en attente : F1, F4)")
        assert [c.code_id for c in session.views([seg])[0].pending] == ["F1", "F4"]


def test_lifting_no_code_keeps_rejections_made_apart_from_the_mark(project: Path) -> None:
    """A rejection the analyst made before the mark, or changed since, is theirs: it stays."""
    seg = segment_id(project, "entretien-01.txt", 1)  # F1 and F4 suggested
    with ReviewSession(project, "alice") as session:
        session.reject(seg, "F1")  # before the mark: the mark rejects F4 only
        assert session.no_code(seg).message == "relu : aucun code (rejetés : F4)"
        assert session.no_code(seg).message == "« aucun code » retiré (de nouveau en attente : F4)"
        view = session.views([seg])[0]
        assert [c.code_id for c in view.rejected] == ["F1"] and [c.code_id for c in view.pending] == ["F4"]
    other = segment_id(project, "entretien-01.txt", 2)  # F3 and F4 suggested
    with ReviewSession(project, "alice") as session:
        session.no_code(other)
        session.reject(other, "F3")  # changed since the mark (rejected again, by hand): stays
        with ProjectStore(project) as store:  # a decision taken elsewhere, the mark standing
            store.codings.decide(other, "F4", "alice", None)
            store.codings.decide(other, "F4", "alice", Status.REJECTED)
        assert session.no_code(other).message == "« aucun code » retiré"
        assert [c.code_id for c in session.views([other])[0].rejected] == ["F3", "F4"]
    third = segment_id(project, "entretien-01.txt", 4)  # F4 suggested
    with ReviewSession(project, "alice") as session:
        session.no_code(third)  # rejects F4
        session.toggle(third, "F7")  # a code after all: the mark is lifted
        session.toggle(third, "F7")  # taken off again
        assert session.no_code(third).message == "relu : aucun code"  # marked afresh: F4 was rejected already
        assert session.no_code(third).message == "« aucun code » retiré"  # that mark rejected nothing
        assert [c.code_id for c in session.views([third])[0].rejected] == ["F4"]


def test_an_undone_batch_on_one_segment_reads_in_the_singular_without_x1(project: Path) -> None:
    """« annulé : 6 décisions sur 1 segments : aucun code (marqué → —) ×1, F1 (rejeté → —) ×1, … »."""
    seg = segment_id(project, "entretien-01.txt", 1)
    with ProjectStore(project) as store:
        scores = {"F1": 0.9, "F2": 0.8, "F3": 0.7, "F4": 0.6, "F5": 0.55}
        store.codings.put_scores(MODEL, {seg: scores}, [Suggestion(seg, c, v, "") for c, v in scores.items()])
    with ReviewSession(project, "alice") as session:
        session.no_code(seg)
        undone = session.undo().message
        assert undone.startswith("annulé : 6 décisions sur 1 segment : aucun code (marqué → —), ")
        assert undone.endswith(" et 3 autres") and "×" not in undone
        assert session.redo().message.startswith("rétabli : 6 décisions sur 1 segment : ")


def test_no_code_on_an_answer_without_suggestion_counts_it_reviewed(project: Path) -> None:
    seg = segment_id(project, "entretien-01.txt", 5)  # F5 suggested
    with ReviewSession(project, "alice") as session:
        session.reject(seg)
        assert session.no_code(seg).message == "relu : aucun code"  # nothing left pending to reject
        assert session.views([seg])[0].no_code
    with ReviewSession(project, "bob") as session:  # alice's mark is hers
        assert not session.views([seg])[0].no_code and session.documents()[0].reviewed == 0


def test_the_queue_counts_what_is_left_as_segments_are_decided(project: Path) -> None:
    """`n` read « file 1/849 », then « file 2/849 », « file 3/849 » as two segments were decided:
    a rank among what the queue held when built, while Documents said 847 were left."""
    with ReviewSession(project, "alice") as session:
        queue = session.queue()
        first, second = queue.items[0].segment_id, queue.items[1].segment_id
        assert queue.left({}) == queue.total
        session.reject(first)
        session.no_code(second)
        assert session.queued([first, second]) == {first: False, second: False}
        assert queue.left({first: False, second: False}) == queue.total - 2 == session.queue().total
        session.undo()  # the mark on the second segment: to review again
        assert session.queued([first, second]) == {first: False, second: True}
        assert queue.left({first: False, second: True}) == queue.total - 1 == session.queue().total
        outside = segment_id(project, "entretien-01.txt", 3)  # not in the queue: not counted
        assert queue.left(session.queued([outside])) == queue.total


def test_the_queue_count_under_a_status_filter_is_what_the_queue_still_ranks(project: Path) -> None:
    """Under « en attente », deciding one of two pending codes lowered « file : N » though the
    segment stayed in the queue; under « appliqués », applying a code on a new segment lowered
    nothing though it joined, and any decision on a segment of the queue lowered it."""
    seg = segment_id(project, "entretien-01.txt", 1)  # F1 and F4 suggested
    pending, applied = ReviewFilter(status=ReviewStatus.PENDING), ReviewFilter(status=ReviewStatus.APPLIED)
    with ReviewSession(project, "alice") as session:
        queue, by_applied = session.queue(pending), session.queue(applied)
        assert seg in queue.segment_ids and by_applied.total == 0
        session.toggle(seg, "F1")  # F1 applied, F4 still pending
        assert queue.left(session.queued([seg], queue.filter)) == queue.total == session.queue(pending).total
        assert by_applied.left(session.queued([seg], by_applied.filter)) == 1 == session.queue(applied).total
        session.reject(seg)  # F4 rejected: nothing pending there any more
        assert queue.left(session.queued([seg], queue.filter)) == queue.total - 1 == session.queue(pending).total
        assert by_applied.left(session.queued([seg], by_applied.filter)) == 1 == session.queue(applied).total


def test_no_code_pressed_again_after_a_reimport_reopens_what_the_mark_rejected(tmp_path: Path) -> None:
    """A re-import carries the mark and its rejections over to the segment's new copy as
    « carry-over » entries, with no undo group: ``0`` pressed again there lifted the mark and
    left the rejections behind. They are read from the segment the copy came from."""
    from tzcld_qual.segment import RuleSentenceSplitter, Segmenter
    from tzcld_qual.services.importing import import_files
    from tzcld_qual.store import NewRun

    text = "Enquêtrice : Et le CDI ?\n\nMartine : Oui, depuis deux ans.\n\nEnquêtrice : Et avant ?\n\nMartine : Rien.\n"
    source, project = tmp_path / "martine.txt", tmp_path / "p.tzq"
    segmenter = Segmenter(RuleSentenceSplitter())
    source.write_text(text, encoding="utf-8")
    import_files(project, [source], segmenter)

    def suggest() -> int:
        """F1 and F4 suggested on the answer « Oui, depuis deux ans. » (a model run, again after the re-import)."""
        with ProjectStore(project) as store:
            seg = next(s for s in store.documents.segments() if s.text == "Oui, depuis deux ans.")
            version = store.codebooks.latest_version()
            run = store.runs.register(NewRun("ensemble", "fixture", version, {"thresholds": {"F1": 0.5, "F4": 0.5}}))[0]
            scores = {"F1": 0.8, "F4": 0.6}
            store.codings.put_scores(run, {seg.id: scores}, [Suggestion(seg.id, c, s, "") for c, s in scores.items()])
            store.set_meta("current_model", run)
            return seg.id

    first = suggest()
    with ReviewSession(project, "alice") as session:
        assert session.no_code(first).message == "relu : aucun code (rejetés : F1, F4)"
    source.write_text(text.replace("Rien.", "Rien du tout."), encoding="utf-8")  # another answer edited
    (report,) = import_files(project, [source], segmenter)
    assert report.status == "new-version" and report.carried_over == 3  # the mark and its two rejections
    copy = suggest()
    assert copy != first
    with ReviewSession(project, "alice") as session:
        assert session.views([copy])[0].no_code
        lifted = session.no_code(copy)
        assert lifted.message == "« aucun code » retiré (de nouveau en attente : F1, F4)"
        view = session.views([copy])[0]
        assert not view.no_code and [c.code_id for c in view.pending] == ["F1", "F4"]
