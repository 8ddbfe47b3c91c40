"""The topics service on real project files: scope, discovery, persistence, reuse, promotion."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from topics_corpus import CountingLemmatizer, HashingEmbedder, build_project

from tzcld_qual.codebook import parse_codebook
from tzcld_qual.errors import NotFoundError, ProjectError, UsageError
from tzcld_qual.model import Role, Status, Suggestion
from tzcld_qual.services import topics
from tzcld_qual.services.review import ReviewSession
from tzcld_qual.store import CodingFilter, ProjectStore
from tzcld_qual.store.imported import add_unscored_suggestions
from tzcld_qual.topics.result import OUTLIER, Scope, TopicParams

PCA = TopicParams(scope=Scope.ALL, min_size=5, reduction="pca", n_components=3)


def _discover(project: Path, embedder: HashingEmbedder, lemmatizer: CountingLemmatizer,
              params: TopicParams = PCA, **kw: object) -> topics.TopicRun:
    with ProjectStore(project) as store:
        return topics.discover_topics(store, embedder, lemmatizer, params, **kw)  # type: ignore[arg-type]


def test_scopes_exclude_applied_codes_and_confident_current_suggestions(project: Path) -> None:
    with ProjectStore(project) as store:
        respondent = sorted(s.id for s in store.documents.segments(role=Role.RESPONDENT))
        a, b, c, d, e = respondent[:5]
        store.codings.decide(a, "F1", "alice", Status.ACCEPTED)
        store.codings.decide(b, "F2", "alice", Status.REJECTED)  # a rejection codes nothing
        store.codings.register_coder("ensemble@1", "model")
        store.codings.register_coder("ensemble@0", "model")
        store.codings.put_scores("ensemble@1", {}, [Suggestion(c, "F1", 0.8, ""), Suggestion(d, "F1", 0.3, "")])
        store.codings.put_scores("ensemble@0", {}, [Suggestion(e, "F1", 0.9, "")])  # not the current model
        everything = [s.id for s in topics.scope_segments(store, Scope.ALL)]
        uncoded = [s.id for s in topics.scope_segments(store, Scope.UNCODED)]
        assert everything == respondent
        assert uncoded == [i for i in respondent if i != a]
        # no current model yet: low-confidence = uncoded
        assert [s.id for s in topics.scope_segments(store, Scope.LOW_CONFIDENCE)] == uncoded
        store.set_meta("current_model", "ensemble@1")
        low = [s.id for s in topics.scope_segments(store, Scope.LOW_CONFIDENCE)]
        assert low == [i for i in respondent if i not in (a, c)]
        f = respondent[5]  # a suggestion whose score a REFI-QDA file lost: made, so not a low-confidence one
        add_unscored_suggestions(store, "ensemble@1", [Suggestion(f, "F2", 0.0, "")])
        assert f not in [s.id for s in topics.scope_segments(store, Scope.LOW_CONFIDENCE)]


def test_discovery_finds_the_themes_with_quotes_shares_and_nearest_codes(
    project: Path, embedder: HashingEmbedder, lemmatizer: CountingLemmatizer
) -> None:
    run = _discover(project, embedder, lemmatizer)
    assert run.id == "topics@1" and not run.reused and run.segments == 54
    assert run.outliers + sum(t.size for t in run.topics) == 54
    assert [t.size for t in run.topics] == sorted((t.size for t in run.topics), reverse=True)
    nearest = {}
    for topic in run.topics:
        assert 3 <= len(topic.quotes) <= 5 and topic.keyphrases and topic.label
        assert sum(topic.shares("role").values()) == pytest.approx(1.0)
        assert sum(topic.breakdown["territory"].values()) == topic.size
        assert all(q.citation == f"[{q.document} · Camille · {q.segment_id}]" for q in topic.quotes)
        assert [q.similarity for q in topic.quotes] == sorted((q.similarity for q in topic.quotes), reverse=True)
        assert len(topic.neighbours) <= 3 and all(sim > 0 for _code, sim in topic.neighbours)
        nearest[" ".join(topic.keyphrases)] = topic.nearest_code
    garden = next(k for k in nearest if "potager" in k or "serre" in k)
    road = next(k for k in nearest if "permis" in k or "voiture" in k)
    assert nearest[garden] == "F1" and nearest[road] == "F2"
    assert not any(w in " ".join(nearest) for w in ("euh", "voilà", "coup", "ben"))
    with ProjectStore(project) as store:
        assert topics.load_run(store) == run
        members = topics.topic_segments(store, run.topics[0].id)
        assert len(members) == run.topics[0].size
        assert {q.segment_id for q in run.topics[0].quotes} <= {s.id for s, _ in members}
        assert len(topics.topic_segments(store, OUTLIER)) == run.outliers


def test_same_data_and_parameters_reuse_the_run_and_a_refit_gives_the_same_topics(
    project: Path, embedder: HashingEmbedder, lemmatizer: CountingLemmatizer
) -> None:
    first = _discover(project, embedder, lemmatizer)
    encoded, lemmatized = embedder.encoded, lemmatizer.lemmatized
    assert lemmatized == 54
    reused = _discover(project, embedder, lemmatizer)
    assert reused.reused and reused.id == first.id
    refit = _discover(project, embedder, lemmatizer, refit=True)
    assert refit.id == "topics@2"
    assert embedder.encoded == encoded and lemmatizer.lemmatized == lemmatized  # caches, no recomputation
    assert [(t.keyphrases, t.size, t.quotes) for t in refit.topics] == \
           [(t.keyphrases, t.size, t.quotes) for t in first.topics]
    with ProjectStore(project) as store:
        repo = topics.topic_repo(store)
        assert repo.assignments(first.id) == repo.assignments(refit.id)
    other = _discover(project, embedder, lemmatizer, TopicParams(scope=Scope.ALL, min_size=6, reduction="pca",
                                                                  n_components=3))
    assert other.id == "topics@3" and other.params["min_size"] == 6


def test_umap_runs_are_reproducible(project: Path, embedder: HashingEmbedder,
                                    lemmatizer: CountingLemmatizer) -> None:
    params = TopicParams(scope=Scope.ALL, min_size=5)
    first = _discover(project, embedder, lemmatizer, params)
    second = _discover(project, embedder, lemmatizer, params, refit=True)
    assert len(first.topics) >= 3
    with ProjectStore(project) as store:
        repo = topics.topic_repo(store)
        assert repo.assignments(first.id) == repo.assignments(second.id)
    assert [t.keyphrases for t in first.topics] == [t.keyphrases for t in second.topics]


def test_too_few_segments_or_a_tiny_min_size_are_refused(tmp_path: Path, embedder: HashingEmbedder,
                                                         lemmatizer: CountingLemmatizer) -> None:
    small = build_project(tmp_path / "small.tzq", ["Le jardin potager donne bien."] * 9, documents=3)
    with pytest.raises(ProjectError, match=r"trop peu de segments.*9.*10"):
        _discover(small, embedder, lemmatizer)
    with pytest.raises(UsageError, match="au moins 2"):
        _discover(small, embedder, lemmatizer, TopicParams(min_size=1))
    with ProjectStore(small) as store, pytest.raises(NotFoundError, match="aucun thème"):
        topics.load_run(store)


def test_promotion_adds_a_codebook_version_and_suggestions(
    project: Path, embedder: HashingEmbedder, lemmatizer: CountingLemmatizer
) -> None:
    run = _discover(project, embedder, lemmatizer)
    topic = run.topics[0]
    with ProjectStore(project) as store:
        promotion = topics.promote_topic(store, topic.id, parent="F1", label="Nouveau thème", analyst="alice")
        assert (promotion.previous_version, promotion.codebook_version) == (1, 2)
        codebook = store.codebooks.get()
        code = codebook.get(promotion.code.id)
        assert code is not None and code.parent == "F1" and code.label == "Nouveau thème"
        assert code.expressions == topic.keyphrases
        assert code.examples == tuple(q.text for q in topic.quotes)
        assert parse_codebook(store.codebooks.content(2)).get(code.id) == parse_codebook(
            promotion.yaml_text).get(code.id)
        assert "n'est pas modifié" in store.codebooks.content(2).splitlines()[0]
        assert store.codings.coder_kind(run.id) == "model"
        suggested = [c for c in store.codings.list() if c.origin == run.id]
        assert promotion.suggestions == len(suggested) == topic.size
        assert {c.code_id for c in suggested} == {code.id} and all(c.status is Status.SUGGESTED for c in suggested)
        # no probability: a similarity printed « conf. 0.93 » and taken by « au-dessus de 0,9 »
        assert all(c.confidence is None for c in suggested)
        assert all("similarité au centre du thème 0." in c.explanation for c in suggested)
        assert not [c for c in store.codings.list(CodingFilter(min_confidence=0.9)) if c.origin == run.id]
        similarity = {seg: vector[code.id] for seg, vector in store.codings.scores(run.id).items()}
        assert all(0.0 <= v <= 1.0 for v in similarity.values())
        assert max(similarity, key=lambda seg: similarity[seg]) == topic.quotes[0].segment_id
        assert set(similarity) == {c.segment_id for c in suggested}
        assert store.codings.audit(coder="alice")[-1].action == "promote-topic"
        assert topics.load_run(store).topic(topic.id).promoted_code == code.id
        with pytest.raises(ProjectError, match="déjà devenu le code"):
            topics.promote_topic(store, topic.id)
        with pytest.raises(UsageError, match="hors thème"):
            topics.promote_topic(store, OUTLIER)
        with pytest.raises(NotFoundError, match="thème 99 introuvable"):
            topics.promote_topic(store, 99)
        with pytest.raises(NotFoundError, match="topics@9"):
            topics.promote_topic(store, 1, run_id="topics@9")
        second = topics.promote_topic(store, run.topics[1].id)
        assert second.code.id == "T1" and second.codebook_version == 3
        assert [c.id for c in store.codebooks.get().codes][-1] == "T1"


def test_a_removed_promoted_code_keeps_its_id_and_its_suggestions_to_itself(
    project: Path, embedder: HashingEmbedder, lemmatizer: CountingLemmatizer
) -> None:
    """T1, promoted then removed by loading a codebook without it, kept its suggestions; the next
    promotion was T1 again and held both themes' suggestions."""
    run = _discover(project, embedder, lemmatizer)
    with ProjectStore(project) as store:
        first = topics.promote_topic(store, run.topics[0].id)
        assert first.code.id == "T1"
        original = store.codebooks.content(1) or ""
        store.codebooks.add(parse_codebook(original), original + "\n", "codebooks/tzcld.yaml")  # T1 removed
        second = topics.promote_topic(store, run.topics[1].id)
        assert second.code.id == "T2"
        by_code = {c.code_id for c in store.codings.list() if c.origin == run.id}
        assert by_code == {"T1", "T2"}
        t2 = {c.segment_id for c in store.codings.list() if c.origin == run.id and c.code_id == "T2"}
        assert t2 == set(topics.topic_repo(store).assignments(run.id, run.topics[1].id))
        with pytest.raises(UsageError, match="a déjà servi"):
            topics.promote_topic(store, run.topics[2].id, code_id="T1")


