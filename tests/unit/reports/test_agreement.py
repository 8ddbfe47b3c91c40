"""Inter-coder agreement: exact figures on the hand-made fixture (see conftest.py).

Hand computation, alice (A) × ensemble@1 (B) on the 10 segments both coded (s1..s10). Two
suggestions alice left undecided are no answer of hers and are left out: F3.formation on s3 and
F2 on s10 (she decided other findings there).
F1: both {1,2,5,8} = 4, only A {10} = 1, only B {4} = 1 (she rejected it), neither {3,6,7,9} = 4.
    p_o = 8/10; A₁ = B₁ = 5, p_e = .5·.5 + .5·.5 = .5; κ = (.8 − .5)/(1 − .5) = 0.6.
    α: n = 20 values, n₁ = 10, n₀ = 10, D = 2 disagreeing units: α = 1 − 19·2/(10·10) = 0.62.
F2 (9 units, s10 left out): both {3} = 1, only A {2,7} = 2, neither 6.
    p_o = 7/9; A₁ = 3, B₁ = 1, p_e = (3·1 + 6·8)/81 = 51/81; κ = (63 − 51)/(81 − 51) = 0.4.
    α: n₁ = 4, n₀ = 14, D = 2: α = 1 − 17·2/(14·4) = 11/28.
F3 (9 units, s3 left out): both {6,8} = 2, neither 7: κ = α = 1.
F4: nobody on s1..s10: p_o = 1, κ and α undefined (no variation), not 1.0.
Pooled over the 38 (segment, code) pairs: both 4+1+2 = 7, only A 1+2 = 3, only B 1, neither
    4+6+7+10 = 27: p_o = 34/38; A₁ = 10, B₁ = 8, E = 10·8 + 28·30 = 920, κ = (38·34 − 920)/(38² −
    920) = 372/524; α: n = 76, n₁ = 18, n₀ = 58, D = 4: α = 1 − 75·4/(58·18) = 744/1044.
Mean κ over the 3 defined codes: (0.6 + 0.4 + 1)/3. Identical code sets over the codes both
judged: s1 s3 s5 s6 s8 s9 = 6/10.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_fixture import MODEL_ID, Fixture, add_document, build_project

from tzcld_qual.errors import NotFoundError, ProjectError, UsageError
from tzcld_qual.model import Role, Status, Suggestion
from tzcld_qual.reports.agreement import (
    Table2x2,
    cohen_kappa,
    compare,
    krippendorff_alpha,
    percent_agreement,
)
from tzcld_qual.services.agreement import agreement, coder_codings, model_vs_analysts
from tzcld_qual.store import NewRun, ProjectStore

EXPECTED = {  # code: (both, only_a, only_b, neither, percent, kappa, alpha)
    "F1": (4, 1, 1, 4, 0.8, 0.6, 0.62),
    "F2": (1, 2, 0, 6, 7 / 9, 0.4, 11 / 28),
    "F3": (2, 0, 0, 7, 1.0, 1.0, 1.0),
    "F4": (0, 0, 0, 10, 1.0, None, None),
}


def reliability(table: Table2x2) -> list[list[int]]:
    """The 2×N reliability matrix the ``krippendorff`` package expects, from a 2×2 table."""
    pairs = [(1, 1)] * table.both + [(1, 0)] * table.only_a + [(0, 1)] * table.only_b + [(0, 0)] * table.neither
    return [[a for a, _ in pairs], [b for _, b in pairs]]


# -- pure arithmetic -------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["F1", "F2", "F3"])
def test_figures_match_hand_computation_and_krippendorff_package(code: str) -> None:
    both, only_a, only_b, neither, percent, kappa, alpha = EXPECTED[code]
    table = Table2x2(both, only_a, only_b, neither)
    assert percent_agreement(table) == pytest.approx(percent, abs=1e-12)
    assert cohen_kappa(table) == pytest.approx(kappa, abs=1e-12)
    assert krippendorff_alpha(table) == pytest.approx(alpha, abs=1e-12)
    reference = krippendorff.alpha(reliability_data=reliability(table), level_of_measurement="nominal")
    assert krippendorff_alpha(table) == pytest.approx(reference, abs=1e-12)


def test_kappa_matches_scikit_learn_on_the_pooled_table() -> None:
    from sklearn.metrics import cohen_kappa_score

    table = Table2x2(7, 3, 3, 27)
    a, b = reliability(table)
    assert cohen_kappa(table) == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
    assert cohen_kappa(table) == pytest.approx(0.6, abs=1e-12)


@pytest.mark.parametrize("table", [Table2x2(0, 0, 0, 10), Table2x2(10, 0, 0, 0)])
def test_no_variation_gives_undefined_kappa_and_alpha_not_one(table: Table2x2) -> None:
    assert percent_agreement(table) == 1.0
    assert cohen_kappa(table) is None
    assert krippendorff_alpha(table) is None
    with pytest.raises(ValueError):  # the reference package refuses it too
        krippendorff.alpha(reliability_data=reliability(table), level_of_measurement="nominal")


def test_one_constant_coder_gives_a_defined_zero_kappa() -> None:
    table = Table2x2(0, 0, 2, 8)  # A never applies the code, B does twice
    assert cohen_kappa(table) == 0.0
    assert krippendorff_alpha(table) == pytest.approx(
        krippendorff.alpha(reliability_data=reliability(table), level_of_measurement="nominal")
    )


def test_no_units_gives_nothing() -> None:
    result = compare(["F1"], {1: {"F1"}}, {2: {"F1"}})
    assert result.units == 0
    assert (result.percent, result.kappa, result.alpha, result.mean_kappa, result.exact_match) == (None,) * 5
    assert result.code("F1").percent is None


@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=40))
def test_alpha_and_kappa_agree_with_references_on_random_data(
    pairs: list[tuple[bool, bool]],
) -> None:
    table = Table2x2(
        sum(a and b for a, b in pairs),
        sum(a and not b for a, b in pairs),
        sum(b and not a for a, b in pairs),
        sum(not a and not b for a, b in pairs),
    )
    data = np.array([[int(a) for a, _ in pairs], [int(b) for _, b in pairs]])
    if len(set(data.flatten())) < 2:
        assert krippendorff_alpha(table) is None
        assert cohen_kappa(table) is None
        return
    assert krippendorff_alpha(table) == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), abs=1e-9
    )
    p_o = sum(a == b for a, b in pairs) / len(pairs)
    pa, pb = data[0].mean(), data[1].mean()
    p_e = pa * pb + (1 - pa) * (1 - pb)
    expected = None if p_e == 1 else (p_o - p_e) / (1 - p_e)
    assert cohen_kappa(table) == pytest.approx(expected, abs=1e-9)


def test_compare_lists_disagreements_and_overall_figures() -> None:
    a = {1: {"F1"}, 2: {"F1", "F2"}, 3: {"F1"}, 9: {"F2"}}
    b = {1: {"F1"}, 2: {"F1"}, 3: {"F1", "F2"}, 8: {"F1"}}
    result = compare(["F1", "F2"], a, b, name_a="alice", name_b="bruno")
    assert result.segments == (1, 2, 3)
    assert [(d.segment_id, d.code, d.coder_a, d.coder_b) for d in result.disagreements] == [
        (2, "F2", True, False),
        (3, "F2", False, True),
    ]
    assert result.pooled == Table2x2(both=3, only_a=1, only_b=1, neither=1)
    assert result.exact_match == pytest.approx(1 / 3)
    assert result.code("F1").kappa is None  # both said F1 on every compared segment
    assert result.defined_kappas == 1
    assert result.mean_kappa == result.code("F2").kappa == pytest.approx(-0.5)


def test_a_kappa_on_few_positive_cases_is_flagged() -> None:
    """An audit read « F1 κ = 1,00 » from a single segment where both applied F1: a kappa resting
    on fewer than 5 segments where a code applies is flagged, not one with no kappa at all."""
    a = {n: {"F1"} if n < 4 else {"F2"} if n < 9 else set() for n in range(20)}
    b = {n: {"F1"} if n < 5 else {"F2"} if n < 9 else set() for n in range(20)}
    result = compare(["F1", "F2", "F3"], a, b)
    assert [c.table.positives for c in result.codes] == [5, 5, 0]  # F2: 4..8 for A, 5..8 for B
    assert result.few_positives == ()
    result = compare(["F1", "F2", "F3"], a, {n: codes - {"F2"} for n, codes in a.items()} | {9: {"F2"}})
    assert [c.table.positives for c in result.codes] == [4, 6, 0]
    assert result.few_positives == ("F1",)  # κ = 1 on 4 segments; F3: no kappa, nothing to flag


# -- the service, on the hand-made project ---------------------------------------------------------
def test_human_versus_model_on_the_fixture(project: Fixture) -> None:
    report = agreement(project.path, "alice", MODEL_ID)
    r = report.result
    assert r.segments == tuple(project.seg[n].id for n in range(1, 11))  # not s11 (unscored), s12 (no decision)
    assert (report.coder_a.kind, report.coder_a.coded) == ("human", 11)
    assert (report.coder_b.kind, report.coder_b.coded) == ("model", 11)
    assert [c.code for c in r.codes] == ["F1", "F2", "F3", "F4"]
    for code, (both, only_a, only_b, neither, percent, kappa, alpha) in EXPECTED.items():
        got = r.code(code)
        assert got.table == Table2x2(both, only_a, only_b, neither), code
        assert got.percent == pytest.approx(percent)
        assert got.kappa == (None if kappa is None else pytest.approx(kappa, abs=1e-12))
        assert got.alpha == (None if alpha is None else pytest.approx(alpha, abs=1e-12))
    assert r.pooled == Table2x2(7, 3, 1, 27)
    assert r.left_open == 2  # s3 F3, s10 F2: suggestions alice did not decide
    assert r.percent == pytest.approx(34 / 38)
    assert r.kappa == pytest.approx(372 / 524)
    assert r.alpha == pytest.approx(744 / 1044)
    assert r.mean_kappa == pytest.approx((0.6 + 0.4 + 1) / 3)
    assert r.defined_kappas == 3
    assert r.exact_match == pytest.approx(0.6)
    seg = {s.id: n for n, s in project.seg.items()}
    assert [(seg[d.segment_id], d.code, d.coder_a) for d in report.disagreements] == [
        (2, "F2", True),
        (4, "F1", False),
        (7, "F2", True),
        (10, "F1", True),
    ]
    assert report.disagreements[0].document == "entretien-01"
    assert report.disagreements[0].speaker == "Martine"
    assert report.labels["F3"] == "Connaissance des droits"
    assert report.few_positives == ("F2", "F3")  # 3 and 2 segments with the code; F1 has 6, F4 no kappa


def test_pooled_alpha_matches_krippendorff_package_on_the_fixture(project: Fixture) -> None:
    r = agreement(project.path, "alice", MODEL_ID).result
    assert r.alpha == pytest.approx(
        krippendorff.alpha(reliability_data=reliability(r.pooled), level_of_measurement="nominal"),
        abs=1e-12,
    )


def test_coded_rule_counts_rejections_and_rolls_up(project: Fixture) -> None:
    with ProjectStore(project.path) as store:
        alice = coder_codings(store, "alice")
        model = coder_codings(store, MODEL_ID)
    s = project.seg
    assert alice.applied[s[4].id] == frozenset()  # only a rejection: coded, nothing applies
    assert alice.applied[s[6].id] == {"F3"}  # F3.formation rolls up
    assert model.applied[s[3].id] == {"F2", "F3"}
    assert model.applied[s[7].id] == frozenset()  # scored, nothing suggested
    assert s[11].id not in model.applied and s[12].id not in alice.applied


def test_a_suggestion_left_undecided_or_a_sub_code_rejected_alone_is_no_answer(project: Fixture) -> None:
    """Bulk orders decide one finding at a time: a coder who accepted F1 on a segment never
    looked at the F2 suggested there. Counting that F2 as her « no » made half the disagreements
    of an audit's two analysts. Rejecting one sub-code of a finding says nothing of the rest of
    it; rejecting all that was suggested of it answers it."""
    with ProjectStore(project.path) as store:
        alice = coder_codings(store, "alice")
        s = project.seg
        assert alice.open == {s[3].id: {"F3"}, s[10].id: {"F2"}}
        store.codings.decide(s[10].id, "F2", "alice", Status.REJECTED)
        assert coder_codings(store, "alice").open == {s[3].id: {"F3"}}
        store.codings.put_scores(MODEL_ID, {}, [Suggestion(s[3].id, "F3", 0.7, "test")])  # F3 beside F3.formation
        store.codings.decide(s[3].id, "F3.formation", "alice", Status.REJECTED)
        assert coder_codings(store, "alice").open == {s[3].id: {"F3"}}  # one sub-code of two: F3 still open
        store.codings.decide(s[3].id, "F3", "alice", Status.REJECTED)
        assert coder_codings(store, "alice").open == {}
    r = agreement(project.path, "alice", MODEL_ID).result
    assert r.left_open == 0 and r.code("F2").table == Table2x2(1, 2, 1, 6)  # her « no » on s10 counts now


def test_the_only_code_of_a_finding_suggested_and_rejected_answers_the_finding(project: Fixture) -> None:
    """The model suggested F3.formation alone on s3: alice rejecting it answered its only claim
    on F3 (it stayed « open », out of the comparison)."""
    with ProjectStore(project.path) as store:
        store.codings.decide(project.seg[3].id, "F3.formation", "alice", Status.REJECTED)
        assert project.seg[3].id not in coder_codings(store, "alice").open
    assert agreement(project.path, "alice", MODEL_ID).result.code("F3").table.only_b == 1


def test_only_the_suggestions_put_to_the_analyst_leave_pairs_open(project: Fixture) -> None:
    """An earlier run's suggestions stay in the store; the review screen shows the model in
    service. Counted, an older run's F2 on every segment left 259 pairs out instead of 55."""
    with ProjectStore(project.path) as store:
        store.codings.register_coder("ensemble@0", "model")  # never a run in service
        store.codings.put_scores(
            "ensemble@0", {}, [Suggestion(seg.id, "F4", 0.8, "old") for seg in project.seg.values()]
        )
        store.codings.decide(project.seg[1].id, "F1", "alice", Status.ACCEPTED)  # back on s1: still not shown
        assert coder_codings(store, "alice").open == {project.seg[3].id: {"F3"}, project.seg[10].id: {"F2"}}
    r = agreement(project.path, "alice", MODEL_ID).result
    assert r.left_open == 2 and r.code("F4").table.units == 10
    old = agreement(project.path, "alice", "ensemble@0").result  # never shown to her: her « no » counts
    assert old.code("F4").table == Table2x2(1, 0, 10, 0) and old.left_open == 2  # s11 both; 10 of hers « no »


