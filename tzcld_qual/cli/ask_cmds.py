"""``ask``: a question to the corpus, answered from the project's data only (counts, quotes…)."""

from __future__ import annotations

import argparse
from pathlib import Path

from tzcld_qual.cli.output import Console, table
from tzcld_qual.cli.parser import tr
from tzcld_qual.config import Config
from tzcld_qual.services import chat
from tzcld_qual.services.review import validate_coder


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ask",
        help=tr(
            "pose une question au corpus (en français ou en anglais)", "ask the corpus a question (French or English)"
        ),
        description=tr(
            "Pose une question sur le projet, en français ou en anglais : décomptes (segments, entretiens, "
            "répondants), citations textuelles avec leurs références, comparaisons selon les attributs, "
            "cooccurrences, recherche sémantique, raisons du codage d'un segment, thèmes émergents. Une "
            "question qui demande une modification (accepter des suggestions, coder un segment, réentraîner) "
            "dit seulement ce qu'elle ferait, sauf avec --yes. L'historique est gardé par projet : "
            "« et chez les élus ? » fait suite à la question précédente.",
            "Ask a question about the project in French or English: counts (segments, interviews, "
            "respondents), verbatim quotes with citations, comparisons across attributes, "
            "co-occurrences, semantic search, why a segment is coded, emergent themes. A question "
            "that asks for a change (accept suggestions, code a segment, retrain) only says what it "
            'would do unless --yes is given. The history is kept per project: "et chez les élus ?" '
            "follows on from the previous question.",
        ),
        epilog=tr(
            'exemples : tzcld-qual ask etude.tzq "Combien d\'entretiens évoquent la sécurité financière ?" ; '
            'tzcld-qual ask etude.tzq "5 citations sur F3.formation" --json ; '
            'tzcld-qual ask etude.tzq "accepte les suggestions F5 au-dessus de 0,9" --coder marie --yes',
            'examples: tzcld-qual ask etude.tzq "Combien d\'entretiens évoquent la sécurité financière ?" ; '
            'tzcld-qual ask etude.tzq "5 citations sur F3.formation" --json ; '
            'tzcld-qual ask etude.tzq "accepte les suggestions F5 au-dessus de 0,9" --coder marie --yes',
        ),
    )
    p.add_argument("project", type=Path)
    p.add_argument("question", help=tr("la question, entre guillemets", "the question, in quotes"))
    p.add_argument(
        "--json",
        action="store_true",
        help=tr("la réponse en un objet JSON sur stdout", "the answer as one JSON object on stdout"),
    )
    p.add_argument(
        "--yes",
        action="store_true",
        help=tr(
            "effectue la modification que propose la réponse (vaut confirmation)",
            "do the change the answer proposes (confirmed)",
        ),
    )
    p.add_argument(
        "--coder",
        help=tr(
            "qui prend les décisions (par défaut : la configuration ou TZCLD_CODER)",
            "who takes the decisions (default: config or TZCLD_CODER)",
        ),
    )
    p.set_defaults(handler=cmd_ask)


def cmd_ask(args: argparse.Namespace, console: Console, config: Config) -> int:
    coder = args.coder or config.coder
    if coder:  # « ensemble@5 », a blank or two-line name were stored as analysts
        coder = validate_coder(coder, Path(args.project))
    answer = chat.ask(args.project, args.question, coder=coder)
    action = answer.action
    if action is not None and action.needs_confirmation and args.yes:
        if not args.json:
            show(answer, console)
        done = chat.perform(args.project, action, coder=coder)
        if args.json:
            console.json(done)
        else:
            console.data(done.text)
        console.say(f'Suite : tzcld-qual ask {args.project} "aide"')
        return 0
    if args.json:
        console.json(answer)
    else:
        show(answer, console)
    if action is not None and action.needs_confirmation:
        who = "" if coder else " --coder NOM"
        console.say(f"Rien n'a été modifié. Pour le faire : relancez la même question avec --yes{who}.")
    elif action is not None:
        console.say(
            f"(action d'affichage « {action.kind} » : elle s'ouvre dans la revue, tzcld-qual review {args.project})"
        )
    else:
        console.say(f'Suite : une autre question, ou tzcld-qual ask {args.project} "aide"')
    return 0


def show(answer: chat.Answer, console: Console) -> None:
    """The answer's text (quotes are in it, with their citations), then its table."""
    console.data(answer.text)
    if answer.table:
        console.data()
        console.data(table([list(map(str, row)) for row in answer.table[1:]], list(map(str, answer.table[0]))))
