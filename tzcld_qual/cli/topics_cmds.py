"""``topics``: emergent themes (BERTopic) and their promotion to codes.

Two shapes under one command, so ``tzcld-qual topics PROJECT`` stays short:
``tzcld-qual topics PROJECT [--scope …] [--min-size N] [--refit] [--run RUN] [--json]`` and
``tzcld-qual topics promote PROJECT TOPIC_ID [--parent F4] [--id ID] [--label …] [--run RUN] [--coder NAME]
[--json]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tzcld_qual.cli.output import Console
from tzcld_qual.cli.parser import tr
from tzcld_qual.config import Config
from tzcld_qual.embed import SentenceTransformerEmbedder
from tzcld_qual.errors import Text, UsageError
from tzcld_qual.model import Codebook
from tzcld_qual.services import projects, topics
from tzcld_qual.services.review import validate_coder
from tzcld_qual.topics.representation import FrenchLemmatizer, Lemmatizer
from tzcld_qual.topics.result import (
    BREAKDOWN_ATTRIBUTES,
    MIN_TOPIC_SIZE,
    Promotion,
    Scope,
    TopicParams,
    TopicRun,
    clip,
)


def _usage() -> str:
    """Both forms of the command, with placeholders in the user's language."""
    return tr(
        "tzcld-qual topics PROJET [--scope {all,uncoded,low-confidence}] [--min-size N] [--refit] [--run ANALYSE] "
        "[--json]\n       tzcld-qual topics promote PROJET ID_THÈME [--parent CODE] [--id ID] [--label TEXTE] "
        "[--run ANALYSE] [--coder NOM] [--json]",
        "tzcld-qual topics PROJECT [--scope {all,uncoded,low-confidence}] [--min-size N] [--refit] [--run RUN] "
        "[--json]\n       tzcld-qual topics promote PROJECT TOPIC_ID [--parent CODE] [--id ID] [--label TEXT] "
        "[--run RUN] [--coder NAME] [--json]",
    )