def _fit(store: ProjectStore, run_id: str, suggestions: dict[int, tuple[str, ...]]) -> None:
    """A model registered after the fixture's decisions, suggesting ``suggestions``."""
    assert store.runs.register(NewRun("ensemble", f"fp-{run_id}", 1, {}))[0] == run_id
    store.codings.put_scores(
        run_id,
        {segment: {} for segment in suggestions},
        [Suggestion(segment, code, 0.9, "retrained") for segment, codes in suggestions.items() for code in codes],
    )


def _retrain(store: ProjectStore, run_id: str, suggestions: dict[int, tuple[str, ...]]) -> None:
    """A model fitted after the fixture's decisions, put in service, suggesting ``suggestions``."""
    _fit(store, run_id, suggestions)
    store.set_meta("current_model", run_id)


def test_a_model_fitted_after_two_analysts_decided_leaves_their_agreement_unchanged(project: Fixture) -> None:
    """The audit's case: on a segment alice coded F4 by hand and bruno F1, a retrained model
    learnt both and suggested both; each analyst became « undecided » on the other's code and
    their disagreement vanished (kappa of F4 0,475 → 0,683, 8 disagreements → 5). A suggestion
    written after an analyst's decisions was never put to them: it asked them nothing."""
    s = project.seg
    with ProjectStore(project.path) as store:
        store.codings.decide(s[11].id, "F1", "bruno", Status.MANUAL)  # alice has F4 there
    before = agreement(project.path, "alice", "bruno")
    assert [(d.code, d.coder_a) for d in before.disagreements if d.segment_id == s[11].id] == [
        ("F1", False),
        ("F4", True),
    ]
    with ProjectStore(project.path) as store:
        _retrain(store, "ensemble@2", {s[11].id: ("F1", "F4"), s[2].id: ("F2",), s[1].id: ("F3",)})
    after = agreement(project.path, "alice", "bruno")
    assert after.result == before.result and after.disagreements == before.disagreements
    assert after.result.left_open == 1  # s3 F3: ensemble@1's F3.formation, which both left open
    with ProjectStore(project.path) as store:  # ensemble@1's, which she saw, still open; none of ensemble@2's
        assert coder_codings(store, "alice").open == {s[3].id: {"F3"}, s[10].id: {"F2"}}