def test_a_promotion_is_undone_and_redone_by_its_coder(
    project: Path, embedder: HashingEmbedder, lemmatizer: CountingLemmatizer
) -> None:
    """README says a theme made a code is « one undoable group »: `undo --coder alice` said
    « rien à annuler »."""
    run = _discover(project, embedder, lemmatizer)
    with ProjectStore(project) as store:
        promotion = topics.promote_topic(store, run.topics[0].id, analyst="alice")
        original = store.codebooks.content(1)
    with ReviewSession(project, "alice") as session:
        undone = session.undo()
    assert undone.done and undone.codebook_changed
    said = f"annulé : le code T1 (thème {run.topics[0].id} de topics@1) ; codebook v3, le texte de la v1"
    assert said in undone.message
    with ProjectStore(project) as store:
        assert store.codebooks.content() == original and "T1" not in store.codebooks.get()
        assert not [c for c in store.codings.list() if c.origin == run.id]
        assert not store.codings.scores(run.id)
        assert topics.load_run(store).topic(run.topics[0].id).promoted_code is None
    with ReviewSession(project, "alice") as session:
        assert session.undo().message == "rien à annuler."
        redone = session.redo()
    assert redone.done and f"{promotion.suggestions} suggestion(s)" in redone.message
    with ProjectStore(project) as store:
        assert store.codebooks.content() == store.codebooks.content(2) and "T1" in store.codebooks.get()
        assert len([c for c in store.codings.list() if c.origin == run.id]) == promotion.suggestions
        assert topics.load_run(store).topic(run.topics[0].id).promoted_code == "T1"
        seg = next(c.segment_id for c in store.codings.list() if c.origin == run.id)
    with ReviewSession(project, "bob") as session:  # an analyst decided on the code: refused, said
        session.decide([(seg, "T1", Status.ACCEPTED)])
    with ReviewSession(project, "alice") as session:
        refused = session.undo()
    assert not refused.done and "1 décision(s) et 0 mémo(s) d'analystes (bob) portent déjà sur le code T1" in (
        refused.message) and "tzcld-qual undo" in refused.message and "--coder bob)" in refused.message
    with ReviewSession(project, "bob") as session:
        assert session.undo().done
    with ProjectStore(project) as store:  # the codebook changed since: refused, said
        topics.promote_topic(store, run.topics[1].id, analyst="bob")
    with ReviewSession(project, "alice") as session:
        refused = session.undo()
    assert not refused.done and "le codebook a changé depuis" in refused.message
    with ReviewSession(project, "bob") as session:
        assert session.undo().done
    with ReviewSession(project, "alice") as session:
        assert session.undo().done


