"""Speaker turns in a plain-text transcript, and who is the interviewer.

French transcripts mark speakers at the start of a line in many ways: ``Enquêtrice :``,
``Q :``/``R :``, ``E1 :``, ``Mme D. :``, ``**Martine** :``, ``[00:12:31] Martine :``, ``Q – …``.
A label is trusted only when it is short and either recurs or is a label transcribers use for
interviewers and respondents, so that "Il m'a dit : …" at the start of a line of an answer does
not open a turn.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable

from tzcld_qual.errors import Text
from tzcld_qual.io.keys import fold
from tzcld_qual.model import Role, Turn
from tzcld_qual.privacy.firstnames import AMBIGUOUS, FIRST_NAMES

UNKNOWN_SPEAKER = "Répondant·e"
NO_SPEAKER = Text(
    fr="aucun locuteur détecté : tout le texte est attribué à « {speaker} » "
    "(écrivez « Nom : » au début de chaque tour de parole pour les distinguer)",
    en="no speaker detected: the whole text is attributed to '{speaker}' "
    "(start each turn with 'Name:' at the beginning of a line to tell speakers apart)",
)
SPOKE_ONCE = Text(
    fr="ligne {line} : « {label} : » ressemble à un locuteur qui ne parle qu'une fois ; sa phrase reste dans le "
    "tour de {previous}. Si c'est un locuteur, mettez son étiquette en gras (Word) ou relisez ce passage",
    en="line {line}: « {label}: » looks like a speaker who speaks once; their words stay in {previous}'s turn. "
    "If it is a speaker, make the label bold (Word) or check this passage",
)
UNATTRIBUTED = Text(
    fr="texte hors de tout tour de parole, ignoré pour le codage : « {excerpt} »",
    en="text outside any speaker turn, left out of coding: '{excerpt}'",
)

_H = r"[^\S\n]"  # horizontal whitespace, non-breaking spaces included
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_TIMESTAMP = rf"(?:\[{_TIME}\]|\({_TIME}\)|\d{{1,2}}:\d{{2}}:\d{{2}}(?:[.,]\d{{1,3}})?)"
_LABEL_LINE = re.compile(
    rf"{_H}*(?:{_TIMESTAMP}{_H}*)?"
    r"(?P<open>\*\*)?"
    r"(?P<label>[^\W\d_][^:\n*]{0,79}?)"
    rf"{_H}*(?(open)(?P<close>\*\*)?){_H}*"
    rf"(?::(?![/\d])|[–—](?={_H}))"  # not "http://", not "10:30"; "Q – …" dash style
    rf"(?(open)(?(close)|{_H}*(?:\*\*)?))"
)
_MAX_TOKENS = 4
_MAX_LENGTH = 40
_SENTENCE_MARKS = frozenset('?!;«»"“”…')
_STOPWORDS = frozenset(
    """je j tu il elle on nous vous ils elles me m te t se s lui leur y ce c ça cela ceci qu
    que qui quoi dont est sont était étaient a ai as avait avaient dit disait dis fait
    faisait faut voilà voici alors donc mais oui non bon ben bah euh hein enfin puis
    ensuite après parce car comme quand si pourquoi comment ne n pas plus moi toi mon ma
    mes ton ta tes son sa ses notre nos votre vos aussi bref genre""".split()
)
_INTERVIEWER_LABELS = frozenset(
    """enqueteur enquetrice enqueteuse enqueteur·rice enqueteur·trice enqueteur·ice
    enqueteurice intervieweur intervieweuse intervieweur·euse intervieweur·se interviewer
    chercheur chercheuse chercheur·euse chercheur·se animateur animatrice animateur·rice
    animateur·trice moderateur moderatrice moderateur·rice question q i e int enq""".split()
)
_RESPONDENT_LABELS = frozenset(
    """r reponse p participant participante participant·e repondant repondante repondant·e
    enquete enquetee enquete·e interviewe interviewee interviewe·e salarie salariee
    salarie·e temoin""".split()
)
_INTERVIEWER_THRESHOLD = 0.25
_CLOSING_MARKS = "»\"”)]' \u00a0\u202f"


def label_candidate(text: str, start: int = 0, end: int | None = None) -> tuple[str, int] | None:
    """``(label, speech start)`` if ``text[start:end]`` (one line) begins like ``Label : …``.

    Only the shape is checked here; :func:`accepted_labels` decides which candidates are
    speakers, since that needs the whole document.
    """
    match = _LABEL_LINE.match(text, start, len(text) if end is None else end)
    if match is None:
        return None
    return " ".join(match["label"].split()), match.end()


def accepted_labels(candidates: Iterable[str], forced: Iterable[str] = ()) -> frozenset[str]:
    """The candidates (casefolded) that name speakers.

    A candidate is a speaker when it is ``forced`` (a bold label in Word, an interviewer listed
    in the front matter), a known interviewer/respondent label, or when it looks like a name
    (at most four words, capitalised, no sentence words such as "il", "dit", "alors") and
    starts at least two lines.
    """
    counts: Counter[str] = Counter()
    printed: dict[str, str] = {}
    for label in candidates:
        counts[label.casefold()] += 1
        printed.setdefault(label.casefold(), label)
    forced_keys = {" ".join(label.split()).casefold() for label in forced}
    return frozenset(
        key
        for key, count in counts.items()
        if key in forced_keys or is_known_label(key) or (count >= 2 and _plausible(printed[key]))
    )


def split_turns(
    text: str,
    *,
    labels: Collection[str] = frozenset(),
    headings: Collection[int] = frozenset(),
    first_line: int = 1,
) -> tuple[tuple[Turn, ...], tuple[str, ...]]:
    """Split ``text`` into speaker turns; return them and the warnings to show.

    ``labels`` are trusted speaker labels (see :func:`accepted_labels`); ``headings`` are
    0-based line numbers that are titles, never speech: they end the current turn. Lines
    without a label continue the current turn. Each turn covers the speech only, trimmed.
    ``first_line`` is the file's line number of the text's first line (after a front matter).
    """
    headings = frozenset(headings)
    lines = _line_spans(text)
    found = [
        None if index in headings else label_candidate(text, start, end) for index, (start, end) in enumerate(lines)
    ]
    speakers = accepted_labels((c[0] for c in found if c), labels)
    if not speakers:
        return _single_turn(text)
    speakers |= _answers_once(found, speakers)
    names: dict[str, str] = {}  # casefolded label -> first printed form
    spans: list[tuple[str, int, int]] = []
    orphans: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(lines):
        candidate = found[index]
        if index in headings:
            spans.append(("", start, start))  # a barrier: the next lines belong to no one
        elif candidate and candidate[0].casefold() in speakers:
            label = names.setdefault(candidate[0].casefold(), candidate[0])
            spans.append((label, candidate[1], end))
        elif spans and spans[-1][0]:
            label, speech_start, _ = spans[-1]
            spans[-1] = (label, speech_start, end)
        elif text[start:end].strip():
            orphans.append((start, end))
    turns = tuple(Turn(label, *_trim(text, start, end)) for label, start, end in spans if label)
    turns = tuple(turn for turn in turns if turn.end > turn.start)
    warnings: tuple[str, ...] = tuple(_spoke_once(found, speakers, first_line))
    if orphans:
        excerpt = " ".join(text[orphans[0][0] : orphans[0][1]].split())
        excerpt = excerpt if len(excerpt) <= 60 else excerpt[:59] + "…"
        warnings += (UNATTRIBUTED.render(excerpt=excerpt),)
    return turns, warnings


def _answers_once(found: list[tuple[str, int] | None], speakers: frozenset[str]) -> frozenset[str]:
    """Persons' names that speak once, right after an interviewer's turn: the answer to the
    question, not a line of it. A short testimony holds one exchange (« Enquêtrice : … » then
    « Sylvie : … »); read as the interviewer's turn, its answer was never coded."""
    counts = Counter(c[0].casefold() for c in found if c)
    out: set[str] = set()
    current = ""
    for candidate in found:
        if candidate is None:
            continue
        key = candidate[0].casefold()
        if key in speakers:
            current = key
        elif (
            current
            and _role_key(current) in _INTERVIEWER_LABELS
            and counts[key] == 1
            and _names_a_person(candidate[0])
        ):
            out.add(key)
            current = key
    return frozenset(out)