def test_a_suggestion_on_screen_at_a_later_decision_is_left_open(project: Fixture) -> None:
    """Back on a segment once the new model is in service, the analyst has its suggestions on
    screen: those she leaves undecided are no answer of hers."""
    s = project.seg
    with ProjectStore(project.path) as store:
        _retrain(store, "ensemble@2", {s[1].id: ("F3", "F4"), s[2].id: ("F4",)})
        store.codings.decide(s[1].id, "F3", "alice", Status.REJECTED)  # decides F3, leaves F4 open
        alice = coder_codings(store, "alice")
    assert alice.open == {s[1].id: {"F4"}, s[3].id: {"F3"}, s[10].id: {"F2"}}  # not s2: not back there


def test_blind_review_leaves_no_pair_open(project: Fixture) -> None:
    """In blind mode the review shows no suggestion: not applying a code is the analyst's « no »
    (the store does not record the mode: ``agreement --blind`` says it)."""
    r = agreement(project.path, "alice", "bruno", blind=True).result
    assert r.left_open == 0
    assert r.code("F3").table == Table2x2(0, 0, 0, 3)  # s3 compared: neither applied F3
    model = agreement(project.path, "alice", MODEL_ID, blind=True).result
    assert model.left_open == 0 and model.code("F2").table == Table2x2(1, 2, 1, 6)  # s10: her « no »