def test_a_stored_codebook_with_a_key_given_twice_still_takes_a_theme(
    project: Path, embedder: HashingEmbedder, lemmatizer: CountingLemmatizer
) -> None:
    """Stored versions open as they were accepted (before keys given twice were refused): the
    promotion failed on the project's own codebook, « clé « definition » en double »."""
    run = _discover(project, embedder, lemmatizer)
    with ProjectStore(project) as store:
        content = store.codebooks.content(1) or ""
        twice = content.replace("  - id: F2\n", "  - id: F2\n    definition: Brouillon.\n", 1)
        assert twice != content
        store.codebooks.add(parse_codebook(twice, strict=False), twice, "ancien.yaml")
        promotion = topics.promote_topic(store, run.topics[0].id, parent="F1")
        assert store.codebooks.get().get(promotion.code.id) is not None


def test_a_rerun_theme_already_promoted_is_not_promoted_again(
    project: Path, embedder: HashingEmbedder, lemmatizer: CountingLemmatizer
) -> None:
    """A re-run finds the same themes under a new run id; promoting one again made F2.etat_2 with
    the same suggestions."""
    first = _discover(project, embedder, lemmatizer)
    with ProjectStore(project) as store:
        promoted = topics.promote_topic(store, first.topics[0].id, parent="F1")
    again = _discover(project, embedder, lemmatizer, refit=True)
    assert again.id == "topics@2"
    with ProjectStore(project) as store:
        same = next(t for t in again.topics if topics.earlier_promotion(store, again.id, t.id) is not None)
        found = topics.earlier_promotion(store, again.id, same.id)
        assert found is not None and found.code == promoted.code.id and found.run_id == first.id
        assert found.overlap >= topics.SAME_THEME
        with pytest.raises(ProjectError, match=f"déjà devenu le code {promoted.code.id}"):
            topics.promote_topic(store, same.id)
        assert store.codebooks.latest_version() == promoted.codebook_version  # nothing added
        others = [t for t in again.topics if topics.earlier_promotion(store, again.id, t.id) is None]
        assert others  # the other themes are still new


