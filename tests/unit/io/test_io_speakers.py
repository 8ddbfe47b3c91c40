"""Speaker detection: every convention French transcripts use, and what must not be a speaker."""

from __future__ import annotations

import re

import pytest

from tzcld_qual.io.speakers import UNKNOWN_SPEAKER, infer_roles, split_turns
from tzcld_qual.model import Role


def speeches(text: str, **kwargs: object) -> list[tuple[str, str]]:
    turns, _ = split_turns(text, **kwargs)  # type: ignore[arg-type]
    return [(t.speaker, text[t.start : t.end]) for t in turns]


def dialogue(asker: str, answerer: str) -> str:
    """Two exchanges; ``asker``/``answerer`` are the printed prefixes (label, colon…)."""
    return f"{asker}Bonjour ?\n{answerer}Oui.\n{asker}Et ?\n{answerer}Non."


CONVENTIONS = {
    "enqueteur": (dialogue("Enquêteur : ", "Martine : "), "Enquêteur", "Martine"),
    "enquetrice": (dialogue("Enquêtrice : ", "Martine : "), "Enquêtrice", "Martine"),
    "inclusive": (dialogue("Intervieweur·euse : ", "Martine : "), "Intervieweur·euse", "Martine"),
    "no space": (dialogue("Intervieweuse: ", "Martine: "), "Intervieweuse", "Martine"),
    "Q/R": (dialogue("Q : ", "R : "), "Q", "R"),
    "E": (dialogue("E : ", "K. : "), "E", "K."),
    "I": (dialogue("I : ", "R : "), "I", "R"),
    "E1/P2": (dialogue("E1 : ", "P2 : "), "E1", "P2"),
    "first names": (dialogue("Sophie : ", "Martine : "), "Sophie", "Martine"),
    "initials": (dialogue("S.B. : ", "M.L. : "), "S.B.", "M.L."),
    "civility": (dialogue("M. Martin : ", "Mme D. : "), "M. Martin", "Mme D."),
    "nbsp": (dialogue("Enquêtrice\u00a0: ", "Martine\u202f: "), "Enquêtrice", "Martine"),
    "dash": (dialogue("Q – ", "R — "), "Q", "R"),
    "brackets": (dialogue("[00:12:31] Q : ", "[00:12:35] R : "), "Q", "R"),
    "parens": (dialogue("(00:12) Q : ", "(00:13) R : "), "Q", "R"),
    "bare time": (dialogue("00:12:31 Q : ", "00:12:35 R : "), "Q", "R"),
    "md bold in": (dialogue("**Enquêtrice :** ", "**Martine :** "), "Enquêtrice", "Martine"),
    "md bold out": (dialogue("**Enquêtrice** : ", "**Martine** : "), "Enquêtrice", "Martine"),
}


@pytest.mark.parametrize("text, asker, answerer", CONVENTIONS.values(), ids=CONVENTIONS.keys())
def test_speaker_conventions(text: str, asker: str, answerer: str) -> None:
    assert speeches(text) == [
        (asker, "Bonjour ?"),
        (answerer, "Oui."),
        (asker, "Et ?"),
        (answerer, "Non."),
    ]


@pytest.mark.parametrize("label", ["Enquêtrice", "Intervieweuse", "Q", "R", "E", "I", "P2"])
def test_known_labels_are_speakers_even_once(label: str) -> None:
    assert speeches(f"Sophie : Bonjour ?\nSophie : Et ?\n{label} : Oui.")[-1] == (label, "Oui.")


def test_a_name_said_once_is_not_a_speaker() -> None:
    text = "Q : Bonjour ?\nR : Oui.\nMartine : une seule fois."
    assert speeches(text) == [("Q", "Bonjour ?"), ("R", "Oui.\nMartine : une seule fois.")]


def test_sentences_with_a_colon_are_not_speakers_even_when_they_recur() -> None:
    text = (
        "Q : Et alors ?\n"
        "R : Je suis allée le voir.\nIl m'a dit : reviens demain.\nAlors voilà : j'y suis allée.\n"
        "Q : Et après ?\n"
        "R : Pareil.\nIl m'a dit : reviens demain.\nAlors voilà : encore.\n"
    )
    found = speeches(text)
    assert [speaker for speaker, _ in found] == ["Q", "R", "Q", "R"]
    assert found[1][1].endswith("Alors voilà : j'y suis allée.")


def test_urls_and_clock_times_are_not_labels() -> None:
    text = "Q : Le site ?\nR : Oui.\nhttps://exemple.fr\nÀ 10:30 on commence."
    assert speeches(text)[1] == ("R", "Oui.\nhttps://exemple.fr\nÀ 10:30 on commence.")