def test_a_blind_review_is_remembered_by_agreement(project: Fixture) -> None:
    """Blind double coding is what agreement is for, and `--blind` had to be remembered: a code
    the blind analyst never saw suggested (F2 on s3) left the pair open, as if undecided."""
    from tzcld_qual.services.review import ReviewSession

    s3 = project.seg[3].id  # the model suggests F2 and F3.formation there; alice applied F2
    with ReviewSession(project.path, "carla", blind=True) as session:
        session.toggle(s3, "F1")
    with ReviewSession(project.path, "dora") as session:  # the same, suggestions on screen
        session.toggle(s3, "F1")
    blind = agreement(project.path, "alice", "carla").result
    seen = agreement(project.path, "alice", "dora").result
    # alice's own F3 (suggested, undecided) stays open; carla's F2 is her « no »
    assert blind.left_open == 1 and blind.code("F2").table == Table2x2(0, 1, 0, 0)
    assert seen.left_open == 2 and seen.code("F2").table.units == 0  # dora left F2 open too
    with ProjectStore(project.path) as store:
        assert [e.detail for e in store.codings.audit(coder="carla")] == ["blind"]


def test_swapping_coders_keeps_symmetric_figures(project: Fixture) -> None:
    ab = agreement(project.path, "alice", MODEL_ID).result
    ba = agreement(project.path, MODEL_ID, "alice").result
    assert (ab.kappa, ab.alpha, ab.percent) == pytest.approx((ba.kappa, ba.alpha, ba.percent))
    assert ab.code("F2").table.only_a == ba.code("F2").table.only_b