def test_answers_too_short_to_carry_a_theme_are_not_clustered(tmp_path: Path) -> None:
    """Backchannel ("Ouais ouais, je sais.", "Oui. Oui, vu comme ça. [rires]") made a theme of its
    own, labelled "thème 4", with no keyword, offered for promotion."""
    texts = ["Ouais ouais, je sais.", "Oui. Oui, vu comme ça. [rires]", "Le jardin potager donne bien."]
    small = build_project(tmp_path / "short.tzq", texts, documents=1)
    with ProjectStore(small) as store:
        assert [s.text for s in topics.scope_segments(store, Scope.ALL)] == ["Le jardin potager donne bien."]
        assert [s.text for s in topics.scope_segments(store, Scope.UNCODED)] == ["Le jardin potager donne bien."]
    assert topics.says_something("Oui ! [rires] Je tremblais. Mais je l'ai fait.")  # short, but it says something
    assert not topics.says_something("Hmm hmm. Effectivement, effectivement, effectivement.")  # one word, thrice


def test_speakers_names_are_not_keyphrases_but_roles_are_kept() -> None:
    """"Josiane" was a theme's keyword, and promotion copied it into the codebook's expressions."""
    from tzcld_qual.model import Document

    def document(*labels: str) -> Document:
        return Document(1, "d.txt", "", "", "", {}, 1, "txt", "", {label: "respondent" for label in labels})

    labels = ("Josiane", "Mme Rochas", "Salarié 2", "E", "Directrice EBE", "Bénévole 1", "Chef d'équipe", "CLE")
    assert topics.speaker_words([document(*labels)]) == {"josiane", "rochas"}