ATTRIBUTE_NAMES = {"role": "rôle", "territory": "territoire", "round": "vague"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "topics", help=tr("thèmes émergents (BERTopic) et leur promotion en codes",
                          "emergent themes (BERTopic) and their promotion to codes"), usage=_usage(),
        description=tr("Cherche parmi les segments de répondants les thèmes que le codebook ne couvre pas "
                       "(BERTopic sur les plongements en cache, mots-clés en français, citations, code existant "
                       "le plus proche) et les enregistre dans le projet ; ou promeut un thème en nouveau code, "
                       "dans une nouvelle version du codebook propre au projet.",
                       "Find themes the codebook misses among respondent segments (BERTopic over the cached "
                       "embeddings, French keyphrases, quotes, nearest existing code), saved in the project; "
                       "or promote one theme to a new code in a new project-local codebook version."),
        epilog=tr("exemples :\n  tzcld-qual topics etude.tzq\n"
                  "  tzcld-qual topics etude.tzq --scope all --min-size 10 --json\n"
                  "  tzcld-qual topics promote etude.tzq 3 --parent F4 --label \"Mobilité et permis\"",
                  "examples:\n  tzcld-qual topics etude.tzq\n"
                  "  tzcld-qual topics etude.tzq --scope all --min-size 10 --json\n"
                  "  tzcld-qual topics promote etude.tzq 3 --parent F4 --label \"Mobilité et permis\""),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("words", nargs="+", metavar="PROJECT | promote PROJECT TOPIC_ID")
    p.add_argument("--scope", choices=[s.value for s in Scope],  # None: low-confidence (given? see _discover)
                   help=tr("segments à regrouper : tous les segments de répondants, ceux sans code appliqué, "
                           "ou (par défaut) ceux qui n'ont pas non plus de suggestion sûre du modèle courant",
                           "segments to cluster: all respondent segments, those with no applied code, or "
                           "(default) those also without a confident suggestion of the current model"))
    p.add_argument("--min-size", type=int, metavar="N",
                   help=tr(f"plus petit thème, en segments (par défaut : {MIN_TOPIC_SIZE}, ou un segment sur 35 "
                           "sur les corpus plus grands)",
                           f"smallest theme, in segments (default: {MIN_TOPIC_SIZE}, or one in 35 segments on "
                           "larger corpora)"))
    p.add_argument("--refit", action="store_true",
                   help=tr("recalcule même si un calcul identique est enregistré",
                           "recompute even if an identical run is stored"))
    p.add_argument("--run", metavar="RUN", help=tr("un calcul enregistré (topics@N) : l'affiche, ou promeut "
                                                   "depuis lui (par défaut : un nouveau calcul / le dernier)",
                                                   "a stored run (topics@N): show it, or promote from it "
                                                   "(default: compute / the latest run)"))
    p.add_argument("--parent", metavar="CODE",
                   help=tr("promote : en fait un sous-code de ce code de premier niveau",
                           "promote: make a sub-code of this top-level code"))
    p.add_argument("--id", dest="code_id", metavar="ID",
                   help=tr("promote : identifiant du nouveau code (par défaut : T<n>, le premier libre, ou avec "
                           "--parent PARENT.<--label, sinon le premier mot-clé>) ; jamais un identifiant déjà "
                           "utilisé dans le projet",
                           "promote: id of the new code (default: T<n>, the first free one, or with --parent "
                           "PARENT.<--label, else the first keyphrase>); never an id the project already used"))
    p.add_argument("--label", help=tr("promote : libellé du nouveau code, 80 caractères au plus, qu'aucun code "
                                      "n'a déjà (par défaut : ses mots-clés)",
                                      "promote: label of the new code, 80 characters at most, no code's already "
                                      "(default: its keyphrases)"))
    p.add_argument("--coder", help=tr("promote : qui fait du thème un code, au journal et pour « undo » (par défaut : "
                                      "la configuration ou TZCLD_CODER, sinon tzcld-qual)",
                                      "promote: who makes the theme a code, in the log and for « undo » (default: "
                                      "config or TZCLD_CODER, else tzcld-qual)"))
    p.add_argument("--json", action="store_true", help=tr("un objet JSON sur stdout", "one JSON object on stdout"))
    p.set_defaults(handler=cmd_topics)


def cmd_topics(args: argparse.Namespace, console: Console, config: Config) -> int:
    words = args.words
    if words[0] == "promote" and len(words) > 1:
        if len(words) != 3:
            raise UsageError(Text("usage : tzcld-qual topics promote PROJET THÈME [--parent CODE]",
                                  "usage: tzcld-qual topics promote PROJECT TOPIC_ID [--parent CODE]"), None)
        return _promote(args, Path(words[1]), _topic_id(words[2]), console, config)
    if len(words) != 1:
        raise UsageError(Text("arguments en trop : {extra}.", "unexpected arguments: {extra}."),
                         Text("Usage : {usage}", "Usage: {usage}"), extra=" ".join(words[1:]), usage=_usage())
    promote_only = [option for option, name in (("--parent", "parent"), ("--id", "code_id"), ("--label", "label"),
                                                 ("--coder", "coder"))
                    if getattr(args, name)]
    if promote_only:
        raise UsageError(Text("{opts} ne sert qu'avec « topics promote ».",
                              "{opts} only applies to « topics promote »."), None, opts=", ".join(promote_only))
    return _discover(args, Path(words[0]), console, config)


def make_embedder(config: Config) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(config.embedder.model, threads=config.embedder.threads,
                                       batch_size=config.embedder.batch_size)


def make_lemmatizer(config: Config) -> Lemmatizer:
    return FrenchLemmatizer()


def _discover(args: argparse.Namespace, project: Path, console: Console, config: Config) -> int:
    if args.run is not None and not args.run.strip():  # was silently the latest run
        raise UsageError(Text("--run est vide.", "--run is empty."),
                         Text("Exemple : --run topics@2", "Example: --run topics@2"))
    if args.min_size is not None and args.min_size < 2:
        raise UsageError(Text("--min-size doit valoir au moins 2.", "--min-size must be at least 2."), None)
    fitting = [option for option, given in (("--scope", args.scope is not None),
                                            ("--min-size", args.min_size is not None), ("--refit", args.refit))
               if given]
    if args.run and fitting:  # were silently ignored, and the summary said the run was saved
        raise UsageError(
            Text("{opts} ne {vaut} que pour un nouveau calcul : --run {run} affiche un calcul enregistré, tel "
                 "qu'il a été fait.",
                 "{opts} only {applies} to a new run: --run {run} shows a stored run, as it was computed."),
            Text("Omettez --run pour calculer avec {opts}, ou omettez {opts} pour afficher {run}.",
                 "Leave out --run to compute with {opts}, or leave out {opts} to show {run}."),
            opts=", ".join(fitting), run=args.run, vaut="vaut" if len(fitting) == 1 else "valent",
            applies="applies" if len(fitting) == 1 else "apply")
    with projects.open_project(project) as store:
        if args.run:
            run = topics.load_run(store, args.run)
        else:
            params = TopicParams(scope=Scope(args.scope or Scope.LOW_CONFIDENCE.value), min_size=args.min_size)
            run = topics.discover_topics(store, make_embedder(config), make_lemmatizer(config), params,
                                         refit=args.refit, progress=console.say)
        codebook = store.codebooks.get()
        earlier = {t.id: topics.earlier_promotion(store, run.id, t.id, codebook) for t in run.topics}
        continued = {} if run.reused else topics.continued_themes(store, run)
    if args.json:
        data = _run_data(run, earlier)
        for topic in data["topics"]:
            same = continued.get(topic["id"])
            topic["continues"] = None if same is None else {"run": same.run_id, "topic": same.topic,
                                                             "shared": round(same.overlap, 4)}
        console.json(data)
    else:
        _print_run(console, run, earlier, continued)
    hint = next_step(project, run, earlier, codebook)
    if args.run:
        where = f"calcul {run.id} du {_when(run)}, affiché tel qu'il a été fait"
    elif run.reused and run.scope_changed:
        where = (f"repris de {run.id} (calculé le {_when(run)}) sans recalcul : périmètre presque inchangé, "
                 f"{_n(run.left, 'segment sorti', 'segments sortis')}, {_n(run.entered, 'entré', 'entrés')} "
                 "(--refit pour recalculer)")
    elif run.reused:
        where = f"repris de {run.id} (calculé le {_when(run)}), sans recalcul"
    else:
        where = f"enregistré sous {run.id}"
    console.say(f"{len(run.topics)} thèmes sur {run.segments} segments (périmètre {run.scope.value}), "
                f"{run.outliers} hors thème ; {where}. Suite : {hint}")
    return 0


def next_step(
    project: Path, run: TopicRun, earlier: dict[int, topics.EarlierPromotion | None], codebook: Codebook | None
) -> str:
    """The command the summary line suggests after a run."""
    fresh = [t for t in run.topics if not t.promoted_code and earlier.get(t.id) is None]
    uncovered = [t for t in fresh if run.verdict(t) == "uncovered"]  # the largest first
    unknown = [t for t in fresh if run.verdict(t) == "unknown"]
    if uncovered:
        hint = f"tzcld-qual topics promote {project} {uncovered[0].id}"  # a new code, under no code it is far from
    elif unknown:
        first = unknown[0]
        parent = f" --parent {_top_of(first.nearest_code, codebook)}" if first.nearest_code else ""
        hint = f"tzcld-qual topics promote {project} {first.id}{parent}"
    elif fresh:
        hint = (f"tzcld-qual review {project} (les thèmes restants sont couverts par le codebook ou des phases "
                "de l'entretien)")
    elif run.topics:
        hint = f"tzcld-qual review {project} (chaque thème est déjà un code)"
    else:
        scope = "" if run.scope is Scope.LOW_CONFIDENCE else f" --scope {run.scope.value}"  # was dropped
        hint = f"tzcld-qual topics {project}{scope} --min-size {max(2, int(run.params.get('min_size') or 8) // 2)}"
    return hint


def _run_data(run: TopicRun, earlier: dict[int, topics.EarlierPromotion | None]) -> dict[str, Any]:
    """``run.as_dict()`` with, per topic, ``already_code``: the code an earlier run's theme holding
    mostly the same segments became (what the text shows as « déjà le code … »), else ``null``."""
    data = run.as_dict()
    for topic in data["topics"]:
        same = earlier.get(topic["id"])
        topic["already_code"] = None if same is None or topic["promoted_code"] else {
            "code": same.code, "shared": round(same.overlap, 4), "run": same.run_id, "topic": same.topic}
    return data


def _top_of(code_id: str, codebook: Codebook | None) -> str:
    """The top-level code ``promote --parent`` accepts: through the codebook, since a sub-code's id
    need not start with its parent's (``fierte`` under ``MOI``)."""
    return codebook.roll_up(code_id) if codebook else code_id.split(".", 1)[0]


def _promote(args: argparse.Namespace, project: Path, topic_id: int, console: Console, config: Config) -> int:
    given = (("--label", args.label), ("--id", args.code_id), ("--parent", args.parent), ("--run", args.run),
             ("--coder", args.coder))
    for option, value in given:
        if value is not None and not value.strip():  # was silently the default
            raise UsageError(
                Text("{option} est vide.", "{option} is empty."),
                Text("Donnez une valeur, ou omettez l'option.", "Give a value, or leave the option out."),
                option=option,
            )
    coder = args.coder or config.coder
    if coder:  # « ensemble@5 », a blank or two-line name were stored as analysts
        coder = validate_coder(coder, project)
    with projects.open_project(project) as store:
        promotion = topics.promote_topic(store, topic_id, run_id=args.run, parent=args.parent,
                                         code_id=args.code_id, label=args.label, analyst=coder)
    if args.json:
        console.json(promotion.as_dict())
    else:
        _print_promotion(console, promotion)
    console.say(f"Code {promotion.code.id} ajouté au codebook v{promotion.codebook_version} du projet "
                f"(v{promotion.previous_version} avant) ; le fichier YAML d'origine n'est pas modifié. "
                f"{promotion.suggestions} segments reçoivent la suggestion (modèle {promotion.run_id}). "
                f"Suite : relisez la définition, puis tzcld-qual review {project} ; pour annuler : "
                f"tzcld-qual undo {project} --coder {coder or 'tzcld-qual'}")
    return 0


def _topic_id(word: str) -> int:
    try:
        return int(word)
    except ValueError:
        raise UsageError(Text("numéro de thème invalide « {word} ».", "invalid topic number « {word} »."),
                         Text("Donnez le numéro affiché par « tzcld-qual topics PROJET ».",
                              "Give the number shown by « tzcld-qual topics PROJECT »."), word=word) from None


def _print_run(
    console: Console, run: TopicRun, earlier: dict[int, topics.EarlierPromotion | None] | None = None,
    continued: dict[int, topics.Continued] | None = None,
) -> None:
    if run.reused and run.scope_changed:
        console.say(f"(thèmes repris de {run.id}, calculé le {_when(run)}, sur un périmètre presque identique : "
                    f"{_n(run.left, 'segment en est sorti', 'segments en sont sortis')} (codés depuis…), "
                    f"{_n(run.entered, 'y est entré', 'y sont entrés')} ; les "
                    "numéros des thèmes restent les mêmes. --refit pour recalculer sur le périmètre actuel)")
    elif run.reused:
        console.say(f"(thèmes repris de {run.id}, calculé le {_when(run)} ; "
                    "--refit pour recalculer)")
    for topic in run.topics:
        share = topic.size / run.segments if run.segments else 0.0
        promoted = f" — devenu le code {topic.promoted_code}" if topic.promoted_code else ""
        same = (earlier or {}).get(topic.id)
        if same is not None and not promoted:
            promoted = (
                f" — déjà le code {same.code} (thème {same.topic} de {same.run_id}, "
                f"{100 * same.overlap:.0f}\u00a0% en commun)"
            )
        was = (continued or {}).get(topic.id)
        if was is not None:  # a refit renumbers: say which theme this one was
            promoted += f" — suite du thème {was.topic} de {was.run_id} ({100 * was.overlap:.0f}\u00a0% en commun)"
        console.data(f"Thème {topic.id} — {topic.label} ({topic.size} segments, {share:.0%}){promoted}")
        console.data(f"  mots-clés : {', '.join(topic.keyphrases)}")
        console.data(f"  verdict : {run.verdict_text(topic)}")
        if topic.neighbours:
            near = ", ".join(f"{c} ({s:.2f})" for c, s in topic.neighbours)
            console.data(f"  codes les plus proches (cosinus, direction commune ôtée) : {near}")
        for attribute in BREAKDOWN_ATTRIBUTES:
            shares = topic.shares(attribute)
            if shares:
                parts = ", ".join(f"{v} {s:.0%}" for v, s in shares.items())
                console.data(f"  {ATTRIBUTE_NAMES.get(attribute, attribute)} : {parts}")
        for quote in topic.quotes:
            console.data(f"  « {quote.excerpt()} » {quote.citation}")
        console.data()
    console.data(f"Hors thème (-1) : {run.outliers} segments sur {run.segments}")
    for rule in run.rules():
        console.data(f"Règle — {rule}")
    if run.removed:
        console.data(f"Non comptés : {run.removed} segments de documents retirés (ou remplacés) depuis ce calcul")


def _print_promotion(console: Console, promotion: Promotion) -> None:
    code = promotion.code
    console.data(f"{code.id} — {code.label}" + (f" (sous-code de {code.parent})" if code.parent else ""))
    console.data(f"  définition (brouillon) : {code.definition}")
    console.data(f"  expressions : {', '.join(code.expressions)}")
    for example in code.examples:
        console.data(f"  exemple : « {_clip(example)} »")


def _n(n: int, one: str, many: str) -> str:
    """``1 segment sorti``, ``2 segments sortis`` (French: 0 and 1 take the singular)."""
    return f"{n} {one if n < 2 else many}"


def _when(run: TopicRun) -> str:
    return run.created_at[:16].replace("T", " ")


def _clip(text: str, width: int = 220) -> str:
    return clip(text, width)