def test_two_humans(project: Fixture) -> None:
    r = agreement(project.path, "alice", "bruno").result
    assert r.units == 3
    assert r.code("F1").table == Table2x2(2, 0, 0, 1)  # s1, s2 both; s3 neither
    assert (r.code("F1").kappa, r.code("F1").alpha) == (1.0, 1.0)
    assert r.code("F2").table == Table2x2(0, 2, 0, 1)
    assert r.code("F2").kappa == pytest.approx(0.0)
    assert r.code("F2").alpha == pytest.approx(-0.25)


def test_a_segment_read_with_no_code_is_a_no_for_every_code(project: Fixture) -> None:
    """« relu, aucun code » (the review's `0`) stores no coding: the segment was left out of
    agreement, as if nobody had read it, so a code one analyst applied there against the
    other's judgement was no disagreement at all."""
    from tzcld_qual.model import NO_CODE

    with ProjectStore(project.path) as store:
        store.codings.decide(project.seg[12].id, "F1", "bruno", Status.MANUAL)
        store.codings.decide(project.seg[12].id, NO_CODE, "alice", Status.ACCEPTED)  # nothing else there
        store.codings.decide(project.seg[5].id, NO_CODE, "bruno", Status.ACCEPTED)  # alice has F1 on s5
    r = agreement(project.path, "alice", "bruno").result
    assert r.units == 5  # s1, s2, s3 as before, s5 and s12
    assert r.code("F1").table == Table2x2(2, 1, 1, 1)  # s5 alice only, s12 bruno only
    assert r.code("F2").table == Table2x2(0, 2, 0, 3)
    with ProjectStore(project.path) as store:
        assert coder_codings(store, "alice").applied[project.seg[12].id] == frozenset()