def test_a_removed_document_leaves_every_theme_and_comes_back_with_restore(
    project: Path, embedder: HashingEmbedder, lemmatizer: CountingLemmatizer
) -> None:
    """After ``tzcld-qual remove``, a saved run still quoted the document's segments and counted
    them in theme sizes, shares and the outliers."""
    from tzcld_qual.services import removal

    run = _discover(project, embedder, lemmatizer)
    quoted = next(q.document for t in run.topics for q in t.quotes)
    with ProjectStore(project) as store:
        doc = store.documents.find(quoted)
        assert doc is not None
        mine = {s.id for s in store.documents.segments(document_id=doc.id)}
        assigned = topics.topic_repo(store).assignments(run.id)
    in_run = mine & set(assigned)
    assert in_run
    removal.remove(project, [quoted], "alice")
    with ProjectStore(project) as store:
        after = topics.load_run(store, run.id)
        assert after.segments == run.segments - len(in_run) and after.removed == len(in_run)
        assert after.outliers == run.outliers - sum(1 for s in in_run if assigned[s][0] == OUTLIER)
        assert after.outliers + sum(t.size for t in after.topics) == after.segments
        for topic in after.topics:
            assert quoted not in {q.document for q in topic.quotes}
            assert all(sum(v.values()) == topic.size for v in topic.breakdown.values())
            assert not mine & {s.id for s, _ in topics.topic_segments(store, topic.id, run_id=run.id)}
        assert [r["segments"] for r in topics.list_runs(store)] == [after.segments]
        assert after.as_dict()["removed_segments"] == len(in_run)
    removal.restore(project, [quoted], "alice")
    with ProjectStore(project) as store:
        assert topics.load_run(store, run.id) == run  # the rows were kept: the run is whole again


def test_a_decision_or_two_keep_the_latest_run_and_its_numbers_until_the_scope_really_changes(
    project: Path, embedder: HashingEmbedder, lemmatizer: CountingLemmatizer
) -> None:
    params = TopicParams(scope=Scope.UNCODED, min_size=5, reduction="pca", n_components=3)
    first = _discover(project, embedder, lemmatizer, params)
    with ProjectStore(project) as store:
        respondent = sorted(s.id for s in store.documents.segments(role=Role.RESPONDENT))
        store.codings.decide(respondent[0], "F1", "alice", Status.ACCEPTED)
    again = _discover(project, embedder, lemmatizer, params)
    assert again.id == first.id and again.reused and (again.left, again.entered) == (1, 0)
    assert [t.keyphrases for t in again.topics] == [t.keyphrases for t in first.topics]
    assert again.as_dict()["scope_changes"] == {"left": 1, "entered": 0}
    other_size = _discover(project, embedder, lemmatizer, replace(params, min_size=6))  # other parameters
    assert other_size.id == "topics@2" and not other_size.reused
    refitted = _discover(project, embedder, lemmatizer, params, refit=True)
    assert refitted.id == "topics@3" and not refitted.reused and refitted.segments == 53
    with ProjectStore(project) as store:
        for segment in respondent[1:4]:  # 50 of 53 left: no longer nearly the same scope
            store.codings.decide(segment, "F2", "alice", Status.ACCEPTED)
    moved = _discover(project, embedder, lemmatizer, params)
    assert moved.id == "topics@4" and not moved.reused and moved.segments == 50