def test_lines_without_label_continue_the_turn_with_paragraph_breaks() -> None:
    text = "Q : Bonjour ?\nR : Première partie.\n\n  Deuxième partie.  \n\nQ : Merci."
    assert speeches(text) == [
        ("Q", "Bonjour ?"),
        ("R", "Première partie.\n\n  Deuxième partie."),
        ("Q", "Merci."),
    ]


def test_label_alone_on_its_line_takes_the_next_lines() -> None:
    text = "Enquêtrice :\nBonjour ?\nMartine :\n\nOui.\nMartine :\nNon."
    assert speeches(text) == [("Enquêtrice", "Bonjour ?"), ("Martine", "Oui."), ("Martine", "Non.")]


def test_same_label_in_another_case_is_the_same_speaker() -> None:
    text = "Q : Bonjour ?\nMartine : Oui.\nq : Et ?\nMARTINE : Non."
    assert [speaker for speaker, _ in speeches(text)] == ["Q", "Martine", "Q", "Martine"]


def test_no_speaker_gives_one_turn_and_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZCLD_LANG", "fr")
    text = "\n  Un texte libre, sans locuteur.\nIl m'a dit : rien.\n\n"
    turns, warnings = split_turns(text)
    assert [(t.speaker, text[t.start : t.end]) for t in turns] == [
        (UNKNOWN_SPEAKER, "Un texte libre, sans locuteur.\nIl m'a dit : rien.")
    ]
    assert len(warnings) == 1 and warnings[0].startswith("aucun locuteur détecté")


def test_blank_text_has_no_turn() -> None:
    assert split_turns(" \n\t\n") == ((), ())


def test_text_before_the_first_speaker_is_left_out_with_a_warning() -> None:
    text = "Entretien du 12 mai\n\nQ : Bonjour ?\nR : Oui."
    turns, warnings = split_turns(text)
    assert [text[t.start : t.end] for t in turns] == ["Bonjour ?", "Oui."]
    assert len(warnings) == 1 and "Entretien du 12 mai" in warnings[0]


def test_headings_end_the_turn_and_are_never_labels() -> None:
    text = "Q : Bonjour ?\nR : Oui.\nPartie 2 : le travail\nhors tour\nQ : Et ?\nR : Non."
    turns, warnings = split_turns(text, headings={2})
    assert [text[t.start : t.end] for t in turns] == ["Bonjour ?", "Oui.", "Et ?", "Non."]
    assert len(warnings) == 1 and "hors tour" in warnings[0]


def test_trusted_labels_skip_the_shape_and_recurrence_checks() -> None:
    text = "Q : Bonjour ?\nle maire de la commune nouvelle : Bienvenue."
    assert speeches(text) == [("Q", "Bonjour ?\nle maire de la commune nouvelle : Bienvenue.")]
    assert speeches(text, labels={"Le maire de la commune nouvelle"}) == [
        ("Q", "Bonjour ?"),
        ("le maire de la commune nouvelle", "Bienvenue."),
    ]


@pytest.mark.parametrize("text", [c[0] for c in CONVENTIONS.values()], ids=CONVENTIONS.keys())
def test_turn_offsets_cover_trimmed_speech_without_label(text: str) -> None:
    text = text.replace("Oui.", "  Oui.  \n ")
    turns, _ = split_turns(text)
    assert len(turns) == 4
    for turn in turns:
        speech = text[turn.start : turn.end]
        assert speech and speech == speech.strip()
        assert not re.match(rf"(\*\*)?{re.escape(turn.speaker)}\W*[:–—]", speech)
        assert not re.match(r"[\[(*:\d]", speech)


# --- roles ---------------------------------------------------------------------------------


def roles_of(text: str, known: frozenset[str] = frozenset()) -> dict[str, Role]:
    turns, _ = split_turns(text)
    return infer_roles(text, turns, known)


ASKS, ANSWERS = Role.INTERVIEWER, Role.RESPONDENT


def test_question_and_answer_labels() -> None:
    assert roles_of("Q : Bonjour ?\nR : Oui.") == {"Q": ASKS, "R": ANSWERS}
    assert roles_of("E1 : Bonjour ?\nP2 : Oui.") == {"E1": ASKS, "P2": ANSWERS}
    text = dialogue("Enquêteur 2 : ", "Martine : ")
    assert roles_of(text) == {"Enquêteur 2": ASKS, "Martine": ANSWERS}


def test_two_names_the_one_asking_questions_interviews_whatever_the_order() -> None:
    text = (
        "Martine : Bonjour, je suis contente d'être là, j'ai beaucoup de choses à dire.\n"
        "Sophie : Vous travaillez où ?\n"
        "Martine : À la ressourcerie, depuis deux ans, avec l'équipe du matin.\n"
        "Sophie : Et avant ?\n"
    )
    assert roles_of(text) == {"Martine": ANSWERS, "Sophie": ASKS}