def test_second_project_file_is_matched_by_document_and_offsets(tmp_path: Path, project: Fixture) -> None:
    other = tmp_path / "other.tzq"
    shutil.copy(project.path, other)
    with ProjectStore(other) as store:  # a segment only the second project has
        extra = add_document(store, "entretien-03", {}, [("Paul", Role.RESPONDENT, "Rien à dire.")])
        store.codings.put_scores(MODEL_ID, {extra[0].id: {"F1": 0.9}}, [])
    report = agreement(project.path, "alice", MODEL_ID, project_b=other)
    same = agreement(project.path, "alice", MODEL_ID)
    assert report.result == same.result
    assert report.unmatched == 1
    assert report.coder_b.project == str(other)


def test_model_vs_analysts_for_the_report(project: Fixture) -> None:
    with ProjectStore(project.path) as store:
        reports = model_vs_analysts(store, MODEL_ID)
    assert [(r.coder_a.name, r.coder_b.name, r.result.units) for r in reports] == [
        (MODEL_ID, "alice", 10),
        (MODEL_ID, "bruno", 3),
        ("alice", "bruno", 3),
    ]


def test_unknown_coder_names_the_known_ones(project: Fixture) -> None:
    with pytest.raises(NotFoundError) as info:
        agreement(project.path, "alice", "ensemble@9")
    assert "ensemble@9" in str(info.value) and "alice" in str(info.value) and MODEL_ID in str(info.value)


def test_same_coder_twice_is_a_usage_error(project: Fixture) -> None:
    with pytest.raises(UsageError):
        agreement(project.path, "alice", "alice")


def test_no_common_segment_is_a_clear_error(tmp_path: Path) -> None:
    fixture = build_project(tmp_path / "p.tzq", bruno=False)
    with ProjectStore(fixture.path) as store:  # carla only coded s11, which the model did not score
        store.codings.decide(fixture.seg[11].id, "F1", "carla", Status.REJECTED)
    with pytest.raises(ProjectError) as info:
        agreement(fixture.path, "carla", MODEL_ID)
    assert "carla" in str(info.value) and "aucun segment" in str(info.value)


def test_a_run_registered_but_never_put_in_service_showed_nothing(project: Fixture) -> None:
    """``code`` registers its run before scoring and makes it current after: a run killed in
    between was taken as « in service » for every later decision (the latest registered), and a
    model put back afterwards was never seen. The model in service is the one logged as put there."""
    from tzcld_qual.services.coding import put_in_service

    s = project.seg
    with ProjectStore(project.path) as store:
        _fit(store, "ensemble@2", {s[1].id: ("F3",)})
        put_in_service(store, "ensemble@2")
        _fit(store, "ensemble@3", {s[1].id: ("F4",), s[2].id: ("F4",)})  # killed before put in service
        assert store.meta("current_model") == "ensemble@2"
        store.codings.decide(s[1].id, "F1", "alice", Status.MANUAL)  # ensemble@2's F3 on screen
        assert coder_codings(store, "alice").open[s[1].id] == {"F3"}  # not the killed run's F4
        _fit(store, "ensemble@4", {s[2].id: ("F1",)})
        put_in_service(store, "ensemble@4")
        put_in_service(store, "ensemble@2")  # an earlier model put back
        store.codings.decide(s[2].id, "F2", "alice", Status.MANUAL)
        assert s[2].id not in coder_codings(store, "alice").open  # neither ensemble@4's F1 nor the killed F4


def test_seen_suggestions_are_read_for_the_segments_concerned(project: Fixture, monkeypatch) -> None:
    """Every suggestion of every model and the analyst's whole log were loaded to keep a few:
    they are read by segment (same answer)."""
    from tzcld_qual.store.codings import CodingRepo

    with ProjectStore(project.path) as store:
        expected = coder_codings(store, "alice").open

        def whole_table(*_args, **_kwargs):
            raise AssertionError("read the whole table")

        monkeypatch.setattr(CodingRepo, "audit", whole_table)
        monkeypatch.setattr(CodingRepo, "list", whole_table)
        assert coder_codings(store, "alice").open == expected