def _spoke_once(found: list[tuple[str, int] | None], speakers: frozenset[str], first_line: int) -> list[str]:
    """A label that starts one line only is read as speech (« Résultat : », « Il dit : »); when
    it names a person (a title, a role such as « Secrétaire », a known label), say so: a real
    one-off speaker otherwise disappears into the turn before."""
    counts = Counter(c[0].casefold() for c in found if c)
    out, current = [], ""
    for index, candidate in enumerate(found):
        if candidate and candidate[0].casefold() in speakers:
            current = candidate[0]
        elif candidate and current and counts[candidate[0].casefold()] == 1 and _names_a_person(candidate[0]):
            out.append(SPOKE_ONCE.render(line=first_line + index, label=candidate[0], previous=current))
    return out[:3]


def _names_a_person(label: str) -> bool:
    words = [w.strip(".").casefold() for w in label.split()]
    return (
        bool(words)
        and _plausible(label)
        and (words[0] in _TITLES or words[0] in _PERSON_NOUNS or is_known_label(label) or _first_name(words[0]))
    )


def _first_name(word: str) -> bool:
    """« Karim : » — a first name that is not also an everyday word (« Rose », « Pierre »)."""
    folded = fold(word)
    return folded in FIRST_NAMES and folded not in AMBIGUOUS


_TITLES = frozenset("m mme mmes mlle mr dr madame monsieur docteur maître me".split())
_PERSON_NOUNS = frozenset(
    "secrétaire maire élu élue adjoint adjointe directeur directrice président présidente voisin voisine collègue "
    "conseiller conseillère animateur animatrice chef responsable bénévole stagiaire salarié salariée mari femme "
    "fille fils mère père enfant intervenant intervenante agent agente interprète".split()
)