def _theme_of(text: str) -> str | None:
    from topics_corpus import THEMES

    return next((theme for theme, words in THEMES.items() if sum(w in text for w in words) >= 2), None)


def test_a_theme_is_covered_when_as_close_to_a_code_as_its_coded_segments_and_the_rule_says_so(
    project: Path, embedder: HashingEmbedder, lemmatizer: CountingLemmatizer
) -> None:
    unknown = _discover(project, embedder, lemmatizer)
    assert unknown.coverage is None and {unknown.verdict(t) for t in unknown.topics} == {"unknown"}
    assert "pas de verdict" in unknown.rules()[0]
    with ProjectStore(project) as store:
        for seg in store.documents.segments(role=Role.RESPONDENT):
            code = "F1" if _theme_of(seg.text) == "jardin" else "F2" if _theme_of(seg.text) == "permis" else None
            if code:
                store.codings.decide(seg.id, code, "alice", Status.ACCEPTED)
    run = _discover(project, embedder, lemmatizer, refit=True)
    assert run.coverage is not None and run.coverage["codes"] == 2 and run.coverage["code"] in ("F1", "F2")
    threshold = run.coverage["threshold"]
    assert threshold == min(run.coverage["own"].values()) > 0.3
    by_word = {_theme_of(t.quotes[0].text): t for t in run.topics}
    assert run.verdict(by_word["jardin"]) == "covered" and run.covered_by(by_word["jardin"]) == "F1"
    assert run.verdict(by_word["formation"]) == "uncovered" and run.covered_by(by_word["formation"]) is None
    assert run.verdict_label(by_word["jardin"]) == "couvert (F1)"
    assert run.verdict_text(by_word["formation"]).startswith("pas couvert par le codebook : le code le plus proche")
    assert f"soit {threshold:.2f}".replace(".", ",") in run.rules()[0] and "le plus faible de 2 codes" in run.rules()[0]
    data = run.as_dict()
    assert data["coverage"]["threshold"] == threshold and {t["verdict"] for t in data["topics"]} >= {"covered",
                                                                                                    "uncovered"}


def test_a_theme_of_thanks_at_the_end_of_the_interviews_is_a_phase_not_a_finding(
    tmp_path: Path, embedder: HashingEmbedder, lemmatizer: CountingLemmatizer
) -> None:
    from topics_corpus import themed_texts

    closing = [f"Merci beaucoup, au revoir, bonne journée, je file chercher {w} à l'école." for w in
               ("Léa", "Tom", "Inès", "Noé", "Jade", "Lou", "Zoé", "Paul", "Rose", "Hugo", "Lina", "Emma")]
    middle = [t for _, t in themed_texts()]
    texts = middle[:48] + closing  # build_project deals texts to 6 documents in turn: each ends on two
    project = build_project(tmp_path / "fin.tzq", texts)
    run = _discover(project, embedder, lemmatizer)
    thanks = [t for t in run.topics if any("Merci beaucoup" in q.text for q in t.quotes)]
    assert thanks and all(run.phase(t) == "clôture" and run.verdict(t) == "phase" for t in thanks)
    assert all(run.phase(t) is None for t in run.topics if t not in thanks)
    at = run.params["at_edges"][str(thanks[0].id)]
    assert at >= 2 / 3 * thanks[0].size
    assert run.verdict_text(thanks[0]).startswith(
        f"phase de l'entretien (clôture) : {at} de ses {thanks[0].size} segments sont parmi les deux premières ou "
        "deux dernières réponses de leur entretien (surtout les dernières)")
    assert "deux dernières" in run.rules()[1] and run.params["edge_share"] == round(24 / 60, 4)