def test_an_interviewer_label_wins_over_a_respondent_who_asks_questions() -> None:
    text = (
        "Enquêtrice : Alors, votre parcours, racontez-moi depuis le début de votre arrivée.\n"
        "Martine : Vous voulez dire quand ?\n"
        "Enquêtrice : Quand vous voulez, là où ça commence pour vous, vraiment.\n"
        "Martine : Depuis l'usine ?\n"
    )
    assert roles_of(text) == {"Enquêtrice": ASKS, "Martine": ANSWERS}


def test_front_matter_interviewers_decide() -> None:
    text = "Sophie : Oui.\nMartine : Vous travaillez où ?\nSophie : Ici.\nMartine : Bien ?"
    assert roles_of(text, frozenset({"sophie"})) == {"Sophie": ASKS, "Martine": ANSWERS}


def test_a_single_speaker_is_the_respondent() -> None:
    assert roles_of("Enquêtrice : Bonjour ?\nEnquêtrice : Encore ?") == {"Enquêtrice": ANSWERS}


def test_known_labels_alone_decide_when_every_speaker_has_one() -> None:
    assert roles_of("R : Oui.\nP2 : Non.") == {"R": ANSWERS, "P2": ANSWERS}


def test_group_interview_one_interviewer_two_respondents() -> None:
    text = (
        "E1 : Vous êtes là depuis quand ?\n"
        "Karim : Deux ans, depuis l'ouverture de l'atelier.\n"
        "Josiane : Moi un an, au maraîchage avec l'équipe.\n"
        "E1 : Et ça vous plaît ?\n"
        "Karim : Oui, beaucoup, on a des collègues maintenant.\n"
        "Josiane : Oui, ça change tout pour moi.\n"
    )
    assert roles_of(text) == {"E1": ASKS, "Karim": ANSWERS, "Josiane": ANSWERS}


def test_two_look_alike_speakers_still_give_exactly_one_interviewer() -> None:
    roles = roles_of("Paul : Oui.\nMarc : Oui.\nPaul : Non.\nMarc : Non.")
    assert sorted(roles.values()) == [ASKS, ANSWERS]


def test_a_speaker_who_speaks_once_is_said_not_silently_merged() -> None:
    """« Secrétaire : Monsieur le maire vous attend. » ended up in the previous speaker's turn."""
    text = (
        "Enquêtrice : Bonjour, vous travaillez où ?\n\nMartine : À la ressourcerie, depuis deux ans.\n\n"
        "Secrétaire : Monsieur le maire vous attend.\n\nEnquêtrice : Et avant ?\n\nMartine : Rien.\n"
    )
    turns, warnings = split_turns(text)
    assert [t.speaker for t in turns] == ["Enquêtrice", "Martine", "Enquêtrice", "Martine"]
    assert warnings == (
        "ligne 5 : « Secrétaire : » ressemble à un locuteur qui ne parle qu'une fois ; sa phrase reste dans le "
        "tour de Martine. Si c'est un locuteur, mettez son étiquette en gras (Word) ou relisez ce passage",
    )
    _turns, quiet = split_turns(text.replace("Secrétaire : Monsieur", "Il me dit : monsieur"))
    assert quiet == ()  # a sentence, not a name


def test_a_name_that_answers_the_interviewer_once_is_a_speaker() -> None:
    """A one-exchange testimony (« Enquêtrice : … » then « Sylvie : … ») was one interviewer's
    turn: the answer was read as the question's next line, and nothing was coded."""
    turns, warnings = split_turns("Enquêtrice : Vous venez d'où ?\n\nSylvie : De Cholet.\n")
    assert [(t.speaker, t.start) for t in turns] == [("Enquêtrice", 13), ("Sylvie", 41)]
    assert warnings == ()
    # after an answer, a name said once is still read as speech, and said
    turns, warnings = split_turns("Q : Et ?\nR : Oui.\nSylvie : une fois.\n")
    assert [t.speaker for t in turns] == ["Q", "R"] and warnings


def test_a_first_name_that_speaks_once_is_said_too() -> None:
    """« Karim : Je peux dire un mot ? » said once in a group interview vanished into Martine's turn."""
    text = (
        "Enquêtrice : Vous travaillez où ?\n\nMartine : À la ressourcerie.\n\n"
        "Karim : Moi aussi, depuis un an.\n\nEnquêtrice : Et avant ?\n\nMartine : Rien.\n"
    )
    _turns, warnings = split_turns(text)
    assert len(warnings) == 1 and warnings[0].startswith("ligne 5 : « Karim : » ressemble à un locuteur")
    _turns, quiet = split_turns(text.replace("Karim : Moi", "Rose : moi"))  # "rose" is also a colour
    assert quiet == ()