def names_a_speaker(label: str, *, recurs: bool) -> bool:
    """Whether a label standing alone (the first cell of a table row) names a speaker.

    It must have the shape of a label and look like a name (or be a known label such as « Q »,
    « Enquêtrice »); then either it ``recurs`` or it plainly names a person (« Mme Leroy »,
    « Karim », « Secrétaire »), so that a cover sheet's « Date », « Lieu » are not speakers.
    """
    found = label_candidate(f"{label} : …")
    if found is None or found[0] != " ".join(label.split()):
        return False
    if not (_plausible(label) or is_known_label(label)):
        return False
    return recurs or is_known_label(label) or _names_a_person(label)


def is_known_label(label: str) -> bool:
    """Whether transcribers use ``label`` for an interviewer or a respondent (Q, R, E1, P2…)."""
    key = _role_key(label)
    return key in _INTERVIEWER_LABELS or key in _RESPONDENT_LABELS


def infer_roles(text: str, turns: Iterable[Turn], known_interviewers: Collection[str] = frozenset()) -> dict[str, Role]:
    """Who interviews and who answers, from the labels and from how each speaker talks.

    The rule, in order:

    1. Labels in ``known_interviewers`` (front matter) are interviewers; when any speaker is
       one, every other speaker is a respondent.
    2. A single speaker is the respondent.
    3. Otherwise each speaker gets a score: +2 for an interviewer label (Enquêtrice, Q, I, E,
       E1, Chercheur, Animatrice…), −2 for a respondent label (R, P2, Répondant·e,
       Enquêté·e…), plus the share of its turns that end with "?", minus half its mean turn
       length relative to the longest mean. A score above 0.25 means interviewer.
    4. Unless every speaker has a known label (labels then decide alone), there is at least one
       interviewer and one respondent: if nobody scored as interviewer, the highest score is
       one; if everybody did, the lowest score is the respondent. With two speakers, exactly
       one is interviewer.
    """
    turns = tuple(turns)
    speakers = list(dict.fromkeys(turn.speaker for turn in turns))
    if not speakers:
        return {}
    explicit = {" ".join(label.split()).casefold() for label in known_interviewers}
    if any(speaker.casefold() in explicit for speaker in speakers):
        return {s: Role.INTERVIEWER if s.casefold() in explicit else Role.RESPONDENT for s in speakers}
    if len(speakers) == 1:
        return {speakers[0]: Role.RESPONDENT}
    scores = _scores(text, turns, speakers)
    roles = {s: Role.INTERVIEWER if scores[s] > _INTERVIEWER_THRESHOLD else Role.RESPONDENT for s in speakers}
    if all(_label_prior(s) for s in speakers):
        return roles
    if Role.INTERVIEWER not in roles.values():
        roles[max(speakers, key=scores.__getitem__)] = Role.INTERVIEWER
    elif Role.RESPONDENT not in roles.values():
        roles[min(speakers, key=scores.__getitem__)] = Role.RESPONDENT
    return roles


def _scores(text: str, turns: tuple[Turn, ...], speakers: list[str]) -> dict[str, float]:
    questions: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for turn in turns:
        speech = text[turn.start : turn.end]
        counts[turn.speaker] += 1
        words[turn.speaker] += len(speech.split())
        questions[turn.speaker] += speech.rstrip(_CLOSING_MARKS).endswith("?")
    mean = {s: words[s] / counts[s] for s in speakers}
    longest = max(mean.values()) or 1.0
    return {s: 2 * _label_prior(s) + questions[s] / counts[s] - 0.5 * mean[s] / longest for s in speakers}


def interviewer_label(label: str) -> bool:
    """Whether a speaker label is one interviewers go by (Enquêtrice, Q, Chercheur…)."""
    return _label_prior(label) > 0


def _label_prior(label: str) -> int:
    key = _role_key(label)
    return 1 if key in _INTERVIEWER_LABELS else -1 if key in _RESPONDENT_LABELS else 0


def _role_key(label: str) -> str:
    """``Enquêteur.rice 2`` → ``enqueteur·rice``; ``E1`` → ``e``; ``P2`` → ``p``."""
    key = re.sub(r"[.\-•/()]+", "·", fold(label)).strip("·")
    key = re.sub(r"[\s·]*\d+$", "", key)
    return " ".join(key.split())


def _plausible(label: str) -> bool:
    """Whether a label looks like a name rather than the start of a sentence."""
    tokens = label.split()
    if not 1 <= len(tokens) <= _MAX_TOKENS or len(label) > _MAX_LENGTH:
        return False
    if not label[0].isupper() or any(ch in _SENTENCE_MARKS for ch in label):
        return False
    words = (
        word.strip(".,()")
        for token in tokens
        if not token.isupper()  # initials and acronyms: "J.", "CLE"
        for word in re.split(r"['’]", token.casefold())
    )
    return not any(word in _STOPWORDS for word in words if word)


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _single_turn(text: str) -> tuple[tuple[Turn, ...], tuple[str, ...]]:
    start, end = _trim(text, 0, len(text))
    if start == end:
        return (), ()
    return (Turn(UNKNOWN_SPEAKER, start, end),), (NO_SPEAKER.render(speaker=UNKNOWN_SPEAKER),)
